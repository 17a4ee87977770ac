"""The timeline figure and its utilisation: one row per worker, one bar per trial, idle gaps hatched.

References: utilisation and idle gaps worked out by hand on histories whose intervals are
given; the simulated clock's own arithmetic (equal trials on equal workers keep them all busy).
"""

import matplotlib
import matplotlib.pyplot as plt
import pytest

import hpo_lessons as hl
from hpo_lessons import plots
from hpo_lessons.core.history import FAILED, History, Trial
from hpo_lessons.plots.timeline import idle_gaps, lanes, utilisation

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def trial(number, worker, start, duration, value=1.0, budget=None, status="complete"):
    return Trial(number, {"x": float(number)}, None if status == FAILED else value, status=status, start=start,
                 duration=duration, worker=worker, budget=budget)


@pytest.fixture
def two_workers():
    """Worker A: [10, 12] and [13, 15]; worker B: [10, 15]. Busy 9 s of 2 x 5 s: 90%."""
    return History([trial(0, "h/1/A", 10.0, 2.0, 0.5), trial(1, "h/1/B", 10.0, 5.0, 0.2),
                    trial(2, "h/1/A", 13.0, 2.0, 0.9)], direction="minimize")


def _bars(ax):
    return [p for p in ax.patches if p.get_hatch() != "///"]


def _idle(ax):
    return [p for p in ax.patches if p.get_hatch() == "///"]


def test_utilisation_and_idle_gaps_by_hand(two_workers):
    assert utilisation(two_workers) == pytest.approx(0.9)
    assert utilisation(two_workers, n_workers=3) == pytest.approx(9 / 15)  # a third worker that ran nothing
    assert idle_gaps(two_workers) == {"h/1/A": [(2.0, 1.0)], "h/1/B": []}
    assert list(lanes(two_workers)) == ["h/1/A", "h/1/B"]


def test_timeline_draws_a_bar_per_trial_on_its_workers_row(two_workers):
    fig = plots.timeline(two_workers)
    ax = fig.axes[0]
    bars = _bars(ax)
    assert len(bars) == 3
    spans = sorted((round(b.get_x(), 6), round(b.get_width(), 6), round(b.get_y() + b.get_height() / 2))
                   for b in bars)
    assert spans == [(0.0, 2.0, 0), (0.0, 5.0, 1), (3.0, 2.0, 0)]  # seconds from the first start; A on row 0
    assert [(round(p.get_x(), 6), round(p.get_width(), 6)) for p in _idle(ax)] == [(2.0, 1.0)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]  # only the part that differs
    assert ax.get_xlabel() == "time since the first trial started (s)" and ax.get_ylabel() == "worker"
    assert "busy 90%" in ax.get_title() and "2 workers" in ax.get_title()
    colorbar = fig.axes[1]
    assert "lower is better" in colorbar.get_ylabel()


def test_bright_means_good_whichever_the_direction(two_workers):
    for direction in ("minimize", "maximize"):
        history = History(two_workers.trials, direction=direction)
        bars = sorted(_bars(plots.timeline(history).axes[0]), key=lambda b: (b.get_y(), b.get_x()))
        best = 0.2 if direction == "minimize" else 0.9
        brightest = max(bars, key=lambda b: sum(b.get_facecolor()[:3]))
        index = {0.5: 0, 0.9: 1, 0.2: 2}[best]  # bars sorted: A@0 (0.5), A@3 (0.9), B@0 (0.2)
        assert brightest is bars[index]


def test_budget_colours_failed_trials_idle_workers_and_a_given_title():
    history = History([trial(0, "sim-0", 0.0, 1.0, budget=1), trial(1, "sim-1", 0.0, 3.0, budget=3),
                       trial(2, "sim-0", 1.0, 1.0, status=FAILED, budget=1)])
    fig = plots.timeline(history, color="budget", n_workers=3, title="my finding")
    ax = fig.axes[0]
    assert ax.get_title() == "my finding"
    assert fig.axes[1].get_ylabel() == "budget (epochs)"
    assert sum(b.get_hatch() == "xx" for b in ax.patches) == 1  # the failed trial
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "(idle worker 0)"
    assert [t.get_text() for t in ax.legend_.get_texts()] == ["idle", "failed trial"]
    idle_rows = sorted(round(p.get_y() + p.get_height() / 2) for p in _idle(ax))
    assert idle_rows == [0, 2]  # sim-0 idles after its 2 s, the third worker all the time


def test_row_labels_name_what_tells_workers_apart():
    def labels(workers):
        history = History([trial(i, w, float(i), 1.0) for i, w in enumerate(workers)])
        return [t.get_text() for t in plots.timeline(history).axes[0].get_yticklabels()]

    assert labels(["h/11/Dask-Thread-11", "h/12/Dask-Thread-12"]) == ["pid 11", "pid 12"]  # processes
    assert labels(["a/11/MainThread", "b/11/MainThread"]) == ["a / pid 11", "b / pid 11"]  # machines
    assert labels(["h/5/trial_0", "h/5/trial_1", "h/6/trial_0"]) == ["pid 5 / trial_0", "pid 5 / trial_1",
                                                                      "pid 6 / trial_0"]


def test_bad_input_is_refused_naming_the_fix(two_workers):
    with pytest.raises(ValueError, match="color='speed' is unknown"):
        plots.timeline(two_workers, color="speed")
    with pytest.raises(ValueError, match="needs trials with a budget"):
        plots.timeline(two_workers, color="budget")
    with pytest.raises(ValueError, match="n_workers must be an int at least the 2 workers"):
        utilisation(two_workers, n_workers=1)
    with pytest.raises(ValueError, match="no trial"):
        plots.timeline(History())


def test_equal_trials_on_a_simulated_clock_keep_every_worker_busy():
    """16 one-second trials on 4 simulated workers: 4 rounds, wall 4 s, utilisation exactly 1."""
    space = hl.Space(x=hl.Real(0.0, 1.0))
    history = hl.run(lambda p: {"value": p["x"], "seconds": 1.0}, hl.RandomSearch(space, seed=0), n_trials=16,
                     n_workers=4, executor=hl.Simulated(), progress=False)
    assert utilisation(history) == 1.0
    assert all(gaps == [] for gaps in idle_gaps(history).values())
    fig = plots.timeline(history)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["sim-0", "sim-1", "sim-2", "sim-3"]
    assert "busy 100% of 4 s" in fig.axes[0].get_title()
