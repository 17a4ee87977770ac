"""Memory hygiene between Keras trials, per backend: what ``clear_session`` frees, and what it does not.

Keras Tuner users report memory that grows trial after trial until the process dies
(keras-team/keras-tuner #395 and #873). Each trial here starts with ``fresh_session`` and trains
inside ``released_after``; tests/test_keras_memory.py measures the resident memory over 100
trials on TensorFlow and on JAX.
"""

from __future__ import annotations

import contextlib
import gc

from .backend import BACKEND, keras

_gc_frozen = False


def fresh_session() -> None:
    """Forget every earlier model and collect its garbage, cheaply enough to do per trial.

    The dtype policy (mixed precision from ``setup_backend``) is kept. A full ``gc.collect()``
    walks TensorFlow's ~400,000 module-level objects and took 0.3 s per trial here, over a
    tenth of a quick trial. Those objects live as long as the process, so the first call moves
    them to the collector's permanent generation (``gc.freeze``); later collections skip them
    and take ~0.02 s. On JAX the compiled steps of earlier models are dropped from JAX's caches
    (kept, they grew a small trial's process by 2.6 MB each here); on a PyTorch GPU the
    allocator's free blocks go back to the device.
    """
    global _gc_frozen
    policy = keras.mixed_precision.global_policy()  # clear_session resets it to float32
    try:
        keras.backend.clear_session(free_memory=False)  # we collect below, once
    except TypeError:  # a Keras 3 release without the argument
        keras.backend.clear_session()
    keras.mixed_precision.set_global_policy(policy)
    if BACKEND == "jax":
        import jax

        jax.clear_caches()  # traced and compiled functions of models that are gone
    gc.collect()
    if BACKEND == "torch":
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    if not _gc_frozen:
        gc.freeze()
        _gc_frozen = True


def custom_gradients() -> dict:
    """TensorFlow's registry of gradient functions (private; empty off TensorFlow, or if a release moves it)."""
    if BACKEND != "tensorflow":
        return {}
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


@contextlib.contextmanager
def released_after():
    """Around a trial's training: what the backend keeps of it for good, beyond clear_session, is let go after."""
    registered = set(custom_gradients())
    try:
        yield
    finally:
        forget_custom_gradients(registered)
