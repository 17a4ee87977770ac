# %% [markdown]
# # 4. Grid search
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/04_grid_search.ipynb)
#
# Grid search is the oldest way to tune: choose a few values for each hyperparameter and try
# **every combination** (a full factorial design). It is simple, reproducible, trivially
# parallel and easy to report, which is why it is still everywhere.
#
# The source article says two things about it: that it is costly, which is true, and that it
# "easily falls into a local minimum", which is not. This chapter builds grid search from
# scratch, tunes the digits network with it, measures its cost, and puts it against random
# search on the example of Bergstra & Bengio (2012), which shows what its real weaknesses are.
# It ends with Keras Tuner's `GridSearch` on the same grid.

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
import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hpo_lessons import plots

# %% [markdown]
# ## 1. Grid search, step by step
#
# ### Values along one dimension
#
# For a real interval we take $k$ evenly spaced values from `low` to `high`. For a
# hyperparameter that matters by orders of magnitude, such as a learning rate between
# $10^{-4}$ and $10^{-1}$, "evenly" must mean evenly in $\log x$: the values
# $\exp\big(\log a + \tfrac{i}{k-1}(\log b - \log a)\big)$, $i = 0, \dots, k-1$.
# Linear spacing would put nearly every point in the top decade.

# %%
print("linear:", [f"{v:.4f}" for v in np.linspace(1e-4, 1e-1, 4)])
print("log:   ", [f"{v:.4f}" for v in np.exp(np.linspace(np.log(1e-4), np.log(1e-1), 4))])

# %% [markdown]
# An integer dimension rounds its values, and rounding can make two of them equal: asking
# for 5 values of a number of layers between 1 and 3 gives only 3 distinct ones. A grid
# must not train the same network twice, so integers are **de-duplicated**. A categorical
# dimension always contributes every choice, whatever $k$ is.

# %%
def axis_values(dim, k):
    """The k grid values of one dimension (k >= 2), in increasing order."""
    if isinstance(dim, hl.Categorical):
        return list(dim.choices)  # every choice, whatever k is
    a, b = (math.log(dim.low), math.log(dim.high)) if dim.log else (dim.low, dim.high)
    values = np.linspace(a, b, k)
    values = np.exp(values) if dim.log else values
    if isinstance(dim, hl.Integer):
        return sorted({int(round(v)) for v in values})  # rounding can make two values equal
    return [float(v) for v in values]


print("units in [16, 256], log, k=5:", axis_values(hl.Integer(16, 256, log=True), 5))
print("layers in [1, 3], k=5:       ", axis_values(hl.Integer(1, 3), 5))
print("activation, k=5:             ", axis_values(hl.Categorical(["relu", "tanh"]), 5))

# %% [markdown]
# ### Every combination
#
# The grid is the Cartesian product of the axes. `itertools.product` enumerates it with the
# last dimension varying fastest, like an odometer. Its size is the product of the axis
# lengths: with $k$ values on each of $d$ dimensions, $k^d$ points.

# %%
def grid_points(space, k):
    """Every combination of the axis values, as params dicts, the last dimension fastest."""
    axes = [axis_values(dim, k) for _, dim in space]
    return [dict(zip(space.names, combo)) for combo in itertools.product(*axes)]


space = hl.Space(learning_rate=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(16, 256, log=True),
                 activation=hl.Categorical(["relu", "tanh"]))
points = grid_points(space, 3)
print(len(points), "points; the first four:")
for p in points[:4]:
    print(" ", {k: round(v, 5) if isinstance(v, float) else v for k, v in p.items()})

# %% [markdown]
# ### As an ask/tell optimizer
#
# Every method in this course is an optimizer with two calls: `ask()` proposes params,
# `tell(params, value)` reports the result. For a grid, `tell` has nothing to do: **the next
# point never depends on any result**. When the grid is used up, `ask()` raises
# `hl.Exhausted`, which `hl.run` treats as the natural end of the search.

# %%
class TinyGrid:
    """Grid search as an ask/tell optimizer: serve the grid points in order, ignore the values."""

    def __init__(self, space, k):
        self.space, self.points, self.next = space, grid_points(space, k), 0
        self.size = len(self.points)  # a grid knows when it is done, so hl.run needs no n_trials

    def ask(self):
        if self.next == len(self.points):
            raise hl.Exhausted(f"all {len(self.points)} grid points were proposed")
        self.next += 1
        return self.points[self.next - 1]

    def tell(self, params, value):
        pass  # a grid never looks at results


