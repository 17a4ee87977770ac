"""The GPU check on one Keras backend: trials per minute, a Keras Tuner search against one of ours, memory.

Run by tools/gpu_check.sh once per backend (``KERAS_BACKEND`` = jax, torch or tensorflow), each in a
process of its own, on data the size of MNIST made on the spot (nothing can be downloaded on the
GPU machine): 60,000 random 28x28 images (48,000 to train, 12,000 to validate, as the ``full``
profile splits MNIST's training set) plus 10,000 to test, labelled by a fixed random linear map of
their pixels, so that a network has something to learn. Measured:

1. ``trials_per_minute``: the ``full`` profile's trials (its epochs and batch size; networks drawn
   from ``keras_task.default_space()`` by a random search with seed 0, so every run trains the same
   networks in the same order), after one warm-up trial that pays the backend's start-up (CUDA,
   the first compilations); ``trials`` of them, or fewer if ``seconds`` run out. The table compares
   runs on the trials they all completed.
2. ``ours`` and ``keras_tuner``: this package's Hyperband and Keras Tuner's (through
   ``frameworks.run_keras_tuner``) on the same total budget in epochs, with checkpoints.
3. ``memory``: many small trials in one process, the device's memory in use after each (JAX:
   ``memory_stats()["bytes_in_use"]``; PyTorch: ``torch.cuda.memory_allocated``; TensorFlow:
   ``get_memory_info``) and the process's resident memory, with the growth per trial (a least-squares
   slope after a warm-up), which must stay flat.

``--device cpu`` hides the GPU from the backend, for the CPU figures to compare with.
``--smoke`` shrinks everything to seconds (tests/test_backends.py runs it on a CPU).
``--table a.json b.json ...`` prints the table of earlier runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

SIZES = {  # trial budgets from the full profile (epochs 10, batch 128); search and memory sized to fit a lent hour
    "full": {"n_train": 48000, "n_val": 12000, "n_test": 10000, "epochs": 10, "batch_size": 128, "trials": 6,
             "seconds": 150, "search_max_epochs": 9, "search_budget": 27, "memory_trials": 30, "memory_n": 6000},
    "smoke": {"n_train": 600, "n_val": 200, "n_test": 200, "epochs": 2, "batch_size": 64, "trials": 2,
              "seconds": 60, "search_max_epochs": 3, "search_budget": 6, "memory_trials": 8, "memory_n": 300},
}
MEMORY_WARM_UP = 3  # trials before the memory slope is fitted (one-time allocations, first compilations)


def hide_gpu(backend: str) -> None:
    """Before the backend starts: make it see no GPU."""
    if backend == "jax":
        os.environ["JAX_PLATFORMS"] = "cpu"
    else:
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1" if backend == "tensorflow" else ""


def mnist_sized(n_train: int, n_val: int, n_test: int, seed: int = 0):
    """A ``Dataset`` of random 28x28x1 images in [0, 1), classes 0..9 given by a fixed linear map of the pixels."""
    import numpy as np

    from hpo_lessons.datasets import Dataset

    rng = np.random.default_rng(seed)
    n = n_train + n_val + n_test
    x = rng.random((n, 28, 28, 1), dtype=np.float32)
    weights = rng.normal(size=(28 * 28, 10)).astype(np.float32)
    y = np.argmax((x.reshape(n, -1) - 0.5) @ weights, axis=1).astype(np.int32)
    a, b = n_train, n_train + n_val
    return Dataset(x[:a], y[:a], x[a:b], y[a:b], x[b:], y[b:], (28, 28, 1), 10, "mnist-sized random images",
                   tuple(range(10)))


def device_memory() -> float | None:
    """Bytes in use on the first GPU, in MiB (None on a CPU)."""
    from hpo_lessons import backend

    if backend.BACKEND == "jax":
        import jax

        gpus = [d for d in jax.devices() if d.platform != "cpu"]
        stats = gpus[0].memory_stats() if gpus else None
        return stats["bytes_in_use"] / 2**20 if stats else None
    if backend.BACKEND == "torch":
        import torch

        return torch.cuda.memory_allocated(0) / 2**20 if torch.cuda.is_available() else None
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        return None
    return tf.config.experimental.get_memory_info("GPU:0")["current"] / 2**20


def slope(values: list) -> float | None:
    """Least-squares growth per trial of ``values`` after the warm-up (None when too short or unknown)."""
    import numpy as np

    tail = values[MEMORY_WARM_UP:]
    if len(tail) < 3 or any(v is None for v in tail):
        return None
    return float(np.polyfit(np.arange(len(tail)), tail, 1)[0])


def throughput(data, size: dict) -> dict:
    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt

    objective = kt.KerasObjective(data, epochs=size["epochs"], batch_size=size["batch_size"], seed=0, resume=False)
    start = time.perf_counter()
    objective({"units": 64})  # warm-up: CUDA start-up and the first compilations
    warm_up = time.perf_counter() - start
    history = hl.run(objective, hl.RandomSearch(kt.default_space(), seed=0), n_trials=size["trials"],
                     timeout=size["seconds"], progress=False)
    seconds = [t.duration for t in history.completed]
    return {"trials": len(seconds), "seconds": sum(seconds), "trial_seconds": seconds, "warm_up_s": warm_up,
            "trials_per_minute": 60 * len(seconds) / sum(seconds) if seconds else 0.0,
            "epochs_per_second": len(seconds) * size["epochs"] / sum(seconds) if seconds else 0.0,
            "failed": len(history.failed), "best": history.best_value if history.completed else None}


def searches(data, size: dict) -> dict:
    """This package's Hyperband and Keras Tuner's, each on its own objective, with the same total budget in epochs."""
    import hpo_lessons as hl
    from hpo_lessons import frameworks as fw
    from hpo_lessons import keras_task as kt

    top, budget, space = size["search_max_epochs"], size["search_budget"], kt.default_space()
    out = {}
    for name in ("ours", "keras_tuner"):
        objective = kt.KerasObjective(data, epochs=top, batch_size=size["batch_size"], seed=0)
        start = time.perf_counter()
        if name == "ours":
            history = hl.run(objective, hl.Hyperband(space, min_budget=1, max_budget=top, eta=3, seed=0),
                             total_budget=budget, progress=False)
        else:
            history = fw.run_keras_tuner(objective, space, "hyperband", n_trials=None, seed=0, factor=3,
                                         total_budget=budget)
        out[name] = {"method": history.name, "trials": len(history), "epochs": history.budget_spent,
                     "trained": sum(t.extras.get("epochs_trained", 0) for t in history.completed),
                     "seconds": time.perf_counter() - start, "failed": len(history.failed),
                     "best": history.best_value if history.completed else None}
    return out


def memory(size: dict) -> dict:
    import psutil

    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt

    n = size["memory_n"]
    data = mnist_sized(n, n // 4, n // 4, seed=1)
    objective = kt.KerasObjective(data, epochs=1, batch_size=size["batch_size"], seed=0)
    process, device, rss = psutil.Process(), [], []

    def record(history, trial):
        device.append(device_memory())
        rss.append(process.memory_info().rss / 2**20)

    history = hl.run(objective, hl.RandomSearch(kt.default_space(), seed=1), n_trials=size["memory_trials"],
                     progress=False, callbacks=[record])
    return {"trials": len(history.completed), "device_mib": device, "rss_mib": rss,
            "device_mib_per_trial": slope(device), "rss_mib_per_trial": slope(rss)}


def measure(args) -> dict:
    size = SIZES["smoke" if args.smoke else "full"]
    from hpo_lessons import backend
    from hpo_lessons import keras_task as kt

    info = kt.setup_backend()
    device = "gpu" if info["count"] else "cpu"
    data = mnist_sized(size["n_train"], size["n_val"], size["n_test"])
    report = {"backend": backend.BACKEND, "version": info["version"], "keras": info["keras"], "device": device,
              "gpu": info["names"][0] if info["names"] else None, "machine": platform.node(),
              "cpus": os.cpu_count(), "smoke": args.smoke, "sizes": size, "date": time.strftime("%Y-%m-%d %H:%M")}
    for part in args.parts.split(","):
        start = time.perf_counter()
        if part == "throughput":
            report["trials_per_minute"] = throughput(data, size)
        elif part == "search":
            report.update(searches(data, size))
        elif part == "memory":
            report["memory"] = memory(size)
        print(f"gpu_check: {backend.BACKEND} on {device}: {part} took {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)
    return report


def fmt(value, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def table(reports: list) -> str:
    """One row per report; trials per minute over the first k trials, k the fewest that any report completed
    (the same networks everywhere: the random search is seeded)."""
    counts = [len(r["trials_per_minute"]["trial_seconds"]) for r in reports if "trials_per_minute" in r]
    k = min(counts) if counts else 0
    lines = [f"{'backend':11s} {'device':28s} {f'trials/min (first {k})':>20s} {'s/trial':>8s} "
             f"{'ours: trials, s, best':>22s} {'Keras Tuner: trials, s, best':>29s} {'GPU MiB/trial':>13s} "
             f"{'RSS MiB/trial':>13s}"]
    for r in reports:
        where = f"{r['device']} {r.get('gpu') or ''} ({r['machine']}, {r['cpus']} CPUs)"[:28]
        first = r.get("trials_per_minute", {}).get("trial_seconds", [])[:k]
        per_trial = sum(first) / k if k and len(first) == k else None
        searched = ["{}, {}, {}".format(r[key]["trials"], fmt(r[key]["seconds"], ".0f"), fmt(r[key]["best"], ".3f"))
                    if key in r else "-" for key in ("ours", "keras_tuner")]
        mem = r.get("memory", {})
        lines.append(f"{r['backend']:11s} {where:28s} {fmt(60 / per_trial if per_trial else None):>20s} "
                     f"{fmt(per_trial, '.1f'):>8s} {searched[0]:>22s} {searched[1]:>29s} "
                     f"{fmt(mem.get('device_mib_per_trial'), '+.3f'):>13s} "
                     f"{fmt(mem.get('rss_mib_per_trial'), '+.3f'):>13s}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="toy sizes: seconds, on any machine")
    parser.add_argument("--device", choices=["gpu", "cpu"], default="gpu", help="cpu hides the GPU from the backend")
    parser.add_argument("--parts", default="throughput,search,memory", help="comma-separated: throughput,search,memory")
    parser.add_argument("--out", help="write the report as JSON here")
    parser.add_argument("--table", nargs="+", metavar="JSON", help="print the table of these reports and exit")
    args = parser.parse_args(argv)
    if args.table:
        reports = []
        for path in args.table:
            with open(path) as f:
                reports.append(json.load(f))
        print(table(reports))
        return 0
    unknown = set(args.parts.split(",")) - {"throughput", "search", "memory"}
    if unknown:
        parser.error(f"--parts: unknown {sorted(unknown)}; use throughput, search and/or memory")
    if args.device == "cpu":
        hide_gpu(os.environ.get("KERAS_BACKEND", "tensorflow"))
    report = measure(args)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1)
    print(table([report]))
    print("trials per minute: full-profile trials (10 epochs, batch 128, 48,000 images) from a random search"
          if not args.smoke else "trials per minute: smoke sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
