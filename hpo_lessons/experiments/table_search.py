"""One search on the tabulated learning curves: the unit of every race run on them.

A race on ``benchmarks.tabular(name)`` pairs its searches on seeds: search ``s`` of every method
reads the table's training seed ``s % 3``, on a fresh table (so that no search resumes a
checkpoint another one trained). Each (method, seed) search is then independent of every
other, and ``searches`` can run many of them at once in worker processes, each exactly as it
would run alone. Chapters 8 and 9 and ``benchmarks/multi_fidelity.py`` race this way::

    from hpo_lessons.experiments import table_search
    history, table = table_search.search("hyperband", seed=4, until=432)  # 16 full trainings' worth
    histories = table_search.searches([("bohb", s) for s in range(10)], until=432, n_jobs=2)
"""

from __future__ import annotations

from collections.abc import Iterable

from ..benchmarks import tabular
from ..core.checks import check_int, is_number
from ..core.history import History
from ..core.run import StopSearch, run
from ..core.simulated import Simulated
from ..core.space import Space
from ..core.workers import process_pool
from . import registry


def search(method: str, seed: int, budget: float | None = None, *, until: float | None = None,
           name: str = "digits-mlp", space: Space | None = None, n_workers: int = 1, **method_kwargs):
    """``(History, table)``: one search of ``method`` with ``seed`` on a fresh table for training seed ``seed % 3``
    (the table's ``seeds[seed % len(seeds)]``: digits-mlp has the training seeds 0, 1 and 2).

    budget : the most the trials' budgets may add up to (``run``'s ``total_budget``, in epochs
        charged); None for ``20 * until``, more than any search charges before it trains ``until``.
    until : end the search once this many epochs are trained: ``epochs_trained`` as the table
        reports it for a method that resumes checkpoints (a promotion from 3 to 9 epochs trains
        6), the trial's budget for the others (27 for a full training).
    space : the table's own space by default; a smaller one (a coarse grid) must be part of it.
    n_workers : trials in flight, on the table's simulated clock (``hl.Simulated``).
    method_kwargs : for the method's constructor, through ``registry.make``.
    """
    if budget is None and until is None:
        raise ValueError("give budget (epochs charged) or until (epochs trained), or both, so that the search ends.")
    for label, value in (("budget", budget), ("until", until)):
        if value is not None and (not is_number(value) or value <= 0):
            raise ValueError(f"{label} must be a positive number of epochs, got {value!r}.")
    check_int("n_workers", n_workers, 1, why="trials in flight on the simulated clock")
    table = tabular(name)
    table = table.with_seed(table.seeds[seed % len(table.seeds)])  # paired: search s reads training seed s % 3
    optimizer = registry.make(method, space or table.space, seed=seed, objective=table, **method_kwargs)
    resume, trained = registry.get(method).needs_budget, [0.0]

    def stop(history, trial):
        trained[0] += trial.extras.get("epochs_trained", trial.budget) if resume else trial.budget
        if until is not None and trained[0] >= until:
            raise StopSearch

    history = run(table, optimizer, total_budget=20 * until if budget is None else budget, n_workers=n_workers,
                  executor=Simulated() if n_workers > 1 else None, progress=False, callbacks=[stop])
    return history, table


def searches(tasks: Iterable[tuple[str, int]], budget: float | None = None, *, n_jobs: int = 1,
             method_kwargs: dict[str, dict] | None = None, **options) -> dict[tuple[str, int], History]:
    """``{(method, seed): History}`` for every ``(method, seed)`` of ``tasks``, through ``search``.

    n_jobs : searches at once, each in a worker process of its own (spawned: each imports what its
        methods need, a second or a few); every search runs as it would alone, so the histories
        are those of ``n_jobs=1``.
    method_kwargs : per-method keyword arguments for the constructor, e.g. ``{"genetic": {"population_size": 8}}``.
    options : ``until``, ``name``, ``space`` and ``n_workers``, as in ``search``, for every search.
    """
    tasks, method_kwargs = list(tasks), dict(method_kwargs or {})
    check_int("n_jobs", n_jobs, 1, why="1 runs the searches one after another in this process")
    for method, seed in tasks:
        registry.get(method)  # an unknown name fails here, before any search
        check_int("seed", seed, 0)
    jobs = {(m, s): {**options, **method_kwargs.get(m, {})} for m, s in tasks}
    if n_jobs == 1 or len(tasks) < 2:
        return {(m, s): search(m, s, budget, **kwargs)[0] for (m, s), kwargs in jobs.items()}
    with process_pool(min(n_jobs, len(tasks))) as pool:
        futures = {(m, s): pool.submit(_history_of, m, s, budget, kwargs) for (m, s), kwargs in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _history_of(method: str, seed: int, budget: float | None, kwargs: dict) -> History:
    """A worker's search: only its history travels back (the table is rebuilt from its name and seed)."""
    return search(method, seed, budget, **kwargs)[0]
