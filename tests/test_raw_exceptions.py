"""A student's function that raises gets a message that says where, and a hint only when the
failing line and its values support it; a test whose dependency has not passed (or changed since
it passed) blames that one and gives no hint about the function under test.

The raw-exception catalogue lives in tests/catalogue/raw_weekN.py (see
tests/support/raw_mistakes.py); the kernel tests at the end run a release notebook for real.
"""

import importlib
import itertools
import linecache
import re

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from support.notebook_harness import run_case
from test_feedback_helpers import fresh_status, plain  # noqa: F401 (fresh_status: a fixture)
from test_student_experience import REPO, with_answers

from autograder.hidden.reference import is_test_cell, nbgrader_meta
from utils import checks
from utils.checks import WIDTH, CheckFailure, call, failure_message, require_passed, tests_for

RAW_WEEKS = [importlib.import_module(f"catalogue.raw_week{n}") for n in range(1, 5)]
RAW_CASES = [pytest.param(w.NOTEBOOK, fn, m, id=f"{w.NOTEBOOK}:{fn}:{m.label}")
             for w in RAW_WEEKS for fn, ms in w.RAW.items() for m in ms]
MAX_LINES = 10


def test_every_week_catalogues_five_raw_mistakes_or_more():
    assert [w.NOTEBOOK.split("/")[0] for w in RAW_WEEKS] == [f"week{n}" for n in range(1, 5)]
    for week in RAW_WEEKS:
        assert sum(len(ms) for ms in week.RAW.values()) >= 5, week.NOTEBOOK
    # and some where no rule can tell the cause, so that "no hint" stays tested
    assert sum(m.hint is None for w in RAW_WEEKS for ms in w.RAW.values() for m in ms) >= 3


@pytest.mark.parametrize("notebook, function, mistake", RAW_CASES)
def test_a_raised_error_says_where_and_hints_only_what_the_line_supports(
        notebook, function, mistake):
    with pytest.raises(CheckFailure) as failure:
        run_case(notebook, function, mistake.code, hidden=False)
    message = str(failure.value)
    lines = message.splitlines()
    assert lines[0].startswith(f"{function}(") and " raised " in lines[0], message
    # where: "  in f, line N: <code>" (N exact when f is written in the answer itself)
    raised_in, text = mistake.where.split(": ", 1)
    code_lines = [line.strip() for line in mistake.code.splitlines()]
    matching = [i + 1 for i, line in enumerate(code_lines) if line.startswith(text)]
    number = r"\d+"
    if f"def {raised_in}(" in mistake.code:
        assert matching, f"{text!r} is no line of the answer"
        number = str(matching[0])
    found = [re.match(rf"  in {raised_in}, line ({number}): (.*)$", line) for line in lines]
    found = [m for m in found if m]
    assert found, f"no line 'in {raised_in}, line {number}: ...' in:\n{message}"
    shown = found[0].group(2).removesuffix("...")
    assert text.startswith(shown) or shown.startswith(text), (shown, text)
    hints = [line for line in lines if line.startswith("Hint: ")]
    if mistake.hint is None:
        assert "Hint" not in message, message
    else:
        assert len(hints) == 1 and mistake.hint in hints[0], message
    rendered = plain(failure.value._render_traceback_())
    assert len(rendered) <= MAX_LINES, "\n".join(rendered)
    assert all(len(line) <= WIDTH for line in rendered), "\n".join(rendered)


# --- in-process: code compiled as IPython compiles a cell ----------------------------------

CELLS = itertools.count(1)


def run_cell(source, namespace):
    """Run ``source`` as IPython runs a cell: its own file name, its lines in linecache."""
    filename = f"<ipython-input-{next(CELLS)}-0123456789ab>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


SQUARE = "def square(x):\n    return x * x\n"
SQUARE_TEST = 'with tests_for("square"):\n    assert call(square, 3.0) == 9.0\n'
SUM_TEST = ('with tests_for("sum_of_squares", uses=("square",)):\n'
            '    assert call(sum_of_squares, np.array([1.0, 2.0])) == 5.0\n')
SUM = "def sum_of_squares(v):\n    return float(np.sum(square(v)))\n"


