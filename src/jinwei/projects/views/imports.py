"""Excel import of projects and monthly investment reports: upload, dry-run review with a
progress bar, commit, and the template.

Managers (investment staff, the supervising office) import both; a unit's staff import monthly
reports on the projects their unit leads; leaders and viewers get 403, other governments 404.
The review page takes the commit POST and answers htmx's progress polls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Region
from jinwei.lib import xlsx
from jinwei.projects import access
from jinwei.projects.importing import columns, uploads
from jinwei.projects.importing.check import may_import_projects, may_import_reports
from jinwei.projects.importing.template import template_sheets
from jinwei.projects.importing.uploads import ProjectUpload, Status
from jinwei.tasks.views.ledger import LedgerUploadForm

SHOWN_PROBLEMS = 1000


def importing_governments(user: Any) -> list[Region]:
    """The governments the user may import monthly reports (at least) into."""
    grants = grants_for(user)
    regions = Region.objects.filter(units__isnull=False).distinct().order_by("code")
    if not grants.is_superuser:
        regions = regions.filter(pk__in=grants.government_ids)
    return [r for r in regions if may_import_reports(user, r.pk)]


def _governments(request: HttpRequest) -> list[Region]:
    governments = importing_governments(request.user)
    if not governments:
        raise PermissionDenied
    return governments


def get_upload_for_import(request: HttpRequest, batch_id: int) -> ProjectUpload:
    """404 outside the user's governments; 403 for those who may not import, or who did not
    upload it and do not manage the government's projects."""
    state = ProjectUpload.find(batch_id)
    grants = grants_for(request.user)
    if state is None:
        raise Http404
    if not grants.is_superuser and state.government_id not in grants.government_ids:
        raise Http404
    if not may_import_reports(request.user, state.government_id):
        raise PermissionDenied
    if not uploads.may_see_upload(request.user, state):
        raise PermissionDenied
    return state


def import_upload(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, governments=governments)
    if request.method == "POST" and form.is_valid():
        state = uploads.project_upload_create(
            actor=request.user,
            government=form.cleaned_data["government"],
            upload=form.cleaned_data["file"],
        )
        uploads.start(uploads.run_check, state, request.user)
        return redirect("projects:import_review", batch_id=state.id)
    return render(
        request,
        "projects/import.html",
        {
            "form": form,
            "uploads": uploads.recent_uploads(request.user, governments),
            "governments": governments,
            "may_import_projects": any(
                may_import_projects(request.user, g.pk) for g in governments
            ),
            "project_headers": [*columns.PROJECT_HEADERS.values(), columns.plan_header(2025)],
            "report_headers": list(columns.REPORT_HEADERS.values()),
        },
    )


def import_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    state = get_upload_for_import(request, batch_id)
    if request.method == "POST":
        _commit(request, state)
        return redirect("projects:import_review", batch_id=state.id)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "projects/_import_progress.html", {"upload": state})
        if not state.running:
            response["HX-Refresh"] = "true"
        return response
    counts = state.counts
    return render(
        request,
        "projects/import_review.html",
        {
            "upload": state,
            "government": Region.objects.filter(pk=state.government_id).first(),
            "counts": counts,
            "problems": state.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(state.problems) - SHOWN_PROBLEMS)
            + counts.get("problems_omitted", 0),
            "may_commit": _may_commit(state),
        },
    )


def _may_commit(state: ProjectUpload) -> bool:
    counts = state.counts
    return state.status == Status.CHECKED and not counts.get("errors") and bool(counts.get("rows"))


def _commit(request: HttpRequest, state: ProjectUpload) -> None:
    if request.POST.get("action") != "commit" or not _may_commit(state):
        messages.error(
            request, _("This file cannot be saved: fix every error and upload it again.")
        )
        return
    if not uploads.claim_commit(state):
        messages.info(request, _("This file is already being saved."))
        return
    state.status, state.progress, state.note = Status.COMMITTING, 0, _("Waiting")
    state.save()
    uploads.start(uploads.run_commit, state, request.user)


def import_template(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    code = request.GET.get("government")
    government = next((g for g in governments if g.code == code), governments[0])
    grants = grants_for(request.user)
    units = [u for u, roles in grants.roles_by_unit.items() if roles - access.ACTING_EXCLUDED]
    sheets = template_sheets(
        government,
        timezone.localdate(),
        projects=may_import_projects(request.user, government.pk),
        unit_ids=units,
    )
    return xlsx.response(filename=_("projects-import-template") + ".xlsx", sheets=sheets)


urlpatterns: list[URLPattern] = [
    path("import/", import_upload, name="import"),
    path("import/<int:batch_id>/", import_review, name="import_review"),
    path("import/template.xlsx", import_template, name="import_template"),
]
