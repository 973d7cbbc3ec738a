"""The Gantt chart of a goal as a Plotly figure in plain data (static/jinwei/charts.js draws it).

Horizontal bars run from each task's start to the end of its deadline day, coloured by the task's
colour today; the y axis has two levels, lead unit and task, so the tasks group under their unit.
Milestones are diamonds on their planned date (filled when done, crossed when late), and a dotted
line marks today.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.tasks.goal_selectors import GanttBar, GanttMilestone

BAR_COLOURS = {
    "red": "#b3261e",
    "yellow": "#d9a21b",
    "green": "#2e7d32",
    "closed": "#7c8896",
    "draft": "#c9d1da",
}
BAR_LABELS = {
    "red": gettext_lazy("Red"),
    "yellow": gettext_lazy("Yellow"),
    "green": gettext_lazy("Green"),
    "closed": gettext_lazy("Closed"),
    "draft": gettext_lazy("Draft"),
}
MILESTONE_COLOUR = "#1f2328"
OUTLINE_COLOUR = "#ffffff"  # keeps the dark marks readable on the dark bars
TODAY_COLOUR = "#1a5fb4"
DAY_MS = 24 * 60 * 60 * 1000
LABEL_LENGTH = 22


def task_label(bar: GanttBar) -> str:
    """The task on the axis: its code and the start of its title."""
    title = bar.title if len(bar.title) <= LABEL_LENGTH else bar.title[: LABEL_LENGTH - 1] + "…"
    return f"{bar.code} {title}"


def duration_ms(bar: GanttBar) -> int:
    """From the start of the first day to the end of the deadline day."""
    return ((bar.deadline - bar.start).days + 1) * DAY_MS


def milestone_symbol(milestone: GanttMilestone) -> str:
    """Filled when done, open while planned; crossed when late (done late, or past its date)."""
    if milestone.done_on is not None:
        return "diamond-x" if milestone.late else "diamond"
    return "diamond-x-open" if milestone.late else "diamond-open"


def gantt_figure(bars: list[GanttBar], today: datetime.date) -> dict[str, Any]:
    units = [bar.unit for bar in bars]
    labels = [task_label(bar) for bar in bars]
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]} → %{customdata[2]}<br>"
        "%{customdata[3]} · %{customdata[4]}%<extra></extra>"
    )
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _("Tasks"),
            "y": [units, labels],
            "base": [bar.start.isoformat() for bar in bars],
            "x": [duration_ms(bar) for bar in bars],
            "marker": {"color": [BAR_COLOURS[bar.colour] for bar in bars]},
            "customdata": [
                [
                    f"{bar.code} {bar.title}",
                    bar.start.isoformat(),
                    bar.deadline.isoformat(),
                    bar.state_label,
                    bar.progress,
                ]
                for bar in bars
            ],
            "hovertemplate": hover,
        }
    ]
    marks = [(index, m) for index, bar in enumerate(bars) for m in bar.milestones]
    if marks:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Task milestones"),
                "y": [[units[i] for i, _m in marks], [labels[i] for i, _m in marks]],
                "x": [m.due_date.isoformat() for _i, m in marks],
                "marker": {
                    "symbol": [milestone_symbol(m) for _i, m in marks],
                    "size": 14,
                    "color": MILESTONE_COLOUR,
                    "line": {"width": 1.5, "color": OUTLINE_COLOUR},
                },
                "text": [m.title for _i, m in marks],
                "customdata": [
                    m.done_on.isoformat() if m.done_on else _("not yet done") for _i, m in marks
                ],
                "hovertemplate": "%{text}<br>%{x} · %{customdata}<extra></extra>",
            }
        )
    layout = {
        "height": max(260, 30 * len(bars) + 120),
        "margin": {"l": 20, "r": 20, "t": 40, "b": 40},
        "barmode": "overlay",
        "showlegend": False,
        "xaxis": {
            "type": "date",
            "side": "top",
            "gridcolor": "#e5e9ee",
            "tickformat": "%Y-%m",  # numbers, not English month names
            "hoverformat": "%Y-%m-%d",
        },
        "yaxis": {"type": "multicategory", "autorange": "reversed", "automargin": True},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": TODAY_COLOUR, "width": 2, "dash": "dot"},
            }
        ],
        "annotations": [
            {
                "x": today.isoformat(),
                "xref": "x",
                "y": 0,
                "yref": "paper",
                "yanchor": "top",
                "text": _("Today"),
                "showarrow": False,
                "font": {"color": TODAY_COLOUR},
            }
        ],
    }
    return {"data": data, "layout": layout}


def legend() -> list[tuple[str, str]]:
    """(key, label) of the bar colours, for the legend under the chart (CSS gantt-<key>)."""
    return [(key, str(BAR_LABELS[key])) for key in BAR_COLOURS]
