"""Checks for chapter 4 (grid search): log-spaced values, the size of a grid, and how many
distinct values of each hyperparameter a grid and random search see at the same budget."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..core.space import Categorical, Integer, Real, Space


def _reference_k(n_trials: int, d: int) -> int:
    """The largest integer k with k**d <= n_trials, in integer arithmetic only."""
    k = 1
    while (k + 1) ** d <= n_trials:
        k += 1
    return k


def check_log_grid(log_grid: Callable) -> None:
    """``log_grid(low, high, k)``: k values from low to high, evenly spaced in log(x)."""
    cases = [(1e-4, 1e-1, 4), (1e-3, 1.0, 3), (2.0, 512.0, 9), (0.5, 8.0, 2)]
    for low, high, k in cases:
        got = log_grid(low, high, k)
        want = Real(low, high, log=True).grid(k)
        assert got is not None and len(got) == k, (
            f"log_grid({low}, {high}, {k}) should return {k} values, got {got!r}."
        )
        got = [float(v) for v in got]
        assert math.isclose(got[0], low, rel_tol=1e-9) and math.isclose(got[-1], high, rel_tol=1e-9), (
            f"log_grid({low}, {high}, {k}) must start at low and end at high (both included), got {got}."
        )
        assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(got, want)), (
            f"log_grid({low}, {high}, {k}) = {[f'{v:.4g}' for v in got]}, expected "
            f"{[f'{v:.4g}' for v in want]}: space the values evenly in log(x), "
            "exp(linspace(log(low), log(high), k)), so each step multiplies by the same factor."
        )
    print(f"Right: log_grid(1e-4, 1e-1, 4) = {[f'{v:.0e}' for v in Real(1e-4, 1e-1, log=True).grid(4)]}, "
          "one point per decade.")


def check_grid_size(grid_size: Callable) -> None:
    """``grid_size(space, k)``: the number of distinct points of the full grid."""
    cases = [
        (Space(a=Real(0.0, 1.0), b=Real(0.0, 1.0)), 5),
        (Space(lr=Real(1e-4, 1e-1, log=True), act=Categorical(["relu", "tanh", "elu"])), 4),
        (Space(layers=Integer(1, 3), units=Integer(16, 256, log=True)), 5),
        (Space(layers=Integer(1, 2), act=Categorical(["relu", "tanh"]), lr=Real(1e-3, 1e-1, log=True)), 6),
        # log-spaced integers: 1, 1.5, 2.3, 3.5, 5.3, 8 round to 1, 2, 2, 3, 5, 8, five distinct values, although
        # the range holds 8 integers, more than k = 6 (min(k, high - low + 1) counts 6)
        (Space(units=Integer(1, 8, log=True), act=Categorical(["relu", "tanh"])), 6),
        (Space(units=Integer(1, 10, log=True), lr=Real(1e-3, 1e-1, log=True)), 8),
    ]
    for space, k in cases:
        got, want = grid_size(space, k), len(space.grid(k))
        assert got == want, (
            f"grid_size({space.names}, k={k}) = {got!r}, but the grid has {want} points: multiply the number "
            "of distinct values per dimension; a categorical gives all its choices whatever k is, and an "
            "integer range cannot give more values than it holds, and rounding makes duplicates (dropped) even "
            "below that, notably on a log scale where the small values crowd together: round the k values and "
            "count the distinct ones."
        )
    print(f"Right: e.g. layers in [1, 3] and units in [16, 256] with k=5 give {len(cases[2][0].grid(5))} points, "
          "not 25.")


def check_distinct_values(distinct_values: Callable) -> None:
    """``distinct_values(n_trials, d)`` -> (values per dimension on the largest grid, values for random search)."""
    # (64, 3), (125, 3), (1000, 3): the float root falls just below k; (15, 2), (26, 3), (63, 2), (80, 4): it
    # rounds up to a k whose grid exceeds the budget (round(15 ** 0.5) = 4, but 4 ** 2 = 16 > 15)
    cases = [(9, 2), (27, 3), (64, 3), (100, 2), (125, 3), (1000, 3), (50, 1), (30, 4), (243, 5), (8, 3),
             (15, 2), (26, 3), (63, 2), (80, 4)]
    for n_trials, d in cases:
        got = distinct_values(n_trials, d)
        want = (_reference_k(n_trials, d), n_trials)
        assert isinstance(got, tuple) and len(got) == 2, (
            f"distinct_values({n_trials}, {d}) should return a pair (grid, random), got {got!r}."
        )
        assert got[1] == want[1], (
            f"random search with {n_trials} trials draws {n_trials} values of each real hyperparameter "
            f"(all distinct with probability 1), not {got[1]!r}."
        )
        assert got[0] == want[0], (
            f"for {n_trials} trials in {d} dimensions the largest grid has k = {want[0]} values per dimension "
            f"({want[0]}**{d} = {want[0] ** d} <= {n_trials} < {(want[0] + 1) ** d}), you gave {got[0]!r}. "
            "A float root such as 64 ** (1/3) = 3.9999999999999996 truncates wrongly, and rounding it instead "
            "overshoots (round(15 ** 0.5) = 4, a 16-point grid): correct it with integers, k ** d <= n_trials."
        )
    print("Right: with 64 trials in 3 dimensions the grid sees 4 values of each hyperparameter, random search 64.")
