"""A simulated clock: ``run`` pretends each trial took the seconds its objective reports.

With a tabulated benchmark (``benchmarks.tabular("digits-mlp")``) a trial costs microseconds
to look up, but reports how long the real training took. ``run(..., n_workers=4,
executor=Simulated())`` then plays the search out as four real workers would have: a
discrete-event simulation in which each trial starts when a worker is free and ends its
reported seconds later, and results come back in order of simulated finish time. Syne
Tune's simulator backend does the same. Synchronous methods (a rung of successive halving
that waits for its last trial) leave simulated workers idle exactly as they would real ones.

Trials' ``start`` is in simulated seconds from the start of the search, ``duration`` the
reported seconds, ``worker`` "sim-0", "sim-1", ...; ``run(timeout=...)`` counts simulated
seconds.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from .workers import evaluate, trial_args


class Simulated:
    """Pass as ``run(..., executor=Simulated())``; ``key`` is the extra holding a trial's seconds."""

    def __init__(self, key: str = "seconds"):
        self.key = key

    def pool(self, objective, n_workers: int, lineage: bool = False) -> _SimulatedPool:
        return _SimulatedPool(objective, n_workers, self.key, lineage)

    def __repr__(self) -> str:
        return f"Simulated(key={self.key!r})"


class _SimulatedPool:
    broken = None  # simulated workers never die

    def __init__(self, objective, n_workers: int, key: str, lineage: bool = False):
        self.objective, self.key, self.lineage = objective, key, lineage
        self.now = 0.0
        self.free = list(range(n_workers))  # idle simulated workers
        self.events: list = []  # heap of (finish time, submission order, worker, suggestion, outcome)
        self.submitted = 0

    def clock(self) -> float:
        return self.now

    def submit(self, suggestion) -> None:
        outcome = evaluate(self.objective, *trial_args(suggestion, self.lineage))
        seconds = outcome.extras.get(self.key)
        if outcome.error is None and not isinstance(seconds, (int, float)):
            raise ValueError(f"Simulated() needs the objective to return {self.key!r} (the trial's seconds) with "
                             f"its value; it returned extras {sorted(outcome.extras)}.")
        seconds = float(seconds or 0.0)
        worker = self.free.pop(0)
        outcome = replace(outcome, start=self.now, duration=seconds, worker=f"sim-{worker}")
        heapq.heappush(self.events, (self.now + seconds, self.submitted, worker, suggestion, outcome))
        self.submitted += 1

    def next_done(self) -> list:
        finish, _, worker, suggestion, outcome = heapq.heappop(self.events)
        self.now = finish
        self.free.append(worker)
        self.free.sort()
        return [(suggestion, outcome)]

    def close(self, cancel: bool = False) -> None:
        pass
