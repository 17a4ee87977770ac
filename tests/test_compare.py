"""compare(): many methods x seeds -> one row per trial; leaderboard(); the grid-size helper.

References: ``Space.grid`` for the grid size, numpy's median/percentiles over the final rows
for the leaderboard, the benchmark's known minimum for regret.
"""


import numpy as np
import pandas as pd
import pytest

import hpo_lessons as hl
from hpo_lessons import benchmarks
from hpo_lessons.compare import COLUMNS, compare, final_rows, grid_points_per_dim, leaderboard
from hpo_lessons.experiments import registry

FAST_BO = {"n_initial": 3, "n_candidates": 200, "n_restarts": 0}  # keep the GP cheap on 2 CPU cores


def _grid_size(space, counts):
    return len(space.grid(counts))


@pytest.mark.parametrize(
    "space, budget",
    [
        (hl.Space(x=hl.Real(0, 1), y=hl.Real(0, 1)), 20),
        (hl.Space(x=hl.Real(1e-3, 1, log=True), n=hl.Integer(1, 3), c=hl.Categorical(["a", "b"])), 30),
        (hl.Space(n=hl.Integer(1, 4), m=hl.Integer(2, 3)), 100),
        (hl.Space(a=hl.Real(0, 1), b=hl.Real(0, 1), c=hl.Real(0, 1)), 7),
    ],
)
def test_grid_points_fill_the_budget_without_exceeding_it(space, budget):
    counts = grid_points_per_dim(space, budget)
    size = _grid_size(space, counts)
    assert size <= budget
    for name in counts:  # maximal: one more point on any dimension either overflows or adds nothing new
        bigger = _grid_size(space, dict(counts, **{name: counts[name] + 1}))
        assert bigger > budget or bigger == size


def test_grid_points_examples():
    assert grid_points_per_dim(hl.Space(x=hl.Real(0, 1), y=hl.Real(0, 1)), 20) == {"x": 5, "y": 4}
    assert grid_points_per_dim(hl.Space(n=hl.Integer(1, 4), m=hl.Integer(2, 3)), 100) == {"n": 4, "m": 2}
    # the categoricals alone exceed the budget: one (middle) point per numeric dimension
    space = hl.Space(x=hl.Real(0, 1), c=hl.Categorical(list("abcdef")))
    assert grid_points_per_dim(space, 4) == {"x": 1}


@pytest.fixture(scope="module")
def branin_table():
    bench = benchmarks.branin()
    kwargs = {"bayes": FAST_BO, "genetic": {"population_size": 4}}
    return compare(bench, bench.space, ["grid", "random", "bayes", "genetic"], n_trials=6, seeds=2,
                   minimum=bench.minimum, progress=False, method_kwargs=kwargs)  # fmt: skip


def test_one_row_per_trial_with_the_documented_columns(branin_table):
    df = branin_table
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    assert "regret" in df and {"params_x1", "params_x2"} <= set(df.columns)
    counts = df.groupby(["method", "seed"]).size()
    assert len(counts) == 4 * 2 and (counts == 6).all()  # 6 trials fit a 3 x 2 grid exactly
    for _, group in df.groupby(["method", "seed"]):
        assert group["trial"].tolist() == list(range(6))


def test_best_so_far_regret_and_time_are_consistent(branin_table):
    df = branin_table
    for _, group in df.groupby(["method", "seed"]):
        best = group["best_so_far"].to_numpy()
        assert np.all(np.diff(best) <= 0), "best so far must never get worse when minimizing"
        np.testing.assert_allclose(best, np.minimum.accumulate(group["value"].to_numpy()))
        assert np.all(np.diff(group["elapsed"].to_numpy()) >= 0)
        assert (group["elapsed"] >= group["seconds"].cumsum() - 1e-9).all()  # wall clock includes the method
    assert (df["regret"] >= 0).all()
    # Reference: Branin's closed form (Dixon & Szego), minimum 5 / (4 pi) = 0.397887.
    def branin(x1, x2):
        b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
        return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10

    values = branin(df["params_x1"].to_numpy(), df["params_x2"].to_numpy())
    np.testing.assert_allclose(df["value"], values)
    firsts = df[df["trial"] == 0]
    np.testing.assert_allclose(firsts["regret"], branin(firsts["params_x1"], firsts["params_x2"]) - 0.39788735772973816)


def test_seeds_reach_the_methods(branin_table):
    df = branin_table
    random = df[df["method"] == "random"]
    assert not np.allclose(random[random["seed"] == 0]["value"], random[random["seed"] == 1]["value"])
    again = compare(benchmarks.branin(), benchmarks.branin().space, ["random"], n_trials=6, seeds=[1], progress=False)
    np.testing.assert_allclose(again["value"], random[random["seed"] == 1]["value"])


