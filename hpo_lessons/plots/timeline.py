"""What each worker did, and when: a Gantt chart of a search's trials, and its utilisation.

Each worker (``trial.worker``: host/process/thread, or "sim-0", ... under a simulated clock)
gets a row; each trial is a bar from its start to its end, coloured by its value or its
budget. Hatched gaps are the time a worker sat idle: waiting for a generation to finish, for
the loop to ask the next suggestion, or for the search to end. The utilisation,
busy time / (workers x wall time), says how much of the machines a search used.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from ..core.checks import is_int
from ..core.history import History
from ._common import _better, _cmap, _figure, _style

COLOR_BY = ("value", "budget")


def lanes(history: History) -> dict[str, list]:
    """Trials per worker, each list in start order; workers ordered by their first start.

    Trials without a worker name (histories saved before workers were recorded) share one lane, "?".
    """
    by_worker: dict[str, list] = {}
    for trial in sorted(history.trials, key=lambda t: t.start):
        by_worker.setdefault(trial.worker or "?", []).append(trial)
    order = sorted(by_worker, key=lambda w: (by_worker[w][0].start, _natural(w)))
    return {w: by_worker[w] for w in order}


def _natural(name: str) -> list:
    """Sort key that puts "sim-2" before "sim-10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _span(history: History) -> tuple[float, float]:
    if not history.trials:
        raise ValueError("the history has no trial; run a search first.")
    start = min(t.start for t in history.trials)
    return start, max(t.start + t.duration for t in history.trials)


def utilisation(history: History, n_workers: int | None = None) -> float:
    """Busy time / (workers x wall time), in [0, 1].

    Busy time is the sum of the trials' durations; wall time runs from the first start to the
    last end. ``n_workers`` counts workers that may have run no trial; by default, the workers
    that appear in the history.
    """
    first, last = _span(history)
    workers = len(lanes(history)) if n_workers is None else n_workers
    if not is_int(workers) or workers < len(lanes(history)):
        raise ValueError(f"n_workers must be an int at least the {len(lanes(history))} workers in the history, "
                         f"got {n_workers!r}.")
    wall = last - first
    if wall <= 0:
        return 1.0  # trials of no duration: nothing was wasted
    return float(sum(t.duration for t in history.trials) / (workers * wall))


def idle_gaps(history: History) -> dict[str, list[tuple[float, float]]]:
    """Per worker, its idle stretches as (start, length) in seconds from the first trial's start."""
    first, last = _span(history)
    gaps: dict[str, list[tuple[float, float]]] = {}
    for worker, trials in lanes(history).items():
        free, out = 0.0, []
        for trial in trials:
            begin = trial.start - first
            if begin > free + 1e-9:
                out.append((free, begin - free))
            free = max(free, begin + trial.duration)
        if last - first > free + 1e-9:
            out.append((free, last - first - free))
        gaps[worker] = out
    return gaps


def _short_names(workers: list[str]) -> list[str]:
    """Row labels from host/pid/thread names: the pid when each process ran one worker ("pid 123"), the
    thread when one process ran several ("trial_0"), with the host or pid in front where those differ."""
    parts = [w.split("/") for w in workers]
    if len(workers) < 2 or any(len(p) != 3 for p in parts):
        return workers
    several_hosts = len({p[0] for p in parts}) > 1
    if len({(p[0], p[1]) for p in parts}) == len(workers):  # one worker per process (process pools, Dask)
        return [f"{p[0]} / pid {p[1]}" if several_hosts else f"pid {p[1]}" for p in parts]
    several_pids = len({(p[0], p[1]) for p in parts}) > 1
    return [" / ".join(([p[0]] if several_hosts else []) + ([f"pid {p[1]}"] if several_pids else []) + [p[2]])
            for p in parts]


def timeline(history: History, color: str = "value", n_workers: int | None = None, show_idle: bool = True,
             budget_unit: str = "epochs", ax=None, title: str | None = None):
    """A Gantt chart of ``history``: one row per worker, one bar per trial from its start to its end.

    Parameters
    ----------
    color : "value" (bright is good, whatever the direction) or "budget" (each trial's budget).
        Failed trials are grey and cross-hatched.
    n_workers : the search's number of workers, if some of them ran no trial (they get empty rows).
    show_idle : hatch each worker's idle gaps (before, between and after its trials).
    budget_unit : the unit of budgets, for the colour bar's label.
    title : your own finding; by default the title gives the utilisation.

    Times are seconds from the first trial's start (simulated seconds under ``hl.Simulated()``).
    """
    if color not in COLOR_BY:
        raise ValueError(f"color={color!r} is unknown; use one of {COLOR_BY}.")
    first, last = _span(history)
    rows = lanes(history)
    workers = list(rows)
    n = len(workers) if n_workers is None else n_workers
    share = utilisation(history, n)  # also checks n_workers
    workers += [f"(idle worker {i})" for i in range(n - len(workers))]
    ok = [t for t in history.trials if t.ok]
    if color == "budget":
        numbers = [t.budget for t in history.trials if t.budget is not None]
        if not numbers:
            raise ValueError("color='budget' needs trials with a budget; these have none (use color='value').")
        cmap, label = plt.get_cmap("viridis"), f"budget ({budget_unit})"
    else:
        numbers, cmap = [t.value for t in ok], _cmap(history.direction)
        label = f"value ({_better(history.direction)})"
    norm = plt.Normalize(min(numbers), max(numbers)) if numbers else None
    fig, ax = _figure(ax, figsize=(8, 1.2 + 0.5 * len(workers)))
    for row, worker in enumerate(workers):
        for trial in rows.get(worker, []):
            number = trial.budget if color == "budget" else trial.value
            failed = not trial.ok or number is None
            ax.barh(row, trial.duration, left=trial.start - first, height=0.7, edgecolor="white", linewidth=0.6,
                    color="0.75" if failed else cmap(norm(number)), hatch="xx" if failed else None)
    handles = []
    if show_idle:
        gaps = idle_gaps(history)
        for row, worker in enumerate(workers):
            for start, length in gaps.get(worker, [(0.0, last - first)]):
                ax.barh(row, length, left=start, height=0.7, color="none", edgecolor="0.6", hatch="///",
                        linewidth=0)
        handles.append(Patch(facecolor="none", edgecolor="0.6", hatch="///", label="idle"))
    if len(ok) < len(history.trials):
        handles.append(Patch(facecolor="0.75", hatch="xx", label="failed trial"))
    if norm is not None:
        fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label=label, pad=0.02)
    ax.set_yticks(range(len(workers)), _short_names(workers[: len(rows)]) + workers[len(rows):], fontsize=8)
    ax.set_ylim(len(workers) - 0.5, -0.5)  # first worker on top
    ax.set_xlim(0, (last - first) * 1.01 or 1.0)
    ax.set_xlabel("time since the first trial started (s)")
    ax.set_ylabel("worker")
    _style(ax)
    if handles:  # below the axes, where it covers no bar
        ax.legend(handles=handles, loc="upper right", bbox_to_anchor=(1.0, -0.16), ncol=len(handles), fontsize=8,
                  frameon=False)
    busy = sum(t.duration for t in history.trials)
    default = (f"{n} workers busy {share:.0%} of {last - first:.3g} s "
               f"(busy time {busy:.3g} s / ({n} workers x wall time))")
    ax.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig
