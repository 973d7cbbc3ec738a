"""Postponement and cancellation: the lead unit's staff ask with a reason, the supervising office
decides; one request waits at a time; an approved postponement keeps the original deadline."""

from __future__ import annotations

import datetime

import pytest

from jinwei.audit.models import AuditEntry
from jinwei.tasks import services
from jinwei.tasks.models import ChangeRequest, Task, TaskEvent
from jinwei.tasks.services import TaskActionRefused
from tests.tasks.factories import TaskFactory, advance

pytestmark = pytest.mark.django_db

State = Task.State
Kind = ChangeRequest.Kind
Status = ChangeRequest.Status
Action = TaskEvent.Action
DEADLINE = datetime.date(2024, 12, 31)
LATER = datetime.date(2025, 3, 31)
NOT_LEAD = ["supervisor", "admin", "leader", "viewer", "hengpi_staff", "statistician", "outsider"]
NOT_SUPERVISOR = ["leader", "viewer", "encheng_staff", "hengpi_staff", "statistician", "outsider"]


@pytest.fixture
def task(cast):
    return advance(TaskFactory(lead_unit=cast.encheng, deadline=DEADLINE), cast, State.IN_PROGRESS)


def ask(cast, task, kind=Kind.POSTPONE, reason="征地手续延后", new_deadline=LATER, actor=None):
    return services.request_change(
        actor=actor or cast.encheng_staff,
        task=task,
        kind=kind,
        reason=reason,
        new_deadline=new_deadline,
    )


@pytest.mark.parametrize("role", NOT_LEAD)
def test_only_the_lead_unit_s_staff_ask(cast, task, role):
    with pytest.raises(TaskActionRefused):
        ask(cast, task, actor=getattr(cast, role))
    assert not task.change_requests.exists()


def test_the_lead_unit_s_staff_ask_and_it_is_recorded(cast, task):
    change = ask(cast, task, reason="  征地手续延后 ")
    assert (change.kind, change.status, change.reason) == (
        Kind.POSTPONE,
        Status.PENDING,
        "征地手续延后",
    )
    assert change.requested_by == cast.encheng_staff
    event = task.events.get(action=Action.REQUEST_POSTPONE)
    assert (event.actor, event.note, event.from_state, event.to_state) == (
        cast.encheng_staff,
        "征地手续延后",
        State.IN_PROGRESS,
        State.IN_PROGRESS,
    )
    assert AuditEntry.objects.filter(object_id=str(change.pk), action="create").exists()


@pytest.mark.parametrize("kind", [Kind.POSTPONE, Kind.CANCEL])
@pytest.mark.parametrize("reason", ["", "  "])
def test_a_request_needs_a_reason(cast, task, kind, reason):
    with pytest.raises(TaskActionRefused):
        ask(cast, task, kind=kind, reason=reason)
    assert not task.change_requests.exists()


@pytest.mark.parametrize("new_deadline", [None, DEADLINE, DEADLINE - datetime.timedelta(days=1)])
def test_a_postponement_needs_a_later_deadline(cast, task, new_deadline):
    with pytest.raises(TaskActionRefused):
        ask(cast, task, new_deadline=new_deadline)


@pytest.mark.parametrize("state", [State.DRAFT, State.CLOSED, State.CANCELLED])
def test_only_live_tasks_can_be_postponed_or_cancelled(cast, state):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, state)
    pending = task.change_requests.count()
    with pytest.raises(TaskActionRefused):
        ask(cast, task, kind=Kind.CANCEL)
    assert task.change_requests.count() == pending


@pytest.mark.parametrize("state", [State.ASSIGNED, State.COMPLETION_REQUESTED])
def test_assigned_and_finishing_tasks_can_be_postponed(cast, state):
    task = advance(TaskFactory(lead_unit=cast.encheng, deadline=DEADLINE), cast, state)
    assert ask(cast, task).status == Status.PENDING


def test_one_request_waits_at_a_time(cast, task):
    first = ask(cast, task)
    with pytest.raises(TaskActionRefused):
        ask(cast, task, kind=Kind.CANCEL)
    services.decide_change(actor=cast.supervisor, change=first, approve=False, note="不同意")
    task.refresh_from_db()
    second = ask(cast, task, kind=Kind.CANCEL)
    assert second.status == Status.PENDING
    assert task.change_requests.filter(status=Status.PENDING).count() == 1


