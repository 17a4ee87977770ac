"""Random search: independent draws, uniform in the (log-)transformed unit cube."""

from __future__ import annotations

import math
import warnings

from ..core.checks import is_int
from ..core.space import Space
from .base import Exhausted, Optimizer, Suggestion

DESIGNS = ("uniform", "sobol", "lhs")


class RandomSearch(Optimizer):
    """Sample configurations uniformly, or from a quasi-random design that fills space more evenly.

    Parameters
    ----------
    design : "uniform" (independent draws), "sobol" (scrambled Sobol sequence) or "lhs" (Latin
        hypercube in batches of ``batch_size``: each batch has one point in every 1/batch_size
        slice of every dimension).

    Random search is the baseline every other method must beat (Bergstra & Bengio, 2012).
    With ``unique=True`` (the default) it never proposes a configuration twice: after 100
    draws that only repeat, it picks at random among the configurations not proposed yet
    (a small finite space), and once every configuration was proposed ``ask()`` raises
    ``Exhausted``, which ends ``run()`` cleanly. With ``unique=False`` draws may repeat.

    >>> from hpo_lessons import Space, Real
    >>> RandomSearch(Space(x=Real(0, 1)), seed=0).ask()
    Suggestion(id=0, params={'x': 0.6369616873214543}, budget=None)
    """

    def __init__(self, space: Space, seed: int | None = None, design: str = "uniform",
                 batch_size: int = 16, unique: bool = True):
        super().__init__(space, seed)
        if design not in DESIGNS:
            raise ValueError(f"design={design!r} is unknown; use one of {DESIGNS}.")
        if not is_int(batch_size) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}.")
        self.design, self.batch_size, self.unique = design, batch_size, unique
        self._queue: list = []
        if design != "uniform":
            from scipy.stats import qmc  # imported here: scipy.stats alone costs ~0.3 s at start-up
        if design == "sobol":
            self._sampler = qmc.Sobol(len(space), scramble=True, seed=self.rng)
        elif design == "lhs":
            self._sampler = qmc.LatinHypercube(len(space), seed=self.rng)

    def _draw(self):
        if self.design == "uniform":
            return self.rng.random(len(self.space))
        if not self._queue:
            with warnings.catch_warnings():  # Sobol warns when n is not a power of two
                warnings.simplefilter("ignore", UserWarning)
                self._queue = list(self._sampler.random(self.batch_size))
        return self._queue.pop(0)

    @property
    def size(self) -> float:
        return self.space.size if self.unique else math.inf

    def ask(self) -> Suggestion:
        if self.unique and len(self._seen) >= self.space.size:
            raise Exhausted(f"all {self.space.size} configurations of the space were proposed")
        params = self.space.from_unit(self._draw())
        for _ in range(100):
            if not (self.unique and self.seen(params)):
                return self._suggest(params)
            params = self.space.from_unit(self._draw())
        unseen = [p for p in self.space.configurations() if not self.seen(p)] if self.space.size <= 1_000_000 else []
        if not unseen:  # a huge space whose draws keep repeating: accept the repeat rather than loop forever
            return self._suggest(params)
        return self._suggest(unseen[int(self.rng.integers(len(unseen)))])
