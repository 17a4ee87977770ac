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
# scratch, tunes the digits network with it, measures its cost, puts it against random
# search on the example of Bergstra & Bengio (2012) with the optimum placed anywhere, and
# shows what really limits it (its resolution) next to a method that really does fall into
# local minima. It ends with Keras Tuner's `GridSearch` on the same grid.

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
# Every method in this course is an optimizer with two calls. `ask()` returns a
# **suggestion**, `hl.Suggestion(id, params, budget)`: an id that names the trial, the
# params to try, and a budget (`None` here: train in full). `tell(suggestion, value)` reports
# the result. The learner's loop is two lines:
#
# ```python
# s = opt.ask()
# opt.tell(s, f(s.params))
# ```
#
# For a grid, `tell` has nothing to do: **the next point never depends on any result**. When
# the grid is used up, `ask()` raises `hl.Exhausted`, which `hl.run` treats as the natural
# end of the search.

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
        return hl.Suggestion(id=self.next - 1, params=self.points[self.next - 1])  # budget None: in full

    def tell(self, suggestion, value):
        pass  # a grid never looks at results


# %% [markdown]
# Now the check: on a cheap stand-in objective, our `TinyGrid` and the package's
# `hl.GridSearch` must propose **the same sequence of params** (reals equal to rounding,
# integers and choices exactly), for several grid sizes.

# %%
def same_points(a, b):
    """Same params in the same order: floats to 12 digits, everything else exactly."""
    def equal(u, v):
        return math.isclose(u, v, rel_tol=1e-12) if isinstance(u, float) else u == v
    return len(a) == len(b) and all(p.keys() == q.keys() and all(equal(p[n], q[n]) for n in p)
                                    for p, q in zip(a, b))


def stand_in(params):  # any function will do: a grid ignores the values
    return math.log10(params["learning_rate"]) ** 2 + params["units"] / 100


# %%
for k in (2, 3, 5):
    ours = hl.run(stand_in, TinyGrid(space, k), progress=False)
    package = hl.run(stand_in, hl.GridSearch(space, points_per_dim=k), progress=False)
    assert same_points([t.params for t in ours], [t.params for t in package])
    print(f"k={k}: {len(ours)} trials, the same params sequence as hl.GridSearch")

# %% [markdown]
# ## 2. Tuning the digits network with a grid
#
# The network of the previous chapters: a multilayer perceptron on the 8x8 digits images,
# scored by its validation accuracy. We search two hyperparameters, the learning rate (log
# scale) and the width of the hidden layer, on a $k \times k$ grid sized from the profile.

# %%
from hpo_lessons import frameworks, keras_task

keras_task.setup_backend(verbose=True)
data = keras_task.load_data(P.dataset)
objective = keras_task.KerasObjective(data, epochs=P.epochs, seed=0)
net_space = hl.Space(learning_rate=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(16, 256, log=True))
k = max(3, math.isqrt(P.n_trials))  # about P.n_trials trials, at least 3 x 3
grid = hl.GridSearch(net_space, points_per_dim=k)
print(f"{k} x {k} grid: {len(grid)} trials of {P.epochs} epochs each")

# %%
# NBVAL_IGNORE_OUTPUT
grid_history = hl.run(objective, grid, progress=False)  # direction: the objective's own, "maximize"
seconds_per_trial = float(np.median([t.duration for t in grid_history.completed]))
best = grid_history.best
print(f"best validation accuracy {best.value:.3f} at learning_rate={best.params['learning_rate']:.2g}, "
      f"units={best.params['units']}; median {seconds_per_trial:.2f} s per trial")
values = [t.value for t in grid_history.completed]
assert len(grid_history) == len(grid) and best.value > 0.9 and best.value - min(values) > 0.05

# %%
fig = plots.grid_heatmap(grid_history, "learning_rate", "units")
fig.axes[-1].set_ylabel("validation accuracy (higher is better)")  # the colour bar: name the metric
plt.show()

# %% [markdown]
# The map shows what a grid does well: a complete, easy-to-read picture of the response
# over two hyperparameters. Here, at every width, the smallest learning rate is the worst
# (checked below): a few epochs are not enough for it. It also shows its limit: neighbouring
# learning rates of the grid are a large factor apart, and it cannot tell where between them
# the best one lies.

# %%
# NBVAL_IGNORE_OUTPUT
cells = grid_history.to_dataframe().pivot(index="params_units", columns="params_learning_rate", values="value")
lowest_lr = cells.columns.min()
worst_everywhere = bool((cells[lowest_lr] < cells.drop(columns=lowest_lr).min(axis=1)).all())
factor = (net_space["learning_rate"].high / net_space["learning_rate"].low) ** (1 / (k - 1))
print(f"learning rate {lowest_lr:g} is the worst at every width: {worst_everywhere}")
print(f"neighbouring learning rates on the grid are a factor {factor:.1f} apart")
assert worst_everywhere

