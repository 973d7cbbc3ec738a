"""Project services: creation, edits, stage steps, milestones, plans, monthly reports, tasks."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.projects import services
from jinwei.projects.models import Project, ProjectTask
from jinwei.tasks.models import Task
from tests.conftest import Cast

D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English, the msgids the tests compare with."""
    with translation.override("en"):
        yield


def new_project(cast: Cast, **fields: object) -> Project:
    values: dict[str, object] = {
        "government": cast.enping,
        "code": "XM-001",
        "name": "浩洋股份演艺灯光制造基地",
        "kind": Project.Kind.INDUSTRIAL,
        "total_investment": Decimal("50000"),
        "lead_unit": cast.encheng,
        "signed_on": D(2024, 1, 10),
        "planned_start": D(2024, 3, 1),
        "planned_completion": D(2025, 2, 28),
    }
    values.update(fields)
    return Project(**values)


def test_create_records_stage_plans_and_milestones(cast: Cast) -> None:
    project = services.project_create(
        actor=cast.investment,
        project=new_project(cast),
        plans={2024: Decimal("12000"), 2025: Decimal("30000")},
        milestones=[("主体封顶", D(2024, 9, 30)), ("设备安装", D(2024, 12, 31))],
        note="signed",
    )
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.on) == ("", "signed", D(2024, 1, 10))
    assert change.actor == cast.investment
    assert dict(project.plans.values_list("year", "amount")) == {
        2024: Decimal("12000"),
        2025: Decimal("30000"),
    }
    assert list(project.milestones.values_list("name", flat=True)) == ["主体封顶", "设备安装"]
    assert AuditEntry.objects.filter(object_repr__startswith="XM-001").exists()


def test_create_refuses_unit_staff_and_outsider(cast: Cast) -> None:
    for user in (cast.encheng_staff, cast.outsider, cast.leader):
        with pytest.raises(PermissionDenied):
            services.project_create(actor=user, project=new_project(cast))
    assert not Project.objects.exists()


def test_create_refuses_a_lead_unit_of_another_government(cast: Cast) -> None:
    from tests.factories import OrgUnitFactory

    foreign = OrgUnitFactory(government=cast.taishan)
    with pytest.raises(ValidationError) as refused:
        services.project_create(actor=cast.investment, project=new_project(cast, lead_unit=foreign))
    assert "lead_unit" in refused.value.message_dict


def test_create_refuses_a_duplicate_code(cast: Cast) -> None:
    services.project_create(actor=cast.investment, project=new_project(cast))
    with pytest.raises(ValidationError):
        services.project_create(actor=cast.investment, project=new_project(cast, name="另一个"))
    assert Project.objects.count() == 1


# --- edits ------------------------------------------------------------------------------------


def created(cast: Cast, **fields: object) -> Project:
    return services.project_create(actor=cast.investment, project=new_project(cast, **fields))


