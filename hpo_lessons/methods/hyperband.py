"""Hyperband: successive halving hedged over how aggressively to stop (Li et al., 2018, Algorithm 1).

Successive halving has to guess how many configurations to start: many at a small budget
(bold: an early ranking may be wrong when learning curves cross) or few at a large one
(safe, but few tried). Hyperband does not guess; one *iteration* runs every bracket
``s = s_max, ..., 0`` of Algorithm 1, with ``R = max_budget / min_budget``,
``s_max = floor(log_eta(R))`` and ``B = (s_max + 1) R``::

    n = ceil(B / R * eta**s / (s + 1)),  r = R * eta**-s
    rung i = 0..s:  n_i = floor(n * eta**-i) configurations,  r_i = r * eta**i  (units of min_budget)

each bracket being successive halving. For R = 27, eta = 3 (the paper's Table 1 has R = 81)::

    s = 3: (27, 1) (9, 3) (3, 9) (1, 27)
    s = 2: (12, 3) (4, 9) (1, 27)
    s = 1: (6, 9) (2, 27)
    s = 0: (4, 27)

so one iteration evaluates 27, 21, 13 and 8 configurations at 1, 3, 9 and 27 epochs, about
the same budget (108, 99, 108, 108 epochs) per bracket. Iterations repeat until ``run``'s
budget ends. ``hyperband_schedule(R, eta)`` computes the table.
"""

from __future__ import annotations

from .successive_halving import SuccessiveHalving


class Hyperband(SuccessiveHalving):
    """Hyperband with the brackets of Li et al. (2018), Algorithm 1, in the paper's order; minimizes.

    Parameters
    ----------
    space, min_budget, max_budget, eta, searcher, seed, feedback : as for ``SuccessiveHalving``.
    overlap : False (default): one bracket at a time, each synchronous within its rungs, as the
        paper's Algorithm 1; with several workers those that finish a rung early wait
        (``ask()`` raises ``NotReady``). True: when the running brackets have nothing to hand
        out, the next bracket of the cycle starts, so workers never wait; brackets then finish
        out of order, and each still promotes the best of its own rungs.

    Budgets are ``min_budget * r_i`` in the objective's units (``budgets[s_max - s + i]``); with
    R a power of eta they are whole numbers. Ties, failures, the searcher's feedback and a
    searcher that runs out are handled as in ``SuccessiveHalving``. ``iteration`` is the number
    of the iteration under way, ``schedule`` the table above for these settings.

    >>> from hpo_lessons import Space, Real
    >>> hb = Hyperband(Space(x=Real(0, 1)), min_budget=1, max_budget=27, seed=0)
    >>> [[n for n, r in bracket] for bracket in hb.schedule]
    [[27, 9, 3, 1], [12, 4, 1], [6, 2], [4]]
    """

    def plan(self, number: int) -> list[tuple[int, int]]:
        """Bracket ``number``'s ``(n_i, level)`` per rung: brackets cycle through ``s = s_max..0``."""
        top = len(self.schedule) - 1
        rungs = self.schedule[number % len(self.schedule)]
        s = len(rungs) - 1
        return [(n, top - s + i) for i, (n, _) in enumerate(rungs)]

    @property
    def iteration(self) -> int:
        """The iteration the latest bracket belongs to (0 before the first ask)."""
        return max(0, len(self.brackets) - 1) // len(self.schedule)
