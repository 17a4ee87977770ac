"""The ``hpo-lessons`` command: compare tuning methods on a network or a synthetic function.

    hpo-lessons compare --task digits --methods bayes,genetic,kt-bayesian --trials 20 --seeds 3 --out results/
    hpo-lessons compare --function branin --methods random,bayes --trials 30 --seeds 5

It prints a leaderboard and writes the comparison table (CSV, one row per trial) and the
convergence figure (PNG) to ``--out``. Budgets not given come from ``hpo_lessons.profile()``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import benchmarks
from .core.space import Space
from .experiments import registry
from .experiments.compare import compare, leaderboard
from .experiments.profiles import ENV_VAR, PROFILES, profile

# keras_task.DATASETS and METRICS, spelled out so that --help and --function runs do not import TensorFlow
# (tests/test_cli.py checks they agree).
TASKS = ("digits", "mnist", "fashion_mnist", "cifar10")
METRICS = ("val_accuracy", "val_loss")

def _examples() -> str:
    """The epilog of --help, with the methods this installation can run (read when --help is built)."""
    names = registry.names()
    return f"""\
examples:
  hpo-lessons compare --function branin --methods random,bayes --trials 30 --seeds 5
  hpo-lessons compare --function ackley --dim 4 --methods random,bayes,genetic,optuna-tpe
  hpo-lessons compare --task digits --methods bayes,genetic,kt-bayesian --trials 20 --seeds 3 --out results/
  python -m hpo_lessons compare --task digits --epochs 3 --profile quick

methods: {", ".join(names)}
{chr(10).join(f"  {name}: {registry.METHODS[name].label}" for name in names)}
  (kt-*: Keras Tuner's oracles, optuna-*: Optuna's samplers and pruners, all on the same objective)
