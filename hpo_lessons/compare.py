"""Many methods x seeds on one objective -> one table with a row per trial, and a leaderboard.

This package's methods (``grid``, ``random``, ``bayes``, ``genetic``) run through
``hpo_lessons.run``; Keras Tuner's tuners (``kt-random``, ``kt-grid``, ``kt-bayesian``,
``kt-hyperband``) and Optuna's TPE (``optuna-tpe``) run through ``hpo_lessons.frameworks``
on the same objective, space and budget, so every method lands in the same columns.
TensorFlow (which ``frameworks`` imports) is loaded only when one of those is asked for.
"""

from __future__ import annotations

import math
import pickle
import time
import warnings
from collections.abc import Callable, Iterable
from numbers import Real as _Number
from typing import Any

import numpy as np
import pandas as pd

from .history import COMPLETE, DIRECTIONS, History
from .methods import GeneticAlgorithm, GridSearch, RandomSearch
from .methods.bayes import BayesianOptimization
from .run import TooManyFailures, run
from .space import Categorical, Space

# The from-scratch methods by the names compare() and the CLI use.
METHODS = {"grid": GridSearch, "random": RandomSearch, "bayes": BayesianOptimization, "genetic": GeneticAlgorithm}
KERAS_TUNER = {
    "kt-random": "random",
    "kt-grid": "grid",
    "kt-bayesian": "bayesian",
    "kt-hyperband": "hyperband",
    "kt-genetic": "genetic",  # this package's GA as a Keras Tuner oracle
}
OPTUNA = {"optuna-tpe": "tpe"}
METHOD_NAMES = (*METHODS, *KERAS_TUNER, *OPTUNA)
COLUMNS = ["method", "seed", "trial", "value", "best_so_far", "seconds", "elapsed", "status", "direction", "copied"]


def grid_points_per_dim(space: Space, n_trials: int) -> dict[str, int]:
    """Points per numeric dimension so that the full grid has as many points as fit in ``n_trials``.

    Categoricals always contribute every choice. Numeric dimensions start at one point and
    grow one at a time, always the one with the fewest points first, while the grid still
    fits in the budget: a budget of 20 on two real dimensions gives 5 x 4 points. If the
    categoricals alone exceed the budget, every numeric dimension gets one point (its
    middle) and the search stops at ``n_trials``, before the grid is finished.

    >>> from hpo_lessons import Space, Real, Integer
    >>> grid_points_per_dim(Space(x=Real(0, 1), y=Real(0, 1)), 20)
    {'x': 5, 'y': 4}
    >>> grid_points_per_dim(Space(x=Real(0, 1), n=Integer(1, 3)), 100)
    {'x': 33, 'n': 3}
    """
    numeric = [name for name, dim in space if not isinstance(dim, Categorical)]
    fixed = math.prod(dim.size for _, dim in space if isinstance(dim, Categorical))
    counts = dict.fromkeys(numeric, 1)

    def size(counts: dict) -> int:  # integers are de-duplicated, so count the real grid
        return fixed * math.prod(len(space[name].grid(n)) for name, n in counts.items())

    while True:
        for name in sorted(numeric, key=counts.get):  # stable: ties go in declaration order
            if counts[name] >= space[name].size:
                continue  # an integer range already fully covered
            bigger = dict(counts, **{name: counts[name] + 1})
            if size(bigger) <= n_trials:
                counts = bigger
                break
        else:
            return counts


