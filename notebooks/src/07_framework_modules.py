# %% [markdown]
# # 7. Tuning modules in deep-learning frameworks: Keras Tuner in depth
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/07_framework_modules.ipynb)
#
# The source article's chapter 7 exists only as a title. This chapter writes it. Chapters 4
# to 6 built grid search, Bayesian optimization and a genetic algorithm from scratch; in
# practice you will usually reach for a library. For Keras that is **Keras Tuner**
# (O'Malley et al., 2019), and the chapter goes through it piece by piece, checking what it
# does against its source code (version 1.4, installed with the course):
#
# 1. the search space: `build(hp)`, hyperparameter types, conditional hyperparameters, and
#    `kt.HyperModel` (to tune how a model is *trained*, not only how it is built);
# 2. a first search with `RandomSearch` and what it leaves behind: the results, the best
#    models, a project that can be resumed, TensorBoard's HParams data, read back;
# 3. the other tuners: `GridSearch` (with a custom metric), `executions_per_trial` against
#    noisy scores, `BayesianOptimization` (what it does with conditional and repeated values),
#    and `Hyperband`, with what one iteration really spends;
# 4. failed trials;
# 5. distributed tuning, run for real with a chief and two workers;
# 6. a custom tuner with this course's genetic algorithm as its oracle;
# 7. a short tour of Optuna (with pruning, and when it loses the best configuration) and Ray Tune.
#
# Keras Tuner is organized in three parts. The **hypermodel** declares the hyperparameters
# and builds a model from their values. The **oracle** decides which values each trial gets
# (random, grid, Bayesian, Hyperband, or your own). The **tuner** runs the trials, trains
# and checkpoints the models, and keeps the records on disk.
#
# Models here are tiny and trials train for a quarter of `P.epochs`, so that the chapter
# stays quick on a CPU; the mechanics are the same at full size.

