"""Explicit statistical periods: a year (2023), a quarter (2023Q3) or a month (2023-09).

Statistics bureaus publish by period, not by date, and a value is always "for" a period of the
indicator's frequency. A Period is ordered, hashable, and knows its share of the year so that
cumulative-to-date (累计) values can be compared with time progress (时间进度).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


_PER_YEAR = {Frequency.ANNUAL: 1, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_PATTERNS: list[tuple[re.Pattern[str], Frequency]] = [
    (re.compile(r"^(\d{4})$"), Frequency.ANNUAL),
    (re.compile(r"^(\d{4})\s*年(?:度|全年)?$"), Frequency.ANNUAL),
    (re.compile(r"^(\d{4})\s*[-/]?\s*Q([1-4])$", re.IGNORECASE), Frequency.QUARTERLY),
    (re.compile(r"^(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度?$"), Frequency.QUARTERLY),
    (re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"), Frequency.MONTHLY),
    (re.compile(r"^(\d{4})(\d{2})$"), Frequency.MONTHLY),
    (re.compile(r"^(\d{4})\s*年\s*(?:1\s*[-—~至]\s*)?(\d{1,2})\s*月(?:份)?$"), Frequency.MONTHLY),
]


class PeriodError(ValueError):
    """Text that is not a period; the message says what was expected."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    frequency_rank: int  # orders periods of the same year: annual after its months and quarters
    index: int  # 1 for a year, 1-4 for quarters, 1-12 for months

    @classmethod
    def of(cls, frequency: Frequency, year: int, index: int = 1) -> Period:
        per_year = _PER_YEAR[frequency]
        if not 1 <= index <= per_year:
            raise PeriodError(f"{frequency} period index must be 1..{per_year}, not {index}")
        if not 1900 <= year <= 2200:
            raise PeriodError(f"year out of range: {year}")
        return cls(year, _RANK[frequency], index)

    @property
    def frequency(self) -> Frequency:
        return _BY_RANK[self.frequency_rank]

    @property
    def per_year(self) -> int:
        return _PER_YEAR[self.frequency]

    def __str__(self) -> str:
        if self.frequency is Frequency.ANNUAL:
            return f"{self.year}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def label_zh(self) -> str:
        if self.frequency is Frequency.ANNUAL:
            return f"{self.year}年"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    def shift(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative), same frequency."""
        zero_based = self.year * self.per_year + (self.index - 1) + steps
        return Period.of(
            self.frequency, zero_based // self.per_year, zero_based % self.per_year + 1
        )

    def previous(self) -> Period:
        return self.shift(-1)

    def year_ago(self) -> Period:
        return Period.of(self.frequency, self.year - 1, self.index)

    @property
    def year_share(self) -> float:
        """Elapsed share of the year at the end of this period (时间进度): 2024-06 -> 0.5."""
        return self.index / self.per_year

    @property
    def start(self) -> date:
        months_per = 12 // self.per_year
        return date(self.year, (self.index - 1) * months_per + 1, 1)

    @property
    def end(self) -> date:
        nxt = self.shift(1).start
        return date.fromordinal(nxt.toordinal() - 1)

    def periods_of_year(self) -> list[Period]:
        return [Period.of(self.frequency, self.year, i) for i in range(1, self.per_year + 1)]


_RANK = {Frequency.MONTHLY: 0, Frequency.QUARTERLY: 1, Frequency.ANNUAL: 2}
_BY_RANK = {rank: freq for freq, rank in _RANK.items()}


def parse_period(text: object) -> Period:
    """Read a period as people write it: 2023, 2023年, 2023Q3, 2023年第三季度, 2023-09, 2023年9月.

    Also 202309 (a month).

    "2023年1-9月" (cumulative through September) is read as the month 2023-09.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, float):
        if not text.is_integer():  # a spreadsheet keeps "2023.10" as 2023.1: October or January?
            raise PeriodError(f"ambiguous period {text!r}: write it as text, e.g. 2023-10")
        text = str(int(text))
    if isinstance(text, date):
        return Period.of(Frequency.MONTHLY, text.year, text.month)
    raw = str(text).strip().translate(_FULLWIDTH)
    for pattern, frequency in _PATTERNS:
        match = pattern.match(raw)
        if match:
            year = int(match.group(1))
            index = (
                1
                if frequency is Frequency.ANNUAL
                else _CN_DIGITS.get(match.group(2)) or int(match.group(2))
            )
            return Period.of(frequency, year, index)
    raise PeriodError(f"not a period: {raw!r} (expected 2023, 2023Q3 or 2023-09)")


_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．Ｑｑ　", "0123456789-/.Qq ")


def last_month(today: date) -> Period:
    """The calendar month before today: the latest month whose figures are published."""
    return Period.of(Frequency.MONTHLY, today.year, today.month).previous()
