"""The shipped learning-curve table, ``benchmarks.tabular("digits-mlp")``.

References: the raw arrays of the shipped file (every lookup is checked against them),
``itertools.product`` over the header's grid (the row order), a brute-force minimum, and,
for the table itself, ``KerasObjective`` retraining a few rows (slow): the same software on
the same CPU gives the stored counts exactly; elsewhere float rounding in TensorFlow's CPU
kernels may flip a borderline image, so a row may differ by up to two of the 359 images.
"""

import itertools
import os
import pickle
import platform
import sys

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.benchmarks.table import TABLES, Tabular, load


@pytest.fixture(scope="module")
def raw():
    return load("digits-mlp")


@pytest.fixture
def table():
    table = benchmarks.tabular("digits-mlp")
    assert isinstance(table, Tabular)
    return table


def test_file_is_small_and_says_how_it_was_made(raw):
    header, arrays = raw
    path = os.path.join(os.path.dirname(hl.__file__), "data", TABLES["digits-mlp"])
    assert os.path.getsize(path) < 3 * 2**20
    n = int(np.prod([len(v) for v in header["grid"].values()]))
    assert 200 <= n and len(header["seeds"]) >= 3 and header["epochs"] == 27
    shape = (n, len(header["seeds"]), 27)
    assert arrays["val_correct"].shape == arrays["test_correct"].shape == arrays["seconds"].shape == shape
    assert arrays["val_correct"].dtype == np.uint16 and arrays["seconds"].dtype == np.float32
    assert arrays["val_correct"].max() <= header["n_val"] == 359 and header["n_test"] == 359
    ok = ~arrays["failed"]
    assert np.all(np.diff(arrays["seconds"], axis=2)[ok] > 0)  # cumulative seconds
    assert {"tensorflow", "keras", "numpy"} <= set(header["versions"]) and header["data"] == {"name": "digits"}


def test_lookups_match_the_raw_arrays(table, raw):
    header, arrays = raw
    rows = [dict(zip(header["grid"], v)) for v in itertools.product(*header["grid"].values())]
    assert table.configurations() == rows and len(table) == len(rows)
    rng = np.random.default_rng(0)
    for _ in range(50):
        row, s, b = int(rng.integers(len(rows))), int(rng.integers(3)), int(rng.integers(1, 28))
        r = table.with_seed(table.seeds[s])(rows[row], budget=b)
        assert table.index(rows[row]) == row and r["epochs"] == b
        assert r["value"] == pytest.approx(1 - arrays["val_correct"][row, s, b - 1] / 359, abs=1e-12)
        assert r["test"] == pytest.approx(arrays["test_correct"][row, s, b - 1] / 359, abs=1e-12)
        assert r["value"] + r["val_accuracy"] == pytest.approx(1)
    assert table(rows[0])["epochs"] == table.max_budget == 27  # budget=None is the full budget


def test_space_is_the_grid(table):
    assert table.space.size == len(table)
    assert all(table.space.validate(p) == p for p in table.configurations())
    rows = {table.index(p) for p in table.space.sample(np.random.default_rng(1), 20_000)}
    assert rows == set(range(len(table)))  # every point a method can propose is a row, and every row a point


def test_minimum_is_the_best_final_error_for_the_seed(table):
    for seed in table.seeds:
        t = table.with_seed(seed)
        final = [t(p, seed=seed)["value"] for p in t.configurations()]
        assert t.minimum == min(final) and t(t.argmin)["value"] == t.minimum
    assert table.direction == "minimize" and 0 < table.minimum < 0.1


def test_seconds_mirror_the_checkpoints_of_keras_objective(table):
    params, seconds = table.params(7), table.curves("seconds")[7, 0]
    startup = seconds[0] - np.median(np.diff(seconds))
    first = table(params, budget=3)
    assert (first["epochs_trained"], first["seconds"]) == (3, pytest.approx(seconds[2]))
    promoted = table(params, budget=9)  # 6 more epochs, plus the start-up of a resumed run
    assert promoted["epochs_trained"] == 6
    assert promoted["seconds"] == pytest.approx(seconds[8] - seconds[2] + max(startup, 0))
    assert table(params, budget=9)["seconds"] == 0 and table(params, budget=9)["epochs_trained"] == 0
    assert table(params, budget=2)["seconds"] == pytest.approx(seconds[1])  # below the checkpoint: from scratch
    assert table(params, budget=9, seed=1)["epochs_trained"] == 9  # each seed has its own checkpoints
    table.reset()
    assert table(params, budget=9)["epochs_trained"] == 9


def test_seeds_pickling_and_speed(table):
    params = table.params(100)
    values = {s: table(params, seed=s)["value"] for s in table.seeds}
    assert values[table.seeds[1]] == table.with_seed(table.seeds[1])(params)["value"]
    copy = pickle.loads(pickle.dumps(table.with_seed(table.seeds[2])))
    assert len(pickle.dumps(table)) < 200 and copy.seed == table.seeds[2] and copy(params)["value"] == values[2]
    import timeit

    per_call = min(timeit.repeat(lambda: table(params, budget=5), number=1000, repeat=3)) / 1000
    assert per_call < 1e-3, per_call  # microseconds in practice; a millisecond even on a slow machine


