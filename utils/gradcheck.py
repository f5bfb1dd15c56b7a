"""Numerical gradient checking: compare a backward pass with centred differences.

All computations are in float64. The numerical gradient of f at x is, entry by entry,
(f(x + h e_i) - f(x - h e_i)) / (2 h), whose error is of order h ** 2 for smooth f.
"""

import numpy as np

from utils.checks import CheckFailure

HINT = ("A relative error near 1 usually means a wrong sign or a missing term; "
        "an error that grows with m often means a missing 1/m.")


def _check_float64(x):
    """Raise TypeError unless x is a float64 numpy array (needed to perturb it in place)."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float64 numpy array (got {got}); gradient checks need "
                        "double precision, e.g. x = x.astype(np.float64)")


def _scalar(value):
    """Return value (a number or an array of size 1) as a Python float."""
    value = np.asarray(value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
    return value.item()


def numerical_gradient(f, x, h=1e-5):
    """Centred-difference gradient of a scalar function f at x.

    Each entry of x is moved to x + h and x - h in place, then put back exactly, so f may read
    x (or a dictionary holding x) directly.

    Arguments:
    f -- function of x returning a scalar (a number or an array of size 1)
    x -- point of evaluation, float64 numpy array of any shape
    h -- step of the centred difference

    Returns:
    grad -- numerical gradient df/dx, numpy array of the shape of x, float64
    """
    _check_float64(x)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        try:
            x[ix] = old + h
            f_plus = _scalar(f(x))
            x[ix] = old - h
            f_minus = _scalar(f(x))
        finally:
            x[ix] = old
        grad[ix] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, df, h=1e-5):
    """Centred-difference gradient of sum(f(x) * df) at x, for a function f returning an array.

    This is what a backward function computes from the upstream gradient df = dL/d(out).

    Arguments:
    f -- function of x returning an array out of the shape of df
    x -- point of evaluation, float64 numpy array of any shape
    df -- upstream gradient, numpy array of the shape of f(x)
    h -- step of the centred difference

    Returns:
    grad -- numerical gradient of sum(f(x) * df) with respect to x, shape of x, float64
    """
    _check_float64(x)
    df = np.asarray(df, dtype=np.float64)
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        try:
            x[ix] = old + h
            out_plus = np.array(f(x), dtype=np.float64)  # a copy: f may reuse its output
            x[ix] = old - h
            out_minus = np.array(f(x), dtype=np.float64)
        finally:
            x[ix] = old
        if out_plus.shape != df.shape:
            raise ValueError(f"f(x) has shape {out_plus.shape} but df has shape {df.shape}")
        grad[ix] = np.sum((out_plus - out_minus) * df) / (2 * h)
    return grad


def _entry_errors(a, b, floor):
    """Entry-wise |a - b| / max(floor, |a| + |b|), an array of the broadcast shape of a and b."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(floor, np.abs(a) + np.abs(b))


def rel_error(a, b, eps=1e-12):
    """Largest symmetric relative error between two arrays of the same shape.

    Computes max over entries of |a - b| / max(eps, |a| + |b|): 0 for equal arrays, 1 where
    the entries have opposite signs, symmetric in a and b; eps avoids dividing by zero where
    both entries are 0, and entries much smaller than eps are in effect compared by their
    absolute difference divided by eps.

    Arguments:
    a -- numpy array (or number)
    b -- numpy array (or number) of the shape of a
    eps -- smallest denominator

    Returns:
    error -- the largest relative error, a float between 0 and 1
    """
    return float(np.max(_entry_errors(a, b, eps)))


def _index(name, ix):
    """Format an entry of an array, e.g. dW1[2, 0]."""
    return f"{name}[{', '.join(str(i) for i in ix)}]" if ix else name


def _specific_hint(analytic, numerical, floor):
    """A sentence about a sign flip or a constant factor between the gradients, or ''."""
    norm2 = np.sum(numerical**2)
    if norm2 == 0:
        return ""
    scale = np.sum(analytic * numerical) / norm2  # best c in analytic ~ c * numerical
    if abs(scale - 1) < 0.01 or np.max(_entry_errors(analytic, scale * numerical, floor)) > 1e-6:
        return ""
    if abs(scale + 1) < 0.01:
        return " The analytic gradient is the numerical one with the sign flipped."
    return f" The analytic gradient is about {scale:.3g} times the numerical one."


