"""``experiments.table_search``: one paired search on the learning-curve table, and many at once.

The reference for ``search`` is the loop written out by hand with ``hl.run`` and a callback that
stops at the epochs trained (what chapter 9 teaches); for ``searches`` with worker processes,
the same searches run one after another in this process.
"""

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.experiments import registry, table_search


def by_hand(method, seed, until):
    table = benchmarks.tabular("digits-mlp", seed=seed % 3)
    optimizer = registry.make(method, table.space, seed=seed, objective=table)
    trained = [0]

    def stop(history, trial):
        trained[0] += trial.extras["epochs_trained"] if registry.get(method).needs_budget else trial.budget
        if trained[0] >= until:
            raise hl.StopSearch

    return hl.run(table, optimizer, total_budget=20 * until, callbacks=[stop], progress=False)


@pytest.mark.parametrize("method", ["random", "hyperband"])
def test_a_search_is_the_loop_written_out(method):
    history, table = table_search.search(method, seed=4, until=216)
    reference = by_hand(method, 4, 216)
    assert [t.params for t in history] == [t.params for t in reference]
    assert [t.value for t in history] == [t.value for t in reference]
    assert table.seed == 4 % 3  # search 4 reads training seed 1


def test_the_search_ends_at_the_epochs_trained():
    history, _ = table_search.search("hyperband", seed=0, until=216)
    trained = np.cumsum([t.extras["epochs_trained"] for t in history])
    assert trained[-1] >= 216 > trained[-2]
    charged, _ = table_search.search("random", seed=0, budget=108)
    assert sum(t.budget for t in charged) <= 108 and len(charged) == 4  # 4 full trainings of 27 epochs


@pytest.mark.slow
def test_searches_in_worker_processes_are_the_searches_alone():
    tasks = [(m, s) for m in ("bohb", "sh", "genetic") for s in range(3)]
    settings = {"genetic": {"population_size": 2}}
    alone = table_search.searches(tasks, until=108, method_kwargs=settings)
    together = table_search.searches(tasks, until=108, n_jobs=2, method_kwargs=settings)
    default = table_search.search("genetic", 0, until=108)[0]  # population 10: four random configurations
    assert [t.params for t in alone["genetic", 0]] != [t.params for t in default]  # the setting reached the GA
    assert list(together) == tasks
    for key in tasks:
        assert [(t.params, t.value, t.budget) for t in together[key]] == [(t.params, t.value, t.budget)
                                                                        for t in alone[key]]


@pytest.mark.parametrize("call, message", [
    (lambda: table_search.search("random", 0), "give budget"),
    (lambda: table_search.search("random", 0, until=-1), "until must be a positive number"),
    (lambda: table_search.search("random", 0, budget="lots"), "budget must be a positive number"),
    (lambda: table_search.search("random", 0, until=27, n_workers=0), "n_workers must be an int"),
    (lambda: table_search.searches([("random", 0), ("hyperbnd", 1)], until=27), "unknown method 'hyperbnd'"),
    (lambda: table_search.searches([("random", -1)], until=27), "seed must be an int >= 0"),
    (lambda: table_search.searches([("random", 0)], until=27, n_jobs=0), "n_jobs must be an int >= 1"),
])
def test_bad_input_is_refused_before_any_search(call, message):
    with pytest.raises(ValueError, match=message):
        call()
