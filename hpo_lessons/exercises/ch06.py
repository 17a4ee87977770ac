"""Checks for chapter 6 (genetic algorithms): tournament selection pressure, the number of
generations a budget buys, and averaging a noisy objective."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..core.run import run
from ..core.space import Real, Space
from ..methods.genetic import GeneticAlgorithm


def _tournament_reference(n: int, k: int) -> np.ndarray:
    """P(rank i wins) = C(n-1-i, k-1) / C(n, k): drawn, with the other k-1 drawn from the n-1-i worse ones."""
    return np.array([math.comb(n - 1 - i, k - 1) / math.comb(n, k) for i in range(n)])


def check_tournament_win_probability(tournament_win_probability: Callable) -> None:
    """``tournament_win_probability(n, k)``: shape (n,), entry i for the (i+1)-th fittest individual."""
    for n, k in [(10, 3), (5, 1), (8, 8), (20, 5), (3, 2), (12, 2)]:
        got = tournament_win_probability(n, k)
        assert got is not None, "tournament_win_probability returned None: return an array of n probabilities."
        got = np.asarray(got, dtype=float)
        assert got.shape == (n,), f"for n={n} expected one probability per individual, shape ({n},), got {got.shape}."
        assert np.isclose(got.sum(), 1.0), (
            f"for n={n}, k={k} your probabilities sum to {got.sum():.4f}; exactly one individual wins each "
            "tournament, so they must sum to 1.")
        want = _tournament_reference(n, k)
        if not np.allclose(want, want[::-1]) and np.allclose(got, want[::-1]):
            raise AssertionError("your probabilities are reversed: rank 0 is the fittest and wins most often.")
        with_replacement = np.array([((n - i) ** k - (n - i - 1) ** k) / n**k for i in range(n)])
        if k > 1 and np.allclose(got, with_replacement):
            raise AssertionError("that is the answer for draws *with* replacement; the k individuals are drawn "
                                 "without replacement, so count subsets: C(n, k) equally likely tournaments.")
        assert np.allclose(got, want, atol=1e-12), (
            f"for n={n}, k={k}, rank 0 should win with probability {want[0]:.4f}, you give {got[0]:.4f}. "
            "Rank i wins when it is drawn and the other k - 1 come from the n - 1 - i worse individuals.")
    print(f"Right: with n = 10 and k = 3 the fittest wins {_tournament_reference(10, 3)[0]:.0%} of tournaments "
          "and the two worst never do.")


def _complete_generations(n_trials: int, population_size: int, elitism: int) -> int:
    """Reference: run the package's GA for ``n_trials`` trials and count its complete generations."""
    space = Space(x=Real(0.0, 1.0), y=Real(0.0, 1.0))
    ga = GeneticAlgorithm(space, population_size=population_size, elitism=elitism, seed=0)
    run(lambda p: (p["x"] - 0.3) ** 2 + (p["y"] - 0.6) ** 2, ga, n_trials=n_trials, progress=False)
    return sum(g.complete for g in ga.generations)


CASES = [(100, 10, 1), (9, 10, 1), (10, 10, 1), (30, 8, 0), (50, 6, 2), (8, 4, 1), (19, 10, 1), (46, 10, 1)]


def check_generations_in_budget(generations_in_budget: Callable) -> None:
    """``generations_in_budget(n_trials, population_size, elitism)`` -> complete generations (int)."""
    for n_trials, size, elitism in CASES:
        got = generations_in_budget(n_trials, size, elitism)
        assert got is not None, "generations_in_budget returned None: return the number of generations."
        want = _complete_generations(n_trials, size, elitism)
        if got == n_trials // size and got != want:
            raise AssertionError(
                f"{n_trials} trials, population {size}, {elitism} elite(s): you give {got}, the GA completes "
                f"{want}. Elites are carried over without being trained again: every generation after the first "
                f"costs population_size - elitism = {size - elitism} trials.")
        assert got == want, (
            f"{n_trials} trials, population {size}, {elitism} elite(s): you give {got}, the GA completes {want}. "
            "The first generation costs population_size trials, each later one population_size - elitism; "
            "count only generations whose every individual was evaluated.")
    print(f"Right: 100 trials buy {_complete_generations(100, 10, 1)} generations of 10 with one elite, "
          f"but only {_complete_generations(100, 50, 1)} of 50.")


def check_averaged(averaged: Callable) -> None:
    """``averaged(objective, repeats)`` -> an objective returning the mean of ``repeats`` calls."""
    rng = np.random.default_rng(0)
    calls: list[dict] = []

    def noisy(params):
        calls.append(params)
        return 3.0 + params["x"] + float(rng.normal())

    repeats, n = 16, 400
    mean_objective = averaged(noisy, repeats)
    assert callable(mean_objective), "averaged must return a function: params -> mean value."
    values = [mean_objective({"x": 0.5}) for _ in range(n)]
    assert all(v is not None for v in values), "the averaged objective returned None: return the mean value."
    assert len(calls) == repeats * n, (
        f"{n} calls of the averaged objective made {len(calls)} calls of the noisy one; expected "
        f"repeats x {n} = {repeats * n}.")
    assert all(c == {"x": 0.5} for c in calls), "pass the params through to the objective unchanged."
    values = np.asarray(values, dtype=float)
    assert abs(values.mean() - 3.5) < 0.1, (
        f"the averaged objective should keep the noisy one's mean (3.5 here), got {values.mean():.3f}.")
    assert 0.2 < values.std() < 0.3, (
        f"with noise sd 1 and {repeats} repeats the averaged values should have sd 1/sqrt({repeats}) = "
        f"{1 / math.sqrt(repeats):.2f}, got {values.std():.3f}: return the mean of the repeats, not one of them.")
    print(f"Right: {repeats} repeats cut the noise sd from 1 to {values.std():.2f}, at {repeats} times the cost.")
