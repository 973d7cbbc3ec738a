"""One indicator's league table: ranks by direction, ties, missing values, changes and gaps."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from jinwei.indicators.models import Indicator
from jinwei.lib.periods import parse_period
from jinwei.rankings import selectors
from jinwei.rankings.selectors import Change, Gap
from tests.factories import RegionFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.rankings.peer_groups import children_group, custom_group

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def five(cast):
    """Five county units of 江门市: the cast's two and three more."""
    more = [
        RegionFactory(code=code, name=name, parent=cast.jiangmen)
        for code, name in (("440703", "蓬江区"), ("440704", "江海区"), ("440705", "新会区"))
    ]
    return SimpleNamespace(
        enping=cast.enping,
        taishan=cast.taishan,
        pengjiang=more[0],
        jianghai=more[1],
        xinhui=more[2],
    )


def values(indicator, period, by_region):
    for region, value in by_region.items():
        ObservationFactory(indicator=indicator, region=region, period=period, value=D(value))


def league(group, indicator, period="2023"):
    found = selectors.league_table(group=group, indicator=indicator, period=parse_period(period))
    return {s.region.name: s for s in found.rows}, found


def test_ties_share_a_rank_and_the_next_rank_is_skipped(cast, five):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    r = five
    values(
        indicator, "2023", {r.enping: 9, r.taishan: 7, r.pengjiang: 7, r.jianghai: 3, r.xinhui: 1}
    )
    _rows, found = league(children_group(cast), indicator)
    ranks = [(s.region.name, s.rank) for s in found.rows]
    # ties in the order of the administrative code
    assert ranks == [("恩平市", 1), ("蓬江区", 2), ("台山市", 2), ("江海区", 4), ("新会区", 5)]


def test_a_region_without_a_value_is_listed_as_missing_not_ranked_last(cast, five):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    r = five
    values(indicator, "2023", {r.enping: 1, r.taishan: 2, r.pengjiang: 3})
    rows, found = league(children_group(cast), indicator)
    assert [s.region.name for s in found.ranked] == ["蓬江区", "台山市", "恩平市"]
    assert [s.rank for s in found.ranked] == [1, 2, 3]
    assert [s.region.name for s in found.missing] == ["江海区", "新会区"]
    assert all(s.rank is None and s.value is None and s.change is None for s in found.missing)
    assert rows["江海区"].gap_leader is None


def test_lower_is_better_ranks_the_smallest_first(cast, five):
    pm25 = IndicatorFactory(
        owner_unit=cast.stats_bureau, unit="微克/立方米", direction=Indicator.Direction.LOWER
    )
    r = five
    values(
        pm25, "2023", {r.enping: 18, r.taishan: 20, r.pengjiang: 25, r.jianghai: 18, r.xinhui: 30}
    )
    rows, found = league(children_group(cast), pm25)
    assert [(s.region.name, s.rank) for s in found.rows] == [
        ("江海区", 1),
        ("恩平市", 1),
        ("台山市", 3),
        ("蓬江区", 4),
        ("新会区", 5),
    ]
    # behind by how much must come down: 25 to 20 (next) and to 18 (leaders)
    assert rows["蓬江区"].gap_next == Gap(D(5), D(25))
    assert rows["蓬江区"].gap_leader == Gap(D(7), D(7) / D(18) * 100)


def test_the_change_against_the_previous_period_goes_up_down_same_or_new(cast, five):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    r = five
    values(indicator, "2022", {r.enping: 1, r.taishan: 5, r.pengjiang: 3, r.jianghai: 2})
    values(
        indicator, "2023", {r.enping: 9, r.taishan: 5, r.pengjiang: 3, r.jianghai: 1, r.xinhui: 4}
    )
    rows, found = league(children_group(cast), indicator)
    assert str(found.previous) == "2022"
    assert rows["恩平市"].previous_rank == 4
    assert rows["恩平市"].change == Change("up", 3)
    assert rows["台山市"].change == Change("down", 1)  # 1st of four, 2nd of five
    assert rows["蓬江区"].change == Change("down", 2)
    assert rows["江海区"].change == Change("down", 2)
    assert rows["新会区"].change == Change("new")
    assert [c.label for c in (Change("up", 3), Change("down", 1), Change("same"))] == [
        "↑3",
        "↓1",
        "=",
    ]


