"""Week 3 in numbers: baseline against the tanh network, hidden-layer sizes, Run-All cost.

    .venv/bin/python benchmarks/week3.py

Prints the training accuracy of the logistic-regression baseline and of the 4-unit network on
the flower, the accuracy for every hidden-layer size of the notebook's sweep (on the training
points and on new points of the same flower), then the wall time and peak memory of Run All of
the reference notebook. The networks are the notebook's own reference solution (read from the
source notebook); the data and seeds below are the ones the notebook uses.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from autograder.hidden.reference import reference, source_dir
from utils.baselines import logistic_regression_baseline
from utils.planar import load_flower

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
from notebook_run import run_all  # noqa: E402

NOTEBOOK = "week3/planar_classification.ipynb"
FLOWER = {"m": 400, "noise": 0.15, "seed": 1}       # training data of the notebook
NEW_FLOWER = {"m": 400, "noise": 0.15, "seed": 2}   # the "new points" of its sweep
INIT_SEED = 1                                        # np.random.seed before each training
HIDDEN_SIZES = [1, 2, 3, 4, 20]
LIMITS = {"seconds": 60.0, "peak_mib": 1024.0}       # the budget for Run All


def accuracy(predict, parameters, X, Y) -> float:
    return 100 * float(np.mean(predict(parameters, X) == Y))


def main() -> int:
    nn_model = reference(NOTEBOOK, "nn_model")
    predict = reference(NOTEBOOK, "predict")
    X, Y = load_flower(**FLOWER)
    X_new, Y_new = load_flower(**NEW_FLOWER)

    baseline = logistic_regression_baseline(X, Y)
    print(f"flower {FLOWER}: logistic regression {100 * baseline.accuracy(X, Y):.2f}% "
          f"(new points {100 * baseline.accuracy(X_new, Y_new):.2f}%)")

    print(f"\n{'n_h':>4}  {'training':>9}  {'new points':>10}  {'seconds':>7}")
    rows = {}
    for n_h in HIDDEN_SIZES:
        np.random.seed(INIT_SEED)
        start = time.perf_counter()
        parameters = nn_model(X, Y, n_h, num_iterations=10000)
        seconds = time.perf_counter() - start
        rows[n_h] = accuracy(predict, parameters, X, Y)
        print(f"{n_h:>4}  {rows[n_h]:>8.2f}%  {accuracy(predict, parameters, X_new, Y_new):>9.2f}%"
              f"  {seconds:>7.2f}")
    verdict = "ok" if rows[4] >= 90 else "BELOW the 90% target"
    print(f"\n4 hidden units: {rows[4]:.2f}% training accuracy ({verdict}); "
          f"baseline {100 * baseline.accuracy(X, Y):.2f}%")

    run = run_all(source_dir() / NOTEBOOK)
    within = all(run[key] < limit for key, limit in LIMITS.items())
    print(f"Run All of the reference notebook: {run['seconds']:.1f} s, kernel peak "
          f"{run['peak_mib']:.0f} MiB ({'within' if within else 'OVER'} the budget of "
          f"{LIMITS['seconds']:.0f} s and {LIMITS['peak_mib']:.0f} MiB)")
    return 0 if within and rows[4] >= 90 else 1


if __name__ == "__main__":
    sys.exit(main())
