"""Unit scorecards (镇镇有声、部门出彩): how each town and department carries out its tasks.

A scorecard is for one unit (as the lead unit, 牵头单位) and one period (a year, a quarter or a
month). It is judged "as of" the period's last day, or today while the period runs. Drafts and
cancelled tasks never count.

- **Tasks owned**: tasks whose deadline falls in the period ("due"), plus older tasks that were
  still open when the period began ("carried over", overdue work the unit still holds).
- **Closed**: tasks owned that were closed by the as-of day.
- **On-time closure rate**: of the due tasks that can be judged (their deadline has come, or they
  are already closed), the share closed on or before the deadline. A deadline moved by an
  approved postponement counts as the deadline.
- **Overdue**: tasks owned still open on the as-of day with their deadline before it.
- **Average delay**: mean days between deadline and closing over the late closures by the as-of
  day (including carried-over tasks closed in the period).
- **Report punctuality**: reports on time ÷ (on time + late + missed), over the tasks owned (the
  counters of each task, from its assignment to the as-of day's state of the database).
- **Average score**: mean of (timeliness + quality) ÷ 2 over the closed tasks the supervisor
  scored.
- **Points** (0–100): a weighted mean of four shares, each from 0 to 1, times 100 — on-time
  closure rate (40), average score ÷ 100 (30), report punctuality (20) and the share of tasks
  owned that are not overdue (10). A share without data is left out and the other weights are
  scaled up. A unit with nothing to judge yet (no task due by the as-of day, closed or overdue)
  gets no points and no rank: tasks not yet due prove nothing either way.

Ranks: by points rounded to one decimal, highest first; ties share a rank (1, 1, 3).

Every figure comes from aggregate queries grouped by lead unit, whatever the number of tasks: the
ranking takes one query for the units and one for the tasks (a UNION ALL of three selects, each
reading ranges of the index on lead unit, state and deadline), the trend of a unit one query for
all its periods. The selects read only columns that an index on (lead unit, state, deadline,
closed on, report counters, scores) covers, so the database need not visit the table.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit
from jinwei.lib.periods import Frequency, Period
from jinwei.tasks.models import ACTIVE_STATES, Task

JUDGED_STATES = (*ACTIVE_STATES, Task.State.CLOSED)


@dataclass(frozen=True)
class Weight:
    key: str
    points: int
    label: Any  # lazy translation


WEIGHTS = (
    Weight("on_time_rate", 40, _("On-time closure rate")),
    Weight("score_share", 30, _("Average score ÷ 100")),
    Weight("report_punctuality", 20, _("Report punctuality")),
    Weight("not_overdue_share", 10, _("Share of tasks not overdue")),
)


def as_of(period: Period, today: datetime.date) -> datetime.date:
    return min(period.end, today)


# --- the aggregate queries ------------------------------------------------------------------


def _parts(period: Period, *, split: bool) -> list[tuple[bool, Q]]:
    """The period's tasks as (is due in the period, filter): due in the period, or carried over
    (due before it and still open when it began). Split, the carried-over tasks come in two
    parts, open and closed since, so that each part reads ranges of the index on (lead unit,
    state, deadline) rather than every older task."""
    due = Q(state__in=JUDGED_STATES, deadline__gte=period.start, deadline__lte=period.end)
    still_open = Q(state__in=ACTIVE_STATES, deadline__lt=period.start)
    closed_since = Q(
        state=Task.State.CLOSED, deadline__lt=period.start, closed_on__gte=period.start
    )
    if split:
        return [(True, due), (False, still_open), (False, closed_since)]
    return [(True, due), (False, still_open | closed_since)]


class DaysBetween(Func):
    """Whole days from `start` to `end` (two dates), in the database's own date arithmetic:
    julianday() on SQLite rather than Django's per-row Python function for date differences,
    which would cost a Python call for each late task."""

    template = "(%(expressions)s)"  # PostgreSQL: date - date is a number of days
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def _aggregates(day: datetime.date, *, due: bool) -> dict[str, Any]:
    """Counts and sums over one part (due or carried over) of a period's tasks, as of `day`.

    The parts hold assigned and closed tasks only, so a task without a closing day is open.
    """
    closed = Q(closed_on__lte=day)
    late = closed & Q(closed_on__gt=F("deadline"))
    scored = closed & Q(score_timeliness__isnull=False, score_quality__isnull=False)
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    score: Combinable = F("score_timeliness") + F("score_quality")
    none = Value(0, output_field=IntegerField())
    return {
        "owned": Count("pk"),
        "closed": Count("pk", filter=closed),
        "judged": Count("pk", filter=Q(deadline__lte=day) | closed) if due else none,
        "on_time": Count("pk", filter=closed & Q(closed_on__lte=F("deadline"))) if due else none,
        "overdue": Count("pk", filter=still_open & Q(deadline__lt=day)),
        "late": Count("pk", filter=late),
        "delay": Sum(DaysBetween("closed_on", "deadline"), filter=late),
        "reports_on_time": Sum("reports_on_time"),
        "reports_late": Sum("reports_late"),
        "reports_missed": Sum("reports_missed"),
        "scored": Count("pk", filter=scored),
        "score_sum": Sum(score, filter=scored),
    }


Slot = tuple[int, int]  # (index of the period, lead unit id)


def _period_rows(
    tasks: QuerySet[Task], periods: Sequence[Period], today: datetime.date, *, split: bool
) -> dict[Slot, list[dict[str, Any]]]:
    """The parts of each period, grouped by lead unit: one query, a UNION ALL of simple selects
    that each read one range of an index (rather than one select testing every task against
    every period)."""
    parts = []
    for index, period in enumerate(periods):
        day = as_of(period, today)
        for due, where in _parts(period, split=split):
            parts.append(
                tasks.filter(where)
                .values("lead_unit_id")
                .annotate(slot=Value(index), is_due=Value(due), **_aggregates(day, due=due))
                .order_by()
            )
    found: dict[Slot, list[dict[str, Any]]] = defaultdict(list)
    for row in parts[0].union(*parts[1:], all=True):
        found[(row["slot"], row["lead_unit_id"])].append(row)
    return found


# --- figures -------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Figures:
    """One unit's scorecard for one period."""

    unit: OrgUnit
    period: Period
    as_of: datetime.date
    owned: int = 0
    due: int = 0
    closed: int = 0
    judged: int = 0
    on_time: int = 0
    overdue: int = 0
    late: int = 0
    average_delay: float | None = None  # days
    reports_on_time: int = 0
    reports_late: int = 0
    reports_missed: int = 0
    scored: int = 0
    score_sum: int = 0
    rank: int | None = None

    @classmethod
    def from_rows(
        cls, unit: OrgUnit, period: Period, day: datetime.date, rows: Iterable[dict[str, Any]]
    ) -> Figures:
        """Add up the due and the carried-over part of the period."""
        figures = cls(unit=unit, period=period, as_of=day)
        delay = 0.0
        for row in rows:
            for name in SUMMED:
                setattr(figures, name, getattr(figures, name) + (row[name] or 0))
            if row["is_due"]:
                figures.due += row["owned"] or 0
            delay += row["delay"] or 0
        figures.average_delay = delay / figures.late if figures.late else None
        return figures

    @property
    def on_time_rate(self) -> float | None:
        return _share(self.on_time, self.judged)

    @property
    def reports_due(self) -> int:
        return self.reports_on_time + self.reports_late + self.reports_missed

    @property
    def report_punctuality(self) -> float | None:
        return _share(self.reports_on_time, self.reports_due)

    @property
    def average_score(self) -> float | None:
        return self.score_sum / (2 * self.scored) if self.scored else None

    @property
    def score_share(self) -> float | None:
        score = self.average_score
        return None if score is None else score / 100

    @property
    def not_overdue_share(self) -> float | None:
        return None if not self.owned else 1 - self.overdue / self.owned

    @cached_property
    def points(self) -> float | None:
        """The weighted mean of the available shares, 0–100 (see the module's docstring)."""
        if not self.judged and not self.overdue:
            return None
        total = weight = 0.0
        for w in WEIGHTS:
            value = getattr(self, w.key)
            if value is not None:
                total += w.points * value
                weight += w.points
        return 100 * total / weight if weight else None

    @cached_property
    def rounded_points(self) -> float | None:
        points = self.points
        return None if points is None else round(points, 1)

    def percent(self, name: str) -> float | None:
        value = getattr(self, name)
        return None if value is None else 100 * value

    @property
    def on_time_percent(self) -> float | None:
        return self.percent("on_time_rate")

    @property
    def punctuality_percent(self) -> float | None:
        return self.percent("report_punctuality")


