"""Funnel analytics of the leads pipeline, and the year's signed investment fed to its indicator.

- Counts and amounts by stage: where the leads are now (dropped ones apart), their intended
  investment, and the signed investment of the signed ones.
- Reached: the leads that got to a stage or beyond, from the highest stage each lead ever
  reached (`Lead.top_stage`: a lead that went back still counts where it had been).
- Conversion from stage k to k+1: the share of the leads that reached k that also reached k+1.
- Time in stage: days from entering a stage to leaving it (the next change, or the day the lead
  was dropped: `LeadStageChange.left_on`); a stay not yet over is reported apart, as days so far.
- 新招产业项目投资总额: the signed investment of the leads signed in the year.

Everything is aggregated in the database in a fixed number of queries, whatever the number of
leads; medians are read from per-day histograms (a row per distinct number of days, not per lead).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator, Observation
from jinwei.indicators.services import ObservationRejected, as_stored, may_enter
from jinwei.indicators.services import observation_save as save_observation
from jinwei.indicators.validation import unit_factor
from jinwei.investment.models import Lead, PipelineSettings
from jinwei.investment.stage_times import StageTime, run_sql, stage_times, stay_histograms
from jinwei.lib.periods import Frequency, Period
from jinwei.projects.access import may_manage
from jinwei.projects.models import ChainLink, IndustryChain

Stage = Lead.Stage
STAGES: tuple[str, ...] = tuple(Stage.values)
SIGNED_STAGES = STAGES[STAGES.index(Stage.SIGNED) :]
LEAD_AMOUNT_UNIT = "万元"
ZERO = Decimal(0)
NO_CHAIN = 0  # the group key of leads without a chain link


def rank_of(field_name: str) -> Case:
    """The stage in `field_name` as its position in the pipeline (clue 0 … landed 6)."""
    return Case(
        *[When(**{field_name: stage}, then=Value(i)) for i, stage in enumerate(STAGES)],
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class FunnelFilters:
    source: str = ""
    chain_id: int | None = None
    owner_unit_id: int | None = None


def scoped_leads(government_id: int, filters: FunnelFilters) -> QuerySet[Lead]:
    leads = Lead.objects.filter(government_id=government_id)
    if filters.source:
        leads = leads.filter(source=filters.source)
    if filters.chain_id:
        leads = leads.filter(chain_link__chain_id=filters.chain_id)
    if filters.owner_unit_id:
        leads = leads.filter(owner_unit_id=filters.owner_unit_id)
    return leads.order_by()


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- figures per stage and per group ------------------------------------------------------------


@dataclass
class Figures:
    """One group's leads (a source, a chain, or all of them) stage by stage."""

    key: Any = None
    label: str = ""
    active: Counter[str] = field(default_factory=Counter)  # now at the stage, not dropped
    dropped: Counter[str] = field(default_factory=Counter)  # dropped while at the stage
    intended: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    signed: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    signed_in_year: Decimal = ZERO
    signed_in_year_count: int = 0
    top: Counter[int] = field(default_factory=Counter)  # leads by highest stage rank reached

    def add(self, other: Figures) -> None:
        self.active.update(other.active)
        self.dropped.update(other.dropped)
        for stage in STAGES:
            self.intended[stage] += other.intended[stage]
            self.signed[stage] += other.signed[stage]
        self.signed_in_year += other.signed_in_year
        self.signed_in_year_count += other.signed_in_year_count
        self.top.update(other.top)

    @property
    def leads(self) -> int:
        return sum(self.active.values()) + sum(self.dropped.values())

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    @property
    def total_intended(self) -> Decimal:
        return sum((self.intended[s] for s in STAGES), ZERO)

    @property
    def total_signed(self) -> Decimal:
        return sum((self.signed[s] for s in STAGES), ZERO)

    def reached(self, stage: str) -> int:
        here = STAGES.index(stage)
        return sum(n for top, n in self.top.items() if top >= here)

    def conversion(self, stage: str) -> Decimal | None:
        """Share (%) of the leads that reached `stage` that reached the next stage too."""
        here = STAGES.index(stage)
        if here + 1 >= len(STAGES):
            return None
        return percent(self.reached(STAGES[here + 1]), self.reached(stage))

    @property
    def signed_rate(self) -> Decimal | None:
        return percent(self.reached(Stage.SIGNED), self.leads)

    @property
    def active_by_stage(self) -> list[int]:
        return [self.active[s] for s in STAGES]


