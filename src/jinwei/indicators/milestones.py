"""Milestones (突破) found in a series of values: never typed by hand, recomputed on every read.

Two kinds, as the press reports them:

- a threshold crossed for the first time ("2021年地区生产总值首次突破200亿元"): the first period
  whose value reaches the threshold (touching it counts) after an earlier value was short of it.
  A series that starts above the threshold says nothing about when it was crossed, so it yields
  nothing; falling back and crossing again is not a new milestone. For lower-is-better
  indicators the mirror: the first value at or below the threshold after one above it.
- the first non-zero value after a run of zeros (零的突破), once per series.

For cumulative-to-date series (累计, reset each January) only year-end totals show that a
threshold was not yet reached, or that a year had nothing: January's small total says nothing
about last year. Callers say so with `evidence` (the periods that count as such proof).

Pure functions on (period, value) pairs: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


P = TypeVar("P", bound=_Ordered)


class Kind(StrEnum):
    THRESHOLD = "threshold"  # 首次突破
    FIRST_NONZERO = "first_nonzero"  # 零的突破


@dataclass(frozen=True)
class Milestone(Generic[P]):
    kind: Kind
    period: P
    value: Decimal
    threshold: Decimal | None = None  # for Kind.THRESHOLD


def _reached(value: Decimal, threshold: Decimal, higher_is_better: bool) -> bool:
    return value >= threshold if higher_is_better else value <= threshold


def _always(period: object) -> bool:
    return True


def threshold_crossings(
    series: Sequence[tuple[P, Decimal]],
    thresholds: Iterable[Decimal],
    *,
    higher_is_better: bool = True,
    evidence: Callable[[P], bool] = _always,
) -> list[Milestone[P]]:
    """The first crossing of each threshold; several crossed in one period keep only the
    furthest (a jump past 100 and 200 at once is reported as 首次突破200)."""
    points = sorted(series, key=lambda item: item[0])
    found: dict[P, Milestone[P]] = {}
    for threshold in sorted(set(thresholds)):
        short_before = False
        for period, value in points:
            if _reached(value, threshold, higher_is_better):
                if short_before:
                    candidate = Milestone(Kind.THRESHOLD, period, value, threshold)
                    found[period] = _furthest(found.get(period), candidate, higher_is_better)
                break  # reached (now, or before the series began): never counted again
            short_before = short_before or evidence(period)
    return [found[period] for period in sorted(found)]


def _furthest(
    current: Milestone[P] | None, candidate: Milestone[P], higher_is_better: bool
) -> Milestone[P]:
    if current is None or current.threshold is None or candidate.threshold is None:
        return candidate
    further = (candidate.threshold > current.threshold) == higher_is_better
    return candidate if further else current


def first_nonzero(
    series: Sequence[tuple[P, Decimal]], *, evidence: Callable[[P], bool] = _always
) -> Milestone[P] | None:
    """零的突破: the first non-zero value that follows a zero."""
    seen_zero = False
    for period, value in sorted(series, key=lambda item: item[0]):
        if value == 0:
            seen_zero = seen_zero or evidence(period)
        elif seen_zero:
            return Milestone(Kind.FIRST_NONZERO, period, value)
    return None


def detect(
    series: Sequence[tuple[P, Decimal]],
    thresholds: Iterable[Decimal],
    *,
    higher_is_better: bool = True,
    evidence: Callable[[P], bool] = _always,
) -> list[Milestone[P]]:
    """Every milestone of one series, oldest first."""
    found = threshold_crossings(
        series, thresholds, higher_is_better=higher_is_better, evidence=evidence
    )
    zero = first_nonzero(series, evidence=evidence)
    if zero is not None:
        found.append(zero)
    return sorted(found, key=lambda m: (m.period, m.kind != Kind.FIRST_NONZERO))
