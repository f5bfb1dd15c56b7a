"""Tests of utils.gradcheck: numerical gradients and gradient checks."""

import numpy as np
import pytest

from utils.gradcheck import (
    grad_check,
    grad_check_dict,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def model(rng):
    """A logistic regression: parameters, data, cost function and its analytic gradients."""
    n_x, m = 3, 10
    params = {"W": rng.standard_normal((1, n_x)), "b": rng.standard_normal((1, 1))}
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(np.float64)

    def cost(p):
        A = sigmoid(p["W"] @ X + p["b"])
        return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))

    A = sigmoid(params["W"] @ X + params["b"])
    grads = {"dW": (A - Y) @ X.T / m, "db": np.sum(A - Y, axis=1, keepdims=True) / m}
    return params, cost, grads


def test_numerical_gradient_of_quadratic_is_2x(rng):
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, rtol=1e-8)


def test_numerical_gradient_restores_x_exactly(rng):
    x = rng.standard_normal((4, 5)) * 1e3
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_raises(rng):
    x = rng.standard_normal(3)
    before = x.copy()

    def f(v):
        if v[0] != before[0]:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    assert np.array_equal(x, before)


def test_numerical_gradient_accepts_cost_of_shape_1_1(rng):
    x = rng.standard_normal((2, 1))
    grad = numerical_gradient(lambda v: np.sum(v**2, keepdims=True), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8)


def test_numerical_gradient_rejects_f_returning_an_array(rng):
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_gradient(lambda v: v**2, rng.standard_normal(3))


def test_numerical_gradient_rejects_float32(rng):
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(np.sum, rng.standard_normal(3).astype(np.float32))


def test_numerical_gradient_array_of_sigmoid_matches_derivative(rng):
    x = rng.standard_normal((3, 5))
    dout = rng.standard_normal((3, 5))
    s = sigmoid(x)
    grad = numerical_gradient_array(sigmoid, x, dout)
    assert rel_error(grad, dout * s * (1 - s)) < 1e-8


def test_numerical_gradient_array_copies_outputs_that_f_reuses(rng):
    x = rng.standard_normal(4)
    buffer = np.empty(4)

    def f(v):
        np.multiply(v, 3.0, out=buffer)
        return buffer

    np.testing.assert_allclose(numerical_gradient_array(f, x, np.ones(4)), 3.0, rtol=1e-8)


def test_numerical_gradient_array_rejects_df_of_wrong_shape(rng):
    with pytest.raises(ValueError, match=r"f\(x\) has shape \(3,\) but df has shape \(2,\)"):
        numerical_gradient_array(np.tanh, rng.standard_normal(3), np.ones(2))


def test_rel_error_is_0_for_equal_arrays():
    assert rel_error(np.arange(3.0), np.arange(3.0)) == 0.0


def test_rel_error_is_1_for_opposite_signs():
    assert rel_error(np.array([2.0, 1.0]), np.array([-2.0, 1.0])) == 1.0


def test_rel_error_is_symmetric_and_takes_the_worst_entry():
    a, b = np.array([1.0, 10.0]), np.array([1.1, 10.0])
    assert rel_error(a, b) == rel_error(b, a) == pytest.approx(0.1 / 2.1)


def test_rel_error_of_two_zeros_is_0():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_grad_check_passes_correct_gradient_with_tiny_error(rng, capsys):
    x = rng.standard_normal((3, 4))
    error = grad_check(lambda v: np.sum(sigmoid(v)), x, sigmoid(x) * (1 - sigmoid(x)), name="dx")
    assert error < 1e-8
    assert capsys.readouterr().out.startswith("gradient check of dx: relative error ")


def test_grad_check_prints_error_and_tolerance(rng, capsys):
    x = rng.standard_normal(3)
    grad_check(lambda v: np.sum(v**2), x, 2 * x, name="dW1")
    out = capsys.readouterr().out
    assert "gradient check of dW1: relative error" in out
    assert out.rstrip().endswith("(tolerance 1e-07) ok")


def test_grad_check_is_silent_when_not_verbose(rng, capsys):
    x = rng.standard_normal(3)
    grad_check(lambda v: np.sum(v**2), x, 2 * x, verbose=False)
    assert capsys.readouterr().out == ""


