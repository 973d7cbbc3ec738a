"""What moves a region's composite rank: plain numpy, no Django.

For one region in one year (the year's complete matrix, after the missing-data policy; imputed
cells are held as imputed):

**Contributions to the gap** with the region ranked just above it ("the target").

- Additive aggregation (weighted sum): the exact decomposition with the evaluation's weights and
  normalised values, c_j = w_j (r_target,j − r_region,j); the c_j add up to the score gap.
- TOPSIS, VIKOR and the weighted product are not additive, so a *leave-one-in replacement*
  decomposition is used instead: c_j is how much the gap closes when the region is given the
  target's raw value of indicator j alone and the full method is re-evaluated (normalisation and
  data-driven weights recomputed). These c_j need not add up to the gap: indicators interact.

A positive c_j is a part of the gap (the target is ahead on j); a negative one is where the
region is ahead. Gaps are in "merit" (the score, or −Q for VIKOR), so larger is always better.

**The smallest single-indicator improvement** that overtakes the target: for each indicator, the
region's raw value is moved in the better direction (up for higher-is-better, down for
lower-is-better) and the full method is re-evaluated each time, since min-max, entropy and the
other data-driven steps depend on every value. The search scans a grid from the current value
to a limit — the group's best value plus one group range (the range of that indicator among the
group, or the value itself when everyone is equal), clipped to the indicator's valid bounds and,
for indicators that are never negative in the group, at zero — and then bisects the first
bracket where the region passes the target. "Overtake" means a better merit than every region
holding the next better rank, by more than rounding noise. When no value within the limit
overtakes, the answer is "not reachable by this indicator alone". The whole grid, and each
bisection step, is evaluated for all indicators at once as one stack of matrices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from jinwei.rankings.composite import Array, Criteria, MethodSpec, evaluate_stack, ranks_of

GRID = 48
BISECTIONS = 48
ADDITIVE = frozenset({"wsum"})
TOLERANCE = 1e-9


@dataclass
class Contribution:
    indicator: int  # column index
    region_value: float
    target_value: float
    contribution: float


@dataclass
class Improvement:
    indicator: int
    current: float
    needed: float | None  # the raw value that overtakes; None if not reachable
    just_short: float | None  # a value just before `needed` that does not overtake
    rounded: float | None  # `needed` rounded outward to the indicator's decimals, if it works
    limit: float
    extent: float  # the group's range of the indicator (or |value| when all are equal)

    @property
    def reachable(self) -> bool:
        return self.needed is not None

    @property
    def delta(self) -> float | None:
        return None if self.needed is None else self.needed - self.current

    @property
    def shown_value(self) -> float | None:
        return self.rounded if self.rounded is not None else self.needed

    @property
    def shown_delta(self) -> float | None:
        return None if self.shown_value is None else self.shown_value - self.current

    @property
    def relative(self) -> float | None:
        """|Δ| / |current value|, when the current value is not zero."""
        if self.delta is None or self.current == 0:
            return None
        return abs(self.delta) / abs(self.current)

    @property
    def effort(self) -> float:
        """|Δ| in group ranges: the sort key of feasibility (unreachable last)."""
        return math.inf if self.delta is None else abs(self.delta) / self.extent


@dataclass
class WhatIf:
    region: int  # row index in the matrix
    targets: list[int]  # rows holding the next better rank; empty when the region leads
    rank: int
    merit: Array  # m, larger is better
    additive: bool
    contributions: list[Contribution]
    improvements: list[Improvement]  # sorted by feasibility

    @property
    def gap(self) -> float:
        if not self.targets:
            return 0.0
        return float(self.merit[self.targets[0]] - self.merit[self.region])

    @property
    def target(self) -> int | None:
        return self.targets[0] if self.targets else None


def _merit(x: Array, criteria: Criteria, method: MethodSpec) -> Array:
    result = evaluate_stack(x, criteria, method)
    return result.merit


def what_moves(
    x: Array,
    criteria: Criteria,
    method: MethodSpec,
    region: int,
    *,
    valid_min: list[float | None] | None = None,
    valid_max: list[float | None] | None = None,
    decimals: list[int] | None = None,
) -> WhatIf:
    """Contributions to the gap with the next region up and the smallest single improvements."""
    base = evaluate_stack(x, criteria, method)
    merit = base.merit
    ranks = ranks_of(merit, True)
    rank = int(ranks[region])
    better = ranks < rank
    if not better.any():
        return WhatIf(region, [], rank, merit, method.aggregation in ADDITIVE, [], [])
    next_rank = ranks[better].max()
    targets = [int(i) for i in np.flatnonzero(ranks == next_rank)]
    contributions = _contributions(
        x, criteria, method, base.normalized, base.weights, region, targets[0]
    )
    improvements = _improvements(
        x, criteria, method, region, targets, valid_min, valid_max, decimals
    )
    improvements.sort(key=lambda imp: (imp.effort, imp.indicator))
    return WhatIf(
        region, targets, rank, merit, method.aggregation in ADDITIVE, contributions, improvements
    )


def _contributions(
    x: Array,
    criteria: Criteria,
    method: MethodSpec,
    r: Array,
    w: Array,
    region: int,
    target: int,
) -> list[Contribution]:
    n = x.shape[1]
    if method.aggregation in ADDITIVE:
        c = w * (r[target] - r[region])
    else:
        stack = np.repeat(x[None], n, axis=0)
        cols = np.arange(n)
        stack[cols, region, cols] = x[target, cols]
        merit = _merit(stack, criteria, method)
        base = _merit(x, criteria, method)
        gap = base[target] - base[region]
        c = gap - (merit[:, target] - merit[:, region])
    return [
        Contribution(j, float(x[region, j]), float(x[target, j]), float(c[j])) for j in range(n)
    ]


def _limits(
    x: Array,
    criteria: Criteria,
    region: int,
    valid_min: list[float | None] | None,
    valid_max: list[float | None] | None,
) -> tuple[Array, Array]:
    """How far each indicator may be moved (in its better direction), and the group's range."""
    low, high = x.min(axis=0), x.max(axis=0)
    current = x[region]
    extent = np.where(high > low, high - low, np.maximum(np.abs(current), 1.0))
    up = high + extent
    down = low - extent
    down = np.where(low >= 0, np.maximum(down, 0.0), down)
    for j in range(x.shape[1]):
        if valid_max and valid_max[j] is not None:
            up[j] = min(up[j], float(valid_max[j]))  # type: ignore[arg-type]
        if valid_min and valid_min[j] is not None:
            down[j] = max(down[j], float(valid_min[j]))  # type: ignore[arg-type]
    return np.where(criteria.benefit, up, down), extent


