# %% [markdown]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/hpo-lessons/hpo-lessons/blob/main/notebooks/08_summary_and_outlook.ipynb)
#
# # 8. Summary and outlook
#
# Seven chapters built grid search, random search, Bayesian optimization (BO) and a genetic
# algorithm (GA) from scratch and met Keras Tuner and Optuna along the way. This chapter puts
# all of them in one race: **the same network, the same search space, the same budget, several
# seeds**. Then it turns the results into a decision guide, looks at what lies beyond the four
# methods (multi-fidelity, population-based training, architecture search, several objectives
# at once), and ends with the references for the whole course.

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

# %% [markdown]
# ## 8.1 The race on digits
#
# The contestants: this package's random search, BO and GA; Keras Tuner's BO and Hyperband; and
# Optuna's TPE (the Tree-structured Parzen Estimator of Bergstra et al., 2011),
# the sampler most practitioners reach for first. Grid search sits this race out: with five
# hyperparameters and a budget of `P.n_trials` trials it could try fewer than two values per
# dimension, which chapter 4 showed is a poor use of trials.
#
# Every method trains the same multilayer perceptron on the same split and scores it by
# validation accuracy after `P.epochs` epochs. Each `(method, seed)` pair is one independent
# search; `hpo_lessons.compare` runs them all and returns one row per trial. Because the
# searches are independent and each is seeded, `n_jobs=P.n_jobs` runs that many at once in
# separate processes: the trials are exactly those of a one-at-a-time run, and the race
# takes about half the time on two cores (a small network keeps only one core busy). The
# seconds per trial are measured while two searches share the machine, the same for every method.

# %%
import warnings
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets, when Optuna is imported
from hpo_lessons import compare, plots
from hpo_lessons.keras_task import KerasObjective, default_space, load_data

data = load_data(P.dataset, seed=0)
space = default_space()
objective = KerasObjective(data, epochs=P.epochs, batch_size=P.batch_size, seed=0)
space

