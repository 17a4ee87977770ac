"""Every method by the name ``compare``, the ``hpo-lessons`` command and the plots use.

One entry per name: where its optimizer class lives (an import path, loaded on first use, so
this module imports neither TensorFlow, Optuna nor scipy's optimizers), the keyword
arguments that select it (``algorithm="bayesian"`` for Keras Tuner's BO), how to fill in
settings that depend on the objective (a Hyperband's ``max_budget``), a label and a colour::

    >>> from hpo_lessons import Space, Real
    >>> from hpo_lessons.experiments import registry
    >>> opt = registry.make("random", Space(x=Real(0, 1)), seed=0)
    >>> type(opt).__name__, registry.METHODS["kt-bayesian"].family
    ('RandomSearch', 'keras_tuner')

Entries whose module, or a package they require (Optuna, Keras Tuner), is not installed are
registered but not listed by ``names()``; ``names()`` is read afresh at each call, so an entry
appears as soon as what it needs is there, and one ``register``-ed later is listed too.
``register(...)`` adds a method of your own, which ``compare`` then runs like the others.

Every optimizer minimizes; ``sign(direction)`` is the one place the package turns a
"maximize" objective's values into minimized ones and back.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.objective import max_budget_of
from ..core.space import Categorical, Space
from ..core.trial import sign

__all__ = ["METHODS", "Method", "color", "get", "grid_points_per_dim", "make", "names", "register", "sign"]


def grid_points_per_dim(space: Space, n_trials: int) -> dict[str, int]:
    """Points per numeric dimension so that the full grid has as many points as fit in ``n_trials``.

    Categoricals always contribute every choice. Numeric dimensions start at one point and
    grow one at a time, always the one with the fewest points first, while the grid still
    fits in the budget: a budget of 20 on two real dimensions gives 5 x 4 points. If the
    categoricals alone exceed the budget, every numeric dimension gets one point (its
    middle) and the search stops at ``n_trials``, before the grid is finished.

    >>> from hpo_lessons import Space, Real, Integer
    >>> grid_points_per_dim(Space(x=Real(0, 1), y=Real(0, 1)), 20)
    {'x': 5, 'y': 4}
    >>> grid_points_per_dim(Space(x=Real(0, 1), n=Integer(1, 3)), 100)
    {'x': 33, 'n': 3}
    """
    numeric = [name for name, dim in space if not isinstance(dim, Categorical)]
    fixed = math.prod(dim.size for _, dim in space if isinstance(dim, Categorical))
    counts = dict.fromkeys(numeric, 1)

    def size(counts: dict) -> int:  # integers are de-duplicated, so count the real grid
        return fixed * math.prod(len(space[name].grid(n)) for name, n in counts.items())

    while True:
        for name in sorted(numeric, key=counts.get):  # stable: ties go in declaration order
            if counts[name] >= space[name].size:
                continue  # an integer range already fully covered
            bigger = dict(counts, **{name: counts[name] + 1})
            if size(bigger) <= n_trials:
                counts = bigger
                break
        else:
            return counts


# -- settings that depend on the objective and the trial budget ----------------------------------
def _grid_defaults(objective, space, n_trials) -> dict:
    return {} if n_trials is None else {"points_per_dim": grid_points_per_dim(space, n_trials)}


def _kt_hyperband_defaults(objective, space, n_trials) -> dict:
    # The search ends by n_trials, total_budget or timeout, as every other method's does, not after Keras
    # Tuner's default single iteration. (frameworks.shortcuts imports no library at import time.)
    from ..frameworks.shortcuts import hyperband_defaults

    return hyperband_defaults(objective, unlimited=True)


def _budget_defaults(objective, space, n_trials) -> dict:
    top = max_budget_of(objective)
    return {} if top is None else {"min_budget": 1, "max_budget": top}


def _pbt_defaults(objective, space, n_trials) -> dict:
    top = max_budget_of(objective)  # ten intervals to the full budget (whole epochs when it has ten or more)
    return {} if top is None else {"max_budget": top, "interval": max(1, int(top) // 10) if top >= 1 else top}


_DEFAULTS = {"grid": _grid_defaults, "kt-hyperband": _kt_hyperband_defaults, "budget": _budget_defaults,
             "pbt": _pbt_defaults}


@dataclass(frozen=True)
class Method:
    """A method by name: ``path`` ("module:Class") builds it as ``Class(space, seed=seed, **fixed, **kwargs)``.

    ``family``: "hpo_lessons" (from scratch), "keras_tuner" or "optuna". ``needs_budget``:
    its trials have a budget, so the objective must take one. ``deterministic``: seeds do
    not change its trials (``compare`` runs it once). ``requires``: the packages it imports,
    for the message when one is missing. ``defaults``: the name of a rule in ``_DEFAULTS``
    filling settings from the objective and the number of trials.
    """

    name: str
    path: str
    label: str
    color: str
    family: str = "hpo_lessons"
    fixed: dict = field(default_factory=dict)
    needs_budget: bool = False
    deterministic: bool = False
    requires: tuple[str, ...] = ()
    defaults: str | None = None

    @property
    def module(self) -> str:
        return self.path.partition(":")[0]

    def present(self) -> bool:
        """Whether it can load here: its module exists and every package it ``requires`` is installed
        (checked without importing them)."""
        try:
            return all(importlib.util.find_spec(name) is not None for name in (self.module, *self.requires))
        except (ModuleNotFoundError, ValueError):
            return False

    def load(self) -> Callable:
        """The optimizer class (imports its module, and so TensorFlow or Optuna for the frameworks)."""
        for package in self.requires:
            if importlib.util.find_spec(package) is None:
                raise ImportError(f"{self.name} needs {package}: pip install \"hpo-lessons[compare]\" "
                                  "(Optuna), or install TensorFlow and keras-tuner for the kt- methods.")
        if not self.present():
            raise ImportError(f"{self.name} is registered at {self.path}, but {self.module} is not in this "
                              "installation yet; update hpo-lessons.")
        module, _, attribute = self.path.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def settings(self, objective=None, space: Space | None = None, n_trials: int | None = None) -> dict:
        """The keyword arguments this method gets before the caller's own (which win)."""
        rule = _DEFAULTS.get(self.defaults)
        return dict(self.fixed, **(rule(objective, space, n_trials) if rule else {}))

    def build(self, space: Space, seed: int | None = None, objective=None, n_trials: int | None = None, **kwargs):
        """An optimizer on ``space``: ``settings(objective, space, n_trials)``, overridden by ``kwargs``."""
        return self.load()(space, seed=seed, **{**self.settings(objective, space, n_trials), **kwargs})


