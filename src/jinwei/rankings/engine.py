"""The composite-evaluation engine: normalise, weight, aggregate — plain numpy, no Django.

Matrices are alternatives × criteria (m × n), or a stack of them, years × alternatives × criteria
(T × m × n); every function works on the last two axes, so a whole panel of years is evaluated in
one call. `benefit` is a boolean vector over criteria: True where higher is better.

Each method is one function in a registry (NORMALIZERS, WEIGHTINGS, AGGREGATORS); adding a method
is adding a function with the same signature and registering it. The formulas follow the
methods' original papers and, where they share a method, agree with pymcdm and scikit-criteria
(the test suite checks this to 1e-9):

- Hwang & Yoon (1981), *Multiple Attribute Decision Making* — TOPSIS, vector normalisation.
- Opricovic & Tzeng (2004), EJOR 156(2):445–455 — VIKOR.
- Diakoulaki, Mavrotas & Papayannakis (1995), C&OR 22(7):763–770 — CRITIC.
- Shannon entropy weights (Zeleny 1982; Hwang & Yoon 1981) — the standard form on proportions of
  raw values, and the form common in Chinese evaluation practice (熵权法), which standardises with
  min-max and direction first. Both are offered under different names and never mixed.
- Saaty (1980), *The Analytic Hierarchy Process* — AHP eigenvector weights, consistency ratio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
Normalizer = Callable[[Array, Mask, Array | None], Array]
Weighting = Callable[[Array, Mask], Array]
F = TypeVar("F", bound=Callable[..., Any])


class EvaluationError(ValueError):
    """An input the methods cannot evaluate; the message says which and why."""


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    func: Callable[..., object]
    doc: str = ""


NORMALIZERS: dict[str, Method] = {}
WEIGHTINGS: dict[str, Method] = {}
AGGREGATORS: dict[str, Method] = {}


def _register(registry: dict[str, Method], name: str, label: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        registry[name] = Method(name, label, func, (func.__doc__ or "").strip())
        return func

    return decorate


# --------------------------------------------------------------------------------- normalisation
# Every normaliser returns benefit-oriented scores: larger is better in every column.


def _span(x: Array) -> tuple[Array, Array, Array]:
    low = np.nanmin(x, axis=-2, keepdims=True)
    high = np.nanmax(x, axis=-2, keepdims=True)
    return low, high, high - low


@_register(NORMALIZERS, "minmax", "Min-max")
def minmax(x: Array, benefit: Mask, reference: Array | None = None) -> Array:
    """r = (x − min)/(max − min) for benefit criteria, (max − x)/(max − min) for cost criteria;
    a constant column scores 1 for everyone (it does not discriminate)."""
    low, high, span = _span(x)
    # One affine pass, r = (x − origin)·scale, instead of computing both directions and choosing:
    # this is the kernel of the benchmark's hot path.
    origin = np.where(benefit, low, high)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(span > 0, np.where(benefit, 1.0, -1.0) / span, 0.0)
    r = x - origin
    r *= scale
    if np.any(span == 0):
        r = np.where(span == 0, 1.0, r)
    return r


@_register(NORMALIZERS, "zscore", "Z-score")
def zscore(x: Array, benefit: Mask, reference: Array | None = None) -> Array:
    """r = ±(x − mean)/σ with the population σ; a constant column scores 0."""
    mean = np.nanmean(x, axis=-2, keepdims=True)
    std = np.nanstd(x, axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (x - mean) / std
    r = np.where(std == 0, 0.0, r)
    return np.where(benefit, r, -r)


@_register(NORMALIZERS, "vector", "Vector (TOPSIS)")
def vector(x: Array, benefit: Mask, reference: Array | None = None) -> Array:
    """r = x/‖x‖ for benefit criteria and 1 − x/‖x‖ for cost criteria (as pymcdm)."""
    norm = np.sqrt(np.nansum(x**2, axis=-2, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(norm == 0, 0.0, x / norm)
    return np.where(benefit, r, 1 - r)


@_register(NORMALIZERS, "rank", "Rank")
def rank(x: Array, benefit: Mask, reference: Array | None = None) -> Array:
    """r = (m − rank)/(m − 1) with competition ranks (1 = best, ties share);
    a single region scores 1."""
    ranks = competition_rank(np.where(benefit, x, -x), axis=-2)
    m = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (m - ranks) / (m - 1)
    return np.where(m <= 1, 1.0, r)


@_register(NORMALIZERS, "target", "Distance to target")
def target(x: Array, benefit: Mask, reference: Array | None = None) -> Array:
    """r = min(x/target, 1) for benefit criteria, min(target/x, 1) for cost criteria: 1 means the
    target (or reference value) is met; needs a positive target per criterion."""
    if reference is None:
        raise EvaluationError("the 'target' normalisation needs a target value for every indicator")
    ref = np.broadcast_to(np.asarray(reference, dtype=float), x.shape[-1:])
    if np.any(~(ref > 0)):
        raise EvaluationError("targets must be positive numbers")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(benefit, x / ref, np.where(x > 0, ref / x, 1.0))
    return np.minimum(r, 1.0)


# ------------------------------------------------------------------------------------- weighting


def _normalise_weights(w: Array) -> Array:
    total = np.sum(w, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, w / total, 1.0 / w.shape[-1])
    return out


@_register(WEIGHTINGS, "equal", "Equal")
def equal_weights(x: Array, benefit: Mask) -> Array:
    """w_j = 1/n."""
    return np.full(x.shape[:-2] + x.shape[-1:], 1.0 / x.shape[-1])


def _entropy(y: Array) -> Array:
    """e_j = −Σ_i p_ij ln p_ij / ln m with p = y/Σ_i y, for non-negative y, 0·ln 0 = 0.

    Computed as ln S − (Σ y ln y)/S (S = Σ_i y): one logarithm per cell and no proportions
    matrix. A column summing to 0 carries no information: e = 1."""
    m = y.shape[-2]
    if m < 2:
        return np.ones(y.shape[:-2] + y.shape[-1:])
    total = np.sum(y, axis=-2)
    # ln y where y > 0 and 0 elsewhere (0·ln 0 = 0); the masked form only when there are zeros.
    positive = bool(np.all(y > 0))
    logs = np.log(y) if positive else np.log(y, out=np.zeros_like(y), where=y > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = np.log(total) - np.einsum("...ij,...ij->...j", logs, y) / total
    # Rounding can push e a hair above 1 for an (almost) uniform column; clip at 1.
    return np.where(total > 0, np.minimum(h / np.log(m), 1.0), 1.0)


@_register(WEIGHTINGS, "entropy", "Entropy (standard)")
def entropy_weights(x: Array, benefit: Mask) -> Array:
    """Standard form: p_ij = x_ij/Σ_i x_ij on the raw values (which must not be negative),
    e_j = −Σ p ln p / ln m with 0·ln 0 = 0 (as scikit-criteria), w_j = (1 − e_j)/Σ(1 − e).
    Direction does not enter. A constant column has e = 1 and weight 0."""
    if np.any(x < 0):
        raise EvaluationError(
            "standard entropy weights need values that are not negative; use entropy-cn"
        )
    return _normalise_weights(1 - _entropy(x))


@_register(WEIGHTINGS, "entropy-cn", "Entropy (熵权法, min-max first)")
def entropy_cn_weights(x: Array, benefit: Mask) -> Array:
    """熵权法 as practised in Chinese evaluation: standardise with min-max and direction first,
    then p_ij = r_ij/Σ_i r_ij, e_j = −Σ p ln p / ln m with 0·ln 0 = 0, w_j = (1 − e_j)/Σ(1 − e).
    A constant column has e = 1 and weight 0."""
    return _normalise_weights(1 - _entropy(minmax(x, benefit)))


@_register(WEIGHTINGS, "critic", "CRITIC")
def critic_weights(x: Array, benefit: Mask) -> Array:
    """C_j = σ_j Σ_k (1 − r_jk) on min-max standardised values (with direction), r the Pearson
    correlation; w_j = C_j/ΣC. A constant column has σ = 0 and weight 0, and it is left out of
    the others' conflict sums, so they weigh as if it were not there."""
    r = minmax(x, benefit)
    std = np.std(r, axis=-2)
    centred = r - np.mean(r, axis=-2, keepdims=True)
    cov = np.einsum("...ij,...ik->...jk", centred, centred) / r.shape[-2]
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / (std[..., :, None] * std[..., None, :])
    corr = np.where(np.isfinite(corr), corr, 1.0)  # no conflict with a constant column
    conflict = np.sum(1 - corr, axis=-1)
    return _normalise_weights(std * conflict)


