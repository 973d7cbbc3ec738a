"""A project's schedule colour, computed from its dates and physical progress, never stored.

Time progress (时间进度) is the share of the days from the planned start to the planned completion
that have passed, capped at 100 %; a project is behind by the points its physical progress
(形象进度) trails time progress. Default rules, as practised (ProjectRules): yellow when more than
10 and up to 30 points behind, red when more than 30 points behind, and red when construction has
not started three months after the planned start. Completed projects and those in production are
done; a project without planned dates has no colour.

The arithmetic is exact (fractions), so the boundaries are where the rules say.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from jinwei.projects.models import Project, ProjectRules

Stage = Project.Stage
DONE_STAGES = frozenset({Stage.COMPLETED, Stage.IN_PRODUCTION})


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    DONE = "done"  # completed or in production
    NONE = "none"  # no planned dates: nothing to measure against

    @property
    def label(self) -> str:
        return str(COLOUR_LABELS[self])


COLOUR_LABELS = {
    Colour.GREEN: _("On schedule"),
    Colour.YELLOW: _("Behind schedule"),
    Colour.RED: _("Seriously behind"),
    Colour.DONE: _("Done"),
    Colour.NONE: _("No schedule"),
}
COLOURS = tuple(Colour)


@dataclass(frozen=True)
class ScheduleRules:
    yellow_behind_points: int = 10
    red_behind_points: int = 30
    not_started_red_months: int = 3

    @classmethod
    def of(cls, row: ProjectRules | None) -> ScheduleRules:
        """A government's configured rules; the defaults when it has none."""
        if row is None:
            return cls()
        return cls(
            yellow_behind_points=row.yellow_behind_points,
            red_behind_points=row.red_behind_points,
            not_started_red_months=row.not_started_red_months,
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    colour: Colour
    # time progress as the fraction share_days / span_days of 100 % (kept as integers: a list
    # colours every project of its filter, so this stays cheap)
    share_days: int = 0
    span_days: int = 0  # 0: no time progress (no planned completion, or done)
    progress: int = 0
    not_started_late: bool = False  # red because construction has not started in time

    @property
    def elapsed(self) -> Fraction | None:
        """Time progress, percent."""
        return Fraction(100 * self.share_days, self.span_days) if self.span_days else None

    @property
    def behind(self) -> Fraction | None:
        """Points physical progress trails time progress (negative when ahead)."""
        elapsed = self.elapsed
        return None if elapsed is None else elapsed - self.progress

    @property
    def elapsed_percent(self) -> int | None:
        elapsed = self.elapsed
        return None if elapsed is None else round(elapsed)

    @property
    def behind_points(self) -> int | None:
        behind = self.behind
        return None if behind is None else round(behind)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _share(
    start: datetime.date, completion: datetime.date, today: datetime.date
) -> tuple[int, int]:
    """Days passed and planned days: 0 before the start, all from the completion day."""
    span = max((completion - start).days, 1)
    if today <= start:
        return 0, span
    if today >= completion:
        return span, span
    return (today - start).days, span


def time_progress(
    start: datetime.date, completion: datetime.date, today: datetime.date
) -> Fraction:
    """Percent of the planned days passed, 0 before the start and 100 from the completion day."""
    share, span = _share(start, completion, today)
    return Fraction(100 * share, span)


def not_started_red_from(start: datetime.date, rules: ScheduleRules) -> datetime.date:
    """The day a project still not started turns red."""
    return add_months(start, rules.not_started_red_months)


def schedule(
    *,
    stage: str,
    planned_start: datetime.date | None,
    planned_completion: datetime.date | None,
    started_on: datetime.date | None,
    progress: int,
    today: datetime.date,
    rules: ScheduleRules,
) -> Schedule:
    """The colour of one project today, with the figures that explain it."""
    colour = colour_for(
        stage, planned_start, planned_completion, started_on, progress, today, rules
    )
    if colour is Colour.DONE or planned_start is None:
        return Schedule(colour)
    late_start = _late_start(stage, planned_start, started_on, today, rules)
    if planned_completion is None:
        return Schedule(colour, not_started_late=late_start)
    share, span = _share(planned_start, planned_completion, today)
    return Schedule(colour, share, span, progress, late_start)


def _late_start(
    stage: str,
    start: datetime.date,
    started_on: datetime.date | None,
    today: datetime.date,
    rules: ScheduleRules,
) -> bool:
    not_started = stage == Stage.SIGNED or started_on is None
    return not_started and today >= not_started_red_from(start, rules)


def colour_for(
    stage: str,
    start: datetime.date | None,
    completion: datetime.date | None,
    started_on: datetime.date | None,
    progress: int,
    today: datetime.date,
    rules: ScheduleRules,
) -> Colour:
    """The colour alone, positional and in whole numbers: the list colours every project of its
    filter with it."""
    if stage in DONE_STAGES:
        return Colour.DONE
    if start is None:
        return Colour.NONE
    if _late_start(stage, start, started_on, today, rules):
        return Colour.RED
    if completion is None:
        return Colour.NONE
    share, span = _share(start, completion, today)
    behind_scaled = 100 * share - progress * span  # points behind × span
    if behind_scaled > rules.red_behind_points * span:
        return Colour.RED
    if behind_scaled > rules.yellow_behind_points * span:
        return Colour.YELLOW
    return Colour.GREEN


def project_schedule(project: Project, today: datetime.date, rules: ScheduleRules) -> Schedule:
    return schedule(
        stage=project.stage,
        planned_start=project.planned_start,
        planned_completion=project.planned_completion,
        started_on=project.started_on,
        progress=project.progress,
        today=today,
        rules=rules,
    )