SUMMED = (
    "owned",
    "closed",
    "judged",
    "on_time",
    "overdue",
    "late",
    "reports_on_time",
    "reports_late",
    "reports_missed",
    "scored",
    "score_sum",
)


# --- rankings ------------------------------------------------------------------------------


def rank(figures: Iterable[Figures]) -> list[Figures]:
    """Highest points first, ties sharing a rank; units without points last, unranked."""
    rows = sorted(
        figures,
        key=lambda f: (
            f.rounded_points is None,
            -(f.rounded_points or 0),
            f.unit.order,
            f.unit.name,
        ),
    )
    for f in rows:
        points = f.rounded_points
        f.rank = (
            None
            if points is None
            else 1
            + sum(1 for o in rows if o.rounded_points is not None and o.rounded_points > points)
        )
    return rows


def scorecard_units(government_id: int, kinds: Sequence[str]) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            government_id=government_id, kind__in=kinds, is_active=True
        ).order_by("kind", "order", "name")
    )


def unit_figures(
    units: Sequence[OrgUnit], period: Period, today: datetime.date
) -> dict[int, Figures]:
    """Every unit's figures for a period: one query grouped by lead unit."""
    day = as_of(period, today)
    tasks = Task.objects.filter(lead_unit_id__in=[u.pk for u in units])
    rows = _period_rows(tasks, [period], today, split=True)
    return {u.pk: Figures.from_rows(u, period, day, rows.get((0, u.pk), [])) for u in units}


