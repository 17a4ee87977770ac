"""hpo-lessons: hyperparameter optimization from scratch, side by side with Keras Tuner.

``import hpo_lessons as hl`` is the one facade. The package is layered, each folder importing
only those before it (``tests/test_project.py`` keeps it so):

- ``core/``: the search loop and its records, numpy only (space, run, history, journal, workers);
- ``methods/``: one ask/tell method a file (grid, random, Bayesian optimization, GA, Hyperband...);
- ``benchmarks/``: cheap objectives (synthetic functions, learning curves, the shipped table);
- ``keras_task/``: the real objective, a Keras network (Keras loads on first use);
- ``frameworks/``: Keras Tuner's oracles and Optuna's samplers as ask/tell methods;
- ``experiments/``: the registry of methods, ``compare``, profiles, analysis, statistics;
- ``plots/``: drawing only; ``exercises/``: the chapters' checks; ``cli.py``: the command.
"""

from . import methods
from .core.history import History
from .core.journal import JournalInUse
from .core.pareto import pareto_front
from .core.protocols import Exhausted, NotReady, Suggestion
from .core.run import StopSearch, TooManyFailures, run
from .core.simulated import Simulated
from .core.space import Categorical, Integer, Real, Space
from .core.trial import Trial
from .core.workers import PoolBroken
from .experiments.profiles import Profile, profile
from .methods import ASHA, PBT, GeneticAlgorithm, GridSearch, Hyperband, RandomSearch, SuccessiveHalving
from .methods.hypervolume import hypervolume
from .methods.moasha import MOASHA
from .methods.nsga2 import NSGAII

__version__ = "0.1.0"


def __getattr__(name):
    if name in ("BayesianOptimization", "TPE", "BOHB"):  # loaded on first use: see hpo_lessons.methods
        return getattr(methods, name)
    if name == "ParEGO":  # on the GP: loaded on first use, as BayesianOptimization
        return methods.ParEGO
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ASHA", "BOHB", "BayesianOptimization", "Categorical", "Exhausted", "GeneticAlgorithm", "GridSearch", "History",
    "Hyperband", "Integer", "JournalInUse", "NotReady", "PBT", "PoolBroken", "Profile", "RandomSearch", "Real",
    "Simulated",
    "Space", "StopSearch", "SuccessiveHalving", "Suggestion", "TPE", "TooManyFailures", "Trial", "pareto_front",
    "profile", "run",
]
__all__ += ["MOASHA", "NSGAII", "ParEGO", "hypervolume"]  # several objectives
