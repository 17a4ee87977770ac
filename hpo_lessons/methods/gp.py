"""A Gaussian process regressor, written out: Matern 5/2 kernel, Cholesky, type-II maximum likelihood.

The prediction is Rasmussen & Williams (2006), Algorithm 2.1::

    L = cholesky(K + noise I)           alpha = L^T \\ (L \\ y)
    mean = k_*^T alpha                  v = L \\ k_*
    var  = k(x_*, x_*) - v^T v          log p(y|X) = -y^T alpha / 2 - sum(log diag L) - n/2 log(2 pi)

The kernel's hyperparameters are ``theta = log([variance, length_scale_1..d, noise])``, the
order scikit-learn uses for ``ConstantKernel * Matern + WhiteKernel``. They are fitted by
maximizing the log marginal likelihood with its analytic gradient (R&W eq. 5.9)::

    d log p / d theta_j = 1/2 trace((alpha alpha^T - K^-1) dK/dtheta_j)

With ``prior=True`` the fit maximizes ``log p(y | theta) + log p(theta)`` instead (a MAP fit; the
priors are in ``gp_prior``), which keeps a fit to a handful of points from degenerating.

Outputs are standardized inside the GP (zero mean, unit standard deviation), so the bounds
on ``variance`` and ``noise`` mean the same thing for a loss of 0.01 and a loss of 1000.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from threadpoolctl import ThreadpoolController

from ..core.checks import is_int
from .gp_prior import log_prior

SQRT5 = np.sqrt(5.0)
_THREADPOOLS = ThreadpoolController()  # found once: looking the libraries up costs ~1 ms per use


def one_blas_thread():
    """Context manager limiting BLAS to one thread: for matrices of a few hundred rows threads cost
    more than they save (ten times more on a busy machine, where they wait for each other)."""
    return _THREADPOOLS.limit(limits=1, user_api="blas")


class Matern52:
    """ARD Matern 5/2 kernel: ``variance * (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)``.

    ``r`` is the distance after dividing each input dimension by its own length scale, so a
    long length scale says "this dimension barely matters" (automatic relevance determination).

    Parameters
    ----------
    length_scale : float or array of shape (d,)
    variance : float, the signal variance (the kernel's value at r = 0).
    """

    def __init__(self, length_scale=1.0, variance: float = 1.0):
        self.length_scale = np.atleast_1d(np.asarray(length_scale, dtype=float)).copy()
        self.variance = float(variance)

    def __call__(self, A: np.ndarray, B: np.ndarray | None = None) -> np.ndarray:
        """Kernel matrix of shape (len(A), len(B)); ``B`` defaults to ``A``."""
        B = A if B is None else B
        return self.of_distance(cdist(A / self.length_scale, B / self.length_scale))

    def of_distance(self, r: np.ndarray, gradient: bool = False):
        """The kernel as a function of the scaled distance ``r`` (any shape).

        With ``gradient=True`` also returns ``F`` such that ``dk / d log(l_k) = F * (z_k - z'_k)^2``
        (``z = x / l``): from ``dk/dr = -5/3 variance r (1 + sqrt5 r) exp(-sqrt5 r)`` and
        ``dr / d log(l_k) = -(z_k - z'_k)^2 / r``, the ``r`` cancels, so ``r = 0`` is harmless.
        """
        sr = SQRT5 * r
        decay = self.variance * np.exp(-sr)
        K = (1.0 + sr + sr**2 / 3.0) * decay
        return (K, 5.0 / 3.0 * (1.0 + sr) * decay) if gradient else K

    def __repr__(self) -> str:
        return f"Matern52(length_scale={np.round(self.length_scale, 4).tolist()}, variance={self.variance:.4g})"


class GaussianProcess:
    """GP regression with a Matern 5/2 ARD kernel plus a fitted white-noise term.

    Parameters
    ----------
    kernel : the starting kernel (its length scales set the input dimension); by default
        ``Matern52(0.5 * ones(d), 1.0)`` is made at the first ``fit``.
    noise : starting noise variance, in standardized output units.
    optimize : fit the hyperparameters in ``fit`` (else keep them).
    prior : fit by maximum a posteriori with ``gp_prior.log_prior`` (else by maximum likelihood).
    n_restarts : random starting points for the fit, besides the current hyperparameters
        (which make every refit a warm start).
    variance_bounds, length_scale_bounds, noise_bounds : ``(low, high)``, natural units (not log).
    jitter : added to the diagonal on top of ``noise`` to keep the Cholesky factor finite.
    ard : fit one length scale per input dimension; ``False`` fits one shared length scale
        (fewer hyperparameters, for when there are few points per dimension).
    seed : seeds the random restarts.
    """

    def __init__(self, kernel: Matern52 | None = None, noise: float = 1e-3, optimize: bool = True,
                 n_restarts: int = 2, variance_bounds=(1e-2, 1e2), length_scale_bounds=(1e-2, 1e2),
                 noise_bounds=(1e-6, 1.0), jitter: float = 1e-10, ard: bool = True, prior: bool = False,
                 seed=None):
        if not is_int(n_restarts) or n_restarts < 0:
            raise ValueError(f"n_restarts must be an int >= 0, got {n_restarts!r}.")
        for name, (low, high) in [("variance_bounds", variance_bounds), ("length_scale_bounds", length_scale_bounds),
                                  ("noise_bounds", noise_bounds)]:
            if not 0 < low < high:
                raise ValueError(f"{name} must be (low, high) with 0 < low < high, got {(low, high)!r}.")
        self.kernel, self.noise, self.optimize, self.n_restarts = kernel, float(noise), optimize, n_restarts
        self.variance_bounds, self.length_scale_bounds = variance_bounds, length_scale_bounds
        self.noise_bounds, self.jitter, self.ard, self.prior = noise_bounds, jitter, ard, bool(prior)
        self.rng = np.random.default_rng(seed)

    # -- hyperparameters as one log vector ------------------------------------------------------
    @property
    def theta(self) -> np.ndarray:
        """``log([variance, *length_scale, noise])``, shape (d + 2,)."""
        return np.log(np.concatenate([[self.kernel.variance], self.kernel.length_scale, [self.noise]]))

    @theta.setter
    def theta(self, theta) -> None:
        p = np.exp(np.asarray(theta, dtype=float))
        self.kernel = Matern52(p[1:-1], p[0])
        self.noise = float(p[-1])

    def log_bounds(self, d: int) -> np.ndarray:
        """Bounds of ``theta`` in log space, shape (d + 2, 2)."""
        rows = [self.variance_bounds] + [self.length_scale_bounds] * d + [self.noise_bounds]
        return np.log(np.array(rows, dtype=float))

    # -- fit, likelihood, predict ---------------------------------------------------------------
    def fit(self, X, y, optimize: bool | None = None, noiseless=None) -> GaussianProcess:
        """Standardize ``y``, fit the hyperparameters (if ``optimize``) and factorize.

        ``X`` has shape (n, d), ``y`` shape (n,). ``optimize=None`` uses ``self.optimize``.
        ``noiseless``: optional boolean mask (n,) of values known exactly (no noise term on their
        diagonal), e.g. the constant liar's made-up values, which must pin the posterior down.
        """
        X, y = np.atleast_2d(np.asarray(X, dtype=float)), np.asarray(y, dtype=float).reshape(-1)
        if X.shape[0] != y.shape[0] or X.shape[0] == 0:
            raise ValueError(f"fit: X has {X.shape[0]} rows and y has {y.shape[0]} values; give one value per row.")
        self.X = X
        self.noiseless = np.zeros(len(X), bool) if noiseless is None else np.asarray(noiseless, bool).reshape(-1)
        self.y_mean = float(y.mean())
        self.y_std = float(y.std()) or 1.0  # all values equal: keep the scale rather than divide by zero
        self.y_ = (y - self.y_mean) / self.y_std
        if self.kernel is None:
            self.kernel = Matern52(np.full(X.shape[1], 0.5), 1.0)
        elif self.kernel.length_scale.size == 1:  # one length scale given: start every dimension there
            self.kernel = Matern52(np.full(X.shape[1], self.kernel.length_scale[0]), self.kernel.variance)
        elif self.kernel.length_scale.size != X.shape[1]:
            raise ValueError(f"fit: the kernel has {self.kernel.length_scale.size} length scales but X has "
                             f"{X.shape[1]} columns; give one length scale per column.")
        if self.optimize if optimize is None else optimize:
            with one_blas_thread():
                self.theta = self._maximize_posterior()
        self._factorize()
        return self

    def _factorize(self) -> None:
        K = self.kernel(self.X) + np.diag(np.where(self.noiseless, 0.0, self.noise) + self.jitter)
        for extra in (0.0, 1e-8, 1e-6, 1e-4):  # near-duplicate inputs: grow the jitter until K factorizes
            try:
                self.L = cholesky(K + extra * self.kernel.variance * np.eye(len(K)), lower=True, check_finite=False)
                break
            except np.linalg.LinAlgError:
                continue
        else:
            raise np.linalg.LinAlgError("the kernel matrix is not positive definite even with jitter; check X for NaN.")
        self.alpha = cho_solve((self.L, True), self.y_, check_finite=False)

    def log_marginal_likelihood(self, theta=None, eval_gradient: bool = False):
        """``log p(y | X, theta)`` of the standardized outputs (and its gradient in ``theta``).

        ``theta=None`` means the current hyperparameters. Returns a float, or
        ``(float, array of shape (d + 2,))`` when ``eval_gradient``.
        """
        theta = self.theta if theta is None else np.asarray(theta, dtype=float)
        p = np.exp(theta)
        kernel, noise = Matern52(p[1:-1], p[0]), p[-1]
        Z = self.X / kernel.length_scale
        r = cdist(Z, Z)
        K_f, F = kernel.of_distance(r, gradient=True)
        K = K_f + (noise + self.jitter) * np.eye(len(Z))
        try:
            L = cholesky(K, lower=True, check_finite=False)
        except np.linalg.LinAlgError:  # not positive definite at these hyperparameters: reject them
            return (-np.inf, np.zeros_like(theta)) if eval_gradient else -np.inf
        alpha = cho_solve((L, True), self.y_, check_finite=False)
        lml = -0.5 * self.y_ @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(Z) * np.log(2 * np.pi)
        if not eval_gradient:
            return float(lml)
        W = np.outer(alpha, alpha) - cho_solve((L, True), np.eye(len(Z)), check_finite=False)
        d_variance = 0.5 * np.sum(W * K_f)  # dK/dlog(variance) = K_f
        # dK/dlog(l_k) = F * (z_ik - z_jk)^2; since W F is symmetric, 1/2 sum_ij (W F)_ij (z_ik - z_jk)^2
        # = sum_i rowsum_i z_ik^2 - sum_i z_ik (W F z)_ik: no (n, n, d) tensor needed.
        WF = W * F
        d_length = WF.sum(1) @ Z**2 - np.sum(Z * (WF @ Z), axis=0)
        d_noise = 0.5 * np.trace(W) * noise  # dK/dlog(noise) = noise * I
        return float(lml), np.concatenate([[d_variance], d_length, [d_noise]])

    def log_posterior(self, theta=None, eval_gradient: bool = False):
        """What the fit maximizes: the log marginal likelihood, plus ``log_prior`` if ``self.prior``."""
        theta = self.theta if theta is None else np.asarray(theta, dtype=float)
        lml, grad = self.log_marginal_likelihood(theta, eval_gradient=True)
        if self.prior and np.isfinite(lml):
            value, gradient = log_prior(theta)
            lml, grad = lml + value, grad + gradient
        return (lml, grad) if eval_gradient else lml

    def _maximize_posterior(self) -> np.ndarray:
        d = self.X.shape[1]
        # theta = T @ phi: phi is theta itself (ARD), or [variance, one shared length scale, noise].
        T = np.eye(d + 2) if self.ard else np.zeros((d + 2, 3))
        if not self.ard:
            T[0, 0], T[1:-1, 1], T[-1, 2] = 1.0, 1.0, 1.0
        bounds = self.log_bounds(d)[[0, 1, -1]] if not self.ard else self.log_bounds(d)
        start = np.linalg.pinv(T) @ self.theta  # the current hyperparameters (a shared scale: their mean)
        starts = [np.clip(start, bounds[:, 0], bounds[:, 1])]
        starts += list(self.rng.uniform(bounds[:, 0], bounds[:, 1], size=(self.n_restarts, len(bounds))))

        def loss(phi):
            lml, grad = self.log_posterior(T @ phi, eval_gradient=True)
            return (-lml, -T.T @ grad) if np.isfinite(lml) else (1e25, np.zeros_like(phi))

        best_phi, best_loss = starts[0], np.inf
        for start in starts:
            # ftol 1e-6: the likelihood's last digits do not change where BO samples, and it saves a third of the work
            result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds,
                              options={"ftol": 1e-6, "gtol": 1e-4})
            if result.fun < best_loss:
                best_phi, best_loss = result.x, result.fun
        return T @ best_phi

    def predict(self, X, return_std: bool = True, noise: bool = False):
        """Posterior mean (and standard deviation) at ``X`` of shape (m, d), in the units of ``y``.

        ``noise=False`` gives the uncertainty about the function; ``noise=True`` adds the noise
        variance, the uncertainty about a new observation (what scikit-learn reports).
        """
        if not hasattr(self, "L"):
            raise RuntimeError("predict: the GP is not fitted yet; call fit(X, y) first.")
        X = np.atleast_2d(np.asarray(X, dtype=float))
        K_star = self.kernel(X, self.X)  # (m, n)
        mean = K_star @ self.alpha * self.y_std + self.y_mean
        if not return_std:
            return mean
        v = solve_triangular(self.L, K_star.T, lower=True, check_finite=False)  # (n, m)
        var = self.kernel.variance + (self.noise if noise else 0.0) - np.einsum("ij,ij->j", v, v)
        return mean, np.sqrt(np.maximum(var, 0.0)) * self.y_std

    def __repr__(self) -> str:
        return f"GaussianProcess({self.kernel!r}, noise={self.noise:.3g})"