@dataclass
class Rankings:
    period: Period
    as_of: datetime.date
    towns: list[Figures] = field(default_factory=list)
    departments: list[Figures] = field(default_factory=list)

    def of_unit(self, unit_id: int) -> Figures | None:
        for f in self.towns + self.departments:
            if f.unit.pk == unit_id:
                return f
        return None


def rankings(government_id: int, period: Period, today: datetime.date) -> Rankings:
    """The two rankings of a government, towns and departments: two queries."""
    units = scorecard_units(government_id, [OrgUnit.Kind.TOWN, OrgUnit.Kind.DEPARTMENT])
    figures = unit_figures(units, period, today)
    towns = [figures[u.pk] for u in units if u.kind == OrgUnit.Kind.TOWN]
    departments = [figures[u.pk] for u in units if u.kind == OrgUnit.Kind.DEPARTMENT]
    return Rankings(period, as_of(period, today), rank(towns), rank(departments))


# --- a unit's trend ------------------------------------------------------------------------


def trend_periods(
    period: Period, frequency: Frequency, today: datetime.date, count: int = 8
) -> list[Period]:
    """The `count` periods of `frequency` up to the one holding the period's as-of day."""
    day = as_of(period, today)
    per_year = Period.of(frequency, day.year).per_year
    last = Period.of(frequency, day.year, (day.month - 1) // (12 // per_year) + 1)
    return [last.shift(step) for step in range(1 - count, 1)]


def unit_trend(unit: OrgUnit, periods: Sequence[Period], today: datetime.date) -> list[Figures]:
    """The unit's figures in each period: one query."""
    # a unit's few tasks: fewer, wider parts (each part costs the ORM a few milliseconds)
    rows = _period_rows(Task.objects.filter(lead_unit=unit), periods, today, split=False)
    return [
        Figures.from_rows(unit, period, as_of(period, today), rows.get((index, unit.pk), []))
        for index, period in enumerate(periods)
    ]
