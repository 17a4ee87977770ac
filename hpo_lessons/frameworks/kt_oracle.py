"""Keras Tuner's side of the bridge: spaces as ``HyperParameters``, and the genetic algorithm as an ``Oracle``.

``to_hyperparameters`` and ``from_hyperparameters`` translate between a ``Space`` and Keras
Tuner's ``HyperParameters``; ``params_from_hp`` turns Keras Tuner's values into this
package's params (Python types, space order). ``GeneticOracle`` runs the from-scratch
``GeneticAlgorithm`` inside an ordinary ``keras_tuner.Tuner``: Keras Tuner has no genetic
search of its own (keras-team/keras-tuner#47).

This module imports Keras Tuner and Keras on its backend (``hpo_lessons.keras_task.backend``: TensorFlow, JAX or
PyTorch); ``import hpo_lessons`` does not.
"""

from __future__ import annotations

import math
import warnings

from ..keras_task import backend  # noqa: F401  first: the Keras backend, started quietly

# isort: split
import keras_tuner as kt
import numpy as np
from keras_tuner.engine import hyperparameters as kt_hp
from keras_tuner.engine.trial import TrialStatus

from ..core.space import Categorical, Integer, Real, Space
from ..methods.base import Exhausted, NotReady
from ..methods.genetic import GeneticAlgorithm

RESERVED_PREFIX = "tuner/"  # Keras Tuner's Hyperband writes tuner/epochs, tuner/bracket, ... into the values


def to_hyperparameters(space: Space) -> kt.HyperParameters:
    """The same search space as Keras Tuner ``HyperParameters``.

    ``Real`` -> ``Float``, ``Integer`` -> ``Int`` (``sampling="log"`` where ``log=True``),
    ``Categorical`` -> ``Choice``, and ``Categorical([False, True])`` -> ``Boolean`` (Keras
    Tuner's ``Choice`` would store booleans as 0 and 1). A ``Choice`` holds values of one type
    among int, float and str, so a ``Categorical`` mixing types, or holding None, is rejected.

    >>> hp = to_hyperparameters(Space(lr=Real(1e-4, 1e-1, log=True), act=Categorical(["relu", "tanh"])))
    >>> [type(p).__name__ for p in hp.space], hp.space[0].sampling
    (['Float', 'Choice'], 'log')
    """
    if not isinstance(space, Space):
        raise TypeError(f"space must be a hpo_lessons.Space, got {type(space).__name__}; wrap it: Space(...).")
    hp = kt.HyperParameters()
    for name, dim in space:
        if name.startswith(RESERVED_PREFIX):
            raise ValueError(f"{name!r}: names starting with {RESERVED_PREFIX!r} are Keras Tuner's own; rename it.")
        sampling = "log" if getattr(dim, "log", False) else "linear"
        if isinstance(dim, Real):
            hp.Float(name, dim.low, dim.high, sampling=sampling)
        elif isinstance(dim, Integer):
            hp.Int(name, dim.low, dim.high, sampling=sampling)
        elif isinstance(dim, Categorical) and all(isinstance(c, bool) for c in dim.choices):
            if dim.choices != [False, True]:  # Keras Tuner's only boolean is Boolean: (False, True)
                raise TypeError(f"{name}: Keras Tuner has no Choice of booleans ({dim.choices}, its Choice turns them "
                                "into 0 and 1); write Categorical([False, True]).")
            hp.Boolean(name)
        elif isinstance(dim, Categorical):
            hp.Choice(name, _choice_values(name, dim.choices))
        else:
            raise TypeError(f"{name}: {type(dim).__name__} has no Keras Tuner equivalent; "
                            "use Real, Integer or Categorical.")
    return hp


def _choice_values(name: str, choices: list) -> list:
    if any(c is None for c in choices):
        raise TypeError(f"{name}: Keras Tuner's Choice cannot hold None ({choices}); use a string such as 'none'.")
    kinds = sorted({type(c).__name__ for c in choices})
    if len(kinds) > 1:
        raise TypeError(
            f"{name}: Keras Tuner's Choice needs values of one type, got {kinds} in {choices}; "
            "make them all str, all int, all float or all bool."
        )
    return list(choices)


