"""The simulated clock (``hl.Simulated``): ``timeout`` counts simulated seconds, and an objective that
reports no seconds is refused with a message that names the fix.

Reference: a hand-played schedule. Every trial of ``Fixed(seconds)`` lasts exactly ``seconds``
simulated seconds, so with ``w`` workers trials start in waves at 0, s, 2s, ...; ``run`` starts
no new trial once the clock has passed ``timeout`` and keeps the trials already running.
"""


import pytest

import hpo_lessons as hl

SPACE = hl.Space(x=hl.Real(0, 1))


class Fixed:
    """Each trial takes ``seconds`` simulated seconds (reported under ``key``) and no wall time."""

    def __init__(self, seconds, key="seconds"):
        self.seconds, self.key = seconds, key

    def __call__(self, params):
        return {"value": params["x"], self.key: self.seconds}


@pytest.mark.parametrize("n_workers, expected", [(1, 4), (2, 8)])
def test_timeout_counts_simulated_seconds(n_workers, expected):
    """10 s trials and timeout=35: waves start at 0, 10, 20, 30 (all before 35), none at 40."""
    history = hl.run(Fixed(10.0), hl.RandomSearch(SPACE, seed=0), timeout=35, n_workers=n_workers,
                     executor=hl.Simulated(), progress=False)
    assert len(history) == expected
    assert sorted(t.start for t in history) == pytest.approx(sorted([0, 10, 20, 30] * n_workers))
    assert max(t.start + t.duration for t in history) == pytest.approx(40.0)  # the last wave finished
    assert all(t.duration == 10.0 for t in history)  # the simulated seconds, not the microseconds the calls took


def test_timeout_is_not_wall_time():
    """Trials of a simulated hour and timeout=1: the first wave starts at 0 and takes an hour on the
    clock, so no second wave starts, although no real second has passed."""
    history = hl.run(Fixed(3600.0), hl.RandomSearch(SPACE, seed=1), timeout=1, n_workers=3,
                     executor=hl.Simulated(), progress=False)
    assert len(history) == 3 and {t.start for t in history} == {0.0}  # one wave, started at 0
    assert {t.worker for t in history} == {"sim-0", "sim-1", "sim-2"}
    assert all(t.duration == 3600.0 for t in history)


def test_a_custom_key_holds_the_seconds():
    history = hl.run(Fixed(2.5, key="train_s"), hl.RandomSearch(SPACE, seed=2), n_trials=4,
                     executor=hl.Simulated(key="train_s"), progress=False)
    assert [t.start for t in history] == pytest.approx([0.0, 2.5, 5.0, 7.5])


@pytest.mark.parametrize("objective", [lambda p: {"value": p["x"]}, lambda p: p["x"],
                                       lambda p: {"value": p["x"], "seconds": "3"}])
def test_an_objective_without_seconds_is_refused_with_the_fix(objective):
    with pytest.raises(ValueError, match=r"Simulated\(\) needs the objective to return 'seconds' \(the trial's "
                                         r"seconds\) with its value"):
        hl.run(objective, hl.RandomSearch(SPACE, seed=0), n_trials=3, executor=hl.Simulated(), progress=False)


def test_the_message_names_the_key_asked_for_and_the_extras_given():
    with pytest.raises(ValueError, match=r"return 'train_s'.*returned extras \['seconds'\]"):
        hl.run(Fixed(1.0), hl.RandomSearch(SPACE, seed=0), n_trials=2, executor=hl.Simulated(key="train_s"),
               progress=False)


def test_a_failed_trial_needs_no_seconds():
    """A training that raised has nothing to report; it takes no simulated time and the search goes on."""
    def objective(params):
        if params["x"] < 0.5:
            raise FloatingPointError("diverged")
        return {"value": params["x"], "seconds": 1.0}

    history = hl.run(objective, hl.RandomSearch(SPACE, seed=0), n_trials=6, executor=hl.Simulated(),
                     progress=False)
    failed = [t for t in history if t not in history.completed]
    assert failed and all(t.duration == 0.0 for t in failed) and len(history) == 6
