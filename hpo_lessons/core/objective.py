"""Reading an objective's contract: the one place the package asks what an objective can do.

An objective is a callable (see ``protocols.Objective``). Everything else about it is
optional, and read here only: its ``direction`` (or ``directions``, one per objective), the
budget of a full training (``max_budget``, or an integer ``epochs``), whether it takes a
budget and how (``budget=`` or ``epochs``), whether it continues another trial's checkpoint
(``resumes_from_parent``), and ``clear_checkpoints()``.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from .checks import is_number
from .protocols import PoolMaker
from .trial import DIRECTIONS


def accepts_budget(objective) -> bool:
    """Whether ``objective`` can be called as ``objective(params, budget=b)``."""
    return _takes(objective, "budget")


def _takes(objective, name: str) -> bool:
    try:
        parameters = inspect.signature(objective).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind == p.VAR_KEYWORD or (p.name == name and p.kind != p.POSITIONAL_ONLY) for p in parameters)


def resumes_from_parent(objective) -> bool:
    """Whether ``objective(params, budget=b, trial_id=i, parent=p)`` continues trial ``p``'s checkpoint.

    An objective says so with ``resumes_from_parent = True``; it then keeps each trial's
    checkpoint under the trial's id (its lineage), not only under its params.
    """
    return bool(getattr(objective, "resumes_from_parent", False)) and _takes(objective, "parent")


def own_direction(objective) -> str | list[str] | None:
    """The objective's ``directions`` (a list) or ``direction`` (a string), if it declares one."""
    several = getattr(objective, "directions", None)
    if isinstance(several, (list, tuple)) and several and all(d in DIRECTIONS for d in several):
        return list(several)
    one = getattr(objective, "direction", None)
    return one if one in DIRECTIONS else None  # an attribute that happens to be called so is not a direction


def resolve_direction(objective, direction: str | None = None, directions: Sequence[str] | None = None):
    """The search's goal: a direction (one objective) or a list of directions (several).

    ``directions`` (or ``direction``), else the objective's own (``KerasObjective`` maximizes
    accuracy), else "minimize". Giving both, or one that contradicts the objective's, is a
    ValueError.
    """
    if direction is not None and directions is not None:
        raise ValueError("give direction (one objective) or directions (several), not both.")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize' (or None for the objective's own).")
    if directions is not None:
        if isinstance(directions, str) or not directions or any(d not in DIRECTIONS for d in directions):
            raise ValueError(f"directions must be a list of 'minimize'/'maximize', one per objective, got "
                             f"{directions!r}.")
        directions = list(directions)
    asked = direction if direction is not None else directions
    own = own_direction(objective)
    if asked is None:
        return own or "minimize"
    if own is not None and own != asked:
        name = "direction" if isinstance(asked, str) else "directions"
        raise ValueError(f"{name}={asked!r} contradicts the objective, whose {name} is {own!r}; leave {name} out "
                         "(None) to use the objective's.")
    return asked


def max_budget_of(objective) -> float | None:
    """The longest training a trial may get: ``objective.max_budget``, else an int ``objective.epochs``."""
    for attribute in ("max_budget", "epochs"):
        value = getattr(objective, attribute, None)
        if is_number(value) and value >= 1:
            return value
    return None


def trial_cost(objective, budget) -> float:
    """What a trial spends: its budget; a full-fidelity trial spends the objective's ``max_budget``, or 1."""
    if budget is not None:
        return budget
    full = max_budget_of(objective)
    return full if full is not None else 1


def epochs_mode(objective) -> str | None:
    """How a trial's budget reaches ``objective``: "budget", "keyword", "params" or None (not at all).

    "budget" when it takes ``budget=`` (``objective(params, budget=b)``, what ``run`` calls);
    "keyword" when it has an ``epochs`` parameter (``objective(params, epochs=e)``); else
    "params" when it has an ``epochs`` attribute, a budget that a trial's params may
    override (``objective({**params, "epochs": e})``); else None.
    """
    if accepts_budget(objective):
        return "budget"
    try:
        parameters = inspect.signature(objective).parameters.values()
    except (TypeError, ValueError):
        parameters = []
    if any(p.name == "epochs" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters):
        return "keyword"
    return "params" if hasattr(objective, "epochs") else None


class _Epochs:
    """``objective(params, budget=b)`` for an objective that takes its budget as ``epochs``."""

    def __init__(self, objective, mode: str):
        self.objective, self.mode = objective, mode

    def __call__(self, params: dict, budget=None):
        if budget is None:
            return self.objective(params)
        if self.mode == "keyword":
            return self.objective(params, epochs=int(budget))
        return self.objective({**params, "epochs": int(budget)})

    @property
    def direction(self):
        return getattr(self.objective, "direction", None)

    @property
    def directions(self):
        return getattr(self.objective, "directions", None)

    @property
    def max_budget(self):
        return max_budget_of(self.objective)

    def clear_checkpoints(self) -> None:
        """Free the wrapped objective's checkpoints (``run`` calls this when a search ends)."""
        free_checkpoints(self.objective)


def budgeted(objective):
    """``objective`` callable as ``objective(params, budget=b)``: itself if it takes ``budget``, else a
    wrapper passing ``b`` as its ``epochs`` (keyword or params, as ``epochs_mode`` says). An objective
    with no notion of budget comes back as it is: ``run`` refuses it for a multi-fidelity method."""
    mode = epochs_mode(objective)
    return _Epochs(objective, mode) if mode in ("keyword", "params") else objective


def free_checkpoints(objective) -> None:
    """Call ``objective.clear_checkpoints()`` if it has one: a search's checkpoints go with it."""
    clear = getattr(objective, "clear_checkpoints", None)
    if callable(clear):
        clear()


def brings_own_pool(executor) -> bool:
    """Whether ``executor`` makes its own pool of workers (a simulated clock) rather than being an Executor."""
    return executor is not None and not isinstance(executor, str) and isinstance(executor, PoolMaker)
