"""The week 2 lab (notebooks/week2_vectorisation.ipynb): loops against numpy, and broadcasting.

The lab runs once for the whole module; the tests read what it computed and printed. Timings
depend on the machine, so they are checked for being there, positive and finite, never for
their size or ratios; the lab's own run time is measured by benchmarks/notebook_run.py, not
here (the suite runs two test files at once).
"""

import math
import re

import numpy as np
import pytest
from support.lab_harness import run_lab

LAB = "week2_vectorisation.ipynb"
OPERATIONS = ["dot product", "matrix-vector product", "sigmoid", "logistic cost"]
NAMES = [
    "sizes", "loop_sizes", "entries", "agree", "loop_times", "numpy_times", "speedups",
    "centred_shape", "scaled_shape", "rank1_shape", "rank1_T_shape", "a", "dot_rank1",
    "column_inner_shape", "column_outer_shape", "pitfall_shape", "fixed_shape",
]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab():
    return run_lab(LAB, names=NAMES)


@pytest.fixture(scope="module")
def values(lab):
    return lab.values


def test_lab_runs_without_errors(lab):
    errors = lab.outputs("error")
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]


def test_four_operations_on_growing_sizes(values):
    assert list(values["sizes"]) == OPERATIONS
    for name in OPERATIONS:
        sizes = values["sizes"][name]
        assert len(sizes) >= 5, name
        assert np.all(np.diff(sizes) > 0), f"{name}: sizes must grow"


def test_loop_stops_at_a_limit_and_numpy_goes_on(values):
    for name in OPERATIONS:
        sizes, loop_sizes = values["sizes"][name], values["loop_sizes"][name]
        assert len(loop_sizes) >= 4, name
        assert loop_sizes == sizes[:len(loop_sizes)], f"{name}: loop sizes are the smallest"
        assert len(loop_sizes) < len(sizes), f"{name}: no size is left to numpy alone"


def test_entries_count_the_largest_input(values):
    n_x = 28 * 28  # pixels per image of the course data set
    expected = {
        "dot product": lambda n: n,
        "matrix-vector product": lambda n: n * n,
        "sigmoid": lambda n: n,
        "logistic cost": lambda m: n_x * m,
    }
    for name, count in expected.items():
        assert values["entries"][name] == [count(s) for s in values["sizes"][name]], name


def test_loop_and_numpy_agree_for_every_operation_and_loop_size(values):
    for name in OPERATIONS:
        agree = values["agree"][name]
        assert len(agree) == len(values["loop_sizes"][name]), name
        assert all(a is True for a in agree), f"{name}: {agree}"


def test_agreement_is_printed_as_computed(lab, values):
    text = lab.text()
    for name in OPERATIONS:
        count, flag = len(values["agree"][name]), all(values["agree"][name])
        assert f"{name}: loop and numpy agree at all {count} loop sizes: {flag}" in text


def test_one_positive_finite_time_per_size(values):
    for name in OPERATIONS:
        loop_times = values["loop_times"][name]
        numpy_times = values["numpy_times"][name]
        assert len(numpy_times) == len(values["sizes"][name]), name
        assert len(loop_times) == len(values["loop_sizes"][name]), name
        for t in loop_times + numpy_times:
            assert math.isfinite(t) and t > 0, f"{name}: time {t}"


def test_speedups_are_loop_time_over_numpy_time(values):
    for name in OPERATIONS:
        loop_times = np.array(values["loop_times"][name])
        numpy_times = np.array(values["numpy_times"][name][:len(loop_times)])
        speedups = np.array(values["speedups"][name])
        assert speedups.shape == loop_times.shape, name
        assert np.all(np.isfinite(speedups)) and np.all(speedups > 0), name
        np.testing.assert_allclose(speedups, loop_times / numpy_times, rtol=1e-12)


def _table_rows(text, name, symbol):
    measured = re.findall(
        rf"^{re.escape(name)} +{symbol} = ([\d,]+) +([\d,]+) +([\d,.]+) +([\d,.]+) +([\d,.]+)$",
        text, flags=re.MULTILINE)
    skipped = re.findall(
        rf"^{re.escape(name)} +{symbol} = ([\d,]+) +([\d,]+) +loop skipped +([\d,.]+)$",
        text, flags=re.MULTILINE)
    return measured, skipped


def test_printed_speedup_table_matches_the_variables(lab, values):
    text = lab.text()
    for name in OPERATIONS:
        symbol = "m" if name == "logistic cost" else "n"
        measured, skipped = _table_rows(text, name, symbol)
        loop_sizes, sizes = values["loop_sizes"][name], values["sizes"][name]
        assert len(measured) == len(loop_sizes), f"{name}: {measured}"
        assert len(skipped) == len(sizes) - len(loop_sizes), f"{name}: {skipped}"
        for k, (size, entries, loop_us, numpy_us, speedup) in enumerate(measured):
            assert size == f"{loop_sizes[k]:,}" and entries == f"{values['entries'][name][k]:,}"
            assert loop_us == f"{values['loop_times'][name][k] * 1e6:,.1f}", name
            assert numpy_us == f"{values['numpy_times'][name][k] * 1e6:,.2f}", name
            assert speedup == f"{values['speedups'][name][k]:,.1f}", name
        for k, (size, _, numpy_us) in enumerate(skipped, start=len(loop_sizes)):
            assert size == f"{sizes[k]:,}", name
            assert numpy_us == f"{values['numpy_times'][name][k] * 1e6:,.2f}", name


def test_printed_reading_agrees_with_the_speedups(lab, values):
    text = lab.text()
    for name in OPERATIONS:
        block = text.split(f"\n{name}:\n", 1)[1].split("\n", 6)[:5]
        speedups = np.array(values["speedups"][name])
        assert f"speed-up {speedups[0]:,.1f} at " in block[0], block
        assert f"(largest {speedups.max():,.1f}, at " in block[0], block
        assert ("numpy faster at every size" in block[1]) == bool(np.all(speedups >= 1)), block
        grew = bool(np.all(np.diff(speedups) > 0))
        assert ("the speed-up grew at every step" in block[2]) == grew, block


def test_broadcast_shapes_are_as_stated(values):
    assert values["centred_shape"] == [3, 4]
    assert values["scaled_shape"] == [3, 4]
    assert values["rank1_shape"] == [5] and values["rank1_T_shape"] == [5]
    assert values["column_inner_shape"] == [1, 1]
    assert values["column_outer_shape"] == [5, 5]
    assert values["pitfall_shape"] == [5, 5]
    assert values["fixed_shape"] == [1, 5]


def test_dot_of_two_rank1_arrays_is_a_number(values):
    a = np.array(values["a"])
    assert isinstance(values["dot_rank1"], float)
    assert values["dot_rank1"] == pytest.approx(float(np.sum(a * a)))


def test_broadcast_shapes_are_printed(lab):
    text = lab.text()
    assert "X_small (3, 4) - mu (3, 1) -> (3, 4)" in text
    assert "y_hat (5, 1) - y_flat (5,) -> (5, 5)" in text
    assert "a_row (1, 5) - y_row (1, 5) -> (1, 5)" in text
    assert "operands could not be broadcast together" in text


def test_at_least_two_figures(lab):
    assert len(lab.images()) >= 2
