"""Raw results of the repository's slow benchmarks, shipped with the package.

A benchmark that takes an hour cannot run inside a chapter. Its script writes its raw results
(one row per run) into ``hpo_lessons/data/``; a chapter reads them from here, wherever the
package is installed (Colab included), and computes its verdicts from them with the
statistics layer, so the verdicts are the chapter's own and the data can be regenerated.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["BO_ABLATION_COLUMNS", "bo_ablation"]

BO_ABLATION_COLUMNS = ["row", "function", "seed", "regret", "seconds_per_ask"]


def bo_ablation():
    """``benchmarks/bo_ablation.py``'s runs as a pandas DataFrame, one row per (row, function, seed).

    ``row``: "ours", an ingredient switched off ("- priors (ML fit)"), or a peer ("optuna
    GPSampler"); ``regret``: final simple regret after the budget (60 evaluations); ``seconds_per_ask``:
    mean wall time of a model-based suggestion (NaN for random search). Regenerate with
    ``nice -n 10 python benchmarks/bo_ablation.py --seeds 20 --budget 60 --jobs 2`` (a repository
    checkout; the peers need ``pip install "hpo-lessons[bo-reference]"``).

    >>> frame = bo_ablation()
    >>> list(frame.columns) == BO_ABLATION_COLUMNS and "ours" in set(frame["row"])
    True
    """
    import pandas as pd

    with resources.files("hpo_lessons").joinpath("data", "bo_ablation.csv").open() as file:
        return pd.read_csv(file, header=None, names=BO_ABLATION_COLUMNS)
