# %% [markdown]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/08_summary_and_outlook.ipynb)
#
# # 8. Summary and outlook
#
# Seven chapters built grid search, random search, Bayesian optimization (BO) and a genetic
# algorithm (GA) from scratch and met Keras Tuner and Optuna along the way; chapter 9 adds
# successive halving, Hyperband and ASHA. This chapter puts them in one race and asks the
# question a race is for: **which differences are real?** Every search is noisy (its own
# seed, and the training noise of every network it trains), so a method's result is a
# distribution over seeds, and two methods differ only when a test says chance rarely
# produces the gap.
#
# The plan: the tools for judging a race (8.1); a race of ten methods over many seeds on
# real learning curves stored in a table, with budgets in epochs (8.2); the same race on live
# Keras training as a confirmation, winners re-trained with fresh seeds and scored once on
# the test set (8.3); a synthetic function whose optimum is known (8.4); a decision guide
# that says where each row comes from (8.5); what lies beyond (8.6); and the references of
# the whole course.

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

# %% [markdown]
# ## 8.1 Judging a race under noise
#
# A race gives each method one number per seed: the **final regret** of the search, how far
# the configuration it recommends is from the best one. Three tools turn those numbers into
# a verdict.
#
# - **The median over seeds**, not the mean: regrets are skewed (most searches end near the
#   optimum, a few far from it), and one stuck search moves the mean, not the typical run.
# - **A bootstrap interval of the median** (Efron & Tibshirani, 1993): resample the seeds
#   with replacement many times and read the 2.5 % and 97.5 % quantiles of the resampled
#   medians. It says how precisely the seeds pin the median down.
# - **A rank test between two methods**: the Mann-Whitney U test (Mann & Whitney, 1947)
#   pools both methods' regrets, ranks them, and asks whether one method's ranks are
#   smaller than chance would make them. It needs no normal distribution and copes with ties.
#
# Comparing nine methods against random search is nine tests: at 5 % each, one of them
# would come out "significant" by chance about a third of the time. **Holm's step-down
# procedure** (Holm, 1979) keeps the chance of any false verdict below 5 %: sort the
# p-values, compare the smallest with 0.05 / 9, the next with 0.05 / 8, and so on, and stop
# at the first that fails.

# %%
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets, when Optuna is imported
from hpo_lessons import benchmarks, compare, keras_task, plots
from hpo_lessons.experiments import noise, registry


# %%
def median_ci(values, level=0.95, n_boot=4000, seed=0):
    """Percentile-bootstrap interval of the median of ``values`` (Efron & Tibshirani, 1993)."""
    values = np.asarray(values, dtype=float)
    resamples = np.random.default_rng(seed).choice(values, (n_boot, len(values)))
    return tuple(float(q) for q in np.quantile(np.median(resamples, axis=1), [(1 - level) / 2, (1 + level) / 2]))


def holm(pvalues, alpha=0.05):
    """Which hypotheses Holm's step-down procedure rejects; the family-wise error stays below ``alpha``."""
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p)
    passes = p[order] <= alpha / (len(p) - np.arange(len(p)))  # smallest p against alpha / m, next alpha / (m - 1)
    reject = np.zeros(len(p), dtype=bool)
    reject[order] = np.cumprod(passes).astype(bool)  # step down: stop at the first that fails
    return reject


# %% [markdown]
# Both checked against what they must give. Holm's procedure on two hand-worked cases (the
# first is one where Bonferroni's cruder 0.05 / 3 for every test would keep only one
# verdict), and the U statistic of scipy's test against its definition from the pooled ranks.

# %%
assert holm([0.012, 0.02, 0.3]).tolist() == [True, True, False]  # 0.012 <= 0.05/3, 0.02 <= 0.05/2, 0.3 > 0.05
assert holm([0.001, 0.04, 0.045, 0.049]).tolist() == [True, False, False, False]  # 0.04 > 0.05/3: stop there
rng = np.random.default_rng(0)
x, y = rng.exponential(1.0, 30), rng.exponential(1.0, 30) + 0.5
u = stats.rankdata(np.concatenate([x, y]))[:30].sum() - 30 * 31 / 2  # U = rank sum of x minus its least value
assert u == stats.mannwhitneyu(x, y).statistic
assert round(1 - 0.95**9, 2) == 0.37  # nine independent tests at 5 %: at least one false verdict 37 % of the time
low, high = median_ci(x)
assert low <= np.median(x) <= high
print(f"U = {u:.0f}, p = {stats.mannwhitneyu(x, y).pvalue:.4f}; median of x {np.median(x):.3f}, "
      f"95 % interval [{low:.3f}, {high:.3f}]")

# %% [markdown]
# ## 8.2 The race on a learning-curve table
#
# A race of ten methods over thirty seeds on live networks would take hours. The package
# ships a way out: `benchmarks.tabular("digits-mlp")` holds the real learning curves of the
# course's `KerasObjective` on the digits split for a grid of 432 MLP configurations (six
# learning rates, three widths, one to three layers, two activations, two dropout rates, two
# batch sizes), each trained for 27 epochs under three training seeds. Asking it for "this
# configuration after 9 epochs" returns what the network scored, in microseconds.
#
# First, the noise the table itself holds. A score is a count of misclassified validation
# images out of 359; the same configuration under another training seed misclassifies a
# different number.

# %%
table = benchmarks.tabular("digits-mlp")
N_VAL = table.header["n_val"]
errors = np.round(table.curves("value")[:, :, -1] * N_VAL)  # misclassified validation images after 27 epochs
top = np.argsort(errors.mean(axis=1))[:20]  # the 20 best configurations on average over the seeds
seed_std = float(np.sqrt(errors[top].var(axis=1, ddof=1).mean()))  # pooled seed-to-seed std, in images
band = 2 * np.sqrt(2) * seed_std  # chapter 2's noise band: two single runs of equal configurations
se_images = noise.binomial_se(1 - errors[top].mean() / N_VAL, N_VAL) * N_VAL
print(table)
print(f"best configuration under each training seed: {errors.min(axis=0).astype(int).tolist()} images wrong of {N_VAL}")
print(f"seed-to-seed std of the 20 best configurations: {seed_std:.2f} images; noise band {band:.1f} images; "
      f"binomial SE of their accuracy on {N_VAL} images: {se_images:.1f} images")

# %% [markdown]
# How much does "the best configuration" depend on the training seed? Take the winner under
# each seed and look at its regret (images above that seed's best) under the others.

# %%
winners = errors.argmin(axis=0)
curse = pd.DataFrame((errors[winners] - errors.min(axis=0)).astype(int), columns=[f"seed {s}" for s in table.seeds],
                     index=[f"winner of seed {s}" for s in table.seeds])
near = ((errors - errors.min(axis=0)) <= np.ceil(band)).mean(axis=0)
print(curse.to_string())
print(f"configurations within the noise band ({np.ceil(band):.0f} images) of each seed's best: "
      + ", ".join(f"{n:.1%}" for n in near))
assert curse.to_numpy().max() > band and near.min() > 0.2

