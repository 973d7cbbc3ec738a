"""The evaluation engine on its own: formulas without an oracle, and the edge cases.

Ties, missing values, a constant column, negative values and a single region must each give a
defined result or a clear EvaluationError — never a NaN, a warning or a division by zero.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from jinwei.rankings import engine
from jinwei.rankings.engine import EvaluationError, competition_rank, evaluate

X = np.array(
    [
        [120.0, 3.1, 45.0],
        [95.0, 2.4, 60.0],
        [150.0, 4.0, 38.0],
        [80.0, 1.9, 72.0],
    ]
)
BENEFIT = np.array([True, True, False])
TARGETS = np.array([140.0, 3.5, 40.0])


@contextmanager
def strict() -> Iterator[None]:
    """Any floating-point warning (division by zero, invalid value) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            yield


def run(x: np.ndarray, benefit: np.ndarray, n: str, w: str, a: str) -> engine.Evaluation:
    """Evaluate with every method's required extra inputs supplied."""
    k = x.shape[-1]
    return evaluate(
        x,
        benefit,
        normalize=n,
        weighting=w,
        aggregate=a,
        given_weights=np.full(k, 1 / k) if w == "given" else None,
        reference=np.full(k, 200.0) if n == "target" else None,
    )


ALL_WEIGHTINGS = [*engine.WEIGHTINGS, "given"]
COMBINATIONS = list(itertools.product(engine.NORMALIZERS, ALL_WEIGHTINGS, engine.AGGREGATORS))


# ----------------------------------------------------------------------------------- ranking


def test_competition_rank_shares_ties_and_skips_after_them() -> None:
    assert competition_rank(np.array([9.0, 7.0, 7.0, 3.0])).tolist() == [1, 2, 2, 4]
    assert competition_rank(np.array([5.0, 5.0, 5.0])).tolist() == [1, 1, 1]


def test_competition_rank_leaves_missing_values_unranked() -> None:
    ranks = competition_rank(np.array([3.0, np.nan, 5.0, 3.0]))
    assert np.isnan(ranks[1])
    assert ranks[[0, 2, 3]].tolist() == [2, 1, 2]  # the missing one is not counted above anyone


def test_competition_rank_works_along_any_axis() -> None:
    values = np.array([[1.0, 4.0], [3.0, 2.0], [2.0, 2.0]])
    assert competition_rank(values, axis=0).tolist() == [[3, 1], [1, 2], [2, 2]]
    assert competition_rank(values, axis=-1).tolist() == [[2, 1], [1, 2], [1, 1]]


def test_scores_equal_but_for_rounding_noise_tie() -> None:
    scores = engine.Scores(np.array([0.1 + 0.2, 0.3, 0.2]))  # 0.30000000000000004 and 0.3
    result = engine.Evaluation(weights=np.ones(1), normalized=np.ones((3, 1)), scores=scores)
    assert result.ranks.tolist() == [1, 1, 3]


def test_evaluation_ranks_put_the_lowest_vikor_q_first() -> None:
    result = evaluate(X, BENEFIT, normalize="minmax", weighting="equal", aggregate="vikor")
    assert result.scores.higher_is_better is False
    assert result.ranks[np.argmin(result.scores.score)] == 1
    assert result.ranks[np.argmax(result.scores.score)] == len(X)


# ----------------------------------------------------------------------- formulas, no oracle


def test_zscore_is_scipys_population_zscore_with_direction() -> None:
    expected = scipy.stats.zscore(X, axis=0)  # ddof=0, as documented
    np.testing.assert_allclose(engine.zscore(X, BENEFIT), expected * np.where(BENEFIT, 1, -1))


def test_rank_normalisation_maps_best_to_one_and_worst_to_zero_with_ties() -> None:
    x = np.array([[10.0, 1.0], [20.0, 1.0], [20.0, 3.0], [5.0, 2.0]])
    r = engine.rank(x, np.array([True, False]))
    # column 0: ranks 3, 1, 1, 4 of m = 4 -> (4 − rank)/3; column 1 (cost): 1, 1, 4, 3
    np.testing.assert_allclose(r[:, 0], [1 / 3, 1, 1, 0])
    np.testing.assert_allclose(r[:, 1], [1, 1, 0, 1 / 3])


