# %% [markdown]
# # 2. The training pipeline, and what each choice in it does
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/02_training_pipeline.ipynb)
#
# Before tuning a network we need to know what it goes through and where the
# hyperparameters act. The source article describes the pipeline in five stages
# (its section 2.1):
#
# 1. **data preprocessing**: cleaning, normalization, feature engineering;
# 2. **model design**: the architecture, the loss, the optimizer and its hyperparameters;
# 3. **training**: pass over the training set many times, update the weights, reduce the loss;
# 4. **evaluation**: measure on held-out data, detect over- or under-fitting, go back and
#    re-tune;
# 5. **deployment**: save the model and use it.
#
# When the model does poorly, it lists six things to look at (its section 2.2): the data
# split, weight initialization, the activation function, the optimizer, the loss function
# and the learning rate. This chapter walks through the five stages on the digits data
# with Keras, measures once how much a score moves when nothing but the random seed
# changes (the **noise band** that every later comparison in the course is held against),
# then runs one small experiment for each of the six points. Two of the article's
# statements turn out to be wrong (the data split and the learning rate), and a third
# needs a qualification; the experiments show why.

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
from hpo_lessons.keras_task import setup_backend

setup_backend(verbose=True);

# %%
import dataclasses
import json
import math
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from sklearn.model_selection import StratifiedKFold, train_test_split

from hpo_lessons import keras_task as kt
from hpo_lessons.experiments import noise

# %% [markdown]
# # Part 1: the five stages
#
# ## Stage 1: data preprocessing
#
# The digits images store each pixel as a count from 0 to 16 (MNIST uses 0 to 255).
# `load_data` divides by that maximum, so the network sees numbers in $[0, 1]$. Why
# bother? Run the same network on the raw counts and on the scaled pixels.

# %%
data = kt.load_data(P.dataset, max_train_samples=P.max_train_samples)
raw_max = {"digits": 16}.get(data.name, 255)  # the keras.datasets images are bytes, 0..255
raw = dataclasses.replace(data, name=f"{data.name}-raw", x_train=data.x_train * raw_max,
                          x_val=data.x_val * raw_max, x_test=data.x_test * raw_max)
print(data)
print(f"scaled pixels in [{data.x_train.min():g}, {data.x_train.max():g}], raw pixels in "
      f"[{raw.x_train.min():g}, {raw.x_train.max():g}]")

# %% [markdown]
# The experiments in this chapter share one small function. It builds the package's
# network from a dictionary of hyperparameters (anything not given keeps its default,
# printed in stage 2), trains it with a fixed seed, and returns the per-epoch curves with
# the state *before* training as epoch 0. Unlike `kt.train` it keeps a loss that becomes NaN
# instead of raising, because we want to plot divergence. Runs are remembered, so an
# experiment that needs a configuration already trained reuses it.

# %%
BASE = {"epochs": P.epochs, "batch_size": P.batch_size}
RUNS = {}
CURVES = ("loss", "accuracy", "val_loss", "val_accuracy")


def untrained(model, data):
    """The curves' epoch 0: loss and accuracy on the training and validation sets before any step."""
    start = model.evaluate(data.x_train, data.y_train, verbose=0, return_dict=True)
    start.update({f"val_{k}": v for k, v in model.evaluate(data.x_val, data.y_val, verbose=0,
                                                            return_dict=True).items()})
    return start


