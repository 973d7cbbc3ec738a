"""The indicator demo data: it tells the article's story, holds together, and loads once.

The first-place counts are computed here with a plain competition ranking, independently of the
ranking engine that issue 4 builds on the same data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from jinwei.accounts.demo import load_foundation
from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.core.demo import DEMO_NOTE, demo_steps
from jinwei.indicators import demo_data, milestones
from jinwei.indicators.demo import load_indicators
from jinwei.indicators.demo_data import (
    ANNUAL_DATA,
    CITY_DATA,
    COUNTIES,
    ENPING,
    ILLUSTRATIVE_SOURCE,
    JIANGMEN,
    MONTHLY_DATA,
    PUBLISHED,
    SPECS,
    TAISHAN,
    YEARS,
    number,
)
from jinwei.indicators.models import Indicator, Observation, Target
from jinwei.indicators.progress import Colour
from jinwei.indicators.services import target_progress
from jinwei.lib.periods import parse_period


@pytest.fixture
def loaded(db: None) -> None:
    load_foundation()
    load_indicators()


def competition_ranks(values: dict[str, Decimal], *, higher_is_better: bool) -> dict[str, int]:
    """1, 2, 2, 4: one plus the number of regions strictly better."""
    sign = 1 if higher_is_better else -1
    return {
        region: 1 + sum(1 for other in values.values() if sign * other > sign * value)
        for region, value in values.items()
    }


def first_place_counts(year: int) -> Counter[str]:
    """How many annual indicators each of Jiangmen's county units ranks first in, from the DB."""
    rows = Observation.objects.filter(
        region__parent__code=JIANGMEN,
        period=str(year),
        indicator__frequency=Indicator.Frequency.ANNUAL,
    ).values_list("indicator__code", "indicator__direction", "region__code", "value")
    tables: dict[str, dict[str, Decimal]] = defaultdict(dict)
    directions: dict[str, str] = {}
    for code, direction, region, value in rows:
        tables[code][region] = value
        directions[code] = direction
    counts: Counter[str] = Counter()
    for code, values in tables.items():
        higher = directions[code] == Indicator.Direction.HIGHER
        ranks = competition_ranks(values, higher_is_better=higher)
        counts.update(region for region, rank in ranks.items() if rank == 1)
    return counts


def test_competition_ranking_shares_ties_and_respects_direction():
    values = {"a": Decimal(3), "b": Decimal(5), "c": Decimal(5), "d": Decimal(1)}
    assert competition_ranks(values, higher_is_better=True) == {"b": 1, "c": 1, "a": 3, "d": 4}
    assert competition_ranks(values, higher_is_better=False) == {"d": 1, "a": 2, "b": 3, "c": 3}


def test_enping_ranks_first_in_jiangmen_on_1_then_9_then_10_or_more_indicators(loaded):
    """从2021年只有1个"江门第一"，到2022年取得9个，再到2023年取得10余个."""
    assert first_place_counts(2021)[ENPING] == 1
    assert first_place_counts(2022)[ENPING] == 9
    assert first_place_counts(2023)[ENPING] >= 10
    assert first_place_counts(2023)[TAISHAN] >= 1  # 台山 shares first place on PM2.5 in 2023


def enping_milestones(code: str) -> list[tuple[str, int, Decimal | None]]:
    indicator = Indicator.objects.get(code=code)
    series = [
        (parse_period(period), value)
        for period, value in Observation.objects.filter(
            indicator=indicator, region__code=ENPING
        ).values_list("period", "value")
    ]
    found = milestones.detect(
        series, indicator.threshold_values(), higher_is_better=indicator.higher_is_better
    )
    return [(m.kind.value, m.period.year, m.threshold) for m in found]


