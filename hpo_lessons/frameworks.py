"""Keras Tuner and Optuna on the same space, objective and budget, returning the same ``History``.

``run_keras_tuner`` lets Keras Tuner's own oracles (random, grid, Bayesian, Hyperband, and
this package's genetic algorithm as ``GeneticOracle``) choose the params, and calls the very
objective that ``hpo_lessons.run`` takes (params dict -> float, or dict with a "value"),
through a ``Tuner`` whose ``run_trial`` only calls it. ``run_optuna`` does the same with
Optuna's samplers. Every comparison is then one table: trials numbered from 0, params as
Python types in space order, values as the objective returned them, failures recorded.

This module imports Keras Tuner (and so TensorFlow); ``import hpo_lessons`` does not.
"""

from __future__ import annotations

import functools
import inspect
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

from . import tf_setup  # noqa: F401  first: the Keras backend and a quiet TensorFlow start-up

# isort: split
import keras_tuner as kt
from keras_tuner.engine.base_tuner import BaseTuner
from sklearn.exceptions import ConvergenceWarning

from .history import COMPLETE, DIRECTIONS, FAILED, History, Trial
from .kt_oracle import GeneticOracle, from_hyperparameters, params_from_hp, to_hyperparameters
from .run import TooManyFailures, _evaluate
from .space import Categorical, Integer, Real, Space

ALGORITHMS = {
    "random": kt.oracles.RandomSearchOracle,
    "grid": kt.oracles.GridSearchOracle,
    "bayesian": kt.oracles.BayesianOptimizationOracle,
    "hyperband": kt.oracles.HyperbandOracle,
    "genetic": GeneticOracle,
}
OPTUNA_SAMPLERS = ("tpe", "random")
_SET_HERE = ("objective", "max_trials", "hyperparameters", "seed", "max_consecutive_failed_trials")

__all__ = ["ALGORITHMS", "GeneticOracle", "epochs_mode", "from_hyperparameters", "params_from_hp", "run_keras_tuner",
           "run_optuna", "to_hyperparameters"]


def _check(objective, space, n_trials, seed, direction, max_consecutive_failures, n_trials_optional=False) -> None:
    if not callable(objective):
        raise TypeError(f"objective must be callable (params dict -> float), got {type(objective).__name__}.")
    if not isinstance(space, Space):
        raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}; wrap it: Space(...).")
    if n_trials is None and not n_trials_optional:
        raise ValueError("n_trials=None: this search has no end; give the number of trials.")
    if n_trials is not None and (isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1):
        raise ValueError(f"n_trials must be a positive int, got {n_trials!r}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ValueError(f"seed must be None or an int >= 0, got {seed!r}.")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction={direction!r}; use 'minimize' or 'maximize'.")
    if isinstance(max_consecutive_failures, bool) or not isinstance(max_consecutive_failures, int) \
            or max_consecutive_failures < 1:
        raise ValueError(f"max_consecutive_failures must be an int >= 1, got {max_consecutive_failures!r}.")


def _record(history: History, params: dict, call: Callable, budget: dict) -> Trial:
    """Evaluate ``call(params)`` and append the trial to ``history``; any error makes a failed trial."""
    start, t0 = time.time(), time.perf_counter()
    value, error, extras = _evaluate(call, params)
    trial = Trial(number=len(history), params=dict(params), value=value, status=COMPLETE if error is None else FAILED,
                  error=error, start=start, duration=time.perf_counter() - t0, extras={**budget, **extras})
    history.trials.append(trial)
    return trial


def _check_failures(history: History, limit: int) -> None:
    in_a_row = 0
    for trial in reversed(history.trials):
        if trial.ok:
            break
        in_a_row += 1
    if in_a_row >= limit:
        raise TooManyFailures(f"{in_a_row} trials failed in a row; the last error was: {history.trials[-1].error}. "
                              "Fix the objective (or raise max_consecutive_failures); the trials so far are in "
                              ".history.", history)


def epochs_mode(objective) -> str | None:
    """How a Hyperband trial's epochs reach ``objective``: "keyword", "params" or None (not at all).

    "keyword" when it has an ``epochs`` parameter (``objective(params, epochs=e)``); else "params"
    when it has an ``epochs`` attribute, the budget that a trial's params may override, as
    ``keras_task.KerasObjective`` does (``objective({**params, "epochs": e})``); else None.
    """
    try:
        parameters = inspect.signature(objective).parameters.values()
    except (TypeError, ValueError):
        parameters = []
    if any(p.name == "epochs" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in parameters):
        return "keyword"
    return "params" if hasattr(objective, "epochs") else None


def _with_epochs(objective, mode: str | None, epochs: int) -> Callable:
    if mode == "keyword":
        return functools.partial(objective, epochs=epochs)
    if mode == "params":
        return lambda params: objective({**params, "epochs": epochs})
    return objective


