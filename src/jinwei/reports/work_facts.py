"""The figures of part 三、推进落实: tasks, key projects, investment promotion, enterprise service.

Work is counted from 1 January to the period's end ("今年以来"), each figure by the app that owns
its rule (scorecards, investment totals, schedule colours, the funnel, the request statistics).
Today's states (red tasks, project colours, the leads in the pipeline) appear only in a recent
briefing (`is_recent`). See `facts.py` for the reader passed to the selectors that take a viewer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.enterprises.request_stats import request_statistics
from jinwei.investment.funnel import (
    SIGNED_STAGES,
    FunnelFilters,
    funnel,
    signed_by_month,
    year_signed,
)
from jinwei.lib.periods import Frequency, Period
from jinwei.projects.investment_totals import active_projects, summary
from jinwei.projects.schedule_queries import colour_counts
from jinwei.projects.selectors import ProjectFilters, filtered_projects, rules_for
from jinwei.reports.sentences import Investment, Service, TaskTotals
from jinwei.tasks.models import Task
from jinwei.tasks.scorecards import scorecard_units, unit_figures
from jinwei.tasks.selectors import red_list, rules_by_government

Progress = Callable[[int, Any], None]  # (percent, lazily translated note)


def year_to_date(period: Period) -> Period:
    return Period.of(Frequency.ANNUAL, period.year)


def months_through(period: Period) -> int:
    return period.index * 12 // period.per_year


def is_recent(period: Period, today: datetime.date) -> bool:
    """Today's states (red tasks, project colours, open leads) belong in a briefing only while
    it is recent: until the end of the period after its own (the monthly run early in October
    for September), not in a briefing on a year long past."""
    return today <= period.shift(1).end


# --- tasks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    name: str
    owned: int
    closed: int
    on_time: int
    judged: int
    overdue: int


@dataclass
class TaskFacts:
    totals: TaskTotals
    units: list[UnitRow]
    red: list[tuple[str, int]] | None  # (unit, red tasks) as of today; None: not recent
    illustrative: bool = False


def task_facts(
    *, reader: Any, government: Region, period: Period, today: datetime.date
) -> TaskFacts:
    """The year's scorecards of every unit as of the period's end (one query for the figures),
    and today's red list in a recent briefing."""
    units = scorecard_units(government.pk, OrgUnit.Kind.values)
    day = min(period.end, today)
    figures = unit_figures(units, year_to_date(period), day)
    rows = [
        UnitRow(f.unit.name, f.owned, f.closed, f.on_time, f.judged, f.overdue)
        for f in (figures[u.pk] for u in units)
        if f.owned
    ]
    totals = TaskTotals(
        owned=sum(r.owned for r in rows),
        closed=sum(r.closed for r in rows),
        on_time=sum(r.on_time for r in rows),
        judged=sum(r.judged for r in rows),
        overdue=sum(r.overdue for r in rows),
    )
    red = None
    if is_recent(period, today):
        rules = rules_by_government([government.pk])[government.pk]
        groups = red_list(viewer=reader, government_id=government.pk, today=today, rules=rules)
        red = [(group.unit.name, group.total) for group in groups]
    illustrative = Task.objects.filter(government=government, is_illustrative=True).exists()
    return TaskFacts(
        totals=totals,
        units=rows,
        red=red,
        illustrative=illustrative,
    )


# --- key projects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """A park's (or a lead unit's) projects: the year's plan and what was completed."""

    name: str
    planned: Decimal  # 万元
    completed: Decimal


@dataclass
class ProjectFacts:
    year: int
    investment: Investment
    by: str  # "park", or "unit" when no project of the year is in a park
    groups: list[GroupRow]
    colours: dict[str, int] | None  # today's schedule colours; None: not recent
    illustrative: bool = False