# %%
def train_curves(p, data, prepare=None):
    """One training of the resolved params `p` with seed 0: the curves from epoch 0, and the model."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    model = kt.build_model(p, data, steps_per_execution=math.ceil(len(data.y_train) / p["batch_size"]))
    if prepare is not None:
        prepare(model)  # e.g. other initial weights
    start = untrained(model, data)
    h = model.fit(data.x_train, data.y_train, epochs=p["epochs"], batch_size=p["batch_size"],
                  validation_data=(data.x_val, data.y_val), verbose=0).history
    return {**{k: np.array([start[k]] + h[k]) for k in CURVES}, "model": model}


# %%
def fit(params, data=data, prepare=None, tag=""):
    """Per-epoch loss and accuracy (training and validation), epoch 0 being the untrained network."""
    p = kt.resolve_params({**BASE, **params})
    key = (data.name, tag, json.dumps(p, sort_keys=True))  # the same network, however it was written
    if key not in RUNS:
        RUNS[key] = train_curves(p, data, prepare)
    return RUNS[key]


# %% [markdown]
# Two optimizers, each with and without scaling: plain stochastic gradient descent (SGD)
# with learning rate 0.3, and Adam at its default 0.001.

# %%
# NBVAL_IGNORE_OUTPUT
scaling = {(opt, name): fit(params, d)["val_accuracy"]
           for opt, params in (("SGD", {"optimizer": "sgd", "learning_rate": 0.3}), ("Adam", {}))
           for name, d in (("scaled", data), ("raw", raw))}
for (opt, name), acc in scaling.items():
    print(f"{opt:5s} {name:7s} validation accuracy {acc[-1]:.3f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, opt in zip(axes, ("SGD", "Adam")):
    for (name, style) in (("scaled", "-o"), ("raw", "--s")):
        ax.plot(scaling[opt, name], style, markersize=4, label=f"{name} pixels")
    ax.set(xlabel="epoch (0 = untrained)", ylabel="validation accuracy",
           title=f"{opt}: {scaling[opt, 'scaled'][-1]:.0%} scaled, {scaling[opt, 'raw'][-1]:.0%} raw")
    ax.yaxis.set_tick_params(labelleft=True)
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
change = {opt: 100 * (scaling[opt, "raw"][-1] - scaling[opt, "scaled"][-1]) for opt in ("SGD", "Adam")}
fig.suptitle(f"Raw instead of scaled pixels: SGD {change['SGD']:+.0f} percentage points, Adam {change['Adam']:+.0f}")
fig.tight_layout()

# %%
assert scaling["SGD", "scaled"][-1] > scaling["SGD", "raw"][-1] + 0.2
assert abs(change["Adam"]) < 10  # Adam barely notices the scale (a few points at most)

# %% [markdown]
# The gradient of the loss with respect to a first-layer weight is proportional to the
# input it multiplies. Raw pixels, 16 times larger here (255 times for MNIST), make those
# gradients as many times larger, and the pre-activations too, so a learning rate that
# suits scaled inputs overshoots on raw ones. Adam divides each weight's step by a running
# estimate of its gradient's size, which cancels much of the scale (Kingma & Ba, 2015); it
# is one reason Adam is a popular default. Scaling inputs to a small common range, or
# standardizing them to zero mean and unit variance, is the first recommendation of LeCun
# et al. (1998, *Efficient BackProp*). Preprocessing choices are hyperparameters too, and
# they change which values of the other hyperparameters work.
#
# ## Stage 2: model design
#
# The package's `build_model` turns a dictionary of hyperparameters into a compiled Keras
# network. These are the ones it knows, with their defaults:

# %%
for name, value in kt.DEFAULT_PARAMS.items():
    print(f"{name:20s} {value!r}")

# %% [markdown]
# With the defaults and this profile's budget, the network is an MLP: the 8×8 image
# flattened to 64 numbers, one hidden layer of 64 ReLU units, a softmax over the 10 classes,
# trained by Adam at learning rate 0.001 on the cross-entropy loss.

# %%
model = kt.build_model(BASE, data)
for layer in model.layers:
    print(f"{type(layer).__name__:8s} output shape {str(layer.output.shape):10s} {layer.count_params():5d} parameters")

# %% [markdown]
# ## Stage 3: training
#
# `kt.train` seeds Python, NumPy and TensorFlow, builds the network, and runs `fit` for
# `P.epochs` epochs: each epoch is one pass over the training set in shuffled mini-batches
# of `P.batch_size`, one gradient step per batch. It returns the trained model and the
# per-epoch curves.

# %%
# NBVAL_IGNORE_OUTPUT
model, history = kt.train(BASE, data, seed=0)
print({k: round(v[-1], 3) for k, v in history.items()})

# %%
epochs = np.arange(1, len(history["loss"]) + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
for split, style in (("", "-o"), ("val_", "--s")):
    label = "validation" if split else "training"
    left.plot(epochs, history[f"{split}loss"], style, markersize=4, label=label)
    right.plot(epochs, history[f"{split}accuracy"], style, markersize=4, label=label)
still_falling = history["val_loss"][-1] < history["val_loss"][-2]
left.set(xlabel="epoch", ylabel="cross-entropy loss",
         title="Validation loss still falling: under-fitting" if still_falling else "Validation loss turned up")
right.set(xlabel="epoch", ylabel="accuracy", title=f"Accuracy {history['accuracy'][-1]:.1%} training, "
          f"{history['val_accuracy'][-1]:.1%} validation")
for ax in (left, right):
    ax.legend()
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# (The training loss of an epoch is averaged over its batches while the network improves,
# so early on it lags behind the validation loss, measured at the end of the epoch.)
# These learning curves are the first diagnostic of stage 4. Both losses still falling
# means the network is **under-fitting**: more epochs, a larger learning rate or a bigger
# network would help. A training loss that keeps falling while the validation loss turns
# up means **over-fitting**: the network memorizes the training set, and regularization
# (dropout, weight decay, early stopping) or more data would help.
#
# ## Stage 4: evaluation, on a proper split
#
# A model is judged on data it has not been trained on, and a *tuned* model on data it has
# not been tuned on either. Hence three sets:
#
# - the **training set** fits the weights;
# - the **validation set** scores each hyperparameter configuration; because we pick the
#   best of many scores, the winner's validation score is optimistic;
# - the **test set** is used once, at the end, for an unbiased estimate of the chosen model.
#
# `load_data` made a stratified split (each class keeps its share in every part):

# %%
for part in ("train", "val", "test"):
    y = getattr(data, f"y_{part}")
    print(f"{part:5s} {len(y):6d} examples, {len(y) / (len(data.y_train) + len(data.y_val) + len(data.y_test)):4.0%}"
          f", per class {np.bincount(y).min()} to {np.bincount(y).max()}")

# %%
# NBVAL_IGNORE_OUTPUT
test_accuracy = model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)["accuracy"]
print(f"test accuracy {test_accuracy:.3f} (validation {history['val_accuracy'][-1]:.3f})")

# %%
assert test_accuracy > 0.8

# %% [markdown]
# ### How much does a score move by chance? The noise band
#
# A validation accuracy is a noisy number, for two reasons.
#
# - **The seed.** Training starts from random weights and visits the batches in a random
#   order. Train the same configuration with another seed and it scores differently.
# - **The sample.** An accuracy $p$ measured on $n$ images estimates the accuracy on all
#   images like them. The number of correct answers is binomial, so the estimate has a
#   standard error $\sqrt{p(1-p)/n}$.
#
# We measure both once, for the default network, with the package's `hpo_lessons.experiments.noise`
# (its `seed_spread` trains a configuration over several seeds with `kt.train`). At least
# five seeds: fewer give a standard deviation too rough to use.

# %%
# NBVAL_IGNORE_OUTPUT
N_SEEDS = max(5, P.n_seeds)
band = noise.seed_spread(BASE, data, seeds=N_SEEDS)
print(band)
print("validation accuracy per seed:", np.round(band.scores, 3))

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.8))
ax.plot(band.seeds, band.scores, "o", label="one run per seed")
ax.axhline(band.mean, color="black", linewidth=1, label=f"mean {band.mean:.1%}")
ax.axhspan(band.mean - 2 * band.std, band.mean + 2 * band.std, color="tab:blue", alpha=0.15,
           label=f"mean ± 2 seed std ({2 * band.std:.1%})")
ax.axhspan(band.mean - 1.96 * band.binomial_se, band.mean + 1.96 * band.binomial_se, color="tab:orange",
           alpha=0.12, label=f"mean ± 1.96 binomial SE on {band.n} images ({1.96 * band.binomial_se:.1%})")
ax.set(xlabel="seed", ylabel="validation accuracy", xticks=band.seeds,
       ylim=(band.mean - 3.5 * band.binomial_se, band.mean + 5 * band.binomial_se),
       title=f"Seed std {band.std:.2%}, range {band.range:.1%}; binomial SE {band.binomial_se:.1%}")
ax.legend(fontsize=8, loc="upper left")
ax.grid(alpha=0.3)

# %%
assert 0 < band.std < band.binomial_se  # the seed moves the score less than the 359 images' sampling error
assert math.isclose(band.binomial_se, math.sqrt(band.mean * (1 - band.mean) / len(data.y_val)))

# %% [markdown]
# Here the seed moves the default network's validation accuracy by less than the binomial
# error of 359 images. The two numbers answer different questions:
#
# - *How well will this model do on new images?* The binomial error answers: the
#   validation (or test) score is that far from the truth, whatever the seed.
# - *Is configuration A better than configuration B?* Both are scored on the same 359
#   images, so the images' luck is largely shared, and the seed noise is the yardstick.
#   Two single runs of equally good configurations differ by a normal variable with
#   standard deviation $\sqrt 2$ times the seed std, so a difference smaller than
#   $2\sqrt 2 \approx 2.8$ seed standard deviations is one that chance alone produces about
#   one time in twenty or more. That threshold is what the course calls **the noise band**
#   (`band.band()`, printed above; `band.band(k)` for means over $k$ seeds, $\sqrt k$
#   times narrower). A difference inside it is called noise.
#
# The band was measured for one configuration. Others can be noisier (a large learning
# rate, for one), so take it as the least a difference must exceed. Later chapters
# recompute it with `noise.seed_spread` rather than copying a number.
#
# ### k-fold cross-validation when data is scarce
#
# With few examples, a single validation set is small and its score noisy. The binomial
# error grows as $1/\sqrt n$:

# %%
for n in (60, len(data.y_val), 1000):
    print(f"accuracy 0.9 measured on {n:4d} examples: standard error {noise.binomial_se(0.9, n):.1%}")

# %% [markdown]
# **k-fold cross-validation** splits the data into $k$ folds, trains $k$ times, each time
# validating on one fold and training on the others, and averages: every example is used
# for validation once. It costs $k$ trainings per configuration, which is why it is used
# for small data (Hastie, Tibshirani & Friedman, 2009, sec. 7.10).
#
# Here, pretend we only have 300 training examples, and use scikit-learn's
# `StratifiedKFold` with $k = 5$ around the package's `kt.train`:

# %%
# NBVAL_IGNORE_OUTPUT
small = np.random.default_rng(0).choice(len(data.y_train), size=300, replace=False)
x_small, y_small = data.x_train[small], data.y_train[small]
fold_scores = []
for train_idx, val_idx in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x_small, y_small):
    fold = dataclasses.replace(data, x_train=x_small[train_idx], y_train=y_small[train_idx],
                               x_val=x_small[val_idx], y_val=y_small[val_idx])
    _, h = kt.train(BASE, fold, seed=0)
    fold_scores.append(h["val_accuracy"][-1])
fold_se = noise.binomial_se(np.mean(fold_scores), len(val_idx))
print("fold accuracies:", np.round(fold_scores, 3))
print(f"5-fold estimate: {np.mean(fold_scores):.3f} ± {np.std(fold_scores, ddof=1) / np.sqrt(5):.3f} (standard error); "
      f"fold-to-fold std {np.std(fold_scores, ddof=1):.3f}, binomial SE of one fold of {len(val_idx)}: {fold_se:.3f}")

# %%
assert len(fold_scores) == 5 and 0.2 * fold_se < np.std(fold_scores, ddof=1) < 3 * fold_se

# %% [markdown]
# The folds disagree by a few points, of the order of the binomial error of 60 images
# (printed): the noise a single small validation set would have hidden. (The folds' scores are not independent, so the
# standard error of their mean is only a rough guide: Bengio & Grandvalet, 2004.)
#
# ## Stage 5: deployment
#
# Deploying starts with saving the trained model in one file, in Keras' native `.keras`
# format (architecture, weights and optimizer state together), and checking that the
# reloaded model predicts exactly what the original does.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "digits.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    same = np.array_equal(model.predict(data.x_test, verbose=0), reloaded.predict(data.x_test, verbose=0))
print(f"saved and reloaded: identical predictions on {len(data.y_test)} test images: {same}")

# %%
assert same

# %% [markdown]
# # Part 2: six things that change what a network learns
#
# Each experiment below changes one thing against the default network of stage 2 and
# trains with the same seed, so the differences come from that one change; the noise band
# says which differences are larger than a change of seed would make.
#
# ## (1) The data split
#
# The article says that the training and validation sets should be **smaller than the test
# set**. That is the wrong way round. The training set is normally the **largest** part,
# because the model learns from it (Goodfellow et al., 2016, sec. 5.3: typically about 80
# percent of the training data for training, 20 for validation). The validation and test
# sets only need to be large enough to *measure* accuracy precisely enough; that is what
# they are held out for.
#
# The article's ordering does buy something: a larger test set measures more precisely.
# The experiment weighs the two. All 1,797 digits are split three ways, at the usual
# 60/20/20 and at two readings of the article, 20/20/60 and 10/10/80, each with five
# random stratified splits and seeds. For each we report the test accuracy (how good the
# model is) and the 95 percent interval of that test estimate (how precisely it is known,
# from the test set's size alone). Two things keep it fair: a smaller training set is
# repeated so that every run takes the same number of gradient steps, and every run uses
# Adam at learning rate 0.01, a rate that trains this network well within the budget (the
# default 0.001 is still under-fitting, which would hide what data adds; chapter 3 maps
# the good rates).

# %%
pool_x = np.concatenate([data.x_train, data.x_val, data.x_test])
pool_y = np.concatenate([data.y_train, data.y_val, data.y_test])
SPLITS = {"usual 60/20/20": (0.6, 0.2), "article 20/20/60": (0.2, 0.2), "article 10/10/80": (0.1, 0.1)}
SPLIT_PARAMS = {**BASE, "learning_rate": 0.01}


def three_way(train_share, val_share, seed):
    """A stratified split of all the digits, the training part repeated to about the usual size (same steps)."""
    x_train, x_rest, y_train, y_rest = train_test_split(pool_x, pool_y, train_size=train_share, stratify=pool_y,
                                                        random_state=seed)
    x_val, x_test, y_val, y_test = train_test_split(x_rest, y_rest, train_size=val_share / (1 - train_share),
                                                    stratify=y_rest, random_state=seed)
    repeat = np.tile(np.arange(len(y_train)), max(1, round(len(data.y_train) / len(y_train))))
    return dataclasses.replace(data, x_train=x_train[repeat], y_train=y_train[repeat], x_val=x_val, y_val=y_val,
                               x_test=x_test, y_test=y_test)


# %%
# NBVAL_IGNORE_OUTPUT
split_scores, test_size = {}, {}
for name, (train_share, val_share) in SPLITS.items():
    for seed in range(N_SEEDS):
        part = three_way(train_share, val_share, seed)
        split_scores.setdefault(name, []).append(kt.evaluate(SPLIT_PARAMS, part, seed=seed))
    test_size[name] = len(part.y_test)
split_scores = {name: np.array(s) for name, s in split_scores.items()}
for name, s in split_scores.items():
    low, high = noise.binomial_interval(s.mean(), test_size[name])
    print(f"{name}: test set {test_size[name]:4d}, test accuracy {s.mean():.3f} (seeds {np.round(s, 3)}), "
          f"95% interval of one estimate ±{(high - low) / 2:.3f}")

# %% [markdown]
# The model loses accuracy, the estimate gains precision. Each split against the usual
# one, with the standard error of the difference of two five-seed means:

# %%
# NBVAL_IGNORE_OUTPUT
usual = split_scores["usual 60/20/20"]
half_width = {name: np.subtract(*noise.binomial_interval(s.mean(), test_size[name])[::-1]) / 2
              for name, s in split_scores.items()}
cost, cost_se = {}, {}
for name, s in split_scores.items():
    cost[name] = usual.mean() - s.mean()
    cost_se[name] = math.sqrt(usual.var(ddof=1) / len(usual) + s.var(ddof=1) / len(s))
    if name != "usual 60/20/20":
        verdict = "beyond noise" if cost[name] > 2 * cost_se[name] else "within noise"
        print(f"{name}: accuracy {100 * cost[name]:.1f} points lower (± {100 * cost_se[name]:.1f}, {verdict}); "
              f"interval {100 * (half_width['usual 60/20/20'] - half_width[name]):.1f} points narrower")

# %%
def plot_splits(left, right):
    """Left: each seed's test accuracy and the mean ± its test interval; right: that interval's half-width."""
    for i, (name, s) in enumerate(split_scores.items()):
        left.plot(np.full(len(s), i) + np.linspace(-0.12, 0.12, len(s)), s, "o", alpha=0.6, color=f"C{i}")
        left.errorbar(i + 0.3, s.mean(), yerr=half_width[name], fmt="D", color=f"C{i}", capsize=5,
                      label=f"{name}: mean ± its test interval")
        right.bar(i, 100 * half_width[name], color=f"C{i}", label=f"{name} ({test_size[name]} test images)")


# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4))
plot_splits(left, right)
for ax, (ylabel, title) in zip((left, right), (("test accuracy (one dot per seed)", "How good the model is"), (
        "95% interval of one test estimate (± points)", "How precisely the test set measures it"))):
    ax.set(xticks=range(len(SPLITS)), xticklabels=[name.split()[-1] for name in SPLITS], ylabel=ylabel, title=title,
           xlabel="training / validation / test split (percent)")
    ax.legend(fontsize=7, loc="lower left" if ax is left else "upper left")
    ax.grid(axis="y", alpha=0.3)
right.set_ylim(0, 1.6 * 100 * max(half_width.values()))
worst = list(SPLITS)[-1]
fig.suptitle(f"{worst}: {100 * cost[worst]:.1f} points less accurate, for an interval only "
             f"{100 * (half_width['usual 60/20/20'] - half_width[worst]):.1f} points narrower")
fig.tight_layout()

# %%
gain = {name: half_width["usual 60/20/20"] - half_width[name] for name in SPLITS}
assert cost[worst] > 2 * cost_se[worst]  # a real loss, beyond the seed-and-split noise
assert cost[worst] > 2 * gain[worst]  # lost far more accuracy than the interval gained
assert all(0 < gain[name] < 0.015 for name in list(SPLITS)[1:])  # larger test sets, narrower: by a point or so

# %%
tripled, n_usual = list(SPLITS)[1], test_size["usual 60/20/20"]
at_equal_accuracy = half_width["usual 60/20/20"] * (1 - math.sqrt(n_usual / test_size[tripled]))
print(f"{n_usual} -> {test_size[tripled]} test images: at equal accuracy the interval would narrow by "
      f"{100 * at_equal_accuracy:.1f} points; it narrowed by {100 * gain[tripled]:.1f}")
assert 0 < gain[tripled] < at_equal_accuracy < 0.01  # under a point, and less than the 1/sqrt(n) rule alone

# %% [markdown]
# Moving images from training to test narrows the interval only slowly, as $1/\sqrt n$:
# tripling the test set (from 360 to 1,079 images) would narrow it by $1 - 1/\sqrt 3$, about
# 42 percent, at equal accuracy, which is under one point here (printed above). It narrowed
# by less, because a less accurate model is measured less precisely, since $p(1-p)$ grows as
# $p$ falls. The stronger reversal, 10/10/80, costs
# more than twice as much accuracy as it gains in precision, beyond the noise. The milder one, 20/20/60, costs less
# on these easy digits (the printout says whether five seeds can tell its loss from
# noise); the harder the task and the longer its learning curve keeps rising, the more
# a small training set costs. So: give the training set most of the data, hold out enough
# to measure with the precision the decision needs (the binomial error says how many
# images that takes), and for small data use k-fold cross-validation (stage 4) rather
# than shrinking the training set.
#
# ## (2) Weight initialization
#
# Initial weights must break the **symmetry** between units: if all hidden units start with
# the same weights, they compute the same output, receive the same gradient and stay equal
# forever, so a layer of 64 units is no better than one unit. With all-zero weights and
# ReLU it is worse still: every hidden unit outputs 0 with gradient 0, and only the output
# biases learn. Weights that are too large are a different problem: activations and
# logits blow up, the softmax saturates, and the network starts far from anything useful.
# Glorot & Bengio (2010) chose the scale that keeps the variance of activations about
# constant from layer to layer, Keras' default (`glorot_uniform`); He et al. (2015) adapted
# it to ReLU.
#
# Four starts, otherwise the same network: all zeros, all equal to 0.05, Glorot's default,
# and a normal distribution with standard deviation 1 (far too large for 64 inputs).

# %%
def kernels(fill):
    """A `prepare` function that replaces every Dense kernel with fill(shape, rng)."""
    def prepare(model):
        rng = np.random.default_rng(0)
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                layer.kernel.assign(fill(layer.kernel.shape, rng).astype("float32"))
    return prepare


def n_distinct_units(run):
    """How many different weight vectors the hidden layer's units have after training."""
    kernel = run["model"].layers[1].kernel.numpy().round(6)  # one column of weights per unit
    return np.unique(kernel, axis=1).shape[1]


