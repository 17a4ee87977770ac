"""Chapter 11 exercise checks accept the worked solutions and reject typical wrong answers.
Reference: the package's crowding_distance (itself checked against Optuna's in test_multi_objective)."""

import numpy as np
import pytest

from hpo_lessons.exercises import ch11


def dominates(a, b):
    return bool(np.all(a <= b) and np.any(a < b))


def crowding(points):
    n, m = points.shape
    distance = np.zeros(n)
    for j in range(m):
        order = np.argsort(points[:, j], kind="stable")
        span = points[order[-1], j] - points[order[0], j]
        if span == 0:
            continue
        distance[order[0]] = distance[order[-1]] = np.inf
        distance[order[1:-1]] += (points[order[2:], j] - points[order[:-2], j]) / span
    return distance


def test_the_solutions_pass(capsys):
    ch11.check_dominates(dominates)
    ch11.check_crowding_distance(crowding)
    assert capsys.readouterr().out.count("Right") == 2


@pytest.mark.parametrize("wrong, message", [
    (lambda a, b: bool(np.all(a <= b)), "does not dominate itself"),  # >= (<=) on every objective
    (lambda a, b: bool(np.all(a < b)), "Strictly better on \\*every\\* objective"),
    (lambda a, b: bool(np.all(a >= b) and np.any(a > b)), "minimized"),
    (lambda a, b: None, "returned None"),
])
def test_wrong_dominance_is_rejected(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch11.check_dominates(wrong)


def no_infinities(points):
    distance = crowding(points)
    distance[np.isinf(distance)] = 0.0
    return distance


def unscaled(points):
    n, m = points.shape
    distance = np.zeros(n)
    for j in range(m):
        order = np.argsort(points[:, j], kind="stable")
        distance[order[0]] = distance[order[-1]] = np.inf
        distance[order[1:-1]] += points[order[2:], j] - points[order[:-2], j]
    return distance


def unsorted(points):
    distance = np.zeros(len(points))
    distance[0] = distance[-1] = np.inf
    for j in range(points.shape[1]):
        span = np.ptp(points[:, j])
        distance[1:-1] += np.abs(points[2:, j] - points[:-2, j]) / span
    return distance


@pytest.mark.parametrize("wrong, message", [(no_infinities, "infinite distance"), (unscaled, "range"),
                                            (unsorted, "infinite distance|range")])
def test_wrong_crowding_is_rejected(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ch11.check_crowding_distance(wrong)
