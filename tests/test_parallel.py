"""Trials on several workers: distinct suggestions, real overlap, completion order, process pools, the liar.

References: a plain sequential ask/tell loop written out here (what ``n_workers=1`` must
reproduce exactly); trial intervals measured by the workers themselves (start, duration),
from which the number of trials in flight at each moment is counted; and, for the constant
liar (Ginsbourger, Le Riche & Carraro 2010), four workers that each asked a copy of the same
optimizer, which is what coordination-free workers would do: they all get the same point.
"""

import concurrent.futures as cf
import copy
import os
import time

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.methods.bayes import BayesianOptimization

SPACE = hl.Space(x=hl.Real(0.0, 1.0), y=hl.Real(0.0, 1.0))
PAUSE = 0.25  # seconds per trial: long next to an ask, so that the trials in flight really overlap


def quick(params):
    return (params["x"] - 0.3) ** 2 + (params["y"] - 0.7) ** 2


def sleepy(params):
    time.sleep(PAUSE)
    return quick(params)


def make(method, seed=0):
    return {
        "grid": lambda: hl.GridSearch(SPACE, points_per_dim=4),  # 16 points
        "random": lambda: hl.RandomSearch(SPACE, seed=seed),
        "bayes": lambda: hl.BayesianOptimization(SPACE, seed=seed, n_initial=4, n_candidates=300, n_restarts=1),
        "genetic": lambda: hl.GeneticAlgorithm(SPACE, population_size=4, seed=seed),
    }[method]()


METHODS = ["grid", "random", "bayes", "genetic"]


def max_in_flight(history) -> int:
    """The most trials running at one moment, from their measured intervals (an end before a start at a tie)."""
    events = sorted([(t.start, 1) for t in history] + [(t.start + t.duration, -1) for t in history])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


@pytest.mark.parametrize("how", ["threads", "a pool you pass"])
@pytest.mark.parametrize("method", METHODS)
def test_four_workers_run_sixteen_distinct_trials_at_once(method, how):
    pool = cf.ThreadPoolExecutor(max_workers=4) if how != "threads" else None
    history = hl.run(sleepy, make(method), n_trials=16, n_workers=4, executor=pool or "threads", progress=False)
    assert len(history) == 16 and all(t.ok for t in history)
    assert sorted(t.id for t in history) == list(range(16))
    assert len({SPACE.key(t.params) for t in history}) == 16
    assert max_in_flight(history) == 4  # never more than the workers, and all four busy at some moment
    assert len({t.worker for t in history}) == 4
    assert [t.number for t in history] == list(range(16))
    if pool is not None:  # run leaves a pool it did not make running
        assert pool.submit(quick, {"x": 0.3, "y": 0.7}).result() == 0.0
        pool.shutdown()


def sequential_reference(method, n_trials):
    """The plain loop: ask, evaluate, tell, one trial at a time."""
    opt, rows = make(method), []
    for _ in range(n_trials):
        suggestion = opt.ask()
        value = quick(suggestion.params)
        opt.tell(suggestion, value)
        rows.append((suggestion.id, suggestion.params, value))
    return rows


@pytest.mark.parametrize("method", METHODS)
def test_one_worker_is_the_sequential_loop(method):
    reference = sequential_reference(method, 16)
    for executor in (None, "threads"):
        history = hl.run(quick, make(method), n_trials=16, n_workers=1, executor=executor, progress=False)
        assert [(t.id, t.params, t.value) for t in history] == reference, executor
        assert [t.number for t in history] == list(range(16))


