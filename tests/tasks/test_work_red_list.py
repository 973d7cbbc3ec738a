"""The red list: red tasks by lead unit for the supervising office and the leaders only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.tasks import selectors
from jinwei.tasks.models import Task
from tests.tasks.work_helpers import days, green, make_task, overdue, red, yellow

pytestmark = pytest.mark.django_db
URL = reverse("tasks:red_list")


def test_supervisors_and_leaders_see_red_tasks_by_unit(cast):
    overdue(cast.encheng, code="E-OVER", days_late=12, leader=cast.leader)
    red(cast.encheng, code="E-BEHIND")
    red(cast.hengpi, code="H-BEHIND")
    green(cast.encheng, code="E-GREEN")
    yellow(cast.hengpi, code="H-YELLOW")
    make_task(cast.hengpi, code="H-CLOSED", state=Task.State.CLOSED, deadline=days(-3))
    for user in (cast.supervisor, cast.leader, cast.admin):
        response = cast.client_for(user).get(URL)
        assert response.status_code == 200
        groups = [
            (group.unit.name, [row.task.code for row in group.rows])
            for group, _more in response.context["groups"]
        ]
        assert groups == [("恩城街道", ["E-OVER", "E-BEHIND"]), ("横陂镇", ["H-BEHIND"])]
        assert response.context["total"] == 3


def test_most_overdue_first_with_days_overdue_and_points_behind(cast):
    overdue(cast.encheng, code="LATE", days_late=12, leader=cast.leader)
    red(cast.encheng, code="BEHIND")  # half-way, 10 % done: 40 points behind
    response = cast.client_for(cast.supervisor).get(URL)
    (group, _more), = response.context["groups"]  # fmt: skip
    late, behind = group.rows
    assert late.task.code == "LATE" and late.days_overdue == 12
    assert behind.task.code == "BEHIND" and behind.days_overdue == 0
    assert behind.points_behind == 40
    html = response.content.decode()
    assert "黎市长" in html and ">12<" in html and ">40<" in html


def test_others_are_refused(cast):
    red(cast.encheng)
    for user in (cast.encheng_staff, cast.hengpi_staff, cast.viewer, cast.statistician):
        assert cast.client_for(user).get(URL).status_code == 403
    assert cast.client_for(cast.outsider).get(URL).status_code == 403
    asked = cast.client_for(cast.outsider).get(URL, {"government": cast.enping.pk})
    assert asked.status_code == 403


def test_a_supervisor_cannot_ask_for_another_government(cast):
    response = cast.client_for(cast.supervisor).get(URL, {"government": cast.taishan.pk})
    assert response.status_code == 403


def test_each_unit_shows_a_capped_number_and_links_to_the_rest(cast, monkeypatch):
    monkeypatch.setattr(selectors, "RED_PER_UNIT", 2)
    for n in range(5):
        overdue(cast.encheng, code=f"E{n}", days_late=10 + n)
    overdue(cast.hengpi, code="H0")
    response = cast.client_for(cast.supervisor).get(URL)
    (encheng, more_url), (hengpi, _more) = response.context["groups"]
    assert [row.task.code for row in encheng.rows] == ["E4", "E3"]  # most overdue first
    assert encheng.total == 5 and encheng.more == 3
    assert hengpi.more == 0
    listed = cast.client_for(cast.supervisor).get(more_url)
    assert listed.context["counts"].total == 5


def test_no_red_task(cast, settings):
    green(cast.encheng)
    client = cast.client_for(cast.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    assert response.context["groups"] == [] and response.context["total"] == 0
    assert "No task is red today." in response.content.decode()


@pytest.mark.parametrize("n", [4, 40])
def test_the_query_count_does_not_grow(cast, django_assert_max_num_queries, n):
    for i in range(n):
        red((cast.encheng, cast.hengpi)[i % 2], leader=cast.leader)
    client = cast.client_for(cast.supervisor)
    with django_assert_max_num_queries(11):
        assert client.get(URL).status_code == 200
