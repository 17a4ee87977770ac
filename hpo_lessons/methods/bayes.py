"""Bayesian optimization: a Gaussian process models the objective, an acquisition picks the next point.

One ``ask()``, once ``n_initial`` points are in:

1. fit the GP to the successful trials (inputs ``space.to_features``: unit-cube numbers,
   one-hot categoricals), one length scale per input, by maximum a posteriori (priors in
   ``gp_prior``), and condition it on the pending trials with a constant lie;
2. score many random candidates with the acquisition, in logs (log-EI: ``acquisition.log_h``;
   each candidate decoded to real params and re-encoded, so an integer is scored at its
   rounded value);
3. polish a few with L-BFGS-B over their numeric coordinates: the best candidate, the best
   configuration so far, and others drawn with probability proportional to their EI;
4. return the best configuration that was never evaluated nor is pending.

What each ingredient is worth, switched off one at a time: ``benchmarks/bo_ablation.py``.
"""

from __future__ import annotations

import copy

import numpy as np
from scipy.stats import qmc

from ..core.checks import check_int, check_number
from ..core.space import Categorical, Integer, Real, Space
from .acquisition import ACQUISITIONS, LOG_ACQUISITIONS, lower_confidence_bound
from .base import Exhausted, Optimizer, Suggestion
from .gp import GaussianProcess, one_blas_thread
from .local_search import polish, roulette_starts

LIARS = {"min": np.min, "mean": np.mean, "max": np.max}


