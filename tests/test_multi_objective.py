"""Several objectives: sorting, crowding and hypervolume against Optuna's; NSGA-II, MO-ASHA, ParEGO; bad input."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.core.pareto import pareto_mask
from hpo_lessons.methods.moasha import MOASHA
from hpo_lessons.methods.nondominated import crowded_order, crowding_distance, fronts, nondominated_ranks
from hpo_lessons.methods.nsga2 import survivors
from hpo_lessons.methods.parego import chebyshev
from hpo_lessons.methods.random_front import RandomFront

optuna = pytest.importorskip("optuna")
from optuna._hypervolume import compute_hypervolume  # noqa: E402
from optuna.samplers.nsgaii._elite_population_selection_strategy import _calc_crowding_distance  # noqa: E402
from optuna.study._multi_objective import _fast_non_domination_rank  # noqa: E402


def point_sets(seed=0, n_sets=60):
    """Random sets with ties and duplicates (integers on a small grid) and without (reals), 2 to 4 objectives."""
    rng = np.random.default_rng(seed)
    for i in range(n_sets):
        n, m = int(rng.integers(1, 40)), int(rng.integers(2, 5))
        yield rng.integers(0, 4, (n, m)).astype(float) if i % 2 else rng.random((n, m))


def space():
    return hl.Space(x=hl.Real(0.0, 1.0), y=hl.Real(0.0, 1.0), z=hl.Real(0.0, 1.0))


def zdt1(p):
    """ZDT1 (Zitzler, Deb & Thiele, 2000) on three inputs: a convex front f2 = 1 - sqrt(f1) where y = z = 0."""
    g = 1 + 9 * (p["y"] + p["z"]) / 2
    return [p["x"], g * (1 - math.sqrt(p["x"] / g))]


# -- sorting, crowding, hypervolume against Optuna ----------------------------------------------------
def test_nondominated_ranks_equal_optunas_fast_non_domination_rank():
    """Reference: optuna.study._multi_objective._fast_non_domination_rank, on sets with ties and duplicates."""
    for points in point_sets():
        assert nondominated_ranks(points).tolist() == _fast_non_domination_rank(points).tolist()
        assert (nondominated_ranks(points) == 0).tolist() == pareto_mask(points).tolist()
        assert sorted(np.concatenate(fronts(points)).tolist()) == list(range(len(points)))


def test_ranks_cut_at_n_keep_the_first_n_places():
    for points in point_sets(1, n_sets=20):
        full = crowded_order(points)
        for n in range(1, len(points) + 1):
            assert crowded_order(points, n)[:n].tolist() == full[:n].tolist()


def test_crowding_distance_equals_optunas_on_distinct_values_and_has_infinite_ends():
    """Reference: Optuna's NSGA-II _calc_crowding_distance (Deb et al. 2002); equal on values without ties."""
    rng = np.random.default_rng(2)
    for _ in range(30):
        points = rng.random((int(rng.integers(3, 20)), int(rng.integers(2, 4))))
        population = [SimpleNamespace(number=i, values=list(p)) for i, p in enumerate(points)]
        theirs = _calc_crowding_distance(population)
        ours = crowding_distance(points)
        assert np.allclose(ours, [theirs[i] for i in range(len(points))])
        for j in range(points.shape[1]):  # the two ends of every objective
            assert math.isinf(ours[np.argmin(points[:, j])]) and math.isinf(ours[np.argmax(points[:, j])])
    assert crowding_distance([[1.0, 1.0], [1.0, 1.0]]).tolist() == [0.0, 0.0]  # no range: nothing added


def test_hypervolume_equals_optunas_in_2_3_and_4_dimensions():
    """Reference: optuna._hypervolume.compute_hypervolume (exact; WFG above 2-D), with ties and duplicates."""
    for points in point_sets(3):
        reference = np.full(points.shape[1], 4.5)
        assert hl.hypervolume(points, reference) == pytest.approx(compute_hypervolume(points, reference), rel=1e-12)


def test_hypervolume_closed_forms_and_directions():
    assert hl.hypervolume([[0.0, 0.0, 0.0]], [2.0, 3.0, 4.0]) == 24.0  # one box
    assert hl.hypervolume([[1, 3], [2, 2], [3, 1], [2, 2], [3, 3]], [4, 4]) == 6.0  # duplicates, dominated
    assert hl.hypervolume([], [1.0, 1.0]) == 0.0
    # maximizing accuracy is minimizing its negative
    assert hl.hypervolume([[0.9, 5.0]], [0.5, 10.0], ["maximize", "minimize"]) == pytest.approx(0.4 * 5.0)


