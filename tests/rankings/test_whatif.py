"""What moves a region's rank: contributions to the gap and the smallest single improvement."""

from __future__ import annotations

import numpy as np
import pytest

from jinwei.rankings.composite import Criteria, MethodSpec, evaluate_stack, ranks_of
from jinwei.rankings.whatif import overtakes, what_moves


def criteria(benefit: list[bool], fixed: list[float] | None = None) -> Criteria:
    n = len(benefit)
    return Criteria(
        benefit=np.array(benefit),
        dimensions=["a"] * n,
        fixed_weights=np.array(fixed if fixed else [np.nan] * n, dtype=float),
        reference=np.full(n, np.nan),
    )


X = np.array(
    [
        [250.0, 1.9, 17.0],
        [520.0, 1.9, 19.0],
        [950.0, 3.0, 24.0],
        [410.0, 1.3, 23.0],
        [300.0, 2.2, 21.0],
    ]
)
CRIT = criteria([True, True, False])


def rank_of(x: np.ndarray, crit: Criteria, method: MethodSpec, i: int) -> int:
    return int(ranks_of(evaluate_stack(x, crit, method).merit, True)[i])


def merit(x: np.ndarray, crit: Criteria, method: MethodSpec) -> np.ndarray:
    return evaluate_stack(x, crit, method).merit


def with_value(x: np.ndarray, i: int, j: int, value: float) -> np.ndarray:
    y = x.copy()
    y[i, j] = value
    return y


def test_additive_contributions_add_up_to_the_gap():
    method = MethodSpec(weighting="entropy-cn")
    result = what_moves(X, CRIT, method, 3)
    assert result.additive
    assert result.targets
    total = sum(c.contribution for c in result.contributions)
    assert total == pytest.approx(result.gap, rel=1e-12)
    assert result.gap > 0


@pytest.mark.parametrize(
    ("aggregation", "weighting"),
    [("wsum", "entropy-cn"), ("topsis", "critic"), ("vikor", "equal"), ("wsum", "std")],
)
def test_the_smallest_improvement_overtakes_and_slightly_less_does_not(aggregation, weighting):
    method = MethodSpec(aggregation=aggregation, weighting=weighting)
    for region in range(X.shape[0]):
        result = what_moves(X, CRIT, method, region)
        if not result.targets:
            continue
        before = result.rank
        for imp in result.improvements:
            if not imp.reachable:
                continue
            j = imp.indicator
            assert (imp.needed > imp.current) == bool(CRIT.benefit[j])  # the better direction
            after = merit(with_value(X, region, j, imp.needed), CRIT, method)
            assert overtakes(after, region, result.targets)
            assert rank_of(with_value(X, region, j, imp.needed), CRIT, method, region) < before
            assert abs(imp.needed - imp.just_short) <= 1e-9 * max(1.0, abs(imp.needed))
            less = imp.needed - 1e-6 * imp.extent * (1 if CRIT.benefit[j] else -1)
            short = merit(with_value(X, region, j, less), CRIT, method)
            assert not overtakes(short, region, result.targets)


def test_the_rounded_value_shown_still_overtakes():
    method = MethodSpec(weighting="entropy-cn")
    result = what_moves(X, CRIT, method, 0, decimals=[2, 2, 0])
    shown = [imp for imp in result.improvements if imp.rounded is not None]
    assert shown
    for imp in shown:
        assert imp.rounded == pytest.approx(round(imp.rounded, [2, 2, 0][imp.indicator]))
        after = merit(with_value(X, 0, imp.indicator, imp.rounded), CRIT, method)
        assert overtakes(after, 0, result.targets)


def test_a_lower_is_better_indicator_is_improved_by_lowering_it_not_below_zero():
    method = MethodSpec(weighting="equal")
    result = what_moves(X, CRIT, method, 3)
    pm25 = next(imp for imp in result.improvements if imp.indicator == 2)
    assert pm25.limit >= 0
    if pm25.reachable:
        assert pm25.needed < pm25.current


def test_an_indicator_with_too_little_weight_cannot_overtake_alone():
    crit = criteria([True, True, False], fixed=[0.98, 0.01, 0.01])
    method = MethodSpec(weighting="given")
    result = what_moves(X, crit, method, 0)  # last on GDP, which carries almost all the weight
    by_indicator = {imp.indicator: imp for imp in result.improvements}
    assert by_indicator[0].reachable
    assert not by_indicator[1].reachable and not by_indicator[2].reachable
    assert result.improvements[-1].effort == np.inf  # unreachable ones come last


def test_improvements_are_sorted_by_feasibility():
    result = what_moves(X, CRIT, MethodSpec(weighting="equal"), 3)
    efforts = [imp.effort for imp in result.improvements]
    assert efforts == sorted(efforts)


def test_the_leader_has_no_one_to_overtake():
    method = MethodSpec(weighting="equal")
    leader = int(np.argmin(ranks_of(evaluate_stack(X, CRIT, method).merit, True)))
    result = what_moves(X, CRIT, method, leader)
    assert result.rank == 1 and result.targets == [] and result.improvements == []


def test_non_additive_contributions_are_replacements():
    method = MethodSpec(aggregation="topsis", weighting="equal")
    result = what_moves(X, CRIT, method, 3)
    assert not result.additive
    target = result.targets[0]
    base = merit(X, CRIT, method)
    for c in result.contributions:
        replaced = merit(with_value(X, 3, c.indicator, X[target, c.indicator]), CRIT, method)
        closes = (base[target] - base[3]) - (replaced[target] - replaced[3])
        assert c.contribution == pytest.approx(closes, abs=1e-12)
