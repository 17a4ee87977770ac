"""The search methods, each an ask/tell optimizer in one file."""

from .base import Exhausted, Optimizer
from .bayes import BayesianOptimization
from .genetic import GeneticAlgorithm
from .grid import GridSearch
from .random import RandomSearch

METHODS = {
    "grid": GridSearch,
    "random": RandomSearch,
    "bayes": BayesianOptimization,
    "genetic": GeneticAlgorithm,
}

__all__ = ["METHODS", "BayesianOptimization", "Exhausted", "GeneticAlgorithm", "GridSearch", "Optimizer",
           "RandomSearch"]
