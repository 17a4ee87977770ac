"""The course's figures: convergence, GP posteriors, GA generations, grids, learning curves.

Every function draws one idea, labels its axes with units, and titles the figure with what
it shows, computed from the data (pass ``title=`` to state your own finding). Each returns
the matplotlib ``Figure``; none calls ``plt.show()``. Values are plotted as the objective
returned them (a method's internal minimized values are flipped back for ``maximize``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .compare import direction_of, final_rows
from .history import History
from .space import Categorical, Space

COLORS = {
    "grid": "#7f7f7f", "random": "#1f77b4", "bayes": "#d62728", "genetic": "#2ca02c",
    "kt-random": "#aec7e8", "kt-grid": "#c7c7c7", "kt-bayesian": "#ff9896", "kt-hyperband": "#9467bd",
    "kt-genetic": "#98df8a", "optuna-tpe": "#ff7f0e",
}  # fmt: skip
CMAP = "viridis"


def _cmap(direction: str):
    """The colour map on which bright means good, whichever the direction."""
    return plt.get_cmap(f"{CMAP}_r" if direction == "minimize" else CMAP)


def _color(method: str, i: int) -> str:
    return COLORS.get(method, plt.get_cmap("tab10")(i % 10))


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


# -- convergence ------------------------------------------------------------------------------
def _quartiles(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and quartiles over the columns (seeds) of a rows-by-seeds table."""
    values = table.to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        if np.isnan(values).all():
            nan = np.full(len(values), np.nan)
            return nan, nan, nan
        q25, q50, q75 = np.nanpercentile(values, [25, 50, 75], axis=1)
    return q50, q25, q75


def _on_time_grid(group: pd.DataFrame, column: str, grid: np.ndarray) -> pd.DataFrame:
    """Each seed's best-so-far as a step function of wall-clock time, sampled on ``grid``."""
    out = {}
    for seed, runs in group.groupby("seed"):
        runs = runs.sort_values("trial")
        ends = np.maximum.accumulate(runs["elapsed"].to_numpy(dtype=float))
        idx = np.searchsorted(ends, grid, side="right") - 1
        values = runs[column].to_numpy(dtype=float)
        out[seed] = np.where(idx >= 0, values[np.clip(idx, 0, None)], np.nan)
    return pd.DataFrame(out, index=grid)


def convergence_title(df: pd.DataFrame) -> str:
    """A title that states the finding.

    For example "bayes reaches regret 0.0012 in 25 trials (median of 5 seeds); random 0.41".
    """
    column = "regret" if "regret" in df else "best_so_far"
    finals = final_rows(df).groupby("method", sort=False)[column].median()
    if finals.isna().all():
        return "No search completed a trial"
    sign = 1.0 if column == "regret" or direction_of(df) == "minimize" else -1.0
    order = (sign * finals).sort_values(na_position="last").index.tolist()
    best = order[0]
    what = "regret" if column == "regret" else "best value"
    title = (
        f"{best} reaches {what} {finals[best]:.2g} in {int(df['trial'].max()) + 1} trials "
        f"(median of {df['seed'].nunique()} seeds)"
    )
    if len(order) > 1:
        other = "random" if "random" in order[1:] else order[-1]
        tie = f"{finals[other]:.2g}" == f"{finals[best]:.2g}"
        title += f"; {other} {'ties at ' if tie else ''}{finals[other]:.2g}"
    return title


def convergence(df: pd.DataFrame, time: bool = False, log: bool | None = None, ax=None, title: str | None = None):
    """Best so far (or regret) against trials, and against wall-clock seconds when ``time=True``.

    Each method's line is the median over seeds, its band the interquartile range. When ``df``
    has a ``regret`` column (the optimum is known), regret is drawn on a log axis (zeros are
    clipped to a tenth of the smallest positive regret so they stay visible).
    """
    if not len(df):
        raise ValueError("convergence: the comparison table is empty.")
    column = "regret" if "regret" in df else "best_so_far"
    log = column == "regret" if log is None else log
    data = df.copy()
    if log and column == "regret":
        positive = data[column][data[column] > 0]
        floor = positive.min() / 10 if len(positive) else 1e-12
        data[column] = data[column].clip(lower=floor)
    panels = 2 if time else 1
    if ax is not None and time:
        raise ValueError("convergence: time=True draws two panels; pass no ax (or time=False).")
    fig, axes = _figure(ax, ncols=panels, figsize=(6.5 * panels, 4.2), squeeze=False)
    axes = np.atleast_1d(axes).ravel()
    direction = direction_of(df)
    ylabel = (
        "regret: best so far − known optimum (log scale)"
        if column == "regret"
        else f"best value so far ({_better(direction)})"
    )
    for i, (method, group) in enumerate(data.groupby("method", sort=False)):
        color = _color(method, i)
        table = group.pivot(index="trial", columns="seed", values=column)
        mid, low, high = _quartiles(table)
        trials = table.index.to_numpy() + 1
        axes[0].plot(trials, mid, color=color, label=method, linewidth=1.8)
        axes[0].fill_between(trials, low, high, color=color, alpha=0.18, linewidth=0)
        if time:
            # From the moment every seed has a first result: a median over fewer seeds could rise again.
            start = max(group.groupby("seed")["elapsed"].min().max(), 1e-6)
            grid = np.geomspace(start, max(group["elapsed"].max(), 2 * start), 200)
            mid, low, high = _quartiles(_on_time_grid(group, column, grid))
            axes[1].plot(grid, mid, color=color, label=method, linewidth=1.8)
            axes[1].fill_between(grid, low, high, color=color, alpha=0.18, linewidth=0)
    axes[0].set_xlabel("trial (count)")
    if time:
        axes[1].set_xlabel("wall-clock time since the search started (s, log scale)")
        axes[1].set_xscale("log")
    for a in axes:
        a.set_ylabel(ylabel)
        if log:
            a.set_yscale("log")
        _style(a)
    axes[0].legend(title="median, IQR over seeds", fontsize=8, title_fontsize=8)
    text = title if title is not None else convergence_title(df)
    if time:
        fig.suptitle(text)
    else:
        axes[0].set_title(text, fontsize=10)
    fig.tight_layout()
    return fig


