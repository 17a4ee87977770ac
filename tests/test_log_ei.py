"""log-EI and log-PI (Ament et al. 2023) against a direct log of EI and PI where they do not underflow,
against 60-digit arithmetic (mpmath) and the asymptote where they do."""

import numpy as np
import pytest
from scipy.stats import norm

from hpo_lessons.methods.acquisition import (
    expected_improvement,
    log_expected_improvement,
    log_h,
    log_probability_of_improvement,
    probability_of_improvement,
)


def test_log_ei_equals_log_of_ei_where_ei_is_representable():
    """Reference: np.log(expected_improvement(...)), the plain formula, for z in [-5, 6] (EI >= 1e-8 std)
    with random means, stds and incumbents; and log PI against np.log(norm.cdf(z))."""
    rng = np.random.default_rng(0)
    mean, std = rng.normal(0.0, 2.0, 500), rng.uniform(0.1, 3.0, 500)
    z = rng.uniform(-5.0, 6.0, 500)
    best = mean + z * std  # xi = 0: z = (best - mean) / std
    direct = np.log(expected_improvement(mean, std, best, 0.0))  # best may be an array, one per candidate
    np.testing.assert_allclose(log_expected_improvement(mean, std, best, 0.0), direct, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(log_h(z), np.log(z * norm.cdf(z) + norm.pdf(z)), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(log_probability_of_improvement(0.0, 1.0, z), np.log(norm.cdf(z)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(log_probability_of_improvement(mean, std, best),
                               np.log(probability_of_improvement(mean, std, best)), rtol=1e-9, atol=1e-12)


def test_log_ei_with_xi_and_zero_std():
    """Reference: the definition. xi shifts the incumbent in the objective's units; with std 0 the
    improvement is certain: log(max(best - xi - mean, 0)), -inf where there is none."""
    np.testing.assert_allclose(log_expected_improvement(0.2, 0.7, best=1.0, xi=0.3),
                               np.log(expected_improvement(0.2, 0.7, best=1.0, xi=0.3)), rtol=1e-12)
    np.testing.assert_allclose(log_expected_improvement(np.array([0.0, 2.0]), np.zeros(2), best=1.0),
                               [0.0, -np.inf])


@pytest.mark.parametrize("z", [-8.0, -20.0, -38.0, -200.0, -9e3, -3e4, -1e7])
def test_log_h_against_high_precision(z):
    """Reference: log(z Phi(z) + phi(z)) in 60-digit arithmetic (mpmath), where double-precision EI is
    0 or all rounding error (EI at z = -38 is 1e-317, below the smallest normal double)."""
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    x = mpmath.mpf(z)
    exact = mpmath.log(x * mpmath.ncdf(x) + mpmath.npdf(x))
    assert float(log_h(np.array([z]))[0]) == pytest.approx(float(exact), rel=1e-10)


@pytest.mark.parametrize("z", [-1e8, -1e12, -1e100])
def test_log_h_follows_its_asymptote_where_ei_underflows(z):
    """Reference: the tail expansion log h(z) = -z^2/2 - log sqrt(2 pi) - 2 log|z| + O(1/z^2)
    (Ament et al. 2023, eq. 9), here exact to double precision; and plain EI is 0 there."""
    asymptote = -0.5 * z**2 - 0.5 * np.log(2 * np.pi) - 2 * np.log(abs(z))
    assert float(log_h(np.array([z]))[0]) == pytest.approx(asymptote, rel=1e-12)
    assert float(expected_improvement(-z, 1.0, best=0.0)) == 0.0  # the mean |z| std above best


def test_log_h_is_continuous_and_increasing_across_its_branches():
    """Reference: h(z) = z Phi(z) + phi(z) is smooth and increasing (h' = Phi > 0), so its log may not
    jump where the formula switches (z = -1 and z = -1e4), and never decreases (nor is NaN)."""
    for edge in (-1.0, -1e4):
        left, right = log_h(np.array([edge * (1 + 1e-9), edge * (1 - 1e-9)]))
        assert right >= left and right - left < 1e-6 * max(1.0, abs(left))
    z = -np.logspace(-3, 9, 4000)[::-1]
    assert np.all(np.diff(log_h(z)) >= 0) and np.isfinite(log_h(z)).all()


def test_log_ei_gradient_does_not_vanish_where_ei_does():
    """Reference: d log h / dz = Phi(z) / h(z) ~ |z| for z -> -inf: the slope log-EI hands the optimizer,
    by central differences, where EI's own difference is exactly 0."""
    for z in (-40.0, -100.0):
        step = 1e-4
        slope = (log_h(np.array([z + step])) - log_h(np.array([z - step])))[0] / (2 * step)
        assert slope == pytest.approx(abs(z), rel=2e-3)
        ei = expected_improvement(np.array([-z - step, -z + step]), np.ones(2), best=0.0)
        assert ei[0] - ei[1] == 0.0
