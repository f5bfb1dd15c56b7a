"""Checks of one value against what is expected: type, shape, finiteness, keys, numbers.

Each check raises ``CheckFailure`` naming the value, what was expected and what was found, and,
where it can tell, why: a transposed result, a reduction over the wrong axis, a missing
``keepdims=True`` or ``1/m``, a catalogued mistake. Numbers are compared within
``|value - expected| <= atol + rtol * |expected|``, by default ``ATOL`` and ``RTOL``; two
integers (or booleans) exactly.
"""

from __future__ import annotations

import numbers

import numpy as np

from utils.checks.messages import article, describe, fail, fmt

RTOL = 1e-6
ATOL = 1e-9


def is_number(value) -> bool:
    """A real number, Python or numpy, that is not a bool: what ``float`` accepts in checks."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_type(value, expected, name):
    """Check that ``value`` is an instance of ``expected`` (a type or a tuple of types).

    ``float`` accepts any real number that is not a bool (Python or numpy scalar) and a
    0-dimensional float array is reported with a hint to convert it.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if expected is float:
        if is_number(value):
            return
        hints = []
        if isinstance(value, np.ndarray):
            if value.size == 1:
                hints.append(
                    f"{name} is an array holding one number; turn it into a Python number with "
                    f"float(...) or .item() (np.squeeze keeps it an array)."
                )
            else:
                hints.append(
                    f"{name} should be a single number: did you forget to sum (np.sum) or "
                    f"average the entries, or sum along one axis only (check the axis)?"
                )
        fail(f"{name} should be a number (float), but it is {article(describe(value))}.", hints)
    if not isinstance(value, expected):
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        hints = []
        if expected is np.ndarray and isinstance(value, list | tuple):
            hints.append("wrap the result in np.array(...) or build it with numpy operations.")
        if value is None:
            hints.append("is there a missing `return` statement?")
        fail(f"{name} should be {article(names)}, but it is {article(describe(value))}.", hints)


def check_python_float(value, name):
    """Check that ``value`` is a Python float, as a docstring promises: not an int, not a numpy
    number (np.sum and np.mean return numpy numbers), not an array."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    check_type(value, float, name)  # None, arrays, ...: the usual message and hint
    if type(value) is float:
        return
    if isinstance(value, np.generic):
        kind = f"a numpy {type(value).__name__} ({value})"
        hint = ("numpy functions such as np.sum and np.mean return numpy numbers: wrap the "
                "result with float(...).")
    else:
        kind = f"{article(type(value).__name__)} ({value!r})"
        hint = f"{value!r} is an int: write {value!r}.0, with a decimal point, or float(...)."
    fail(f"{name} should be a Python float, but it is {kind}.", [hint])


def _shape_hints(actual, expected, name, *, keepdims_hint=True):
    """Guess why an array has the wrong shape (``keepdims_hint``: the result comes from a
    sum/max/mean, so a missing keepdims=True is a likely cause)."""
    actual, expected = tuple(actual), tuple(expected)
    hints = []
    if len(actual) == 2 and actual == expected[::-1]:
        hints.append(
            f"{name} looks transposed: check for a missing or extra .T, or the order of the "
            f"arguments of np.dot." if keepdims_hint else
            f"{name} looks transposed: check for a missing or extra .T, or the order of the "
            f"numbers given to reshape."
        )
    if len(actual) == 1 and len(expected) == 2 and 1 in expected and actual[0] == max(expected):
        hints.append(
            f"{name} is a 1-D (rank-1) array. Keep it 2-D: use keepdims=True when you sum, or "
            f"reshape it to {expected}." if keepdims_hint else
            f"{name} is a 1-D (rank-1) array: reshape it to {expected} (a 2-D array)."
        )
    elif len(actual) + 1 == len(expected) and keepdims_hint:
        for axis in range(len(expected)):
            if expected[axis] == 1 and expected[:axis] + expected[axis + 1:] == actual:
                hints.append(
                    f"axis {axis} of length 1 is missing: use keepdims=True in the sum/max/mean "
                    f"(or reshape to {expected})."
                )
                break
    if len(actual) == len(expected) and actual != expected[::-1]:
        swapped = [
            i for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            if (a == 1) != (e == 1)
        ]
        if swapped and all(
            a == 1 or e == 1 for a, e in zip(actual, expected, strict=True)
        ):
            hints.append(f"{name} seems to be reduced over the wrong axis (check axis=...).")
    if np.prod(actual, dtype=np.int64) == np.prod(expected, dtype=np.int64) and not hints:
        hints.append(
            f"the number of entries is right but they are arranged as {actual}: reshape the "
            f"result to {expected}."
        )
    if (np.prod(actual, dtype=np.int64) > np.prod(expected, dtype=np.int64) and len(actual) >= 2
            and not hints):
        hints.append(
            "the result has more entries than it should: did you use the wrong variable (for "
            "example a hidden layer's activations instead of the output's), or did numpy "
            "broadcasting combine a (n, 1) array with a (1, n) or (n,) array?"
        )
    return hints


def check_shape(value, expected, name, *, keepdims_hint=True):
    """Check that ``value`` is a numpy array of shape ``expected`` (a tuple).

    ``keepdims_hint=False`` leaves out the keepdims advice, for results that involve no sum or
    max."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    expected = tuple(expected)
    check_type(value, np.ndarray, name)
    if value.shape != expected:
        fail(
            f"{name} has shape {value.shape} but should have shape {expected}.",
            _shape_hints(value.shape, expected, name, keepdims_hint=keepdims_hint),
        )


