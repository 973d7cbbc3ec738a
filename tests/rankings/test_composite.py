"""The composite evaluation of a panel: missing data, weights per dimension, ranks and changes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jinwei.rankings import composite, engine
from jinwei.rankings.composite import (
    Criteria,
    MethodSpec,
    PanelData,
    compute,
    evaluate_stack,
    year_matrix,
)
from jinwei.rankings.engine import EvaluationError

NAN = np.nan


def panel(values: list, **extra: object) -> PanelData:
    x = np.asarray(values, dtype=float)
    t, m, n = x.shape
    fields: dict = {
        "years": list(range(2021, 2021 + t)),
        "region_codes": [f"r{i}" for i in range(m)],
        "indicator_codes": [f"i{j}" for j in range(n)],
        "benefit": [True] * n,
        "dimensions": ["a"] * n,
        "values": x,
        **extra,
    }
    return PanelData(**fields)


# three regions, two indicators, two years; r1 misses i0 in the first year
GAPPY = [
    [[1.0, 10.0], [NAN, 30.0], [3.0, 20.0]],
    [[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]],
]


def test_exclude_leaves_the_incomplete_region_out_of_that_year_only():
    result = compute(panel(GAPPY), MethodSpec(weighting="equal", missing_policy="exclude"))
    assert result.excluded[0].tolist() == [False, True, False]
    assert not result.excluded[1].any()
    assert np.isnan(result.score[0, 1]) and np.isnan(result.rank[0, 1])
    assert not result.imputed.any()
    # the year is evaluated without r1: min-max over r0 and r2 only
    assert result.score[0, 0] == pytest.approx(0.0)
    assert result.score[0, 2] == pytest.approx(1.0)
    assert result.rank[1].tolist() == [3, 1, 1]  # r1 and r2 tie at 0.75: both first


def test_impute_mean_fills_the_cell_with_the_year_mean_and_reports_it():
    data = panel(GAPPY)
    method = MethodSpec(weighting="equal", missing_policy="impute_mean")
    result = compute(data, method)
    assert not result.excluded.any()
    assert result.imputed[0, 1].tolist() == [True, False]
    assert result.imputed.sum() == 1
    x, rows = year_matrix(data, method, 2021)
    assert rows == [0, 1, 2]
    assert x[1, 0] == pytest.approx(2.0)  # mean of 1 and 3
    # the same matrix with the mean written in gives the same scores
    filled = np.array(GAPPY)
    filled[0, 1, 0] = 2.0
    plain = compute(panel(filled.tolist()), MethodSpec(weighting="equal"))
    np.testing.assert_array_equal(result.score, plain.score)


def test_a_year_without_any_value_of_an_indicator_is_not_evaluated():
    values = [[[1.0, NAN], [2.0, NAN], [3.0, NAN]], [[1.0, 5.0], [2.0, 6.0], [3.0, 7.0]]]
    result = compute(panel(values), MethodSpec(weighting="equal", missing_policy="impute_mean"))
    assert result.skipped == {2021: ("no_data", "i1")}
    assert result.excluded[0].all() and np.isnan(result.score[0]).all()
    assert not result.imputed[0].any()
    assert result.rank[1].tolist() == [3, 2, 1]


def test_weights_per_dimension_are_combined_with_the_dimension_weights():
    rng = np.random.default_rng(7)
    x = rng.random((1, 6, 5)) * 100
    data = panel(x.tolist(), dimensions=["a", "a", "a", "b", "b"])
    method = MethodSpec(
        weighting="entropy-cn", weights_by_dimension=True, dimension_weights={"a": 3, "b": 1}
    )
    w = compute(data, method).weights[0]
    assert w[:3].sum() == pytest.approx(0.75)
    assert w[3:].sum() == pytest.approx(0.25)
    within_a = engine.WEIGHTINGS["entropy-cn"].func(x[0][:, :3], np.ones(3, bool))
    np.testing.assert_allclose(w[:3] / 0.75, within_a, rtol=1e-12)
    # over all indicators at once the weights differ: the dimensions matter
    global_w = compute(data, method.but(weights_by_dimension=False)).weights[0]
    assert not np.allclose(global_w, w)


def test_dimension_sub_scores_of_a_weighted_sum_add_up_to_the_composite():
    rng = np.random.default_rng(3)
    data = panel((rng.random((2, 5, 4)) * 10).tolist(), dimensions=["a", "a", "b", "c"])
    method = MethodSpec(
        weighting="critic",
        weights_by_dimension=True,
        dimension_weights={"a": 0.5, "b": 0.3, "c": 0.2},
    )
    result = compute(data, method)
    assert result.dimensions == ["a", "b", "c"]
    combined = result.dimension_scores @ np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(combined, result.score, rtol=1e-12)


def test_rank_change_is_positive_when_a_region_advances():
    values = [
        [[1.0], [2.0], [3.0]],
        [[4.0], [2.0], [3.0]],
    ]
    result = compute(panel(values), MethodSpec(weighting="equal"))
    assert result.rank.tolist() == [[3, 2, 1], [1, 3, 2]]
    assert np.isnan(result.rank_change[0]).all()
    assert result.rank_change[1].tolist() == [2, -1, -1]  # r0 进位 two places


def test_lower_is_better_indicators_are_turned():
    values = [[[10.0, 30.0], [20.0, 10.0], [30.0, 20.0]]]
    data = panel(values, benefit=[True, False])
    result = compute(data, MethodSpec(weighting="equal"))
    assert result.rank[0].tolist() == [3, 1, 1]


def test_vikor_ranks_the_lowest_q_first():
    values = [[[1.0, 1.0], [3.0, 3.0], [2.0, 2.0]]]
    result = compute(panel(values), MethodSpec(weighting="equal", aggregation="vikor"))
    assert not result.higher_is_better
    assert result.score[0].tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert result.rank[0].tolist() == [3, 1, 2]


def test_fixed_weights_need_a_weight_for_every_indicator():
    values = [[[1.0, 1.0], [3.0, 3.0], [2.0, 2.0]]]
    with pytest.raises(EvaluationError, match="fixed weights"):
        compute(panel(values, fixed_weights=[0.5, None]), MethodSpec(weighting="given"))
    result = compute(panel(values, fixed_weights=[3, 1]), MethodSpec(weighting="given"))
    assert result.weights[0].tolist() == pytest.approx([0.75, 0.25])


def test_ahp_over_the_dimensions_weights_the_dimensions_and_refuses_inconsistency():
    values = [[[1.0, 2.0, 3.0], [3.0, 1.0, 2.0], [2.0, 3.0, 1.0]]]
    data = panel(values, dimensions=["a", "a", "b"])
    method = MethodSpec(weighting="ahp", ahp_matrix=[[1, 3], [1 / 3, 1]])
    result = compute(data, method)
    assert result.weights[0].tolist() == pytest.approx([0.375, 0.375, 0.25])
    assert result.consistency_ratio == 0.0
    three = panel(values, dimensions=["a", "b", "c"])
    inconsistent = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(EvaluationError, match="CR"):
        compute(three, MethodSpec(weighting="ahp", ahp_matrix=inconsistent))


def test_a_stack_of_years_gives_the_same_scores_as_each_year_alone():
    rng = np.random.default_rng(11)
    x = rng.random((4, 6, 3)) * 10
    criteria = Criteria.of(panel(x.tolist()))
    method = MethodSpec(aggregation="topsis")
    stacked = evaluate_stack(x, criteria, method)
    for t in range(4):
        alone = evaluate_stack(x[t], criteria, method)
        np.testing.assert_allclose(stacked.score[t], alone.score, rtol=1e-12)


def test_the_panel_survives_json_exactly():
    rng = np.random.default_rng(5)
    x = rng.random((2, 3, 2)) * 1e6
    x[0, 1, 1] = NAN
    data = panel(x.tolist(), fixed_weights=[0.1, None])
    again = PanelData.from_json(json.loads(json.dumps(data.to_json())))
    np.testing.assert_array_equal(again.values, data.values)
    assert again.fixed_weights == [0.1, None]
    method = MethodSpec(weights_by_dimension=True, dimension_weights={"a": 1.0})
    assert MethodSpec.from_json(json.loads(json.dumps(method.to_json()))) == method


def test_a_large_panel_is_stored_compactly_and_still_exactly(monkeypatch):
    monkeypatch.setattr(composite, "READABLE_CELLS", 4)
    rng = np.random.default_rng(8)
    x = rng.random((2, 3, 2)) * 1e6
    x[1, 2, 0] = NAN
    stored = json.loads(json.dumps(panel(x.tolist()).to_json()))
    assert "values" not in stored and stored["shape"] == [2, 3, 2]
    np.testing.assert_array_equal(PanelData.from_json(stored).values, x)


def test_unknown_methods_are_refused_by_name():
    with pytest.raises(EvaluationError, match="unknown weighting 'magic'"):
        compute(panel(GAPPY), MethodSpec(weighting="magic"))
