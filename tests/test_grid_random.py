"""Grid and random search. Reference for the grid: scikit-learn's ParameterGrid."""

import math

import numpy as np
import pytest
from sklearn.model_selection import ParameterGrid

import hpo_lessons as hl
from hpo_lessons import Categorical, Exhausted, GridSearch, Integer, RandomSearch, Real, Space


def test_all_categorical_grid_equals_sklearn_parameter_grid():
    choices = {"activation": ["relu", "tanh"], "optimizer": ["adam", "sgd", "rmsprop"], "layers": [1, 2, 3]}
    grid = GridSearch(Space(**{k: Categorical(v) for k, v in choices.items()}))
    ours = [grid.ask().params for _ in range(len(grid))]
    theirs = list(ParameterGrid(choices))
    assert len(ours) == len(theirs) == 18
    as_set = lambda points: {tuple(sorted(p.items())) for p in points}
    assert as_set(ours) == as_set(theirs)
    with pytest.raises(Exhausted):
        grid.ask()


def test_numeric_grid_sizes_and_spacing():
    space = Space(lr=Real(1e-4, 1e-1, log=True), units=Integer(1, 4), dropout=Real(0.0, 0.5))
    grid = GridSearch(space, points_per_dim=4)
    assert len(grid) == grid.size == 4 * 4 * 4
    points = grid.points
    lrs = sorted({p["lr"] for p in points})
    assert np.allclose(np.diff(np.log10(lrs)), 1.0)  # evenly spaced decades on the log dimension
    assert sorted({p["dropout"] for p in points}) == pytest.approx([0, 1 / 6, 2 / 6, 0.5])
    # integers are de-duplicated: 10 points on 1..4 give 4 values, not 10
    assert len(GridSearch(Space(units=Integer(1, 4)), points_per_dim=10)) == 4
    # documented order: last dimension varies fastest
    assert [p["dropout"] for p in points[:4]] == pytest.approx([0, 1 / 6, 2 / 6, 0.5])


def test_run_stops_cleanly_when_the_grid_is_exhausted():
    space = Space(a=Integer(1, 3), b=Categorical(["x", "y"]))
    history = hl.run(lambda p: p["a"], GridSearch(space), n_trials=100, progress=False)
    assert len(history) == 6 and history.best_value == 1
    history = hl.run(lambda p: p["a"], GridSearch(space), progress=False)  # no budget needed: the grid is finite
    assert len(history) == 6


def test_random_search_is_uniform_in_log_space_and_seeded():
    space = Space(lr=Real(1e-5, 1e-1, log=True))
    rs = RandomSearch(space, seed=0)
    draws = np.log10([rs.ask().params["lr"] for _ in range(4000)])
    counts, _ = np.histogram(draws, bins=4, range=(-5, -1))
    assert counts.min() > 900  # ~1000 per decade
    a, b, c = RandomSearch(space, seed=7), RandomSearch(space, seed=7), RandomSearch(space, seed=8)
    seq_a, seq_b, seq_c = ([o.ask().params for _ in range(5)] for o in (a, b, c))
    assert seq_a == seq_b and seq_a != seq_c


@pytest.mark.parametrize("design", ["sobol", "lhs"])
def test_quasi_random_designs_cover_space_more_evenly_than_uniform(design):
    """Reference: scipy.stats.qmc.discrepancy; QMC designs have lower discrepancy than iid draws."""
    from scipy.stats import qmc

    space = Space(a=Real(0, 1), b=Real(0, 1))
    def disc(opt):
        return qmc.discrepancy(np.array([list(opt.ask().params.values()) for _ in range(64)]))
    uniform = np.median([disc(RandomSearch(space, seed=s)) for s in range(10)])
    quasi = np.median([disc(RandomSearch(space, seed=s, design=design, batch_size=64)) for s in range(10)])
    assert quasi < uniform / 2


def test_random_search_skips_repeats_on_a_small_space():
    space = Space(a=Integer(1, 3), b=Categorical(["x", "y"]))
    rs = RandomSearch(space, seed=0)
    seen = [space.key(rs.ask().params) for _ in range(6)]
    assert len(set(seen)) == 6
    assert rs.size == 6


@pytest.mark.parametrize("kwargs, words", [({"design": "halton"}, "design='halton' is unknown"),
                                           ({"batch_size": 0}, "batch_size must be")])
def test_random_search_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        RandomSearch(Space(a=Real(0, 1)), **kwargs)


def test_grid_points_per_dim_must_be_positive():
    with pytest.raises(ValueError, match="points_per_dim for 'a'"):
        GridSearch(Space(a=Real(0, 1)), points_per_dim=0)


def test_random_search_on_a_finite_space_proposes_each_configuration_once_then_ends():
    """Defect: after 100 repeated draws it used to repeat a configuration, and run() never ended."""
    space = Space(n=Integer(1, 4), act=Categorical(["relu", "tanh", "elu"]))
    history = hl.run(lambda p: p["n"], RandomSearch(space, seed=0), progress=False)  # no n_trials: ends by itself
    assert len(history) == 12 and len({space.key(t.params) for t in history}) == 12
    rs = RandomSearch(space, seed=1)
    for _ in range(12):
        rs.tell(rs.ask(), 0.0)
    with pytest.raises(Exhausted, match="all 12 configurations"):
        rs.ask()
    assert RandomSearch(space, unique=False).size == math.inf and rs.size == 12
