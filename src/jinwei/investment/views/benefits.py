"""Benefit-sharing agreements (异地招商利益分享) and the attributed-totals report.

Everyone in the government reads the agreements and the report; investment staff, supervisors
and administrators create and edit them (`projects.access.may_manage`). The rules (shares adding
up to 100 %, terms not overlapping) are the services' (`investment.benefits`); the pages put their
refusals next to the fields they concern.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import StaleVersionError
from jinwei.core.middleware import allows_inline_styles
from jinwei.investment import benefit_tables as tables
from jinwei.investment import benefits
from jinwei.investment.benefit_forms import (
    SHARE_FIELDS,
    AgreementForm,
    BaseShareFormSet,
    FigureForm,
    ReportYearsForm,
    ShareFormSet,
    TermForm,
)
from jinwei.investment.benefit_split import ZERO, percent_text, total
from jinwei.investment.models import BenefitAgreement, BenefitFigure, BenefitShare, BenefitTerm
from jinwei.lib import xlsx
from jinwei.projects.access import may_manage

PAGE_SIZE = 50


def chosen_government(request: HttpRequest) -> tuple[Region, list[Region]]:
    """The government asked for by its code (`?government=`), else the user's first; 404 for a
    government the user does not work for."""
    governments = list(governments_for(request.user).order_by("code"))
    code = request.GET.get("government", "")
    chosen = [g for g in governments if g.code == code] if code else governments[:1]
    if not chosen:
        raise Http404
    return chosen[0], governments


def _agreement_for_view(request: HttpRequest, agreement_id: int) -> BenefitAgreement:
    queryset = benefits.visible_agreements(request.user).select_related(
        "government", "project", "introducing_region", "host_region"
    )
    return get_for_view(request, queryset, pk=agreement_id)


def _agreement_for_change(request: HttpRequest, agreement_id: int) -> BenefitAgreement:
    """The agreement if the user manages it; 404 when invisible, 403 when only readable."""
    agreement = _agreement_for_view(request, agreement_id)
    if not may_manage(request.user, agreement.government_id):
        raise PermissionDenied
    return agreement


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _back(request: HttpRequest, agreement: BenefitAgreement, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse("investment:agreement", args=[agreement.pk])
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


def _refuse(form: Form, error: ValidationError | StaleVersionError) -> None:
    """A service's refusal next to the field it names, else above the form."""
    if isinstance(error, StaleVersionError):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- the list -----------------------------------------------------------------------------------


def _list_title(government: Region) -> str:
    return _("Benefit-sharing agreements · %(government)s") % {"government": government.name}


def agreement_list(request: HttpRequest) -> HttpResponse:
    government, governments = chosen_government(request)
    search = request.GET.get("q", "").strip()
    agreements = benefits.agreement_list(viewer=request.user, government=government, search=search)
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"government": government.code, **({"q": search} if search else {})}
    return render(
        request,
        "investment/agreements.html",
        {
            "government": government,
            "governments": governments,
            "table": tables.agreement_table(_list_title(government), list(page.object_list)),
            "page": page,
            "search": search,
            "query": urlencode(query),
            "may_manage": may_manage(request.user, government.pk),
        },
    )


def agreements_export(request: HttpRequest) -> HttpResponse:
    government, _governments = chosen_government(request)
    search = request.GET.get("q", "").strip()
    agreements = benefits.agreement_list(viewer=request.user, government=government, search=search)
    table = tables.agreement_table(_list_title(government), list(agreements))
    filename = f"{government.name}-{_('Benefit-sharing agreements')}.xlsx"
    return xlsx.response(filename=filename, sheets=[table.sheet()])


# --- one agreement ------------------------------------------------------------------------------


def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_for_view(request, benefits.agreement_for_page(request.user), pk=agreement_id)
    regions = benefits.agreement_regions(agreement)
    splits = benefits.agreement_splits(agreement)
    managing = may_manage(request.user, agreement.government_id)
    return render(
        request,
        "investment/agreement.html",
        {
            "agreement": agreement,
            "terms": _terms_with_shares(agreement, regions),
            "regions": regions,
            "rows": tables.split_rows(splits, regions),
            "totals": tables.split_totals(total(splits), regions),
            "unshared_years": [s.year for s in splits if s.span is None],
            "project_url": tables.project_url(agreement.project) if agreement.project else "",
            "may_manage": managing,
            "figure_form": FigureForm() if managing else None,
        },
    )


def _terms_with_shares(
    agreement: BenefitAgreement, regions: list[Region]
) -> list[tuple[BenefitTerm, list[BenefitShare]]]:
    """Each term with its shares in the page's order of regions: the parties first."""
    rank = {region.pk: index for index, region in enumerate(regions)}
    return [
        (term, sorted(term.shares.all(), key=lambda s: rank.get(s.region_id, len(rank))))
        for term in agreement.terms.all()
    ]


