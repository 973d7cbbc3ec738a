"""The tables and charts of the composite-evaluation pages, shared by the pages and their Excel
exports (same columns, same decimals). Everything here reads the stored run: no queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.indicators.tables import Label, Link, Table
from jinwei.lib.xlsx import Column, Number
from jinwei.rankings import composite
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, EvaluationScore, SchemeIndicator
from jinwei.rankings.scheme_forms import method_label
from jinwei.rankings.sensitivity import Combination, MonteCarlo
from jinwei.rankings.services import ahp_check
from jinwei.rankings.whatif import WhatIf

SCORE_DECIMALS = 4


@dataclass(frozen=True)
class RunLabels:
    """The names of what a run evaluated, from its stored inputs (as they were at run time)."""

    years: list[int]
    region_codes: list[str]
    region_names: list[str]
    indicator_codes: list[str]
    indicator_names: list[str]
    units: list[str]
    decimals: list[int]
    valid_min: list[float | None]
    valid_max: list[float | None]
    directions: list[str]
    dimensions: list[str]  # per indicator
    dimension_names: dict[str, str]

    @classmethod
    def of(cls, run: EvaluationRun) -> RunLabels:
        inputs = run.inputs
        labels = inputs.get("labels", {})
        n = len(inputs["indicators"])
        return cls(
            years=list(inputs["years"]),
            region_codes=list(inputs["regions"]),
            region_names=list(labels.get("regions") or inputs["regions"]),
            indicator_codes=list(inputs["indicators"]),
            indicator_names=list(labels.get("indicators") or inputs["indicators"]),
            units=list(labels.get("units") or [""] * n),
            decimals=list(labels.get("decimals") or [2] * n),
            valid_min=list(labels.get("valid_min") or [None] * n),
            valid_max=list(labels.get("valid_max") or [None] * n),
            directions=list(inputs["directions"]),
            dimensions=list(inputs["dimensions"]),
            dimension_names=dict(labels.get("dimensions") or {}),
        )

    @property
    def dimension_order(self) -> list[str]:
        return list(dict.fromkeys(self.dimensions))

    def dimension_name(self, code: str) -> str:
        return self.dimension_names.get(code, code)

    def direction_label(self, j: int) -> str:
        return _("Higher is better") if self.directions[j] == "higher" else _("Lower is better")

    def indicator_name(self, j: int) -> str:
        unit = self.units[j]
        return f"{self.indicator_names[j]}（{unit}）" if unit else self.indicator_names[j]


def _lower_is_better(run: EvaluationRun) -> bool:
    return run.method.get("aggregation") == "vikor"


def change_label(change: int | None) -> Label:
    """进位 ↑ / 退位 ↓ against the previous year."""
    if change is None:
        return Label("—")
    if change > 0:
        return Label(_("↑%(places)d advanced") % {"places": change}, "rank-up")
    if change < 0:
        return Label(_("↓%(places)d fell back") % {"places": -change}, "rank-down")
    return Label(_("unchanged"), "rank-same")


def what_moves_url(run: EvaluationRun, code: str, year: int) -> str:
    return reverse("rankings:what_moves", args=[run.pk, code]) + f"?year={year}"


# ------------------------------------------------------------------------------ scheme pages


def scheme_method_rows(
    scheme: EvaluationScheme, items: list[SchemeIndicator]
) -> list[tuple[str, str]]:
    dims = {item.dimension.code: item.dimension.name for item in items}
    rows = _method_rows(
        {
            "normalization": scheme.normalization,
            "weighting": scheme.weighting,
            "aggregation": scheme.aggregation,
            "weights_by_dimension": scheme.weights_by_dimension,
            "dimension_weights": scheme.dimension_weights,
            "missing_policy": scheme.missing_policy,
        },
        dims,
    )
    if scheme.weighting == composite.AHP and scheme.ahp_matrix:
        try:
            cr = ahp_check(scheme.ahp_matrix).consistency_ratio
            rows.append((_("AHP consistency ratio"), f"{cr:.3f}"))
        except ValidationError as error:  # shown, not raised: the page explains it
            rows.append((_("AHP consistency ratio"), " ".join(error.messages)))
    alternatives = scheme.alternatives or {}
    for key, label in (
        ("normalizations", _("Other normalisations")),
        ("weightings", _("Other weightings")),
        ("aggregations", _("Other aggregations")),
    ):
        names = alternatives.get(key) or []
        rows.append((label, "、".join(method_label(n) for n in names) or "—"))
    rows.append((_("Years"), f"{scheme.first_year}–{scheme.last_year}"))
    return rows


def _method_rows(method: dict[str, Any], dims: dict[str, str]) -> list[tuple[str, str]]:
    weights = method.get("dimension_weights") or {}
    dim_text = (
        "、".join(f"{dims.get(code, code)} {float(w):g}" for code, w in weights.items())
        if weights
        else _("equal")
    )
    policy = EvaluationScheme.MissingPolicy(method["missing_policy"]).label
    return [
        (_("Normalisation"), method_label(method["normalization"])),
        (_("Weighting"), method_label(method["weighting"])),
        (_("Aggregation"), method_label(method["aggregation"])),
        (
            _("Weights per dimension"),
            _("yes: within each dimension, then times the dimension weight")
            if method.get("weights_by_dimension")
            else _("no: over all indicators"),
        ),
        (_("Dimension weights"), dim_text),
        (_("Missing data"), str(policy)),
    ]


def scheme_items_table(scheme: EvaluationScheme, items: list[SchemeIndicator]) -> Table:
    table = Table(
        _("Indicators of %(scheme)s") % {"scheme": scheme.name},
        [
            Column(_("Dimension"), 10),
            Column(_("Indicator"), 24),
            Column(_("Unit of measure"), 8),
            Column(_("Direction"), 10),
            Column(_("Fixed weight"), 10),
            Column(_("Target or reference value"), 12),
        ],
    )
    for item in items:
        indicator = item.indicator
        table.add(
            [
                item.dimension.name,
                indicator.name,
                indicator.unit,
                indicator.get_direction_display(),
                Number(item.weight, 4),
                Number(item.reference, indicator.decimals),
            ]
        )
    return table


# --------------------------------------------------------------------------------- run page


def run_method_rows(run: EvaluationRun, labels: RunLabels) -> list[tuple[str, str]]:
    method = run.method
    rows = _method_rows(method, labels.dimension_names)
    if method.get("consistency_ratio") is not None:
        rows.append((_("AHP consistency ratio"), f"{method['consistency_ratio']:.3f}"))
    if _lower_is_better(run):
        rows.append((_("Score"), _("VIKOR's Q: lower is better")))
    rows += [
        (_("Engine version"), str(method.get("engine_version", ""))),
        (_("Computed at"), timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Computed by"), str(run.created_by) if run.created_by else _("system")),
        (_("Published"), _("yes") if run.is_published else _("no, visible to supervisors only")),
    ]
    return rows


def method_table(run: EvaluationRun, labels: RunLabels) -> Table:
    table = Table(_("Method"), [Column(_("Item"), 20), Column(_("Value"), 60)], name=_("Method"))
    for label, value in run_method_rows(run, labels):
        table.add([label, value])
    return table


def score_table(
    run: EvaluationRun, labels: RunLabels, scores: list[EvaluationScore], year: int
) -> Table:
    dims = labels.dimension_order
    name_of = dict(zip(labels.indicator_codes, labels.indicator_names, strict=True))
    table = Table(
        _("Composite scores %(year)s · %(scheme)s") % {"year": year, "scheme": run.scheme.name},
        [
            Column(_("Rank"), 6),
            Column(_("Region"), 14),
            Column(_("Composite score"), 12, decimals=SCORE_DECIMALS),
            Column(_("Change"), 12),
            *[Column(labels.dimension_name(d), 10, decimals=SCORE_DECIMALS) for d in dims],
            Column(_("Imputed with the group mean"), 24),
            Column(_("Note"), 16),
        ],
        name=str(year),
    )
    rows = [s for s in scores if s.year == year]
    rows.sort(key=lambda s: (s.rank is None, s.rank or 0, s.region.code))
    for s in rows:
        table.add(
            [
                s.rank,
                Link(s.region.name, what_moves_url(run, s.region.code, year)),
                s.score,
                change_label(s.rank_change),
                *[s.dimension_scores.get(d) for d in dims],
                Label("、".join(name_of.get(c, c) for c in s.imputed), "imputed"),
                Label(_("Left out: incomplete data"), "excluded") if s.excluded else "",
            ]
        )
    return table


def weights_table(run: EvaluationRun, labels: RunLabels) -> Table:
    by_year = run.weights.get("indicators", {})
    table = Table(
        _("Indicator weights · %(scheme)s") % {"scheme": run.scheme.name},
        [
            Column(_("Dimension"), 10),
            Column(_("Indicator"), 24),
            Column(_("Direction"), 10),
            *[Column(str(y), 8, decimals=SCORE_DECIMALS) for y in labels.years],
        ],
        name=_("Weights"),
    )
    for j, code in enumerate(labels.indicator_codes):
        table.add(
            [
                labels.dimension_name(labels.dimensions[j]),
                labels.indicator_name(j),
                labels.direction_label(j),
                *[by_year.get(str(y), {}).get(code) for y in labels.years],
            ]
        )
    return table


def dimension_weights_table(run: EvaluationRun, labels: RunLabels) -> Table:
    by_year = run.weights.get("dimensions", {})
    table = Table(
        _("Dimension weights · %(scheme)s") % {"scheme": run.scheme.name},
        [
            Column(_("Dimension"), 12),
            *[Column(str(y), 8, decimals=SCORE_DECIMALS) for y in labels.years],
        ],
        name=_("Dimension weights"),
    )
    for code in labels.dimension_order:
        table.add(
            [
                labels.dimension_name(code),
                *[by_year.get(str(y), {}).get(code) for y in labels.years],
            ]
        )
    return table


def rank_figure(labels: RunLabels, scores: list[EvaluationScore]) -> dict[str, Any]:
    """Plotly lines: each region's rank over the years (1 at the top)."""
    by_region: dict[str, dict[int, int | None]] = {}
    names: dict[str, str] = {}
    for s in scores:
        by_region.setdefault(s.region.code, {})[s.year] = s.rank
        names[s.region.code] = s.region.name
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": names[code],
            "x": labels.years,
            "y": [ranks.get(y) for y in labels.years],
            "connectgaps": False,
        }
        for code, ranks in sorted(by_region.items())
    ]
    return {
        "data": data,
        "layout": {
            "yaxis": {"title": {"text": _("Rank")}, "autorange": "reversed", "dtick": 1},
            "xaxis": {"dtick": 1},
            "height": 380,
        },
    }


