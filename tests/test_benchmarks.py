"""Synthetic benchmarks: the minima they claim, checked by closed forms, dense grids and scipy multistart."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.benchmarks import Benchmark, ackley, branin, mixed, rastrigin, regret, rosenbrock

NUMERIC = [branin(), rosenbrock(2), rosenbrock(4), ackley(2), ackley(5), rastrigin(2), rastrigin(4)]
ALL = [*NUMERIC, mixed()]


def bounds(bench: Benchmark) -> np.ndarray:
    """(d, 2) array of each real dimension's [low, high]."""
    return np.array([[dim.low, dim.high] for _, dim in bench.space])


@pytest.mark.parametrize("bench", ALL, ids=lambda b: b.name)
def test_every_argmin_reaches_the_minimum_and_lies_in_the_space(bench):
    """Reference: the minimum stated by the function's definition (e.g. 5/(4 pi) for Branin)."""
    assert bench.argmins
    for params in bench.argmins:
        assert bench.space.validate(params) == params
        assert bench(params) == pytest.approx(bench.minimum, abs=1e-12)


def test_published_values():
    """Reference: closed forms, and Branin's 0.397887 as published (Dixon & Szego, 1978; Surjanovic & Bingham)."""
    assert branin().minimum == pytest.approx(0.397887, abs=1e-6)
    assert rosenbrock(5).f(np.zeros(5))[0] == 4.0  # each of the 4 terms is (1 - 0)^2
    assert rastrigin(3).f(np.ones(3))[0] == pytest.approx(3.0)  # 10*3 + 3*(1 - 10 cos(2 pi))
    assert ackley(2).f(np.ones(2))[0] == pytest.approx(20 * (1 - math.exp(-0.2)))  # cos(2 pi) = 1 cancels e
    assert branin().f(np.array([0.0, 0.0]))[0] == pytest.approx(56 - 5 / (4 * math.pi))  # (-6)^2 + 10(1 - t) + 10


@pytest.mark.parametrize("bench", [b for b in NUMERIC if b.dim == 2], ids=lambda b: b.name)
def test_a_dense_grid_never_goes_below_the_minimum(bench):
    """Reference: exhaustive evaluation on a 1201 x 1201 grid (through the vectorized f)."""
    (a, b), (c, d) = bounds(bench)
    x1, x2 = np.meshgrid(np.linspace(a, b, 1201), np.linspace(c, d, 1201))
    values = bench.f(np.column_stack([x1.ravel(), x2.ravel()]))
    assert values.min() >= bench.minimum - 1e-12
    assert values.min() < bench.minimum + 0.05  # the grid does get near it: the function is what we think


@pytest.mark.parametrize("bench", NUMERIC, ids=lambda b: b.name)
def test_scipy_multistart_never_goes_below_the_minimum(bench):
    """Reference: scipy.optimize.minimize (bounded Powell, derivative-free) from 20 random starts in the bounds."""
    rng = np.random.default_rng(0)
    box = bounds(bench)
    starts = rng.uniform(box[:, 0], box[:, 1], size=(20, bench.dim))
    found = [minimize(lambda x: bench.f(x)[0], x0, method="Powell", bounds=box).fun
             for x0 in starts]
    assert min(found) >= bench.minimum - 1e-9
    tight = {"xatol": 1e-10, "fatol": 1e-14}
    for params in bench.argmins:  # each argmin is a local minimum: a local search from a nudge rolls back
        x0 = bench.to_array(params) + 0.01
        local = minimize(lambda x: bench.f(x)[0], x0, method="Nelder-Mead", bounds=box, options=tight)
        assert local.fun == pytest.approx(bench.minimum, abs=1e-6)


def test_mixed_minimum_by_enumeration_and_scalar_minimization():
    """Reference: every (units, activation) pair enumerated, scipy's bounded minimize_scalar over log10(lr)."""
    bench = mixed()
    lr = bench.space["learning_rate"]
    best = math.inf
    for units in range(1, 11):
        for act in bench.space["activation"].choices:
            at = {"units": units, "activation": act}
            res = minimize_scalar(lambda t, at=at: bench({"learning_rate": 10.0**t, **at}),
                                  bounds=(math.log10(lr.low), math.log10(lr.high)), method="bounded")
            best = min(best, res.fun)
    assert best >= bench.minimum - 1e-12 and best == pytest.approx(bench.minimum, abs=1e-8)
    others = [bench(p) for p in bench.space.grid(9) if p != bench.argmins[0]]
    assert min(others) > bench.minimum  # the argmin is the unique minimum among grid points


@pytest.mark.parametrize("bench", ALL, ids=lambda b: b.name)
def test_vectorized_f_matches_calling_on_params(bench):
    """Reference: the params-dict call, one row at a time."""
    samples = bench.space.sample(np.random.default_rng(1), 25)
    rows = np.array([bench.to_array(p) for p in samples])
    assert bench.f(rows).shape == (25,)
    np.testing.assert_allclose(bench.f(rows), [bench(p) for p in samples], rtol=1e-14)


def test_registry_and_get():
    assert set(benchmarks.BENCHMARKS) == {"branin", "rosenbrock", "ackley", "rastrigin", "mixed"}
    assert benchmarks.get("ackley", dim=4).dim == 4 and benchmarks.get("ackley").dim == 2
    assert benchmarks.get("branin").name == "branin" and benchmarks.get("mixed").dim == 3
    with pytest.raises(ValueError, match="unknown"):
        benchmarks.get("sphere")
    with pytest.raises(ValueError, match="dim"):
        benchmarks.get("branin", dim=3)
    with pytest.raises(ValueError, match="dim"):
        rosenbrock(1)
    with pytest.raises(ValueError, match="dim"):
        rastrigin(2.5)


def test_regret_is_best_so_far_minus_the_minimum():
    """Reference: History.best_so_far minus the known minimum; NaN before the first success."""
    bench = branin()
    history = hl.run(bench, hl.RandomSearch(bench.space, seed=0), n_trials=30, progress=False)
    r = regret(history, bench)
    assert r.shape == (30,) and np.all(r >= 0) and np.all(np.diff(r) <= 0)
    np.testing.assert_array_equal(r, history.best_so_far() - bench.minimum)
    failed = hl.History([hl.Trial(0, bench.argmins[0], None, "failed", "boom"), hl.Trial(1, bench.argmins[1], 1.0)])
    assert np.isnan(regret(failed, bench)[0]) and regret(failed, bench)[1] == pytest.approx(1.0 - bench.minimum)
    with pytest.raises(ValueError, match="minimize"):
        regret(hl.History(direction="maximize"), bench)
