"""The examples in the core modules' docstrings run, so the documentation cannot rot."""

import doctest
import importlib

import pytest

CORE = ["hpo_lessons.core.space", "hpo_lessons.core.history", "hpo_lessons.methods.grid", "hpo_lessons.methods.random",
        "hpo_lessons.methods.genetic", "hpo_lessons.methods.bayes", "hpo_lessons.methods.acquisition",
        "hpo_lessons.methods.rungs", "hpo_lessons.methods.successive_halving", "hpo_lessons.methods.hyperband",
        "hpo_lessons.methods.asha", "hpo_lessons.benchmarks.curves", "hpo_lessons.core.run", "hpo_lessons.core.journal",
        "hpo_lessons.core.workers", "hpo_lessons.core.simulated"]


@pytest.mark.parametrize("name", CORE)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
