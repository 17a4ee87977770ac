"""ASHA: asynchronous successive halving, which never waits for a rung to fill (Li et al., 2020, Algorithm 2).

Whenever a worker asks for a job, scan the rungs from the highest one down (below the top):
the first rung ``k`` holding a configuration that is in the top ``floor(|rung k| / eta)`` of
its results and was not promoted yet sends it up to rung ``k + 1``, at eta times the budget;
if no rung has one, a new configuration starts at the bottom rung. A rung's size ``|rung k|``
counts the results told so far, so early promotions are made on little evidence: some
configurations go up that synchronous successive halving would have stopped (the price of
never idling), and as a rung grows, a configuration that was not in its top 1/eta at first
may enter it later and still be promoted.

The early-stopping rate ``s`` of the paper is 0 here: the bottom rung is the smallest budget
(``rung_budgets``; with 1 to 27 epochs and eta = 3: 1, 3, 9, 27).
"""

from __future__ import annotations

from ..core.space import Space
from .base import Exhausted, NotReady, Suggestion
from .rungs import Config, MultiFidelity


class ASHA(MultiFidelity):
    """Asynchronous successive halving (ASHA, Li et al., 2020); minimizes.

    Parameters
    ----------
    space, min_budget, max_budget, eta, searcher, seed, feedback : as for ``SuccessiveHalving``.

    Every rung evaluation is its own trial; a promoted configuration comes back with the same
    params and eta times the budget. Ranks are by value, a failed trial last: it counts in its
    rung's size but is never promoted; ties go to the configuration the searcher proposed
    first. With the same asks and tells in the same order ASHA makes the same choices (that is
    what a journal replays), but unlike successive halving its choices depend on the order in
    which results arrive. ``ask()`` never raises ``NotReady`` while the searcher can propose;
    a finite searcher that ran out makes it wait for running trials (which may earn promotions),
    then raise ``Exhausted``. ``rungs[k]`` holds rung ``k``'s told results as
    ``{configuration number: value}`` in order of arrival; ``promoted[k]`` the numbers sent up.

    >>> from hpo_lessons import Space, Real
    >>> asha = ASHA(Space(x=Real(0, 1)), min_budget=1, max_budget=9, seed=0)
    >>> for _ in range(3):
    ...     s = asha.ask()
    ...     asha.tell(s, s.params["x"])
    >>> promoted = asha.ask()  # three results at budget 1: the best of them goes up to 3
    >>> promoted.budget, promoted.params["x"] == min(asha.y)
    (3, True)
    """

    def __init__(self, space: Space, min_budget: float, max_budget: float, eta: int = 3, searcher=None,
                 seed: int | None = None, feedback: str = "full"):
        super().__init__(space, min_budget, max_budget, eta, searcher, seed, feedback)
        self.rungs: list[dict[int, float | None]] = [{} for _ in self.budgets]
        self.promoted: list[set[int]] = [set() for _ in self.budgets]
        self._searcher_done = False

    def ask(self) -> Suggestion:
        for k in range(len(self.budgets) - 2, -1, -1):  # highest rung below the top first
            config = self.promotable(k)
            if config is not None:
                self.promoted[k].add(config.number)
                return self._hand_out(config, k + 1)
        try:
            config = None if self._searcher_done else self._new_config()
        except Exhausted:
            self._searcher_done, config = True, None
        if config is not None:
            return self._hand_out(config, 0)
        if self.pending:
            raise NotReady("the searcher has no new configuration now; waiting for running trials, which may "
                           "earn promotions.")
        raise Exhausted("the searcher has no configurations left and no rung has one to promote")

    def promotable(self, k: int) -> Config | None:
        """The best configuration in the top ``floor(|rung k| / eta)`` of rung ``k`` not promoted yet, or None."""
        results = [(self.configs[number], value) for number, value in self.rungs[k].items()]
        top = sorted(results, key=self._rank_key)[: len(results) // self.eta]
        return next((c for c, value in top if value is not None and c.number not in self.promoted[k]), None)

    def _record(self, config: Config, level: int, value, tag) -> None:
        self.rungs[level][config.number] = value
