"""The journal as the search's event log: its lock, its errors, and resuming from it."""

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import hpo_lessons as hl
from hpo_lessons import Categorical, Integer, RandomSearch, Real, Space

ROOT = Path(__file__).resolve().parents[1]


def space():
    return Space(x=Real(-2.0, 2.0), n=Integer(1, 5), kind=Categorical(["a", "b"]))


def objective(p):
    return (p["x"] - 0.5) ** 2 + p["n"] + (p["kind"] == "b")


def events(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()[1:]]


def test_a_second_live_search_on_the_same_journal_is_refused_and_loses_nothing(tmp_path):
    """Reference: the first search's own history; the second one, started from inside the first, gets
    JournalInUse naming the path, and every trial the first search ran is in the file afterwards."""
    path = tmp_path / "search.jsonl"
    refused = []

    def open_a_second_one(history, trial):
        if trial.number == 2:
            with pytest.raises(hl.JournalInUse, match="search.jsonl.*in use by another live search"):
                hl.run(objective, RandomSearch(space(), seed=0), n_trials=5, journal=path, progress=False)
            refused.append(True)

    first = hl.run(objective, RandomSearch(space(), seed=0), n_trials=6, journal=path, progress=False,
                   callbacks=[open_a_second_one])
    assert refused == [True]
    assert [t.params for t in hl.History.load(path)] == [t.params for t in first]
    assert [e["event"] for e in events(path)] == ["ask", "tell"] * 6


def test_a_search_in_another_process_is_refused_by_run_with_a_message_naming_the_journal(tmp_path):
    """Reference: a second process running hl.run on the journal while this one holds it; its error
    names the path, and this search then finishes with every trial in the file."""
    path = tmp_path / "search.jsonl"
    second = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import hpo_lessons as hl
        space = hl.Space(x=hl.Real(-2.0, 2.0), n=hl.Integer(1, 5), kind=hl.Categorical(["a", "b"]))
        try:
            hl.run(lambda p: 0.0, hl.RandomSearch(space, seed=0), n_trials=5, journal={str(path)!r},
                   progress=False)
        except hl.JournalInUse as exc:
            print("refused:", exc)
    """)
    said = []

    def start_a_second_process(history, trial):
        if trial.number == 1:
            done = subprocess.run([sys.executable, "-c", second], capture_output=True, text=True, timeout=120)
            said.append(done.stdout + done.stderr)

    first = hl.run(objective, RandomSearch(space(), seed=0), n_trials=4, journal=path, progress=False,
                   callbacks=[start_a_second_process])
    assert said and said[0].startswith("refused:"), said
    assert str(path) in said[0] and "in use by another live search" in said[0]
    assert [t.params for t in hl.History.load(path)] == [t.params for t in first]
    assert [e["event"] for e in events(path)] == ["ask", "tell"] * 4


def test_the_lock_of_a_killed_process_does_not_outlive_it(tmp_path):
    """Reference: the operating system releases a dead process's lock, so the next search opens the journal."""
    path = tmp_path / "search.jsonl"
    holder = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from hpo_lessons.core.journal import Journal
        from hpo_lessons import Space, Real
        Journal({str(path)!r}, Space(x=Real(-2.0, 2.0)), "minimize")
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        from hpo_lessons.core.journal import Journal

        with pytest.raises(hl.JournalInUse):
            Journal(path, Space(x=Real(-2.0, 2.0)), "minimize")
    finally:
        proc.kill()
        proc.wait()
    Journal(path, Space(x=Real(-2.0, 2.0)), "minimize").close()  # free again


def test_a_corrupt_line_in_the_middle_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "search.jsonl"
    hl.run(objective, RandomSearch(space(), seed=0), n_trials=3, journal=path, progress=False)
    lines = path.read_text().splitlines(keepends=True)
    lines[3] = '{"event": "ask", "id": 1, "par\n'  # line 4 of the file, followed by more lines
    path.write_text("".join(lines))
    with pytest.raises(ValueError, match=r"search.jsonl, line 4: not valid JSON"):
        hl.run(objective, RandomSearch(space(), seed=0), n_trials=5, journal=path, progress=False)
    with pytest.raises(ValueError, match="line 4"):
        hl.History.load(path)


@pytest.mark.parametrize("line", [
    "42", "[1, 2]", '"ask"', "null", '{"foo": 1}', '{"event": "tell", "id": 0}', '{"event": "ask", "id": 1}',
    '{"event": "stop"}', '{"event": "ask", "id": "one", "params": {}, "budget": null}',
    '{"event": "tell", "number": 0, "params": [1], "value": 1.0}',
    '{"event": "tell", "number": 0, "params": {}, "value": 1.0, "colour": "red"}',
])
@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_json_line_that_is_not_an_event_is_an_error_naming_its_line(tmp_path, line, where):
    """Reference: the corrupt-JSON rule above. A line that parses but is not an ask or a tell of the
    journal's shape is just as corrupt; a whole last line (ended by its newline) was not torn by a
    crash, so it is an error too. Both the resume and History.load say which line."""
    path = tmp_path / "search.jsonl"
    hl.run(objective, RandomSearch(space(), seed=0), n_trials=3, journal=path, progress=False)
    lines = path.read_text().splitlines(keepends=True)
    number = 4 if where == "middle" else len(lines) + 1
    lines.insert(number - 1, line + "\n")
    path.write_text("".join(lines))
    for attempt in (lambda: hl.run(objective, RandomSearch(space(), seed=0), n_trials=5, journal=path,
                                   progress=False),
                    lambda: hl.History.load(path)):
        with pytest.raises(ValueError, match=rf"search.jsonl, line {number}: .*the journal is corrupt there"):
            attempt()


