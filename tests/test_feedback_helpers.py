"""The helpers that shape what a student sees: CheckFailure, tests_for, check_returns."""

import re

import numpy as np
import pytest

from utils import checks
from utils.checks import (
    WIDTH,
    CheckFailure,
    call,
    check_cache,
    check_close,
    check_output,
    check_python_float,
    check_returns,
    check_shape,
    render_message,
    require_passed,
    tests_for,
)


def plain(lines):
    return [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]


@pytest.fixture(autouse=True)
def fresh_status():
    saved = dict(checks.STATUS)
    checks.STATUS.clear()
    yield
    checks.STATUS.clear()
    checks.STATUS.update(saved)


def test_a_failed_check_renders_as_its_message_alone():
    with pytest.raises(CheckFailure) as failure:
        check_close(np.array([1.0, 2.0]), np.array([1.0, 3.0]), "f(x)",
                    mistakes={"forgot the bias": np.array([1.0, 2.0])})
    lines = plain(failure.value._render_traceback_())
    assert lines[0] == "f(x) is wrong at index (1,): got 2, expected 3."
    assert lines[-1] == "Hint: this is the result you get when you forgot the bias."
    assert not any("Traceback" in line or "File " in line for line in lines)


def test_rendered_lines_fit_nbgrader_validate_width():
    message = "x " * 200 + "\nHint: " + "y " * 200
    lines = plain(render_message(message))
    assert all(len(line) <= WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines).split() == message.split()


def test_the_first_paragraph_is_highlighted_and_the_hints_are_not():
    lines = render_message("what is wrong\nHint: why")
    assert lines[0].startswith("\x1b[1;31m") and not lines[1].startswith("\x1b")


def test_tests_for_prints_success_and_records_it(capsys):
    with tests_for("sigmoid"):
        check_close(0.5, 0.5, "s")
    assert capsys.readouterr().out == "All public tests passed.\n"
    assert checks.STATUS == {"sigmoid": True}


def test_tests_for_records_a_failure():
    with pytest.raises(CheckFailure):
        with tests_for("sigmoid"):
            check_close(0.4, 0.5, "s")
    assert checks.STATUS == {"sigmoid": False}


def test_tests_for_blames_a_used_function_whose_test_failed_first():
    checks.STATUS["propagate"] = False
    with pytest.raises(CheckFailure) as failure:
        with tests_for("optimize", uses=("propagate",)):
            check_close(0.4, 0.5, "w")
    first, second = str(failure.value).splitlines()[:2]
    assert first.startswith("First fix propagate:")
    assert second.startswith("w is wrong")


def test_tests_for_blames_a_used_function_whose_test_was_not_run():
    checks.STATUS["propagate"] = True
    with pytest.raises(CheckFailure, match="^First fix sigmoid:"):
        with tests_for("optimize", uses=("propagate", "sigmoid")):
            check_close(0.4, 0.5, "w")


def test_tests_for_does_not_blame_functions_that_passed():
    checks.STATUS["propagate"] = True
    with pytest.raises(CheckFailure) as failure:
        with tests_for("optimize", uses=("propagate",)):
            check_close(0.4, 0.5, "w")
    assert "First fix" not in str(failure.value)


def test_tests_for_turns_a_raw_error_into_one_message_without_a_guessed_hint():
    """An error in code that is not the student's (here the test's own) gets no hint: no rule
    can see the student's line it would be about."""
    with pytest.raises(CheckFailure) as failure:
        with tests_for("propagate"):
            grads, cost = (1.0, 2.0, 3.0)  # noqa: F841 (the error is the point)
    message = str(failure.value)
    assert message == "testing propagate raised ValueError: too many values to unpack (expected 2)"


def test_tests_for_lets_keyboard_interrupt_through():
    with pytest.raises(KeyboardInterrupt):
        with tests_for("slow"):
            raise KeyboardInterrupt


def test_check_returns_gives_back_the_values():
    grads, cost = check_returns(({"dw": 1}, 0.5), "propagate", grads=dict, cost=float)
    assert grads == {"dw": 1} and cost == 0.5


def test_check_returns_names_a_swapped_tuple():
    with pytest.raises(CheckFailure, match=r"(?s)wrong order.*`return grads, cost`"):
        check_returns((0.5, {"dw": 1}), "propagate", grads=dict, cost=float)


def test_check_returns_names_a_dict_returned_instead_of_a_tuple():
    with pytest.raises(CheckFailure, match=r"returned a dict, not a tuple \(grads, cost\)"):
        check_returns({"dw": 1}, "propagate", grads=dict, cost=float)


def test_check_returns_counts_the_values():
    with pytest.raises(CheckFailure, match="returned 3 values; it should return 2"):
        check_returns((1, 2, 3), "f", a=None, b=None)


def test_check_returns_names_the_wrong_item_and_its_type():
    with pytest.raises(CheckFailure, match=r"returned an ndarray .* as cost \(value number 2\)"):
        check_returns(({}, np.array([0.5])), "propagate", grads=dict, cost=float)