class _ObjectiveTuner(BaseTuner):
    """A tuner whose trial is one call of the objective: no model to build, no checkpoint to save."""

    def __init__(self, oracle, objective, space: Space, history: History, limit: int, directory: str, project: str):
        super().__init__(oracle=oracle, directory=directory, project_name=project, overwrite=True)
        self.objective, self.space, self.history, self.limit = objective, space, history, limit
        self.epochs_mode = epochs_mode(objective)

    def run_trial(self, trial, *args, **kwargs):
        values = trial.hyperparameters.values
        call, budget = self.objective, {}
        if "tuner/epochs" in values:  # Hyperband's budget for this trial
            budget = {"epochs": int(values["tuner/epochs"]), "initial_epoch": int(values["tuner/initial_epoch"]),
                      "bracket": int(values["tuner/bracket"]), "round": int(values["tuner/round"])}
            call = _with_epochs(self.objective, self.epochs_mode, budget["epochs"])
        record = _record(self.history, params_from_hp(values, self.space), call, budget)
        if not record.ok:
            raise kt.errors.FailedTrialError(record.error)  # FAILED, never retried, skipped by the BO's GP
        return {self.oracle.objective.name: record.value}

    def on_trial_end(self, trial):
        super().on_trial_end(trial)
        _check_failures(self.history, self.limit)


def run_keras_tuner(
    objective: Callable[[dict], Any],
    space: Space,
    algorithm: str = "random",
    n_trials: int | None = 10,
    seed: int | None = None,
    direction: str = "minimize",
    directory: str | None = None,
    *,
    max_consecutive_failures: int = 5,
    **oracle_kwargs,
) -> History:
    """Search ``space`` with a Keras Tuner oracle, calling ``objective`` for every trial.

    Parameters
    ----------
    objective : params dict -> float, or dict with "value" and extras (as ``hpo_lessons.run``).
    algorithm : "random", "grid", "bayesian", "hyperband" (Keras Tuner's oracles) or "genetic"
        (``GeneticOracle``: this package's GA inside Keras Tuner).
    n_trials : trials in all, failed ones included. "grid" may stop earlier when its grid is
        exhausted (an unstepped Float gives Keras Tuner 10 grid values); for "grid" and
        "hyperband", ``None`` means the algorithm's own end (the whole grid; one Hyperband
        iteration).
    seed : the same seed gives the same trials on a deterministic objective. Keras Tuner reads
        seed 0 as "no seed" (``seed or random.randint(...)``), so its oracles get ``seed + 1``;
        the GA gets ``seed`` itself, as under ``hpo_lessons.run``.
    directory : where Keras Tuner writes its project (``<directory>/<algorithm>``, replaced if
        it exists); by default a temporary directory, removed afterwards.
    max_consecutive_failures : as in ``hpo_lessons.run``: ``TooManyFailures`` (carrying the
        history) after this many failed trials in a row. Keras Tuner's own limit is disabled.
    **oracle_kwargs : passed to the oracle, e.g. ``num_initial_points``, ``beta`` (bayesian),
        ``max_epochs``, ``factor`` (hyperband), ``population_size`` (genetic).

    Hyperband varies the training budget. Each trial asks for ``tuner/epochs`` epochs;
    Keras Tuner's own ``Hyperband`` tuner resumes the parent trial's checkpoint at
    ``tuner/initial_epoch``, but a params -> value objective cannot resume, so here each trial
    trains from scratch for ``tuner/epochs``, passed as ``epochs_mode`` says: as a keyword
    ``epochs=`` if the objective has that parameter, as ``params["epochs"]`` if it has an
    ``epochs`` attribute (``KerasObjective``), else not at all (a synthetic function: then
    only the trial count means anything). ``max_epochs`` defaults to the objective's integer
    ``epochs`` attribute, so the longest Hyperband trial equals every other method's trial;
    it must be given when the objective trains but its budget is unknown, and is otherwise
    Keras Tuner's 100. Each trial's extras hold ``epochs``, ``initial_epoch``, ``bracket``
    and ``round`` (an objective's own "epochs" extra, the epochs it really ran, wins):
    ``sum(t.extras["epochs"])`` is the epochs trained here, ``sum(epochs - initial_epoch)``
    what Keras Tuner's own tuner would train. With ``n_trials`` given, Hyperband iterates
    until ``n_trials`` trials have run.

    Returns a ``History`` named ``keras_tuner.<OracleClass>``. Interrupting returns the trials so far.
    """
    _check(objective, space, n_trials, seed, direction, max_consecutive_failures,
           n_trials_optional=algorithm in ("grid", "hyperband"))
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm={algorithm!r}; use one of {list(ALGORITHMS)}.")
    clashes = sorted(set(oracle_kwargs) & set(_SET_HERE))
    if clashes:
        raise ValueError(f"{clashes} are set by run_keras_tuner; use its arguments (n_trials, seed, direction, "
                         "max_consecutive_failures) instead.")
    oracle = _make_oracle(algorithm, objective, space, n_trials, seed, direction, dict(oracle_kwargs))
    history = History(direction=direction, space=space, name=f"keras_tuner.{type(oracle).__name__}")
    workdir = directory if directory is not None else tempfile.mkdtemp(prefix="hpo_lessons_kt_")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # the scikit-learn GP of Keras Tuner's BO
            tuner = _ObjectiveTuner(oracle, objective, space, history, max_consecutive_failures, workdir, algorithm)
            tuner.search(verbose=0)  # verbose=0 silences Keras Tuner's per-trial tables
    except KeyboardInterrupt:
        warnings.warn(f"search interrupted after {len(history)} trials; returning the history so far.", stacklevel=2)
    finally:
        if directory is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return history


