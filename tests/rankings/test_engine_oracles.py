"""The engine against pymcdm and scikit-criteria (test-only oracles) on random matrices.

Every method the engine shares with either library must agree with it to 1e-9. The libraries'
defaults differ from each other and from ours; each test says which defaults it overrides:

- pymcdm's TOPSIS normalises with min-max by default (we pass the normaliser explicitly);
  its WSM and WPM default to sum normalisation (overridden: min-max or vector); its VIKOR
  defaults to no normalisation (overridden: min-max, which leaves S, R and Q unchanged).
- scikit-criteria's TOPSIS, WeightedSumModel and WeightedProductModel normalise nothing and
  refuse cost criteria (or warn): we feed them our normalised, benefit-oriented matrix with
  every objective "max". Its WeightedProductModel scores are log10 of the product.
- pymcdm's CRITIC ignores the direction of criteria (it min-max normalises every column as a
  benefit); it is compared on all-benefit matrices only. scikit-criteria's honours objectives.

The draws avoid degenerate input on purpose: every column holds distinct positive values
(0.01 … 1000), so no column is constant; constant columns are tested in test_engine.py.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import skcriteria as skc
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm_methods
from pymcdm import normalizations as pm_norm
from pymcdm import weights as pm_weights
from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
from skcriteria.agg.topsis import TOPSIS as SkcTOPSIS
from skcriteria.preprocessing import weighters as skc_weighters

from jinwei.rankings import engine

# pymcdm warns about dominant and dominated alternatives, which random draws often have.
pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")
TOLERANCE = 1e-9
PYMCDM_NORMALIZERS: dict[str, Callable[..., Any]] = {
    "minmax": pm_norm.minmax_normalization,
    "vector": pm_norm.vector_normalization,
}

Problem = tuple[np.ndarray, np.ndarray, np.ndarray]


@st.composite
def problems(draw: st.DrawFn, *, all_benefit: bool = False) -> Problem:
    """(x, benefit, weights): m × n distinct positive values per column, directions, weights."""
    m = draw(st.integers(3, 8))
    n = draw(st.integers(2, 6))
    columns = [
        draw(st.lists(st.integers(1, 100_000), min_size=m, max_size=m, unique=True))
        for _ in range(n)
    ]
    x = np.array(columns, dtype=float).T / 100
    if all_benefit:
        benefit = np.ones(n, dtype=bool)
    else:
        benefit = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    raw = np.array(draw(st.lists(st.integers(1, 100), min_size=n, max_size=n)), dtype=float)
    return x, benefit, raw / raw.sum()


def assume_some_conflict(x: np.ndarray, benefit: np.ndarray) -> None:
    """CRITIC is 0/0 when every pair of criteria correlates perfectly (no conflict anywhere);
    the libraries then return NaN, the engine equal weights (tested in test_engine.py)."""
    signed = np.where(benefit, x, -x)
    assume(np.min(np.corrcoef(signed, rowvar=False)) < 0.999)


def assume_vikor_defined(scores: engine.Scores) -> None:
    """Q is 0/0 when S (or R) is the same for every alternative; pymcdm then returns NaN and the
    engine 0 for that term (tested in test_engine.py)."""
    assume(np.ptp(scores.extra["S"]) > 1e-6 and np.ptp(scores.extra["R"]) > 1e-6)


def types(benefit: np.ndarray) -> np.ndarray:
    """pymcdm's criterion types: 1 profit, −1 cost."""
    return np.where(benefit, 1, -1)


def pymcdm_normalise(x: np.ndarray, benefit: np.ndarray, name: str) -> np.ndarray:
    func = PYMCDM_NORMALIZERS[name]
    return np.column_stack([func(x[:, j], cost=not benefit[j]) for j in range(x.shape[1])])


def explained(method: Any, x: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> dict[str, Any]:
    """pymcdm's intermediate tables (S, R, Q for VIKOR) by their labels."""
    result = method(x, w, types(benefit), verbose=True)
    return {table.desc.label: table.data for table in result.results}


def skc_matrix(r: np.ndarray, w: np.ndarray) -> Any:
    """A scikit-criteria decision matrix of our benefit-oriented values: every objective max."""
    return skc.mkdm(r, [max] * r.shape[1], weights=w)


def close(ours: np.ndarray, theirs: np.ndarray) -> None:
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE)


