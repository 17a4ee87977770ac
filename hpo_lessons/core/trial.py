"""One evaluated configuration, and the one rule that turns a direction into a sign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

COMPLETE, FAILED = "complete", "failed"
DIRECTIONS = ("minimize", "maximize")


def sign(direction: str) -> float:
    """+1.0 for "minimize", -1.0 for "maximize": what turns a value into the minimized one (and back)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    return 1.0 if direction == "minimize" else -1.0


def signs(directions: str | Sequence[str]) -> float | list[float]:
    """``sign`` of one direction, or the list of signs of several (one per objective)."""
    return sign(directions) if isinstance(directions, str) else [sign(d) for d in directions]


def minimized(value, signs_: float | list[float]):
    """``value`` as every method sees it: times the sign (per objective for a vector); None stays None."""
    if value is None:
        return None
    if isinstance(signs_, list):
        return [s * float(v) for s, v in zip(signs_, value)]
    return signs_ * float(value)


@dataclass
class Trial:
    """One evaluated configuration.

    ``number`` is the trial's place in the history (the order results came back), ``id`` the
    id of the suggestion it ran (the order it was asked; the two differ with parallel workers).
    ``budget`` is what it trained for (epochs, say; ``None`` when the objective has no notion
    of budget). ``value`` is what the objective returned (not negated, whatever the
    direction): a float, or a list of floats (one per objective) in a search with several
    ``directions``; it is ``None`` for a failed trial, whose ``error`` says why. ``start`` is a
    Unix time in seconds and ``duration`` is in seconds. ``worker`` names where it ran
    (host/process/thread). ``parent`` is the id of the trial whose checkpoint this one
    continued (population-based training), ``None`` for its own. ``extras`` keeps whatever
    else the objective returned (learning curves, model size, ...).
    """

    number: int
    params: dict
    value: float | list[float] | None
    status: str = COMPLETE
    error: str | None = None
    start: float = 0.0
    duration: float = 0.0
    extras: dict = field(default_factory=dict)
    id: int | None = None
    budget: float | None = None
    worker: str | None = None
    parent: int | None = None

    def __post_init__(self):
        if self.id is None:
            self.id = self.number

    @property
    def ok(self) -> bool:
        return self.status == COMPLETE


def trial_from_event(event: dict) -> Trial:
    """The ``Trial`` recorded by a journal's "tell" event."""
    return Trial(**{k: v for k, v in event.items() if k != "event"})
