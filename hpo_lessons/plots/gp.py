"""Bayesian optimization drawn: the GP posterior with its acquisition below it, in 1-D and 2-D."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..core.space import Categorical
from ..experiments import registry
from ._common import CMAP, _axis_label, _cmap, _line_params, _mesh, _style


def _log_ticks(axis) -> None:
    """Plain-number labels on a log axis: 1, 2, 5 x 10^k on short ranges, decades on long ones.

    Left alone, matplotlib labels the minor ticks of a range of about one decade ("2x10^1",
    "3x10^1", ...), which crowd and collide on narrow panels. Call after the data are drawn.
    """
    low, high = sorted(axis.get_view_interval())
    decades = np.log10(high / low) if low > 0 else np.inf
    axis.set_major_locator(LogLocator(base=10, subs=(1.0,) if decades > 2.5 else (1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _observed(bo, sign: float) -> tuple[list[dict], np.ndarray]:
    pairs = [(p, v) for p, v in zip(bo.X, bo.y, strict=True) if v is not None]
    return [p for p, _ in pairs], np.array([sign * v for _, v in pairs], dtype=float)


def _default_fixed(bo, keep: Sequence[str]) -> dict:
    """The best observed configuration, for the dimensions not drawn."""
    params, values = _observed(bo, 1.0)
    if not len(values):
        raise ValueError("the optimizer has no completed trial yet; tell it some results first.")
    best = params[int(np.argmin(values))]
    return {k: v for k, v in best.items() if k not in keep}


def gp_posterior_1d(
    bo=None,
    dim: str | None = None,
    *,
    fixed: dict | None = None,
    direction: str = "minimize",
    n: int = 200,
    truth: Callable | np.ndarray | None = None,
    x=None,
    mean=None,
    std=None,
    acquisition=None,
    observed_x=None,
    observed_y=None,
    xlabel: str = "x",
    metric: str = "objective value",
    title: str | None = None,
):
    """The GP's mean and a 95% band along one hyperparameter, the acquisition underneath.

    Either pass ``bo`` (a ``BayesianOptimization`` that has been told trials; ``dim`` is the
    dimension to draw, the others held at ``fixed``, by default the best observed values), or
    the arrays ``x``, ``mean``, ``std`` (shape (n,)), optional ``acquisition`` (n,) and the
    observations ``observed_x``, ``observed_y``. ``truth`` is the true function: a callable on
    params dicts (with ``bo``) or an array of shape (n,). The next point, the acquisition's
    maximum, is marked. ``metric`` names the objective on the value axis (e.g. "validation accuracy").
    """
    sign = registry.sign(direction)
    log = False
    if bo is not None:
        space = bo.space
        dim = dim or next((n for n, d in space if not isinstance(d, Categorical)), space.names[0])
        fixed = fixed if fixed is not None else _default_fixed(bo, [dim])
        x, params = _line_params(space, dim, fixed, n)
        mean, std = (np.asarray(a, dtype=float) for a in bo.predict(params))
        mean = sign * mean
        acquisition = np.asarray(bo.acquisition_values(params), dtype=float)
        seen, observed_y = _observed(bo, sign)
        observed_x = np.array([p[dim] for p in seen], dtype=float)
        if callable(truth):
            truth = np.array([truth(p) for p in params], dtype=float)
        xlabel, log = _axis_label(space, dim), getattr(space[dim], "log", False)
    if x is None or mean is None or std is None:
        raise ValueError("gp_posterior_1d: pass a fitted bo, or the arrays x, mean and std.")
    x, mean, std = (np.asarray(a, dtype=float) for a in (x, mean, std))
    rows = 2 if acquisition is not None else 1
    fig, axes = plt.subplots(
        rows, 1, figsize=(7, 5.2 if rows == 2 else 3.8), sharex=True, squeeze=False,
        gridspec_kw={"height_ratios": [3, 1.3][:rows]},
    )  # fmt: skip
    top = axes[0, 0]
    top.fill_between(x, mean - 1.96 * std, mean + 1.96 * std, color="#d62728", alpha=0.15, label="95% band")
    top.plot(x, mean, color="#d62728", label="GP mean")
    if truth is not None:
        top.plot(x, np.asarray(truth, dtype=float), "k--", linewidth=1, label="true function")
    if observed_x is not None:
        projected = bo is not None and len(bo.space) > 1  # trials elsewhere in the other dimensions too
        label = "observed trials (projected)" if projected else "observed trials"
        top.scatter(observed_x, observed_y, color="black", zorder=3, s=22, label=label)
    top.set_ylabel(metric)
    top.legend(fontsize=8)
    n_seen = 0 if observed_x is None else len(observed_x)
    if acquisition is not None:
        acquisition = np.asarray(acquisition, dtype=float)
        nxt = x[int(np.nanargmax(acquisition))]
        low = axes[1, 0]
        low.plot(x, acquisition, color="#1f77b4")
        low.fill_between(x, np.nanmin(acquisition), acquisition, color="#1f77b4", alpha=0.2)
        name = getattr(bo, "acquisition", "acquisition") if bo is not None else "acquisition"
        low.set_ylabel(f"{str(name).upper()}\n(utility)")
        for a in axes[:, 0]:
            a.axvline(nxt, color="#1f77b4", linestyle=":", linewidth=1.2)
        where = "along this slice, it is highest at" if bo is not None and len(bo.space) > 1 else "it picks"
        default = f"GP after {n_seen} trials: {where} {xlabel.split(' ')[0]} = {nxt:.3g}"
    else:
        default = f"GP posterior after {n_seen} trials: uncertain far from the data"
    for a in axes[:, 0]:
        _style(a)
        if log:
            a.set_xscale("log")
            _log_ticks(a.xaxis)
    axes[-1, 0].set_xlabel(xlabel)
    top.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig


def gp_posterior_2d(bo, x: str, y: str, *, fixed: dict | None = None, direction: str = "minimize", n: int = 40,
                    truth: Callable | None = None, metric: str = "objective", title: str | None = None):  # fmt: skip
    """GP mean, GP standard deviation and acquisition over two hyperparameters, as contour maps.

    The other dimensions are held at ``fixed`` (default: the best observed trial's values);
    observed trials are black dots and the acquisition's maximum a star. ``truth`` (a callable
    on params dicts, e.g. a benchmark) adds the true function as a first panel. Each colour bar
    names ``metric`` (e.g. "validation accuracy"); the key sits below the panels, off the data.
    """
    space = bo.space
    fixed = fixed if fixed is not None else _default_fixed(bo, [x, y])
    xs, ys, params = _mesh(space, x, y, fixed, n)
    sign = registry.sign(direction)
    mean, std = (np.asarray(a, dtype=float).reshape(n, n) for a in bo.predict(params))
    acq = np.asarray(bo.acquisition_values(params), dtype=float).reshape(n, n)
    name = str(bo.acquisition).upper()
    panels = [("GP mean", sign * mean), ("GP standard deviation", std), (name, acq)]
    if truth is not None:
        panels.insert(0, ("true function", np.array([truth(p) for p in params], dtype=float).reshape(n, n)))
    bars = {"true function": metric, "GP mean": f"GP mean of {metric}", "GP standard deviation": f"GP std of {metric}",
            name: {"ei": f"EI ({metric} units)", "pi": "PI (a probability)"}.get(bo.acquisition,
                                                                                f"-LCB ({metric} units)")}
    good = ("true function", "GP mean")  # value maps: bright = good, as in every figure here
    seen, _ = _observed(bo, sign)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.3 * len(panels), 3.9), squeeze=False)
    j, i = np.unravel_index(int(np.nanargmax(acq)), acq.shape)
    for a, (label, z) in zip(axes[0], panels, strict=True):
        filled = a.contourf(xs, ys, z, levels=20, cmap=_cmap(direction) if label in good else CMAP)
        fig.colorbar(filled, ax=a, label=bars[label])
        a.scatter([p[x] for p in seen], [p[y] for p in seen], c="black", s=14, label="observed")
        a.scatter([xs[i]], [ys[j]], marker="*", s=160, c="white", edgecolors="black", label="next point")
        a.set_xlabel(_axis_label(space, x))
        a.set_ylabel(_axis_label(space, y))
        for axis, dim in ((a.xaxis, x), (a.yaxis, y)):
            if getattr(space[dim], "log", False):
                (a.set_xscale if axis is a.xaxis else a.set_yscale)("log")
                _log_ticks(axis)
        a.set_title(label, fontsize=9)
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="lower center", ncol=2, fontsize=8)
    default = f"After {len(seen)} trials the acquisition picks {x} = {xs[i]:.3g}, {y} = {ys[j]:.3g}"
    fig.suptitle(title if title is not None else default)
    fig.tight_layout(rect=(0, 0.07, 1, 1))  # room for the key below the panels
    return fig
