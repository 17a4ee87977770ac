"""The schedule benchmarks: the noisy quadratic model's closed form and Jaderberg et al.'s toy, and their lineage.

References: the NQM's closed form against its own one-step recursion iterated (exact) and against
a Monte Carlo simulation of SGD with Gaussian gradient noise (Zhang et al., 2019, section 2);
the toy's closed form against plain gradient ascent with a finite-difference gradient. A trial
that continues a parent must land where one uninterrupted training with the same schedule lands.
"""

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.benchmarks.quadratic import JaderbergToy, NoisyQuadratic


def recursion(nqm, schedule):
    m, v = np.ones(nqm.dim), np.zeros(nqm.dim)
    for n, a in schedule:
        for _ in range(n):
            m, v = (1 - a * nqm.h) * m, (1 - a * nqm.h) ** 2 * v + a**2 * nqm.h / nqm.batch_size
    return 0.5 * np.sum(nqm.h * (m**2 + v))


def test_closed_form_equals_the_one_step_recursion():
    nqm = NoisyQuadratic(dim=50, batch_size=16, max_budget=300)
    schedule = [(100, 0.9), (120, 0.2), (80, 0.01)]
    assert nqm.loss(schedule) == pytest.approx(recursion(nqm, schedule), rel=1e-10)
    assert nqm.loss([(300, 1.0)]) == pytest.approx(recursion(nqm, [(300, 1.0)]), rel=1e-10)  # r = 0 on h = 1


def test_closed_form_equals_a_simulation_of_sgd_with_noisy_gradients():
    nqm, rng = NoisyQuadratic(dim=8, batch_size=4, max_budget=60), np.random.default_rng(0)
    w = np.ones((20_000, nqm.dim))
    for a, n in ((0.6, 40), (0.1, 20)):
        for _ in range(n):
            w -= a * (nqm.h * w + rng.normal(0.0, np.sqrt(nqm.h / nqm.batch_size), w.shape))
    simulated = np.mean(0.5 * np.sum(nqm.h * w**2, axis=1))
    assert simulated == pytest.approx(nqm.loss([(40, 0.6), (20, 0.1)]), rel=0.02)


def test_a_decaying_schedule_beats_every_constant_rate():
    nqm = NoisyQuadratic(max_budget=1000)
    constant = min(nqm.loss([(1000, a)]) for a in np.geomspace(1e-3, 1.0, 200))
    assert nqm.loss([(500, 0.5), (300, 0.1), (200, 0.02)]) < 0.7 * constant


def test_a_child_continues_its_parent_as_one_training_with_the_same_schedule():
    nqm = NoisyQuadratic(max_budget=300)
    nqm({"learning_rate": 0.8}, budget=100, trial_id=0)
    child = nqm({"learning_rate": 0.05}, budget=300, trial_id=1, parent=0)
    assert child["value"] == pytest.approx(nqm.loss([(100, 0.8), (200, 0.05)]), rel=1e-12)
    assert child["epochs_trained"] == 200 and child["step"] == 300


def test_without_a_parent_a_configuration_continues_its_own_state_as_promotions_do():
    nqm = NoisyQuadratic(max_budget=90)
    assert nqm({"learning_rate": 0.3}, budget=10)["epochs_trained"] == 10
    promoted = nqm({"learning_rate": 0.3}, budget=90)
    assert promoted["epochs_trained"] == 80 and promoted["value"] == pytest.approx(nqm.loss([(90, 0.3)]), rel=1e-12)
    assert nqm({"learning_rate": 0.3}, budget=90)["epochs_trained"] == 0
    nqm.clear_checkpoints()
    assert nqm({"learning_rate": 0.3}, budget=90)["epochs_trained"] == 90


def test_a_child_state_is_not_its_params_state():
    nqm = NoisyQuadratic(max_budget=100)
    nqm({"learning_rate": 0.9}, budget=50, trial_id=0)
    nqm({"learning_rate": 0.1}, budget=60, trial_id=1, parent=0)
    straight = nqm({"learning_rate": 0.1}, budget=100, trial_id=2)  # no parent: the 0.1 run of its own, from 0
    assert straight["epochs_trained"] == 100


def test_missing_parent_and_too_short_budget_are_clear_errors():
    nqm = NoisyQuadratic(max_budget=100)
    with pytest.raises(LookupError, match="directory"):
        nqm({"learning_rate": 0.1}, budget=20, trial_id=1, parent=7)
    nqm({"learning_rate": 0.1}, budget=20, trial_id=0)
    with pytest.raises(ValueError, match="train further"):
        nqm({"learning_rate": 0.1}, budget=20, trial_id=1, parent=0)
    for budget in (0, 2.5, 101, True):
        with pytest.raises(ValueError, match="budget"):
            nqm({"learning_rate": 0.1}, budget=budget)


def test_states_in_a_directory_outlive_the_objective_and_are_cleared(tmp_path):
    NoisyQuadratic(max_budget=100, directory=tmp_path)({"learning_rate": 0.5}, budget=40, trial_id=0)
    other = NoisyQuadratic(max_budget=100, directory=tmp_path)
    child = other({"learning_rate": 0.5}, budget=100, trial_id=1, parent=0)
    assert child["epochs_trained"] == 60 and child["value"] == pytest.approx(other.loss([(100, 0.5)]), rel=1e-12)
    other.clear_checkpoints()
    assert not list(tmp_path.glob("*.json"))


def test_toy_closed_form_equals_gradient_ascent_on_the_surrogate():
    toy, h = JaderbergToy(step_size=0.01, max_budget=50), np.array([0.7, 0.2])
    theta = np.array([0.9, 0.9])
    for _ in range(50):
        surrogate = lambda t: 1.2 - np.sum(h * t**2)  # noqa: E731
        grad = np.array([(surrogate(theta + e) - surrogate(theta - e)) / 2e-6 for e in np.eye(2) * 1e-6])
        theta = theta + 0.01 * grad
    value = toy({"h0": 0.7, "h1": 0.2}, budget=50)["value"]
    assert value == pytest.approx(1.2 - np.sum(theta**2), abs=1e-8)


def test_run_refuses_a_lineage_method_on_an_objective_that_cannot_resume():
    def plain(params, budget=None):
        raise AssertionError("no trial may run")

    with pytest.raises(TypeError, match="resumes_from_parent"):
        hl.run(plain, hl.PBT(NoisyQuadratic().space, population_size=4, seed=0), progress=False)
