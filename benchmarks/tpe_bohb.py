"""TPE against Optuna's TPESampler on synthetic functions, and BOHB against Hyperband and Optuna on the table.

Part 1: our ``TPE`` (Optuna 5's defaults, written from scratch) against Optuna's ``TPESampler`` and
random search, on Branin, the mixed benchmark (a categorical among numbers) and Ackley in 4
dimensions, by final regret after ``--trials`` trials, the same seeds for every method.

Part 2: BOHB against Hyperband with random search and Optuna's TPE with its Hyperband pruner
(``optuna-hyperband``) on ``benchmarks.tabular("digits-mlp")``, searches as in
``benchmarks/multi_fidelity.py`` (search ``s`` sees training seed ``s % 3``, charged the epochs it
trains), by retrained and same-seed regret at each level of epochs trained. The seed count is
chosen by power: a pilot of 30 seeds gives the SD of the paired BOHB - Hyperband differences at
the largest level, and the race runs ``max(--seeds, seeds_needed(one image))`` seeds (one image
of 359 validation images = 0.28 points, the smallest difference a learner would act on).

Every comparison is paired on seeds: Wilcoxon's signed-rank p and a bootstrap interval of the
mean difference (``experiments.verdict``), Holm-adjusted across each part's whole table.

    python benchmarks/tpe_bohb.py                       # 60 seeds of 40 trials for part 1, at least 150 for part 2
    python benchmarks/tpe_bohb.py --seeds 20 --tpe-seeds 10 --trials 30
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.experiments import registry
from hpo_lessons.experiments.power import seeds_needed
from hpo_lessons.experiments.verdict import adjust, compare_searches

sys.path.insert(0, str(Path(__file__).resolve().parent))
import multi_fidelity as mf  # noqa: E402  (its searches and regrets, so both races read the table alike)

FUNCTIONS = [("branin", None), ("mixed", None), ("ackley", 4)]
LEVELS = [108, 216, 432, 864]
ONE_IMAGE = 100 / 359  # percentage points


def final_regret(method: str, bench, seed: int, n_trials: int) -> float:
    history = hl.run(bench, registry.make(method, bench.space, seed=seed), n_trials=n_trials, progress=False)
    return float(benchmarks.regret(history, bench)[-1])


def part_tpe(seeds: int, n_trials: int) -> None:
    print(f"## Part 1: final regret after {n_trials} trials, {seeds} paired seeds per function")
    verdicts, rows = [], []
    for name, dim in FUNCTIONS:
        bench = benchmarks.get(name, dim)
        label = f"{name}" + (f"-{dim}d" if dim else "")
        started = time.perf_counter()
        regret = {m: np.array([final_regret(m, bench, s, n_trials) for s in range(seeds)])
                  for m in ("tpe", "optuna-tpe", "random")}
        rows.append(f"{label:10s} median regret: ours {np.median(regret['tpe']):.4g}, Optuna "
                    f"{np.median(regret['optuna-tpe']):.4g}, random {np.median(regret['random']):.4g} "
                    f"({time.perf_counter() - started:.0f} s)")
        for other, names in (("optuna-tpe", "Optuna TPE"), ("random", "random search")):
            verdicts.append(compare_searches(regret["tpe"], regret[other], names=(f"TPE on {label}", f"{names}"),
                                             higher_is_better=False))
    print("\n".join(rows))
    print("verdicts (lower regret is better; Holm across the table):")
    for v in adjust(verdicts):
        print("  " + v.text)


def retrained(method: str, seeds: range) -> dict:
    rows = [row for s in seeds for row in mf.regret_rows(method, s, LEVELS)]
    return {view: {e: np.array([r[view] for r in rows if r["epochs"] == e]) for e in LEVELS}
            for view in mf.VIEWS}


def part_bohb(min_seeds: int) -> None:
    pilot = {m: retrained(m, range(30)) for m in ("bohb", "hyperband")}
    diffs = pilot["bohb"]["retrained"][LEVELS[-1]] - pilot["hyperband"]["retrained"][LEVELS[-1]]
    needed = seeds_needed(ONE_IMAGE, diffs)
    n = max(min_seeds, needed)
    print(f"\n## Part 2: BOHB on the learning-curve table; the pilot (30 seeds) SD of BOHB - Hyperband at "
          f"{LEVELS[-1]} epochs is {np.std(diffs, ddof=1):.3f} points, so one image ({ONE_IMAGE:.2f} points) needs "
          f"{needed} paired seeds for 80% power; running {n}")
    started = time.perf_counter()
    results = {m: retrained(m, range(n)) for m in ("bohb", "hyperband", "optuna-hyperband")}
    print(f"{3 * n} searches in {time.perf_counter() - started:.0f} s")
    for view in mf.VIEWS:
        print(f"\n### {view} regret, percentage points: median [25th, 75th percentile] over {n} seeds")
        for m, res in results.items():
            cells = [f"{e}: {np.median(res[view][e]):.2f} [{np.percentile(res[view][e], 25):.2f}, "
                     f"{np.percentile(res[view][e], 75):.2f}]" for e in LEVELS]
            print(f"  {registry.METHODS[m].label:32s} " + "  ".join(cells))
        verdicts = [compare_searches(results["bohb"][view][e], results[other][view][e],
                                     names=(f"BOHB at {e} epochs", registry.METHODS[other].label),
                                     higher_is_better=False, unit="points")
                    for other in ("hyperband", "optuna-hyperband") for e in LEVELS]
        print(f"verdicts, Holm across these {len(verdicts)}:")
        for v in adjust(verdicts):
            print("  " + v.text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=150, help="least seeds of part 2 (power may ask for more)")
    parser.add_argument("--tpe-seeds", type=int, default=60, help="seeds of part 1")
    parser.add_argument("--trials", type=int, default=40, help="trials per search in part 1")
    parser.add_argument("--part", choices=["1", "2", "both"], default="both")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    print(f"# {os.cpu_count()} cores, load average {load:.1f} at the start")
    if args.part in ("1", "both"):
        part_tpe(args.tpe_seeds, args.trials)
    if args.part in ("2", "both"):
        part_bohb(args.seeds)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
