"""Where a region stands (形势): headline indicators, what is behind, milestones, their timeline."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.core.templatetags.jinwei import history_url
from jinwei.indicators import selectors
from jinwei.indicators.selectors import IndicatorStanding, MilestoneEntry, Situation
from jinwei.indicators.tables import Link, Table
from jinwei.indicators.views.catalogue import (
    colour_label,
    half_year_text,
    illustrative_label,
)
from jinwei.lib import xlsx
from jinwei.lib.xlsx import Column, Number


def _indicator_link(standing: IndicatorStanding, region: Region) -> Link:
    url = reverse("indicators:indicator_detail", args=[standing.indicator.pk])
    return Link(standing.indicator.name, f"{url}?region={region.code}")


def headline_table(situation: Situation) -> Table:
    table = Table(
        _("Headline indicators · %(region)s") % {"region": situation.region.name},
        [
            Column(_("Indicator"), 24),
            Column(_("Period"), 12),
            Column(_("Value"), 12),
            Column(_("Unit of measure"), 8),
            Column(_("YoY computed (%)"), 10, decimals=1),
            Column(_("Growth rate as reported (%)"), 10, decimals=2),
            Column(_("Target"), 12),
            Column(_("Time progress (%)"), 10, decimals=1),
            Column(_("Completion (%)"), 10, decimals=1),
            Column(_("Points behind"), 10, decimals=1),
            Column(_("Status"), 8),
            Column(_("Half the year, half the task"), 16),
            Column(_("Data note"), 12),
        ],
        name=_("Headline"),
    )
    for standing in situation.headline:
        indicator, latest, status = standing.indicator, standing.latest, standing.status
        progress = status.progress if status else None
        target_places = 2 if status and status.by_growth else indicator.decimals
        table.add(
            [
                _indicator_link(standing, situation.region),
                selectors.period_label(latest.period) if latest else "",
                Number(latest.value if latest else None, indicator.decimals),
                indicator.unit,
                latest.yoy if latest else None,
                latest.growth_rate if latest else None,
                Number(progress.target_level if progress else None, target_places),
                progress.time_progress if progress else None,
                progress.completion if progress else None,
                progress.points_behind if progress else None,
                colour_label(status.colour if status else ""),
                half_year_text(status) if status else "",
                illustrative_label(bool(latest and latest.is_illustrative)),
            ],
            [Link(_("History"), history_url(indicator))],
        )
    return table


def behind_table(situation: Situation) -> Table:
    table = Table(
        _("Behind time progress · %(region)s") % {"region": situation.region.name},
        [
            Column(_("Indicator"), 24),
            Column(_("Period"), 12),
            Column(_("Points behind"), 10, decimals=1),
            Column(_("Completion (%)"), 10, decimals=1),
            Column(_("Time progress (%)"), 10, decimals=1),
            Column(_("Shortfall"), 12),
            Column(_("Unit of measure"), 8),
            Column(_("Status"), 8),
        ],
        name=_("Behind"),
    )
    for standing in situation.behind:
        status = standing.status
        if status is None:
            continue
        places = 2 if status.by_growth else standing.indicator.decimals
        table.add(
            [
                _indicator_link(standing, situation.region),
                selectors.period_label(status.period),
                status.progress.points_behind,
                status.progress.completion,
                status.progress.time_progress,
                Number(status.progress.shortfall, places),
                status.unit,
                colour_label(status.colour),
            ]
        )
    return table


def milestones_table(region: Region, milestones: list[MilestoneEntry]) -> Table:
    table = Table(
        _("Milestones · %(region)s") % {"region": region.name},
        [
            Column(_("Period"), 12),
            Column(_("Indicator"), 24),
            Column(_("Milestone"), 24),
            Column(_("Value"), 12),
            Column(_("Unit of measure"), 8),
            Column(_("Data note"), 12),
        ],
        name=_("Milestones"),
    )
    for entry in milestones:
        url = reverse("indicators:indicator_detail", args=[entry.indicator.pk])
        table.add(
            [
                selectors.period_label(entry.period),
                Link(entry.indicator.name, f"{url}?region={region.code}"),
                entry.short,
                Number(entry.value, entry.indicator.decimals),
                entry.indicator.unit,
                illustrative_label(entry.is_illustrative),
            ]
        )
    return table


LATEST_MILESTONES = 8


def situation_home(request: HttpRequest) -> HttpResponse:
    """The situation of the user's own government (the first, for someone in several)."""
    government = governments_for(request.user).order_by("code").first()
    if government is None:
        raise Http404
    return _render(request, selectors.situation(viewer=request.user, region=government))


def _situation(request: HttpRequest, code: str) -> Situation:
    region = get_object_or_404(Region, code=code)  # regions are shared reference data
    return selectors.situation(viewer=request.user, region=region)


def situation(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, _situation(request, code))


def _render(request: HttpRequest, found: Situation) -> HttpResponse:
    milestones = found.milestones
    return render(
        request,
        "indicators/situation.html",
        {
            "situation": found,
            "region": found.region,
            "regions": selectors.situation_regions(viewer=request.user, region=found.region),
            "headline_table": headline_table(found),
            "behind_table": behind_table(found),
            "milestones_table": milestones_table(found.region, milestones[:LATEST_MILESTONES]),
            "more_milestones": len(milestones) > LATEST_MILESTONES,
        },
    )


def situation_export(request: HttpRequest, code: str) -> HttpResponse:
    found = _situation(request, code)
    sheets = [
        headline_table(found).sheet(),
        behind_table(found).sheet(),
        milestones_table(found.region, found.milestones).sheet(),
    ]
    filename = _("situation-%(region)s.xlsx") % {"region": found.region.name}
    return xlsx.response(filename=filename, sheets=sheets)


def milestones(request: HttpRequest, code: str) -> HttpResponse:
    """Every milestone of the region, newest first, by year."""
    found = _situation(request, code)
    entries = found.milestones
    years = [(year, list(rows)) for year, rows in groupby(entries, key=lambda m: m.period.year)]
    return render(
        request,
        "indicators/milestones.html",
        {
            "region": found.region,
            "years": years,
            "has_illustrative": any(m.is_illustrative for m in entries),
        },
    )
