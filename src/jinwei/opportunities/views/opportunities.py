"""Opportunity pages: the list (with the filter on unlinked items and the Excel export), an
opportunity's page with its items and their linked actions, and the forms that add, edit and
delete opportunities.

Everyone in the government reads them; supervisors and administrators add and change
opportunities; people of another government get a 404. The items and their links have their
own views (`views/items.py`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view
from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import Region
from jinwei.audit.services import StaleVersionError
from jinwei.core.forms import attempt
from jinwei.lib import xlsx
from jinwei.opportunities import exports, selectors, services
from jinwei.opportunities.forms import (
    FilterForm,
    ItemForm,
    OpportunityForm,
    VersionedOpportunityForm,
)
from jinwei.opportunities.models import Opportunity
from jinwei.projects.parks import chosen_government

PAGE_SIZE = 50
LIST_TARGET = "opportunity-results"  # the element the list's htmx requests replace


def opportunity_for_view(request: HttpRequest, opportunity_id: int) -> Opportunity:
    queryset = selectors.opportunity_queryset(viewer=request.user)
    return get_for_view(request, queryset, pk=opportunity_id)


def _opportunity_for_manage(request: HttpRequest, opportunity_id: int) -> Opportunity:
    opportunity = opportunity_for_view(request, opportunity_id)
    if not services.may_manage(request.user, opportunity.government_id):
        raise PermissionDenied
    return opportunity


def _government(request: HttpRequest) -> tuple[Region, list[Region]]:
    return chosen_government(viewer=request.user, code=request.GET.get("government", ""))


# --- the list ----------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[Region, list[Region], FilterForm, Any]:
    government, governments = _government(request)
    form = FilterForm(request.GET)
    opportunities = selectors.opportunity_list(
        viewer=request.user, government=government, only_flagged=form.only_flagged()
    )
    return government, governments, form, opportunities


def opportunity_list(request: HttpRequest) -> HttpResponse:
    government, governments, form, opportunities = _filtered(request)
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query_string = query.urlencode()
    context = {
        "government": government,
        "governments": governments,
        "form": form,
        "page": page,
        "query": query_string,
        "page_prefix": f"?{query_string}&page=" if query_string else "?page=",
        "may_manage": services.may_manage(request.user, government.pk),
        "list_target": LIST_TARGET,
    }
    if getattr(request, "htmx", False) and request.htmx.target == LIST_TARGET:  # type: ignore[attr-defined]
        return render(request, "opportunities/_opportunity_results.html", context)
    return render(request, "opportunities/opportunity_list.html", context)


def opportunity_export(request: HttpRequest) -> HttpResponse:
    government, _governments, _form, opportunities = _filtered(request)
    sheets = exports.workbook_sheets(opportunities, government, timezone.localdate())
    filename = _("opportunities-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx.response(filename=filename, sheets=sheets)


# --- one opportunity ---------------------------------------------------------------------------


def opportunity_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_for_view(request, opportunity_id)
    rows = selectors.opportunity_rows(opportunity=opportunity, today=timezone.localdate())
    may_change = services.may_change(request.user, opportunity)
    context = {
        "opportunity": opportunity,
        "rows": rows,
        "may_manage": services.may_manage(request.user, opportunity.government_id),
        "may_change": may_change,
        "item_form": ItemForm(opportunity=opportunity) if may_change else None,
    }
    return render(request, "opportunities/opportunity_detail.html", context)


def opportunity_create(request: HttpRequest) -> HttpResponse:
    government, _governments = _government(request)
    if not services.may_manage(request.user, government.pk):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, government=government)
    if request.method == "POST" and form.is_valid():
        opportunity = attempt(
            form,
            lambda: services.opportunity_create(actor=request.user, opportunity=form.instance),
        )
        if opportunity is not None:
            messages.success(request, _("The opportunity was added."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    context = {"form": form, "opportunity": None, "government": government}
    return render(request, "opportunities/opportunity_form.html", context)


def opportunity_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity_for_manage(request, opportunity_id)
    form = VersionedOpportunityForm(
        request.POST or None,
        instance=opportunity,
        government=opportunity.government,
        initial={"version": opportunity.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    context = {"form": form, "opportunity": opportunity, "government": opportunity.government}
    return render(request, "opportunities/opportunity_form.html", context)


@require_POST
def opportunity_delete(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity_for_manage(request, opportunity_id)
    form = VersionedFormMixin(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.opportunity_delete(
            actor=request.user, opportunity=opportunity, expected_version=version
        )
    except StaleVersionError as error:
        messages.error(request, error.message)
        return redirect("opportunities:detail", opportunity_id=opportunity.pk)
    messages.success(
        request, _("The opportunity “%(title)s” was deleted.") % {"title": opportunity.title}
    )
    list_url = reverse("opportunities:list")
    return redirect(f"{list_url}?government={opportunity.government.code}")


urlpatterns = [
    path("", opportunity_list, name="list"),
    path("export.xlsx", opportunity_export, name="export"),
    path("new/", opportunity_create, name="create"),
    path("<int:opportunity_id>/", opportunity_detail, name="detail"),
    path("<int:opportunity_id>/edit/", opportunity_edit, name="edit"),
    path("<int:opportunity_id>/delete/", opportunity_delete, name="delete"),
]
