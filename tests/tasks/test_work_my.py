"""My work: what each person must do, soonest first, capped with links to the full list, in a
number of queries that does not grow with the number of tasks."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jinwei.tasks import services, work_selectors
from jinwei.tasks.models import Task, TaskEvent
from tests.tasks.factories import TaskFactory, advance
from tests.tasks.work_helpers import co_unit, days, green, make_task, overdue, red, today

pytestmark = pytest.mark.django_db
URL = reverse("tasks:my_work")


def work_of(cast, user):
    response = cast.client_for(user).get(URL)
    assert response.status_code == 200
    return response


def section(response, key):
    return next((s for s in response.context["work"].sections if s.key == key), None)


def shown(response, key):
    found = section(response, key)
    return [item.task.code for item in found.items] if found else []


def test_unit_staff_see_what_to_acknowledge_with_the_date(cast):
    make_task(cast.encheng, code="ACK-2", state=Task.State.ASSIGNED, acknowledge_by=days(2))
    make_task(cast.encheng, code="ACK-1", state=Task.State.ASSIGNED, acknowledge_by=days(-1))
    make_task(cast.hengpi, code="HP", state=Task.State.ASSIGNED, acknowledge_by=days(1))
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "acknowledge") == ["ACK-1", "ACK-2"]  # soonest first
    first = section(response, "acknowledge").items[0]
    assert first.due == days(-1) and first.is_past_due
    html = response.content.decode()
    assert reverse("tasks:detail", args=[first.task.pk]) in html
    assert days(-1).isoformat() in html
    assert shown(work_of(cast, cast.hengpi_staff), "acknowledge") == ["HP"]


def test_a_task_assigned_through_the_loop_appears_to_the_lead_unit(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng, code="LOOP"), cast, Task.State.ASSIGNED)
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "acknowledge") == ["LOOP"]
    assert section(response, "acknowledge").items[0].due == task.acknowledge_by


def test_reports_due_within_a_week_or_late(cast):
    green(cast.encheng, code="LATE", next_report_due=days(-3))
    green(cast.encheng, code="SOON", next_report_due=days(5))
    green(cast.encheng, code="LATER", next_report_due=days(20))
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "reports") == ["LATE", "SOON"]


def test_deadlines_near_or_passed(cast):
    overdue(cast.encheng, code="OVER")
    make_task(cast.encheng, code="NEAR", deadline=days(3), progress=95)
    green(cast.encheng, code="FAR")
    make_task(
        cast.encheng, code="DONE", state=Task.State.CLOSED, deadline=days(1), closed_on=today()
    )
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "deadlines") == ["OVER", "NEAR"]
    colours = [item.timing.colour.value for item in section(response, "deadlines").items]
    assert colours == ["red", "yellow"]


def test_returned_tasks_show_the_reason(cast):
    task = advance(TaskFactory(lead_unit=cast.encheng, code="RET"), cast, "completion_requested")
    services.perform(actor=cast.supervisor, task=task, action="return", note="缺少验收报告")
    advance(TaskFactory(lead_unit=cast.encheng, code="NEW"), cast, Task.State.IN_PROGRESS)
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "returned") == ["RET"]
    assert section(response, "returned").items[0].note == "缺少验收报告"
    assert "缺少验收报告" in response.content.decode()


def test_co_units_see_their_part(cast):
    task = green(cast.hengpi, code="CO")
    co_unit(task, cast.encheng, "负责征地拆迁")
    green(cast.hengpi, code="NOT-MINE")
    response = work_of(cast, cast.encheng_staff)
    assert shown(response, "co_units") == ["CO"]
    assert "负责征地拆迁" in section(response, "co_units").items[0].note
    assert shown(work_of(cast, cast.hengpi_staff), "co_units") == []


def test_supervisors_see_reviews_requests_red_tasks_and_drafts(cast):
    make_task(cast.encheng, code="REVIEW", state=Task.State.COMPLETION_REQUESTED)
    red(cast.hengpi, code="RED")
    make_task(cast.encheng, code="DRAFT", state=Task.State.DRAFT)
    asking = advance(TaskFactory(lead_unit=cast.encheng, code="ASK"), cast, "in_progress")
    services.request_change(
        actor=cast.encheng_staff, task=asking, kind="postpone", reason="征地延误",
        new_deadline=asking.deadline + datetime.timedelta(days=30),
    )  # fmt: skip
    response = work_of(cast, cast.supervisor)
    assert shown(response, "review") == ["REVIEW"]
    assert shown(response, "requests") == ["ASK"]
    assert section(response, "requests").items[0].note == "征地延误"
    assert "RED" in shown(response, "red")
    assert shown(response, "drafts") == ["DRAFT"]
    assert shown(response, "acknowledge") == []  # the office itself leads no task here
    assert response.context["may_see_red"]


def test_leaders_see_the_red_summary_and_their_own_tasks(cast):
    red(cast.encheng, code="R1")
    red(cast.encheng, code="R2")
    overdue(cast.hengpi, code="R3", leader=cast.leader)
    green(cast.hengpi, code="G", leader=cast.leader)
    response = work_of(cast, cast.leader)
    work = response.context["work"]
    assert work.red_total == 3
    assert [(c.unit_name, c.count) for c in work.red_by_unit] == [("恩城街道", 2), ("横陂镇", 1)]
    assert shown(response, "leading") == ["R3", "G"]
    assert section(response, "review") is None


def test_a_viewer_has_nothing_to_do(cast):
    red(cast.encheng)
    response = work_of(cast, cast.viewer)
    assert response.context["work"].is_empty
    assert not response.context["may_see_red"]


def test_outsiders_see_nothing_of_another_government(cast):
    make_task(cast.encheng, title="恩平的任务", state=Task.State.ASSIGNED, acknowledge_by=days(1))
    response = work_of(cast, cast.outsider)
    assert response.context["work"].is_empty
    assert "恩平的任务" not in response.content.decode()


def test_a_full_section_says_how_many_more_and_links_to_them(cast, monkeypatch):
    for n in range(work_selectors.SECTION_CAP + 3):
        make_task(cast.encheng, code=f"A{n:02d}", state="assigned", acknowledge_by=days(n))
    make_task(cast.hengpi, state=Task.State.ASSIGNED, acknowledge_by=days(1))
    response = work_of(cast, cast.encheng_staff)
    acknowledge = section(response, "acknowledge")
    assert len(acknowledge.items) == work_selectors.SECTION_CAP
    assert acknowledge.total == work_selectors.SECTION_CAP + 3 and acknowledge.more == 3
    more_url = next(url for found, url in response.context["sections"] if found is acknowledge)
    assert more_url in response.content.decode().replace("&amp;", "&")
    listed = cast.client_for(cast.encheng_staff).get(more_url)
    assert listed.context["counts"].total == work_selectors.SECTION_CAP + 3


def test_each_more_link_lists_exactly_the_section(cast):
    """The filters behind every section's link select the same tasks as the section."""
    for n in range(3):
        make_task(cast.encheng, state="assigned", acknowledge_by=days(n))
        green(cast.encheng, next_report_due=days(n))
        make_task(cast.encheng, deadline=days(n))
        helped = green(cast.hengpi)
        co_unit(helped, cast.encheng)
    response = work_of(cast, cast.encheng_staff)
    client = cast.client_for(cast.encheng_staff)
    for found, url in response.context["sections"]:
        if found.key == "co_units":
            continue  # the list also shows co-unit tasks the unit leads itself
        listed = client.get(url)
        assert listed.context["counts"].total == found.total, found.key


