"""Composite evaluation of a panel (years × regions × indicators): plain numpy, no Django.

The steps, in order:

1. **Missing data**, by the scheme's explicit policy. ``exclude``: a region missing any
   indicator in a year is left out of that year (normalisation, weights and ranks are computed
   without it). ``impute_mean``: a missing cell is filled with the mean of the regions that have
   the value that year, and the cell is reported as imputed. A year in which an indicator has no
   value at all, or fewer than two regions remain, is not evaluated (every region is marked
   excluded and the reason is kept in ``skipped``).
2. **Normalisation** with the engine's registered normaliser (``engine.NORMALIZERS``), per year.
3. **Weights.** A registered data-driven weighting (``engine.WEIGHTINGS``) computed per year;
   ``given`` uses the fixed (expert) weights of the scheme's indicators; ``ahp`` uses Saaty's
   weights of the scheme's pairwise-comparison matrix, which is either n × n over the
   indicators (indicator weights) or D × D over the dimensions (dimension weights, indicators
   equal within a dimension). With ``weights_by_dimension`` the weights are computed within each
   dimension (summing to 1 there) and multiplied by the dimension weights (the scheme's, or
   equal), so w_j = W_d · w_j|d.
4. **Aggregation** with the engine's registered aggregator; the dimension sub-scores are the same
   aggregator applied to each dimension's indicators with its within-dimension weights.
5. **Ranks** by competition ranking (1, 2, 2, 4; VIKOR's Q ranks lower-is-better), and the rank
   change against the previous year: previous rank − this rank, so a positive change is an
   advance (进位) and a negative one a fall (退位).

Everything the result depends on is in ``PanelData`` and ``MethodSpec``, both JSON-serialisable,
so a stored run is recomputed exactly from what was stored.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jinwei.rankings import engine
from jinwei.rankings.engine import AGGREGATORS, NORMALIZERS, WEIGHTINGS, EvaluationError

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

# Bump when a formula of the engine or of this module changes the numbers: stored runs keep it.
ENGINE_VERSION = "1"

GIVEN = "given"  # fixed (expert) weights from the scheme's indicators
AHP = "ahp"
EXCLUDE = "exclude"
IMPUTE_MEAN = "impute_mean"
MISSING_POLICIES = (EXCLUDE, IMPUTE_MEAN)


def weighting_names() -> list[str]:
    """Every weighting a scheme may choose: the engine's registry, fixed weights and AHP."""
    return [*WEIGHTINGS, GIVEN, AHP]


@dataclass
class PanelData:
    """The numbers of an evaluation, with the labels that make them reproducible on their own."""

    years: list[int]
    region_codes: list[str]
    indicator_codes: list[str]
    benefit: list[bool]  # True where higher is better
    dimensions: list[str]  # the dimension (code) of each indicator
    values: Array  # T × m × n, NaN where missing
    fixed_weights: list[float | None] = field(default_factory=list)
    reference: list[float | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.indicator_codes)
        self.values = np.asarray(self.values, dtype=float).reshape(
            len(self.years), len(self.region_codes), n
        )
        self.fixed_weights = list(self.fixed_weights) or [None] * n
        self.reference = list(self.reference) or [None] * n

    @property
    def dimension_order(self) -> list[str]:
        return list(dict.fromkeys(self.dimensions))

    def to_json(self) -> dict[str, Any]:
        return {
            "years": self.years,
            "regions": self.region_codes,
            "indicators": self.indicator_codes,
            "directions": ["higher" if b else "lower" for b in self.benefit],
            "dimensions": self.dimensions,
            **_values_json(self.values),
            "fixed_weights": self.fixed_weights,
            "reference": self.reference,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PanelData:
        return cls(
            years=list(data["years"]),
            region_codes=list(data["regions"]),
            indicator_codes=list(data["indicators"]),
            benefit=[d == "higher" for d in data["directions"]],
            dimensions=list(data["dimensions"]),
            values=_values_from_json(data),
            fixed_weights=list(data.get("fixed_weights") or []),
            reference=list(data.get("reference") or []),
        )


@dataclass(frozen=True)
class MethodSpec:
    normalization: str = "minmax"
    weighting: str = "entropy-cn"
    aggregation: str = "wsum"
    weights_by_dimension: bool = False
    dimension_weights: dict[str, float] = field(default_factory=dict)
    ahp_matrix: list[list[float]] = field(default_factory=list)
    missing_policy: str = EXCLUDE

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "engine_version": ENGINE_VERSION}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MethodSpec:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})

    def but(self, **changes: Any) -> MethodSpec:
        return replace(self, **changes)

    def check(self) -> None:
        """Refuse unknown method names before any computation."""
        for label, name, known in (
            ("normalisation", self.normalization, list(NORMALIZERS)),
            ("weighting", self.weighting, weighting_names()),
            ("aggregation", self.aggregation, list(AGGREGATORS)),
            ("missing-data policy", self.missing_policy, list(MISSING_POLICIES)),
        ):
            if name not in known:
                raise EvaluationError(f"unknown {label} {name!r}; known: {', '.join(known)}")


