"""Causes of errors on array operations: shapes that do not fit (broadcasting, products),
reshapes to fixed sizes, float sizes, in-place casts, shapes passed the wrong way. See
``causes`` for what a rule may say.
"""

from __future__ import annotations

import ast
import re

import numpy as np

from utils.checks.context import Cause, Where, assignment, calls_named, source, value

REDUCTIONS = {"sum", "mean", "max", "min", "amax", "amin", "norm", "average", "prod"}


def _operands(node, frame):
    """The two operands of a binary operation, np.dot(a, b) (np.add, ...) or a.dot(b)."""
    if isinstance(node, ast.BinOp):
        return node.left, node.right
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    if len(node.args) == 2 and value(node.func.value, frame) is np:
        return node.args[0], node.args[1]
    if node.func.attr == "dot" and len(node.args) == 1:
        return node.func.value, node.args[0]
    return None


def _shapes(node, frame, text):
    """[(source, shape), (source, shape)] of the two operands of ``node``: the shapes of the
    values where they are simple names, else the two shapes in the error's text, in order."""
    pair = _operands(node, frame)
    if pair is None:
        return None
    values = [value(n, frame) for n in pair]
    shapes = [tuple(v.shape) if isinstance(v, np.ndarray) else None for v in values]
    if None in shapes:
        found = [tuple(int(d) for d in group.split(",") if d)
                 for group in re.findall(r"\(([\d,]*)\)", text)[:2]]
        if len(found) != 2:
            return None
        shapes = [s or f for s, f in zip(shapes, found, strict=True)]
    return [(n, source(n), s) for n, s in zip(pair, shapes, strict=True)]


def _shape_facts(named) -> list[str]:
    (_, a, sa), (_, b, sb) = named
    a, b = (x if len(x) <= 30 else x[:27] + "..." for x in (a, b))
    return [f"  {a} has shape {sa}, {b} has shape {sb}"]


def _no_keepdims(node) -> list[ast.Call]:
    return [c for c in calls_named(node, REDUCTIONS) if any(k.arg == "axis" for k in c.keywords)
            and not any(k.arg == "keepdims" for k in c.keywords)]


def broadcast(exc, w: Where) -> Cause | None:
    if "could not be broadcast" not in str(exc) or w.inner.node is None:
        return None
    spot = w.inner
    named = _shapes(spot.node, spot.frame, str(exc))
    if named is None:
        return None
    cause = Cause(facts=_shape_facts(named))
    for (node, one, s), (_, other, t) in ((named[0], named[1]), (named[1], named[0])):
        if len(s) == 1 and len(t) == 2 and s[0] == t[0] != t[1]:
            made = assignment(spot, one) if isinstance(node, ast.Name) else None
            if isinstance(node, ast.Attribute) and node.attr == "T" and _no_keepdims(node):
                cause.hint = (f".T leaves a 1-D array as it is: keepdims=True in the reduction "
                              f"keeps its axis, as a column of shape ({s[0]}, 1).")
            elif _no_keepdims(node) or (made is not None and _no_keepdims(made.value)):
                cause.hint = (f"{one} lost the axis it was reduced along: keepdims=True keeps "
                              f"it, as a column of shape ({s[0]}, 1).")
            else:
                cause.hint = (f"{one} has shape {s}; as a column ({s[0]}, 1) it would line "
                              f"up with the rows of {other}.")
            return cause
    (_, a, sa), (_, b, sb) = named
    if _no_keepdims(spot.node):
        cause.hint = ("a sum or mean along an axis drops that axis: keepdims=True keeps it, so "
                      "that the result lines up with the array it came from.")
    elif len(sa) == len(sb) == 2 and sa == sb[::-1] and sa[0] != sa[1]:
        cause.hint = f"{a} is {sa} and {b} is {sb}: is one of them transposed?"
    return cause


def _transpose_hint(node, name, shape) -> str:
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return (f"{source(node.value)} without .T would fit (shape {shape[::-1]}): is that "
                "transpose one too many?")
    return f"{name}.T would fit (shape {shape[::-1]}): is a transpose missing?"