def _many(cast, n):
    kinds = [
        {"state": Task.State.ASSIGNED, "acknowledge_by": days(1)},
        {"next_report_due": days(2)},
        {"deadline": days(2)},
        {"state": Task.State.COMPLETION_REQUESTED},
        {"state": Task.State.DRAFT},
        {"progress": 5, "leader": None},
    ]
    for i in range(n):
        task = make_task(cast.encheng, **{"leader": cast.leader, **kinds[i % len(kinds)]})
        if i % 5 == 0:
            co_unit(green(cast.hengpi), cast.encheng, "配合")
        if i % 7 == 0 and task.state == Task.State.IN_PROGRESS:
            TaskEvent.objects.create(
                task=task, action="return", from_state="completion_requested",
                to_state="in_progress", at=f"{days(-1)}T09:00:00+08:00", note="补充材料",
            )  # fmt: skip


@pytest.mark.parametrize("n", [5, 60])
@pytest.mark.parametrize(
    ("role", "bound"), [("encheng_staff", 22), ("supervisor", 21), ("leader", 14)]
)
def test_the_query_count_does_not_grow_with_the_tasks(
    cast, django_assert_max_num_queries, n, role, bound
):
    _many(cast, n)
    client = cast.client_for(getattr(cast, role))
    with django_assert_max_num_queries(bound):
        assert client.get(URL).status_code == 200