@dataclass(frozen=True)
class Criteria:
    """The per-indicator constants of an evaluation: direction, dimension, fixed weight, target."""

    benefit: Mask
    dimensions: list[str]
    fixed_weights: Array  # NaN where not set
    reference: Array  # NaN where not set

    @classmethod
    def of(cls, panel: PanelData) -> Criteria:
        def floats(values: list[float | None]) -> Array:
            return np.array([np.nan if v is None else float(v) for v in values], dtype=float)

        return cls(
            benefit=np.asarray(panel.benefit, dtype=bool),
            dimensions=list(panel.dimensions),
            fixed_weights=floats(panel.fixed_weights),
            reference=floats(panel.reference),
        )

    @property
    def dimension_order(self) -> list[str]:
        return list(dict.fromkeys(self.dimensions))

    def columns(self, dimension: str) -> NDArray[np.intp]:
        return np.flatnonzero(np.array(self.dimensions) == dimension)


# ------------------------------------------------------------------------------------- weights


def ahp_result(method: MethodSpec, criteria: Criteria) -> engine.AHPResult | None:
    """Saaty's weights of the scheme's matrix, or None when the weighting is not AHP."""
    if method.weighting != AHP:
        return None
    size = len(method.ahp_matrix)
    if size not in (len(criteria.dimensions), len(criteria.dimension_order)):
        raise EvaluationError(
            "the AHP matrix must compare the indicators (n × n) or the dimensions (D × D)"
        )
    result = engine.ahp(np.array(method.ahp_matrix, dtype=float))
    if not result.acceptable:
        raise EvaluationError(
            f"the AHP matrix is not consistent enough: CR = {result.consistency_ratio:.3f} ≥ 0.1"
        )
    return result


def _ahp_is_over_dimensions(method: MethodSpec, criteria: Criteria) -> bool:
    n, d = len(criteria.dimensions), len(criteria.dimension_order)
    return method.weighting == AHP and len(method.ahp_matrix) == d and d != n


def _base_weights(x: Array, criteria: Criteria, method: MethodSpec, by_dimension: bool) -> Array:
    """Indicator weights before the dimensions are combined, one row per stacked matrix."""
    k, n = x.shape[:-2], x.shape[-1]
    if method.weighting == GIVEN:
        w = criteria.fixed_weights
        if np.isnan(w).any() or (w < 0).any() or w.sum() <= 0:
            raise EvaluationError("fixed weights need a non-negative weight for every indicator")
        return np.broadcast_to(w, (*k, n)).copy()
    if method.weighting == AHP:
        if _ahp_is_over_dimensions(method, criteria):
            return np.ones((*k, n))
        result = ahp_result(method, criteria)
        assert result is not None  # noqa: S101 - weighting is AHP
        return np.broadcast_to(result.weights, (*k, n)).copy()
    func = WEIGHTINGS[method.weighting].func
    if not by_dimension:
        return np.asarray(func(x, criteria.benefit), dtype=float)
    w = np.empty((*k, n))
    for dim in criteria.dimension_order:
        cols = criteria.columns(dim)
        w[..., cols] = np.asarray(func(x[..., cols], criteria.benefit[cols]), dtype=float)
    return w


def dimension_weights(method: MethodSpec, criteria: Criteria) -> Array:
    """W_d in the order of the dimensions: AHP over dimensions, the scheme's numbers, or equal."""
    dims = criteria.dimension_order
    if _ahp_is_over_dimensions(method, criteria):
        result = ahp_result(method, criteria)
        assert result is not None  # noqa: S101 - weighting is AHP
        return np.asarray(result.weights, dtype=float)
    if not method.dimension_weights:
        return np.full(len(dims), 1.0 / len(dims))
    given = {k: float(v) for k, v in method.dimension_weights.items()}
    missing = [d for d in dims if d not in given]
    if missing:
        raise EvaluationError(f"no dimension weight for {', '.join(missing)}")
    raw = np.array([given[d] for d in dims])
    if (raw < 0).any() or raw.sum() <= 0:
        raise EvaluationError("dimension weights must be non-negative and not all zero")
    return raw / raw.sum()


def _within(w: Array, cols: NDArray[np.intp]) -> Array:
    """The weights of some columns rescaled to sum to 1 (equal if they are all zero)."""
    part = w[..., cols]
    total = part.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, part / np.where(total > 0, total, 1), 1.0 / len(cols))