def test_a_torn_last_line_of_any_shape_is_still_ignored_with_a_warning(tmp_path):
    """Reference: the torn-line rule, which is about a line cut short by a crash (no newline at its end)."""
    path = tmp_path / "search.jsonl"
    first = hl.run(objective, RandomSearch(space(), seed=0), n_trials=3, journal=path, progress=False)
    with open(path, "a") as f:
        f.write('{"foo": 1}')  # parses, but has no newline: it was being written
    with pytest.warns(UserWarning, match="truncated last line"):
        loaded = hl.History.load(path)
    assert [t.params for t in loaded] == [t.params for t in first]


def test_a_directory_or_an_unwritable_path_fails_before_any_trial(tmp_path):
    calls = []
    count = lambda p: calls.append(p) or 0.0
    with pytest.raises(ValueError, match=r"is a directory; give a file path"):
        hl.run(count, RandomSearch(space(), seed=0), n_trials=3, journal=tmp_path, progress=False)
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        with pytest.raises(ValueError, match=r"cannot be opened for writing"):
            hl.run(count, RandomSearch(space(), seed=0), n_trials=3, journal=locked / "s.jsonl", progress=False)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ValueError, match=r"cannot be opened for writing"):
        hl.run(count, RandomSearch(space(), seed=0), n_trials=3, journal=blocker / "s.jsonl", progress=False)
    assert calls == []


def test_resuming_with_no_more_trials_than_the_journal_holds_replays_it_and_says_so(tmp_path):
    path = tmp_path / "search.jsonl"
    first = hl.run(objective, RandomSearch(space(), seed=0), n_trials=6, journal=path, progress=False)
    calls = []
    counting = lambda p: calls.append(p) or objective(p)
    for n in (6, 4):
        with pytest.warns(UserWarning, match=rf"already holds 6 trials \(n_trials={n}\).*nothing new"):
            again = hl.run(counting, RandomSearch(space(), seed=0), n_trials=n, journal=path, progress=False)
        assert [t.params for t in again] == [t.params for t in first]
    assert calls == [] and len(events(path)) == 12


def test_consecutive_failures_carry_across_a_resume(tmp_path):
    """Two failures before the stop and one after make three in a row: the limit of three is reached."""
    path = tmp_path / "search.jsonl"
    failing = lambda p: None
    with pytest.raises(hl.TooManyFailures):
        hl.run(lambda p: 1.0 if len(hl.History.load(path)) < 2 else None, RandomSearch(space(), seed=0),
               n_trials=4, journal=path, progress=False, max_consecutive_failures=2)
    assert [t.ok for t in hl.History.load(path)] == [True, True, False, False]
    with pytest.raises(hl.TooManyFailures, match="3 trials failed in a row") as info:
        hl.run(failing, RandomSearch(space(), seed=0), n_trials=10, journal=path, progress=False,
               max_consecutive_failures=3)
    assert len(info.value.history) == 5  # 4 replayed, and one more failure is the third in a row


def test_history_save_and_load_keep_the_method_name_budgets_and_ids(tmp_path):
    history = hl.History([hl.Trial(0, {"x": 1.0}, 2.0, id=3, budget=9), hl.Trial(1, {"x": 0.5}, 1.0, id=1, budget=3)],
                         space=Space(x=Real(0.0, 2.0)), name="Hyperband")
    history.save(tmp_path / "h.jsonl")
    loaded = hl.History.load(tmp_path / "h.jsonl")
    assert loaded.name == "Hyperband" and [t.id for t in loaded] == [3, 1] and [t.budget for t in loaded] == [9, 3]
    assert loaded.best.id == 3  # the best at the largest budget, not the lower value at budget 3
    assert loaded.budget_spent == 12


def test_a_version_1_journal_still_loads_and_resumes(tmp_path):
    """Journals written before the event log (one line per finished trial) read as ask/tell pairs."""
    path = tmp_path / "old.jsonl"
    straight = hl.run(objective, RandomSearch(space(), seed=4), n_trials=5, progress=False)
    head = {"journal": "hpo-lessons", "version": 1, "direction": "minimize", "space": space().to_dict()}
    rows = [{"number": t.number, "params": t.params, "value": t.value, "status": t.status, "error": None,
             "start": 0.0, "duration": 0.0, "extras": {}} for t in straight[:3]]
    path.write_text("".join(json.dumps(r) + "\n" for r in [head, *rows]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resumed = hl.run(objective, RandomSearch(space(), seed=4), n_trials=5, journal=path, progress=False)
    assert [t.params for t in resumed] == [t.params for t in straight]
