"""The generators of the hidden tests' inputs (autograder/hidden/inputs/):
the shapes they promise, both labels present, and the same inputs for the same seed."""

import inspect
import json

import numpy as np
import pytest

from autograder.hidden import inputs, week1, week2, week3, week4
from autograder.hidden.wire import encode

WEEKS = [week1, week2, week3, week4]


def _generators():
    """(id, generator) for every generator of every week; factories made for both activations."""
    for week in WEEKS:
        for name, fn in vars(week.inputs).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ not in (week.inputs.__name__, inputs.__name__):
                continue
            if list(inspect.signature(fn).parameters) == ["activation"]:
                for activation in ("relu", "sigmoid"):
                    yield f"{week.path}:{name}({activation})", fn(activation)
            elif list(inspect.signature(fn).parameters) == ["rng"]:
                yield f"{week.path}:{name}", fn


GENERATORS = [pytest.param(fn, id=label) for label, fn in _generators()]


def _wire(value) -> str:
    return json.dumps(encode(value), sort_keys=True)


def test_every_week_has_its_inputs_module():
    for week in WEEKS:
        assert week.inputs.__name__ == f"autograder.hidden.inputs.{week.path.split('/')[0]}"
    assert len(GENERATORS) >= 40


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_generator_gives_the_same_inputs_for_the_same_seed(generator):
    first = generator(np.random.default_rng(123))
    again = generator(np.random.default_rng(123))
    assert isinstance(first, tuple)
    assert _wire(first) == _wire(again)


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_generator_gives_other_inputs_for_another_seed(generator):
    seen = {_wire(generator(np.random.default_rng(seed))) for seed in range(6)}
    assert len(seen) > 1


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_generator_gives_plain_values_the_kernel_can_receive(generator):
    assert '"t": "opaque"' not in _wire(generator(np.random.default_rng(5)))


def test_distinct_sizes_are_different_python_ints_in_range():
    rng = np.random.default_rng(0)
    for _ in range(50):
        sizes = inputs.distinct(rng, 2, 9, 3)
        assert len(set(sizes)) == 3
        assert all(type(n) is int and 2 <= n < 9 for n in sizes)


@pytest.mark.parametrize("m", [2, 3, 7, 40])
def test_binary_labels_hold_both_classes_half_and_half(m):
    Y = inputs.binary_labels(np.random.default_rng(m), m)
    assert Y.shape == (1, m)
    assert set(np.unique(Y)) == {0, 1}
    assert Y.sum() == m // 2


def test_network_has_the_course_shapes_in_order():
    parameters = inputs.network(np.random.default_rng(1), [4, 3, 2, 1])
    assert list(parameters) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [p.shape for p in parameters.values()] == [(3, 4), (3, 1), (2, 3), (2, 1), (1, 2),
                                                      (1, 1)]


def test_outputs_and_labels_are_probabilities_with_both_labels():
    rng = np.random.default_rng(2)
    for _ in range(20):
        A, Y = inputs.outputs_and_labels(rng)
        assert A.shape == Y.shape and A.shape[0] == 1
        assert np.all((A > 0.01) & (A < 0.99))
        assert set(np.unique(Y)) == {0, 1}


def test_easy_problem_has_both_labels():
    X, Y = inputs.easy_problem(np.random.default_rng(3))
    assert X.shape == (5, 200) and Y.shape == (1, 200)
    assert 50 < Y.sum() < 150


@pytest.mark.parametrize("generator", [week2.inputs.w_b_X_Y, week2.inputs.descent_problem])
def test_week2_problems_have_n_x_other_than_m_and_both_labels(generator):
    rng = np.random.default_rng(4)
    for _ in range(20):
        w, b, X, Y = generator(rng)[:4]
        n_x, m = X.shape
        assert w.shape == (n_x, 1) and type(b) is float and Y.shape == (1, m)
        assert n_x != m
        assert set(np.unique(Y)) == {0, 1}


def test_week3_backward_inputs_hold_the_forward_cache_of_X():
    parameters, cache, X, Y = week3.inputs.backward_inputs(np.random.default_rng(5))
    n_h, n_x = parameters["W1"].shape
    n_y = parameters["W2"].shape[0]
    m = X.shape[1]
    assert X.shape == (n_x, m) and Y.shape == (n_y, m)
    assert len({n_x, n_h, m}) == 3
    assert cache["A1"].shape == (n_h, m) and cache["A2"].shape == (n_y, m)
    np.testing.assert_allclose(cache["A1"], np.tanh(parameters["W1"] @ X + parameters["b1"]))


def test_week3_predict_network_has_one_output():
    parameters, X = week3.inputs.parameters_and_X(np.random.default_rng(6))
    assert parameters["W2"].shape[0] == 1 and parameters["b2"].shape == (1, 1)
    assert parameters["W1"].shape[1] == X.shape[0]


def test_week4_forward_network_has_one_output_unit():
    rng = np.random.default_rng(7)
    for _ in range(20):
        X, parameters = week4.inputs.X_and_parameters(rng)
        L = len(parameters) // 2
        assert 1 <= L <= 4
        assert parameters[f"W{L}"].shape[0] == 1 and parameters[f"b{L}"].shape == (1, 1)
        assert parameters["W1"].shape[1] == X.shape[0]
        for layer in range(2, L + 1):
            assert parameters[f"W{layer}"].shape[1] == parameters[f"W{layer - 1}"].shape[0]


def test_week4_backward_inputs_have_one_cache_a_layer_and_both_labels():
    rng = np.random.default_rng(8)
    for _ in range(10):
        AL, Y, caches = week4.inputs.AL_Y_caches(rng)
        assert AL.shape == Y.shape and AL.shape[0] == 1
        assert 2 <= len(caches) <= 5
        assert set(np.unique(Y)) == {0, 1}


def test_week4_update_grads_hold_the_dA_entries():
    parameters, grads, learning_rate = week4.inputs.parameters_and_grads(np.random.default_rng(9))
    L = len(parameters) // 2
    assert set(grads) == {f"d{k}" for k in parameters} | {f"dA{layer}" for layer in range(L)}
    for key, value in parameters.items():
        assert grads["d" + key].shape == value.shape
    assert 0.01 <= learning_rate < 1.0
