"""The Keras task: data splits, the model builder, the objective, the backend's set-up.

References: scikit-learn's digits data (the split must be a partition of it with class
proportions kept), closed forms for parameter counts and for the three one-hot losses
(computed with numpy from the model's own predictions), numpy's argmax accuracy for
``evaluate``, ``hpo_lessons.core.run`` for failed trials, and the backend's own device list for the
GPU report. No network access: the MNIST path reads an archive written by the test. Every test
runs on the Keras backend of the process (``KERAS_BACKEND``: TensorFlow, JAX or PyTorch); the
ones about TensorFlow itself skip elsewhere.
"""

from importlib import import_module

import numpy as np
import pytest
from sklearn.datasets import load_digits

import hpo_lessons as hl
from hpo_lessons import keras_task as kt
from hpo_lessons.keras_task import backend, cleanup, keras

pytestmark = pytest.mark.keras
needs_tensorflow = pytest.mark.skipif(backend.BACKEND != "tensorflow",
                                      reason=f"about TensorFlow itself; Keras runs on {backend.BACKEND} here")

QUICK = hl.profile("quick")


@pytest.fixture(scope="module")
def digits():
    return kt.load_data("digits")


def rows(x, y):
    """The examples as a sorted list of (label, pixel bytes): a multiset to compare splits with."""
    return sorted(zip(np.asarray(y).tolist(), [r.tobytes() for r in np.asarray(x, np.float32).reshape(len(x), -1)]))


# -- data ------------------------------------------------------------------------------------------------
def test_digits_split_is_a_stratified_partition(digits):
    d = digits
    assert (len(d.y_train), len(d.y_val), len(d.y_test)) == (1079, 359, 359)  # 60/20/20 of 1,797
    assert d.input_shape == (8, 8, 1) and d.num_classes == 10 and d.classes == tuple(range(10))
    assert d.x_train.shape == (1079, 8, 8, 1) and d.x_train.dtype == np.float32 and d.y_train.dtype == np.int32
    x, y = load_digits(return_X_y=True)
    parts = np.concatenate([d.x_train, d.x_val, d.x_test]), np.concatenate([d.y_train, d.y_val, d.y_test])
    assert rows(*parts) == rows(x / 16.0, y)  # every example once, pixels 0..16 scaled to 0..1
    assert parts[0].min() == 0.0 and parts[0].max() == 1.0
    share = np.bincount(y) / len(y)
    for labels in (d.y_train, d.y_val, d.y_test):  # each class within one example of its share
        assert np.all(np.abs(np.bincount(labels, minlength=10) - share * len(labels)) <= 1.0)


def test_split_depends_on_the_seed_only(digits):
    again, other = kt.load_data("digits", seed=0), kt.load_data("digits", seed=1)
    assert np.array_equal(again.x_val, digits.x_val) and np.array_equal(again.y_test, digits.y_test)
    assert not np.array_equal(other.x_val, digits.x_val)
    small = kt.load_data("digits", max_train_samples=200)
    assert len(small.y_train) == 200 and set(small.y_train.tolist()) == set(range(10))
    assert np.array_equal(small.x_val, digits.x_val)  # the cap leaves validation and test alone


def test_from_arrays_encodes_labels_and_splits():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(100, 3)), np.repeat(["cat", "dog", "owl", "yak"], 25)
    d = kt.from_arrays(x, y, seed=3, val_fraction=0.2, test_fraction=0.1, name="animals")
    assert (len(d.y_train), len(d.y_val), len(d.y_test)) == (70, 20, 10)
    assert d.classes == ("cat", "dog", "owl", "yak") and d.num_classes == 4 and d.input_shape == (3,)
    assert repr(d) == "Dataset('animals': train 70, val 20, test 10, input_shape=(3,), num_classes=4)"
    parts = [(d.x_train, d.y_train), (d.x_val, d.y_val), (d.x_test, d.y_test)]
    back = rows(np.concatenate([p[0] for p in parts]), [d.classes[k] for p in parts for k in p[1]])
    assert back == rows(x, y)  # the original labels come back through classes


