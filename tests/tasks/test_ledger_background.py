"""The ledger check and commit in a background thread, as the pages start them.

In a module of its own because the thread needs committed rows (a transactional test): pytest-xdist
runs a module whole on one worker, and the flush that ends a transactional test must come after
the worker's other database tests (see `pytest_collection_modifyitems` in tests/conftest.py).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jinwei.indicators.importing import jobs
from jinwei.tasks import ledger_uploads
from jinwei.tasks.ledger_uploads import LedgerUpload
from jinwei.tasks.models import Task
from tests.indicators.import_helpers import english, xlsx
from tests.tasks.ledger_helpers import HEADER, _fixed_today, row

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__)


@pytest.mark.django_db(transaction=True)
def test_the_check_and_commit_run_in_a_background_thread(cast, tmp_path, settings):
    settings.JINWEI_IMPORTS_INLINE = False
    path = xlsx(tmp_path / "a.xlsx", ("表1", [HEADER, row(), row()]))
    with path.open("rb") as handle:
        state = ledger_uploads.ledger_upload_create(
            actor=cast.supervisor,
            government=cast.enping,
            upload=SimpleUploadedFile("a.xlsx", handle.read()),
        )
    thread = jobs.start(ledger_uploads.run_check, state.id, cast.supervisor.pk)
    assert thread is not None
    thread.join(timeout=30)
    state = LedgerUpload.load(state.id)
    assert (state.status, state.progress, state.counts["rows"]) == ("checked", 100, 2)
    assert ledger_uploads.claim_commit(state)
    thread = jobs.start(ledger_uploads.run_commit, state.id, cast.supervisor.pk)
    assert thread is not None
    thread.join(timeout=30)
    state = LedgerUpload.load(state.id)
    assert state.status == "committed" and len(state.task_ids) == 2
    assert Task.objects.filter(pk__in=state.task_ids).count() == 2
