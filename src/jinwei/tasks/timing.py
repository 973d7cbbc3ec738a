"""Time status and the three colours of a task, computed from its dates, progress and the rules.

Elapsed time is the share of the days from start to deadline that have passed; a task is "behind"
by the points its progress trails elapsed time. Default rules (TaskRules): yellow when more than 10
points behind or the deadline is within 7 days; red when overdue or more than 30 points behind.

Being behind depends on today, but the day a task *becomes* behind does not: it is fixed by start,
deadline and progress. `behind_from` gives that day, so the database can store it and filter by
colour with plain date comparisons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jinwei.tasks.models import ACTIVE_STATES, Task, TaskRules


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = ""  # drafts, closed and cancelled tasks carry no colour

    @property
    def label(self) -> str:
        return str(COLOUR_LABELS[self])


COLOUR_LABELS = {
    Colour.GREEN: _("Green"),
    Colour.YELLOW: _("Yellow"),
    Colour.RED: _("Red"),
    Colour.NONE: _("No colour"),
}


class TimeStatus(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"
    NOT_STARTED = "not_started"  # a draft
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(TIME_STATUS_LABELS[self])


TIME_STATUS_LABELS = {
    TimeStatus.ON_TRACK: _("On track"),
    TimeStatus.DUE_SOON: _("Due soon"),
    TimeStatus.OVERDUE: _("Overdue"),
    TimeStatus.CLOSED_ON_TIME: _("Closed on time"),
    TimeStatus.CLOSED_LATE: _("Closed late"),
    TimeStatus.NOT_STARTED: _("Not yet assigned"),
    TimeStatus.CANCELLED: _("Cancelled"),
}


@dataclass(frozen=True)
class Rules:
    yellow_behind_points: int = 10
    red_behind_points: int = 30
    due_soon_days: int = 7

    @classmethod
    def of(cls, row: TaskRules | None) -> Rules:
        """The colour rules of a government's configured row; the defaults when it has none."""
        if row is None:
            return cls()
        return cls(
            yellow_behind_points=row.yellow_behind_points,
            red_behind_points=row.red_behind_points,
            due_soon_days=row.due_soon_days,
        )


DEFAULT_RULES = Rules()


def elapsed_percent(start: datetime.date, deadline: datetime.date, today: datetime.date) -> float:
    """Share of the planned time that has passed, 0–100."""
    span = (deadline - start).days
    if span <= 0:
        return 100.0 if today >= deadline else 0.0
    return min(100.0, max(0.0, (today - start).days * 100 / span))


def behind_from(
    start: datetime.date, deadline: datetime.date, progress: int, points: int
) -> datetime.date | None:
    """The first day on which elapsed time exceeds progress by more than `points`.

    Exact integer arithmetic: day d is behind when (d − start)·100 > (progress + points)·span.
    None when that can only happen after the deadline (being overdue then decides the colour).
    """
    span = (deadline - start).days
    threshold = (progress + points) * span
    if threshold >= 100 * span:
        return None
    return start + datetime.timedelta(days=threshold // 100 + 1)


def is_behind_on(
    start: datetime.date, deadline: datetime.date, progress: int, points: int, day: datetime.date
) -> bool:
    """The definition `behind_from` encodes, stated directly (used by tests and single tasks)."""
    span = (deadline - start).days
    return (day - start).days * 100 > (progress + points) * span


@dataclass(frozen=True)
class Timing:
    status: TimeStatus
    colour: Colour
    elapsed: float
    behind: float  # points by which progress trails elapsed time (negative: ahead)
    days_left: int  # negative when overdue


def task_timing(
    *,
    state: str,
    start: datetime.date,
    deadline: datetime.date,
    progress: int,
    closed_on: datetime.date | None,
    today: datetime.date,
    rules: Rules = DEFAULT_RULES,
) -> Timing:
    elapsed = elapsed_percent(start, deadline, today)
    days_left = (deadline - today).days
    behind = elapsed - progress
    if state == Task.State.DRAFT:
        return Timing(TimeStatus.NOT_STARTED, Colour.NONE, elapsed, behind, days_left)
    if state == Task.State.CANCELLED:
        return Timing(TimeStatus.CANCELLED, Colour.NONE, elapsed, behind, days_left)
    if state == Task.State.CLOSED:
        late = closed_on is not None and closed_on > deadline
        status = TimeStatus.CLOSED_LATE if late else TimeStatus.CLOSED_ON_TIME
        return Timing(status, Colour.NONE, elapsed, behind, days_left)
    if days_left < 0:
        return Timing(TimeStatus.OVERDUE, Colour.RED, elapsed, behind, days_left)
    status = TimeStatus.DUE_SOON if days_left <= rules.due_soon_days else TimeStatus.ON_TRACK
    if is_behind_on(start, deadline, progress, rules.red_behind_points, today):
        colour = Colour.RED
    elif status == TimeStatus.DUE_SOON or is_behind_on(
        start, deadline, progress, rules.yellow_behind_points, today
    ):
        colour = Colour.YELLOW
    else:
        colour = Colour.GREEN
    return Timing(status, colour, elapsed, behind, days_left)


def colour_q(colour: Colour, today: datetime.date, rules: Rules = DEFAULT_RULES) -> Q:
    """The tasks of one colour today, as a filter on stored dates (agrees with task_timing)."""
    active = Q(state__in=ACTIVE_STATES)
    red = Q(deadline__lt=today) | Q(red_from__lte=today)
    soon = Q(deadline__lte=today + datetime.timedelta(days=rules.due_soon_days))
    yellow = soon | Q(yellow_from__lte=today)
    if colour == Colour.RED:
        return active & red
    if colour == Colour.YELLOW:
        return active & ~red & yellow
    if colour == Colour.GREEN:
        return active & ~red & ~yellow
    return ~active


def status_q(status: TimeStatus, today: datetime.date, rules: Rules = DEFAULT_RULES) -> Q:
    """The tasks in one time status today, as a filter."""
    active = Q(state__in=ACTIVE_STATES)
    soon = today + datetime.timedelta(days=rules.due_soon_days)
    match status:
        case TimeStatus.OVERDUE:
            return active & Q(deadline__lt=today)
        case TimeStatus.DUE_SOON:
            return active & Q(deadline__gte=today, deadline__lte=soon)
        case TimeStatus.ON_TRACK:
            return active & Q(deadline__gt=soon)
        case TimeStatus.CLOSED_LATE:
            return Q(state=Task.State.CLOSED, closed_on__gt=F("deadline"))
        case TimeStatus.CLOSED_ON_TIME:
            return Q(state=Task.State.CLOSED, closed_on__lte=F("deadline"))
        case TimeStatus.NOT_STARTED:
            return Q(state=Task.State.DRAFT)
        case TimeStatus.CANCELLED:
            return Q(state=Task.State.CANCELLED)