_OURS = "hpo_lessons.methods"
_KT = "hpo_lessons.frameworks.kt_adapter:KerasTunerOptimizer"
_OPTUNA = "hpo_lessons.frameworks.optuna_adapter"
_TF = ("keras", "keras_tuner")  # any Keras backend: TensorFlow, JAX or PyTorch

METHODS: dict[str, Method] = {m.name: m for m in [
    Method("grid", f"{_OURS}.grid:GridSearch", "grid search", "#7f7f7f", deterministic=True, defaults="grid"),
    Method("random", f"{_OURS}.random:RandomSearch", "random search", "#1f77b4"),
    Method("bayes", f"{_OURS}.bayes:BayesianOptimization", "Bayesian optimization", "#d62728"),
    Method("tpe", f"{_OURS}.tpe:TPE", "TPE", "#17becf"),
    Method("genetic", f"{_OURS}.genetic:GeneticAlgorithm", "genetic algorithm", "#2ca02c"),
    Method("sh", f"{_OURS}.successive_halving:SuccessiveHalving", "successive halving", "#8c564b",
           needs_budget=True, defaults="budget"),
    Method("hyperband", f"{_OURS}.hyperband:Hyperband", "Hyperband", "#e377c2", needs_budget=True,
           defaults="budget"),
    Method("asha", f"{_OURS}.asha:ASHA", "ASHA", "#bcbd22", needs_budget=True, defaults="budget"),
    Method("pbt", f"{_OURS}.pbt:PBT", "population-based training", "#dbdb8d", needs_budget=True, defaults="pbt"),
    Method("bohb", f"{_OURS}.bohb:BOHB", "BOHB", "#393b79", needs_budget=True, defaults="budget"),
    Method("random-front", f"{_OURS}.random_front:RandomFront", "random search (several objectives)", "#6baed6"),
    Method("nsga2", f"{_OURS}.nsga2:NSGAII", "NSGA-II", "#006d2c"),
    Method("parego", f"{_OURS}.parego:ParEGO", "ParEGO", "#a50f15"),
    Method("moasha", f"{_OURS}.moasha:MOASHA", "multi-objective ASHA", "#8c6d31", needs_budget=True,
           defaults="budget"),
    Method("kt-random", _KT, "Keras Tuner random search", "#aec7e8", "keras_tuner", {"algorithm": "random"},
           requires=_TF),
    Method("kt-grid", _KT, "Keras Tuner grid search", "#c7c7c7", "keras_tuner", {"algorithm": "grid"},
           deterministic=True, requires=_TF),
    Method("kt-bayesian", _KT, "Keras Tuner BO", "#ff9896", "keras_tuner", {"algorithm": "bayesian"}, requires=_TF),
    Method("kt-hyperband", _KT, "Keras Tuner Hyperband", "#9467bd", "keras_tuner", {"algorithm": "hyperband"},
           needs_budget=True, requires=_TF, defaults="kt-hyperband"),
    Method("kt-genetic", _KT, "our GA inside Keras Tuner", "#98df8a", "keras_tuner", {"algorithm": "genetic"},
           requires=_TF),
    Method("optuna-tpe", f"{_OPTUNA}:OptunaOptimizer", "Optuna TPE", "#ff7f0e", "optuna", {"sampler": "tpe"},
           requires=("optuna",)),
    Method("optuna-random", f"{_OPTUNA}:OptunaOptimizer", "Optuna random", "#ffbb78", "optuna",
           {"sampler": "random"}, requires=("optuna",)),
    Method("optuna-nsga2", f"{_OPTUNA}:OptunaOptimizer", "Optuna NSGA-II", "#fdae6b", "optuna",
           {"sampler": "nsga2"}, requires=("optuna",)),
    Method("optuna-sh", f"{_OPTUNA}:OptunaPruning", "Optuna TPE + successive halving pruner", "#c49c94", "optuna",
           {"sampler": "tpe", "pruner": "sh"}, needs_budget=True, requires=("optuna",), defaults="budget"),
    Method("optuna-hyperband", f"{_OPTUNA}:OptunaPruning", "Optuna TPE + Hyperband pruner", "#f7b6d2", "optuna",
           {"sampler": "tpe", "pruner": "hyperband"}, needs_budget=True, requires=("optuna",), defaults="budget"),
]}  # fmt: skip


