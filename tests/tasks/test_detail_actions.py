"""The task page's forms: loop actions, progress reports, change requests and decisions, as plain
posts (redirect with a message) and over htmx (the form comes back in place with HTTP 400)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from jinwei.tasks import services
from jinwei.tasks.models import ChangeRequest, CoUnit, ProgressReport, Task, TaskEvent
from tests.tasks.factories import TaskFactory, advance, evidence

pytestmark = pytest.mark.django_db

State = Task.State
Action = TaskEvent.Action
HTMX = {"HTTP_HX_REQUEST": "true"}


def task_in(cast, state, **fields):
    return advance(TaskFactory(lead_unit=cast.encheng, **fields), cast, state)


def act_url(task, action):
    return reverse("tasks:act", args=[task.pk, action])


def client(cast, role):
    return cast.client_for(getattr(cast, role))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- loop actions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("encheng_staff", 200),
        ("supervisor", 403),
        ("hengpi_staff", 403),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_the_action_form_opens_only_for_who_may_act(cast, role, status):
    task = task_in(cast, State.ASSIGNED)
    response = client(cast, role).get(act_url(task, "acknowledge"))
    assert response.status_code == status


def test_an_unknown_action_is_not_found(cast):
    task = task_in(cast, State.ASSIGNED)
    assert client(cast, "supervisor").get(act_url(task, "approve")).status_code == 404
    assert client(cast, "supervisor").post(act_url(task, "approve")).status_code == 404


def test_the_action_form_is_a_fragment_for_htmx_and_a_page_otherwise(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    fragment = client(cast, "supervisor").get(act_url(task, "close"), **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'name="score_timeliness"' in fragment.content.decode()
    full = client(cast, "supervisor").get(act_url(task, "close"))
    assert "<html" in full.content.decode()
    assert f'name="version" value="{task.version}"' in full.content.decode()


def test_acknowledging_redirects_to_the_task_with_a_message(cast):
    task = task_in(cast, State.ASSIGNED)
    response = client(cast, "encheng_staff").post(
        act_url(task, "acknowledge"), {"note": "已签收", "version": task.version}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tasks:detail", args=[task.pk])
    assert messages_of(response) == [gettext("The task was acknowledged; it is now in progress.")]
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    assert task.events.get(action=Action.ACKNOWLEDGE).note == "已签收"


def test_over_htmx_a_success_redirects_the_whole_page(cast):
    task = task_in(cast, State.DRAFT)
    response = client(cast, "supervisor").post(act_url(task, "assign"), {"note": ""}, **HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == reverse("tasks:detail", args=[task.pk])
    task.refresh_from_db()
    assert task.state == State.ASSIGNED


def test_a_return_without_reason_comes_back_with_the_error(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    response = client(cast, "supervisor").post(act_url(task, "return"), {"note": ""}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert "data-swap-errors" in html
    assert response.context["form"].errors["note"] == [gettext("Say why the task is returned.")]
    task.refresh_from_db()
    assert task.state == State.COMPLETION_REQUESTED


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"score_quality": 80}, "score_timeliness"),
        ({"score_timeliness": 101, "score_quality": 80}, "score_timeliness"),
        ({"score_timeliness": 80, "score_quality": -5}, "score_quality"),
    ],
)
def test_closing_without_good_scores_shows_the_error_at_the_field(cast, scores, field):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    response = client(cast, "supervisor").post(act_url(task, "close"), scores)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    task.refresh_from_db()
    assert task.state == State.COMPLETION_REQUESTED


def test_closing_with_scores(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    response = client(cast, "admin").post(
        act_url(task, "close"), {"score_timeliness": 100, "score_quality": 85, "note": "优秀"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.score_timeliness, task.score_quality) == (State.CLOSED, 100, 85)


def test_requesting_completion_uploads_the_evidence(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(
        act_url(task, "request_completion"),
        {
            "note": "已完工",
            "evidence": [evidence("竣工验收.pdf"), evidence("照片.png", b"\x89PNG")],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == State.COMPLETION_REQUESTED
    names = sorted(
        task.attachments.filter(is_evidence=True).values_list("original_name", flat=True)
    )
    assert names == ["照片.png", "竣工验收.pdf"]


def test_requesting_completion_without_evidence_says_so(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(act_url(task, "request_completion"), {})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        gettext("Attach the evidence of completion before requesting completion.")
    ]


def test_evidence_of_a_refused_type_is_refused_at_the_field(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(
        act_url(task, "request_completion"), {"evidence": [evidence("脚本.exe", b"MZ")]}
    )
    assert response.status_code == 400
    assert "脚本.exe" in response.context["form"].errors["evidence"][0]
    assert not task.attachments.exists()


@pytest.mark.parametrize("role", ["hengpi_staff", "leader", "encheng_staff"])
def test_a_post_from_someone_not_allowed_is_refused_with_the_reason(cast, role):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    response = client(cast, role).post(
        act_url(task, "close"), {"score_timeliness": 90, "score_quality": 90}
    )
    assert response.status_code == 400
    [message] = response.context["form"].non_field_errors()
    assert str(services.WHO_LABELS[services.SUPERVISOR]) in message
    task.refresh_from_db()
    assert task.state == State.COMPLETION_REQUESTED


def test_a_post_from_another_government_is_not_found(cast):
    task = task_in(cast, State.DRAFT)
    assert client(cast, "outsider").post(act_url(task, "assign")).status_code == 404


def test_a_stale_form_is_refused_with_what_changed(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    loaded = task.version
    services.perform(actor=cast.admin, task=task, action=Action.RETURN, note="补材料")
    task.refresh_from_db()
    services.perform(actor=cast.encheng_staff, task=task, action=Action.REQUEST_COMPLETION)
    response = client(cast, "supervisor").post(
        act_url(task, "close"),
        {"score_timeliness": 90, "score_quality": 90, "version": loaded},
    )
    assert response.status_code == 400
    [message] = response.context["form"].non_field_errors()
    assert str(loaded) in message
    task.refresh_from_db()
    assert task.state == State.COMPLETION_REQUESTED


# --- progress reports -----------------------------------------------------------------------


def report_url(task):
    return reverse("tasks:report", args=[task.pk])


def test_the_lead_unit_reports_with_files(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(
        report_url(task),
        {
            "unit": cast.encheng.pk,
            "percent": 60,
            "text": "厂房主体完工",
            "problems": "需协调供电",
            "attachments": [evidence("现场.pdf")],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task)
    assert (report.percent, report.text, report.problems) == (60, "厂房主体完工", "需协调供电")
    assert [a.original_name for a in report.attachments.all()] == ["现场.pdf"]
    task.refresh_from_db()
    assert task.progress == 60


def test_a_co_unit_reports_for_its_part(cast):
    task = task_in(cast, State.IN_PROGRESS)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="道路")
    response = client(cast, "hengpi_staff").post(
        report_url(task), {"unit": cast.hengpi.pk, "percent": 80, "text": "道路基层完成"}
    )
    assert response.status_code == 302
    assert task.co_units.get().progress == 80


def test_a_unit_one_does_not_report_for_is_not_a_choice(cast):
    task = task_in(cast, State.IN_PROGRESS)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="道路")
    response = client(cast, "hengpi_staff").post(
        report_url(task), {"unit": cast.encheng.pk, "percent": 80, "text": "越权"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert not ProgressReport.objects.exists()


def test_report_errors_come_back_in_place_over_htmx(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(
        report_url(task), {"unit": cast.encheng.pk, "percent": 120, "text": ""}, **HTMX
    )
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    errors = response.context["form"].errors
    assert set(errors) == {"percent", "text"}


def test_reporting_outside_progress_is_refused_with_the_reason(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    response = client(cast, "encheng_staff").post(
        report_url(task), {"unit": cast.encheng.pk, "percent": 90, "text": "补充"}
    )
    assert response.status_code == 400
    assert str(task.get_state_display()) in response.context["form"].non_field_errors()[0]


@pytest.mark.parametrize(
    ("role", "status"),
    [("encheng_staff", 200), ("supervisor", 403), ("viewer", 403), ("outsider", 404)],
)
def test_the_report_page_opens_for_reporting_units(cast, role, status):
    task = task_in(cast, State.IN_PROGRESS)
    assert client(cast, role).get(report_url(task)).status_code == status


# --- postponement and cancellation ----------------------------------------------------------


def change_url(task):
    return reverse("tasks:change_request", args=[task.pk])


def test_the_lead_unit_asks_for_a_postponement(cast):
    task = task_in(cast, State.IN_PROGRESS)
    new_deadline = task.deadline + datetime.timedelta(days=45)
    response = client(cast, "encheng_staff").post(
        change_url(task), {"kind": "postpone", "reason": "设计变更", "new_deadline": new_deadline}
    )
    assert response.status_code == 302
    change = task.change_requests.get()
    assert (change.kind, change.new_deadline, change.reason) == (
        "postpone",
        new_deadline,
        "设计变更",
    )


def test_a_postponement_without_a_new_deadline_is_refused_at_the_field(cast):
    task = task_in(cast, State.IN_PROGRESS)
    response = client(cast, "encheng_staff").post(
        change_url(task), {"kind": "postpone", "reason": "设计变更"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["new_deadline"]
    assert not task.change_requests.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("supervisor", 403), ("hengpi_staff", 403), ("leader", 403), ("outsider", 404)],
)
def test_only_the_lead_unit_s_staff_ask(cast, role, status):
    task = task_in(cast, State.IN_PROGRESS)
    data = {"kind": "cancel", "reason": "不再需要"}
    assert client(cast, role).get(change_url(task)).status_code == status
    assert client(cast, role).post(change_url(task), data).status_code == status
    assert not task.change_requests.exists()


def test_a_second_request_is_refused_while_one_waits(cast):
    task = task_in(cast, State.IN_PROGRESS)
    staff = client(cast, "encheng_staff")
    assert staff.post(change_url(task), {"kind": "cancel", "reason": "一"}).status_code == 302
    assert staff.get(change_url(task)).status_code == 403
    second = staff.post(change_url(task), {"kind": "cancel", "reason": "二"})
    assert second.status_code == 400
    assert task.change_requests.count() == 1


def pending_request(cast, kind="postpone"):
    task = task_in(cast, State.IN_PROGRESS)
    change = services.request_change(
        actor=cast.encheng_staff,
        task=task,
        kind=kind,
        reason="资金未到位",
        new_deadline=task.deadline + datetime.timedelta(days=30) if kind == "postpone" else None,
    )
    return task, change


def decide_url(change):
    return reverse("tasks:decide", args=[change.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supervisor", 200),
        ("admin", 200),
        ("encheng_staff", 403),
        ("leader", 403),
        ("outsider", 404),
    ],
)
def test_the_decision_page_is_for_supervisors(cast, role, status):
    _task, change = pending_request(cast)
    assert client(cast, role).get(decide_url(change)).status_code == status
    if status != 200:
        response = client(cast, role).post(decide_url(change), {"decision": "approve"})
        assert response.status_code == status
        change.refresh_from_db()
        assert change.status == ChangeRequest.Status.PENDING


def test_approving_a_postponement_moves_the_deadline(cast):
    task, change = pending_request(cast)
    original = task.deadline
    response = client(cast, "supervisor").post(decide_url(change), {"decision": "approve"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (change.new_deadline, original)


def test_approving_a_cancellation_cancels(cast):
    task, change = pending_request(cast, kind="cancel")
    client(cast, "supervisor").post(decide_url(change), {"decision": "approve"})
    task.refresh_from_db()
    assert task.state == State.CANCELLED


def test_rejecting_needs_a_note(cast):
    task, change = pending_request(cast)
    response = client(cast, "supervisor").post(decide_url(change), {"decision": "reject"}, **HTMX)
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    ok = client(cast, "supervisor").post(decide_url(change), {"decision": "reject", "note": "不批"})
    assert ok.status_code == 302
    change.refresh_from_db()
    task.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert task.deadline != change.new_deadline


def test_a_decided_request_sends_back_to_the_task(cast):
    task, change = pending_request(cast)
    services.decide_change(actor=cast.supervisor, change=change, approve=True)
    response = client(cast, "admin").get(decide_url(change))
    assert response.status_code == 302
    assert response.url == reverse("tasks:detail", args=[task.pk])
    again = client(cast, "admin").post(decide_url(change), {"decision": "reject", "note": "改"})
    assert again.status_code == 400
    assert again.context["form"].non_field_errors() == [
        gettext("This request has already been decided.")
    ]
