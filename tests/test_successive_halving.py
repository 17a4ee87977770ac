"""Successive halving. Reference: Jamieson & Talwalkar (2016), Algorithm 1 (keep the best floor(n_i / eta)
of each rung), as the s = s_max bracket of Li et al. (2018), Algorithm 1: 27, 9, 3, 1 at 1, 3, 9, 27."""

import math

import pytest

import hpo_lessons as hl
from hpo_lessons import Categorical, Real, Space
from hpo_lessons.benchmarks.curves import LearningCurves

LETTERS = Space(c=Categorical(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
CURVES = LearningCurves()


def test_a_rung_promotes_exactly_its_best_third_ties_to_the_first_proposed_failures_never():
    """Hand-worked: nine values at budget 1, told in reverse order; the best floor(9 / 3) = 3 go up to 3."""
    sh = hl.SuccessiveHalving(LETTERS, min_budget=1, max_budget=9, searcher=hl.GridSearch(LETTERS))
    asked = [sh.ask() for _ in range(9)]
    assert [s.params["c"] for s in asked] == list("ABCDEFGHI") and {s.budget for s in asked} == {1}
    with pytest.raises(hl.NotReady):  # the rung is handed out; nothing else can start
        sh.ask()
    values = dict(zip("ABCDEFGHI", [0.5, 0.2, None, 0.2, 0.1, 0.9, 0.3, float("nan"), 0.25]))
    for s in reversed(asked):  # the order results arrive in does not matter
        sh.tell(s, values[s.params["c"]])
    up = [sh.ask() for _ in range(3)]
    # E (0.1), then the tie B = D = 0.2 goes to B, proposed first, then D; C and H failed
    assert [s.params["c"] for s in up] == ["E", "B", "D"] and {s.budget for s in up} == {3}
    assert len({s.id for s in asked + up}) == 12  # every rung evaluation is its own trial
    with pytest.raises(hl.NotReady):
        sh.ask()
    for s, v in zip(up, [0.3, 0.1, 0.2]):
        sh.tell(s, v)
    top = sh.ask()
    assert (top.params["c"], top.budget) == ("B", 9)
    sh.tell(top, 0.05)
    nxt = sh.ask()  # the bracket is over: the next one starts with a new configuration at the bottom
    assert (nxt.params["c"], nxt.budget) == ("J", 1) and len(sh.brackets) == 2 and sh.brackets[0].done


def test_failures_shrink_the_next_rung_and_a_rung_of_failures_ends_the_bracket():
    sh = hl.SuccessiveHalving(LETTERS, min_budget=1, max_budget=9, searcher=hl.GridSearch(LETTERS))
    first = [sh.ask() for _ in range(9)]
    for s in first:
        sh.tell(s, None if s.params["c"] in "ABCDEFGH" else 0.4)  # one success in nine
    survivor = sh.ask()
    assert (survivor.params["c"], survivor.budget) == ("I", 3)
    with pytest.raises(hl.NotReady):  # the next rung holds only the success
        sh.ask()
    sh.tell(survivor, None)  # ...which fails at budget 3: nothing left to promote
    assert sh.brackets[0].done and sh.ask().budget == 1


def test_a_promoted_configuration_comes_back_with_the_same_params_and_eta_times_the_budget():
    history = hl.run(CURVES, hl.SuccessiveHalving(CURVES.space, 1, 27, seed=2), total_budget=3 * 108,
                     progress=False)
    seen = {}
    for t in history:
        key = CURVES.space.key(t.params)
        if t.budget > 1:
            assert seen[key] == t.budget / 3  # ran before, at the rung below
        seen[key] = t.budget
    assert len({t.id for t in history}) == len(history) == 3 * 40


def test_brackets_follow_one_another_and_workers_wait_for_each_rung():
    """With 4 simulated workers, ask() raises NotReady while a rung runs; the top rung leaves 3 workers idle."""

    class Counting(hl.SuccessiveHalving):
        waits = 0

        def ask(self):
            try:
                return super().ask()
            except hl.NotReady:
                Counting.waits += 1
                raise

    sh = Counting(CURVES.space, 1, 27, seed=0)
    history = hl.run(CURVES, sh, total_budget=2 * 108, n_workers=4, executor=hl.Simulated(), progress=False)
    assert Counting.waits > 0 and [b.done for b in sh.brackets[:2]] == [True, True]
    last_of_first = max(t.start + t.duration for t in history if t.id < 40)
    assert min(t.start for t in history if t.id >= 40) >= last_of_first  # bracket 1 starts after bracket 0 ends
    top = next(t for t in history if t.budget == 27)
    assert not [t for t in history if t is not top and t.start < top.start + top.duration and
                t.start + t.duration > top.start]  # nothing else runs beside the top rung's one trial


def test_same_seed_same_trials_and_the_searcher_is_asked_only_when_a_configuration_is_needed():
    runs = [hl.run(CURVES, hl.SuccessiveHalving(CURVES.space, 1, 27, seed=s), total_budget=200, progress=False)
            for s in (5, 5, 6)]
    rows = [[(t.params, t.budget) for t in h] for h in runs]
    assert rows[0] == rows[1] != rows[2]
    sh = hl.SuccessiveHalving(CURVES.space, 1, 27, seed=5)
    assert len(sh.searcher.pending) == 0  # nothing is drawn before the first ask
    first = sh.ask()
    assert len(sh.searcher.pending) == 1 and sh.configs[0].params == first.params


def test_the_searcher_is_told_each_configuration_once_and_its_pending_set_stays_small():
    sh = hl.SuccessiveHalving(CURVES.space, 1, 27, seed=0)
    largest = []
    history = hl.run(CURVES, sh, total_budget=5 * 108, n_workers=4, executor=hl.Simulated(), progress=False,
                     callbacks=[lambda h, t: largest.append(len(sh.searcher.pending))])
    assert max(largest) <= 4  # only configurations whose first trial is running
    full = [t.value for t in history if t.budget == 27]
    assert sorted(v for v in sh.searcher.y if v is not None) == sorted(full)  # feedback="full"
    everything = hl.SuccessiveHalving(CURVES.space, 1, 27, seed=0, feedback="all")
    history = hl.run(CURVES, everything, total_budget=108, progress=False)
    assert everything.searcher.y == [t.value for t in history]  # every result, at its own budget


def test_a_finite_searcher_that_runs_out_closes_the_bottom_rung_and_ends_the_search():
    space = Space(c=Categorical(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[:13]))  # 13 = 9 for bracket 0, 4 for bracket 1
    sh = hl.SuccessiveHalving(space, 1, 9, searcher=hl.GridSearch(space))
    history = hl.run(lambda p, budget: ord(p["c"]) / budget, sh, progress=False)  # no budget needed: finite
    second = [(t.params["c"], t.budget) for t in history if t.id >= 13]
    assert second == [("J", 1), ("K", 1), ("L", 1), ("M", 1), ("J", 3), ("J", 9)]  # max(1, 4 // 3) promoted
    assert len(sh.brackets) == 2 and not sh.active  # no empty third bracket is kept


@pytest.mark.parametrize("overlap", [False, True])
def test_a_genetic_searcher_runs_without_deadlock_on_four_workers(overlap):
    """It fits badly (its generations wait for tells, and under feedback="full" nearly every individual scores as
    a failure), but it must not hang: its NotReady passes through as the scheduler's, and no bracket is opened
    while a bottom rung waits for the searcher."""
    ga = hl.GeneticAlgorithm(CURVES.space, population_size=6, seed=0)
    sh = hl.SuccessiveHalving(CURVES.space, 1, 27, searcher=ga, overlap=overlap)
    history = hl.run(CURVES, sh, total_budget=216, n_workers=4, executor=hl.Simulated(), progress=False)
    assert history.budget_spent == 216 and ga.generation >= 2
    assert all(b in sh.brackets for b in sh.active)
    assert sum(not b.rungs[0].members for b in sh.brackets) <= 1  # at most one waits for its first configuration


BAD = [
    ({"min_budget": 0}, ValueError, "min_budget"),
    ({"min_budget": -1}, ValueError, "min_budget"),
    ({"min_budget": math.nan}, ValueError, "min_budget"),
    ({"max_budget": math.inf}, ValueError, "max_budget"),
    ({"min_budget": "1"}, ValueError, "min_budget"),
    ({"min_budget": 30}, ValueError, "min_budget=30 is above max_budget"),
    ({"eta": 1}, ValueError, "eta"),
    ({"eta": 2.5}, ValueError, "eta"),
    ({"eta": True}, ValueError, "eta"),
    ({"feedback": "some"}, ValueError, "feedback"),
    ({"searcher": hl.RandomSearch}, TypeError, "instance"),
    ({"searcher": "random"}, TypeError, "searcher"),
    ({"searcher": hl.RandomSearch(Space(y=Real(0, 1)))}, ValueError, "another space"),
    ({"searcher": hl.ASHA(CURVES.space, 1, 27)}, TypeError, "multi-fidelity"),
]


@pytest.mark.parametrize("method", [hl.SuccessiveHalving, hl.Hyperband, hl.ASHA])
@pytest.mark.parametrize("change, error, message", BAD)
def test_bad_settings_are_refused_at_construction_naming_the_parameter(method, change, error, message):
    settings = {"min_budget": 1, "max_budget": 27, **change}
    with pytest.raises(error, match=message):
        method(CURVES.space, **settings)


@pytest.mark.parametrize("method", [hl.SuccessiveHalving, hl.Hyperband])
def test_overlap_must_be_a_bool(method):
    with pytest.raises(ValueError, match="overlap"):
        method(CURVES.space, 1, 27, overlap="yes")
