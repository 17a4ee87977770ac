"""The loop's contracts for what comes next: several objectives, trials that continue other trials,
and a progress bar whose cost does not grow with the search."""

import math

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.benchmarks.curves import LearningCurves
from hpo_lessons.core import history as history_module
from hpo_lessons.core.pareto import dominates, pareto_mask

SPACE = hl.Space(x=hl.Real(0, 1), y=hl.Real(0, 1))


class TwoObjectiveRandom(hl.RandomSearch):
    """Random search told vectors: what a multi-objective method receives."""

    n_objectives = 2


def trade_off(params):
    """Accuracy-like (maximize) against size-like (minimize): x raises both."""
    return [params["x"] - 0.1 * params["y"], params["x"] ** 2 + params["y"]]


def test_several_objectives_give_a_pareto_front_checked_against_brute_force_dominance(tmp_path):
    """Reference: the front by the definition, every pair of points compared."""
    opt = TwoObjectiveRandom(SPACE, seed=0)
    history = hl.run(trade_off, opt, n_trials=40, directions=["maximize", "minimize"], progress=False,
                     journal=tmp_path / "mo.jsonl")
    assert history.directions == ["maximize", "minimize"] and history.direction is None
    values = np.array([t.value for t in history])
    minimized = values * [-1, 1]
    brute = [not any(dominates(b, a) for b in minimized) for a in minimized]
    assert [t.number for t in history.pareto_front()] == [t.number for t, keep in zip(history, brute) if keep]
    assert opt.y[0] == pytest.approx([-values[0, 0], values[0, 1]])  # the optimizer minimizes each component
    with pytest.raises(ValueError, match="pareto_front"):
        _ = history.best
    again = hl.History.load(tmp_path / "mo.jsonl")
    assert again.directions == history.directions and [t.value for t in again] == [t.value for t in history]
    resumed = hl.run(trade_off, TwoObjectiveRandom(SPACE, seed=0), n_trials=50, directions=["maximize", "minimize"],
                     progress=False, journal=tmp_path / "mo.jsonl")
    assert [t.params for t in resumed][:40] == [t.params for t in history] and len(resumed) == 50
    assert list(history.to_dataframe().columns[:2]) == ["number", "value"] and "value_1" in history.to_dataframe()


def test_pareto_mask_keeps_duplicates_and_drops_dominated_points():
    points = np.array([[1, 2], [1, 2], [2, 1], [2, 2], [0.5, 3]])
    assert pareto_mask(points).tolist() == [True, True, True, False, True]
    assert hl.pareto_front([[0.9, 10], [0.8, 5], [0.7, 20]], ["maximize", "minimize"]).tolist() == [0, 1]


def test_a_wrong_length_or_a_nan_component_is_a_failed_trial_and_the_search_goes_on():
    answers = iter([[1.0, 2.0], [1.0], [1.0, math.nan], [0.5, 1.0], "bad", [0.1, 0.1]])
    history = hl.run(lambda p: next(answers), TwoObjectiveRandom(SPACE, seed=0), n_trials=6,
                     directions=["minimize", "minimize"], progress=False)
    assert [t.ok for t in history] == [True, False, False, True, False, True]
    assert "2 objective(s)" in history[1].error and "non-finite" in history[2].error


def test_a_single_objective_method_given_several_directions_is_refused_before_any_trial():
    calls = []
    with pytest.raises(ValueError, match="1 objective.*NSGAII"):
        hl.run(lambda p: calls.append(p) or [0, 0], hl.RandomSearch(SPACE), n_trials=3,
               directions=["minimize", "minimize"])
    assert calls == []


def test_directions_that_contradict_the_objective_or_come_with_a_direction_are_refused():
    class Declared:
        directions = ["maximize", "minimize"]

        def __call__(self, params):
            return trade_off(params)

    with pytest.raises(ValueError, match="contradicts the objective"):
        hl.run(Declared(), TwoObjectiveRandom(SPACE), n_trials=2, directions=["minimize", "minimize"])
    with pytest.raises(ValueError, match="not both"):
        hl.run(Declared(), TwoObjectiveRandom(SPACE), n_trials=2, direction="minimize", directions=["minimize"])
    history = hl.run(Declared(), TwoObjectiveRandom(SPACE, seed=0), n_trials=3, progress=False)
    assert history.directions == ["maximize", "minimize"]


class Continuing(hl.RandomSearch):
    """Every third suggestion continues the checkpoint of the trial asked two before it."""

    needs_parent = True

    def ask(self):
        suggestion = super().ask()
        if suggestion.id % 3 == 2:
            self.pending[suggestion.id] = suggestion = hl.Suggestion(suggestion.id, suggestion.params,
                                                                     suggestion.budget, parent=suggestion.id - 2)
        return suggestion


class Lineage:
    """Keeps a 'checkpoint' (a step count) per trial id and starts from the parent's when given."""

    resumes_from_parent = True

    def __init__(self):
        self.steps, self.calls = {}, []

    def __call__(self, params, budget=None, trial_id=None, parent=None):
        self.calls.append((trial_id, parent))
        self.steps[trial_id] = self.steps.get(parent, 0) + 1
        return {"value": params["x"], "steps": self.steps[trial_id]}


def test_a_suggestion_names_its_parent_the_objective_gets_it_and_the_journal_resumes_it(tmp_path):
    objective = Lineage()
    history = hl.run(objective, Continuing(SPACE, seed=1), n_trials=6, progress=False, journal=tmp_path / "l.jsonl")
    assert objective.calls == [(0, None), (1, None), (2, 0), (3, None), (4, None), (5, 3)]
    assert [t.parent for t in history] == [None, None, 0, None, None, 3]
    assert [t.extras["steps"] for t in history] == [1, 1, 2, 1, 1, 2]
    resumed = hl.run(Lineage(), Continuing(SPACE, seed=1), n_trials=9, progress=False, journal=tmp_path / "l.jsonl")
    assert [t.parent for t in resumed] == [None, None, 0, None, None, 3, None, None, 6]
    with pytest.raises(ValueError, match="different method"):  # a journal whose parents another method cannot replay
        hl.run(Lineage(), hl.RandomSearch(SPACE, seed=1), n_trials=9, progress=False, journal=tmp_path / "l.jsonl")


def test_a_method_that_continues_trials_is_refused_an_objective_that_cannot():
    with pytest.raises(TypeError, match="resumes_from_parent"):
        hl.run(lambda p: p["x"], Continuing(SPACE), n_trials=3)


def test_the_progress_bar_folds_each_trial_into_the_incumbent_once(monkeypatch):
    """The bar reads the incumbent after every trial. Counted: the incumbent rule runs once per trial in
    all (O(1) amortized), not once per trial so far at every update (O(n) each, O(n^2) for the search)."""
    calls = []
    step = history_module.History._step
    monkeypatch.setattr(history_module.History, "_step", lambda self, *a: calls.append(1) or step(self, *a))
    curves = LearningCurves()
    history = hl.run(curves, hl.Hyperband(curves.space, min_budget=1, max_budget=27, seed=0), n_trials=300)
    assert len(history) == 300 and history.best is not None
    assert len(calls) <= 300