class BayesianOptimization(Optimizer):
    """GP-based Bayesian optimization with EI, PI or LCB; minimizes.

    Parameters
    ----------
    acquisition : "ei" (expected improvement, default), "pi" (probability of improvement) or
        "lcb" (lower confidence bound). Every acquisition is maximized here: LCB as ``-LCB``.
    n_initial : points from a space-filling design (``initial_design``) before the GP takes over.
    xi : the improvement EI and PI ask for, in the units of the objective (as in scikit-optimize):
        0.01 means "at least 0.01 better than the best value so far", whatever the objective's scale.
    kappa : weight of the uncertainty in LCB.
    n_candidates : random candidates scored per ask (all configurations, if the space has fewer).
    n_polish : how many local searches (L-BFGS-B) refine candidates.
    polish_starts : "roulette" (the best candidate, the best configuration so far, the rest drawn
        with probability proportional to EI, as Optuna's GPSampler) or "best" (the best candidates).
    n_restarts : random restarts of the kernel fit, besides the warm start from the last fit.
    ard : True (one length scale per input from the start) or "auto" (one shared length scale
        until there are 4 points per input).
    prior : fit the kernel by maximum a posteriori (``gp_prior``) rather than maximum likelihood.
    log_acquisition : maximize log(EI) or log(PI) (same maximizer, no underflow) rather than EI or PI.
    noise_floor : the smallest noise variance the fit may choose, in standardized output units.
    liar : value given to pending trials: "min" (the best so far), "mean" or "max" of the values.
    initial_design : "lhs" (Latin hypercube) or "random".

    For the figures: ``surrogate`` is the GP fitted to the successful trials (``fit_surrogate()``
    refreshes it), ``predict(params_list)`` its mean and std in the objective's units, and
    ``acquisition_values(params_list)`` the acquisition (EI in the objective's units).
    The same seed and the same tells give the same asks; calling those three between asks
    changes nothing.

    >>> from hpo_lessons import Space, Real
    >>> bo = BayesianOptimization(Space(x=Real(-2.0, 2.0)), seed=0, n_initial=3)
    >>> for _ in range(8):
    ...     suggestion = bo.ask()
    ...     bo.tell(suggestion, (suggestion.params["x"] - 1.0) ** 2)
    >>> round(min(bo.y), 3)
    0.0
    """

    def __init__(self, space: Space, acquisition: str = "ei", seed: int | None = None, n_initial: int = 6,
                 xi: float = 0.0, kappa: float = 1.96, n_candidates: int = 2048, n_polish: int = 10,
                 n_restarts: int = 0, liar: str = "min", initial_design: str = "lhs", ard: bool | str = True,
                 prior: bool = True, log_acquisition: bool = True, polish_starts: str = "roulette",
                 noise_floor: float = 1e-6):
        super().__init__(space, seed)
        if acquisition not in ACQUISITIONS:
            raise ValueError(f"acquisition={acquisition!r} is unknown; use one of {sorted(ACQUISITIONS)}.")
        for name, value, low in [("n_initial", n_initial, 1), ("n_candidates", n_candidates, 1),
                                 ("n_polish", n_polish, 0), ("n_restarts", n_restarts, 0)]:
            check_int(name, value, low)
        check_number("xi", xi)
        check_number("kappa", kappa)
        if liar not in LIARS:
            raise ValueError(f"liar={liar!r} is unknown; use one of {sorted(LIARS)}.")
        if initial_design not in ("lhs", "random"):
            raise ValueError(f"initial_design={initial_design!r} is unknown; use 'lhs' or 'random'.")
        if ard not in (True, False, "auto"):
            raise ValueError(f"ard={ard!r} is unknown; use True (one length scale per input), False or 'auto'.")
        if polish_starts not in ("roulette", "best"):
            raise ValueError(f"polish_starts={polish_starts!r} is unknown; use 'roulette' or 'best'.")
        check_number("noise_floor", noise_floor)
        if not 0 < noise_floor < 1:
            raise ValueError(f"noise_floor must be in (0, 1) (a variance in standardized units), got {noise_floor!r}.")
        self.ard, self.log_acquisition, self.polish_starts = ard, bool(log_acquisition), polish_starts
        self.acquisition, self.n_initial, self.xi, self.kappa = acquisition, int(n_initial), float(xi), float(kappa)
        self.n_candidates, self.n_polish, self.liar = int(n_candidates), int(n_polish), liar
        d = len(space)
        design = qmc.LatinHypercube(d, seed=self.rng) if initial_design == "lhs" else None
        self._design = list(design.random(self.n_initial) if design else self.rng.random((self.n_initial, d)))
        self._every_configuration = None  # (units, keys) of a small finite space, made on first need
        self.gp = GaussianProcess(n_restarts=int(n_restarts), seed=int(self.rng.integers(2**32)), prior=prior,
                                  noise_bounds=(float(noise_floor), 1.0))
        self.surrogate: GaussianProcess | None = None  # the GP fitted to the successful trials
        self._fitted_on = -1  # how many successful trials self.surrogate has seen
        self._told_features: list[np.ndarray] = []  # to_features of self.X, computed once each
        # Where each numeric dimension sits in the feature vector: polishing moves only those.
        self._numeric, position = [], 0
        for i, (_, dim) in enumerate(space):
            if not isinstance(dim, Categorical):
                self._numeric.append((i, position))
            position += dim.size if isinstance(dim, Categorical) else 1
        self._numeric = np.array(self._numeric, dtype=int).reshape(-1, 2)

    # -- the data the GP sees -------------------------------------------------------------------
    def _observations(self) -> tuple[np.ndarray, np.ndarray]:
        self._told_features += [self.space.to_features(p) for p in self.X[len(self._told_features):]]
        ok = [i for i, v in enumerate(self.y) if v is not None]  # failures stay out of the GP
        X = np.array([self._told_features[i] for i in ok]).reshape(len(ok), -1)
        return X, np.array([self.y[i] for i in ok])

    def fit_surrogate(self) -> GaussianProcess:
        """Fit the GP to the successful trials (once per new data) and return it as ``self.surrogate``."""
        X, y = self._observations()
        if len(y) < 2:
            raise ValueError(f"the surrogate needs at least 2 successful trials, got {len(y)}; tell more results.")
        if self._fitted_on != len(y):  # refit only on new data, so predict() between asks changes nothing
            # "auto": a shared length scale until there are 4 points per input (without priors, the
            # likelihood cannot pin down d length scales from a handful of points, and overfits).
            self.gp.ard = len(y) >= 4 * X.shape[1] if self.ard == "auto" else bool(self.ard)
            self.surrogate, self._fitted_on = self.gp.fit(X, y), len(y)
        return self.surrogate

    def predict(self, params_list: list[dict]) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and std of the minimized objective at each params dict, shapes (m,)."""
        return self.fit_surrogate().predict(self._features(params_list))

    def acquisition_values(self, params_list: list[dict]) -> np.ndarray:
        """The acquisition at each params dict, shape (m,); larger is better (LCB is negated).

        EI and PI on their natural scale (EI in the objective's units), even when ``log_acquisition``
        makes the search maximize their logs."""
        return self._acquire(self.fit_surrogate(), self._features(params_list), log=False)

    def _features(self, params_list: list[dict]) -> np.ndarray:
        return np.array([self.space.to_features(p) for p in params_list]).reshape(len(params_list), -1)

    def _acquire(self, gp: GaussianProcess, F: np.ndarray, log: bool | None = None) -> np.ndarray:
        mean, std = gp.predict(F)
        if self.acquisition == "lcb":
            return -lower_confidence_bound(mean, std, self.kappa)
        best = min(v for v in self.y if v is not None)
        log = self.log_acquisition if log is None else log
        return (LOG_ACQUISITIONS if log else ACQUISITIONS)[self.acquisition](mean, std, best, self.xi)

    # -- ask ------------------------------------------------------------------------------------
    def ask(self) -> Suggestion:
        if len(self._seen) >= self.space.size:
            raise Exhausted(f"all {self.space.size} configurations of the space were proposed")
        n_ok = sum(v is not None for v in self.y)
        if n_ok + len(self.pending) < self.n_initial or n_ok < 2:
            return self._suggest(self._initial())
        with one_blas_thread():
            return self._suggest(self._next_point())

    def _initial(self) -> dict:
        while self._design:
            params = self.space.from_unit(self._design.pop(0))
            if not self.seen(params):
                return params
        # The design ran out, or hit seen configurations: a random unseen one.
        return self._first_unseen(self.rng.permutation(self._candidates(near_best=False)))

    def _candidates(self, near_best: bool = True) -> np.ndarray:
        """Unit-cube points, shape (m, d): every unseen configuration if at most ``n_candidates`` are left,
        else random points, a quarter of them near the best configuration so far if ``near_best``
        (uniform points in many dimensions rarely land close enough to it to refine it)."""
        if self.space.size > self.n_candidates + len(self._seen):
            U = self.rng.random((self.n_candidates, len(self.space)))
            told = [(v, i) for i, v in enumerate(self.y) if v is not None]
            if told and near_best:
                best = self.space.to_unit(self.X[min(told)[1]])
                m = self.n_candidates // 4
                U[:m] = np.clip(best + 0.1 * self.rng.standard_normal((m, len(best))), 0.0, 1.0)
            return U
        if self._every_configuration is None:  # a small finite space: its points, encoded once
            configurations = list(self.space.configurations())
            self._every_configuration = (np.array([self.space.to_unit(p) for p in configurations]).reshape(
                -1, len(self.space)), [self.space.key(p) for p in configurations])
        units, keys = self._every_configuration
        return units[np.array([key not in self._seen for key in keys], dtype=bool)]

    def _first_unseen(self, U: np.ndarray) -> dict:
        for u in U:
            params = self.space.from_unit(u)
            if not self.seen(params):
                return params
        raise Exhausted(f"none of {len(U)} candidates is new; the space looks exhausted")

    def _encode(self, U: np.ndarray) -> np.ndarray:
        """Unit points (m, d) -> features (m, p) of the configurations they decode to (rounded integers).

        Vectorized over the m points (thousands of candidates per ask), with the arithmetic of
        ``Integer.from_unit``/``to_unit`` and ``Categorical.from_unit``/``one_hot``.
        """
        columns = []
        for j, (_, dim) in enumerate(self.space):
            u = np.clip(U[:, j], 0.0, 1.0)
            if isinstance(dim, Real):  # decoding a real and encoding it back changes nothing
                columns.append(u[:, None])
            elif isinstance(dim, Integer):
                a, b = dim._edges()
                t = a + u * (b - a)
                values = np.clip(np.round(10.0**t if dim.log else t), dim.low, dim.high).astype(int)
                unit = {v: dim.to_unit(int(v)) for v in np.unique(values)}  # each integer's cell centre, once
                columns.append(np.array([unit[v] for v in values])[:, None])
            else:
                index = np.minimum((u * dim.size).astype(int), dim.size - 1)
                columns.append(np.eye(dim.size)[index])
        return np.hstack(columns)

    def _next_point(self) -> dict:
        gp = self.fit_surrogate()
        if self.pending:  # constant liar: pretend each pending trial returned the same value
            X, y = self._observations()
            lie = LIARS[self.liar](y)
            pending = [s.params for s in self.pending.values()]
            gp = copy.copy(gp).fit(np.vstack([X, self._features(pending)]),
                                   np.append(y, [lie] * len(pending)), optimize=False,
                                   noiseless=np.arange(len(y) + len(pending)) >= len(y))
        U = self._candidates()
        scores = self._acquire(gp, self._encode(U))
        polished = self._polish(gp, self._starts(U, scores).reshape(-1, U.shape[1]))
        if len(polished):
            U = np.vstack([polished, U])
            scores = np.concatenate([self._acquire(gp, self._encode(polished)), scores])
        return self._first_unseen(U[np.argsort(-scores, kind="stable")])

    def _starts(self, U: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Where the local searches start: the ``n_polish`` best candidates ("best"), or ``roulette_starts``."""
        if self.polish_starts == "best" or self.n_polish < 2 or self.acquisition == "lcb":
            return U[np.argsort(-scores, kind="stable")[: self.n_polish]]
        incumbent = self.space.to_unit(self.X[min((v, i) for i, v in enumerate(self.y) if v is not None)[1]])
        return roulette_starts(U, scores, incumbent, self.n_polish, self.log_acquisition, self.rng)

    def _polish(self, gp: GaussianProcess, starts: np.ndarray) -> np.ndarray:
        return polish(lambda F: self._acquire(gp, F), self._encode, starts, self._numeric)

    @property
    def size(self) -> float:
        return self.space.size
