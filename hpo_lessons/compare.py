"""``hpo_lessons.compare``: methods x seeds on one objective, one table (kept here by its public name;
the code is ``hpo_lessons/experiments/compare.py``)."""

from .experiments.compare import COLUMNS, compare, direction_of, final_rows, grid_points_per_dim, leaderboard

__all__ = ["COLUMNS", "compare", "direction_of", "final_rows", "grid_points_per_dim", "leaderboard"]
