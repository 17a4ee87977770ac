"""Checks for chapter 7 (Keras Tuner): a hypermodel with one width per layer, the epochs
Hyperband really trains, and the environment of a distributed search.

Importing this module imports Keras Tuner (and so TensorFlow), as the chapter does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from unittest import mock

import keras
import keras_tuner as kt
from keras_tuner.src.distribute import utils as dist_utils

from ..benchmarks import branin
from ..frameworks import run_keras_tuner

ENV_NAMES = ("KERASTUNER_TUNER_ID", "KERASTUNER_ORACLE_IP", "KERASTUNER_ORACLE_PORT")


def _hidden_widths(model) -> list[int]:
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    return [int(layer.units) for layer in dense[:-1]]


def check_build_deep(build_deep: Callable) -> None:
    """``build_deep(hp)``: ``n_layers`` Dense layers (1 to 3), layer i of width ``units_i``, then a softmax."""
    hp = kt.HyperParameters()
    model = build_deep(hp)
    assert model is not None, "build_deep returned None: return the compiled keras model."
    assert getattr(model, "optimizer", None) is not None, "compile the model (Adam, sparse categorical cross-entropy)."
    names = {p.name: p for p in hp.space}
    assert "n_layers" in names, "register the depth as hp.Int('n_layers', 1, 3)."
    layers = names["n_layers"]
    assert isinstance(layers, kt.engine.hyperparameters.Int) and (layers.min_value, layers.max_value) == (1, 3), (
        f"n_layers should be hp.Int('n_layers', 1, 3), got {type(layers).__name__} {layers.get_config()}.")
    for n in (1, 2, 3):
        hp.values["n_layers"] = n
        widths = [8 + 16 * i for i in range(n)]  # a different width for every layer
        hp.values.update({f"units_{i}": w for i, w in enumerate(widths)})
        model = build_deep(hp)
        got = _hidden_widths(model)
        assert len(got) == n, (
            f"with n_layers={n} the model has {len(got)} hidden Dense layer(s); loop over "
            "range(hp.Int('n_layers', 1, 3)) and add one Dense layer per step.")
        if n > 1 and len(set(got)) == 1:
            raise AssertionError(f"every hidden layer has width {got[0]}: give layer i its own "
                                 "hp.Int(f'units_{i}', 8, 64) inside the loop.")
        assert got == widths, f"with units_0..units_{n - 1} = {widths} the hidden widths are {got}."
        last = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)][-1]
        assert last.units == 10, f"the output layer needs 10 units (one per digit), got {last.units}."
    names = {p.name: p for p in hp.space}
    for i in range(3):
        p = names.get(f"units_{i}")
        assert p is not None, f"units_{i} was never registered; name layer i's width hp.Int(f'units_{{i}}', 8, 64)."
        assert (p.min_value, p.max_value) == (8, 64), f"{p.name} should range over [8, 64], got {p.get_config()}."
    print("Right: units_2 is registered only once a trial has three layers; "
          f"the space now holds {len(hp.space)} hyperparameters.")


def _hyperband_records(max_epochs: int, factor: int) -> list[dict]:
    """One iteration of Keras Tuner's own HyperbandOracle, as trial records (no training: a stand-in score)."""
    bench = branin()
    history = run_keras_tuner(lambda params, epochs=1: bench(params) / epochs, bench.space, algorithm="hyperband",
                              n_trials=None, seed=0, max_epochs=max_epochs, factor=factor)
    return [{f"tuner/{k}": t.extras[k] for k in ("epochs", "initial_epoch", "bracket", "round")} for t in history]


def check_epochs_trained(epochs_trained: Callable) -> None:
    """``epochs_trained(records)``: epochs trained when promoted trials resume their parent's checkpoint."""
    for max_epochs, factor in [(9, 3), (8, 2), (27, 3)]:
        records = _hyperband_records(max_epochs, factor)
        got = epochs_trained([dict(r) for r in records])
        assert got is not None, "epochs_trained returned None: return the number of epochs."
        want = sum(r["tuner/epochs"] - r["tuner/initial_epoch"] for r in records)
        asked = sum(r["tuner/epochs"] for r in records)
        if got == asked != want:
            raise AssertionError(
                f"max_epochs={max_epochs}, factor={factor}: {asked} is what the trials ask for, but a promoted trial "
                "continues from its parent's checkpoint at tuner/initial_epoch, so it trains only "
                "tuner/epochs - tuner/initial_epoch.")
        assert got == want, (f"max_epochs={max_epochs}, factor={factor}: you give {got}, Keras Tuner trains {want} "
                             f"epochs over {len(records)} trials.")
    print(f"Right: one iteration with max_epochs=27, factor=3 runs {len(records)} trials and trains "
          f"{epochs_trained(records)} epochs, against {27 * len(records)} for as many full trainings.")


def check_tuner_env(tuner_env: Callable) -> None:
    """``tuner_env(tuner_id, ip, port)`` -> the three KERASTUNER_* variables, as strings."""
    for tuner_id, ip, port, chief in [("chief", "127.0.0.1", 8000, True), ("tuner0", "10.0.0.5", 50051, False),
                                      ("tuner7", "10.0.0.5", "50051", False)]:
        env = tuner_env(tuner_id, ip, port)
        assert isinstance(env, dict), f"tuner_env must return a dict of variables, got {type(env).__name__}."
        missing = sorted(set(ENV_NAMES) - set(env))
        assert not missing, f"missing {missing}; a distributed search needs all of {list(ENV_NAMES)}."
        wrong = {k: v for k, v in env.items() if not isinstance(v, str)}
        assert not wrong, f"environment variables are strings; convert {wrong} with str()."
        assert env == {"KERASTUNER_TUNER_ID": tuner_id, "KERASTUNER_ORACLE_IP": ip,
                       "KERASTUNER_ORACLE_PORT": str(port)}, f"for {tuner_id} at {ip}:{port} you give {env}."
        clean = {k: v for k, v in os.environ.items() if not k.startswith("KERASTUNER_")}
        with mock.patch.dict(os.environ, {**clean, **env}, clear=True):  # Keras Tuner's own reading of them
            assert dist_utils.has_chief_oracle() and dist_utils.is_chief_oracle() == chief
    print("Right: Keras Tuner reads these as a distributed search, with 'chief' serving the oracle.")
