"""Tests of utils.activations: sigmoid and ReLU, forward and backward."""

import numpy as np
import pytest

from utils.activations import relu, relu_backward, sigmoid, sigmoid_backward
from utils.gradcheck import grad_check, numerical_gradient_array, rel_error

FORWARD = {"sigmoid": sigmoid, "relu": relu}
BACKWARD = {"sigmoid": sigmoid_backward, "relu": relu_backward}


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def Z(rng):
    return rng.standard_normal((4, 6)) * 3


def test_sigmoid_of_known_values():
    A, _ = sigmoid(np.array([[0.0, 2.0, -2.0]]))
    np.testing.assert_allclose(A, [[0.5, 0.8807970779778823, 0.11920292202211755]], rtol=1e-15)


def test_sigmoid_is_stable_far_from_zero():
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no warning either
        A, _ = sigmoid(np.array([[-1000.0, -40.0, 40.0, 1000.0]]))
    assert A[0, 0] == 0.0 and A[0, 3] == 1.0
    np.testing.assert_allclose(A[0, 1], np.exp(-40.0), rtol=1e-12)  # not rounded to 0
    np.testing.assert_allclose(A[0, 2], 1.0, rtol=1e-15)


def test_sigmoid_is_symmetric(Z):
    np.testing.assert_allclose(sigmoid(Z)[0] + sigmoid(-Z)[0], 1.0, rtol=1e-15)


def test_relu_of_known_values():
    A, _ = relu(np.array([[-1.5, 0.0, 2.5]]))
    np.testing.assert_array_equal(A, [[0.0, 0.0, 2.5]])


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_forward_returns_z_as_the_cache(name, Z):
    A, cache = FORWARD[name](Z)
    assert cache is Z
    assert A.shape == Z.shape and A.dtype == np.float64


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_integer_input_gives_float_output(name):
    A, _ = FORWARD[name](np.array([[-1, 0, 2]]))
    assert A.dtype == np.float64
    dZ = BACKWARD[name](np.array([[1, 1, 1]]), np.array([[-1, 0, 2]]))
    assert dZ.dtype == np.float64


def test_relu_backward_passes_the_gradient_where_z_is_positive():
    dA = np.array([[1.0, 2.0, 3.0, 4.0]])
    Z = np.array([[-1.0, 0.0, 1e-12, 5.0]])
    np.testing.assert_array_equal(relu_backward(dA, Z), [[0.0, 0.0, 3.0, 4.0]])


def test_sigmoid_backward_of_known_values():
    dZ = sigmoid_backward(np.array([[1.0, 2.0]]), np.array([[0.0, 2.0]]))
    s = 0.8807970779778823
    np.testing.assert_allclose(dZ, [[0.25, 2 * s * (1 - s)]], rtol=1e-14)


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_backward_agrees_with_a_numerical_gradient(name, rng):
    Z = rng.standard_normal((3, 5))
    Z[np.abs(Z) < 0.01] = 0.5  # keep away from the kink of relu, where h would cross it
    dA = rng.standard_normal((3, 5))
    forward = FORWARD[name]
    numerical = numerical_gradient_array(lambda z: forward(z)[0], Z, dA)
    assert rel_error(BACKWARD[name](dA, Z), numerical) < 1e-8


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_backward_passes_grad_check(name, rng, capsys):
    Z = rng.standard_normal((2, 4))
    Z[np.abs(Z) < 0.01] = -0.5
    dA = rng.standard_normal((2, 4))
    forward = FORWARD[name]
    error = grad_check(lambda z: np.sum(forward(z)[0] * dA), Z, BACKWARD[name](dA, Z),
                       name=f"{name}_backward")
    assert error < 1e-7
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_no_function_changes_its_inputs(name, Z, rng):
    dA = rng.standard_normal(Z.shape)
    Z_before, dA_before = Z.copy(), dA.copy()
    A, _ = FORWARD[name](Z)
    dZ = BACKWARD[name](dA, Z)
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_array_equal(dA, dA_before)
    A[...] = 7.0
    dZ[...] = 7.0  # the results are new arrays, not views of the inputs
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_array_equal(dA, dA_before)


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_backward_rejects_a_linear_cache_with_a_hint(name, Z):
    linear_cache = (Z, Z, Z[:, :1])
    with pytest.raises(TypeError, match="the linear cache"):
        BACKWARD[name](np.ones_like(Z), linear_cache)


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_backward_rejects_a_cache_of_another_layer(name, Z):
    with pytest.raises(ValueError, match=r"dA has shape \(2, 6\) but Z has shape \(4, 6\)"):
        BACKWARD[name](np.ones((2, 6)), Z)
