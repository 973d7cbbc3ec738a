"""The briefing written in a background thread, as the page starts it.

In a module of its own because the thread needs committed rows (a transactional test): pytest-xdist
runs a module whole on one worker, and the flush that ends a transactional test must come after
the worker's other database tests (see `pytest_collection_modifyitems` in tests/conftest.py).
"""

from __future__ import annotations

import pytest

from jinwei.lib.periods import parse_period
from jinwei.reports import jobs
from jinwei.reports.services import briefing_start
from tests.reports.stand_ins import use_stand_ins


@pytest.fixture(autouse=True)
def _stand_ins(monkeypatch):
    use_stand_ins(monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_the_work_runs_in_a_background_thread(cast, settings):
    settings.JINWEI_IMPORTS_INLINE = False
    briefing, _created = briefing_start(
        actor=cast.leader, government=cast.enping, period=parse_period("2024Q3")
    )
    thread = jobs.start(briefing.pk)
    assert thread is not None
    thread.join(timeout=60)
    briefing.refresh_from_db()
    assert (briefing.status, briefing.progress) == ("done", 100)
