"""Keras Tuner and Optuna on our spaces and objectives: translation, the run_keras_tuner / run_optuna
conveniences over hl.run, failures, seeds, and GeneticOracle inside Keras Tuner's own tuners.

References: Keras Tuner's own ``HyperParameters`` (types, sampling, its ``prob_to_value``), its
``HyperbandOracle`` schedule, and ``hpo_lessons.core.run`` with the same ``GeneticAlgorithm`` for the
GA running inside Keras Tuner. The adapters themselves are tested in test_kt_adapter.py and
test_optuna_adapter.py.
"""

import math
import os
import sys
import tempfile

import keras_tuner as kt
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import hpo_lessons as hl
from hpo_lessons import Categorical, Integer, Real, Space, TooManyFailures
from hpo_lessons import frameworks as fw
from hpo_lessons.core.objective import epochs_mode
from hpo_lessons.frameworks.kt_oracle import GeneticOracle


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """One BLAS thread: on a busy 2-core machine, threaded OpenBLAS made each L-BFGS-B step of Keras
    Tuner's Bayesian optimizer take about 12 ms instead of 1 ms (scipy 1.17)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def mixed_space():
    return Space(lr=Real(1e-4, 1e-1, log=True), units=Integer(8, 256, log=True), layers=Integer(1, 4),
                 act=Categorical(["relu", "tanh", "elu"]), batch=Categorical([16, 32, 64]),
                 dropout=Real(0.0, 0.5), bn=Categorical([False, True]))


def bowl(p):
    """A smooth function of every dimension of ``mixed_space``, minimum near lr=1e-2, units=64."""
    return ((math.log10(p["lr"]) + 2) ** 2 + (math.log2(p["units"]) - 6) ** 2 / 4 + 0.1 * p["layers"]
            + {"relu": 0.0, "tanh": 0.3, "elu": 0.1}[p["act"]] + p["batch"] / 640 + p["dropout"] + 0.2 * p["bn"])


def params_of(history):
    return [t.params for t in history]


def bowl_epochs(p, budget):
    """``bowl`` after ``budget`` epochs of training: worse the shorter the training."""
    return bowl(p) + 1.0 / budget


# -- translation -----------------------------------------------------------------------------------
def test_space_to_hyperparameters_and_back():
    space = mixed_space()
    hp = fw.to_hyperparameters(space)
    kinds = {p.name: (type(p).__name__, getattr(p, "sampling", None)) for p in hp.space}
    assert [p.name for p in hp.space] == space.names
    assert kinds["lr"] == ("Float", "log") and kinds["dropout"] == ("Float", "linear")
    assert kinds["units"] == ("Int", "log") and kinds["layers"] == ("Int", "linear")
    assert kinds["act"][0] == kinds["batch"][0] == "Choice" and kinds["bn"][0] == "Boolean"
    assert list(hp.space[4].values) == [16, 32, 64]
    assert fw.from_hyperparameters(hp) == space


def test_keras_tuner_samples_become_valid_python_params():
    space = mixed_space()
    hp = fw.to_hyperparameters(space)
    for seed in range(50):
        values = {p.name: p.random_sample(seed * 10 + i) for i, p in enumerate(hp.space)}
        values["tuner/epochs"] = 3  # Hyperband's keys are dropped
        params = fw.params_from_hp(values, space)
        assert list(params) == space.names and space.validate(params) == params
        assert type(params["units"]) is int and type(params["lr"]) is float


def test_params_from_hp_converts_types_and_clips_keras_tuners_log_int_edge():
    space = Space(units=Integer(16, 256, log=True), lr=Real(1e-3, 1e-1, log=True), act=Categorical(["a", "b"]))
    edge = fw.to_hyperparameters(space).space[0].prob_to_value(1.0)
    assert edge == 257  # Keras Tuner's own value at probability 1.0, one past max_value
    params = fw.params_from_hp({"act": np.str_("b"), "lr": np.float32(0.01), "units": edge}, space)
    assert params == {"units": 256, "lr": pytest.approx(0.01), "act": "b"}
    assert [type(v) for v in params.values()] == [int, float, str]
    with pytest.raises(ValueError, match="lacks"):
        fw.params_from_hp({"units": 16}, space)


@pytest.mark.parametrize("choices, match", [
    ([1, "a"], "one type"), ([1, 2.5], "one type"), (["a", None], "None"), ([True, False], "booleans"),
])
def test_categoricals_keras_tuner_cannot_hold_are_rejected(choices, match):
    with pytest.raises(TypeError, match=match):
        fw.to_hyperparameters(Space(x=Real(0, 1), c=Categorical(choices)))


def test_other_bad_spaces_are_rejected():
    with pytest.raises(ValueError, match="Keras Tuner's own"):
        fw.to_hyperparameters(Space(**{"tuner/epochs": Integer(1, 3)}))
    with pytest.raises(TypeError, match="Space"):
        fw.to_hyperparameters({"x": Real(0, 1)})
    hp = kt.HyperParameters()
    hp.Choice("model", ["a", "b"])
    with hp.conditional_scope("model", ["a"]):
        hp.Int("units", 1, 4)
    with pytest.raises(ValueError, match="conditional"):
        fw.from_hyperparameters(hp)
    hp = kt.HyperParameters()
    hp.Float("x", 1.0, 2.0, sampling="reverse_log")
    with pytest.raises(ValueError, match="reverse_log"):
        fw.from_hyperparameters(hp)
    with pytest.raises(ValueError, match="no tunable"):
        fw.from_hyperparameters(kt.HyperParameters())


def test_keras_tuner_extras_map_to_space_dimensions():
    hp = kt.HyperParameters()
    hp.Int("units", 32, 128, step=32)
    hp.Boolean("bn")
    hp.Fixed("epochs", 5)
    hp.Float("rate", 0.0, 0.5, step=0.25)
    space = fw.from_hyperparameters(hp)
    assert space.names == ["units", "bn", "rate"]  # Fixed is a constant, not a dimension
    assert space["units"].choices == [32, 64, 96, 128] and space["bn"].choices == [False, True]
    assert space["rate"].choices == [0.0, 0.25, 0.5]


# -- run_keras_tuner on a synthetic objective -------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["random", "grid", "bayesian", "hyperband", "genetic"])
def test_every_keras_tuner_algorithm_returns_a_full_history(algorithm):
    space = mixed_space()
    kwargs = {"bayesian": {"num_initial_points": 4}, "hyperband": {"max_epochs": 9}}.get(algorithm, {})
    objective = bowl_epochs if algorithm == "hyperband" else bowl
    history = fw.run_keras_tuner(objective, space, algorithm, n_trials=6, seed=0, **kwargs)
    assert isinstance(history, hl.History) and history.name.startswith("keras_tuner.")
    assert len(history) == 6 and [t.number for t in history] == list(range(6)) == [t.id for t in history]
    for trial in history:
        assert trial.ok and list(trial.params) == space.names and space.validate(trial.params) == trial.params
        want = bowl_epochs(trial.params, trial.budget) if algorithm == "hyperband" else bowl(trial.params)
        assert trial.value == want and trial.duration >= 0 and trial.start > 0
        assert type(trial.params["units"]) is int and type(trial.params["batch"]) is int
        assert (trial.budget == trial.extras["epochs"]) if algorithm == "hyperband" else trial.budget is None
    if algorithm == "grid":  # Keras Tuner's grid starts at the defaults: every min_value, every first choice
        assert history[0].params == {"lr": 1e-4, "units": 8, "layers": 1, "act": "relu", "batch": 16,
                                     "dropout": 0.0, "bn": False}


def test_bayesian_direction_maximize_keeps_values_as_returned():
    space = mixed_space()
    history = fw.run_keras_tuner(lambda p: -bowl(p), space, "bayesian", n_trials=4, seed=1, direction="maximize",
                                 num_initial_points=2)
    assert history.direction == "maximize" and all(t.value == -bowl(t.params) for t in history)
    assert history.best_value == max(t.value for t in history)


@pytest.mark.parametrize("algorithm", ["random", "bayesian", "hyperband", "genetic"])
def test_same_seed_same_trials(algorithm):
    space = mixed_space()
    kwargs = {"bayesian": {"num_initial_points": 2}, "hyperband": {"max_epochs": 9}}.get(algorithm, {})
    objective = bowl_epochs if algorithm == "hyperband" else bowl
    first, again = (fw.run_keras_tuner(objective, space, algorithm, n_trials=4, seed=0, **kwargs) for _ in range(2))
    other = fw.run_keras_tuner(objective, space, algorithm, n_trials=2, seed=1, **kwargs)
    assert params_of(first) == params_of(again)  # for "bayesian", two of the four come from its GP
    assert params_of(first)[:2] != params_of(other)  # seed 0 is a seed, not Keras Tuner's "no seed"


def test_genetic_inside_keras_tuner_proposes_what_hl_run_proposes():
    """Reference: the same GeneticAlgorithm driven by hpo_lessons.core.run, same seed and population."""
    space = mixed_space()
    ours = hl.run(bowl, hl.GeneticAlgorithm(space, population_size=4, seed=3), n_trials=12, progress=False)
    inside = fw.run_keras_tuner(bowl, space, "genetic", n_trials=12, seed=3, population_size=4)
    assert params_of(inside) == params_of(ours)
    assert [t.value for t in inside] == [t.value for t in ours]


def test_hyperband_budget_and_epochs_passed_to_the_objective():
    space = Space(x=Real(-2.0, 2.0), kind=Categorical(["a", "b"]))
    got = []

    class Trainer:
        epochs = 9  # becomes max_epochs

        def __call__(self, params, epochs=1):
            got.append(epochs)
            return (params["x"] - 0.5) ** 2 + (params["kind"] == "b") + 1.0 / epochs

    history = fw.run_keras_tuner(Trainer(), space, "hyperband", n_trials=20, seed=0, factor=3)
    reference = kt.oracles.HyperbandOracle(max_epochs=9, factor=3)
    schedule = {reference._get_epochs(b, r) for b in range(reference._get_num_brackets()) for r in range(b + 1)}
    assert len(history) == 20 and got == [t.extras["epochs"] for t in history]
    assert set(got) <= schedule == {1, 3, 9}
    seen = []
    for trial in history:
        if trial.extras["round"] > 0:  # successive halving re-runs an earlier configuration for longer
            assert trial.params in seen and trial.extras["initial_epoch"] < trial.extras["epochs"]
        else:
            assert trial.extras["initial_epoch"] == 0
        seen.append(trial.params)
    assert any(t.extras["round"] > 0 for t in history)


def test_hyperband_epochs_reach_a_keras_objective_through_params():
    """``KerasObjective`` takes no epochs keyword; its params may override its ``epochs`` budget."""
    space = Space(x=Real(-2.0, 2.0))

    class Budgeted:
        def __init__(self, epochs):
            self.epochs, self.got = epochs, []

        def __call__(self, params):
            self.got.append(params.get("epochs", self.epochs))
            return {"value": params["x"] ** 2, "epochs": params.get("epochs", self.epochs)}

    objective = Budgeted(3)
    assert epochs_mode(objective) == "params" and epochs_mode(bowl) is None
    history = fw.run_keras_tuner(objective, space, "hyperband", n_trials=6, seed=0)
    assert objective.got == [1, 1, 1, 3, 3, 3] == [t.extras["epochs"] for t in history]  # max_epochs=3, factor 3
    assert all(list(t.params) == ["x"] for t in history)
    with pytest.raises(ValueError, match="max_epochs"):
        fw.run_keras_tuner(Budgeted(None), space, "hyperband", n_trials=2)


def test_failed_trials_are_recorded_and_the_search_goes_on():
    space = Space(x=Real(0.0, 1.0), kind=Categorical(["ok", "nan", "raise"]))

    def objective(p):
        if p["kind"] == "raise":
            raise RuntimeError("diverged")
        return math.nan if p["kind"] == "nan" else p["x"]

    for algorithm, kwargs in [("random", {}), ("bayesian", {"num_initial_points": 2}), ("genetic", {})]:
        history = fw.run_keras_tuner(objective, space, algorithm, n_trials=8, seed=2, max_consecutive_failures=8,
                                     **kwargs)
        assert len(history) == 8 and history.failed and history.completed
        for trial in history.failed:
            assert trial.value is None and trial.status == "failed"
            assert ("diverged" in trial.error) if trial.params["kind"] == "raise" else ("non-finite" in trial.error)
        assert all(t.params["kind"] == "ok" for t in history.completed)


def test_too_many_failures_in_a_row_stops_with_the_history_and_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(TooManyFailures) as info:
        fw.run_keras_tuner(lambda p: 1 / 0, Space(x=Real(0, 1)), "random", n_trials=10, seed=0,
                           max_consecutive_failures=3)
    assert len(info.value.history) == 3 and all("ZeroDivisionError" in t.error for t in info.value.history)
    assert os.listdir(tmp_path) == []


def test_keras_tuner_files_only_in_a_directory_given(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.chdir(tmp_path)
    fw.run_keras_tuner(bowl, mixed_space(), "random", n_trials=3, seed=0)
    assert os.listdir(tmp_path / "tmp") == [] and sorted(os.listdir(tmp_path)) == ["tmp"]
    history = fw.run_keras_tuner(bowl, mixed_space(), "random", n_trials=3, seed=0, directory=str(tmp_path / "kt"))
    assert sorted(os.listdir(tmp_path / "kt" / "random")) == ["oracle.json", "trial_0000", "trial_0001", "trial_0002"]
    stored = kt.engine.trial.Trial.load(str(tmp_path / "kt" / "random" / "trial_0002" / "trial.json"))
    assert stored.status == "COMPLETED" and stored.score == history[2].value  # Keras Tuner's own record


def test_keras_tuner_prints_nothing(capfd):
    fw.run_keras_tuner(bowl, mixed_space(), "bayesian", n_trials=4, seed=0, num_initial_points=2)
    fw.run_keras_tuner(bowl_epochs, mixed_space(), "hyperband", n_trials=4, seed=0, max_epochs=3)
    assert capfd.readouterr().out == ""


def test_bad_arguments_fail_before_any_trial():
    calls = []
    objective = lambda p: calls.append(p) or 0.0  # noqa: E731
    for kwargs, error in [({"algorithm": "annealing"}, ValueError), ({"n_trials": None}, ValueError),
                          ({"n_trials": 0}, ValueError), ({"seed": -1}, ValueError), ({"direction": "up"}, ValueError),
                          ({"max_trials": 5}, ValueError)]:
        with pytest.raises(error):
            fw.run_keras_tuner(objective, mixed_space(), **{"n_trials": 3, **kwargs})
    with pytest.raises(TypeError):
        fw.run_keras_tuner("loss", mixed_space())
    assert calls == []


# -- GeneticOracle as a plain Keras Tuner oracle -----------------------------------------------------
class Quadratic(kt.engine.base_tuner.BaseTuner):
    """A tuner whose run_trial declares its hyperparameters itself, as Keras Tuner's guides show."""

    def run_trial(self, trial, *args, **kwargs):
        hp = trial.hyperparameters
        x, units = hp.Float("x", -2.0, 2.0), hp.Int("units", 1, 8)
        return (x - 0.5) ** 2 + (units - 3) ** 2


