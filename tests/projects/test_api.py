"""The projects API: list and detail scoped to the caller's government, investors' contacts only
for those allowed, monthly reports with the pages' rights and messages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jinwei.projects import services
from jinwei.projects.models import InvestmentReport, Project
from tests.conftest import Cast
from tests.projects.factories import InvestmentReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def url(path: str = "") -> str:
    return f"/api/v1/projects/{path}"


def client_for(cast: Cast, user: Any) -> Client:
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def project(cast: Cast) -> Project:
    return services.project_create(
        actor=cast.investment,
        project=Project(
            government=cast.enping,
            code="XM-001",
            name="恩平市职教园区",
            kind=Project.Kind.PUBLIC_SERVICE,
            total_investment=Decimal("120000"),
            lead_unit=cast.encheng,
            investor="恩平市教育局",
            investor_contact="李老师",
            investor_phone="0750-7111111",
            investor_email="school@example.cn",
            signed_on=D(2023, 6, 1),
            planned_start=D(2023, 8, 1),
            planned_completion=D(2024, 8, 31),
        ),
        plans={2024: Decimal("40000")},
    )


def test_list_gives_the_governments_projects_with_colour(cast: Cast, project: Project) -> None:
    body = client_for(cast, cast.encheng_staff).get(url()).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["code"], item["stage"], item["colour"]) == ("XM-001", "signed", "red")
    assert item["time_progress"] == 100
    assert item["lead_unit"]["name"] == "恩城街道"


def test_list_filters(cast: Cast, project: Project) -> None:
    ProjectFactory(lead_unit=cast.hengpi, stage=Project.Stage.COMPLETED)
    client = client_for(cast, cast.supervisor)
    assert client.get(url(), {"unit": cast.hengpi.pk}).json()["count"] == 1
    assert client.get(url(), {"stage": "signed"}).json()["items"][0]["code"] == "XM-001"
    assert client.get(url(), {"kind": "infrastructure"}).json()["count"] == 0


@pytest.mark.parametrize("user_name", ["investment", "supervisor", "leader", "admin"])
def test_contacts_are_given_to_those_allowed(cast: Cast, project: Project, user_name: str) -> None:
    item = client_for(cast, getattr(cast, user_name)).get(url()).json()["items"][0]
    assert (item["investor_contact"], item["investor_phone"], item["investor_email"]) == (
        "李老师",
        "0750-7111111",
        "school@example.cn",
    )


@pytest.mark.parametrize("user_name", ["encheng_staff", "hengpi_staff", "statistician", "viewer"])
def test_contacts_are_null_for_everyone_else(cast: Cast, project: Project, user_name: str) -> None:
    client = client_for(cast, getattr(cast, user_name))
    for item in (client.get(url()).json()["items"][0], client.get(url(f"{project.pk}")).json()):
        assert item["investor"] == "恩平市教育局"
        assert (item["investor_contact"], item["investor_phone"], item["investor_email"]) == (
            None,
            None,
            None,
        )


def test_another_government_sees_nothing(cast: Cast, project: Project) -> None:
    client = client_for(cast, cast.outsider)
    assert client.get(url()).json()["count"] == 0
    assert client.get(url(f"{project.pk}")).status_code == 404


def test_detail_has_plans_stages_and_reports(cast: Cast, project: Project) -> None:
    InvestmentReportFactory(project=project, period="2024-02", amount=Decimal("900.5"))
    body = client_for(cast, cast.viewer).get(url(f"{project.pk}")).json()
    assert body["plans"] == [{"year": 2024, "amount": "40000.00"}]
    assert [s["to_stage"] for s in body["stage_changes"]] == ["signed"]
    assert body["reports"][0]["period"] == "2024-02"
    assert body["reports"][0]["amount"] == "900.50"


def test_lead_unit_posts_a_monthly_report(cast: Cast, project: Project) -> None:
    payload = {"period": "2024-03", "amount": "1200", "progress": 35, "problems": "缺少用电"}
    response = client_for(cast, cast.encheng_staff).post(
        url(f"{project.pk}/reports"), payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["reported_by"] == "eve"
    project.refresh_from_db()
    assert project.progress == 35
    again = client_for(cast, cast.encheng_staff).post(
        url(f"{project.pk}/reports"),
        {**payload, "amount": "1300", "version": response.json()["version"]},
        content_type="application/json",
    )
    assert again.status_code == 200
    assert InvestmentReport.objects.get().amount == Decimal("1300")


def test_another_units_staff_cannot_post_a_report(cast: Cast, project: Project) -> None:
    payload = {"period": "2024-03", "amount": "1200", "progress": 35}
    response = client_for(cast, cast.hengpi_staff).post(
        url(f"{project.pk}/reports"), payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert "lead unit" in response.json()["detail"]
    outsider = client_for(cast, cast.outsider).post(
        url(f"{project.pk}/reports"), payload, content_type="application/json"
    )
    assert outsider.status_code == 404
    assert not InvestmentReport.objects.exists()


def test_a_bad_month_gets_400_with_the_reason(cast: Cast, project: Project) -> None:
    payload = {"period": "March", "amount": "1200", "progress": 35}
    response = client_for(cast, cast.encheng_staff).post(
        url(f"{project.pk}/reports"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert "YYYY-MM" in response.json()["detail"]


def test_a_stale_version_gets_409(cast: Cast, project: Project) -> None:
    InvestmentReportFactory(project=project, period="2024-03")
    payload = {"period": "2024-03", "amount": "1", "progress": 1, "version": 7}
    response = client_for(cast, cast.encheng_staff).post(
        url(f"{project.pk}/reports"), payload, content_type="application/json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize("size", [2, 60])
def test_list_queries_are_bounded(
    cast: Cast, size: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(size):
        ProjectFactory(code=f"P{n:03d}", lead_unit=cast.encheng)
    client = client_for(cast, cast.investment)
    with django_assert_max_num_queries(8):
        assert client.get(url()).status_code == 200
