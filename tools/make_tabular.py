"""Generate the learning-curve table behind ``benchmarks.tabular("digits-mlp")``.

Every configuration of ``GRID`` is trained for ``EPOCHS`` epochs by ``KerasObjective`` on the
default digits split (``load_data("digits")``), once per seed in ``SEEDS``, with the test set
scored after every epoch. Per (configuration, seed, epoch) the table keeps the number of
validation and test images classified correctly (uint16) and the cumulative training seconds
(float32), in ``hpo_lessons/data/digits_mlp.npz`` with the grid, the settings and the
software versions in a JSON header.

Run on one core, in the background (about an hour on the machine that made the shipped table)::

    OMP_NUM_THREADS=1 nice -n 5 .venv/bin/python tools/make_tabular.py > build/tabular/log.txt 2>&1 &

Deterministic: the same software on the same CPU gives the same counts (the seconds are
measured, so they vary). Resumable: each finished row is appended to
``build/tabular/digits-mlp.partial.jsonl``; an interrupted run started again carries on
where it stopped. Rows run seed by seed, so a partial file holds whole seeds first.

A small table for a trial run or a test: ``--grid`` keeps only some values of ``GRID`` (JSON,
e.g. ``'{"units": [16], "n_layers": [1]}'``; the other hyperparameters keep all theirs),
``--seeds`` some of ``SEEDS`` and ``--epochs`` fewer epochs; each of its rows is then the start
of the shipped table's row for the same configuration and seed. Give it its own ``--work``
and ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shlex
import sys
import time

GRID = {  # KerasObjective hyperparameter names; every combination is one configuration
    "learning_rate": [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1],
    "units": [16, 64, 256],
    "n_layers": [1, 2, 3],
    "activation": ["relu", "tanh"],
    "dropout": [0.0, 0.3],
    "batch_size": [32, 128],
}
SEEDS = (0, 1, 2)
EPOCHS = 27
DATA = {"name": "digits"}  # load_data(**DATA): the course's default split
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "hpo_lessons", "data", "digits_mlp.npz")


def configurations(grid: dict = GRID) -> list[dict]:
    """The grid in the table's row order: ``itertools.product`` over ``grid`` in its key order."""
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def sub_grid(text: str | None) -> dict:
    """``GRID`` with the values ``text`` (JSON: name -> list of values) keeps, in ``GRID``'s order."""
    if text is None:
        return GRID
    try:
        keep = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"--grid must be JSON, e.g. '{{\"units\": [16]}}': {exc}") from None
    if not isinstance(keep, dict) or set(keep) - set(GRID):
        raise SystemExit(f"--grid must map some of {list(GRID)} to lists of their values; got {text}")
    grid = {}
    for name, values in GRID.items():
        chosen = keep.get(name, values)
        if not isinstance(chosen, list) or not chosen or any(v not in values for v in chosen):
            raise SystemExit(f"--grid: {name} must be a non-empty list of values from {values}; got {chosen!r}")
        grid[name] = [v for v in values if v in chosen]
    return grid


def check_subset(seeds: list[int], epochs: int) -> None:
    """``--seeds`` and ``--epochs`` may only shrink the table, so its rows stay the shipped table's."""
    if not seeds or any(s not in SEEDS for s in seeds) or len(set(seeds)) < len(seeds):
        raise SystemExit(f"--seeds must be distinct values from {list(SEEDS)}; got {seeds}")
    if not 1 <= epochs <= EPOCHS:
        raise SystemExit(f"--epochs must be between 1 and {EPOCHS}; got {epochs}")


