"""Enterprise requests (诉求): the list and its export, one request's page, recording a request;
the loop's steps live in `request_actions.py`, the statistics in `request_stats.py`, the holiday
calendar in `holiday_calendar.py`. Every page starts with an access helper (404 or
PermissionDenied)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.enterprises import request_selectors as selectors
from jinwei.enterprises import requests as services
from jinwei.enterprises.models import ServiceRequest
from jinwei.enterprises.request_access import get_enterprise_for_request, get_request_for_view
from jinwei.enterprises.request_forms import (
    AssignForm,
    RequestFilterForm,
    RequestForm,
    canonical_query,
    chosen_government,
)
from jinwei.enterprises.views import holiday_calendar, request_actions, request_stats
from jinwei.lib import xlsx
from jinwei.projects.access import may_manage
from jinwei.tasks.timing import COLOUR_LABELS, Rules

LIST_TARGET = "request-results"


# --- the list ---------------------------------------------------------------------------------


@dataclass
class Listing:
    government: Region
    rules: Rules
    form: RequestFilterForm
    query: str

    def requests(self, request: HttpRequest, today: datetime.date) -> Any:
        return selectors.filtered_requests(
            viewer=request.user, filters=self.form.filters(), today=today, rules=self.rules
        )


def _listing(request: HttpRequest) -> Listing:
    governments = selectors.list_governments(request.user)
    if not governments:
        raise PermissionDenied
    government = chosen_government(request.GET, governments)
    form = RequestFilterForm(
        request.GET,
        governments=governments,
        government=government,
        units=selectors.unit_choices(government.pk),
    )
    return Listing(
        government=government,
        rules=selectors.rules_for(government.pk),
        form=form,
        query=canonical_query(request.GET),
    )


def _page_links(page: Page, query: str) -> dict[str, str]:
    def link(number: int) -> str:
        return "?" + "&".join(part for part in (query, f"page={number}") if part)

    links = {}
    if page.has_previous():
        links["previous"] = link(page.previous_page_number())
    if page.has_next():
        links["next"] = link(page.next_page_number())
    return links


def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listing = _listing(request)
    requests = listing.requests(request, today)
    counts = selectors.colour_counts(requests, today, listing.rules)
    paginator = Paginator(selectors.with_related(requests), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "listing": listing,
        "form": listing.form,
        "query": listing.query,
        "page": page,
        "rows": selectors.rows_for(page.object_list, today, listing.rules),
        "page_links": _page_links(page, listing.query),
        "colours": [
            (c.value, COLOUR_LABELS[c], counts[c.value], canonical_query(request.GET, colour=c))
            for c in selectors.COLOURS
        ],
        "list_target": LIST_TARGET,
    }
    if getattr(request, "htmx", False) and request.htmx.target == LIST_TARGET:  # type: ignore[attr-defined]
        return render(request, "enterprises/_request_results.html", context)
    context["may_manage"] = may_manage(request.user, listing.government.pk)
    return render(request, "enterprises/request_list.html", context)


def _label(name: str) -> str:
    return str(capfirst(getattr(ServiceRequest._meta.get_field(name), "verbose_name", name)))


def export_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("No."), 8, decimals=0),
        xlsx.Column(_label("enterprise"), 28),
        xlsx.Column(_label("category"), 16),
        xlsx.Column(_label("title"), 36),
        xlsx.Column(_label("received_on"), 12),
        xlsx.Column(_label("assigned_unit"), 16),
        xlsx.Column(_("State"), 14),
        xlsx.Column(_("Colour"), 8),
        xlsx.Column(_label("response_due"), 12),
        xlsx.Column(_label("responded_on"), 12),
        xlsx.Column(_label("resolution_due"), 12),
        xlsx.Column(_label("resolved_on"), 12),
        xlsx.Column(_label("satisfaction"), 10, decimals=0),
        xlsx.Column(_("Task"), 12),
    ]


def export_row(row: selectors.Row) -> list[object]:
    r = row.request
    return [
        r.pk,
        r.enterprise.name,
        r.get_category_display(),
        r.title,
        r.received_on,
        r.assigned_unit.name if r.assigned_unit else "",
        row.state.label,
        row.colour.label if row.colour else "",
        r.response_due,
        r.responded_on,
        r.resolution_due,
        services.resolution_date(r),
        r.satisfaction,
        r.task.code if r.task else "",
    ]


EXPORT_CHUNK = 2000


def _export_rows(requests: Any, today: datetime.date, rules: Rules) -> Any:
    """Rows streamed in chunks: one query per chunk."""
    for item in selectors.with_related(requests).iterator(chunk_size=EXPORT_CHUNK):
        yield export_row(selectors.rows_for([item], today, rules)[0])


def request_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an .xlsx file."""
    today = timezone.localdate()
    listing = _listing(request)
    rows = _export_rows(listing.requests(request, today), today, listing.rules)
    sheet = xlsx.Sheet(
        title=_("%(government)s enterprise requests, %(date)s")
        % {"government": listing.government.name, "date": today.isoformat()},
        columns=export_columns(),
        rows=cast("Sequence[Sequence[object]]", rows),
        name=_("Enterprise requests"),
    )
    filename = _("enterprise-requests-%(date)s.xlsx") % {"date": today.isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


# --- one request ------------------------------------------------------------------------------


def page_context(request: HttpRequest, service_request: ServiceRequest) -> dict[str, Any]:
    """What the request's page shows and which steps the user may take."""
    today = timezone.localdate()
    rules = selectors.rules_for(service_request.government_id)
    task = service_request.task
    manager = may_manage(request.user, service_request.government_id)
    state = selectors.state_of(service_request)
    resolved_on = services.resolution_date(service_request)
    resolution = service_request.resolution
    if resolved_on is not None and not resolution and task is not None:
        resolution = services.closing_note(task)
    return {
        "service_request": service_request,
        "task": task,
        "state": state,
        "colour": selectors.colour_of(service_request, today, rules),
        "response_overdue": selectors.response_overdue(service_request, today),
        "resolved_on": resolved_on,
        "resolution": resolution,
        "may_manage": manager,
        "assign_form": AssignForm(government_id=service_request.government_id)
        if manager and task is None
        else None,
        "may_respond": services.may_respond(request.user, service_request)
        and state == selectors.RequestState.AWAITING_RESPONSE,
        "may_resolve": manager
        and task is not None
        and task.state == task.State.COMPLETION_REQUESTED,
        "may_rate": manager and resolved_on is not None,
        "today": today,
    }


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    service_request = get_request_for_view(request, request_id)
    return render(
        request, "enterprises/request_detail.html", page_context(request, service_request)
    )


def request_create(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = get_enterprise_for_request(request, enterprise_id)
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.user,
                enterprise=enterprise,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            request_actions.refuse(form, error)
        else:
            messages.success(
                request,
                _("The request was recorded: respond by %(response)s, resolve by %(resolution)s.")
                % {
                    "response": created.response_due.isoformat(),
                    "resolution": created.resolution_due.isoformat(),
                },
            )
            return redirect("enterprises:request", request_id=created.pk)
    rules = services.rules_of(enterprise.government_id)
    return render(
        request,
        "enterprises/request_create.html",
        {"form": form, "enterprise": enterprise, "rules": rules},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("requests/", request_list, name="requests"),
    path("requests/export.xlsx", request_export, name="requests_export"),
    path("requests/new/<int:enterprise_id>/", request_create, name="request_create"),
    path("requests/<int:request_id>/", request_detail, name="request"),
    path(
        "requests/<int:request_id>/assign/", request_actions.request_assign, name="request_assign"
    ),
    path(
        "requests/<int:request_id>/respond/",
        request_actions.request_respond,
        name="request_respond",
    ),
    path(
        "requests/<int:request_id>/resolve/",
        request_actions.request_resolve,
        name="request_resolve",
    ),
    path(
        "requests/<int:request_id>/return/", request_actions.request_return, name="request_return"
    ),
    path("requests/<int:request_id>/rate/", request_actions.request_rate, name="request_rate"),
    path("requests/stats/", request_stats.stats, name="request_stats"),
    path("requests/stats/export.xlsx", request_stats.stats_export, name="request_stats_export"),
    path("calendar/", holiday_calendar.calendar_page, name="calendar"),
    path("calendar/days/", holiday_calendar.day_save, name="calendar_day_save"),
    path(
        "calendar/days/<int:day_id>/delete/",
        holiday_calendar.day_delete,
        name="calendar_day_delete",
    ),
    path("calendar/import/", holiday_calendar.days_import, name="calendar_import"),
]
