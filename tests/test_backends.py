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
import subprocess
import sys
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
    done = on("numpy", code="import hpo_lessons.keras_task")
    assert done.returncode != 0 and "KERAS_BACKEND='numpy'" in done.stderr and "restart the kernel" in done.stderr
    missing = next((b for b in ("torch", "jax", "tensorflow") if b not in INSTALLED), None)
    if missing is not None:
        done = on(missing, code="import hpo_lessons.keras_task")
        assert done.returncode != 0 and f"pip install {missing}" in done.stderr, done.stderr[-1000:]


def test_without_keras_backend_the_first_installed_backend_is_chosen():
    environ = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    code = "from hpo_lessons import backend; print(backend.BACKEND)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == INSTALLED[0]  # tensorflow first (Colab's default), then jax, then torch


@pytest.mark.parametrize("backend", INSTALLED)
def test_the_profiles_gpu_probe_uses_the_backend_quietly(backend):
    environ = {k: v for k, v in os.environ.items() if k != "HPO_LESSONS_PROFILE"}
    code = ("import sys, hpo_lessons as hl; from hpo_lessons.backend import gpu_info; "
            "p = hl.profile(); print(p.name, gpu_info()['count'], 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**environ, "KERAS_BACKEND": backend},
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]
    name, gpus, tensorflow = done.stdout.split()
    assert name == ("full" if int(gpus) else "quick") and tensorflow == str(backend == "tensorflow")


@pytest.mark.slow
@needs("jax")
def test_gpu_check_smoke_run_measures_every_part_and_prints_its_table(tmp_path):
    """tools/gpu_check.sh --smoke: the GPU check's every step at toy sizes, on this machine's CPU, on the
    backends installed here other than TensorFlow (the GPU machine has none)."""
    environ = {**os.environ, "PYTHON": sys.executable, "OUT": str(tmp_path), "BACKEND_TIMEOUT": "600"}
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
    assert "trials/min (first 2)" in done.stdout and (tmp_path / "table.txt").read_text() in done.stdout
