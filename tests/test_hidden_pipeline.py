"""autograder.hidden: hidden tests planned from the source notebook, answered by the kernel as
plain data, and judged in the grader. The kernel is simulated here without Jupyter: the
student's functions are called by ``autograder.hidden.kernel.run``, whose displayed records
become the outputs of a test cell."""

import ast
import copy
import json
import shutil
from pathlib import Path

import IPython.display
import nbformat
import numpy as np
import pytest

from autograder.hidden import cells, kernel, pipeline
from autograder.hidden import judge as judging
from autograder.hidden import plan as planning
from autograder.hidden import reference as ref
from autograder.hidden.kernel import RECORD_MIME
from autograder.hidden.wire import decode, encode
from utils.checks import CheckFailure, check_python_float

SOURCE = ref.REPO_ROOT / "source"
WEEK1 = SOURCE / "week1" / "numpy_basics.ipynb"
WEEK2 = SOURCE / "week2" / "logistic_regression.ipynb"
WEEK4 = SOURCE / "week4" / "deep_neural_network.ipynb"


def kernel_records(payload: str, namespace: dict) -> list[dict]:
    """What the kernel displays for ``payload`` with the student's functions ``namespace``,
    as the grader receives it (JSON)."""
    shown = []

    def display(obj, raw=False):
        assert raw and set(obj) == {RECORD_MIME}
        shown.append(json.loads(json.dumps(obj[RECORD_MIME])))

    saved = IPython.display.display
    IPython.display.display = display
    try:
        kernel.run(namespace, payload)
    finally:
        IPython.display.display = saved
    return shown


def cell_with(records: list, others=()) -> nbformat.NotebookNode:
    """A graded test cell as nbclient leaves it: other outputs, then the records."""
    outputs = list(others) + [nbformat.v4.new_output("display_data", data={RECORD_MIME: r})
                              for r in records]
    return nbformat.v4.new_code_cell(source="(the test cell)", outputs=outputs)


def answered(notebook: Path, grade_id: str, namespace: dict) -> nbformat.NotebookNode:
    """The test cell ``grade_id`` after a kernel with ``namespace`` ran its planned calls."""
    _, payload = planning.plan(notebook, grade_id)
    return cell_with(kernel_records(payload, namespace))


def judge(notebook: Path, grade_id: str, cell) -> str | None:
    return judging.judge(cell, notebook, cells.hidden_tests(notebook)[grade_id])


def references(notebook: Path, grade_id: str) -> dict:
    """The reference solution of every function the hidden block calls."""
    calls, _ = planning.plan(notebook, grade_id)
    return {call.name: ref.reference(notebook, call.name) for call in calls}


# --------------------------------------------------------------------------------------------
# split
# --------------------------------------------------------------------------------------------

CELL = '''\
# Tests of f
with tests_for("f", uses=("g",)):
    check(f(1))
    ### BEGIN HIDDEN TESTS
    x = 2
    if x:
        check(f(x))  # hidden
    ### END HIDDEN TESTS
print("after")
'''


def test_split_keeps_the_visible_part_and_dedents_the_hidden_block():
    test = cells.split(CELL, "test_f")
    assert test.grade_id == "test_f" and test.tested == "f"
    assert test.before == '# Tests of f\nwith tests_for("f", uses=("g",)):\n    check(f(1))\n'
    assert test.hidden == "x = 2\nif x:\n    check(f(x))  # hidden\n"
    assert test.indent == "    "
    assert test.after == 'print("after")\n'


def test_kernel_source_runs_the_visible_tests_then_the_recorded_calls(monkeypatch):
    payload = json.dumps({"calls": [{"name": "f", "note": "it's \"quoted\"\n"}]})
    source = cells.split(CELL, "test_f").kernel_source(payload)
    assert source.startswith(cells.split(CELL, "test_f").before)
    assert "autograder.hidden.kernel" in source
    assert "x = 2" not in source and "check(f(x))" not in source
    assert cells.BEGIN not in source and cells.END not in source
    ast.parse(source)
    # Run it: the visible check, then record.run inside the `with` block, with the payload.
    events = []

    class TestsFor:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            events.append("enter")

        def __exit__(self, *exc):
            events.append("exit")

    monkeypatch.setattr(kernel, "run", lambda namespace, text: events.append(("run", text)))
    namespace = {"tests_for": TestsFor, "f": lambda x: x, "check": events.append,
                 "print": events.append}
    exec(compile(source, "<cell>", "exec"), namespace)
    assert events == ["enter", 1, ("run", payload), "exit", "after"]


