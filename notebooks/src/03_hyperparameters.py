# %% [markdown]
# # 3. Choosing hyperparameters: search spaces, and what moves good values
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/03_hyperparameters.ipynb)
#
# The source article (its section 2.3) says that good hyperparameters depend on
# (1) the **size of the data set**, which moves the batch size and the learning rate,
# (2) the **complexity of the model**, such as the number of layers and hidden units, and
# (3) the **type of task**, for example weights for the classes of an imbalanced
# classification, or how related the tasks of a multi-task model are. It then names three
# ways to search: grid search, Bayesian optimization and genetic algorithms, which
# chapters 4 to 6 build from scratch.
#
# Every search needs the same thing first: a **search space**, the set of configurations it
# may try. This chapter defines search spaces (types, ranges, log scales) with the package's
# `Space`, tests the article's three claims with experiments, and estimates from a random
# search which hyperparameters matter most.

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
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import LogLocator, ScalarFormatter

# %% [markdown]
# ## 1. What a search space is
#
# A search space gives each hyperparameter a **type** and a **range**:
#
# | type | examples | range |
# | --- | --- | --- |
# | real | learning rate, dropout rate, weight decay | an interval, e.g. $[10^{-5}, 10^{-1}]$ or $[0, 0.5]$ |
# | integer | hidden units, layers, batch size | an interval of whole numbers, e.g. 16 to 512 |
# | categorical | activation, optimizer | a list of choices with no order, e.g. relu, tanh, elu |
#
# The range encodes what we already know: too narrow and the best value is outside it,
# too wide and the search wastes its budget where nothing works.
#
# ### Log scales
#
# A learning rate of $10^{-4}$ and one of $2 \cdot 10^{-4}$ differ as much, in effect, as
# $10^{-2}$ and $2 \cdot 10^{-2}$: what matters is the *ratio*. Sampling uniformly on
# $[10^{-5}, 10^{-1}]$ ignores this: $[10^{-2}, 10^{-1}]$ is 90 percent of that interval, so
# 90 percent of the draws land in the top decade and the small learning rates are hardly
# ever tried. Sampling uniformly in $\log x$ instead, that is $x = \exp(u)$ with
# $u \sim U(\log a, \log b)$ (the *log-uniform* distribution), gives every decade the same
# share. The same holds for anything that acts multiplicatively: weight decay, the number of
# units, the batch size.

