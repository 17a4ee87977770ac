"""Keras Tuner's oracles as ask/tell optimizers, so that ``hpo_lessons.core.run`` drives them like any method.

An oracle is Keras Tuner's search algorithm without the training loop: ``create_trial``
proposes, ``update_trial`` reports a metric, ``end_trial`` closes the trial. The adapter
maps them onto the package's contract::

    opt = KerasTunerOptimizer(space, "bayesian", seed=0)   # Keras Tuner's own BO
    history = hl.run(objective, opt, n_trials=20, n_workers=4, journal="runs/kt.jsonl")

- ``ask()`` is ``create_trial`` under a fresh tuner id (Keras Tuner hands an ongoing trial
  back to a tuner id that asks twice), so several trials can be pending at once. RUNNING
  becomes a ``Suggestion``; IDLE (the oracle waits for running trials: a grid that has
  handed out its next combinations, a Hyperband rung, a GA generation) becomes
  ``NotReady``; STOPPED becomes ``Exhausted``.
- ``tell(s, value)`` reports ``value`` (always minimized: the oracle's objective is
  ``Objective("value", "min")`` and ``run`` negates for "maximize") and ends the trial
  COMPLETED, or FAILED for a failed trial, which Keras Tuner neither retries nor feeds to its
  GP. Keras Tuner's own limit of failures in a row is disabled: ``run`` counts them.
- Hyperband's trials carry ``tuner/epochs``: the suggestion's ``budget``, so ``run`` calls
  ``objective(params, budget=epochs)`` (``needs_budget`` is True). ``schedule[id]`` keeps each
  trial's ``epochs``, ``initial_epoch``, ``bracket`` and ``round`` (``annotate``, a ``run``
  callback, copies them into the trials' extras). A promotion from 3 to 9
  epochs is a new suggestion with the same params and budget 9; an objective that keeps
  checkpoints (``KerasObjective``) trains only the 6 missing epochs.
- Nothing is written to disk unless ``directory`` is given (Keras Tuner's trial files and
  oracle state, for its own tools); the journal is ``run``'s.

Seeds. Keras Tuner draws hyperparameter ``i`` of a search seeded ``s`` with seed ``s + i``,
so the search seeded ``s + 1`` repeats the one seeded ``s`` shifted by one draw (and reads
0 as "no seed"). ``oracle_seed`` derives the oracle's seed from ``numpy.random.SeedSequence``,
so seeds 0, 1, 2... give independent searches; the same seed still gives the same trials.

Resume. The oracle's state is a function of the asks and tells it saw, in order, and its seed:
``run``'s journal replays them, so a search stopped and resumed with the same seed continues
as if never stopped (with one worker, the same trials in the same order; tested for random,
grid, GA and Hyperband). Where Keras Tuner's own state makes that impossible, ``run`` refuses
the journal, naming the mismatch, rather than continue a different search: without a seed
(Keras Tuner then draws one at random); and for its BO, whose suggestions come out of
floating point (scikit-learn's GP fit, 50 L-BFGS-B restarts), when the journal is resumed on
another machine or BLAS build, where the same history can give a slightly different point.
With several workers, results come back in an order that timing decides, so a resumed search
is not the uninterrupted one; what holds is that no finished trial is lost or run twice, and
the trials that were running at the stop run again first. Keras Tuner's project files
(``directory``) play no part in a resume.

This module imports Keras Tuner and Keras on its backend (``hpo_lessons.keras_task.backend``: TensorFlow, JAX or
PyTorch); ``import hpo_lessons`` does not.
"""

from __future__ import annotations

import math
import os
import shutil
import warnings

from ..keras_task import backend  # noqa: F401  first: the Keras backend, started quietly

# isort: split
import keras_tuner as kt
import numpy as np
from keras_tuner.engine.trial import TrialStatus
from sklearn.exceptions import ConvergenceWarning

from ..core.checks import check_int
from ..core.space import Space
from ..methods.base import Exhausted, NotReady, Optimizer, Suggestion, is_failure
from .kt_oracle import GeneticOracle, params_from_hp, to_hyperparameters

ALGORITHMS = {
    "random": kt.oracles.RandomSearchOracle,
    "grid": kt.oracles.GridSearchOracle,
    "bayesian": kt.oracles.BayesianOptimizationOracle,
    "hyperband": kt.oracles.HyperbandOracle,
    "genetic": GeneticOracle,
}
SET_HERE = ("objective", "max_trials", "hyperparameters", "seed", "max_consecutive_failed_trials")
HYPERBAND_KEYS = ("epochs", "initial_epoch", "bracket", "round")


def oracle_seed(seed: int | None) -> int | None:
    """Keras Tuner's seed for a search seeded ``seed``: in [1, 2**31 - 1], unrelated for nearby seeds.

    Two derived seeds closer than the number of draws a search makes would share part of
    their stream; for seeds drawn from 2**31 values and searches of thousands of draws that
    happens with probability about 1e-6 per pair.
    """
    if seed is None:
        return None
    return int(np.random.SeedSequence(seed).generate_state(1)[0] % (2**31 - 1)) + 1


