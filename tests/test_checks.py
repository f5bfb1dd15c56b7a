"""utils.checks: each check passes a right value and names what is wrong with a wrong one."""

import numpy as np
import pytest

from utils.checks import (
    call,
    check_cache,
    check_close,
    check_finite,
    check_function,
    check_keys,
    check_output,
    check_shape,
    check_type,
)


def test_check_type_accepts_python_and_numpy_floats():
    check_type(1.5, float, "cost")
    check_type(np.float64(1.5), float, "cost")
    check_type(3, float, "cost")


def test_check_type_rejects_a_one_element_array_with_a_conversion_hint():
    with pytest.raises(AssertionError, match=r"(?s)cost should be a number.*float\(\.\.\.\)"):
        check_type(np.array([[0.5]]), float, "cost")


def test_check_type_rejects_a_list_where_an_array_is_expected():
    with pytest.raises(AssertionError, match="(?s)should be an ndarray.*np.array"):
        check_type([1, 2], np.ndarray, "s")


def test_check_shape_names_a_transposed_result():
    with pytest.raises(AssertionError, match=r"(?s)dw has shape \(1, 4\).*\(4, 1\).*transposed"):
        check_shape(np.zeros((1, 4)), (4, 1), "dw")


def test_check_shape_names_a_rank_one_array():
    with pytest.raises(AssertionError, match="(?s)1-D.*keepdims=True"):
        check_shape(np.zeros(4), (4, 1), "db")


def test_check_shape_names_a_missing_keepdims_axis():
    with pytest.raises(AssertionError, match="(?s)axis 1 of length 1 is missing.*keepdims"):
        check_shape(np.zeros((3, 5)), (3, 1, 5), "x")


def test_check_shape_names_a_reduction_over_the_wrong_axis():
    with pytest.raises(AssertionError, match="wrong axis"):
        check_shape(np.zeros((1, 5)), (3, 1), "norms")


def test_check_shape_names_accidental_broadcasting():
    with pytest.raises(AssertionError, match="broadcasting"):
        check_shape(np.zeros((4, 4)), (4, 1), "z")


def test_check_finite_reports_the_first_nan_index():
    with pytest.raises(AssertionError, match=r"NaN values \(first at index \(1, 0\)\)"):
        check_finite(np.array([[1.0, 2.0], [np.nan, 1.0]]), "s")


def test_check_close_reports_first_differing_index_and_tolerance():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    actual = expected.copy()
    actual[1, 0] = 3.5
    with pytest.raises(AssertionError) as failure:
        check_close(actual, expected, "A", rtol=1e-6, atol=0)
    message = str(failure.value)
    assert "index (1, 0)" in message and "got 3.5, expected 3" in message
    assert "1 of 4 entries differ" in message and "1e-06" in message


def test_check_close_accepts_values_within_tolerance():
    check_close(np.array([1.0, 2.0]) * (1 + 1e-9), np.array([1.0, 2.0]), "x", rtol=1e-6)


def test_check_close_names_a_missing_one_over_m():
    expected = np.array([0.1, -0.2, 0.3])
    with pytest.raises(AssertionError, match=r"(?s)times 50.*1/m"):
        check_close(expected * 50, expected, "dw")


def test_check_close_names_a_flipped_sign():
    expected = np.array([0.1, -0.2, 0.3])
    with pytest.raises(AssertionError, match="sign is flipped"):
        check_close(-expected, expected, "dw")


def test_check_close_names_a_transposed_square_matrix():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(AssertionError, match="transpose of the expected"):
        check_close(expected.T, expected, "W")


def test_check_close_names_a_catalogued_mistake():
    with pytest.raises(AssertionError, match="when you took the mean instead of the sum"):
        check_close(0.22, 1.1, "L1", mistakes={"took the mean instead of the sum": 0.22})


def test_check_close_does_not_name_a_mistake_that_does_not_match():
    with pytest.raises(AssertionError) as failure:
        check_close(0.3, 1.1, "L1", mistakes={"took the mean instead of the sum": 0.22})
    assert "mean" not in str(failure.value)


def test_check_keys_names_missing_and_unexpected_keys():
    with pytest.raises(AssertionError,
                       match=r"(?s)missing keys \['db'\].*unexpected keys \['dB'\]"):
        check_keys({"dw": 1, "dB": 2}, ["dw", "db"], "grads")


def test_check_output_compares_nested_structures():
    expected = ({"dw": np.array([[1.0], [2.0]]), "db": 0.5}, 0.25)
    check_output(({"dw": np.array([[1.0], [2.0]]), "db": 0.5}, 0.25), expected, "out")
    with pytest.raises(AssertionError, match=r'out\[0\]\["dw"\] has shape \(1, 2\)'):
        check_output(({"dw": np.array([[1.0, 2.0]]), "db": 0.5}, 0.25), expected, "out")


def test_check_output_rejects_integer_arrays_where_floats_are_expected():
    with pytest.raises(AssertionError, match="should hold floats"):
        check_output(np.array([1, 2]), np.array([1.0, 2.0]), "p")


def test_check_output_says_none_means_a_missing_return():
    with pytest.raises(AssertionError, match="missing `return`"):
        check_output(None, np.zeros(2), "s")


