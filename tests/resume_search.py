"""A search run as its own process by test_resume.py, so that it can be killed with SIGKILL.

    python tests/resume_search.py METHOD JOURNAL N_TRIALS SLEEP_SECONDS [N_WORKERS [EXECUTOR]]

With N_WORKERS > 1 the trials run on that many threads, or with EXECUTOR "processes" in that
many spawned worker processes.
"""

import sys
import time

import hpo_lessons as hl

SPACE = hl.Space(
    lr=hl.Real(1e-4, 1e-1, log=True),
    units=hl.Integer(8, 128, log=True),
    layers=hl.Integer(1, 4),
    activation=hl.Categorical(["relu", "tanh", "elu"]),
)


def make(method: str):
    if method.startswith("kt-"):  # Keras Tuner's oracle through the adapter (imported only here: it loads Keras)
        from hpo_lessons.frameworks.kt_adapter import KerasTunerOptimizer

        return KerasTunerOptimizer(SPACE, method.removeprefix("kt-"), seed=5)
    if method.startswith("optuna-"):
        from hpo_lessons.frameworks.optuna_adapter import OptunaOptimizer

        return OptunaOptimizer(SPACE, method.removeprefix("optuna-"), seed=5)
    return {
        "grid": lambda: hl.GridSearch(SPACE, points_per_dim=3),
        "random": lambda: hl.RandomSearch(SPACE, seed=5),
        "bayes": lambda: hl.BayesianOptimization(SPACE, seed=5, n_initial=4),
        "genetic": lambda: hl.GeneticAlgorithm(SPACE, population_size=5, seed=5),
    }[method]()


def objective(p, pause=0.0):
    time.sleep(pause)
    import math

    return (math.log10(p["lr"]) + 2.5) ** 2 + (math.log2(p["units"]) - 5) ** 2 / 4 + 0.3 * p["layers"] \
        + {"relu": 0.0, "tanh": 0.2, "elu": 0.1}[p["activation"]]


class Paused:
    """``objective`` after a pause, as an object worker processes can import by name."""

    def __init__(self, pause: float):
        self.pause = pause

    def __call__(self, p):
        return objective(p, self.pause)


if __name__ == "__main__":
    import resume_search  # this file under its module name, so that worker processes can import Paused

    method, journal, n_trials, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    n_workers = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    executor = sys.argv[6] if len(sys.argv) > 6 else None
    hl.run(resume_search.Paused(pause), make(method), n_trials=n_trials, journal=journal, progress=False,
           n_workers=n_workers, executor=executor)
