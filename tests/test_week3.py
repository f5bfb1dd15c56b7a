"""Week 3: a mistake in one graded function is blamed on that function in the later tests.

A student runs the cells of planar_classification.ipynb in order with one wrong answer; the test
cells they see (public parts) must name the function to fix, not the place the error surfaces.
"""

import pytest
from catalogue import week3
from support.notebook_harness import _exec, public_part  # also selects matplotlib's Agg backend

from autograder.hidden.reference import is_solution_cell, is_test_cell, nbgrader_meta, read_notebook
from utils import checks


def run_in_order(answers: dict[str, str], until: str) -> dict[str, str]:
    """Run the notebook's code cells up to the test cell ``until`` with the given answers
    (grade_id -> code) and return the failure message of each test cell ('' when it passed)."""
    checks.STATUS.clear()
    namespace: dict = {"__name__": "__main__"}
    messages = {}
    for cell in read_notebook(week3.NOTEBOOK).cells:
        if cell.cell_type != "code":
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        source = cell.source
        if is_solution_cell(cell) and grade_id in answers:
            source = answers[grade_id]
        if is_test_cell(cell):
            try:
                _exec(public_part(source), namespace, grade_id)
                messages[grade_id] = ""
            except AssertionError as error:
                messages[grade_id] = str(error)
        else:
            _exec(source, namespace, grade_id or "cell")
        if grade_id == until:
            return messages
    raise KeyError(until)


def _mistake(function, label):
    return next(m.code for m in week3.MISTAKES[function] if m.label == label)


@pytest.mark.parametrize("label", ["db1 without keepdims (db2 right)", "db without keepdims"])
def test_nn_model_blames_a_backward_propagation_without_keepdims(label):
    code = _mistake("backward_propagation", label)
    messages = run_in_order({"backward_propagation": code}, until="test_nn_model")
    assert "keepdims=True" in messages["test_backward_propagation"]
    assert "shape" in messages["test_backward_propagation"].splitlines()[0]
    assert messages["test_update_parameters"] == ""
    assert messages["test_nn_model"].startswith("First fix backward_propagation:"), (
        messages["test_nn_model"])


def test_backward_propagation_blames_a_wrong_compute_cost():
    code = _mistake("compute_cost", "no minus sign")
    messages = run_in_order({"compute_cost": code}, until="test_backward_propagation")
    assert messages["test_compute_cost"]
    assert messages["test_backward_propagation"].startswith("First fix compute_cost:")
