"""tools/make_tabular.py, the script that makes the shipped learning-curve table, run on a tiny slice.

Reference: the shipped table (``hpo_lessons/data/digits_mlp.npz``). Two configurations, two
seeds and three epochs, made into a temporary directory, must load with the package's loader
(``hpo_lessons.benchmarks.table.load``) in the shipped format, and each row must be the
first three epochs of the shipped row for the same configuration and seed: the same counts
when made with the software and CPU the shipped table names (training is deterministic
there), within two images otherwise.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from hpo_lessons import benchmarks
from hpo_lessons.benchmarks import table as table_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "make_tabular.py")
SLICE = {"learning_rate": [0.01], "units": [16], "n_layers": [1], "activation": ["relu", "tanh"],
         "dropout": [0.0], "batch_size": [128]}  # two small, fast configurations
SEEDS, EPOCHS = [0, 2], 3


def tool():
    sys.path.insert(0, os.path.dirname(TOOL))
    try:
        import make_tabular
    finally:
        sys.path.pop(0)
    return make_tabular


def make(tmp_path, *extra):
    args = [sys.executable, TOOL, "--work", str(tmp_path / "work"), "--out", str(tmp_path / "tiny.npz"),
            "--grid", json.dumps(SLICE), "--seeds", *map(str, SEEDS), "--epochs", str(EPOCHS), *extra]
    return subprocess.run(args, capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})


@pytest.fixture
def load_tiny(tmp_path, monkeypatch):
    """The package's loader pointed at the tiny table: TABLES names a file under hpo_lessons/data, and
    joining an absolute path there gives that path, so the loader reads the file the tool wrote."""
    monkeypatch.setitem(table_module.TABLES, "tiny", str(tmp_path / "tiny.npz"))
    monkeypatch.setattr(table_module, "_loaded", {})  # nothing cached from other tests, nothing left behind
    return lambda: table_module.load("tiny")


@pytest.mark.slow
@pytest.mark.keras
def test_a_slice_made_by_the_tool_is_the_start_of_the_shipped_rows(tmp_path, load_tiny):
    first = make(tmp_path, "--limit", "1")  # stops after one row: no table yet, the row is kept
    assert "0 of 4 rows done; 4 to go" in first.stdout and not (tmp_path / "tiny.npz").exists()
    second = make(tmp_path)  # carries on where the first stopped
    assert "1 of 4 rows done; 3 to go" in second.stdout and "wrote" in second.stdout
    header, arrays = load_tiny()
    shipped_header, shipped = table_module.load("digits-mlp")
    assert set(header) == set(shipped_header) and set(arrays) == set(shipped)  # the shipped format
    assert (header["grid"], header["seeds"], header["epochs"]) == (SLICE, SEEDS, EPOCHS)
    assert {k: (a.dtype, a.shape[1:]) for k, a in arrays.items()} == {
        "val_correct": (np.uint16, (2, 3)), "test_correct": (np.uint16, (2, 3)), "seconds": (np.float32, (2, 3)),
        "failed": (bool, (2,))} and len(arrays["val_correct"]) == 2
    assert not arrays["failed"].any() and np.all(np.diff(arrays["seconds"], axis=2) > 0)
    same_machine = (header["versions"], header["cpu"]) == (shipped_header["versions"], shipped_header["cpu"])
    table = benchmarks.tabular("digits-mlp")
    for i, params in enumerate(tool().configurations(header["grid"])):
        row = table.index(params)
        for s, seed in enumerate(SEEDS):
            k = shipped_header["seeds"].index(seed)
            for name in ("val_correct", "test_correct"):
                ours, theirs = arrays[name][i, s].astype(int), shipped[name][row, k, :EPOCHS].astype(int)
                if same_machine:
                    assert ours.tolist() == theirs.tolist(), (params, seed, name)
                else:
                    assert np.abs(ours - theirs).max() <= 2, (params, seed, name)


@pytest.mark.parametrize("argv, match", [
    (["--grid", '{"units": [17]}'], r"--grid: units must be a non-empty list of values from \[16, 64, 256\]"),
    (["--grid", '{"width": [16]}'], r"--grid must map some of \['learning_rate'"),
    (["--grid", "units=16"], "--grid must be JSON"),
    (["--seeds", "3"], r"--seeds must be distinct values from \[0, 1, 2\]"),
    (["--epochs", "28"], "--epochs must be between 1 and 27"),
])
def test_bad_slices_are_refused_before_any_training(argv, match, tmp_path):
    with pytest.raises(SystemExit, match=match):
        tool().main(["--work", str(tmp_path), "--out", str(tmp_path / "x.npz"), *argv])
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_default_is_the_shipped_grid():
    """Without options the tool makes the shipped table: its grid, seeds and epochs, in its row order."""
    make_tabular, (header, _) = tool(), table_module.load("digits-mlp")
    assert (make_tabular.GRID, list(make_tabular.SEEDS), make_tabular.EPOCHS) == (
        header["grid"], header["seeds"], header["epochs"])
    assert make_tabular.configurations() == benchmarks.tabular("digits-mlp").configurations()
    assert make_tabular.sub_grid(json.dumps(SLICE)) == SLICE and make_tabular.sub_grid(None) is make_tabular.GRID