# %% [markdown]
# Now the check: on a cheap stand-in objective, our `TinyGrid` and the package's
# `hl.GridSearch` must propose **the same points in the same order** (reals equal to
# rounding, integers and choices exactly), for several grid sizes.

# %%
def same_points(a, b):
    """Same params in the same order: floats to 12 digits, everything else exactly."""
    def equal(u, v):
        return math.isclose(u, v, rel_tol=1e-12) if isinstance(u, float) else u == v
    return len(a) == len(b) and all(p.keys() == q.keys() and all(equal(p[n], q[n]) for n in p)
                                    for p, q in zip(a, b))


def stand_in(params):  # any function will do: a grid ignores the values
    return math.log10(params["learning_rate"]) ** 2 + params["units"] / 100


for k in (2, 3, 5):
    ours = hl.run(stand_in, TinyGrid(space, k), progress=False)
    package = hl.run(stand_in, hl.GridSearch(space, points_per_dim=k), progress=False)
    assert same_points([t.params for t in ours], [t.params for t in package])
    print(f"k={k}: {len(ours)} trials, the same points in the same order as hl.GridSearch")

# %% [markdown]
# ## 2. Tuning the digits network with a grid
#
# The network of the previous chapters: a multilayer perceptron on the 8x8 digits images,
# scored by its validation accuracy. We search two hyperparameters, the learning rate (log
# scale) and the width of the hidden layer, on a $k \times k$ grid sized from the profile.

# %%
from hpo_lessons import frameworks, keras_task

keras_task.setup_tensorflow(verbose=True)
data = keras_task.load_data(P.dataset)
objective = keras_task.KerasObjective(data, epochs=P.epochs, seed=0)
net_space = hl.Space(learning_rate=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(16, 256, log=True))
k = max(3, math.isqrt(P.n_trials))  # about P.n_trials trials, at least 3 x 3
grid = hl.GridSearch(net_space, points_per_dim=k)
print(f"{k} x {k} grid: {len(grid)} trials of {P.epochs} epochs each")

# %%
# NBVAL_IGNORE_OUTPUT
grid_history = hl.run(objective, grid, direction="maximize", progress=False)
seconds_per_trial = float(np.median([t.duration for t in grid_history.completed]))
best = grid_history.best
print(f"best validation accuracy {best.value:.3f} at learning_rate={best.params['learning_rate']:.2g}, "
      f"units={best.params['units']}; median {seconds_per_trial:.2f} s per trial")
values = [t.value for t in grid_history.completed]
assert len(grid_history) == len(grid) and best.value > 0.9 and best.value - min(values) > 0.05

# %%
fig = plots.grid_heatmap(grid_history, "learning_rate", "units")

# %% [markdown]
# The map shows what a grid does well: a complete, easy-to-read picture of the response
# over two hyperparameters (here, that a learning rate of $10^{-4}$ is far too small for a few
# epochs of training). It also shows its limit: its learning rates are a factor of 30 apart,
# and it cannot tell where between them the best one lies.
#
# ## 3. The cost grows as $k^d$
#
# With $k$ values for each of $d$ hyperparameters, the grid has $k^d$ points. Each added
# hyperparameter multiplies the bill by $k$:

# %%
dims = range(1, 9)
sizes = pd.DataFrame({f"k={k}": [k**d for d in dims] for k in (3, 5, 10)}, index=pd.Index(dims, name="d"))
print(sizes.to_string())

# %% [markdown]
# What that means in time, with the time per trial measured above (this machine, the quick
# profile's small network and few epochs, so a gross underestimate for a real network):

# %%
# NBVAL_IGNORE_OUTPUT
days = sizes * seconds_per_trial / 86400
print(days.map(lambda x: f"{x:.3g}").to_string())
five_by_eight = 5**8 * seconds_per_trial / 86400
print(f"\nA 5-point grid over 8 hyperparameters at {seconds_per_trial:.1f} s per trial takes "
      f"{five_by_eight:.1f} days ({5**8:,} trials).")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4.2))
