"""Chapter 10 exercise checks accept the worked solutions and reject typical wrong answers.
References: ``plots.timeline.utilisation`` on the same intervals, a brute-force count of the trials
running at each start, and the same trials played out on ``hl.Simulated()`` workers."""

import heapq

import pytest

from hpo_lessons.exercises import ch10


def utilisation_of(intervals, n_workers):
    first = min(s for s, _ in intervals)
    last = max(s + d for s, d in intervals)
    return sum(d for _, d in intervals) / (n_workers * (last - first))


def max_in_flight(intervals):
    events = sorted([(s, 1) for s, _ in intervals] + [(s + d, -1) for s, d in intervals])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def async_wall_time(durations, n_workers):
    free = [0.0] * n_workers
    for d in durations:
        heapq.heappush(free, heapq.heappop(free) + d)
    return max(free)


def test_utilisation_accepts_the_solution(capsys):
    ch10.check_utilisation(utilisation_of)
    assert "Right" in capsys.readouterr().out


def test_utilisation_rejects_forgetting_the_workers():
    with pytest.raises(AssertionError, match="between 0 and 1"):
        ch10.check_utilisation(lambda iv, n: utilisation_of(iv, 1))


def test_utilisation_rejects_a_wall_time_from_zero():
    def from_zero(intervals, n_workers):
        return sum(d for _, d in intervals) / (n_workers * max(s + d for s, d in intervals))

    with pytest.raises(AssertionError, match="from the first trial's start"):
        ch10.check_utilisation(from_zero)


def test_utilisation_rejects_the_stub():
    with pytest.raises(AssertionError, match="returned None"):
        ch10.check_utilisation(lambda iv, n: None)


def test_max_in_flight_accepts_the_solution(capsys):
    ch10.check_max_in_flight(max_in_flight)
    assert "Right" in capsys.readouterr().out


def test_max_in_flight_rejects_counting_back_to_back_trials_as_overlapping():
    def starts_first(intervals):
        events = sorted([(s, -1) for s, _ in intervals] + [(s + d, 1) for s, d in intervals])
        running = most = 0
        for _, step in events:  # -1 sorts first: starts before ends on a tie
            running -= step
            most = max(most, running)
        return most

    with pytest.raises(AssertionError, match="do not run at the same time"):
        ch10.check_max_in_flight(starts_first)


def test_max_in_flight_rejects_the_number_of_trials():
    with pytest.raises(AssertionError, match="most running at once"):
        ch10.check_max_in_flight(len)


def test_async_wall_time_accepts_the_solution(capsys):
    ch10.check_async_wall_time(async_wall_time)
    assert "Right" in capsys.readouterr().out


def test_async_wall_time_rejects_round_robin_workers():
    def round_robin(durations, n_workers):
        busy = [0.0] * n_workers
        for i, d in enumerate(durations):
            busy[i % n_workers] += d
        return max(busy)

    with pytest.raises(AssertionError, match="not to worker i % n"):
        ch10.check_async_wall_time(round_robin)


def test_async_wall_time_rejects_the_ideal_split():
    with pytest.raises(AssertionError, match="the last trial ends at"):
        ch10.check_async_wall_time(lambda durations, n: sum(durations) / n)


def test_the_solution_is_greedy_list_scheduling():
    """Graham's list scheduling, worked out by hand: a long first trial does not hold up the rest."""
    assert async_wall_time([5.0, 1.0, 1.0, 1.0, 1.0, 1.0], 2) == 5.0
    assert async_wall_time([3.0, 1.0, 1.0, 1.0, 1.0], 3) == 3.0
