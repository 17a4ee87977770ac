"""The contracts every part of the package meets, declared once.

A method (``Optimizer``) proposes with ``ask()`` and learns with ``tell(suggestion, value)``;
an ``Objective`` scores a configuration; a ``Pool`` runs trials and hands back their outcomes
in the order they complete. ``run`` (``core/run.py``) is the one loop that joins them. These
are ``typing.Protocol`` classes: nothing has to inherit from them, and a type checker (or
``isinstance`` on the ``runtime_checkable`` ones) says whether a class fits.

Values are minimized by every method. A value is a float for a single objective, or a
sequence of floats (one per objective) when the search has several ``directions``; ``None``,
NaN or an infinity (in any component) means the trial failed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

Value = float | Sequence[float] | None  # what ask/tell methods are told: minimized, one float or one per objective


class Exhausted(Exception):
    """Raised by ``ask()`` when a method has nothing left to propose (a finished grid)."""


class NotReady(Exception):  # noqa: N818  a signal, not an error: "ask me again after the next tell"
    """Raised by ``ask()`` when a method must hear back from pending trials before it can propose.

    ``run`` waits for the next result and asks again. It is not a ``RuntimeError`` on purpose:
    code that catches errors broadly must not swallow it.
    """


@dataclass(frozen=True)
class Suggestion:
    """What ``ask()`` returns: ``id`` (unique within the method, in ask order), ``params``, ``budget``, ``parent``.

    ``budget`` is how long to train (epochs, or whatever unit the objective uses); ``None``
    means "in full", as for every method that is not multi-fidelity. The same configuration
    may come back under a new id with a larger budget (a promotion). ``parent`` is the id of
    the trial whose checkpoint this one continues (population-based training's exploit step
    copies a better member's weights, then trains them on with new params); ``None`` means
    "continue this configuration's own checkpoint, if any", as every other method does.
    """

    id: int
    params: dict
    budget: float | None = None
    parent: int | None = None

    def __repr__(self) -> str:  # the parent only where there is one: most methods never set it
        lineage = "" if self.parent is None else f", parent={self.parent!r}"
        return f"Suggestion(id={self.id!r}, params={self.params!r}, budget={self.budget!r}{lineage})"


def is_failure(value) -> bool:
    """True for the values that mean "this trial failed": None, and NaN or infinity in any component."""
    if value is None:
        return True
    if isinstance(value, (list, tuple)) or hasattr(value, "__array__") and getattr(value, "ndim", 0) > 0:
        return len(value) == 0 or any(is_failure(v) for v in value)
    return not math.isfinite(float(value))


@runtime_checkable
class Optimizer(Protocol):
    """A search method: ``space``, ``ask() -> Suggestion`` and ``tell(suggestion, value)``.

    Optional attributes ``run`` reads: ``needs_budget`` (its suggestions carry budgets, so the
    objective must take one), ``size`` (how many configurations it can propose; ``math.inf``
    if unbounded), ``n_objectives`` (how many values a trial must return; 1 if absent) and
    ``name``.
    """

    space: Any

    def ask(self) -> Suggestion: ...

    def tell(self, suggestion: Suggestion, value: Value) -> None: ...


class Objective(Protocol):
    """What a search scores: ``objective(params) -> value``, or ``objective(params, budget=b)``.

    The value is a number, a sequence of numbers (several objectives), or a dict with a
    ``"value"`` key and extras to keep. Optional attributes, read only through
    ``core/objective.py``: ``direction`` or ``directions``, ``max_budget`` (a full training's
    budget), ``clear_checkpoints()`` (called when a search ends), and ``resumes_from_parent``
    (it can continue another trial's checkpoint: a suggestion's ``parent``).
    """

    def __call__(self, params: dict, *args: Any, **kwargs: Any) -> Any: ...


class Pool(Protocol):
    """Where trials run: ``submit`` one, ``next_done`` yields ``(suggestion, outcome)`` as they finish.

    ``clock()`` is the pool's time in seconds (wall time, or a simulated clock); ``close``
    shuts it down (cancelling what has not started when ``cancel``); ``broken`` holds the
    exception of a pool that lost a worker and cannot run trials any more, else ``None``.
    """

    broken: BaseException | None

    def submit(self, suggestion: Suggestion) -> None: ...

    def next_done(self) -> Iterator[tuple[Suggestion, Any]]: ...

    def clock(self) -> float: ...

    def close(self, cancel: bool = False) -> None: ...


@runtime_checkable
class PoolMaker(Protocol):
    """An executor that brings its own pool (``core/simulated.Simulated``): ``pool(objective, n_workers)``."""

    def pool(self, objective: Any, n_workers: int, lineage: bool = False) -> Pool: ...