def test_target_normalisation_caps_at_the_target() -> None:
    r = engine.target(X, BENEFIT, TARGETS)
    np.testing.assert_allclose(r[:, 0], np.minimum(X[:, 0] / 140, 1))
    np.testing.assert_allclose(r[:, 2], np.minimum(40 / X[:, 2], 1))  # cost: target over value
    assert r[2, 0] == 1 and r[2, 2] == 1  # over the benefit target, under the cost target


def test_target_normalisation_needs_positive_targets() -> None:
    with pytest.raises(EvaluationError, match="target"):
        evaluate(X, BENEFIT, normalize="target")
    with pytest.raises(EvaluationError, match="positive"):
        evaluate(X, BENEFIT, normalize="target", reference=[1.0, 0.0, 2.0])


def test_entropy_cn_matches_a_hand_computation() -> None:
    # Min-max gives (0, ½, 1) in the first column: p = (0, ⅓, ⅔) and, with 0·ln 0 = 0,
    # e = −(⅓ ln ⅓ + ⅔ ln ⅔)/ln 3. The second column, (1, 0, 0) after direction, has e = 0.
    x = np.array([[1.0, 1.0], [2.0, 5.0], [3.0, 5.0]])
    e1 = -(1 / 3 * np.log(1 / 3) + 2 / 3 * np.log(2 / 3)) / np.log(3)
    d = np.array([1 - e1, 1.0])
    np.testing.assert_allclose(engine.entropy_cn_weights(x, np.array([True, False])), d / d.sum())


def test_weighted_product_counts_a_zero_weight_criterion_as_one() -> None:
    r = np.array([[0.0, 0.5], [1.0, 0.25]])
    scores = engine.weighted_product(r, np.array([0.0, 1.0]))
    np.testing.assert_allclose(scores.score, [0.5, 0.25])  # 0⁰ = 1, not NaN


def test_weighted_product_refuses_negative_normalised_values() -> None:
    with pytest.raises(EvaluationError, match="not negative"):
        evaluate(X, BENEFIT, normalize="zscore", aggregate="wprod")


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    combination=st.sampled_from(COMBINATIONS),
)
def test_a_panel_of_years_gives_what_each_year_gives_alone(
    seed: int, combination: tuple[str, str, str]
) -> None:
    rng = np.random.default_rng(seed)
    panel = rng.uniform(1, 100, size=(3, 6, 4))
    benefit = np.array([True, False, True, True])
    normalize, weighting, aggregate = combination
    if normalize == "zscore" and aggregate == "wprod":
        return  # refused, tested above
    whole = run(panel, benefit, normalize, weighting, aggregate)
    for year in range(3):
        alone = run(panel[year], benefit, normalize, weighting, aggregate)
        np.testing.assert_allclose(whole.weights[year], alone.weights, atol=1e-12)
        np.testing.assert_allclose(whole.scores.score[year], alone.scores.score, atol=1e-12)
        np.testing.assert_array_equal(whole.ranks[year], alone.ranks)


def test_given_weights_may_differ_per_year() -> None:
    panel = np.stack([X, X[::-1]])
    w = np.array([[0.2, 0.3, 0.5], [0.5, 0.25, 0.25]])
    result = evaluate(panel, BENEFIT, weighting="given", given_weights=w)
    np.testing.assert_array_equal(result.weights, w)


@pytest.mark.parametrize(
    "weights",
    [[0.5, 0.5], [0.5, 0.6, -0.1], [0.2, 0.2, 0.2], [np.nan, 0.5, 0.5]],
    ids=["too few", "negative", "not summing to 1", "missing"],
)
def test_given_weights_are_checked(weights: list[float]) -> None:
    with pytest.raises(EvaluationError, match="given weights"):
        evaluate(X, BENEFIT, weighting="given", given_weights=weights)


def test_given_weighting_needs_the_weights() -> None:
    with pytest.raises(EvaluationError, match="needs the weights"):
        evaluate(X, BENEFIT, weighting="given")


@pytest.mark.parametrize(
    ("option", "value"),
    [("normalize", "log"), ("weighting", "ahp"), ("aggregate", "electre")],
)
def test_unknown_methods_are_refused_with_the_known_ones_listed(option: str, value: str) -> None:
    with pytest.raises(EvaluationError, match="known: "):
        evaluate(X, BENEFIT, **{option: value})  # type: ignore[arg-type]


def test_a_direction_is_needed_for_every_criterion() -> None:
    with pytest.raises(EvaluationError, match="direction"):
        evaluate(X, [True, False])


