"""The from-scratch Gaussian process against scikit-learn's GaussianProcessRegressor and finite differences."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from hpo_lessons.methods.gp import GaussianProcess, Matern52
from hpo_lessons.methods.gp_prior import log_prior

LENGTH_SCALE, VARIANCE, NOISE, JITTER = [0.3, 0.8, 2.0], 1.7, 0.05, 1e-10


def data(n=25, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = 40.0 + 3.0 * np.sin(5 * X).sum(1) + 0.3 * rng.standard_normal(n)  # far from mean 0, std 1 on purpose
    return X, y, rng.random((12, d))


def both(X, y):
    """Ours and scikit-learn's, same fixed kernel, same jitter, both standardizing y."""
    ours = GaussianProcess(Matern52(LENGTH_SCALE, VARIANCE), noise=NOISE, optimize=False, jitter=JITTER).fit(X, y)
    kernel = ConstantKernel(VARIANCE) * Matern(length_scale=LENGTH_SCALE, nu=2.5) + WhiteKernel(NOISE)
    sk = GaussianProcessRegressor(kernel, alpha=JITTER, optimizer=None, normalize_y=True).fit(X, y)
    return ours, sk


def test_posterior_equals_sklearn():
    """Reference: scikit-learn's GaussianProcessRegressor(ConstantKernel * Matern(nu=2.5) + WhiteKernel,
    optimizer=None, normalize_y=True, alpha=jitter). scikit-learn's std includes the WhiteKernel's noise
    (its ``kernel.diag`` adds it), so it equals ours with ``noise=True``; without it, var differs by the noise."""
    X, y, X_test = data()
    ours, sk = both(X, y)
    mean, std = ours.predict(X_test, noise=True)
    sk_mean, sk_std = sk.predict(X_test, return_std=True)
    np.testing.assert_allclose(mean, sk_mean, rtol=0, atol=1e-8)
    np.testing.assert_allclose(std, sk_std, rtol=0, atol=1e-8)
    _, f_std = ours.predict(X_test)  # the latent function's std: the noise variance (scaled back to y units) removed
    np.testing.assert_allclose(f_std**2 + NOISE * ours.y_std**2, sk_std**2, rtol=1e-10)
    assert ours.y_std == pytest.approx(sk._y_train_std) and ours.y_mean == pytest.approx(sk._y_train_mean)


