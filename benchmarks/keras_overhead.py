"""Per-trial overhead of the search machinery: this package's run(), the adapters under it, and Keras Tuner.

Part 1, no training (``--synthetic-trials``): each method under ``hpo_lessons.core.run`` on a
microsecond objective (Branin, with a budget for the multi-fidelity ones), so the time per
trial is the method's and the loop's own: random search, Keras Tuner's random, grid, GA and
Hyperband oracles through ``KerasTunerOptimizer``, Optuna's TPE with and without its
Hyperband pruner through ``OptunaOptimizer`` / ``OptunaPruning``.

Part 2, digits (skipped with ``--trials 0``): four ways to train the same configurations on
the digits MLP:

1. ``hpo_lessons.core.run`` with ``KerasObjective`` (no journal),
2. the same with a journal (one JSON line written and fsynced per trial),
3. ``hpo_lessons.core.run`` with ``KerasTunerOptimizer("random")``: Keras Tuner's oracle chooses,
   through the adapter (what ``frameworks.run_keras_tuner`` does),
4. plain Keras Tuner, as users write it: ``kt.RandomSearch`` with a ``build(hp)`` function
   and ``tuner.search(x, y, ...)`` (trial files, checkpoints of the best epoch's weights).

Overhead per trial = (wall time of the search - time spent training) / trials. Training time
is the objective's own duration for 1-3, and the model building plus ``model.fit`` for 4
(minus the time in Keras Tuner's own callbacks inside ``fit``, which is its overhead too).
Runs 3 and 4 draw the same configurations (Keras Tuner seeded as the adapter seeds it); 1 and 2
replay them. Goal: this package's
overhead per trial at most half of plain Keras Tuner's.

    python benchmarks/keras_overhead.py                  # 8 trials of 2 epochs, about a minute or two
    python benchmarks/keras_overhead.py --trials 20 --epochs 5
    python benchmarks/keras_overhead.py --trials 0       # part 1 only, seconds
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from hpo_lessons import tf_setup  # noqa: E402, F401  TensorFlow first and quietly

# isort: split
import keras_tuner as kt  # noqa: E402

import hpo_lessons as hl  # noqa: E402
from hpo_lessons import benchmarks, frameworks, keras_task  # noqa: E402
from hpo_lessons.cli import digits_space  # noqa: E402
from hpo_lessons.experiments import registry  # noqa: E402
from hpo_lessons.methods.base import Exhausted, Optimizer  # noqa: E402

keras = keras_task.keras


class Replay(Optimizer):
    """Proposes a fixed list of configurations, in order: the same trials as another runner."""

    def __init__(self, space, configs):
        super().__init__(space)
        self.configs = list(configs)

    def ask(self):
        if not self.configs:
            raise Exhausted("every configuration was replayed")
        return self._suggest(dict(self.configs.pop(0)))


class Clock:
    """Accumulates seconds under named keys."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def add(self, key: str, seconds: float) -> None:
        self.seconds[key] = self.seconds.get(key, 0.0) + seconds


class Timed(keras.callbacks.Callback):
    """Runs one of Keras Tuner's callbacks and counts the time it takes (its per-epoch bookkeeping)."""

    HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end")

    def __init__(self, inner, clock: Clock):
        super().__init__()
        self.inner, self.clock = inner, clock
        for hook in self.HOOKS:
            setattr(self, hook, self._wrap(getattr(inner, hook)))

    def _wrap(self, method):
        def call(*args, **kwargs):
            t0 = time.perf_counter()
            method(*args, **kwargs)
            self.clock.add("callbacks", time.perf_counter() - t0)

        return call

    def set_model(self, model):
        super().set_model(model)
        self.inner.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        self.inner.set_params(params)


class MLP(kt.HyperModel):
    """The user's side of plain Keras Tuner: declare hyperparameters in build(hp), then fit."""

    def __init__(self, data, space, epochs: int, clock: Clock):
        super().__init__()
        self.data, self.space, self.epochs, self.clock = data, space, epochs, clock

    def build(self, hp):
        t0 = time.perf_counter()
        # Declared in the space's order with its ranges, as a user would write them.
        params = {
            "learning_rate": hp.Float("learning_rate", 1e-4, 1e-1, sampling="log"),
            "units": hp.Int("units", 16, 256, sampling="log"),
            "n_layers": hp.Int("n_layers", 1, 3),
            "activation": hp.Choice("activation", ["relu", "tanh", "elu"]),
            "dropout": hp.Float("dropout", 0.0, 0.5),
        }
        keras.backend.clear_session()
        model = keras_task.build_model({**params, "epochs": self.epochs}, self.data)
        self.clock.add("build", time.perf_counter() - t0)
        return model

    def fit(self, hp, model, *args, callbacks=(), **kwargs):
        callbacks = [Timed(c, self.clock) for c in callbacks]
        t0 = time.perf_counter()
        result = model.fit(*args, callbacks=callbacks, **kwargs)
        self.clock.add("fit", time.perf_counter() - t0)
        return result


def _ours(objective, space, configs, journal=None):
    started = time.perf_counter()
    history = hl.run(objective, Replay(space, configs), n_trials=len(configs), direction=objective.direction,
                     progress=False, journal=journal)  # fmt: skip
    wall = time.perf_counter() - started
    return wall, sum(t.duration for t in history), len(history)


def _framework(objective, space, n_trials, seed):
    started = time.perf_counter()
    opt = frameworks.KerasTunerOptimizer(space, "random", seed=seed)
    history = hl.run(objective, opt, n_trials=n_trials, progress=False)
    wall = time.perf_counter() - started
    return wall, sum(t.duration for t in history), history


