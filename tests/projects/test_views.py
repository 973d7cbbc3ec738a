"""The key-project pages: list (filters, htmx, bounded queries), export, create, edit, the
project's page, stage steps, monthly reports, milestones, plans, raised tasks, the investment
summary with its export and the indicator it feeds."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinwei.indicators.models import Observation
from jinwei.projects import services
from jinwei.projects.models import InvestmentReport, Project, ProjectRules
from jinwei.tasks.models import Task
from tests.conftest import Cast
from tests.indicators.factories import IndicatorFactory
from tests.projects.factories import (
    InvestmentPlanFactory,
    InvestmentReportFactory,
    ParkFactory,
    ProjectFactory,
)

D = datetime.date


def today() -> datetime.date:
    return timezone.localdate()


def make_project(cast: Cast, **fields: Any) -> Project:
    values: dict[str, Any] = {
        "government": cast.enping,
        "code": "XM-001",
        "name": "浩洋股份演艺灯光制造基地",
        "kind": Project.Kind.INDUSTRIAL,
        "total_investment": Decimal("50000"),
        "lead_unit": cast.encheng,
        "investor": "广州市浩洋电子股份有限公司",
        "investor_contact": "蒋先生",
        "investor_phone": "13800000000",
        "signed_on": D(2024, 1, 10),
        "planned_start": D(2024, 3, 1),
        "planned_completion": D(2025, 2, 28),
    }
    values.update(fields)
    return services.project_create(actor=cast.investment, project=Project(**values))


def client_for(cast: Cast, user: Any) -> Client:
    """A signed-in client answering in English, the msgids the tests compare with."""
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def sheet_rows(content: bytes, index: int = 0) -> list[tuple[Any, ...]]:
    book = load_workbook(BytesIO(content), read_only=True)
    return list(book.worksheets[index].iter_rows(values_only=True))


# --- the list -----------------------------------------------------------------------------------


def test_list_shows_the_governments_projects_with_their_colour(cast: Cast) -> None:
    make_project(cast)
    make_project(cast, code="XM-002", name="珠西科创智谷", planned_start=None)
    response = client_for(cast, cast.encheng_staff).get(reverse("projects:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "浩洋股份演艺灯光制造基地" in html and "珠西科创智谷" in html
    assert "status status-none" in html


def test_list_filters_by_stage_kind_park_unit_and_colour(cast: Cast) -> None:
    park = ParkFactory(government=cast.enping, name="道氏新材料产业园")
    make_project(cast, code="A", name="甲项目", park=park)
    make_project(cast, code="B", name="乙项目", lead_unit=cast.hengpi, kind="infrastructure")
    make_project(cast, code="C", name="丙项目", stage=Project.Stage.IN_PRODUCTION)
    client = client_for(cast, cast.supervisor)

    def names(**query: Any) -> set[str]:
        html = client.get(reverse("projects:list"), query).content.decode()
        return set(re.findall(r"[甲乙丙]项目", html))

    assert names(park=park.pk) == {"甲项目"}
    assert names(unit=cast.hengpi.pk) == {"乙项目"}
    assert names(kind="infrastructure") == {"乙项目"}
    assert names(stage="in_production") == {"丙项目"}
    assert names(colour="done") == {"丙项目"}
    assert names(colour="red") == {"甲项目", "乙项目"}  # signed, not started long after 2024-03
    assert names(q="乙") == {"乙项目"}


def test_list_answers_htmx_with_the_results_only(cast: Cast) -> None:
    make_project(cast)
    response = client_for(cast, cast.viewer).get(
        reverse("projects:list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="project-results"
    )
    html = response.content.decode()
    assert "浩洋股份演艺灯光制造基地" in html and "<html" not in html


def test_another_governments_staff_do_not_see_the_projects(cast: Cast) -> None:
    project = make_project(cast)
    client = client_for(cast, cast.outsider)
    assert "浩洋" not in client.get(reverse("projects:list")).content.decode()
    assert client.get(detail_url(project)).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_list_queries_are_bounded(
    cast: Cast, size: int, django_assert_max_num_queries: Any
) -> None:
    park = ParkFactory(government=cast.enping)
    for n in range(size):
        ProjectFactory(code=f"P{n:03d}", lead_unit=cast.encheng, park=park, leader=cast.leader)
    client = client_for(cast, cast.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200


def test_export_has_the_filtered_rows_and_contacts_only_for_those_allowed(cast: Cast) -> None:
    make_project(cast)
    make_project(cast, code="XM-002", name="横陂项目", lead_unit=cast.hengpi)
    url = reverse("projects:export") + f"?unit={cast.encheng.pk}"
    rows = sheet_rows(client_for(cast, cast.investment).get(url).content)
    data = rows[2:]
    assert [r[0] for r in data] == ["XM-001"]
    assert "蒋先生" in data[0]
    staff_rows = sheet_rows(client_for(cast, cast.encheng_staff).get(url).content)
    assert "蒋先生" not in staff_rows[2] and "13800000000" not in staff_rows[2]
    assert len(staff_rows[1]) == len(rows[1]) - 3  # no contact, phone, e-mail columns


# --- create and edit ----------------------------------------------------------------------------


def project_form(cast: Cast, **fields: Any) -> dict[str, Any]:
    data = {
        "code": "XM-100",
        "name": "正旭新能源项目",
        "kind": "industrial",
        "total_investment": "30000",
        "lead_unit": cast.hengpi.pk,
        "investor": "正旭新能源",
        "signed_on": "2024-05-01",
        "planned_start": "2024-07-01",
        "planned_completion": "2025-12-31",
        "plan_amount": "8000",
    }
    data.update(fields)
    return data


def test_investment_staff_create_a_project_with_this_years_plan(cast: Cast) -> None:
    response = client_for(cast, cast.investment).post(
        reverse("projects:create"), project_form(cast)
    )
    project = Project.objects.get(code="XM-100")
    assert response.status_code == 302 and response.url == detail_url(project)
    assert project.stage == Project.Stage.SIGNED and project.stage_changes.count() == 1
    assert project.plans.get().year == today().year


def test_create_shows_errors_at_their_fields(cast: Cast) -> None:
    data = project_form(cast, planned_start="2026-01-01", total_investment="-1")
    response = client_for(cast, cast.investment).post(reverse("projects:create"), data)
    assert response.status_code == 400
    assert not Project.objects.exists()


@pytest.mark.parametrize("user_name", ["encheng_staff", "leader", "statistician"])
def test_create_is_refused_to_others(cast: Cast, user_name: str) -> None:
    client = client_for(cast, getattr(cast, user_name))
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:create"), project_form(cast)).status_code == 403


def test_edit_saves_and_refuses_a_stale_version(cast: Cast) -> None:
    project = make_project(cast)
    client = client_for(cast, cast.supervisor)
    url = reverse("projects:edit", args=[project.pk])
    data = project_form(cast, code="XM-001", version=project.version, name="改名后")
    data.pop("plan_amount")
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.name == "改名后"
    stale = client.post(url, {**data, "name": "又改名", "version": project.version - 1})
    assert stale.status_code == 400
    project.refresh_from_db()
    assert project.name == "改名后"
    assert client_for(cast, cast.encheng_staff).get(url).status_code == 403


# --- the project's page ---------------------------------------------------------------------------


def test_detail_shows_contacts_only_to_those_allowed(cast: Cast) -> None:
    project = make_project(cast)
    for user in (cast.investment, cast.supervisor, cast.leader):
        assert "蒋先生" in client_for(cast, user).get(detail_url(project)).content.decode()
    for user in (cast.encheng_staff, cast.hengpi_staff, cast.viewer, cast.statistician):
        html = client_for(cast, user).get(detail_url(project)).content.decode()
        assert "广州市浩洋电子股份有限公司" in html
        assert "蒋先生" not in html and "13800000000" not in html


def test_detail_has_the_chart_milestones_stages_reports_and_tasks(cast: Cast) -> None:
    project = make_project(
        cast,
        planned_start=today() - datetime.timedelta(days=90),
        planned_completion=today() + datetime.timedelta(days=300),
    )
    services.milestone_add(
        actor=cast.investment, project=project, name="主体封顶", planned_on=D(2024, 9, 30)
    )
    InvestmentPlanFactory(project=project, year=today().year, amount=Decimal("1200"))
    InvestmentReportFactory(
        project=project, period=f"{today().year}-01", amount=Decimal("100"), problems="缺电"
    )
    task = services.project_raise_task(
        actor=cast.supervisor,
        project=project,
        title="协调供电",
        description="",
        deadline=today() + datetime.timedelta(days=10),
    )
    response = client_for(cast, cast.encheng_staff).get(detail_url(project))
    html = response.content.decode()
    assert "主体封顶" in html and "2024-09-30" in html
    assert "缺电" in html
    assert reverse("tasks:detail", args=[task.pk]) in html
    figure = json.loads(re.search(r'id="investment-figure"[^>]*>(.*?)</script>', html).group(1))
    names = [trace["name"] for trace in figure["data"]]
    assert len(names) == 3  # completed in the month, to date, planned to date
    assert figure["data"][0]["y"][0] == 100.0
    assert "unsafe-inline" in response.headers["Content-Security-Policy"]


def test_detail_queries_do_not_grow_with_reports(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    project = make_project(cast)
    for month in range(1, 13):
        InvestmentReportFactory(project=project, period=f"2024-{month:02d}")
    client = client_for(cast, cast.encheng_staff)
    with django_assert_max_num_queries(14):
        assert client.get(detail_url(project)).status_code == 200


# --- stage steps ----------------------------------------------------------------------------------


def test_lead_unit_records_the_next_stage(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:advance", args=[project.pk])
    data = {"to_stage": "started", "on": "2024-03-05", "version": project.version}
    response = client_for(cast, cast.encheng_staff).post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.started_on) == ("started", D(2024, 3, 5))


def test_a_skipped_stage_is_refused_with_a_message(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:advance", args=[project.pk])
    data = {"to_stage": "completed", "on": "2024-03-05", "version": project.version}
    response = client_for(cast, cast.encheng_staff).post(url, data, follow=True)
    assert "one at a time" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "signed"


def test_other_units_staff_cannot_move_the_stage(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:advance", args=[project.pk])
    data = {"to_stage": "started", "on": "2024-03-05", "version": project.version}
    assert client_for(cast, cast.hengpi_staff).post(url, data).status_code == 403
    assert client_for(cast, cast.outsider).post(url, data).status_code == 404
    assert client_for(cast, cast.encheng_staff).get(url).status_code == 405


# --- monthly reports ----------------------------------------------------------------------------


def test_lead_unit_files_the_monthly_report(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:report", args=[project.pk])
    client = client_for(cast, cast.encheng_staff)
    assert client.get(url).status_code == 200
    data = {"period": "2024-04", "amount": "1500", "progress": "20", "problems": "用地报批"}
    assert client.post(url, data).status_code == 302
    report = InvestmentReport.objects.get()
    assert (report.period, report.amount, report.reported_by) == (
        "2024-04",
        Decimal("1500"),
        cast.encheng_staff,
    )
    page = client.get(url + "?period=2024-04").content.decode()
    assert "1500" in page and "用地报批" in page  # filing the month again starts from its report


def test_a_bad_month_is_refused_at_its_field(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:report", args=[project.pk])
    data = {"period": "2024-13", "amount": "1500", "progress": "20"}
    response = client_for(cast, cast.encheng_staff).post(url, data)
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()
    assert not InvestmentReport.objects.exists()


def test_another_units_staff_cannot_report(cast: Cast) -> None:
    project = make_project(cast)
    url = reverse("projects:report", args=[project.pk])
    data = {"period": "2024-04", "amount": "1500", "progress": "20"}
    assert client_for(cast, cast.hengpi_staff).get(url).status_code == 403
    assert client_for(cast, cast.hengpi_staff).post(url, data).status_code == 403
    assert client_for(cast, cast.leader).post(url, data).status_code == 403
    assert not InvestmentReport.objects.exists()


# --- milestones, plans, raised tasks --------------------------------------------------------------


def test_milestones_and_plans_from_the_page(cast: Cast) -> None:
    project = make_project(cast)
    manager = client_for(cast, cast.investment)
    manager.post(
        reverse("projects:milestone_add", args=[project.pk]),
        {"ms-name": "主体封顶", "ms-planned_on": "2024-09-30"},
    )
    manager.post(
        reverse("projects:plan_set", args=[project.pk]),
        {"plan-year": "2025", "plan-amount": "3000"},
    )
    milestone = project.milestones.get()
    client_for(cast, cast.encheng_staff).post(
        reverse("projects:milestone_reach", args=[milestone.pk]), {"on": "2024-10-02"}
    )
    milestone.refresh_from_db()
    assert milestone.actual_on == D(2024, 10, 2)
    assert project.plans.get(year=2025).amount == Decimal("3000")
    refused = client_for(cast, cast.encheng_staff).post(
        reverse("projects:plan_set", args=[project.pk]), {"plan-year": "2025", "plan-amount": "1"}
    )
    assert refused.status_code == 403


def test_supervisor_raises_a_reported_problem_as_a_task(cast: Cast) -> None:
    project = make_project(cast)
    report = InvestmentReportFactory(project=project, period="2024-04", problems="用地指标")
    url = reverse("projects:raise_task", args=[project.pk])
    client = client_for(cast, cast.supervisor)
    form = client.get(url + f"?report={report.pk}").content.decode()
    assert "用地指标" in form
    deadline = (today() + datetime.timedelta(days=20)).isoformat()
    data = {"title": "协调用地指标", "description": "用地指标", "deadline": deadline}
    response = client.post(url, {**data, "report": report.pk})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.lead_unit == cast.encheng and task.project_link.report == report
    assert client_for(cast, cast.investment).post(url, data).status_code == 403
    assert Task.objects.count() == 1


# --- investment summary ---------------------------------------------------------------------------


def investment_fixture(cast: Cast) -> Project:
    park = ParkFactory(government=cast.enping, name="智能装备特色产业园")
    project = make_project(cast, park=park)
    InvestmentPlanFactory(project=project, year=2024, amount=Decimal("1200"))
    InvestmentReportFactory(project=project, period="2024-02", amount=Decimal("300"))
    return project


def test_investment_summary_per_park_unit_and_total(cast: Cast) -> None:
    investment_fixture(cast)
    response = client_for(cast, cast.viewer).get(reverse("projects:investment"), {"year": 2024})
    html = response.content.decode()
    assert response.status_code == 200
    assert "智能装备特色产业园" in html and "恩城街道" in html and "25.0" in html


def test_investment_export_has_a_tab_per_grouping(cast: Cast) -> None:
    investment_fixture(cast)
    response = client_for(cast, cast.encheng_staff).get(
        reverse("projects:investment_export"), {"year": 2024}
    )
    book = load_workbook(BytesIO(response.content), read_only=True)
    assert len(book.worksheets) == 3
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2][:4] == ("XM-001 浩洋股份演艺灯光制造基地", 1200, 300, 25)
    assert rows[2][4:7] == (0, 300, 300)  # 1–N月 cumulative


def test_statistician_writes_the_completed_investment_into_the_indicator(cast: Cast) -> None:
    investment_fixture(cast)
    indicator = IndicatorFactory(government=cast.enping, owner_unit=cast.stats_bureau, unit="万元")
    ProjectRules.objects.create(government=cast.enping, completed_investment_indicator=indicator)
    url = reverse("projects:investment_feed")
    data = {"government": cast.enping.pk, "year": "2024"}
    assert client_for(cast, cast.encheng_staff).post(url, data).status_code == 403
    response = client_for(cast, cast.statistician).post(url, data)
    assert response.status_code == 302
    assert Observation.objects.get(indicator=indicator).value == Decimal("300")


@pytest.mark.parametrize("size", [2, 40])
def test_investment_summary_queries_are_bounded(
    cast: Cast, size: int, django_assert_max_num_queries: Any
) -> None:
    park = ParkFactory(government=cast.enping)
    for n in range(size):
        project = ProjectFactory(code=f"P{n:03d}", lead_unit=cast.encheng, park=park)
        InvestmentReportFactory(project=project, period="2024-05")
        InvestmentPlanFactory(project=project, year=2024)
    client = client_for(cast, cast.supervisor)
    with django_assert_max_num_queries(14):
        client.get(reverse("projects:investment"), {"year": 2024})
