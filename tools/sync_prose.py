"""Copy edited prose from notebooks/src into the executed notebooks, without running them again.

A chapter whose markdown changed and whose code did not keeps the outputs of its last
top-to-bottom run: this copies each markdown cell's text into the stored notebook, and refuses
(exit 1, naming the chapter) when any code cell differs or the cells do not line up, since then
the outputs would no longer be the code's: rebuild that chapter with tools/build_course.py.

    python tools/sync_prose.py            # every chapter
    python tools/sync_prose.py 06 10      # chapters whose name starts so
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks" / "src"


def sync(source: Path, notebooks: Path = ROOT / "notebooks") -> int:
    """The number of markdown cells updated in ``source``'s notebook; SystemExit if its code changed."""
    path = notebooks / f"{source.stem}.ipynb"
    text, stored = jupytext.read(source), nbformat.read(path, as_version=4)
    kinds = lambda nb: [c.cell_type for c in nb.cells]
    if kinds(text) != kinds(stored):
        sys.exit(f"{source.stem}: cells were added, removed or changed type; rebuild it with tools/build_course.py")
    changed_code = [i for i, (a, b) in enumerate(zip(text.cells, stored.cells))
                    if a.cell_type == "code" and a.source != b.source]
    if changed_code:
        sys.exit(f"{source.stem}: code cells {changed_code} changed; rebuild it with tools/build_course.py")
    updated = 0
    for new, old in zip(text.cells, stored.cells):
        if new.cell_type == "markdown" and new.source != old.source:
            old.source = new.source
            updated += 1
    if updated:
        nbformat.write(stored, path)
    return updated


def main(prefixes: list[str]) -> None:
    sources = sorted(p for p in SOURCES.glob("*.py") if not prefixes or p.stem.startswith(tuple(prefixes)))
    if not sources:
        sys.exit(f"no notebook source matches {prefixes} in {SOURCES}")
    for source in sources:
        print(f"{source.stem:32s} {sync(source)} markdown cell(s) updated")


if __name__ == "__main__":
    main(sys.argv[1:])
