"""Week 4 (deep_neural_network): the random inputs of the hidden tests, one generator per kind
of input.

Each takes a numpy Generator and returns the tuple of positional arguments of one call. Layer
sizes are all different (n_prev != n != m), so that a transpose shows.
"""

from __future__ import annotations

from autograder.hidden.inputs import binary_labels, distinct, network, outputs_and_labels
from autograder.hidden.reference import reference

NOTEBOOK = "week4/deep_neural_network.ipynb"


def layer_dims_and_m(rng):
    """layer_shapes' (layer_dims, m): 1 to 5 layers of distinct sizes, m differs from every size."""
    return list(distinct(rng, 2, 30, int(rng.integers(2, 7)))), int(rng.integers(30, 60))


def sizes(rng):
    """initialize_parameters' (n_x, n_h, n_y), all different, so that a transposed draw shows."""
    return distinct(rng, 1, 9, 3)


def layer_dims(rng):
    """initialize_parameters_deep's (layer_dims,): 2 to 5 layers of distinct sizes."""
    return (list(distinct(rng, 1, 12, int(rng.integers(3, 7)))),)


def _layer(rng, low):
    """n, m and one layer's (A_prev, W, b): n_prev, n and m all different, from low to 8."""
    n_prev, n, m = distinct(rng, low, 9, 3)
    return n, m, (rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)),
                  rng.normal(size=(n, 1)))


def A_prev_W_b(rng):
    """linear_forward's (A_prev, W, b): biases as large as the weights."""
    return _layer(rng, 1)[2]


def with_activation(activation: str):
    """A generator of linear_activation_forward's (A_prev, W, b, activation)."""
    return lambda rng: (*_layer(rng, 1)[2], activation)


def X_and_parameters(rng):
    """L_model_forward's (X, parameters): 1 to 4 layers of distinct sizes, one output unit."""
    dims = list(distinct(rng, 2, 9, int(rng.integers(2, 6))))
    parameters = network(rng, dims)
    L = len(dims) - 1  # one output unit: the last layer drawn again, with one row
    parameters[f"W{L}"] = rng.normal(size=(1, dims[-2]))
    parameters[f"b{L}"] = rng.normal(size=(1, 1))
    return rng.normal(size=(dims[0], int(rng.integers(9, 15)))), parameters


AL_and_Y = outputs_and_labels  # compute_cost's (AL, Y): both labels occur, both terms matter


def dZ_and_cache(rng):
    """linear_backward's (dZ, cache), cache = (A_prev, W, b)."""
    n, m, cache = _layer(rng, 2)
    return rng.normal(size=(n, m)), cache


def dA_and_cache(activation: str):
    """A generator of linear_activation_backward's (dA, cache, activation), the cache of the
    reference's linear_activation_forward."""
    def draw(rng):
        n, m, linear = _layer(rng, 2)
        _, cache = reference(NOTEBOOK, "linear_activation_forward")(*linear, activation)
        return rng.normal(size=(n, m)), cache, activation
    return draw


def AL_Y_caches(rng):
    """L_model_backward's (AL, Y, caches): 2 to 5 layers of distinct sizes, both labels, the
    caches of the reference's L_model_forward."""
    dims = [*distinct(rng, 2, 9, int(rng.integers(2, 6))), 1]
    parameters = network(rng, dims)
    m = int(rng.integers(9, 15))
    AL, caches = reference(NOTEBOOK, "L_model_forward")(rng.normal(size=(dims[0], m)),
                                                          parameters)
    return AL, binary_labels(rng, m), caches


def parameters_and_grads(rng):
    """update_parameters' (parameters, grads, learning_rate): 1 to 4 layers, grads with the "dA"
    entries of L_model_backward, a learning rate other than the default."""
    dims = [int(n) for n in rng.integers(1, 8, size=int(rng.integers(2, 6)))]
    parameters, grads = {}, {}
    for layer in range(1, len(dims)):  # drawn layer by layer: W, b, dA, dW, db
        parameters[f"W{layer}"] = rng.normal(size=(dims[layer], dims[layer - 1]))
        parameters[f"b{layer}"] = rng.normal(size=(dims[layer], 1))
        grads[f"dA{layer - 1}"] = rng.normal(size=(dims[layer - 1], 3))
        grads[f"dW{layer}"] = rng.normal(size=(dims[layer], dims[layer - 1]))
        grads[f"db{layer}"] = rng.normal(size=(dims[layer], 1))
    return parameters, grads, float(rng.uniform(0.01, 1.0))


def two_layer_problem(rng):
    """two_layer_model's (X, Y, layers_dims, learning_rate, num_iterations): n_x, n_h and m all
    different, both labels, a few iterations."""
    n_x, n_h, m = distinct(rng, 2, 12, 3)
    X = rng.normal(size=(n_x, m))
    Y = binary_labels(rng, m)
    return X, Y, (n_x, n_h, 1), float(rng.uniform(0.05, 2.0)), int(rng.integers(101, 130))


def deep_problem(rng):
    """L_layer_model's (X, Y, layers_dims, learning_rate, num_iterations): 2 to 4 hidden layers
    of distinct sizes, both labels, a few iterations."""
    dims = [*distinct(rng, 2, 12, int(rng.integers(3, 6))), 1]
    m = int(rng.integers(12, 30))
    X = rng.normal(size=(dims[0], m))
    Y = binary_labels(rng, m)
    return X, Y, dims, float(rng.uniform(0.05, 0.5)), int(rng.integers(101, 130))


def X_Y_parameters(rng):
    """predict's (X, y, parameters): 1 or 2 hidden layers; biases as large as the weights flip
    predictions."""
    dims = [*distinct(rng, 2, 12, int(rng.integers(2, 4))), 1]
    parameters = network(rng, dims)
    m = int(rng.integers(12, 30))
    return rng.normal(size=(dims[0], m)), rng.integers(0, 2, size=(1, m)), parameters
