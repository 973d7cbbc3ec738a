"""The goal pages: who may create and edit goals, the parent within the government, the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.tasks.models import Goal, Task
from tests.indicators.factories import IndicatorFactory
from tests.tasks.factories import GoalFactory, TaskFactory

pytestmark = pytest.mark.django_db

NOT_MANAGERS = ["leader", "statistician", "investment", "encheng_staff", "hengpi_staff", "viewer"]


def goal_data(**values):
    data = {
        "kind": "goal",
        "title": "五年显著变化",
        "description": "",
        "horizon": "5",
        "stage": "",
        "start_date": "2024-01-01",
        "end_date": "",
        "order": "0",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_a_supervisor_creates_a_goal_under_a_parent_with_indicators(cast):
    parent = GoalFactory(government=cast.enping, title="百千万工程")
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值")
    client = cast.client_for(cast.supervisor)
    response = client.post(
        reverse("tasks:goal_create"), goal_data(parent=parent.pk, indicators=[gdp.pk])
    )
    goal = Goal.objects.get(title="五年显著变化")
    assert response.status_code == 302
    assert response.url == reverse("tasks:goal", args=[goal.pk])
    assert goal.government == cast.enping
    assert goal.parent == parent
    assert list(goal.indicators.all()) == [gdp]
    assert goal.end_date == datetime.date(2028, 12, 31)  # five years from the start
    assert AuditEntry.objects.filter(object_id=str(goal.pk), action="create").exists()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_may_not_create_goals(cast, who):
    client = cast.client_for(getattr(cast, who))
    url = reverse("tasks:goal_create")
    assert client.get(url).status_code == 403
    assert client.post(url, goal_data()).status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_may_not_edit_goals(cast, who):
    goal = GoalFactory(government=cast.enping, title="原标题")
    client = cast.client_for(getattr(cast, who))
    url = reverse("tasks:goal_edit", args=[goal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, goal_data(title="改了", version=goal.version)).status_code == 403
    goal.refresh_from_db()
    assert goal.title == "原标题"


def test_outsiders_do_not_see_the_goals_of_another_government(cast):
    goal = GoalFactory(government=cast.enping)
    client = cast.client_for(cast.outsider)
    for name in ("tasks:goal", "tasks:goal_edit", "tasks:gantt"):
        assert client.get(reverse(name, args=[goal.pk])).status_code == 404
    assert client.get(reverse("tasks:goals") + "?government=440785").status_code == 404
    assert client.get(reverse("tasks:goal_create") + "?government=440785").status_code == 404


def test_a_parent_from_another_government_is_refused(cast):
    foreign = GoalFactory(government=cast.taishan)
    client = cast.client_for(cast.supervisor)
    response = client.post(reverse("tasks:goal_create"), goal_data(parent=foreign.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Goal.objects.filter(government=cast.enping).exists()


def test_a_goal_cannot_move_under_its_own_sub_goal(cast):
    goal = GoalFactory(government=cast.enping, title="上")
    child = GoalFactory(government=cast.enping, parent=goal, title="下")
    client = cast.client_for(cast.supervisor)
    url = reverse("tasks:goal_edit", args=[goal.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["parent"].queryset) == set()  # neither itself nor its sub-goal
    response = client.post(url, goal_data(title="上", parent=child.pk, version=goal.version))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    goal.refresh_from_db()
    assert goal.parent is None


def test_a_supervisor_edits_a_goal_and_a_stale_form_is_refused(cast):
    goal = GoalFactory(government=cast.enping, title="一年开局起步")
    client = cast.client_for(cast.supervisor)
    url = reverse("tasks:goal_edit", args=[goal.pk])
    response = client.post(url, goal_data(title="开局之年", horizon="1", version=goal.version))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("开局之年", 2)
    stale = client.post(url, goal_data(title="又改", horizon="1", version=1))
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    goal.refresh_from_db()
    assert goal.title == "开局之年"


def test_goal_page_shows_indicators_sub_goals_and_their_tasks(cast):
    goal = GoalFactory(government=cast.enping, title="三年初见成效")
    sub = GoalFactory(government=cast.enping, parent=goal, title="新材料")
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值")
    goal.indicators.set([gdp])
    TaskFactory(lead_unit=cast.encheng, goal=goal, code="RW-1", title="优化营商环境攻坚战")
    TaskFactory(
        lead_unit=cast.hengpi,
        goal=sub,
        code="RW-2",
        title="道氏新材料产业园",
        state=Task.State.IN_PROGRESS,
        deadline=datetime.date(2024, 2, 1),
    )
    client = cast.client_for(cast.hengpi_staff)
    response = client.get(reverse("tasks:goal", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("地区生产总值", "新材料", "RW-1", "RW-2", "道氏新材料产业园", "横陂镇"):
        assert text in html
    assert 'class="status status-red"' in html  # the sub-goal's overdue task
    assert reverse("tasks:goal_edit", args=[goal.pk]) not in html  # staff do not edit
    supervisor = cast.client_for(cast.supervisor).get(reverse("tasks:goal", args=[goal.pk]))
    assert reverse("tasks:goal_edit", args=[goal.pk]) in supervisor.content.decode()


def test_goal_page_queries_do_not_grow_with_tasks_or_sub_goals(cast, django_assert_max_num_queries):
    goal = GoalFactory(government=cast.enping)
    client = cast.client_for(cast.viewer)
    url = reverse("tasks:goal", args=[goal.pk])

    def grow(count):
        sub = GoalFactory(government=cast.enping, parent=goal)
        sub.indicators.set([IndicatorFactory(owner_unit=cast.stats_bureau)])
        for i in range(count):
            TaskFactory(lead_unit=[cast.encheng, cast.hengpi][i % 2], goal=sub)

    grow(2)
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
