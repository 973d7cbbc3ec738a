"""Finding the table inside a sheet as statistical offices lay it out.

Above the header there may be merged title rows ("2023年恩平市主要经济指标") and a unit line
("单位：亿元"); below the data, notes ("注：…", "资料来源：…"). The header is the first row with at
least two filled cells; title rows are the one-cell rows above it; the body ends at the first notes
row. Texts are compared after NFKC normalisation, which turns full-width digits, letters and
punctuation into their ASCII forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from jinwei.indicators.importing.readers import Cell, Sheet
from jinwei.lib.periods import Period, PeriodError, parse_period

_NOTE = re.compile(
    r"^(?:(?:注|附注|备注|资料来源|数据来源|来源|说明)\s*\d*\s*[:：]|(?:notes?|sources?)\s*:|[*※])",
    re.IGNORECASE,
)
SKIP_MARK = "#"  # a sheet whose first cell starts with this is help text (the template's), not data
_UNIT_LINE = re.compile(r"(?:计量)?单位[:：]\s*([^\s,，;；)）]+)")
_TITLE_PERIOD = re.compile(
    r"(\d{4})\s*年(?:\s*(?:1\s*[-—~至]\s*)?\d{1,2}\s*月|\s*第?\s*[一二三四1-4]\s*季度)?"
)


def clean(cell: Cell) -> str:
    """A cell as normalised text: NFKC, no surrounding or inner blanks of Excel padding."""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    text = unicodedata.normalize("NFKC", str(cell))
    return " ".join(text.split())


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@dataclass
class Table:
    """The header and body of one sheet, with what the title rows say."""

    sheet: Sheet
    header_index: int  # index into sheet.rows
    headers: list[str]  # cleaned header texts, by position in the row
    body_end: int  # index into sheet.rows one past the last data row
    title: str = ""
    title_unit: str = ""  # from a "单位：亿元" line
    notes: list[str] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        return self.sheet.first_row + self.header_index

    def letter(self, position: int) -> str:
        return column_letter(self.sheet.first_col + position)

    def body(self) -> range:
        return range(self.header_index + 1, self.body_end)

    def excel_row(self, index: int) -> int:
        return self.sheet.first_row + index

    def title_period(self) -> Period | None:
        """The period a title such as "2023年恩平市主要经济指标" or "2024年1-6月…" names."""
        for match in _TITLE_PERIOD.finditer(self.title):
            try:
                return parse_period(match.group(0).replace(" ", ""))
            except PeriodError:
                continue
        return None


def filled(row: list[Cell]) -> int:
    return sum(1 for cell in row if not is_empty(cell))


def is_note(row: list[Cell]) -> bool:
    """A notes row: one or two filled cells, the first "注：…", "资料来源：…" or the like."""
    if len(row) - row.count("") - row.count(None) > 2:  # counted in C: cheap on 100,000 rows
        return False
    cells = [clean(c) for c in row if not is_empty(c)]
    return bool(cells) and len(cells) <= 2 and bool(_NOTE.match(cells[0]))


def locate(sheet: Sheet) -> Table | None:
    """The table in `sheet`, or None if the sheet holds no table (empty, or help text)."""
    rows = sheet.rows
    first = next((i for i, row in enumerate(rows) if filled(row)), None)
    if first is None:
        return None
    leading = next(clean(c) for c in rows[first] if not is_empty(c))
    if leading.startswith(SKIP_MARK):
        return None
    header_index = next((i for i in range(first, len(rows)) if filled(rows[i]) >= 2), None)
    if header_index is None:
        return None
    titles = [" ".join(clean(c) for c in rows[i] if not is_empty(c)) for i in range(header_index)]
    title = " ".join(t for t in titles if t)
    unit = _UNIT_LINE.search(title)
    end, notes = len(rows), []
    for i in range(header_index + 1, len(rows)):
        row = rows[i]  # a data row fills more than two cells: no call to is_note for it
        if len(row) - row.count("") - row.count(None) <= 2 and is_note(row):
            end = i
            notes = [" ".join(clean(c) for c in r if not is_empty(c)) for r in rows[i:]]
            break
    return Table(
        sheet=sheet,
        header_index=header_index,
        headers=[clean(c) for c in rows[header_index]],
        body_end=end,
        title=title,
        title_unit=unit.group(1) if unit else "",
        notes=[n for n in notes if n],
    )
