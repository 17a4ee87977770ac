"""The search methods, each an ask/tell optimizer in one file.

``BayesianOptimization`` needs scipy's optimizers and linear algebra, which take about a
second to import; it is loaded on first use (PEP 562) so that ``import hpo_lessons``
stays fast for everyone who never touches it.
"""

from .asha import ASHA
from .base import Exhausted, NotReady, Optimizer, Suggestion
from .genetic import GeneticAlgorithm
from .grid import GridSearch
from .hyperband import Hyperband
from .hypervolume import hypervolume
from .moasha import MOASHA
from .nsga2 import NSGAII
from .pbt import PBT
from .random import RandomSearch
from .successive_halving import SuccessiveHalving

__all__ = ["ASHA", "BOHB", "BayesianOptimization", "Exhausted", "GeneticAlgorithm", "GridSearch", "Hyperband",
           "NotReady", "Optimizer", "PBT", "RandomSearch", "SuccessiveHalving", "Suggestion", "TPE"]

__all__ += ["MOASHA", "NSGAII", "ParEGO", "hypervolume"]  # several objectives


def __getattr__(name):
    if name == "ParEGO":  # on the GP of BayesianOptimization: loaded on first use too
        from .parego import ParEGO

        return ParEGO
    if name == "BayesianOptimization":
        from .bayes import BayesianOptimization

        return BayesianOptimization
    if name in ("TPE", "BOHB"):  # scipy.special, loaded on first use like BayesianOptimization
        from . import bohb, tpe

        return {"TPE": tpe.TPE, "BOHB": bohb.BOHB}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