def skipped_notes(run: EvaluationRun) -> list[str]:
    notes = []
    for year, (reason, detail) in sorted((run.method.get("skipped") or {}).items()):
        if reason == "no_data":
            notes.append(
                _("%(year)s was not evaluated: no region has a value of %(indicator)s.")
                % {"year": year, "indicator": detail}
            )
        else:
            notes.append(
                _("%(year)s was not evaluated: fewer than two regions have complete data.")
                % {"year": year}
            )
    return notes


# ------------------------------------------------------------------------------ sensitivity


def combinations_table(labels: RunLabels, combos: list[Combination], t: int) -> Table:
    table = Table(
        _("Rank under every combination of methods, %(year)s") % {"year": labels.years[t]},
        [
            Column(_("Normalisation"), 12),
            Column(_("Weighting"), 14),
            Column(_("Aggregation"), 10),
            *[Column(name, 6) for name in labels.region_names],
            Column(_("Note"), 20),
        ],
    )
    for k, combo in enumerate(combos):
        ranks = combo.ranks[t] if combo.ranks is not None else [np.nan] * len(labels.region_names)
        table.add(
            [
                method_label(combo.normalization),
                method_label(combo.weighting),
                method_label(combo.aggregation),
                *[None if np.isnan(r) else int(r) for r in ranks],
                Label(_("chosen method"), "chosen") if k == 0 else combo.error,
            ]
        )
    return table


