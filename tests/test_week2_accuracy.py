"""Week 2's reference model reproduces the original course's published accuracy on its cat
pictures (available to maintainers and CI in ../shared/reference-data, never shipped), and beats
chance on the shipped data set."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from week2 import PUBLISHED_CAT, train_reference  # noqa: E402

CAT_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference-data" / "catvnoncat"


@pytest.mark.slow
def test_reference_model_reproduces_the_published_cat_accuracy():
    if not CAT_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{CAT_DIR} is missing: CI must have the reference data beside the repo")
        pytest.skip("the original cat pictures are not on this machine")
    result = train_reference("catvnoncat", data_dir=CAT_DIR)
    assert abs(result["test"] - PUBLISHED_CAT["test"]) <= 2.0, result
    assert abs(result["train"] - PUBLISHED_CAT["train"]) <= 2.0, result


@pytest.mark.slow
def test_reference_model_learns_the_shipped_data_set():
    result = train_reference("fashion")
    assert result["train"] > 75 and result["test"] > 70, result
