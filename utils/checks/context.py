"""Where a student's function raised: the frames of notebook code in a traceback, the failing
line, the expression on it that raised, and the values of the names there.

A frame is the student's when its code was compiled from a notebook cell and is a function
(not the cell's top level, which in a test cell is the test): IPython names cell files
``/tmp/ipykernel_<pid>/<hash>.py`` (ipykernel) or ``<ipython-input-<n>-<hash>>`` (terminal),
and tests/support/notebook_harness.py ``<answer for f>`` or ``<week4/....ipynb code cell 3>``.
The function handed to ``call`` is the student's wherever it was written. Frames of numpy,
of ``utils`` and of the grader are never the student's.

``where(exc, own, trusted)`` gives a ``Where``: the innermost student frame (``inner``) and the
one to look at next (``other``): the function that gave the failing one its arguments when the
failing one passed its test (``trusted``), else the student frame that called it, if any.
"""

from __future__ import annotations

import ast
import functools
import linecache
import re
import types
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from utils.checks.messages import WIDTH

CELL_FILE = re.compile(r"ipykernel_\d+[\\/]\d+\.py$|^<ipython-input-|^<answer for |\.ipynb ")


# The course's own code (utils/, autograder/) is never the student's, even when it is the
# function handed to ``call`` (the grader's stand-ins for the student's functions).
OURS = tuple(str(Path(__file__).resolve().parents[2] / name) for name in ("utils", "autograder"))


def cut(head: str, text: str) -> str:
    """``head`` then ``text``, the text cut with "..." so that the line fits in WIDTH."""
    if len(head) + len(text) <= WIDTH:
        return head + text
    return head + text[:WIDTH - len(head) - 3] + "..."


def is_cell(code) -> bool:
    return bool(CELL_FILE.search(code.co_filename))


def _is_ours(code) -> bool:
    try:
        return str(Path(code.co_filename).resolve()).startswith(OURS)
    except (OSError, ValueError):
        return False


@dataclass
class Spot:
    """One student frame: its function's name, the line (numbered within its cell) and the
    expression that was running when the error passed through (an AST node, or None)."""

    frame: types.FrameType
    line: int
    text: str
    node: ast.AST | None = None
    parents: dict = field(default_factory=dict)

    @property
    def function(self) -> str:
        return self.frame.f_code.co_name

    @property
    def statement(self) -> ast.stmt | None:
        node = self.node
        while node is not None and not isinstance(node, ast.stmt):
            node = self.parents.get(node)
        return node

    def describe(self, lead: str) -> str:
        """'  in f, line 3: x = y' (cut to WIDTH)."""
        return cut(f"  {lead} {self.function}, line {self.line}" + (": " if self.text else ""),
                   self.text)


@dataclass
class Where:
    inner: Spot
    other: Spot | None  # the student frame to look at next (see the module's docstring)
    caller: Spot | None  # the frame right above ``inner`` when it is the student's
    trusted: bool  # ``inner`` is a function whose test passed, unchanged since

    def lines(self) -> list[str]:
        lines = [self.inner.describe("in")]
        if self.other is not None and self.other.frame.f_code is not self.inner.frame.f_code:
            lines.append(self.other.describe("from"))
        return lines


@functools.lru_cache(maxsize=32)
def _parsed(source: str):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None, {}
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    return tree, parents


def _tree(filename: str):
    return _parsed("".join(linecache.getlines(filename)))


def _spot(frame, lineno, positions) -> Spot:
    filename = frame.f_code.co_filename
    text = linecache.getline(filename, lineno).strip()
    tree, parents = _tree(filename) if text else (None, {})
    node = None
    if tree is not None and positions and None not in positions:
        end_line, col, end_col = positions
        matches = [n for n in ast.walk(tree) if isinstance(n, ast.expr | ast.stmt)
                   and (n.lineno, n.col_offset, n.end_lineno, n.end_col_offset)
                   == (lineno, col, end_line, end_col)]
        node = matches[-1] if matches else None  # the deepest: a call rather than its line
    return Spot(frame, lineno, text, node, parents)


