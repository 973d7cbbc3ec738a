"""The public page: only indicators and milestones marked public, only approved values of the
government itself, no login, off by default; and every other URL still requires login."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import NoReverseMatch, get_resolver, reverse

from jinwei.indicators.models import Indicator, Observation
from jinwei.reports import public
from jinwei.reports.views.public import MAX_AGE
from tests.core.test_pages_render import Page, _walk, dummy_kwargs, text_of
from tests.factories import OrgUnitFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db
public_on = override_settings(JINWEI_PUBLIC_PAGE=True)

APPROVED = Observation.Status.APPROVED
DRAFT_VALUE = "987.65"  # a 2024 draft of the public indicator: crosses 300 if it were read
UNIT_VALUE = "555.55"  # 恩城街道's own figure of the public indicator
PEER_VALUE = "444.44"  # 台山市's value of Enping's public indicator (peer comparison)
SECRET_VALUE = "333.33"  # the latest value of Enping's indicator that is not public
TAISHAN_VALUE = "777.77"  # 台山市's own public indicator


def observe(indicator: Indicator, period: str, value: str, **fields: Any) -> Observation:
    fields.setdefault("status", APPROVED)
    return ObservationFactory(indicator=indicator, period=period, value=Decimal(value), **fields)


@pytest.fixture
def gdp(cast) -> Indicator:
    """Enping's public GDP: approved 2019–2023 crossing 100 and 200, with a draft for 2024."""
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name="地区生产总值",
        thresholds=[100, 200, 300],
        is_public=True,
        source="恩平市统计公报",
    )
    for year, value in (("2019", "90"), ("2020", "120"), ("2021", "210"), ("2022", "230")):
        observe(indicator, year, value, source=f"{year}年统计公报")
    observe(indicator, "2023", "250.5", growth_rate=Decimal("4.5"), is_illustrative=True)
    observe(indicator, "2024", DRAFT_VALUE, status=Observation.Status.DRAFT)
    observe(indicator, "2023", UNIT_VALUE, region=None, unit=cast.encheng)
    observe(indicator, "2023", PEER_VALUE, region=cast.taishan)
    return indicator