def grad_check(f, x, analytic, h=1e-5, tol=1e-7, name="gradient", verbose=True):
    """Check an analytic gradient against the numerical gradient of f at x.

    The error is the symmetric relative error of rel_error, entry by entry, with one
    precaution: centred differences only resolve an entry to about 2.2e-16 |f(x)| / h (1e-11
    for a cost near 1), so entries smaller than s = 10 * 2.2e-16 |f(x)| / (h tol) (about 1e-3
    for a cost near 1 with the defaults) are compared by |analytic - numerical| / s instead of
    by a relative error that would only measure rounding.

    Arguments:
    f -- function of x returning a scalar, e.g. the cost as a function of one parameter
    x -- point of evaluation, float64 numpy array (e.g. W1 of shape (n_h, n_x))
    analytic -- gradient computed by the backward pass, numpy array of the shape of x
    h -- step of the centred difference
    tol -- largest accepted relative error (about 1e-7 for smooth functions, looser with
           kinks such as ReLU)
    name -- name of the gradient in messages, e.g. "dW1"
    verbose -- print one line with the relative error when the check passes

    Returns:
    error -- the largest relative error over the entries, a float

    Raises:
    AssertionError -- when the shapes differ or the relative error is above tol
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol}")
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != np.shape(x):
        hint = " (did you forget a transpose?)" if analytic.shape == np.shape(x)[::-1] else ""
        raise CheckFailure(f"{name} has shape {analytic.shape} but the parameter has shape "
                           f"{np.shape(x)}{hint}")
    if not np.all(np.isfinite(analytic)):
        raise CheckFailure(f"{name} contains NaN or inf")
    _check_float64(x)
    floor = max(1e-12, 10 * np.finfo(np.float64).eps * abs(_scalar(f(x))) / (h * tol))
    numerical = numerical_gradient(f, x, h)
    entry = _entry_errors(analytic, numerical, floor)
    error = float(entry.max()) if entry.size else 0.0
    if not error <= tol:
        ix = np.unravel_index(np.argmax(entry), entry.shape)
        raise CheckFailure(
            f"gradient check of {name} failed: relative error {error:.1e} > {tol:g}.\n"
            f"Worst entry {_index(name, ix)}: analytic {analytic[ix]:.6e}, "
            f"numerical {numerical[ix]:.6e}.{_specific_hint(analytic, numerical, floor)}\n"
            f"Hint: {HINT}")
    if verbose:
        print(f"gradient check of {name}: relative error {error:.1e} (tolerance {tol:g}) ok")
    return error


def grad_check_dict(cost_fn, params, grads, tol=1e-7, keys=None, h=1e-5, verbose=True):
    """Check the gradients of a cost with respect to every parameter of a dictionary.

    Arguments:
    cost_fn -- function of params returning the cost, a scalar (it reads params["W1"], ...)
    params -- dictionary of float64 parameters, e.g. {"W1": (n_h, n_x), "b1": (n_h, 1), ...}
    grads -- dictionary of analytic gradients, "d" + key for each key: {"dW1": ..., "db1": ...}
    tol -- largest accepted relative error
    keys -- the parameters to check, in order; all keys of params when None
    h -- step of the centred difference
    verbose -- print one line per parameter

    Returns:
    errors -- dictionary of relative errors, e.g. {"dW1": 3.1e-10, "db1": ...}

    Raises:
    AssertionError -- at the first gradient that is missing, misshapen or wrong
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    keys = list(params) if keys is None else list(keys)
    errors = {}
    for key in keys:
        if key not in params:
            raise KeyError(f"params has no {key!r}; its keys are {sorted(params)}")
        dkey = "d" + key
        if dkey not in grads:
            raise CheckFailure(f"grads has no {dkey!r} (the gradient of params[{key!r}]); "
                               f"its keys are {sorted(grads)}")
        errors[dkey] = grad_check(lambda _: cost_fn(params), params[key], grads[dkey], h=h,
                                  tol=tol, name=dkey, verbose=verbose)
    return errors
