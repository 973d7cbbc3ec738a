"""Annual investment plan against completed investment (计划投资 vs 完成投资), per project, park,
lead unit and in total, and the completed investment written to the indicator it feeds.

Completed investment of a year is the sum of the projects' monthly reports of that year; the
cumulative series (1–N月累计) adds them up month by month. Every figure comes from two grouped
queries (plans, reports), whatever the number of projects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Any, Literal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator
from jinwei.indicators.services import Saved, observation_save
from jinwei.lib.periods import Frequency, Period
from jinwei.projects.models import InvestmentPlan, InvestmentReport, Project, ProjectRules

ZERO = Decimal("0")
MONTHS = tuple(range(1, 13))
Grouping = Literal["project", "park", "unit", "total"]
GROUPINGS: tuple[Grouping, ...] = ("project", "park", "unit", "total")


@dataclass
class Totals:
    """One row of the summary: a project, park, unit or the total."""

    key: int | None
    name: str
    code: str = ""  # a project's code
    planned: Decimal = ZERO
    monthly: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)

    @property
    def completed(self) -> Decimal:
        return sum(self.monthly, ZERO)

    @property
    def cumulative(self) -> list[Decimal]:
        return list(accumulate(self.monthly))

    @property
    def rate(self) -> Decimal | None:
        """Completed as a percent of planned, one decimal; None without a plan."""
        if not self.planned:
            return None
        return (self.completed * 100 / self.planned).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def completed_through(self, month: int) -> Decimal:
        return sum(self.monthly[:month], ZERO)


def year_months(year: int) -> tuple[str, str]:
    return f"{year}-01", f"{year}-12"


def _month_sums(year: int) -> dict[str, Sum]:
    """One column per month (a pivot), so a group is one row, not twelve."""
    return {
        f"m{month:02d}": Sum("amount", filter=Q(period=f"{year}-{month:02d}")) for month in MONTHS
    }


Item = dict[str, Any]


def _grouped(
    projects: QuerySet[Project], year: int, names: Sequence[str], by_period: bool = False
) -> tuple[list[Item], list[Item]]:
    """Plans and completed investment of the year grouped by `names`: two queries. Months come
    as columns (many small groups: projects) or, `by_period`, as rows (few large groups)."""
    plans = InvestmentPlan.objects.filter(project__in=projects, year=year).order_by()
    first, last = year_months(year)
    reports = InvestmentReport.objects.filter(
        project__in=projects, period__gte=first, period__lte=last
    ).order_by()
    return (
        list(plans.values(*names).annotate(planned=Sum("amount"))),
        list(
            reports.values(*names, "period").annotate(amount=Sum("amount"))
            if by_period
            else reports.values(*names).annotate(**_month_sums(year))
        ),
    )


class _Rows(dict[Any, Totals]):
    """Totals by key, filled from grouped rows."""

    def __init__(self, key_path: str, name_path: str, code_path: str = "") -> None:
        super().__init__()
        self.paths = (key_path, name_path, code_path)

    def row(self, item: Item) -> Totals:
        key_path, name_path, code_path = self.paths
        key = item[key_path] if key_path else None
        if key not in self:
            name = item[name_path] if name_path else _("Total")
            self[key] = Totals(key=key, name=name or "", code=item[code_path] if code_path else "")
        return self[key]

    def add(self, plans: Iterable[Item], reports: Iterable[Item]) -> _Rows:
        for item in plans:
            self.row(item).planned += item["planned"] or ZERO
        for item in reports:
            monthly = self.row(item).monthly
            if "period" in item:
                monthly[int(item["period"][5:7]) - 1] += item["amount"] or ZERO
                continue
            for index, month in enumerate(MONTHS):
                monthly[index] += item[f"m{month:02d}"] or ZERO
        return self

    def ordered(self) -> list[Totals]:
        """By code (projects) or name; "no park" last."""
        return sorted(self.values(), key=lambda t: (t.key is None, t.code, t.name))


_PATHS: dict[str, tuple[str, str, str]] = {
    "project": ("project_id", "project__name", "project__code"),
    "park": ("project__park_id", "project__park__name", ""),
    "unit": ("project__lead_unit_id", "project__lead_unit__name", ""),
}


def totals_by(projects: QuerySet[Project], year: int, by: Grouping) -> list[Totals]:
    """Plan and completed investment of `year`, grouped; groups with neither are left out (the
    total is always there)."""
    if by == "total":
        return [total(projects, year)]
    paths = _PATHS[by]
    names = [path for path in paths if path]
    return _Rows(*paths).add(*_grouped(projects, year, names)).ordered()


def total(projects: QuerySet[Project], year: int) -> Totals:
    names = ["project__government_id"]
    totals = _Rows("", "").add(*_grouped(projects, year, names, by_period=True))
    return totals.get(None) or Totals(key=None, name=_("Total"))


@dataclass
class Summary:
    by_park: list[Totals]
    by_unit: list[Totals]
    total: Totals


def summary(projects: QuerySet[Project], year: int) -> Summary:
    """Per park, per lead unit and in total from the same two grouped queries."""
    names = [path for by in ("park", "unit") for path in _PATHS[by] if path]
    plans, reports = _grouped(projects, year, names, by_period=True)
    parks = _Rows(*_PATHS["park"]).add(plans, reports)
    units = _Rows(*_PATHS["unit"]).add(plans, reports)
    everything = _Rows("", "").add(plans, reports)
    return Summary(
        by_park=parks.ordered(),
        by_unit=units.ordered(),
        total=everything.get(None) or Totals(key=None, name=_("Total")),
    )


def active_projects(projects: QuerySet[Project], year: int) -> QuerySet[Project]:
    """The projects with a plan or a report in the year, by code (the per-project table)."""
    first, last = year_months(year)
    planned = InvestmentPlan.objects.filter(project=OuterRef("pk"), year=year)
    reported = InvestmentReport.objects.filter(
        project=OuterRef("pk"), period__gte=first, period__lte=last
    )
    return projects.filter(Exists(planned) | Exists(reported)).order_by("code", "pk")


# --- the indicator ------------------------------------------------------------------------------

# An indicator kept in another unit of money gets the figure converted from 万元.
UNIT_FACTORS = {"万元": Decimal(1), "亿元": Decimal("0.0001"), "元": Decimal(10000)}


def _periods_to_write(indicator: Indicator, year: int, last_month: int) -> list[Period]:
    """The indicator's periods of the year that the reports reach (a year: the year itself)."""
    frequency = Frequency(indicator.frequency)
    months_per = 12 // Period.of(frequency, year).per_year
    count = -(-last_month // months_per)  # a period begun is written (cumulative to date)
    return [Period.of(frequency, year, index) for index in range(1, count + 1)]


def _value(totals: Totals, period: Period, cumulative: bool) -> Decimal:
    months_per = 12 // period.per_year
    end = period.index * months_per
    if cumulative or period.frequency is Frequency.ANNUAL:
        return totals.completed_through(end)
    return sum(totals.monthly[end - months_per : end], ZERO)


def feed_indicator(*, actor: Any, government: Region, year: int) -> list[Saved]:
    """Write the year's completed investment of the government's projects into the indicator
    configured in its ProjectRules (the year's total for an annual indicator; each month or
    quarter reached so far, cumulative or not as the indicator keeps it). Nothing when no
    indicator is configured. The indicator's own rules (rights, locks) apply."""
    rules = ProjectRules.objects.filter(government=government).first()
    indicator = rules.completed_investment_indicator if rules else None
    if indicator is None:
        return []
    if indicator.government_id != government.pk:
        raise ValueError("the configured indicator belongs to another government")
    totals = total(Project.objects.filter(government=government), year)
    reported = [m for m, amount in zip(MONTHS, totals.monthly, strict=True) if amount]
    last_month = max(reported, default=0)
    if last_month == 0:
        return []
    factor = UNIT_FACTORS.get(indicator.unit.strip(), Decimal(1))
    source = _("Computed from the monthly investment reports of the key projects.")
    saved = []
    for period in _periods_to_write(indicator, year, last_month):
        value = _value(totals, period, indicator.is_cumulative) * factor
        saved.append(
            observation_save(
                actor=actor,
                indicator=indicator,
                period_text=str(period),
                value_text=str(
                    value.quantize(Decimal(1).scaleb(-indicator.decimals), ROUND_HALF_UP)
                ),
                region=government,
                source=source,
            )
        )
    return saved


def project_totals(project: Project, year: int) -> Totals:
    """One project's year from its prefetched plans and reports (no query of its own)."""
    totals = Totals(key=project.pk, name=project.name, code=project.code)
    for plan in project.plans.all():
        if plan.year == year:
            totals.planned += plan.amount
    for report in project.reports.all():
        if report.period.startswith(f"{year}-"):
            totals.monthly[int(report.period[5:7]) - 1] += report.amount
    return totals
