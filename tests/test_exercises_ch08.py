"""Chapter 8's exercise checks accept the worked solutions and reject plausible wrong answers.

References: scipy.stats.mannwhitneyu and scipy.stats.permutation_test decide the cases of
``check_real_difference``; a 20,000-resample percentile bootstrap (Efron & Tibshirani, 1993) is
the reference interval of ``check_median_difference_ci``.
"""

import numpy as np
import pytest
from scipy import stats

from hpo_lessons.exercises import ch08
from hpo_lessons.exercises.ch08 import check_median_difference_ci, check_real_difference


def permutation_solution(a, b, alpha=0.05, n_perm=4000, seed=0):
    """The notebook's solution: a permutation test of the difference of medians."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    observed = abs(np.median(a) - np.median(b))
    shuffled = np.random.default_rng(seed).permuted(np.tile(np.concatenate([a, b]), (n_perm, 1)), axis=1)
    null = np.abs(np.median(shuffled[:, :len(a)], axis=1) - np.median(shuffled[:, len(a):], axis=1))
    return bool((1 + np.sum(null >= observed)) / (1 + n_perm) < alpha)


def rank_solution(a, b, alpha=0.05):
    return bool(stats.mannwhitneyu(a, b).pvalue < alpha)


def bootstrap_solution(a, b, level=0.95, seed=0, n_boot=2000):
    rng = np.random.default_rng(seed)
    diffs = np.median(rng.choice(a, (n_boot, len(a))), axis=1) - np.median(rng.choice(b, (n_boot, len(b))), axis=1)
    return tuple(np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2]))


def test_the_cases_are_decided_by_scipy_rank_and_permutation_tests():
    for name, a, b, real, _ in ch08._difference_cases():
        perm = stats.permutation_test((a, b), lambda u, v: np.median(u) - np.median(v), n_resamples=9999,
                                      random_state=0).pvalue
        assert (stats.mannwhitneyu(a, b).pvalue < 0.05) == real == (perm < 0.05), name


def test_checks_accept_the_solutions(capsys):
    check_real_difference(permutation_solution)
    check_real_difference(rank_solution)
    check_median_difference_ci(bootstrap_solution)
    assert capsys.readouterr().out.count("Correct") == 3


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, b, alpha: bool(abs(np.mean(a) - np.mean(b)) > ch08.IMAGE), "2 seeds"),  # means, no test
    (lambda a, b, alpha: bool(np.median(a) != np.median(b)), "2 seeds"),  # medians, no test
    (lambda a, b, alpha: bool(max(np.min(a), np.min(b)) > min(np.max(a), np.max(b))), "2 seeds"),  # overlap
    (lambda a, b, alpha: bool(bootstrap_solution(a, b)[0] > 0 or bootstrap_solution(a, b)[1] < 0), "2 seeds"),
    (lambda a, b, alpha: bool(stats.mannwhitneyu(a, b, alternative="less").pvalue < alpha), "two-sided"),
    (lambda a, b, alpha: bool(stats.ttest_ind(a, b, equal_var=False).pvalue < alpha), "test of means"),  # Welch
    (lambda a, b, alpha: bool(stats.permutation_test((a, b), lambda u, v: np.mean(u) - np.mean(v), n_resamples=1999,
                                                     random_state=0).pvalue < alpha), "test of means"),
])
def test_real_difference_check_rejects_wrong_answers(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_real_difference(wrong)


def subtract_intervals(a, b, level=0.95, seed=0):
    low_a, high_a = bootstrap_solution(a, np.zeros(1), level, seed)
    low_b, high_b = bootstrap_solution(b, np.zeros(1), level, seed + 1)
    return low_a - high_b, high_a - low_b


def normal_on_means(a, b, level=0.95, seed=0):
    z = stats.norm.ppf((1 + level) / 2)
    se = np.sqrt(np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b))
    return np.mean(a) - np.mean(b) - z * se, np.mean(a) - np.mean(b) + z * se


@pytest.mark.parametrize("wrong", [
    subtract_intervals,
    normal_on_means,
    lambda a, b, level=0.95, seed=0: tuple(np.quantile(a - b, [(1 - level) / 2, (1 + level) / 2])),
    lambda a, b, level=0.95, seed=0: bootstrap_solution(a, b, 0.95, seed),  # ignores the level
])
def test_difference_ci_check_rejects_wrong_answers(wrong):
    with pytest.raises(AssertionError, match="expected about"):
        check_median_difference_ci(wrong)


def test_difference_ci_check_rejects_200_resamples():
    """200 resamples pass the single-seed check here; their spread over seeds does not."""
    a, b = ch08._ci_case()
    few = lambda a, b, level=0.95, seed=0: bootstrap_solution(a, b, level, seed, n_boot=200)  # noqa: E731
    ref = ch08._reference_difference_ci(a, b, 0.95)
    low, high = few(a, b, 0.95, 0)
    assert max(abs(low - ref[0]), abs(high - ref[1])) <= 0.12 * (ref[1] - ref[0])  # seed 0 alone would pass
    with pytest.raises(AssertionError, match="at least 2000"):
        check_median_difference_ci(few)


def test_the_interval_case_has_overlapping_medians_but_a_real_difference():
    a, b = ch08._ci_case()
    assert ch08._median_ci(a, 0.95)[0] < ch08._median_ci(b, 0.95)[1]
    assert ch08._reference_difference_ci(a, b, 0.95)[0] > 0


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, b, alpha: bool(np.median(a) != np.median(b)), "by chance"),
    (lambda a, b, alpha: bool(max(np.min(a), np.min(b)) > min(np.max(a), np.max(b))), "not a test"),
])
def test_the_30_seed_cases_alone_reject_rules_of_thumb(monkeypatch, wrong, hint):
    cases = ch08._difference_cases()[1:]
    monkeypatch.setattr(ch08, "_difference_cases", lambda: cases)
    with pytest.raises(AssertionError, match=hint):
        check_real_difference(wrong)
