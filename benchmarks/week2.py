"""Week 2 benchmark: the reference logistic regression on the shipped data and, when given, on the
original course's cat pictures; then Run All time and peak memory of the reference notebook.

    python benchmarks/week2.py [--data ../shared/reference-data/catvnoncat] [--no-run-all]

The model is the reference solution itself, read from source/week2/logistic_regression.ipynb.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from autograder.hidden.reference import reference
from utils.data import load_dataset

NOTEBOOK = "week2/logistic_regression.ipynb"
REPO = Path(__file__).resolve().parents[1]
# Published figures of the original course for logistic regression on the cat pictures
# (learning rate 0.005, 2000 iterations).
PUBLISHED_CAT = {"train": 99.0, "test": 70.0}


def train_reference(name: str, data_dir=None, num_iterations=2000, learning_rate=0.005) -> dict:
    """Train the reference model; returns accuracies (%) and seconds."""
    flatten, standardize, model = (reference(NOTEBOOK, f) for f in
                                   ("flatten", "standardize", "model"))
    train_x, train_y, test_x, test_y, _ = load_dataset(name, data_dir=data_dir)
    X_train, X_test = standardize(flatten(train_x)), standardize(flatten(test_x))
    start = time.perf_counter()
    d = model(X_train, train_y, X_test, test_y, num_iterations=num_iterations,
              learning_rate=learning_rate)
    return {
        "train": 100 * float(np.mean(d["Y_prediction_train"] == train_y)),
        "test": 100 * float(np.mean(d["Y_prediction_test"] == test_y)),
        "seconds": time.perf_counter() - start,
        "m_train": train_x.shape[0], "n_x": X_train.shape[0],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding train_catvnoncat.h5 / test_catvnoncat.h5")
    parser.add_argument("--no-run-all", action="store_true", help="skip the notebook run")
    args = parser.parse_args(argv)

    print("logistic regression, learning rate 0.005, 2000 iterations")
    print(f"{'data set':<12} {'m_train':>7} {'n_x':>6} {'train %':>8} {'test %':>7} "
          f"{'published':>16} {'seconds':>8}")
    r = train_reference("fashion")
    print(f"{'fashion':<12} {r['m_train']:>7} {r['n_x']:>6} {r['train']:>8.1f} {r['test']:>7.1f} "
          f"{'-':>16} {r['seconds']:>8.1f}")
    if args.data:
        r = train_reference("catvnoncat", data_dir=args.data)
        published = f"{PUBLISHED_CAT['train']:.0f} / {PUBLISHED_CAT['test']:.0f}"
        print(f"{'catvnoncat':<12} {r['m_train']:>7} {r['n_x']:>6} {r['train']:>8.1f} "
              f"{r['test']:>7.1f} {published:>16} {r['seconds']:>8.1f}")
        print(f"test accuracy minus published: {r['test'] - PUBLISHED_CAT['test']:+.1f} points")
    if not args.no_run_all:
        sys.path.insert(0, str(Path(__file__).parent))
        from notebook_run import run_all

        run = run_all(REPO / "source" / NOTEBOOK)
        print(f"Run All of source/{NOTEBOOK}: {run['seconds']:.1f} s, "
              f"kernel peak memory {run['peak_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
