"""The journal: a search's event log, one JSON object per line, so that a search can resume.

The first line is a header (space, direction, method; ``direction`` is a list, one per
objective, in a search with several). Then come the events in the order they happened:
``{"event": "ask", "id", "params", "budget"}`` (and ``"parent"``, the trial whose checkpoint
it continues, when it has one) when a trial is handed to a worker, and ``{"event": "tell",
...the Trial...}`` when its result is back (a list as its value for several objectives). Each line is
flushed and fsynced before the search goes on, so after a crash, even SIGKILL, the file
holds every trial that finished and every trial that was running. ``run`` replays the
events through a fresh optimizer (same method, settings and seed), which restores its
state exactly, runs the trials that were running at the crash again, and carries on.

One live search per journal: the file is locked while a search writes to it (``flock`` on
POSIX, ``msvcrt.locking`` on Windows). The operating system releases the lock when the
process ends, however it ends, so a killed search never leaves it stuck (Optuna's
``JournalFileBackend`` needs a stale-lock timeout for that, because its lock is a file that
outlives the process). Locks on network file systems are only as good as the server's.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from .checks import is_int
from .protocols import Suggestion
from .space import Space
from .trial import Trial

VERSION = 2


class JournalInUse(RuntimeError):
    """Another live search holds the journal's lock."""


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return repr(obj)  # keep the journal writable whatever an objective put in its extras


def _line(obj: dict) -> str:
    return json.dumps(obj, default=_json_default) + "\n"


def header(space: Space | None, direction: str | list[str], method: str = "") -> dict:
    return {"journal": "hpo-lessons", "version": VERSION, "direction": direction, "method": method,
            "space": space.to_dict() if space is not None else None}


def ask_event(suggestion) -> dict:
    event = {"event": "ask", "id": suggestion.id, "params": suggestion.params, "budget": suggestion.budget}
    if getattr(suggestion, "parent", None) is not None:  # a trial that continues another's checkpoint (PBT)
        event["parent"] = suggestion.parent
    return event


def tell_event(trial) -> dict:
    return {"event": "tell", **asdict(trial)}


def parse(text: str, path) -> tuple[dict, list[dict]]:
    """Header and events of a journal's text.

    A last line without its newline was being written when the search died: it is ignored with
    a warning. Any other line that is not valid JSON, or not an event of the shape below, is an
    error naming its line number, never dropped silently (a whole last line is no exception: it
    was written in full, so its shape is what the writer meant). Version-1 journals (one line
    per finished trial) read as ask/tell pairs.
    """
    lines = text.split("\n")
    if lines[-1].strip():
        warnings.warn(f"{path}: ignoring a truncated last line (the search was interrupted while writing it).",
                      stacklevel=3)
    lines = lines[:-1]  # everything before the last newline was fully written
    if not lines:
        raise ValueError(f"{path}: empty journal; delete it or pass another path.")
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}, line {number}: not valid JSON ({exc.msg}); the journal is corrupt there. "
                             "Repair or delete that line, or start a new journal.") from None
    head = records[0][1]
    if not isinstance(head, dict) or head.get("journal") != "hpo-lessons":
        raise ValueError(f"{path} is not an hpo-lessons journal; pass another path.")
    events = []
    for number, record in records[1:]:
        problem = _shape_problem(record)
        if problem:
            raise ValueError(f"{path}, line {number}: {problem}; the journal is corrupt there. Repair or delete "
                             "that line, or start a new journal.")
        if "event" in record:
            events.append(record)
        else:  # version 1: a finished trial
            events += [{"event": "ask", "id": record["number"], "params": record["params"], "budget": None},
                       {"event": "tell", **record}]
    return head, events


_TRIAL_FIELDS = {f.name for f in fields(Trial)}


