"""A Parzen estimator on the unit cube: the density model inside TPE (Bergstra et al., 2011).

One kernel per observation, plus one *prior* kernel that keeps every region possible. A
numeric dimension (a point in [0, 1] after the space's log transform) gets a Gaussian
kernel truncated to [0, 1]; a categorical dimension (an index among ``k`` choices) gets a
kernel that puts most weight on the observed choice and a little on every other, so the
choices stay unordered. Bandwidths follow Optuna's rule (Watanabe, 2023, Section 3): each
kernel's standard deviation is the larger of the gaps to its two neighbours (the ends 0 and
1 count as neighbours, except for the lowest and highest kernel), clipped to
``[1 / min(100, n + 2), 1]`` ("magic clip": n observations plus the prior); the prior kernel
is centred at 0.5 with standard deviation 1. A categorical kernel is
``(1[c = observed] + w / (n + 1)) / (1 + k w / (n + 1))`` with ``w`` the prior weight; the
prior is uniform.

``multivariate=True`` makes each kernel a product over dimensions (the mixture keeps which
values were seen together); ``False`` models every dimension as its own mixture (the density
is the product of the dimensions' densities, the original TPE).

References: Bergstra, Bardenet, Bengio & Kegl (2011), Algorithms for hyper-parameter
optimization, NeurIPS; Watanabe (2023), Tree-structured Parzen estimator: understanding its
algorithm components and their roles for better empirical performance, arXiv:2304.11127.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri

LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    """``log(sum(exp(a)))`` along ``axis`` without overflow (scipy's, minus its array-API overhead)."""
    top = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(top, axis) + np.log(np.sum(np.exp(a - top), axis=axis))


def bandwidths(mus: np.ndarray) -> np.ndarray:
    """Optuna's bandwidth rule on [0, 1]: the larger gap to a neighbour, clipped (see the module docstring).

    >>> bandwidths(np.array([0.2, 0.5, 0.6])).round(2).tolist()
    [0.3, 0.3, 0.2]
    """
    n = len(mus)
    if n == 0:
        return np.array([])
    order = np.argsort(mus, kind="stable")
    ends = np.concatenate([[0.0], mus[order], [1.0]])
    sorted_sigmas = np.maximum(ends[1:-1] - ends[:-2], ends[2:] - ends[1:-1])
    if n >= 2:  # the lowest and highest kernels ignore the ends (Optuna's consider_endpoints=False)
        sorted_sigmas[0], sorted_sigmas[-1] = ends[2] - ends[1], ends[-2] - ends[-3]
    sigmas = np.empty(n)
    sigmas[order] = sorted_sigmas
    return np.clip(sigmas, 1.0 / min(100.0, n + 2.0), 1.0)


class Parzen:
    """A mixture of one kernel per row of ``points`` plus the prior kernel.

    Parameters
    ----------
    points : (n, d) array; column j is a unit-cube coordinate when ``choices[j] == 0``, else an
        index in ``range(choices[j])``.
    choices : per dimension, 0 for a numeric one or its number of choices.
    weights : the observations' weights (default equal); the prior gets ``prior_weight``.

    >>> p = Parzen(np.array([[0.2], [0.3]]), [0])
    >>> round(float(np.exp(p.log_pdf(np.array([[0.25]]))[0])), 3)
    1.59
    """

    def __init__(self, points, choices, weights=None, prior_weight: float = 1.0, multivariate: bool = True):
        self.points = np.asarray(points, dtype=float).reshape(-1, len(choices))
        self.choices, self.multivariate = list(choices), multivariate
        n = len(self.points)
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
        w = np.append(w, prior_weight)
        self.log_w = np.log(w / w.sum())
        self.mus, self.sigmas, self.probs = [], [], []
        for j, k in enumerate(self.choices):
            column = self.points[:, j]
            if k == 0:
                self.mus.append(np.append(column, 0.5))
                self.sigmas.append(np.append(bandwidths(column), 1.0))
                self.probs.append(None)
            else:
                table = np.full((n + 1, k), prior_weight / (n + 1))
                table[np.arange(n), column.astype(int)] += 1.0
                table[n] = 1.0 / k  # the prior kernel: every choice alike
                self.probs.append(table / table.sum(axis=1, keepdims=True))
                self.mus.append(None)
                self.sigmas.append(None)

    def _log_kernels(self, x: np.ndarray, j: int) -> np.ndarray:
        """(m, n + 1): the log density of each kernel of dimension ``j`` at the m values ``x``."""
        if self.choices[j]:
            return np.log(self.probs[j][:, x.astype(int)].T)
        mu, s = self.mus[j], self.sigmas[j]
        z = (x[:, None] - mu) / s
        mass = np.log(ndtr((1 - mu) / s) - ndtr(-mu / s))  # the part of each Gaussian inside [0, 1]
        return -0.5 * z**2 - LOG_SQRT_2PI - np.log(s) - mass

    def log_pdf(self, x) -> np.ndarray:
        """The log density at each row of ``x`` (an (m, d) array encoded like ``points``)."""
        x = np.asarray(x, dtype=float).reshape(-1, len(self.choices))
        per_dim = [self._log_kernels(x[:, j], j) for j in range(len(self.choices))]
        if self.multivariate:
            return logsumexp(self.log_w + sum(per_dim), axis=1)
        return sum(logsumexp(self.log_w + k, axis=1) for k in per_dim)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws, shape (size, d): pick a kernel by weight (one for all dimensions when
        multivariate, one per dimension otherwise), then draw from it."""
        w = np.exp(self.log_w)
        shared = rng.choice(len(w), size=size, p=w)
        out = np.empty((size, len(self.choices)))
        for j, k in enumerate(self.choices):
            pick = shared if self.multivariate else rng.choice(len(w), size=size, p=w)
            if k:
                cumulative = np.cumsum(self.probs[j][pick], axis=1)
                out[:, j] = np.minimum((cumulative < rng.random((size, 1))).sum(axis=1), k - 1)
            else:
                mu, s = self.mus[j][pick], self.sigmas[j][pick]
                lo, hi = ndtr(-mu / s), ndtr((1 - mu) / s)
                u = lo + rng.random(size) * (hi - lo)  # inverse-cdf draw of the truncated Gaussian
                out[:, j] = np.clip(mu + s * ndtri(u), 0.0, 1.0)
        return out


def log_truncated_normal(x, mu, sigma) -> np.ndarray:
    """log density of N(mu, sigma) truncated to [0, 1], through log_ndtr (for tests and figures)."""
    x, mu, sigma = (np.asarray(a, dtype=float) for a in (x, mu, sigma))
    mass = np.log(np.exp(log_ndtr((1 - mu) / sigma)) - np.exp(log_ndtr(-mu / sigma)))
    return -0.5 * ((x - mu) / sigma) ** 2 - LOG_SQRT_2PI - np.log(sigma) - mass
