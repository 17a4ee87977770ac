"""Power: how many paired seeds detect a difference, and what difference a seed count can detect.

A comparison that finds nothing at 5 seeds says little: it could not have found a
difference smaller than ``detectable_difference(sd, 5)``. A chapter picks its seed count
with ``seeds_needed`` from the spread of a pilot run's paired differences, and says the figure.

The computation is the two-sided paired t test's, exact through the noncentral t
distribution: with n pairs whose differences have standard deviation ``sd``, the statistic
follows a noncentral t with n - 1 degrees of freedom and noncentrality ``delta sqrt(n) / sd``.
For Wilcoxon's signed-rank test (what ``compare_searches`` runs) the sample size is scaled
by its asymptotic relative efficiency to the t test under normal differences, 3 / pi = 0.955
(Hodges & Lehmann, 1956): n Wilcoxon pairs count as 0.955 n t pairs. That holds for roughly
normal differences (for heavy tails Wilcoxon does better, never worse than 0.864) and large
n; tests/test_power.py checks it by simulation at the seed counts the course uses. Below 6
pairs the exact Wilcoxon test cannot reach p < 0.05 at all (its smallest p is 2 / 2**n), and
the detectable difference is infinite.

API: ``power_t``, ``seeds_needed``, ``detectable_difference`` (the module docstring of
``hpo_lessons.experiments.statistics`` lists the whole statistics layer).

Example: pilot differences with SD 1.0 point; how many seeds find a 0.5-point difference?

    >>> seeds_needed(0.5, 1.0, test="t"), seeds_needed(0.5, 1.0)        # t test, Wilcoxon
    (34, 35)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from ..core.checks import check_int, check_number, is_number

__all__ = ["ARE_WILCOXON", "detectable_difference", "power_t", "seeds_needed"]

ARE_WILCOXON = 3 / math.pi
"""Asymptotic relative efficiency of Wilcoxon's signed-rank test to the t test, normal data."""


def _sd(sd) -> float:
    if is_number(sd):
        return check_number("sd", sd)
    d = np.asarray(sd, dtype=float)
    if d.ndim != 1 or d.size < 2 or not np.all(np.isfinite(d)):
        raise ValueError("sd must be the standard deviation of the paired differences (a number >= 0) or the "
                         f"pilot's paired differences (at least 2 finite values), got {sd!r}.")
    return float(d.std(ddof=1))


def _level(name, value) -> float:
    if not is_number(value) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}.")
    return float(value)


def _effective_n(n, test) -> float:
    if test not in ("t", "wilcoxon"):
        raise ValueError(f"test must be 't' (paired t) or 'wilcoxon' (signed-rank), got {test!r}.")
    return n * ARE_WILCOXON if test == "wilcoxon" else float(n)


def power_t(delta, sd, n, alpha=0.05) -> float:
    """Power of the two-sided paired t test: P(reject) when the true mean difference is ``delta``.

    ``1 - F(t_c) + F(-t_c)`` with F the noncentral t CDF (df = n - 1, noncentrality
    ``delta sqrt(n) / sd``) and t_c the central t's 1 - alpha/2 quantile.

    Parameters
    ----------
    delta : float
        True mean paired difference, in the scores' units.
    sd : float
        Standard deviation of the paired differences, same units (> 0).
    n : float
        Pairs (seeds), >= 2; a non-integer effective count is allowed.
    alpha : float in (0, 1)

    Returns
    -------
    float in [alpha, 1)

    Examples
    --------
    >>> round(power_t(0.5, 1.0, 34), 3)
    0.808
    """
    sd, alpha = check_number("sd", sd), _level("alpha", alpha)
    if not is_number(n) or n < 2:
        raise ValueError(f"n must be a number of pairs >= 2, got {n!r}.")
    if sd == 0:
        return 1.0 if delta != 0 else alpha
    df, nc = n - 1, abs(delta) * math.sqrt(n) / sd
    t_c = stats.t.ppf(1 - alpha / 2, df)
    # P(T < -t_c) written as P(T' > t_c) with noncentrality -nc: scipy's nct.cdf gives NaN in that far tail.
    return float(stats.nct.sf(t_c, df, nc) + stats.nct.sf(t_c, df, -nc))


