"""``nndl report ASSIGNMENT``: what the class got, test by test, from nbgrader's gradebook and the
autograded notebooks, so it works after ``nndl grade`` and after plain ``nbgrader autograde``
alike. The files it writes in ``reports/ASSIGNMENT/`` (autograder.grade.report_page.write_report
writes them all):

* ``scores.csv``: one row per student, one column per test (its points, manual grades
  included), then nbgrader's raw score, late penalty, score and maximum: for a spreadsheet or a
  learning platform's import;
* ``tests.csv``: one row per test: its notebook, grade id, the graded function it tests, its
  points, and how many students got full, partial or zero marks, or had it not run (the kernel
  stopped earlier, the notebook's time ran out, the notebook is missing or unreadable);
* ``mistakes.csv``: one row per test and diagnosed mistake (autograder.grade.diagnosis): the
  catalogued mistake, else the failure kind, else "blamed on <function>" for a failure that
  an earlier graded function caused, with who diagnosed it (``judge``: the grader, from the
  hidden tests or its own limits; ``kernel``: the visible tests, in the student's kernel, not
  trusted) and how many students; each student who lost points on a test counts in one row;
* ``root_causes.csv``: per graded function, the students and points its own test lost, and
  the knock-on: the tests of later functions that failed because they call it while it was
  wrong ("First fix ..."), their students and points;
* ``index.html``: the page an instructor reads (autograder.grade.report_page).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.engine.cell_errors import NOT_RUN
from autograder.grade.diagnosis import BLAMED, JUDGE, LIMITS, NO_ERROR, Diagnosis, diagnose
from autograder.grade.report import cell_problems
from autograder.hidden.cells import tested_function


@dataclass(frozen=True)
class Test:
    notebook: str
    grade_id: str
    function: str
    points: float


@dataclass
class ClassResults:
    assignment: str
    tests: list[Test]
    scores: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)
    totals: dict[str, dict[str, float]] = field(default_factory=dict)
    not_run: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    diagnoses: dict[str, dict[tuple[str, str], Diagnosis]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)  # what needs action

    def outcome(self, student: str, test: Test) -> str:
        """full, partial, zero or not_run."""
        key = (test.notebook, test.grade_id)
        if key in self.not_run.get(student, set()):
            return "not_run"
        score = self.scores[student].get(key) or 0.0
        if score >= test.points:
            return "full"
        return "partial" if score > 0 else "zero"


def read_class(root: Path, assignment: str) -> ClassResults:
    """Every submission of ``assignment`` in the course's gradebook, with its tests' scores."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    from autograder.common import CourseError, nbgrader_config

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's, harmless
    root = Path(root).resolve()
    if not (root / "gradebook.db").is_file():
        raise CourseError(f"no gradebook in {root}: grade the class first (nndl grade "
                          f"{assignment}, or nbgrader autograde {assignment})")
    config = nbgrader_config(root, root / "nbgrader_config.py")
    course_id = config.CourseDirectory.get("course_id", "nndl")
    with Gradebook(config.CourseDirectory.db_url, course_id) as gb:
        try:
            notebooks = gb.find_assignment(assignment).notebooks
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook: run `nbgrader "
                              f"generate_assignment {assignment}` and grade it first") from None
        tests = []
        for nb in notebooks:
            cells = {cell.name: cell for cell in nb.grade_cells if cell.cell_type == "code"}
            for grade_id in _in_notebook_order(root, assignment, nb.name, cells):
                source = _source(gb, nb.name, assignment, grade_id)
                tests.append(Test(nb.name, grade_id, tested_function(source, grade_id),
                                  float(cells[grade_id].max_score)))
        results = ClassResults(assignment, tests)
        for submission in gb.assignment_submissions(assignment):
            student = submission.student.id
            results.scores[student] = {(nb.name, g.name): float(g.score or 0.0)
                                       for nb in submission.notebooks for g in nb.grades}
            results.totals[student] = {
                "raw_score": float(submission.score + submission.late_submission_penalty),
                "late_submission_penalty": float(submission.late_submission_penalty),
                "score": float(submission.score), "max_score": float(submission.max_score)}
    for student in results.scores:
        _read_autograded(root, assignment, student, tests, results)
    return results


