"""What makes Bayesian optimization strong: each ingredient of ``BayesianOptimization`` switched off in turn.

Every variant and every peer (Optuna's ``GPSampler`` and TPE, scikit-optimize's ``gp_minimize``,
random search) runs on the same functions for ``--budget`` evaluations per seed. A row's score on
a seed is its final simple regret (best value found minus the known minimum); the verdicts compare
each row with ``ours`` on log10 regret, paired on seeds (Wilcoxon signed-rank, bootstrap interval of
the median paired difference), with Holm's adjustment across the whole table
(``hpo_lessons.experiments.verdict``). Time per suggestion is the mean wall time of a model-based
ask (after the start-up design), in the same worker processes for every row.

    nice -n 10 python benchmarks/bo_ablation.py --seeds 20 --budget 60 --jobs 2

Raw results go to ``hpo_lessons/data/bo_ablation.csv`` as they arrive (a rerun skips the runs
already there, so an interrupted run resumes), where chapter 5 reads them
(``hpo_lessons.benchmarks.recorded.bo_ablation``); the table goes to ``benchmarks/outputs/bo_ablation.txt``.
Peers whose library is missing (``GPSampler`` needs torch: ``pip install hpo-lessons[bo-reference]``)
are skipped with a message.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.experiments.verdict import adjust, compare_searches

OUT = Path(__file__).parent / "outputs"
RAW = Path(__file__).parents[1] / "hpo_lessons" / "data" / "bo_ablation.csv"  # shipped: chapter 5 reads it
BEFORE = dict(ard="auto", prior=False, log_acquisition=False, n_candidates=1000, n_polish=3, polish_starts="best",
              xi=0.01, n_restarts=2)
VARIANTS = {  # name -> BayesianOptimization's keyword arguments
    "ours": {},
    "- ARD from the start": dict(ard="auto"),
    "- priors (ML fit)": dict(prior=False),
    "- log-EI (plain EI)": dict(log_acquisition=False),
    "- roulette local search": dict(n_polish=3, polish_starts="best", n_candidates=1000),
    "- noise floor (1e-10)": dict(noise_floor=1e-10),
    "start-up: 10 random": dict(n_initial=10, initial_design="random"),
    "before (all off)": BEFORE,
}
PEERS = {"optuna GPSampler": "torch", "optuna TPE": "optuna", "skopt gp_minimize": "skopt", "random": "numpy"}

# Hartmann's functions on [0, 1]^d (Dixon & Szego 1978): four Gaussian wells each.
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H3 = (np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]),
      1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]),
      -3.86278214782076, [0.114614, 0.555649, 0.852547])
H6 = (np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
                [17, 8, 0.05, 10, 0.1, 14]]),
      1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                       [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]),
      -3.32236801141551, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])


def hartmann(d: int) -> benchmarks.Benchmark:
    A, P, minimum, argmin = H3 if d == 3 else H6
    space = hl.Space(**{f"x{i + 1}": hl.Real(0.0, 1.0) for i in range(d)})
    f = lambda x: -np.exp(-np.einsum("ij,nij->ni", A, (np.atleast_2d(x)[:, None, :] - P) ** 2)) @ ALPHA
    return benchmarks.Benchmark(f"hartmann{d}", space, minimum, [dict(zip(space.names, argmin))], f)


FUNCTIONS = {"branin": benchmarks.branin, "hartmann3": lambda: hartmann(3), "hartmann6": lambda: hartmann(6),
             "rosenbrock4": lambda: benchmarks.rosenbrock(4)}


def run_ours(bench, kwargs: dict, budget: int, seed: int) -> tuple[float, float]:
    """Best value and mean seconds per model-based ask of one search."""
    bo = hl.BayesianOptimization(bench.space, seed=seed, **kwargs)
    times = []
    for i in range(budget):
        start = time.perf_counter()
        suggestion = bo.ask()
        if i >= bo.n_initial:
            times.append(time.perf_counter() - start)
        bo.tell(suggestion, bench(suggestion.params))
    return min(bo.y), float(np.mean(times))


def run_optuna(bench, sampler, budget: int, n_startup: int) -> tuple[float, float]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=sampler)
    distributions = {name: optuna.distributions.FloatDistribution(dim.low, dim.high) for name, dim in bench.space}
    times = []
    for i in range(budget):
        start = time.perf_counter()
        trial = study.ask(distributions)  # samples every parameter
        if i >= n_startup:
            times.append(time.perf_counter() - start)
        study.tell(trial, bench(trial.params))
    return study.best_value, float(np.mean(times))


def run_skopt(bench, budget: int, seed: int) -> tuple[float, float]:
    from skopt import gp_minimize

    names = bench.space.names
    bounds = [(dim.low, dim.high) for _, dim in bench.space]
    start = time.perf_counter()
    result = gp_minimize(lambda x: bench(dict(zip(names, x))), bounds, n_calls=budget, random_state=seed)
    return float(result.fun), (time.perf_counter() - start) / (budget - 10)  # its default start-up: 10 random


def run(job: tuple[str, str, int, int]) -> tuple[str, str, int, float, float]:
    row, function, seed, budget = job
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    bench = FUNCTIONS[function]()
    if row in VARIANTS:
        best, seconds = run_ours(bench, VARIANTS[row], budget, seed)
    elif row == "optuna GPSampler":
        import optuna
        import torch

        torch.set_num_threads(1)
        best, seconds = run_optuna(bench, optuna.samplers.GPSampler(seed=seed), budget, 10)
    elif row == "optuna TPE":
        import optuna
        best, seconds = run_optuna(bench, optuna.samplers.TPESampler(seed=seed), budget, 10)
    elif row == "skopt gp_minimize":
        best, seconds = run_skopt(bench, budget, seed)
    else:
        history = hl.run(bench, hl.RandomSearch(bench.space, seed=seed), n_trials=budget, progress=False)
        best, seconds = min(t.value for t in history.trials), float("nan")
    return row, function, seed, max(best - bench.minimum, 0.0), seconds


def available(row: str) -> bool:
    module = PEERS.get(row, "numpy")
    if importlib.util.find_spec(module) is None:
        print(f"skipping {row}: {module} is not installed (pip install hpo-lessons[bo-reference])")
        return False
    return True


def report(results: list[tuple], rows: list[str], functions: list[str], seeds: int) -> str:
    """The table: median regret per row and function, verdicts against ``ours`` on the seeds both have
    (Holm across all), seconds per model-based ask."""
    table = {(r, f, s): (regret, seconds) for r, f, s, regret, seconds in results if s < seeds}
    have = lambda r, f: [s for s in range(seeds) if (r, f, s) in table]
    log_regret = lambda r, f, ss: np.log10(np.maximum([table[r, f, s][0] for s in ss], 1e-10))
    pairs = [(r, f) for r in rows for f in functions if r != "ours"
             and len(set(have(r, f)) & set(have("ours", f))) >= 6]
    verdicts = []
    for r, f in pairs:
        common = sorted(set(have(r, f)) & set(have("ours", f)))
        verdicts.append(compare_searches(log_regret(r, f, common), log_regret("ours", f, common), names=(r, "ours"),
                                         higher_is_better=False, statistic="median", unit="log10 regret"))
    outcome = dict(zip(pairs, adjust(verdicts)))
    lines = ["median simple regret after the budget (n = seeds run); vs ours: + better, - worse, ? not decided",
             "(Wilcoxon signed-rank on log10 regret, paired on seeds, Holm across the whole table)", ""]
    lines.append(f"{'':26s}" + "".join(f"{f:>22s}" for f in functions) + f"{'s/ask':>9s}")
    for r in rows:
        cells = []
        for f in functions:
            ss, v = have(r, f), outcome.get((r, f))
            mark = "" if v is None else "?" if v.outcome != "better" else "+" if v.winner == r else "-"
            median = np.median([table[r, f, s][0] for s in ss]) if ss else np.nan
            cells.append(f"{median:>13.3g} (n={len(ss):2d}){mark:>1s}")
        seconds = [table[r, f, s][1] for f in functions for s in have(r, f) if np.isfinite(table[r, f, s][1])]
        per_ask = np.median(seconds) if seconds else np.nan  # random search has no model to time
        lines.append(f"{r:26s}" + "".join(f"{c:>22s}" for c in cells) + f"{per_ask:>9.3f}")
    lines += ["", "verdicts (log10 regret, row minus ours; Holm across all comparisons):"]
    lines += [f"  {f}: {v.text}" for (r, f), v in outcome.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--budget", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rows", nargs="*", default=list(VARIANTS) + list(PEERS))
    parser.add_argument("--functions", nargs="*", default=list(FUNCTIONS))
    parser.add_argument("--csv", default=str(RAW))
    parser.add_argument("--report", action="store_true", help="only print the table of the runs in --csv")
    args = parser.parse_args()
    rows = [r for r in args.rows if available(r)]
    path = Path(args.csv)
    path.parent.mkdir(parents=True, exist_ok=True)
    results = []
    if path.exists():
        with path.open() as file:
            results = [(r, f, int(s), float(g), float(t)) for r, f, s, g, t in csv.reader(file)]
    done = {(r, f, s) for r, f, s, *_ in results}
    # Seed-major order: an interrupted run leaves every row with about as many seeds.
    jobs = [(r, f, s, args.budget) for s in range(args.seeds) for f in args.functions for r in rows
            if (r, f, s) not in done]
    jobs = [] if args.report else jobs
    print(f"{len(jobs)} runs to do, {len(done)} already in {path}", flush=True)
    with Pool(args.jobs) as pool, path.open("a", newline="") as file:
        writer = csv.writer(file)
        for result in pool.imap_unordered(run, jobs):
            results.append(result)
            writer.writerow(result)
            file.flush()
    text = report(results, rows, args.functions, args.seeds)
    print(text)
    (OUT / "bo_ablation.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