def check_finite(value, name):
    """Check that a number or array holds no NaN or infinity."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    arr = np.asarray(value)
    if arr.dtype.kind not in "fc":
        return
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        what = "NaN" if np.isnan(arr).any() else "infinite"
        where = f" (first at index {index})" if index else ""
        fail(
            f"{name} contains {what} values{where}.",
            [
                "np.exp of a large number overflows to inf and of a very negative one "
                "underflows to 0; inf/inf and 0/0 give NaN. Before np.exp, subtract each row's "
                "own maximum (keepdims=True), and check the sign inside np.exp.",
                "a division by zero or np.log(0) also produces inf/NaN.",
            ],
        )


def check_keys(value, keys, name):
    """Check that ``value`` is a dict with exactly the given keys."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    check_type(value, dict, name)
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing keys {missing}")
        if extra:
            parts.append(f"unexpected keys {extra}")
        fail(f"{name} should have the keys {list(keys)}: {', '.join(parts)}.",
             _key_hints(list(keys), missing, extra))


def _key_hints(keys, missing, extra) -> list[str]:
    """A hint only for what the keys show: a spelling that differs (case, a close name), or the
    last layers' keys missing from a W1, b1, ... dict (a loop that stops a layer early)."""
    import difflib

    for key in missing:
        other = [k for k in extra if str(k).lower() == str(key).lower()] or (
            difflib.get_close_matches(str(key), [str(k) for k in extra], n=1, cutoff=0.75))
        if other:
            return [f"{other[0]!r} is spelt differently from {key!r}: key names must match the "
                    "text exactly, case included."]
    layered = [k for k in keys if str(k)[:1] in "Wb" and str(k)[1:].isdigit()]
    if missing and not extra and set(missing) <= set(layered):
        layer = lambda k: int(str(k)[1:])  # noqa: E731
        if min(map(layer, missing)) > max(layer(k) for k in layered if k not in missing):
            return ["the last layer's keys are missing: does the loop over the layers stop "
                    "one layer early (range(1, L) instead of range(1, L + 1))?"]
    return []


def _value_hints(actual, expected, name, *, mistakes, rtol, atol):
    hints = []
    for hint, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == actual.shape and np.allclose(actual, wrong, rtol=rtol, atol=atol):
            if not np.allclose(wrong, expected, rtol=rtol, atol=atol):
                hints.append(f"this is the result you get when you {hint}.")
    if hints:
        return hints
    if np.any(expected != 0) and np.allclose(actual, -expected, rtol=rtol, atol=atol):
        hints.append("the sign is flipped (check minus signs, e.g. inside np.exp or the cost).")
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] > 1:
        if np.allclose(actual, expected.T, rtol=rtol, atol=atol):
            hints.append(f"{name} is the transpose of the expected result.")
    nonzero = np.abs(expected) > atol
    if nonzero.sum() >= 2 and not hints:
        ratio = actual[nonzero] / expected[nonzero]
        k = float(np.median(ratio))
        if np.allclose(actual, k * expected, rtol=max(rtol, 1e-6), atol=atol) and abs(k - 1) > rtol:
            hints.append(
                f"{name} is the expected result times {k:.6g}: a missing or extra factor, such as "
                f"1/m (mean versus sum) or a constant like 2 or 1/2?"
            )
    if not hints and actual.size > 1 and actual.shape == expected.shape:
        if np.allclose(np.sort(actual, axis=None), np.sort(expected, axis=None), rtol=rtol,
                       atol=atol):
            hints.append(
                "the right numbers are there but in the wrong places: a reshape in the wrong "
                "order, a transpose, or the wrong axis?"
            )
    return hints


