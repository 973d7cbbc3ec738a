"""Sensitivity of the composite rank: every method combination, and Monte Carlo over weights."""

from __future__ import annotations

import numpy as np
import pytest

from jinwei.rankings.composite import Criteria, MethodSpec, PanelData, aggregate, evaluate_stack
from jinwei.rankings.engine import EvaluationError
from jinwei.rankings.sensitivity import dirichlet_weights, method_combinations, monte_carlo


def criteria(n: int) -> Criteria:
    return Criteria(
        benefit=np.ones(n, dtype=bool),
        dimensions=["a"] * n,
        fixed_weights=np.full(n, np.nan),
        reference=np.full(n, np.nan),
    )


def matrix(seed: int = 1, m: int = 6, n: int = 4) -> np.ndarray:
    return np.random.default_rng(seed).random((m, n)) * 100


def run(x: np.ndarray, method: MethodSpec, **options: object):
    crit = criteria(x.shape[1])
    weights = evaluate_stack(x, crit, method).weights
    return monte_carlo(x, crit, method, weights, **options)


def test_it_is_deterministic_with_a_seed():
    x, method = matrix(), MethodSpec(weighting="entropy-cn")
    first = run(x, method, draws=500, seed=42)
    again = run(x, method, draws=500, seed=42)
    np.testing.assert_array_equal(first.median, again.median)
    np.testing.assert_array_equal(first.share_same, again.share_same)
    w1 = dirichlet_weights(np.array([0.5, 0.5]), draws=3, kappa=10, seed=1)
    w2 = dirichlet_weights(np.array([0.5, 0.5]), draws=3, kappa=10, seed=2)
    assert not np.array_equal(w1, w2)


def test_intervals_contain_the_median():
    for aggregation in ("wsum", "topsis", "vikor"):
        result = run(matrix(3), MethodSpec(aggregation=aggregation), draws=400, kappa=5)
        assert (result.low <= result.median).all()
        assert (result.median <= result.high).all()
        assert result.uncertain.any()  # κ = 5 scatters the weights widely


def test_a_dominant_region_is_certain():
    x = matrix(4)
    x[2] = x.max(axis=0) + 1  # best in every indicator
    result = run(x, MethodSpec(aggregation="topsis"), draws=1000, kappa=2)
    assert result.base_rank[2] == 1
    assert (result.low[2], result.median[2], result.high[2]) == (1, 1, 1)
    assert not result.uncertain[2]
    assert result.share_same[2] == 1.0


def test_the_draws_centre_on_the_chosen_weights_and_keep_zero_weights_at_zero():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    draws = dirichlet_weights(w, draws=20000, kappa=100, seed=9)
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    assert (draws[:, 3] == 0).all()
    np.testing.assert_allclose(draws.mean(axis=0), w, atol=0.005)
    # variance w(1 − w)/(κ + 1), as documented
    assert draws[:, 0].var() == pytest.approx(0.25 / 101, rel=0.05)


def test_the_batched_evaluation_matches_one_draw_at_a_time():
    x, method = matrix(5), MethodSpec(normalization="vector", aggregation="topsis")
    crit = criteria(4)
    w = dirichlet_weights(np.full(4, 0.25), draws=7, kappa=20, seed=3)
    r = evaluate_stack(x, crit, method).normalized
    batched = aggregate(r, w, crit, method).score
    for k in range(7):
        one = aggregate(r, w[k], crit, method).score
        np.testing.assert_allclose(batched[k], one, rtol=1e-12)


def test_every_combination_is_ranked_and_a_failing_one_says_why():
    x = matrix(6)[None]
    x[0, 0, 0] = -5.0  # standard entropy needs positive values
    panel = PanelData(
        years=[2023],
        region_codes=[f"r{i}" for i in range(6)],
        indicator_codes=list("abcd"),
        benefit=[True] * 4,
        dimensions=["a"] * 4,
        values=x,
    )
    method = MethodSpec(weighting="equal")
    combos = method_combinations(
        panel,
        method,
        {
            "normalizations": ["minmax", "rank"],
            "weightings": ["entropy"],
            "aggregations": ["vikor"],
        },
    )
    assert len(combos) == 2 * 2 * 2
    assert combos[0].key == ("minmax", "equal", "wsum")
    failed = [c for c in combos if c.ranks is None]
    assert {c.weighting for c in failed} == {"entropy"}
    assert all("entropy" in c.error for c in failed)
    for combo in combos:
        if combo.ranks is not None:
            assert sorted(combo.ranks[0].tolist())[0] == 1


def test_it_refuses_a_non_positive_concentration():
    with pytest.raises(EvaluationError):
        dirichlet_weights(np.array([1.0]), draws=10, kappa=0, seed=1)
