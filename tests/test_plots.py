"""The course's figures: each one labels its axes, states a finding in its title, and draws the data.

References: numpy medians/quantiles over the comparison table, the optimizer's own ``predict``
and ``acquisition_values``, the GA's recorded generations, a pivot of the grid's trials.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks, plots
from hpo_lessons.compare import compare, final_rows
from hpo_lessons.core.history import FAILED, History, Trial
from hpo_lessons.experiments import registry

matplotlib.use("Agg")  # files only, no window


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _main_axes(fig):
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def assert_labelled(fig):
    """Every plotting axes has both axis labels, and the figure has a non-empty title.

    Panels that share their x axis need the label once (on the bottom panel).
    """
    for ax in _main_axes(fig):
        xlabels = [a.get_xlabel().strip() for a in ax.get_shared_x_axes().get_siblings(ax)]
        assert any(xlabels), f"missing x label on {ax}"
        assert ax.get_ylabel().strip(), f"missing y label on {ax}"
    titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
    assert any(t.strip() for t in titles), "the figure has no title"


def _title(fig):
    return fig._suptitle.get_text() if fig._suptitle else _main_axes(fig)[0].get_title()


@pytest.fixture(scope="module")
def table():
    bench = benchmarks.branin()
    return compare(bench, bench.space, ["random", "genetic"], n_trials=8, seeds=3, minimum=bench.minimum,
                   progress=False, method_kwargs={"genetic": {"population_size": 4}})  # fmt: skip


def test_convergence_draws_the_median_regret_over_seeds_on_a_log_axis(table):
    fig = plots.convergence(table)
    assert_labelled(fig)
    ax = _main_axes(fig)[0]
    assert ax.get_yscale() == "log" and "regret" in ax.get_ylabel()
    lines = {line.get_label(): line for line in ax.get_lines()}
    for method, label in (("random", "random search"), ("genetic", "genetic algorithm")):  # the registry's labels
        expected = table[table["method"] == method].pivot(index="trial", columns="seed", values="regret")
        np.testing.assert_allclose(lines[label].get_ydata(), np.median(expected.to_numpy(), axis=1))
    finals = final_rows(table).groupby("method")["regret"].median()
    assert _title(fig).startswith(f"{registry.label(finals.idxmin())} reaches regret")


def test_convergence_against_time_and_without_a_known_minimum(table):
    fig = plots.convergence(table, time=True)
    assert_labelled(fig)
    axes = _main_axes(fig)
    assert len(axes) == 2 and "(s" in axes[1].get_xlabel()
    plain = plots.convergence(table.drop(columns="regret"), title="my finding")
    ax = _main_axes(plain)[0]
    assert ax.get_yscale() == "linear" and "best value" in ax.get_ylabel()
    assert ax.get_title() == "my finding"


@pytest.fixture(scope="module")
def bo_1d():
    space = hl.Space(x=hl.Real(-2.0, 2.0))
    bo = hl.BayesianOptimization(space, seed=0, n_initial=3, n_candidates=200, n_restarts=0)
    hl.run(lambda p: float(np.sin(3 * p["x"])), bo, n_trials=5, progress=False)
    return bo


def test_gp_posterior_1d_draws_the_optimizers_own_posterior_and_acquisition(bo_1d):
    fig = plots.gp_posterior_1d(bo_1d, n=50, truth=lambda p: float(np.sin(3 * p["x"])))
    assert_labelled(fig)
    top, low = _main_axes(fig)
    x = np.linspace(-2.0, 2.0, 50)
    mean, _ = bo_1d.predict([{"x": v} for v in x])
    gp_line = next(line for line in top.get_lines() if line.get_label() == "GP mean")
    np.testing.assert_allclose(gp_line.get_ydata(), mean)
    acquisition = bo_1d.acquisition_values([{"x": v} for v in x])
    np.testing.assert_allclose(low.get_lines()[0].get_ydata(), acquisition)
    assert f"{x[np.argmax(acquisition)]:.3g}" in _title(fig)


def test_gp_posterior_1d_from_arrays_and_bad_input():
    x = np.linspace(0, 1, 20)
    fig = plots.gp_posterior_1d(x=x, mean=np.sin(x), std=0.1 + x, xlabel="dropout (fraction)")
    assert_labelled(fig)
    assert len(_main_axes(fig)) == 1
    with pytest.raises(ValueError, match="x, mean and std"):
        plots.gp_posterior_1d(x=x)


def test_gp_posterior_2d_panels():
    bench = benchmarks.branin()
    bo = hl.BayesianOptimization(bench.space, seed=0, n_initial=4, n_candidates=200, n_restarts=0)
    hl.run(bench, bo, n_trials=6, progress=False)
    fig = plots.gp_posterior_2d(bo, "x1", "x2", n=15, truth=bench)
    assert_labelled(fig)
    titles = [ax.get_title() for ax in _main_axes(fig)]
    assert titles == ["true function", "GP mean", "GP standard deviation", "EI"]


@pytest.fixture(scope="module")
def ga_run():
    bench = benchmarks.branin()
    ga = hl.GeneticAlgorithm(bench.space, population_size=6, seed=0)
    history = hl.run(bench, ga, n_trials=24, progress=False)
    return bench, ga, history


def test_ga_generations_values_and_best_so_far(ga_run):
    bench, ga, history = ga_run
    fig = plots.ga_generations(ga)
    assert_labelled(fig)
    ax = _main_axes(fig)[0]
    dots = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections if len(c.get_offsets())])
    told = sorted(v for g in ga.generations for v in g.values if np.isfinite(v))
    np.testing.assert_allclose(sorted(dots), told)
    best_line = next(line for line in ax.get_lines() if line.get_label() == "best so far")
    assert best_line.get_ydata()[-1] == pytest.approx(history.best_value)


def test_ga_generation_titles_count_complete_generations_and_the_partial_one(ga_run):
    """24 trials at population 6 with one elite: 6 + 5 + 5 + 5 trials make four complete generations, and
    3 more the fifth's first new individuals, beside its elite (4 individuals of it told); a title that
    said "5 generations" would count the partial one as whole."""
    _, ga, _ = ga_run
    assert [len(g.individuals) for g in ga.generations if g.complete] == [6, 5 + 1, 5 + 1, 5 + 1]
    for fig in (plots.ga_generations(ga), plots.ga_generations(ga, x="x1", y="x2")):
        assert "4 generations, and 4 individuals of the next" in _title(fig)


def test_ga_generations_in_two_dimensions(ga_run):
    bench, ga, _ = ga_run
    fig = plots.ga_generations(ga, x="x1", y="x2", background=bench)
    assert_labelled(fig)
    with pytest.raises(ValueError, match="both x and y"):
        plots.ga_generations(ga, x="x1")


def test_grid_heatmap_cells_are_the_best_values():
    space = hl.Space(a=hl.Real(0, 1), b=hl.Integer(1, 3), c=hl.Categorical(["p", "q"]))
    objective = lambda p: p["a"] + p["b"] + (0.5 if p["c"] == "q" else 0.0)
    history = hl.run(objective, hl.GridSearch(space, points_per_dim=3), progress=False)
    fig = plots.grid_heatmap(history, "a", "b")
    assert_labelled(fig)
    image = _main_axes(fig)[0].get_images()[0].get_array()
    expected = np.add.outer(np.array([1, 2, 3]), np.array([0, 0.5, 1.0]))  # rows b, columns a; c = "p" is best
    np.testing.assert_allclose(image, expected)
    assert "a = 0" in _title(fig) and "b = 1" in _title(fig)
    random = hl.run(objective, hl.RandomSearch(space, seed=0), n_trials=30, progress=False)
    assert_labelled(plots.grid_heatmap(random, "a", "b"))  # not a grid: a scatter
    with pytest.raises(ValueError, match="not a hyperparameter"):
        plots.grid_heatmap(history, "a", "units")


def _curves_history():
    trials = []
    for i, rate in enumerate([0.1, 0.3, 0.2]):
        curve = [1 - np.exp(-rate * e) for e in range(1, 6)]
        trials.append(Trial(i, {"x": rate}, curve[-1], extras={"history": {"val_accuracy": curve}}))
    trials.append(Trial(3, {"x": 0.9}, None, FAILED, "nan loss", extras={"history": {"val_accuracy": [0.1, 0.1]}}))
    return History(trials, direction="maximize", space=hl.Space(x=hl.Real(0, 1)))


def test_learning_curves_one_line_per_trial_best_in_black():
    history = _curves_history()
    fig = plots.learning_curves(history)
    assert_labelled(fig)
    ax = _main_axes(fig)[0]
    assert len(ax.get_lines()) == 4 + 1  # every trial, then the best again on top
    best = ax.get_lines()[-1]
    np.testing.assert_allclose(best.get_ydata(), history[1].extras["history"]["val_accuracy"])
    assert "#1" in _title(fig)
    with pytest.raises(ValueError, match="metrics found: \\['val_accuracy'\\]"):
        plots.learning_curves(history, metric="val_loss")


def test_parallel_coordinates():
    bench = benchmarks.mixed()
    history = hl.run(bench, hl.RandomSearch(bench.space, seed=0), n_trials=16, progress=False)
    fig = plots.parallel_coordinates(history)
    assert_labelled(fig)
    ax = _main_axes(fig)[0]
    assert len(ax.get_lines()) >= 16  # one polyline per trial (plus the axis lines)
    ys = np.array([line.get_ydata() for line in ax.get_lines() if len(line.get_ydata()) == 3])
    assert ys.min() >= 0 and ys.max() <= 1
    assert "best quarter of trials agree on" in _title(fig)
    with pytest.raises(ValueError, match="history.space"):
        plots.parallel_coordinates(History(history.trials))


def _legend_outside(fig, ax) -> bool:
    """The axes' legend (or the figure's) lies wholly outside the plotting area, so it covers no data."""
    fig.canvas.draw()
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    assert legend is not None, "no legend"
    box, area = legend.get_window_extent(), ax.get_window_extent()
    return box.x0 >= area.x1 or box.x1 <= area.x0 or box.y0 >= area.y1 or box.y1 <= area.y0


def _colorbar_labels(fig):
    return [ax.get_ylabel() for ax in fig.axes if ax.get_label() == "<colorbar>"]


def test_convergence_legend_sits_beside_the_data(table):
    fig = plots.convergence(table)
    assert _legend_outside(fig, _main_axes(fig)[0])


def test_gp_posterior_2d_names_the_metric_and_labels_log_axes_plainly():
    """Reference: matplotlib's default LogFormatter labels the minor ticks of a one-decade range
    ("2x10^1", ...); the figure must show plain major labels (20, 50, 100, 200) and no minor ones."""
    space = hl.Space(learning_rate=hl.Real(1e-4, 1e-1, log=True), units=hl.Integer(16, 256, log=True))
    bo = hl.BayesianOptimization(space, seed=0, n_initial=4, n_candidates=200, n_restarts=0)
    hl.run(lambda p: -abs(np.log10(p["learning_rate"]) + 2.5) - p["units"] / 1000, bo, n_trials=6, progress=False,
           direction="maximize")
    fig = plots.gp_posterior_2d(bo, "learning_rate", "units", direction="maximize", n=12, metric="accuracy")
    assert_labelled(fig)
    assert _colorbar_labels(fig) == ["GP mean of accuracy", "GP std of accuracy", "EI (accuracy units)"]
    fig.canvas.draw()
    ax = _main_axes(fig)[0]
    majors = [t.get_text() for t in ax.yaxis.get_majorticklabels() if t.get_visible() and t.get_text()]
    assert majors and all(t.replace(".", "").isdigit() for t in majors), majors
    assert not any(t.get_text() for t in ax.yaxis.get_minorticklabels())
    assert all(_legend_outside(fig, a) for a in _main_axes(fig))


def test_ga_generations_colours_are_keyed_by_a_generation_colorbar_and_the_legend_is_outside(ga_run):
    bench, ga, _ = ga_run
    fig = plots.ga_generations(ga, x="x1", y="x2", background=bench, metric="Branin value")
    assert _colorbar_labels(fig) == ["Branin value (lower is better)", "generation (count)"]
    values = plots.ga_generations(ga, metric="Branin value")
    ax = _main_axes(values)[0]
    assert ax.get_ylabel().startswith("Branin value") and _legend_outside(values, ax)
