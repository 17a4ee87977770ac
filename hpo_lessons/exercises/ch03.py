"""Checks for chapter 3 (choosing hyperparameters): log-uniform sampling, a search space,
and the balanced accuracy of an imbalanced classification."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..core.space import Categorical, Integer, Real, Space


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
    z = np.asarray(log_uniform(np.random.default_rng(1), 1e-5, 1e-1, 40_000), dtype=float)
    assert not np.array_equal(x, z), (
        "generators with different seeds gave the same numbers: the function ignores the rng it is given "
        "(a seed of its own, or a generator made inside it); draw from `rng`."
    )
    fresh = np.random.default_rng(0).random()
    assert rng.random() != fresh, (
        "the generator passed in was not used (its next number is the same as a fresh one's): draw from `rng`, "
        "so that a search that shares one generator gets different numbers on every call."
    )
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
    if log is None:  # either scale is defensible
        return
    assert dim.log == log, f"{name} has log={dim.log}: " + (
        "a range over several orders of magnitude belongs on a log scale."
        if log
        else "a range that includes 0 or spans less than one order of magnitude stays linear."
    )


def check_space(space) -> None:
    """The space asked for in the exercise: learning rate, units, dropout, activation."""
    assert isinstance(space, Space), f"expected an hl.Space, got {type(space).__name__}."
    assert len(space) == 4, f"the space should have 4 dimensions, it has {len(space)}: {space.names}."
    _expect(space, "learning_rate", Real, 1e-5, 1e-1, log=True)
    # units: 16 to 512 is 1.5 decades; a log scale gives 16-32 the share of 256-512, a linear one (the
    # `hp.Int("units", 32, 512, step=32)` of Keras Tuner's own guide) spends most trials on wide layers: both are
    # defensible, so both pass, with a note on what each does
    _expect(space, "units", Integer, 16, 512, log=None)
    _expect(space, "dropout", Real, 0.0, 0.5, log=False)
    _expect(space, "activation", Categorical, choices=["relu", "tanh", "elu"])
    units = ("units on a log scale (16 to 32 weighs as much as 256 to 512)" if space["units"].log else
             "units on a linear scale, as Keras Tuner's guide writes it (most trials on wide layers; a log scale "
             "would give narrow ones an equal share)")
    print(f"Right: {len(space)} dimensions, the learning rate on a log scale, {units}; "
          f"a 3-point grid has {len(space.grid(3))} configurations.")


def check_balanced_accuracy(balanced_accuracy: Callable) -> None:
    """``balanced_accuracy(y_true, y_pred)``: the mean over classes of each class's recall."""
    from sklearn.metrics import balanced_accuracy_score

    rng = np.random.default_rng(2)
    y_true = np.r_[np.zeros(95, int), np.ones(5, int)]
    always_zero = np.zeros(100, int)
    got = float(balanced_accuracy(y_true, always_zero))
    assert math.isclose(got, 0.5, abs_tol=1e-9), (
        f"a classifier that always answers 0 on 95 zeros and 5 ones has balanced accuracy 0.5, you give {got:.4g}: "
        "average the recall of each class, not the share of correct answers (which is 0.95)."
    )
    for k in (2, 3, 10):
        y_true = rng.integers(0, k, 300)
        y_pred = np.where(rng.random(300) < 0.7, y_true, rng.integers(0, k, 300))
        want, got = balanced_accuracy_score(y_true, y_pred), float(balanced_accuracy(y_true, y_pred))
        assert math.isclose(got, want, abs_tol=1e-9), (
            f"with {k} classes you give {got:.4g}, scikit-learn's balanced_accuracy_score gives {want:.4g}: "
            "for each class c, recall = correct predictions among the examples of class c; then average."
        )
    print("Right: balanced accuracy is the mean per-class recall; always answering the majority class scores 0.5.")
