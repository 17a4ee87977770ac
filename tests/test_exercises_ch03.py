"""Chapter 3 exercise checks accept the worked solutions and reject wrong answers.
Reference for the importance: the definition (between-bin over total variance) in closed form."""

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.exercises import ch03


def log_uniform(rng, low, high, n):
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


def solution_space():
    return hl.Space(
        learning_rate=hl.Real(1e-5, 1e-1, log=True),
        units=hl.Integer(16, 512, log=True),
        dropout=hl.Real(0.0, 0.5),
        activation=hl.Categorical(["relu", "tanh", "elu"]),
    )


def importance(x, y, bins=4):
    edges = np.quantile(x, np.linspace(0, 1, bins + 1))
    which = np.clip(np.digitize(x, edges[1:-1]), 0, bins - 1)
    between = sum(np.sum(which == b) * (y[which == b].mean() - y.mean()) ** 2 for b in range(bins))
    return between / np.sum((y - y.mean()) ** 2)


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


def test_space_rejects_a_missing_dimension():
    with pytest.raises(AssertionError, match="4 dimensions"):
        ch03.check_space(hl.Space(learning_rate=hl.Real(1e-5, 1e-1, log=True)))


def test_importance_accepts_the_solution_and_matches_the_reference(capsys):
    ch03.check_importance(importance)
    assert "Right" in capsys.readouterr().out
    rng = np.random.default_rng(3)
    x, y = rng.random(200), rng.random(200)
    assert importance(x, y, 5) == pytest.approx(ch03._reference_importance(x, y, 5))


def test_importance_rejects_the_variance_of_x():
    with pytest.raises(AssertionError):
        ch03.check_importance(lambda x, y, bins: float(np.var(x) / (np.var(x) + np.var(y))))