# %% [markdown]
# ### The winner, scored once on the test set
#
# The best validation accuracy of a search is, on average, an optimistic estimate of the
# winner: it is the largest of several noisy scores, and we picked the winner *because* its
# score was high. The honest number to report is the winner's accuracy on the test set,
# which no decision has looked at, computed **once**. `keras_task.evaluate` trains the winner
# exactly as its trial did (same seed) and scores it on the test images. With $n$ images, an
# accuracy $a$ has a binomial standard error of $\sqrt{a(1-a)/n}$ (`noise.binomial_se`, the
# helper chapter 2 uses for its noise band), about one percentage point here for both the
# validation and the test score, so one search's two numbers can differ in either direction
# by that much.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons.experiments import noise

test_accuracy = keras_task.evaluate({**best.params, "epochs": P.epochs}, data, seed=0)
n_test = len(data.y_test)
test_se, val_se = noise.binomial_se(test_accuracy, n_test), noise.binomial_se(best.value, len(data.y_val))
gap = (test_accuracy - best.value) / math.hypot(test_se, val_se)
reach = 2.8 * math.hypot(test_se, val_se)  # (1.96 + 0.84) SE: what two such scores detect with 80% power
print(f"grid winner: validation {best.value:.3f} ± {val_se:.3f}, test {test_accuracy:.3f} ± {test_se:.3f} "
      f"(binomial SEs, {len(data.y_val)} and {n_test} images); test - validation = {gap:+.1f} SE; two scores "
      f"on sets of this size detect a difference of {reach:.1%} with 80% power")
assert test_accuracy > 0.85
assert 0.005 < min(test_se, val_se) and max(test_se, val_se) < 0.02  # "about one percentage point"

# %% [markdown]
# Here the test score is 1.2 standard errors *above* the validation score (97.2 against 95.5
# percent in the stored run). Two scores on sets of 359 images detect differences of about
# 4 points, so this says the validation score was not optimistic by more than that, not that
# it was not optimistic at all; the selection bias of nine trials is expected to be smaller.
# The test score is the number to report.
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
fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
for column in sizes:
    ax.plot(sizes.index, sizes[column] * seconds_per_trial, "o-", label=column.replace("k=", "k = "))
for label, seconds in [("1 hour", 3600), ("1 day", 86400), ("1 year", 365 * 86400)]:
    ax.axhline(seconds, color="grey", linestyle=":", linewidth=1)
    ax.text(1, seconds * 1.3, label, color="grey", fontsize=8)
ax.set(yscale="log", xlabel="number of hyperparameters d", ylabel="time for the whole grid (s, log scale)",
       title=f"A 5-point grid over 8 hyperparameters takes {five_by_eight:.1f} days at "
             f"{seconds_per_trial:.1f} s per trial")
ax.title.set_fontsize(10)
ax.legend(title="values per\nhyperparameter", loc="upper left", bbox_to_anchor=(1.01, 1))  # outside the data
ax.grid(alpha=0.3)

# %% [markdown]
# ## 4. Grid against random search: one important, one unimportant hyperparameter
#
# Bergstra & Bengio (2012, *Random search for hyper-parameter optimization*, JMLR 13:281-305)
# observed that in real networks only a few hyperparameters matter much, and which ones
# differs from one data set to the next. Take a function of two hyperparameters in which $x$
# matters and $y$ barely does, with its optimum at $x^\ast$:
#
# $$f(x, y) = g(x) + 0.02\, h(y), \qquad g(x) = 1 - e^{-(x - x^\ast)^2 / (2 \cdot 0.1^2)}, \quad h(y) = \sin(6 y).$$
#
# With 9 trials, a $3 \times 3$ grid tries only **3 distinct values of $x$**: every value
# of $x$ is tried three times, with three values of $y$ that hardly change the result. Random
# search tries **9 distinct values of $x$**. First one placement, $x^\ast = 0.37$, to see it:

# %%
toy = hl.Space(x=hl.Real(0.0, 1.0), y=hl.Real(0.0, 1.0))


def g(x, x_best):
    return 1 - np.exp(-((x - x_best) ** 2) / (2 * 0.1**2))


def toy_f(x_best):
    return lambda params: float(g(params["x"], x_best) + 0.02 * np.sin(6 * params["y"]))


F_MIN = -0.02  # g reaches 0 at x = x_best, and sin(6y) reaches -1 at y = pi/4, inside [0, 1]
BUDGET = 9  # 3 x 3: the budget of Bergstra & Bengio's figure 1
n_repeats = 20 * P.n_seeds_synthetic  # random search over many seeds: each search takes milliseconds

