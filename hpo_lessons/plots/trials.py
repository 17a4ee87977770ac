"""One search's trials drawn: a grid as a heat map, learning curves, parallel coordinates."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..core.history import History
from ..core.space import Categorical, Space
from ..experiments import registry
from ._common import _axis_label, _better, _cmap, _figure, _fmt, _style


def _completed(history: History) -> list:
    trials = history.completed
    if not trials:
        raise ValueError("the history has no completed trial; every trial failed or none ran.")
    return trials


def grid_heatmap(history: History, x: str, y: str, ax=None, annotate: bool = True, title: str | None = None):
    """The value over two hyperparameters: one cell per pair of grid values.

    Where other hyperparameters vary too, a cell shows the best value over them. Histories
    that are not grids (more than 25 distinct values on an axis) are drawn as a scatter
    coloured by value instead.
    """
    trials = _completed(history)
    for name in (x, y):
        if name not in trials[0].params:
            raise ValueError(f"{name!r} is not a hyperparameter of this history; it has {list(trials[0].params)}.")
    frame = pd.DataFrame({"x": [t.params[x] for t in trials], "y": [t.params[y] for t in trials],
                          "value": [t.value for t in trials]})  # fmt: skip
    best = "min" if history.direction == "minimize" else "max"
    fig, ax = _figure(ax, figsize=(6.5, 4.8))
    others = "best value over the other hyperparameters" if len(trials[0].params) > 2 else "value"
    label = f"{others} ({_better(history.direction)})"
    space = history.space
    if frame["x"].nunique() > 25 or frame["y"].nunique() > 25:
        points = ax.scatter(frame["x"], frame["y"], c=frame["value"], cmap=_cmap(history.direction), s=30)
        fig.colorbar(points, ax=ax, label=f"value ({_better(history.direction)})")
        if space is not None:
            ax.set_xscale("log" if getattr(space[x], "log", False) else "linear")
            ax.set_yscale("log" if getattr(space[y], "log", False) else "linear")
    else:
        table = frame.pivot_table(index="y", columns="x", values="value", aggfunc=best)
        cells = table.to_numpy(dtype=float)
        image = ax.imshow(cells, cmap=_cmap(history.direction), origin="lower", aspect="auto")
        fig.colorbar(image, ax=ax, label=label)
        ax.set_xticks(range(table.shape[1]), [_fmt(v) for v in table.columns], rotation=45)
        ax.set_yticks(range(table.shape[0]), [_fmt(v) for v in table.index])
        if annotate and table.size <= 100:
            for (i, j), v in np.ndenumerate(cells):
                if np.isfinite(v):  # dark text on the bright (good) cells, white on the dark ones
                    bright = image.norm(v) > 0.5 if best == "max" else image.norm(v) < 0.5
                    ax.text(
                        j, i, f"{v:.3g}", ha="center", va="center", fontsize=7, color="black" if bright else "white"
                    )
    ax.set_xlabel(_axis_label(space, x) if space is not None else x)
    ax.set_ylabel(_axis_label(space, y) if space is not None else y)
    top = history.best
    default = f"Best value {top.value:.3g} at {x} = {_fmt(top.params[x])}, {y} = {_fmt(top.params[y])}"
    ax.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig


def learning_curves(history: History, metric: str = "val_accuracy", ax=None, title: str | None = None):
    """Each trial's per-epoch ``metric`` (from ``trial.extras["history"]``), coloured by the trial's value.

    Bright is good, as in every figure here; failed trials are grey; the best trial is black.
    """
    curves = [(t, t.extras.get("history", {})) for t in history.trials]
    found = sorted({m for _, h in curves if isinstance(h, dict) for m in h})
    curves = [(t, np.asarray(h[metric], dtype=float)) for t, h in curves if isinstance(h, dict) and metric in h]
    if not curves:
        raise ValueError(
            f"no trial has a {metric!r} learning curve in extras['history'] (metrics found: {found or 'none'}); "
            "use an objective that returns {'value': ..., 'history': keras_history.history}."
        )
    fig, ax = _figure(ax, figsize=(7, 4.2))
    values = [t.value for t, _ in curves if t.ok]
    norm = plt.Normalize(min(values), max(values)) if values else None
    cmap = _cmap(history.direction)
    for trial, curve in curves:
        color = cmap(norm(trial.value)) if trial.ok else "0.7"
        ax.plot(np.arange(1, len(curve) + 1), curve, color=color, alpha=0.8, linewidth=1)
    if norm is not None:
        fig.colorbar(
            plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label=f"trial value ({_better(history.direction)})"
        )
    ok = [(t, c) for t, c in curves if t.ok]
    if ok:
        sign = registry.sign(history.direction)
        best_trial, best_curve = min(ok, key=lambda tc: sign * tc[0].value)
        ax.plot(np.arange(1, len(best_curve) + 1), best_curve, color="black", linewidth=2.2,
                label=f"best trial (#{best_trial.number})")  # fmt: skip
        ax.legend(fontsize=8)
        default = (
            f"Best trial #{best_trial.number} ends at {metric} {best_curve[-1]:.3g} after {len(best_curve)} epochs"
        )
    else:
        default = f"{metric} per epoch of {len(curves)} trials"
    ax.set_xlabel("epoch (count)")
    ax.set_ylabel(metric)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _style(ax)
    ax.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig


def _agreement_title(space: Space, units: np.ndarray, values: np.ndarray, direction: str) -> str | None:
    """Which hyperparameter the best quarter of trials agree on, and which they do not."""
    if len(values) < 8:
        return None
    order = np.argsort(values if direction == "minimize" else -values, kind="stable")
    top = units[order[: max(2, len(values) // 4)]]
    spread = top.max(axis=0) - top.min(axis=0)
    tight, loose = int(np.argmin(spread)), int(np.argmax(spread))
    if tight == loose:
        return None
    return (
        f"The best quarter of trials agree on {space.names[tight]} (spread {spread[tight]:.0%} of its range), "
        f"not on {space.names[loose]} ({spread[loose]:.0%})"
    )


def parallel_coordinates(history: History, ax=None, title: str | None = None):
    """Every trial as a line across the hyperparameters (each scaled to its range), coloured by value.

    Positions come from the space's ``to_unit``: 0 is a dimension's low end, 1 its high end
    (on a log scale for log dimensions); categorical choices sit in the middle of equal cells.
    Failed trials are grey dashes.
    """
    space = history.space
    if space is None:
        raise ValueError("parallel_coordinates needs history.space; histories from run() have it.")
    trials = _completed(history)
    units = np.array([space.to_unit(t.params) for t in trials])
    values = np.array([t.value for t in trials], dtype=float)
    fig, ax = _figure(ax, figsize=(max(8.0, 1.6 * len(space) + 3), 4.4))
    xs = np.arange(len(space))
    norm = plt.Normalize(values.min(), values.max())
    cmap = _cmap(history.direction)
    for t in history.failed:
        ax.plot(xs, space.to_unit(t.params), color="0.7", linestyle="--", linewidth=0.8)
    for i in np.argsort(values if history.direction == "maximize" else -values):  # best drawn last, on top
        ax.plot(xs, units[i], color=cmap(norm(values[i])), alpha=0.8, linewidth=1.2)
    for i, (_, dim) in enumerate(space):
        ax.axvline(i, color="black", linewidth=0.8)
        if isinstance(dim, Categorical):
            for choice in dim.choices:
                ax.text(i + 0.03, dim.to_unit(choice), str(choice), fontsize=7, va="center")
        else:
            ax.text(i + 0.03, 0.0, _fmt(dim.low), va="center", fontsize=7)
            ax.text(i + 0.03, 1.0, _fmt(dim.high), va="center", fontsize=7)
    ax.set_xticks(xs, [_axis_label(space, n) for n in space.names], rotation=15)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("hyperparameter")
    ax.set_ylabel("position in range (0 = low, 1 = high)")
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label=f"value ({_better(history.direction)})")
    ax.spines[["top", "right"]].set_visible(False)
    default = _agreement_title(space, units, values, history.direction)
    if default is None:
        best = history.best
        default = f"{len(trials)} trials; the best ({best.value:.3g}) has " + ", ".join(
            f"{k} = {_fmt(v)}" for k, v in best.params.items()
        )
    ax.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig
