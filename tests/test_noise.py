"""The noise band: seed spread and the binomial error of an accuracy.

References: scipy.stats.binom for the standard error of (number correct) / n, scipy's
``binomtest(...).proportion_ci(method="wilson")`` for Wilson's interval, numpy for the
spread, and ``keras_task.train`` itself for the scores ``seed_spread`` collects.
"""

import math

import numpy as np
import pytest
from scipy import stats

from hpo_lessons.experiments import noise


@pytest.mark.parametrize("p, n", [(0.925, 359), (0.5, 10), (0.99, 1000), (0.0, 50), (1.0, 7)])
def test_binomial_se_is_the_std_of_a_binomial_share(p, n):
    assert math.isclose(noise.binomial_se(p, n), stats.binom(n, p).std() / n, rel_tol=1e-12, abs_tol=1e-15)


def test_binomial_se_of_the_validation_set():
    """The number chapter 2 quotes: 92.5 percent on 359 images is uncertain by about 1.4 points."""
    assert noise.binomial_se(0.925, 359) == pytest.approx(0.0139, abs=1e-4)


@pytest.mark.parametrize("k, n, level", [(333, 359, 0.95), (5, 10, 0.9), (180, 180, 0.95), (0, 40, 0.99)])
def test_wilson_interval_matches_scipy(k, n, level):
    want = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    got = noise.binomial_interval(k / n, n, level)
    assert got == pytest.approx((want.low, want.high), abs=1e-12)


def test_interval_narrows_as_one_over_root_n():
    width = [np.subtract(*noise.binomial_interval(0.95, n)[::-1]) for n in (400, 1600)]
    assert width[0] / width[1] == pytest.approx(2, rel=0.02)


def test_band_from_scores_matches_numpy():
    scores = (0.925, 0.928, 0.922, 0.930, 0.916)
    band = noise.NoiseBand(scores=scores, seeds=tuple(range(5)), n=359)
    assert band.mean == pytest.approx(np.mean(scores))
    assert band.std == pytest.approx(np.std(scores, ddof=1))
    assert band.range == pytest.approx(0.930 - 0.916)
    assert band.binomial_se == pytest.approx(math.sqrt(band.mean * (1 - band.mean) / 359))
    assert band.band() == pytest.approx(2 * math.sqrt(2) * band.std)
    assert band.band(4) == pytest.approx(band.band() / 2)  # means over 4 seeds halve it
    assert "noise band" in str(band)


def test_band_covers_about_95_percent_of_differences_between_equal_configurations():
    """Simulated seeds: two configurations of equal quality differ by more than the band about 5 % of the time."""
    rng = np.random.default_rng(0)
    band = noise.NoiseBand(scores=tuple(rng.normal(0.9, 0.005, 2000)), seeds=tuple(range(2000)), n=359)
    differences = rng.normal(0.9, 0.005, 20_000) - rng.normal(0.9, 0.005, 20_000)
    assert 0.04 < np.mean(np.abs(differences) > band.band()) < 0.06


def test_disagreement_counts_every_pair_by_brute_force():
    rng = np.random.default_rng(1)
    rows = rng.random((6, 50)) < 0.8
    band = noise.NoiseBand(scores=tuple(rows.mean(axis=1)), seeds=tuple(range(6)), n=50,
                           correct=tuple(map(tuple, rows)))
    pairs = [(rows[i] != rows[j]).sum() / 50 for i in range(6) for j in range(6) if i < j]
    assert band.disagreement == pytest.approx(np.mean(pairs))
    assert len(band.pair_differences) == 15
    assert sorted(np.abs(band.pair_differences)) == pytest.approx(
        sorted(abs(rows[i].mean() - rows[j].mean()) for i in range(6) for j in range(6) if i < j))


