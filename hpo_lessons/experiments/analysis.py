"""Numbers behind the comparisons: what a search spent, and how good its incumbent was.

- ``epochs_spent(history)``: epochs trained after each trial, by the checkpoint rule.
- ``incumbent_regret`` and ``regret_by_epochs``: a search's regret after each trial, or once a
  given number of epochs is spent. The incumbent is ``History.best`` of the trials so far (the
  best at the largest budget reached), judged at the full budget: ``final(incumbent) - minimum``.
- ``full_budget_error(table)``: that ``final`` and ``minimum`` for a learning-curve table.
- ``rank_correlations(curves)``: how well epoch ``e`` ranks configurations as the last epoch does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..core.history import History

__all__ = ["epochs_spent", "full_budget_error", "incumbent_regret", "rank_correlations", "regret_by_epochs"]


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
    return np.array([math.nan if best is None else final(best.params) - minimum for best in history.incumbents()],
                    dtype=float)


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


