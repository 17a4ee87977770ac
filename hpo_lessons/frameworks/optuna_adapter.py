"""Optuna's samplers (and pruners) as ask/tell optimizers, so that ``hpo_lessons.core.run`` drives them.

``OptunaOptimizer``: one Optuna trial per suggestion, through Optuna's own ask-and-tell
interface (``study.ask()`` / ``study.tell()``). ``Real`` -> ``suggest_float``, ``Integer`` ->
``suggest_int`` (both with ``log``), ``Categorical`` -> ``suggest_categorical``; a failed trial
is told as FAIL.

``OptunaPruning``: a pruner on top (``SuccessiveHalvingPruner``, ``HyperbandPruner``, or any
instance). One Optuna trial is one configuration trained to increasing budgets, its
*steps*; each step is its own suggestion (the same params, the step as ``budget``), so
``run`` calls ``objective(params, budget=step)``, and an objective that keeps checkpoints
(``KerasObjective``) trains only the epochs since the previous step. On each result the
adapter calls ``trial.report(value, step)`` and ``trial.should_prune()``: pruned, the trial
is told PRUNED; else the same configuration comes back at the next step; at the last step
(``max_budget``) it is told COMPLETE. Several configurations may be in flight at once, and a
waiting configuration's next step goes out before a new configuration starts.

Both minimize (``run`` negates for "maximize"). Study names are fixed, because Optuna's
Hyperband pruner assigns trials to brackets by a hash of the study's name: with Optuna's
random default name, two runs with the same seed would differ. Optuna's INFO lines
("Trial 3 finished ...") are silenced around every call.

Needs Optuna, the ``compare`` extra: ``pip install "hpo-lessons[compare]"``.
"""

from __future__ import annotations

import contextlib
from collections import deque

from ..core.checks import check_int, is_int
from ..core.space import Categorical, Integer, Real, Space
from ..methods.base import Optimizer, Suggestion, is_failure

__all__ = ["OptunaOptimizer", "OptunaPruning", "PRUNERS", "SAMPLERS", "make_sampler", "rungs", "suggest"]

SAMPLERS = ("tpe", "random", "nsga2")
PRUNERS = ("sh", "hyperband")


def _optuna():
    try:
        import optuna
    except ImportError as exc:
        raise ImportError('Optuna is needed here: pip install "hpo-lessons[compare]"') from exc
    return optuna


@contextlib.contextmanager
def _quiet(optuna):
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        yield
    finally:
        optuna.logging.set_verbosity(verbosity)


def make_sampler(sampler, seed: int | None, **kwargs):
    """"tpe" or "random" with ``seed``, or an ``optuna.samplers`` instance (which brings its own seed)."""
    optuna = _optuna()
    if isinstance(sampler, optuna.samplers.BaseSampler):
        if seed is not None or kwargs:
            raise ValueError("a sampler instance is given together with a seed or sampler settings: build the "
                             "sampler with them instead (e.g. optuna.samplers.TPESampler(seed=0)).")
        return sampler
    if sampler == "tpe":
        return optuna.samplers.TPESampler(seed=seed, **kwargs)
    if sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed, **kwargs)
    if sampler == "nsga2":  # several objectives: Deb et al. (2002), Optuna's own implementation
        return optuna.samplers.NSGAIISampler(seed=seed, **kwargs)
    raise ValueError(f"sampler={sampler!r}; use one of {SAMPLERS} or an optuna.samplers instance.")


def suggest(trial, name: str, dim):
    """The value of dimension ``name`` for an Optuna trial, as a Python type."""
    if isinstance(dim, Real):
        return float(trial.suggest_float(name, dim.low, dim.high, log=dim.log))
    if isinstance(dim, Integer):
        return int(trial.suggest_int(name, dim.low, dim.high, log=dim.log))
    if isinstance(dim, Categorical):
        return trial.suggest_categorical(name, list(dim.choices))
    raise TypeError(f"{name}: {type(dim).__name__} has no Optuna equivalent; use Real, Integer or Categorical.")