# %% [markdown]
# The winner under one seed can sit many images behind under another (the largest entry
# above exceeds the noise band): a single seed's best is partly luck, the **winner's curse**
# chapter 6 met. And a fifth or more of all 432 configurations are within the noise band
# of each seed's best (printed, asserted): on this space, many networks are as good as the
# best one within the noise, so a method that finds any of them has done all a single seed
# can show.
#
# ### The rules of the race
#
# - **Budgets in epochs, not trials.** Every search gets `2 * P.n_trials` full trainings'
#   worth of epochs. A full-fidelity method (random search, BO, the GA, Keras Tuner's random
#   search, Optuna's TPE) spends 27 epochs per trial; a multi-fidelity one (successive
#   halving, Hyperband, ASHA, Keras Tuner's Hyperband, TPE with Optuna's Hyperband pruner)
#   is charged each trial's rung budget, so it can try many more configurations. A
#   promotion from 3 to 9 epochs is charged 9, though with checkpoints it trains only 6 more:
#   the count is, if anything, unfair *to* the multi-fidelity methods, and we report the
#   epochs really trained beside it.
# - **A result is a network trained in full.** A search's result is the best configuration
#   it trained for all 27 epochs (a 3-epoch score is not comparable with a 27-epoch one),
#   and its regret is that configuration's misclassified images minus the best possible.
# - **Every search meets its own training noise**: search seed `s` reads the table's
#   training seed `s % 3`, and is scored against that seed's best.
# - **Thirty seeds per method** (`P.n_seeds_tabular`). BO's own time is about a hundredth
#   of a second per trial here (measured below), so it runs all of them. Keras Tuner's BO
#   sits out: on Hartmann-6 its suggestions take 1.4 to 2.6 s at 25 to 100 observations,
#   about 20 to 50 times this package's (`benchmarks/bo_suggestion_time.py`, the table in
#   the README; chapter 5 explains why: 50 L-BFGS-B restarts with finite-difference
#   gradients), so 30 seeds of its searches would take longer than the whole course. With
#   its default of 3 random points per dimension (18 here; `keras_tuner/src/tuners/bayesian.py`)
#   it would not even have started modelling within the 16 trials of the quick profile.
# - **In this process**: each trial is a table lookup and the whole race takes seconds
#   (printed below), so starting worker processes (each importing TensorFlow for the Keras
#   Tuner methods) would cost more than the searches themselves.

# %%
FULL = 2 * P.n_trials  # full trainings' worth of epochs for every search
BUDGET = FULL * table.max_budget
FULL_FIDELITY = ["random", "bayes", "genetic", "kt-random", "optuna-tpe"]
MULTI_FIDELITY = ["sh", "hyperband", "asha", "kt-hyperband", "optuna-hyperband"]
SETTINGS = {"genetic": {"population_size": P.n_trials}}  # two generations in the budget
minimum = {s: table.with_seed(s).minimum for s in table.seeds}  # each training seed's best validation error


# %%
def tabular_race(methods, n_seeds):
    """{(method, seed): History}; search seed s reads the table's training seed s % 3."""
    histories = {}
    for k in table.seeds:
        noisy = table.with_seed(k)
        seeds = [s for s in range(n_seeds) if s % len(table.seeds) == k]
        _, found = compare.compare(noisy, noisy.space, methods, seeds=seeds, total_budget=BUDGET, progress=False,
                                   method_kwargs={m: SETTINGS[m] for m in methods if m in SETTINGS},
                                   return_histories=True)
        histories.update(found)
    return histories


# %%
# NBVAL_IGNORE_OUTPUT
start = time.perf_counter()
tab = tabular_race(FULL_FIDELITY + MULTI_FIDELITY, P.n_seeds_tabular)
print(f"{len(tab)} searches of {BUDGET} epochs each in {time.perf_counter() - start:.0f} s")
per_trial = pd.Series({m: np.median([(h.trials[-1].start + h.trials[-1].duration - h.trials[0].start) / len(h.trials)
                                     for (k, s), h in tab.items() if k == m]) for m in FULL_FIDELITY})
print("median seconds per trial, the method's own time included:", per_trial.map("{:.4f}".format).to_dict())
assert 0.005 < per_trial["bayes"] < 1.0 and per_trial["bayes"] > 10 * per_trial["random"]


# %% [markdown]
# A small function reads each search: the regret of the best full training within a number
# of epochs spent. The epochs a search really trained come with each trial: the table, like
# `KerasObjective`, lets a promoted configuration resume from its longest training so far
# and reports `extras["epochs_trained"]` (and `compare` starts every search with no
# configuration trained).

# %%
def regret_at(history, seed, epochs):
    """Images above the best possible of the best 27-epoch trial among those that fit in ``epochs`` (NaN if none)."""
    spent, best = 0, np.inf
    for t in history.trials:
        spent += t.budget or table.max_budget
        if spent > epochs:
            break
        if t.ok and (t.budget or table.max_budget) == table.max_budget:
            best = min(best, t.value)
    return float(np.round((best - minimum[seed % len(table.seeds)]) * N_VAL)) if np.isfinite(best) else np.nan


# %% [markdown]
# For each search: its regret, its trials, the epochs it was charged and trained, and what
# its recommended network is worth on **fresh seeds and the test set**: the table's test
# accuracy of that configuration under the two training seeds the search never saw.

# %%
rows = []
for (method, seed), h in tab.items():
    fresh = [s for s in table.seeds if s != seed % len(table.seeds)]
    rows.append({"method": method, "seed": seed, "regret": regret_at(h, seed, BUDGET), "trials": len(h.trials),
                 "epochs charged": sum(t.budget or table.max_budget for t in h.trials),
                 "epochs trained": sum(t.extras["epochs_trained"] for t in h.completed),
                 "test accuracy": np.mean([table(h.best.params, seed=s)["test"] for s in fresh])})
finals = pd.DataFrame(rows)
best_regret = [np.round((h.best.value - minimum[s % 3]) * N_VAL) for (m, s), h in tab.items()]
assert (finals["regret"] == best_regret).all()  # History.best: the best at the largest budget, 27 epochs
assert (finals["epochs charged"] <= BUDGET).all() and finals["regret"].notna().all()


# %% [markdown]
# Now the verdict: per method, the median regret over the 30 seeds with its bootstrap
# interval, the rank test against random search, and Holm's decision over the nine tests.

# %%
def judge(finals, column, baseline="random", ascending=True):
    """Median, its 95 % bootstrap interval, Mann-Whitney p against ``baseline`` and Holm's verdict, per method."""
    base = finals.loc[finals["method"] == baseline, column]
    rows = []
    for method, g in finals.groupby("method"):
        low, high = median_ci(g[column])
        p = np.nan if method == baseline else stats.mannwhitneyu(g[column], base).pvalue
        rows.append({"method": method, "seeds": len(g), "median": g[column].median(), "ci low": low,
                     "ci high": high, "mean": g[column].mean(), "p vs random": p})
    out = pd.DataFrame(rows).sort_values(["median", "mean"], ascending=ascending).reset_index(drop=True)
    others = out["method"] != baseline
    out["real"] = False
    out.loc[others, "real"] = holm(out.loc[others, "p vs random"])
    return out


