"""Optuna's samplers and pruners as ask/tell optimizers under hl.run: the same trials as Optuna's own
``study.optimize``, parallel asks, failures, budgets step by step, journals.

References: Optuna's own loop (``study.optimize``, with ``trial.report`` and ``trial.should_prune``
in the objective, as Optuna's documentation writes a pruned search) on the same sampler, seed,
pruner and study name.
"""

import math
import time

import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks

optuna = pytest.importorskip("optuna")  # the "compare" extra

from hpo_lessons.frameworks.optuna_adapter import OptunaOptimizer, OptunaPruning, rungs  # noqa: E402

BRANIN = benchmarks.branin()
States = optuna.trial.TrialState


class Curve:
    """Branin after ``budget`` epochs (10 / budget worse than converged); the longest training is 27 epochs."""

    max_budget = 27

    def __call__(self, params, budget):
        return BRANIN(params) + 10.0 / budget


def own_study(name, sampler, pruner=None):
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    return optuna.create_study(direction="minimize", sampler=sampler, pruner=pruner, study_name=name)


def test_same_trials_as_optunas_own_loop():
    """Reference: study.optimize with TPESampler(seed=3)."""
    study = own_study("hpo_lessons-seed-3", optuna.samplers.TPESampler(seed=3))
    study.optimize(lambda t: BRANIN({"x1": t.suggest_float("x1", -5, 10), "x2": t.suggest_float("x2", 0, 15)}),
                   n_trials=15)
    ours = hl.run(BRANIN, OptunaOptimizer(BRANIN.space, "tpe", seed=3), n_trials=15, progress=False)
    assert [t.params for t in ours] == [t.params for t in study.trials]
    assert [t.value for t in ours] == [t.value for t in study.trials]
    assert ours.name == "optuna.TPESampler"


@pytest.mark.parametrize("pruner", ["sh", "hyperband"])
def test_pruned_search_is_optunas_own_pruned_loop(pruner):
    """Reference: Optuna's documented pruning loop, reporting at the same steps (the rungs 1, 3, 9, 27)."""
    curve, steps = Curve(), rungs(1, 27, 3)
    assert steps == [1, 3, 9, 27]
    own = {"sh": optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
           "hyperband": optuna.pruners.HyperbandPruner(min_resource=1, max_resource=27, reduction_factor=3)}[pruner]
    study = own_study("hpo_lessons-seed-5", optuna.samplers.TPESampler(seed=5), own)

    def objective(trial):
        params = {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}
        for step in steps:
            value = curve(params, step)
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    study.optimize(objective, n_trials=20)
    opt = OptunaPruning(BRANIN.space, pruner, max_budget=27, seed=5)
    history = hl.run(curve, opt, total_budget=10**6, n_trials=sum(len(t.intermediate_values) for t in study.trials),
                     progress=False)  # fmt: skip
    assert [(t.params, t.state, t.intermediate_values) for t in opt.study.trials] == [
        (t.params, t.state, t.intermediate_values) for t in study.trials]
    assert {States.PRUNED, States.COMPLETE} <= {t.state for t in study.trials}  # both outcomes are exercised
    for trial in opt.study.trials:  # each Optuna trial: one configuration at increasing budgets, in our history
        mine = [t for t in history if t.params == trial.params]
        assert [t.budget for t in mine] == list(trial.intermediate_values)
        assert [t.value for t in mine] == list(trial.intermediate_values.values())


def test_pruning_with_four_workers_keeps_several_configurations_in_flight():
    opt = OptunaPruning(BRANIN.space, "hyperband", max_budget=27, seed=0)
    history = hl.run(Curve(), opt, n_trials=60, n_workers=4, executor="threads", progress=False)
    assert len(history) == 60 and len({t.id for t in history}) == 60
    states = [t.state for t in opt.study.trials]
    assert States.PRUNED in states and States.COMPLETE in states
    for trial in opt.study.trials:
        budgets = [t.budget for t in history if t.params == trial.params]
        assert budgets == sorted(budgets) == opt.steps[:len(budgets)]  # one step after another, never twice
        if trial.state == States.COMPLETE:
            assert budgets[-1] == 27
    assert history.budget_spent == sum(t.budget for t in history)


def test_sampler_with_four_workers_gives_sixteen_distinct_configurations():
    opt = OptunaOptimizer(BRANIN.space, "tpe", seed=0)
    history = hl.run(BRANIN, opt, n_trials=16, n_workers=4, executor="threads", progress=False)
    assert len({BRANIN.space.key(t.params) for t in history}) == 16 == len({t.id for t in history})
    assert [t.state for t in opt.study.trials] == [States.COMPLETE] * 16


