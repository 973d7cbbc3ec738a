"""A statistician imports a file: sees the preview with one error, fixes the file, uploads it
again, saves it, and opens the indicator page with its chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jinwei.indicators.models import ImportBatch, Observation
from tests.indicators.factories import ObservationFactory
from tests.indicators.import_helpers import LONG_HEADER, gdp, xlsx

pytestmark = pytest.mark.browser


def upload(page, path):
    page.goto(reverse("indicators:import_list"))
    form = page.locator("form.import-upload")
    form.locator("input[type=file]").set_input_files(str(path))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_statistician_imports_fixes_the_file_and_sees_the_chart(
    page, browser_log, log_in, live_server, cast, settings, tmp_path
):
    settings.JINWEI_IMPORTS_INLINE = True  # the thread is tested elsewhere; here, the pages
    settings.MEDIA_ROOT = tmp_path / "media"
    indicator = gdp(cast)
    ObservationFactory(indicator=indicator, period="2021", value=Decimal("205.72"))
    rows = [
        ["2023年恩平市主要经济指标"],
        LONG_HEADER,
        ["GDP", "恩平", 2022, "230.1", "5.0", "江门统计年鉴"],
        ["GDP", "恩平", 2023, "251.3", "5.1", "江门统计年鉴"],
        ["GDP", "开平", 2023, "600", "", ""],
        ["注：示例数据。"],
    ]
    log_in(cast.statistician)

    upload(page, xlsx(tmp_path / "主要指标.xlsx", ("表1", rows)))
    problems = page.locator("table.import-problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("开平")
    expect(problems.first).to_contain_text("5")  # the row as Excel numbers it
    expect(page.locator(".count-new")).to_have_text("2")
    expect(page.locator(".count-errors")).to_have_text("1")
    expect(page.locator("form[action$='/commit/']")).to_have_count(0)
    assert not Observation.objects.filter(batch__isnull=False).exists()

    rows[4][1] = "台山"
    upload(page, xlsx(tmp_path / "主要指标.xlsx", ("表1", rows)))
    expect(page.locator("table.import-problems")).to_have_count(0)
    expect(page.locator(".count-new")).to_have_text("3")
    with page.expect_navigation():
        page.locator("form[action$='/commit/'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    batch = ImportBatch.objects.get(status=ImportBatch.Status.COMMITTED)
    assert Observation.objects.filter(batch=batch).count() == 3

    with page.expect_navigation():
        page.locator(".import-indicators a").first.click()
    assert page.url.endswith(reverse("indicators:indicator_detail", args=[indicator.pk]))
    expect(page.locator(".js-plotly-plot")).to_be_visible()

    assert browser_log.requests_off(live_server.url) == []
    assert browser_log.errors == []
