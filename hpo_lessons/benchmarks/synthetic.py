"""Synthetic test functions with known minima: cheap stand-ins for a training run.

A search on a real network takes minutes per trial and its best value is unknown; on these
functions a trial takes microseconds and the minimum is known, so methods can be compared over
many seeds by their *simple regret* (best value found so far minus the true minimum).

Each ``Benchmark`` is directly an objective for ``hpo_lessons.core.run`` (call it on a params dict)
and has a vectorized form ``bench.f(x)`` on an array of shape (n, d) for plotting surfaces.

>>> import hpo_lessons as hl
>>> bench = branin()
>>> round(bench(bench.argmins[0]), 6), bench.minimum == 5 / (4 * np.pi)
(0.397887, True)
>>> history = hl.run(bench, hl.RandomSearch(bench.space, seed=0), n_trials=20, progress=False)
>>> bool(regret(history, bench)[-1] >= 0)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..core.checks import is_int
from ..core.history import History
from ..core.space import Categorical, Integer, Real, Space


@dataclass
class Benchmark:
    """A test function with its search space, minimum value and the params that reach it.

    ``f`` maps an array of shape (n, d), columns in ``space`` order, to values of shape (n,);
    a categorical column holds the index of the choice. Calling the benchmark on a params dict
    returns one float, so ``hl.run(bench, optimizer, ...)`` minimizes it.
    """

    name: str
    space: Space
    minimum: float
    argmins: list[dict]
    f: Callable[[np.ndarray], np.ndarray]
    # How get() rebuilds it, e.g. ("ackley", 4): ``f`` is a closure, which pickle cannot send to
    # the worker processes of compare(n_jobs=...), but the recipe can.
    recipe: tuple = field(default=(), repr=False, compare=False)

    def __reduce__(self):
        if not self.recipe:
            raise TypeError(f"benchmark {self.name!r} has no recipe, so it cannot be pickled; "
                            "build it with a function of hpo_lessons.benchmarks.")
        return get, self.recipe

    @property
    def dim(self) -> int:
        return len(self.space)

    def to_array(self, params: dict) -> np.ndarray:
        """Params -> one row for ``f``: numbers as they are, categoricals as choice indices; shape (d,)."""
        params = self.space.validate(params)
        return np.array([dim.index(params[name]) if isinstance(dim, Categorical) else params[name]
                         for name, dim in self.space], dtype=float)

    def __call__(self, params: dict) -> float:
        return float(self.f(self.to_array(params)[None, :])[0])

    def __repr__(self) -> str:
        return f"Benchmark({self.name!r}, dim={self.dim}, minimum={self.minimum:.6g})"


def _rows(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[None, :] if x.ndim == 1 else x


def _box(low: float, high: float, dim: int) -> Space:
    return Space(**{f"x{i + 1}": Real(low, high) for i in range(dim)})


def _check_dim(dim, least: int, name: str) -> int:
    if not is_int(dim) or dim < least:
        raise ValueError(f"{name}: dim must be an int >= {least}, got {dim!r}.")
    return int(dim)


def branin() -> Benchmark:
    """Branin-Hoo on [-5, 10] x [0, 15]: three global minima of value 5 / (4 pi) = 0.397887.

    f = (x2 - b x1^2 + c x1 - 6)^2 + 10 (1 - t) cos(x1) + 10, b = 5.1 / (4 pi^2), c = 5 / pi,
    t = 1 / (8 pi). The minima make the square vanish where cos(x1) = -1: x1 = -pi, pi, 3 pi.
    """
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)

    def f(x):
        x = _rows(x)
        x1, x2 = x[:, 0], x[:, 1]
        return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10

    space = Space(x1=Real(-5.0, 10.0), x2=Real(0.0, 15.0))
    argmins = [{"x1": -math.pi, "x2": 12.275}, {"x1": math.pi, "x2": 2.275}, {"x1": 3 * math.pi, "x2": 2.475}]
    return Benchmark("branin", space, 5 / (4 * math.pi), argmins, f, recipe=("branin",))


def rosenbrock(dim: int = 2) -> Benchmark:
    """Rosenbrock's banana valley on [-5, 10]^dim: minimum 0 at (1, ..., 1).

    f = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2; the valley is easy to find, its floor hard to follow.
    """
    dim = _check_dim(dim, 2, "rosenbrock")

    def f(x):
        x = _rows(x)
        return np.sum(100 * (x[:, 1:] - x[:, :-1] ** 2) ** 2 + (1 - x[:, :-1]) ** 2, axis=1)

    return Benchmark(f"rosenbrock{dim}", _box(-5.0, 10.0, dim), 0.0, [{f"x{i + 1}": 1.0 for i in range(dim)}], f,
                     recipe=("rosenbrock", dim))


def ackley(dim: int = 2) -> Benchmark:
    """Ackley on [-32.768, 32.768]^dim: a nearly flat plate of ripples, one deep hole of 0 at the origin.

    f = -20 exp(-0.2 sqrt(mean x^2)) - exp(mean cos(2 pi x)) + 20 + e.
    """
    dim = _check_dim(dim, 1, "ackley")

    def f(x):
        x = _rows(x)
        value = (-20 * np.exp(-0.2 * np.sqrt(np.mean(x**2, axis=1))) - np.exp(np.mean(np.cos(2 * np.pi * x), axis=1))
                 + 20 + np.e)
        return np.maximum(value, 0.0)  # 20 + e - 20 - e rounds to 4e-16 at the origin; the true value is 0

    return Benchmark(f"ackley{dim}", _box(-32.768, 32.768, dim), 0.0, [{f"x{i + 1}": 0.0 for i in range(dim)}], f,
                     recipe=("ackley", dim))


def rastrigin(dim: int = 2) -> Benchmark:
    """Rastrigin on [-5.12, 5.12]^dim: a bowl covered in about 11^dim local minima; minimum 0 at the origin.

    f = 10 dim + sum_i (x_i^2 - 10 cos(2 pi x_i)).
    """
    dim = _check_dim(dim, 1, "rastrigin")

    def f(x):
        x = _rows(x)
        return 10 * x.shape[1] + np.sum(x**2 - 10 * np.cos(2 * np.pi * x), axis=1)

    return Benchmark(f"rastrigin{dim}", _box(-5.12, 5.12, dim), 0.0, [{f"x{i + 1}": 0.0 for i in range(dim)}], f,
                     recipe=("rastrigin", dim))


MIXED_ACTIVATIONS = ("relu", "tanh", "sigmoid")
MIXED_BEST_LOG10_LR = np.array([-2.0, -3.0, -1.0])  # each activation has its own best learning rate
MIXED_PENALTY = np.array([0.0, 0.3, 0.6])  # and its own best achievable value


def mixed() -> Benchmark:
    """A tuning-like function: a log-scale real, an integer and a categorical that interact.

    f = (log10(learning_rate) - m[activation])^2 + 0.05 (units - 6)^2 + p[activation], with
    m = (-2, -3, -1) and p = (0, 0.3, 0.6) for relu, tanh, sigmoid: the best learning rate
    depends on the activation, as it does in real networks. Minimum 0 at learning_rate=0.01,
    units=6, activation="relu".
    """
    space = Space(learning_rate=Real(1e-4, 1.0, log=True), units=Integer(1, 10),
                  activation=Categorical(list(MIXED_ACTIVATIONS)))

    def f(x):
        x = _rows(x)
        act = x[:, 2].astype(int)
        return (np.log10(x[:, 0]) - MIXED_BEST_LOG10_LR[act]) ** 2 + 0.05 * (x[:, 1] - 6) ** 2 + MIXED_PENALTY[act]

    return Benchmark("mixed", space, 0.0, [{"learning_rate": 0.01, "units": 6, "activation": "relu"}], f,
                     recipe=("mixed",))


BENCHMARKS: dict[str, Callable[..., Benchmark]] = {
    "branin": branin, "rosenbrock": rosenbrock, "ackley": ackley, "rastrigin": rastrigin, "mixed": mixed,
}
ANY_DIM = ("rosenbrock", "ackley", "rastrigin")  # the ones that take dim


def get(name: str, dim: int | None = None) -> Benchmark:
    """A benchmark by name, e.g. ``get("ackley", dim=4)``; ``dim`` only for the any-dimension ones."""
    if name not in BENCHMARKS:
        raise ValueError(f"benchmark {name!r} is unknown; use one of {sorted(BENCHMARKS)}.")
    if dim is None:
        return BENCHMARKS[name]()
    if name not in ANY_DIM:
        raise ValueError(f"benchmark {name!r} has a fixed dimension; drop dim (only {ANY_DIM} take it).")
    return BENCHMARKS[name](dim)


def regret(history: History, bench: Benchmark) -> np.ndarray:
    """Simple regret after each trial: best value so far minus the minimum; shape (n_trials,).

    NaN until the first completed trial. The history must come from minimizing ``bench``.
    """
    if history.direction != "minimize":
        raise ValueError("regret: the history maximized; benchmarks are minimized, run with direction='minimize'.")
    return history.best_so_far() - bench.minimum
