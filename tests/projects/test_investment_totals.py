"""Annual plan against completed investment, per project, park, lead unit and in total, and the
completed investment written to the indicator it feeds."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from jinwei.indicators.models import Indicator, Observation
from jinwei.projects import investment_totals
from jinwei.projects.models import Park, Project, ProjectRules
from tests.conftest import Cast
from tests.indicators.factories import IndicatorFactory
from tests.projects.factories import (
    InvestmentPlanFactory,
    InvestmentReportFactory,
    ParkFactory,
    ProjectFactory,
)

Z = Decimal("0")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English, the msgids the tests compare with."""
    with translation.override("en"):
        yield


@pytest.fixture
def ledger(cast: Cast) -> dict[str, object]:
    """Two parks, two lead units, three projects; reports in 2024 (and one in 2023, not counted)."""
    north = ParkFactory(government=cast.enping, name="智能装备特色产业园")
    south = ParkFactory(government=cast.enping, name="道氏新材料产业园")
    a = ProjectFactory(code="A", lead_unit=cast.encheng, park=north)
    b = ProjectFactory(code="B", lead_unit=cast.hengpi, park=north)
    c = ProjectFactory(code="C", lead_unit=cast.hengpi, park=None)
    InvestmentPlanFactory(project=a, year=2024, amount=Decimal("1200"))
    InvestmentPlanFactory(project=b, year=2024, amount=Decimal("800"))
    InvestmentPlanFactory(project=c, year=2025, amount=Decimal("999"))
    for project, period, amount in [
        (a, "2024-01", "100"),
        (a, "2024-03", "200"),
        (b, "2024-03", "50.5"),
        (c, "2024-02", "30"),
        (a, "2023-12", "7000"),
    ]:
        InvestmentReportFactory(project=project, period=period, amount=Decimal(amount))
    return {"north": north, "south": south, "a": a, "b": b, "c": c}


def enping_projects(cast: Cast) -> object:
    return Project.objects.filter(government=cast.enping)


def test_per_project_plan_completed_and_cumulative(cast: Cast, ledger: dict) -> None:
    rows = investment_totals.totals_by(enping_projects(cast), 2024, "project")
    assert [r.code for r in rows] == ["A", "B", "C"]
    a = rows[0]
    assert (a.planned, a.completed, a.rate) == (Decimal("1200"), Decimal("300"), Decimal("25.0"))
    assert a.cumulative[:4] == [Decimal("100"), Decimal("100"), Decimal("300"), Decimal("300")]
    assert a.cumulative[-1] == Decimal("300")
    c = rows[2]
    assert (c.planned, c.completed, c.rate) == (Z, Decimal("30"), None)


def test_per_park_per_unit_and_total(cast: Cast, ledger: dict) -> None:
    projects = enping_projects(cast)
    parks = investment_totals.totals_by(projects, 2024, "park")
    north = ledger["north"]
    assert isinstance(north, Park)
    assert [(r.key, r.planned, r.completed) for r in parks] == [
        (north.pk, Decimal("2000"), Decimal("350.5")),
        (None, Z, Decimal("30")),  # the project outside any park comes last
    ]
    units = {
        r.name: (r.planned, r.completed)
        for r in investment_totals.totals_by(projects, 2024, "unit")
    }
    assert units == {
        "恩城街道": (Decimal("1200"), Decimal("300")),
        "横陂镇": (Decimal("800"), Decimal("80.5")),
    }
    total = investment_totals.total(projects, 2024)
    assert (total.planned, total.completed) == (Decimal("2000"), Decimal("380.5"))
    assert total.monthly[:3] == [Decimal("100"), Decimal("30"), Decimal("250.5")]


def test_a_year_without_anything_totals_zero(cast: Cast, ledger: dict) -> None:
    total = investment_totals.total(enping_projects(cast), 2030)
    assert (total.planned, total.completed, total.rate) == (Z, Z, None)


