"""Checks for chapter 5 (Bayesian optimization): reading which inputs matter from a GP's fitted
length scales, and expected improvement for an objective that is maximized."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..methods.acquisition import expected_improvement


def _cases() -> list[tuple[np.ndarray, np.ndarray, list[int], list[int]]]:
    """(X, y, columns that matter from most to least, columns that do not matter), on the unit cube."""
    rng = np.random.default_rng(11)
    functions = [
        (3, lambda X: np.sin(6 * X[:, 0]), [0], [1, 2]),
        (3, lambda X: 4 * (X[:, 2] - 0.4) ** 2 + 0.3 * np.cos(3 * X[:, 0]), [2, 0], [1]),
        (4, lambda X: np.sin(5 * X[:, 1]) + 0.5 * np.sin(3 * X[:, 3]), [1, 3], [0, 2]),
    ]
    cases = []
    for d, f, matter, idle in functions:
        X = rng.random((40, d))
        cases.append((X, f(X), matter, idle))
    return cases


def check_relevance(relevance: Callable) -> None:
    """``relevance(X, y)``: one number per column of X, larger for a column that matters more (1 / length scale)."""
    for X, y, matter, idle in _cases():
        got = relevance(X.copy(), y.copy())
        assert got is not None, "relevance returned None: return one number per column of X."
        got = np.asarray(got, dtype=float).reshape(-1)
        assert got.shape == (X.shape[1],), (
            f"X has {X.shape[1]} columns, so return {X.shape[1]} numbers (one per column), got shape {got.shape}.")
        assert np.all(np.isfinite(got)) and np.all(got > 0), f"relevances are positive numbers, got {got.round(3)}."
        assert not np.allclose(got, got[0]), (
            f"every column got the same relevance {got[0]:.3g}: fit the GP (optimize=True, the default) with one "
            "length scale per column (ard=True, the default), so that each column's scale is fitted on its own.")
        top = int(np.argmax(got))
        if top in idle and int(np.argmin(got)) == matter[0]:
            raise AssertionError("your ranking is reversed: a long length scale means the function changes slowly "
                                 "along that column, so it matters *less*. Return 1 / length_scale.")
        assert top == matter[0], (
            f"column {matter[0]} matters most here, but column {top} got the largest relevance ({got.round(3)}). "
            "Fit hpo_lessons.methods.gp.GaussianProcess to (X, y) and return 1 / gp.kernel.length_scale.")
        assert all(got[i] < 0.2 * got[top] for i in idle), (
            f"columns {idle} do not affect y at all, yet got relevances {got[idle].round(3)} against {got[top]:.3g} "
            "for the column that matters most: fit the length scales by maximum likelihood.")
    print("Right: the columns that do not matter get length scales at the upper bound (relevance near 0); "
          "the one that matters most gets the shortest length scale.")


def check_ei_maximize(ei_maximize: Callable) -> None:
    """``ei_maximize(mean, std, best)`` = E[max(f - best, 0)] for f ~ N(mean, std^2)."""
    rng = np.random.default_rng(5)
    mean, std = rng.uniform(0.8, 1.0, size=50), rng.uniform(0.001, 0.1, size=50)
    best = 0.93
    got = ei_maximize(mean, std, best)
    assert got is not None, "ei_maximize returned None: return the array of expected improvements."
    got = np.asarray(got, dtype=float)
    want = expected_improvement(-mean, std, -best)
    assert got.shape == mean.shape, f"expected one value per candidate, shape {mean.shape}, got {got.shape}."
    assert np.all(got >= -1e-12), "an expected improvement is never negative: it is the mean of max(f - best, 0)."
    assert np.allclose(got, want, rtol=1e-7, atol=1e-12), (
        f"at mean={mean[0]:.3f}, std={std[0]:.3f}, best={best} you give {got[0]:.6g}, the answer is {want[0]:.6g}. "
        "For a maximized f, improvement means f above best: z = (mean - best) / std and "
        "EI = (mean - best) Phi(z) + std phi(z), or reuse the minimizing EI on -mean and -best."
    )
    one = float(expected_improvement(np.array(-1.0), np.array(0.1), -0.95))
    print(f"Right: a candidate predicted at 1.00 +- 0.1 against a best of 0.95 has EI = {one:.4f}.")
