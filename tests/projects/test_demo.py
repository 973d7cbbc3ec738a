"""The key projects demo: the article's parks and projects, every stage and schedule colour,
24 months of reports, a problem raised as a task, all played through the services and marked
illustrative, and a rerun that changes nothing (but recreates what was deleted)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from jinwei.accounts.demo import load_foundation
from jinwei.audit.models import AuditEntry
from jinwei.indicators.demo import load_indicators
from jinwei.indicators.models import Indicator
from jinwei.projects import demo_data
from jinwei.projects.demo import load_projects
from jinwei.projects.models import (
    ChainLink,
    IndustryChain,
    InvestmentPlan,
    InvestmentReport,
    Park,
    Project,
    ProjectMilestone,
    ProjectRules,
    ProjectStageChange,
    ProjectTask,
)
from jinwei.projects.schedule import Colour, ScheduleRules, project_schedule
from jinwei.tasks.models import Task

pytestmark = pytest.mark.django_db

ARTICLE_PARKS = {
    "智能装备特色产业园",
    "道氏新材料产业园",
    "珠西科创智谷",
    "中山(恩平)智能家电产业园",
    "江门水都产业园",
}


def test_the_demo(settings, tmp_path):
    """One load, then every check on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_foundation()
    load_indicators()
    assert load_projects() > 200
    check_the_articles_parks_and_chains()
    check_the_articles_projects()
    check_every_stage_and_colour()
    check_plans_milestones_and_reports()
    check_a_problem_raised_as_a_task()
    check_it_went_through_the_services()
    check_everything_illustrative_is_marked()
    check_the_rules_and_indicator()
    check_a_second_run_changes_nothing()
    check_a_rerun_recreates_a_deleted_project()


