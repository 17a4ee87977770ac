"""The course's length is on record: ``tools/build_course.py`` writes each chapter's build time
to ``notebooks/build_times.json``, and the quick profile must stay within 15 minutes for the ten
chapters of the first course on a 2-core machine, plus 2 minutes for each chapter beyond them
(17 for eleven, 19 for twelve): the target the course is sized for."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT / "notebooks" / "build_times.json"
SOURCES = sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py"))
FIRST_COURSE = SOURCES[:10]  # chapters 1-10: the article's course and its first two chapters beyond it


def test_every_chapter_has_a_recorded_quick_build():
    times = json.loads(TIMES.read_text())
    assert sorted(times) == SOURCES, "rebuild the chapters missing from notebooks/build_times.json: make course"
    assert {t["profile"] for t in times.values()} == {"quick"}


def test_the_quick_course_runs_within_its_minutes():
    times = json.loads(TIMES.read_text())
    total, minutes = sum(t["seconds"] for t in times.values()), 15 + 2 * max(0, len(times) - 10)
    assert total <= minutes * 60, (f"the quick course ({len(times)} chapters) took {total:.0f} s, over {minutes} "
                                   "minutes; trim a chapter's budget in the profile")


def test_the_first_ten_chapters_run_within_fifteen_minutes():
    times = json.loads(TIMES.read_text())
    total = sum(times[name]["seconds"] for name in FIRST_COURSE)
    assert total <= 15 * 60, (f"the quick course's first ten chapters took {total:.0f} s, over 15 minutes; trim a "
                              "chapter's budget in the profile")