def _overtakes(
    values: Array, x: Array, criteria: Criteria, method: MethodSpec, region: int, targets: list[int]
) -> NDArray[np.bool_]:
    """values: K × n candidate values; row k, column j is the region's value j in variant (k, j).
    Returns K × n: does the variant overtake every target?"""
    k, n = values.shape
    stack = np.broadcast_to(x, (k, n, *x.shape)).copy()
    cols = np.arange(n)
    stack[:, cols, region, cols] = values
    merit = _merit(stack.reshape(k * n, *x.shape), criteria, method).reshape(k, n, -1)
    return overtakes(merit, region, targets, tolerance=2 * TOLERANCE)


def overtakes(
    merit: Array, region: int, targets: list[int], *, tolerance: float = TOLERANCE
) -> NDArray[np.bool_]:
    """Is the region's merit ahead of every target's (… × m merits)? Ahead means by more than
    rounding noise (1e-9 relative). The search asks for twice that margin, so a value it finds
    still overtakes however the evaluation is recomputed (another stack, another order)."""
    ahead = merit[..., [region]] - merit[..., targets]
    margin = tolerance * np.maximum(1.0, np.abs(merit[..., targets]))
    return np.asarray(np.all(ahead > margin, axis=-1))


def _improvements(
    x: Array,
    criteria: Criteria,
    method: MethodSpec,
    region: int,
    targets: list[int],
    valid_min: list[float | None] | None,
    valid_max: list[float | None] | None,
    decimals: list[int] | None,
) -> list[Improvement]:
    n = x.shape[1]
    current = x[region].astype(float)
    limit, extent = _limits(x, criteria, region, valid_min, valid_max)
    steps = np.linspace(0.0, 1.0, GRID + 1)[1:, None]
    grid = current + steps * (limit - current)  # GRID × n
    passed = _overtakes(grid, x, criteria, method, region, targets)
    found: NDArray[np.bool_] = np.asarray(passed.any(axis=0))
    first = np.argmax(passed, axis=0)
    hi = np.where(found, grid[first, np.arange(n)], np.nan)
    lo = np.where(first > 0, grid[np.maximum(first - 1, 0), np.arange(n)], current)
    lo = np.where(found, lo, np.nan)
    lo, hi = _bisect(lo, hi, found, x, criteria, method, region, targets)
    rounded = _rounded(hi, found, criteria, decimals, x, method, region, targets)
    return [
        Improvement(
            indicator=j,
            current=float(current[j]),
            needed=float(hi[j]) if found[j] else None,
            just_short=float(lo[j]) if found[j] else None,
            rounded=None if np.isnan(rounded[j]) else float(rounded[j]),
            limit=float(limit[j]),
            extent=float(extent[j]),
        )
        for j in range(n)
    ]


def _bisect(
    lo: Array,
    hi: Array,
    found: NDArray[np.bool_],
    x: Array,
    criteria: Criteria,
    method: MethodSpec,
    region: int,
    targets: list[int],
) -> tuple[Array, Array]:
    """Narrow [lo, hi] (lo does not overtake, hi does) for every indicator at once."""
    if not found.any():
        return lo, hi
    safe_lo = np.where(found, lo, x[region])
    safe_hi = np.where(found, hi, x[region])
    for _ in range(BISECTIONS):
        mid = (safe_lo + safe_hi) / 2
        ok = _overtakes(mid[None], x, criteria, method, region, targets)[0]
        safe_hi = np.where(ok, mid, safe_hi)
        safe_lo = np.where(ok, safe_lo, mid)
    return np.where(found, safe_lo, np.nan), np.where(found, safe_hi, np.nan)


def _rounded(
    needed: Array,
    found: NDArray[np.bool_],
    criteria: Criteria,
    decimals: list[int] | None,
    x: Array,
    method: MethodSpec,
    region: int,
    targets: list[int],
) -> Array:
    """`needed` rounded away from the current value to the indicator's decimals, kept only if
    the rounded value still overtakes (so what the page shows is enough)."""
    if decimals is None or not found.any():
        return np.full(needed.shape, np.nan)
    scale = 10.0 ** np.asarray(decimals, dtype=float)
    safe = np.where(found, needed, x[region])
    out = np.where(
        criteria.benefit,
        np.ceil(safe * scale - 1e-9) / scale,
        np.floor(safe * scale + 1e-9) / scale,
    )
    ok = _overtakes(out[None], x, criteria, method, region, targets)[0]
    return np.where(found & ok, out, np.nan)
