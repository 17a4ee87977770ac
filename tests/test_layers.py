"""The package's shape: each layer imports only the layers before it, no import circles, and light imports.

Layers, in order (a module may import its own layer and those before it):
core < methods < benchmarks < keras_task < frameworks < experiments < plots < exercises < cli,
with the facades (``hpo_lessons/__init__.py``, ``__main__.py``, ``compare.py``) on top. The
imports are read from the source (``ast``), those inside functions included, so a lazy import
that runs upward is caught too.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hpo_lessons"
LAYERS = ["core", "methods", "benchmarks", "keras_task", "frameworks", "experiments", "plots", "exercises", "cli"]
FACADES = {"__init__", "__main__", "compare"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The hpo_lessons modules ``path`` imports (``from . import x`` counted as the module x when it is one)."""
    name = _module_name(path)
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("hpo_lessons")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("hpo_lessons"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                as_module = PACKAGE.parent / Path(*sub.split("."))
                found.add(sub if as_module.with_suffix(".py").exists() or as_module.is_dir() else target)
    return found - {name}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in FACADES:
        return len(LAYERS)
    return LAYERS.index(parts[1].removesuffix(".py"))


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_each_layer_imports_only_the_layers_before_it_and_there_is_no_circle():
    upward = sorted(f"{a} -> {b}" for a, targets in GRAPH.items() for b in targets if _layer(b) > _layer(a))
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)
    # A circle: a module that reaches itself through its imports (depth-first search, iterative).
    circles = []
    for start in GRAPH:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in GRAPH.get(node, ()):
                if nxt == start:
                    circles.append(" -> ".join(path + [start]))
                elif nxt not in seen and nxt in GRAPH:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    package_inits = {m for m in GRAPH if (PACKAGE.parent / Path(*m.split(".")) / "__init__.py").exists()}
    # A package's __init__ naming its own modules, which import siblings, is not a circle of ideas.
    circles = [c for c in circles if not any(c.startswith(p + " ") for p in package_inits)]
    assert not circles, "import circles:\n" + "\n".join(sorted(set(circles)))


def test_the_layer_list_names_every_folder():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS) - {"cli"}


HEAVY = ["tensorflow", "keras", "keras_tuner", "optuna", "torch", "jax", "sklearn", "pandas", "matplotlib", "tqdm",
         "scipy.optimize", "scipy.linalg", "scipy.stats", "hpo_lessons.methods.bayes"]


@pytest.mark.parametrize("statement, allowed", [
    ("import hpo_lessons", []),
    ("import hpo_lessons.keras_task, hpo_lessons.frameworks", []),
    ("from hpo_lessons.keras_task import load_data; load_data('digits')",  # scikit-learn ships the digits
     ["sklearn", "pandas", "scipy.stats", "scipy.linalg", "scipy.optimize"]),
    ("from hpo_lessons import benchmarks; t = benchmarks.tabular('digits-mlp'); t(t.params(0), budget=1)", []),
    ("import hpo_lessons.experiments.registry, hpo_lessons.compare, hpo_lessons.plots, hpo_lessons.cli",
     ["pandas", "matplotlib", "tqdm"]),
])  # fmt: skip
def test_imports_stay_light(statement, allowed):
    """Keras, Keras Tuner, Optuna and scipy's optimizers load only when something that needs them runs."""
    code = f"import sys; {statement}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert sorted(set(eval(out)) - set(allowed)) == []
