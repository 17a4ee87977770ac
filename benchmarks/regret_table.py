"""Final regret on synthetic functions: this package's methods against Keras Tuner's and Optuna's TPE.

Every method gets the same budget on each function, over the same seeds; the table gives the
median final regret (best value found minus the known minimum) and its interquartile range
over seeds, best method first per function, and the mean wall-clock time per search.

    python benchmarks/regret_table.py                                   # small sizes, minutes
    python benchmarks/regret_table.py --trials 50 --seeds 20 --csv regret.csv
    python benchmarks/regret_table.py --functions branin,ackley:4 --methods random,bayes,optuna-tpe
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import pandas as pd

from hpo_lessons import benchmarks
from hpo_lessons.compare import compare, final_rows
from hpo_lessons.experiments import registry

# Synthetic functions have no budget: only the full-fidelity methods run on them.
FULL_FIDELITY = [m for m in registry.names() if not registry.METHODS[m].needs_budget]

DEFAULT_FUNCTIONS = "branin,ackley:4,rastrigin:4,mixed"
DEFAULT_METHODS = "grid,random,bayes,genetic,kt-random,kt-bayesian,optuna-tpe"


def parse_functions(text: str) -> list[benchmarks.Benchmark]:
    """ "branin,ackley:4" -> [branin(), ackley(4)]."""
    out = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, dim = item.partition(":")
        out.append(benchmarks.get(name, int(dim) if dim else None))
    return out


def regret_table(functions, methods, n_trials: int, n_seeds: int, method_kwargs=None, n_jobs: int = 1) -> pd.DataFrame:
    """One row per (function, method): median and IQR of the final regret over seeds, seconds per search."""
    rows = []
    for bench in functions:
        kwargs = {m: k for m, k in (method_kwargs or {}).items() if m in methods}
        started = time.perf_counter()
        df = compare(bench, bench.space, methods, n_trials=n_trials, seeds=n_seeds, minimum=bench.minimum,
                     method_kwargs=kwargs, progress=sys.stderr.isatty(), n_jobs=n_jobs)  # fmt: skip
        print(f"{bench.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        final = final_rows(df)
        for method, group in final.groupby("method", sort=False):
            q25, q50, q75 = group["regret"].quantile([0.25, 0.5, 0.75])
            last = df[(df["method"] == method) & ~df["copied"]].groupby("seed")["elapsed"].max()
            rows.append({"function": bench.name, "method": method, "median_regret": q50, "iqr_regret": q75 - q25,
                         "seconds_per_search": last.mean()})  # fmt: skip
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("function")["median_regret"].rank(method="min").astype(int)
    return table.sort_values(["function", "rank"], kind="stable").reset_index(drop=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--functions", default=DEFAULT_FUNCTIONS, help=f"name[:dim],... (default {DEFAULT_FUNCTIONS})")
    parser.add_argument("--methods", default=DEFAULT_METHODS, help=f"comma-separated, from {', '.join(FULL_FIDELITY)}")
    parser.add_argument("--trials", type=int, default=30, help="trials per search (default 30)")
    parser.add_argument("--seeds", type=int, default=5, help="searches per method and function (default 5)")
    parser.add_argument("--jobs", type=int, default=1, help="searches at once in worker processes (default 1)")
    parser.add_argument("--csv", help="also write the table here")
    args = parser.parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    try:
        functions = parse_functions(args.functions)
    except ValueError as exc:
        parser.error(str(exc))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    unknown = sorted(set(methods) - set(FULL_FIDELITY))
    if unknown:
        parser.error(f"--methods: {', '.join(unknown)} not among {', '.join(FULL_FIDELITY)}")
    table = regret_table(functions, methods, args.trials, args.seeds, n_jobs=args.jobs)
    print(f"\nFinal regret after {args.trials} trials, median [IQR] over {args.seeds} seeds (lower is better)\n")
    shown = table.assign(regret=[f"{m:.3g} [{i:.2g}]" for m, i in zip(table["median_regret"], table["iqr_regret"])])
    wide = shown.pivot(index="method", columns="function", values="regret")
    wide = wide.loc[table.groupby("method")["rank"].mean().sort_values().index]  # best on average first
    print(wide.to_string())
    print("\nSeconds per search (mean over seeds):\n")
    print(table.pivot(index="method", columns="function", values="seconds_per_search").loc[wide.index].round(3)
          .to_string())  # fmt: skip
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"\nwrote {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
