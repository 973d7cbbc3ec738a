"""Published worked examples, reproduced to the precision their sources print.

Each test cites its source. Where the printed numbers could not be read first-hand, the comment
says where they were taken from.
"""

from __future__ import annotations

import numpy as np

from jinwei.rankings import engine


def test_topsis_fighter_aircraft_example_of_hwang_and_yoon() -> None:
    # Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and
    # Applications. Lecture Notes in Economics and Mathematical Systems 186, Springer. TOPSIS
    # chapter, the purchase of a fighter aircraft (book p. 133 according to the reproduction in
    # a public test suite): four aircraft, six attributes — maximum speed (Mach), ferry range
    # (NM), maximum payload (lb), purchasing cost (10⁶ $, the one cost attribute), reliability
    # and manoeuvrability (interval scale: 3 low, 5 average, 7 high, 9 very high); weights
    # 0.2, 0.1, 0.1, 0.1, 0.2, 0.3; vector normalisation.
    x = [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
    benefit = [True, True, True, False, True, True]
    result = engine.evaluate(
        x,
        benefit,
        normalize="vector",
        weighting="given",
        given_weights=[0.2, 0.1, 0.1, 0.1, 0.2, 0.3],
        aggregate="topsis",
    )
    # Printed relative closeness C*: 0.643, 0.268, 0.613, 0.312 (three decimals). The book
    # computes from intermediate values rounded to four decimals (its normalised matrix has one
    # cell, .5063, off by 6e-4; its S⁺ and S⁻ are .0545/.1197/.0580/.1009 and
    # .0983/.0439/.0920/.0458), so A3 comes out as .0920/(.0580 + .0920) = 0.6133 where the
    # exact value is 0.61354: agreement is to within one unit of the last printed digit.
    np.testing.assert_allclose(result.scores.score, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    np.testing.assert_allclose(
        result.scores.extra["d_plus"], [0.0545, 0.1197, 0.0580, 0.1009], atol=1.5e-4
    )
    np.testing.assert_allclose(
        result.scores.extra["d_minus"], [0.0983, 0.0439, 0.0920, 0.0458], atol=1.5e-4
    )
    assert result.ranks.tolist() == [1, 4, 2, 3]  # A1 ≻ A3 ≻ A4 ≻ A2


def test_topsis_cost_criterion_as_one_minus_vector_share_is_the_classic_method() -> None:
    # The engine turns a cost criterion into 1 − x/‖x‖ (as pymcdm) instead of taking the
    # minimum as the ideal (Hwang & Yoon 1981). Both give the same distances, so the same
    # closeness: checked on the same example by computing the book's way directly.
    x = np.array([[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5],
                  [1.8, 2000, 21000, 4.5, 7, 7], [2.2, 1800, 20000, 5.0, 5, 5]])  # fmt: skip
    w = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
    benefit = np.array([True, True, True, False, True, True])
    v = x / np.sqrt((x**2).sum(axis=0)) * w
    ideal = np.where(benefit, v.max(axis=0), v.min(axis=0))
    anti = np.where(benefit, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    result = engine.evaluate(
        x, benefit, normalize="vector", weighting="given", given_weights=w, aggregate="topsis"
    )
    np.testing.assert_allclose(result.scores.score, d_minus / (d_plus + d_minus), atol=1e-12)


def test_critic_example_of_diakoulaki_mavrotas_and_papayannakis() -> None:
    # Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in
    # multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7),
    # 763–770: the paper's illustrative data, eight alternatives on three criteria, all to be
    # maximised (one with negative values). The paper itself could not be read here: the data
    # and the weights are those of scikit-criteria's test of this example
    # (tests/preprocessing/test_weighters.py, test_critic_weight_weights_diakoulaki1995...),
    # given there to eight decimals.
    x = [
        [61, 1.08, 4.33],
        [20.7, 0.26, 4.34],
        [16.3, 1.98, 2.53],
        [9.0, 3.29, 1.65],
        [5.4, 2.77, 2.33],
        [4.0, 4.12, 1.21],
        [-6.1, 3.52, 2.10],
        [-34.6, 3.31, 0.98],
    ]
    w = engine.critic_weights(np.array(x, dtype=float), np.array([True, True, True]))
    np.testing.assert_allclose(w, [0.20222554, 0.48090173, 0.31687273], atol=5e-9)


def test_critic_weights_do_not_depend_on_the_standard_deviations_degrees_of_freedom() -> None:
    # The paper's σ_j is not specified as sample or population; both give the same weights,
    # since the factor √(m/(m−1)) is common to every criterion.
    x = np.array([[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65]])
    r = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    conflict = (1 - np.corrcoef(r, rowvar=False)).sum(axis=0)
    for ddof in (0, 1):
        c = r.std(axis=0, ddof=ddof) * conflict
        np.testing.assert_allclose(
            engine.critic_weights(x, np.array([True] * 3)), c / c.sum(), atol=1e-12
        )
