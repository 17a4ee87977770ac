# %% [markdown]
# # 1. Introduction: what hyperparameter tuning is
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/01_introduction.ipynb)
#
# A neural network learns its weights from data, but not everything about it is learned:
# somebody chose how many units it has, how fast it learns, for how many epochs and in
# batches of what size. **Hyperparameter tuning** (or hyperparameter optimization, HPO: Feurer
# & Hutter, 2019) is the search for the choices with which the model does best on data it was
# not trained on. With one or two such choices a person
# can try a few values by hand; with five or ten, finding a good combination quickly is the
# real problem, and it is the subject of this course.
#
# This first chapter makes the distinction between what a network learns and what we choose
# concrete, shows on a real network how much a single choice matters, and explains how the
# course is organised and how to run it.

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

# %% [markdown]
# This chapter trains networks, so it checks what Keras' backend (TensorFlow here, see section 5)
# sees. On a CPU everything works, only more slowly; on a GPU the `full` profile (section 4) is
# chosen by default.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.keras_task import setup_backend

setup_backend(verbose=True);

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from hpo_lessons import keras_task as kt

# %% [markdown]
# ## 1. Parameters and hyperparameters
#
# A network is a function $f(x; \theta)$ of an input $x$ and its **parameters** $\theta$:
# the weights and biases of its layers. Training finds $\theta$ by gradient descent on the
# training loss: the training set $\mathcal{D}_\text{train}$ is cut into mini-batches $B_t$ of
# a few dozen examples, and each step follows the gradient of the mean loss $\ell$ on one of them,
#
# $$\theta_{t+1} = \theta_t - \eta\, \nabla_\theta \frac{1}{|B_t|} \sum_{(x, y) \in B_t} \ell\big(f(x; \theta_t), y\big),$$
#
# one step per mini-batch, a pass over all of them per epoch (stochastic gradient descent; the
# batch's gradient is a noisy estimate of the whole training set's). Everything that this update does *not* change is a
# **hyperparameter** $\lambda$: the learning rate $\eta$ in the formula itself, the batch
# size, the number of epochs, the number of layers and units, the activation function, the
# optimizer, regularization strengths. They are fixed before the fit starts and define the
# fit (Goodfellow et al., 2016, sec. 5.3). Tuning is therefore an optimization wrapped around
# another one:
#
# $$\lambda^\star = \arg\max_{\lambda}\ \text{score}\big(f(\cdot\,; \theta^\star(\lambda)),\ \mathcal{D}_\text{val}\big),
# \qquad \theta^\star(\lambda) = \text{the weights that training with } \lambda \text{ produces}.$$
#
# The outer problem is hard in its own way: each evaluation of the score is a whole
# training run, there is no gradient with respect to $\lambda$ to follow (some $\lambda$
# are integers or choices from a list), and the score is noisy because training is random.
#
# The course's data set is the *digits* set that ships with scikit-learn (Pedregosa et al.,
# 2011; the UCI optical digits of Alpaydin & Kaynak, 1998): small grey-scale images of
# handwritten digits 0 to 9 (the `full` profile uses MNIST, LeCun et al., 1998). `load_data`
# splits it into training, validation and test sets (chapter 2 says why three):

# %%
data = kt.load_data(P.dataset, max_train_samples=P.max_train_samples)
n_images = len(data.x_train) + len(data.x_val) + len(data.x_test)
print(data)
print(f"{n_images} images of {data.input_shape[0]}x{data.input_shape[1]} pixels in {data.num_classes} classes")

# %% [markdown]
# A small network, with 32 hidden units, built from a dictionary of hyperparameters (the
# package's `build_model` is what every later chapter tunes). Its parameters are the weight
# matrices ("kernels") and bias vectors of its two Dense layers: $(d + 1) \times 32$ in the
# first, for $d$ input pixels and one bias per unit, and $(32 + 1) \times 10$ in the second,
# for the 10 classes. With this profile's images:

# %%
n_pixels = int(np.prod(data.input_shape))
print(f"d = {n_pixels} pixels: ({n_pixels} + 1) x 32 + (32 + 1) x {data.num_classes} = "
      f"{(n_pixels + 1) * 32 + 33 * data.num_classes} parameters")

