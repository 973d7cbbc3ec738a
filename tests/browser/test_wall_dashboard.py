"""The wall dashboard in Chromium at 1920×1080: it fills the screen without scrolling or small
type, loads nothing from outside, logs no error, follows a changed value at the next poll without
reloading the page, and keeps its figures (saying since when) while the server cannot be
reached."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jinwei.indicators.services import observation_save
from tests.reports import wall_data

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("JINWEI_SCREENSHOTS")  # a folder: save a picture of the wall there
SCREEN = {"width": 1920, "height": 1080}
POLL = 2  # seconds (?every=); the page's default is a minute
SMALLEST_TYPE = 18  # px: legible from across the room

OVERFLOW = """() => {
  const root = document.documentElement;
  const clipped = Array.from(document.querySelectorAll(".panel"))
    .filter((panel) => panel.scrollHeight > panel.clientHeight + 1
      || panel.scrollWidth > panel.clientWidth + 1)
    .map((panel) => panel.className);
  return {width: root.scrollWidth, height: root.scrollHeight, clipped: clipped};
}"""

SMALL_TYPE = """(smallest) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const element = walker.currentNode.parentElement;
    const box = element.getBoundingClientRect();
    if (!text || box.width <= 1 || box.height <= 1) continue;  // hidden, or for screen readers
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < smallest) small.push(`${element.tagName} ${text.slice(0, 20)}: ${size}px`);
  }
  return small;
}"""


def test_the_wall_fits_the_screen_and_follows_the_data(
    page, browser_log, log_in, live_server, cast
):
    data = wall_data.build(cast)
    wall_data.add_demo_like(cast)
    page.set_viewport_size(SCREEN)
    log_in(cast.viewer)
    page.goto(reverse("reports:wall") + f"?every={POLL}")
    gdp = page.locator('[data-indicator="GDP"] .tile-value')
    expect(gdp).to_contain_text("250.00")
    expect(page.locator("[data-wall-red-total]")).to_have_text("8")  # 3 + five demo units

    fit = page.evaluate(OVERFLOW)
    assert (fit["width"], fit["height"]) == (SCREEN["width"], SCREEN["height"])
    assert fit["clipped"] == []
    assert page.evaluate(SMALL_TYPE, SMALLEST_TYPE) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/wall.png")

    # a new value, saved as the statistics bureau would: on the wall at the next poll
    page.evaluate("window.wallMarker = 'no reload'")
    observation_save(
        actor=cast.statistician,
        indicator=data.gdp,
        period_text="2024",
        value_text="275.5",
        region=cast.enping,
        source="统计快报",
    )
    expect(gdp).to_contain_text("275.50", timeout=POLL * 5000)
    assert page.evaluate("window.wallMarker") == "no reload"
    assert page.locator("[data-wall-board]").count() == 1
    assert page.locator("[data-wall-offline]").is_hidden()
    assert browser_log.requests_off(live_server.url) == []
    assert browser_log.errors == []

    # the server cannot be reached: the figures stay, and the wall says since when
    offline = page.locator("[data-wall-offline]")
    page.route(re.compile(r".*/reports/wall/panels/.*"), lambda route: route.abort())
    expect(offline).to_be_visible(timeout=POLL * 5000)
    shown_as_of = page.locator("[data-wall-board]").get_attribute("data-as-of")
    assert shown_as_of in offline.inner_text()
    expect(gdp).to_contain_text("275.50")
    # back, but answering with a page that is not the panels (the login page, say): kept out
    page.unroute(re.compile(r".*/reports/wall/panels/.*"))
    page.route(
        re.compile(r".*/reports/wall/panels/.*"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<form>登录</form>"),
    )
    page.wait_for_timeout(POLL * 1500)
    expect(offline).to_be_visible()
    expect(gdp).to_contain_text("275.50")
    # and the real server again: the line goes away
    page.unroute(re.compile(r".*/reports/wall/panels/.*"))
    expect(offline).to_be_hidden(timeout=POLL * 5000)
    assert page.evaluate("window.wallMarker") == "no reload"
    assert Decimal(data.gdp.observations.get(period="2024").value) == Decimal("275.5")
