"""Where trials run: inline, or on any ``concurrent.futures.Executor`` (threads, processes, Dask).

``run`` hands each trial to a pool and collects results in the order they complete:

- ``Inline``: the objective runs in the calling thread, one trial at a time (``n_workers=1``
  and no executor: the plain loop).
- ``Futures``: any ``concurrent.futures.Executor``: a ``ThreadPoolExecutor``, a
  ``ProcessPoolExecutor``, or a Dask cluster through ``Client(...).get_executor()``.
  Objectives go to process and Dask workers pickled once, not once per trial.

``evaluate`` is what a worker runs: it calls the objective and turns any exception, NaN or
non-number into a failed outcome, so a failing trial never ends a search. A worker process
that dies outright breaks its pool: the trials in it are failed, and a pool ``run`` made is
made again (one you passed is yours: ``run`` stops with ``PoolBroken``, keeping the history).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import math
import os
import pickle
import socket
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from .checks import is_number


@dataclass
class Outcome:
    """What one evaluation gave: value (None if it failed), error, extras, and when and where it ran."""

    value: float | None
    error: str | None
    extras: dict = field(default_factory=dict)
    start: float = 0.0
    duration: float = 0.0
    worker: str = ""


def worker_name() -> str:
    """host/pid/thread of the code calling it: tells workers apart in a timeline."""
    return f"{socket.gethostname()}/{os.getpid()}/{threading.current_thread().name}"


def _as_outcome(result) -> tuple[float | list[float] | None, str | None, dict]:
    extras: dict[str, Any] = {}
    if isinstance(result, dict):
        if "value" not in result:
            return None, "objective returned a dict without a 'value' key", {}
        extras = {k: v for k, v in result.items() if k != "value"}
        result = result["value"]
    if isinstance(result, (list, tuple)) or getattr(result, "ndim", 0) == 1:  # several objectives
        if len(result) == 0 or not all(is_number(v) for v in result):
            return None, f"objective returned {result!r}, not a number or a list of numbers", extras
        values = [float(v) for v in result]
        if not all(math.isfinite(v) for v in values):
            return None, f"objective returned {values} (a non-finite component)", extras
        return values, None, extras
    if not is_number(result):
        return None, f"objective returned {result!r} ({type(result).__name__}), not a number", extras
    if not math.isfinite(result):
        return None, f"objective returned {float(result)} (non-finite)", extras
    return float(result), None, extras


def evaluate(objective, params: dict, budget=None, lineage: dict | None = None) -> Outcome:
    """Call ``objective(params)`` (``budget=`` when the trial has one, and ``trial_id=``/``parent=`` when
    ``lineage`` is given: an objective that continues other trials' checkpoints); any exception is a failure."""
    start, t0 = time.time(), time.perf_counter()
    kwargs = ({} if budget is None else {"budget": budget}) | (lineage or {})
    try:
        result = objective(dict(params), **kwargs)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a failing trial must never end the search
        last = traceback.extract_tb(exc.__traceback__)[-1]
        value, error, extras = None, f"{type(exc).__name__}: {exc} (at {last.filename}:{last.lineno})", {}
    else:
        value, error, extras = _as_outcome(result)
    return Outcome(value, error, extras, start, time.perf_counter() - t0, worker_name())


def trial_args(suggestion, lineage: bool) -> tuple:
    """What a pool passes to ``evaluate`` after the objective for one suggestion."""
    return suggestion.params, suggestion.budget, ({"trial_id": suggestion.id, "parent": suggestion.parent}
                                                  if lineage else None)


# -- objectives shipped to other processes --------------------------------------------------------
_received: dict[str, Any] = {}  # in a worker process: digest -> the objective, unpickled once


def received(digest: str, blob: bytes | None = None):
    """In a worker process: the objective ``blob`` holds, unpickled the first time its ``digest`` arrives
    (a pool's initializer can send it once; later calls may then give the digest alone).

    Keeps one objective at a time per worker (one search at a time): it may hold a whole dataset.
    """
    if digest not in _received:
        if blob is None:
            raise RuntimeError(f"objective {digest[:12]} never reached this worker process; send it first.")
        _received.clear()
        _received[digest] = pickle.loads(blob)
    return _received[digest]


def evaluate_shipped(digest: str, blob: bytes, params: dict, budget=None, lineage=None) -> Outcome:
    """``evaluate`` in a worker process, unpickling the objective only the first time it arrives."""
    return evaluate(received(digest, blob), params, budget, lineage)


def _is_dask(executor) -> bool:
    return type(executor).__module__.startswith("distributed")


def ship(objective, executor, where: str = "executor") -> tuple[str, bytes] | None:
    """The objective pickled for ``executor``'s workers (None for threads, which share it).

    Raises ValueError, naming the fix, for an objective the workers cannot receive: a process
    pool started with "spawn" imports the objective by name, so it cannot be defined in a
    notebook cell, a script's main or a function; Dask pickles by value (cloudpickle), so
    only objects that cannot be pickled at all are refused.
    """
    if isinstance(executor, cf.ThreadPoolExecutor) or executor is None:
        return None
    if _is_dask(executor):
        import cloudpickle

        dumps, how = cloudpickle.dumps, "cloudpickle"
    else:
        dumps, how = pickle.dumps, "pickle"
        context = getattr(executor, "_mp_context", None)
        forked = context is not None and context.get_start_method() == "fork"
        owner = objective if hasattr(objective, "__qualname__") else type(objective)
        here = getattr(owner, "__module__", "") == "__main__" or "<locals>" in getattr(owner, "__qualname__", "")
        if here and not forked:
            raise ValueError(
                f"{where} runs trials in worker processes, which cannot import {owner.__qualname__!r} defined in "
                f"{owner.__module__!r}; move it to a module (or use a KerasObjective or a benchmark), or run the "
                "trials on threads (executor='threads') or inline (n_workers=1).")
    try:
        blob = dumps(objective)
    except Exception as exc:
        raise ValueError(f"{where} sends the objective to worker processes with {how}, and this one cannot be "
                         f"pickled ({exc}); run the trials on threads (executor='threads') or inline "
                         "(n_workers=1).") from exc
    return hashlib.sha1(blob).hexdigest(), blob


def process_pool(n_workers: int, initializer=None, initargs=()) -> cf.ProcessPoolExecutor:
    """Worker processes started fresh ("spawn"): TensorFlow does not survive a fork."""
    import multiprocessing

    return cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=initializer, initargs=initargs)


