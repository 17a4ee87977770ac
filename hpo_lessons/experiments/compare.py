"""Many methods x seeds on one objective -> one table with a row per trial, and a leaderboard.

Every method is a name in ``hpo_lessons.experiments.registry`` (this package's grid, random, bayes,
genetic and multi-fidelity methods; Keras Tuner's oracles as ``kt-*``; Optuna's samplers and
pruners as ``optuna-*``), and every search is one call of ``hpo_lessons.core.run`` on the same
objective, space and budget, so every method lands in the same columns, and workers,
timeouts and budgets mean the same for all. TensorFlow (Keras Tuner) and Optuna are loaded
only when one of their methods is asked for.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..core.checks import check_int, is_int, is_number
from ..core.history import COMPLETE, DIRECTIONS, History
from ..core.objective import accepts_budget, brings_own_pool, budgeted, resolve_direction
from ..core.run import TooManyFailures, run
from ..core.space import Space
from ..core.workers import process_pool, received, ship
from . import registry
from .registry import grid_points_per_dim, sign

__all__ = ["COLUMNS", "compare", "direction_of", "final_rows", "grid_points_per_dim", "leaderboard"]

COLUMNS = ["method", "seed", "trial", "value", "best_so_far", "seconds", "elapsed", "status", "direction", "copied",
           "id", "budget"]


def _methods(methods) -> list[str]:
    if isinstance(methods, str):
        methods = [m.strip() for m in methods.split(",") if m.strip()]
    methods = list(methods)
    valid = ", ".join(registry.names())
    if not methods:
        raise ValueError(f"methods is empty; give one or more of {valid}.")
    unknown = [m for m in methods if m not in registry.names()]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; valid methods are: {valid}.")
    if len(set(methods)) < len(methods):
        raise ValueError(f"methods {methods} lists a method twice; list each once.")
    return methods


def _seeds(seeds) -> list[int]:
    if is_int(seeds):
        if seeds < 1:
            raise ValueError(f"seeds must be a count >= 1 or a list of ints, got {seeds!r}.")
        return list(range(int(seeds)))
    if not isinstance(seeds, Iterable) or isinstance(seeds, str):
        raise TypeError(f"seeds must be a count or a list of ints, got {seeds!r}.")
    seeds = list(seeds)
    if not seeds or not all(is_int(s) and s >= 0 for s in seeds):
        raise ValueError(f"seeds must be a count >= 1 or a non-empty list of ints >= 0, got {seeds!r}.")
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"seeds {seeds} repeats a seed; list each once.")
    return [int(s) for s in seeds]


def _check(objective, space, methods, n_trials, seeds, direction, minimum, method_kwargs, timeout, total_budget):
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")
    if not isinstance(space, Space):
        raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}.")
    methods = _methods(methods)
    if n_trials is not None:
        check_int("n_trials", n_trials, 1, why="trials per search")
    elif timeout is None and total_budget is None:
        raise ValueError("n_trials must be a positive int (trials per search), unless a timeout or a total_budget "
                         "ends each search.")
    seeds = _seeds(seeds)
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    direction = resolve_direction(objective, direction)
    if minimum is not None and (
        not is_number(minimum) or not math.isfinite(minimum)
    ):
        raise ValueError(f"minimum must be a finite number (the known optimum) or None, got {minimum!r}.")
    stray = sorted(set(method_kwargs) - set(methods))
    if stray:
        raise ValueError(f"method_kwargs has entries for {stray}, which are not in methods={methods}.")
    for method in methods:
        _check_budget(registry.get(method), objective, space, n_trials, method_kwargs.get(method, {}))
    return methods, seeds, direction


def _check_budget(entry, objective, space, n_trials, kwargs) -> None:
    """A multi-fidelity method needs an objective that takes a budget and a largest budget: say so now."""
    if not entry.needs_budget:
        return
    if not accepts_budget(budgeted(objective)):
        raise ValueError(f"{entry.name} gives each trial a budget (epochs), but the objective takes none; give it "
                         "a budget parameter (def objective(params, budget): ...) or leave that method out.")
    if entry.defaults == "budget" and "max_budget" not in {**entry.settings(objective, space, n_trials), **kwargs}:
        raise ValueError(f"{entry.name} needs the largest budget: the objective has no max_budget attribute, so give "
                         f"method_kwargs={{{entry.name!r}: {{'max_budget': ...}}}}.")


def _search(method, objective, space, n_trials, seed, direction, kwargs, run_kwargs, on_trial=None):
    """``(start, History)`` of one search of one method with one seed; ``on_trial(trial)`` after each trial.

    ``start`` is the wall clock when the search began (0 on a simulated clock, whose trials
    start at 0), so ``trial.start + trial.duration - start`` is the time since then.
    """
    entry = registry.get(method)
    if entry.needs_budget:
        objective = budgeted(objective)
    simulated = brings_own_pool(run_kwargs.get("executor"))
    started = 0.0 if simulated else time.time()
    optimizer = entry.build(space, seed=seed, objective=objective, n_trials=n_trials, **kwargs)
    callbacks = [] if on_trial is None else [lambda history, trial: on_trial(trial)]
    if hasattr(optimizer, "annotate"):  # Keras Tuner's Hyperband: each trial's bracket and round in its extras
        callbacks.insert(0, optimizer.annotate)
    try:
        history = run(objective, optimizer, n_trials=n_trials, direction=direction, progress=False,
                      callbacks=callbacks, **run_kwargs)
    except TooManyFailures as exc:  # keep the trials that ran; the table shows them as failed
        warnings.warn(f"{method} (seed {seed}) stopped early: {exc}", stacklevel=3)
        history = exc.history
    return started, history


def _rows(history: History, method: str, seed: int, started: float, direction: str) -> list[dict]:
    """The trials of one search as table rows; ``elapsed`` is the clock since the search began."""
    best = history.best_so_far()
    rows, total = [], 0.0
    for i, t in enumerate(history.trials):
        total += t.duration
        # Wall clock includes the method's own time between trials (fitting a GP); a trial without
        # a start time falls back to the sum of durations.
        end = t.start + t.duration - started if t.start > 0 or started == 0 else total
        row = {"method": method, "seed": seed, "trial": i, "value": t.value, "best_so_far": best[i],
               "seconds": t.duration, "elapsed": end, "status": t.status, "direction": direction, "copied": False,
               "id": t.id, "budget": t.budget}
        row.update({f"params_{k}": v for k, v in t.params.items()})
        rows.append(row)
    return rows


def compare(
    objective: Callable[..., Any],
    space: Space,
    methods: Iterable[str] | str,
    n_trials: int | None = None,
    seeds: int | Iterable[int] = 3,
    direction: str | None = None,
    minimum: float | None = None,
    progress: bool = True,
    method_kwargs: dict[str, dict] | None = None,
    timeout: float | None = None,
    grid_once: bool = True,
    return_histories: bool = False,
    n_jobs: int = 1,
    n_workers: int = 1,
    executor=None,
    total_budget: float | None = None,
):
    """Run every method with every seed on ``objective`` at the same budget, each search through ``hl.run``.

    Parameters
    ----------
    objective : params dict -> float (or dict with "value"), as for ``hpo_lessons.core.run``; for the
        multi-fidelity methods (sh, hyperband, asha, kt-hyperband, optuna-sh, optuna-hyperband)
        it must take a ``budget`` (epochs), and its ``max_budget`` attribute is their largest.
    space : the search space, shared by every method.
    methods : names from ``hpo_lessons.experiments.registry.names()`` (a list or a comma-separated string):
        grid, random, bayes, genetic, [sh, hyperband, asha,] kt-random, kt-grid, kt-bayesian,
        kt-hyperband, kt-genetic (this package's GA as a Keras Tuner oracle), optuna-tpe,
        optuna-random, optuna-sh, optuna-hyperband (TPE with Optuna's pruners).
    n_trials : trials per search (one method, one seed); may be None when ``timeout`` or
        ``total_budget`` ends the searches.
    seeds : a count (seeds 0..n-1) or a list of ints; each search gets its seed as the method's seed.
    direction : None takes the objective's own (``KerasObjective``), else minimize.
    minimum : the known optimum value (the minimum, or the maximum when maximizing); when
        given, a ``regret`` column holds the distance from the best so far to it (>= 0).
    method_kwargs : per-method keyword arguments for the method's constructor (Keras Tuner's
        oracle, Optuna's sampler), e.g. ``{"genetic": {"population_size": 8}}``.
    timeout, total_budget : per search, as in ``hpo_lessons.core.run``.
    grid_once : a deterministic method (grid, kt-grid) would only repeat itself over seeds;
        when True it runs once, its rows are copied for the other seeds and marked
        ``copied=True`` (the leaderboard's times count only the real run). The grid's size is
        chosen by ``grid_points_per_dim`` to fit ``n_trials``, so it may run fewer trials.
    return_histories : also return ``{(method, seed): History}`` (learning curves, GA state, ...).
    n_jobs : independent searches run at once, each in its own spawned process. The searches
        are seeded, so the trials are those of ``n_jobs=1``; the seconds are measured while the
        searches share the machine. The objective must be importable by the workers (a
        KerasObjective, a benchmark, or a function in a module).
    An objective that keeps checkpoints (``KerasObjective``) has them freed as each search ends
    (``run`` does it), so no search resumes, or is timed on, what another one trained.
    n_workers, executor : trials in flight inside each search, and where they run, as in
        ``hpo_lessons.core.run`` (with ``n_jobs > 1``, ``executor`` must be None, "threads",
        "processes" or ``hl.Simulated()``: a live pool cannot be sent to another process).

    Returns
    -------
    pandas.DataFrame with one row per trial: method, seed, trial (0-based, in the order results
    came back), value, best_so_far, seconds (the trial's duration), elapsed (seconds from the
    start of that search to the end of the trial, the method's own overhead included; on a
    simulated clock, simulated seconds), status ("complete"/"failed"), direction, copied, id
    (the suggestion's id), budget (None for full-fidelity trials of an objective without a
    ``max_budget``), [regret], then ``params_<name>`` columns.
    """
    method_kwargs = dict(method_kwargs or {})
    methods, seeds, direction = _check(objective, space, methods, n_trials, seeds, direction, minimum, method_kwargs,
                                       timeout, total_budget)
    check_int("n_jobs", n_jobs, 1, why="1 runs the searches one after another")
    run_kwargs = {"timeout": timeout, "total_budget": total_budget, "n_workers": n_workers, "executor": executor}
    shipped = _shipped_for_workers(n_jobs, objective, executor)
    for method in methods:  # import TensorFlow and Optuna now: no search's clock includes an import
        registry.get(method).load()
    if progress:
        from tqdm.auto import tqdm
    else:  # a disabled bar; tqdm.auto would warn in a Jupyter kernel without ipywidgets
        from tqdm import tqdm

    # A deterministic method runs for its first seed only (with grid_once); the others copy it.
    once = {m for m in methods if grid_once and registry.get(m).deterministic}
    searches = [(m, s) for m in methods for s in seeds if not (m in once and s != seeds[0])]
    per_search = n_trials if n_trials is not None else total_budget
    bar = tqdm(total=None if per_search is None else len(methods) * len(seeds) * per_search, desc="compare",
               unit="trial" if n_trials is not None else "budget", disable=not progress)
    with bar:
        if n_jobs == 1:
            results = {}
            for method, seed in searches:
                bar.set_description(f"{method} seed {seed}")
                before = bar.n
                step = (lambda t: bar.update(1)) if n_trials is not None else (lambda t: bar.update(t.budget or 1))
                results[(method, seed)] = _search(method, objective, space, n_trials, seed, direction,
                                                  method_kwargs.get(method, {}), run_kwargs, step)
                if per_search is not None:
                    bar.update(before + per_search - bar.n)  # a grid or a budget may end a search early
        else:
            results = _parallel_searches(searches, n_jobs, bar, shipped, space, n_trials, direction, method_kwargs,
                                         run_kwargs, per_search)
        rows, histories = [], {}
        for method in methods:
            for seed in seeds:
                if (method, seed) in results:
                    started, history = results[(method, seed)]
                    rows += _rows(history, method, seed, started, direction)
                else:  # a copied deterministic search
                    rows += [dict(r, seed=seed, copied=True) for r in rows if r["method"] == method
                             and r["seed"] == seeds[0]]  # fmt: skip
                    history = results[(method, seeds[0])][1]
                    if per_search is not None:
                        bar.update(per_search)
                histories[(method, seed)] = history
    frame = _frame(rows, minimum, direction)
    return (frame, histories) if return_histories else frame


def _shipped_for_workers(n_jobs: int, objective, executor) -> tuple[str, bytes] | None:
    """For worker processes: the objective pickled once (None for ``n_jobs=1``), refused now if they cannot
    receive it."""
    if n_jobs == 1:
        return None
    if executor is not None and not isinstance(executor, str) and not brings_own_pool(executor):
        raise ValueError(f"n_jobs={n_jobs} runs searches in other processes, which cannot share the executor "
                         f"{type(executor).__name__}; pass executor='threads' or 'processes' (each search makes its "
                         "own), or use n_jobs=1.")
    probe = process_pool(n_jobs)  # starts no process until a task is submitted; ship() reads its start method
    try:
        return ship(objective, probe, where=f"compare with n_jobs={n_jobs}")
    except ValueError as exc:
        raise ValueError(f"{exc} With compare, n_jobs=1 runs the searches in this process.") from None
    finally:
        probe.shutdown()


def _worker_search(digest, method, space, n_trials, seed, direction, kwargs, run_kwargs):
    """One search in a worker process, on the objective its initializer received once (``workers.received``)."""
    return _search(method, received(digest), space, n_trials, seed, direction, kwargs, run_kwargs)


def _parallel_searches(searches, n_jobs, bar, shipped, space, n_trials, direction, method_kwargs, run_kwargs,
                       per_search):
    """Run independent (method, seed) searches in ``n_jobs`` processes; results keyed like the searches.

    Each search is seeded on its own, so its trials are those of the sequential run; only the
    seconds change, since the searches share the machine.
    """
    from concurrent.futures import as_completed

    results = {}
    with process_pool(n_jobs, initializer=received, initargs=shipped) as pool:
        futures = {pool.submit(_worker_search, shipped[0], method, space, n_trials, seed, direction,
                               method_kwargs.get(method, {}), run_kwargs): (method, seed)
                   for method, seed in searches}  # fmt: skip
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.set_description(f"{futures[future][0]} seed {futures[future][1]} done")
            if per_search is not None:
                bar.update(per_search)
    return results


def _frame(rows: list[dict], minimum: float | None, direction: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = pd.Series(dtype=float)
    params = [c for c in frame.columns if c not in COLUMNS]
    frame = frame[COLUMNS + params]
    if minimum is not None:
        frame.insert(len(COLUMNS), "regret", sign(direction) * (frame["best_so_far"].astype(float) - minimum))
    return frame


def final_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The last row of each (method, seed) search: its final best so far (and regret)."""
    return df.sort_values("trial").groupby(["method", "seed"], sort=False).tail(1)


def direction_of(df: pd.DataFrame) -> str:
    """The direction recorded in a comparison table (``minimize`` when the column is absent)."""
    if "direction" in df and len(df):
        values = set(df["direction"].dropna())
        if len(values) > 1:
            raise ValueError(f"the table mixes directions {sorted(values)}; compare one direction at a time.")
        if values:
            return values.pop()
    return "minimize"


def leaderboard(df: pd.DataFrame) -> pd.DataFrame:
    """One row per method, best first: how good its final best is over seeds, and what it cost.

    Columns: method, seeds, median_best and iqr_best (median and interquartile range over seeds
    of the final best value), median_regret and iqr_regret when ``df`` has a regret column,
    mean_seconds (mean trial duration), total_seconds (sum of trial durations) and failed
    (failed trials), the last three counting only searches that really ran (not ``copied`` rows).
    """
    if not len(df):
        raise ValueError("the comparison table is empty; run compare() with at least one trial.")
    direction = direction_of(df)
    final = final_rows(df)
    ran = df[~df["copied"].astype(bool)] if "copied" in df else df
    out = []
    for method, group in final.groupby("method", sort=False):
        mine = ran[ran["method"] == method]
        row = {"method": method, "seeds": group["seed"].nunique()}
        for column in ["best_so_far", "regret"] if "regret" in df else ["best_so_far"]:
            values = group[column].astype(float)
            q25, q50, q75 = np.nanpercentile(values, [25, 50, 75]) if values.notna().any() else (math.nan,) * 3
            name = "best" if column == "best_so_far" else "regret"
            row[f"median_{name}"], row[f"iqr_{name}"] = q50, q75 - q25
        row["mean_seconds"] = float(mine["seconds"].mean())
        row["total_seconds"] = float(mine["seconds"].sum())
        row["failed"] = int((mine["status"] != COMPLETE).sum())
        out.append(row)
    board = pd.DataFrame(out)
    if "median_regret" in board:  # regret is smaller-is-better whatever the direction
        key, ascending = "median_regret", True
    else:
        key, ascending = "median_best", direction == "minimize"
    return board.sort_values(key, ascending=ascending, na_position="last", kind="stable").reset_index(drop=True)
