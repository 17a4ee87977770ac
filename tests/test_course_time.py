"""The course's length is on record: ``tools/build_course.py`` writes each chapter's build time
to ``notebooks/build_times.json``, and the quick profile must stay within 15 minutes on a
2-core machine (the target the course is sized for)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT / "notebooks" / "build_times.json"
SOURCES = sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py"))


def test_every_chapter_has_a_recorded_quick_build():
    times = json.loads(TIMES.read_text())
    assert sorted(times) == SOURCES, "rebuild the chapters missing from notebooks/build_times.json: make course"
    assert {t["profile"] for t in times.values()} == {"quick"}


def test_the_quick_course_runs_in_at_most_15_minutes():
    total = sum(t["seconds"] for t in json.loads(TIMES.read_text()).values())
    assert total <= 15 * 60, f"the quick course took {total:.0f} s; trim a chapter's budget in the profile"