def test_update_changes_facts_and_refuses_a_stale_version(cast: Cast) -> None:
    project = created(cast)
    services.project_update(
        actor=cast.supervisor,
        project=project,
        changes={"total_investment": Decimal("60000")},
        expected_version=project.version,
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal("60000")
    with pytest.raises(StaleVersionError):
        services.project_update(
            actor=cast.investment,
            project=project,
            changes={"name": "改名"},
            expected_version=project.version - 1,
        )


def test_update_does_not_move_stages(cast: Cast) -> None:
    project = created(cast)
    with pytest.raises(ValueError, match="stage"):
        services.project_update(
            actor=cast.supervisor,
            project=project,
            changes={"stage": Project.Stage.COMPLETED},
            expected_version=project.version,
        )


def test_update_refuses_unit_staff(cast: Cast) -> None:
    project = created(cast)
    with pytest.raises(PermissionDenied):
        services.project_update(
            actor=cast.encheng_staff,
            project=project,
            changes={"name": "改名"},
            expected_version=project.version,
        )


# --- stages -----------------------------------------------------------------------------------


def test_stages_are_taken_one_step_at_a_time_with_their_dates(cast: Cast) -> None:
    project = created(cast)
    steps = [
        (Project.Stage.STARTED, D(2024, 3, 5)),
        (Project.Stage.UNDER_CONSTRUCTION, D(2024, 4, 1)),
        (Project.Stage.COMPLETED, D(2024, 12, 20)),
        (Project.Stage.IN_PRODUCTION, D(2025, 1, 12)),
    ]
    for stage, on in steps:
        project = services.project_advance(
            actor=cast.encheng_staff, project=project, to_stage=stage, on=on
        )
    project.refresh_from_db()
    assert project.stage == Project.Stage.IN_PRODUCTION
    assert (project.started_on, project.completed_on, project.production_on) == (
        D(2024, 3, 5),
        D(2024, 12, 20),
        D(2025, 1, 12),
    )
    assert project.progress == 100
    history = list(project.stage_changes.values_list("from_stage", "to_stage"))
    assert history == [
        ("", "signed"),
        ("signed", "started"),
        ("started", "under_construction"),
        ("under_construction", "completed"),
        ("completed", "in_production"),
    ]


def test_skipping_a_stage_is_refused_with_the_next_one_named(cast: Cast) -> None:
    project = created(cast)
    with pytest.raises(ValidationError) as refused:
        services.project_advance(
            actor=cast.supervisor,
            project=project,
            to_stage=Project.Stage.COMPLETED,
            on=D(2024, 3, 5),
        )
    message = refused.value.message_dict["to_stage"][0]
    assert "one at a time" in message and "Construction started" in message
    project.refresh_from_db()
    assert project.stage == Project.Stage.SIGNED
    assert project.stage_changes.count() == 1


def test_going_back_or_past_the_last_stage_is_refused(cast: Cast) -> None:
    project = created(cast)
    project = services.project_advance(
        actor=cast.supervisor, project=project, to_stage=Project.Stage.STARTED, on=D(2024, 3, 5)
    )
    with pytest.raises(ValidationError, match="cannot go back"):
        services.project_advance(
            actor=cast.supervisor, project=project, to_stage=Project.Stage.SIGNED, on=D(2024, 3, 6)
        )
    done = created(cast, code="XM-002", stage=Project.Stage.IN_PRODUCTION)
    with pytest.raises(ValidationError, match="last stage"):
        services.check_advance(done, Project.Stage.IN_PRODUCTION)


def test_stage_dates_cannot_be_in_the_future_or_before_the_previous_stage(cast: Cast) -> None:
    project = created(cast)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.project_advance(
            actor=cast.supervisor, project=project, to_stage=Project.Stage.STARTED, on=tomorrow
        )
    with pytest.raises(ValidationError, match="2024-01-10"):
        services.project_advance(
            actor=cast.supervisor,
            project=project,
            to_stage=Project.Stage.STARTED,
            on=D(2024, 1, 9),
        )


def test_other_units_staff_cannot_move_the_stage(cast: Cast) -> None:
    project = created(cast)
    for user in (cast.hengpi_staff, cast.leader, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.project_advance(
                actor=user, project=project, to_stage=Project.Stage.STARTED, on=D(2024, 3, 5)
            )


# --- milestones and plans ---------------------------------------------------------------------


def test_milestones_planned_then_reached_by_the_lead_unit(cast: Cast) -> None:
    project = created(cast)
    milestone = services.milestone_add(
        actor=cast.investment, project=project, name="主体封顶", planned_on=D(2024, 9, 30)
    )
    services.milestone_reach(actor=cast.encheng_staff, milestone=milestone, on=D(2024, 10, 8))
    milestone.refresh_from_db()
    assert (milestone.planned_on, milestone.actual_on) == (D(2024, 9, 30), D(2024, 10, 8))
    with pytest.raises(PermissionDenied):
        services.milestone_add(
            actor=cast.encheng_staff, project=project, name="x", planned_on=D(2024, 9, 30)
        )
    with pytest.raises(PermissionDenied):
        services.milestone_reach(actor=cast.hengpi_staff, milestone=milestone, on=D(2024, 10, 8))


def test_plan_set_creates_then_changes_the_years_plan(cast: Cast) -> None:
    project = created(cast)
    services.plan_set(actor=cast.investment, project=project, year=2024, amount=Decimal("100"))
    plan = services.plan_set(
        actor=cast.investment, project=project, year=2024, amount=Decimal("250.5")
    )
    assert project.plans.get().amount == Decimal("250.5") == plan.amount
    assert AuditEntry.objects.filter(
        content_type__model="investmentplan",
        object_id=str(plan.pk),
        action=AuditEntry.Action.UPDATE,
    ).exists()
    with pytest.raises(ValidationError):
        services.plan_set(actor=cast.investment, project=project, year=2024, amount=Decimal(-1))
    with pytest.raises(ValidationError, match="year"):
        services.plan_set(actor=cast.investment, project=project, year=1999, amount=Decimal(1))


# --- monthly reports --------------------------------------------------------------------------


def report(cast: Cast, project: Project, period: str = "2024-03", **fields: object) -> Any:
    values: dict[str, Any] = {"amount": Decimal("800"), "progress": 12, "problems": ""}
    values.update(fields)
    actor = values.pop("actor", cast.encheng_staff)
    return services.report_submit(actor=actor, project=project, period=period, **values)


def test_lead_unit_reports_and_progress_is_copied(cast: Cast) -> None:
    project = created(cast)
    filed = report(cast, project, progress=15, progress_text="基础施工", problems="用电报装")
    project.refresh_from_db()
    assert project.progress == 15
    assert (filed.period, filed.amount, filed.reported_by) == (
        "2024-03",
        Decimal("800"),
        cast.encheng_staff,
    )


def test_one_report_a_month_resubmitting_corrects_it_with_an_audit_entry(cast: Cast) -> None:
    project = created(cast)
    first = report(cast, project, amount=Decimal("800"))
    second = report(cast, project, period="2024年3月", amount=Decimal("950"), progress=18)
    assert first.pk == second.pk
    assert project.reports.count() == 1
    entry = AuditEntry.objects.get(
        content_type__model="investmentreport",
        object_id=str(first.pk),
        action=AuditEntry.Action.UPDATE,
    )
    assert entry.before["amount"] == "800.00" and entry.after["amount"] == "950.00"


def test_an_older_months_correction_keeps_the_newest_progress(cast: Cast) -> None:
    project = created(cast)
    report(cast, project, period="2024-03", progress=10)
    report(cast, project, period="2024-04", progress=20)
    report(cast, project, period="2024-03", progress=12)
    project.refresh_from_db()
    assert project.progress == 20


@pytest.mark.parametrize("user_name", ["hengpi_staff", "leader", "viewer", "outsider"])
def test_others_cannot_report(cast: Cast, user_name: str) -> None:
    project = created(cast)
    with pytest.raises(PermissionDenied):
        report(cast, project, actor=getattr(cast, user_name))
    assert not project.reports.exists()


def test_managers_may_report_for_the_lead_unit(cast: Cast) -> None:
    project = created(cast)
    report(cast, project, actor=cast.investment)
    assert project.reports.count() == 1


def test_bad_report_input_says_what_and_where(cast: Cast) -> None:
    project = created(cast)
    with pytest.raises(ValidationError) as refused:
        report(cast, project, period="2024Q1")
    assert refused.value.message_dict["period"] == ["Give the month as YYYY-MM, e.g. 2024-09."]
    with pytest.raises(ValidationError) as refused:
        report(cast, project, amount="-5")
    assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(cast, project, progress=120)
    assert "progress" in refused.value.message_dict
    next_month = timezone.localdate() + datetime.timedelta(days=32)
    with pytest.raises(ValidationError, match="not begun"):
        report(cast, project, period=f"{next_month.year}-{next_month.month:02d}")
    assert not project.reports.exists()


# --- problems raised as tasks -----------------------------------------------------------------


def test_a_problem_becomes_a_supervised_task_of_the_lead_unit(cast: Cast) -> None:
    project = created(cast)
    filed = report(cast, project, problems="用地指标待协调")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    task = services.project_raise_task(
        actor=cast.supervisor,
        project=project,
        title="协调用地指标",
        description=filed.problems,
        deadline=deadline,
        report=filed,
    )
    assert task.state == Task.State.ASSIGNED
    assert (task.lead_unit, task.source_reference, task.deadline) == (
        cast.encheng,
        "XM-001",
        deadline,
    )
    assert task.supervising_unit == cast.supervision
    link = ProjectTask.objects.get()
    assert (link.project, link.task, link.report) == (project, task, filed)
    second = services.project_raise_task(
        actor=cast.supervisor, project=project, title="再协调", description="", deadline=deadline
    )
    assert second.code != task.code


def test_only_the_supervising_office_raises_tasks(cast: Cast) -> None:
    project = created(cast)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    for user in (cast.investment, cast.encheng_staff, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.project_raise_task(
                actor=user, project=project, title="x", description="", deadline=deadline
            )
    assert not Task.objects.exists()


def test_a_task_deadline_in_the_past_is_refused(cast: Cast) -> None:
    project = created(cast)
    with pytest.raises(ValidationError) as refused:
        services.project_raise_task(
            actor=cast.supervisor,
            project=project,
            title="x",
            description="",
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "deadline" in refused.value.message_dict
    assert not Task.objects.exists()