def test_hypervolume_refuses_a_reference_some_point_does_not_dominate():
    with pytest.raises(ValueError, match="worse than the reference"):
        hl.hypervolume([[1.0, 1.0], [0.5, 3.0]], [2.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        hl.hypervolume([[1.0, math.nan]], [2.0, 2.0])
    with pytest.raises(ValueError, match="directions"):
        hl.hypervolume([[1.0, 1.0]], [2.0, 2.0], ["minimize"])


# -- NSGA-II ---------------------------------------------------------------------------------------------
def test_survivors_keep_the_front_then_the_widest_spread_then_failures():
    values = [[3, 3], None, [1, 4], [4, 1], [2, 2], [2.5, 2.5]]
    assert survivors(values, 3).tolist() == [2, 3, 4]  # front 0, ends first
    assert survivors(values, 6).tolist() == [2, 3, 4, 5, 0, 1]  # then front 1, 2, the failure last


def test_nsga2_is_elitist_and_seeded():
    def search(seed):
        opt = hl.NSGAII(space(), n_objectives=2, population_size=6, seed=seed)
        history = hl.run(zdt1, opt, n_trials=36, directions=["minimize", "minimize"], progress=False)
        return opt, history

    opt, history = search(0)
    assert [t.params for t in history] == [t.params for t in search(0)[1]]
    assert [t.params for t in history] != [t.params for t in search(1)[1]]
    assert len(opt.generations) == 6 and len(opt.population) == 6
    # elitism: every trial on the front of all trials is in the survivors, unless the front is wider
    front = {hl.Space.key(space(), t.params) for t in history.pareto_front()}
    kept = {hl.Space.key(space(), p) for p in opt.population}
    assert front <= kept or len(front) > len(kept)


@pytest.mark.slow
def test_nsga2_matches_optunas_nsga2_in_hypervolume_over_seeds():
    """Reference: Optuna's NSGAIISampler (same population, same budget) on ZDT1, 40 seeds, judged by verdict.

    Claim tested: ours is better than or equivalent to Optuna's within 0.02 of hypervolume (reference
    point (1, 10), so the scale is up to ~10); an undecided or worse verdict fails."""
    from hpo_lessons.experiments.verdict import compare_searches
    from hpo_lessons.frameworks.optuna_adapter import OptunaOptimizer

    def hv(opt, seed):
        history = hl.run(zdt1, opt, n_trials=60, directions=["minimize", "minimize"], progress=False)
        return hl.hypervolume([t.value for t in history.pareto_front()], [1.0, 10.0])

    ours = [hv(hl.NSGAII(space(), n_objectives=2, population_size=10, seed=s), s) for s in range(40)]
    theirs = [hv(OptunaOptimizer(space(), "nsga2", seed=s, n_objectives=2, population_size=10), s)
              for s in range(40)]
    verdict = compare_searches(ours, theirs, names=("ours", "Optuna"), margin=0.02)
    assert verdict.outcome == "equivalent" or verdict.winner == "ours", verdict.text


# -- MO-ASHA, ParEGO, random --------------------------------------------------------------------------
def test_moasha_promotes_by_front_then_crowding():
    opt = MOASHA(hl.Space(x=hl.Real(0, 1)), min_budget=1, max_budget=9, n_objectives=2, seed=0)
    asked = [opt.ask() for _ in range(6)]  # six at the bottom rung before any result
    assert [s.budget for s in asked] == [1] * 6
    for s, value in zip(asked, ([0.5, 0.5], [0.9, 0.9], [0.1, 0.95], [0.95, 0.1], [0.6, 0.6], [0.45, 0.55])):
        opt.tell(s, value)
    rung = [s.params for s in asked]
    promoted = [opt.ask() for _ in range(2)]  # floor(6 / 3) = 2: the two ends of the front first
    assert [p.budget for p in promoted] == [3, 3]
    assert [p.params for p in promoted] == [rung[2], rung[3]]


def test_moasha_front_is_taken_at_the_top_budget():
    from hpo_lessons.benchmarks.tradeoffs import Tradeoffs

    table = Tradeoffs(("error", "params"))
    history = hl.run(table, MOASHA(table.space, 1, 27, n_objectives=2, seed=0), total_budget=600, progress=False)
    front = history.pareto_front()
    assert front and all(t.budget == 27 for t in front)
    assert {t.budget for t in history} == {1, 3, 9, 27}


def test_chebyshev_closed_form_and_parego_is_seeded():
    # max_j w_j f_j + rho sum_j w_j f_j
    assert chebyshev(np.array([[0.2, 0.8]]), np.array([0.3, 0.7]), rho=0.1).tolist() == pytest.approx([0.56 + 0.062])

    def search(seed):
        opt = hl.ParEGO(space(), n_objectives=2, seed=seed, n_initial=4, n_candidates=100)
        return [t.params for t in hl.run(zdt1, opt, n_trials=8, directions=["minimize"] * 2, progress=False)]

    assert search(0) == search(0)
    assert np.allclose(np.sum(hl.ParEGO(space(), seed=0).rng.dirichlet(np.ones(2))), 1.0)


def test_random_front_is_random_search():
    a = hl.run(zdt1, RandomFront(space(), n_objectives=2, seed=0), n_trials=5, directions=["minimize"] * 2,
               progress=False)
    b = hl.run(lambda p: zdt1(p)[0], hl.RandomSearch(space(), seed=0), n_trials=5, progress=False)
    assert [t.params for t in a] == [t.params for t in b]


# -- bad input ------------------------------------------------------------------------------------------
def test_run_refuses_a_single_objective_method_given_several_directions():
    calls = []
    with pytest.raises(ValueError, match="optimizes 1 objective"):
        hl.run(lambda p: calls.append(p) or [1.0, 2.0], hl.RandomSearch(space(), seed=0), n_trials=3,
               directions=["minimize", "maximize"], progress=False)
    with pytest.raises(ValueError, match="optimizes 2 objective"):
        hl.run(zdt1, hl.NSGAII(space(), seed=0), n_trials=3, directions=["minimize"] * 3, progress=False)
    assert calls == []  # refused before any trial


def test_directions_contradicting_the_objectives_are_refused_before_any_trial():
    calls = []

    def objective(p):
        calls.append(p)
        return zdt1(p)

    objective.directions = ["minimize", "minimize"]
    with pytest.raises(ValueError, match="contradicts the objective"):
        hl.run(objective, hl.NSGAII(space(), seed=0), n_trials=3, directions=["maximize", "minimize"], progress=False)
    assert calls == []


def test_wrong_length_wrong_type_and_nan_values_are_failed_trials_and_the_search_goes_on():
    answers = iter([[1.0], "bad", [0.5, math.nan], [0.2, 0.3], [0.1, 0.9, 3.0], [0.3, 0.1]])

    def objective(p):
        return next(answers)

    history = hl.run(objective, hl.NSGAII(space(), seed=0, population_size=4), n_trials=6,
                     directions=["minimize", "minimize"], progress=False)
    assert [t.ok for t in history] == [False, False, False, True, False, True]
    assert "2 objective" in history[0].error
    assert [t.value for t in history.pareto_front()] == [[0.2, 0.3], [0.3, 0.1]]


def test_optimizer_settings_are_checked():
    for bad in (dict(n_objectives=1), dict(population_size=1), dict(crossover="one-point"),
                dict(mutation_rate=2.0), dict(n_objectives=True)):
        with pytest.raises(ValueError):
            hl.NSGAII(space(), **bad)
    with pytest.raises(ValueError, match="n_objectives"):
        MOASHA(space(), 1, 9, n_objectives=1)
    with pytest.raises(ValueError, match="n_objectives"):
        hl.ParEGO(space(), n_objectives=1)


def test_optuna_adapter_takes_several_objectives_and_refuses_a_pruner_for_them():
    from hpo_lessons.frameworks.optuna_adapter import OptunaOptimizer

    opt = OptunaOptimizer(space(), "nsga2", seed=0, n_objectives=2, population_size=4)
    history = hl.run(zdt1, opt, n_trials=8, directions=["minimize", "maximize"], progress=False)
    told = [t.values for t in opt.study.trials]
    assert told == [[t.value[0], -t.value[1]] for t in history]  # minimized, as every method is told
    with pytest.raises(ValueError, match="cannot prune"):
        OptunaOptimizer(space(), "tpe", seed=0, n_objectives=2, pruner=optuna.pruners.MedianPruner())


def test_journal_resumes_a_multi_objective_search(tmp_path):
    path = tmp_path / "nsga2.jsonl"
    whole = hl.run(zdt1, hl.NSGAII(space(), seed=0, population_size=4), n_trials=12,
                   directions=["minimize"] * 2, progress=False)
    hl.run(zdt1, hl.NSGAII(space(), seed=0, population_size=4), n_trials=6, directions=["minimize"] * 2,
           journal=path, progress=False)
    resumed = hl.run(zdt1, hl.NSGAII(space(), seed=0, population_size=4), n_trials=12,
                     directions=["minimize"] * 2, journal=path, progress=False)
    assert [t.params for t in resumed] == [t.params for t in whole]
    assert np.allclose([t.value for t in resumed], [t.value for t in whole])


def test_nsga2_with_parallel_workers_serves_each_configuration_once():
    history = hl.run(zdt1, hl.NSGAII(space(), seed=0, population_size=6), n_trials=24, n_workers=3,
                     directions=["minimize"] * 2, progress=False)
    keys = [hl.Space.key(space(), t.params) for t in history]
    assert len(history) == 24 and len(set(keys)) == 24 and history.pareto_front()


@pytest.mark.slow
def test_keras_tuner_sum_scores_trials_with_keras_tuners_own_multi_objective():
    """Reference: keras_tuner's MultiObjective (the sum of minimized objectives) and its get_best_trials."""
    pytest.importorskip("keras_tuner")
    from hpo_lessons.frameworks.kt_summed import KerasTunerSum

    opt = KerasTunerSum(space(), "random", seed=0, n_objectives=2)
    history = hl.run(zdt1, opt, n_trials=10, directions=["minimize", "maximize"], progress=False)
    scores = sorted(t.score for t in opt.oracle.trials.values())
    assert np.allclose(scores, sorted(t.value[0] - t.value[1] for t in history))  # maximized: subtracted
    best = min(history, key=lambda t: t.value[0] - t.value[1])
    assert opt.best(1) == [best.params]
