"""Reads of key projects, scoped to who is asking: the filtered list with its schedule colours, one
project's page, the choices of the filters.

The colour is computed, not stored: the database counts the colours of the filter in one query
(`schedule_queries.py` states the rules as conditions) and reads only the page shown, so a list
costs a fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet

from jinwei.accounts.models import OrgUnit, Region
from jinwei.accounts.selectors import KIND_RANK, governments_for
from jinwei.projects import access
from jinwei.projects.models import (
    InvestmentReport,
    Park,
    Project,
    ProjectRules,
    ProjectStageChange,
    ProjectTask,
)
from jinwei.projects.schedule import Colour, Schedule, ScheduleRules, project_schedule
from jinwei.projects.schedule_queries import colour_counts, colour_q

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
ROW_RELATIONS = ("park", "lead_unit", "leader", "town", "chain_link__chain")


def list_governments(viewer: object) -> list[Region]:
    return list(governments_for(viewer).order_by("code"))


def rules_for(government_id: int) -> ScheduleRules:
    return ScheduleRules.of(ProjectRules.objects.filter(government_id=government_id).first())


def park_choices(government_id: int) -> QuerySet[Park]:
    return Park.objects.filter(government_id=government_id).order_by("name")


def unit_choices(government_id: int) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.filter(government_id=government_id, is_active=True)
    return units.annotate(kind_rank=KIND_RANK).order_by("kind_rank", "order", "name")


@dataclass(frozen=True)
class ProjectFilters:
    government: Region
    stage: str = ""
    kind: str = ""
    park_id: int | None = None
    unit_id: int | None = None
    colour: str = ""
    text: str = ""  # part of the code, name or investor


def filtered_projects(*, viewer: object, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects the filters keep, before the colour (which is computed)."""
    projects = access.visible_projects(viewer).filter(government=filters.government)
    if filters.stage:
        projects = projects.filter(stage=filters.stage)
    if filters.kind:
        projects = projects.filter(kind=filters.kind)
    if filters.park_id:
        projects = projects.filter(park_id=filters.park_id)
    if filters.unit_id:
        projects = projects.filter(lead_unit_id=filters.unit_id)
    if filters.text:
        text = filters.text
        projects = projects.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(investor__icontains=text)
        )
    return projects


@dataclass(frozen=True)
class ListIndex:
    """The projects the list shows (ordered, the colour applied, not yet loaded), their number,
    and the colour counts of the filter before the colour."""

    projects: QuerySet[Project]
    total: int
    by_colour: dict[str, int]


def list_index(
    projects: QuerySet[Project], *, colour: str, today: datetime.date, rules: ScheduleRules
) -> ListIndex:
    """One query counts the colours; the list itself is read a page at a time."""
    counts = colour_counts(projects, today, rules)
    chosen = colour_of(colour) if colour else None
    if chosen is not None:
        projects = projects.filter(colour_q(chosen, today, rules))
        total = counts[chosen.value]
    else:
        total = sum(counts.values())
    ordered = projects.select_related(*ROW_RELATIONS).order_by("code", "pk")
    return ListIndex(projects=ordered, total=total, by_colour=counts)


class CountedPaginator(Paginator):
    """A paginator told its count (the colour counts already counted the rows)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    schedule: Schedule


def rows_for(
    projects: Iterable[Project], today: datetime.date, rules: ScheduleRules
) -> list[ProjectRow]:
    return [ProjectRow(p, project_schedule(p, today, rules)) for p in projects]


def all_rows(
    projects: QuerySet[Project], today: datetime.date, rules: ScheduleRules
) -> Iterator[ProjectRow]:
    """Every row of a long list (an export), read from the database a chunk at a time."""
    for project in projects.iterator(chunk_size=EXPORT_CHUNK):
        yield ProjectRow(project, project_schedule(project, today, rules))


def project_for_page(projects: QuerySet[Project]) -> QuerySet[Project]:
    """What one project's page shows, loaded in a fixed number of queries."""
    return projects.select_related(*ROW_RELATIONS, "government").prefetch_related(
        "milestones",
        "plans",
        Prefetch(
            "stage_changes",
            ProjectStageChange.objects.select_related("actor").order_by("on", "id"),
        ),
        Prefetch(
            "reports",
            InvestmentReport.objects.select_related("reported_by").order_by("-period"),
        ),
        Prefetch(
            "problem_tasks",
            ProjectTask.objects.select_related("task__lead_unit", "report").order_by("-task_id"),
        ),
    )


def report_years(project: Project) -> list[int]:
    """The years the project has plans or reports for (uses the prefetched rows), newest first."""
    years = {plan.year for plan in project.plans.all()}
    years |= {int(report.period[:4]) for report in project.reports.all()}
    return sorted(years, reverse=True)


def colour_of(value: str) -> Colour | None:
    try:
        return Colour(value)
    except ValueError:
        return None
