"""Why a student's function raised, when the failing line and its values say so.

``explain(exc, own, trusted)`` returns the lines that say where the error happened (see
``context``) and a hint, or None. Each rule below looks at the exception *and* at the
expression that raised (found from the traceback's positions) *and* at the values there; a rule
that cannot see all it needs gives no hint: a wrong hint is worse than none. When the failing
function passed its own test and a function of the student's called it, the hint points to the
caller's arguments instead of advice to change the function that is right.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import math
import re

import numpy as np

from utils.checks.array_causes import (
    broadcast,
    cast,
    float_size,
    matmul,
    reshape,
    shape_arguments,
)
from utils.checks.context import (
    UNKNOWN,
    Cause,
    Spot,
    Where,
    assignment,
    calls_named,
    is_cell,
    source,
    value,
    where,
)
from utils.checks.messages import article, describe


def returned_names(fn) -> list[str]:
    """The names of the values a function returns, in order, from its docstring's "Returns:"
    section (lines "name -- ..."), as the course writes them; [] when there is none."""
    names, inside = [], False
    for line in (getattr(fn, "__doc__", None) or "").splitlines():
        if line.strip() == "Returns:":
            inside = True
        elif inside and (found := re.match(r"\s*(\w+) --", line)):
            names.append(found.group(1))
        elif inside and not line.strip():
            break
    return names


def _from_tuple_of_call(spot: Spot, node) -> str | None:
    """A hint when ``node`` is a name unpacked from a function's tuple: the order may be off."""
    if not isinstance(node, ast.Name):
        return None
    assign = assignment(spot, node.id)
    if (assign is None or not isinstance(assign.targets[0], ast.Tuple)
            or not isinstance(assign.value, ast.Call)):
        return None
    called, targets = source(assign.value.func), [source(e) for e in assign.targets[0].elts]
    order = returned_names(value(assign.value.func, spot.frame))
    if sorted(order) == sorted(targets) and order != targets:
        return (f"{called} returns {', '.join(order)}, in this order (its docstring): write "
                f"{', '.join(order)} = {source(assign.value)} (line {assign.lineno}).")
    return (f"{node.id} comes from `{', '.join(targets)} = {called}(...)` (line "
            f"{assign.lineno}): is that the order in which {called} returns its values?")


def _scalar(exc, w: Where) -> Cause | None:
    text = str(exc)
    if not ("only 0-dimensional arrays" in text or "only length-1 arrays" in text):
        return None
    node, frame = w.inner.node, w.inner.frame
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = value(node.func, frame)
    if getattr(func, "__module__", None) == "math" or (
            isinstance(node.func, ast.Attribute) and value(node.func.value, frame) is math):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        numpy_name = f"np.{name}" if hasattr(np, name) else "the numpy function"
        return Cause(hint=f"math.{name} works on one number at a time: use {numpy_name} on "
                          "arrays.")
    if func not in (float, int, complex):
        return None
    arg, got = source(node.args[0]), value(node.args[0], frame)
    if not isinstance(got, np.ndarray):
        return None
    if got.size == 1:
        return Cause(hint=f"{arg} is an array of shape {tuple(got.shape)} holding one number, and "
                          f"{func.__name__}() takes only 0-dimensional arrays: write "
                          f"{func.__name__}({arg}.item()), or reduce without axis.")
    return Cause(hint=f"{arg} is an array of shape {tuple(got.shape)} ({got.size} numbers), and "
                      f"{func.__name__}() takes one: np.sum or np.mean without axis reduces "
                      "all the entries to one number.")