# -- Bayesian optimization ------------------------------------------------------------------------
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
    title: str | None = None,
):
    """The GP's mean and a 95% band along one hyperparameter, the acquisition underneath.

    Either pass ``bo`` (a ``BayesianOptimization`` that has been told trials; ``dim`` is the
    dimension to draw, the others held at ``fixed``, by default the best observed values), or
    the arrays ``x``, ``mean``, ``std`` (shape (n,)), optional ``acquisition`` (n,) and the
    observations ``observed_x``, ``observed_y``. ``truth`` is the true function: a callable on
    params dicts (with ``bo``) or an array of shape (n,). The next point, the acquisition's
    maximum, is marked.
    """
    sign = 1.0 if direction == "minimize" else -1.0
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
    top.set_ylabel("objective value")
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
    axes[-1, 0].set_xlabel(xlabel)
    top.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig


def _mesh(space: Space, x: str, y: str, fixed: dict, n: int):
    xs, _ = _line_params(space, x, dict(fixed, **{y: space[y].from_unit(0.5)}), n)
    ys, _ = _line_params(space, y, dict(fixed, **{x: space[x].from_unit(0.5)}), n)
    params = [dict(fixed, **{x: a, y: b}) for b in ys for a in xs]
    return xs, ys, params


def gp_posterior_2d(bo, x: str, y: str, *, fixed: dict | None = None, direction: str = "minimize", n: int = 40,
                    truth: Callable | None = None, title: str | None = None):  # fmt: skip
    """GP mean, GP standard deviation and acquisition over two hyperparameters, as contour maps.

    The other dimensions are held at ``fixed`` (default: the best observed trial's values);
    observed trials are black dots and the acquisition's maximum a star. ``truth`` (a callable
    on params dicts, e.g. a benchmark) adds the true function as a first panel.
    """
    space = bo.space
    fixed = fixed if fixed is not None else _default_fixed(bo, [x, y])
    xs, ys, params = _mesh(space, x, y, fixed, n)
    sign = 1.0 if direction == "minimize" else -1.0
    mean, std = (np.asarray(a, dtype=float).reshape(n, n) for a in bo.predict(params))
    acq = np.asarray(bo.acquisition_values(params), dtype=float).reshape(n, n)
    panels = [("GP mean", sign * mean), ("GP standard deviation", std), (f"{str(bo.acquisition).upper()}", acq)]
    if truth is not None:
        panels.insert(0, ("true function", np.array([truth(p) for p in params], dtype=float).reshape(n, n)))
    good = ("true function", "GP mean")  # value maps: bright = good, as in every figure here
    seen, _ = _observed(bo, sign)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.3 * len(panels), 3.9), squeeze=False)
    j, i = np.unravel_index(int(np.nanargmax(acq)), acq.shape)
    for a, (label, z) in zip(axes[0], panels, strict=True):
        filled = a.contourf(xs, ys, z, levels=20, cmap=_cmap(direction) if label in good else CMAP)
        fig.colorbar(filled, ax=a, label=label)
        a.scatter([p[x] for p in seen], [p[y] for p in seen], c="black", s=14, label="observed")
        a.scatter([xs[i]], [ys[j]], marker="*", s=160, c="white", edgecolors="black", label="next point")
        a.set_xlabel(_axis_label(space, x))
        a.set_ylabel(_axis_label(space, y))
        a.set_xscale("log" if getattr(space[x], "log", False) else "linear")
        a.set_yscale("log" if getattr(space[y], "log", False) else "linear")
        a.set_title(label, fontsize=9)
    axes[0, -1].legend(fontsize=7, loc="upper right")
    default = f"After {len(seen)} trials the acquisition picks {x} = {xs[i]:.3g}, {y} = {ys[j]:.3g}"
    fig.suptitle(title if title is not None else default)
    fig.tight_layout()
    return fig


