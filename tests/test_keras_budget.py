"""KerasObjective with a budget in epochs: checkpoints, exact resumes, threads, pickling.

The reference for a resumed run is the same configuration trained the same number of
epochs without stopping, with the same seed: a promotion from 3 to 9 epochs must give its
curves. On one machine they agree bit for bit (TensorFlow's CPU kernels, and XLA's under JAX,
are deterministic for a given model, data order and thread count; on TensorFlow measured the
same with 1 and 2 threads), so the comparisons are exact. Controls show that each part of the checkpoint matters:
without the optimizer's slots, or without dropout's seed state, the curves differ.
"""

import concurrent.futures as cf
import gc
import pickle

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import keras_task as kt
from hpo_lessons.keras_task.checkpoints import Checkpoint, CheckpointStore

DROPOUT = {"units": 32, "dropout": 0.3, "learning_rate": 3e-3}  # random masks and Adam's moments both in play


@pytest.fixture(scope="module")
def digits():
    return kt.load_data("digits")


# -- the store, without Keras -----------------------------------------------------------------------------
def toy(epochs: int, size: int = 1000) -> Checkpoint:
    return Checkpoint(epochs, [np.full(size, epochs, np.float32)], [np.arange(3, dtype=np.int64)],
                      {"loss": [1.0] * epochs}, [0.1 * (e + 1) for e in range(epochs)], 7, {"note": "x"})


def test_store_round_trip_on_disk_and_namespaces(tmp_path):
    mine, other = CheckpointStore(tmp_path, namespace="a"), CheckpointStore(tmp_path, namespace="b")
    mine.put({"units": 8}, toy(3))
    other.put({"units": 8}, toy(5))
    back = mine.get({"units": 8})
    assert back.epochs == 3 and back.history == {"loss": [1.0] * 3} and (back.n_params, back.meta) == (7, {"note": "x"})
    assert np.array_equal(back.model[0], toy(3).model[0]) and back.optimizer[0].dtype == np.int64
    assert mine.get({"units": 9}) is None and len(mine) == len(other) == 1
    mine.clear()
    assert mine.get({"units": 8}) is None and other.get({"units": 8}).epochs == 5  # only its own files go
    assert not list(tmp_path.glob(".tmp-*"))  # atomic writes leave no temporary files


def test_store_in_memory_drops_the_least_recently_used_beyond_its_bound():
    store = CheckpointStore(memory_mb=2.5 * 4000 / 2**20)  # room for two 4,000-byte checkpoints (+24 bytes each)
    for k in range(3):
        store.put(k, toy(k + 1))
        if k == 1:
            store.get(0)  # 0 is now the most recently used: 1 goes first
    assert len(store) == 2 and store.get(1) is None and store.get(0).epochs == 1 and store.get(2).epochs == 3
    assert store.nbytes == 2 * (4000 + 24)


# -- exact resumes ---------------------------------------------------------------------------------------
@pytest.mark.keras
def test_promotion_from_3_to_9_epochs_equals_9_straight_epochs(digits):
    promoted = kt.KerasObjective(digits, epochs=9, seed=3)
    three = promoted(DROPOUT, budget=3)
    nine = promoted(DROPOUT, budget=9)
    straight = kt.KerasObjective(digits, seed=3)(DROPOUT, budget=9)
    assert (three["epochs_trained"], nine["epochs_trained"], nine["epochs"]) == (3, 6, 9)
    assert nine["history"] == straight["history"] and nine["value"] == straight["value"]  # bit for bit
    assert nine["history"]["loss"][:3] == three["history"]["loss"]  # the curve from epoch 1 on
    assert len(nine["elapsed"]) == 9 and nine["elapsed"][:3] == three["elapsed"] and nine["seconds"] > 0
    assert promoted.max_budget == 9 and len(promoted.checkpoints) == 1


@pytest.mark.keras
@pytest.mark.parametrize("part", ["optimizer", "seed state"])
def test_each_part_of_the_checkpoint_matters(digits, part):
    """Control: resume from a checkpoint with one part reset; the run no longer matches the straight one."""
    objective = kt.KerasObjective(digits, seed=3)
    objective(DROPOUT, budget=3)
    key = {k: v for k, v in sorted(kt.resolve_params(DROPOUT).items()) if k != "epochs"}
    ckpt = objective.checkpoints.get(key)
    straight = kt.fit_epochs({**DROPOUT, "epochs": 5}, digits, seed=3)
    if part == "optimizer":  # zero Adam's moments, keep its iteration count and learning rate
        ckpt.optimizer = [a if a.ndim == 0 else np.zeros_like(a) for a in ckpt.optimizer]
    else:  # another dropout stream: SeedGenerator states are the model's only integer variables
        assert sum(a.dtype.kind in "iu" for a in ckpt.model) == 1  # one Dropout layer (int64 on TF, uint32 on JAX)
        ckpt.model = [a + 1 if a.dtype.kind in "iu" else a for a in ckpt.model]
    resumed = kt.fit_epochs({**DROPOUT, "epochs": 5}, digits, seed=3, resume=ckpt)
    assert resumed.first == 3 and resumed.history["loss"] != straight.history["loss"][3:]


