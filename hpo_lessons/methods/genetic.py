"""Genetic algorithm: a small population evolved by selection, crossover, mutation and elitism.

Each individual is a configuration; its *genome* is the configuration's point in the unit cube
([0, 1]^d, from ``space.to_unit``), where a categorical gene is the centre of its choice's cell
and an integer gene the centre of its integer's cell. Lower value is fitter: the optimizer
minimizes, and a failed trial counts as ``+inf`` (the least fit of all).

One generation: tournament selection picks two parents, crossover mixes their genes, mutation
perturbs the child; the ``elitism`` best individuals are carried over as they are. Every step is
a small function below, so the chapter can rebuild and check them one at a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..core.checks import check_int, check_number
from ..core.space import Categorical, Space
from .base import Exhausted, NotReady, Optimizer, Suggestion, is_failure

CROSSOVERS = ("uniform", "blend")


# -- the operators, one step each ------------------------------------------------------------
def categorical_sizes(space: Space) -> np.ndarray:
    """Number of choices of each gene, 0 for numeric ones; shape (d,)."""
    return np.array([len(dim.choices) if isinstance(dim, Categorical) else 0 for _, dim in space])


def tournament_select(rng: np.random.Generator, fitness: np.ndarray, k: int) -> int:
    """Index of the fittest (lowest value) of ``k`` individuals drawn without replacement.

    With ``k`` equal to the population size this is always the global best; with ``k=1`` it is
    a uniform draw. ``fitness`` has shape (n,), with ``+inf`` for failed individuals.
    """
    drawn = rng.choice(len(fitness), size=k, replace=False)
    return int(drawn[np.argmin(fitness[drawn])])


def uniform_crossover(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Child taking each gene from parent ``a`` or ``b`` with probability 1/2; shapes (d,)."""
    return np.where(rng.random(a.shape) < 0.5, a, b)


def blend_crossover(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, alpha: float,
                    numeric_mask: np.ndarray) -> np.ndarray:
    """BLX-alpha (Eshelman & Schaffer, 1993) on numeric genes, a parent's gene on the others.

    A numeric gene is drawn uniformly from the parents' interval widened by ``alpha`` times its
    width on each side, ``[lo - alpha*I, hi + alpha*I]`` with ``I = hi - lo``, then clipped to
    [0, 1]. Categorical genes (``numeric_mask`` False) are not ordered, so they are inherited.
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    width = hi - lo
    blended = np.clip(rng.uniform(lo - alpha * width, hi + alpha * width), 0.0, 1.0)
    return np.where(numeric_mask, blended, uniform_crossover(rng, a, b))


def mutate(rng: np.random.Generator, genome: np.ndarray, rate: float, scale: float,
           sizes: np.ndarray) -> np.ndarray:
    """Mutate each gene with probability ``rate``; returns a new genome of shape (d,).

    A numeric gene (``sizes`` 0) gets Gaussian noise of std ``scale`` and is clipped to
    [0, 1]. A categorical gene with k choices is reset to one of the k - 1 *other* choices
    at random: noise on a category index would pretend the choices are ordered.
    """
    child = np.array(genome, dtype=float)
    hit = rng.random(child.shape) < rate
    noise = rng.normal(0.0, scale, child.shape)
    numeric = hit & (sizes == 0)
    child[numeric] = np.clip(child[numeric] + noise[numeric], 0.0, 1.0)
    for i in np.flatnonzero(hit & (sizes > 1)):
        k = int(sizes[i])
        current = min(int(child[i] * k), k - 1)
        other = int(rng.integers(k - 1))
        child[i] = (other + (other >= current) + 0.5) / k  # skip the current choice
    return child


def elites(fitness: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` fittest individuals, best first (ties keep population order)."""
    return np.argsort(fitness, kind="stable")[:n]