# %%
low, high, n = 1e-5, 1e-1, 10_000
rng = np.random.default_rng(0)
uniform = rng.uniform(low, high, n)
log_uniform = np.exp(rng.uniform(math.log(low), math.log(high), n))
decades = 10.0 ** np.arange(-5, 0)  # edges 1e-5, 1e-4, ..., 1e-1
share_uniform = np.histogram(uniform, bins=decades)[0] / n
share_log = np.histogram(log_uniform, bins=decades)[0] / n
for lo, a, b in zip(decades[:-1], share_uniform, share_log):
    print(f"[{lo:.0e}, {lo * 10:.0e}): uniform {a:6.1%}   log-uniform {b:6.1%}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
bins = np.logspace(-5, -1, 41)
ax.hist(uniform, bins=bins, alpha=0.6, label="uniform on [1e-5, 1e-1]")
ax.hist(log_uniform, bins=bins, alpha=0.6, label="log-uniform on [1e-5, 1e-1]")
ax.set_xscale("log")
ax.set(xlabel="learning rate (log scale)", ylabel=f"draws out of {n}",
       title=f"Uniform puts {share_uniform[-1]:.0%} of the draws in the top decade; log-uniform "
             f"{share_log[-1]:.0%}")
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
assert share_uniform[-1] > 0.85 and np.all(np.abs(share_log - 0.25) < 0.02)

# %% [markdown]
# The package draws log-uniform values the same way: a `Real(low, high, log=True)` maps a
# number $u \in [0, 1]$ to $\exp(\log a + u (\log b - \log a))$ (its `from_unit`). Fed the
# same uniform numbers, it reproduces the hand-written sampler:

# %%
u = np.random.default_rng(1).random(1000)
by_hand = np.exp(math.log(low) + u * (math.log(high) - math.log(low)))
package = np.array([hl.Real(low, high, log=True).from_unit(x) for x in u])
assert np.allclose(by_hand, package, rtol=1e-12)
print("the package's log scale matches the formula on", len(u), "points")

# %% [markdown]
# ## 2. Search spaces in the package
#
# `hl.Space` holds named dimensions: `Real`, `Integer` and `Categorical`. Every search
# method in the course works inside the unit cube $[0, 1]^d$ and lets the space translate:
# `to_unit` maps a configuration to a point of the cube and `from_unit` maps it back
# (respecting log scales, rounding integers, and giving each categorical choice an equal
# cell).

# %%
space = hl.Space(
    learning_rate=hl.Real(1e-4, 1e-1, log=True),
    units=hl.Integer(16, 256, log=True),
    dropout=hl.Real(0.0, 0.5),
    activation=hl.Categorical(["relu", "tanh", "elu"]),
)
print(space)
print("number of configurations:", space.size)

# %%
params = {"learning_rate": 1e-3, "units": 64, "dropout": 0.25, "activation": "tanh"}
point = space.to_unit(params)
def rounded(params):
    """Floats to 6 significant digits, for printing."""
    return {k: float(f"{v:.6g}") if isinstance(v, float) else v for k, v in params.items()}


print("to_unit:  ", np.round(point, 4))
print("from_unit:", rounded(space.from_unit(point)))
print("corners:  ", rounded(space.from_unit([0, 0, 0, 0])), rounded(space.from_unit([1, 1, 1, 1])))

# %% [markdown]
# A learning rate of $10^{-3}$ sits one third of the way from $10^{-4}$ to $10^{-1}$ on a
# log scale; 64 units at about half of the log range from 16 to 256 (each integer owns a
# cell of the interval); the second of three choices in the middle of the middle third.
# Going back through `from_unit` returns the configuration, up to floating-point rounding
# in the log transform. For models that must not treat the order of
# the choices as meaningful (a Gaussian process, chapter 5), `to_features` replaces a
# categorical's single number by a one-hot block:

# %%
print("to_features:", space.to_features(params))

# %% [markdown]
# `sample` draws configurations (log-uniform on log dimensions) from a seed, so the same
# seed gives the same draws; `grid` builds the full factorial grid of chapter 4, with
# every categorical choice and log-spaced values on log dimensions.

# %%
for p in space.sample(np.random.default_rng(0), n=3):
    print(rounded(p))
grid = space.grid(3)
print(f"grid(3): {len(grid)} = 3 x 3 x 3 x 3 configurations, from {rounded(grid[0])} to {rounded(grid[-1])}")

# %% [markdown]
# ### Mistakes are caught before any training
#
# A search that runs for hours and then fails on a bad range wastes the hours. `Space` and
# its dimensions check their arguments when they are built, and `validate` checks a
# configuration, each with a message that says what to change:

# %%
mistakes = {
    "bounds swapped": lambda: hl.Real(1e-1, 1e-4, log=True),
    "log scale from 0": lambda: hl.Real(0.0, 0.5, log=True),
    "fractional integer": lambda: hl.Integer(16, 256.5),
    "one string as choices": lambda: hl.Categorical("relu"),
    "duplicate choices": lambda: hl.Categorical(["relu", "tanh", "relu"]),
    "not a dimension": lambda: hl.Space(learning_rate=0.01),
    "value out of range": lambda: space.validate({**params, "learning_rate": 0.5}),
    "missing value": lambda: space.validate({"learning_rate": 1e-3}),
}

# %%
for what, make in mistakes.items():
    try:
        make()
        print(f"{what}: accepted?!")
    except (ValueError, TypeError) as error:
        print(f"{what:22s} {type(error).__name__}: {error}")

# %% [markdown]
# ## 3. What moves good values
#
# The experiments train the package's network on the digits data (section 2 of chapter 1),
# each for `P.epochs` epochs.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.keras_task import setup_backend

setup_backend(verbose=True);

# %%
import dataclasses

import keras
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score

from hpo_lessons import keras_task as kt

data = kt.load_data(P.dataset, max_train_samples=P.max_train_samples)
print(data)

# %% [markdown]
# ### How large a difference is noise?
#
# Chapter 2 measured how much the default network's validation accuracy moves when only
# the seed changes, and named the threshold for a real difference between two single runs
# **the noise band** ($2\sqrt 2$ seed standard deviations). We recompute it here with the
# same function and the same `P.n_seeds_noise` seeds. The grid below uses it the way it is
# meant: a cell within the band of its row's best is one that a single run cannot tell from
# the best (not one shown to be as good).


# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.experiments import noise

band = noise.seed_spread({"epochs": P.epochs, "batch_size": P.batch_size}, data, seeds=P.n_seeds_noise,
                         n_jobs=P.n_jobs)
print(band)

# %% [markdown]
# ### (1) The size of the data, the batch size and the learning rate
#
# One epoch of mini-batch training on $n$ examples with batch size $B$ takes $n/B$ steps,
# each averaging the gradient over $B$ examples. A larger batch gives a less noisy gradient
# but fewer steps per epoch, so for the same number of epochs it needs larger steps. The
# literature makes this precise. For SGD, Goyal et al. (2017) multiply the learning rate by
# $k$ when the batch grows by $k$ (the "linear scaling rule", which let them train ImageNet
# with batches of 8,192), and Smith & Le (2018) explain why: the noise of SGD is governed
# by the scale $\epsilon n / B$ (learning rate $\epsilon$, training set size $n$), so the
# best batch size grows in proportion to $\epsilon n$; this is how the size of the data set
# enters. For Adam a square-root rule fits better (Malladi et al., 2022).
#
# The experiment below tests both halves of the claim: first, at one data size, does
# the good learning rate move with the batch size? Then, at the same batch sizes, does it move
# with the size of the training set? Adam on a grid of batch sizes and learning rates, with
# the package's `GridSearch`, `KerasObjective` and `run` (chapter 4 explains grid search in
# detail). The learning rates run from $10^{-3}$ to 0.3, far enough on both sides that
# the best one can move with the batch size without leaving the grid.

# %%
RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]


def accuracy_grid(train_on, batch_sizes):
    """Validation accuracy of every (batch size, learning rate) pair, one run each: rows batch sizes."""
    space = hl.Space(batch_size=hl.Categorical(batch_sizes), learning_rate=hl.Categorical(RATES))
    # P.n_jobs trials at once, each in a process of its own (chapter 10): the cells do not depend on the order
    grid = hl.run(kt.KerasObjective(train_on, epochs=P.epochs), hl.GridSearch(space), direction="maximize",
                  n_workers=P.n_jobs, executor="processes", progress=False).to_dataframe()
    grid["value"] = grid["value"].fillna(1 / data.num_classes)  # a NaN loss is scored as chance
    return grid.pivot(index="params_batch_size", columns="params_learning_rate", values="value")


# %%
# NBVAL_IGNORE_OUTPUT
table = accuracy_grid(data, [16, 64, 256])
print(table.round(3))

# %% [markdown]
# Each row's best cell is one run, and a single run cannot tell its neighbours from it. So for
# each batch size we take the **good set**: the learning rates whose accuracy is within the
# noise band of the row's best, and summarize it by its geometric centre.

# %%
# NBVAL_IGNORE_OUTPUT
def good_rates(cells):
    """Per row (batch size): the rates within the noise band of the row's best, and their geometric centre."""
    good = {b: [lr for lr in cells.columns if cells.loc[b, lr] >= cells.loc[b].max() - band.band()] for b in cells.index}
    return good, {b: float(np.exp(np.mean(np.log(rates)))) for b, rates in good.items()}


good, centre = good_rates(table)
for b in table.index:
    print(f"batch {b:3d}: best lr {table.loc[b].idxmax():g} ({table.loc[b].max():.3f}); within the noise band: "
          f"{good[b]}, centre {centre[b]:.3g}")
small_b, large_b = table.index[0], table.index[-1]
moved = centre[large_b] / centre[small_b]
print(f"batch x{large_b // small_b}: centre of the good rates x{moved:.1f} "
      f"(linear rule x{large_b // small_b}, square-root rule x{math.sqrt(large_b / small_b):g})")

