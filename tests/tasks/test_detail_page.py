"""The task page: who sees it, its header (state, colour, time status), the buttons and forms each
person gets, the timeline of transitions, reports, reminders and notices, and its query count."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jinwei.supervision.models import Level, Notification, SupervisionNotice
from jinwei.tasks import services
from jinwei.tasks.models import CoUnit, Milestone, Task, TaskEvent
from jinwei.tasks.timing import Colour, TimeStatus
from tests.tasks.factories import TaskFactory, advance, evidence

pytestmark = pytest.mark.django_db

State = Task.State
Action = TaskEvent.Action
IN_GOVERNMENT = [
    "supervisor",
    "admin",
    "leader",
    "viewer",
    "encheng_staff",
    "hengpi_staff",
    "statistician",
]


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def page(cast, role, task):
    return cast.client_for(getattr(cast, role)).get(reverse("tasks:detail", args=[task.pk]))


def task_in(cast, state, **fields):
    return advance(TaskFactory(lead_unit=cast.encheng, **fields), cast, state)


def buttons(response) -> set[str]:
    return set(re.findall(r'class="button[^"]* task-action-(\w+)"', response.content.decode()))


@pytest.mark.parametrize("role", IN_GOVERNMENT)
def test_everyone_in_the_government_sees_the_task(cast, role):
    task = task_in(cast, State.IN_PROGRESS, title="职教园区一期8月完工交付")
    response = page(cast, role, task)
    assert response.status_code == 200
    assert "职教园区一期8月完工交付" in response.content.decode()


def test_another_government_gets_not_found(cast):
    assert page(cast, "outsider", task_in(cast, State.IN_PROGRESS)).status_code == 404


def test_an_unknown_task_is_not_found(cast):
    response = cast.client_for(cast.supervisor).get(reverse("tasks:detail", args=[999999]))
    assert response.status_code == 404


def test_the_header_shows_state_colour_and_time_status(cast):
    overdue = task_in(
        cast, State.IN_PROGRESS, start_date=today() - days(60), deadline=today() - days(3)
    )
    html = page(cast, "viewer", overdue).content.decode()
    assert f'class="task-state state-in_progress">{State.IN_PROGRESS.label}<' in html
    assert f'class="status status-red">{Colour.RED.label}<' in html
    assert f'class="time-status time-overdue">{TimeStatus.OVERDUE.label}<' in html

    fresh = task_in(
        cast, State.IN_PROGRESS, start_date=today() - days(1), deadline=today() + days(100)
    )
    html = page(cast, "viewer", fresh).content.decode()
    assert f'class="status status-green">{Colour.GREEN.label}<' in html
    assert f'class="time-status time-on_track">{TimeStatus.ON_TRACK.label}<' in html

    draft = TaskFactory(lead_unit=cast.encheng)
    html = page(cast, "viewer", draft).content.decode()
    assert 'class="status status-' not in html  # a draft has no colour
    assert f'time-not_started">{TimeStatus.NOT_STARTED.label}<' in html


def test_progress_is_shown_against_elapsed_time(cast):
    task = task_in(
        cast, State.IN_PROGRESS, start_date=today() - days(50), deadline=today() + days(50)
    )
    services.submit_report(
        actor=cast.encheng_staff, task=task, unit=cast.encheng, percent=20, text="进度两成"
    )
    html = page(cast, "viewer", task).content.decode()
    assert 'class="meter-progress" max="100" value="20"' in html
    assert 'class="meter-elapsed" max="100" value="50"' in html
    assert "30" in re.search(r'class="task-time-note">(.*?)</p>', html, re.S).group(1)


def test_the_plan_is_shown_with_co_units_milestones_and_subtasks(cast):
    task = task_in(cast, State.IN_PROGRESS, leader=cast.leader, supervising_unit=cast.supervision)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="负责配套道路建设", progress=35)
    Milestone.objects.create(task=task, title="主体封顶", due_date=datetime.date(2024, 6, 30))
    child = TaskFactory(lead_unit=cast.hengpi, parent=task, title="横陂段道路")
    html = page(cast, "viewer", task).content.decode()
    for text in ("恩城街道", "黎市长", "市委督查室", "横陂镇", "负责配套道路建设", "主体封顶"):
        assert text in html
    assert 'max="100" value="35"' in html
    assert reverse("tasks:detail", args=[child.pk]) in html
    child_page = page(cast, "viewer", child).content.decode()
    assert reverse("tasks:detail", args=[task.pk]) in child_page


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        (State.DRAFT, "supervisor", {"assign"}),
        (State.DRAFT, "encheng_staff", set()),
        (State.ASSIGNED, "encheng_staff", {"acknowledge"}),
        (State.ASSIGNED, "supervisor", set()),
        (State.IN_PROGRESS, "encheng_staff", {"request_completion"}),
        (State.COMPLETION_REQUESTED, "admin", {"return", "close"}),
        (State.COMPLETION_REQUESTED, "encheng_staff", set()),
        (State.COMPLETION_REQUESTED, "leader", set()),
        (State.CLOSED, "supervisor", set()),
    ],
)
def test_buttons_are_the_allowed_actions(cast, state, role, expected):
    response = page(cast, role, task_in(cast, state))
    assert buttons(response) == expected


def test_a_button_opens_its_form_over_htmx(cast):
    task = task_in(cast, State.ASSIGNED)
    html = page(cast, "encheng_staff", task).content.decode()
    url = reverse("tasks:act", args=[task.pk, "acknowledge"])
    assert f'href="{url}" hx-get="{url}" hx-target="#task-action-panel"' in html
    assert 'id="task-action-panel"' in html


@pytest.mark.parametrize(
    ("role", "sees_form"),
    [
        ("encheng_staff", True),
        ("hengpi_staff", True),  # a co-unit
        ("supervisor", False),
        ("leader", False),
        ("statistician", False),
    ],
)
def test_the_report_form_is_for_the_units_that_report(cast, role, sees_form):
    task = task_in(cast, State.IN_PROGRESS)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="配套")
    response = page(cast, role, task)
    assert (response.context["report_form"] is not None) is sees_form
    assert ('class="task-form task-report-form"' in response.content.decode()) is sees_form


def test_a_co_unit_reports_for_its_own_unit_only(cast):
    task = task_in(cast, State.IN_PROGRESS)
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="配套")
    form = page(cast, "hengpi_staff", task).context["report_form"]
    assert list(form.fields["unit"].choices) == [(cast.hengpi.pk, "横陂镇")]


def test_no_report_form_outside_progress(cast):
    task = task_in(cast, State.ASSIGNED)
    assert page(cast, "encheng_staff", task).context["report_form"] is None


@pytest.mark.parametrize(("role", "sees_form"), [("encheng_staff", True), ("supervisor", False)])
def test_the_change_request_form_is_for_the_lead_unit_s_staff(cast, role, sees_form):
    response = page(cast, role, task_in(cast, State.IN_PROGRESS))
    assert (response.context["change_form"] is not None) is sees_form


def test_a_pending_request_is_shown_with_the_decision_for_supervisors(cast):
    task = task_in(cast, State.IN_PROGRESS)
    services.request_change(
        actor=cast.encheng_staff,
        task=task,
        kind="postpone",
        reason="设备到货延迟",
        new_deadline=task.deadline + days(30),
    )
    supervisor = page(cast, "supervisor", task).content.decode()
    assert "设备到货延迟" in supervisor
    assert 'class="task-form task-decision-form"' in supervisor
    staff = page(cast, "encheng_staff", task)
    assert "设备到货延迟" in staff.content.decode()
    assert 'task-decision-form"' not in staff.content.decode()
    assert staff.context["change_form"] is None  # one request at a time


def test_files_are_linked_only_for_those_who_may_open_them(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    evidence_file = task.attachments.get()
    link = reverse("tasks:attachment", args=[evidence_file.pk])
    for role in ("encheng_staff", "supervisor", "leader"):
        assert link in page(cast, role, task).content.decode(), role
    for role in ("hengpi_staff", "viewer", "statistician"):
        response = page(cast, role, task)
        assert link not in response.content.decode(), role
        assert "task-files-hidden" in response.content.decode(), role


def test_the_timeline_merges_transitions_reports_reminders_and_notices(cast):
    task = task_in(cast, State.IN_PROGRESS)
    services.submit_report(
        actor=cast.encheng_staff,
        task=task,
        unit=cast.encheng,
        percent=35,
        text="完成桩基施工",
        problems="需协调电力接入",
        files=[evidence("桩基验收.pdf")],
    )
    for person in (cast.encheng_staff, cast.supervisor):
        Notification.objects.create(
            recipient=person,
            government=cast.enping,
            task=task,
            kind=Notification.Kind.DEADLINE_SOON,
            message="距截止还有3天",
            key=f"deadline-{task.pk}",
        )
    notice = SupervisionNotice.objects.create(
        government=cast.enping,
        task=task,
        level=Level.BLUE,
        year=2024,
        serial=7,
        deadline=task.deadline,
        issued_on=task.deadline + days(1),
        days_overdue=1,
        addressed_to=SupervisionNotice.AddressedTo.UNIT,
        addressed_unit=cast.encheng,
        reason="逾期未办结",
    )
    response = page(cast, "encheng_staff", task)
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert sorted(kinds) == ["event", "event", "notice", "reminder", "report"]
    html = response.content.decode()
    for text in ("完成桩基施工", "需协调电力接入", "桩基验收.pdf", "距截止还有3天", "逾期未办结"):
        assert text in html
    assert reverse("supervision:notice", args=[notice.pk]) in html
    reminder = next(e for e in response.context["timeline"] if e.kind == "reminder")
    assert sorted(reminder.recipients) == sorted([str(cast.encheng_staff), str(cast.supervisor)])
    stamps = [entry.at for entry in response.context["timeline"]]
    assert stamps == sorted(stamps, reverse=True)


def test_the_timeline_shows_the_return_reason(cast):
    task = task_in(cast, State.COMPLETION_REQUESTED)
    services.perform(
        actor=cast.supervisor, task=task, action=Action.RETURN, note="缺少竣工验收报告"
    )
    html = page(cast, "viewer", task).content.decode()
    assert "缺少竣工验收报告" in html


def grow(cast, task, n):
    for i in range(n):
        report = services.submit_report(
            actor=cast.encheng_staff,
            task=task,
            unit=cast.encheng,
            percent=min(100, i),
            text=f"第{i}次进展",
            files=[evidence(f"附件{i}.pdf")],
        )
        Notification.objects.create(
            recipient=cast.encheng_staff,
            government=cast.enping,
            task=task,
            kind=Notification.Kind.REPORT_SOON,
            message="请按时报送进展",
            key=f"report-{task.pk}-{report.pk}",
        )
        task.refresh_from_db()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["encheng_staff", "supervisor", "viewer"])
def test_the_page_s_queries_do_not_grow_with_the_history(cast, role, django_assert_max_num_queries):
    small = task_in(cast, State.IN_PROGRESS, code="SMALL")
    large = task_in(cast, State.IN_PROGRESS, code="LARGE")
    for task in (small, large):
        CoUnit.objects.create(task=task, unit=cast.hengpi, part="配套")
        Milestone.objects.create(task=task, title="节点", due_date=task.deadline)
    grow(cast, small, 3)
    grow(cast, large, 30)
    client = cast.client_for(getattr(cast, role))
    client.get(reverse("tasks:detail", args=[small.pk]))  # warm the content-type cache
    bound = queries_for(client, reverse("tasks:detail", args=[small.pk]))
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("tasks:detail", args=[large.pk]))
    assert len([e for e in response.context["timeline"] if e.kind == "report"]) == 30
