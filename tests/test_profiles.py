"""profile(): one environment variable picks every budget of the course and the CLI."""

import pytest

import hpo_lessons as hl
from hpo_lessons.experiments.profiles import ENV_VAR, PROFILES


def test_the_environment_variable_picks_the_profile(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "full")
    assert hl.profile().name == "full" and hl.profile().dataset == "mnist"
    monkeypatch.setenv(ENV_VAR, "quick")
    assert hl.profile() is PROFILES["quick"]
    assert hl.profile("full") is PROFILES["full"]  # an explicit name wins over the variable


def test_an_unknown_profile_names_the_variable_and_the_choices(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "huge")
    with pytest.raises(ValueError, match=rf"profile 'huge' is unknown; set {ENV_VAR} to one of \['full', 'quick'\]"):
        hl.profile()


def test_quick_runs_on_embedded_data_and_full_is_larger_in_every_budget():
    quick, full = PROFILES["quick"], PROFILES["full"]
    assert quick.dataset == "digits"  # no download: CI and offline machines
    for budget in ("epochs", "n_trials", "n_seeds", "n_trials_synthetic", "n_seeds_synthetic"):
        assert getattr(full, budget) > getattr(quick, budget), budget
    assert quick.n_jobs >= 1 and full.n_jobs == 1  # one GPU: searches would only queue for it


def test_with_changes_a_copy_only():
    quick = PROFILES["quick"]
    more = quick.with_(n_trials=50)
    assert more.n_trials == 50 and quick.n_trials != 50 and more.dataset == quick.dataset
    with pytest.raises(TypeError):
        quick.with_(n_trails=50)
