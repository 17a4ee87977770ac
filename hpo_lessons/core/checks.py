"""Argument checks that every module shares: is it a whole number, is it a number?

``True`` is an ``int`` to Python (``isinstance(True, int)``), so ``n_trials=True`` would
pass a plain ``isinstance`` check and run one trial; these helpers refuse bools. numpy's
scalars count (``np.int64(3)`` is an int, ``np.float32(0.5)`` a number), as they come out of
arrays and tables all the time.

``is_int`` and ``is_number`` answer the question, for checks whose message is their own;
``check_int`` and ``check_number`` also raise the ``ValueError`` that names the parameter.
"""

from __future__ import annotations

import math
from numbers import Integral, Real


def is_int(value) -> bool:
    """Whether ``value`` is a whole-number type (int or a numpy integer), not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_number(value) -> bool:
    """Whether ``value`` is a real-number type (int, float or a numpy scalar), not a bool."""
    return isinstance(value, Real) and not isinstance(value, bool)


def check_int(name: str, value, low: int, high: int | None = None, why: str = "") -> int:
    """``value`` as an int if it is a whole number in [low, high] (bools refused), else a ValueError naming it."""
    if not is_int(value) or value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"between {low} and {high}"
        because = f" ({why})" if why else ""
        raise ValueError(f"{name} must be an int {bounds}{because}, got {value!r}.")
    return int(value)


def check_number(name: str, value, low: float = 0.0) -> float:
    """``value`` as a float if it is a finite number >= low (bools refused), else a ValueError naming it."""
    if not is_number(value) or not low <= value < math.inf:
        raise ValueError(f"{name} must be a finite number >= {low:g}, got {value!r}.")
    return float(value)
