"""Grading each function on its own (c.LimitedExecute.grade_functions_alone, default off): a
test whose function is right keeps its points when a graded function it uses is wrong.

In a test cell, the functions that its ``tests_for(name, uses=...)`` names answer with the
reference's results, computed by the grader (autograder/hidden/references.py); the reference
never enters the kernel. Checked here:

* every test cell's ``uses`` names each graded function that its function's reference calls;
* in-process, on every test cell that uses other graded functions: with all of them replaced by
  functions that fail whenever they run, the cell passes with the setting (so no mistake in them
  can cost it anything) and fails without it; and with each catalogued mistake of a function it
  uses, the cell passes with the setting (the training cells, whose runs take seconds each with
  the setting, only with the failing functions);
* the grader side refuses what a kernel may not ask (another function, the tested one,
  unreadable or oversized requests) and the arrays kept on both sides stay the same;
* graded for real (nndl grade and plain nbgrader autograde, through the kernel's stdin
  channel): a catalogued mistake in a function that later ones call costs only its own test,
  the feedback says why the later tests passed, and a submission that asks for the reference of
  the function under test gets nothing. (Week 4 graded for real, with its training tests:
  benchmarks/alone.py, which takes minutes.)
"""

from __future__ import annotations

import importlib
import json
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest
from support import grading_corpus as gc
from support.notebook_harness import cells_of_tests, function_tested, run_test_with

from autograder.hidden import kernel
from autograder.hidden.cells import _student_names, declared_uses
from autograder.hidden.reference import reference_namespace, source_dir
from autograder.hidden.references import MAX_REQUEST, ReferenceCalls
from autograder.hidden.wire import Arrays, decode, encode, restore_in_place

NOTEBOOKS = {"week1": "week1/numpy_basics.ipynb", "week2": "week2/logistic_regression.ipynb",
             "week3": "week3/planar_classification.ipynb",
             "week4": "week4/deep_neural_network.ipynb"}
# Test cells that train a model: they call many functions, thousands of times.
TRAINING = {"model", "nn_model", "two_layer_model", "L_layer_model"}


def mistakes(week: str) -> dict:
    return importlib.import_module(f"catalogue.{week}").MISTAKES


def graded(notebook: str) -> tuple[str, ...]:
    path = source_dir() / notebook
    return _student_names(str(path), path.stat().st_mtime)


def cells_using_others():
    return [pytest.param(week, cell, id=f"{week}:{function_tested(cell)}")
            for week, notebook in NOTEBOOKS.items() for cell in cells_of_tests(notebook)
            if declared_uses(cell.source)]


def catalogue_cases():
    """(week, test cell, function it uses, that function's mistake): every catalogued mistake
    of every function that a test cell outside the training ones uses."""
    cases = []
    for week, notebook in NOTEBOOKS.items():
        for cell in cells_of_tests(notebook):
            if function_tested(cell) in TRAINING:
                continue
            for used in declared_uses(cell.source):
                for mistake in mistakes(week).get(used, []):
                    name = f"{week}:{function_tested(cell)}:{used}:{mistake.label}"
                    cases.append(pytest.param(week, cell, used, mistake, id=name))
    return cases


def failing(name: str) -> str:
    """A definition of ``name`` that fails whenever it runs."""
    return (f"def {name}(*args, **kwargs):\n"
            f"    raise AssertionError('the student\\'s own {name} ran')\n")


def names_called(function) -> set[str]:
    """The global names a function's code (nested code included) refers to."""
    found, codes = set(), [function.__code__]
    while codes:
        code = codes.pop()
        found.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return found


@pytest.mark.parametrize("week", list(NOTEBOOKS))
def test_uses_names_every_graded_function_the_reference_calls(week):
    notebook = NOTEBOOKS[week]
    path = source_dir() / notebook
    reference = reference_namespace(str(path), path.stat().st_mtime)
    functions = set(graded(notebook))
    checked = 0
    for cell in cells_of_tests(notebook):
        name = function_tested(cell)
        calls = (names_called(reference[name]) & functions) - {name}
        missing = calls - set(declared_uses(cell.source))
        assert not missing, (f"{week}: the test of {name} does not declare uses={sorted(missing)}"
                             ", which its reference calls")
        checked += bool(calls)
    assert checked, f"{week}: no test cell of a function that calls another graded function"


