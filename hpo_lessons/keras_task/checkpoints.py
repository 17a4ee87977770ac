"""Where ``KerasObjective`` keeps each configuration's training state between trials.

A multi-fidelity method trains a configuration for 1 epoch, then maybe 3, then 9. Each
``Checkpoint`` holds what is needed to carry on exactly where the last trial stopped: every
model variable (weights, and the state of the random generators that dropout draws from),
every optimizer variable (its iteration count and slots, e.g. Adam's moments), and the
learning curves so far. The order of the training data needs no state: it is a pure function
of (seed, epoch) (``datasets.epoch_order``).

``CheckpointStore`` keeps them in memory (least recently used dropped first beyond
``memory_mb``), or as one ``.npz`` file per configuration in a directory that worker
processes on one machine share. This module holds numpy arrays only; it never imports
TensorFlow.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Checkpoint:
    """A configuration's training state after ``epochs`` epochs.

    ``model`` and ``optimizer`` are the values of ``model.variables`` and
    ``model.optimizer.variables``, in that order; ``history`` the per-epoch curves (lists of
    length ``epochs``); ``elapsed`` the cumulative training seconds at the end of each epoch;
    ``n_params`` the model's weight count.
    """

    epochs: int
    model: list
    optimizer: list
    history: dict
    elapsed: list
    n_params: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.model) + sum(a.nbytes for a in self.optimizer)

    def save(self, path: str) -> None:
        """Write atomically (a temporary file renamed), so a reader in another process never sees half a file."""
        header = {"epochs": self.epochs, "history": self.history, "elapsed": self.elapsed,
                  "n_params": self.n_params, "meta": self.meta, "n_model": len(self.model)}
        arrays = {f"a{i}": a for i, a in enumerate(self.model + self.optimizer)}
        folder = os.path.dirname(path) or "."
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as f:
                np.savez(f, header=np.frombuffer(json.dumps(header).encode(), np.uint8), **arrays)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise

    @classmethod
    def load(cls, path: str) -> Checkpoint:
        with np.load(path) as f:
            header = json.loads(f["header"].tobytes().decode())
            arrays = [f[f"a{i}"] for i in range(len(f.files) - 1)]
        k = header["n_model"]
        return cls(header["epochs"], arrays[:k], arrays[k:], header["history"], header["elapsed"],
                   header["n_params"], header["meta"])


def digest(obj) -> str:
    """A short stable name for a JSON-able key (the same in every process)."""
    return hashlib.sha1(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:20]


class CheckpointStore:
    """Checkpoints by key: in memory (bounded), or files in ``directory``.

    Parameters
    ----------
    directory : None keeps checkpoints in this process's memory; a path keeps them there as
        ``<namespace>-<key digest>.npz``, one file per key (overwritten by longer training), so
        worker processes on one machine resume each other's configurations.
    memory_mb : in memory, the least recently used checkpoints are dropped once their arrays
        exceed this many MiB (a dropped configuration simply trains from scratch next time).
    namespace : prefix of this store's files, so ``clear`` removes only its own.
    """

    def __init__(self, directory: str | os.PathLike | None = None, memory_mb: float = 256, namespace: str = "ckpt"):
        self.directory = None if directory is None else os.fspath(directory)
        self.memory_mb, self.namespace = float(memory_mb), namespace
        self._memory: OrderedDict[str, Checkpoint] = OrderedDict()
        if self.directory is not None:
            os.makedirs(self.directory, exist_ok=True)

    def _path(self, key) -> str:
        return os.path.join(self.directory, f"{self.namespace}-{digest(key)}.npz")

    def get(self, key) -> Checkpoint | None:
        """The checkpoint for ``key``, or None (never stored, dropped, or unreadable)."""
        if self.directory is None:
            name = digest(key)
            if name in self._memory:
                self._memory.move_to_end(name)
            return self._memory.get(name)
        try:
            return Checkpoint.load(self._path(key))
        except (OSError, ValueError, KeyError):  # missing, or written by another version
            return None

    def put(self, key, checkpoint: Checkpoint) -> None:
        if self.directory is not None:
            checkpoint.save(self._path(key))
            return
        self._memory[digest(key)] = checkpoint
        self._memory.move_to_end(digest(key))
        while len(self._memory) > 1 and self.nbytes > self.memory_mb * 2**20:
            self._memory.popitem(last=False)

    @property
    def nbytes(self) -> int:
        """Bytes of arrays held in memory (0 for a directory store)."""
        return sum(c.nbytes for c in self._memory.values())

    def __len__(self) -> int:
        if self.directory is None:
            return len(self._memory)
        return len(glob.glob(os.path.join(glob.escape(self.directory), f"{self.namespace}-*.npz")))

    def clear(self) -> None:
        """Forget every checkpoint: memory freed, this namespace's files removed (the directory stays)."""
        self._memory.clear()
        if self.directory is not None:
            for path in glob.glob(os.path.join(glob.escape(self.directory), f"{self.namespace}-*.npz")):
                with contextlib.suppress(OSError):
                    os.remove(path)

    def __repr__(self) -> str:
        where = "memory" if self.directory is None else repr(self.directory)
        return f"CheckpointStore({where}, {len(self)} checkpoints)"
