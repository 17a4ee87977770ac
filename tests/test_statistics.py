"""Paired tests, bootstrap intervals and p-value adjustment, each against scipy or a closed form.

References are named test by test: scipy.stats (binomtest, wilcoxon, mannwhitneyu, bootstrap,
false_discovery_control, t), Holm's formula written out as statsmodels' ``multipletests``
computes it, and the plug-in variance of a mean for the bootstraps.
"""

import numpy as np
import pytest
from scipy import stats

from hpo_lessons.experiments.bootstrap import bootstrap_interval, paired_bootstrap, seed_example_bootstrap
from hpo_lessons.experiments.statistics import benjamini_hochberg, holm, mann_whitney, mcnemar, tost, wilcoxon

SEEDS = range(6)


# ----------------------------------------------------------------------------- McNemar

@pytest.mark.parametrize("seed", SEEDS)
def test_mcnemar_matches_scipy_binomtest_on_the_discordant_pairs(seed):
    """Reference: scipy.stats.binomtest(n_a, n_a + n_b, 0.5), two-sided."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 300))
    a = rng.random(n) < rng.uniform(0.5, 0.95)
    b = np.where(rng.random(n) < 0.8, a, rng.random(n) < 0.7)          # mostly agreeing, as real models do
    test = mcnemar(a, b)
    n_a, n_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    assert (test.statistic, test.n) == (n_a, n_a + n_b)
    expected = 1.0 if n_a + n_b == 0 else stats.binomtest(n_a, n_a + n_b, 0.5).pvalue
    assert test.p == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_mcnemar_on_identical_and_balanced_predictions_gives_p_one():
    """Reference: closed form; no discordant pair, or as many each way, gives p = 1."""
    a = np.array([1, 0, 1, 1, 0])
    assert mcnemar(a, a).p == 1.0
    assert mcnemar([1, 0, 1, 0], [0, 1, 0, 1]).p == 1.0


# ----------------------------------------------------------------------------- Wilcoxon, Mann-Whitney

@pytest.mark.parametrize("seed", SEEDS)
def test_wilcoxon_exact_matches_scipy_without_ties(seed):
    """Reference: scipy.stats.wilcoxon(zero_method="wilcox", method="exact"), zeros included (dropped by both)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 40))
    a = rng.normal(0.3 * seed, 1.0, n)
    b = a - rng.normal(0.4, 1.0, n)
    b[: seed % 3] = a[: seed % 3]                                        # some exact zeros
    ours = wilcoxon(a, b, method="exact")
    ref = stats.wilcoxon(a, b, zero_method="wilcox", method="exact")
    assert ours.statistic == pytest.approx(ref.statistic)
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-9)
    assert ours.n == n - seed % 3


@pytest.mark.parametrize("seed", SEEDS)
def test_wilcoxon_normal_matches_scipy_with_ties_and_zeros(seed):
    """Reference: scipy.stats.wilcoxon(zero_method="wilcox", correction=False, method="asymptotic"):
    midranks for ties, the tie-corrected variance, zeros dropped."""
    rng = np.random.default_rng(seed)
    d = np.round(rng.normal(0.2, 1.0, 60), 1)                            # rounding makes ties and zeros
    assert np.any(d == 0) and np.unique(np.abs(d)).size < d.size
    ours = wilcoxon(d)                                                   # auto: ties -> normal
    ref = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="asymptotic")
    assert ours.method.endswith("normal approximation")
    assert ours.statistic == pytest.approx(ref.statistic)
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-9)


def test_wilcoxon_all_zero_differences_decide_nothing():
    """Reference: closed form; with every difference zero there is nothing to rank, p = 1."""
    assert wilcoxon([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).p == 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_mann_whitney_matches_scipy_with_ties(seed):
    """Reference: scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True), U of the first sample."""
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(0.5, 1.0, int(rng.integers(5, 40))), 1)
    b = np.round(rng.normal(0.0, 1.0, int(rng.integers(5, 40))), 1)
    ours, ref = mann_whitney(a, b), stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True)
    assert ours.statistic == pytest.approx(ref.statistic)
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-9)