def test_split_without_tests_for_names_the_function_after_the_grade_id():
    source = f"check(f(1))\n{cells.BEGIN}\ncheck(f(2))\n{cells.END}\n"
    test = cells.split(source, "test_sigmoid_derivative")
    assert test.tested == "sigmoid_derivative" and test.indent == ""
    assert test.hidden == "check(f(2))\n" and test.after == ""


def test_split_of_a_cell_without_hidden_tests_is_none():
    assert cells.split("check(f(1))\n", "test_f") is None


@pytest.mark.parametrize("source", [
    f"{cells.BEGIN}\na\n{cells.END}\n{cells.BEGIN}\nb\n{cells.END}\n",
    f"{cells.BEGIN}\n{cells.BEGIN}\na\n{cells.END}\n",
    f"{cells.BEGIN}\na\n",
    f"{cells.END}\na\n{cells.BEGIN}\n",
], ids=["two blocks", "two begins", "no end", "end before begin"])
def test_split_refuses_a_cell_without_exactly_one_block(source):
    with pytest.raises(ValueError, match="test_f"):
        cells.split(source, "test_f")


def test_hidden_tests_are_the_graded_test_cells_with_a_hidden_block(tmp_path):
    def cell(source, **meta):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})

    nb = nbformat.v4.new_notebook(cells=[
        cell(CELL, grade=True, grade_id="test_f", points=1),
        cell("check(f(1))", grade=True, grade_id="test_visible_only", points=1),
        cell(CELL, solution=True, grade=False, grade_id="answer_f"),  # not a test cell
        nbformat.v4.new_code_cell(CELL),
    ])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    tests = cells.hidden_tests(path)
    assert list(tests) == ["test_f"] and tests["test_f"].tested == "f"


# --------------------------------------------------------------------------------------------
# plan
# --------------------------------------------------------------------------------------------


def test_plan_lists_the_calls_of_the_hidden_block_and_their_payload():
    calls, payload = planning.plan(WEEK1, "test_sigmoid")
    assert len(calls) > 1 and {call.name for call in calls} == {"sigmoid"}
    planned = json.loads(payload)["calls"]
    assert len(planned) == len(calls)
    for call, sent in zip(calls, planned, strict=True):
        assert sent["name"] == "sigmoid"
        args = decode(sent["args"])
        assert len(args) == 1 and np.array_equal(args[0], call.args[0])
        assert args[0].dtype == call.args[0].dtype
        assert decode(sent["kwargs"]) == {}
    assert len({call.args[0].shape for call in calls}) > 1  # varied inputs


def test_plan_is_deterministic(tmp_path):
    payloads = []
    for copy_name in ("a", "b"):  # other paths: nothing cached
        path = tmp_path / copy_name / "numpy_basics.ipynb"
        path.parent.mkdir()
        shutil.copy(WEEK1, path)
        payloads.append(planning.plan(path, "test_sigmoid")[1])
    assert payloads[0] == payloads[1] == planning.plan(WEEK1, "test_sigmoid")[1]


def test_plan_works_for_a_hidden_block_that_uses_another_reference():
    calls, _ = planning.plan(WEEK4, "test_linear_activation_backward")
    assert len(calls) == 10 and {call.name for call in calls} == {"linear_activation_backward"}
    assert [call.args[2] for call in calls] == ["relu"] * 5 + ["sigmoid"] * 5
    (A_prev, W, b), Z = calls[0].args[1]  # a cache built by the reference forward pass
    assert W.shape == (Z.shape[0], A_prev.shape[0]) and b.shape == (Z.shape[0], 1)