# %%
hyperparameters = {"units": 32, "learning_rate": 1e-3, "batch_size": P.batch_size, "epochs": P.epochs}
keras.utils.set_random_seed(0)
model = kt.build_model(hyperparameters, data)
for weight in model.weights:
    print(f"{weight.path:24s} shape {str(tuple(weight.shape)):10s} {int(np.prod(weight.shape)):6d} numbers")
print(f"{'total':24s} {'':16s} {model.count_params():6d} parameters")
assert model.count_params() == (n_pixels + 1) * 32 + 33 * data.num_classes

# %% [markdown]
# Now train it and compare before and after: every parameter moves, while the learning
# rate, the batch size and the number of units are exactly what we set.

# %%
# NBVAL_IGNORE_OUTPUT
before = [w.numpy().copy() for w in model.trainable_weights]
model.fit(data.x_train, data.y_train, epochs=P.epochs, batch_size=P.batch_size, verbose=0)
after = [w.numpy() for w in model.trainable_weights]
n_changed = sum(int(np.sum(a != b)) for a, b in zip(after, before))
blank = data.x_train.reshape(len(data.x_train), -1).max(axis=0) == 0  # pixels that are 0 in every image
stuck = int(blank.sum()) * hyperparameters["units"]  # their first-layer weights get a zero gradient
print(f"parameters changed by training: {n_changed} of {model.count_params()}")
print(f"weights from the {blank.sum()} pixels that are blank in every training image: {stuck}")
print(f"learning rate after training: {float(model.optimizer.learning_rate.numpy()):g} (set to "
      f"{hyperparameters['learning_rate']:g}); hidden units: {model.layers[1].units}")

# %%
assert n_changed > 0.95 * (model.count_params() - stuck)  # gradient descent moved almost every weight it could reach
assert np.isclose(float(model.optimizer.learning_rate.numpy()), hyperparameters["learning_rate"])

# %% [markdown]
# Which weights did not move? A weight from a pixel that is 0 in every training image (in
# the corners of the frame) always has gradient 0. So does a first-layer weight into a ReLU
# unit that outputs 0 for every image in which its pixel is lit: the unit passes no gradient
# back. Counting both kinds, with the trained weights:

# %%
# NBVAL_IGNORE_OUTPUT
kernel_still = after[0] == before[0]  # first-layer weights that did not move, shape (pixels, units)
pixels = data.x_train.reshape(len(data.x_train), -1)
relu_off = (pixels @ after[0] + after[1]) <= 0  # (images, units): the unit outputs 0 for that image
rest = [(i, j) for i, j in zip(*np.nonzero(kernel_still)) if not blank[i]]
unit_off = sum(bool(relu_off[pixels[:, i] > 0, j].all()) for i, j in rest)
n_still = model.count_params() - n_changed
print(f"weights that did not move: {n_still}; from blank pixels: {int(kernel_still[blank].sum())} of {stuck}; "
      f"from lit pixels: {len(rest)}, of which {unit_off} go into a unit that is off wherever the pixel is lit; "
      f"elsewhere (biases, output layer): {n_still - int(kernel_still.sum())}")
assert kernel_still[blank].all()  # a pixel that is always 0 gives its weights a zero gradient, every step
assert stuck > n_still / 2 and unit_off >= 0.8 * len(rest)

# %% [markdown]
# Most of the weights that stayed come from the blank pixels; the others feed ReLU units that
# were off wherever that pixel was lit, judged with the final weights (a unit's activity
# changes during training, which explains the few that do not fit either kind).
#
# The line is not always this sharp. A learning rate can follow a *schedule* during
# training (chapter 2 shows one), and methods such as population-based training
# (Jaderberg et al., 2017) change hyperparameters between stretches of training. What stays
# true is that the gradient of the training loss does not set them: they are chosen from
# outside, by the person or by the search algorithm.