def _unpack(exc, w: Where) -> Cause | None:
    text = str(exc)
    counts = re.search(r"(not enough|too many) values to unpack \(expected (\d+)(?:, got (\d+))?",
                       text)
    single = re.search(r"cannot unpack non-iterable (\S+) object", text)
    statement = w.inner.statement
    if not (counts or single) or not isinstance(statement, ast.Assign):
        return None
    target, given, frame = statement.targets[0], statement.value, w.inner.frame
    if not isinstance(target, ast.Tuple) or w.inner.node is not target:
        return None  # (the unpacking that failed is another one, deeper down)
    wanted = len(target.elts)
    got = value(given, frame) if isinstance(given, ast.Name) else UNKNOWN
    if counts and counts.group(3):
        n = int(counts.group(3))
    else:
        n = len(got) if isinstance(got, tuple | list | dict) else None
    what = (f"{n} values" if n is not None else article(single.group(1)) if single
            else f"more than {wanted} values" if counts.group(1) == "too many" else "")
    fn, code = w.inner.function, frame.f_code
    parameters = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    if isinstance(given, ast.Name) and given.id in parameters and w.caller and what:
        param, caller = given.id, w.caller.function
        given_as = f"a {param} of {n} values" if n is not None else f"{what} as {param}"
        if w.trusted:
            hint = (f"{fn} was given {given_as}; it unpacks {wanted}: check what {caller} "
                    f"passes as {param} (line {w.caller.line} of {caller}).")
        else:
            hint = (f"{fn} unpacks {wanted} values from {param}, and {caller} passed "
                    f"{what} (its line {w.caller.line}): {fn}'s docstring says which is right.")
        return Cause(hint=hint, about_caller=True)
    if isinstance(given, ast.Call) and isinstance(given.func, ast.Name | ast.Attribute):
        called = source(given.func)
        target_fn = value(given.func, frame)
        if single and single.group(1) == "NoneType":
            if getattr(getattr(target_fn, "__code__", None), "co_filename", None) and is_cell(
                    target_fn.__code__):
                return Cause(hint=f"{called} returned None: does it end with a `return` line?")
            return None
        order = returned_names(target_fn)
        if order and len(order) != wanted:
            return Cause(hint=f"{called} returns {len(order)} values, {', '.join(order)} (its "
                              f"docstring), and this line unpacks {wanted}.")
        if what:
            return Cause(hint=f"{called} returned {what} here and this line unpacks "
                              f"{wanted}: its docstring lists what it returns, in order.")
    return None


def _name(exc, w: Where) -> Cause | None:
    if not isinstance(exc, NameError):
        return None
    spot, fn = w.inner, w.inner.function
    name = getattr(exc, "name", None) or next(iter(re.findall(r"'(\w+)'", str(exc))), None)
    if not name:
        return None
    if not (isinstance(spot.node, ast.Name) and spot.node.id == name):
        return None  # raised elsewhere than on this line's name
    if isinstance(exc, UnboundLocalError):
        return Cause(hint=f"{fn} assigns {name} only after this line, or in a branch that "
                          "did not run.")
    variables = list(spot.frame.f_code.co_varnames)
    known = variables + [k for k in spot.frame.f_globals if not k.startswith("_")]
    close = [k for k in known if k.lower() == name.lower()] or difflib.get_close_matches(
        name, known, n=1, cutoff=0.8)
    if close:
        return Cause(hint=f"{name} is not defined: did you mean {close[0]}?")
    parent = spot.parents.get(spot.node)
    if isinstance(parent, ast.Call) and parent.func is spot.node:
        return Cause(hint=f"{name} is not defined in this kernel: no cell that ran defines or "
                          "imports it. Write it (or import it), or run the cell that does; "
                          "check the spelling.")
    return Cause(hint=f"{fn} never assigns {name} (its variables: {', '.join(variables)}): "
                      "assign it, or check the spelling.")


def _key(exc, w: Where) -> Cause | None:
    node = w.inner.node
    if not isinstance(exc, KeyError) or not isinstance(node, ast.Subscript) or not exc.args:
        return None
    container, key = value(node.value, w.inner.frame), exc.args[0]
    if not isinstance(container, dict) or not isinstance(key, str):
        return None
    name, keys = source(node.value), [str(k) for k in container]
    shown = ", ".join(keys[:8] + (["..."] if len(keys) > 8 else []))
    cause = Cause(facts=[f"  {name} has the keys {shown}"])
    parts = re.fullmatch(r"([A-Za-z_]+)(\d+)", key)
    numbers = [int(m.group(2)) for k in keys if (m := re.fullmatch(r"([A-Za-z_]+)(\d+)", k))
               and parts and m.group(1) == parts.group(1)]
    if parts and numbers:
        number, prefix = int(parts.group(2)), parts.group(1)
        if number < min(numbers):
            cause.hint = (f"{name} starts at {prefix}{min(numbers)}: check where the loop's "
                          "range starts (the layers are numbered from 1).")
        elif number > max(numbers):
            cause.hint = (f"{name} ends at {prefix}{max(numbers)}: check where the loop's "
                          "range stops.")
    elif close := [k for k in keys if k.lower() == key.lower()]:  # not "dw" for "w": the
        # dict may be the wrong one (values unpacked in the wrong order)
        cause.hint = f"did you mean {close[0]!r}?"
    return cause


