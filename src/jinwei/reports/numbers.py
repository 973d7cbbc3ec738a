"""Numbers, amounts and dates as a Chinese briefing writes them.

Pure functions: the briefing's sentences and tables format every figure here, so the same value
reads the same everywhere (the indicator's decimals, half up, no thousands separators, as
official documents print them).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from jinwei.lib.periods import Frequency, Period

WAN_PER_YI = Decimal(10000)
# round thresholds the press writes in words: 首次突破百亿元, 千亿元
ROUND_WORDS = {Decimal(100): "百", Decimal(1000): "千", Decimal(10000): "万"}


def fixed(value: Decimal | float | int, decimals: int) -> str:
    """The value with exactly `decimals` places, rounded half up; never "-0.0"."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return format(rounded, "f")


def quantity(value: Decimal | float | int, decimals: int, unit: str) -> str:
    """237.00亿元, 2人, 96.5%."""
    return f"{fixed(value, decimals)}{unit}"


def threshold(value: Decimal, unit: str) -> str:
    """A milestone threshold: 百亿元 and 千亿元 in words (amounts of money), 200亿元 in digits."""
    word = ROUND_WORDS.get(value)
    if word is not None and unit.endswith("元"):
        return f"{word}{unit}"
    return f"{format(value.normalize(), 'f')}{unit}"


def percent(value: Decimal | float | int, decimals: int = 1) -> str:
    return f"{fixed(value, decimals)}%"


def growth(value: Decimal | float | int, decimals: int = 1) -> str:
    """同比增长7.8% / 同比下降2.1% / 同比持平 (a change that rounds to zero)."""
    text = fixed(abs(Decimal(str(value))), decimals)
    if Decimal(text) == 0:
        return "同比持平"
    return f"同比{'增长' if Decimal(str(value)) > 0 else '下降'}{text}%"


def yi_from_wan(amount: Decimal) -> Decimal:
    """万元 (as projects and leads are kept) to 亿元 (as a briefing writes large sums)."""
    return amount / WAN_PER_YI


def yi(amount_wan: Decimal) -> str:
    """An amount kept in 万元, written in 亿元 with two places: 123456万元 -> 12.35亿元."""
    return quantity(yi_from_wan(amount_wan), 2, "亿元")


def date_zh(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_day_zh(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def span_zh(period: Period) -> str:
    """What a cumulative figure of the period covers: 2023年, 2024年1—9月, 2024年1—3月."""
    if period.frequency is Frequency.ANNUAL:
        return f"{period.year}年"
    last = period.index * 12 // period.per_year
    if last == 1:
        return f"{period.year}年1月"
    return f"{period.year}年1—{last}月"
