"""The schedule colours of `schedule.py` as database conditions, so a list of any size counts its
colours in one query and pages through one colour without loading every project.

Only today's date moves the colours, so today (and the last planned start that is three months
old) are computed here once and the conditions compare columns with constants; the one product
(progress × planned days) is integer arithmetic on day numbers. `tests/projects/test_schedule.py`
checks these conditions against `schedule.colour_for` project by project.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan

from jinwei.projects.models import Project
from jinwei.projects.schedule import (
    COLOURS,
    DONE_STAGES,
    Colour,
    ScheduleRules,
    add_months,
    not_started_red_from,
)

EPOCH = datetime.date(2000, 1, 1)
Stage = Project.Stage


class DayNumber(Func):
    """Days from 2000-01-01 to a date column, as an integer (SQLite and PostgreSQL)."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '2000-01-01')"  # PostgreSQL: date - date is days

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday('2000-01-01') is 2451544.5
        template = "CAST(julianday(%(expressions)s) - 2451544.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


def last_late_start(today: datetime.date, rules: ScheduleRules) -> datetime.date:
    """The latest planned start for which a project not yet started is red today."""
    day = add_months(today, -rules.not_started_red_months)
    # month ends: 30 Nov + 3 months is 28 Feb, so on 28 Feb starts up to 30 Nov are late
    while not_started_red_from(day + datetime.timedelta(days=1), rules) <= today:
        day += datetime.timedelta(days=1)
    while not_started_red_from(day, rules) > today:
        day -= datetime.timedelta(days=1)
    return day


def _behind_more_than(points: int, today: datetime.date) -> Q:
    """Physical progress trails time progress by more than `points` (dates present, started
    before today)."""
    past_completion = Q(planned_completion__lte=today, progress__lt=100 - points)
    t = (today - EPOCH).days
    start, completion = DayNumber("planned_start"), DayNumber("planned_completion")
    # 100 × (today − start) > (progress + points) × (completion − start)
    scaled = Value(100) * (Value(t) - start) - (F("progress") + Value(points)) * (
        completion - start
    )
    within = Q(planned_completion__gt=today) & Q(GreaterThan(scaled, 0))
    return Q(planned_start__lt=today) & (past_completion | within)


def colour_q(colour: Colour, today: datetime.date, rules: ScheduleRules) -> Q:
    """The projects of one colour today."""
    done = Q(stage__in=DONE_STAGES)
    if colour is Colour.DONE:
        return done
    active = ~done & Q(planned_start__isnull=False)
    late = (Q(stage=Stage.SIGNED) | Q(started_on__isnull=True)) & Q(
        planned_start__lte=last_late_start(today, rules)
    )
    dated = active & Q(planned_completion__isnull=False) & ~late
    red = _behind_more_than(rules.red_behind_points, today)
    yellow = _behind_more_than(rules.yellow_behind_points, today)
    conditions = {
        Colour.NONE: ~done
        & (Q(planned_start__isnull=True) | (Q(planned_completion__isnull=True) & ~late)),
        Colour.RED: active & (late | (Q(planned_completion__isnull=False) & red)),
        Colour.YELLOW: dated & yellow & ~red,
        Colour.GREEN: dated & ~yellow,
    }
    return conditions[colour]


def colour_counts(
    projects: QuerySet[Project], today: datetime.date, rules: ScheduleRules
) -> dict[str, int]:
    """How many projects of each colour, in one query."""
    counts = projects.order_by().aggregate(
        **{c.value: Count("pk", filter=colour_q(c, today, rules)) for c in COLOURS}
    )
    return {key: int(value or 0) for key, value in counts.items()}
