"""Verdicts: the sentence a chapter prints about two methods, with one of three outcomes.

A comparison ends in one of three ways, never two (Lakens, 2017: "not significant" is not
"equal"):

- **better**: the (table-wide adjusted) p-value is below alpha *and* the 1 - alpha interval
  of the difference excludes 0; the winner is named, with the effect, interval and p.
- **equivalent**: a margin was stated before the experiment, and the whole 1 - alpha interval
  lies inside (-margin, +margin). That is a TOST at alpha / 2 on each side (conservative;
  Schuirmann, 1987), on the same interval the text prints, so the reader can check it.
- **undecided**: anything else, reported with the interval (the differences still possible)
  and the difference the experiment could have detected with 80 % power.

``compare_searches`` judges two searches run on the same seeds (Wilcoxon signed-rank,
BCa bootstrap interval of the mean paired difference); ``compare_models`` two classifiers
scored on the same examples (exact McNemar and a bootstrap over examples, or, with a seed
axis, a two-level bootstrap over seeds and examples). ``adjust`` and ``judge_table`` adjust the
p-values of every comparison of a table together (Holm by default) and decide again.

API: ``Verdict``, ``compare_searches``, ``compare_models``, ``adjust``, ``judge_table``,
``verdicts_frame`` (the module docstring of ``hpo_lessons.experiments.statistics`` lists the
whole statistics layer).

Example::

    >>> rng = np.random.default_rng(0)
    >>> random_search = rng.normal(90.0, 1.0, size=40)
    >>> asha = random_search + rng.normal(1.0, 0.5, size=40)
    >>> v = compare_searches(asha, random_search, names=("ASHA", "random search"), unit="points")
    >>> v.outcome, v.winner
    ('better', 'ASHA')
    >>> print(v)
    ASHA better than random search: +1.15 points (95% CI 0.98 to 1.31), p < 0.001, 40 paired seeds
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from ..core.checks import is_number
from .bootstrap import bootstrap_interval, paired_bootstrap, seed_example_bootstrap
from .power import detectable_difference
from .statistics import _alpha, _correct, _paired, benjamini_hochberg, holm, mcnemar, wilcoxon

__all__ = ["MIN_SEEDS", "Verdict", "adjust", "compare_models", "compare_searches", "judge_table", "verdicts_frame"]

MIN_SEEDS = 3
"""Fewest paired seeds ``compare_searches`` accepts (a bootstrap of fewer is meaningless)."""

_ADJUSTERS = {"holm": ("Holm", holm), "bh": ("Benjamini-Hochberg", benjamini_hochberg)}


@dataclass(frozen=True)
class Verdict:
    """One comparison of A with B, judged.

    outcome : "better" | "equivalent" | "undecided".
    name_a, name_b : what is compared.
    winner : name_a or name_b when outcome is "better", else None.
    effect : the difference A - B (mean over paired seeds, or accuracy difference in points).
    interval : (low, high), the 1 - alpha interval of A - B.
    p : the test's own two-sided p-value; p_adjusted : after the table-wide adjustment
        (equal to p for a comparison judged alone).
    n : paired seeds (``compare_searches``, ``compare_models`` with seeds) or examples.
    margin : the equivalence margin stated in advance, or None.
    detectable : the difference this design detects with ``power`` (same units; inf if none).
    unit : unit of effect, interval, margin and detectable, e.g. "points" ("" for none).
    higher_is_better : whether larger scores are better (accuracy) or smaller (regret, loss).
    alpha, power : the error rate and power the verdict was judged at.
    test : the test behind p; adjustment : "Holm", "Benjamini-Hochberg" or None.
    design : the data in words, e.g. "40 paired seeds", quoted by the text.
    """

    outcome: str
    name_a: str
    name_b: str
    winner: str | None
    effect: float
    interval: tuple[float, float]
    p: float
    p_adjusted: float
    n: int
    margin: float | None
    detectable: float
    unit: str = ""
    higher_is_better: bool = True
    alpha: float = 0.05
    power: float = 0.8
    test: str = ""
    adjustment: str | None = None
    design: str = ""

    @property
    def text(self) -> str:
        """The verdict as one sentence, for a chapter to print and quote."""
        low, high = self.interval
        width = high - low if high > low else max(abs(self.effect), self.margin or 0.0)  # decimals: the interval's
        dec = min(6, max(0, 1 - math.floor(math.log10(width)))) if width > 0 else 2

        def num(x, sign=False):
            return f"{x:+.{dec}f}" if sign else f"{x:.{dec}f}"

        unit = f" {self.unit}" if self.unit else ""
        level = f"{round(100 * (1 - self.alpha), 2):g}% CI"
        p = self.p_adjusted if self.adjustment else self.p
        p_text = ("p < 0.001" if p < 0.001 else f"p = {p:.2g}")
        p_text = f"{self.adjustment}-adjusted {p_text}" if self.adjustment else p_text
        if self.outcome == "better":
            flip = -1 if self.winner == self.name_b else 1
            loser = self.name_a if flip == -1 else self.name_b
            lo, hi = sorted((flip * low, flip * high))
            lower = "" if self.higher_is_better else "lower is better; "
            return (f"{self.winner} better than {loser}: {num(flip * self.effect, True)}{unit} "
                    f"({lower}{level} {num(lo)} to {num(hi)}), {p_text}, {self.design}")
        diff = f"the difference {self.name_a} - {self.name_b} lies between {num(low, True)} and {num(high, True)}{unit}"
        if self.outcome == "equivalent":
            return (f"{self.name_a} and {self.name_b} equivalent within ±{num(self.margin)}{unit}: {diff} "
                    f"({level}, inside the margin stated in advance), {self.design}")
        if math.isfinite(self.detectable):
            reach = f"{self.design} detect {num(self.detectable)}{unit} with {100 * self.power:g}% power"
        else:
            reach = f"{self.design} are too few for the test to reach p < {self.alpha:g} whatever the difference"
        return f"{self.name_a} vs {self.name_b} not decided at {self.design}: {diff} ({level}, {p_text}); {reach}"

    def __str__(self) -> str:
        return self.text


def _decide(p, interval, margin, alpha, higher_is_better, names):
    """(outcome, winner) from a p-value, the interval and the margin (see the module docstring)."""
    low, high = interval
    if p < alpha and (low > 0 or high < 0):
        a_wins = (low > 0) == higher_is_better
        return "better", names[0] if a_wins else names[1]
    if margin is not None and -margin < low and high < margin:
        return "equivalent", None
    return "undecided", None


def _common(names, margin, alpha, power):
    if isinstance(names, str) or len(names) != 2 or not all(isinstance(x, str) for x in names):
        raise ValueError(f"names must be two strings (name of A, name of B), got {names!r}.")
    if margin is not None and (not is_number(margin) or not 0 < margin < math.inf):
        raise ValueError(f"margin must be None or a positive number in the scores' units, stated before the "
                         f"experiment (the largest difference that does not matter), got {margin!r}.")
    return tuple(names), (None if margin is None else float(margin)), _alpha(alpha), _alpha(power, "power")


def compare_searches(a, b, names=("A", "B"), higher_is_better=True, margin=None, alpha=0.05, unit="",
                     statistic="mean", power=0.8, n_resamples=10_000, seed=0) -> Verdict:
    """Judge two searches run on the same seeds: Wilcoxon signed-rank p, BCa interval of the paired difference.

    Parameters
    ----------
    a, b : array, shape (n_seeds,)
        One final score per seed for each search, seed by seed (at least ``MIN_SEEDS``).
    names : (str, str)
    higher_is_better : bool
        True for accuracy, False for regret or loss.
    margin : float > 0 or None
        Equivalence margin in the scores' units, stated before the experiment.
    alpha : float in (0, 1)
        Error rate; the interval is at 1 - alpha.
    unit : str
        Unit of the scores, quoted in the text ("points", "regret", "").
    statistic : {"mean", "median"}
        Of the paired differences, for the effect and its interval.
    power : float in (0, 1)
        For ``detectable`` (Wilcoxon through its efficiency 3/pi, at the observed SD of the differences).
    n_resamples, seed : int
        Of the bootstrap (deterministic for a seed).

    Returns
    -------
    Verdict

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> a, b = rng.normal(0.0, 1.0, 5), rng.normal(0.0, 1.0, 5)
    >>> v = compare_searches(a, b, names=("BO", "random"), higher_is_better=False)
    >>> v.outcome, v.detectable
    ('undecided', inf)
    """
    names, margin, alpha, power = _common(names, margin, alpha, power)
    d = _paired(a, b, min_n=MIN_SEEDS, names=("a", "b"))
    test = wilcoxon(d)
    iv = bootstrap_interval(d, statistic=statistic, level=1 - alpha, n_resamples=n_resamples, seed=seed)
    outcome, winner = _decide(test.p, (iv.low, iv.high), margin, alpha, higher_is_better, names)
    n = d.size
    return Verdict(outcome, names[0], names[1], winner, iv.estimate, (iv.low, iv.high), test.p, test.p, n, margin,
                   detectable_difference(float(d.std(ddof=1)), n, alpha, power), unit, bool(higher_is_better),
                   alpha, power, f"{test.method}; {iv.method}", None, f"{n} paired seeds")


def compare_models(correct_a, correct_b, names=("A", "B"), margin=None, alpha=0.05, power=0.8,
                   n_resamples=4_000, seed=0) -> Verdict:
    """Judge two classifiers scored on the same examples; effect and interval in accuracy points.

    One seed each (arrays of shape (n_examples,)): exact McNemar p, percentile bootstrap
    interval over examples. Several seeds (shape (n_seeds, n_examples), the seed counts of A
    and B may differ): two-level bootstrap over seeds and examples, its interval and its
    interval-inversion p. ``detectable`` is the normal approximation
    ``(z_{1-alpha/2} + z_power) x bootstrap SE``.

    Parameters
    ----------
    correct_a, correct_b : array of 0/1 or bool, shape (n_examples,) or (n_seeds, n_examples)
    names, margin, alpha, power, n_resamples, seed
        As in ``compare_searches``; margin in accuracy points.

    Returns
    -------
    Verdict
        ``unit="points"``, higher is better.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.random(1000) < 0.95
    >>> b = a & (rng.random(1000) < 0.96)        # B loses about 4 % of A's right answers
    >>> print(compare_models(a, b, names=("wide net", "narrow net")))
    wide net better than narrow net: +4.4 points (95% CI 3.1 to 5.7), p < 0.001, 1000 paired examples
    """
    names, margin, alpha, power = _common(names, margin, alpha, power)
    x, y = _correct("correct_a", correct_a, (1, 2)), _correct("correct_b", correct_b, (1, 2))
    if x.ndim == 1 and y.ndim == 1:
        iv = paired_bootstrap(x, y, level=1 - alpha, n_resamples=n_resamples, seed=seed)
        test, p, n = mcnemar(x, y).method, mcnemar(x, y).p, x.size
        design = f"{n} paired examples"
    else:
        x, y = np.atleast_2d(x), np.atleast_2d(y)
        iv = seed_example_bootstrap(x, y, level=1 - alpha, n_resamples=n_resamples, seed=seed)
        test, p, n = iv.method, iv.p, min(x.shape[0], y.shape[0])
        seeds = f"{x.shape[0]}" if x.shape[0] == y.shape[0] else f"{x.shape[0]} and {y.shape[0]}"
        design = f"{seeds} seeds x {x.shape[1]} examples"
    interval = (100 * iv.low, 100 * iv.high)
    outcome, winner = _decide(p, interval, margin, alpha, True, names)
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return Verdict(outcome, names[0], names[1], winner, 100 * iv.estimate, interval, p, p, n, margin,
                   float(100 * z * iv.se), "points", True, alpha, power, test, None, design)


def adjust(verdicts: Sequence[Verdict], method="holm") -> list[Verdict]:
    """The verdicts of one table, decided again on p-values adjusted across all of them.

    A comparison significant alone may not be after the adjustment: it becomes "undecided"
    (or "equivalent", if its interval lies inside its margin). Intervals are left as they
    are (1 - alpha each, not simultaneous).

    Parameters
    ----------
    verdicts : sequence of Verdict
        Every comparison of the table, each with its own (unadjusted) ``p``.
    method : {"holm", "bh"}
        Holm's step-down (family-wise error) or Benjamini-Hochberg (false discovery rate).

    Returns
    -------
    list of Verdict, in input order

    Examples
    --------
    >>> rng = np.random.default_rng(10)
    >>> base = rng.normal(0.0, 1.0, 12)
    >>> shifts = {"A": 1.2, "B": 0.9, "C": 0.0}
    >>> alone = [compare_searches(base + s + rng.normal(0, 1, 12), base, names=(k, "base")) for k, s in shifts.items()]
    >>> [v.outcome for v in alone], [v.outcome for v in adjust(alone)]
    (['better', 'better', 'undecided'], ['better', 'undecided', 'undecided'])
    """
    verdicts = list(verdicts)
    if method not in _ADJUSTERS:
        raise ValueError(f"method must be 'holm' or 'bh' (Benjamini-Hochberg), got {method!r}.")
    if not all(isinstance(v, Verdict) for v in verdicts):
        raise ValueError("verdicts must all be Verdict objects (from compare_searches or compare_models).")
    if not verdicts:
        return []
    name, func = _ADJUSTERS[method]
    out = []
    for v, p in zip(verdicts, func([v.p for v in verdicts])):
        outcome, winner = _decide(p, v.interval, v.margin, v.alpha, v.higher_is_better,
                                  (v.name_a, v.name_b))
        out.append(replace(v, p_adjusted=float(p), adjustment=name, outcome=outcome, winner=winner))
    return out


def judge_table(scores: Mapping[str, object], baseline=None, higher_is_better=True, margin=None, alpha=0.05,
                unit="", method="holm", **options) -> list[Verdict]:
    """Every comparison of a table of paired seeds, adjusted together.

    Parameters
    ----------
    scores : mapping name -> array of shape (n_seeds,)
        One score per seed for each method, the same seeds in the same order for all.
    baseline : str or None
        Compare each method with this one; None compares every pair (in the mapping's order).
    higher_is_better, margin, alpha, unit
        As in ``compare_searches``.
    method : {"holm", "bh"}
    **options
        Passed to ``compare_searches`` (statistic, power, n_resamples, seed).

    Returns
    -------
    list of Verdict
        One per comparison, p adjusted across all of them.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> seeds = rng.normal(0.0, 1.0, 30)
    >>> table = {"random": seeds, "BO": seeds - 2 + rng.normal(0, 1, 30), "GA": seeds + rng.normal(0, 1, 30)}
    >>> [(v.name_a, v.outcome) for v in judge_table(table, baseline="random", higher_is_better=False)]
    [('BO', 'better'), ('GA', 'undecided')]
    """
    if not isinstance(scores, Mapping) or len(scores) < 2:
        raise ValueError("scores must map at least two method names to their per-seed scores.")
    if baseline is not None and baseline not in scores:
        raise ValueError(f"baseline {baseline!r} is not among the methods {list(scores)}.")
    pairs = ([(k, baseline) for k in scores if k != baseline] if baseline is not None
             else list(itertools.combinations(scores, 2)))
    verdicts = [compare_searches(scores[x], scores[y], names=(x, y), higher_is_better=higher_is_better,
                                 margin=margin, alpha=alpha, unit=unit, **options) for x, y in pairs]
    return adjust(verdicts, method)


def verdicts_frame(verdicts: Sequence[Verdict]):
    """A pandas DataFrame of verdicts, one row each (pandas is imported here, on first use).

    Examples
    --------
    >>> v = compare_searches([3.0, 2.0, 4.0, 5.0], [1.0, 1.5, 2.0, 4.0], names=("A", "B"))
    >>> verdicts_frame([v])[["name_a", "name_b", "outcome", "n"]].to_dict("records")
    [{'name_a': 'A', 'name_b': 'B', 'outcome': 'undecided', 'n': 4}]
    """
    import pandas as pd

    rows = [{"name_a": v.name_a, "name_b": v.name_b, "outcome": v.outcome, "winner": v.winner, "effect": v.effect,
             "low": v.interval[0], "high": v.interval[1], "p": v.p, "p_adjusted": v.p_adjusted, "n": v.n,
             "margin": v.margin, "detectable": v.detectable, "unit": v.unit, "text": v.text} for v in verdicts]
    return pd.DataFrame(rows, columns=["name_a", "name_b", "outcome", "winner", "effect", "low", "high", "p",
                                       "p_adjusted", "n", "margin", "detectable", "unit", "text"])
