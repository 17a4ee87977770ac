"""What the Keras side does on the backend this process runs (``KERAS_BACKEND``), printed as one JSON line.

Run by tests/test_backends.py once per installed backend, in a fresh process each (Keras picks
its backend once, at import): seeds, a NaN loss, a warm start from a checkpoint, a search
with ``hl.run`` and one with Keras Tuner's random search through the adapter, each done twice
with the same seed (and for each, how many trials ran and how many completed). A finder on
``sys.meta_path`` records every attempt to import TensorFlow (and refuses it off TensorFlow, as
if it were not installed), so "never imported" holds even where TensorFlow is installed; a mere
look-up (``importlib.util.find_spec``, as PyTorch's dynamo does for many packages) is not an
import and is let through. ``--import-only`` stops after importing the Keras side.
"""

import json
import os
import sys
import traceback

tf_imports = []


class RecordTensorFlow:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] != "tensorflow" or os.environ.get("KERAS_BACKEND") == "tensorflow":
            return None
        callers = traceback.extract_stack()[-4:-1]  # the import machinery's frames just above this one
        if any(frame.filename == "<frozen importlib.util>" for frame in callers):
            return None  # importlib.util.find_spec: asking whether it is installed, not importing it
        tf_imports.append("".join(traceback.format_stack(limit=8)))
        raise ModuleNotFoundError(f"{name} refused by backend_probe.py")


sys.meta_path.insert(0, RecordTensorFlow())

import numpy as np  # noqa: E402

import hpo_lessons as hl  # noqa: E402
from hpo_lessons import frameworks as fw  # noqa: E402
from hpo_lessons import keras_task as kt  # noqa: E402

DROPOUT = {"units": 32, "dropout": 0.3, "learning_rate": 3e-3}  # dropout: a random layer too
SPACE = hl.Space(learning_rate=hl.Real(1e-3, 3e-2, log=True), units=hl.Integer(8, 32, log=True))
N_TRIALS = 3  # per search


def main():
    if "--import-only" in sys.argv:
        from hpo_lessons.keras_task import objective  # noqa: F401

        print(json.dumps({"backend": kt.BACKEND, "tensorflow_imports": tf_imports,
                          "tensorflow_loaded": "tensorflow" in sys.modules}))
        return
    data = kt.load_data("digits", max_train_samples=400)
    first, again = (kt.KerasObjective(data, seed=7)(DROPOUT, budget=2) for _ in range(2))
    other = kt.KerasObjective(data, seed=8)(DROPOUT, budget=2)

    failing = kt.KerasObjective(data, epochs=2, fixed={"optimizer": "sgd"})
    grid = hl.run(failing, hl.GridSearch(hl.Space(learning_rate=hl.Categorical([1e20, 0.05]))), progress=False)

    promoted = kt.KerasObjective(data, seed=3)
    promoted(DROPOUT, budget=2)
    resumed = promoted(DROPOUT, budget=4)
    straight = kt.KerasObjective(data, seed=3)(DROPOUT, budget=4)
    gap = max(abs(a - b) for k in straight["history"] for a, b in zip(resumed["history"][k], straight["history"][k]))

    ours = [hl.run(kt.KerasObjective(data, epochs=2, seed=0), hl.RandomSearch(SPACE, seed=s), n_trials=N_TRIALS,
                   progress=False) for s in (0, 0)]
    theirs = [fw.run_keras_tuner(kt.KerasObjective(data, epochs=2, seed=0), SPACE, "random", n_trials=N_TRIALS, seed=s)
              for s in (0, 0)]
    counts = {name: [[len(h), len(h.completed)] for h in histories]
              for name, histories in (("ours", ours), ("keras_tuner", theirs))}
    ours, theirs = ([[t.value for t in h.completed] for h in histories] for histories in (ours, theirs))
    print(json.dumps({
        "backend": kt.BACKEND, "value": first["value"], "same_seed_same_curves": first["history"] == again["history"],
        "other_seed_other_curves": other["history"]["loss"] != first["history"]["loss"],
        "nan": [t.status for t in grid], "nan_error": grid[0].error.split(":")[0],
        "warm_start": [resumed["epochs_trained"], resumed["epochs"]], "warm_start_gap": gap,
        "n_trials": N_TRIALS, "counts": counts, "ours": ours, "keras_tuner": theirs,
        "finite": bool(np.isfinite(ours + theirs).all()),
        "tensorflow_imports": tf_imports, "tensorflow_loaded": "tensorflow" in sys.modules,
    }))


if __name__ == "__main__":
    main()
