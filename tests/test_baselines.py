"""Tests of utils.baselines: the logistic-regression baseline provided to the week-3 notebook."""

import numpy as np
import pytest

from utils.baselines import LogisticBaseline, logistic_regression_baseline
from utils.planar import load_flower, make_blobs


def test_fits_a_linearly_separable_set():
    X, Y = make_blobs(m=300, centers=2, std=0.8, seed=4)
    assert logistic_regression_baseline(X, Y).accuracy(X, Y) > 0.95


def test_fits_points_separated_by_a_tilted_line_with_an_offset():
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, size=(2, 200))
    Y = (X[0] - 2 * X[1] + 1 > 0).astype(int).reshape(1, -1)
    assert logistic_regression_baseline(X, Y).accuracy(X, Y) > 0.95


@pytest.mark.parametrize("noise, seed", [(0.2, 1), (0.15, 1), (0.2, 2)])
def test_stays_near_chance_on_the_flower(noise, seed):
    X, Y = load_flower(m=400, noise=noise, seed=seed)
    assert logistic_regression_baseline(X, Y).accuracy(X, Y) < 0.6


def test_is_deterministic():
    X, Y = load_flower()
    first = logistic_regression_baseline(X, Y)
    second = logistic_regression_baseline(X, Y)
    np.testing.assert_array_equal(first.w, second.w)
    assert first.b == second.b


def test_returns_w_of_shape_n_x_1_and_a_float_b():
    X, Y = make_blobs(m=50, seed=1)
    baseline = logistic_regression_baseline(np.vstack([X, X[:1] ** 2]), Y)
    assert isinstance(baseline, LogisticBaseline)
    assert baseline.w.shape == (3, 1)
    assert isinstance(baseline.b, float)


def test_calling_it_gives_labels_of_shape_1_k_of_0_and_1():
    X, Y = load_flower(m=100)
    labels = logistic_regression_baseline(X, Y)(np.zeros((2, 7)) + np.arange(7))
    assert labels.shape == (1, 7)
    assert set(np.unique(labels)) <= {0, 1}


def test_probabilities_agree_with_labels():
    X, Y = make_blobs(m=100, centers=2, seed=2)
    baseline = logistic_regression_baseline(X, Y)
    p = baseline.probabilities(X)
    assert p.shape == (1, 100)
    assert np.all((p > 0) & (p < 1))
    np.testing.assert_array_equal(baseline(X), (p > 0.5).astype(int))


def test_converges_in_few_newton_steps():
    X, Y = load_flower()
    assert logistic_regression_baseline(X, Y).iterations < 20


def test_l2_penalty_keeps_the_weights_finite_on_separable_data():
    X = np.array([[-2.0, -1.0, 1.0, 2.0]])
    Y = np.array([[0, 0, 1, 1]])
    baseline = logistic_regression_baseline(X, Y)
    assert np.all(np.isfinite(baseline.w)) and np.abs(baseline.w).max() < 100
    assert baseline.accuracy(X, Y) == 1.0


def test_gradient_is_zero_at_the_fit():
    X, Y = make_blobs(m=80, centers=2, std=3.0, seed=5)
    l2 = 0.01
    baseline = logistic_regression_baseline(X, Y, l2=l2)
    p = baseline.probabilities(X)
    np.testing.assert_allclose(X @ (p - Y).T / 80 + l2 * baseline.w, 0, atol=1e-8)
    np.testing.assert_allclose(np.mean(p - Y), 0, atol=1e-8)


@pytest.mark.parametrize("X, message", [
    (np.zeros(10), r"X should be 2-D of shape \(n_x, m\)"),
    (np.zeros((2, 5, 1)), r"X should be 2-D"),
    (np.zeros((2, 0)), "at least one feature and one example"),
    (np.array([[0.0, np.nan], [1.0, 2.0]]), "NaN or infinite"),
    ([["a", "b"], ["c", "d"]], "numeric array"),
])
def test_bad_X_raises_a_clear_value_error(X, message):
    with pytest.raises(ValueError, match=message):
        logistic_regression_baseline(X, np.zeros((1, 2)))


def test_rank_1_Y_raises_a_value_error_with_the_fix():
    X, Y = load_flower(m=20)
    with pytest.raises(ValueError, match=r"Y should have shape \(1, m\).*Y.reshape\(1, -1\)"):
        logistic_regression_baseline(X, Y.ravel())


def test_Y_with_another_number_of_examples_raises_a_value_error():
    X, Y = load_flower(m=20)
    with pytest.raises(ValueError, match=r"\(1, 20\) to match X of shape \(2, 20\); got \(1, 10\)"):
        logistic_regression_baseline(X, Y[:, :10])


def test_labels_other_than_0_and_1_raise_a_value_error():
    X, Y = load_flower(m=20)
    with pytest.raises(ValueError, match="labels 0 or 1"):
        logistic_regression_baseline(X, 2 * Y - 1)


@pytest.mark.parametrize("kwargs, message", [
    ({"l2": -1.0}, "l2 must be"),
    ({"l2": float("inf")}, "l2 must be"),
    ({"max_steps": 0}, "max_steps must be"),
    ({"max_steps": 2.5}, "max_steps must be"),
])
def test_bad_options_raise_value_errors(kwargs, message):
    X, Y = load_flower(m=20)
    with pytest.raises(ValueError, match=message):
        logistic_regression_baseline(X, Y, **kwargs)


def test_points_with_another_number_of_features_raise_a_value_error():
    X, Y = load_flower(m=20)
    baseline = logistic_regression_baseline(X, Y)
    with pytest.raises(ValueError, match=r"fitted on 2 features"):
        baseline(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"did you pass X\.T\?"):
        baseline.probabilities(np.zeros((5, 2)))


def test_accuracy_rejects_labels_of_the_wrong_shape():
    X, Y = load_flower(m=20)
    with pytest.raises(ValueError, match=r"Y should have shape \(1, 20\)"):
        logistic_regression_baseline(X, Y).accuracy(X, Y.ravel())
