"""Read numbers the way statistical tables write them.

Thousands separators, full-width digits and punctuation, surrounding spaces, percent signs, and the
placeholders for "no data" ("—", "-", "…", empty) all occur in real yearbook and bureau tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MISSING_MARKS = frozenset(
    {"", "-", "--", "—", "——", "–", "…", "……", "...", "/", "×", "x", "N/A", "NA", "na", "无"}
)

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％　（）",
    "0123456789.,-+% ()",
)


class NumberError(ValueError):
    """Text that is not a number; `reason` is a short code the caller turns into a message."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{reason}: {text!r}")


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal | None  # None: the cell says "no data"
    percent: bool = False  # the cell carried a percent sign


def parse_number(cell: object) -> ParsedNumber:
    """Decimal value of a cell, or value None when the cell is a "no data" mark."""
    if cell is None:
        return ParsedNumber(None)
    if isinstance(cell, bool):
        raise NumberError(str(cell), "not_a_number")
    if isinstance(cell, int):
        return ParsedNumber(Decimal(cell))
    if isinstance(cell, float | Decimal):
        if cell != cell:  # NaN: how pandas and spreadsheets say "empty"
            return ParsedNumber(None)
        value = cell if isinstance(cell, Decimal) else Decimal(repr(cell))
        if not value.is_finite():
            raise NumberError(str(cell), "not_a_number")
        return ParsedNumber(value)
    text = str(cell).translate(_FULLWIDTH).strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING_MARKS:
        return ParsedNumber(None)
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if text.startswith("(") and text.endswith(")"):  # accounting negatives
        text = "-" + text[1:-1]
    if "," in text:
        head, *groups = text.lstrip("+-").split(",")
        if not head or len(head) > 3 or any(len(g.split(".")[0]) != 3 for g in groups):
            raise NumberError(str(cell), "bad_thousands_separator")
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NumberError(str(cell), "not_a_number") from None
    if not value.is_finite():
        raise NumberError(str(cell), "not_a_number")
    return ParsedNumber(value, percent)