# --------------------------------------------------------------------------------------------
# judge: week1 sigmoid through the simulated kernel
# --------------------------------------------------------------------------------------------


def sigmoid_records(function=None) -> list[dict]:
    _, payload = planning.plan(WEEK1, "test_sigmoid")
    return kernel_records(payload, {"sigmoid": function or ref.reference(WEEK1, "sigmoid")})


def test_the_reference_passes_the_hidden_tests():
    assert judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records())) is None


def test_a_wrong_function_fails_the_hidden_tests():
    message = judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(lambda z: z)))
    assert "sigmoid" in message and "hidden test" in message


def test_a_function_wrong_only_on_inputs_the_visible_tests_do_not_use_fails():
    right = ref.reference(WEEK1, "sigmoid")

    def hard_coded(z):  # right for the visible tests' integer inputs only
        return right(z) if np.issubdtype(np.asarray(z).dtype, np.integer) else np.zeros_like(z)

    assert judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(hard_coded))) is not None


def test_a_missing_result_says_the_kernel_sent_no_result():
    records = sigmoid_records()
    message = judge(WEEK1, "test_sigmoid", cell_with(records[:-1]))
    assert message is not None and "no result" in message


def test_a_duplicated_result_is_reported_as_tampering():
    records = sigmoid_records()
    message = judge(WEEK1, "test_sigmoid", cell_with([*records, copy.deepcopy(records[0])]))
    assert message is not None and "tampered" in message and "sigmoid" in message


def test_a_result_without_a_call_number_is_reported_as_tampering():
    records = sigmoid_records()
    records[0] = {**records[0], "call": "0"}
    message = judge(WEEK1, "test_sigmoid", cell_with(records))
    assert message is not None and "tampered" in message


def test_a_function_not_written_yet_is_named():
    error = {"type": "NotImplementedError", "builtin": "NotImplementedError", "message": ""}
    records = [{"call": r["call"], "error": error} for r in sigmoid_records()]
    message = judge(WEEK1, "test_sigmoid", cell_with(records))
    assert message is not None and "not written yet" in message


def test_the_student_s_exception_is_named_in_the_message():
    def broken(z):
        raise ValueError("operands could not be broadcast")

    message = judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(broken)))
    assert "ValueError" in message and "operands could not be broadcast" in message


def test_an_exception_record_cannot_raise_a_base_exception_in_the_grader():
    error = {"type": "SystemExit", "builtin": "SystemExit", "message": "0"}
    records = [{"call": r["call"], "error": error} for r in sigmoid_records()]
    message = judge(WEEK1, "test_sigmoid", cell_with(records))  # no SystemExit here
    assert message is not None and "SystemExit" in message


MALFORMED_RESULTS = {
    "bad base64": {"t": "ndarray", "dtype": "<f8", "shape": [2], "data": "!!"},
    "object dtype": {"t": "ndarray", "dtype": "|O", "shape": [1], "data": "AAAAAAAAAAA="},
    "unknown tag": {"t": "pickle", "v": "x"},
    "not a dict": "junk",
    "missing": None,
}


@pytest.mark.parametrize("result", MALFORMED_RESULTS.values(), ids=MALFORMED_RESULTS.keys())
def test_a_malformed_result_gives_a_message_not_an_exception(result):
    records = [{"call": r["call"], "result": result} for r in sigmoid_records()]
    message = judge(WEEK1, "test_sigmoid", cell_with(records))
    assert isinstance(message, str) and "sigmoid" in message


def test_results_for_calls_never_made_are_reported():
    records = sigmoid_records()
    extra = {"call": len(records), "result": encode(np.zeros(3))}
    message = judge(WEEK1, "test_sigmoid", cell_with([*records, extra]))
    assert message is not None and "never made" in message


def test_an_opaque_result_fails_with_its_type_named():
    class Wrapped:
        def __init__(self, z):
            self.z = z

    message = judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(Wrapped)))
    assert message is not None and "Wrapped" in message


