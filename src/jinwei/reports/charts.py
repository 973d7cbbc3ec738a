"""Charts of the briefing drawn to PNG with matplotlib, for the Word file and the PDF.

The figure is drawn on an Agg canvas created here, never through pyplot: pyplot keeps global
state and a display backend, and the page writes briefings in background threads on a server
that has no display. Chinese text needs a CJK font (see `fonts`); without one the chart is
still drawn, with boxes in place of the characters, and the caller reports it.
"""

from __future__ import annotations

import io
import math
import warnings

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.font_manager import FontProperties

from jinwei.reports.document import Chart

WIDTH_INCHES = 6.3  # 16 cm: the text width of the page, so the image is not scaled down
HEIGHT_INCHES = 3.5
DPI = 200
# Restrained colours that stay apart when printed in grey: red of the masthead, navy, grey …
COLOURS = ("#c00000", "#1f4e79", "#7f7f7f", "#c55a11", "#548235", "#7030a0")
LABEL_ROOM = 45
LATIN_FALLBACK = "DejaVu Sans"  # digits and Latin letters when the CJK font lacks a glyph


def render_png(chart: Chart, *, font: str | None, with_title: bool = True) -> bytes:
    """The chart as PNG bytes, its text set in `font` (a family matplotlib knows) when given."""
    families = [font, LATIN_FALLBACK] if font else [LATIN_FALLBACK]
    props = FontProperties(family=families, size=9)
    figure = MplFigure(figsize=(WIDTH_INCHES, _height(chart)), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _DRAW[chart.kind](axes, chart)
    _dress(axes, chart, props, with_title=with_title)
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # without a CJK font every character warns; notes say it once
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _height(chart: Chart) -> float:
    """Horizontal bars need room for every category's label."""
    if chart.kind == "barh":
        return max(HEIGHT_INCHES, 0.9 + 0.32 * len(chart.categories) * max(1, len(chart.series)))
    return HEIGHT_INCHES


def _values(values: list[float | None]) -> list[float]:
    """Missing values become gaps (NaN): no bar, a break in the line."""
    return [math.nan if v is None else float(v) for v in values]


def _bar_slots(chart: Chart) -> tuple[list[float], float]:
    count = max(1, len(chart.series))
    width = 0.8 / count
    return [(i - (count - 1) / 2) * width for i in range(count)], width


def _draw_bar(axes: Axes, chart: Chart) -> None:
    offsets, width = _bar_slots(chart)
    for n, (series, offset) in enumerate(zip(chart.series, offsets, strict=False)):
        positions = [i + offset for i in range(len(chart.categories))]
        axes.bar(positions, _values(series.values), width, label=series.name, color=_colour(n))
    axes.set_xticks(range(len(chart.categories)), chart.categories)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)


def _draw_barh(axes: Axes, chart: Chart) -> None:
    offsets, width = _bar_slots(chart)
    for n, (series, offset) in enumerate(zip(chart.series, offsets, strict=False)):
        positions = [i + offset for i in range(len(chart.categories))]
        axes.barh(positions, _values(series.values), width, label=series.name, color=_colour(n))
    axes.set_yticks(range(len(chart.categories)), chart.categories)
    axes.invert_yaxis()  # the first category on top, as it is read
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)


def _draw_line(axes: Axes, chart: Chart) -> None:
    for n, series in enumerate(chart.series):
        axes.plot(
            range(len(chart.categories)),
            _values(series.values),
            marker="o",
            markersize=3,
            linewidth=1.6,
            label=series.name,
            color=_colour(n),
        )
    axes.set_xticks(range(len(chart.categories)), chart.categories)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)


_DRAW = {"bar": _draw_bar, "barh": _draw_barh, "line": _draw_line}


def _colour(n: int) -> str:
    return COLOURS[n % len(COLOURS)]


def _dress(axes: Axes, chart: Chart, props: FontProperties, *, with_title: bool) -> None:
    """Fonts on every piece of text, the unit on the value axis, a legend for several series."""
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.unit and chart.kind == "barh":
        axes.set_xlabel(chart.unit, fontproperties=props)
    elif chart.unit:  # upright above the value axis, as Chinese charts print it
        axes.set_ylabel(chart.unit, fontproperties=props, rotation=0, ha="left", va="bottom")
        axes.yaxis.set_label_coords(-0.02, 1.02)
    if with_title and chart.title:
        axes.set_title(chart.title, fontproperties=props.copy(), fontsize=11)
    if len(chart.series) > 1:
        axes.legend(prop=props, frameon=False)
    for text in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        text.set_fontproperties(props)
    if chart.kind != "barh" and _crowded(chart):
        for text in axes.get_xticklabels():
            text.set_rotation(30)
            text.set_horizontalalignment("right")


def _crowded(chart: Chart) -> bool:
    """Category labels overlap unless turned when, a character and a gap each, they need more
    than the width of the axes (about 45 characters at 9 pt)."""
    return sum(len(c) + 1 for c in chart.categories) > LABEL_ROOM
