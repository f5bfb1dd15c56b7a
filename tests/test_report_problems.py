"""The problems `nndl grade` reports for an autograded notebook: what needs the instructor's
action, each cell named by its grade id or its heading (never a number), messages cut between
words, a blank or nearly blank submission flagged, and the "First fix ..." guard cells left out
(they are the knock-on of a failed test)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.engine.cell_errors import KERNEL_DIED, NOT_RUN, TIME_LIMIT, cell_name, error_output
from autograder.grade.report import cell_problems

STUB = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def answer(source: str, grade_id: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                 "grade_id": grade_id}
    return cell


def graded_cell(grade_id: str, *outputs):
    cell = new_code_cell(f"with tests_for('{grade_id}'): pass")
    cell.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True,
                                 "grade_id": grade_id, "points": 1}
    cell.outputs = list(outputs)
    return cell


def plain(source: str, *outputs):
    cell = new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


def error(ename: str, evalue: str):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


def problems(tmp_path, cells) -> list[str]:
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return cell_problems(path, "nb")


def test_cells_are_named_by_grade_id_or_by_the_heading_above_them():
    cells = [plain("import numpy"), new_markdown_cell("Intro\n## 2.1 Training the model\ntext"),
             plain("a = 1"), new_markdown_cell("no heading here"), plain("b = 2"),
             graded_cell("test_f")]
    assert cell_name(cells, 0) == "code cell 1 of the notebook"
    assert cell_name(cells, 2) == 'code cell 1 under "2.1 Training the model"'
    assert cell_name(cells, 4) == 'code cell 2 under "2.1 Training the model"'
    assert cell_name(cells, 5) == "test_f"


def test_a_limit_or_an_error_outside_the_tests_is_named_and_cut_between_words(tmp_path):
    long = "name 'learning_rate' is not defined " + "because of a long explanation " * 8
    found = problems(tmp_path, [
        answer("def f(x):\n    return x", "f"),
        graded_cell("test_f", error_output(TIME_LIMIT, "stopped")),
        new_markdown_cell("# Training"),
        plain("train()", error("NameError", long)),
        plain("plot()", error_output(KERNEL_DIED, "died")),
        plain("more()", error_output(NOT_RUN, "not run: the kernel stopped earlier")),
    ])
    assert found[0] == "nb test_f: time limit reached"
    name_error = found[1]
    assert name_error.startswith('nb code cell 1 under "Training" (not a test cell): NameError: '
                                 "name 'learning_rate' is not defined")
    assert name_error.endswith(" ...") and len(name_error) < 200
    assert name_error.removesuffix(" ...").endswith("explanation")  # a whole word
    assert found[2] == 'nb code cell 2 under "Training": the kernel died (exit, crash or memory)'
    assert found[3] == ('nb: 1 cells from code cell 3 under "Training" not run: the kernel '
                        "stopped earlier")
    assert not any("cell 0" in p or "cell 4" in p for p in found)


def test_a_guard_cell_that_says_first_fix_is_not_a_problem(tmp_path):
    guard = error("CheckFailure", "First fix f: this cell uses it, and its own test has not "
                  "passed yet.\n(Run the tests again once fixed, then this cell.)")
    found = problems(tmp_path, [answer("def f(x):\n    return -x", "f"),
                                graded_cell("test_f", error("CheckFailure", "f is wrong")),
                                plain("train()", guard),
                                plain("other()", error("ValueError", "bad value"))])
    assert found == ["nb code cell 4 of the notebook (not a test cell): ValueError: bad value"]


def test_blank_and_nearly_blank_submissions_are_flagged(tmp_path):
    def with_answers(written: int, stubs: int) -> list[str]:
        cells = [answer("def f(x):\n    return x", f"f{i}") for i in range(written)]
        cells += [answer(STUB, f"g{i}") for i in range(stubs)]
        return problems(tmp_path, cells)

    assert with_answers(0, 8) == ["nb: blank (none of its 8 answer cells written)"]
    assert with_answers(1, 7) == ["nb: nearly blank (1 of 8 answer cells written)"]
    assert with_answers(4, 4) == []
    assert with_answers(1, 1) == []  # too few answers to call it nearly blank
