"""Import pages: upload, dry-run preview with progress, column mapping, commit, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Region
from jinwei.indicators.importing import jobs, progress
from jinwei.indicators.importing.forms import MappingForm, UploadForm, describe_role
from jinwei.indicators.importing.layouts import LAYOUTS
from jinwei.indicators.importing.services import (
    import_batch_create,
    import_batch_map,
    importing_governments,
    may_import,
)
from jinwei.indicators.importing.template import template_workbook
from jinwei.indicators.models import ImportBatch, Indicator
from jinwei.indicators.services import may_approve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 1000
RUNNING = (ImportBatch.Status.PENDING, ImportBatch.Status.CHECKING, ImportBatch.Status.COMMITTING)
MAPPABLE = (ImportBatch.Status.PENDING, ImportBatch.Status.CHECKED, ImportBatch.Status.FAILED)


def _governments(request: HttpRequest) -> list[Region]:
    governments = importing_governments(request.user)
    if not governments:
        raise PermissionDenied
    return governments


def _batches(request: HttpRequest, governments: list[Region]) -> QuerySet[ImportBatch]:
    """Approvers see every import of their government; other staff see their own."""
    approving = [g.pk for g in governments if may_approve(request.user, g.pk)]
    return ImportBatch.objects.filter(
        Q(government__in=approving) | Q(government__in=governments, created_by=request.user.pk)
    ).select_related("created_by", "government")


def _get_batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_for_view(
        request, ImportBatch.objects.select_related("government", "created_by"), pk=pk
    )
    mine = batch.created_by_id == request.user.pk
    if not mine and not may_approve(request.user, batch.government_id):
        raise Http404
    if not may_import(request.user, batch.government_id):
        raise Http404
    return batch


def import_list(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    form = UploadForm(request.POST or None, request.FILES or None, governments=governments)
    if request.method == "POST" and form.is_valid():
        batch = import_batch_create(
            actor=request.user,
            government=form.cleaned_data["government"],
            upload=form.cleaned_data["file"],
            layout=form.cleaned_data["layout"],
            period=form.cleaned_data["period"],
        )
        jobs.start(jobs.run_check, batch.pk, request.user.pk)
        return redirect("indicators:import_detail", pk=batch.pk)
    return render(
        request,
        "indicators/import_list.html",
        {
            "form": form,
            "batches": _batches(request, governments)[:50],
            "layouts": LAYOUTS.values(),
        },
    )


def import_template(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    code = request.GET.get("government")
    government = next((g for g in governments if g.code == code), governments[0])
    layout = "wide" if request.GET.get("layout") == "wide" else "long"
    indicators = Indicator.objects.filter(government=government).select_related("owner_unit")
    content = template_workbook(indicators=indicators, layout=layout)
    response = HttpResponse(content, content_type=XLSX)
    name = _("import-template") + f"-{layout}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


def _progress_of(batch: ImportBatch) -> tuple[int, str]:
    if batch.status in RUNNING:
        return progress.live(batch.pk) or (batch.progress, batch.progress_note)
    return batch.progress, batch.progress_note


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    percent, note = _progress_of(batch)
    counts = batch.counts or {}
    errors = counts.get("errors", 0)
    sheets = [
        sheet | {"layout": str(LAYOUTS[sheet["layout"]].label) if sheet["layout"] else ""}
        for sheet in counts.get("sheets", [])
    ]
    indicators: list[Indicator] = []
    if batch.status == ImportBatch.Status.COMMITTED:
        indicators = list(Indicator.objects.filter(observations__batch=batch).distinct())
    return render(
        request,
        "indicators/import_detail.html",
        {
            "batch": batch,
            "running": batch.status in RUNNING,
            "percent": percent,
            "note": note,
            "counts": counts,
            "problems": batch.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(batch.problems) - SHOWN_PROBLEMS)
            + counts.get("problems_omitted", 0),
            "may_commit": batch.status == ImportBatch.Status.CHECKED and not errors,
            "to_save": counts.get("new", 0) + counts.get("changed", 0),
            "needs_mapping": any(p.get("code") in MAPPING_CODES for p in batch.problems),
            "sheets": sheets,
            "indicators": indicators,
        },
    )


MAPPING_CODES = {"unknown_column", "unknown_layout", "missing_column"}


def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second; when the work is done, reload the page."""
    batch = _get_batch(request, pk)
    percent, note = _progress_of(batch)
    running = batch.status in RUNNING
    response = render(
        request,
        "indicators/_import_progress.html",
        {"batch": batch, "running": running, "percent": percent, "note": note},
    )
    if not running and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if batch.status not in MAPPABLE:  # a pending batch may be mapped: its check may have died
        return redirect("indicators:import_detail", pk=batch.pk)
    indicators = list(Indicator.objects.filter(government=batch.government_id).order_by("code"))
    by_code = {i.code: i for i in indicators}
    headers = _headers(batch, by_code)
    current = batch.mapping.get("columns", {})
    initial: dict[str, Any] = {"layout": batch.layout, "period": batch.period}
    initial |= {f"column_{n}": current.get(h, "") for n, (h, _r) in enumerate(headers)}
    form = MappingForm(
        request.POST or None, headers=headers, indicators=indicators, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        batch.period = form.cleaned_data["period"]
        batch.save(update_fields=["period"])
        import_batch_map(
            actor=request.user,
            batch=batch,
            layout=form.cleaned_data["layout"],
            columns=form.mapping(),
        )
        jobs.start(jobs.run_check, batch.pk, request.user.pk)
        return redirect("indicators:import_detail", pk=batch.pk)
    return render(request, "indicators/import_mapping.html", {"batch": batch, "form": form})


def _headers(batch: ImportBatch, indicators: dict[str, Indicator]) -> list[tuple[str, str]]:
    """Each distinct header of the file with what was recognised, in the order of the file."""
    seen: dict[str, str] = {}
    for sheet in (batch.counts or {}).get("sheets", []):
        for column in sheet.get("columns", []):
            if column["header"] not in seen:
                role = "" if column.get("mapped") else column["role"]
                seen[column["header"]] = describe_role(role, indicators)
    return list(seen.items())


@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    ready = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.CHECKED, counts__errors=0
    ).update(status=ImportBatch.Status.COMMITTING, progress=0)
    if not ready:
        message = _("This import cannot be saved: check it first and fix every error.")
        messages.error(request, message)
        return redirect("indicators:import_detail", pk=batch.pk)
    jobs.start(jobs.run_commit, batch.pk, request.user.pk)
    return redirect("indicators:import_detail", pk=batch.pk)