def from_hyperparameters(hp: kt.HyperParameters) -> Space:
    """Keras Tuner ``HyperParameters`` as a ``Space``, in registration order.

    ``Float`` -> ``Real``, ``Int`` -> ``Integer`` (log where ``sampling="log"``), ``Choice`` and
    ``Boolean`` -> ``Categorical``. A ``Float`` or ``Int`` with a ``step`` (other than an Int's
    step 1) becomes a ``Categorical`` of its grid values, which a method then treats as
    unordered. ``Fixed`` entries are constants, not dimensions, and are left out.
    Conditional hyperparameters and ``sampling="reverse_log"`` have no equivalent here.
    """
    if not isinstance(hp, kt.HyperParameters):
        raise TypeError(f"hp must be keras_tuner.HyperParameters, got {type(hp).__name__}.")
    dims = {}
    for p in hp.space:
        if p.conditions:
            raise ValueError(f"{p.name}: conditional hyperparameters (parent_name=, conditional_scope) have no "
                             "Space equivalent; declare every hyperparameter unconditionally.")
        if isinstance(p, kt_hp.Fixed):
            continue
        if isinstance(p, kt_hp.Boolean):
            dims[p.name] = Categorical([False, True])
        elif isinstance(p, kt_hp.Choice):
            dims[p.name] = Categorical(list(p.values))
        elif isinstance(p, (kt_hp.Int, kt_hp.Float)):
            if p.sampling == "reverse_log":
                raise ValueError(f"{p.name}: sampling='reverse_log' has no Space equivalent; use 'log' or 'linear'.")
            if p.step is None or (isinstance(p, kt_hp.Int) and p.step == 1 and p.sampling == "linear"):
                kind = Integer if isinstance(p, kt_hp.Int) else Real
                dims[p.name] = kind(p.min_value, p.max_value, log=p.sampling == "log")
            else:
                dims[p.name] = Categorical(sorted(set(p.values)))
        else:
            raise TypeError(f"{p.name}: {type(p).__name__} has no Space equivalent.")
    if not dims:
        raise ValueError("no tunable hyperparameter: register some (hp.Float, hp.Int, hp.Choice) "
                         "before asking for a Space.")
    return Space(**dims)


def params_from_hp(hp_values, space: Space) -> dict:
    """Keras Tuner values (a dict or ``HyperParameters``) -> params: Python types, in space order.

    Keys outside the space (``tuner/epochs``, ``Fixed`` entries) are dropped. Numbers are
    clipped into the bounds: Keras Tuner's ``Int(sampling="log")`` maps probability 1.0, which
    its Bayesian optimizer reaches at the edge of its L-BFGS-B box, to ``max_value + 1``.
    """
    values = hp_values.values if isinstance(hp_values, kt.HyperParameters) else hp_values
    if not isinstance(values, dict):
        raise TypeError(f"hp_values must be a dict or keras_tuner.HyperParameters, got {type(values).__name__}.")
    missing = [name for name in space.names if name not in values]
    if missing:
        raise ValueError(f"hp_values lacks {missing}; the space has {space.names}. Build both from the same space.")
    params = {}
    for name, dim in space:
        value = values[name]
        if isinstance(dim, Real):
            params[name] = float(np.clip(float(value), dim.low, dim.high))
        elif isinstance(dim, Integer):
            params[name] = int(np.clip(int(round(float(value))), dim.low, dim.high))
        else:
            params[name] = dim.validate(value.item() if isinstance(value, np.generic) else value)
    return params


