"""Chapter 7 exercise checks accept the worked solutions and reject plausible wrong answers.
References: Optuna's own MedianPruner (exercise 1), Keras Tuner's own BayesianOptimizationOracle
(exercise 2), and the standard error of a difference of two means, checked by simulation (exercise 3)."""

import importlib.util
import math

import numpy as np
import pytest
from solutions import solution

from hpo_lessons.exercises import ch07

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
executions_needed = solution("07", "executions_needed")


pytestmark = pytest.mark.keras
kt = pytest.importorskip("keras_tuner")
# Exercise 1's reference is Optuna's own MedianPruner; Optuna is an optional extra (Colab lacks it).
needs_optuna = pytest.mark.skipif(importlib.util.find_spec("optuna") is None,
                                  reason="the reference, Optuna's MedianPruner, needs optuna: pip install optuna")


def median_rule(curves, n_startup_trials, n_warmup_steps, *, best=True, count_pruned=False, warmup_strict=False,
                startup=True, centre=np.median, future=False):
    """The chapter's solution, with switches that turn it into the wrong answers a learner might give."""
    completed, seen, reported = [], [], []
    for curve in curves:
        n = len(curve)
        pool = curves if future else None
        for step in range(len(curve)):
            others = pool if pool is not None else (seen if count_pruned else completed)
            at_step = [c[step] for c in others if len(c) > step and c is not curve]
            ready = (completed and (not startup or len(completed) >= n_startup_trials) and at_step
                     and (step > n_warmup_steps if warmup_strict else step >= n_warmup_steps))
            value = min(curve[: step + 1]) if best else curve[step]
            if ready and value > centre(at_step):
                n = step + 1
                break
        reported.append(n)
        seen.append(curve[:n])
        if n == len(curve):
            completed.append(curve)
    return reported


@needs_optuna
def test_median_pruned_accepts_the_solution(capsys):
    ch07.check_median_pruned(median_rule)
    assert "Right" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    dict(best=False),  # the current value instead of the best so far
    dict(count_pruned=True),  # pruned trials' partial curves in the median
    dict(warmup_strict=True),  # warm-up off by one
    dict(startup=False),  # no startup trials
    dict(centre=np.mean),  # the mean instead of the median
    dict(future=True),  # the median over every curve, later trials included
])
@needs_optuna
def test_median_pruned_rejects_a_wrong_rule(wrong):
    with pytest.raises(AssertionError, match="MedianPruner"):
        ch07.check_median_pruned(lambda curves, s, w: median_rule(curves, s, w, **wrong))


def test_the_pruning_curves_cross_and_are_noisy():
    """What makes the wrong rules visible: curves that change rank and go up as well as down."""
    curves = np.array(ch07.pruning_curves())
    assert (np.diff(curves, axis=1) > 0).any()
    early, late = np.argsort(curves[:, 1]), np.argsort(curves[:, -1])
    assert not np.array_equal(early, late)


class NoRepeat(kt.oracles.BayesianOptimizationOracle):
    def populate_space(self, trial_id):
        response = super().populate_space(trial_id)
        if response["status"] != "RUNNING" or not self._duplicate(response["values"]):
            return response
        values = self._random_values()
        return {"status": "RUNNING", "values": values} if values else {"status": "STOPPED", "values": None}


class Plain(kt.oracles.BayesianOptimizationOracle):
    pass


class AlwaysRandom(kt.oracles.BayesianOptimizationOracle):
    def populate_space(self, trial_id):
        values = self._random_values()
        return {"status": "RUNNING", "values": values} if values else {"status": "STOPPED", "values": None}


class NeverStops(kt.oracles.BayesianOptimizationOracle):
    def populate_space(self, trial_id):
        response = super().populate_space(trial_id)
        if response["status"] == "RUNNING" and self._duplicate(response["values"]):
            return {"status": "RUNNING", "values": self._random_values()}
        return response


def test_no_repeat_oracle_accepts_the_solution(capsys):
    ch07.check_no_repeat_oracle(NoRepeat)
    assert "Right" in capsys.readouterr().out


def test_keras_tuners_own_bo_repeats_on_the_small_space():
    """The reference behaviour the exercise fixes: Keras Tuner's BO has no duplicate check."""
    with pytest.raises(AssertionError, match="tried"):
        ch07.check_no_repeat_oracle(Plain)


def test_no_repeat_oracle_rejects_ignoring_the_gp_and_never_stopping():
    with pytest.raises(AssertionError, match="GP's choice"):
        ch07.check_no_repeat_oracle(AlwaysRandom)
    with pytest.raises(AssertionError, match="STOPPED"):
        ch07.check_no_repeat_oracle(NeverStops)
    with pytest.raises(AssertionError, match="subclass"):
        ch07.check_no_repeat_oracle(kt.oracles.RandomSearchOracle)


def test_executions_needed_accepts_the_solution(capsys):
    ch07.check_executions_needed(executions_needed)
    assert "Right" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    lambda s, g: max(1, math.ceil(8 * np.var(s) / g**2)),  # ddof=0
    lambda s, g: max(1, math.ceil(4 * np.var(s, ddof=1) / g**2)),  # forgets that both trials are noisy
    lambda s, g: max(1, math.ceil(2 * math.sqrt(2) * np.std(s, ddof=1) / g)),  # sd instead of variance
    lambda s, g: max(1, math.floor(8 * np.var(s, ddof=1) / g**2)),  # rounds down
    lambda s, g: math.ceil(8 * np.var(s, ddof=1) / g**2),  # zero executions for a noiseless score
    lambda s, g: max(1.0, 8 * np.var(s, ddof=1) / g**2),  # not a whole number
])
def test_executions_needed_rejects_a_wrong_formula(wrong):
    with pytest.raises(AssertionError):
        ch07.check_executions_needed(wrong)


def test_the_executions_formula_against_simulation():
    """Reference: with n from the formula, simulated differences of two n-execution means have a spread
    of at most gap / 2 (within Monte Carlo error), and with n - 1 executions more."""
    rng = np.random.default_rng(0)
    sd, gap = 0.012, 0.01
    n = ch07.executions_needed_reference([0.9 - sd, 0.9, 0.9 + sd], gap)  # sample sd of these three is sd
    for executions, below in ((n, True), (n - 1, False)):
        a = rng.normal(0, sd, (200_000, executions)).mean(axis=1)
        b = rng.normal(0, sd, (200_000, executions)).mean(axis=1)
        spread = float(np.std(a - b))
        assert (spread <= gap / 2 * 1.01) if below else (spread > gap / 2), (executions, spread)
