"""hpo-lessons: hyperparameter optimization from scratch, side by side with Keras Tuner.

The core (spaces, methods, the search loop, its workers and journal) needs only numpy and
scipy; Keras (on TensorFlow, JAX or PyTorch) is imported only by ``hpo_lessons.keras_task``
and the Keras Tuner adapters in ``hpo_lessons.frameworks``.
"""

from . import methods
from .history import History, Trial
from .journal import JournalInUse
from .methods import (
    ASHA,
    Exhausted,
    GeneticAlgorithm,
    GridSearch,
    Hyperband,
    NotReady,
    RandomSearch,
    SuccessiveHalving,
    Suggestion,
)
from .profiles import Profile, profile
from .run import StopSearch, TooManyFailures, run
from .simulated import Simulated
from .space import Categorical, Integer, Real, Space
from .workers import PoolBroken

__version__ = "0.1.0"


def __getattr__(name):
    if name == "BayesianOptimization":  # loaded on first use: see hpo_lessons.methods
        return methods.BayesianOptimization
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ASHA", "BayesianOptimization", "Categorical", "Exhausted", "GeneticAlgorithm", "GridSearch", "History",
    "Hyperband", "Integer", "JournalInUse", "NotReady", "PoolBroken", "Profile", "RandomSearch", "Real", "Simulated",
    "Space", "StopSearch", "SuccessiveHalving", "Suggestion", "TooManyFailures", "Trial", "profile", "run",
]
