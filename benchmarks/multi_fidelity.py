"""Multi-fidelity methods on the tabulated digits benchmark: regret at equal epochs, and four simulated workers.

Every method searches ``benchmarks.tabular("digits-mlp")`` (real Keras learning curves, 432
MLP configurations, 3 training seeds, 27 epochs) with the same seeds; search ``s`` sees the
table's training seed ``s % 3``, on a fresh table (no checkpoints from another search). Each
is charged the epochs it trains: a full-fidelity trial 27, a promotion only the epochs its
checkpoint lacks (as ``KerasObjective`` resumes). At each budget level the regret of the
search's incumbent (``History.best``) is read in two ways, in percentage points of validation
error: *same seed*, its full-budget error for the seed the search saw minus that seed's best;
*retrained*, its mean full-budget error over the two other seeds minus the best such mean
(how good the configuration is, rather than how lucky its seed was). Every method is judged
against random search at every level, and our Hyperband against Keras Tuner's, paired on seeds
(search ``s`` of every method sees the same training seed): Wilcoxon signed-rank with a
bootstrap interval of the median paired difference, an equivalence margin of one validation
image (0.28 points) fixed in advance, Holm's adjustment across the whole table of each view
(``hpo_lessons.experiments.verdict``).
Then four workers on the simulated clock (each trial takes the seconds the table recorded):
synchronous successive halving against ASHA at the same budget.

    python benchmarks/multi_fidelity.py                                   # 50 seeds, every method
    python benchmarks/multi_fidelity.py --seeds 10 --methods random,hyperband,asha --jobs 2
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from hpo_lessons import plots
from hpo_lessons.experiments import registry
from hpo_lessons.experiments.analysis import epochs_spent, full_budget_error, regret_by_epochs
from hpo_lessons.experiments.table_search import search
from hpo_lessons.experiments.verdict import adjust, compare_searches

METHODS = "random,bayes,genetic,sh,hyperband,asha,kt-hyperband,optuna-hyperband"
LEVELS = "108,216,432,864,1296"  # epochs: 4 to 48 full trainings of 27 epochs
# The registry leaves Keras Tuner's Hyperband at its default of one iteration when no n_trials is given;
# a search ended by a budget needs it unlimited.
KWARGS = {"kt-hyperband": {"hyperband_iterations": None}}
VIEWS = {"same seed": False, "retrained": True}
MARGIN = 100 / 359  # equivalence margin, points of validation error: one image of the 359, fixed in advance
MARKS = {"better": "+", "worse": "-", "equivalent": "=", "undecided": "?"}


def regret_rows(method: str, seed: int, levels: list[float]) -> list[dict]:
    """The search's regret in both views at each level of epochs trained, and what it spent."""
    resume = registry.get(method).needs_budget
    registry.get(method).load()  # TensorFlow or Optuna imported off the clock
    started = time.perf_counter()
    # a repeat at its budget trains 0, so the search ends by what it trained
    history, table = search(method, seed, 20 * max(levels), until=max(levels), **KWARGS.get(method, {}))
    seconds = time.perf_counter() - started
    spent = epochs_spent(history, resume)
    # A search may end before the largest level when its searcher has proposed every configuration of the
    # grid (successive halving does after 16 brackets, 1296 epochs): its regret stays its final one.
    rows = [{"method": method, "seed": seed, "epochs": e, "seconds": seconds, "trials": len(history),
             "ended early": spent[-1] < e} for e in levels]
    for view, retrained in VIEWS.items():
        final, minimum = full_budget_error(table, retrained)
        for row, r in zip(rows, regret_by_epochs(history, final, minimum, levels, resume), strict=True):
            row[view] = 100 * r
    return rows


def race(methods: list[str], seeds: dict[str, int], levels: list[float], jobs: int) -> pd.DataFrame:
    tasks = [(m, s) for m in methods for s in range(seeds[m])]
    if jobs == 1:
        rows = [row for m, s in tasks for row in regret_rows(m, s, levels)]
    else:
        with ProcessPoolExecutor(jobs, mp_context=__import__("multiprocessing").get_context("spawn")) as pool:
            futures = [pool.submit(regret_rows, m, s, levels) for m, s in tasks]
            rows = [row for f in futures for row in f.result()]
    return pd.DataFrame(rows)


def paired(frame: pd.DataFrame, a: str, b: str, level: float, view: str) -> tuple[np.ndarray, np.ndarray]:
    """The regrets of ``a`` and ``b`` at ``level`` epochs in ``view``, on the seeds both ran, in seed order."""
    at = frame[frame["epochs"] == level].pivot(index="seed", columns="method", values=view)[[a, b]].dropna()
    return at[a].to_numpy(), at[b].to_numpy()