def _index(exc, w: Where) -> Cause | None:
    node = w.inner.node
    if not (isinstance(exc, IndexError) and "index out of range" in str(exc)
            and isinstance(node, ast.Subscript)):
        return None
    container, index = value(node.value, w.inner.frame), value(node.slice, w.inner.frame)
    if not isinstance(container, list | tuple) or not isinstance(index, int):
        return None
    name, n = source(node.value), len(container)
    last = f"{name}[{n - 1}]" if n else "none"
    cause = Cause(facts=[f"  {name} has {n} items (the last: {last}); the index is {index}"])
    if index == n and n:
        cause.hint = f"indices start at 0: the last of the {n} items is {last}."
    return cause


def _signature(exc, w: Where) -> Cause | None:
    found = re.match(r"(\w+)\(\) (missing \d+ required|takes \d+ positional|got an unexpected"
                     r" keyword|got multiple values)", str(exc))
    node = w.inner.node
    if not found or not isinstance(node, ast.Call):
        return None
    called = value(node.func, w.inner.frame)
    if getattr(called, "__name__", None) != found.group(1):
        return None
    try:
        parameters = str(inspect.signature(called))
    except (TypeError, ValueError):
        return None
    return Cause(hint=f"{found.group(1)} takes {parameters}: compare with the call on this "
                      "line.")


def _types(exc, w: Where) -> Cause | None:
    text, node, frame = str(exc), w.inner.node, w.inner.frame
    if "is not subscriptable" in text and isinstance(node, ast.Subscript):
        operands = [node.value]
    elif ("unsupported operand type" in text or "can't multiply sequence" in text) and isinstance(
            node, ast.BinOp):
        operands = [node.left, node.right]
    elif "has no attribute" in text and isinstance(node, ast.Attribute):
        operands = [node.value]
    else:
        return None
    seen = [(n, value(n, frame)) for n in operands]
    cause = Cause(facts=["  " + ", ".join(f"{source(n)} is {article(describe(v))}"
                                          for n, v in seen if v is not UNKNOWN)])
    if cause.facts == ["  "]:
        return None
    for n, v in seen:
        if not isinstance(v, np.ndarray | dict | list | tuple) and (
                hint := _from_tuple_of_call(w.inner, n)):
            cause.hint = hint
    return cause


def _recursion(exc, w: Where) -> Cause | None:
    node = w.inner.statement
    if not isinstance(exc, RecursionError) or node is None:
        return None
    if not any(isinstance(c.func, ast.Name) and c.func.id == w.inner.function
               for c in calls_named(node, {w.inner.function})):
        return None
    return Cause(hint=f"{w.inner.function} calls itself on this line, again and again: did you "
                      "mean to call another function?")


RULES = [_scalar, _unpack, broadcast, matmul, _name, _key, _index, reshape, float_size,
         cast, _signature, _types, _recursion, shape_arguments]


def explain(exc: BaseException, own=None, trusted=lambda frame: False):
    """(lines saying where ``exc`` was raised in the student's code, a hint or None)."""
    try:
        found = where(exc, own, trusted)
    except Exception:  # noqa: BLE001 (an unreadable traceback: the plain message, no hint)
        return [], None
    if found is None:
        return [], None
    cause = Cause()
    for rule in RULES:
        try:
            result = rule(exc, found)
        except Exception:  # noqa: BLE001 (a rule that cannot read the values gives no hint)
            result = None
        if result is not None:
            cause = result
            break
    hint = cause.hint
    if found.trusted and not cause.about_caller:  # no advice to change a function that passed
        hint = None if found.other is None else (
            f"{found.inner.function} passed its test: first check the arguments that "
            f"{found.other.function} passes on line {found.other.line}.")
    return found.lines() + [f for f in cause.facts if f.strip()], hint