functions: {", ".join(sorted(benchmarks.BENCHMARKS))} (--dim for {", ".join(benchmarks.ANY_DIM)})
profiles: {", ".join(PROFILES)}; default from ${ENV_VAR}, else "full" with a GPU and "quick" without.
"""


def digits_space() -> Space:
    """The default search space of the MLP that ``--task`` trains: ``keras_task.default_space()``."""
    from .keras_task import default_space  # imported here: it loads TensorFlow, which --help must not

    return default_space()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hpo-lessons",
        description="Compare hyperparameter tuning methods on a network or a synthetic function.",
        epilog=_examples(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="command")
    cmp = commands.add_parser(
        "compare",
        help="run several methods x seeds on one objective; print a leaderboard, write CSV and PNG",
        description="Run several tuning methods with several seeds at the same budget on one objective:\n"
        "a small network on a dataset (--task) or a synthetic function with a known minimum (--function).",
        epilog=_examples(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = cmp.add_mutually_exclusive_group()
    target.add_argument("--task", choices=TASKS, help="train an MLP on this dataset (default: the profile's dataset)")
    target.add_argument("--function", help="a synthetic function from hpo_lessons.benchmarks, e.g. branin")
    cmp.add_argument("--dim", type=_positive, help="dimension of an n-dimensional --function (ackley, rastrigin, ...)")
    cmp.add_argument(
        "--methods",
        default="random,bayes,genetic",
        help="comma-separated methods (default: random,bayes,genetic); see the list below",
    )
    cmp.add_argument("--trials", type=_positive, help="trials per search (default: from the profile)")
    cmp.add_argument("--seeds", type=_positive, help="searches per method, seeds 0..N-1 (default: from the profile)")
    cmp.add_argument(
        "--epochs", type=_positive, help="training epochs per trial for --task (default: from the profile)"
    )
    cmp.add_argument(
        "--metric",
        choices=METRICS,
        help="a --task trial's score: val_accuracy (maximized; default) or val_loss (minimized)",
    )
    cmp.add_argument("--profile", choices=sorted(PROFILES), help=f"budget profile (default: ${ENV_VAR} or by hardware)")
    cmp.add_argument("--out", default="results", help="folder for the CSV and PNG (default: results/)")
    cmp.add_argument("--jobs", type=_positive, default=1,
                     help="searches run at once in separate processes; same trials, less waiting (default: 1)")
    cmp.add_argument("--workers", type=_positive, default=1,
                     help="trials in flight inside each search, on threads (default: 1)")
    cmp.add_argument("--quiet", action="store_true", help="no progress bar")
    cmp.set_defaults(subparser=cmp)  # errors about compare's arguments show compare's usage
    return parser


def _validate(parser: argparse.ArgumentParser, args) -> list[str]:
    """Everything argparse cannot check alone; errors exit with status 2 before any work."""
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in registry.names()]
    if not methods or unknown:
        parser.error(
            f"--methods: unknown method(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(registry.names())}"
        )
    if len(set(methods)) < len(methods):
        parser.error(f"--methods lists a method twice: {args.methods}")
    if args.function is not None:
        if args.function not in benchmarks.BENCHMARKS:
            parser.error(
                f"--function: unknown function {args.function!r}; "
                f"choose from {', '.join(sorted(benchmarks.BENCHMARKS))}"
            )
        if args.dim is not None and args.function not in benchmarks.ANY_DIM:
            parser.error(
                f"--dim: {args.function} has a fixed dimension; --dim works with {', '.join(benchmarks.ANY_DIM)}"
            )
        for flag, value in (("--epochs", args.epochs), ("--metric", args.metric)):
            if value is not None:
                parser.error(f"{flag} applies to --task, not to --function")
        budgeted = [m for m in methods if registry.METHODS[m].needs_budget]
        if budgeted:
            parser.error(f"--methods: {', '.join(budgeted)} {'gives' if len(budgeted) == 1 else 'give'} each trial a "
                         f"budget (epochs), but --function {args.function} has none; use them with --task")
    elif args.dim is not None:
        parser.error("--dim applies to --function, not to --task")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        parser.error(f"--out {args.out} is a file; give a folder for the CSV and PNG")
    return methods


def _target(args, budgets):
    """(name, objective, space, direction, minimum, trials, seeds) for the chosen task or function."""
    if args.function is not None:
        bench = benchmarks.get(args.function, args.dim)
        trials, seeds = args.trials or budgets.n_trials_synthetic, args.seeds or budgets.n_seeds_synthetic
        return bench.name, bench, bench.space, "minimize", bench.minimum, trials, seeds
    from . import keras_task  # TensorFlow only for a --task

    task = args.task or budgets.dataset
    data = keras_task.load_data(task, max_train_samples=budgets.max_train_samples)
    metric = args.metric or "val_accuracy"
    objective = keras_task.KerasObjective(data, epochs=args.epochs or budgets.epochs, metric=metric, seed=0)
    trials, seeds = args.trials or budgets.n_trials, args.seeds or budgets.n_seeds
    return task, objective, digits_space(), objective.direction, None, trials, seeds


def _quiet_tensorflow() -> None:
    """Import Keras through ``keras_task.backend``, which keeps TensorFlow's C++ start-up lines (CUDA
    probing, CPU instruction notices) off the terminal; whoever imports it next gets it loaded, quietly."""
    try:
        from .keras_task import backend  # noqa: F401
    except ImportError:  # no TensorFlow: profile() then picks the CPU profile
        pass


def _compare(parser: argparse.ArgumentParser, args) -> int:
    methods = _validate(parser, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # now, not after an hour of training
    if args.profile is None and not os.environ.get(ENV_VAR):
        _quiet_tensorflow()  # profile() looks for a GPU through TensorFlow
    budgets = profile(args.profile)
    name, objective, space, direction, minimum, trials, seeds = _target(args, budgets)
    print(f"{name}: {', '.join(methods)}; {trials} trials x {seeds} seeds ({budgets.name} profile)", flush=True)
    df = compare(
        objective,
        space,
        methods,
        n_trials=trials,
        seeds=seeds,
        direction=direction,
        minimum=minimum,
        progress=not args.quiet,
        n_jobs=args.jobs,
        n_workers=args.workers,
    )

    import matplotlib.pyplot as plt

    from . import plots

    table, figure = out / f"compare_{name}.csv", out / f"convergence_{name}.png"
    df.to_csv(table, index=False)
    fig = plots.convergence(df, time=True)
    fig.savefig(figure, dpi=120, bbox_inches="tight")
    plt.close(fig)
    print(leaderboard(df).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"\nwrote {table} ({len(df)} rows) and {figure}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``hpo-lessons`` and ``python -m hpo_lessons``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return _compare(args.subparser, args)


if __name__ == "__main__":
    sys.exit(main())
