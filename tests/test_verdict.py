"""Verdicts: each outcome from data whose truth is known, Holm across a table, and texts that never
read non-significance as equality. Also runs the statistics modules' docstring examples.

References: the truth the data were drawn with (a shift of 3 SD, identical distributions, a
tiny shift), scipy.stats.binomtest for McNemar's p, holm() (tested against its formula in
tests/test_statistics.py), and detectable_difference (tests/test_power.py).
"""

import doctest
import importlib
import math

import numpy as np
import pytest
from scipy import stats

from hpo_lessons.experiments.power import detectable_difference
from hpo_lessons.experiments.statistics import holm
from hpo_lessons.experiments.verdict import (
    Verdict,
    adjust,
    compare_models,
    compare_searches,
    judge_table,
    verdicts_frame,
)

FORBIDDEN = ["no difference", "equally good", "as good as", "does not beat", "no better than", "same as",
             "no method", "not better", "equal"]


@pytest.mark.parametrize("name", ["statistics", "bootstrap", "power", "verdict"])
def test_docstring_examples_run(name):
    """Reference: each public function's worked example, run as a doctest."""
    if name == "verdict":
        pytest.importorskip("pandas")                                    # verdicts_frame's example
    result = doctest.testmod(importlib.import_module(f"hpo_lessons.experiments.{name}"))
    assert result.attempted > 0 and result.failed == 0


def test_a_shift_of_three_sd_over_100_seeds_is_better_with_the_winner_named():
    """Truth: A's scores are B's plus 3 SD of the paired noise."""
    rng = np.random.default_rng(0)
    b = rng.normal(90.0, 1.0, 100)
    a = b + rng.normal(3.0, 1.0, 100)
    v = compare_searches(a, b, names=("ASHA", "random search"), unit="points")
    assert (v.outcome, v.winner, v.n) == ("better", "ASHA", 100)
    assert v.interval[0] < 3.0 < v.interval[1] and v.effect == pytest.approx(np.mean(a - b))
    assert v.text == (f"ASHA better than random search: {v.effect:+.2f} points (95% CI {v.interval[0]:.2f} to "
                      f"{v.interval[1]:.2f}), p < 0.001, 100 paired seeds")
    assert "100 paired seeds" in v.text and str(v) == v.text
    # the same data as regret (lower is better): now random search wins, and the text says which way is better
    r = compare_searches(a, b, names=("ASHA", "random search"), higher_is_better=False)
    assert (r.outcome, r.winner) == ("better", "random search")
    assert r.text.startswith(f"random search better than ASHA: {-v.effect:+.2f} (lower is better; 95% CI -3.")


def test_identical_distributions_with_a_margin_of_one_sd_at_200_seeds_are_equivalent():
    """Truth: A and B drawn from the same distribution; the margin (1 SD) stated before the draw."""
    rng = np.random.default_rng(1)
    b = rng.normal(0.0, 1.0, 200)
    a = rng.normal(0.0, 1.0, 200)
    v = compare_searches(a, b, margin=1.0, unit="points")
    assert v.outcome == "equivalent" and v.winner is None
    assert -1.0 < v.interval[0] < v.interval[1] < 1.0
    assert "equivalent within ±1.00 points" in v.text or "equivalent within ±1.0 points" in v.text
    assert compare_searches(a, b).outcome == "undecided"                 # without a margin, never equivalent


def test_a_tiny_shift_at_5_and_30_seeds_is_undecided_and_its_detectable_difference_is_larger():
    """Truth: a shift of 0.05 SD. Reference for detectable: detectable_difference at the observed SD."""
    rng = np.random.default_rng(2)
    for n in (5, 30):
        b = rng.normal(0.0, 1.0, n)
        a = b + rng.normal(0.05, 1.0, n)
        v = compare_searches(a, b, names=("BO", "TPE"), unit="points")
        assert v.outcome == "undecided" and v.winner is None
        assert v.detectable > 0.05
        assert v.detectable == detectable_difference(float(np.std(a - b, ddof=1)), n)
        assert f"not decided at {n} paired seeds" in v.text
    assert "too few" in compare_searches(a[:5], b[:5]).text                # 5 seeds: Wilcoxon cannot reach 0.05


def test_holm_across_the_table_turns_a_lone_significance_into_undecided():
    """Reference: holm() on the table's p-values; a comparison significant alone (p < 0.05) but not
    after Holm is "not decided", and its text quotes the Holm-adjusted p."""
    rng = np.random.default_rng(10)
    base = rng.normal(0.0, 1.0, 12)
    alone = [compare_searches(base + s + rng.normal(0, 1, 12), base, names=(k, "base"))
             for k, s in {"A": 1.2, "B": 0.9, "C": 0.0}.items()]
    table = adjust(alone)
    assert [v.p_adjusted for v in table] == pytest.approx(holm([v.p for v in alone]))
    assert alone[1].outcome == "better" and alone[1].p < 0.05 <= table[1].p_adjusted
    assert table[1].outcome == "undecided" and "Holm-adjusted p" in table[1].text
    assert [v.adjustment for v in adjust(alone, method="bh")] == ["Benjamini-Hochberg"] * 3


