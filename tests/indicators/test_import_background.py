"""The import check and commit in a background thread, as the pages start them.

In a module of its own because the thread needs committed rows (a transactional test): pytest-xdist
runs a module whole on one worker, and the flush that ends a transactional test must come after
the worker's other database tests (see `pytest_collection_modifyitems` in tests/conftest.py).
"""

from __future__ import annotations

import pytest

from jinwei.indicators.importing import jobs
from jinwei.indicators.importing.services import import_batch_create
from jinwei.indicators.models import Observation
from tests.indicators.import_helpers import english, gdp, xlsx
from tests.indicators.test_import_views import ROWS

pytestmark = pytest.mark.usefixtures(english.__name__)


@pytest.mark.django_db(transaction=True)
def test_the_check_runs_in_a_background_thread(cast, tmp_path, settings):
    settings.JINWEI_IMPORTS_INLINE = False
    gdp(cast)
    path = xlsx(tmp_path / "t.xlsx", ("表1", ROWS))
    batch = import_batch_create(actor=cast.statistician, government=cast.enping, path=path)
    thread = jobs.start(jobs.run_check, batch.pk, cast.statistician.pk)
    assert thread is not None
    thread.join(timeout=30)
    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.counts["new"]) == ("checked", 100, 2)
    thread = jobs.start(jobs.run_commit, batch.pk, cast.statistician.pk)
    assert thread is not None
    thread.join(timeout=30)
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Observation.objects.filter(batch=batch).count() == 2
