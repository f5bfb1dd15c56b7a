"""Grading stops after the last graded cell (LimitedExecute.run_after_last_graded_cell, off by
default) without changing a single score, and the class report counts a designed class exactly.

For every week, a class built from the catalogue: the reference, the blank release, a catalogued
mistake in a function that later graded functions call (its failure knocks on), a submission
whose cells after the last graded one kill the kernel, the same catalogued mistake in a function
nothing later uses by two students and by a third who makes a second mistake, a finished
notebook with a failed import, and (week 1: it costs a cell's whole time limit) an endless loop
in such a function. Graded by `nndl grade` as
configured; the submissions whose later cells matter graded again with every cell run give the
same score on every test cell; `nndl report` counts each designed mistake exactly (by_design),
and, for week 1, writes the same files after plain `nbgrader autograde` of the same class.
The adversarial corpus (tests/test_adversarial.py) is graded the default way with the expected
scores it had when every cell ran."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from support import grading_corpus as gc
from support.notebook_harness import cells_of_tests, function_tested, run_case

from autograder.engine import cell_errors
from autograder.hidden.cells import declared_uses
from autograder.hidden.reference import (
    is_solution_cell,
    is_test_cell,
    last_graded_cell,
    nbgrader_meta,
    read_notebook,
)

pytestmark = pytest.mark.slow

NOTEBOOKS = {"week1": "numpy_basics", "week2": "logistic_regression",
             "week3": "planar_classification", "week4": "deep_neural_network"}
# A function that later graded functions call: its mistake fails their tests too.
CALLED = {"week1": "sigmoid", "week2": "propagate", "week3": "forward_propagation",
          "week4": "linear_forward"}
RUN_ALL = "\nc.LimitedExecute.run_after_last_graded_cell = True\n"
PLAIN_TOO = "week1"  # the week whose class plain `nbgrader autograde` grades too


LOOP = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"
LOOP_WEEK = "week1"  # the endless loop costs its cell's whole time limit: in one week only
FAILED_IMPORT = "import nndl_no_such_module  # a package the grader does not have"


def leaves(week: str) -> list[str]:
    """Graded functions whose mistakes cost their own test only: no test cell uses them
    (``tests_for(uses=...)``) and no code cell after them, up to the last graded one, names
    them (so no later cell computes data with them)."""
    path = f"{week}/{NOTEBOOKS[week]}.ipynb"
    nb = read_notebook(path)
    cells, end = nb.cells, last_graded_cell(nb) + 1
    used = {name for cell in cells_of_tests(path) for name in declared_uses(cell.source)}
    found = []
    for i, cell in enumerate(cells[:end]):
        if not is_solution_cell(cell):
            continue
        name = nbgrader_meta(cell)["grade_id"]
        later = [c for c in cells[i + 1:end]
                 if c.cell_type == "code" and name in c.source
                 and not (is_test_cell(c) and function_tested(c) == name)]
        if name not in used and not later:
            found.append(name)
    return found


def design(week: str) -> dict:
    """Who makes which mistake: a leaf function's catalogued mistake (two students, and a third
    who also makes a second mistake, in another leaf, or where a week has one leaf, in the
    function that later ones call), an endless loop in a leaf, and the function that later
    graded functions call."""
    found = leaves(week)
    second = found[1] if len(found) > 2 else CALLED[week]
    return {"leaf": found[0], "second": second, "loop": found[-1], "called": CALLED[week]}


def submissions(week: str) -> dict[str, nbformat.NotebookNode]:
    notebook = NOTEBOOKS[week]
    mistakes = importlib.import_module(f"catalogue.{week}").MISTAKES
    plan = design(week)
    leaf, second = mistakes[plan["leaf"]][0].code, mistakes[plan["second"]][0].code
    finished = gc.finished(week, notebook)
    first_answer = next(c.metadata["nbgrader"]["grade_id"] for c in finished.cells
                        if c.metadata.get("nbgrader", {}).get("solution"))
    last = finished.cells[last_graded_cell(finished)].metadata["nbgrader"]["grade_id"]
    return {
        "reference": gc.finished(week, notebook),
        "blank": gc.blank(week, notebook),
        f"wrong-{plan['called']}": gc.finished(
            week, notebook, {plan["called"]: mistakes[plan["called"]][0].code}),
        "exits-after": gc.insert_cell(finished, last, "import os\nos._exit(3)"),
        "leaf-1": gc.finished(week, notebook, {plan["leaf"]: leaf}),
        "leaf-2": gc.finished(week, notebook, {plan["leaf"]: leaf}),
        "two-mistakes": gc.finished(week, notebook, {plan["leaf"]: leaf, plan["second"]: second}),
        "failed-import": gc.insert_cell(gc.finished(week, notebook), first_answer, FAILED_IMPORT),
    } | ({"loops": gc.finished(week, notebook, {plan["loop"]: LOOP.format(name=plan["loop"])})}
         if week == LOOP_WEEK else {})


# The class graded again with every cell run: the submissions whose cells after the last graded
# one matter: one kills the kernel there, and one whose failures knock on (its later cells run
# and stop at once). (The reference's would train for a minute, and its scores are the first's.)
RUN_ALL_CLASS = ("exits-after",)


# Gradings at once (each `nndl grade` on 2 kernels; not niced: a niced class waited for the
# CPU behind every other test, then ran alone at the end of the suite), the longest first.
PARALLEL_RUNS = 4
ORDER = ("week1", "week4", "week3", "week2")


def prepare(root, week: str) -> dict:
    """The week's class in a course as configured ("stop"), the submissions whose later cells
    matter in one that runs every cell ("all"), and for PLAIN_TOO the class again ("plain")."""
    notebook = NOTEBOOKS[week]
    class_ = submissions(week)
    courses = {}
    for how in ("stop", "all") + (("plain",) if week == PLAIN_TOO else ()):
        course = gc.course_copy(root / how)
        if how == "all":
            config = course / "nbgrader_config.py"
            config.write_text(config.read_text() + RUN_ALL)
        made = gc.nbgrader(course, "generate_assignment", week, "--force")
        assert made.returncode == 0, made.stderr
        for student, nb in class_.items():
            if how != "all" or student in RUN_ALL_CLASS or student.startswith("wrong-"):
                gc.submit(course, student, week, {f"{notebook}.ipynb": nb})
        courses[how] = course
    return {"class": class_, "courses": courses}


def grade(week: str, how: str, course):
    if how == "plain":  # the same class, graded by plain nbgrader
        return gc.nbgrader(course, "autograde", week, "--LimitedExecute.sandbox=off")
    return gc.nndl(course, "grade", week, "--workers", "2", "--quiet", "--sandbox", "off")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every week's class, graded every way, the gradings of all weeks at once."""
    weeks = {week: prepare(tmp_path_factory.mktemp(week), week) for week in ORDER}
    runs = [(week, how, course) for week in ORDER
            for how, course in weeks[week]["courses"].items()]
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        done = list(pool.map(lambda run: grade(*run), runs))
    for (week, how, _), run in zip(runs, done, strict=True):
        weeks[week].setdefault("runs", {})[how] = run
    return weeks


