"""Week 4's reference deep networks reproduce the original course's published test accuracy on its
cat pictures (available to maintainers and CI in ../shared/reference-data, never shipped), and on
the shipped data the L-layer network beats the best logistic regression."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from week4 import PUBLISHED_CAT, logistic_baseline, pinned, train_reference  # noqa: E402

CAT_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference-data" / "catvnoncat"
# Published: 72 % (2-layer) and 80 % (4-layer) on the 50 test pictures; one picture is 2 points.
MINIMUM_CAT_TEST = {"2-layer": 70.0, "4-layer": 78.0}
MARGIN_OVER_LOGISTIC = 2.0  # points of test accuracy on the 1000 shipped test images


@pytest.mark.slow
@pytest.mark.parametrize("model", ["2-layer", "4-layer"])
def test_reference_model_reaches_the_published_cat_accuracy(model):
    if not CAT_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{CAT_DIR} is missing: CI must have the reference data beside the repo")
        pytest.skip(f"the original cat pictures are not on this machine ({CAT_DIR} is absent)")
    with pinned(1):  # one BLAS thread when threadpoolctl is there: others wait for a busy core
        result = train_reference(model, "catvnoncat", data_dir=CAT_DIR)  # lr 0.0075, 2500 iter.
    assert result["test"] >= MINIMUM_CAT_TEST[model], (
        f"{model}: {result['test']:.0f} % on the cat test pictures, published "
        f"{PUBLISHED_CAT[model]['test']:.0f} % (the original course initialised its L-layer "
        f"network with W / sqrt(n[l-1]), as the notebook does): {result}")


@pytest.mark.slow
def test_deep_reference_beats_the_best_logistic_regression_on_the_shipped_data():
    with pinned(1):
        deep = train_reference("4-layer")  # the notebook's learning rate and iterations
        baseline = logistic_baseline()
    assert deep["test"] >= baseline["test"] + MARGIN_OVER_LOGISTIC, (deep, baseline)
