"""The class report's reading of a failed test cell: the failure kind, the catalogued mistake, the
function a knock-on failure is blamed on, and who diagnosed it (the grader's judge, trusted; the
student's kernel, not trusted, even when its output pretends to be the judge's)."""

from __future__ import annotations

import nbformat

from autograder.engine.cell_errors import KERNEL_DIED, NOT_RUN, TIME_LIMIT, error_output
from autograder.grade import diagnosis as d
from autograder.hidden.judge import HIDDEN_FAILURE
from autograder.hidden.pipeline import JUDGE_KEY


def cell(*outputs, verdict=None) -> dict:
    made = {"cell_type": "code", "metadata": {}, "outputs": list(outputs), "execution_count": 1}
    if verdict is not None:
        made["metadata"][JUDGE_KEY] = verdict
    return made


def error(ename: str, message: str) -> dict:
    return dict(nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[]))


def test_the_forms_of_the_checks_messages_are_read_back():
    read = d.read_message
    assert read("dw has shape (1, 4) but should have shape (4, 1).\nHint: a transpose?").kind \
        == d.WRONG_SHAPE
    assert read("testing propagate raised TypeError: unsupported operand").kind == \
        "raised TypeError"
    assert read("sigmoid is not written yet: replace `raise NotImplementedError()` with your "
                "code.").kind == d.NOT_WRITTEN
    assert read("First fix sigmoid, propagate: this test calls them, and their tests have not "
                "passed yet.\ncost is wrong").kind == "blamed on sigmoid"
    assert read("cost should be a number (float), but it is an ndarray.").kind == d.WRONG_TYPE
    assert read("initialize(2) changed its argument dims in place.").kind == d.CHANGED_INPUT
    assert read("propagate(w, b, X, Y) returned None; it should return a tuple (grads, "
                "cost).").kind == d.NOTHING_RETURNED
    assert read("something nobody wrote").kind == d.OTHER


def test_a_catalogued_mistake_is_named_with_its_description():
    mistake = "forgot the 1/m in dw"
    assert mistake in d.catalogued_mistakes()
    found = d.read_message(f"dw is wrong: got [1.0], expected [0.5].\nHint: this is the result "
                           f"you get when you {mistake}.")
    assert (found.kind, found.mistake, found.label) == (d.WRONG_VALUES, mistake, mistake)


def test_the_judges_verdict_is_trusted_and_a_forged_one_is_the_kernels():
    message = "dw is wrong on hidden input 2: got [1.0], expected [0.5]."
    judged = cell(error(HIDDEN_FAILURE, message), verdict={"judge": "failed",
                                                           "message": message})
    assert d.diagnose(judged) == d.Diagnosis(d.WRONG_VALUES, None, d.JUDGE)
    forged = cell(error(HIDDEN_FAILURE, "x is not written yet"))  # raised by the kernel
    assert d.diagnose(forged).by == d.KERNEL
    visible = cell(error("CheckFailure", "testing f raised ValueError: no"),
                   verdict={"judge": "not judged: the visible tests failed"})
    assert d.diagnose(visible) == d.Diagnosis("raised ValueError", None, d.KERNEL)
    assert d.diagnose(cell(verdict={"judge": "passed"})) is None


def test_the_graders_limits_come_first():
    assert d.diagnose(cell(error_output(TIME_LIMIT, "stopped"))) == d.Diagnosis(
        "time limit", by=d.JUDGE)
    assert d.diagnose(cell(error("CheckFailure", "x"), error_output(KERNEL_DIED, "died"))).kind \
        == "kernel died"
    assert d.diagnose(cell(error_output(NOT_RUN, "not run"))).kind == "not run"


def test_a_knock_on_of_a_knock_on_goes_to_the_root_cause():
    """C calls B, which calls A: A is wrong; B's test is blamed on A, C's on B; every point
    lost goes to A."""
    from autograder.grade.class_report import ClassResults, Test, root_causes

    tests = [Test("nb", f"test_{f}", f, 2.0) for f in ("a", "b", "c", "d")]
    results = ClassResults("week9", tests)
    results.scores["s1"] = {("nb", "test_a"): 0.0, ("nb", "test_b"): 0.0, ("nb", "test_c"): 0.0,
                            ("nb", "test_d"): 2.0}
    results.totals["s1"] = {"raw_score": 2.0, "late_submission_penalty": 0.0, "score": 2.0,
                            "max_score": 8.0}
    results.diagnoses["s1"] = {("nb", "test_a"): d.Diagnosis(d.WRONG_VALUES),
                               ("nb", "test_b"): d.Diagnosis("blamed on a"),
                               ("nb", "test_c"): d.Diagnosis("blamed on b")}
    assert root_causes(results) == [
        {"function": "a", "students": 1, "points_lost": 2.0, "knock_on_students": 1,
         "knock_on_tests": 2, "knock_on_points_lost": 4.0}]