def _shape_problem(record) -> str:
    """What is wrong with one event line ("" if nothing): ``run`` and ``History.load`` read these keys."""
    if not isinstance(record, dict):
        return f"{json.dumps(record)[:60]} is not an event (a JSON object)"
    kind = record.get("event", "trial")  # no "event": a version-1 finished trial
    if kind == "ask":
        need, allowed = ("id", "params", "budget"), {"event", "id", "params", "budget", "parent"}
    elif kind in ("tell", "trial"):
        need, allowed = ("number", "params", "value"), _TRIAL_FIELDS | {"event"}
    else:
        return f"unknown event {kind!r} (expected 'ask' or 'tell')"
    missing = [key for key in need if key not in record]
    if missing:
        return f"{kind!r} event without {', '.join(missing)}"
    unknown = sorted(set(record) - allowed)
    if unknown:
        return f"{kind!r} event with unknown fields {', '.join(unknown)}"
    if not isinstance(record["params"], dict):
        return f"{kind!r} event whose params are {record['params']!r}, not an object"
    ident = record["id"] if kind == "ask" else record["number"]
    if not is_int(ident):
        return f"{kind!r} event whose {'id' if kind == 'ask' else 'number'} is {ident!r}, not an int"
    return ""


def read_journal(path) -> tuple[dict, list[dict]]:
    """Header and events of the journal at ``path``."""
    return parse(Path(path).read_text(encoding="utf-8"), path)


def write_history(path, history) -> None:
    """Write a finished ``History`` as a journal: an ask and a tell per trial."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(_line(header(history.space, history.direction or history.directions, history.name)))
        for t in history.trials:
            f.write(_line(ask_event(Suggestion(t.id, t.params, t.budget, t.parent))))
            f.write(_line(tell_event(t)))


def _lock(fd: int) -> bool:
    """Take an exclusive, non-blocking lock on ``fd``; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class Journal:
    """The event log of one live search: opened and locked here, appended to by ``run``.

    Raises, before any trial runs: ``ValueError`` when ``path`` is a directory, cannot be
    written, is corrupt, or was written for another space or direction; ``JournalInUse``
    when another live search holds it.
    """

    def __init__(self, path, space: Space, direction: str | list[str], method: str = ""):
        self.path = Path(path)
        if self.path.is_dir():
            raise ValueError(f"journal={str(self.path)!r} is a directory; give a file path such as "
                             f"{str(self.path / 'search.jsonl')!r}.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise ValueError(f"journal={str(self.path)!r} cannot be opened for writing ({exc.strerror}); "
                             "give a path in a writable folder.") from None
        try:
            if not _lock(self._fd):
                raise JournalInUse(f"journal {str(self.path)!r} is in use by another live search; wait for it to end, "
                                   "stop it, or give another journal path.")
            self.header, self.events = self._read(space, direction, method)
        except BaseException:
            os.close(self._fd)
            raise

    def _read(self, space: Space, direction: str | list[str], method: str) -> tuple[dict, list[dict]]:
        data = self.path.read_bytes()
        if not data.strip():
            os.ftruncate(self._fd, 0)
            head = header(space, direction, method)
            self._write(head)
            return head, []
        head, events = parse(data.decode("utf-8"), self.path)
        if head.get("space") != space.to_dict():
            raise ValueError(f"journal {self.path} was written for a different search space ({head.get('space')}); "
                             "use a new journal path or the original space.")
        if head.get("direction") != direction:
            raise ValueError(f"journal {self.path} was written with direction={head.get('direction')!r}; got "
                             f"{direction!r}. Use a new journal path or the original direction.")
        end = data.rfind(b"\n") + 1
        if end < len(data):  # drop the torn last line, so the next event starts on a line of its own
            os.ftruncate(self._fd, end)
        return head, events

    def _write(self, obj: dict) -> None:
        os.write(self._fd, _line(obj).encode("utf-8"))
        os.fsync(self._fd)

    def ask(self, suggestion) -> None:
        self._write(ask_event(suggestion))

    def tell(self, trial) -> None:
        self._write(tell_event(trial))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
