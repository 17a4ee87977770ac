"""Chapter 6 exercise checks accept the worked solutions and reject typical wrong answers.
References: the closed form C(n-1-i, k-1) / C(n, k) checked against the package's
``tournament_select`` by simulation, and the package's ``GeneticAlgorithm`` run for real."""

import math
from collections import Counter

import numpy as np
import pytest
from solutions import solution

from hpo_lessons.exercises import ch06
from hpo_lessons.methods.genetic import tournament_select

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
tournament_win_probability = solution("06", "tournament_win_probability")
generations_in_budget = solution("06", "generations_in_budget")
averaged = solution("06", "averaged")


def test_the_closed_form_matches_the_package_tournament():
    """Reference for the check itself: 20,000 tournaments of the package's tournament_select."""
    rng = np.random.default_rng(0)
    wins = Counter(tournament_select(rng, np.arange(8.0), 3) for _ in range(20_000))
    simulated = np.array([wins[i] for i in range(8)]) / 20_000
    assert np.allclose(simulated, tournament_win_probability(8, 3), atol=0.01)


def test_tournament_accepts_the_solution(capsys):
    ch06.check_tournament_win_probability(tournament_win_probability)
    assert "Right" in capsys.readouterr().out


def test_tournament_rejects_draws_with_replacement():
    def with_replacement(n, k):
        return np.array([((n - i) ** k - (n - i - 1) ** k) / n**k for i in range(n)])

    with pytest.raises(AssertionError, match="without replacement"):
        ch06.check_tournament_win_probability(with_replacement)


def test_tournament_rejects_reversed_ranks_and_stubs():
    with pytest.raises(AssertionError, match="reversed"):
        ch06.check_tournament_win_probability(lambda n, k: tournament_win_probability(n, k)[::-1])
    with pytest.raises(AssertionError, match="returned None"):
        ch06.check_tournament_win_probability(lambda n, k: None)
    with pytest.raises(AssertionError, match="sum to 1"):
        ch06.check_tournament_win_probability(lambda n, k: np.full(n, k / n))


def test_generations_accepts_the_solution(capsys):
    ch06.check_generations_in_budget(generations_in_budget)
    assert "Right" in capsys.readouterr().out


def test_generations_rejects_ignoring_elitism():
    with pytest.raises(AssertionError, match="without being trained again"):
        ch06.check_generations_in_budget(lambda n, size, elitism: n // size)


def test_generations_rejects_counting_a_partial_generation():
    def rounding_up(n, size, elitism):
        return 0 if n < size else 1 + math.ceil((n - size) / (size - elitism))

    with pytest.raises(AssertionError, match="complete"):
        ch06.check_generations_in_budget(rounding_up)


def test_averaged_accepts_the_solution(capsys):
    ch06.check_averaged(averaged)
    assert "Right" in capsys.readouterr().out


def test_averaged_rejects_a_single_call_and_a_sum():
    with pytest.raises(AssertionError, match="expected"):
        ch06.check_averaged(lambda objective, repeats: objective)
    with pytest.raises(AssertionError, match="mean"):
        ch06.check_averaged(lambda objective, repeats: lambda p: sum(objective(p) for _ in range(repeats)))


def test_averaged_rejects_the_last_of_the_repeats():
    def last_only(objective, repeats):
        return lambda p: [objective(p) for _ in range(repeats)][-1]

    with pytest.raises(AssertionError, match="sd"):
        ch06.check_averaged(last_only)
