# %% [markdown]
# # 7. Tuning modules in deep-learning frameworks: Keras Tuner in depth
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/07_framework_modules.ipynb)
#
# The source article's chapter 7 exists only as a title. This chapter writes it. Chapters 4
# to 6 built grid search, Bayesian optimization and a genetic algorithm from scratch; in
# practice you will usually reach for a library. For Keras that is **Keras Tuner**
# (O'Malley et al., 2019), and the chapter goes through it piece by piece:
#
# 1. the search space: `build(hp)`, hyperparameter types, conditional hyperparameters, and
#    `kt.HyperModel` (to tune how a model is *trained*, not only how it is built);
# 2. a first search with `RandomSearch` and what it leaves behind: the results, the best
#    models, a project that can be resumed, TensorBoard logs;
# 3. the other tuners: `GridSearch` (with a custom metric as the objective),
#    `BayesianOptimization`, and `Hyperband`, with how it spends its epochs;
# 4. failed trials;
# 5. distributed tuning, run for real with a chief and a worker;
# 6. a custom tuner with this course's genetic algorithm as its oracle;
# 7. a short, fair tour of Optuna and Ray Tune.
#
# Keras Tuner is organized in three parts. The **hypermodel** declares the hyperparameters
# and builds a model from their values. The **oracle** decides which values each trial gets
# (random, grid, Bayesian, Hyperband, or your own). The **tuner** runs the trials, trains
# and checkpoints the models, and keeps the records on disk.
#
# Models here are tiny and trials train for a quarter of `P.epochs` so that the whole chapter
# runs in a couple of minutes on a laptop CPU; the mechanics are the same at full size.

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
import contextlib
import io
import math
import re
import shutil
import socket
import tempfile
import textwrap
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from hpo_lessons import benchmarks, frameworks, keras_task

keras_task.setup_tensorflow(verbose=True)
import keras
import keras_tuner

# Loading a checkpoint into a fresh model skips the optimizer's state, and Keras warns each time; harmless here.
warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets, when Optuna is imported
data = keras_task.load_data(P.dataset)
workspace = Path(tempfile.mkdtemp(prefix="hpo_lessons_ch07_"))  # every Keras Tuner project goes here
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
# | `hp.Float(name, min, max, step=None, sampling="log")` | a real number; `"log"` for scale parameters | learning rate |
# | `hp.Choice(name, values)` | one of a list of ints, floats or strings (one type) | activation |
# | `hp.Boolean(name)` | `True` or `False` | use dropout? |
# | `hp.Fixed(name, value)` | a constant, recorded with the trial | optimizer name |
#
# A **conditional** hyperparameter exists only when another one has given values:
# `with hp.conditional_scope("use_dropout", [True]):` registers `dropout` as active only when
# `use_dropout` is `True`, and returns `None` otherwise. Tuners then neither sample nor
# record it when it does not matter, which keeps Bayesian optimization from learning about
# a value that had no effect.

# %%
def build(hp):
    units = hp.Int("units", 16, 128, sampling="log")
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-1, sampling="log")
    activation = hp.Choice("activation", ["relu", "tanh"])
    use_dropout = hp.Boolean("use_dropout")
    with hp.conditional_scope("use_dropout", [True]):
        dropout = hp.Float("dropout", 0.1, 0.5)  # None unless use_dropout is True
    optimizer = hp.Fixed("optimizer", "adam")
    model = keras.Sequential([keras.Input(data.input_shape), keras.layers.Flatten(),
                              keras.layers.Dense(units, activation=activation)])
    if use_dropout:
        model.add(keras.layers.Dropout(dropout))
    model.add(keras.layers.Dense(data.num_classes, activation="softmax"))
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
# registered once some trial has three layers. Exercise 1 builds one.
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
# trial and writes to its own subdirectory (see below). A pitfall: Keras Tuner 1.4 reads
# `seed=0` as *no* seed (it does `seed or random.randint(...)`), so give a nonzero seed to
# make the oracle's choices repeatable; it never seeds TensorFlow's weight initialization,
# which we do ourselves.

# %%
logs = workspace / "tensorboard"
search_args = dict(x=data.x_train, y=data.y_train, epochs=kt_epochs, validation_data=(data.x_val, data.y_val),
                   callbacks=[keras.callbacks.TensorBoard(str(logs))], verbose=0)
