"""A leader opens an indicator: the Plotly chart draws under the site's CSP, with no errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jinwei.indicators.models import Category
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.browser


def test_the_indicator_chart_renders_without_errors(page, browser_log, log_in, live_server, cast):
    gdp = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name="地区生产总值",
        unit="亿元",
        thresholds=[200],
        category=Category.objects.get(code="economy"),
        is_headline=True,
    )
    for year, value in [(2019, "180.1"), (2020, "190.2"), (2021, "205.72"), (2022, "214.3")]:
        ObservationFactory(indicator=gdp, period=str(year), value=Decimal(value))
    TargetFactory(indicator=gdp, year=2022, value=Decimal(220))
    log_in(cast.leader)

    response = page.goto(reverse("indicators:indicator_detail", args=[gdp.pk]))
    assert response is not None and "'unsafe-inline'" in response.headers["content-security-policy"]
    chart = page.locator(".chart[data-chart-ready=true]")
    expect(chart).to_have_count(1)
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart.locator(".scatterlayer .trace")).to_have_count(3)  # series, target, milestones
    expect(chart.locator(".barlayer .trace")).to_have_count(1)  # YoY on the second axis
    expect(chart.locator(".textpoint text")).to_have_text(["首次突破200亿元"])
    expect(chart.locator(".modebar")).to_have_count(0)
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200

    page.goto(reverse("indicators:situation", args=[cast.enping.code]))
    expect(page.locator("h1")).to_have_text("恩平市发展形势")

    assert browser_log.requests_off(live_server.url) == []
    assert browser_log.errors == []
