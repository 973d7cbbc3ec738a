"""What each loop step needs and records: a reason to return, two scores in 0–100 to close,
evidence to request completion, the dates an assignment and an acknowledgement set, stale copies."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import gettext

from jinwei.audit.services import StaleVersionError
from jinwei.tasks import services
from jinwei.tasks.models import Task, TaskEvent, TaskRules
from jinwei.tasks.services import TaskActionRefused
from tests.tasks.factories import TaskFactory, advance, evidence

pytestmark = pytest.mark.django_db

State = Task.State
Action = TaskEvent.Action
TODAY = datetime.date(2024, 3, 4)


@pytest.fixture
def requested(cast):
    return advance(TaskFactory(lead_unit=cast.encheng), cast, State.COMPLETION_REQUESTED)


def events_of(task):
    return TaskEvent.objects.filter(task=task).count()


@pytest.mark.parametrize("note", ["", "   \n "])
def test_return_needs_a_reason(cast, requested, note):
    events = events_of(requested)
    with pytest.raises(TaskActionRefused) as refused:
        services.perform(actor=cast.supervisor, task=requested, action=Action.RETURN, note=note)
    assert refused.value.message == gettext("Say why the task is returned.")
    requested.refresh_from_db()
    assert requested.state == State.COMPLETION_REQUESTED
    assert events_of(requested) == events


def test_the_reason_of_a_return_is_kept_trimmed(cast, requested):
    services.perform(
        actor=cast.supervisor, task=requested, action=Action.RETURN, note="  缺少照片  "
    )
    event = requested.events.get(action=Action.RETURN)
    assert event.note == "缺少照片"


@pytest.mark.parametrize(
    ("timeliness", "quality"),
    [(None, 80), (80, None), ("", 80), (-1, 80), (101, 80), (80, 101), ("九十", 80), ("90.5", 80)],
)
def test_closing_needs_two_whole_scores_from_0_to_100(cast, requested, timeliness, quality):
    events = events_of(requested)
    with pytest.raises(TaskActionRefused):
        services.perform(
            actor=cast.supervisor,
            task=requested,
            action=Action.CLOSE,
            score_timeliness=timeliness,
            score_quality=quality,
        )
    requested.refresh_from_db()
    assert requested.state == State.COMPLETION_REQUESTED
    assert requested.score_timeliness is None and requested.score_quality is None
    assert events_of(requested) == events


@pytest.mark.parametrize(("timeliness", "quality"), [(0, 100), (100, 0), ("75", "60")])
def test_closing_accepts_the_bounds(cast, requested, timeliness, quality):
    task = services.perform(
        actor=cast.supervisor,
        task=requested,
        action=Action.CLOSE,
        score_timeliness=timeliness,
        score_quality=quality,
        today=TODAY,
    )
    assert (task.score_timeliness, task.score_quality) == (int(timeliness), int(quality))
    assert task.closed_on == TODAY
    assert task.progress == 100
    assert task.next_report_due is None


def test_completion_needs_evidence(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, State.IN_PROGRESS)
    with pytest.raises(TaskActionRefused) as refused:
        services.perform(actor=cast.encheng_staff, task=task, action=Action.REQUEST_COMPLETION)
    assert refused.value.message == gettext(
        "Attach the evidence of completion before requesting completion."
    )
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    assert not task.attachments.exists()


def test_evidence_is_stored_as_evidence_with_its_uploader(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, State.IN_PROGRESS)
    services.perform(
        actor=cast.encheng_staff,
        task=task,
        action=Action.REQUEST_COMPLETION,
        evidence=[evidence("验收报告.pdf"), evidence("现场照片.jpg", b"\xff\xd8\xff photo")],
    )
    files = list(task.attachments.order_by("original_name"))
    assert [f.original_name for f in files] == ["现场照片.jpg", "验收报告.pdf"]
    assert all(f.is_evidence and f.report is None for f in files)
    assert {f.uploaded_by for f in files} == {cast.encheng_staff}


def test_a_bad_evidence_file_refuses_the_whole_step(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, State.IN_PROGRESS)
    with pytest.raises(TaskActionRefused):
        services.perform(
            actor=cast.encheng_staff,
            task=task,
            action=Action.REQUEST_COMPLETION,
            evidence=[evidence("验收报告.pdf"), evidence("脚本.exe", b"MZ")],
        )
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    assert not task.attachments.exists()


def test_after_a_return_the_earlier_evidence_still_counts(cast, requested):
    services.perform(actor=cast.supervisor, task=requested, action=Action.RETURN, note="补充说明")
    requested.refresh_from_db()
    task = services.perform(
        actor=cast.encheng_staff, task=requested, action=Action.REQUEST_COMPLETION, note="已补充"
    )
    assert task.state == State.COMPLETION_REQUESTED


def test_assigning_sets_the_acknowledgement_date_from_the_rules(cast):
    TaskRules.objects.create(government=cast.enping, acknowledge_days=5)
    task = TaskFactory(lead_unit=cast.encheng, start_date=datetime.date(2024, 3, 1))
    task = services.perform(actor=cast.supervisor, task=task, action=Action.ASSIGN, today=TODAY)
    assert task.assigned_at is not None
    assert task.acknowledge_by == TODAY + datetime.timedelta(days=5)
    assert task.next_report_due == datetime.date(2024, 4, 1)  # monthly from the start
    assert task.acknowledged_at is None


def test_acknowledging_records_when(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng), cast, State.ASSIGNED)
    task = services.perform(actor=cast.encheng_staff, task=task, action=Action.ACKNOWLEDGE)
    assert task.acknowledged_at is not None
    assert task.events.get(action=Action.ACKNOWLEDGE).at == task.acknowledged_at


def test_a_stale_copy_is_refused_and_nothing_is_written(cast, requested):
    loaded = requested.version
    services.perform(actor=cast.supervisor, task=requested, action=Action.RETURN, note="补充")
    requested.refresh_from_db()
    services.perform(actor=cast.encheng_staff, task=requested, action=Action.REQUEST_COMPLETION)
    requested.refresh_from_db()
    events = events_of(requested)
    with pytest.raises(StaleVersionError):
        services.perform(
            actor=cast.supervisor,
            task=requested,
            action=Action.CLOSE,
            score_timeliness=90,
            score_quality=90,
            expected_version=loaded,
        )
    requested.refresh_from_db()
    assert requested.state == State.COMPLETION_REQUESTED
    assert events_of(requested) == events


def test_an_unknown_action_is_refused(cast):
    task = TaskFactory(lead_unit=cast.encheng)
    with pytest.raises(TaskActionRefused):
        services.perform(actor=cast.supervisor, task=task, action="approve_everything")