def test_totals_take_a_bounded_number_of_queries(
    cast: Cast, ledger: dict, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(2):  # type: ignore[operator]
        investment_totals.totals_by(enping_projects(cast), 2024, "park")


# --- the indicator ------------------------------------------------------------------------------


def configure(cast: Cast, **fields: object) -> Indicator:
    indicator = IndicatorFactory(
        government=cast.enping, owner_unit=cast.stats_bureau, code="zdxmtz", **fields
    )
    ProjectRules.objects.create(government=cast.enping, completed_investment_indicator=indicator)
    return indicator


def values(indicator: Indicator) -> dict[str, Decimal]:
    rows = Observation.objects.filter(indicator=indicator, region__isnull=False)
    return dict(rows.values_list("period", "value"))


def test_nothing_is_written_without_a_configured_indicator(cast: Cast, ledger: dict) -> None:
    assert (
        investment_totals.feed_indicator(actor=cast.statistician, government=cast.enping, year=2024)
        == []
    )
    ProjectRules.objects.create(government=cast.enping)
    assert (
        investment_totals.feed_indicator(actor=cast.statistician, government=cast.enping, year=2024)
        == []
    )
    assert not Observation.objects.exists()


def test_an_annual_indicator_gets_the_years_total(cast: Cast, ledger: dict) -> None:
    indicator = configure(cast, unit="万元", frequency=Indicator.Frequency.ANNUAL)
    saved = investment_totals.feed_indicator(
        actor=cast.statistician, government=cast.enping, year=2024
    )
    assert len(saved) == 1
    assert values(indicator) == {"2024": Decimal("380.5")}
    observation = saved[0].observation
    assert observation.region == cast.enping
    assert "key projects" in observation.source


def test_a_monthly_cumulative_indicator_gets_each_month_to_date(cast: Cast, ledger: dict) -> None:
    indicator = configure(
        cast,
        unit="亿元",
        decimals=4,
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
    )
    investment_totals.feed_indicator(actor=cast.supervisor, government=cast.enping, year=2024)
    assert values(indicator) == {  # 万元 converted to 亿元
        "2024-01": Decimal("0.0100"),
        "2024-02": Decimal("0.0130"),
        "2024-03": Decimal("0.0381"),
    }


def test_a_monthly_point_indicator_gets_each_months_amount(cast: Cast, ledger: dict) -> None:
    indicator = configure(cast, unit="万元", frequency=Indicator.Frequency.MONTHLY)
    investment_totals.feed_indicator(actor=cast.statistician, government=cast.enping, year=2024)
    assert values(indicator) == {
        "2024-01": Decimal("100"),
        "2024-02": Decimal("30"),
        "2024-03": Decimal("250.5"),
    }


def test_feeding_again_updates_the_same_values(cast: Cast, ledger: dict) -> None:
    indicator = configure(cast, unit="万元")
    investment_totals.feed_indicator(actor=cast.statistician, government=cast.enping, year=2024)
    InvestmentReportFactory(project=ledger["a"], period="2024-04", amount=Decimal("19.5"))
    investment_totals.feed_indicator(actor=cast.statistician, government=cast.enping, year=2024)
    assert values(indicator) == {"2024": Decimal("400")}


def test_the_indicators_rights_apply(cast: Cast, ledger: dict) -> None:
    configure(cast, unit="万元")
    with pytest.raises(PermissionDenied):
        investment_totals.feed_indicator(actor=cast.hengpi_staff, government=cast.enping, year=2024)
    assert not Observation.objects.exists()


def test_summary_gives_parks_units_and_total_from_two_queries(
    cast: Cast, ledger: dict, django_assert_num_queries: Any
) -> None:
    projects = enping_projects(cast)
    with django_assert_num_queries(2):
        summary = investment_totals.summary(projects, 2024)
    assert [(r.name, r.completed) for r in summary.by_park] == [
        ("智能装备特色产业园", Decimal("350.5")),
        ("", Decimal("30")),
    ]
    assert [r.name for r in summary.by_unit] == ["恩城街道", "横陂镇"]
    assert summary.total.completed == Decimal("380.5")
    assert summary.total.planned == investment_totals.total(projects, 2024).planned


def test_active_projects_are_those_with_a_plan_or_report_in_the_year(
    cast: Cast, ledger: dict
) -> None:
    ProjectFactory(code="D", lead_unit=cast.encheng)  # nothing at all
    codes = list(
        investment_totals.active_projects(enping_projects(cast), 2024).values_list(
            "code", flat=True
        )
    )
    assert codes == ["A", "B", "C"]
    codes_2025 = list(
        investment_totals.active_projects(enping_projects(cast), 2025).values_list(
            "code", flat=True
        )
    )
    assert codes_2025 == ["C"]
