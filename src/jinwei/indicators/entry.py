"""Reads for data entry: the units a user enters for, the grid of one unit and period, the
approval queue and the explanations a unit still owes.

Every function takes the viewer and returns only what that viewer may act on; the pages and the
home page call these and nothing else, so the rights are decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from jinwei.accounts.access import can_change, grants_for
from jinwei.accounts.models import OrgUnit, Region, Role
from jinwei.indicators import progress as progress_rules
from jinwei.indicators.models import Indicator, Observation, Target
from jinwei.indicators.services import last_year_end, may_approve, progress_against
from jinwei.lib.periods import Frequency, Period

# How many recent periods the entry page offers, per frequency.
RECENT_PERIODS = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 5}
ENTERING_ROLES = frozenset(Role.values) - {Role.LEADER, Role.VIEWER}


@dataclass(frozen=True)
class Place:
    """Where a unit's figures are recorded: a region, or the unit itself."""

    region: Region | None = None
    unit: OrgUnit | None = None

    @property
    def lookup(self) -> dict[str, Any]:
        return {"region": self.region} if self.region is not None else {"unit": self.unit}

    def __str__(self) -> str:
        return str(self.region or self.unit)


def entry_place(unit: OrgUnit) -> Place:
    """A department reports the government's (county's) figure for the indicators it owns; a town
    reports its own figure, under its region when it has one in the region list."""
    if unit.kind == OrgUnit.Kind.TOWN:
        return Place(region=unit.region) if unit.region_id else Place(unit=unit)
    return Place(region=unit.government)


def approver_government_ids(viewer: Any) -> set[int]:
    grants = grants_for(viewer)
    if grants.is_superuser:
        return set(Region.objects.filter(units__isnull=False).values_list("pk", flat=True))
    return {g for g in grants.government_ids if may_approve(viewer, g)}


def staff_unit_ids(viewer: Any) -> set[int]:
    """Units where the viewer holds a role that enters data (not leader or viewer)."""
    grants = grants_for(viewer)
    return {u for u, roles in grants.roles_by_unit.items() if roles & ENTERING_ROLES}


def may_enter_for_unit(viewer: Any, unit: OrgUnit) -> bool:
    """Staff of the unit, and the statisticians, supervisors and admins of its government."""
    return may_approve(viewer, unit.government_id) or can_change(viewer, unit)


def entry_units(*, viewer: Any) -> QuerySet[OrgUnit]:
    """The units whose grid the viewer may fill in: their own, and for approvers every unit of
    their governments that owns an indicator."""
    mine = Q(pk__in=staff_unit_ids(viewer))
    owning = Q(government_id__in=approver_government_ids(viewer), indicators__isnull=False)
    ids = OrgUnit.objects.filter(mine | owning, is_active=True).values("pk")
    return (
        OrgUnit.objects.filter(pk__in=ids)
        .select_related("government")
        .order_by("government__code", "kind", "order", "name")
    )