class OptunaOptimizer(Optimizer):
    """An Optuna sampler on ``space``: ``sampler`` is "tpe", "random", "nsga2" or an instance; ``**sampler_kwargs``
    go to the sampler (e.g. ``constant_liar=True`` for TPE with parallel workers, ``population_size`` for NSGA-II).
    ``n_objectives`` > 1 makes a multi-objective study (every objective minimized; ``run`` turns them around)."""

    needs_budget = False

    def __init__(self, space: Space, sampler="tpe", seed: int | None = None, pruner=None, n_objectives: int = 1,
                 **sampler_kwargs):
        if seed is not None:
            check_int("seed", seed, 0)
        self.n_objectives = check_int("n_objectives", n_objectives, 1, None, "values per trial")
        if n_objectives > 1 and pruner is not None:
            raise ValueError("Optuna cannot prune a study of several objectives; give pruner=None or one objective.")
        super().__init__(space, seed)
        optuna = self.optuna = _optuna()
        for name, dim in space:  # fail now, not at the first ask
            if not isinstance(dim, (Real, Integer, Categorical)):
                raise TypeError(f"{name}: {type(dim).__name__} has no Optuna equivalent; use Real, Integer or "
                                "Categorical.")
        self.sampler = make_sampler(sampler, seed, **sampler_kwargs)
        with _quiet(optuna):
            self.study = optuna.create_study(directions=["minimize"] * n_objectives, sampler=self.sampler,
                                             pruner=pruner, study_name=f"hpo_lessons-seed-{seed}")
        self.name = f"optuna.{type(self.sampler).__name__}"
        self._trials: dict[int, object] = {}  # suggestion id -> Optuna trial

    def _new_trial(self):
        with _quiet(self.optuna):
            trial = self.study.ask()
            return trial, {name: suggest(trial, name, dim) for name, dim in self.space}

    def ask(self) -> Suggestion:
        trial, params = self._new_trial()
        suggestion = self._suggest(params)
        self._trials[suggestion.id] = trial
        return suggestion

    def _take(self, suggestion):
        resolved = self._resolve(suggestion)
        trial = self._trials.pop(resolved.id, None)
        if trial is None:
            raise ValueError(f"{self.name} learns only from trials it proposed; {resolved.params} is not one of the "
                             "pending suggestions (use study.add_trial for outside observations).")
        return resolved, trial

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        resolved, trial = self._take(suggestion)
        self._finish(trial, None if is_failure(value) else _told(value))
        super().tell(resolved, value)

    def _finish(self, trial, value, pruned: bool = False) -> None:
        states = self.optuna.trial.TrialState
        with _quiet(self.optuna):
            if pruned:
                self.study.tell(trial, state=states.PRUNED)
            elif value is None:
                self.study.tell(trial, state=states.FAIL)
            else:
                self.study.tell(trial, value)


