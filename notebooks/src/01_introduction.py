# %% [markdown]
# # 1. Introduction: what hyperparameter tuning is
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/01_introduction.ipynb)
#
# A neural network learns its weights from data, but not everything about it is learned:
# somebody chose how many units it has, how fast it learns, for how many epochs and in
# batches of what size. **Hyperparameter tuning** is the search for the choices with which
# the model does best on data it was not trained on. With one or two such choices a person
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
# This chapter trains networks, so it checks what TensorFlow sees. On a CPU everything
# works, only more slowly; on a GPU the `full` profile (section 4) is chosen by default.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.keras_task import setup_tensorflow

setup_tensorflow(verbose=True);

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
# training loss $L$,
#
# $$\theta_{t+1} = \theta_t - \eta\, \nabla_\theta L(\theta_t; \mathcal{D}_\text{train}),$$
#
# one step per mini-batch. Everything that this update does *not* change is a
# **hyperparameter** $\lambda$: the learning rate $\eta$ in the formula itself, the batch
# size, the number of epochs, the number of layers and units, the activation function, the
# optimizer, regularization strengths. They are fixed before the fit starts and define the
# fit. Tuning is therefore an optimization wrapped around another one:
#
# $$\lambda^\star = \arg\max_{\lambda}\ \text{score}\big(f(\cdot\,; \theta^\star(\lambda)),\ \mathcal{D}_\text{val}\big),
# \qquad \theta^\star(\lambda) = \text{the weights that training with } \lambda \text{ produces}.$$
#
# The outer problem is hard in its own way: each evaluation of the score is a whole
# training run, there is no gradient with respect to $\lambda$ to follow (some $\lambda$
# are integers or choices from a list), and the score is noisy because training is random.
#
# The course's data set is the *digits* set that ships with scikit-learn: 1,797 grey-scale
# images of 8×8 pixels, each a handwritten digit 0 to 9 (the `full` profile uses MNIST).
# `load_data` splits it into training, validation and test sets (chapter 2 says why three).

# %%
data = kt.load_data(P.dataset, max_train_samples=P.max_train_samples)
print(data)

# %% [markdown]
# A small network, with 32 hidden units, built from a dictionary of hyperparameters (the
# package's `build_model` is what every later chapter tunes). Its parameters are the weight
# matrices ("kernels") and bias vectors of its two Dense layers: $(64 + 1) \times 32$ in the
# first and $(32 + 1) \times 10$ in the second.

# %%
hyperparameters = {"units": 32, "learning_rate": 1e-3, "batch_size": P.batch_size, "epochs": P.epochs}
keras.utils.set_random_seed(0)
model = kt.build_model(hyperparameters, data)
for weight in model.weights:
    print(f"{weight.path:24s} shape {str(tuple(weight.shape)):10s} {int(np.prod(weight.shape)):6d} numbers")
print(f"{'total':24s} {'':16s} {model.count_params():6d} parameters")

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
assert n_changed > 0.95 * (model.count_params() - stuck)  # gradient descent moved every weight it could reach
assert np.isclose(float(model.optimizer.learning_rate.numpy()), hyperparameters["learning_rate"])

# %% [markdown]
# Most of the weights that did not move connect pixels that are 0 in every training image
# (in the corners of the frame): their gradient is always 0. A ReLU unit that outputs 0
# for every training image gets no gradient either, and neither do its weights.
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
# the Adam optimizer (Kingma & Ba, 2015), over five orders of magnitude. `kt.train` builds
# a fresh network with the same seed each time, trains it for `P.epochs` epochs and
# returns the per-epoch learning curves.

# %%
# NBVAL_IGNORE_OUTPUT
learning_rates = [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
curves = {}
for lr in learning_rates:
    try:
        _, history = kt.train({**hyperparameters, "learning_rate": lr}, data, seed=0)
        curves[lr] = history["val_accuracy"]
    except FloatingPointError:  # the loss became NaN: this learning rate failed outright
        curves[lr] = [1 / data.num_classes] * P.epochs
    print(f"learning rate {lr:g}: validation accuracy {curves[lr][-1]:.3f}")

# %%
final = np.array([curves[lr][-1] for lr in learning_rates])
best_lr = learning_rates[int(np.argmax(final))]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for lr in learning_rates:
    left.plot(range(1, len(curves[lr]) + 1), curves[lr], marker="o", markersize=3, label=f"lr = {lr:g}")
right.semilogx(learning_rates, final, marker="o")
for ax in (left, right):
    ax.axhline(1 / data.num_classes, color="gray", linestyle="--", linewidth=1, label="chance")
left.set(xlabel="epoch", ylabel="validation accuracy", title="Learning curves, one per learning rate")
left.legend(fontsize=8)
right.set(xlabel="learning rate (log scale)", ylabel=f"validation accuracy after {P.epochs} epochs",
          title=f"Best at lr = {best_lr:g}: {final.max():.0%}; worst {final.min():.0%}")
for ax in (left, right):
    ax.grid(alpha=0.3)
fig.suptitle(f"One hyperparameter moves validation accuracy by {100 * (final.max() - final.min()):.0f} percentage points")
fig.tight_layout()

# %%
assert final.max() - final.min() > 0.3  # the learning rate alone makes or breaks the network
assert final[0] < final.max() and final[-1] < final.max()  # the best is inside the range, not at an end

# %% [markdown]
# Too small a learning rate (left end) leaves the network barely trained after the
# budget; too large a one (right end) overshoots, and the network ends up worse or useless.
# The best value lies in between, and where exactly depends on everything else: the
# optimizer, the batch size, the architecture, the data. With five hyperparameters of five
# values each there are $5^5 = 3125$ combinations, each a training run: that is why the
# rest of the course is about searching cleverly.

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
# | 7 | [07_framework_modules](07_framework_modules.ipynb) | Keras Tuner in depth, side by side with the from-scratch methods on the same budget |
# | 8 | [08_summary_and_outlook](08_summary_and_outlook.ipynb) | every method compared; what to use when; further reading and references |
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
#   with) uses the small digits set and small budgets, so each chapter runs in a couple of
#   minutes on a laptop CPU. `full` (the default when TensorFlow sees a GPU) uses MNIST and
#   larger budgets. Set it before starting Jupyter (`HPO_LESSONS_PROFILE=full make lab`), or
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
# ## Exercises
#
# Each exercise has a task, a worked solution and a check cell. Try it yourself before you
# read the solution.
#
# ### Exercise 1: count the parameters
#
# Write `count_parameters(sizes)` for a stack of Dense layers with biases, where `sizes`
# lists the width of the input, of each hidden layer and of the output: the network above is
# `[64, 32, 10]`. Then check it.

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
assert count_parameters([64, 32, 10]) == model.count_params()

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
#   from near chance to its best.
#
# **Next:** [chapter 2](02_training_pipeline.ipynb) walks through the training pipeline and
# shows, one experiment each, how the data split, initialization, activation, optimizer,
# loss and learning rate change what a network learns.
#
# **References**
#
# - Feurer & Hutter (2019), Hyperparameter optimization, in *Automated Machine Learning*, Springer, ch. 1.
# - Goodfellow, Bengio & Courville (2016), *Deep Learning*, MIT Press, sec. 5.3 and ch. 8.
# - Jaderberg et al. (2017), Population based training of neural networks, arXiv:1711.09846.
# - Kingma & Ba (2015), Adam: a method for stochastic optimization, ICLR.
