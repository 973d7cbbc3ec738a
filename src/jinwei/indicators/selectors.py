"""Reads for the indicator pages, scoped to who is asking.

Each page loads its rows in a fixed number of queries (indicators, observations, targets) and does
the rest in Python: year-on-year changes, target progress and milestones are computed from the
rows on every read, so they follow the data without being stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jinwei.accounts.access import scope_to_governments, visible_government_ids
from jinwei.accounts.models import OrgUnit, Region
from jinwei.indicators import milestones as milestone_rules
from jinwei.indicators import progress as progress_rules
from jinwei.indicators.models import Category, Indicator, Observation, Target
from jinwei.lib.periods import Frequency, Period, PeriodError, parse_period

HUNDRED = Decimal(100)
_POINT_FIELDS = (
    "id",
    "indicator_id",
    "period",
    "value",
    "growth_rate",
    "source",
    "status",
    "is_illustrative",
)


# --- the catalogue -------------------------------------------------------------------------


def indicator_queryset(*, viewer: Any) -> QuerySet[Indicator]:
    """Indicators of the governments the viewer works for, with what every page shows."""
    rows = Indicator.objects.select_related("category", "owner_unit", "government")
    return scope_to_governments(rows, viewer, "government_id")


def indicator_list(
    *,
    viewer: Any,
    category: Category | None = None,
    owner_unit: OrgUnit | None = None,
    frequency: str = "",
) -> QuerySet[Indicator]:
    rows = indicator_queryset(viewer=viewer)
    if category is not None:
        rows = rows.filter(category=category)
    if owner_unit is not None:
        rows = rows.filter(owner_unit=owner_unit)
    if frequency:
        rows = rows.filter(frequency=frequency)
    return rows.order_by("category__order", "category__code", "order", "code")


def owner_units(*, viewer: Any) -> QuerySet[OrgUnit]:
    """Units that own at least one indicator the viewer sees (the catalogue's filter)."""
    owned = indicator_queryset(viewer=viewer).values("owner_unit_id")
    return OrgUnit.objects.filter(pk__in=owned).order_by("government__code", "order", "name")


def managed_units(*, government_ids: Iterable[int]) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(government_id__in=list(government_ids), is_active=True).order_by(
        "government__code", "kind", "order", "name"
    )


# --- one series ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One observation as the pages show it, with its computed year-on-year change."""

    observation_id: int
    indicator_id: int
    period: Period
    value: Decimal
    growth_rate: Decimal | None  # as reported, never recomputed
    yoy: Decimal | None  # computed: value against the same period a year before, in percent
    source: str
    status: str
    is_illustrative: bool

    @property
    def status_label(self) -> str:
        return str(Observation.Status(self.status).label)


def computes_yoy(indicator: Indicator) -> bool:
    """A ratio of two rates (a growth rate, a share in %) is no year-on-year change."""
    return indicator.unit.strip() not in {"%", "％", "‰"}


def points_from(rows: Iterable[Mapping[str, Any]], *, yoy: bool = True) -> list[Point]:
    """Rows of one series (dicts of _POINT_FIELDS), oldest first, with YoY from the same rows."""
    parsed: list[tuple[Period, Mapping[str, Any]]] = []
    for row in rows:
        try:
            parsed.append((parse_period(row["period"]), row))
        except PeriodError:
            continue  # the validation keeps these out; an odd legacy row is not a page error
    parsed.sort(key=lambda item: item[0])
    values = {period: row["value"] for period, row in parsed}
    points = []
    for period, row in parsed:
        before = values.get(period.year_ago()) if yoy else None
        change = (row["value"] / before - 1) * HUNDRED if before else None
        points.append(
            Point(
                observation_id=row["id"],
                indicator_id=row["indicator_id"],
                period=period,
                value=row["value"],
                growth_rate=row["growth_rate"],
                yoy=change,
                source=row["source"],
                status=row["status"],
                is_illustrative=row["is_illustrative"],
            )
        )
    return points


@dataclass(frozen=True)
class Place:
    """Where a series is measured: a region, or an org unit (its own figures)."""

    kind: str  # "region" or "unit"
    pk: int
    key: str  # the region's code, or the unit's id: what the page's selector sends
    name: str

    @property
    def where(self) -> dict[str, int]:
        return {"region_id": self.pk} if self.kind == "region" else {"unit_id": self.pk}

    @property
    def query(self) -> str:
        return f"{self.kind}={self.key}"


def region_place(region: Region) -> Place:
    return Place("region", region.pk, region.code, region.name)


def places_of(indicator: Indicator) -> list[Place]:
    """Every region and unit with values of this indicator, the indicator's government first."""
    rows = (
        Observation.objects.filter(indicator=indicator)
        .values_list("region_id", "region__code", "region__name", "unit_id", "unit__name")
        .distinct()
    )
    found = {
        Place("region", r_id, code, name) if r_id else Place("unit", u_id, str(u_id), u_name)
        for r_id, code, name, u_id, u_name in rows
    }
    own = indicator.government
    found.add(region_place(own))
    return sorted(found, key=lambda p: (p.pk != own.pk or p.kind != "region", p.kind, p.key))


def choose_place(indicator: Indicator, query: Mapping[str, str], places: list[Place]) -> Place:
    """The place asked for in the query string, else the first with data (the government)."""
    for place in places:
        if query.get(place.kind) == place.key:
            return place
    return places[0]


def series(*, indicator: Indicator, place: Place) -> list[Point]:
    rows = Observation.objects.filter(indicator=indicator, **place.where).values(*_POINT_FIELDS)
    return points_from(rows, yoy=computes_yoy(indicator))


def targets_of(*, indicator: Indicator, place: Place) -> list[Target]:
    return list(Target.objects.filter(indicator=indicator, **place.where).order_by("-year"))


def all_targets(*, indicator: Indicator) -> QuerySet[Target]:
    return indicator.targets.select_related("region", "unit").order_by(
        "-year", "region__code", "unit__name"
    )


# --- targets and time progress -------------------------------------------------------------


@dataclass(frozen=True)
class TargetStatus:
    """Where a series stands against one year's target, at the year's latest period."""

    target: Target
    period: Period
    value: Decimal  # the value measured (the reported growth rate when `by_growth`)
    progress: progress_rules.Progress
    by_growth: bool  # a growth-rate target held against the reported growth rate
    unit: str  # of `value`, `expected` and `shortfall`
    half_year: progress_rules.Progress | None = None  # 时间过半、任务过半, cumulative only

    @property
    def colour(self) -> str:
        return self.progress.colour.value

    @property
    def is_behind(self) -> bool:
        return self.progress.points_behind > 0


def _year_end_before(period: Period) -> Period:
    return period.periods_of_year()[-1].year_ago()


def progress_at(
    indicator: Indicator, target: Target, point: Point, by_period: Mapping[Period, Point]
) -> tuple[progress_rules.Progress | None, bool]:
    """The same rule as `services.target_progress`, on rows already loaded."""
    if target.kind == Target.Kind.GROWTH and point.growth_rate is not None:
        result = progress_rules.progress(
            value=point.growth_rate, period=point.period, level=target.value, cumulative=False
        )
        return result, True
    last_year = by_period.get(_year_end_before(point.period))
    level = progress_rules.target_level(
        kind=target.kind,
        target=target.value,
        last_year_total=last_year.value if last_year else None,
    )
    if level is None:
        return None, False
    result = progress_rules.progress(
        value=point.value,
        period=point.period,
        level=level,
        cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
    )
    return result, False


def target_status(indicator: Indicator, target: Target, points: list[Point]) -> TargetStatus | None:
    by_period = {p.period: p for p in points}
    in_year = [p for p in points if p.period.year == target.year]
    if not in_year:
        return None
    latest = in_year[-1]
    result, by_growth = progress_at(indicator, target, latest, by_period)
    if result is None:
        return None
    return TargetStatus(
        target=target,
        period=latest.period,
        value=latest.growth_rate if by_growth and latest.growth_rate is not None else latest.value,
        progress=result,
        by_growth=by_growth,
        unit="%" if by_growth else indicator.unit,
        half_year=_half_year(indicator, target, by_period),
    )


def _half_year(
    indicator: Indicator, target: Target, by_period: Mapping[Period, Point]
) -> progress_rules.Progress | None:
    """Progress at the half-year period (June, or the second quarter) of a cumulative series."""
    if not indicator.is_cumulative or indicator.frequency == Indicator.Frequency.ANNUAL:
        return None
    any_period = next(iter(by_period), None)
    if any_period is None:
        return None
    half = Period.of(any_period.frequency, target.year, any_period.per_year // 2)
    point = by_period.get(half)
    if point is None:
        return None
    return progress_at(indicator, target, point, by_period)[0]


def target_statuses(
    indicator: Indicator, targets: Iterable[Target], points: list[Point]
) -> list[TargetStatus]:
    """One status per target year with data, newest first."""
    found = [target_status(indicator, t, points) for t in targets]
    return sorted((s for s in found if s), key=lambda s: s.target.year, reverse=True)


def target_line(
    indicator: Indicator, targets: Iterable[Target], points: list[Point]
) -> list[tuple[Period, Decimal]]:
    """Where each period should be to meet its year's target (the chart's target line):
    the elapsed share of the level for cumulative values, the level itself for point values."""
    by_period = {p.period: p for p in points}
    frequency = Frequency(indicator.frequency)
    line: list[tuple[Period, Decimal]] = []
    for target in targets:
        periods = Period.of(frequency, target.year).periods_of_year()
        last_year = by_period.get(_year_end_before(periods[-1]))
        level = progress_rules.target_level(
            kind=target.kind,
            target=target.value,
            last_year_total=last_year.value if last_year else None,
        )
        if level is None:
            continue
        for period in periods:
            share = Decimal(period.index) / Decimal(period.per_year)
            line.append((period, level * share if indicator.is_cumulative else level))
    return sorted(line)


# --- milestones ----------------------------------------------------------------------------


def period_label(period: Period) -> str:
    return period.label_zh() if (get_language() or "").startswith("zh") else str(period)


def plain_number(value: Decimal) -> str:
    """200.000000 -> "200" (never "2E+2")."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class MilestoneEntry:
    indicator: Indicator
    milestone: milestone_rules.Milestone[Period]
    place_name: str
    is_illustrative: bool

    @property
    def period(self) -> Period:
        return self.milestone.period

    @property
    def value(self) -> Decimal:
        return self.milestone.value

    @property
    def short(self) -> str:
        """首次突破200亿元 / 零的突破: the marker on the chart."""
        m, unit = self.milestone, self.indicator.unit
        if m.kind == milestone_rules.Kind.FIRST_NONZERO or m.threshold is None:
            return _("First non-zero value")
        number = plain_number(m.threshold)
        if self.indicator.higher_is_better:
            return _("First reached %(threshold)s %(unit)s") % {"threshold": number, "unit": unit}
        return _("First at or below %(threshold)s %(unit)s") % {"threshold": number, "unit": unit}

    @property
    def sentence(self) -> str:
        """2021年地区生产总值首次突破200亿元: the line on the timeline."""
        return _("%(period)s %(indicator)s: %(milestone)s") % {
            "period": period_label(self.period),
            "indicator": self.indicator.name,
            "milestone": self.short,
        }


def _always(period: Period) -> bool:
    return True


def _is_year_end(period: Period) -> bool:
    return period.index == period.per_year


def milestones_of(
    indicator: Indicator, points: list[Point], place_name: str
) -> list[MilestoneEntry]:
    """The milestones of one series, oldest first."""
    pairs = [(p.period, p.value) for p in points]
    evidence = _always
    if indicator.is_cumulative and indicator.frequency != Indicator.Frequency.ANNUAL:
        evidence = _is_year_end  # a January total is no proof that last year fell short
        if not indicator.higher_is_better:  # a total that only grows within the year
            pairs = [(period, value) for period, value in pairs if _is_year_end(period)]
    found = milestone_rules.detect(
        pairs,
        indicator.threshold_values(),
        higher_is_better=indicator.higher_is_better,
        evidence=evidence,
    )
    illustrative = {p.period for p in points if p.is_illustrative}
    return [MilestoneEntry(indicator, m, place_name, m.period in illustrative) for m in found]


# --- a region's situation (形势) ------------------------------------------------------------


def region_indicators(*, viewer: Any, region: Region) -> QuerySet[Indicator]:
    """A government reads its own indicators; any other region is read through the viewer's
    (a peer county's values of Enping's indicators)."""
    rows = indicator_queryset(viewer=viewer)
    ids = visible_government_ids(viewer)
    if ids is None or region.pk in ids:
        own = rows.filter(government=region)
        if ids is not None or own.exists():
            return own
    return rows


@dataclass
class IndicatorStanding:
    indicator: Indicator
    points: list[Point]
    status: TargetStatus | None = None
    milestones: list[MilestoneEntry] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class Situation:
    region: Region
    standings: list[IndicatorStanding]

    @property
    def headline(self) -> list[IndicatorStanding]:
        return [s for s in self.standings if s.indicator.is_headline]

    @property
    def behind(self) -> list[IndicatorStanding]:
        """What is behind time progress, furthest behind first."""
        rows = [(s, s.status) for s in self.standings if s.status and s.status.is_behind]
        rows.sort(key=lambda pair: pair[1].progress.points_behind, reverse=True)
        return [s for s, _status in rows]

    @property
    def milestones(self) -> list[MilestoneEntry]:
        """Every milestone of every indicator, newest first."""
        found = [m for s in self.standings for m in s.milestones]
        return sorted(found, key=lambda m: (m.period, m.indicator.order), reverse=True)

    @property
    def has_illustrative(self) -> bool:
        return any(p.is_illustrative for s in self.standings for p in s.points)


def situation(*, viewer: Any, region: Region) -> Situation:
    """Every indicator's series, status and milestones for one region: three queries."""
    indicators = list(region_indicators(viewer=viewer, region=region))
    ids = [i.pk for i in indicators]
    rows_by_indicator: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Observation.objects.filter(region=region, indicator_id__in=ids).values(*_POINT_FIELDS)
    for row in rows:
        rows_by_indicator[row["indicator_id"]].append(row)
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(region=region, indicator_id__in=ids):
        targets[target.indicator_id].append(target)
    standings = []
    for indicator in indicators:
        points = points_from(rows_by_indicator[indicator.pk], yoy=computes_yoy(indicator))
        standing = IndicatorStanding(indicator, points)
        latest = standing.latest
        if latest is not None:
            year_targets = [t for t in targets[indicator.pk] if t.year == latest.period.year]
            if year_targets:
                standing.status = target_status(indicator, year_targets[0], points)
        standing.milestones = milestones_of(indicator, points, region.name)
        standings.append(standing)
    return Situation(region, standings)


def situation_regions(*, viewer: Any, region: Region) -> list[tuple[str, str]]:
    """(code, name) of the regions with values of the same indicators: the page's switcher."""
    indicators = region_indicators(viewer=viewer, region=region)
    rows = (
        Observation.objects.filter(indicator__in=indicators, region__isnull=False)
        .values_list("region__code", "region__name")
        .distinct()
    )
    return sorted({(region.code, region.name), *rows})