def _check(objective, space, methods, n_trials, seeds, direction, minimum, method_kwargs) -> tuple[list, list]:
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")
    if not isinstance(space, Space):
        raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}.")
    if isinstance(methods, str):
        methods = [m.strip() for m in methods.split(",") if m.strip()]
    methods = list(methods)
    if not methods:
        raise ValueError(f"methods is empty; give one or more of {', '.join(METHOD_NAMES)}.")
    unknown = [m for m in methods if m not in METHOD_NAMES]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; valid methods are: {', '.join(METHOD_NAMES)}.")
    if len(set(methods)) < len(methods):
        raise ValueError(f"methods {methods} lists a method twice; list each once.")
    if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
        raise ValueError(f"n_trials must be a positive int, got {n_trials!r}.")
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(f"seeds must be a count >= 1 or a list of ints, got {seeds!r}.")
        seeds = list(range(int(seeds)))
    elif isinstance(seeds, Iterable):
        seeds = list(seeds)
        if not seeds or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 0 for s in seeds):
            raise ValueError(f"seeds must be a count >= 1 or a non-empty list of ints >= 0, got {seeds!r}.")
        if len(set(seeds)) < len(seeds):
            raise ValueError(f"seeds {seeds} repeats a seed; list each once.")
        seeds = [int(s) for s in seeds]
    else:
        raise TypeError(f"seeds must be a count or a list of ints, got {seeds!r}.")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    if minimum is not None and (
        isinstance(minimum, bool) or not isinstance(minimum, _Number) or not math.isfinite(minimum)
    ):
        raise ValueError(f"minimum must be a finite number (the known optimum) or None, got {minimum!r}.")
    stray = sorted(set(method_kwargs) - set(methods))
    if stray:
        raise ValueError(f"method_kwargs has entries for {stray}, which are not in methods={methods}.")
    return methods, seeds


def _run_one(method, objective, space, n_trials, seed, direction, kwargs, on_trial, timeout) -> History:
    """One search of one method with one seed; ``on_trial()`` is called after each of our trials."""
    try:
        if method in METHODS:
            kwargs = dict(kwargs)
            if method == "grid":
                kwargs.setdefault("points_per_dim", grid_points_per_dim(space, n_trials))
            optimizer = METHODS[method](space, seed=seed, **kwargs)
            callback = lambda history, trial: on_trial()
            return run(objective, optimizer, n_trials=n_trials, timeout=timeout, direction=direction,
                       progress=False, callbacks=[callback])  # fmt: skip
        from . import frameworks  # TensorFlow (kt-) or Optuna only when asked for

        common = {"n_trials": n_trials, "seed": seed, "direction": direction, **kwargs}
        if method in KERAS_TUNER:
            return frameworks.run_keras_tuner(objective, space, algorithm=KERAS_TUNER[method], **common)
        return frameworks.run_optuna(objective, space, sampler=OPTUNA[method], **common)
    except TooManyFailures as exc:  # keep the trials that ran; the table shows them as failed
        warnings.warn(f"{method} (seed {seed}) stopped early: {exc}", stacklevel=3)
        return exc.history


def _rows(history: History, method: str, seed: int, started: float, direction: str) -> list[dict]:
    """The trials of one search as table rows; ``elapsed`` is wall clock since the search began."""
    best = history.best_so_far()
    rows, total = [], 0.0
    for i, t in enumerate(history.trials):
        total += t.duration
        # Wall clock includes the method's own time between trials (fitting a GP, writing files);
        # histories without start times fall back to the sum of trial durations.
        end = t.start + t.duration - started if t.start > 0 else total
        row = {
            "method": method,
            "seed": seed,
            "trial": i,
            "value": t.value,
            "best_so_far": best[i],
            "seconds": t.duration,
            "elapsed": end,
            "status": t.status,
            "direction": direction,
            "copied": False,
        }
        row.update({f"params_{k}": v for k, v in t.params.items()})
        rows.append(row)
    return rows


