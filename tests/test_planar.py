"""Tests of utils.planar: seeded 2-D data sets."""

import numpy as np
import pytest

from utils.planar import (
    PLANAR_DATASETS,
    load_flower,
    load_planar,
    make_blobs,
    make_circles,
    make_gaussian_quantiles,
    make_moons,
)

NAMES = list(PLANAR_DATASETS)


def logistic_regression_accuracy(X, Y, num_iterations=1000, learning_rate=0.5):
    """Training accuracy of a logistic regression fitted by batch gradient descent."""
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    for _ in range(num_iterations):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        dZ = A - Y
        w -= learning_rate * (X @ dZ.T) / m
        b -= learning_rate * np.mean(dZ)
    return np.mean(((w.T @ X + b) > 0) == Y)


def tanh_network_accuracy(X, Y, n_h=4, num_iterations=3000, learning_rate=1.2, seed=2):
    """Training accuracy of a 2-layer network (tanh hidden layer, sigmoid output)."""
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    W1, b1 = 0.01 * rng.standard_normal((n_h, X.shape[0])), np.zeros((n_h, 1))
    W2, b2 = 0.01 * rng.standard_normal((1, n_h)), np.zeros((1, 1))
    for _ in range(num_iterations):
        A1 = np.tanh(W1 @ X + b1)
        A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
        dZ2 = A2 - Y
        dZ1 = (W2.T @ dZ2) * (1 - A1**2)
        W2 -= learning_rate * (dZ2 @ A1.T) / m
        b2 -= learning_rate * np.mean(dZ2, axis=1, keepdims=True)
        W1 -= learning_rate * (dZ1 @ X.T) / m
        b1 -= learning_rate * np.mean(dZ1, axis=1, keepdims=True)
    return np.mean(((W2 @ np.tanh(W1 @ X + b1) + b2) > 0) == Y)


@pytest.mark.parametrize("name", NAMES)
def test_returns_X_of_shape_2_m_float64_and_Y_of_shape_1_m_int64(name):
    X, Y = load_planar(name, m=120)
    assert X.shape == (2, 120) and X.dtype == np.float64
    assert Y.shape == (1, 120) and Y.dtype == np.int64


@pytest.mark.parametrize("name", NAMES)
def test_labels_are_0_or_1_and_both_present(name):
    _, Y = load_planar(name)
    assert set(np.unique(Y)) == {0, 1}


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_same_data(name):
    X1, Y1 = load_planar(name, seed=7)
    X2, Y2 = load_planar(name, seed=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_data(name):
    X1, _ = load_planar(name, seed=1)
    X2, _ = load_planar(name, seed=2)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("name", NAMES)
def test_values_are_finite(name):
    X, _ = load_planar(name)
    assert np.all(np.isfinite(X))


def test_flower_classes_are_balanced():
    _, Y = load_flower(m=400)
    assert np.sum(Y == 0) == np.sum(Y == 1) == 200


def test_odd_m_keeps_m_examples_with_classes_one_apart():
    X, Y = load_flower(m=401)
    assert X.shape == (2, 401)
    assert np.sum(Y == 1) - np.sum(Y == 0) == 1


def test_flower_has_radius_about_4():
    X, _ = load_flower()
    r = np.linalg.norm(X, axis=0)
    assert 3.5 < r.max() < 5.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_linear_classifier_fails_on_flower(seed):
    X, Y = load_flower(seed=seed)
    assert logistic_regression_accuracy(X, Y) < 0.7


def test_tanh_network_with_4_hidden_units_gets_about_90_percent_on_flower():
    X, Y = load_flower()
    assert 0.85 < tanh_network_accuracy(X, Y) < 0.95


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_linear_classifier_succeeds_on_two_blobs(seed):
    X, Y = make_blobs(centers=2, seed=seed)
    assert logistic_regression_accuracy(X, Y) > 0.9


def test_blob_labels_alternate_around_the_circle():
    X, Y = make_blobs(m=400, centers=4, std=0.1, seed=0)
    angle = np.arctan2(X[1], X[0])
    order = np.argsort(angle)
    changes = np.count_nonzero(np.diff(Y[0, order]))
    assert changes in (3, 4)  # four blobs, labels 0 1 0 1 around the circle


def test_circles_inner_class_has_radius_factor():
    X, Y = make_circles(noise=0.0, factor=0.3)
    r = np.linalg.norm(X, axis=0)
    np.testing.assert_allclose(r[Y[0] == 0], 1.0)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3)


def test_moons_without_noise_lie_on_unit_half_circles():
    X, Y = make_moons(noise=0.0)
    top, bottom = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(np.linalg.norm(top, axis=0), 1.0)
    np.testing.assert_allclose(np.linalg.norm(bottom - [[1.0], [0.5]], axis=0), 1.0)


def test_gaussian_quantiles_label_is_radius_above_median():
    X, Y = make_gaussian_quantiles(m=300)
    r2 = np.sum(X**2, axis=0)
    np.testing.assert_array_equal(Y[0], (r2 > np.median(r2)).astype(np.int64))
    assert np.sum(Y) == 150


def test_load_planar_passes_keyword_arguments():
    X, Y = load_planar("circles", m=50, noise=0.0, factor=0.5, seed=3)
    X2, Y2 = make_circles(m=50, noise=0.0, factor=0.5, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)


def test_unknown_name_raises_value_error_listing_the_names():
    with pytest.raises(ValueError, match="unknown planar data set 'spiral'") as info:
        load_planar("spiral")
    for name in NAMES:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize("m", [1, 0, -5, 2.5, "400", True])
def test_bad_m_raises_value_error(m):
    with pytest.raises(ValueError, match="m must"):
        load_flower(m=m)


def test_numpy_integer_m_is_accepted():
    X, _ = make_moons(m=np.int64(10))
    assert X.shape == (2, 10)


@pytest.mark.parametrize("name", ["flower", "circles", "moons"])
def test_negative_noise_raises_value_error(name):
    with pytest.raises(ValueError, match="noise must be finite and >= 0"):
        load_planar(name, noise=-0.1)


@pytest.mark.parametrize("petals", [3, 0, 1.5])
def test_bad_petals_raise_value_error(petals):
    with pytest.raises(ValueError, match="petals must be"):
        load_flower(petals=petals)


@pytest.mark.parametrize("factor", [0.0, 1.0, 1.5, -0.2])
def test_circles_factor_outside_0_1_raises_value_error(factor):
    with pytest.raises(ValueError, match="factor must be"):
        make_circles(factor=factor)


def test_blobs_with_one_center_raise_value_error():
    with pytest.raises(ValueError, match="centers must be an integer >= 2"):
        make_blobs(centers=1)


def test_blobs_with_zero_std_raise_value_error():
    with pytest.raises(ValueError, match="std must be finite and > 0"):
        make_blobs(std=0.0)