# %%
def annotate_cells(ax, cells):
    """Write each cell's accuracy on it, and outline the cells within the noise band of their row's best."""
    for (i, j), v in np.ndenumerate(cells):
        inside = table.columns[j] in good[table.index[i]]
        ax.text(j, i, f"{v:.3f}", ha="center", va="center", fontsize=8, fontweight="bold" if inside else "normal",
                color="black" if v > 0.92 else "white")
        if inside:
            ax.add_patch(plt.Rectangle((j - 0.45, i - 0.42), 0.9, 0.84, fill=False, edgecolor="white", linewidth=1.5))


# %%
cells = table.to_numpy()
fig, ax = plt.subplots(figsize=(7.5, 4.2))
image = ax.imshow(cells, origin="lower", aspect="auto", cmap="viridis", vmin=0.85, vmax=cells.max())
fig.colorbar(image, ax=ax, extend="min", label="validation accuracy (higher is better)")
annotate_cells(ax, cells)
ax.set(xticks=range(len(table.columns)), xticklabels=[f"{lr:g}" for lr in table.columns],
       yticks=range(len(table.index)), yticklabels=table.index, ylabel="batch size",
       xlabel="learning rate (Adam); outlined: within the noise band of the row's best",
       title=f"The good rates move up with the batch: centre {centre[small_b]:.2g} at {small_b}, "
             f"{centre[large_b]:.2g} at {large_b}")
fig.tight_layout()

# %%
low_lr, top_lr = table.columns[0], table.columns[-1]
assert table.loc[small_b, low_lr] - table.loc[large_b, low_lr] > 0.1  # large batches suffer at a small lr
assert min(good[large_b]) > min(good[small_b]) and moved > 1  # the good rates move up with the batch size
assert max(good[large_b]) >= max(good[small_b])
assert all(table.loc[b, top_lr] < table.loc[b].max() - 0.1 for b in table.index)  # 0.3 is too large everywhere
assert all(table.loc[b].idxmax() < top_lr for b in table.index)  # no optimum at the grid's top edge

# %% [markdown]
# At the smallest learning rate the large batch is far behind: it took 16 times fewer
# steps. As the batch grows, the small learning rates drop out of the good set while the
# large ones stay in it or join it, so its centre moves up, by a factor of 10 for a batch 16
# times larger. That agrees in
# direction with the literature. It cannot tell the linear rule from the square-root one:
# the grid's steps are a factor of about 3, a single seed per cell, and the good sets span
# several cells. The top of the range does not move: 0.3 is too large at every batch size,
# because Adam's steps are bounded by its learning rate whatever the batch, and a too-large
# step diverges (chapter 2). So batch size and learning rate must be tuned together (or the
# learning rate rescaled when the batch size changes); searching them one at a time, each
# with the other fixed at a default, can miss the good combinations.
#
# Now the size of the data. Take a quarter of the training set (a stratified subset,
# `load_data(..., max_train_samples=...)`, scored on the same validation images) and train
# it for the same number of epochs. Both arguments above predict that the good learning rates
# move **up**: each epoch takes a quarter of the steps, so the steps must be larger to get as
# far, and the noise scale $\epsilon n / B$ is a quarter as large at each learning rate.
# They predict more: a quarter of the data at batch $B$ has the same $n/B$ as the whole set at
# batch $4B$, the same steps per epoch and the same noise scale, so its good rates should sit
# near those of the full set at $4B$. Batch sizes 16 and 64, the same six learning rates:

