"""How far apart two scores must be before the difference means something.

Two sources of noise sit in every validation accuracy the course reports:

- **the seed**: the same configuration trained again with another seed (other initial
  weights, another order of the batches) scores differently; ``seed_spread`` trains it over
  several seeds and returns the spread;
- **the sample**: an accuracy measured on ``n`` images estimates the accuracy on all images
  like them with a binomial standard error ``sqrt(p (1 - p) / n)`` (``binomial_se``;
  ``binomial_interval`` gives Wilson's interval, which stays inside [0, 1]).

Chapter 2 measures both once for the default network; later chapters call the same
functions and name the result "the noise band". Example (tests/test_noise.py runs it)::

    from hpo_lessons import keras_task as kt
    from hpo_lessons.experiments import noise
    data = kt.load_data("digits")
    band = noise.seed_spread({"epochs": 8}, data, seeds=5)
    band.std, band.range, band.binomial_se, band.band()   # seed std, max - min, SE on 359 images, 2.8 std
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from ..core.checks import is_int, is_number

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
    """

    scores: tuple
    seeds: tuple
    n: int

    def __post_init__(self):
        if len(self.scores) != len(self.seeds) or len(self.scores) < 2:
            raise ValueError(f"a NoiseBand needs one score per seed and at least 2 of them, got {len(self.scores)} "
                             f"scores for {len(self.seeds)} seeds.")
        _check_p_n(0.5, self.n)

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
        return (f"{len(self.scores)} seeds: mean {self.mean:.3f}, std {self.std:.4f}, range {self.range:.4f}; "
                f"binomial SE on {self.n} examples {self.binomial_se:.4f}; noise band (1 seed each) "
                f"{self.band():.4f}")


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


def seed_spread(params: dict | None, data, seeds=5, metric: str = "val_accuracy") -> NoiseBand:
    """Train ``params`` on ``data`` once per seed with ``keras_task.train``; the last-epoch ``metric`` of each.

    ``seeds`` is a count (seeds 0 .. count-1) or a list of distinct ints. Arguments are
    checked before any training.
    """
    from .. import keras_task as kt  # TensorFlow only when a network is trained

    seeds = _seeds(seeds)
    kt.resolve_params(params)  # a bad hyperparameter fails here, not after the first run
    if not isinstance(data, kt.Dataset):
        raise TypeError(f"data must be a Dataset from keras_task.load_data() or from_arrays(), "
                        f"got {type(data).__name__}.")
    if metric not in ("val_accuracy", "val_loss"):
        raise ValueError(f"metric={metric!r} is unknown; use 'val_accuracy' or 'val_loss'.")
    scores = tuple(float(kt.train(params, data, seed=s)[1][metric][-1]) for s in seeds)
    return NoiseBand(scores=scores, seeds=seeds, n=len(data.y_val))
