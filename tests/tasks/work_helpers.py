"""Tasks in a given colour or state today, for the tests of the task lists (worklists)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from jinwei.tasks.models import CoUnit, Task
from tests.tasks.factories import TaskFactory


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def make_task(unit: Any, **fields: Any) -> Task:
    """A task half-way through its time (started 100 days ago, due in 100): with progress 50 it
    is green, 35 yellow (15 points behind), 10 red (40 behind). The state is set directly."""
    values = {
        "lead_unit": unit,
        "start_date": days(-100),
        "deadline": days(100),
        "state": Task.State.IN_PROGRESS,
        "progress": 50,
    }
    return TaskFactory(**{**values, **fields})


def green(unit: Any, **fields: Any) -> Task:
    return make_task(unit, **fields)


def yellow(unit: Any, **fields: Any) -> Task:
    return make_task(unit, **{"progress": 35, **fields})


def red(unit: Any, **fields: Any) -> Task:
    return make_task(unit, **{"progress": 10, **fields})


def overdue(unit: Any, days_late: int = 5, **fields: Any) -> Task:
    return make_task(unit, **{"deadline": days(-days_late), "progress": 90, **fields})


def co_unit(task: Task, unit: Any, part: str = "") -> CoUnit:
    return CoUnit.objects.create(task=task, unit=unit, part=part)


def codes(response: Any) -> list[str]:
    return [row.task.code for row in response.context["rows"]]
