"""ASHA. Reference: Li et al. (2020), A system for massively parallel hyperparameter tuning, Algorithm 2
(get_job: scan rungs from the top down for a configuration in the top floor(|rung| / eta) not yet promoted,
else grow the bottom rung), worked out by hand on the table below."""

import pytest

import hpo_lessons as hl
from hpo_lessons import Categorical, Space
from hpo_lessons.benchmarks.curves import LearningCurves

CURVES = LearningCurves()

# What each configuration scores at each budget (None: the trial fails). The grid searcher proposes A, B, C, ...
VALUES = {
    1: dict(A=0.8, B=0.3, C=0.5, D=0.3, E=None, F=0.1, G=0.3, H=0.6, I=0.2, J=0.3, K=0.95, L=0.85),
    3: dict(B=0.25, F=0.05, I=0.4, D=0.27),
    9: dict(F=0.02),
}
# The jobs ASHA must hand out, one worker, each told at once, worked out by hand (|rung 0| -> top k):
HAND_WORKED = [
    ("A", 1), ("B", 1), ("C", 1),  # |rung 0| = 1, 2: top 0, so new configurations
    ("B", 3),  # |rung 0| = 3: top 1 = B
    ("D", 1), ("E", 1), ("F", 1),  # top 1 is still B (D ties B at 0.3 and loses: proposed later; E failed)
    ("F", 3),  # |rung 0| = 6: top 2 = F, B; F not promoted yet
    ("G", 1), ("H", 1), ("I", 1),
    ("I", 3),  # |rung 0| = 9: top 3 = F, I, B
    ("F", 9),  # |rung 1| = 3: top 1 = F; the highest rung is scanned first
    ("J", 1), ("K", 1), ("L", 1),
    ("D", 3),  # |rung 0| = 12: top 4 = F, I, B, D: D enters the top late, and is promoted then
]


def test_promotion_rule_on_a_hand_worked_example():
    space = Space(c=Categorical(list(VALUES[1])))
    asha = hl.ASHA(space, min_budget=1, max_budget=9, searcher=hl.GridSearch(space))
    jobs = []
    for _ in HAND_WORKED:
        s = asha.ask()
        jobs.append((s.params["c"], s.budget))
        asha.tell(s, VALUES[s.budget][s.params["c"]])
    assert jobs == HAND_WORKED
    assert asha.promoted == [{1, 5, 8, 3}, {5}, set()]  # B, F, I, D from rung 0; F from rung 1
    with pytest.raises(hl.Exhausted):  # the grid is used up and nothing is left to promote
        asha.ask()


def test_the_highest_rung_is_scanned_first():
    """Hand-worked with eta = 2 (budgets 1, 2, 4) and two trials at a time, so that rung 0 and rung 1 both
    have a configuration to promote at the same ask: rung 1's goes first."""
    space = Space(c=Categorical(list("ABCDE")))
    asha = hl.ASHA(space, min_budget=1, max_budget=4, eta=2, searcher=hl.GridSearch(space))
    job = lambda s: (s.params["c"], s.budget)  # noqa: E731
    a, b = asha.ask(), asha.ask()
    asha.tell(a, 0.3)
    asha.tell(b, 0.1)  # rung 0: |2| -> top 1 = B
    b2, c = asha.ask(), asha.ask()
    assert (job(b2), job(c)) == (("B", 2), ("C", 1))
    asha.tell(b2, 0.2)
    asha.tell(c, 0.5)
    d = asha.ask()
    asha.tell(d, 0.05)  # rung 0: |4| -> top 2 = D, B
    d2, e = asha.ask(), asha.ask()
    assert (job(d2), job(e)) == (("D", 2), ("E", 1))
    asha.tell(e, 0.01)  # rung 0: |5| -> top 2 = E, D: E may go up to 2
    asha.tell(d2, 0.1)  # rung 1: |2| -> top 1 = D: D may go up to 4
    assert [job(asha.ask()), job(asha.ask())] == [("D", 4), ("E", 2)]


def test_asha_never_waits_even_with_every_trial_pending():
    asha = hl.ASHA(CURVES.space, 1, 27, seed=0)
    asked = [asha.ask() for _ in range(20)]  # nothing told: every job is a new configuration at the bottom
    assert {s.budget for s in asked} == {1} and len({CURVES.space.key(s.params) for s in asked}) == 20