SOURCE, CHAIN = "source", "chain"


def _keys(source: str, chain: int) -> dict[str, Any]:
    return {SOURCE: source, CHAIN: chain}


def _group(groups: dict[str, dict[Any, Figures]], by: str, key: Any) -> Figures:
    return groups[by].setdefault(key, Figures(key=key))


AMOUNTS = ("intended", "signed", "year_signed")


def _lead_rows(leads: QuerySet[Lead], year: int) -> list[dict[str, Any]]:
    """The leads' figures by source, chain, stage and highest stage reached (a few hundred
    rows). The inner part groups the leads by chain link, reading the funnel's index of the
    leads alone in its order; the outer part puts the links' groups together by chain."""
    active = Q(dropped_on__isnull=True)
    signed_in_year = Q(signed_on__range=year_range(year))
    per_link = leads.values("source", "chain_link_id", "stage", "top_stage").annotate(
        n_active=Count("id", filter=active),
        n_dropped=Count("id", filter=Q(dropped_on__isnull=False)),
        intended=Sum("intended_investment", filter=active),
        signed=Sum("signed_investment"),
        year_signed=Sum("signed_investment", filter=signed_in_year),
        year_count=Count("id", filter=signed_in_year),
    )
    inner, params = per_link.query.sql_with_params()
    q = connection.ops.quote_name
    sums = ", ".join(f"SUM(g.{name})" for name in ("n_active", "n_dropped", *AMOUNTS, "year_count"))
    sql = (
        f"SELECT g.{q('source')}, COALESCE(l.{q('chain_id')}, {NO_CHAIN}), g.{q('stage')}, "  # noqa: S608
        f"g.{q('top_stage')}, {sums} FROM ({inner}) g "
        f"LEFT JOIN {q(ChainLink._meta.db_table)} l ON l.{q('id')} = g.{q('chain_link_id')} "
        "GROUP BY 1, 2, 3, 4"
    )
    names = ("source", "chain", "stage", "top", "n_active", "n_dropped", *AMOUNTS, "year_count")
    rows = [dict(zip(names, row, strict=True)) for row in run_sql(sql, params)]
    for row in rows:  # PostgreSQL sums counts as numeric, SQLite amounts as floats
        for name in ("n_active", "n_dropped", "year_count"):
            row[name] = int(row[name])
        for name in AMOUNTS:
            row[name] = as_amount(row[name])
    return rows