def test_check_returns_reports_a_missing_return():
    with pytest.raises(CheckFailure, match="missing `return`"):
        check_returns(None, "f", a=None, b=None)


def test_check_returns_takes_any_value_name_even_name_or_result():
    assert check_returns(("x", 2), "f", name=str, result=int) == ("x", 2)


def test_a_rank_1_result_gets_keepdims_advice_only_when_it_comes_from_a_sum():
    with pytest.raises(CheckFailure, match="keepdims"):
        check_shape(np.zeros(3), (3, 1), "db")
    with pytest.raises(CheckFailure) as failure:
        check_shape(np.zeros(3), (3, 1), "v", keepdims_hint=False)
    assert "keepdims" not in str(failure.value) and "reshape it to (3, 1)" in str(failure.value)


def test_summed_reaches_the_shape_check_through_check_output():
    with pytest.raises(CheckFailure) as failure:
        check_output(np.zeros(3), np.zeros((3, 1)), "v", keepdims_hint=False)
    assert "keepdims" not in str(failure.value)


def test_a_stub_is_reported_as_not_written_yet():
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match="stub is not written yet"):
        call(stub, 1)


def test_check_cache_names_items_in_the_wrong_order():
    A, W, b = np.ones((3, 2)), np.full((4, 3), 2.0), np.zeros((4, 1))
    with pytest.raises(CheckFailure, match=r"right items in the wrong order: it should be \(A, W"):
        check_cache((W, A, b), (A, W, b), "cache", layout="(A, W, b)")


def test_check_cache_counts_the_items():
    A, W, b = np.ones((3, 2)), np.full((4, 3), 2.0), np.zeros((4, 1))
    with pytest.raises(CheckFailure, match="should be the tuple \\(A, W, b\\) of 3 items"):
        check_cache((A, W), (A, W, b), "cache", layout="(A, W, b)")


def test_check_cache_accepts_the_right_cache_and_compares_values():
    A, W, b = np.ones((3, 2)), np.full((4, 3), 2.0), np.zeros((4, 1))
    check_cache((A, W, b), (A, W, b), "cache", layout="(A, W, b)")
    with pytest.raises(CheckFailure, match=r"cache\[1\] is wrong"):
        check_cache((A, W + 1, b), (A, W, b), "cache", layout="(A, W, b)")


def test_an_index_error_in_a_students_function_gets_a_hint():
    def backward(caches):
        return caches[len(caches)]

    with pytest.raises(CheckFailure) as failure:
        call(backward, [1, 2])
    assert str(failure.value).splitlines()[1:] == [
        f"  in backward, line {backward.__code__.co_firstlineno + 1}: return caches[len(caches)]",
        "  caches has 2 items (the last: caches[1]); the index is 2",
        "Hint: indices start at 0: the last of the 2 items is caches[1].",
    ]


def test_check_python_float_rejects_ints_and_numpy_numbers_with_their_own_hints():
    check_python_float(0.0, "b")
    with pytest.raises(CheckFailure, match=r"(?s)should be a Python float, but it is an int.*0\.0"):
        check_python_float(0, "b")
    with pytest.raises(CheckFailure, match=r"(?s)numpy float64.*float\(\.\.\.\)"):
        check_python_float(np.float64(0.5), "cost")
    with pytest.raises(CheckFailure, match="array holding one number"):
        check_python_float(np.array([0.5]), "cost")


def test_call_gives_a_tests_own_error_hint_when_the_line_gives_none():
    def optimize():
        _cost, grads = {"dw": 1}, 0.5
        return grads["dw"]

    with pytest.raises(CheckFailure, match="Hint: propagate returns grads first"):
        call(optimize, error_hints={"not subscriptable": "propagate returns grads first"})


def test_call_prefers_what_the_failing_line_shows_to_a_tests_own_error_hint():
    def model(params):
        return params["W"]  # the dict has "w"

    with pytest.raises(CheckFailure) as failure:
        call(model, {"w": 1, "b": 2}, error_hints={"KeyError": "unpack optimize in order"})
    assert str(failure.value).endswith("Hint: did you mean 'w'?")


def test_require_passed_lets_a_cell_run_when_the_tests_passed():
    checks.STATUS.update({"model": True, "predict": True})
    require_passed("model", "predict")


def test_require_passed_names_the_functions_to_fix_first():
    checks.STATUS.update({"model": False, "predict": True})
    with pytest.raises(CheckFailure, match="^First fix model: this cell uses it, and its own"):
        require_passed("model", "predict")


def test_require_passed_counts_a_test_that_was_not_run_as_not_passed():
    with pytest.raises(CheckFailure, match="First fix nn_model, predict: this cell uses them"):
        require_passed("nn_model", "predict")


def test_require_passed_points_to_the_first_failing_test_above():
    checks.STATUS.update({"linear_backward": False, "L_layer_model": False})
    with pytest.raises(CheckFailure) as failure:
        require_passed("L_layer_model")
    assert "first failing test above is the one of linear_backward" in str(failure.value)
