"""Population-based training (Jaderberg et al., 2017): tune hyperparameters while the networks train.

A population of ``population_size`` members trains in intervals. Each interval of a member is
one trial: its budget is the step it trains to (``interval``, ``2 * interval``, ... up to
``max_budget``) and its ``parent`` is the trial whose checkpoint it continues. After each
interval the members are ranked by their latest value; each member in the bottom
``quantile`` copies the weights, optimizer state and hyperparameters of a member drawn from
the top ``quantile`` (exploit: its next trial's parent is that member's last trial), then
perturbs or resamples those hyperparameters (explore). What a member trained with, interval
after interval, is a schedule (``schedule(trial_id)``).

``synchronous=True`` ranks the whole population once a generation's intervals are all done
(``ask`` raises ``NotReady`` until then); ``synchronous=False`` decides for each member as
soon as its interval ends, against the latest values of the members that have reported
(Jaderberg et al.'s asynchronous workers), so no worker waits for the slowest.
"""

from __future__ import annotations

import math

from ..core.checks import check_int, check_number, is_number
from ..core.space import Categorical, Integer, Space
from .base import Exhausted, NotReady, Optimizer, Suggestion


def explore(params: dict, space: Space, rng, perturb=(0.8, 1.2), resample_probability: float = 0.25) -> dict:
    """New hyperparameters near ``params``: each one resampled from ``space`` with ``resample_probability``,
    else perturbed.

    A numeric one is multiplied by a factor drawn from ``perturb`` (a tuple; Jaderberg et al.
    use 0.8 and 1.2), or, when ``perturb`` is a number, moved by Gaussian noise of that SD in
    the unit cube (linear or log, as the dimension is); then clipped to its bounds (integers
    rounded). A categorical one moves to a neighbouring choice. The draws, per dimension in
    the space's order: one uniform (resample?), then one for the new value or the factor.

    >>> import numpy as np
    >>> from hpo_lessons import Space, Real
    >>> explore({"lr": 0.01}, Space(lr=Real(1e-4, 1.0, log=True)), np.random.default_rng(1), resample_probability=0)
    {'lr': 0.012}
    """
    out = {}
    for name, dim in space:
        value = params[name]
        if rng.random() < resample_probability:
            out[name] = dim.from_unit(rng.random())
        elif isinstance(dim, Categorical):
            step = 1 if rng.random() < 0.5 else -1
            out[name] = dim.choices[min(max(dim.index(value) + step, 0), len(dim.choices) - 1)]
        elif is_number(perturb):
            out[name] = dim.from_unit(min(max(dim.to_unit(value) + rng.normal(0.0, perturb), 0.0), 1.0))
        else:
            moved = min(max(value * perturb[int(rng.integers(len(perturb)))], dim.low), dim.high)
            out[name] = int(round(moved)) if isinstance(dim, Integer) else float(moved)
    return out


