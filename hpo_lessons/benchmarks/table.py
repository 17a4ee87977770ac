"""Tabulated learning curves: a benchmark that answers "train this network for b epochs" in microseconds.

``benchmarks.tabular("digits-mlp")`` reads real learning curves of ``KerasObjective`` on the
default digits split (``load_data("digits")``: 1,079 training, 359 validation, 359 test images),
shipped with the package in ``hpo_lessons/data/digits_mlp.npz`` and made by
``tools/make_tabular.py``: every configuration of a grid of MLPs, several seeds, per epoch the
validation and test images classified correctly and the cumulative training seconds.

>>> from hpo_lessons import benchmarks
>>> table = benchmarks.tabular("digits-mlp")
>>> params = table.space.sample(np.random.default_rng(0))
>>> r = table(params, budget=3)                      # what 3 epochs of KerasObjective scored
>>> sorted(r)
['epochs', 'epochs_trained', 'seconds', 'test', 'val_accuracy', 'value']
>>> table(params, budget=9)["epochs_trained"]        # a promotion trains only the 6 new epochs
6

The value is the validation *error* (1 - accuracy), minimized (``direction = "minimize"``), so
``benchmarks.regret(history, table)`` works as for the synthetic functions; ``minimum`` is the
lowest error at ``max_budget`` for the table's ``seed``. No TensorFlow is imported.
"""

from __future__ import annotations

import importlib.resources
import json
import math
import threading

import numpy as np

from ..core.checks import is_int, is_number
from ..core.space import Categorical, Integer, Space

TABLES = {"digits-mlp": "digits_mlp.npz"}  # name -> file in hpo_lessons/data
_loaded: dict[str, tuple[dict, dict]] = {}  # one copy of each table per process


def load(name: str) -> tuple[dict, dict]:
    """(header, arrays) of a shipped table; arrays ``val_correct``, ``test_correct`` (uint16), ``seconds``
    (float32), shaped (configuration, seed, epoch), and ``failed`` (configuration, seed)."""
    if name not in TABLES:
        raise ValueError(f"tabular benchmark {name!r} is unknown; use one of {sorted(TABLES)}.")
    if name not in _loaded:
        resource = importlib.resources.files("hpo_lessons") / "data" / TABLES[name]
        if not resource.is_file():
            raise FileNotFoundError(f"the table file {TABLES[name]} is missing from hpo_lessons/data; "
                                    "reinstall the package, or make it with tools/make_tabular.py.")
        with importlib.resources.as_file(resource) as path, np.load(path) as f:
            header = json.loads(f["header"].tobytes().decode())
            arrays = {k: f[k] for k in f.files if k != "header"}
        for a in arrays.values():
            a.setflags(write=False)
        _loaded[name] = header, arrays
    return _loaded[name]


def _dimension(values: list):
    ints = all(is_int(v) for v in values)
    # a single value stays categorical: Integer(16, 16) would be an empty range
    if ints and len(values) > 1 and values == list(range(min(values), max(values) + 1)):
        return Integer(min(values), max(values))  # every integer in range is in the table
    return Categorical(values)


class Tabular:
    """A learning-curve table as an objective: ``table(params, budget=b, seed=s)``.

    Parameters
    ----------
    name : a key of ``TABLES``.
    seed : which of the table's training seeds (``seeds``) answers calls that give none; a
        search repeated over seeds uses ``tabular(name, seed=s % len(table.seeds))``.

    A call returns ``{"value": validation error at epoch b, "val_accuracy", "test": test
    accuracy at epoch b, "seconds", "epochs": b, "epochs_trained"}``. ``budget=None`` is
    ``max_budget``. "seconds" mirrors ``KerasObjective``'s checkpoints: the table remembers,
    per configuration and seed, the most epochs trained so far (k); a call for b > k > 0 costs
    the recorded seconds of epochs k+1..b plus the start-up of a resumed run (rebuilding and
    tracing the model: the first epoch's excess over a typical epoch), b == k costs nothing,
    and b < k or a first call costs the b epochs from scratch. ``reset()`` (also called
    ``clear_checkpoints``, which ``run`` calls when a search ends) forgets them.
    A copy sent to another process starts with none (as a worker's KerasObjective does).
    """

    direction = "minimize"
    min_budget = 1

    def __init__(self, name: str = "digits-mlp", seed: int | None = None):
        header, arrays = load(name)
        self.name, self.header = name, header
        self.grid: dict = header["grid"]
        self.seeds = tuple(header["seeds"])
        self.max_budget = int(header["epochs"])
        self.space = Space(**{k: _dimension(v) for k, v in self.grid.items()})
        self.seed = self.seeds[0] if seed is None else self._seed(seed)
        self._val = 1.0 - arrays["val_correct"] / header["n_val"]  # validation error, float64
        self._test = arrays["test_correct"] / header["n_test"]
        self._seconds = arrays["seconds"].astype(np.float64)
        self._failed = arrays["failed"]
        steps = np.diff(self._seconds, axis=2)
        self._startup = np.maximum(self._seconds[:, :, 0] - np.median(steps, axis=2), 0.0)
        self._strides = np.cumprod([1] + [len(v) for v in self.grid.values()][:0:-1])[::-1]
        self._last: dict[tuple[int, int], int] = {}
        self._lock = threading.Lock()

    def __reduce__(self):
        return Tabular, (self.name, self.seed)

    def __repr__(self) -> str:
        return (f"Tabular({self.name!r}: {len(self)} configurations x {len(self.seeds)} seeds x {self.max_budget} "
                f"epochs, seed={self.seed})")

    def __len__(self) -> int:
        return self._val.shape[0]

    # -- lookups -------------------------------------------------------------------------------------------
    def _seed(self, seed) -> int:
        if not is_int(seed) or int(seed) not in self.seeds:
            raise ValueError(f"seed={seed!r} is not in the table; it was trained with seeds {list(self.seeds)}.")
        return int(seed)

    def _budget(self, budget) -> int:
        if budget is None:
            return self.max_budget
        if not is_number(budget) or not math.isfinite(budget) \
                or abs(budget - round(budget)) > 1e-9 or not 1 <= round(budget) <= self.max_budget:
            raise ValueError(f"budget={budget!r}: the table holds whole epochs 1..{self.max_budget}; "
                             f"give an integer in that range (or None for {self.max_budget}).")
        return int(round(budget))

    def index(self, params: dict) -> int:
        """The row of a configuration (its position in ``configurations()``)."""
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict of {list(self.grid)}, got {type(params).__name__}.")
        extra, missing = sorted(set(params) - set(self.grid)), [k for k in self.grid if k not in params]
        if extra or missing:
            raise ValueError(f"params must give exactly {list(self.grid)}; "
                             + (f"unknown {extra}" if extra else "") + (" and " if extra and missing else "")
                             + (f"missing {missing}" if missing else "") + ".")
        row = 0
        for (name, values), stride in zip(self.grid.items(), self._strides):
            row += int(stride) * self._position(name, values, params[name])
        return row

    @staticmethod
    def _position(name: str, values: list, value) -> int:
        for k, v in enumerate(values):
            if isinstance(v, str):
                if isinstance(value, str) and value == v:
                    return k
            elif is_number(value) \
                    and math.isclose(float(value), v, rel_tol=1e-9, abs_tol=1e-12):
                return k
        raise ValueError(f"{name}={value!r} is not in the table; choose one of {values}.")

    def configurations(self) -> list[dict]:
        """Every configuration, in row order."""
        return [self.params(i) for i in range(len(self))]

    def params(self, row: int) -> dict:
        """The configuration of a row."""
        out = {}
        for (name, values), stride in zip(self.grid.items(), self._strides):
            out[name] = values[(row // int(stride)) % len(values)]
        return out

    def curves(self, what: str = "value") -> np.ndarray:
        """Whole table (configuration, seed, epoch): "value" (validation error), "val_accuracy", "test" or "seconds"."""
        arrays = {"value": self._val, "val_accuracy": 1.0 - self._val, "test": self._test, "seconds": self._seconds}
        if what not in arrays:
            raise ValueError(f"what={what!r}; use one of {list(arrays)}.")
        return arrays[what]

    @property
    def minimum(self) -> float:
        """Lowest validation error at ``max_budget`` over all configurations, for ``seed``."""
        return float(np.min(self._val[:, self.seeds.index(self.seed), -1]))

    @property
    def argmin(self) -> dict:
        """A configuration that reaches ``minimum`` (the first in row order)."""
        return self.params(int(np.argmin(self._val[:, self.seeds.index(self.seed), -1])))

    # -- the objective ------------------------------------------------------------------------------------
    def __call__(self, params: dict, budget: int | None = None, seed: int | None = None) -> dict:
        row, b = self.index(params), self._budget(budget)
        seed = self.seed if seed is None else self._seed(seed)
        s = self.seeds.index(seed)
        if self._failed[row, s]:
            return {"value": float("nan"), "epochs": b, "epochs_trained": b, "seconds": 0.0}
        seconds = self._seconds[row, s]
        with self._lock:
            last = self._last.get((row, seed), 0)
            self._last[(row, seed)] = max(last, b)
        if 0 < last < b:  # resumed from the checkpoint at epoch `last`
            spent, trained = seconds[b - 1] - seconds[last - 1] + self._startup[row, s], b - last
        elif b == last:  # the stored result: nothing to train
            spent, trained = 0.0, 0
        else:
            spent, trained = seconds[b - 1], b
        return {"value": float(self._val[row, s, b - 1]), "val_accuracy": float(1.0 - self._val[row, s, b - 1]),
                "test": float(self._test[row, s, b - 1]), "seconds": float(spent), "epochs": b,
                "epochs_trained": int(trained)}

    def reset(self) -> None:
        """Forget which configurations have been trained (every configuration starts from scratch again)."""
        with self._lock:
            self._last.clear()

    clear_checkpoints = reset  # the name KerasObjective uses, which run() calls when a search ends

    def with_seed(self, seed: int) -> Tabular:
        """The same table answering with another training seed (no checkpoints)."""
        return Tabular(self.name, seed)
