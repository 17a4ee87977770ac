"""hpo-lessons: hyperparameter optimization from scratch, side by side with Keras Tuner.

The core (spaces, methods, the search loop) needs only numpy and scipy; TensorFlow is
imported only by ``hpo_lessons.keras_task`` and ``hpo_lessons.frameworks``.
"""

from .history import History, Trial
from .methods import Exhausted, GeneticAlgorithm, GridSearch, RandomSearch
from .profiles import Profile, profile
from .run import StopSearch, TooManyFailures, run
from .space import Categorical, Integer, Real, Space

__version__ = "0.1.0"


def __getattr__(name):
    # BayesianOptimization pulls in scipy.optimize and scipy.linalg (about a second):
    # load it on first use so that `import hpo_lessons` stays fast.
    if name == "BayesianOptimization":
        from .methods.bayes import BayesianOptimization

        return BayesianOptimization
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BayesianOptimization", "Categorical", "Exhausted", "GeneticAlgorithm", "GridSearch", "History",
    "Integer", "Profile", "RandomSearch", "Real", "Space", "StopSearch", "TooManyFailures", "Trial",
    "profile", "run",
]
