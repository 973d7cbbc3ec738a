"""The arithmetic of benefit sharing (异地招商利益分享), with no Django import.

A project's yearly totals (output value, tax, investment, in 万元) are split among regions by the
shares of the term that covers the year. Everything is exact `Decimal`: a share of 33.33 % of
1,000.00 万元 is 333.3300, and the amounts are rounded to 0.01 万元 only where they are shown, so
sums over regions, years and agreements never carry rounding errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)
MEASURES = ("output_value", "tax", "investment")


@dataclass(frozen=True)
class Amounts:
    """Output value, tax and investment (万元), of one project-year or summed over many."""

    output_value: Decimal = ZERO
    tax: Decimal = ZERO
    investment: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.output_value + other.output_value,
            self.tax + other.tax,
            self.investment + other.investment,
        )

    def share(self, percents: Percents) -> Amounts:
        """The part these percents give: exact, never rounded."""
        return Amounts(
            self.output_value * percents.output / HUNDRED,
            self.tax * percents.tax / HUNDRED,
            self.investment * percents.investment / HUNDRED,
        )

    def of(self, measure: str) -> Decimal:
        value: Decimal = getattr(self, measure)
        return value


@dataclass(frozen=True)
class Percents:
    """One region's shares in a term, per measure (each 0–100)."""

    output: Decimal
    tax: Decimal
    investment: Decimal


@dataclass(frozen=True)
class Span:
    """A term: years `start`–`end` (both included; `end` None: open-ended) and its shares by
    region id."""

    key: int
    start: int
    end: int | None
    shares: Mapping[int, Percents] = field(default_factory=dict)

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Split:
    """One project-year: the figures, the term covering the year (None: unshared), and each
    region's part."""

    agreement_id: int
    year: int
    figure: Amounts
    span: Span | None
    by_region: Mapping[int, Amounts]


def overlap(
    start: int, end: int | None, other_start: int, other_end: int | None
) -> tuple[int, int | None] | None:
    """The years two periods share, as (first, last) with last None for "onwards"; None when
    they are apart. An empty end means the period never ends."""
    first = max(start, other_start)
    ends = [e for e in (end, other_end) if e is not None]
    last = min(ends) if ends else None
    if last is not None and first > last:
        return None
    return first, last


def covering(spans: Iterable[Span], year: int) -> Span | None:
    """The term covering the year (terms of an agreement do not overlap: at most one)."""
    return next((s for s in spans if s.covers(year)), None)


def split(agreement_id: int, figures: Mapping[int, Amounts], spans: Sequence[Span]) -> list[Split]:
    """Each year's figures of one agreement split among the regions, oldest year first."""
    result = []
    for year in sorted(figures):
        span = covering(spans, year)
        figure = figures[year]
        parts = {} if span is None else {r: figure.share(p) for r, p in span.shares.items()}
        result.append(Split(agreement_id, year, figure, span, parts))
    return result


@dataclass
class Totals:
    """Attributed amounts summed over agreements: by (region id, year), and the unshared amounts
    (years no term covers) by year."""

    attributed: dict[tuple[int, int], Amounts] = field(default_factory=dict)
    unshared: dict[int, Amounts] = field(default_factory=dict)
    figures: dict[int, Amounts] = field(default_factory=dict)

    def add(self, item: Split) -> None:
        self.figures[item.year] = self.figures.get(item.year, Amounts()) + item.figure
        if item.span is None:
            self.unshared[item.year] = self.unshared.get(item.year, Amounts()) + item.figure
            return
        for region_id, amounts in item.by_region.items():
            key = (region_id, item.year)
            self.attributed[key] = self.attributed.get(key, Amounts()) + amounts

    @property
    def years(self) -> list[int]:
        return sorted(self.figures)

    @property
    def region_ids(self) -> set[int]:
        return {region_id for region_id, _year in self.attributed}

    def region_year(self, region_id: int, year: int) -> Amounts:
        return self.attributed.get((region_id, year), Amounts())

    def region_total(self, region_id: int) -> Amounts:
        return sum((a for (r, _y), a in self.attributed.items() if r == region_id), Amounts())

    def unshared_total(self) -> Amounts:
        return sum(self.unshared.values(), Amounts())

    def figures_total(self) -> Amounts:
        return sum(self.figures.values(), Amounts())


def total(splits: Iterable[Split]) -> Totals:
    result = Totals()
    for item in splits:
        result.add(item)
    return result


def shown(value: Decimal) -> Decimal:
    """An amount as shown (page and export): 0.01 万元, half up as in Chinese accounting."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal) -> str:
    """A percentage without trailing zeros: 100, 99.99, 33.5."""
    text = format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
