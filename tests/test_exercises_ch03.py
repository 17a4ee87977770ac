"""Chapter 3 exercise checks accept the worked solutions and reject wrong answers.
Reference for the balanced accuracy: scikit-learn's ``balanced_accuracy_score``; for the
log-uniform draws, the share of each decade (1/4 of the draws in each of four decades)."""

import numpy as np
import pytest
from solutions import solution

import hpo_lessons as hl
from hpo_lessons.exercises import ch03

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
log_uniform = solution("03", "log_uniform")
balanced_accuracy = solution("03", "balanced_accuracy")


def solution_space():
    return hl.Space(
        learning_rate=hl.Real(1e-5, 1e-1, log=True),
        units=hl.Integer(16, 512, log=True),
        dropout=hl.Real(0.0, 0.5),
        activation=hl.Categorical(["relu", "tanh", "elu"]),
    )


def test_log_uniform_accepts_the_solution_and_rejects_uniform(capsys):
    ch03.check_log_uniform(log_uniform)
    assert "Right" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="decades"):
        ch03.check_log_uniform(lambda rng, low, high, n: rng.uniform(low, high, n))


def test_log_uniform_rejects_the_global_random_state():
    def unseeded(rng, low, high, n):
        return np.exp(np.random.default_rng().uniform(np.log(low), np.log(high), n))

    with pytest.raises(AssertionError, match="same seed"):
        ch03.check_log_uniform(unseeded)


def test_log_uniform_rejects_a_generator_of_its_own():
    """Seeded inside, the draws repeat whatever generator is passed in."""
    def own_seed(rng, low, high, n):
        return np.exp(np.random.default_rng(0).uniform(np.log(low), np.log(high), n))

    with pytest.raises(AssertionError, match="ignores the rng"):
        ch03.check_log_uniform(own_seed)


def test_log_uniform_rejects_a_generator_derived_from_the_arguments():
    """A generator seeded from the arguments gives different draws per seed only by accident of the test."""
    def from_the_bounds(rng, low, high, n):
        return np.exp(np.random.default_rng(n).uniform(np.log(low), np.log(high), n))

    with pytest.raises(AssertionError, match="ignores the rng|was not used"):
        ch03.check_log_uniform(from_the_bounds)


def test_log_uniform_accepts_other_correct_draws(capsys):
    """Any draw from ``rng`` that is log-uniform is right, e.g. rng.random() scaled by hand."""
    ch03.check_log_uniform(lambda rng, low, high, n: low * (high / low) ** rng.random(n))
    assert "Right" in capsys.readouterr().out


def test_space_accepts_the_solution_and_rejects_a_linear_learning_rate(capsys):
    ch03.check_space(solution_space())
    assert "Right" in capsys.readouterr().out
    wrong = hl.Space(
        learning_rate=hl.Real(1e-5, 1e-1),
        units=hl.Integer(16, 512, log=True),
        dropout=hl.Real(0.0, 0.5),
        activation=hl.Categorical(["relu", "tanh", "elu"]),
    )
    with pytest.raises(AssertionError, match="log scale"):
        ch03.check_space(wrong)


def test_space_accepts_linear_units_as_keras_tuners_guide_writes_them(capsys):
    """Keras Tuner's getting-started guide: hp.Int("units", min_value=32, max_value=512, step=32), a linear range."""
    linear = hl.Space(
        learning_rate=hl.Real(1e-5, 1e-1, log=True),
        units=hl.Integer(16, 512),
        dropout=hl.Real(0.0, 0.5),
        activation=hl.Categorical(["relu", "tanh", "elu"]),
    )
    ch03.check_space(linear)
    assert "linear scale" in capsys.readouterr().out


def test_space_rejects_units_as_a_real_number():
    wrong = hl.Space(
        learning_rate=hl.Real(1e-5, 1e-1, log=True),
        units=hl.Real(16.0, 512.0, log=True),
        dropout=hl.Real(0.0, 0.5),
        activation=hl.Categorical(["relu", "tanh", "elu"]),
    )
    with pytest.raises(AssertionError, match="make it a Integer"):
        ch03.check_space(wrong)


def test_space_rejects_a_missing_dimension():
    with pytest.raises(AssertionError, match="4 dimensions"):
        ch03.check_space(hl.Space(learning_rate=hl.Real(1e-5, 1e-1, log=True)))


def test_balanced_accuracy_accepts_the_solution(capsys):
    ch03.check_balanced_accuracy(balanced_accuracy)
    assert "Right" in capsys.readouterr().out


def test_balanced_accuracy_rejects_plain_accuracy():
    with pytest.raises(AssertionError, match="average the recall"):
        ch03.check_balanced_accuracy(lambda y_true, y_pred: float(np.mean(np.asarray(y_true) == np.asarray(y_pred))))
