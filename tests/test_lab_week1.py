"""Week 1 lab (notebooks/week1_why_deep_learning.ipynb): what it computes, prints and claims.

The lab runs once for the whole module; every test reads the values it computed. The claims its
text makes about the measurement (who is ahead at the smallest and largest sizes, who gains the
most from more data) are checked here, so that a change that contradicts them fails.
"""

import math
import re

import numpy as np
import pytest
from scipy.signal import correlate2d
from support.lab_harness import quiz_of, run_lab

LAB = "week1_why_deep_learning.ipynb"
NAMES = [
    "sizes", "model_names", "hidden_small", "hidden_large", "accuracies", "se", "threshold",
    "verdicts", "paired_se", "best_models", "ahead_from", "gain_all", "gain_last",
    "accuracies_50", "n_parameters", "train_seconds",
    "synthetic", "vertical_edge", "synthetic_response", "peak_columns",
    "photo", "photo_response", "garment", "left_edge_centre", "right_edge_centre",
    "W_h", "W_x", "b", "sequence_a", "sequence_b", "H_a", "state_difference",
    "memoryless_difference", "final_difference", "direct_error",
]
PAIRS = {"small - LR": (1, 0), "large - LR": (2, 0), "large - small": (2, 1)}
LINE = re.compile(
    r"^m = \s*(\d+) \| best: ([a-z ]+), (.+?) \| small - LR:\s*([+-]\d+\.\d) \((\w+)\) "
    r"\| large - LR:\s*([+-]\d+\.\d) \((\w+)\) \| large - small:\s*([+-]\d+\.\d) \((\w+)\)$",
    re.MULTILINE)


@pytest.fixture(scope="module")
def lab():
    run = run_lab(LAB, names=NAMES)
    print(f"\n{LAB} ran in {run.seconds:.1f} s")
    return run


@pytest.fixture(scope="module")
def v(lab):
    values = dict(lab.values)
    for name in ["accuracies", "gain_all", "gain_last", "accuracies_50", "train_seconds",
                 "synthetic", "vertical_edge", "synthetic_response", "photo", "photo_response",
                 "garment", "W_h", "W_x", "b", "sequence_a", "sequence_b", "H_a",
                 "state_difference", "memoryless_difference", "paired_se"]:
        values[name] = np.array(values[name], dtype=float)
    return values


def expected_verdict(gap, threshold):
    return "ahead" if gap > threshold else "behind" if gap < -threshold else "tie"


@pytest.mark.slow
def test_the_run_time_is_measured(lab):
    assert math.isfinite(lab.seconds) and lab.seconds > 0


@pytest.mark.slow
def test_the_accuracy_table_has_one_row_per_model_and_one_column_per_size(v):
    assert v["sizes"] == sorted(v["sizes"]) and len(v["sizes"]) >= 5
    assert v["sizes"][-1] == 2000, "the largest training set should be the whole training set"
    assert v["accuracies"].shape == (3, len(v["sizes"]))
    assert np.all((v["accuracies"] > 0.5) & (v["accuracies"] <= 1)), v["accuracies"]


@pytest.mark.slow
def test_every_model_improves_with_more_data(v):
    acc = v["accuracies"]
    assert np.all(acc[:, -1] >= acc[:, 0] + 0.02), acc
    np.testing.assert_allclose(v["gain_all"], acc[:, -1] - acc[:, 0])
    np.testing.assert_allclose(v["gain_last"], acc[:, -1] - acc[:, v["sizes"].index(500)])


@pytest.mark.slow
def test_the_networks_gain_more_from_data_than_logistic_regression(v):
    """Section 1.6: 'the networks gain more from it than logistic regression'."""
    gain = v["gain_all"]
    assert gain[1] > gain[0] and gain[2] > gain[0], gain


