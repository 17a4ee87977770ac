"""The genetic algorithm: its operators, cache, elitism, parallel asks, failures, seeds and resume."""

import math
from collections import Counter

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.methods.genetic import (
    blend_crossover,
    categorical_sizes,
    elites,
    mutate,
    tournament_select,
    uniform_crossover,
)

CHOICES = ["a", "b", "c", "d"]


def mixed_space():
    return hl.Space(lr=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(1, 9), act=hl.Categorical(CHOICES))


def mixed_objective(p):
    return (math.log10(p["lr"]) + 2) ** 2 + 0.1 * (p["units"] - 4) ** 2 + CHOICES.index(p["act"])


# -- operators -------------------------------------------------------------------------------
def test_tournament_of_the_whole_population_picks_the_global_best():
    """Reference: np.argmin. A tournament of k = n individuals drawn without replacement sees everyone."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        fitness = rng.normal(size=12)
        fitness[rng.integers(12)] = np.inf  # a failed individual never wins
        assert tournament_select(rng, fitness, 12) == int(np.argmin(fitness))


def test_tournament_winner_is_the_best_of_its_k_draws():
    """Reference: the winner of k=3 beats at least 2 others, so it is never among the 2 worst of 10."""
    rng = np.random.default_rng(1)
    fitness = np.arange(10.0)
    wins = Counter(tournament_select(rng, fitness, 3) for _ in range(3000))
    assert set(wins) <= set(range(8))
    # P(best of 3 distinct draws is index 0) = 3/10 (closed form for drawing without replacement)
    assert wins[0] / 3000 == pytest.approx(0.3, abs=0.03)
    assert len(Counter(tournament_select(rng, fitness, 1) for _ in range(500))) == 10  # k=1: no pressure


def test_uniform_crossover_takes_each_gene_from_one_parent():
    """Reference: the definition (Syswerda, 1989): gene i is a[i] or b[i], each with probability 1/2."""
    rng = np.random.default_rng(2)
    a, b = np.zeros(6), np.ones(6)
    children = np.array([uniform_crossover(rng, a, b) for _ in range(2000)])
    assert np.all((children == 0) | (children == 1))
    assert children.mean() == pytest.approx(0.5, abs=0.02)


def test_blend_crossover_stays_in_the_widened_interval_and_inherits_categoricals():
    """Reference: BLX-alpha (Eshelman & Schaffer, 1993): uniform on [lo - alpha*I, hi + alpha*I], clipped."""
    rng = np.random.default_rng(3)
    a, b = np.array([0.4, 0.5, 0.125]), np.array([0.6, 0.9, 0.875])
    numeric = np.array([True, True, False])
    children = np.array([blend_crossover(rng, a, b, 0.5, numeric) for _ in range(4000)])
    assert children[:, 0].min() >= 0.3 and children[:, 0].max() <= 0.7
    assert children[:, 0].min() < 0.35 and children[:, 0].max() > 0.65  # reaches beyond the parents
    assert children[:, 1].max() <= 1.0 and np.mean(children[:, 1] == 1.0) > 0.05  # clipped at the cube's edge
    assert set(children[:, 2]) == {0.125, 0.875}  # categorical: a parent's gene, never a blend
    inside = np.array([blend_crossover(rng, a, b, 0.0, numeric) for _ in range(500)])
    assert np.all((inside[:, :2] >= np.minimum(a, b)[:2]) & (inside[:, :2] <= np.maximum(a, b)[:2]))


def test_mutation_rate_zero_is_the_identity_and_rate_one_changes_every_category():
    """Reference: the definitions: Gaussian noise N(0, scale^2) on numbers, random reset to another choice."""
    rng = np.random.default_rng(4)
    sizes = categorical_sizes(mixed_space())
    genome = np.array([0.5, 0.5, 0.375])  # act = "b", the centre of the 2nd of 4 cells
    assert np.array_equal(mutate(rng, genome, 0.0, 0.3, sizes), genome)
    mutants = np.array([mutate(rng, genome, 1.0, 0.05, sizes) for _ in range(4000)])
    assert set(mutants[:, 2]) == {0.125, 0.625, 0.875}  # always another choice, each cell centre reachable
    assert Counter(mutants[:, 2])[0.125] / 4000 == pytest.approx(1 / 3, abs=0.03)
    assert mutants[:, 0].std() == pytest.approx(0.05, rel=0.05) and mutants[:, 0].mean() == pytest.approx(0.5, abs=0.01)
    wide = np.array([mutate(rng, genome, 1.0, 0.4, sizes) for _ in range(500)])[:, :2]
    assert wide.min() == 0.0 and wide.max() == 1.0 and np.mean((wide > 0) & (wide < 1)) > 0.7  # clipped to the cube
    assert np.array_equal(genome, [0.5, 0.5, 0.375])  # the parent is not modified in place


def test_elites_are_the_lowest_values_best_first():
    """Reference: np.argsort; failures (inf) come last."""
    fitness = np.array([3.0, np.inf, 1.0, 2.0, 1.0])
    assert elites(fitness, 3).tolist() == [2, 4, 3]


# -- the optimizer ---------------------------------------------------------------------------
def test_no_configuration_is_evaluated_twice_and_a_small_space_is_exhausted():
    """Reference: a call counter. 25 configurations, so the search must end after exactly 25 distinct calls."""
    space = hl.Space(a=hl.Integer(0, 4), b=hl.Integer(0, 4))
    calls = Counter()

    def objective(p):
        calls[(p["a"], p["b"])] += 1
        return (p["a"] - 3) ** 2 + (p["b"] - 1) ** 2

    ga = hl.GeneticAlgorithm(space, population_size=6, seed=0)
    history = hl.run(objective, ga, progress=False)  # no n_trials: ends when the GA raises Exhausted
    assert len(history) == 25 and len(calls) == 25 and max(calls.values()) == 1
    assert history.best_value == 0 and ga.size == 25
    with pytest.raises(hl.Exhausted):
        ga.ask()


def test_a_space_smaller_than_one_generation_ends_without_looping():
    """Reference: the space's size: 3 configurations, a population of 10."""
    ga = hl.GeneticAlgorithm(hl.Space(act=hl.Categorical(["relu", "tanh", "elu"])), seed=0)
    history = hl.run(lambda p: len(p["act"]), ga, progress=False)
    assert sorted(t.params["act"] for t in history) == ["elu", "relu", "tanh"]