def test_records_takes_the_results_out_and_keeps_the_other_outputs():
    stream = nbformat.v4.new_output("stream", name="stdout", text="All public tests passed.\n")
    image = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "1"},
                                    execution_count=1)
    raw = [{"call": 0, "result": encode(1.0)}, {"call": 1, "result": encode(2.0)}]
    cell = cell_with(raw, others=[stream, image, result])
    found, problems = judging.records(cell)
    assert problems == [] and found == {0: raw[0], 1: raw[1]}
    assert cell.outputs == [stream, image, result]


def test_records_reports_a_duplicate_and_a_record_without_number():
    cell = cell_with([{"call": 0}, {"call": 0}, {"call": True}, "not a record"])
    found, problems = judging.records(cell)
    assert list(found) == [0] and len(problems) == 3 and cell.outputs == []


def test_a_changed_argument_is_judged_as_in_the_kernel():
    right = ref.reference(WEEK1, "sigmoid")

    def in_place(z):
        result = right(z)
        z *= 0  # changes the caller's array
        return result

    message = judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(in_place)))
    assert message is not None and "changed its argument number 1 in place" in message


def test_failure_output_is_an_error_output_with_the_message():
    output = pipeline.failure_output("b should be a Python float.\nHint: wrap it.")
    assert output.output_type == "error" and output.ename == judging.HIDDEN_FAILURE
    assert output.evalue.startswith("b should be a Python float.")
    assert "b should be a Python float." in output.traceback[0]


# --------------------------------------------------------------------------------------------
# Types: a right value of the wrong type is judged as the visible tests judge it
# --------------------------------------------------------------------------------------------


def message_of(check, *args) -> str:
    with pytest.raises(CheckFailure) as info:
        check(*args)
    return str(info.value)


def test_a_numpy_float_where_a_python_float_is_promised_fails_like_the_visible_test():
    initialize = ref.reference(WEEK2, "initialize_with_zeros")
    assert type(initialize(3)[1]) is float  # the reference keeps the promise

    def numpy_bias(dim):
        w, b = initialize(dim)
        return w, np.float64(b)

    cell = answered(WEEK2, "test_initialize_with_zeros", {"initialize_with_zeros": numpy_bias})
    message = judge(WEEK2, "test_initialize_with_zeros", cell)
    assert message == message_of(check_python_float, np.float64(0.0), "b")


def test_a_numpy_db_in_propagate_fails_like_the_visible_test():
    propagate = ref.reference(WEEK2, "propagate")

    def numpy_db(w, b, X, Y):
        grads, cost = propagate(w, b, X, Y)
        return {"dw": grads["dw"], "db": np.float64(grads["db"])}, cost

    cell = answered(WEEK2, "test_propagate", {"propagate": numpy_db})
    message = judge(WEEK2, "test_propagate", cell)
    assert message is not None
    assert message.startswith("db should be a Python float, but it is a numpy float64")


# --------------------------------------------------------------------------------------------
# Every hidden test of every source notebook: planned, and passed by the reference
# --------------------------------------------------------------------------------------------

HIDDEN = [(path, grade_id) for path in sorted(SOURCE.glob("week*/*.ipynb"))
          for grade_id in cells.hidden_tests(path)]


def test_every_week_has_hidden_tests():
    assert {path.parent.name for path, _ in HIDDEN} == {"week1", "week2", "week3", "week4"}


@pytest.mark.parametrize("notebook, grade_id", HIDDEN,
                         ids=[f"{p.parent.name}-{g}" for p, g in HIDDEN])
def test_the_reference_answered_through_the_kernel_passes(notebook, grade_id):
    calls, payload = planning.plan(notebook, grade_id)
    assert calls and len(json.loads(payload)["calls"]) == len(calls)
    cell = answered(notebook, grade_id, references(notebook, grade_id))
    assert judge(notebook, grade_id, cell) is None


def test_a_wrong_backward_pass_fails_in_week4():
    backward = ref.reference(WEEK4, "linear_activation_backward")

    def no_average(dA, cache, activation):  # dW and db without 1/m
        dA_prev, dW, db = backward(dA, cache, activation)
        m = cache[0][0].shape[1]
        return dA_prev, m * dW, m * db

    cell = answered(WEEK4, "test_linear_activation_backward",
                    {"linear_activation_backward": no_average})
    message = judge(WEEK4, "test_linear_activation_backward", cell)
    assert message is not None and "linear_activation_backward" in message


