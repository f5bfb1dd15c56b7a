"""Week 2 (logistic_regression): the random inputs of the hidden tests, one generator per kind
of input.

Each takes a numpy Generator and returns the tuple of positional arguments of one call. Sizes
differ from each other (n_x != m, m_train != m_test), so that a swapped axis shows.
"""

from __future__ import annotations

import numpy as np

from autograder.hidden.inputs import binary_labels


def image_sets(rng):
    """train and test images of zeros: m_train, m_test and num_px all different."""
    px, channels = int(rng.integers(2, 9)), int(rng.choice([1, 3]))
    m_train, m_test = int(rng.integers(10, 20)), int(rng.integers(20, 30))
    return np.zeros((m_train, px, px, channels)), np.zeros((m_test, px, px, channels))


def images(rng):
    """uint8 images of shape (m, num_px, num_px, channels), m and num_px varying (flatten)."""
    px, m = int(rng.integers(2, 7)), int(rng.integers(2, 9))
    shape = (m, px, px, int(rng.choice([1, 3])))
    return (rng.integers(0, 256, size=shape).astype(np.uint8),)


def pixels(rng):
    """pixel values 0..255 of any shape (n_x, m), stored as uint8 or as floats (standardize)."""
    shape = (int(rng.integers(1, 9)), int(rng.integers(1, 9)))
    dtype = np.uint8 if rng.random() < 0.5 else np.float64
    return (rng.integers(0, 256, size=shape).astype(dtype),)


def z(rng):
    """z of any 2-D shape, positive and negative values (sigmoid)."""
    return (rng.normal(0, 4, size=(int(rng.integers(1, 6)), int(rng.integers(1, 6)))),)


def dim(rng):
    """dim, the number of weights, from 2 to 49 (initialize_with_zeros)."""
    return (int(rng.integers(2, 50)),)


def _w_b_X_Y(rng, high, b_scale):
    """w of shape (n_x, 1), a bias b, X of shape (n_x, m), labels Y with both classes; n_x != m."""
    n_x = int(rng.integers(2, high))
    m = n_x + int(rng.integers(1, 8))
    Y = binary_labels(rng, m)
    w, b = rng.normal(0, 0.5, size=(n_x, 1)), float(rng.normal(0, b_scale))
    return w, b, rng.normal(size=(n_x, m)), Y


def w_b_X_Y(rng):
    """propagate's (w, b, X, Y): n_x from 2 to 6, a bias of either sign."""
    return _w_b_X_Y(rng, 7, 2)


def descent_problem(rng):
    """optimize's (w, b, X, Y, num_iterations, learning_rate): other step counts and rates."""
    return (*_w_b_X_Y(rng, 6, 1), int(rng.integers(1, 250)), float(rng.uniform(0.001, 0.5)))


def w_large_b_X(rng):
    """predict's (w, b, X): |b| large next to w.T x, so that b flips labels; n_x != m."""
    n_x = int(rng.integers(2, 8))
    m = n_x + int(rng.integers(5, 15))
    b = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.5))
    return rng.normal(0, 0.3, size=(n_x, 1)), b, rng.normal(size=(n_x, m))


def train_and_test_sets(rng):
    """model's (X_train, Y_train, X_test, Y_test, num_iterations, learning_rate): n_x, m_train
    and m_test all different."""
    n_x = int(rng.integers(2, 6))
    m_train, m_test = n_x + int(rng.integers(1, 10)), n_x + int(rng.integers(10, 15))
    return (rng.normal(size=(n_x, m_train)), rng.integers(0, 2, size=(1, m_train)),
            rng.normal(size=(n_x, m_test)), rng.integers(0, 2, size=(1, m_test)),
            int(rng.integers(1, 300)), float(rng.uniform(0.01, 0.5)))