def test_call_detects_an_argument_changed_in_place():
    def normalise(x):
        x /= 2
        return x

    with pytest.raises(AssertionError, match=r"normalise\(x=<array \(3,\)>\) changed its "
                                             "argument x in place"):
        call(normalise, np.ones(3))


def test_call_turns_not_implemented_into_a_clear_message():
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="not written yet"):
        call(stub, 1.0)


def test_call_explains_math_functions_on_arrays():
    import math

    with pytest.raises(AssertionError, match="use np.exp"):
        call(lambda x: math.exp(x), np.ones(3), name="f")


@pytest.mark.parametrize("check, args", [
    (check_close, (1.0, 1.0, "x", 1e-3)),
    (check_output, (1.0, 1.0, "x", 1e-3)),
    (check_shape, (np.zeros(2), (2,), "x", False)),
    (check_function, (abs, (1.0,), 1.0, "abs", {})),
    (check_cache, ((1.0,), (1.0,), "cache", "(A,)")),
], ids=["check_close", "check_output", "check_shape", "check_function", "check_cache"])
def test_options_after_the_name_are_keyword_only(check, args):
    with pytest.raises(TypeError, match="positional argument"):
        check(*args)


def test_check_function_returns_the_result_when_correct():
    out = check_function(np.tanh, (np.zeros(2),), expected=np.zeros(2))
    assert isinstance(out, np.ndarray) and out.shape == (2,)


def test_call_names_the_dict_entries_changed_in_place():
    def update(parameters):
        parameters["W1"] -= 1.0
        return parameters

    with pytest.raises(AssertionError, match=r"(?s)entries \['W1'\].*build a new dict"):
        call(update, {"W1": np.ones(2), "b1": np.zeros(1)})


def test_check_output_passes_mistakes_down_to_dict_entries():
    expected = {"dW1": np.array([1.0, 2.0]), "db1": np.array([0.5])}
    actual = {"dW1": np.array([3.0, 6.0]), "db1": np.array([0.5])}
    with pytest.raises(AssertionError, match=r'grads\["dW1"\].*\n.*\n.*forgot the 1/m'):
        check_output(actual, expected, "grads",
                     mistakes={"dW1": {"forgot the 1/m": np.array([3.0, 6.0])}})


def test_integers_that_differ_are_reported_without_a_float_tolerance():
    with pytest.raises(AssertionError) as failure:
        check_close(np.array([[1, 0, 1]]), np.array([[1, 1, 1]]), "predictions")
    message = str(failure.value)
    assert "index (0, 1): got 0, expected 1" in message and "1 of 3 entries differ" in message
    assert "tolerance" not in message
    with pytest.raises(AssertionError) as failure:
        check_output((2, 4, 1), (2, 5, 1), "sizes")
    assert "sizes[1] is wrong: got 4, expected 5." in str(failure.value)
    assert "tolerance" not in str(failure.value)


def test_a_float_compared_with_an_integer_keeps_its_tolerance_line():
    with pytest.raises(AssertionError, match=r"tolerance 1e-09 \+ 1e-06"):
        check_close(np.array([0.7, 0.2]), np.array([1, 0]), "A")


@pytest.mark.parametrize("value, found", [
    (np.array([[True, False, True]]), "but they are booleans: convert with .astype(int)."),
    (np.array([[1.0, 0.0, 1.0]]), "but they are floats (float64): convert with .astype(int)."),
])
def test_labels_0_or_1_must_be_integers_not_booleans_or_floats(value, found):
    with pytest.raises(AssertionError) as failure:
        check_output(value, np.array([[1, 0, 1]]), "predictions")
    assert str(failure.value) == f"predictions should be integers 0 or 1 (dtype int), {found}"


def test_a_wrong_value_is_reported_before_a_wrong_dtype():
    with pytest.raises(AssertionError, match="index \\(0, 0\\): got 0.9, expected 1"):
        check_output(np.array([[0.9, 0.3]]), np.array([[1, 0]]), "predictions")


def test_integer_results_accept_any_integer_dtype():
    check_output(np.array([[1, 0]], dtype=np.int32), np.array([[1, 0]]), "predictions")
    check_output(np.arange(4, dtype=np.uint8), np.arange(4), "x_flat")
    with pytest.raises(AssertionError, match="should be integers \\(dtype int\\), but they have "
                                             "dtype float64"):
        check_output(np.arange(4.0), np.arange(4), "x_flat")


@pytest.mark.parametrize("value, hint", [
    ({"dw": 1, "dB": 2}, "'dB' is spelt differently from 'db'"),
    ({"W1": 1, "b1": 2, "W2": 3, "b2": 4}, "stop one layer early"),
    ({"W1": 1, "W2": 3, "b2": 4, "W3": 5, "b3": 6}, None),  # b1 missing: not the last layer
    ({"W1": 1}, None),  # no layered keys asked for but W1: nothing to say
], ids=["case", "last layer", "a middle key", "unrelated"])
def test_check_keys_hints_only_what_the_keys_show(value, hint):
    keys = (["dw", "db"] if "dw" in value else
            ["W1", "b1", "W2", "b2", "W3", "b3"] if "W1" in value and len(value) > 1 else ["x"])
    with pytest.raises(AssertionError) as failure:
        check_keys(value, keys, "d")
    message = str(failure.value)
    if hint is None:
        assert "Hint" not in message, message
    else:
        assert hint in message, message
