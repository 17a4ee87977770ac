"""Checks for chapter 9 (multi-fidelity tuning): a rung's promotions, Hyperband's brackets, ASHA's rule.

The references are the package's own and the literature's: ``SuccessiveHalving`` promoting a
rung it was told, ``rungs.hyperband_schedule`` and Li et al. (2018)'s Table 1 (R = 81, eta = 3),
and ``ASHA.promotable`` on the same rung.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..core.space import Integer, Space
from ..methods.asha import ASHA
from ..methods.rungs import Config, hyperband_schedule
from ..methods.successive_halving import SuccessiveHalving

# Li, Jamieson, DeSalvo, Rostamizadeh & Talwalkar (2018), Hyperband, JMLR 18(185), Table 1: R = 81, eta = 3.
LI_TABLE_1 = [[(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
              [(34, 3), (11, 9), (3, 27), (1, 81)],
              [(15, 9), (5, 27), (1, 81)],
              [(8, 27), (2, 81)],
              [(5, 81)]]


def _reference_promote(values: list, eta: int) -> list[int]:
    keep = max(1, len(values) // eta)
    ranked = sorted((i for i, v in enumerate(values) if v is not None), key=lambda i: (values[i], i))
    return ranked[:keep]


def _package_promote(values: list, eta: int) -> list[int]:
    """What ``SuccessiveHalving`` promotes from a bottom rung of ``len(values) == eta**k`` told these values."""
    top = round(math.log(len(values), eta))
    sh = SuccessiveHalving(Space(x=Integer(0, 10**6)), 1, eta**top, eta=eta, seed=0)
    asked = [sh.ask() for _ in values]
    for suggestion, value in zip(asked, values, strict=True):
        sh.tell(suggestion, value)
    numbers = {s.params["x"]: i for i, s in enumerate(asked)}
    return [numbers[sh.ask().params["x"]] for _ in range(max(1, len(values) // eta))]


def check_promote(promote: Callable) -> None:
    """``promote(values, eta)``: indices of the configurations a rung sends up, best first."""
    rng = np.random.default_rng(9)
    cases = [([0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.8, 0.7, 0.6], 3),
             ([0.2, 0.2, 0.1, 0.5, 0.2, 0.3, 0.9, 0.2, 0.4], 3),  # ties: the configuration that came first
             ([None, 0.5, 0.1, None, 0.3, 0.2, 0.7, 0.6, 0.4], 3),  # failed trials are never promoted
             ([0.4, None, None, None], 4), ([0.5, 0.25, 0.5, 0.75, 0.125, 0.5, 0.25, 0.5], 2),
             ([0.6, 0.2, 0.8, 0.1, 0.5, 0.3, 0.9, 0.7, 0.4, 0.05], 3),  # a rung that lost a trial: floor(10 / 3)
             ([round(float(v), 2) for v in rng.uniform(size=27)], 3)]
    for values, eta in cases:
        got = promote(list(values), eta)
        assert got is not None, "promote returned None: return the list of indices that go up."
        got = [int(i) for i in got]
        want = _reference_promote(values, eta)
        if len(values) == eta ** round(math.log(len(values), eta)):
            assert want == _package_promote(values, eta), "the reference disagrees with SuccessiveHalving"
        keep = max(1, len(values) // eta)
        assert len(got) == keep, (
            f"a rung of {len(values)} with eta = {eta} sends up floor({len(values)}/{eta}) = {keep} configurations "
            f"(at least one), you send {len(got)}.")
        assert not any(values[i] is None for i in got), (
            f"you promote index {next(i for i in got if values[i] is None)}, whose trial failed (value None); a "
            "failed configuration never goes up: leave it out before ranking.")
        if set(got) == set(_reference_promote([None if v is None else -v for v in values], eta)) != set(want):
            raise AssertionError("you promote the largest values: the values are errors, minimized; the best are "
                                 "the smallest.")
        if sorted(got) == sorted(want) and got != want:
            raise AssertionError(f"the right configurations, in the wrong order: give them best first, {want}.")
        assert got == want, (
            f"for values {values} and eta = {eta} you promote {got}, the rule promotes {want}: the smallest values, "
            "and on a tie the configuration that came first (the lower index).")
    print("Right: the best floor(n / eta), failures never, ties to the configuration that came first.")


def check_hyperband_brackets(brackets: Callable) -> None:
    """``brackets(R, eta)``: for each bracket s = s_max..0, its rungs ``(n_i, r_i)``, Li et al.'s Algorithm 1."""
    got = brackets(81, 3)
    assert got is not None, "brackets returned None: return a list of brackets, each a list of (n_i, r_i)."
    got = [[(int(n), float(r)) for n, r in bracket] for bracket in got]
    assert len(got) == len(LI_TABLE_1), (
        f"for R = 81 and eta = 3 there are s_max + 1 = 5 brackets (s = 4, 3, 2, 1, 0), you give {len(got)}.")
    for s, (mine, paper) in enumerate(zip(got, LI_TABLE_1, strict=True)):
        assert mine == [(n, float(r)) for n, r in paper], (
            f"bracket s = {4 - s} for R = 81: you give {mine}, Li et al.'s Table 1 has {paper}. n = ceil(B / R * "
            "eta**s / (s + 1)) with B = (s_max + 1) R, then n_i = floor(n / eta**i) and r_i = R * eta**(i - s).")
    for ratio, eta in [(27, 3), (9, 3), (16, 2), (243, 3), (100, 4)]:
        got = [[(int(n), float(r)) for n, r in bracket] for bracket in brackets(ratio, eta)]
        want = [[(n, float(r)) for n, r in bracket] for bracket in hyperband_schedule(ratio, eta)]
        if ratio == 243 and len(got) == len(want) - 1:
            raise AssertionError("for R = 243 = 3**5 you give 5 brackets, not 6: math.log(243, 3) is "
                                 f"{math.log(243, 3)!r} in floating point, whose floor is 4. Count the powers of "
                                 "eta in integers instead (multiply by eta while the result is <= R).")
        if ratio == 27 and got != want and got[1][-1][0] == 2:
            raise AssertionError("bracket s = 2 for R = 27 ends with 2 configurations in your table, 1 in Li et "
                                 "al.'s: n_i = floor(n / eta**i) (12 / 9 -> 1), not ceil (that is Keras Tuner's "
                                 "variant).")
        assert got == want, f"for R = {ratio}, eta = {eta} you give {got}, Algorithm 1 gives {want}."
    print("Right: Li et al.'s Table 1, and the same schedule as hyperband_schedule for other R and eta.")