# ---------------------------------------------------------------------------- missing values


def test_evaluate_refuses_missing_values_clearly() -> None:
    x = X.copy()
    x[1, 2] = np.nan
    with pytest.raises(EvaluationError, match="missing values"):
        evaluate(x, BENEFIT)


def test_evaluate_refuses_infinite_values() -> None:
    x = X.copy()
    x[0, 0] = np.inf
    with pytest.raises(EvaluationError, match="infinite"):
        evaluate(x, BENEFIT)


# --------------------------------------------------------------------------- constant column


def with_constant_column() -> np.ndarray:
    return np.column_stack([X, np.full(len(X), 7.0)])


BENEFIT_4 = np.append(BENEFIT, True)


@pytest.mark.parametrize("weighting", ["entropy", "entropy-cn", "critic", "std"])
def test_a_constant_column_gets_weight_zero(weighting: str) -> None:
    with strict():
        w = engine.WEIGHTINGS[weighting].func(with_constant_column(), BENEFIT_4)
    assert w[3] == pytest.approx(0, abs=1e-15)
    assert w.sum() == pytest.approx(1)


@pytest.mark.parametrize("weighting", ["entropy", "entropy-cn", "critic", "std"])
def test_a_constant_column_leaves_the_other_weights_as_they_were(weighting: str) -> None:
    # CRITIC, too: the constant column does not add to the others' conflict.
    func = engine.WEIGHTINGS[weighting].func
    with strict():
        with_it = func(with_constant_column(), BENEFIT_4)
    np.testing.assert_allclose(with_it[:3], func(X, BENEFIT), atol=1e-12)


@pytest.mark.parametrize(("normalize", "weighting", "aggregate"), COMBINATIONS)
def test_every_method_copes_with_a_constant_column(
    normalize: str, weighting: str, aggregate: str
) -> None:
    if normalize == "zscore" and aggregate == "wprod":
        with pytest.raises(EvaluationError, match="not negative"):
            run(with_constant_column(), BENEFIT_4, normalize, weighting, aggregate)
        return
    with strict():
        result = run(with_constant_column(), BENEFIT_4, normalize, weighting, aggregate)
    assert np.isfinite(result.normalized).all()
    assert np.isfinite(result.scores.score).all()
    assert np.isfinite(result.weights).all()


@pytest.mark.parametrize("normalize", ["minmax", "vector", "zscore", "rank"])
def test_every_region_equal_everywhere_ties_them_all(normalize: str) -> None:
    x = np.full((4, 3), 5.0)
    for aggregate in engine.AGGREGATORS:
        if normalize == "zscore" and aggregate == "wprod":
            continue
        with strict():
            result = evaluate(x, BENEFIT, normalize=normalize, weighting="entropy-cn",
                              aggregate=aggregate)  # fmt: skip
        assert result.ranks.tolist() == [1, 1, 1, 1], aggregate
        np.testing.assert_allclose(result.weights, 1 / 3)  # no information: equal weights


def test_critic_with_every_pair_perfectly_correlated_falls_back_to_equal_weights() -> None:
    x = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    with strict():
        np.testing.assert_allclose(engine.critic_weights(x, np.array([True, True])), [0.5, 0.5])


def test_vikor_q_is_defined_when_s_and_r_tie() -> None:
    # Two mirrored regions: S and R equal for both, Q = 0 for both, not 0/0.
    x = np.array([[1.0, 3.0], [3.0, 1.0]])
    with strict():
        result = evaluate(x, [True, True], aggregate="vikor")
    np.testing.assert_array_equal(result.scores.score, [0.0, 0.0])


# --------------------------------------------------------------------------- negative values


def test_standard_entropy_refuses_negative_values_and_names_the_alternative() -> None:
    x = X - 100
    with pytest.raises(EvaluationError, match="entropy-cn"):
        evaluate(x, BENEFIT, weighting="entropy")


def test_standard_entropy_accepts_zeros_as_scikit_criteria_does() -> None:
    x = np.array([[0.0, 1.0], [2.0, 1.0], [2.0, 3.0]])
    with strict():
        w = engine.entropy_weights(x, np.array([True, True]))
    e0 = -(2 * 0.5 * np.log(0.5)) / np.log(3)  # p = (0, ½, ½), 0·ln 0 = 0
    q = np.array([0.2, 0.2, 0.6])
    e1 = -np.sum(q * np.log(q)) / np.log(3)
    d = np.array([1 - e0, 1 - e1])
    np.testing.assert_allclose(w, d / d.sum())