# %% [markdown]
# ## 2. Why tuning matters
#
# Take the same network and data and change only one hyperparameter, the learning rate of
# the Adam optimizer (Kingma & Ba, 2015), over several orders of magnitude. `kt.train` builds
# a fresh network from a seed, trains it for `P.epochs` epochs and returns the per-epoch
# learning curves. Training is random (the initial weights, the order of the mini-batches),
# so each rate is trained with `P.n_seeds` seeds, and every run keeps which validation
# images it gets right: two learning rates are compared on the images they both classified.

# %%
# NBVAL_IGNORE_OUTPUT
learning_rates = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
runs, right = {}, {}  # (learning rate, seed) -> per-epoch history; -> which validation images it gets right
for lr in learning_rates:
    for seed in range(P.n_seeds):
        try:
            net, runs[lr, seed] = kt.train({**hyperparameters, "learning_rate": lr}, data, seed=seed)
            right[lr, seed] = np.argmax(net.predict(data.x_val, verbose=0), axis=-1) == data.y_val
        except FloatingPointError:  # the loss became NaN: failed outright (never among the best two compared)
            runs[lr, seed] = {"val_accuracy": [1 / data.num_classes] * P.epochs, "loss": [np.inf] * P.epochs}
            right[lr, seed] = np.zeros(len(data.y_val), dtype=bool)
    print(f"learning rate {lr:g}: validation accuracy",
          ", ".join(f"{runs[lr, s]['val_accuracy'][-1]:.3f}" for s in range(P.n_seeds)))

# %% [markdown]
# Is the best rate really better than the runner-up, or did the seeds and the 359 images
# favour it? The course answers every such question with one rule, explained in chapter 2:
# the statistics layer's `compare_models`, which compares two configurations on the same
# images, resampling both the images and the training seeds (a bootstrap over seeds and
# examples), and returns one of three verdicts: better, equivalent within a margin stated
# in advance, or not decided at this many seeds, with the difference they could have detected.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.experiments.verdict import compare_models

accuracy = np.array([[runs[lr, s]["val_accuracy"][-1] for s in range(P.n_seeds)] for lr in learning_rates])
final = accuracy.mean(axis=1)
order = np.argsort(final)[::-1]
best_lr, second_lr = learning_rates[order[0]], learning_rates[order[1]]
rows = {lr: np.array([right[lr, s] for s in range(P.n_seeds)]) for lr in (best_lr, second_lr)}
lead = compare_models(rows[best_lr], rows[second_lr], names=(f"lr {best_lr:g}", f"lr {second_lr:g}"))
mean_curves = {lr: np.mean([runs[lr, s]["val_accuracy"] for s in range(P.n_seeds)], axis=0) for lr in learning_rates}
print(f"orders of magnitude spanned: {np.log10(learning_rates[-1] / learning_rates[0]):.0f}")
print(lead)

# %% [markdown]
# The figure shows the mean over seeds (the bars span the seeds), with the chance level of
# a 10-way guess for reference.

# %%
def plot_curves(ax):
    """The mean validation curve of each learning rate, one marker each: the curves at chance overlap."""
    for lr, marker in zip(learning_rates, "osD^v"):
        ax.plot(range(1, P.epochs + 1), mean_curves[lr], marker=marker, markersize=4, label=f"lr = {lr:g}")
    ax.set(xlabel="epoch", ylabel="validation accuracy", title="Learning curves, one per learning rate")


# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves(left)
right.errorbar(learning_rates, final, yerr=[final - accuracy.min(axis=1), accuracy.max(axis=1) - final],
               marker="o", capsize=4, label=f"mean of {P.n_seeds} seeds (bars: their range)")
for ax in (left, right):
    ax.axhline(1 / data.num_classes, color="gray", linestyle="--", linewidth=1, label="chance (1 in 10)", zorder=0)
    ax.grid(alpha=0.3)
right.set(xscale="log", xlabel="learning rate (log scale)", ylabel=f"validation accuracy after {P.epochs} epochs",
          title=f"Best lr = {best_lr:g} ({final[order[0]]:.0%}); against lr = {second_lr:g}: {lead.outcome} "
                f"at {P.n_seeds} seeds")