def test_an_unchanged_rank_reads_same(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2022", {cast.enping: 1, cast.taishan: 2})
    values(indicator, "2023", {cast.enping: 3, cast.taishan: 4})
    rows, _found = league(children_group(cast), indicator)
    assert rows["台山市"].change == Change("same")
    assert rows["恩平市"].change == Change("same")


def test_first_among_one_in_the_previous_period_is_no_rank_to_change_from(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2022", {cast.enping: 5})
    values(indicator, "2023", {cast.enping: 3, cast.taishan: 4})
    rows, _found = league(children_group(cast), indicator)
    assert rows["恩平市"].previous_rank is None
    assert rows["恩平市"].change == Change("new")


def test_the_previous_period_of_a_month_is_the_month_before(cast):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau, frequency=Indicator.Frequency.MONTHLY
    )
    values(indicator, "2024-08", {cast.enping: 1, cast.taishan: 2})
    values(indicator, "2024-09", {cast.enping: 3, cast.taishan: 1})
    rows, found = league(children_group(cast), indicator, "2024-09")
    assert str(found.previous) == "2024-08"
    assert rows["恩平市"].change == Change("up", 1)


def test_gaps_are_in_the_unit_and_in_percent_of_the_better_value(cast, five):
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, unit="亿元")
    r = five
    values(
        gdp, "2023", {r.pengjiang: "1200", r.xinhui: "800", r.taishan: "547.4", r.enping: "230.1"}
    )
    rows, _found = league(children_group(cast), gdp)
    assert rows["蓬江区"].gap_next is None and rows["蓬江区"].gap_leader is None
    assert rows["新会区"].gap_next == Gap(D(400), D(400) / D(1200) * 100)
    enping_row = rows["恩平市"]
    assert enping_row.gap_next.amount == D("317.3")
    assert enping_row.gap_next.percent == D("317.3") / D("547.4") * 100
    assert enping_row.gap_leader.amount == D("969.9")
    assert enping_row.gap_leader.percent == D("80.825")  # 969.9 of 1,200


def test_tied_regions_measure_their_gap_to_the_next_better_value(cast, five):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    r = five
    values(indicator, "2023", {r.enping: 10, r.taishan: 8, r.pengjiang: 8, r.jianghai: 4})
    rows, _found = league(children_group(cast), indicator)
    assert rows["台山市"].gap_next.amount == rows["蓬江区"].gap_next.amount == D(2)
    assert rows["江海区"].gap_next.amount == D(4)  # to the tied pair, not to each other
    assert rows["江海区"].gap_leader.amount == D(6)


def test_a_gap_to_a_zero_value_has_no_percent(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau, direction=Indicator.Direction.LOWER)
    values(indicator, "2023", {cast.enping: 0, cast.taishan: 3})
    rows, _found = league(children_group(cast), indicator)
    assert rows["台山市"].gap_next == Gap(D(3), None)


def test_a_single_region_ranks_first_with_no_gap(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2023", {cast.enping: 5})
    _rows, found = league(custom_group(cast, [cast.enping]), indicator)
    assert [(s.region.name, s.rank, s.gap_next) for s in found.rows] == [("恩平市", 1, None)]


def test_an_empty_period_lists_every_region_as_missing(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2022", {cast.enping: 5})
    _rows, found = league(children_group(cast), indicator, "2023")
    assert found.ranked == []
    assert [s.region.name for s in found.missing] == ["台山市", "恩平市"]


def test_regions_outside_the_group_are_left_out(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2023", {cast.enping: 1, cast.taishan: 2, cast.jiangmen: 100})
    rows, _found = league(children_group(cast), indicator)
    assert set(rows) == {"恩平市", "台山市"}
    assert rows["台山市"].rank == 1


def test_the_periods_offered_are_those_of_the_indicators_frequency_with_data(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    values(indicator, "2021", {cast.enping: 1})
    values(indicator, "2023", {cast.taishan: 1})
    values(indicator, "2024-03", {cast.enping: 1})  # not an annual period: not offered
    values(indicator, "2022", {cast.jiangmen: 1})  # not a member's value
    periods = selectors.indicator_periods(children_group(cast), indicator)
    assert [str(p) for p in periods] == ["2021", "2023"]


def test_a_custom_group_ranks_its_members_only(cast, five):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    r = five
    values(indicator, "2023", {r.enping: 1, r.taishan: 2, r.pengjiang: 3, r.jianghai: 4})
    _rows, found = league(custom_group(cast, [r.enping, r.jianghai]), indicator)
    assert [(s.region.name, s.rank) for s in found.rows] == [("江海区", 1), ("恩平市", 2)]


def test_competition_ranks_follow_the_direction():
    data = {"a": D(3), "b": D(5), "c": D(5), "d": D(1)}
    assert selectors.competition_ranks(data, higher_is_better=True) == {
        "b": 1,
        "c": 1,
        "a": 3,
        "d": 4,
    }
    assert selectors.competition_ranks(data, higher_is_better=False) == {
        "d": 1,
        "a": 2,
        "b": 3,
        "c": 3,
    }
    assert selectors.competition_ranks({}, higher_is_better=True) == {}
