"""Calling a student's function: on copies of its arguments, with a short message on error.

``call`` turns an exception into one message: the call, the error, where in the student's code
it happened and a hint only when that line and its values support one (``causes``); it fails
when the function changed an input in place. ``check_function`` also compares the result.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from utils.checks.causes import explain
from utils.checks.cells import passed_frame
from utils.checks.messages import CheckFailure, fail
from utils.checks.values import ATOL, RTOL, check_output


def _bound(fn, args, kwargs) -> list[tuple[str | None, object]]:
    """(parameter name or None, value) for each argument, in order: the names come from the
    function's signature when the arguments fit it (a stand-in with *args has none)."""
    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return [(None, a) for a in args] + list(kwargs.items())
    pairs = []
    for name, v in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            pairs += [(None, a) for a in v]
        elif kind is inspect.Parameter.VAR_KEYWORD:
            pairs += list(v.items())
        else:
            pairs.append((name, v))
    return pairs


def _describe(v) -> str:
    """An argument in a call label: <array (4, 5)>, {W1, b1, ...}, <tuple of 2>, 0.5, 'relu'."""
    if isinstance(v, np.ndarray):
        return f"<array {tuple(v.shape)}>" if v.ndim else repr(v.item())
    if isinstance(v, dict):
        keys = [str(k) for k in v]
        return "{" + ", ".join(keys[:3] + (["..."] if len(keys) > 3 else [])) + "}"
    if isinstance(v, float):
        return f"{v:.6g}"
    if len(repr(v)) < 30:
        return repr(v)
    if isinstance(v, list | tuple):
        return f"<{type(v).__name__} of {len(v)}>"
    return f"<{type(v).__name__}>"


def _label(name, fn, args, kwargs) -> str:
    """f(X=<array (4, 5)>, ...): each argument named by its parameter where known, and shown by
    description in <...> (Python's own notation for an object it cannot write out), so that
    it does not read as a call such as array(4, 5)."""
    parts = [f"{k}={_describe(v)}" if k else _describe(v) for k, v in _bound(fn, args, kwargs)]
    return f"{name}({', '.join(parts)})"


def same_values(before, after):
    """True when two argument values are equal (arrays elementwise, NaN equal to NaN; dicts,
    lists and tuples deeply). Also what the grader uses to tell which arguments a reference
    call changed (autograder.hidden)."""
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            # the NaN-aware comparison is many times slower: only when the plain one fails
            and (np.array_equal(before, after) or np.array_equal(before, after, equal_nan=True))
        )
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and before.keys() == after.keys()
            and all(same_values(before[k], after[k]) for k in before)
        )
    if isinstance(before, list | tuple):
        return isinstance(after, list | tuple) and len(before) == len(after) and all(
            same_values(b, a) for b, a in zip(before, after, strict=True)
        )
    try:
        return bool(before == after)
    except (TypeError, ValueError):
        return True


def call(fn, *args, name=None, error_hints=None, **kwargs):
    """Call a student's function on copies of the arguments and return its result.

    ``error_hints`` ({text: hint}) gives a hint of the test's own to an error whose
    "Type: message" contains the text, when the failing line gives none (``causes``).

    Turns an exception into a ``CheckFailure`` that says which call failed and why, and fails
    when the function changed one of its inputs in place. The caller's arguments are never
    touched: the function works on deep copies, which are compared with the originals after.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    name = name or getattr(fn, "__name__", "the function")
    label = _label(name, fn, args, kwargs)
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
        lines, hint = explain(exc, own=fn, trusted=passed_frame)
        own = [h for key, h in (error_hints or {}).items() if key in error]
        fail("\n".join([f"{label} raised {type(exc).__name__}: {exc}", *lines]),
             [hint] if hint else own[:1])
    names = [k for k, _ in _bound(fn, saved_args, {})][:len(saved_args)]
    changed = [(names[i] if i < len(names) and names[i] else f"number {i + 1}", b, a)
               for i, (b, a) in enumerate(zip(saved_args, args, strict=True))
               if not same_values(b, a)]
    changed += [(k, saved_kwargs[k], kwargs[k]) for k in kwargs
                if not same_values(saved_kwargs[k], kwargs[k])]
    for which, before, after in changed[:1]:
        if isinstance(before, dict) and isinstance(after, dict):
            keys = [k for k in before if k not in after or not same_values(before[k], after[k])]
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
    label = _label(name, fn, args, kwargs or {})
    check_output(result, expected, label, rtol=rtol, atol=atol, mistakes=mistakes,
                 keepdims_hint=keepdims_hint)
    return result