@pytest.fixture
def published(cast, gdp) -> dict[str, Indicator]:
    """Besides GDP: an Enping indicator that is not public, and Taishan's own public one."""
    secret = IndicatorFactory(
        owner_unit=cast.investment_bureau, name="招商线索储备额", thresholds=[50]
    )
    observe(secret, "2022", "10")
    observe(secret, "2023", SECRET_VALUE)
    taishan_unit = OrgUnitFactory(government=cast.taishan)
    taishan = IndicatorFactory(owner_unit=taishan_unit, name="台山生产总值", is_public=True)
    observe(taishan, "2023", TAISHAN_VALUE)
    return {"gdp": gdp, "secret": secret, "taishan": taishan}


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(code: str = "440785", client: Client | None = None) -> str:
    response = (client or Client()).get(reverse("public:region", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


# --- what the page shows --------------------------------------------------------------------


@public_on
def test_anonymous_visitors_see_the_public_indicator_with_its_milestones(cast, published):
    html = page()
    assert "地区生产总值" in html
    assert "250.50" in html and "2023年" in html
    assert "2021年地区生产总值首次突破200亿元" in html
    assert "2020年地区生产总值首次突破100亿元" in html
    assert "2021年统计公报" in html  # the milestone's own source


@public_on
def test_an_indicator_not_marked_public_is_nowhere_on_the_page(cast, published):
    html = page()
    assert "招商线索储备额" not in html
    assert SECRET_VALUE not in html
    assert "首次突破50" not in html


@public_on
def test_drafts_are_never_shown_nor_make_milestones(cast, published):
    html = page()
    assert DRAFT_VALUE not in html and "2024" not in html
    assert "首次突破300亿元" not in html


@public_on
def test_units_own_figures_and_peer_regions_are_left_out(cast, published):
    html = page()
    assert UNIT_VALUE not in html and "恩城街道" not in html
    assert PEER_VALUE not in html
    assert TAISHAN_VALUE not in html and "台山生产总值" not in html


@public_on
def test_another_government_page_shows_only_its_own_figures(cast, published):
    html = page(cast.taishan.code)
    assert "台山生产总值" in html and TAISHAN_VALUE in html
    assert "地区生产总值" not in html
    assert PEER_VALUE not in html  # its value of Enping's indicator belongs to Enping's data


@public_on
def test_illustrative_values_are_labelled(cast, published):
    html = page()
    assert html.count('<span class="illustrative">示例数据</span>') == 2  # the note, the figure
    assert "带此标记的数值为演示用示例数据" in html


@public_on
def test_growth_rate_as_reported_and_a_trend_line(cast, published):
    html = page(client=english())
    assert "Growth 4.5% (as reported)" in html
    assert "Source: 恩平市统计公报" in html  # the latest value has none of its own
    assert re.search(r'<polyline points="(\S+ ){4}\S+"', html)  # five approved years
    assert 'aria-label="Trend from 2019 to 2023"' in html


@public_on
def test_a_public_indicator_without_approved_values_says_so(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau, name="新指标", is_public=True)
    observe(indicator, "2023", "12", status=Observation.Status.SUBMITTED)
    html = page(client=english())
    assert "新指标" in html and "No published value yet." in html and "12.00" not in html


# --- what the page is not -------------------------------------------------------------------


def test_the_page_is_off_by_default_and_every_url_answers_404(cast, published):
    assert settings.JINWEI_PUBLIC_PAGE is False
    admin = cast.client_for(cast.admin)
    for url in ("/public/", "/public/440785/", "/public/440781/", "/public/nothing/else/"):
        for client in (Client(), admin):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url


@public_on
def test_it_is_read_only(cast, published):
    for url in (reverse("public:home"), reverse("public:region", args=["440785"])):
        response = Client().post(url)
        assert response.status_code == 405
        assert "POST" not in response["Allow"]
        assert Client().head(url).status_code in {200, 302}


@public_on
def test_it_is_cacheable_by_anyone_and_sets_no_cookie(cast, published):
    response = Client().get(reverse("public:region", args=["440785"]))
    assert set(response["Cache-Control"].split(", ")) == {"public", f"max-age={MAX_AGE}"}
    assert not response.cookies


@public_on
def test_a_government_without_public_indicators_has_no_page(cast, published):
    for code in ("440700", "999999"):
        assert Client().get(reverse("public:region", args=[code])).status_code == 404


@public_on
def test_the_home_lists_the_governments_or_goes_to_the_only_one(cast, gdp):
    response = Client().get(reverse("public:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:region", args=["440785"])
    IndicatorFactory(owner_unit=OrgUnitFactory(government=cast.taishan), is_public=True)
    html = Client().get(reverse("public:home")).content.decode()
    assert "恩平市" in html and "台山市" in html


@public_on
def test_the_home_says_when_nothing_is_published(cast):
    IndicatorFactory(owner_unit=cast.stats_bureau, name="地区生产总值")
    response = english().get(reverse("public:home"))
    assert response.status_code == 200
    assert "Nothing is published yet." in response.content.decode()


@public_on
def test_no_link_into_the_app_and_no_navigation_even_when_signed_in(cast, published):
    login = resolve_url(settings.LOGIN_URL)
    for client in (Client(), cast.client_for(cast.admin)):
        for url in (reverse("public:region", args=["440785"]), reverse("public:home")):
            html = client.get(url, follow=True).content.decode()
            links = re.findall(r'href="([^"]*)"', html)
            outside = [u for u in links if not u.startswith(("/public/", "/static/", "#"))]
            assert outside == [login]
            assert text_of(html, "main-nav") is None and text_of(html, "user-menu") is None
            assert cast.admin.name not in html and "csrfmiddlewaretoken" not in html


@public_on
def test_the_page_costs_the_same_queries_with_more_data(
    cast, published, django_assert_max_num_queries
):
    for n in range(20):
        indicator = IndicatorFactory(owner_unit=cast.stats_bureau, is_public=True, thresholds=[5])
        for year in range(2015, 2024):
            observe(indicator, str(year), str(year - 2013 + n))
    with django_assert_max_num_queries(3):
        html = page()
    assert html.count('class="card public-figure"') == 21


# --- every other URL still requires login ---------------------------------------------------

OPEN = {"accounts:login", "admin:login", "set_language"}  # besides the public page itself
GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _regex_url(page: Page) -> str:
    """A URL for a regex pattern (the admin's): the first candidate its groups accept."""
    for candidate in ("999999", "accounts"):
        if not page.named:
            return "/" + GROUP.sub(candidate, page.route).replace("^", "").replace("$", "")
        try:
            return reverse(page.name, kwargs=dict.fromkeys(page.arguments, candidate))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no URL for {page.name}")


def every_url() -> Iterator[tuple[Page, str]]:
    """Each pattern of the whole URL configuration, the admin and the API included."""
    for found in _walk(get_resolver().url_patterns):
        if found.name in OPEN or found.route.startswith("public/"):
            continue
        regex = any(converter is None for converter in found.arguments.values())
        yield found, _regex_url(found) if regex else found.url(dummy_kwargs(found))


@public_on
def test_every_other_url_still_requires_login(cast, published):
    logins = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))  # the admin has its own
    client = Client()
    checked, problems = 0, []
    for found, url in every_url():
        response = client.get(url)
        checked += 1
        if found.route.startswith("api/"):
            # 401 from the API's own auth; 405 for a POST-only operation; 404 for its root
            ok = response.status_code in {401, 403, 404, 405}
        else:
            location = response.headers.get("Location", "").split("?next=")[0]
            ok = response.status_code == 302 and location in logins
        if not ok:
            problems.append(f"{found.name} GET {url}: {response.status_code}")
    assert checked > 100
    assert problems == [], "\n".join(problems)


# --- the selectors --------------------------------------------------------------------------


def test_a_cumulative_monthly_trend_compares_the_same_month_of_each_year(cast):
    indicator = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        is_public=True,
    )
    for period, value in (("2022-09", "70"), ("2023-08", "60"), ("2023-09", "80")):
        observe(indicator, period, value)
    (figure,) = public.public_figures(cast.enping)
    trend = figure.trend
    assert trend is not None
    assert [str(p.period) for p in trend.points] == ["2022-09", "2023-09"]
    assert trend.polyline == "3.0,33.0 117.0,3.0"


def test_a_flat_series_is_drawn_midway_and_one_value_draws_no_line(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau, is_public=True)
    observe(indicator, "2022", "5")
    (figure,) = public.public_figures(cast.enping)
    assert figure.trend is None
    observe(indicator, "2023", "5")
    (figure,) = public.public_figures(cast.enping)
    assert figure.trend is not None and figure.trend.polyline == "3.0,18.0 117.0,18.0"


def test_growth_is_computed_when_none_was_reported(cast):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau, is_public=True)
    observe(indicator, "2022", "200")
    observe(indicator, "2023", "210")
    (figure,) = public.public_figures(cast.enping)
    assert figure.growth == public.Growth(Decimal(5), reported=False)