def _package_promotable(rung: dict, promoted: set, eta: int):
    asha = ASHA(Space(x=Integer(0, 10**6)), 1, eta**2, eta=eta, seed=0)
    asha.configs = [Config(n, {"x": n}) for n in range(max(rung, default=-1) + 1)]
    asha.rungs[0], asha.promoted[0] = dict(rung), set(promoted)
    config = asha.promotable(0)
    return None if config is None else config.number


def check_asha_promotion(promotable: Callable) -> None:
    """``promotable(rung, promoted, eta)``: the configuration ASHA sends up from a rung now, or None."""
    cases = [({0: 0.5}, set(), 3),  # one result: the top third of one is no one
             ({0: 0.5, 1: 0.2, 2: 0.4}, set(), 3),
             ({0: 0.5, 1: 0.2, 2: 0.4}, {1}, 3),  # its best has gone up; a rung of 3 has no second place up
             ({0: 0.5, 1: 0.2, 2: 0.4, 3: 0.6, 4: 0.1, 5: 0.3}, {1}, 3),  # 4 came later and is now the best
             ({0: 0.5, 1: 0.2, 2: 0.4, 3: 0.6, 4: 0.1, 5: 0.3}, {1, 4}, 3),
             ({0: None, 1: None, 2: 0.4, 3: None}, set(), 2),  # failures rank last and never go up
             ({0: 0.3, 1: 0.3, 2: 0.3, 3: 0.9}, set(), 2),  # a tie: the one that came first
             ({0: 0.3, 1: 0.3, 2: 0.3, 3: 0.9}, {0}, 2),
             # rungs whose size is not a multiple of eta: a rule that waits for one, or ranks only the first
             # eta * floor(n / eta) results, holds back a configuration ASHA sends up now (it stalls)
             ({0: 0.5, 1: 0.2, 2: 0.4, 3: 0.6}, set(), 3),
             ({0: 0.5, 1: 0.2, 2: 0.4, 3: 0.1}, {1}, 3),
             ({0: 0.5, 1: 0.4, 2: 0.6, 3: 0.7, 4: 0.3}, {1}, 2)]
    for rung, promoted, eta in cases:
        got = promotable(dict(rung), set(promoted), eta)
        want = _package_promotable(rung, promoted, eta)
        if got is None and want is not None and len(rung) % eta:
            raise AssertionError(f"rung {rung}, already promoted {sorted(promoted)}, eta = {eta}: you send up "
                                 f"nothing, ASHA sends up {want}. With {len(rung)} results the top floor({len(rung)}"
                                 f"/{eta}) = {len(rung) // eta} counts every result so far, the latest included; "
                                 "waiting for the rung to reach a multiple of eta stalls ASHA, which never waits.")
        if want is None and got is not None:
            if len(rung) // eta == 0:
                raise AssertionError(f"with {len(rung)} result(s) and eta = {eta}, the top floor({len(rung)}/{eta}) "
                                     "= 0 of the rung is empty: nothing goes up yet (use floor, not ceil).")
            raise AssertionError(f"rung {rung}, already promoted {sorted(promoted)}: you send up {got}, but it is "
                                 f"not in the top floor({len(rung)}/{eta}) = {len(rung) // eta} of the rung, or it "
                                 "failed. Look only inside the top 1/eta, and return None when all of it went up.")
        assert got == want, (
            f"rung {rung}, already promoted {sorted(promoted)}, eta = {eta}: you give {got}, ASHA promotes {want}: "
            "rank the rung (failures last, ties to the lower number), keep its top floor(n / eta), and send up the "
            "best of those not promoted yet.")
    print("Right: ASHA looks inside the top 1/eta of what the rung has seen so far, and never waits.")
