"""The GPU check on one Keras backend: trials per minute, memory over many trials, a Keras Tuner search against ours.

Run by tools/gpu_check.sh once per backend (``KERAS_BACKEND`` = jax, torch or tensorflow), each in a
process of its own, on data the size of MNIST made on the spot (nothing can be downloaded on the
GPU machine): 60,000 random 28x28 images (48,000 to train, 12,000 to validate, as the ``full``
profile splits MNIST's training set) plus 10,000 to test, labelled by a fixed random linear map of
their pixels, so that a network has something to learn. Parts, in the order given by ``--parts``:

1. ``throughput``: the ``full`` profile's trials (its epochs and batch size; networks drawn from
   ``keras_task.default_space()`` by a random search with seed 0, so every run trains the same
   networks in the same order), after one warm-up trial that pays the backend's start-up (CUDA,
   the first compilations). The table compares runs on the trials they all completed.
2. ``memory``: many small trials in one process (1 epoch on 6,000 images, no checkpoints kept),
   the device's memory in use after each (JAX: ``memory_stats()["bytes_in_use"]``; PyTorch:
   ``torch.cuda.memory_allocated``; TensorFlow: ``get_memory_info``) and the process's resident
   memory, the growth per trial (a least-squares slope after ``MEMORY_WARM_UP`` trials; for resident
   memory, over the later half of those, past the allocator's early high-water steps) and the
   verdict: flat when at most ``FLAT_MIB_PER_TRIAL``, given ``VERDICT_MIN_TRIALS`` fitted trials.
3. ``search``: this package's Hyperband and Keras Tuner's (through ``frameworks.run_keras_tuner``)
   on the same total budget in epochs, with checkpoints.

CPU-only parts, for the figures the GPU's are compared with (``tools/gpu_check.sh --cpu``):

4. ``digits``: a 27-epoch trial on the digits (chapter 1's network, the quick profile's batch of
   32), and a promotion from 3 to 9 epochs against 9 straight epochs (bit for bit or not).
5. ``memory_test``: tests/test_keras_memory.py's measurement (100 trials on the digits, resident
   memory from trial 10 to 100), run as that script, so the figure and the test are one.

``--deadline`` bounds the whole process (tools/gpu_check.sh passes one): each part then has a time
limit (the ``*_s`` of ``SIZES``, less if the deadline comes first), a part that reaches it is cut
short (a search or a loop of trials starts no new trial) and one with no time left is skipped,
and the report says what was cut. Without a deadline (the CPU mode) every part runs in full.
The report is rewritten (atomically) after every trial of the throughput and memory parts and
after every other part, so a process killed from outside keeps what it measured; ``finished``
is true only when every part ran.

``--device cpu`` hides the GPU from the backend. ``--smoke`` shrinks everything to seconds
(tests/test_backends.py runs it on a CPU). ``--table a.json b.json ...`` prints the table of earlier runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = time.monotonic()  # the deadline counts from here: imports and the backend's start-up are part of it
# Trial budgets from the full profile (epochs 10, batch 128). Time limits per part (the *_s keys) sized so
# that jax and torch together fit one device command of about 480 s, with gpu_check.sh's 180 s per backend.
SIZES = {
    "full": {"n_train": 48000, "n_val": 12000, "n_test": 10000, "epochs": 10, "batch_size": 128,
             "trials": 6, "throughput_s": 35, "memory_trials": 60, "memory_n": 6000, "memory_s": 75,
             "search_max_epochs": 9, "search_budget": 27, "search_s": 45, "digits_epochs": 27},
    "smoke": {"n_train": 600, "n_val": 200, "n_test": 200, "epochs": 2, "batch_size": 64,
              "trials": 2, "throughput_s": 300, "memory_trials": 12, "memory_n": 300, "memory_s": 300,
              "search_max_epochs": 3, "search_budget": 6, "search_s": 300, "digits_epochs": 3},
}
MEMORY_WARM_UP = 5  # trials before the memory slope is fitted (one-time allocations, first compilations)
# Growth per trial (MiB) under which memory counts as flat. Device: a search that kept every trial's network
# would keep at least the smallest network default_space() draws (784 -> 16 -> 10, 12,730 weights) with its
# Adam moments, 0.15 MiB; the allocator counts exact bytes, so a flat device stays near 0. Resident memory:
# tests/test_keras_memory.py's bound (40 MB over 90 trials); JAX without its cache clean-up grew 2.6 MB/trial.
FLAT_MIB_PER_TRIAL = {"device": 0.1, "rss": 0.5}
VERDICT_MIN_TRIALS = 20  # fitted trials (after the warm-up) below which a slope is too noisy to call flat or not
MIN_PART_S = 10  # a part with less time than this left before the deadline is skipped, not started
RESERVE_S = 5  # kept back from each part's limit for the trial still running when it ends and the last write
CHAPTER_1 = {"units": 64, "dropout": 0.2, "learning_rate": 1e-3}  # chapter 1's trial, timed on every backend
DROPOUT = {"units": 32, "dropout": 0.3, "learning_rate": 3e-3}  # tests/test_keras_budget.py's promotion


class Recorder:
    """The report of this run, written to ``path`` (atomically) whenever a figure is added; the time left."""

    def __init__(self, path: str | None, report: dict, deadline: float | None):
        self.path, self.report, self.deadline = path, report, deadline
        report.setdefault("cut", [])

    def save(self) -> None:
        if not self.path:
            return
        tmp = f"{self.path}.tmp"
        with open(tmp, "w") as f:
            json.dump(self.report, f, indent=1)
        os.replace(tmp, self.path)  # a reader (or a kill) never sees half a file

    def seconds_for(self, planned: float) -> float:
        """The part's limit: its planned seconds, or less if the deadline comes first."""
        if self.deadline is None:
            return planned
        return min(planned, self.deadline - (time.monotonic() - START) - RESERVE_S)

    def cut(self, part: str, what: str) -> None:
        self.report["cut"].append(f"{part}: {what}")
        print(f"gpu_check: cut: {part}: {what}", file=sys.stderr, flush=True)
        self.save()