@pytest.mark.slow
def test_logistic_regression_is_not_clearly_behind_at_the_smallest_size(v):
    """Sections 1.6 and 4, and quiz question 1: at 50 images LR is at least as good."""
    acc, threshold = v["accuracies"], v["threshold"]
    assert acc[1, 0] - acc[0, 0] <= threshold and acc[2, 0] - acc[0, 0] <= threshold, acc[:, 0]


@pytest.mark.slow
def test_the_large_network_is_clearly_ahead_at_the_largest_size(v):
    acc = v["accuracies"]
    assert acc[2, -1] - acc[0, -1] > v["threshold"], acc[:, -1]
    assert v["best_models"][-1] == "large network"


@pytest.mark.slow
def test_the_last_fourfold_increase_does_not_separate_the_curves(v):
    """Section 1.6: from 500 to 2000 images the gains are too alike to tell who levels off."""
    gain_last = v["gain_last"]
    assert abs(gain_last[2] - gain_last[0]) <= v["threshold"], gain_last


@pytest.mark.slow
def test_the_threshold_is_two_standard_errors_of_a_test_accuracy(v):
    p = v["accuracies"].mean()
    assert v["se"] == pytest.approx(math.sqrt(p * (1 - p) / 1000))
    assert 0.005 < v["se"] < 0.02, "about one point on 1000 test images"
    assert v["threshold"] == pytest.approx(2 * v["se"])


@pytest.mark.slow
def test_paired_standard_errors_are_smaller_than_for_independent_accuracies(v):
    """Section 1.3 claims the chance errors partly cancel in a gap between two models."""
    paired = v["paired_se"]
    assert paired.shape == (len(v["sizes"]) * len(PAIRS),)
    assert np.all(paired > 0) and np.all(paired < math.sqrt(2) * v["se"]), paired


@pytest.mark.slow
def test_the_printed_comparison_agrees_with_the_accuracies(lab, v):
    acc, threshold, names = v["accuracies"], v["threshold"], v["model_names"]
    rows = LINE.findall(lab.text())
    assert [int(row[0]) for row in rows] == v["sizes"], "one comparison line per size"
    for j, row in enumerate(rows):
        best = int(np.argmax(acc[:, j]))
        assert row[1] == names[best], f"m = {row[0]}: best printed {row[1]!r}"
        tied = [names[i] for i in range(3) if i != best and acc[best, j] - acc[i, j] <= threshold]
        assert row[2] == (f"tied with {' and '.join(tied)}" if tied else "clearly"), row
        for k, (pair, (a, b)) in enumerate(PAIRS.items()):
            gap = acc[a, j] - acc[b, j]
            printed_gap, printed_verdict = float(row[3 + 2 * k]), row[4 + 2 * k]
            assert printed_gap == pytest.approx(100 * gap, abs=0.051), (pair, row)
            assert printed_verdict == expected_verdict(gap, threshold), (pair, row)
            assert v["verdicts"][pair][j] == printed_verdict


@pytest.mark.slow
def test_the_printed_crossings_agree_with_the_accuracies(lab, v):
    acc, sizes, text = v["accuracies"], v["sizes"], lab.text()
    for pair, (a, b) in PAIRS.items():
        gaps = acc[a] - acc[b]
        crossings = [f"{sizes[j]} and {sizes[j + 1]}" for j in range(len(sizes) - 1)
                     if np.sign(gaps[j]) != np.sign(gaps[j + 1])]
        if crossings:
            assert f"{pair}: the gap changes sign between m = {'; '.join(crossings)}" in text
        else:
            assert f"{pair}: the gap never changes sign" in text
        verdicts = [expected_verdict(gap, v["threshold"]) for gap in gaps]
        ahead_from = next((sizes[j] for j in range(len(sizes))
                           if all(x == "ahead" for x in verdicts[j:])), None)
        assert v["ahead_from"][pair] == ahead_from, pair
        first, second = v["model_names"][a], v["model_names"][b]
        if ahead_from is None:
            assert f"{first} is not clearly ahead of {second} at every size" in text
        else:
            assert f"{first} is clearly ahead of {second} from m = {ahead_from} on" in text