@pytest.mark.keras
def test_equal_and_smaller_budgets(digits):
    objective = kt.KerasObjective(digits, seed=1)
    params = {"units": 16, "learning_rate": 1e-2}
    four = objective(params, budget=4)
    again = objective(params, budget=4.0)  # a whole-number float is a budget in epochs too
    assert again["epochs_trained"] == 0 and again["seconds"] == 0 and again["history"] == four["history"]
    two = objective(params, budget=2)  # below the checkpoint: from scratch, and the longer checkpoint stays
    assert two["epochs_trained"] == 2 and two["history"]["val_accuracy"] == four["history"]["val_accuracy"][:2]
    assert objective(params, budget=5)["epochs_trained"] == 1
    fresh = kt.KerasObjective(digits, seed=1, resume=False)
    assert fresh(params, budget=4)["history"] == four["history"] and len(fresh.checkpoints) == 0


@pytest.mark.keras
def test_checkpoints_on_disk_are_shared_by_copies_and_freed_with_the_objective(digits, tmp_path):
    owner = kt.KerasObjective(digits, seed=2, checkpoint_dir=str(tmp_path))
    owner({"units": 16}, budget=2)
    worker = pickle.loads(pickle.dumps(owner))  # what a worker process receives
    assert worker({"units": 16}, budget=3)["epochs_trained"] == 1  # resumed the owner's file
    assert len(list(tmp_path.glob("*.npz"))) == 1
    del worker
    gc.collect()
    assert len(list(tmp_path.glob("*.npz"))) == 1  # a copy never deletes files
    owner.clear_checkpoints()
    assert not list(tmp_path.glob("*.npz")) and owner({"units": 16}, budget=3)["epochs_trained"] == 3
    del owner
    gc.collect()
    assert not list(tmp_path.glob("*.npz"))  # the owner's files go with it


@pytest.mark.keras
def test_memory_bound_drops_checkpoints_and_training_starts_over(digits):
    objective = kt.KerasObjective(digits, seed=0, checkpoint_mb=0)  # keeps only the latest checkpoint
    objective({"units": 8}, budget=1)
    objective({"units": 9}, budget=1)
    assert len(objective.checkpoints) == 1 and objective({"units": 8}, budget=2)["epochs_trained"] == 2


# -- threads, pickling, the budget's checks ----------------------------------------------------------------
@pytest.mark.keras
def test_threads_take_turns_and_get_what_one_thread_gets(digits):
    configs = [{"units": u, "budget": b} for u, b in ((8, 2), (12, 1), (8, 3), (16, 2))]
    alone = kt.KerasObjective(digits, seed=4)
    expected = [alone({"units": c["units"]}, budget=c["budget"])["history"] for c in configs]
    shared = kt.KerasObjective(digits, seed=4)
    with cf.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda c: shared({"units": c["units"]}, budget=c["budget"]), configs))
    assert [r["history"] for r in results] == expected


@pytest.mark.keras
def test_objective_pickles_by_recipe_and_scores_the_same(digits):
    objective = kt.KerasObjective(digits, epochs=2, seed=5)
    blob = pickle.dumps(objective)
    assert len(blob) < 2000  # the digits arrays alone are 460 kB
    copy = pickle.loads(blob)
    assert np.array_equal(copy.data.x_val, digits.x_val) and copy(DROPOUT)["history"] == objective(DROPOUT)["history"]
    arrays = kt.from_arrays(digits.x_train, digits.y_train)
    assert len(pickle.dumps(kt.KerasObjective(arrays))) > digits.x_train.nbytes / 2  # user data travels itself


@pytest.mark.keras
@pytest.mark.parametrize("budget", [0, -1, 2.5, "3", True, float("nan")])
def test_bad_budgets_are_refused_before_training(digits, budget):
    with pytest.raises(ValueError, match=r"budget=.*whole epochs"):
        kt.KerasObjective(digits)({"units": 8}, budget=budget)


@pytest.mark.keras
def test_conflicting_epochs_and_settings(digits):
    objective = kt.KerasObjective(digits, epochs=5)
    with pytest.raises(ValueError, match="epochs=3 but budget=4"):
        objective({"epochs": 3}, budget=4)
    with pytest.raises(ValueError, match="seed must be an int >= 0"):
        kt.KerasObjective(digits, seed=-1)
    with pytest.raises(TypeError, match="seed must be an int"):
        kt.KerasObjective(digits, seed=1.5)
    with pytest.raises(ValueError, match="checkpoint_mb"):
        kt.KerasObjective(digits, checkpoint_mb=-1)
    assert kt.KerasObjective(digits, fixed={"epochs": 12}).max_budget == 12
    assert kt.KerasObjective(digits).max_budget == 8  # DEFAULT_PARAMS["epochs"]


@pytest.mark.keras
def test_record_test_scores_the_test_set_and_changes_nothing_else(digits):
    params = {"units": 24, "dropout": 0.2, "epochs": 3}
    plain = kt.KerasObjective(digits, seed=6)(params)
    scored = kt.KerasObjective(digits, seed=6, record_test=True)(params)
    curves = scored["history"]
    assert {k: v for k, v in curves.items() if k != "test_accuracy"} == plain["history"]
    assert len(curves["test_accuracy"]) == 3
    assert curves["test_accuracy"][-1] == pytest.approx(kt.evaluate(params, digits, seed=6), abs=1e-6)


@pytest.mark.keras
def test_run_counts_a_full_trial_as_max_budget_epochs(digits):
    objective = kt.KerasObjective(digits, epochs=2, seed=0)
    space = hl.Space(units=hl.Categorical([8, 16]))
    history = hl.run(objective, hl.GridSearch(space), total_budget=100, progress=False)
    assert history.budget_spent == 2 * 2 and all(t.extras["epochs_trained"] == 2 for t in history)