# --------------------------------------------------------------------------------------------
# Edge cases found by these tests (fixed)
# --------------------------------------------------------------------------------------------


def test_an_exception_with_a_special_constructor_is_named_in_the_message():
    error = {"type": "UnicodeDecodeError", "builtin": "UnicodeDecodeError",
             "message": "'utf-8' codec can't decode byte 0xff in position 0"}
    records = [{"call": r["call"], "error": error} for r in sigmoid_records()]
    message = judge(WEEK1, "test_sigmoid", cell_with(records))
    assert "UnicodeDecodeError" in message and "TypeError" not in message


def test_a_key_error_reads_as_in_the_kernel():
    def missing_key(z):
        return {}["W1"]

    message = judge(WEEK1, "test_sigmoid", cell_with(sigmoid_records(missing_key)))
    assert "KeyError: 'W1'" in message


def test_a_malformed_result_is_reported_as_not_a_plain_value():
    records = [{"call": r["call"], "result": MALFORMED_RESULTS["object dtype"]}
               for r in sigmoid_records()]
    message = judge(WEEK1, "test_sigmoid", cell_with(records))
    assert "not a plain value" in message and "raised WireError" not in message


def test_a_hidden_test_passing_a_value_that_cannot_travel_is_refused(tmp_path):
    """A hidden block must give the student's function plain values: a function passed as an
    argument would reach the kernel as an inert stand-in, and a right answer would fail."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np", metadata={"nbgrader": {}}),
        nbformat.v4.new_code_cell("def apply(f, x):\n    return f(x)\n", metadata={
            "nbgrader": {"solution": True, "grade": False, "grade_id": "apply",
                         "locked": False, "schema_version": 3}}),
        nbformat.v4.new_code_cell(
            "assert apply(abs, -1) == 1\n### BEGIN HIDDEN TESTS\nassert apply(np.exp, 0) == 1\n"
            "### END HIDDEN TESTS", metadata={
                "nbgrader": {"solution": False, "grade": True, "grade_id": "test_apply",
                             "points": 1, "locked": True, "schema_version": 3}}),
    ]
    path = tmp_path / "apply.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="not a plain value"):
        planning.plan(path, "test_apply")


def test_a_grading_kernel_imports_no_grader_code():
    """What the kernel runs of the pipeline (kernel.py and wire.py) loads neither the grader's
    half (plan, judge, the reference solutions) nor the week helpers."""
    import subprocess
    import sys

    code = ("import sys, autograder.hidden.kernel; "
            "print(sorted(m for m in sys.modules if m.startswith('autograder')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert ast.literal_eval(loaded) == [
        "autograder", "autograder.hidden", "autograder.hidden.kernel", "autograder.hidden.wire"]


def test_the_plan_is_the_same_in_every_grading_process():
    """Each planned call carries numpy's global random state: it starts from a fixed seed, so two
    graders send the kernel the same payload (the same inputs, the same random state)."""
    import subprocess
    import sys

    code = ("from pathlib import Path; from autograder.hidden.plan import plan; "
            f"print(plan(Path({str(WEEK4)!r}), 'test_linear_forward')[1])")
    payloads = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout for _ in range(2)}
    assert len(payloads) == 1 and '"calls"' in payloads.pop()


def test_what_the_reference_prints_while_judging_goes_to_the_log_not_the_terminal(
        capfd, caplog):
    """Hidden tests that train a model make the reference print progress bars and "Accuracy"
    lines in the grader: nndl verify's and nndl grade's terminal must not carry them."""
    import logging
    import sys

    with caplog.at_level(logging.DEBUG, logger=pipeline.__name__), pipeline.quiet("test_x"):
        print("Accuracy: 0.93")
        print("gradient descent: 100%", file=sys.stderr)
    out, err = capfd.readouterr()
    assert "Accuracy" not in out and "gradient descent" not in err
    assert "hidden tests of test_x printed" in caplog.text and "Accuracy: 0.93" in caplog.text
