"""A student runs a release notebook in a real kernel and reads the messages of the test cells."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from support.notebook_harness import reference_code, release_code
from test_catalogue import WEEKS

from autograder import course
from autograder.hidden.reference import is_solution_cell, is_test_cell, nbgrader_meta
from utils.checks import WIDTH

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 10


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def with_answers(notebook: str, answers: dict[str, str]):
    """release/<notebook> with the reference answer in every solution cell, except the ones
    given in ``answers`` (grade_id -> code)."""
    nb = nbformat.read(REPO / "release" / notebook, as_version=4)
    for cell in nb.cells:
        if is_solution_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            cell.source = answers.get(grade_id, reference_code(notebook, grade_id))
    return nb


def run_release(notebook: str, answers: dict[str, str], other_cells_timeout: int = 600):
    """Execute the release notebook with ``answers`` (see with_answers) in a real kernel.

    ``other_cells_timeout`` limits (in seconds) the cells that are not test cells: with several
    wrong answers, a training cell can run for many minutes (a weight vector broadcast to a
    matrix, say); it is interrupted, as a student would, and the next cells run.
    """
    nb = with_answers(notebook, answers)
    path = REPO / "release" / notebook

    def timeout(cell):
        return 600 if is_test_cell(cell) else other_cells_timeout

    NotebookClient(nb, timeout_func=timeout, interrupt_on_timeout=True, allow_errors=True,
                   kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def errors_by_test_cell(nb) -> dict[str, str]:
    """grade_id of each test cell -> the text of its error output ('' when it passed)."""
    result = {}
    for cell in nb.cells:
        if is_test_cell(cell):
            errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
            result[nbgrader_meta(cell)["grade_id"]] = "\n".join(errors)
    return result


def rendered_errors(nb) -> dict[str, list[str]]:
    """grade_id of each failing test cell -> the lines JupyterLab shows for its error."""
    result = {}
    for cell in nb.cells:
        if is_test_cell(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    lines = [strip_ansi(t) for t in output.traceback]
                    result[nbgrader_meta(cell)["grade_id"]] = "\n".join(lines).splitlines()
    return result


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS, ids=[w.NOTEBOOK for w in WEEKS])
def test_student_with_a_catalogued_mistake_sees_it_named(week):
    function, mistakes = next(iter(week.MISTAKES.items()))
    mistake = mistakes[0]
    nb = run_release(week.NOTEBOOK, {function: mistake.code})
    outputs = errors_by_test_cell(nb)
    failing = {k: v for k, v in outputs.items() if v}
    assert list(failing) == [f"test_{function}"], failing
    assert mistake.hint.lower() in failing[f"test_{function}"].lower()


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS, ids=[w.NOTEBOOK for w in WEEKS])
def test_every_failure_a_student_sees_is_short_and_starts_with_the_message(week):
    """One catalogued mistake in every graded function at once: every test cell fails, and
    each shows a few lines (no traceback), the first saying what is wrong; a test whose own
    function is right but calls a wrong one names that one first."""
    answers = {function: mistakes[0].code for function, mistakes in week.MISTAKES.items()}
    nb = run_release(week.NOTEBOOK, answers, other_cells_timeout=30)
    rendered = rendered_errors(nb)
    # The ordinary cells that run the student's functions stop with the same kind of message
    # ("First fix ..."), not with a traceback from inside correct code or a NameError.
    others = [(i, o.ename) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              and not is_test_cell(c) for o in c.outputs if o.output_type == "error"]
    assert all(ename == "CheckFailure" for _, ename in others), others
    assert sorted(rendered) == sorted(f"test_{f}" for f in answers), sorted(rendered)
    for grade_id, lines in rendered.items():
        shown = "\n".join(lines)
        assert 1 <= len(lines) <= MAX_LINES, f"{grade_id}:\n{shown}"
        assert all(len(line) <= WIDTH for line in lines), f"{grade_id}:\n{shown}"
        assert not re.search(r"Traceback|File \"|skipping hidden|mistakes=", shown), shown
        assert not lines[0].startswith("Hint"), shown
        function = grade_id.removeprefix("test_")
        if not lines[0].startswith("First fix"):
            hint = week.MISTAKES[function][0].hint.lower()
            assert hint in " ".join(line.strip() for line in lines).lower(), shown


@pytest.mark.slow
def test_student_with_a_blank_notebook_is_told_what_to_write():
    notebook = WEEKS[0].NOTEBOOK
    first = next(iter(WEEKS[0].MISTAKES))
    stub = release_code(reference_code(notebook, first))
    nb = run_release(notebook, {first: stub})
    assert "not written yet" in errors_by_test_cell(nb)[f"test_{first}"]


@pytest.mark.slow
def test_nbgrader_validate_prints_the_whole_hint_on_the_command_line(tmp_path):
    week = WEEKS[1] if len(WEEKS) > 1 else WEEKS[0]
    function, mistakes = next(iter(week.MISTAKES.items()))
    mistake = mistakes[0]
    folder = tmp_path / "student"
    shutil.copytree(REPO / "release" / Path(week.NOTEBOOK).parent, folder)
    path = folder / Path(week.NOTEBOOK).name
    nbformat.write(with_answers(week.NOTEBOOK, {function: mistake.code}), path)
    result = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate", str(path)],
                            capture_output=True, text=True, cwd=folder, timeout=600)
    out = result.stdout
    assert "VALIDATION FAILED" in out, out[-3000:]
    error_block = out.split("The error was:")[1]
    joined = " ".join(error_block.split())
    assert " ".join(mistake.hint.split()).lower() in joined.lower(), error_block
    cut = [line for line in error_block.splitlines() if line.endswith("...")]
    assert not cut, "validate cut these lines:\n" + "\n".join(cut)


@pytest.mark.slow
def test_the_same_wrong_submission_gets_the_same_grade_twice(tmp_path):
    """Hidden tests are seeded: grading a submission again cannot change its score."""
    week = WEEKS[1] if len(WEEKS) > 1 else WEEKS[0]
    answers = {}
    for function, mistakes in week.MISTAKES.items():
        answers[function] = mistakes[-1].code
    assignment, name = Path(week.NOTEBOOK).parent.name, Path(week.NOTEBOOK).stem
    scores = []
    with course.Workspace(REPO) as ws:
        ws.generate(assignment)
        for student in ("first", "second"):
            folder = tmp_path / student
            shutil.copytree(ws.dir / "release" / assignment, folder)
            nbformat.write(with_answers(week.NOTEBOOK, answers), folder / f"{name}.ipynb")
            scores.append(ws.autograde(assignment, student, folder, name))
    assert scores[0] == scores[1]
    assert sum(score for score, _ in scores[0].values()) < sum(m for _, m in scores[0].values())
