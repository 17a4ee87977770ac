"""The Keras task: data (from ``hpo_lessons.datasets``), a network built from a params dict, and
the objective that trains it.

Example (tests/test_keras_task.py runs the same steps)::

    import hpo_lessons as hl
    from hpo_lessons import keras_task as kt
    data = kt.load_data("digits")                      # embedded, no download
    objective = kt.KerasObjective(data, epochs=8)      # params -> validation accuracy
    result = objective({"n_layers": 2, "units": 256})  # about 0.96, in seconds on a CPU
    result["value"], result["history"]["val_accuracy"]  # the score and its learning curve
    hl.run(objective, hl.RandomSearch(kt.default_space()), n_trials=20, direction=objective.direction)

Keras 3 on the TensorFlow backend; importing this module imports TensorFlow (``import
hpo_lessons`` does not).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from numbers import Integral, Real

from .datasets import DATASETS, Dataset, from_arrays, load_data  # re-exported: the task in one import
from .space import Categorical, Integer, Space
from .space import Real as RealRange
from .tf_setup import (
    StopOnNonFinite,
    batches,
    custom_gradients,
    first_non_finite,
    forget_custom_gradients,
    fresh_session,
    gpu_info,
    keras,
    setup_tensorflow,
)

__all__ = ["DATASETS", "DEFAULT_PARAMS", "Dataset", "KerasObjective", "build_model", "default_space", "evaluate",
           "from_arrays", "gpu_info", "load_data", "resolve_params", "setup_tensorflow", "train"]

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
    if isinstance(value, bool) or not isinstance(value, Real):
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
            stack.append(layers.Dropout(p["dropout"]))
    # float32 output keeps softmax and the loss stable under a mixed-precision policy.
    stack.append(layers.Dense(data.num_classes, activation="softmax", dtype="float32", **dense))
    model = keras.Sequential(stack, name=p["model"])
    model.compile(optimizer=_optimizer(p["optimizer"], p["learning_rate"]), loss=_loss(p["loss"], data.num_classes),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
                  jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    return model


def train(params: dict | None, data: Dataset, *, seed: int = 0, verbose: int = 0, jit_compile="auto",
          steps_per_execution: int | None = None) -> tuple:
    """Train one network from a fresh Keras session; return ``(model, history)``.

    The session is cleared and Python, numpy and TensorFlow are seeded with ``seed`` first,
    so the same params, data and seed give the same weights on the same machine.
    ``history`` maps "loss", "accuracy", "val_loss", "val_accuracy" to per-epoch lists of
    floats. ``steps_per_execution=None`` runs a whole epoch per call into TensorFlow (the
    fastest setting measured for small models). Raises FloatingPointError when a loss
    becomes NaN or infinite (training stops at the end of that epoch).
    """
    p = resolve_params(params)
    fresh_session()
    keras.utils.set_random_seed(int(seed))
    batch_size = min(p["batch_size"], len(data.y_train))
    steps = steps_per_execution or math.ceil(len(data.y_train) / batch_size)
    model = build_model(p, data, jit_compile=jit_compile, steps_per_execution=steps)
    registered = set(custom_gradients())
    try:
        fit = model.fit(batches(data.x_train, data.y_train, batch_size, seed), epochs=p["epochs"],
                        validation_data=batches(data.x_val, data.y_val, max(batch_size, 1024)),
                        callbacks=[StopOnNonFinite()], verbose=verbose, shuffle=False)
    finally:
        forget_custom_gradients(registered)
    history = {key: [float(v) for v in values] for key, values in fit.history.items()}
    bad = first_non_finite(history)
    if bad is not None:
        key, epoch, value = bad
        raise FloatingPointError(f"{key} became {value} at epoch {epoch} (optimizer={p['optimizer']!r}, "
                                 f"learning_rate={p['learning_rate']:g}); lower the learning rate.")
    return model, history


def evaluate(params: dict | None, data: Dataset, *, seed: int = 0, verbose: int = 0, jit_compile="auto") -> float:
    """Test accuracy of ``params``: train as a trial does (same seed, same model), then score on the test set.

    For the final report only: choosing params by test accuracy would make it a
    validation score and leave no unbiased estimate.
    """
    model, _ = train(params, data, seed=seed, verbose=verbose, jit_compile=jit_compile)
    scores = model.evaluate(batches(data.x_test, data.y_test, 1024), verbose=verbose, return_dict=True)
    return float(scores["accuracy"])


@dataclass(eq=False)
class KerasObjective:
    """Params -> score of a network trained on ``data``, for ``hpo_lessons.run``.

    Parameters
    ----------
    data : a ``Dataset`` (``load_data`` or ``from_arrays``).
    epochs, batch_size : training budget for every trial; a trial's params may override them.
    metric : "val_accuracy" (default; maximize) or "val_loss" (minimize), at the last epoch.
    seed : seeds every trial, so the same params score the same on the same machine.
    verbose : Keras' fit verbosity; 0 prints nothing.
    fixed : hyperparameters held fixed for every trial, e.g. ``{"model": "cnn"}``.
    jit_compile : passed to ``model.compile``; "auto" uses XLA on GPUs only.

    Precedence: ``DEFAULT_PARAMS`` < ``epochs``/``batch_size`` < ``fixed`` < the trial's params.
    A call returns ``{"value": score, "history": per-epoch curves, "epochs": epochs run,
    "n_params": weights}``; ``run()`` keeps all but "value" as the trial's extras. A NaN or
    infinite loss raises FloatingPointError, which ``run()`` records as a failed trial.
    """

    data: Dataset
    epochs: int | None = None
    batch_size: int | None = None
    metric: str = "val_accuracy"
    seed: int = 0
    verbose: int = 0
    fixed: dict | None = None
    jit_compile: bool | str = "auto"

    def __post_init__(self):
        if not isinstance(self.data, Dataset):
            raise TypeError(f"data must be a Dataset from load_data() or from_arrays(), "
                            f"got {type(self.data).__name__}.")
        if self.metric not in METRICS:
            raise ValueError(f"metric={self.metric!r} is unknown; use one of {list(METRICS)} "
                             "(test accuracy is for the final report: see evaluate()).")
        if isinstance(self.seed, bool) or not isinstance(self.seed, Integral):
            raise TypeError(f"seed must be an int, got {self.seed!r}.")
        budget = {k: v for k, v in (("epochs", self.epochs), ("batch_size", self.batch_size)) if v is not None}
        self._given = {**budget, **(self.fixed or {})}
        resolve_params(self._given)  # bad settings fail here, not in the first trial

    @property
    def direction(self) -> str:
        """What ``run(..., direction=)`` needs for this metric: "maximize" accuracy, "minimize" loss."""
        return METRICS[self.metric]

    def __call__(self, params: dict) -> dict:
        full = resolve_params({**self._given, **params})
        model, history = train(full, self.data, seed=int(self.seed), verbose=self.verbose,
                               jit_compile=self.jit_compile)
        n_params = int(model.count_params())
        del model  # the next trial's clear_session frees it
        return {"value": history[self.metric][-1], "history": history, "epochs": len(history["loss"]),
                "n_params": n_params}
