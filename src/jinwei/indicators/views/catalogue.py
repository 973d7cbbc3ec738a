"""The catalogue, one indicator's page (chart, table, targets), its form and its targets."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage, get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import StaleVersionError
from jinwei.core.middleware import allows_inline_styles
from jinwei.indicators import charts, selectors, services
from jinwei.indicators.forms import CatalogueFilterForm, IndicatorForm, TargetForm, join_list
from jinwei.indicators.models import Indicator, Target
from jinwei.indicators.tables import Label, Link, Table
from jinwei.lib import xlsx
from jinwei.lib.xlsx import Column, Number

# --- tables (the page and its export share them) -------------------------------------------


def catalogue_table(title: str, indicators: list[Indicator]) -> Table:
    table = Table(
        title,
        [
            Column(_("Code"), 12),
            Column(_("Name"), 26),
            Column(_("Category"), 10),
            Column(_("Unit of measure"), 10),
            Column(_("Decimals"), 8, decimals=0),
            Column(_("Frequency"), 10),
            Column(_("Value kind"), 12),
            Column(_("Direction"), 12),
            Column(_("Owning unit"), 16),
            Column(_("Milestone thresholds"), 16),
            Column(_("Headline"), 8),
            Column(_("Public"), 8),
            Column(_("Source"), 24),
        ],
    )
    for ind in indicators:
        table.add(
            [
                ind.code,
                Link(ind.name, reverse("indicators:indicator_detail", args=[ind.pk])),
                ind.category.name,
                ind.unit,
                ind.decimals,
                ind.get_frequency_display(),
                ind.get_value_kind_display(),
                ind.get_direction_display(),
                ind.owner_unit.name,
                join_list(ind.thresholds),
                _("Yes") if ind.is_headline else "",
                _("Yes") if ind.is_public else "",
                ind.source,
            ]
        )
    return table


def targets_table(indicator: Indicator, targets: list[Target], *, editable: bool) -> Table:
    table = Table(
        _("Targets of %(indicator)s") % {"indicator": indicator.name},
        [
            Column(_("Year"), 8),
            Column(_("Region or unit"), 16),
            Column(_("Target kind"), 14),
            Column(_("Target"), 14),
            Column(_("Unit of measure"), 10),
        ],
        name=_("All targets"),
    )
    edit_url = reverse("indicators:indicator_targets", args=[indicator.pk])
    for target in targets:
        growth = target.kind == Target.Kind.GROWTH
        where = target.region.name if target.region else target.unit.name if target.unit else ""
        table.add(
            [
                Link(str(target.year), f"{edit_url}?edit={target.pk}") if editable else target.year,
                where,
                target.get_kind_display(),
                Number(target.value, 2 if growth else indicator.decimals),
                "%" if growth else indicator.unit,
            ]
        )
    return table


def illustrative_label(flag: bool) -> Label:
    return Label(_("Illustrative data") if flag else "", "illustrative")


def colour_label(colour: str) -> Label:
    names = {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}
    return Label(names.get(colour, ""), f"status status-{colour}")


def observations_table(indicator: Indicator, place_name: str, points: list[Any]) -> Table:
    unit = indicator.unit
    table = Table(
        _("%(indicator)s · %(place)s") % {"indicator": indicator.name, "place": place_name},
        [
            Column(_("Period"), 12),
            Column(
                _("Value (%(unit)s)") % {"unit": unit} if unit else _("Value"),
                14,
                decimals=indicator.decimals,
            ),
            Column(_("Growth rate as reported (%)"), 14, decimals=2),
            Column(_("YoY computed (%)"), 14, decimals=1),
            Column(_("Source"), 28),
            Column(_("Status"), 10),
            Column(_("Data note"), 12),
        ],
        name=_("Values"),
    )
    for point in reversed(points):
        table.add(
            [
                selectors.period_label(point.period),
                point.value,
                point.growth_rate,
                point.yoy,
                point.source,
                point.status_label,
                illustrative_label(point.is_illustrative),
            ]
        )
    return table


def statuses_table(
    indicator: Indicator, place_name: str, statuses: list[selectors.TargetStatus]
) -> Table:
    table = Table(
        _("Targets and progress · %(place)s") % {"place": place_name},
        [
            Column(_("Year"), 8),
            Column(_("Target kind"), 12),
            Column(_("Target"), 12),
            Column(_("Period"), 12),
            Column(_("Value"), 12),
            Column(_("Expected by time progress"), 14),
            Column(_("Time progress (%)"), 10, decimals=1),
            Column(_("Completion (%)"), 10, decimals=1),
            Column(_("Points behind"), 10, decimals=1),
            Column(_("Shortfall"), 12),
            Column(_("Unit of measure"), 8),
            Column(_("Status"), 8),
            Column(_("Half the year, half the task"), 16),
        ],
        name=_("Targets"),
    )
    for status in statuses:
        table.add(status_row(indicator, status))
    return table


def status_row(indicator: Indicator, status: selectors.TargetStatus) -> list[object]:
    progress = status.progress
    places = 2 if status.by_growth else indicator.decimals
    target_places = 2 if status.target.kind == Target.Kind.GROWTH else indicator.decimals
    return [
        status.target.year,
        status.target.get_kind_display(),
        Number(status.target.value, target_places),
        selectors.period_label(status.period),
        Number(status.value, places),
        Number(progress.expected, places),
        progress.time_progress,
        progress.completion,
        progress.points_behind,
        Number(progress.shortfall, places),
        status.unit,
        colour_label(status.colour),
        half_year_text(status),
    ]


def half_year_text(status: selectors.TargetStatus) -> str:
    half = status.half_year
    if half is None:
        return ""
    if half.half_time_half_done:
        return _("Reached (%(completion)s%%)") % {"completion": f"{half.completion:.1f}"}
    return _("Not reached (%(completion)s%%)") % {"completion": f"{half.completion:.1f}"}


# --- the catalogue -------------------------------------------------------------------------


def managed_government_ids(user: Any) -> list[int]:
    return [g.pk for g in governments_for(user) if can_manage(user, g.pk)]


def _filtered_catalogue(request: HttpRequest) -> tuple[CatalogueFilterForm, list[Indicator]]:
    units = selectors.owner_units(viewer=request.user)
    form = CatalogueFilterForm(request.GET or None, units=units)
    indicators = list(selectors.indicator_list(viewer=request.user, **form.filters()))
    return form, indicators


def catalogue(request: HttpRequest) -> HttpResponse:
    form, indicators = _filtered_catalogue(request)
    groups = [
        catalogue_table(category.name, list(rows))
        for category, rows in groupby(indicators, key=lambda i: i.category)
    ]
    return render(
        request,
        "indicators/catalogue.html",
        {
            "form": form,
            "groups": groups,
            "count": len(indicators),
            "may_create": bool(managed_government_ids(request.user)),
            "query": request.GET.urlencode(),
        },
    )


def catalogue_export(request: HttpRequest) -> HttpResponse:
    _form, indicators = _filtered_catalogue(request)
    table = catalogue_table(_("Indicator catalogue"), indicators)
    return xlsx.response(filename=_("indicator-catalogue.xlsx"), sheets=[table.sheet()])


# --- one indicator -------------------------------------------------------------------------


def _indicator_for_view(request: HttpRequest, pk: int) -> Indicator:
    return get_for_view(request, selectors.indicator_queryset(viewer=request.user), pk=pk)


def _indicator_data(request: HttpRequest, indicator: Indicator) -> dict[str, Any]:
    places = selectors.places_of(indicator)
    place = selectors.choose_place(indicator, request.GET, places)
    points = selectors.series(indicator=indicator, place=place)
    targets = selectors.targets_of(indicator=indicator, place=place)
    statuses = selectors.target_statuses(indicator, targets, points)
    milestones = selectors.milestones_of(indicator, points, place.name)
    return {
        "indicator": indicator,
        "places": places,
        "place": place,
        "points": points,
        "statuses": statuses,
        "milestones": milestones,
        "targets": targets,
        "values_table": observations_table(indicator, place.name, points),
        "statuses_table": statuses_table(indicator, place.name, statuses),
        "has_illustrative": any(p.is_illustrative for p in points),
    }


@allows_inline_styles
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for_view(request, pk)
    data = _indicator_data(request, indicator)
    data["figure"] = charts.indicator_figure(
        indicator=indicator,
        place_name=data["place"].name,
        points=data["points"],
        target_line=selectors.target_line(indicator, data["targets"], data["points"]),
        milestones=data["milestones"],
    )
    data["may_manage"] = can_manage(request.user, indicator.government_id)
    return render(request, "indicators/indicator_detail.html", data)


def indicator_export(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for_view(request, pk)
    data = _indicator_data(request, indicator)
    filename = f"{indicator.name}-{data['place'].name}.xlsx"
    targets = targets_table(
        indicator, list(selectors.all_targets(indicator=indicator)), editable=False
    )
    sheets = [data["values_table"].sheet(), data["statuses_table"].sheet(), targets.sheet()]
    return xlsx.response(filename=filename, sheets=sheets)


# --- the catalogue entry form (supervisors and admins) -------------------------------------


def indicator_create(request: HttpRequest) -> HttpResponse:
    government_ids = managed_government_ids(request.user)
    if not government_ids:
        raise PermissionDenied
    units = selectors.managed_units(government_ids=government_ids)
    form = IndicatorForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        indicator = Indicator(**form.indicator_fields())
        indicator.government_id = indicator.owner_unit.government_id
        try:
            indicator = services.indicator_create(actor=request.user, indicator=indicator)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect("indicators:indicator_detail", pk=indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": None})


def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for_view(request, pk)
    if not can_manage(request.user, indicator.government_id):
        raise PermissionDenied
    units = selectors.managed_units(government_ids=[indicator.government_id])
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        units=units,
        initial={"version": indicator.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                actor=request.user,
                indicator=indicator,
                changes=form.changed_fields(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("indicators:indicator_detail", pk=indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator})


# --- targets (supervisors and admins set them; everyone reads them) ------------------------


def _target_form(request: HttpRequest, indicator: Indicator, editing: Target | None) -> TargetForm:
    with_values = indicator.observations.filter(region__isnull=False).values("region_id")
    own_first = Case(When(pk=indicator.government_id, then=0), default=1)
    regions = Region.objects.filter(Q(pk=indicator.government_id) | Q(pk__in=with_values))
    regions = regions.order_by(own_first, "code")
    units = selectors.managed_units(government_ids=[indicator.government_id])
    initial: dict[str, Any] = {"year": timezone.localdate().year, "kind": Target.Kind.LEVEL}
    if editing is not None:
        place = f"region-{editing.region_id}" if editing.region_id else f"unit-{editing.unit_id}"
        initial = {
            "year": editing.year,
            "place": place,
            "kind": editing.kind,
            "value": editing.value,
            "version": editing.version,
        }
    data = request.POST if request.method == "POST" else None
    return TargetForm(data, regions=regions, units=units, initial=initial)


def indicator_targets(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_for_view(request, pk)
    may_manage = can_manage(request.user, indicator.government_id)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = indicator.targets.filter(pk=int(request.GET["edit"])).first()
    form = _target_form(request, indicator, editing) if may_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_set(
                actor=request.user,
                indicator=indicator,
                year=data["year"],
                kind=data["kind"],
                value=data["value"],
                expected_version=data["version"],
                **form.where(),
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("indicators:indicator_targets", pk=indicator.pk)
    return render(
        request,
        "indicators/indicator_targets.html",
        {
            "indicator": indicator,
            "targets_table": targets_table(
                indicator, list(selectors.all_targets(indicator=indicator)), editable=may_manage
            ),
            "form": form,
            "editing": editing,
        },
    )