def as_amount(value: Any) -> Decimal:
    """A sum of amounts as the driver gives it (SQLite: a float) as the ORM would (万元, to the
    amount fields' decimal places)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    places = Lead._meta.get_field("intended_investment").decimal_places
    exact = Context(prec=15).create_decimal_from_float(float(value))
    return exact.quantize(Decimal(1).scaleb(-places))


def _lead_totals(leads: QuerySet[Lead], year: int) -> dict[str, dict[Any, Figures]]:
    """The leads' figures summed up by source and by chain. A lead counts as having reached its
    `top_stage` (kept by the services), or its current stage if that is higher (a row written
    without the services)."""
    groups: dict[str, dict[Any, Figures]] = {SOURCE: {}, CHAIN: {}}
    for row in _lead_rows(leads, year):
        stage = row["stage"]
        top = max(STAGES.index(stage), STAGES.index(row["top"]))
        for by, key in _keys(row["source"], int(row["chain"])).items():
            group = _group(groups, by, key)
            group.active[stage] += row["n_active"]
            group.dropped[stage] += row["n_dropped"]
            group.intended[stage] += row["intended"]
            group.signed[stage] += row["signed"]
            group.signed_in_year += row["year_signed"]
            group.signed_in_year_count += row["year_count"]
            group.top[top] += row["n_active"] + row["n_dropped"]
    return groups


# --- the funnel ---------------------------------------------------------------------------------


@dataclass
class StageRow:
    stage: str
    label: str
    active: int
    dropped: int
    intended: Decimal
    signed: Decimal | None
    reached: int
    conversion: Decimal | None
    time: StageTime


@dataclass
class Funnel:
    year: int
    total: Figures
    stages: list[StageRow]
    by_source: list[Figures]
    by_chain: list[Figures]
    year_signed_count: int  # the whole government's, whatever the filters
    year_signed_total: Decimal


def year_signed(government_id: int, year: int) -> tuple[int, Decimal]:
    """The number of leads signed in the year and their signed investment (万元)."""
    totals = Lead.objects.filter(
        government_id=government_id, signed_on__range=year_range(year)
    ).aggregate(n=Count("id"), total=Sum("signed_investment"))
    return totals["n"], totals["total"] or ZERO


def _stage_rows(total: Figures, times: dict[str, StageTime]) -> list[StageRow]:
    return [
        StageRow(
            stage=stage,
            label=str(Stage(stage).label),
            active=total.active[stage],
            dropped=total.dropped[stage],
            intended=total.intended[stage],
            signed=total.signed[stage] if stage in SIGNED_STAGES else None,
            reached=total.reached(stage),
            conversion=total.conversion(stage),
            time=times[stage],
        )
        for stage in STAGES
    ]


def _labelled(
    groups: dict[Any, Figures], labels: Mapping[Any, str], order: Iterable[Any]
) -> list[Figures]:
    rows = []
    for key in order:
        if key in groups:
            groups[key].label = labels[key]
            rows.append(groups[key])
    return rows


def funnel(
    *,
    government_id: int,
    filters: FunnelFilters,
    year: int,
    today: datetime.date,
    chains: Iterable[IndustryChain] | None = None,
) -> Funnel:
    """The funnel of a government's leads (narrowed by `filters`) in four queries (three when
    the chains are given)."""
    leads = scoped_leads(government_id, filters)
    groups = _lead_totals(leads, year)
    total = Figures(label=_("All leads"))
    for group in groups[SOURCE].values():
        total.add(group)
    narrowed = leads if filters != FunnelFilters() else None
    times = stage_times(*stay_histograms(government_id, narrowed, today))
    if chains is None:
        chains = IndustryChain.objects.filter(government_id=government_id)
    chain_labels: dict[Any, str] = {c.pk: c.name for c in chains}
    chain_labels[NO_CHAIN] = _("No chain given")
    count, amount = year_signed(government_id, year)
    source_labels = {key: str(label) for key, label in Lead.Source.choices}
    return Funnel(
        year=year,
        total=total,
        stages=_stage_rows(total, times),
        by_source=_labelled(groups[SOURCE], source_labels, Lead.Source.values),
        by_chain=_labelled(groups[CHAIN], chain_labels, chain_labels),
        year_signed_count=count,
        year_signed_total=amount,
    )


# --- the indicator fed by the signed leads --------------------------------------------------------


class FeedRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class FeedResult:
    indicator: Indicator | None
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def signed_by_month(government_id: int, year: int) -> dict[int, Decimal]:
    rows = (
        Lead.objects.filter(government_id=government_id, signed_on__range=year_range(year))
        .annotate(month=ExtractMonth("signed_on"))
        .values("month")
        .annotate(total=Sum("signed_investment"))
        .order_by()
    )
    return {row["month"]: row["total"] or ZERO for row in rows}


def period_values(
    indicator: Indicator, year: int, by_month: Mapping[int, Decimal], through_month: int
) -> list[tuple[Period, Decimal]]:
    """The indicator's periods of the year up to `through_month`, each with its amount (万元):
    cumulative to date (累计) or the period's own, as the indicator is kept."""
    frequency = Frequency(indicator.frequency)
    per_year = {Frequency.ANNUAL: 1, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}[frequency]
    months_per = 12 // per_year
    values = []
    for index in range(1, per_year + 1):
        first, last = (index - 1) * months_per + 1, min(index * months_per, through_month)
        if first > through_month:
            break
        start = 1 if indicator.is_cumulative else first
        amount = sum((by_month.get(m, ZERO) for m in range(start, last + 1)), ZERO)
        values.append((Period.of(frequency, year, index), amount))
    return values