for column in sizes:
    ax.plot(sizes.index, sizes[column] * seconds_per_trial, "o-", label=column.replace("k=", "k = "))
for label, seconds in [("1 hour", 3600), ("1 day", 86400), ("1 year", 365 * 86400)]:
    ax.axhline(seconds, color="grey", linestyle=":", linewidth=1)
    ax.text(1, seconds * 1.3, label, color="grey", fontsize=8)
ax.set(yscale="log", xlabel="number of hyperparameters d", ylabel="time for the whole grid (s, log scale)",
       title=f"A 5-point grid over 8 hyperparameters takes {five_by_eight:.1f} days at "
             f"{seconds_per_trial:.1f} s per trial")
ax.legend(title="values per hyperparameter")
ax.grid(alpha=0.3)

# %% [markdown]
# ## 4. Grid against random search: one important, one unimportant hyperparameter
#
# Bergstra & Bengio (2012, *Random search for hyper-parameter optimization*, JMLR 13:281-305)
# observed that in real networks only a few hyperparameters matter much, and which ones
# differs from one data set to the next. Take a function of two hyperparameters in which $x$
# matters and $y$ barely does:
#
# $$f(x, y) = g(x) + 0.02\, h(y), \qquad g(x) = 1 - e^{-(x - 0.37)^2 / (2 \cdot 0.1^2)}, \quad h(y) = \sin(6 y).$$
#
# With 9 trials, a $3 \times 3$ grid tries only **3 distinct values of $x$**: every value
# of $x$ is tried three times, with three values of $y$ that hardly change the result. Random
# search tries **9 distinct values of $x$**.

# %%
toy = hl.Space(x=hl.Real(0.0, 1.0), y=hl.Real(0.0, 1.0))
X_BEST = 0.37


def g(x):
    return 1 - np.exp(-((x - X_BEST) ** 2) / (2 * 0.1**2))


def f(params):
    return float(g(params["x"]) + 0.02 * np.sin(6 * params["y"]))


