"""Population-based training raced over many seeds on the two closed-form problems, judged by verdicts.

1. Jaderberg et al.'s toy (2017, Figure 2): PBT against exploit only and explore only, two
   members, 50 intervals of 4 steps; score: the best member's Q at step 200 (optimum 1.2).
2. The noisy quadratic model (Zhang et al., 2019), 100 dimensions, batch 64, 810 steps a
   training: PBT (8 members, intervals of 45 steps), ASHA (10 to 810 steps, eta 3) and random
   search (8 full trainings), each at 8 x 810 = 6,480 SGD steps (ASHA stops at the first trial
   that reaches them: at most one trial over); score: the final expected loss of the best
   training at 810 steps. The best constant learning rate, chosen in hindsight from the closed
   form, is printed as a line no constant-rate method can pass.

Verdicts: Wilcoxon signed-rank on paired seeds, BCa interval of the paired difference, Holm
across each table (``hpo_lessons.experiments.verdict.judge_table``).

    .venv/bin/python benchmarks/pbt_races.py --seeds 300 > benchmarks/outputs/pbt_races.txt
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import hpo_lessons as hl
from hpo_lessons.benchmarks.quadratic import JaderbergToy, NoisyQuadratic
from hpo_lessons.experiments.verdict import judge_table

STEPS, POPULATION, INTERVAL = 810, 8, 45
TOY_START = [{"h0": 1.0, "h1": 0.0}, {"h0": 0.0, "h1": 1.0}]


def toy_final(seed: int, **switches) -> float:
    toy = JaderbergToy()
    pbt = hl.PBT(toy.space, population_size=2, quantile=0.5, interval=4, max_budget=200, perturb=0.1,
                 resample_probability=0, initial=TOY_START, seed=seed, **switches)
    return hl.run(toy, pbt, progress=False).best.value


def nqm_final(method: str, seed: int) -> float:
    nqm = NoisyQuadratic(max_budget=STEPS)
    if method == "PBT":
        pbt = hl.PBT(nqm.space, population_size=POPULATION, interval=INTERVAL, max_budget=STEPS, seed=seed)
        return hl.run(nqm, pbt, progress=False).best.value
    if method == "random search":
        return hl.run(nqm, hl.RandomSearch(nqm.space, seed=seed), n_trials=POPULATION, progress=False).best.value
    spent = []

    def stop_at_equal_steps(history, trial):
        spent.append(trial.extras["epochs_trained"])
        if sum(spent) >= POPULATION * STEPS:
            raise hl.StopSearch

    asha = hl.ASHA(nqm.space, min_budget=10, max_budget=STEPS, eta=3, seed=seed)
    return hl.run(nqm, asha, n_trials=10_000, callbacks=[stop_at_equal_steps], progress=False).best.value


def main(n_seeds: int) -> None:
    start = time.perf_counter()
    seeds = range(n_seeds)
    toy = {"PBT": [toy_final(s) for s in seeds], "exploit only": [toy_final(s, explore=False) for s in seeds],
           "explore only": [toy_final(s, exploit=False) for s in seeds]}
    print(f"Jaderberg et al.'s toy, {n_seeds} seeds: median Q at step 200 (optimum 1.2)")
    for name, values in toy.items():
        print(f"  {name:14s} {np.median(values):.4f}  (25-75%: {np.percentile(values, 25):.4f}-"
              f"{np.percentile(values, 75):.4f})")
    for v in judge_table(toy, baseline="PBT", higher_is_better=True, unit="Q"):
        print("  " + v.text)
    nqm = {name: [nqm_final(name, s) for s in seeds] for name in ("PBT", "ASHA", "random search")}
    model = NoisyQuadratic(max_budget=STEPS)
    rates = np.geomspace(1e-3, 1.0, 400)
    oracle = min(model.loss([(STEPS, a)]) for a in rates)
    print(f"\nNoisy quadratic model, {n_seeds} seeds, {POPULATION * STEPS} SGD steps each: median final loss")
    for name, values in nqm.items():
        print(f"  {name:14s} {np.median(values):.5f}  (25-75%: {np.percentile(values, 25):.5f}-"
              f"{np.percentile(values, 75):.5f})")
    print(f"  best constant learning rate in hindsight: {oracle:.5f}")
    for v in judge_table(nqm, baseline="PBT", higher_is_better=False, unit="loss"):
        print("  " + v.text)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300)
    main(parser.parse_args().seeds)
