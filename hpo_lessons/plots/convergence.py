"""Convergence: best so far against trials or seconds, median and quartiles over seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..experiments import registry
from ..experiments.compare import direction_of, final_rows
from ._common import _better, _color, _figure, _style


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

    For example "Bayesian optimization reaches regret 0.0012 in 25 trials (median of 5 seeds); random
    search 0.41" (methods by their registry label).
    """
    column = "regret" if "regret" in df else "best_so_far"
    finals = final_rows(df).groupby("method", sort=False)[column].median()
    if finals.isna().all():
        return "No search completed a trial"
    sign = 1.0 if column == "regret" else registry.sign(direction_of(df))
    order = (sign * finals).sort_values(na_position="last").index.tolist()
    best = order[0]
    what = "regret" if column == "regret" else "best value"
    title = (
        f"{registry.label(best)} reaches {what} {finals[best]:.2g} in {int(df['trial'].max()) + 1} trials "
        f"(median of {df['seed'].nunique()} seeds)"
    )
    if len(order) > 1:
        other = "random" if "random" in order[1:] else order[-1]
        tie = f"{finals[other]:.2g}" == f"{finals[best]:.2g}"
        title += f"; {registry.label(other)} {'ties at ' if tie else ''}{finals[other]:.2g}"
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
        "regret: best so far − known optimum" + (" (log scale)" if log else "")
        if column == "regret"
        else f"best value so far ({_better(direction)})"
    )
    for i, (method, group) in enumerate(data.groupby("method", sort=False)):
        color = _color(method, i)
        table = group.pivot(index="trial", columns="seed", values=column)
        mid, low, high = _quartiles(table)
        trials = table.index.to_numpy() + 1
        axes[0].plot(trials, mid, color=color, label=registry.label(method), linewidth=1.8)
        axes[0].fill_between(trials, low, high, color=color, alpha=0.18, linewidth=0)
        if time:
            # From the moment every seed has a first result: a median over fewer seeds could rise again.
            start = max(group.groupby("seed")["elapsed"].min().max(), 1e-6)
            grid = np.geomspace(start, max(group["elapsed"].max(), 2 * start), 200)
            mid, low, high = _quartiles(_on_time_grid(group, column, grid))
            axes[1].plot(grid, mid, color=color, label=registry.label(method), linewidth=1.8)
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
    axes[-1].legend(*axes[0].get_legend_handles_labels(), title="median, IQR\nover seeds", fontsize=8,
                    title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the bands, never on them
    text = title if title is not None else convergence_title(df)
    if time:
        fig.suptitle(text)
    else:
        axes[0].set_title(text, fontsize=10)
    fig.tight_layout()
    return fig
