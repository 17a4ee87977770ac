"""Running and judging comparisons: which methods, over which seeds, and what the results say.

- ``registry``: every method by name (ours, Keras Tuner's, Optuna's), with its settings;
- ``compare``: methods x seeds on one objective -> one table (``compare.compare``);
- ``profiles``: the budgets of the ``quick`` and ``full`` profiles;
- ``analysis``: what a search spent and how good its incumbent was (regret per epoch);
- ``table_search``: one search on the learning-curve table, paired on seeds, and many at once in processes;
- ``noise``: how far two scores of one network differ by chance (seeds, binomial error);
- ``statistics``: paired tests (McNemar, Wilcoxon; Mann-Whitney for unpaired designs), TOST, Holm and
  Benjamini-Hochberg across a table; its module docstring lists the whole statistics API;
- ``bootstrap``: intervals of a paired difference over seeds, examples, or both;
- ``power``: the seeds a difference needs, and the difference a seed count detects;
- ``verdict``: ``Verdict`` (better / equivalent within a margin / not decided), ``compare_searches``,
  ``compare_models``, ``judge_table``, ``adjust``, ``verdicts_frame``.
"""
