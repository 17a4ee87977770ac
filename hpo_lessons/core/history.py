"""The history of a search: its trials in the order they finished, and what they add up to.

The journal that lets a search resume is ``journal.py``; ``History.save``/``load`` use it.
"""

from __future__ import annotations

import math

import numpy as np

from .journal import read_journal, write_history
from .pareto import as_minimized, pareto_mask
from .space import Space
from .trial import COMPLETE, DIRECTIONS, FAILED, Trial, sign, trial_from_event

__all__ = ["COMPLETE", "DIRECTIONS", "FAILED", "History", "Trial", "sign", "trial_from_event"]


def _check_directions(direction, directions):
    if directions is None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
        return direction, None
    if isinstance(directions, str) or len(directions) < 1 or any(d not in DIRECTIONS for d in directions):
        raise ValueError(f"directions must be a list of 'minimize'/'maximize', one per objective, got {directions!r}.")
    return None, list(directions)


class History:
    """The trials of one search, in the order they finished.

    A search with one objective has a ``direction`` and a ``best`` trial; one with several has
    ``directions`` (one per objective, each trial's value a list) and a ``pareto_front()``.

    >>> h = History([Trial(0, {"x": 1.0}, 3.0), Trial(1, {"x": 2.0}, None, FAILED, "boom"),
    ...              Trial(2, {"x": 0.5}, 1.0)])
    >>> h.best.params, h.best_value, h.best_so_far().tolist()
    ({'x': 0.5}, 1.0, [3.0, 3.0, 1.0])
    """

    def __init__(self, trials=None, direction: str = "minimize", space: Space | None = None, name: str = "",
                 directions=None):
        self.direction, self.directions = _check_directions(direction, directions)
        self.trials: list[Trial] = list(trials or [])
        self.space = space
        self.name = name
        self._reset()

    # -- running totals, kept up to date in O(1) per new trial ---------------------------------
    def _reset(self) -> None:
        self._list, self._counted, self._n_failed = self.trials, 0, 0
        self._best, self._top = None, -math.inf

    def _sync(self) -> None:
        """Fold the trials appended since the last call into the totals (all of them if the list was replaced)."""
        if self._list is not self.trials or self._counted > len(self.trials):
            self._reset()
        for trial in self.trials[self._counted:]:
            self._n_failed += not trial.ok
            if trial.ok and self.directions is None:
                self._best, self._top = self._step(self._best, self._top, trial)
        self._counted = len(self.trials)

    def _step(self, best: Trial | None, top: float, trial: Trial) -> tuple[Trial, float]:
        """The incumbent rule, the one place it is written: the best value at the largest budget reached,
        the first on ties. A score after 1 epoch is not comparable with one after 27."""
        budget = -math.inf if trial.budget is None else trial.budget
        if best is None or budget > top:
            return trial, budget
        if budget == top and sign(self.direction) * trial.value < sign(self.direction) * best.value:
            return trial, top
        return best, top

    def __len__(self) -> int:
        return len(self.trials)

    def __iter__(self):
        return iter(self.trials)

    def __getitem__(self, i):
        return self.trials[i]

    def __repr__(self) -> str:
        goal = self.direction or f"directions={self.directions}"
        best = f", best_value={self.best_value:.6g}" if self.directions is None and self.n_completed else ""
        return f"History({len(self)} trials, {self.n_failed} failed, {goal}{best})"

    @property
    def completed(self) -> list[Trial]:
        return [t for t in self.trials if t.ok]

    @property
    def failed(self) -> list[Trial]:
        return [t for t in self.trials if not t.ok]

    @property
    def n_failed(self) -> int:
        self._sync()
        return self._n_failed

    @property
    def n_completed(self) -> int:
        self._sync()
        return len(self.trials) - self._n_failed

    @property
    def best(self) -> Trial:
        """The best completed trial at the largest budget reached (the first one, on ties).

        A score after 1 epoch is not comparable with one after 27, so with multi-fidelity
        trials only those at the largest budget any completed trial reached compete.
        """
        if self.directions is not None:
            raise ValueError(f"this search has {len(self.directions)} objectives, so no single best trial: "
                             "use history.pareto_front().")
        self._sync()
        if self._best is None:
            raise ValueError("no completed trial yet: every trial so far failed or none ran.")
        return self._best

    @property
    def best_value(self) -> float:
        return self.best.value

    @property
    def budget_spent(self) -> float:
        """The sum of the trials' budgets, failed ones included; a trial without a budget counts as 1."""
        return sum(1 if t.budget is None else t.budget for t in self.trials)

    def incumbents(self) -> list[Trial | None]:
        """The incumbent (``best`` of the trials so far) after each trial; None until the first success."""
        if self.directions is not None:
            raise ValueError("incumbents() needs a single objective; use pareto_front() for several.")
        out, best, top = [], None, -math.inf
        for trial in self.trials:
            if trial.ok:
                best, top = self._step(best, top, trial)
            out.append(best)
        return out

    def best_so_far(self) -> np.ndarray:
        """The value of ``best`` after each trial (NaN until the first success).

        With budgets, the incumbent is the best trial at the largest budget reached so far, the
        rule of ``best``: a cheap early score never stands in for a full training's.
        """
        return np.array([math.nan if t is None else t.value for t in self.incumbents()], dtype=float)

    def pareto_front(self) -> list[Trial]:
        """The completed trials at the largest budget reached that no other such trial dominates.

        With one objective it is ``[best]``. Trials are returned in the order they finished.
        """
        if self.directions is None:
            return [self.best] if self.n_completed else []
        done = self.completed
        budgets = [t.budget for t in done if t.budget is not None]
        top = [t for t in done if t.budget == max(budgets)] if budgets else done
        if not top:
            return []
        mask = pareto_mask(as_minimized([t.value for t in top], self.directions))
        return [t for t, keep in zip(top, mask) if keep]

    def to_dataframe(self):
        """One row per trial: number, value, status, duration, error, then one column per param.

        With several objectives, ``value`` holds each trial's list and ``value_0``, ``value_1``, ...
        one objective each; with one, ``best_so_far`` is the incumbent's value.
        """
        import pandas as pd

        rows = []
        for t in self.trials:
            row = {"number": t.number, "value": t.value, "status": t.status, "duration": t.duration, "error": t.error,
                   "id": t.id, "budget": t.budget, "start": t.start, "worker": t.worker, "parent": t.parent}
            if self.directions is not None:
                row.update({f"value_{i}": (None if t.value is None else t.value[i])
                            for i in range(len(self.directions))})
            row.update({f"params_{k}": v for k, v in t.params.items()})
            rows.append(row)
        frame = pd.DataFrame(rows)
        if len(frame) and self.directions is None:
            frame["best_so_far"] = self.best_so_far()
        return frame

    # -- persistence ------------------------------------------------------------------------
    def save(self, path) -> None:
        """Write the whole history as a journal that ``load`` (or ``run(journal=...)``) reads back."""
        write_history(path, self)

    @classmethod
    def load(cls, path) -> History:
        """The finished trials of a journal, in the order they finished, with its space, direction and name."""
        header, events = read_journal(path)
        space = Space.from_dict(header["space"]) if header.get("space") else None
        trials = [trial_from_event(e) for e in events if e["event"] == "tell"]
        goal = header.get("direction", "minimize")
        if isinstance(goal, list):
            return cls(trials, space=space, name=header.get("method", ""), directions=goal)
        return cls(trials, direction=goal, space=space, name=header.get("method", ""))