left.legend(fontsize=8, loc="center right")
right.legend(fontsize=8, loc="center")
fig.suptitle(f"One hyperparameter moves validation accuracy by {100 * (final.max() - final.min()):.0f} percentage points")
fig.tight_layout()

# %%
# NBVAL_IGNORE_OUTPUT
chance, uniform_loss = 1 / data.num_classes, np.log(data.num_classes)  # a uniform guess: accuracy 0.1, loss ln 10
small, large = runs[learning_rates[0], 0], runs[learning_rates[-1], 0]
assert final.max() - final.min() > 0.3  # the learning rate alone makes or breaks the network
assert final[0] < final.max() - 0.3 and small["loss"][-1] > 0.8 * uniform_loss  # too small: barely trained
assert final[-1] < chance + 0.05 and large["loss"][0] > uniform_loss  # too large: the loss went up, then chance
print(f"training loss after epoch 1 and after epoch {P.epochs}: lr {learning_rates[0]:g} "
      f"{small['loss'][0]:.2f} -> {small['loss'][-1]:.2f}; lr {learning_rates[-1]:g} {large['loss'][0]:.2f} -> "
      f"{large['loss'][-1]:.2f} (a uniform guess: ln 10 = {uniform_loss:.2f})")

# %% [markdown]
# Too small a learning rate (left end) leaves the network barely trained after the budget:
# its training loss has hardly moved from $\ln 10 \approx 2.30$, the loss of a uniform guess
# over ten classes. Too large a one (right end) overshoots: after the first epoch its loss is
# above that of a uniform guess, and the network ends at chance: at $10^{-4}$ the training
# loss goes from 2.36 after the first epoch to 2.18 after the last; at 1 it is 14.33 after the
# first epoch and 2.40 at the end. The best value
# lies in between, at 0.01 or 0.1. Which of the two is better is not decided: the verdict
# says that the difference between 0.01 and 0.1 lies between -1.1 and +2.8 points, and that
# 2 seeds on 359 images detect 2.8 points with 80 percent power. A 0.8-point lead from such an
# experiment says nothing about which rate is better; chapter 2 measures what the seeds and
# the images add up to. Where exactly the best rate
# lies depends on everything else: the optimizer, the batch size, the architecture, the
# data. With five hyperparameters of five values each there are $5^5 = 3125$ combinations,
# each a training run: that is why the rest of the course is about searching cleverly.

# %% [markdown]
# ## 3. What the course covers
#
# | chapter | notebook | what you learn |
# | --- | --- | --- |
# | 1 | [01_introduction](01_introduction.ipynb) | parameters against hyperparameters; why tuning matters; how to run the course |
# | 2 | [02_training_pipeline](02_training_pipeline.ipynb) | the five stages from data to deployment; the effect of the split, initialization, activation, optimizer, loss and learning rate, each shown by an experiment |
# | 3 | [03_hyperparameters](03_hyperparameters.ipynb) | search spaces (types, ranges, log scales); how data size, model size and task move good values; which hyperparameters matter most |
# | 4 | [04_grid_search](04_grid_search.ipynb) | grid search from scratch, its cost, and random search against it |
# | 5 | [05_bayesian_optimization](05_bayesian_optimization.ipynb) | a Gaussian process and expected improvement from scratch; Bayesian optimization of the network |
# | 6 | [06_genetic_algorithm](06_genetic_algorithm.ipynb) | selection, crossover, mutation and elitism from scratch; a genetic algorithm tuning the network |
# | 7 | [07_framework_modules](07_framework_modules.ipynb) | Keras Tuner in depth: search spaces, tuners, what Hyperband really spends, noisy scores, distributed workers; Optuna's pruning |
# | 8 | [08_summary_and_outlook](08_summary_and_outlook.ipynb) | every method compared; what to use when; further reading and references |
# | 9 | [09_multi_fidelity](09_multi_fidelity.ipynb) | successive halving, Hyperband and ASHA from scratch, against Keras Tuner's Hyperband and Optuna's pruners |
# | 10 | [10_parallel_and_distributed](10_parallel_and_distributed.ipynb) | several workers, synchronous against asynchronous, the constant liar, a Dask cluster, Keras Tuner's chief and workers |
#
# Each chapter builds its method step by step in the notebook, checks it against the
# package `hpo_lessons` (which keeps the same code for reuse), runs an experiment with a
# figure, and ends with exercises whose answers a function checks for you. Where the
# source text this course follows is wrong, the chapter says so and shows why.