def resolve_weights(x: Array, criteria: Criteria, method: MethodSpec) -> Array:
    """Final indicator weights (… × n, summing to 1) for complete matrices x (… × m × n)."""
    by_dimension = method.weights_by_dimension or _ahp_is_over_dimensions(method, criteria)
    base = _base_weights(x, criteria, method, by_dimension)
    if not by_dimension:
        return _within(base, np.arange(x.shape[-1]))
    w = np.empty_like(base)
    for dim, weight in zip(
        criteria.dimension_order, dimension_weights(method, criteria), strict=True
    ):
        cols = criteria.columns(dim)
        w[..., cols] = weight * _within(base, cols)
    return w


# --------------------------------------------------------------------------- stacked evaluation


@dataclass
class StackResult:
    """Scores of complete matrices (… × m × n); `score` is higher-is-better unless VIKOR."""

    weights: Array  # … × n
    normalized: Array  # … × m × n
    score: Array  # … × m
    dimension_scores: Array  # … × m × D
    higher_is_better: bool

    @property
    def merit(self) -> Array:
        """The score turned so that larger is always better (VIKOR's Q negated)."""
        return self.score if self.higher_is_better else -self.score


def normalize(x: Array, criteria: Criteria, method: MethodSpec) -> Array:
    reference: Array | None = None
    if method.normalization == "target":
        if np.isnan(criteria.reference).any():
            raise EvaluationError("the 'target' normalisation needs a reference value everywhere")
        reference = criteria.reference
    func = NORMALIZERS[method.normalization].func
    return np.asarray(func(x, criteria.benefit, reference), dtype=float)


def aggregate(r: Array, w: Array, criteria: Criteria, method: MethodSpec) -> engine.Scores:
    return AGGREGATORS[method.aggregation].func(r, w)  # type: ignore[return-value]


def sub_scores(r: Array, w: Array, criteria: Criteria, method: MethodSpec) -> Array:
    """Each dimension's score: the same aggregator on its indicators with within-weights."""
    parts = [
        aggregate(r[..., cols], _within(w, cols), criteria, method).score
        for cols in (criteria.columns(d) for d in criteria.dimension_order)
    ]
    return np.stack(parts, axis=-1)


def evaluate_stack(x: Array, criteria: Criteria, method: MethodSpec) -> StackResult:
    """Normalise, weight and aggregate complete matrices (… × m × n) in one batched call."""
    method.check()
    if np.isnan(x).any():
        raise EvaluationError("the matrix has missing values: apply the missing-data policy first")
    r = normalize(x, criteria, method)
    w = resolve_weights(x, criteria, method)
    scores = aggregate(r, w, criteria, method)
    return StackResult(
        weights=w,
        normalized=r,
        score=np.asarray(scores.score, dtype=float),
        dimension_scores=sub_scores(r, w, criteria, method),
        higher_is_better=scores.higher_is_better,
    )


def ranks_of(score: Array, higher_is_better: bool) -> Array:
    return engine.competition_rank(score if higher_is_better else -score, axis=-1)


# ----------------------------------------------------------------------------- missing data


@dataclass
class Prepared:
    """The panel after the missing-data policy: filled values and who is in each year."""

    values: Array  # T × m × n; NaN only in excluded cells
    imputed: Mask  # T × m × n
    excluded: Mask  # T × m
    skipped: dict[int, tuple[str, str]]  # year → (reason, detail)


def apply_missing_policy(panel: PanelData, policy: str) -> Prepared:
    """Exclude the incomplete regions of each year, or fill their gaps with the year's mean."""
    x = panel.values
    missing: Mask = np.isnan(x)
    excluded: Mask = np.asarray(missing.any(axis=-1))
    imputed: Mask = np.zeros_like(missing)
    filled = x.copy()
    if policy == IMPUTE_MEAN:
        with warnings.catch_warnings():  # an all-missing column is handled below
            warnings.simplefilter("ignore", RuntimeWarning)
            means = np.nanmean(x, axis=-2, keepdims=True)
        filled = np.where(missing, means, x)
        imputed = missing & ~np.isnan(means)
        excluded = np.asarray(np.isnan(filled).any(axis=-1))
    skipped: dict[int, tuple[str, str]] = {}
    for t, year in enumerate(panel.years):
        empty = np.flatnonzero(missing[t].all(axis=0))
        present = int((~excluded[t]).sum())
        if empty.size:
            skipped[year] = ("no_data", panel.indicator_codes[int(empty[0])])
        elif present < 2:
            skipped[year] = ("too_few", str(present))
        if year in skipped:
            excluded[t] = True
            imputed[t] = False
    return Prepared(values=filled, imputed=imputed, excluded=excluded, skipped=skipped)


# ----------------------------------------------------------------------------------- result


