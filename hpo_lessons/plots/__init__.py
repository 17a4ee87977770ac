"""The course's figures: convergence, GP posteriors, GA generations, grids, learning curves, timelines,
multi-fidelity (rank correlation by epoch, curves that cross, regret per epoch spent).

Every function draws one idea, labels its axes with units, and titles the figure with what
it shows, computed from the data (pass ``title=`` to state your own finding). Each returns
the matplotlib ``Figure``; none calls ``plt.show()``. Values are plotted as the objective
returned them (a method's internal minimized values are flipped back for ``maximize``).
"""

from ._common import CMAP, COLORS
from .convergence import convergence, convergence_title
from .fidelity import crossing_curves, rank_correlation, regret_vs_epochs
from .genetic import ga_generations
from .gp import gp_posterior_1d, gp_posterior_2d
from .timeline import timeline, utilisation
from .trials import grid_heatmap, learning_curves, parallel_coordinates

__all__ = ["CMAP", "COLORS", "convergence", "convergence_title", "crossing_curves", "ga_generations",
           "gp_posterior_1d", "gp_posterior_2d", "grid_heatmap", "learning_curves", "parallel_coordinates",
           "rank_correlation", "regret_vs_epochs", "timeline", "utilisation"]