def unit_frequencies(units: list[OrgUnit]) -> dict[int, list[Frequency]]:
    """The frequencies of the indicators each unit owns, annual first."""
    rows = (
        Indicator.objects.filter(owner_unit__in=units)
        .values_list("owner_unit_id", "frequency")
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for unit_id, frequency in rows:
        found.setdefault(unit_id, set()).add(frequency)
    order = [Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY]
    return {u: [f for f in order if f.value in freqs] for u, freqs in found.items()}


def latest_period(frequency: Frequency, today: date) -> Period:
    """The last period that has ended by `today`: figures are reported after their period."""
    per_year = Period.of(frequency, today.year).per_year
    return Period.of(frequency, today.year, 1 + (today.month - 1) * per_year // 12).previous()


def recent_periods(frequency: Frequency, today: date) -> list[Period]:
    latest = latest_period(frequency, today)
    return [latest.shift(-i) for i in range(RECENT_PERIODS[frequency])]


@dataclass
class GridRow:
    indicator: Indicator
    observation: Observation | None
    year_ago: Decimal | None
    target: Target | None
    progress: progress_rules.Progress | None

    @property
    def is_locked(self) -> bool:
        return self.observation is not None and self.observation.is_locked

    @property
    def shortfall(self) -> Decimal | None:
        """How far behind the expected value, in the indicator's unit; None when not behind or
        when progress was measured on a growth rate (then the gap is in points, not units)."""
        if self.progress is None or not self.progress.shortfall or self.target is None:
            return None
        obs = self.observation
        if (
            self.target.kind == Target.Kind.GROWTH
            and obs is not None
            and obs.growth_rate is not None
        ):
            return None
        return self.progress.shortfall


def grid_indicators(*, unit: OrgUnit, period: Period) -> QuerySet[Indicator]:
    """The indicators the unit owns whose frequency is the period's."""
    return Indicator.objects.filter(owner_unit=unit, frequency=period.frequency.value).order_by(
        "category__order", "order", "code"
    )


def grid_rows(*, unit: OrgUnit, period: Period) -> list[GridRow]:
    """One row per indicator of the grid, with the context a person needs to check a figure:
    last year's value for the same period and progress against this year's target."""
    place = entry_place(unit)
    indicators = list(grid_indicators(unit=unit, period=period))
    year_ago, base = period.year_ago(), last_year_end(period)
    observations = Observation.objects.filter(
        indicator__in=indicators, period__in={str(period), str(year_ago), str(base)}, **place.lookup
    )
    current: dict[int, Observation] = {}
    values: dict[tuple[int, str], Decimal] = {}
    for obs in observations:
        values[obs.indicator_id, obs.period] = obs.value
        if obs.period == str(period):
            current[obs.indicator_id] = obs
    targets = {
        t.indicator_id: t
        for t in Target.objects.filter(indicator__in=indicators, year=period.year, **place.lookup)
    }
    return [
        _grid_row(indicator, current.get(indicator.pk), targets.get(indicator.pk), values, period)
        for indicator in indicators
    ]


def _grid_row(
    indicator: Indicator,
    obs: Observation | None,
    target: Target | None,
    values: dict[tuple[int, str], Decimal],
    period: Period,
) -> GridRow:
    progress = None
    if obs is not None:
        obs.indicator = indicator  # spare a query per row in templates and services
        if target is not None:
            progress = progress_against(
                indicator=indicator,
                target=target,
                last_year_total=values.get((indicator.pk, str(last_year_end(period)))),
                period=period,
                value=obs.value,
                growth=obs.growth_rate,
            )
    year_ago = values.get((indicator.pk, str(period.year_ago())))
    return GridRow(indicator, obs, year_ago, target, progress)


def approval_queue(
    *,
    viewer: Any,
    status: str = Observation.Status.SUBMITTED,
    indicator_id: int | None = None,
    unit_id: int | None = None,
    period: str = "",
) -> QuerySet[Observation]:
    """Values waiting for (or holding) the viewer's approval, in the governments they approve for.
    `unit_id` matches the unit that reports the value: the observation's unit or the indicator's
    owner."""
    rows = Observation.objects.filter(
        indicator__government_id__in=approver_government_ids(viewer), status=status
    )
    if indicator_id is not None:
        rows = rows.filter(indicator_id=indicator_id)
    if unit_id is not None:
        rows = rows.filter(
            Q(unit_id=unit_id) | Q(unit__isnull=True, indicator__owner_unit_id=unit_id)
        )
    if period:
        rows = rows.filter(period=period)
    return rows.select_related(
        "indicator", "indicator__owner_unit", "region", "unit", "approved_by"
    ).order_by("-submitted_at", "indicator__code", "period", "pk")


def approval_indicators(*, viewer: Any) -> QuerySet[Indicator]:
    return Indicator.objects.filter(government_id__in=approver_government_ids(viewer)).order_by(
        "government_id", "code"
    )


def approval_units(*, viewer: Any) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(
            government_id__in=approver_government_ids(viewer), indicators__isnull=False
        )
        .distinct()
        .order_by("government_id", "kind", "order", "name")
    )


def awaiting_approval_count(*, viewer: Any) -> int:
    ids = approver_government_ids(viewer)
    if not ids:
        return 0
    return Observation.objects.filter(
        indicator__government_id__in=ids, status=Observation.Status.SUBMITTED
    ).count()


def explanations_due(*, viewer: Any) -> QuerySet[Observation]:
    """Values behind target that a unit of the viewer still has to explain (left by an import).
    A unit owes the explanation for its own figures and for the figures of indicators it owns."""
    units = staff_unit_ids(viewer)
    return (
        Observation.objects.filter(explanation_due=True)
        .filter(Q(unit_id__in=units) | Q(unit__isnull=True, indicator__owner_unit_id__in=units))
        .select_related("indicator", "indicator__owner_unit", "region", "unit")
        .order_by("indicator__owner_unit__name", "indicator__code", "-period")
    )


@dataclass
class Concerns:
    """What the home page tells a user about data entry: at most `limit` items and two counts."""

    explanations_due: list[Observation]
    explanations_due_count: int
    awaiting_approval: int | None  # None when the user does not approve

    @property
    def is_empty(self) -> bool:
        return not self.explanations_due_count and not self.awaiting_approval


def home_concerns(*, viewer: Any, limit: int = 5) -> Concerns:
    due = explanations_due(viewer=viewer)
    shown = list(due[:limit])
    count = len(shown) if len(shown) < limit else due.count()
    approves = bool(approver_government_ids(viewer))
    return Concerns(
        explanations_due=shown,
        explanations_due_count=count,
        awaiting_approval=awaiting_approval_count(viewer=viewer) if approves else None,
    )
