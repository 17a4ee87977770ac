"""What the default progress bar costs a long multi-fidelity search.

Hyperband on ``LearningCurves`` (microseconds per trial, so the loop's own cost is all there is)
for 2,000 trials, with ``progress=True`` (the default) and ``progress=False``, best of
``--repeats`` runs each. The bar reads the incumbent after every trial; ``History`` keeps it up
to date in O(1) per trial, so the ratio stays near 1 as the search grows (goal: at most 1.5x).
Before, the incumbent was recomputed over every trial at each update: 2,000 trials took 82 s
with the bar against 0.32 s without.

    python benchmarks/progress_overhead.py                 # a few seconds
    python benchmarks/progress_overhead.py --trials 500 1000 2000 4000

Not a test: it prints the table and the load average, and exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time

import hpo_lessons as hl
from hpo_lessons.benchmarks.curves import LearningCurves

GOAL = 1.5


def seconds(n_trials: int, progress: bool, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        curves = LearningCurves()
        optimizer = hl.Hyperband(curves.space, min_budget=1, max_budget=27, eta=3, seed=0)
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # the bar draws on stderr: drawn, not shown
            hl.run(curves, optimizer, n_trials=n_trials, progress=progress)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; best of {args.repeats} runs")
    print(f"{'trials':>7} {'progress=False (s)':>19} {'progress=True (s)':>18} {'ratio':>6}")
    worst = 0.0
    for n in args.trials:
        off, on = seconds(n, False, args.repeats), seconds(n, True, args.repeats)
        worst = max(worst, on / off)
        print(f"{n:7d} {off:19.3f} {on:18.3f} {on / off:6.2f}")
    print(f"largest ratio {worst:.2f} (goal: at most {GOAL})")
    return 0 if worst <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
