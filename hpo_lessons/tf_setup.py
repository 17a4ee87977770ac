"""TensorFlow set-up (quiet logs, GPU detection, memory growth, mixed precision) and the
plumbing every trial needs (input pipeline, NaN guard, a clean session without leaks).

Importing this module imports TensorFlow and Keras 3 (TensorFlow backend), after setting
the environment variables that must be set before that import. ``import hpo_lessons``
never imports it; ``hpo_lessons.keras_task`` does.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import time
import warnings

# Both must be set before TensorFlow or Keras is imported, so they come first.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide C++ INFO and WARNING lines


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send file descriptor 2 to /dev/null for a moment.

    TensorFlow's C++ start-up lines (CUDA probing on a machine without a GPU, CPU features)
    are written before its logging reads TF_CPP_MIN_LOG_LEVEL, so that variable cannot hide
    them; in a notebook they would land in every chapter's output. Python exceptions still
    propagate. Set TF_CPP_MIN_LOG_LEVEL=0 or 1 before the import to see the lines.
    """
    level = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0")
    try:
        saved = os.dup(2) if level.isdigit() and int(level) >= 2 else None
    except OSError:  # no file descriptor 2 to save
        saved = None
    if saved is None:  # the user asked for TensorFlow's logs, or there is nowhere to restore them
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


import absl.logging  # noqa: E402
import numpy as np  # noqa: E402

with _native_stderr_silenced():
    import keras
    import tensorflow as tf

    tf.config.list_physical_devices("GPU")  # probes CUDA once, quietly; later calls reuse the answer

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"hpo_lessons.keras_task needs Keras' TensorFlow backend, but KERAS_BACKEND={keras.backend.backend()!r}. "
        "Set os.environ['KERAS_BACKEND'] = 'tensorflow' before the first `import keras`, or restart the kernel."
    )

absl.logging.set_verbosity(absl.logging.ERROR)
tf.get_logger().setLevel("ERROR")


def gpu_info() -> dict:
    """What TensorFlow sees: versions and one entry per GPU.

    Returns
    -------
    dict with ``tensorflow`` and ``keras`` (version strings), ``count`` (number of GPUs),
    ``names`` (their device names, e.g. "NVIDIA A100-SXM4-40GB", or the TensorFlow device
    name when the driver gives none) and ``compute_capability`` (a ``(major, minor)`` pair
    per GPU, ``None`` when unknown).
    """
    gpus = tf.config.list_physical_devices("GPU")
    names, capabilities = [], []
    for gpu in gpus:
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except (RuntimeError, ValueError):  # some builds cannot describe a device
            details = {}
        names.append(details.get("device_name", gpu.name))
        capabilities.append(details.get("compute_capability"))
    return {"tensorflow": tf.__version__, "keras": keras.__version__, "count": len(gpus), "names": names,
            "compute_capability": capabilities}


def setup_tensorflow(memory_growth: bool = True, mixed_precision: bool = False, verbose: bool = False) -> dict:
    """Prepare TensorFlow for many small trials in one process and report the hardware.

    Parameters
    ----------
    memory_growth : let TensorFlow take GPU memory as it needs it instead of all of it at
        start, so that other processes (and a second notebook) can share the GPU. It must be
        set before the GPU is first used; later calls leave it as it is.
    mixed_precision : use the "mixed_float16" policy (float16 compute, float32 weights) on
        GPUs of compute capability 7.0 or more, where tensor cores make it faster. On a CPU
        or an older GPU it stays "float32" (float16 is slower there) with a warning.
    verbose : print one line that says what was found and set.

    Returns
    -------
    ``gpu_info()`` plus ``memory_growth`` (bool: set on every GPU), ``policy`` (the Keras
    dtype policy now in force) and ``jit_compile`` (whether Keras' default
    ``jit_compile="auto"`` will compile models with XLA: on GPUs, not on CPUs, where it
    measured slower for this course's small models).
    """
    info = gpu_info()
    gpus = tf.config.list_physical_devices("GPU")
    growth = bool(gpus)
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, memory_growth)
        except RuntimeError:  # the GPU is already initialized; its setting cannot change now
            growth = growth and bool(tf.config.experimental.get_memory_growth(gpu))
    if mixed_precision:
        capable = [cc for cc in info["compute_capability"] if cc is not None and tuple(cc) >= (7, 0)]
        if capable:
            keras.mixed_precision.set_global_policy("mixed_float16")
        else:
            warnings.warn("mixed_precision=True needs a GPU of compute capability >= 7.0; keeping float32.",
                          stacklevel=2)
    info.update(memory_growth=growth and memory_growth, policy=keras.mixed_precision.global_policy().name,
                jit_compile=bool(gpus))
    if verbose:
        where = f"{info['count']} GPU(s): {', '.join(info['names'])}" if info["count"] else "no GPU, running on CPU"
        print(f"TensorFlow {info['tensorflow']}, Keras {info['keras']}; {where}; "
              f"memory growth {'on' if info['memory_growth'] else 'off'}; policy {info['policy']}; "
              f"XLA {'on' if info['jit_compile'] else 'off'}.")
    return info


# -- per-trial plumbing: input pipeline, NaN guard, session hygiene ------------------------------
def batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int | None = None):
    """tf.data batches; shuffled each epoch (reproducibly) when a seed is given.

    Batches have an unknown first dimension, so the last, smaller batch does not make
    TensorFlow trace the training step a second time; shuffling indices instead of
    examples keeps the shuffle buffer small whatever the images.
    """
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    index = tf.data.Dataset.range(len(y))
    if seed is not None:
        index = index.shuffle(len(y), seed=seed, reshuffle_each_iteration=True)
    return index.batch(batch_size).map(lambda i: (tf.gather(x, i), tf.gather(y, i))).prefetch(tf.data.AUTOTUNE)


