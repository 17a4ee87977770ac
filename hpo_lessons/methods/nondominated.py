"""Fast non-dominated sorting and crowding distance: how NSGA-II ranks a population (Deb et al., 2002).

Every point is a row of objective values, all minimized (``core.pareto.as_minimized`` turns
maximized ones around). *Non-dominated sorting* puts the points no other point dominates in
front 0, the points only front-0 points dominate in front 1, and so on. Within a front, the
*crowding distance* of a point is how much room it has: per objective, the gap between its
two neighbours along that objective, divided by the objective's range, summed over
objectives; the two ends of each objective get infinity, so the extremes of a front are
always kept. A population is ordered by front first, then by crowding distance, largest first
(the *crowded comparison*).

Reference: Deb, Pratap, Agarwal & Meyarivan (2002), A fast and elitist multiobjective genetic
algorithm: NSGA-II, IEEE Transactions on Evolutionary Computation 6(2), 182-197.
"""

from __future__ import annotations

import numpy as np


def _points(points) -> np.ndarray:
    points = np.asarray(points, dtype=float)
    if points.ndim != 2:
        raise ValueError(f"points must be a 2-D array (points x objectives), got shape {points.shape}.")
    if not np.all(np.isfinite(points)):
        raise ValueError("points must be finite; leave failed trials (None, NaN, inf) out before ranking.")
    return points


def domination_matrix(points) -> np.ndarray:
    """``D[i, j]`` is True when point ``i`` dominates point ``j``: no worse anywhere, better somewhere."""
    p = _points(points)
    no_worse, better = np.ones((len(p), len(p)), dtype=bool), np.zeros((len(p), len(p)), dtype=bool)
    for column in p.T:  # one objective at a time: n x n, never n x n x m
        no_worse &= column[:, None] <= column[None, :]
        better |= column[:, None] < column[None, :]
    return no_worse & better


def nondominated_ranks(points, n: int | None = None) -> np.ndarray:
    """The front of each point, 0 for the Pareto front; shape (n,). Deb et al. (2002), fast non-dominated sort.

    Each point counts how many points dominate it; the points with a count of 0 form front 0;
    removing them lowers the counts of the points they dominate, and the points that reach 0
    form the next front. Equal points share a front (neither dominates the other). With ``n``,
    sorting stops once ``n`` points are ranked; the rest get the next rank, unsorted.

    >>> nondominated_ranks([[1, 4], [2, 2], [4, 1], [3, 3], [3, 3], [5, 5]]).tolist()
    [0, 0, 0, 1, 1, 2]
    """
    dominates = domination_matrix(points)
    count = dominates.sum(axis=0)  # how many points dominate each one
    ranks = np.full(len(count), -1)
    front, rank = np.flatnonzero(count == 0), 0
    while len(front) and (n is None or np.count_nonzero(ranks >= 0) < n):
        ranks[front] = rank
        count = count - dominates[front].sum(axis=0)
        count[ranks >= 0] = -1  # ranked already: never again
        front, rank = np.flatnonzero(count == 0), rank + 1
    ranks[ranks < 0] = rank
    return ranks


def fronts(points) -> list[np.ndarray]:
    """The indices of each front, front 0 (the Pareto front) first."""
    ranks = nondominated_ranks(points)
    return [np.flatnonzero(ranks == r) for r in range(ranks.max() + 1)] if len(ranks) else []


def crowding_distance(points) -> np.ndarray:
    """Crowding distance of each point of one front; shape (n,). Deb et al. (2002), Section III-B.

    Per objective, sort the points; the first and last get infinity, each other point the
    gap between its two neighbours divided by the objective's range (largest minus smallest);
    an objective on which every point is equal adds nothing. Ties in an objective are sorted
    by position, so the result is deterministic.

    >>> crowding_distance([[0, 4], [1, 2], [2, 1], [4, 0]]).tolist()
    [inf, 1.25, 1.25, inf]
    """
    p = _points(points)
    n, m = p.shape
    distance = np.zeros(n)
    for j in range(m):
        order = np.argsort(p[:, j], kind="stable")
        span = p[order[-1], j] - p[order[0], j]
        if span == 0:
            continue
        distance[order[0]] = distance[order[-1]] = np.inf
        distance[order[1:-1]] += (p[order[2:], j] - p[order[:-2], j]) / span
    return distance


def crowded_order(points, n: int | None = None) -> np.ndarray:
    """All indices, best first: by front, then by crowding distance within the front (largest first).

    Ties (equal front and distance) keep the points' order, so the result is deterministic.
    With ``n``, only the first ``n`` places are sure (the fronts that fill them are sorted and
    crowded); the points after them come last, in no useful order.

    >>> crowded_order([[3, 3], [1, 4], [2, 2], [4, 1], [2.5, 2.5]]).tolist()
    [1, 3, 2, 4, 0]
    """
    p = _points(points)
    ranks = nondominated_ranks(p, n)
    distance = np.zeros(len(p))
    for r in range(ranks.max() + 1 if len(p) else 0):
        members = np.flatnonzero(ranks == r)
        distance[members] = crowding_distance(p[members])
    return np.lexsort((np.arange(len(p)), -distance, ranks))