class Recording(hl.GridSearch):
    """A grid that remembers the order in which results were told."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.told = []

    def tell(self, suggestion, value):
        super().tell(suggestion, value)
        self.told.append(suggestion.id)


def slow_at_zero(params):
    time.sleep(0.6 if params["x"] == 0.0 else 0.05)
    return params["x"]


def test_results_are_told_in_completion_order():
    grid = Recording(hl.Space(x=hl.Real(0.0, 1.0)), points_per_dim=4)  # x = 0 is asked first, finishes last
    history = hl.run(slow_at_zero, grid, n_trials=4, n_workers=4, executor="threads", progress=False)
    assert history[-1].id == 0 and history[-1].params == {"x": 0.0}
    assert grid.told == [t.id for t in history]
    ends = [t.start + t.duration for t in history]
    # start is wall time and duration a perf_counter span: two trials ending together may differ by microseconds
    assert all(later >= earlier - 1e-3 for earlier, later in zip(ends, ends[1:]))
    assert min(history, key=lambda t: t.start).id == 0  # it started first, and still came back last


def test_worker_processes_run_an_objective_defined_in_a_module():
    history = hl.run(quick, hl.RandomSearch(SPACE, seed=3), n_trials=4, n_workers=2, executor="processes",
                     progress=False)
    assert [t.value for t in history] == [quick(t.params) for t in history]
    pids = {int(t.worker.split("/")[1]) for t in history}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_worker_processes_refuse_a_local_objective_before_any_trial(tmp_path):
    def local(params):
        return params["x"]

    opt = hl.RandomSearch(SPACE, seed=0)
    journal = tmp_path / "search.jsonl"
    with pytest.raises(ValueError, match="move it to a module") as info:
        hl.run(local, opt, n_trials=4, n_workers=2, executor="processes", journal=journal, progress=False)
    assert "executor='threads'" in str(info.value) and "local" in str(info.value)
    assert opt.ask().id == 0  # nothing was asked
    assert len(journal.read_text().splitlines()) == 1  # the header only: no trial was handed out


def pairwise_min_distance(points) -> float:
    units = np.array([SPACE.to_unit(p) for p in points])
    gaps = np.linalg.norm(units[:, None] - units[None, :], axis=2)
    return float(gaps[np.triu_indices(len(units), 1)].min())


def batches(liar: str, n_batches: int = 3):
    """Batches of 4 asks with no tell in between (4 workers starting at once), after 8 sequential trials;
    with each batch, what 4 copies of the optimizer propose when each is asked once."""
    bo = hl.BayesianOptimization(SPACE, seed=0, n_initial=4, n_candidates=300, n_restarts=1, liar=liar)
    for _ in range(8):
        s = bo.ask()
        bo.tell(s, quick(s.params))
    for _ in range(n_batches):
        uncoordinated = [copy.deepcopy(bo).ask().params for _ in range(4)]
        batch = [bo.ask().params for _ in range(4)]
        yield batch, uncoordinated
        for params in batch:
            bo.tell(params, quick(params))


@pytest.mark.parametrize("liar, apart", [("min", 0.003), ("max", 0.1)])
def test_the_constant_liar_gives_four_workers_four_spread_points(liar, apart):
    """Every batch is 4 distinct points at least ``apart`` from each other in the unit cube; 4 copies of the
    optimizer that do not know about each other's pending trials propose one point 4 times. CL-min is
    optimistic by design: its lie makes the pending point's neighbourhood look good, so its batch sits
    close together (measured 0.0056 apart with the MAP-fitted GP and exact lies, 0.0024 with noisy lies)."""
    for batch, uncoordinated in batches(liar):
        assert len({SPACE.key(p) for p in uncoordinated}) == 1
        assert SPACE.key(batch[0]) == SPACE.key(uncoordinated[0])  # the first worker's ask is the same
        assert len({SPACE.key(p) for p in batch}) == 4
        assert pairwise_min_distance(batch) > apart


def test_a_pessimistic_lie_spreads_the_batch_more_than_an_optimistic_one():
    """Ginsbourger et al. (2010): lying with the best value so far (CL-min) exploits, with the worst (CL-max)
    explores: the closest two points of a batch sit further apart, on average over batches, the higher the lie."""
    def spread(liar):
        return np.mean([pairwise_min_distance(b) for b, _ in batches(liar)])

    assert spread("min") < spread("mean") < spread("max")


class Watching(BayesianOptimization):
    """BO that measures, at each ask, how far the new point is from the points still pending."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = []

    def ask(self):
        pending = [s.params for s in self.pending.values()]
        suggestion = super().ask()
        if pending:
            self.gaps.append(min(pairwise_min_distance([suggestion.params, p]) for p in pending))
        return suggestion