def compare(
    objective: Callable[[dict], Any],
    space: Space,
    methods: Iterable[str] | str,
    n_trials: int,
    seeds: int | Iterable[int] = 3,
    direction: str = "minimize",
    minimum: float | None = None,
    progress: bool = True,
    method_kwargs: dict[str, dict] | None = None,
    timeout: float | None = None,
    grid_once: bool = True,
    return_histories: bool = False,
    n_jobs: int = 1,
):
    """Run every method with every seed on ``objective`` at the same budget.

    Parameters
    ----------
    objective : params dict -> float (or dict with "value"), as for ``hpo_lessons.run``.
    space : the search space, shared by every method.
    methods : names from ``METHOD_NAMES`` (a list or a comma-separated string):
        grid, random, bayes, genetic, kt-random, kt-grid, kt-bayesian, kt-hyperband, kt-genetic
        (this package's GA as a Keras Tuner oracle), optuna-tpe.
    n_trials : trials per search (one method, one seed).
    seeds : a count (seeds 0..n-1) or a list of ints; each search gets its seed as the method's seed.
    minimum : the known optimum value (the minimum, or the maximum when ``direction="maximize"``);
        when given, a ``regret`` column holds the distance from the best so far to it (>= 0).
    method_kwargs : per-method keyword arguments, e.g. ``{"genetic": {"population_size": 8}}``;
        for our methods they go to the method's constructor, for the others to
        ``frameworks.run_keras_tuner`` / ``frameworks.run_optuna``.
    timeout : seconds per search for our methods (no new trial starts after it).
    grid_once : the grid is deterministic, so seeds would only repeat it; when True it runs
        once, its rows are copied for the other seeds and marked ``copied=True`` (the
        leaderboard's times count only the real run). Its size is chosen by
        ``grid_points_per_dim`` to fit ``n_trials``, so it may run fewer trials.
    return_histories : also return ``{(method, seed): History}`` (learning curves, GA state, ...).
    n_jobs : searches run at once, each in its own process. The searches are independent and
        seeded, so the trials are the same as with ``n_jobs=1``; the seconds are measured while
        the searches share the machine. A Keras trial on a small network keeps about one CPU
        core busy, so ``n_jobs`` up to the number of cores shortens a comparison almost that
        many times. The objective must be importable by the workers (a KerasObjective, a
        benchmark, or a function in a module).

    Returns
    -------
    pandas.DataFrame with one row per trial: method, seed, trial (0-based), value, best_so_far,
    seconds (the trial's duration), elapsed (wall-clock seconds from the start of that search to
    the end of the trial, the method's own overhead included), status ("complete"/"failed"),
    direction, copied, [regret], then ``params_<name>`` columns.
    """
    method_kwargs = dict(method_kwargs or {})
    methods, seeds = _check(objective, space, methods, n_trials, seeds, direction, minimum, method_kwargs)
    shipped = _pickled_for_workers(n_jobs, objective)
    _import_frameworks(methods)
    if progress:
        from tqdm.auto import tqdm
    else:  # a disabled bar; tqdm.auto would warn in a Jupyter kernel without ipywidgets
        from tqdm import tqdm

    # The grid is deterministic: with grid_once only its first seed runs; the others copy it.
    searches = [(m, s) for m in methods for s in seeds if not (m == "grid" and grid_once and s != seeds[0])]
    bar = tqdm(total=len(methods) * len(seeds) * n_trials, desc="compare", unit="trial", disable=not progress)
    with bar:
        if n_jobs == 1:
            results = {}
            for method, seed in searches:
                bar.set_description(f"{method} seed {seed}")
                before = bar.n
                results[(method, seed)] = _timed_search(method, objective, space, n_trials, seed, direction,
                                                        method_kwargs.get(method, {}), timeout, bar.update)
                bar.update(before + n_trials - bar.n)  # frameworks report no per-trial progress; grids may stop early
        else:
            results = _parallel_searches(searches, n_jobs, bar, shipped, space, n_trials, direction,
                                         method_kwargs, timeout)
        rows, histories = [], {}
        for method in methods:
            for seed in seeds:
                if (method, seed) in results:
                    started, history = results[(method, seed)]
                    rows += _rows(history, method, seed, started, direction)
                else:  # a copied grid
                    rows += [dict(r, seed=seed, copied=True) for r in rows if r["method"] == method
                             and r["seed"] == seeds[0]]  # fmt: skip
                    history = results[(method, seeds[0])][1]
                    bar.update(n_trials)
                histories[(method, seed)] = history
    frame = _frame(rows, minimum, direction)
    return (frame, histories) if return_histories else frame


