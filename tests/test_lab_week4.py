"""The week 4 lab (notebooks/week4_hyperparameters.ipynb) runs top to bottom, and what it prints
and says agrees with what it computes: the learning-rate, depth and width sweeps, the long run
over iterations, the choice on a validation set, the learning-rate menu and its figures."""

import math
import re

import nbformat
import numpy as np
import pytest
from support.lab_harness import LABS, quiz_of, run_lab

LAB = "week4_hyperparameters.ipynb"
NAMES = [
    "ITERATIONS", "LONG_ITERATIONS", "EVERY", "n_x", "m",
    "first", "learning_rates", "lr_sweep", "depths", "depth_sweep", "widths", "width_sweep",
    "seed_runs", "iteration_log", "validation", "val_idx", "chosen_lr", "lr_choice", "lr_line",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab():
    run = run_lab(LAB, names=NAMES)
    print(f"\n{LAB} ran in {run.seconds:.1f} s")
    return run


def n_parameters(layer_dims):
    """Weights and biases of a network with these layer sizes [n0, n1, ..., nL]."""
    return sum(n * n_prev + n for n_prev, n in zip(layer_dims[:-1], layer_dims[1:], strict=True))


def check_run(run, iterations):
    """A run summary: a learning curve of the right length, finite costs, sane accuracies."""
    curve = np.asarray(run["curve"], dtype=float)
    assert curve.shape == (iterations,)
    assert np.all(np.isfinite(curve)), "a learning curve holds a NaN or an infinite cost"
    assert run["cost"] == pytest.approx(curve[-1]), "'final cost' is not the curve's last cost"
    assert run["lowest"] == pytest.approx(curve.min())
    assert run["rises"] == int(np.sum(np.diff(curve) > 0))
    for key in ("train", "test"):
        assert 0 <= run[key] <= 100
    assert curve[0] == pytest.approx(math.log(2), abs=0.25), "the first cost should be near log 2"


def printed_row(text, first_column, run, parameters=True):
    """The table row the lab printed for a run: setting, [parameters,] cost, train %, test %."""
    middle = rf"\s+{run['parameters']}" if parameters else ""
    pattern = (rf"^\s*{re.escape(first_column)}{middle}\s+{run['cost']:.4f}\s+.*"
               rf"\s{run['train']:.1f}\s+{run['test']:.1f}\s*$")
    return re.search(pattern, text, flags=re.MULTILINE)


def test_the_lab_runs_and_its_time_is_measured(lab):
    assert lab.seconds > 0 and math.isfinite(lab.seconds)
    assert not [out for out in lab.outputs("error")], "a cell of the lab raised an error"


def test_the_data_has_the_course_shapes(lab):
    assert (lab.values["n_x"], lab.values["m"]) == (784, 2000)
    assert "X_train (784, 2000), Y_train (1, 2000), X_test (784, 1000)" in lab.text()


def test_the_first_network_prints_its_parameter_shapes_in_the_course_convention(lab):
    text = lab.text()
    assert "W[1] (20, 784), b[1] (20, 1)" in text
    assert "W[2] (1, 20), b[2] (1, 1)" in text
    assert lab.values["first"]["parameters"] == n_parameters([784, 20, 1])
    check_run(lab.values["first"], lab.values["ITERATIONS"])


def test_learning_rate_sweep_table_has_one_finite_row_per_rate(lab):
    rates, runs = lab.values["learning_rates"], lab.values["lr_sweep"]
    assert len(rates) == 4 and rates == sorted(rates)
    assert [run["learning_rate"] for run in runs] == rates
    text = lab.text()
    for run in runs:
        check_run(run, lab.values["ITERATIONS"])
        rate = re.escape(f"{run['learning_rate']:g}")
        row = (rf"^\s*{rate}\s+{run['cost']:.4f}\s+{run['lowest']:.4f}\s+{run['rises']}\s+"
               rf"{run['train']:.1f}\s+{run['test']:.1f}\s*$")
        assert re.search(row, text, flags=re.MULTILINE), f"no table row for {run['learning_rate']}"


def test_smallest_learning_rate_ends_with_a_higher_cost_than_the_best(lab):
    runs = lab.values["lr_sweep"]
    best = min(runs, key=lambda run: run["cost"])
    assert runs[0]["cost"] > best["cost"] + 0.1
    assert f"lowest final cost: learning rate {best['learning_rate']:g} ({best['cost']:.4f})" \
        in lab.text()


def test_the_printed_rises_agree_with_the_curves(lab):
    text = lab.text()
    for run in lab.values["lr_sweep"]:
        if run["rises"]:
            assert f"learning rate {run['learning_rate']:g}: the cost rose in {run['rises']} of" \
                in text
        else:
            assert f"learning rate {run['learning_rate']:g}: the cost fell at every iteration" \
                in text
    # the text calls the largest rate jagged and the smooth ones smooth
    assert lab.values["lr_sweep"][-1]["rises"] > 10
    assert all(run["rises"] == 0 for run in lab.values["lr_sweep"][:-1])


def test_a_much_too_large_learning_rate_explodes_or_fails(lab):
    line = re.search(r"^learning rate 3: .*$", lab.text(), flags=re.MULTILINE)
    assert line, "the lab should print what a learning rate of 3 does"
    peak = re.search(r"up to ([0-9.]+)", line.group(0))
    assert peak or "training failed" in line.group(0)
    if peak:
        assert float(peak.group(1)) > 1.0, "the text says the cost explodes, far above log 2"


def test_depth_sweep_table_has_one_finite_row_per_depth(lab):
    depths, runs = lab.values["depths"], lab.values["depth_sweep"]
    assert depths == [1, 2, 3, 4] and len(runs) == 4
    for depth, run in zip(depths, runs, strict=True):
        check_run(run, lab.values["ITERATIONS"])
        assert run["hidden"] == [20] * depth
        assert run["parameters"] == n_parameters([784] + [20] * depth + [1])
        assert printed_row(lab.text(), str(depth), run), f"no table row for depth {depth}"


def test_width_sweep_table_has_one_finite_row_per_width(lab):
    widths, runs = lab.values["widths"], lab.values["width_sweep"]
    assert widths == [2, 7, 20, 50] and len(runs) == 4
    for width, run in zip(widths, runs, strict=True):
        check_run(run, lab.values["ITERATIONS"])
        assert run["hidden"] == [width]
        assert run["parameters"] == n_parameters([784, width, 1])
        assert printed_row(lab.text(), str(width), run), f"no table row for width {width}"


def test_sweep_verdicts_agree_with_the_tables(lab):
    text = lab.text()
    for name, values, runs in [("hidden layers", lab.values["depths"], lab.values["depth_sweep"]),
                               ("hidden units", lab.values["widths"], lab.values["width_sweep"])]:
        best_test = values[int(np.argmax([run["test"] for run in runs]))]
        best_cost = values[int(np.argmin([run["cost"] for run in runs]))]
        assert f"lowest final cost: {name} {best_cost};" in text
        assert f"best test accuracy: {name} {best_test}" in text
        steady = all(np.diff([run["cost"] for run in runs]) < 0)
        verdict = "improves" if steady else "does not improve"
        assert f"final cost {verdict} at every step from {name}" in text
        # the lab says that depth and width move the test accuracy far less than the rate does
        spread = np.ptp([run["test"] for run in runs])
        assert spread < np.ptp([run["test"] for run in lab.values["lr_sweep"]])


def test_the_seed_comparison_is_the_same_network_from_three_starts(lab):
    runs = lab.values["seed_runs"]
    assert len(runs) == 3 and all(run["hidden"] == [7] for run in runs)
    for run in runs:
        check_run(run, lab.values["ITERATIONS"])
    assert len({round(run["cost"], 6) for run in runs}) == 3, "the seeds should give 3 runs"
    seed_spread = np.ptp([run["cost"] for run in runs])
    width_spread = np.ptp([run["cost"] for run in lab.values["width_sweep"]])
    assert f"{seed_spread / width_spread:.1f} times as much" in lab.text()


def test_long_run_continues_the_short_one_and_test_accuracy_levels_off(lab):
    log, long_iterations = lab.values["iteration_log"], lab.values["LONG_ITERATIONS"]
    every = lab.values["EVERY"]
    assert log["iteration"] == list(range(every, long_iterations + 1, every))
    cost = np.asarray(log["cost"])
    assert cost.shape == (long_iterations,) and np.all(np.isfinite(cost))
    # warm_start continues training: the first ITERATIONS costs are the run of section 2
    short = np.asarray(lab.values["first"]["curve"])
    np.testing.assert_allclose(cost[: short.size], short, rtol=1e-6)
    train, test = np.asarray(log["train"]), np.asarray(log["test"])
    assert train.shape == test.shape == (long_iterations // every,)
    half = train.size // 2
    assert train[-1] > train[half] + 1, "the training accuracy should keep rising"
    assert test[half:].max() < test[:half].max() + 1.5, "the test accuracy should level off"
    assert train[-1] - test[-1] > 5, "the gap between training and test should be large"
    best = int(np.argmax(test))
    assert f"best test accuracy {test[best]:.1f} % at iteration {log['iteration'][best]}" \
        in lab.text()
    fell = test[-1] < test[best] - 1
    assert ("the test accuracy fell by more than a point" in lab.text()) == fell


def test_validation_chooses_one_of_the_swept_rates_and_prints_it(lab):
    rates, validation = lab.values["learning_rates"], lab.values["validation"]
    chosen = lab.values["chosen_lr"]
    assert chosen in rates
    assert len(lab.values["val_idx"]) == 500
    assert [run["learning_rate"] for run in validation] == rates
    for run in validation:
        check_run(run, lab.values["ITERATIONS"])
        assert 0 <= run["validation"] <= 100
    best = max(validation, key=lambda run: run["validation"])
    assert chosen == best["learning_rate"]
    assert best["validation"] > 80
    text = lab.text()
    assert f"chosen learning rate: {chosen:g} (validation accuracy {best['validation']:.1f} %)" \
        in text
    retrained = next(run for run in lab.values["lr_sweep"] if run["learning_rate"] == chosen)
    assert f"its test accuracy: {best['test']:.1f} % trained on the 1500 images, " \
           f"{retrained['test']:.1f} % retrained on all 2000" in text


def test_one_learning_rate_dropdown_shows_the_default_run(lab):
    sources = [cell.source for cell in nbformat.read(LABS / LAB, as_version=4).cells
               if cell.cell_type == "code"]
    dropdowns = [s for s in sources for _ in re.finditer(r"widgets\.Dropdown\(", s)]
    assert len(dropdowns) == 1 and 'description="learning rate"' in dropdowns[0]
    menu = lab.values["lr_choice"]
    assert menu.startswith("Dropdown(") and "description='learning rate'" in menu
    for rate in lab.values["learning_rates"]:
        assert f"('{rate:g}', {rate!r})" in menu, f"the menu should offer {rate:g}"
    value = float(re.search(r"value=([0-9.e-]+)\)$", menu).group(1))
    run = next(run for run in lab.values["lr_sweep"] if run["learning_rate"] == value)
    assert f"value='learning rate {value:g}: final cost {run['cost']:.4f}, " \
           f"train {run['train']:.1f} %, test {run['test']:.1f} %'" in lab.values["lr_line"]


def test_the_lab_draws_one_figure_per_sweep(lab):
    assert len(lab.images()) >= 4


def test_the_quiz_counts_parameters_as_the_lab_does(lab):
    quiz = quiz_of(LAB)
    assert len(quiz) == 5
    numeric = [q for q in quiz.questions if hasattr(q, "tolerance")]
    assert len(numeric) == 1 and "[784, 7, 1]" in numeric[0].prompt
    seven = lab.values["width_sweep"][lab.values["widths"].index(7)]
    assert numeric[0].answer == seven["parameters"]
    assert numeric[0].check(seven["parameters"] - 8).correct is False  # biases forgotten