@pytest.mark.parametrize("week", list(NOTEBOOKS))
def test_stopping_after_the_last_graded_cell_changes_no_score(graded, week):
    notebook = NOTEBOOKS[week]
    class_, courses = graded[week]["class"], graded[week]["courses"]
    for how, run in graded[week]["runs"].items():
        assert run.returncode == 0, (how, run.stderr[-2000:])
    stop, full = (gc.gradebook_scores(courses[how], week) for how in ("stop", "all"))
    assert set(stop) == set(class_) and {s: stop[s] for s in full} == full
    total = sum(gc.points(week, notebook).values())
    assert sum(stop["reference"].values()) == total == sum(stop["exits-after"].values())
    assert sum(stop["blank"].values()) == 0
    wrong = stop[f"wrong-{CALLED[week]}"]
    lost = [cell for cell, score in wrong.items() if score < stop["reference"][cell]]
    assert len(lost) >= 2, lost  # its own test and a later function's

    class_report(courses["stop"], week, class_, stop)
    if "plain" in courses:  # nndl report reads the same from either: the same files
        assert gc.gradebook_scores(courses["plain"], week) == stop
        assert gc.nndl(courses["plain"], "report", week).returncode == 0
        for name in ("scores.csv", "tests.csv", "mistakes.csv", "root_causes.csv"):
            ours, plain = (courses[how] / "reports" / week / name for how in ("stop", "plain"))
            assert ours.read_text() == plain.read_text(), name

    def after_the_end(how: str, student: str) -> list:
        path = courses[how] / "autograded" / student / week / f"{notebook}.ipynb"
        nb = nbformat.read(path, as_version=4)
        return [cell for cell in nb.cells[last_graded_cell(nb) + 1:] if cell.cell_type == "code"]

    # The default run stopped and said so; the full run ran the cells after the end, and the
    # kernel that exited there cost nothing.
    skipped = after_the_end("stop", "reference")
    assert "Grading stopped after the last graded cell" in skipped[0].outputs[0]["text"]
    assert all(cell.execution_count is None for cell in skipped)
    assert all(cell.execution_count
               for cell in after_the_end("all", f"wrong-{CALLED[week]}"))
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
    by_design(course, week, scores, rows)


