"""Search spaces: the unit-cube maps, grids, sampling and every bad input the issue lists."""

import math

import numpy as np
import pytest

from hpo_lessons import Categorical, Integer, Real, Space


def mixed_space():
    return Space(
        learning_rate=Real(1e-4, 1e-1, log=True),
        units=Integer(16, 256, log=True),
        layers=Integer(1, 3),
        activation=Categorical(["relu", "tanh", "elu"]),
    )


def test_space_keeps_declaration_order_and_reprs_readably():
    space = mixed_space()
    assert space.names == ["learning_rate", "units", "layers", "activation"]
    assert "learning_rate=Real(0.0001, 0.1, log=True)" in repr(space)
    assert "activation=Categorical(['relu', 'tanh', 'elu'])" in repr(space)


def test_real_round_trips_through_the_unit_interval_and_is_log_uniform():
    dim = Real(1e-4, 1e-1, log=True)
    for value in (1e-4, 3e-3, 1e-1):
        assert dim.from_unit(dim.to_unit(value)) == pytest.approx(value, rel=1e-12)
    # log scale: each decade gets a third of the unit interval (the reference is log10 arithmetic)
    assert dim.to_unit(1e-3) == pytest.approx(1 / 3) and dim.to_unit(1e-2) == pytest.approx(2 / 3)
    assert Real(0, 10).from_unit(0.25) == 2.5


def test_log_grid_hits_its_ends_and_whole_decades_exactly():
    # The reference is the literal decades: no 0.00010000000000000009 in a learner's grid printout.
    assert Real(1e-4, 1e-1, log=True).grid(4) == [1e-4, 1e-3, 1e-2, 1e-1]
    dim = Real(3e-4, 0.3, log=True)
    assert dim.from_unit(0.0) == 3e-4 and dim.from_unit(1.0) == 0.3


@pytest.mark.parametrize("dim", [Integer(1, 3), Integer(0, 9), Integer(16, 256, log=True)])
def test_integers_give_every_value_its_share_of_the_interval(dim):
    u = (np.arange(60_000) + 0.5) / 60_000
    values, counts = np.unique([dim.from_unit(x) for x in u], return_counts=True)
    assert values.tolist() == list(range(dim.low, dim.high + 1))  # both ends included
    if not dim.log:  # equal shares on a linear scale
        assert counts.max() - counts.min() <= 1
    else:  # equal log-width shares: the share of k is log((k+.5)/(k-.5)) / log((high+.5)/(low-.5))
        expected = np.log((values + 0.5) / (values - 0.5)) / math.log((dim.high + 0.5) / (dim.low - 0.5))
        assert np.allclose(counts / counts.sum(), expected, atol=1e-4)
    for v in (dim.low, dim.high):
        assert dim.from_unit(dim.to_unit(v)) == v
    assert isinstance(dim.from_unit(0.5), int)


def test_categorical_cells_and_one_hot():
    dim = Categorical(["relu", "tanh", "elu"])
    assert [dim.from_unit(u) for u in (0.0, 0.34, 0.99, 1.0)] == ["relu", "tanh", "elu", "elu"]
    assert dim.to_unit("tanh") == pytest.approx(0.5)
    assert dim.one_hot("elu").tolist() == [0, 0, 1]
    assert Categorical([True, 1]).size == 2  # True == 1 in Python, but they are two choices


def test_space_maps_params_to_the_cube_and_features():
    space = mixed_space()
    params = {"learning_rate": 1e-3, "units": 64, "layers": 2, "activation": "elu"}
    back = space.from_unit(space.to_unit(params))
    assert back["learning_rate"] == pytest.approx(1e-3, rel=1e-12)
    assert {k: back[k] for k in ("units", "layers", "activation")} == {"units": 64, "layers": 2, "activation": "elu"}
    features = space.to_features(params)
    assert features.shape == (3 + 3,) and features[-3:].tolist() == [0, 0, 1]


def test_sampling_is_seeded_and_in_range():
    space = mixed_space()
    a, b = space.sample(rng=0, n=50), space.sample(rng=0, n=50)
    assert a == b and space.sample(rng=1, n=50) != a
    for p in a:
        assert space.validate(p) == p
        assert type(p["units"]) is int and type(p["learning_rate"]) is float
    lrs = np.log10([p["learning_rate"] for p in space.sample(rng=2, n=4000)])
    assert abs(np.mean(lrs < -2.5) - 0.5) < 0.03  # log-uniform: half the draws below 10^-2.5