def test_failed_trials_are_optuna_failures():
    opt = OptunaOptimizer(BRANIN.space, "random", seed=0)
    history = hl.run(lambda p: math.nan if p["x2"] < 7.5 else BRANIN(p), opt, n_trials=10,
                     max_consecutive_failures=10, progress=False)  # fmt: skip
    assert history.failed and history.completed
    states = {t.number: t.state for t in opt.study.trials}
    assert sorted(states.values()) == sorted(States.FAIL if not t.ok else States.COMPLETE for t in history)
    pruned = OptunaPruning(BRANIN.space, "sh", max_budget=9, seed=1)
    hl.run(lambda p, budget: math.nan if budget == 3 else BRANIN(p), pruned, n_trials=6, max_consecutive_failures=10,
           progress=False)  # fmt: skip
    assert all(t.state in (States.FAIL, States.PRUNED, States.RUNNING) for t in pruned.study.trials)
    assert States.FAIL in {t.state for t in pruned.study.trials}  # a failed step ends its configuration


def test_steps_default_and_custom():
    assert OptunaPruning(BRANIN.space, "sh", max_budget=27).steps == [1, 3, 9, 27]
    assert OptunaPruning(BRANIN.space, "sh", min_budget=2, max_budget=20, eta=3).steps == [2, 6, 18, 20]
    median = OptunaPruning(BRANIN.space, optuna.pruners.MedianPruner(), max_budget=5)
    assert median.steps == [1, 2, 3, 4, 5] and median.name == "optuna.TPESampler+MedianPruner"
    assert OptunaPruning(BRANIN.space, "hyperband", max_budget=8, steps=[2, 8]).steps == [2, 8]


@pytest.mark.parametrize("kwargs, match", [
    ({"max_budget": None}, "max_budget"), ({"max_budget": 0}, "max_budget"), ({"min_budget": 30}, "min_budget"),
    ({"eta": 1}, "eta"), ({"pruner": "median-please"}, "pruner"), ({"steps": [3, 1, 27]}, "increase"),
    ({"steps": [1, 9]}, "end at max_budget"), ({"steps": [1.5, 27]}, "ints"), ({"seed": -1}, "seed"),
])
def test_bad_pruning_settings_fail_when_built(kwargs, match):
    with pytest.raises(ValueError, match=match):
        OptunaPruning(BRANIN.space, **{"pruner": "sh", "max_budget": 27, **kwargs})


def test_a_budgetless_objective_is_refused_before_any_trial():
    with pytest.raises(TypeError, match="budget"):
        hl.run(BRANIN, OptunaPruning(BRANIN.space, "sh", max_budget=9), n_trials=3)


@pytest.mark.parametrize("make", [
    lambda: OptunaOptimizer(BRANIN.space, "tpe", seed=2),
    lambda: OptunaPruning(BRANIN.space, "hyperband", max_budget=27, seed=2),
])
def test_a_journal_resumes_a_stopped_search_as_if_never_stopped(make, tmp_path):
    """Reference: the same seeded search straight through (the study's name is fixed, so Optuna's Hyperband
    pruner puts each trial in the same bracket again)."""
    objective = Curve() if make().needs_budget else BRANIN
    straight = hl.run(objective, make(), n_trials=25, progress=False)
    hl.run(objective, make(), n_trials=11, journal=tmp_path / "o.jsonl", progress=False)
    resumed = hl.run(objective, make(), n_trials=25, journal=tmp_path / "o.jsonl", progress=False)
    assert [(t.params, t.budget, t.value) for t in resumed] == [(t.params, t.budget, t.value) for t in straight]


def test_optuna_says_nothing_on_stdout_or_stderr(capfd):
    hl.run(Curve(), OptunaPruning(BRANIN.space, "sh", max_budget=9, seed=0), n_trials=8, progress=False)
    out, err = capfd.readouterr()
    assert out == "" and "Trial" not in err


@pytest.mark.parametrize("make", [
    lambda: OptunaOptimizer(BRANIN.space, "tpe", seed=0),
    lambda: OptunaPruning(BRANIN.space, "hyperband", max_budget=27, seed=0),
])
def test_a_timeout_ends_an_optuna_search(make):
    """Reference: the wall clock. 0.05 s trials under a 0.4 s timeout: no trial starts after it (the ask
    that precedes a start aside), and the search ends long before its 1000 trials."""
    optimizer = make()
    slow = Curve() if optimizer.needs_budget else BRANIN

    def paused(params, **budget):
        time.sleep(0.05)
        return slow(params, **budget)

    started = time.time()
    history = hl.run(paused, optimizer, n_trials=1000, timeout=0.4, progress=False)
    assert 2 <= len(history) <= 12  # far fewer than the 1000 asked for: the timeout ended it
    # Only the trial whose ask began before the timeout may start after it (an ask can take long on a busy machine).
    assert all(t.ok for t in history) and sum(t.start - started > 0.4 for t in history) <= 1
