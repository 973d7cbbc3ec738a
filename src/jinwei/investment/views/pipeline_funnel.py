"""The funnel analytics page, its Excel export, and writing the year's signed investment to the
indicator the pipeline feeds (URLs in `pipeline.py`).

Everyone in a government reads its funnel; those who manage leads write the indicator.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jinwei.core.middleware import allows_inline_styles
from jinwei.investment import exports, funnel, selectors
from jinwei.investment.forms import FunnelFilterForm, canonical_query, chosen_government
from jinwei.investment.funnel_chart import funnel_figure
from jinwei.investment.views.pipeline_access import viewer_governments
from jinwei.lib import xlsx
from jinwei.projects.access import may_manage


def _funnel(request: HttpRequest) -> tuple[FunnelFilterForm, funnel.Funnel]:
    today = timezone.localdate()
    governments = viewer_governments(request)
    government = chosen_government(request.GET, governments)
    chains = list(selectors.chain_choices(government.pk))
    form = FunnelFilterForm(
        request.GET,
        governments=governments,
        government=government,
        units=list(selectors.unit_choices(government.pk)),
        chains=chains,
    )
    result = funnel.funnel(
        government_id=government.pk,
        filters=form.filters(),
        year=form.year_value(today.year),
        today=today,
        chains=chains,
    )
    return form, result


@allows_inline_styles
def funnel_page(request: HttpRequest) -> HttpResponse:
    form, result = _funnel(request)
    government = form.chosen
    context: dict[str, Any] = {
        "form": form,
        "government": government,
        "result": result,
        "figure": funnel_figure(result),
        "query": canonical_query(form.data),
        "indicator": funnel.indicator_state(government, result.year, timezone.localdate()),
        "may_manage": may_manage(request.user, government.pk),
    }
    return render(request, "investment/funnel.html", context)


def funnel_export(request: HttpRequest) -> HttpResponse:
    form, result = _funnel(request)
    filename = _("investment-funnel-%(year)s.xlsx") % {"year": result.year}
    return xlsx.response(filename=filename, sheets=exports.funnel_sheets(result, form.chosen))


@require_POST
def funnel_feed(request: HttpRequest) -> HttpResponse:
    """Write the year's signed investment to the configured indicator, and say what happened."""
    governments = viewer_governments(request)
    government = chosen_government(request.POST, governments)
    if not may_manage(request.user, government.pk):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.POST.get("year", today.year))
    except ValueError:
        year = today.year
    back = (
        reverse("investment:funnel")
        + "?"
        + canonical_query({"government": str(government.pk), "year": str(year)})
    )
    try:
        result = funnel.feed_indicator(actor=request.user, government=government, year=year)
    except funnel.FeedRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    if result.indicator is None:
        messages.error(request, _("No indicator is set to receive the signed investment."))
        return redirect(back)
    if result.written:
        messages.success(
            request,
            ngettext(
                "%(indicator)s: %(count)s period written (%(periods)s).",
                "%(indicator)s: %(count)s periods written (%(periods)s).",
                len(result.written),
            )
            % {
                "indicator": result.indicator.name,
                "count": len(result.written),
                "periods": ", ".join(result.written),
            },
        )
    elif not result.problems:
        messages.info(
            request,
            _("%(indicator)s already holds these figures.") % {"indicator": result.indicator.name},
        )
    for problem in result.problems:
        messages.error(request, problem)
    return redirect(back)
