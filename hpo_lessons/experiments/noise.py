"""How far apart two scores must be before the difference means something.

Two sources of noise sit in every validation accuracy the course reports:

- **the seed**: the same configuration trained again with another seed (other initial
  weights, another order of the batches) scores differently; ``seed_spread`` trains it over
  several seeds and returns the spread;
- **the sample**: an accuracy measured on ``n`` images estimates the accuracy on all images
  like them with a binomial standard error ``sqrt(p (1 - p) / n)`` (``binomial_se``;
  ``binomial_interval`` gives Wilson's interval, which stays inside [0, 1]).

Two models scored on the same images share the images' luck, so what separates them is
the images on which they **disagree**. ``seed_spread`` keeps which validation images each
seed's network got right (``NoiseBand.correct``): ``disagreement`` is how often two seeds of
the same configuration disagree on an image, and if those disagreements fall on the images
independently, the seed std is ``sqrt(disagreement / (2 n))`` (``per_image_std``), an
estimate from every pair of seeds, steadier than the std of a few scores. When the two
agree, McNemar's test on two single runs (``verdict.compare_models``, which is what the
course uses to judge two configurations) already counts the seed's noise.

Chapter 2 measures all of it once for the default network; later chapters call the same
functions and name the result "the noise band". Example (tests/test_noise.py runs it)::

    from hpo_lessons import keras_task as kt
    from hpo_lessons.experiments import noise
    data = kt.load_data("digits")
    band = noise.seed_spread({"epochs": 8}, data, seeds=12)
    band.std, band.std_interval(), band.per_image_std, band.band()  # seed std, its 95% CI, from disagreements

Without training (a band from known scores and correct-answer rows)::

    >>> band = NoiseBand(scores=(0.75, 0.5, 0.75), seeds=(0, 1, 2), n=4,
    ...                  correct=((1, 1, 1, 0), (1, 0, 1, 0), (0, 1, 1, 1)))
    >>> band.disagreement                     # pairs (0, 1), (0, 2), (1, 2) disagree on 1, 2, 3 of 4 images
    0.5
    >>> round(band.per_image_std, 4)          # sqrt(0.5 / (2 * 4))
    0.25
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from statistics import NormalDist

import numpy as np
from scipy import stats

from ..core.checks import check_int, is_int, is_number

__all__ = ["NoiseBand", "binomial_interval", "binomial_se", "seed_spread"]


def _check_p_n(p, n) -> tuple[float, int]:
    if not is_int(n) or n < 1:
        raise ValueError(f"n must be a whole number of examples >= 1, got {n!r}.")
    if not is_number(p) or not 0 <= p <= 1:
        raise ValueError(f"p must be an accuracy between 0 and 1, got {p!r}.")
    return float(p), int(n)


def binomial_se(p: float, n: int) -> float:
    """Standard error of an accuracy ``p`` measured on ``n`` independent examples: sqrt(p (1 - p) / n).

    The standard deviation of (number correct) / n when the number correct is Binomial(n, p).
    """
    p, n = _check_p_n(p, n)
    return math.sqrt(p * (1 - p) / n)


def binomial_interval(p: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for an accuracy ``p`` measured on ``n`` examples, at confidence ``level``.

    Near p = 1 (good classifiers) the plain p +- z SE can pass 1; Wilson's interval cannot
    (Wilson, 1927; Brown, Cai & DasGupta, 2001, recommend it).
    """
    p, n = _check_p_n(p, n)
    if not is_number(level) or not 0 < level < 1:
        raise ValueError(f"level must be a confidence strictly between 0 and 1 (e.g. 0.95), got {level!r}.")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class NoiseBand:
    """Scores of one configuration under several seeds, and the noise they imply.

    scores : one validation score per seed, in the order of ``seeds``.
    seeds : the seeds that produced them.
    n : examples each score was measured on (the validation set), for the binomial error.
    correct : optional, one row per seed of 0/1 per validation example (1: that seed's network got it
        right), in the same example order for every seed; needed by ``disagreement`` and ``per_image_std``.
    """

    scores: tuple
    seeds: tuple
    n: int
    correct: tuple | None = field(default=None, repr=False)

    def __post_init__(self):
        if len(self.scores) != len(self.seeds) or len(self.scores) < 2:
            raise ValueError(f"a NoiseBand needs one score per seed and at least 2 of them, got {len(self.scores)} "
                             f"scores for {len(self.seeds)} seeds.")
        _check_p_n(0.5, self.n)
        if self.correct is not None and np.shape(self.correct) != (len(self.seeds), self.n):
            raise ValueError(f"correct must hold one row of {self.n} 0/1 values per seed, shape "
                             f"({len(self.seeds)}, {self.n}), got shape {np.shape(self.correct)}.")

    def _rows(self) -> np.ndarray:
        if self.correct is None:
            raise ValueError("this NoiseBand has no per-example results (correct=None); seed_spread keeps them "
                             "for metric='val_accuracy'.")
        return np.asarray(self.correct, dtype=float)

    @property
    def pair_differences(self) -> np.ndarray:
        """Score of seed i minus score of seed j for every pair i < j: differences that chance alone made."""
        return np.array([self.scores[i] - self.scores[j] for i, j in combinations(range(len(self.scores)), 2)])

    @property
    def disagreement(self) -> float:
        """Share of the examples on which two seeds' networks disagree (one right, one wrong), over all pairs."""
        rows = self._rows()
        return float(np.mean([np.mean(rows[i] != rows[j]) for i, j in combinations(range(len(rows)), 2)]))

    @property
    def per_image_std(self) -> float:
        """The seed std that independent per-image disagreements imply: sqrt(disagreement / (2 n)).

        Two seeds' accuracies differ by (b - c) / n, b and c the images only one of them gets
        right; with each image a disagreement with probability d, independently and either
        way alike, Var(b - c) = n d, and the difference of two runs has variance 2 std**2.
        """
        return math.sqrt(self.disagreement / (2 * self.n))

    def std_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Chi-square confidence interval of the seed std (normal scores): how well ``len(seeds)`` seeds pin it."""
        if not is_number(level) or not 0 < level < 1:
            raise ValueError(f"level must be a confidence strictly between 0 and 1 (e.g. 0.95), got {level!r}.")
        df = len(self.scores) - 1
        chi2 = stats.chi2.ppf([0.5 + level / 2, 0.5 - level / 2], df)
        return tuple(float(self.std * math.sqrt(df / c)) for c in chi2)

    @property
    def mean(self) -> float:
        return float(np.mean(self.scores))

    @property
    def std(self) -> float:
        """Seed-to-seed standard deviation of one run's score (ddof=1: an unbiased variance)."""
        return float(np.std(self.scores, ddof=1))

    @property
    def range(self) -> float:
        """Largest minus smallest score over the seeds."""
        return float(np.max(self.scores) - np.min(self.scores))

    @property
    def binomial_se(self) -> float:
        """Standard error of an accuracy like the mean one measured on ``n`` examples."""
        return binomial_se(min(max(self.mean, 0.0), 1.0), self.n)

    def band(self, k: int = 1) -> float:
        """The noise band: the smallest difference between two configurations' mean scores over ``k`` seeds each
        that seed noise alone produces less than about 5 percent of the time, 2 * std * sqrt(2 / k).

        Two runs of the same quality differ by a normal variable with standard deviation
        std * sqrt(2 / k); twice that is its two-sided 95 percent range (z = 1.96, rounded).
        """
        if not is_int(k) or k < 1:
            raise ValueError(f"k must be the number of seeds each score averages, an int >= 1, got {k!r}.")
        return 2 * self.std * math.sqrt(2 / k)

    def __str__(self) -> str:
        low, high = self.std_interval()
        per_image = "" if self.correct is None else (
            f"; seeds disagree on {self.disagreement:.1%} of the images, so per image std {self.per_image_std:.4f}")
        return (f"{len(self.scores)} seeds: mean {self.mean:.3f}, std {self.std:.4f} (95% CI {low:.4f} to "
                f"{high:.4f}), range {self.range:.4f}; binomial SE on {self.n} examples {self.binomial_se:.4f}"
                f"{per_image}; noise band (1 seed each) {self.band():.4f}")