keras.utils.set_random_seed(0)  # Keras Tuner seeds its oracle, not TensorFlow's weights
tuner = keras_tuner.RandomSearch(DigitsHyperModel(), objective="val_accuracy", max_trials=3, seed=1,
                                 directory=workspace, project_name="random", overwrite=True)
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
print(f"best trial {best_trial.trial_id}: score {best_trial.score:.4f}; its checkpoint re-evaluated: {val_accuracy:.4f}")
assert math.isclose(val_accuracy, best_trial.score, abs_tol=1e-3)

best_hp = tuner.get_best_hyperparameters(1)[0]
hypermodel = DigitsHyperModel()
model = hypermodel.build(best_hp)
hypermodel.fit(best_hp, model, data.x_train, data.y_train, epochs=2 * kt_epochs, verbose=0)
print(f"retrained for {2 * kt_epochs} epochs: test accuracy {model.evaluate(data.x_test, data.y_test, verbose=0)[1]:.4f}")

# %% [markdown]
# **On disk.** Everything lives in `directory/project_name`: the oracle's state
# (`oracle.json`), and per trial its hyperparameters and metrics (`trial.json`) and its
# checkpoint. That is what makes a search resumable.

# %%
project = workspace / "random"
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
                                   directory=workspace, project_name="random", overwrite=False)
print("trials reloaded from disk:", sorted(resumed.oracle.trials))
resumed.search(**search_args)
print(f"after the search: {len(resumed.oracle.trials)} trials; models trained now: {DigitsHyperModel.fits}")
assert len(resumed.oracle.trials) == 5 and DigitsHyperModel.fits == 2

# %% [markdown]
# With `overwrite=True` the project would have been deleted and all five trials run again.
# The flip side: reusing a `project_name` with a *different* search space or objective without
# `overwrite=True` continues the old search, with nothing but a "Reloading Tuner" line to say
# so. Use a new project name per experiment.
#
# ### TensorBoard's HParams view
#
# The `TensorBoard` callback we passed was copied for each trial with its own log directory,
# `logs/<trial id>/execution0/`, and Keras Tuner added the trial's hyperparameters to it
# (TensorBoard's HParams plugin; this is why Keras Tuner needs the `tensorboard` package):

# %%
for trial_dir in sorted(logs.iterdir()):
    print(trial_dir.name, "->", sorted(p.relative_to(trial_dir).as_posix() for p in trial_dir.rglob("*") if p.is_dir()))

# %% [markdown]
# To look at them, start TensorBoard on the log directory, from a terminal
# `tensorboard --logdir <directory>` and open http://localhost:6006, or inside Jupyter or
# Colab `%load_ext tensorboard` then `%tensorboard --logdir <directory>`. The **HPARAMS** tab
# shows one row per trial with its hyperparameters and final metrics, a parallel-coordinates
# view (each trial a line across the hyperparameter axes, coloured by score) and scatter plots
# of score against each hyperparameter. (We do not start a server here.)
#
# ## 3. The other tuners
#
# ### `GridSearch`, with a custom metric as the objective
#
# `GridSearch` tries every combination of `Choice`, `Boolean` and stepped `Int`/`Float`
# values, in order. The objective can be any metric the model logs: here a custom one, the
# error rate, logged on validation data as `val_error_rate`. Keras Tuner cannot infer the
# direction of a name it does not know, so it is given with `keras_tuner.Objective`.

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


grid = keras_tuner.GridSearch(build_small, objective=keras_tuner.Objective("val_error_rate", direction="min"),
                              directory=workspace, project_name="grid")
print("grid size:", math.prod(len(p.values) for p in grid.oracle.hyperparameters.space))

# %%
# NBVAL_IGNORE_OUTPUT
grid.search(**quiet_args)
print(trials_table(grid).round(4).to_string(index=False))
assert len(grid.oracle.trials) == 4

# %% [markdown]
# The custom metric could also be a `keras.metrics.Metric` subclass. For objectives that are
# not a Keras metric at all (training time, model size, a score on another data set), override
# the tuner's `run_trial` and return the value, as section 6 does.
#
# ### `BayesianOptimization`
#
# `BayesianOptimization` has the same interface. Its oracle draws `num_initial_points` random
# trials (3 per hyperparameter by default), then fits a Gaussian process (scikit-learn's,
# Matérn 5/2 kernel) and picks the next values by an upper confidence bound; chapter 5
# compares it with this course's own BO. A short run on the `build_small` space:

