"""The tasks API: list with filters and pages, one task, loop steps, progress reports; the same
rights as the pages (403 for the wrong role, 409 for the wrong state, 404 outside the
government), session with CSRF and bearer tokens."""

from __future__ import annotations

import datetime
from typing import get_args

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinwei.accounts.services import api_token_create
from jinwei.tasks import services
from jinwei.tasks.api import Action
from jinwei.tasks.models import ProgressReport, Task, TaskEvent
from tests.tasks.factories import GoalFactory, TaskFactory, advance, evidence

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def url(path: str = "") -> str:
    return f"/api/v1/tasks/{path}"


def english(client: Client) -> Client:
    """Answers in English, the msgids the tests compare with."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(cast, user) -> Client:
    return english(cast.client_for(user))


def bearer(user) -> Client:
    _token, raw = api_token_create(actor=user, user=user, name="script")
    return english(Client(headers={"Authorization": f"Bearer {raw}"}))


@pytest.fixture
def running(cast) -> Task:
    """恩城街道's task in progress, with 横陂镇 as co-unit."""
    task = TaskFactory(lead_unit=cast.encheng, code="R-1", start_date=days(-30), deadline=days(60))
    services.update_task(
        actor=cast.supervisor,
        task=task,
        changes={"leader": cast.leader},
        expected_version=None,
        co_units=[services.CoUnitPart(cast.hengpi, "负责征地")],
        milestones=[services.PlannedMilestone("主体完工", days(30))],
    )
    return advance(Task.objects.get(pk=task.pk), cast, Task.State.IN_PROGRESS)


def test_the_list_is_paginated_and_filtered(cast):
    goal = GoalFactory(government=cast.enping)
    for n in range(55):
        TaskFactory(lead_unit=cast.encheng, start_date=days(-10), deadline=days(n + 1))
    TaskFactory(lead_unit=cast.hengpi, goal=goal, start_date=days(-10), deadline=days(3))
    TaskFactory(lead_unit=cast.outsider.memberships.get().unit)  # 台山: never listed
    client = client_for(cast, cast.viewer)
    first = client.get(url()).json()
    assert first["count"] == 56 and len(first["items"]) == 50
    second = client.get(url(), {"page": 2}).json()
    assert len(second["items"]) == 6
    deadlines = [t["deadline"] for t in first["items"] + second["items"]]
    assert deadlines == sorted(deadlines)
    by_unit = client.get(url(), {"unit": cast.hengpi.pk}).json()
    assert [t["lead_unit"]["name"] for t in by_unit["items"]] == ["横陂镇"]
    assert client.get(url(), {"goal": goal.pk}).json()["count"] == 1
    assert client.get(url(), {"state": "draft"}).json()["count"] == 56
    assert client.get(url(), {"state": "closed"}).json()["count"] == 0
    assert client.get(url(), {"state": "nonsense"}).status_code == 422


def test_the_colour_filter_agrees_with_the_colour_shown(cast):
    red = advance(
        TaskFactory(lead_unit=cast.encheng, start_date=days(-100), deadline=days(-1)),
        cast,
        Task.State.ASSIGNED,
    )
    yellow = advance(
        TaskFactory(lead_unit=cast.encheng, start_date=days(-1), deadline=days(5)),
        cast,
        Task.State.ASSIGNED,
    )
    green = advance(
        TaskFactory(lead_unit=cast.hengpi, start_date=days(-1), deadline=days(300)),
        cast,
        Task.State.ASSIGNED,
    )
    TaskFactory(lead_unit=cast.encheng, start_date=days(-100), deadline=days(-1))  # a draft
    client = client_for(cast, cast.supervisor)
    for colour, task in (("red", red), ("yellow", yellow), ("green", green)):
        items = client.get(url(), {"colour": colour}).json()["items"]
        assert [(t["id"], t["colour"]) for t in items] == [(task.pk, colour)]
    reds = client.get(url(), {"colour": "red", "unit": cast.encheng.pk}).json()
    assert reds["items"][0]["time_status"] == "overdue"