def _in_notebook_order(root: Path, assignment: str, notebook: str, cells: dict) -> list[str]:
    """The grade ids of ``cells`` in the order of the release (or source) notebook."""
    for folder in ("release", "source"):
        path = root / folder / assignment / f"{notebook}.ipynb"
        try:
            nb = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        order = [(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
                 for c in nb.get("cells", [])]
        found = [g for g in order if g in cells]
        return found + sorted(set(cells) - set(found))
    return sorted(cells)


def _source(gb, notebook: str, assignment: str, grade_id: str) -> str:
    from nbgrader.api import MissingEntry

    try:
        return gb.find_source_cell(grade_id, notebook, assignment).source or ""
    except MissingEntry:
        return ""


def _read_autograded(root: Path, assignment: str, student: str, tests: list[Test],
                     results: ClassResults) -> None:
    """From a student's autograded notebooks: the tests that did not run (all of a notebook
    that is missing or unreadable) and what each failed test diagnosed."""
    missing = results.not_run.setdefault(student, set())
    found = results.diagnoses.setdefault(student, {})
    by_notebook: dict[str, list[Test]] = {}
    for test in tests:
        by_notebook.setdefault(test.notebook, []).append(test)
    for notebook, its_tests in by_notebook.items():
        path = root / "autograded" / student / assignment / f"{notebook}.ipynb"
        try:
            nb = json.loads(path.read_text())
            cells = nb.get("cells", [])
        except (OSError, ValueError, AttributeError):
            missing.update((notebook, t.grade_id) for t in its_tests)
            results.problems.setdefault(student, []).append(
                f"{notebook}: no autograded notebook (missing, renamed or unreadable "
                "submission)")
            continue
        results.problems.setdefault(student, []).extend(cell_problems(path, notebook, nb))
        ran = set()
        for cell in cells:
            grade_id = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
            if not grade_id:
                continue
            stopped = any(o.get("ename") == NOT_RUN for o in cell.get("outputs", []))
            if not stopped and (cell.get("execution_count") is not None or cell.get("outputs")):
                ran.add(grade_id)
                diagnosis = diagnose(cell)
                if diagnosis is not None:
                    found[notebook, grade_id] = diagnosis
        missing.update((notebook, t.grade_id) for t in its_tests if t.grade_id not in ran)


def _points(value: float) -> str:
    return f"{value:g}"


def write_scores_csv(results: ClassResults, path: Path) -> None:
    several = len({t.notebook for t in results.tests}) > 1
    names = [f"{t.notebook}:{t.grade_id}" if several else t.grade_id for t in results.tests]
    total_names = ["raw_score", "late_submission_penalty", "score", "max_score"]
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", *names, *total_names])
        for student in sorted(results.scores):
            scores = results.scores[student]
            writer.writerow([student, *(_points(scores.get((t.notebook, t.grade_id)) or 0.0)
                                        for t in results.tests),
                             *(_points(results.totals[student][n]) for n in total_names)])


def write_tests_csv(results: ClassResults, path: Path) -> None:
    kinds = ("full", "partial", "zero", "not_run")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["notebook", "test", "function", "points", "students", *kinds])
        for test in results.tests:
            counts = dict.fromkeys(kinds, 0)
            for student in results.scores:
                counts[results.outcome(student, test)] += 1
            writer.writerow([test.notebook, test.grade_id, test.function, _points(test.points),
                             len(results.scores), *(counts[k] for k in kinds)])


