"""Report cadence, missed reports, and the goals tree's parent rule."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from jinwei.audit.models import AuditEntry
from jinwei.tasks import services
from jinwei.tasks.models import Goal, Task
from tests.tasks.factories import GoalFactory, TaskFactory

D = datetime.date


def task_with(cadence: str, dates: list[str] | None = None) -> Task:
    return Task(
        start_date=D(2024, 1, 31),
        deadline=D(2024, 12, 31),
        report_cadence=cadence,
        report_dates=dates or [],
    )


@pytest.mark.parametrize(
    ("cadence", "after", "expected"),
    [
        (Task.Cadence.WEEKLY, D(2024, 1, 31), D(2024, 2, 7)),
        (Task.Cadence.WEEKLY, D(2024, 2, 7), D(2024, 2, 14)),
        (Task.Cadence.WEEKLY, D(2024, 2, 8), D(2024, 2, 14)),
        (Task.Cadence.MONTHLY, D(2024, 1, 31), D(2024, 2, 29)),  # month ends are kept
        (Task.Cadence.MONTHLY, D(2024, 2, 29), D(2024, 3, 31)),
        (Task.Cadence.MONTHLY, D(2024, 12, 1), D(2024, 12, 31)),
        (Task.Cadence.MONTHLY, D(2024, 12, 31), None),  # the next one is after the deadline
        (Task.Cadence.NONE, D(2024, 3, 1), None),
    ],
)
def test_next_report_date(cadence: str, after: D, expected: D | None) -> None:
    assert services.next_report_date(task_with(cadence), after) == expected


def test_next_report_date_on_given_dates() -> None:
    task = task_with(Task.Cadence.DATES, ["2024-06-30", "2024-03-31"])
    assert services.next_report_date(task, D(2024, 1, 31)) == D(2024, 3, 31)
    assert services.next_report_date(task, D(2024, 3, 31)) == D(2024, 6, 30)
    assert services.next_report_date(task, D(2024, 7, 1)) is None


@pytest.mark.django_db
def test_missed_reports_are_counted_once(cast) -> None:
    task = TaskFactory(
        lead_unit=cast.encheng,
        state=Task.State.IN_PROGRESS,
        start_date=D(2024, 1, 1),
        report_cadence=Task.Cadence.MONTHLY,
        next_report_due=D(2024, 2, 1),
    )
    assert services.record_missed_reports(D(2024, 3, 5)) == 1
    task.refresh_from_db()
    assert (task.reports_missed, task.next_report_due) == (2, D(2024, 4, 1))
    assert services.record_missed_reports(D(2024, 3, 5)) == 0  # run again: nothing new
    task.refresh_from_db()
    assert task.reports_missed == 2
    entry = AuditEntry.objects.filter(object_id=str(task.pk)).latest("id")
    assert entry.after["reports_missed"] == 2


@pytest.mark.django_db
def test_goal_cannot_sit_under_itself_or_another_government(cast) -> None:
    top = GoalFactory(government=cast.enping)
    child = services.create_goal(
        actor=cast.supervisor, goal=Goal(government=cast.enping, title="子目标", parent=top)
    )
    with pytest.raises(ValidationError):
        services.update_goal(
            actor=cast.supervisor, goal=top, changes={"parent": child}, expected_version=None
        )
    foreign = GoalFactory(government=cast.taishan)
    with pytest.raises(ValidationError):
        services.create_goal(
            actor=cast.supervisor, goal=Goal(government=cast.enping, title="x", parent=foreign)
        )
    with pytest.raises(services.TaskActionRefused):
        services.create_goal(actor=cast.encheng_staff, goal=Goal(government=cast.enping, title="y"))


@pytest.mark.django_db
def test_an_early_report_answers_its_due_date(cast) -> None:
    from tests.tasks.factories import advance

    task = advance(
        TaskFactory(lead_unit=cast.encheng, start_date=D(2024, 1, 1), deadline=D(2024, 12, 31)),
        cast,
        Task.State.IN_PROGRESS,
        today=D(2024, 1, 1),
    )
    assert task.next_report_due == D(2024, 2, 1)
    services.submit_report(
        actor=cast.encheng_staff,
        task=task,
        unit=cast.encheng,
        percent=10,
        text="开工",
        today=D(2024, 1, 30),
    )
    task.refresh_from_db()
    assert (task.reports_on_time, task.next_report_due) == (1, D(2024, 3, 1))
    assert services.record_missed_reports(D(2024, 2, 5)) == 0