def test_mine_keeps_the_tasks_of_the_callers_units(cast, running):
    TaskFactory(lead_unit=cast.stats_bureau)
    items = client_for(cast, cast.hengpi_staff).get(url(), {"mine": "true"}).json()["items"]
    assert [t["code"] for t in items] == ["R-1"]  # 横陂镇 is a co-unit of it


def test_the_list_costs_the_same_queries_for_many_tasks(cast, django_assert_num_queries):
    client = client_for(cast, cast.supervisor)

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(), {"colour": "red", "page_size": 100})
        assert response.status_code == 200
        return len(captured)

    advance(TaskFactory(lead_unit=cast.encheng, deadline=days(-1)), cast, Task.State.ASSIGNED)
    few = queries_for_a_page()
    for n in range(40):
        task = TaskFactory(lead_unit=cast.hengpi, start_date=days(-50), deadline=days(-n - 2))
        advance(task, cast, Task.State.ASSIGNED)
    assert client.get(url(), {"colour": "red"}).json()["count"] == 41
    assert queries_for_a_page() == few
    with django_assert_num_queries(few):
        client.get(url(), {"colour": "red", "page_size": 100})


def test_one_task_with_its_parts(cast, running):
    services.submit_report(
        actor=cast.encheng_staff, task=running, unit=cast.encheng, percent=40, text="主体结构封顶"
    )
    client = client_for(cast, cast.leader)
    data = client.get(url(f"{running.pk}")).json()
    assert (data["code"], data["state"], data["progress"]) == ("R-1", "in_progress", 40)
    assert data["co_units"] == [
        {"unit": {"id": cast.hengpi.pk, "name": "横陂镇"}, "part": "负责征地", "progress": 0}
    ]
    assert data["milestones"][0]["title"] == "主体完工"
    assert data["latest_reports"][0]["text"] == "主体结构封顶"
    assert [e["action"] for e in data["events"]] == ["assign", "acknowledge", "report"]
    assert data["leader"]["username"] == "alice"
    assert data["allowed_actions"] == []  # a leader reads
    staff = client_for(cast, cast.encheng_staff).get(url(f"{running.pk}")).json()
    assert staff["allowed_actions"] == ["request_completion"]