def mistakes(results: ClassResults) -> list[dict]:
    """One row per test and mistake, most frequent first within a test: every student who lost
    points on a test counts in exactly one row of it (the catalogued mistake named, else the
    failure kind, else "blamed on <function>" for a knock-on), with who diagnosed it."""
    rows = []
    total = len(results.scores)
    for test in results.tests:
        counts: dict[tuple[str, str], int] = {}
        examples: dict[tuple[str, str], str] = {}
        for student in sorted(results.scores):
            outcome = results.outcome(student, test)
            if outcome == "full":
                continue
            message = ""
            if outcome == "not_run":
                label, by = LIMITS[NOT_RUN], JUDGE
            else:
                diagnosis = results.diagnoses.get(student, {}).get(
                    (test.notebook, test.grade_id))
                label, by = (diagnosis.label, diagnosis.by) if diagnosis else (NO_ERROR, JUDGE)
                message = diagnosis.message if diagnosis else ""
            counts[label, by] = counts.get((label, by), 0) + 1
            examples.setdefault((label, by), message)
        for (label, by), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rows.append({"notebook": test.notebook, "test": test.grade_id,
                         "function": test.function, "mistake": label, "diagnosed_by": by,
                         "students": n, "share": f"{n / total:.3f}" if total else "0",
                         "example": examples[label, by]})
    return rows


def write_mistakes_csv(results: ClassResults, path: Path) -> None:
    fields = ["notebook", "test", "function", "mistake", "diagnosed_by", "students", "share"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fields, extrasaction="ignore")  # not the example message
        writer.writeheader()
        writer.writerows(mistakes(results))


def root_causes(results: ClassResults) -> list[dict]:
    """Per graded function: what its own test lost (students, points), and what the tests of
    later functions lost because they call it and it had failed ("First fix ..."): the
    knock-on, which a one-line mistake can make many times larger. A failure blamed on a
    function whose own test was blamed on another goes on to that one, the root cause. Tests
    that did not run count for no function."""
    rows: dict[str, dict] = {}

    def row(function: str) -> dict:
        return rows.setdefault(function, {"function": function, "students": set(),
                                          "points_lost": 0.0, "knock_on_students": set(),
                                          "knock_on_tests": 0, "knock_on_points_lost": 0.0})

    def blamed(diagnosis) -> str | None:
        if diagnosis is not None and diagnosis.kind.startswith(BLAMED):
            return diagnosis.kind.removeprefix(BLAMED).strip()
        return None

    for test in results.tests:
        for student in sorted(results.scores):
            if results.outcome(student, test) in ("full", "not_run"):
                continue
            lost = test.points - (results.scores[student].get((test.notebook, test.grade_id))
                                  or 0.0)
            found = results.diagnoses.get(student, {})
            culprit = blamed(found.get((test.notebook, test.grade_id)))
            if culprit is not None:
                # A function blamed on another in its own test: the blame goes on to that one.
                blames = {t.function: blamed(found.get((t.notebook, t.grade_id)))
                          for t in results.tests}
                seen = {test.function}
                while blames.get(culprit) and culprit not in seen:
                    seen.add(culprit)
                    culprit = blames[culprit]
                cause = row(culprit)
                cause["knock_on_students"].add(student)
                cause["knock_on_tests"] += 1
                cause["knock_on_points_lost"] += lost
            else:
                own = row(test.function)
                own["students"].add(student)
                own["points_lost"] += lost
    order = {test.function: i for i, test in enumerate(results.tests)}
    return [{**r, "students": len(r["students"]),
             "knock_on_students": len(r["knock_on_students"])}
            for r in sorted(rows.values(), key=lambda r: order.get(r["function"], len(order)))]


def write_root_causes_csv(results: ClassResults, path: Path) -> None:
    fields = ["function", "students", "points_lost", "knock_on_students", "knock_on_tests",
              "knock_on_points_lost"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        for r in root_causes(results):
            writer.writerow({**r, "points_lost": _points(r["points_lost"]),
                             "knock_on_points_lost": _points(r["knock_on_points_lost"])})
