"""The plan form: supervisors create and edit tasks with co-units and milestones; choices come from
their own government; each error sits next to its field; a stale edit is refused clearly."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.tasks.models import CoUnit, Milestone, Task
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory
from tests.tasks.factories import GoalFactory, TaskFactory, advance

pytestmark = pytest.mark.django_db

CREATE = reverse("tasks:create")
NOT_SUPERVISORS = ["leader", "viewer", "encheng_staff", "hengpi_staff", "statistician", "outsider"]


def plan(cast, **changes):
    """A complete plan as the form posts it: two co-unit rows and two milestone rows."""
    data = {
        "code": "RW-2024-01",
        "title": "职教园区一期8月完工交付",
        "description": "恩平市职业教育园区一期工程",
        "source_kind": "meeting",
        "source_reference": "市政府常务会议纪要〔2024〕3号",
        "goal": "",
        "parent_code": "",
        "lead_unit": cast.encheng.pk,
        "leader": cast.leader.pk,
        "supervising_unit": cast.supervision.pk,
        "start_date": "2024-01-15",
        "deadline": "2024-08-31",
        "priority": 1,
        "expected_results": "8月底交付使用",
        "report_cadence": "monthly",
        "report_dates": "",
        "co-TOTAL_FORMS": 2,
        "co-INITIAL_FORMS": 0,
        "co-0-unit": cast.hengpi.pk,
        "co-0-part": "配套道路",
        "co-1-unit": "",
        "co-1-part": "",
        "ms-TOTAL_FORMS": 2,
        "ms-INITIAL_FORMS": 0,
        "ms-0-title": "主体封顶",
        "ms-0-due_date": "2024-05-31",
        "ms-1-title": "",
        "ms-1-due_date": "",
    }
    data.update(changes)
    return data


def post(cast, role, url, data):
    return cast.client_for(getattr(cast, role)).post(url, data)


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_open_the_form(cast, role):
    response = cast.client_for(getattr(cast, role)).get(CREATE)
    assert response.status_code == 200
    assert response.context["form"]["supervising_unit"].value() == cast.supervision.pk


@pytest.mark.parametrize("role", NOT_SUPERVISORS)
def test_others_may_not_create(cast, role):
    assert cast.client_for(getattr(cast, role)).get(CREATE).status_code == 403
    assert post(cast, role, CREATE, plan(cast)).status_code == 403
    assert not Task.objects.exists()


def test_a_task_is_created_as_a_draft_with_its_parts(cast):
    response = post(cast, "supervisor", CREATE, plan(cast))
    task = Task.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("tasks:detail", args=[task.pk])
    assert (task.state, task.code, task.government) == (Task.State.DRAFT, "RW-2024-01", cast.enping)
    assert (task.lead_unit, task.leader, task.supervising_unit) == (
        cast.encheng,
        cast.leader,
        cast.supervision,
    )
    assert task.original_deadline == datetime.date(2024, 8, 31)
    assert list(task.co_units.values_list("unit__name", "part")) == [("横陂镇", "配套道路")]
    assert list(task.milestones.values_list("title", "due_date")) == [
        ("主体封顶", datetime.date(2024, 5, 31))
    ]
    assert AuditEntry.objects.filter(object_id=str(task.pk), action="create").exists()


def test_choices_are_limited_to_the_government(cast):
    taishan_unit = OrgUnitFactory(government=cast.taishan, name="台山市住建局")
    taishan_goal = GoalFactory(government=cast.taishan)
    other_leader = UserFactory(username="tai", name="台山领导")
    MembershipFactory(user=other_leader, unit=taishan_unit, role="leader")
    response = cast.client_for(cast.supervisor).get(CREATE)
    form = response.context["form"]
    assert taishan_unit not in form.fields["lead_unit"].queryset
    assert taishan_goal not in form.fields["goal"].queryset
    assert list(form.fields["leader"].queryset) == [cast.leader]  # leaders only, of Enping
    response = post(
        cast,
        "supervisor",
        CREATE,
        plan(cast, lead_unit=taishan_unit.pk, leader=other_leader.pk, goal=taishan_goal.pk),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"lead_unit", "leader", "goal"}
    assert not Task.objects.exists()


def test_errors_are_in_chinese_next_to_the_field(cast):
    client = cast.client_for(cast.supervisor)
    with translation.override("zh-hans"):
        response = client.post(CREATE, plan(cast, title="", deadline="2024-01-01"))
    assert response.status_code == 400
    html = response.content.decode()
    title_field = html[html.index('id="id_title"') :]
    assert title_field.index('<small class="error">这个字段是必填项。</small>') < 400
    assert response.context["form"].errors["deadline"]
    assert '<div class="field has-error">\n  <label for="id_deadline">' in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": "2024-01-01"}, "deadline"),
        ({"report_cadence": "dates", "report_dates": ""}, "report_dates"),
        ({"report_cadence": "dates", "report_dates": "2024-03-31, 三月底"}, "report_dates"),
        ({"parent_code": "NO-SUCH"}, "parent_code"),
        ({"start_date": "2024-02-30"}, "start_date"),
    ],
)
def test_bad_plans_are_refused_at_the_field(cast, changes, field):
    response = post(cast, "supervisor", CREATE, plan(cast, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Task.objects.exists()


def test_report_dates_are_read_and_sorted(cast):
    post(
        cast,
        "supervisor",
        CREATE,
        plan(cast, report_cadence="dates", report_dates="2024-06-30，2024-03-31"),
    )
    assert Task.objects.get().report_dates == ["2024-03-31", "2024-06-30"]


def test_a_code_is_used_once_in_a_government(cast):
    TaskFactory(lead_unit=cast.encheng, code="RW-2024-01")
    response = post(cast, "supervisor", CREATE, plan(cast))
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert Task.objects.count() == 1


def test_the_lead_unit_is_not_also_a_co_unit(cast):
    response = post(cast, "supervisor", CREATE, plan(cast, **{"co-0-unit": cast.encheng.pk}))
    assert response.status_code == 400
    assert response.context["co_units"].forms[0].errors["unit"]


def test_a_co_unit_is_listed_once(cast):
    data = plan(cast, **{"co-1-unit": cast.hengpi.pk, "co-1-part": "另一部分"})
    response = post(cast, "supervisor", CREATE, data)
    assert response.status_code == 400
    assert response.context["co_units"].forms[1].errors["unit"]


def test_a_milestone_falls_within_the_task(cast):
    response = post(cast, "supervisor", CREATE, plan(cast, **{"ms-0-due_date": "2024-12-31"}))
    assert response.status_code == 400
    assert response.context["milestones"].forms[0].errors["due_date"]
    response = post(cast, "supervisor", CREATE, plan(cast, **{"ms-0-due_date": ""}))
    assert response.context["milestones"].forms[0].errors["due_date"]


def test_a_subtask_starts_from_its_parent(cast):
    goal = GoalFactory(government=cast.enping)
    parent = TaskFactory(lead_unit=cast.encheng, code="RW-P", goal=goal)
    form = cast.client_for(cast.supervisor).get(CREATE, {"parent": parent.pk}).context["form"]
    assert form["parent_code"].value() == "RW-P"
    assert form["goal"].value() == goal.pk
    post(cast, "supervisor", CREATE, plan(cast, parent_code="RW-P"))
    assert Task.objects.get(code="RW-2024-01").parent == parent


# --- editing --------------------------------------------------------------------------------


@pytest.fixture
def task(cast):
    post(cast, "supervisor", CREATE, plan(cast))
    return Task.objects.get()


def edit_url(task):
    return reverse("tasks:edit", args=[task.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supervisor", 200),
        ("admin", 200),
        ("leader", 403),
        ("encheng_staff", 403),
        ("hengpi_staff", 403),
        ("outsider", 404),
    ],
)
def test_only_supervisors_edit(cast, task, role, status):
    assert cast.client_for(getattr(cast, role)).get(edit_url(task)).status_code == status
    if status != 200:
        post(cast, role, edit_url(task), plan(cast, title="改名", version=task.version))
        task.refresh_from_db()
        assert task.title == "职教园区一期8月完工交付"


def test_the_edit_form_starts_from_the_task(cast, task):
    response = cast.client_for(cast.supervisor).get(edit_url(task))
    form = response.context["form"]
    assert form["title"].value() == task.title
    assert form["version"].value() == task.version
    assert response.context["co_units"].forms[0]["part"].value() == "配套道路"
    assert response.context["milestones"].forms[0]["title"].value() == "主体封顶"


def edited(cast, task, **changes):
    data = plan(
        cast,
        version=task.version,
        **{"co-INITIAL_FORMS": 1, "ms-INITIAL_FORMS": 1},
    )
    data.update(changes)
    return data


def test_an_edit_changes_only_what_changed(cast, task):
    data = edited(
        cast,
        task,
        title="职教园区一期工程交付",
        **{"co-0-unit": cast.stats_bureau.pk, "co-0-part": "统计监测", "ms-0-title": "主体完工"},
    )
    response = post(cast, "supervisor", edit_url(task), data)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "职教园区一期工程交付"
    assert task.version == 2
    assert list(task.co_units.values_list("unit__name", "part")) == [("统计局", "统计监测")]
    assert list(task.milestones.values_list("title", flat=True)) == ["主体完工"]
    entry = AuditEntry.objects.filter(object_id=str(task.pk), action="update").latest("at")
    assert set(entry.after) == {"title"}


def test_a_stale_edit_is_refused_with_a_way_to_the_current_version(cast, task):
    first = post(cast, "admin", edit_url(task), edited(cast, task, title="先改的标题"))
    assert first.status_code == 302
    response = post(cast, "supervisor", edit_url(task), edited(cast, task, title="后改的标题"))
    assert response.status_code == 400
    [message] = response.context["form"].non_field_errors()
    assert "先改的标题" in message
    assert response.context["stale"] is True
    assert f'href="{edit_url(task)}"' in response.content.decode()
    task.refresh_from_db()
    assert task.title == "先改的标题"


def test_a_task_cannot_become_its_own_subtask(cast, task):
    child = TaskFactory(lead_unit=cast.encheng, code="RW-CHILD", parent=task)
    for code in ("RW-2024-01", "RW-CHILD"):
        response = post(cast, "supervisor", edit_url(task), edited(cast, task, parent_code=code))
        assert response.status_code == 400
        assert response.context["form"].errors["parent_code"]
    task.refresh_from_db()
    assert task.parent is None
    assert child.parent == task


def test_a_draft_s_corrected_deadline_is_its_original(cast, task):
    post(cast, "supervisor", edit_url(task), edited(cast, task, deadline="2024-09-30"))
    task.refresh_from_db()
    assert task.deadline == task.original_deadline == datetime.date(2024, 9, 30)


def test_a_closed_task_is_not_edited(cast):
    closed = advance(TaskFactory(lead_unit=cast.encheng), cast, Task.State.CLOSED)
    response = cast.client_for(cast.supervisor).get(edit_url(closed))
    assert response.status_code == 302
    assert response.url == reverse("tasks:detail", args=[closed.pk])


def test_removed_rows_remove_co_units_and_milestones(cast, task):
    data = edited(
        cast, task, **{"co-0-unit": "", "co-0-part": "", "ms-0-title": "", "ms-0-due_date": ""}
    )
    assert post(cast, "supervisor", edit_url(task), data).status_code == 302
    assert not CoUnit.objects.filter(task=task).exists()
    assert not Milestone.objects.filter(task=task).exists()
