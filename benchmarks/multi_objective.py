"""Several objectives on the tabulated digits benchmark: hypervolume at equal trials and at equal epochs.

Every search runs on ``Tradeoffs(("error", "params", "seconds"))``: the learning-curve table
(432 MLPs, 3 training seeds, 27 epochs) scored on validation error, parameter count and
training seconds, all minimized; search ``s`` sees training seed ``s % 3``. A search is scored
by the hypervolume of its Pareto front (trials at the largest budget reached), as a percentage
of the hypervolume of the true front of that training seed (every configuration at 27 epochs),
with the table's reference point (``Tradeoffs.reference``).

1. Equal trials (``--trials`` full trainings): our NSGA-II, random search, Optuna's NSGA-II
   (same population size) and multi-objective TPE, and ParEGO (on ``--parego-seeds`` seeds: its
   GP makes it about a hundred times slower per search).
2. Equal epochs (``--trials`` x 27 epochs, summed over trials' budgets): multi-objective ASHA,
   NSGA-II, and Keras Tuner's Hyperband on its summed objective (``KerasTunerSum``).
3. Time of non-dominated sorting and hypervolume at 1,000 points, 2 and 3 objectives, against
   Optuna's ``_fast_non_domination_rank`` and ``compute_hypervolume`` (best of 5).

Verdicts: every comparison paired on seeds (Wilcoxon signed-rank, bootstrap interval),
Holm-adjusted across the whole table (``hpo_lessons.experiments.verdict``), with an
equivalence margin of 0.5 points of hypervolume stated here, before the run.

    python benchmarks/multi_objective.py                 # 200 seeds, 40 trials, 20 seeds for ParEGO
    python benchmarks/multi_objective.py --seeds 20 --parego-seeds 5 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

import hpo_lessons as hl
from hpo_lessons.benchmarks.tradeoffs import Tradeoffs
from hpo_lessons.experiments.verdict import adjust, compare_searches

OBJECTIVES = ("error", "params", "seconds")
MARGIN = 0.5  # points of hypervolume: stated before the experiment
TRIALS_METHODS = ["nsga2", "random", "optuna-nsga2", "optuna-tpe", "parego"]
EPOCHS_METHODS = ["moasha", "nsga2", "kt-hyperband-sum"]


def make(method: str, space, seed: int, population: int):
    if method == "nsga2":
        return hl.NSGAII(space, n_objectives=3, population_size=population, seed=seed)
    if method == "random":
        from hpo_lessons.methods.random_front import RandomFront

        return RandomFront(space, n_objectives=3, seed=seed)
    if method.startswith("optuna-"):
        from hpo_lessons.frameworks.optuna_adapter import OptunaOptimizer

        extra = {"population_size": population} if method == "optuna-nsga2" else {}
        return OptunaOptimizer(space, method[len("optuna-"):], seed=seed, n_objectives=3, **extra)
    if method == "parego":
        return hl.ParEGO(space, n_objectives=3, seed=seed)
    if method == "moasha":
        return hl.MOASHA(space, min_budget=1, max_budget=27, eta=3, n_objectives=3, seed=seed)
    if method == "kt-hyperband-sum":
        from hpo_lessons.frameworks.kt_summed import KerasTunerSum

        return KerasTunerSum(space, "hyperband", seed=seed, n_objectives=3, max_epochs=27, factor=3,
                             hyperband_iterations=None)
    raise ValueError(f"unknown method {method!r}")


def score(task: tuple) -> tuple:
    """One search: (part, method, seed, hypervolume in % of the true front's, seconds, trials)."""
    part, method, seed, trials, population = task
    table = Tradeoffs(OBJECTIVES, seed=seed % 3)
    opt = make(method, table.space, seed, population)
    start = time.perf_counter()
    limit = {"n_trials": trials} if part == "trials" else {"total_budget": trials * table.max_budget}
    history = hl.run(table, opt, progress=False, **limit)
    seconds = time.perf_counter() - start
    front = [t.value for t in history.pareto_front()]
    best = hl.hypervolume(table.all_values(), table.reference)
    return part, method, seed, 100 * hl.hypervolume(front, table.reference) / best, seconds, len(history)


def timing(n: int = 1000, repeats: int = 5) -> pd.DataFrame:
    from optuna._hypervolume import compute_hypervolume
    from optuna.study._multi_objective import _fast_non_domination_rank

    from hpo_lessons.methods.nondominated import nondominated_ranks

    rng, rows = np.random.default_rng(0), []
    for m in (2, 3):
        points = rng.random((n, m))
        points /= np.linalg.norm(points, axis=1, keepdims=True) + rng.random((n, 1))  # many fronts, a curved one
        reference = np.full(m, 1.1 * points.max())
        for what, ours, theirs in [
            ("non-dominated sort", lambda p=points: nondominated_ranks(p),
             lambda p=points: _fast_non_domination_rank(p)),
            ("hypervolume", lambda p=points, r=reference: hl.hypervolume(p, r),
             lambda p=points, r=reference: compute_hypervolume(p, r))]:
            assert np.allclose(ours(), theirs()), what  # the same answer, or the timing means nothing
            best = {}
            for name, f in (("ours", ours), ("optuna", theirs)):
                times = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    f()
                    times.append(time.perf_counter() - start)
                best[name] = min(times)
            rows.append({"what": what, "objectives": m, "points": n, "ours s": best["ours"],
                         "optuna s": best["optuna"], "ours / optuna": best["ours"] / best["optuna"]})
    return pd.DataFrame(rows)


def verdicts(frame: pd.DataFrame, part: str, pairs: list[tuple[str, str]]) -> list:
    out = []
    for a, b in pairs:
        x = frame[(frame.part == part) & (frame.method == a)].set_index("seed").hv
        y = frame[(frame.part == part) & (frame.method == b)].set_index("seed").hv
        seeds = x.index.intersection(y.index)
        out.append(compare_searches(x[seeds].to_numpy(), y[seeds].to_numpy(), names=(f"{a} ({part})", f"{b} ({part})"),
                                    higher_is_better=True, margin=MARGIN, unit="points of hypervolume"))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--parego-seeds", type=int, default=20)
    parser.add_argument("--kt-seeds", type=int, default=100)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--population", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    started, load = time.time(), os.getloadavg()[0]
    seeds = {"parego": args.parego_seeds, "kt-hyperband-sum": args.kt_seeds}
    tasks = [(part, m, s, args.trials, args.population) for part, methods in
             (("trials", TRIALS_METHODS), ("epochs", EPOCHS_METHODS)) for m in methods
             for s in range(min(args.seeds, seeds.get(m, args.seeds)))]
    with ProcessPoolExecutor(args.jobs) as pool:
        frame = pd.DataFrame(list(pool.map(score, tasks, chunksize=8)),
                             columns=["part", "method", "seed", "hv", "seconds", "trials"])
    print(f"# {len(frame)} searches in {time.time() - started:.0f} s on {os.cpu_count()} cores (load average "
          f"{load:.1f} at the start); {args.trials} trials (or {args.trials} x 27 epochs), population "
          f"{args.population}; hypervolume in % of the true front's\n")
    summary = frame.groupby(["part", "method"], sort=False).agg(
        seeds=("hv", "size"), hv_mean=("hv", "mean"), hv_sd=("hv", "std"), hv_median=("hv", "median"),
        seconds=("seconds", "mean"), trials=("trials", "mean"))
    print(summary.round(3).to_string(), "\n")
    pairs_t = [(m, "random") for m in TRIALS_METHODS if m != "random"] + [("nsga2", "optuna-nsga2"),
                                                                          ("nsga2", "optuna-tpe")]
    pairs_e = [("moasha", "nsga2"), ("moasha", "kt-hyperband-sum"), ("nsga2", "kt-hyperband-sum")]
    judged = adjust(verdicts(frame, "trials", pairs_t) + verdicts(frame, "epochs", pairs_e))
    print("## verdicts, Holm-adjusted across all", len(judged), "comparisons (margin", MARGIN, "points)")
    for v in judged:
        print("-", v.text)
    print("\n## time at 1,000 points, best of 5 (both give the same answer, checked)")
    print(timing().round(5).to_string(index=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
