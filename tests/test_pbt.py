"""Population-based training: exploit and explore, schedules, workers, resume, and the toy of Jaderberg et al.

References: the paper's algorithm (Jaderberg et al., 2017, section 3: truncation selection, then
perturb by 0.8 or 1.2 or resample), checked step by step against a direct computation; its
Figure 2 (on the toy, PBT reaches the optimum 1.2 where exploit alone and explore alone do not),
as verdicts over seeds; the noisy quadratic model's closed form for the schedule PBT followed;
and an uninterrupted search for a search killed and resumed from its journal.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.benchmarks.quadratic import JaderbergToy, NoisyQuadratic
from hpo_lessons.experiments import registry
from hpo_lessons.experiments.verdict import compare_searches
from hpo_lessons.methods.pbt import explore

SPACE = NoisyQuadratic().space
TOY_START = [{"h0": 1.0, "h1": 0.0}, {"h0": 0.0, "h1": 1.0}]


def first_generation(pbt):
    asked = [pbt.ask() for _ in range(pbt.population_size)]
    for s in asked:
        pbt.tell(s, s.params["learning_rate"])  # lower learning rate = better, to know the ranks
    return asked


def test_exploit_and_explore_by_hand():
    pbt = hl.PBT(SPACE, population_size=8, interval=10, max_budget=30, quantile=0.25, resample_probability=0,
                 seed=3)
    asked = first_generation(pbt)
    order = sorted(range(8), key=lambda m: asked[m].params["learning_rate"])
    top, bottom = order[:2], sorted(order[-2:])
    nxt = [pbt.ask() for _ in range(8)]
    rng = np.random.default_rng(3)
    rng.random((8, 1))  # the initial population's draws
    for m in range(8):
        assert nxt[m].budget == 20
        if m not in bottom:
            assert nxt[m].parent == asked[m].id and nxt[m].params == asked[m].params
    for m in bottom:  # in member order: a donor from the top, then its params perturbed by 0.8 or 1.2
        donor = top[int(rng.integers(2))]
        expected = explore(asked[donor].params, SPACE, rng, (0.8, 1.2), 0.0)
        assert nxt[m].parent == asked[donor].id and nxt[m].params == expected
        assert expected["learning_rate"] / asked[donor].params["learning_rate"] in (pytest.approx(0.8),
                                                                                   pytest.approx(1.2))
    assert [d["member"] for d in pbt.decisions] == bottom


def test_explore_resamples_inside_the_space_and_moves_categoricals_to_a_neighbour():
    space = hl.Space(lr=hl.Real(1e-3, 1.0, log=True), units=hl.Integer(8, 64), act=hl.Categorical(["a", "b", "c"]))
    rng = np.random.default_rng(0)
    for _ in range(200):
        new = explore({"lr": 0.9, "units": 60, "act": "a"}, space, rng, (0.8, 1.2), 0.0)
        assert new["lr"] in (pytest.approx(0.72), 1.0) and new["units"] in (48, 64) and new["act"] in ("a", "b")
        assert isinstance(new["units"], int)
    drawn = [explore({"lr": 0.9, "units": 60, "act": "a"}, space, rng, 0.1, 1.0) for _ in range(200)]
    assert len({d["lr"] for d in drawn}) == 200 and {d["act"] for d in drawn} == {"a", "b", "c"}


def test_synchronous_waits_for_the_whole_generation():
    pbt = hl.PBT(SPACE, population_size=4, interval=5, max_budget=10, seed=0)
    asked = [pbt.ask() for _ in range(4)]
    for s in asked[:3]:
        pbt.tell(s, 1.0)
    with pytest.raises(hl.NotReady):
        pbt.ask()
    pbt.tell(asked[3], 2.0)
    second = [pbt.ask() for _ in range(4)]
    assert {s.budget for s in second} == {10} and pbt.size == 8
    for s in second:
        pbt.tell(s, 1.0)
    with pytest.raises(hl.Exhausted):
        pbt.ask()


def test_asynchronous_decides_for_each_member_as_it_reports():
    pbt = hl.PBT(SPACE, population_size=4, interval=5, max_budget=15, synchronous=False, quantile=0.5, seed=0)
    asked = [pbt.ask() for _ in range(4)]
    for s, value in zip(asked[:3], (1.0, 2.0, 3.0)):
        pbt.tell(s, value)  # each member is ranked among those that reported so far: 1, then 2, then 3
    after = [pbt.ask() for _ in range(3)]  # no waiting for member 3
    assert [s.budget for s in after] == [10, 10, 10]
    assert [s.parent for s in after] == [asked[0].id] * 3  # 0 alone is not ranked; 1 and 2 were bottom: copy 0
    assert [d["member"] for d in pbt.decisions] == [1, 2] and after[0].params == asked[0].params
    with pytest.raises(hl.NotReady):
        pbt.ask()


def test_the_schedule_is_what_the_closed_form_scores():
    nqm = NoisyQuadratic(max_budget=400)
    pbt = hl.PBT(nqm.space, population_size=6, interval=50, max_budget=400, quantile=1 / 3, seed=1)
    history = hl.run(nqm, pbt, progress=False)
    assert len(history) == pbt.size == 48
    best = min((t for t in history if t.budget == 400), key=lambda t: t.value)
    schedule = pbt.schedule(best.id)
    assert [b for b, _ in schedule] == list(range(50, 401, 50))
    steps = np.diff([0] + [b for b, _ in schedule])
    assert best.value == pytest.approx(nqm.loss([(n, p["learning_rate"]) for n, (_, p) in zip(steps, schedule)]))
    assert len({p["learning_rate"] for _, p in schedule}) > 1  # the learning rate changed along the way
    assert sum(t.extras["epochs_trained"] for t in history) == 6 * 400  # every member trained once, no more


@pytest.mark.parametrize("synchronous", [True, False])
def test_two_workers_run_every_interval_and_children_continue_their_parents(synchronous):
    nqm = NoisyQuadratic(max_budget=200)
    pbt = hl.PBT(nqm.space, population_size=4, interval=50, max_budget=200, synchronous=synchronous, seed=2)
    history = hl.run(nqm, pbt, n_workers=2, progress=False)
    by_id = {t.id: t for t in history}
    assert len(history) == 16 and all(t.ok for t in history)
    for t in history:
        assert (t.parent is None) == (t.budget == 50)
        if t.parent is not None:
            assert by_id[t.parent].budget == t.budget - 50 and t.extras["epochs_trained"] == 50


def test_same_seed_same_trials_other_seed_other_trials():
    def trials(seed):
        history = hl.run(NoisyQuadratic(max_budget=100), hl.PBT(SPACE, population_size=4, interval=20,
                                                                max_budget=100, seed=seed), progress=False)
        return [(t.params, t.parent, t.value) for t in history]

    assert trials(5) == trials(5) and trials(5) != trials(6)


def test_failed_members_copy_a_donor():
    def fragile(params, budget=None, trial_id=None, parent=None):
        return None if params["learning_rate"] > 0.1 else nqm(params, budget, trial_id, parent)

    fragile.resumes_from_parent = True
    nqm = NoisyQuadratic(max_budget=100)
    start = [{"learning_rate": lr} for lr in (0.01, 0.05, 0.5, 0.9)]
    pbt = hl.PBT(SPACE, population_size=4, interval=50, max_budget=100, quantile=0.25, initial=start, seed=0)
    history = hl.run(fragile, pbt, progress=False)
    failed = [t.id for t in history if not t.ok and t.budget == 50]
    assert len(failed) == 2 and {d["member"] for d in pbt.decisions} == {2, 3}
    assert all(d["parent"] in (0, 1) for d in pbt.decisions)  # both continue a member that did not fail


def test_toy_of_jaderberg_et_al_pbt_beats_exploit_only_and_explore_only():
    """Figure 2: with both steps the population reaches Q = 1.2; exploit alone clones one member's h, explore alone
    wanders. Paired on seeds, judged by the statistics layer."""
    toy, n_seeds = JaderbergToy(), 20

    def final(seed, **switches):
        pbt = hl.PBT(toy.space, population_size=2, quantile=0.5, interval=4, max_budget=200, perturb=0.1,
                     resample_probability=0, initial=TOY_START, seed=seed, **switches)
        return max(t.value for t in hl.run(toy, pbt, progress=False) if t.budget == 200)

    both = np.array([final(s) for s in range(n_seeds)])
    exploit = np.array([final(s, explore=False) for s in range(n_seeds)])
    explore_only = np.array([final(s, exploit=False) for s in range(n_seeds)])
    assert np.all(both > 1.15) and np.allclose(exploit, 1.2 - 0.81 - (0.9 * 0.98**200) ** 2)  # theta_1 never moves
    for other, name in ((exploit, "exploit only"), (explore_only, "explore only")):
        verdict = compare_searches(both, other, names=("PBT", name), higher_is_better=True)
        assert verdict.outcome == "better" and verdict.winner == "PBT", verdict.text


@pytest.mark.parametrize("kwargs, match", [
    ({"population_size": 3, "quantile": 0.25}, "population_size >= 4"),
    ({"population_size": 1}, "population_size"),
    ({"quantile": 0.0}, "quantile"),
    ({"quantile": 0.6}, "quantile"),
    ({"interval": 0}, "interval"),
    ({"perturb": (0.8, -1.2)}, "perturb"),
    ({"resample_probability": 1.5}, "resample_probability"),
    ({"initial": [{"learning_rate": 0.1}]}, "initial"),
])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        hl.PBT(SPACE, **{"population_size": 8, **kwargs})


def test_registry_builds_it_from_the_objective():
    pbt = registry.make("pbt", SPACE, seed=0, objective=NoisyQuadratic(max_budget=1000))
    assert isinstance(pbt, hl.PBT) and (pbt.max_budget, pbt.interval) == (1000, 100)


SCRIPT = textwrap.dedent("""
    import os, sys
    import hpo_lessons as hl
    from hpo_lessons.benchmarks.quadratic import NoisyQuadratic
    nqm = NoisyQuadratic(max_budget=200, directory=sys.argv[2])
    pbt = hl.PBT(nqm.space, population_size=4, interval=25, max_budget=200, seed=4)
    def crash(history, trial):
        if len(history) == 13:
            os._exit(3)  # as a killed process: no clean-up, the journal and state files stay
    hl.run(nqm, pbt, journal=sys.argv[1], callbacks=[crash], progress=False)
""")


def test_killed_search_resumes_from_its_journal_to_the_uninterrupted_trials(tmp_path):
    journal, states = tmp_path / "pbt.jsonl", tmp_path / "states"
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(journal), str(states)], env=env, timeout=120)
    assert done.returncode == 3 and len(hl.History.load(journal)) == 13
    nqm = NoisyQuadratic(max_budget=200, directory=states)
    resumed = hl.run(nqm, hl.PBT(nqm.space, population_size=4, interval=25, max_budget=200, seed=4),
                     journal=journal, progress=False)
    straight = hl.run(NoisyQuadratic(max_budget=200),
                      hl.PBT(nqm.space, population_size=4, interval=25, max_budget=200, seed=4), progress=False)
    assert len(resumed) == len(straight) == 32
    assert [(t.id, t.params, t.parent, t.budget) for t in resumed] == [(t.id, t.params, t.parent, t.budget)
                                                                      for t in straight]
    assert [t.value for t in resumed] == pytest.approx([t.value for t in straight], rel=1e-12)
