"""Enterprise registry pages: the list (filters, pages, Excel export), an enterprise's page with its
chain of service managers and its requests, and the forms that register and edit enterprises and
set their managers.

Everyone in the government reads the registry; contact details are shown to investment staff,
supervisors and leaders only; investment staff and the supervising office register and edit;
people of another government get a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Region
from jinwei.core.forms import attempt
from jinwei.enterprises import registry
from jinwei.enterprises.models import Enterprise
from jinwei.enterprises.registry_forms import (
    EnterpriseFilterForm,
    EnterpriseForm,
    ManagerFormSet,
    VersionedEnterpriseForm,
)
from jinwei.enterprises.request_selectors import enterprise_requests
from jinwei.lib import xlsx
from jinwei.projects import access
from jinwei.projects.parks import chosen_government

LIST_TARGET = "enterprise-results"  # the element the list's htmx requests replace
REQUESTS_SHOWN = 20


def _enterprise_for_view(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return get_for_view(
        request, registry.enterprise_queryset(viewer=request.user), pk=enterprise_id
    )


def _enterprise_for_edit(request: HttpRequest, enterprise_id: int) -> Enterprise:
    enterprise = _enterprise_for_view(request, enterprise_id)
    if not access.may_manage(request.user, enterprise.government_id):
        raise PermissionDenied
    return enterprise


def _government(request: HttpRequest) -> tuple[Region, list[Region]]:
    return chosen_government(viewer=request.user, code=request.GET.get("government", ""))


# --- the list ----------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[Region, list[Region], EnterpriseFilterForm, Any]:
    government, governments = _government(request)
    form = EnterpriseFilterForm(request.GET, government=government)
    enterprises = registry.enterprise_list(
        viewer=request.user, government=government, filters=form.filters()
    )
    return government, governments, form, enterprises


def _query(request: HttpRequest) -> str:
    """The list's query string without the page number (for the page links and the export)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def enterprise_list(request: HttpRequest) -> HttpResponse:
    government, governments, form, enterprises = _filtered(request)
    page = Paginator(enterprises, registry.PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query(request)
    context = {
        "government": government,
        "governments": governments,
        "form": form,
        "page": page,
        "query": query,
        "page_prefix": f"?{query}&page=" if query else "?page=",
        "may_see_contacts": access.may_see_contacts(request.user, government.pk),
        "may_manage": access.may_manage(request.user, government.pk),
        "list_target": LIST_TARGET,
    }
    if getattr(request, "htmx", False) and request.htmx.target == LIST_TARGET:  # type: ignore[attr-defined]
        return render(request, "enterprises/_enterprise_results.html", context)
    return render(request, "enterprises/enterprise_list.html", context)


def enterprise_export(request: HttpRequest) -> HttpResponse:
    government, _governments, _form, enterprises = _filtered(request)
    contacts = access.may_see_contacts(request.user, government.pk)
    columns = [
        xlsx.Column(_("Name"), 30),
        xlsx.Column(_("Unified social credit code"), 22),
        xlsx.Column(_("Industry chain"), 16),
        xlsx.Column(_("Chain link"), 18),
        xlsx.Column(_("Park"), 20),
        xlsx.Column(_("Town"), 12),
        xlsx.Column(_("Size"), 8),
        xlsx.Column(_("Above designated size"), 10),
        xlsx.Column(_("Industry"), 16),
        xlsx.Column(_("Service manager No. 1"), 14),
    ]
    if contacts:
        columns += [xlsx.Column(_("Contact"), 12), xlsx.Column(_("Phone"), 16)]

    def row(enterprise: Enterprise) -> list[Any]:
        link = enterprise.chain_link
        first = enterprise.first_managers[0].user if enterprise.first_managers else None  # type: ignore[attr-defined]
        cells: list[Any] = [
            enterprise.name,
            enterprise.credit_code,
            link.chain.name if link else "",
            link.name if link else "",
            enterprise.park.name if enterprise.park else "",
            enterprise.town.name if enterprise.town else "",
            enterprise.get_size_display(),
            _("Yes") if enterprise.is_above_scale else _("No"),
            enterprise.industry,
            str(first) if first else "",
        ]
        if contacts:
            cells += [enterprise.contact_name, enterprise.contact_phone]
        return cells

    sheet = xlsx.Sheet(
        title=_("Enterprises of %(government)s") % {"government": government.name},
        name=_("Enterprises"),
        columns=columns,
        rows=(row(e) for e in enterprises.iterator(chunk_size=2000)),
    )
    filename = _("enterprises-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


# --- one enterprise ------------------------------------------------------------------------------


def _requests_of(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's latest requests, for the requests part of its page."""
    rows, total = enterprise_requests(
        viewer=request.user,
        enterprise=enterprise,
        today=timezone.localdate(),
        limit=REQUESTS_SHOWN,
    )
    return {"request_rows": rows, "request_total": total}


def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise_for_view(request, enterprise_id)
    page = registry.enterprise_page(viewer=request.user, enterprise=enterprise)
    context = {
        "enterprise": enterprise,
        "page": page,
        "may_manage": page.may_manage,
        "may_see_contacts": page.may_see_contacts,
        **_requests_of(request, enterprise),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def enterprise_create(request: HttpRequest) -> HttpResponse:
    government, _governments = _government(request)
    if not access.may_manage(request.user, government.pk):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, government=government)
    if request.method == "POST" and form.is_valid():
        enterprise = attempt(
            form,
            lambda: registry.enterprise_create(actor=request.user, enterprise=form.instance),
        )
        if enterprise is not None:
            messages.success(request, _("The enterprise was registered."))
            return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "enterprise": None, "government": government},
    )


def enterprise_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise_for_edit(request, enterprise_id)
    form = VersionedEnterpriseForm(
        request.POST or None,
        instance=enterprise,
        government=enterprise.government,
        initial={"version": enterprise.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: registry.enterprise_update(
                actor=request.user,
                enterprise=enterprise,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {"form": form, "enterprise": enterprise, "government": enterprise.government},
    )


def enterprise_managers(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _enterprise_for_edit(request, enterprise_id)
    candidates = registry.manager_candidates(government_id=enterprise.government_id)
    initial = [{"user": row.user.pk, "duty": row.duty} for row in registry.manager_rows(enterprise)]
    formset = ManagerFormSet(
        request.POST or None, initial=initial, candidates=candidates, prefix="managers"
    )
    refusals: list[str] = []
    if request.method == "POST" and formset.is_valid():
        user_ids, duties = formset.chain()
        try:
            registry.managers_set(
                actor=request.user, enterprise=enterprise, user_ids=user_ids, duties=duties
            )
        except ValidationError as error:
            refusals = error.messages
        else:
            messages.success(request, _("The chain of service managers was saved."))
            return redirect("enterprises:detail", enterprise_id=enterprise.pk)
    return render(
        request,
        "enterprises/enterprise_managers.html",
        {"enterprise": enterprise, "formset": formset, "refusals": refusals},
    )


urlpatterns = [
    path("", enterprise_list, name="list"),
    path("export.xlsx", enterprise_export, name="export"),
    path("new/", enterprise_create, name="create"),
    path("<int:enterprise_id>/", enterprise_detail, name="detail"),
    path("<int:enterprise_id>/edit/", enterprise_edit, name="edit"),
    path("<int:enterprise_id>/managers/", enterprise_managers, name="managers"),
]
