"""The real objective: a Keras network trained on real data, scored on held-out data.

One folder, one job each: ``backend`` (which Keras backend, seeds, the GPU), ``data`` (the
embedded digits and the downloadable sets), ``model`` (the network from a params dict, its
training and scoring), ``objective`` (``KerasObjective``: budgets, checkpoints, failed trials),
``training`` and ``checkpoints`` (resuming a training exactly), ``cleanup`` (memory between
trials). Importing this package imports nothing heavy: Keras and its backend load when a name
that needs them is first read::

    from hpo_lessons import keras_task as kt
    data = kt.load_data("digits")                      # embedded, no download, no Keras
    objective = kt.KerasObjective(data, epochs=8)      # Keras (and its backend) load here
"""

from ..core.lazy import lazy

_HOMES = {
    **dict.fromkeys(["BACKEND", "gpu_info", "keras", "set_seed", "setup_backend", "setup_tensorflow"], "backend"),
    **dict.fromkeys(["DATASETS", "Dataset", "from_arrays", "load_data"], "data"),
    **dict.fromkeys(["DEFAULT_PARAMS", "METRICS", "build_model", "default_space", "evaluate", "fit_epochs",
                     "resolve_params", "train"], "model"),
    "KerasObjective": "objective",
    **{name: name for name in ("backend", "checkpoints", "cleanup", "data", "model", "objective", "training")},
}

__getattr__, __dir__ = lazy(__name__, _HOMES, default="model")

__all__ = sorted(name for name, home in _HOMES.items() if name != home)