def test_the_articles_breakthroughs_are_found_in_enpings_series_and_nothing_else(loaded):
    threshold, zero = milestones.Kind.THRESHOLD.value, milestones.Kind.FIRST_NONZERO.value
    expected = {
        "GDP": [(threshold, 2021, Decimal(200))],  # 首次突破200亿元
        "IND_OUTPUT": [(threshold, 2022, Decimal(200))],
        "NEW_INVEST": [(threshold, 2022, Decimal(100)), (threshold, 2023, Decimal(200))],
        "RETAIL": [(threshold, 2023, Decimal(100))],  # 突破百亿元
        "QINGBEI": [(zero, 2023, None)],  # "清北"录取生零的突破
        "LITTLE_GIANT": [(zero, 2023, None)],
        "KEY_LAB": [(zero, 2023, None)],
    }
    found = {code: enping_milestones(code) for code in SPECS}
    assert {code: events for code, events in found.items() if events} == expected


def test_published_figures_carry_their_source_and_everything_else_is_illustrative(loaded):
    published = {
        ("440785", "2021"): "205.72",
        ("440781", "2022"): "516.5",
        ("440781", "2023"): "547.4",
        ("440784", "2020"): "374.76",
        ("440784", "2023"): "502.87",
        ("440705", "2023"): "1011.25",
        ("440700", "2019"): "3146.64",
        ("440700", "2020"): "3200.95",
        ("440700", "2023"): "4022.25",
    }
    real = Observation.objects.filter(is_illustrative=False).values_list(
        "indicator__code", "region__code", "period", "value", "source", "growth_rate"
    )
    assert {(region, period): value for _, region, period, value, *_ in real} == {
        key: Decimal(value) for key, value in published.items()
    }
    for code, region, period, _value, source, growth_rate in real:
        assert code == "GDP"
        assert source == PUBLISHED[("GDP", region, int(period))]
        assert "统计公报" in source
        assert growth_rate is None  # no illustrative figure rides on a published one
    illustrative = Observation.objects.filter(is_illustrative=True)
    assert illustrative.count() > 1000
    assert not illustrative.exclude(source=ILLUSTRATIVE_SOURCE).exists()


def test_past_years_are_approved_and_2024_is_submitted(loaded):
    rows = Observation.objects.values_list("period", "status")
    assert {status for period, status in rows if period < "2024"} == {"approved"}
    assert {status for period, status in rows if period >= "2024"} == {"submitted"}


def test_at_september_2024_one_target_is_yellow_one_red_and_the_rest_green(loaded):
    enping = Region.objects.get(code=ENPING)
    colours = {}
    for target in Target.objects.filter(region=enping, year=2024).select_related("indicator"):
        obs = Observation.objects.get(indicator=target.indicator, region=enping, period="2024-09")
        status = target_progress(
            target.indicator, {"region": enping}, obs.period_obj, obs.value, obs.growth_rate
        )
        assert status is not None
        colours[target.indicator.code] = status.colour
    assert colours == {
        "IND_VA_M": Colour.GREEN,
        "FAI_M": Colour.YELLOW,
        "RETAIL_M": Colour.GREEN,
        "REVENUE_M": Colour.GREEN,
        "NEW_INVEST_M": Colour.RED,
    }
    headline = set(Indicator.objects.filter(is_headline=True).values_list("code", flat=True))
    assert {"FAI_M", "NEW_INVEST_M", "RETAIL_M"} <= headline  # shown on the situation page


def test_a_second_run_creates_nothing_and_writes_no_audit_entry(loaded):
    entries = AuditEntry.objects.count()
    assert load_indicators() == 0
    assert AuditEntry.objects.count() == entries


def test_a_rerun_recreates_only_what_was_deleted(loaded):
    Observation.objects.filter(region__code=ENPING, period="2023").delete()
    entries = AuditEntry.objects.count()
    assert load_indicators() == len(ANNUAL_DATA)
    assert AuditEntry.objects.count() == entries + len(ANNUAL_DATA)


