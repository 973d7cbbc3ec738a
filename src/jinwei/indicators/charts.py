"""Plotly figures as plain data: the page embeds them with json_script and static/jinwei/charts.js
draws them, so no script is written into the page (the CSP allows none)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jinwei.indicators.models import Indicator
from jinwei.indicators.selectors import MilestoneEntry, Point, period_label
from jinwei.lib.periods import Period

SERIES_COLOUR = "#b3261e"
TARGET_COLOUR = "#1a5fb4"
YOY_COLOUR = "#9aa5b1"
MILESTONE_COLOUR = "#f0a500"


def _number(value: Decimal | None, decimals: int) -> float | None:
    return None if value is None else round(float(value), decimals)


def indicator_figure(
    *,
    indicator: Indicator,
    place_name: str,
    points: list[Point],
    target_line: list[tuple[Period, Decimal]],
    milestones: list[MilestoneEntry],
) -> dict[str, Any]:
    """The series, its target line, milestone markers and YoY bars on a second axis."""
    periods = sorted({p.period for p in points} | {period for period, _v in target_line})
    label = {period: period_label(period) for period in periods}
    decimals = indicator.decimals
    unit = indicator.unit
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": _("YoY (%)"),
            "x": [label[p.period] for p in points],
            "y": [_number(p.yoy, 1) for p in points],
            "yaxis": "y2",
            "marker": {"color": YOY_COLOUR},
            "opacity": 0.45,
            "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": place_name,
            "x": [label[p.period] for p in points],
            "y": [_number(p.value, decimals) for p in points],
            "line": {"color": SERIES_COLOUR, "width": 3},
            "hovertemplate": f"%{{x}}: %{{y:,.{decimals}f}} {unit}<extra></extra>",
        },
    ]
    if target_line:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Target"),
                "x": [label[period] for period, _v in target_line],
                "y": [_number(value, decimals) for _p, value in target_line],
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                "marker": {"size": 5},
                "hovertemplate": f"%{{x}}: %{{y:,.{decimals}f}} {unit}<extra></extra>",
            }
        )
    if milestones:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _("Milestones"),
                "x": [label[m.period] for m in milestones],
                "y": [_number(m.value, decimals) for m in milestones],
                "text": [m.short for m in milestones],
                "textposition": "top center",
                "marker": {
                    "symbol": "star",
                    "size": 16,
                    "color": MILESTONE_COLOUR,
                    "line": {"color": SERIES_COLOUR, "width": 1},
                },
                "hovertemplate": "%{x}: %{text}<extra></extra>",
            }
        )
    layout = {
        "xaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [label[p] for p in periods],
        },
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero", "separatethousands": True},
        "yaxis2": {
            "title": {"text": _("YoY (%)")},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "zeroline": True,
            "tickmode": "auto",  # not aligned to the main axis' grid: round numbers
            "tickformat": ".1f",
        },
        "legend": {"orientation": "h", "y": -0.15},
    }
    return {"data": data, "layout": layout}