def test_grid_runs_once_and_is_copied_for_the_other_seeds(branin_table):
    grid = branin_table[branin_table["method"] == "grid"]
    first, second = grid[grid["seed"] == 0], grid[grid["seed"] == 1]
    np.testing.assert_allclose(first["value"], second["value"])
    assert not first["copied"].any() and second["copied"].all()
    assert not branin_table[branin_table["method"] != "grid"]["copied"].any()


def test_histories_come_back_on_request():
    bench = benchmarks.mixed()
    df, histories = compare(bench, bench.space, ["grid", "genetic"], n_trials=5, seeds=[3, 4], progress=False,
                            return_histories=True)  # fmt: skip
    assert set(histories) == {("grid", 3), ("grid", 4), ("genetic", 3), ("genetic", 4)}
    for (method, seed), history in histories.items():
        rows = df[(df["method"] == method) & (df["seed"] == seed)]
        assert [t.value for t in history] == rows["value"].tolist()
    assert histories[("grid", 3)] is histories[("grid", 4)]  # the grid ran once


def test_leaderboard_matches_the_final_rows(branin_table):
    board = leaderboard(branin_table)
    assert set(board["method"]) == {"grid", "random", "bayes", "genetic"} and len(board) == 4
    assert board["median_regret"].is_monotonic_increasing
    final = final_rows(branin_table)
    for _, row in board.iterrows():
        mine = final[final["method"] == row["method"]]["best_so_far"].to_numpy()
        q25, q50, q75 = np.percentile(mine, [25, 50, 75])
        assert row["median_best"] == pytest.approx(q50) and row["iqr_best"] == pytest.approx(q75 - q25)
        ran = branin_table[(branin_table["method"] == row["method"]) & ~branin_table["copied"]]
        assert row["total_seconds"] == pytest.approx(ran["seconds"].sum())
        assert row["failed"] == 0


