"""Resume: a search killed with SIGKILL and run again with the same journal gives exactly the
trial sequence of a search that was never interrupted (reference: that uninterrupted run)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hpo_lessons as hl

sys.path.insert(0, str(Path(__file__).parent))
from resume_search import make, objective  # noqa: E402

N_TRIALS = 14
WORKER = Path(__file__).parent / "resume_search.py"


def trial_lines(path: Path) -> int:
    return max(0, len(path.read_text().splitlines()) - 1) if path.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("method", ["grid", "random", "bayes", "genetic"])
def test_search_killed_with_sigkill_resumes_to_the_uninterrupted_sequence(tmp_path, method):
    straight = hl.run(objective, make(method), n_trials=N_TRIALS, progress=False)

    journal = tmp_path / "search.jsonl"
    worker = subprocess.Popen([sys.executable, str(WORKER), method, str(journal), str(N_TRIALS), "0.15"],
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    deadline = time.monotonic() + 120
    while trial_lines(journal) < N_TRIALS // 2 and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)  # mid-search, most likely mid-trial
    worker.wait()
    done_before_kill = trial_lines(journal)
    assert 0 < done_before_kill < N_TRIALS, "the worker must be killed in the middle of the search"

    resumed = hl.run(objective, make(method), n_trials=N_TRIALS, journal=journal, progress=False)
    assert [t.number for t in resumed] == list(range(N_TRIALS))  # none lost, none run twice
    assert [t.params for t in resumed] == [t.params for t in straight]
    assert [t.value for t in resumed] == [t.value for t in straight]
    assert [t.params for t in hl.History.load(journal)] == [t.params for t in straight]
