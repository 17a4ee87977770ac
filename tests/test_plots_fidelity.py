"""The multi-fidelity figures and the numbers behind them.

References: ``scipy.stats.spearmanr`` computed by hand per seed; epochs spent worked out by
hand from ``KerasObjective``'s documented checkpoint rules, and checked against the
``epochs_trained`` a fresh tabular benchmark reports; incumbents worked out by hand from
``History.best``'s rule (the best at the largest budget reached).
"""

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

import hpo_lessons as hl
from hpo_lessons import benchmarks, plots
from hpo_lessons.core.history import FAILED, History, Trial
from hpo_lessons.experiments.analysis import epochs_spent, incumbent_regret, rank_correlations, regret_by_epochs
from hpo_lessons.plots.fidelity import crossing_curves, rank_correlation, regret_vs_epochs

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def trial(number, name, budget, value):
    return Trial(number, {"c": name}, value, status=FAILED if value is None else "complete", budget=budget)


def test_rank_correlations_are_spearmans_per_seed_without_failed_rows():
    rng = np.random.default_rng(0)
    curves = rng.uniform(size=(40, 2, 5))
    curves[3, 1, 2] = np.nan  # a failed training on seed 1
    got = rank_correlations(curves, epochs=[1, 3, 5])
    assert list(got.index) == [1, 3, 5] and list(got.columns) == [0, 1]
    ok = np.ones(40, bool)
    ok[3] = False
    assert got.loc[1, 0] == pytest.approx(spearmanr(curves[:, 0, 0], curves[:, 0, 4]).statistic)
    assert got.loc[3, 1] == pytest.approx(spearmanr(curves[ok, 1, 2], curves[ok, 1, 4]).statistic)
    assert got.loc[5].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="epochs must lie"):
        rank_correlations(curves, epochs=[0])
    with pytest.raises(ValueError, match="shape"):
        rank_correlations(curves[:, 0, :])


def test_epochs_spent_follows_the_checkpoint_rules():
    h = History([trial(0, "a", 1, 0.5), trial(1, "b", 1, 0.4), trial(2, "a", 3, 0.3), trial(3, "a", 3, 0.3),
                 trial(4, "b", 1, 0.4), trial(5, "a", 1, 0.5), trial(6, "c", 9, None)])
    # a resumes 1 -> 3 (2 epochs); a again at 3 and b again at 1 train nothing; a at 1 < 3 trains from scratch
    assert np.diff(epochs_spent(h), prepend=0).tolist() == [1, 1, 2, 0, 0, 1, 9]
    assert np.diff(epochs_spent(h, resume=False), prepend=0).tolist() == [1, 1, 3, 3, 1, 1, 9]


def test_epochs_spent_matches_what_a_fresh_table_reports():
    table = benchmarks.tabular("digits-mlp")
    h = hl.run(table, hl.Hyperband(table.space, 1, 27, seed=0), total_budget=500, progress=False)
    reported = np.cumsum([t.extras["epochs_trained"] for t in h])
    assert np.array_equal(epochs_spent(h), reported)
    assert epochs_spent(h)[-1] < h.budget_spent == epochs_spent(h, resume=False)[-1]


def test_incumbent_is_the_best_at_the_largest_budget_reached():
    h = History([trial(0, "a", 1, 0.10), trial(1, "b", 1, None), trial(2, "b", 3, 0.30), trial(3, "c", 3, 0.20),
                 trial(4, "d", 3, 0.20), trial(5, "c", 27, 0.50)])
    final = {"a": 0.7, "b": 0.6, "c": 0.4, "d": 0.3}
    got = incumbent_regret(h, lambda p: final[p["c"]], minimum=0.25)
    # a; still a (b failed); b (a larger budget beats a lower value); c; c (tie at 0.20: the first); c at 27
    assert got == pytest.approx([0.45, 0.45, 0.35, 0.15, 0.15, 0.15])
    for prefix in range(1, len(h) + 1):  # the same rule as History.best
        best = History(h.trials[:prefix]).best
        assert got[prefix - 1] == pytest.approx(final[best.params["c"]] - 0.25)
    assert math.isnan(incumbent_regret(History([trial(0, "a", 1, None)]), lambda p: 0.0, 0.0)[0])
    with pytest.raises(ValueError, match="maximized"):
        incumbent_regret(History([], direction="maximize"), lambda p: 0.0, 0.0)


def test_regret_by_epochs_takes_the_last_trial_that_fits():
    h = History([trial(0, "a", 1, 0.5), trial(1, "b", 1, 0.4), trial(2, "b", 3, 0.3), trial(3, "a", 3, 0.35)])
    final = {"a": 0.2, "b": 0.3}.get
    got = regret_by_epochs(h, lambda p: final(p["c"]), 0.2, [0.5, 1, 2, 3.9, 4, 100])
    assert np.isnan(got[0]) and got[1:].tolist() == pytest.approx([0.0, 0.1, 0.1, 0.1, 0.1])
    assert regret_by_epochs(h, lambda p: final(p["c"]), 0.2, [1.5], spent=[1, 2, 3, 4])[0] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="non-decreasing"):
        regret_by_epochs(h, lambda p: 0.0, 0.0, [1], spent=[1, 0, 2, 3])


def test_figures_state_their_finding():
    curves = np.cumsum(np.random.default_rng(1).uniform(size=(20, 3, 9)), axis=2)[:, :, ::-1] / 10
    fig = rank_correlation(rank_correlations(curves), marks=[1, 3])
    assert fig.axes[0].get_title().startswith("Epoch 1 ranks configurations with correlation")
    fig = crossing_curves(curves, {"first": 0, "second": 1}, rungs=[1, 3, 9], title="they cross")
    assert fig.axes[0].get_title() == "they cross" and len(fig.axes[0].get_lines()) == 2 + 3
    frame = pd.DataFrame([{"method": m, "seed": s, "epochs": e, "regret": r * e ** -0.5}
                          for m, r in [("random", 2.0), ("hyperband", 1.0)] for s in range(5) for e in (10, 100)])
    fig = regret_vs_epochs(frame, scale=100, unit="percentage points")
    ax = fig.axes[0]
    assert ax.get_title().startswith("After 100 epochs, hyperband has the lowest median regret, 10")
    assert ax.get_ylabel() == "regret (percentage points)" and "epochs" in ax.get_xlabel()
    with pytest.raises(ValueError, match="lacks columns"):
        regret_vs_epochs(frame.drop(columns="seed"))
    assert plots.regret_vs_epochs is regret_vs_epochs
