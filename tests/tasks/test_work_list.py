"""The task list: who sees it, every filter, sorting, pagination, counts, the htmx refresh, and a
query count that does not grow with the number of tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.tasks import selectors
from jinwei.tasks.models import ChangeRequest, Task, TaskEvent
from jinwei.tasks.timing import Colour, task_timing
from tests.tasks.factories import GoalFactory
from tests.tasks.work_helpers import (
    co_unit,
    codes,
    days,
    green,
    make_task,
    overdue,
    red,
    today,
    yellow,
)

pytestmark = pytest.mark.django_db
URL = reverse("tasks:list")


def get(cast, user=None, **params):
    client = cast.client_for(user or cast.encheng_staff)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_everyone_in_the_government_reads_the_list(cast):
    task = green(cast.encheng, code="EP-001")
    for user in (cast.leader, cast.supervisor, cast.viewer, cast.hengpi_staff, cast.admin):
        assert codes(get(cast, user)) == ["EP-001"]
    response = get(cast)
    html = response.content.decode()
    assert reverse("tasks:detail", args=[task.pk]) in html
    assert "恩城街道" in html


def test_outsiders_see_none_of_the_governments_tasks(cast):
    green(cast.encheng, code="EP-001")
    mine = green(cast.taishan.units.get(), code="TS-001")
    assert codes(get(cast, cast.outsider)) == [mine.code]
    # asking for Enping by its id changes nothing: the form only offers their own government
    assert codes(get(cast, cast.outsider, government=cast.enping.pk)) == ["TS-001"]
    assert get(cast, cast.outsider).context["listing"].government == cast.taishan


def test_anonymous_visitors_are_sent_to_log_in(cast):
    from django.test import Client

    assert Client().get(URL).status_code == 302


def test_it_filters_by_unit_as_lead_or_co_unit(cast):
    led = green(cast.encheng, code="A")
    helped = green(cast.hengpi, code="B")
    co_unit(helped, cast.encheng, "征地")
    green(cast.stats_bureau, code="C")
    unit = cast.encheng.pk
    assert codes(get(cast, unit=unit)) == ["A", "B"]
    assert codes(get(cast, unit=unit, role="lead")) == ["A"]
    assert codes(get(cast, unit=unit, role="co")) == ["B"]
    assert led.pk and codes(get(cast)) == ["A", "B", "C"]


def test_my_units_are_the_viewers_units(cast):
    green(cast.encheng, code="A")
    helped = green(cast.stats_bureau, code="B")
    co_unit(helped, cast.encheng)
    green(cast.hengpi, code="C")
    assert codes(get(cast, cast.encheng_staff, unit="mine")) == ["A", "B"]
    assert codes(get(cast, cast.hengpi_staff, unit="mine", role="lead")) == ["C"]
    # a viewer works for no unit: "my units" is not offered and is reported, not applied
    response = get(cast, cast.viewer, unit="mine")
    assert codes(response) == ["A", "B", "C"]
    assert response.context["form"].errors["unit"]


def test_a_goal_filter_includes_the_goals_under_it(cast):
    top = GoalFactory(government=cast.enping, title="百千万工程")
    below = GoalFactory(government=cast.enping, parent=top, title="三年初见成效")
    other = GoalFactory(government=cast.enping, title="营商环境")
    green(cast.encheng, code="A", goal=top)
    green(cast.encheng, code="B", goal=below)
    green(cast.encheng, code="C", goal=other)
    green(cast.encheng, code="D")
    assert codes(get(cast, goal=top.pk)) == ["A", "B"]
    assert codes(get(cast, goal=below.pk)) == ["B"]
    assert codes(get(cast, goal=other.pk)) == ["C"]


def test_it_filters_by_colour_in_the_database_as_task_timing_colours(cast):
    green(cast.encheng, code="G")
    yellow(cast.encheng, code="Y")
    red(cast.encheng, code="R")
    overdue(cast.encheng, code="O")
    make_task(cast.encheng, code="S", deadline=days(3), progress=99)  # due soon: yellow
    make_task(cast.encheng, code="D", state=Task.State.DRAFT)  # no colour
    assert codes(get(cast, colour="green")) == ["G"]
    assert sorted(codes(get(cast, colour="yellow"))) == ["S", "Y"]
    assert sorted(codes(get(cast, colour="red"))) == ["O", "R"]
    for row in get(cast).context["rows"]:
        t = row.task
        expected = task_timing(
            state=t.state,
            start=t.start_date,
            deadline=t.deadline,
            progress=t.progress,
            closed_on=t.closed_on,
            today=today(),
        ).colour
        assert row.timing.colour == expected


def test_it_filters_by_state_and_by_ongoing_states(cast):
    make_task(cast.encheng, code="D", state=Task.State.DRAFT)
    make_task(cast.encheng, code="A", state=Task.State.ASSIGNED)
    make_task(cast.encheng, code="P", state=Task.State.IN_PROGRESS)
    make_task(cast.encheng, code="Q", state=Task.State.COMPLETION_REQUESTED)
    make_task(cast.encheng, code="C", state=Task.State.CLOSED, closed_on=today())
    assert codes(get(cast, state="draft")) == ["D"]
    assert codes(get(cast, state="closed")) == ["C"]
    assert sorted(codes(get(cast, state="active"))) == ["A", "P", "Q"]


def test_it_filters_by_responsible_leader(cast):
    green(cast.encheng, code="A", leader=cast.leader)
    green(cast.encheng, code="B")
    assert codes(get(cast, leader=cast.leader.pk)) == ["A"]
    choices = dict(get(cast).context["form"].fields["leader"].choices)
    assert choices[str(cast.leader.pk)] == "黎市长"


def test_a_leader_without_the_leader_role_can_still_be_filtered_on(cast):
    green(cast.encheng, code="A", leader=cast.supervisor)
    green(cast.encheng, code="B", leader=cast.leader)
    assert codes(get(cast, leader=cast.supervisor.pk)) == ["A"]
    response = get(cast, leader=cast.hengpi_staff.pk)  # leads nothing here: not a choice
    assert response.context["form"].errors["leader"]
    assert codes(response) == ["A", "B"]


def test_it_filters_by_time_status(cast):
    green(cast.encheng, code="ON")
    make_task(cast.encheng, code="SOON", deadline=days(2))
    overdue(cast.encheng, code="LATE")
    make_task(
        cast.encheng, code="CL", state=Task.State.CLOSED, deadline=days(-9), closed_on=days(-3)
    )
    assert codes(get(cast, status="overdue")) == ["LATE"]
    assert codes(get(cast, status="due_soon")) == ["SOON"]
    assert codes(get(cast, status="on_track")) == ["ON"]
    assert codes(get(cast, status="closed_late")) == ["CL"]


def test_it_searches_code_and_title(cast):
    green(cast.encheng, code="EP-2024-001", title="职教园区一期8月完工交付")
    green(cast.encheng, code="EP-2024-002", title="智能装备特色产业园建设")
    assert codes(get(cast, q="职教")) == ["EP-2024-001"]
    assert codes(get(cast, q="2024-002")) == ["EP-2024-002"]
    assert codes(get(cast, q="ep-2024")) == ["EP-2024-001", "EP-2024-002"]


def test_it_filters_by_deadline_range_and_reports_a_reversed_range(cast):
    green(cast.encheng, code="A", deadline=days(10))
    green(cast.encheng, code="B", deadline=days(20))
    green(cast.encheng, code="C", deadline=days(30))
    assert codes(get(cast, deadline_from=days(15), deadline_to=days(25))) == ["B"]
    assert codes(get(cast, deadline_to=days(20))) == ["A", "B"]
    response = get(cast, deadline_from=days(25), deadline_to=days(15))
    assert response.context["form"].errors["deadline_to"]
    assert codes(response) == ["C"]  # the valid start still applies


def test_it_filters_by_report_due_returned_and_pending_request(cast):
    green(cast.encheng, code="R1", next_report_due=days(2))
    green(cast.encheng, code="R2", next_report_due=days(20))
    sent_back = green(cast.encheng, code="RET")
    TaskEvent.objects.create(
        task=sent_back, action="request_completion", from_state="in_progress",
        to_state="completion_requested", at=f"{days(-3)}T10:00:00+08:00",
    )  # fmt: skip
    TaskEvent.objects.create(
        task=sent_back, action="return", from_state="completion_requested",
        to_state="in_progress", at=f"{days(-2)}T10:00:00+08:00", note="证据不足",
    )  # fmt: skip
    asked = green(cast.encheng, code="ASK")
    ChangeRequest.objects.create(
        task=asked, kind="postpone", reason="征地延误", new_deadline=days(200)
    )
    assert codes(get(cast, report_due=days(7))) == ["R1"]
    assert codes(get(cast, returned="on")) == ["RET"]
    assert codes(get(cast, pending="on")) == ["ASK"]


def test_a_task_resubmitted_after_a_return_is_no_longer_returned(cast):
    task = make_task(cast.encheng, code="X", state=Task.State.COMPLETION_REQUESTED)
    for n, action in enumerate(["return", "request_completion"]):
        TaskEvent.objects.create(
            task=task, action=action, from_state="x", to_state="y",
            at=f"{days(-5 + n)}T10:00:00+08:00",
        )  # fmt: skip
    assert codes(get(cast, returned="on")) == []


def test_it_sorts(cast):
    green(cast.encheng, code="B", deadline=days(10), progress=60)
    green(cast.encheng, code="A", deadline=days(20), progress=20)
    green(cast.encheng, code="C", deadline=days(30), progress=40)
    assert codes(get(cast)) == ["B", "A", "C"]
    assert codes(get(cast, sort="-deadline")) == ["C", "A", "B"]
    assert codes(get(cast, sort="code")) == ["A", "B", "C"]
    assert codes(get(cast, sort="progress")) == ["A", "C", "B"]
    assert codes(get(cast, sort="nonsense")) == ["B", "A", "C"]


def test_it_pages_by_fifty_and_keeps_the_filters_in_the_links(cast):
    for n in range(55):
        green(cast.encheng, code=f"T{n:03d}", deadline=days(10 + n))
    green(cast.hengpi, code="OTHER")
    first = get(cast, unit=cast.encheng.pk)
    assert len(codes(first)) == selectors.PAGE_SIZE
    assert first.context["page"].paginator.num_pages == 2
    next_link = first.context["page_links"]["next"]
    assert f"unit={cast.encheng.pk}" in next_link and "page=2" in next_link
    second = get(cast, unit=cast.encheng.pk, page=2)
    assert codes(second) == [f"T{n:03d}" for n in range(50, 55)]


def test_the_summary_counts_states_and_colours_of_the_filtered_list(cast):
    green(cast.encheng)
    yellow(cast.encheng)
    red(cast.encheng)
    overdue(cast.encheng)
    make_task(cast.encheng, state=Task.State.DRAFT)
    make_task(cast.encheng, state=Task.State.CLOSED, closed_on=today())
    red(cast.hengpi)
    counts = get(cast).context["counts"]
    assert counts.total == 7
    assert counts.by_state["in_progress"] == 5
    assert counts.by_colour == {"green": 1, "yellow": 1, "red": 3}
    counts = get(cast, unit=cast.encheng.pk).context["counts"]
    assert counts.total == 6
    assert counts.by_colour["red"] == 2
    summary = get(cast, unit=cast.encheng.pk).context["summary"]
    red_link = next(link for value, _label, _n, link in summary["colours"] if value == "red")
    assert red_link == f"unit={cast.encheng.pk}&colour=red"


def test_htmx_requests_get_only_the_results(cast):
    green(cast.encheng, code="A")
    client = cast.client_for(cast.encheng_staff)
    response = client.get(URL, {"q": "A"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="task-results")
    html = response.content.decode()
    assert "<html" not in html and "task-table" in html
    assert 'action="/tasks/list/views/save/"' in html or reverse("tasks:view_save") in html
    full = client.get(URL, {"q": "A"}).content.decode()
    assert "<html" in full and 'hx-target="#task-results"' in full


def test_an_invalid_filter_is_reported_and_ignored(cast):
    green(cast.encheng, code="A")
    red(cast.encheng, code="B")
    response = get(cast, colour="purple", unit=cast.encheng.pk)
    assert codes(response) == ["A", "B"]
    assert response.context["form"].errors["colour"]


def test_the_export_link_carries_the_filters(cast):
    html = get(cast, colour="red", page=2).content.decode()
    assert f"{reverse('tasks:export')}?colour=red" in html


def _many(cast, n):
    for i in range(n):
        task = (green, yellow, red)[i % 3](cast.encheng, leader=cast.leader)
        if i % 4 == 0:
            co_unit(task, cast.hengpi, "配合")


@pytest.mark.parametrize("n", [5, 60])
def test_the_query_count_does_not_grow_with_the_tasks(cast, django_assert_max_num_queries, n):
    _many(cast, n)
    client = cast.client_for(cast.encheng_staff)
    params = {"unit": cast.hengpi.pk, "colour": "red", "state": "active", "leader": cast.leader.pk}
    with django_assert_max_num_queries(17):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(URL, {**params, "q": "任务", "sort": "-progress"}).status_code == 200
    with django_assert_max_num_queries(17):
        response = client.get(URL, {"returned": "on", "pending": "on", "page": 2})
        assert response.status_code == 200


def test_colour_labels_are_shown_with_the_badge(cast):
    red(cast.encheng, code="R")
    html = get(cast).content.decode()
    assert f'<span class="status status-red">{Colour.RED.label}</span>' in html