def test_size_and_grid():
    assert mixed_space().size == math.inf
    assert Space(a=Integer(1, 3), b=Categorical(["x", "y"])).size == 6
    grid = Space(lr=Real(1e-4, 1e-1, log=True), n=Integer(1, 3)).grid(4)
    assert [p["lr"] for p in grid[::3]] == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1])  # log-spaced
    assert [p["n"] for p in grid[:3]] == [1, 2, 3]  # 4 points on 1..3 de-duplicate to 3
    assert len(Space(a=Real(0, 1), b=Real(0, 1)).grid({"a": 2, "b": 3})) == 6


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Real(1, 1), ValueError, "low=1 must be < high"),
        (lambda: Real(2, 1), ValueError, "swap"),
        (lambda: Real(0, 1, log=True), ValueError, "log=True needs low > 0"),
        (lambda: Real(-1, float("inf")), ValueError, "finite"),
        (lambda: Real(float("nan"), 1), ValueError, "finite"),
        (lambda: Real("0", 1), TypeError, "must be a number"),
        (lambda: Integer(0.5, 3), ValueError, "not a whole number"),
        (lambda: Integer(0, 3, log=True), ValueError, "low > 0"),
        (lambda: Categorical([]), ValueError, "empty"),
        (lambda: Categorical(["a", "b", "a"]), ValueError, "duplicate choices 'a'"),
        (lambda: Categorical("abc"), TypeError, "must be a list"),
        (lambda: Categorical([[1, 2]]), TypeError, "JSON"),
        (lambda: Space(), ValueError, "no dimensions"),
        (lambda: Space(lr=(0, 1)), TypeError, "lr=(0, 1) is not a dimension"),
    ],
)
def test_bad_dimensions_are_refused_at_construction(make, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        make()


@pytest.mark.parametrize(
    "params, error, words",
    [
        ({"learning_rate": 1e-3, "units": 64, "layers": 2, "activation": "elu", "extra": 1}, ValueError, "unknown"),
        ({"learning_rate": 1e-3, "units": 64, "layers": 2}, ValueError, "missing key.*activation"),
        ({"learning_rate": 1.0, "units": 64, "layers": 2, "activation": "elu"}, ValueError, "learning_rate.*outside"),
        ({"learning_rate": 1e-3, "units": 64, "layers": 9, "activation": "elu"}, ValueError, "layers.*outside"),
        ({"learning_rate": 1e-3, "units": 64, "layers": 2, "activation": "gelu"}, ValueError, "not one of"),
        ({"learning_rate": 1e-3, "units": 6.5, "layers": 2, "activation": "elu"}, TypeError, "units: expected an int"),
    ],
)
def test_bad_params_are_refused_with_the_dimension_named(params, error, words):
    with pytest.raises(error, match=words):
        mixed_space().validate(params)


def test_validate_accepts_numpy_integers_and_returns_python_types():
    out = mixed_space().validate({"learning_rate": np.float64(1e-3), "units": np.int64(64), "layers": 2.0,
                                  "activation": "elu"})
    assert type(out["units"]) is int and type(out["layers"]) is int and type(out["learning_rate"]) is float


def test_to_dict_round_trip():
    space = mixed_space()
    assert Space.from_dict(space.to_dict()) == space


def test_a_dimension_shared_by_two_spaces_keeps_its_name_in_each():
    """Defect: Space(b=dim) used to rename the dimension object, so the first space's errors named 'b'."""
    dim = Real(0.0, 1.0)
    first = Space(a=dim)
    Space(b=dim)
    with pytest.raises(ValueError, match=r"^a: 2\.0 is outside"):
        first.validate({"a": 2.0})
    assert dim.name == "?"  # the object passed in is left as it was


def test_configurations_lists_a_finite_space_and_refuses_an_infinite_one():
    space = Space(n=Integer(1, 3), act=Categorical(["relu", "tanh"]))
    assert list(space.configurations()) == space.grid(3) and len(list(space.configurations())) == space.size == 6
    with pytest.raises(ValueError, match="infinitely many"):
        Space(x=Real(0.0, 1.0)).configurations()
