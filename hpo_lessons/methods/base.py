"""What every method shares: the bookkeeping of told trials (the contract is ``core/protocols.py``).

A method proposes with ``ask()``, which returns a ``Suggestion`` (an id, the params and a
budget), and learns with ``tell(suggestion, value)``; ``value`` is minimized, and ``None``
(or NaN/inf) means the trial failed. ``ask()`` may be called several times before the
matching ``tell()`` calls arrive (parallel workers), so methods keep the asked-but-not-told
suggestions in ``pending``. A method that cannot propose until some of them come back (a
generation still being evaluated) raises ``NotReady``; one with nothing left raises
``Exhausted``. Methods never touch files, clocks, threads or progress bars:
``hpo_lessons.core.run`` does.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.protocols import Exhausted, NotReady, Suggestion, is_failure
from ..core.space import Space

__all__ = ["Exhausted", "NotReady", "Optimizer", "Suggestion", "is_failure"]


def _number_or_list(value):
    """A told value as a float, or a list of floats for a method of several objectives."""
    return float(value) if np.ndim(value) == 0 else [float(v) for v in value]


class Optimizer:
    """Base class: holds the space, a seeded generator and the lists of told trials.

    Subclasses implement ``ask()``, returning ``self._suggest(params)`` (or with a budget),
    and may extend ``tell()``. ``X`` are the told params, ``y`` their values (``None`` for a
    failure), ``pending`` the suggestions asked and not yet told, by id.
    """

    def __init__(self, space: Space, seed: int | None = None):
        if not isinstance(space, Space):
            raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}; wrap it: Space(...).")
        self.space = space
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.X: list[dict] = []
        self.y: list[float | None] = []
        self.pending: dict[int, Suggestion] = {}
        self._seen: set = set()  # keys of told and pending configurations
        self._next_id = 0

    def ask(self) -> Suggestion:
        raise NotImplementedError

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        """Record ``value`` for a suggestion from ``ask()``, or for params evaluated elsewhere (a dict)."""
        suggestion = self._resolve(suggestion)
        self.pending.pop(suggestion.id, None)
        self._seen.add(self.space.key(suggestion.params))
        self.X.append(suggestion.params)
        self.y.append(None if is_failure(value) else _number_or_list(value))

    # helpers for subclasses
    def _suggest(self, params: dict, budget: float | None = None, parent: int | None = None) -> Suggestion:
        """Hand out ``params`` under the next id (continuing trial ``parent``'s checkpoint, if given) and
        remember it as pending."""
        suggestion = Suggestion(self._next_id, dict(params), budget, parent)
        self._next_id += 1
        self.pending[suggestion.id] = suggestion
        self._seen.add(self.space.key(params))
        return suggestion

    def _resolve(self, suggestion: Suggestion | dict) -> Suggestion:
        """The pending suggestion ``tell`` refers to; a bare params dict matches the oldest pending one
        with the same configuration, or else is an outside observation with id -1."""
        if isinstance(suggestion, Suggestion):
            return Suggestion(suggestion.id, self.space.validate(suggestion.params), suggestion.budget,
                              suggestion.parent)
        if not isinstance(suggestion, dict):
            raise TypeError(f"tell() takes the Suggestion that ask() returned (or a params dict), "
                            f"got {type(suggestion).__name__}.")
        params = self.space.validate(suggestion)
        key = self.space.key(params)
        match = next((s for s in self.pending.values() if self.space.key(s.params) == key), None)
        return Suggestion(match.id, params, match.budget) if match else Suggestion(-1, params, None)

    def seen(self, params: dict) -> bool:
        """Whether ``params`` was already told or is pending."""
        return self.space.key(params) in self._seen

    @property
    def size(self) -> float:
        """How many configurations this method can propose (``math.inf`` unless finite)."""
        return math.inf

    def __repr__(self) -> str:
        return f"{type(self).__name__}(space with {len(self.space)} dims, seed={self.seed!r})"
