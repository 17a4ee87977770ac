"""The ``hpo-lessons`` command: help, argument errors (exit 2), and end-to-end runs writing CSV and PNG."""

import os
import subprocess
import sys

import pandas as pd
import pytest

from hpo_lessons.cli import digits_space, main
from hpo_lessons.compare import COLUMNS
from hpo_lessons.experiments import registry


def test_help_documents_commands_methods_and_examples(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for text in ("--task", "--function", "--dim", "--methods", "--trials", "--seeds", "--epochs", "--profile",
                 "--out", "examples:", "hpo-lessons compare --function branin", *registry.names()):  # fmt: skip
        assert text in out
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0 and "compare" in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "usage: hpo-lessons" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--function", "branin", "--methods", "random,annealing"], "unknown method(s) annealing; choose from grid"),
        (["--function", "branin", "--methods", "random,random"], "lists a method twice"),
        (["--function", "branin", "--trials", "0"], "--trials: must be at least 1"),
        (["--function", "branin", "--seeds", "two"], "--seeds: 'two' is not a whole number"),
        (["--function", "branin", "--task", "digits"], "not allowed with argument"),
        (["--function", "himmelblau"], "unknown function 'himmelblau'; choose from ackley, branin"),
        (["--function", "branin", "--dim", "3"], "branin has a fixed dimension"),
        (["--function", "branin", "--epochs", "3"], "--epochs applies to --task"),
        (["--task", "digits", "--dim", "3"], "--dim applies to --function"),
        (["--task", "imagenet"], "invalid choice: 'imagenet'"),
        (["--function", "branin", "--profile", "huge"], "invalid choice: 'huge'"),
        (["--function", "branin", "--metric", "val_loss"], "--metric applies to --task"),
        (["--function", "branin", "--jobs", "0"], "--jobs: must be at least 1"),
        (["--function", "branin", "--workers", "0"], "--workers: must be at least 1"),
        (["--function", "branin", "--methods", "random,sh"], "sh gives each trial a budget"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", *argv, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: hpo-lessons compare" in err and message in err
    assert not list(tmp_path.iterdir())  # nothing ran


def _check_outputs(folder, name, methods, trials, seeds):
    table = pd.read_csv(folder / f"compare_{name}.csv")
    assert list(table.columns[: len(COLUMNS)]) == COLUMNS
    assert sorted(table["method"].unique()) == sorted(methods)
    assert len(table) == len(methods) * trials * seeds
    png = folder / f"convergence_{name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return table


def test_compare_on_a_synthetic_function_writes_csv_and_png(tmp_path, capsys):
    argv = ["compare", "--function", "branin", "--methods", "random,bayes", "--trials", "5", "--seeds", "2",
            "--out", str(tmp_path / "results"), "--quiet"]  # fmt: skip
    assert main(argv) == 0
    table = _check_outputs(tmp_path / "results", "branin", ["random", "bayes"], 5, 2)
    assert (table["regret"] >= 0).all()
    out = capsys.readouterr().out
    assert "median_regret" in out and "compare_branin.csv" in out


def test_compare_with_dim_and_jobs_through_python_dash_m(tmp_path):
    # --jobs 2 starts worker processes, which import hpo_lessons.__main__ again: it must not rerun the command.
    env = dict(os.environ, HPO_LESSONS_PROFILE="quick")
    argv = [sys.executable, "-m", "hpo_lessons", "compare", "--function", "ackley", "--dim", "3", "--methods",
            "random,genetic", "--trials", "4", "--seeds", "2", "--jobs", "2", "--out", str(tmp_path),
            "--quiet"]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("trials x") == 1  # the command ran once
    table = _check_outputs(tmp_path, "ackley3", ["random", "genetic"], 4, 2)
    assert {"params_x1", "params_x2", "params_x3"} <= set(table.columns)
    assert "genetic" in done.stdout


TENSORFLOW_START_UP = ("cuInit", "cuda_platform", "cudart_stub", "cpu_feature_guard", "oneDNN", "absl::InitializeLog",
                       "I0000", "E0000", "W0000")


@pytest.mark.slow
def test_keras_tuner_methods_keep_tensorflows_start_up_lines_off_the_terminal(tmp_path):
    """The defect: the command printed TensorFlow's C++ start-up lines (failed call to cuInit, CPU instruction
    notices) because the profile's GPU probe imported TensorFlow before tf_setup could silence it."""
    env = {k: v for k, v in os.environ.items() if k not in ("HPO_LESSONS_PROFILE", "TF_CPP_MIN_LOG_LEVEL")}
    argv = [sys.executable, "-m", "hpo_lessons", "compare", "--function", "branin", "--methods", "random,kt-bayesian",
            "--trials", "3", "--seeds", "1", "--workers", "2", "--out", str(tmp_path), "--quiet"]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    noise = [line for line in done.stderr.splitlines() if any(mark in line for mark in TENSORFLOW_START_UP)]
    assert noise == []
    _check_outputs(tmp_path, "branin", ["random", "kt-bayesian"], 3, 1)
    assert "kt-bayesian" in done.stdout


def test_workers_run_trials_side_by_side_with_the_trials_of_one_worker(tmp_path):
    """Reference: the same command with one worker; random search's proposals do not depend on results."""
    tables = []
    for workers in ("1", "3"):
        argv = ["compare", "--function", "branin", "--methods", "random", "--trials", "6", "--seeds", "2",
                "--workers", workers, "--out", str(tmp_path / workers), "--quiet"]  # fmt: skip
        assert main(argv) == 0
        tables.append(pd.read_csv(tmp_path / workers / "compare_branin.csv").sort_values(["seed", "id"]))
    columns = ["seed", "id", "params_x1", "params_x2", "value"]
    pd.testing.assert_frame_equal(tables[0][columns].reset_index(drop=True), tables[1][columns].reset_index(drop=True))


def test_the_default_network_space():
    space = digits_space()
    assert space.names == ["learning_rate", "units", "n_layers", "activation", "dropout"]
    assert space["learning_rate"].log and space["units"].log


@pytest.mark.keras
@pytest.mark.slow
def test_compare_on_digits(tmp_path, capsys):
    from hpo_lessons import keras_task
    from hpo_lessons.cli import METRICS, TASKS

    assert TASKS == keras_task.DATASETS and set(METRICS) == set(keras_task.METRICS)
    argv = ["compare", "--task", "digits", "--methods", "random", "--trials", "2", "--seeds", "1", "--epochs", "1",
            "--out", str(tmp_path), "--quiet"]  # fmt: skip
    assert main(argv) == 0
    table = _check_outputs(tmp_path, "digits", ["random"], 2, 1)
    assert table["value"].between(0, 1).all() and "regret" not in table
    assert table["best_so_far"].is_monotonic_increasing  # val_accuracy is maximized
    assert "median_best" in capsys.readouterr().out


def test_out_must_be_a_folder(tmp_path, capsys):
    taken = tmp_path / "results"
    taken.write_text("not a folder")
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--function", "branin", "--out", str(taken)])
    assert exit_info.value.code == 2 and "is a file" in capsys.readouterr().err
