"""NSGA-II: the genetic algorithm of ``genetic.py`` with a selection that ranks by Pareto fronts.

What changes from the single-objective GA is only how individuals are compared (Deb et al.,
2002). Fitness is a place in the *crowded order* (``nondominated.crowded_order``): front
first, then crowding distance, largest first. Parents are picked by binary tournament on
that order; children come from the GA's own crossover and mutation. Survival is elitist over
parents and children together: sort the ``2N`` individuals by the crowded order and keep the
first ``N``. So a front that no child beats is never lost, and along a front the individuals
with the most room around them survive, which spreads the population over the trade-off.

A generation is ``population_size`` children, evaluated (the first generation is random);
``ask()`` serves them one at a time and raises ``NotReady`` until every one of them is told,
as the GA does. A failed individual is ranked after every successful one.
"""

from __future__ import annotations

import numpy as np

from ..core.checks import check_int
from ..core.space import Space
from .base import Exhausted, NotReady, Suggestion, is_failure
from .genetic import Breeder
from .nondominated import crowded_order


def survivors(values: list, n: int) -> np.ndarray:
    """Indices of the ``n`` individuals that survive, best first: the crowded order, failures (None) last.

    ``values`` holds one minimized vector per individual, or None for a failed one.

    >>> survivors([[3, 3], None, [1, 4], [4, 1], [2, 2]], 3).tolist()
    [2, 3, 4]
    """
    ok = np.array([i for i, v in enumerate(values) if v is not None], dtype=int)
    failed = [i for i, v in enumerate(values) if v is None]
    ranked = ok[crowded_order(np.array([values[i] for i in ok], dtype=float), n)] if len(ok) else ok
    return np.concatenate([ranked, np.array(failed, dtype=int)])[:n].astype(int)


class NSGAII(Breeder):
    """NSGA-II (Deb et al., 2002) as an ask/tell method; minimizes every objective.

    Parameters
    ----------
    space : the search space.
    n_objectives : how many values each trial returns (``run`` checks it against its ``directions``).
    population_size : individuals kept, and children bred, per generation (default 10: each costs a training).
    crossover, mutation_rate, mutation_scale, blend_alpha : the GA's operators (``genetic.py``).
    tournament_size : individuals per tournament (NSGA-II's binary tournament: 2).
    max_attempts : tries to breed a child not evaluated before, before a random configuration.

    ``generations[g]`` keeps each generation's children (params) and ``parents[g]`` the
    population that bred generation ``g + 1`` (params and minimized values); ``population``
    and ``values`` are the current survivors.

    >>> from hpo_lessons import Space, Real
    >>> opt = NSGAII(Space(x=Real(0, 1)), n_objectives=2, population_size=4, seed=0)
    >>> for _ in range(8):
    ...     s = opt.ask()
    ...     opt.tell(s, [s.params["x"], (1 - s.params["x"]) ** 2])
    >>> len(opt.generations), len(opt.population)
    (2, 4)
    """

    def __init__(self, space: Space, n_objectives: int = 2, population_size: int = 10, seed: int | None = None,
                 crossover: str = "blend", mutation_rate: float = 0.2, mutation_scale: float = 0.1,
                 tournament_size: int = 2, blend_alpha: float = 0.5, max_attempts: int = 100):
        super().__init__(space, seed, crossover, mutation_rate, mutation_scale, blend_alpha, max_attempts)
        self.n_objectives = check_int("n_objectives", n_objectives, 2, None, "one objective is the GA's job")
        check_int("population_size", population_size, 2, None, "a population needs two parents")
        check_int("tournament_size", tournament_size, 1, population_size, "it draws from the population")
        self.population_size, self.tournament_size = population_size, tournament_size
        self.population: list[dict] = []  # the survivors, best first
        self.values: list[list[float] | None] = []
        self.parents: list[tuple[list[dict], list]] = []
        taken: set = set()
        first = [p for p in (self._random_new(taken) for _ in range(population_size)) if p is not None]
        self.generations: list[list[dict]] = [first]
        self._queue, self._told = list(first), {}  # bred, not yet served; key -> minimized value of this generation

    @property
    def size(self) -> float:
        return self.space.size

    def ask(self) -> Suggestion:
        if not self._queue:
            children = self.generations[-1]
            if len(self._told) < len(children):
                raise NotReady(f"generation {len(self.generations) - 1} is still being evaluated; tell() a result "
                               "before asking again.")
            self._next_generation()
        return self._suggest(self._queue.pop(0))

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        super().tell(suggestion, value)
        key = self.space.key(self.X[-1])
        if any(self.space.key(p) == key for p in self.generations[-1]):
            self._told[key] = None if is_failure(value) else self.y[-1]

    def _next_generation(self) -> None:
        children = self.generations[-1]
        everyone = self.population + children
        values = self.values + [self._told[self.space.key(p)] for p in children]
        keep = survivors(values, self.population_size)
        self.population, self.values = [everyone[i] for i in keep], [values[i] for i in keep]
        self.parents.append((list(self.population), list(self.values)))
        taken: set = set()
        bred = [c for c in (self._offspring(taken) for _ in range(self.population_size)) if c is not None]
        if not bred:
            raise Exhausted(f"all {self.space.size} configurations of the space were evaluated")
        self.generations.append(bred)
        self._queue, self._told = list(bred), {}

    def _offspring(self, taken: set) -> dict | None:
        """A child of two parents picked by tournament on the crowded order; a random one if breeding repeats."""
        place = np.arange(len(self.population), dtype=float)  # the survivors are best first: place is fitness
        genomes = np.array([self.space.to_unit(p) for p in self.population])
        return self._child(genomes, place, taken)

    def __repr__(self) -> str:
        return (f"NSGAII({self.n_objectives} objectives, population_size={self.population_size}, "
                f"seed={self.seed!r})")


