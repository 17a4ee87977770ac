"""The worked solutions of the chapters' exercises, read from the chapters themselves.

A chapter's exercise cell defines a stub (``def f(...): ...  # your code here``) and the cell
after it, headed ``# Solution``, the answer. The exercise tests check the answer the learner
sees, not a copy of it: ``solution("05", "relevance")`` reads ``notebooks/src/05_*.py``, runs
its top-level imports and function definitions (the stubs left out, so the solutions stand; no
other code of the chapter runs; an optional library that is not installed, such as Optuna on
Colab's stack, is left out), and returns the function.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "notebooks" / "src"


def _is_stub(node: ast.FunctionDef) -> bool:
    """``def f(...): ...``: the learner's blank, which the solution cell redefines."""
    (first, *rest) = node.body
    return not rest and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and first.value.value is Ellipsis


@functools.cache
def _namespace(chapter: str) -> dict:
    (path,) = SOURCES.glob(f"{chapter}_*.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": f"chapter_{chapter}"}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            try:
                _run([node], path, namespace)
            except ImportError:
                continue  # an optional library (Optuna on Colab's stack), which no worked solution uses
    _run([node for node in tree.body if isinstance(node, ast.FunctionDef) and not _is_stub(node)], path, namespace)
    return namespace


def _run(nodes: list[ast.stmt], path: Path, namespace: dict) -> None:
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(path), "exec"), namespace)  # noqa: S102


def solution(chapter: str, name: str):
    """The function ``name`` as chapter ``chapter`` ("05") defines it in its solution cell."""
    namespace = _namespace(chapter)
    if name not in namespace:
        raise LookupError(f"chapter {chapter} defines no function {name!r} outside its stubs")
    return namespace[name]
