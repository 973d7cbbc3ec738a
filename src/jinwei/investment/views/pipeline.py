"""Lead pages: the pipeline board, the list and its Excel export, a lead's page with its stage
history and contact log, and the steps on a lead (create, edit, move, drop, log a contact, sign).
The funnel analytics are in `pipeline_funnel.py`; their URLs are listed here too.

Everyone in a government reads its leads; investment staff, supervisors and admins change them
(`projects.access.may_manage`); contact details and the contact log are shown only to whom
`may_see_contacts` allows. The services say why a step is refused; the refusal comes back in
the form (HTTP 400), a success redirects with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.models import Region
from jinwei.audit.services import StaleVersionError
from jinwei.investment import exports, selectors, services
from jinwei.investment.forms import (
    ContactForm,
    DropForm,
    LeadFilterForm,
    LeadForm,
    MoveForm,
    SignForm,
    canonical_query,
    chosen_government,
)
from jinwei.investment.models import Lead
from jinwei.investment.services import LeadRefused
from jinwei.investment.views import pipeline_funnel
from jinwei.investment.views.pipeline_access import (
    lead_for_change,
    lead_for_view,
    viewer_governments,
)
from jinwei.lib import xlsx
from jinwei.projects.access import may_manage, may_see_contacts

BOARD_TARGET = "pipeline-board"  # the element the board's htmx requests replace
LIST_TARGET = "lead-results"


# --- access -------------------------------------------------------------------------------------


def _refuse(form: BaseForm, error: LeadRefused | StaleVersionError | ValidationError) -> None:
    """Put a service's refusal into the form, next to the field it names when it names one."""
    if isinstance(error, LeadRefused):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif isinstance(error, StaleVersionError):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _back_to_lead(request: HttpRequest, lead: Lead, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("investment:lead", lead_id=lead.pk)


# --- the board and the list ---------------------------------------------------------------------


def _filter_form(request: HttpRequest, *, with_people: bool = False) -> LeadFilterForm:
    governments = viewer_governments(request)
    government = chosen_government(request.GET, governments)
    people = list(selectors.people_choices(government.pk)) if with_people else []
    return LeadFilterForm(
        request.GET,
        governments=governments,
        government=government,
        units=list(selectors.unit_choices(government.pk)),
        chains=list(selectors.chain_choices(government.pk)),
        people=people,
    )


def pipeline(request: HttpRequest) -> HttpResponse:
    """The board: a column per stage, its count and sums, its first cards and a link to the rest."""
    today = timezone.localdate()
    form = _filter_form(request)
    leads = selectors.filtered_leads(
        viewer=request.user, filters=form.filters(board=True), today=today
    )
    columns = selectors.board(leads=leads)
    query = canonical_query(form.data)
    more = {c.stage: canonical_query(form.data, stage=c.stage, sort="next_action") for c in columns}
    context: dict[str, Any] = {
        "form": form,
        "government": form.chosen,
        "columns": [(column, more[column.stage]) for column in columns],
        "query": query,
        "today": today,
        "board_target": BOARD_TARGET,
        "may_manage": may_manage(request.user, form.chosen.pk),
    }
    if getattr(request, "htmx", False) and request.htmx.target == BOARD_TARGET:  # type: ignore[attr-defined]
        return render(request, "investment/_pipeline_board.html", context)
    return render(request, "investment/pipeline_board.html", context)


def _page_links(number: int, has_previous: bool, has_next: bool, query: str) -> dict[str, str]:
    def link(page: int) -> str:
        return "?" + "&".join(part for part in (query, f"page={page}") if part)

    links = {}
    if has_previous:
        links["previous"] = link(number - 1)
    if has_next:
        links["next"] = link(number + 1)
    return links


def lead_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = _filter_form(request, with_people=True)
    filters = form.filters()
    leads = selectors.filtered_leads(viewer=request.user, filters=filters, today=today)
    page = Paginator(selectors.ordered(leads, filters.sort), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = canonical_query(form.data)
    context: dict[str, Any] = {
        "form": form,
        "government": form.chosen,
        "page": page,
        "page_links": _page_links(page.number, page.has_previous(), page.has_next(), query),
        "query": query,
        "today": today,
        "list_target": LIST_TARGET,
        "may_manage": may_manage(request.user, form.chosen.pk),
    }
    if getattr(request, "htmx", False) and request.htmx.target == LIST_TARGET:  # type: ignore[attr-defined]
        return render(request, "investment/_lead_results.html", context)
    return render(request, "investment/lead_list.html", context)


def lead_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx; the contact columns only for whom may see them."""
    today = timezone.localdate()
    form = _filter_form(request)
    filters = form.filters()
    leads = selectors.filtered_leads(viewer=request.user, filters=filters, today=today)
    contacts = may_see_contacts(request.user, form.chosen.pk)
    sheet = exports.lead_sheet(
        selectors.ordered(leads, filters.sort), government=form.chosen, contacts=contacts
    )
    filename = _("investment-leads-%(date)s.xlsx") % {"date": today.isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


# --- a lead's page ------------------------------------------------------------------------------


def _lead_context(request: HttpRequest, lead: Lead, **forms: BaseForm) -> dict[str, Any]:
    manages = may_manage(request.user, lead.government_id)
    sees_contacts = may_see_contacts(request.user, lead.government_id)
    context: dict[str, Any] = {
        "lead": lead,
        "changes": list(lead.stage_changes.all()),
        "may_manage": manages,
        "may_see_contacts": sees_contacts,
        "may_sign": manages and services.may_sign(lead),
        "is_signed": services.is_signed(lead),
    }
    if sees_contacts:
        context["contacts"] = list(selectors.contact_log(lead))
    else:
        context["contact_summary"] = selectors.contact_summary(lead)
    if manages:
        context["move_form"] = forms.get("move_form") or MoveForm(lead=lead)
        context["drop_form"] = forms.get("drop_form") or DropForm(lead=lead)
        context["contact_form"] = forms.get("contact_form") or ContactForm()
    return context


def _lead_page(
    request: HttpRequest, lead: Lead, status: int = 200, **forms: BaseForm
) -> HttpResponse:
    return render(
        request, "investment/lead_detail.html", _lead_context(request, lead, **forms), status=status
    )


def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    return _lead_page(request, lead_for_view(request, lead_id, page=True))


def _managed_governments(request: HttpRequest) -> list[Region]:
    governments = [g for g in viewer_governments(request) if may_manage(request.user, g.pk)]
    if not governments:
        raise PermissionDenied
    return governments


def lead_create(request: HttpRequest) -> HttpResponse:
    governments = _managed_governments(request)
    government = chosen_government(request.GET, governments)
    data = request.POST if request.method == "POST" else None
    initial = {"owner_unit": _own_unit_id(request, government), "owner": request.user.pk}
    form = LeadForm(data, government=government, initial=initial)
    if request.method == "POST" and form.is_valid():
        lead = form.save(commit=False)
        try:
            lead = services.lead_create(actor=request.user, lead=lead)
        except (LeadRefused, ValidationError) as error:
            _refuse(form, error)
        else:
            return _back_to_lead(request, lead, _("The lead was saved."))
    status = 400 if request.method == "POST" else 200
    return render(request, "investment/lead_form.html", {"form": form, "lead": None}, status=status)


def _own_unit_id(request: HttpRequest, government: Region) -> int | None:
    """The unit the user works in, as the default owner unit of a new lead."""
    unit_ids = {u.pk for u in selectors.unit_choices(government.pk)}
    own = [m.unit_id for m in request.user.memberships.all() if m.unit_id in unit_ids]  # type: ignore[union-attr]
    return own[0] if own else None


def lead_edit(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = lead_for_change(request, lead_id)
    data = request.POST if request.method == "POST" else None
    form = LeadForm(
        data, instance=lead, government=lead.government, initial={"version": lead.version}
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_update(
                actor=request.user,
                lead=lead,
                changes=form.changes(),
                expected_version=form.cleaned_data["version"],
            )
        except (LeadRefused, StaleVersionError, ValidationError) as error:
            stale = isinstance(error, StaleVersionError)
            _refuse(form, error)
        else:
            return _back_to_lead(request, lead, _("The lead was saved."))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "lead": lead, "stale": stale}
    return render(request, "investment/lead_form.html", context, status=status)


@require_POST
def lead_move(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = lead_for_change(request, lead_id)
    form = MoveForm(request.POST, lead=lead)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.lead_move(
                actor=request.user,
                lead=lead,
                to_stage=data["to_stage"],
                on=data["on"],
                note=data["note"],
                expected_version=data["version"],
            )
        except (LeadRefused, StaleVersionError) as error:
            _refuse(form, error)
        else:
            message = _("The lead moved to “%(stage)s”.") % {"stage": moved.get_stage_display()}
            return _back_to_lead(request, moved, message)
    page_lead = lead_for_view(request, lead_id, page=True)
    return _lead_page(request, page_lead, 400, move_form=form)


@require_POST
def lead_drop(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = lead_for_change(request, lead_id)
    form = DropForm(request.POST, lead=lead)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.lead_drop(
                actor=request.user,
                lead=lead,
                reason=data["reason"],
                on=data["on"],
                expected_version=data["version"],
            )
        except (LeadRefused, StaleVersionError) as error:
            _refuse(form, error)
        else:
            return _back_to_lead(request, lead, _("The lead was dropped."))
    page_lead = lead_for_view(request, lead_id, page=True)
    return _lead_page(request, page_lead, 400, drop_form=form)


@require_POST
def contact_add(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = lead_for_change(request, lead_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_add(
                actor=request.user,
                lead=lead,
                on=data["on"],
                kind=data["kind"],
                summary=data["summary"],
            )
        except (LeadRefused, ValidationError) as error:
            _refuse(form, error)
        else:
            return _back_to_lead(request, lead, _("The contact was logged."))
    page_lead = lead_for_view(request, lead_id, page=True)
    return _lead_page(request, page_lead, 400, contact_form=form)


def lead_sign(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Signing: one form, and the lead becomes a key project (its page opens next)."""
    lead = lead_for_change(request, lead_id)
    if not services.may_sign(lead):
        messages.error(request, _("Only a lead being pursued and not yet signed can be signed."))
        return redirect("investment:lead", lead_id=lead.pk)
    form = SignForm(request.POST if request.method == "POST" else None, lead=lead)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.lead_sign(actor=request.user, lead=lead, **form.sign_arguments())
        except (LeadRefused, StaleVersionError, ValidationError) as error:
            _refuse(form, error)
        else:
            messages.success(
                request,
                _("The lead was signed; its key project %(code)s was created.")
                % {"code": project.code},
            )
            return redirect(reverse("projects:detail", args=[project.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "investment/lead_sign.html", {"form": form, "lead": lead}, status=status)


urlpatterns: list[URLPattern] = [
    path("", pipeline, name="pipeline"),
    path("leads/", lead_list, name="leads"),
    path("leads/export.xlsx", lead_export, name="leads_export"),
    path("leads/new/", lead_create, name="lead_create"),
    path("leads/<int:lead_id>/", lead_detail, name="lead"),
    path("leads/<int:lead_id>/edit/", lead_edit, name="lead_edit"),
    path("leads/<int:lead_id>/move/", lead_move, name="lead_move"),
    path("leads/<int:lead_id>/drop/", lead_drop, name="lead_drop"),
    path("leads/<int:lead_id>/contacts/", contact_add, name="contact_add"),
    path("leads/<int:lead_id>/sign/", lead_sign, name="lead_sign"),
    path("funnel/", pipeline_funnel.funnel_page, name="funnel"),
    path("funnel/export.xlsx", pipeline_funnel.funnel_export, name="funnel_export"),
    path("funnel/indicator/", pipeline_funnel.funnel_feed, name="funnel_feed"),
]