# %%
# NBVAL_IGNORE_OUTPUT
board = judge(finals, "regret")
spend = finals.groupby("method")[["trials", "epochs charged", "epochs trained"]].median()
board = board.join(spend, on="method")
board.round(3)

# %%
row = finals["method"].map({m: i for i, m in enumerate(board["method"])})  # one row per method, best at the bottom
fig, ax = plt.subplots(figsize=(9, 4.8))
ax.scatter(finals["regret"], row + np.random.default_rng(0).uniform(-0.3, 0.3, len(finals)), s=10, alpha=0.35,
           color="0.4", label="one search (seed)")
ax.hlines(range(len(board)), board["ci low"], board["ci high"], color="C3", linewidth=4, alpha=0.6,
          label="95 % bootstrap interval of the median")
ax.plot(board["median"], range(len(board)), "D", color="black", markersize=6, label="median over seeds")
ax.axvspan(0, band, color="C2", alpha=0.08, label=f"noise band of one seed ({band:.1f} images)")
ax.grid(alpha=0.3, axis="x")
ax.set_yticks(range(len(board)), [registry.get(m).label for m in board["method"]])
ax.set(xlabel=f"final regret (validation images wrong beyond the best possible, of {N_VAL})", ylabel="method")
ax.set_title(f"{board['real'].sum()} of {len(board) - 1} methods differ from random search after Holm's correction "
             f"({P.n_seeds_tabular} seeds, {BUDGET} epochs each)", fontsize=10)
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()

# %% [markdown]
# And what the recommended networks are worth where it counts: test accuracy under the two
# training seeds each search never saw, judged the same way.

# %%
# NBVAL_IGNORE_OUTPUT
test_board = judge(finals, "test accuracy", ascending=False)
test_spread = test_board["median"].max() - test_board["median"].min()
test_se = noise.binomial_se(float(test_board["median"].mean()), table.header["n_test"])
print(test_board[["method", "median", "ci low", "ci high", "p vs random", "real"]].round(4).to_string())
print(f"\nmedian test accuracies span {test_spread:.2%}; binomial SE on {table.header['n_test']} test images {test_se:.2%}")

# %%
# NBVAL_IGNORE_OUTPUT
saving = 1 - board.set_index("method").loc[MULTI_FIDELITY, "epochs trained"] / BUDGET
print(f"largest median regret {board['median'].max():.0f} images, noise band {band:.1f}; "
      f"multi-fidelity methods train {saving.min():.0%} to {saving.max():.0%} fewer epochs than charged")
assert not board["real"].any() and not test_board["real"].any()
assert set(test_board["method"][:2]) == {"sh", "asha"}  # the highest median test accuracies, yet not real
assert board["median"].max() < band and test_spread < test_se
assert (saving > 0.1).all()
repeats = [m for m in FULL_FIDELITY if (finals.query("method == @m")["epochs trained"] < BUDGET).any()]
assert repeats == ["optuna-tpe"]  # the only full-fidelity method that proposed a configuration twice

# %% [markdown]
# What the race shows, stated plainly (each line asserted above):
#
# - **No method differs from random search**, neither in validation regret nor in the test
#   accuracy of its recommendation on fresh seeds: after Holm's correction none of the nine
#   tests rejects.
# - **Every method's median regret is inside the noise band of a single training seed.**
#   The searches end a few images from the best configuration of their seed, and chapter 2's
#   noise band says a gap that size between two single runs is one chance produces. The test
#   accuracies of the recommendations span less than one binomial standard error of the
#   359 test images. Successive halving and ASHA top the test-accuracy table, but their lead
#   does not survive Holm's correction at this budget; chapter 9, which counts the epochs
#   actually trained and goes to twice this budget, asks the same question with its
#   "retrained regret".
# - **The multi-fidelity methods trained fewer epochs for the same result** (between the two
#   percentages printed): each was charged the full budget, but resumed checkpoints spared
#   part of it. With equal quality, that is the one real difference the race measured: cost.
#   Among the full-fidelity methods only TPE trained less than it was charged (asserted): on
#   this discrete space it sometimes proposes a configuration it has already tried, a trial
#   that teaches it nothing (the checkpoint answers it without training).
#
# Why so little separation? This space has many near-best networks (a fifth or more of the
# configurations sit within the noise band of the best, above), and the best of 16 random
# draws (the quick profile's budget) lies, on average, in the best 1/17 of the
# configurations (the expected smallest of 16 uniform ranks), well inside that region. A
# model of the space can only pay off where the good region is small: the Ackley race below
# has one, and chapter 5 showed BO's edge on Branin. The lesson for reading published
# comparisons: **a race is only as sharp as its noise**, and a ranking of medians without
# intervals and a test can be pure luck.
#
# The table also shows *when* each method has a recommendation: a multi-fidelity search has
# none until its first configuration reaches 27 epochs.

# %%
checkpoints = np.arange(1, FULL + 1) * table.max_budget
curves = pd.DataFrame([{"method": m, "seed": s, "epochs": e, "regret": regret_at(h, s, e)}
                       for (m, s), h in tab.items() for e in checkpoints])
median_curve = curves.groupby(["method", "epochs"])["regret"].agg(
    lambda v: v.median() if v.notna().all() else np.nan).unstack("method")  # only once every seed has a result
first_result = median_curve.apply(lambda c: c.first_valid_index())  # epochs until every seed has a result
print("epochs spent before every seed's search has a fully trained network:")
print(first_result.sort_values().to_string())
assert (first_result[FULL_FIDELITY] == table.max_budget).all()
assert (first_result[MULTI_FIDELITY] > table.max_budget).all()

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
for ax, group, name in zip(axes, (FULL_FIDELITY, ["random"] + MULTI_FIDELITY), ("full-fidelity", "multi-fidelity")):
    for m in group:
        ax.plot(median_curve.index, median_curve[m], marker="o", markersize=3, color=registry.color(m),
                linestyle="--" if m == "random" and name == "multi-fidelity" else "-", label=registry.get(m).label)
    ax.set(xlabel="epochs spent (charged budget)", ylabel="median regret over seeds (validation images)",
           title=f"{name} methods (random search for reference)")
    ax.title.set_fontsize(10)
    ax.legend(fontsize=8, loc="upper right")
    ax.yaxis.set_tick_params(labelleft=True)
    ax.grid(alpha=0.3)
fig.suptitle(f"After {FULL} full trainings' worth of epochs, every median regret is within "
             f"{np.nanmax(median_curve.iloc[-1]) - np.nanmin(median_curve.iloc[-1]):.1f} images of every other")
fig.tight_layout()

