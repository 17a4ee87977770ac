"""Priors on a Gaussian process's hyperparameters: what turns the kernel fit into a MAP fit.

With a handful of points the marginal likelihood is flat or peaks at nonsense: a length scale
of 0.01 makes every point its own island (the posterior mean drops back to the prior mean
between them, and EI underflows to 1e-46), a length scale of 100 makes the function a
constant. Maximizing ``log p(y | theta) + log p(theta)`` instead (maximum a posteriori) keeps
the fit near plausible values until the data say otherwise.

The priors are those of Optuna's ``GPSampler`` (``optuna/_gp/prior.py``), on the standardized
outputs and unit-cube inputs, up to additive constants:

- each inverse squared length scale ``s = 1 / l^2``: ``log p(s) = -(0.1 / s + 0.1 s)``, which
  peaks at ``l = 1`` (a dimension that matters across the whole unit interval) and punishes
  both ``l -> 0`` and ``l -> inf``;
- the kernel's variance ``v``: Gamma(2, 1), ``log p(v) = log v - v``, peak at 1 (the standardized
  outputs' own variance);
- the noise variance ``n``: Gamma(1.1, 30), ``log p(n) = 0.1 log n - 30 n``: small noise likely,
  large noise (which explains everything away) unlikely.

``theta`` is ``log([variance, l_1..l_d, noise])``, as in ``gp.GaussianProcess.theta``.
"""

from __future__ import annotations

import numpy as np


def log_prior(theta) -> tuple[float, np.ndarray]:
    """``log p(theta)`` (up to a constant) and its gradient in ``theta``, shape (d + 2,).

    >>> value, gradient = log_prior(np.log([1.0, 1.0, 1.0, 0.01]))  # variance 1, l = (1, 1), noise 0.01
    >>> round(value, 4), round(float(gradient[-1]), 4), bool(np.allclose(gradient[:-1], 0.0))
    (-2.1605, -0.2, True)
    """
    theta = np.asarray(theta, dtype=float)
    variance, log_l, noise = np.exp(theta[0]), theta[1:-1], np.exp(theta[-1])
    # s = 1/l^2 = exp(-2 log l):  -(0.1/s + 0.1 s) = -0.1 (l^2 + l^-2);  d/dlog l = -0.2 (l^2 - l^-2)
    up, down = np.exp(2.0 * log_l), np.exp(-2.0 * log_l)
    value = -0.1 * np.sum(up + down) + (theta[0] - variance) + (0.1 * theta[-1] - 30.0 * noise)
    gradient = np.concatenate([[1.0 - variance], -0.2 * (up - down), [0.1 - 30.0 * noise]])
    return float(value), gradient
