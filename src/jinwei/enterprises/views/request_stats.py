"""Statistics of enterprise requests by unit and by category, and their Excel export. Everyone in
the government reads them (the business environment is measured in the open)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.enterprises.request_forms import StatsForm, chosen_government
from jinwei.enterprises.request_selectors import list_governments
from jinwei.enterprises.request_stats import Figures, RequestStatistics, request_statistics
from jinwei.lib import xlsx


def _statistics(request: HttpRequest) -> tuple[StatsForm, RequestStatistics]:
    governments = list_governments(request.user)
    if not governments:
        raise PermissionDenied
    today = timezone.localdate()
    form = StatsForm(request.GET, governments=governments, today=today)
    government = chosen_government(request.GET, governments)
    start, end = form.period()
    figures = request_statistics(
        viewer=request.user, government=government, start=start, end=end, today=today
    )
    return form, figures


def stats(request: HttpRequest) -> HttpResponse:
    form, figures = _statistics(request)
    return render(
        request,
        "enterprises/request_stats.html",
        {"form": form, "stats": figures, "query": request.GET.urlencode()},
    )


def _columns(first: str) -> list[xlsx.Column]:
    return [
        xlsx.Column(first, 24),
        xlsx.Column(_("Requests"), 10, decimals=0),
        xlsx.Column(_("Answered"), 10, decimals=0),
        xlsx.Column(_("Mean response time (working days)"), 14, decimals=1),
        xlsx.Column(_("Median response time (working days)"), 14, decimals=1),
        xlsx.Column(_("Answered on time (%)"), 12, decimals=1),
        xlsx.Column(_("Resolved"), 10, decimals=0),
        xlsx.Column(_("Mean resolution time (working days)"), 14, decimals=1),
        xlsx.Column(_("Median resolution time (working days)"), 14, decimals=1),
        xlsx.Column(_("Resolved on time (%)"), 12, decimals=1),
        xlsx.Column(_("Rated"), 10, decimals=0),
        xlsx.Column(_("Mean satisfaction (1–5)"), 12, decimals=2),
    ]


def _row(f: Figures) -> list[object]:
    return [
        f.label,
        f.count,
        f.responded,
        f.response_mean,
        f.response_median,
        f.response_on_time,
        f.resolved,
        f.resolution_mean,
        f.resolution_median,
        f.resolution_on_time,
        f.rated,
        f.satisfaction_mean,
    ]


def stats_export(request: HttpRequest) -> HttpResponse:
    _form, figures = _statistics(request)
    period = {
        "government": figures.government.name,
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
    }
    sheets = [
        xlsx.Sheet(
            title=_("%(government)s enterprise requests by unit, received %(start)s to %(end)s")
            % period,
            columns=_columns(_("Unit")),
            rows=[_row(f) for f in [*figures.by_unit, figures.total]],
            name=_("By unit"),
        ),
        xlsx.Sheet(
            title=_("%(government)s enterprise requests by category, received %(start)s to %(end)s")
            % period,
            columns=_columns(_("Category")),
            rows=[_row(f) for f in [*figures.by_category, figures.total]],
            name=_("By category"),
        ),
    ]
    filename = _("enterprise-request-statistics-%(start)s-%(end)s.xlsx") % period
    return xlsx.response(filename=filename, sheets=sheets)
