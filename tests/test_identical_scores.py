"""Grading stops after the last graded cell (LimitedExecute.run_after_last_graded_cell, off by
default) without changing a single score: for every week, the same class (the reference, the
blank release, a catalogued mistake in a function that later graded functions call, so that its
failure knocks on, and a submission whose cells after the last graded one kill the kernel)
graded by `nndl grade` as configured and again with every cell run gives the same score on every
test cell. The adversarial corpus (tests/test_adversarial.py) is graded the default way with the
expected scores it had when every cell ran."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from support import grading_corpus as gc

from autograder.engine import cell_errors
from autograder.hidden.reference import last_graded_cell

pytestmark = pytest.mark.slow

NOTEBOOKS = {"week1": "numpy_basics", "week2": "logistic_regression",
             "week3": "planar_classification", "week4": "deep_neural_network"}
# A function that later graded functions call: its mistake fails their tests too.
CALLED = {"week1": "sigmoid", "week2": "propagate", "week3": "forward_propagation",
          "week4": "linear_forward"}
RUN_ALL = "\nc.LimitedExecute.run_after_last_graded_cell = True\n"


def submissions(week: str) -> dict[str, nbformat.NotebookNode]:
    notebook = NOTEBOOKS[week]
    mistakes = importlib.import_module(f"catalogue.{week}").MISTAKES
    called = CALLED[week]
    class_ = {"reference": gc.finished(week, notebook), "blank": gc.blank(week, notebook),
              f"wrong-{called}": gc.finished(week, notebook, {called: mistakes[called][0].code})}
    finished = gc.finished(week, notebook)
    last = finished.cells[last_graded_cell(finished)].metadata["nbgrader"]["grade_id"]
    class_["exits-after"] = gc.insert_cell(finished, last, "import os\nos._exit(3)")
    return class_


@pytest.mark.parametrize("week", list(NOTEBOOKS))
def test_stopping_after_the_last_graded_cell_changes_no_score(tmp_path, week):
    notebook = NOTEBOOKS[week]
    class_ = submissions(week)
    courses = {}
    for how in ("stop", "all"):
        course = gc.course_copy(tmp_path / how)
        if how == "all":
            config = course / "nbgrader_config.py"
            config.write_text(config.read_text() + RUN_ALL)
        made = gc.nbgrader(course, "generate_assignment", week, "--force")
        assert made.returncode == 0, made.stderr
        for student, nb in class_.items():
            gc.submit(course, student, week, {f"{notebook}.ipynb": nb})
        courses[how] = course
    with ThreadPoolExecutor(2) as pool:
        runs = dict(zip(courses, pool.map(
            lambda course: gc.nndl(course, "grade", week, "--workers", "2", "--quiet",
                                   "--sandbox", "off", nice=10), courses.values()),
            strict=True))
    for how, run in runs.items():
        assert run.returncode == 0, (how, run.stderr[-2000:])
    stop, full = (gc.gradebook_scores(courses[how], week) for how in ("stop", "all"))
    assert set(stop) == set(class_) and stop == full
    total = sum(gc.points(week, notebook).values())
    assert sum(stop["reference"].values()) == total == sum(stop["exits-after"].values())
    assert sum(stop["blank"].values()) == 0
    wrong = stop[f"wrong-{CALLED[week]}"]
    lost = [cell for cell, score in wrong.items() if score < stop["reference"][cell]]
    assert len(lost) >= 2, lost  # its own test and a later function's

    class_report(courses["stop"], week, class_, stop)

    def after_the_end(how: str, student: str) -> list:
        path = courses[how] / "autograded" / student / week / f"{notebook}.ipynb"
        nb = nbformat.read(path, as_version=4)
        return [cell for cell in nb.cells[last_graded_cell(nb) + 1:] if cell.cell_type == "code"]

    # The default run stopped and said so; the full run ran the cells after the end, and the
    # kernel that exited there cost nothing.
    skipped = after_the_end("stop", "reference")
    assert "Grading stopped after the last graded cell" in skipped[0].outputs[0]["text"]
    assert all(cell.execution_count is None for cell in skipped)
    assert all(cell.execution_count for cell in after_the_end("all", "reference"))
    exited = after_the_end("all", "exits-after")
    assert [o.get("ename") for o in exited[0].outputs] == [cell_errors.KERNEL_DIED]


def class_report(course, week: str, class_: dict, scores: dict) -> None:
    """`nndl report` on the graded class: every student in one of full, partial, zero and not
    run per test, each lost test in exactly one row of mistakes.csv, the blank notebook's
    losses "not written" or blamed on an earlier function, and the wrong function's mistake
    blamed for a later test that calls it."""
    import csv

    run = gc.nndl(course, "report", week)
    assert run.returncode == 0, run.stderr
    folder = course / "reports" / week
    tests = {row["test"]: row for row in csv.DictReader(open(folder / "tests.csv"))}
    assert list(tests) == list(gc.points(week, NOTEBOOKS[week]))
    rows = list(csv.DictReader(open(folder / "mistakes.csv")))
    for test, row in tests.items():
        counts = [int(row[k]) for k in ("full", "partial", "zero", "not_run")]
        assert int(row["students"]) == sum(counts) == len(class_), row
        lost = [student for student in class_ if scores[student][test] < float(row["points"])]
        assert int(row["students"]) - int(row["full"]) == len(lost), (test, lost)
        assert sum(int(m["students"]) for m in rows if m["test"] == test) == len(lost), test
        if lost == ["blank"]:
            (label,) = [m["mistake"] for m in rows if m["test"] == test]
            assert label == "not written" or label.startswith("blamed on "), (test, label)
    called = CALLED[week]
    assert any(m["mistake"] == f"blamed on {called}" for m in rows), rows