def test_genetic_oracle_registers_the_space_with_a_default_trial_then_runs_the_ga(tmp_path):
    oracle = GeneticOracle(max_trials=9, population_size=4, seed=0)
    tuner = Quadratic(oracle=oracle, directory=str(tmp_path), project_name="q")
    tuner.search(verbose=0)
    trials = [oracle.trials[i] for i in oracle.start_order]
    assert trials[0].hyperparameters.values == {"x": -2.0, "units": 1}  # Keras Tuner's defaults
    assert oracle.space.names == ["x", "units"] and len(oracle.ga.y) == 8  # every later trial told to the GA
    assert oracle.ga.y == [t.score for t in trials[1:]]  # minimized objective: not negated
    best = tuner.get_best_hyperparameters()[0].values
    assert (best["x"] - 0.5) ** 2 + (best["units"] - 3) ** 2 == min(t.score for t in trials)


def test_genetic_oracle_checks_its_settings_when_built():
    with pytest.raises(ValueError, match="population_size"):
        GeneticOracle(max_trials=4, population_size=1)
    with pytest.raises(ValueError, match="crossover"):
        GeneticOracle(max_trials=4, crossover="one-point")


def test_genetic_oracle_resumes_a_reloaded_project_as_if_never_stopped(tmp_path):
    def search(max_trials, directory, overwrite):
        oracle = GeneticOracle(max_trials=max_trials, population_size=3, seed=5)
        Quadratic(oracle=oracle, directory=directory, project_name="q", overwrite=overwrite).search(verbose=0)
        return [oracle.trials[i].hyperparameters.values for i in oracle.start_order]

    straight = search(10, str(tmp_path / "a"), True)
    search(5, str(tmp_path / "b"), True)
    resumed = search(10, str(tmp_path / "b"), False)
    assert resumed == straight


