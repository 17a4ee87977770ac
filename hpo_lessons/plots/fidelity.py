"""Multi-fidelity figures: learning curves that cross, how well an early epoch ranks, regret per epoch spent.

Three questions, one figure each; the numbers behind them are ``experiments/analysis.py``:

- ``rank_correlations(curves)``: how well does epoch ``e`` rank the configurations as the
  last epoch does? Spearman's rank correlation per seed (``scipy.stats.spearmanr``), drawn by
  ``rank_correlation``.
- ``crossing_curves(curves, rows)``: the learning curves of a few configurations, where a
  fast starter ends behind a slow one.
- ``regret_by_epochs(history, final, minimum, grid)``: a search's regret after each number of
  epochs spent, as ``regret_vs_epochs`` draws over seeds (median, with a band).

The regret of a search at a moment is that of its *incumbent*, the configuration it would
return then (``History.best``: the best at the largest budget reached so far), measured at
the full budget: ``final(incumbent) - minimum``. A multi-fidelity search that has not yet
trained anything in full is judged by what its best short run would score if trained in full.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import _color, _figure, _style

__all__ = ["crossing_curves", "rank_correlation", "regret_vs_epochs"]


def rank_correlation(correlations: pd.DataFrame, marks=(), ax=None, title: str | None = None):
    """Spearman's correlation with the last epoch against the epoch: mean over seeds, band from min to max."""
    fig, ax = _figure(ax, figsize=(6.5, 3.8))
    epochs = correlations.index.to_numpy()
    mean = correlations.mean(axis=1)
    ax.fill_between(epochs, correlations.min(axis=1), correlations.max(axis=1), color="#1f77b4", alpha=0.2,
                    label=f"range over {correlations.shape[1]} seeds")
    ax.plot(epochs, mean, color="#1f77b4", marker=".", label="mean over seeds")
    for e in marks:
        ax.annotate(f"epoch {e}: {mean.loc[e]:.2f}", (e, mean.loc[e]), xytext=(8, -14), textcoords="offset points",
                    fontsize=8)
    ax.set(xlabel="epoch (count)", ylabel="Spearman correlation with the last epoch", xscale="log")
    ax.legend(fontsize=8, loc="lower right")
    _style(ax)
    first = mean.iloc[0]
    ax.set_title(title or f"Epoch {epochs[0]} ranks configurations with correlation {first:.2f}, "
                 f"epoch {epochs[-2]} with {mean.iloc[-2]:.2f}", fontsize=10)
    return fig


def crossing_curves(curves: np.ndarray, rows: dict, ax=None, title: str | None = None, rungs=()):
    """Validation error against epochs of the configurations ``rows`` ({label: row}), mean over seeds."""
    fig, ax = _figure(ax, figsize=(6.5, 3.8))
    epochs = np.arange(1, curves.shape[2] + 1)
    for i, (label, row) in enumerate(rows.items()):
        ax.plot(epochs, 100 * np.nanmean(curves[row], axis=0), color=f"C{i}", label=label)
    for r in rungs:
        ax.axvline(r, color="grey", linestyle=":", linewidth=0.8)
    ax.set(xlabel="epoch (count, log scale)", ylabel="validation error (%), mean over seeds", xscale="log")
    ax.legend(fontsize=8, loc="upper right")
    _style(ax)
    ax.set_title(title or f"{len(rows)} learning curves", fontsize=10)
    return fig


def regret_vs_epochs(frame: pd.DataFrame, band=(25, 75), scale: float = 1.0, unit: str = "",
                     labels: dict | None = None, ax=None, title: str | None = None):
    """Median regret over seeds against epochs spent, one line per method, with a percentile band.

    ``frame`` has columns method, seed, epochs, regret (one row per search and epoch count);
    ``scale`` multiplies the regret for display (100: percentage points), ``unit`` names it.
    """
    missing = {"method", "seed", "epochs", "regret"} - set(frame)
    if missing:
        raise ValueError(f"frame lacks columns {sorted(missing)}; give one row per (method, seed, epochs).")
    fig, ax = _figure(ax, figsize=(7.5, 4.2))
    finals = {}
    for i, (method, group) in enumerate(frame.groupby("method", sort=False)):
        wide = group.pivot(index="epochs", columns="seed", values="regret") * scale
        low, mid, high = (np.nanpercentile(wide.to_numpy(float), q, axis=1) for q in (band[0], 50, band[1]))
        color = _color(method, i)
        label = (labels or {}).get(method, method)
        ax.plot(wide.index, mid, color=color, label=f"{label} (median of {wide.shape[1]})")
        ax.fill_between(wide.index, low, high, color=color, alpha=0.12, linewidth=0)
        finals[label] = mid[-1]
    ax.set(xlabel="epochs trained, all trials together (count)", ylabel=f"regret{f' ({unit})' if unit else ''}")
    ax.legend(fontsize=7, loc="upper right")
    _style(ax)
    best = min(finals, key=finals.get)
    ax.set_title(title or f"After {frame['epochs'].max():g} epochs, {best} has the lowest median regret, "
                 f"{finals[best]:.2g} (band: {band[0]}th to {band[1]}th percentile)", fontsize=10)
    return fig