def test_another_governments_task_is_not_found(cast, running):
    client = client_for(cast, cast.outsider)
    assert client.get(url(f"{running.pk}")).status_code == 404
    assert client.get(url(f"{running.pk}/reports")).status_code == 404
    response = client.post(
        url(f"{running.pk}/actions"), {"action": "return"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_loop_through_the_api(cast):
    task = TaskFactory(lead_unit=cast.encheng, start_date=days(-5), deadline=days(30))
    supervisor, staff = client_for(cast, cast.supervisor), client_for(cast, cast.encheng_staff)

    def act(client, action, **extra):
        return client.post(
            url(f"{task.pk}/actions"),
            {"action": action, **extra},
            content_type="application/json",
        )

    assigned = act(supervisor, "assign", note="会议交办", version=1)
    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"
    assert act(staff, "acknowledge").json()["state"] == "in_progress"
    refused = act(staff, "request_completion")
    assert refused.status_code == 400 and "evidence" in refused.json()["detail"]
    services.add_attachment(
        actor=cast.encheng_staff, task=Task.objects.get(pk=task.pk), upload=evidence(),
        is_evidence=True,
    )  # fmt: skip
    assert act(staff, "request_completion").json()["state"] == "completion_requested"
    no_reason = act(supervisor, "return")
    assert no_reason.status_code == 400
    assert act(supervisor, "return", note="材料不全").json()["state"] == "in_progress"
    act(staff, "request_completion")
    no_scores = act(supervisor, "close", score_timeliness=90)
    assert no_scores.status_code == 400
    closed = act(supervisor, "close", score_timeliness=90, score_quality=85).json()
    assert (closed["state"], closed["score_quality"], closed["progress"]) == ("closed", 85, 100)
    actions = list(TaskEvent.objects.filter(task=task).values_list("action", flat=True))
    assert actions == [
        "assign", "acknowledge", "request_completion", "return", "request_completion", "close",
    ]  # fmt: skip


def test_wrong_role_is_403_and_wrong_state_is_409(cast, running):
    def act(user, action, **extra):
        client = client_for(cast, user)
        return client.post(
            url(f"{running.pk}/actions"),
            {"action": action, **extra},
            content_type="application/json",
        )

    for user in (cast.hengpi_staff, cast.leader, cast.viewer, cast.supervisor):
        response = act(user, "request_completion")
        assert response.status_code == 403, user
        assert "lead unit" in response.json()["detail"]
    wrong_state = act(cast.supervisor, "close", score_timeliness=1, score_quality=1)
    assert wrong_state.status_code == 409 and "In progress" in wrong_state.json()["detail"]
    assert act(cast.supervisor, "dance").status_code == 422
    assert Task.objects.get(pk=running.pk).state == Task.State.IN_PROGRESS


def test_a_stale_version_is_409(cast):
    task = TaskFactory(lead_unit=cast.encheng)
    client = client_for(cast, cast.supervisor)
    response = client.post(
        url(f"{task.pk}/actions"),
        {"action": "assign", "version": 7},
        content_type="application/json",
    )
    assert response.status_code == 409 and "someone else" in response.json()["detail"]
    assert Task.objects.get(pk=task.pk).state == Task.State.DRAFT


def test_the_api_actions_are_the_loops_actions():
    assert set(get_args(Action)) == set(services.LOOP_ACTIONS)


def test_lead_and_co_unit_report_progress(cast, running):
    lead = client_for(cast, cast.encheng_staff)
    response = lead.post(
        url(f"{running.pk}/reports"),
        {"percent": 35, "text": "完成地基", "problems": "需协调用地"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["unit"]["name"] == "恩城街道" and response.json()["percent"] == 35
    co = client_for(cast, cast.hengpi_staff)
    response = co.post(
        url(f"{running.pk}/reports"), {"percent": 50, "text": "征地过半"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["unit"]["name"] == "横陂镇"
    running.refresh_from_db()
    assert running.progress == 35 and running.co_units.get().progress == 50
    listing = lead.get(url(f"{running.pk}/reports")).json()
    assert listing["count"] == 2
    assert {r["text"] for r in listing["items"]} == {"完成地基", "征地过半"}


def test_report_refusals(cast, running):
    def post(user, **body):
        client = client_for(cast, user)
        return client.post(
            url(f"{running.pk}/reports"),
            {"percent": 10, "text": "进展", **body},
            content_type="application/json",
        )

    assert post(cast.statistician).status_code == 403
    assert post(cast.supervisor).status_code == 403
    assert post(cast.encheng_staff, unit_id=cast.hengpi.pk).status_code == 403
    assert post(cast.encheng_staff, percent=101).status_code == 422
    assert post(cast.encheng_staff, text="").status_code == 422
    draft = TaskFactory(lead_unit=cast.encheng)
    client = client_for(cast, cast.encheng_staff)
    response = client.post(
        url(f"{draft.pk}/reports"), {"percent": 5, "text": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409 and "Draft" in response.json()["detail"]
    assert ProgressReport.objects.count() == 0


def test_a_session_write_needs_the_csrf_token(cast, running):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.encheng_staff)
    response = client.post(
        url(f"{running.pk}/reports"), {"percent": 5, "text": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_a_token_reads_and_writes_without_csrf(cast, running):
    client = bearer(cast.encheng_staff)
    assert client.get(url())["Content-Type"] == "application/json; charset=utf-8"
    response = client.post(
        url(f"{running.pk}/reports"), {"percent": 20, "text": "脚本上报"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    assert ProgressReport.objects.get().author == cast.encheng_staff


def test_anonymous_callers_get_401(cast, running):
    client = Client()
    assert client.get(url()).status_code == 401
    assert client.get(url(f"{running.pk}")).status_code == 401
    bad = Client(headers={"Authorization": "Bearer jw_not-a-token"})
    assert bad.get(url()).status_code == 401


def test_the_openapi_document_lists_the_task_endpoints(cast):
    paths = bearer(cast.viewer).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/tasks/", "/api/v1/tasks/{task_id}", "/api/v1/tasks/{task_id}/actions"} <= set(
        paths
    )
    assert "post" in paths["/api/v1/tasks/{task_id}/reports"]
