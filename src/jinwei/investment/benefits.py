"""Cross-region benefit sharing (异地招商利益分享): agreements, their terms and shares, the
yearly figures, and the report of what each region is attributed.

An agreement between the introducing and the host region (and, for a co-built park, further
regions such as 蓬江/江海 beside 恩平) splits a project's output value, tax and investment
statistics by year. Each term covers a run of years (open-ended when it has no end year); the
terms of an agreement never overlap, and in each term every measure's shares add up to exactly
100 %. The services check the actor's right and these rules themselves, so the pages and the API
share them; every change is audited in its transaction. The arithmetic is in `benefit_split`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_delete, tracked_update
from jinwei.investment.benefit_split import (
    CENT,
    HUNDRED,
    ZERO,
    Amounts,
    Percents,
    Span,
    Split,
    Totals,
    overlap,
    percent_text,
    split,
)
from jinwei.investment.models import BenefitAgreement, BenefitFigure, BenefitShare, BenefitTerm
from jinwei.projects.access import may_manage
from jinwei.projects.models import Project

FIRST_YEAR = 1990
LAST_YEAR = 2100
AGREEMENT_FIELDS = (
    "name",
    "project",
    "introducing_region",
    "host_region",
    "reference",
    "notes",
    "is_illustrative",
)
# The share fields and how a message names their measure.
MEASURE_NAMES = {
    "output_percent": gettext_lazy("output value"),
    "tax_percent": gettext_lazy("tax"),
    "investment_percent": gettext_lazy("investment statistics"),
}


@dataclass(frozen=True)
class ShareInput:
    """One region's shares (%) in a term, as entered."""

    region: Region
    output_percent: Decimal
    tax_percent: Decimal
    investment_percent: Decimal

    def percent(self, name: str) -> Decimal:
        value: Decimal = getattr(self, name)
        return value


def require_manager(actor: Any, government_id: int) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _(
                "Only investment staff, supervisors and administrators manage "
                "benefit-sharing agreements."
            )
        )


def years_text(first: int, last: int | None) -> str:
    """2024–2028, 2024, or "2024 onwards" for an open end."""
    if last is None:
        return _("%(year)s onwards") % {"year": first}
    return str(first) if first == last else f"{first}–{last}"


def term_text(term: BenefitTerm) -> str:
    return years_text(term.start_year, term.end_year)


# --- agreements ---------------------------------------------------------------------------------


def _check_agreement(agreement: BenefitAgreement) -> None:
    errors: dict[str, list[str]] = {}
    if agreement.introducing_region_id == agreement.host_region_id:
        errors["host_region"] = [_("The host region must differ from the introducing region.")]
    project = agreement.project
    if project is not None and project.government_id != agreement.government_id:
        errors["project"] = [_("The project belongs to another government.")]
    if errors:
        raise ValidationError(errors)


def _check_parties_in_terms(agreement: BenefitAgreement) -> None:
    """Changing a party must not leave a term that gives it no share."""
    parties = {
        "introducing_region": agreement.introducing_region_id,
        "host_region": agreement.host_region_id,
    }
    errors: dict[str, list[str]] = {}
    for term in agreement.terms.prefetch_related("shares"):
        regions = {s.region_id for s in term.shares.all()}
        for name, region_id in parties.items():
            if region_id not in regions:
                errors.setdefault(name, []).append(
                    _("The term %(term)s gives this region no share; add it to the term first.")
                    % {"term": term_text(term)}
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    government: Region,
    name: str,
    introducing_region: Region,
    host_region: Region,
    project: Project | None = None,
    reference: str = "",
    notes: str = "",
    is_illustrative: bool = False,
) -> BenefitAgreement:
    """A new agreement; its terms and figures are added afterwards."""
    require_manager(actor, government.pk)
    agreement = BenefitAgreement(
        government=government,
        name=name,
        project=project,
        introducing_region=introducing_region,
        host_region=host_region,
        reference=reference,
        notes=notes,
        is_illustrative=is_illustrative,
    )
    _check_agreement(agreement)
    return tracked_create(actor=actor, obj=agreement)


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: BenefitAgreement,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> BenefitAgreement:
    """Change the agreement's own fields; the parties of its terms must stay covered."""
    require_manager(actor, agreement.government_id)
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    probe = BenefitAgreement(pk=agreement.pk, government_id=agreement.government_id)
    for name in AGREEMENT_FIELDS:
        setattr(probe, name, changes.get(name, getattr(agreement, name)))
    _check_agreement(probe)
    if {"introducing_region", "host_region"} & set(changes):
        _check_parties_in_terms(probe)
    return tracked_update(
        actor=actor, obj=agreement, changes=changes, expected_version=expected_version
    )


