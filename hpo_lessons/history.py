"""Trials, the history of a search, and the JSON-lines journal that lets a search resume."""

from __future__ import annotations

import json
import math
import os
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .space import Space

COMPLETE, FAILED = "complete", "failed"
DIRECTIONS = ("minimize", "maximize")


@dataclass
class Trial:
    """One evaluated configuration.

    ``value`` is what the objective returned (not negated, whatever the direction); it is
    ``None`` for a failed trial, whose ``error`` says why. ``start`` is a Unix time in
    seconds and ``duration`` is in seconds. ``extras`` keeps whatever else the objective
    returned (learning curves, model size, ...).
    """

    number: int
    params: dict
    value: float | None
    status: str = COMPLETE
    error: str | None = None
    start: float = 0.0
    duration: float = 0.0
    extras: dict = field(default_factory=dict)

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
        return 1.0 if self.direction == "minimize" else -1.0

    @property
    def best(self) -> Trial:
        """The best completed trial (the first one, on ties)."""
        if not self.completed:
            raise ValueError("no completed trial yet: every trial so far failed or none ran.")
        return min(self.completed, key=lambda t: self._sign() * t.value)

    @property
    def best_value(self) -> float:
        return self.best.value

    def best_so_far(self) -> np.ndarray:
        """Best value after each trial (NaN until the first success)."""
        out, best = [], math.nan
        for t in self.trials:
            if t.ok and (math.isnan(best) or self._sign() * t.value < self._sign() * best):
                best = t.value
            out.append(best)
        return np.array(out, dtype=float)

    def to_dataframe(self):
        """One row per trial: number, value, status, duration, error, then one column per param."""
        import pandas as pd

        rows = []
        for t in self.trials:
            row = {"number": t.number, "value": t.value, "status": t.status, "duration": t.duration, "error": t.error}
            row.update({f"params_{k}": v for k, v in t.params.items()})
            rows.append(row)
        frame = pd.DataFrame(rows)
        if len(frame):
            frame["best_so_far"] = self.best_so_far()
        return frame

    # -- persistence ------------------------------------------------------------------------
    def save(self, path) -> None:
        """Write the whole history as a journal (header line, then one line per trial)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(_header_line(self.space, self.direction))
            for t in self.trials:
                f.write(trial_line(t))

    @classmethod
    def load(cls, path) -> History:
        header, trials = read_journal(path)
        space = Space.from_dict(header["space"]) if header.get("space") else None
        return cls(trials, direction=header.get("direction", "minimize"), space=space)


# -- the journal: one JSON object per line, flushed and fsynced per trial -----------------------
def _header_line(space: Space | None, direction: str) -> str:
    return json.dumps({"journal": "hpo-lessons", "version": 1, "direction": direction,
                       "space": space.to_dict() if space is not None else None}) + "\n"


def trial_line(trial: Trial) -> str:
    return json.dumps(asdict(trial), default=_json_default) + "\n"


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return repr(obj)  # keep the journal writable whatever an objective put in its extras


def read_journal(path) -> tuple[dict, list[Trial]]:
    """Read a journal; a truncated last line (a search killed mid-write) is dropped with a warning."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    complete_lines = lines[:-1]  # everything before the last newline was fully written
    if lines[-1].strip():
        warnings.warn(f"{path}: ignoring a truncated last line (the search was interrupted while writing it).",
                      stacklevel=2)
    if not complete_lines:
        raise ValueError(f"{path}: empty journal; delete it or pass another path.")
    header = json.loads(complete_lines[0])
    if header.get("journal") != "hpo-lessons":
        raise ValueError(f"{path} is not an hpo-lessons journal; pass another path.")
    trials = [Trial(**json.loads(line)) for line in complete_lines[1:] if line.strip()]
    return header, trials


class Journal:
    """Append-only writer: each finished trial is on disk before the next one starts."""

    def __init__(self, path, space: Space, direction: str):
        self.path = Path(path)
        self.trials: list[Trial] = []
        if self.path.exists() and self.path.stat().st_size > 0:
            header, self.trials = read_journal(self.path)
            if header.get("space") != space.to_dict():
                raise ValueError(
                    f"journal {self.path} was written for a different search space "
                    f"({header.get('space')}); use a new journal path or the original space."
                )
            if header.get("direction") != direction:
                raise ValueError(
                    f"journal {self.path} was written with direction={header.get('direction')!r}; "
                    f"got {direction!r}. Use a new journal path or the original direction."
                )
            self._drop_partial_tail()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "w", encoding="utf-8") as f:
                f.write(_header_line(space, direction))
                _sync(f)

    def _drop_partial_tail(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(end)

    def append(self, trial: Trial) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(trial_line(trial))
            _sync(f)


def _sync(f) -> None:
    f.flush()
    os.fsync(f.fileno())
