"""Per-indicator ranking in a peer group: league table, heat map, first places, a region's place.

Every page reads the group through the access helpers (everyone in the government reads) and
ranks on the fly; the choice of indicator and period travels in the query string.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage, get_for_view
from jinwei.accounts.models import Region
from jinwei.accounts.selectors import governments_for
from jinwei.core.middleware import allows_inline_styles
from jinwei.indicators.models import Indicator
from jinwei.indicators.selectors import period_label
from jinwei.indicators.tables import Label, Link, Table
from jinwei.lib import xlsx
from jinwei.lib.periods import Frequency, Period, PeriodError, parse_period
from jinwei.lib.xlsx import Column
from jinwei.rankings import selectors
from jinwei.rankings.forms import FrequencyChooser, HomeChooser, LeagueChooser, PeriodChooser
from jinwei.rankings.models import PeerGroup
from jinwei.rankings.selectors import League, Standing

# --- charts (Plotly figures as data; static/jinwei/charts.js draws them) ----------------------

OWN_COLOUR = "#b3261e"
PEER_COLOURS = ["#6b8fb5", "#8aa67a", "#c2a15a", "#9c86b8", "#5fa3a3", "#b88a7a", "#8c96a0"]
RANK_SCALE = [[0.0, "#2e7d32"], [0.5, "#f3e9c6"], [1.0, "#b3261e"]]  # first green, last red


def _region_label(region: Region, own: set[int]) -> str:
    return f"<b>{region.name}</b>" if region.pk in own else region.name


def heatmap_figure(found: selectors.Panel, own: set[int]) -> dict[str, Any]:
    """Indicators down, regions across, colour = rank; hover shows the value and the rank."""
    z, values = [], []
    for indicator in found.indicators:
        z.append([found.rank(indicator, r) for r in found.regions])
        row = []
        for region in found.regions:
            value = found.value(indicator, region)
            number = f"{value.value:,.{indicator.decimals}f} {indicator.unit}" if value else "—"
            row.append(number.strip())
        values.append(row)
    hover = (
        "%{y}<br>%{x}<br>"
        + _("Value")
        + ": %{customdata}<br>"
        + _("Rank")
        + ": %{z}<extra></extra>"
    )
    data = {
        "type": "heatmap",
        "z": z,
        "x": [_region_label(r, own) for r in found.regions],
        "y": [i.name for i in found.indicators],
        "customdata": values,
        "zmin": 1,
        "zmax": max(len(found.regions), 2),
        "colorscale": RANK_SCALE,
        "texttemplate": "%{z}",
        "hovertemplate": hover,
        "hoverongaps": False,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": _("Rank")}, "dtick": 1},
    }
    layout = {
        "height": max(320, 26 * len(found.indicators) + 140),
        "margin": {"l": 20, "r": 20, "t": 60, "b": 20},
        "xaxis": {"side": "top", "type": "category", "automargin": True},
        "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
    }
    return {"data": [data], "layout": layout}


def first_places_figure(found: selectors.FirstPlaces, own: set[int]) -> dict[str, Any]:
    """First-place counts per period, one bar per region; the viewer's own region in red."""
    labels = [period_label(p) for p in found.periods]
    data = []
    peers = iter(PEER_COLOURS * (len(found.regions) // len(PEER_COLOURS) + 1))
    for region, counts in found.rows():
        colour = OWN_COLOUR if region.pk in own else next(peers)
        data.append(
            {
                "type": "bar",
                "name": region.name,
                "x": labels,
                "y": counts,
                "marker": {"color": colour},
                "hovertemplate": f"{region.name} %{{x}}: %{{y}}<extra></extra>",
            }
        )
    layout = {
        "barmode": "group",
        "xaxis": {"type": "category"},
        "yaxis": {
            "title": {"text": _("Indicators ranked first")},
            "dtick": 1,
            "rangemode": "tozero",
        },
        "legend": {"orientation": "h", "y": -0.15},
    }
    return {"data": data, "layout": layout}


# --- choosing group, indicator and period --------------------------------------------------


def group_for_view(request: HttpRequest, group_id: int) -> PeerGroup:
    return get_for_view(request, selectors.peer_group_queryset(viewer=request.user), pk=group_id)


def _asked_period(request: HttpRequest, periods: list[Period]) -> Period | None:
    """The period in the query string if it has data, else the latest that has."""
    try:
        asked = parse_period(request.GET.get("period", ""))
    except PeriodError:
        asked = None
    if asked in periods:
        return asked
    return periods[-1] if periods else None


def _asked_indicator(
    request: HttpRequest, group: PeerGroup, indicators: QuerySet[Indicator]
) -> Indicator | None:
    """The indicator asked for, else the first (in catalogue order) with a value in the latest
    annual period, else the first of the catalogue."""
    raw = request.GET.get("indicator", "")
    if raw.isdigit():
        found = indicators.filter(pk=int(raw)).first()
        if found is not None:
            return found
    latest = selectors.latest_period(group)
    if latest is not None:
        with_data = selectors.indicators_with_data(group, latest)
        if with_data:
            return with_data[0]
    return indicators.first()


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- the league table (the page and the export share it) ----------------------------------


def change_label(standing: Standing) -> Label:
    change = standing.change
    if change is None:
        return Label("")
    return Label(change.label, f"rank-change rank-{change.kind}")


def data_note(standing: Standing) -> Label:
    if standing.value is None:
        return Label(_("No value"), "missing")
    if standing.value.is_illustrative:
        return Label(_("Illustrative data"), "illustrative")
    if not standing.value.is_approved:
        return Label(_("Not yet approved"), "unapproved")
    return Label("")


def league_columns(league: League) -> list[Column]:
    indicator = league.indicator
    unit = indicator.unit
    places = indicator.decimals
    previous = period_label(league.previous)

    def in_unit(text: str) -> str:
        return f"{text} ({unit})" if unit else text

    return [
        Column(_("Rank"), 6, decimals=0),
        Column(_("Region"), 14),
        Column(in_unit(_("Value")), 14, decimals=places),
        Column(_("Change since %(period)s") % {"period": previous}, 12),
        Column(_("Rank in %(period)s") % {"period": previous}, 10, decimals=0),
        Column(in_unit(_("Gap to the next place up")), 14, decimals=places),
        Column(_("Gap to the next place up (%)"), 12, decimals=1),
        Column(in_unit(_("Gap to the leader")), 14, decimals=places),
        Column(_("Gap to the leader (%)"), 12, decimals=1),
        Column(_("Data note"), 12),
    ]


def league_table_of(league: League) -> Table:
    title = _("%(indicator)s · %(group)s · %(period)s") % {
        "indicator": league.indicator.name,
        "group": league.group.name,
        "period": period_label(league.period),
    }
    table = Table(title, league_columns(league), name=_("League table"))
    query = _query(period=str(league.period))
    for s in league.rows:
        url = reverse("rankings:region", args=[league.group.pk, s.region.code])
        table.add(
            [
                s.rank,
                Link(s.region.name, f"{url}?{query}"),
                s.value.value if s.value else None,
                change_label(s),
                s.previous_rank,
                s.gap_next.amount if s.gap_next else None,
                s.gap_next.percent if s.gap_next else None,
                s.gap_leader.amount if s.gap_leader else None,
                s.gap_leader.percent if s.gap_leader else None,
                data_note(s),
            ]
        )
    return table


def _league(request: HttpRequest, group: PeerGroup) -> dict[str, Any]:
    indicators = selectors.rankable_indicators(group)
    indicator = _asked_indicator(request, group, indicators)
    periods = selectors.indicator_periods(group, indicator) if indicator else []
    period = _asked_period(request, periods)
    league = None
    if indicator is not None and period is not None:
        league = selectors.league_table(group=group, indicator=indicator, period=period)
    chooser = LeagueChooser(
        initial={"indicator": indicator, "period": str(period or "")},
        indicators=indicators,
        periods=periods,
    )
    return {
        "group": group,
        "indicator": indicator,
        "period": period,
        "league": league,
        "chooser": chooser,
    }


def league_table(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for_view(request, group_id)
    data = _league(request, group)
    league: League | None = data["league"]
    own = selectors.own_region_ids(request.user)
    if league is not None:
        data["table"] = league_table_of(league)
        data["rows"] = list(zip(data["table"].body(), league.rows, strict=True))
        data["query"] = _query(indicator=league.indicator.pk, period=str(league.period))
    data.update(_group_links(request, group))
    data["own"] = own
    return render(request, "rankings/league.html", data)


def league_export(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for_view(request, group_id)
    league: League | None = _league(request, group)["league"]
    if league is None:
        raise Http404
    filename = f"{league.group.name}-{league.indicator.name}-{league.period}.xlsx"
    return xlsx.response(filename=filename, sheets=[league_table_of(league).sheet()])


def _group_links(request: HttpRequest, group: PeerGroup) -> dict[str, Any]:
    groups = list(selectors.peer_group_queryset(viewer=request.user))
    return {
        "groups": groups,
        "may_manage": can_manage(request.user, group.government_id),
    }


# --- the entry page ------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Choose a group, an indicator and a period; without a choice: the user's first group in its
    latest annual period, with who ranks first in how many indicators."""
    groups = selectors.peer_group_queryset(viewer=request.user)
    if request.GET.get("region"):
        return _to_region(request, request.GET["region"])
    if request.GET.get("group", "").isdigit():
        chosen = get_for_view(request, groups, pk=int(request.GET["group"]))
        query = _query(indicator=request.GET.get("indicator"), period=request.GET.get("period"))
        url = reverse("rankings:league", args=[chosen.pk])
        return redirect(f"{url}?{query}" if query else url)
    first = groups.first()
    data: dict[str, Any] = {"group": first, "groups": groups, "may_manage": False}
    if first is not None:
        data.update(_home_summary(request, first, groups))
    data["may_create"] = any(can_manage(request.user, g) for g in _own_governments(request))
    return render(request, "rankings/home.html", data)


def _own_governments(request: HttpRequest) -> list[int]:
    return [g.pk for g in governments_for(request.user)]


def _home_summary(
    request: HttpRequest, group: PeerGroup, groups: QuerySet[PeerGroup]
) -> dict[str, Any]:
    period = selectors.latest_period(group)
    chooser = HomeChooser(
        initial={"group": group, "period": ""},
        groups=groups,
        indicators=selectors.rankable_indicators(group),
        periods=selectors.periods_by_frequency(group)[Frequency.ANNUAL],
    )
    summary = None
    if period is not None:
        panel = selectors.panel(group=group, period=period)
        summary = sorted(
            ((region, panel.firsts(region)) for region in panel.regions),
            key=lambda pair: (-len(pair[1]), pair[0].code),
        )
    return {
        "chooser": chooser,
        "period": period,
        "summary": summary,
        "own": selectors.own_region_ids(request.user),
        "may_manage": can_manage(request.user, group.government_id),
    }


def _to_region(request: HttpRequest, code: str) -> HttpResponse:
    """From a region's situation page: its place in the first of the viewer's groups holding it."""
    region = get_object_or_404(Region, code=code)  # regions are shared reference data
    groups = selectors.groups_of_region(viewer=request.user, region=region)
    if not groups:
        return redirect("rankings:group_list")
    return redirect("rankings:region", group_id=groups[0].pk, code=region.code)


# --- the heat map --------------------------------------------------------------------------


def _period_of_group(request: HttpRequest, group: PeerGroup) -> tuple[Period | None, list[Period]]:
    """The period asked for among all frequencies with data; default the latest annual."""
    by_frequency = selectors.periods_by_frequency(group)
    every = [p for periods in by_frequency.values() for p in periods]
    try:
        asked = parse_period(request.GET.get("period", ""))
    except PeriodError:
        asked = None
    if asked in every:
        return asked, sorted(every)
    for frequency in (Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY):
        if by_frequency[frequency]:
            return by_frequency[frequency][-1], sorted(every)
    return None, []


def heat_table(found: selectors.Panel) -> Table:
    table = Table(
        _("Ranks · %(group)s · %(period)s")
        % {"group": found.group.name, "period": period_label(found.period)},
        [Column(_("Indicator"), 24)] + [Column(r.name, 8, decimals=0) for r in found.regions],
    )
    for indicator in found.indicators:
        table.add([indicator.name] + [found.rank(indicator, r) for r in found.regions])
    table.add([_("First places")] + [len(found.firsts(r)) for r in found.regions])
    return table


@allows_inline_styles
def heatmap(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for_view(request, group_id)
    period, periods = _period_of_group(request, group)
    data: dict[str, Any] = {"group": group, "period": period}
    data["chooser"] = PeriodChooser(initial={"period": str(period or "")}, periods=periods)
    own = selectors.own_region_ids(request.user)
    if period is not None:
        found = selectors.panel(group=group, period=period)
        data["panel"] = found
        data["table"] = heat_table(found)
        data["figure"] = heatmap_figure(found, own)
    data.update(_group_links(request, group))
    data["own"] = own
    return render(request, "rankings/heatmap.html", data)


# --- first places over the periods ---------------------------------------------------------


def first_places_table(found: selectors.FirstPlaces) -> Table:
    table = Table(
        _("First places · %(group)s") % {"group": found.group.name},
        [Column(_("Region"), 14)] + [Column(period_label(p), 8, decimals=0) for p in found.periods],
    )
    url = reverse("rankings:first_places", args=[found.group.pk])
    for region, counts in found.rows():
        query = _query(frequency=found.frequency, region=region.code)
        table.add([Link(region.name, f"{url}?{query}"), *counts])
    contested = [found.contested.get(str(p), 0) for p in found.periods]
    table.add([_("Indicators compared"), *contested])
    return table


@allows_inline_styles
def first_places(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for_view(request, group_id)
    chooser = FrequencyChooser(request.GET or None)
    frequency = Frequency.ANNUAL.value
    if chooser.is_valid() and chooser.cleaned_data["frequency"]:
        frequency = chooser.cleaned_data["frequency"]
    found = selectors.first_places(group=group, frequency=frequency)
    own = selectors.own_region_ids(request.user)
    chosen = _chosen_region(request, found.regions, own)
    table = first_places_table(found)
    data: dict[str, Any] = {
        "group": group,
        "found": found,
        "table": table,
        "rows": list(zip(table.body(), [*found.regions, None], strict=True)),
        "figure": first_places_figure(found, own),
        "chooser": FrequencyChooser(initial={"frequency": frequency}),
        "chosen": chosen,
        "chosen_firsts": [(p, found.of(chosen, p)) for p in reversed(found.periods)]
        if chosen
        else [],
        "own": own,
    }
    data.update(_group_links(request, group))
    return render(request, "rankings/first_places.html", data)


def _chosen_region(request: HttpRequest, regions: list[Region], own: set[int]) -> Region | None:
    """The region asked for, else the viewer's own, else the first."""
    code = request.GET.get("region", "")
    for region in regions:
        if region.code == code:
            return region
    for region in regions:
        if region.pk in own:
            return region
    return regions[0] if regions else None


# --- a region's place ----------------------------------------------------------------------


def region_position(request: HttpRequest, group_id: int, code: str) -> HttpResponse:
    group = group_for_view(request, group_id)
    regions = selectors.group_regions(group)
    region = next((r for r in regions if r.code == code), None)
    if region is None:
        raise Http404
    period, periods = _period_of_group(request, group)
    data: dict[str, Any] = {"group": group, "region": region, "period": period, "regions": regions}
    data["chooser"] = PeriodChooser(initial={"period": str(period or "")}, periods=periods)
    if period is not None:
        data["position"] = selectors.region_position(group=group, region=region, period=period)
        data["period_query"] = _query(period=str(period))
    data.update(_group_links(request, group))
    return render(request, "rankings/region.html", data)
