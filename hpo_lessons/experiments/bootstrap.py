"""Bootstrap intervals of a paired difference: over seeds, over examples, or over both.

An interval says how large a difference may be, which a p-value alone does not (Agarwal et
al., 2021: report intervals, not point estimates). All resampling here is seeded by
``numpy.random.default_rng(seed)``: the same call gives the same interval. The module docstring
of ``hpo_lessons.experiments.statistics`` lists the whole statistics API.

Example: the mean of 20 paired differences around 1, with its 95 % BCa interval::

    >>> iv = bootstrap_interval(np.linspace(0.0, 2.0, 20))
    >>> round(iv.estimate, 2), iv.low < 1 < iv.high
    (1.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ..core.checks import check_int
from .statistics import _alpha, _correct, _paired, _scores

__all__ = ["Interval", "bootstrap_interval", "paired_bootstrap", "seed_example_bootstrap"]


@dataclass(frozen=True)
class Interval:
    """A bootstrap estimate of a difference, in the units of the data.

    estimate : the statistic on the data as observed.
    low, high : the interval's ends.
    level : its confidence, e.g. 0.95.
    se : standard deviation of the bootstrap estimates (a standard error).
    p : two-sided bootstrap p-value, 2 x the smaller fraction of bootstrap estimates on either side of 0
        (capped at 1): the interval-inversion p-value of a percentile interval.
    method : how the interval was built, for a report.
    """

    estimate: float
    low: float
    high: float
    level: float
    se: float
    p: float
    method: str


def _resampling(level, n_resamples, seed):
    return (_alpha(level, "level"), check_int("n_resamples", n_resamples, 100, why="fewer make a ragged interval"),
            check_int("seed", seed, 0))


def _summarise(estimate, boot, level, method, low=None, high=None) -> Interval:
    tail = (1 - level) / 2
    if low is None:
        low, high = np.quantile(boot, [tail, 1 - tail])
    p = min(1.0, 2 * min(np.mean(boot <= 0), np.mean(boot >= 0)))
    return Interval(float(estimate), float(low), float(high), level, float(np.std(boot, ddof=1)), float(p), method)


def bootstrap_interval(a, b=None, statistic="mean", level=0.95, method="bca", n_resamples=10_000,
                       seed=0) -> Interval:
    """Bootstrap interval of the mean (or median) paired difference a - b over seeds.

    Seeds are resampled with replacement, pairs kept together. ``method="bca"`` is Efron's
    bias-corrected and accelerated interval (bias from the share of bootstrap estimates below
    the observed one, acceleration from the jackknife; what ``scipy.stats.bootstrap(method="BCa")``
    computes); ``"percentile"`` the plain quantiles. Deterministic for a given ``seed``.

    Parameters
    ----------
    a, b : array, shape (n_seeds,)
        Paired scores (or ``a`` the differences and ``b=None``); at least 3 pairs.
    statistic : {"mean", "median"}
    level : float in (0, 1)
    method : {"bca", "percentile"}
    n_resamples, seed : int

    Returns
    -------
    Interval
        In the units of the scores.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = rng.normal(1.0, 1.0, size=50)
    >>> iv = bootstrap_interval(d)
    >>> round(iv.estimate, 2), round(iv.low, 2), round(iv.high, 2)
    (1.13, 0.87, 1.37)
    """
    d = _scores("a", a, min_n=3) if b is None else _paired(a, b, min_n=3)
    level, n_resamples, seed = _resampling(level, n_resamples, seed)
    funcs = {"mean": np.mean, "median": np.median}
    if statistic not in funcs or method not in ("bca", "percentile"):
        raise ValueError(f"statistic must be 'mean' or 'median' and method 'bca' or 'percentile', "
                         f"got {statistic!r} and {method!r}.")
    func, n = funcs[statistic], d.size
    estimate = func(d)
    boot = func(d[np.random.default_rng(seed).integers(0, n, size=(n_resamples, n))], axis=1)
    name = f"{'BCa' if method == 'bca' else 'percentile'} bootstrap of the paired {statistic} over seeds"
    if method == "percentile" or np.all(boot == boot[0]):
        return _summarise(estimate, boot, level, name)
    z0 = special.ndtri(np.mean(boot < estimate))
    jack = np.array([func(np.delete(d, i)) for i in range(n)])
    dev = jack.mean() - jack
    spread = np.sum(dev ** 2)
    accel = np.sum(dev ** 3) / (6 * spread ** 1.5) if spread > 0 else 0.0
    z = special.ndtri(np.array([(1 - level) / 2, (1 + level) / 2]))
    shares = special.ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    if not np.all(np.isfinite(shares)):                    # every estimate on one side: no bias to correct
        return _summarise(estimate, boot, level, name.replace("BCa", "percentile"))
    low, high = np.quantile(boot, shares)
    return _summarise(estimate, boot, level, name, low, high)


def paired_bootstrap(correct_a, correct_b, level=0.95, n_resamples=10_000, seed=0) -> Interval:
    """Percentile bootstrap interval of accuracy(A) - accuracy(B) over examples scored by both models.

    Examples are resampled with replacement, the same ones for both models. The difference
    per example is +1, 0 or -1, so a resample's mean depends only on how many of each it
    draws: drawing those counts from a multinomial is the same bootstrap, at no cost per example.

    Parameters
    ----------
    correct_a, correct_b : array of 0/1 or bool, shape (n_examples,)
    level : float
        Confidence of the interval.
    n_resamples, seed : int
        Bootstrap resamples, and the seed of ``numpy.random.default_rng`` (same seed, same interval).

    Returns
    -------
    Interval
        Difference of accuracies as a fraction (x 100 for points).

    Examples
    --------
    >>> a = [1] * 90 + [0] * 10
    >>> b = [1] * 80 + [0] * 20                  # A right on 10 examples B gets wrong, never the reverse
    >>> iv = paired_bootstrap(a, b)
    >>> iv.estimate, 0.03 < iv.low < iv.high < 0.17
    (0.1, True)
    """
    level, n_resamples, seed = _resampling(level, n_resamples, seed)
    x, y = _correct("correct_a", correct_a, (1,)), _correct("correct_b", correct_b, (1,))
    if x.size != y.size:
        raise ValueError(f"correct_a and correct_b are paired over examples and must have equal lengths, "
                         f"got {x.size} and {y.size}: score both models on the same test set.")
    d = x - y
    n = d.size
    shares = [np.mean(d == 1), np.mean(d == -1), np.mean(d == 0)]
    counts = np.random.default_rng(seed).multinomial(n, shares, size=n_resamples)
    boot = (counts[:, 0] - counts[:, 1]) / n
    return _summarise(d.mean(), boot, level, "percentile bootstrap over examples")


def seed_example_bootstrap(correct_a, correct_b, level=0.95, n_resamples=4_000, seed=0) -> Interval:
    """Two-level percentile bootstrap of accuracy(A) - accuracy(B), trained under several seeds each.

    Each resample draws the test examples with replacement (the same ones for both models:
    the pairing over examples) and, independently for A and for B, their training seeds with
    replacement (seed k of A has nothing to do with seed k of B). The interval thus holds
    both sources of noise, the test sample's and the training seed's (Bouthillier et al., 2021).

    Parameters
    ----------
    correct_a : array of 0/1 or bool, shape (n_seeds_a, n_examples)
    correct_b : array of 0/1 or bool, shape (n_seeds_b, n_examples)
        Row s: which examples the model trained with seed s got right; columns in the same example order.
    level, n_resamples, seed
        As in ``paired_bootstrap``.

    Returns
    -------
    Interval
        Difference of mean accuracies over seeds, as a fraction.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> a = rng.random((5, 400)) < 0.9           # 5 seeds, about 90 % right
    >>> b = rng.random((5, 400)) < 0.8
    >>> iv = seed_example_bootstrap(a, b, n_resamples=1000)
    >>> round(iv.estimate, 3), iv.low > 0
    (0.098, True)
    """
    level, n_resamples, seed = _resampling(level, n_resamples, seed)
    x, y = _correct("correct_a", correct_a, (2,)), _correct("correct_b", correct_b, (2,))
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"correct_a and correct_b must score the same examples (same number of columns), "
                         f"got {x.shape[1]} and {y.shape[1]}.")
    rng = np.random.default_rng(seed)
    (s_a, n), s_b = x.shape, y.shape[0]
    boot = np.empty(n_resamples)
    for start in range(0, n_resamples, 500):        # 500 resamples at a time: memory of 500 x n_examples
        size = min(500, n_resamples - start)
        examples = rng.multinomial(n, np.full(n, 1 / n), size=size)
        seeds_a = rng.multinomial(s_a, np.full(s_a, 1 / s_a), size=size)
        seeds_b = rng.multinomial(s_b, np.full(s_b, 1 / s_b), size=size)
        diff = (seeds_a @ x) / s_a - (seeds_b @ y) / s_b          # (size, n): per-example accuracy difference
        boot[start:start + size] = np.sum(diff * examples, axis=1) / n
    return _summarise(x.mean() - y.mean(), boot, level, "two-level percentile bootstrap over seeds and examples")