# -- genetic algorithm ------------------------------------------------------------------------------
def _generation_values(ga, sign: float) -> list[np.ndarray]:
    """Each generation's told values in the objective's own sign (failed: inf, pending: dropped)."""
    out = []
    for gen in ga.generations:
        values = np.array(gen.values, dtype=float)
        out.append(sign * values[~np.isnan(values) & np.isfinite(values)])
    return out


def ga_generations(ga, direction: str = "minimize", x: str | None = None, y: str | None = None,
                   background: Callable | None = None, log: bool | None = None, ax=None,
                   title: str | None = None):  # fmt: skip
    """How a ``GeneticAlgorithm``'s population improves, one generation after another.

    Without ``x``/``y``: every individual's value per generation (dots, elites carried over
    from the previous generation as open circles) and the best so far (line). With ``x`` and
    ``y``: the individuals over those two hyperparameters, coloured by generation, over the
    contours of ``background`` (a callable on params dicts, e.g. a benchmark; the other
    dimensions are held at the best individual's values). ``log`` puts values on a log axis;
    by default when they are all positive and span more than two decades.
    """
    sign = 1.0 if direction == "minimize" else -1.0
    values = _generation_values(ga, sign)
    done = [(g, v) for g, v in zip(ga.generations, values, strict=True) if len(v)]
    if not done:
        raise ValueError("ga_generations: no generation has a told value yet; run the search first.")
    if (x is None) != (y is None):
        raise ValueError("ga_generations: give both x and y (two hyperparameter names), or neither.")
    fig, ax = _figure(ax, figsize=(7, 4.2))
    if x is None:
        rng = np.random.default_rng(0)  # jitter only, so dots of equal value do not hide each other
        best = []
        for gen, vals in done:
            told = np.array(gen.values, dtype=float)
            elite = np.zeros(len(told), dtype=bool)
            elite[: gen.n_elites] = True
            keep = ~np.isnan(told) & np.isfinite(told)
            xs = gen.number + rng.uniform(-0.15, 0.15, keep.sum())
            is_elite = elite[keep]
            ax.scatter(xs[~is_elite], vals[~is_elite], s=18, color="#2ca02c", alpha=0.7)
            ax.scatter(xs[is_elite], vals[is_elite], s=30, facecolors="none", edgecolors="black")
            best.append(vals.min() if sign > 0 else vals.max())
        best = (np.minimum if sign > 0 else np.maximum).accumulate(np.array(best))
        numbers = [g.number for g, _ in done]
        ax.step(numbers, best, where="post", color="black", linewidth=1.5, label="best so far")
        ax.scatter([], [], s=18, color="#2ca02c", label="new individual")
        ax.scatter([], [], s=30, facecolors="none", edgecolors="black", label="elite, carried over")
        ax.set_xlabel("generation (count)")
        ax.set_ylabel(f"objective value ({_better(direction)})")
        every = np.concatenate([v for _, v in done])
        if log is None:  # early generations are often orders of magnitude worse than late ones
            log = bool(every.min() > 0 and every.max() / every.min() > 100)
        if log:
            ax.set_yscale("log")
        ax.xaxis.get_major_locator().set_params(integer=True)
        default = (
            f"Best value goes from {best[0]:.3g} to {best[-1]:.3g} over {len(done)} generations of {ga.population_size}"
        )
    else:
        space = ga.space
        if background is not None:
            top = _best_individual(ga)
            xs, ys, params = _mesh(space, x, y, {k: v for k, v in top.items() if k not in (x, y)}, 60)
            z = np.array([background(p) for p in params], dtype=float).reshape(len(ys), len(xs))
            filled = ax.contourf(xs, ys, z, levels=20, cmap="Greys_r", alpha=0.8)
            fig.colorbar(filled, ax=ax, label="objective value")
        cmap = plt.get_cmap(CMAP)
        for gen, _ in done:
            color = cmap(gen.number / max(1, done[-1][0].number))
            ax.scatter([p[x] for p in gen.individuals], [p[y] for p in gen.individuals], s=22, color=color,
                       edgecolors="white", linewidths=0.4, label=f"generation {gen.number}")  # fmt: skip
        ax.set_xlabel(_axis_label(space, x))
        ax.set_ylabel(_axis_label(space, y))
        ax.set_xscale("log" if getattr(space[x], "log", False) else "linear")
        ax.set_yscale("log" if getattr(space[y], "log", False) else "linear")
        if len(done) <= 8:
            ax.legend(fontsize=7, loc="best")
        best = _best_individual(ga)
        default = f"The population closes in on {x} = {_fmt(best[x])}, {y} = {_fmt(best[y])} in {len(done)} generations"
    _style(ax)
    ax.set_title(title if title is not None else default, fontsize=10)
    fig.tight_layout()
    return fig


def _best_individual(ga) -> dict:
    pairs = [(p, v) for g in ga.generations for p, v in zip(g.individuals, g.values, strict=True) if np.isfinite(v)]
    return min(pairs, key=lambda pv: pv[1])[0]


# -- histories: grids, learning curves, parallel coordinates ----------------------------------------
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
        sign = 1.0 if history.direction == "minimize" else -1.0
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