# --- terms and their shares ---------------------------------------------------------------------


def share_problems(
    agreement: BenefitAgreement, shares: Sequence[ShareInput]
) -> dict[str, list[str]]:
    """What is wrong with a term's shares, by field: each region once, both parties present,
    each share 0–100 with at most two decimals, and each measure adding up to exactly 100 %."""
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for share in shares:
        if share.region.pk in seen:
            errors.setdefault("region", []).append(
                _("%(region)s is listed more than once; give each region one row.")
                % {"region": share.region.name}
            )
        seen.add(share.region.pk)
        for name, measure in MEASURE_NAMES.items():
            problem = _percent_problem(share.percent(name), str(measure), share.region.name)
            if problem:
                errors.setdefault(name, []).append(problem)
    parties = [
        (
            agreement.introducing_region,
            _("The introducing region %(region)s must have a share in the term (0 is allowed)."),
        ),
        (
            agreement.host_region,
            _("The host region %(region)s must have a share in the term (0 is allowed)."),
        ),
    ]
    for region, message in parties:
        if region.pk not in seen:
            errors.setdefault("region", []).append(message % {"region": region.name})
    for name, measure in MEASURE_NAMES.items():
        if name in errors:
            continue
        summed = sum((s.percent(name) for s in shares), ZERO)
        if summed != HUNDRED:
            errors[name] = [
                _(
                    "The %(measure)s shares add up to %(total)s %%; "
                    "they must add up to exactly 100 %%."
                )
                % {"measure": measure, "total": percent_text(summed)}
            ]
    return errors


def _percent_problem(value: Decimal, measure: str, region: str) -> str:
    if value < 0 or value > HUNDRED:
        return _("The %(measure)s share of %(region)s must be between 0 and 100 %%.") % {
            "measure": measure,
            "region": region,
        }
    if value != value.quantize(CENT):
        return _("The %(measure)s share of %(region)s (%(value)s) has more than two decimals.") % {
            "measure": measure,
            "region": region,
            "value": value,
        }
    return ""