# %% [markdown]
# ## 4. How to run the course
#
# - **Locally** (Python 3.10 or later): `git clone https://github.com/hpo-lessons/hpo-lessons`,
#   then `make lab` in the folder. It creates a virtual environment `.venv`, installs the
#   package with everything the notebooks need, and opens JupyterLab on `notebooks/`.
# - **With conda**: `conda env create -f environment.yml`, `conda activate hpo-lessons`,
#   then `jupyter lab notebooks/`.
# - **In Colab**: the badge at the top of each chapter opens it; the first code cell installs
#   the package. For a GPU choose *Runtime → Change runtime type → GPU* before running.
# - **Budgets**: one switch, the environment variable `HPO_LESSONS_PROFILE`, scales the
#   whole course. `quick` (the default without a GPU, and what the stored outputs were made
#   with) uses the small digits set and small budgets, sized for a laptop CPU. `full` (the
#   default when Keras' backend sees a GPU) uses MNIST and larger budgets. Set it before starting Jupyter (`HPO_LESSONS_PROFILE=full make lab`), or
#   in the first cell with `os.environ["HPO_LESSONS_PROFILE"] = "full"` before `hl.profile()`.
#
# Every budget in the notebooks comes from the profile object `P`. The one in use here,
# next to the other:

# %%
import dataclasses

full = hl.profile("full" if P.name == "quick" else "quick")
print(f"{'budget':20s} {P.name + ' (in use)':>16s} {full.name:>12s}")
for field in dataclasses.fields(P):
    print(f"{field.name:20s} {getattr(P, field.name)!s:>16s} {getattr(full, field.name)!s:>12s}")

# %% [markdown]
# `epochs` and `batch_size` are the training budget of one network, `n_trials` the number
# of networks one search may train, and `n_seeds` how many times a search is repeated with
# different seeds when methods are compared (one run of a random method proves little).
# The `_synthetic` budgets are for cheap test functions, where a trial takes microseconds.

# %% [markdown]
# ## 5. Keras on TensorFlow, JAX or PyTorch
#
# Keras 3 runs the same model code on three *backends*: TensorFlow (the default here and on
# Colab), JAX and PyTorch (Keras team, 2023). The environment variable `KERAS_BACKEND`
# chooses one, and Keras reads it once, at its first import: set it before starting Jupyter
# (`KERAS_BACKEND=jax make lab`) or in the first cell, `os.environ["KERAS_BACKEND"] = "jax"`
# before anything imports Keras (to switch later, restart the kernel). `setup_backend` (the
# call at the top of this chapter; `setup_tensorflow` is another name for it) reports which backend runs.
# Two chapters use TensorFlow directly and need it whatever `KERAS_BACKEND` says: chapter 2
# computes gradient norms with `tf.GradientTape`, and chapter 7 writes and reads TensorBoard
# event files (Keras' `TensorBoard` callback writes them with TensorFlow). The other chapters
# go through Keras only.
# On a machine without TensorFlow, `pip install keras keras-tuner six jax` and then
# `pip install --no-deps hpo-lessons` give the whole Keras side, Keras Tuner included.
#
# What changes? The network and the search do not, and neither does the order in which the
# training examples are visited (the package draws it with numpy from the trial's seed). Two
# things do: the speed, since each backend executes and compiles the model its own way, and the
# random numbers, since each backend has its own random generator, so the same seed draws other
# initial weights on another backend. Here is the same small trial run twice with seed 0 and
# once with seed 1 on every backend installed, each backend in a fresh Python process:

# %%
import importlib.util, json, subprocess, sys

