"""The shared argument checks, and that no module grows its own copy of them again.

Reference: Python itself, where ``True`` is an ``int`` (so a plain ``isinstance`` check takes
``n_trials=True`` for one trial), and numpy, whose scalars are registered as ``numbers.Integral``
and ``numbers.Real``.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import hpo_lessons as hl
from hpo_lessons.core import checks

PACKAGE = Path(hl.__file__).parent

# ``isinstance(x, bool) or not isinstance(x, ...)``, ``isinstance(x, ...) and not isinstance(x, bool)`` and the
# like, across a line break too: the test a bool must fail, written out again instead of calling checks.py.
_BOOL = r"isinstance\(\s*[^(),]+,\s*bool\s*\)"
_ANY = r"isinstance\(\s*[^(),]+,\s*(?:\([^()]*\)|[\w.]+)\s*\)"
IDIOM = re.compile(rf"{_BOOL}[\s\\]*(?:or|and)[\s\\]+(?:not\s+)?isinstance|{_ANY}[\s\\]*(?:or|and)[\s\\]+not\s+{_BOOL}"
                   r"|type\([^()]*\)\s+is\s+(?:not\s+)?bool")


def copies_of_the_idiom(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() in ("checks.py", "core/checks.py"):
            continue
        for match in IDIOM.finditer(path.read_text(encoding="utf-8")):
            line = path.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
            found.append(f"{path.relative_to(root.parent)}:{line}")
    return found


def test_no_module_repeats_the_bool_or_not_int_check():
    """Every whole-number and number check goes through hpo_lessons.core.checks (is_int, is_number,
    check_int, check_number), so a fix there holds everywhere."""
    assert copies_of_the_idiom(PACKAGE) == []


def test_the_search_for_copies_finds_each_way_of_writing_it(tmp_path):
    """The test above can fail: each variant, in a module of its own, is found."""
    variants = ["isinstance(n, bool) or not isinstance(n, int)",
                "isinstance(v, (int, np.integer)) and not isinstance(v, bool)",
                "isinstance(x, bool) or \\\n        not isinstance(x, Real)",
                "type(n) is bool"]
    for i, variant in enumerate(variants):
        (tmp_path / f"m{i}.py").write_text(f"def f(n, v, x):\n    return {variant}\n")
    (tmp_path / "fine.py").write_text("def f(flag, xs):\n    return isinstance(flag, bool) and all("
                                      "isinstance(x, bool) for x in xs)\n")
    assert [hit.split("/")[-1] for hit in copies_of_the_idiom(tmp_path)] == [f"m{i}.py:2" for i in range(4)]


@pytest.mark.parametrize("value, whole, number", [
    (3, True, True), (np.int64(3), True, True), (3.0, False, True), (np.float32(0.5), False, True),
    (True, False, False), (np.bool_(True), False, False), ("3", False, False), (None, False, False),
])
def test_is_int_and_is_number_refuse_bools_and_take_numpy_scalars(value, whole, number):
    assert checks.is_int(value) is whole
    assert checks.is_number(value) is number


def test_check_int_and_check_number_name_the_parameter():
    assert checks.check_int("eta", np.int64(3), 2) == 3
    with pytest.raises(ValueError, match=r"eta must be an int >= 2 \(keeps the best 1/eta\), got True"):
        checks.check_int("eta", True, 2, why="keeps the best 1/eta")
    with pytest.raises(ValueError, match=r"population_size must be an int between 2 and 9, got 10"):
        checks.check_int("population_size", 10, 2, 9)
    with pytest.raises(ValueError, match=r"xi must be a finite number >= 0, got inf"):
        checks.check_number("xi", float("inf"))


def test_run_refuses_a_bool_where_it_counts_trials_or_workers():
    opt = hl.RandomSearch(hl.Space(x=hl.Real(0.0, 1.0)), seed=0)
    with pytest.raises(ValueError, match="n_trials must be a positive int"):
        hl.run(lambda p: p["x"], opt, n_trials=True, progress=False)
    with pytest.raises(ValueError, match="n_workers must be an int >= 1"):
        hl.run(lambda p: p["x"], opt, n_trials=2, n_workers=True, progress=False)
