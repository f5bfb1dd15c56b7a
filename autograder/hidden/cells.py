"""Grader side: the test cells of a source notebook, split around their hidden block, and the
hidden block run in the grader with stand-ins for the student's functions.

The pipeline is told once, in autograder/README.md ("Hidden tests the student's kernel cannot
fool").
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from autograder.hidden import reference as ref

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True)
class TestCell:
    """One test cell of a source notebook, split around its hidden block."""

    grade_id: str
    tested: str  # the function named in `with tests_for("...")`, for messages
    before: str  # the visible tests
    hidden: str  # the hidden block, dedented
    indent: str
    after: str
    uses: tuple[str, ...] = ()  # the graded functions it uses: ``tests_for(name, uses=...)``

    def kernel_source(self, payload: str) -> str:
        """What the kernel runs: the visible tests, then the recorded calls."""
        call = f"__import__('autograder.hidden.kernel').hidden.kernel.run(globals(), {payload!r})"
        return f"{self.before}{self.indent}{call}\n{self.after}"


def tested_function(source: str, grade_id: str) -> str:
    """The graded function a test cell tests: the name in its ``with tests_for("...")``, else
    its grade id without ``test_``."""
    for line in source.splitlines():
        if "tests_for(" in line:
            return line.split("tests_for(", 1)[1].split(",")[0].split(")")[0].strip("\"' ")
    return grade_id.removeprefix("test_")


def declared_uses(source: str) -> tuple[str, ...]:
    """The graded functions a test cell's ``tests_for(name, uses=(...))`` names."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tests_for":
            for keyword in node.keywords:
                if keyword.arg == "uses":
                    try:
                        value = ast.literal_eval(keyword.value)
                    except ValueError:
                        return ()
                    return tuple(v for v in value if isinstance(v, str))
    return ()


def split(source: str, grade_id: str) -> TestCell | None:
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not starts:
        return None
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ValueError(f"test cell {grade_id}: one {BEGIN} ... {END} block expected")
    start, end = starts[0], ends[0]
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    tested = tested_function("".join(lines[:start]), grade_id)
    return TestCell(grade_id, tested, "".join(lines[:start]),
                    textwrap.dedent("".join(lines[start + 1:end])), indent,
                    "".join(lines[end + 1:]), declared_uses(source))


def _grade_id(cell) -> str | None:
    meta = ref.nbgrader_meta(cell)
    return meta.get("grade_id") if ref.is_test_cell(cell) else None


@lru_cache(maxsize=16)
def _hidden_tests(path: str, mtime: float) -> dict[str, TestCell]:
    nb = ref.read_notebook(path)
    tests = {}
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if grade_id:
            test = split(cell.source, grade_id)
            if test is not None:
                tests[grade_id] = test
    return tests


def hidden_tests(source_notebook: Path) -> dict[str, TestCell]:
    """The test cells with hidden blocks of a source notebook, by grade id."""
    return _hidden_tests(str(source_notebook), source_notebook.stat().st_mtime)


@lru_cache(maxsize=16)
def _student_names(path: str, mtime: float) -> tuple[str, ...]:
    """The functions the solution cells define: the ones a student writes."""
    imports: dict = {}
    for code in _imports(path, mtime):
        exec(code, imports)
    solutions = ref.reference_namespace(path, mtime)
    return tuple(name for name, value in solutions.items()
                 if callable(value) and not name.startswith("__")
                 and imports.get(name, None) is not value)


@lru_cache(maxsize=16)
def _imports(path: str, mtime: float) -> tuple:
    """The notebook's import cells, compiled."""
    return tuple(compile(cell.source, "<imports>", "exec")
                 for cell in ref.read_notebook(path).cells if ref.is_import_cell(cell))


def namespace(source_notebook: Path, stand_in) -> dict:
    """Where a hidden block runs in the grader: the notebook's imports, stand-in functions."""
    path = str(source_notebook)
    mtime = source_notebook.stat().st_mtime
    names: dict = {"__name__": "hidden_test"}
    for code in _imports(path, mtime):
        exec(code, names)
    for name in _student_names(path, mtime):
        names[name] = stand_in(name)
    return names


def run_hidden(test: TestCell, names: dict) -> None:
    """Run the hidden block in ``names``; numpy's global random state is left as it was."""
    state = np.random.get_state()
    try:
        exec(compile(test.hidden, f"<hidden tests of {test.grade_id}>", "exec"), names)
    finally:
        np.random.set_state(state)


