"""A synthetic learning-curve benchmark: validation error after ``budget`` epochs, in microseconds.

Multi-fidelity methods bet that a short training ranks configurations roughly as a full one
does. Real curves only partly keep that promise: a large learning rate learns fast and ends
worse, dropout and depth slow learning down and end better, so curves cross. This benchmark
has that shape in a closed form (a power law in the number of epochs, as learning curves are
often modelled; Domhan et al., 2015)::

    error(params, b) = final(params) + speed(params) * b ** -ALPHA

with ``final`` lowest at a learning rate of 3e-3, width 128, depth 3 and dropout 0.2, and
``speed`` smallest (fastest learning) for a large learning rate, no dropout and one layer.
The space is a grid of 1152 configurations, like a tabulated benchmark's, so the best
full-budget value is known exactly (``minimum``) and the *regret* of a search (full-budget
error of the configuration it recommends minus that minimum) is exact. Each call also
returns the ``seconds`` the training "took" (``budget`` epochs at a cost per epoch that grows
with width and depth), for the simulated clock ``hl.Simulated()``.

It stands in for ``benchmarks.tabular("digits-mlp")`` (real Keras curves) in tests.

>>> import hpo_lessons as hl
>>> curves = LearningCurves()
>>> fast, good = {"lr": 0.1, "width": 128, "depth": 3, "dropout": 0.2}, curves.argmin
>>> curves(fast, budget=1)["value"] < curves(good, budget=1)["value"]  # the fast learner leads early...
True
>>> curves(fast, budget=27)["value"] > curves(good, budget=27)["value"]  # ...and loses in the end
True
"""

from __future__ import annotations

import math

import numpy as np

from ..core.checks import is_number
from ..core.history import History
from ..core.space import Categorical, Space

ALPHA = 1.0  # how fast the gap to the final error closes with epochs


class LearningCurves:
    """Objective ``curves(params, budget=b)`` -> ``{"value": error after b epochs, "seconds": ...}``.

    Parameters
    ----------
    max_budget : the full training, in epochs (a call without a budget trains this long, so
        ``run`` charges full-fidelity methods ``max_budget`` per trial).
    """

    direction = "minimize"

    def __init__(self, max_budget: float = 27):
        if not is_number(max_budget) or not max_budget > 0:
            raise ValueError(f"max_budget must be a number of epochs > 0, got {max_budget!r}.")
        self.max_budget = max_budget
        self.space = Space(lr=Categorical([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]),
                           width=Categorical([16, 32, 64, 128, 256, 512]),
                           depth=Categorical([1, 2, 3, 4]),
                           dropout=Categorical([0.0, 0.1, 0.2, 0.3, 0.4, 0.5]))
        grid = list(self.space.configurations())
        errors = [self.error(p, max_budget) for p in grid]
        self.minimum = min(errors)
        self.argmin = grid[int(np.argmin(errors))]

    @staticmethod
    def final(params: dict) -> float:
        """The error the curve tends to with endless training."""
        u = math.log10(params["lr"] / 3e-3)
        w = math.log2(params["width"] / 128)
        return 0.03 + 0.03 * u**2 + 0.01 * w**2 + 0.015 * (params["depth"] - 3) ** 2 \
            + 0.5 * (params["dropout"] - 0.2) ** 2

    @staticmethod
    def speed(params: dict) -> float:
        """The curve's excess error after one epoch: small for a large learning rate, no dropout, one layer."""
        u = math.log10(params["lr"] / 3e-3)
        return 0.2 * 10 ** (-0.1 * u) * (1 + params["dropout"]) * params["depth"] ** 0.2

    @staticmethod
    def seconds_per_epoch(params: dict) -> float:
        """What one epoch "costs": wider and deeper networks train slower."""
        return 0.05 + 0.1 * params["depth"] * params["width"] / 128

    def error(self, params: dict, budget: float) -> float:
        """Validation error after ``budget`` epochs."""
        return self.final(params) + self.speed(params) * budget ** -ALPHA

    def __call__(self, params: dict, budget: float | None = None) -> dict:
        budget = self.max_budget if budget is None else budget
        if not budget > 0:
            raise ValueError(f"budget must be > 0 epochs, got {budget!r}.")
        return {"value": self.error(params, budget), "seconds": budget * self.seconds_per_epoch(params)}

    def regret(self, history: History) -> float:
        """Full-budget error of the configuration ``history`` recommends (its ``best``) minus ``minimum``."""
        return self.error(history.best.params, self.max_budget) - self.minimum

    def __repr__(self) -> str:
        return f"LearningCurves(max_budget={self.max_budget!r}, {self.space.size} configurations)"
