"""Reading a spreadsheet or CSV file into plain rows of cells.

Readers are registered by file extension, so a new format is one function. Spreadsheets go through
python-calamine (fast, no formulas evaluated twice, reads xlsx, xls, xlsb and ods alike); calamine
does not read CSV, which is decoded here (UTF-8, UTF-8 with BOM, or GB18030 as Chinese Excel
saves it) and split with the csv module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

Cell = Any  # str, float, int, bool, date, datetime, timedelta, or "" for an empty cell
Reader = Callable[[Path], list["Sheet"]]


@dataclass
class Sheet:
    """One worksheet: `rows[i][j]` is the cell at Excel row `first_row + i`, column
    `first_col + j` (calamine skips the empty area above and left of the data)."""

    name: str
    rows: list[list[Cell]]
    first_row: int = 1  # 1-based, as Excel shows it
    first_col: int = 0  # 0-based: 0 is column A


class ReadError(Exception):
    """The file cannot be read at all; the message says why, for the person who uploaded it."""


READERS: dict[str, Reader] = {}


def register_reader(*extensions: str) -> Callable[[Reader], Reader]:
    def register(func: Reader) -> Reader:
        for extension in extensions:
            READERS[extension] = func
        return func

    return register


def supported_extensions() -> list[str]:
    return sorted(READERS)


def read_file(path: Path) -> list[Sheet]:
    """Every visible worksheet of the file, by the reader registered for its extension."""
    extension = path.suffix.lower().lstrip(".")
    reader = READERS.get(extension)
    if reader is None:
        raise ReadError(
            _("Files of type “.%(extension)s” cannot be imported; use %(supported)s.")
            % {"extension": extension, "supported": ", ".join(supported_extensions())}
        )
    if not path.is_file():
        raise ReadError(_("The file %(name)s is missing.") % {"name": path.name})
    return reader(path)


@register_reader("xlsx", "xlsm", "xls", "xlsb", "ods")
def read_spreadsheet(path: Path) -> list[Sheet]:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise ReadError(
            _("%(name)s could not be read as a spreadsheet (%(error)s).")
            % {"name": path.name, "error": error}
        ) from error
    sheets = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            sheets.append(Sheet(meta.name, rows, first_row=start[0] + 1, first_col=start[1]))
    except CalamineError as error:
        raise ReadError(
            _("%(name)s could not be read as a spreadsheet (%(error)s).")
            % {"name": path.name, "error": error}
        ) from error
    finally:
        book.close()
    return sheets


CSV_ENCODINGS = ("utf-8", "gb18030")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(_("The CSV file is neither UTF-8 nor GB18030 text."))


@register_reader("csv", "txt")
def read_csv(path: Path) -> list[Sheet]:
    text = decode_text(path.read_bytes())
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    return [Sheet(path.stem, rows)]


def _delimiter(text: str) -> str:
    """Comma, unless the first lines hold more tabs or semicolons (csv.Sniffer guesses wildly
    on Chinese headers, so count instead)."""
    head = text[:4096]
    return max(",\t;", key=lambda mark: (head.count(mark), mark == ","))
