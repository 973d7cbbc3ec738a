"""Progress reports (进展反馈): only while in progress, by the lead unit (moves the task) or a
co-unit (moves only its part), each counted on time or late against the report date."""

from __future__ import annotations

import datetime

import pytest

from jinwei.tasks import services
from jinwei.tasks.models import CoUnit, ProgressReport, Task, TaskEvent
from jinwei.tasks.services import TaskActionRefused
from tests.tasks.factories import TaskFactory, advance

pytestmark = pytest.mark.django_db

State = Task.State
START = datetime.date(2024, 1, 1)


@pytest.fixture
def task(cast):
    """In progress since 2024-01-01, monthly reports, 横陂镇 co-operating on the land part."""
    task = TaskFactory(lead_unit=cast.encheng, start_date=START)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="征地拆迁")
    return advance(task, cast, State.IN_PROGRESS, today=START)


def report(cast, task, actor=None, unit=None, percent=30, today=None, **extra):
    return services.submit_report(
        actor=actor or cast.encheng_staff,
        task=task,
        unit=unit or cast.encheng,
        percent=percent,
        text=extra.pop("text", "主体结构封顶"),
        today=today or datetime.date(2024, 1, 20),
        **extra,
    )


@pytest.mark.parametrize(
    "state",
    [State.DRAFT, State.ASSIGNED, State.COMPLETION_REQUESTED, State.CLOSED, State.CANCELLED],
)
def test_reports_only_while_in_progress(cast, state):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, state)
    with pytest.raises(TaskActionRefused):
        report(cast, task)
    assert not ProgressReport.objects.filter(task=task).exists()


def test_the_lead_unit_s_report_moves_the_task(cast, task):
    saved = report(cast, task, percent=45, problems="  需协调用电报装 ")
    task.refresh_from_db()
    assert task.progress == 45
    assert (saved.unit, saved.author, saved.problems) == (
        cast.encheng,
        cast.encheng_staff,
        "需协调用电报装",
    )
    assert task.co_units.get().progress == 0
    event = task.events.get(action=TaskEvent.Action.REPORT)
    assert (event.actor, event.note) == (cast.encheng_staff, "45%")
    # yellow once elapsed time passes 45 + 10 points of the 365 days: day 201
    assert task.yellow_from == START + datetime.timedelta(days=201)


def test_a_co_unit_s_report_moves_only_its_part(cast, task):
    saved = report(cast, task, actor=cast.hengpi_staff, unit=cast.hengpi, percent=70)
    task.refresh_from_db()
    assert saved.unit == cast.hengpi
    assert saved.due_on is None
    assert task.co_units.get().progress == 70
    assert task.progress == 0
    assert (task.reports_on_time, task.reports_late) == (0, 0)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("hengpi_staff", "encheng"),  # a co-unit's staff cannot report for the lead unit
        ("encheng_staff", "hengpi"),  # nor the lead unit's staff for the co-unit
        ("supervisor", "encheng"),
        ("admin", "encheng"),
        ("leader", "encheng"),
        ("viewer", "encheng"),
        ("statistician", "encheng"),
        ("outsider", "encheng"),
    ],
)
def test_no_one_else_reports(cast, task, role, unit):
    with pytest.raises(TaskActionRefused):
        report(cast, task, actor=getattr(cast, role), unit=getattr(cast, unit))
    assert not ProgressReport.objects.filter(task=task).exists()


def test_other_town_s_staff_do_not_report_on_a_task_without_their_unit(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, State.IN_PROGRESS)
    with pytest.raises(TaskActionRefused):
        report(cast, task, actor=cast.hengpi_staff, unit=cast.hengpi)


def test_reports_are_counted_on_time_or_late(cast, task):
    assert task.next_report_due == datetime.date(2024, 2, 1)
    on_time = report(cast, task, percent=10, today=datetime.date(2024, 2, 1))
    task.refresh_from_db()
    assert (on_time.due_on, on_time.is_late) == (datetime.date(2024, 2, 1), False)
    assert (task.reports_on_time, task.reports_late) == (1, 0)
    assert task.next_report_due == datetime.date(2024, 3, 1)

    late = report(cast, task, percent=20, today=datetime.date(2024, 3, 4))
    task.refresh_from_db()
    assert (late.due_on, late.is_late) == (datetime.date(2024, 3, 1), True)
    assert (task.reports_on_time, task.reports_late) == (1, 1)
    assert task.next_report_due == datetime.date(2024, 4, 1)


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_is_from_0_to_100(cast, task, percent):
    with pytest.raises(TaskActionRefused):
        report(cast, task, percent=percent)
    task.refresh_from_db()
    assert task.progress == 0


def test_a_report_needs_text(cast, task):
    with pytest.raises(TaskActionRefused):
        report(cast, task, text="   ")
    assert not ProgressReport.objects.filter(task=task).exists()
