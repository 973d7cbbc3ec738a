"""factory_boy factories for the tasks app, and a helper that walks a task through the loop.

``TaskFactory(lead_unit=cast.encheng)`` makes a draft in the unit's government; use
``advance(task, cast, to=Task.State.IN_PROGRESS)`` to reach a state through the real services.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from jinwei.tasks import services
from jinwei.tasks.models import Goal, Task, TaskEvent
from tests.factories import OrgUnitFactory

Action = TaskEvent.Action


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    government = factory.SubFactory("tests.factories.RegionFactory")
    title = factory.Sequence(lambda n: f"目标{n}")
    horizon = Goal.Horizon.ONE


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    lead_unit = factory.SubFactory(OrgUnitFactory)
    government = factory.LazyAttribute(lambda o: o.lead_unit.government)
    code = factory.Sequence(lambda n: f"T{n:04d}")
    title = factory.Sequence(lambda n: f"任务{n}")
    start_date = datetime.date(2024, 1, 1)
    deadline = datetime.date(2024, 12, 31)
    original_deadline = factory.LazyAttribute(lambda o: o.deadline)
    report_cadence = Task.Cadence.MONTHLY

    @factory.post_generation
    def schedule(obj: Task, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Stored yellow/red days, as the services compute them."""
        dates = services.schedule_dates(obj, services.rules_for(obj.government_id))
        for name, value in dates.items():
            setattr(obj, name, value)
        if create:
            obj.save(update_fields=list(dates))


def evidence(name: str = "验收报告.pdf", content: bytes = b"%PDF-1.4 evidence") -> Any:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def advance(task: Task, cast: Any, to: str, today: datetime.date | None = None) -> Task:
    """Walk `task` from draft through the real loop to state `to` (supervisor sam, lead staff)."""
    from jinwei.accounts.models import Role

    lead_staff = task.lead_unit.memberships.filter(role=Role.STAFF).first()
    staff = lead_staff.user if lead_staff else None
    steps = {
        Task.State.ASSIGNED: [(cast.supervisor, Action.ASSIGN, {})],
        Task.State.IN_PROGRESS: [(staff, Action.ACKNOWLEDGE, {})],
        Task.State.COMPLETION_REQUESTED: [
            (staff, Action.REQUEST_COMPLETION, {"evidence": [evidence()]})
        ],
        Task.State.CLOSED: [
            (cast.supervisor, Action.CLOSE, {"score_timeliness": 90, "score_quality": 80})
        ],
    }
    order = [Task.State.ASSIGNED, Task.State.IN_PROGRESS, Task.State.COMPLETION_REQUESTED]
    order.append(Task.State.CLOSED)
    if to == Task.State.DRAFT:
        return task
    if to == Task.State.CANCELLED:
        task = advance(task, cast, Task.State.IN_PROGRESS, today)
        change = services.request_change(actor=staff, task=task, kind="cancel", reason="不再需要")
        services.decide_change(actor=cast.supervisor, change=change, approve=True)
        task.refresh_from_db()
        return task
    for state in order:
        for actor, action, extra in steps[state]:
            task = services.perform(actor=actor, task=task, action=action, today=today, **extra)
        if state == to:
            break
    return task