def test_per_image_std_matches_the_seed_std_when_images_flip_independently():
    """Simulated seeds: each image is hard with its own probability, seeds draw independently per image.

    Reference: the std of the scores over 4,000 simulated seeds; the per-image estimate agrees within 3 %.
    """
    rng = np.random.default_rng(2)
    p_right = rng.beta(8, 1, size=359)  # most images easy, some hard
    rows = rng.random((4000, 359)) < p_right
    scores = rows.mean(axis=1)
    band = noise.NoiseBand(scores=tuple(scores[:40]), seeds=tuple(range(40)), n=359,
                           correct=tuple(map(tuple, rows[:40])))
    assert band.per_image_std == pytest.approx(scores.std(ddof=1), rel=0.03)


def test_std_interval_covers_the_true_std_95_percent_of_the_time():
    """Reference: its coverage over 2,000 simulated 12-seed experiments of known std (normal scores)."""
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(2000):
        band = noise.NoiseBand(scores=tuple(rng.normal(0.9, 0.01, 12)), seeds=tuple(range(12)), n=359)
        low, high = band.std_interval()
        hits += low < 0.01 < high
    assert 0.935 < hits / 2000 < 0.965


@pytest.mark.parametrize("call, message", [
    (lambda: noise.binomial_se(1.2, 359), "p must be"),
    (lambda: noise.binomial_se(0.9, 0), "n must be"),
    (lambda: noise.binomial_se(0.9, 35.9), "n must be"),
    (lambda: noise.binomial_interval(0.9, 100, level=95), "level must be"),
    (lambda: noise.NoiseBand(scores=(0.9,), seeds=(0,), n=359), "at least 2"),
    (lambda: noise.NoiseBand(scores=(0.9, 0.8), seeds=(0, 1), n=359).band(0), "k must be"),
    (lambda: noise.NoiseBand(scores=(0.9, 0.8), seeds=(0, 1), n=3, correct=((1, 0, 1),)), "one row of 3"),
    (lambda: noise.NoiseBand(scores=(0.9, 0.8), seeds=(0, 1), n=359).disagreement, "no per-example results"),
    (lambda: noise.NoiseBand(scores=(0.9, 0.8), seeds=(0, 1), n=359).std_interval(95), "level must be"),
    (lambda: noise.seed_spread({}, None, seeds=1), "at least 2 different seeds"),
    (lambda: noise.seed_spread({}, None, seeds=[3, 3]), "at least 2 different seeds"),
    (lambda: noise.seed_spread({}, None, seeds=[0, 1.5]), "seeds must be ints"),
    (lambda: noise.seed_spread({"unit": 8}, None, seeds=2), "Did you mean 'units'"),
    (lambda: noise.seed_spread({}, "digits", seeds=2), "data must be a Dataset"),
    (lambda: noise.seed_spread({}, None, seeds=2, n_jobs=0), "n_jobs must be an int >= 1"),
])
def test_bad_input_is_refused_before_training(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


@pytest.mark.keras
def test_seed_spread_collects_what_train_returns():
    from hpo_lessons import keras_task as kt

    data = kt.load_data("digits")
    params = {"epochs": 1, "units": 8}
    band = noise.seed_spread(params, data, seeds=[0, 1, 2])
    again = kt.train(params, data, seed=1)[1]["val_accuracy"][-1]
    assert band.seeds == (0, 1, 2) and band.n == len(data.y_val) == 359
    assert band.scores[1] == pytest.approx(again)  # the same seed gives the same score
    assert band.std > 0 and len(set(band.scores)) > 1  # other seeds, other scores
    assert np.mean(band.correct, axis=1) == pytest.approx(band.scores)  # the rows are the scores' own images


@pytest.mark.keras
@pytest.mark.slow
def test_seed_spread_in_worker_processes_is_the_sequential_band():
    """Reference: the same seeds trained one after another in this process."""
    from hpo_lessons import keras_task as kt

    data = kt.load_data("digits")
    params = {"epochs": 1, "units": 8}
    alone = noise.seed_spread(params, data, seeds=[0, 1, 2])
    together = noise.seed_spread(params, data, seeds=[0, 1, 2], n_jobs=2)
    assert together.seeds == alone.seeds and together.scores == pytest.approx(alone.scores)
    assert together.correct == alone.correct