def year_problems(
    agreement: BenefitAgreement, start_year: int, end_year: int | None, term: BenefitTerm | None
) -> dict[str, list[str]]:
    """The years in range, the end not before the start, and no overlap with another term
    (the message says which years overlap which term)."""
    errors: dict[str, list[str]] = {}
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            errors[name] = [
                _("A year must lie between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            ]
    if errors:
        return errors
    if end_year is not None and end_year < start_year:
        return {
            "end_year": [
                _("The end year (%(end)s) is before the start year (%(start)s).")
                % {"end": end_year, "start": start_year}
            ]
        }
    others = agreement.terms.all() if term is None else agreement.terms.exclude(pk=term.pk)
    for other in others.order_by("start_year"):
        shared = overlap(start_year, end_year, other.start_year, other.end_year)
        if shared is None:
            continue
        # the end reaches into a later term; the start falls inside an earlier one
        name = "end_year" if other.start_year >= start_year else "start_year"
        errors.setdefault(name, []).append(
            _("The years %(years)s overlap the term %(term)s of this agreement.")
            % {"years": years_text(*shared), "term": term_text(other)}
        )
    return errors


def _shares_snapshot(shares: Sequence[BenefitShare] | Sequence[ShareInput]) -> list[dict[str, str]]:
    """Shares as the audit trail keeps them: readable, in a stable order."""
    rows = [
        {
            "region": s.region.name,
            "output_percent": percent_text(s.output_percent),
            "tax_percent": percent_text(s.tax_percent),
            "investment_percent": percent_text(s.investment_percent),
        }
        for s in shares
    ]
    return sorted(rows, key=lambda r: r["region"])


@transaction.atomic
def term_save(
    *,
    actor: Any,
    agreement: BenefitAgreement,
    start_year: int,
    end_year: int | None,
    shares: Sequence[ShareInput],
    term: BenefitTerm | None = None,
    expected_version: int | None = None,
) -> BenefitTerm:
    """Create a term, or replace an existing one's years and shares, all or nothing.

    Refused (ValidationError by field, every problem at once) when the years are out of order or
    overlap another term, or the shares break a rule of `share_problems`.
    """
    require_manager(actor, agreement.government_id)
    # one writer per agreement at a time, so two terms saved together cannot overlap
    agreement = BenefitAgreement.objects.select_for_update().get(pk=agreement.pk)
    if term is not None and term.agreement_id != agreement.pk:
        raise ValueError("the term belongs to another agreement")
    errors = year_problems(agreement, start_year, end_year, term)
    for name, messages in share_problems(agreement, shares).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    before: list[dict[str, str]] = []
    years_changed = False
    if term is None:
        term = tracked_create(
            actor=actor,
            obj=BenefitTerm(agreement=agreement, start_year=start_year, end_year=end_year),
        )
    else:
        stored_version = BenefitTerm.objects.values_list("version", flat=True).get(pk=term.pk)
        term = tracked_update(
            actor=actor,
            obj=term,
            changes={"start_year": start_year, "end_year": end_year},
            expected_version=expected_version,
        )
        years_changed = term.version != stored_version
        before = _shares_snapshot(list(term.shares.select_related("region")))
        term.shares.all().delete()
    _create_shares(term, shares)
    after = _shares_snapshot(shares)
    if after != before:
        if before and not years_changed:  # new shares make a new version too
            BenefitTerm.objects.filter(pk=term.pk).update(version=F("version") + 1)
            term.refresh_from_db(fields=["version"])
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=term,
            before={"shares": before},
            after={"shares": after},
        )
    return term


def _create_shares(term: BenefitTerm, shares: Sequence[ShareInput]) -> None:
    rows = [
        BenefitShare(
            term=term,
            region=s.region,
            output_percent=s.output_percent,
            tax_percent=s.tax_percent,
            investment_percent=s.investment_percent,
        )
        for s in shares
    ]
    for row in rows:
        row.full_clean(exclude=["term"], validate_unique=False)
    BenefitShare.objects.bulk_create(rows)


@transaction.atomic
def term_delete(*, actor: Any, term: BenefitTerm, expected_version: int | None = None) -> None:
    """Remove a term with its shares; its years become unshared until another term covers them."""
    require_manager(actor, term.agreement.government_id)
    before = _shares_snapshot(list(term.shares.select_related("region")))
    record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=term,
        before={"shares": before},
        after={"shares": []},
    )
    tracked_delete(actor=actor, obj=term, expected_version=expected_version)


# --- yearly figures -----------------------------------------------------------------------------


