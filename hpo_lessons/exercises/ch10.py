"""Checks for chapter 10 (parallel and distributed tuning): utilisation, trials in flight, and the
wall time of asynchronous workers.

The references are the package's own: ``plots.timeline.utilisation`` on a ``History`` built
from the same intervals, a sweep over interval ends for the trials in flight, and a search
played out on ``hl.Simulated()`` workers for the wall time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.history import History, Trial
from ..core.run import run
from ..core.simulated import Simulated
from ..core.space import Integer, Space
from ..methods.grid import GridSearch
from ..plots.timeline import utilisation


def _intervals(rng: np.random.Generator, n: int, offset: float) -> list[tuple[float, float]]:
    starts = offset + np.sort(rng.uniform(0.0, 10.0, n))
    return [(float(s), float(d)) for s, d in zip(starts, rng.uniform(0.5, 3.0, n), strict=True)]


def _as_history(intervals: list[tuple[float, float]], n_workers: int) -> History:
    return History([Trial(i, {}, 0.0, start=s, duration=d, worker=f"w{i % n_workers}")
                    for i, (s, d) in enumerate(intervals)])


def check_utilisation(utilisation_of: Callable) -> None:
    """``utilisation_of(intervals, n_workers)``: busy time / (workers x wall time)."""
    rng = np.random.default_rng(10)
    for n_workers, offset in [(1, 0.0), (2, 100.0), (4, 1e6)]:
        intervals = _intervals(rng, 3 * n_workers, offset)
        got = utilisation_of(intervals, n_workers)
        assert got is not None, "utilisation_of returned None: return the fraction, a number between 0 and 1."
        want = utilisation(_as_history(intervals, n_workers), n_workers)
        busy = sum(d for _, d in intervals)
        wall = max(s + d for s, d in intervals) - min(s for s, _ in intervals)
        assert 0.0 <= got <= 1.0 + 1e-12, (
            f"a utilisation is a fraction of the workers' time, between 0 and 1; you give {got:.3g} for {n_workers} "
            "worker(s). Divide the busy time by the number of workers times the wall time.")
        if not np.isclose(got, want) and np.isclose(got, busy / (n_workers * max(s + d for s, d in intervals))):
            raise AssertionError("the wall time runs from the first trial's start, not from time 0: here the "
                                 f"first trial starts at t = {min(s for s, _ in intervals):.3g} s.")
        assert np.isclose(got, want, rtol=1e-9), (
            f"with {n_workers} worker(s) and intervals starting at {intervals[0][0]:.3g} s you give {got:.4g}, the "
            f"utilisation is {want:.4g}: busy {busy:.3g} s / ({n_workers} x wall {wall:.3g} s), the wall "
            "time running from the first start to the last end.")
    print("Right: busy time / (workers x wall time), the number in the title of every timeline.")


def _in_flight_reference(intervals: list[tuple[float, float]]) -> int:
    """Trials running at once, counted just after each start (an interval is [start, end))."""
    return max(sum(s <= t < s + d for s, d in intervals) for t, _ in intervals)


def check_max_in_flight(max_in_flight: Callable) -> None:
    """``max_in_flight(intervals)``: the most trials running at the same moment."""
    rng = np.random.default_rng(11)
    cases = [_intervals(rng, n, 0.0) for n in (1, 5, 12, 30)]
    cases.append([(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)])  # back to back on one worker: never two at once
    cases.append([(0.0, 2.0), (1.0, 2.0), (1.5, 0.2), (2.0, 1.0)])
    for intervals in cases:
        got = max_in_flight(intervals)
        assert got is not None, "max_in_flight returned None: return the count, an int."
        want = _in_flight_reference(intervals)
        if intervals == cases[-2] and got == 2:
            raise AssertionError("a trial that ends at t = 1 and one that starts at t = 1 do not run at the same "
                                 "time (the worker went straight from one to the next): count ends before starts "
                                 "when they tie.")
        assert got == want, (f"for {len(intervals)} trials you give {got}, the most running at once is {want}. "
                             "Sort the starts (+1) and ends (-1) in time and keep a running count.")
    print("Right: sweep the starts and ends in time order, ends first on ties.")


def _simulated_wall(durations: list[float], n_workers: int) -> float:
    """The same trials, in the same order, on ``n_workers`` simulated workers."""
    space = Space(i=Integer(0, len(durations) - 1))
    grid = GridSearch(space, points_per_dim=len(durations))  # asks i = 0, 1, 2, ... in order
    history = run(lambda p: {"value": 0.0, "seconds": durations[p["i"]]}, grid, n_workers=n_workers,
                  executor=Simulated(), progress=False)
    return max(t.start + t.duration for t in history)


def check_async_wall_time(async_wall_time: Callable) -> None:
    """``async_wall_time(durations, n_workers)``: each trial, in order, starts on the first worker to be free."""
    rng = np.random.default_rng(12)
    cases = [([2.0, 2.0, 2.0, 2.0], 2), ([5.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2), ([3.0, 1.0, 1.0, 1.0, 1.0], 3)]
    cases += [(list(np.round(rng.uniform(0.5, 4.0, 11), 2)), k) for k in (1, 2, 4)]
    for durations, n_workers in cases:
        got = async_wall_time(list(durations), n_workers)
        assert got is not None, "async_wall_time returned None: return the seconds until the last trial ends."
        want = _simulated_wall(durations, n_workers)
        assert np.isclose(got, want), (
            f"{n_workers} workers, trials of {durations} s: you give {float(got):.4g} s, the last trial ends at "
            f"{want:.4g} s. Keep each worker's next free time; give each trial, in order, to the worker free "
            "first (not to worker i % n: a free worker takes the next trial at once).")
    print("Right: this is what hl.Simulated() plays out, and why a long trial does not hold the others up.")