class PBT(Optimizer):
    """Population-based training; minimizes. Trials need an objective with ``resumes_from_parent = True``.

    Parameters
    ----------
    space : Space
    population_size : int >= 2, members trained side by side.
    interval : budget units (epochs, steps) a member trains between two exploit/explore steps.
    max_budget : the budget each member trains to (the last interval may be shorter).
    quantile : in (0, 0.5]: the bottom ``floor(quantile * n)`` of the n ranked members copy
        from the top as many; there must be at least one (population_size >= 1 / quantile).
    perturb : factors (a tuple of positive numbers) or a Gaussian SD in the unit cube (a number > 0).
    resample_probability : in [0, 1], chance that explore draws a hyperparameter afresh.
    synchronous : rank whole generations (True) or each member as it finishes (False).
    exploit, explore : switch either step off (Jaderberg et al.'s Figure 2 ablations): without
        exploit a bottom member explores from its own weights and params; without explore it
        copies the donor's params unchanged.
    initial : the first population's params (a list of ``population_size`` dicts); None draws them.
    seed : int or None.

    A failed trial ranks last and its member always copies a donor (or, with no member left
    to copy, starts again from scratch with resampled params). ``decisions`` lists every
    exploit/explore step as dicts; ``schedule(trial_id)`` follows a trial's parents back.

    >>> from hpo_lessons import Space, Real
    >>> pbt = PBT(Space(lr=Real(1e-3, 1.0, log=True)), population_size=2, interval=2, max_budget=4,
    ...           quantile=0.5, seed=0)
    >>> first = [pbt.ask(), pbt.ask()]
    >>> for s in first:
    ...     pbt.tell(s, s.params["lr"])  # the smaller lr is better here
    >>> later = [pbt.ask(), pbt.ask()]
    >>> best = min(first, key=lambda s: s.params["lr"]).id
    >>> [s.budget for s in later], [s.parent == best for s in later]  # both continue the better one's checkpoint
    ([4, 4], [True, True])
    """

    needs_budget = True
    needs_parent = True

    def __init__(self, space: Space, population_size: int = 8, interval: float = 1, max_budget: float = 10,
                 quantile: float = 0.25, perturb=(0.8, 1.2), resample_probability: float = 0.25,
                 synchronous: bool = True, exploit: bool = True, explore: bool = True, initial=None,
                 seed: int | None = None):
        super().__init__(space, seed)
        self.population_size = check_int("population_size", population_size, 2)
        self.interval = _positive("interval", interval)
        self.max_budget = _positive("max_budget", max_budget)
        if not is_number(quantile) or not 0 < quantile <= 0.5:
            raise ValueError(f"quantile must be in (0, 0.5] (the share of members that copy, and that are copied), "
                             f"got {quantile!r}.")
        if math.floor(quantile * population_size + 1e-9) < 1:
            raise ValueError(f"population_size={population_size} with quantile={quantile} puts no member in the "
                             f"bottom quantile (floor({quantile} * {population_size}) = 0), so nothing would ever be "
                             f"exploited; use population_size >= {math.ceil(1 / quantile - 1e-9)} or a larger "
                             "quantile.")
        if is_number(perturb):
            _positive("perturb", perturb)
        elif not (isinstance(perturb, (tuple, list)) and perturb and all(is_number(f) and f > 0 for f in perturb)):
            raise ValueError(f"perturb must be a tuple of positive factors, e.g. (0.8, 1.2), or a Gaussian SD > 0 in "
                             f"the unit cube, got {perturb!r}.")
        if not is_number(resample_probability) or not 0 <= resample_probability <= 1:
            raise ValueError(f"resample_probability must be in [0, 1], got {resample_probability!r}.")
        if initial is not None and (not isinstance(initial, (list, tuple)) or len(initial) != population_size):
            raise ValueError(f"initial must be a list of population_size={population_size} params dicts, or None.")
        self.quantile, self.perturb, self.resample_probability = float(quantile), perturb, float(resample_probability)
        self.synchronous, self.exploit, self.explore = bool(synchronous), bool(exploit), bool(explore)
        self.n_intervals = math.ceil(self.max_budget / self.interval - 1e-9)
        first = initial if initial is not None else [space.from_unit(self.rng.random(len(space)))
                                                     for _ in range(population_size)]
        self.members = [{"params": space.validate(p), "last": None, "value": None, "done": 0, "busy": False}
                        for p in first]
        self.ready = list(range(population_size))  # members that may start their next interval, in order
        self.generation = 0
        self.trials: dict[int, Suggestion] = {}  # every suggestion by id, for schedules
        self.member_of: dict[int, int] = {}
        self.decisions: list[dict] = []

    @property
    def size(self) -> int:
        """Trials in the whole search: every member, every interval."""
        return self.population_size * self.n_intervals

    def budget(self, done: int) -> float:
        """The step a member trains to in its interval number ``done`` (counted from 0)."""
        end = (done + 1) * self.interval
        return self.max_budget if done + 1 >= self.n_intervals else (int(end) if float(end).is_integer() else end)

    def ask(self) -> Suggestion:
        if not self.ready:
            if self.pending:
                raise NotReady("every member is training; the next interval starts when one reports")
            raise Exhausted(f"every member trained to max_budget={self.max_budget}")
        m = self.ready.pop(0)
        member = self.members[m]
        suggestion = self._suggest(member["params"], self.budget(member["done"]), member["last"])
        member["busy"] = True
        self.trials[suggestion.id], self.member_of[suggestion.id] = suggestion, m
        return suggestion

    def tell(self, suggestion, value) -> None:
        super().tell(suggestion, value)
        if not isinstance(suggestion, Suggestion) or suggestion.id not in self.member_of:
            return  # an outside observation: no member trained it
        m = self.member_of[suggestion.id]
        member = self.members[m]
        member.update(last=suggestion.id, value=self.y[-1], done=member["done"] + 1, busy=False)
        if self.synchronous:
            if all(not x["busy"] and x["done"] == self.generation + 1 for x in self.members):
                self.generation += 1
                if self.generation < self.n_intervals:
                    for k in self._bottom(range(self.population_size)):
                        self._step(k, range(self.population_size))
                    self.ready = list(range(self.population_size))
        elif member["done"] < self.n_intervals:
            reported = [k for k, x in enumerate(self.members) if x["last"] is not None]
            if m in self._bottom(reported):
                self._step(m, reported)
            self.ready.append(m)

    def _ranked(self, among) -> list[int]:
        """Members best first; failed last; ties by member number."""
        return sorted(among, key=lambda k: (self.members[k]["value"] is None, self.members[k]["value"] or 0.0, k))

    def _bottom(self, among) -> list[int]:
        ranked = self._ranked(among)
        cut = math.floor(self.quantile * len(ranked) + 1e-9)
        failed = [k for k in ranked if self.members[k]["value"] is None]
        return sorted(set(ranked[len(ranked) - cut:] if cut else []) | set(failed))

    def _step(self, m: int, among) -> None:
        """Exploit then explore for member ``m``, from the top quantile of ``among``."""
        ranked = self._ranked(among)
        cut = max(1, math.floor(self.quantile * len(ranked) + 1e-9))
        donors = [k for k in ranked[:cut] if self.members[k]["value"] is not None and k != m]
        member = self.members[m]
        if member["value"] is None and (not donors or not self.exploit):  # nothing to continue from
            member.update(params=self.space.from_unit(self.rng.random(len(self.space))), last=None)
            self.decisions.append({"member": m, "donor": None, "parent": None, "params": member["params"]})
            return
        donor = int(donors[int(self.rng.integers(len(donors)))]) if self.exploit and donors else m
        params = dict(self.members[donor]["params"])
        if self.explore:
            params = explore(params, self.space, self.rng, self.perturb, self.resample_probability)
        member.update(params=params, last=self.members[donor]["last"])
        self.decisions.append({"member": m, "donor": donor, "parent": member["last"], "params": params})

    def schedule(self, trial_id: int) -> list[tuple[float, dict]]:
        """(budget, params) of each interval that led to trial ``trial_id``, first interval first."""
        out, current = [], trial_id
        while current is not None:
            suggestion = self.trials[current]
            out.append((suggestion.budget, dict(suggestion.params)))
            current = suggestion.parent
        return out[::-1]


def _positive(name: str, value) -> float:
    if check_number(name, value) <= 0:
        raise ValueError(f"{name} must be a number > 0, got {value!r}.")
    return value