# %%
# Setup: install the course package when it is missing (Colab), then load the profile.
import importlib.util, os, subprocess, sys
REPO = "https://github.com/hpo-lessons/hpo-lessons"
if importlib.util.find_spec("hpo_lessons") is None:
    source = os.environ.get("HPO_LESSONS_SOURCE", f"git+{REPO}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"hpo-lessons[compare] @ {source}"], check=True)
    importlib.invalidate_caches()
import hpo_lessons as hl
P = hl.profile()
print(P)

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons import keras_task

keras_task.setup_backend(verbose=True)
import keras
import keras_tuner

print("Keras Tuner", keras_tuner.__version__)

# %%
import contextlib
import io
import json
import math
import shutil
import socket
import tempfile
import time
import warnings
from pathlib import Path

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from hpo_lessons import benchmarks, frameworks
from hpo_lessons.frameworks import kt_oracle

# %%
# Loading a checkpoint into a fresh model skips the optimizer's state; Keras warns each time (section 3 counts them).
warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets, when Optuna is imported
home = Path.cwd()
workspace = Path(tempfile.mkdtemp(prefix="hpo_lessons_ch07_"))
os.chdir(workspace)  # every project, log and script of this chapter lives here; printed paths are relative to it
data = keras_task.load_data(P.dataset)
kt_epochs = max(1, P.epochs // 4)
print(data, f"| Keras Tuner trials train {kt_epochs} epoch(s)")

# %% [markdown]
# ## 1. The search space
#
# ### `build(hp)` and the hyperparameter types
#
# A Keras Tuner search space is not declared up front: it is whatever `build(hp)` asks for.
# Each call such as `hp.Int("units", 16, 128)` registers a hyperparameter the first time and
# returns its value for the current trial (its default outside a search). The types:
#
# | call | what it draws | example |
# | --- | --- | --- |
# | `hp.Int(name, min, max, step=None, sampling="linear")` | an integer | units, layers |
# | `hp.Float(name, min, max, step=None, sampling="linear")` | a real number; pass `sampling="log"` for scale parameters | learning rate |
# | `hp.Choice(name, values)` | one of a list of ints, floats or strings (one type) | activation |
# | `hp.Boolean(name)` | `True` or `False` | use dropout? |
# | `hp.Fixed(name, value)` | a constant, recorded with the trial | optimizer name |
#
# A **conditional** hyperparameter exists only when another one has given values:
# `with hp.conditional_scope("use_dropout", [True]):` registers `dropout` as active only when
# `use_dropout` is `True`, and returns `None` otherwise. Random search then neither samples
# nor records it when it does not matter. (Bayesian optimization is another story: section 3
# shows what it puts in the inactive slot.)

# %%
def build(hp):
    units = hp.Int("units", 16, 128, sampling="log")
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-1, sampling="log")
    activation = hp.Choice("activation", ["relu", "tanh"])
    use_dropout = hp.Boolean("use_dropout")
    with hp.conditional_scope("use_dropout", [True]):
        dropout = hp.Float("dropout", 0.1, 0.5)  # None unless use_dropout is True
    optimizer = hp.Fixed("optimizer", "adam")
    hidden = [keras.layers.Dense(units, activation=activation)] + ([keras.layers.Dropout(dropout)] if use_dropout else [])
    model = keras.Sequential([keras.Input(data.input_shape), keras.layers.Flatten(), *hidden,
                              keras.layers.Dense(data.num_classes, activation="softmax")])
    model.compile(keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": learning_rate}}),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# %%
def describe(hp):
    """One row per registered hyperparameter: its type, range or values, default and condition."""
    rows = []
    for p in hp.space:
        spec = p.get_config()
        if "min_value" in spec:
            values = f"[{spec['min_value']}, {spec['max_value']}]"
        else:
            values = spec.get("values", spec.get("value", [False, True]))  # Choice, Fixed, Boolean
        condition = "; ".join(f"{c.name} in {c.values}" for c in p.conditions) or "-"
        rows.append({"name": p.name, "type": type(p).__name__, "values or range": values,
                     "sampling": spec.get("sampling", "-"), "default": p.default, "active when": condition})
    return pd.DataFrame(rows).to_string(index=False)


# %%
hp = keras_tuner.HyperParameters()
build(hp)
print(describe(hp))
print("values outside a search (the defaults):", hp.values)

# %% [markdown]
# `dropout` is in the space but not in the values: with the default `use_dropout=False` it is
# inactive. Switching its parent on activates it:

# %%
hp.values.update(use_dropout=True, dropout=0.3)
model = build(hp)
print("active:", {name: hp.is_active(name) for name in ("use_dropout", "dropout")},
      "| layers:", [layer.name.rsplit("_", 1)[0] for layer in model.layers])

# %% [markdown]
# The other common kind of conditional space is a loop: `for i in range(hp.Int("n_layers",
# 1, 3)): hp.Int(f"units_{i}", ...)` gives every layer its own width, and `units_2` is only
# registered once some trial has three layers.
#
# ### `kt.HyperModel`: tuning how the model is trained
#
# `build(hp)` can only tune what goes into the model. The batch size, the number of epochs,
# data augmentation or class weights are arguments of `fit()`. Subclass
# `keras_tuner.HyperModel` and override `fit(self, hp, model, *args, **kwargs)`: Keras Tuner
# calls it with the arguments given to `search()`, and it may declare hyperparameters too.

# %%
class DigitsHyperModel(keras_tuner.HyperModel):
    fits = 0  # trainings run, to count them when a search is resumed

    def build(self, hp):
        return build(hp)

    def fit(self, hp, model, *args, **kwargs):
        DigitsHyperModel.fits += 1
        return model.fit(*args, batch_size=hp.Choice("batch_size", [16, 32, 64]), **kwargs)


# %% [markdown]
# ## 2. A first search, and what it leaves behind
#
# `RandomSearch` with the hypermodel, `max_trials=3`, the objective `"val_accuracy"` (its
# direction, maximize, is inferred from the name). `verbose=0` silences Keras Tuner's
# per-trial tables. A `keras.callbacks.TensorBoard` callback in `search()` is copied for each
# trial and writes to its own subdirectory (read back below). A pitfall: Keras Tuner 1.4 reads
# `seed=0` as *no* seed (its `Oracle.__init__` does `self.seed = seed or random.randint(1,
# 10000)`), so give a nonzero seed to make the oracle's choices repeatable; it never seeds
# TensorFlow's weight initialization, which we do ourselves.

# %%
search_args = dict(x=data.x_train, y=data.y_train, epochs=kt_epochs, validation_data=(data.x_val, data.y_val),
                   callbacks=[keras.callbacks.TensorBoard("tensorboard")], verbose=0)
keras.utils.set_random_seed(0)  # Keras Tuner seeds its oracle, not TensorFlow's weights
tuner = keras_tuner.RandomSearch(DigitsHyperModel(), objective="val_accuracy", max_trials=3, seed=1,
                                 directory="projects", project_name="random", overwrite=True)
tuner.search(**search_args)
print(f"{len(tuner.oracle.trials)} trials, {DigitsHyperModel.fits} models trained")
quiet_args = {**search_args, "callbacks": []}  # the later searches write no TensorBoard logs

# %% [markdown]
# **The results.** `tuner.results_summary()` prints every trial's hyperparameters and score,
# about ten lines per trial, which is a lot in a notebook. Capture it and look at the start,
# or build a compact table from `tuner.oracle.get_best_trials(n)` (best first):

# %%
# NBVAL_IGNORE_OUTPUT
buffer = io.StringIO()
with contextlib.redirect_stdout(buffer):
    tuner.results_summary(num_trials=3)
summary = buffer.getvalue().splitlines()
print(f"results_summary printed {len(summary)} lines; the best trial's:", *summary[5:15], sep="\n  ")


# %%
def trials_table(tuner, n=None):
    """The best ``n`` trials (all by default) as a table: id, status, score, hyperparameters."""
    trials = tuner.oracle.get_best_trials(n or len(tuner.oracle.trials))
    return pd.DataFrame([{"trial": t.trial_id, "status": t.status, "score": t.score, **t.hyperparameters.values}
                         for t in trials])


# %%
# NBVAL_IGNORE_OUTPUT
print(trials_table(tuner).round(4).to_string(index=False))

# %% [markdown]
# **The best models.** `tuner.get_best_models(n)` rebuilds the best trials' models and loads
# the weights checkpointed at their best epoch (Keras Tuner scores a trial by its best epoch,
# not its last). `tuner.get_best_hyperparameters(n)` returns their hyperparameters, the usual
# way to finish: retrain the best configuration from scratch, possibly on more data and for
# longer, and measure it once on the test set.

# %%
# NBVAL_IGNORE_OUTPUT
best_trial = tuner.oracle.get_best_trials(1)[0]
best_model = tuner.get_best_models(1)[0]
_, val_accuracy = best_model.evaluate(data.x_val, data.y_val, verbose=0)
print(f"best trial {best_trial.trial_id}: score {best_trial.score:.4f}; checkpoint re-evaluated: {val_accuracy:.4f}")
assert math.isclose(val_accuracy, best_trial.score, abs_tol=1e-3)

# %%
# NBVAL_IGNORE_OUTPUT
best_hp = tuner.get_best_hyperparameters(1)[0]
hypermodel = DigitsHyperModel()
model = hypermodel.build(best_hp)
hypermodel.fit(best_hp, model, data.x_train, data.y_train, epochs=2 * kt_epochs, verbose=0)
_, test_accuracy = model.evaluate(data.x_test, data.y_test, verbose=0)
print(f"retrained for {2 * kt_epochs} epochs: test accuracy {test_accuracy:.4f}")

# %% [markdown]
# **On disk.** Everything lives in `directory/project_name`: the oracle's state
# (`oracle.json`), and per trial its hyperparameters and metrics (`trial.json`) and its
# checkpoint. That is what makes a search resumable.

# %%
project = Path("projects", "random")
print(sorted(p.name for p in project.iterdir()))
print("trial_0:", sorted(p.name for p in (project / "trial_0").iterdir()))

# %% [markdown]
# ### Resuming with `overwrite=False`
#
# A search interrupted by a crash, a closed laptop or a time limit can continue. A new tuner
# with the **same** `directory` and `project_name` and `overwrite=False` (the default) reloads
# the oracle and its trials; `max_trials` counts all of them, old and new. Asked for 5
# trials after 3 have run, it trains only 2 models:

# %%
DigitsHyperModel.fits = 0
resumed = keras_tuner.RandomSearch(DigitsHyperModel(), objective="val_accuracy", max_trials=5, seed=1,
                                   directory="projects", project_name="random", overwrite=False)
print("trials reloaded from disk:", sorted(resumed.oracle.trials))
resumed.search(**search_args)
print(f"after the search: {len(resumed.oracle.trials)} trials; models trained now: {DigitsHyperModel.fits}")
assert len(resumed.oracle.trials) == 5 and DigitsHyperModel.fits == 2

# %% [markdown]
# With `overwrite=True` the project would have been deleted and all five trials run again.
# The flip side: reusing a `project_name` with a *different* search space or objective without
# `overwrite=True` continues the old search, with nothing but that "Reloading Tuner" line to
# say so. Use a new project name per experiment.
#
# ### TensorBoard's HParams data, read back
#
# The `TensorBoard` callback we passed was copied for each trial with its own log directory,
# `tensorboard/<trial id>/execution0/`, and Keras Tuner added a second callback that writes
# the trial's hyperparameters there for TensorBoard's HParams plugin (`Tuner.
# _configure_tensorboard_dir` in Keras Tuner; this is why it needs the `tensorboard` package):

# %%
logs = Path("tensorboard")
for trial_dir in sorted(logs.iterdir()):
    print(trial_dir.name, "->", sorted(p.relative_to(trial_dir).as_posix() for p in trial_dir.rglob("*") if p.is_dir()))

# %% [markdown]
# The HParams tab of TensorBoard shows one row per trial with its hyperparameters and
# metrics, a parallel-coordinates view and scatter plots of score against each
# hyperparameter (`tensorboard --logdir tensorboard` in a terminal, or `%load_ext tensorboard`
# and `%tensorboard --logdir tensorboard` in Jupyter or Colab). The same data can be read
# without a server: TensorBoard's `EventAccumulator` loads an event file, the HParams plugin's
# protocol buffer `HParamsPluginData` decodes the hyperparameters, and the Keras callback's
# `epoch_accuracy` tensors in `validation/` hold the per-epoch scores.

# %%
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.util import tensor_util


def events(run_dir):
    accumulator = EventAccumulator(str(run_dir), size_guidance={"tensors": 0})  # 0: keep every event
    accumulator.Reload()
    return accumulator


# %%
def read_hparams(run_dir):
    """One trial's hyperparameters, as written for the HParams plugin, and its validation accuracy per epoch."""
    content = events(run_dir).PluginTagToContent("hparams")["_hparams_/session_start_info"]
    start = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
    hparams = {name: getattr(value, value.WhichOneof("kind")) for name, value in sorted(start.hparams.items())}
    logged = events(run_dir / "validation").Tensors("epoch_accuracy")  # the TensorBoard callback's, one per epoch
    curve = [float(tensor_util.make_ndarray(e.tensor_proto)) for e in logged]
    return {"trial": start.group_name, **hparams, "val_accuracy per epoch": [round(v, 4) for v in curve]}


# %%
# NBVAL_IGNORE_OUTPUT
hparams = pd.DataFrame([read_hparams(d / "execution0") for d in sorted(logs.iterdir())])
print(hparams.to_string(index=False))
scores = {t.trial_id: t.score for t in resumed.oracle.trials.values()}
assert all(math.isclose(max(row["val_accuracy per epoch"]), scores[row["trial"]], abs_tol=1e-4)
           for _, row in hparams.iterrows())  # the trial's score is its best epoch, as logged
unused = ~hparams["use_dropout"].astype(bool)
assert "dropout" not in hparams or hparams.loc[unused, "dropout"].isna().all()  # inactive: not written
assert hparams["batch_size"].isna().tolist() == [True] + [False] * (len(hparams) - 1)  # see below

# %% [markdown]
# Every trial's hyperparameters came back from the event files, and the best epoch of each
# logged curve is the score Keras Tuner gave the trial (the first assertion). Details of the
# format: HParams stores every number as a double (`units` comes back as a float), and an
# inactive conditional hyperparameter is not written at all (`dropout` is NaN where
# `use_dropout` is False), so TensorBoard's views of `dropout` show only the trials that used it.
# And the first trial has no `batch_size`: Keras Tuner writes the HParams record before `fit`
# runs, and `batch_size` is registered inside `DigitsHyperModel.fit`, so it joins the space only
# during that first trial (the last assertion).

# %% [markdown]
# ## 3. The other tuners
#
# ### `GridSearch`, with a custom metric, and `executions_per_trial` against noisy scores
#
# `GridSearch` tries every combination of `Choice`, `Boolean` and stepped `Int`/`Float`
# values, in order. The objective can be any metric the model logs: here a custom one, the
# error rate, logged on validation data as `val_error_rate`. Keras Tuner cannot infer the
# direction of a name it does not know, so it is given with `keras_tuner.Objective`.
#
# Two trainings of one configuration differ, because the initial weights and the order of
# the mini-batches are random, so a search that trains each configuration once ranks partly
# by luck. Keras Tuner's remedy is `executions_per_trial=n`, on any tuner: `Tuner.run_trial`
# builds and trains the model n times, takes each execution's best epoch, and reports their
# mean (`tuner_utils.average_metrics_dicts`). It costs n trainings per trial. The grid below
# runs two executions per point, and its hypermodel records every training's best
# validation error, to see what the mean hides.

# %%
def error_rate(y_true, y_pred):
    return 1.0 - keras.metrics.sparse_categorical_accuracy(y_true, y_pred)


def small_model(units, activation="relu"):
    model = keras.Sequential([keras.Input(data.input_shape), keras.layers.Flatten(),
                              keras.layers.Dense(units, activation=activation),
                              keras.layers.Dense(data.num_classes, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=[error_rate])
    return model


def build_small(hp):
    return small_model(hp.Choice("units", [16, 64]), hp.Choice("activation", ["relu", "tanh"]))


# %%
class Repeated(keras_tuner.HyperModel):
    runs = []  # (units, activation, best validation error) of every training, in order

    def build(self, hp):
        return build_small(hp)

    def fit(self, hp, model, *args, **kwargs):
        history = model.fit(*args, **kwargs)
        Repeated.runs.append((hp["units"], hp["activation"], min(history.history["val_error_rate"])))
        return history


# %%
min_error = keras_tuner.Objective("val_error_rate", direction="min")
n_exec = 2
keras.utils.set_random_seed(0)
grid = keras_tuner.GridSearch(Repeated(), objective=min_error, executions_per_trial=n_exec, directory="projects",
                              project_name="grid")
grid.search(**quiet_args)
runs = pd.DataFrame(Repeated.runs, columns=["units", "activation", "best val_error_rate"])
print(f"grid size {math.prod(len(p.values) for p in grid.oracle.hyperparameters.space)}: "
      f"{len(grid.oracle.trials)} trials, {len(runs)} trainings")
assert len(grid.oracle.trials) == 4 and len(runs) == n_exec * len(grid.oracle.trials)

# %%
# NBVAL_IGNORE_OUTPUT
executions = runs.groupby(["units", "activation"])["best val_error_rate"].agg(executions=list, mean="mean", sd="std")
trial_scores = {(t.hyperparameters["units"], t.hyperparameters["activation"]): t.score
                for t in grid.oracle.trials.values()}
executions["trial score"] = [trial_scores[key] for key in executions.index]
executions = executions.sort_values("trial score")
print(executions.round(4).to_string())
assert np.allclose(executions["mean"], executions["trial score"])  # a trial's score: the mean of its executions
sd = float(np.sqrt((executions["sd"] ** 2).mean()))  # pooled seed-to-seed spread of one training
steps = np.diff(executions["trial score"]) / (sd * math.sqrt(2 / n_exec))  # neighbours' gaps, in standard errors
print(f"one training's spread: sd {sd:.4f}; gaps between neighbours in the ranking, in standard errors of a "
      f"difference of two {n_exec}-execution means: {np.round(steps, 1).tolist()}")

# %% [markdown]
# The table gives each grid point's executions, their spread and their mean, which is the
# trial's score (the assertion), best first. The last line puts each gap between neighbours
# in the ranking in units of its standard error: a gap under about two standard errors is
# noise, and a grid that trains each point once cannot tell which of its gaps those are.
# (Exercise 3 turns this into the number of executions a gap needs.) The custom metric could
# also be a `keras.metrics.Metric` subclass; for objectives that are not a Keras metric at
# all (training time, model size), override the tuner's `run_trial` and return the value, as
# section 6 does.
#
# One more detail of `executions_per_trial`: all executions of a trial share one checkpoint
# callback (`SaveBestEpoch`, created once per trial in `Tuner.run_trial`), so the saved
# weights are those of the best epoch of the *luckiest* execution, not of a typical one.
# `get_best_models` therefore scores better than the trial's averaged score:

# %%
# NBVAL_IGNORE_OUTPUT
best = grid.oracle.get_best_trials(1)[0]
_, reloaded = grid.get_best_models(1)[0].evaluate(data.x_val, data.y_val, verbose=0)
luckiest = min(executions.loc[(best.hyperparameters["units"], best.hyperparameters["activation"]), "executions"])
print(f"best trial's score (mean of its executions) {best.score:.4f}; its checkpoint {reloaded:.4f}; "
      f"its luckiest execution {luckiest:.4f}")
assert math.isclose(reloaded, luckiest, abs_tol=1e-3) and reloaded <= best.score + 1e-6

# %% [markdown]
# ### `BayesianOptimization`
#
# `BayesianOptimization` has the same interface. Its oracle draws `num_initial_points` random
# trials (3 per hyperparameter by default), then fits a Gaussian process (scikit-learn's,
# Matérn 5/2 kernel, one length scale for all inputs) and picks the next values by minimizing
# a lower confidence bound $\mu - 2.6\,\sigma$ over the unit cube with L-BFGS-B
# (`BayesianOptimizationOracle.populate_space`); chapter 5 compares it with this course's
# own BO. A short run on the four-point `build_small` space, four trials:

# %%
# NBVAL_IGNORE_OUTPUT
bayes = keras_tuner.BayesianOptimization(build_small, objective=min_error, max_trials=4, num_initial_points=2, seed=1,
                                         directory="projects", project_name="bayes")
bayes.search(**quiet_args)
print(trials_table(bayes).round(4).to_string(index=False))
tried = [tuple(t.hyperparameters.values.values()) for t in bayes.oracle.trials.values()]
print(f"{len(set(tried))} distinct configurations in {len(tried)} trials, of 4 in the space")

# %% [markdown]
# Four trials on a space of four configurations, and yet the count of distinct ones is
# usually lower: **Keras Tuner's BO has no duplicate check.** Its random phase does check
# (`Oracle._random_values` redraws up to 20 times on a collision with `_tried_so_far`; names
# with a leading underscore are Keras Tuner's private methods and attributes, which may change
# in any release: this chapter calls them to look inside, read against keras-tuner 1.4, not as
# an interface to build on), but
# the GP's proposal is turned into values by `_vector_to_values` and returned as it is, even
# when it rounds to a configuration already trained. To count repeats without the noise of
# training, the oracle can be driven by hand: an oracle is an ask/tell optimizer
# (`create_trial` asks, `update_trial` and `end_trial` tell), with no tuner and no model.

# %%
def drive(oracle, score, project):
    """Run a Keras Tuner oracle as an ask/tell loop on a stand-in score; the trials in the order they ran."""
    oracle._set_project_dir("projects", project)  # what a Tuner does first: where the oracle keeps its records
    oracle.verbose = 0
    while (trial := oracle.create_trial("tuner0")).status == "RUNNING":
        oracle.update_trial(trial.trial_id, {oracle.objective.name: score(trial.hyperparameters.values)})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    assert trial.status == "STOPPED"  # one tuner that reports at once: the oracle never has to wait (IDLE)
    return [oracle.trials[trial_id] for trial_id in oracle.start_order]


# %%
grid_space = grid.oracle.hyperparameters  # units and activation, as build_small registered them
stand_in_error = {(16, "relu"): 0.11, (16, "tanh"): 0.09, (64, "relu"): 0.08, (64, "tanh"): 0.06}
repeats = {}
for seed in range(1, P.n_seeds_synthetic + 1):
    oracle = keras_tuner.oracles.BayesianOptimizationOracle(objective=min_error, max_trials=4, num_initial_points=2,
                                                            seed=seed, hyperparameters=grid_space.copy())
    ran = drive(oracle, lambda v: stand_in_error[v["units"], v["activation"]], f"bayes_seed{seed}")
    repeats[seed] = [(t.hyperparameters["units"], t.hyperparameters["activation"]) for t in ran]
distinct = {seed: len(set(configs)) for seed, configs in repeats.items()}
print(*(f"seed {s}: {c} -> {distinct[s]} distinct" for s, c in repeats.items()), sep="\n")
n_repeats = sum(4 - d for d in distinct.values())
print(f"{n_repeats} of {2 * len(repeats)} GP proposals repeat a configuration already tried")
assert n_repeats > len(repeats)  # more than half of the proposals

# %% [markdown]
# More than half of the GP's proposals repeat a configuration (the count above): once the GP
# has seen a good point, the lowest confidence bound on a discrete space rounds back to it.
# With a deterministic score a repeat teaches the GP nothing; with a noisy one it is a second
# execution by accident, and it takes a trial from the budget either way. Two remedies: use `GridSearch` on a small
# discrete space, or add the check yourself (exercise 2).
#
# **Conditional hyperparameters in the GP.** The GP needs a vector of the same length for
# every trial, and `_vectorize_trials` gets one by filling every inactive hyperparameter with
# its **default**: a trial without dropout enters the GP as if it had `dropout=0.1`, the
# default of `hp.Float("dropout", 0.1, 0.5)`. It does not ignore the inactive value. Driven
# by hand on the `build` space (its random phase only, so no GP is fitted):

# %%
space = keras_tuner.HyperParameters()
build(space)
conditional = keras_tuner.oracles.BayesianOptimizationOracle(objective="loss", max_trials=8, num_initial_points=8,
                                                             seed=1, hyperparameters=space)
ran = drive(conditional, lambda v: (math.log10(v["learning_rate"]) + 2.5) ** 2, "conditional")
vectors, _ = conditional._vectorize_trials()  # what the GP is fitted on: each value as a position in [0, 1]
vectors = pd.DataFrame(vectors, columns=[p.name for p in conditional._nonfixed_space()]).round(3)
vectors["dropout in the trial"] = [t.hyperparameters.values.get("dropout", "inactive") for t in ran]
print(vectors.to_string())

# %%
dropout = next(p for p in space.space if p.name == "dropout")
inactive = vectors["dropout in the trial"] == "inactive"
print(f"inactive rows: {inactive.sum()}; their dropout column is {sorted(set(vectors.loc[inactive, 'dropout']))}, "
      f"the position of the default {dropout.default} ({dropout.value_to_prob(dropout.default)})")
assert 0 < inactive.sum() < len(vectors)
assert (vectors.loc[inactive, "dropout"] == dropout.value_to_prob(dropout.default)).all()

# %% [markdown]
# Going the other way, `_vector_to_values` drops a value whose parent switches it off, so
# whatever the GP proposes for `dropout` alongside `use_dropout=False` is discarded; the GP
# still spends a dimension modelling it. A last detail of the same conversion: for
# `Int(..., sampling="log")` the position 1.0, where L-BFGS-B stops when the optimum is at
# the edge of the box, maps one past the maximum:

# %%
units = next(p for p in space.space if p.name == "units")
print(f"units in [{units.min_value}, {units.max_value}]: position 0.999 -> {units.prob_to_value(0.999)}, "
      f"1.0 -> {units.prob_to_value(1.0)}")
print("a proposal with use_dropout off and dropout at 0.9:",
      conditional._vector_to_values([0.5, 0.5, 0.25, 0.25, 0.9]))

# %% [markdown]
# ### `Hyperband`: many short trainings, a few long ones
#
# Hyperband (Li et al., 2018, JMLR 18(185)) spends epochs, not trials, where they are most
# useful. A *bracket* starts many configurations with a few epochs each, keeps the best
# $1/\text{factor}$ of them, trains those $\text{factor}$ times longer, and so on (successive
# halving); brackets differ in how aggressive they are, from "many configurations, very short"
# to "a few configurations at `max_epochs`" (plain random search). Every evaluation is a
# trial: a configuration promoted twice appears in three trials. The trial records carry the
# schedule in the hyperparameters `tuner/epochs`, `tuner/initial_epoch`, `tuner/bracket`,
# `tuner/round` and, for a promoted trial, `tuner/trial_id` (its parent). Keras Tuner's
# `Hyperband.run_trial` passes `epochs=tuner/epochs, initial_epoch=tuner/initial_epoch` to
# `fit`, and `_build_hypermodel` (a private method) loads the parent's checkpoint first, so a
# promoted trial trains only the difference. One mismatch: the checkpoint a trial leaves is
# its **best** epoch's weights (Keras Tuner saves only those; the source's own comment reads
# "Load best checkpoint from this trial"), while `initial_epoch` assumes its **last**. A parent
# whose validation score peaked at epoch 2 of 3 hands on epoch 2's weights, and the promoted
# trial counts them as 3 epochs trained: it trains one epoch fewer than its count says. A callback counts the epochs each `fit` really runs:

# %%
class EpochLog(keras.callbacks.Callback):
    trained = []  # epochs run by each fit(), in order (a class attribute: Keras Tuner copies callbacks)

    def on_train_begin(self, logs=None):
        EpochLog.trained.append(0)

    def on_epoch_end(self, epoch, logs=None):
        EpochLog.trained[-1] += 1


def schedule(trials):
    """The tuner/ entries of each trial's values (epochs, initial_epoch, bracket, round, parent), one row per trial."""
    return pd.DataFrame([{k.removeprefix("tuner/"): v for k, v in t.hyperparameters.values.items()
                          if k.startswith("tuner/")} for t in trials])


# %%
max_epochs = max(3, kt_epochs)
band = keras_tuner.Hyperband(build, objective="val_accuracy", max_epochs=max_epochs, factor=3, seed=1,
                             directory="projects", project_name="hyperband")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    band.search(**{**quiet_args, "epochs": max_epochs, "callbacks": [EpochLog()]})
trials = [band.oracle.trials[i] for i in band.oracle.start_order]
records = schedule(trials).fillna({"trial_id": "-"})
records["trained"] = EpochLog.trained
print(records.drop(columns="trial_id").to_string(index=False))
assert (records["trained"] == records["epochs"] - records["initial_epoch"]).all()

# %%
# NBVAL_IGNORE_OUTPUT
print(pd.DataFrame({"trial": [t.trial_id for t in trials], "parent": records["trial_id"],
                    "score": [round(t.score, 4) for t in trials]}).to_string(index=False))
fresh_optimizer = sum("Skipping variable loading for optimizer" in str(w.message) for w in caught)
print(f"promoted trials: {(records['trial_id'] != '-').sum()}; Keras warned {fresh_optimizer} time(s) that it skipped "
      "the optimizer's saved state")
assert fresh_optimizer == (records["trial_id"] != "-").sum()

# %% [markdown]
# The measured epochs equal `tuner/epochs - tuner/initial_epoch` for every trial (the
# assertion). The resume is of the *weights* only: each promoted trial made Keras warn that it
# skipped the optimizer's saved variables, because the freshly built model's Adam has no
# variables yet, so a promoted trial restarts Adam's moment estimates.
#
# **What one iteration costs.** The schedule does not depend on the scores, so it can be
# computed from Keras Tuner's own formulas (`HyperbandOracle._get_num_brackets`, `_get_size`,
# `_get_epochs` in `keras_tuner/src/tuners/hyperband.py`). Bracket $b$ (from $s$ down to 0,
# with $s + 1$ brackets counted by dividing `max_epochs` by `factor` until it drops below 1)
# has $b + 1$ rounds; round $r$ runs
# $\lceil \lceil 1 + \log_\text{factor} \text{max\_epochs} \rceil / (b + 1) \cdot \text{factor}^{b - r} \rceil$
# trials to $\lceil \text{max\_epochs} / \text{factor}^{b - r} \rceil$ epochs:

# %%
def hyperband_plan(max_epochs, factor):
    """One Keras Tuner Hyperband iteration: a row per (bracket, round), with its trials and epochs."""
    n_brackets, epochs = 0, max_epochs
    while epochs >= 1:  # HyperbandOracle._get_num_brackets, with min_epochs = 1
        epochs, n_brackets = epochs / factor, n_brackets + 1
    last_size = math.ceil(1 + math.log(max_epochs, factor))  # the size of bracket 0 (_get_size)

    def to(b, r):  # _get_epochs: the epochs round r of bracket b trains to
        return math.ceil(max_epochs / factor ** (b - r))

    return pd.DataFrame([{"bracket": b, "round": r, "trials": math.ceil(last_size / (b + 1) * factor ** (b - r)),
                          "epochs": to(b, r), "initial_epoch": to(b, r - 1) if r else 0}
                         for b in reversed(range(n_brackets)) for r in range(b + 1)])


# %%
def cost(plan, max_epochs, iterations=1):
    """What ``iterations`` Hyperband iterations spend: trials, configurations, and epochs counted three ways."""
    new = plan["round"] == 0  # a round-0 trial is a new configuration; later rounds continue promoted ones
    return {key: iterations * int(value) for key, value in {
        "trials": plan["trials"].sum(), "configurations": plan.loc[new, "trials"].sum(),
        "epochs, resuming checkpoints": (plan["trials"] * (plan["epochs"] - plan["initial_epoch"])).sum(),
        "epochs, every trial from scratch": (plan["trials"] * plan["epochs"]).sum(),
        "epochs, each configuration in full": plan.loc[new, "trials"].sum() * max_epochs}.items()}


# %%
small_plan = hyperband_plan(max_epochs, 3)
print(small_plan.to_string(index=False))
seen = records.groupby(["bracket", "round"], sort=False).agg(trials=("epochs", "size"), epochs=("epochs", "first"),
                                                             initial_epoch=("initial_epoch", "first")).reset_index()
assert seen.equals(small_plan)  # the formula's plan is the real search's schedule
assert cost(small_plan, max_epochs)["epochs, resuming checkpoints"] == records["trained"].sum()
print(cost(small_plan, max_epochs))

# %% [markdown]
# The formula reproduces the real search's trials round by round and the epochs it trained.
# At this toy size there is little to save. The schedule the tutorials use, `max_epochs=27`
# and `factor=3`, checked the same way against Keras Tuner's own `HyperbandOracle`, driven by
# hand on a stand-in score for two iterations (`hyperband_iterations=2`):

# %%
big = keras_tuner.oracles.HyperbandOracle(objective="loss", max_epochs=27, factor=3, hyperband_iterations=2,
                                          seed=1, hyperparameters=space.copy())
ran = drive(big, lambda v: (math.log10(v["learning_rate"]) + 2.5) ** 2 + 1 / v["tuner/epochs"], "hyperband_27")
plan = schedule(ran)
plan["trained"] = plan["epochs"] - plan["initial_epoch"]
plan27 = hyperband_plan(27, 3)
print(plan27.to_string(index=False))
driven = {"trials": len(plan), "configurations": int((plan["round"] == 0).sum()),
          "epochs, resuming checkpoints": int(plan["trained"].sum()),
          "epochs, every trial from scratch": int(plan["epochs"].sum())}
assert driven.items() <= cost(plan27, 27, iterations=2).items()

# %%
rows = {f"max_epochs={m}, factor={f}": {**cost(hyperband_plan(m, f), m),
                                        "Keras Tuner's docstring estimate": round(m * math.log(m, f) ** 2)}
        for m, f in [(27, 3), (81, 3), (100, 3), (27, 2)]}
print(pd.DataFrame(rows).T.to_string())
spend27 = cost(plan27, 27)
assert spend27 == {"trials": 70, "configurations": 49, "epochs, resuming checkpoints": 375,
                   "epochs, every trial from scratch": 450, "epochs, each configuration in full": 1323}
assert 375 / 27 < 14 and rows["max_epochs=27, factor=3"]["Keras Tuner's docstring estimate"] == 243
by_bracket = plan27.groupby("bracket")["trials"].apply(list)
assert by_bracket[3] == [27, 9, 3, 1] and by_bracket[0] == [4] and plan27["epochs"].max() == 27

# %%
first = plan.iloc[:spend27["trials"]]  # the first of the two iterations
fig, ax = plt.subplots(figsize=(9, 3.6))
palette = plt.get_cmap("tab10")
ax.bar(np.arange(len(first)), first["trained"], color=palette(first["bracket"].to_numpy() % 10), width=0.9)
handles = [Patch(color=palette(b % 10), label=f"bracket {b}") for b in sorted(first["bracket"].unique(), reverse=True)]
ax.set(xlabel="trial (in the order Keras Tuner ran them)", ylabel="epochs trained (count)",
       title=f"One Hyperband iteration: {spend27['configurations']} configurations in {spend27['trials']} trials "
             f"train {spend27['epochs, resuming checkpoints']} epochs; the {spend27['configurations']} trained in "
             f"full would take {spend27['epochs, each configuration in full']}")
ax.title.set_fontsize(9)
ax.legend(handles=handles, fontsize=8, ncol=4, loc="upper left")
ax.grid(alpha=0.3, axis="y")

# %% [markdown]
# Counted right, one iteration with `max_epochs=27, factor=3` sees 49 configurations in 70
# trials (a configuration promoted from round 0 to round 3 is four trials) and trains 375
# epochs; without the checkpoints it would train 450. Training the same 49 configurations in
# full would take 49 × 27 = 1323 epochs, so Hyperband looks at 49 configurations for the
# price of fewer than 14 full trainings (375 / 27). (Counting the 70 trials as 70 full
# trainings would claim 1890, which double-counts the promoted configurations.) The
# docstring's rule of thumb, `max_epochs * log(max_epochs, factor) ** 2`, gives 243 here, an
# underestimate: the table shows it for other settings. `hyperband_iterations=n` repeats the
# whole schedule with new configurations, n times the cost (the driven oracle ran two).
#
# Bracket 3 starts 27 configurations at one epoch and promotes 9, 3, then 1; bracket 0 trains
# 4 configurations for all 27 epochs. The cost of the aggressive brackets: a configuration
# that starts slowly (a small learning rate) is dropped after one epoch even if it would have
# won, which is why Hyperband keeps brackets of longer runs (Li et al., 2018). Section 7 shows
# the same risk in Optuna's pruning.

# %% [markdown]
# ## 4. When trials fail
#
# Some configurations cannot run: the model does not fit in memory, the loss diverges, a
# library rejects a combination. Raise `keras_tuner.errors.FailedTrialError` (from `build`
# or `fit`) and Keras Tuner marks the trial `FAILED`, does not retry it, and moves on. Any
# other exception marks it `INVALID` and sends it back for a retry, up to
# `max_retries_per_trial` times (default 0), then marks it `FAILED` (`Oracle._retry`).
# Failures of both kinds count towards `max_consecutive_failed_trials` (default 3): that many
# in a row stop the search with a `RuntimeError`, because then something is wrong with the
# code, not with one configuration.

# %%
def fragile_build(hp):
    units = hp.Int("units", 16, 512, sampling="log")
    if units > 128:
        raise keras_tuner.errors.FailedTrialError(f"{units} units exceed the memory budget of 128")
    return small_model(units)


fragile = keras_tuner.RandomSearch(fragile_build, objective=min_error, max_trials=3, seed=1,
                                   directory="projects", project_name="fragile")
with contextlib.redirect_stderr(io.StringIO()):  # Keras Tuner prints each failure's traceback; the trial keeps it
    fragile.search(**quiet_args)

# %%
status = pd.DataFrame([{"trial": t.trial_id, "units": t.hyperparameters.get("units"), "status": t.status,
                        "message": t.message.strip().splitlines()[-1].split("errors.")[-1] if t.message else "-"}
                       for t in fragile.oracle.trials.values()])
print(status.to_string(index=False))
assert set(status["status"]) == {"COMPLETED", "FAILED"}

# %% [markdown]
# The failed trials keep their message, are skipped by `get_best_trials` and, in Bayesian
# optimization, left out of the Gaussian process (`_vectorize_trials` skips `FAILED` and
# `INVALID` trials).
#
# ## 5. Distributed tuning: a chief and workers
#
# Trials are independent, so a search parallelizes across machines (or GPUs) with no change
# to the tuning code. Keras Tuner runs one **chief** process that holds the oracle and serves
# it over gRPC (`keras_tuner/src/distribute/oracle_chief.py`), and any number of **workers**
# whose tuner replaces its oracle by an `OracleClient` that forwards `create_trial`,
# `update_trial` and `end_trial` to the chief (`oracle_client.py`). Every process runs the
# same script; three environment variables tell each its role (`distribute/utils.py`):
#
# | variable | chief | worker |
# | --- | --- | --- |
# | `KERASTUNER_TUNER_ID` | `chief` | a unique id: `tuner0`, `tuner1`, ... |
# | `KERASTUNER_ORACLE_IP` | address to listen on | the chief's address |
# | `KERASTUNER_ORACLE_PORT` | port to listen on | the chief's port |
#
# All processes must share the `directory` (a network file system on a cluster): workers
# write their checkpoints there. Here it runs for real, on this machine: one chief and two
# workers as subprocesses, on `127.0.0.1` and a free port, with a tiny model on synthetic data
# and four trials of two epochs. The script's tuner prints a line when a trial ends: which
# process ran it, and when. The script is written in three cells, the data, the model and
# the tuner (`%%writefile -a` appends to the file):

# %%
# %%writefile distributed_search.py
"""One script for the chief and every worker: KERASTUNER_TUNER_ID says which is which."""
import json, os, sys, time
from pathlib import Path
import keras, keras_tuner, numpy as np

me, n_workers, n_trials = os.environ["KERASTUNER_TUNER_ID"], int(sys.argv[1]), int(sys.argv[2])
x = np.random.default_rng(0).normal(size=(2000, 8)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int32")

# %%
# %%writefile -a distributed_search.py

def build(hp):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(hp.Int("units", 4, 16), activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(hp.Float("learning_rate", 1e-3, 1e-1, sampling="log")),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

# %%
# %%writefile -a distributed_search.py

class Logged(keras_tuner.RandomSearch):  # one line per trial: who ran it, and when
    def run_trial(self, trial, *args, **kwargs):
        start = time.time()
        result = super().run_trial(trial, *args, **kwargs)
        print(json.dumps({"worker": me, "trial": trial.trial_id, "start": start, "end": time.time()}), flush=True)
        return result

tuner = Logged(build, objective="val_accuracy", max_trials=n_trials, seed=1, directory="projects",
               project_name="distributed")
Path(f"ready_{me}").touch()  # wait for every worker, so that one slow start-up does not leave another idle
while me != "chief" and len(list(Path().glob("ready_tuner*"))) < n_workers:
    time.sleep(0.1)
tuner.search(x, y, epochs=2, validation_split=0.25, verbose=0)  # the chief serves the oracle; a worker trains

# %%
with socket.socket() as s:  # ask the system for a free port
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
roles, n_trials = ["chief", "tuner0", "tuner1"], 4
common = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERASTUNER_ORACLE_IP": "127.0.0.1",
          "KERASTUNER_ORACLE_PORT": str(port)}
launched = time.time()
processes = {role: subprocess.Popen([sys.executable, "distributed_search.py", str(len(roles) - 1), str(n_trials)],
                                    env={**common, "KERASTUNER_TUNER_ID": role}, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for role in roles}
print("started:", ", ".join(roles))


# %%
def output(process, timeout):
    """What a process printed, and whether it ended by itself within ``timeout`` seconds (else it is stopped)."""
    try:
        return process.communicate(timeout=timeout)[0], True
    except subprocess.TimeoutExpired:
        process.terminate()
        return process.communicate()[0], False


outputs = {role: output(processes[role], 300) for role in roles[1:]}  # the workers
# Once a worker is told to stop, the chief checks for the end only every 20 s (oracle_chief.start_server).
outputs["chief"] = output(processes["chief"], 3)
for role, (text, ended) in outputs.items():
    assert role == "chief" or (ended and processes[role].returncode == 0), f"{role} failed:\n{text[-3000:]}"

# %%
# NBVAL_IGNORE_OUTPUT
log = pd.DataFrame([json.loads(line) for text, _ in outputs.values() for line in text.splitlines()
                    if line.startswith("{")]).sort_values("start")
log[["start", "end"]] -= launched  # seconds since the three processes were launched
stored = [json.loads(p.read_text()) for p in Path("projects", "distributed").glob("trial_*/trial.json")]
log["val_accuracy"] = log["trial"].map({t["trial_id"]: t["score"] for t in stored})
print(log.round(3).to_string(index=False))
span = log["end"].max() - log["start"].min()
print(f"trials per worker: {log['worker'].value_counts().sort_index().to_dict()}; training time "
      f"{(log['end'] - log['start']).sum():.1f} s in a span of {span:.1f} s; the chief "
      f"{'exited by itself' if outputs['chief'][1] else 'was stopped once its workers had finished'}")

# %%
a, b = (log[log["worker"] == w] for w in roles[1:])
overlap = any(x.start < y.end and y.start < x.end for x in a.itertuples() for y in b.itertuples())
assert sorted(log["trial"]) == sorted(t["trial_id"] for t in stored) and len(stored) == n_trials
assert set(log["worker"]) == set(roles[1:]) and overlap  # both workers trained, at the same time

# %% [markdown]
# The table says which worker ran each trial and when: both workers trained, their trials
# overlap in time (the assertion), and the chief trained nothing; it served the oracle, whose
# records (`trial.json`, with each score) the workers wrote to the shared directory. The
# training time against the span in the last line is the speed-up two workers bought here; on
# a machine with two busy cores, three TensorFlow processes share them, so it is far from a
# clean factor of two. On a cluster you would start the chief and each worker the same way,
# by your job scheduler, with the chief's address. For several GPUs in *one* machine, run one
# worker per GPU (set `CUDA_VISIBLE_DEVICES` per worker), or a single tuner with
# `distribution_strategy=tf.distribute.MirroredStrategy()` to train each trial on all GPUs.
#
# ## 6. A custom tuner with the genetic algorithm
#
# Keras Tuner has no genetic algorithm; chapter 6 built one, and
# `kt_oracle.GeneticOracle` wraps it as a Keras Tuner oracle. A tuner is also easy to write:
# subclass `keras_tuner.Tuner` and override `run_trial(trial, ...)` to do anything and return
# the objective's value. Here `run_trial` trains through the course's `KerasObjective`, which
# seeds every trial, so that the batch size is an ordinary hyperparameter and the results
# are reproducible.

# %%
ga_space = hl.Space(learning_rate=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(16, 128, log=True),
                    batch_size=hl.Categorical([16, 32, 64]))
objective = keras_task.KerasObjective(data, epochs=kt_epochs, seed=0)


class ObjectiveTuner(keras_tuner.Tuner):
    def run_trial(self, trial, objective, **kwargs):  # receives what search() was given
        params = kt_oracle.params_from_hp(trial.hyperparameters, ga_space)
        return {"val_accuracy": objective(params)["value"]}


oracle = kt_oracle.GeneticOracle(objective=keras_tuner.Objective("val_accuracy", "max"), max_trials=5,
                                 hyperparameters=kt_oracle.to_hyperparameters(ga_space), population_size=3, seed=0)
ga_tuner = ObjectiveTuner(oracle=oracle, directory="projects", project_name="genetic")

# %%
# NBVAL_IGNORE_OUTPUT
ga_tuner.search(objective, verbose=0)
print(trials_table(ga_tuner).round(4).to_string(index=False))
print("GA generations:", [(g.number, [round(-v, 3) for v in g.values]) for g in oracle.ga.generations])
assert len(ga_tuner.oracle.trials) == 5 and oracle.ga.generation == 1

# %% [markdown]
# `frameworks.run_keras_tuner(objective, space, algorithm="genetic")` is this same pattern
# packaged: Keras Tuner's oracle chooses, the objective trains, and a `History` comes back in
# the same form as `hl.run` returns, so every method lands in one table. With the same seed it
# even makes the same choices as `hl.run` with `GeneticAlgorithm`: the oracle *is* the
# package's GA. Checked on a cheap stand-in objective (chapter 6's `mixed` benchmark, a
# log-scale learning rate, an integer and a categorical that interact):

# %%
mixed = benchmarks.mixed()
n_cheap = P.n_trials_synthetic // 2
via_keras_tuner = frameworks.run_keras_tuner(mixed, mixed.space, algorithm="genetic", n_trials=n_cheap, seed=0,
                                             population_size=5)
via_run = hl.run(mixed, hl.GeneticAlgorithm(mixed.space, population_size=5, seed=0), n_trials=n_cheap, progress=False)
assert [t.params for t in via_keras_tuner] == [t.params for t in via_run]
print(f"{n_cheap} identical trials; best value {via_keras_tuner.best_value:.4f} (minimum {mixed.minimum})")

# %% [markdown]
# ## 7. Beyond Keras Tuner: Optuna and Ray Tune
#
# ### Optuna
#
# Optuna (Akiba et al., 2019, KDD) is framework-agnostic: the objective receives a `trial`
# and *asks* it for values, `trial.suggest_float(...)`, inside ordinary Python. The space is
# whatever the code path asks for (**define-by-run**), so conditional spaces are just `if`
# statements and loops. Its default sampler is TPE, the tree-structured Parzen estimator
# (Bergstra et al., 2011, NeurIPS): it splits past trials into good and bad by a quantile of
# their values, fits a density to each, and proposes points where the ratio good/bad is high.

# %%
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def optuna_objective(trial):  # a stand-in loss: Adam is best near 1e-3, SGD near 3e-2 with momentum 0.9
    optimizer = trial.suggest_categorical("optimizer", ["adam", "sgd"])
    learning_rate = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
    if optimizer == "adam":
        return (math.log10(learning_rate) + 3.0) ** 2 + 0.1
    momentum = trial.suggest_float("momentum", 0.0, 0.99)  # asked only on this path
    return (math.log10(learning_rate) + 1.5) ** 2 + (0.9 - momentum) ** 2


# %%
study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
study.optimize(optuna_objective, n_trials=P.n_trials_synthetic)
with_momentum = sum("momentum" in t.params for t in study.trials)
print(f"best {study.best_value:.4f} with {study.best_params}; "
      f"{with_momentum} of {len(study.trials)} trials had a momentum")

# %% [markdown]
# **Pruning** stops unpromising trials early, like Hyperband but one trial at a time: the
# objective reports an intermediate value each epoch (`trial.report(value, epoch)`) and asks
# `trial.should_prune()`; the `MedianPruner` says yes, from epoch `n_warmup_steps` on and once
# `n_startup_trials` trials have finished, when the trial's best value so far is worse than
# the median of the finished trials at the same epoch (`PercentilePruner.prune` in Optuna).
# Pruning can only lose when learning curves **cross**: a configuration that is behind at the
# epoch of the decision but ahead at the end. Small steps can do that: a low learning rate or
# a large batch makes fewer, smaller updates per epoch, so it starts slowly, and with less
# gradient noise it may settle lower (Smith & Le, 2018, relate the noise of SGD to the ratio of
# learning rate to batch size). A stand-in for loss curves shows both cases: one family with a
# single speed for every configuration (its curves never cross), one with slow starters:

# %%
BATCHES = [16, 32, 64, 128, 256]


def loss_curve(params, crossing, epochs=20):
    """A stand-in validation loss per epoch: from 1 down to a floor, at a speed set by the step size."""
    lr, batch = params["learning_rate"], params["batch_size"]
    floor = 0.05 + 0.2 * (math.log10(lr) + 2) ** 2 + 0.02 * math.log2(256 / batch)  # lowest near lr 1e-2, batch 256
    tau = 2e-4 * batch / lr if crossing else 1.0  # epochs to go 63% of the way: long for small steps
    return [floor + (1 - floor) * math.exp(-(epoch + 1) / tau) for epoch in range(epochs)]


# %%
def curve_objective(trial, crossing):
    params = {"learning_rate": trial.suggest_float("learning_rate", 1e-3, 1.0, log=True),
              "batch_size": trial.suggest_categorical("batch_size", BATCHES)}
    for epoch, value in enumerate(loss_curve(params, crossing)):
        trial.report(value, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return value


# %%
def pruned_search(crossing, warmup):
    """40 random configurations (the same in every call: a seeded RandomSampler), with or without median pruning."""
    pruner = optuna.pruners.NopPruner() if warmup is None else optuna.pruners.MedianPruner(5, n_warmup_steps=warmup)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0), pruner=pruner)
    study.optimize(lambda trial: curve_objective(trial, crossing), n_trials=P.n_trials_synthetic)
    return study


def outcome(study, crossing):
    finals = [loss_curve(t.params, crossing)[-1] for t in study.trials]  # each configuration trained in full
    winner = study.trials[int(np.argmin(finals))]
    return {"epochs trained": sum(len(t.intermediate_values) for t in study.trials),
            "trials pruned": sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials),
            "best found": round(study.best_value, 4), "best in full": round(min(finals), 4),
            "winner stopped after (epochs)": len(winner.intermediate_values) if winner.state.name == "PRUNED" else "-"}


# %%
warmups = [None, 1, 3, 6, 10]
studies = {(kind, w): pruned_search(kind == "crossing", w) for kind in ("never crossing", "crossing") for w in warmups}
pruning = pd.DataFrame([outcome(s, kind == "crossing") for (kind, _), s in studies.items()],
                       index=pd.MultiIndex.from_tuples([(k, "no pruning" if w is None else f"warm-up {w}")
                                                        for k, w in studies]))
print(pruning.to_string())
never, crossing = pruning.loc["never crossing"], pruning.loc["crossing"]
assert (never["best found"] == never["best in full"]).all()  # curves that never cross: pruning cannot lose
lost = crossing["best found"] > crossing["best in full"]
assert lost.any() and (crossing.loc[lost, "winner stopped after (epochs)"] != "-").all()

# %% [markdown]
# With curves that never cross, every warm-up finds the best configuration and trains a
# fraction of the epochs. With slow starters, the short warm-ups stop the eventual winner
# (the last column says after how many epochs) and return a worse configuration; a long
# enough warm-up keeps it, at the price of more epochs. Why, in the most aggressive search
# (warm-up 1): the pruner compares the winner, epoch by epoch, with the median of the trials
# that had *completed* before it ran, and the figure draws that median.

# %%
study = studies["crossing", 1]
curves = np.array([loss_curve(t.params, True) for t in study.trials])  # full curves, in the order the trials ran
winner = int(np.argmin(curves[:, -1]))
completed = [list(t.intermediate_values.values()) for t in study.trials[:winner] if t.state.name == "COMPLETE"]
reference = np.median(completed, axis=0)  # the pruner's median at each epoch when the winner ran
catch_up = int(np.argmax(curves[winner] <= reference))  # the first epoch (0-based) where it is not behind
print(f"the winner is trial {winner} (lr {study.trials[winner].params['learning_rate']:.4f}, batch "
      f"{study.trials[winner].params['batch_size']}); {len(completed)} trials had completed before it; "
      f"it is behind their median until epoch {catch_up}")
assert all(lost[f"warm-up {w}"] == (w < catch_up) for w in warmups[1:])  # lost exactly when decided too early

# %%
fig, ax = plt.subplots(figsize=(10, 4))
epochs_axis = np.arange(curves.shape[1])
ax.plot(epochs_axis, curves.T, color="0.75", linewidth=0.8)
ax.plot([], [], color="0.75", linewidth=0.8, label=f"the {len(curves)} configurations, trained in full")
ax.plot(epochs_axis, reference, color="black", linestyle="--",
        label=f"median of the {len(completed)} trials completed before it")
ax.plot(epochs_axis, curves[winner], color="tab:red", linewidth=2, label="the configuration that ends best")
ax.axvline(catch_up, color="tab:red", linestyle=":", linewidth=1, label=f"first epoch not behind: {catch_up}")
ax.set(xlabel="epoch (0-based, as reported to Optuna)", ylabel="stand-in validation loss",
       title=f"A slow starter: behind the pruner's median until epoch {catch_up}, best at the end")
ax.set_xticks(epochs_axis[::2])
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside the axes: the curves fill them
ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# In the table, the warm-ups that lost the winner are exactly those shorter than that epoch
# (the assertion). Whether a problem has slow starters is a property of its learning curves,
# not of the pruner, so look at a few full curves before trusting a short warm-up; the same
# holds for Hyperband's aggressive brackets. Exercise 1 writes the median rule itself.
#
# The course's `frameworks.run_optuna` drives Optuna through its ask-and-tell interface on a
# `Space`, so it runs on the same space and objective as every other method and returns the
# same `History`:

# %%
tpe = frameworks.run_optuna(mixed, mixed.space, sampler="tpe", n_trials=n_cheap, seed=0)
side = pd.DataFrame({"best value": [h.best_value for h in (via_run, via_keras_tuner, tpe)],
                     "trials": [len(h) for h in (via_run, via_keras_tuner, tpe)]},
                    index=["hl.run(GeneticAlgorithm)", "run_keras_tuner('genetic')", "run_optuna('tpe')"])
print(side.round(4).to_string())

# %% [markdown]
# ### Ray Tune
#
# Ray Tune (Liaw et al., 2018) is a different tool: a scheduler for running many trials
# across a cluster. It is not installed here, and you do not need it for anything in this
# course. Its strengths are distributed execution (trials on many machines and GPUs, with
# fault tolerance, through Ray), **schedulers** that decide when to stop, pause or clone
# trials, such as ASHA (asynchronous successive halving, Li et al., 2020, MLSys: successive
# halving that promotes a configuration as soon as it ranks in the top 1/eta of its rung so
# far, instead of waiting for the rung to fill; chapter 9 builds it) and Population Based Training (PBT, Jaderberg et al.,
# 2017: a GA that mutates hyperparameters *during* training and copies the weights of good
# trials), and wrappers around other search libraries (Optuna, HyperOpt, Ax, ...).
#
# **Which to pick?** Keras Tuner when the model is Keras and the search fits on a machine or
# a few: checkpointing, Hyperband, `executions_per_trial` and TensorBoard come built in, and
# section 3 showed what its BO does with conditional and repeated values. Optuna for any
# framework, conditional spaces, TPE, pruning and a persistent study database that several
# processes can share. Ray Tune when you have a cluster, need ASHA or PBT at scale, or tune
# reinforcement-learning agents. All three accept your own search algorithm.

# %% [markdown]
# ## Exercises
#
# **Exercise 1: the median rule, by hand.** Write `median_pruned(curves, n_startup_trials,
# n_warmup_steps)`. `curves` holds one loss curve per trial (lower is better), in the order
# the trials ran, one after another. Return, for each trial, how many values it reports
# before Optuna's `MedianPruner` stops it (its full length if it is never stopped). The check
# compares your answer with Optuna itself on noisy curves that cross, in several settings, so
# read the rule in section 7 closely: which trials count towards the median, and which value
# of the current trial is compared with it?

# %%
from hpo_lessons.exercises import ch07


def median_pruned(curves, n_startup_trials, n_warmup_steps):
    ...  # your code here


# %%
# Solution
def median_pruned(curves, n_startup_trials, n_warmup_steps):
    completed, reported = [], []  # completed: the curves of trials that ran to the end
    for curve in curves:
        n = len(curve)
        for step in range(len(curve)):
            at_step = [c[step] for c in completed if len(c) > step]
            ready = completed and len(completed) >= n_startup_trials and step >= n_warmup_steps and at_step
            if ready and min(curve[: step + 1]) > np.median(at_step):  # best so far, against the median
                n = step + 1
                break
        reported.append(n)
        if n == len(curve):
            completed.append(curve)
    return reported


# %%
ch07.check_median_pruned(median_pruned)

# %% [markdown]
# Applied to section 7's slow starters, the rule gives the winner's epochs under each warm-up
# (its full length where it was never stopped), as Optuna's searches did:

# %%
by_hand = {w: median_pruned(curves.tolist(), 5, w)[winner] for w in warmups[1:]}
print(by_hand)
assert by_hand == {w: len(studies["crossing", w].trials[winner].intermediate_values) for w in warmups[1:]}

# %% [markdown]
# **Exercise 2: Bayesian optimization without repeats.** Section 3 showed Keras Tuner's BO
# proposing configurations it had already tried. Write `NoRepeatOracle`, a subclass of
# `keras_tuner.oracles.BayesianOptimizationOracle` whose `populate_space(trial_id)` keeps the
# GP's proposal when it is new, replaces it by a random untried configuration when it is not,
# and stops the search (`{"status": "STOPPED", "values": None}`) when no untried configuration
# can be found. The oracle's own helpers do the bookkeeping: `self._duplicate(values)` and
# `self._random_values()` (which returns `None` after 20 draws that were all tried).

# %%
class NoRepeatOracle(keras_tuner.oracles.BayesianOptimizationOracle):
    ...  # your code here


# %%
# Solution
class NoRepeatOracle(keras_tuner.oracles.BayesianOptimizationOracle):
    def populate_space(self, trial_id):
        response = super().populate_space(trial_id)
        if response["status"] != "RUNNING" or not self._duplicate(response["values"]):
            return response  # the GP's (or the random phase's) proposal is new: keep it
        values = self._random_values()  # an untried configuration, or None when none was found
        return {"status": "RUNNING", "values": values} if values else {"status": "STOPPED", "values": None}


# %%
ch07.check_no_repeat_oracle(NoRepeatOracle)

# %% [markdown]
# **Exercise 3: how many executions per trial?** Two trials are each a mean of `n`
# executions. Write `executions_needed(scores, gap)`: given the scores of a few executions of
# one configuration (their spread is the noise) and the smallest difference `gap` you want to
# resolve, return the smallest `n` (at least 1) for which the standard error of the
# difference between two such means is at most `gap / 2`, so that a difference of `gap` is
# two standard errors away from a tie.

# %%
def executions_needed(scores, gap):
    ...  # your code here


# %%
# Solution
def executions_needed(scores, gap):
    sd = np.std(scores, ddof=1)  # one execution's spread, from a sample
    return max(1, math.ceil(8 * sd**2 / gap**2 - 1e-9))  # sqrt(2 / n) * sd <= gap / 2  <=>  n >= 8 sd^2 / gap^2


# %%
ch07.check_executions_needed(executions_needed)

# %% [markdown]
# The spread must come from enough executions. One configuration's two executions give a
# standard deviation with one degree of freedom, whose 95 % interval runs from 0.45 to 32
# times the value measured (the chi-square distribution with 1 degree of freedom): a number
# of executions computed from it is a guess. Pooled over every grid point of section 3 (each
# execution's deviation from its own configuration's mean), it has as many degrees of freedom
# as there are executions beyond the first of each point, and its interval narrows: with the
# quick profile's four grid points of two executions (4 degrees of freedom), to 0.6 to 2.9
# times the value, still wide enough that the executions needed span a range, not a number.
# Resolving one percentage point of validation error needs:

# %%
# NBVAL_IGNORE_OUTPUT
from scipy import stats

dof = int(sum(len(x) - 1 for x in executions["executions"]))
sd_range = [sd * math.sqrt(dof / stats.chi2.ppf(q, dof)) for q in (0.975, 0.025)]  # 95 % interval of the pooled sd
needed = [max(1, math.ceil(8 * s**2 / 0.01**2 - 1e-9)) for s in (sd, *sd_range)]
print(f"pooled sd {sd:.4f} on {dof} degrees of freedom (95 % interval {sd_range[0]:.4f} to {sd_range[1]:.4f}); "
      f"executions per trial for a 1-point gap: {needed[0]} (from {needed[1]} to {needed[2]} over that interval)")

# %%
os.chdir(home)
shutil.rmtree(workspace, ignore_errors=True)  # every project, log, checkpoint and script of this chapter
print("workspace removed:", not workspace.exists())

# %% [markdown]
# ## Summary
#
# - Keras Tuner = a **hypermodel** (`build(hp)`, or a `HyperModel` whose `fit` tunes
#   training too) + an **oracle** (random, grid, Bayesian, Hyperband, or your own, each an
#   ask/tell optimizer: `create_trial`, `update_trial`, `end_trial`) + a **tuner** that trains,
#   checkpoints and records.
# - The space is declared by running `build(hp)`: `Int`, `Float` (log for scales), `Choice`,
#   `Boolean`, `Fixed`, and conditional hyperparameters through `conditional_scope` or loops.
#   Random search records only the active ones; the BO's Gaussian process sees an inactive one
#   at its default, and nothing stops the BO from proposing a configuration twice.
# - A search leaves a project directory: resume it with `overwrite=False`, read it with
#   `get_best_trials` / `get_best_models` / `get_best_hyperparameters`, and read its
#   TensorBoard HParams data back from the event files. `FailedTrialError` marks a
#   configuration as failed.
# - Scores are noisy: `executions_per_trial` averages n trainings per trial at n times the
#   cost, and its checkpoint is the luckiest execution's.
# - Hyperband counts in epochs: with `max_epochs=27, factor=3` one iteration sees 49
#   configurations in 70 trials for 375 epochs (checkpoints resumed, optimizer state not).
# - Distributed tuning is the same script in every process, with three environment variables;
#   the chief serves the oracle, the workers train.
# - Pruning and Hyperband lose slow starters when the decision comes before the curves cross.
# - Optuna (define-by-run, TPE, pruning) suits any framework; Ray Tune suits clusters and
#   schedulers such as ASHA and PBT.
#
# **What next.** Chapter 8 puts the course together: which method to use when, the budgets
# that make sense, and where the field is going.
#
# ## References
#
# - O'Malley, T. et al. (2019). KerasTuner. https://github.com/keras-team/keras-tuner (version 1.4;
#   the source files named in the text are under `keras_tuner/src/`).
# - Li, L., Jamieson, K., DeSalvo, G., Rostamizadeh, A. & Talwalkar, A. (2018). Hyperband: a
#   novel bandit-based approach to hyperparameter optimization. *JMLR* 18(185), 1-52.
# - Li, L., Jamieson, K., Rostamizadeh, A., Gonina, E., Ben-Tzur, J., Hardt, M., Recht, B. &
#   Talwalkar, A. (2020). A system for massively parallel hyperparameter tuning. *MLSys*.
# - Bergstra, J., Bardenet, R., Bengio, Y. & Kégl, B. (2011). Algorithms for hyper-parameter
#   optimization. *NeurIPS*.
# - Akiba, T., Sano, S., Yanase, T., Ohta, T. & Koyama, M. (2019). Optuna: a next-generation
#   hyperparameter optimization framework. *KDD*.
# - Smith, S. L. & Le, Q. V. (2018). A Bayesian perspective on generalization and stochastic
#   gradient descent. *ICLR*.
# - Liaw, R., Liang, E., Nishihara, R., Moritz, P., Gonzalez, J. E. & Stoica, I. (2018). Tune: a
#   research platform for distributed model selection and training. *ICML AutoML workshop*.
# - Jaderberg, M. et al. (2017). Population based training of neural networks. arXiv:1711.09846.
# - TensorBoard's HParams plugin: https://www.tensorflow.org/tensorboard/hyperparameter_tuning_with_hparams