@_register(WEIGHTINGS, "std", "Standard deviation")
def std_weights(x: Array, benefit: Mask) -> Array:
    """w_j = σ_j/Σσ on the raw values (sample σ, as pymcdm and scikit-criteria)."""
    if x.shape[-2] < 2:
        raise EvaluationError("standard-deviation weights need at least two regions")
    return _normalise_weights(np.std(x, axis=-2, ddof=1))


RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}


@dataclass(frozen=True)
class AHPResult:
    weights: Array
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def acceptable(self) -> bool:
        return self.consistency_ratio < 0.1


def ahp(matrix: Array) -> AHPResult:
    """Saaty's principal-eigenvector weights of a reciprocal pairwise-comparison matrix;
    CI = (λmax − n)/(n − 1), CR = CI/RI (RI from Saaty's table). CR ≥ 0.1 is not acceptable."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or n < 1:
        raise EvaluationError("the pairwise-comparison matrix must be square")
    if np.any(a <= 0) or not np.allclose(a * a.T, 1.0):
        raise EvaluationError("the pairwise-comparison matrix must be positive and reciprocal")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri else 0.0
    return AHPResult(w, lam, ci, cr)


# ----------------------------------------------------------------------------------- aggregation


@dataclass
class Scores:
    """Scores per alternative (higher is better, except VIKOR's Q, S and R: lower is better)."""

    score: Array
    higher_is_better: bool = True
    extra: dict[str, Array] = field(default_factory=dict)


@_register(AGGREGATORS, "wsum", "Weighted sum")
def weighted_sum(r: Array, w: Array) -> Scores:
    """S_i = Σ_j w_j r_ij."""
    return Scores(np.einsum("...ij,...j->...i", r, w))


@_register(AGGREGATORS, "wprod", "Weighted product")
def weighted_product(r: Array, w: Array) -> Scores:
    """S_i = Π_j r_ij^w_j (normalised values must not be negative; a zero value with a positive
    weight makes the product 0, and a criterion of weight 0 counts as 1, as 0⁰ = 1)."""
    if np.any(r < 0):
        raise EvaluationError(
            "the weighted product needs normalised values that are not negative; "
            "use min-max, vector, rank or target normalisation"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.log(r) * w[..., None, :]
    terms = np.where(w[..., None, :] == 0, 0.0, terms)
    return Scores(np.exp(np.sum(terms, axis=-1)))


def _weighted_row_norm(diff: Array, w2: Array) -> Array:
    """√(Σ_j w_j² diff_ij²); squares `diff` in place."""
    np.square(diff, out=diff)
    return np.sqrt(np.matmul(diff, w2)[..., 0])


@_register(AGGREGATORS, "topsis", "TOPSIS")
def topsis(r: Array, w: Array) -> Scores:
    """v = w·r; D⁺, D⁻ the Euclidean distances to the best and worst v of each criterion;
    closeness C_i = D⁻/(D⁺ + D⁻). Everyone equal → 0.5 (no one is nearer either ideal)."""
    # With w ≥ 0 the ideals of v are w times those of r, and D² = Σ_j w_j² (r_ij − r*_j)²: one
    # scratch matrix, squared in place and reduced by a matrix product, instead of forming v.
    best = np.max(r, axis=-2, keepdims=True)
    worst = np.min(r, axis=-2, keepdims=True)
    w2 = (w * w)[..., :, None]
    scratch = np.subtract(r, best)
    d_plus = _weighted_row_norm(scratch, w2)
    d_minus = _weighted_row_norm(np.subtract(r, worst, out=scratch), w2)
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, d_minus / total, 0.5)
    return Scores(closeness, extra={"d_plus": d_plus, "d_minus": d_minus})


@_register(AGGREGATORS, "vikor", "VIKOR")
def vikor(r: Array, w: Array, v: float = 0.5) -> Scores:
    """f* and f⁻ the best and worst r of each criterion; S_i = Σ w (f* − r)/(f* − f⁻),
    R_i = max_j w (f* − r)/(f* − f⁻), Q_i = v(S − S*)/(S⁻ − S*) + (1 − v)(R − R*)/(R⁻ − R*).
    Lower Q is better. A criterion equal for all contributes 0; Q is 0 when S (or R) is equal
    for all."""
    best = np.max(r, axis=-2, keepdims=True)
    worst = np.min(r, axis=-2, keepdims=True)
    span = best - worst
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(span > 0, (best - r) / span, 0.0) * w[..., None, :]
    s, rr = np.sum(d, axis=-1), np.max(d, axis=-1)

    def scaled(a: Array) -> Array:
        lo, hi = np.min(a, axis=-1, keepdims=True), np.max(a, axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(hi > lo, (a - lo) / (hi - lo), 0.0)

    q = v * scaled(s) + (1 - v) * scaled(rr)
    return Scores(q, higher_is_better=False, extra={"S": s, "R": rr})


# --------------------------------------------------------------------------------------- ranking


def competition_rank(values: Array, axis: int = -1) -> Array:
    """Competition ranks, larger values first: 1, 2, 2, 4. NaN (missing) stays NaN, unranked.

    rank = 1 + how many values are strictly larger, found by binary search in the sorted row
    (O(m log m) per row, so thousands of regions stay cheap).
    """
    v = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    flat = v.reshape(-1, v.shape[-1])
    ranks = np.empty_like(flat)
    for i, row in enumerate(flat):
        present = row[~np.isnan(row)]
        ascending = np.sort(present)
        greater = present.size - np.searchsorted(ascending, row, side="right")
        ranks[i] = np.where(np.isnan(row), np.nan, 1 + greater)
    return np.moveaxis(ranks.reshape(v.shape), -1, axis)


@dataclass
class Evaluation:
    weights: Array
    normalized: Array
    scores: Scores

    @property
    def ranks(self) -> Array:
        """Competition ranks of the scores; scores equal to SCORE_DECIMALS decimals tie."""
        s = score_for_ranking(self.scores.score)
        return competition_rank(s if self.scores.higher_is_better else -s, axis=-1)


SCORE_DECIMALS = 12


def score_for_ranking(score: Array) -> Array:
    """Scores rounded to SCORE_DECIMALS decimals before ranking: regions whose scores are equal
    in exact arithmetic (the same values in another order, tied ranks) can differ in the last
    bits of a float, and that rounding noise must not split a tie."""
    return np.round(score, SCORE_DECIMALS)


def evaluate(
    x: ArrayLike,
    benefit: ArrayLike,
    *,
    normalize: str = "minmax",
    weighting: str = "equal",
    aggregate: str = "wsum",
    given_weights: ArrayLike | None = None,
    reference: ArrayLike | None = None,
) -> Evaluation:
    """Normalise, weight and aggregate a (T ×) m × n matrix with no missing values."""
    matrix = np.ascontiguousarray(x, dtype=np.float64)
    directions = np.asarray(benefit, dtype=np.bool_)
    if matrix.ndim < 2 or directions.ndim != 1 or matrix.shape[-1] != directions.shape[0]:
        raise EvaluationError(
            "the matrix needs one column per criterion, with a direction for each"
        )
    if matrix.shape[-2] < 1:
        raise EvaluationError("there is nothing to evaluate: no regions")
    if not np.isfinite(matrix).all():
        if np.isnan(matrix).any():
            raise EvaluationError("the matrix has missing values: exclude or impute them first")
        raise EvaluationError("the matrix has infinite values")
    _check_method("normalisation", normalize, NORMALIZERS)
    _check_method("weighting", weighting, WEIGHTINGS, extra=("given",))
    _check_method("aggregation", aggregate, AGGREGATORS)
    ref = None if reference is None else np.asarray(reference, dtype=np.float64)
    r = np.asarray(NORMALIZERS[normalize].func(matrix, directions, ref), dtype=np.float64)
    if weighting == "given":
        w = _given_weights(given_weights, matrix.shape)
    else:
        w = np.asarray(WEIGHTINGS[weighting].func(matrix, directions), dtype=np.float64)
    scores = AGGREGATORS[aggregate].func(r, w)
    if not isinstance(scores, Scores):
        raise TypeError(f"aggregator {aggregate!r} must return Scores")
    return Evaluation(weights=w, normalized=r, scores=scores)


def _check_method(
    kind: str, chosen: str, registry: dict[str, Method], extra: tuple[str, ...] = ()
) -> None:
    if chosen not in registry and chosen not in extra:
        known = ", ".join([*registry, *extra])
        raise EvaluationError(f"unknown {kind} method {chosen!r}; known: {known}")


def _given_weights(given: ArrayLike | None, shape: tuple[int, ...]) -> Array:
    """Fixed weights, one per criterion (or one row per year), each row summing to 1."""
    if given is None:
        raise EvaluationError("weighting 'given' needs the weights")
    w = np.asarray(given, dtype=np.float64)
    if (
        w.ndim < 1
        or w.shape[-1] != shape[-1]
        or not np.isfinite(w).all()
        or np.any(w < 0)
        or not np.allclose(np.sum(w, axis=-1), 1.0)
    ):
        raise EvaluationError(
            "given weights need one non-negative weight per criterion, summing to 1"
        )
    try:
        return np.broadcast_to(w, shape[:-2] + shape[-1:])
    except ValueError:
        raise EvaluationError("given weights need one row per year, or one row for all") from None
