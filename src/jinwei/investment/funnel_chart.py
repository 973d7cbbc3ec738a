"""The funnel chart as a Plotly figure in plain data (static/jinwei/charts.js draws it): the
leads that reached each stage, with the share of the stage before (numbers only, so the chart
reads the same in every language; the table under it names the figures)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jinwei.investment.funnel import Funnel

FUNNEL_COLOUR = "#1a5fb4"
SIGNED_COLOUR = "#2e7d32"


def funnel_figure(result: Funnel) -> dict[str, Any]:
    rows = result.stages
    signed_from = next(i for i, row in enumerate(rows) if row.signed is not None)
    data = [
        {
            "type": "funnel",
            "name": _("Leads that reached the stage"),
            "y": [row.label for row in rows],
            "x": [row.reached for row in rows],
            "text": _bar_texts(result),
            "textinfo": "text",
            "marker": {
                "color": [
                    SIGNED_COLOUR if i >= signed_from else FUNNEL_COLOUR for i in range(len(rows))
                ]
            },
            "connector": {"line": {"color": "#d8dee4"}},
            "hovertemplate": "%{y}: %{x}<extra></extra>",
        }
    ]
    layout = {
        "height": 380,
        "margin": {"l": 20, "r": 30, "t": 20, "b": 30},
        "showlegend": False,
        "yaxis": {"automargin": True},
    }
    return {"data": data, "layout": layout}


def _bar_texts(result: Funnel) -> list[str]:
    """Each bar's count, and below it the share (%) of the stage before that got this far."""
    texts = []
    for index, row in enumerate(result.stages):
        before = result.stages[index - 1].conversion if index else None
        texts.append(f"{row.reached}<br>{before}%" if before is not None else str(row.reached))
    return texts