# %%
# NBVAL_IGNORE_OUTPUT
methods = ["random", "bayes", "genetic", "kt-bayesian", "kt-hyperband", "optuna-tpe"]
race, histories = compare.compare(objective, space, methods, n_trials=P.n_trials, seeds=P.n_seeds,
                                  direction="maximize", progress=False, return_histories=True,
                                  method_kwargs={"genetic": {"population_size": max(4, P.n_trials // 2)}},
                                  n_jobs=P.n_jobs)
board = compare.leaderboard(race)
board.round(4)

# %% [markdown]
# The leaderboard ranks methods by the median, over seeds, of the best validation accuracy each
# search found. With a handful of seeds, **differences of a percentage point or two are noise**:
# look at the interquartile range (`iqr_best`) before you crown a winner. On a problem this
# small, any sensible method finds a good network; the methods differ in how fast they get
# there and how much they cost.

# %%
fig = plots.convergence(race, time=True)

# %% [markdown]
# The left panel counts trials, the right counts wall-clock seconds, which is what you pay.
# Hyperband trains many configurations for few epochs, so its trials are cheap and its curve
# starts early on the time axis; Keras Tuner's tuners also write checkpoints and trial files
# every trial, which this package's loop does not.
#
# A few facts we can check in code rather than by eye:

# %%
final = compare.final_rows(race)
best_by_method = final.groupby("method")["best_so_far"].median()
per_trial = board.set_index("method")["mean_seconds"]
assert (race["status"] == "complete").mean() > 0.9, "almost every trial must train successfully"
assert best_by_method.max() > 0.9, "the best searches find a network above 90% validation accuracy"
assert per_trial["kt-hyperband"] < per_trial["random"], "Hyperband's trials are shorter on average"

# %%
# NBVAL_IGNORE_OUTPUT
print(best_by_method.sort_values(ascending=False).round(4).to_string())
print(f"\nmean seconds per trial:\n{per_trial.round(2).to_string()}")

# %% [markdown]
# ## 8.2 The race where the optimum is known
#
# On a network we never know the best possible accuracy, so we cannot say how far each method
# stayed from it. Synthetic functions fix that: the 4-dimensional Ackley function has its global
# minimum 0 at the origin, inside a field of local minima, much like a rugged validation-loss
# landscape. The **regret** is the best value found minus that minimum. Each trial costs
# microseconds here, so we can afford `P.n_trials_synthetic` trials and `P.n_seeds_synthetic`
# seeds. Keras Tuner's BO sits this one out: each of its suggestions costs seconds (chapter 5
# measures it), which on a function that costs microseconds would dominate the whole chapter.

# %%
# NBVAL_IGNORE_OUTPUT
from hpo_lessons import benchmarks

bench = benchmarks.ackley(4)
synthetic = compare.compare(bench, bench.space, ["random", "bayes", "genetic", "kt-random", "optuna-tpe"],
                            n_trials=P.n_trials_synthetic, seeds=P.n_seeds_synthetic,
                            minimum=bench.minimum, progress=False)
compare.leaderboard(synthetic).round(3)

# %%
fig = plots.convergence(synthetic)

# %%
regret = compare.final_rows(synthetic).groupby("method")["regret"].median()
assert regret["bayes"] < regret["random"], "BO beats random search on a smooth-ish landscape"
assert regret["genetic"] < regret["random"], "so does the GA"
assert (compare.final_rows(synthetic)["regret"] >= 0).all(), "nothing goes below the global minimum"

# %% [markdown]
# ## 8.3 Which method when
#
# | situation | reach for | why |
# | --- | --- | --- |
# | 1-2 hyperparameters, cheap trials | grid search | exhaustive, easy to read as a heat map (chapter 4) |
# | a first look, many parallel workers | random search (or a Sobol design) | no coordination; covers important dimensions better than a grid (Bergstra & Bengio, 2012) |
# | few, expensive trials, up to ~20 numeric dimensions | Bayesian optimization with a GP | sample-efficient; its O(n³) cost is nothing next to training (chapter 5) |
# | many categorical or conditional hyperparameters | TPE (Optuna) or a GA | handle trees of choices natively |
# | rugged landscapes, large parallel budgets | a genetic or evolutionary algorithm | a population explores several basins at once (chapter 6) |
# | training curves that tell early who will lose | Hyperband / ASHA | spends epochs on promising configurations only (Li et al., 2018) |
# | hyperparameters that should change during training | population-based training | adapts schedules while it trains (Jaderberg et al., 2017) |
#
# Whatever you pick: use a validation set the search never trains on, report the final model
# on a test set the search never saw, repeat searches over seeds before comparing methods,
# and put learning rates, widths and regularization strengths on log scales.
#
# ## 8.4 Outlook
#
# **Multi-fidelity optimization.** A trial need not be a full training run. Successive halving
# and Hyperband (Li et al., 2018) train many configurations briefly and keep only the best
# fraction for longer; BOHB (Falkner et al., 2018) replaces Hyperband's random sampling with a
# model. The race above already shows the price side: Hyperband's trials are shorter.
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
# every objective. The race already recorded each network's size, so we can draw it.

# %%
def pareto_front(costs: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``costs`` (n, k) that no other row dominates (all minimized)."""
    costs = np.asarray(costs, dtype=float)
    better_or_equal = (costs[:, None, :] <= costs[None, :, :]).all(axis=2)
    strictly_better = (costs[:, None, :] < costs[None, :, :]).any(axis=2)
    dominated = (better_or_equal & strictly_better).any(axis=0)
    return ~dominated


# %%
trials = [t for history in histories.values() for t in history.completed]
size_and_error = pd.DataFrame({"n_params": [t.extras["n_params"] for t in trials],
                               "error": [1 - t.value for t in trials]})
mask = pareto_front(size_and_error.to_numpy())
front = size_and_error[mask].sort_values("n_params")
fig, ax = plt.subplots(figsize=(6.5, 4.2))
ax.scatter(size_and_error["n_params"], size_and_error["error"], s=14, alpha=0.5, label="every trial of the race")
ax.step(front["n_params"], front["error"], where="post", color="C3", marker="o", label="Pareto front")
ax.set(xscale="log", xlabel="trainable weights (count, log scale)", ylabel="validation error (1 − accuracy)",
       title=f"{mask.sum()} of {len(mask)} networks are Pareto-optimal: smaller costs accuracy")
_ = ax.legend()

# %% [markdown]
# ## Exercises
#
# **Exercise 1.** Write `median_final_regret(df)`: from a `compare` table with a `regret` column,
# return a `pandas.Series` indexed by method with the median over seeds of each search's final
# regret.

# %%
def median_final_regret(df):
    ...  # your code here


# %% [markdown]
# Solution:

# %%
def median_final_regret(df):
    last = df.sort_values("trial").groupby(["method", "seed"]).tail(1)
    return last.groupby("method")["regret"].median()


from hpo_lessons.exercises.ch08 import check_median_final_regret

check_median_final_regret(median_final_regret)

# %% [markdown]
# **Exercise 2.** Write `pareto_mask(costs)` yourself (without looking above): for an `(n, 2)`
# array of objectives to minimize, return the boolean mask of the non-dominated rows.

# %%
def pareto_mask(costs):
    ...  # your code here


# %% [markdown]
# Solution: row *i* is dominated when some row *j* is no worse everywhere and better somewhere.

# %%
def pareto_mask(costs):
    costs = np.asarray(costs, dtype=float)
    keep = np.ones(len(costs), dtype=bool)
    for i, c in enumerate(costs):
        keep[i] = not any((o <= c).all() and (o < c).any() for o in costs)
    return keep


from hpo_lessons.exercises.ch08 import check_pareto_mask

check_pareto_mask(pareto_mask)

# %% [markdown]
# ## Summary
#
# - Every method of this course is an **ask/tell** loop around the same objective; what differs
#   is how `ask` uses the trials so far: not at all (grid, random), through a probabilistic
#   surrogate (BO, TPE), or through a population (GA).
# - On a small network all sensible methods find good configurations; the differences show on
#   harder landscapes (the Ackley race) and in cost per trial (Hyperband).
# - None of them guarantees the global optimum in a finite budget. Compare them over seeds, on
#   a validation set, and keep a test set for the final word.
#
# ## References
#
# 1. Bergstra, J. & Bengio, Y. (2012). Random search for hyper-parameter optimization. *Journal
#    of Machine Learning Research*, 13, 281–305.
# 2. Bergstra, J., Bardenet, R., Bengio, Y. & Kégl, B. (2011). Algorithms for hyper-parameter
#    optimization. *Advances in Neural Information Processing Systems 24* (NeurIPS).
# 3. Snoek, J., Larochelle, H. & Adams, R. P. (2012). Practical Bayesian optimization of machine
#    learning algorithms. *Advances in Neural Information Processing Systems 25* (NeurIPS).
# 4. Rasmussen, C. E. & Williams, C. K. I. (2006). *Gaussian Processes for Machine Learning*.
#    MIT Press.
# 5. Shahriari, B., Swersky, K., Wang, Z., Adams, R. P. & de Freitas, N. (2016). Taking the human
#    out of the loop: a review of Bayesian optimization. *Proceedings of the IEEE*, 104(1), 148–175.
# 6. Jones, D. R., Schonlau, M. & Welch, W. J. (1998). Efficient global optimization of expensive
#    black-box functions. *Journal of Global Optimization*, 13(4), 455–492.
# 7. Srinivas, N., Krause, A., Kakade, S. & Seeger, M. (2010). Gaussian process optimization in
#    the bandit setting: no regret and experimental design. *ICML*.
# 8. Goldberg, D. E. (1989). *Genetic Algorithms in Search, Optimization and Machine Learning*.
#    Addison-Wesley.
# 9. Eiben, A. E. & Smith, J. E. (2015). *Introduction to Evolutionary Computing* (2nd ed.).
#    Springer.
# 10. Li, L., Jamieson, K., DeSalvo, G., Rostamizadeh, A. & Talwalkar, A. (2018). Hyperband: a
#     novel bandit-based approach to hyperparameter optimization. *Journal of Machine Learning
#     Research*, 18(185), 1–52.
# 11. Falkner, S., Klein, A. & Hutter, F. (2018). BOHB: robust and efficient hyperparameter
#     optimization at scale. *ICML*.
# 12. Jaderberg, M. et al. (2017). Population based training of neural networks. arXiv:1711.09846.
# 13. Zoph, B. & Le, Q. V. (2017). Neural architecture search with reinforcement learning. *ICLR*.
# 14. Elsken, T., Metzen, J. H. & Hutter, F. (2019). Neural architecture search: a survey. *Journal
#     of Machine Learning Research*, 20(55), 1–21.
# 15. Akiba, T., Sano, S., Yanase, T., Ohta, T. & Koyama, M. (2019). Optuna: a next-generation
#     hyperparameter optimization framework. *KDD*.
# 16. O'Malley, T., Bursztein, E., Long, J., Chollet, F., Jin, H., Invernizzi, L. et al. (2019).
#     Keras Tuner. https://github.com/keras-team/keras-tuner
# 17. Liaw, R., Liang, E., Nishihara, R., Moritz, P., Gonzalez, J. E. & Stoica, I. (2018). Tune: a
#     research platform for distributed model selection and training. arXiv:1807.05118.
# 18. Goodfellow, I., Bengio, Y. & Courville, A. (2016). *Deep Learning*. MIT Press.
# 19. Feurer, M. & Hutter, F. (2019). Hyperparameter optimization. In Hutter, Kotthoff & Vanschoren
#     (eds.), *Automated Machine Learning*, Springer, 3–33.
#
# **What next:** take `hpo_lessons.run` and one of the methods to your own model: write an
# objective that trains it and returns a validation score, define a `Space`, and start with
# random search and BO side by side, as in this chapter.