# %% [markdown]
# A full-fidelity search has a network to offer after its first 27 epochs; a multi-fidelity
# one only once its first configuration has climbed the rungs to 27 epochs (the epochs
# printed above, asserted larger than 27 for every multi-fidelity method). By the end of the
# budget the curves have merged into the noise.
#
# ## 8.3 Confirmation on live training
#
# The table is real training, but frozen. The same race on live Keras training, smaller: three
# methods (random search, this package's BO, Keras Tuner's Hyperband), `P.n_seeds` seeds,
# `P.n_trials` full trainings' worth of epochs per search, networks trained for up to
# `P.max_epochs` epochs on the course's default space (`keras_task.default_space()`, learning
# rate and width on log scales, depth, activation, dropout). Keras Tuner's Hyperband runs
# through the package's adapter and so trains on `KerasObjective`, whose checkpoints let a
# promoted configuration resume: `extras["epochs_trained"]` records what each trial really
# trained. The oracles here write no files, so the three methods differ only in what they
# ask. Keras Tuner's own tuners also save each trial and the best epoch's weights to disk:
# `benchmarks/keras_overhead.py` (8 digits trials of 2 epochs, the same configurations for
# every runner; the README's table) measured 0.14 s of overhead per trial for a plain
# `kt.RandomSearch(...).search()`, against 0.0012 s for Keras Tuner's oracle through the
# package's adapter, 0.0001 s for `hpo_lessons.core.run` alone and 0.0039 s with a journal
# fsynced per trial.

# %%
from hpo_lessons.keras_task import KerasObjective, default_space, load_data

data = load_data(P.dataset, seed=0)
objective = KerasObjective(data, epochs=P.max_epochs, batch_size=P.batch_size, seed=0)
KERAS_METHODS = ["random", "bayes", "kt-hyperband"]

# %%
# NBVAL_IGNORE_OUTPUT
start = time.perf_counter()
race, histories = compare.compare(objective, default_space(), KERAS_METHODS, total_budget=P.n_trials * P.max_epochs,
                                  seeds=P.n_seeds, direction="maximize", progress=False, return_histories=True,
                                  n_jobs=P.n_jobs)
print(f"{len(race)} trials in {time.perf_counter() - start:.0f} s")

# %%
# NBVAL_IGNORE_OUTPUT
live = pd.DataFrame([{"method": m, "seed": s, "trials": len(h.trials), "best val accuracy": h.best.value,
                      "epochs charged": sum(t.budget or P.max_epochs for t in h.trials),
                      "epochs trained": sum(t.extras.get("epochs_trained", 0) for t in h.completed),
                      "training seconds": sum(t.duration for t in h.trials)} for (m, s), h in histories.items()])
live.round(3)

# %%
# NBVAL_IGNORE_OUTPUT
per_method = live.groupby("method")[["epochs charged", "epochs trained", "trials", "training seconds"]].sum()
per_method["seconds per epoch trained"] = per_method["training seconds"] / per_method["epochs trained"]
epoch_cost = per_method.loc["kt-hyperband", "seconds per epoch trained"] / per_method.loc["random", "seconds per epoch trained"]
print(per_method.round(2).to_string())
assert (live["epochs charged"] <= P.n_trials * P.max_epochs).all()
assert (per_method.loc[["random", "bayes"], "epochs trained"] == per_method.loc[["random", "bayes"], "epochs charged"]).all()
assert per_method.loc["kt-hyperband", "epochs trained"] < per_method.loc["kt-hyperband", "epochs charged"]
assert per_method.loc["kt-hyperband", "trials"] > per_method.loc["random", "trials"] and epoch_cost > 1.2

# %% [markdown]
# Random search and BO train exactly the epochs they are charged; Keras Tuner's Hyperband
# runs more trials in the same budget and trains fewer epochs than it is charged (asserted),
# because its promotions resume from checkpoints. In **seconds** its epochs came dearer: each
# epoch it trained cost more than one of random search's (the last column, asserted at least
# 20 % more), because each of its many short trials pays the network's start-up (building
# and tracing the model; chapter 9 measures it), which a 1-epoch trial cannot amortize, so
# the saving in epochs shrinks, or vanishes, in seconds. Epochs are the right measure when
# an epoch costs far more than a start-up (a large network, a large dataset); for a network
# this small, count trials as well.
#
# Each search's best validation accuracy is a maximum over its trials, so it is biased
# upwards (the winner's curse again), and two seeds per method cannot rank three methods.
# The fair last word: take each method's best configuration, train it again under fresh
# seeds (the race trained everything with seed 0) and score it **once** on the test set,
# which no search has seen.

# %%
# NBVAL_IGNORE_OUTPUT
FRESH = list(range(1, P.n_seeds + 1))
winners = {m: max((histories[(m, s)].best for s in range(P.n_seeds)), key=lambda t: t.value) for m in KERAS_METHODS}
scores = pd.DataFrame({m: [keras_task.evaluate({**w.params, "epochs": P.max_epochs, "batch_size": P.batch_size},
                                               data, seed=s) for s in FRESH] for m, w in winners.items()},
                      index=pd.Index(FRESH, name="fresh seed"))
summary = pd.DataFrame({"best val accuracy in the race": {m: w.value for m, w in winners.items()},
                        "test accuracy, mean over fresh seeds": scores.mean()})
summary.round(4)

# %%
# NBVAL_IGNORE_OUTPUT
n_test = len(data.y_test)
live_se = noise.binomial_se(float(scores.to_numpy().mean()), n_test)
live_gap = float(scores.mean().max() - scores.mean().min())
optimism = summary["best val accuracy in the race"] - summary["test accuracy, mean over fresh seeds"]
print(f"test accuracies of the three winners span {live_gap:.2%}; binomial SE on {n_test} test images {live_se:.2%}")
print(f"best validation score in the race minus test score on fresh seeds: {optimism.round(4).to_dict()}")
assert live_gap < 2 * np.sqrt(2) * live_se  # inside the noise of two scores on 359 images
assert optimism.abs().max() < 2 * np.sqrt(2) * live_se and scores.to_numpy().min() > 0.9

# %% [markdown]
# The three winners' test accuracies lie within the noise of scores on 359 test images (the
# span printed is under $2\sqrt2$ binomial standard errors, asserted), as the table's race
# predicted: on this network and budget the methods are not distinguishable, and Keras
# Tuner's Hyperband got there training fewer epochs (each a dearer one). Whatever order the
# three come in on the test set is noise. The gap between a winner's validation score in
# the race and its fresh test score is within the same noise too (asserted), in either
# direction: on 359 images, the sampling error of a single score is as large as the
# winner's curse of picking the best of a search's trials. Both are reasons why the final number
# of a tuning project must come from data the search never touched, measured with its error.
#
# ## 8.4 The race where the optimum is known
#
# On the 4-dimensional Ackley function the global minimum is 0 at the origin, inside a
# field of local minima; the regret is the best value found minus 0. Its landscape is the
# opposite of the table's: one narrow good region in a large, nearly flat and rugged field.
# Each trial costs microseconds, so we can afford `P.n_trials_synthetic` trials and
# `P.n_seeds_synthetic` seeds. Keras Tuner's BO sits out for its cost per suggestion (8.2).

# %%
# NBVAL_IGNORE_OUTPUT
bench = benchmarks.ackley(4)
ACKLEY = ["random", "bayes", "genetic", "kt-random", "optuna-tpe"]
synthetic = compare.compare(bench, bench.space, ACKLEY, n_trials=P.n_trials_synthetic, seeds=P.n_seeds_synthetic,
                            minimum=bench.minimum, progress=False)
compare.leaderboard(synthetic).round(3)

