"""A search on a real Dask cluster: worker processes on this machine, as on a cluster of machines.

Reference: the process ids the trials report (``trial.worker`` is host/pid/thread), against the
test's own process and the cluster's workers as the scheduler lists them; the values against
the objective evaluated here.
"""

import os
import time

import pytest

import hpo_lessons as hl
from hpo_lessons.methods.base import Optimizer

distributed = pytest.importorskip("dask.distributed", reason="Dask is the 'distributed' extra: "
                                  "pip install 'hpo-lessons[distributed]'")

SPACE = hl.Space(x=hl.Real(0.0, 1.0), units=hl.Integer(8, 64, log=True))


def value(params):
    return (params["x"] - 0.25) ** 2 + abs(params["units"] - 32) / 32


def objective(params):
    time.sleep(0.2)  # long enough that both workers get trials
    return value(params)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.slow
def test_a_search_runs_its_trials_in_the_dask_worker_processes(client):
    worker_pids = set(client.run(os.getpid).values())
    history = hl.run(objective, hl.RandomSearch(SPACE, seed=0), n_trials=8, n_workers=2,
                     executor=client.get_executor(), progress=False)
    assert len(history) == 8 and all(t.ok for t in history)
    assert sorted(t.id for t in history) == list(range(8))
    assert [t.value for t in history] == [value(t.params) for t in history]
    pids = {int(t.worker.split("/")[1]) for t in history}
    assert os.getpid() not in pids
    assert pids == worker_pids and len(pids) == 2


@pytest.mark.slow
def test_a_generational_ga_waits_for_its_generation_on_dask_too(client):
    ga = hl.GeneticAlgorithm(SPACE, population_size=4, seed=0)
    history = hl.run(objective, ga, n_trials=10, n_workers=2, executor=client.get_executor(), progress=False)
    assert len(history) == 10 and len({SPACE.key(t.params) for t in history}) == 10
    assert ga.generation == 2  # 4 + 3 + 3 trials (one elite carried over each time)


class SameTwice(Optimizer):
    """Proposes one configuration again and again, as a method without a duplicate check may."""

    def ask(self):
        return self._suggest({"x": 0.5, "units": 32})


def two_of_the_same(executor):
    return hl.run(objective, SameTwice(SPACE), n_trials=2, n_workers=2, executor=executor, progress=False)


@pytest.mark.slow
def test_two_trials_of_one_configuration_both_run_on_the_default_dask_executor(client):
    """Defect: Dask's submit defaults to pure=True, so two trials with the same params and budget in flight
    shared one task key and one training; run now submits every trial with pure=False."""
    first, second = two_of_the_same(client.get_executor())
    assert (first.start, first.worker) != (second.start, second.worker)


@pytest.mark.slow
def test_two_trials_of_one_configuration_both_run_with_pure_false(client):
    """An executor made with pure=False keeps it (run does not pass it twice)."""
    first, second = two_of_the_same(client.get_executor(pure=False))
    assert (first.start, first.worker) != (second.start, second.worker)