# %%
# NBVAL_IGNORE_OUTPUT
bayes = keras_tuner.BayesianOptimization(build_small, objective=keras_tuner.Objective("val_error_rate", "min"),
                                         max_trials=3, num_initial_points=2, seed=1, directory=workspace,
                                         project_name="bayes")
bayes.search(**quiet_args)
print(trials_table(bayes).round(4).to_string(index=False))
assert len(bayes.oracle.trials) == 3

# %% [markdown]
# ### `Hyperband`: many short trainings, a few long ones
#
# Hyperband (Li et al., 2018, JMLR 18(185)) spends epochs, not trials, where they are most
# useful. A *bracket* starts many configurations with a few epochs each, keeps the best
# $1/\text{factor}$ of them, trains those $\text{factor}$ times longer, and so on (successive
# halving); brackets differ in how aggressive they are, from "many configurations, very short"
# to "a few configurations at `max_epochs`" (plain random search). Keras Tuner's `Hyperband`
# continues a promoted configuration from its parent's checkpoint, so a trial that goes from
# epoch 1 to 3 trains only 2 epochs. The trial records say it all: the hyperparameters
# `tuner/epochs`, `tuner/initial_epoch`, `tuner/bracket`, `tuner/round` and, for a promoted
# trial, `tuner/trial_id` (its parent).

# %%
# NBVAL_IGNORE_OUTPUT
max_epochs = max(3, kt_epochs)
band = keras_tuner.Hyperband(build, objective="val_accuracy", max_epochs=max_epochs, factor=3, seed=1,
                             directory=workspace, project_name="hyperband")
band.search(**{**quiet_args, "epochs": max_epochs})
records = pd.DataFrame([{"trial": t.trial_id, **{k.removeprefix("tuner/"): v for k, v in t.hyperparameters.values.items()
                                                 if k.startswith("tuner/")}, "score": t.score}
                        for t in band.oracle.trials.values()]).fillna({"trial_id": "-"})
records["trained"] = records["epochs"] - records["initial_epoch"]
print(records.round(4).to_string(index=False))

# %%
# NBVAL_IGNORE_OUTPUT
print(f"{len(records)} trials trained {records['trained'].sum()} epochs in all; "
      f"{len(records)} trials of {max_epochs} epochs each would train {len(records) * max_epochs}")
assert records["trained"].sum() < len(records) * max_epochs

# %% [markdown]
# At this toy size there is little to save. The schedule itself does not depend on the model,
# so we can look at a realistic one for free: `max_epochs=27`, `factor=3`, driven through
# `frameworks.run_keras_tuner` with a stand-in objective that trains nothing (it records each
# trial's epochs in the history's extras).

# %%
def stand_in(params, epochs=1):  # a "score" that improves with epochs; no training
    return benchmarks.branin()(params) / epochs


schedule = frameworks.run_keras_tuner(stand_in, benchmarks.branin().space, algorithm="hyperband", n_trials=None,
                                      seed=0, max_epochs=27, factor=3)
plan = pd.DataFrame([t.extras for t in schedule])
plan["trained"] = plan["epochs"] - plan["initial_epoch"]
print(plan.groupby(["bracket", "round"])["epochs"].agg(trials="size", epochs="first").to_string())

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
palette = plt.get_cmap("tab10")
ax.bar(np.arange(len(plan)), plan["trained"], color=palette(plan["bracket"].to_numpy() % 10), width=0.9)
handles = [Patch(color=palette(b % 10), label=f"bracket {b}") for b in sorted(plan["bracket"].unique(), reverse=True)]
ax.set(xlabel="trial (in the order Keras Tuner ran them)", ylabel="epochs trained (count)",
       title=f"One Hyperband iteration: {len(plan)} trials train {plan['trained'].sum()} epochs; "
             f"as many full trainings would take {27 * len(plan)}")
ax.title.set_fontsize(10)
ax.legend(handles=handles, fontsize=8, ncol=4)
ax.grid(alpha=0.3, axis="y")

# %% [markdown]
# Bracket 3 starts 27 configurations at one epoch and promotes 9, 3, then 1; bracket 0 trains
# 4 configurations for all 27 epochs. The cost: a configuration that starts slowly (a small
# learning rate) is dropped after one epoch even if it would have won, which is why
# Hyperband keeps a bracket of full-length runs.
#
# ## 4. When trials fail
#
# Some configurations cannot run: the model does not fit in memory, the loss diverges, a
# library rejects a combination. Raise `keras_tuner.errors.FailedTrialError` (from `build`
# or `fit`) and Keras Tuner marks the trial `FAILED`, does not retry it, and moves on. Any
# other exception sends the trial back for a retry, up to `max_retries_per_trial` times
# (default 0), then marks it `FAILED`. Failures of both kinds count towards
# `max_consecutive_failed_trials` (default 3): that many in a row stop the search with a
# `RuntimeError`, because then something is wrong with the code, not with one configuration.

