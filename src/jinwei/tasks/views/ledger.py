"""Ledger (台账) import pages: upload, dry-run review with progress, commit, assign all, template.

Only the supervising office imports (it is who creates and assigns tasks); anyone else gets 403.
The review page takes its POSTs too (commit, assign all) and answers htmx's progress polls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jinwei.accounts.access import grants_for
from jinwei.accounts.models import Region
from jinwei.indicators.importing.forms import UploadForm
from jinwei.lib import xlsx
from jinwei.tasks import ledger, ledger_uploads
from jinwei.tasks.ledger_cells import HEADERS, REQUIRED
from jinwei.tasks.ledger_template import template_sheets
from jinwei.tasks.ledger_uploads import LedgerUpload, Status
from jinwei.tasks.models import Task
from jinwei.tasks.services import TaskActionRefused

SHOWN_PROBLEMS = 1000


class LedgerUploadForm(UploadForm):
    """The indicator import's upload form (file type and size, government) without its layout
    and period, which a ledger does not have."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["layout"], self.fields["period"]


def importing_governments(user: Any) -> list[Region]:
    grants = grants_for(user)
    regions = Region.objects.filter(units__isnull=False).distinct().order_by("code")
    if not grants.is_superuser:
        regions = regions.filter(pk__in=grants.government_ids)
    return [r for r in regions if ledger.may_import(user, r.pk)]


def _governments(request: HttpRequest) -> list[Region]:
    governments = importing_governments(request.user)
    if not governments:
        raise PermissionDenied
    return governments


def _get_upload(request: HttpRequest, batch_id: int) -> LedgerUpload:
    """404 outside the user's governments, 403 for those who may not import."""
    state = LedgerUpload.find(batch_id)
    grants = grants_for(request.user)
    if state is None:
        raise Http404
    if not grants.is_superuser and state.government_id not in grants.government_ids:
        raise Http404
    if not ledger.may_import(request.user, state.government_id):
        raise PermissionDenied
    return state


def import_upload(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, governments=governments)
    if request.method == "POST" and form.is_valid():
        state = ledger_uploads.ledger_upload_create(
            actor=request.user,
            government=form.cleaned_data["government"],
            upload=form.cleaned_data["file"],
        )
        ledger_uploads.start(ledger_uploads.run_check, state, request.user)
        return redirect("tasks:ledger_review", batch_id=state.id)
    return render(
        request,
        "tasks/ledger_upload.html",
        {
            "form": form,
            "uploads": ledger_uploads.recent_uploads([g.pk for g in governments]),
            "headers": list(HEADERS.values()),
            "required": [HEADERS[name] for name in REQUIRED],
            "governments": governments,
        },
    )


def import_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    state = _get_upload(request, batch_id)
    if request.method == "POST":
        _act(request, state)
        return redirect("tasks:ledger_review", batch_id=state.id)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "tasks/_ledger_progress.html", {"upload": state})
        if not state.running:
            response["HX-Refresh"] = "true"
        return response
    tasks = Task.objects.filter(pk__in=state.task_ids).select_related("lead_unit")
    counts = state.counts
    return render(
        request,
        "tasks/ledger_review.html",
        {
            "upload": state,
            "government": Region.objects.filter(pk=state.government_id).first(),
            "counts": counts,
            "problems": state.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(state.problems) - SHOWN_PROBLEMS)
            + counts.get("problems_omitted", 0),
            "may_commit": state.status == Status.CHECKED
            and not counts.get("errors")
            and bool(counts.get("rows")),
            "tasks": list(tasks) if state.status == Status.COMMITTED else [],
            "drafts": tasks.filter(state=Task.State.DRAFT).count()
            if state.status == Status.COMMITTED
            else 0,
        },
    )


def _act(request: HttpRequest, state: LedgerUpload) -> None:
    action = request.POST.get("action")
    if action == "commit":
        _commit(request, state)
    elif action == "assign" and state.status == Status.COMMITTED:
        try:
            count = ledger_uploads.ledger_upload_assign(actor=request.user, state=state)
        except TaskActionRefused as refused:
            messages.error(request, refused.message)
            return
        messages.success(
            request,
            ngettext("%(count)s task assigned.", "%(count)s tasks assigned.", count)
            % {"count": count},
        )
    else:
        messages.error(request, _("This import cannot do that now."))


def _commit(request: HttpRequest, state: LedgerUpload) -> None:
    if state.status != Status.CHECKED or state.counts.get("errors") or not state.rows:
        message = _("This ledger cannot be saved: fix every error and upload it again.")
        messages.error(request, message)
        return
    if not ledger_uploads.claim_commit(state):
        messages.info(request, _("This ledger is already being saved."))
        return
    state.assign = request.POST.get("assign") == "1"
    state.status, state.progress, state.note = Status.COMMITTING, 0, _("Waiting")
    state.save()
    ledger_uploads.start(ledger_uploads.run_commit, state, request.user)


def import_template(request: HttpRequest) -> HttpResponse:
    governments = _governments(request)
    code = request.GET.get("government")
    government = next((g for g in governments if g.code == code), governments[0])
    return xlsx.response(
        filename=_("task-ledger-template") + ".xlsx",
        sheets=template_sheets(government, timezone.localdate()),
    )
