"""Keras on TensorFlow, JAX or PyTorch: which backend, a quiet start-up, the GPU report and set-up,
and seeding (the clean-up between trials is ``hpo_lessons.keras_task.cleanup``).

Keras 3 reads ``KERAS_BACKEND`` once, at its first import. When it is not set, this module picks
the first installed of TensorFlow (the default, as on Colab), JAX and PyTorch (``~/.keras/keras.json``
is not read: Keras writes "tensorflow" there on its first run, installed or not). Importing this
module imports Keras and that backend only, after setting the environment variables that must
come before them. ``import hpo_lessons`` never imports it; ``hpo_lessons.keras_task`` does::

    KERAS_BACKEND=jax python -c "import hpo_lessons.keras_task"   # no TensorFlow loaded
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import warnings

SUPPORTED = ("tensorflow", "jax", "torch")
NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
# What Keras' jit_compile="auto" compiles with, per backend (Trainer._resolve_auto_jit_compile).
COMPILER = {"tensorflow": "XLA", "jax": "XLA", "torch": "torch.compile"}


def chosen_backend() -> str:
    """The backend Keras uses (once imported) or will use: ``KERAS_BACKEND``, else the first installed."""
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "backend"):
        return keras.backend.backend()
    name = os.environ.get("KERAS_BACKEND")
    if name:
        return name
    return next((name for name in SUPPORTED if importlib.util.find_spec(name) is not None), "tensorflow")


BACKEND = chosen_backend()
if BACKEND not in SUPPORTED:
    raise ImportError(f"KERAS_BACKEND={BACKEND!r}: hpo_lessons trains with one of {list(SUPPORTED)}. Set "
                      "os.environ['KERAS_BACKEND'] before the first `import keras`, or restart the kernel.")
if importlib.util.find_spec(BACKEND) is None:
    raise ImportError(f"KERAS_BACKEND={BACKEND!r}, but {BACKEND} is not installed: pip install {BACKEND}, or choose "
                      f"another backend ({', '.join(n for n in SUPPORTED if importlib.util.find_spec(n))} installed).")
# All of these must be set before Keras or its backend is imported, so they come first.
os.environ.setdefault("KERAS_BACKEND", BACKEND)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ INFO and WARNING lines
# JAX takes 75% of a GPU's memory at its first use unless told to grow (TensorFlow's memory growth).
os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send file descriptor 2 to /dev/null for a moment.

    TensorFlow's C++ start-up lines (CUDA probing on a machine without a GPU, CPU features)
    are written before its logging reads TF_CPP_MIN_LOG_LEVEL, so that variable cannot hide
    them; in a notebook they would land in every chapter's output (XLA's GPU probing under JAX
    writes such lines too). Python exceptions still propagate. Set TF_CPP_MIN_LOG_LEVEL=0 or 1
    before the import to see the lines.
    """
    level = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0")
    try:
        saved = os.dup(2) if level.isdigit() and int(level) >= 2 else None
    except OSError:  # no file descriptor 2 to save
        saved = None
    if saved is None:  # the user asked for the logs, or there is nowhere to restore them
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _gpus() -> list:
    """The backend's GPU devices (probing CUDA happens on the first call)."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return tf.config.list_physical_devices("GPU")
    if BACKEND == "jax":
        import jax

        return [d for d in jax.devices() if d.platform != "cpu"]
    import torch

    return list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []


with _native_stderr_silenced():
    import keras

    _gpus()  # probes CUDA once, quietly; later calls reuse the answer

if keras.backend.backend() != BACKEND:  # keras was imported before this module, with another backend
    raise ImportError(f"Keras runs on {keras.backend.backend()!r}, not {BACKEND!r}; restart the kernel.")
if BACKEND == "tensorflow":
    import absl.logging
    import tensorflow as tf

    absl.logging.set_verbosity(absl.logging.ERROR)
    tf.get_logger().setLevel("ERROR")


def _describe(gpu) -> tuple[str, tuple | None]:
    """(device name, (major, minor) compute capability or None) of one of ``_gpus()``."""
    if BACKEND == "tensorflow":
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except (RuntimeError, ValueError):  # some builds cannot describe a device
            details = {}
        return details.get("device_name", gpu.name), details.get("compute_capability")
    if BACKEND == "jax":
        capability = getattr(gpu, "compute_capability", None)  # "9.0" on CUDA devices
        try:
            capability = tuple(int(part) for part in str(capability).split(".")[:2]) if capability else None
        except ValueError:
            capability = None
        return gpu.device_kind, capability
    import torch

    return torch.cuda.get_device_name(gpu), tuple(torch.cuda.get_device_capability(gpu))


def backend_version() -> str:
    return importlib.import_module(BACKEND).__version__


def gpu_info() -> dict:
    """What the backend sees: versions and one entry per GPU.

    Returns
    -------
    dict with ``backend`` ("tensorflow", "jax" or "torch"), the backend's version under its
    own name (e.g. ``info["jax"]``) and as ``version``, ``keras`` (version string), ``count``
    (number of GPUs), ``names`` (their device names, e.g. "NVIDIA H200") and
    ``compute_capability`` (a ``(major, minor)`` pair per GPU, ``None`` when unknown).
    """
    described = [_describe(gpu) for gpu in _gpus()]
    version = backend_version()
    return {"backend": BACKEND, BACKEND: version, "version": version, "keras": keras.__version__,
            "count": len(described), "names": [name for name, _ in described],
            "compute_capability": [cc for _, cc in described]}


def _memory_growth(gpus: list, wanted: bool) -> bool:
    """Let the backend take GPU memory as it needs it; True when that holds on every GPU."""
    if not gpus:
        return False
    if BACKEND == "tensorflow":
        growth = True
        for gpu in gpus:
            try:
                tf.config.experimental.set_memory_growth(gpu, wanted)
            except RuntimeError:  # the GPU is already initialized; its setting cannot change now
                growth = growth and bool(tf.config.experimental.get_memory_growth(gpu))
        return growth and wanted
    if BACKEND == "jax":  # read once, when JAX first used the GPU (set above, before the import)
        return os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE", "").lower() in ("false", "0")
    return True  # PyTorch's caching allocator always takes memory as it goes


def setup_backend(memory_growth: bool = True, mixed_precision: bool = False, verbose: bool = False) -> dict:
    """Prepare the backend for many small trials in one process and report the hardware.

    Parameters
    ----------
    memory_growth : let the backend take GPU memory as it needs it instead of most of it at
        start, so that other processes (and a second notebook) can share the GPU. TensorFlow:
        set here, before the GPU is first used (later calls leave it as it is). JAX: read from
        ``XLA_PYTHON_CLIENT_PREALLOCATE``, which this module sets to "false" before JAX starts.
        PyTorch: always so.
    mixed_precision : use the "mixed_float16" policy (float16 compute, float32 weights) on
        GPUs of compute capability 7.0 or more, where tensor cores make it faster. On a CPU
        or an older GPU it stays "float32" (float16 is slower there) with a warning.
    verbose : print one line that says what was found and set.

    Returns
    -------
    ``gpu_info()`` plus ``memory_growth`` (bool: so on every GPU), ``policy`` (the Keras
    dtype policy now in force) and ``jit_compile`` (whether Keras' default
    ``jit_compile="auto"`` compiles models: with XLA on TensorFlow's GPUs, not its CPUs, where
    it measured slower for this course's small models; always on JAX; never on PyTorch).
    """
    info = gpu_info()
    growth = _memory_growth(_gpus(), memory_growth)
    if mixed_precision:
        capable = [cc for cc in info["compute_capability"] if cc is not None and tuple(cc) >= (7, 0)]
        if capable:
            keras.mixed_precision.set_global_policy("mixed_float16")
        else:
            warnings.warn("mixed_precision=True needs a GPU of compute capability >= 7.0; keeping float32.",
                          stacklevel=2)
    jit = {"tensorflow": bool(info["count"]), "jax": True, "torch": False}[BACKEND]
    info.update(memory_growth=growth, policy=keras.mixed_precision.global_policy().name, jit_compile=jit)
    if verbose:
        where = f"{info['count']} GPU(s): {', '.join(info['names'])}" if info["count"] else "no GPU, running on CPU"
        print(f"{NAMES[BACKEND]} {info['version']}, Keras {info['keras']}; {where}; "
              f"memory growth {'on' if info['memory_growth'] else 'off'}; policy {info['policy']}; "
              f"{COMPILER[BACKEND]} {'on' if jit else 'off'}.")
    return info


setup_tensorflow = setup_backend  # the name the chapters have used since the course ran on TensorFlow only


def set_seed(seed: int) -> None:
    """``keras.utils.set_random_seed``: Python's, numpy's and Keras' (the backend's) random streams.

    Keras also seeds TensorFlow whenever it is installed (for tf.data pipelines), importing it
    on JAX and PyTorch too: 2 to 4 s and hundreds of MB in a process that never uses it. Off
    TensorFlow, and unless TensorFlow is already loaded, Keras is told it is absent for the call.
    """
    if BACKEND == "tensorflow" or "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)
        return
    from keras.src.utils import rng_utils  # private: where set_random_seed asks whether TensorFlow exists

    lazy = getattr(rng_utils, "tf", None)
    if not hasattr(lazy, "_available"):  # another Keras layout: seed as Keras does
        keras.utils.set_random_seed(seed)
        return
    saved, lazy._available = lazy._available, False
    try:
        keras.utils.set_random_seed(seed)
    finally:
        lazy._available = saved
