"""The downloadable template: a data sheet whose headers the import recognises, plus help sheets.

The help sheets start with "#" in their first cell, which tells the import to skip them, so the
downloaded file can be filled in and uploaded as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jinwei.indicators.importing.table import SKIP_MARK
from jinwei.indicators.models import Indicator

_HEADER_FILL = PatternFill("solid", fgColor="F5F6F8")


def long_headers() -> list[str]:
    return [
        _("Indicator code"),
        _("Indicator name"),
        _("Region or unit"),
        _("Period"),
        _("Value"),
        _("Unit of measure"),
        _("Growth rate (%)"),
        _("Source"),
        _("Explanation"),
    ]


def wide_headers(years: Iterable[int]) -> list[str]:
    return [_("Indicator code"), _("Indicator name"), _("Region or unit"), *map(str, years)]


def template_workbook(*, indicators: Iterable[Indicator], layout: str = "long") -> bytes:
    book = Workbook()
    data = book.active
    assert data is not None  # noqa: S101 (a new workbook always has its first sheet)
    data.title = _("Data")
    year = timezone.localdate().year
    headers = wide_headers(range(year - 3, year)) if layout == "wide" else long_headers()
    data.append(headers)
    for position, _header in enumerate(headers, start=1):
        cell = data.cell(row=1, column=position)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        data.column_dimensions[get_column_letter(position)].width = 16
    data.freeze_panes = "A2"
    catalogue = book.create_sheet(_("Indicators"))
    catalogue.append([f"{SKIP_MARK} " + _("Indicator catalogue (this sheet is not imported)")])
    catalogue.append(
        [_("Indicator code"), _("Indicator name"), _("Unit of measure"), _("Frequency"), _("Owner")]
    )
    for indicator in indicators:
        catalogue.append(
            [
                indicator.code,
                indicator.name,
                indicator.unit,
                indicator.get_frequency_display(),
                indicator.owner_unit.name,
            ]
        )
    for letter, width in zip("ABCDE", (16, 28, 12, 10, 20), strict=True):
        catalogue.column_dimensions[letter].width = width
    help_sheet = book.create_sheet(_("How to fill in"))
    for line in _help_lines():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _help_lines() -> list[str]:
    return [
        f"{SKIP_MARK} " + _("How to fill in the template (this sheet is not imported)"),
        _("One row per value on the first sheet; keep its header row."),
        _("Indicator: its code or its name (see the sheet of indicators)."),
        _("Region or unit: a region's name or code (恩平市, 恩平 or 440785) or a unit's name; "
          "empty means your government."),
        _("Period: 2023 for a year, 2023Q3 for a quarter, 2023-09 for a month."),
        _("Value: a number; thousands separators and full-width digits are accepted. "
          "Write the unit of measure if it is not the indicator's (e.g. 万元 instead of 亿元)."),
        _("Growth rate: in percent, as published; it is never recomputed."),
        _("Upload the file: you first see a preview with every problem; nothing is saved "
          "until you confirm."),
    ]  # fmt: skip
