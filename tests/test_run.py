"""The search loop: budgets, direction, failures, callbacks, interruption and the journal."""

import json
import math

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import Categorical, Integer, RandomSearch, Real, Space, StopSearch, TooManyFailures


def space():
    return Space(x=Real(-2.0, 2.0), n=Integer(1, 5), kind=Categorical(["a", "b"]))


def objective(p):
    return (p["x"] - 0.5) ** 2 + p["n"] + (p["kind"] == "b")


def test_run_counts_trials_and_tracks_the_best():
    history = hl.run(objective, RandomSearch(space(), seed=0), n_trials=25, progress=False)
    values = [t.value for t in history]
    assert len(history) == 25 and [t.number for t in history] == list(range(25))
    assert history.best_value == min(values)
    assert history.best_so_far().tolist() == np.minimum.accumulate(values).tolist()
    frame = history.to_dataframe()
    assert list(frame.columns[:5]) == ["number", "value", "status", "duration", "error"]
    assert {"params_x", "params_n", "params_kind", "best_so_far"} <= set(frame.columns)


def test_maximize_negates_for_the_optimizer_but_stores_raw_values():
    told = []

    class Spy(RandomSearch):
        def tell(self, params, value):
            told.append(value)
            super().tell(params, value)

    history = hl.run(objective, Spy(space(), seed=1), n_trials=5, direction="maximize", progress=False)
    assert told == [-t.value for t in history]
    assert history.best_value == max(t.value for t in history)


def test_failures_are_recorded_and_the_search_goes_on():
    def flaky(p):
        if p["kind"] == "b":
            raise RuntimeError("diverged")
        return math.nan if p["n"] == 1 else objective(p)

    history = hl.run(flaky, RandomSearch(space(), seed=2), n_trials=30, progress=False, max_consecutive_failures=30)
    assert len(history) == 30
    errors = [t.error for t in history.failed]
    assert any("RuntimeError: diverged" in e for e in errors)
    assert any("non-finite" in e for e in errors)
    assert all(t.value is None for t in history.failed)
    assert all(t.params["kind"] == "a" and t.params["n"] > 1 for t in history.completed)


def test_too_many_failures_in_a_row_stops_with_the_history_kept():
    calls = []

    def broken(p):
        calls.append(p)
        if len(calls) > 2:
            raise ValueError("bad path")
        return 1.0

    with pytest.raises(TooManyFailures, match="3 trials failed in a row.*ValueError: bad path") as info:
        hl.run(broken, RandomSearch(space(), seed=0), n_trials=10, progress=False, max_consecutive_failures=3)
    assert len(info.value.history) == 5 and len(info.value.history.completed) == 2


def test_objective_can_return_extras():
    history = hl.run(lambda p: {"value": p["n"], "curve": [1, 2]}, RandomSearch(space(), seed=0), n_trials=2,
                     progress=False)
    assert history[0].extras == {"curve": [1, 2]}


def test_callbacks_see_each_trial_and_can_stop_the_search():
    seen = []

    def stop_at_three(history, trial):
        seen.append(trial.number)
        if len(history) == 3:
            raise StopSearch

    history = hl.run(objective, RandomSearch(space(), seed=0), n_trials=10, callbacks=[stop_at_three], progress=False)
    assert seen == [0, 1, 2] and len(history) == 3


def test_keyboard_interrupt_returns_the_history_so_far():
    calls = []

    def interrupt_on_fourth(p):
        calls.append(p)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return 0.0

    with pytest.warns(UserWarning, match="interrupted after 3 trials"):
        history = hl.run(interrupt_on_fourth, RandomSearch(space(), seed=0), n_trials=10, progress=False)
    assert len(history) == 3


def test_timeout_ends_the_search():
    import time

    history = hl.run(lambda p: time.sleep(0.05) or 0.0, RandomSearch(space(), seed=0), timeout=0.2, progress=False)
    assert 2 <= len(history) <= 6


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n_trials": 0}, ValueError, "n_trials must be a positive int"),
        ({"n_trials": 2.5}, ValueError, "n_trials must be a positive int"),
        ({"n_trials": 5, "timeout": -1}, ValueError, "timeout must be a positive"),
        ({"n_trials": 5, "direction": "max"}, ValueError, "use 'minimize' or 'maximize'"),
        ({"n_trials": 5, "max_consecutive_failures": 0}, ValueError, "max_consecutive_failures"),
        ({}, ValueError, "this search has no end"),
    ],
)
def test_bad_arguments_are_refused_before_any_trial(kwargs, error, words):
    calls = []
    with pytest.raises(error, match=words):
        hl.run(lambda p: calls.append(p) or 0.0, RandomSearch(space(), seed=0), progress=False, **kwargs)
    assert calls == []