def fed_indicator(government_id: int) -> Indicator | None:
    row = (
        PipelineSettings.objects.filter(government_id=government_id)
        .select_related("signed_investment_indicator")
        .first()
    )
    return row.signed_investment_indicator if row is not None else None


def _feed_plan(
    indicator: Indicator, government: Region, year: int, today: datetime.date
) -> list[tuple[Period, Decimal]]:
    factor = unit_factor(LEAD_AMOUNT_UNIT, indicator.unit)
    if factor is None:
        raise FeedRefused(
            _(
                "%(indicator)s is measured in “%(unit)s”: the signed investment (万元) can be "
                "written only to an indicator of amounts (元, 万元 or 亿元)."
            )
            % {"indicator": indicator.name, "unit": indicator.unit}
        )
    if year > today.year:
        raise FeedRefused(_("%(year)s has not begun.") % {"year": year})
    through = 12 if year < today.year else today.month
    by_month = signed_by_month(government.pk, year)
    return [
        (period, as_stored(amount * factor, "value"))
        for period, amount in period_values(indicator, year, by_month, through)
    ]


@transaction.atomic
def feed_indicator(
    *, actor: Any, government: Region, year: int, today: datetime.date | None = None
) -> FeedResult:
    """Write the year's signed investment to the indicator set in the pipeline settings (if one
    is), period by period, through the indicators' own rules (`observation_save`). Periods whose
    figure is already right are left alone; a period the rules refuse (an approved figure, a red
    value that needs an explanation) is reported and the others are still written."""
    indicator = fed_indicator(government.pk)
    if indicator is None:
        return FeedResult(indicator=None)
    if not may_manage(actor, government.pk) or not may_enter(actor, indicator):
        raise PermissionDenied(
            _("You may not enter the figures of %(indicator)s.") % {"indicator": indicator.name}
        )
    plan = _feed_plan(indicator, government, year, today or timezone.localdate())
    existing = {
        o.period: o
        for o in Observation.objects.filter(
            indicator=indicator, region=government, period__in=[str(p) for p, _v in plan]
        )
    }
    result = FeedResult(indicator=indicator)
    for period, value in plan:
        old = existing.get(str(period))
        if old is not None and old.value == value:
            result.unchanged.append(str(period))
            continue
        try:
            save_observation(
                actor=actor,
                indicator=indicator,
                period_text=str(period),
                value_text=str(value),
                region=government,
                source=_("Signed investment leads (investment pipeline)"),
                expected_version=old.version if old is not None else None,
            )
        except ObservationRejected as rejected:
            result.problems += [
                _("%(period)s: %(problem)s") % {"period": period, "problem": p.message}
                for p in rejected.problems
            ]
        else:
            result.written.append(str(period))
    return result


@dataclass(frozen=True)
class IndicatorState:
    """The indicator as it stands against what the signed leads say, for the funnel page."""

    indicator: Indicator
    period: str
    stored: Decimal | None
    computed: Decimal | None
    problem: str = ""

    @property
    def is_current(self) -> bool:
        return self.stored is not None and self.stored == self.computed


def indicator_state(government: Region, year: int, today: datetime.date) -> IndicatorState | None:
    """The latest period of the year: what is stored, and what the leads give (three queries)."""
    indicator = fed_indicator(government.pk)
    if indicator is None:
        return None
    try:
        plan = _feed_plan(indicator, government, year, today)
    except FeedRefused as refused:
        return IndicatorState(indicator, str(year), None, None, refused.message)
    period, computed = plan[-1]
    stored = (
        Observation.objects.filter(indicator=indicator, region=government, period=str(period))
        .values_list("value", flat=True)
        .first()
    )
    return IndicatorState(indicator, str(period), stored, computed)
