"""Multi-fidelity figures: learning curves that cross, how well an early epoch ranks, regret per epoch spent.

Three questions, one figure each, plus the numbers behind them:

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

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..history import History
from ._common import _color, _figure, _style

__all__ = ["crossing_curves", "epochs_spent", "full_budget_error", "incumbent_regret", "rank_correlation",
           "rank_correlations", "regret_by_epochs", "regret_vs_epochs"]


def rank_correlations(curves: np.ndarray, epochs=None) -> pd.DataFrame:
    """Spearman's rank correlation between each epoch and the last one, per seed.

    ``curves`` has shape (configuration, seed, epoch), as ``Tabular.curves()`` returns; rows
    with a NaN (a failed training) are left out. Returns a frame indexed by epoch (1-based,
    ``epochs`` or every one), one column per seed.
    """
    from scipy.stats import spearmanr  # here: scipy.stats pulls in scipy.optimize, which plots must not load

    curves = np.asarray(curves, dtype=float)
    if curves.ndim != 3:
        raise ValueError(f"curves must have shape (configuration, seed, epoch), got shape {curves.shape}.")
    epochs = list(range(1, curves.shape[2] + 1)) if epochs is None else [int(e) for e in epochs]
    if any(not 1 <= e <= curves.shape[2] for e in epochs):
        raise ValueError(f"epochs must lie in 1..{curves.shape[2]}, got {epochs}.")
    out = {}
    for s in range(curves.shape[1]):
        ok = ~np.isnan(curves[:, s, :]).any(axis=1)
        final = curves[ok, s, -1]
        out[s] = [float(spearmanr(curves[ok, s, e - 1], final).statistic) for e in epochs]
    return pd.DataFrame(out, index=pd.Index(epochs, name="epoch"))


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


def epochs_spent(history: History, resume: bool = True) -> np.ndarray:
    """Epochs trained after each trial, cumulative; shape (n_trials,).

    With ``resume``, a configuration that comes back with a larger budget trains only the epochs
    it has not trained yet (a checkpoint, as ``KerasObjective`` and ``Tabular`` keep), and one
    that comes back with a budget it has already reached trains nothing; a smaller budget than
    its checkpoint trains from scratch. Without ``resume``, every trial trains its whole budget.
    Trials without a budget count 1.
    """
    reached: dict[tuple, float] = {}
    spent = []
    for trial in history.trials:
        budget = 1 if trial.budget is None else trial.budget
        key = tuple(sorted(trial.params.items()))
        last = reached.get(key, 0)
        if not resume or budget < last or last == 0:
            cost = budget
        else:
            cost = budget - last
        reached[key] = max(last, budget)
        spent.append(cost)
    return np.cumsum(spent, dtype=float)


def incumbent_regret(history: History, final: Callable[[dict], float], minimum: float) -> np.ndarray:
    """After each trial, ``final(incumbent) - minimum``; NaN until a trial succeeds. Minimizes.

    The incumbent is ``History.best`` of the trials so far: the best value among those at the
    largest budget reached (the first on ties).
    """
    if history.direction != "minimize":
        raise ValueError("incumbent_regret: the history maximized; give a minimized one (validation error).")
    out, top, best = [], -math.inf, None
    for trial in history.trials:
        if trial.ok:
            budget = -math.inf if trial.budget is None else trial.budget
            if budget > top or (budget == top and trial.value < best.value):
                top, best = budget, trial
        out.append(math.nan if best is None else final(best.params) - minimum)
    return np.array(out, dtype=float)


def full_budget_error(table, retrained: bool = False) -> tuple[Callable[[dict], float], float]:
    """``(final, minimum)`` for ``incumbent_regret`` on a tabular benchmark (``benchmarks.tabular``).

    ``retrained=False``: a configuration's validation error at ``max_budget`` for the table's
    own training seed (the one the search saw), and the lowest such error. ``retrained=True``:
    its mean over the table's *other* seeds, as if the winner were trained again with fresh
    seeds, and the lowest such mean: it measures how good the configuration is, not how lucky
    its training seed was.
    """
    full = table.curves()[:, :, -1]
    own = table.seeds.index(table.seed)
    if retrained:
        others = [s for s in range(full.shape[1]) if s != own]
        if not others:
            raise ValueError("retrained=True needs a table with more than one training seed.")
        full = np.nanmean(full[:, others], axis=1)
    else:
        full = full[:, own]
    return (lambda params: float(full[table.index(params)])), float(np.nanmin(full))


def regret_by_epochs(history: History, final: Callable[[dict], float], minimum: float, grid,
                     resume: bool = True, spent=None) -> np.ndarray:
    """The incumbent's regret once ``grid[k]`` epochs are spent (after the last trial that fits); NaN before.

    ``spent``: another cumulative cost per trial to measure by instead of epochs (seconds, say),
    non-decreasing, one per trial.
    """
    spent = epochs_spent(history, resume) if spent is None else np.asarray(spent, dtype=float)
    if spent.shape != (len(history),) or np.any(np.diff(spent) < 0):
        raise ValueError(f"spent must give one non-decreasing cumulative cost per trial ({len(history)}), "
                         f"got shape {spent.shape}.")
    regret = incumbent_regret(history, final, minimum)
    idx = np.searchsorted(spent, np.asarray(grid, dtype=float), side="right") - 1
    return np.where(idx >= 0, regret[np.clip(idx, 0, None)], np.nan)


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