# ----------------------------------------------------------------------------- TOST

@pytest.mark.parametrize("seed", SEEDS)
def test_tost_matches_two_one_sided_t_tests_by_hand(seed):
    """Reference: the two one-sided paired t tests computed by hand with scipy.stats.t."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0.0, 1.0, 25)
    b = a - rng.normal(0.1 * seed, 0.5, 25)
    margin = 0.4
    d = a - b
    se = d.std(ddof=1) / np.sqrt(d.size)
    p_low = 1 - stats.t.cdf((d.mean() + margin) / se, d.size - 1)        # H0: mean <= -margin
    p_high = stats.t.cdf((d.mean() - margin) / se, d.size - 1)           # H0: mean >= +margin
    result = tost(a, b, margin=margin)
    assert result.p == pytest.approx(max(p_low, p_high), rel=1e-9, abs=1e-15)
    # the same as the 90 % t interval inside (-margin, margin)
    half = stats.t.ppf(0.95, d.size - 1) * se
    assert (result.p < 0.05) == (-margin < d.mean() - half and d.mean() + half < margin)


# ----------------------------------------------------------------------------- Holm and Benjamini-Hochberg

def _holm_by_formula(p):
    """statsmodels' multipletests(method="holm"), written out: sort, scale by m - i, running max, cap at 1."""
    p = np.asarray(p, float)
    m = p.size
    order = np.argsort(p)
    out, running = np.empty(m), 0.0
    for i, k in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[k]))
        out[k] = running
    return out


def test_holm_on_a_worked_example():
    """Reference: worked by hand. Sorted 0.01, 0.02, 0.03, 0.04, 0.20 times 5, 4, 3, 2, 1 gives
    0.05, 0.08, 0.09, 0.08 -> 0.09 (running max), 0.20."""
    p = [0.03, 0.20, 0.01, 0.04, 0.02]
    assert holm(p) == pytest.approx([0.09, 0.20, 0.05, 0.09, 0.08])


