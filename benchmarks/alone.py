"""What grading each function on its own costs: the same class graded by `nndl grade` with
`c.LimitedExecute.grade_functions_alone` off and on, side by side, in one run.

    .venv/bin/python benchmarks/alone.py [--weeks week1 week4] [--workers 2] [--keep]

For each week, a scratch course (tests/support/grading_corpus.course_copy) and a class of two:
the reference answers, and the first catalogued mistake of a function that later graded
functions call (tests/catalogue/weekN.py). Graded once as configured and once with the setting,
one after the other (never at the same time, so that neither slows the other), it prints each
run's wall seconds, the CPU seconds of the grader and its kernels, the ratios, and each
submission's score in both runs: with the setting the mistake costs only its own test.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/ is not a package
import importlib  # noqa: E402

from support import grading_corpus as gc  # noqa: E402

NOTEBOOKS = {"week1": ("numpy_basics", "sigmoid"),
             "week2": ("logistic_regression", "propagate"),
             "week3": ("planar_classification", "forward_propagation"),
             "week4": ("deep_neural_network", "linear_forward")}
ALONE = "\nc.LimitedExecute.grade_functions_alone = True\n"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def grade(folder: Path, week: str, alone: bool, workers: int) -> tuple[float, float, dict]:
    notebook, called = NOTEBOOKS[week]
    course = gc.course_copy(folder)
    if alone:
        config = course / "nbgrader_config.py"
        config.write_text(config.read_text() + ALONE)
    made = gc.nbgrader(course, "generate_assignment", week, "--force")
    if made.returncode:
        sys.exit(made.stderr)
    mistake = importlib.import_module(f"catalogue.{week}").MISTAKES[called][0]
    gc.submit(course, "reference", week, {f"{notebook}.ipynb": gc.finished(week, notebook)})
    gc.submit(course, f"wrong-{called}", week, {f"{notebook}.ipynb": gc.finished(
        week, notebook, {called: mistake.code})})
    cpu, started = children_cpu(), time.monotonic()
    run = gc.nndl(course, "grade", week, "--workers", str(workers), "--quiet")
    wall, cpu = time.monotonic() - started, children_cpu() - cpu
    if run.returncode:
        sys.exit(run.stderr[-3000:])
    return wall, cpu, gc.gradebook_scores(course, week)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", nargs="+", default=list(NOTEBOOKS), choices=list(NOTEBOOKS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="nndl-alone-"))
    print(f"{'week':<6} {'setting':<7} {'wall s':>7} {'CPU s':>7} {'wall x':>7} {'CPU x':>6}"
          "  tests lost by the mistake")
    try:
        for week in args.weeks:
            base = None
            for alone in (False, True):
                wall, cpu, scores = grade(scratch / week / ("on" if alone else "off"), week,
                                          alone, args.workers)
                _, called = NOTEBOOKS[week]
                lost = [test for test, score in scores[f"wrong-{called}"].items()
                        if score < scores["reference"][test]]
                ratios = ("", "") if base is None else (f"{wall / base[0]:.2f}",
                                                        f"{cpu / base[1]:.2f}")
                print(f"{week:<6} {'on' if alone else 'off':<7} {wall:7.1f} {cpu:7.1f} "
                      f"{ratios[0]:>7} {ratios[1]:>6}  {', '.join(lost)}", flush=True)
                base = base or (wall, cpu)
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
