"""Chapter 2 exercise checks accept the worked solutions and reject wrong answers.
Reference for the folds: scikit-learn's ``KFold``; for the schedule, the closed form; for the
loss curves, the rules stated in the exercise, applied by hand to each curve of the check."""

import math

import numpy as np
import pytest
from sklearn.model_selection import KFold

from hpo_lessons.exercises import ch02


def kfold_indices(n, k):
    bounds = np.linspace(0, n, k + 1).round().astype(int)
    folds = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        val = np.arange(lo, hi)
        folds.append((np.setdiff1d(np.arange(n), val), val))
    return folds


def diagnose(losses):
    losses = np.asarray(losses, dtype=float)
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverged"
    if np.any(losses[1:] > 1.1 * losses[:-1]):
        return "unstable"
    return "slow" if losses[-1] > 0.5 * losses[0] else "ok"


def step_decay(epoch, lr0, drop, every):
    return lr0 * drop ** math.floor(epoch / every)


def test_kfold_accepts_the_solution_and_scikit_learn(capsys):
    ch02.check_kfold(kfold_indices)
    ch02.check_kfold(lambda n, k: list(KFold(k).split(np.zeros(n))))
    assert capsys.readouterr().out.count("Right") == 2


def test_kfold_rejects_overlapping_folds():
    with pytest.raises(AssertionError, match="both train and validation"):
        ch02.check_kfold(lambda n, k: [(np.arange(n), np.arange(n)[i::k]) for i in range(k)])


def test_kfold_rejects_uneven_folds():
    def lopsided(n, k):
        cuts = [0, *range(n - k + 1, n + 1)]  # a partition, but the first fold takes n - k + 1 examples
        everything = np.arange(n)
        return [(np.setdiff1d(everything, everything[a:b]), everything[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]

    with pytest.raises(AssertionError, match="differ by at most 1"):
        ch02.check_kfold(lopsided)


def test_diagnose_accepts_the_solution(capsys):
    ch02.check_diagnose(diagnose)
    assert "Right" in capsys.readouterr().out


def test_diagnose_rejects_reading_only_the_last_loss():
    """A fixed threshold on the last loss misjudges curves that start far from ln 10."""
    def last_only(losses):
        last = losses[-1]
        if not math.isfinite(last) or last > 2.3:
            return "diverged"
        return "slow" if last > 1.15 else "ok"

    with pytest.raises(AssertionError, match="expected"):
        ch02.check_diagnose(last_only)


def test_diagnose_rejects_reading_only_the_two_ends():
    """First against last misses a curve that bounces in the middle and ends well."""
    def ends_only(losses):
        losses = np.asarray(losses, dtype=float)
        if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
            return "diverged"
        return "slow" if losses[-1] > 0.5 * losses[0] else "ok"

    with pytest.raises(AssertionError, match="expected 'unstable'"):
        ch02.check_diagnose(ends_only)


def test_diagnose_rejects_ignoring_a_nan_before_the_end():
    def last_value_nan_check(losses):
        if not math.isfinite(losses[-1]) or losses[-1] > losses[0]:
            return "diverged"
        if any(b > 1.1 * a for a, b in zip(losses, losses[1:])):
            return "unstable"
        return "slow" if losses[-1] > 0.5 * losses[0] else "ok"

    with pytest.raises(AssertionError, match="nan"):
        ch02.check_diagnose(last_value_nan_check)


def test_diagnose_rejects_calling_every_rise_unstable():
    def any_rise(losses):
        losses = np.asarray(losses, dtype=float)
        if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
            return "diverged"
        if np.any(np.diff(losses) > 0):
            return "unstable"
        return "slow" if losses[-1] > 0.5 * losses[0] else "ok"

    with pytest.raises(AssertionError, match="expected 'ok'"):
        ch02.check_diagnose(any_rise)


def test_step_decay_accepts_the_solution_and_rejects_off_by_one(capsys):
    ch02.check_step_decay(step_decay)
    assert "Right" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="counting epochs from 0"):
        ch02.check_step_decay(lambda epoch, lr0, drop, every: lr0 * drop ** ((epoch + 1) // every))
