"""Excel exports: the page's columns, number formats from the indicator's decimals."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jinwei.indicators.models import Indicator, Target
from jinwei.lib.xlsx import CONTENT_TYPE, Column, Number, Sheet, number_format, workbook_bytes
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = Decimal


# --- the writer ----------------------------------------------------------------------------


def test_the_writer_puts_title_header_formats_widths_and_freezes_panes():
    data = workbook_bytes(
        [
            Sheet(
                title="主要指标",
                columns=[Column("指标", 20), Column("数值", 12, decimals=2), Column("人数", 8)],
                rows=[["地区生产总值", D("205.72"), Number(D(3), 0)], ["空", None, ""]],
            )
        ]
    )
    sheet = load_workbook(BytesIO(data)).active
    assert sheet.title == "主要指标"
    assert sheet["A1"].value == "主要指标" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["指标", "数值", "人数"]
    assert sheet["B3"].value == 205.72 and sheet["B3"].number_format == "#,##0.00"
    assert sheet["C3"].value == 3 and sheet["C3"].number_format == "#,##0"
    assert sheet["B4"].value is None
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width == 20


def test_number_formats_follow_decimals():
    assert [number_format(n) for n in (0, 1, 3)] == ["#,##0", "#,##0.0", "#,##0.000"]


def test_sheet_names_are_cleaned_and_unique():
    rows: list[list[object]] = []
    sheets = [Sheet("a/b", [Column("x")], rows), Sheet("a/b", [Column("x")], rows)]
    book = load_workbook(BytesIO(workbook_bytes(sheets)))
    assert book.sheetnames == ["a_b", "a_b_"]


# --- the pages' exports --------------------------------------------------------------------


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
    )
    ObservationFactory(indicator=indicator, period="2020", value=D("190.2"))
    ObservationFactory(indicator=indicator, period="2021", value=D("205.72"), is_illustrative=True)
    TargetFactory(indicator=indicator, year=2021, value=D(210))
    return indicator


@pytest.fixture
def patents(cast):
    return IndicatorFactory(owner_unit=cast.encheng, code="PAT", name="专利", unit="件", decimals=0)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    return response, load_workbook(BytesIO(response.content))


def header(sheet) -> list[str]:
    return [c.value for c in sheet[2]]


def page_headers(table) -> list[str]:
    return [str(c.header) for c in table.columns]


def test_the_catalogue_export_has_the_page_columns_and_filters(cast, gdp, patents):
    client = cast.client_for(cast.viewer)
    page = client.get(reverse("indicators:catalogue"), {"owner_unit": cast.encheng.pk})
    response, book = download(
        client, reverse("indicators:catalogue_export") + f"?owner_unit={cast.encheng.pk}"
    )
    sheet = book.active
    assert header(sheet) == page_headers(page.context["groups"][0])
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["PAT"]
    assert "%E6%8C%87%E6%A0%87%E7%9B%AE%E5%BD%95.xlsx" in response["Content-Disposition"]


def test_the_indicator_export_has_the_tables_of_the_page(cast, gdp):
    client = cast.client_for(cast.viewer)
    page = client.get(reverse("indicators:indicator_detail", args=[gdp.pk]))
    response, book = download(client, reverse("indicators:indicator_export", args=[gdp.pk]))
    values, statuses, targets = book.worksheets
    assert header(values) == page_headers(page.context["values_table"])
    assert header(statuses) == page_headers(page.context["statuses_table"])
    first = [c.value for c in values[3]]
    assert first[:2] == ["2021年", 205.72]
    assert values["B3"].number_format == "#,##0.00"  # the indicator's two decimals
    assert first[-1] == "示例数据"
    assert values["D3"].number_format == "#,##0.0"  # YoY: one decimal
    with translation.override("zh-hans"):
        level = str(Target.Kind.LEVEL.label)
    assert [c.value for c in statuses[3]][:3] == [2021, level, 210]
    assert [c.value for c in targets[3]][:2] == [2021, "恩平市"]
    assert "地区生产总值-恩平市.xlsx" in unquote(response["Content-Disposition"])


def test_the_export_follows_the_chosen_region(cast, gdp):
    ObservationFactory(indicator=gdp, region=cast.taishan, period="2022", value=D("516.5"))
    url = reverse("indicators:indicator_export", args=[gdp.pk]) + f"?region={cast.taishan.code}"
    _response, book = download(cast.client_for(cast.viewer), url)
    assert [c.value for c in book.worksheets[0][3]][:2] == ["2022年", 516.5]


def test_a_count_has_no_decimals(cast, patents):
    ObservationFactory(indicator=patents, period="2023", value=D(12))
    url = reverse("indicators:indicator_export", args=[patents.pk])
    _response, book = download(cast.client_for(cast.viewer), url)
    assert book.worksheets[0]["B3"].number_format == "#,##0"


def test_the_situation_export_has_headline_behind_and_milestones(cast, gdp):
    sales = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        name="社会消费品零售总额",
        decimals=1,
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
        is_headline=True,
    )
    ObservationFactory(indicator=sales, period="2024-06", value=D("30.5"))
    TargetFactory(indicator=sales, year=2024, value=D(100))
    client = cast.client_for(cast.viewer)
    page = client.get(reverse("indicators:situation", args=[cast.enping.code]))
    _response, book = download(
        client, reverse("indicators:situation_export", args=[cast.enping.code])
    )
    headline, behind, milestones = book.worksheets
    assert header(headline) == page_headers(page.context["headline_table"])
    assert header(behind) == page_headers(page.context["behind_table"])
    assert header(milestones) == page_headers(page.context["milestones_table"])
    rows = {row[0].value: row for row in headline.iter_rows(min_row=3)}
    assert rows["地区生产总值"][2].number_format == "#,##0.00"
    assert rows["社会消费品零售总额"][2].number_format == "#,##0.0"  # per-indicator decimals
    assert rows["社会消费品零售总额"][10].value == "黄"  # 19.5 points behind
    assert [c.value for c in behind[3]][:3] == ["社会消费品零售总额", "2024年6月", 19.5]
    assert [c.value for c in milestones[3]][:3] == ["2021年", "地区生产总值", "首次突破200亿元"]


def test_exports_are_scoped_like_the_pages(cast, gdp):
    client = cast.client_for(cast.outsider)
    assert client.get(reverse("indicators:indicator_export", args=[gdp.pk])).status_code == 404
    _response, book = download(client, reverse("indicators:catalogue_export"))
    assert book.active.max_row == 2  # title and header only