def test_bo_under_run_never_proposes_near_a_pending_point():
    bo = Watching(SPACE, seed=1, n_initial=4, n_candidates=300, n_restarts=1)
    history = hl.run(sleepy, bo, n_trials=16, n_workers=4, executor="threads", progress=False)
    assert len({SPACE.key(t.params) for t in history}) == 16
    assert len(bo.gaps) >= 12 and min(bo.gaps) > 0.02


def _crash_module():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))  # spawned workers import the objective by name
    import crashing_objective

    return crashing_objective


LINE = hl.Space(x=hl.Real(0.0, 1.0))  # a grid of 5 points: 0, 0.25, 0.5, 0.75, 1


def test_a_worker_process_that_dies_fails_its_trials_and_the_search_goes_on(tmp_path):
    """Reference: the grid itself. x = 0.5 kills its worker process; the trials in the pool with it are
    failed with an error naming the crash, a new pool runs the rest, and every other point scores
    what the objective gives in this process."""
    crash = _crash_module()
    journal = tmp_path / "search.jsonl"
    history = hl.run(crash.crash_at_half, hl.GridSearch(LINE, points_per_dim=5), n_workers=2,
                     executor="processes", journal=journal, progress=False)
    assert sorted(t.params["x"] for t in history) == [0.0, 0.25, 0.5, 0.75, 1.0]  # every point, once
    failed = {t.params["x"] for t in history.failed}
    assert 0.5 in failed and len(failed) <= 2  # the crasher, and at most the one trial in flight beside it
    assert all("worker process crashed" in t.error and "BrokenProcessPool" in t.error for t in history.failed)
    for t in history:
        if t.ok:
            assert t.value == crash.crash_at_half(t.params)
    assert [t.params for t in hl.History.load(journal)] == [t.params for t in history]


def test_dead_worker_processes_still_count_as_consecutive_failures():
    """Reference: max_consecutive_failures=3; an objective that kills every worker process is broken. A pool
    of 2 processes holds at most 2 trials, so the third failure also shows that the pool was made again."""
    crash = _crash_module()
    with pytest.raises(hl.TooManyFailures, match="3 trials failed in a row.*worker process crashed") as info:
        hl.run(crash.always_crash, hl.RandomSearch(LINE, seed=0), n_trials=20, n_workers=2, executor="processes",
               progress=False, max_consecutive_failures=3)
    assert len(info.value.history) == 3 and not info.value.history.completed


def test_a_broken_executor_you_passed_stops_with_an_error_that_keeps_the_trials_and_says_how_to_resume(tmp_path):
    """Reference: the same grid resumed from the journal with a new executor: every point once, and the
    trials finished before the crash are not run again."""
    import multiprocessing

    crash = _crash_module()
    journal = tmp_path / "search.jsonl"
    spawn = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        with pytest.raises(hl.PoolBroken, match="executor you passed died") as info:
            hl.run(crash.crash_at_half, hl.GridSearch(LINE, points_per_dim=5), n_workers=2, executor=pool,
                   journal=journal, progress=False)
    message = str(info.value)
    assert str(journal) in message and "new executor" in message and "journal=" in message
    before = info.value.history
    assert 0.5 in {t.params["x"] for t in before.failed}
    assert [t.params for t in hl.History.load(journal)] == [t.params for t in before]  # all kept on disk

    with cf.ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        resumed = hl.run(crash.crash_at_half, hl.GridSearch(LINE, points_per_dim=5), n_workers=2, executor=pool,
                         journal=journal, progress=False)
    assert sorted(t.params["x"] for t in resumed) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert [(t.id, t.value) for t in resumed[:len(before)]] == [(t.id, t.value) for t in before]