def test_grad_check_fails_on_flipped_sign(rng):
    x = rng.standard_normal((2, 3))
    with pytest.raises(AssertionError, match="gradient check of dW1 failed") as info:
        grad_check(lambda v: np.sum(v**2), x, -2 * x, name="dW1")
    message = str(info.value)
    assert "relative error 1.0e+00" in message
    assert "sign flipped" in message
    assert "wrong sign or a missing term" in message


def test_grad_check_fails_on_gradient_scaled_by_one_half(rng):
    x = rng.standard_normal((2, 3))
    with pytest.raises(AssertionError, match="about 0.5 times the numerical one"):
        grad_check(lambda v: np.sum(v**2), x, x, name="dW1")


def test_grad_check_failure_names_worst_entry_with_both_values():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    analytic = 2 * x
    analytic[1, 0] = 7.0
    with pytest.raises(AssertionError, match=r"Worst entry db\[1, 0\]: analytic 7\.0+e\+00, "
                                             r"numerical 6\.0+e\+00"):
        grad_check(lambda v: np.sum(v**2), x, analytic, name="db")


def test_grad_check_failure_states_tolerance_and_missing_1_over_m_hint(rng):
    x = rng.standard_normal(4)
    with pytest.raises(AssertionError, match="> 1e-07") as info:
        grad_check(lambda v: np.mean(v**2), x, 2 * x, name="dw")
    assert "missing 1/m" in str(info.value)


def test_grad_check_fails_on_transposed_gradient_naming_both_shapes(rng):
    x = rng.standard_normal((2, 3))
    with pytest.raises(AssertionError, match=r"dW1 has shape \(3, 2\) but the parameter has "
                                             r"shape \(2, 3\) \(did you forget a transpose\?\)"):
        grad_check(lambda v: np.sum(v**2), x, 2 * x.T, name="dW1")


def test_grad_check_fails_on_nan_gradient(rng):
    x = rng.standard_normal(3)
    with pytest.raises(AssertionError, match="db1 contains NaN or inf"):
        grad_check(lambda v: np.sum(v**2), x, np.full(3, np.nan), name="db1")


def test_grad_check_respects_a_looser_tolerance_for_relu(rng):
    x = rng.standard_normal(20)
    relu_grad = (x > 0).astype(np.float64)
    assert grad_check(lambda v: np.sum(np.maximum(v, 0)), x, relu_grad, tol=1e-5) < 1e-5


def test_grad_check_passes_tiny_correct_gradients_despite_rounding(rng):
    x = 1e-3 * rng.standard_normal((4, 1))
    # cost near 0.7 whose gradient entries are about 1e-6: rounding dominates them
    grad_check(lambda v: 0.7 + 1e-3 * np.sum(v**2), x, 2e-3 * x, name="db1", verbose=False)


def test_grad_check_still_fails_tiny_gradient_with_flipped_sign(rng):
    x = 1e-3 * rng.standard_normal((4, 1))
    with pytest.raises(AssertionError, match="gradient check of db1 failed"):
        grad_check(lambda v: 0.7 + 1e-3 * np.sum(v**2), x, -2e-3 * x, name="db1")


def test_grad_check_dict_passes_logistic_regression(model, capsys):
    params, cost, grads = model
    errors = grad_check_dict(cost, params, grads)
    assert set(errors) == {"dW", "db"} and max(errors.values()) < 1e-7
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["gradient check of dW",
                                                      "gradient check of db"]


def test_grad_check_dict_leaves_params_unchanged(model):
    params, cost, grads = model
    before = {key: value.copy() for key, value in params.items()}
    grad_check_dict(cost, params, grads, verbose=False)
    for key, value in params.items():
        assert np.array_equal(value, before[key])


def test_grad_check_dict_raises_on_first_wrong_gradient(model, capsys):
    params, cost, grads = model
    grads["db"] = -grads["db"]
    with pytest.raises(AssertionError, match="gradient check of db failed"):
        grad_check_dict(cost, params, grads)
    assert "gradient check of dW: relative error" in capsys.readouterr().out


def test_grad_check_dict_raises_naming_a_missing_gradient(model):
    params, cost, grads = model
    del grads["db"]
    with pytest.raises(AssertionError,
                       match=r"grads has no 'db' \(the gradient of params\['b'\]\)"):
        grad_check_dict(cost, params, grads)


def test_grad_check_dict_checks_only_the_given_keys(model):
    params, cost, grads = model
    del grads["db"]
    assert list(grad_check_dict(cost, params, grads, keys=["W"], verbose=False)) == ["dW"]
