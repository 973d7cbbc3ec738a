"""The ranking pages: home, league table, export, heat map, first places, a region's place."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.indicators.models import Indicator
from tests.factories import RegionFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.rankings.peer_groups import children_group, custom_group

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ranked(cast):
    """恩平 and 台山 (the children of 江门 in the cast): GDP and PM2.5 in 2022 and 2023."""
    group = children_group(cast)
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值", order=1)
    pm25 = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name="PM2.5",
        unit="微克/立方米",
        direction=Indicator.Direction.LOWER,
        order=2,
    )
    data = {
        (gdp, "2022"): {cast.enping: "214.3", cast.taishan: "520.0"},
        (gdp, "2023"): {cast.enping: "230.1", cast.taishan: "547.4"},
        (pm25, "2022"): {cast.enping: "22", cast.taishan: "19"},
        (pm25, "2023"): {cast.enping: "18", cast.taishan: "20"},
    }
    for (indicator, period), values in data.items():
        for region, value in values.items():
            ObservationFactory(indicator=indicator, region=region, period=period, value=D(value))
    return {"group": group, "gdp": gdp, "pm25": pm25}


def get(cast, user, name, *args, **query):
    return cast.client_for(user).get(reverse(name, args=args), query)


# --- reading rights ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["league", "heatmap", "first_places"])
@pytest.mark.parametrize("role", ["leader", "encheng_staff", "viewer", "statistician"])
def test_everyone_in_the_government_reads_the_rankings(cast, ranked, name, role):
    response = get(cast, getattr(cast, role), f"rankings:{name}", ranked["group"].pk)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["league", "league_export", "heatmap", "first_places"])
def test_an_outsider_gets_404(cast, ranked, name):
    response = get(cast, cast.outsider, f"rankings:{name}", ranked["group"].pk)
    assert response.status_code == 404
    region = get(cast, cast.outsider, "rankings:region", ranked["group"].pk, cast.enping.code)
    assert region.status_code == 404


# --- home ----------------------------------------------------------------------------------


def test_home_shows_the_first_group_in_its_latest_annual_period(cast, ranked):
    response = get(cast, cast.leader, "rankings:home")
    assert response.status_code == 200
    assert response.context["group"] == ranked["group"]
    assert str(response.context["period"]) == "2023"
    summary = {
        region.name: [i.name for i in firsts] for region, firsts in response.context["summary"]
    }
    assert summary == {"恩平市": ["PM2.5"], "台山市": ["地区生产总值"]}
    assert list(summary) == ["台山市", "恩平市"]  # equal counts: in code order


def test_home_sends_a_choice_to_the_league_table(cast, ranked):
    response = get(
        cast,
        cast.leader,
        "rankings:home",
        group=ranked["group"].pk,
        indicator=ranked["pm25"].pk,
        period="2022",
    )
    url = reverse("rankings:league", args=[ranked["group"].pk])
    assert response.status_code == 302
    assert response["Location"] == f"{url}?indicator={ranked['pm25'].pk}&period=2022"


def test_home_refuses_a_group_of_another_government(cast, ranked):
    response = get(cast, cast.outsider, "rankings:home", group=ranked["group"].pk)
    assert response.status_code == 404


def test_home_without_a_group_offers_to_create_one_to_supervisors(cast):
    assert get(cast, cast.supervisor, "rankings:home").context["may_create"]
    staff = get(cast, cast.encheng_staff, "rankings:home")
    assert staff.status_code == 200
    assert not staff.context["may_create"]


def test_a_situation_link_leads_to_the_regions_place(cast, ranked):
    response = get(cast, cast.leader, "rankings:home", region=cast.taishan.code)
    assert response["Location"] == reverse(
        "rankings:region", args=[ranked["group"].pk, cast.taishan.code]
    )
    elsewhere = RegionFactory(code="441781", name="阳春市")
    response = get(cast, cast.leader, "rankings:home", region=elsewhere.code)
    assert response["Location"] == reverse("rankings:group_list")


def test_the_situation_page_links_to_the_rankings(cast, ranked):
    response = cast.client_for(cast.leader).get(
        reverse("indicators:situation", args=[cast.enping.code])
    )
    assert f"{reverse('rankings:home')}?region={cast.enping.code}" in response.content.decode()


# --- league table --------------------------------------------------------------------------


def test_the_league_table_defaults_to_the_latest_annual_period_and_first_indicator(cast, ranked):
    response = get(cast, cast.encheng_staff, "rankings:league", ranked["group"].pk)
    league = response.context["league"]
    assert (league.indicator, str(league.period)) == (ranked["gdp"], "2023")
    rows = response.context["table"].rows
    assert [(row[0], str(row[1])) for row in rows] == [(1, "台山市"), (2, "恩平市")]


def test_the_league_table_shows_rank_changes_and_highlights_the_own_region(cast, ranked):
    response = get(
        cast, cast.leader, "rankings:league", ranked["group"].pk, indicator=ranked["pm25"].pk
    )
    html = response.content.decode()
    rows = {str(row[1]): row for row in response.context["table"].rows}
    assert str(rows["恩平市"][3]) == "↑1"
    assert str(rows["台山市"][3]) == "↓1"
    assert rows["台山市"][5] == D(2)  # 20 to 18 µg/m³
    assert '<span class="rank-change rank-up">↑1</span>' in html
    assert 'class="own-region"' in html


def test_an_unknown_period_falls_back_to_the_latest(cast, ranked):
    response = get(cast, cast.leader, "rankings:league", ranked["group"].pk, period="1999")
    assert str(response.context["league"].period) == "2023"
    response = get(cast, cast.leader, "rankings:league", ranked["group"].pk, period="2022")
    assert str(response.context["league"].period) == "2022"


def test_an_indicator_of_another_government_is_not_offered(cast, ranked):
    foreign = IndicatorFactory(owner_unit=cast.encheng, name="外地指标")
    foreign.government = cast.taishan
    foreign.save()
    response = get(cast, cast.leader, "rankings:league", ranked["group"].pk, indicator=foreign.pk)
    assert response.context["league"].indicator == ranked["gdp"]


def test_the_export_has_the_pages_columns_and_rows(cast, ranked):
    response = get(
        cast,
        cast.viewer,
        "rankings:league_export",
        ranked["group"].pk,
        indicator=ranked["pm25"].pk,
        period="2023",
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    page = get(
        cast, cast.viewer, "rankings:league", ranked["group"].pk, indicator=ranked["pm25"].pk
    )
    headers = [column.header for column in page.context["table"].columns]
    assert [c.value for c in sheet[2]] == headers
    assert [
        (r[0].value, r[1].value, r[2].value, r[3].value) for r in sheet.iter_rows(min_row=3)
    ] == [
        (1, "恩平市", 18, "↑1"),
        (2, "台山市", 20, "↓1"),
    ]


def test_an_empty_group_shows_no_table(cast):
    group = custom_group(cast, [cast.enping])
    response = get(cast, cast.leader, "rankings:league", group.pk)
    assert response.status_code == 200
    assert response.context["league"] is None
    assert get(cast, cast.leader, "rankings:league_export", group.pk).status_code == 404


# --- heat map ------------------------------------------------------------------------------


def test_the_heat_map_colours_ranks_and_hovers_values(cast, ranked):
    response = get(cast, cast.leader, "rankings:heatmap", ranked["group"].pk, period="2023")
    assert response.status_code == 200
    figure = response.context["figure"]
    trace = figure["data"][0]
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["地区生产总值", "PM2.5"]
    assert trace["x"] == ["台山市", "<b>恩平市</b>"]  # the viewer's own region in bold
    assert trace["z"] == [[1, 2], [2, 1]]
    assert trace["customdata"][0] == ["547.40 亿元", "230.10 亿元"]
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert json.loads(html.split('id="rank-heatmap" type="application/json">')[1].split("<")[0])


def test_the_heat_map_leaves_a_missing_value_blank(cast, ranked):
    ObservationFactory(indicator=ranked["gdp"], region=cast.enping, period="2021", value=D(1))
    response = get(cast, cast.leader, "rankings:heatmap", ranked["group"].pk, period="2021")
    trace = response.context["figure"]["data"][0]
    assert trace["z"] == [[None, 1]]
    assert trace["customdata"] == [["—", "1.00 亿元"]]


# --- first places --------------------------------------------------------------------------


def test_first_places_table_chart_and_list(cast, ranked):
    response = get(cast, cast.encheng_staff, "rankings:first_places", ranked["group"].pk)
    assert response.status_code == 200
    rows = response.context["table"].rows
    assert [[str(c) for c in row] for row in rows] == [
        ["台山市", "2", "1"],
        ["恩平市", "0", "1"],
        [str(rows[2][0]), "2", "2"],  # indicators compared per period
    ]
    bars = {trace["name"]: trace for trace in response.context["figure"]["data"]}
    assert bars["恩平市"]["y"] == [0, 1]
    assert bars["恩平市"]["marker"]["color"] == "#b3261e"  # the viewer's own region
    assert bars["台山市"]["marker"]["color"] != "#b3261e"
    assert response.context["chosen"] == cast.enping
    firsts = {str(p): [i.name for i in found] for p, found in response.context["chosen_firsts"]}
    assert firsts == {"2023": ["PM2.5"], "2022": []}


def test_first_places_of_another_region_on_request(cast, ranked):
    response = get(
        cast, cast.leader, "rankings:first_places", ranked["group"].pk, region=cast.taishan.code
    )
    firsts = {str(p): [i.name for i in found] for p, found in response.context["chosen_firsts"]}
    assert firsts == {"2023": ["地区生产总值"], "2022": ["地区生产总值", "PM2.5"]}


# --- a region's place ----------------------------------------------------------------------


def test_the_region_page_shows_the_top_then_the_regions_neighbours(cast):
    group = children_group(cast)
    more = [RegionFactory(code=f"4407{n:02d}", parent=cast.jiangmen) for n in range(10, 18)]
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    regions = [*more, cast.taishan, cast.enping]  # Enping last of ten, with value 1
    for value, region in enumerate(reversed(regions), start=1):
        ObservationFactory(indicator=indicator, region=region, period="2023", value=D(value))
    response = get(cast, cast.leader, "rankings:region", group.pk, cast.taishan.code)
    assert response.status_code == 200
    excerpt = response.context["position"].excerpts[0]
    shown = [s.rank if s else "…" for s in excerpt.rows]
    assert shown == [1, 2, 3, "…", 7, 8, 9, 10]  # Taishan 9th, two above and one below
    assert excerpt.own.region == cast.taishan
    assert "…" in response.content.decode()


def test_the_region_page_lists_where_the_region_has_no_value(cast, ranked):
    ObservationFactory(indicator=ranked["gdp"], region=cast.taishan, period="2021", value=D(1))
    response = get(
        cast, cast.leader, "rankings:region", ranked["group"].pk, cast.enping.code, period="2021"
    )
    position = response.context["position"]
    assert [e.indicator for e in position.missing] == [ranked["gdp"]]
    assert position.firsts == []


def test_a_region_outside_the_group_is_404(cast, ranked):
    response = get(cast, cast.leader, "rankings:region", ranked["group"].pk, cast.jiangmen.code)
    assert response.status_code == 404


# --- bounded queries -----------------------------------------------------------------------


def grow(cast, group, regions, indicators, years):
    """More regions, indicators and periods in the group."""
    new_regions = [RegionFactory(code=f"4499{n:02d}", parent=cast.jiangmen) for n in range(regions)]
    members = [cast.enping, cast.taishan, *new_regions]
    new_indicators = [IndicatorFactory(owner_unit=cast.stats_bureau) for _ in range(indicators)]
    for indicator in new_indicators:
        for year in range(2024 - years, 2024):
            for n, region in enumerate(members):
                ObservationFactory(
                    indicator=indicator, region=region, period=str(year), value=D(n % 5)
                )


PAGES = [
    ("rankings:home", False),
    ("rankings:league", True),
    ("rankings:league_export", True),
    ("rankings:heatmap", True),
    ("rankings:first_places", True),
    ("rankings:region", True),
    ("rankings:group_list", False),
]


def _url(name, with_group, group, cast):
    if name == "rankings:region":
        return reverse(name, args=[group.pk, cast.enping.code])
    return reverse(name, args=[group.pk] if with_group else [])


@pytest.mark.parametrize(("name", "with_group"), PAGES)
def test_queries_do_not_grow_with_the_data(
    cast, ranked, name, with_group, django_assert_max_num_queries
):
    client = cast.client_for(cast.leader)
    url = _url(name, with_group, ranked["group"], cast)
    client.get(url)  # warm the caches (content types, sessions)
    grow(cast, ranked["group"], regions=2, indicators=1, years=2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    grow(cast, ranked["group"], regions=8, indicators=5, years=5)
    children_group(cast, name="第二组")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
