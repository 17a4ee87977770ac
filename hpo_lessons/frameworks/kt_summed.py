"""Keras Tuner's answer to several objectives: their sum, as ``keras_tuner.Objective`` lists give it.

Given ``objective=[Objective("a", "min"), Objective("b", "max")]``, Keras Tuner builds a
``MultiObjective`` whose value is ``a - b``: the plain, unweighted sum of the minimized
objectives, in their own units (``keras_tuner/src/engine/objective.py``). Its oracles then
search that one number and report the trials that minimize it. ``KerasTunerSum`` is the
adapter of ``kt_adapter.py`` with such an oracle: each trial reports every objective under
its own name, and the oracle scores it with Keras Tuner's own ``MultiObjective.get_value``.

Two limits follow, which chapter 11 shows. A sum in raw units is decided by the objective
with the largest numbers (a parameter count of 10^4 swamps an error of 0.05). And even with
weights, a weighted sum is minimized only at points on the convex hull of the front: a
Pareto-optimal point on a concave part of the front is the minimum of no weighted sum.
"""

from __future__ import annotations

from ..keras_task import backend  # noqa: F401  first: the Keras backend, started quietly

# isort: split
import keras_tuner as kt
from keras_tuner.engine.trial import TrialStatus
from keras_tuner.src.engine.objective import create_objective

from ..core.checks import check_int
from ..core.space import Space
from ..methods.base import Suggestion, is_failure
from .kt_adapter import KerasTunerOptimizer


class KerasTunerSum(KerasTunerOptimizer):
    """A Keras Tuner oracle searching the sum of ``n_objectives`` minimized objectives (its ``MultiObjective``).

    ``algorithm``, ``seed``, ``directory`` and ``**oracle_kwargs`` as for ``KerasTunerOptimizer``.
    ``best(n)`` is what Keras Tuner would hand back: the ``n`` best trials' params by the sum.
    """

    def __init__(self, space: Space, algorithm: str = "random", seed: int | None = None, n_objectives: int = 2,
                 directory=None, **oracle_kwargs):
        super().__init__(space, algorithm, seed=seed, directory=directory, **oracle_kwargs)
        self.n_objectives = check_int("n_objectives", n_objectives, 2, None, "one objective needs no sum")
        self.names = [f"value_{i}" for i in range(n_objectives)]
        self.oracle.objective = create_objective([kt.Objective(n, "min") for n in self.names])
        self.name = f"keras_tuner.{type(self.oracle).__name__}(sum)"

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        resolved = self._resolve(suggestion)
        trial = self._trials.pop(resolved.id, None)
        if trial is None:
            raise ValueError(f"{self.name} learns only from trials it proposed; {resolved.params} is not pending.")
        if is_failure(value):
            trial.status, trial.message = TrialStatus.FAILED, "the trial failed (see the History for its error)"
        else:
            logs = dict(zip(self.names, map(float, value)))
            logs["multi_objective"] = self.oracle.objective.get_value(logs)  # Keras Tuner's own sum
            self.oracle.update_trial(trial.trial_id, logs)
            trial.status = TrialStatus.COMPLETED
        self.oracle.end_trial(trial)
        super(KerasTunerOptimizer, self).tell(resolved, value)

    def best(self, n: int = 1) -> list[dict]:
        """The params of the ``n`` trials with the lowest sum, as ``oracle.get_best_trials(n)`` ranks them."""
        from .kt_oracle import params_from_hp

        return [params_from_hp(t.hyperparameters.values, self.space) for t in self.oracle.get_best_trials(n)]