def test_asha_keeps_four_workers_busy_where_successive_halving_waits():
    waits = {}

    def counting(method):
        class Counting(method):
            def ask(self):
                try:
                    return super().ask()
                except hl.NotReady:
                    waits[method.__name__] = waits.get(method.__name__, 0) + 1
                    raise

        return Counting(CURVES.space, 1, 27, seed=0)

    for method in (hl.ASHA, hl.SuccessiveHalving):
        hl.run(CURVES, counting(method), total_budget=500, n_workers=4, executor=hl.Simulated(), progress=False)
    assert "ASHA" not in waits and waits["SuccessiveHalving"] > 10


def test_a_failed_configuration_is_never_promoted():
    def objective(params, budget):
        if params["dropout"] == 0.0:  # the fastest learners at budget 1: they would be promoted first
            raise RuntimeError("diverged")
        return CURVES(params, budget)

    for method in (hl.ASHA, hl.SuccessiveHalving, hl.Hyperband):
        history = hl.run(objective, method(CURVES.space, 1, 27, seed=1), total_budget=800, progress=False,
                         max_consecutive_failures=100)
        assert {t.params["dropout"] for t in history.failed} == {0.0}
        runs = {}
        for t in history:
            runs.setdefault(CURVES.space.key(t.params), []).append(t)
        assert all(t.ok for trials in runs.values() for t in trials[:-1])  # a failure is a configuration's last


def test_a_rung_of_failures_promotes_nothing():
    asha = hl.ASHA(CURVES.space, 1, 9, seed=0)
    for _ in range(6):
        asha.tell(asha.ask(), None)
    assert asha.promotable(0) is None and asha.ask().budget == 1


def test_same_seed_same_trials_and_a_bounded_searcher():
    runs = [hl.run(CURVES, hl.ASHA(CURVES.space, 1, 27, seed=s), total_budget=300, n_workers=4,
                   executor=hl.Simulated(), progress=False) for s in (3, 3, 4)]
    rows = [[(t.id, t.params, t.budget) for t in h] for h in runs]
    assert rows[0] == rows[1] != rows[2]
    asha = hl.ASHA(CURVES.space, 1, 27, seed=3)
    sizes = []
    hl.run(CURVES, asha, total_budget=600, n_workers=4, executor=hl.Simulated(), progress=False,
           callbacks=[lambda h, t: sizes.append(len(asha.searcher.pending))])
    assert max(sizes) <= 4  # the searcher hears of each configuration when its first trial is back


def test_a_finite_searcher_that_ran_out_waits_for_running_trials_then_ends():
    space = Space(c=Categorical(list("ABC")))
    asha = hl.ASHA(space, 1, 9, searcher=hl.GridSearch(space))
    a, b, c = asha.ask(), asha.ask(), asha.ask()
    with pytest.raises(hl.NotReady):  # no new configuration, but the running ones may earn a promotion
        asha.ask()
    for s, v in zip((a, b, c), (0.3, 0.1, 0.2)):
        asha.tell(s, v)
    up = asha.ask()
    assert (up.params["c"], up.budget) == ("B", 3)
    asha.tell(up, 0.1)
    with pytest.raises(hl.Exhausted):  # |rung 1| = 1: top 0; rung 0's top 1 is promoted already
        asha.ask()


def test_journal_resume_gives_the_uninterrupted_trials(tmp_path):
    """ASHA's choices depend on the order of results; a journal replays that order, so a resumed search
    (one worker) runs exactly the trials of an uninterrupted one."""
    straight = hl.run(CURVES, hl.ASHA(CURVES.space, 1, 27, seed=9), total_budget=400, progress=False)

    def interrupt(history, trial):
        if len(history) == 25:
            raise KeyboardInterrupt

    journal = tmp_path / "asha.jsonl"
    with pytest.warns(UserWarning, match="interrupted"):
        hl.run(CURVES, hl.ASHA(CURVES.space, 1, 27, seed=9), total_budget=400, journal=journal,
               callbacks=[interrupt], progress=False)
    resumed = hl.run(CURVES, hl.ASHA(CURVES.space, 1, 27, seed=9), total_budget=400, journal=journal,
                     progress=False)
    assert [(t.id, t.params, t.budget, t.value) for t in resumed] == [
        (t.id, t.params, t.budget, t.value) for t in straight]
    assert len({t.budget for t in straight}) == 4  # promotions up to the top rung happened
