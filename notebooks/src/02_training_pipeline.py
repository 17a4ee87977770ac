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
# with Keras, then runs one small experiment for each of the six points. Two of the
# article's statements turn out to be wrong (the data split and the learning rate), and a
# third needs a qualification; the experiments show why.

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
from hpo_lessons.keras_task import setup_tensorflow

setup_tensorflow(verbose=True);

# %%
import dataclasses
import json
import math
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import StratifiedKFold

from hpo_lessons import keras_task as kt

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


def fit(params, data=data, prepare=None, tag=""):
    """Per-epoch loss and accuracy (training and validation), epoch 0 being the untrained network."""
    p = kt.resolve_params({**BASE, **params})
    key = (data.name, tag, json.dumps(p, sort_keys=True))  # the same network, however it was written
    if key not in RUNS:
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        model = kt.build_model(p, data, steps_per_execution=math.ceil(len(data.y_train) / p["batch_size"]))
        if prepare is not None:
            prepare(model)  # e.g. other initial weights
        start = model.evaluate(data.x_train, data.y_train, verbose=0, return_dict=True)
        start.update({f"val_{k}": v for k, v in model.evaluate(data.x_val, data.y_val, verbose=0,
                                                                return_dict=True).items()})
        h = model.fit(data.x_train, data.y_train, epochs=p["epochs"], batch_size=p["batch_size"],
                      validation_data=(data.x_val, data.y_val), verbose=0).history
        RUNS[key] = {k: np.array([start[k]] + h[k]) for k in ("loss", "accuracy", "val_loss", "val_accuracy")}
        RUNS[key]["model"] = model
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
    for name in ("scaled", "raw"):
        ax.plot(scaling[opt, name], marker="o", markersize=3, label=f"{name} pixels")
    ax.set(xlabel="epoch (0 = untrained)", title=f"{opt}: {scaling[opt, 'scaled'][-1]:.0%} scaled, "
           f"{scaling[opt, 'raw'][-1]:.0%} raw")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("validation accuracy")
axes[0].legend()
change = {opt: 100 * (scaling[opt, "raw"][-1] - scaling[opt, "scaled"][-1]) for opt in ("SGD", "Adam")}
fig.suptitle(f"Raw instead of scaled pixels: SGD {change['SGD']:+.0f} percentage points, Adam {change['Adam']:+.0f}")
fig.tight_layout()

# %%
assert scaling["SGD", "scaled"][-1] > scaling["SGD", "raw"][-1] + 0.2

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
for split, style in (("", "-"), ("val_", "--")):
    label = "validation" if split else "training"
    left.plot(epochs, history[f"{split}loss"], style, marker="o", markersize=3, label=label)
    right.plot(epochs, history[f"{split}accuracy"], style, marker="o", markersize=3, label=label)
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
# ### k-fold cross-validation when data is scarce
#
# With few examples, a single validation set is small and its score noisy: the standard
# error of an accuracy $p$ measured on $n$ examples is $\sqrt{p(1-p)/n}$, 3.9 points for
# $p = 0.9$ and $n = 60$. **k-fold cross-validation** splits the data into $k$ folds, trains
# $k$ times, each time validating on one fold and training on the others, and averages: every
# example is used for validation once. It costs $k$ trainings per configuration, which is
# why it is used for small data (Hastie, Tibshirani & Friedman, 2009, sec. 7.10).
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
print("fold accuracies:", np.round(fold_scores, 3))
print(f"5-fold estimate: {np.mean(fold_scores):.3f} ± {np.std(fold_scores, ddof=1) / np.sqrt(5):.3f} (standard error)")

# %%
assert len(fold_scores) == 5 and max(fold_scores) - min(fold_scores) < 0.5

# %% [markdown]
# The spread between folds is the noise a single small validation set would have hidden.
# (The folds' scores are not independent, so the standard error is only a rough guide:
# Bengio & Grandvalet, 2004.)
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
# trains with the same seed, so the differences come from that one change.
#
# ## (1) The data split
#
# The article says that the training and validation sets should be **smaller than the test
# set**. That is the wrong way round. The training set is normally the **largest** part
# (60 to 80 percent is usual), because the model learns from it, and more training data
# gives a better model. The validation and test sets only need to be large enough to
# *measure* accuracy precisely enough; that is what they are held out for.
#
# The experiment: train on growing fractions of the training set and score on the same
# validation set. To keep it fair, smaller sets get proportionally more epochs, so that
# every run takes about the same number of gradient steps.

