"""check_costs: a wrong cost curve names the step to suspect (before the first update, or the
update step, with the way the costs move), or the catalogued mistake whose curve it is."""

import re
from pathlib import Path

import nbformat
import pytest
from catalogue import week4
from nbclient import NotebookClient
from support.notebook_harness import reference_code

from autograder.hidden.reference import is_solution_cell, is_test_cell, nbgrader_meta
from utils.checks import WIDTH, CheckFailure, check_costs

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 10  # what a student sees of a failure, after wrapping (as in test_catalogue.py)

EXPECTED = [0.6930904343, 0.5762729567, 0.2777297584]  # two_layer_model's, ex.TWO_COSTS
OPTIONS = dict(steps=[0, 100, 200], rtol=1e-5, model="two_layer_model",
               start=("initialize_parameters", "linear_activation_forward", "compute_cost"),
               step=("dA2", "linear_activation_backward", "update_parameters"))
CLEARED = ("costs[0], before any update, is right: that clears initialize_parameters, "
           "linear_activation_forward and compute_cost, as called by two_layer_model.")
SUSPECTS = "Suspects: dA2, linear_activation_backward and update_parameters"


def failure(costs, expected=EXPECTED, **options) -> CheckFailure:
    with pytest.raises(CheckFailure) as caught:
        check_costs(costs, expected, "costs", **{**OPTIONS, **options})
    return caught.value


def shown(error: CheckFailure) -> list[str]:
    return [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in error._render_traceback_()]


def test_a_curve_within_the_tolerance_passes():
    check_costs([0.6930904343, 0.5762729567 * (1 + 5e-6), 0.2777297584], EXPECTED, "costs",
                **OPTIONS)


def test_a_wrong_first_cost_suspects_what_runs_before_the_first_update():
    message = str(failure([0.6869112038, 0.2587287693, 0.1428086895]))
    assert message.startswith("costs[0], before any update, is wrong: got 0.6869112")
    assert ("the suspects are initialize_parameters, linear_activation_forward and "
            "compute_cost, as called by two_layer_model") in message
    assert "a seed of your own" in message
    assert "Suspects:" not in message and "clears" not in message


def test_an_infinite_first_cost_points_to_the_order_of_the_cost_arguments():
    message = str(failure([float("inf")] * 3))
    assert message.startswith("costs[0], before any update, is wrong: got inf")
    assert "np.log(0)" in message and "right order" in message


def test_costs_that_rise_after_a_right_first_cost_clear_forward_and_suspect_the_step():
    message = str(failure([0.6930904343, 70.62649781, 80.0]))
    assert message.startswith("costs[1], at iteration 100, is wrong: got 70.626498")
    assert CLEARED in message
    assert "the costs then rise (0.69309 -> 70.6265, expected 0.576273)" in message
    assert "flipped sign" in message and "far too large learning rate" in message
    assert SUSPECTS in message


def test_costs_that_stay_flat_say_the_parameters_do_not_change():
    message = str(failure([0.6930904343] * 3))
    assert CLEARED in message
    assert "the costs then stay flat" in message
    assert "keep what the update returns (parameters = ...)" in message
    assert SUSPECTS in message


def test_costs_that_fall_too_slowly_suspect_the_gradient_or_the_learning_rate():
    message = str(failure([0.6930904343, 0.6917983982, 0.6852209644]))  # dA2 = A2 - Y
    assert CLEARED in message
    assert "the costs then fall too slowly" in message
    assert "a wrong gradient" in message and "another learning rate" in message
    assert SUSPECTS in message


def test_costs_that_fall_too_fast_suspect_a_too_large_step():
    message = str(failure([0.6930904343, 0.03, 0.01]))
    assert "the costs then fall too fast" in message and "a missing 1/m" in message


def test_costs_that_become_nan_are_steps_uphill():
    message = str(failure([0.6930904343, float("nan"), float("nan")]))
    assert message.startswith("costs[1], at iteration 100, is wrong: got nan")
    assert "the costs then become nan" in message and "the steps go uphill" in message


def test_a_later_departure_names_its_iteration_and_every_cost_that_is_right():
    message = str(failure([0.6930904343, 0.5762729567, 0.35]))
    assert message.startswith("costs[2], at iteration 200, is wrong: got 0.35")
    assert "costs[0] to costs[1] are right: that clears" in message
    assert "(0.576273 -> 0.35, expected 0.27773)" in message


def test_the_direction_is_read_from_the_last_right_cost_not_the_first():
    # costs[1] is right; costs[2] is above it: rising, although still below costs[0]
    message = str(failure([0.6930904343, 0.5762729567, 0.6]))
    assert "the costs then rise (0.576273 -> 0.6" in message


def test_a_catalogued_mistake_is_named_instead_of_the_step():
    mistakes = {"used the default learning rate 0.0075 instead of the argument learning_rate":
                [0.6930904343, 0.6928008802, 0.6924789235]}
    message = str(failure([0.6930904343, 0.6928008802, 0.6924789235], mistakes=mistakes))
    assert message.startswith("costs[1], at iteration 100, is wrong")
    assert ("this is the result you get when you used the default learning rate 0.0075 "
            "instead of the argument learning_rate.") in message
    assert "clears" not in message and "Suspects" not in message


