"""What every figure shares: method colours, axis labels, number formats, a light style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..core.space import Categorical, Space
from ..experiments import registry

COLORS = {name: method.color for name, method in registry.METHODS.items()}  # the registry's, by method name
CMAP = "viridis"


def _cmap(direction: str):
    """The colour map on which bright means good, whichever the direction."""
    return plt.get_cmap(f"{CMAP}_r" if direction == "minimize" else CMAP)


def _color(method: str, i: int) -> str:
    return registry.color(method, i)


def _figure(ax=None, **kwargs):
    if ax is not None:
        return ax.figure, ax
    return plt.subplots(**kwargs)


def _style(ax) -> None:
    ax.grid(True, alpha=0.3, linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)


def _fmt(x) -> str:
    return f"{x:.3g}" if isinstance(x, (float, np.floating)) else str(x)


def _axis_label(space: Space, name: str) -> str:
    dim = space[name]
    return f"{name} (log scale)" if getattr(dim, "log", False) else name


def _better(direction: str) -> str:
    return "lower is better" if direction == "minimize" else "higher is better"


def _line_params(space: Space, name: str, fixed: dict | None, n: int) -> tuple[np.ndarray, list[dict]]:
    """``n`` params dicts along dimension ``name``, the others held at ``fixed``."""
    dim = space[name]
    if isinstance(dim, Categorical):
        raise ValueError(f"{name!r} is categorical; pick a numeric dimension to draw a posterior along.")
    others = [k for k in space.names if k != name]
    fixed = dict(fixed or {})
    missing = [k for k in others if k not in fixed]
    if missing:
        raise ValueError(f"give fixed values for {missing} (fixed={{...}}) to draw a slice along {name!r}.")
    values = [dim.from_unit(u) for u in np.linspace(0, 1, n)]
    return np.array(values, dtype=float), [dict(fixed, **{name: v}) for v in values]


def _mesh(space: Space, x: str, y: str, fixed: dict, n: int):
    xs, _ = _line_params(space, x, dict(fixed, **{y: space[y].from_unit(0.5)}), n)
    ys, _ = _line_params(space, y, dict(fixed, **{x: space[x].from_unit(0.5)}), n)
    params = [dict(fixed, **{x: a, y: b}) for b in ys for a in xs]
    return xs, ys, params
