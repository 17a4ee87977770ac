"""A genetic algorithm drawn: each generation's individuals and the best so far."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from ..experiments import registry
from ._common import CMAP, _axis_label, _better, _figure, _fmt, _mesh, _style
from .gp import _log_ticks


def _generation_values(ga, sign: float) -> list[np.ndarray]:
    """Each generation's told values in the objective's own sign (failed: inf, pending: dropped)."""
    out = []
    for gen in ga.generations:
        values = np.array(gen.values, dtype=float)
        out.append(sign * values[~np.isnan(values) & np.isfinite(values)])
    return out


def _span(done: list) -> str:
    """How many generations a title may claim: the complete ones, and what the search told of a partial last one
    ("11 generations of 8, and 2 individuals of the next"), since the budget rarely ends on a generation's edge."""
    complete = sum(1 for gen, _ in done if gen.complete)
    last, told = done[-1]
    partial = "" if last.complete else f", and {len(told)} individual{'s' * (len(told) != 1)} of the next"
    return f"{complete} generation{'s' * (complete != 1)}{partial}"


def ga_generations(ga, direction: str = "minimize", x: str | None = None, y: str | None = None,
                   background: Callable | None = None, log: bool | None = None, ax=None,
                   metric: str = "objective value", title: str | None = None):  # fmt: skip
    """How a ``GeneticAlgorithm``'s population improves, one generation after another.

    Without ``x``/``y``: every individual's value per generation (dots, elites carried over
    from the previous generation as open circles) and the best so far (line). With ``x`` and
    ``y``: the individuals over those two hyperparameters, coloured by generation, over the
    contours of ``background`` (a callable on params dicts, e.g. a benchmark; the other
    dimensions are held at the best individual's values). ``log`` puts values on a log axis;
    by default when they are all positive and span more than two decades. ``metric`` names the
    objective (e.g. "validation accuracy") on the value axis and the background's colour bar;
    a second colour bar maps the dots' colours to generation numbers.
    """
    sign = registry.sign(direction)
    values = _generation_values(ga, sign)
    done = [(g, v) for g, v in zip(ga.generations, values, strict=True) if len(v)]
    if not done:
        raise ValueError("ga_generations: no generation has a told value yet; run the search first.")
    if (x is None) != (y is None):
        raise ValueError("ga_generations: give both x and y (two hyperparameter names), or neither.")
    owned = ax is None  # a figure made here is laid out here; an ax passed in belongs to the caller's layout
    fig, ax = _figure(ax, figsize=(7, 4.2))
    if x is None:
        rng = np.random.default_rng(0)  # jitter only, so dots of equal value do not hide each other
        best = []
        for gen, vals in done:
            told = np.array(gen.values, dtype=float)
            elite = np.zeros(len(told), dtype=bool)
            elite[: gen.n_elites] = True
            keep = ~np.isnan(told) & np.isfinite(told)
            xs = gen.number + rng.uniform(-0.15, 0.15, keep.sum())
            is_elite = elite[keep]
            ax.scatter(xs[~is_elite], vals[~is_elite], s=18, color="#2ca02c", alpha=0.7)
            ax.scatter(xs[is_elite], vals[is_elite], s=30, facecolors="none", edgecolors="black")
            best.append(vals.min() if sign > 0 else vals.max())
        best = (np.minimum if sign > 0 else np.maximum).accumulate(np.array(best))
        numbers = [g.number for g, _ in done]
        ax.step(numbers, best, where="post", color="black", linewidth=1.5, label="best so far")
        ax.scatter([], [], s=18, color="#2ca02c", label="new individual")
        ax.scatter([], [], s=30, facecolors="none", edgecolors="black", label="elite, carried over")
        ax.set_xlabel("generation (count)")
        ax.set_ylabel(f"{metric} ({_better(direction)})")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the data, never on it
        every = np.concatenate([v for _, v in done])
        if log is None:  # early generations are often orders of magnitude worse than late ones
            log = bool(every.min() > 0 and every.max() / every.min() > 100)
        if log:
            ax.set_yscale("log")
        ax.xaxis.get_major_locator().set_params(integer=True)
        default = (
            f"Best value goes from {best[0]:.3g} to {best[-1]:.3g} over {_span(done)} (population {ga.population_size})"
        )
    else:
        space = ga.space
        if background is not None:
            top = _best_individual(ga)
            xs, ys, params = _mesh(space, x, y, {k: v for k, v in top.items() if k not in (x, y)}, 60)
            z = np.array([background(p) for p in params], dtype=float).reshape(len(ys), len(xs))
            filled = ax.contourf(xs, ys, z, levels=20, cmap="Greys_r", alpha=0.8)
            fig.colorbar(filled, ax=ax, label=f"{metric} ({_better(direction)})")
        generations = ScalarMappable(Normalize(0, max(1, done[-1][0].number)), plt.get_cmap(CMAP))
        for gen, _ in done:
            ax.scatter([p[x] for p in gen.individuals], [p[y] for p in gen.individuals], s=22,
                       color=generations.to_rgba(gen.number), edgecolors="white", linewidths=0.4)  # fmt: skip
        fig.colorbar(generations, ax=ax, label="generation (count)")
        ax.set_xlabel(_axis_label(space, x))
        ax.set_ylabel(_axis_label(space, y))
        for axis, dim in ((ax.xaxis, x), (ax.yaxis, y)):
            if getattr(space[dim], "log", False):
                (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
                _log_ticks(axis)
        best = _best_individual(ga)
        default = f"The population closes in on {x} = {_fmt(best[x])}, {y} = {_fmt(best[y])} in {_span(done)}"
    _style(ax)
    ax.set_title(title if title is not None else default, fontsize=10)
    if owned:
        fig.tight_layout()
    return fig


def _best_individual(ga) -> dict:
    pairs = [(p, v) for g in ga.generations for p, v in zip(g.individuals, g.values, strict=True) if np.isfinite(v)]
    return min(pairs, key=lambda pv: pv[1])[0]