@pytest.mark.parametrize("x, y, kwargs, match", [
    (np.zeros((10, 2)), np.arange(9) % 2, {}, "n = len"),
    (np.zeros((30, 2)), np.r_[np.zeros(28), [1, 1]], {}, "class 1.0 has 2 example"),
    (np.zeros((30, 2)), np.zeros(30), {}, "at least 2"),
    (np.zeros((30, 2)), np.arange(30) % 3, {"val_fraction": 0.5, "test_fraction": 0.5}, "nothing to train"),
    (np.zeros((30, 2)), np.arange(30) % 3, {"val_fraction": 0}, "val_fraction must be"),
    (np.zeros((30, 2)), np.arange(30) % 3, {"max_train_samples": 0}, "max_train_samples must be"),
    (np.zeros((30, 2)), np.arange(30) % 3, {"max_train_samples": 2}, "max_train_samples would take 2 .* 3 classes"),
    (np.zeros((30, 2)), np.arange(30) % 10, {"test_fraction": 0.1}, "test_fraction would take 3"),
    (np.full((30, 2), np.nan), np.arange(30) % 3, {}, "finite"),
    (np.zeros((30, 2)), np.zeros((30, 2)), {}, "one class label per example"),
])
def test_from_arrays_rejects_bad_input(x, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kt.from_arrays(x, y, **kwargs)


def test_load_data_rejects_unknown_names_and_fractions():
    with pytest.raises(ValueError, match=r"unknown dataset 'mnsit'\. Did you mean 'mnist'"):
        kt.load_data("mnsit")
    with pytest.raises(ValueError, match="own test set"):
        kt.load_data("mnist", test_fraction=0.2)


def plant_mnist(monkeypatch, tmp_path, n_train=12, n_test=3):
    """A tiny archive with MNIST's keys, shapes and dtypes, served by keras.datasets.mnist's file fetcher.

    ``load_data`` reaches the archive through Keras' own loader; only its download helper is
    replaced (by name, in the module the loader lives in), so no network is touched.
    """
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (10 * n_train, 28, 28), dtype=np.uint8),
              "y_train": np.repeat(np.arange(10, dtype=np.uint8), n_train),
              "x_test": rng.integers(0, 256, (10 * n_test, 28, 28), dtype=np.uint8),
              "y_test": np.tile(np.arange(10, dtype=np.uint8), n_test)}
    np.savez(tmp_path / "mnist.npz", **arrays)
    asked = []

    def get_file(fname=None, origin=None, **kwargs):
        asked.append((fname, origin))
        return str(tmp_path / "mnist.npz")

    monkeypatch.setattr(import_module(keras.datasets.mnist.load_data.__module__), "get_file", get_file)
    return arrays, asked


def test_mnist_through_keras_datasets_offline(monkeypatch, tmp_path):
    arrays, asked = plant_mnist(monkeypatch, tmp_path)
    d = kt.load_data("mnist", seed=0, val_fraction=0.25)
    assert asked and asked[0][0] == "mnist.npz" and asked[0][1].endswith("mnist.npz")
    assert (len(d.y_train), len(d.y_val), len(d.y_test)) == (90, 30, 30) and d.input_shape == (28, 28, 1)
    assert np.array_equal(d.x_test[..., 0], arrays["x_test"] / np.float32(255)) and np.array_equal(
        d.y_test, arrays["y_test"])
    assert np.all(np.bincount(d.y_val) == 3)  # stratified: 30 validation images, 3 of each digit
    assert rows(np.concatenate([d.x_train, d.x_val]), np.concatenate([d.y_train, d.y_val])) == rows(
        arrays["x_train"][..., None] / np.float32(255), arrays["y_train"])
    capped = kt.load_data("mnist", max_train_samples=40)
    assert len(capped.y_train) == 40 and np.all(np.bincount(capped.y_train) == 4)