# %%
def fragile_build(hp):
    units = hp.Int("units", 16, 512, sampling="log")
    if units > 128:
        raise keras_tuner.errors.FailedTrialError(f"{units} units exceed the memory budget of 128")
    return small_model(units)


fragile = keras_tuner.RandomSearch(fragile_build, objective=keras_tuner.Objective("val_error_rate", "min"),
                                   max_trials=4, seed=1, directory=workspace, project_name="fragile")
with contextlib.redirect_stderr(io.StringIO()):  # Keras Tuner prints each failure's traceback; the trial keeps it
    fragile.search(**quiet_args)
status = pd.DataFrame([{"trial": t.trial_id, "units": t.hyperparameters.get("units"), "status": t.status,
                        "message": t.message.strip().splitlines()[-1].split("errors.")[-1] if t.message else "-"}
                       for t in fragile.oracle.trials.values()])
print(status.to_string(index=False))
assert set(status["status"]) == {"COMPLETED", "FAILED"}

# %% [markdown]
# The failed trials keep their message, are skipped by `get_best_trials` and, in Bayesian
# optimization, left out of the Gaussian process.
#
# ## 5. Distributed tuning: a chief and workers
#
# Trials are independent, so a search parallelizes across machines (or GPUs) with no change
# to the tuning code. Keras Tuner runs one **chief** process that holds the oracle and serves
# it over gRPC, and any number of **workers** that ask it for trials, train, and report back.
# Every process runs the same script; three environment variables tell each its role:
#
# | variable | chief | worker |
# | --- | --- | --- |
# | `KERASTUNER_TUNER_ID` | `chief` | a unique id: `tuner0`, `tuner1`, ... |
# | `KERASTUNER_ORACLE_IP` | address to listen on | the chief's address |
# | `KERASTUNER_ORACLE_PORT` | port to listen on | the chief's port |
#
# All processes must share the `directory` (a network file system on a cluster): workers
# write their checkpoints there. Here it runs for real, on this machine: one chief and one
# worker as subprocesses, on `127.0.0.1` and a free port, with a tiny model on synthetic data
# and two trials, under a time limit.

# %%
script = workspace / "distributed_search.py"
script.write_text(textwrap.dedent('''
    import os, sys
    import keras, keras_tuner, numpy as np

    x = np.random.default_rng(0).normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int32")

    def build(hp):
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(hp.Int("units", 4, 16), activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(keras.optimizers.Adam(hp.Float("learning_rate", 1e-3, 1e-1, sampling="log")),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    me = os.environ["KERASTUNER_TUNER_ID"]
    tuner = keras_tuner.RandomSearch(build, objective="val_accuracy", max_trials=2, seed=1,
                                     directory=sys.argv[1], project_name="distributed")
    print(me, "ready", flush=True)
    tuner.search(x, y, epochs=1, validation_split=0.25, verbose=0)  # the chief serves; a worker trains
    if me == "chief":
        best = tuner.oracle.get_best_trials(1)[0]
        print(f"chief: done, {len(tuner.oracle.trials)} trials, best {best.hyperparameters.values} "
              f"val_accuracy {best.score:.3f}", flush=True)
    else:
        print(me, "no trials left, exiting", flush=True)
'''))
with socket.socket() as s:  # ask the system for a free port
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
print("script written; oracle on 127.0.0.1, port chosen by the system")

# %%
# NBVAL_IGNORE_OUTPUT
env = {**os.environ, "KERASTUNER_ORACLE_IP": "127.0.0.1", "KERASTUNER_ORACLE_PORT": str(port),
       "TF_CPP_MIN_LOG_LEVEL": "3"}
