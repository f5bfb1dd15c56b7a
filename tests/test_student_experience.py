"""A student runs a release notebook in a real kernel and reads the messages of the test cells."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_harness import reference_code, release_code
from test_catalogue import WEEKS

from autograder.reference import is_solution_cell, is_test_cell, nbgrader_meta

REPO = Path(__file__).resolve().parents[1]


def run_release(notebook: str, answers: dict[str, str]):
    """Execute release/<notebook> with the reference answer in every solution cell, except the
    ones given in ``answers`` (grade_id -> code); returns the executed notebook."""
    path = REPO / "release" / notebook
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if is_solution_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            cell.source = answers.get(grade_id, reference_code(notebook, grade_id))
    NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3",
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
def test_student_with_a_blank_notebook_is_told_what_to_write():
    notebook = WEEKS[0].NOTEBOOK
    first = next(iter(WEEKS[0].MISTAKES))
    stub = release_code(reference_code(notebook, first))
    nb = run_release(notebook, {first: stub})
    assert "not written yet" in errors_by_test_cell(nb)[f"test_{first}"]