def snapshot() -> dict[str, int]:
    models = (
        IndustryChain,
        ChainLink,
        Park,
        Project,
        ProjectStageChange,
        ProjectMilestone,
        InvestmentPlan,
        InvestmentReport,
        ProjectTask,
        Task,
        AuditEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def check_the_articles_parks_and_chains() -> None:
    parks = Park.objects.filter(government__code="440785")
    assert set(parks.values_list("name", flat=True)) == ARTICLE_PARKS
    for park in parks:
        assert park.managing_unit is not None and park.chains.exists()
        assert "江门日报" in park.description  # the name's source
        assert park.projects.exists(), f"{park.name} has no project"
    water = parks.get(name="江门水都产业园")
    assert "蓬江" in water.description and "江海" in water.description
    chains = IndustryChain.objects.filter(government__code="440785")
    assert set(chains.values_list("name", flat=True)) == {
        "智能装备制造",
        "新材料",
        "新一代电子信息",
        "数控机床",
    }
    for chain in chains:
        segments = set(chain.links.values_list("segment", flat=True))
        assert segments == {"upstream", "midstream", "downstream"}, chain.name
    cnc = chains.get(name="数控机床")
    assert cnc.links.filter(parent__isnull=False).exists()  # nested links


def check_the_articles_projects() -> None:
    vocational = Project.objects.get(name__contains="职教园区")
    assert vocational.planned_completion == datetime.date(2024, 8, 31)
    assert vocational.kind == Project.Kind.PUBLIC_SERVICE
    assert "2024年8月" in vocational.description and "江门日报" in vocational.description
    lighting = Project.objects.get(name="浩洋股份演艺灯光制造基地")
    assert lighting.investor == "江门市浩明电子有限公司"
    assert lighting.stage == Project.Stage.IN_PRODUCTION
    assert lighting.completed_on == lighting.production_on == datetime.date(2024, 1, 12)
    assert "2024年1月12日" in lighting.description
    steps = list(lighting.stage_changes.values_list("to_stage", "on"))
    assert steps[-1] == ("in_production", datetime.date(2024, 1, 12))
    assert [stage for stage, _on in steps] == [
        "signed",
        "started",
        "under_construction",
        "completed",
        "in_production",
    ]


def colours() -> Counter[Colour]:
    today = timezone.localdate()
    rules = ScheduleRules.of(ProjectRules.objects.first())
    return Counter(project_schedule(p, today, rules).colour for p in Project.objects.all())


def check_every_stage_and_colour() -> None:
    stages = set(Project.objects.values_list("stage", flat=True))
    assert stages == set(Project.Stage.values)
    counts = colours()
    assert counts[Colour.GREEN] >= 2
    assert counts[Colour.YELLOW] >= 2
    assert counts[Colour.RED] >= 2
    assert counts[Colour.DONE] >= 3
    today = timezone.localdate()
    late = Project.objects.get(code=demo_data.NOT_STARTED)
    schedule = project_schedule(late, today, ScheduleRules())
    assert late.stage == Project.Stage.SIGNED and late.started_on is None
    assert late.planned_start is not None
    assert late.planned_start <= today - datetime.timedelta(days=92)
    assert schedule.colour is Colour.RED and schedule.not_started_late
    kinds = set(Project.objects.values_list("kind", flat=True))
    assert kinds == set(Project.Kind.values)


def check_plans_milestones_and_reports() -> None:
    lighting = Project.objects.get(name="浩洋股份演艺灯光制造基地")
    periods = list(lighting.reports.order_by("period").values_list("period", flat=True))
    assert len(periods) == 24 and periods[0] == "2022-02" and periods[-1] == "2024-01"
    assert Project.objects.filter(reports__isnull=False).distinct().count() >= 7
    by_project = Counter(InvestmentReport.objects.values_list("project__code", flat=True))
    assert sum(1 for n in by_project.values() if n >= 24) >= 2
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    running = Project.objects.filter(stage=Project.Stage.UNDER_CONSTRUCTION)
    assert running.filter(reports__period=last_month).exists()
    for project in running.filter(reports__isnull=False).distinct():
        newest = project.reports.order_by("-period").first()
        assert project.progress == newest.progress  # the newest report's progress is the project's
    assert InvestmentPlan.objects.filter(year=today.year).count() >= 5
    assert InvestmentReport.objects.exclude(problems="").exists()
    reached = ProjectMilestone.objects.filter(actual_on__isnull=False)
    assert reached.exists() and ProjectMilestone.objects.filter(actual_on__isnull=True).exists()
    assert all(m.actual_on <= today for m in reached)


def check_a_problem_raised_as_a_task() -> None:
    link = ProjectTask.objects.select_related("task", "project", "report").get()
    assert link.project.park is not None and link.project.park.name == "道氏新材料产业园"
    assert link.report is not None and link.task.description == link.report.problems
    assert link.task.lead_unit_id == link.project.lead_unit_id
    assert link.task.state == Task.State.ASSIGNED and link.task.is_illustrative


def check_it_went_through_the_services() -> None:
    entries = AuditEntry.objects.filter(content_type__app_label="projects")
    logged = set(entries.filter(content_type__model="project").values_list("object_id", flat=True))
    assert logged == {str(pk) for pk in Project.objects.values_list("pk", flat=True)}
    report_authors = set(
        InvestmentReport.objects.values_list("reported_by__memberships__unit", flat=True)
    )
    lead_units = set(Project.objects.values_list("lead_unit", flat=True))
    assert report_authors <= lead_units  # the lead units' own staff filed the reports
    # only the government's rules are settings the demo writes without an actor
    unattributed = entries.filter(actor__isnull=True).values_list("content_type__model", flat=True)
    assert set(unattributed) == {"projectrules"}


def check_everything_illustrative_is_marked() -> None:
    for model in (IndustryChain, Park, Project, InvestmentReport):
        assert not model.objects.filter(is_illustrative=False).exists(), model.__name__


def check_the_rules_and_indicator() -> None:
    rules = ProjectRules.objects.get(government__code="440785")
    expected = Indicator.objects.filter(name="重点项目完成投资").first()
    assert rules.completed_investment_indicator == expected
    assert (rules.yellow_behind_points, rules.red_behind_points) == (10, 30)


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    versions = dict(Project.objects.values_list("code", "version"))
    assert load_projects() == 0
    assert snapshot() == before
    assert dict(Project.objects.values_list("code", "version")) == versions


def check_a_rerun_recreates_a_deleted_project() -> None:
    code = "ZD-2024-09"
    Project.objects.filter(code=code).delete()
    assert load_projects() > 0
    project = Project.objects.get(code=code)
    assert project.park is not None and project.park.name == "珠西科创智谷"
    assert project.plans.exists()
