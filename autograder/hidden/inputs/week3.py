"""Week 3 (planar_classification): the random inputs of the hidden tests, one generator per kind
of input.

Each takes a numpy Generator and returns the tuple of positional arguments of one call. A
network is n_x -> n_h (tanh) -> n_y (sigmoid), with n_x, n_h and m all different.
"""

from __future__ import annotations

from autograder.hidden.inputs import distinct, network, outputs_and_labels
from autograder.hidden.reference import reference
from utils.planar import load_planar

NOTEBOOK = "week3/planar_classification.ipynb"


def X_and_Y(rng):
    """data_shapes' (X, Y): n_x, n_y and m all differ, m is never the flower's 400."""
    n_x, n_y, m = int(rng.integers(2, 7)), int(rng.integers(1, 4)), int(rng.integers(7, 30))
    return rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(n_y, m))


def X_and_Y_for_sizes(rng):
    """layer_sizes' (X, Y): n_x >= 5, n_y <= 3 and m >= 10 all differ, n_y is never 4."""
    m = int(rng.integers(10, 20))
    return (rng.normal(size=(int(rng.integers(5, 10)), m)),
            rng.normal(size=(int(rng.integers(1, 4)), m)))


def sizes(rng):
    """initialize_parameters' (n_x, n_h, n_y): n_x != n_h, so that a transposed draw shows."""
    n_x, n_h = distinct(rng, 2, 9, 2)
    return n_x, n_h, int(rng.integers(1, 4))


def _parameters_and_X(rng):
    """parameters of a network with n_y = 1 or 2 outputs, then X."""
    n_x, n_h, m = distinct(rng, 2, 9, 3)
    parameters = network(rng, (n_x, n_h, int(rng.integers(1, 3))))
    return parameters, rng.normal(size=(n_x, m))


def X_and_parameters(rng):
    """forward_propagation's (X, parameters)."""
    parameters, X = _parameters_and_X(rng)
    return X, parameters


A2_and_Y = outputs_and_labels  # compute_cost's (A2, Y): both labels occur, both terms matter


def backward_inputs(rng):
    """backward_propagation's (parameters, cache, X, Y): the cache of the reference's forward."""
    parameters, X = _parameters_and_X(rng)
    Y = rng.integers(0, 2, size=(parameters["W2"].shape[0], X.shape[1]))
    forward = reference(NOTEBOOK, "forward_propagation")
    return parameters, forward(X, parameters)[1], X, Y


def parameters_and_grads(rng):
    """update_parameters' (parameters, grads, learning_rate): a learning rate other than 1.2."""
    n_x, n_h, n_y = (int(n) for n in rng.integers(1, 8, size=3))
    parameters = network(rng, (n_x, n_h, n_y))
    grads = {"d" + key: rng.normal(size=value.shape) for key, value in parameters.items()}
    return parameters, grads, float(rng.uniform(0.01, 1.0))


def planar_problem(rng):
    """nn_model's (X, Y, n_h, num_iterations): another planar data set, never 4 hidden units.

    Few iterations: long runs of gradient descent with learning rate 1.2 can amplify the
    rounding differences between correct implementations.
    """
    name = str(rng.choice(["flower", "circles", "moons", "gaussian_quantiles"]))
    X, Y = load_planar(name, m=int(rng.integers(20, 80)), seed=int(rng.integers(1000)))
    return X, Y, int(rng.choice([1, 2, 3, 5, 6])), int(rng.integers(2, 30))


def parameters_and_X(rng):
    """predict's (parameters, X): one output; biases as large as the weights flip predictions."""
    n_x, n_h, m = distinct(rng, 2, 12, 3)
    return network(rng, (n_x, n_h, 1)), rng.normal(size=(n_x, m))
