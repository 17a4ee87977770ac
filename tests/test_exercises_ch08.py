"""Chapter 8's exercise checks accept the worked solutions and reject wrong answers."""

import numpy as np
import pytest

from hpo_lessons.exercises.ch08 import check_median_final_regret, check_pareto_mask


def solution_median_final_regret(df):
    last = df.sort_values("trial").groupby(["method", "seed"]).tail(1)
    return last.groupby("method")["regret"].median()


def solution_pareto_mask(costs):
    costs = np.asarray(costs, dtype=float)
    return np.array([not any((o <= c).all() and (o < c).any() for o in costs) for c in costs])


def test_checks_accept_the_solutions(capsys):
    check_median_final_regret(solution_median_final_regret)
    check_pareto_mask(solution_pareto_mask)
    assert capsys.readouterr().out.count("Correct") == 2


def test_median_check_rejects_the_mean_and_the_first_trial():
    with pytest.raises(AssertionError, match="last"):
        check_median_final_regret(lambda df: df.groupby("method")["regret"].median())  # every trial, not the last
    with pytest.raises(AssertionError, match="Series"):
        check_median_final_regret(lambda df: solution_median_final_regret(df).to_dict())


def test_pareto_check_rejects_a_mask_that_lets_equal_rows_dominate():
    def too_strict(costs):
        return np.array([not any((o <= c).all() for j, o in enumerate(costs) if j != i) for i, c in enumerate(costs)])

    with pytest.raises(AssertionError, match="equal rows do not dominate"):
        check_pareto_mask(too_strict)
