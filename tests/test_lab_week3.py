"""The week 3 lab (notebooks/week3_activations.ipynb): activation functions and hidden layers.

The lab runs once for the whole module; the tests read what it computed and printed. Accuracies
are checked with margins, never as exact values, and timings only for being positive and finite
(the lab's own run time is measured by benchmarks/notebook_run.py).
"""

import math
import re

import pytest
from support.lab_harness import run_lab

LAB = "week3_activations.ipynb"
HIDDEN = ["tanh", "ReLU", "leaky ReLU", "sigmoid"]
ALL_ACTIVATIONS = ["sigmoid", "tanh", "ReLU", "leaky ReLU", "identity"]
DATASETS = ["circles", "moons", "blobs", "gaussian quantiles"]
NAMES = [
    "derivative_errors", "kink", "gradcheck_errors", "linear_gap", "flower_results", "best",
    "flower_costs", "slow_sigmoid_costs", "slow_sigmoid_accuracy", "training_seconds",
    "seed_accuracies", "unlucky", "dead_unit_gradients", "identity_accuracy", "baseline_accuracy",
    "symmetry_results", "one_unit_accuracy", "dataset_results", "TIE",
]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab():
    return run_lab(LAB, names=NAMES)


@pytest.fixture(scope="module")
def values(lab):
    return lab.values


def test_lab_reports_its_training_time(values):
    assert math.isfinite(values["training_seconds"]) and values["training_seconds"] > 0


def test_lab_runs_without_errors(lab):
    errors = lab.outputs("error")
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]


def test_lab_shows_its_figures(lab):
    # activations, flower boundaries, cost curves, three starts, other data sets
    assert len(lab.images()) >= 5


def test_numerical_and_analytic_derivatives_agree(values):
    errors = values["derivative_errors"]
    assert sorted(errors) == sorted(ALL_ACTIVATIONS)
    for name, error in errors.items():
        assert 0 <= error < 1e-6, f"{name}: central difference and g' differ by {error:.1e}"


def test_central_difference_at_the_relu_kink_is_the_mean_slope(values):
    assert values["kink"] == pytest.approx(0.5, abs=1e-9)


def test_backward_propagation_passes_the_gradient_check_for_every_activation(values):
    errors = values["gradcheck_errors"]
    assert sorted(errors) == sorted(ALL_ACTIVATIONS)
    for name, error in errors.items():
        assert 0 <= error < 1e-6, f"{name}: relative error {error:.1e}"


def test_two_linear_layers_compose_into_one(values):
    assert values["linear_gap"] < 1e-12


def test_accuracy_table_has_the_four_hidden_activations(lab, values):
    results = values["flower_results"]
    assert list(results) == HIDDEN
    text = lab.text()
    for name, r in results.items():
        assert 0 <= r["train"] <= 1 and 0 <= r["new"] <= 1, name
        row = (f"{name:>10}  {r['learning_rate']:>5g}  {r['iterations']:>10}  "
               f"{100 * r['train']:>8.2f}%  {100 * r['new']:>9.2f}%")
        assert row in text, f"the table row of {name} does not match its numbers"


def test_tanh_learns_the_flower(values):
    tanh = values["flower_results"]["tanh"]
    assert tanh["train"] > 0.88  # about 0.92
    assert tanh["new"] > 0.88  # about 0.92 on the 400 new points


def test_every_activation_learns_the_flower_with_its_settings(values):
    for name, r in values["flower_results"].items():
        assert r["train"] > 0.85 and r["new"] > 0.85, f"{name}: {r}"  # all about 0.9


def test_sigmoid_gets_a_larger_learning_rate_and_needs_it(values):
    results = values["flower_results"]
    assert results["sigmoid"]["learning_rate"] > results["tanh"]["learning_rate"]
    slow, fast = values["slow_sigmoid_costs"], values["flower_costs"]["sigmoid"]
    assert slow[-1] > fast[-1] + 0.1  # about 0.41 against 0.16 after 3000 iterations
    assert slow[-1] > values["flower_costs"]["tanh"][-1] + 0.1
    assert values["slow_sigmoid_accuracy"] < results["sigmoid"]["train"] - 0.05


def test_every_run_starts_at_log_2(values):
    runs = [*values["flower_costs"].values(), values["slow_sigmoid_costs"]]
    for costs in runs:
        assert costs[0] == pytest.approx(math.log(2), abs=1e-3)
        assert costs[-1] < costs[0]


