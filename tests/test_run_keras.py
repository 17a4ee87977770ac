"""``run`` on a real ``KerasObjective``: the direction it takes, and the checkpoints it frees.

References: the trials' own validation accuracies (the best of a maximized search is the highest
one), and a fresh objective, on which a trial trains all its epochs.
"""

import pytest

import hpo_lessons as hl

kt = pytest.importorskip("hpo_lessons.keras_task")

pytestmark = pytest.mark.keras
SPACE = hl.Space(units=hl.Categorical([4, 32]))  # 4 hidden units score well below 32 on digits in one epoch


@pytest.fixture(scope="module")
def digits():
    return kt.load_data("digits")


@pytest.mark.slow
def test_run_without_a_direction_maximizes_a_keras_objectives_accuracy(digits):
    objective = kt.KerasObjective(digits, epochs=1, seed=0)
    history = hl.run(objective, hl.GridSearch(SPACE), n_trials=2, progress=False)
    assert history.direction == "maximize" and len(history.completed) == 2
    values = [t.value for t in history]
    assert values[0] != values[1] and history.best_value == max(values)
    assert history.best.extras["history"]["val_accuracy"][-1] == max(values)


@pytest.mark.slow
def test_a_second_search_on_the_same_keras_objective_trains_its_trials_again(digits):
    """Without freeing, the second search of the same grid would get every trial from the first's
    checkpoints: 0 epochs trained in 0 seconds, a race its rival wins for free."""
    objective = kt.KerasObjective(digits, epochs=1, seed=0)
    first = hl.run(objective, hl.GridSearch(SPACE), n_trials=2, progress=False)
    assert len(objective.checkpoints) == 0  # freed with the search
    second = hl.run(objective, hl.GridSearch(SPACE), n_trials=2, progress=False)
    assert [t.extras["epochs_trained"] for t in second] == [1, 1]
    assert all(t.extras["seconds"] > 0 for t in second)
    assert [t.value for t in second] == [t.value for t in first]  # the same training, done again
