"""Checks for chapter 12 (population-based training): truncation, perturbation, and what a population costs.

The references are the package's ``PBT`` (its ranking and bottom quantile, told the same
values), the rule of Jaderberg et al. (2017): multiply by 0.8 or 1.2, inside the bounds, and
the count of trials and epochs a ``PBT`` search runs through ``hl.run``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..core.space import Real, Space
from ..methods.pbt import PBT


def _reference_truncation(values: list, quantile: float) -> tuple[list[int], list[int]]:
    """(bottom, top) as ``PBT`` decides them after a synchronous generation told ``values``."""
    pbt = PBT(Space(x=Real(0.0, 1.0)), population_size=len(values), quantile=quantile, max_budget=2, seed=0)
    for member, value in zip(pbt.members, values, strict=True):
        member["value"] = value
    everyone = range(len(values))
    cut = math.floor(quantile * len(values) + 1e-9)
    top = [k for k in pbt._ranked(everyone)[:cut] if values[k] is not None]
    return pbt._bottom(everyone), sorted(top)


def check_truncation(truncate: Callable) -> None:
    """``truncate(values, quantile)``: (bottom, top) member indices, each sorted; values are losses, None failed."""
    cases = [([0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.8, 0.7], 0.25),
             ([0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.8, 0.7, 0.6, 0.05], 0.25),  # floor(2.5) = 2 copy, 2 are copied
             ([0.2, 0.2, 0.2, 0.5, 0.1, 0.2], 0.5),  # ties: the lower index ranks higher
             ([0.4, None, 0.1, 0.3, 0.2, 0.6, 0.5, 0.7], 0.25),  # a failure always copies, whatever its rank
             ([None, None, None, 0.3, 0.2, 0.6, 0.5, 0.7], 0.25),  # more failures than the bottom quantile
             ([0.5, 0.25], 0.5)]
    for values, quantile in cases:
        got = truncate(list(values), quantile)
        assert got is not None and len(got) == 2, "truncate must return two lists: (bottom, top)."
        bottom, top = sorted(int(i) for i in got[0]), sorted(int(i) for i in got[1])
        want_bottom, want_top = _reference_truncation(values, quantile)
        cut = math.floor(quantile * len(values) + 1e-9)
        if len(top) == math.ceil(quantile * len(values)) != cut:
            raise AssertionError(f"{len(values)} members and quantile {quantile}: floor({quantile} * {len(values)}) "
                                 f"= {cut} members are copied, not ceil = {len(top)}.")
        reversed_ranks = [None if v is None else -v for v in values]
        if top == sorted(_reference_truncation(reversed_ranks, quantile)[1]) != want_top:
            raise AssertionError("your top members have the largest values: the values are losses, minimized; "
                                 "the best are the smallest.")
        if any(values[k] is None for k in top):
            raise AssertionError("a failed member (value None) is in your top: nobody can copy a failed training.")
        if any(values[k] is None and k not in bottom for k in range(len(values))):
            raise AssertionError(f"values {values}: a failed member must copy a top member, whatever the quantile "
                                 "says: put every failure in the bottom.")
        assert (bottom, top) == (sorted(want_bottom), want_top), (
            f"values {values}, quantile {quantile}: you give bottom {bottom}, top {top}; PBT gives bottom "
            f"{sorted(want_bottom)}, top {want_top}. Rank by value (failures last, ties to the lower index); the "
            f"last floor(q n) and every failure copy from the first floor(q n).")
    print("Right: the bottom floor(q n) and every failure copy from the top floor(q n), ties to the lower index.")


def check_perturb(perturb: Callable) -> None:
    """``perturb(value, low, high, rng)``: ``value`` times 0.8 or 1.2 (one of them at random), kept in [low, high]."""
    rng = np.random.default_rng(0)
    for value, low, high in [(0.01, 1e-4, 1.0), (0.9, 1e-4, 1.0), (2e-4, 1e-4, 1.0), (0.5, 0.45, 0.55)]:
        seen = {round(float(perturb(value, low, high, rng)), 12) for _ in range(60)}
        allowed = {round(min(max(value * f, low), high), 12) for f in (0.8, 1.2)}
        shifted = [value + d for d in (-0.2, 0.2)]
        added = {round(x, 12) for x in shifted} | {round(min(max(x, low), high), 12) for x in shifted}
        if seen <= added and not seen <= allowed:
            raise AssertionError("you add or subtract 0.2: the rule multiplies, by 0.8 or 1.2 (a learning rate of "
                                 "0.001 and one of 0.1 move by the same share).")
        if any(x > high or x < low for x in seen):
            raise AssertionError(f"perturbing {value} in [{low}, {high}] gave {sorted(seen)}: clip the result to "
                                 "the bounds (PBT may not leave the search space).")
        assert seen <= allowed, f"perturbing {value} in [{low}, {high}] gave {sorted(seen)}; allowed: {allowed}."
        assert seen == allowed, (f"perturbing {value} in [{low}, {high}] 60 times gave only {sorted(seen)}: draw the "
                                 "factor at random from (0.8, 1.2) each time.")
    print("Right: times 0.8 or 1.2 at random, clipped to the bounds.")


def check_cost(answer: dict) -> None:
    """``answer``: for 8 members, intervals of 3 epochs, 12 epochs each: "trials", "epochs_trained",
    "budget_counted" (the sum of the trials' budgets, what ``run(total_budget=...)`` counts)."""
    assert isinstance(answer, dict) and {"trials", "epochs_trained", "budget_counted"} <= set(answer), (
        'give a dict with the keys "trials", "epochs_trained" and "budget_counted".')
    pbt = PBT(Space(x=Real(0.0, 1.0)), population_size=8, interval=3, max_budget=12, seed=0)
    budgets = [pbt.budget(k) for k in range(pbt.n_intervals)] * pbt.population_size
    trials, trained, counted = pbt.size, 8 * 12, sum(budgets)
    assert answer["trials"] == trials, (f"{answer['trials']} trials: each member runs one trial per interval, "
                                        f"12 / 3 = 4 intervals for 8 members: {trials}.")
    if answer["epochs_trained"] == counted:
        raise AssertionError("each trial continues its parent's checkpoint: it trains its interval (3 epochs), not "
                             "its whole budget.")
    assert answer["epochs_trained"] == trained, f"8 members each trained to 12 epochs: {trained} epochs in all."
    if answer["budget_counted"] == trained:
        raise AssertionError("a trial's budget is the epoch it trains to (3, 6, 9, 12), and run adds up budgets: "
                             "total_budget counts more than the epochs trained. Count the budgets.")
    assert answer["budget_counted"] == counted, f"the budgets 3 + 6 + 9 + 12 for each of 8 members: {counted}."
    print(f"Right: {trials} trials, {trained} epochs trained, but budgets adding up to {counted}: to race PBT at "
          "equal epochs, count epochs_trained, not the budgets.")
