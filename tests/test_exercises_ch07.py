"""Chapter 7 exercise checks accept the worked solutions and reject typical wrong answers.
References: Keras Tuner itself: the hyperparameters a build registers, its own HyperbandOracle's
schedule, and its own reading of the distributed-tuning environment variables."""

import keras
import pytest

from hpo_lessons.exercises import ch07

pytestmark = pytest.mark.keras


def build_deep(hp):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    for i in range(hp.Int("n_layers", 1, 3)):
        model.add(keras.layers.Dense(hp.Int(f"units_{i}", 8, 64), activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def shared_width(hp):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    units = hp.Int("units", 8, 64)
    for _ in range(hp.Int("n_layers", 1, 3)):
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile("adam", loss="sparse_categorical_crossentropy")
    return model


def one_layer(hp):
    hp.Int("n_layers", 1, 3)
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(hp.Int("units_0", 8, 64)), keras.layers.Dense(10, "softmax")])
    model.compile("adam", loss="sparse_categorical_crossentropy")
    return model


def epochs_trained(records):
    return sum(r["tuner/epochs"] - r["tuner/initial_epoch"] for r in records)


def tuner_env(tuner_id, ip, port):
    return {"KERASTUNER_TUNER_ID": str(tuner_id), "KERASTUNER_ORACLE_IP": str(ip), "KERASTUNER_ORACLE_PORT": str(port)}


def test_build_deep_accepts_the_solution(capsys):
    ch07.check_build_deep(build_deep)
    assert "Right" in capsys.readouterr().out


def test_build_deep_rejects_one_width_for_all_layers_and_a_fixed_depth():
    with pytest.raises(AssertionError, match="its own"):
        ch07.check_build_deep(shared_width)
    with pytest.raises(AssertionError, match="hidden Dense layer"):
        ch07.check_build_deep(one_layer)
    with pytest.raises(AssertionError, match="returned None"):
        ch07.check_build_deep(lambda hp: None)


def test_the_hyperband_reference_resumes_promoted_trials():
    """Reference for the check itself: Keras Tuner's HyperbandOracle promotes some trials (initial_epoch > 0)."""
    records = ch07._hyperband_records(9, 3)
    assert any(r["tuner/initial_epoch"] > 0 for r in records)
    assert max(r["tuner/epochs"] for r in records) == 9


def test_epochs_trained_accepts_the_solution(capsys):
    ch07.check_epochs_trained(epochs_trained)
    assert "Right" in capsys.readouterr().out


def test_epochs_trained_rejects_the_epochs_asked_for():
    with pytest.raises(AssertionError, match="checkpoint"):
        ch07.check_epochs_trained(lambda records: sum(r["tuner/epochs"] for r in records))
    with pytest.raises(AssertionError, match="Keras Tuner trains"):
        ch07.check_epochs_trained(lambda records: len(records))


def test_tuner_env_accepts_the_solution(capsys):
    ch07.check_tuner_env(tuner_env)
    assert "Right" in capsys.readouterr().out


def test_tuner_env_rejects_an_int_port_and_a_missing_variable():
    with pytest.raises(AssertionError, match="strings"):
        ch07.check_tuner_env(lambda tid, ip, port: {**tuner_env(tid, ip, port), "KERASTUNER_ORACLE_PORT": port})
    with pytest.raises(AssertionError, match="missing"):
        ch07.check_tuner_env(lambda tid, ip, port: {"KERASTUNER_TUNER_ID": tid, "KERASTUNER_ORACLE_IP": ip})
