"""Optuna's SuccessiveHalvingPruner and HyperbandPruner on a real KerasObjective that resumes checkpoints.

Each Optuna trial is one configuration reported at the steps 1, 3 and 9 epochs; ``run`` calls
``objective(params, budget=step)``, and the objective carries on from the configuration's
checkpoint. References: (1) the checkpoint rule, a step trains only the epochs since the
configuration's previous step (``extras["epochs_trained"]``); (2) straight training, the same
params trained from scratch to the same epochs with the same seed (``KerasObjective(...,
resume=False)``), whose curves the resumed trial must give bit for bit on one machine (as
tests/test_keras_budget.py measures); (3) Optuna's own record of what it was told
(``trial.intermediate_values``).
"""

import pytest

import hpo_lessons as hl

optuna = pytest.importorskip("optuna")  # the "compare" extra
pytest.importorskip("keras")

from hpo_lessons import keras_task as kt  # noqa: E402
from hpo_lessons.frameworks.optuna_adapter import OptunaPruning  # noqa: E402

SPACE = hl.Space(learning_rate=hl.Real(1e-3, 3e-2, log=True), units=hl.Categorical([16, 32]),
                 dropout=hl.Categorical([0.0, 0.3]))  # a real dimension: no configuration comes twice
MAX_EPOCHS, SEED = 9, 0
BUDGET = 5 * MAX_EPOCHS  # epochs counted: room for a few configurations after the first ones, so some are pruned


@pytest.fixture(scope="module")
def digits():
    return kt.load_data("digits")


@pytest.fixture(scope="module")
def straight(digits):
    """Straight training to ``budget`` epochs, from scratch, memoised per (params, budget)."""
    reference, cache = kt.KerasObjective(digits, epochs=MAX_EPOCHS, seed=SEED, resume=False), {}

    def train(params, budget):
        key = (SPACE.key(params), budget)
        if key not in cache:
            cache[key] = reference(params, budget=budget)
        return cache[key]

    return train


@pytest.mark.slow
@pytest.mark.keras
@pytest.mark.parametrize("pruner", ["sh", "hyperband"])
def test_pruned_trials_resume_and_score_as_straight_training(digits, straight, pruner):
    objective = kt.KerasObjective(digits, epochs=MAX_EPOCHS, seed=SEED)
    opt = OptunaPruning(SPACE, pruner, min_budget=1, max_budget=MAX_EPOCHS, eta=3, seed=SEED)
    assert opt.steps == [1, 3, 9]
    history = hl.run(objective, opt, total_budget=BUDGET, progress=False)
    assert len(opt.study.trials) >= 2 and history.budget_spent <= BUDGET
    last = {}  # configuration -> the budget of its previous step
    for t in history:
        key = SPACE.key(t.params)
        assert t.extras["epochs_trained"] == t.budget - last.get(key, 0), t  # only the missing epochs
        assert t.extras["epochs"] == t.budget
        last[key] = t.budget
        reference = straight(t.params, t.budget)
        assert t.value == reference["value"] and t.extras["history"] == reference["history"], t
    assert any(t.extras["epochs_trained"] < t.budget for t in history)  # some step resumed a checkpoint
    assert sum(t.extras["epochs_trained"] for t in history) < history.budget_spent
    states = {t.state for t in opt.study.trials}
    assert {optuna.trial.TrialState.PRUNED, optuna.trial.TrialState.COMPLETE} <= states  # both outcomes
    for trial in opt.study.trials:  # Optuna was told each step's value, minimized: minus the accuracy
        mine = [t for t in history if t.params == trial.params]
        assert list(trial.intermediate_values) == [t.budget for t in mine]
        assert list(trial.intermediate_values.values()) == pytest.approx([-t.value for t in mine])
