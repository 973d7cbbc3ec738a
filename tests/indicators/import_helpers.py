"""Files for the import tests: write rows to xlsx or CSV the way people and offices do."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jinwei.indicators.importing.pipeline import Options
from jinwei.indicators.models import Indicator
from tests.conftest import Cast
from tests.indicators.factories import IndicatorFactory

Rows = Sequence[Sequence[Any]]


def xlsx(path: Path, *sheets: tuple[str, Rows], merge_title: bool = False) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if merge_title and rows:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[1]))
    book.save(path)
    return path


def csv_file(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


LONG_HEADER = ["指标", "地区", "时期", "数值", "增速（%）", "来源"]


def gdp(cast: Cast, **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "code": "gdp",
        "name": "地区生产总值",
        "aliases": ["GDP"],
        "unit": "亿元",
        "owner_unit": cast.stats_bureau,
    }
    return IndicatorFactory(**(defaults | fields))


def options(cast: Cast, actor: Any = None, **fields: Any) -> Options:
    return Options(government=cast.enping, actor=actor or cast.statistician, **fields)


def messages(outcome: Any) -> list[str]:
    return [issue.message for issue in outcome.sorted_issues()]


D = Decimal


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
