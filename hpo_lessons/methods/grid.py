"""Grid search: every combination of a few values per dimension, in a fixed order."""

from __future__ import annotations

from ..core.space import Space
from .base import Exhausted, Optimizer, Suggestion


class GridSearch(Optimizer):
    """Full factorial grid over ``space``.

    Numeric dimensions get ``points_per_dim`` evenly spaced values (evenly in log space on log
    dimensions, de-duplicated on integers); categoricals get every choice. The order is that of
    ``itertools.product`` over the dimensions in declaration order: the last dimension varies
    fastest. ``ask()`` raises ``Exhausted`` once every point was served, which ``run()`` treats
    as the natural end of the search.

    >>> from hpo_lessons import Space, Integer, Categorical
    >>> grid = GridSearch(Space(units=Integer(16, 64), act=Categorical(["relu", "tanh"])), points_per_dim=3)
    >>> len(grid), grid.ask()
    (6, Suggestion(id=0, params={'units': 16, 'act': 'relu'}, budget=None))
    """

    def __init__(self, space: Space, points_per_dim: int | dict = 5, seed: int | None = None):
        super().__init__(space, seed)  # the grid is deterministic; seed is accepted for a uniform API
        self.points_per_dim = points_per_dim
        self.points = space.grid(points_per_dim)
        self._next = 0

    def ask(self) -> Suggestion:
        while self._next < len(self.points):
            params = self.points[self._next]
            self._next += 1
            if not self.seen(params):
                return self._suggest(params)
        raise Exhausted(f"all {len(self.points)} grid points were proposed")

    def __len__(self) -> int:
        return len(self.points)

    @property
    def size(self) -> int:
        return len(self.points)