def hide_gpu(backend: str) -> None:
    """Before the backend starts: make it see no GPU."""
    if backend == "jax":
        os.environ["JAX_PLATFORMS"] = "cpu"
    else:
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1" if backend == "tensorflow" else ""


@functools.lru_cache(maxsize=2)  # throughput and search share one data set
def mnist_sized(n_train: int, n_val: int, n_test: int, seed: int = 0):
    """A ``Dataset`` of random 28x28x1 images in [0, 1), classes 0..9 given by a fixed linear map of the pixels."""
    import numpy as np

    from hpo_lessons.keras_task.data import Dataset

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
    from hpo_lessons.keras_task import backend

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


def slope(values: list, later_half: bool = False) -> float | None:
    """Least-squares growth per trial of ``values`` after the warm-up, or over the later half of those trials
    (None when too short or unknown)."""
    import numpy as np

    tail = values[MEMORY_WARM_UP:]
    tail = tail[len(tail) // 2:] if later_half else tail
    if len(tail) < 3 or any(v is None for v in tail):
        return None
    return float(np.polyfit(np.arange(len(tail)), tail, 1)[0])


def verdict(device_per_trial: float | None, rss_per_trial: float | None, trials: int) -> dict:
    """Flat or not, per kind of memory against ``FLAT_MIB_PER_TRIAL``; None where not measured (no GPU) or when
    fewer than ``VERDICT_MIN_TRIALS`` trials follow the warm-up."""
    enough = trials - MEMORY_WARM_UP >= VERDICT_MIN_TRIALS
    flat = {kind: None if value is None or not enough else value <= FLAT_MIB_PER_TRIAL[kind]
            for kind, value in (("device", device_per_trial), ("rss", rss_per_trial))}
    known = [v for v in flat.values() if v is not None]
    return {**flat, "flat": all(known) if known else None, "threshold_mib_per_trial": dict(FLAT_MIB_PER_TRIAL),
            "min_trials": MEMORY_WARM_UP + VERDICT_MIN_TRIALS}


def throughput(rec: Recorder, size: dict, seconds: float) -> None:
    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt

    data = mnist_sized(size["n_train"], size["n_val"], size["n_test"])
    objective = kt.KerasObjective(data, epochs=size["epochs"], batch_size=size["batch_size"], seed=0, resume=False)
    start = time.perf_counter()
    objective({"units": 64})  # warm-up: CUDA start-up and the first compilations
    entry = rec.report["trials_per_minute"] = {"trials": 0, "planned": size["trials"], "trial_seconds": [],
                                               "warm_up_s": time.perf_counter() - start, "limit_s": seconds}

    def record(history, trial):
        durations = [t.duration for t in history.completed]
        total = sum(durations)
        entry.update(trials=len(durations), seconds=total, trial_seconds=durations, failed=len(history.failed),
                     trials_per_minute=60 * len(durations) / total if total else 0.0,
                     epochs_per_second=len(durations) * size["epochs"] / total if total else 0.0,
                     best=history.best_value if history.completed else None)
        rec.save()

    history = hl.run(objective, hl.RandomSearch(kt.default_space(), seed=0), n_trials=size["trials"],
                     timeout=max(seconds - entry["warm_up_s"], 1), progress=False, callbacks=[record])
    if len(history) < size["trials"]:
        rec.cut("throughput", f"{len(history)} of {size['trials']} trials in the {seconds:.0f} s allowed")


def memory(rec: Recorder, size: dict, seconds: float) -> None:
    import psutil

    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt

    n = size["memory_n"]
    data = mnist_sized(n, n // 4, n // 4, seed=1)
    # resume=False: no checkpoints kept in memory, which would grow by design (up to 2 MB for a 256-wide network).
    objective = kt.KerasObjective(data, epochs=1, batch_size=size["batch_size"], seed=0, resume=False)
    process = psutil.Process()
    entry = rec.report["memory"] = {"trials": 0, "planned": size["memory_trials"], "limit_s": seconds,
                                    "warm_up_trials": MEMORY_WARM_UP, "device_mib": [], "rss_mib": [],
                                    "rss_fitted_on": "the later half of the trials after the warm-up"}

    def record(history, trial):
        entry["device_mib"].append(device_memory())
        entry["rss_mib"].append(process.memory_info().rss / 2**20)
        # Resident memory steps up whenever a network larger than all before it comes (the allocator keeps its
        # high-water mark), which a random search does often early on and ever more rarely; a leak grows to the end.
        device, rss = slope(entry["device_mib"]), slope(entry["rss_mib"], later_half=True)
        entry.update(trials=len(history.completed), failed=len(history.failed), device_mib_per_trial=device,
                     rss_mib_per_trial=rss, verdict=verdict(device, rss, len(entry["rss_mib"])))
        rec.save()

    history = hl.run(objective, hl.RandomSearch(kt.default_space(), seed=1), n_trials=size["memory_trials"],
                     timeout=seconds, progress=False, callbacks=[record])
    if len(history) < size["memory_trials"]:
        rec.cut("memory", f"{len(history)} of {size['memory_trials']} trials in the {seconds:.0f} s allowed")


def search(rec: Recorder, size: dict, seconds: float) -> None:
    """This package's Hyperband and Keras Tuner's, each on its own objective, with the same total budget in epochs
    and half the part's time each."""
    import hpo_lessons as hl
    from hpo_lessons import frameworks as fw
    from hpo_lessons import keras_task as kt

    data = mnist_sized(size["n_train"], size["n_val"], size["n_test"])
    top, budget, space = size["search_max_epochs"], size["search_budget"], kt.default_space()
    for name in ("ours", "keras_tuner"):
        objective = kt.KerasObjective(data, epochs=top, batch_size=size["batch_size"], seed=0)
        limit = seconds / 2
        start = time.perf_counter()
        if name == "ours":
            history = hl.run(objective, hl.Hyperband(space, min_budget=1, max_budget=top, eta=3, seed=0),
                             total_budget=budget, timeout=limit, progress=False)
        else:
            history = fw.run_keras_tuner(objective, space, "hyperband", n_trials=None, seed=0, factor=3,
                                         total_budget=budget, timeout=limit)
        took = time.perf_counter() - start
        rec.report[name] = {"method": history.name, "trials": len(history), "epochs": history.budget_spent,
                            "trained": sum(t.extras.get("epochs_trained", 0) for t in history.completed),
                            "seconds": took, "limit_s": limit, "failed": len(history.failed),
                            "best": history.best_value if history.completed else None}
        rec.save()
        if took >= limit and history.budget_spent < budget:  # no trial started after the limit
            rec.cut("search", f"{name} stopped by its {limit:.0f} s limit at {history.budget_spent:g} of "
                              f"{budget} epochs ({len(history)} trials)")


def digits(rec: Recorder, size: dict, seconds: float) -> None:
    """The CPU figures on the digits: one 27-epoch trial's seconds (median of 3 after a warm-up) and a promotion."""
    import statistics

    from hpo_lessons import keras_task as kt

    data, epochs = kt.load_data("digits"), size["digits_epochs"]
    objective = kt.KerasObjective(data, epochs=epochs, batch_size=32, seed=0, resume=False)
    objective(CHAPTER_1)  # warm-up: the first compilations
    times = []
    for _ in range(3):
        start = time.perf_counter()
        objective(CHAPTER_1)
        times.append(time.perf_counter() - start)
    promoted = kt.KerasObjective(data, epochs=9, seed=3)
    promoted(DROPOUT, budget=3)
    nine = promoted(DROPOUT, budget=9)
    straight = kt.KerasObjective(data, seed=3)(DROPOUT, budget=9)
    gap = max(abs(a - b) for k in straight["history"] for a, b in zip(nine["history"][k], straight["history"][k]))
    exact = nine["history"] == straight["history"] and nine["value"] == straight["value"]
    rec.report["digits"] = {
        "epochs": epochs, "batch_size": 32, "params": CHAPTER_1, "trial_seconds": times,
        "trial_s": statistics.median(times),
        "promotion_3_to_9": {"epochs_trained": nine["epochs_trained"], "max_curve_gap": gap, "bit_exact": exact}}
    rec.save()


def memory_test(rec: Recorder, size: dict, seconds: float) -> None:
    """tests/test_keras_memory.py's measurement, as that script (a process of its own, as the test runs it)."""
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "test_keras_memory.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=max(seconds, 1))
    if done.returncode != 0:
        raise RuntimeError(f"tests/test_keras_memory.py failed:\n{done.stderr[-2000:]}")
    rec.report["memory_test"] = json.loads(done.stdout.strip().splitlines()[-1])
    rec.save()


RUNNERS = {"throughput": throughput, "memory": memory, "search": search, "digits": digits, "memory_test": memory_test}


def limit_of(part: str, size: dict, deadline: float | None) -> float:
    """A part's planned seconds under a deadline; without one (and for the CPU-only parts), an hour, as a guard."""
    return size.get(f"{part}_s", 3600) if deadline is not None else 3600


def measure(args) -> dict:
    size = SIZES["smoke" if args.smoke else "full"]
    from hpo_lessons import keras_task as kt
    from hpo_lessons.keras_task import backend

    info = kt.setup_backend()
    device = "gpu" if info["count"] else "cpu"
    report = {"backend": backend.BACKEND, "version": info["version"], "keras": info["keras"], "device": device,
              "gpu": info["names"][0] if info["names"] else None, "machine": platform.node(),
              "cpus": os.cpu_count(), "smoke": args.smoke, "sizes": size, "deadline_s": args.deadline,
              "parts": args.parts.split(","), "parts_done": [], "finished": False,
              "date": time.strftime("%Y-%m-%d %H:%M")}
    rec = Recorder(args.out, report, args.deadline)
    rec.save()
    for part in report["parts"]:
        seconds = rec.seconds_for(limit_of(part, size, args.deadline))
        if seconds < MIN_PART_S:
            rec.cut(part, f"skipped: {max(seconds, 0):.0f} s left before the {args.deadline:.0f} s deadline")
            continue
        start = time.perf_counter()
        try:
            RUNNERS[part](rec, size, seconds)
        except Exception:  # one part failing must not cost the others: a GPU run is rarely repeated
            traceback.print_exc()
            report.setdefault("errors", {})[part] = traceback.format_exc(limit=3)[-2000:]
        else:
            report["parts_done"].append(part)
        rec.save()
        print(f"gpu_check: {backend.BACKEND} on {device}: {part} took {time.perf_counter() - start:.0f} s "
              f"(limit {seconds:.0f} s; {time.monotonic() - START:.0f} s since start)", file=sys.stderr, flush=True)
    report["finished"] = report["parts_done"] == report["parts"]
    report["seconds"] = time.monotonic() - START
    rec.save()
    return report


def fmt(value, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def memory_line(r: dict) -> str | None:
    mem = r.get("memory")
    if not mem:
        return None
    v = verdict(mem.get("device_mib_per_trial"), mem.get("rss_mib_per_trial"), len(mem["rss_mib"]))
    word = {True: "flat", False: "GROWING", None: f"no verdict (fewer than {v['min_trials']} trials)"}[v["flat"]]
    limits = v["threshold_mib_per_trial"]
    device, rss = fmt(mem.get("device_mib_per_trial"), "+.4f"), fmt(mem.get("rss_mib_per_trial"), "+.3f")
    return (f"{r['backend']} on {r['device']}: memory over {mem['trials']} trials: device {device} MiB/trial, "
            f"resident {rss} MiB/trial: {word} (flat: at most {limits['device']} MiB/trial on the device, "
            f"{limits['rss']} resident)")


def cpu_lines(r: dict) -> list:
    lines = []
    if "digits" in r:
        d, p = r["digits"], r["digits"]["promotion_3_to_9"]
        promotion = "bit-exact" if p["bit_exact"] else f"differs (up to {p['max_curve_gap']:.2e})"
        lines.append(f"{r['backend']} on {r['device']}: {d['epochs']}-epoch digits trial {d['trial_s']:.2f} s "
                     f"(median of 3); promotion 3 -> 9 epochs against 9 straight: {promotion}")
    if "memory_test" in r:
        m = r["memory_test"]
        lines.append(f"{r['backend']} on {r['device']}: tests/test_keras_memory.py: {m['completed']} trials, resident "
                     f"{m['start']:.0f} -> {m['end']:.0f} MB from trial 10 to the last, {m['growth']:+.1f} MB "
                     f"(trend {m['slope']:+.3f} MB/trial)")
    return lines


def table(reports: list) -> str:
    """One row per report; trials per minute over the first k trials, k the fewest that any report completed
    (the same networks everywhere: the random search is seeded). Then memory verdicts, CPU figures, cuts."""
    counts = [len(r["trials_per_minute"]["trial_seconds"]) for r in reports if "trials_per_minute" in r]
    k = min(counts) if counts else 0
    lines = [f"{'backend':11s} {'device':28s} {f'trials/min (first {k})':>20s} {'s/trial':>8s} "
             f"{'ours: trials, s, best':>22s} {'Keras Tuner: trials, s, best':>29s} {'GPU MiB/trial':>13s} "
             f"{'RSS MiB/trial':>13s} {'memory':>8s}"]
    for r in reports:
        where = f"{r['device']} {r.get('gpu') or ''} ({r['machine']}, {r['cpus']} CPUs)"[:28]
        first = r.get("trials_per_minute", {}).get("trial_seconds", [])[:k]
        per_trial = sum(first) / k if k and len(first) == k else None
        searched = ["{}, {}, {}".format(r[key]["trials"], fmt(r[key]["seconds"], ".0f"), fmt(r[key]["best"], ".3f"))
                    if key in r else "-" for key in ("ours", "keras_tuner")]
        mem = r.get("memory", {})
        flat = verdict(mem.get("device_mib_per_trial"), mem.get("rss_mib_per_trial"), len(mem["rss_mib"]))["flat"] \
            if mem else None
        name = r["backend"] + ("" if r.get("finished", True) else "*")
        lines.append(f"{name:11s} {where:28s} {fmt(60 / per_trial if per_trial else None):>20s} "
                     f"{fmt(per_trial, '.1f'):>8s} {searched[0]:>22s} {searched[1]:>29s} "
                     f"{fmt(mem.get('device_mib_per_trial'), '+.4f'):>13s} "
                     f"{fmt(mem.get('rss_mib_per_trial'), '+.3f'):>13s} "
                     f"{'-' if not mem else {True: 'flat', False: 'GROWING', None: '?'}[flat]:>8s}")
    lines += [line for r in reports for line in [memory_line(r), *cpu_lines(r)] if line]
    lines += [f"{r['backend']} on {r['device']}: cut: {c}" for r in reports for c in r.get("cut", [])]
    lines += [f"{r['backend']} on {r['device']}: {part} failed: {error.strip().splitlines()[-1]}"
              for r in reports for part, error in r.get("errors", {}).items()]
    if any(not r.get("finished", True) for r in reports):
        lines.append("* stopped before its last part, or a part failed or was skipped: what it measured is kept")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="toy sizes: seconds, on any machine")
    parser.add_argument("--device", choices=["gpu", "cpu"], default="gpu", help="cpu hides the GPU from the backend")
    parser.add_argument("--parts", default="throughput,memory,search",
                        help=f"comma-separated, run in this order: {','.join(RUNNERS)}")
    parser.add_argument("--deadline", type=float, help="seconds for the whole process; later parts are cut to fit")
    parser.add_argument("--out", help="write the report as JSON here (rewritten as figures come in)")
    parser.add_argument("--table", nargs="+", metavar="JSON", help="print the table of these reports and exit")
    args = parser.parse_args(argv)
    if args.table:
        reports = []
        for path in args.table:
            with open(path) as f:
                reports.append(json.load(f))
        print(table(reports))
        return 0
    unknown = [p for p in args.parts.split(",") if p not in RUNNERS]
    if unknown:
        parser.error(f"--parts: unknown {unknown}; use a comma-separated list of {', '.join(RUNNERS)}")
    if args.deadline is not None and args.deadline <= 0:
        parser.error(f"--deadline must be a positive number of seconds, got {args.deadline}")
    if args.device == "cpu":
        hide_gpu(os.environ.get("KERAS_BACKEND", "tensorflow"))
    report = measure(args)
    print(table([report]))
    print("trials per minute: full-profile trials (10 epochs, batch 128, 48,000 images) from a random search"
          if not args.smoke else "trials per minute: smoke sizes")
    return 1 if report.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
