"""First-place counts ("江门第一") from the demo data, through the ranking selectors.

The indicators' own test (tests/indicators/test_demo_data.py) counts the same places with a plain
Python ranking; this one goes through the peer group, the database and the numpy engine.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinwei.accounts.demo import load_foundation
from jinwei.accounts.models import Region
from jinwei.indicators.demo import load_indicators
from jinwei.indicators.demo_data import ENPING, JIANGMEN, TAISHAN
from jinwei.indicators.models import Indicator
from jinwei.lib.periods import Frequency, parse_period
from jinwei.rankings import selectors
from jinwei.rankings.models import PeerGroup
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.rankings.peer_groups import custom_group

D = Decimal


@pytest.fixture
def jiangmen(db: None) -> PeerGroup:
    """The demo data and Jiangmen's seven county units as Enping's peer group."""
    load_foundation()
    load_indicators()
    enping = Region.objects.get(code=ENPING)
    return PeerGroup.objects.create(
        government=enping, name="江门市县级单位", parent=Region.objects.get(code=JIANGMEN)
    )


def test_enping_ranks_first_on_1_then_9_then_10_or_more_indicators(jiangmen):
    """从2021年只有1个"江门第一"，到2022年取得9个，再到2023年取得10余个."""
    found = selectors.first_places(group=jiangmen)
    enping = Region.objects.get(code=ENPING)
    assert found.count(enping, "2021") == 1
    assert found.count(enping, "2022") == 9
    assert found.count(enping, "2023") >= 10
    assert [i.code for i in found.of(enping, "2021")] == ["FOREST_COVER"]
    assert found.count(Region.objects.get(code=TAISHAN), "2023") >= 1  # shares PM2.5 first


def test_the_counts_cover_the_seven_county_units_and_the_demo_years(jiangmen):
    found = selectors.first_places(group=jiangmen)
    assert [r.code for r in found.regions] == sorted(
        Region.objects.filter(parent__code=JIANGMEN).values_list("code", flat=True)
    )
    assert len(found.regions) == 7
    assert [str(p) for p in found.periods] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    annual = Indicator.objects.filter(frequency=Indicator.Frequency.ANNUAL).count()
    assert found.contested["2023"] == annual  # every annual indicator has seven values


def test_the_heat_map_and_the_region_page_agree_with_the_counts(jiangmen):
    enping = Region.objects.get(code=ENPING)
    period = parse_period("2022")
    panel = selectors.panel(group=jiangmen, period=period)
    position = selectors.region_position(group=jiangmen, region=enping, period=period)
    assert len(panel.firsts(enping)) == 9
    assert [i.pk for i in position.firsts] == [i.pk for i in panel.firsts(enping)]


def test_monthly_values_of_one_region_are_no_first_place(jiangmen):
    """Enping's 2024 months have no peer values: ranked 1 of 1, but no place won."""
    found = selectors.first_places(group=jiangmen, frequency=Frequency.MONTHLY)
    enping = Region.objects.get(code=ENPING)
    assert found.periods[-1] == parse_period("2024-09")
    assert found.count(enping, "2024-09") == 0
    assert found.contested.get("2024-09", 0) == 0


def test_a_first_place_needs_two_values_and_ties_count_for_both(cast):
    group = custom_group(cast, [cast.enping, cast.taishan])
    shared = IndicatorFactory(owner_unit=cast.stats_bureau, order=1)
    alone = IndicatorFactory(owner_unit=cast.stats_bureau, order=2)
    lower = IndicatorFactory(
        owner_unit=cast.stats_bureau, order=3, direction=Indicator.Direction.LOWER
    )
    for region in (cast.enping, cast.taishan):
        ObservationFactory(indicator=shared, region=region, value=D(5))
    ObservationFactory(indicator=alone, region=cast.enping, value=D(5))
    ObservationFactory(indicator=lower, region=cast.enping, value=D(30))
    ObservationFactory(indicator=lower, region=cast.taishan, value=D(20))
    found = selectors.first_places(group=group)
    assert [i.pk for i in found.of(cast.enping, "2023")] == [shared.pk]
    assert [i.pk for i in found.of(cast.taishan, "2023")] == [shared.pk, lower.pk]
    assert found.contested["2023"] == 2


def test_no_values_means_no_periods(cast):
    found = selectors.first_places(group=custom_group(cast, [cast.enping]))
    assert found.periods == []
    assert found.rows() == [(cast.enping, [])]