# %%
f = toy_f(0.37)
toy_grid = hl.run(f, hl.GridSearch(toy, points_per_dim=3), n_trials=BUDGET, progress=False)
toy_randoms = [hl.run(f, hl.RandomSearch(toy, seed=s), n_trials=BUDGET, progress=False) for s in range(n_repeats)]
grid_regret = toy_grid.best_value - F_MIN
random_regret = np.array([h.best_value - F_MIN for h in toy_randoms])
typical = int(np.argsort(random_regret)[n_repeats // 2])  # the seed with the median result, to draw
for name, h in [("grid", toy_grid), (f"random (seed {typical})", toy_randoms[typical])]:
    xs = {round(t.params["x"], 12) for t in h}
    print(f"{name:18s}: {len(xs)} distinct x values, best f - f_min = {h.best_value - F_MIN:.4f}")

# %%
xx = np.linspace(0, 1, 200)
surface = g(xx, 0.37)[None, :] + 0.02 * np.sin(6 * xx)[:, None]
runs = [("grid", toy_grid), (f"random, seed {typical} (the median of {n_repeats})", toy_randoms[typical])]

# %%
fig, axes = plt.subplots(2, 2, figsize=(10, 5.8), sharex=True, gridspec_kw={"height_ratios": [1, 2.2]},
                         layout="constrained")
for col, (name, h) in enumerate(runs):
    px, py = [t.params["x"] for t in h], [t.params["y"] for t in h]
    top, main = axes[0, col], axes[1, col]
    top.plot(xx, g(xx, 0.37), color="black")
    top.plot(px, g(np.array(px), 0.37), "o", color="#d62728", clip_on=False)
    top.set(ylabel="g(x)", title=f"{name}: {len({round(x, 12) for x in px})} distinct x,\n"
                                  f"best f - f_min = {h.best_value - F_MIN:.3f}")
    shade = main.contourf(xx, xx, surface, levels=20, cmap="viridis_r")
    main.plot(px, py, "o", color="#d62728", markeredgecolor="white", clip_on=False, zorder=3)
    main.set(xlabel="x (important)", ylabel="y (unimportant)", xlim=(0, 1), ylim=(0, 1))
fig.colorbar(shade, ax=axes[1, :], label="f(x, y) (lower is better)")
fig.suptitle("Nine trials: the grid tests 3 values of the hyperparameter that matters, random search 9")
plt.show()

# %% [markdown]
# ### The optimum anywhere: how often does random search win?
#
# One placement proves little: $x^\ast = 0.37$ falls between the grid's values 0 and 0.5,
# and a placement next to 0.5 would favour the grid. So we place the optimum at many random
# $x^\ast$ and count, over placements and seeds, how often random search ends closer to the
# minimum than the grid. Neither method looks at the values, so each search's nine points are
# the same whatever the function: one run per seed gives them, and we score those points on
# every placement. Two things vary, and the interval must hold both: the placement of the
# optimum, and the random design (the seed) the search happened to draw; the same designs
# serve every placement, so a few lucky designs would lift every placement's score at once.
# The interval is therefore a two-level bootstrap that resamples designs and placements
# independently (as `seed_example_bootstrap` of the statistics layer does for seeds and images).

# %%
def regrets(points, placements):
    """Best f - f_min of a search's points (params dicts, or a History), per placement: shape (n_placements,)."""
    points = [getattr(t, "params", t) for t in points]
    x, y = np.array([p["x"] for p in points]), np.array([p["y"] for p in points])
    values = g(x[None, :], placements[:, None]) + 0.02 * np.sin(6 * y)[None, :]
    return values.min(axis=1) - F_MIN


# %%
def two_level(wins, n_resamples=1000, seed=0):
    """95% percentile interval of wins.mean(), wins of shape (designs, placements): both resampled."""
    rng = np.random.default_rng(seed)
    (s, n) = wins.shape
    rows = rng.multinomial(s, np.full(s, 1 / s), size=n_resamples)  # how often each design is drawn
    cols = rng.multinomial(n, np.full(n, 1 / n), size=n_resamples)  # how often each placement is drawn
    return np.percentile(np.einsum("bs,sn,bn->b", rows, wins, cols) / (s * n), [2.5, 97.5])


placements = np.random.default_rng(2012).uniform(0.0, 1.0, 10 * n_repeats)
grid_regrets = regrets(toy_grid, placements)
print(f"{len(placements)} placements of the optimum x*, {n_repeats} seeds of each random design")

# %%
def against_grid(make, reference=grid_regrets):
    """(seeds, placements) 0/1: whether the search made by make(seed) beats the grid; and its median regret."""
    runs = [hl.run(toy_f(0.37), make(seed), n_trials=BUDGET, progress=False) for seed in range(n_repeats)]
    R = np.array([regrets(h, placements) for h in runs])  # (seeds, placements)
    return (R < reference).astype(float), np.median(R)


# %%
uniform_wins, uniform_median = against_grid(lambda s: hl.RandomSearch(toy, seed=s))
low, high = two_level(uniform_wins)
print(f"random search beats the grid in {uniform_wins.mean():.1%} of (placement, seed) pairs, 95% CI {low:.1%} to "
      f"{high:.1%} (designs and placements resampled; placements alone: ±"
      f"{1.96 * uniform_wins.mean(axis=0).std(ddof=1) / math.sqrt(len(placements)):.1%})")
print(f"median regret: grid {np.median(grid_regrets):.3f}, random {uniform_median:.3f}")
assert low > 0.5 and high < 0.95 and uniform_median < np.median(grid_regrets)

# %%
near = np.min(np.abs(placements[:, None] - np.array([0.0, 0.5, 1.0])), axis=1) < 0.03  # optimum next to a grid x
print(f"random search wins in {uniform_wins[:, near].mean():.0%} of the pairs where x* is within 0.03 of a grid "
      f"value ({near.sum()} placements), in {uniform_wins[:, ~near].mean():.0%} of the others")
assert uniform_wins[:, near].mean() < 0.5 < uniform_wins[:, ~near].mean()

# %% [markdown]
# Random search wins in most cases, though not all: when the optimum sits within 0.03 of one
# of the grid's three $x$ values, the grid wins in most pairs (random search in only
# 21 percent of them). On average random search is better because it does not spend its
# budget repeating the same few values of the hyperparameter that matters.
#
# ### How much of the headline is the grid's boundary?
#
# The grid above is the usual one, `hl.GridSearch`'s and scikit-learn's: its values include
# both ends of each range, so of its three $x$ values two (0 and 1) sit on the boundary,
# where an optimum placed uniformly is rarely near. A grid can be laid out better: the
# centres of $k$ equal cells, $(i + \tfrac12)/k$, keep every point inside and halve the
# largest distance from any $x^\ast$ to the nearest value. The same count against this
# **interior grid**:

# %%
centres = (np.arange(3) + 0.5) / 3  # 1/6, 1/2, 5/6
interior = [{"x": float(x), "y": float(y)} for x, y in itertools.product(centres, centres)]
interior_regrets = regrets(interior, placements)
interior_wins, _ = against_grid(lambda s: hl.RandomSearch(toy, seed=s), reference=interior_regrets)
low_i, high_i = two_level(interior_wins)
print(f"random search beats the interior grid in {interior_wins.mean():.1%} of the pairs, 95% CI {low_i:.1%} to "
      f"{high_i:.1%} (the boundary grid: {uniform_wins.mean():.1%}); median regret of the interior grid "
      f"{np.median(interior_regrets):.3f}")
assert high_i < low  # the interior grid loses less often: part of the headline is the boundary's

# %% [markdown]
# So the headline number depends on how the grid is laid out: against the interior grid
# random search still wins in 66.6 percent of the pairs (95 percent interval 64.2 to 69.4),
# against the boundary grid in 81.1 percent (78.9 to 83.2). What does not depend on the layout is the cause: three values of $x$
# against nine.
#
# ### More unimportant hyperparameters, wider gap
#
# A grid of $k^d$ points sees only $k$ values of each hyperparameter, so at a fixed budget
# every unimportant dimension added cuts the values of the important one. Take a budget of
# 27 trials and add unimportant dimensions $y_1, \dots, y_{d-1}$ (each weighted as $y$ was):
# the grid has $k = 27, 5, 3$ values of $x$ for $d = 1, 2, 3$, random search always 27.

# %%
def regrets_d(points, d):
    """Best g(x) + 0.02 * mean_j sin(6 y_j) - f_min of a search's points, per placement of x*."""
    x = np.array([p["x"] for p in points])
    y = np.array([[p[f"y{j}"] for j in range(1, d)] for p in points]).reshape(len(points), d - 1)
    h = np.sin(6 * y).mean(axis=1) if d > 1 else np.zeros(len(points))
    return (g(x[None, :], placements[:, None]) + 0.02 * h[None, :]).min(axis=1) - (-0.02 if d > 1 else 0.0)


def ask_all(opt, n):
    return [opt.ask().params for _ in range(n)]


# %%
def largest_k(n, d):
    """The largest k with k**d <= n, in integers (exercise 3 below asks for it)."""
    k = 1
    while (k + 1) ** d <= n:
        k += 1
    return k


# %%
def in_d_dims(d, budget=27):
    """(seeds, placements) 0/1: random search beats the boundary grid of k**d <= budget points; and k."""
    space = hl.Space(x=hl.Real(0.0, 1.0), **{f"y{j}": hl.Real(0.0, 1.0) for j in range(1, d)})
    k = largest_k(budget, d)
    grid_d = regrets_d(ask_all(hl.GridSearch(space, points_per_dim=k), k**d), d)
    random_d = np.array([regrets_d(ask_all(hl.RandomSearch(space, seed=s), budget), d) for s in range(n_repeats)])
    return (random_d < grid_d).astype(float), k


# %%
widening = {d: in_d_dims(d) for d in (1, 2, 3)}
for d, (wins, k) in widening.items():
    lo, hi = two_level(wins)
    print(f"d = {d}: grid of {k}^{d} = {k**d} points, {k} values of x; random search (27 trials) beats it in "
          f"{wins.mean():.1%} of the pairs, 95% CI {lo:.1%} to {hi:.1%}")
assert two_level(widening[1][0])[1] < 0.5 < two_level(widening[2][0])[0]  # the grid wins in 1-D, loses in 2-D
assert two_level(widening[2][0])[1] < two_level(widening[3][0])[0]  # and loses more often with one more

# %% [markdown]
# With one dimension the grid is the better design (27 evenly spaced values beat 27 random
# ones: random search wins in only 37.2 percent of the pairs, 95 percent interval 35.9 to
# 38.6); with a second, unimportant one the grid keeps 5 values of $x$ and random search
# wins in 79.4 percent (77.2 to 81.5); with a third it keeps 3, and random search wins in
# 92.2 percent (90.8 to 93.5).
#
# ### Quasi-random designs
#
# Independent random points clump and leave gaps by chance. **Quasi-random** designs keep
# random search's strength (every point has its own value of every hyperparameter) and
# spread the points more evenly. A **Latin hypercube** (McKay, Beckman & Conover 1979) of
# $n$ points puts exactly one point in each of the $n$ equal slices of every dimension; a
# scrambled **Sobol sequence** (Sobol 1967; Owen 1998) fills the cube evenly at every
# prefix. `hl.RandomSearch(space, design="sobol")` and `design="lhs"` (with `batch_size`,
# the size of each hypercube) use them:

# %%
designs = {"uniform": hl.RandomSearch(toy, seed=0), "sobol": hl.RandomSearch(toy, seed=0, design="sobol"),
           "lhs": hl.RandomSearch(toy, seed=0, design="lhs", batch_size=BUDGET)}
design_points = {name: [opt.ask().params for _ in range(BUDGET)] for name, opt in designs.items()}
slices = {name: len({min(int(p["x"] * BUDGET), BUDGET - 1) for p in pts}) for name, pts in design_points.items()}
for name, n in slices.items():
    print(f"{name:8s}: the {BUDGET} points fall in {n} of the {BUDGET} slices x in [i/9, (i+1)/9)")
assert slices["lhs"] == BUDGET

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.7), sharey=True, layout="constrained")
for ax, (name, pts) in zip(axes, design_points.items()):
    for edge in np.arange(1, BUDGET) / BUDGET:
        ax.axvline(edge, color="grey", linewidth=0.5, alpha=0.5)
        ax.axhline(edge, color="grey", linewidth=0.5, alpha=0.5)
    ax.plot([p["x"] for p in pts], [p["y"] for p in pts], "o", color="#1f77b4")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="x", ylabel="y", title=f"{name}: {slices[name]} of {BUDGET} x-slices hit")
    ax.tick_params(labelleft=True)  # every panel reads on its own
