"""Chapter 5 exercise checks accept the worked solutions and reject typical wrong answers.
References: functions built with known relevant and irrelevant inputs, fitted with the package's
``GaussianProcess`` (itself tested against scikit-learn), and the closed-form EI of
``methods.acquisition`` applied to the negated objective."""

import numpy as np
import pytest
from scipy.stats import norm
from solutions import solution

from hpo_lessons.exercises import ch05
from hpo_lessons.methods.gp import GaussianProcess

relevance = solution("05", "relevance")  # the chapter's worked solutions, as the learner reads them
ei_maximize = solution("05", "ei_maximize")


def test_relevance_accepts_the_solution(capsys):
    ch05.check_relevance(relevance)
    assert "Right" in capsys.readouterr().out


def test_relevance_solution_finds_the_columns_each_case_was_built_with():
    """Reference for the check itself: in every case the fitted ARD GP ranks the columns as the function is built."""
    for X, y, matter, idle in ch05._cases():
        got = relevance(X, y)
        assert list(np.argsort(-got)[: len(matter)]) == matter
        assert got[idle].max() < 0.2 * got.max()


def test_relevance_rejects_length_scales_instead_of_their_inverse():
    with pytest.raises(AssertionError, match="reversed"):
        ch05.check_relevance(lambda X, y: GaussianProcess(seed=0).fit(X, y).kernel.length_scale)


def test_relevance_rejects_one_shared_length_scale_and_an_unfitted_gp():
    with pytest.raises(AssertionError, match="same relevance"):
        ch05.check_relevance(lambda X, y: 1 / GaussianProcess(seed=0, ard=False).fit(X, y).kernel.length_scale)
    with pytest.raises(AssertionError, match="same relevance"):
        ch05.check_relevance(lambda X, y: 1 / GaussianProcess(optimize=False).fit(X, y).kernel.length_scale)


def test_relevance_rejects_the_unfinished_stub_and_a_wrong_shape():
    with pytest.raises(AssertionError, match="returned None"):
        ch05.check_relevance(lambda X, y: None)
    with pytest.raises(AssertionError, match="one per column"):
        ch05.check_relevance(lambda X, y: relevance(X, y)[:-1])


def test_relevance_rejects_a_ranking_by_variance_of_the_inputs():
    """A guess that ignores y (the spread of each column of X) cannot tell which column matters."""
    with pytest.raises(AssertionError):
        ch05.check_relevance(lambda X, y: X.std(axis=0))


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