@pytest.mark.parametrize("seed", SEEDS)
def test_holm_and_bh_match_their_references_in_input_order(seed):
    """References: Holm's formula (statsmodels' multipletests, written out above);
    scipy.stats.false_discovery_control(method="bh") for Benjamini-Hochberg. Ties in p included."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 0.2, int(rng.integers(2, 30))) ** 2
    p[:2] = p[-1]                                                        # tied p-values
    assert holm(p) == pytest.approx(_holm_by_formula(p), rel=1e-12)
    assert benjamini_hochberg(p) == pytest.approx(stats.false_discovery_control(p, method="bh"), rel=1e-12)
    assert np.all(holm(p) >= benjamini_hochberg(p) - 1e-15)              # FWER is stricter than FDR


# ----------------------------------------------------------------------------- bootstraps

@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("method", ["bca", "percentile"])
def test_bootstrap_interval_agrees_with_scipy_bootstrap(seed, method):
    """Reference: scipy.stats.bootstrap (method "BCa" / "percentile"), same data, its own random draws:
    the ends agree within Monte-Carlo error (a few per cent of the interval's width at 10 000 resamples)."""
    rng = np.random.default_rng(seed)
    d = rng.gamma(2.0, 1.0, 40) - 1.5                                    # skewed, where BCa differs from percentile
    ours = bootstrap_interval(d, method=method, n_resamples=10_000, seed=seed)
    ref = stats.bootstrap((d,), np.mean, method="BCa" if method == "bca" else "percentile", n_resamples=10_000,
                          rng=np.random.default_rng(100 + seed)).confidence_interval
    width = ref.high - ref.low
    assert ours.low == pytest.approx(ref.low, abs=0.05 * width)
    assert ours.high == pytest.approx(ref.high, abs=0.05 * width)
    assert ours.estimate == pytest.approx(d.mean())
    assert ours.se == pytest.approx(d.std(ddof=0) / np.sqrt(d.size), rel=0.05)   # plug-in SE of a mean


def test_bootstrap_interval_is_deterministic_and_takes_the_median():
    """Reference: the same seed gives the same interval; the median's estimate is numpy's median."""
    d = np.random.default_rng(7).normal(1.0, 1.0, 31)
    assert bootstrap_interval(d, seed=3) == bootstrap_interval(d, seed=3)
    med = bootstrap_interval(d, statistic="median")
    assert med.estimate == np.median(d) and med.low < med.estimate < med.high


@pytest.mark.parametrize("seed", range(3))
def test_paired_bootstrap_over_examples_has_the_plug_in_standard_error(seed):
    """Reference: closed form; the bootstrap SD of a mean of n values d_i is sqrt(mean((d - mean d)**2) / n).
    Also against a plain index bootstrap (resampled examples), quantiles within Monte-Carlo error."""
    rng = np.random.default_rng(seed)
    a = rng.random(500) < 0.85
    b = np.where(rng.random(500) < 0.85, a, ~a)
    d = a.astype(float) - b
    iv = paired_bootstrap(a, b, n_resamples=20_000, seed=seed)
    assert iv.estimate == pytest.approx(d.mean())
    assert iv.se == pytest.approx(np.sqrt(d.var() / d.size), rel=0.03)
    index = d[rng.integers(0, d.size, (20_000, d.size))].mean(axis=1)
    low, high = np.quantile(index, [0.025, 0.975])
    assert iv.low == pytest.approx(low, abs=0.1 * (high - low))
    assert iv.high == pytest.approx(high, abs=0.1 * (high - low))


def test_seed_example_bootstrap_reduces_to_examples_with_one_seed_and_adds_seed_variance():
    """References: with one seed each, the plug-in SE over examples (as above); with seeds whose
    accuracies differ, the SE exceeds the example-only one, by the plug-in seed variance
    var(row means) / n_seeds added (independent resampling of both levels, to first order)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((1, 800)) < 0.9, rng.random((1, 800)) < 0.8
    d = a[0].astype(float) - b[0]
    one = seed_example_bootstrap(a, b, n_resamples=8_000)
    assert one.se == pytest.approx(np.sqrt(d.var() / d.size), rel=0.05)

    skill = rng.normal(0.0, 0.04, (8, 1))                                # each seed its own accuracy
    a = rng.random((8, 800)) < 0.85 + skill
    b = rng.random((8, 800)) < 0.80 + rng.normal(0.0, 0.04, (8, 1))
    two = seed_example_bootstrap(a, b, n_resamples=8_000)
    seed_var = a.mean(axis=1).var() / 8 + b.mean(axis=1).var() / 8
    example_var = (a.mean(axis=0) - b.mean(axis=0)).var() / 800
    assert two.se == pytest.approx(np.sqrt(seed_var + example_var), rel=0.1)
    assert two.low < a.mean() - b.mean() < two.high


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, words", [
    (lambda: wilcoxon([1.0, 2.0, 3.0], [1.0, 2.0]), "equal lengths"),
    (lambda: wilcoxon([1.0, np.nan, 3.0], [1.0, 2.0, 3.0]), "NaN"),
    (lambda: bootstrap_interval([1.0, 2.0]), "at least 3"),
    (lambda: tost([1.0, 2.0, 3.0], margin=-0.5), "margin must be a positive"),
    (lambda: tost([1.0, 2.0, 3.0], margin=0.5, alpha=1.5), "alpha must be"),
    (lambda: bootstrap_interval([1.0, 2.0, 3.0], level=0), "level must be"),
    (lambda: mcnemar([1, 0, 1], [1, 0]), "equal lengths"),
    (lambda: mcnemar([1, 2, 1], [1, 0, 1]), "0/1"),
    (lambda: seed_example_bootstrap(np.ones((2, 5)), np.ones((2, 4))), "same examples"),
    (lambda: holm([0.1, np.nan]), "pvalues"),
    (lambda: bootstrap_interval([1.0, 2.0, 3.0], n_resamples=True), "n_resamples"),
])
def test_bad_input_is_a_value_error_that_names_the_parameter(call, words):
    """Reference: the message names the parameter and the fix."""
    with pytest.raises(ValueError, match=words):
        call()
