"""A leader logs in, reads the shell in Chinese, switches to English and logs out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_leader_logs_in_switches_to_english_and_logs_out(
    page, browser_log, log_in, live_server, cast
):
    log_in(cast.leader)
    html = page.locator("html")
    nav = page.locator("header nav.main-nav")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="首页", exact=True)).to_be_visible()

    with page.expect_navigation():
        page.locator("header .language-switch button[value=en]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()

    page.locator("header .user-menu summary").click()
    with page.expect_navigation():
        page.locator("header .user-menu").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(live_server.url + reverse("accounts:login"))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("header .user-menu")).to_have_count(0)

    assert browser_log.requests, "the request log recorded nothing"
    assert browser_log.requests_off(live_server.url) == []
    assert browser_log.errors == []
