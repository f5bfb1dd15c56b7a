"""Grader side: what ``LimitedExecute`` calls for a notebook's test cells: ``prepare`` before the
kernel runs one (the visible tests, then the planned calls), ``verdict`` after (the judge's
message, as an error output, when the hidden tests fail).
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

import nbformat

from autograder.hidden import reference as ref
from autograder.hidden.cells import BEGIN, hidden_tests
from autograder.hidden.judge import HIDDEN_FAILURE, judge, records
from autograder.hidden.plan import plan
from utils.checks import render_message

# A test cell's metadata key where the grader (never the kernel) says what the judge found:
# {"judge": "passed"}, {"judge": "failed", "message": ...} or {"judge": "not judged: ..."}.
# LimitedExecute removes the key from every cell of a submission before it runs, so only the
# grader's own verdicts are there afterwards (the class report trusts them).
JUDGE_KEY = "nndl"


class HiddenTests:
    """The hidden tests of one notebook being graded, judged against its source notebook."""

    def __init__(self, source_notebook: Path | None):
        self.source_notebook = source_notebook
        self.tests = hidden_tests(source_notebook) if source_notebook else {}

    @classmethod
    def find(cls, nb, candidates: list[Path]) -> HiddenTests:
        """The first of ``candidates`` (source notebooks) that exists; an error when none does
        and the notebook has hidden blocks (they cannot be judged without it)."""
        for path in candidates:
            if path.is_file():
                return cls(path)
        if any(BEGIN in cell.source for cell in nb.cells if cell.cell_type == "code"):
            raise RuntimeError(
                f"cannot grade the hidden tests of {candidates[0].name}: its source notebook is "
                f"not in {' or '.join(str(p.parent) for p in candidates)}: hidden tests are "
                "judged by the grader, from the source notebook (set NNDL_SOURCE_DIR to the "
                "course's source/ folder)")
        return cls(None)

    def _test(self, cell):
        if not ref.is_test_cell(cell):
            return None
        return self.tests.get(ref.nbgrader_meta(cell).get("grade_id"))

    def uses(self, cell) -> tuple[str, ...]:
        """The graded functions that a test cell's function uses, as its source declares them
        (``tests_for(name, uses=...)``); () for another cell."""
        test = self._test(cell)
        return test.uses if test is not None else ()

    def prepare(self, cell) -> str | None:
        """What the kernel runs instead of a test cell with a hidden block (None: the cell as
        it is): its visible tests, then the calls of the student's functions that the hidden
        block makes."""
        test = self._test(cell)
        if test is None:
            return None
        with quiet(test.grade_id):
            _, payload = plan(self.source_notebook, test.grade_id)
        return test.kernel_source(payload)

    def verdict(self, cell) -> None:
        """After the kernel ran ``prepare``'s code: take its results out of the cell's outputs
        and, unless the cell already failed, judge them; a failure becomes an error output."""
        test = self._test(cell)
        if test is None:
            return
        if any(output.get("output_type") == "error" for output in cell.outputs):
            records(cell)  # already failed: only take the raw results out
            cell.metadata[JUDGE_KEY] = {"judge": "not judged: the visible tests failed"}
            return
        with quiet(test.grade_id):
            message = judge(cell, self.source_notebook, test)
        if message:
            cell.outputs.append(failure_output(message))
        cell.metadata[JUDGE_KEY] = {"judge": "failed", "message": message} if message else {
            "judge": "passed"}


@contextlib.contextmanager
def quiet(grade_id: str):
    """What the reference prints while the grader plans and judges hidden tests (training
    progress bars, "Accuracy: ..." lines) goes to the log at debug level, not the grader's
    terminal."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            yield
    finally:
        if out.getvalue().strip():
            logging.getLogger(__name__).debug("hidden tests of %s printed:\n%s", grade_id,
                                              out.getvalue())


def failure_output(message: str):
    """The error output that marks a test cell as failed, shown like the visible tests' own."""
    return nbformat.v4.new_output("error", ename=HIDDEN_FAILURE, evalue=message,
                                  traceback=render_message(message))
