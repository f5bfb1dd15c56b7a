"""Feedback (`nbgrader generate_feedback`) shows each test cell without its hidden tests.

One copy of the course grades a notebook of every week with plain nbgrader (finished in week 1,
blank in the others; and, in week 1, a second student whose hard-coded answer passes the
visible tests and fails the hidden ones), then generates the feedback twice: as configured
(HideHiddenTests on), and with `c.HideHiddenTests.enabled = False` added to the course's
nbgrader_config.py. Each feedback page is read as text (tags removed), as a student reads it.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import nbformat
import pytest
from support import grading_corpus as gc

from autograder.engine.nbgrader_setup import HideHiddenTests
from autograder.hidden import cells
from autograder.hidden import judge as judging

pytestmark = pytest.mark.slow

WEEKS = {"week1": "numpy_basics", "week2": "logistic_regression",
         "week3": "planar_classification", "week4": "deep_neural_network"}
PLACEHOLDER = HideHiddenTests.class_traits()["placeholder"].default_value
# Passes the visible tests of basic_sigmoid (inputs 1, 0 and -2.5), fails the hidden ones.
HARD_CODED = ("import math\n\ndef basic_sigmoid(x):\n"
              "    return 1 / (1 + math.exp(-x)) if x in (1, 0, -2.5) else 0.0\n")
HIDDEN_FAILURE = "basic_sigmoid on random input is wrong"
STUDENTS = {"alice": dict.fromkeys(WEEKS), "bob": {"week1": {"basic_sigmoid": HARD_CODED}}}
# Finished notebooks where the training would cost minutes are handed in blank: their test cells,
# hidden blocks and failure messages are what the feedback is checked on, and nbgrader restores
# every hidden block from the gradebook whatever the answers.
FINISHED = {"week1"}


def text_of(page: str) -> str:
    """A feedback page as its reader sees it: the text, without tags (code is highlighted one
    token per tag)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded course and its feedback: {"on"/"off": {(student, week): text}}, plus the
    autograded notebooks' digests before and after."""
    course = gc.course_copy(tmp_path_factory.mktemp("feedback") / "nndl")
    for week in WEEKS:
        done = gc.nbgrader(course, "generate_assignment", week, "--force")
        assert done.returncode == 0, done.stderr
    for student, weeks in STUDENTS.items():
        for week, replace in weeks.items():
            nb = (gc.finished(week, WEEKS[week], replace) if week in FINISHED
                  else gc.blank(week, WEEKS[week]))
            gc.submit(course, student, week, {f"{WEEKS[week]}.ipynb": nb})
    for week in WEEKS:
        done = gc.nbgrader(course, "autograde", week)
        assert done.returncode == 0, done.stderr
    autograded = sorted((course / "autograded").rglob("*.ipynb"))
    before = {path: digest(path) for path in autograded}

    feedback = {}
    for setting in ("on", "off"):
        if setting == "off":  # the setting nbgrader_config.py documents
            with open(course / "nbgrader_config.py", "a") as config:
                config.write("\nc.HideHiddenTests.enabled = False\n")
        feedback[setting] = {}
        done = gc.nbgrader(course, "generate_feedback", "--assignment=*", "--force")  # all
        assert done.returncode == 0, done.stderr
        for week in WEEKS:
            for student, weeks in STUDENTS.items():
                if week in weeks:
                    page = course / "feedback" / student / week / f"{WEEKS[week]}.html"
                    feedback[setting][student, week] = text_of(page.read_text("utf-8"))
    after = {path: digest(path) for path in autograded}
    return course, feedback, before, after


def hidden_blocks(week: str) -> list[str]:
    """The hidden block of every test cell of the week's source notebook."""
    nb = nbformat.read(gc.ROOT / "source" / week / f"{WEEKS[week]}.ipynb", as_version=4)
    blocks = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        test = cells.split(cell.source, meta.get("grade_id", "")) if meta.get("grade") else None
        if test is not None:
            blocks.append(test.hidden)
    assert blocks, week
    return blocks


def distinctive_lines(week: str, block: str) -> list[str]:
    """The lines of a hidden block that the student's notebook (text, visible tests, answers)
    does not contain: seeing one in the feedback means the hidden code is shown."""
    visible = "\n".join(c.source for c in gc.finished(week, WEEKS[week]).cells)
    lines = [line.strip() for line in block.splitlines()]
    found = [line for line in lines if len(line) >= 12 and line not in visible]
    assert found, f"{week}: no line of this hidden block is its own:\n{block}"
    return found


def visible_test_lines(week: str) -> list[str]:
    """Every line of the visible tests, as released."""
    nb = gc.blank(week, WEEKS[week])
    return [line.strip() for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")
            for line in cell.source.splitlines() if line.strip()]


