"""Wall time and speed-up of a search with 1, 2 and 4 workers: sleeping trials, then real Keras trials.

1. A sleeping objective (``--pause`` seconds per trial) on threads: the loop's own cost shows as
   the worker-seconds per trial not spent in the objective, (workers x wall - busy) / trials.
   With an objective that returns at once, wall / trials is the loop's overhead per trial
   (goal: under 5 ms).
2. Real Keras trials (``KerasObjective(load_data("digits"), epochs=--epochs)``, the same
   configurations for every worker count) on worker processes: ``executor="processes"`` (a
   fresh pool per search, so each worker's TensorFlow start-up is part of the wall time), a
   warm process pool passed in (each process started and one network trained before the
   clock starts, so every count sees processes in the same state), and a warm Dask
   ``LocalCluster`` of worker processes through ``Client(cluster).get_executor()``.
   Goal: at least 1.3x with 2 workers on 2 cores.

    python benchmarks/parallel_speedup.py                       # about four minutes on 2 idle cores
    python benchmarks/parallel_speedup.py --trials 8 --epochs 4 --no-keras

Not a test: it prints the tables and the load average (the machine may be shared), and exits 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

import hpo_lessons as hl

SPACE = hl.Space(learning_rate=hl.Real(1e-3, 1e-2, log=True), units=hl.Integer(32, 128, log=True))
PAUSE = 0.1


def instant(params):
    return (params["units"] - 64) ** 2 / 4096 + params["learning_rate"]


def sleeping(params):
    time.sleep(PAUSE)
    return instant(params)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def search(objective, n_trials: int, n_workers: int, executor) -> tuple[float, hl.History]:
    start = time.perf_counter()
    history = hl.run(objective, hl.RandomSearch(SPACE, seed=0), n_trials=n_trials, n_workers=n_workers,
                     executor=executor, progress=False)
    return time.perf_counter() - start, history


def table(title: str, rows: list[tuple], header: tuple) -> None:
    print(f"\n{title}")
    print("  ".join(f"{h:>12s}" for h in header))
    for row in rows:
        print("  ".join(f"{v:>12.3f}" if isinstance(v, float) else f"{v!s:>12s}" for v in row))


def sleeping_part(n_trials: int, workers: list[int]) -> float:
    rows, base = [], None
    for n in workers:
        wall, history = search(sleeping, n_trials, n, "threads" if n > 1 else None)
        base = base or wall
        busy = sum(t.duration for t in history)
        rows.append((n, wall, base / wall, float(n), 1000 * (n * wall - busy) / n_trials))
    table(f"sleeping objective: {n_trials} trials of {PAUSE} s, random search on threads",
          rows, ("workers", "wall s", "speed-up", "ideal", "ms/trial lost"))
    trials = 1000
    wall, _ = search(instant, trials, 1, None)
    overhead = 1000 * wall / trials
    print(f"loop overhead per trial (instant objective, {trials} trials, inline): {overhead:.2f} ms (goal < 5 ms)")
    return overhead


def keras_rows(objective, n_trials: int, workers: list[int], executor_for) -> list[tuple]:
    rows, base, reference = [], None, None
    for n in workers:
        wall, history = search(objective, n_trials, n, executor_for(n))
        configurations = [SPACE.key(t.params) for t in sorted(history, key=lambda t: t.id)]
        assert reference is None or configurations == reference, "every worker count trains the same networks"
        reference = configurations
        base = base or wall
        mean = sum(t.duration for t in history) / len(history)
        rows.append((n, wall, base / wall, mean, len({t.worker for t in history})))
    return rows


def keras_part(n_trials: int, epochs: int, workers: list[int]) -> dict[str, float]:
    from dask.distributed import Client, LocalCluster

    from hpo_lessons.core.workers import process_pool
    from hpo_lessons.keras_task import KerasObjective, load_data

    # resume=False: every call trains from scratch (by default a worker that trained a configuration
    # before answers it from its checkpoint at once, and every worker count runs the same configurations)
    objective = KerasObjective(load_data("digits"), epochs=epochs, seed=0, resume=False)
    header = ("workers", "wall s", "speed-up", "s per trial", "processes")
    about = f"{n_trials} Keras trials of {epochs} epochs on digits"
    speedups = {}

    rows = keras_rows(objective, n_trials, workers, lambda n: "processes")
    table(f'executor="processes" (a fresh pool per search, TensorFlow start-up included): {about}', rows, header)
    speedups["processes"] = rows[workers.index(2)][2] if 2 in workers else float("nan")

    most = max(workers)
    pool = process_pool(most, initializer=importlib.import_module, initargs=("hpo_lessons.keras_task",))
    search(objective, most, most, pool)  # start every process, import TensorFlow, train once: off the clock
    rows = keras_rows(objective, n_trials, workers, lambda n: pool)
    pool.shutdown()
    table(f"a warm process pool passed in: {about}", rows, header)
    speedups["warm pool"] = rows[workers.index(2)][2] if 2 in workers else float("nan")

    with LocalCluster(n_workers=most, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(importlib.import_module, "hpo_lessons.keras_task")  # TensorFlow in every worker
        search(objective, most, most, client.get_executor())  # one training each, off the clock
        rows = keras_rows(objective, n_trials, workers, lambda n: client.get_executor())
    table(f"a warm Dask LocalCluster ({most} worker processes, 1 thread each): {about}", rows, header)
    speedups["dask"] = rows[workers.index(2)][2] if 2 in workers else float("nan")
    return speedups


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=16, help="Keras trials per search (default 16)")
    parser.add_argument("--epochs", type=int, default=8, help="epochs per Keras trial (default 8, the quick profile)")
    parser.add_argument("--sleep-trials", type=int, default=32, help="sleeping trials per search (default 32)")
    parser.add_argument("--pause", type=float, default=PAUSE, help=f"seconds per sleeping trial (default {PAUSE})")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-keras", action="store_true", help="only the sleeping objective")
    args = parser.parse_args(argv)
    globals()["PAUSE"] = args.pause  # read by sleeping() at each call, on the threads of this process
    if args.workers[0] != 1:
        parser.error("--workers must start with 1: speed-ups are relative to one worker")
    print(f"before: {load()}")
    overhead = sleeping_part(args.sleep_trials, args.workers)
    ok = overhead < 5.0
    if not args.no_keras:
        speedups = keras_part(args.trials, args.epochs, args.workers)
        met = {name: s >= 1.3 for name, s in speedups.items()}
        print("\nspeed-up with 2 workers (goal >= 1.3x): "
              + ", ".join(f"{name} {speedups[name]:.2f}x ({'met' if m else 'missed'})" for name, m in met.items()))
        ok = ok and all(met.values())
    print(f"after: {load()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
