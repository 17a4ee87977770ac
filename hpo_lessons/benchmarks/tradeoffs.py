"""The learning-curve table with several objectives: validation error, model size and training seconds.

People rarely tune for accuracy alone: a smaller model is cheaper to serve, a faster one
cheaper to train. ``Tradeoffs`` wraps ``benchmarks.tabular("digits-mlp")`` so that a trial
returns, for the chosen ``objectives``, all minimized:

- ``"error"``: validation error after ``budget`` epochs (the table's value);
- ``"params"``: the MLP's trainable parameters, ``(64 + 1) u`` for the first Dense layer of
  ``u`` units on the 64 pixels, ``(u + 1) u`` for each further one, ``(u + 1) 10`` for the
  softmax over 10 digits (what ``keras_task.build_model`` builds; dropout adds none);
- ``"seconds"``: the recorded training seconds for ``budget`` epochs from scratch (the cost
  of that configuration, not of a resumed run; a trial's own cost is in its extras).

>>> from hpo_lessons.benchmarks.tradeoffs import Tradeoffs, parameter_count
>>> parameter_count(units=16, n_layers=1), parameter_count(units=64, n_layers=2)
(1210, 8970)
>>> table = Tradeoffs(("error", "params"))
>>> table.directions, table({"learning_rate": 0.01, "units": 16, "n_layers": 1, "activation": "relu",
...                          "dropout": 0.0, "batch_size": 32})["value"][1]
(['minimize', 'minimize'], 1210.0)
"""

from __future__ import annotations

import numpy as np

from ..core.checks import is_int

OBJECTIVES = ("error", "params", "seconds")
N_INPUTS, N_CLASSES = 64, 10  # 8 x 8 digit images, 10 digits


def parameter_count(units: int, n_layers: int, inputs: int = N_INPUTS, classes: int = N_CLASSES) -> int:
    """Trainable parameters of the table's MLP: ``n_layers`` Dense layers of ``units``, then the softmax."""
    for name, value in (("units", units), ("n_layers", n_layers)):
        if not is_int(value) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}.")
    return (inputs + 1) * units + (n_layers - 1) * (units + 1) * units + (units + 1) * classes


class Tradeoffs:
    """``tabular(name, seed)`` as a multi-objective objective: ``table(params, budget=b)`` -> one value per objective.

    Parameters
    ----------
    objectives : a tuple of names from ``OBJECTIVES``, at least two, each once.
    name, seed : the table and its training seed (as ``benchmarks.tabular``).

    ``directions`` (all "minimize") is what ``run`` reads; ``reference`` is a point no trial can
    be worse than (an error of 1, the largest model, the slowest training in the table, each
    a tenth further out), for ``hypervolume``; ``all_values(budget)`` gives every
    configuration's vector, so the true front is known.
    """

    def __init__(self, objectives=("error", "params"), name: str = "digits-mlp", seed: int | None = None):
        from .table import Tabular

        objectives = tuple(objectives) if not isinstance(objectives, str) else (objectives,)
        unknown = [o for o in objectives if o not in OBJECTIVES]
        if unknown or len(objectives) < 2 or len(set(objectives)) != len(objectives):
            raise ValueError(f"objectives must name two or more of {OBJECTIVES}, each once; got {objectives!r}.")
        self.objectives, self.table = objectives, Tabular(name, seed)
        self.space, self.max_budget, self.min_budget = self.table.space, self.table.max_budget, 1
        self.directions = ["minimize"] * len(objectives)
        worst = {"error": 1.0, "params": max(self._params(p) for p in self.table.configurations()),
                 "seconds": float(self.table.curves("seconds")[:, :, -1].max())}
        self.reference = [worst[o] * 1.1 for o in objectives]

    def __repr__(self) -> str:
        return f"Tradeoffs({self.objectives}, {self.table!r})"

    def __reduce__(self):
        return Tradeoffs, (self.objectives, self.table.name, self.table.seed)

    @staticmethod
    def _params(params: dict) -> float:
        return float(parameter_count(int(params["units"]), int(params["n_layers"])))

    def __call__(self, params: dict, budget: int | None = None) -> dict:
        answer = self.table(params, budget=budget)
        if np.isnan(answer["value"]):
            return {**answer, "value": None}
        b = answer["epochs"]
        row, s = self.table.index(params), self.table.seeds.index(self.table.seed)
        found = {"error": answer["value"], "params": self._params(params),
                 "seconds": float(self.table.curves("seconds")[row, s, b - 1])}
        return {**answer, "value": [found[o] for o in self.objectives]}

    def all_values(self, budget: int | None = None) -> np.ndarray:
        """Every configuration's values (rows in ``table.configurations()`` order), shape (n, objectives)."""
        b = self.table.max_budget if budget is None else int(budget)
        s = self.table.seeds.index(self.table.seed)
        columns = {"error": self.table.curves("value")[:, s, b - 1],
                   "params": np.array([self._params(p) for p in self.table.configurations()]),
                   "seconds": self.table.curves("seconds")[:, s, b - 1]}
        return np.column_stack([columns[o] for o in self.objectives])

    def reset(self) -> None:
        """Forget the table's checkpoints (``run`` calls this when a search ends)."""
        self.table.reset()

    clear_checkpoints = reset
