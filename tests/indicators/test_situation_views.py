"""A region's situation (形势) and its milestone timeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinwei.core.templatetags.jinwei import history_url
from jinwei.indicators.models import Indicator
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = Decimal


def annual(cast, name, values, **options):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau, name=name, **options)
    for year, value in values.items():
        ObservationFactory(indicator=indicator, period=str(year), value=D(value))
    return indicator


def monthly(cast, name, values, target, **options):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name=name,
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        **options,
    )
    for month, value in values.items():
        ObservationFactory(indicator=indicator, period=f"2024-{month:02d}", value=D(value))
    TargetFactory(indicator=indicator, year=2024, value=D(target))
    return indicator


@pytest.fixture
def enping(cast):
    """GDP crosses 200 in 2021; 清华北大 breaks zero in 2023; two monthly indicators are behind."""
    gdp = annual(
        cast,
        "地区生产总值",
        {2020: "190.2", 2021: "205.72", 2022: "214.3", 2023: "230.1"},
        thresholds=[200],
        is_headline=True,
        order=1,
    )
    ObservationFactory(indicator=gdp, region=cast.taishan, period="2023", value=D("547.4"))
    TargetFactory(indicator=gdp, year=2023, value=D(240))  # 95.9 % done: green
    admissions = annual(
        cast, "清华北大录取人数", {2021: 0, 2022: 0, 2023: 2}, unit="人", decimals=0, order=2
    )
    # September: 75 % of the year. 60 of 100 is 15 points behind; 40 of 100 is 35 behind.
    investment = monthly(cast, "固定资产投资", {6: 40, 9: 60}, 100, is_headline=True, order=3)
    projects = monthly(cast, "新招产业项目投资总额", {9: 40}, 100, order=4)
    illustrative = investment.observations.get(period="2024-09")
    illustrative.is_illustrative = True
    illustrative.save()
    return {"gdp": gdp, "admissions": admissions, "investment": investment, "projects": projects}


def situation(cast, user, code=None):
    code = code or cast.enping.code
    return cast.client_for(user).get(reverse("indicators:situation", args=[code]))


def test_the_headline_shows_latest_value_yoy_target_and_colour(cast, enping):
    response = situation(cast, cast.leader)
    assert response.status_code == 200
    rows = {str(row[0]): row for row in response.context["headline_table"].rows}
    assert list(rows) == ["地区生产总值", "固定资产投资"]  # headline only, in catalogue order
    gdp = rows["地区生产总值"]
    assert (gdp[1], gdp[2].value, gdp[3]) == ("2023年", D("230.1"), "亿元")
    assert round(gdp[4], 2) == round((D("230.1") / D("214.3") - 1) * 100, 2)
    assert gdp[6].value == D(240)
    assert str(gdp[10]) == "绿"
    investment = rows["固定资产投资"]
    assert (investment[1], investment[7], investment[8]) == ("2024年9月", D(75), D(60))
    assert str(investment[10]) == "黄"
    assert str(investment[11]) == "未达到（40.0%）"  # 时间过半、任务过半 at June
    assert str(investment[12]) == "示例数据"


def test_what_is_behind_is_sorted_by_points_behind(cast, enping):
    rows = situation(cast, cast.viewer).context["behind_table"].rows
    assert [(str(r[0]), r[2], str(r[7])) for r in rows] == [
        ("新招产业项目投资总额", D(35), "红"),
        ("固定资产投资", D(15), "黄"),
        ("地区生产总值", D("4.125"), "绿"),
    ]
    assert rows[0][5].value == D(35)  # shortfall in the indicator's unit: 75 expected, 40 done


def test_latest_milestones_newest_first(cast, enping):
    response = situation(cast, cast.viewer)
    rows = response.context["milestones_table"].rows
    assert [(r[0], str(r[1]), r[2]) for r in rows] == [
        ("2023年", "清华北大录取人数", "零的突破"),
        ("2021年", "地区生产总值", "首次突破200亿元"),
    ]


def test_each_headline_indicator_links_to_its_history(cast, enping):
    html = situation(cast, cast.viewer).content.decode()
    assert history_url(enping["gdp"]) in html
    assert history_url(enping["investment"]) in html


def test_illustrative_data_is_marked_on_the_page(cast, enping):
    html = situation(cast, cast.viewer).content.decode()
    assert '<span class="illustrative">示例数据</span>' in html


def test_a_peer_region_is_read_through_the_viewers_indicators(cast, enping):
    response = situation(cast, cast.viewer, cast.taishan.code)
    rows = response.context["headline_table"].rows
    assert (str(rows[0][0]), rows[0][2].value) == ("地区生产总值", D("547.4"))
    assert response.context["regions"] == [("440781", "台山市"), ("440785", "恩平市")]


def test_another_government_sees_none_of_its_indicators(cast, enping):
    response = situation(cast, cast.outsider)
    assert response.status_code == 200
    assert response.context["headline_table"].rows == []
    assert "地区生产总值" not in response.content.decode()


def test_an_unknown_region_is_not_found(cast):
    assert situation(cast, cast.viewer, "999999").status_code == 404


def test_the_home_situation_is_the_users_government(cast, enping):
    response = cast.client_for(cast.encheng_staff).get(reverse("indicators:situation_home"))
    assert response.status_code == 200
    assert response.context["region"] == cast.enping


def test_the_home_page_links_to_the_situation(cast):
    html = cast.client_for(cast.encheng_staff).get(reverse("core:home")).content.decode()
    assert reverse("indicators:situation", args=[cast.enping.code]) in html


def test_the_catalogue_links_to_the_situation(cast):
    html = cast.client_for(cast.viewer).get(reverse("indicators:catalogue")).content.decode()
    assert reverse("indicators:situation_home") in html


def test_the_timeline_lists_every_milestone_newest_first(cast, enping):
    annual(cast, "规上工业总产值", {2021: 190, 2022: 201}, thresholds=[200])
    response = cast.client_for(cast.viewer).get(
        reverse("indicators:milestones", args=[cast.enping.code])
    )
    assert response.status_code == 200
    years = [
        (year, [m.indicator.name for m in entries]) for year, entries in response.context["years"]
    ]
    assert years == [
        (2023, ["清华北大录取人数"]),
        (2022, ["规上工业总产值"]),
        (2021, ["地区生产总值"]),
    ]
    html = response.content.decode()
    assert "首次突破200亿元" in html and "零的突破" in html


def grow(cast, factor):
    for n in range(factor):
        indicator = annual(
            cast,
            f"指标{n}",
            {year: 50 * (year - 2018) for year in range(2019, 2025)},
            thresholds=[100, 200],
            is_headline=True,
        )
        ObservationFactory(indicator=indicator, region=cast.taishan, period="2024", value=D(1))
        TargetFactory(indicator=indicator, year=2024, value=D(400))
        monthly(cast, f"月度指标{n}", {m: 10 * m for m in range(1, 10)}, 150, is_headline=True)


@pytest.mark.parametrize("page", ["situation", "milestones"])
def test_queries_do_not_grow_with_the_data(cast, enping, page, django_assert_max_num_queries):
    client = cast.client_for(cast.viewer)
    url = reverse(f"indicators:{page}", args=[cast.enping.code])
    grow(cast, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(cast, 20)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    if page == "situation":
        assert len(response.context["headline_table"].rows) == 2 + 2 * 22