def verdicts(frame: pd.DataFrame, view: str) -> dict[tuple[str, str, float], object]:
    """(a, b, level) -> Verdict: every method against random search, and our Hyperband against Keras
    Tuner's, at every level; Holm across all of them."""
    methods, levels = list(dict.fromkeys(frame["method"])), sorted(frame["epochs"].unique())
    pairs = [(m, "random") for m in methods if m != "random" and "random" in methods]
    pairs += [("hyperband", "kt-hyperband")] if {"hyperband", "kt-hyperband"} <= set(methods) else []
    keys = [(a, b, e) for a, b in pairs for e in levels]
    found = [compare_searches(*paired(frame, a, b, e, view), names=(a, b), higher_is_better=False, margin=MARGIN,
                              unit="points") for a, b, e in keys]
    return dict(zip(keys, adjust(found), strict=True))


def summary(frame: pd.DataFrame, view: str, judged: dict) -> pd.DataFrame:
    """Median [25th, 75th percentile] per method and level; against random search: + better, - worse,
    = equivalent within the margin, ? not decided."""
    out = {}
    for (method, level), group in frame.groupby(["method", "epochs"], sort=False):
        q25, q50, q75 = np.percentile(group[view], [25, 50, 75])
        v = judged.get((method, "random", level))
        mark = "" if v is None else MARKS["worse" if v.outcome == "better" and v.winner != method else v.outcome]
        out.setdefault(method, {})[level] = f"{q50:.2f} [{q25:.2f}, {q75:.2f}]{mark}"
    return pd.DataFrame(out).T


def walls(seeds: int, budget: float, n_workers: int = 4) -> pd.DataFrame:
    """Simulated wall time and utilisation of ``n_workers`` workers, per method, median over seeds."""
    rows = []
    for method in ("sh", "asha", "hyperband"):
        for seed in range(seeds):
            history, _ = search(method, seed, budget, n_workers=n_workers, **KWARGS.get(method, {}))
            rows.append({"method": method, "seed": seed, "wall s": max(t.start + t.duration for t in history),
                         "busy": plots.utilisation(history, n_workers), "epochs": history.budget_spent})
    return pd.DataFrame(rows).groupby("method", sort=False)[["wall s", "busy", "epochs"]].median()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--bo-seeds", type=int, default=50, help="seeds for bayes (about 0.05 s per suggestion)")
    parser.add_argument("--methods", default=METHODS)
    parser.add_argument("--levels", default=LEVELS, help="epochs trained, comma-separated")
    parser.add_argument("--jobs", type=int, default=1, help="searches at once, each in its own process")
    parser.add_argument("--wall-budget", type=float, default=432, help="epochs (nominal) for the 4-worker runs")
    args = parser.parse_args(argv)
    methods, levels = args.methods.split(","), [float(e) for e in args.levels.split(",")]
    seeds = {m: args.bo_seeds if m == "bayes" else args.seeds for m in methods}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    started = time.perf_counter()
    frame = race(methods, seeds, levels, args.jobs)
    print(f"# {len(frame) // len(levels)} searches in {time.perf_counter() - started:.0f} s on {os.cpu_count()} "
          f"cores (load average {load:.1f} at the start); regret in percentage points of validation error "
          f"(1 image of 359 = {100 / 359:.2f})")
    cost = frame.groupby("method", sort=False)[["seconds", "trials"]].mean().round(3)
    early = frame[frame["ended early"]].groupby(["method", "epochs"]).size()
    if len(early):
        print("\nsearches that ended (every configuration proposed) before a level:\n" + early.to_string())
    print("\nseconds and trials per search (to the largest level, with its margin)\n" + cost.to_string())
    for view in VIEWS:
        judged = verdicts(frame, view)
        print(f"\n## {view}: median [25th, 75th percentile] of regret at each level of epochs trained; against "
              "random search, paired on seeds, Holm across the table: + better, - worse, = equivalent within "
              f"±{MARGIN:.2f} (one image), ? not decided")
        print(summary(frame, view, judged).to_string())
        for (_, b, level), v in judged.items():
            if b == "kt-hyperband" or v.outcome != "undecided":
                print(f"  {level:g} epochs: {v.text}")
    wall = walls(args.seeds, args.wall_budget)
    ratio = wall.loc["asha", "wall s"] / wall.loc["sh", "wall s"]
    print(f"\n## 4 simulated workers, {args.wall_budget:g} epochs (budget), median over {args.seeds} seeds\n"
          + wall.round(2).to_string())
    print(f"goal: ASHA's wall time at most 0.6x synchronous successive halving's: {ratio:.2f}x, "
          f"{'met' if ratio <= 0.6 else 'NOT met'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