@pytest.mark.slow
def test_the_choice_of_50_images_moves_every_model_by_several_points(v):
    acc50 = v["accuracies_50"]
    assert acc50.shape == (3, 5)
    assert np.all((acc50 > 0.5) & (acc50 <= 1)), acc50
    assert np.all(acc50.max(axis=1) - acc50.min(axis=1) >= 0.03), acc50


@pytest.mark.slow
def test_parameter_counts_follow_from_the_layer_sizes(v):
    counts = v["n_parameters"]
    dims_small = [784, *v["hidden_small"], 1]
    dims_large = [784, *v["hidden_large"], 1]

    def count(dims):  # W[l] (n[l], n[l-1]) and b[l] (n[l], 1) for every layer
        return sum(n * n_prev + n for n_prev, n in zip(dims[:-1], dims[1:], strict=True))

    assert counts["logistic regression"] == 785
    assert counts["small network"] == count(dims_small)
    assert counts["large network"] == count(dims_large)
    assert counts["large network"] > 100 * counts["logistic regression"]  # the text's claim
    assert np.all(np.isfinite(v["train_seconds"])) and np.all(v["train_seconds"] > 0)


@pytest.mark.slow
def test_the_convolution_peaks_at_the_edge_of_the_synthetic_image(v):
    image, kernel, response = v["synthetic"], v["vertical_edge"], v["synthetic_response"]
    h, w = image.shape
    assert response.shape == (h - 2, w - 2)
    np.testing.assert_allclose(response, correlate2d(image, kernel, mode="valid"), atol=1e-12)
    edge = int(np.flatnonzero(np.diff(image[0]) != 0)[0]) + 1  # first column after the edge
    assert v["peak_columns"] == [edge - 2, edge - 1]  # the two windows that straddle it
    assert np.argmax(response.max(axis=0)) == edge - 2


@pytest.mark.slow
def test_the_convolution_on_the_photo_finds_its_outline(v):
    photo, response = v["photo"], v["photo_response"]
    assert photo.shape == (28, 28) and response.shape == (26, 26)
    np.testing.assert_allclose(response, correlate2d(photo, v["vertical_edge"], mode="valid"),
                               atol=1e-12)
    columns = response.sum(axis=0)
    assert v["left_edge_centre"] == np.argmin(columns) + 1
    assert v["right_edge_centre"] == np.argmax(columns) + 1
    assert abs(v["left_edge_centre"] - v["garment"].min()) <= 2
    assert abs(v["right_edge_centre"] - v["garment"].max()) <= 2


@pytest.mark.slow
def test_the_recurrent_state_remembers_the_first_input(v):
    a, b_seq = v["sequence_a"], v["sequence_b"]
    assert a[0, 0] != b_seq[0, 0] and np.array_equal(a[:, 1:], b_seq[:, 1:])
    W_h, W_x, b = v["W_h"], v["W_x"], v["b"]
    h, states = np.zeros((W_h.shape[0], 1)), []
    for t in range(a.shape[1]):
        h = np.tanh(W_h @ h + W_x @ a[:, [t]] + b)
        states.append(h)
    np.testing.assert_allclose(v["H_a"], np.hstack(states), atol=1e-12)
    assert v["direct_error"] < 1e-12
    assert v["final_difference"] == pytest.approx(v["state_difference"][-1])
    assert v["final_difference"] > 1e-3
    assert np.all(v["memoryless_difference"][1:] == 0)
    assert v["memoryless_difference"][0] == pytest.approx(v["state_difference"][0])


@pytest.mark.slow
def test_the_lab_shows_its_figures(lab):
    assert len(lab.images()) >= 3


def test_the_quiz_builds_on_its_own():
    quiz = quiz_of(LAB)
    assert len(quiz) == 5
    assert quiz.check(4, (28 - 3 + 1) ** 2).correct
