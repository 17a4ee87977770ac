"""Chapter 1 exercise checks accept the worked solutions and reject wrong answers.
Reference for the parameter count: Keras's own ``count_params`` on the same Dense stack."""

import pytest
from solutions import solution

from hpo_lessons.exercises import ch01

# The chapter's worked solutions, as the learner reads them (tests/solutions.py).
count_parameters = solution("01", "count_parameters")


def test_count_parameters_accepts_the_solution(capsys):
    ch01.check_count_parameters(count_parameters)
    assert "Right" in capsys.readouterr().out


def test_count_parameters_rejects_forgetting_the_biases():
    with pytest.raises(AssertionError, match="biases"):
        ch01.check_count_parameters(lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))


@pytest.mark.keras
def test_the_formula_agrees_with_keras():
    keras = pytest.importorskip("keras")
    sizes = [64, 32, 16, 10]
    model = keras.Sequential([keras.Input((sizes[0],))] + [keras.layers.Dense(n) for n in sizes[1:]])
    assert model.count_params() == count_parameters(sizes) == ch01._dense_parameters(sizes)


def test_classify_accepts_the_solution(capsys):
    ch01.check_classify(dict(ch01.ITEMS))
    assert "Right" in capsys.readouterr().out


def test_classify_rejects_a_learning_rate_called_a_parameter():
    answers = dict(ch01.ITEMS)
    answers["the learning rate of the optimizer"] = "parameter"
    with pytest.raises(AssertionError, match="learning rate"):
        ch01.check_classify(answers)


def test_classify_rejects_missing_items_and_unknown_words():
    with pytest.raises(AssertionError, match="no answer"):
        ch01.check_classify({})
    answers = {item: "weight" for item in ch01.ITEMS}
    with pytest.raises(AssertionError, match="'parameter' or 'hyperparameter'"):
        ch01.check_classify(answers)