def test_a_mistake_whose_curve_does_not_match_is_not_named():
    mistakes = {"did something else": [0.6930904343, 0.6, 0.5]}
    message = str(failure([0.6930904343, 0.6917983982, 0.6852209644], mistakes=mistakes))
    assert "did something else" not in message and "fall too slowly" in message


def test_a_curve_of_another_length_says_which_iterations_are_expected():
    message = str(failure([0.6930904343]))
    assert message.startswith("costs holds 1 cost, but should hold 3: those of iterations 0, "
                              "100 and 200.")
    assert "num_iterations" in message


def test_a_catalogued_mistake_of_another_length_is_named():
    mistakes = {"called optimize without num_iterations": [0.6930904343]}
    message = str(failure([0.6930904343], mistakes=mistakes))
    assert "this is the result you get when you called optimize without" in message


def test_costs_that_are_not_a_list_of_numbers_are_named():
    assert "should be a list of costs" in str(failure(None))
    assert "should be a list of numbers" in str(failure([[0.69], [0.57], [0.27]]))
    assert "should be a list of numbers" in str(failure([0.69, None, 0.27]))


def test_without_steps_the_records_are_numbered_and_the_defaults_name_the_stages():
    with pytest.raises(CheckFailure) as caught:
        check_costs([0.7, 0.7], [0.7, 0.6], "costs")
    message = str(caught.value)
    assert message.startswith("costs[1], at iteration 1, is wrong")
    assert "that clears the initial parameters, forward propagation and the cost" in message
    assert "Suspects: backward propagation and the update" in message


@pytest.mark.parametrize("costs", [
    [0.6964772514] * 3,  # flat, the longest hint
    [0.6964772514, float("nan"), float("nan")],
    [0.6964772514, 0.6964, 0.6963],
    [float("inf")] * 3,
    [0.69, 0.6, 0.5],
])
def test_every_message_is_short_with_the_longest_names(costs):
    options = dict(steps=[0, 100, 200], rtol=1e-5, model="L_layer_model",
                   start=("initialize_parameters_deep", "L_model_forward", "compute_cost"),
                   step=("L_model_backward", "update_parameters"))
    lines = shown(failure(costs, [0.6964772514, 0.5681625287, 0.3911163986], **options))
    assert len(lines) <= MAX_LINES, "\n".join(lines)
    assert all(len(line) <= WIDTH for line in lines), "\n".join(lines)
    assert not lines[0].startswith("Hint")


# --- in a real kernel ------------------------------------------------------------------------


def _up_to_test_cell(notebook: str, answers: dict[str, str], last: str):
    """release/<notebook>, cut after the test cell ``last``, with the reference answer in each
    solution cell except the ones in ``answers`` (grade_id -> code)."""
    nb = nbformat.read(REPO / "release" / notebook, as_version=4)
    cells = []
    for cell in nb.cells:
        if is_solution_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            cell.source = answers.get(grade_id, reference_code(notebook, grade_id))
        cells.append(cell)
        if is_test_cell(cell) and nbgrader_meta(cell)["grade_id"] == last:
            break
    nb.cells = cells
    return nb


@pytest.mark.slow
def test_a_wrong_dA2_in_a_kernel_clears_the_forward_pass_and_suspects_the_backward():
    mistake = next(m for m in week4.MISTAKES["two_layer_model"] if m.label == "dA2 = A2 - Y")
    nb = _up_to_test_cell(week4.NOTEBOOK, {"two_layer_model": mistake.code},
                          "test_two_layer_model")
    NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(REPO / "release" / "week4")}}).execute()
    errors = {nbgrader_meta(c)["grade_id"]: o for c in nb.cells if is_test_cell(c)
              for o in c.outputs if o.output_type == "error"}
    assert list(errors) == ["test_two_layer_model"], list(errors)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line)
             for line in errors["test_two_layer_model"].traceback]
    text = " ".join(" ".join(lines).split())
    assert lines[0].startswith("costs[1], at iteration 100, is wrong: got 0.6917984"), lines
    assert CLEARED in text, text
    assert "the costs then fall too slowly" in text, text
    assert f"{SUSPECTS}, as called by two_layer_model" in text, text
    assert len(lines) <= MAX_LINES and all(len(line) <= WIDTH for line in lines), lines
    assert not re.search(r"Traceback|File \"", "\n".join(lines))


def test_nn_model_keeps_its_points_when_only_compute_cost_is_wrong():
    """nn_model's cost curve is measured with the student's forward_propagation and
    compute_cost: only when those passed their tests, so that a wrong compute_cost costs
    nn_model's test nothing (its parameters are still compared)."""
    from support.notebook_harness import reference_code, run_case

    notebook = "week3/planar_classification.ipynb"
    wrong_cost = "\ndef compute_cost(A2, Y):\n    return 0.5\n"
    code = reference_code(notebook, "nn_model") + wrong_cost
    printed = run_case(notebook, "nn_model", code, hidden=False)
    assert "All public tests passed." in printed
    # and the curve is checked when compute_cost passed: a learning rate of its own is caught
    slow = reference_code(notebook, "nn_model").replace(
        "update_parameters(parameters, grads)", "update_parameters(parameters, grads, 0.5)")
    assert slow != reference_code(notebook, "nn_model")
    with pytest.raises(AssertionError, match="costs"):
        run_case(notebook, "nn_model", slow, hidden=False)
