"""Hypervolume: the size of the region a set of points dominates, up to a reference point.

For minimized objectives and a reference point ``r`` that every point is no worse than, the
hypervolume of a set is the volume of the union of the boxes ``[p, r]``. It grows when a
point moves forward, when a new point fills a gap, and only a point that dominates part of
the region not yet dominated can raise it: the one number that rewards both getting close
to the true front and covering it (Zitzler & Thiele, 1998; Zitzler et al., 2003).

Exact algorithms: in 2-D, sort by the first objective and add up the rectangles of a
staircase (O(n log n)); in more dimensions, slice along the last objective: between two
consecutive values of it, the dominated region is a prism whose base is the (d-1)-D
hypervolume of the points below the slice (Hypervolume by Slicing Objectives, While et al.,
2006); in 3-D that is O(n^2 log n), exact, and fast enough for thousands of points.

References: Zitzler & Thiele (1998), Multiobjective optimization using evolutionary
algorithms: a comparative case study, PPSN V; While, Hingston, Barone & Huband (2006), A
faster algorithm for calculating hypervolume, IEEE Transactions on Evolutionary Computation 10(1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.pareto import as_minimized


def _staircase(points: np.ndarray, reference: np.ndarray) -> float:
    """Exact 2-D hypervolume of minimized ``points`` (n, 2) up to ``reference`` (2,), dominated points included.

    Sorted by the first objective, each point adds the rectangle between its first objective
    and the reference, from its second objective up to the lowest second objective before it
    (nothing if it is not lower: the point is dominated).
    """
    points = points[np.lexsort((points[:, 1], points[:, 0]))]
    level = np.minimum.accumulate(np.concatenate([[reference[1]], points[:, 1]]))[:-1]  # lowest y before each
    return float(np.sum((reference[0] - points[:, 0]) * np.maximum(level - points[:, 1], 0.0)))


def _undominated(points: np.ndarray) -> np.ndarray:
    """Rows of the points no other point dominates, one of each duplicate (enough for a volume).

    The lexicographically smallest point left is never dominated by another point left; keep it
    and drop every point it weakly dominates; repeat. Cost: front size x n.
    """
    order = np.lexsort(points.T[::-1])
    left, keep = order, []
    while len(left):
        keep.append(left[0])
        left = left[1:][~np.all(points[left[1:]] >= points[left[0]], axis=1)]
    return np.array(keep, dtype=int)


def _sliced(points: np.ndarray, reference: np.ndarray) -> float:
    """Exact hypervolume in any dimension by slicing the last objective (2-D: the staircase)."""
    if len(points) == 0:
        return 0.0
    if points.shape[1] == 1:
        return float(reference[0] - points[:, 0].min())
    if points.shape[1] == 2:
        return _staircase(points, reference)
    points = points[np.argsort(points[:, -1], kind="stable")]
    levels = np.append(points[:, -1], reference[-1])
    volume = 0.0
    for k in range(len(points)):
        height = levels[k + 1] - levels[k]
        if height > 0:  # the points up to k form the base of this slice
            base = points[: k + 1, :-1]  # the 2-D staircase skips dominated points itself
            volume += height * _sliced(base if base.shape[1] == 2 else base[_undominated(base)], reference[:-1])
    return float(volume)


def hypervolume(values, reference, directions: Sequence[str] | None = None) -> float:
    """The hypervolume of ``values`` (n points x m objectives) up to ``reference`` (m,).

    Parameters
    ----------
    values : the points, in the objectives' own units (an empty list has hypervolume 0).
    reference : a point no better than any of ``values`` on any objective, in the same units:
        for error and parameter count, say, an error of 1 and the largest model allowed.
    directions : "minimize"/"maximize" per objective; None minimizes every one.

    Raises a ValueError if some point is worse than the reference on an objective (it would
    count a negative volume), or if a value is not finite.

    >>> hypervolume([[1, 3], [2, 2], [3, 1]], reference=[4, 4])
    6.0
    >>> hypervolume([[0.9, 100], [0.8, 10]], reference=[0.0, 1000], directions=["maximize", "minimize"])
    882.0
    """
    reference = np.asarray(reference, dtype=float).ravel()
    m = len(reference)
    points = np.asarray(values, dtype=float).reshape(-1, m) if np.size(values) else np.empty((0, m))
    directions = ["minimize"] * m if directions is None else list(directions)
    if not np.all(np.isfinite(reference)):
        raise ValueError(f"reference must be finite, got {reference.tolist()}.")
    points = as_minimized(points, directions)
    reference = as_minimized(reference[None], directions)[0]
    if not np.all(np.isfinite(points)):
        raise ValueError("values must be finite; leave failed trials out before scoring a front.")
    worse = np.flatnonzero(np.any(points > reference, axis=1))
    if len(worse):
        raise ValueError(f"{len(worse)} point(s) are worse than the reference {reference.tolist()} on some "
                         f"objective (the first is row {worse[0]}); choose a reference no better than every "
                         "point on every objective (the worst value each objective can take).")
    return _sliced(points[_undominated(points)], reference)
