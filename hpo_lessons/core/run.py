"""The one search loop: ask, evaluate, tell, record; with budgets, workers, failures and resume."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from numbers import Real as _Number
from typing import Any

from .checks import is_int, is_number
from .history import History
from .journal import Journal
from .objective import (
    accepts_budget,
    brings_own_pool,
    free_checkpoints,
    max_budget_of,
    resolve_direction,
    resumes_from_parent,
    trial_cost,
)
from .protocols import Exhausted, NotReady, Objective, Optimizer
from .trial import COMPLETE, FAILED, Trial, minimized, signs, trial_from_event
from .workers import Futures, Inline, PoolBroken, make_executor


class StopSearch(Exception):
    """Raise from a callback to end the search cleanly after the current trial."""


class TooManyFailures(RuntimeError):
    """Raised after ``max_consecutive_failures`` failed trials in a row; ``.history`` keeps them."""

    def __init__(self, message: str, history: History):
        super().__init__(message)
        self.history = history


def _check_arguments(objective, optimizer, n_trials, timeout, total_budget, n_workers, max_consecutive_failures,
                     goal):
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")
    if not (hasattr(optimizer, "ask") and hasattr(optimizer, "tell") and hasattr(optimizer, "space")):
        raise TypeError(f"optimizer must have ask(), tell() and .space, got {type(optimizer).__name__}; "
                        "pass e.g. hl.RandomSearch(space).")
    if n_trials is not None and (not is_int(n_trials) or n_trials < 1):
        raise ValueError(f"n_trials must be a positive int or None, got {n_trials!r}.")
    for name, value in (("timeout", timeout), ("total_budget", total_budget)):
        if value is not None and (not is_number(value) or not value > 0):
            raise ValueError(f"{name} must be a positive number or None, got {value!r}.")
    if not is_int(n_workers) or n_workers < 1:
        raise ValueError(f"n_workers must be an int >= 1 (trials in flight at once), got {n_workers!r}.")
    if not is_int(max_consecutive_failures) or max_consecutive_failures < 1:
        raise ValueError(f"max_consecutive_failures must be an int >= 1, got {max_consecutive_failures!r}.")
    if n_trials is None and timeout is None and total_budget is None \
            and not math.isfinite(getattr(optimizer, "size", math.inf)):
        raise ValueError("this search has no end: give n_trials, a timeout, a total_budget, "
                         "or a finite method such as GridSearch.")
    if getattr(optimizer, "needs_budget", False) and not accepts_budget(objective):
        raise TypeError(f"{type(optimizer).__name__} gives each trial a budget, but the objective takes none; "
                        "give it a budget parameter: def objective(params, budget): ... (train for `budget` "
                        "epochs), or use a full-fidelity method.")
    wanted = 1 if isinstance(goal, str) else len(goal)
    objectives = getattr(optimizer, "n_objectives", 1)
    if objectives != wanted and not (objectives is None and wanted > 1):
        raise ValueError(f"{type(optimizer).__name__} optimizes {objectives} objective(s), but the search has "
                         f"{wanted} ({goal!r}); use a multi-objective method (hl.NSGAII, hl.ParEGO, hl.MOASHA) "
                         "for several directions, or give one direction.")
    if getattr(optimizer, "needs_parent", False) and not resumes_from_parent(objective):
        raise TypeError(f"{type(optimizer).__name__} continues trials from other trials' checkpoints, but the "
                        "objective cannot: give it resumes_from_parent = True and the keywords trial_id and parent "
                        "(keep each trial's checkpoint under its id, start from parent's), as KerasObjective does.")


def run(
    objective: Objective | Callable[..., Any],
    optimizer: Optimizer,
    n_trials: int | None = None,
    timeout: float | None = None,
    total_budget: float | None = None,
    direction: str | None = None,
    n_workers: int = 1,
    executor=None,
    journal=None,
    progress: bool = True,
    callbacks: Iterable[Callable[[History, Trial], None]] = (),
    max_consecutive_failures: int = 5,
    directions: Sequence[str] | None = None,
) -> History:
    """Search: ask ``optimizer`` for suggestions, score them with ``objective``, tell it the results.

    Parameters
    ----------
    objective : params dict -> float, or -> dict with a "value" key and extra fields to keep.
        Suggestions with a budget (multi-fidelity methods) call ``objective(params, budget=b)``;
        an objective with ``resumes_from_parent = True`` also gets ``trial_id=`` and ``parent=``
        (the id of the trial whose checkpoint it continues, or None). With several
        ``directions`` it returns one number per objective (a list, or a list as "value").
    optimizer : any method of ``hpo_lessons.methods``, or an adapter from ``hpo_lessons.frameworks``
        (it always minimizes; ``run`` negates values when ``direction="maximize"``).
    n_trials : total number of trials, failed ones and those replayed from ``journal`` included.
    timeout : seconds after which no new trial starts (those running finish and are kept).
    total_budget : the most the trials' budgets may add up to; a trial that would go over it
        does not start. A full-fidelity trial costs the objective's ``max_budget`` (a
        ``KerasObjective``'s epochs) or, for an objective without one, 1.
    direction : "minimize" or "maximize"; None takes ``objective.direction`` when it has one,
        else minimizes. A direction that contradicts the objective's is a ValueError.
    directions : one direction per objective, for a search with several (a multi-objective
        method such as ``hl.NSGAII``); None takes ``objective.directions`` when it has them.
        The history then has ``pareto_front()`` instead of ``best``.
    n_workers : trials in flight at once. Results are told in the order they complete.
    executor : where trials run: None (inline when ``n_workers=1``, else a thread pool),
        "threads", "processes" (spawned worker processes; the objective must be importable),
        any ``concurrent.futures.Executor``, e.g. ``dask.distributed.Client(...).get_executor()``,
        or ``hpo_lessons.Simulated()`` (a simulated clock for tabulated benchmarks). A pool
        ``run`` makes is shut down at the end; one you pass stays yours. A worker process that
        dies (``os._exit``, a segfault, out of memory) fails the trials that were in its pool; a
        pool ``run`` made is then made again and the search goes on, while a broken executor you
        passed ends the search with ``PoolBroken`` (its ``.history`` and the journal keep every
        trial, and the message says how to resume).
    journal : path of the search's event log (see ``hpo_lessons.core.journal``). If it exists, its
        events are replayed into ``optimizer`` (built with the same space, settings and seed),
        the trials that were running when it stopped run again first, and the search goes on.
    callbacks : called as ``cb(history, trial)`` after each trial; raise ``StopSearch`` to end.
    max_consecutive_failures : stop with ``TooManyFailures`` (carrying the history) after this
        many failed trials in a row, counted across a resume: the objective is broken.

    Returns the ``History``. Interrupting (Ctrl-C, a notebook's stop button) returns the
    history so far.

    Checkpoints are freed with the search: when ``run`` returns or raises, it calls
    ``objective.clear_checkpoints()`` if the objective has one (``KerasObjective``, a tabulated
    benchmark), so the next search on the same objective trains from scratch instead of being
    handed what this one trained. So a search resumed from its journal after an error or a
    Ctrl-C retrains the configurations it promotes from scratch (the same scores, more time;
    a SIGKILL leaves the files of a ``checkpoint_dir`` in place). Two searches sharing one
    objective at the same time free each other's checkpoints (slower, not wrong); give each
    its own objective.
    """
    goal = resolve_direction(objective, direction, directions)
    _check_arguments(objective, optimizer, n_trials, timeout, total_budget, n_workers, max_consecutive_failures, goal)
    to_minimized = signs(goal)
    name = getattr(optimizer, "name", None) or type(optimizer).__name__
    history = (History(direction=goal, space=optimizer.space, name=name) if isinstance(goal, str) else
               History(directions=goal, space=optimizer.space, name=name))
    try:
        book = Journal(journal, optimizer.space, goal, history.name) if journal is not None else None
        try:
            rerun = _replay(book.events, optimizer, to_minimized, history, objective) if book is not None else []
            if book is not None and n_trials is not None and len(history) >= n_trials:
                warnings.warn(f"journal {book.path} already holds {len(history)} trials (n_trials={n_trials}): "
                              "replayed them, nothing new to run.", stacklevel=2)
                return history
            pool = _pool(objective, executor, n_workers)
            loop = _Loop(objective, optimizer, to_minimized, history, book, pool, n_workers, n_trials, timeout,
                         total_budget, list(callbacks), max_consecutive_failures, progress)
            loop.go(rerun)
        finally:
            if book is not None:
                book.close()
    finally:
        # The search's checkpoints go with it: a later search on the same objective must train, not be
        # served what this one trained (two independent searches compared on one objective).
        free_checkpoints(objective)
    return history


def _pool(objective, executor, n_workers):
    lineage = resumes_from_parent(objective)
    if brings_own_pool(executor):  # such as simulated.Simulated
        return executor.pool(objective, n_workers, lineage)
    pool_executor, owned = make_executor(executor, n_workers)
    if pool_executor is None:
        return Inline(objective, lineage)
    remake = (lambda: make_executor(executor, n_workers)[0]) if owned else None
    try:
        return Futures(objective, pool_executor, owned, remake=remake, lineage=lineage)
    except BaseException:  # an objective the workers cannot receive: the pool made for it goes too
        if owned:
            pool_executor.shutdown(wait=False)
        raise


class _Loop:
    """The state of one search while it runs: what is in flight, what was spent, when it ends."""

    def __init__(self, objective, optimizer, sign, history, book, pool, n_workers, n_trials, timeout, total_budget,
                 callbacks, max_failures, progress):
        self.objective, self.optimizer, self.sign, self.history, self.book = objective, optimizer, sign, history, book
        self.pool, self.n_workers, self.n_trials, self.timeout, self.total_budget = (pool, n_workers, n_trials,
                                                                                    timeout, total_budget)
        self.callbacks, self.max_failures = callbacks, max_failures
        self.in_flight: dict[int, float] = {}  # suggestion id -> its cost
        self.spent = sum(trial_cost(objective, t.budget) for t in history)
        self.failures_in_a_row = _failures_at_end(history)
        self.started = pool.clock()
        self.no_more = False  # the optimizer is exhausted, or a budget ran out
        self.bar = _progress_bar(n_trials, total_budget, history, self.spent) if progress else None

    def go(self, rerun: list) -> None:
        try:
            queue = list(rerun)  # trials that were running when a journaled search stopped
            while True:
                while len(self.in_flight) < self.n_workers and self._may_start():
                    suggestion = queue.pop(0) if queue else self._ask()
                    if suggestion is None:
                        break
                    self._start(suggestion, journaled=suggestion in rerun)
                if not self.in_flight:
                    break
                for suggestion, outcome in self.pool.next_done():
                    if self._finish(suggestion, outcome):
                        self.no_more = True
            self.pool.close()
            self._raise_if_broken()
        except KeyboardInterrupt:
            self.pool.close(cancel=True)
            warnings.warn(f"search interrupted after {len(self.history)} trials; returning the history so far.",
                          stacklevel=3)
        except BaseException:
            self.pool.close(cancel=True)
            raise
        finally:
            if self.bar is not None:
                self.bar.close()

    def _may_start(self) -> bool:
        if self.no_more or self.pool.broken is not None:
            return False
        if self.n_trials is not None and len(self.history) + len(self.in_flight) >= self.n_trials:
            return False
        return self.timeout is None or self.pool.clock() - self.started < self.timeout

    def _ask(self):
        try:
            return self.optimizer.ask()
        except Exhausted:
            self.no_more = True
        except NotReady:
            if not self.in_flight:
                raise RuntimeError(f"{type(self.optimizer).__name__}.ask() says it is waiting for results, but no "
                                   "trial is running: it would wait forever. This is a bug in the method.") from None
        return None

    def _start(self, suggestion, journaled: bool) -> None:
        cost = trial_cost(self.objective, suggestion.budget)
        if self.total_budget is not None and self.spent + sum(self.in_flight.values()) + cost > self.total_budget:
            self.no_more = True  # the budget ends here: this trial would go over it
            return
        if self.book is not None and not journaled:
            self.book.ask(suggestion)  # on disk before the trial starts
        self.in_flight[suggestion.id] = cost
        self.pool.submit(suggestion)
        if self.pool.broken is not None:  # your executor lost a worker: it did not start
            del self.in_flight[suggestion.id]
            self.no_more = True

    def _raise_if_broken(self) -> None:
        broken = self.pool.broken
        if broken is None:
            return
        kept = f"in .history and in the journal {str(self.book.path)!r}" if self.book is not None else "in .history"
        how = (f"call run again with a new executor and journal={str(self.book.path)!r}: it resumes where this "
               "search stopped" if self.book is not None else
               "call run again with a new executor, and pass journal=... to make the next search resumable")
        raise PoolBroken(
            f"a worker process of the executor you passed died ({type(broken).__name__}: {broken}), and that "
            f"executor cannot run trials any more. The {len(self.history)} trials so far are kept {kept}; the "
            f"trials that were in the pool are recorded failed. To go on, {how}; or pass executor='processes', "
            "whose pool run makes again when a process dies.", self.history)

    def _finish(self, suggestion, outcome) -> bool:
        """Record one result; True when the search must stop (a callback said so)."""
        cost = self.in_flight.pop(suggestion.id)
        budget = suggestion.budget if suggestion.budget is not None else max_budget_of(self.objective)
        value, error = outcome.value, outcome.error
        if error is None and _width(value) != _width(self.sign):
            value, error = None, (f"objective returned {value!r}, but the search has {_width(self.sign)} "
                                  "objective(s): return one number per direction")
        trial = Trial(number=len(self.history), params=dict(suggestion.params), value=value,
                      status=COMPLETE if error is None else FAILED, error=error, start=outcome.start,
                      duration=outcome.duration, extras=outcome.extras, id=suggestion.id,
                      budget=budget if isinstance(budget, _Number) else None, worker=outcome.worker,
                      parent=suggestion.parent)
        self.optimizer.tell(suggestion, minimized(value, self.sign))
        if self.book is not None:
            self.book.tell(trial)
        self.history.trials.append(trial)
        self.spent += cost
        if self.bar is not None:
            _update_bar(self.bar, self.history, 1 if self.n_trials is not None or self.total_budget is None else cost)
        self.failures_in_a_row = 0 if trial.ok else self.failures_in_a_row + 1
        if self.failures_in_a_row >= self.max_failures:
            raise TooManyFailures(
                f"{self.failures_in_a_row} trials failed in a row; the last error was: {trial.error}. "
                "Fix the objective (or raise max_consecutive_failures); the trials so far are in .history.",
                self.history)
        try:
            for callback in self.callbacks:
                callback(self.history, trial)
        except StopSearch:
            return True
        return False


def _width(value_or_signs) -> int:
    """How many objectives a value (or the list of signs) has: 1 for a number."""
    return len(value_or_signs) if isinstance(value_or_signs, list) else 1


def _failures_at_end(history: History) -> int:
    count = 0
    for trial in reversed(history.trials):
        if trial.ok:
            break
        count += 1
    return count


def _replay(events: list[dict], optimizer, sign, history: History, objective) -> list:
    """Feed journaled events back through ask/tell, in their order, so the optimizer's state (and RNG)
    is restored; return the suggestions that were asked and never told (running at the crash)."""
    asked: dict[int, Any] = {}
    space = optimizer.space
    for event in events:
        if event["event"] == "ask":
            try:
                suggestion = optimizer.ask()
            except (Exhausted, NotReady) as exc:
                raise ValueError(f"the journal asked for trial {event['id']} here, but the optimizer now says "
                                 f"{type(exc).__name__}: the journal was written by a different method, settings or "
                                 "seed. Use those, or a new journal path.") from None
            same = space.key(suggestion.params) == space.key(space.validate(event["params"]))
            if not same or suggestion.budget != event["budget"] or suggestion.parent != event.get("parent"):
                raise ValueError(
                    f"journal trial {event['id']} has params {event['params']} (budget {event['budget']}), but the "
                    f"optimizer now proposes {suggestion.params} (budget {suggestion.budget}): the journal was "
                    "written by a different method, settings or seed. Use those, or a new journal path.")
            asked[event["id"]] = suggestion
        else:
            trial = trial_from_event(event)
            suggestion = asked.pop(trial.id, None)
            if suggestion is None:
                raise ValueError(f"journal: trial {trial.id} finished but was never asked; the journal is corrupt. "
                                 "Start a new journal path.")
            trial.number = len(history)
            optimizer.tell(suggestion, minimized(trial.value, sign))
            history.trials.append(trial)
    return list(asked.values())


def _progress_bar(n_trials, total_budget, history, spent):
    from tqdm.auto import tqdm

    if n_trials is None and total_budget is not None:
        return tqdm(total=total_budget, initial=spent, desc="budget", unit="epoch", leave=True)
    return tqdm(total=n_trials, initial=len(history), desc="trials", unit="trial", leave=True)


def _update_bar(bar, history: History, step) -> None:
    """Advance the bar; O(1) per trial (the history keeps its incumbent and counts up to date)."""
    bar.update(step)
    postfix = {}
    if history.directions is None and history.n_completed:  # several objectives have a front, not a best
        best = history.best
        postfix["best"] = f"{best.value:.4g}"
        if best.budget is not None:  # the best is taken at the largest budget reached
            postfix["at"] = f"{best.budget:g}"
    if history.n_failed:
        postfix["failed"] = history.n_failed
    bar.set_postfix(postfix, refresh=False)