def agreement_create(request: HttpRequest) -> HttpResponse:
    government, _governments = chosen_government(request)
    if not may_manage(request.user, government.pk):
        raise PermissionDenied
    initial = {"introducing_region": government.pk}
    form = AgreementForm(request.POST or None, government=government, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = benefits.agreement_create(
                actor=request.user, government=government, **form.values()
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            return _back(request, agreement, _("The agreement was added; now give its terms."))
    return _agreement_form(request, form, None, government)


def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement_for_change(request, agreement_id)
    form = AgreementForm(
        request.POST or None,
        government=agreement.government,
        initial=AgreementForm.initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changes = {k: v for k, v in values.items() if getattr(agreement, k) != v}
        try:
            benefits.agreement_update(
                actor=request.user,
                agreement=agreement,
                changes=changes,
                expected_version=form.cleaned_data.get("version"),
            )
        except (ValidationError, StaleVersionError) as error:
            _refuse(form, error)
        else:
            return _back(request, agreement, _("Saved."))
    return _agreement_form(request, form, agreement, agreement.government)


def _agreement_form(
    request: HttpRequest,
    form: AgreementForm,
    agreement: BenefitAgreement | None,
    government: Region,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "agreement": agreement, "government": government}
    return render(request, "investment/agreement_form.html", context, status=status)


# --- terms --------------------------------------------------------------------------------------


def _term_of(request: HttpRequest, agreement: BenefitAgreement) -> BenefitTerm | None:
    """The term being edited (`?term=`), else None for a new one."""
    term_id = request.GET.get("term", "")
    if not term_id:
        return None
    if not term_id.isdigit():
        raise Http404
    shares = BenefitShare.objects.select_related("region").order_by("region__code")
    term = (
        agreement.terms.prefetch_related(Prefetch("shares", shares)).filter(pk=int(term_id)).first()
    )
    if term is None:
        raise Http404
    return term


def _share_initial(agreement: BenefitAgreement, term: BenefitTerm | None) -> list[dict[str, Any]]:
    if term is not None:
        return [
            {
                "region": s.region_id,
                "output_percent": s.output_percent,
                "tax_percent": s.tax_percent,
                "investment_percent": s.investment_percent,
            }
            for s in term.shares.all()
        ]
    return [{"region": agreement.introducing_region_id}, {"region": agreement.host_region_id}]


def term_save(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A term's years and its shares, on one form: created, or replaced as a whole."""
    agreement = _agreement_for_change(request, agreement_id)
    term = _term_of(request, agreement)
    data = request.POST if request.method == "POST" else None
    initial = (
        {"start_year": term.start_year, "end_year": term.end_year, "version": term.version}
        if term is not None
        else {}
    )
    form = TermForm(data, initial=initial)
    shares = cast(
        BaseShareFormSet,
        ShareFormSet(data, prefix="shares", initial=_share_initial(agreement, term)),
    )
    share_errors: dict[str, list[str]] = {}
    if data is not None and all([form.is_valid(), shares.is_valid()]):
        try:
            benefits.term_save(
                actor=request.user,
                agreement=agreement,
                start_year=form.cleaned_data["start_year"],
                end_year=form.cleaned_data["end_year"],
                shares=shares.shares(),
                term=term,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleVersionError as error:
            _refuse(form, error)
        except ValidationError as error:
            share_errors = _split_errors(form, error)
        else:
            return _back(request, agreement, _("The term and its shares were saved."))
    context = {
        "agreement": agreement,
        "term": term,
        "form": form,
        "shares": shares,
        "share_errors": share_errors,
        "totals": _entered_totals(shares) if data is not None else None,
    }
    status = 400 if data is not None else 200
    return render(request, "investment/agreement_term_form.html", context, status=status)


def _split_errors(form: TermForm, error: ValidationError) -> dict[str, list[str]]:
    """The years' errors go to their fields; the shares' errors under the column they concern
    (region, or a measure's total)."""
    by_column: dict[str, list[str]] = {}
    for name, errors in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name in {"region", *SHARE_FIELDS}:
            by_column.setdefault(name, []).extend(errors)
        else:
            form.add_error(None, errors)
    return by_column


def _entered_totals(shares: Any) -> dict[str, str]:
    """Each measure's sum as entered, shown under its column (whatever the rows' errors)."""
    sums: dict[str, str] = {}
    for name in SHARE_FIELDS:
        values = []
        for form in shares.forms:
            cleaned = getattr(form, "cleaned_data", {}) or {}
            if cleaned.get(name) is not None:
                values.append(cleaned[name])
        sums[name] = percent_text(sum(values, ZERO))
    return sums


@require_POST
def term_delete(request: HttpRequest, term_id: int) -> HttpResponse:
    term = BenefitTerm.objects.filter(pk=term_id).select_related("agreement").first()
    if term is None:
        raise Http404
    agreement = _agreement_for_change(request, term.agreement_id)
    version = request.POST.get("version", "")
    try:
        benefits.term_delete(
            actor=request.user,
            term=term,
            expected_version=int(version) if version.isdigit() else None,
        )
    except StaleVersionError as error:
        messages.error(request, error.message)
        return redirect("investment:agreement", agreement_id=agreement.pk)
    message = _("The term %(term)s was removed; its years are no longer shared.") % {
        "term": benefits.term_text(term)
    }
    return _back(request, agreement, message)


# --- yearly figures -----------------------------------------------------------------------------


def figure_save(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A year's figures (before the split); a year already entered is replaced."""
    agreement = _agreement_for_change(request, agreement_id)
    initial: dict[str, Any] = {}
    figure = None
    year = request.GET.get("year", "")
    if year.isdigit():
        figure = agreement.figures.filter(year=int(year)).first()
        if figure is not None:
            initial = {
                "year": figure.year,
                "output_value": figure.output_value,
                "tax": figure.tax,
                "investment": figure.investment,
                "version": figure.version,
            }
    form = FigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            benefits.figure_save(
                actor=request.user,
                agreement=agreement,
                year=data["year"],
                output_value=data["output_value"],
                tax=data["tax"],
                investment=data["investment"],
                expected_version=data.get("version"),
            )
        except (ValidationError, StaleVersionError) as error:
            _refuse(form, error)
        else:
            message = _("The figures of %(year)s were saved.") % {"year": data["year"]}
            return _back(request, agreement, message)
    template = (
        "investment/_agreement_figure_form.html"
        if _is_htmx(request)
        else "investment/agreement_figure_form.html"
    )
    status = 400 if request.method == "POST" else 200
    context = {"agreement": agreement, "figure_form": form, "figure": figure}
    return render(request, template, context, status=status)


@require_POST
def figure_delete(request: HttpRequest, figure_id: int) -> HttpResponse:
    figure = BenefitFigure.objects.filter(pk=figure_id).first()
    if figure is None:
        raise Http404
    agreement = _agreement_for_change(request, figure.agreement_id)
    benefits.figure_delete(actor=request.user, figure=figure)
    message = _("The figures of %(year)s were removed.") % {"year": figure.year}
    return _back(request, agreement, message)


# --- the report ---------------------------------------------------------------------------------


def _report(
    request: HttpRequest, government: Region
) -> tuple[benefits.BenefitReport, ReportYearsForm]:
    asked = "first_year" in request.GET or "last_year" in request.GET
    years = ReportYearsForm(request.GET if asked else None)
    first, last = years.years()
    return benefits.benefit_report(government=government, first_year=first, last_year=last), years


def _report_title(kind: str, report: benefits.BenefitReport) -> str:
    return _("%(kind)s · %(government)s") % {"kind": kind, "government": report.government.name}


def _report_query(report: benefits.BenefitReport) -> dict[str, str]:
    query = {"government": report.government.code}
    if report.first_year is not None:
        query["first_year"] = str(report.first_year)
    if report.last_year is not None:
        query["last_year"] = str(report.last_year)
    return query


@allows_inline_styles
def benefit_report(request: HttpRequest) -> HttpResponse:
    government, governments = chosen_government(request)
    report, years = _report(request, government)
    measure = request.GET.get("measure", "output_value")
    if measure not in tables.MEASURE_KEYS:
        measure = "output_value"
    query = _report_query(report)
    measure_tables = [
        (key, tables.measure_table(report, key, str(label))) for key, label in tables.MEASURES
    ]
    return render(
        request,
        "investment/benefit_report.html",
        {
            "report": report,
            "government": report.government,
            "governments": governments,
            "years_form": years,
            "measure": measure,
            "measures": [
                (key, label, urlencode({**query, "measure": key})) for key, label in tables.MEASURES
            ],
            "measure_tables": measure_tables,
            "unshared": tables.unshared_table(report, _("Figures not shared")),
            "figure": tables.chart_figure(report, measure) if report.years else None,
            "query": urlencode(query),
        },
    )


def benefit_report_export(request: HttpRequest) -> HttpResponse:
    government, _governments = chosen_government(request)
    report, _years = _report(request, government)
    sheets = [
        tables.measure_table(report, key, _report_title(str(label), report)).sheet()
        for key, label in tables.MEASURES
    ]
    unshared = tables.unshared_table(report, _report_title(_("Figures not shared"), report))
    filename = f"{report.government.name}-{_('Attributed benefit totals')}.xlsx"
    return xlsx.response(filename=filename, sheets=[*sheets, unshared.sheet()])


urlpatterns = [
    path("agreements/", agreement_list, name="agreements"),
    path("agreements/export.xlsx", agreements_export, name="agreements_export"),
    path("agreements/new/", agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/", agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/edit/", agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/terms/", term_save, name="term_save"),
    path("agreements/terms/<int:term_id>/delete/", term_delete, name="term_delete"),
    path("agreements/<int:agreement_id>/figures/", figure_save, name="figure_save"),
    path("agreements/figures/<int:figure_id>/delete/", figure_delete, name="figure_delete"),
    path("benefits/", benefit_report, name="benefit_report"),
    path("benefits/export.xlsx", benefit_report_export, name="benefit_report_export"),
]