def project_facts(
    *, reader: Any, government: Region, period: Period, today: datetime.date
) -> ProjectFacts:
    """The year's plan and completed investment through the period (two grouped queries), the
    projects active in the year and, in a recent briefing, their schedule colours today."""
    projects = filtered_projects(viewer=reader, filters=ProjectFilters(government=government))
    year = period.year
    months = months_through(period)
    totals = summary(projects, year)
    active = active_projects(projects, year)
    time_progress = None if months == 12 else Decimal(100) * months / 12
    in_parks = any(t.key is not None for t in totals.by_park)
    return ProjectFacts(
        year=year,
        investment=Investment(
            projects=active.count(),
            planned=totals.total.planned,
            completed=totals.total.completed_through(months),
            time_progress=time_progress,
        ),
        by="park" if in_parks else "unit",
        groups=[
            GroupRow(t.name or "未入园项目", t.planned, t.completed_through(months))
            for t in (totals.by_park if in_parks else totals.by_unit)
        ],
        colours=(
            colour_counts(active, today, rules_for(government.pk))
            if is_recent(period, today)
            else None
        ),
        illustrative=projects.filter(is_illustrative=True).exists(),
    )


# --- investment promotion and enterprise service ---------------------------------------------


@dataclass
class PipelineFacts:
    stages: list[tuple[str, int]]  # stages before signing: (label, leads there now)
    intended: Decimal  # 万元, of those leads
    signed_count: int | None  # None for part of a year: only the amount is kept by month
    signed_amount: Decimal


def pipeline_facts(*, government: Region, period: Period, today: datetime.date) -> PipelineFacts:
    """The investment signed in the year to the period, and (recent briefings) the open leads."""
    stages: list[tuple[str, int]] = []
    intended = Decimal(0)
    if is_recent(period, today):
        found = funnel(
            government_id=government.pk, filters=FunnelFilters(), year=period.year, today=today
        )
        open_rows = [row for row in found.stages if row.stage not in SIGNED_STAGES]
        stages = [(row.label, row.active) for row in open_rows]
        intended = sum((row.intended for row in open_rows), Decimal(0))
    count: int | None
    if period.frequency is Frequency.ANNUAL:
        count, amount = year_signed(government.pk, period.year)
    else:
        by_month = signed_by_month(government.pk, period.year)
        count = None
        amount = sum((v for m, v in by_month.items() if m <= months_through(period)), Decimal(0))
    return PipelineFacts(stages=stages, intended=intended, signed_count=count, signed_amount=amount)


def service_facts(
    *, reader: Any, government: Region, period: Period, today: datetime.date
) -> Service:
    """Enterprise requests received from 1 January to the period's end: three queries."""
    stats = request_statistics(
        viewer=reader,
        government=government,
        start=datetime.date(period.year, 1, 1),
        end=period.end,
        today=today,
    )
    total = stats.total
    return Service(
        received=total.count,
        responded=total.responded,
        response_on_time=total.response_on_time,
        resolved=total.resolved,
        resolution_on_time=total.resolution_on_time,
        satisfaction=total.satisfaction_mean,
    )


# --- everything --------------------------------------------------------------------------------


@dataclass
class Work:
    tasks: TaskFacts
    projects: ProjectFacts
    pipeline: PipelineFacts
    service: Service

    @property
    def illustrative(self) -> bool:
        return self.tasks.illustrative or self.projects.illustrative


def work_facts(
    *, reader: Any, government: Region, period: Period, today: datetime.date, progress: Progress
) -> Work:
    """Tasks, projects, investment and enterprise service: a fixed number of queries."""
    progress(50, _("Tasks"))
    tasks = task_facts(reader=reader, government=government, period=period, today=today)
    progress(65, _("Key projects"))
    projects = project_facts(reader=reader, government=government, period=period, today=today)
    progress(80, _("Investment promotion and enterprise service"))
    return Work(
        tasks=tasks,
        projects=projects,
        pipeline=pipeline_facts(government=government, period=period, today=today),
        service=service_facts(reader=reader, government=government, period=period, today=today),
    )
