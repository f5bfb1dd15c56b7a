"""Run a graded notebook's test cells against other answers than the reference, in-process.

A *case* replaces one solution cell of a source notebook by other code (a catalogued student
mistake, or an alternative correct answer), runs the notebook's code cells that come before it
(with the reference solutions), then that code, then the test cell that grades it.
"""

from __future__ import annotations

import contextlib
import copy
import io
import linecache
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from autograder.hidden.reference import is_solution_cell, is_test_cell, nbgrader_meta, read_notebook
from utils import checks

HIDDEN_MARK = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


@dataclass(frozen=True)
class Mistake:
    """A wrong answer; the public tests must fail with a message containing ``hint``."""

    label: str
    hint: str
    code: str


@dataclass(frozen=True)
class Alternative:
    """A correct answer written differently; every test, public and hidden, must pass."""

    label: str
    code: str


def _runnable(source: str) -> str:
    """Drop IPython magics and shell escapes, which plain exec cannot run."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )


def _exec(source: str, namespace: dict, label: str) -> str:
    code = _runnable(source)
    # As IPython does for its cells: the source stays readable by linecache, so that messages
    # can quote the student's failing line.
    linecache.cache[label] = (len(code), None, code.splitlines(True), label)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, label, "exec"), namespace)
    return out.getvalue()


def solution_ids(notebook: str) -> list[str]:
    return [nbgrader_meta(c)["grade_id"] for c in read_notebook(notebook).cells
            if is_solution_cell(c)]


def cells_for(notebook: str, solution_id: str):
    """(code cells before the solution cell, code cells between it and its test cell, test cell)."""
    cells = read_notebook(notebook).cells
    index = next((i for i, c in enumerate(cells)
                  if is_solution_cell(c) and nbgrader_meta(c)["grade_id"] == solution_id), None)
    if index is None:
        raise KeyError(f"{notebook} has no solution cell {solution_id!r}")
    test = next((j for j in range(index + 1, len(cells)) if is_test_cell(cells[j])), None)
    if test is None:
        raise KeyError(f"{notebook}: no test cell follows solution cell {solution_id!r}")
    before = [c for c in cells[:index] if c.cell_type == "code"]
    between = [c for c in cells[index + 1:test] if c.cell_type == "code"]
    return before, between, cells[test]


@lru_cache(maxsize=64)
def _base_namespace(notebook: str, solution_id: str) -> dict:
    before, _, _ = cells_for(notebook, solution_id)
    namespace: dict = {"__name__": "__main__"}
    checks.STATUS.clear()
    for i, cell in enumerate(before):
        _exec(cell.source, namespace, f"<{notebook} code cell {i}>")
    namespace["__test_status__"] = dict(checks.STATUS)
    return namespace


def _fresh(namespace: dict) -> dict:
    """A copy of a namespace whose arrays, dicts and lists can be changed safely."""
    return {
        k: copy.deepcopy(v) if isinstance(v, np.ndarray | dict | list) and k != "__builtins__"
        else v
        for k, v in namespace.items()
    }


def public_part(test_source: str) -> str:
    """The test cell as students get it: nbgrader drops the lines between the hidden marks."""
    kept, hiding = [], False
    for line in test_source.splitlines():
        if HIDDEN_MARK in line:
            hiding = True
        elif HIDDEN_END in line:
            hiding = False
        elif not hiding:
            kept.append(line)
    return "\n".join(kept)


def hidden_part(test_source: str) -> str:
    """Only the hidden tests of a test cell, dedented: what grading adds to the public tests."""
    if HIDDEN_MARK not in test_source:
        return ""
    block = test_source.split(HIDDEN_MARK, 1)[1].split(HIDDEN_END, 1)[0]
    return textwrap.dedent(block)


def run_case(notebook: str, solution_id: str, code: str, hidden: bool | str) -> str:
    """Run ``code`` in place of a solution cell, then its test cell; returns what it printed.

    ``hidden=False`` runs only the public part of the test cell (what a student sees),
    ``hidden=True`` the whole cell (what grading runs), ``hidden="only"`` the hidden tests alone.
    Exceptions from the test cell propagate.
    """
    _, between, test = cells_for(notebook, solution_id)
    base = _base_namespace(notebook, solution_id)
    namespace = _fresh(base)
    checks.STATUS.clear()
    checks.STATUS.update(base["__test_status__"])
    printed = _exec(code, namespace, f"<answer for {solution_id}>")
    for cell in between:
        printed += _exec(cell.source, namespace, f"<{notebook} cell after {solution_id}>")
    if hidden == "only":
        source = hidden_part(test.source)
    else:
        source = test.source if hidden else public_part(test.source)
    try:
        printed += _exec(source, namespace, f"<{notebook} {nbgrader_meta(test)['grade_id']}>")
    finally:
        plt.close("all")
    return printed


def reference_code(notebook: str, solution_id: str) -> str:
    for cell in read_notebook(notebook).cells:
        if is_solution_cell(cell) and nbgrader_meta(cell)["grade_id"] == solution_id:
            return cell.source
    raise KeyError(solution_id)


def release_code(source: str) -> str:
    """What nbgrader leaves of a solution cell in the student's version."""
    return re.sub(
        r"( *)### BEGIN SOLUTION.*?### END SOLUTION",
        lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()",
        source,
        flags=re.S,
    )
