"""Keras Tuner's oracles as ask/tell optimizers under hl.run: the same trials as Keras Tuner's own loop,
parallel asks, NotReady and Exhausted, Hyperband's budgets, independent seeds, timeouts and journals.

References: Keras Tuner's own search loop (``BaseTuner.search`` around the same oracle, seed and
objective) for the trials; ``Oracle._random_values`` (hyperparameter i drawn with seed
``seed + i``) for the seed defect; ``HyperbandOracle``'s schedule for the budgets.
"""

import math
import time

import keras_tuner as kt
import pytest
from threadpoolctl import threadpool_limits

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.frameworks.kt_adapter import KerasTunerOptimizer, oracle_seed
from hpo_lessons.frameworks.kt_oracle import params_from_hp, to_hyperparameters

BRANIN = benchmarks.branin()


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """One BLAS thread: threaded OpenBLAS makes Keras Tuner's BO many times slower on 2 busy cores."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


class Curve:
    """Branin after ``budget`` epochs: 10 / budget worse than converged; the longest training is 9 epochs."""

    max_budget = 9

    def __call__(self, params, budget):
        return BRANIN(params) + 10.0 / budget


def configs(history):
    return [BRANIN.space.key(t.params) for t in history]


# -- the reference: Keras Tuner's own loop ---------------------------------------------------------
class OwnLoop(kt.engine.base_tuner.BaseTuner):
    """Keras Tuner's ``search`` loop, its trial being one call of the objective (Hyperband's epochs as budget)."""

    def __init__(self, objective, **kwargs):
        super().__init__(**kwargs)
        self.objective = objective

    def run_trial(self, trial, *args, **kwargs):
        values = trial.hyperparameters.values
        params = params_from_hp(values, BRANIN.space)
        if "tuner/epochs" in values:
            return {"value": self.objective(params, budget=values["tuner/epochs"])}
        return {"value": self.objective(params)}


@pytest.mark.parametrize("algorithm, kwargs, objective", [
    ("random", {}, BRANIN), ("grid", {}, BRANIN), ("bayesian", {"num_initial_points": 3}, BRANIN),
    ("hyperband", {"max_epochs": 9, "factor": 3}, Curve()),
])
def test_same_trials_as_keras_tuners_own_search_loop(algorithm, kwargs, objective, tmp_path):
    """Reference: BaseTuner.search on the same oracle class, settings and seed."""
    n = 5 if algorithm == "bayesian" else 12
    oracle_class = {"random": kt.oracles.RandomSearchOracle, "grid": kt.oracles.GridSearchOracle,
                    "bayesian": kt.oracles.BayesianOptimizationOracle, "hyperband": kt.oracles.HyperbandOracle}
    oracle = oracle_class[algorithm](objective=kt.Objective("value", "min"),
                                     hyperparameters=to_hyperparameters(BRANIN.space), seed=oracle_seed(7), **kwargs)
    oracle.max_trials = n
    OwnLoop(objective, oracle=oracle, directory=str(tmp_path), project_name="own").search(verbose=0)
    theirs = [oracle.trials[i] for i in oracle.start_order]

    opt = KerasTunerOptimizer(BRANIN.space, algorithm, seed=7, **kwargs)
    ours = hl.run(objective, opt, n_trials=n, progress=False)
    assert [t.params for t in ours] == [params_from_hp(t.hyperparameters.values, BRANIN.space) for t in theirs]
    assert [t.value for t in ours] == [t.score for t in theirs]
    if algorithm == "hyperband":
        assert [t.budget for t in ours] == [t.hyperparameters.values["tuner/epochs"] for t in theirs]


# -- parallel asks ----------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm, kwargs", [
    ("random", {}), ("grid", {}), ("genetic", {"population_size": 4}),
    ("bayesian", {"num_initial_points": 13}),  # its last 3 points from the GP, with 3 others pending
])
def test_four_workers_get_sixteen_distinct_configurations(algorithm, kwargs):
    opt = KerasTunerOptimizer(BRANIN.space, algorithm, seed=0, **kwargs)
    history = hl.run(BRANIN, opt, n_trials=16, n_workers=4, executor="threads", progress=False)
    assert len(history) == 16 and len(set(configs(history))) == 16 and len({t.id for t in history}) == 16
    assert all(t.ok for t in history) and not opt.pending and not opt.oracle.ongoing_trials


def test_waiting_oracles_say_not_ready_and_finished_ones_exhausted():
    ga = KerasTunerOptimizer(BRANIN.space, "genetic", seed=0, population_size=3)
    generation = [ga.ask() for _ in range(3)]
    with pytest.raises(hl.NotReady):  # not a RuntimeError: the GA oracle waits for its generation
        ga.ask()
    ga.tell(generation[0], 1.0)
    with pytest.raises(hl.NotReady):
        ga.ask()
    for suggestion in generation[1:]:
        ga.tell(suggestion, 2.0)
    assert ga.ask().id == 3  # the next generation

    grid = KerasTunerOptimizer(hl.Space(c=hl.Categorical(["a", "b", "c"])), "grid")
    first, second = grid.ask(), grid.ask()
    with pytest.raises(hl.NotReady):  # Keras Tuner's grid steps on from the last combination, once it ends
        grid.ask()
    grid.tell(second, 1.0)
    third = grid.ask()
    grid.tell(first, 1.0)
    grid.tell(third, 1.0)
    with pytest.raises(hl.Exhausted):
        grid.ask()
    assert grid.size == 3 and {first.params["c"], second.params["c"], third.params["c"]} == {"a", "b", "c"}


def test_a_finite_grid_ends_the_search_cleanly():
    space = hl.Space(c=hl.Categorical(["a", "b"]), n=hl.Integer(1, 3))
    history = hl.run(lambda p: p["n"], KerasTunerOptimizer(space, "grid"), progress=False)  # no n_trials
    assert len(history) == 6 and len({space.key(t.params) for t in history}) == 6


def test_failed_trials_are_keras_tuner_failures_and_values_are_minimized():
    space = hl.Space(x=hl.Real(0.0, 1.0))
    opt = KerasTunerOptimizer(space, "random", seed=1)
    history = hl.run(lambda p: math.nan if p["x"] < 0.5 else p["x"], opt, n_trials=8, direction="maximize",
                     max_consecutive_failures=8, progress=False)
    statuses = {t.trial_id: t.status for t in opt.oracle.trials.values()}
    assert sorted(statuses.values()) == sorted("FAILED" if not t.ok else "COMPLETED" for t in history)
    assert history.failed and history.completed
    scores = sorted(t.score for t in opt.oracle.trials.values() if t.status == "COMPLETED")
    assert scores == sorted(-t.value for t in history.completed)  # the oracle minimizes the negated values
    assert opt.oracle.objective.direction == "min"


def test_outside_observations_are_refused_with_a_clear_error():
    opt = KerasTunerOptimizer(BRANIN.space, "random", seed=0)
    with pytest.raises(ValueError, match="only from trials it proposed"):
        opt.tell({"x1": 0.0, "x2": 0.0}, 1.0)


def test_bad_settings_fail_when_built():
    for kwargs, match in [({"algorithm": "annealing"}, "algorithm"), ({"seed": -1}, "seed"),
                          ({"seed": True}, "seed"), ({"max_trials": 3}, "set by the adapter")]:
        with pytest.raises(ValueError, match=match):
            KerasTunerOptimizer(BRANIN.space, **{"algorithm": "random", **kwargs})


# -- Hyperband's budgets ----------------------------------------------------------------------------
def test_hyperband_trials_carry_their_epochs_as_budget():
    got = []

    def objective(params, budget):
        got.append(budget)
        return BRANIN(params) + 10.0 / budget

    opt = KerasTunerOptimizer(BRANIN.space, "hyperband", seed=0, max_epochs=9, factor=3)
    assert opt.needs_budget and opt.size == 13 + 7 + 3  # Keras Tuner's brackets for max_epochs=9, factor=3
    history = hl.run(objective, opt, callbacks=[opt.annotate], progress=False)  # one iteration: the oracle's end
    assert got == [t.budget for t in history] == [opt.schedule[t.id]["epochs"] for t in history]
    assert [{k: t.extras[k] for k in opt.schedule[t.id]} for t in history] == [opt.schedule[t.id] for t in history]
    assert sorted(set(got)) == [1, 3, 9] and len(history) == 23
    assert history.budget_spent == sum(got)
    for trial in history:
        if opt.schedule[trial.id]["round"] > 0:  # a promotion: an earlier configuration, trained longer
            earlier = [t for t in history if t.id < trial.id and t.params == trial.params]
            assert earlier and earlier[-1].budget == opt.schedule[trial.id]["initial_epoch"] < trial.budget
    with pytest.raises(TypeError, match="budget"):  # run refuses an objective that cannot take the epochs
        hl.run(BRANIN, KerasTunerOptimizer(BRANIN.space, "hyperband", max_epochs=9), n_trials=3)


# -- seeds ------------------------------------------------------------------------------------------
def test_keras_tuners_own_seeds_repeat_each_other_shifted_by_one_draw():
    """Reference: Oracle._random_values draws hyperparameter i with seed + i, the defect the adapter avoids."""
    draws = {}
    for seed in (1, 2):
        oracle = kt.oracles.RandomSearchOracle(objective=kt.Objective("value", "min"),
                                               hyperparameters=to_hyperparameters(BRANIN.space), seed=seed)
        values = oracle._random_values()
        hps = {hp.name: hp for hp in oracle.hyperparameters.space}
        draws[seed] = [hps[name].value_to_prob(values[name]) for name in ("x1", "x2")]
    assert draws[2][0] == pytest.approx(draws[1][1])  # seed 2's first draw is seed 1's second


@pytest.mark.parametrize("algorithm, kwargs", [("random", {}), ("bayesian", {"num_initial_points": 6})])
def test_different_seeds_share_no_configuration(algorithm, kwargs):
    searches = [hl.run(BRANIN, KerasTunerOptimizer(BRANIN.space, algorithm, seed=s, **kwargs), n_trials=6,
                       progress=False) for s in range(5)]  # fmt: skip
    seen = [set(configs(h)) for h in searches]
    assert all(len(s) == 6 for s in seen)
    assert len(set.union(*seen)) == 5 * 6  # no configuration in two searches
    units = [[BRANIN.space.to_unit(t.params)[0] for t in h] for h in searches]
    for a in range(5):  # nor the same stream shifted: no first coordinate of one search in another
        for b in range(a + 1, 5):
            assert not set(units[a]) & set(units[b])


def test_oracle_seed_is_stable_and_valid_for_keras_tuner():
    assert oracle_seed(None) is None
    seeds = [oracle_seed(s) for s in range(1000)]
    assert seeds == [oracle_seed(s) for s in range(1000)] and len(set(seeds)) == 1000
    assert all(1 <= s < 2**31 for s in seeds)  # never 0: Keras Tuner reads 0 as "no seed"


# -- everything run gives every method: timeouts, journals, callbacks -------------------------------
def test_a_timeout_ends_a_keras_tuner_search():
    def slow(params):
        time.sleep(0.05)
        return BRANIN(params)

    history = hl.run(slow, KerasTunerOptimizer(BRANIN.space, "random", seed=0), timeout=0.3, progress=False)
    assert 2 <= len(history) <= 8  # 0.05 s trials: at most 0.3 / 0.05 + 2 start before the timeout


@pytest.mark.parametrize("algorithm, kwargs, objective", [
    ("bayesian", {"num_initial_points": 3}, BRANIN),
    ("hyperband", {"max_epochs": 9, "hyperband_iterations": None}, Curve()),
])
def test_a_timeout_ends_other_keras_tuner_searches_too(algorithm, kwargs, objective):
    """Reference: the wall clock. No trial starts after the timeout (the ask that precedes a start
    aside: Keras Tuner's BO fits its GP there), and the search ends long before its 1000 trials."""
    def slow(params, **budget):
        time.sleep(0.05)
        return objective(params, **budget)

    started = time.time()
    history = hl.run(slow, KerasTunerOptimizer(BRANIN.space, algorithm, seed=0, **kwargs), n_trials=1000,
                     timeout=0.5, progress=False)
    assert 2 <= len(history) <= 15  # far fewer than the 1000 asked for: the timeout ended it
    # Only the trial whose ask began before the timeout may start after it (an ask can take long on a busy machine).
    assert all(t.ok for t in history) and sum(t.start - started > 0.5 for t in history) <= 1


@pytest.mark.parametrize("algorithm, kwargs, objective", [
    ("random", {}, BRANIN), ("grid", {}, BRANIN), ("genetic", {"population_size": 4}, BRANIN),
    ("hyperband", {"max_epochs": 9, "hyperband_iterations": None}, Curve()),
])
def test_a_journal_resumes_a_stopped_search_as_if_never_stopped(algorithm, kwargs, objective, tmp_path):
    """Reference: the same seeded search run straight through. The oracle's state is a function of the asks
    and tells it saw and of its seed, so replaying the journal through it restores it exactly."""
    journal = tmp_path / "kt.jsonl"
    straight = hl.run(objective, KerasTunerOptimizer(BRANIN.space, algorithm, seed=4, **kwargs), n_trials=14,
                      progress=False)  # fmt: skip
    hl.run(objective, KerasTunerOptimizer(BRANIN.space, algorithm, seed=4, **kwargs), n_trials=6, journal=journal,
           progress=False)  # fmt: skip
    resumed = hl.run(objective, KerasTunerOptimizer(BRANIN.space, algorithm, seed=4, **kwargs), n_trials=14,
                     journal=journal, progress=False)  # fmt: skip
    assert [(t.id, t.params, t.budget, t.value) for t in resumed] == [(t.id, t.params, t.budget, t.value)
                                                                      for t in straight]  # fmt: skip
    assert resumed.name == "keras_tuner." + type(KerasTunerOptimizer(BRANIN.space, algorithm).oracle).__name__


def test_an_interrupted_parallel_search_loses_and_repeats_no_finished_trial(tmp_path):
    """What is guaranteed with several workers: their results come back in an order that timing decides, so
    a resumed search is not the uninterrupted one; but every finished trial is kept, none runs twice, and the
    trials running at the interruption run again first."""
    journal = tmp_path / "kt.jsonl"

    def slow(params):
        time.sleep(0.02 + 0.03 * (params["x1"] > 2.5))
        return BRANIN(params)

    def interrupt(history, trial):
        if len(history) == 5:
            raise KeyboardInterrupt

    with pytest.warns(UserWarning, match="interrupted"):
        first = hl.run(slow, KerasTunerOptimizer(BRANIN.space, "random", seed=2), n_trials=12, n_workers=3,
                       journal=journal, callbacks=[interrupt], progress=False)  # fmt: skip
    assert len(first) == 5
    resumed = hl.run(slow, KerasTunerOptimizer(BRANIN.space, "random", seed=2), n_trials=12, n_workers=3,
                     journal=journal, progress=False)  # fmt: skip
    assert len(resumed) == 12 and [t.id for t in resumed[:5]] == [t.id for t in first]
    assert len({t.id for t in resumed}) == 12 and len(set(configs(resumed))) == 12  # nothing ran twice
    asked_at_the_interruption = max(t.id for t in first) + 1
    assert {t.id for t in resumed[5:]} >= set(range(asked_at_the_interruption)) - {t.id for t in first}


def test_resuming_an_unseeded_search_is_refused_naming_the_seed(tmp_path):
    journal = tmp_path / "kt.jsonl"
    hl.run(BRANIN, KerasTunerOptimizer(BRANIN.space, "random"), n_trials=2, journal=journal, progress=False)
    with pytest.raises(ValueError, match="seed"):  # Keras Tuner picked a random seed: another stream now
        hl.run(BRANIN, KerasTunerOptimizer(BRANIN.space, "random"), n_trials=4, journal=journal, progress=False)


@pytest.mark.slow
def test_a_journal_resumes_keras_tuners_bo_on_the_same_machine(tmp_path):
    """Reference: the same seeded BO straight through; on one machine its floating point repeats itself."""
    def make():
        return KerasTunerOptimizer(BRANIN.space, "bayesian", seed=4, num_initial_points=4)

    straight = hl.run(BRANIN, make(), n_trials=7, progress=False)
    hl.run(BRANIN, make(), n_trials=5, journal=tmp_path / "bo.jsonl", progress=False)
    resumed = hl.run(BRANIN, make(), n_trials=7, journal=tmp_path / "bo.jsonl", progress=False)
    assert [(t.params, t.value) for t in resumed] == [(t.params, t.value) for t in straight]
