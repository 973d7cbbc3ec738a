"""What the public page shows: a government's indicators marked public, their latest approved
value, a small trend and their milestones, each with its source.

Only a narrow slice is read, so nothing internal can reach the page: indicators with
`is_public`, and of their observations only the approved ones of the government itself (no
drafts, no units' own figures, no peer regions). Milestones are found by the indicators app's
own rule (`milestones_of`) on those approved values only. Three queries per page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator, Observation
from jinwei.indicators.selectors import (
    MilestoneEntry,
    Point,
    computes_yoy,
    milestones_of,
    points_from,
)

# What `points_from` reads from each row; nothing else of an observation is loaded.
POINT_FIELDS = (
    "id",
    "indicator_id",
    "period",
    "value",
    "growth_rate",
    "source",
    "status",
    "is_illustrative",
)
TREND_LENGTH = 12  # periods on the small trend line
TREND_WIDTH, TREND_HEIGHT, TREND_MARGIN = 120, 36, 3


@dataclass(frozen=True)
class Trend:
    """A sparkline's geometry in a TREND_WIDTH × TREND_HEIGHT box: drawn as inline SVG, so the
    page needs no script and makes no request."""

    points: list[Point]
    coordinates: list[tuple[float, float]]
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.coordinates)

    @property
    def end_x(self) -> str:
        return f"{self.coordinates[-1][0]:.1f}"

    @property
    def end_y(self) -> str:
        return f"{self.coordinates[-1][1]:.1f}"

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def last(self) -> Point:
        return self.points[-1]


def trend_of(points: list[Point]) -> Trend | None:
    """The line through the values, scaled to the box; None below two values."""
    if len(points) < 2:
        return None
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    step = (TREND_WIDTH - 2 * TREND_MARGIN) / (len(values) - 1)
    usable = TREND_HEIGHT - 2 * TREND_MARGIN

    def y(value: float) -> float:
        if high == low:
            return TREND_HEIGHT / 2
        return TREND_MARGIN + usable * (high - value) / (high - low)

    return Trend(points, [(TREND_MARGIN + i * step, y(v)) for i, v in enumerate(values)])


def comparable(indicator: Indicator, points: list[Point]) -> list[Point]:
    """The values a trend may join: a cumulative monthly or quarterly total restarts each
    January, so its trend is the same period of each year (every September, say)."""
    if not points:
        return []
    if indicator.is_cumulative and indicator.frequency != Indicator.Frequency.ANNUAL:
        index = points[-1].period.index
        points = [p for p in points if p.period.index == index]
    return points[-TREND_LENGTH:]


@dataclass(frozen=True)
class Growth:
    rate: Decimal
    reported: bool  # as published; otherwise computed from this and last year's value


@dataclass(frozen=True)
class PublicMilestone:
    entry: MilestoneEntry
    source: str


@dataclass
class PublicFigure:
    """One public indicator with its approved values (oldest first) and their milestones."""

    indicator: Indicator
    points: list[Point]
    milestones: list[PublicMilestone] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def growth(self) -> Growth | None:
        """The latest growth rate as reported, else the year-on-year change computed."""
        latest = self.latest
        if latest is None:
            return None
        if latest.growth_rate is not None:
            return Growth(latest.growth_rate, reported=True)
        return None if latest.yoy is None else Growth(latest.yoy, reported=False)

    @property
    def source(self) -> str:
        latest = self.latest
        return (latest.source if latest else "") or self.indicator.source

    @property
    def trend(self) -> Trend | None:
        return trend_of(comparable(self.indicator, self.points))


def public_governments() -> QuerySet[Region]:
    """Governments with at least one indicator marked public."""
    return Region.objects.filter(indicators__is_public=True).distinct().order_by("code")


def public_indicators(government: Region) -> QuerySet[Indicator]:
    return Indicator.objects.filter(government=government, is_public=True).order_by(
        "category__order", "order", "code"
    )


def _approved_rows(government: Region, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = Observation.objects.filter(
        indicator_id__in=ids, region=government, status=Observation.Status.APPROVED
    ).values(*POINT_FIELDS)
    by_indicator: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_indicator[row["indicator_id"]].append(row)
    return by_indicator


def public_figures(government: Region) -> list[PublicFigure]:
    """Every public indicator of the government, in catalogue order: two queries."""
    indicators = list(public_indicators(government))
    rows = _approved_rows(government, [i.pk for i in indicators])
    figures = []
    for indicator in indicators:
        points = points_from(rows[indicator.pk], yoy=computes_yoy(indicator))
        sources = {p.period: p.source or indicator.source for p in points}
        entries = milestones_of(indicator, points, government.name)
        milestones = [PublicMilestone(e, sources.get(e.period, "")) for e in entries]
        figures.append(PublicFigure(indicator, points, milestones))
    return figures


def public_milestones(figures: list[PublicFigure]) -> list[PublicMilestone]:
    """The milestones of every figure, newest first."""
    found = [m for f in figures for m in f.milestones]
    return sorted(found, key=lambda m: (m.entry.period, -m.entry.indicator.order), reverse=True)