# %%
# NBVAL_IGNORE_OUTPUT
inits = {
    "zeros": fit({"kernel_initializer": "zeros"}),
    "constant 0.05": fit({}, prepare=kernels(lambda shape, rng: np.full(shape, 0.05)), tag="constant"),
    "glorot_uniform (default)": fit({}),
    "normal, std 1": fit({}, prepare=kernels(lambda shape, rng: rng.normal(0, 1, shape)), tag="normal1"),
}
for name, run in inits.items():
    print(f"{name:25s} loss {run['loss'][0]:6.2f} -> {run['loss'][-1]:6.3f}, validation accuracy "
          f"{run['val_accuracy'][-1]:.3f}, distinct hidden units after training: {n_distinct_units(run)}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, run), style in zip(inits.items(), ("-o", "--s", "-^", ":D")):
    ax.semilogy(run["loss"], style, markersize=4, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss (log scale)",
       title=f"Symmetric starts stay near chance (loss ln 10 = {math.log(10):.2f}); too large starts high")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)


# %%
assert n_distinct_units(inits["zeros"]) == 1 and n_distinct_units(inits["constant 0.05"]) == 1
assert inits["zeros"]["val_accuracy"][-1] < 0.25
assert inits["glorot_uniform (default)"]["val_accuracy"][-1] > inits["constant 0.05"]["val_accuracy"][-1] + 0.2
assert inits["normal, std 1"]["loss"][0] > 3 * inits["glorot_uniform (default)"]["loss"][0]
assert inits["normal, std 1"]["loss"][-1] > inits["glorot_uniform (default)"]["loss"][-1]

