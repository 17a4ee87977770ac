"""Checks for chapter 7 (Keras Tuner): Optuna's median pruning rule written by hand, a Bayesian
optimization oracle that never repeats a configuration, and how many executions per trial a
noisy score needs.

Importing this module imports Keras Tuner (and so TensorFlow), as the chapter does; the first
check also needs Optuna (the ``compare`` extra).
"""

from __future__ import annotations

import math
import tempfile
import warnings
from collections.abc import Callable

import keras_tuner as kt
import numpy as np

from ..core.checks import is_int

PRUNING_SETTINGS = [(5, 0), (5, 3), (2, 1), (0, 4)]  # (n_startup_trials, n_warmup_steps)


def pruning_curves(seed: int = 0, n: int = 24, epochs: int = 10) -> list[list[float]]:
    """Noisy loss curves that cross: fast and slow starters, each a random floor plus noise (lower is better)."""
    rng = np.random.default_rng(seed)
    floors, taus = rng.uniform(0.05, 0.5, n), rng.uniform(0.3, 6.0, n)
    steps = np.arange(1, epochs + 1)
    curves = floors[:, None] + (1 - floors[:, None]) * np.exp(-steps / taus[:, None])
    return (curves + rng.normal(0, 0.03, curves.shape)).round(4).tolist()  # noise: curves go up as well as down


def optuna_pruned(curves: list[list[float]], n_startup_trials: int, n_warmup_steps: int) -> list[int]:
    """The reference: Optuna's own ``MedianPruner`` on the same curves, trials run one after another."""
    try:
        import optuna
    except ImportError as exc:
        raise ImportError('The reference is Optuna\'s MedianPruner: pip install "hpo-lessons[compare]"') from exc

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def replay(trial):
        curve = curves[trial.number]
        for step, value in enumerate(curve):
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return curve[-1]

    pruner = optuna.pruners.MedianPruner(n_startup_trials=n_startup_trials, n_warmup_steps=n_warmup_steps)
    study = optuna.create_study(pruner=pruner)
    study.optimize(replay, n_trials=len(curves))
    return [len(t.intermediate_values) for t in study.trials]


def check_median_pruned(median_pruned: Callable) -> None:
    """``median_pruned(curves, n_startup_trials, n_warmup_steps)`` -> how many values each trial reports."""
    curves = pruning_curves()
    for n_startup, n_warmup in PRUNING_SETTINGS:
        got = median_pruned([list(c) for c in curves], n_startup, n_warmup)
        assert got is not None, "median_pruned returned None: return one count per curve."
        got = [int(g) for g in got]
        want = optuna_pruned(curves, n_startup, n_warmup)
        assert len(got) == len(want), f"give one count per curve: {len(curves)} curves, {len(got)} counts."
        if got != want:
            first = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
            raise AssertionError(
                f"n_startup_trials={n_startup}, n_warmup_steps={n_warmup}: trial {first} reports {want[first]} "
                f"value(s) under Optuna's MedianPruner, {got[first]} under yours. The rule at step s: no pruning "
                "before n_startup_trials trials have *completed* (pruned ones do not count) or while s < "
                "n_warmup_steps; otherwise prune when the trial's *best* value so far is worse than the median of "
                "the completed trials' values at step s.")
    print(f"Right: your rule stops the same trials at the same steps as Optuna's MedianPruner, in "
          f"{len(PRUNING_SETTINGS)} settings on {len(curves)} crossing, noisy curves.")


# The four-point space of the chapter's build_small, and a stand-in error for each configuration.
STAND_IN_ERROR = {(16, "relu"): 0.11, (16, "tanh"): 0.09, (64, "relu"): 0.08, (64, "tanh"): 0.06}


def _small_space() -> kt.HyperParameters:
    hp = kt.HyperParameters()
    hp.Choice("units", [16, 64])
    hp.Choice("activation", ["relu", "tanh"])
    return hp


def _wide_space() -> kt.HyperParameters:
    """10,201 configurations: Keras Tuner's own BO does not repeat itself here in a few trials."""
    hp = kt.HyperParameters()
    hp.Int("x", -50, 50)
    hp.Int("y", -50, 50)
    return hp


def _drive(oracle, score: Callable, directory: str, project: str) -> list[dict]:
    """Ask/tell over a Keras Tuner oracle until it stops; the values of every trial, in order."""
    oracle._set_project_dir(directory, project)
    oracle.verbose = 0
    if hasattr(oracle, "gpr"):  # 2 restarts of the GP's fit instead of 20: a quicker check, the same for every oracle
        oracle.gpr.n_restarts_optimizer = 2
    values = []
    for _ in range(100):
        trial = oracle.create_trial("tuner0")
        if trial.status == "STOPPED":
            return values
        assert trial.status == "RUNNING", f"the oracle answered {trial.status!r}: with one tuner it never waits."
        values.append(dict(trial.hyperparameters.values))
        try:
            value = score(trial.hyperparameters.values)
        except KeyError as missing:
            raise AssertionError(f"trial {len(values) - 1} came with values {values[-1]}, missing {missing}: when "
                                 "every configuration has been tried, return {'status': 'STOPPED', 'values': None} "
                                 "instead of a trial without values.") from None
        oracle.update_trial(trial.trial_id, {oracle.objective.name: value})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    raise AssertionError("the oracle never stopped after 100 trials.")


