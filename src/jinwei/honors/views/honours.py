"""Honours pages: the roll of honour (光荣榜) with its counts by level and year, its filters and
Excel export; the forms that record, edit and delete an honour; the evidence download.

Everyone in the government reads the roll; the responsible unit's staff edit their unit's
honours; the supervising office records new ones and edits all; people of another government
get a 404, for the evidence file too (it is never served from a public URL).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jinwei.accounts.access import can_change, get_for_change, get_for_view
from jinwei.accounts.models import Region
from jinwei.core.forms import attempt
from jinwei.honors import selectors, services
from jinwei.honors.forms import FilterForm, HonourForm, VersionedHonourForm
from jinwei.honors.models import Honour
from jinwei.honors.views.common import (
    delete_with_version,
    filter_form,
    government_of,
    list_query,
    wants_results,
)
from jinwei.lib import xlsx

LIST_TARGET = "honour-results"  # the element the list's htmx requests replace


def _honour_for_view(request: HttpRequest, honour_id: int) -> Honour:
    return get_for_view(request, selectors.honour_queryset(viewer=request.user), pk=honour_id)


def _honour_for_edit(request: HttpRequest, honour_id: int) -> Honour:
    return get_for_change(request, selectors.honour_queryset(viewer=request.user), pk=honour_id)


def _filtered(request: HttpRequest) -> tuple[Region, list[Region], FilterForm, QuerySet[Honour]]:
    government, governments = government_of(request)
    years = selectors.honour_years(government=government)
    form = filter_form(request, years=years, with_category=True)
    honours = selectors.honour_list(
        viewer=request.user, government=government, filters=form.filters()
    )
    return government, governments, form, honours


def _to_list(honour: Honour) -> str:
    url = reverse("honors:list")
    return f"{url}?government={honour.government.code}#honour-{honour.pk}"


# --- the roll of honour --------------------------------------------------------------------------


def honour_list(request: HttpRequest) -> HttpResponse:
    government, governments, form, honours = _filtered(request)
    rows = list(honours)
    context = {
        "government": government,
        "governments": governments,
        "form": form,
        "roll": selectors.roll_of_honour(rows),
        "count": len(rows),
        "counts": selectors.honour_counts(honours),
        "levels": selectors.LEVELS,
        "changeable": {h.pk for h in rows if can_change(request.user, h)},
        "may_manage": services.may_manage(request.user, government.pk),
        "query": list_query(request),
        "list_target": LIST_TARGET,
    }
    if wants_results(request, LIST_TARGET):
        return render(request, "honors/_honour_results.html", context)
    return render(request, "honors/honour_list.html", context)


def honour_export(request: HttpRequest) -> HttpResponse:
    government, _governments, _form, honours = _filtered(request)
    columns = [
        xlsx.Column(_("Year"), 8),
        xlsx.Column(_("Level"), 10),
        xlsx.Column(pgettext("honour", "Title"), 36),
        xlsx.Column(_("Issuing body"), 28),
        xlsx.Column(_("Category"), 14),
        xlsx.Column(_("Responsible unit"), 18),
        xlsx.Column(_("Awarded on"), 12),
        xlsx.Column(_("Description"), 40),
        xlsx.Column(_("Source"), 30),
        xlsx.Column(_("Illustrative"), 8),
        xlsx.Column(_("Evidence file"), 24),
    ]

    def row(honour: Honour) -> list[Any]:
        return [
            honour.year,
            honour.get_level_display(),
            honour.title,
            honour.issuer,
            honour.get_category_display(),
            honour.unit.name if honour.unit else "",
            honour.awarded_on,
            honour.description,
            honour.source,
            _("Yes") if honour.is_illustrative else _("No"),
            honour.evidence_name,
        ]

    sheet = xlsx.Sheet(
        title=_("Honours of %(government)s") % {"government": government.name},
        name=_("Honours"),
        columns=columns,
        rows=(row(h) for h in honours.iterator(chunk_size=2000)),
    )
    filename = _("honours-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


# --- one honour ----------------------------------------------------------------------------------


def honour_create(request: HttpRequest) -> HttpResponse:
    government, _governments = government_of(request)
    if not services.may_manage(request.user, government.pk):
        raise PermissionDenied
    form = HonourForm(
        request.POST or None, request.FILES or None, viewer=request.user, government=government
    )
    if request.method == "POST" and form.is_valid():
        honour = attempt(
            form,
            lambda: services.honour_create(
                actor=request.user,
                honour=form.instance,
                evidence=form.cleaned_data.get("evidence_file"),
            ),
        )
        if honour is not None:
            messages.success(request, _("The honour was recorded."))
            return redirect(_to_list(honour))
    context = {"form": form, "honour": None, "government": government}
    return render(request, "honors/honour_form.html", context)


def honour_edit(request: HttpRequest, honour_id: int) -> HttpResponse:
    honour = _honour_for_edit(request, honour_id)
    form = VersionedHonourForm(
        request.POST or None,
        request.FILES or None,
        instance=honour,
        viewer=request.user,
        government=honour.government,
        initial={"version": honour.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.honour_update(
                actor=request.user,
                honour=honour,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
                evidence=form.cleaned_data.get("evidence_file"),
                remove_evidence=form.cleaned_data.get("remove_evidence", False),
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_to_list(saved))
    context = {"form": form, "honour": honour, "government": honour.government}
    return render(request, "honors/honour_form.html", context)


@require_POST
def honour_delete(request: HttpRequest, honour_id: int) -> HttpResponse:
    honour = _honour_for_edit(request, honour_id)
    deleted = delete_with_version(
        request,
        lambda version: services.honour_delete(
            actor=request.user, honour=honour, expected_version=version
        ),
        done=_("The honour “%(title)s” was deleted.") % {"title": honour.title},
    )
    if deleted:
        return redirect(f"{reverse('honors:list')}?government={honour.government.code}")
    return redirect("honors:edit", honour_id=honour.pk)


def honour_evidence(request: HttpRequest, honour_id: int) -> FileResponse:
    """The evidence file under its original name, for those who may see the honour only."""
    honour = _honour_for_view(request, honour_id)
    if not honour.evidence:
        raise Http404
    try:
        handle = honour.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = honour.evidence_name or PurePath(honour.evidence.name).name
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", honour_list, name="list"),
    path("export.xlsx", honour_export, name="export"),
    path("new/", honour_create, name="create"),
    path("<int:honour_id>/edit/", honour_edit, name="edit"),
    path("<int:honour_id>/delete/", honour_delete, name="delete"),
    path("<int:honour_id>/evidence/", honour_evidence, name="evidence"),
]