def make_executor(executor, n_workers: int):
    """``(executor, owned)``: the strings "threads" and "processes" make a pool that ``run`` shuts down."""
    if executor == "threads":
        return cf.ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="trial"), True
    if executor == "processes":
        return process_pool(n_workers), True
    if executor is not None and not isinstance(executor, cf.Executor) and not hasattr(executor, "submit"):
        raise TypeError(f"executor must be a concurrent.futures.Executor (a thread or process pool, or Dask's "
                        f"Client(...).get_executor()), 'threads', 'processes' or None; got {type(executor).__name__}.")
    if executor is None and n_workers > 1:
        return cf.ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="trial"), True
    return executor, False


# -- pools: submit trials, collect them as they complete --------------------------------------------
class Inline:
    """Each trial runs when submitted, in the calling thread."""

    broken = None  # an inline pool never loses a worker

    def __init__(self, objective, lineage: bool = False):
        self.objective, self.lineage, self.done = objective, lineage, []

    def submit(self, suggestion) -> None:
        self.done.append((suggestion, evaluate(self.objective, *trial_args(suggestion, self.lineage))))

    def next_done(self) -> list:
        done, self.done = self.done, []
        return done

    def clock(self) -> float:
        return time.monotonic()

    def close(self, cancel: bool = False) -> None:
        pass


