"""Activation functions of the deep-network notebook, forward and backward, in pairs.

Each forward function takes the pre-activation Z of a layer and returns the activation A and a
cache, which is Z itself; each backward function takes the gradient dA of the cost with respect
to A and that cache, and returns the gradient dZ. Shapes follow the course: a layer of n units
on m examples has Z, A, dA and dZ of shape (n, m).

Typical use inside a layer::

    A, activation_cache = relu(Z)                  # forward
    dZ = relu_backward(dA, activation_cache)       # backward, same cache

None of them changes its arguments, and all return new float arrays.
"""

from __future__ import annotations

import numpy as np

__all__ = ["relu", "relu_backward", "sigmoid", "sigmoid_backward"]


def _as_array(value, name, function):
    """Return value as a float numpy array, or raise TypeError with a hint about caches."""
    if isinstance(value, tuple | list | dict):
        kind = type(value).__name__
        raise TypeError(
            f"{function}: {name} should be a numpy array, got a {kind}. The activation cache "
            f"is Z, the second item of a layer's cache (linear_cache, activation_cache); "
            f"the linear cache (A_prev, W, b) is the first."
        )
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{function}: {name} should hold numbers, got dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def _backward_inputs(dA, Z, function):
    """dA and the activation cache Z as float arrays of one shape, or a clear error."""
    dA = _as_array(dA, "dA", function)
    Z = _as_array(Z, "Z (the activation cache)", function)
    if dA.shape != Z.shape:
        raise ValueError(
            f"{function}: dA has shape {dA.shape} but Z has shape {Z.shape}; they must be "
            f"equal (both (n, m) for the same layer). Check that the cache belongs to the "
            f"layer of dA."
        )
    return dA, Z


def sigmoid(Z):
    """Sigmoid activation, 1 / (1 + exp(-Z)), entry by entry, without overflow.

    Arguments:
    Z -- pre-activation of a layer, numpy array of any shape, e.g. (n, m)

    Returns:
    A -- sigmoid(Z), numpy array of the shape of Z, entries in [0, 1]
    cache -- Z, kept for sigmoid_backward
    """
    Z_float = _as_array(Z, "Z", "sigmoid")
    # exp(-|Z|) lies in (0, 1]: it never overflows, and it keeps full relative precision for
    # very negative Z, where 1 / (1 + exp(-Z)) would compute exp of a large number.
    e = np.exp(-np.abs(Z_float))
    A = np.where(Z_float >= 0, 1 / (1 + e), e / (1 + e))
    return A, Z


def sigmoid_backward(dA, Z):
    """Gradient through a sigmoid: dZ = dA * s * (1 - s) with s = sigmoid(Z).

    Arguments:
    dA -- gradient of the cost with respect to the activation A, numpy array of shape (n, m)
    Z -- the cache of sigmoid (its input Z), numpy array of shape (n, m)

    Returns:
    dZ -- gradient of the cost with respect to Z, numpy array of shape (n, m)
    """
    dA, Z = _backward_inputs(dA, Z, "sigmoid_backward")
    s, _ = sigmoid(Z)
    return dA * s * (1 - s)


def relu(Z):
    """ReLU activation, max(0, Z), entry by entry.

    Arguments:
    Z -- pre-activation of a layer, numpy array of any shape, e.g. (n, m)

    Returns:
    A -- max(0, Z), numpy array of the shape of Z (float)
    cache -- Z, kept for relu_backward
    """
    Z_float = _as_array(Z, "Z", "relu")
    return np.maximum(Z_float, 0.0), Z


def relu_backward(dA, Z):
    """Gradient through a ReLU: dZ = dA where Z > 0, and 0 where Z <= 0.

    The derivative of max(0, z) is 1 for z > 0 and 0 for z < 0; at z = 0 we take 0.

    Arguments:
    dA -- gradient of the cost with respect to the activation A, numpy array of shape (n, m)
    Z -- the cache of relu (its input Z), numpy array of shape (n, m)

    Returns:
    dZ -- gradient of the cost with respect to Z, numpy array of shape (n, m)
    """
    dA, Z = _backward_inputs(dA, Z, "relu_backward")
    return np.where(Z > 0, dA, 0.0)
