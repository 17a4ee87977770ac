"""KerasObjective's lineage: a trial that continues another trial's checkpoint (population-based training).

References: a child that keeps its parent's params must give, bit for bit, what one uninterrupted
training gives (as a promotion does in tests/test_keras_budget.py); a child with another learning
rate must give what Keras gives when the same network, mid-training, has its optimizer's learning
rate set and trains on through the same batches (``training.fit_inputs``).
"""

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import keras_task as kt

PARAMS = {"units": 32, "dropout": 0.3, "learning_rate": 3e-3}  # dropout's stream and Adam's moments in play


@pytest.fixture(scope="module")
def digits():
    return kt.load_data("digits")


@pytest.mark.keras
def test_a_child_with_its_parents_params_equals_one_uninterrupted_training(digits):
    objective = kt.KerasObjective(digits, seed=3)
    objective(PARAMS, budget=3, trial_id=0)
    child = objective(PARAMS, budget=5, trial_id=1, parent=0)
    straight = kt.KerasObjective(digits, seed=3)(PARAMS, budget=5)
    assert child["epochs_trained"] == 2 and child["history"] == straight["history"]  # bit for bit


@pytest.mark.keras
def test_a_child_with_another_learning_rate_trains_on_with_its_own(digits):
    objective = kt.KerasObjective(digits, seed=3)
    parent = objective(PARAMS, budget=3, trial_id=0)
    child = objective({**PARAMS, "learning_rate": 3e-2}, budget=5, trial_id=1, parent=0)
    assert child["history"]["loss"][:3] == parent["history"]["loss"] and child["epochs_trained"] == 2
    reference = kt.fit_epochs({**PARAMS, "epochs": 3}, digits, seed=3)  # Keras itself: set the rate, train on
    reference.model.optimizer.learning_rate.assign(3e-2)
    batch = kt.resolve_params(PARAMS)["batch_size"]
    fit = reference.model.fit(**kt.training.fit_inputs(digits, batch, 3, 3, 5, 1024), initial_epoch=3, epochs=5,
                              verbose=0, shuffle=False)
    assert np.allclose(child["history"]["val_loss"][3:], fit.history["val_loss"], rtol=1e-5, atol=0)
    same_rate = objective(PARAMS, budget=5, trial_id=2, parent=0)
    assert same_rate["history"]["val_loss"][3:] != child["history"]["val_loss"][3:]  # control: the rate mattered


@pytest.mark.keras
def test_without_a_parent_promotions_work_as_before_and_children_do_not_touch_them(digits):
    objective = kt.KerasObjective(digits, seed=1)
    params = {"units": 16, "learning_rate": 1e-2}
    objective(params, budget=2, trial_id=0)
    objective({**params, "learning_rate": 1e-3}, budget=3, trial_id=1, parent=0)
    promoted = objective(params, budget=4, trial_id=2)
    assert promoted["epochs_trained"] == 2  # from its own params' checkpoint at 2 epochs
    again = objective({**params, "learning_rate": 1e-3}, budget=3, trial_id=3)
    assert again["epochs_trained"] == 3  # a child's state is not its params' state


@pytest.mark.keras
def test_missing_or_unfit_parents_are_clear_errors(digits):
    objective = kt.KerasObjective(digits, seed=1)
    with pytest.raises(LookupError, match="checkpoint_dir"):
        objective({"units": 16}, budget=2, trial_id=1, parent=0)
    objective({"units": 16}, budget=2, trial_id=0)
    with pytest.raises(ValueError, match="same architecture"):
        objective({"units": 24}, budget=3, trial_id=1, parent=0)
    with pytest.raises(ValueError, match="train further"):
        objective({"units": 16}, budget=2, trial_id=1, parent=0)


@pytest.mark.keras
def test_pbt_runs_on_keras_at_one_epoch_a_trial(digits):
    objective = kt.KerasObjective(digits, seed=0, fixed={"units": 16})
    space = hl.Space(learning_rate=hl.Real(1e-3, 1e-1, log=True))
    pbt = hl.PBT(space, population_size=2, quantile=0.5, interval=1, max_budget=3, seed=0)
    history = hl.run(objective, pbt, progress=False)
    assert len(history) == 6 and all(t.ok for t in history)
    assert [t.extras["epochs_trained"] for t in history] == [1] * 6
    assert {t.extras["epochs"] for t in history if t.budget == 3} == {3} and len(objective.checkpoints) == 0
