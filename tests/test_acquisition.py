"""Acquisition functions against closed forms, numerical integration and scikit-optimize's test values."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from hpo_lessons.methods.acquisition import (
    expected_improvement,
    lower_confidence_bound,
    probability_of_improvement,
)


def test_constant_surrogate_matches_scikit_optimize():
    """Reference: scikit-optimize's tests/test_acquisition.py, a constant surrogate with mean 0 and std 1:
    gaussian_ei(..., y_opt=-0.5, xi=0) = 0.1977966, gaussian_pi = 0.308538, gaussian_lcb(kappa=0.3) = -0.3.
    skopt minimizes, like this package, so its y_opt is our ``best`` (-0.5: the improvement needed is 0.5)."""
    mean, std = np.zeros(4), np.ones(4)
    np.testing.assert_allclose(expected_improvement(mean, std, best=-0.5, xi=0.0), 0.1977966, atol=1e-6)
    np.testing.assert_allclose(probability_of_improvement(mean, std, best=-0.5, xi=0.0), 0.308538, atol=1e-6)
    np.testing.assert_allclose(lower_confidence_bound(mean, std, kappa=0.3), -0.3, atol=1e-12)


@pytest.mark.parametrize("mean, std, best, xi", [(0.0, 1.0, 0.5, 0.0), (2.0, 0.3, 1.5, 0.1), (-1.0, 2.5, -3.0, 0.01)])
def test_expected_improvement_equals_the_integral(mean, std, best, xi):
    """Reference: E[max(best - xi - f, 0)] for f ~ N(mean, std^2), integrated numerically (scipy.integrate.quad)."""
    integrand = lambda f: (best - xi - f) * norm.pdf(f, mean, std)
    expected, _ = quad(integrand, mean - 12 * std, best - xi)
    assert float(expected_improvement(mean, std, best, xi)) == pytest.approx(max(expected, 0.0), abs=1e-9)
    assert float(probability_of_improvement(mean, std, best, xi)) == pytest.approx(norm.cdf(best - xi, mean, std))


def test_zero_std_is_the_limit():
    """Closed form at std = 0: EI = max(best - xi - mean, 0), PI is 1 or 0; and std -> 0 approaches it."""
    mean = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(expected_improvement(mean, np.zeros(3), best=1.5), [1.5, 0.5, 0.0])
    np.testing.assert_allclose(probability_of_improvement(mean, np.zeros(3), best=1.5), [1.0, 1.0, 0.0])
    np.testing.assert_allclose(expected_improvement(mean, np.full(3, 1e-9), best=1.5), [1.5, 0.5, 0.0], atol=1e-8)


def test_shapes_and_monotonicity():
    """EI grows with the uncertainty and with a lower mean; LCB is mean - kappa std elementwise on any shape."""
    std = np.linspace(0.1, 3.0, 30).reshape(5, 6)
    ei = expected_improvement(np.zeros_like(std), std, best=0.0)
    assert ei.shape == (5, 6) and np.all(np.diff(ei.ravel()) > 0)
    means = np.linspace(-2, 2, 9)
    assert np.all(np.diff(expected_improvement(means, np.ones(9), best=0.0)) < 0)
    np.testing.assert_allclose(lower_confidence_bound(means, np.ones(9), kappa=2.0), means - 2.0)


def test_bad_input():
    """Negative or infinite xi / kappa, or mean and std of different shapes, raise ValueError naming the input."""
    with pytest.raises(ValueError, match="xi"):
        expected_improvement(0.0, 1.0, best=0.0, xi=-0.1)
    with pytest.raises(ValueError, match="xi"):
        probability_of_improvement(0.0, 1.0, best=0.0, xi=np.inf)
    with pytest.raises(ValueError, match="kappa"):
        lower_confidence_bound(0.0, 1.0, kappa=-1.0)
    with pytest.raises(ValueError, match="shape"):
        expected_improvement(np.zeros(3), np.ones(4), best=0.0)


def test_docstring_examples():
    """The examples in the module's docstrings run and print what they claim."""
    import doctest

    from hpo_lessons.methods import acquisition

    assert doctest.testmod(acquisition).failed == 0