def _method_range(combos: list[Combination], t: int, i: int) -> str:
    ranks = [c.ranks[t, i] for c in combos if c.ranks is not None and not np.isnan(c.ranks[t, i])]
    if not ranks:
        return "—"
    low, high = int(min(ranks)), int(max(ranks))
    return str(low) if low == high else f"{low}–{high}"


def monte_carlo_table(
    run: EvaluationRun,
    labels: RunLabels,
    rows: list[int],
    carlo: MonteCarlo,
    combos: list[Combination],
    t: int,
) -> Table:
    table = Table(
        _("Rank under random weights, %(year)s") % {"year": labels.years[t]},
        [
            Column(_("Region"), 14),
            Column(_("Rank"), 6),
            Column(_("Median rank"), 8),
            Column(_("5 %"), 6),
            Column(_("95 %"), 6),
            Column(_("Draws keeping the rank (%)"), 10, decimals=1),
            Column(_("Ranks across methods"), 10),
            Column(_("Verdict"), 10),
        ],
    )
    order = np.argsort(carlo.base_rank, kind="stable")
    for k in order:
        i = rows[k]
        table.add(
            [
                Link(
                    labels.region_names[i],
                    what_moves_url(run, labels.region_codes[i], labels.years[t]),
                ),
                int(carlo.base_rank[k]),
                int(carlo.median[k]),
                int(carlo.low[k]),
                int(carlo.high[k]),
                float(carlo.share_same[k]) * 100,
                _method_range(combos, t, i),
                Label(_("uncertain"), "uncertain")
                if carlo.uncertain[k]
                else Label(_("certain"), "certain"),
            ]
        )
    return table