class OptunaPruning(OptunaOptimizer):
    """An Optuna sampler with a pruner: each configuration is trained step by step until pruned or complete.

    Parameters
    ----------
    pruner : "sh" (``SuccessiveHalvingPruner(min_resource=min_budget, reduction_factor=eta)``),
        "hyperband" (``HyperbandPruner(min_budget, max_budget, eta)``), or any Optuna pruner
        instance (Median, Percentile, ... or one of those two with settings of your own).
    min_budget, max_budget : budgets (epochs) of the first and the last step, ints.
    eta : growth factor of the steps (and the pruners' reduction factor).
    steps : the budgets at which a configuration is evaluated and may be pruned. Default: for
        "sh" and "hyperband", their rungs, ``min_budget * eta**k`` up to ``max_budget`` (the
        only steps at which those pruners decide; for ``max_budget=27``: 1, 3, 9, 27); for a
        pruner instance, every epoch from ``min_budget`` to ``max_budget``, since a median or
        percentile pruner may decide at any step (each step is a trial: pass coarser steps
        to evaluate less often).
    sampler, seed, **sampler_kwargs : as ``OptunaOptimizer``.
    """

    needs_budget = True

    def __init__(self, space: Space, pruner="hyperband", min_budget: int = 1, max_budget: int | None = None,
                 eta: int = 3, steps=None, sampler="tpe", seed: int | None = None, **sampler_kwargs):
        optuna = _optuna()
        if max_budget is None:
            raise ValueError("max_budget is needed: the budget (epochs) of a configuration's last step.")
        check_int("max_budget", max_budget, 1)
        check_int("min_budget", min_budget, 1, max_budget, "the first step comes before the last")
        check_int("eta", eta, 2, why="the budget grows eta times between rungs")
        if isinstance(pruner, optuna.pruners.BasePruner):
            default_steps = range(min_budget, max_budget + 1)
        elif pruner == "sh":
            pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=min_budget, reduction_factor=eta)
            default_steps = rungs(min_budget, max_budget, eta)
        elif pruner == "hyperband":
            pruner = optuna.pruners.HyperbandPruner(min_resource=min_budget, max_resource=max_budget,
                                                    reduction_factor=eta)
            default_steps = rungs(min_budget, max_budget, eta)
        else:
            raise ValueError(f"pruner={pruner!r}; use one of {PRUNERS} or an optuna.pruners instance.")
        self.steps = _check_steps(default_steps if steps is None else steps, max_budget)
        super().__init__(space, sampler=sampler, seed=seed, pruner=pruner, **sampler_kwargs)
        self.name = f"optuna.{type(self.sampler).__name__}+{type(pruner).__name__}"
        self.pruner = pruner
        self._step: dict[int, int] = {}  # suggestion id -> index in steps
        self._waiting: deque = deque()  # (trial, params, next step index): configurations not pruned yet

    def ask(self) -> Suggestion:
        if self._waiting:
            trial, params, index = self._waiting.popleft()
        else:
            (trial, params), index = self._new_trial(), 0
        suggestion = self._suggest(params, budget=self.steps[index])
        self._trials[suggestion.id], self._step[suggestion.id] = trial, index
        return suggestion

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        resolved, trial = self._take(suggestion)
        index = self._step.pop(resolved.id)
        if is_failure(value):
            self._finish(trial, None)
        else:
            with _quiet(self.optuna):
                trial.report(float(value), self.steps[index])
                pruned = trial.should_prune()
            if pruned:
                self._finish(trial, None, pruned=True)
            elif index + 1 == len(self.steps):
                self._finish(trial, float(value))
            else:
                self._waiting.append((trial, resolved.params, index + 1))
        Optimizer.tell(self, resolved, value)


def _told(value):
    """A value as Optuna takes it: a float, or a list of floats for several objectives."""
    return [float(v) for v in value] if isinstance(value, (list, tuple)) else float(value)


def rungs(min_budget: int, max_budget: int, eta: int) -> list[int]:
    """``min_budget * eta**k`` below ``max_budget``, then ``max_budget``.

    >>> rungs(1, 27, 3), rungs(2, 20, 3)
    ([1, 3, 9, 27], [2, 6, 18, 20])
    """
    out, budget = [], min_budget
    while budget < max_budget:
        out.append(budget)
        budget *= eta
    return [*out, max_budget]


def _check_steps(steps, max_budget: int) -> list[int]:
    steps = list(steps)
    if not steps or any(not is_int(s) or s < 1 for s in steps):
        raise ValueError(f"steps must be a non-empty list of ints >= 1 (Optuna's report steps), got {steps!r}.")
    if any(b <= a for a, b in zip(steps, steps[1:])) or steps[-1] != max_budget:
        raise ValueError(f"steps must increase and end at max_budget={max_budget}, got {steps}.")
    return steps
