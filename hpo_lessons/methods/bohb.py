"""BOHB: Hyperband whose new configurations come from TPE, fitted per budget (Falkner et al., 2018).

Hyperband draws each new configuration at random. BOHB keeps Hyperband's brackets and
promotions unchanged and replaces the draw: it keeps every result under the budget it was
reached at, and fits TPE's two densities (``l`` for the good, ``g`` for the bad) on the
results of the *largest budget that has enough of them*, so that early in the search the
model learns from many cheap 1-epoch results, and later from the fewer, truer full ones. A
budget has enough results when it has more than ``d + 1`` (the number of dimensions plus
one, the paper's ``N_min``) successful ones. A share ``random_fraction`` of new configurations
(1/3, the paper's default) stays random, so the search keeps exploring where the model is
wrong. Each configuration is proposed once, when a bottom rung needs it; promotions are
Hyperband's.

Settings from the paper: the best 15 % are good (``quantile=0.15``, no cap), 64 candidates.
What differs: the densities are ``parzen.Parzen`` (Optuna's bandwidth rule and a prior kernel)
where the paper uses statsmodels' normal-reference bandwidth times 3.

Reference: Falkner, Klein & Hutter (2018), BOHB: robust and efficient hyperparameter
optimization at scale, ICML.
"""

from __future__ import annotations

from ..core.checks import is_number
from ..core.space import Space
from .hyperband import Hyperband
from .tpe import TPE


class BudgetTPE(TPE):
    """TPE that models the results of one budget: the largest with more than ``min_points`` results.

    ``observe(budget, params, value)`` records a result (``None`` for a failure); its own
    ``tell`` only closes the suggestion. ``model_budget`` is the budget the last model used.
    """

    def __init__(self, space: Space, seed: int | None = None, min_points: int | None = None,
                 random_fraction: float = 1 / 3, **tpe):
        super().__init__(space, seed, **tpe)
        self.min_points = len(space) + 1 if min_points is None else min_points
        if not is_number(random_fraction) or not 0 <= random_fraction <= 1:
            raise ValueError(f"random_fraction must be in [0, 1], got {random_fraction!r}; use e.g. 1/3.")
        self.random_fraction = random_fraction
        self.by_budget: dict = {}
        self.model_budget = None

    def observe(self, budget, params: dict, value) -> None:
        if value is not None:
            self.by_budget.setdefault(budget, []).append((params, value))

    def observations(self):
        ready = [b for b, results in self.by_budget.items() if len(results) > self.min_points]
        self.model_budget = max(ready) if ready else None
        results = self.by_budget.get(self.model_budget, [])
        return [p for p, _ in results], [v for _, v in results]

    def ask(self):
        if self.rng.random() < self.random_fraction:
            return self._suggest(self.space.from_unit(self.rng.random(len(self.space))))
        return super().ask()


class BOHB(Hyperband):
    """Hyperband with a TPE searcher fitted on the largest budget with enough results; minimizes.

    Parameters
    ----------
    space, min_budget, max_budget, eta, seed, overlap : as for ``Hyperband``.
    random_fraction : the share of new configurations drawn at random (1/3).
    min_points : a budget is modelled once it has more than this many results (default d + 1).
    quantile, n_candidates, multivariate : TPE's, with BOHB's defaults (0.15, 64, True).

    >>> from hpo_lessons import Space, Real
    >>> bohb = BOHB(Space(x=Real(0, 1)), min_budget=1, max_budget=9, seed=0)
    >>> s = bohb.ask()
    >>> bohb.tell(s, 0.5)
    >>> s.budget, bohb.searcher.by_budget
    (1, {1: [({'x': 0.2697867137638703}, 0.5)]})
    """

    def __init__(self, space: Space, min_budget: float, max_budget: float, eta: int = 3, seed: int | None = None,
                 random_fraction: float = 1 / 3, min_points: int | None = None, quantile: float = 0.15,
                 n_candidates: int = 64, multivariate: bool = True, overlap: bool = False):
        searcher = BudgetTPE(space, seed, min_points, random_fraction, quantile=quantile, max_good=None,
                             n_startup=0, n_candidates=n_candidates, multivariate=multivariate)
        super().__init__(space, min_budget, max_budget, eta, searcher, seed, "all", overlap)

    def _feed(self, config, level: int, value) -> None:
        """Every result goes to the searcher under its budget; the suggestion is closed once."""
        self.searcher.observe(self.budgets[level], config.params, value)
        if config.origin is not None:
            self.searcher.tell(config.origin, None)
            config.origin = None
