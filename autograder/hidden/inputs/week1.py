"""Week 1 (numpy_basics): the random inputs of the hidden tests, one generator per kind of input.

Each takes a numpy Generator and returns the tuple of positional arguments of one call.
"""

from __future__ import annotations

from autograder.hidden.inputs import distinct


def scalar(rng):
    """x, a Python float of either sign (basic_sigmoid)."""
    return (float(rng.normal(0, 4)),)


def array(rng):
    """x of 1 to 3 dimensions, each of size 1 to 5, entries of either sign."""
    shape = tuple(int(n) for n in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    return (rng.normal(0, 3, size=shape),)


def integer_matrix(rng):
    """x of shape (4, 3) holding integers from -6 to 6 (an int dtype)."""
    return (rng.integers(-6, 7, size=(4, 3)),)


def image(rng):
    """image of shape (height, width, channels), height != width."""
    height, width = distinct(rng, 2, 10, 2)
    return (rng.random(size=(height, width, int(rng.integers(1, 5)))),)


def matrix(rng):
    """x of shape (n, m), n != m (normalize_rows)."""
    n, m = distinct(rng, 2, 9, 2)
    return (rng.normal(0, 2, size=(n, m)),)


def large_scores(rng):
    """x of shape (m, n), m != n, each row shifted by up to 800 (softmax must not overflow)."""
    m, n = distinct(rng, 2, 9, 2)
    return (rng.normal(0, 3, size=(m, n)) + rng.uniform(-800, 800, size=(m, 1)),)


def yhat_and_y(rng):
    """yhat in [0, 1) and labels y of 0s and 1s, both of shape (m,) (L1 and L2)."""
    m = int(rng.integers(2, 50))
    return rng.random(m), rng.integers(0, 2, size=m).astype(float)
