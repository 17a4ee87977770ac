"""Keras on TensorFlow, JAX and PyTorch: the backend's choice, a quiet start-up, no TensorFlow off
TensorFlow, and the same behaviour on every backend installed here.

Each backend runs in its own process (Keras picks its backend once, at import), with
``KERAS_BACKEND`` set. The reference for "the same behaviour" is the contract the TensorFlow
backend has always met (tests/test_keras_task.py, tests/test_keras_budget.py): the same seed
gives the same curves and another seed other curves, a NaN loss is a failed trial and the
search goes on, a promotion from 2 to 4 epochs trains 2 epochs and scores what 4 straight
epochs score, and a search repeated with its seed repeats its scores. "TensorFlow is never
imported" is checked by a finder on ``sys.meta_path`` that records every attempt, so it holds
even where TensorFlow is installed.
"""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = [b for b in ("tensorflow", "jax", "torch") if importlib.util.find_spec(b) is not None]


def on(backend: str, *args, code: str | None = None, timeout: float = 900, **env) -> subprocess.CompletedProcess:
    """Run ``python -c code`` (or ``python args...``) with ``KERAS_BACKEND=backend``, from the repository root."""
    environ = {**os.environ, "KERAS_BACKEND": backend, "HPO_LESSONS_PROFILE": "quick", **env}
    command = [sys.executable, *(("-c", code) if code is not None else args)]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout)


def needs(backend: str):
    return pytest.mark.skipif(backend not in INSTALLED, reason=f"{backend} is not installed here")


@pytest.fixture(scope="module", params=INSTALLED)
def probe(request):
    """tests/backend_probe.py's report on one backend."""
    done = on(request.param, "tests/backend_probe.py")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.keras
@pytest.mark.slow
def test_every_backend_keeps_the_contract(probe):
    name = probe["backend"]
    assert probe["same_seed_same_curves"] and probe["other_seed_other_curves"], name
    assert probe["nan"] == ["failed", "complete"] and probe["nan_error"] == "FloatingPointError", name
    assert probe["warm_start"] == [2, 4] and probe["warm_start_gap"] == 0.0, name  # bit for bit on CPU kernels
    # Every search ran and completed the trials asked for (an empty search would repeat its scores too).
    n = probe["n_trials"]
    assert probe["counts"] == {"ours": [[n, n], [n, n]], "keras_tuner": [[n, n], [n, n]]}, (name, probe["counts"])
    assert [len(v) for v in probe["ours"] + probe["keras_tuner"]] == [n] * 4, name
    assert probe["ours"][0] == probe["ours"][1] and probe["keras_tuner"][0] == probe["keras_tuner"][1], name
    assert probe["finite"] and all(0.0 <= v <= 1.0 for v in probe["ours"][0] + probe["keras_tuner"][0])
    if name != "tensorflow":
        assert probe["tensorflow_imports"] == [] and not probe["tensorflow_loaded"], probe["tensorflow_imports"][:1]


@needs("jax")
def test_keras_task_and_keras_tuner_under_jax_never_try_to_import_tensorflow():
    done = on("jax", "tests/backend_probe.py", "--import-only")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["backend"] == "jax" and report["tensorflow_imports"] == [] and not report["tensorflow_loaded"]


@pytest.mark.parametrize("backend", INSTALLED)
def test_start_up_is_quiet_and_the_report_names_the_backend(backend):
    code = "from hpo_lessons import keras_task as kt; kt.setup_backend(verbose=True)"
    done = on(backend, code=code)
    assert done.returncode == 0, done.stderr[-3000:]
    name = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}[backend]
    version = importlib.import_module("importlib.metadata").version(backend)
    assert done.stdout.startswith(f"{name} {version.split('+')[0]}") and "Keras 3." in done.stdout, done.stdout
    assert done.stderr == "", done.stderr[-2000:]  # no C++ start-up lines, no warnings


def test_unknown_or_missing_backends_are_named_with_the_fix():
    done = on("numpy", code="from hpo_lessons.keras_task import backend")
    assert done.returncode != 0 and "KERAS_BACKEND='numpy'" in done.stderr and "restart the kernel" in done.stderr
    missing = next((b for b in ("torch", "jax", "tensorflow") if b not in INSTALLED), None)
    if missing is not None:
        done = on(missing, code="from hpo_lessons.keras_task import backend")
        assert done.returncode != 0 and f"pip install {missing}" in done.stderr, done.stderr[-1000:]


def test_without_keras_backend_the_first_installed_backend_is_chosen():
    environ = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    code = "from hpo_lessons.keras_task import backend; print(backend.BACKEND)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == INSTALLED[0]  # tensorflow first (Colab's default), then jax, then torch