def test_failed_download_says_what_to_do(monkeypatch):
    def no_network(*args, **kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- no route to host")

    monkeypatch.setattr(import_module(keras.datasets.mnist.load_data.__module__), "get_file", no_network)
    with pytest.raises(RuntimeError, match=r"needs internet access.*load_data\('digits'\)"):
        kt.load_data("mnist")


# -- the model ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params, error, match", [
    ({"unit": 32}, ValueError, r"unknown hyperparameter 'unit'\. Did you mean 'units'"),
    ({"optimizer": "adamw"}, ValueError, r"optimizer='adamw' is not allowed; choose one of \['sgd', 'momentum'"),
    ({"activation": "softplus"}, ValueError, "activation='softplus'"),
    ({"units": 63.5}, ValueError, "whole number"),
    ({"units": 0}, ValueError, r"units=0 is out of range"),
    ({"units": True}, TypeError, "units must be a number"),
    ({"dropout": 1.0}, ValueError, r"dropout=1.0 is out of range; it must be \[0, 1\)"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ({"learning_rate": float("nan")}, ValueError, "learning_rate"),
    ({"l2": -1e-4}, ValueError, "l2"),
    ({"learning_rate": "fast"}, TypeError, "learning_rate must be a number"),
])
def test_bad_params_are_named_before_anything_is_built(digits, params, error, match):
    with pytest.raises(error, match=match):
        kt.build_model(params, digits)


def test_numpy_integers_become_python_ints(digits):
    p = kt.resolve_params({"units": np.int64(32), "n_layers": np.int32(2), "epochs": np.float64(3.0)})
    assert all(type(p[k]) is int for k in ("units", "n_layers", "epochs"))
    model = kt.build_model({"units": np.int64(32), "n_layers": np.int32(2)}, digits)
    assert [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)] == [32, 32, 10]
    assert set(kt.resolve_params(None)) == set(kt.DEFAULT_PARAMS) == set(kt.resolve_params({}))


def test_mlp_and_cnn_structure_against_closed_forms(digits):
    mlp = kt.build_model({"n_layers": 2, "units": 16, "dropout": 0.5, "optimizer": "momentum", "learning_rate": 0.05},
                         digits)
    # (64 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 10 weights and biases
    assert mlp.count_params() == 65 * 16 + 17 * 16 + 17 * 10
    assert sum(isinstance(layer, keras.layers.Dropout) for layer in mlp.layers) == 2
    assert isinstance(mlp.optimizer, keras.optimizers.SGD) and mlp.optimizer.momentum == 0.9  # a subclass on torch
    assert np.isclose(float(mlp.optimizer.learning_rate.numpy()), 0.05)
    assert kt.build_model({"n_layers": 0}, digits).count_params() == 65 * 10  # softmax regression
    cnn = kt.build_model({"model": "cnn", "filters": 4, "kernel_size": 3, "n_conv": 2, "n_layers": 1, "units": 8},
                         digits)
    # conv 3x3x1->4, conv 3x3x4->8, two 2x2 pools: 8x8 -> 4x4 -> 2x2, so 2*2*8 = 32 features
    assert cnn.count_params() == (9 * 1 + 1) * 4 + (9 * 4 + 1) * 8 + (32 + 1) * 8 + (8 + 1) * 10
    flat = kt.from_arrays(np.random.default_rng(0).random((30, 5)), np.arange(30) % 3)
    with pytest.raises(ValueError, match=r"model='cnn' needs images"):
        kt.build_model({"model": "cnn"}, flat)


