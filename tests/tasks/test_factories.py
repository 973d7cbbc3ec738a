from __future__ import annotations

import pytest

from jinwei.tasks.models import Task
from tests.tasks.factories import TaskFactory, advance


@pytest.mark.parametrize("state", Task.State.values)
def test_advance_reaches_every_state(cast, state):
    task = TaskFactory(lead_unit=cast.encheng)
    assert advance(task, cast, state).state == state
