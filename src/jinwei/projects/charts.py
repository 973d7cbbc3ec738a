"""A project's (or a group's) investment of one year as a Plotly figure in plain data: the page
embeds it with json_script and static/jinwei/charts.js draws it (no script in the page).

Bars: investment completed in each month; a line: completed to date (1–N月累计); a dashed line:
the annual plan spread evenly over the months (计划进度), the line the completed one should follow.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jinwei.projects.investment_totals import MONTHS, Totals

MONTH_COLOUR = "#9aa5b1"
COMPLETED_COLOUR = "#b3261e"
PLANNED_COLOUR = "#1a5fb4"


def _number(value: Decimal) -> float:
    return round(float(value), 2)


def month_labels(year: int) -> list[str]:
    return [f"{year}-{month:02d}" for month in MONTHS]


def planned_to_date(planned: Decimal) -> list[Decimal]:
    """The annual plan, pro rata by month."""
    return [planned * month / 12 for month in MONTHS]


def investment_figure(totals: Totals, year: int, last_month: int = 12) -> dict[str, Any]:
    """`last_month` ends the completed line (the months after it are not over yet)."""
    labels = month_labels(year)
    unit = _("10,000 yuan")
    hover = f"%{{x}}: %{{y:,.2f}} {unit}<extra>%{{fullData.name}}</extra>"
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": _("Completed in the month"),
            "x": labels,
            "y": [_number(v) for v in totals.monthly],
            "marker": {"color": MONTH_COLOUR},
            "hovertemplate": hover,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Completed to date"),
            "x": labels[:last_month],
            "y": [_number(v) for v in totals.cumulative[:last_month]],
            "line": {"color": COMPLETED_COLOUR, "width": 3},
            "hovertemplate": hover,
        },
    ]
    if totals.planned:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Planned to date"),
                "x": labels,
                "y": [_number(v) for v in planned_to_date(totals.planned)],
                "line": {"color": PLANNED_COLOUR, "dash": "dash", "width": 2},
                "hovertemplate": hover,
            }
        )
    layout = {
        "xaxis": {"type": "category"},
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero", "separatethousands": True},
        "legend": {"orientation": "h", "y": -0.15},
    }
    return {"data": data, "layout": layout}
