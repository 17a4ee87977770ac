"""``run_keras_tuner`` and ``run_optuna``: a library's optimizer built on ``space``, then ``hpo_lessons.run``.

They add nothing to the search: every keyword of ``run`` (``timeout``, ``journal``,
``n_workers``, ...) passes through unchanged, and the rest goes to the library's optimizer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..core.objective import budgeted, epochs_mode, max_budget_of
from ..core.run import run
from ..core.space import Space

__all__ = ["hyperband_defaults", "run_keras_tuner", "run_optuna"]

_RUN_KEYWORDS = set(inspect.signature(run).parameters) - {"objective", "optimizer"}


def _split(kwargs: dict) -> tuple[dict, dict]:
    """``kwargs`` as (``run``'s keywords, the optimizer's), progress bars off unless asked for."""
    run_kwargs = {"progress": False, **{k: v for k, v in kwargs.items() if k in _RUN_KEYWORDS}}
    return run_kwargs, {k: v for k, v in kwargs.items() if k not in _RUN_KEYWORDS}


def hyperband_defaults(objective, unlimited: bool = True) -> dict:
    """Keras Tuner Hyperband's settings that follow from the objective: ``max_epochs`` is its ``max_budget``
    (so the longest trial equals every other method's), and with ``unlimited`` it iterates until the run's
    own end (``n_trials``, a total budget, a timeout) instead of stopping after one iteration.

    ``run_keras_tuner`` and the registry's ``kt-hyperband`` both take their defaults from here.
    """
    out = {"hyperband_iterations": None} if unlimited else {}  # Keras Tuner reads None as "no limit"
    epochs = max_budget_of(objective)
    if epochs is not None:
        out["max_epochs"] = int(epochs)
    return out


def _check_callable(objective) -> None:
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")


def run_keras_tuner(
    objective: Callable[..., Any],
    space: Space,
    algorithm: str = "random",
    n_trials: int | None = 10,
    seed: int | None = None,
    directory: str | None = None,
    **kwargs,
):
    """Search ``space`` with a Keras Tuner oracle: ``hl.run(objective, KerasTunerOptimizer(...), ...)``.

    Parameters
    ----------
    objective : params dict -> float, or dict with "value" and extras (as ``hpo_lessons.core.run``).
    algorithm : "random", "grid", "bayesian", "hyperband" (Keras Tuner's oracles) or "genetic"
        (``GeneticOracle``: this package's GA inside Keras Tuner).
    n_trials : trials in all, failed ones included. "grid" may stop earlier when its grid is
        exhausted (an unstepped Float gives Keras Tuner 10 grid values); for "grid" and
        "hyperband", ``None`` means the algorithm's own end (the whole grid; one Hyperband
        iteration); with ``n_trials`` given, Hyperband iterates until that many trials ran.
    seed : the same seed gives the same trials on a deterministic objective; different seeds
        give independent searches (see ``kt_adapter.oracle_seed``).
    direction : None takes the objective's own (``KerasObjective``: from its metric), else minimize.
    directory : where Keras Tuner writes its project files (``<directory>/<algorithm>``, replaced);
        by default none are written.
    timeout, total_budget, n_workers, executor, journal, progress, callbacks,
    max_consecutive_failures : as ``hpo_lessons.core.run`` (``progress`` is off by default here).
    **oracle_kwargs : passed to the oracle, e.g. ``num_initial_points``, ``beta`` (bayesian),
        ``max_epochs``, ``factor`` (hyperband), ``population_size`` (genetic).

    Hyperband varies the training budget: each trial's ``tuner/epochs`` is its budget, and
    ``run`` calls ``objective(params, budget=epochs)``. An objective that takes its budget as
    ``epochs`` instead (a keyword ``epochs=``, or an ``epochs`` attribute that params may
    override, as ``KerasObjective`` once did) is wrapped by ``budgeted``; one with no budget at
    all is refused before any trial. ``max_epochs`` defaults to the objective's ``max_budget``
    (else its integer ``epochs``), so the longest Hyperband trial equals every other method's
    trial. Each trial's extras hold ``epochs``, ``initial_epoch``, ``bracket`` and ``round``
    (an objective's own "epochs" extra wins): Keras Tuner's own tuner would train
    ``epochs - initial_epoch`` per trial, resuming the parent trial's checkpoint, which is what
    an objective with checkpoints (``KerasObjective``) does here too.

    Returns a ``History`` named ``keras_tuner.<OracleClass>``; interrupting returns the trials so far.
    """
    _check_callable(objective)
    from .kt_adapter import KerasTunerOptimizer  # Keras Tuner (and Keras) only when it is used

    run_kwargs, oracle_kwargs = _split(kwargs)
    if algorithm == "hyperband":
        objective = budgeted(objective)
        oracle_kwargs = {**hyperband_defaults(objective, unlimited=n_trials is not None), **oracle_kwargs}
        if "max_epochs" not in oracle_kwargs and epochs_mode(objective) is not None:
            raise ValueError("hyperband: give max_epochs=..., the longest training a trial may get (the objective "
                             "takes epochs but has no max_budget or integer epochs attribute to take it from).")
    opt = KerasTunerOptimizer(space, algorithm, seed=seed, directory=directory, **oracle_kwargs)
    run_kwargs["callbacks"] = [opt.annotate, *run_kwargs.get("callbacks", ())]
    history = run(objective, opt, n_trials=n_trials, **run_kwargs)
    for trial in history:  # trials replayed from a journal skipped the callback
        opt.annotate(history, trial)
    return history


def run_optuna(
    objective: Callable[..., Any],
    space: Space,
    sampler="tpe",
    n_trials: int | None = 10,
    seed: int | None = None,
    *,
    pruner=None,
    min_budget: int = 1,
    max_budget: int | None = None,
    eta: int = 3,
    steps=None,
    **run_kwargs,
):
    """Search ``space`` with an Optuna sampler (and optionally a pruner), through ``hpo_lessons.core.run``.

    ``sampler`` is "tpe" (``TPESampler``), "random" (``RandomSampler``), or an Optuna sampler
    instance (give it its own seed; ``seed`` must then be None). ``Real`` -> ``suggest_float``,
    ``Integer`` -> ``suggest_int`` (with ``log``), ``Categorical`` -> ``suggest_categorical``.
    A failed trial is told to Optuna as FAIL and recorded as failed.

    ``pruner`` ("sh", "hyperband" or an ``optuna.pruners`` instance) trains each configuration
    step by step up to ``max_budget`` (default: the objective's ``max_budget``, else its
    integer ``epochs``), each step a trial with that budget, until Optuna prunes it; see
    ``optuna_adapter.OptunaPruning`` for ``min_budget``, ``eta`` and ``steps``. The other
    arguments are ``hpo_lessons.core.run``'s (``progress`` is off by default here). Needs the
    ``compare`` extra: ``pip install "hpo-lessons[compare]"``.
    """
    _check_callable(objective)
    from .optuna_adapter import OptunaOptimizer, OptunaPruning  # Optuna only when it is used

    if pruner is None:
        opt = OptunaOptimizer(space, sampler, seed=seed)
    else:
        objective = budgeted(objective)
        top = max_budget if max_budget is not None else max_budget_of(objective)
        opt = OptunaPruning(space, pruner, min_budget=min_budget, max_budget=None if top is None else int(top),
                            eta=eta, steps=steps, sampler=sampler, seed=seed)
    unknown = sorted(set(run_kwargs) - _RUN_KEYWORDS)
    if unknown:
        raise TypeError(f"run_optuna got unknown keywords {unknown}; it takes hpo_lessons.run's keywords and "
                        "sampler, pruner, min_budget, max_budget, eta and steps.")
    return run(objective, opt, n_trials=n_trials, **{"progress": False, **run_kwargs})