def _make_oracle(algorithm, objective, space, n_trials, seed, direction, kwargs):
    common = {"objective": kt.Objective("value", "min" if direction == "minimize" else "max"),
              "hyperparameters": to_hyperparameters(space),
              "max_consecutive_failed_trials": 2**31 - 1}  # run_keras_tuner counts failures itself
    if algorithm == "genetic":
        return GeneticOracle(max_trials=n_trials, seed=seed, **common, **kwargs)
    kt_seed = None if seed is None else seed + 1
    if algorithm == "hyperband":
        epochs = getattr(objective, "epochs", None)
        if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs >= 1:
            kwargs.setdefault("max_epochs", epochs)
        elif "max_epochs" not in kwargs and epochs_mode(objective) is not None:
            raise ValueError("hyperband: give max_epochs=..., the longest training a trial may get (the objective "
                             "takes epochs but has no integer epochs attribute to take it from).")
        if n_trials is not None:
            kwargs.setdefault("hyperband_iterations", None)  # Keras Tuner reads None as "no limit"
        oracle = ALGORITHMS[algorithm](seed=kt_seed, **common, **kwargs)
        oracle.max_trials = n_trials  # HyperbandOracle takes no max_trials; Oracle.create_trial honours it
        return oracle
    return ALGORITHMS[algorithm](max_trials=n_trials, seed=kt_seed, **common, **kwargs)


def run_optuna(
    objective: Callable[[dict], Any],
    space: Space,
    sampler="tpe",
    n_trials: int = 10,
    seed: int | None = None,
    direction: str = "minimize",
    *,
    max_consecutive_failures: int = 5,
) -> History:
    """Search ``space`` with an Optuna sampler, through Optuna's ask-and-tell interface.

    ``sampler`` is "tpe" (``TPESampler``), "random" (``RandomSampler``), or an Optuna sampler
    instance (give it its own seed; ``seed`` must then be None). ``Real`` -> ``suggest_float``,
    ``Integer`` -> ``suggest_int`` (with ``log``), ``Categorical`` -> ``suggest_categorical``.
    A failed trial is told to Optuna as FAIL and recorded as failed. Optuna's logging is
    silenced while the search runs. Needs the ``compare`` extra: ``pip install "hpo-lessons[compare]"``.
    """
    try:
        import optuna
    except ImportError as exc:
        raise ImportError('run_optuna needs Optuna: pip install "hpo-lessons[compare]"') from exc
    _check(objective, space, n_trials, seed, direction, max_consecutive_failures)
    sampler = _optuna_sampler(optuna, sampler, seed)
    history = History(direction=direction, space=space, name=f"optuna.{type(sampler).__name__}")
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # no "Trial 3 finished with value ..." lines
    try:
        study = optuna.create_study(direction=direction, sampler=sampler)
        while len(history) < n_trials:
            trial = study.ask()
            params = {name: _suggest(trial, name, dim) for name, dim in space}
            record = _record(history, params, objective, {})
            if record.ok:
                study.tell(trial, record.value)
            else:
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
            _check_failures(history, max_consecutive_failures)
    except KeyboardInterrupt:
        warnings.warn(f"search interrupted after {len(history)} trials; returning the history so far.", stacklevel=2)
    finally:
        optuna.logging.set_verbosity(verbosity)
    return history


def _optuna_sampler(optuna, sampler, seed):
    if isinstance(sampler, optuna.samplers.BaseSampler):
        if seed is not None:
            raise ValueError("seed is given, but so is a sampler instance: build the sampler with that seed instead.")
        return sampler
    if sampler == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"sampler={sampler!r}; use one of {OPTUNA_SAMPLERS} or an optuna.samplers instance.")


def _suggest(trial, name: str, dim):
    if isinstance(dim, Real):
        return float(trial.suggest_float(name, dim.low, dim.high, log=dim.log))
    if isinstance(dim, Integer):
        return int(trial.suggest_int(name, dim.low, dim.high, log=dim.log))
    if isinstance(dim, Categorical):
        return trial.suggest_categorical(name, list(dim.choices))
    raise TypeError(f"{name}: {type(dim).__name__} has no Optuna equivalent; use Real, Integer or Categorical.")
