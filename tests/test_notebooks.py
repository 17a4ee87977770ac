"""Every chapter notebook: badge, setup cell, profile, executed outputs. nbval re-runs them
(`pytest notebooks --nbval`); these checks look at what is stored."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHAPTERS = ["01_introduction", "02_training_pipeline", "03_hyperparameters", "04_grid_search",
            "05_bayesian_optimization", "06_genetic_algorithm", "07_framework_modules", "08_summary_and_outlook",
            "09_multi_fidelity", "10_parallel_and_distributed", "11_multi_objective", "12_population_based_training"]
REPO = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
SETUP_CELL = f'''# Setup: install the course package when it is missing (Colab), then load the profile.
import importlib.util, os, subprocess, sys
REPO = "{REPO}"
if importlib.util.find_spec("hpo_lessons") is None:
    source = os.environ.get("HPO_LESSONS_SOURCE", f"git+{{REPO}}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"hpo-lessons[compare] @ {{source}}"], check=True)
    importlib.invalidate_caches()
import hpo_lessons as hl
P = hl.profile()
print(P)'''


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_chapter_has_a_notebook_and_a_text_source():
    for name in CHAPTERS:
        assert (NOTEBOOKS / f"{name}.ipynb").exists(), name
        assert (NOTEBOOKS / "src" / f"{name}.py").exists(), name


@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_opens_with_its_colab_badge_and_the_setup_cell(name):
    nb = load(name)
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    github_path = REPO.removeprefix("https://github.com/")
    badge = f"https://colab.research.google.com/github/{github_path}/blob/main/notebooks/{name}.ipynb"
    assert badge in source(first), f"{name}: the Colab badge must link to {badge}"
    assert source(code_cells(nb)[0]).strip() == SETUP_CELL


@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_outputs_come_from_one_complete_run(name):
    cells = [c for c in code_cells(load(name)) if source(c).strip()]
    counts = [c["execution_count"] for c in cells]
    assert None not in counts, f"{name}: some cells were never executed"
    assert counts == list(range(1, len(cells) + 1)), f"{name}: cells were not run once, top to bottom"
    errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{name}: stored error output {errors[0].get('ename')}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_budgets_come_from_the_profile(name):
    code = "\n".join(source(c) for c in code_cells(load(name)))
    assert "P." in code, f"{name} never reads the profile"
    # a search budget typed as a bare number (``n_trials=30,``); demos with fixed structure, such
    # as a stand-in objective's ``epochs=1`` default, are not budgets
    literal = re.findall(r"\b(n_trials|n_seeds)\s*=\s*\d+\s*[,)]", code)
    assert not literal, f"{name}: budgets {literal} are literals; read them from the profile P"


def test_text_sources_match_the_executed_notebooks():
    """The .ipynb is built from src/*.py by tools/build_course.py; a stale notebook is an error."""
    import jupytext

    for name in CHAPTERS:
        text = jupytext.read(NOTEBOOKS / "src" / f"{name}.py")
        stored = load(name)
        assert [source(c) for c in stored["cells"]] == [c.source for c in text.cells], f"{name} is stale: make course"


@pytest.mark.slow
def test_setup_cell_installs_the_package_in_a_fresh_environment(tmp_path):
    """Simulates Colab: a new virtual environment where TensorFlow and friends exist but this
    package does not; the setup cell must install it (from a local source instead of GitHub)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    where = "import numpy, os; print(os.path.dirname(os.path.dirname(numpy.__file__)))"
    deps = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "course_deps.pth").write_text(deps + "\n")  # Colab's preinstalled stack, without hpo_lessons
    check = [str(python), "-c", "import importlib.util; print(importlib.util.find_spec('hpo_lessons'))"]
    assert subprocess.run(check, capture_output=True, text=True, cwd=tmp_path).stdout.strip() == "None"
    env = {**os.environ, "HPO_LESSONS_SOURCE": ROOT.as_uri(), "HPO_LESSONS_PROFILE": "quick",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    run = subprocess.run([str(python), "-c", SETUP_CELL], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Profile(name='quick'" in run.stdout
    installed = subprocess.run(check, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(venv) in installed