def test_judge_table_compares_each_method_with_the_baseline_and_adjusts_them_together():
    """Truth: BO's regret is 2 SD below random search's on every seed, GA's the same as random's."""
    rng = np.random.default_rng(2)
    seeds = rng.normal(0.0, 1.0, 30)
    table = {"random": seeds, "BO": seeds - 2 + rng.normal(0, 1, 30), "GA": seeds + rng.normal(0, 1, 30)}
    verdicts = judge_table(table, baseline="random", higher_is_better=False)
    assert [(v.name_a, v.name_b, v.outcome, v.winner) for v in verdicts] == [
        ("BO", "random", "better", "BO"), ("GA", "random", "undecided", None)]
    assert len(judge_table(table)) == 3                                  # every pair
    pytest.importorskip("pandas")
    frame = verdicts_frame(verdicts)
    assert list(frame["outcome"]) == ["better", "undecided"] and frame["text"][0] == verdicts[0].text


def test_compare_models_on_one_seed_uses_exact_mcnemar_and_reports_points():
    """Reference: scipy.stats.binomtest on the discordant examples; effect = accuracy difference x 100."""
    rng = np.random.default_rng(4)
    a = rng.random(600) < 0.9
    b = np.where(rng.random(600) < 0.9, a, rng.random(600) < 0.85)
    v = compare_models(a, b, names=("wide", "narrow"))
    n_a, n_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    assert v.p == pytest.approx(stats.binomtest(n_a, n_a + n_b).pvalue)
    assert v.effect == pytest.approx(100 * (a.mean() - b.mean())) and v.unit == "points"
    assert "600 paired examples" in v.text


def test_compare_models_with_seeds_uses_both_levels():
    """Truth: A is 5 points more accurate than B on every seed; then A against itself re-drawn."""
    rng = np.random.default_rng(5)
    a = rng.random((6, 500)) < 0.9
    b = rng.random((6, 500)) < 0.85
    v = compare_models(a, b)
    assert (v.outcome, v.winner, v.n) == ("better", "A", 6) and "6 seeds x 500 examples" in v.text
    same = compare_models(a, rng.random((4, 500)) < 0.9, margin=3.0)
    assert same.outcome == "equivalent" and "6 and 4 seeds x 500 examples" in same.text


def test_no_verdict_text_reads_non_significance_as_equality():
    """Reference: the phrasings the course forbids, over many verdicts of every outcome and design."""
    rng = np.random.default_rng(6)
    texts, outcomes = [], set()
    for i in range(60):
        n = int(rng.choice([3, 5, 8, 20, 60]))
        b = rng.normal(0.0, 1.0, n)
        a = b + rng.normal(rng.choice([0.0, 0.1, 0.5, 2.0]), rng.choice([0.01, 1.0, 5.0]), n)
        v = compare_searches(a, b, names=("method A", "method B"), higher_is_better=bool(i % 2),
                             margin=rng.choice([None, 0.5, 3.0]), unit=str(rng.choice(["", "points", "regret"])),
                             n_resamples=1000, seed=i)
        texts.append(v.text)
        outcomes.add(v.outcome)
    texts += [v.text for v in adjust([compare_searches(rng.normal(0, 1, 10), rng.normal(0, 1, 10))] * 4)]
    texts.append(compare_models(rng.random(100) < 0.9, rng.random(100) < 0.9).text)
    assert outcomes == {"better", "equivalent", "undecided"}
    for text in texts:
        assert not any(phrase in text.lower() for phrase in FORBIDDEN), text
        assert "nan" not in text.lower(), text


def test_verdicts_are_deterministic_and_frozen():
    """Reference: the same data and seed give the same verdict; a Verdict cannot be changed."""
    rng = np.random.default_rng(7)
    a, b = rng.normal(0, 1, 15), rng.normal(0, 1, 15)
    v = compare_searches(a, b)
    assert v == compare_searches(a, b)
    with pytest.raises(AttributeError):
        v.outcome = "better"
    assert isinstance(v, Verdict) and math.isfinite(v.detectable)


@pytest.mark.parametrize("call, words", [
    (lambda: compare_searches([1.0, 2.0, 3.0], [1.0, 2.0]), "equal lengths"),
    (lambda: compare_searches([1.0, 2.0], [1.0, 2.5]), "at least 3"),
    (lambda: compare_searches([1.0, np.nan, 3.0], [1.0, 2.0, 3.0]), "NaN"),
    (lambda: compare_searches([1.0, 2.0, 3.0], [1.0, 2.0, 2.5], margin=-1.0), "margin must be"),
    (lambda: compare_searches([1.0, 2.0, 3.0], [1.0, 2.0, 2.5], alpha=1.0), "alpha must be"),
    (lambda: compare_searches([1.0, 2.0, 3.0], [1.0, 2.0, 2.5], names="AB"), "names must be"),
    (lambda: compare_models([1, 0, 1], [1, 0]), "equal lengths"),
    (lambda: adjust([1, 2]), "Verdict objects"),
    (lambda: judge_table({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.5]}, baseline="c"), "baseline"),
])
def test_bad_input_is_a_value_error_that_names_the_parameter(call, words):
    """Reference: the message names the parameter and the fix."""
    with pytest.raises(ValueError, match=words):
        call()