# -- Optuna ----------------------------------------------------------------------------------------
def test_run_optuna_same_seed_same_trials_and_records_failures(capfd):
    pytest.importorskip("optuna")  # the "compare" extra
    space = mixed_space()

    def objective(p):
        if p["act"] == "elu":
            raise ValueError("no elu today")
        return bowl(p)

    runs = [fw.run_optuna(objective, space, sampler, n_trials=12, seed=s)
            for sampler, s in (("tpe", 0), ("tpe", 0), ("tpe", 1), ("random", 0))]
    assert params_of(runs[0]) == params_of(runs[1]) != params_of(runs[2])
    for history in runs:
        assert len(history) == 12 and history.name.startswith("optuna.")
        assert all(space.validate(t.params) == t.params and type(t.params["units"]) is int for t in history)
        assert all(t.ok == (t.params["act"] != "elu") for t in history)
        assert all("no elu today" in t.error for t in history.failed)
        assert all(t.value == bowl(t.params) for t in history.completed)
    assert capfd.readouterr().out == ""


def test_run_optuna_bad_arguments():
    optuna = pytest.importorskip("optuna")  # the "compare" extra
    with pytest.raises(ValueError, match="sampler"):
        fw.run_optuna(bowl, mixed_space(), "cmaes-please", n_trials=2)
    with pytest.raises(ValueError, match="seed"):
        fw.run_optuna(bowl, mixed_space(), optuna.samplers.RandomSampler(seed=0), n_trials=2, seed=0)
    history = fw.run_optuna(lambda p: -bowl(p), mixed_space(), optuna.samplers.RandomSampler(seed=0), n_trials=4,
                            direction="maximize")
    assert history.best_value == max(t.value for t in history)


