"""TPE, the tree-structured Parzen estimator: Optuna's default sampler (Bergstra et al., 2011).

A Gaussian process models the score as a function of the configuration. TPE turns the
question around and models where configurations come from: it sorts the results so far,
calls the best ``gamma(n)`` of them *good* and the rest *bad*, and fits one density to each
side, ``l(x)`` to the good and ``g(x)`` to the bad (``parzen.Parzen``). Bergstra et al. show
that expected improvement at the quantile is then a growing function of ``l(x) / g(x)``, so
TPE draws candidates from ``l`` and proposes the one where ``log l(x) - log g(x)`` is largest:
a point that looks like the good trials and unlike the bad ones.

Defaults are Optuna 5's (Watanabe, 2023): ``gamma(n) = min(ceil(0.1 n), 25)``; 10 random
trials before the first model; 24 candidates; a prior kernel of weight 1; the bandwidth rule
of ``parzen.bandwidths``; multivariate kernels; the weights of Optuna's ``default_weights``
(per side: equal up to 25 observations, then the oldest weigh less, on a linear ramp); pending trials
(asked, not told: parallel workers) join the bad side, a constant liar, so two workers are
steered apart. Failed trials are left out.

References: Bergstra, Bardenet, Bengio & Kegl (2011), NeurIPS; Watanabe (2023), arXiv:2304.11127.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.checks import check_int, is_number
from ..core.space import Categorical, Space
from .base import Optimizer, Suggestion
from .parzen import Parzen


def ramp_weights(n: int) -> np.ndarray:
    """Optuna's ``default_weights``: ones for the newest 25, a linear ramp from 1/n below them.

    >>> ramp_weights(3).tolist(), ramp_weights(27)[:2].round(3).tolist()
    ([1.0, 1.0, 1.0], [0.037, 1.0])
    """
    if n < 25:
        return np.ones(n)
    return np.concatenate([np.linspace(1.0 / n, 1.0, num=n - 25), np.ones(25)])


class TPE(Optimizer):
    """Tree-structured Parzen estimator; minimizes.

    Parameters
    ----------
    quantile : the share of results called good, in (0, 1): ``gamma(n) = ceil(quantile * n)``,
        at least 1 and at most ``max_good`` (None: no cap).
    n_startup : random trials before the first model.
    n_candidates : draws from ``l(x)`` scored by the density ratio at each ask.
    multivariate, prior_weight : see ``parzen.Parzen``.
    constant_liar : pending trials count as bad (False: they are ignored).

    >>> from hpo_lessons import Space, Real
    >>> tpe = TPE(Space(x=Real(-2, 2)), seed=0, n_startup=3)
    >>> for _ in range(8):
    ...     s = tpe.ask()
    ...     tpe.tell(s, s.params["x"] ** 2)
    >>> min(abs(x["x"]) for x in tpe.X) < 0.2
    True
    """

    def __init__(self, space: Space, seed: int | None = None, quantile: float = 0.1, max_good: int | None = 25,
                 n_startup: int = 10, n_candidates: int = 24, multivariate: bool = True, prior_weight: float = 1.0,
                 constant_liar: bool = True):
        super().__init__(space, seed)
        if not is_number(quantile) or not 0 < quantile < 1:
            raise ValueError(f"quantile must be in (0, 1), the share of results called good, got {quantile!r}; "
                             "use e.g. 0.1 (Optuna) or 0.15 (BOHB).")
        if max_good is not None:
            check_int("max_good", max_good, 1, None, "the most results called good; use e.g. 25, or None")
        self.n_startup = check_int("n_startup", n_startup, 0, None, "random trials before the model; use e.g. 10")
        self.n_candidates = check_int("n_candidates", n_candidates, 1, None, "draws per ask; use e.g. 24")
        if not is_number(prior_weight) or not 0 < prior_weight < math.inf:
            raise ValueError(f"prior_weight must be a finite number > 0, got {prior_weight!r}; use e.g. 1.0.")
        self.quantile, self.max_good, self.multivariate = float(quantile), max_good, bool(multivariate)
        self.prior_weight, self.constant_liar = float(prior_weight), bool(constant_liar)
        self.choices = [dim.size if isinstance(dim, Categorical) else 0 for _, dim in space]
        self._codes: dict = {}

    # -- encoding: unit-cube numbers, category indices ------------------------------------------
    def encode(self, params: dict) -> np.ndarray:
        """``params`` as a row the estimators read: unit-cube numbers, category indices (kept, as every
        ask reads every result again)."""
        key = self.space.key(params)
        if key not in self._codes:
            self._codes[key] = np.array([dim.index(params[name]) if k else dim.to_unit(params[name])
                                         for (name, dim), k in zip(self.space, self.choices)], dtype=float)
        return self._codes[key]

    def decode(self, row) -> dict:
        """The params of an encoded row (a category index becomes the middle of its cell)."""
        u = [(x + 0.5) / k if k else x for x, k in zip(row, self.choices)]
        return self.space.from_unit(u)

    def n_good(self, n: int) -> int:
        """How many of ``n`` results are called good."""
        good = max(1, math.ceil(self.quantile * n))
        return good if self.max_good is None else min(good, self.max_good)

    def observations(self) -> tuple[list[dict], list[float]]:
        """The told, successful results the model is fitted on (BOHB overrides: one budget's)."""
        pairs = [(x, v) for x, v in zip(self.X, self.y) if v is not None]
        return [x for x, _ in pairs], [v for _, v in pairs]

    def estimators(self) -> tuple[Parzen, Parzen] | None:
        """``(l, g)``: the Parzen estimators of the good and the bad side, or None before ``n_startup``."""
        X, y = self.observations()
        if len(y) < max(self.n_startup, 2):
            return None
        order = np.argsort(y, kind="stable")  # ties to the earlier result
        good = set(order[: self.n_good(len(y))].tolist())
        rows = [self.encode(x) for x in X]
        liars = [self.encode(s.params) for s in self.pending.values()] if self.constant_liar else []
        sides = []
        for is_good in (True, False):  # each side in order of arrival, weighted as Optuna weighs its trials
            points = [rows[i] for i in range(len(y)) if (i in good) == is_good] + ([] if is_good else liars)
            sides.append(Parzen(np.array(points).reshape(-1, len(self.space)), self.choices,
                                ramp_weights(len(points)), self.prior_weight, self.multivariate))
        return sides[0], sides[1]

    def log_ratio(self, params_list: list[dict]) -> np.ndarray:
        """``log l(x) - log g(x)`` at each params dict (what ``ask`` maximizes)."""
        good, bad = self.estimators()
        x = np.array([self.encode(p) for p in params_list])
        return good.log_pdf(x) - bad.log_pdf(x)

    def ask(self) -> Suggestion:
        models = self.estimators()
        if models is None:
            return self._suggest(self.space.from_unit(self.rng.random(len(self.space))))
        good, bad = models
        candidates = good.sample(self.rng, self.n_candidates)
        score = good.log_pdf(candidates) - bad.log_pdf(candidates)
        return self._suggest(self.decode(candidates[int(np.argmax(score))]))
