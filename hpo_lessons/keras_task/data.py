"""Classification data for the Keras task: one small ``Dataset`` type with stratified splits.

``load_data("digits")`` ships with scikit-learn (no download); "mnist", "fashion_mnist" and
"cifar10" come through ``keras.datasets``; ``from_arrays`` splits any user data the same way.
Only the downloadable datasets import Keras (on any backend).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np

from ..core.checks import is_int, is_number

KERAS_DATASETS = ("mnist", "fashion_mnist", "cifar10")  # downloaded by keras.datasets on first use
DATASETS = ("digits",) + KERAS_DATASETS


@dataclass(eq=False, repr=False)
class Dataset:
    """A classification task split three ways.

    ``x_*`` are float32 arrays of shape ``(n, *input_shape)`` with values in [0, 1] for the
    built-in data; ``y_*`` are int32 class indices of shape (n,), in [0, num_classes).
    ``classes[k]`` is the original label of class index k. A built-in dataset remembers the
    ``load_data`` arguments that made it (``recipe``), and pickles as that recipe: a worker
    process reloads it instead of receiving every array.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    input_shape: tuple
    num_classes: int
    name: str = "arrays"
    classes: tuple = ()
    recipe: dict = field(default_factory=dict)  # load_data(**recipe) rebuilds it; empty for from_arrays

    def __reduce_ex__(self, protocol):
        if self.recipe:
            return _reload, (self.recipe,)
        return super().__reduce_ex__(protocol)

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}: train {len(self.y_train)}, val {len(self.y_val)}, test {len(self.y_test)}, "
                f"input_shape={self.input_shape}, num_classes={self.num_classes})")


def _reload(recipe: dict) -> Dataset:
    return load_data(**recipe)


def epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    """The order in which training examples are visited in ``epoch`` (counted from 0): a permutation of ``n``.

    A pure function of (seed, epoch), so a training run resumed at epoch e sees the same
    batches as a run that never stopped.
    """
    return np.random.default_rng([int(seed), int(epoch)]).permutation(int(n))


def _fraction(value, what: str) -> float:
    if not is_number(value) or not 0 < value < 1:
        raise ValueError(f"{what} must be a fraction strictly between 0 and 1, got {value!r}.")
    return float(value)


