"""The network of the Keras task, built from a params dict, and how it is trained and scored.

Example (tests/test_keras_task.py runs the same steps)::

    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt
    data = kt.load_data("digits")                      # embedded, no download
    objective = kt.KerasObjective(data, epochs=8)      # params -> validation accuracy
    result = objective({"n_layers": 2, "units": 256})  # about 0.96, in seconds on a CPU
    result["value"], result["history"]["val_accuracy"]  # the score and its learning curve
    hl.run(objective, hl.RandomSearch(kt.default_space()), n_trials=20, direction=objective.direction)
    objective({"units": 256}, budget=3)                 # 3 epochs; budget=9 next resumes and trains 6 more

The data are ``keras_task/data.py``; ``KerasObjective`` (budgets, checkpoints) is ``keras_task/objective.py``.
Keras 3 on the backend ``KERAS_BACKEND`` names (TensorFlow, JAX or PyTorch; see
``hpo_lessons.keras_task.backend``); importing this module imports Keras and that backend only
(``import hpo_lessons`` imports neither).
"""

from __future__ import annotations

import difflib
import math
import random
import threading
import time
from dataclasses import dataclass
from numbers import Integral

from ..core.checks import is_number
from ..core.space import Categorical, Integer, Space
from ..core.space import Real as RealRange
from .backend import BACKEND, keras, set_seed
from .cleanup import fresh_session, released_after
from .data import Dataset
from .training import EpochLog, StopOnNonFinite, eval_inputs, first_non_finite, fit_inputs, restore_state

__all__ = ["DEFAULT_PARAMS", "METRICS", "build_model", "default_space", "evaluate", "fit_epochs", "resolve_params",
           "train"]

# Every hyperparameter the task knows, with its default. "batch_size" and "epochs" drive
# training; the rest shape the network. "filters", "kernel_size" and "n_conv" only matter
# for model="cnn": n_conv blocks of Conv2D (filters, 2*filters, ...) + 2x2 max pooling.
DEFAULT_PARAMS = {
    "model": "mlp", "n_layers": 1, "units": 64, "activation": "relu", "dropout": 0.0, "l2": 0.0,
    "kernel_initializer": "glorot_uniform", "optimizer": "adam", "learning_rate": 1e-3,
    "loss": "sparse_categorical_crossentropy", "filters": 16, "kernel_size": 3, "n_conv": 2,
    "batch_size": 32, "epochs": 8,
}
CHOICES = {
    "model": ("mlp", "cnn"),
    "activation": ("relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "leaky_relu", "linear"),
    "kernel_initializer": ("glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
                           "lecun_normal", "random_normal", "random_uniform", "zeros"),
    "optimizer": ("sgd", "momentum", "adam", "rmsprop"),  # "momentum" is SGD with momentum 0.9
    # The last three compare the network's softmax output with one-hot labels.
    "loss": ("sparse_categorical_crossentropy", "categorical_crossentropy", "categorical_hinge", "mse"),
}
INTEGERS = {"n_layers": (0, 64), "units": (1, 16384), "filters": (1, 2048), "kernel_size": (1, 15),
            "n_conv": (1, 6), "batch_size": (1, 1 << 20), "epochs": (1, 100_000)}  # inclusive bounds
REALS = {"dropout": (0.0, 1.0, "[0, 1)"), "l2": (0.0, math.inf, ">= 0"), "learning_rate": (0.0, math.inf, "> 0")}
METRICS = {"val_accuracy": "maximize", "val_loss": "minimize"}
# Keras keeps one session and one global seed per process: trials in threads must take turns.
TRAINING = threading.RLock()


def default_space() -> Space:
    """The course's search space for the MLP: learning rate and width on a log scale, depth, activation, dropout.

    The same space as the command line's ``--task`` (``hpo_lessons.cli.digits_space``).
    """
    return Space(
        learning_rate=RealRange(1e-4, 1e-1, log=True),
        units=Integer(16, 256, log=True),
        n_layers=Integer(1, 3),
        activation=Categorical(["relu", "tanh", "elu"]),
        dropout=RealRange(0.0, 0.5),
    )


def resolve_params(params: dict | None) -> dict:
    """Defaults filled in, every value checked and converted to a plain Python type.

    Integers arrive as ``int`` even from numpy (Keras 3 layers reject ``np.int64`` units).
    Raises ValueError (TypeError for a wrong type) naming the hyperparameter and what is
    allowed, before anything is built or trained.
    """
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of hyperparameters, got {type(params).__name__}.")
    out = dict(DEFAULT_PARAMS)
    for key, value in params.items():
        if key not in DEFAULT_PARAMS:
            near = difflib.get_close_matches(str(key), DEFAULT_PARAMS, n=1)
            hint = f" Did you mean {near[0]!r}?" if near else ""
            raise ValueError(f"unknown hyperparameter {key!r}.{hint} Allowed: {sorted(DEFAULT_PARAMS)}.")
        out[key] = _check(key, value)
    return out


def _check(key: str, value):
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ValueError(f"{key}={value!r} is not allowed; choose one of {list(CHOICES[key])}.")
        return str(value)
    if not is_number(value):
        raise TypeError(f"{key} must be a number, got {value!r} ({type(value).__name__}).")
    if key in INTEGERS:
        if not isinstance(value, Integral) and not float(value).is_integer():
            raise ValueError(f"{key} must be a whole number, got {value!r}; round it or search it with Integer().")
        low, high = INTEGERS[key]
        if not low <= int(value) <= high:
            raise ValueError(f"{key}={value!r} is out of range; use an integer in [{low}, {high}].")
        return int(value)
    low, high, rule = REALS[key]
    value = float(value)
    ok = low <= value < high if key == "dropout" else (value > low if key == "learning_rate" else value >= low)
    if not (ok and math.isfinite(value)):
        raise ValueError(f"{key}={value!r} is out of range; it must be {rule}.")
    return value


def _optimizer(name: str, learning_rate: float):
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate)
    if name == "momentum":
        return keras.optimizers.SGD(learning_rate, momentum=0.9)
    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    return keras.optimizers.RMSprop(learning_rate)


