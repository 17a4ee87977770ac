"""Chapter 12 exercise checks accept the worked solutions and reject typical wrong answers.

References: ``PBT``'s own ranking and bottom quantile told the same values, Jaderberg et al.
(2017)'s perturbation (times 0.8 or 1.2), and the trials a ``PBT`` search asks for (inside the checks).
"""

import math

import numpy as np
import pytest
from solutions import solution

import hpo_lessons as hl
from hpo_lessons.benchmarks.quadratic import NoisyQuadratic
from hpo_lessons.exercises import ch12

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
truncate = solution("12", "truncate")
perturb = solution("12", "perturb")


ANSWER = {"trials": 32, "epochs_trained": 96, "budget_counted": 240}


def test_accepts_the_solutions(capsys):
    ch12.check_truncation(truncate)
    ch12.check_perturb(perturb)
    ch12.check_cost(ANSWER)
    assert capsys.readouterr().out.count("Right") == 3


def ceil_cut(values, quantile):
    ranked = sorted(range(len(values)), key=lambda k: (values[k] is None, values[k] or 0.0, k))
    cut = math.ceil(quantile * len(values))
    return sorted(ranked[len(ranked) - cut:]), sorted(ranked[:cut])


def truncate_ties_to_the_later(values, quantile):
    ranked = sorted(range(len(values)), key=lambda k: (values[k] is None, values[k] or 0.0, -k))
    cut = math.floor(quantile * len(values) + 1e-9)
    bottom = sorted(set(ranked[len(ranked) - cut:]) | {k for k in ranked if values[k] is None})
    return bottom, sorted(k for k in ranked[:cut] if values[k] is not None)


@pytest.mark.parametrize("wrong, hint", [
    (ceil_cut, "floor"),
    (lambda v, q: truncate([None if x is None else -x for x in v], q), "largest values"),
    (lambda v, q: (truncate(v, q)[0], sorted(sorted(range(len(v)), key=lambda k: (v[k] or 0.0, k))
                                             [:math.floor(q * len(v) + 1e-9)])), "failed member"),
    (lambda v, q: ([k for k in truncate(v, q)[0] if v[k] is not None or k == 0], truncate(v, q)[1]), "failure"),
    (lambda v, q: truncate_ties_to_the_later(v, q), "PBT gives"),
])
def test_truncation_rejects(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        ch12.check_truncation(wrong)


@pytest.mark.parametrize("wrong, hint", [
    (lambda v, lo, hi, rng: v + (-0.2, 0.2)[int(rng.integers(2))], "multiplies"),
    (lambda v, lo, hi, rng: v * (0.8, 1.2)[int(rng.integers(2))], "clip"),
    (lambda v, lo, hi, rng: min(max(v * 1.2, lo), hi), "at random"),
    (lambda v, lo, hi, rng: min(max(v * rng.uniform(0.8, 1.2), lo), hi), "allowed"),
])
def test_perturb_rejects(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        ch12.check_perturb(wrong)


@pytest.mark.parametrize("wrong, hint", [
    ({**ANSWER, "trials": 8}, "one trial per interval"),
    ({**ANSWER, "epochs_trained": 240}, "continues its parent"),
    ({**ANSWER, "budget_counted": 96}, "Count the budgets"),
    ({"trials": 32}, "keys"),
])
def test_cost_rejects(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        ch12.check_cost(wrong)


def test_the_cost_answer_is_what_a_search_runs():
    """The reference inside check_cost against a real search on the noisy quadratic model."""
    nqm = NoisyQuadratic(max_budget=12)
    history = hl.run(nqm, hl.PBT(nqm.space, population_size=8, interval=3, max_budget=12, seed=0), progress=False)
    assert len(history) == ANSWER["trials"] and history.budget_spent == ANSWER["budget_counted"]
    assert sum(t.extras["epochs_trained"] for t in history) == ANSWER["epochs_trained"]
    assert np.isfinite([t.value for t in history]).all()
