"""Cheap objectives, for racing methods over many seeds in seconds.

- ``synthetic``: test functions with known minima (Branin, Rosenbrock, Ackley, Rastrigin, a
  mixed space), each a ``Benchmark``: an objective with its space and minimum;
- ``curves``: parametric learning curves, a multi-fidelity objective with a known answer;
- ``tabular``: real ``KerasObjective`` learning curves shipped with the package
  (``tabular("digits-mlp")``), looked up in microseconds, with the seconds each training took;
- ``quadratic``: the noisy quadratic model and Jaderberg et al.'s toy, whose schedules matter and whose
  trials continue other trials' states (for population-based training).
"""

from .quadratic import JaderbergToy, NoisyQuadratic
from .synthetic import ANY_DIM, BENCHMARKS, Benchmark, ackley, branin, get, mixed, rastrigin, regret, rosenbrock

__all__ = ["ANY_DIM", "BENCHMARKS", "Benchmark", "JaderbergToy", "NoisyQuadratic",
           "ackley", "branin", "get", "mixed", "rastrigin", "regret",
           "rosenbrock", "tabular"]


def tabular(name: str = "digits-mlp", seed: int | None = None):
    """A learning-curve table as a multi-fidelity objective: ``tabular("digits-mlp")(params, budget=b)``.

    Real ``KerasObjective`` curves looked up in microseconds (``hpo_lessons.benchmarks.table.Tabular``):
    its ``space`` is the table's grid, its value the validation error at epoch ``b``
    (minimized), its ``minimum`` the best error at ``max_budget`` for the training ``seed``,
    and each answer reports the seconds the training took, for ``run(..., executor=Simulated())``.
    """
    from .table import Tabular  # the table's file is read on first use

    return Tabular(name, seed)
