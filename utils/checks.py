"""Teaching assertions for the test cells of the graded notebooks.

Every check raises ``AssertionError`` with a message that names the variable, says what was
expected and what was found, and, where it can tell, hints at the usual cause: a transposed
result, a reduction over the wrong axis, a missing ``keepdims=True`` or ``1/m``, an input changed
in place. The tolerance of every comparison is stated next to it.

A failed check raises ``CheckFailure``, which IPython (JupyterLab, nbclient, ``nbgrader
validate``) shows as its message alone: the first line says what is wrong, the next ones give the
hint, every line at most 80 characters, and no traceback.

Typical use in a test cell::

    with tests_for("sigmoid"):
        check_function(sigmoid, (np.array([1.0, 2.0]),), expected=np.array([0.731059, 0.880797]),
                       rtol=1e-5)

``tests_for`` prints "All public tests passed." when the block ends without error, turns any
error into one short message, and, when the function under test uses other graded functions
whose own tests have not passed, says so first.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import numbers
import textwrap

import numpy as np

__all__ = [
    "CheckFailure",
    "call",
    "check_cache",
    "check_close",
    "check_finite",
    "check_function",
    "check_keys",
    "check_output",
    "check_python_float",
    "check_returns",
    "check_shape",
    "check_type",
    "require_passed",
    "tests_for",
]

RTOL = 1e-6
ATOL = 1e-9


def _fmt(value, precision=8):
    """Short printable form of a number or small array."""
    if isinstance(value, np.ndarray):
        if value.size > 12:
            return f"array of shape {value.shape}"
        return np.array2string(value, precision=precision, separator=", ")
    if isinstance(value, float | np.floating):
        return f"{float(value):.{precision}g}"
    return repr(value)


def _describe(value):
    """What kind of thing a value is, for messages ("ndarray of shape (3, 1)", "list", ...)."""
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    return type(value).__name__


def _a(noun):
    """The noun with its indefinite article."""
    return ("an " if noun[:1].lower() in "aeiou" or noun.startswith("ndarray") else "a ") + noun


WIDTH = 80  # nbgrader validate cuts lines at 87 characters (its width 90, less "...")


class CheckFailure(AssertionError):
    """A check that failed: IPython shows its message alone, wrapped to WIDTH columns.

    The message's first line says what is wrong; the following lines ("Hint: ...") say why it
    may be. ``_render_traceback_`` is IPython's hook for exceptions that draw themselves: the
    notebook, nbclient and nbgrader (validate and feedback) all show these lines and nothing else.
    """

    def _render_traceback_(self):
        return render_message(str(self))


def render_message(message: str) -> list[str]:
    """The lines a student sees for a failure message: wrapped, the first one in bold red."""
    lines = []
    for number, paragraph in enumerate(message.strip().splitlines() or ["(no message)"]):
        indent = "      " if paragraph.startswith("Hint: ") else "  "
        wrapped = textwrap.wrap(paragraph, WIDTH, subsequent_indent=indent,
                                break_on_hyphens=False) or [""]
        if number == 0:
            wrapped = [f"\x1b[1;31m{line}\x1b[0m" for line in wrapped]
        lines += wrapped
    return lines


def _fail(message, hints=()):
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    hints = [h for h in hints if h]
    if hints:
        message += "\nHint: " + "\nHint: ".join(hints)
    raise CheckFailure(message)


# --------------------------------------------------------------------------------------------
# Single-property checks
# --------------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    """A real number, Python or numpy, that is not a bool: what ``float`` accepts in checks."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_type(value, expected, name):
    """Check that ``value`` is an instance of ``expected`` (a type or a tuple of types).

    ``float`` accepts any real number that is not a bool (Python or numpy scalar) and a
    0-dimensional float array is reported with a hint to convert it.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if expected is float:
        if _is_number(value):
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
        _fail(f"{name} should be a number (float), but it is {_a(_describe(value))}.", hints)
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
        _fail(f"{name} should be {_a(names)}, but it is {_a(_describe(value))}.", hints)


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
        kind = f"{_a(type(value).__name__)} ({value!r})"
        hint = f"{value!r} is an int: write {value!r}.0, with a decimal point, or float(...)."
    _fail(f"{name} should be a Python float, but it is {kind}.", [hint])


def _shape_hints(actual, expected, name, keepdims_hint=True):
    """Guess why an array has the wrong shape (``keepdims_hint``: the result comes from a sum/max/mean,
    so a missing keepdims=True is a likely cause)."""
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


def check_shape(value, expected, name, keepdims_hint=True):
    """Check that ``value`` is a numpy array of shape ``expected`` (a tuple).

    ``keepdims_hint=False`` leaves out the keepdims advice, for results that involve no sum or max."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    expected = tuple(expected)
    check_type(value, np.ndarray, name)
    if value.shape != expected:
        _fail(
            f"{name} has shape {value.shape} but should have shape {expected}.",
            _shape_hints(value.shape, expected, name, keepdims_hint),
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
        _fail(
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
        _fail(
            f"{name} should have the keys {list(keys)}: {', '.join(parts)}.",
            ["key names are case-sensitive and must match the ones in the text exactly."],
        )


def _value_hints(actual, expected, name, mistakes, rtol, atol):
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


def check_close(actual, expected, name, rtol=RTOL, atol=ATOL, mistakes=None, keepdims_hint=True):
    """Check that ``actual`` equals ``expected`` within ``|a - e| <= atol + rtol * |e|``.

    Arguments:
    actual, expected -- numbers or arrays of the same shape
    name -- how the value is called in messages
    mistakes -- optional dict {"description of a mistake": value it produces}; when ``actual``
                matches one of them the message names that mistake.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        _fail(
            f"{name} has shape {a.shape} but should have shape {e.shape}.",
            _shape_hints(a.shape, e.shape, name, keepdims_hint),
        )
    check_finite(a, name)
    close = np.isclose(a, e, rtol=rtol, atol=atol)
    if close.all():
        return
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    got, want = (a[index], e[index]) if index else (a.item(), e.item())
    where = f" at index {index}" if index else ""
    n_bad = int((~close).sum())
    count = f"{n_bad} of {a.size} entries differ; " if a.size > 1 else ""
    _fail(
        f"{name} is wrong{where}: got {_fmt(got)}, expected {_fmt(want)}.\n"
        f"({count}tolerance {atol:g} + {rtol:g} * |expected|)",
        _value_hints(a, e, name, mistakes, rtol, atol),
    )


def check_output(actual, expected, name, rtol=RTOL, atol=ATOL, mistakes=None, keepdims_hint=True):
    """Compare a result with the expected one, recursively, with a teaching message.

    Handles numbers, numpy arrays, and dicts, tuples and lists of them. Arrays are checked for
    type, shape, float dtype (when the expected one is float), finite values, then values.
    ``mistakes`` (see check_close) is {description: wrong value} for an array or number; for a
    dict it is {key: mistakes of that entry}, for a tuple or list {index: mistakes of that item}.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if actual is None and expected is not None:
        _fail(f"{name} is None.", ["is there a missing `return` statement?"])
    mistakes = mistakes or {}
    if isinstance(expected, dict):
        check_keys(actual, list(expected), name)
        for key, value in expected.items():
            check_output(actual[key], value, f'{name}["{key}"]', rtol, atol, mistakes.get(key),
                         keepdims_hint)
        return
    if isinstance(expected, tuple | list):
        check_type(actual, (tuple, list), name)
        if len(actual) != len(expected):
            _fail(
                f"{name} should have {len(expected)} items but has {len(actual)}.",
                ["return all the values listed in the docstring, in that order."],
            )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            check_output(a, e, f"{name}[{i}]", rtol, atol, mistakes.get(i), keepdims_hint)
        return
    if isinstance(expected, np.ndarray):
        check_shape(actual, expected.shape, name, keepdims_hint)
        if expected.dtype.kind == "f" and actual.dtype.kind not in "f":
            _fail(
                f"{name} should hold floats but has dtype {actual.dtype}.",
                ["a comparison such as A > 0.5 gives booleans: convert with .astype(float)."
                 if actual.dtype.kind == "b" else
                 "integer results often come from // or astype(int), or from an output made "
                 "with np.empty_like / np.zeros_like of an integer input; keep floats."],
            )
        check_close(actual, expected, name, rtol, atol, mistakes, keepdims_hint)
        return
    if isinstance(expected, bool | np.bool_):
        if actual is not expected and actual != expected:
            _fail(f"{name} should be {expected}, got {_fmt(actual)}.")
        return
    if isinstance(expected, numbers.Real):
        check_type(actual, float, name)
        check_close(actual, expected, name, rtol, atol, mistakes)
        return
    if actual != expected:
        _fail(f"{name} should be {expected!r}, got {actual!r}.")


# --------------------------------------------------------------------------------------------
# Calling a student's function
# --------------------------------------------------------------------------------------------


def _arg_summary(args, kwargs):
    def one(v):
        if isinstance(v, np.ndarray):
            return f"array{v.shape}"
        if isinstance(v, dict):
            keys = [str(k) for k in v]
            return "{" + ", ".join(keys[:3] + (["..."] if len(keys) > 3 else [])) + "}"
        if isinstance(v, float):
            return f"{v:.6g}"
        return repr(v) if len(repr(v)) < 30 else type(v).__name__

    parts = [one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _same(before, after):
    """True when two argument values are equal (arrays elementwise, dicts and lists deeply)."""
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and np.array_equal(before, after, equal_nan=True)
        )
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and before.keys() == after.keys()
            and all(_same(before[k], after[k]) for k in before)
        )
    if isinstance(before, list | tuple):
        return len(before) == len(after) and all(
            _same(b, a) for b, a in zip(before, after, strict=True)
        )
    try:
        return bool(before == after)
    except (TypeError, ValueError):
        return True


_ERROR_HINTS = [
    ("only length-1 arrays", "math functions work on single numbers only: use np.exp, np.log, "
                             "... on arrays."),
    ("only 0-dimensional arrays", "math functions work on single numbers only: use np.exp, "
                                  "np.log, ... on arrays."),
    ("could not be broadcast", "the shapes do not fit together: a sum without keepdims=True, "
                               "or a missing transpose?"),
    ("Cannot cast ufunc", "an in-place operation such as x /= 255 cannot store floats in an "
                          "integer array (and would change the caller's array): write "
                          "x = x / 255."),
    ("cannot reshape", "compute the new shape from the input (its .shape, .size, or -1) "
                       "instead of writing fixed numbers: it must work for any size."),
    ("shapes", "check the shapes of the operands of np.dot / @: (a, b) @ (b, c) -> (a, c)."),
    ("list index out of range", "a list is shorter than the code expects: check the range "
                                "of the loop and the indices (the first layer is 1, the "
                                "first cache caches[0])."),
    ("unpack", "the function returned another number of values than the code expects: "
               "compare the `return` line with the docstring."),
    ("not subscriptable", "a value is not the container the code expects: check the order of "
                          "the values in your `return` lines against the docstrings."),
    ("not defined", "a name is not defined: check its spelling (the function must assign the "
                    "variable it returns), or run the cells above first."),
]


def call(fn, *args, name=None, error_hints=None, **kwargs):
    """Call a student's function on copies of the arguments and return its result.

    ``error_hints`` ({text: hint}) adds a hint of the test's own to an error whose
    "Type: message" contains the text, before the general hints.

    Turns an exception into a ``CheckFailure`` that says which call failed and why, and fails
    when the function changed one of its inputs in place. The caller's arguments are never
    touched: the function works on deep copies, which are compared with the originals after.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    name = name or getattr(fn, "__name__", "the function")
    label = f"{name}({_arg_summary(args, kwargs)})"
    saved_args, saved_kwargs = args, kwargs
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise CheckFailure(
            f"{name} is not written yet: replace `raise NotImplementedError()` with your code."
        ) from None
    except AssertionError:
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        hints = [h for key, h in [*(error_hints or {}).items(), *_ERROR_HINTS] if key in error]
        _fail(f"{label} raised {type(exc).__name__}: {exc}", hints[:1])
    changed = [(f"number {i + 1}", b, a)
               for i, (b, a) in enumerate(zip(saved_args, args, strict=True)) if not _same(b, a)]
    changed += [(k, saved_kwargs[k], kwargs[k]) for k in kwargs
                if not _same(saved_kwargs[k], kwargs[k])]
    for which, before, after in changed[:1]:
        if isinstance(before, dict) and isinstance(after, dict):
            keys = [k for k in before if k not in after or not _same(before[k], after[k])]
            keys += [k for k in after if k not in before]
            _fail(
                f"{label} changed its argument {which} in place (the dict's entries {keys}).",
                ['writing d["W1"] = ... or d["W1"] -= ... inside the function changes the '
                 "caller's dict and arrays: build a new dict (or work on copy.deepcopy(d))."],
            )
        _fail(
            f"{label} changed its argument {which} in place.",
            ["operations like x /= ..., x -= ..., x[...] = ..., x.shape = ... modify the "
             "caller's array; write x = x / ... or x.reshape(...) (or work on x.copy())."],
        )
    return result


def check_function(fn, args, expected, name=None, rtol=RTOL, atol=ATOL, mistakes=None,
                   kwargs=None, keepdims_hint=True):
    """Call ``fn(*args, **kwargs)`` (see ``call``) and compare the result with ``expected``.

    Returns the result so that a test cell can print it.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    name = name or getattr(fn, "__name__", "the function")
    result = call(fn, *args, name=name, **(kwargs or {}))
    label = f"{name}({_arg_summary(args, kwargs or {})})"
    check_output(result, expected, label, rtol=rtol, atol=atol, mistakes=mistakes,
                 keepdims_hint=keepdims_hint)
    return result


# --------------------------------------------------------------------------------------------
# Return structures
# --------------------------------------------------------------------------------------------


def _matches(value, expected_type) -> bool:
    if expected_type is None:
        return True
    if expected_type is float:
        return _is_number(value)
    return isinstance(value, expected_type)


def _type_name(expected_type) -> str:
    if expected_type is None:
        return "anything"
    if isinstance(expected_type, tuple):
        return " or ".join(t.__name__ for t in expected_type)
    return "ndarray" if expected_type is np.ndarray else expected_type.__name__


def check_returns(result, name, **items):
    """Check that a function returned the tuple described by ``items`` and give it back.

    ``items`` names the returned values in order with their types (None for any type), e.g.
    ``grads, cost = check_returns(result, "propagate", grads=dict, cost=float)``. A single value
    instead of a tuple, the wrong number of values, or the right values in another order each
    get a message that shows the expected ``return ...`` line.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    names, types = list(items), list(items.values())
    structure = ", ".join(names)
    hint = f"the function should end with `return {structure}`."
    if result is None:
        _fail(f"{name} returned None; it should return a tuple ({structure}).",
              ["is there a missing `return` statement? " + hint])
    if not isinstance(result, tuple | list):
        _fail(f"{name} returned {_a(_describe(result))}, not a tuple ({structure}).", [hint])
    if len(result) != len(names):
        _fail(f"{name} returned {len(result)} values; it should return {len(names)}: "
              f"({structure}).", [hint])
    wrong = [i for i, (v, t) in enumerate(zip(result, types, strict=True)) if not _matches(v, t)]
    if not wrong:
        return tuple(result)
    for order in itertools.permutations(range(len(names))):
        if all(_matches(result[j], types[i]) for i, j in enumerate(order)):
            _fail(f"{name} returned its values in the wrong order: expected ({structure}).",
                  [hint])
    i = wrong[0]
    _fail(f"{name} returned {_a(_describe(result[i]))} as {names[i]} (value number {i + 1}); "
          f"it should be {_a(_type_name(types[i]))}.", [hint])


def _same_value(actual, expected, rtol, atol) -> bool:
    try:
        check_output(actual, expected, "item", rtol=rtol, atol=atol)
    except CheckFailure:
        return False
    return True


def check_cache(cache, expected, name, layout, rtol=1e-6, atol=1e-9, mistakes=None):
    """Check that ``cache`` is a tuple holding the items of ``expected`` in that order.

    Arguments:
    cache -- what the student's function returned as its cache
    expected -- the expected cache, a tuple (items: arrays or nested tuples)
    name -- how the cache is called in messages, e.g. "cache"
    layout -- the expected tuple written with the course's names, e.g. "(A, W, b)"
    rtol, atol -- tolerance of the comparison of arrays, |a - e| <= atol + rtol * |e|
    mistakes -- as for check_output on a tuple: {index: {"what the student did": value}}
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    check_type(cache, tuple, name)
    if len(cache) != len(expected):
        raise CheckFailure(
            f"{name} should be the tuple {layout} of {len(expected)} items, but it has "
            f"{len(cache)}.\nHint: build it as {layout}, with exactly these items."
        )
    if not _same_value(cache, expected, rtol, atol):
        for order in itertools.permutations(range(len(expected))):
            if all(_same_value(cache[j], expected[i], rtol, atol) for i, j in enumerate(order)):
                raise CheckFailure(
                    f"{name} holds the right items in the wrong order: it should be "
                    f"{layout}.\nHint: the backward pass unpacks the cache in this order."
                )
    check_output(cache, expected, name, rtol=rtol, atol=atol, mistakes=mistakes)


# --------------------------------------------------------------------------------------------
# A test cell
# --------------------------------------------------------------------------------------------

# Which graded functions have passed their tests in this kernel: name -> True / False.
STATUS: dict[str, bool] = {}

def _unmet(uses) -> list[str]:
    return [name for name in uses if not STATUS.get(name, False)]


def _first_fix(unmet, what) -> str:
    """'First fix f: this test calls it, ...' for the graded functions ``unmet``."""
    which = ", ".join(unmet)
    if len(unmet) == 1:
        return f"First fix {which}: {what} it, and its own test has not passed yet."
    return f"First fix {which}: {what} them, and their tests have not passed yet."


def require_passed(*names):
    """Stop a cell that runs graded functions whose tests have not passed in this kernel.

    Put at the top of an ordinary cell (training, plots) that uses the student's functions: with
    a wrong function it says which one to fix, in one line, instead of a long traceback from deep
    inside correct code, a training run that takes minutes, or NameErrors in the cells after.
    """
    __tracebackhide__ = True  # IPython shows the cell, not this frame
    unmet = _unmet(names)
    if unmet:
        failed = [name for name, passed in STATUS.items() if not passed]
        where = (f"The first failing test above is the one of {failed[0]}: start there. "
                 if failed and failed[0] not in unmet else "")
        raise CheckFailure(_first_fix(unmet, "this cell uses") + "\n"
                           f"({where}Run the tests again once fixed, then this cell.)")


def failure_message(name, error) -> str:
    """The message of a test of ``name`` that stopped with ``error``."""
    if isinstance(error, AssertionError):
        return str(error) or f"a check of {name} failed."
    message = f"testing {name} raised {type(error).__name__}: {error}"
    hints = [h for key, h in _ERROR_HINTS if key in str(error)]
    if hints:
        message += "\nHint: " + hints[0]
    return message


@contextlib.contextmanager
def tests_for(name, uses=()):
    """The tests of one graded function: one short message on failure, a line on success.

    Arguments:
    name -- the graded function under test, e.g. "propagate"
    uses -- the other graded functions it calls, e.g. ("sigmoid",): when one of them has not
            passed its own tests in this kernel and this test fails, the message says so first

    Any error inside the block becomes a ``CheckFailure``; the outcome is recorded in STATUS.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    STATUS[name] = False
    try:
        yield
    except Exception as error:  # noqa: BLE001 (every error becomes one message)
        message = failure_message(name, error)
        unmet = _unmet(uses)
        if unmet:
            message = f"{_first_fix(unmet, 'this test calls')}\n{message}"
        raise CheckFailure(message) from None
    STATUS[name] = True
    print("All public tests passed.")


tests_for.__test__ = False  # not a test function for pytest, which collects names "test*"
