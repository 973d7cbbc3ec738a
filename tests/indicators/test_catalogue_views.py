"""The catalogue, one indicator's page with its chart, the catalogue form and the targets page."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.core.middleware import CHART_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY
from jinwei.indicators.models import Category, Indicator, Observation, Target
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdp(cast):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        code="GDP",
        name="地区生产总值",
        unit="亿元",
        decimals=2,
        thresholds=[200],
        is_headline=True,
        category=Category.objects.get(code="economy"),
    )
    values = [("2019", "180.10", None), ("2020", "190.20", "2.1"), ("2021", "205.72", "8.5")]
    for period, value, growth in values:
        ObservationFactory(
            indicator=indicator,
            period=period,
            value=Decimal(value),
            growth_rate=Decimal(growth) if growth else None,
            source="恩平市统计局",
        )
    ObservationFactory(
        indicator=indicator,
        period="2022",
        value=Decimal("214.30"),
        is_illustrative=True,
        status=Observation.Status.APPROVED,
    )
    return indicator


@pytest.fixture
def patents(cast):
    return IndicatorFactory(
        owner_unit=cast.encheng,
        code="PAT",
        name="发明专利授权量",
        unit="件",
        decimals=0,
        frequency=Indicator.Frequency.QUARTERLY,
        category=Category.objects.get(code="innovation"),
    )


def detail(cast, user, indicator, query=""):
    return cast.client_for(user).get(
        reverse("indicators:indicator_detail", args=[indicator.pk]) + query
    )


def figure_of(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script id="indicator-figure" type="application/json">(.*?)</script>', html)
    assert match, "no chart data on the page"
    return json.loads(match.group(1))


# --- the catalogue -------------------------------------------------------------------------


def test_the_catalogue_groups_indicators_by_category(cast, gdp, patents):
    response = cast.client_for(cast.viewer).get(reverse("indicators:catalogue"))
    assert response.status_code == 200
    groups = [table.title for table in response.context["groups"]]
    assert groups == ["经济总量", "创新"]
    html = response.content.decode()
    assert reverse("indicators:indicator_detail", args=[gdp.pk]) in html
    assert "发明专利授权量" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"frequency": "quarterly"}, ["PAT"]),
        ({"category": "innovation"}, ["PAT"]),
        ({"owner_unit": "stats"}, ["GDP"]),
        ({}, ["GDP", "PAT"]),
    ],
)
def test_the_catalogue_filters(cast, gdp, patents, query, expected):
    if "category" in query:
        query = {"category": Category.objects.get(code=query["category"]).pk}
    if "owner_unit" in query:
        query = {"owner_unit": cast.stats_bureau.pk}
    response = cast.client_for(cast.viewer).get(reverse("indicators:catalogue"), query)
    codes = [row[0] for table in response.context["groups"] for row in table.rows]
    assert codes == expected


def test_another_government_does_not_see_the_catalogue(cast, gdp):
    response = cast.client_for(cast.outsider).get(reverse("indicators:catalogue"))
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert detail(cast, cast.outsider, gdp).status_code == 404


def test_only_managers_are_offered_a_new_indicator(cast, gdp):
    new = reverse("indicators:indicator_create")
    assert (
        new
        in cast.client_for(cast.supervisor).get(reverse("indicators:catalogue")).content.decode()
    )
    assert (
        new
        not in cast.client_for(cast.leader).get(reverse("indicators:catalogue")).content.decode()
    )


def grow(cast, factor: int) -> None:
    """`factor` more indicators in three categories, each with six years of values and a target."""
    categories = list(Category.objects.all()[:3])
    for n in range(factor):
        indicator = IndicatorFactory(
            owner_unit=cast.stats_bureau,
            category=categories[n % 3],
            thresholds=[100, 200],
            is_headline=True,
        )
        for year in range(2019, 2025):
            ObservationFactory(indicator=indicator, period=str(year), value=Decimal(year - 1900))
            ObservationFactory(
                indicator=indicator, region=cast.taishan, period=str(year), value=Decimal(150)
            )
        TargetFactory(indicator=indicator, year=2024, value=Decimal(130))


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_catalogue_queries_do_not_grow_with_the_data(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.viewer)
    url = reverse("indicators:catalogue")
    grow(cast, 3)
    small = queries_for(client, url)
    grow(cast, 27)
    with django_assert_max_num_queries(small):
        assert len(client.get(url).context["groups"][0].rows) == 10


def test_indicator_page_queries_do_not_grow_with_the_data(cast, gdp, django_assert_max_num_queries):
    client = cast.client_for(cast.viewer)
    url = reverse("indicators:indicator_detail", args=[gdp.pk])
    small = queries_for(client, url)
    for year in range(1990, 2019):
        ObservationFactory(indicator=gdp, period=str(year), value=Decimal(year - 1900))
        ObservationFactory(indicator=gdp, region=cast.taishan, period=str(year), value=Decimal(1))
        TargetFactory(indicator=gdp, year=year, value=Decimal(100))
    with django_assert_max_num_queries(small):
        assert len(client.get(url).context["points"]) == 33


# --- one indicator -------------------------------------------------------------------------


def test_the_indicator_page_shows_the_series_with_computed_yoy(cast, gdp):
    response = detail(cast, cast.viewer, gdp)
    assert response.status_code == 200
    rows = response.context["values_table"].rows
    assert [row[0] for row in rows] == ["2022年", "2021年", "2020年", "2019年"]  # newest first
    _period, value, growth, yoy, source, _status, _note = rows[1]
    assert (value, growth, source) == (Decimal("205.72"), Decimal("8.5"), "恩平市统计局")
    assert round(yoy, 4) == round((Decimal("205.72") / Decimal("190.20") - 1) * 100, 4)
    assert rows[3][3] is None  # no year before the first
    assert str(rows[0][5]) == str(Observation.Status.APPROVED.label)


def test_illustrative_values_carry_the_badge(cast, gdp):
    html = detail(cast, cast.viewer, gdp).content.decode()
    assert html.count('<span class="illustrative">示例数据</span>') >= 2  # note and row


def test_the_chart_has_series_target_milestones_and_yoy_bars(cast, gdp):
    TargetFactory(indicator=gdp, year=2022, value=Decimal(220))
    figure = figure_of(detail(cast, cast.viewer, gdp))
    traces = {trace["type"] + ":" + trace["name"]: trace for trace in figure["data"]}
    yoy = traces["bar:同比（%）"]
    assert yoy["yaxis"] == "y2" and yoy["y"][0] is None and yoy["y"][2] == pytest.approx(8.2, 0.01)
    series = traces["scatter:恩平市"]
    assert series["x"] == ["2019年", "2020年", "2021年", "2022年"]
    assert series["y"] == [180.1, 190.2, 205.72, 214.3]
    assert traces["scatter:目标"]["y"] == [220.0]
    milestones = traces["scatter:突破"]
    assert (milestones["x"], milestones["text"]) == (["2021年"], ["首次突破200亿元"])
    assert figure["layout"]["yaxis2"]["overlaying"] == "y"


def test_the_chart_page_alone_allows_inline_styles(cast, gdp):
    chart = detail(cast, cast.viewer, gdp)
    assert chart["Content-Security-Policy"] == CHART_CONTENT_SECURITY_POLICY
    assert "style-src 'self' 'unsafe-inline'" in chart["Content-Security-Policy"]
    assert "script-src 'self';" in chart["Content-Security-Policy"]
    assert "unsafe-eval" not in chart["Content-Security-Policy"]
    catalogue = cast.client_for(cast.viewer).get(reverse("indicators:catalogue"))
    assert catalogue["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = chart.content.decode()
    assert "/static/vendor/plotly.min.js" in html and "/static/jinwei/charts.js" in html


def test_another_region_is_chosen_in_the_query_string(cast, gdp):
    ObservationFactory(indicator=gdp, region=cast.taishan, period="2022", value=Decimal("516.5"))
    response = detail(cast, cast.viewer, gdp, f"?region={cast.taishan.code}")
    assert response.context["place"].name == "台山市"
    assert [row[1] for row in response.context["values_table"].rows] == [Decimal("516.5")]
    names = [place.name for place in response.context["places"]]
    assert names == ["恩平市", "台山市"]


def test_a_unit_series_is_shown_too(cast, patents):
    ObservationFactory(indicator=patents, unit=cast.encheng, period="2024Q1", value=Decimal(3))
    response = detail(cast, cast.viewer, patents, f"?unit={cast.encheng.pk}")
    assert response.context["place"].name == "恩城街道"
    assert response.context["values_table"].rows[0][0] == "2024年第一季度"


def test_target_progress_is_shown_with_time_progress_and_colour(cast):
    sales = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name="社会消费品零售总额",
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        decimals=1,
    )
    for month, value in [(3, "20"), (6, "48"), (7, "50")]:
        ObservationFactory(indicator=sales, period=f"2024-{month:02d}", value=Decimal(value))
    TargetFactory(indicator=sales, year=2024, value=Decimal(120))
    response = detail(cast, cast.viewer, sales)
    [status] = response.context["statuses"]
    assert str(status.period) == "2024-07"
    # 7/12 of 120 = 70 expected, 50 done: 58.3 % of time against 41.7 % done
    assert status.progress.expected == Decimal(70)
    assert status.progress.shortfall == Decimal(20)
    assert status.colour == "yellow"
    assert status.half_year is not None and status.half_year.completion == 40
    assert not status.half_year.half_time_half_done
    row = response.context["statuses_table"].rows[0]
    assert str(row[-1]).startswith("未达到")
    html = response.content.decode()
    assert "时间过半、任务过半" in html and "status status-yellow" in html


# --- the catalogue entry form --------------------------------------------------------------


def form_data(cast, **changes):
    data = {
        "code": "RETAIL",
        "name": "社会消费品零售总额",
        "aliases_text": "社零总额， 消费品零售总额、社零总额",
        "category": Category.objects.get(code="economy").pk,
        "owner_unit": cast.stats_bureau.pk,
        "unit": "亿元",
        "decimals": 2,
        "direction": "higher",
        "frequency": "monthly",
        "value_kind": "cumulative",
        "valid_min": "0",
        "valid_max": "",
        "thresholds_text": "100，50.5",
        "swing_warning": "",
        "order": 3,
        "source": "统计月报",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_supervisor_creates_an_indicator_with_lists_as_text(cast):
    response = cast.client_for(cast.supervisor).post(
        reverse("indicators:indicator_create"), form_data(cast)
    )
    indicator = Indicator.objects.get(code="RETAIL")
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:indicator_detail", args=[indicator.pk])
    assert indicator.aliases == ["社零总额", "消费品零售总额"]
    assert indicator.thresholds == [50.5, 100]
    assert indicator.government == cast.enping
    assert AuditEntry.objects.filter(action="create", object_id=str(indicator.pk)).exists()


def test_a_threshold_that_is_not_a_number_is_refused(cast):
    response = cast.client_for(cast.admin).post(
        reverse("indicators:indicator_create"), form_data(cast, thresholds_text="100, 二百")
    )
    assert response.status_code == 200
    assert "“二百”不是数字" in response.content.decode() or "二百" in str(
        response.context["form"].errors["thresholds_text"]
    )
    assert not Indicator.objects.exists()


def test_a_duplicate_code_is_refused_on_the_form(cast, gdp):
    response = cast.client_for(cast.supervisor).post(
        reverse("indicators:indicator_create"), form_data(cast, code="GDP")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Indicator.objects.filter(code="GDP").count() == 1


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer"])
def test_only_supervisors_and_admins_edit_the_catalogue(cast, gdp, role):
    client = cast.client_for(getattr(cast, role))
    assert client.get(reverse("indicators:indicator_create")).status_code == 403
    assert client.post(reverse("indicators:indicator_create"), form_data(cast)).status_code == 403
    edit = reverse("indicators:indicator_edit", args=[gdp.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(cast, version=gdp.version)).status_code == 403
    assert not Indicator.objects.filter(code="RETAIL").exists()


def test_an_outsider_cannot_even_find_the_edit_page(cast, gdp):
    edit = reverse("indicators:indicator_edit", args=[gdp.pk])
    assert cast.client_for(cast.outsider).get(edit).status_code == 404


def edit_data(cast, indicator, **changes):
    data = form_data(
        cast,
        code=indicator.code,
        name=indicator.name,
        aliases_text="GDP",
        thresholds_text="200",
        frequency="annual",
        value_kind="point",
        version=indicator.version,
    )
    data.update(changes)
    return data


def test_an_edit_is_saved_and_audited(cast, gdp):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    client = cast.client_for(cast.supervisor)
    form = client.get(url).context["form"]
    assert form["thresholds_text"].value() == "200"
    response = client.post(url, edit_data(cast, gdp, thresholds_text="100, 200, 300"))
    assert response.status_code == 302
    gdp.refresh_from_db()
    assert gdp.thresholds == [100, 200, 300]
    assert gdp.aliases == ["GDP"]
    assert gdp.version == 2
    entry = AuditEntry.objects.filter(action="update", object_id=str(gdp.pk)).get()
    assert entry.after["thresholds"] == [100, 200, 300]


def test_a_stale_edit_is_refused_with_what_changed(cast, gdp):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    stale = edit_data(cast, gdp, name="GDP（旧）")
    cast.client_for(cast.admin).post(url, edit_data(cast, gdp, name="地区生产总值（新）"))
    response = cast.client_for(cast.supervisor).post(url, stale)
    assert response.status_code == 200
    assert "地区生产总值（新）" in response.content.decode()
    gdp.refresh_from_db()
    assert gdp.name == "地区生产总值（新）"


# --- targets -------------------------------------------------------------------------------


def target_data(cast, **changes):
    data = {"year": 2024, "place": f"region-{cast.enping.pk}", "kind": "level", "value": "230"}
    data.update(changes)
    return data


def test_a_supervisor_sets_and_changes_a_target(cast, gdp):
    url = reverse("indicators:indicator_targets", args=[gdp.pk])
    client = cast.client_for(cast.supervisor)
    assert client.post(url, target_data(cast)).status_code == 302
    target = Target.objects.get()
    assert (target.region, target.year, target.value) == (cast.enping, 2024, Decimal(230))
    form = client.get(url, {"edit": target.pk}).context["form"]
    assert form.initial["version"] == target.version
    changed = target_data(cast, kind="growth", value="6.5", version=target.version)
    assert client.post(url, changed).status_code == 302
    target.refresh_from_db()
    assert (target.kind, target.value, target.version) == ("growth", Decimal("6.5"), 2)
    assert AuditEntry.objects.filter(object_id=str(target.pk)).count() == 2


def test_a_target_for_a_unit(cast, patents):
    url = reverse("indicators:indicator_targets", args=[patents.pk])
    data = target_data(cast, place=f"unit-{cast.encheng.pk}", value="12")
    assert cast.client_for(cast.admin).post(url, data).status_code == 302
    assert Target.objects.get().unit == cast.encheng


def test_a_stale_target_change_is_refused(cast, gdp):
    target = TargetFactory(indicator=gdp, year=2024, value=Decimal(230))
    url = reverse("indicators:indicator_targets", args=[gdp.pk])
    stale = target_data(cast, value="240", version=target.version)
    cast.client_for(cast.admin).post(url, target_data(cast, value="250", version=target.version))
    response = cast.client_for(cast.supervisor).post(url, stale)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.value == Decimal(250)


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer"])
def test_everyone_reads_targets_but_only_managers_set_them(cast, gdp, role):
    TargetFactory(indicator=gdp, year=2023, value=Decimal(210))
    url = reverse("indicators:indicator_targets", args=[gdp.pk])
    client = cast.client_for(getattr(cast, role))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert response.context["targets_table"].rows[0][0] == 2023
    assert client.post(url, target_data(cast)).status_code == 403
    assert Target.objects.count() == 1


def test_no_yoy_is_computed_for_a_rate(cast):
    growth = IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值增速", unit="%")
    ObservationFactory(indicator=growth, period="2022", value=Decimal("4.2"))
    ObservationFactory(indicator=growth, period="2023", value=Decimal("7.8"))
    rows = detail(cast, cast.viewer, growth).context["values_table"].rows
    assert [row[3] for row in rows] == [None, None]


def test_the_frequency_is_fixed_once_values_are_stored(cast, gdp):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    response = cast.client_for(cast.admin).post(url, edit_data(cast, gdp, frequency="monthly"))
    assert response.status_code == 302
    gdp.refresh_from_db()
    assert gdp.frequency == Indicator.Frequency.ANNUAL