def epoch_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int, first: int, last: int):
    """tf.data batches for epochs ``first`` .. ``last - 1`` (counted from 0), one epoch after another.

    Epoch e visits the examples in the order ``datasets.epoch_order(n, seed, e)``, a pure
    function of (seed, e), so training resumed at epoch e sees exactly the batches an
    uninterrupted run sees. Give ``fit`` ``steps_per_epoch=ceil(n / batch_size)`` so it reads
    one epoch's batches at a time from this single stream.
    """
    from .datasets import epoch_order

    n = len(y)
    order = np.stack([epoch_order(n, seed, e) for e in range(first, last)]).astype(np.int64)
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    stream = tf.data.Dataset.from_tensor_slices(order).flat_map(
        lambda index: tf.data.Dataset.from_tensor_slices(index).batch(batch_size))
    stream = stream.apply(tf.data.experimental.assert_cardinality((last - first) * math.ceil(n / batch_size)))
    return stream.map(lambda i: (tf.gather(x, i), tf.gather(y, i))).prefetch(tf.data.AUTOTUNE)


def model_state(model) -> tuple[list, list]:
    """(model variables, optimizer variables) as numpy arrays.

    ``model.variables`` holds the weights and, unlike ``model.weights``, the state of every
    layer's ``SeedGenerator`` (the random stream dropout draws its masks from);
    ``model.optimizer.variables`` holds the iteration count, the learning rate and the slots
    (momentum, Adam's first and second moments).
    """
    return [v.numpy() for v in model.variables], [v.numpy() for v in model.optimizer.variables]


def restore_state(model, variables: list, optimizer: list) -> bool:
    """Put ``model_state``'s arrays back into a freshly built ``model``; False (nothing changed) if they do not fit."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)  # creates the slots that fit() would create
    targets = [list(model.variables), list(model.optimizer.variables)]
    for have, want in zip(targets, (variables, optimizer)):
        if len(have) != len(want) or any(tuple(v.shape) != a.shape for v, a in zip(have, want)):
            return False
    for have, want in zip(targets, (variables, optimizer)):
        for v, a in zip(have, want):
            v.assign(a)
    return True


class EpochLog(keras.callbacks.Callback):
    """Cumulative seconds at the end of each epoch and, optionally, test accuracy after each epoch.

    ``elapsed[k]`` counts from ``start`` (a ``time.perf_counter()`` value) to the end of the
    k-th epoch of this ``fit``, validation included, test scoring excluded. ``test`` is
    ``(x, y)`` or None; ``test_accuracy[k]`` is the share of test examples whose predicted
    class (argmax, first maximum on ties) is right.
    """

    def __init__(self, start: float, test=None):
        super().__init__()
        self.start, self.test, self.scoring = start, test, 0.0
        self.elapsed, self.test_accuracy = [], []

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.elapsed.append(now - self.start - self.scoring)
        if self.test is not None:
            x, y = self.test
            predicted = np.argmax(np.asarray(self.model(x, training=False)), axis=1)
            self.test_accuracy.append(float(np.mean(predicted == y)))
            self.scoring += time.perf_counter() - now


class StopOnNonFinite(keras.callbacks.Callback):
    """Stops training after the first epoch whose training loss is NaN or infinite."""

    def on_epoch_end(self, epoch, logs=None):
        if not math.isfinite(float((logs or {}).get("loss", 0.0))):
            self.model.stop_training = True


def first_non_finite(history: dict) -> tuple[str, int, float] | None:
    """The first (metric name, epoch counted from 1, value) that is NaN or infinite in a Keras history."""
    for epoch in range(len(history.get("loss", []))):
        for key, values in history.items():
            if epoch < len(values) and not math.isfinite(values[epoch]):
                return key, epoch + 1, values[epoch]
    return None


_gc_frozen = False


def fresh_session() -> None:
    """Forget every earlier model and collect its garbage, cheaply enough to do per trial.

    The dtype policy (mixed precision from ``setup_tensorflow``) is kept. A full
    ``gc.collect()`` walks TensorFlow's ~400,000 module-level objects and took 0.3 s per
    trial here, over a tenth of a quick trial. Those objects live as long as the
    process, so the first call moves them to the collector's permanent generation
    (``gc.freeze``); later collections skip them and take ~0.02 s.
    """
    global _gc_frozen
    policy = keras.mixed_precision.global_policy()  # clear_session resets it to float32
    try:
        keras.backend.clear_session(free_memory=False)  # we collect below, once
    except TypeError:  # a Keras 3 release without the argument
        keras.backend.clear_session()
    keras.mixed_precision.set_global_policy(policy)
    gc.collect()
    if not _gc_frozen:
        gc.freeze()
        _gc_frozen = True


def custom_gradients() -> dict:
    """TensorFlow's registry of gradient functions (private; empty if a TensorFlow release moves it)."""
    from tensorflow.python.framework import ops as tf_ops

    registry = getattr(getattr(tf_ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else {}


def forget_custom_gradients(before: set) -> None:
    """Drop the gradient functions that tracing this trial's training step registered.

    Keras' optimizer all-reduces gradients through a ``tf.custom_gradient``, and TensorFlow
    (2.19 to 2.21 at least) registers every traced custom gradient in a global registry
    for good, with a closure that keeps the whole traced graph alive
    (tensorflow/tensorflow#97697): 4.6 MB per small trial here, whatever clear_session does.
    They are used only while the step is traced, so once ``fit`` has run they can go.
    """
    registry = custom_gradients()
    for name in [name for name in registry if name.startswith("CustomGradient-") and name not in before]:
        del registry[name]