def _seeds(seeds) -> tuple:
    if is_int(seeds):
        seeds = range(int(seeds))
    if not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a count (int) or a list of ints, got {seeds!r}.")
    seeds = tuple(seeds)
    if any(not is_int(s) for s in seeds):
        raise TypeError(f"seeds must be ints, got {list(seeds)}.")
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must hold at least 2 different seeds to measure a spread, got {list(seeds)}; "
                         "use e.g. seeds=5.")
    return tuple(int(s) for s in seeds)


def seed_spread(params: dict | None, data, seeds=5, metric: str = "val_accuracy", n_jobs: int = 1) -> NoiseBand:
    """Train ``params`` on ``data`` once per seed with ``keras_task.train``; the last-epoch ``metric`` of each.

    ``seeds`` is a count (seeds 0 .. count-1) or a list of distinct ints. Arguments are
    checked before any training. With ``metric="val_accuracy"`` the band also keeps, per seed,
    which validation images the network got right (``NoiseBand.correct``). ``n_jobs`` trains
    that many seeds at once, each in its own process; every seed trains as it would alone, so
    the band is the same (a process costs a few seconds to start: worth it from about ten seeds).
    """
    from .. import keras_task as kt  # TensorFlow only when a network is trained
    from ..core.workers import process_pool

    seeds = _seeds(seeds)
    check_int("n_jobs", n_jobs, 1, why="1 trains the seeds one after another in this process")
    kt.resolve_params(params)  # a bad hyperparameter fails here, not after the first run
    if not isinstance(data, kt.Dataset):
        raise TypeError(f"data must be a Dataset from keras_task.load_data() or from_arrays(), "
                        f"got {type(data).__name__}.")
    if metric not in ("val_accuracy", "val_loss"):
        raise ValueError(f"metric={metric!r} is unknown; use 'val_accuracy' or 'val_loss'.")
    if n_jobs == 1:
        runs = [_one_seed(params, data, s, metric) for s in seeds]
    else:
        with process_pool(min(n_jobs, len(seeds))) as pool:
            runs = list(pool.map(_one_seed, *zip(*[(params, data, s, metric) for s in seeds])))
    scores, correct = [score for score, _ in runs], [row for _, row in runs if row is not None]
    return NoiseBand(scores=tuple(scores), seeds=seeds, n=len(data.y_val), correct=tuple(correct) or None)


def _one_seed(params: dict | None, data, seed: int, metric: str) -> tuple[float, tuple | None]:
    """One training of ``seed_spread``: its score, and which validation images it got right (val_accuracy only)."""
    from .. import keras_task as kt

    model, history = kt.train(params, data, seed=seed)
    if metric != "val_accuracy":
        return float(history[metric][-1]), None
    predicted = np.argmax(model.predict(data.x_val, verbose=0), axis=-1)
    return float(history[metric][-1]), tuple(int(c) for c in predicted == np.asarray(data.y_val))