def monte_carlo_figure(labels: RunLabels, rows: list[int], carlo: MonteCarlo) -> dict[str, Any]:
    """Median rank with its 5–95 % interval per region; uncertain regions in another colour."""
    order = np.argsort(carlo.base_rank, kind="stable")
    names = [labels.region_names[rows[k]] for k in order]

    def trace(mask: np.ndarray, name: str, colour: str) -> dict[str, Any]:
        ks = [k for k in order if mask[k]]
        return {
            "type": "scatter",
            "mode": "markers",
            "name": name,
            "x": [labels.region_names[rows[k]] for k in ks],
            "y": [float(carlo.median[k]) for k in ks],
            "marker": {"size": 11, "color": colour},
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [float(carlo.high[k] - carlo.median[k]) for k in ks],
                "arrayminus": [float(carlo.median[k] - carlo.low[k]) for k in ks],
                "color": colour,
            },
        }

    chosen = {
        "type": "scatter",
        "mode": "markers",
        "name": _("Rank with the chosen weights"),
        "x": names,
        "y": [float(carlo.base_rank[k]) for k in order],
        "marker": {"symbol": "line-ew-open", "size": 18, "color": "#1f2328"},
    }
    return {
        "data": [
            trace(
                carlo.uncertain, _("Uncertain: median and 5th–95th percentile interval"), "#cf222e"
            ),
            trace(
                ~carlo.uncertain, _("Certain: median and 5th–95th percentile interval"), "#1a7f37"
            ),
            chosen,
        ],
        "layout": {
            "yaxis": {"title": {"text": _("Rank")}, "autorange": "reversed", "dtick": 1},
            "xaxis": {"categoryorder": "array", "categoryarray": names},
            "height": 380,
        },
    }


# ---------------------------------------------------------------------------- what-if page


def what_moves_context(
    run: EvaluationRun, labels: RunLabels, rows: list[int], result: WhatIf, year: int
) -> dict[str, Any]:
    targets = [labels.region_names[rows[k]] for k in result.targets]
    return {
        "result": result,
        "rank": result.rank,
        "targets": "、".join(targets),
        "target_code": labels.region_codes[rows[result.targets[0]]] if result.targets else "",
        "gap": result.gap,
        "any_reachable": any(imp.reachable for imp in result.improvements),
        "contributions_table": _contributions_table(labels, result, targets, year),
        "improvements_table": _improvements_table(labels, result, targets, year),
        "others": [
            (labels.region_codes[i], labels.region_names[i])
            for i in range(len(labels.region_codes))
        ],
    }


def _contributions_table(labels: RunLabels, result: WhatIf, targets: list[str], year: int) -> Table:
    target = targets[0] if targets else ""
    table = Table(
        _("Contributions to the gap with %(target)s, %(year)s") % {"target": target, "year": year},
        [
            Column(_("Dimension"), 10),
            Column(_("Indicator"), 24),
            Column(_("Direction"), 10),
            Column(_("This region"), 12),
            Column(target, 12),
            Column(_("Contribution to the gap"), 12, decimals=SCORE_DECIMALS),
            Column(_("Share of the gap (%)"), 10, decimals=1),
        ],
    )
    gap = result.gap
    for c in sorted(result.contributions, key=lambda c: -c.contribution):
        j = c.indicator
        table.add(
            [
                labels.dimension_name(labels.dimensions[j]),
                labels.indicator_name(j),
                labels.direction_label(j),
                Number(c.region_value, labels.decimals[j]),
                Number(c.target_value, labels.decimals[j]),
                c.contribution,
                c.contribution / gap * 100 if gap else None,
            ]
        )
    return table


def _improvements_table(labels: RunLabels, result: WhatIf, targets: list[str], year: int) -> Table:
    table = Table(
        _("Smallest single-indicator change that overtakes %(target)s, %(year)s")
        % {"target": targets[0] if targets else "", "year": year},
        [
            Column(_("Indicator"), 24),
            Column(_("Unit of measure"), 8),
            Column(_("Now"), 12),
            Column(_("Needed"), 12),
            Column(_("Change"), 12),
            Column(_("Change (%)"), 10, decimals=1),
            Column(_("In group ranges"), 10, decimals=2),
            Column(_("Result"), 20),
        ],
    )
    for imp in result.improvements:
        j = imp.indicator
        places = labels.decimals[j] if imp.rounded is not None else labels.decimals[j] + 3
        delta = imp.shown_delta
        relative = None if delta is None or imp.current == 0 else delta / abs(imp.current) * 100
        table.add(
            [
                labels.indicator_name(j),
                labels.units[j],
                Number(imp.current, labels.decimals[j]),
                Number(imp.shown_value, places),
                Number(imp.shown_delta, places),
                relative,
                None if not imp.reachable else imp.effort,
                Label(_("overtakes"), "reachable")
                if imp.reachable
                else Label(_("not reachable by this indicator alone"), "unreachable"),
            ]
        )
    return table