def test_run_optuna_without_optuna_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # what an environment without Optuna looks like
    with pytest.raises(ImportError, match=r'pip install "hpo-lessons\[compare\]"'):
        fw.run_optuna(bowl, mixed_space(), n_trials=2)


# -- the digits task ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digits():
    from hpo_lessons import keras_task

    return keras_task, keras_task.load_data("digits")


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ["random", "bayesian", "hyperband"])
def test_keras_tuner_on_digits_with_the_keras_objective(digits, algorithm):
    keras_task, data = digits
    space = Space(learning_rate=Real(1e-3, 3e-2, log=True), units=Integer(8, 32, log=True),
                  activation=Categorical(["relu", "tanh"]))
    objective = keras_task.KerasObjective(data, epochs=3 if algorithm == "hyperband" else 2, seed=0)
    kwargs = {"num_initial_points": 2} if algorithm == "bayesian" else {}
    history = fw.run_keras_tuner(objective, space, algorithm, n_trials=3 + (algorithm == "hyperband"), seed=0,
                                 direction=objective.direction, **kwargs)
    assert all(t.ok for t in history), [t.error for t in history]
    assert all(0.0 <= t.value <= 1.0 for t in history) and history.best_value > 0.3
    assert all(len(t.extras["history"]["loss"]) == t.extras["epochs"] for t in history)  # epochs really trained
    expected = [1, 1, 1, 3] if algorithm == "hyperband" else [2, 2, 2]  # Hyperband: 3 at 1 epoch, the best for 3
    assert [t.extras["epochs"] for t in history] == expected == [t.budget for t in history]
    if algorithm == "hyperband":  # the promotion resumes its 1-epoch checkpoint: 2 more epochs, not 3
        assert [t.extras["epochs_trained"] for t in history] == [1, 1, 1, 2]
        assert history[-1].params in [t.params for t in history[:3]] and history[-1].extras["initial_epoch"] == 1