# %%
# NBVAL_IGNORE_OUTPUT
fractions = [1 / 16, 1 / 4, 1 / 2, 1]
by_size = {}
for f in fractions:
    n = round(f * len(data.y_train))
    keep = np.random.default_rng(0).permutation(len(data.y_train))[:n]
    part = dataclasses.replace(data, x_train=data.x_train[keep], y_train=data.y_train[keep])
    h = history if f == 1 else kt.train({**BASE, "epochs": round(P.epochs / f)}, part, seed=0)[1]
    by_size[n] = h["val_accuracy"][-1]
    print(f"{n:6d} training examples: validation accuracy {by_size[n]:.3f}")

# %%
sizes, accs = np.array(list(by_size)), np.array(list(by_size.values()))
n_test = len(data.y_test)
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(sizes, accs, marker="o", label="validation accuracy")
ax.axvspan(sizes.min() * 0.8, n_test, color="tab:red", alpha=0.12, label=f"training set smaller than the test set ({n_test})")
ax.set(xlabel="training examples (log scale)", ylabel="validation accuracy",
       title=f"More training data: {accs[0]:.0%} with {sizes[0]} examples, {accs[-1]:.0%} with {sizes[-1]}")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert accs[-1] > accs[0] + 0.05  # the full training set beats a small one at the same number of steps

# %% [markdown]
# In the shaded region the article's advice holds, and accuracy is at its lowest. What the
# test set needs is enough examples for a precise estimate: with $n$ test examples the
# standard error of an accuracy near 0.95 is $\sqrt{0.95 \cdot 0.05 / n}$, about 1.2 points
# for this test set of 359, whatever the size of the training set. For large data sets,
# even 1 percent can be plenty for validation and test; for small ones, use k-fold
# cross-validation (stage 4) rather than shrinking the training set.
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
for name, run in inits.items():
    ax.semilogy(run["loss"], marker="o", markersize=3, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss (log scale)",
       title=f"Symmetric starts stay near chance (loss ln 10 = {math.log(10):.2f}); too large starts high")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)


# %%
assert n_distinct_units(inits["zeros"]) == 1 and n_distinct_units(inits["constant 0.05"]) == 1
assert inits["zeros"]["val_accuracy"][-1] < 0.25
assert inits["glorot_uniform (default)"]["val_accuracy"][-1] > inits["constant 0.05"]["val_accuracy"][-1] + 0.2
assert inits["normal, std 1"]["loss"][0] > 3 * inits["glorot_uniform (default)"]["loss"][0]

# %% [markdown]
# Both symmetric starts end with a single distinct hidden unit, repeated 64 times: the
# zero start does not learn at all, the constant start learns what one hidden unit can.
# The too-large start begins with a huge loss and spends its budget recovering.
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
for name, run in activations.items():
    ax.plot(run["loss"], marker="o", markersize=3, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
slowest = max(activations, key=lambda name: activations[name]["loss"][-1])
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss", title=f"Slowest to learn: {slowest}")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert activations["sigmoid"]["loss"][-1] > activations["relu"]["loss"][-1]

# %% [markdown]
# The sigmoid learns slowest; ReLU and tanh end close together on this small, shallow
# network. In deeper networks the differences grow, because a derivative below 1 is
# multiplied once per layer on the way back (the vanishing gradient). How much a
# hyperparameter matters depends on the task and the model, which chapter 3 measures.
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
for name, run in optimizers.items():
    ax.plot(run["loss"], marker="o", markersize=3, label=f"{name}: {run['val_accuracy'][-1]:.0%} val. acc.")
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss",
       title=f"Momentum ends at loss {optimizers['momentum']['loss'][-1]:.2f}, plain SGD at "
             f"{optimizers['sgd']['loss'][-1]:.2f}, same learning rate")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert optimizers["momentum"]["loss"][-1] < optimizers["sgd"]["loss"][-1]

# %% [markdown]
# Momentum multiplies SGD's effective step by about $1/(1 - 0.9) = 10$, which is why it
# does so much better at the same learning rate. Such rankings hold only at the learning
# rates chosen: Choi et al. (2019) show that once each optimizer's learning rate (and its
# other settings) are tuned, the more general optimizers never do worse. So an optimizer is
# not chosen alone; it is tuned together with its learning rate.
#
# ## (5) The loss function
#
# For classification with a softmax output, the natural loss is the cross-entropy
# $-\log p_y$. Its gradient with respect to the logits is simply $p - \text{onehot}(y)$:
# large when the network is confidently wrong. The mean squared error between $p$ and the
# one-hot label multiplies that by the softmax's derivative, which vanishes exactly when the
# output saturates, so a confidently wrong network gets a weak signal (Golik, Doetsch &
# Ney, 2013). We compare accuracies, since the two losses are on different scales.

# %%
# NBVAL_IGNORE_OUTPUT
losses = {(opt, loss): fit({**params, "loss": loss})
          for opt, params in (("SGD, lr 0.1", {"optimizer": "sgd", "learning_rate": 0.1}), ("Adam", {}))
          for loss in ("sparse_categorical_crossentropy", "mse")}