def test_losses_match_their_closed_forms(digits):
    """Each one-hot loss, evaluated by Keras on fixed weights, equals numpy's formula on the same predictions."""
    x, y = digits.x_val[:64], digits.y_val[:64]
    onehot = np.eye(10)[y]
    values = {}
    for loss in kt.CHOICES["loss"]:
        keras.utils.set_random_seed(0)
        model = kt.build_model({"loss": loss}, digits)
        p = model.predict(x, verbose=0).astype(np.float64)
        values[loss] = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)["loss"]
        true = p[np.arange(len(y)), y]
        expected = {
            "sparse_categorical_crossentropy": -np.mean(np.log(true)),
            "categorical_crossentropy": -np.mean(np.log(true)),
            "categorical_hinge": np.mean(np.maximum(0.0, 1.0 + np.max(np.where(onehot == 1, -np.inf, p), axis=1)
                                                    - true)),
            "mse": np.mean((onehot - p) ** 2),
        }[loss]
        assert np.isclose(values[loss], expected, rtol=1e-5), loss


def test_mixed_precision_survives_the_fresh_session_of_each_trial(digits):
    keras.mixed_precision.set_global_policy("mixed_float16")  # what setup_backend sets on a recent GPU
    try:
        model, history = kt.train({"units": 16, "epochs": 1}, digits)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    hidden, output = model.layers[1], model.layers[-1]
    assert hidden.dtype_policy.name == "mixed_float16" and hidden.compute_dtype == "float16"
    assert output.compute_dtype == "float32" and np.isfinite(history["loss"]).all()


# -- training and the objective -----------------------------------------------------------------------
def test_a_sensible_network_learns_digits_in_the_quick_budget(digits):
    objective = kt.KerasObjective(digits, epochs=QUICK.epochs, batch_size=QUICK.batch_size, seed=0)
    result = objective({"n_layers": 2, "units": 256, "learning_rate": 1e-3})
    assert result["value"] >= 0.95, result["history"]["val_accuracy"]
    curves = result["history"]
    assert set(curves) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == QUICK.epochs for v in curves.values()) and result["epochs"] == QUICK.epochs
    assert result["value"] == curves["val_accuracy"][-1] and curves["loss"][-1] < curves["loss"][0]
    assert result["n_params"] == 65 * 256 + 257 * 256 + 257 * 10


def test_same_params_same_score_and_the_seed_matters(digits):
    params = {"units": 32, "dropout": 0.3, "learning_rate": 3e-3, "epochs": 2}  # dropout: a random layer too
    first = kt.KerasObjective(digits, seed=7)(params)
    again = kt.KerasObjective(digits, seed=7)(params)
    assert first["value"] == again["value"] and first["history"] == again["history"]
    other = kt.KerasObjective(digits, seed=8)(params)
    assert other["history"]["loss"] != first["history"]["loss"]


@needs_tensorflow
def test_trials_leave_no_traced_graph_in_tensorflows_gradient_registry(digits):
    """tensorflow/tensorflow#97697: every traced custom gradient stays registered, with its graph."""
    registered = len(cleanup.custom_gradients())
    kt.KerasObjective(digits, seed=7)({"units": 32, "epochs": 1})
    assert registered > 0 and len(cleanup.custom_gradients()) == registered
    from tensorflow.python.framework import ops

    before = set(cleanup.custom_gradients())
    with cleanup.released_after():
        ops.RegisterGradient("CustomGradient-probe")(lambda op, grad: grad)  # what tracing a step does
        assert "CustomGradient-probe" in cleanup.custom_gradients()
    assert set(cleanup.custom_gradients()) == before


def test_objective_settings_and_precedence(digits, capsys):
    objective = kt.KerasObjective(digits, epochs=1, metric="val_loss", fixed={"units": 8})
    assert objective.direction == "minimize" and kt.KerasObjective(digits).direction == "maximize"
    result = objective({"epochs": 2})  # a trial's params override the objective's budget
    assert result["epochs"] == 2 and result["value"] == result["history"]["val_loss"][-1]
    assert result["n_params"] == 65 * 8 + 9 * 10  # fixed units=8
    assert capsys.readouterr().out == ""  # verbose=0 prints nothing
    with pytest.raises(ValueError, match="metric='test_accuracy' is unknown"):
        kt.KerasObjective(digits, metric="test_accuracy")
    with pytest.raises(ValueError, match="unknown hyperparameter 'lr'"):
        kt.KerasObjective(digits, fixed={"lr": 0.1})
    with pytest.raises(TypeError, match="Dataset"):
        kt.KerasObjective((digits.x_train, digits.y_train))
    with pytest.raises(ValueError, match="unknown hyperparameter"):
        objective({"momentum": 0.9})