def _stratified_take(y: np.ndarray, n: int, seed: int, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Split indices of ``y`` into (the rest, ``n`` taken) with class proportions kept."""
    from sklearn.model_selection import train_test_split

    counts = np.bincount(y)
    k = int(np.count_nonzero(counts))
    if not k <= n <= len(y) - k or counts[counts > 0].min() < 2:
        raise ValueError(f"{what} would take {n} of {len(y)} examples, but each of the {k} classes needs at least "
                         f"one example on each side of the split; use more data or change {what}.")
    rest, taken = train_test_split(np.arange(len(y)), test_size=n, stratify=y, random_state=seed)
    return np.sort(rest), np.sort(taken)  # sorted: the original order, shuffled later per epoch


def _check_arrays(x, y) -> tuple[np.ndarray, np.ndarray, tuple]:
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:  # e.g. cifar10 labels, shape (n, 1)
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must hold one class label per example, shape (n,), got shape {y.shape}.")
    if x.ndim < 2 or len(x) != len(y):
        raise ValueError(f"x must have shape (n, features...) with n = len(y) = {len(y)}, got shape {x.shape}.")
    if not np.issubdtype(x.dtype, np.number) or not np.isfinite(x).all():
        raise ValueError("x must be numeric and finite (no NaN or inf).")
    classes, y = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"y has {len(classes)} class; a classifier needs at least 2.")
    counts = np.bincount(y)
    if counts.min() < 3:
        rare = classes.tolist()[int(np.argmin(counts))]
        raise ValueError(f"class {rare!r} has {counts.min()} example(s); every class needs at least 3 (one each "
                         "for train, validation and test). Drop it or collect more.")
    return x.astype(np.float32, copy=False), y.astype(np.int32), tuple(classes.tolist())


def _cap(x, y, max_train_samples, seed):
    if max_train_samples is None or max_train_samples >= len(y):
        return x, y
    if not is_int(max_train_samples) or max_train_samples < 1:
        raise ValueError(f"max_train_samples must be a positive int or None, got {max_train_samples!r}.")
    _, keep = _stratified_take(y, int(max_train_samples), seed, "max_train_samples")
    return x[keep], y[keep]


def from_arrays(x, y, seed: int = 0, val_fraction: float = 0.2, test_fraction: float = 0.2, name: str = "arrays",
                max_train_samples: int | None = None) -> Dataset:
    """Stratified train/validation/test split of any labelled arrays.

    Parameters
    ----------
    x : array ``(n, *input_shape)``; used as given (scale it to about [0, 1] first).
    y : array (n,) of class labels of any type; they become indices 0..k-1 (``Dataset.classes``).
    val_fraction, test_fraction : shares of all n examples for validation and test
        (rounded); the rest trains. Every class keeps its proportion in each part.
    seed : the same seed gives the same split.
    max_train_samples : keep a stratified subset of at most this many training examples.
    """
    x, y, classes = _check_arrays(x, y)
    val_fraction, test_fraction = _fraction(val_fraction, "val_fraction"), _fraction(test_fraction, "test_fraction")
    if val_fraction + test_fraction >= 1:
        raise ValueError(f"val_fraction + test_fraction = {val_fraction + test_fraction:g} leaves nothing to train on; "
                         "keep their sum below 1.")
    n = len(y)
    rest, test = _stratified_take(y, round(test_fraction * n), seed, "test_fraction")
    train, val = _stratified_take(y[rest], round(val_fraction * n), seed, "val_fraction")
    train, val = rest[train], rest[val]
    x_train, y_train = _cap(x[train], y[train], max_train_samples, seed)
    return Dataset(x_train, y_train, x[val], y[val], x[test], y[test], tuple(x.shape[1:]), len(classes), name, classes)


def load_data(name: str = "digits", seed: int = 0, val_fraction: float = 0.2, test_fraction: float | None = None,
              max_train_samples: int | None = None) -> Dataset:
    """A built-in image classification task, pixels scaled to [0, 1], shape (n, height, width, channels).

    name : "digits" (default: 1,797 8x8 images that ship with scikit-learn, no download;
        split 60/20/20 into 1,079 train, 359 validation, 359 test), or "mnist",
        "fashion_mnist" (28x28x1), "cifar10" (32x32x3), downloaded by ``keras.datasets`` on
        first use (needs internet, e.g. Colab). Those keep their own test set, and
        ``val_fraction`` of their training set becomes the validation set.
    test_fraction : "digits" only (default 0.2).
    max_train_samples : keep a stratified subset of at most this many training examples.
    """
    if name not in DATASETS:
        near = difflib.get_close_matches(str(name), DATASETS, n=1)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise ValueError(f"unknown dataset {name!r}.{hint} Choose one of {list(DATASETS)}, or use from_arrays(x, y).")
    recipe = {"name": name, "seed": seed, "val_fraction": val_fraction, "test_fraction": test_fraction,
              "max_train_samples": max_train_samples}
    if name == "digits":
        from sklearn.datasets import load_digits

        x, y = load_digits(return_X_y=True)  # pixels are counts 0..16
        data = from_arrays(x.reshape(-1, 8, 8, 1) / 16.0, y, seed=seed, val_fraction=val_fraction,
                           test_fraction=0.2 if test_fraction is None else test_fraction, name=name,
                           max_train_samples=max_train_samples)
        data.recipe = recipe
        return data
    if test_fraction is not None:
        raise ValueError(f"{name} comes with its own test set; leave test_fraction=None.")
    try:
        from .backend import keras  # Keras (and its backend) only for the downloadable datasets

        (x, y), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    except Exception as exc:
        raise RuntimeError(f"keras.datasets could not load {name!r} ({exc}). It downloads on first use and needs "
                           "internet access; offline, use load_data('digits') or from_arrays(x, y).") from exc
    x, x_test = (a.reshape(*a.shape, 1) if a.ndim == 3 else a for a in (x, x_test))  # add the channel axis
    x, y, classes = _check_arrays(x / np.float32(255), y)
    x_test, y_test = np.asarray(x_test / np.float32(255), np.float32), np.searchsorted(classes, np.ravel(y_test))
    train, val = _stratified_take(y, round(_fraction(val_fraction, "val_fraction") * len(y)), seed, "val_fraction")
    x_train, y_train = _cap(x[train], y[train], max_train_samples, seed)
    return Dataset(x_train, y_train, x[val], y[val], x_test, y_test.astype(np.int32), tuple(x.shape[1:]),
                   len(classes), name, classes, recipe)
