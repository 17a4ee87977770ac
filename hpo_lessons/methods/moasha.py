"""Multi-objective ASHA: asynchronous successive halving that promotes by Pareto fronts, then crowding.

ASHA (``asha.py``) promotes from rung ``k`` a configuration in the top ``floor(|rung k| / eta)``
of its results. With several objectives there is no "top" by value, so the rung is ranked by
NSGA-II's crowded order (``nondominated.crowded_order``): non-dominated front first, then
crowding distance, largest first; failed trials last. This is the "NSGA-II" promotion rule of
Schmucker et al. (2021), who compare it with random scalarization and an epsilon-net; it keeps
the extremes of each rung's front (infinite crowding distance) and spreads promotions along it.

Reference: Schmucker, Donini, Zafar, Salinas & Archambeau (2021), Multi-objective asynchronous
successive halving, arXiv:2106.12639.
"""

from __future__ import annotations

from ..core.checks import check_int
from ..core.space import Space
from .asha import ASHA
from .nsga2 import survivors
from .rungs import Config


class MOASHA(ASHA):
    """ASHA whose rungs promote by non-dominated rank, then crowding distance; minimizes every objective.

    Parameters
    ----------
    space, min_budget, max_budget, eta, searcher, seed : as for ``ASHA`` (random search by default).
    n_objectives : how many values each trial returns.

    The searcher is told each configuration's first result (its vector, or None), as ASHA's
    ``feedback="all"`` does; the default random search ignores it.

    >>> from hpo_lessons import Space, Real
    >>> opt = MOASHA(Space(x=Real(0, 1)), min_budget=1, max_budget=9, n_objectives=2, seed=0)
    >>> for _ in range(3):
    ...     s = opt.ask()
    ...     opt.tell(s, [s.params["x"], 1 - s.params["x"]])
    >>> opt.ask().budget  # three results on one front: the one with the most room (an end) goes up
    3
    """

    def __init__(self, space: Space, min_budget: float, max_budget: float, eta: int = 3, searcher=None,
                 seed: int | None = None, n_objectives: int = 2):
        super().__init__(space, min_budget, max_budget, eta, searcher, seed, feedback="all")
        self.n_objectives = check_int("n_objectives", n_objectives, 2, None, "one objective is ASHA's job")
        self._top: dict[int, tuple[int, list[int]]] = {}  # rung -> (its size when ranked, top numbers)

    def promotable(self, k: int) -> Config | None:
        """The first configuration in the top ``floor(|rung k| / eta)`` of rung ``k`` by crowded order not
        promoted yet, or None."""
        size, top = self._top.get(k, (-1, []))
        if size != len(self.rungs[k]):  # ranked again only when the rung has grown
            numbers = list(self.rungs[k])
            values = [self.rungs[k][n] for n in numbers]
            top = [numbers[i] for i in survivors(values, len(values) // self.eta) if values[i] is not None]
            self._top[k] = (len(numbers), top)
        return next((self.configs[n] for n in top if n not in self.promoted[k]), None)