@pytest.mark.slow
@pytest.mark.parametrize("week, cell", cells_using_others())
def test_a_test_passes_alone_whatever_the_functions_it_uses_do(week, cell):
    notebook = NOTEBOOKS[week]
    broken = {name: failing(name) for name in declared_uses(cell.source)}
    run_test_with(notebook, cell, broken, alone=True)
    if function_tested(cell) not in TRAINING:  # without the setting (slow there): it fails
        with pytest.raises(AssertionError, match="First fix"):
            run_test_with(notebook, cell, broken, alone=False)


@pytest.mark.slow
@pytest.mark.parametrize("week, cell, used, mistake", catalogue_cases())
def test_each_catalogued_mistake_costs_a_later_test_nothing_alone(week, cell, used, mistake):
    run_test_with(NOTEBOOKS[week], cell, {used: mistake.code}, alone=True)


def test_catalogue_cases_cover_every_week():
    weeks = {case.values[0] for case in catalogue_cases()}
    assert weeks == set(NOTEBOOKS), weeks
    assert len(catalogue_cases()) > 100


# --- the grader side: what a kernel may ask ------------------------------------------------


def request(name, *args, arrays=None, **kwargs):
    packing = (arrays or Arrays()).packing(keep=True)
    text = json.dumps({"name": name, "args": encode(args, packing=packing),
                       "kwargs": encode(kwargs, packing=packing),
                       "state": encode(np.random.get_state())})
    return text, [bytes(b) for b in packing.buffers], packing


def answer(calls, allowed, text, buffers):
    reply, out = calls.answer(allowed, text, buffers)
    return json.loads(reply), out


@pytest.fixture
def week4_calls():
    return ReferenceCalls(source_dir() / NOTEBOOKS["week4"])


def test_the_grader_answers_only_the_functions_the_cell_uses(week4_calls):
    A, W, b = np.ones((2, 3)), np.ones((4, 2)), np.zeros((4, 1))
    text, buffers, _ = request("linear_forward", A, W, b)
    reply, out = answer(week4_calls, ("linear_forward",), text, buffers)
    Z, cache = decode(reply["result"], unpacking=Arrays().unpacking(out, keep=False))
    assert np.array_equal(Z, W @ A + b) and len(cache) == 3
    for allowed in [(), ("linear_activation_forward",)]:  # another cell's, the tested one's
        reply, _ = answer(week4_calls, allowed, text, buffers)
        assert "not of linear_forward" in reply["refused"], reply
    reply, _ = answer(week4_calls, ("linear_forward",), "{not json", [])
    assert "unreadable" in reply["refused"]
    reply, _ = answer(week4_calls, ("linear_forward",), text, [b"x" * (MAX_REQUEST + 1)])
    assert "too large" in reply["refused"]
    known = json.dumps({"name": "linear_forward", "args": {"t": "tuple", "v": [
        {"t": "known", "id": "0" * 64}]}, "kwargs": encode({}), "state": encode(None)})
    reply, _ = answer(week4_calls, ("linear_forward",), known, [])
    assert "unreadable" in reply["refused"]  # an array it never sent


def test_the_reference_s_error_and_random_state_come_back(week4_calls):
    text, buffers, _ = request("linear_forward", np.ones((2, 3)), np.ones((4, 5)), np.zeros(1))
    reply, _ = answer(week4_calls, ("linear_forward",), text, buffers)
    assert reply["error"]["builtin"] == "ValueError", reply
    np.random.seed(3)
    text, buffers, _ = request("initialize_parameters", 3, 2, 1)
    reply, out = answer(week4_calls, ("initialize_parameters",), text, buffers)
    np.random.seed(3)
    expected = reference_namespace(str(source_dir() / NOTEBOOKS["week4"]), (
        source_dir() / NOTEBOOKS["week4"]).stat().st_mtime)["initialize_parameters"](3, 2, 1)
    after = np.random.get_state()
    got = decode(reply["result"], unpacking=Arrays().unpacking(out, keep=False))
    assert all(np.array_equal(got[k], expected[k]) for k in expected)
    assert np.array_equal(decode(reply["state"])[1], after[1])


def test_large_arrays_travel_once_and_both_sides_keep_the_same(week4_calls):
    kernel_side = Arrays()
    X = np.random.default_rng(0).normal(size=(300, 200))  # 480 kB: kept
    W, b = np.ones((4, 300)), np.zeros((4, 1))
    sizes = []
    for _ in range(3):
        text, buffers, packing = request("linear_forward", X, W, b, arrays=kernel_side)
        reply, out = answer(week4_calls, ("linear_forward",), text, buffers)
        assert reply.get("kept")
        packing.commit()
        sizes.append(sum(len(b) for b in buffers) + sum(len(b) for b in out))
        Z, (A, _, _) = decode(reply["result"], unpacking=kernel_side.unpacking(out, keep=False))
        assert np.array_equal(A, X) and A is not X
    assert sizes[0] > X.nbytes > 10 * sizes[1] and sizes[1] == sizes[2]  # named, not sent
    assert set(kernel_side.kept) == set(week4_calls.arrays.kept)