def test_standard_entropy_gives_an_all_zero_column_weight_zero() -> None:
    x = np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 3.0]])
    with strict():
        np.testing.assert_array_equal(engine.entropy_weights(x, np.array([True, True])), [0, 1])


@pytest.mark.parametrize("weighting", ["entropy-cn", "critic", "std", "equal"])
@pytest.mark.parametrize("normalize", ["minmax", "zscore", "rank", "vector"])
def test_negative_values_work_with_the_other_methods(normalize: str, weighting: str) -> None:
    x = X - 100  # growth rates, balances: negative values are ordinary
    with strict():
        result = evaluate(x, BENEFIT, normalize=normalize, weighting=weighting, aggregate="wsum")
    assert np.isfinite(result.scores.score).all()
    # Shifting every value leaves min-max, z-score and rank results unchanged.
    if normalize != "vector":
        shifted = evaluate(X, BENEFIT, normalize=normalize, weighting=weighting)
        np.testing.assert_allclose(result.scores.score, shifted.scores.score, atol=1e-12)


# ----------------------------------------------------------------------------- single region

SINGLE = X[:1]


@pytest.mark.parametrize(("normalize", "weighting", "aggregate"), COMBINATIONS)
def test_a_single_region_gets_a_defined_result_or_a_clear_error(
    normalize: str, weighting: str, aggregate: str
) -> None:
    if weighting == "std":
        with pytest.raises(EvaluationError, match="at least two regions"):
            run(SINGLE, BENEFIT, normalize, weighting, aggregate)
        return
    with strict():
        result = run(SINGLE, BENEFIT, normalize, weighting, aggregate)
    assert np.isfinite(result.scores.score).all()
    assert result.ranks.tolist() == [1]


def test_a_single_region_scores_as_documented() -> None:
    with strict():
        assert evaluate(SINGLE, BENEFIT, aggregate="topsis").scores.score.tolist() == [0.5]
        assert evaluate(SINGLE, BENEFIT, aggregate="vikor").scores.score.tolist() == [0.0]
        # min-max scores a region that has no one to compare with 1 on every criterion
        assert evaluate(SINGLE, BENEFIT, aggregate="wsum").scores.score.tolist() == [1.0]


def test_no_region_at_all_is_refused() -> None:
    with pytest.raises(EvaluationError, match="no regions"):
        evaluate(np.empty((0, 3)), BENEFIT)


# ----------------------------------------------------------------------------------------- AHP


def test_ahp_consistent_matrix_recovers_the_weights_with_cr_zero() -> None:
    w = np.array([0.5, 0.25, 0.15, 0.1])
    matrix = w[:, None] / w[None, :]  # a_ij = w_i/w_j: perfectly consistent
    result = engine.ahp(matrix)
    np.testing.assert_allclose(result.weights, w)
    assert result.lambda_max == pytest.approx(4)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert result.acceptable


def test_ahp_circular_preferences_are_inconsistent() -> None:
    # A ≻ B strongly, B ≻ C strongly, yet C ≻ A strongly: λmax far above n.
    matrix = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    result = engine.ahp(matrix)
    assert result.consistency_ratio >= 0.1
    assert not result.acceptable


def test_ahp_mildly_inconsistent_matrix_is_judged_against_saatys_random_index() -> None:
    matrix = np.array([[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]])
    result = engine.ahp(matrix)
    assert result.consistency_index == pytest.approx((result.lambda_max - 3) / 2)
    assert result.consistency_ratio == pytest.approx(result.consistency_index / 0.58)
    assert result.acceptable  # CR ≈ 0.016


def test_ahp_random_index_is_saatys_table() -> None:
    assert [engine.RANDOM_INDEX[n] for n in range(1, 11)] == [
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
    ]  # fmt: skip


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 2], [2, 1]],  # not reciprocal
        [[1, -2], [-0.5, 1]],  # not positive
        [[1, 2, 3], [0.5, 1, 2]],  # not square
    ],
)
def test_ahp_refuses_a_matrix_that_is_not_a_comparison_matrix(matrix: list[list[float]]) -> None:
    with pytest.raises(EvaluationError):
        engine.ahp(np.array(matrix, dtype=float))