@pytest.mark.parametrize("role", NOT_SUPERVISOR)
def test_only_the_supervising_office_decides(cast, task, role):
    change = ask(cast, task)
    for approve in (True, False):
        with pytest.raises(TaskActionRefused):
            services.decide_change(
                actor=getattr(cast, role), change=change, approve=approve, note="意见"
            )
    change.refresh_from_db()
    task.refresh_from_db()
    assert change.status == Status.PENDING
    assert task.deadline == DEADLINE


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_an_approved_postponement_moves_the_deadline_and_keeps_the_original(cast, task, role):
    yellow_before = task.yellow_from
    change = ask(cast, task)
    services.decide_change(actor=getattr(cast, role), change=change, approve=True, note="同意")
    task.refresh_from_db()
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (
        Status.APPROVED,
        getattr(cast, role),
        "同意",
    )
    assert task.deadline == LATER
    assert task.original_deadline == DEADLINE
    assert task.state == State.IN_PROGRESS
    assert task.yellow_from is not None and task.yellow_from > yellow_before
    event = task.events.get(action=Action.APPROVE_REQUEST)
    assert (event.actor, event.note) == (getattr(cast, role), "同意")


def test_a_second_postponement_still_keeps_the_first_deadline(cast, task):
    services.decide_change(actor=cast.supervisor, change=ask(cast, task), approve=True)
    task.refresh_from_db()
    even_later = LATER + datetime.timedelta(days=60)
    services.decide_change(
        actor=cast.supervisor, change=ask(cast, task, new_deadline=even_later), approve=True
    )
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (even_later, DEADLINE)


def test_an_approved_cancellation_cancels_the_task(cast, task):
    change = ask(cast, task, kind=Kind.CANCEL, reason="项目取消", new_deadline=None)
    services.decide_change(actor=cast.supervisor, change=change, approve=True)
    task.refresh_from_db()
    assert task.state == State.CANCELLED
    assert task.next_report_due is None
    event = task.events.get(action=Action.APPROVE_REQUEST)
    assert (event.from_state, event.to_state, event.note) == (
        State.IN_PROGRESS,
        State.CANCELLED,
        "项目取消",
    )
    assert services.allowed_actions(cast.encheng_staff, task) == []
    assert services.allowed_actions(cast.supervisor, task) == []


def test_a_rejection_needs_a_reason_and_changes_nothing(cast, task):
    change = ask(cast, task, kind=Kind.CANCEL)
    with pytest.raises(TaskActionRefused):
        services.decide_change(actor=cast.supervisor, change=change, approve=False, note=" ")
    services.decide_change(actor=cast.supervisor, change=change, approve=False, note="任务仍需完成")
    task.refresh_from_db()
    change.refresh_from_db()
    assert change.status == Status.REJECTED
    assert (task.state, task.deadline) == (State.IN_PROGRESS, DEADLINE)
    event = task.events.get(action=Action.REJECT_REQUEST)
    assert (event.actor, event.note) == (cast.supervisor, "任务仍需完成")


def test_a_request_is_decided_once(cast, task):
    change = ask(cast, task)
    services.decide_change(actor=cast.supervisor, change=change, approve=False, note="不同意")
    change.refresh_from_db()
    with pytest.raises(TaskActionRefused):
        services.decide_change(actor=cast.admin, change=change, approve=True)
    task.refresh_from_db()
    assert task.deadline == DEADLINE


def test_a_request_left_pending_cannot_move_a_closed_task(cast):
    task = advance(
        TaskFactory(lead_unit=cast.encheng, deadline=DEADLINE), cast, State.COMPLETION_REQUESTED
    )
    change = ask(cast, task)
    task.refresh_from_db()
    late = DEADLINE + datetime.timedelta(days=20)
    services.perform(
        actor=cast.supervisor,
        task=task,
        action=Action.CLOSE,
        score_timeliness=60,
        score_quality=80,
        today=late,
    )
    with pytest.raises(TaskActionRefused):
        services.decide_change(actor=cast.supervisor, change=change, approve=True)
    services.decide_change(actor=cast.supervisor, change=change, approve=False, note="任务已办结")
    task.refresh_from_db()
    assert (task.deadline, task.closed_late) == (DEADLINE, True)
