"""What every method shares: the ask/tell contract and the bookkeeping of told trials.

A method proposes with ``ask()`` and learns with ``tell(params, value)``; ``value`` is
minimized, and ``None`` (or NaN/inf) means the trial failed. ``ask()`` may be called several
times before the matching ``tell()`` calls arrive (parallel workers), so methods keep the
asked-but-not-told configurations in ``pending``. Methods never touch files, clocks or
progress bars: ``hpo_lessons.run`` does.
"""

from __future__ import annotations

import math

import numpy as np

from ..space import Space


class Exhausted(Exception):
    """Raised by ``ask()`` when a method has nothing left to propose (a finished grid)."""


def is_failure(value) -> bool:
    """True for the values that mean "this trial failed": None, NaN and infinities."""
    return value is None or not math.isfinite(float(value))


class Optimizer:
    """Base class: holds the space, a seeded generator and the lists of told trials.

    Subclasses implement ``ask()`` and may extend ``tell()``. ``X`` are the told params,
    ``y`` their values (``None`` for a failure).
    """

    def __init__(self, space: Space, seed: int | None = None):
        if not isinstance(space, Space):
            raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}; wrap it: Space(...).")
        self.space = space
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.X: list[dict] = []
        self.y: list[float | None] = []
        self.pending: list[dict] = []
        self._seen: set = set()  # keys of told and pending configurations

    def ask(self) -> dict:
        raise NotImplementedError

    def tell(self, params: dict, value) -> None:
        params = self.space.validate(params)
        key = self.space.key(params)
        for i, p in enumerate(self.pending):
            if self.space.key(p) == key:
                del self.pending[i]
                break
        self._seen.add(key)
        self.X.append(params)
        self.y.append(None if is_failure(value) else float(value))

    # helpers for subclasses
    def _mark_pending(self, params: dict) -> dict:
        self.pending.append(params)
        self._seen.add(self.space.key(params))
        return params

    def seen(self, params: dict) -> bool:
        """Whether ``params`` was already told or is pending."""
        return self.space.key(params) in self._seen

    @property
    def size(self) -> float:
        """How many configurations this method can propose (``math.inf`` unless finite)."""
        return math.inf

    def __repr__(self) -> str:
        return f"{type(self).__name__}(space with {len(self.space)} dims, seed={self.seed!r})"
