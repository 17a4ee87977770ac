"""ParEGO: Bayesian optimization of a random Chebyshev scalarization, a new one at every ask (Knowles, 2006).

Several objectives become one by a weighted *augmented Chebyshev* function of the objectives
normalized to [0, 1] by the range seen so far:

    f_w(x) = max_j w_j f_j(x) + rho * sum_j w_j f_j(x)

Unlike a weighted sum, whose minima lie only on the convex parts of the front, the max term
reaches every Pareto-optimal point for some weights; the small ``rho`` term breaks ties
between weakly dominated points. Each ``ask`` draws new weights, scalarizes every told result
with them, and lets the package's Bayesian optimization (its GP and expected improvement)
propose the point that minimizes that one scalar, so successive asks aim at different parts
of the front. Knowles draws the weights from a fixed set of evenly spread vectors; here they
are drawn uniformly from the simplex (a flat Dirichlet), a common variant.

Reference: Knowles (2006), ParEGO: a hybrid algorithm with on-line landscape approximation for
expensive multiobjective optimization problems, IEEE Transactions on Evolutionary Computation 10(1).
"""

from __future__ import annotations

import numpy as np

from ..core.checks import check_int, check_number
from ..core.space import Space
from .base import Optimizer, Suggestion
from .bayes import BayesianOptimization


def chebyshev(values: np.ndarray, weights: np.ndarray, rho: float = 0.05) -> np.ndarray:
    """Augmented Chebyshev scalarization of ``values`` (n x m, already in [0, 1]) with ``weights`` (m,).

    >>> chebyshev(np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0.5, 0.5])).tolist()
    [0.525, 0.275]
    """
    weighted = np.asarray(values, dtype=float) * np.asarray(weights, dtype=float)
    return weighted.max(axis=1) + rho * weighted.sum(axis=1)


class ParEGO(BayesianOptimization):
    """ParEGO on the package's GP; minimizes every objective.

    Parameters
    ----------
    space : the search space.
    n_objectives : how many values each trial returns.
    rho : weight of the sum in the augmented Chebyshev function (Knowles: 0.05).
    **bo_kwargs : the settings of ``BayesianOptimization`` (``n_initial``, ``acquisition``, ...).

    ``weights`` holds the weights drawn at each ask that used the GP (the initial design draws none).

    >>> from hpo_lessons import Space, Real
    >>> opt = ParEGO(Space(x=Real(0, 1)), n_objectives=2, seed=0, n_initial=3, n_candidates=50)
    >>> for _ in range(5):
    ...     s = opt.ask()
    ...     opt.tell(s, [s.params["x"], (1 - s.params["x"]) ** 2])
    >>> len(opt.weights), len(opt.values)
    (2, 5)
    """

    def __init__(self, space: Space, n_objectives: int = 2, seed: int | None = None, rho: float = 0.05,
                 **bo_kwargs):
        super().__init__(space, seed=seed, **bo_kwargs)
        self.n_objectives = check_int("n_objectives", n_objectives, 2, None, "one objective is plain BO's job")
        self.rho = check_number("rho", rho)
        self.values: list[list[float] | None] = []  # the told vectors (minimized), None for failures
        self.weights: list[np.ndarray] = []

    def tell(self, suggestion: Suggestion | dict, value) -> None:
        Optimizer.tell(self, suggestion, value)
        self.values.append(self.y[-1])
        self.y[-1] = None if self.y[-1] is None else 0.0  # scalarized again at each ask

    def ask(self) -> Suggestion:
        ok = [v for v in self.values if v is not None]
        if len(ok) + len(self.pending) >= self.n_initial and len(ok) >= 2:
            weights = self.rng.dirichlet(np.ones(self.n_objectives))
            self.weights.append(weights)
            V = np.array(ok, dtype=float)
            low, span = V.min(axis=0), np.ptp(V, axis=0)
            scaled = (V - low) / np.where(span > 0, span, 1.0)
            scores = iter(chebyshev(scaled, weights, self.rho).tolist())
            self.y = [None if v is None else next(scores) for v in self.values]
            self._fitted_on = -1  # new weights, new data for the GP: refit
        return super().ask()