@pytest.mark.parametrize("backend", INSTALLED)
def test_the_profiles_gpu_probe_uses_the_backend_quietly(backend):
    environ = {k: v for k, v in os.environ.items() if k != "HPO_LESSONS_PROFILE"}
    code = ("import sys, hpo_lessons as hl; from hpo_lessons.keras_task.backend import gpu_info; "
            "p = hl.profile(); print(p.name, gpu_info()['count'], 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**environ, "KERAS_BACKEND": backend},
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    name, gpus, tensorflow = done.stdout.split()
    assert name == ("full" if int(gpus) else "quick") and tensorflow == str(backend == "tensorflow")


@pytest.mark.slow
@pytest.mark.long  # minutes: make test-long
@needs("jax")
def test_gpu_check_smoke_run_measures_every_part_and_prints_its_table(tmp_path):
    """tools/gpu_check.sh --smoke: the GPU check's every step at toy sizes, on this machine's CPU, on the
    backends installed here other than TensorFlow (the GPU machine has none)."""
    environ = {**os.environ, "PYTHON": sys.executable, "OUT": str(tmp_path), "BACKEND_SECONDS": "900",
               "BACKEND_TIMEOUT": "1000"}
    done = subprocess.run(["bash", "tools/gpu_check.sh", "--smoke"], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=1300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "gpu_jax.json").read_text())
    assert report["backend"] == "jax" and report["device"] == "cpu" and report["smoke"]
    assert report["trials_per_minute"]["trials"] >= 1 and report["trials_per_minute"]["failed"] == 0
    for search in ("ours", "keras_tuner"):  # the same budget in epochs, spent, with resumed checkpoints
        assert 0 < report[search]["epochs"] <= report["sizes"]["search_budget"] and report[search]["failed"] == 0
        assert report[search]["trained"] <= report[search]["epochs"]
    assert report["ours"]["method"] == "Hyperband" and report["keras_tuner"]["method"].startswith("keras_tuner.")
    memory = report["memory"]
    assert memory["trials"] == report["sizes"]["memory_trials"] == len(memory["rss_mib"])
    assert memory["device_mib"] == [None] * memory["trials"] and memory["rss_mib_per_trial"] is not None
    assert memory["verdict"]["flat"] is None  # 12 trials: too few for a verdict, and the report says so
    assert report["finished"] and report["parts_done"] == ["throughput", "memory", "search"] and report["cut"] == []
    assert "no verdict (fewer than" in done.stdout
    assert "trials/min (first 2)" in done.stdout and (tmp_path / "table.txt").read_text() in done.stdout


def gpu_check():
    """tools/gpu_check.py as a module (it imports only the standard library until it measures)."""
    spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "tools" / "gpu_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_check_memory_verdict_against_its_stated_thresholds():
    """The reference is FLAT_MIB_PER_TRIAL itself: at most 0.1 MiB per trial on the device, 0.5 resident, and no
    verdict from fewer than MEMORY_WARM_UP + VERDICT_MIN_TRIALS trials; a least-squares slope of a line is its slope."""
    g = gpu_check()
    assert g.FLAT_MIB_PER_TRIAL == {"device": 0.1, "rss": 0.5}
    enough = g.MEMORY_WARM_UP + g.VERDICT_MIN_TRIALS
    line = [500.0] * g.MEMORY_WARM_UP + [100 + 0.25 * i for i in range(enough)]
    assert abs(g.slope(line) - 0.25) < 1e-9 and g.slope(line[:g.MEMORY_WARM_UP + 2]) is None
    steps = [900.0] * g.MEMORY_WARM_UP + [950.0] * 3 + [970.0] * 17  # high-water steps early, then flat
    assert g.slope(steps) > g.FLAT_MIB_PER_TRIAL["rss"] and abs(g.slope(steps, later_half=True)) < 1e-9
    assert g.verdict(0.0, 0.25, enough)["flat"] is True
    assert g.verdict(None, 0.25, enough) == {"device": None, "rss": True, "flat": True,
                                              "threshold_mib_per_trial": g.FLAT_MIB_PER_TRIAL, "min_trials": enough}
    assert g.verdict(0.15, 0.25, enough)["flat"] is False and g.verdict(0.0, 0.6, enough)["flat"] is False
    assert g.verdict(0.0, 0.0, enough - 1)["flat"] is None  # too few trials to call it either way


def test_gpu_check_report_is_written_atomically(tmp_path):
    g = gpu_check()
    path = tmp_path / "r.json"
    rec = g.Recorder(str(path), {"backend": "x"}, deadline=None)
    rec.save()
    rec.cut("memory", "3 of 60 trials")
    assert json.loads(path.read_text()) == {"backend": "x", "cut": ["memory: 3 of 60 trials"]}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # the temporary file was renamed over it
    assert rec.seconds_for(40) == 40 and g.Recorder(None, {}, deadline=1e9).seconds_for(40) == 40


@pytest.mark.slow
@pytest.mark.long  # minutes: make test-long
@needs("jax")
def test_gpu_check_killed_keeps_what_it_measured(tmp_path):
    """SIGKILL during the memory part (as the shell's timeout does): the report on disk is whole JSON and holds
    the throughput part and the memory trials measured so far; the table marks it as stopped."""
    out = tmp_path / "gpu_jax.json"
    environ = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    process = subprocess.Popen([sys.executable, "tools/gpu_check.py", "--smoke", "--parts", "throughput,memory",
                                "--out", str(out)], cwd=ROOT, env=environ, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and process.poll() is None:
            report = json.loads(out.read_text()) if out.exists() else {}
            if report.get("memory", {}).get("trials", 0) >= 2:
                break
            time.sleep(0.2)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    report = json.loads(out.read_text())
    assert report["parts_done"] == ["throughput"] and not report["finished"]
    assert report["trials_per_minute"]["trials"] == report["sizes"]["trials"]
    memory = report["memory"]
    assert 2 <= memory["trials"] == len(memory["rss_mib"]) < report["sizes"]["memory_trials"]
    assert "* stopped before its last part" in gpu_check().table([report])


@needs("jax")
def test_gpu_check_deadline_cuts_parts_and_says_so(tmp_path):
    """A deadline shorter than the start-up: every part is skipped, each named in the report's "cut"."""
    out = tmp_path / "gpu_jax.json"
    done = on("jax", "tools/gpu_check.py", "--smoke", "--parts", "digits,memory", "--deadline", "1", "--out", str(out),
              JAX_PLATFORMS="cpu")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["parts_done"] == [] and not report["finished"] and len(report["cut"]) == 2
    assert report["cut"][0].startswith("digits: skipped") and report["cut"][1].startswith("memory: skipped")
    assert "cut: memory: skipped" in done.stdout
