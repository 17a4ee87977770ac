"""The one search loop: ask, evaluate, tell, record; with budgets, failures and resume."""

from __future__ import annotations

import math
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from numbers import Real as _Number
from typing import Any

from .history import COMPLETE, DIRECTIONS, FAILED, History, Journal, Trial
from .methods.base import Exhausted


class StopSearch(Exception):
    """Raise from a callback to end the search cleanly after the current trial."""


class TooManyFailures(RuntimeError):
    """Raised after ``max_consecutive_failures`` failed trials in a row; ``.history`` keeps them."""

    def __init__(self, message: str, history: History):
        super().__init__(message)
        self.history = history


def _check_arguments(objective, optimizer, n_trials, timeout, direction, max_consecutive_failures) -> None:
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")
    if not (hasattr(optimizer, "ask") and hasattr(optimizer, "tell") and hasattr(optimizer, "space")):
        raise TypeError(f"optimizer must have ask(), tell() and .space, got {type(optimizer).__name__}; "
                        "pass e.g. hl.RandomSearch(space).")
    if n_trials is not None and (isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1):
        raise ValueError(f"n_trials must be a positive int or None, got {n_trials!r}.")
    if timeout is not None and (not isinstance(timeout, _Number) or not timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}.")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    if not isinstance(max_consecutive_failures, int) or max_consecutive_failures < 1:
        raise ValueError(f"max_consecutive_failures must be an int >= 1, got {max_consecutive_failures!r}.")
    if n_trials is None and timeout is None and not math.isfinite(getattr(optimizer, "size", math.inf)):
        raise ValueError("this search has no end: give n_trials, a timeout, or a finite method such as GridSearch.")


def _evaluate(objective: Callable, params: dict) -> tuple[float | None, str | None, dict]:
    """Call the objective; return (value, error, extras). Any exception becomes a failure."""
    try:
        result = objective(dict(params))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a failing trial must never end the search
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return None, f"{type(exc).__name__}: {exc} (at {last.filename}:{last.lineno})", {}
    extras: dict[str, Any] = {}
    if isinstance(result, dict):
        if "value" not in result:
            return None, "objective returned a dict without a 'value' key", {}
        extras = {k: v for k, v in result.items() if k != "value"}
        result = result["value"]
    if isinstance(result, bool) or not isinstance(result, _Number):
        return None, f"objective returned {result!r} ({type(result).__name__}), not a number", extras
    if not math.isfinite(result):
        return None, f"objective returned {float(result)} (non-finite)", extras
    return float(result), None, extras


def run(
    objective: Callable[[dict], Any],
    optimizer,
    n_trials: int | None = None,
    timeout: float | None = None,
    direction: str = "minimize",
    journal=None,
    progress: bool = True,
    callbacks: Iterable[Callable[[History, Trial], None]] = (),
    max_consecutive_failures: int = 5,
) -> History:
    """Search: ask ``optimizer`` for params, score them with ``objective``, tell it the result.

    Parameters
    ----------
    objective : params dict -> float, or -> dict with a "value" key and extra fields to keep.
    optimizer : any method of ``hpo_lessons.methods`` (it always minimizes; ``run`` negates
        values when ``direction="maximize"``).
    n_trials : total number of trials, failed ones and those replayed from ``journal`` included.
    timeout : seconds after which no new trial starts.
    journal : path of a JSON-lines file. Each finished trial is appended and synced to disk
        before the next starts; if the file exists, its trials are replayed into ``optimizer``
        (which must be built with the same space, settings and seed) and the search continues
        exactly where it stopped.
    callbacks : called as ``cb(history, trial)`` after each trial; raise ``StopSearch`` to end.
    max_consecutive_failures : stop with ``TooManyFailures`` (carrying the history) after this
        many failed trials in a row: something is wrong with the objective, not the params.

    Returns the ``History``. Interrupting (Ctrl-C, a notebook's stop button) returns the
    history so far.
    """
    _check_arguments(objective, optimizer, n_trials, timeout, direction, max_consecutive_failures)
    space = optimizer.space
    sign = 1.0 if direction == "minimize" else -1.0
    history = History(direction=direction, space=space, name=type(optimizer).__name__)
    book = Journal(journal, space, direction) if journal is not None else None
    if book is not None:
        _replay(book.trials, optimizer, sign, history)

    callbacks = list(callbacks)
    bar = _progress_bar(n_trials, len(history)) if progress else None
    started = time.monotonic()
    failures_in_a_row = 0
    try:
        while n_trials is None or len(history) < n_trials:
            if timeout is not None and time.monotonic() - started >= timeout:
                break
            try:
                params = optimizer.ask()
            except Exhausted:
                break
            start, t0 = time.time(), time.perf_counter()
            value, error, extras = _evaluate(objective, params)
            trial = Trial(number=len(history), params=dict(params), value=value,
                          status=COMPLETE if error is None else FAILED, error=error,
                          start=start, duration=time.perf_counter() - t0, extras=extras)
            optimizer.tell(params, None if value is None else sign * value)
            if book is not None:
                book.append(trial)
            history.trials.append(trial)
            if bar is not None:
                _update_bar(bar, history)
            failures_in_a_row = 0 if trial.ok else failures_in_a_row + 1
            if failures_in_a_row >= max_consecutive_failures:
                raise TooManyFailures(
                    f"{failures_in_a_row} trials failed in a row; the last error was: {trial.error}. "
                    "Fix the objective (or raise max_consecutive_failures); the trials so far are in .history.",
                    history,
                )
            try:
                for callback in callbacks:
                    callback(history, trial)
            except StopSearch:
                break
    except KeyboardInterrupt:
        warnings.warn(f"search interrupted after {len(history)} trials; returning the history so far.", stacklevel=2)
    finally:
        if bar is not None:
            bar.close()
    return history


def _replay(trials: list[Trial], optimizer, sign: float, history: History) -> None:
    """Feed journaled trials back through ask/tell so the optimizer's state (and RNG) is restored."""
    for trial in trials:
        params = optimizer.ask()
        if optimizer.space.key(params) != optimizer.space.key(trial.params):
            raise ValueError(
                f"journal trial {trial.number} has params {trial.params}, but the optimizer now proposes {params}: "
                "the journal was written by a different method, settings or seed. Use those, or a new journal path."
            )
        optimizer.tell(params, None if trial.value is None else sign * trial.value)
        history.trials.append(trial)


def _progress_bar(total, initial):
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc="trials", unit="trial", leave=True)


def _update_bar(bar, history: History) -> None:
    bar.update(1)
    postfix = {"best": f"{history.best_value:.4g}"} if history.completed else {}
    if history.failed:
        postfix["failed"] = len(history.failed)
    bar.set_postfix(postfix, refresh=False)
