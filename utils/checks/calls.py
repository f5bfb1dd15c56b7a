"""Calling a student's function: on copies of its arguments, with a short message on error.

``call`` turns an exception into one message with a hint (``ERROR_HINTS``) and fails when the
function changed an input in place; ``check_function`` also compares the result.
"""

from __future__ import annotations

import copy

import numpy as np

from utils.checks.messages import CheckFailure, fail
from utils.checks.values import ATOL, RTOL, check_output


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


ERROR_HINTS = [
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
        hints = [h for key, h in [*(error_hints or {}).items(), *ERROR_HINTS] if key in error]
        fail(f"{label} raised {type(exc).__name__}: {exc}", hints[:1])
    changed = [(f"number {i + 1}", b, a)
               for i, (b, a) in enumerate(zip(saved_args, args, strict=True)) if not _same(b, a)]
    changed += [(k, saved_kwargs[k], kwargs[k]) for k in kwargs
                if not _same(saved_kwargs[k], kwargs[k])]
    for which, before, after in changed[:1]:
        if isinstance(before, dict) and isinstance(after, dict):
            keys = [k for k in before if k not in after or not _same(before[k], after[k])]
            keys += [k for k in after if k not in before]
            fail(
                f"{label} changed its argument {which} in place (the dict's entries {keys}).",
                ['writing d["W1"] = ... or d["W1"] -= ... inside the function changes the '
                 "caller's dict and arrays: build a new dict (or work on copy.deepcopy(d))."],
            )
        fail(
            f"{label} changed its argument {which} in place.",
            ["operations like x /= ..., x -= ..., x[...] = ..., x.shape = ... modify the "
             "caller's array; write x = x / ... or x.reshape(...) (or work on x.copy())."],
        )
    return result


def check_function(fn, args, expected, name=None, *, kwargs=None, rtol=RTOL, atol=ATOL,
                   mistakes=None, keepdims_hint=True):
    """Call ``fn(*args, **kwargs)`` (see ``call``) and compare the result with ``expected``.

    ``name`` (default: the function's own) names it in messages; the options after ``kwargs``
    are those of ``check_output``. Returns the result so that a test cell can print it.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    name = name or getattr(fn, "__name__", "the function")
    result = call(fn, *args, name=name, **(kwargs or {}))
    label = f"{name}({_arg_summary(args, kwargs or {})})"
    check_output(result, expected, label, rtol=rtol, atol=atol, mistakes=mistakes,
                 keepdims_hint=keepdims_hint)
    return result