def by_design(course, week: str, scores: dict, rows: list[dict]) -> None:
    """The class's known multiplicities, exactly: who lost which test (by the design of the
    class), how many students each designed mistake's row of mistakes.csv counts, and the
    submissions that need a look."""
    from autograder.grade.class_report import read_class
    from autograder.grade.diagnosis import read_message

    plan = design(week)
    path = f"{week}/{NOTEBOOKS[week]}.ipynb"
    test_of = {function_tested(c): nbgrader_meta(c)["grade_id"] for c in cells_of_tests(path)}
    full = scores["reference"]

    def lost(student: str) -> set[str]:
        return {test for test, score in scores[student].items() if score < full[test]}

    leaf, loop = test_of[plan["leaf"]], test_of[plan["loop"]]
    second_is_leaf = plan["second"] != plan["called"]
    assert full == gc.points(week, NOTEBOOKS[week])
    assert lost("exits-after") == lost("failed-import") == set()
    assert lost("leaf-1") == lost("leaf-2") == {leaf}
    assert "loops" not in scores or lost("loops") == {loop}
    assert lost("blank") == set(full)
    assert lost("two-mistakes") == {leaf} | (
        {test_of[plan["second"]]} if second_is_leaf else lost(f"wrong-{plan['called']}"))

    def count(test: str, mistake: str) -> int:
        return sum(int(r["students"]) for r in rows if r["test"] == test
                   and r["mistake"] == mistake)

    # The leaf mistake, diagnosed as its public test names it (run here, in-process), for each
    # student who made it (the third's is blamed on the function it calls when that is wrong).
    mistake = importlib.import_module(f"catalogue.{week}").MISTAKES[plan["leaf"]][0]
    with pytest.raises(AssertionError) as failure:
        run_case(path, plan["leaf"], mistake.code, hidden=False)
    label = read_message(str(failure.value)).label
    assert count(leaf, label) == (3 if second_is_leaf else 2), (leaf, label, rows)
    if second_is_leaf:
        second = importlib.import_module(f"catalogue.{week}").MISTAKES[plan["second"]][0]
        with pytest.raises(AssertionError) as failure:
            run_case(path, plan["second"], second.code, hidden=False)
        assert count(test_of[plan["second"]], read_message(str(failure.value)).label) == 1
    timed = [(r["students"], r["diagnosed_by"]) for r in rows if r["mistake"] == "time limit"]
    assert timed == ([("1", "judge")] if "loops" in scores else []), timed

    problems = read_class(course, week).problems
    assert not problems.get("reference") and not problems.get("leaf-1")
    assert any("nndl_no_such_module" in p or "ModuleNotFoundError" in p
               for p in problems["failed-import"]), problems["failed-import"]
    if "loops" in scores:
        assert any("time limit" in p for p in problems["loops"]), problems["loops"]
    assert any("blank" in p for p in problems["blank"]), problems["blank"]
