"""Keras Tuner and Optuna on the same space, objective and budget, returning the same ``History``.

Their search algorithms are ask/tell optimizers here (``kt_adapter.KerasTunerOptimizer``:
Keras Tuner's oracles and ``GeneticOracle``, this package's GA inside Keras Tuner;
``optuna_adapter.OptunaOptimizer`` and ``OptunaPruning``: Optuna's samplers and pruners), and
``hpo_lessons.run`` drives them, so a timeout, the journal, callbacks, progress bars and
parallel workers work as for every other method. ``run_keras_tuner`` and ``run_optuna``
(``shortcuts``) build the optimizer and call ``run``.

Importing this package imports neither library: Keras Tuner (and Keras on its backend) loads
when a Keras Tuner name is first read, Optuna when an Optuna one is.
"""

from ..core.lazy import lazy

_HOMES = {
    **dict.fromkeys(["ALGORITHMS", "KerasTunerOptimizer", "oracle_seed"], "kt_adapter"),
    **dict.fromkeys(["GeneticOracle", "from_hyperparameters", "params_from_hp", "to_hyperparameters"], "kt_oracle"),
    **dict.fromkeys(["OptunaOptimizer", "OptunaPruning", "SAMPLERS", "PRUNERS"], "optuna_adapter"),
    **dict.fromkeys(["run_keras_tuner", "run_optuna"], "shortcuts"),
    **{name: name for name in ("kt_adapter", "kt_oracle", "optuna_adapter", "shortcuts")},
}

__getattr__, __dir__ = lazy(__name__, _HOMES)

__all__ = sorted(name for name, home in _HOMES.items() if name != home)
