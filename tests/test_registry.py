"""The registry of methods: every name builds its optimizer, flags agree with the optimizers, lazy slots,
methods of one's own, colours shared with the plots, and an import that pulls in nothing heavy.

References: each optimizer's own ``needs_budget`` and ``name`` attributes for the registry's flags;
``sys.modules`` in a fresh interpreter for what an import loads.
"""

import importlib
import importlib.util

import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks, plots
from hpo_lessons.core import objective as oc
from hpo_lessons.experiments import registry

BRANIN = benchmarks.branin()


class Curve:
    max_budget = 9

    def __call__(self, params, budget):
        return BRANIN(params) + 10.0 / budget


def test_every_registered_method_is_listed_and_builds_what_it_says():
    optuna = {"optuna-tpe", "optuna-random", "optuna-sh", "optuna-hyperband"}
    expected = {"grid", "random", "bayes", "genetic", "kt-random", "kt-grid", "kt-bayesian", "kt-hyperband",
                "kt-genetic"} | (optuna if importlib.util.find_spec("optuna") else set())
    assert expected <= set(registry.names())
    if not importlib.util.find_spec("optuna"):  # listed only where it can load (pip install -e ".[dev]" alone)
        assert not optuna & set(registry.names())
        return
    for name in registry.names():
        entry = registry.METHODS[name]
        opt = registry.make(name, BRANIN.space, seed=0, objective=Curve(), n_trials=10)
        assert getattr(opt, "needs_budget", False) == entry.needs_budget, name
        suggestion = opt.ask()
        assert (suggestion.budget is not None) == entry.needs_budget, name
        assert BRANIN.space.validate(suggestion.params) == suggestion.params
        assert entry.color and entry.label
    assert registry.make("kt-bayesian", BRANIN.space).name == "keras_tuner.BayesianOptimizationOracle"
    assert registry.make("optuna-hyperband", BRANIN.space, objective=Curve()).name == \
        "optuna.TPESampler+HyperbandPruner"


@pytest.mark.parametrize("name", ["sh", "hyperband", "asha"])
def test_the_multi_fidelity_slots_run_once_their_files_exist(name):
    entry = registry.METHODS[name]
    if not entry.present():
        pytest.skip(f"{entry.module} is not written yet")
    opt = registry.make(name, BRANIN.space, seed=0, objective=Curve())
    history = hl.run(Curve(), opt, n_trials=12, progress=False)
    assert len(history) == 12 and {t.budget for t in history} <= {1, 3, 9}


def test_settings_come_from_the_objective_and_the_budget_and_the_callers_win():
    assert registry.METHODS["grid"].settings(BRANIN, BRANIN.space, 20) == {"points_per_dim": {"x1": 5, "x2": 4}}
    assert registry.METHODS["kt-hyperband"].settings(Curve(), BRANIN.space, 20) == {
        "algorithm": "hyperband", "max_epochs": 9, "hyperband_iterations": None}
    assert registry.METHODS["optuna-sh"].settings(Curve()) == {"sampler": "tpe", "pruner": "sh", "min_budget": 1,
                                                              "max_budget": 9}
    assert registry.make("grid", BRANIN.space, objective=BRANIN, n_trials=20, points_per_dim=2).size == 4


def test_a_method_still_being_written_is_registered_but_not_listed():
    registry.register("annealing", "hpo_lessons.methods.annealing:Annealing", "simulated annealing")
    try:
        assert "annealing" in registry.METHODS and "annealing" not in registry.names()
        with pytest.raises(ValueError, match="unknown method 'annealing'; valid methods are: grid, random"):
            registry.make("annealing", BRANIN.space)
    finally:
        del registry.METHODS["annealing"]


def test_a_method_of_ones_own_runs_in_compare():
    from hpo_lessons.compare import compare

    registry.register("mine", "hpo_lessons.methods.random:RandomSearch", "my random search", "#000000")
    try:
        df = compare(BRANIN, BRANIN.space, ["mine", "random"], n_trials=4, seeds=[0], progress=False)
        mine, theirs = (df[df["method"] == m]["value"].tolist() for m in ("mine", "random"))
        assert mine == theirs  # the same class with the same seed
        assert plots._common._color("mine", 0) == "#000000"
    finally:
        del registry.METHODS["mine"]
    with pytest.raises(ValueError, match="module:Class"):
        registry.register("broken", "no_colon_here")


def test_every_method_has_its_own_colour_and_the_figures_draw_with_it():
    """Reference: the colour of the line a convergence figure actually draws, and matplotlib's tab10 for
    methods without a colour of their own."""
    import matplotlib
    import pandas as pd

    matplotlib.use("Agg")
    colours = [registry.METHODS[name].color for name in registry.names()]
    assert len(set(colours)) == len(colours), "two methods share a colour: figures could not tell them apart"
    rows = [{"method": m, "seed": 0, "trial": t, "value": 1.0 / (t + 1), "best_so_far": 1.0 / (t + 1),
             "direction": "minimize"} for m in ("random", "bayes") for t in range(3)]
    fig = plots.convergence(pd.DataFrame(rows))
    drawn = {line.get_label(): matplotlib.colors.to_hex(line.get_color()) for line in fig.axes[0].get_lines()}
    for name in ("random", "bayes"):
        label = next(label for label in drawn if registry.METHODS[name].label in label or name in label)
        assert drawn[label] == registry.METHODS[name].color
    assert matplotlib.colors.to_hex(registry.color("not-registered", 1)) == "#ff7f0e"  # tab10's second


def test_sign_is_the_one_direction_flip():
    assert registry.sign("minimize") == 1.0 and registry.sign("maximize") == -1.0
    with pytest.raises(ValueError, match="direction"):
        registry.sign("max")


def test_budgets_reach_objectives_that_take_them_as_epochs():
    class Keyword:
        epochs = 4

        def __call__(self, params, epochs=1):
            return epochs

    class Attribute:
        epochs = 5

        def __call__(self, params):
            return params.get("epochs", self.epochs)

    def plain(params):
        return 0.0

    assert [oc.epochs_mode(o) for o in (Curve(), Keyword(), Attribute(), plain)] == [
        "budget", "keyword", "params", None]
    assert oc.budgeted(Keyword())({}, budget=3) == 3 and oc.budgeted(Attribute())({}, budget=2) == 2
    assert oc.budgeted(Attribute())({}) == 5 and oc.budgeted(plain) is plain
    assert oc.max_budget_of(oc.budgeted(Keyword())) == 4 and oc.max_budget_of(Curve()) == 9
    assert oc.max_budget_of(plain) is None


