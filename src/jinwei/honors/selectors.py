"""Reads of honours and practices, scoped to a government (the briefing and the pages use them)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Region
from jinwei.honors.models import Honour, Level, Practice

LEVEL_ORDER = Case(
    When(level=Level.NATIONAL, then=Value(0)),
    When(level=Level.PROVINCIAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def honours_in(
    *, government: Region, year: int, until: datetime.date | None = None
) -> QuerySet[Honour]:
    """The honours of `year` (up to `until`, for a briefing part-way through the year), the
    highest level first. An honour without a date counts from the start of its year."""
    honours = Honour.objects.filter(government=government, year=year)
    if until is not None:
        honours = honours.filter(Q(awarded_on__isnull=True) | Q(awarded_on__lte=until))
    return honours.select_related("unit").order_by(LEVEL_ORDER, "awarded_on", "title")


def practices_in(
    *, government: Region, year: int, until: datetime.date | None = None
) -> QuerySet[Practice]:
    """The practices recognised in `year` (up to `until`), the highest level first."""
    last = until or datetime.date(year, 12, 31)
    practices = Practice.objects.filter(
        government=government, recognised_on__year=year, recognised_on__lte=last
    )
    return practices.select_related("unit").order_by(LEVEL_ORDER, "recognised_on", "title")


# --- the pages, the exports and the API ---------------------------------------------------------

LEVELS = tuple(Level)  # national, provincial, municipal: the columns of the counts


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to (practices have no category)."""

    year: int | None = None
    level: str = ""
    category: str = ""


def honour_queryset(*, viewer: Any) -> QuerySet[Honour]:
    honours = Honour.objects.select_related("government", "unit")
    return scope_to_governments(honours, viewer, "government_id")


def practice_queryset(*, viewer: Any) -> QuerySet[Practice]:
    practices = Practice.objects.select_related("government", "unit")
    return scope_to_governments(practices, viewer, "government_id")


def filtered_honours(honours: QuerySet[Honour], filters: Filters) -> QuerySet[Honour]:
    exact = {"year": filters.year, "level": filters.level, "category": filters.category}
    return honours.filter(**{k: v for k, v in exact.items() if v})


def filtered_practices(practices: QuerySet[Practice], filters: Filters) -> QuerySet[Practice]:
    exact = {"recognised_on__year": filters.year, "level": filters.level}
    return practices.filter(**{k: v for k, v in exact.items() if v})


def honour_list(
    *, viewer: Any, government: Region, filters: Filters | None = None
) -> QuerySet[Honour]:
    """The government's honours as the roll of honour reads: newest year first, then national,
    provincial, municipal, then by date and title (one query, however many there are)."""
    honours = honour_queryset(viewer=viewer).filter(government=government)
    honours = filtered_honours(honours, filters or Filters())
    return honours.order_by("-year", LEVEL_ORDER, F("awarded_on").asc(nulls_last=True), "title")


def practice_list(
    *, viewer: Any, government: Region, filters: Filters | None = None
) -> QuerySet[Practice]:
    """The government's practices, the latest recognised first (one query)."""
    practices = practice_queryset(viewer=viewer).filter(government=government)
    practices = filtered_practices(practices, filters or Filters())
    return practices.order_by("-recognised_on", LEVEL_ORDER, "title", "id")


def honour_years(*, government: Region) -> list[int]:
    """The years the government has honours in, newest first (the year filter's choices)."""
    honours = Honour.objects.filter(government=government).order_by("-year")
    return list(honours.values_list("year", flat=True).distinct())


def practice_years(*, government: Region) -> list[int]:
    dates = Practice.objects.filter(government=government).dates("recognised_on", "year")
    return sorted({day.year for day in dates}, reverse=True)


# --- counts by level and year --------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    year: int
    counts: list[int]  # one per level, in LEVELS order
    total: int


@dataclass(frozen=True)
class Counts:
    """A table of counts: a row per year (newest first), a column per level, and the totals."""

    rows: list[CountRow]
    totals: list[int]
    total: int


def counts_table(pairs: Iterable[tuple[int, str, int]]) -> Counts:
    """The table of (year, level, count) triples."""
    by_year: dict[int, list[int]] = {}
    for year, level, count in pairs:
        by_year.setdefault(year, [0] * len(LEVELS))[LEVELS.index(Level(level))] += count
    rows = [CountRow(y, c, sum(c)) for y, c in sorted(by_year.items(), reverse=True)]
    totals = [sum(row.counts[i] for row in rows) for i in range(len(LEVELS))]
    return Counts(rows=rows, totals=totals, total=sum(totals))


def honour_counts(honours: QuerySet[Honour]) -> Counts:
    """Counts of `honours` by year and level, in one grouped query."""
    pairs = honours.order_by().values_list("year", "level").annotate(n=Count("id"))
    return counts_table(pairs)


def practice_counts(practices: QuerySet[Practice]) -> Counts:
    """Counts of `practices` by the year they were recognised and level, in one grouped query."""
    pairs = (
        practices.order_by()
        .annotate(recognised_year=ExtractYear("recognised_on"))
        .values_list("recognised_year", "level")
        .annotate(n=Count("id"))
    )
    return counts_table(pairs)


# --- the roll of honour --------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelGroup:
    level: Level
    honours: list[Honour]


@dataclass(frozen=True)
class YearGroup:
    year: int
    levels: list[LevelGroup]

    @property
    def count(self) -> int:
        return sum(len(group.honours) for group in self.levels)


def roll_of_honour(honours: Iterable[Honour]) -> list[YearGroup]:
    """Honours already in roll order (`honour_list`) grouped by year, then by level."""
    years: list[YearGroup] = []
    for honour in honours:
        if not years or years[-1].year != honour.year:
            years.append(YearGroup(year=honour.year, levels=[]))
        levels = years[-1].levels
        if not levels or levels[-1].level != honour.level:
            levels.append(LevelGroup(level=Level(honour.level), honours=[]))
        levels[-1].honours.append(honour)
    return years