def test_elites_carry_over_unevaluated_and_best_so_far_never_worsens():
    """Reference: the generation records; every trial is a new individual, elites are not trials."""
    space = mixed_space()
    ga = hl.GeneticAlgorithm(space, population_size=8, elitism=2, seed=5)
    history = hl.run(mixed_objective, ga, n_trials=80, progress=False)
    gens = ga.generations
    assert ga.generation == len(gens) - 1 == 12  # 80 trials = 8 + 12 generations of 6 children
    assert all(len(g.individuals) == 8 and g.complete for g in gens)
    bests = [min(g.values) for g in gens]
    assert all(later <= earlier for earlier, later in zip(bests, bests[1:], strict=False))
    for prev, gen in zip(gens, gens[1:], strict=False):
        assert gen.n_elites == 2
        top = np.argsort(prev.values, kind="stable")[:2]
        assert gen.individuals[:2] == [prev.individuals[i] for i in top] and gen.values[:2] == sorted(prev.values)[:2]
    assert sum(len(g.individuals) - g.n_elites for g in gens) == len(history)


def test_without_elitism_the_generation_best_can_worsen():
    """Contrast for the elitism test: the same check fails for some seed when no individual is kept."""
    worsened = False
    for seed in range(5):
        ga = hl.GeneticAlgorithm(mixed_space(), population_size=8, elitism=0, seed=seed)
        hl.run(mixed_objective, ga, n_trials=80, progress=False)
        bests = [min(g.values) for g in ga.generations]
        worsened |= any(later > earlier for earlier, later in zip(bests, bests[1:], strict=False))
    assert worsened


def test_parallel_asks_get_distinct_individuals_until_the_generation_is_out():
    """Reference: space.key identity; the next generation waits for every tell."""
    space = mixed_space()
    ga = hl.GeneticAlgorithm(space, population_size=5, seed=0)
    asked = [ga.ask() for _ in range(5)]
    assert len({space.key(s.params) for s in asked}) == 5 and len(ga.pending) == 5
    assert len({s.id for s in asked}) == 5
    with pytest.raises(hl.NotReady, match="tell"):
        ga.ask()
    assert not issubclass(hl.NotReady, RuntimeError)  # a signal that broad `except RuntimeError` cannot swallow
    for s in reversed(asked[1:]):  # results arrive out of order
        ga.tell(s, mixed_objective(s.params))
    with pytest.raises(hl.NotReady, match="still being evaluated"):
        ga.ask()
    ga.tell(asked[0], mixed_objective(asked[0].params))
    child = ga.ask().params
    assert ga.generation == 1 and space.key(child) not in {space.key(s.params) for s in asked}
    assert space.validate(child) == child and isinstance(child["units"], int)