def test_every_row_it_creates_is_in_the_audit_trail_as_demo_data(loaded):
    for model in (Indicator, Observation, Target):
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        logged = AuditEntry.objects.filter(
            content_type__model=model._meta.model_name, action=AuditEntry.Action.CREATE
        )
        assert set(logged.values_list("object_id", flat=True)) == ids
        assert set(logged.values_list("note", flat=True)) == {DEMO_NOTE}
        assert not logged.exclude(actor=None).exists()
    gdp = Observation.objects.get(indicator__code="GDP", region__code=ENPING, period="2021")
    entry = AuditEntry.objects.get(content_type__model="observation", object_id=str(gdp.pk))
    assert Decimal(entry.after["value"]) == Decimal("205.72")
    assert (entry.after["source"], entry.after["is_illustrative"]) == (gdp.source, False)


def test_it_runs_after_the_foundation():
    names = [step.name for step in demo_steps()]
    assert names.index("foundation") < names.index("indicators")


# The data file on its own: plausible and consistent.


def test_the_seven_counties_add_up_to_about_jiangmen():
    for year, total in CITY_DATA["GDP"].items():
        counties = sum(ANNUAL_DATA["GDP"][c][YEARS.index(year)] for c in COUNTIES)
        assert abs(counties - total) / total < 0.01, year


def test_enping_is_the_smallest_economy_and_from_2022_the_fastest_growing():
    for i, year in enumerate(YEARS):
        gdp = {c: ANNUAL_DATA["GDP"][c][i] for c in COUNTIES}
        assert min(gdp, key=gdp.__getitem__) == ENPING, year
        if year >= 2022:
            growth = {c: ANNUAL_DATA["GDP_GROWTH"][c][i] for c in COUNTIES}
            assert max(growth, key=growth.__getitem__) == ENPING, year


def test_reported_growth_rates_agree_with_the_level_series():
    for spec in SPECS.values():
        if spec.growth_of is None:
            continue
        for county in COUNTIES:
            levels, rates = ANNUAL_DATA[spec.growth_of][county], ANNUAL_DATA[spec.code][county]
            for i in range(1, len(YEARS)):
                nominal = (levels[i] / levels[i - 1] - 1) * 100
                reported = rates[i]
                where = (spec.code, county, YEARS[i])
                assert abs(reported - nominal) <= 7, where  # real vs nominal, scope changes
                if abs(nominal) >= 1:
                    assert (reported > 0) == (nominal > 0), where


def test_industrial_value_added_is_about_a_quarter_of_gross_output():
    for county in COUNTIES:
        for added, gross in zip(
            ANNUAL_DATA["IND_VA"][county], ANNUAL_DATA["IND_OUTPUT"][county], strict=True
        ):
            assert 0.2 < added / gross < 0.3


def test_every_value_is_in_range_and_written_to_the_indicators_decimals():
    for code, table in ANNUAL_DATA.items():
        spec = SPECS[code]
        assert spec.frequency == "annual" and set(table) == set(COUNTIES), code
        for values in table.values():
            assert len(values) == len(YEARS)
            for value in values:
                exponent = number(value).as_tuple().exponent
                assert isinstance(exponent, int) and -exponent <= spec.decimals, (code, value)
                assert spec.valid_min is None or value >= spec.valid_min, (code, value)
                assert spec.valid_max is None or value <= spec.valid_max, (code, value)
                assert spec.growth_of is not None or value != 0 or spec.unit in ("个", "人")


def test_monthly_figures_are_cumulative_and_end_below_the_years_total():
    for code, months in MONTHLY_DATA.items():
        spec = SPECS[code]
        assert (spec.frequency, spec.value_kind) == ("monthly", "cumulative")
        values = [value for value, _growth in months]
        assert values == sorted(values) and len(values) == demo_data.MONTHS_OF_2024
        annual = ANNUAL_DATA[code.removesuffix("_M")][ENPING][YEARS.index(2024)]
        assert 0.35 < values[-1] / annual < 0.85, code