# -- the bookkeeping -------------------------------------------------------------------------
@dataclass
class Generation:
    """One generation: its individuals and their values (NaN until told, ``inf`` if failed).

    The first ``n_elites`` individuals were carried over from the previous generation: their
    values were known and they were not evaluated again.
    """

    number: int
    individuals: list[dict]
    values: list[float] = field(default_factory=list)
    n_elites: int = 0

    @property
    def complete(self) -> bool:
        return not any(math.isnan(v) for v in self.values)


class Breeder(Optimizer):
    """What a generational method breeds with: the operators below, checked once, and children never seen before.

    ``GeneticAlgorithm`` and ``NSGAII`` differ only in how they rank a generation (one value, or
    Pareto fronts); both breed a child by tournament on that rank, crossover and mutation, and
    give up on a child that only repeats after ``max_attempts`` tries for a random new one.
    """

    def __init__(self, space: Space, seed: int | None, crossover: str, mutation_rate: float, mutation_scale: float,
                 blend_alpha: float, max_attempts: int):
        super().__init__(space, seed)
        check_int("max_attempts", max_attempts, 1, None, "at least one try per child")
        if crossover not in CROSSOVERS:
            raise ValueError(f"crossover={crossover!r} is unknown; use one of {CROSSOVERS}.")
        for name, value in (("mutation_rate", mutation_rate), ("mutation_scale", mutation_scale),
                            ("blend_alpha", blend_alpha)):
            check_number(name, value)
        if mutation_rate > 1:
            raise ValueError(f"mutation_rate={mutation_rate!r} is a probability; give a value in [0, 1].")
        self.crossover, self.mutation_rate, self.mutation_scale = crossover, float(mutation_rate), float(mutation_scale)
        self.blend_alpha, self.max_attempts = float(blend_alpha), max_attempts
        self.sizes = categorical_sizes(space)

    def _child(self, genomes: np.ndarray, fitness: np.ndarray, taken: set) -> dict | None:
        """A new configuration bred from the generation, or a random one if breeding only repeats."""
        k = min(self.tournament_size, len(fitness))
        for _ in range(self.max_attempts):
            a = genomes[tournament_select(self.rng, fitness, k)]
            b = genomes[tournament_select(self.rng, fitness, k)]
            child = (uniform_crossover(self.rng, a, b) if self.crossover == "uniform"
                     else blend_crossover(self.rng, a, b, self.blend_alpha, self.sizes == 0))
            params = self.space.from_unit(mutate(self.rng, child, self.mutation_rate, self.mutation_scale, self.sizes))
            if self._claim(params, taken):
                return params
        return self._random_new(taken)

    def _random_new(self, taken: set) -> dict | None:
        """A random configuration not seen yet; on a small finite space, found by enumeration."""
        for _ in range(self.max_attempts):
            params = self.space.from_unit(self.rng.random(len(self.space)))
            if self._claim(params, taken):
                return params
        if self.space.size > 100_000:
            return None  # too big to list (or real-valued): give up this one child
        unseen = [p for p in self.space.configurations() if self.space.key(p) not in taken and not self.seen(p)]
        if not unseen:
            return None  # every configuration was told, is pending or is already in this generation
        params = unseen[int(self.rng.integers(len(unseen)))]
        return params if self._claim(params, taken) else None

    def _claim(self, params: dict, taken: set) -> bool:
        key = self.space.key(params)
        if key in taken or key in self._seen:
            return False
        taken.add(key)
        return True