processes = {role: subprocess.Popen([sys.executable, str(script), str(workspace)], text=True,
                                    env={**env, "KERASTUNER_TUNER_ID": role},
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for role in ("chief", "tuner0")}
noise = re.compile(r"^(WARNING: All log messages|[IWE]\d{4} |To enable the following)")
outputs = {}
for role, process in processes.items():
    try:
        outputs[role] = process.communicate(timeout=300)[0]
    except subprocess.TimeoutExpired:
        for p in processes.values():
            p.kill()
        outputs[role] = process.communicate()[0] + "\n(killed after 300 s)"
    print(f"--- {role} (exit code {process.returncode})")
    print("\n".join(line for line in outputs[role].splitlines() if line.strip() and not noise.match(line)))
assert all(p.returncode == 0 for p in processes.values()) and "2 trials" in outputs["chief"]

# %% [markdown]
# The worker trained both trials; the chief only served the oracle and, once the worker
# found no trial left, returned the results. On a cluster you would start the chief and
# each worker the same way, by your job scheduler, with the chief's address. For several
# GPUs in *one* machine, the alternative is one worker per GPU (set `CUDA_VISIBLE_DEVICES`
# per worker), or a single tuner with `distribution_strategy=tf.distribute.MirroredStrategy()`
# to train each trial on all GPUs at once.
#
# ## 6. A custom tuner with the genetic algorithm
#
# Keras Tuner has no genetic algorithm; chapter 6 built one, and
# `frameworks.GeneticOracle` wraps it as a Keras Tuner oracle. A tuner is also easy to write:
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
        params = frameworks.params_from_hp(trial.hyperparameters, ga_space)
        return {"val_accuracy": objective(params)["value"]}


oracle = frameworks.GeneticOracle(objective=keras_tuner.Objective("val_accuracy", "max"), max_trials=5,
                                  hyperparameters=frameworks.to_hyperparameters(ga_space), population_size=3, seed=0)
ga_tuner = ObjectiveTuner(oracle=oracle, directory=workspace, project_name="genetic")

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


study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
study.optimize(optuna_objective, n_trials=P.n_trials_synthetic)
with_momentum = sum("momentum" in t.params for t in study.trials)
print(f"best {study.best_value:.4f} with {study.best_params}; {with_momentum} of {len(study.trials)} trials had a momentum")

# %% [markdown]
# **Pruning** stops unpromising trials early, like Hyperband but one trial at a time: the
# objective reports an intermediate value each epoch (`trial.report(value, epoch)`) and asks
# `trial.should_prune()`; the `MedianPruner` says yes when the value is worse than the median
# of earlier trials at the same epoch. A stand-in for training curves shows what it saves:

# %%
def curve_objective(trial, max_epochs=20):
    params = {"learning_rate": trial.suggest_float("learning_rate", 1e-4, 1.0, log=True),
              "units": trial.suggest_int("units", 1, 10),
              "activation": trial.suggest_categorical("activation", ["relu", "tanh", "sigmoid"])}
    final = mixed(params)  # where this configuration's curve ends: lower is better
    for epoch in range(max_epochs):
        value = final + 5.0 * math.exp(-epoch / 4)  # a loss curve that decays towards `final`
        trial.report(value, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return value


# %%
runs = {}
for name, pruner in [("no pruning", optuna.pruners.NopPruner()),
                     ("median pruning", optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=3))]:
    runs[name] = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0), pruner=pruner)
    runs[name].optimize(curve_objective, n_trials=P.n_trials_synthetic)
pruning = pd.DataFrame({name: {"epochs trained": sum(len(t.intermediate_values) for t in s.trials),
                               "trials pruned": sum(t.state == optuna.trial.TrialState.PRUNED for t in s.trials),
                               "best value": round(s.best_value, 4)} for name, s in runs.items()})
print(pruning.to_string())

# %% [markdown]
# Pruning trains a fraction of the epochs. Whether it finds as good a configuration depends on
# whether early epochs rank configurations the way late ones do; on real networks they mostly
# do, but not for slow starters (small learning rates), the same caveat as Hyperband's.
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
# trials, such as ASHA (asynchronous successive halving, Li et al., 2020, MLSys: Hyperband
# without waiting for a whole rung) and Population Based Training (PBT, Jaderberg et al.,
# 2017: a GA that mutates hyperparameters *during* training and copies the weights of good
# trials), and wrappers around other search libraries (Optuna, HyperOpt, Ax, ...).
#
# **Which to pick?** Keras Tuner when the model is Keras and the search fits on a machine or
# a few (it is the simplest, and checkpointing, Hyperband and TensorBoard come built in).
# Optuna for any framework, conditional spaces, TPE, pruning and a persistent study database
# that several processes can share. Ray Tune when you have a cluster, need ASHA or PBT at
# scale, or tune reinforcement-learning agents. All three accept your own search algorithm.
#
# ## Exercises
#
# **Exercise 1.** Write `build_deep(hp)`: a Flatten, then `hp.Int("n_layers", 1, 3)` Dense
# layers, layer `i` with its own width `hp.Int(f"units_{i}", 8, 64)` and ReLU, then a 10-way
# softmax, compiled with Adam and sparse categorical cross-entropy. (Input shape `(8, 8, 1)`.)

