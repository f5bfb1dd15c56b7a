"""The class report on a large class: how long `nndl report` takes for 1,000 week 4 submissions.

    .venv/bin/python benchmarks/report.py [-n 1000] [--assignment week4] [--keep]

Builds a scratch course (tests/support/grading_corpus.course_copy), generates the assignment and
grades, with `nndl grade`, one submission of each kind: the reference answers, the blank release,
and the first catalogued mistake of four graded functions (tests/catalogue/weekN.py). It then
makes a class of N from them, the kinds in turn: each student's autograded folder a copy of its
kind's, and its grades stored in the gradebook as the coordinator stores a result. Then it runs
`nndl report ASSIGNMENT` in a separate process, as an instructor would, and prints its wall and
CPU seconds, per 1,000 submissions too (goal: under 30 s for 1,000), and checks the report's
counts: every test's full + partial + zero + not run is N, and each kind's students are counted
in the rows of mistakes.csv of the tests they lost.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/ is not a package
from support import grading_corpus as gc  # noqa: E402

from autograder.common import put_python_scripts_on_path  # noqa: E402
from autograder.grade.coordinator import store_grades  # noqa: E402
from autograder.grade.jobs import Result  # noqa: E402

NOTEBOOKS = {"week1": "numpy_basics", "week2": "logistic_regression",
             "week3": "planar_classification", "week4": "deep_neural_network"}


def kinds(assignment: str) -> dict[str, object]:
    notebook = NOTEBOOKS[assignment]
    mistakes = importlib.import_module(f"catalogue.{assignment}").MISTAKES
    functions = list(mistakes)
    chosen = [functions[i] for i in (1, len(functions) // 3, len(functions) // 2, -3)]
    made = {"reference": gc.finished(assignment, notebook), "blank": gc.blank(assignment, notebook)}
    for function in chosen:
        made[f"wrong-{function}"] = gc.finished(assignment, notebook,
                                                {function: mistakes[function][0].code})
    return made


def graded_results(course: Path, assignment: str) -> dict[str, Result]:
    """Each graded kind's grades, read back from the gradebook as a worker's Result."""
    from nbgrader.api import Gradebook

    results = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nndl") as gb:
        for submission in gb.assignment_submissions(assignment):
            result = Result(submission.student.id)
            for nb in submission.notebooks:
                result.notebooks.append({"name": nb.name, "late_submission_penalty": 0.0})
                result.grades += [{"notebook": nb.name, "name": g.name,
                                   "auto_score": g.auto_score, "max_score": g.max_score,
                                   "needs_manual_grade": False} for g in nb.grades]
                result.comments += [{"notebook": nb.name, "name": c.name,
                                     "auto_comment": c.auto_comment} for c in nb.comments]
            results[result.student] = result
    return results


def grow_class(course: Path, assignment: str, results: dict[str, Result], n: int) -> dict:
    """N students, the kinds in turn: autograded copies and gradebook entries. Returns each
    student's kind."""
    from nbgrader.api import Gradebook

    names = sorted(results)
    kind_of = {f"s{i:05d}": names[i % len(names)] for i in range(n)}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nndl") as gb:
        for student, kind in kind_of.items():
            shutil.copytree(course / "autograded" / kind / assignment,
                            course / "autograded" / student / assignment)
            result = results[kind]
            result.student = student
            store_grades(gb, assignment, result)
        for kind in names:  # the originals leave: the class is the N copies
            gb.remove_student(kind)
            shutil.rmtree(course / "autograded" / kind)
    return kind_of


def check(folder: Path, n: int) -> list[str]:
    wrong = []
    tests = list(csv.DictReader(open(folder / "tests.csv")))
    for row in tests:
        counted = sum(int(row[k]) for k in ("full", "partial", "zero", "not_run"))
        if int(row["students"]) != n or counted != n:
            wrong.append(f"{row['test']}: {counted} of {row['students']} counted, {n} graded")
    lost = {row["test"]: n - int(row["full"]) for row in tests}
    for test, count in lost.items():
        rows = sum(int(r["students"]) for r in csv.DictReader(open(folder / "mistakes.csv"))
                   if r["test"] == test)
        if rows != count:
            wrong.append(f"{test}: {rows} in mistakes.csv, {count} lost points")
    return wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="students in the class")
    parser.add_argument("--assignment", default="week4", choices=list(NOTEBOOKS))
    parser.add_argument("--keep", action="store_true", help="keep the scratch course")
    args = parser.parse_args(argv)
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's, harmless
    put_python_scripts_on_path()
    scratch = Path(tempfile.mkdtemp(prefix="nndl-bench-report-"))
    try:
        course = gc.course_copy(scratch / "course")
        made = gc.nbgrader(course, "generate_assignment", args.assignment, "--force")
        if made.returncode:
            print(made.stderr, file=sys.stderr)
            return 1
        notebook = NOTEBOOKS[args.assignment]
        for kind, nb in kinds(args.assignment).items():
            gc.submit(course, kind, args.assignment, {f"{notebook}.ipynb": nb})
        start = time.perf_counter()
        graded = gc.nndl(course, "grade", args.assignment, "--quiet")
        if graded.returncode:
            print(graded.stderr, file=sys.stderr)
            return 1
        print(f"{args.assignment}: {len(kinds(args.assignment))} kinds graded in "
              f"{time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        grow_class(course, args.assignment, graded_results(course, args.assignment),
                             args.n)
        print(f"class of {args.n} made in {time.perf_counter() - start:.0f} s")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "autograder.cli", "--root", str(course),
                              "report", args.assignment], capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if run.returncode:
            print(run.stderr, file=sys.stderr)
            return 1
        goal = (f"goal for 1,000: under 30 s: {'met' if wall < 30 else 'missed'}"
                if args.n >= 1000 else "the goal, under 30 s, is for -n 1000: the start-up "
                "does not scale with the class")
        print(f"nndl report {args.assignment} on {args.n} submissions: wall {wall:.1f} s, CPU "
              f"{cpu:.1f} s ({goal})")
        wrong = check(course / "reports" / args.assignment, args.n)
        for line in wrong:
            print(f"wrong count: {line}", file=sys.stderr)
        return 1 if wrong else 0
    finally:
        if args.keep:
            print(f"kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
