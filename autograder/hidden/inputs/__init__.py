"""Random inputs that the hidden tests of several weeks share: sizes, labels, parameters.

Every builder draws from the generator it is given, in a fixed order, so that a hidden test's
inputs depend only on its seed (autograder.hidden.reference.fixed_seed).
"""

from __future__ import annotations

import numpy as np


def distinct(rng: np.random.Generator, low: int, high: int, k: int) -> tuple[int, ...]:
    """k different sizes from low to high - 1, in random order (so that a transpose shows)."""
    return tuple(int(n) for n in rng.choice(np.arange(low, high), size=k, replace=False))


def binary_labels(rng: np.random.Generator, m: int) -> np.ndarray:
    """Y of shape (1, m): as many 0s as 1s (one more 0 when m is odd), in random order."""
    return rng.permutation(np.arange(m) % 2).reshape(1, m)


def network(rng: np.random.Generator, layer_dims) -> dict:
    """parameters W1, b1, ..., WL, bL for layer_dims [n_x, n_1, ..., n_L], drawn in that order.

    Every entry is standard normal: biases as large as the weights, so that each term matters.
    """
    parameters = {}
    for layer in range(1, len(layer_dims)):
        parameters[f"W{layer}"] = rng.normal(size=(layer_dims[layer], layer_dims[layer - 1]))
        parameters[f"b{layer}"] = rng.normal(size=(layer_dims[layer], 1))
    return parameters


def outputs_and_labels(rng: np.random.Generator) -> tuple:
    """compute_cost's (A, Y): A of shape (1, m) in (0.01, 0.99), Y with both labels."""
    m = int(rng.integers(2, 40))
    Y = binary_labels(rng, m)
    return rng.uniform(0.01, 0.99, size=(1, m)), Y


def easy_problem(rng: np.random.Generator) -> tuple:
    """X of shape (5, 200) and labels Y of a noisy linear rule, about 80 % learnable."""
    X = rng.normal(size=(5, 200))
    Y = (X[:1] + X[1:2] + rng.normal(size=(1, 200)) > 0).astype(int)
    return X, Y
