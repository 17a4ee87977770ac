"""Checks for chapter 3 (choosing hyperparameters): log-uniform sampling, a search space,
and the importance of a hyperparameter from random trials."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..space import Categorical, Integer, Real, Space


def check_log_uniform(log_uniform: Callable) -> None:
    """``log_uniform(rng, low, high, n)`` must return ``n`` numbers spread evenly over the decades."""
    rng = np.random.default_rng(0)
    x = np.asarray(log_uniform(rng, 1e-5, 1e-1, 40_000), dtype=float)
    assert x.shape == (40_000,), f"expected an array of shape (40000,), got {x.shape}: return n numbers."
    assert np.all((x >= 1e-5) & (x <= 1e-1)), "some numbers fall outside [low, high]: stay inside the bounds."
    shares = np.histogram(np.log10(x), bins=[-5, -4, -3, -2, -1])[0] / len(x)
    assert np.all(np.abs(shares - 0.25) < 0.02), (
        f"the four decades 1e-5..1e-1 got shares {np.round(shares, 3).tolist()}, not about 0.25 each: "
        "draw uniformly between log(low) and log(high), then exponentiate."
    )
    y = np.asarray(log_uniform(np.random.default_rng(0), 1e-5, 1e-1, 40_000), dtype=float)
    assert np.array_equal(x, y), "the same seed gave different numbers: draw only from the rng you are given."
    print(f"Right: each decade gets a quarter of the draws (shares {np.round(shares, 3).tolist()}).")


def _expect(space: Space, name: str, kind: type, low=None, high=None, log=None, choices=None) -> None:
    assert name in space.names, f"the space has no {name!r}; it has {space.names}."
    dim = space[name]
    assert isinstance(dim, kind), f"{name} is a {type(dim).__name__}; make it a {kind.__name__}."
    if choices is not None:
        assert sorted(map(str, dim.choices)) == sorted(map(str, choices)), f"{name}: the choices should be {choices}."
        return
    assert math.isclose(dim.low, low) and math.isclose(dim.high, high), (
        f"{name} runs from {dim.low} to {dim.high}; it should run from {low} to {high}."
    )
    assert dim.log == log, f"{name} has log={dim.log}: " + (
        "a range over several orders of magnitude belongs on a log scale." if log else
        "a range that includes 0 or spans less than one order of magnitude stays linear."
    )


def check_space(space) -> None:
    """The space asked for in the exercise: learning rate, units, dropout, activation."""
    assert isinstance(space, Space), f"expected an hl.Space, got {type(space).__name__}."
    assert len(space) == 4, f"the space should have 4 dimensions, it has {len(space)}: {space.names}."
    _expect(space, "learning_rate", Real, 1e-5, 1e-1, log=True)
    _expect(space, "units", Integer, 16, 512, log=True)
    _expect(space, "dropout", Real, 0.0, 0.5, log=False)
    _expect(space, "activation", Categorical, choices=["relu", "tanh", "elu"])
    print(f"Right: {len(space)} dimensions, learning rate and units on log scales; "
          f"a 3-point grid has {len(space.grid(3))} configurations.")


def _reference_importance(x: np.ndarray, y: np.ndarray, bins: int) -> float:
    edges = np.quantile(x, np.linspace(0, 1, bins + 1))
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    means = np.array([y[which == b].mean() for b in range(bins) if np.any(which == b)])
    counts = np.array([np.sum(which == b) for b in range(bins) if np.any(which == b)])
    return float(np.sum(counts * (means - y.mean()) ** 2) / np.sum((y - y.mean()) ** 2))


def check_importance(importance: Callable) -> None:
    """``importance(x, y, bins)``: the share of the variance of ``y`` explained by the bin means of ``x``."""
    rng = np.random.default_rng(1)
    n = 400
    x1, x2 = rng.random(n), rng.random(n)
    y = 2 * x1 + 0.05 * rng.standard_normal(n)
    strong, weak = float(importance(x1, y, 4)), float(importance(x2, y, 4))
    for name, value in (("x1", strong), ("x2", weak)):
        assert 0.0 <= value <= 1.0 + 1e-9, f"importance of {name} is {value:.3g}: a share of variance lies in [0, 1]."
    assert strong > 0.8, (
        f"y depends on x1 almost only, yet its importance is {strong:.3g}: compare the variance of the bin means "
        "(weighted by bin sizes) with the total variance of y."
    )
    assert weak < 0.1, f"y does not depend on x2, yet its importance is {weak:.3g}: use the bin means of y, not of x."
    reference = _reference_importance(x1, y, 4)
    assert abs(strong - reference) < 0.05, (
        f"importance of x1 is {strong:.3g}, the definition gives {reference:.3g}: cut x at its quartiles "
        "(equal-count bins) and weight each bin's squared deviation by its size."
    )
    print(f"Right: x1 explains {strong:.0%} of the variance, x2 {weak:.1%}.")