# ---------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("name", ["minmax", "vector"])
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_normalisation_agrees_with_pymcdm(name: str, problem: Problem) -> None:
    x, benefit, _w = problem
    ours = engine.NORMALIZERS[name].func(x, benefit)
    close(ours, pymcdm_normalise(x, benefit, name))


# -------------------------------------------------------------------------------- weighting


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_entropy_weights_agree_with_both_libraries(problem: Problem) -> None:
    # The standard form on proportions of raw (positive) values; direction does not enter.
    x, benefit, _w = problem
    ours = engine.entropy_weights(x, benefit)
    close(ours, pm_weights.entropy_weights(x))
    close(ours, skc_weighters.entropy_weights(x))


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_critic_weights_agree_with_scikit_criteria_with_directions(problem: Problem) -> None:
    # scikit-criteria's defaults (Pearson correlation, scale by distance to the ideal) are the
    # paper's and ours; it uses the population σ, as we do.
    x, benefit, _w = problem
    assume_some_conflict(x, benefit)
    ours = engine.critic_weights(x, benefit)
    close(ours, skc_weighters.critic_weights(x, types(benefit)))


@settings(max_examples=60, deadline=None)
@given(problem=problems(all_benefit=True))
def test_critic_weights_agree_with_pymcdm_on_benefit_criteria(problem: Problem) -> None:
    # pymcdm min-max normalises every column as a benefit, whatever the criterion's type, so it
    # is only an oracle when every criterion is a benefit. It uses the sample σ (ddof=1); the
    # factor √(m/(m−1)) is common to all criteria and cancels in the normalised weights.
    x, benefit, _w = problem
    assume_some_conflict(x, benefit)
    close(engine.critic_weights(x, benefit), pm_weights.critic_weights(x))


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_std_weights_agree_with_both_libraries(problem: Problem) -> None:
    x, benefit, _w = problem
    ours = engine.std_weights(x, benefit)
    close(ours, pm_weights.standard_deviation_weights(x))
    close(ours, skc_weighters.std_weights(x))


@settings(max_examples=20, deadline=None)
@given(problem=problems())
def test_equal_weights_agree_with_both_libraries(problem: Problem) -> None:
    x, benefit, _w = problem
    ours = engine.equal_weights(x, benefit)
    close(ours, pm_weights.equal_weights(x))
    skc_equal = skc_weighters.equal_weights(x)  # base_value=1 per criterion: normalise
    close(ours, skc_equal / skc_equal.sum())


# ------------------------------------------------------------------------------ aggregation


@pytest.mark.parametrize("name", ["minmax", "vector"])
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_topsis_agrees_with_pymcdm(name: str, problem: Problem) -> None:
    x, benefit, w = problem
    # pymcdm's default normaliser is min-max; pass ours explicitly for both.
    theirs = pm_methods.TOPSIS(normalization_function=PYMCDM_NORMALIZERS[name])(
        x, w, types(benefit)
    )
    ours = engine.evaluate(
        x, benefit, normalize=name, weighting="given", given_weights=w, aggregate="topsis"
    )
    close(ours.scores.score, theirs)


@pytest.mark.parametrize("name", ["minmax", "vector"])
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_topsis_agrees_with_scikit_criteria_on_our_normalised_matrix(
    name: str, problem: Problem
) -> None:
    x, benefit, w = problem
    ours = engine.evaluate(
        x, benefit, normalize=name, weighting="given", given_weights=w, aggregate="topsis"
    )
    # scikit-criteria's TOPSIS does no normalisation of its own: it gets our normalised matrix.
    result = SkcTOPSIS().evaluate(skc_matrix(ours.normalized, w))
    close(ours.scores.score, result.e_.similarity)


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_vikor_agrees_with_pymcdm(problem: Problem) -> None:
    x, benefit, w = problem
    ours = engine.evaluate(
        x, benefit, normalize="minmax", weighting="given", given_weights=w, aggregate="vikor"
    )
    # pymcdm's VIKOR defaults to no normalisation (f* = max, or min for a cost criterion);
    # we give it min-max, the matching normaliser (v = 0.5 in both).
    assume_vikor_defined(ours.scores)
    tables = explained(pm_methods.VIKOR(pm_norm.minmax_normalization), x, w, benefit)
    assert ours.scores.higher_is_better is False
    close(ours.scores.score, tables["q"])
    close(ours.scores.extra["S"], tables["s"])
    close(ours.scores.extra["R"], tables["r"])


