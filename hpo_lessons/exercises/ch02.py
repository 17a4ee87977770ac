"""Checks for chapter 2 (the training pipeline): k-fold splits, reading a loss curve, and a
learning-rate schedule."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def check_kfold(kfold_indices: Callable) -> None:
    """``kfold_indices(n, k)`` -> list of k pairs (train_idx, val_idx) that partition range(n)."""
    for n, k in ((10, 5), (23, 4), (7, 7), (100, 3)):
        folds = kfold_indices(n, k)
        assert len(folds) == k, f"kfold_indices({n}, {k}) gave {len(folds)} folds; give exactly k."
        seen = []
        for i, (train, val) in enumerate(folds):
            train, val = np.asarray(train, dtype=int), np.asarray(val, dtype=int)
            assert not set(train) & set(val), f"fold {i}: an example is in both train and validation sets."
            assert sorted(np.concatenate([train, val]).tolist()) == list(range(n)), (
                f"fold {i} of ({n}, {k}): train and validation together must hold every index once."
            )
            seen.extend(val.tolist())
        assert sorted(seen) == list(range(n)), f"({n}, {k}): every example must be in exactly one validation fold."
        sizes = [len(val) for _, val in folds]
        assert max(sizes) - min(sizes) <= 1, f"({n}, {k}): folds of sizes {sizes}; make them differ by at most 1."
    print("Right: every example is validated exactly once, and the folds are the same size (within one).")


# Curves start from very different losses (a too-large initialization starts near 31), so a rule
# that reads only the last loss against a fixed number fails, and some bounce and then end well,
# so a rule that reads only the first and last losses fails too.
CURVES = {
    "diverged": [[2.3, 5.1, 40.0, math.nan], [2.3, 2.2, 2.4, 2.6], [2.3, math.inf, math.inf],
                 [0.6, 0.5, 0.7, 0.9], [2.3, 1.2, math.nan, 0.4]],
    "unstable": [[2.3, 1.05, 0.36, 0.25, 0.17, 0.21, 0.12, 0.08], [2.3, 0.9, 1.2, 0.8, 0.5],
                 [2.3, 1.9, 2.2, 1.6], [31.5, 3.0, 3.5, 2.9]],
    "slow": [[2.3, 2.25, 2.2, 2.1], [2.3, 2.0, 1.8, 1.5], [0.5, 0.45, 0.4, 0.3], [31.5, 20.0, 18.0]],
    "ok": [[2.3, 0.9, 0.5, 0.3], [31.5, 9.0, 4.1, 2.9], [2.3, 1.0, 1.05, 0.8], [0.8, 0.5, 0.3, 0.1]],
}
RULES = ("checking in order: a NaN or infinite loss anywhere, or a last loss above the first, is 'diverged'; "
         "a rise of more than 10 percent from one epoch to the next is 'unstable'; a last loss above half the "
         "first is 'slow'; else 'ok'.")


def check_diagnose(diagnose: Callable) -> None:
    """``diagnose(losses)`` -> "diverged", "unstable", "slow" or "ok" by the rules stated in the exercise."""
    for label, curves in CURVES.items():
        for curve in curves:
            got = diagnose(list(curve))
            assert got == label, f"diagnose({curve}) returned {got!r}, expected {label!r}. Rules, {RULES}"
    print(f"Right: {sum(map(len, CURVES.values()))} curves labelled correctly, whatever loss they start from.")


def check_step_decay(step_decay: Callable) -> None:
    """``step_decay(epoch, lr0, drop, every)`` = lr0 * drop ** floor(epoch / every)."""
    for epoch, lr0, drop, every in (
        (0, 0.1, 0.5, 2),
        (1, 0.1, 0.5, 2),
        (2, 0.1, 0.5, 2),
        (7, 0.1, 0.5, 2),
        (9, 0.01, 0.1, 3),
        (4, 1.0, 0.9, 1),
    ):
        want = lr0 * drop ** (epoch // every)
        got = step_decay(epoch, lr0, drop, every)
        assert math.isclose(float(got), want, rel_tol=1e-9), (
            f"step_decay({epoch}, {lr0}, {drop}, {every}) = {got}, expected {want}: "
            "multiply by drop once every `every` epochs, counting epochs from 0."
        )
    print("Right: the learning rate keeps its value for `every` epochs, then drops by the factor `drop`.")