# %%
# NBVAL_IGNORE_OUTPUT
quarter = kt.load_data(P.dataset, max_train_samples=len(data.y_train) // 4)
assert np.array_equal(quarter.x_val, data.x_val)  # the same validation images
quarter_table = accuracy_grid(quarter, [16, 64])
print(quarter_table.round(3))

# %%
# NBVAL_IGNORE_OUTPUT
quarter_good, quarter_centre = good_rates(quarter_table)
n_full, n_quarter = len(data.y_train), len(quarter.y_train)
for b in quarter_table.index:
    print(f"batch {b:2d} on {n_quarter} examples: within the noise band {quarter_good[b]}, centre "
          f"{quarter_centre[b]:.3g}; on {n_full}: centre {centre[b]:.3g} at batch {b}, {centre[4 * b]:.3g} at batch "
          f"{4 * b} (the same n/B); at rate {RATES[0]:g} it lost {100 * (table - quarter_table).loc[b, RATES[0]]:.1f} points")
# less data, the same batch: the low edge of the good rates moves up, and with it their centre
assert all(min(quarter_good[b]) > min(good[b]) and quarter_centre[b] > centre[b] for b in quarter_table.index)

# %% [markdown]
# With a quarter of the data, the good rates moved up at both batch sizes: the smallest
# rates, good on the whole set, fell out of the noise band (at batch 16 the rate 0.001 lost
# 8.6 points), and in the stored run the centres moved from 0.0055 to 0.01 at batch 16 and
# from 0.017 to 0.055 at batch 64. The quarter set at batch $B$ landed near the whole set at
# batch $4B$, the same $n/B$: centres 0.01 against 0.017, and 0.055 against 0.055. So the
# article's claim (1) holds on this network in both halves: the size of the data set moves the
# good learning rate, and it does so through $n/B$, together with the batch size. What carries
# over from one data set to a larger or smaller one is not a learning rate alone. As above,
# each cell is one run and the noise band was measured on the whole training set (a quarter
# of it is noisier), so the experiment shows the direction and the rough size of the move,
# not the exponent of a scaling rule.
#
# ### (2) Model complexity and the size of the data
#
# A larger network can fit more, including the noise of a small training set; the usual
# expectation is that it therefore over-fits small data more. The experiment measures that
# directly: three widths of the hidden layer, trained on 120 examples and on the full
# training set, each with several seeds (and another random 120 examples per seed). As in
# chapter 2, the small set is repeated so that every run takes the same number of gradient
# steps. Over-fitting is measured by the **gap**: accuracy on the examples trained on minus
# accuracy on the validation set.

# %%
def capacity_run(units, n, seed):
    """Training and validation accuracy of `units` hidden units trained on `n` random training examples."""
    keep = np.random.default_rng(seed).permutation(len(data.y_train))[:n]
    repeat = np.tile(keep, math.ceil(len(data.y_train) / n))[: max(n, len(data.y_train))]
    part = dataclasses.replace(data, x_train=data.x_train[repeat], y_train=data.y_train[repeat])
    model, h = kt.train({"units": units, "epochs": P.epochs, "batch_size": P.batch_size}, part, seed=seed)
    train_acc = model.evaluate(data.x_train[keep], data.y_train[keep], verbose=0, return_dict=True)["accuracy"]
    return train_acc, h["val_accuracy"][-1]


# %%
# NBVAL_IGNORE_OUTPUT
widths, sizes, capacity_seeds = [16, 64, 256], [120, len(data.y_train)], range(max(3, P.n_seeds))
capacity = {(n, u): np.array([capacity_run(u, n, s) for s in capacity_seeds]) for n in sizes for u in widths}
gap = {key: runs[:, 0] - runs[:, 1] for key, runs in capacity.items()}
for (n, u), runs in capacity.items():
    print(f"{n:5d} examples, {u:3d} units: training accuracy {runs[:, 0].mean():.3f}, validation "
          f"{runs[:, 1].mean():.3f}, gap {gap[n, u].mean():+.3f} ± {gap[n, u].std(ddof=1):.3f} (over seeds)")

# %%
def se(x):
    """Standard error of a mean over seeds."""
    return np.std(x, ddof=1) / np.sqrt(len(x))


# %%
fig, axes = plt.subplots(1, 2, figsize=(11.5, 4), sharey=True)
for ax, n in zip(axes, sizes):
    for col, (what, style) in enumerate((("training", "-o"), ("validation", "--s"))):
        runs = [capacity[n, u][:, col] for u in widths]
        ax.errorbar(widths, [r.mean() for r in runs], yerr=[2 * se(r) for r in runs], fmt=style, capsize=4,
                    label=f"{what} accuracy (mean ± 2 SE)")
    ax.set_xscale("log")
    ax.set_xticks(widths, [str(u) for u in widths])
    ax.minorticks_off()
    ax.set(xlabel="hidden units (log scale)", ylabel="accuracy", title=f"{n} examples: gap "
           + ", ".join(f"{gap[n, u].mean():.0%}" for u in widths) + " at " + "/".join(map(str, widths)) + " units")
    ax.yaxis.set_tick_params(labelleft=True)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# Three questions, each a verdict of the statistics layer (`compare_searches`: Wilcoxon's
# signed-rank test on runs paired by seed, and a bootstrap interval), Holm-corrected
# together. Seed $s$ draws the same 120 examples at every width, so the runs pair by seed,
# and by seed and width where the question holds for every width.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.experiments.verdict import adjust, compare_searches

small_n, full_n, narrow, wide = sizes[0], sizes[-1], widths[0], widths[-1]
pooled = {n: 100 * np.concatenate([gap[n, u] for u in widths]) for n in sizes}  # (width, seed) pairs, points
capacity_verdicts = adjust([
    compare_searches(pooled[full_n], pooled[small_n], names=("gap on all the data", "gap on 120 examples"),
                     higher_is_better=False, unit="points"),
    compare_searches(100 * gap[small_n, wide], 100 * gap[small_n, narrow], names=(f"gap of {wide} units",
                     f"gap of {narrow} units"), higher_is_better=False, unit="points"),
    compare_searches(100 * np.concatenate([capacity[n, wide][:, 1] for n in sizes]), 100 * np.concatenate(
        [capacity[n, narrow][:, 1] for n in sizes]), names=(f"{wide} units", f"{narrow} units"), unit="points")])
for v in capacity_verdicts:
    print(v)

# %%
assert capacity_verdicts[0].winner == "gap on all the data"  # scarce data opens the gap, beyond the seed noise
assert capacity[small_n, wide][:, 0].mean() > 0.99 > capacity[small_n, narrow][:, 0].mean()  # memorized; narrow not

# %% [markdown]
# What the data show:
#
# - **The amount of data drives the gap.** With 120 examples every width over-fits, by
#   several points more than with the full training set: the gap on all the data is smaller
#   by 6.7 points (95 percent interval 4.7 to 9.0), Holm-adjusted p = 0.012 over 9 pairs of
#   seed and width.
# - **Width, on 120 examples, is not decided.** The widest network memorizes its training
#   set (100 percent) and the narrow one does not, yet the wide network's gap is the smaller
#   one in each of the three seeds (the difference lies between -3.1 and -1.5 points). Three
#   seeds are too few for a signed-rank test to reach p < 0.05 whatever the difference, so
#   the experiment does not decide it; what it shows points away from "wider over-fits more".
# - **Wider validates better?** Pooled over both data sizes, 256 units against 16: between
#   +13.2 and +18.8 points, yet not decided at the 5 percent level, because six pairs give a
#   signed-rank p of at least 0.031, which Holm's correction doubles to 0.062: a design
#   too small for its test, however large the effect (it detects 5.7 points).
#
# So the common statement "larger networks over-fit small data more" is not what this
# experiment shows; it would take more seeds to show it or its opposite. Over-parameterized networks often generalize better than their capacity
# suggests: test error keeps falling as hidden units are added, even past the point where
# the training set is fitted perfectly (Neyshabur, Tomioka & Srebro, 2015), networks can
# memorize random labels yet generalize on real ones (Zhang et al., 2017), and test error can
# fall again beyond the interpolation threshold (Nakkiran et al., 2020). What does hold is
# that the good amount of regularization (dropout, weight decay, early stopping) and the
# good capacity depend on the data's size, so they must be re-tuned when the data grows.
#
# ### (3) The type of task: class weights for imbalanced classes
#
# Take a different task on the same images: "is this a 9?", where the 9s are rare. We keep
# only one in five of the 9s in the training set, about 2 percent of it; the validation set
# keeps its natural 10 percent. A classifier that never says "9" is then right about 98
# percent of the time on the training set, and a network learns to do nearly that.

# %%
def is_nine(y):
    return (y == 9).astype(np.int32)


rng = np.random.default_rng(0)
nines = np.flatnonzero(data.y_train == 9)
keep = np.setdiff1d(np.arange(len(data.y_train)), rng.choice(nines, size=len(nines) * 4 // 5, replace=False))
binary = dataclasses.replace(data, x_train=data.x_train[keep], y_train=is_nine(data.y_train[keep]),
                             y_val=is_nine(data.y_val), y_test=is_nine(data.y_test), num_classes=2,
                             name="is it a 9", classes=(0, 1))
print(f"training: {binary.y_train.sum()} nines of {len(binary.y_train)} ({binary.y_train.mean():.1%}); "
      f"validation: {binary.y_val.sum()} of {len(binary.y_val)} ({binary.y_val.mean():.1%})")

# %% [markdown]
# **Class weights** multiply each example's loss by a weight for its class, so that the
# rare class counts as much in total as the common one: $w_c = n / (k\, n_c)$ for $k$
# classes with $n_c$ examples each (scikit-learn's "balanced" heuristic; King & Zeng,
# 2001, discuss the statistics of rare events). The weights are a hyperparameter of the
# task, not of the network. So is the **metric**: plain accuracy rewards ignoring the rare
# class, so we report each class's recall and their mean, the *balanced accuracy*.

# %%
counts = np.bincount(binary.y_train)
class_weight = {c: float(len(binary.y_train) / (2 * counts[c])) for c in (0, 1)}
print("class weights:", {c: round(w, 2) for c, w in class_weight.items()})


def predict_val(class_weight=None):
    """Train the default network on the binary task; its probability of "9" on each validation image."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    model = kt.build_model({"epochs": P.epochs, "batch_size": P.batch_size}, binary)
    model.fit(binary.x_train, binary.y_train, epochs=P.epochs, batch_size=P.batch_size,
              class_weight=class_weight, verbose=0)
    return model.predict(binary.x_val, verbose=0)[:, 1]


# %%
# NBVAL_IGNORE_OUTPUT
scores, p_nine = {}, {"no weights": predict_val(None), "class weights": predict_val(class_weight)}
prior = binary.y_train.mean()  # the share of 9s the unweighted network was trained on
for name, prob, cut in (("no weights", p_nine["no weights"], 0.5), ("class weights", p_nine["class weights"], 0.5),
                        (f"no weights, threshold {prior:.3f}", p_nine["no weights"], prior)):
    pred = (prob > cut).astype(int)
    recall_other, recall_nine = recall_score(binary.y_val, pred, average=None)
    scores[name] = {"accuracy": np.mean(pred == binary.y_val), "recall, not 9": recall_other,
                    "recall, 9": recall_nine, "balanced accuracy": balanced_accuracy_score(binary.y_val, pred),
                    "AUC": roc_auc_score(binary.y_val, prob)}
scores = pd.DataFrame(scores)
pred = (p_nine["class weights"] > 0.5).astype(int)  # the weighted network's answers, for exercise 3
print(scores.round(3))

# %%
ax = scores.plot.bar(figsize=(8.5, 3.8), rot=0)
ax.legend(loc="upper center", ncol=3, fontsize=8)  # above the bars, which stop at 1
ax.set(ylabel="score on the validation set", ylim=(0, 1.25), yticks=np.linspace(0, 1, 6),
       title=f"Class weights raise the recall of the rare class from {scores.loc['recall, 9', 'no weights']:.0%} "
             f"to {scores.loc['recall, 9', 'class weights']:.0%}")
ax.grid(axis="y", alpha=0.3)

# %%
assert scores.loc["recall, 9", "no weights"] < 0.5  # unweighted, the network rarely answers "9"
assert scores.loc["recall, 9", "class weights"] > scores.loc["recall, 9", "no weights"] + 0.2
assert scores.loc["balanced accuracy", "class weights"] > scores.loc["balanced accuracy", "no weights"]
assert scores.loc["recall, not 9", "class weights"] < scores.loc["recall, not 9", "no weights"]  # false alarms
shifted = f"no weights, threshold {prior:.3f}"
assert scores.loc["AUC", "no weights"] > 0.9  # unweighted, the network still ranks the 9s above the others
assert scores.loc["recall, 9", shifted] > scores.loc["recall, 9", "no weights"] + 0.2  # a moved threshold finds them
assert round(1 - binary.y_val.mean(), 2) == 0.90  # never answering "9" scores 90 percent on validation

# %% [markdown]
# Plain accuracy hides what happened: on this validation set a model that never answers
# "9" still scores 90 percent. The recall of the 9s and the balanced accuracy show what the
# weights buy, at the price of some false alarms on the other digits.
#
# But the unweighted network had not failed to *see* the 9s: its AUC (the chance that a
# random 9 gets a higher "9" probability than a random other digit) is 0.944, although its
# recall of the 9s is 0. It ranks
# them well and only answers "9" too rarely, because its threshold of 0.5 suits a world with 2
# percent of 9s. Moving the threshold down to that training share, with no retraining, is the
# other fix (third column): 86 percent of the 9s found, balanced accuracy 0.839 against the
# class weights' 0.863, from the same unweighted network. Class weights change the training;
# a moved threshold changes only the decision, and can be set after training for whatever
# share of 9s and cost of errors the deployment has. The
# task decides which metric the search should maximize, and the metric decides which
# hyperparameters win. The article's other example, multi-task learning, works the same
# way: how much each task's loss counts is a hyperparameter, and its good values depend on
# how related the tasks are (Ruder, 2017, reviews the options).
#
# ## 4. Which hyperparameters matter most?
#
# Not all hyperparameters matter equally, and which ones matter depends on the data set.
# For neural networks the evidence points the same way again and again:
#
# - Bergstra & Bengio (2012, sec. 4) fitted Gaussian processes to random trials of neural
#   networks on several image data sets and found a *low effective dimensionality*: on each
#   data set only a few of the hyperparameters mattered, and which ones differed between
#   data sets.
# - Greff et al. (2017) measured, with the functional ANOVA of Hutter, Hoos & Leyton-Brown
#   (2014), which hyperparameters of LSTM networks explain the variance of their
#   performance on speech, handwriting and music tasks: the learning rate came first by a
#   wide margin, then the network's size, and the hyperparameters interacted little.
# - Bengio (2012), in his practical recommendations for training deep networks, calls the
#   learning rate "often the single most important hyper-parameter".
#
# (Studies of other model families find a few dominant hyperparameters too, for support
# vector machines, random forests and boosting: van Rijn & Hutter, 2018; Probst,
# Boulesteix & Bischl, 2019. They say nothing directly about networks.) Random trials are
# enough to estimate it for our network. We draw `3 * P.n_trials` random configurations of five
# hyperparameters (with the package's `RandomSearch`, chapter 4) and train each with Adam,
# `P.n_jobs` at a time in worker processes, as the grids above.

# %%
search_space = hl.Space(
    learning_rate=hl.Real(1e-4, 1.0, log=True),
    units=hl.Integer(8, 256, log=True),
    batch_size=hl.Integer(16, 256, log=True),
    activation=hl.Categorical(["relu", "tanh", "sigmoid"]),
    dropout=hl.Real(0.0, 0.5),
)
objective = kt.KerasObjective(data, epochs=P.epochs)

# %%
# NBVAL_IGNORE_OUTPUT
searched = hl.run(objective, hl.RandomSearch(search_space, seed=0), n_trials=P.n_trials * 3, direction="maximize",
                  progress=False, max_consecutive_failures=3 * P.n_trials, n_workers=P.n_jobs, executor="processes")
# Two workers finish trials out of order; in the order they were asked, they are a sequential run's.
trials = hl.History(sorted(searched, key=lambda t: t.id), direction="maximize", space=search_space)
frame = trials.to_dataframe()
# A trial whose loss became NaN failed; it is scored as a chance-level classifier.
frame["accuracy"] = frame["value"].fillna(1 / data.num_classes)
print(trials)
print(frame[["accuracy"] + [f"params_{n}" for n in search_space.names]].round(4).head(8))

# %% [markdown]
# First, the marginal view: validation accuracy against each hyperparameter, one panel
# each. A hyperparameter matters if accuracy changes systematically along its axis.

# %%
fig, axes = plt.subplots(1, len(search_space), figsize=(14, 3), sharey=True)
for ax, (name, dim) in zip(axes, search_space):
    ax.scatter(frame[f"params_{name}"], frame["accuracy"], s=18)
    if getattr(dim, "log", False):
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(plt.NullFormatter())  # no crowded labels between the decades
        if dim.high / dim.low < 1000:  # a decade or two holds one power of 10 at most: label powers of 2
            ax.xaxis.set_major_locator(LogLocator(base=2))
            ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set(xlabel=name + (" (log scale)" if getattr(dim, "log", False) else ""), ylabel="validation accuracy")
    ax.yaxis.set_tick_params(labelleft=True)
    ax.grid(alpha=0.3)
fig.suptitle(f"{len(frame)} random trials: validation accuracy against each hyperparameter")
fig.tight_layout()

# %% [markdown]
# To put a number on it, two estimates:
#
# - **Variance of the marginal means.** Cut each hyperparameter's range into bins (each
#   categorical choice is a bin, numeric ones are cut at their quartiles), average the
#   accuracy in each bin, and ask what share of the total variance of the accuracy those
#   bin means explain. This is the first-order term of a functional ANOVA (Hutter et al.,
#   2014), estimated crudely from the trials themselves. With $n$ trials and $b$ bins, a
#   hyperparameter that does nothing still scores about $(b - 1)/(n - 1)$ by chance.
# - **A random forest's importances.** Fit a random forest regressor to predict the
#   accuracy from the hyperparameters (in the unit cube of the space) and read its
#   impurity-based feature importances.

# %%
def variance_share(x, y, bins=4):
    """Share of the variance of y explained by the mean of y in each bin of x."""
    x, y = np.asarray(x), np.asarray(y, dtype=float)
    if x.dtype.kind in "OUSb":  # a categorical: one bin per choice
        which = np.unique(x, return_inverse=True)[1]
    else:  # cut at the quantiles: equal-count bins
        which = np.clip(np.searchsorted(np.quantile(x, np.linspace(0, 1, bins + 1)), x, side="right") - 1, 0,
                        bins - 1)
    between = sum(np.sum(which == b) * (y[which == b].mean() - y.mean()) ** 2 for b in np.unique(which))
    return between / np.sum((y - y.mean()) ** 2)


# %%
from sklearn.ensemble import RandomForestRegressor

units = np.array([search_space.to_unit(t.params) for t in trials])
forest = RandomForestRegressor(n_estimators=300, min_samples_leaf=2, random_state=0).fit(units, frame["accuracy"])
importance = pd.DataFrame({
    "variance of marginal means": [variance_share(frame[f"params_{n}"], frame["accuracy"]) for n in search_space.names],
    "random forest": forest.feature_importances_,
}, index=search_space.names)

# %%
# NBVAL_IGNORE_OUTPUT
print(importance.round(3))

# %% [markdown]
# How large must an importance be before it means something? The mean a useless
# hyperparameter scores, $(b-1)/(n-1)$, is not the answer: half the useless ones score more.
# The threshold is a high percentile of the **null distribution**, what each method gives
# when the accuracies are shuffled among the trials, so that no hyperparameter has any
# effect. Each method has its own null (a random forest's importances add up to 1, the
# variance shares do not), so each gets its own line: the 95th percentile of 1,000 shuffles
# for the variance shares, of 50 for the forest (100 trees each, to keep it quick).

# %%
def null_95(n_shuffles=1000, n_forests=50, seed=0):
    """Per method and hyperparameter, the 95th percentile of its importance on shuffled accuracies."""
    rng, y = np.random.default_rng(seed), frame["accuracy"].to_numpy()
    shares = [[variance_share(frame[f"params_{n}"], rng.permutation(y)) for n in search_space.names]
              for _ in range(n_shuffles)]
    forests = [RandomForestRegressor(n_estimators=100, min_samples_leaf=2, random_state=i).fit(
        units, rng.permutation(y)).feature_importances_ for i in range(n_forests)]
    return pd.DataFrame({"variance of marginal means": np.percentile(shares, 95, axis=0),
                         "random forest": np.percentile(forests, 95, axis=0)}, index=search_space.names)


null = null_95()

# %%
top = importance["variance of marginal means"].idxmax()
ax = importance.plot.bar(figsize=(8, 3.8), rot=0)
for j, method in enumerate(importance.columns):  # each method's own null line, over its own bars
    offset = (j - 0.5) * 0.25
    ax.hlines(null[method], np.arange(len(null)) + offset - 0.12, np.arange(len(null)) + offset + 0.12, colors="black",
              linestyles="--", linewidth=1.2, label="95th percentile if nothing mattered" if j == 0 else None)
ax.set(ylabel="importance (share)", ylim=(0, 1.35 * importance.to_numpy().max()),
       title=f"{top} matters most: its bins explain {importance.loc[top].iloc[0]:.0%} of the variance")
ax.legend(fontsize=8, loc="upper right")  # above the bars: the y range leaves room
ax.grid(axis="y", alpha=0.3)

# %%
# NBVAL_IGNORE_OUTPUT
above = importance > null
print(pd.concat({"importance": importance, "null 95th percentile": null}, axis=1).round(3))
print("above the null's 95th percentile:", {m: list(importance.index[above[m]]) for m in importance.columns})
assert top == "learning_rate" and importance["random forest"].idxmax() == "learning_rate"
assert above.loc["learning_rate"].all()  # above what 95% of shuffles give, for both methods

# %% [markdown]
# Both estimates put the learning rate first, as the studies of neural networks above do,
# and only the learning rate is above the 95th percentile of each method's own null
# distribution (0.501 against 0.300 for the variance shares, 0.629 against 0.395 for the
# forest); dropout's 0.223 and the units' 0.135 are within what shuffled accuracies give. Know their
# limits before trusting them:
#
# - **They depend on the ranges.** Importance is measured over the space we chose: give the
#   learning rate a narrow range around a good value and it will look unimportant. The
#   answer is "what matters *in this space*", not in general.
# - **They ignore interactions.** A marginal mean averages over everything else. Batch size
#   and learning rate interact (section 3), so each alone can look less important than the
#   pair; a full functional ANOVA also estimates pairwise terms (Hutter et al., 2014). (Greff
#   et al., 2017, found little interaction in LSTMs; this network's batch-size grid shows
#   that it is not always so.)
# - **They are noisy with few trials.** With a couple of dozen trials, a shuffle alone gives
#   a useless hyperparameter a share up to the dashed lines, and a search with another seed
#   can reorder the ones below them. This chapter ranks from one search; the ranking of
#   anything but the learning rate is not established by it.
# - **Random-forest importances are biased** towards inputs with many distinct values
#   (Strobl et al., 2007); permutation importances are a common remedy.
#
# ### Another search, another ranking? Checked against the exact answer
#
# One search of two dozen trials cannot say how stable its ranking is, and trials of the
# network are too slow here to repeat the search many times. The package's learning-curve
# table (`benchmarks.tabular("digits-mlp")`, which chapter 9 races on) can: it holds real
# trainings of the same kind of network for every one of 432 configurations of six
# hyperparameters, three seeds each, and answers in microseconds. On a full grid the
# first-order shares of the functional ANOVA are exact: the variance of each
# hyperparameter's marginal means over all 432 configurations (Hutter et al., 2014). That is
# the reference. Against it, the same 24-trial random search repeated over
# `P.n_seeds_tabular // 3` search seeds, each estimated two ways: the variance of marginal
# means above, and Optuna's fANOVA importance evaluator (Akiba et al., 2019), a random-forest
# functional ANOVA, on the same trials.

# %%
import itertools

import warnings

warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm's note on import, not about this chapter
import optuna  # noqa: E402
from scipy import stats  # noqa: E402

from hpo_lessons import benchmarks

# %%
tab = benchmarks.tabular("digits-mlp")
grid, tab_names = tab.header["grid"], list(tab.header["grid"])
configs = [dict(zip(tab_names, c)) for c in itertools.product(*grid.values())]
mean_acc = np.array([np.mean([tab(p, budget=tab.max_budget, seed=s)["val_accuracy"] for s in tab.seeds])
                     for p in configs])
exact = pd.Series([variance_share(np.array([str(p[n]) for p in configs]), mean_acc) for n in tab_names],
                  index=tab_names)
print("exact first-order shares, all 432 configurations:", exact.round(3).to_dict())

# %%
optuna.logging.set_verbosity(optuna.logging.WARNING)
dists = {n: optuna.distributions.CategoricalDistribution(grid[n]) for n in tab_names}


def one_search(seed, n=24):
    """A random search of n table trials (24, as many as the search above): (variance-share importances, Optuna fANOVA importances)."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(configs), size=n, replace=False)
    y = np.array([tab(configs[i], budget=tab.max_budget, seed=int(rng.integers(3)))["val_accuracy"] for i in picks])
    ours = [variance_share(np.array([str(configs[i][k]) for i in picks]), y) for k in tab_names]
    study = optuna.create_study(direction="maximize")
    study.add_trials([optuna.trial.create_trial(params=configs[i], distributions=dists, value=float(v))
                      for i, v in zip(picks, y)])
    fan = optuna.importance.get_param_importances(study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0))
    return ours, [fan[k] for k in tab_names]


# %%
# NBVAL_IGNORE_OUTPUT
searches = [one_search(s, n=len(frame)) for s in range(P.n_seeds_tabular // 3)]
stability = {}
for j, method in enumerate(("variance of marginal means", "Optuna fANOVA")):
    est = np.array([r[j] for r in searches])
    rho = np.array([stats.spearmanr(e, exact).statistic for e in est])
    stability[method] = {"top is the exact top": np.mean(est.argmax(axis=1) == exact.values.argmax()),
                         "rank correlation, median": np.median(rho), "10th percentile": np.percentile(rho, 10)}
stability = pd.DataFrame(stability).T
print(stability.round(2))
assert exact.idxmax() == "learning_rate" and (stability["top is the exact top"] > 0.7).all()

# %% [markdown]
# On the table the exact answer puts the learning rate far ahead (37 percent of the
# variance, then the number of layers with 6 percent, every other under 2), and both
# estimates find it first in every one of the 10 searches. The rest of the ranking moves
# with the search seed: the rank correlation with the exact order has a median of 0.63 for
# both estimates, and a tenth of the searches fall below 0.26 (variance shares) or 0.36
# (fANOVA). So a
# 24-trial search can name the one hyperparameter that dominates; it cannot rank the
# others, and the dashed null lines above are the least a share must exceed to be read at
# all.
#
# Even so, the estimate is useful: it tells us where to spend the search budget (a wide,
# log-scaled learning-rate range, searched finely) and what can be fixed at a sensible
# default. It is also why random search beats grid search when a few hyperparameters
# dominate (Bergstra & Bengio, 2012), as chapter 4 shows.
#
# ## Exercises
#
# Each exercise has a task, a worked solution and a check cell. Try it yourself before you
# read the solution.
#
# **Exercise 1.** Write `log_uniform(rng, low, high, n)`: `n` numbers drawn log-uniformly
# from `[low, high]` with the NumPy generator `rng`.

# %%
from hpo_lessons.exercises import ch03


def log_uniform(rng, low, high, n):
    ...  # your code here


# %%
# Solution
def log_uniform(rng, low, high, n):
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


# %%
ch03.check_log_uniform(log_uniform)

# %% [markdown]
# **Exercise 2.** Write a search space with four dimensions: `learning_rate` from
# $10^{-5}$ to $10^{-1}$, `units` (whole numbers) from 16 to 512, `dropout` from 0 to 0.5,
# and `activation` among relu, tanh and elu. Choose for each whether it belongs on a log
# scale.

# %%
my_space = None  # your code here

# %%
# Solution
my_space = hl.Space(
    learning_rate=hl.Real(1e-5, 1e-1, log=True),  # four orders of magnitude
    units=hl.Integer(16, 512, log=True),  # 16 to 32 matters as much as 256 to 512
    dropout=hl.Real(0.0, 0.5),  # includes 0, and spans less than a decade
    activation=hl.Categorical(["relu", "tanh", "elu"]),
)

# %%
ch03.check_space(my_space)

# %% [markdown]
# **Exercise 3.** Write `balanced_accuracy(y_true, y_pred)`: for each class, the share of
# its examples predicted correctly (its recall), averaged over the classes. Then check it
# on the "is it a 9" predictions above.

# %%
def balanced_accuracy(y_true, y_pred):
    ...  # your code here


# %%
# Solution
def balanced_accuracy(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean([np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)]))


# %%
ch03.check_balanced_accuracy(balanced_accuracy)
assert math.isclose(balanced_accuracy(binary.y_val, pred), balanced_accuracy_score(binary.y_val, pred))

# %% [markdown]
# ## Summary and what next
#
# - A search space gives each hyperparameter a type and a range; multiplicative ones
#   (learning rate, units, batch size, weight decay) belong on a log scale, which gives every
#   order of magnitude the same share of the trials.
# - `hl.Space` with `Real`, `Integer` and `Categorical` maps configurations to the unit
#   cube and back, samples, builds grids, and rejects bad ranges before any training.
# - Good values move together, and the experiments say how far, against the noise band:
#   the learning rates that work move up with the batch size (in the direction of Goyal et
#   al., 2017, and Smith & Le, 2018; too coarse a grid to tell their linear rule from
#   Adam's square-root one); scarce data opens the gap between training and validation
#   accuracy (by 6.7 points, Holm-adjusted p = 0.012), while whether wider networks over-fit
#   more is not decided at three seeds (in each, the wider one's gap was the smaller); an
#   imbalanced task needs a metric that sees the rare class, and class weights or a moved
#   threshold (the unweighted network ranked the 9s well, AUC 0.944).
# - From random trials one can estimate which hyperparameters matter most (here the
#   learning rate, as studies of neural networks find, and the only one above its null
#   distribution's 95th percentile), within the limits of the space, the trials and the
#   method; on the learning-curve table, searches of 24 trials always found the dominant
#   hyperparameter and ranked the rest unreliably (median rank correlation 0.63 with the
#   exact answer).
#
# **Next:** [chapter 4](04_grid_search.ipynb) builds grid search from scratch and puts it
# against random search.
#
# ## References
#
# - Akiba, Sano, Yanase, Ohta & Koyama (2019), Optuna: a next-generation hyperparameter optimization framework, KDD.
# - Bengio (2012), Practical recommendations for gradient-based training of deep architectures, in *Neural Networks: Tricks of the Trade*, 2nd ed., Springer LNCS 7700.
# - Bergstra & Bengio (2012), Random search for hyper-parameter optimization, JMLR 13:281-305.
# - Goyal et al. (2017), Accurate, large minibatch SGD: training ImageNet in 1 hour, arXiv:1706.02677.
# - Greff, Srivastava, Koutník, Steunebrink & Schmidhuber (2017), LSTM: a search space odyssey, IEEE Trans. Neural Netw. Learn. Syst. 28(10):2222-2232.
# - Hutter, Hoos & Leyton-Brown (2014), An efficient approach for assessing hyperparameter importance, ICML.
# - King & Zeng (2001), Logistic regression in rare events data, Political Analysis 9(2).
# - Malladi, Lyu, Panigrahi & Arora (2022), On the SDEs and scaling rules for adaptive gradient algorithms, NeurIPS.
# - Nakkiran et al. (2020), Deep double descent, ICLR.
# - Neyshabur, Tomioka & Srebro (2015), In search of the real inductive bias: on the role of implicit regularization in deep learning, ICLR workshop.
# - Probst, Boulesteix & Bischl (2019), Tunability: importance of hyperparameters of machine learning algorithms, JMLR 20.
# - Ruder (2017), An overview of multi-task learning in deep neural networks, arXiv:1706.05098.
# - Smith & Le (2018), A Bayesian perspective on generalization and stochastic gradient descent, ICLR.
# - Strobl, Boulesteix, Zeileis & Hothorn (2007), Bias in random forest variable importance measures, BMC Bioinformatics 8:25.
# - van Rijn & Hutter (2018), Hyperparameter importance across datasets, KDD.
# - Zhang, Bengio, Hardt, Recht & Vinyals (2017), Understanding deep learning requires rethinking generalization, ICLR.
