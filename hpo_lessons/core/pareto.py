"""Pareto optimality: which points no other point beats on every objective at once.

A point *dominates* another when it is at least as good on every objective and strictly
better on one. The Pareto front is the set of points no other point dominates. Everything
here minimizes; ``directions`` turn maximized objectives around first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .trial import DIRECTIONS


def as_minimized(values, directions: Sequence[str]) -> np.ndarray:
    """``values`` (n points x m objectives) with every objective turned into one to minimize."""
    points = np.asarray(values, dtype=float)
    if points.ndim != 2:
        raise ValueError(f"values must be a 2-D array (points x objectives), got shape {points.shape}.")
    if isinstance(directions, str) or len(directions) != points.shape[1]:
        raise ValueError(f"directions must list one direction per objective ({points.shape[1]}), got {directions!r}.")
    bad = [d for d in directions if d not in DIRECTIONS]
    if bad:
        raise ValueError(f"directions may only hold 'minimize' and 'maximize', got {bad!r}.")
    return points * np.array([1.0 if d == "minimize" else -1.0 for d in directions])


def dominates(a, b) -> bool:
    """Whether ``a`` dominates ``b`` (both minimized): no worse anywhere, better somewhere."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.all(a <= b) and np.any(a < b))


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """True for each row of ``points`` (minimized) that no other row dominates. Duplicates all stay."""
    points = np.asarray(points, dtype=float)
    keep = np.ones(len(points), dtype=bool)
    for i, p in enumerate(points):
        no_worse = np.all(points <= p, axis=1)
        better = np.any(points < p, axis=1)
        keep[i] = not np.any(no_worse & better)
    return keep


def pareto_front(values, directions: Sequence[str]) -> np.ndarray:
    """Indices of the Pareto-optimal points among ``values`` (n x m), in their original order.

    >>> pareto_front([[0.9, 100], [0.8, 10], [0.7, 50], [0.9, 100]], ["maximize", "minimize"]).tolist()
    [0, 1, 3]
    """
    return np.flatnonzero(pareto_mask(as_minimized(values, directions)))
