"""Paired tests and table-wide p-value adjustment: how the course judges a difference.

Every comparison in the course is *paired*: two models scored on the same test examples, or
two searches run on the same seeds. Pairing removes the variation the two share (hard
examples, lucky seeds), so a paired test sees differences an unpaired one misses
(Dietterich, 1998; Demšar, 2006). The statistics layer is four modules, one idea each:

``statistics`` (this module): tests and p-value adjustment
    ``mcnemar(correct_a, correct_b) -> Result``: exact McNemar on the discordant examples.
    ``wilcoxon(a, b=None, method="auto") -> Result``: Wilcoxon signed-rank on paired seeds.
    ``mann_whitney(a, b) -> Result``: rank test for *unpaired* designs only.
    ``tost(a, b=None, margin=..., alpha=0.05) -> Result``: paired-t equivalence test (two one-sided tests).
    ``holm(pvalues) -> ndarray``, ``benjamini_hochberg(pvalues) -> ndarray``: adjusted p, input order.
``bootstrap``: intervals of a paired difference
    ``bootstrap_interval(a, b=None, statistic="mean", level=0.95, method="bca", n_resamples=10_000, seed=0)``
    ``paired_bootstrap(correct_a, correct_b, level=0.95, n_resamples=10_000, seed=0)``: over examples.
    ``seed_example_bootstrap(correct_a, correct_b, level=0.95, n_resamples=4_000, seed=0)``: seeds and examples.
    Each returns an ``Interval`` (estimate, low, high, level, se, p, method).
``power``: how many seeds, and what they can detect
    ``power_t(delta, sd, n, alpha=0.05) -> float``
    ``seeds_needed(delta, sd, alpha=0.05, power=0.8, test="wilcoxon") -> int``
    ``detectable_difference(sd, n, alpha=0.05, power=0.8, test="wilcoxon") -> float``
``verdict``: the sentence a chapter prints
    ``Verdict``: outcome "better" | "equivalent" | "undecided", with ``.text``.
    ``compare_searches(a, b, names=("A", "B"), higher_is_better=True, margin=None, alpha=0.05, unit="")``
    ``compare_models(correct_a, correct_b, names=("A", "B"), margin=None, alpha=0.05, unit="points")``
    ``adjust(verdicts, method="holm")``, ``judge_table(scores, baseline=None, ...)``, ``verdicts_frame(verdicts)``

Example: two classifiers on the same 8 images; A alone is right on 5, B alone on none::

    >>> a = [1, 1, 1, 1, 1, 1, 0, 1]
    >>> b = [0, 0, 0, 0, 0, 1, 0, 1]
    >>> round(mcnemar(a, b).p, 4)                # 2 x 0.5 ** 5
    0.0625
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..core.checks import is_number

__all__ = ["Result", "benjamini_hochberg", "holm", "mann_whitney", "mcnemar", "tost", "wilcoxon"]


@dataclass(frozen=True)
class Result:
    """The outcome of one test.

    statistic : the test's statistic (see each function for which one).
    p : two-sided p-value (for ``tost``, the larger of the two one-sided p-values).
    n : pairs (or examples) the test used, after dropping what it drops (zeros, concordant pairs).
    method : the test's name, for a report.
    """

    statistic: float
    p: float
    n: int
    method: str


# ----------------------------------------------------------------------------- input checks

def _alpha(value, name="alpha") -> float:
    if not is_number(value) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1 (e.g. 0.05), got {value!r}.")
    return float(value)


def _scores(name, values, min_n=1) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{name} must be one score per seed, shape (n,), got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} holds NaN or inf at positions {np.flatnonzero(~np.isfinite(x)).tolist()}: "
                         "drop those seeds from both arms (a failed run is not a score).")
    if x.size < min_n:
        raise ValueError(f"{name} needs at least {min_n} scores, got {x.size}: run more seeds.")
    return x


def _paired(a, b, min_n=2, names=("a", "b")) -> np.ndarray:
    """a - b, checked: same length, finite, at least min_n pairs."""
    x, y = _scores(names[0], a), _scores(names[1], b)
    if x.size != y.size:
        raise ValueError(f"{names[0]} and {names[1]} are paired (one score each per seed) and must have equal "
                         f"lengths, got {x.size} and {y.size}: keep only the seeds both arms ran.")
    if x.size < min_n:
        raise ValueError(f"{names[0]} and {names[1]} need at least {min_n} paired seeds, got {x.size}.")
    return x - y


def _correct(name, values, ndim) -> np.ndarray:
    x = np.asarray(values)
    if x.ndim not in ndim:
        shapes = " or ".join({1: "(n_examples,)", 2: "(n_seeds, n_examples)"}[d] for d in ndim)
        raise ValueError(f"{name} must be 0/1 correctness of shape {shapes}, got shape {x.shape}.")
    x = x.astype(float)
    if not np.all((x == 0) | (x == 1)):
        raise ValueError(f"{name} must hold only 0/1 (or True/False) per example; "
                         "compare predictions with labels first: correct = (pred == y).")
    if x.shape[-1] < 1:
        raise ValueError(f"{name} holds no examples.")
    return x


# ----------------------------------------------------------------------------- two models, same examples

def mcnemar(correct_a, correct_b) -> Result:
    """Exact McNemar test: do two classifiers scored on the same examples differ in accuracy?

    Only the discordant examples count: ``n_a`` where A alone is right and ``n_b`` where B
    alone is right. Under the null each discordant example is a fair coin, so
    ``n_a ~ Binomial(n_a + n_b, 1/2)``, and the two-sided p-value is
    ``min(1, 2 P(X <= min(n_a, n_b)))`` (what ``scipy.stats.binomtest(n_a, n_a + n_b)`` gives).

    Parameters
    ----------
    correct_a, correct_b : array of 0/1 or bool, shape (n_examples,)
        Whether each model got each example right, examples in the same order.

    Returns
    -------
    Result
        statistic = n_a (examples only A got right), n = n_a + n_b (discordant examples), p exact.

    Examples
    --------
    >>> t = mcnemar([1, 1, 1, 0, 1, 1], [0, 0, 1, 0, 1, 0])
    >>> t.statistic, t.n, round(t.p, 3)          # A alone right 3 times, B alone never: 2 / 2**3
    (3.0, 3, 0.25)
    """
    x, y = _correct("correct_a", correct_a, (1,)), _correct("correct_b", correct_b, (1,))
    if x.size != y.size:
        raise ValueError(f"correct_a and correct_b are paired over examples and must have equal lengths, "
                         f"got {x.size} and {y.size}: score both models on the same test set.")
    n_a, n_b = int(np.sum((x == 1) & (y == 0))), int(np.sum((x == 0) & (y == 1)))
    n = n_a + n_b
    p = 1.0 if n == 0 else min(1.0, 2 * float(stats.binom.cdf(min(n_a, n_b), n, 0.5)))
    return Result(float(n_a), p, n, "exact McNemar")


# ----------------------------------------------------------------------------- two searches, same seeds

def _signed_rank_null(n: int) -> np.ndarray:
    """P(W+ = w), w = 0 .. n(n+1)/2, for n untied nonzero differences (each rank's sign a fair coin)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1
    for r in range(1, n + 1):
        counts[r:] = counts[r:] + counts[:-r].copy()
    return counts / 2.0 ** n


def wilcoxon(a, b=None, method="auto") -> Result:
    """Wilcoxon signed-rank test of paired differences a - b (two searches run on the same seeds).

    Zero differences are dropped (Wilcoxon's own rule, scipy's ``zero_method="wilcox"``);
    tied absolute differences share their mean rank. The statistic is ``min(W+, W-)``.
    ``method="exact"`` takes the p-value from the exact null distribution (valid without
    ties); ``"normal"`` from the normal approximation with the tie correction of the variance
    and no continuity correction (scipy's ``method="asymptotic"``); ``"auto"`` uses exact when
    at most 50 differences remain and none are tied, normal otherwise.

    Parameters
    ----------
    a, b : array, shape (n_seeds,)
        Scores of two searches, seed by seed; or ``a`` the differences and ``b=None``.
    method : {"auto", "exact", "normal"}

    Returns
    -------
    Result
        statistic = min(W+, W-), n = nonzero differences, p two-sided.

    Examples
    --------
    >>> t = wilcoxon([3.1, 2.0, 4.2, 5.0, 3.3, 2.9], [2.0, 1.0, 3.0, 4.5, 3.4, 2.0])
    >>> t.statistic, round(t.p, 4)               # one negative difference, the smallest: W- = 1
    (1.0, 0.0625)
    """
    d = _scores("a", a) if b is None else _paired(a, b, min_n=1)
    if method not in ("auto", "exact", "normal"):
        raise ValueError(f"method must be 'auto', 'exact' or 'normal', got {method!r}.")
    d = d[d != 0]
    n = d.size
    if n == 0:
        return Result(0.0, 1.0, 0, "Wilcoxon signed-rank (all differences zero)")
    ranks = stats.rankdata(np.abs(d))
    w_plus = float(ranks[d > 0].sum())
    w = min(w_plus, n * (n + 1) / 2 - w_plus)
    tied = np.unique(np.abs(d)).size < n
    if method == "exact" or (method == "auto" and n <= 50 and not tied):
        null = _signed_rank_null(n)
        p = min(1.0, 2 * float(null[: int(np.floor(w)) + 1].sum()))
        return Result(w, p, n, "Wilcoxon signed-rank, exact")
    _, ties = np.unique(ranks, return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(ties ** 3 - ties) / 48
    z = (w - n * (n + 1) / 4) / np.sqrt(var)
    return Result(w, float(min(1.0, 2 * stats.norm.cdf(z))), n, "Wilcoxon signed-rank, normal approximation")


def mann_whitney(a, b) -> Result:
    """Mann-Whitney U test for two *unpaired* samples (different seeds, different runs).

    Use it only where the design is unpaired: on paired seeds, ``wilcoxon`` is the test.
    Normal approximation with tie correction and continuity correction (scipy's
    ``mannwhitneyu(method="asymptotic")``).

    Parameters
    ----------
    a : array, shape (n_a,)
    b : array, shape (n_b,)

    Returns
    -------
    Result
        statistic = U of ``a`` (pairs where a wins, ties counting 1/2), n = n_a + n_b, p two-sided.

    Examples
    --------
    >>> t = mann_whitney([5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.5, 5.0])
    >>> t.statistic, round(t.p, 3)                 # a beats b in 19.5 of 20 pairs
    (19.5, 0.027)
    """
    x, y = _scores("a", a, min_n=1), _scores("b", b, min_n=1)
    n_a, n_b = x.size, y.size
    ranks = stats.rankdata(np.concatenate([x, y]))
    u = float(ranks[:n_a].sum() - n_a * (n_a + 1) / 2)
    n = n_a + n_b
    _, ties = np.unique(ranks, return_counts=True)
    var = n_a * n_b / 12 * ((n + 1) - np.sum(ties ** 3 - ties) / (n * (n - 1)))
    if var <= 0:
        return Result(u, 1.0, n, "Mann-Whitney U (all values equal)")
    z = (abs(u - n_a * n_b / 2) - 0.5) / np.sqrt(var)
    return Result(u, float(min(1.0, 2 * stats.norm.sf(z))), n, "Mann-Whitney U, normal approximation")


def tost(a, b=None, margin=None, alpha=0.05) -> Result:
    """Paired-t equivalence test (TOST, Schuirmann 1987; Lakens 2017): is |mean(a - b)| < margin?

    Two one-sided t tests on the paired differences d (n pairs, mean m, standard error
    s / sqrt(n), n - 1 degrees of freedom): H0 m <= -margin (p_low = P(T >= (m + margin) / se))
    and H0 m >= +margin (p_high = P(T <= (m - margin) / se)). Equivalence is shown when both
    are rejected, i.e. when ``p = max(p_low, p_high) < alpha``: the same as the (1 - 2 alpha)
    t interval lying inside (-margin, +margin). The margin is stated before the data are seen.

    Parameters
    ----------
    a, b : array, shape (n_seeds,)
        Paired scores (or ``a`` the differences and ``b=None``); at least 2 pairs.
    margin : float > 0
        Half-width of the equivalence region, in the units of the scores.
    alpha : float in (0, 1)

    Returns
    -------
    Result
        statistic = the smaller of the two one-sided t statistics, p = max(p_low, p_high).

    Examples
    --------
    >>> t = tost([0.1, -0.2, 0.0, 0.15, -0.05, 0.1], margin=0.5)
    >>> t.p < 0.05                               # differences within +-0.2 of 0: equivalent within +-0.5
    True
    """
    d = _scores("a", a, min_n=2) if b is None else _paired(a, b)
    if margin is None or not is_number(margin) or not 0 < margin < np.inf:
        raise ValueError(f"margin must be a positive number stated before the experiment (the largest difference "
                         f"that does not matter, in the scores' units), got {margin!r}.")
    _alpha(alpha)
    n = d.size
    se = d.std(ddof=1) / np.sqrt(n)
    if se == 0:
        inside = abs(d.mean()) < margin
        return Result(np.inf if inside else -np.inf, 0.0 if inside else 1.0, n, "paired t TOST (no spread)")
    t_low, t_high = (d.mean() + margin) / se, (d.mean() - margin) / se
    p = max(stats.t.sf(t_low, n - 1), stats.t.cdf(t_high, n - 1))
    return Result(float(min(t_low, -t_high)), float(p), n, "paired t TOST")


# ----------------------------------------------------------------------------- many tests in one table

def _pvalues(pvalues) -> np.ndarray:
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1 or not np.all((p >= 0) & (p <= 1)):
        raise ValueError("pvalues must be a flat list of p-values in [0, 1] (no NaN), one per test of the table.")
    return p


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values, in input order (controls the family-wise error rate).

    Sorted ascending, ``p_adj[(i)] = max_{j <= i} min(1, (m - j + 1) p[(j)])`` for i = 1..m
    (Holm, 1979; statsmodels' ``multipletests(method="holm")``). Pass every test of a table at
    once: a test significant alone may not be after Holm.

    Parameters
    ----------
    pvalues : array, shape (m,)

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.5]).round(3).tolist()   # 4 x 0.01, 3 x 0.03, max(2 x 0.04, 0.09), 0.5
    [0.04, 0.09, 0.09, 0.5]
    """
    p = _pvalues(pvalues)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def benjamini_hochberg(pvalues) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values, in input order (controls the false discovery rate).

    Sorted ascending, ``p_adj[(i)] = min_{j >= i} min(1, m p[(j)] / j)`` (Benjamini & Hochberg,
    1995; ``scipy.stats.false_discovery_control(method="bh")``).

    Parameters
    ----------
    pvalues : array, shape (m,)

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = _pvalues(pvalues)
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    out = np.empty(m)
    out[order] = adjusted
    return out