fig.suptitle("Nine points: a Latin hypercube hits every ninth of every axis, independent draws leave gaps")
plt.show()

# %% [markdown]
# On the placement experiment, the same count as above for each design:

# %%
rows = [("uniform", uniform_wins, uniform_median)]
rows += [(name, *against_grid(lambda s, d=name: hl.RandomSearch(toy, seed=s, design=d, batch_size=BUDGET)))
         for name in ("sobol", "lhs")]
quasi = pd.DataFrame([{"design": name, "beats the grid": wins.mean(), "95% CI": "{:.3f} to {:.3f}".format(
    *two_level(wins)), "median regret": median} for name, wins, median in rows]).set_index("design")
print(quasi.round(3).to_string())

# %% [markdown]
# Each quasi-random design against independent draws: the designs' seeds are independent of
# each other and the placements shared, the layout `compare_models` of the statistics layer
# handles (a bootstrap over seeds and placements, here in percentage points of pairs won),
# with Holm's correction over the two comparisons:

# %%
from hpo_lessons.experiments.verdict import adjust, compare_models

wins_of = {name: wins for name, wins, _ in rows}
quasi_verdicts = adjust([compare_models(wins_of[name], wins_of["uniform"], names=(name, "uniform draws"))
                         for name in ("sobol", "lhs")])
