"""Time status and colours at their boundaries, and the database filters agreeing with them."""

from __future__ import annotations

import datetime
import itertools

import pytest

from jinwei.tasks import services
from jinwei.tasks.models import Task
from jinwei.tasks.timing import (
    Colour,
    Rules,
    TimeStatus,
    behind_from,
    colour_q,
    is_behind_on,
    status_q,
    task_timing,
)
from tests.tasks.factories import TaskFactory

START = datetime.date(2024, 1, 1)
DEADLINE = START + datetime.timedelta(days=100)  # a 100-day span: day n is n % elapsed


def timing(day: int, progress: int, state: str = Task.State.IN_PROGRESS, **kwargs):
    return task_timing(
        state=state,
        start=START,
        deadline=DEADLINE,
        progress=progress,
        closed_on=kwargs.pop("closed_on", None),
        today=START + datetime.timedelta(days=day),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("day", "progress", "colour"),
    [
        (50, 40, Colour.GREEN),  # exactly 10 points behind: not yet yellow
        (51, 40, Colour.YELLOW),  # 11 points behind
        (70, 40, Colour.YELLOW),  # exactly 30 points behind: still yellow
        (71, 40, Colour.RED),  # 31 points behind
        (92, 100, Colour.GREEN),  # 8 days left, done: green
        (93, 100, Colour.YELLOW),  # 7 days left: due soon turns yellow
        (100, 100, Colour.YELLOW),  # the deadline itself is not overdue
        (101, 100, Colour.RED),  # one day overdue
        (0, 0, Colour.GREEN),
    ],
)
def test_colour_boundaries(day: int, progress: int, colour: Colour) -> None:
    assert timing(day, progress).colour == colour


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (92, TimeStatus.ON_TRACK),
        (93, TimeStatus.DUE_SOON),
        (100, TimeStatus.DUE_SOON),
        (101, TimeStatus.OVERDUE),
    ],
)
def test_time_status_boundaries(day: int, status: TimeStatus) -> None:
    assert timing(day, 100).status == status


def test_rules_are_configurable() -> None:
    strict = Rules(yellow_behind_points=5, red_behind_points=20, due_soon_days=3)
    assert timing(46, 40, rules=strict).colour == Colour.YELLOW
    assert timing(61, 40, rules=strict).colour == Colour.RED
    assert timing(96, 100, rules=strict).status == TimeStatus.ON_TRACK
    assert timing(97, 100, rules=strict).status == TimeStatus.DUE_SOON


def test_states_without_colour() -> None:
    assert timing(10, 0, Task.State.DRAFT).status == TimeStatus.NOT_STARTED
    assert timing(200, 0, Task.State.CANCELLED).colour == Colour.NONE
    on_time = timing(200, 100, Task.State.CLOSED, closed_on=DEADLINE)
    late = timing(200, 100, Task.State.CLOSED, closed_on=DEADLINE + datetime.timedelta(days=1))
    assert (on_time.status, on_time.colour) == (TimeStatus.CLOSED_ON_TIME, Colour.NONE)
    assert late.status == TimeStatus.CLOSED_LATE


@pytest.mark.parametrize("span", [0, 1, 3, 7, 100, 365])
@pytest.mark.parametrize("progress", [0, 1, 33, 69, 70, 90, 100])
def test_behind_from_is_the_first_day_behind(span: int, progress: int) -> None:
    deadline = START + datetime.timedelta(days=span)
    first = behind_from(START, deadline, progress, 30)
    days = [START + datetime.timedelta(days=n) for n in range(span + 1)]
    behind_days = [d for d in days if is_behind_on(START, deadline, progress, 30, d)]
    assert first == (behind_days[0] if behind_days else None)
    assert all(d >= first for d in behind_days) if first else not behind_days
    if first:  # and every later day up to the deadline is behind too
        assert behind_days == [d for d in days if d >= first]


@pytest.mark.django_db
def test_database_filters_agree_with_task_timing(cast) -> None:
    """colour_q / status_q on stored dates classify exactly as task_timing does, day by day."""
    spans, progresses = (0, 5, 30, 90), (0, 25, 60, 100)
    states = (Task.State.ASSIGNED, Task.State.IN_PROGRESS, Task.State.DRAFT)
    tasks = []
    for n, (span, progress, state) in enumerate(itertools.product(spans, progresses, states)):
        task = TaskFactory(
            lead_unit=cast.encheng,
            start_date=START,
            deadline=START + datetime.timedelta(days=span),
            progress=progress,
            state=state,
            code=f"C{n}",
        )
        tasks.append(task)
    rules = services.rules_for(cast.enping.pk)
    for offset in (-3, 0, 2, 4, 5, 6, 20, 23, 24, 25, 60, 83, 84, 90, 91, 100):
        today = START + datetime.timedelta(days=offset)
        for colour in Colour:
            in_db = set(
                Task.objects.filter(colour_q(colour, today, rules)).values_list("pk", flat=True)
            )
            expected = {
                t.pk
                for t in tasks
                if task_timing(
                    state=t.state,
                    start=t.start_date,
                    deadline=t.deadline,
                    progress=t.progress,
                    closed_on=None,
                    today=today,
                    rules=rules,
                ).colour
                == colour
            }
            assert in_db == expected, (offset, colour)
        for status in (TimeStatus.ON_TRACK, TimeStatus.DUE_SOON, TimeStatus.OVERDUE):
            in_db = set(
                Task.objects.filter(status_q(status, today, rules)).values_list("pk", flat=True)
            )
            expected = {
                t.pk
                for t in tasks
                if task_timing(
                    state=t.state,
                    start=t.start_date,
                    deadline=t.deadline,
                    progress=t.progress,
                    closed_on=None,
                    today=today,
                    rules=rules,
                ).status
                == status
            }
            assert in_db == expected, (offset, status)


@pytest.mark.django_db
def test_new_rules_redate_stored_colours(cast) -> None:
    from jinwei.tasks.models import TaskRules

    task = TaskFactory(lead_unit=cast.encheng, start_date=START, deadline=DEADLINE, progress=40)
    assert task.yellow_from == START + datetime.timedelta(days=51)
    TaskRules.objects.create(government=cast.enping, yellow_behind_points=20, red_behind_points=40)
    assert services.refresh_schedules(cast.enping.pk) == 1
    task.refresh_from_db()
    assert task.yellow_from == START + datetime.timedelta(days=61)
    assert task.red_from == START + datetime.timedelta(days=81)