@pytest.mark.parametrize("params, budget, seed, match", [
    ({"learning_rate": 1e-3}, None, None, r"missing \['units'"),
    ("extra", None, None, None),
    ("bad_value", None, None, r"learning_rate=0.005 is not in the table; choose one of \[0.0003"),
    ("bool", None, None, "n_layers=True is not in the table"),
    ("ok", 0, None, r"budget=0: the table holds whole epochs 1..27"),
    ("ok", 28, None, "budget=28"),
    ("ok", 2.5, None, "budget=2.5"),
    ("ok", None, 7, r"seed=7 is not in the table; it was trained with seeds \[0, 1, 2\]"),
])
def test_bad_calls_say_what_is_allowed(table, params, budget, seed, match):
    good = table.params(0)
    if isinstance(params, str):
        params = {"extra": {**good, "momentum": 0.9}, "bad_value": {**good, "learning_rate": 0.005},
                  "bool": {**good, "n_layers": True}, "ok": good}[params]
    with pytest.raises(ValueError, match=match or r"unknown \['momentum'\]"):
        table(params, budget=budget, seed=seed)
    with pytest.raises(ValueError, match="unknown"):
        benchmarks.tabular("cifar-cnn")


def test_simulated_workers_over_the_table(table):
    """Random search and ASHA on 4 simulated workers: each trial lasts the seconds the table recorded."""
    history = hl.run(table, hl.RandomSearch(table.space, seed=0), n_trials=20, n_workers=4,
                     executor=hl.Simulated(), progress=False)
    full = table.curves("seconds")[:, 0, -1]
    assert [t.duration for t in history] == pytest.approx([full[table.index(t.params)] for t in history])
    assert {t.worker for t in history} == {"sim-0", "sim-1", "sim-2", "sim-3"} and history.budget_spent == 20 * 27
    assert np.all(benchmarks.regret(history, table) >= 0) and history.direction == "minimize"
    table.reset()
    opt = hl.ASHA(table.space, min_budget=1, max_budget=27, eta=3, seed=0)
    history = hl.run(table, opt, total_budget=600, n_workers=4, executor=hl.Simulated(), progress=False)
    assert history.budget_spent <= 600 and len(history.completed) == len(history)
    assert sum(t.duration for t in history) == pytest.approx(sum(t.extras["seconds"] for t in history))
    assert any(t.extras["epochs_trained"] < t.budget for t in history)  # promotions resumed


@pytest.mark.slow
@pytest.mark.keras
def test_retraining_rows_gives_the_stored_counts(raw, table):
    """Two rows retrained by KerasObjective, one of them through a checkpoint (3, then 9 epochs)."""
    from hpo_lessons import keras_task as kt

    header, arrays = raw
    same_machine = header["versions"]["tensorflow"] == __import__("tensorflow").__version__ and header["cpu"] == \
        _cpu() and header["versions"]["python"] == platform.python_version()
    data = kt.load_data(**header["data"])
    for row, s, budgets in ((_row(table, dropout=0.3, activation="relu"), 1, (3, 9)),
                            (_row(table, dropout=0.0, activation="tanh", batch_size=128), 2, (27,))):
        objective = kt.KerasObjective(data, epochs=27, seed=header["seeds"][s], record_test=True)
        for b in budgets:
            result = objective(table.params(row), budget=b)
        curves = result["history"]
        val = np.rint(np.array(curves["val_accuracy"]) * 359).astype(int)
        test = np.rint(np.array(curves["test_accuracy"]) * 359).astype(int)
        stored_val, stored_test = arrays["val_correct"][row, s, :b], arrays["test_correct"][row, s, :b]
        if same_machine:
            assert val.tolist() == stored_val.tolist() and test.tolist() == stored_test.tolist(), row
        else:
            assert np.abs(val - stored_val).max() <= 2 and np.abs(test - stored_test).max() <= 2, row


def _row(table, **fixed) -> int:
    return next(i for i, p in enumerate(table.configurations())
                if all(p[k] == v for k, v in fixed.items()) and p["units"] == 64 and p["learning_rate"] == 3e-3)


def _cpu() -> str:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
    from make_tabular import cpu

    return cpu()


def test_a_grid_that_fixes_a_value_gives_a_one_choice_dimension():
    """A table made over a slice of the grid (tools/make_tabular.py --grid) may fix an integer
    hyperparameter to one value; its space must hold that value, not an empty Integer range."""
    from hpo_lessons.benchmarks.table import _dimension

    one, run, two = _dimension([16]), _dimension([1, 2, 3]), _dimension([16, 64])
    assert isinstance(one, hl.Categorical) and one.choices == [16]
    assert isinstance(run, hl.Integer) and (run.low, run.high) == (1, 3)
    assert isinstance(two, hl.Categorical) and two.choices == [16, 64]
