"""Successive halving: train many configurations briefly, keep the best 1/eta, train those eta times longer.

One *bracket* (Jamieson & Talwalkar, 2016): ``n`` configurations at the bottom rung; when
every trial of a rung is back, the best ``floor(n_i / eta)`` go up to a rung with eta times
the budget, until ``max_budget``. Here ``n = eta**s_max``, which makes the bracket the most
aggressive one of Hyperband (``s = s_max``; for 1 to 27 epochs with eta = 3: 27, 9, 3 and 1
configurations at 1, 3, 9 and 27 epochs, 108 epochs in all, four full trainings' worth), so
that successive halving is exactly Hyperband's first bracket, repeated: comparing the two
measures what hedging over brackets buys, and nothing else. Brackets follow one another
until ``run``'s budget ends. (Jamieson & Talwalkar split a fixed total budget over the rungs;
this is the form Li et al., 2018, use inside Hyperband.)

The method is synchronous: a rung is ranked only once all its trials are back, so with
several workers, those that finish early wait (``ask()`` raises ``NotReady``), and the top
rung of a bracket keeps one worker busy while the others idle. ASHA exists to remove that wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.space import Space
from .base import Exhausted, NotReady, Suggestion
from .rungs import Config, MultiFidelity, hyperband_schedule


@dataclass
class Rung:
    """One rung of a bracket: ``level`` indexes the scheduler's ``budgets``; ``size`` is how many trials it
    runs (its ``n_i``; fewer after failures, or when the searcher ran out); ``members`` in the order they
    entered (arrival at the bottom, rank above); ``values`` by configuration number, ``None`` if failed."""

    level: int
    size: int
    members: list[Config] = field(default_factory=list)
    values: dict[int, float | None] = field(default_factory=dict)
    handed: int = 0  # members handed out as trials so far


@dataclass
class Bracket:
    """A run of successive halving: ``plan`` is its ``(n_i, level)`` per rung, ``rungs`` those started."""

    number: int
    plan: list[tuple[int, int]]
    rungs: list[Rung] = field(default_factory=list)
    done: bool = False

    def __post_init__(self):
        self.rungs.append(Rung(self.plan[0][1], self.plan[0][0]))


class SuccessiveHalving(MultiFidelity):
    """Synchronous successive halving, one bracket after another; minimizes.

    Parameters
    ----------
    space : the search space.
    min_budget, max_budget : the smallest and the full budget of a trial, in the objective's
        units (epochs); the rungs are ``rung_budgets(min_budget, max_budget, eta)``.
    eta : the factor between rungs (an int >= 2): each rung keeps its best ``1/eta``.
    searcher : where new configurations come from (default ``RandomSearch(space, seed=seed)``);
        see ``hpo_lessons.methods.rungs`` for what it is told.
    seed : seeds the default searcher (a searcher you pass keeps its own seed).
    feedback : "full" (the searcher learns full-budget results only) or "all".
    overlap : False (default): a bracket starts when the previous one is finished, so workers
        wait for each rung. True: when the current brackets have nothing to hand out, the next
        bracket starts, so no worker waits; with one worker it changes nothing.

    Every rung evaluation is its own trial (its own id and budget); a promoted configuration
    comes back with the same params and ``eta`` times the budget. Ranks are by value, a
    failed trial (``None``) last and never promoted; ties go to the configuration the searcher
    proposed first, so the result does not depend on the order in which trials finish. A rung
    with failures promotes only its successful configurations; a bracket whose rung has none
    left ends early. If the searcher runs out (a finite grid), the bottom rung closes with
    what it has and promotes ``max(1, floor(m / eta))`` of its ``m``; ``ask()`` then waits
    for the running brackets and finally raises ``Exhausted``. ``brackets`` keeps every
    bracket, for tables and figures; ``active`` those still running.

    >>> from hpo_lessons import Space, Real
    >>> sh = SuccessiveHalving(Space(x=Real(0, 1)), min_budget=1, max_budget=9, seed=0)
    >>> first = [sh.ask() for _ in range(9)]
    >>> for s in first:
    ...     sh.tell(s, s.params["x"])          # the smallest x wins
    >>> promoted = [sh.ask() for _ in range(3)]
    >>> [s.budget for s in promoted], sorted(p.params["x"] for p in promoted) == sorted(
    ...     s.params["x"] for s in first)[:3]
    ([3, 3, 3], True)
    """

    def __init__(self, space: Space, min_budget: float, max_budget: float, eta: int = 3, searcher=None,
                 seed: int | None = None, feedback: str = "full", overlap: bool = False):
        super().__init__(space, min_budget, max_budget, eta, searcher, seed, feedback)
        if not isinstance(overlap, bool):
            raise ValueError(f"overlap must be True or False, got {overlap!r}.")
        self.overlap = overlap
        self.schedule = hyperband_schedule(max_budget / min_budget, self.eta)
        self.brackets: list[Bracket] = []
        self.active: list[Bracket] = []
        self._searcher_done = False  # the searcher raised Exhausted
        self._searcher_waits = False  # the searcher raised NotReady during this ask

    def plan(self, number: int) -> list[tuple[int, int]]:
        """Bracket ``number``'s ``(n_i, level)`` per rung: here always Hyperband's bracket ``s = s_max``."""
        return [(n, i) for i, (n, _) in enumerate(self.schedule[0])]

    def ask(self) -> Suggestion:
        self._searcher_waits = False
        for bracket in list(self.active):  # oldest first: finish what is under way before starting more
            suggestion = self._next_in(bracket)
            if suggestion is not None:
                return suggestion
        if self._searcher_waits:  # a bottom rung still takes configurations: another bracket would not help
            raise NotReady("the searcher has no configuration to give now; waiting for the running trials.")
        if self.active and not self.overlap:
            raise NotReady(f"rung {self.active[0].rungs[-1].level} of bracket {self.active[0].number} is still "
                           "running; tell() a result before asking again.")
        if not self._searcher_done:
            bracket = Bracket(len(self.brackets), self.plan(len(self.brackets)))
            self.brackets.append(bracket)
            self.active.append(bracket)
            suggestion = self._next_in(bracket)
            if suggestion is not None:
                return suggestion
            if bracket.done:  # the searcher ran out before its first configuration
                self.brackets.remove(bracket)
        if self.pending:
            raise NotReady("the searcher has no configuration to give now; waiting for the running trials.")
        raise Exhausted("the searcher has no configurations left and every bracket is finished")

    def _next_in(self, bracket: Bracket) -> Suggestion | None:
        """The next trial of ``bracket``'s current rung, or None while the rung waits for results."""
        rung = bracket.rungs[-1]
        if rung.handed < len(rung.members):  # a promoted configuration
            rung.handed += 1
            return self._hand_out(rung.members[rung.handed - 1], rung.level, bracket)
        if len(bracket.rungs) > 1 or len(rung.members) >= rung.size:
            return None
        try:
            config = None if self._searcher_done else self._new_config()
        except Exhausted:
            self._searcher_done = True
            config = None
        if config is None:  # the searcher waits (a GA's generation) or ran out
            if self._searcher_done:
                rung.size = len(rung.members)  # the bottom rung closes with what it has
                self._advance(bracket)
                return None if bracket.done else self._next_in(bracket)
            self._searcher_waits = True
            return None
        rung.members.append(config)
        rung.handed += 1
        return self._hand_out(config, rung.level, bracket)

    def _record(self, config: Config, level: int, value, bracket: Bracket) -> None:
        rung = bracket.rungs[-1]
        rung.values[config.number] = value
        self._advance(bracket)

    def _advance(self, bracket: Bracket) -> None:
        """Once every trial of the current rung is back: promote its best, or end the bracket."""
        rung = bracket.rungs[-1]
        if len(rung.values) < rung.size or bracket.done:
            return
        ranked = sorted(((c, rung.values[c.number]) for c in rung.members), key=self._rank_key)
        keep = max(1, len(rung.members) // self.eta)  # floor(n_i / eta): the next rung's n_i in the plan
        promoted = [c for c, value in ranked if value is not None][:keep]
        if len(bracket.rungs) == len(bracket.plan) or not promoted:
            bracket.done = True
            self.active.remove(bracket)
            return
        bracket.rungs.append(Rung(bracket.plan[len(bracket.rungs)][1], len(promoted), promoted))
