"""The repository around the package: dependencies listed once, conda file, a light import."""

import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_pyproject_lists_the_runtime_stack_with_lower_bounds_only():
    deps = PYPROJECT["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("[")[0].strip() for d in deps}
    assert {"numpy", "scipy", "matplotlib", "pandas", "tqdm", "scikit-learn", "tensorflow", "keras",
            "keras-tuner", "tensorboard", "threadpoolctl"} <= names
    assert not [d for d in deps if "==" in d], "no exact pins: Colab's stack must stay installable"
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"dev", "compare", "gpu"} <= set(extras)
    assert any(d.startswith("nbval") for d in extras["dev"]) and any(d.startswith("optuna") for d in extras["compare"])
    assert PYPROJECT["project"]["requires-python"] == ">=3.10"


def test_environment_yml_parses_and_installs_this_package_from_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "hpo-lessons"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert any(line.startswith("-e .") or line.startswith('-e ".') for line in pip_section)
    # the dependencies live in pyproject.toml only: no package is listed twice
    assert not [d for d in env["dependencies"] if isinstance(d, str) and d.split("=")[0] in {"numpy", "tensorflow"}]


def test_the_embedded_digits_load_without_tensorflow():
    code = ("import sys; from hpo_lessons.keras_task.data import load_data; d = load_data('digits'); "
            "print(d.x_train.shape, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "(1079, 8, 8, 1) False"


def test_bayesian_optimization_is_still_importable_from_the_top_level_and_from_methods():
    import hpo_lessons
    from hpo_lessons import methods
    from hpo_lessons.methods.bayes import BayesianOptimization

    assert hpo_lessons.BayesianOptimization is methods.BayesianOptimization is BayesianOptimization
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(hpo_lessons, "no_such_name")  # noqa: B009


def test_ci_runs_the_readme_test_command():
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make test" in ci
    assert "make lab" in readme.split("## Quick start")[1].split("conda")[0]


def test_the_tree_is_ruff_clean():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is in the dev extra; install it with pip install -e '.[dev]'")
    done = subprocess.run([str(ruff), "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