TRIAL = """
import json, sys, time
from hpo_lessons import keras_task as kt
data, out, params = kt.load_data("digits"), [], {"units": 64, "dropout": 0.2, "learning_rate": 1e-3}
for seed in (0, 0, 1):  # the same seed twice, then another
    start = time.perf_counter()
    model, h = kt.train({**params, "epochs": int(sys.argv[1]), "batch_size": int(sys.argv[2])}, data, seed=seed)
    right = (model.predict(data.x_val, verbose=0).argmax(axis=-1) == data.y_val).tolist()
    out.append({"seconds": time.perf_counter() - start, "value": h["val_accuracy"][-1], "loss": h["loss"],
                "right": right})
print(json.dumps({"trials": out, "tensorflow_loaded": "tensorflow" in sys.modules}))
"""
backends = [name for name in ("tensorflow", "jax", "torch") if importlib.util.find_spec(name)]

# %%
# NBVAL_IGNORE_OUTPUT
results = {}
for name in backends:
    done = subprocess.run([sys.executable, "-c", TRIAL, str(P.epochs), str(P.batch_size)], capture_output=True,
                          text=True, env={**os.environ, "KERAS_BACKEND": name}, check=True)
    results[name] = json.loads(done.stdout.splitlines()[-1])
    (a, b, c), tf_loaded = results[name]["trials"], results[name]["tensorflow_loaded"]
    print(f"{name:10s} {np.mean([t['seconds'] for t in (a, b, c)]):5.2f} s per trial; validation accuracy "
          f"seed 0: {a['value']:.4f}, again {b['value']:.4f}; seed 1: {c['value']:.4f}; TensorFlow loaded: {tf_loaded}")

# %% [markdown]
# Within a backend, the same seed gives the same learning curve to the last bit (on the same
# machine, on a CPU; on a GPU some cuDNN kernels are not deterministic, as the documentation of
# `keras.utils.set_random_seed` warns), and another seed another curve.
# Across backends, the same seed gives other curves: a score found on one backend is
# reproduced on that backend. How far apart do the backends land? The same rule as for the
# learning rates: `compare_models` on the images both networks classified, seed 0 on one
# backend against seed 0 on another, next to seed 0 against seed 1 on one backend.

# %%
# NBVAL_IGNORE_OUTPUT
trials = {name: r["trials"] for name, r in results.items()}
for a, b, c in trials.values():
    assert a["loss"] == b["loss"] and a["value"] == b["value"]  # the same seed: the same curve, bit for bit
    assert c["loss"] != a["loss"]  # another seed: another curve
if "jax" in results:
    assert not results["jax"]["tensorflow_loaded"]  # JAX trains without loading TensorFlow
if len(trials) < 2:
    print(f"Only {', '.join(trials)} is installed here, so there is nothing to compare it with: "
          "`pip install jax` and restart the kernel to see the comparison; the rest of the chapter runs as it is.")

# %%
def compare_backends(trials):
    """Verdicts: seed 0 on each backend against the first backend's seed 0, and seed 0 against seed 1 on each."""
    assert len({tuple(t[0]["loss"]) for t in trials.values()}) == len(trials)  # each backend its own curve
    first, *others = trials
    across = [compare_models(trials[b][0]["right"], trials[first][0]["right"], names=(f"{b} seed 0", f"{first} seed 0"))
              for b in others]
    within = [compare_models(t[0]["right"], t[2]["right"], names=(f"{b} seed 0", f"{b} seed 1"))
              for b, t in trials.items()]
    return across, within


# %%
# NBVAL_IGNORE_OUTPUT
if len(trials) >= 2:
    across, within = compare_backends(trials)
    seconds = {name: np.mean([x["seconds"] for x in t]) for name, t in trials.items()}
    print("\n".join(v.text for v in across + within))
    print(f"slowest backend / fastest, per trial: {max(seconds.values()) / min(seconds.values()):.1f}x "
          f"({max(seconds, key=seconds.get)} / {min(seconds, key=seconds.get)})")

# %% [markdown]
# Each verdict compares two single networks on 359 images, so it detects differences of
# about 2.4 to 2.7 points and no smaller (the detectable difference is in its text). In the
# stored run every verdict, across backends and across seeds within one, is "not decided":
# the backends' gaps are of the size that a change of seed makes, and smaller than what one
# run each can resolve, which is not the same as the backends being equal. The seconds per trial
# are this machine's, in this run (small networks on a CPU; on a GPU the order can change). A search should therefore be compared and repeated on one
# backend, and a result reported with the backend it ran on, as with the seed.