def seeds_needed(delta, sd, alpha=0.05, power=0.8, test="wilcoxon") -> int:
    """Smallest number of paired seeds whose test detects a mean difference ``delta`` with the given power.

    Parameters
    ----------
    delta : float > 0
        The difference worth detecting, in the scores' units (decided before the experiment).
    sd : float, or array of shape (n_pilot,)
        SD of the paired differences, or a pilot's paired differences (their SD, ddof=1, is used).
    alpha, power : float in (0, 1)
    test : {"wilcoxon", "t"}
        ``"t"``: the paired t test, exactly (noncentral t). ``"wilcoxon"``: the signed-rank
        test, through its efficiency 3/pi (see the module docstring), and never fewer than
        the 6 pairs its exact p-value needs to go below 0.05.

    Returns
    -------
    int

    Examples
    --------
    >>> seeds_needed(1.0, 1.0, test="t")       # closed-form normal approximation: (1.96 + 0.84)**2 = 7.8
    10
    >>> seeds_needed(0.3, [0.1, -0.4, 0.5, 0.2, -0.1, 0.3, 0.0, 0.6])
    12
    """
    sd, alpha, power = _sd(sd), _level("alpha", alpha), _level("power", power)
    if not is_number(delta) or not 0 < abs(delta) < math.inf:
        raise ValueError(f"delta must be the nonzero difference worth detecting, got {delta!r}.")
    _effective_n(2, test)
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    n = max(2, math.floor((z * sd / delta) ** 2 / (ARE_WILCOXON if test == "wilcoxon" else 1)) - 1)
    if test == "wilcoxon":
        n = max(n, math.ceil(math.log2(2 / alpha)))                 # smallest p of n pairs is 2 / 2**n
    while power_t(delta, sd, _effective_n(n, test), alpha) < power:
        n += 1
    return n


def detectable_difference(sd, n, alpha=0.05, power=0.8, test="wilcoxon") -> float:
    """Smallest mean paired difference that ``n`` seeds detect with the given power (same units as ``sd``).

    Solves ``power_t(delta, sd, n_eff, alpha) = power`` for delta (n_eff = n for the t test,
    0.955 n for Wilcoxon). For large n this tends to ``(z_{1-alpha/2} + z_power) sd / sqrt(n)``.

    Parameters
    ----------
    sd : float, or array of shape (n_pilot,)
        SD of the paired differences, or the paired differences themselves.
    n : int >= 2
        Paired seeds.
    alpha, power : float in (0, 1)
    test : {"wilcoxon", "t"}

    Returns
    -------
    float
        ``inf`` where the test cannot reach ``alpha`` at n pairs (Wilcoxon, 2 / 2**n >= alpha).

    Examples
    --------
    >>> round(detectable_difference(1.0, 30, test="t"), 3)
    0.529
    >>> detectable_difference(1.0, 5)            # Wilcoxon at 5 seeds: p >= 0.0625 whatever the data
    inf
    """
    sd, alpha, power = _sd(sd), _level("alpha", alpha), _level("power", power)
    n = check_int("n", n, 2, why="a paired test needs at least 2 seeds")
    n_eff = _effective_n(n, test)
    if test == "wilcoxon" and 2 / 2 ** n >= alpha:
        return math.inf
    if sd == 0:
        return 0.0
    if power <= alpha:
        return 0.0
    high = sd
    while power_t(high, sd, n_eff, alpha) < power:
        high *= 2
    return float(optimize.brentq(lambda d: power_t(d, sd, n_eff, alpha) - power, 0.0, high, xtol=1e-12 * sd))