@settings(max_examples=40, deadline=None)
@given(problem=problems())
def test_vikor_does_not_depend_on_a_linear_normalisation(problem: Problem) -> None:
    # VIKOR's (f* − f)/(f* − f⁻) is invariant under any per-column affine map, so the raw
    # matrix (pymcdm's default, no normalisation) gives the same Q as our min-max.
    x, benefit, w = problem
    ours = engine.evaluate(
        x, benefit, normalize="vector", weighting="given", given_weights=w, aggregate="vikor"
    )
    assume_vikor_defined(ours.scores)
    close(ours.scores.score, pm_methods.VIKOR()(x, w, types(benefit)))


@pytest.mark.parametrize("name", ["minmax", "vector"])
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_weighted_sum_agrees_with_both_libraries(name: str, problem: Problem) -> None:
    x, benefit, w = problem
    ours = engine.evaluate(
        x, benefit, normalize=name, weighting="given", given_weights=w, aggregate="wsum"
    )
    # pymcdm's WSM defaults to sum normalisation: overridden with ours.
    theirs = pm_methods.WSM(normalization_function=PYMCDM_NORMALIZERS[name])(x, w, types(benefit))
    close(ours.scores.score, theirs)
    result = WeightedSumModel().evaluate(skc_matrix(ours.normalized, w))
    close(ours.scores.score, result.e_.score)


@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_weighted_product_agrees_with_both_libraries(problem: Problem) -> None:
    # Vector normalisation keeps every value positive (x/‖x‖ < 1 with m ≥ 2 positive values),
    # as both libraries' products need.
    x, benefit, w = problem
    ours = engine.evaluate(
        x, benefit, normalize="vector", weighting="given", given_weights=w, aggregate="wprod"
    )
    # pymcdm's WPM defaults to sum normalisation: overridden with vector.
    theirs = pm_methods.WPM(normalization_function=pm_norm.vector_normalization)(
        x, w, types(benefit)
    )
    close(ours.scores.score, theirs)
    # scikit-criteria scores Σ w log10(r): the log10 of the product.
    result = WeightedProductModel().evaluate(skc_matrix(ours.normalized, w))
    close(np.log10(ours.scores.score), result.e_.score)


# ------------------------------------------------------------------------------ end to end


@settings(max_examples=40, deadline=None)
@given(problem=problems())
def test_entropy_topsis_pipeline_agrees_with_pymcdm(problem: Problem) -> None:
    # The benchmark's computation: standard entropy weights, then TOPSIS on min-max values
    # (pymcdm's TOPSIS default normaliser, left as is here).
    x, benefit, _w = problem
    ours = engine.evaluate(x, benefit, normalize="minmax", weighting="entropy", aggregate="topsis")
    w = pm_weights.entropy_weights(x)
    close(ours.weights, w)
    close(ours.scores.score, pm_methods.TOPSIS()(x, w, types(benefit)))


@settings(max_examples=40, deadline=None)
@given(problem=problems())
def test_critic_wsum_pipeline_agrees_with_scikit_criteria(problem: Problem) -> None:
    x, benefit, _w = problem
    assume_some_conflict(x, benefit)
    ours = engine.evaluate(x, benefit, normalize="minmax", weighting="critic", aggregate="wsum")
    w = skc_weighters.critic_weights(x, types(benefit))
    close(ours.weights, w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no hidden division problems on either side
        result = WeightedSumModel().evaluate(skc_matrix(ours.normalized, w))
    close(ours.scores.score, result.e_.score)