for v in quasi_verdicts:
    print(v)
assert all(v.winner == v.name_a for v in quasi_verdicts)  # both designs beat the grid more often

# %% [markdown]
# Both quasi-random designs beat the grid more often than independent draws do: Sobol by
# +6.1 points of pairs (95 percent interval 4.4 to 7.7), the Latin hypercube by +5.7 (4.1 to
# 7.4), both at Holm-adjusted p < 0.001 (the verdicts' "examples" are the placements):
# the Latin hypercube guarantees a point in every
# ninth of $x$, and the Sobol points come close. Quasi-random designs are a free improvement
# for a fixed budget; chapter 5's Bayesian optimization starts from a Latin hypercube for
# this reason.
#
# ## 5. "Grid search easily falls into a local minimum"? No: it is global, and limited by resolution
#
# The source article says grid search easily falls into a local minimum. Falling into a local
# minimum is what *local* methods do, such as gradient descent or hill climbing: they move
# from point to point following the values they have seen, and get stuck in the first basin
# they descend into (Russell & Norvig, 2021, sec. 4.1). Grid search does no local search at all: its points are fixed before the
# first trial and spread over the whole domain, so it is a **global** method. What limits it
# is its **resolution**: a basin narrower than the spacing between grid points can fall
# between them.
#
# The experiment: a function with a wide, shallow basin (value $-1$) and a narrow, deep one
# (value $-2$, width $0.04$), on the unit square.

