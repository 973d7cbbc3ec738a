"""API endpoints for benefit-sharing agreements (mounted under /api/v1/investment/agreements/).

Read-only: the agreements the caller may see (everyone in their government), one agreement with
its terms, shares and yearly figures split among the regions, and the attributed-totals report.
Amounts are in 万元, exact in the database and rounded to 0.01 here; shares are percentages.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.api_parts import api_user, typed_for_paging
from jinwei.investment import benefits
from jinwei.investment.benefit_split import Amounts, Split, shown
from jinwei.investment.models import BenefitAgreement, BenefitShare, BenefitTerm

router = Router(tags=["benefit sharing"])
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


# --- schemas ------------------------------------------------------------------------------------


class RegionRef(Schema):
    code: str
    name: str


class ProjectRef(Schema):
    id: int
    code: str
    name: str


class ShareOut(Schema):
    region: RegionRef
    output_percent: Decimal
    tax_percent: Decimal
    investment_percent: Decimal


class TermOut(Schema):
    id: int
    start_year: int
    end_year: int | None = Field(description="Empty: the term has no end.")
    shares: list[ShareOut]
    version: int

    @staticmethod
    def resolve_shares(obj: BenefitTerm) -> list[BenefitShare]:
        return list(obj.shares.all())


class AgreementOut(Schema):
    id: int
    name: str
    government: str = Field(alias="government.code")
    project: ProjectRef | None
    introducing_region: RegionRef
    host_region: RegionRef
    reference: str
    is_illustrative: bool
    terms: list[TermOut]
    version: int

    @staticmethod
    def resolve_terms(obj: BenefitAgreement) -> list[BenefitTerm]:
        return list(obj.terms.all())


class AmountsOut(Schema):
    output_value: Decimal
    tax: Decimal
    investment: Decimal


def _amounts(amounts: Amounts) -> AmountsOut:
    return AmountsOut(
        output_value=shown(amounts.output_value),
        tax=shown(amounts.tax),
        investment=shown(amounts.investment),
    )


class RegionPartOut(AmountsOut):
    region: str = Field(description="The region's code.")


class YearOut(Schema):
    year: int
    figures: AmountsOut = Field(description="The project's totals before the split.")
    term_id: int | None = Field(description="The term covering the year; empty: not shared.")
    shared: bool
    regions: list[RegionPartOut]


class AgreementDetailOut(AgreementOut):
    notes: str
    years: list[YearOut]

    @staticmethod
    def resolve_years(obj: BenefitAgreement) -> list[YearOut]:
        codes = {s.region_id: s.region.code for t in obj.terms.all() for s in t.shares.all()}
        return [_year(item, codes) for item in benefits.agreement_splits(obj)]


def _year(item: Split, codes: dict[int, str]) -> YearOut:
    return YearOut(
        year=item.year,
        figures=_amounts(item.figure),
        term_id=item.span.key if item.span else None,
        shared=item.span is not None,
        regions=[
            RegionPartOut(region=codes[region_id], **_amounts(amounts).model_dump())
            for region_id, amounts in item.by_region.items()
        ],
    )


class RegionYearOut(AmountsOut):
    year: int


class RegionTotalsOut(Schema):
    region: RegionRef
    years: list[RegionYearOut]
    total: AmountsOut


class UnsharedOut(AmountsOut):
    agreement_id: int
    agreement: str
    year: int


class FiguresYearOut(AmountsOut):
    year: int


class ReportOut(Schema):
    government: str
    first_year: int | None
    last_year: int | None
    years: list[int]
    regions: list[RegionTotalsOut]
    unshared: list[UnsharedOut] = Field(
        description="Figures of years no term covers: reported, not attributed to any region."
    )
    figures: list[FiguresYearOut] = Field(description="All agreements' totals before the split.")


# --- reads --------------------------------------------------------------------------------------


def _agreements(request: HttpRequest) -> Any:
    return (
        benefits.visible_agreements(api_user(request))
        .select_related("government", "project", "introducing_region", "host_region")
        .prefetch_related(benefits.terms_prefetch())
    )


@router.get("/", response=list[AgreementOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
@typed_for_paging
def agreement_list(request: HttpRequest, government: str | None = None) -> Any:
    """The agreements the caller may see, with their terms and shares, by name."""
    agreements = _agreements(request)
    if government:
        agreements = agreements.filter(government__code=government)
    return agreements.order_by("government__code", "name", "id")


@router.get("/report/", response=ReportOut)
def agreement_report(
    request: HttpRequest,
    government: str | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> ReportOut:
    """Each region's attributed output value, tax and investment per year: figure × share of
    the term covering the year, summed over the government's agreements."""
    region = _report_government(request, government)
    report = benefits.benefit_report(government=region, first_year=first_year, last_year=last_year)
    totals = report.totals
    return ReportOut(
        government=region.code,
        first_year=first_year,
        last_year=last_year,
        years=report.years,
        regions=[
            RegionTotalsOut(
                region=RegionRef(code=r.code, name=r.name),
                years=[
                    RegionYearOut(year=y, **_amounts(totals.region_year(r.pk, y)).model_dump())
                    for y in report.years
                ],
                total=_amounts(totals.region_total(r.pk)),
            )
            for r in report.regions
        ],
        unshared=[
            UnsharedOut(
                agreement_id=u.agreement.pk,
                agreement=u.agreement.name,
                year=u.year,
                **_amounts(u.amounts).model_dump(),
            )
            for u in report.unshared
        ],
        figures=[
            FiguresYearOut(year=y, **_amounts(a).model_dump())
            for y, a in sorted(totals.figures.items())
        ],
    )


def _report_government(request: HttpRequest, code: str | None) -> Region:
    """The government asked for, or the caller's only one."""
    governments = list(governments_for(api_user(request)).order_by("code"))
    if code:
        governments = [g for g in governments if g.code == code]
        if not governments:
            raise Http404
    if len(governments) != 1:
        raise HttpError(400, _("Say which government: ?government=CODE."))
    return governments[0]


@router.get("/{int:agreement_id}/", response=AgreementDetailOut)
def agreement_detail(request: HttpRequest, agreement_id: int) -> BenefitAgreement:
    """One agreement: its parties, terms with shares, and each year's figures split among the
    regions (a year no term covers is marked as not shared)."""
    agreement = benefits.agreement_for_page(api_user(request)).filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    return agreement