def test_failed_trials_count_as_the_worst_fitness():
    """Reference: +inf for a failure; every completed value beats it, and no failed config becomes an elite."""
    space = mixed_space()
    ga = hl.GeneticAlgorithm(space, population_size=6, seed=1)
    failing = lambda p: float("nan") if p["act"] in ("a", "b") else mixed_objective(p)
    history = hl.run(failing, ga, n_trials=60, progress=False, max_consecutive_failures=60)
    assert history.failed and history.completed
    assert any(math.isinf(v) for g in ga.generations for v in g.values)
    for gen in ga.generations[1:]:
        assert all(math.isfinite(v) for v in gen.values[: gen.n_elites])
    assert history.best.params["act"] in ("c", "d")
    ga2 = hl.GeneticAlgorithm(space, population_size=2, seed=0)
    ga2.tell(ga2.ask(), None)
    assert ga2.generations[0].values[0] == math.inf and ga2.y == [None]


def test_same_seed_same_trials_different_seed_different_trials():
    space = mixed_space()
    runs = [hl.run(mixed_objective, hl.GeneticAlgorithm(space, seed=s), n_trials=40, progress=False)
            for s in (7, 7, 8)]
    params = [[t.params for t in h] for h in runs]
    assert params[0] == params[1] and params[0] != params[2]


@pytest.mark.parametrize("name", ["ackley", "rastrigin"])
def test_beats_random_search_on_4d_benchmarks(name):
    """Reference: random search at the same budget (200 trials), median simple regret over 10 seeds."""
    bench = benchmarks.get(name, dim=4)

    def median_regret(method):
        return np.median([benchmarks.regret(hl.run(bench, method(bench.space, seed=s), n_trials=200,
                                                   progress=False), bench)[-1] for s in range(10)])

    ga, rs = median_regret(hl.GeneticAlgorithm), median_regret(hl.RandomSearch)
    assert ga < 0.5 * rs, (ga, rs)


def test_finds_the_exact_optimum_of_a_small_categorical_space():
    """Reference: the optimum by enumeration of all 4^4 = 256 configurations; the GA gets 80 trials."""
    space = hl.Space(**{f"c{i}": hl.Categorical(CHOICES) for i in range(4)})
    score = {"a": 3, "b": 1, "c": 0, "d": 2}
    objective = lambda p: sum(score[v] * (i + 1) for i, v in enumerate(p.values()))
    assert min(objective(p) for p in space.grid()) == 0
    for seed in range(5):
        history = hl.run(objective, hl.GeneticAlgorithm(space, seed=seed), n_trials=80, progress=False)
        assert history.best_value == 0 and history.best.params == {f"c{i}": "c" for i in range(4)}


def test_resume_from_the_journal_equals_one_straight_run(tmp_path):
    """Reference: an uninterrupted 20-trial run with the same seed."""
    space, journal = mixed_space(), tmp_path / "ga.jsonl"
    hl.run(mixed_objective, hl.GeneticAlgorithm(space, population_size=6, seed=3), n_trials=10,
           journal=journal, progress=False)
    resumed = hl.run(mixed_objective, hl.GeneticAlgorithm(space, population_size=6, seed=3), n_trials=20,
                     journal=journal, progress=False)
    straight = hl.run(mixed_objective, hl.GeneticAlgorithm(space, population_size=6, seed=3), n_trials=20,
                      progress=False)
    assert [t.params for t in resumed] == [t.params for t in straight]
    assert [t.value for t in resumed] == [t.value for t in straight]


@pytest.mark.parametrize("kwargs, name", [
    ({"population_size": 1}, "population_size"),
    ({"population_size": 4.0}, "population_size"),
    ({"mutation_rate": 1.5}, "mutation_rate"),
    ({"mutation_rate": -0.1}, "mutation_rate"),
    ({"mutation_scale": float("nan")}, "mutation_scale"),
    ({"tournament_size": 0}, "tournament_size"),
    ({"tournament_size": 11}, "tournament_size"),
    ({"elitism": 10}, "elitism"),
    ({"elitism": -1}, "elitism"),
    ({"crossover": "one-point"}, "crossover"),
    ({"blend_alpha": -1}, "blend_alpha"),
    ({"max_attempts": 0}, "max_attempts"),
])
def test_bad_settings_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        hl.GeneticAlgorithm(mixed_space(), **kwargs)
    with pytest.raises(TypeError, match="Space"):
        hl.GeneticAlgorithm({"x": hl.Real(0, 1)})
