"""Chapter 9 exercise checks accept the worked solutions and reject typical wrong answers.

References: ``SuccessiveHalving`` promoting a rung it was told, Li et al. (2018)'s Table 1 and
``rungs.hyperband_schedule``, and ``ASHA.promotable`` on the same rung (inside the checks).
"""

import math

import pytest
from solutions import solution

from hpo_lessons.exercises import ch09

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
promote = solution("09", "promote")
brackets = solution("09", "brackets")
promotable = solution("09", "promotable")


def test_promote_accepts_the_solution(capsys):
    ch09.check_promote(promote)
    assert "Right" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", [
    (lambda v, eta: sorted((i for i, x in enumerate(v) if x is not None), key=lambda i: -v[i])[: len(v) // eta],
     "largest values"),
    (lambda v, eta: sorted((i for i, x in enumerate(v) if x is not None), key=lambda i: v[i])[: -(-len(v) // eta)],
     "floor"),
    (lambda v, eta: sorted(range(len(v)), key=lambda i: (v[i] if v[i] is not None else -1, i))[: len(v) // eta],
     "failed"),
    (lambda v, eta: sorted(promote(v, eta)), "wrong order"),
    (lambda v, eta: sorted((i for i, x in enumerate(v) if x is not None), key=lambda i: (v[i], -i))[: len(v) // eta],
     "came first"),
])
def test_promote_rejects_plausible_mistakes(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        ch09.check_promote(wrong)


def test_brackets_accepts_the_solution(capsys):
    ch09.check_hyperband_brackets(brackets)
    assert "Table 1" in capsys.readouterr().out


def test_brackets_rejects_the_floating_point_log_and_keras_tuners_ceil():
    def with_log(R, eta):
        s_max = math.floor(math.log(R, eta))
        return [[(math.ceil((s_max + 1) * eta**s / (s + 1)) // eta**i, R * eta ** (i - s)) for i in range(s + 1)]
                for s in range(s_max, -1, -1)]

    def kt_style(R, eta):
        return [[(math.ceil(b[0][0] / eta**i), r) for i, (_, r) in enumerate(b)] for b in brackets(R, eta)]

    with pytest.raises(AssertionError, match="floating point"):
        ch09.check_hyperband_brackets(with_log)
    with pytest.raises(AssertionError, match="Table 1|not ceil"):
        ch09.check_hyperband_brackets(kt_style)
    with pytest.raises(AssertionError, match="brackets"):
        ch09.check_hyperband_brackets(lambda R, eta: brackets(R, eta)[:-1])


def test_asha_promotion_accepts_the_solution(capsys):
    ch09.check_asha_promotion(promotable)
    assert "Right" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", [
    (lambda rung, promoted, eta: promotable(rung, promoted, 1) if len(rung) < eta else promotable(rung, promoted, eta),
     "nothing goes up yet"),
    (lambda rung, promoted, eta: min((c for c in rung if rung[c] is not None and c not in promoted),
                                     key=lambda c: rung[c], default=None), "top"),
    (lambda rung, promoted, eta: next((c for c in sorted(rung, key=lambda c: (rung[c] is None, rung[c] or 0, -c))
                                       [: len(rung) // eta] if c not in promoted), None), "ASHA promotes"),
    # waits for the rung to reach a multiple of eta: passes every rung of size 1, 3, 4 (eta 2) or 6, stalls ASHA
    (lambda rung, promoted, eta: None if len(rung) % eta else promotable(rung, promoted, eta), "stalls ASHA"),
    # ranks only the first eta * floor(n / eta) results: the latest ones wait for more to arrive
    (lambda rung, promoted, eta: promotable(dict(list(rung.items())[: len(rung) // eta * eta]), promoted, eta),
     "stalls ASHA"),
])
def test_asha_promotion_rejects_plausible_mistakes(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        ch09.check_asha_promotion(wrong)
