"""Hyperband. Reference: Li et al. (2018), Hyperband, JMLR 18(185), Algorithm 1 and Table 1 (R = 81,
eta = 3), and the issue's figures for R = 27 (27, 21, 13, 8 configurations at 1, 3, 9, 27 epochs)."""

import math
import time
import warnings
from collections import Counter

import pytest

import hpo_lessons as hl
from hpo_lessons.benchmarks.curves import LearningCurves
from hpo_lessons.methods.rungs import hyperband_schedule, rung_budgets, s_max

# Li et al. (2018), Table 1: (n_i, r_i) of each bracket s = 4..0, for R = 81 and eta = 3.
TABLE_1 = [
    [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    [(34, 3), (11, 9), (3, 27), (1, 81)],
    [(15, 9), (5, 27), (1, 81)],
    [(8, 27), (2, 81)],
    [(5, 81)],
]
# The same algorithm for R = 27, eta = 3, worked out by hand: n = ceil(4 * 3**s / (s + 1)), n_i = floor(n / 3**i).
TABLE_27 = [
    [(27, 1), (9, 3), (3, 9), (1, 27)],
    [(12, 3), (4, 9), (1, 27)],
    [(6, 9), (2, 27)],
    [(4, 27)],
]
CURVES = LearningCurves()


def test_schedule_equals_li_et_al_table_1_and_the_r27_table():
    assert hyperband_schedule(81, 3) == TABLE_1
    assert hyperband_schedule(27, 3) == TABLE_27
    per_budget = Counter()
    for bracket in TABLE_27:
        for n, r in bracket:
            per_budget[r] += n
    assert [per_budget[r] for r in (1, 3, 9, 27)] == [27, 21, 13, 8]  # the figures


def test_s_max_does_not_trust_floating_point_logarithms():
    """log(243) / log(3) is 4.999999999999999 in floating point; floor of it would drop a bracket."""
    assert math.floor(math.log(243) / math.log(3)) == 4  # the trap
    assert s_max(243, 3) == 5 and s_max(27, 3) == 3 and s_max(81, 3) == 4 and s_max(1000, 10) == 3
    assert s_max(26.99, 3) == 2 and s_max(2, 3) == 0
    assert s_max(8.1 / 0.3, 3) == 3  # 8.1 / 0.3 is 26.999999999999996
    assert rung_budgets(0.3, 8.1, 3) == [0.3, 0.9, 2.7, 8.1]


def count_trials(history):
    return Counter(t.budget for t in history)


def test_one_iteration_runs_exactly_algorithm_1():
    """One iteration for R = 27 costs 108 + 99 + 108 + 108 = 423 epochs: exactly the table's trials."""
    hb = hl.Hyperband(CURVES.space, min_budget=1, max_budget=27, seed=0)
    history = hl.run(CURVES, hb, total_budget=423, progress=False)
    assert count_trials(history) == {1: 27, 3: 21, 9: 13, 27: 8}
    assert history.budget_spent == 423
    # run asked once more: that trial (bracket 4's first) would go over the budget, so it never ran
    assert len(hb.brackets) == 5 and [b.done for b in hb.brackets] == [True] * 4 + [False]
    [unstarted] = hb.pending.values()
    assert unstarted.params == hb.brackets[4].rungs[0].members[0].params and unstarted.budget == 1
    for bracket, table in zip(hb.brackets, TABLE_27):
        assert [rung.size for rung in bracket.rungs] == [n for n, _ in table]
        assert [hb.budgets[rung.level] for rung in bracket.rungs] == [r for _, r in table]


def test_one_iteration_for_r81_has_table_1_trials():
    hb = hl.Hyperband(CURVES.space, min_budget=1, max_budget=81, seed=1)
    cost = sum(n * r for bracket in TABLE_1 for n, r in bracket)
    history = hl.run(LearningCurves(max_budget=81), hb, total_budget=cost, progress=False)
    expected = Counter()
    for bracket in TABLE_1:
        for n, r in bracket:
            expected[r] += n
    assert count_trials(history) == expected == {1: 81, 3: 61, 9: 35, 27: 19, 81: 10}


def test_each_bracket_promotes_the_best_third_of_its_rungs():
    hb = hl.Hyperband(CURVES.space, min_budget=1, max_budget=27, seed=3)
    hl.run(CURVES, hb, total_budget=423, progress=False)
    for bracket in hb.brackets:
        for lower, upper in zip(bracket.rungs, bracket.rungs[1:]):
            ranked = sorted(lower.members, key=lambda c: (lower.values[c.number], c.number))
            assert upper.members == ranked[: len(lower.members) // 3]


def test_iterations_repeat_with_new_configurations():
    hb = hl.Hyperband(CURVES.space, min_budget=1, max_budget=27, seed=0)
    history = hl.run(CURVES, hb, total_budget=2 * 423, progress=False)
    assert count_trials(history) == {1: 54, 3: 42, 9: 26, 27: 16}
    assert [b.done for b in hb.brackets] == [True] * 8 + [False] and hb.iteration == 2  # one asked, not run
    started = [c for c in hb.configs if c.results]  # the last one was asked, never run
    assert len({CURVES.space.key(c.params) for c in started}) == len(started) == 2 * (27 + 12 + 6 + 4)


def test_overlapping_brackets_keep_workers_busy_and_change_nothing_for_one_worker():
    """overlap=True starts the next bracket while a rung waits; with one worker no rung ever waits."""
    runs = {overlap: hl.run(CURVES, hl.Hyperband(CURVES.space, 1, 27, seed=4, overlap=overlap), total_budget=423,
                            progress=False) for overlap in (False, True)}
    assert [(t.params, t.budget) for t in runs[False]] == [(t.params, t.budget) for t in runs[True]]

    def busy(history):  # the fraction of 4 workers' time spent training, up to the last result
        return sum(t.duration for t in history) / (4 * max(t.start + t.duration for t in history))

    four = {}
    for overlap in (False, True):
        hb = hl.Hyperband(CURVES.space, 1, 27, seed=4, overlap=overlap)
        four[overlap] = hl.run(CURVES, hb, total_budget=846, n_workers=4, executor=hl.Simulated(), progress=False)
        for bracket in hb.brackets:  # each bracket still promotes the best of its own rungs
            for lower, upper in zip(bracket.rungs, bracket.rungs[1:]):
                ranked = sorted(lower.members, key=lambda c: (lower.values[c.number], c.number))
                assert upper.members == ranked[: len(lower.members) // 3]
    assert busy(four[True]) > busy(four[False]) + 0.1


def test_bayesian_searcher_is_told_only_full_budget_results():
    """feedback="full" (BOHB's idea): the GP's data are the full-budget values, stopped configurations failures."""
    bo = hl.BayesianOptimization(CURVES.space, seed=0, n_initial=4, n_candidates=200)
    hb = hl.Hyperband(CURVES.space, 1, 27, searcher=bo, seed=0)
    history = hl.run(CURVES, hb, total_budget=423 + 108, progress=False)
    full = sorted(t.value for t in history if t.budget == 27)
    assert sorted(v for v in bo.y if v is not None) == pytest.approx(full)
    # told once per configuration (when its first result is back), then once more per full-budget result
    # of a configuration that started lower
    promoted_to_full = sum(27 in c.results and min(c.results) < 27 for c in hb.configs)
    assert len(bo.X) == len(hb.configs) - len(bo.pending) + promoted_to_full
    assert len(bo.pending) <= 1  # at most the one asked when the budget ran out


def test_journal_resume_with_one_worker_gives_the_uninterrupted_trials(tmp_path):
    straight = hl.run(CURVES, hl.Hyperband(CURVES.space, 1, 27, seed=7), total_budget=600, progress=False)

    def interrupt(history, trial):
        if len(history) == 40:  # in bracket 1, mid-rung
            raise KeyboardInterrupt

    journal = tmp_path / "hb.jsonl"
    with pytest.warns(UserWarning, match="interrupted"):
        first = hl.run(CURVES, hl.Hyperband(CURVES.space, 1, 27, seed=7), total_budget=600, journal=journal,
                       callbacks=[interrupt], progress=False)
    assert len(first) == 40
    resumed = hl.run(CURVES, hl.Hyperband(CURVES.space, 1, 27, seed=7), total_budget=600, journal=journal,
                     progress=False)
    as_rows = lambda h: [(t.id, t.params, t.budget, t.value) for t in h]  # noqa: E731
    assert as_rows(resumed) == as_rows(straight)


def test_journal_resume_with_two_threads_loses_no_trial_and_runs_none_twice(tmp_path):
    def slow(params, budget):
        time.sleep(0.0005 * budget)
        return CURVES(params, budget)

    def interrupt(history, trial):
        if len(history) == 30:
            raise KeyboardInterrupt  # another trial is still running on the second thread

    journal = tmp_path / "hb2.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        first = hl.run(slow, hl.Hyperband(CURVES.space, 1, 27, seed=8), total_budget=423, n_workers=2,
                       executor="threads", journal=journal, callbacks=[interrupt], progress=False)
    asked = [line for line in journal.read_text().splitlines() if '"event": "ask"' in line]
    assert len(first) == 30 and len(asked) > 30  # one was running when the search stopped
    resumed = hl.run(slow, hl.Hyperband(CURVES.space, 1, 27, seed=8), total_budget=423, n_workers=2,
                     executor="threads", journal=journal, progress=False)
    as_rows = lambda h: [(t.id, t.params, t.budget, t.value) for t in h]  # noqa: E731
    assert as_rows(resumed)[:30] == as_rows(first)  # every finished trial kept, as it was
    ids = [t.id for t in resumed]
    assert len(ids) == len(set(ids)) == 27 + 21 + 13 + 8  # none twice, and the whole iteration ran
    assert count_trials(resumed) == {1: 27, 3: 21, 9: 13, 27: 8} and resumed.budget_spent == 423


def test_whole_epoch_bounds_give_whole_epoch_rungs():
    """Epochs are whole: 1 to 20 epochs with eta 3 trains 2, 7 and 20 epochs (20/9 and 20/3 rounded),
    and every budget the objective receives is an int."""
    assert rung_budgets(1, 20, 3) == [2, 7, 20] and rung_budgets(2, 81, 3) == [3, 9, 27, 81]
    seen = []

    def epochs(params, budget):
        seen.append(budget)
        return params["x"] / budget

    space = hl.Space(x=hl.Real(0.0, 1.0))
    hl.run(epochs, hl.Hyperband(space, min_budget=1, max_budget=20, seed=0), total_budget=200, progress=False)
    assert seen and all(isinstance(b, int) for b in seen) and set(seen) <= {2, 7, 20}