class Curve:
    """Branin after ``budget`` epochs: what a multi-fidelity method sees, at microseconds per trial."""

    max_budget = 27

    def __init__(self):
        self.bench = benchmarks.branin()

    def __call__(self, params, budget=None):
        return self.bench(params) + 10.0 / (budget or self.max_budget)


SYNTHETIC = ("random", "kt-random", "kt-grid", "kt-genetic", "kt-hyperband", "optuna-tpe", "optuna-hyperband")


def synthetic_overheads(n_trials: int, seed: int = 0) -> list[tuple[str, float, int]]:
    """(method, ms per trial, trials) under hl.run on a microsecond objective: the method's and the loop's time."""
    curve, rows = Curve(), []
    for name in SYNTHETIC:
        opt = registry.make(name, curve.bench.space, seed=seed, objective=curve, n_trials=n_trials)
        started = time.perf_counter()
        history = hl.run(curve, opt, n_trials=n_trials, progress=False)
        rows.append((name, 1000 * (time.perf_counter() - started) / len(history), len(history)))
    return rows


def _plain(data, space, n_trials, epochs, seed, workdir):
    clock = Clock()
    tuner = kt.RandomSearch(MLP(data, space, epochs, clock), objective="val_accuracy", max_trials=n_trials,
                            seed=frameworks.oracle_seed(seed), directory=workdir, project_name="plain",
                            overwrite=True)  # fmt: skip
    clock.seconds.clear()  # the constructor builds once to learn the space; users pay it, but not per trial
    started = time.perf_counter()
    tuner.search(data.x_train, data.y_train, epochs=epochs, batch_size=32, validation_data=(data.x_val, data.y_val),
                 verbose=0)  # fmt: skip
    wall = time.perf_counter() - started
    trials = sorted(tuner.oracle.trials.values(), key=lambda t: int(t.trial_id))
    training = clock.seconds.get("build", 0) + clock.seconds.get("fit", 0) - clock.seconds.get("callbacks", 0)
    configs = [frameworks.params_from_hp(t.hyperparameters.values, space) for t in trials]
    return wall, training, configs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__.split("\n\n")[-1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--trials", type=int, default=8, help="trials per runner (default 8)")
    parser.add_argument("--epochs", type=int, default=2, help="training epochs per trial (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the configurations drawn (default 0)")
    parser.add_argument("--synthetic-trials", type=int, default=200,
                        help="trials per method in part 1, no training (default 200; 0 skips it)")
    args = parser.parse_args(argv)
    if args.trials < 0 or args.epochs < 1 or args.synthetic_trials < 0:
        parser.error("--trials and --synthetic-trials must be at least 0, --epochs at least 1")
    if args.synthetic_trials:
        print(f"\nPart 1: {args.synthetic_trials} trials of a microsecond objective (Branin) under hl.run\n")
        print(f"{'method':18} {'ms per trial':>13} {'trials':>7}")
        for name, ms, n in synthetic_overheads(args.synthetic_trials, args.seed):
            print(f"{name:18} {ms:13.3f} {n:7d}")
    if not args.trials:
        return 0
    data, space = keras_task.load_data("digits"), digits_space()

    def fresh():  # no checkpoints: every runner trains every configuration from scratch, as plain Keras Tuner does
        return keras_task.KerasObjective(data, epochs=args.epochs, seed=0, resume=False)

    fresh()(space.sample(0))  # warm-up: TensorFlow's one-time start-up costs belong to no runner

    rows = []
    with tempfile.TemporaryDirectory(prefix="hpo_overhead_") as workdir:
        wall, training, history = _framework(fresh(), space, args.trials, args.seed)
        configs = [t.params for t in history]
        rows.append(("hl.run + KerasTunerOptimizer('random')", wall, training, len(history)))
        wall, training, plain_configs = _plain(data, space, args.trials, args.epochs, args.seed, workdir)
        rows.append(("plain Keras Tuner: kt.RandomSearch + search()", wall, training, len(plain_configs)))
        wall, training, n = _ours(fresh(), space, configs)
        rows.append(("hpo_lessons.core.run (no journal)", wall, training, n))
        wall, training, n = _ours(fresh(), space, configs, journal=os.path.join(workdir, "journal.jsonl"))
        rows.append(("hpo_lessons.core.run (journal, fsync per trial)", wall, training, n))

    same = len(configs) == len(plain_configs) and all(
        space.key(a) == space.key(b) for a, b in zip(configs, plain_configs, strict=True)
    )
    print(f"\ndigits MLP, {args.trials} trials x {args.epochs} epochs; the four runners trained the same "
          f"configurations: {'yes' if same else 'no (plain Keras Tuner drew others)'}\n")  # fmt: skip
    print(f"{'runner':46} {'wall s':>8} {'train s':>8} {'overhead s/trial':>17} {'% of training':>14}")
    overhead = {}
    for name, wall, training, n in rows:
        overhead[name] = (wall - training) / n
        print(
            f"{name:46} {wall:8.2f} {training:8.2f} {overhead[name]:17.4f} {100 * (wall - training) / training:13.1f}%"
        )
    plain = overhead["plain Keras Tuner: kt.RandomSearch + search()"]
    print()
    for name in [rows[0][0], rows[3][0]]:  # Keras Tuner's oracle through the adapter; our loop with its journal
        ratio = overhead[name] / plain
        verdict = "meets" if ratio <= 0.5 else "misses"
        print(f"{name} / plain Keras Tuner: {ratio:.3f} ({verdict} the goal of at most 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