def test_nan_loss_fails_the_trial_and_the_search_goes_on(digits, tmp_path):
    # 1e20, not 1e10: at 1e10 TensorFlow's loss is NaN, while JAX's stable softmax and Keras' clipped
    # cross-entropy hold it at a finite ~14.5 (measured), a diverged but not a failed trial.
    objective = kt.KerasObjective(digits, epochs=2, fixed={"optimizer": "sgd"})
    with pytest.raises(FloatingPointError, match=r"loss became (nan|inf) at epoch 1 .*lower the learning rate"):
        objective({"learning_rate": 1e20})
    space = hl.Space(learning_rate=hl.Categorical([1e20, 0.05]))
    history = hl.run(objective, hl.GridSearch(space), direction=objective.direction, progress=False,
                     journal=tmp_path / "grid.jsonl")
    assert [t.status for t in history] == ["failed", "complete"]
    assert history[0].error.startswith("FloatingPointError: loss became")
    assert history.best.params == {"learning_rate": 0.05} and 0.5 < history.best_value <= 1.0
    assert history.best.extras["history"]["val_accuracy"][-1] == history.best_value  # curves kept as extras
    assert hl.History.load(tmp_path / "grid.jsonl")[1].extras["history"] == history[1].extras["history"]


def test_evaluate_reports_test_accuracy(digits):
    params = {"units": 16, "epochs": 1}
    model, _ = kt.train(params, digits, seed=0)
    predicted = np.argmax(model.predict(digits.x_test, verbose=0), axis=1)
    assert kt.evaluate(params, digits, seed=0) == pytest.approx(np.mean(predicted == digits.y_test), abs=1e-6)


def test_default_space_builds_and_matches_the_command_line(digits):
    from hpo_lessons.cli import digits_space

    space = kt.default_space()
    assert space == digits_space()
    for params in space.sample(np.random.default_rng(0), 5):
        kt.build_model(params, digits)  # every point of the space is a valid network


# -- the backend's set-up -----------------------------------------------------------------------------------
def devices_seen_by_the_backend() -> int:
    """The reference: the backend's own count of GPUs."""
    if backend.BACKEND == "tensorflow":
        import tensorflow as tf

        return len(tf.config.list_physical_devices("GPU"))
    if backend.BACKEND == "jax":
        import jax

        return sum(d.platform == "gpu" for d in jax.devices())
    import torch

    return torch.cuda.device_count()


def test_setup_reports_what_the_backend_sees(capsys):
    info = kt.gpu_info()
    assert info["count"] == devices_seen_by_the_backend() == len(info["names"]) == len(info["compute_capability"])
    version = __import__(backend.BACKEND).__version__
    assert info["backend"] == backend.BACKEND == keras.backend.backend() and info[backend.BACKEND] == version
    assert info["keras"] == keras.__version__
    setup = kt.setup_backend(verbose=True)
    line = capsys.readouterr().out
    assert line.startswith(f"{backend.NAMES[backend.BACKEND]} {version}, Keras {keras.__version__};")
    assert line.count("\n") == 1 and setup["policy"] == keras.mixed_precision.global_policy().name
    assert kt.setup_tensorflow is kt.setup_backend  # the older name, kept as an alias
    # What Keras' jit_compile="auto" resolves to, asked of a compiled model
    assert setup["jit_compile"] == bool(kt.build_model({"units": 4}, kt.load_data("digits")).jit_compile)
    if info["count"] == 0:
        assert "no GPU" in line and setup["memory_growth"] is False
        with pytest.warns(UserWarning, match="compute capability"):
            assert kt.setup_backend(mixed_precision=True)["policy"] == "float32"
    else:
        assert setup["memory_growth"] is True
