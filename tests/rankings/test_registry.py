"""The method registries: every method documented, exercised with a known answer, and offered
by name — no more, no fewer — on the command line and on the scheme pages.

A method registered without an entry below fails `test_every_*_has_a_known_answer`: adding a
method means adding its hand-computed answer here.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from jinwei.rankings import engine, scheme_forms
from jinwei.rankings.management.commands.evaluate import Command

X = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
BENEFIT = np.array([True, False])
REFERENCE = np.array([4.0, 10.0])
R = np.array([[0.2, 1.0], [0.5, 0.4], [1.0, 0.5]])
W = np.array([0.25, 0.75])


def entropy_of(p: list[float]) -> float:
    return -sum(v * math.log(v) for v in p if v > 0) / math.log(3)


def from_divergence(e: list[float]) -> list[float]:
    d = [1 - v for v in e]
    return [v / sum(d) for v in d]


def critic_by_hand() -> list[float]:
    r = np.array([[0, 1], [1 / 3, 0], [1, 0.5]])  # min-max with direction
    corr = np.corrcoef(r, rowvar=False)[0, 1]
    c = [r[:, j].std() * (1 - corr) for j in range(2)]
    return [v / sum(c) for v in c]


def topsis_by_hand() -> list[float]:
    v = R * W
    best, worst = v.max(axis=0), v.min(axis=0)
    out = []
    for row in v:
        d_plus = math.dist(row, best)
        d_minus = math.dist(row, worst)
        out.append(d_minus / (d_plus + d_minus))
    return out


SIGMA_0 = math.sqrt(14 / 9)
SIGMA_1 = math.sqrt(200 / 3)
NORMALIZED: dict[str, list[list[float]]] = {
    "minmax": [[0, 1], [1 / 3, 0], [1, 0.5]],
    "zscore": [
        [-4 / 3 / SIGMA_0, 10 / SIGMA_1],
        [-1 / 3 / SIGMA_0, -10 / SIGMA_1],
        [5 / 3 / SIGMA_0, 0],
    ],
    "vector": [
        [1 / math.sqrt(21), 1 - 10 / math.sqrt(1400)],
        [2 / math.sqrt(21), 1 - 30 / math.sqrt(1400)],
        [4 / math.sqrt(21), 1 - 20 / math.sqrt(1400)],
    ],
    "rank": [[0, 1], [0.5, 0], [1, 0.5]],
    "target": [[0.25, 1], [0.5, 1 / 3], [1, 0.5]],
}
WEIGHTS: dict[str, Callable[[], list[float]]] = {
    "equal": lambda: [0.5, 0.5],
    "entropy": lambda: from_divergence(
        [entropy_of([1 / 7, 2 / 7, 4 / 7]), entropy_of([1 / 6, 1 / 2, 1 / 3])]
    ),
    "entropy-cn": lambda: from_divergence(
        [entropy_of([0, 1 / 4, 3 / 4]), entropy_of([2 / 3, 0, 1 / 3])]
    ),
    "critic": critic_by_hand,
    "std": lambda: [
        np.std([1, 2, 4], ddof=1) / (np.std([1, 2, 4], ddof=1) + 10),
        10 / (np.std([1, 2, 4], ddof=1) + 10),
    ],
}
SCORES: dict[str, Callable[[], list[float]]] = {
    "wsum": lambda: [0.8, 0.425, 0.625],
    "wprod": lambda: [0.2**0.25, 0.5**0.25 * 0.4**0.75, 0.5**0.75],
    "topsis": topsis_by_hand,
    # S = (0.25, 0.90625, 0.625), R = (0.25, 0.75, 0.625), v = ½
    "vikor": lambda: [0, 1, 0.5 * 0.375 / 0.65625 + 0.5 * 0.375 / 0.5],
}
REGISTRIES = {"normaliser": engine.NORMALIZERS, "weighting": engine.WEIGHTINGS,
              "aggregator": engine.AGGREGATORS}  # fmt: skip
ALL_METHODS = [(kind, method) for kind, reg in REGISTRIES.items() for method in reg.values()]


@pytest.mark.parametrize(("kind", "method"), ALL_METHODS, ids=lambda v: getattr(v, "name", v))
def test_every_method_has_a_label_and_its_formula_in_the_docstring(
    kind: str, method: engine.Method
) -> None:
    assert method.label.strip()
    assert method.doc == (method.func.__doc__ or "").strip()
    assert "=" in method.doc, f"the {kind} {method.name} documents no formula"


def test_every_normaliser_has_a_known_answer() -> None:
    assert set(NORMALIZED) == set(engine.NORMALIZERS)


def test_every_weighting_has_a_known_answer() -> None:
    assert set(WEIGHTS) == set(engine.WEIGHTINGS)


def test_every_aggregator_has_a_known_answer() -> None:
    assert set(SCORES) == set(engine.AGGREGATORS)


@pytest.mark.parametrize("name", list(engine.NORMALIZERS))
def test_normaliser_gives_its_known_answer(name: str) -> None:
    result = engine.evaluate(X, BENEFIT, normalize=name, reference=REFERENCE)
    np.testing.assert_allclose(result.normalized, NORMALIZED[name], atol=1e-12)


@pytest.mark.parametrize("name", list(engine.WEIGHTINGS))
def test_weighting_gives_its_known_answer(name: str) -> None:
    result = engine.evaluate(X, BENEFIT, weighting=name)
    np.testing.assert_allclose(result.weights, WEIGHTS[name](), atol=1e-12)


@pytest.mark.parametrize("name", list(engine.AGGREGATORS))
def test_aggregator_gives_its_known_answer(name: str) -> None:
    scores = engine.AGGREGATORS[name].func(R, W)
    assert isinstance(scores, engine.Scores)
    np.testing.assert_allclose(scores.score, SCORES[name](), atol=1e-12)


def test_vikor_reports_s_and_r() -> None:
    scores = engine.vikor(R, W)
    np.testing.assert_allclose(scores.extra["S"], [0.25, 0.90625, 0.625])
    np.testing.assert_allclose(scores.extra["R"], [0.25, 0.75, 0.625])


def choices_of(option: str) -> list[str]:
    parser = Command().create_parser("jinwei", "evaluate")
    for action in parser._actions:
        if option in action.option_strings:
            return list(action.choices or [])
    raise AssertionError(option)


def test_the_command_offers_exactly_the_registered_methods() -> None:
    assert choices_of("--normalize") == list(engine.NORMALIZERS)
    assert choices_of("--weights") == [*engine.WEIGHTINGS, "given"]
    assert choices_of("--aggregate") == list(engine.AGGREGATORS)


def test_the_scheme_pages_offer_exactly_the_registered_methods() -> None:
    # Pages add the two weightings that need more than the data: fixed weights and AHP.
    names = [name for name, _label in scheme_forms.normalization_choices()]
    assert names == list(engine.NORMALIZERS)
    names = [name for name, _label in scheme_forms.weighting_choices()]
    assert names == [*engine.WEIGHTINGS, "given", "ahp"]
    names = [name for name, _label in scheme_forms.aggregation_choices()]
    assert names == list(engine.AGGREGATORS)