@pytest.mark.keras
@pytest.mark.slow
def test_genetic_oracle_in_a_real_keras_tuner_search(digits, tmp_path):
    import keras

    _, data = digits

    def build(hp):
        model = keras.Sequential([
            keras.Input(data.input_shape),
            keras.layers.Flatten(),
            keras.layers.Dense(hp.Int("units", 8, 32, step=8), activation=hp.Choice("activation", ["relu", "tanh"])),
            keras.layers.Dense(data.num_classes, activation="softmax"),
        ])
        model.compile(keras.optimizers.Adam(hp.Float("learning_rate", 1e-3, 3e-2, sampling="log")),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    oracle = GeneticOracle(objective=kt.Objective("val_accuracy", "max"), max_trials=4, population_size=2, seed=0)
    tuner = kt.Tuner(oracle=oracle, hypermodel=build, directory=str(tmp_path), project_name="ga")
    tuner.search(data.x_train, data.y_train, epochs=1, batch_size=64, validation_data=(data.x_val, data.y_val),
                 verbose=0)
    trials = [oracle.trials[i] for i in oracle.start_order]
    assert len(trials) == 4 and all(t.status == "COMPLETED" for t in trials)
    assert oracle.space.names == ["units", "activation", "learning_rate"]  # registered by build(hp) up front
    assert oracle.ga.y == [-t.score for t in trials]  # the GA minimizes the negated accuracy
    best = tuner.get_best_hyperparameters()[0].values
    assert oracle.space.validate(fw.params_from_hp(best, oracle.space))
    assert max(t.score for t in trials) == tuner.oracle.get_best_trials()[0].score
