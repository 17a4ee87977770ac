"""Checks for chapter 8's exercises: reading a comparison table, and the Pareto front."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _toy_comparison() -> pd.DataFrame:
    """Two methods, three seeds, four trials; regrets chosen so a wrong reduction shows."""
    rng = np.random.default_rng(8)
    rows = []
    for method, scale in (("random", 1.0), ("bayes", 0.1)):
        for seed in range(3):
            regret = np.minimum.accumulate(scale * rng.random(4) * (seed + 1))
            rows += [{"method": method, "seed": seed, "trial": t, "regret": r} for t, r in enumerate(regret)]
    return pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # shuffled: the answer must sort by trial


def check_median_final_regret(median_final_regret) -> None:
    """``median_final_regret(df)`` -> Series by method: the median over seeds of the last trial's regret."""
    df = _toy_comparison()
    last = df.sort_values("trial").groupby(["method", "seed"]).tail(1)
    expected = last.groupby("method")["regret"].median()
    answer = median_final_regret(df.copy())
    assert isinstance(answer, pd.Series), f"return a pandas Series indexed by method, got {type(answer).__name__}"
    assert set(answer.index) == set(expected.index), f"index the result by method: expected {sorted(expected.index)}"
    for method, value in expected.items():
        assert np.isclose(answer[method], value), (
            f"{method}: got {answer[method]:.4g}, expected {value:.4g}. Take each search's *last* trial "
            "(sort by trial, then group by method and seed), then the median over seeds."
        )
    print("Correct: the median over seeds of each search's final regret.")


def check_pareto_mask(pareto_mask) -> None:
    """``pareto_mask(costs)`` -> boolean mask of the non-dominated rows (every objective minimized)."""
    costs = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 3.0], [4.0, 1.0], [2.0, 4.0], [1.0, 5.0], [5.0, 5.0]])
    # [3, 3] is dominated by [2, 3]; [2, 4] by [2, 3]; [5, 5] by all; the duplicate [1, 5] rows both stay
    expected = np.array([True, True, False, True, False, True, False])
    answer = np.asarray(pareto_mask(costs.copy()))
    assert answer.dtype == bool and answer.shape == expected.shape, "return one boolean per row"
    wrong = np.flatnonzero(answer != expected)
    assert not len(wrong), (
        f"rows {wrong.tolist()} are wrong. A row is dominated when another row is <= in every objective "
        "and < in at least one; equal rows do not dominate each other."
    )
    print("Correct: the non-dominated rows form the Pareto front.")
