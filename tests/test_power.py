"""Power and detectable differences, against closed forms, scipy.stats.nct and simulation.

References: the normal approximation n = ((z_{1-alpha/2} + z_power) sd / delta)**2 and its
inverse, the power at delta = 0 (alpha), the noncentral t written out with scipy.stats.nct,
and Monte-Carlo rejection rates of the t test and of Wilcoxon's test.
"""

import math

import numpy as np
import pytest
from scipy import stats

from hpo_lessons.experiments.power import ARE_WILCOXON, detectable_difference, power_t, seeds_needed
from hpo_lessons.experiments.statistics import wilcoxon

Z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)


def test_power_is_alpha_with_no_difference_and_matches_the_noncentral_t():
    """References: closed form (power at delta = 0 is alpha); scipy.stats.nct written out for two-sided t."""
    assert power_t(0.0, 1.0, 12) == pytest.approx(0.05, rel=1e-9)
    df, nc = 19, 0.6 * math.sqrt(20) / 1.5
    t_c = stats.t.ppf(0.975, df)
    expected = 1 - stats.nct.cdf(t_c, df, nc) + stats.nct.cdf(-t_c, df, nc)
    assert power_t(0.6, 1.5, 20) == pytest.approx(expected, rel=1e-12)
    assert power_t(-0.6, 1.5, 20) == pytest.approx(expected, rel=1e-12)     # two-sided: symmetric


def test_power_tends_to_the_normal_approximation_for_many_seeds():
    """Reference: closed form, power -> Phi(delta sqrt(n) / sd - z_{1-alpha/2}) as n grows."""
    n, delta, sd = 2000, 0.07, 1.0
    normal = stats.norm.cdf(delta * math.sqrt(n) / sd - stats.norm.ppf(0.975))
    assert power_t(delta, sd, n) == pytest.approx(normal, abs=2e-3)


@pytest.mark.parametrize("delta, sd", [(1.0, 1.0), (0.5, 1.0), (0.2, 0.7), (3.0, 10.0)])
def test_seeds_needed_is_the_smallest_count_that_reaches_the_power(delta, sd):
    """References: scipy.stats.nct (via power_t: power at n >= 0.8 > power at n - 1) and the normal
    closed form, which the t answer exceeds by at most a few seeds (the t's heavier tails)."""
    n = seeds_needed(delta, sd, test="t")
    assert power_t(delta, sd, n) >= 0.8 > power_t(delta, sd, n - 1)
    normal = (Z * sd / delta) ** 2
    assert normal <= n <= normal + 3
    n_w = seeds_needed(delta, sd)                                       # Wilcoxon, through 3 / pi
    assert power_t(delta, sd, n_w * ARE_WILCOXON) >= 0.8 > power_t(delta, sd, (n_w - 1) * ARE_WILCOXON) or n_w == 6


def test_seeds_needed_takes_the_pilot_differences():
    """Reference: the pilot's SD (ddof=1) passed as a number gives the same count."""
    pilot = np.array([0.4, -0.1, 0.9, 0.3, 0.0, 0.6, -0.2])
    assert seeds_needed(0.3, pilot) == seeds_needed(0.3, float(pilot.std(ddof=1)))


@pytest.mark.parametrize("n", [6, 10, 30, 100])
def test_detectable_difference_is_where_power_reaches_the_target(n):
    """References: power_t (scipy.stats.nct) equals 0.8 at the answer; the normal closed form
    Z sd / sqrt(n) is a lower bound that it approaches as n grows."""
    sd = 1.3
    d_t = detectable_difference(sd, n, test="t")
    assert power_t(d_t, sd, n) == pytest.approx(0.8, abs=1e-9)
    assert Z * sd / math.sqrt(n) <= d_t <= Z * sd / math.sqrt(n) * (1 + 2.5 / n)
    d_w = detectable_difference(sd, n)
    assert power_t(d_w, sd, n * ARE_WILCOXON) == pytest.approx(0.8, abs=1e-9)
    assert d_w > d_t


def test_wilcoxon_cannot_detect_anything_with_five_seeds():
    """Reference: closed form; the exact signed-rank test's smallest two-sided p at n pairs is 2 / 2**n,
    0.0625 at n = 5 (so nothing is detectable at alpha = 0.05), 0.03125 at n = 6."""
    assert detectable_difference(1.0, 5) == math.inf
    assert wilcoxon(np.arange(1.0, 6.0)).p == pytest.approx(2 / 2 ** 5)
    assert math.isfinite(detectable_difference(1.0, 6))
    assert seeds_needed(100.0, 1.0) == 6


@pytest.mark.parametrize("delta", [1.0, 0.5])
def test_stated_power_is_met_in_simulation(delta):
    """Reference: simulation. Normal paired differences with mean delta, SD 1, at the seed counts
    seeds_needed gives: the paired t test rejects at the rate power_t states, and Wilcoxon's test at
    0.8 or more, each within 3 Monte-Carlo standard errors (sqrt(0.8 x 0.2 / reps))."""
    rng = np.random.default_rng(int(delta * 10))
    reps = 2000
    tol = 3 * math.sqrt(0.8 * 0.2 / reps)

    n = seeds_needed(delta, 1.0, test="t")
    d = rng.normal(delta, 1.0, (reps, n))
    t = d.mean(axis=1) / (d.std(axis=1, ddof=1) / math.sqrt(n))
    rejected = np.mean(np.abs(t) > stats.t.ppf(0.975, n - 1))
    assert rejected == pytest.approx(power_t(delta, 1.0, n), abs=tol)

    n = seeds_needed(delta, 1.0)
    rejected = np.mean([wilcoxon(row).p < 0.05 for row in rng.normal(delta, 1.0, (reps, n))])
    assert rejected >= 0.8 - tol


@pytest.mark.parametrize("call, words", [
    (lambda: seeds_needed(0.0, 1.0), "delta"),
    (lambda: seeds_needed(0.5, -1.0), "sd"),
    (lambda: seeds_needed(0.5, [1.0]), "pilot"),
    (lambda: seeds_needed(0.5, 1.0, alpha=0.0), "alpha"),
    (lambda: seeds_needed(0.5, 1.0, power=1.0), "power"),
    (lambda: detectable_difference(1.0, 1), "n must be"),
    (lambda: detectable_difference(1.0, True), "n must be"),
    (lambda: detectable_difference(1.0, 10, test="z"), "test must be"),
])
def test_bad_input_is_a_value_error_that_names_the_parameter(call, words):
    """Reference: the message names the parameter."""
    with pytest.raises(ValueError, match=words):
        call()
