"""Chapter 4 exercise checks accept the worked solutions and reject typical wrong answers.
References: ``Real(log=True).grid`` for log spacing, ``Space.grid`` for grid sizes, and an
integer-only root for the number of grid values per dimension."""

import math

import numpy as np
import pytest

from hpo_lessons import Categorical, Integer, Real, Space
from hpo_lessons.exercises import ch04


def log_grid(low, high, k):
    return [float(v) for v in np.exp(np.linspace(np.log(low), np.log(high), k))]


def axis_values(dim, k):
    if isinstance(dim, Categorical):
        return list(dim.choices)
    a, b = (math.log(dim.low), math.log(dim.high)) if dim.log else (dim.low, dim.high)
    values = np.linspace(a, b, k)
    values = np.exp(values) if dim.log else values
    if isinstance(dim, Integer):
        return sorted({int(round(v)) for v in values})
    return [float(v) for v in values]


def grid_size(space, k):
    return math.prod(len(axis_values(dim, k)) for _, dim in space)


def distinct_values(n_trials, d):
    k = round(n_trials ** (1 / d))
    while k**d > n_trials:
        k -= 1
    while (k + 1) ** d <= n_trials:
        k += 1
    return k, n_trials


def test_log_grid_accepts_the_solution(capsys):
    ch04.check_log_grid(log_grid)
    assert "Right" in capsys.readouterr().out


def test_log_grid_rejects_linear_spacing():
    with pytest.raises(AssertionError, match="evenly in log"):
        ch04.check_log_grid(lambda low, high, k: list(np.linspace(low, high, k)))


def test_log_grid_rejects_the_unfinished_stub():
    with pytest.raises(AssertionError, match="should return"):
        ch04.check_log_grid(lambda low, high, k: None)


def test_grid_size_accepts_the_solution(capsys):
    ch04.check_grid_size(grid_size)
    assert "Right" in capsys.readouterr().out


def test_grid_size_rejects_k_to_the_d():
    with pytest.raises(AssertionError, match="categorical gives all its choices"):
        ch04.check_grid_size(lambda space, k: k ** len(space))


def test_grid_size_rejects_forgetting_integer_duplicates():
    def no_dedup(space, k):
        return math.prod(len(dim.choices) if isinstance(dim, Categorical) else k for _, dim in space)

    with pytest.raises(AssertionError, match="integer range"):
        ch04.check_grid_size(no_dedup)


def test_distinct_values_accepts_the_solution(capsys):
    ch04.check_distinct_values(distinct_values)
    assert "Right" in capsys.readouterr().out


def test_distinct_values_rejects_a_truncated_float_root():
    assert int(64 ** (1 / 3)) == 3  # the trap the exercise warns about
    with pytest.raises(AssertionError, match="float root"):
        ch04.check_distinct_values(lambda n, d: (int(n ** (1 / d)), n))


def test_distinct_values_rejects_a_rounded_float_root():
    assert round(15 ** 0.5) ** 2 > 15  # rounding fixes 64 ** (1/3) but overshoots here
    with pytest.raises(AssertionError, match="overshoots"):
        ch04.check_distinct_values(lambda n, d: (round(n ** (1 / d)), n))


def test_grid_size_rejects_capping_integers_at_their_range():
    """Capping an integer axis at high - low + 1 values misses the duplicates that log rounding makes."""
    def capped(space, k):
        return math.prod(len(dim.choices) if isinstance(dim, Categorical) else
                         min(k, dim.high - dim.low + 1) if isinstance(dim, Integer) else k for _, dim in space)

    assert capped(Space(layers=Integer(1, 3), units=Integer(16, 256, log=True)), 5) == 15  # right on old cases
    with pytest.raises(AssertionError, match="log scale"):
        ch04.check_grid_size(capped)


def test_distinct_values_rejects_random_search_counted_like_the_grid():
    with pytest.raises(AssertionError, match="random search"):
        ch04.check_distinct_values(lambda n, d: (distinct_values(n, d)[0], distinct_values(n, d)[0]))


def test_reference_root_is_the_largest_k():
    for n in range(1, 300):
        for d in range(1, 6):
            k = ch04._reference_k(n, d)
            assert k**d <= n < (k + 1) ** d


def test_grid_size_solution_matches_space_grid_on_real_dims():
    space = Space(a=Real(0.0, 1.0), b=Real(1.0, 2.0), c=Real(1e-3, 1.0, log=True))
    assert grid_size(space, 4) == len(space.grid(4)) == 64