class KerasTunerOptimizer(Optimizer):
    """One of Keras Tuner's oracles on ``space``, as an ask/tell optimizer.

    Parameters
    ----------
    space : the search space (translated by ``to_hyperparameters``).
    algorithm : "random", "grid", "bayesian", "hyperband" (Keras Tuner's oracles) or "genetic"
        (``GeneticOracle``: this package's GA inside Keras Tuner).
    seed : the same seed gives the same trials. Keras Tuner's oracles get ``oracle_seed(seed)``;
        the GA gets ``seed`` itself, so it proposes what ``GeneticAlgorithm(space, seed=seed)`` does.
    directory : where Keras Tuner writes its project files (replaced if they exist); None writes nothing.
    **oracle_kwargs : passed to the oracle, e.g. ``num_initial_points``, ``beta`` (bayesian),
        ``max_epochs``, ``factor``, ``hyperband_iterations`` (hyperband), ``population_size`` (genetic).
    """

    def __init__(self, space: Space, algorithm: str = "random", seed: int | None = None,
                 directory: str | os.PathLike | None = None, **oracle_kwargs):
        if seed is not None:
            check_int("seed", seed, 0)
        super().__init__(space, seed)
        if algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm={algorithm!r}; use one of {list(ALGORITHMS)}.")
        clashes = sorted(set(oracle_kwargs) & set(SET_HERE))
        if clashes:
            raise ValueError(f"{clashes} are set by the adapter (the objective, the space, the seed; run() counts "
                             "trials and failures); leave them out.")
        self.algorithm = algorithm
        self.oracle = _make_oracle(algorithm, space, seed, oracle_kwargs)
        self.name = f"keras_tuner.{type(self.oracle).__name__}"
        self.needs_budget = algorithm == "hyperband"
        self.schedule: dict[int, dict] = {}  # Hyperband: suggestion id -> epochs, initial_epoch, bracket, round
        self._trials: dict[int, kt.engine.trial.Trial] = {}  # suggestion id -> Keras Tuner's trial
        self._asks = 0
        _project(self.oracle, directory, algorithm)

    def ask(self) -> Suggestion:
        self._asks += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # the scikit-learn GP of Keras Tuner's BO
            trial = self.oracle.create_trial(f"ask-{self._asks}")  # a new tuner id: a fresh trial every time
        if trial.status == TrialStatus.STOPPED:
            raise Exhausted(f"{type(self.oracle).__name__} has nothing left to propose")
        if trial.status != TrialStatus.RUNNING:  # IDLE: waiting for the trials that are running
            raise NotReady(f"{type(self.oracle).__name__} waits for the {len(self.pending)} running trial(s)")
        values = trial.hyperparameters.values
        budget = int(values["tuner/epochs"]) if "tuner/epochs" in values else None
        suggestion = self._suggest(params_from_hp(values, self.space), budget)
        self._trials[suggestion.id] = trial
        if budget is not None:
            self.schedule[suggestion.id] = {key: int(values[f"tuner/{key}"]) for key in HYPERBAND_KEYS}
        return suggestion

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        resolved = self._resolve(suggestion)
        trial = self._trials.pop(resolved.id, None)
        if trial is None:
            raise ValueError(f"{self.name} learns only from trials it proposed; {resolved.params} is not one of the "
                             "pending suggestions (Keras Tuner's oracles take no outside observations).")
        if is_failure(value):
            trial.status, trial.message = TrialStatus.FAILED, "the trial failed (see the History for its error)"
        else:
            self.oracle.update_trial(trial.trial_id, {"value": float(value)})
            trial.status = TrialStatus.COMPLETED
        self.oracle.end_trial(trial)
        super().tell(resolved, value)

    def annotate(self, history, trial) -> None:
        """A ``run`` callback: Hyperband's epochs, initial_epoch, bracket and round into the trial's extras
        (the objective's own extras win: its "epochs" is what it really trained)."""
        trial.extras = {**self.schedule.get(trial.id, {}), **trial.extras}

    @property
    def size(self) -> float:
        """The grid's size, or the trials of a Hyperband with finitely many iterations; else inf."""
        if self.algorithm == "grid":
            return math.prod(len({hp.default, *hp.values}) for hp in self.oracle.hyperparameters.space)
        if self.algorithm == "hyperband" and math.isfinite(self.oracle.hyperband_iterations):
            per_iteration = sum(self.oracle._get_size(b, r) for b in range(self.oracle._get_num_brackets())
                                for r in range(b + 1))
            return per_iteration * self.oracle.hyperband_iterations
        return math.inf

    def __repr__(self) -> str:
        return f"KerasTunerOptimizer({self.algorithm!r}, space with {len(self.space)} dims, seed={self.seed!r})"


def _make_oracle(algorithm: str, space: Space, seed: int | None, kwargs: dict):
    common = {"objective": kt.Objective("value", "min"), "hyperparameters": to_hyperparameters(space),
              "max_consecutive_failed_trials": 2**31 - 1}  # run() counts failures in a row itself
    if algorithm == "genetic":
        return GeneticOracle(max_trials=None, seed=seed, **common, **kwargs)
    if algorithm == "hyperband":
        return kt.oracles.HyperbandOracle(seed=oracle_seed(seed), **common, **kwargs)  # takes no max_trials
    return ALGORITHMS[algorithm](max_trials=None, seed=oracle_seed(seed), **common, **kwargs)


def _project(oracle, directory, name: str) -> None:
    """Keras Tuner's files in ``directory/name``; without a directory, no file at all."""
    oracle._display.verbose = 0  # no per-trial tables on stdout
    if directory is None:  # the oracle saves itself and every trial at each call; run's journal replaces both
        oracle.save = lambda: None
        oracle._save_trial = lambda trial: None
        return
    shutil.rmtree(os.path.join(os.fspath(directory), name), ignore_errors=True)
    oracle._set_project_dir(os.fspath(directory), name)
