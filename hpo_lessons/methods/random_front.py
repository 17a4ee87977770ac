"""Random search for several objectives: the baseline every multi-objective method must beat.

Random search never looks at the values, so it serves any number of objectives unchanged;
this class only declares how many (``run`` refuses a method whose ``n_objectives`` differs
from its ``directions``, which keeps a single-objective method from being handed a vector).
"""

from __future__ import annotations

from ..core.checks import check_int
from ..core.space import Space
from .random import RandomSearch


class RandomFront(RandomSearch):
    """``RandomSearch`` told vectors of ``n_objectives`` values; its front is ``History.pareto_front()``.

    >>> from hpo_lessons import Space, Real
    >>> RandomFront(Space(x=Real(0, 1)), n_objectives=2, seed=0).ask().params == \\
    ...     RandomSearch(Space(x=Real(0, 1)), seed=0).ask().params
    True
    """

    def __init__(self, space: Space, n_objectives: int = 2, seed: int | None = None, **random_kwargs):
        super().__init__(space, seed=seed, **random_kwargs)
        self.n_objectives = check_int("n_objectives", n_objectives, 2, None, "one objective is RandomSearch's job")
