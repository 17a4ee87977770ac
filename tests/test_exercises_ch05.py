"""Chapter 5 exercise checks accept the worked solutions and reject typical wrong answers.
References: the package's ``Matern52`` (itself tested against scikit-learn) and the closed-form
EI of ``methods.acquisition`` applied to the negated objective."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from hpo_lessons.exercises import ch05

SQRT5 = math.sqrt(5.0)


def matern52_of_r(r, length_scale, variance):
    s = np.asarray(r, dtype=float) / length_scale
    return variance * (1 + SQRT5 * s + 5 / 3 * s**2) * np.exp(-SQRT5 * s)


def ei_maximize(mean, std, best):
    z = (mean - best) / std
    return (mean - best) * norm.cdf(z) + std * norm.pdf(z)


def test_matern52_accepts_the_solution(capsys):
    ch05.check_matern52(matern52_of_r)
    assert "Right" in capsys.readouterr().out


def test_matern52_rejects_an_unscaled_distance():
    with pytest.raises(AssertionError, match="Scale first"):
        ch05.check_matern52(lambda r, ls, var: var * (1 + SQRT5 * r + 5 / 3 * r**2) * np.exp(-SQRT5 * r))


def test_matern52_rejects_a_missing_variance():
    with pytest.raises(AssertionError, match="equal the variance"):
        ch05.check_matern52(lambda r, ls, var: matern52_of_r(r, ls, 1.0))


def test_matern52_rejects_the_unfinished_stub():
    with pytest.raises(AssertionError, match="returned None"):
        ch05.check_matern52(lambda r, ls, var: None)


def test_ei_maximize_accepts_the_solution(capsys):
    ch05.check_ei_maximize(ei_maximize)
    assert "Right" in capsys.readouterr().out


def test_ei_maximize_rejects_the_minimizing_formula():
    def minimizing(mean, std, best):
        z = (best - mean) / std
        return (best - mean) * norm.cdf(z) + std * norm.pdf(z)

    with pytest.raises(AssertionError, match="maximized f"):
        ch05.check_ei_maximize(minimizing)


def test_ei_maximize_rejects_a_negative_improvement():
    with pytest.raises(AssertionError, match="never negative"):
        ch05.check_ei_maximize(lambda mean, std, best: mean - best)


def test_ei_maximize_solution_matches_monte_carlo():
    """EI is an expectation: a Monte Carlo mean of max(f - best, 0) must agree with the formula."""
    rng = np.random.default_rng(0)
    samples = rng.normal(0.97, 0.05, size=2_000_000)
    assert abs(np.maximum(samples - 0.95, 0).mean() - ei_maximize(0.97, 0.05, 0.95)) < 2e-4
