"""One small Excel writer for every table the site shows: the export has the page's columns.

A title row, a bold header row frozen under it, column widths, and number formats taken from the
decimals of each column (or of each cell, when one column mixes indicators with different
decimals). Numbers stay numbers in the sheet, so people can keep calculating with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FILL = PatternFill("solid", fgColor="F5F6F8")
_INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    decimals: int | None = None  # a number column: shown with this many decimals


@dataclass(frozen=True)
class Number:
    """A cell that carries its own decimals (one column, indicators with different units)."""

    value: Decimal | float | int | None
    decimals: int

    def __str__(self) -> str:
        return "" if self.value is None else f"{self.value:,.{self.decimals}f}"


@dataclass(frozen=True)
class Sheet:
    title: str  # written in the first row
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]  # a generator is fine: rows are streamed
    name: str = ""  # the tab; the title when empty


def number_format(decimals: int) -> str:
    """Excel format with thousands separators: 2 -> "#,##0.00"."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


CellValue = str | int | float | date | datetime | None


def _cell_value(raw: object) -> CellValue:
    if isinstance(raw, Number):
        raw = raw.value
    if isinstance(raw, Decimal):
        return float(raw)  # Excel stores doubles; the format shows the decimals that matter
    if isinstance(raw, datetime) and raw.tzinfo is not None:
        return raw.replace(tzinfo=None)  # Excel has no time zones: callers pass local time
    if raw is None or isinstance(raw, str | int | float | date):
        return raw
    return str(raw)  # links and labels export as their text


def _styled(sheet: WriteOnlyWorksheet, value: str | float | None, **style: Any) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write(sheet: WriteOnlyWorksheet, table: Sheet) -> None:
    """Rows are streamed to disk as they come (a write-only sheet), so `table.rows` may be a
    generator over a large query: memory stays flat however many rows there are."""
    dimensions: Any = sheet.column_dimensions  # type: ignore[attr-defined]  # missing from the stubs
    for index, column in enumerate(table.columns, start=1):
        dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.append([_styled(sheet, table.title, font=Font(bold=True, size=14))])
    header_alignment = Alignment(wrap_text=True, vertical="center")
    sheet.append(
        [
            _styled(
                sheet, c.header, font=Font(bold=True), fill=_HEADER_FILL, alignment=header_alignment
            )
            for c in table.columns
        ]
    )
    for row in table.rows:
        cells: list[Cell | CellValue] = []
        for column, raw in zip(table.columns, row, strict=True):
            value = _cell_value(raw)
            decimals = raw.decimals if isinstance(raw, Number) else column.decimals
            if decimals is not None and isinstance(value, int | float):
                cells.append(_styled(sheet, value, number_format=number_format(decimals)))
            else:
                cells.append(value)
        sheet.append(cells)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The tables as one .xlsx file, a tab each: title in row 1, header in row 2, data after."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in sheets:
        name = (table.name or table.title).translate(_INVALID_SHEET_CHARS)[:28] or "Sheet"
        while name in used:  # tab names must be unique
            name += "_"
        used.add(name)
        _write(book.create_sheet(name), table)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """The tables as a download named `filename` (Chinese names survive: RFC 5987)."""
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return HttpResponse(
        workbook_bytes(sheets),
        content_type=CONTENT_TYPE,
        headers={"Content-Disposition": disposition or ""},
    )
