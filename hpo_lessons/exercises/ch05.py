"""Checks for chapter 5 (Bayesian optimization): the Matern 5/2 kernel, and expected
improvement for an objective that is maximized."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..methods.acquisition import expected_improvement
from ..methods.gp import Matern52


def check_matern52(matern52_of_r: Callable) -> None:
    """``matern52_of_r(r, length_scale, variance)``: the kernel at unscaled distances ``r``."""
    r = np.linspace(0.0, 3.0, 31)
    for length_scale, variance in [(1.0, 1.0), (0.3, 1.0), (2.0, 0.5), (0.05, 3.0)]:
        got = matern52_of_r(r, length_scale, variance)
        assert got is not None, "matern52_of_r returned None: return the array of kernel values."
        got = np.asarray(got, dtype=float)
        assert got.shape == r.shape, f"expected one value per distance, shape {r.shape}, got shape {got.shape}."
        want = Matern52(length_scale, variance).of_distance(r / length_scale)
        assert np.isclose(got[0], variance), (
            f"at r = 0 the kernel must equal the variance {variance}, got {got[0]:.4g}: "
            "k(0) = variance * (1 + 0 + 0) * exp(0)."
        )
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), (
            f"with length_scale={length_scale}, variance={variance}: at r = {r[10]:.1f} you give "
            f"{got[10]:.6g}, the kernel is {want[10]:.6g}. Scale first, s = r / length_scale, then "
            "variance * (1 + sqrt(5) s + 5/3 s^2) * exp(-sqrt(5) s)."
        )
    print(f"Right: k(r=1) = {Matern52(1.0, 1.0).of_distance(np.array(1.0)):.6f} for length scale 1, and it "
          "falls off more slowly for longer length scales.")


def check_ei_maximize(ei_maximize: Callable) -> None:
    """``ei_maximize(mean, std, best)`` = E[max(f - best, 0)] for f ~ N(mean, std^2)."""
    rng = np.random.default_rng(5)
    mean, std = rng.uniform(0.8, 1.0, size=50), rng.uniform(0.001, 0.1, size=50)
    best = 0.93
    got = ei_maximize(mean, std, best)
    assert got is not None, "ei_maximize returned None: return the array of expected improvements."
    got = np.asarray(got, dtype=float)
    want = expected_improvement(-mean, std, -best)
    assert got.shape == mean.shape, f"expected one value per candidate, shape {mean.shape}, got {got.shape}."
    assert np.all(got >= -1e-12), "an expected improvement is never negative: it is the mean of max(f - best, 0)."
    assert np.allclose(got, want, rtol=1e-7, atol=1e-12), (
        f"at mean={mean[0]:.3f}, std={std[0]:.3f}, best={best} you give {got[0]:.6g}, the answer is {want[0]:.6g}. "
        "For a maximized f, improvement means f above best: z = (mean - best) / std and "
        "EI = (mean - best) Phi(z) + std phi(z), or reuse the minimizing EI on -mean and -best."
    )
    one = float(expected_improvement(np.array(-1.0), np.array(0.1), -0.95))
    print(f"Right: a candidate predicted at 1.00 +- 0.1 against a best of 0.95 has EI = {one:.4f}.")
