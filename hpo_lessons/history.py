"""Trials and the history of a search (the journal that lets a search resume is in ``journal.py``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .space import Space

COMPLETE, FAILED = "complete", "failed"
DIRECTIONS = ("minimize", "maximize")


def sign(direction: str) -> float:
    """+1.0 for "minimize", -1.0 for "maximize": what turns a value into the minimized one (and back)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    return 1.0 if direction == "minimize" else -1.0


@dataclass
class Trial:
    """One evaluated configuration.

    ``number`` is the trial's place in the history (the order results came back), ``id`` the
    id of the suggestion it ran (the order it was asked; the two differ with parallel workers).
    ``budget`` is what it trained for (epochs, say; ``None`` when the objective has no notion
    of budget). ``value`` is what the objective returned (not negated, whatever the
    direction); it is ``None`` for a failed trial, whose ``error`` says why. ``start`` is a
    Unix time in seconds and ``duration`` is in seconds. ``worker`` names where it ran
    (host/process/thread). ``extras`` keeps whatever else the objective returned (learning
    curves, model size, ...).
    """

    number: int
    params: dict
    value: float | None
    status: str = COMPLETE
    error: str | None = None
    start: float = 0.0
    duration: float = 0.0
    extras: dict = field(default_factory=dict)
    id: int | None = None
    budget: float | None = None
    worker: str | None = None

    def __post_init__(self):
        if self.id is None:
            self.id = self.number

    @property
    def ok(self) -> bool:
        return self.status == COMPLETE


class History:
    """The trials of one search, in the order they finished.

    >>> h = History([Trial(0, {"x": 1.0}, 3.0), Trial(1, {"x": 2.0}, None, FAILED, "boom"),
    ...              Trial(2, {"x": 0.5}, 1.0)])
    >>> h.best.params, h.best_value, h.best_so_far().tolist()
    ({'x': 0.5}, 1.0, [3.0, 3.0, 1.0])
    """

    def __init__(self, trials=None, direction: str = "minimize", space: Space | None = None, name: str = ""):
        if direction not in DIRECTIONS:
            raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
        self.trials: list[Trial] = list(trials or [])
        self.direction = direction
        self.space = space
        self.name = name

    def __len__(self) -> int:
        return len(self.trials)

    def __iter__(self):
        return iter(self.trials)

    def __getitem__(self, i):
        return self.trials[i]

    def __repr__(self) -> str:
        best = f", best_value={self.best_value:.6g}" if self.completed else ""
        return f"History({len(self)} trials, {len(self.failed)} failed, {self.direction}{best})"

    @property
    def completed(self) -> list[Trial]:
        return [t for t in self.trials if t.ok]

    @property
    def failed(self) -> list[Trial]:
        return [t for t in self.trials if not t.ok]

    def _sign(self) -> float:
        return sign(self.direction)

    @property
    def best(self) -> Trial:
        """The best completed trial at the largest budget reached (the first one, on ties).

        A score after 1 epoch is not comparable with one after 27, so with multi-fidelity
        trials only those at the largest budget any completed trial reached compete.
        """
        if not self.completed:
            raise ValueError("no completed trial yet: every trial so far failed or none ran.")
        budgets = [t.budget for t in self.completed if t.budget is not None]
        top = [t for t in self.completed if t.budget == max(budgets)] if budgets else self.completed
        return min(top, key=lambda t: self._sign() * t.value)

    @property
    def budget_spent(self) -> float:
        """The sum of the trials' budgets, failed ones included; a trial without a budget counts as 1."""
        return sum(1 if t.budget is None else t.budget for t in self.trials)

    @property
    def best_value(self) -> float:
        return self.best.value

    def best_so_far(self) -> np.ndarray:
        """The value of ``best`` after each trial (NaN until the first success).

        With budgets, the incumbent is the best trial at the largest budget reached so far, the
        rule of ``best``: a cheap early score never stands in for a full training's.
        """
        out, best, top = [], math.nan, None
        for t in self.trials:
            if t.ok:
                budget = -math.inf if t.budget is None else t.budget
                if top is None or budget > top:  # a larger budget reached: earlier, cheaper scores stop counting
                    best, top = t.value, budget
                elif budget == top and self._sign() * t.value < self._sign() * best:
                    best = t.value
            out.append(best)
        return np.array(out, dtype=float)

    def to_dataframe(self):
        """One row per trial: number, value, status, duration, error, then one column per param."""
        import pandas as pd

        rows = []
        for t in self.trials:
            row = {"number": t.number, "value": t.value, "status": t.status, "duration": t.duration, "error": t.error,
                   "id": t.id, "budget": t.budget, "start": t.start, "worker": t.worker}
            row.update({f"params_{k}": v for k, v in t.params.items()})
            rows.append(row)
        frame = pd.DataFrame(rows)
        if len(frame):
            frame["best_so_far"] = self.best_so_far()
        return frame

    # -- persistence ------------------------------------------------------------------------
    def save(self, path) -> None:
        """Write the whole history as a journal that ``load`` (or ``run(journal=...)``) reads back."""
        from .journal import write_history

        write_history(path, self)

    @classmethod
    def load(cls, path) -> History:
        """The finished trials of a journal, in the order they finished, with its space, direction and name."""
        from .journal import read_journal

        header, events = read_journal(path)
        space = Space.from_dict(header["space"]) if header.get("space") else None
        trials = [trial_from_event(e) for e in events if e["event"] == "tell"]
        return cls(trials, direction=header.get("direction", "minimize"), space=space, name=header.get("method", ""))


def trial_from_event(event: dict) -> Trial:
    """The ``Trial`` recorded by a journal's "tell" event."""
    return Trial(**{k: v for k, v in event.items() if k != "event"})