def test_failures_maximize_and_leaderboard_order():
    space = hl.Space(x=hl.Real(0, 1))

    def objective(params):  # maximize x; fail on the left third of the range
        if params["x"] < 1 / 3:
            raise RuntimeError("diverged")
        return params["x"]

    df = compare(objective, space, "random,grid", n_trials=9, seeds=[0, 1], direction="maximize", minimum=1.0,
                 progress=False)  # fmt: skip
    assert set(df["status"]) == {"complete", "failed"}
    for _, group in df.groupby(["method", "seed"]):
        best = group["best_so_far"].dropna().to_numpy()
        assert np.all(np.diff(best) >= 0)
    regret = df["regret"].dropna()
    assert (regret >= 0).all()
    np.testing.assert_allclose(regret, 1.0 - df["best_so_far"].dropna())
    board = leaderboard(df)
    ran = df[~df["copied"]]
    for _, row in board.iterrows():
        assert row["failed"] == int((ran[ran["method"] == row["method"]]["status"] == "failed").sum())
    assert board["median_regret"].is_monotonic_increasing
    without_regret = leaderboard(df.drop(columns="regret"))
    assert without_regret["median_best"].is_monotonic_decreasing  # maximize: highest first


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"methods": ["random", "simulated-annealing"]}, "valid methods are: grid, random, bayes"),
        ({"methods": []}, "methods is empty"),
        ({"methods": ["random", "random"]}, "twice"),
        ({"n_trials": 0}, "n_trials"),
        ({"seeds": 0}, "seeds"),
        ({"seeds": [0, 0]}, "repeats"),
        ({"direction": "up"}, "direction"),
        ({"minimum": float("nan")}, "minimum"),
        ({"method_kwargs": {"bayes": {}}}, "method_kwargs"),
    ],
)
def test_bad_arguments_fail_before_any_trial(kwargs, match):
    calls = []
    args = {"methods": ["random"], "n_trials": 3, "seeds": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        compare(lambda p: calls.append(p) or 0.0, hl.Space(x=hl.Real(0, 1)), progress=False, **args)
    assert calls == []


def test_every_documented_method_name_is_accepted():
    assert set(registry.names()) >= {"grid", "random", "bayes", "genetic", "kt-random", "kt-grid", "kt-bayesian",
                                 "kt-hyperband"}  # fmt: skip


def test_one_progress_bar_over_the_whole_comparison(capsys):
    compare(lambda p: p["x"], hl.Space(x=hl.Real(0, 1)), ["random", "grid"], n_trials=4, seeds=2)
    err = capsys.readouterr().err
    assert "16/16" in err and "trials:" not in err  # run()'s own per-search bars stay off


class Curve:
    """Branin after ``budget`` epochs (10 / budget worse than converged), at most 9 epochs; importable by workers."""

    max_budget = 9

    def __call__(self, params, budget=None):
        return benchmarks.branin()(params) + 10.0 / (budget or self.max_budget)


def test_ids_and_budgets_in_the_table_and_workers_inside_each_search():
    """Reference: the same comparison with one worker; random search's proposals do not depend on results,
    so with 3 workers each id gets the same configuration, whatever order the results come back in."""
    bench = benchmarks.branin()
    one = compare(bench, bench.space, ["random", "genetic"], n_trials=9, seeds=[0, 1], progress=False,
                  method_kwargs={"genetic": {"population_size": 3}})  # fmt: skip
    three = compare(bench, bench.space, ["random", "genetic"], n_trials=9, seeds=[0, 1], progress=False,
                    method_kwargs={"genetic": {"population_size": 3}}, n_workers=3, executor="threads")  # fmt: skip
    for frame in (one, three):
        assert list(frame.columns[: len(COLUMNS)]) == COLUMNS and COLUMNS[-2:] == ["id", "budget"]
        assert frame["budget"].isna().all()  # full-fidelity trials of an objective without max_budget
        for _, group in frame.groupby(["method", "seed"]):
            assert sorted(group["id"]) == list(range(9))
    key = ["method", "seed", "id"]
    params = ["params_x1", "params_x2", "value"]
    pd.testing.assert_frame_equal(one.sort_values(key)[key + params].reset_index(drop=True),
                                  three.sort_values(key)[key + params].reset_index(drop=True))


def test_multi_fidelity_methods_share_the_table_with_their_budgets():
    bench, curve = benchmarks.branin(), Curve()
    methods = [m for m in ("hyperband", "optuna-hyperband", "random") if m in registry.names()]
    df = compare(curve, bench.space, methods, n_trials=12, seeds=[0, 1], minimum=bench.minimum, progress=False)
    assert set(df["method"]) == set(methods)
    assert set(df[df["method"] == "random"]["budget"]) == {9}  # a full trial: the objective's max_budget
    for method in set(methods) - {"random"}:
        budgets = df[df["method"] == method]["budget"]
        assert set(budgets) <= {1, 3, 9} and budgets.min() == 1
    assert (df["regret"] >= 0).all()
    values = [curve({"x1": a, "x2": b}, budget=r) for a, b, r in zip(df["params_x1"], df["params_x2"], df["budget"])]
    np.testing.assert_allclose(df["value"], values)


def test_each_search_starts_without_the_checkpoints_of_the_others():
    class Remembers:
        """Like KerasObjective: a call resumes what this configuration trained before, unless cleared."""

        max_budget = 9

        def __init__(self):
            self.trained, self.cleared = {}, 0

        def __call__(self, params, budget=None):
            resumed = self.trained.get(params["c"], 0)
            self.trained[params["c"]] = budget or self.max_budget
            return {"value": 1.0, "resumed_from": resumed}

        def clear_checkpoints(self):
            self.trained.clear()
            self.cleared += 1

    objective = Remembers()
    space = hl.Space(c=hl.Categorical(["a", "b"]))  # both seeds' searches try both configurations
    df, histories = compare(objective, space, ["random"], n_trials=2, seeds=[0, 1], progress=False,
                            return_histories=True)  # fmt: skip
    assert objective.cleared == 2 and len(df) == 4
    assert [t.extras["resumed_from"] for h in histories.values() for t in h] == [0, 0, 0, 0]


def test_a_multi_fidelity_method_on_an_objective_without_budget_is_refused_before_any_trial():
    calls = []
    space = hl.Space(x=hl.Real(0, 1))
    with pytest.raises(ValueError, match="sh gives each trial a budget"):
        compare(lambda p: calls.append(p) or 0.0, space, ["random", "sh"], n_trials=3, seeds=1, progress=False)
    with pytest.raises(ValueError, match="max_budget"):
        compare(lambda p, budget: calls.append(p) or 0.0, space, ["sh"], n_trials=3, seeds=1, progress=False)
    assert calls == []


def test_frameworks_run_with_workers_and_a_total_budget():
    pytest.importorskip("optuna")
    bench = benchmarks.branin()
    df, histories = compare(Curve(), bench.space, ["kt-random", "optuna-tpe", "kt-hyperband"], seeds=[0],
                            total_budget=45, n_workers=2, executor="threads", progress=False,
                            return_histories=True)  # fmt: skip
    spent = df.groupby("method")["budget"].sum()
    assert (spent <= 45).all() and spent["kt-random"] == 45 and spent["optuna-tpe"] == 45
    assert df.groupby("method")["id"].nunique().equals(df.groupby("method").size())
    hyperband = histories[("kt-hyperband", 0)]
    assert all(t.extras["epochs"] == t.budget and "bracket" in t.extras for t in hyperband)  # Keras Tuner's schedule
    assert {t.budget for t in hyperband} <= {1, 3, 9}  # max_epochs from the objective's max_budget


@pytest.mark.keras
@pytest.mark.slow
def test_frameworks_land_in_the_same_table():
    pytest.importorskip("optuna")
    bench = benchmarks.branin()
    methods = ["kt-random", "kt-bayesian", "kt-grid", "kt-genetic", "optuna-tpe", "optuna-random", "random"]
    df = compare(bench, bench.space, methods, n_trials=4, seeds=[0, 1], minimum=bench.minimum, progress=False,
                 method_kwargs={"kt-bayesian": {"num_initial_points": 2}})  # fmt: skip
    assert set(df["method"]) == set(methods)
    counts = df.groupby(["method", "seed"]).size()
    assert (counts <= 4).all() and (counts[[m for m in methods if m != "kt-grid"]] == 4).all()
    assert (df["regret"] >= 0).all()
    for _, group in df.groupby(["method", "seed"]):
        assert np.all(np.diff(group["best_so_far"].to_numpy()) <= 0)
        assert group["trial"].tolist() == list(range(len(group)))
    kt = df[df["method"] == "kt-random"]
    assert not np.allclose(kt[kt["seed"] == 0]["value"], kt[kt["seed"] == 1]["value"])
    assert len(leaderboard(df)) == len(methods)


@pytest.mark.keras
@pytest.mark.slow
def test_compare_on_digits_with_keras():
    from hpo_lessons import keras_task
    from hpo_lessons.cli import digits_space

    data = keras_task.load_data("digits")
    objective = keras_task.KerasObjective(data, epochs=1, metric="val_accuracy", seed=0)
    df = compare(objective, digits_space(), ["random", "kt-random"], n_trials=2, seeds=1, direction="maximize",
                 progress=False)  # fmt: skip
    assert len(df) == 4 and (df["status"] == "complete").all()
    assert df["value"].between(0, 1).all()
    assert isinstance(df, pd.DataFrame) and "regret" not in df
    board = leaderboard(df)
    assert board["median_best"].is_monotonic_decreasing


def test_parallel_searches_give_the_trials_of_the_sequential_run(branin_table):
    # Reference: the same comparison with n_jobs=1 (the module fixture); only the clocks may differ.
    bench = benchmarks.branin()
    kwargs = {"bayes": FAST_BO, "genetic": {"population_size": 4}}
    parallel = compare(bench, bench.space, ["grid", "random", "bayes", "genetic"], n_trials=6, seeds=2,
                       minimum=bench.minimum, progress=False, method_kwargs=kwargs, n_jobs=2)  # fmt: skip
    clocks = ["seconds", "elapsed"]
    pd.testing.assert_frame_equal(parallel.drop(columns=clocks), branin_table.drop(columns=clocks))


def _local_objective(params):
    return params["x"]


@pytest.mark.parametrize("n_jobs", [0, -1, 1.5, True])
def test_n_jobs_must_be_a_positive_int(n_jobs):
    with pytest.raises(ValueError, match="n_jobs must be an int >= 1"):
        compare(_local_objective, hl.Space(x=hl.Real(0, 1)), ["random"], n_trials=2, seeds=1, n_jobs=n_jobs)


def test_parallel_compare_refuses_an_objective_the_workers_cannot_import():
    space = hl.Space(x=hl.Real(0, 1))
    ran = []

    def in_a_closure(params):
        ran.append(params)
        return params["x"]

    with pytest.raises(ValueError, match=r"n_jobs=2 .*in_a_closure.*n_jobs=1"):
        compare(in_a_closure, space, ["random"], n_trials=2, seeds=1, n_jobs=2, progress=False)
    assert ran == []  # refused before any trial
    anonymous = benchmarks.Benchmark("plain", space, 0.0, [{"x": 0.0}], lambda x: x[:, 0])
    with pytest.raises(ValueError, match="pickle"):
        compare(anonymous, space, ["random"], n_trials=2, seeds=1, n_jobs=2, progress=False)


def test_benchmarks_pickle_by_recipe():
    import pickle

    for bench in (benchmarks.branin(), benchmarks.ackley(4), benchmarks.get("mixed")):
        copy = pickle.loads(pickle.dumps(bench))
        assert copy.name == bench.name and copy.space.names == bench.space.names
        assert copy(bench.argmins[0]) == bench(bench.argmins[0])
