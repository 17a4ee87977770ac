"""``KerasObjective``: params (and a budget in epochs) -> the score of a network trained on a dataset.

Import it as ``hpo_lessons.keras_task.KerasObjective``. Each configuration keeps a checkpoint
after every call, so a multi-fidelity method that promotes it from 3 to 9 epochs pays for 6
more epochs, and gets the score 9 uninterrupted epochs with the same seed give
(tests/test_keras_budget.py measures how exactly).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import weakref
from dataclasses import dataclass

import numpy as np

from ..core.checks import is_int, is_number
from . import METRICS, TRAINING, fit_epochs, resolve_params
from .checkpoints import Checkpoint, CheckpointStore, digest
from .data import Dataset
from .training import model_state


@dataclass(eq=False)
class KerasObjective:
    """Params -> score of a network trained on ``data``, for ``hpo_lessons.core.run``.

    Parameters
    ----------
    data : a ``Dataset`` (``load_data`` or ``from_arrays``).
    epochs, batch_size : training budget for every trial; a trial's params may override them.
        ``epochs`` is also ``max_budget``, what a full-fidelity trial trains.
    metric : "val_accuracy" (default; maximize) or "val_loss" (minimize), at the last epoch.
    seed : seeds every trial (an int >= 0), so the same params score the same on the same machine.
    verbose : Keras' fit verbosity; 0 prints nothing.
    fixed : hyperparameters held fixed for every trial, e.g. ``{"model": "cnn"}``.
    jit_compile : passed to ``model.compile``; "auto" uses XLA on GPUs only.
    resume : keep a checkpoint of each configuration and carry on from it (default); False
        trains every call from scratch and keeps nothing.
    checkpoint_dir : None keeps checkpoints in this process's memory; a directory keeps them
        as files there, shared by worker processes on one machine.
    checkpoint_mb : in memory, the least recently used checkpoints are dropped beyond this
        many MiB of arrays (a small MLP's checkpoint is tens of kB; a dropped one just trains
        from scratch next time). Files in ``checkpoint_dir`` are one per configuration.
    record_test : also score the test set after every epoch ("test_accuracy" in the curves;
        for building benchmark tables, not for choosing hyperparameters).

    ``objective(params)`` trains to the resolved ``epochs``; ``objective(params, budget=b)``
    to ``b`` epochs. Precedence: ``DEFAULT_PARAMS`` < ``epochs``/``batch_size`` < ``fixed`` <
    the trial's params < ``budget``. A configuration's checkpoint is keyed by its resolved
    params without "epochs" (plus the seed and the data). With a checkpoint at k epochs, a
    call for b epochs:

    - b > k: restores it and trains b - k more epochs;
    - b == k: trains nothing and returns the stored result (training is deterministic);
    - b < k, or no checkpoint (never trained, dropped from memory, or trained by another
      worker process without a shared ``checkpoint_dir``): trains from scratch.

    Lineage (population-based training): ``objective(params, budget=b, trial_id=i, parent=p)``
    also keeps trial ``i``'s checkpoint under its id; with a ``parent``, it starts from trial
    ``p``'s checkpoint instead of its own params' (weights, optimizer state and curves, with
    this trial's learning rate put in), trains to ``b`` epochs with these params, and keeps the
    result under ``i`` only. The parent must exist (a LookupError otherwise: a search resumed
    from a journal needs a ``checkpoint_dir``), have fewer epochs, and fit the network (same
    architecture and optimizer). Without a parent, calls behave as described above.

    Only a longer checkpoint replaces a shorter one. Checkpoints are freed with the search:
    ``hpo_lessons.core.run`` calls ``clear_checkpoints()`` when it returns or raises, so a second
    search on the same objective trains its trials again instead of being served the first
    one's results. They are also freed by ``clear_checkpoints()`` itself and when the objective
    is garbage collected (its files too; copies sent to worker processes never delete files).

    A call returns ``{"value": score, "history": per-epoch curves from epoch 1, "epochs": epochs
    so far, "epochs_trained": epochs trained by this call, "seconds": their training seconds,
    "elapsed": cumulative training seconds per epoch, "n_params": weights}``; ``run()`` keeps
    all but "value" as the trial's extras. A NaN or infinite loss raises FloatingPointError,
    which ``run()`` records as a failed trial.

    Keras keeps one session and one global seed per process, so calls from several threads
    of one process take turns (a lock): threads give Keras trials no speed-up; use
    ``run(..., executor="processes")`` or a Dask cluster. The objective pickles small: a
    built-in dataset travels as its ``load_data`` arguments, and checkpoints stay behind.
    """

    resumes_from_parent = True  # a class attribute, not a field: it continues other trials' checkpoints

    data: Dataset
    epochs: int | None = None
    batch_size: int | None = None
    metric: str = "val_accuracy"
    seed: int = 0
    verbose: int = 0
    fixed: dict | None = None
    jit_compile: bool | str = "auto"
    resume: bool = True
    checkpoint_dir: str | None = None
    checkpoint_mb: float = 256
    record_test: bool = False

    def __post_init__(self):
        if not isinstance(self.data, Dataset):
            raise TypeError(f"data must be a Dataset from load_data() or from_arrays(), "
                            f"got {type(self.data).__name__}.")
        if self.metric not in METRICS:
            raise ValueError(f"metric={self.metric!r} is unknown; use one of {list(METRICS)} "
                             "(test accuracy is for the final report: see evaluate()).")
        if not is_int(self.seed):
            raise TypeError(f"seed must be an int >= 0, got {self.seed!r}.")
        if self.seed < 0:  # numpy's SeedSequence, which orders each epoch's data, takes no negative seeds
            raise ValueError(f"seed must be an int >= 0, got {self.seed!r}.")
        if not is_number(self.checkpoint_mb) or self.checkpoint_mb < 0:
            raise ValueError(f"checkpoint_mb must be a number of MiB >= 0, got {self.checkpoint_mb!r}.")
        budget = {k: v for k, v in (("epochs", self.epochs), ("batch_size", self.batch_size)) if v is not None}
        self._given = {**budget, **(self.fixed or {})}
        self._max_budget = resolve_params(self._given)["epochs"]  # bad settings fail here, not in the first trial
        self._open_store(owner=True)

    def _open_store(self, owner: bool) -> None:
        namespace = digest({"data": self._data_key(), "seed": int(self.seed), "jit": str(self.jit_compile),
                            "test": bool(self.record_test)})
        self._store = CheckpointStore(self.checkpoint_dir, self.checkpoint_mb, namespace)
        # The objective that made the files removes them when it goes; its copies in workers never do.
        self._finalizer = weakref.finalize(self, self._store.clear) if owner else None

    def _data_key(self):
        d = self.data
        if d.recipe:
            return d.recipe
        if not hasattr(self, "_fingerprint"):  # user arrays: hash them once
            h = hashlib.sha1()
            for a in (d.x_train, d.y_train, d.x_val, d.y_val):
                h.update(np.ascontiguousarray(a).tobytes())
            self._fingerprint = h.hexdigest()
        return self._fingerprint

    def __getstate__(self):
        state = {k: v for k, v in self.__dict__.items() if k not in ("_store", "_finalizer")}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._open_store(owner=False)

    @property
    def direction(self) -> str:
        """What ``run(..., direction=)`` needs for this metric: "maximize" accuracy, "minimize" loss."""
        return METRICS[self.metric]

    @property
    def max_budget(self) -> int:
        """Epochs a full-fidelity trial trains (``run`` counts a trial without a budget as this many)."""
        return self._max_budget

    @property
    def checkpoints(self) -> CheckpointStore:
        return self._store

    def clear_checkpoints(self) -> None:
        """Forget every configuration's checkpoint (memory freed, files of this objective removed)."""
        self._store.clear()

    def __call__(self, params: dict, budget: int | None = None, trial_id: int | None = None,
                 parent: int | None = None) -> dict:
        full = resolve_params({**self._given, **params})
        if budget is not None:
            epochs = _epochs(budget)
            if "epochs" in params and full["epochs"] != epochs:
                raise ValueError(f"params ask for epochs={full['epochs']} but budget={budget!r}; give the epochs one "
                                 "way: as the budget, or in params.")
            full["epochs"] = epochs
        key = {k: v for k, v in sorted(full.items()) if k != "epochs"}
        with TRAINING:
            if parent is not None:
                stored = usable = self._parent(parent, full)
            else:
                stored = self._store.get(key) if self.resume else None
                if stored is not None and stored.epochs == full["epochs"]:
                    history = {k: list(v) for k, v in stored.history.items()}  # copies: the store keeps its own
                    if trial_id is not None:
                        self._store.put({"trial": trial_id}, stored)
                    return self._result(history, list(stored.elapsed), 0, 0.0, stored.n_params)
                usable = stored if stored is not None and stored.epochs < full["epochs"] else None
            run = fit_epochs(full, self.data, seed=int(self.seed), verbose=self.verbose,
                             jit_compile=self.jit_compile, resume=usable, record_test=self.record_test)
            n_params, first, seconds = int(run.model.count_params()), run.first, run.elapsed[-1]
            if parent is not None and not first:
                raise ValueError(f"the checkpoint of parent trial {parent} does not fit the network of {params}: a "
                                 "trial may continue another's weights only with the same architecture and optimizer "
                                 "(tune rates, dropout, weight decay; keep units, layers and optimizer fixed).")
            if first:  # carried on from the checkpoint: glue the curves together
                history = {k: usable.history[k] + run.history[k] for k in run.history}
                elapsed = usable.elapsed + [usable.elapsed[-1] + s for s in run.elapsed]
            else:
                history, elapsed = run.history, list(run.elapsed)
            if self.resume or trial_id is not None:
                variables, optimizer = model_state(run.model)
                names = [v.name for v in run.model.optimizer.variables]
                meta = {"learning_rate": names.index("learning_rate")} if "learning_rate" in names else {}
                checkpoint = Checkpoint(full["epochs"], variables, optimizer, history, elapsed, n_params, meta)
                if self.resume and parent is None and (stored is None or stored.epochs < full["epochs"]):
                    self._store.put(key, checkpoint)
                if trial_id is not None:  # lineage: every trial's state under its id, for trials that continue it
                    self._store.put({"trial": trial_id}, checkpoint)
            del run  # the next trial's clear_session frees the model
        return self._result(history, elapsed, full["epochs"] - first, seconds, n_params)

    def _parent(self, parent: int, full: dict) -> Checkpoint:
        """Trial ``parent``'s checkpoint, with this trial's learning rate in place of the parent's."""
        stored = self._store.get({"trial": parent})
        if stored is None:
            raise LookupError(f"no checkpoint of parent trial {parent}: it was never run by this objective, or was "
                              "freed (a search ended, or checkpoint_mb was too small); to resume population-based "
                              "training from a journal, give the objective a checkpoint_dir.")
        if stored.epochs >= full["epochs"]:
            raise ValueError(f"parent trial {parent} trained {stored.epochs} epochs; a trial that continues it must "
                             f"train further, got budget={full['epochs']}.")
        optimizer = list(stored.optimizer)
        if "learning_rate" in stored.meta:  # Keras keeps the rate as an optimizer variable: put the child's in
            i = stored.meta["learning_rate"]
            optimizer[i] = np.asarray(full["learning_rate"], dtype=optimizer[i].dtype)
        return dataclasses.replace(stored, optimizer=optimizer)

    def _result(self, history: dict, elapsed: list, trained: int, seconds: float, n_params: int) -> dict:
        return {"value": history[self.metric][-1], "history": history, "epochs": len(history["loss"]),
                "epochs_trained": trained, "seconds": seconds, "elapsed": elapsed, "n_params": n_params}


def _epochs(budget) -> int:
    """A budget in epochs as an int >= 1 (3.0 is 3; 2.5 is an error)."""
    if not is_number(budget) or not math.isfinite(budget) or budget < 1 \
            or abs(budget - round(budget)) > 1e-9:
        raise ValueError(f"budget={budget!r}: KerasObjective counts budgets in whole epochs; give an integer >= 1.")
    return int(round(budget))