def test_changes_to_arguments_are_made_in_place():
    W = np.zeros((2, 2))
    parameters = {"W1": W, "b1": 0.5}
    restore_in_place(parameters, {"W1": np.ones((2, 2)), "b1": 0.25, "W2": np.ones(1)})
    assert parameters["W1"] is W and W.sum() == 4  # another name for W sees the change
    assert parameters["b1"] == 0.25 and "W2" in parameters
    restore_in_place(parameters, {"W1": np.ones((3, 3))})  # another shape: replaced
    assert parameters["W1"].shape == (3, 3) and set(parameters) == {"W1"}


def test_without_the_setting_the_kernel_asks_nothing(monkeypatch):
    def own(x):
        return ("own", x)

    namespace = {"f": own}
    monkeypatch.delenv(kernel.ALONE_VARIABLE, raising=False)
    with kernel.references(namespace, ("f",)):
        assert namespace["f"] is own
    monkeypatch.setenv(kernel.ALONE_VARIABLE, "1")  # set, but no grader answers: no kernel here
    with kernel.references(namespace, ("f",)):
        assert namespace["f"] is not own and namespace["f"](np.ones(2))[0] == "own"
    assert namespace["f"] is own


# --- graded for real -----------------------------------------------------------------------

WEEKS = {"week1": ("numpy_basics", "sigmoid")}
ALONE = "\nc.LimitedExecute.grade_functions_alone = True\n"
ASKS_FOR_ITSELF = '''
def sigmoid_derivative(x):
    from autograder.hidden.kernel import reference_stand_in

    return reference_stand_in("sigmoid_derivative", None)(x)
'''


def alone_course(tmp_path: Path, week: str) -> Path:
    course = gc.course_copy(tmp_path / week)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + ALONE)
    made = gc.nbgrader(course, "generate_assignment", week, "--force")
    assert made.returncode == 0, made.stderr
    return course


@pytest.mark.slow
def test_graded_alone_a_mistake_costs_only_its_own_test(tmp_path):
    notebook, called = WEEKS["week1"]
    course = alone_course(tmp_path, "week1")
    wrong = gc.finished("week1", notebook, {called: mistakes("week1")[called][0].code})
    cheat = gc.finished("week1", notebook, {"sigmoid_derivative": ASKS_FOR_ITSELF})
    for student, nb in {"reference": gc.finished("week1", notebook), "wrong": wrong,
                        "cheat": cheat}.items():
        gc.submit(course, student, "week1", {f"{notebook}.ipynb": nb})
    # (sandboxed where bwrap works, as by default: the kernel talks over Unix sockets)
    run = gc.nndl(course, "grade", "week1", "--workers", "2", "--quiet")
    assert run.returncode == 0, run.stderr[-2000:]
    scores = gc.gradebook_scores(course, "week1")
    full = gc.points("week1", notebook)
    assert scores["reference"] == full
    assert scores["wrong"] == {**full, "test_sigmoid": 0}  # sigmoid_derivative keeps its point
    assert scores["cheat"] == {**full, "test_sigmoid_derivative": 0}
    autograded = course / "autograded"
    nb = nbformat.read(autograded / "wrong" / "week1" / f"{notebook}.ipynb", as_version=4)
    text = next(json.dumps(c.outputs) for c in nb.cells if c.metadata.get("nbgrader", {}).get(
        "grade_id") == "test_sigmoid_derivative")
    assert "Graded on its own: in this test, sigmoid returned the reference" in text
    nb = nbformat.read(autograded / "cheat" / "week1" / f"{notebook}.ipynb", as_version=4)
    text = next(json.dumps(c.outputs) for c in nb.cells if c.metadata.get("nbgrader", {}).get(
        "grade_id") == "test_sigmoid_derivative")
    assert "in this cell, not of sigmoid_derivative" in text

    # Plain nbgrader autograde reads the same setting: the same scores.
    plain = alone_course(tmp_path / "plain", "week1")
    gc.submit(plain, "wrong", "week1", {f"{notebook}.ipynb": wrong})
    run = gc.nbgrader(plain, "autograde", "week1")
    assert run.returncode == 0, run.stderr[-2000:]
    assert gc.gradebook_scores(plain, "week1")["wrong"] == scores["wrong"]
