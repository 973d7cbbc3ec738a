"""How much a composite rank depends on the choices made: plain numpy, no Django.

(a) ``method_combinations``: the rank of every region under every combination of the scheme's
alternative normalisations × weightings × aggregations (the chosen method included).

(b) ``monte_carlo``: weights drawn from a Dirichlet distribution centred on the chosen weights,
α = κ · w (E[w̃] = w; the larger κ, the tighter the draws: each weight's variance is
w(1 − w)/(κ + 1), so with the default κ = 100 a weight of 0.2 has a standard deviation of 0.04).
Indicators with weight 0 stay at 0. The normalised matrix is fixed; all N draws are aggregated
in one batched call of the engine (in chunks that bound the memory for large groups), ranked,
and summarised per region by the median rank and the 5–95 % interval. A region whose interval
spans more than one place is *uncertain*: its rank moves under plausible weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import NDArray

from jinwei.rankings.composite import (
    Array,
    Criteria,
    MethodSpec,
    PanelData,
    aggregate,
    compute,
    normalize,
    ranks_of,
)
from jinwei.rankings.engine import EvaluationError

DEFAULT_DRAWS = 1000
DEFAULT_KAPPA = 100.0
DEFAULT_SEED = 20240220  # the day of the article the demo follows; any fixed seed will do
MAX_CELLS_PER_BATCH = 4_000_000  # draws × regions × indicators evaluated at once


@dataclass
class Combination:
    normalization: str
    weighting: str
    aggregation: str
    ranks: Array | None  # T × m, NaN where excluded; None when the method could not run
    error: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.normalization, self.weighting, self.aggregation)


def _with_chosen(chosen: str, others: list[str] | None) -> list[str]:
    return list(dict.fromkeys([chosen, *(others or [])]))


def method_combinations(
    panel: PanelData, method: MethodSpec, alternatives: dict[str, list[str]]
) -> list[Combination]:
    """Ranks under every combination of the alternatives; the chosen method comes first."""
    out = []
    for norm, weighting, agg in product(
        _with_chosen(method.normalization, alternatives.get("normalizations")),
        _with_chosen(method.weighting, alternatives.get("weightings")),
        _with_chosen(method.aggregation, alternatives.get("aggregations")),
    ):
        variant = method.but(normalization=norm, weighting=weighting, aggregation=agg)
        try:
            ranks: Array | None = compute(panel, variant).rank
            error = ""
        except EvaluationError as exc:
            ranks, error = None, str(exc)
        out.append(Combination(norm, weighting, agg, ranks, error))
    return out


@dataclass
class MonteCarlo:
    draws: int
    kappa: float
    seed: int
    base_rank: Array  # m: the rank with the chosen weights
    median: Array  # m
    low: Array  # m: 5th percentile of the rank
    high: Array  # m: 95th percentile of the rank
    share_same: Array  # m: the share of draws that keep the chosen rank

    @property
    def uncertain(self) -> NDArray[np.bool_]:
        return self.high > self.low


def dirichlet_weights(weights: Array, *, draws: int, kappa: float, seed: int) -> Array:
    """N × n weights from Dirichlet(κ·w) over the indicators with a positive weight."""
    if kappa <= 0 or draws < 1:
        raise EvaluationError("the Monte Carlo needs κ > 0 and at least one draw")
    w = np.asarray(weights, dtype=float)
    positive = w > 0
    out = np.zeros((draws, w.size))
    rng = np.random.default_rng(seed)
    out[:, positive] = rng.dirichlet(kappa * w[positive] / w[positive].sum(), size=draws)
    return out


def monte_carlo(
    x: Array,
    criteria: Criteria,
    method: MethodSpec,
    weights: Array,
    *,
    draws: int = DEFAULT_DRAWS,
    kappa: float = DEFAULT_KAPPA,
    seed: int = DEFAULT_SEED,
) -> MonteCarlo:
    """Rank distribution of one year's complete matrix x (m × n) under random weights."""
    r = normalize(x, criteria, method)
    w = dirichlet_weights(weights, draws=draws, kappa=kappa, seed=seed)
    base = aggregate(r, np.asarray(weights, dtype=float), criteria, method)
    base_rank = ranks_of(base.score, base.higher_is_better)
    m, n = x.shape
    batch = max(1, MAX_CELLS_PER_BATCH // max(1, m * n))
    ranks = np.empty((draws, m))
    for start in range(0, draws, batch):
        scores = aggregate(r, w[start : start + batch], criteria, method)
        ranks[start : start + batch] = ranks_of(scores.score, scores.higher_is_better)
    low, median, high = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    return MonteCarlo(
        draws=draws,
        kappa=kappa,
        seed=seed,
        base_rank=base_rank,
        median=median,
        low=low,
        high=high,
        share_same=np.mean(ranks == base_rank, axis=0),
    )
