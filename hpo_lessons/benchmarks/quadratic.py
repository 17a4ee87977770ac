"""Cheap objectives where schedules matter, with checkpoints kept per trial: for population-based training.

``NoisyQuadratic`` is the noisy quadratic model of Zhang et al. (2019): SGD on the loss
``1/2 sum_i h_i w_i**2`` with curvatures ``h_i = 1/i`` and gradient noise of variance
``h_i / batch_size`` per coordinate. The mean ``m`` and variance ``v`` of each coordinate
follow closed forms: after n steps at learning rate a, with ``r = 1 - a h``,

    m_n = r**n m_0,    v_n = r**(2n) v_0 + a**2 h / B * (1 - r**(2n)) / (1 - r**2),

and the expected loss is ``1/2 sum_i h_i (m_i**2 + v_i)``. A large rate makes fast progress
on the flat directions but leaves a noise floor ``~ a / (2B)`` per coordinate; a small one has
a low floor and crawls: a decaying schedule beats every constant rate, which is what PBT can find.

``JaderbergToy`` is the toy problem of Jaderberg et al. (2017, Figure 2): maximize
``Q(theta) = 1.2 - theta_0**2 - theta_1**2`` by gradient ascent on the surrogate
``1.2 - h_0 theta_0**2 - h_1 theta_1**2`` from ``theta = (0.9, 0.9)``; the hyperparameters
``h`` decide which coordinates move.

Both are ``objective(params, budget=b, trial_id=i, parent=p)``, ``resumes_from_parent = True``:
a trial with a ``parent`` continues that trial's state; without one it continues its own
params' state (as ``KerasObjective`` does for a promotion), or starts afresh. Each trial's
state is kept under its id, in memory or, with ``directory``, in files that a search killed
and resumed from its journal still finds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from ..core.checks import check_int, check_number, is_number
from ..core.space import Real, Space


class _Lineage:
    """States by trial id and by params; subclasses give ``start()``, ``advance(state, params, n)``, ``score``."""

    resumes_from_parent = True

    def __init__(self, max_budget: int, directory=None):
        self.max_budget = check_int("max_budget", max_budget, 1)
        self.directory = None if directory is None else Path(directory)
        self._states: dict[str, tuple[int, np.ndarray]] = {}

    def _get(self, key: str):
        if self.directory is None:
            return self._states.get(key)
        try:
            saved = json.loads((self.directory / f"{key}.json").read_text())
        except (OSError, ValueError):
            return None
        return saved["step"], np.array(saved["state"])

    def _put(self, key: str, step: int, state: np.ndarray) -> None:
        if self.directory is None:
            self._states[key] = (step, state)
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{key}.tmp"
        tmp.write_text(json.dumps({"step": step, "state": state.tolist()}))
        os.replace(tmp, self.directory / f"{key}.json")

    def clear_checkpoints(self) -> None:
        """Forget every trial's state (``run`` calls this when a search ends)."""
        self._states.clear()
        if self.directory is not None:
            for path in self.directory.glob("*.json"):
                path.unlink(missing_ok=True)

    def __call__(self, params: dict, budget=None, trial_id=None, parent=None) -> dict:
        params = self.space.validate(params)
        step = self.max_budget if budget is None else budget
        if not is_number(step) or step < 1 or step != int(step) or step > self.max_budget:
            raise ValueError(f"budget={budget!r}: give whole steps between 1 and max_budget={self.max_budget}.")
        step, own = int(step), "p-" + "-".join(f"{params[k]!r}" for k in self.space.names)
        if parent is not None:
            stored = self._get(f"t{parent}")
            if stored is None:
                raise LookupError(f"no state for parent trial {parent}: it was never run by this objective, or its "
                                  "state was cleared; give the objective a directory to resume PBT from a journal.")
            if stored[0] >= step:
                raise ValueError(f"parent trial {parent} is at step {stored[0]}; a child must train further than "
                                 f"that, got budget={budget}.")
        else:
            stored = self._get(own)
            stored = stored if stored is not None and stored[0] <= step else None
        start, state = stored if stored is not None else (0, self.start())
        state = self.advance(state, params, step - start)
        if trial_id is not None:
            self._put(f"t{trial_id}", step, state)
        if parent is None and (stored is None or stored[0] < step):
            self._put(own, step, state)
        return {"value": self.score(state), "epochs_trained": step - start, "step": step}