# %% [markdown]
# Both symmetric starts end with a single distinct hidden unit, repeated 64 times: the
# zero start does not learn at all, the constant start learns what one hidden unit can.
# The too-large start begins with a huge loss and spends its budget recovering; it ends
# above the default start's loss.
#
# ## (3) The activation function
#
# Without a nonlinearity between them, stacked linear layers collapse into one linear map.
# The sigmoid was the classic choice, but its derivative is at most 1/4 and vanishes for
# large inputs, which slows learning; tanh is centred on 0; ReLU, $\max(0, z)$, has
# derivative 1 wherever it is active (Glorot, Bordes & Bengio, 2011).

# %%
# NBVAL_IGNORE_OUTPUT
activations = {name: fit({"activation": name}) for name in ("relu", "tanh", "sigmoid")}
for name, run in activations.items():
    print(f"{name:8s} final training loss {run['loss'][-1]:.3f}, validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, run), style in zip(activations.items(), ("-o", "--s", ":^")):
    ax.plot(run["loss"], style, markersize=4, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
slowest = max(activations, key=lambda name: activations[name]["loss"][-1])
relu_tanh = activations["relu"]["val_accuracy"][-1] - activations["tanh"]["val_accuracy"][-1]
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss",
       title=f"Slowest to learn: {slowest}; relu - tanh {relu_tanh:+.1%} (noise band {band.band():.1%})")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert activations["sigmoid"]["loss"][-1] > activations["relu"]["loss"][-1]
assert activations["sigmoid"]["loss"][-1] > activations["tanh"]["loss"][-1]
assert abs(relu_tanh) < 0.05  # within a few points of each other

# %% [markdown]
# The sigmoid learns slowest; ReLU and tanh end within a few points of each other on this
# small, shallow network (the title holds their difference against the noise band). In
# deeper networks the differences grow, because a derivative below 1 is multiplied once
# per layer on the way back (the vanishing gradient). How much a hyperparameter matters
# depends on the task and the model, which chapter 3 measures.
#
# ## (4) The optimizer
#
# Plain SGD takes a step against the gradient; **momentum** (Polyak, 1964) accumulates a
# velocity that smooths and speeds it up; **RMSprop** (Tieleman & Hinton, 2012) and
# **Adam** (Kingma & Ba, 2015) scale each weight's step by a running root mean square of its
# gradients. Each optimizer here runs at Keras' default learning rate (0.01 for SGD and
# momentum, 0.001 for RMSprop and Adam).

# %%
# NBVAL_IGNORE_OUTPUT
optimizers = {name: fit({"optimizer": name, "learning_rate": lr})
              for name, lr in (("sgd", 0.01), ("momentum", 0.01), ("rmsprop", 0.001), ("adam", 0.001))}
for name, run in optimizers.items():
    print(f"{name:9s} final training loss {run['loss'][-1]:.3f}, validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (name, run), style in zip(optimizers.items(), ("-o", "--s", ":^", "-.D")):
    ax.plot(run["loss"], style, markersize=4, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss",
       title=f"Momentum ends at loss {optimizers['momentum']['loss'][-1]:.2f}, plain SGD at "
             f"{optimizers['sgd']['loss'][-1]:.2f}, same learning rate")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert optimizers["momentum"]["loss"][-1] < 0.5 * optimizers["sgd"]["loss"][-1]
assert optimizers["momentum"]["val_accuracy"][-1] > optimizers["sgd"]["val_accuracy"][-1] + band.band()

# %% [markdown]
# Momentum multiplies SGD's effective step by about $1/(1 - 0.9) = 10$ (for a gradient that
# stays the same from step to step), which is why it does so much better at the same
# learning rate. Such rankings hold only at the learning rates chosen: Choi et al. (2019)
# show that once each optimizer's learning rate (and its other settings) are tuned, the
# more general optimizers never do worse. So an optimizer is not chosen alone; it is tuned
# together with its learning rate.
#
# ## (5) The loss function
#
# For classification with a softmax output $p = \mathrm{softmax}(z)$ over $K$ classes, the
# natural loss is the cross-entropy $-\log p_y$. Its gradient with respect to the logits
# $z$ is simply $p - \text{onehot}(y)$. The mean squared error
# $\frac1K \sum_k (p_k - \text{onehot}(y)_k)^2$ (Keras averages over the $K$ outputs)
# multiplies $\frac2K (p - \text{onehot}(y))$ by the softmax's Jacobian
# $\mathrm{diag}(p) - p p^\top$. At initialization the network outputs nearly uniform
# probabilities, $p \approx 1/K$; there the product is exactly
# $\frac{2}{K^2}(p - \text{onehot}(y))$. Nothing is saturated: the squared error's
# gradient is simply $K^2/2 = 50$ times smaller for $K = 10$ classes, so plain SGD takes
# 50 times smaller steps. (Later in training, a confidently wrong output does saturate the
# softmax, which weakens the squared error's signal further: Golik, Doetsch & Ney, 2013.)
#
# First the measurement: the norm of the gradient over all weights, at initialization, on
# the whole training set.

# %%
def gradient_norm(loss, seed=0):
    """Norm of the gradient of `loss` over every weight of the untrained network, on the training set."""
    keras.utils.set_random_seed(seed)
    model = kt.build_model({"loss": loss}, data)
    with tf.GradientTape() as tape:
        value = model.compute_loss(x=data.x_train, y=data.y_train, y_pred=model(data.x_train))
    return float(tf.linalg.global_norm(tape.gradient(value, model.trainable_variables)))


# %%
# NBVAL_IGNORE_OUTPUT
ratio = gradient_norm("sparse_categorical_crossentropy") / gradient_norm("mse")
print(f"gradient norm at initialization, cross-entropy / squared error: {ratio:.1f} "
      f"(K^2/2 = {data.num_classes ** 2 / 2:g} for exactly uniform outputs)")

# %%
assert 0.5 * data.num_classes ** 2 / 2 < ratio < 1.5 * data.num_classes ** 2 / 2

# %% [markdown]
# If scale is the cause, two remedies should work: an optimizer that ignores the scale of
# the gradient (Adam divides it out), or plain SGD with a learning rate multiplied by the
# measured ratio. We compare accuracies, since the two losses are on different scales.

# %%
# NBVAL_IGNORE_OUTPUT
SGD = {"optimizer": "sgd", "learning_rate": 0.1}
losses = {
    "SGD lr 0.1, cross-entropy": fit(SGD),
    "SGD lr 0.1, squared error": fit({**SGD, "loss": "mse"}),
    f"SGD lr {0.1 * ratio:.1f} (0.1 x ratio), squared error": fit({**SGD, "learning_rate": 0.1 * ratio, "loss": "mse"}),
    "Adam, cross-entropy": fit({}),
    "Adam, squared error": fit({"loss": "mse"}),
}
for name, run in losses.items():
    print(f"{name:45s} validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.2))
for (name, run), style in zip(losses.items(), ("-o", "--s", "-.^", ":D", ":v")):
    ax.plot(run["val_accuracy"], style, markersize=4, label=name)
ce, mse, rescaled = (losses[name]["val_accuracy"][-1] for name in list(losses)[:3])
ax.set(xlabel="epoch (0 = untrained)", ylabel="validation accuracy",
       title=f"SGD, squared error: {mse:.0%} at lr 0.1, {rescaled:.0%} at lr 0.1 x {ratio:.0f} "
             f"(cross-entropy {ce:.0%})")
ax.legend(fontsize=8, loc="center right")
ax.grid(alpha=0.3)

# %%
assert ce > mse + 0.2  # at the same learning rate, squared error lags far behind
assert rescaled > mse + 0.2 and rescaled > ce - 0.05  # the rescaled rate removes most of the lag
assert losses["Adam, squared error"]["val_accuracy"][-1] > mse + 0.2  # so does Adam

# %% [markdown]
# With the learning rate multiplied by the measured ratio, squared error learns about as
# fast as cross-entropy; with Adam, which divides out the gradient's scale, it catches up
# too. So the slow start was the gradient's scale, and each loss needs its own learning
# rate: one more way in which the loss and the optimizer interact. Cross-entropy remains
# the usual choice for classification because it needs no such rescaling and keeps a
# strong signal when the network is confidently wrong.
#
# ## (6) The learning rate
#
# The article says that a learning rate that is too large makes convergence slow, and one
# that is too small makes training oscillate. **It is the other way round**: a learning rate
# that is too *small* converges slowly, and one that is too *large* oscillates or diverges
# (Goodfellow, Bengio & Courville, 2016, sec. 8.3.1 and 11.4.1).
#
# ### On a quadratic, exactly
#
# Take one weight $w$ and the loss $f(w) = \tfrac{a}{2} w^2$ with curvature $a > 0$ (its
# minimum is at $w = 0$). Its gradient is $f'(w) = a w$, so a gradient-descent step with
# learning rate $\eta$ gives
#
# $$w_{t+1} = w_t - \eta a w_t = (1 - \eta a)\, w_t, \qquad \text{so} \qquad w_t = (1 - \eta a)^t w_0 .$$
#
# The distance to the minimum is multiplied by $|1 - \eta a|$ at every step. It shrinks if
# and only if $|1 - \eta a| < 1$, that is $0 < \eta a < 2$:
#
# - $0 < \eta a < 1$: the factor is positive and below 1; $w$ creeps towards 0 from one side,
#   slowly when $\eta a$ is small;
# - $1 < \eta a < 2$: the factor is negative, $w$ changes sign every step (it **oscillates**
#   across the minimum) and still converges;
# - $\eta a > 2$: $|1 - \eta a| > 1$ and every step overshoots further: it **diverges**.
#
# ($\eta a = 1$ lands on the minimum in one step.) Three learning rates, one per regime:

# %%
a, w0, n_steps = 1.0, 1.0, 30
paths = {}
for eta_a in (0.1, 1.5, 2.1):
    w = [w0]
    for _ in range(n_steps):
        w.append(w[-1] - (eta_a / a) * (a * w[-1]))  # w <- w - eta * f'(w)
    paths[eta_a] = np.array(w)
for eta_a, w in paths.items():
    assert np.allclose(w, (1 - eta_a) ** np.arange(n_steps + 1) * w0)  # the closed form
    print(f"eta*a = {eta_a}: factor {1 - eta_a:+.1f} per step; w after 1..5 steps {np.round(w[1:6], 3)}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4))
styles = {0.1: "-o", 1.5: "--s", 2.1: ":^"}
for eta_a, w in paths.items():
    label = f"$\\eta a$ = {eta_a} (factor {1 - eta_a:+.1f})"
    left.plot(w[:13], styles[eta_a], markersize=4, label=label)
    right.semilogy(0.5 * a * w**2, styles[eta_a], markersize=4, label=label)
left.axhline(0, color="gray", linewidth=0.8)
left.set(xlabel="step t", ylabel="weight $w_t$ (minimum at 0)", title="1.5 oscillates across the minimum")
right.set(xlabel="step t", ylabel="loss $a w_t^2 / 2$ (log scale)",
          title=f"0.1 is slow, 1.5 converges, 2.1 diverges: {(paths[2.1][-1] / w0) ** 2:.0f}x the start")
for ax in (left, right):
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# A network's loss has many directions, each with its own curvature. The steepest one,
# with the largest curvature $a_{\max}$, sets the limit: above $\eta \approx 2 / a_{\max}$
# gradient descent oscillates and blows up along it, however gentle the other directions
# are, while the flattest directions move by a factor $1 - \eta a_{\min}$ per step, close to
# 1: slow (LeCun et al., 1998, sec. 5; Goodfellow et al., 2016, sec. 4.3).
#
# ### On the network, batch by batch
#
# Keras reports the training loss of an epoch averaged over its batches, and an average
# hides oscillation. So we train plain SGD at five learning rates, a factor 10 apart, with
# a loop that records the loss of every batch (Keras' `train_on_batch` takes one step and
# returns that batch's loss). After training it also counts the **dead** hidden units: ReLU
# units whose output is 0 on every validation image, so that their gradient is 0 too and
# no later step can revive them.

# %%
def dead_units(model):
    """Share of the hidden layer's ReLU units that output 0 on every validation image."""
    hidden = next(layer for layer in model.layers if isinstance(layer, keras.layers.Dense))
    outputs = keras.ops.convert_to_numpy(keras.Model(model.inputs[0], hidden.output)(data.x_val))
    return float(np.mean(np.all(outputs <= 0, axis=0)))


# %%
def batch_losses(learning_rate, seed=0):
    """SGD for P.epochs epochs: the untrained network's loss on the training set, every batch's loss, dead units."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    model = kt.build_model({"optimizer": "sgd", "learning_rate": learning_rate}, data)
    start = model.evaluate(data.x_train, data.y_train, verbose=0)[0]
    rng, out = np.random.default_rng(seed), []
    for _ in range(P.epochs):
        order = rng.permutation(len(data.y_train))
        for i in range(0, len(order), P.batch_size):
            batch = order[i:i + P.batch_size]
            out.append(model.train_on_batch(data.x_train[batch], data.y_train[batch])[0])
    return start, np.array(out), dead_units(model)


# %%
# NBVAL_IGNORE_OUTPUT
learning_rates = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
steps_per_epoch = math.ceil(len(data.y_train) / P.batch_size)
per_batch, sweep, dead = {}, {}, {}
for lr in learning_rates:
    start, per_batch[lr], dead[lr] = batch_losses(lr)
    sweep[lr] = np.r_[start, per_batch[lr].reshape(P.epochs, steps_per_epoch).mean(axis=1)]  # what Keras reports
    print(f"lr {lr:<6g} per-epoch mean loss {np.round(sweep[lr], 3)}; largest batch loss {per_batch[lr].max():.3g}; "
          f"dead hidden units {dead[lr]:.0%}")

# %%
styles = dict(zip(learning_rates, (("-", "o"), ("--", "s"), ("-.", "^"), ("-", "D"), (":", "v"))))


def plot_losses(left, right):
    """Left: every batch's loss at the three largest rates; right: the per-epoch means at all five."""
    for lr in (1e-1, 1.0, 10.0):
        left.semilogy(per_batch[lr], linestyle=styles[lr][0], marker=styles[lr][1], markevery=17, markersize=4,
                      linewidth=0.9, label=f"lr = {lr:g}")
    for lr in learning_rates:
        right.semilogy(sweep[lr], linestyle=styles[lr][0], marker=styles[lr][1], markersize=4, label=f"lr = {lr:g}")


# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
plot_losses(left, right)
for ax in (left, right):
    ax.axhline(math.log(data.num_classes), color="gray", linestyle=":", linewidth=1, label="chance (ln 10)")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3)
left.set(xlabel=f"batch ({steps_per_epoch} per epoch)", ylabel="loss of the batch (log scale)",
         title=f"Per batch, lr 10 jumps to {per_batch[10.0].max() / sweep[10.0][0]:.0f}x the start, then stalls")
right.set(xlabel="epoch (0 = untrained)", ylabel="mean training loss of the epoch (log scale)",
          title=f"Per epoch: lr 0.001 slow, lr 10 ends at {sweep[10.0][-1]:.2f}, no better than chance")
fig.tight_layout()

# %%
largest, best, smallest = sweep[10.0], sweep[1.0], sweep[1e-3]
assert per_batch[10.0].max() > 10 * largest[0]  # the first steps overshoot by an order of magnitude or more
assert largest[-1] > 0.9 * math.log(data.num_classes)  # ... and the network never recovers: chance level
assert largest[-1] > 0.9 * largest[0]  # no better than untrained
assert best[-1] < 0.5 * best[0] and smallest[-1] > best[-1]  # too small is slower than a good rate
assert sweep[1.0][-1] < sweep[0.1][-1] < sweep[0.01][-1] < sweep[1e-3][-1]  # below 10, larger is faster
assert smallest[-1] > 0.9 * smallest[0]  # the smallest rate barely moved in the whole budget
assert dead[10.0] > 0.9 and dead[10.0] > dead[1.0] + 0.5  # lr 10 silenced (nearly) every hidden unit

# %% [markdown]
# The left panel shows what the per-epoch averages on the right hide. At learning rate 10
# the first few batches overshoot: the loss jumps by orders of magnitude and back, and the
# overshoot pushes the hidden ReLU units into their flat region, where they "die": the
# printout counts the share that outputs 0 on every validation image, (nearly) all of them
# at learning rate 10 against a minority at 1 (asserted: more than 90 percent, and 50 points
# more than at 1). With its hidden layer silent, the network gives every image the same
# output and ends near the chance-level loss $\ln 10$, no better than untrained; its epoch
# average only shows one bump. At 0.1 and 1 the batch losses wobble from batch to batch (each batch is a different
# sample), around a falling trend. At $10^{-3}$ the loss has hardly moved after the whole
# budget. The loss falls fastest at the largest learning rate here that does not yet blow
# up; the best learning rate often sits just below the one that does (Smith, 2017, uses
# this to find it with a "range test").
#
# ### Hyperparameters can change during training
#
# The article also says that hyperparameters cannot be adjusted during training. They are
# not adjusted *by gradient descent*, but several are routinely changed on a fixed plan: a
# **learning-rate schedule** starts large, to make fast progress, and decays, to settle into
# a minimum (Goodfellow et al., 2016, sec. 8.3.1; Loshchilov & Hutter, 2017, for cosine
# schedules with warm restarts). In Keras a schedule takes the place of the number. Here,
# Adam at a large learning rate, 0.1, halved every quarter of the budget:

# %%
every = max(1, P.epochs // 4)
schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=every * steps_per_epoch, decay_rate=0.5,
                                                       staircase=True)


def with_schedule(model):
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=model.loss, metrics=["accuracy"],
                  steps_per_execution=steps_per_epoch)


print("learning rate at the start of each epoch:",
      [round(float(schedule(epoch * steps_per_epoch)), 6) for epoch in range(P.epochs)])

# %% [markdown]
# A schedule must be compared with the constant rate that works, not only with its own
# too-large start: otherwise "decay helps" cannot be told from "smaller is better". Three
# runs: the constant 0.1, the step decay from 0.1, and the constant 0.01, a rate that trains
# this network well (chapter 3 maps the good rates for Adam; 0.01 is among the best there).

# %%
# NBVAL_IGNORE_OUTPUT
schedules = {
    "constant 0.1": fit({"learning_rate": 0.1}),
    "step decay from 0.1": fit({"learning_rate": 0.1}, prepare=with_schedule, tag="step decay"),
    "constant 0.01": fit({"learning_rate": 0.01}),
}
for name, run in schedules.items():
    print(f"{name:20s} training loss per epoch {np.round(run['loss'], 3)}, "
          f"final validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4))
left.step(range(P.epochs), [float(schedule(e * steps_per_epoch)) for e in range(P.epochs)], where="post",
          label="step decay from 0.1")
left.axhline(0.01, color="C2", linestyle=":", label="constant 0.01")
left.set(xlabel="epoch", ylabel="learning rate (log scale)", yscale="log", title=f"Step decay: halve every {every} epochs")
for (name, run), style in zip(schedules.items(), ("-o", "--s", ":^")):
    right.semilogy(run["loss"], style, markersize=4, label=f"{name}: {run['val_accuracy'][-1]:.1%} val. acc.")
decayed, tuned = schedules["step decay from 0.1"], schedules["constant 0.01"]
gap = decayed["val_accuracy"][-1] - tuned["val_accuracy"][-1]
right.set(xlabel="epoch (0 = untrained)", ylabel="training loss (log scale)",
          title=f"Decay vs constant 0.01: {gap:+.1%} validation accuracy (noise band {band.band():.1%})")
for ax in (left, right):
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
fig.tight_layout()

# %%
assert float(decayed["model"].optimizer.learning_rate) < 0.1  # the rate did change during training
assert decayed["loss"][-1] < 0.7 * schedules["constant 0.1"]["loss"][-1]  # decay beats its own constant start
assert gap < band.band()  # ... but does not beat the constant rate that works by more than noise

# %% [markdown]
# The learning rate changed during training, on a plan fixed in advance, and the decayed
# run ends well below the training loss of the constant 0.1 that it started from. But the constant 0.01 does as
# well in validation accuracy: the schedule does not beat it by more than the noise band.
# On this short budget a schedule is mainly a way to make a too-large starting rate
# harmless; on long trainings, decay (and a warm-up at the start, Goyal et al., 2017)
# routinely helps, and the plan itself (initial rate, decay factor, how often) is then
# what one tunes.
#
# ## Exercises
#
# Each exercise has a task, a worked solution and a check cell. Try it yourself before you
# read the solution.
#
# **Exercise 1.** Write `kfold_indices(n, k)` that returns a list of $k$ pairs
# `(train_idx, val_idx)` of integer arrays: the validation folds partition `range(n)` into
# $k$ parts whose sizes differ by at most one, and each training part is everything else.
# Do it without scikit-learn.

# %%
from hpo_lessons.exercises import ch02


def kfold_indices(n, k):
    ...  # your code here


# %%
# Solution
def kfold_indices(n, k):
    bounds = np.linspace(0, n, k + 1).round().astype(int)  # k + 1 cut points, folds of near-equal size
    everything = np.arange(n)
    return [(np.setdiff1d(everything, everything[lo:hi]), everything[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:])]


# %%
ch02.check_kfold(kfold_indices)

# %% [markdown]
# **Exercise 2.** Read a training-loss curve the way this chapter did. Write
# `diagnose(losses)` for a per-epoch curve (a list, the untrained loss first) that returns,
# checking in this order:
#
# - `"diverged"` if any value is NaN or infinite, or the last loss is above the first;
# - `"unstable"` if the loss ever rises by more than 10 percent from one epoch to the next
#   (the learning rate is large enough to bounce, as the constant 0.1 above may);
# - `"slow"` if the last loss is still above half the first;
# - `"ok"` otherwise.
#
# The whole curve matters, not only its end: the check has curves that start from very
# different losses, and curves that bounce and then end well. Then apply it to the
# learning-rate sweep and to the schedule runs above.

# %%
def diagnose(losses):
    ...  # your code here


# %%
# Solution
def diagnose(losses):
    losses = np.asarray(losses, dtype=float)
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverged"
    if np.any(losses[1:] > 1.1 * losses[:-1]):
        return "unstable"
    return "slow" if losses[-1] > 0.5 * losses[0] else "ok"


# %%
ch02.check_diagnose(diagnose)

# %%
# NBVAL_IGNORE_OUTPUT
verdicts = {f"SGD lr {lr:g}": diagnose(curve) for lr, curve in sweep.items()}
verdicts.update({f"Adam {name}": diagnose(run["loss"]) for name, run in schedules.items()})
for name, verdict in verdicts.items():
    print(f"{name:25s} {verdict}")

# %%
assert verdicts["SGD lr 0.001"] == "slow" and verdicts["SGD lr 10"] in ("diverged", "unstable")
assert verdicts["SGD lr 1"] in ("ok", "unstable")

# %% [markdown]
# **Exercise 3.** Write the step-decay schedule above as a function of the epoch,
# `step_decay(epoch, lr0, drop, every)` $= \text{lr0} \cdot \text{drop}^{\lfloor
# \text{epoch} / \text{every} \rfloor}$ (epochs counted from 0), the form that
# `keras.callbacks.LearningRateScheduler` expects once `lr0`, `drop` and `every` are fixed.

# %%
def step_decay(epoch, lr0, drop, every):
    ...  # your code here


# %%
# Solution
def step_decay(epoch, lr0, drop, every):
    return lr0 * drop ** (epoch // every)


# %%
ch02.check_step_decay(step_decay)
assert all(math.isclose(step_decay(e, 0.1, 0.5, every), float(schedule(e * steps_per_epoch)), rel_tol=1e-6)
           for e in range(P.epochs))  # the same plan as the Keras schedule

# %% [markdown]
# ## Summary and what next
#
# - The pipeline is preprocessing, model design, training, evaluation and deployment; every
#   stage has hyperparameters, and they interact (scaling and the optimizer, the loss and
#   the optimizer, the optimizer and its learning rate).
# - A validation score is noisy: the seed moves it (the seed std printed above), and 359
#   images measure an accuracy of 90 percent with a binomial error of 1.6 points. The noise
#   band, $2\sqrt2$ seed standard deviations, is the smallest difference between two
#   single runs that the course does not call noise.
# - The training set should be the largest part of the data: at a fixed total, moving
#   images to the test set buys little precision ($1/\sqrt n$) and costs accuracy. (The
#   article has this backwards.) k-fold cross-validation helps when data is scarce.
# - Initial weights must break symmetry and have the right scale; the sigmoid learns slowly;
#   squared error starts slowly with SGD because its gradient is $K^2/2$ times smaller, so
#   each loss needs its own learning rate.
# - A learning rate too small is slow; too large oscillates and diverges, exactly so on a
#   quadratic when $\eta a > 2$ (the article has this backwards too). A schedule can
#   change the rate during training; compare it with the constant rate that works.
#
# **Next:** [chapter 3](03_hyperparameters.ipynb) turns these choices into a search space and
# measures which of them matter most.
#
# ## References
#
# - Bengio & Grandvalet (2004), No unbiased estimator of the variance of k-fold cross-validation, JMLR 5:1089-1105.
# - Choi, Shallue, Nado, Lee, Maddison & Dahl (2019), On empirical comparisons of optimizers for deep learning, arXiv:1910.05446.
# - Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.
# - Glorot, Bordes & Bengio (2011), Deep sparse rectifier neural networks, AISTATS.
# - Golik, Doetsch & Ney (2013), Cross-entropy vs. squared error training: a theoretical and experimental comparison, Interspeech.
# - Goodfellow, Bengio & Courville (2016), *Deep Learning*, MIT Press.
# - Goyal et al. (2017), Accurate, large minibatch SGD: training ImageNet in 1 hour, arXiv:1706.02677.
# - Hastie, Tibshirani & Friedman (2009), *The Elements of Statistical Learning*, 2nd ed., Springer.
# - He, Zhang, Ren & Sun (2015), Delving deep into rectifiers, ICCV.
# - Kingma & Ba (2015), Adam: a method for stochastic optimization, ICLR.
# - LeCun, Bottou, Orr & Müller (1998), Efficient BackProp, in *Neural Networks: Tricks of the Trade*, Springer.
# - Loshchilov & Hutter (2017), SGDR: stochastic gradient descent with warm restarts, ICLR.
# - Polyak (1964), Some methods of speeding up the convergence of iteration methods, USSR Comput. Math. Math. Phys. 4(5).
# - Smith (2017), Cyclical learning rates for training neural networks, WACV.
# - Tieleman & Hinton (2012), Lecture 6.5, RMSprop, *Neural Networks for Machine Learning*, Coursera.