class GeneticAlgorithm(Breeder):
    """Generational genetic algorithm with tournament selection and elitism; minimizes.

    Parameters
    ----------
    population_size : individuals per generation. Small on purpose (default 10): every
        individual costs a full training run, so a tuning budget of 50-200 trials allows only
        5-20 generations of 10; populations of hundreds suit cheap fitness functions, not this.
    crossover : "uniform" (each gene from either parent) or "blend" (BLX-alpha on numeric genes).
    mutation_rate : probability that each gene mutates, in [0, 1].
    mutation_scale : std of the Gaussian noise on numeric genes, in unit-cube units.
    tournament_size : individuals per tournament, 1 (no selection pressure) to population_size;
        default 3 (or the population size, if smaller).
    elitism : the best ``elitism`` individuals join the next generation unchanged, not re-evaluated.
    blend_alpha : widening of the parents' interval for blend crossover.
    max_attempts : tries to breed a child not evaluated before, before a random configuration.

    ``ask()`` serves the current generation one individual at a time and may be called several
    times before ``tell()`` (parallel workers get distinct individuals). The next generation is
    bred when every individual of the current one is told; asking while the rest of them are
    still pending raises ``NotReady``, and ``run`` waits for a result before asking again (a
    generational GA is synchronous: workers idle while the generation's last trials finish).

    No configuration is evaluated twice: a child whose decoded configuration was already told,
    is pending, or is already in the new generation is bred again (new parents, crossover,
    mutation), up to ``max_attempts`` times, then replaced by a random new configuration; this
    also brings diversity back into a converged population. On a finite space, ``ask()``
    raises ``Exhausted`` once every configuration was evaluated. ``generations`` keeps every
    ``Generation`` for plotting; ``generation`` is the current one's number.

    >>> from hpo_lessons import Space, Real
    >>> ga = GeneticAlgorithm(Space(x=Real(0, 1)), population_size=4, seed=0)
    >>> ga.generation, len(ga.generations[0].individuals)
    (0, 4)
    """

    def __init__(self, space: Space, population_size: int = 10, seed: int | None = None, crossover: str = "blend",
                 mutation_rate: float = 0.2, mutation_scale: float = 0.1, tournament_size: int | None = None,
                 elitism: int = 1, blend_alpha: float = 0.5, max_attempts: int = 100):
        super().__init__(space, seed, crossover, mutation_rate, mutation_scale, blend_alpha, max_attempts)
        check_int("population_size", population_size, 2, None, "a population needs two parents")
        tournament_size = min(3, population_size) if tournament_size is None else tournament_size
        check_int("tournament_size", tournament_size, 1, population_size, "it draws from the population")
        check_int("elitism", elitism, 0, population_size - 1, "the rest of a generation are children")
        self.population_size, self.tournament_size, self.elitism = population_size, tournament_size, elitism
        self.cache: dict[tuple, float] = {}  # key of every told configuration -> value (inf if failed)
        taken: set = set()
        first = [p for p in (self._random_new(taken) for _ in range(population_size)) if p is not None]
        self.generations = [Generation(0, first, [math.nan] * len(first))]
        self._queue = list(first)  # bred, not yet served

    @property
    def generation(self) -> int:
        return len(self.generations) - 1

    @property
    def size(self) -> float:
        return self.space.size

    def ask(self) -> Suggestion:
        # a queued individual told from outside (not served by ask) is known already: never serve it
        self._queue = [p for p in self._queue if self.space.key(p) not in self.cache]
        if not self._queue:
            if not self.generations[-1].complete:
                raise NotReady(f"the rest of generation {self.generation} is still being evaluated; tell() a "
                               "result before asking again.")
            self._next_generation()
        return self._suggest(self._queue.pop(0))

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        super().tell(suggestion, value)
        key, gen = self.space.key(self.X[-1]), self.generations[-1]
        self.cache[key] = math.inf if is_failure(value) else float(value)
        for i, individual in enumerate(gen.individuals):
            if math.isnan(gen.values[i]) and self.space.key(individual) == key:
                gen.values[i] = self.cache[key]
                return

    def _next_generation(self) -> None:
        gen = self.generations[-1]
        fitness = np.array(gen.values)
        best = elites(fitness, min(self.elitism, len(fitness)))
        genomes = np.array([self.space.to_unit(p) for p in gen.individuals])
        taken: set = set()
        children = []
        for _ in range(self.population_size - len(best)):
            child = self._child(genomes, fitness, taken)
            if child is None:
                break
            children.append(child)
        if not children:
            raise Exhausted(f"all {self.space.size} configurations of the space were evaluated")
        self.generations.append(Generation(
            gen.number + 1, [gen.individuals[i] for i in best] + children,
            [gen.values[i] for i in best] + [math.nan] * len(children), n_elites=len(best)))
        self._queue = list(children)