# %%
from hpo_lessons.exercises import ch07


def build_deep(hp):
    ...  # your code here


# %%
# Solution
def build_deep(hp):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
    for i in range(hp.Int("n_layers", 1, 3)):
        model.add(keras.layers.Dense(hp.Int(f"units_{i}", 8, 64), activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# %%
ch07.check_build_deep(build_deep)

# %% [markdown]
# **Exercise 2.** Given Hyperband trial records (dicts of hyperparameter values with
# `tuner/epochs` and `tuner/initial_epoch`), write `epochs_trained(records)`: the epochs
# Keras Tuner's `Hyperband` really trains, promoted trials continuing from their parent's
# checkpoint.

# %%
def epochs_trained(records):
    ...  # your code here


# %%
# Solution
def epochs_trained(records):
    return sum(r["tuner/epochs"] - r["tuner/initial_epoch"] for r in records)


# %%
ch07.check_epochs_trained(epochs_trained)

# %% [markdown]
# **Exercise 3.** Write `tuner_env(tuner_id, ip, port)`: the environment variables (a dict of
# strings) that make a process the chief (`tuner_id="chief"`) or a worker of a distributed
# Keras Tuner search whose oracle listens on `ip:port`.

# %%
def tuner_env(tuner_id, ip, port):
    ...  # your code here


# %%
# Solution
def tuner_env(tuner_id, ip, port):
    return {"KERASTUNER_TUNER_ID": str(tuner_id), "KERASTUNER_ORACLE_IP": str(ip), "KERASTUNER_ORACLE_PORT": str(port)}


# %%
ch07.check_tuner_env(tuner_env)

# %%
shutil.rmtree(workspace, ignore_errors=True)  # every project, log and checkpoint of this chapter
print("workspace removed:", not workspace.exists())

# %% [markdown]
# ## Summary
#
# - Keras Tuner = a **hypermodel** (`build(hp)`, or a `HyperModel` whose `fit` tunes
#   training too) + an **oracle** (random, grid, Bayesian, Hyperband, or your own) + a
#   **tuner** that trains, checkpoints and records.
# - The space is declared by running `build(hp)`: `Int`, `Float` (log for scales), `Choice`,
#   `Boolean`, `Fixed`, and conditional hyperparameters through `conditional_scope` or loops.
# - Hyperband buys many short trainings and a few long ones; its trial records show exactly
#   how many epochs each trial trained.
# - A search leaves a project directory: resume it with `overwrite=False`, read it with
#   `get_best_trials` / `get_best_models` / `get_best_hyperparameters`, and see it in
#   TensorBoard's HParams view. `FailedTrialError` marks a configuration as failed.
# - Distributed tuning is the same script on every machine, with three environment variables.
# - Custom tuners and oracles plug anything in, such as chapter 6's genetic algorithm.
# - Optuna (define-by-run, TPE, pruning) suits any framework; Ray Tune suits clusters and
#   schedulers such as ASHA and PBT.
#
# **What next.** Chapter 8 puts the course together: which method to use when, the budgets
# that make sense, and where the field is going.
#
# **References.** O'Malley, T. et al. (2019). KerasTuner. https://github.com/keras-team/keras-tuner
# · Li, L., Jamieson, K., DeSalvo, G., Rostamizadeh, A. & Talwalkar, A. (2018). Hyperband: a
# novel bandit-based approach to hyperparameter optimization. *JMLR* 18(185). · Li, L. et al.
# (2020). A system for massively parallel hyperparameter tuning. *MLSys*. · Bergstra, J.,
# Bardenet, R., Bengio, Y. & Kégl, B. (2011). Algorithms for hyper-parameter optimization.
# *NeurIPS*. · Akiba, T., Sano, S., Yanase, T., Ohta, T. & Koyama, M. (2019). Optuna: a
# next-generation hyperparameter optimization framework. *KDD*. · Liaw, R. et al. (2018).
# Tune: a research platform for distributed model selection and training. *ICML AutoML
# workshop*. · Jaderberg, M. et al. (2017). Population based training of neural networks.
# arXiv:1711.09846.