@transaction.atomic
def figure_save(
    *,
    actor: Any,
    agreement: BenefitAgreement,
    year: int,
    output_value: Decimal,
    tax: Decimal,
    investment: Decimal,
    expected_version: int | None = None,
) -> BenefitFigure:
    """Set the project's totals (万元, before the split) for a year: created, or replaced."""
    require_manager(actor, agreement.government_id)
    values = {"output_value": output_value, "tax": tax, "investment": investment}
    errors: dict[str, list[str]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [
            _("A year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    for name, value in values.items():
        if value < 0:
            errors[name] = [_("An amount cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    figure = BenefitFigure.objects.filter(agreement=agreement, year=year).first()
    if figure is None:
        return tracked_create(
            actor=actor, obj=BenefitFigure(agreement=agreement, year=year, **values)
        )
    return tracked_update(
        actor=actor, obj=figure, changes=values, expected_version=expected_version
    )


@transaction.atomic
def figure_delete(
    *, actor: Any, figure: BenefitFigure, expected_version: int | None = None
) -> None:
    require_manager(actor, figure.agreement.government_id)
    tracked_delete(actor=actor, obj=figure, expected_version=expected_version)


# --- reads --------------------------------------------------------------------------------------


def visible_agreements(viewer: Any) -> QuerySet[BenefitAgreement]:
    """Agreements of the governments the viewer works for (everyone there reads them)."""
    return scope_to_governments(BenefitAgreement.objects.all(), viewer, "government_id")


def terms_prefetch() -> Prefetch:
    shares = BenefitShare.objects.select_related("region").order_by("region__code")
    return Prefetch(
        "terms",
        BenefitTerm.objects.order_by("start_year").prefetch_related(Prefetch("shares", shares)),
    )


def agreement_list(
    *, viewer: Any, government: Region, search: str = ""
) -> QuerySet[BenefitAgreement]:
    """One government's agreements with their parties, terms and the years they have figures."""
    agreements = visible_agreements(viewer).filter(government=government)
    if search:
        agreements = agreements.filter(
            Q(name__icontains=search)
            | Q(reference__icontains=search)
            | Q(project__name__icontains=search)
            | Q(project__code__iexact=search)
        )
    return (
        agreements.select_related("project", "introducing_region", "host_region")
        .prefetch_related(Prefetch("terms", BenefitTerm.objects.order_by("start_year")))
        .annotate(
            figure_years=Count("figures", distinct=True),
            first_figure_year=Min("figures__year"),
            last_figure_year=Max("figures__year"),
        )
        .order_by("name", "id")
    )


def agreement_for_page(viewer: Any) -> QuerySet[BenefitAgreement]:
    """Everything the agreement page shows, in a fixed number of queries."""
    return (
        visible_agreements(viewer)
        .select_related("government", "project", "introducing_region", "host_region")
        .prefetch_related(terms_prefetch(), Prefetch("figures", BenefitFigure.objects.all()))
    )


def spans_of(terms: Sequence[BenefitTerm]) -> list[Span]:
    """Terms as the arithmetic needs them (shares prefetched)."""
    return [
        Span(
            key=term.pk,
            start=term.start_year,
            end=term.end_year,
            shares={
                s.region_id: Percents(s.output_percent, s.tax_percent, s.investment_percent)
                for s in term.shares.all()
            },
        )
        for term in terms
    ]


def figure_amounts(figure: BenefitFigure) -> Amounts:
    return Amounts(figure.output_value, figure.tax, figure.investment)


def agreement_splits(agreement: BenefitAgreement) -> list[Split]:
    """Each year with figures, split by the term covering it (agreement from
    `agreement_for_page`, so nothing more is queried)."""
    figures = {f.year: figure_amounts(f) for f in agreement.figures.all()}
    return split(agreement.pk, figures, spans_of(list(agreement.terms.all())))


def agreement_regions(agreement: BenefitAgreement) -> list[Region]:
    """The parties first, then any further region of a term (a co-builder), by code."""
    regions = {agreement.introducing_region_id: agreement.introducing_region}
    regions[agreement.host_region_id] = agreement.host_region
    others = {s.region_id: s.region for t in agreement.terms.all() for s in t.shares.all()}
    extra = sorted((r for k, r in others.items() if k not in regions), key=lambda r: r.code)
    return [*regions.values(), *extra]


@dataclass(frozen=True)
class UnsharedFigure:
    """A year of an agreement with figures but no term covering it."""

    agreement: BenefitAgreement
    year: int
    amounts: Amounts


@dataclass
class BenefitReport:
    """Each region's attributed totals of one government's agreements, by year and measure."""

    government: Region
    first_year: int | None
    last_year: int | None
    totals: Totals
    regions: list[Region]
    unshared: list[UnsharedFigure] = field(default_factory=list)
    agreement_count: int = 0
    has_illustrative: bool = False

    @property
    def years(self) -> list[int]:
        return self.totals.years


def benefit_report(
    *, government: Region, first_year: int | None = None, last_year: int | None = None
) -> BenefitReport:
    """Attributed totals: figure × share of the covering term, summed over the agreements.
    Years no term covers are kept, as unshared, so nothing silently drops out."""
    figures = BenefitFigure.objects.all()
    if first_year is not None:
        figures = figures.filter(year__gte=first_year)
    if last_year is not None:
        figures = figures.filter(year__lte=last_year)
    agreements = list(
        BenefitAgreement.objects.filter(government=government)
        .select_related("introducing_region", "host_region")
        .prefetch_related(terms_prefetch(), Prefetch("figures", figures.order_by("year")))
        .order_by("name", "id")
    )
    totals = Totals()
    unshared: list[UnsharedFigure] = []
    regions: dict[int, Region] = {}
    for agreement in agreements:
        for item in agreement_splits(agreement):
            totals.add(item)
            if item.span is None:
                unshared.append(UnsharedFigure(agreement, item.year, item.figure))
        for region in agreement_regions(agreement):
            regions.setdefault(region.pk, region)
    return BenefitReport(
        government=government,
        first_year=first_year,
        last_year=last_year,
        totals=totals,
        regions=_report_order(government, regions),
        unshared=sorted(unshared, key=lambda u: (u.year, u.agreement.name)),
        agreement_count=len(agreements),
        has_illustrative=any(a.is_illustrative for a in agreements),
    )


def _report_order(government: Region, regions: dict[int, Region]) -> list[Region]:
    """The government's own region first, then the others by code."""
    rest = sorted((r for k, r in regions.items() if k != government.pk), key=lambda r: r.code)
    return ([regions[government.pk]] if government.pk in regions else []) + rest
