"""The plumbing every Keras trial needs, on any backend: batches in epoch order, the state that a
checkpoint keeps, and the callbacks that time epochs and stop on a NaN loss.

Batches are the same on every backend: epoch e visits the training examples in the order
``datasets.epoch_order(n, seed, e)``, ``batch_size`` at a time, the last batch smaller. On
TensorFlow they come through tf.data, which keeps them in TensorFlow's own threads (a Python
generator measured 1.2 to 1.6 times slower for a 27-epoch digits trial here); on JAX and
PyTorch, where Keras iterates in Python anyway, from a generator of numpy slices.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .backend import BACKEND, keras
from .data import epoch_order


def fit_inputs(data, batch_size: int, seed: int, first: int, last: int, validation_batch_size: int) -> dict:
    """Keyword arguments for ``model.fit``: the training batches of epochs ``first`` .. ``last - 1``
    (counted from 0) as one stream, ``steps_per_epoch`` (ceil(n / batch_size), so that ``fit``
    reads one epoch's batches at a time from it) and the validation data."""
    steps = math.ceil(len(data.y_train) / batch_size)
    train = epoch_batches(data.x_train, data.y_train, batch_size, seed, first, last)
    return {"x": train, "steps_per_epoch": steps,
            **_validation(eval_inputs(data.x_val, data.y_val, validation_batch_size))}


def _validation(inputs: dict) -> dict:
    if "y" not in inputs:
        return {"validation_data": inputs["x"]}
    return {"validation_data": (inputs["x"], inputs["y"]), "validation_batch_size": inputs["batch_size"]}


def eval_inputs(x: np.ndarray, y: np.ndarray, batch_size: int) -> dict:
    """Keyword arguments for ``model.evaluate`` on ``(x, y)`` in order, ``batch_size`` at a time."""
    if BACKEND != "tensorflow":
        return {"x": x, "y": y, "batch_size": batch_size}
    import tensorflow as tf

    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    index = tf.data.Dataset.range(len(y)).batch(batch_size)
    return {"x": index.map(lambda i: (tf.gather(x, i), tf.gather(y, i))).prefetch(tf.data.AUTOTUNE)}


def epoch_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int, first: int, last: int):
    """Training batches of epochs ``first`` .. ``last - 1``, one epoch after another, epoch e in
    ``epoch_order(n, seed, e)``: a pure function of (seed, e), so training resumed at epoch e sees
    exactly the batches an uninterrupted run sees.

    On TensorFlow a tf.data stream whose batches have an unknown first dimension, so the last,
    smaller batch does not make TensorFlow trace the training step a second time; elsewhere a
    generator of numpy slices.
    """
    if BACKEND != "tensorflow":
        return _numpy_epochs(x, y, batch_size, seed, first, last)
    import tensorflow as tf

    order = np.stack([epoch_order(len(y), seed, e) for e in range(first, last)]).astype(np.int64)
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    stream = tf.data.Dataset.from_tensor_slices(order).flat_map(
        lambda index: tf.data.Dataset.from_tensor_slices(index).batch(batch_size))
    stream = stream.apply(tf.data.experimental.assert_cardinality((last - first) * math.ceil(len(y) / batch_size)))
    return stream.map(lambda i: (tf.gather(x, i), tf.gather(y, i))).prefetch(tf.data.AUTOTUNE)


def _numpy_epochs(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int, first: int, last: int):
    for epoch in range(first, last):
        order = epoch_order(len(y), seed, epoch)
        for start in range(0, len(y), batch_size):
            index = order[start:start + batch_size]
            yield x[index], y[index]


def model_state(model) -> tuple[list, list]:
    """(model variables, optimizer variables) as numpy arrays.

    ``model.variables`` holds the weights and, unlike ``model.weights``, the state of every
    layer's ``SeedGenerator`` (the random stream dropout draws its masks from);
    ``model.optimizer.variables`` holds the iteration count, the learning rate and the slots
    (momentum, Adam's first and second moments).
    """
    return [_numpy(v) for v in model.variables], [_numpy(v) for v in model.optimizer.variables]


def _numpy(variable) -> np.ndarray:
    return to_numpy(variable if BACKEND == "tensorflow" else variable.value)


def to_numpy(tensor) -> np.ndarray:
    """A backend tensor (or a TensorFlow variable) as a numpy array of its own, copied off its device.

    Each backend by the route that numpy 2 takes without a DeprecationWarning (``keras.ops.
    convert_to_numpy`` goes through an ``__array__`` without ``copy`` on TensorFlow and PyTorch).
    """
    if BACKEND == "tensorflow":
        return tensor.numpy()
    if BACKEND == "torch":
        return tensor.detach().cpu().numpy().copy()  # .numpy() of a CPU tensor shares its memory
    return np.asarray(tensor)


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
            predicted = np.argmax(to_numpy(self.model(x, training=False)), axis=1)
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