# %%
# NBVAL_IGNORE_OUTPUT
ackley = judge(compare.final_rows(synthetic), "regret")
print(ackley[["method", "seeds", "median", "ci low", "ci high", "p vs random", "real"]].round(4).to_string())
real_ackley = ackley.loc[ackley["real"], "method"].tolist()
print(f"\nreal differences from random search after Holm: {real_ackley or 'none'}")

# %%
title = (f"Every median is below random search's; over {P.n_seeds_synthetic} seeds Holm's test confirms "
         f"{', '.join(real_ackley) or 'none'}")
fig = plots.convergence(synthetic, log=False, title=title)  # a linear axis: the regrets span less than a decade

# %% [markdown]
# How far apart must five regrets be? With `n` seeds per method, the smallest two-sided
# p-value of the rank test comes when every regret of one method lies below every regret of
# the other; one exchange of order raises it:

# %%
n = P.n_seeds_synthetic
separated = stats.mannwhitneyu(np.arange(n), np.arange(n, 2 * n)).pvalue
one_swap = stats.mannwhitneyu(np.r_[np.arange(n - 1), n], np.r_[n - 1, np.arange(n + 1, 2 * n)]).pvalue
threshold = 0.05 / (len(ACKLEY) - 1)  # Holm's first threshold for the comparisons with random search
print(f"{n} seeds each: p = {separated:.4f} fully separated, {one_swap:.4f} with one swap; Holm's first threshold "
      f"{threshold:.4f}")

# %%
below = ackley.set_index("method")["median"] < ackley.set_index("method").loc["random", "median"]
assert (compare.final_rows(synthetic)["regret"] >= 0).all(), "nothing goes below the global minimum"
assert below.drop("random").all()  # every median below random search's
width = ackley.set_index("method").eval("`ci high` - `ci low`")
assert real_ackley == ["optuna-tpe"] and width.idxmax() == "bayes"
assert n != 5 or separated < threshold < one_swap  # in the quick profile: only complete separation passes
assert hl.profile("full").n_seeds_synthetic > n

# %% [markdown]
# Every method's median regret is below random search's on Ackley (asserted), unlike on the
# table: a model of the space, or a population, pays off where the good region is small.
# But with `P.n_seeds_synthetic` seeds per method (five in the quick profile), Holm's
# procedure confirms only TPE (the title, asserted). At five seeds, the rank test passes
# Holm's first threshold only when all five regrets of one method lie below all five of the
# other (printed above): one exchange of order is already too much. So the GA's and BO's
# lower medians are suggestive, not shown; more seeds would decide (the course's `full`
# profile runs more). BO's interval is the widest (asserted): its five runs disagree most,
# one far ahead of the others. And the GA offers no special protection on
# a rugged landscape: chapter 6 showed its population gathering in one valley, and its
# Rastrigin runs splitting between the global basin and local ones.
#
# ## 8.5 Which method when
#
# Each row says where its advice comes from: these races (section), other chapters, or the
# literature.
#
# | situation | reach for | evidence |
# | --- | --- | --- |
# | 1-2 hyperparameters, cheap trials | grid search | chapter 4: a grid is global but only as fine as its resolution; its size grows exponentially with the dimensions (Bergstra & Bengio, 2012) |
# | a first look, many parallel workers, or a space with many good configurations | random search (or a Sobol design) | 8.2: over 30 seeds no method beat it on the digits table; its trials are independent, so workers need no coordination (chapter 10 shows what BO needs instead: the constant liar); covers important dimensions better than a grid (Bergstra & Bengio, 2012) |
# | few, expensive trials, a space with a small good region, fewer than about 20 numeric dimensions (Frazier, 2018) | Bayesian optimization with a GP | 8.4: its median regret is below random search's on Ackley, though five seeds do not confirm it; chapter 5: ahead of random search on Branin, and its own cost, tens of milliseconds per suggestion, is small next to a training run; the literature: Snoek et al. (2012), Shahriari et al. (2016) |
# | many categorical or conditional hyperparameters | TPE (Optuna) | literature: Bergstra et al. (2011), Akiba et al. (2019); 8.4: the one method confirmed against random search on Ackley at five seeds; 8.2: on the mostly categorical table, no better than random search |
# | rugged landscapes | no method is safe: repeat searches over seeds, or restart | 8.4 and chapter 6: a GA's population gathers in one valley, and runs split between the global basin and local ones |
# | many asynchronous workers with an evolutionary method | steady-state (regularized) evolution | chapter 6: a generational GA idles workers at each generation's end; Real et al. (2019) ran regularized evolution on hundreds of workers |
# | training curves that tell early who will lose | Hyperband / ASHA | 8.2 and 8.3: the same quality as random search for fewer epochs trained, though each epoch costs more seconds when a network's start-up outweighs an epoch (8.3); Li et al. (2018, 2020); chapter 9 |
# | hyperparameters that should change during training | population-based training | literature: Jaderberg et al. (2017) |
#
# Whatever you pick: use a validation set the search never trains on, report the final model
# on a test set the search never saw, repeat searches over seeds and judge the difference
# with an interval or a rank test before calling a method better, and put learning rates,
# widths and regularization strengths on log scales.
#
# ## 8.6 Outlook
#
# **Multi-fidelity optimization.** A trial need not be a full training run. Successive halving
# and Hyperband (Li et al., 2018) train many configurations briefly and keep only the best
# fraction for longer; ASHA (Li et al., 2020) does it without waiting for a rung to fill;
# BOHB (Falkner et al., 2018) replaces Hyperband's random sampling with a model. Chapter 9
# builds them; the races above measured their price side: fewer epochs trained.
#
# **Population-based training** (Jaderberg et al., 2017) trains a population in parallel and
# periodically copies the weights of good members into bad ones, perturbing their
# hyperparameters: a GA whose individuals keep learning, producing a schedule instead of a
# single value.
#
# **Neural architecture search** makes the architecture itself the search space (Zoph & Le,
# 2017; Elsken, Metzen & Hutter, 2019). The methods of this course apply; what changes is the
# size of the space and tricks such as weight sharing that make trials cheap.
#
# **Several objectives at once.** In practice we want accurate *and* small *and* fast models.
# There is then no single best trial but a **Pareto front**: the trials no other trial beats on
# every objective. The live race recorded each network's size, so we can draw it, using only
# the trials trained for the full `P.max_epochs` (a 1-epoch score is not comparable).