# %%
square = hl.Space(x=hl.Real(0.0, 1.0), y=hl.Real(0.0, 1.0))
SHALLOW, DEEP = np.array([0.3, 0.35]), np.array([0.8, 0.7])


def two_basins(params):
    z = np.array([params["x"], params["y"]])
    shallow = np.exp(-np.sum((z - SHALLOW) ** 2) / (2 * 0.25**2))
    deep = np.exp(-np.sum((z - DEEP) ** 2) / (2 * 0.04**2))
    return float(-shallow - 2 * deep)


def in_deep_basin(params):  # within 0.1 of the deep minimum: 2.5 of its widths
    return float(np.hypot(params["x"] - DEEP[0], params["y"] - DEEP[1])) < 0.1


# %% [markdown]
# The grid with $k = 3, 9, 27$ points per dimension against a **hill climber**, the simplest
# local search: from its start, propose a small random step from the best point so far and
# keep it if it is better. It is an ask/tell optimizer on the package's base class
# `Optimizer`, whose `_suggest` hands out the next id. Both start from the same point, the
# centre of the square (every grid with odd $k$ contains it), and the climber gets the
# largest grid's budget, $27^2 = 729$ trials.

# %%
from hpo_lessons.methods.base import Optimizer

# %%
class HillClimber(Optimizer):
    """Local search: a Gaussian step (unit-cube units) from the best point so far."""

    def __init__(self, space, start, step=0.05, seed=None):
        super().__init__(space, seed)
        self.start, self.step = start, step

    def ask(self):
        if not self.y:
            return self._suggest(self.start)
        best = self.space.to_unit(self.X[int(np.argmin(self.y))])
        step = self.step * self.rng.standard_normal(len(best))
        return self._suggest(self.space.from_unit(np.clip(best + step, 0.0, 1.0)))


# %%
centre = {"x": 0.5, "y": 0.5}
grids = {k: hl.run(two_basins, hl.GridSearch(square, points_per_dim=k), progress=False) for k in (3, 9, 27)}
climb = hl.run(two_basins, HillClimber(square, centre, seed=0), n_trials=27**2, progress=False)
for name, h in [*((f"grid k = {k}", h) for k, h in grids.items()), ("hill climber", climb)]:
    where = "deep" if in_deep_basin(h.best.params) else "shallow"
    print(f"{name:13s} {len(h):4d} trials: best {h.best_value:.3f} in the {where} basin "
          f"at ({h.best.params['x']:.3f}, {h.best.params['y']:.3f})")
assert not in_deep_basin(grids[9].best.params) and in_deep_basin(grids[27].best.params)
assert not in_deep_basin(climb.best.params)

# %% [markdown]
# Is the climber just unlucky in its start? From random starts, with `5 * P.n_trials_synthetic`
# trials each:

# %%
n_starts, climb_budget = 10 * P.n_seeds_synthetic, 5 * P.n_trials_synthetic
starts = [square.from_unit(u) for u in np.random.default_rng(7).random((n_starts, 2))]
climbs = [hl.run(two_basins, HillClimber(square, s, seed=i), n_trials=climb_budget, progress=False)
          for i, s in enumerate(starts)]
