"""Recording that a planned milestone was reached."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jinwei.tasks import services
from jinwei.tasks.models import Milestone, Task
from tests.tasks.factories import TaskFactory, advance

pytestmark = pytest.mark.django_db


def milestone_of(task: Task) -> Milestone:
    return Milestone.objects.create(
        task=task, title="主体封顶", due_date=datetime.date(2024, 6, 30)
    )


def test_lead_staff_record_a_milestone_from_the_task_page(cast) -> None:
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, Task.State.IN_PROGRESS)
    milestone = milestone_of(task)
    page = cast.client_for(cast.encheng_staff).get(reverse("tasks:detail", args=[task.pk]))
    assert reverse("tasks:milestone_done", args=[milestone.pk]) in page.content.decode()
    response = cast.client_for(cast.encheng_staff).post(
        reverse("tasks:milestone_done", args=[milestone.pk]), {"version": milestone.version}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert milestone.version == 2  # written through the audit services


@pytest.mark.parametrize(
    ("who", "status"), [("hengpi_staff", 403), ("viewer", 403), ("outsider", 404)]
)
def test_others_cannot_record_milestones(cast, who: str, status: int) -> None:
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, Task.State.IN_PROGRESS)
    milestone = milestone_of(task)
    response = cast.client_for(getattr(cast, who)).post(
        reverse("tasks:milestone_done", args=[milestone.pk])
    )
    assert response.status_code == status
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_milestones_only_on_open_tasks_and_not_in_the_future(cast) -> None:
    draft = TaskFactory(lead_unit=cast.encheng)
    with pytest.raises(services.TaskActionRefused):
        services.milestone_done(
            actor=cast.supervisor,
            milestone=milestone_of(draft),
            done_on=datetime.date(2024, 5, 1),
            expected_version=None,
        )
    task = advance(TaskFactory(lead_unit=cast.encheng, code="M2"), cast, Task.State.IN_PROGRESS)
    with pytest.raises(services.TaskActionRefused):
        services.milestone_done(
            actor=cast.supervisor,
            milestone=milestone_of(task),
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            expected_version=None,
        )


def test_moving_a_milestone_keeps_its_record(cast) -> None:
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, Task.State.IN_PROGRESS)
    milestone = milestone_of(task)
    Milestone.objects.filter(pk=milestone.pk).update(done_on=datetime.date(2024, 6, 1))
    services.update_task(
        actor=cast.supervisor,
        task=task,
        changes={},
        expected_version=None,
        milestones=[services.PlannedMilestone("主体封顶", datetime.date(2024, 7, 31))],
    )
    milestone.refresh_from_db()
    assert (milestone.due_date, milestone.done_on) == (
        datetime.date(2024, 7, 31),
        datetime.date(2024, 6, 1),
    )