@pytest.fixture
def kernel():
    return {"__name__": "__main__", "np": np, "call": call, "tests_for": tests_for,
            "require_passed": require_passed}


def test_a_pass_holds_while_the_function_is_the_one_that_passed(kernel):
    for cell in (SQUARE, SQUARE_TEST, SQUARE, SUM, SUM_TEST):  # SQUARE run again, unchanged
        run_cell(cell, kernel)
    assert isinstance(checks.STATUS["square"], str) and checks.STATUS["sum_of_squares"]


def test_a_function_changed_since_its_test_passed_is_blamed_as_changed(kernel):
    for cell in (SQUARE, SQUARE_TEST, "def square(x):\n    return x + x\n", SUM):
        run_cell(cell, kernel)
    with pytest.raises(CheckFailure) as failure:
        run_cell(SUM_TEST, kernel)
    first, *rest = str(failure.value).splitlines()
    assert first == ("First fix square: this test calls it, and it changed since its test "
                     "passed: run its test again.")
    assert len(rest) == 1 and "Hint" not in str(failure.value)
    with pytest.raises(CheckFailure, match="^First fix square: this cell uses it, and it changed"):
        run_cell('require_passed("square")\n', kernel)


def test_a_failed_dependency_leaves_one_line_of_what_failed_and_no_hint(kernel):
    broken = "def square(x):\n    return np.dot(x, np.ones((3, 1)))\n"
    for cell in (broken, SUM):
        run_cell(cell, kernel)
    checks.STATUS["square"] = True  # as if it had passed: the error gets a hint
    with pytest.raises(CheckFailure, match="Hint: "):
        run_cell(SUM_TEST, kernel)
    checks.STATUS["square"] = False
    with pytest.raises(CheckFailure) as failure:
        run_cell(SUM_TEST, kernel)
    assert str(failure.value).splitlines() == [
        "First fix square: this test calls it, and its own test has not passed yet.",
        "sum_of_squares(v=<array (2,)>) raised ValueError: shapes (2,) and (3,1) not aligned: "
        "2 (dim 0) != 3 (dim 0)",
    ]


def test_a_passed_function_that_fails_on_its_callers_arguments_points_to_the_caller(kernel):
    run_cell("def unpack(cache):\n    A, W, b = cache\n    return A\n", kernel)
    checks.STATUS["unpack"] = checks.cells.fingerprint(kernel["unpack"])
    run_cell("def layer(cache):\n    return unpack(cache[:2])\n", kernel)
    with pytest.raises(CheckFailure) as failure:
        call(kernel["layer"], (1, 2, 3))
    lines = str(failure.value).splitlines()
    assert lines[1:] == [
        "  in unpack, line 2: A, W, b = cache",
        "  from layer, line 2: return unpack(cache[:2])",
        "Hint: unpack was given a cache of 2 values; it unpacks 3: check what layer passes "
        "as cache (line 2 of layer).",
    ]


def test_a_function_that_passed_gets_no_advice_to_change_it(kernel):
    run_cell("def unpack(cache):\n    A, W, b = cache\n    return A\n", kernel)
    checks.STATUS["unpack"] = checks.cells.fingerprint(kernel["unpack"])
    with pytest.raises(CheckFailure) as failure:  # called by a test, not by the student's code
        call(kernel["unpack"], (1, 2))
    assert str(failure.value).splitlines()[1:] == ["  in unpack, line 2: A, W, b = cache"]


def test_an_error_outside_the_students_code_gets_no_hint():
    with pytest.raises(CheckFailure) as failure:
        call(np.dot, np.ones((2, 3)), np.ones((2, 3)), name="np.dot")
    assert "Hint" not in str(failure.value) and "\n" not in str(failure.value)


def test_the_graders_stand_in_for_a_students_function_is_never_quoted():
    """Grading replays the student's errors through stand-ins written in autograder/: the
    message must not show their lines as the student's."""
    from autograder.hidden import judge

    source = "def replayed(*args):\n    raise ValueError('not enough values to unpack')\n"
    namespace = {}
    exec(compile(source, judge.__file__, "exec"), namespace)
    with pytest.raises(CheckFailure) as failure:
        call(namespace["replayed"], (1, 2), name="linear_backward")
    assert str(failure.value) == ("linear_backward((1, 2)) raised ValueError: not enough "
                                  "values to unpack")