deep_share = np.mean([in_deep_basin(h.best.params) for h in climbs])
from_far = max(float(np.hypot(s["x"] - DEEP[0], s["y"] - DEEP[1])) for s, h in zip(starts, climbs)
               if in_deep_basin(h.best.params))
print(f"{deep_share:.0%} of {n_starts} hill climbs from random starts end in the deep basin; every one of them "
      f"started within {from_far:.2f} of it")
assert 0 < deep_share < 0.5 and from_far < 0.3

# %%
u = np.linspace(0, 1, 150)
surface = np.array([[two_basins({"x": a, "y": b}) for a in u] for b in u])
first_deep = min(k for k, h in grids.items() if in_deep_basin(h.best.params))

# %%
fig, axes = plt.subplots(1, 4, figsize=(15, 3.9), sharey=True, layout="constrained")
for ax, (name, h) in zip(axes, [*((f"grid k = {k}", h) for k, h in grids.items()), ("hill climber", climb)]):
    shade = ax.contourf(u, u, surface, levels=20, cmap="viridis")
    style = dict(marker=".", linestyle="-" if name == "hill climber" else "none", linewidth=0.6)
    ax.plot([t.params["x"] for t in h], [t.params["y"] for t in h], color="white", markersize=3, **style)
    ax.plot(h.best.params["x"], h.best.params["y"], "*", color="#d62728", markersize=14, label="best found")
    ax.set(xlabel="x", ylabel="y", title=f"{name} ({len(h)} trials): best {h.best_value:.2f}")
    ax.title.set_fontsize(10)
    ax.tick_params(labelleft=True)  # every panel reads on its own
axes[0].legend(fontsize=8, loc="lower left")
fig.colorbar(shade, ax=axes, label="f(x, y) (lower is better)")
fig.suptitle(f"The grid finds the narrow deep basin once fine enough (k = {first_deep}); the hill climber ends in "
             f"the {'deep' if in_deep_basin(climb.best.params) else 'shallow'} one after {len(climb)} trials")
plt.show()

# %% [markdown]
# The grid's answer depends only on its resolution: at $k = 3$ and $9$ the deep basin falls
# between its points and it reports the shallow one; at $k = 27$ a point lands in the deep
# basin and the grid finds the global minimum, wherever it had started (a grid has no start).
# The hill climber does what the article attributes to grid search: it descends into the
# basin around its start and never leaves it, however many trials it gets; only a start near
# the narrow basin finds it (8 percent of 50 random starts, every one of them within 0.25
# of it).
#
# Look at the outcome alone, though, and the coarse grids at $k = 3$ and $9$ did just what
# the article describes: they reported the shallow basin, like the hill climber. The outcome
# is the same; the cause and the remedy differ. The hill climber is trapped by its path, and
# more trials do not free it: it needs restarts from other points, or a global method. The
# grid is blind between its points, and more trials do free it, if they buy resolution: a
# finer grid where it is affordable, or random and quasi-random points, which give every
# trial a new value of every hyperparameter. To a user who only sees "the search returned a
# shallow optimum", the distinction says which fix to try. So grid search's real problems
# are these, each shown above:
#
# 1. **Exponential cost**: $k^d$ trials; a fine grid over more than 3 or 4 hyperparameters is
#    out of reach (section 3), so the resolution a budget buys falls fast with $d$.
# 2. **It only sees grid points**: an optimum between two grid values, or a basin narrower
#    than the spacing, is missed however long you search at that resolution (this section).
# 3. **Wasted trials on unimportant dimensions**: with 9 trials, 3 values of the
#    hyperparameter that matters (section 4).
#
# Random search fixes 3 at no cost, and quasi-random designs do it more evenly, which is why
# Bergstra & Bengio recommend random search as the baseline; the next chapter's Bayesian
# optimization also uses the values it has seen.
#
# ## 6. Keras Tuner's `GridSearch`, side by side
#
# `hpo_lessons.frameworks.run_keras_tuner` runs Keras Tuner's (O'Malley et al., 2019) own oracles on the same space
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
# of the range (equal on the hyperparameter's sampling scale, log here), in the order of a
# Python set (`values` in `keras_tuner/src/engine/hyperparameters/hp_types/numerical.py`).
# With the units varying fastest, a budget of a few trials is spent on one learning rate. To
# compare like with like, we give Keras Tuner our grid values as `Choice`s (a `Categorical`
# here):

# %%
choice_space = hl.Space(**{name: hl.Categorical(sorted({p[name] for p in grid.points})) for name in net_space.names})
for name, dim in choice_space:
    print(f"{name}: Choice of {[float(f'{v:.4g}') if isinstance(v, float) else v for v in dim.choices]}")