@dataclass
class CompositeResult:
    years: list[int]
    region_codes: list[str]
    indicator_codes: list[str]
    dimensions: list[str]  # dimension codes, in order
    score: Array  # T × m, NaN where excluded
    rank: Array  # T × m, NaN where excluded
    rank_change: Array  # T × m: previous rank − this rank (positive = 进位)
    dimension_scores: Array  # T × m × D
    weights: Array  # T × n, NaN in years not evaluated
    dimension_weight: Array  # T × D: the sum of the weights of each dimension's indicators
    imputed: Mask  # T × m × n
    excluded: Mask  # T × m
    skipped: dict[int, tuple[str, str]]
    higher_is_better: bool
    consistency_ratio: float | None = None  # AHP only

    def year_index(self, year: int) -> int:
        return self.years.index(year)


def compute(panel: PanelData, method: MethodSpec) -> CompositeResult:
    """Evaluate every year of the panel; years with the same regions are evaluated as one stack."""
    method.check()
    criteria = Criteria.of(panel)
    ahp = ahp_result(method, criteria)
    prepared = apply_missing_policy(panel, method.missing_policy)
    t_count, m, n = panel.values.shape
    d = len(criteria.dimension_order)
    score = np.full((t_count, m), np.nan)
    dims = np.full((t_count, m, d), np.nan)
    weights = np.full((t_count, n), np.nan)
    higher = True
    for years, rows in _groups(prepared):
        x = prepared.values[np.ix_(years, rows, np.arange(n))]
        result = evaluate_stack(x, criteria, method)
        higher = result.higher_is_better
        score[np.ix_(years, rows)] = result.score
        dims[np.ix_(years, rows, np.arange(d))] = result.dimension_scores
        weights[years] = result.weights
    rank = ranks_of(score, higher)
    change = np.full_like(rank, np.nan)
    change[1:] = rank[:-1] - rank[1:]
    dim_weight = np.stack(
        [weights[:, criteria.columns(dim)].sum(axis=1) for dim in criteria.dimension_order], axis=1
    )
    return CompositeResult(
        years=list(panel.years),
        region_codes=list(panel.region_codes),
        indicator_codes=list(panel.indicator_codes),
        dimensions=criteria.dimension_order,
        score=score,
        rank=rank,
        rank_change=change,
        dimension_scores=dims,
        weights=weights,
        dimension_weight=dim_weight,
        imputed=prepared.imputed,
        excluded=prepared.excluded,
        skipped=prepared.skipped,
        higher_is_better=higher,
        consistency_ratio=None if ahp is None else float(ahp.consistency_ratio),
    )


def _groups(prepared: Prepared) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Years that include the same regions, with those regions' indices."""
    by_mask: dict[bytes, list[int]] = {}
    for t, out in enumerate(prepared.excluded):
        if not out.all():
            by_mask.setdefault(out.tobytes(), []).append(t)
    return [(np.array(ts), np.flatnonzero(~prepared.excluded[ts[0]])) for ts in by_mask.values()]


def year_matrix(panel: PanelData, method: MethodSpec, year: int) -> tuple[Array, list[int]]:
    """One year's complete matrix after the missing-data policy, and the rows it keeps."""
    prepared = apply_missing_policy(panel, method.missing_policy)
    t = panel.years.index(year)
    rows = np.flatnonzero(~prepared.excluded[t])
    return prepared.values[t][rows], [int(i) for i in rows]


# ------------------------------------------------------------------------------------ JSON


def _nan_to_none(a: Array) -> Any:
    """Nested lists with None for NaN, without a Python call per cell (panels can be large)."""
    cells = np.asarray(a, dtype=float).astype(object)
    cells[np.isnan(np.asarray(a, dtype=float))] = None
    return cells.tolist()


# Up to this many cells the stored matrix is nested lists that people can read; beyond it (a
# province's panel), little-endian float64 bytes in base64: a tenth of the time to write, and
# exact all the same.
READABLE_CELLS = 100_000


def _values_json(values: Array) -> dict[str, Any]:
    if values.size <= READABLE_CELLS:
        return {"values": _nan_to_none(values)}
    raw = np.ascontiguousarray(values, dtype="<f8").tobytes()
    return {"values_base64": base64.b64encode(raw).decode("ascii"), "shape": list(values.shape)}


def _values_from_json(data: dict[str, Any]) -> Array:
    if "values_base64" in data:
        raw = base64.b64decode(data["values_base64"])
        return np.frombuffer(raw, dtype="<f8").reshape(data["shape"]).astype(float)
    return _none_to_nan(data["values"])


def _none_to_nan(data: Any) -> Any:
    return np.array(data, dtype=float)  # None becomes NaN


def json_floats(a: Array) -> Any:
    """An array as nested lists with None for NaN (JSON and PostgreSQL have no NaN)."""
    return _nan_to_none(np.asarray(a, dtype=float))
