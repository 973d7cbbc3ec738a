"""The closed loop as a state machine: every state × every loop action × every person of the cast.

The expected table below is the issue's loop written out by hand (not read from the services):
交办 by the supervising office, 签收 and 申请办结 by the lead unit's staff, 退回 and 办结 by the
supervising office. Everything else is refused with a message, and leaves no trace.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jinwei.audit.models import AuditEntry
from jinwei.tasks import services
from jinwei.tasks.models import Task, TaskEvent
from jinwei.tasks.services import TaskActionRefused
from tests.tasks.factories import TaskFactory, advance, evidence

pytestmark = pytest.mark.django_db

State = Task.State
Action = TaskEvent.Action

ROLES = [
    "supervisor",  # sam
    "admin",  # ada
    "leader",  # alice
    "viewer",  # vic
    "encheng_staff",  # eve, staff of the lead unit 恩城街道
    "hengpi_staff",  # hank, staff of another town
    "statistician",  # tom
    "outsider",  # otto, another government
]
SUPERVISORS = frozenset({"supervisor", "admin"})
LEAD_STAFF = frozenset({"encheng_staff"})

EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (State.DRAFT, Action.ASSIGN): (State.ASSIGNED, SUPERVISORS),
    (State.ASSIGNED, Action.ACKNOWLEDGE): (State.IN_PROGRESS, LEAD_STAFF),
    (State.IN_PROGRESS, Action.REQUEST_COMPLETION): (State.COMPLETION_REQUESTED, LEAD_STAFF),
    (State.COMPLETION_REQUESTED, Action.RETURN): (State.IN_PROGRESS, SUPERVISORS),
    (State.COMPLETION_REQUESTED, Action.CLOSE): (State.CLOSED, SUPERVISORS),
}
LOOP_ACTIONS = [
    Action.ASSIGN,
    Action.ACKNOWLEDGE,
    Action.REQUEST_COMPLETION,
    Action.RETURN,
    Action.CLOSE,
]


def details_for(action: str) -> dict:
    """What a person would give with each action (a reason, the scores, the evidence)."""
    if action == Action.RETURN:
        return {"note": "佐证材料不全，请补充"}
    if action == Action.CLOSE:
        return {"note": "按期高质量完成", "score_timeliness": 95, "score_quality": 88}
    if action == Action.REQUEST_COMPLETION:
        return {"note": "已完工交付", "evidence": [evidence()]}
    return {"note": "依程序办理"}


def audit_entries(task: Task):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Task), object_id=str(task.pk)
    )


def test_the_transitions_are_the_issue_s_loop():
    table = {key: step[0] for key, step in services.TRANSITIONS.items()}
    assert table == {key: step[0] for key, step in EXPECTED.items()}
    assert list(services.LOOP_ACTIONS) == LOOP_ACTIONS


@pytest.mark.parametrize("action", LOOP_ACTIONS)
@pytest.mark.parametrize("state", list(State))
def test_every_state_action_and_role(cast, state, action):
    """Each person tries the action; a refusal leaves the task as it was, so one task serves
    every refused person, and each allowed person gets a fresh task in the same state."""
    shared = advance(TaskFactory(lead_unit=cast.encheng, code="LOOP-0"), cast, state)
    expected = EXPECTED.get((state, action))
    for number, role in enumerate(ROLES, start=1):
        actor = getattr(cast, role)
        allowed = expected is not None and role in expected[1]
        assert (action in services.allowed_actions(actor, shared)) is allowed, role
        if allowed:
            task = advance(TaskFactory(lead_unit=cast.encheng, code=f"LOOP-{number}"), cast, state)
            check_allowed(task, actor, action, expected[0])
        else:
            check_refused(shared, actor, action, state_refuses=expected is None)


def check_refused(task: Task, actor, action: str, *, state_refuses: bool) -> None:
    state = task.state
    events = TaskEvent.objects.filter(task=task).count()
    entries = audit_entries(task).count()
    with pytest.raises(TaskActionRefused) as refused:
        services.perform(actor=actor, task=task, action=action, **details_for(action))
    if state_refuses:  # the message names the state
        assert str(task.get_state_display()) in refused.value.message, actor
    else:  # the message names who may
        who = services.TRANSITIONS[(state, action)][1]
        assert str(services.WHO_LABELS[who]) in refused.value.message, actor
    task.refresh_from_db()
    assert task.state == state, actor
    assert TaskEvent.objects.filter(task=task).count() == events, actor
    assert audit_entries(task).count() == entries, actor


def check_allowed(task: Task, actor, action: str, to_state: str) -> None:
    state = task.state
    events = TaskEvent.objects.filter(task=task).count()
    before = timezone.now()
    details = details_for(action)
    result = services.perform(actor=actor, task=task, action=action, **details)
    task.refresh_from_db()
    assert result.state == task.state == to_state, actor
    event = TaskEvent.objects.filter(task=task).latest("at", "id")
    assert TaskEvent.objects.filter(task=task).count() == events + 1
    assert (event.action, event.from_state, event.to_state) == (action, state, to_state)
    assert event.actor == actor
    assert event.note == details["note"]
    assert before <= event.at <= timezone.now()
    entry = audit_entries(task).filter(action=AuditEntry.Action.UPDATE).latest("at", "id")
    assert entry.actor == actor
    assert (entry.before["state"], entry.after["state"]) == (state, to_state)
    assert entry.note == details["note"]


@pytest.mark.parametrize("state", list(State))
def test_allowed_actions_match_the_table_for_everyone(cast, state):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, state)
    for role in ROLES:
        expected = [
            action
            for (from_state, action), (_to, who) in EXPECTED.items()
            if from_state == state and role in who
        ]
        assert services.allowed_actions(getattr(cast, role), task) == expected, role


def test_a_whole_loop_with_one_return_leaves_a_complete_trail(cast):
    today = datetime.date(2024, 6, 1)
    task = TaskFactory(lead_unit=cast.encheng)
    steps = [
        (cast.supervisor, Action.ASSIGN, {"note": "交办"}),
        (cast.encheng_staff, Action.ACKNOWLEDGE, {"note": "签收"}),
        (cast.encheng_staff, Action.REQUEST_COMPLETION, {"evidence": [evidence()]}),
        (cast.supervisor, Action.RETURN, {"note": "缺少验收报告"}),
        (cast.encheng_staff, Action.REQUEST_COMPLETION, {"evidence": [evidence("验收.pdf")]}),
        (cast.supervisor, Action.CLOSE, {"score_timeliness": 90, "score_quality": 80}),
    ]
    for actor, action, details in steps:
        task = services.perform(actor=actor, task=task, action=action, today=today, **details)
    trail = list(task.events.values_list("action", "from_state", "to_state", "actor__username"))
    assert trail == [
        ("assign", "draft", "assigned", "sam"),
        ("acknowledge", "assigned", "in_progress", "eve"),
        ("request_completion", "in_progress", "completion_requested", "eve"),
        ("return", "completion_requested", "in_progress", "sam"),
        ("request_completion", "in_progress", "completion_requested", "eve"),
        ("close", "completion_requested", "closed", "sam"),
    ]
    assert task.attachments.filter(is_evidence=True).count() == 2
    assert (task.score_timeliness, task.score_quality, task.closed_on) == (90, 80, today)
    assert task.progress == 100