def test_printed_best_activation_is_the_best_in_the_table(lab, values):
    results = values["flower_results"]
    best = max(r["train"] for r in results.values())
    assert values["best"] == best
    match = re.search(r"Highest training accuracy: (.+) \(([\d.]+)%\)", lab.text())
    assert match, "the lab should print the activation with the highest training accuracy"
    assert match.group(1).split(", ") == [n for n, r in results.items() if r["train"] == best]
    assert float(match.group(2)) == pytest.approx(100 * best, abs=0.006)


def test_printed_spread_on_new_points_matches_the_table(lab, values):
    new = [r["new"] for r in values["flower_results"].values()]
    match = re.search(r"lie within ([\d.]+) percentage points", lab.text())
    assert match
    assert float(match.group(1)) == pytest.approx(100 * (max(new) - min(new)), abs=0.006)


def test_seed_study_starts_from_the_main_run_and_names_the_unlucky(values):
    seeds = values["seed_accuracies"]
    assert list(seeds) == HIDDEN
    for name, accs in seeds.items():
        assert len(accs) == 4, name
        assert accs[0] == values["flower_results"][name]["train"], name
        assert all(0 <= a <= 1 for a in accs), name
    assert values["unlucky"] == [n for n, accs in seeds.items() if min(accs) <= 0.85]


def test_a_dead_relu_gets_no_gradient_and_a_leaky_one_does(values):
    gradients = values["dead_unit_gradients"]
    assert gradients["ReLU"] == 0
    assert gradients["leaky ReLU"] > 0


def test_identity_network_is_no_better_than_a_straight_line(values):
    identity, line = values["identity_accuracy"], values["baseline_accuracy"]
    assert identity <= line + 0.03
    assert identity < 0.65 and line < 0.65  # the flower defeats every line (both about 0.51)
    assert values["best"] > identity + 0.25


def test_zero_and_equal_starts_keep_the_hidden_units_identical(values):
    results = values["symmetry_results"]
    assert list(results) == ["all zeros", "equal rows", "small random"]
    assert results["all zeros"]["spread"] < 1e-12
    assert results["equal rows"]["spread"] < 1e-12
    assert results["small random"]["spread"] > 0.1


def test_symmetric_starts_are_worth_at_most_one_unit(values):
    results = values["symmetry_results"]
    assert results["all zeros"]["train"] == pytest.approx(0.5, abs=0.01)  # one class everywhere
    assert results["equal rows"]["train"] == pytest.approx(values["one_unit_accuracy"],
                                                           abs=0.03)
    assert results["small random"]["train"] > results["equal rows"]["train"] + 0.15
    assert results["small random"]["train"] == values["flower_results"]["tanh"]["train"]


def test_network_is_at_least_as_good_as_logistic_regression_on_every_dataset(values):
    results = values["dataset_results"]
    assert list(results) == DATASETS
    for name, r in results.items():
        assert r["network_train"] >= r["logistic_train"] - 0.02, name
        assert r["network_new"] >= r["logistic_new"] - 0.03, name


def test_network_is_clearly_better_where_a_line_cannot_work(values):
    results = values["dataset_results"]
    for name in ["circles", "gaussian quantiles"]:
        r = results[name]
        assert r["network_new"] > 0.9 and r["logistic_new"] < 0.7, f"{name}: {r}"
    moons = results["moons"]
    assert moons["network_new"] >= moons["logistic_new"] + 0.05, moons  # about 0.99 vs 0.89


def test_blobs_need_no_hidden_layer(values):
    # the text says logistic regression already draws the right line on the blobs
    r = values["dataset_results"]["blobs"]
    assert r["logistic_new"] > 0.9
    assert r["network_new"] - r["logistic_new"] < values["TIE"]
    assert r["verdict"] != "network"


def test_verdicts_follow_the_numbers(lab, values):
    tie = values["TIE"]
    text = lab.text()
    for name, r in values["dataset_results"].items():
        gap = r["network_new"] - r["logistic_new"]
        expected = "tie" if abs(gap) < tie else ("network" if gap > 0 else "logistic regression")
        assert r["verdict"] == expected, name
        assert re.search(rf"{re.escape(name)}\s.*\s{re.escape(expected)}\n", text + "\n"), name
