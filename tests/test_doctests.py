"""The examples in the core modules' docstrings run, so the documentation cannot rot."""

import doctest
import importlib

import pytest

CORE = ["hpo_lessons.space", "hpo_lessons.history", "hpo_lessons.methods.grid", "hpo_lessons.methods.random",
        "hpo_lessons.methods.genetic", "hpo_lessons.methods.bayes", "hpo_lessons.methods.acquisition",
        "hpo_lessons.methods.rungs", "hpo_lessons.methods.successive_halving", "hpo_lessons.methods.hyperband",
        "hpo_lessons.methods.asha", "hpo_lessons.curves", "hpo_lessons.run", "hpo_lessons.journal",
        "hpo_lessons.workers", "hpo_lessons.simulated"]


@pytest.mark.parametrize("name", CORE)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