# %% [markdown]
# Keras Tuner trains with a fresh objective, built like the first, so that nothing the first
# search stored is reused (an objective can keep each network's checkpoint, to resume it
# later): every one of its trials trains.

# %%
# NBVAL_IGNORE_OUTPUT
fresh = keras_task.KerasObjective(data, epochs=P.epochs, seed=0)
kt_history = frameworks.run_keras_tuner(fresh, choice_space, algorithm="grid", n_trials=None, seed=0,
                                        direction="maximize")
table = pd.DataFrame({
    "trials": [len(grid_history), len(kt_history)],
    "best val. accuracy": [grid_history.best_value, kt_history.best_value],
    "best learning_rate": [grid_history.best.params["learning_rate"], kt_history.best.params["learning_rate"]],
    "best units": [grid_history.best.params["units"], kt_history.best.params["units"]],
    "median s per trial": [np.median([t.duration for t in h]) for h in (grid_history, kt_history)],
}, index=["hl.GridSearch", "Keras Tuner GridSearch"])
print(table.round(3).to_string())

# %%
same_set = {net_space.key(t.params) for t in grid_history} == {net_space.key(t.params) for t in kt_history}
same_order = [t.params for t in grid_history] == [t.params for t in kt_history]
ours_by_key = {net_space.key(t.params): t.value for t in grid_history}
largest_gap = max(abs(ours_by_key[net_space.key(t.params)] - t.value) for t in kt_history)
print(f"same set of points: {same_set}; same order: {same_order}")
print(f"largest accuracy difference on the same point: {largest_gap:.4f}")
assert same_set and same_order and largest_gap < 0.01  # both trained, with the same seed

# %%
# NBVAL_IGNORE_OUTPUT
seconds = {name: float(np.median([t.duration for t in h])) for name, h in (("ours", grid_history), ("kt", kt_history))}
ratio = seconds["kt"] / seconds["ours"]
print(f"median seconds per trial: ours {seconds['ours']:.2f}, Keras Tuner {seconds['kt']:.2f} ({ratio:.2f}x ours)")
assert min(seconds.values()) > 0 and 1 / 3 < ratio < 3  # both trained: seconds of the same order

# %% [markdown]
# Given the same values, both tuners train the same networks; Keras Tuner starts from the
# defaults (the first choice of each `Choice`) and then walks the grid like an odometer, which
# here is the very order of `itertools.product`. The objective seeds every trial, so the same
# params give the same accuracy (the largest difference on one point is 0.0000: the same
# network, trained twice) and both find the same best. Both really trained: the median
# seconds per trial are of the same order (0.93 times ours in the stored run, on this
# machine, bookkeeping included; the cell checks a factor under 3).
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
#   the `TinyGrid` above, params for params.
# - Its cost is $k^d$: fine for two or three hyperparameters, hopeless beyond.
# - It does no local search, so it cannot "fall into a local minimum": it is global, limited
#   by its resolution (a narrow basin between grid points is missed). A hill climber is what
#   gets stuck in the basin it starts in. A coarse grid can report the same shallow optimum,
#   for another cause and with another remedy (resolution, not restarts).
# - It spends its budget on unimportant hyperparameters: with the optimum placed anywhere,
#   random search at the same budget ends closer to it in most cases (81 percent of them
#   against the usual grid, 67 percent against a grid of cell centres), more often with
#   every unimportant dimension added, and a Latin hypercube more often still (Bergstra &
#   Bengio 2012).
# - Report the winner's test accuracy, measured once, not its best validation score.
# - Keras Tuner's `GridSearch` gives the same result on the same explicit values, but on an
#   unstepped range it builds a different grid from ours.
#
# **Next:** chapter 5, Bayesian optimization, which chooses each trial from the results of
# the previous ones.
#
# ## References
#
# - Bergstra, J. & Bengio, Y. (2012). Random search for hyper-parameter optimization.
#   *Journal of Machine Learning Research* 13:281-305.
# - McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three methods for
#   selecting values of input variables in the analysis of output from a computer code.
#   *Technometrics* 21(2):239-245.
# - Sobol, I. M. (1967). On the distribution of points in a cube and the approximate
#   evaluation of integrals. *USSR Computational Mathematics and Mathematical Physics*
#   7(4):86-112.
# - Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. *Journal of
#   Complexity* 14(4):466-489.
# - Russell, S. & Norvig, P. (2021). *Artificial Intelligence: A Modern Approach*, 4th ed.,
#   section 4.1 (hill climbing and local maxima). Pearson.
# - O'Malley, T. et al. (2019). Keras Tuner. https://github.com/keras-team/keras-tuner
# - scikit-learn's `ParameterGrid`, the reference the package's grid is tested against:
#   https://scikit-learn.org/stable/modules/generated/sklearn.model_selection.ParameterGrid.html
