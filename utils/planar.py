"""Seeded 2-D toy data sets for planar classification (week 3).

Every generator returns ``X`` of shape (2, m), float64, one example per column, and ``Y`` of
shape (1, m), int64, with labels 0 or 1. The same ``seed`` always gives the same data.
"""

import math
import numbers

import numpy as np

FLOWER_RADIUS = 4.0  # length of a petal of the flower


def _check_m(m, minimum=2):
    """Return m as an int, or raise ValueError if it is not an integer >= minimum."""
    if isinstance(m, bool) or not isinstance(m, numbers.Integral):
        raise ValueError(f"m must be an integer number of examples, got {m!r}")
    if m < minimum:
        raise ValueError(f"m must be at least {minimum}, got {m}")
    return int(m)


def _check_positive(name, value, allow_zero=False):
    """Return value as a float, or raise ValueError if it is not finite and positive."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value}")
    return value


def _check_count(name, value, minimum):
    """Return value as an int, or raise ValueError if it is not an integer >= minimum."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _shuffled(rng, X, labels):
    """Shuffle the columns of X and the labels together; return X (2, m) and Y (1, m)."""
    order = rng.permutation(labels.shape[0])
    X = np.ascontiguousarray(X[:, order], dtype=np.float64)
    Y = labels[order].astype(np.int64).reshape(1, -1)
    return X, Y


def _split(m):
    """Labels for m examples, half 0 and half 1 (class 1 gets the extra one when m is odd)."""
    return (np.arange(m) >= m // 2).astype(np.int64)


def load_flower(m=400, petals=4, noise=0.2, seed=1):
    """Generate the "flower": a rose of petals that belong alternately to class 0 and class 1.

    Petal j covers the angles t in [j w, (j + 1) w], w = 2 pi / petals, and its points lie on
    the rose r = 4 sin((petals / 2) (t - j w)), with Gaussian noise of standard deviation
    ``noise`` added to r and to t; it has label j mod 2. With 4 petals or more no straight line
    separates the classes (a linear classifier stays near 50%); with the defaults a tanh
    network with 4 hidden units gets about 90%.

    Arguments:
    m -- number of examples, an integer >= 2 (m // 2 of class 0, the rest of class 1)
    petals -- total number of petals, an even integer >= 2 (half of them per class)
    noise -- standard deviation of the noise on the radius and on the angle, >= 0
    seed -- seed of numpy.random.default_rng (None for fresh randomness)

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    m = _check_m(m)
    petals = _check_count("petals", petals, 2)
    if petals % 2:
        raise ValueError(f"petals must be even (they alternate between the classes), got {petals}")
    noise = _check_positive("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    labels = _split(m)
    width = 2 * np.pi / petals  # angle covered by one petal
    petal = 2 * rng.integers(0, petals // 2, size=m) + labels  # even petals class 0, odd class 1
    u = rng.uniform(0.0, width, size=m)  # angle from the start of the petal
    r = FLOWER_RADIUS * np.sin(np.pi * u / width) + noise * rng.standard_normal(m)
    t = petal * width + u + noise * rng.standard_normal(m)
    return _shuffled(rng, np.stack([r * np.cos(t), r * np.sin(t)]), labels)


def make_circles(m=400, noise=0.1, factor=0.5, seed=1):
    """Generate two concentric circles: class 0 outside (radius 1), class 1 inside.

    Arguments:
    m -- number of examples, an integer >= 2 (m // 2 of class 0, the rest of class 1)
    noise -- standard deviation of the Gaussian noise added to each coordinate, >= 0
    factor -- radius of the inner circle, between 0 and 1 (exclusive)
    seed -- seed of numpy.random.default_rng (None for fresh randomness)

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    m = _check_m(m)
    noise = _check_positive("noise", noise, allow_zero=True)
    factor = _check_positive("factor", factor)
    if factor >= 1:
        raise ValueError(f"factor must be between 0 and 1 (exclusive), got {factor}")
    rng = np.random.default_rng(seed)
    labels = _split(m)
    radius = np.where(labels == 0, 1.0, factor)
    t = rng.uniform(0.0, 2 * np.pi, size=m)
    X = radius * np.stack([np.cos(t), np.sin(t)]) + noise * rng.standard_normal((2, m))
    return _shuffled(rng, X, labels)


def make_moons(m=400, noise=0.1, seed=1):
    """Generate two interleaving half circles ("moons"): class 0 on top, class 1 below.

    Arguments:
    m -- number of examples, an integer >= 2 (m // 2 of class 0, the rest of class 1)
    noise -- standard deviation of the Gaussian noise added to each coordinate, >= 0
    seed -- seed of numpy.random.default_rng (None for fresh randomness)

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    m = _check_m(m)
    noise = _check_positive("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    labels = _split(m)
    t = rng.uniform(0.0, np.pi, size=m)
    top = np.stack([np.cos(t), np.sin(t)])
    bottom = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(labels == 0, top, bottom) + noise * rng.standard_normal((2, m))
    return _shuffled(rng, X, labels)


def make_blobs(m=400, centers=2, std=1.0, seed=1):
    """Generate Gaussian blobs around centers evenly spaced on a circle of radius 4.

    The centers are numbered around the circle (from a random starting angle) and blob k gets
    the label k mod 2, so centers=2 is linearly separable and centers=4 is an "XOR".

    Arguments:
    m -- number of examples, an integer >= 2 (shared as evenly as possible between the blobs)
    centers -- number of blobs, an integer >= 2
    std -- standard deviation of each blob, > 0
    seed -- seed of numpy.random.default_rng (None for fresh randomness)

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    m = _check_m(m)
    centers = _check_count("centers", centers, 2)
    std = _check_positive("std", std)
    rng = np.random.default_rng(seed)
    blob = np.arange(m) % centers
    angle = rng.uniform(0.0, 2 * np.pi) + 2 * np.pi * blob / centers
    X = 4.0 * np.stack([np.cos(angle), np.sin(angle)]) + std * rng.standard_normal((2, m))
    return _shuffled(rng, X, blob % 2)


def make_gaussian_quantiles(m=400, seed=1):
    """Generate a standard 2-D Gaussian cloud labelled by distance from the origin.

    An example is of class 1 when its squared radius exceeds the median squared radius of the
    sample, so the classes are an inner disc (0) and the ring around it (1): m // 2 examples
    of class 1 and the rest of class 0.

    Arguments:
    m -- number of examples, an integer >= 2
    seed -- seed of numpy.random.default_rng (None for fresh randomness)

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    m = _check_m(m)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    r2 = np.sum(X**2, axis=0)
    Y = (r2 > np.median(r2)).astype(np.int64).reshape(1, m)
    return X, Y


PLANAR_DATASETS = {
    "flower": load_flower,
    "circles": make_circles,
    "moons": make_moons,
    "blobs": make_blobs,
    "gaussian_quantiles": make_gaussian_quantiles,
}


def load_planar(name, **kwargs):
    """Generate the planar data set called name ("flower", "circles", "moons", ...).

    Arguments:
    name -- one of the keys of PLANAR_DATASETS
    kwargs -- passed on to the generator, e.g. m=200, noise=0.3, seed=2

    Returns:
    X -- coordinates, numpy array of shape (2, m), float64
    Y -- labels 0 or 1, numpy array of shape (1, m), int64
    """
    if not isinstance(name, str) or name not in PLANAR_DATASETS:
        names = ", ".join(repr(n) for n in PLANAR_DATASETS)
        raise ValueError(f"unknown planar data set {name!r}; choose one of {names}")
    return PLANAR_DATASETS[name](**kwargs)