def test_log_marginal_likelihood_and_gradient_equal_sklearn():
    """Reference: scikit-learn's log_marginal_likelihood(theta, eval_gradient=True). With normalize_y=True
    scikit-learn computes it on the standardized y, as we do; theta is log([constant, length scales, noise])
    in both, in that order."""
    X, y, _ = data()
    ours, sk = both(X, y)
    np.testing.assert_allclose(ours.theta, sk.kernel_.theta, rtol=0, atol=1e-12)
    assert ours.log_marginal_likelihood() == pytest.approx(sk.log_marginal_likelihood_value_, abs=1e-8)
    theta = np.log([0.5, 0.2, 1.0, 3.0, 1e-3])
    lml, grad = ours.log_marginal_likelihood(theta, eval_gradient=True)
    sk_lml, sk_grad = sk.log_marginal_likelihood(theta, eval_gradient=True)
    assert lml == pytest.approx(sk_lml, abs=1e-8)
    np.testing.assert_allclose(grad, sk_grad, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_matches_finite_differences(seed):
    """Reference: forward finite differences (scipy.optimize.approx_fprime) of the log marginal
    likelihood at random hyperparameters inside the bounds."""
    X, y, _ = data(n=15, d=2, seed=seed)
    gp = GaussianProcess(optimize=False).fit(X, y)
    bounds = gp.log_bounds(2)
    theta = np.random.default_rng(seed).uniform(bounds[:, 0] / 2, bounds[:, 1] / 2)
    _, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
    numeric = approx_fprime(theta, gp.log_marginal_likelihood, 1e-7)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # noise at its bound
def test_fit_reaches_sklearn_maximum_likelihood():
    """Reference: scikit-learn's own maximum-likelihood fit (L-BFGS-B, 5 restarts) of the same kernel family
    with the same bounds; ours must reach at least its log marginal likelihood (within 1e-3)."""
    X, y, _ = data(n=30, d=2, seed=3)
    gp = GaussianProcess(n_restarts=3, seed=0).fit(X, y)
    kernel = (ConstantKernel(1.0, gp.variance_bounds) * Matern([0.5, 0.5], gp.length_scale_bounds, nu=2.5)
              + WhiteKernel(1e-3, gp.noise_bounds))
    sk = GaussianProcessRegressor(kernel, alpha=gp.jitter, normalize_y=True, n_restarts_optimizer=5,
                                  random_state=0).fit(X, y)
    assert gp.log_marginal_likelihood() >= sk.log_marginal_likelihood_value_ - 1e-3
    assert np.all(gp.log_bounds(2)[:, 0] <= gp.theta + 1e-12) and np.all(gp.theta <= gp.log_bounds(2)[:, 1] + 1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # noise at its bound
def test_shared_length_scale_fit_reaches_sklearn_isotropic_fit():
    """Reference: scikit-learn's maximum-likelihood fit of an isotropic Matern (one length scale), 5 restarts,
    same bounds. With ``ard=False`` ours fits one shared length scale and reaches at least its likelihood."""
    X, y, _ = data(n=30, d=3, seed=4)
    gp = GaussianProcess(ard=False, n_restarts=3, seed=0).fit(X, y)
    assert np.ptp(gp.kernel.length_scale) == 0
    kernel = (ConstantKernel(1.0, gp.variance_bounds) * Matern(0.5, gp.length_scale_bounds, nu=2.5)
              + WhiteKernel(1e-3, gp.noise_bounds))
    sk = GaussianProcessRegressor(kernel, alpha=gp.jitter, normalize_y=True, n_restarts_optimizer=5,
                                  random_state=0).fit(X, y)
    assert gp.log_marginal_likelihood() >= sk.log_marginal_likelihood_value_ - 1e-3


def test_fit_is_seeded_and_interpolates():
    """Same seed, same hyperparameters; on noise-free data the posterior mean passes through the points
    (closed form: with noise -> 0 the GP interpolates) and its std there is near 0."""
    X, _, _ = data(n=20, d=2)
    y = np.sin(6 * X[:, 0]) + X[:, 1] ** 2
    a, b = GaussianProcess(seed=7).fit(X, y), GaussianProcess(seed=7).fit(X, y)
    np.testing.assert_array_equal(a.theta, b.theta)
    mean, std = a.predict(X)
    np.testing.assert_allclose(mean, y, atol=0.02)
    assert std.max() < 0.05 * y.std()


def test_constant_outputs_and_one_point_do_not_break():
    """Edge cases: all-equal y (standard deviation 0) and a single observation still give finite predictions."""
    X = np.random.default_rng(0).random((5, 2))
    mean, std = GaussianProcess(seed=0).fit(X, np.full(5, 3.0)).predict(X)
    np.testing.assert_allclose(mean, 3.0, atol=1e-6)
    mean, std = GaussianProcess(seed=0).fit(X[:1], [2.0]).predict(X)
    assert np.all(np.isfinite(mean)) and np.all(np.isfinite(std))


def test_bad_input():
    """Bad input raises before any computation, naming the parameter."""
    X, y, _ = data()
    with pytest.raises(ValueError, match="one value per row"):
        GaussianProcess().fit(X, y[:-1])
    with pytest.raises(ValueError, match="length scale per column"):
        GaussianProcess(Matern52([1.0, 1.0])).fit(X, y)
    with pytest.raises(ValueError, match="n_restarts"):
        GaussianProcess(n_restarts=-1)
    with pytest.raises(ValueError, match="noise_bounds"):
        GaussianProcess(noise_bounds=(1.0, 0.1))
    with pytest.raises(RuntimeError, match="fit"):
        GaussianProcess().predict(X)


@pytest.mark.parametrize("seed", [0, 1])
def test_log_prior_and_posterior_gradients_match_finite_differences(seed):
    """Reference: central finite differences of ``gp_prior.log_prior`` and of what the MAP fit maximizes,
    ``log_marginal_likelihood + log_prior``, at random hyperparameters inside the bounds."""
    X, y, _ = data(n=12, d=3, seed=seed)
    gp = GaussianProcess(optimize=False, prior=True).fit(X, y)
    bounds = gp.log_bounds(3)
    theta = np.random.default_rng(seed).uniform(bounds[:, 0] / 2, bounds[:, 1] / 2)
    step = 1e-6 * np.eye(len(theta))
    _, grad = log_prior(theta)
    numeric = [(log_prior(theta + e)[0] - log_prior(theta - e)[0]) / 2e-6 for e in step]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-6)
    total = lambda t: gp.log_marginal_likelihood(t) + log_prior(t)[0]
    value, grad = gp.log_posterior(theta, eval_gradient=True)
    assert value == pytest.approx(total(theta), abs=1e-10)
    numeric = [(total(theta + e) - total(theta - e)) / 2e-6 for e in step]
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_map_fit_maximizes_likelihood_plus_prior_and_keeps_few_points_sane():
    """Reference: the definitions. The MAP fit's log posterior beats the ML fit's (and the ML fit's likelihood
    beats the MAP fit's); at its optimum the gradient of the log posterior is ~0 inside the bounds. On 3 points
    in 3-D, ML runs a length scale to a bound (a degenerate fit); the prior keeps all within (0.1, 10)."""
    X, y, _ = data(n=10, d=3, seed=4)
    ml = GaussianProcess(seed=0, prior=False).fit(X, y)
    mp = GaussianProcess(seed=0, prior=True).fit(X, y)
    assert mp.log_posterior() >= ml.log_marginal_likelihood() + log_prior(ml.theta)[0] - 1e-6
    assert ml.log_marginal_likelihood() >= mp.log_marginal_likelihood() - 1e-6
    _, grad = mp.log_posterior(eval_gradient=True)
    inside = np.all((mp.theta > mp.log_bounds(3)[:, 0] + 1e-3) & (mp.theta < mp.log_bounds(3)[:, 1] - 1e-3))
    assert not inside or np.abs(grad).max() < 1e-2
    few = (X[:3], y[:3])
    ml3 = GaussianProcess(seed=0, n_restarts=4, prior=False).fit(*few)
    mp3 = GaussianProcess(seed=0, n_restarts=4, prior=True).fit(*few)
    assert np.any(np.isclose(ml3.theta, ml3.log_bounds(3)[:, 0]) | np.isclose(ml3.theta, ml3.log_bounds(3)[:, 1]))
    assert np.all((mp3.kernel.length_scale > 0.1) & (mp3.kernel.length_scale < 10))


def test_noiseless_rows_are_interpolated_exactly():
    """Reference: the posterior of a GP at a noise-free observation has the observed mean and zero variance
    (R&W eq. 2.19 with no noise on that row); the noisy rows keep their smoothing."""
    X, y, _ = data(n=8, d=2, seed=3)
    mask = np.arange(8) >= 5
    gp = GaussianProcess(Matern52([0.4, 0.4], 1.0), noise=0.1, optimize=False).fit(X, y, noiseless=mask)
    mean, std = gp.predict(X)
    np.testing.assert_allclose(mean[mask], y[mask], atol=1e-4)
    assert np.all(std[mask] < 1e-3 * y.std()) and np.all(std[~mask] > 0.05 * y.std())
