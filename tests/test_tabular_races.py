"""Races on the tabulated digits benchmark: multi-fidelity methods against random search at equal epochs
trained, and ASHA against synchronous successive halving on four simulated workers.

References: random search on the same table, seeds and epochs (the baseline the claims are about);
Mann-Whitney's U test (``scipy.stats.mannwhitneyu``) for whether regrets over seeds differ; the
table's recorded seconds, which the simulated clock replays; and the checkpoint rule of
``KerasObjective``, which ``experiments.analysis.epochs_spent`` computes from the trials alone.

What the data say (and these tests pin): by the *retrained* regret (the incumbent's mean
full-budget error over the two training seeds the search did not see, minus the best such
mean), Hyperband and ASHA reach a lower median regret than random search at 32 full trainings'
worth of epochs, significantly over 50 seeds. By the *same-seed* regret (the usual tabular
definition) their medians are lower too, but not distinguishable from random search's: on one
seed several configurations lie within an image or two of the best, and which is best is that
seed's noise. On four simulated workers ASHA keeps the workers busier and finishes the same
budget sooner than successive halving in every seed, but by about 0.65x, not the 0.6x hoped
for: each training on the table starts with about a second of model building, whatever its
budget, so a synchronous rung waits little; on synthetic curves without that start-up the
ratio drops below 0.6.
"""

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

import hpo_lessons as hl
from hpo_lessons import benchmarks, plots
from hpo_lessons.benchmarks.curves import LearningCurves
from hpo_lessons.compare import compare
from hpo_lessons.experiments import registry
from hpo_lessons.experiments.analysis import epochs_spent, full_budget_error, regret_by_epochs

SEEDS = 50
LEVEL = 864  # epochs trained: 32 full trainings of 27 epochs


def search(method, seed, until=None, budget=None, n_workers=1):
    """A search on a fresh table (training seed ``seed % 3``), until ``until`` epochs are trained."""
    table = benchmarks.tabular("digits-mlp", seed=seed % 3)
    optimizer = registry.make(method, table.space, seed=seed, objective=table)
    resume, trained = registry.get(method).needs_budget, [0]

    def stop(history, trial):
        trained[0] += trial.extras["epochs_trained"] if resume else trial.budget
        if until is not None and trained[0] >= until:
            raise hl.StopSearch

    history = hl.run(table, optimizer, total_budget=budget or 20 * until, n_workers=n_workers,
                     executor=hl.Simulated() if n_workers > 1 else None, callbacks=[stop], progress=False)
    return history, table


@pytest.fixture(scope="module")
def regrets():
    """{(method, view): regrets over SEEDS seeds at LEVEL epochs}, in percentage points."""
    out = {}
    for method in ("random", "hyperband", "asha"):
        for seed in range(SEEDS):
            history, table = search(method, seed, until=LEVEL)
            resume = registry.get(method).needs_budget
            assert epochs_spent(history, resume)[-1] >= LEVEL
            for view, retrained in [("same seed", False), ("retrained", True)]:
                final, minimum = full_budget_error(table, retrained)
                r = regret_by_epochs(history, final, minimum, [LEVEL], resume)[0]
                out.setdefault((method, view), []).append(100 * r)
    return {k: np.array(v) for k, v in out.items()}


@pytest.mark.parametrize("method", ["hyperband", "asha"])
def test_multi_fidelity_beats_random_search_by_the_retrained_regret(regrets, method):
    ours, random = regrets[method, "retrained"], regrets["random", "retrained"]
    assert np.median(ours) < np.median(random)
    assert mannwhitneyu(ours, random, alternative="less").pvalue < 0.05


@pytest.mark.parametrize("method", ["hyperband", "asha"])
def test_by_the_same_seed_regret_the_lower_median_is_within_the_noise(regrets, method):
    """The data say: a lower median, but not one the seeds can tell from random search's."""
    ours, random = regrets[method, "same seed"], regrets["random", "same seed"]
    assert np.median(ours) < np.median(random)
    assert mannwhitneyu(ours, random).pvalue > 0.05


def test_asha_keeps_four_workers_busier_and_finishes_the_same_budget_sooner():
    budget, rows = 432, []
    for seed in range(20):
        sh, _ = search("sh", seed, budget=budget, n_workers=4)
        asha, _ = search("asha", seed, budget=budget, n_workers=4)
        for h in (sh, asha):
            assert budget - 27 < h.budget_spent <= budget  # the same budget, to within one trial
        wall = [max(t.start + t.duration for t in h) for h in (sh, asha)]
        use = [plots.utilisation(h, 4) for h in (sh, asha)]
        assert use[1] > use[0] and wall[1] < wall[0]
        rows.append(wall[1] / wall[0])
    assert 0.6 < np.median(rows) < 0.8  # the 0.6x goal is not reached on this table: see the module docstring


def test_without_a_start_up_per_training_asha_needs_under_0_6_of_the_time():
    curves, ratios = LearningCurves(), []
    for seed in range(10):
        walls = []
        for method in ("sh", "asha"):
            h = hl.run(curves, registry.make(method, curves.space, seed=seed, objective=curves), total_budget=432,
                       n_workers=4, executor=hl.Simulated(), progress=False)
            walls.append(max(t.start + t.duration for t in h))
        ratios.append(walls[1] / walls[0])
    assert np.median(ratios) < 0.6


def test_compare_starts_each_search_on_a_table_without_checkpoints():
    """A later search must not resume what an earlier one trained on the same table (Tabular.clear_checkpoints)."""
    table = benchmarks.tabular("digits-mlp")
    _, runs = compare(table, table.space, ["sh", "hyperband"], total_budget=216, seeds=[0], return_histories=True,
                      progress=False)  # both draw their first 27 configurations from RandomSearch(seed=0)
    for history in runs.values():
        assert sum(t.extras["epochs_trained"] for t in history) == epochs_spent(history)[-1]


def test_keras_tuner_hyperband_runs_until_the_total_budget():
    """Defect: the registry kept Keras Tuner's single Hyperband iteration, so a search ended by total_budget
    stopped after one iteration (450 epochs counted) however large the budget."""
    table = benchmarks.tabular("digits-mlp")
    _, runs = compare(table, table.space, ["kt-hyperband"], total_budget=1000, seeds=[0], return_histories=True,
                      progress=False)
    assert runs["kt-hyperband", 0].budget_spent > 1000 - 27
