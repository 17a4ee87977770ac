"""Rebuild the course: each text source in notebooks/src becomes an executed notebook.

Every stored output comes from one real top-to-bottom run in a fresh kernel. Usage:

    HPO_LESSONS_PROFILE=quick python tools/build_course.py            # every chapter
    HPO_LESSONS_PROFILE=quick python tools/build_course.py 04 05      # chapters whose name starts so
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks" / "src"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
TIMES = ROOT / "notebooks" / "build_times.json"  # each chapter's last build, so the course's length is on record


def build(source: Path, timeout: int = 1200) -> float:
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata.pop("jupytext", None)  # the .ipynb stands alone for learners
    start = time.perf_counter()
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    seconds = time.perf_counter() - start
    nbformat.write(notebook, ROOT / "notebooks" / f"{source.stem}.ipynb")
    return seconds


def record(stem: str, seconds: float) -> None:
    """Keep ``stem``'s build time with what it ran on (cores, load), beside the other chapters'."""
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    times[stem] = {"seconds": round(seconds, 1), "built": time.strftime("%Y-%m-%d"),
                   "profile": os.environ.get("HPO_LESSONS_PROFILE", "by hardware"), "cpus": os.cpu_count(),
                   "load_1min": round(os.getloadavg()[0], 1), "python": platform.python_version()}
    TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=1) + "\n")


def main(prefixes: list[str]) -> None:
    sources = sorted(p for p in SOURCES.glob("*.py") if not prefixes or p.stem.startswith(tuple(prefixes)))
    if not sources:
        sys.exit(f"no notebook source matches {prefixes} in {SOURCES}")
    total = 0.0
    for source in sources:
        seconds = build(source)
        record(source.stem, seconds)
        total += seconds
        print(f"{source.stem:32s} {seconds:7.1f} s", flush=True)
    print(f"{'total':32s} {total:7.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
