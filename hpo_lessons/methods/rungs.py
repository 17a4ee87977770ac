"""What successive halving, Hyperband and ASHA share: rung budgets, Hyperband's schedule, the searcher.

A *scheduler* decides how long each configuration trains (its budget: epochs, say); a
*searcher* (any single-fidelity method of the package; random search by default) decides
which configurations enter the race (d2l.ai's scheduler/searcher split). The rung budgets
are ``max_budget / eta**k`` for ``k = s_max, ..., 1, 0``, with ``s_max = floor(log_eta(R))``
and ``R = max_budget / min_budget``: the top rung trains in full, as in Li et al. (2018),
Algorithm 1, where ``r_i = R eta**(i - s)``. When ``R`` is a power of ``eta`` (1 to 27 epochs,
1 to 81), they are ``min_budget * eta**k`` exactly; otherwise the bottom rung sits between
``min_budget`` and ``eta * min_budget``.

What the searcher is told (``feedback``): each configuration it proposed is told once, when
the scheduler has its first result, so its ``pending`` set holds only configurations whose
first trial is still running, however long the search. With ``feedback="full"`` (the
default, the idea of BOHB: Falkner et al., 2018) the searcher learns only full-budget
values: a first result below ``max_budget`` is told as a failure (``None``: "no full-budget
value"; the package's ``BayesianOptimization`` leaves failures out of its GP), and a later
result at ``max_budget`` is told as a further observation of the same params (a params dict).
With ``feedback="all"`` every result is told at whatever budget it was reached, so a model
sees many cheap, biased values (a loss after 1 epoch is higher than after 27) instead of a
few full ones. New configurations are asked from the searcher only when a rung needs one, so
the same seed gives the same trials, and a journal replays them.

Which searchers fit: ``RandomSearch`` (the default; ``design="sobol"`` or ``"lhs"`` spreads
the bottom rung more evenly); ``BayesianOptimization`` with ``feedback="full"``, which models
full-budget results only (BOHB models the largest budget with enough results; here that is
always the full one) and so proposes from its initial design until ``n_initial`` results
reached ``max_budget``; ``GridSearch``, a finite list: the search ends when it runs out.
``GeneticAlgorithm`` fits badly: it breeds a generation only once every individual of the
last one is told, which happens when their first trials return, so the bottom rung fills one
generation at a time; and under ``feedback="full"`` nearly every individual is told as a
failure, so its selection is blind (under ``"all"`` it selects on cheap first-rung values).

References: Jamieson & Talwalkar (2016), Non-stochastic best arm identification and
hyperparameter optimization, AISTATS; Li et al. (2018), Hyperband, JMLR 18(185); Li et al.
(2020), A system for massively parallel hyperparameter tuning, MLSys; Falkner et al. (2018),
BOHB, ICML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..core.checks import check_int, is_number
from ..core.space import Space
from .base import NotReady, Optimizer, Suggestion

FEEDBACK = ("full", "all")


def tidy(budget: float) -> float | int:
    """``budget`` rounded to 12 significant digits, as an int when whole (27.0 -> 27, 8.1 / 27 -> 0.3)."""
    budget = float(f"{budget:.12g}")
    return int(budget) if budget.is_integer() else budget


def s_max(ratio: float, eta: int) -> int:
    """``floor(log_eta(ratio))`` in integer steps, not with logarithms: ``log(243) / log(3)`` is
    4.999999999999999 in floating point, whose floor drops a bracket. A relative slack of 1e-9 absorbs
    ratios such as ``8.1 / 0.3 = 26.999999999999996``."""
    s = 0
    while eta ** (s + 1) <= ratio * (1 + 1e-9):
        s += 1
    return s


def rung_budgets(min_budget: float, max_budget: float, eta: int) -> list:
    """The budgets of the rungs, bottom first: ``max_budget / eta**k`` for ``k = s_max..0``.

    When both bounds are ints (epochs), so are the rungs: each is rounded to the nearest whole
    number (halves up), never below ``min_budget``. Consecutive rungs differ by a factor of at
    least 2 on budgets of at least 1, so rounding never merges two of them.

    >>> rung_budgets(1, 27, 3), rung_budgets(1, 100, 3), rung_budgets(1.0, 100.0, 3)
    ([1, 3, 9, 27], [1, 4, 11, 33, 100], [1.23456790123, 3.7037037037, 11.1111111111, 33.3333333333, 100])
    """
    top = s_max(max_budget / min_budget, eta)
    budgets = [tidy(max_budget / eta ** (top - k)) for k in range(top + 1)]
    if isinstance(min_budget, int) and isinstance(max_budget, int):
        budgets = [max(min_budget, math.floor(b + 0.5)) for b in budgets]
    return budgets


def hyperband_schedule(ratio: float, eta: int) -> list[list[tuple[int, float]]]:
    """Li et al. (2018), Algorithm 1: for each bracket ``s = s_max..0``, its rungs ``(n_i, r_i)``.

    ``n = ceil(B / R * eta**s / (s + 1))`` with ``B = (s_max + 1) R`` (so ``B / R = s_max + 1``,
    computed in integers), ``r = R eta**-s``; rung ``i`` evaluates ``n_i = floor(n eta**-i)``
    configurations for ``r_i = r eta**i`` units of the smallest budget each.

    >>> hyperband_schedule(27, 3)[1]
    [(12, 3), (4, 9), (1, 27)]
    """
    top = s_max(ratio, eta)
    brackets = []
    for s in range(top, -1, -1):
        n = -(-(top + 1) * eta**s // (s + 1))  # ceil in integers: no rounding error for large eta**s
        brackets.append([(n // eta**i, tidy(ratio / eta ** (s - i))) for i in range(s + 1)])
    return brackets


@dataclass
class Config:
    """A configuration in the race: ``number`` in order of arrival, its ``params``, its results
    by budget (``None`` when that trial failed) and the searcher's suggestion until it is told."""

    number: int
    params: dict
    origin: Suggestion | None = None
    results: dict = field(default_factory=dict)