class NoisyQuadratic(_Lineage):
    """The noisy quadratic model (Zhang et al., 2019): expected loss of SGD after ``budget`` steps; minimize.

    Parameters
    ----------
    dim : coordinates, with curvatures 1, 1/2, ..., 1/dim.
    batch_size : divides the gradient noise.
    max_budget : steps of a full training.
    directory : None keeps states in memory; a folder keeps one small JSON file per trial.

    ``space`` is ``learning_rate`` in [1e-3, 1] (log), where SGD is stable (a h < 2).

    >>> nqm = NoisyQuadratic(max_budget=100)
    >>> one = nqm({"learning_rate": 0.5}, budget=100)["value"]
    >>> nqm.clear_checkpoints()
    >>> _ = nqm({"learning_rate": 0.5}, budget=40, trial_id=0)
    >>> two = nqm({"learning_rate": 0.5}, budget=100, trial_id=1, parent=0)
    >>> round(one, 6) == round(two["value"], 6), two["epochs_trained"]
    (True, 60)
    """

    direction = "minimize"

    def __init__(self, dim: int = 100, batch_size: float = 64, max_budget: int = 1000, directory=None):
        super().__init__(max_budget, directory)
        self.dim = check_int("dim", dim, 1)
        self.batch_size = check_number("batch_size", batch_size, 1)
        self.h = 1.0 / np.arange(1, self.dim + 1)
        self.space = Space(learning_rate=Real(1e-3, 1.0, log=True))

    def start(self) -> np.ndarray:
        """Mean 1 and variance 0 in every coordinate: rows (m, v)."""
        return np.stack([np.ones(self.dim), np.zeros(self.dim)])

    def advance(self, state: np.ndarray, params: dict, n: int) -> np.ndarray:
        """``n`` SGD steps at ``params["learning_rate"]``, in closed form."""
        a = params["learning_rate"]
        r = 1.0 - a * self.h
        r2n = r ** (2 * n)
        m, v = state
        geometric = np.where(np.abs(1 - r**2) > 1e-12, (1 - r2n) / np.where(np.abs(1 - r**2) > 1e-12, 1 - r**2, 1), n)
        return np.stack([r**n * m, r2n * v + a**2 * self.h / self.batch_size * geometric])

    def score(self, state: np.ndarray) -> float:
        m, v = state
        return float(0.5 * np.sum(self.h * (m**2 + v)))

    def loss(self, schedule) -> float:
        """Expected loss after a schedule of (steps, learning_rate) pairs, from the start: the closed form."""
        state = self.start()
        for n, a in schedule:
            state = self.advance(state, {"learning_rate": a}, int(n))
        return self.score(state)


class JaderbergToy(_Lineage):
    """Jaderberg et al.'s toy problem (2017, Figure 2): ``Q = 1.2 - |theta|**2``, maximized, optimum 1.2.

    Parameters
    ----------
    step_size : of the gradient ascent on the surrogate ``1.2 - h_0 theta_0**2 - h_1 theta_1**2``.
    max_budget : steps of a full training.

    ``space``: ``h0``, ``h1`` in [0, 1]. Each step multiplies ``theta_i`` by ``1 - 2 step_size h_i``.

    >>> toy = JaderbergToy()
    >>> round(toy({"h0": 1.0, "h1": 0.0}, budget=200)["value"], 3)  # theta_1 never moves: 1.2 - 0.81
    0.39
    """

    direction = "maximize"

    def __init__(self, step_size: float = 0.01, max_budget: int = 200, directory=None):
        super().__init__(max_budget, directory)
        self.step_size = check_number("step_size", step_size)
        self.space = Space(h0=Real(0.0, 1.0), h1=Real(0.0, 1.0))

    def start(self) -> np.ndarray:
        return np.array([0.9, 0.9])

    def advance(self, state: np.ndarray, params: dict, n: int) -> np.ndarray:
        h = np.array([params["h0"], params["h1"]])
        return state * (1.0 - 2.0 * self.step_size * h) ** n

    def score(self, state: np.ndarray) -> float:
        return float(1.2 - np.sum(state**2))