class PoolBroken(RuntimeError):
    """An executor you passed can no longer run trials (one of its worker processes died).

    Everything evaluated before is in ``.history`` (and in the journal, if the search had one).
    """

    def __init__(self, message: str, history=None):
        super().__init__(message)
        self.history = history


def _crashed(exc: BaseException) -> str:
    return (f"worker process crashed while this trial was in its pool ({type(exc).__name__}: {exc}); a process "
            "that dies (os._exit, a segfault, the out-of-memory killer) fails every trial in its pool")


class Futures:
    """Trials on an executor; ``next_done`` blocks until at least one finishes, oldest finish first.

    A pool whose worker process died (``BrokenExecutor``) fails every trial that was in it. A
    pool ``run`` made (``owned``) is then made again by ``remake`` and the search goes on; one
    you passed is left to you: ``broken`` says so, and ``run`` stops with ``PoolBroken``.
    """

    def __init__(self, objective, executor, owned: bool, where: str = "run", remake=None, lineage: bool = False):
        self.executor, self.owned, self.remake, self.lineage = executor, owned, remake, lineage
        self.shipped = ship(objective, executor, where)
        self.objective = objective
        self.running: dict[cf.Future, Any] = {}
        self.lost: list = []  # (suggestion, outcome) of trials failed with a broken pool, not yet handed back
        self.broken: BaseException | None = None  # set when a pool that is not ours broke

    def submit(self, suggestion) -> None:
        """Start the trial, unless the executor you passed is broken (then ``broken`` is set)."""
        try:
            future = self._submit(suggestion)
        except cf.BrokenExecutor as exc:  # a worker died since the last result: the pool refuses new work
            self._lose_all(exc)
            if self.broken is not None:
                return
            future = self._submit(suggestion)  # on the pool made again
        self.running[future] = suggestion

    def _submit(self, suggestion) -> cf.Future:
        # Dask takes a call with the same arguments for the same task (pure=True by default), so two trials
        # of one configuration in flight would share one training: every trial is its own task.
        options = {"pure": False} if _is_dask(self.executor) and "pure" not in self.executor._kwargs else {}
        if self.shipped is None:
            return self.executor.submit(evaluate, self.objective, *trial_args(suggestion, self.lineage), **options)
        return self.executor.submit(evaluate_shipped, *self.shipped, *trial_args(suggestion, self.lineage),
                                    **options)

    def next_done(self) -> list:
        done, self.lost = self.lost, []
        if not done:
            finished, _ = cf.wait(list(self.running), return_when=cf.FIRST_COMPLETED)
            for future in finished:
                suggestion = self.running.pop(future)
                try:
                    outcome = future.result()
                except cf.BrokenExecutor as exc:  # the pool is gone: so is every trial still in it
                    done.append((suggestion, _failed(_crashed(exc))))
                    self._lose_all(exc)
                    done += self.lost
                    self.lost = []
                    break
                except Exception as exc:  # the task itself was lost (a Dask worker gone for good)
                    outcome = _failed(f"worker failed: {type(exc).__name__}: {exc}")
                done.append((suggestion, outcome))
        return sorted(done, key=lambda pair: pair[1].start + pair[1].duration)

    def _lose_all(self, exc: BaseException) -> None:
        """Fail the trials still in a broken pool, and make a new pool if it was ours."""
        finished, _ = cf.wait(list(self.running), timeout=60)  # a broken pool fails them all at once
        for future, suggestion in list(self.running.items()):
            if future in finished and not future.cancelled() and future.exception() is None:
                self.lost.append((suggestion, future.result()))  # it finished before the pool broke
            else:
                future.cancel()
                self.lost.append((suggestion, _failed(_crashed(exc))))
        self.running.clear()
        if self.owned and self.remake is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self.remake()
        else:
            self.broken = exc

    def clock(self) -> float:
        return time.monotonic()

    def close(self, cancel: bool = False) -> None:
        if self.owned:
            self.executor.shutdown(wait=not cancel, cancel_futures=cancel)


def _failed(error: str) -> Outcome:
    return Outcome(None, error, {}, time.time(), 0.0, "")
