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
from scipy.special import erfcx, log_ndtr, ndtr


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


# -- the same acquisitions in log space (Ament et al. 2023) -------------------------------------
# EI underflows to exactly 0 a few standard deviations below the incumbent: then every candidate
# scores 0, its gradient is 0, and the search picks at random. log(EI) has the same maximizer
# and stays finite and sloped everywhere, if computed without forming EI first.

_C1 = 0.5 * np.log(2.0 * np.pi)  # log sqrt(2 pi)
_C2 = 0.5 * np.log(0.5 * np.pi)  # log sqrt(pi / 2)
# Below this z, 1 - |z| sqrt(pi/2) erfcx(-z/sqrt2) ~ 1/z^2 has lost half its digits to rounding (Ament et al.
# switch at -1/sqrt(eps) = -6.7e7, where it has lost all of them and can even come out negative).
_TAIL = -1e4


def _log1mexp(x: np.ndarray) -> np.ndarray:
    """``log(1 - exp(x))`` for ``x < 0``, accurate at both ends (Maechler 2012)."""
    with np.errstate(divide="ignore", invalid="ignore"):  # np.where evaluates both branches everywhere
        return np.where(x > -np.log(2.0), np.log(-np.expm1(x)), np.log1p(-np.exp(x)))


def log_h(z) -> np.ndarray:
    """``log(phi(z) + z Phi(z))``, the log-EI of a standard normal (Ament et al. 2023, eq. 9).

    Three regimes: the direct formula for ``z > -1``; for ``z`` down to ``-1e4``,
    ``phi(z) (1 - |z| sqrt(pi/2) erfcx(-z/sqrt2))`` in logs (erfcx does not underflow); below
    that, the asymptote ``-z^2/2 - log sqrt(2 pi) - 2 log|z| + log(1 - 3/z^2)``.

    >>> round(float(log_h(0.0)), 6), round(float(log_h(-40.0)), 3)
    (-0.918939, -808.299)
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    upper, tail = z > -1.0, z <= _TAIL
    middle = ~upper & ~tail
    zu, zm, zt = z[upper], z[middle], z[tail]
    out[upper] = np.log(phi(zu) + zu * Phi(zu))
    out[middle] = -0.5 * zm**2 - _C1 + _log1mexp(np.log(erfcx(-zm / np.sqrt(2.0)) * np.abs(zm)) + _C2)
    out[tail] = -0.5 * zt**2 - _C1 - 2.0 * np.log(np.abs(zt)) + np.log1p(-3.0 / zt**2)
    return out


def log_expected_improvement(mean, std, best: float, xi: float = 0.0) -> np.ndarray:
    """``log E[max(best - xi - f, 0)]`` for ``f ~ N(mean, std^2)``: ``log_h(z) + log(std)``.

    Where ``std == 0`` it is ``log(max(best - xi - mean, 0))`` (``-inf`` where no improvement).

    >>> round(float(log_expected_improvement(0.0, 1.0, best=-0.5)), 6)  # log(0.1977966)
    -1.620516
    """
    mean, std = _check(mean, std, "xi", xi)
    improvement = best - xi - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, improvement / np.where(std > 0, std, 1.0), 0.0)
        return np.where(std > 0, log_h(z) + np.log(np.where(std > 0, std, 1.0)),
                        np.log(np.maximum(improvement, 0.0)))


def log_probability_of_improvement(mean, std, best: float, xi: float = 0.0) -> np.ndarray:
    """``log P(f < best - xi) = log_ndtr(z)``, finite where ``Phi(z)`` underflows.

    >>> round(float(log_probability_of_improvement(0.0, 1.0, best=-0.5)), 6)  # log(0.308538)
    -1.175912
    """
    mean, std = _check(mean, std, "xi", xi)
    improvement = best - xi - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, improvement / np.where(std > 0, std, 1.0), np.where(improvement > 0, np.inf, -np.inf))
    return log_ndtr(z)


LOG_ACQUISITIONS = {"ei": log_expected_improvement, "pi": log_probability_of_improvement}