class GeneticOracle(kt.Oracle):
    """A Keras Tuner ``Oracle`` that runs this package's ``GeneticAlgorithm``.

    Use it like any oracle::

        tuner = kt.Tuner(oracle=GeneticOracle(objective=kt.Objective("val_accuracy", "max"), max_trials=20,
                                              population_size=8, seed=0),
                         hypermodel=build, directory="runs", project_name="ga")
        tuner.search(x, y, epochs=5, validation_data=(x_val, y_val), verbose=0)

    ``populate_space`` asks the GA and hands its params to Keras Tuner; ``end_trial`` tells
    the GA the trial's score (negated when the objective is maximized, as the GA minimizes)
    or ``None`` for a failed trial.

    The space. A ``Tuner`` with a hypermodel calls ``build(hp)`` once when it is created, so
    the hyperparameters are registered before the first trial and the GA sees them all. When
    nothing is registered yet (a ``run_trial`` that declares them itself), the first trial
    runs Keras Tuner's defaults to register the space, as ``GridSearchOracle`` does, and is
    not told to the GA; the GA starts from the second trial. Hyperparameters registered after
    the GA starts are not tuned: they keep their defaults. ``Fixed`` entries keep their value.

    Resuming. Keras Tuner reloads an existing project (``overwrite=False``); the GA is then
    rebuilt by replaying the stored trials through ask/tell, which restores its state
    because it is deterministic given its seed (a seed is needed for that).

    Parameters
    ----------
    population_size, seed, **ga_kwargs : passed to ``GeneticAlgorithm``.
    Others : as ``keras_tuner.Oracle``.
    """

    def __init__(self, objective=None, max_trials: int = 10, hyperparameters=None, population_size: int = 10,
                 seed: int | None = None, allow_new_entries: bool = True, tune_new_entries: bool = True,
                 max_retries_per_trial: int = 0, max_consecutive_failed_trials: int = 3, **ga_kwargs):
        super().__init__(objective=objective, max_trials=max_trials, hyperparameters=hyperparameters,
                         allow_new_entries=allow_new_entries, tune_new_entries=tune_new_entries, seed=seed,
                         max_retries_per_trial=max_retries_per_trial,
                         max_consecutive_failed_trials=max_consecutive_failed_trials)
        self.population_size, self.ga_seed, self.ga_kwargs = population_size, seed, dict(ga_kwargs)
        # The real GA waits for the space; a stand-in checks its settings now, before any training.
        GeneticAlgorithm(Space(x=Real(0.0, 1.0)), population_size=population_size, seed=seed, **ga_kwargs)
        self.ga: GeneticAlgorithm | None = None
        self.space: Space | None = None
        self._suggestions: dict = {}  # trial_id -> the GA's Suggestion that the trial runs
        self._ga_first = None  # index in start_order of the GA's first trial
        self._replay_pending = False

    def _start_ga(self) -> None:
        self.space = from_hyperparameters(self.hyperparameters)
        self.ga = GeneticAlgorithm(self.space, population_size=self.population_size, seed=self.ga_seed,
                                   **self.ga_kwargs)

    def _values(self, params: dict) -> dict:
        values = {p.name: (p.value if isinstance(p, kt_hp.Fixed) else p.default) for p in self.hyperparameters.space}
        values.update(params)
        return values

    def populate_space(self, trial_id):
        if self._replay_pending:
            self._replay()
        if self.ga is None:
            if not self.hyperparameters.space:
                return {"status": TrialStatus.RUNNING, "values": {}}  # defaults register the space
            self._start_ga()
            self._ga_first = len(self.start_order)
        try:
            suggestion = self.ga.ask()
        except Exhausted:
            return {"status": TrialStatus.STOPPED, "values": None}
        except NotReady:  # the whole generation is out with parallel workers: wait for their results
            if not self.ongoing_trials:
                raise RuntimeError("GeneticOracle: the GA waits for results, but no trial is running.") from None
            return {"status": TrialStatus.IDLE, "values": None}
        self._suggestions[trial_id] = suggestion
        return {"status": TrialStatus.RUNNING, "values": self._values(suggestion.params)}

    def _value_for_ga(self, trial):
        if trial.status != TrialStatus.COMPLETED or trial.score is None:
            return None
        score = float(trial.score)
        if not math.isfinite(score):
            return None
        return -score if self.objective.direction == "max" else score  # Keras Tuner's "min"/"max"; the GA minimizes

    @kt.synchronized
    def end_trial(self, trial):
        super().end_trial(trial)
        trial = self.trials[trial.trial_id]
        ended = trial.status in (TrialStatus.COMPLETED, TrialStatus.FAILED)
        if self.ga is not None and ended and self._is_ga_trial(trial.trial_id):
            told = self._suggestions.pop(trial.trial_id, None)
            self.ga.tell(told or params_from_hp(trial.hyperparameters.values, self.space), self._value_for_ga(trial))

    def _is_ga_trial(self, trial_id) -> bool:
        return self._ga_first is not None and trial_id in self.start_order[self._ga_first:]

    def _replay(self) -> None:
        """Rebuild the GA after a reload: ask/tell again for every stored trial, in start order."""
        self._replay_pending = False
        if self._ga_first is None:
            return
        self._start_ga()
        self._suggestions = {}
        for trial_id in self.start_order[self._ga_first:]:
            trial = self.trials[trial_id]
            try:
                suggestion = self.ga.ask()
            except (Exhausted, NotReady):
                suggestion = None
            stored = params_from_hp(trial.hyperparameters.values, self.space)
            if suggestion is None or self.space.key(suggestion.params) != self.space.key(stored):
                warnings.warn(f"GeneticOracle: trial {trial_id} does not match the GA's replay (another seed or "
                              "population_size?); the GA continues from a fresh state.", stacklevel=2)
                self._start_ga()
                self._ga_first = len(self.start_order)
                return
            if trial_id in self.end_order:
                self.ga.tell(suggestion, self._value_for_ga(trial))
            else:
                self._suggestions[trial_id] = suggestion

    def get_state(self):
        state = super().get_state()
        state.update({"population_size": self.population_size, "ga_seed": self.ga_seed,
                      "ga_kwargs": self.ga_kwargs, "ga_first": self._ga_first})
        return state

    def set_state(self, state):
        super().set_state(state)
        self.population_size, self.ga_seed = state["population_size"], state["ga_seed"]
        self.ga_kwargs, self._ga_first = state["ga_kwargs"], state["ga_first"]
        self.ga, self._replay_pending = None, True