for (opt, loss), run in losses.items():
    print(f"{opt:12s} {loss:32s} validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (opt, loss), run in losses.items():
    name = "cross-entropy" if loss.endswith("crossentropy") else "squared error"
    ax.plot(run["val_accuracy"], marker="o", markersize=3, linestyle="-" if opt == "Adam" else "--",
            label=f"{opt}, {name}")
ce, mse = losses["SGD, lr 0.1", "sparse_categorical_crossentropy"], losses["SGD, lr 0.1", "mse"]
ax.set(xlabel="epoch (0 = untrained)", ylabel="validation accuracy",
       title=f"With SGD, cross-entropy reaches {ce['val_accuracy'][-1]:.0%}, squared error "
             f"{mse['val_accuracy'][-1]:.0%}")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert ce["val_accuracy"][-1] > mse["val_accuracy"][-1] + 0.2

# %% [markdown]
# With Adam, which rescales small gradients, squared error catches up; with plain SGD the
# weak gradient is plain to see. The loss and the optimizer interact, like everything else.
#
# ## (6) The learning rate
#
# The article says that a learning rate that is too large makes convergence slow, and one
# that is too small makes training oscillate. **It is the other way round**: a learning rate
# that is too *small* converges slowly, and one that is too *large* oscillates or diverges
# (Goodfellow, Bengio & Courville, 2016, sec. 8.3.1 and 11.4.1). On a quadratic bowl
# $L(w) = \tfrac{a}{2} w^2$, gradient descent multiplies $w$ by $(1 - \eta a)$ each step:
# it creeps when $\eta a$ is tiny, oscillates when $1 < \eta a < 2$, and diverges when
# $\eta a > 2$. The same happens along the steepest directions of a network's loss.
#
# Plain SGD at five learning rates, a factor 10 apart:

# %%
# NBVAL_IGNORE_OUTPUT
learning_rates = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
sweep = {lr: fit({"optimizer": "sgd", "learning_rate": lr}) for lr in learning_rates}
for lr, run in sweep.items():
    print(f"lr {lr:<6g} training loss per epoch: {np.round(run['loss'], 3)}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 4.2))
for lr, run in sweep.items():
    ax.semilogy(run["loss"], marker="o", markersize=3, label=f"lr = {lr:g}")
ax.axhline(sweep[1e-3]["loss"][0], color="gray", linestyle=":", linewidth=1, label="untrained network")
ax.set(xlabel="epoch (0 = untrained)", ylabel="training loss (log scale)",
       title=f"Too small is slow (lr 0.001 ends at {sweep[1e-3]['loss'][-1]:.2f}); too large diverges "
             f"(lr 10 ends at {sweep[10.0]['loss'][-1]:.2f})")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
largest, middle, smallest = (sweep[learning_rates[i]]["loss"] for i in (-1, 2, 0))
assert not np.isfinite(largest[-1]) or largest[-1] >= largest[0]  # diverged: no better than untrained
assert smallest[-1] > middle[-1]  # too small is slower than the middle of the sweep
assert smallest[-1] > 0.9 * smallest[0]  # the smallest rate barely moved in the whole budget

# %% [markdown]
# At $10^{-3}$ the loss has hardly moved after the whole budget. At 10 the first steps
# overshoot so far that the loss jumps far above its starting value, the ReLU units are
# knocked into their flat region ("die") and the network never recovers: it ends worse
# than untrained. In between, the loss falls fastest at the largest learning rate that
# does not yet diverge, which is typical: the best learning rate often sits just below the
# one that blows up (Smith, 2017, uses this to find it with a "range test").
#
# ### Hyperparameters can change during training
#
# The article also says that hyperparameters cannot be adjusted during training. They are
# not adjusted *by gradient descent*, but several are routinely changed on a fixed plan: a
# **learning-rate schedule** starts large, to make fast progress, and decays, to settle into
# a minimum (Goodfellow et al., 2016, sec. 8.3.1; Loshchilov & Hutter, 2017, for cosine
# schedules with warm restarts). In Keras a schedule takes the place of the number. Here,
# Adam at a large learning rate, 0.1, kept constant or halved every quarter of the budget:

# %%
steps_per_epoch = math.ceil(len(data.y_train) / P.batch_size)
every = max(1, P.epochs // 4)
schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=every * steps_per_epoch, decay_rate=0.5,
                                                       staircase=True)


def with_schedule(model):
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=model.loss, metrics=["accuracy"],
                  steps_per_execution=steps_per_epoch)


print("learning rate at the start of each epoch:",
      [round(float(schedule(epoch * steps_per_epoch)), 6) for epoch in range(P.epochs)])

# %%
# NBVAL_IGNORE_OUTPUT
constant = fit({"learning_rate": 0.1})
decayed = fit({"learning_rate": 0.1}, prepare=with_schedule, tag="step decay")
for name, run in (("constant", constant), ("step decay", decayed)):
    print(f"{name:10s} training loss per epoch {np.round(run['loss'], 3)}, "
          f"final validation accuracy {run['val_accuracy'][-1]:.3f}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
left.step(range(P.epochs), [float(schedule(e * steps_per_epoch)) for e in range(P.epochs)], where="post")
left.set(xlabel="epoch", ylabel="learning rate", title=f"Step decay: halve every {every} epochs")
for name, run in (("constant lr 0.1", constant), ("step decay from 0.1", decayed)):
    right.semilogy(run["loss"], marker="o", markersize=3, label=f"{name}: {run['val_accuracy'][-1]:.1%} val. acc.")
right.set(xlabel="epoch (0 = untrained)", ylabel="training loss (log scale)",
          title=f"Final loss {decayed['loss'][-1]:.3f} with decay, {constant['loss'][-1]:.3f} without")
right.legend()
for ax in (left, right):
    ax.grid(alpha=0.3)
fig.tight_layout()

# %%
assert float(decayed["model"].optimizer.learning_rate) < 0.1  # the rate did change during training
assert decayed["loss"][-1] < constant["loss"][-1]

# %% [markdown]
# The learning rate changed during training, on a plan fixed in advance. Both runs are
# identical for the first epochs; then the constant rate keeps bouncing around while the
# decayed one settles lower. The plan itself (initial rate, decay factor, how often) is
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
# **Exercise 2.** Write `diagnose(losses)` that reads a training-loss curve (a list, the
# untrained loss first) and returns `"diverged"` if any value is NaN or infinite or the last
# loss is above the first, `"slow"` if the last loss is still above half the first, and
# `"ok"` otherwise. Then apply it to the learning-rate sweep above.

# %%
def diagnose(losses):
    ...  # your code here


# %%
# Solution
def diagnose(losses):
    losses = np.asarray(losses, dtype=float)
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverged"
    return "slow" if losses[-1] > 0.5 * losses[0] else "ok"


# %%
ch02.check_diagnose(diagnose)

# %%
# NBVAL_IGNORE_OUTPUT
verdicts = {lr: diagnose(run["loss"]) for lr, run in sweep.items()}
print(verdicts)

# %%
assert verdicts[learning_rates[0]] == "slow" and verdicts[learning_rates[-1]] == "diverged"

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
# - The training set should be the largest part of the data; validation and test sets only
#   need to be large enough to measure precisely; k-fold cross-validation helps when data is
#   scarce. (The article has this backwards.)
# - Initial weights must break symmetry and have the right scale; the sigmoid learns slowly;
#   cross-entropy gives a stronger signal than squared error for classification.
# - A learning rate too small is slow, too large diverges (the article has this backwards
#   too), and a schedule can change it during training.
#
# **Next:** [chapter 3](03_hyperparameters.ipynb) turns these choices into a search space and
# measures which of them matter most.
#
# **References**
#
# - Bengio & Grandvalet (2004), No unbiased estimator of the variance of k-fold cross-validation, JMLR 5:1089-1105.
# - Choi, Shallue, Nado, Lee, Maddison & Dahl (2019), On empirical comparisons of optimizers for deep learning, arXiv:1910.05446.
# - Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.
# - Glorot, Bordes & Bengio (2011), Deep sparse rectifier neural networks, AISTATS.
# - Golik, Doetsch & Ney (2013), Cross-entropy vs. squared error training: a theoretical and experimental comparison, Interspeech.
# - Goodfellow, Bengio & Courville (2016), *Deep Learning*, MIT Press.
# - Hastie, Tibshirani & Friedman (2009), *The Elements of Statistical Learning*, 2nd ed., Springer.
# - He, Zhang, Ren & Sun (2015), Delving deep into rectifiers, ICCV.
# - Kingma & Ba (2015), Adam: a method for stochastic optimization, ICLR.
# - LeCun, Bottou, Orr & Müller (1998), Efficient BackProp, in *Neural Networks: Tricks of the Trade*, Springer.
# - Loshchilov & Hutter (2017), SGDR: stochastic gradient descent with warm restarts, ICLR.
# - Polyak (1964), Some methods of speeding up the convergence of iteration methods, USSR Comput. Math. Math. Phys. 4(5).
# - Smith (2017), Cyclical learning rates for training neural networks, WACV.
# - Tieleman & Hinton (2012), Lecture 6.5, RMSprop, *Neural Networks for Machine Learning*, Coursera.