def matmul(exc, w: Where) -> Cause | None:
    text, node = str(exc), w.inner.node
    if not ("not aligned" in text or "matmul: Input operand" in text):
        return None
    is_product = (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("dot", "matmul"))
    named = _shapes(node, w.inner.frame, text) if is_product else None
    if named is None:
        return None
    (na, a, sa), (nb, b, sb) = named
    cause = Cause(facts=_shape_facts(named))
    if len(sa) != 2 or len(sb) != 2:
        return cause
    if sa[0] == sb[0]:
        cause.hint = _transpose_hint(na, a, sa)
    elif sa[1] == sb[1]:
        cause.hint = _transpose_hint(nb, b, sb)
    elif sb[1] == sa[0]:
        cause.hint = f"{b} times {a} would fit: check the order of the operands."
    else:
        cause.hint = (f"the product needs as many columns in {a} ({sa[1]}) as rows in "
                      f"{b} ({sb[0]}).")
    return cause



def reshape(exc, w: Where) -> Cause | None:
    node = w.inner.node
    if "cannot reshape" not in str(exc) or not calls_named(node or ast.Pass(), {"reshape"}):
        return None
    arguments = [a for call in calls_named(node, {"reshape"}) for a in call.args]
    fixed = [n for a in arguments for n in ast.walk(a) if isinstance(n, ast.Constant)
             and isinstance(n.value, int) and n.value > 1
             and not isinstance(w.inner.parents.get(n), ast.Subscript)]
    if not fixed:
        return None
    return Cause(hint="compute the new shape from the input (its .shape, .size, or -1) "
                      "instead of writing fixed numbers: it must work for any size.")


def float_size(exc, w: Where) -> Cause | None:
    statement = w.inner.statement
    if ("'float' object cannot be interpreted as an integer" not in str(exc)
            or statement is None):
        return None
    if not any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)
               for n in ast.walk(w.inner.node or statement)):
        return None
    return Cause(hint="a / b is a float even when b divides a: use a // b for sizes and "
                      "counts.")


def cast(exc, w: Where) -> Cause | None:
    statement = w.inner.statement
    if "Cannot cast ufunc" not in str(exc) or not isinstance(statement, ast.AugAssign):
        return None
    target, operand = source(statement.target), source(statement.value)
    operator = source(ast.BinOp(ast.Name("a"), statement.op, ast.Name("b")))[2:-2]
    return Cause(hint=f"{target} {operator}= {operand} works in place: it cannot store floats "
                      f"in an integer array (and it would change the caller's array): write "
                      f"{target} = {target} {operator} {operand} instead.")



SHAPE_AS_TUPLE = {"zeros", "ones", "empty", "full"}  # np.zeros((n, 1)): one tuple
SHAPE_AS_NUMBERS = {"randn", "rand"}  # np.random.randn(n, 1): the sizes one by one


def shape_arguments(exc, w: Where) -> Cause | None:
    text, node = str(exc), w.inner.node
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    name, args = node.func.attr, [source(a) for a in node.args]
    if name in SHAPE_AS_TUPLE and len(args) >= 2 and (
            "Cannot interpret" in text or "data type" in text or "not understood" in text):
        return Cause(hint=f"{source(node.func)} takes the shape as one tuple: "
                          f"{source(node.func)}(({', '.join(args[:2])})).")
    if (name in SHAPE_AS_NUMBERS and len(node.args) == 1
            and isinstance(node.args[0], ast.Tuple) and "cannot be interpreted" in text):
        sizes = ", ".join(source(e) for e in node.args[0].elts)
        return Cause(hint=f"{source(node.func)} takes the sizes one by one, not as a tuple: "
                          f"{source(node.func)}({sizes}).")
    if ("'tuple' object is not callable" in text and isinstance(node.func, ast.Attribute)
            and node.func.attr == "shape" and len(node.args) == 1):
        return Cause(hint=f"{source(node.func)} is a tuple: index it with square brackets, "
                          f"{source(node.func)}[{args[0]}].")
    return None