def one_thread() -> None:
    """One core for TensorFlow (set before its first op) and for BLAS, so timings and load are one core's."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def header(grid: dict = GRID, seeds=SEEDS, epochs: int = EPOCHS) -> dict:
    import keras
    import numpy
    import sklearn
    import tensorflow as tf

    return {"name": "digits-mlp", "grid": grid, "seeds": list(seeds), "epochs": epochs, "data": DATA,
            "objective": {"metric": "val_accuracy", "record_test": True, "jit_compile": "auto"},
            "order": "configurations: itertools.product over grid in key order; axes (configuration, seed, epoch)",
            "versions": {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
                         "numpy": numpy.__version__, "scikit-learn": sklearn.__version__},
            "cpu": cpu(), "threads": 1, "command": "OMP_NUM_THREADS=1 nice -n 5 python tools/make_tabular.py"}


def train_row(objective, params: dict, epochs: int = EPOCHS) -> dict:
    """One configuration for ``epochs`` epochs: correct counts and cumulative seconds per epoch."""
    data = objective.data
    try:
        result = objective(params, budget=epochs)
    except FloatingPointError as exc:  # a diverging configuration stays in the table as a failure
        return {"failed": str(exc)}
    history = result["history"]
    return {"val": [round(a * len(data.y_val)) for a in history["val_accuracy"]],
            "test": [round(a * len(data.y_test)) for a in history["test_accuracy"]],
            "seconds": [round(s, 4) for s in result["elapsed"]]}


def read_partial(path: str, head: dict) -> dict:
    done = {}
    if not os.path.exists(path):
        return done
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    if not lines or {k: lines[0].get(k) for k in ("grid", "seeds", "epochs", "data")} != {
            k: head[k] for k in ("grid", "seeds", "epochs", "data")}:
        sys.exit(f"{path} was made for another grid; remove it to start again.")
    for row in lines[1:]:
        done[(row["config"], row["seed"])] = row
    return done


def assemble(head: dict, rows: dict, n_val: int, n_test: int, out: str) -> None:
    import numpy as np

    seeds = head["seeds"]
    shape = (len(configurations(head["grid"])), len(seeds), head["epochs"])
    val, test = np.zeros(shape, np.uint16), np.zeros(shape, np.uint16)
    seconds, failed = np.zeros(shape, np.float32), np.zeros(shape[:2], bool)
    for (i, seed), row in rows.items():
        s = seeds.index(seed)
        if "failed" in row:
            failed[i, s] = True
            continue
        val[i, s], test[i, s], seconds[i, s] = row["val"], row["test"], row["seconds"]
    meta = {**head, "n_val": n_val, "n_test": n_test, "failed": int(failed.sum())}
    os.makedirs(os.path.dirname(out), exist_ok=True)
    np.savez_compressed(out, header=np.frombuffer(json.dumps(meta).encode(), np.uint8), val_correct=val,
                        test_correct=test, seconds=seconds, failed=failed)


def summary() -> None:
    """What the shipped table holds: size, time, best and typical errors, seed noise, how well early epochs rank."""
    import numpy as np
    from scipy.stats import spearmanr

    from hpo_lessons import benchmarks

    table = benchmarks.tabular("digits-mlp")
    error, seconds, head = table.curves("value"), table.curves("seconds"), table.header
    print(f"{table}: {os.path.getsize(OUT) / 1024:.0f} kB; {head['versions']}; {head['cpu']}")
    print(f"training time in the table: {seconds[:, :, -1].sum() / 60:.0f} min ({np.median(seconds[:, :, -1]):.2f} s "
          f"median per 27-epoch run, first epoch {np.median(seconds[:, :, 0]):.2f} s); failed rows: {head['failed']}")
    final = error[:, :, -1]
    for s, seed in enumerate(table.seeds):
        t = table.with_seed(seed)
        print(f"seed {seed}: best validation error {t.minimum:.4f} at {t.argmin}; median {np.median(final[:, s]):.4f}")
    print(f"seed-to-seed spread of the final error (std over seeds, median over configurations): "
          f"{np.median(final.std(axis=1, ddof=1)):.4f}")
    mean = error.mean(axis=1)
    for epoch in (1, 3, 9):
        rho = spearmanr(mean[:, epoch - 1], mean[:, -1]).statistic
        print(f"Spearman rank correlation of the seed-mean error at epoch {epoch} with epoch 27: {rho:.3f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "tabular"), help="partial results go here")
    parser.add_argument("--out", default=OUT, help="the finished table")
    parser.add_argument("--limit", type=int, default=None, help="stop after this many new rows (for a trial run)")
    parser.add_argument("--grid", default=None, help="JSON: keep only these values of some hyperparameters")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="train only these seeds")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="train fewer epochs")
    parser.add_argument("--summary", action="store_true", help="describe the shipped table and stop")
    args = parser.parse_args(argv)
    if args.summary:
        return summary()
    grid, seeds, epochs = sub_grid(args.grid), args.seeds, args.epochs
    check_subset(seeds, epochs)
    one_thread()
    from hpo_lessons import keras_task as kt

    data = kt.load_data(**DATA)
    head = header(grid, seeds, epochs)
    if (grid, seeds, epochs) != (GRID, list(SEEDS), EPOCHS):  # a small table says how it was made
        head["command"] += " " + shlex.join(sys.argv[1:] if argv is None else argv)
    os.makedirs(args.work, exist_ok=True)
    partial = os.path.join(args.work, "digits-mlp.partial.jsonl")
    rows = read_partial(partial, head)
    if not rows and not os.path.exists(partial):
        with open(partial, "w") as f:
            f.write(json.dumps(head) + "\n")
    configs = configurations(grid)
    todo = [(i, seed) for seed in seeds for i in range(len(configs)) if (i, seed) not in rows]
    print(f"{len(rows)} of {len(configs) * len(seeds)} rows done; {len(todo)} to go", flush=True)
    objectives = {seed: kt.KerasObjective(data, epochs=epochs, seed=seed, record_test=True, resume=False)
                  for seed in seeds}
    start = time.perf_counter()
    for k, (i, seed) in enumerate(todo[:args.limit]):
        row = {"config": i, "seed": seed, **train_row(objectives[seed], configs[i], epochs)}
        with open(partial, "a") as f:
            f.write(json.dumps(row) + "\n")
        rows[(i, seed)] = row
        spent = time.perf_counter() - start
        left = spent / (k + 1) * (len(todo) - k - 1)
        print(f"row {k + 1}/{len(todo)} config {i} seed {seed}: {spent:.0f} s so far, about {left / 60:.0f} min left"
              + (f"; FAILED {row['failed']}" if "failed" in row else ""), flush=True)
    if len(rows) == len(configs) * len(seeds):
        assemble(head, rows, len(data.y_val), len(data.y_test), args.out)
        print(f"wrote {args.out} ({os.path.getsize(args.out) / 1024:.0f} kB)", flush=True)


if __name__ == "__main__":
    main()
