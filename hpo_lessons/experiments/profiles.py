"""Budgets in one place: the ``quick`` profile (CPU, CI, minutes) and the ``full`` one (GPU).

Notebooks and the command line read every budget from ``hpo_lessons.profile()``, never
from literals scattered in cells, so one environment variable scales the whole course:
``HPO_LESSONS_PROFILE=quick`` or ``full``. Without it, ``full`` is chosen when Keras' backend
(TensorFlow, JAX or PyTorch: ``hpo_lessons.keras_task.backend``) sees a GPU, otherwise ``quick``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

ENV_VAR = "HPO_LESSONS_PROFILE"


@dataclass(frozen=True)
class Profile:
    """Budgets for one way of running the course.

    dataset : name for ``keras_task.load_data``.
    epochs : training epochs per trial.
    batch_size : default training batch size.
    n_trials : trials per search (one method, one seed).
    n_seeds : repetitions of a search when methods are compared.
    n_trials_synthetic / n_seeds_synthetic : the same for cheap synthetic benchmark functions.
    max_train_samples : cap on training examples (``None`` keeps all).
    n_jobs : searches ``compare`` runs at once, each in its own process. A small network
        trained on a CPU keeps about one core busy, so two searches at once nearly halve a
        comparison on two cores; on a GPU the searches would queue for the one device.
    max_epochs : the full budget of a multi-fidelity search on real Keras trials (its rungs
        are 1, 3, 9, ... epochs up to it).
    n_seeds_tabular : repetitions of a search on a tabulated benchmark, where a trial costs
        microseconds, so comparisons can afford confidence intervals.
    n_seeds_noise : trainings of one configuration that measure the noise band (chapter 2) and judge
        the chapters' live comparisons (chapter 1): enough for the seed std's 95 % interval to lie within
        0.7 and 1.7 times it at 12 seeds (at 5: 0.6 and 2.9), and 66 pairs of seeds for the per-image disagreement.
    n_seeds_synthetic_bo : seeds of Bayesian optimization on a synthetic function when the other methods
        run the seeds power asks for: BO's own time (a GP fit per trial, about a second a search of 40
        trials on a CPU) is what a race on a cheap function spends; chapter 8 states what it can detect.
    n_seeds_pbt : seeds of the population-based training races on closed-form problems (chapter 12),
        where a whole search takes a fraction of a second.
    pbt_population, pbt_epochs : members and epochs each of chapter 12's live Keras PBT run (one
        trial per member and epoch), and of the random search it is raced against at equal epochs.
    n_seeds_race_tabular : the fewest seeds of a powered race on the tabulated benchmark (chapter 9's
        BOHB race: about 0.1 s a search; a power calculation may ask for more), the same in every profile
        so that the chapter's verdicts are those of ``benchmarks/tpe_bohb.py``.
    n_seeds_tpe : seeds of chapter 5's TPE race on Branin (ours, Optuna's, random search; about 0.3 s a
        search of 40 trials on a CPU); ``benchmarks/tpe_bohb.py`` runs 60.
    n_seeds_mo, n_seeds_mo_slow : seeds of chapter 11's multi-objective races on the tabulated benchmark:
        the cheap searches (random, NSGA-II: a fraction of a second each), and those that cost seconds
        each (Optuna's samplers, multi-objective ASHA); ``benchmarks/multi_objective.py`` runs 120 of all.
    """

    name: str
    dataset: str
    epochs: int
    batch_size: int
    n_trials: int
    n_seeds: int
    n_trials_synthetic: int
    n_seeds_synthetic: int
    max_train_samples: int | None = None
    n_jobs: int = 1
    max_epochs: int = 27
    n_seeds_tabular: int = 50
    n_seeds_noise: int = 20
    n_seeds_synthetic_bo: int = 40
    n_seeds_pbt: int = 300
    pbt_population: int = 8
    pbt_epochs: int = 12
    n_seeds_race_tabular: int = 150
    n_seeds_tpe: int = 40
    n_seeds_mo: int = 100
    n_seeds_mo_slow: int = 20

    def with_(self, **changes) -> Profile:
        """A copy with some budgets changed, e.g. ``profile().with_(n_trials=50)``."""
        return replace(self, **changes)


PROFILES = {
    "quick": Profile(name="quick", dataset="digits", epochs=8, batch_size=32, n_trials=8, n_seeds=2,
                     n_trials_synthetic=40, n_seeds_synthetic=5, n_jobs=2, max_epochs=9, n_seeds_tabular=30,
                     n_seeds_noise=12, n_seeds_synthetic_bo=10, n_seeds_pbt=100, pbt_population=4, pbt_epochs=3),
    "full": Profile(name="full", dataset="mnist", epochs=10, batch_size=128, n_trials=40, n_seeds=5,
                    n_trials_synthetic=100, n_seeds_synthetic=20),
}


def _gpu_available() -> bool:
    """Whether the Keras backend sees a GPU. Asked through ``hpo_lessons.keras_task.backend``, which starts the
    backend quietly (TensorFlow's C++ start-up lines would otherwise land in the first cell's output)
    and probes the backend Keras will train on, not TensorFlow whatever the backend."""
    try:
        from ..keras_task.backend import gpu_info
    except ImportError:  # no Keras, or its backend is not installed: nothing to train on a GPU
        return False
    return gpu_info()["count"] > 0


def profile(name: str | None = None) -> Profile:
    """The active profile: ``name``, else ``$HPO_LESSONS_PROFILE``, else by hardware."""
    name = name or os.environ.get(ENV_VAR) or ("full" if _gpu_available() else "quick")
    if name not in PROFILES:
        raise ValueError(f"profile {name!r} is unknown; set {ENV_VAR} to one of {sorted(PROFILES)}.")
    return PROFILES[name]