# %% [markdown]
# ## Exercises
#
# Each exercise has a task, a worked solution and a check cell. Try it yourself before you
# read the solution.
#
# ### Exercise 1: count the parameters
#
# Write `count_parameters(sizes)` for a stack of Dense layers with biases, where `sizes`
# lists the width of the input, of each hidden layer and of the output: the network above is
# `[d, 32, 10]` for $d$ input pixels (`[64, 32, 10]` on the digits). Then check it.

# %%
from hpo_lessons.exercises import ch01


def count_parameters(sizes):
    """Number of weights and biases of Dense layers sizes[0] -> sizes[1] -> ... -> sizes[-1]."""
    ...  # your code here


# %%
# Solution
def count_parameters(sizes):
    """Number of weights and biases of Dense layers sizes[0] -> sizes[1] -> ... -> sizes[-1]."""
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


# %%
ch01.check_count_parameters(count_parameters)
assert count_parameters([n_pixels, 32, 10]) == model.count_params()

# %% [markdown]
# ### Exercise 2: parameter or hyperparameter?
#
# For each item of `ch01.ITEMS`, answer `"parameter"` (learned by gradient descent) or
# `"hyperparameter"` (chosen outside the fit).

# %%
for item in ch01.ITEMS:
    print("-", item)
answers = {}  # your answers here

# %%
# Solution
answers = {
    "the weights of the first Dense layer": "parameter",
    "the learning rate of the optimizer": "hyperparameter",
    "the number of hidden units": "hyperparameter",
    "the biases of the output layer": "parameter",
    "the batch size": "hyperparameter",
    "the number of training epochs": "hyperparameter",
    "the activation function": "hyperparameter",
    "the dropout rate": "hyperparameter",
}

# %%
ch01.check_classify(answers)

# %% [markdown]
# ## Summary and what next
#
# - Parameters (weights, biases) are learned by gradient descent on the training loss;
#   hyperparameters (learning rate, units, batch size, epochs, ...) are chosen outside it
#   and define the training itself.
# - Tuning optimizes a validation score over hyperparameters, where every evaluation is a
#   full training run: expensive, noisy and without gradients.
# - Changing the learning rate alone moved the validation accuracy of the same network
#   from chance to its best. Whether one configuration beats another is a verdict of
#   `compare_models` on the images both were scored on (better, equivalent within a stated
#   margin, or not decided at this many seeds), the one rule the whole course uses.
# - The same code runs on TensorFlow, JAX or PyTorch (`KERAS_BACKEND`); a seed repeats a
#   result on its own backend only.
#
# **Next:** [chapter 2](02_training_pipeline.ipynb) walks through the training pipeline and
# shows, one experiment each, how the data split, initialization, activation, optimizer,
# loss and learning rate change what a network learns.
#
# ## References
#
# - Alpaydin, E. & Kaynak, C. (1998). Optical recognition of handwritten digits. UCI Machine Learning
#   Repository (the *digits* data set, as shipped with scikit-learn).
# - Feurer, M. & Hutter, F. (2019). Hyperparameter optimization. In *Automated Machine Learning*, Springer, ch. 1.
# - Goodfellow, I., Bengio, Y. & Courville, A. (2016). *Deep Learning*. MIT Press, sec. 5.3.
# - Jaderberg, M. et al. (2017). Population based training of neural networks. arXiv:1711.09846.
# - Kingma, D. P. & Ba, J. (2015). Adam: a method for stochastic optimization. *ICLR*.
# - Keras team (2023). Introducing Keras 3.0. https://keras.io/keras_3/ (one Keras on TensorFlow, JAX and PyTorch).
# - LeCun, Y., Bottou, L., Bengio, Y. & Haffner, P. (1998). Gradient-based learning applied to document
#   recognition. *Proceedings of the IEEE* 86(11) (the MNIST data set).
# - Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python. *JMLR* 12, 2825-2830.