# %%
def pareto_front(costs: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``costs`` (n, k) that no other row dominates (all minimized)."""
    costs = np.asarray(costs, dtype=float)
    better_or_equal = (costs[:, None, :] <= costs[None, :, :]).all(axis=2)
    strictly_better = (costs[:, None, :] < costs[None, :, :]).any(axis=2)
    dominated = (better_or_equal & strictly_better).any(axis=0)
    return ~dominated


# %%
trials = [t for h in histories.values() for t in h.completed if (t.budget or P.max_epochs) == P.max_epochs]
size_and_error = pd.DataFrame({"n_params": [t.extras["n_params"] for t in trials],
                               "error": [1 - t.value for t in trials]})
mask = pareto_front(size_and_error.to_numpy())
front = size_and_error[mask].sort_values("n_params")
assert mask.sum() > 1 and front["error"].is_monotonic_decreasing  # a trade-off: each larger network errs less

# %%
top = 3 * front["error"].max()  # the front and its neighbourhood; far worse networks are counted, not drawn
shown = size_and_error["error"] <= top
fig, ax = plt.subplots(figsize=(7.5, 4.2))
ax.scatter(size_and_error.loc[shown, "n_params"], size_and_error.loc[shown, "error"], s=14, alpha=0.5,
           label=f"trained in full ({(~shown).sum()} above {top:.2f} not drawn)")
ax.step(front["n_params"], front["error"], where="post", color="C3", marker="o", label="Pareto front")
ax.set(xscale="log", xlabel="trainable weights (count, log scale)", ylabel="validation error (1 − accuracy)",
       ylim=(0, 1.05 * top),
       title=f"{mask.sum()} of {len(mask)} fully trained networks are Pareto-optimal: smaller costs accuracy")
ax.title.set_fontsize(10)
ax.legend(fontsize=8, loc="upper right")  # the large, inaccurate corner is empty
fig.tight_layout()

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Write `real_difference(a, b, alpha=0.05)`: given two methods' final regrets
# over seeds (arrays `a` and `b`), return `True` when the difference between them is larger
# than chance would make it at level `alpha` (two-sided), `False` otherwise. Use a rank test
# or write a permutation test of the difference of medians: shuffle the pooled regrets many
# times, split them into groups of the original sizes, and count how often the shuffled
# difference is at least the observed one. The check includes a case with only two seeds per
# method, one where one search is stuck far away, and one where the ranges overlap.

# %%
def real_difference(a, b, alpha=0.05):
    ...  # your code here


# %% [markdown]
# Solution: a permutation test. With two seeds per method there are only six ways to split
# four numbers into two pairs, so no difference, however large, gets a p-value below 1/3.

# %%
def real_difference(a, b, alpha=0.05, n_perm=4000, seed=0):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = abs(np.median(a) - np.median(b))
    shuffled = np.random.default_rng(seed).permuted(np.tile(np.concatenate([a, b]), (n_perm, 1)), axis=1)
    null = np.abs(np.median(shuffled[:, :len(a)], axis=1) - np.median(shuffled[:, len(a):], axis=1))
    return bool((1 + np.sum(null >= observed)) / (1 + n_perm) < alpha)


from hpo_lessons.exercises.ch08 import check_median_difference_ci, check_real_difference

check_real_difference(real_difference)


# %% [markdown]
# **Exercise 2.** Section 8.2 drew one interval per method. Two intervals that overlap do not
# mean the methods are the same. Write `median_difference_ci(a, b, level=0.95, seed=0)`: a
# percentile-bootstrap interval for `median(a) - median(b)` (resample `a` and `b` with
# replacement, each on its own, at least 2000 times, and take quantiles of the differences of
# the resampled medians). The check uses a case where the two medians' own intervals overlap.

# %%
def median_difference_ci(a, b, level=0.95, seed=0):
    ...  # your code here


# %% [markdown]
# Solution:

# %%
def median_difference_ci(a, b, level=0.95, seed=0, n_boot=4000):
    rng = np.random.default_rng(seed)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diffs = np.median(rng.choice(a, (n_boot, len(a))), axis=1) - np.median(rng.choice(b, (n_boot, len(b))), axis=1)
    return tuple(np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2]))


check_median_difference_ci(median_difference_ci)

# %% [markdown]
# ## Summary
#
# - Every method of this course is an **ask/tell** loop around the same objective; what differs
#   is how `ask` uses the trials so far: not at all (grid, random), through a probabilistic
#   surrogate (BO, TPE), through a population (GA), or by how long each trial trains
#   (successive halving, Hyperband, ASHA).
# - A fair race gives every method the same **epochs**, scores each search by a network
#   trained in full, runs many seeds, and judges differences with a bootstrap interval and a
#   rank test corrected for the number of comparisons.
# - On the digits table, over 30 seeds, no method beat random search, and every median regret
#   was inside the noise of one training seed; the multi-fidelity methods got there training
#   fewer epochs (though, on live training of a small network, dearer ones). On Ackley, a
#   narrow good region in a rugged field, every method's median was below random search's,
#   and five seeds confirmed only TPE's lead.
# - None of them guarantees the global optimum in a finite budget. Re-train the winner with
#   fresh seeds, and keep a test set for the final word.
#
# **What next:** take `hpo_lessons.core.run` and one of the methods to your own model: write an
# objective that trains it and returns a validation score, define a `Space`, and start with
# random search and a multi-fidelity method side by side, over several seeds, as in this
# chapter. Chapters 9 and 10 go deeper into multi-fidelity methods and parallel workers.
#
# ## References
#
# Everything cited anywhere in the course, chapter by chapter merged (chapters 1 to 10 and this
# one), in alphabetical order. Software and web pages come last.
#
# - Akiba, T., Sano, S., Yanase, T., Ohta, T. & Koyama, M. (2019). Optuna: a next-generation
#   hyperparameter optimization framework. *KDD*.
# - Alpaydin, E. & Kaynak, C. (1998). Optical recognition of handwritten digits. UCI Machine
#   Learning Repository (the *digits* data set, as shipped with scikit-learn).
# - Ament, S., Daulton, S., Eriksson, D., Balandat, M. & Bakshy, E. (2023). Unexpected
#   improvements to expected improvement for Bayesian optimization. *NeurIPS* 36 (log-EI).
# - Amdahl, G. M. (1967). Validity of the single processor approach to achieving large scale
#   computing capabilities. *AFIPS Spring Joint Computer Conference*, 483-485.
# - Bengio, Y. (2012). Practical recommendations for gradient-based training of deep
#   architectures. In *Neural Networks: Tricks of the Trade*, 2nd ed., Springer LNCS 7700.
# - Bengio, Y. & Grandvalet, Y. (2004). No unbiased estimator of the variance of k-fold
#   cross-validation. *Journal of Machine Learning Research* 5:1089-1105.
# - Bergstra, J., Bardenet, R., Bengio, Y. & Kégl, B. (2011). Algorithms for hyper-parameter
#   optimization. *NeurIPS* 24.
# - Bergstra, J. & Bengio, Y. (2012). Random search for hyper-parameter optimization. *Journal
#   of Machine Learning Research* 13:281-305.
# - Bouthillier, X. et al. (2021). Accounting for variance in machine learning benchmarks.
#   *Proceedings of MLSys* 3.
# - Bull, A. D. (2011). Convergence rates of efficient global optimization algorithms.
#   *Journal of Machine Learning Research* 12:2879-2904.
# - Cawley, G. C. & Talbot, N. L. C. (2010). On over-fitting in model selection and
#   subsequent selection bias in performance evaluation. *Journal of Machine Learning
#   Research* 11:2079-2107.
# - Choi, D., Shallue, C. J., Nado, Z., Lee, J., Maddison, C. J. & Dahl, G. E. (2019). On
#   empirical comparisons of optimizers for deep learning. arXiv:1910.05446.
# - Das, I. & Dennis, J. E. (1997). A closer look at drawbacks of minimizing weighted sums of
#   objectives for Pareto set generation in multicriteria optimization problems. *Structural
#   Optimization* 14(1):63-69.
# - Deb, K., Pratap, A., Agarwal, S. & Meyarivan, T. (2002). A fast and elitist multiobjective
#   genetic algorithm: NSGA-II. *IEEE Transactions on Evolutionary Computation* 6(2):182-197.
# - Desautels, T., Krause, A. & Burdick, J. W. (2014). Parallelizing exploration-exploitation
#   tradeoffs in Gaussian process bandit optimization. *Journal of Machine Learning Research*
#   15:4053-4103.
# - Dietterich, T. G. (1998). Approximate statistical tests for comparing supervised
#   classification learning algorithms. *Neural Computation* 10(7):1895-1923.
# - Domhan, T., Springenberg, J. T. & Hutter, F. (2015). Speeding up automatic hyperparameter
#   optimization of deep neural networks by extrapolation of learning curves. *IJCAI*.
# - Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
# - Eiben, A. E. & Smith, J. E. (2015). *Introduction to Evolutionary Computing*, 2nd ed.
#   Springer.
# - Elsken, T., Metzen, J. H. & Hutter, F. (2019). Neural architecture search: a survey.
#   *Journal of Machine Learning Research* 20(55):1-21.
# - Eshelman, L. J. & Schaffer, J. D. (1993). Real-coded genetic algorithms and
#   interval-schemata. *Foundations of Genetic Algorithms 2*.
# - Falkner, S., Klein, A. & Hutter, F. (2018). BOHB: robust and efficient hyperparameter
#   optimization at scale. *ICML*.
# - Feurer, M. & Hutter, F. (2019). Hyperparameter optimization. In Hutter, Kotthoff &
#   Vanschoren (eds.), *Automated Machine Learning*, Springer, 3-33.
# - Forrester, A., Sóbester, A. & Keane, A. (2008). *Engineering Design via Surrogate
#   Modelling: A Practical Guide*. Wiley.
# - Frazier, P. I. (2018). A tutorial on Bayesian optimization. arXiv:1807.02811 (BO "is
#   best-suited for optimization over continuous domains of less than 20 dimensions").
# - Ginsbourger, D., Le Riche, R. & Carraro, L. (2010). Kriging is well-suited to parallelize
#   optimization. In Tenne & Goh (eds.), *Computational Intelligence in Expensive
#   Optimization Problems*, Springer, 131-162.
# - Glorot, X. & Bengio, Y. (2010). Understanding the difficulty of training deep feedforward
#   neural networks. *AISTATS*.
# - Glorot, X., Bordes, A. & Bengio, Y. (2011). Deep sparse rectifier neural networks. *AISTATS*.
# - Godbole, V., Dahl, G. E., Gilmer, J., Shallue, C. J. & Nado, Z. (2023). Deep learning
#   tuning playbook. https://github.com/google-research/tuning_playbook
# - Goldberg, D. E. (1989). *Genetic Algorithms in Search, Optimization and Machine
#   Learning*. Addison-Wesley.
# - Golik, P., Doetsch, P. & Ney, H. (2013). Cross-entropy vs. squared error training: a
#   theoretical and experimental comparison. *Interspeech*.
# - González, J., Dai, Z., Hennig, P. & Lawrence, N. (2016). Batch Bayesian optimization via
#   local penalization. *AISTATS*.
# - Goodfellow, I., Bengio, Y. & Courville, A. (2016). *Deep Learning*. MIT Press.
# - Goyal, P. et al. (2017). Accurate, large minibatch SGD: training ImageNet in 1 hour.
#   arXiv:1706.02677.
# - Graham, R. L. (1969). Bounds on multiprocessing timing anomalies. *SIAM Journal on Applied
#   Mathematics* 17(2):416-429.
# - Greff, K., Srivastava, R. K., Koutník, J., Steunebrink, B. R. & Schmidhuber, J. (2017).
#   LSTM: a search space odyssey. *IEEE Transactions on Neural Networks and Learning Systems*
#   28(10):2222-2232.
# - Hastie, T., Tibshirani, R. & Friedman, J. (2009). *The Elements of Statistical Learning*,
#   2nd ed. Springer.
# - He, K., Zhang, X., Ren, S. & Sun, J. (2015). Delving deep into rectifiers. *ICCV*.
# - Holland, J. H. (1975). *Adaptation in Natural and Artificial Systems*. University of
#   Michigan Press.
# - Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
#   Journal of Statistics* 6(2):65-70.
# - Hutter, F., Hoos, H. & Leyton-Brown, K. (2014). An efficient approach for assessing
#   hyperparameter importance. *ICML*.
# - Jaderberg, M. et al. (2017). Population based training of neural networks.
#   arXiv:1711.09846.
# - Jamieson, K. & Talwalkar, A. (2016). Non-stochastic best arm identification and
#   hyperparameter optimization. *AISTATS*.
# - Jin, Y. & Branke, J. (2005). Evolutionary optimization in uncertain environments: a
#   survey. *IEEE Transactions on Evolutionary Computation* 9(3):303-317.
# - Jones, D. R., Schonlau, M. & Welch, W. J. (1998). Efficient global optimization of
#   expensive black-box functions. *Journal of Global Optimization* 13:455-492.
# - Keras team (2023). Introducing Keras 3.0. https://keras.io/keras_3/ (one Keras on
#   TensorFlow, JAX and PyTorch).
# - King, G. & Zeng, L. (2001). Logistic regression in rare events data. *Political Analysis*
#   9(2).
# - Kingma, D. P. & Ba, J. (2015). Adam: a method for stochastic optimization. *ICLR*.
# - Knowles, J. (2006). ParEGO: a hybrid algorithm with on-line landscape approximation for
#   expensive multiobjective optimization problems. *IEEE Transactions on Evolutionary
#   Computation* 10(1):50-66.
# - Kushner, H. J. (1964). A new method of locating the maximum point of an arbitrary
#   multipeak curve in the presence of noise. *Journal of Basic Engineering* 86(1):97-106.
# - Lakens, D. (2017). Equivalence tests: a practical primer for t tests, correlations, and
#   meta-analyses. *Social Psychological and Personality Science* 8(4):355-362.
# - LeCun, Y., Bottou, L., Bengio, Y. & Haffner, P. (1998). Gradient-based learning applied to
#   document recognition. *Proceedings of the IEEE* 86(11) (the MNIST data set).
# - LeCun, Y., Bottou, L., Orr, G. B. & Müller, K.-R. (1998). Efficient BackProp. In *Neural
#   Networks: Tricks of the Trade*, Springer.
# - Li, L., Jamieson, K., DeSalvo, G., Rostamizadeh, A. & Talwalkar, A. (2018). Hyperband: a
#   novel bandit-based approach to hyperparameter optimization. *Journal of Machine Learning
#   Research* 18(185):1-52.
# - Li, L., Jamieson, K., Rostamizadeh, A., Gonina, E., Ben-Tzur, J., Hardt, M., Recht, B. &
#   Talwalkar, A. (2020). A system for massively parallel hyperparameter tuning. *MLSys*.
# - Liaw, R., Liang, E., Nishihara, R., Moritz, P., Gonzalez, J. E. & Stoica, I. (2018). Tune: a
#   research platform for distributed model selection and training. *ICML AutoML workshop*
#   (arXiv:1807.05118).
# - Loshchilov, I. & Hutter, F. (2017). SGDR: stochastic gradient descent with warm restarts.
#   *ICLR*.
# - Malladi, S., Lyu, K., Panigrahi, A. & Arora, S. (2022). On the SDEs and scaling rules for
#   adaptive gradient algorithms. *NeurIPS*.
# - Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is
#   stochastically larger than the other. *Annals of Mathematical Statistics* 18(1):50-60.
# - McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three methods for
#   selecting values of input variables in the analysis of output from a computer code.
#   *Technometrics* 21(2):239-245.
# - McNemar, Q. (1947). Note on the sampling error of the difference between correlated
#   proportions or percentages. *Psychometrika* 12(2):153-157.
# - Miller, B. L. & Goldberg, D. E. (1995). Genetic algorithms, tournament selection, and the
#   effects of noise. *Complex Systems* 9(3):193-212.
# - Nakkiran, P. et al. (2020). Deep double descent. *ICLR*.
# - Neyshabur, B., Tomioka, R. & Srebro, N. (2015). In search of the real inductive bias: on
#   the role of implicit regularization in deep learning. *ICLR workshop*.
# - O'Malley, T., Bursztein, E., Long, J., Chollet, F., Jin, H., Invernizzi, L. et al. (2019).
#   KerasTuner. https://github.com/keras-team/keras-tuner (version 1.4; the source files named
#   in chapter 7 are under `keras_tuner/src/`; distributed tuning:
#   https://keras.io/guides/keras_tuner/distributed_tuning/).
# - Owen, A. B. (1998). Scrambling Sobol' and Niederreiter-Xing points. *Journal of
#   Complexity* 14(4):466-489.
# - Ozaki, Y., Tanigaki, Y., Watanabe, S. & Onishi, M. (2020). Multiobjective tree-structured
#   Parzen estimator for computationally expensive optimization problems. *GECCO*.
# - Pedregosa, F. et al. (2011). Scikit-learn: machine learning in Python. *Journal of Machine
#   Learning Research* 12:2825-2830.
# - Polyak, B. T. (1964). Some methods of speeding up the convergence of iteration methods.
#   *USSR Computational Mathematics and Mathematical Physics* 4(5).
# - Probst, P., Boulesteix, A.-L. & Bischl, B. (2019). Tunability: importance of
#   hyperparameters of machine learning algorithms. *Journal of Machine Learning Research* 20.
# - Rasmussen, C. E. & Williams, C. K. I. (2006). *Gaussian Processes for Machine Learning*.
#   MIT Press.
# - Real, E., Aggarwal, A., Huang, Y. & Le, Q. V. (2019). Regularized evolution for image
#   classifier architecture search. *AAAI*.
# - Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
#   scheduling. *Proceedings of the 14th Python in Science Conference*, 130-136.
# - Ruder, S. (2017). An overview of multi-task learning in deep neural networks.
#   arXiv:1706.05098.
# - Russell, S. & Norvig, P. (2021). *Artificial Intelligence: A Modern Approach*, 4th ed.
#   Pearson.
# - Salinas, D., Seeger, M., Klein, A., Perrone, V., Wistuba, M. & Archambeau, C. (2022). Syne
#   Tune: a library for large scale hyperparameter tuning and reproducible research.
#   *International Conference on Automated Machine Learning*.
# - Schmucker, R., Donini, M., Zafar, M. B., Salinas, D. & Archambeau, C. (2021).
#   Multi-objective asynchronous successive halving. arXiv:2106.12639.
# - Shahriari, B., Swersky, K., Wang, Z., Adams, R. P. & de Freitas, N. (2016). Taking the
#   human out of the loop: a review of Bayesian optimization. *Proceedings of the IEEE*
#   104(1):148-175.
# - Smith, L. N. (2017). Cyclical learning rates for training neural networks. *WACV*.
# - Smith, S. L. & Le, Q. V. (2018). A Bayesian perspective on generalization and stochastic
#   gradient descent. *ICLR*.
# - Snoek, J., Larochelle, H. & Adams, R. P. (2012). Practical Bayesian optimization of
#   machine learning algorithms. *NeurIPS* 25.
# - Sobol, I. M. (1967). On the distribution of points in a cube and the approximate
#   evaluation of integrals. *USSR Computational Mathematics and Mathematical Physics*
#   7(4):86-112.
# - Srinivas, N., Krause, A., Kakade, S. & Seeger, M. (2010). Gaussian process optimization
#   in the bandit setting: no regret and experimental design. *ICML*.
# - Strobl, C., Boulesteix, A.-L., Zeileis, A. & Hothorn, T. (2007). Bias in random forest
#   variable importance measures. *BMC Bioinformatics* 8:25.
# - Syswerda, G. (1989). Uniform crossover in genetic algorithms. *Proceedings of the 3rd
#   International Conference on Genetic Algorithms*.
# - Thaler, R. H. (1988). Anomalies: the winner's curse. *Journal of Economic Perspectives*
#   2(1):191-202.
# - Tieleman, T. & Hinton, G. (2012). Lecture 6.5, RMSprop. *Neural Networks for Machine
#   Learning*, Coursera.
# - van Rijn, J. N. & Hutter, F. (2018). Hyperparameter importance across datasets. *KDD*.
# - While, L., Hingston, P., Barone, L. & Huband, S. (2006). A faster algorithm for
#   calculating hypervolume. *IEEE Transactions on Evolutionary Computation* 10(1):29-38.
# - Whitley, D. (1989). The GENITOR algorithm and selection pressure: why rank-based
#   allocation of reproductive trials is best. *Proceedings of the 3rd International
#   Conference on Genetic Algorithms*.
# - Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin*
#   1(6):80-83.
# - Young, S. R., Rose, D. C., Karnowski, T. P., Lim, S.-H. & Patton, R. M. (2015). Optimizing
#   deep learning hyper-parameters through an evolutionary algorithm. *MLHPC workshop, SC15*.
# - Zhang, C., Bengio, S., Hardt, M., Recht, B. & Vinyals, O. (2017). Understanding deep
#   learning requires rethinking generalization. *ICLR*.
# - Zhang, G., Li, L., Nado, Z., Martens, J., Sachdeva, S., Dahl, G. E., Shallue, C. J. &
#   Grosse, R. (2019). Which algorithmic choices matter at which batch sizes? Insights from a
#   noisy quadratic model. *NeurIPS*.
# - Zitzler, E. & Thiele, L. (1998). Multiobjective optimization using evolutionary
#   algorithms: a comparative case study. *PPSN V*, 292-301.
# - Zoph, B. & Le, Q. V. (2017). Neural architecture search with reinforcement learning. *ICLR*.
#
# Software and pages: scikit-learn's `ParameterGrid`, the reference the package's grid is
# tested against (https://scikit-learn.org/stable/modules/generated/sklearn.model_selection.ParameterGrid.html);
# scikit-optimize's acquisition tests (https://github.com/scikit-optimize/scikit-optimize);
# TensorBoard's HParams plugin (https://www.tensorflow.org/tensorboard/hyperparameter_tuning_with_hparams).
