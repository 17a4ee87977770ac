"""Keras Tuner and Optuna on the same space, objective and budget, returning the same ``History``.

Their search algorithms are ask/tell optimizers here (``kt_adapter.KerasTunerOptimizer``:
Keras Tuner's oracles and ``GeneticOracle``, this package's GA inside Keras Tuner;
``optuna_adapter.OptunaOptimizer`` and ``OptunaPruning``: Optuna's samplers and pruners),
and ``hpo_lessons.run`` drives them, so a timeout, the journal, callbacks, progress bars and
parallel workers work as for every other method. ``run_keras_tuner`` and ``run_optuna`` are
conveniences: build the optimizer, call ``run``. Every comparison is then one table: trials
numbered from 0, params as Python types in space order, values as the objective returned
them, failures recorded.

This module imports Keras Tuner and Keras on its backend (``hpo_lessons.backend``: TensorFlow, JAX or
PyTorch); ``import hpo_lessons`` does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .kt_adapter import ALGORITHMS, KerasTunerOptimizer, oracle_seed
from .kt_oracle import GeneticOracle, from_hyperparameters, params_from_hp, to_hyperparameters
from .optuna_adapter import SAMPLERS as OPTUNA_SAMPLERS
from .optuna_adapter import OptunaOptimizer, OptunaPruning
from .registry import budgeted, epochs_mode, max_budget_of
from .run import run
from .space import Space

__all__ = ["ALGORITHMS", "GeneticOracle", "KerasTunerOptimizer", "OPTUNA_SAMPLERS", "OptunaOptimizer",
           "OptunaPruning", "budgeted", "epochs_mode", "from_hyperparameters", "oracle_seed", "params_from_hp",
           "run_keras_tuner", "run_optuna", "to_hyperparameters"]


def _check_callable(objective) -> None:
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")


def run_keras_tuner(
    objective: Callable[..., Any],
    space: Space,
    algorithm: str = "random",
    n_trials: int | None = 10,
    seed: int | None = None,
    direction: str | None = None,
    directory: str | None = None,
    *,
    max_consecutive_failures: int = 5,
    timeout: float | None = None,
    total_budget: float | None = None,
    n_workers: int = 1,
    executor=None,
    journal=None,
    progress: bool = False,
    callbacks=(),
    **oracle_kwargs,
):
    """Search ``space`` with a Keras Tuner oracle: ``hl.run(objective, KerasTunerOptimizer(...), ...)``.

    Parameters
    ----------
    objective : params dict -> float, or dict with "value" and extras (as ``hpo_lessons.run``).
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
    max_consecutive_failures : as ``hpo_lessons.run`` (``progress`` is off by default here).
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
    if algorithm == "hyperband":
        objective = budgeted(objective)
        epochs = max_budget_of(objective)
        if epochs is not None:
            oracle_kwargs.setdefault("max_epochs", int(epochs))
        elif "max_epochs" not in oracle_kwargs and epochs_mode(objective) is not None:
            raise ValueError("hyperband: give max_epochs=..., the longest training a trial may get (the objective "
                             "takes epochs but has no max_budget or integer epochs attribute to take it from).")
        if n_trials is not None:
            oracle_kwargs.setdefault("hyperband_iterations", None)  # Keras Tuner reads None as "no limit"
    opt = KerasTunerOptimizer(space, algorithm, seed=seed, directory=directory, **oracle_kwargs)
    callbacks = [opt.annotate, *callbacks]
    history = run(objective, opt, n_trials=n_trials, timeout=timeout, total_budget=total_budget, direction=direction,
                  n_workers=n_workers, executor=executor, journal=journal, progress=progress, callbacks=callbacks,
                  max_consecutive_failures=max_consecutive_failures)
    for trial in history:  # trials replayed from a journal skipped the callback
        opt.annotate(history, trial)
    return history


def run_optuna(
    objective: Callable[..., Any],
    space: Space,
    sampler="tpe",
    n_trials: int | None = 10,
    seed: int | None = None,
    direction: str | None = None,
    *,
    pruner=None,
    min_budget: int = 1,
    max_budget: int | None = None,
    eta: int = 3,
    steps=None,
    max_consecutive_failures: int = 5,
    timeout: float | None = None,
    total_budget: float | None = None,
    n_workers: int = 1,
    executor=None,
    journal=None,
    progress: bool = False,
    callbacks=(),
):
    """Search ``space`` with an Optuna sampler (and optionally a pruner), through ``hpo_lessons.run``.

    ``sampler`` is "tpe" (``TPESampler``), "random" (``RandomSampler``), or an Optuna sampler
    instance (give it its own seed; ``seed`` must then be None). ``Real`` -> ``suggest_float``,
    ``Integer`` -> ``suggest_int`` (with ``log``), ``Categorical`` -> ``suggest_categorical``.
    A failed trial is told to Optuna as FAIL and recorded as failed.

    ``pruner`` ("sh", "hyperband" or an ``optuna.pruners`` instance) trains each configuration
    step by step up to ``max_budget`` (default: the objective's ``max_budget``, else its
    integer ``epochs``), each step a trial with that budget, until Optuna prunes it; see
    ``optuna_adapter.OptunaPruning`` for ``min_budget``, ``eta`` and ``steps``. The other
    arguments are ``hpo_lessons.run``'s (``progress`` is off by default here). Needs the
    ``compare`` extra: ``pip install "hpo-lessons[compare]"``.
    """
    _check_callable(objective)
    if pruner is None:
        opt = OptunaOptimizer(space, sampler, seed=seed)
    else:
        objective = budgeted(objective)
        top = max_budget if max_budget is not None else max_budget_of(objective)
        opt = OptunaPruning(space, pruner, min_budget=min_budget, max_budget=None if top is None else int(top),
                            eta=eta, steps=steps, sampler=sampler, seed=seed)
    return run(objective, opt, n_trials=n_trials, timeout=timeout, total_budget=total_budget, direction=direction,
               n_workers=n_workers, executor=executor, journal=journal, progress=progress, callbacks=callbacks,
               max_consecutive_failures=max_consecutive_failures)
