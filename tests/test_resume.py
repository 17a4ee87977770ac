"""Resume: a search killed with SIGKILL and run again with the same journal.

With one worker the resumed search gives exactly the trial sequence of a search that was never
interrupted (reference: that uninterrupted run). With two workers the order of results depends on
timing, so the reference is the journal itself: every trial that finished before the kill is kept
with its value, none is run twice, and the trials that were running at the kill run again first.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hpo_lessons as hl

sys.path.insert(0, str(Path(__file__).parent))
from resume_search import Paused, make, objective  # noqa: E402

N_TRIALS = 14
WORKER = Path(__file__).parent / "resume_search.py"


def journal_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text().split("\n")[1:-1]  # header, and a possibly torn last line, left out
    return [json.loads(line) for line in lines if line.strip()]


def tells(path: Path) -> int:
    return sum(e["event"] == "tell" for e in journal_events(path))


def kill_midway(method: str, journal: Path, n_workers: int, executor: str = "threads") -> list[dict]:
    """Start the search in its own process, SIGKILL it halfway, return the journal's events then.

    The search and any worker processes it started are killed together (its process group), as
    a machine that goes down or a job scheduler's kill would end them."""
    worker = subprocess.Popen([sys.executable, str(WORKER), method, str(journal), str(N_TRIALS), "0.15",
                               str(n_workers), executor],
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}, start_new_session=True)
    deadline = time.monotonic() + 120
    while tells(journal) < N_TRIALS // 2 and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(worker.pid, signal.SIGKILL)  # mid-search, most likely mid-trial
    worker.wait()
    events = journal_events(journal)
    assert 0 < sum(e["event"] == "tell" for e in events) < N_TRIALS, "the search must be killed in the middle"
    return events


@pytest.mark.slow
@pytest.mark.parametrize("method", ["grid", "random", "bayes", "genetic", "kt-random", "kt-bayesian", "optuna-tpe"])
def test_search_killed_with_sigkill_resumes_to_the_uninterrupted_sequence(tmp_path, method):
    if method.startswith(("kt-", "optuna-")):
        pytest.importorskip("keras_tuner" if method.startswith("kt-") else "optuna")
    straight = hl.run(objective, make(method), n_trials=N_TRIALS, progress=False)
    journal = tmp_path / "search.jsonl"
    kill_midway(method, journal, n_workers=1)

    resumed = hl.run(objective, make(method), n_trials=N_TRIALS, journal=journal, progress=False)
    assert [t.number for t in resumed] == list(range(N_TRIALS))  # none lost, none run twice
    assert [t.params for t in resumed] == [t.params for t in straight]
    assert [t.value for t in resumed] == [t.value for t in straight]
    assert [t.params for t in hl.History.load(journal)] == [t.params for t in straight]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["random", "bayes", "genetic"])
def test_two_worker_search_killed_with_sigkill_keeps_every_finished_trial_and_reruns_the_running_ones(
        tmp_path, method):
    journal = tmp_path / "search.jsonl"
    before = kill_midway(method, journal, n_workers=2)
    finished = {e["id"]: e for e in before if e["event"] == "tell"}
    running = [e["id"] for e in before if e["event"] == "ask" and e["id"] not in finished]
    assert running, "two workers keep a trial in flight at almost every instant; the kill must catch one"

    calls = []
    resumed = hl.run(lambda p: calls.append(p) or objective(p), make(method), n_trials=N_TRIALS, journal=journal,
                     progress=False, n_workers=2)
    assert len(resumed) == N_TRIALS and len({t.id for t in resumed}) == N_TRIALS  # none run twice
    kept = {t.id: t for t in resumed}
    for trial_id, event in finished.items():  # none lost, values as they were
        assert kept[trial_id].params == event["params"] and kept[trial_id].value == event["value"]
    rerun = [t for t in resumed[len(finished):] if t.id in running]
    assert sorted(t.id for t in rerun) == sorted(running)
    assert calls[:len(running)] == [kept[i].params for i in running]  # started again first, in ask order
    assert len(calls) == N_TRIALS - len(finished)
    after = journal_events(journal)
    assert sorted(e["id"] for e in after if e["event"] == "tell") == sorted(kept)  # each id told exactly once


@pytest.mark.slow
def test_two_worker_process_pool_search_killed_with_sigkill_keeps_every_finished_trial(tmp_path):
    """The same guarantee with trials in spawned worker processes (executor="processes"), killed
    with the search. Reference: the journal at the kill, and the journal after the resume, which
    shows each trial told once and the trials that were running started first (by their start times)."""
    journal = tmp_path / "search.jsonl"
    before = kill_midway("random", journal, n_workers=2, executor="processes")
    finished = {e["id"]: e for e in before if e["event"] == "tell"}
    running = [e["id"] for e in before if e["event"] == "ask" and e["id"] not in finished]
    assert running, "two workers keep a trial in flight at almost every instant; the kill must catch one"

    resumed = hl.run(Paused(0.15), make("random"), n_trials=N_TRIALS, journal=journal, progress=False,
                     n_workers=2, executor="processes")
    assert len(resumed) == N_TRIALS and len({t.id for t in resumed}) == N_TRIALS  # none run twice
    kept = {t.id: t for t in resumed}
    for trial_id, event in finished.items():  # none lost, values as they were
        assert kept[trial_id].params == event["params"] and kept[trial_id].value == event["value"]
    new = sorted(resumed[len(finished):], key=lambda t: t.start)
    # started again in the first wave: two processes start their first trials together, in either order
    assert set(running) <= {t.id for t in new[:2]}
    assert all(t.ok and t.value == objective(t.params) for t in new)
    assert int(new[0].worker.split("/")[1]) != os.getpid()  # in worker processes, not here
    after = journal_events(journal)
    assert sorted(e["id"] for e in after if e["event"] == "tell") == sorted(kept)  # each id told exactly once
