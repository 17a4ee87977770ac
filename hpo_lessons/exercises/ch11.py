"""Checks for chapter 11 (several objectives): Pareto dominance and the crowding distance."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..methods.nondominated import crowding_distance


def check_dominates(dominates: Callable) -> None:
    """``dominates(a, b)`` for two vectors of minimized objectives: True when ``a`` dominates ``b``."""
    cases = [([1, 2], [2, 3], True), ([1, 3], [2, 2], False), ([1, 2], [1, 3], True), ([1, 2], [1, 2], False),
             ([2, 3], [1, 2], False), ([0, 0, 1], [0, 0, 2], True), ([0, 5, 1], [0, 0, 2], False)]
    for a, b, want in cases:
        got = dominates(np.array(a, dtype=float), np.array(b, dtype=float))
        assert got is not None, "dominates returned None: return True or False."
        if bool(got) == want:
            continue
        if a == b:
            raise AssertionError(f"dominates({a}, {b}) must be False: a point does not dominate itself. With >= (or "
                                 "<=) on every objective, equal points 'dominate' each other; ask also for one "
                                 "objective where a is strictly better.")
        if want and any(x == y for x, y in zip(a, b)):
            raise AssertionError(f"dominates({a}, {b}) must be True: a is no worse on every objective and better on "
                                 "one. Strictly better on *every* objective is too much to ask.")
        raise AssertionError(f"dominates({a}, {b}) should be {want}; every objective is minimized here, and a "
                             "dominates b when a is no worse everywhere and strictly better somewhere.")
    print("Right: no worse on every objective, strictly better on at least one.")


def check_crowding_distance(crowding: Callable) -> None:
    """``crowding(points)`` for one front (n x m array, minimized): the crowding distance of each point."""
    rng = np.random.default_rng(11)
    fronts = [np.array([[0.0, 4.0], [1.0, 2.0], [2.0, 1.0], [4.0, 0.0]]),
              np.array([[3.0, 10.0], [1.0, 30.0], [2.0, 20.0], [6.0, 0.0], [4.0, 5.0]])]
    fronts.append(np.sort(rng.random((7, 1)), axis=0) @ np.ones((1, 2)) * [1, -1] + [0, 1])  # a shuffled line
    fronts[-1] = fronts[-1][rng.permutation(7)]
    for points in fronts:
        got = crowding(points.copy())
        assert got is not None, "crowding returned None: return one distance per point."
        got = np.asarray(got, dtype=float)
        want = crowding_distance(points)
        assert got.shape == want.shape, f"expected one distance per point, shape {want.shape}, got {got.shape}."
        if np.allclose(got, want):
            continue
        ends = np.isinf(want)
        if not np.all(np.isinf(got[ends])):
            raise AssertionError("the points at the two ends of each objective must get an infinite distance: they "
                                 "hold the extremes of the front, and NSGA-II must never drop them.")
        raise AssertionError(f"for {points.tolist()} the finite distances should be {want[~ends].round(4)}, you "
                             f"give {got[~ends].round(4)}. Sort by each objective, take the gap between a point's "
                             "two neighbours, divide it by that objective's range, and add over objectives.")
    print("Right: infinite at the ends, neighbour gaps over the range in between.")
