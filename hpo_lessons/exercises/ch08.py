"""Checks for chapter 8: judging whether one method beats another when every search is noisy.

The cases are final regrets over seeds, shaped like a race's: skewed (most searches end near
the optimum, a few far from it), tied (regrets on a table come in whole misclassified images)
and sometimes from very few seeds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

IMAGE = 1 / 359  # one validation image of the digits split: the unit a table's regrets come in


def _regrets(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """``n`` skewed final regrets in whole validation images (geometric counts times ``scale``)."""
    return IMAGE * np.round(scale * rng.geometric(0.35, size=n))


def _difference_cases() -> list[tuple[str, np.ndarray, np.ndarray, bool, str]]:
    """(name, a, b, whether the difference is real, the hint for a wrong answer)."""
    rng = np.random.default_rng(8)
    two_a, two_b = IMAGE * np.array([1.0, 2.0]), IMAGE * np.array([6.0, 9.0])
    same = _regrets(rng, 30, 2.0), _regrets(rng, 30, 2.0)
    shifted = _regrets(rng, 30, 1.0), _regrets(rng, 30, 1.0) + 2 * IMAGE
    apart = np.random.default_rng(12)  # a draw whose medians differ by 2 images by chance alone
    apart = _regrets(apart, 30, 2.0), _regrets(apart, 30, 2.0)
    outlier = same[0].copy()
    outlier[0] = 120 * IMAGE  # one search stuck on a diverging configuration
    stuck = shifted[0].copy()
    stuck[0] = 120 * IMAGE  # the better method, with one search stuck
    return [
        ("2 seeds each", two_a, two_b, False,
         "with 2 seeds per method no test can reach 5%: a rank test's smallest two-sided p-value is 1/3, and a "
         "permutation test has only 6 ways to split 4 results. Compare means or a bootstrap of 2 values and you "
         "will call this real."),
        ("30 seeds, same method", *apart, False,
         "both samples come from the same distribution: their medians differ by 2 images by chance. A difference "
         "is real only when a test (rank or permutation) says chance rarely produces one that large."),
        ("30 seeds, one outlier", outlier, same[1], False,
         "one search with a huge regret moves the mean, not the typical search; use ranks or medians."),
        ("30 seeds, shifted by 2 images", *shifted, True,
         "the ranges overlap, yet every quantile of b is 2 images above a's: over 30 seeds that is real. "
         "Overlapping ranges (or boxes) are not a test."),
        ("30 seeds, shifted the other way", shifted[1], shifted[0], True,
         "the test is two-sided: b better than a is a real difference too."),
        ("30 seeds, shifted by 2 images, one search stuck", stuck, shifted[1], True,
         "29 of a's 30 searches sit 2 images below b's, and one is stuck at 120 images. A test of means "
         "(a t test, or a permutation test of the mean difference) sees the stuck search's variance and "
         "finds nothing (p about 0.74); a rank test or a permutation test of medians finds the shift "
         "(p below 0.001). Regrets are skewed: test the typical search, not the mean."),
    ]


def check_real_difference(real_difference: Callable) -> None:
    """``real_difference(a, b, alpha=0.05)`` -> True when two methods' final regrets differ by more than chance."""
    for name, a, b, real, hint in _difference_cases():
        answer = real_difference(a.copy(), b.copy(), alpha=0.05)
        assert isinstance(answer, (bool, np.bool_)), f"return True or False, got {type(answer).__name__}."
        assert bool(answer) == real, f"case '{name}': expected {real}. Hint: {hint}"
    print("Correct: a rank or permutation test decides, and 2 seeds per method decide nothing.")


def _reference_difference_ci(a, b, level: float, n_boot: int = 20000, seed: int = 123) -> tuple[float, float]:
    """Percentile bootstrap of median(a) - median(b), each sample resampled on its own (Efron & Tibshirani, 1993)."""
    rng = np.random.default_rng(seed)
    ia, ib = rng.integers(0, len(a), (n_boot, len(a))), rng.integers(0, len(b), (n_boot, len(b)))
    diffs = np.median(a[ia], axis=1) - np.median(b[ib], axis=1)
    return tuple(float(q) for q in np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2]))


