"""Acquisition functions for MINIMIZATION: how much a candidate is worth evaluating next.

Each takes the surrogate's posterior ``mean`` and ``std`` at the candidates (arrays of the same
shape) and returns an array of that shape. Conventions, all for a minimized objective:

- ``expected_improvement`` and ``probability_of_improvement``: larger is better (maximize).
- ``lower_confidence_bound``: smaller is better (minimize); ``BayesianOptimization``
  maximizes ``-lower_confidence_bound`` so that every acquisition is maximized.

``xi >= 0`` asks for an improvement of at least ``xi`` over ``best`` (more exploration);
``kappa >= 0`` weighs the uncertainty in the confidence bound (more exploration).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr


def Phi(z: np.ndarray) -> np.ndarray:
    """Standard normal cumulative distribution function."""
    return ndtr(z)


def phi(z: np.ndarray) -> np.ndarray:
    """Standard normal density."""
    return np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)


def _check(mean, std, name: str, value: float) -> tuple[np.ndarray, np.ndarray]:
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    mean, std = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    if mean.shape != std.shape:
        raise ValueError(f"mean has shape {mean.shape} and std has shape {std.shape}; they must match.")
    return mean, std


def expected_improvement(mean, std, best: float, xi: float = 0.0) -> np.ndarray:
    """``E[max(best - xi - f, 0)]`` for ``f ~ N(mean, std^2)``.

    With ``z = (best - xi - mean) / std``::

        EI = (best - xi - mean) Phi(z)  +  std phi(z)
             \\_______ exploit ______/     \\_ explore _/

    Where ``std == 0`` the improvement is certain: ``max(best - xi - mean, 0)``.

    >>> round(float(expected_improvement(0.0, 1.0, best=-0.5)), 7)
    0.1977966
    """
    mean, std = _check(mean, std, "xi", xi)
    improvement = best - xi - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, improvement / std, 0.0)
    exploit = improvement * Phi(z)
    explore = std * phi(z)
    return np.where(std > 0, exploit + explore, np.maximum(improvement, 0.0))


def probability_of_improvement(mean, std, best: float, xi: float = 0.0) -> np.ndarray:
    """``P(f < best - xi) = Phi((best - xi - mean) / std)`` for ``f ~ N(mean, std^2)``.

    >>> round(float(probability_of_improvement(0.0, 1.0, best=-0.5)), 6)
    0.308538
    """
    mean, std = _check(mean, std, "xi", xi)
    improvement = best - xi - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, improvement / std, np.where(improvement > 0, np.inf, -np.inf))
    return Phi(z)


def lower_confidence_bound(mean, std, kappa: float = 1.96) -> np.ndarray:
    """``mean - kappa std``: an optimistic guess of ``f``; MINIMIZE it.

    ``exploit = mean`` (go where the surrogate is low), ``explore = kappa * std`` (and where it
    is unsure). ``kappa = 1.96`` is the lower end of a 95% interval.

    >>> float(lower_confidence_bound(1.0, 0.5, kappa=2.0))
    0.0
    """
    mean, std = _check(mean, std, "kappa", kappa)
    exploit, explore = mean, kappa * std
    return exploit - explore


ACQUISITIONS = {"ei": expected_improvement, "pi": probability_of_improvement, "lcb": lower_confidence_bound}