def _loss(name: str, num_classes: int):
    """Keras loss for integer labels; the one-hot losses one-hot the labels inside."""
    if name == "sparse_categorical_crossentropy":
        return name
    base = keras.losses.get(name)

    def loss(y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        return base(keras.ops.one_hot(labels, num_classes, dtype=y_pred.dtype), y_pred)

    loss.__name__ = name
    return loss


def build_model(params: dict | None, data: Dataset, *, jit_compile="auto", steps_per_execution: int = 1):
    """A compiled classifier for ``data``: an MLP, or a small CNN for images (model="cnn").

    The MLP is Flatten -> ``n_layers`` x [Dense(units, activation) -> Dropout(dropout)] ->
    Dense(num_classes, softmax). The CNN puts ``n_conv`` blocks of [Conv2D(filters * 2**i,
    kernel_size, "same") -> MaxPooling2D(2)] in front of the same head. Every layer uses
    ``kernel_initializer`` and an L2 penalty ``l2`` on its weights. Accuracy is reported
    as "accuracy" (and "val_accuracy" during ``fit``). ``batch_size`` and ``epochs`` are
    checked but used by ``train``, not here.
    """
    p = resolve_params(params)
    layers = keras.layers
    if p["model"] == "cnn" and len(data.input_shape) != 3:
        raise ValueError(f"model='cnn' needs images shaped (height, width, channels), but data.input_shape is "
                         f"{data.input_shape}; use model='mlp', or give from_arrays x[..., None].")
    dense = {"kernel_initializer": p["kernel_initializer"],
             "kernel_regularizer": keras.regularizers.L2(p["l2"]) if p["l2"] > 0 else None}
    stack = [keras.Input(data.input_shape)]
    if p["model"] == "cnn":
        for i in range(p["n_conv"]):
            stack += [layers.Conv2D(p["filters"] * 2**i, p["kernel_size"], padding="same",
                                    activation=p["activation"], **dense),
                      layers.MaxPooling2D(2, padding="same")]  # "same": small images never shrink to zero
    stack.append(layers.Flatten())
    for _ in range(p["n_layers"]):
        stack.append(layers.Dense(p["units"], activation=p["activation"], **dense))
        if p["dropout"] > 0:
            stack.append(layers.Dropout(p["dropout"], **_dropout_seed()))
    # float32 output keeps softmax and the loss stable under a mixed-precision policy.
    stack.append(layers.Dense(data.num_classes, activation="softmax", dtype="float32", **dense))
    model = keras.Sequential(stack, name=p["model"])
    model.compile(optimizer=_optimizer(p["optimizer"], p["learning_rate"]), loss=_loss(p["loss"], data.num_classes),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
                  jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    return model


def _dropout_seed() -> dict:
    """On PyTorch, a seed for each Dropout layer, drawn from Python's stream (which the trial's seed set).

    PyTorch's Keras draws an unseeded Dropout's masks from torch's global generator, which no
    checkpoint holds, so a resumed trial would draw other masks; a seeded one draws them from
    its ``SeedGenerator``, a model variable that the checkpoint keeps. TensorFlow and JAX draw
    from the ``SeedGenerator`` either way, and stay as they were (the digits-mlp table was made so).
    """
    return {"seed": random.randrange(1, 2**31)} if BACKEND == "torch" else {}


@dataclass
class Fit:
    """What ``fit_epochs`` did: the model, the curves of the epochs it trained (epoch ``first + 1`` on),
    their cumulative seconds (``elapsed``, from the start of this call), and ``first``, the epoch it
    resumed from (0 when it started from scratch)."""

    model: object
    history: dict
    elapsed: list
    first: int


def fit_epochs(params: dict | None, data: Dataset, *, seed: int = 0, verbose: int = 0, jit_compile="auto",
               steps_per_execution: int | None = None, resume=None, record_test: bool = False) -> Fit:
    """Train to ``params["epochs"]`` from a fresh Keras session, from scratch or from ``resume``.

    The session is cleared and Python, numpy and the backend are seeded with ``seed``
    (``keras.utils.set_random_seed``) before the model is built, so the same params, data and
    seed give the same weights on the same machine and backend (another backend draws other
    initial weights from the same seed). Epoch e visits the training data in the order ``epoch_order(n, seed, e)``.
    ``resume`` is a ``checkpoints.Checkpoint`` of the same configuration and seed with fewer
    epochs: its model and optimizer variables are put back and training goes on from its
    epoch, as if it had never stopped (if its arrays do not fit the model it is ignored and
    training starts from scratch: ``Fit.first`` says which). ``record_test`` adds
    "test_accuracy" after each epoch to the curves. Calls from several threads run one at a time.
    """
    p = resolve_params(params)
    with TRAINING:
        fresh_session()
        set_seed(int(seed))
        start = time.perf_counter()
        batch_size = min(p["batch_size"], len(data.y_train))
        per_epoch = math.ceil(len(data.y_train) / batch_size)
        # A whole epoch per call into the backend; PyTorch's trainer takes one step per call only.
        steps_per_execution = steps_per_execution or (1 if BACKEND == "torch" else per_epoch)
        model = build_model(p, data, jit_compile=jit_compile, steps_per_execution=steps_per_execution)
        first = 0
        if resume is not None and 0 < resume.epochs < p["epochs"] and restore_state(model, resume.model,
                                                                                     resume.optimizer):
            first = resume.epochs
        log = EpochLog(start, (data.x_test, data.y_test) if record_test else None)
        with released_after():
            fit = model.fit(**fit_inputs(data, batch_size, seed, first, p["epochs"], max(batch_size, 1024)),
                            initial_epoch=first, epochs=p["epochs"], callbacks=[StopOnNonFinite(), log],
                            verbose=verbose, shuffle=False)
    history = {key: [float(v) for v in values] for key, values in fit.history.items()}
    if record_test:
        history["test_accuracy"] = log.test_accuracy
    bad = first_non_finite(history)
    if bad is not None:
        key, epoch, value = bad
        raise FloatingPointError(f"{key} became {value} at epoch {first + epoch} (optimizer={p['optimizer']!r}, "
                                 f"learning_rate={p['learning_rate']:g}); lower the learning rate.")
    return Fit(model, history, log.elapsed, first)


def train(params: dict | None, data: Dataset, *, seed: int = 0, verbose: int = 0, jit_compile="auto",
          steps_per_execution: int | None = None, record_test: bool = False) -> tuple:
    """Train one network from scratch in a fresh Keras session; return ``(model, history)``.

    ``history`` maps "loss", "accuracy", "val_loss", "val_accuracy" (and "test_accuracy" with
    ``record_test``) to per-epoch lists of floats. ``steps_per_execution=None`` runs a whole
    epoch per call into TensorFlow or JAX (the fastest setting measured for small models on
    TensorFlow; the same speed as one step per call on JAX), one step per call on PyTorch. The
    same params, data and seed give the same weights on the same machine (``fit_epochs``).
    Raises FloatingPointError when a loss becomes NaN or infinite (training stops at the end
    of that epoch).
    """
    run = fit_epochs(params, data, seed=seed, verbose=verbose, jit_compile=jit_compile,
                     steps_per_execution=steps_per_execution, record_test=record_test)
    return run.model, run.history


def evaluate(params: dict | None, data: Dataset, *, seed: int = 0, verbose: int = 0, jit_compile="auto") -> float:
    """Test accuracy of ``params``: train as a trial does (same seed, same model), then score on the test set.

    For the final report only: choosing params by test accuracy would make it a
    validation score and leave no unbiased estimate.
    """
    model, _ = train(params, data, seed=seed, verbose=verbose, jit_compile=jit_compile)
    scores = model.evaluate(**eval_inputs(data.x_test, data.y_test, 1024), verbose=verbose, return_dict=True)
    return float(scores["accuracy"])