def _timed_search(method, objective, space, n_trials, seed, direction, kwargs, timeout, on_trial=None):
    """``(wall-clock start, History)`` of one search."""
    started = time.time()
    history = _run_one(method, objective, space, n_trials, seed, direction, kwargs, on_trial or (lambda: None),
                       timeout)
    return started, history


def _pickled_for_workers(n_jobs, objective) -> bytes | None:
    """Check ``n_jobs``; for worker processes, the objective pickled once (None for ``n_jobs=1``)."""
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive int (1 runs the searches one after another), got {n_jobs!r}.")
    if n_jobs == 1:
        return None
    # Worker processes are started fresh ("spawn": TensorFlow does not survive a fork) and import the
    # objective by name, so it must live in an importable module, not in a notebook or a script's main.
    owner = objective if hasattr(objective, "__qualname__") else type(objective)
    if owner.__module__ == "__main__" or "<locals>" in owner.__qualname__:
        raise ValueError(f"n_jobs={n_jobs} runs searches in worker processes, which cannot import "
                         f"{owner.__qualname__!r} defined in {owner.__module__!r}; move it to a module "
                         "(or use a KerasObjective or a benchmark), or use n_jobs=1.")
    try:
        return pickle.dumps(objective)
    except Exception as exc:
        raise ValueError(f"n_jobs={n_jobs} needs an objective that pickles, and this one does not ({exc}); "
                         "use n_jobs=1.") from exc


_worker_objective = None  # set once in each worker process by _receive_objective


def _receive_objective(shipped: bytes) -> None:
    """Worker start-up: unpickle the objective once, not once per search (it may hold a whole dataset)."""
    global _worker_objective
    _worker_objective = pickle.loads(shipped)


def _worker_search(method, space, n_trials, seed, direction, kwargs, timeout):
    return _timed_search(method, _worker_objective, space, n_trials, seed, direction, kwargs, timeout)


def _parallel_searches(searches, n_jobs, bar, shipped, space, n_trials, direction, method_kwargs, timeout):
    """Run independent (method, seed) searches in ``n_jobs`` processes; results keyed like the searches.

    Each search is seeded on its own, so its trials are those of the sequential run; only the
    seconds change, since the searches share the machine.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results = {}
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_receive_objective, initargs=(shipped,)) as pool:
        futures = {pool.submit(_worker_search, method, space, n_trials, seed, direction,
                               method_kwargs.get(method, {}), timeout): (method, seed)
                   for method, seed in searches}  # fmt: skip
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.set_description(f"{futures[future][0]} seed {futures[future][1]} done")
            bar.update(n_trials)
    return results


def _import_frameworks(methods: list[str]) -> None:
    """Import TensorFlow and Optuna before any clock starts, so no search's time includes an import."""
    if any(m in KERAS_TUNER or m in OPTUNA for m in methods):
        from . import frameworks  # noqa: F401
    if any(m in OPTUNA for m in methods):
        try:
            import optuna  # noqa: F401
        except ImportError as exc:  # fail before any method runs, not after an hour of them
            raise ImportError('optuna-tpe needs Optuna: pip install "hpo-lessons[compare]"') from exc


def _frame(rows: list[dict], minimum: float | None, direction: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = pd.Series(dtype=float)
    params = [c for c in frame.columns if c not in COLUMNS]
    frame = frame[COLUMNS + params]
    if minimum is not None:
        sign = 1.0 if direction == "minimize" else -1.0
        frame.insert(len(COLUMNS), "regret", sign * (frame["best_so_far"].astype(float) - minimum))
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
