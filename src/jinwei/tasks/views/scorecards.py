"""Unit scorecards (镇镇有声、部门出彩): the rankings of towns and departments, their export, and
one unit's scorecard with its trend.

Everyone in the government reads them (the drive is public internally); a unit of another
government is not found. The figures are defined in `jinwei.tasks.scorecards`.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import get_for_view, grants_for
from jinwei.accounts.models import OrgUnit
from jinwei.core.middleware import allows_inline_styles
from jinwei.indicators.selectors import period_label
from jinwei.indicators.tables import Link, Table
from jinwei.lib import xlsx
from jinwei.lib.periods import Frequency, Period
from jinwei.lib.xlsx import Column
from jinwei.tasks import scorecards as sc
from jinwei.tasks.goal_forms import PeriodChooser, period_query
from jinwei.tasks.goal_selectors import colour_of_task
from jinwei.tasks.models import Task
from jinwei.tasks.services import rules_for
from jinwei.tasks.timing import Colour, colour_q
from jinwei.tasks.views.goals import chosen_government

YEARS_OFFERED = 10
RED_SHOWN = 50
CLOSED_SHOWN = 10

# (sort key, default direction): better first, so a click on a header shows the best at the top
SORTS = {
    "rank": "asc",
    "unit": "asc",
    "owned": "desc",
    "closed": "desc",
    "on_time_rate": "desc",
    "overdue": "asc",
    "average_delay": "asc",
    "report_punctuality": "desc",
    "average_score": "desc",
    "points": "desc",
}


def columns() -> list[Column]:
    return [
        Column(_("Rank"), 6, decimals=0),
        Column(_("Unit"), 16),
        Column(_("Tasks owned"), 10, decimals=0),
        Column(_("Closed"), 8, decimals=0),
        Column(_("On-time closure rate (%)"), 12, decimals=1),
        Column(_("Overdue"), 8, decimals=0),
        Column(_("Average delay (days)"), 12, decimals=1),
        Column(_("Report punctuality (%)"), 12, decimals=1),
        Column(_("Average score"), 10, decimals=1),
        Column(_("Points"), 8, decimals=1),
    ]


def sort_value(figures: sc.Figures, key: str) -> Any:
    if key == "unit":
        return figures.unit.name
    if key == "points":
        return figures.rounded_points
    return getattr(figures, key)


def sorted_figures(rows: list[sc.Figures], key: str, direction: str) -> list[sc.Figures]:
    """Sorted by one column; units without a value stay at the bottom either way."""
    present = [f for f in rows if sort_value(f, key) is not None]
    missing = [f for f in rows if sort_value(f, key) is None]
    present.sort(key=lambda f: sort_value(f, key), reverse=direction == "desc")
    return present + missing


def ranking_table(title: str, rows: list[sc.Figures], query: dict[str, str]) -> Table:
    table = Table(title, columns())
    for f in rows:
        url = reverse("tasks:unit_scorecard", args=[f.unit.pk])
        table.add(
            [
                f.rank,
                Link(f.unit.name, f"{url}?{urlencode(query)}"),
                f.owned,
                f.closed,
                f.percent("on_time_rate"),
                f.overdue,
                f.average_delay,
                f.percent("report_punctuality"),
                f.average_score,
                f.rounded_points,
            ]
        )
    return table


# --- the period ----------------------------------------------------------------------------


def chosen_period(request: HttpRequest, today: datetime.date) -> tuple[Period, PeriodChooser]:
    """The year (and quarter or month) in the query string; the current year by default."""
    years = list(range(today.year - YEARS_OFFERED + 1, today.year + 1))
    default = Period.of(Frequency.ANNUAL, today.year)
    if "year" in request.GET:
        chooser = PeriodChooser(request.GET, years=years)
        period = chooser.period(default)
    else:
        period = default
    chooser = PeriodChooser(initial=period_query(period), years=years)
    return period, chooser


def _title(kind: str, government: str, period: Period) -> str:
    return _("%(kind)s · %(government)s · %(period)s") % {
        "kind": kind,
        "government": government,
        "period": period_label(period),
    }


def _sorting(request: HttpRequest) -> tuple[str, str]:
    key = request.GET.get("sort", "rank")
    key = key if key in SORTS else "rank"
    direction = request.GET.get("dir", SORTS[key])
    return key, direction if direction in ("asc", "desc") else SORTS[key]


def _rankings(request: HttpRequest, found: sc.Rankings) -> list[tuple[str, str, list[sc.Figures]]]:
    """(name, heading, rows in the order asked for) of the two rankings."""
    key, direction = _sorting(request)
    return [
        ("towns", _("Towns"), sorted_figures(found.towns, key, direction)),
        ("departments", _("Departments"), sorted_figures(found.departments, key, direction)),
    ]


def _sort_links(request: HttpRequest, query: dict[str, str]) -> list[tuple[str, str, str]]:
    """Per column: (url that sorts by it, aria-sort value, arrow)."""
    current, direction = _sorting(request)
    links = []
    for key in SORTS:
        if key == current:
            flip = "asc" if direction == "desc" else "desc"
            aria = "ascending" if direction == "asc" else "descending"
            arrow = "▲" if direction == "asc" else "▼"
        else:
            flip, aria, arrow = SORTS[key], "none", ""
        links.append(("?" + urlencode({**query, "sort": key, "dir": flip}), aria, arrow))
    return links


def scorecards(request: HttpRequest) -> HttpResponse:
    government, governments = chosen_government(request)
    today = timezone.localdate()
    period, chooser = chosen_period(request, today)
    found = sc.rankings(government.pk, period, today)
    query = {"government": government.code, **period_query(period)}
    header = list(zip(columns(), _sort_links(request, query), strict=True))
    own = set(grants_for(request.user).roles_by_unit)
    tables = []
    for name, heading, rows in _rankings(request, found):
        body = ranking_table(heading, rows, query).body()
        tables.append(
            (
                name,
                heading,
                [(cells, f.unit.pk in own) for (cells, _a), f in zip(body, rows, strict=True)],
            )
        )
    return render(
        request,
        "tasks/scorecards.html",
        {
            "government": government,
            "governments": governments,
            "period": period,
            "found": found,
            "chooser": chooser,
            "tables": tables,
            "header": header,
            "query": urlencode(query),
            "weights": sc.WEIGHTS,
        },
    )


def scorecards_export(request: HttpRequest) -> HttpResponse:
    government, _governments = chosen_government(request)
    today = timezone.localdate()
    period, _chooser = chosen_period(request, today)
    found = sc.rankings(government.pk, period, today)
    query = {"government": government.code, **period_query(period)}
    sheets = [
        ranking_table(_title(heading, government.name, period), rows, query).sheet()
        for _name, heading, rows in _rankings(request, found)
    ]
    weights = xlsx.Sheet(
        title=_("How the points are computed"),
        columns=[Column(_("Share"), 30), Column(_("Weight"), 8, decimals=0)],
        rows=[[str(w.label), w.points] for w in sc.WEIGHTS],
        name=_("Weights"),
    )
    filename = f"{government.name}-{_('Unit scorecards')}-{period}.xlsx"
    return xlsx.response(filename=filename, sheets=[*sheets, weights])


# --- one unit ------------------------------------------------------------------------------

POINTS_COLOUR = "#b3261e"
ON_TIME_COLOUR = "#1a5fb4"
REPORTS_COLOUR = "#2e7d32"


def trend_figure(trend: list[sc.Figures]) -> dict[str, Any]:
    labels = [period_label(f.period) for f in trend]

    def line(name: str, values: list[float | None], colour: str, dash: str = "solid") -> dict:
        return {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": labels,
            "y": [None if v is None else round(v, 1) for v in values],
            "line": {"color": colour, "width": 3 if dash == "solid" else 2, "dash": dash},
            "connectgaps": False,
            "hovertemplate": f"{name} %{{x}}: %{{y:.1f}}<extra></extra>",
        }

    data = [
        line(_("Points"), [f.rounded_points for f in trend], POINTS_COLOUR),
        line(
            _("On-time closure rate (%)"),
            [f.percent("on_time_rate") for f in trend],
            ON_TIME_COLOUR,
            "dash",
        ),
        line(
            _("Report punctuality (%)"),
            [f.percent("report_punctuality") for f in trend],
            REPORTS_COLOUR,
            "dot",
        ),
    ]
    layout = {
        "height": 340,
        "xaxis": {"type": "category"},
        "yaxis": {"range": [0, 105], "dtick": 20},
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"data": data, "layout": layout}


def _rank_among(found: sc.Rankings, unit: OrgUnit) -> tuple[sc.Figures | None, int]:
    rows = found.towns if unit.kind == OrgUnit.Kind.TOWN else found.departments
    for f in rows:
        if f.unit.pk == unit.pk:
            return f, len(rows)
    return None, len(rows)


@allows_inline_styles
def unit_scorecard(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_for_view(request, OrgUnit.objects.select_related("government"), pk=unit_id)
    today = timezone.localdate()
    period, chooser = chosen_period(request, today)
    found = sc.rankings(unit.government_id, period, today)
    figures, ranked = _rank_among(found, unit)
    if figures is None:  # a leadership or supervision unit: figures, but no ranking
        figures = sc.unit_figures([unit], period, today)[unit.pk]
    frequency = Frequency.ANNUAL if request.GET.get("trend") == "years" else Frequency.QUARTERLY
    trend = sc.unit_trend(unit, sc.trend_periods(period, frequency, today), today)
    rules = rules_for(unit.government_id)
    red = (
        Task.objects.filter(lead_unit=unit)
        .filter(colour_q(Colour.RED, today, rules))
        .annotate(colour=colour_of_task(today, rules))
        .select_related("goal")
        .order_by("deadline", "code")[:RED_SHOWN]
    )
    closed = Task.objects.filter(lead_unit=unit, state=Task.State.CLOSED).order_by(
        "-closed_on", "-id"
    )[:CLOSED_SHOWN]
    query = {"government": unit.government.code, **period_query(period)}
    return render(
        request,
        "tasks/scorecard_unit.html",
        {
            "unit": unit,
            "period": period,
            "chooser": chooser,
            "figures": figures,
            "ranked": ranked,
            "trend": trend,
            "trend_years": frequency is Frequency.ANNUAL,
            "figure": trend_figure(trend),
            "red": [(task, (today - task.deadline).days) for task in red],
            "closed": list(closed),
            "weights": sc.WEIGHTS,
            "query": urlencode(query),
            "today": today,
        },
    )