def check_no_repeat_oracle(oracle_class: type) -> None:
    """``oracle_class``: a ``BayesianOptimizationOracle`` subclass that never proposes a configuration twice."""
    assert isinstance(oracle_class, type) and issubclass(oracle_class, kt.oracles.BayesianOptimizationOracle), (
        "subclass keras_tuner.oracles.BayesianOptimizationOracle, so that its GP keeps proposing.")
    objective = kt.Objective("loss", "min")
    with tempfile.TemporaryDirectory() as directory, warnings.catch_warnings():
        # scikit-learn's GP warns when a length scale reaches its bound, as it does on four points
        warnings.filterwarnings("ignore", message="The optimal value found for dimension")
        for seed in (1, 2):
            oracle = oracle_class(objective=objective, max_trials=4, num_initial_points=2, seed=seed,
                                  hyperparameters=_small_space())
            ran = _drive(oracle, lambda v: STAND_IN_ERROR[v["units"], v["activation"]], directory, f"small{seed}")
            configs = [(v["units"], v["activation"]) for v in ran]
            assert len(set(configs)) == len(configs) == 4, (
                f"seed {seed}: 4 trials on a 4-point space tried {configs}; when the GP's proposal was tried "
                "before (self._duplicate(values)), replace it by self._random_values().")
        oracle = oracle_class(objective=objective, max_trials=6, num_initial_points=2, seed=1,
                              hyperparameters=_small_space())
        ran = _drive(oracle, lambda v: STAND_IN_ERROR[v["units"], v["activation"]], directory, "exhausted")
        assert len(ran) == 4, (f"max_trials=6 on a 4-point space ran {len(ran)} trials: once all 4 are tried, "
                               "self._random_values() gives None; return {'status': 'STOPPED', 'values': None} then.")

        def bowl(v):
            return (v["x"] - 7) ** 2 + (v["y"] + 12) ** 2

        for seed in (2, 3):  # seeds whose GP fits are quick (some take half a minute on this space)
            mine, plain = (cls(objective=objective, max_trials=6, num_initial_points=3, seed=seed,
                               hyperparameters=_wide_space())
                           for cls in (oracle_class, kt.oracles.BayesianOptimizationOracle))
            got, want = _drive(mine, bowl, directory, f"mine{seed}"), _drive(plain, bowl, directory, f"plain{seed}")
            assert got == want, (
                f"seed {seed}, a wide space where Keras Tuner's own BO does not repeat: it tries {want}, "
                f"yours {got}. Change a proposal only when it was tried before; keep the GP's choice otherwise.")
    print("Right: every configuration once, a clean stop when the space is used up, and the GP's own "
          "choice whenever it is new.")


def executions_needed_reference(scores, gap: float) -> int:
    """Smallest n with standard error of a difference of two n-execution means, sqrt(2/n) * sd, at most gap/2."""
    sd = float(np.std(np.asarray(scores, dtype=float), ddof=1))
    return max(1, math.ceil(8 * sd**2 / gap**2 - 1e-9))


EXECUTION_CASES = [([0.90, 0.92, 0.91, 0.88], 0.01), ([0.95, 0.94], 0.02), ([0.1, 0.13, 0.12], 0.01),
                   ([0.80, 0.86, 0.83, 0.79, 0.84], 0.05), ([0.5, 0.5001, 0.5002], 0.05), ([0.9, 0.9, 0.9], 0.01),
                   ([0.93, 0.95, 0.90], 0.015)]


def check_executions_needed(executions_needed: Callable) -> None:
    """``executions_needed(scores, gap)`` -> the executions per trial that resolve ``gap`` given these scores."""
    for scores, gap in EXECUTION_CASES:
        got = executions_needed(list(scores), gap)
        assert got is not None, "executions_needed returned None: return the number of executions."
        assert is_int(got), (
            f"return a whole number of executions (an int), not {type(got).__name__} {got!r}: round up.")
        want = executions_needed_reference(scores, gap)
        assert got == want, (
            f"scores {scores}, gap {gap}: you ask for {got} executions, {want} are needed. Use the sample standard "
            "deviation s of the scores (ddof=1); both trials of a comparison are means of n executions, so their "
            "difference has standard error s * sqrt(2 / n); take the smallest n (at least 1) where that is at "
            "most gap / 2.")
    print(f"Right: for scores {EXECUTION_CASES[0][0]} a gap of {EXECUTION_CASES[0][1]} needs "
          f"{executions_needed_reference(*EXECUTION_CASES[0])} executions per trial; the cost grows with the "
          "square of the noise over the gap.")
