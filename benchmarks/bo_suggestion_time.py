"""Time per suggestion and simple regret: this package's BayesianOptimization against Keras Tuner's.

Both optimizers run on the same 6-D function for ``max(sizes)`` evaluations per seed, in the same
process, with the same BLAS thread count. A suggestion's time is the wall time of
``BayesianOptimization.ask()`` and of ``BayesianOptimizationOracle.populate_space()`` (the part
of Keras Tuner's ``create_trial`` that chooses the point, without its file writes). The time "at n
observations" is the median over seeds of the suggestions made with n - 2 ... n + 2 results told.

    python benchmarks/bo_suggestion_time.py --seeds 3 --sizes 25 50 100

Not a test: it prints a table, and exits 1 when the goal (at most half Keras Tuner's time at every
size, and no size where Keras Tuner's regret is better by a paired verdict, Holm across the sizes)
is missed. The regret columns are medians over the seeds; at a few seeds the verdicts say how
little they can decide.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings

import numpy as np

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.experiments import verdict

HARTMANN_MIN = -3.322368  # at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)
A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
              [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6() -> benchmarks.Benchmark:
    """Hartmann-6 on [0, 1]^6: four Gaussian wells, minimum -3.32237 (the standard 6-D BO test)."""
    space = hl.Space(**{f"x{i + 1}": hl.Real(0.0, 1.0) for i in range(6)})
    f = lambda x: -np.exp(-np.einsum("ij,nij->ni", A, (np.atleast_2d(x)[:, None, :] - P) ** 2)) @ ALPHA
    argmin = dict(zip(space.names, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]))
    return benchmarks.Benchmark("hartmann6", space, HARTMANN_MIN, [argmin], f)


def run_ours(bench, n: int, seed: int) -> tuple[list[float], list[float]]:
    """Suggestion times (indexed by the number of results told) and values of one search."""
    bo = hl.BayesianOptimization(bench.space, seed=seed)
    times, values = [], []
    for _ in range(n):
        start = time.perf_counter()
        suggestion = bo.ask()
        times.append(time.perf_counter() - start)
        values.append(bench(suggestion.params))
        bo.tell(suggestion, values[-1])
    return times, values


def run_keras_tuner(bench, n: int, seed: int, directory: str) -> tuple[list[float], list[float]]:
    """The same with keras_tuner.oracles.BayesianOptimizationOracle, fed through its Oracle API."""
    import keras_tuner as kt

    from hpo_lessons.frameworks.kt_oracle import params_from_hp, to_hyperparameters

    oracle = kt.oracles.BayesianOptimizationOracle(
        objective=kt.Objective("value", "min"), max_trials=n, hyperparameters=to_hyperparameters(bench.space),
        seed=seed + 1)  # Keras Tuner reads seed 0 as "no seed"
    oracle._set_project_dir(directory, f"{bench.name}_{seed}")
    oracle.verbose = 0
    times, values = [], []
    populate = oracle.populate_space

    def timed_populate(trial_id):
        start = time.perf_counter()
        response = populate(trial_id)
        times.append(time.perf_counter() - start)
        return response

    oracle.populate_space = timed_populate
    for _ in range(n):
        trial = oracle.create_trial("benchmark")
        values.append(bench(params_from_hp(trial.hyperparameters.values, bench.space)))
        oracle.update_trial(trial.trial_id, {"value": values[-1]})
        trial.status = kt.engine.trial.TrialStatus.COMPLETED
        oracle.end_trial(trial)
    return times, values


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="searches per optimizer (default 3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100], help="observation counts to time")
    parser.add_argument("--function", default="hartmann6", choices=["hartmann6", "ackley", "rastrigin", "rosenbrock"],
                        help="6-D test function (default hartmann6)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both (default 1)")
    args = parser.parse_args(argv)
    if args.seeds < 1 or min(args.sizes) < 3:
        parser.error("--seeds must be >= 1 and every size >= 3")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")  # scikit-learn's GP warns about hyperparameters at their bounds
    from threadpoolctl import threadpool_limits

    bench = hartmann6() if args.function == "hartmann6" else benchmarks.get(args.function, dim=6)
    n = max(args.sizes) + 3
    results = {"this package": [], "Keras Tuner": []}
    with threadpool_limits(args.threads), tempfile.TemporaryDirectory() as directory:
        for seed in range(args.seeds):
            for name, search in [("this package", lambda s: run_ours(bench, n, s)),
                                 ("Keras Tuner", lambda s: run_keras_tuner(bench, n, s, directory))]:
                start = time.perf_counter()
                results[name].append(search(seed))
                print(f"seed {seed} {name:>12}: {time.perf_counter() - start:6.1f} s", flush=True)

    def at(name, size):
        return np.median([t for times, _ in results[name] for t in times[size - 2: size + 3]])

    def log_regrets(name, size):  # one per seed, in seed order: the two searches are paired on seeds
        return np.log10([max(min(values[:size]) - bench.minimum, 1e-12) for _, values in results[name]])

    print(f"\n{bench.name}, {args.seeds} seeds, {args.threads} BLAS thread(s); median seconds per suggestion")
    print(f"{'observations':>12} {'this package':>13} {'Keras Tuner':>12} {'ratio':>7}   "
          f"{'regret (ours)':>13} {'regret (KT)':>12}")
    fast = True
    for size in args.sizes:
        ours, kt = at("this package", size), at("Keras Tuner", size)
        r_ours, r_kt = (10 ** np.median(log_regrets(name, size)) for name in ("this package", "Keras Tuner"))
        fast &= ours <= 0.5 * kt
        print(f"{size:>12} {ours:>13.4f} {kt:>12.4f} {ours / kt:>7.3f}   {r_ours:>13.4g} {r_kt:>12.4g}")
    # Regret is judged, not read off two medians: paired on seeds, Holm across the sizes.
    judged = []
    if args.seeds >= verdict.MIN_SEEDS:
        judged = verdict.adjust([verdict.compare_searches(log_regrets("this package", size),
                                                          log_regrets("Keras Tuner", size),
                                                          names=(f"ours at {size}", f"Keras Tuner at {size}"),
                                                          higher_is_better=False, unit="log10 regret")
                                 for size in args.sizes])
        for v in judged:
            print(v.text)
    behind = any(v.outcome == "better" and v.winner.startswith("Keras Tuner") for v in judged)
    ok = fast and not behind
    print("goal (time <= 0.5 x Keras Tuner's at every size, and Keras Tuner's regret better at none):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
