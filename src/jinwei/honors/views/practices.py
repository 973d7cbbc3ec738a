"""Practices pages (经验做法, "恩平经验"): the list with its counts by level and year, its filters
and Excel export; the forms that record, edit and delete a practice. Same rights as honours."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jinwei.accounts.access import can_change, get_for_change
from jinwei.accounts.models import Region
from jinwei.core.forms import attempt
from jinwei.honors import selectors, services
from jinwei.honors.forms import FilterForm, PracticeForm, VersionedPracticeForm
from jinwei.honors.models import Practice
from jinwei.honors.views.common import (
    delete_with_version,
    filter_form,
    government_of,
    list_query,
    wants_results,
)
from jinwei.lib import xlsx

LIST_TARGET = "practice-results"  # the element the list's htmx requests replace


def _practice_for_edit(request: HttpRequest, practice_id: int) -> Practice:
    practices = selectors.practice_queryset(viewer=request.user)
    return get_for_change(request, practices, pk=practice_id)


def _filtered(
    request: HttpRequest,
) -> tuple[Region, list[Region], FilterForm, QuerySet[Practice]]:
    government, governments = government_of(request)
    years = selectors.practice_years(government=government)
    form = filter_form(request, years=years, with_category=False)
    practices = selectors.practice_list(
        viewer=request.user, government=government, filters=form.filters()
    )
    return government, governments, form, practices


def _to_list(practice: Practice) -> str:
    url = reverse("honors:practice_list")
    return f"{url}?government={practice.government.code}#practice-{practice.pk}"


def practice_list(request: HttpRequest) -> HttpResponse:
    government, governments, form, practices = _filtered(request)
    rows = list(practices)
    context = {
        "government": government,
        "governments": governments,
        "form": form,
        "practices": rows,
        "counts": selectors.practice_counts(practices),
        "levels": selectors.LEVELS,
        "changeable": {p.pk for p in rows if can_change(request.user, p)},
        "may_manage": services.may_manage(request.user, government.pk),
        "query": list_query(request),
        "list_target": LIST_TARGET,
    }
    if wants_results(request, LIST_TARGET):
        return render(request, "honors/_practice_results.html", context)
    return render(request, "honors/practice_list.html", context)


def practice_export(request: HttpRequest) -> HttpResponse:
    government, _governments, _form, practices = _filtered(request)
    columns = [
        xlsx.Column(pgettext("practice", "Title"), 36),
        xlsx.Column(_("Level"), 10),
        xlsx.Column(_("Recognised by"), 28),
        xlsx.Column(_("Recognised on"), 12),
        xlsx.Column(_("What was promoted where"), 30),
        xlsx.Column(_("Responsible unit"), 18),
        xlsx.Column(_("Description"), 48),
        xlsx.Column(_("Source"), 30),
        xlsx.Column(_("Illustrative"), 8),
    ]

    def row(practice: Practice) -> list[Any]:
        return [
            practice.title,
            practice.get_level_display(),
            practice.recognised_by,
            practice.recognised_on,
            practice.promotion,
            practice.unit.name if practice.unit else "",
            practice.description,
            practice.source,
            _("Yes") if practice.is_illustrative else _("No"),
        ]

    sheet = xlsx.Sheet(
        title=_("Practices of %(government)s") % {"government": government.name},
        name=_("Practices"),
        columns=columns,
        rows=(row(p) for p in practices.iterator(chunk_size=2000)),
    )
    filename = _("practices-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


def practice_create(request: HttpRequest) -> HttpResponse:
    government, _governments = government_of(request)
    if not services.may_manage(request.user, government.pk):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, viewer=request.user, government=government)
    if request.method == "POST" and form.is_valid():
        practice = attempt(
            form,
            lambda: services.practice_create(actor=request.user, practice=form.instance),
        )
        if practice is not None:
            messages.success(request, _("The practice was recorded."))
            return redirect(_to_list(practice))
    context = {"form": form, "practice": None, "government": government}
    return render(request, "honors/practice_form.html", context)


def practice_edit(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = _practice_for_edit(request, practice_id)
    form = VersionedPracticeForm(
        request.POST or None,
        instance=practice,
        viewer=request.user,
        government=practice.government,
        initial={"version": practice.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.practice_update(
                actor=request.user,
                practice=practice,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_to_list(saved))
    context = {"form": form, "practice": practice, "government": practice.government}
    return render(request, "honors/practice_form.html", context)


@require_POST
def practice_delete(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = _practice_for_edit(request, practice_id)
    deleted = delete_with_version(
        request,
        lambda version: services.practice_delete(
            actor=request.user, practice=practice, expected_version=version
        ),
        done=_("The practice “%(title)s” was deleted.") % {"title": practice.title},
    )
    if deleted:
        url = reverse("honors:practice_list")
        return redirect(f"{url}?government={practice.government.code}")
    return redirect("honors:practice_edit", practice_id=practice.pk)


urlpatterns = [
    path("", practice_list, name="practice_list"),
    path("export.xlsx", practice_export, name="practice_export"),
    path("new/", practice_create, name="practice_create"),
    path("<int:practice_id>/edit/", practice_edit, name="practice_edit"),
    path("<int:practice_id>/delete/", practice_delete, name="practice_delete"),
]