def test_an_error_in_the_test_cell_itself_names_its_line(kernel):
    try:
        run_cell("cost = np.ones(3)\nprint(f'{cost:.6f}')\n", kernel)
    except TypeError as error:
        message = failure_message("compute_cost", error)
    assert message.splitlines()[1] == "  in the test cell, line 2: print(f'{cost:.6f}')"
    assert "Hint" not in message


def test_call_labels_name_the_parameters_and_describe_arrays(kernel):
    run_cell("def scale(A, factor, activation='relu'):\n    A *= factor\n    return A\n", kernel)
    with pytest.raises(CheckFailure) as failure:
        call(kernel["scale"], np.ones((4, 5)), 2.0)
    assert str(failure.value).startswith(
        "scale(A=<array (4, 5)>, factor=2) changed its argument A in place.")


def test_a_math_function_on_an_array_is_named_only_when_the_line_calls_it(kernel):
    run_cell("import math\ndef f(x):\n    return math.exp(x)\ndef g(x):\n    return float(x)\n",
             kernel)
    with pytest.raises(CheckFailure, match="Hint: math.exp works on one number at a time"):
        call(kernel["f"], np.ones(3))
    with pytest.raises(CheckFailure) as failure:
        call(kernel["g"], np.ones(3))
    assert "math" not in str(failure.value).split("Hint: ")[1]
    assert "x is an array of shape (3,) (3 numbers)" in str(failure.value)


# --- in a real kernel: the release notebook of week 4, cells run in the order a student might ---

NOTEBOOK = "week4/deep_neural_network.ipynb"
WRONG_LINEAR_FORWARD = ("def linear_forward(A, W, b):\n    Z = np.dot(W, A)  # the bias forgotten\n"
                        "    return Z, (A, W, b)\n")


@pytest.fixture(scope="module")
def kernel_run():
    """Run: linear_forward's test (passes); its cell again, unchanged; linear_activation_forward
    and its test (passes); a wrong linear_forward; linear_activation_forward's test (changed);
    linear_forward's test (fails); linear_activation_forward's test (failed dependency)."""
    nb = with_answers(NOTEBOOK, {})
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells]
    test_lf = ids.index("test_linear_forward")
    test_laf = ids.index("test_linear_activation_forward")
    cells = nb.cells[:test_laf + 1]
    extra = [nbformat.v4.new_code_cell(WRONG_LINEAR_FORWARD), nb.cells[test_laf].copy(),
             nb.cells[test_lf].copy(), nb.cells[test_laf].copy()]
    cells.insert(test_lf + 1, nb.cells[ids.index("linear_forward")].copy())
    nb.cells = [c for c in cells if c.cell_type == "code"] + extra
    NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO / "release" / "week4")}}).execute()
    tests = [c for c in nb.cells if is_test_cell(c)]
    return [next((plain(o.traceback) for o in c.outputs if o.output_type == "error"), None)
            for c in tests]


@pytest.mark.slow
def test_kernel_a_pass_survives_running_the_same_cell_again(kernel_run):
    *_, lf, laf, laf_changed, lf_again, laf_failed = kernel_run
    assert lf is None and laf is None, (lf, laf)


@pytest.mark.slow
def test_kernel_blames_a_function_changed_since_its_test_passed(kernel_run):
    lines = kernel_run[-3]
    assert lines is not None
    shown = " ".join(line.strip() for line in lines)
    assert shown.startswith("First fix linear_forward: this test calls it, and it changed since "
                            "its test passed: run its test again."), lines
    assert "Hint" not in shown, lines


@pytest.mark.slow
def test_kernel_a_failed_dependency_shows_no_hint(kernel_run):
    assert kernel_run[-2] is not None  # linear_forward's own test fails, with its own hint
    lines = kernel_run[-1]
    shown = " ".join(line.strip() for line in lines)
    assert shown.startswith("First fix linear_forward: this test calls it, and its own test has "
                            "not passed yet."), lines
    assert "Hint" not in shown and len(lines) <= 4, lines