def names() -> list[str]:
    """The registered methods whose module is in this installation, in registration order."""
    return [name for name, method in METHODS.items() if method.present()]


def get(name: str) -> Method:
    """The entry for ``name``; a ValueError listing the valid names otherwise."""
    if name not in METHODS or not METHODS[name].present():
        raise ValueError(f"unknown method {name!r}; valid methods are: {', '.join(names())}.")
    return METHODS[name]


def make(name: str, space: Space, seed: int | None = None, objective=None, n_trials: int | None = None, **kwargs):
    """The optimizer registered as ``name`` on ``space`` (settings from ``objective`` and ``n_trials``)."""
    return get(name).build(space, seed=seed, objective=objective, n_trials=n_trials, **kwargs)


def register(name: str, path: str, label: str | None = None, color: str | None = None, **options) -> Method:
    """Add (or replace) a method: ``path`` is "module:Class", a class taking ``(space, seed=..., **kwargs)``."""
    if not isinstance(name, str) or not name or "," in name:
        raise ValueError(f"name must be a non-empty string without commas, got {name!r}.")
    if not isinstance(path, str) or ":" not in path:
        raise ValueError(f"path must be 'module:Class', got {path!r}.")
    method = Method(name, path, label or name, color or "", **options)
    METHODS[name] = method
    return method


def label(name: str) -> str:
    """The method's name for a reader (a legend, a title): "Bayesian optimization" for "bayes"; an
    unregistered name is its own label.

    >>> label("bayes"), label("my variant")
    ('Bayesian optimization', 'my variant')
    """
    method = METHODS.get(name)
    return method.label if method is not None else name


def color(name: str, i: int = 0):
    """The method's colour in every figure; methods without one get the i-th colour of matplotlib's tab10."""
    method = METHODS.get(name)
    if method is not None and method.color:
        return method.color
    import matplotlib.pyplot as plt

    return plt.get_cmap("tab10")(i % 10)