def _positions(tb):
    """(end line, column, end column) of the instruction a traceback entry stopped at."""
    if tb.tb_lasti < 0:
        return None
    try:
        found = list(tb.tb_frame.f_code.co_positions())[tb.tb_lasti // 2]
    except (IndexError, ValueError, AttributeError):
        return None
    return found[1:]


def where(exc: BaseException, own=None, trusted=lambda frame: False) -> Where | None:
    """The student's frames of ``exc``'s traceback (see the module's docstring), or None."""
    own_code = getattr(own, "__code__", None)
    chain = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        student = (code is own_code and not _is_ours(code)) or (
            is_cell(code) and code.co_name != "<module>")
        chain.append((tb, student))
        tb = tb.tb_next
    found = [i for i, (_, student) in enumerate(chain) if student]
    if not found:
        return None

    def spot(i):
        tb = chain[i][0]
        return _spot(tb.tb_frame, tb.tb_lineno, _positions(tb))

    inner = spot(found[-1])
    caller = spot(found[-1] - 1) if found[-1] - 1 in found else None
    is_trusted = trusted(inner.frame)
    other = caller
    if is_trusted:
        outer = next((i for i in reversed(found[:-1]) if not trusted(chain[i][0].tb_frame)), None)
        other = None if outer is None else caller if outer == found[-1] - 1 else spot(outer)
    return Where(inner, other, caller, is_trusted)


def cell_line(exc: BaseException) -> str | None:
    """'  in the test cell, line 3: ...' for the innermost top-level cell frame of ``exc``."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_cell(code) and code.co_name == "<module>":
            found = tb
        tb = tb.tb_next
    if found is None:
        return None
    text = linecache.getline(found.tb_frame.f_code.co_filename, found.tb_lineno).strip()
    if not text:
        return None
    return cut(f"  in the test cell, line {found.tb_lineno}: ", text)


@dataclass
class Cause:
    facts: list[str] = field(default_factory=list)  # more lines under the "where" lines
    hint: str | None = None
    about_caller: bool = False  # the hint already says what the calling function passes


def calls_named(node, names) -> list[ast.Call]:
    """The calls in ``node`` of functions or methods named in ``names`` (np.sum, x.sum, sum)."""
    found = []
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            func = n.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                found.append(n)
    return found


def function_node(spot: Spot):
    node = spot.node
    while node is not None and not (isinstance(node, ast.FunctionDef)
                                    and node.name == spot.function):
        node = spot.parents.get(node)
    return node


def assignment(spot: Spot, name: str):
    """The last statement of the failing function, before the failing line, assigning ``name``."""
    function = function_node(spot)
    if function is None:
        return None
    found = None
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and node.lineno < spot.line:
            targets = [t for target in node.targets for t in ast.walk(target)]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                if found is None or node.lineno > found.lineno:
                    found = node
    return found


# --- values of simple expressions on the failing line ----------------------------------------

_UNKNOWN = object()


def value(node, frame):
    """The value of a simple expression (names, x.T, x.shape, d["k"], d[f"W{l}"], a[i], i + 1,
    len(a)) in ``frame``, computed without running the student's code; ``UNKNOWN`` when it is
    not that simple."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return scope[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Attribute) and node.attr in ("T", "shape", "size", "ndim"):
        base = value(node.value, frame)
        return getattr(base, node.attr) if isinstance(base, np.ndarray) else _UNKNOWN
    if isinstance(node, ast.Subscript):
        base, key = value(node.value, frame), value(node.slice, frame)
        if base is _UNKNOWN or key is _UNKNOWN or not isinstance(base, dict | list | tuple):
            return _UNKNOWN
        try:
            return base[key]
        except (KeyError, IndexError, TypeError):
            return _UNKNOWN
    if isinstance(node, ast.JoinedStr):
        parts = [value(v.value if isinstance(v, ast.FormattedValue) else v, frame)
                 for v in node.values]
        if any(p is _UNKNOWN for p in parts):
            return _UNKNOWN
        return "".join(str(p) for p in parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        left, right = value(node.left, frame), value(node.right, frame)
        if isinstance(left, int) and isinstance(right, int):
            return left + right if isinstance(node.op, ast.Add) else left - right
    if (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
            and value(node.func, frame) is len):
        sized = value(node.args[0], frame)
        return len(sized) if isinstance(sized, list | tuple | dict | np.ndarray) else _UNKNOWN
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = value(node.operand, frame)
        return -operand if isinstance(operand, int) else _UNKNOWN
    return _UNKNOWN


UNKNOWN = _UNKNOWN


def source(node) -> str:
    """The expression as written (normalised by ast.unparse), for messages."""
    return ast.unparse(node)