def check_close(value, expected, name, *, rtol=RTOL, atol=ATOL, mistakes=None,
                keepdims_hint=True):
    """Check that ``value`` equals ``expected`` within ``|a - e| <= atol + rtol * |e|``
    (exactly when both hold integers or booleans: a tolerance means nothing for them).

    Arguments:
    value, expected -- numbers or arrays of the same shape
    name -- how the value is called in messages
    mistakes -- optional dict {"description of a mistake": value it produces}; when ``value``
                matches one of them the message names that mistake.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    exact = all(np.asarray(x).dtype.kind in "biu" for x in (value, expected))  # no tolerance
    a = np.asarray(value, dtype=float)
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        fail(
            f"{name} has shape {a.shape} but should have shape {e.shape}.",
            _shape_hints(a.shape, e.shape, name, keepdims_hint=keepdims_hint),
        )
    check_finite(a, name)
    close = (a == e) if exact else np.isclose(a, e, rtol=rtol, atol=atol)
    if close.all():
        return
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    got, want = (a[index], e[index]) if index else (a.item(), e.item())
    where = f" at index {index}" if index else ""
    n_bad = int((~close).sum())
    count = f"{n_bad} of {a.size} entries differ" if a.size > 1 else ""
    if exact:
        detail = f"\n({count})" if count else ""
    else:
        detail = f"\n({count}{'; ' if count else ''}tolerance {atol:g} + {rtol:g} * |expected|)"
    fail(
        f"{name} is wrong{where}: got {fmt(got)}, expected {fmt(want)}.{detail}",
        _value_hints(a, e, name, mistakes=mistakes, rtol=rtol, atol=atol),
    )


def _check_integer_dtype(value, expected, name):
    """Check that the array ``value`` holds integers, as the integer array ``expected`` does;
    for labels 0/1, booleans and floats are named with the conversion that fixes them."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if value.dtype.kind in "iu":
        return
    labels = expected.size > 0 and bool(np.isin(expected, (0, 1)).all())
    what = f"{name} should be integers{' 0 or 1' if labels else ''} (dtype int)"
    if value.dtype.kind == "b":
        fail(f"{what}, but they are booleans: convert with .astype(int).")
    if value.dtype.kind == "f" and labels:
        fail(f"{what}, but they are floats ({value.dtype}): convert with .astype(int).")
    fail(f"{what}, but they have dtype {value.dtype}.",
         ["np.zeros, np.empty and a division / give floats; keep the integers of the input."])


def check_output(value, expected, name, *, rtol=RTOL, atol=ATOL, mistakes=None,
                 keepdims_hint=True):
    """Compare a result with the expected one, recursively, with a teaching message.

    Handles numbers, numpy arrays, and dicts, tuples and lists of them. Arrays are checked for
    type, shape, float dtype (when the expected one is float), finite values, values, then
    integer dtype (when the expected one is integer: 0/1 labels are not booleans or floats).
    ``mistakes`` (see check_close) is {description: wrong value} for an array or number; for a
    dict it is {key: mistakes of that entry}, for a tuple or list {index: mistakes of that item}.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if value is None and expected is not None:
        fail(f"{name} is None.", ["is there a missing `return` statement?"])
    mistakes = mistakes or {}
    if isinstance(expected, dict):
        check_keys(value, list(expected), name)
        for key, entry in expected.items():
            check_output(value[key], entry, f'{name}["{key}"]', rtol=rtol, atol=atol,
                         mistakes=mistakes.get(key), keepdims_hint=keepdims_hint)
        return
    if isinstance(expected, tuple | list):
        check_type(value, (tuple, list), name)
        if len(value) != len(expected):
            fail(
                f"{name} should have {len(expected)} items but has {len(value)}.",
                ["return all the values listed in the docstring, in that order."],
            )
        for i, (a, e) in enumerate(zip(value, expected, strict=True)):
            check_output(a, e, f"{name}[{i}]", rtol=rtol, atol=atol, mistakes=mistakes.get(i),
                         keepdims_hint=keepdims_hint)
        return
    if isinstance(expected, np.ndarray):
        check_shape(value, expected.shape, name, keepdims_hint=keepdims_hint)
        if expected.dtype.kind == "f" and value.dtype.kind not in "f":
            fail(
                f"{name} should hold floats but has dtype {value.dtype}.",
                ["a comparison such as A > 0.5 gives booleans: convert with .astype(float)."
                 if value.dtype.kind == "b" else
                 "integer results often come from // or astype(int), or from an output made "
                 "with np.empty_like / np.zeros_like of an integer input; keep floats."],
            )
        check_close(value, expected, name, rtol=rtol, atol=atol, mistakes=mistakes,
                    keepdims_hint=keepdims_hint)
        if expected.dtype.kind in "iu":  # after the values: a wrong value says more
            _check_integer_dtype(value, expected, name)
        return
    if isinstance(expected, bool | np.bool_):
        if value is not expected and value != expected:
            fail(f"{name} should be {expected}, got {fmt(value)}.")
        return
    if isinstance(expected, numbers.Real):
        check_type(value, float, name)
        check_close(value, expected, name, rtol=rtol, atol=atol, mistakes=mistakes)
        return
    if value != expected:
        fail(f"{name} should be {expected!r}, got {value!r}.")
