"""A linear baseline for the planar notebooks: logistic regression, already trained for you.

Week 3 compares its small neural network with the best straight-line classifier. This module
fits that classifier with Newton's method (also called iteratively reweighted least squares),
which needs no learning rate and converges in a few steps, plus a small L2 penalty on the
weights so that the fit stays finite when the classes can be separated by a line.

Typical use::

    from utils.baselines import logistic_regression_baseline
    baseline = logistic_regression_baseline(X, Y)   # X (n_x, m), Y (1, m)
    labels = baseline(X)                              # (1, m) of 0/1
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["LogisticBaseline", "logistic_regression_baseline"]


def _as_inputs(X, name="X"):
    """Return X as a finite float64 array of shape (n_x, m), or raise ValueError."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} should be a numeric array of shape (n_x, m)") from None
    if X.ndim != 2:
        raise ValueError(f"{name} should be 2-D of shape (n_x, m), one example per column; "
                         f"got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} should hold at least one feature and one example; "
                         f"got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _stable_sigmoid(z):
    """1 / (1 + exp(-z)) without overflow for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass(frozen=True, eq=False)
class LogisticBaseline:
    """A trained logistic regression y_hat = sigmoid(w.T x + b).

    Calling it on points returns their labels, so it can be passed directly to
    utils.plots.plot_decision_boundary.

    Attributes:
    w -- weights, numpy array of shape (n_x, 1)
    b -- bias, a float
    iterations -- number of Newton steps the fit took
    """

    w: np.ndarray
    b: float
    iterations: int

    def _inputs(self, X):
        X = _as_inputs(X)
        n_x = self.w.shape[0]
        if X.shape[0] != n_x:
            hint = " (did you pass X.T?)" if X.shape[1] == n_x else ""
            raise ValueError(f"X should have shape ({n_x}, k): the baseline was fitted on "
                             f"{n_x} features; got shape {X.shape}{hint}")
        return X

    def probabilities(self, X):
        """Probability of class 1 for each column of X (n_x, k); returns shape (1, k)."""
        return _stable_sigmoid(self.w.T @ self._inputs(X) + self.b)

    def __call__(self, X):
        """Labels 0 or 1 for each column of X (n_x, k); returns an int64 array of shape (1, k)."""
        return (self.w.T @ self._inputs(X) + self.b > 0).astype(np.int64)

    def accuracy(self, X, Y):
        """Fraction of the columns of X (n_x, k) whose label is Y (1, k), a float in [0, 1]."""
        labels = self(X)
        Y = np.asarray(Y)
        if Y.shape != labels.shape:
            raise ValueError(f"Y should have shape {labels.shape}, got {Y.shape}")
        return float(np.mean(labels == Y))


def _loss(theta, A, Y, l2):
    """Mean cross-entropy of sigmoid(theta.T A) against Y, plus (l2 / 2) |w|^2."""
    z = theta.T @ A
    return float(np.mean(np.logaddexp(0.0, z) - Y * z) + 0.5 * l2 * np.sum(theta[:-1] ** 2))


def logistic_regression_baseline(X, Y, l2=1e-3, max_steps=100, tol=1e-10):
    """Fit a logistic regression to labelled points with Newton's method.

    Minimises the mean cross-entropy plus (l2 / 2) * |w|^2 (the bias is not penalised). Each
    step solves H d = g for the gradient g and Hessian H of that objective, with a
    backtracking line search, so the result depends only on the data: no randomness.

    Arguments:
    X -- examples, numpy array of shape (n_x, m), one per column
    Y -- labels 0 or 1, numpy array of shape (1, m)
    l2 -- strength of the L2 penalty on w, a number >= 0 (keeps w finite on separable data)
    max_steps -- largest number of Newton steps, an integer >= 1
    tol -- stop when the largest entry of the gradient is below this

    Returns:
    baseline -- a LogisticBaseline: baseline(X) gives labels of shape (1, k),
                baseline.probabilities(X) the probabilities of class 1, baseline.w (n_x, 1)
                and baseline.b the fitted parameters
    """
    X = _as_inputs(X)
    n_x, m = X.shape
    Y = np.asarray(Y)
    if Y.shape != (1, m):
        hint = " (reshape it with Y.reshape(1, -1))" if Y.shape == (m,) else ""
        raise ValueError(f"Y should have shape (1, m) = (1, {m}) to match X of shape {X.shape}; "
                         f"got {Y.shape}{hint}")
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError("Y should hold labels 0 or 1 only")
    if isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not 0 <= l2 < np.inf:
        raise ValueError(f"l2 must be a finite number >= 0, got {l2!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, numbers.Integral) \
            or max_steps < 1:
        raise ValueError(f"max_steps must be an integer >= 1, got {max_steps!r}")
    Y = Y.astype(np.float64)
    A = np.vstack([X, np.ones((1, m))])           # (n_x + 1, m): a row of ones for the bias
    penalty = np.full(n_x + 1, float(l2))
    penalty[-1] = 0.0                              # no penalty on b
    theta = np.zeros((n_x + 1, 1))                # [w; b]
    steps = 0
    while steps < max_steps:
        p = _stable_sigmoid(theta.T @ A)           # (1, m)
        grad = A @ (p - Y).T / m + penalty[:, None] * theta
        if np.max(np.abs(grad)) < tol:
            break
        hessian = (A * (p * (1 - p))) @ A.T / m + np.diag(penalty) + 1e-12 * np.eye(n_x + 1)
        direction = np.linalg.solve(hessian, grad)
        loss, slope, t = _loss(theta, A, Y, l2), float(np.sum(grad * direction)), 1.0
        while t > 1e-8 and _loss(theta - t * direction, A, Y, l2) > loss - 1e-4 * t * slope:
            t *= 0.5                               # backtracking: halve the step until it helps
        theta = theta - t * direction
        steps += 1
    return LogisticBaseline(w=theta[:-1].copy(), b=float(theta[-1, 0]), iterations=steps)
