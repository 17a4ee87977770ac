"""Search spaces: the dimensions a tuner may move, and their map to the unit cube.

Every method in this package works in the unit cube [0, 1]^d and lets the space translate.
A ``Real`` or ``Integer`` with ``log=True`` is uniform in log space, so that 1e-4..1e-3 gets
as much room as 1e-2..1e-1. An ``Integer`` gives every integer an equal share of [0, 1]
(of the log interval when ``log=True``). A ``Categorical`` maps choice ``i`` of ``k`` to the
middle of the i-th of k equal cells, and also offers a one-hot encoding for models such as
a Gaussian process that must not pretend categories are ordered.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .checks import is_int, is_number

JSON_SCALARS = (str, int, float, bool, type(None))


def _finite_number(value: Any, what: str) -> float:
    if not is_number(value):
        raise TypeError(f"{what} must be a number, got {value!r} ({type(value).__name__}).")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}: give a finite bound.")
    return value


class Dimension:
    """One hyperparameter. ``name`` is filled in by the ``Space`` that holds it."""

    name: str = "?"

    def to_unit(self, value: Any) -> float:
        raise NotImplementedError

    def from_unit(self, u: float) -> Any:
        raise NotImplementedError

    def grid(self, n: int) -> list:
        raise NotImplementedError

    def validate(self, value: Any) -> Any:
        raise NotImplementedError

    @property
    def size(self) -> float:
        """Number of distinct values (``math.inf`` for a real interval)."""
        return math.inf

    def to_dict(self) -> dict:
        raise NotImplementedError


class _Interval(Dimension):
    """Shared logic of ``Real`` and ``Integer``: bounds checks and the log transform."""

    kind = "?"

    def __init__(self, low, high, log: bool = False):
        what = f"{type(self).__name__}"
        low = _finite_number(low, f"{what}: low")
        high = _finite_number(high, f"{what}: high")
        if low >= high:
            raise ValueError(f"{what}: low={low!r} must be < high={high!r}; swap or widen the bounds.")
        if log and low <= 0:
            raise ValueError(f"{what}: log=True needs low > 0, got low={low!r}; use a positive low bound or log=False.")
        self.low, self.high, self.log = low, high, bool(log)

    def _forward(self, x: float) -> float:
        # Base 10, not e: 10 ** -3.0 is exactly 0.001, so the grid points of a log range
        # spanning decades print as the round numbers a learner expects.
        return math.log10(x) if self.log else float(x)

    def _backward(self, t: float) -> float:
        return 10.0**t if self.log else float(t)

    def _check_range(self, value) -> None:
        if not self.low <= value <= self.high:
            raise ValueError(
                f"{self.name}: {value!r} is outside [{self.low}, {self.high}]; pick a value inside the bounds."
            )

    def __repr__(self) -> str:
        log = ", log=True" if self.log else ""
        return f"{type(self).__name__}({self.low!r}, {self.high!r}{log})"

    def to_dict(self) -> dict:
        return {"type": self.kind, "low": self.low, "high": self.high, "log": self.log}


class Real(_Interval):
    """A real number in ``[low, high]``, uniform in log space when ``log=True``."""

    kind = "real"

    def __init__(self, low: float, high: float, log: bool = False):
        super().__init__(low, high, log)
        self.low, self.high = float(self.low), float(self.high)

    def to_unit(self, value: float) -> float:
        a, b = self._forward(self.low), self._forward(self.high)
        return (self._forward(value) - a) / (b - a)

    def from_unit(self, u: float) -> float:
        u = float(np.clip(u, 0.0, 1.0))
        if u in (0.0, 1.0):  # the ends exactly, not 10 ** log10(x), which may be off by an ulp
            return float(self.low if u == 0.0 else self.high)
        a, b = self._forward(self.low), self._forward(self.high)
        return float(min(max(self._backward(a + u * (b - a)), self.low), self.high))

    def grid(self, n: int) -> list[float]:
        if n == 1:
            return [self.from_unit(0.5)]
        return [self.from_unit(u) for u in np.linspace(0.0, 1.0, n)]

    def validate(self, value) -> float:
        value = _finite_number(value, f"{self.name}")
        self._check_range(value)
        return float(value)


class Integer(_Interval):
    """An integer in ``[low, high]``, both ends included.

    The unit interval is cut into one cell per integer: equal cells on a linear scale, cells
    of equal log width (over ``[low - 0.5, high + 0.5]``) when ``log=True``.
    """

    kind = "integer"

    def __init__(self, low: int, high: int, log: bool = False):
        for which, bound in (("low", low), ("high", high)):
            if isinstance(bound, (float, np.floating)) and float(bound).is_integer() is False:
                raise ValueError(f"Integer: {which}={bound!r} is not a whole number; use Real for fractional values.")
            if not is_number(bound):
                raise TypeError(f"Integer: {which} must be an int, got {bound!r} ({type(bound).__name__}).")
        super().__init__(low, high, log)
        self.low, self.high = int(self.low), int(self.high)

    def _edges(self) -> tuple[float, float]:
        return self._forward(self.low - 0.5), self._forward(self.high + 0.5)

    def to_unit(self, value: int) -> float:
        a, b = self._edges()
        return (self._forward(value) - a) / (b - a)

    def from_unit(self, u: float) -> int:
        a, b = self._edges()
        value = round(self._backward(a + float(np.clip(u, 0.0, 1.0)) * (b - a)))
        return int(min(max(value, self.low), self.high))

    def grid(self, n: int) -> list[int]:
        if n == 1:
            return [self.from_unit(0.5)]
        # Points evenly spaced between the two end *values* (not cell edges), so both ends appear.
        a, b = self._forward(self.low), self._forward(self.high)
        points = [int(round(self._backward(t))) for t in np.linspace(a, b, n)]
        return sorted(set(points))

    def validate(self, value) -> int:
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        if not is_int(value):
            raise TypeError(f"{self.name}: expected an int, got {value!r} ({type(value).__name__}).")
        self._check_range(value)
        return int(value)

    @property
    def size(self) -> int:
        return self.high - self.low + 1


class Categorical(Dimension):
    """One of a list of choices (strings, numbers, booleans or None), unordered."""

    def __init__(self, choices: Iterable):
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Iterable):
            raise TypeError(f"Categorical: choices must be a list, got {choices!r}; write Categorical([...]).")
        choices = list(choices)
        if not choices:
            raise ValueError("Categorical: choices is empty; give at least one choice.")
        for choice in choices:
            if not isinstance(choice, JSON_SCALARS):
                raise TypeError(
                    f"Categorical: choice {choice!r} is a {type(choice).__name__}; "
                    "use str, int, float, bool or None so trials can be saved as JSON."
                )
        keys = [self._key(c) for c in choices]
        duplicates = sorted({repr(c) for c, k in zip(choices, keys) if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"Categorical: duplicate choices {', '.join(duplicates)}; list each choice once.")
        self.choices = choices

    @staticmethod
    def _key(choice) -> tuple:
        # True == 1 in Python; keep them apart so [True, 1] is two choices.
        return (type(choice).__name__, choice)

    def index(self, value) -> int:
        key = self._key(value)
        for i, choice in enumerate(self.choices):
            if self._key(choice) == key:
                return i
        raise ValueError(f"{self.name}: {value!r} is not one of {self.choices}; pick one of those.")

    def to_unit(self, value) -> float:
        return (self.index(value) + 0.5) / len(self.choices)

    def from_unit(self, u: float):
        k = len(self.choices)
        return self.choices[min(int(float(np.clip(u, 0.0, 1.0)) * k), k - 1)]

    def one_hot(self, value) -> np.ndarray:
        out = np.zeros(len(self.choices))
        out[self.index(value)] = 1.0
        return out

    def grid(self, n: int | None = None) -> list:
        return list(self.choices)

    def validate(self, value):
        return self.choices[self.index(value)]

    @property
    def size(self) -> int:
        return len(self.choices)

    def __repr__(self) -> str:
        return f"Categorical({self.choices!r})"

    def to_dict(self) -> dict:
        return {"type": "categorical", "choices": list(self.choices)}


class Space:
    """An ordered set of named dimensions.

    >>> space = Space(lr=Real(1e-4, 1e-1, log=True), units=Integer(16, 256), act=Categorical(["relu", "tanh"]))
    >>> space.names
    ['lr', 'units', 'act']
    >>> space.from_unit([0.0, 1.0, 0.9])
    {'lr': 0.0001, 'units': 256, 'act': 'tanh'}
    """

    def __init__(self, **dimensions: Dimension):
        if not dimensions:
            raise ValueError("Space: no dimensions; write Space(name=Real(...), ...).")
        self.dimensions: dict[str, Dimension] = {}
        for name, dim in dimensions.items():
            if not isinstance(dim, Dimension):
                raise TypeError(
                    f"Space: {name}={dim!r} is not a dimension; use Real(...), Integer(...) or Categorical([...])."
                )
            # A copy: the same dimension object may sit in another space under another name.
            self.dimensions[name] = copy.copy(dim)
            self.dimensions[name].name = name

    @property
    def names(self) -> list[str]:
        return list(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)

    def __getitem__(self, name: str) -> Dimension:
        return self.dimensions[name]

    def __iter__(self):
        return iter(self.dimensions.items())

    def __repr__(self) -> str:
        body = ",\n".join(f"    {name}={dim!r}" for name, dim in self)
        return f"Space(\n{body},\n)"

    def __eq__(self, other) -> bool:
        return isinstance(other, Space) and self.to_dict() == other.to_dict()

    @property
    def size(self) -> float:
        """Number of distinct configurations: an int, or ``math.inf`` if any dimension is real."""
        return math.prod(dim.size for _, dim in self)

    # -- params <-> unit cube ---------------------------------------------------------------
    def validate(self, params: dict) -> dict:
        """Check ``params`` has exactly this space's keys with legal values; return it in space order."""
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict, got {type(params).__name__}.")
        unknown = [k for k in params if k not in self.dimensions]
        missing = [k for k in self.dimensions if k not in params]
        if unknown:
            raise ValueError(f"params: unknown key(s) {unknown}; the space has {self.names}.")
        if missing:
            raise ValueError(f"params: missing key(s) {missing}; give a value for every dimension of the space.")
        return {name: dim.validate(params[name]) for name, dim in self}

    def to_unit(self, params: dict) -> np.ndarray:
        """Params -> point in [0, 1]^d (categoricals as the middle of their cell)."""
        return np.array([dim.to_unit(params[name]) for name, dim in self], dtype=float)

    def from_unit(self, u) -> dict:
        """Point in [0, 1]^d -> params (rounded integers, Python types)."""
        u = np.asarray(u, dtype=float).reshape(-1)
        if u.shape[0] != len(self):
            raise ValueError(f"from_unit: expected {len(self)} coordinates, got {u.shape[0]}.")
        return {name: dim.from_unit(x) for (name, dim), x in zip(self, u)}

    def to_features(self, params: dict) -> np.ndarray:
        """Params -> model features: unit-cube numbers, and a one-hot block per categorical."""
        parts = []
        for name, dim in self:
            if isinstance(dim, Categorical):
                parts.append(dim.one_hot(params[name]))
            else:
                parts.append([dim.to_unit(params[name])])
        return np.concatenate(parts).astype(float)

    def key(self, params: dict) -> tuple:
        """A hashable identity for a configuration (used to avoid evaluating it twice)."""
        return tuple(
            Categorical._key(params[name]) if isinstance(dim, Categorical) else params[name] for name, dim in self
        )

    # -- designs ----------------------------------------------------------------------------
    def sample(self, rng=None, n: int | None = None):
        """Uniform random params (uniform in log space on log dimensions); a list when ``n`` is given."""
        rng = np.random.default_rng(rng)
        points = rng.random((1 if n is None else n, len(self)))
        samples = [self.from_unit(p) for p in points]
        return samples[0] if n is None else samples

    def grid(self, points_per_dim: int | dict = 5) -> list[dict]:
        """Full factorial grid, the last dimension varying fastest (like ``itertools.product``).

        ``points_per_dim`` is one number for every numeric dimension, or a dict by name.
        Categoricals always contribute every choice; integers are de-duplicated.
        """
        axes = []
        for name, dim in self:
            n = points_per_dim.get(name, 5) if isinstance(points_per_dim, dict) else points_per_dim
            if not is_int(n) or n < 1:
                raise ValueError(f"points_per_dim for {name!r} must be an int >= 1, got {n!r}.")
            axes.append(dim.grid(int(n)))
        return [dict(zip(self.names, combo)) for combo in itertools.product(*axes)]

    def configurations(self) -> Iterator[dict]:
        """Every configuration of a finite space (no ``Real`` dimension), in grid order."""
        if not math.isfinite(self.size):
            raise ValueError("configurations(): the space has a Real dimension, so it has infinitely many; "
                             "use sample() or grid() instead.")
        axes = [range(dim.low, dim.high + 1) if isinstance(dim, Integer) else dim.choices for _, dim in self]
        return (dict(zip(self.names, combo)) for combo in itertools.product(*axes))

    # -- persistence --------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {name: dim.to_dict() for name, dim in self}

    @classmethod
    def from_dict(cls, spec: dict) -> Space:
        kinds = {"real": Real, "integer": Integer}
        dims = {}
        for name, d in spec.items():
            if d["type"] == "categorical":
                dims[name] = Categorical(d["choices"])
            else:
                dims[name] = kinds[d["type"]](d["low"], d["high"], log=d["log"])
        return cls(**dims)
