"""Milestone detection: on hand-made series (pure), and recomputed from the data on every read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from jinwei.indicators import selectors
from jinwei.indicators.milestones import Kind, Milestone, detect, first_nonzero, threshold_crossings
from jinwei.indicators.models import Indicator
from jinwei.lib.periods import parse_period
from tests.indicators.factories import IndicatorFactory, ObservationFactory


def series(*pairs: tuple[str, float | int]) -> list[tuple[str, Decimal]]:
    return [(period, Decimal(str(value))) for period, value in pairs]


def crossings(pairs, thresholds, higher_is_better=True):
    found = threshold_crossings(
        series(*pairs), [Decimal(t) for t in thresholds], higher_is_better=higher_is_better
    )
    return [(m.period, m.value, m.threshold) for m in found]


# --- thresholds ----------------------------------------------------------------------------


def test_the_first_value_above_the_threshold_is_the_milestone():
    found = crossings([("2019", 150), ("2020", 190.5), ("2021", 205.72), ("2022", 220)], [200])
    assert found == [("2021", Decimal("205.72"), Decimal(200))]


def test_touching_the_threshold_counts_as_reaching_it():
    found = crossings([("2020", 199.99), ("2021", 200), ("2022", 210)], [200])
    assert found == [("2021", Decimal(200), Decimal(200))]


def test_dipping_back_below_and_crossing_again_counts_once():
    found = crossings(
        [("2019", 180), ("2020", 201), ("2021", 195), ("2022", 230), ("2023", 199), ("2024", 240)],
        [200],
    )
    assert found == [("2020", Decimal(201), Decimal(200))]


def test_a_series_that_starts_above_the_threshold_has_no_crossing():
    """When it was crossed lies before the data: nothing to report, even after a dip."""
    assert crossings([("2019", 210), ("2020", 190), ("2021", 220)], [200]) == []


def test_a_series_that_never_reaches_the_threshold_has_none():
    assert crossings([("2019", 10), ("2020", 20)], [100]) == []


def test_each_threshold_has_its_own_first_crossing():
    found = crossings([("2019", 90), ("2020", 120), ("2021", 180), ("2022", 205)], [100, 200])
    assert found == [
        ("2020", Decimal(120), Decimal(100)),
        ("2022", Decimal(205), Decimal(200)),
    ]


def test_a_jump_past_two_thresholds_reports_the_furthest():
    found = crossings([("2019", 90), ("2020", 210)], [100, 200])
    assert found == [("2020", Decimal(210), Decimal(200))]


def test_the_order_of_the_input_does_not_matter():
    found = crossings([("2022", 220), ("2020", 150), ("2021", 205)], [200])
    assert found == [("2021", Decimal(205), Decimal(200))]


def test_lower_is_better_is_the_mirror():
    """E.g. energy use per unit of GDP: the first year at or below 0.5 after being above it."""
    found = crossings(
        [("2019", 0.62), ("2020", 0.55), ("2021", 0.5), ("2022", 0.53), ("2023", 0.45)],
        [0.5],
        higher_is_better=False,
    )
    assert found == [("2021", Decimal("0.5"), Decimal("0.5"))]


def test_lower_is_better_reports_the_lowest_threshold_of_a_jump():
    found = crossings([("2019", 12), ("2020", 4)], [5, 10], higher_is_better=False)
    assert found == [("2020", Decimal(4), Decimal(5))]


def test_it_works_on_periods_too():
    data = [(parse_period(p), v) for p, v in series(("2024-11", 95), ("2024-12", 101))]
    found = threshold_crossings(data, [Decimal(100)])
    assert [m.period for m in found] == [parse_period("2024-12")]


# --- 零的突破 -------------------------------------------------------------------------------


def test_the_first_non_zero_value_after_zeros_is_a_breakthrough():
    found = first_nonzero(series(("2020", 0), ("2021", 0), ("2022", 2), ("2023", 0), ("2024", 3)))
    assert found == Milestone(Kind.FIRST_NONZERO, "2022", Decimal(2))


def test_a_series_without_zeros_has_no_breakthrough():
    assert first_nonzero(series(("2022", 1), ("2023", 2))) is None


def test_zeros_alone_have_no_breakthrough():
    assert first_nonzero(series(("2022", 0), ("2023", 0))) is None


def test_the_breakthrough_follows_the_zero_run_not_the_start():
    """清华北大录取: one in 2006, none for sixteen years, then one in 2023."""
    found = first_nonzero(series(("2006", 1), ("2007", 0), ("2022", 0), ("2023", 1)))
    assert found is not None and found.period == "2023"


def test_detect_returns_both_kinds_oldest_first():
    found = detect(
        series(("2020", 0), ("2021", 1), ("2022", 3), ("2023", 6)),
        [Decimal(5)],
        higher_is_better=True,
    )
    assert [(m.kind, m.period) for m in found] == [
        (Kind.FIRST_NONZERO, "2021"),
        (Kind.THRESHOLD, "2023"),
    ]


# --- cumulative-to-date series (累计): only year-end totals prove a shortfall --------------------


def year_end(period: str) -> bool:
    return period.endswith("-12")


def test_with_evidence_only_a_year_end_total_below_counts_as_short():
    monthly = series(("2024-01", 5), ("2024-06", 30), ("2024-09", 55))
    assert threshold_crossings(monthly, [Decimal(50)], evidence=year_end) == []
    with_last_year = series(("2023-12", 45), ("2024-01", 5), ("2024-09", 55))
    [found] = threshold_crossings(with_last_year, [Decimal(50)], evidence=year_end)
    assert (found.period, found.value) == ("2024-09", Decimal(55))


def test_with_evidence_a_january_zero_is_no_run_of_zeros():
    """A count of 5 last year, 0 in January: its first non-zero month is no 零的突破."""
    assert (
        first_nonzero(series(("2023-12", 5), ("2024-01", 0), ("2024-02", 1)), evidence=year_end)
        is None
    )
    found = first_nonzero(series(("2023-12", 0), ("2024-01", 0), ("2024-03", 2)), evidence=year_end)
    assert found is not None and found.period == "2024-03"


def test_a_cumulative_monthly_indicator_uses_year_end_evidence(cast):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        thresholds=[50],
    )
    values = {"2023-06": 20, "2023-12": 45, "2024-01": 0, "2024-06": 30, "2024-09": 55}
    for period, value in values.items():
        ObservationFactory(indicator=indicator, period=period, value=Decimal(value))
    place = selectors.region_place(cast.enping)
    found = [(str(m.period), m.milestone.kind) for m in milestones_now(indicator, place)]
    assert found == [("2024-09", Kind.THRESHOLD)]  # the January 0 is no 零的突破


# --- from the data, on every read ------------------------------------------------------------


@pytest.fixture
def gdp(cast):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau, name="地区生产总值", unit="亿元", thresholds=[200]
    )
    for period, value in [("2019", "180.1"), ("2020", "190.2"), ("2021", "205.72")]:
        ObservationFactory(indicator=indicator, period=period, value=Decimal(value))
    return indicator


def milestones_now(indicator: Indicator, place):
    points = selectors.series(indicator=indicator, place=place)
    return selectors.milestones_of(indicator, points, place.name)


def test_milestones_follow_the_data_when_it_changes(cast, gdp):
    place = selectors.region_place(cast.enping)
    [found] = milestones_now(gdp, place)
    assert (str(found.period), found.value) == ("2021", Decimal("205.72"))
    gdp.observations.filter(period="2020").update(value=Decimal(200))
    [found] = milestones_now(gdp, place)
    assert (str(found.period), found.value) == ("2020", Decimal(200))
    gdp.observations.filter(period="2019").update(value=Decimal(201))
    assert milestones_now(gdp, place) == []


def test_the_sentence_reads_like_the_press(cast, gdp):
    with translation.override("zh-hans"):
        [found] = milestones_now(gdp, selectors.region_place(cast.enping))
        assert found.short == "首次突破200亿元"
        assert found.sentence == "2021年地区生产总值首次突破200亿元"
    with translation.override("en"):
        assert found.sentence == "2021 地区生产总值: First reached 200 亿元"