F_MIN = float(g(X_BEST) - 0.02)  # sin(6y) reaches -1 at y = pi/4, inside [0, 1]
BUDGET = 9  # 3 x 3: the budget of Bergstra & Bengio's figure 1
n_repeats = 20 * P.n_seeds_synthetic  # random search over many seeds: each search takes milliseconds
toy_grid = hl.run(f, hl.GridSearch(toy, points_per_dim=3), n_trials=BUDGET, progress=False)
toy_randoms = [hl.run(f, hl.RandomSearch(toy, seed=s), n_trials=BUDGET, progress=False) for s in range(n_repeats)]
grid_regret = toy_grid.best_value - F_MIN
random_regret = np.array([h.best_value - F_MIN for h in toy_randoms])
typical = int(np.argsort(random_regret)[n_repeats // 2])  # the seed with the median result, to draw
for name, h in [("grid", toy_grid), (f"random (seed {typical})", toy_randoms[typical])]:
    xs = {round(t.params["x"], 12) for t in h}
    print(f"{name:18s}: {len(xs)} distinct x values, best f - f_min = {h.best_value - F_MIN:.4f}")

# %%
fig, axes = plt.subplots(2, 2, figsize=(10, 5.8), sharex=True, gridspec_kw={"height_ratios": [1, 2.2]},
                         layout="constrained")
xx = np.linspace(0, 1, 200)
surface = g(xx)[None, :] + 0.02 * np.sin(6 * xx)[:, None]
runs = [("grid", toy_grid), (f"random, seed {typical} (the median of {n_repeats})", toy_randoms[typical])]
for col, (name, h) in enumerate(runs):
    px, py = [t.params["x"] for t in h], [t.params["y"] for t in h]
    top, main = axes[0, col], axes[1, col]
    top.plot(xx, g(xx), color="black")
    top.plot(px, g(np.array(px)), "o", color="#d62728", clip_on=False)
    top.set(ylabel="g(x)", title=f"{name}: {len({round(x, 12) for x in px})} distinct x,\n"
                                  f"best f - f_min = {h.best_value - F_MIN:.3f}")
    shade = main.contourf(xx, xx, surface, levels=20, cmap="viridis_r")
    main.plot(px, py, "o", color="#d62728", markeredgecolor="white", clip_on=False, zorder=3)
    main.set(xlabel="x (important)", ylabel="y (unimportant)", xlim=(0, 1), ylim=(0, 1))
fig.colorbar(shade, ax=axes[1, :], label="f(x, y) (lower is better)")
fig.suptitle("Nine trials: the grid tests 3 values of the hyperparameter that matters, random search 9")
plt.show()

# %% [markdown]
# One draw could be lucky or unlucky, so the figure shows the seed in the middle of the
# pack. Over all the seeds:

# %%
print(f"grid (deterministic): regret {grid_regret:.4f}")
print(f"random over {n_repeats} seeds: median regret {np.median(random_regret):.4f}, "
      f"quartiles {np.quantile(random_regret, 0.25):.4f} to {np.quantile(random_regret, 0.75):.4f}")
print(f"random search beats the grid in {np.mean(random_regret < grid_regret):.0%} of the seeds")
assert np.median(random_regret) < grid_regret

# %% [markdown]
# Random search wins in most seeds, because it does not spend its budget repeating the same
# few values of the hyperparameter that matters. With more unimportant hyperparameters the
# gap widens: a grid of $k^d$ points sees only $k$ values of each one.
#
# ### "Grid search easily falls into a local minimum"? No.
#
# The source article says grid search easily falls into a local minimum. Falling into a local
# minimum is what *local* methods do, such as gradient descent or hill climbing: they move
# from point to point following the values they have seen, and can get stuck in a basin.
# Grid search does no local search at all: its points are fixed before the first trial.
# The experiment below makes that concrete: the grid proposes exactly the same points to a
# function and to its negative.

# %%
upside_down = hl.run(lambda p: -f(p), hl.GridSearch(toy, points_per_dim=3), progress=False)
same = [t.params for t in upside_down] == [t.params for t in toy_grid]
print("grid points for f and for -f are identical:", same)
assert same

# %% [markdown]
# Its real problems are different, and each was shown above:
#
# 1. **Exponential cost**: $k^d$ trials; a fine grid over more than 3 or 4 hyperparameters is
#    out of reach (section 3).
# 2. **It only sees grid points**: an optimum between two grid values is missed however
#    long you search at that resolution (here $x = 0.37$ between 0 and 0.5; section 4).
# 3. **Wasted trials on unimportant dimensions**: with 9 trials, 3 values of the
#    hyperparameter that matters (section 4).
#
# Random search fixes 2 and 3 at no cost, which is why Bergstra & Bengio recommend it as the
# baseline; the next chapter's Bayesian optimization also uses the values it has seen.
#
# ## 5. Keras Tuner's `GridSearch`, side by side
#
# `hpo_lessons.frameworks.run_keras_tuner` runs Keras Tuner's own oracles on the same space
# and objective. First on the cheap stand-in, with the continuous ranges as they are:

# %%
kt_continuous = frameworks.run_keras_tuner(stand_in, net_space, algorithm="grid", n_trials=len(grid), seed=0)
print("Keras Tuner's first trials:")
for t in kt_continuous.trials[:4]:
    print(f"  learning_rate={t.params['learning_rate']:.4g}, units={t.params['units']}")
lrs = {t.params["learning_rate"] for t in kt_continuous}
print(f"distinct learning rates in {len(kt_continuous)} trials: {len(lrs)} (ours: {k})")

# %% [markdown]
# Keras Tuner's grid over a `Float` or `Int` without a `step` is not a $k$-point grid: it
# starts with the default value (the lower bound), then takes the middles of 10 equal cells
# of the range, in the order of a Python set (`values` in
# `keras_tuner/src/engine/hyperparameters/hp_types/numerical.py`). With the units varying
# fastest, a budget of a few trials is spent on one learning rate. To compare like with like,
# we give Keras Tuner our grid values as `Choice`s (a `Categorical` here):

# %%
choice_space = hl.Space(**{name: hl.Categorical(sorted({p[name] for p in grid.points})) for name in net_space.names})
for name, dim in choice_space:
    print(f"{name}: Choice of {[float(f'{v:.4g}') if isinstance(v, float) else v for v in dim.choices]}")

# %%
# NBVAL_IGNORE_OUTPUT
kt_history = frameworks.run_keras_tuner(objective, choice_space, algorithm="grid", n_trials=None, seed=0,
                                        direction="maximize")
table = pd.DataFrame({
    "trials": [len(grid_history), len(kt_history)],
    "best val. accuracy": [grid_history.best_value, kt_history.best_value],
    "best learning_rate": [grid_history.best.params["learning_rate"], kt_history.best.params["learning_rate"]],
    "best units": [grid_history.best.params["units"], kt_history.best.params["units"]],
    "median s per trial": [np.median([t.duration for t in h]) for h in (grid_history, kt_history)],
    "wall s": [h[-1].start + h[-1].duration - h[0].start for h in (grid_history, kt_history)],
}, index=["hl.GridSearch", "Keras Tuner GridSearch"])
print(table.round(3).to_string())
assert abs(grid_history.best_value - kt_history.best_value) < 0.02

# %%
same_set = {net_space.key(t.params) for t in grid_history} == {net_space.key(t.params) for t in kt_history}
same_order = [t.params for t in grid_history] == [t.params for t in kt_history]
print(f"same set of points: {same_set}; same order: {same_order}")
assert same_set

# %% [markdown]
# Given the same values, both tuners train the same networks; Keras Tuner starts from the
# defaults (the first choice of each `Choice`) and then walks the grid like an odometer, which
# here is the very order of `itertools.product`. The objective seeds every trial, so the same
# params give the same accuracy and both find the same best. The time per trial is the
# training, the same for both up to the noise of a shared machine; the wall time also holds
# each tuner's bookkeeping (Keras Tuner writes its project files for every trial).
#
# ## Exercises
#
# Each exercise has a task, a worked solution and a check cell. Try it yourself before you
# read the solution.
#
# **Exercise 1.** Write `log_grid(low, high, k)` returning $k$ values from `low` to `high`
# (both included), evenly spaced on a log scale, as a list of floats.

# %%
from hpo_lessons.exercises import ch04


def log_grid(low, high, k):
    ...  # your code here


# %%
# Solution
def log_grid(low, high, k):
    return [float(v) for v in np.exp(np.linspace(np.log(low), np.log(high), k))]


# %%
ch04.check_log_grid(log_grid)

# %% [markdown]
# **Exercise 2.** Write `grid_size(space, k)`: how many trials a full grid with `k` points
# per numeric dimension needs, integers de-duplicated and categoricals contributing all
# their choices.

# %%
def grid_size(space, k):
    ...  # your code here


# %%
# Solution
def grid_size(space, k):
    return math.prod(len(axis_values(dim, k)) for _, dim in space)


# %%
ch04.check_grid_size(grid_size)

# %% [markdown]
# **Exercise 3.** With a budget of `n_trials` trials over `d` real hyperparameters, the
# largest full grid has $k = \lfloor n^{1/d} \rfloor$ values per dimension. Write
# `distinct_values(n_trials, d)` returning `(k, n_trials)`: how many distinct values of each
# hyperparameter the grid and random search see. Careful: `64 ** (1 / 3)` is not exactly 4
# in floating point.

# %%
def distinct_values(n_trials, d):
    ...  # your code here


# %%
# Solution
def distinct_values(n_trials, d):
    k = round(n_trials ** (1 / d))
    while k**d > n_trials:  # correct the float root in integers
        k -= 1
    while (k + 1) ** d <= n_trials:
        k += 1
    return k, n_trials


# %%
ch04.check_distinct_values(distinct_values)

# %% [markdown]
# ## Summary
#
# - Grid search tries every combination of a few values per hyperparameter: log-spaced for
#   scale parameters, integers de-duplicated, every categorical choice. `hl.GridSearch` is
#   the `TinyGrid` above, point for point.
# - Its cost is $k^d$: fine for two or three hyperparameters, hopeless beyond.
# - It does no local search, so it cannot "fall into a local minimum"; it sees only grid
#   points and spends its budget on unimportant hyperparameters. Random search, at the same
#   budget, sees as many distinct values of each hyperparameter as it has trials
#   (Bergstra & Bengio 2012).
# - Keras Tuner's `GridSearch` gives the same result on the same explicit values, but on an
#   unstepped range it builds a different grid from ours.
#
# **Next:** chapter 5, Bayesian optimization, which chooses each trial from the results of
# the previous ones.