def printed_by_tests(course, student: str, week: str) -> list[str]:
    """Every line the test cells of the autograded notebook printed or raised."""
    path = course / "autograded" / student / week / f"{WEEKS[week]}.ipynb"
    nb = nbformat.read(path, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        for output in cell.outputs:  # an error shows its traceback (a CheckFailure's message)
            text = output.get("text", "") if output.output_type == "stream" else (
                re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.get("traceback", [])))
                if output.output_type == "error" else "")
            lines += [line.strip() for line in text.splitlines() if line.strip()]
    return lines


CASES = [(student, week) for student, weeks in STUDENTS.items() for week in weeks]


@pytest.mark.parametrize("student,week", CASES)
def test_feedback_shows_no_hidden_test_code(course, student, week):
    _, feedback, _, _ = course
    text = feedback["on"][student, week]
    assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
    assert "from autograder.hidden import" not in text
    blocks = hidden_blocks(week)
    for block in blocks:
        for line in distinctive_lines(week, block):
            assert line not in text
    assert text.count(PLACEHOLDER) == len(blocks)


@pytest.mark.parametrize("student,week", CASES)
def test_feedback_shows_the_visible_tests_and_every_output(course, student, week):
    root, feedback, _, _ = course
    text = feedback["on"][student, week]
    for line in visible_test_lines(week) + printed_by_tests(root, student, week):
        assert line in text


def test_a_failed_hidden_test_still_shows_its_message(course):
    root, feedback, _, _ = course
    nb = nbformat.read(root / "autograded" / "bob" / "week1" / "numpy_basics.ipynb",
                       as_version=4)
    (cell,) = [c for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == "test_basic_sigmoid"]
    assert [o.ename for o in cell.outputs if o.output_type == "error"] == [judging.HIDDEN_FAILURE]
    assert HIDDEN_FAILURE in feedback["on"]["bob", "week1"]
    assert HIDDEN_FAILURE not in feedback["on"]["alice", "week1"]


def test_the_autograded_notebooks_keep_the_hidden_tests(course):
    root, _, before, after = course
    assert before == after  # generate_feedback changed none of them
    for path in before:
        week = path.parent.name
        source = path.read_text("utf-8")
        assert source.count(cells.BEGIN) == len(hidden_blocks(week)), path


def test_only_test_cells_lose_their_hidden_block():
    meta = {"schema_version": 3, "task": False, "points": 1}
    test = nbformat.v4.new_code_cell("check(f)\nif True:\n    ### BEGIN HIDDEN TESTS\n"
                                     "    secret(f)\n    ### END HIDDEN TESTS\n")
    test.metadata["nbgrader"] = dict(meta, grade=True, solution=False, locked=True, grade_id="t")
    # a student's answer may say anything, even an unbalanced delimiter: shown as written
    answer = nbformat.v4.new_code_cell("# ### BEGIN HIDDEN TESTS?\ndef f():\n    return 1\n")
    answer.metadata["nbgrader"] = dict(meta, grade=False, solution=True, locked=False,
                                       grade_id="f")
    written = answer.source
    nb = nbformat.v4.new_notebook(cells=[answer, test])
    HideHiddenTests().preprocess(nb, {})
    assert test.source == f"check(f)\nif True:\n    {PLACEHOLDER}\n"
    assert answer.source == written


@pytest.mark.parametrize("student,week", CASES)
def test_the_setting_off_shows_the_hidden_tests(course, student, week):
    _, feedback, _, _ = course
    text = feedback["off"][student, week]
    blocks = hidden_blocks(week)
    assert text.count("### BEGIN HIDDEN TESTS") == len(blocks)
    assert PLACEHOLDER not in text
    for block in blocks:
        for line in distinctive_lines(week, block):
            assert line in text


def test_the_class_report_reads_a_class_graded_by_plain_nbgrader(course, tmp_path):
    """`nndl report` after plain `nbgrader autograde`: bob's hard-coded basic_sigmoid passes
    the visible tests and fails the hidden ones (zero), alice's finished notebook scores full."""
    import csv

    root, _, _, _ = course
    run = gc.nndl(root, "report", "week1", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    tests = {row["test"]: row for row in csv.DictReader(open(tmp_path / "tests.csv"))}
    cells = gc.points("week1", WEEKS["week1"])
    assert list(tests) == list(cells)
    for test, row in tests.items():
        zero = int(test == "test_basic_sigmoid")
        assert (row["students"], row["full"], row["zero"], row["partial"], row["not_run"]) == (
            "2", str(2 - zero), str(zero), "0", "0"), row
    assert tests["test_basic_sigmoid"]["function"] == "basic_sigmoid"
    scores = {row["student_id"]: row for row in csv.DictReader(open(tmp_path / "scores.csv"))}
    assert float(scores["bob"]["test_basic_sigmoid"]) == 0
    assert float(scores["alice"]["score"]) == sum(cells.values())
    assert float(scores["bob"]["score"]) == sum(cells.values()) - cells["test_basic_sigmoid"]