class MultiFidelity(Optimizer):
    """Base of the three schedulers: checks the settings, owns the searcher and the configurations.

    Subclasses implement ``ask()`` with ``_new_config()`` and ``_hand_out(config, level, tag)``,
    and ``_record(config, level, value, tag)``, which ``tell`` calls with each of their results
    (``tag``: whatever the subclass handed out with the trial, e.g. its bracket).
    """

    needs_budget = True  # run() refuses an objective without a budget parameter

    def __init__(self, space: Space, min_budget: float, max_budget: float, eta: int = 3, searcher=None,
                 seed: int | None = None, feedback: str = "full"):
        super().__init__(space, seed)
        for name, value in (("min_budget", min_budget), ("max_budget", max_budget)):
            if not is_number(value) or not 0 < value < math.inf:
                raise ValueError(f"{name} must be a finite number > 0 (a number of epochs, say), got {value!r}.")
        if min_budget > max_budget:
            raise ValueError(f"min_budget={min_budget!r} is above max_budget={max_budget!r}; give min_budget <= "
                             "max_budget (the shortest and the full training of one trial).")
        self.eta = check_int("eta", eta, 2, None, "each rung keeps the best 1/eta; use an integer such as 3")
        if feedback not in FEEDBACK:
            raise ValueError(f"feedback={feedback!r} is unknown; use one of {FEEDBACK}.")
        self.min_budget, self.max_budget, self.feedback = min_budget, max_budget, feedback
        self.budgets = rung_budgets(min_budget, max_budget, self.eta)
        self.searcher = self._check_searcher(space, searcher, seed)
        self.configs: list[Config] = []
        self._where: dict[int, tuple] = {}  # pending suggestion id -> (config, rung level, tag)

    @staticmethod
    def _check_searcher(space: Space, searcher, seed):
        if searcher is None:
            from .random import RandomSearch

            return RandomSearch(space, seed=seed)
        if isinstance(searcher, type) or not all(hasattr(searcher, a) for a in ("ask", "tell", "space")):
            raise TypeError(f"searcher must be an optimizer instance with ask() and tell(), got {searcher!r}; pass "
                            "e.g. searcher=hl.RandomSearch(space, seed=0).")
        if getattr(searcher, "needs_budget", False):
            raise TypeError(f"searcher={type(searcher).__name__} is itself multi-fidelity; give a method that "
                            "proposes configurations, such as RandomSearch or BayesianOptimization.")
        if searcher.space != space:
            raise ValueError("the searcher was built on another space; build it on the same one: "
                             "searcher=hl.RandomSearch(space, seed=0).")
        return searcher

    @property
    def size(self) -> float:
        """An upper bound on the trials: each configuration of a finite searcher once per rung."""
        return getattr(self.searcher, "size", math.inf) * len(self.budgets)

    # -- helpers for subclasses -----------------------------------------------------------------
    def _new_config(self) -> Config | None:
        """A new configuration from the searcher, asked only now (so the same seed gives the same trials);
        None while the searcher waits (a GA's generation). Raises ``Exhausted`` when it has no more."""
        try:
            origin = self.searcher.ask()
        except NotReady:
            return None
        config = Config(len(self.configs), dict(origin.params), origin)
        self.configs.append(config)
        return config

    def _hand_out(self, config: Config, level: int, tag=None) -> Suggestion:
        """``config`` as a trial at rung ``level`` (an index into ``budgets``), under a new id."""
        suggestion = self._suggest(config.params, self.budgets[level])
        self._where[suggestion.id] = (config, level, tag)
        return suggestion

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        """Record a result; one the rungs do not know (an outside observation) is kept in ``X``/``y`` only."""
        suggestion = self._resolve(suggestion)
        super().tell(suggestion, value)
        entry = self._where.pop(suggestion.id, None)
        if entry is None:
            return
        config, level, tag = entry
        value = self.y[-1]
        config.results[self.budgets[level]] = value
        self._feed(config, level, value)
        self._record(config, level, value, tag)

    def _feed(self, config: Config, level: int, value) -> None:
        """Tell the searcher (see the module docstring): once per configuration, then full-budget results."""
        full = level == len(self.budgets) - 1
        told = value if full or self.feedback == "all" else None
        if config.origin is not None:
            self.searcher.tell(config.origin, told)
            config.origin = None
        elif full or self.feedback == "all":
            self.searcher.tell(dict(config.params), told)

    def _record(self, config: Config, level: int, value, tag) -> None:
        raise NotImplementedError

    @staticmethod
    def _rank_key(item: tuple[Config, float | None]):
        """Best first: lower value, a failure last, ties to the configuration the searcher proposed first."""
        config, value = item
        return (math.inf if value is None else value, config.number)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(budgets={self.budgets}, eta={self.eta}, "
                f"searcher={type(self.searcher).__name__}, seed={self.seed!r})")

