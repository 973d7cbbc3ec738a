"""Briefing pages: choose the period and have the briefing written (in the background, with a
progress bar), then download the Word file and the PDF; the government's recent briefings.

Leaders, supervisors, administrators and statisticians have briefings written; everyone in the
government sees and downloads them; people of another government get a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.lib.periods import last_month
from jinwei.reports import jobs, selectors
from jinwei.reports.briefing_forms import BriefingForm
from jinwei.reports.models import Briefing
from jinwei.reports.services import briefing_start, may_generate

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _government(request: HttpRequest, code: str) -> tuple[Region, list[Region]]:
    """The government asked for by its code, else the viewer's first; 404 for one the viewer
    does not work for (or when they work for none)."""
    governments = list(governments_for(request.user).order_by("code"))
    chosen = next((g for g in governments if g.code == code), None) if code else None
    if chosen is None and (code or not governments):
        raise Http404
    return chosen or governments[0], governments


def _briefing(request: HttpRequest, pk: int) -> Briefing:
    return get_for_view(request, selectors.briefing_queryset(viewer=request.user), pk=pk)


def _home(request: HttpRequest, government: Region, governments: list[Region], form: Any) -> Any:
    context = {
        "government": government,
        "governments": governments,
        "form": form,
        "may_generate": may_generate(request.user, government.pk),
        "briefings": selectors.briefing_list(viewer=request.user, government=government),
    }
    return render(request, "reports/briefing_home.html", context)


def briefing_home(request: HttpRequest) -> HttpResponse:
    government, governments = _government(request, request.GET.get("government", ""))
    form = BriefingForm(initial={"period": str(last_month(timezone.localdate()))})
    return _home(request, government, governments, form)


@require_POST
def briefing_create(request: HttpRequest) -> HttpResponse:
    government, governments = _government(request, request.POST.get("government", ""))
    if not may_generate(request.user, government.pk):
        raise PermissionDenied
    form = BriefingForm(request.POST)
    if not form.is_valid():
        return _home(request, government, governments, form)
    briefing, created = briefing_start(
        actor=request.user, government=government, period=form.cleaned_data["period"]
    )
    if created:
        jobs.start(briefing.pk)
    return redirect("reports:detail", pk=briefing.pk)


def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = _briefing(request, pk)
    context = {
        "briefing": briefing,
        "running": briefing.status == Briefing.Status.RUNNING,
        "docx": selectors.briefing_file(briefing, "docx") is not None,
        "pdf": selectors.briefing_file(briefing, "pdf") is not None,
        "may_generate": may_generate(request.user, briefing.government_id),
    }
    return render(request, "reports/briefing_detail.html", context)


def briefing_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx every second; when the work ends, reload the page."""
    briefing = _briefing(request, pk)
    running = briefing.status == Briefing.Status.RUNNING
    response = render(
        request, "reports/_briefing_progress.html", {"briefing": briefing, "running": running}
    )
    if not running and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


def _download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    briefing = _briefing(request, pk)
    stored = selectors.briefing_file(briefing, kind)
    if stored is None:
        raise Http404
    name = _("%(government)s briefing %(period)s") % {
        "government": briefing.government.name,
        "period": briefing.period,
    }
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{name}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )


def briefing_docx(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "docx")


def briefing_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "pdf")


urlpatterns = [
    path("", briefing_home, name="home"),
    path("briefings/new/", briefing_create, name="create"),
    path("briefings/<int:pk>/", briefing_detail, name="detail"),
    path("briefings/<int:pk>/progress/", briefing_progress, name="progress"),
    path("briefings/<int:pk>/docx/", briefing_docx, name="docx"),
    path("briefings/<int:pk>/pdf/", briefing_pdf, name="pdf"),
]
