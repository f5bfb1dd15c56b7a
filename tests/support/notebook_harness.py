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


def cells_of_tests(notebook: str) -> list:
    """The test cells of a source notebook, in order."""
    return [c for c in read_notebook(notebook).cells if is_test_cell(c)]


def function_tested(test_cell) -> str:
    """The function a test cell tests (its ``tests_for("...")``)."""
    from autograder.hidden.cells import tested_function

    return tested_function(test_cell.source, nbgrader_meta(test_cell)["grade_id"])


@contextlib.contextmanager
def graded_alone(notebook: str, test_cell):
    """While the block runs, in this process, test cells run as when graded with each function
    on its own (LimitedExecute.grade_functions_alone): the functions the test cell's
    ``tests_for(uses=...)`` names answer with the reference's results. Only the transport
    differs from a grading kernel: the kernel side's request goes to the grader side's
    ``ReferenceCalls.answer`` by a call instead of the kernel's stdin channel (arrays as
    buffers, as there). Yields the grader side's ReferenceCalls."""
    import json
    import os
    from pathlib import Path

    from autograder.hidden import kernel
    from autograder.hidden.cells import declared_uses
    from autograder.hidden.reference import source_dir
    from autograder.hidden.references import ReferenceCalls
    from autograder.hidden.wire import Arrays

    calls = ReferenceCalls(Path(source_dir()) / notebook)
    allowed = declared_uses(test_cell.source)

    def ask(text, buffers):
        reply, out = calls.answer(allowed, text, [bytes(b) for b in buffers])
        return json.loads(reply), [bytes(b) for b in out]

    saved = (kernel._ask, kernel._arrays, os.environ.get(kernel.ALONE_VARIABLE))
    kernel._ask, kernel._arrays = ask, Arrays()
    os.environ[kernel.ALONE_VARIABLE] = "1"
    try:
        yield calls
    finally:
        kernel._ask, kernel._arrays = saved[0], saved[1]
        if saved[2] is None:
            os.environ.pop(kernel.ALONE_VARIABLE, None)
        else:
            os.environ[kernel.ALONE_VARIABLE] = saved[2]


def run_test_with(notebook: str, test_cell, replaced: dict[str, str], alone: bool) -> str:
    """Run a test cell on the reference solutions, except the functions of ``replaced``
    (name -> code defining it, e.g. a catalogued mistake), defined again just before the
    tested function's solution; ``alone``: graded with each function on its own. Returns what
    it printed; a failure propagates."""
    function = function_tested(test_cell)
    code = "\n\n".join([*replaced.values(), reference_code(notebook, function)])
    if not alone:
        return run_case(notebook, function, code, hidden=True)
    _base_namespace(notebook, function)  # the cells before, as they run without the setting
    with graded_alone(notebook, test_cell):
        return run_case(notebook, function, code, hidden=True)