def _median_ci(x, level: float) -> tuple[float, float]:
    return _reference_difference_ci(x, np.zeros(1), level)


def _ci_case() -> tuple[np.ndarray, np.ndarray]:
    """Final regrets of two methods on a continuous benchmark over 30 seeds each (log-normal, a 30 % shift)."""
    rng = np.random.default_rng(13)
    return np.exp(rng.normal(np.log(2.0), 0.5, 30)), np.exp(rng.normal(np.log(1.4), 0.5, 30))


SEEDS_FOR_SPREAD = 20
MAX_RMS = 0.04
"""Over seeds 0..19, the root-mean-square distance of the interval's ends from the reference, in widths.

Measured over 20 blocks of 20 seeds: 2000 resamples give 0.021 to 0.031, 1000 give 0.027 to
0.045, 200 give 0.054 to 0.089 (a bootstrap's Monte Carlo error shrinks as 1/sqrt(resamples)).
"""


def _ci_spread(median_difference_ci: Callable, a, b, ref_low: float, ref_high: float) -> float:
    width, devs = ref_high - ref_low, []
    for seed in range(SEEDS_FOR_SPREAD):
        low, high = (float(v) for v in median_difference_ci(a.copy(), b.copy(), level=0.95, seed=seed))
        devs += [(low - ref_low) / width, (high - ref_high) / width]
    return float(np.sqrt(np.mean(np.square(devs))))


def check_median_difference_ci(median_difference_ci: Callable) -> None:
    """``median_difference_ci(a, b, level=0.95, seed=0)`` -> (low, high): a percentile-bootstrap interval for
    median(a) - median(b), at least 2000 resamples.

    Reference: a 20,000-resample bootstrap; a right answer with 2000 resamples lands within 10 % of
    the interval's width of it (measured over 50 seeds), subtracting the two medians' own intervals
    15 to 30 % away. Too few resamples (200) can land close for one seed, so the check also runs
    seeds 0..19 and bounds the root-mean-square distance of the ends (``MAX_RMS``).
    """
    a, b = _ci_case()
    for level in (0.95, 0.8):
        answer = median_difference_ci(a.copy(), b.copy(), level=level, seed=0)
        low, high = (float(v) for v in answer)
        ref_low, ref_high = _reference_difference_ci(a, b, level)
        width = ref_high - ref_low
        assert low <= high, f"return (low, high) with low <= high, got ({low:.4g}, {high:.4g})."
        assert abs(low - ref_low) <= 0.12 * width and abs(high - ref_high) <= 0.12 * width, (
            f"at level {level}: got ({low:.3f}, {high:.3f}), expected about ({ref_low:.3f}, {ref_high:.3f}). Resample "
            "a and b with replacement, each on its own, at least 2000 times; take the median of each resample, "
            "their difference, and the (1 - level) / 2 and (1 + level) / 2 quantiles of those differences. "
            "Subtracting one median's interval from the other's gives an interval too wide; a normal interval "
            "around the difference of means answers another question (the mean), and quantiles of a - b "
            "describe single searches, not the medians.")
    ref_low, ref_high = _reference_difference_ci(a, b, 0.95)
    rms = _ci_spread(median_difference_ci, a, b, ref_low, ref_high)
    assert rms <= MAX_RMS, (
        f"over seeds 0..{SEEDS_FOR_SPREAD - 1} the interval's ends move {rms:.3f} interval widths (root mean "
        f"square) from the 20,000-resample reference; 2000 resamples keep them within {MAX_RMS}. Use at least 2000 "
        "resamples (and the seed you are given): with 200, the 2.5 % quantile rests on 5 resampled medians.")
    a_ci, b_ci, (low, high) = _median_ci(a, 0.95), _median_ci(b, 0.95), _reference_difference_ci(a, b, 0.95)
    print(f"Correct. The medians' own 95 % intervals overlap ([{a_ci[0]:.2f}, {a_ci[1]:.2f}] and "
          f"[{b_ci[0]:.2f}, {b_ci[1]:.2f}]), yet their difference's interval [{low:.2f}, {high:.2f}] excludes 0: "
          "overlapping intervals are not a test.")
