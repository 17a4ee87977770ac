"""The search loop and its records, numpy only: what every method and objective plugs into.

- ``protocols``: the contracts (``Suggestion``, ``NotReady``, ``Exhausted``; ``Optimizer``,
  ``Objective``, ``Pool``), declared once;
- ``objective``: reading an objective's optional contract (direction, budget, checkpoints);
- ``space``: the search space (``Real``, ``Integer``, ``Categorical``);
- ``trial``, ``history``, ``pareto``: what a search records, its incumbent and its Pareto front;
- ``run``: the one loop; ``workers``: where trials run; ``simulated``: a simulated clock;
  ``journal``: the event log a search resumes from;
- ``checks``: argument checks shared by the whole package; ``lazy``: names loaded on first use.
"""

from .history import History
from .journal import JournalInUse
from .pareto import pareto_front
from .protocols import Exhausted, NotReady, Objective, Optimizer, Pool, Suggestion
from .run import StopSearch, TooManyFailures, run
from .simulated import Simulated
from .space import Categorical, Integer, Real, Space
from .trial import Trial
from .workers import PoolBroken

__all__ = ["Categorical", "Exhausted", "History", "Integer", "JournalInUse", "NotReady", "Objective", "Optimizer",
           "Pool", "PoolBroken", "Real", "Simulated", "Space", "StopSearch", "Suggestion", "TooManyFailures", "Trial",
           "pareto_front", "run"]
