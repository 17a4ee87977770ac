"""Checks for chapter 1 (introduction): counting a network's parameters, and telling
parameters from hyperparameters."""

from __future__ import annotations

from collections.abc import Callable

# What each item is: learned by the fit ("parameter") or chosen before it ("hyperparameter").
ITEMS = {
    "the weights of the first Dense layer": "parameter",
    "the learning rate of the optimizer": "hyperparameter",
    "the number of hidden units": "hyperparameter",
    "the biases of the output layer": "parameter",
    "the batch size": "hyperparameter",
    "the number of training epochs": "hyperparameter",
    "the activation function": "hyperparameter",
    "the dropout rate": "hyperparameter",
}

WHY = {
    "parameter": "it is a number inside the model that gradient descent updates at every step",
    "hyperparameter": "it is chosen before the fit and gradient descent never changes it",
}


def _dense_parameters(sizes: list[int]) -> int:
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_count_parameters(count_parameters: Callable) -> None:
    """``count_parameters(sizes)`` for a stack of Dense layers with biases, sizes = [inputs, hidden..., outputs]."""
    cases = [[64, 32, 10], [64, 10], [784, 128, 64, 10], [3, 1], [64, 16, 16, 16, 2]]
    for sizes in cases:
        got, want = count_parameters(list(sizes)), _dense_parameters(sizes)
        assert got == want, (
            f"for sizes {sizes} you count {got}, Keras counts {want}: a Dense layer from n_in to n_out "
            "has n_in * n_out weights plus n_out biases."
        )
    print(
        f"Right: {cases[0]} has {_dense_parameters(cases[0])} parameters, {cases[2]} has {_dense_parameters(cases[2])}."
    )


def check_classify(answers: dict) -> None:
    """``answers`` maps each item of ``ITEMS`` to "parameter" or "hyperparameter"."""
    assert isinstance(answers, dict), f"expected a dict, got {type(answers).__name__}."
    missing = [item for item in ITEMS if item not in answers]
    assert not missing, f"no answer for {missing}; give one for each item of ITEMS."
    for item, kind in ITEMS.items():
        got = str(answers[item]).strip().lower()
        assert got in WHY, f"{item!r}: answer 'parameter' or 'hyperparameter', not {answers[item]!r}."
        assert got == kind, f"{item!r} is not a {got}: ask whether gradient descent updates it during the fit."
    print(f"Right: all {len(ITEMS)} items. A parameter is learned by the fit; a hyperparameter is set around it.")
