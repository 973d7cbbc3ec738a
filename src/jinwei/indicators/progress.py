"""Targets against time progress (时间进度) and the three-colour status.

Pure functions: no Django, no database. The default rule is the one practised in Chinese key-work
scheduling: green when on or ahead of time progress (or less than 10 points behind), yellow when
10 to 30 percentage points behind, red when more than 30 behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jinwei.lib.periods import Period

HUNDRED = Decimal(100)


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"  # no target, or nothing to compare


@dataclass(frozen=True)
class ColourRule:
    """Points behind at which a status turns yellow (inclusive) and red (exclusive)."""

    yellow_from: Decimal = Decimal(10)
    red_above: Decimal = Decimal(30)

    def colour(self, points_behind: Decimal) -> Colour:
        if points_behind > self.red_above:
            return Colour.RED
        if points_behind >= self.yellow_from:
            return Colour.YELLOW
        return Colour.GREEN


DEFAULT_RULE = ColourRule()


@dataclass(frozen=True)
class Progress:
    """Where a value stands against its annual target at the end of a period."""

    target_level: Decimal  # the year's target as a level in the indicator's unit
    expected: Decimal  # what should have been reached by now
    completion: Decimal  # value / target_level, in percent
    time_progress: Decimal  # elapsed share of the year, in percent (100 for point values)
    points_behind: Decimal  # time progress minus completion (negative when ahead)
    shortfall: Decimal  # how far behind the expected value, in the indicator's unit (0 if not)
    colour: Colour

    @property
    def half_time_half_done(self) -> bool:
        """时间过半、任务过半: at least half the target reached once half the year has passed."""
        return self.completion >= 50


def target_level(*, kind: str, target: Decimal, last_year_total: Decimal | None) -> Decimal | None:
    """A growth-rate target becomes a level through last year's total; None if that is unknown."""
    if kind == "level":
        return target
    if last_year_total is None:
        return None
    return last_year_total * (1 + target / HUNDRED)


def progress(
    *,
    value: Decimal,
    period: Period,
    level: Decimal,
    cumulative: bool,
    higher_is_better: bool = True,
    rule: ColourRule = DEFAULT_RULE,
) -> Progress | None:
    """Progress of `value` (at the end of `period`) against the annual target `level`.

    Cumulative values are held against the elapsed share of the year; point values against the
    target itself. For lower-is-better indicators the value should stay under the expected level.
    """
    if level == 0:
        return None
    share = Decimal(period.index) / Decimal(period.per_year) if cumulative else Decimal(1)
    expected = level * share
    completion = value / level * HUNDRED
    time_progress = share * HUNDRED
    if higher_is_better:
        points_behind = time_progress - completion
        shortfall = max(expected - value, Decimal(0))
    else:
        points_behind = completion - time_progress
        shortfall = max(value - expected, Decimal(0))
    return Progress(
        target_level=level,
        expected=expected,
        completion=completion,
        time_progress=time_progress,
        points_behind=points_behind,
        shortfall=shortfall,
        colour=rule.colour(points_behind),
    )
