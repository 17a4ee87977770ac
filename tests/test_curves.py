"""The synthetic learning curves. References: the power law error = final + speed * b**-ALPHA (a straight
line of slope -ALPHA on log-log axes), the exact minimum by enumerating the grid, and scipy's Spearman
correlation for how well an early epoch ranks configurations."""

import numpy as np
import pytest
from scipy.stats import spearmanr

import hpo_lessons as hl
from hpo_lessons.benchmarks.curves import ALPHA, LearningCurves

CURVES = LearningCurves()
GRID = list(CURVES.space.configurations())


def test_curves_follow_the_power_law_and_report_seconds():
    params = GRID[100]
    budgets = np.array([1, 3, 9, 27])
    excess = np.array([CURVES(params, budget=b)["value"] for b in budgets]) - CURVES.final(params)
    assert np.polyfit(np.log(budgets), np.log(excess), 1)[0] == pytest.approx(-ALPHA)
    assert CURVES(params, budget=9)["seconds"] == pytest.approx(9 * CURVES.seconds_per_epoch(params))
    assert CURVES(params) == CURVES(params, budget=27)  # no budget: the full training
    with pytest.raises(ValueError, match="budget"):
        CURVES(params, budget=0)
    with pytest.raises(ValueError, match="max_budget"):
        LearningCurves(max_budget=0)


def test_minimum_is_the_best_full_budget_error_of_the_grid():
    """Reference: every configuration a 1152-point grid search visits scores at least the minimum at 27 epochs,
    and the argmin reaches it."""
    search = hl.run(lambda p: CURVES.error(p, 27), hl.GridSearch(CURVES.space), progress=False)
    assert len(search) == CURVES.space.size == 1152
    assert search.best_value == CURVES.minimum == CURVES.error(CURVES.argmin, 27)
    history = hl.History([hl.Trial(0, CURVES.argmin, CURVES.minimum, budget=27),
                          hl.Trial(1, GRID[0], 0.0, budget=1)])  # a low value at a low budget does not count
    assert CURVES.regret(history) == 0.0


def test_early_epochs_rank_configurations_partly_and_curves_cross():
    """Spearman against epoch 27: 0.42 after 1 epoch, 0.89 after 3, 0.99 after 9 (measured)."""
    final = [CURVES.error(p, 27) for p in GRID]
    rho = [spearmanr([CURVES.error(p, b) for p in GRID], final)[0] for b in (1, 3, 9)]
    assert 0.3 < rho[0] < 0.6 < rho[1] < 0.95 < rho[2]
    early = np.argsort([CURVES.error(p, 1) for p in GRID])
    behind = sum(v < CURVES.error(GRID[early[0]], 27) for v in final)
    assert behind > 100  # the leader after one epoch ends behind a hundred others (107, measured)
