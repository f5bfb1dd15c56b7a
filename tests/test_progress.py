"""Tests of utils.progress: the progress bar wrapper."""

import io

import numpy as np

from utils.progress import progress


def test_iterates_over_all_items():
    assert list(progress(["a", "b", "c"], silent=True)) == ["a", "b", "c"]


def test_integer_means_range():
    assert list(progress(5, silent=True)) == [0, 1, 2, 3, 4]


def test_numpy_integer_means_range():
    assert list(progress(np.int64(3), silent=True)) == [0, 1, 2]


def test_silent_writes_nothing(capsys):
    for _ in progress(10, desc="training", silent=True):
        pass
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_bar_shows_description_and_count_on_stderr(capsys):
    for _ in progress(10, desc="training"):
        pass
    err = capsys.readouterr().err
    assert "training" in err and "10/10" in err


def test_manual_bar_with_total_counts_updates(capsys):
    with progress(total=4, desc="epochs") as bar:
        bar.update(4)
    assert "4/4" in capsys.readouterr().err


def test_extra_keyword_arguments_reach_tqdm():
    out = io.StringIO()
    for _ in progress(2, unit="epoch", file=out):
        pass
    assert "epoch/s" in out.getvalue()