def test_objective_and_optimizer_types_are_checked():
    with pytest.raises(TypeError, match="objective must be callable"):
        hl.run(42, RandomSearch(space()), n_trials=1)
    with pytest.raises(TypeError, match="optimizer must have ask"):
        hl.run(objective, space(), n_trials=1)


def test_progress_bar_can_be_shown(capsys):
    hl.run(objective, RandomSearch(space(), seed=0), n_trials=3, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_journal_has_one_line_per_trial_and_history_loads_back(tmp_path):
    path = tmp_path / "search.jsonl"
    history = hl.run(objective, RandomSearch(space(), seed=0), n_trials=4, journal=path, progress=False)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 9 and lines[0]["journal"] == "hpo-lessons"
    assert [e["event"] for e in lines[1:]] == ["ask", "tell"] * 4  # one worker: each trial asked, then told
    loaded = hl.History.load(path)
    assert [t.params for t in loaded] == [t.params for t in history]
    assert loaded.best_value == history.best_value and loaded.space == space()
    assert loaded.name == "RandomSearch" == history.name
    history.save(tmp_path / "copy.jsonl")
    assert hl.History.load(tmp_path / "copy.jsonl").best_so_far().tolist() == history.best_so_far().tolist()


def test_journal_refuses_another_space_or_direction(tmp_path):
    path = tmp_path / "search.jsonl"
    hl.run(objective, RandomSearch(space(), seed=0), n_trials=2, journal=path, progress=False)
    other = Space(x=Real(-1.0, 1.0), n=Integer(1, 5), kind=Categorical(["a", "b"]))
    with pytest.raises(ValueError, match="different search space"):
        hl.run(objective, RandomSearch(other, seed=0), n_trials=4, journal=path, progress=False)
    with pytest.raises(ValueError, match="direction='minimize'"):
        hl.run(objective, RandomSearch(space(), seed=0), n_trials=4, journal=path, direction="maximize",
               progress=False)
    with pytest.raises(ValueError, match="different method, settings or seed"):
        hl.run(objective, RandomSearch(space(), seed=1), n_trials=4, journal=path, progress=False)


def test_truncated_last_line_is_ignored_with_a_warning_and_the_search_continues(tmp_path):
    path = tmp_path / "search.jsonl"
    straight = hl.run(objective, RandomSearch(space(), seed=3), n_trials=6, progress=False)
    hl.run(objective, RandomSearch(space(), seed=3), n_trials=3, journal=path, progress=False)
    with open(path, "a") as f:
        f.write('{"event": "ask", "id": 3, "params": {"x": 0.1')  # killed while writing trial 3's ask
    with pytest.warns(UserWarning, match="truncated last line"):
        resumed = hl.run(objective, RandomSearch(space(), seed=3), n_trials=6, journal=path, progress=False)
    assert [t.params for t in resumed] == [t.params for t in straight]
    assert len(path.read_text().splitlines()) == 13  # header + 6 whole trials, asked and told


class Scored:
    """An objective that knows its direction and its full budget, as KerasObjective does."""

    direction = "maximize"
    max_budget = 8

    def __call__(self, p):
        return -objective(p)


def test_direction_comes_from_the_objective_and_a_contradiction_is_refused():
    history = hl.run(Scored(), RandomSearch(space(), seed=0), n_trials=6, progress=False)
    assert history.direction == "maximize" and history.best_value == max(t.value for t in history)
    assert hl.run(objective, RandomSearch(space(), seed=0), n_trials=2, progress=False).direction == "minimize"
    calls = []
    class Counted(Scored):
        def __call__(self, p):
            calls.append(p)
            return super().__call__(p)

    with pytest.raises(ValueError, match="contradicts the objective, whose direction is 'maximize'"):
        hl.run(Counted(), RandomSearch(space()), n_trials=2, direction="minimize", progress=False)
    assert calls == []


def test_total_budget_counts_full_trials_at_the_objectives_max_budget():
    """8 epochs a trial and 30 to spend: 3 trials (24), never a 4th that would reach 32."""
    history = hl.run(Scored(), RandomSearch(space(), seed=0), total_budget=30, progress=False)
    assert len(history) == 3 and [t.budget for t in history] == [8, 8, 8] and history.budget_spent == 24
    plain = hl.run(objective, RandomSearch(space(), seed=0), total_budget=5, progress=False)
    assert len(plain) == 5 and plain.budget_spent == 5  # no max_budget: a trial costs 1


def test_budgeted_suggestions_reach_the_objective_and_are_summed():
    class Doubling(RandomSearch):
        needs_budget = True

        def ask(self):
            s = super().ask()
            return hl.Suggestion(s.id, s.params, 2 ** s.id)

    seen = []

    def trained(p, budget):
        seen.append(budget)
        return objective(p) / budget

    history = hl.run(trained, Doubling(space(), seed=0), total_budget=20, progress=False)
    assert seen == [1, 2, 4, 8] and history.budget_spent == 15  # 16 more would pass 20
    with pytest.raises(TypeError, match="gives each trial a budget, but the objective takes none"):
        hl.run(objective, Doubling(space(), seed=0), n_trials=3, progress=False)


def test_not_ready_with_nothing_running_is_a_bug_reported_as_such():
    class Stuck(RandomSearch):
        def ask(self):
            raise hl.NotReady("waiting")

    with pytest.raises(RuntimeError, match="no trial is running: it would wait forever"):
        hl.run(objective, Stuck(space(), seed=0), n_trials=3, progress=False)


@pytest.mark.parametrize("kwargs, words", [({"n_workers": 0}, "n_workers must be an int >= 1"),
                                           ({"total_budget": -3}, "total_budget must be a positive"),
                                           ({"executor": 42}, "executor must be a concurrent.futures.Executor")])
def test_bad_parallel_and_budget_arguments_are_refused_before_any_trial(kwargs, words):
    calls = []
    with pytest.raises((ValueError, TypeError), match=words):
        hl.run(lambda p: calls.append(p) or 0.0, RandomSearch(space(), seed=0), n_trials=3, progress=False, **kwargs)
    assert calls == []


class Remembering:
    """An objective with checkpoints, as KerasObjective keeps them: a configuration trained before
    is answered from memory and trains 0 epochs."""

    def __init__(self):
        self.checkpoints = {}

    def __call__(self, params):
        key = (params["x"], params["n"], params["kind"])
        trained = 0 if key in self.checkpoints else 1
        self.checkpoints[key] = True
        return {"value": objective(params), "epochs_trained": trained}

    def clear_checkpoints(self):
        self.checkpoints.clear()


def test_checkpoints_are_freed_with_the_search_so_a_second_search_trains_again():
    """Reference: a fresh objective, on which every trial trains. The same seed on the same objective
    twice is two independent searches: the second must train too, not be served the first's results."""
    shared = Remembering()
    first = hl.run(shared, RandomSearch(space(), seed=0), n_trials=5, progress=False)
    assert len(shared.checkpoints) == 0
    second = hl.run(shared, RandomSearch(space(), seed=0), n_trials=5, progress=False)
    assert [t.params for t in second] == [t.params for t in first]
    assert [t.extras["epochs_trained"] for t in second] == [1] * 5


def test_checkpoints_are_freed_when_the_search_raises_too():
    shared = Remembering()

    def broken_callback(history, trial):
        raise RuntimeError("a callback that fails")

    with pytest.raises(RuntimeError, match="a callback that fails"):
        hl.run(shared, RandomSearch(space(), seed=0), n_trials=5, progress=False, callbacks=[broken_callback])
    assert len(shared.checkpoints) == 0


def test_a_table_forgets_what_a_search_trained_when_the_search_ends():
    """Reference: the table's own accounting; a configuration's first call trains its full budget."""
    from hpo_lessons import benchmarks

    table = benchmarks.tabular("digits-mlp")
    opt = lambda: hl.GridSearch(table.space)  # noqa: E731  the same configurations, twice
    first = hl.run(table, opt(), n_trials=3, progress=False)
    second = hl.run(table, opt(), n_trials=3, progress=False)
    assert [t.params for t in second] == [t.params for t in first]
    assert [t.extras["epochs_trained"] for t in second] == [table.max_budget] * 3
    assert all(t.extras["seconds"] > 0 for t in second)
