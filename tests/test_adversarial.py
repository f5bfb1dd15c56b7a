"""The adversarial corpus (tests/adversarial.py), every week, graded twice: by plain `nbgrader
autograde` (the course's nbgrader_config.py: hidden tests compared outside the kernel, limits,
sandbox) and by `nndl grade`. Every case must get its exact score on both paths, and the report
of `nndl grade` its reason; no attack may leave a trace outside its own copy."""

from __future__ import annotations

import csv
import hashlib
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import adversarial
import grading_corpus as gc
import nbformat
import pytest
from system_packages import require_sandbox

pytestmark = pytest.mark.slow

WEEKS = list(adversarial.WEEKS)
NOTEBOOK_TIMEOUT = 300  # seconds
MEMORY = 2048  # MiB per kernel
PARALLEL_RUNS = 4  # grading runs at once (each 1 kernel for nbgrader, 2 for nndl grade)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.ipynb")):
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class Unit:
    """One grading run: a course copy with some of a week's submissions, on one path."""

    name: str  # "nbgrader-a", "nbgrader-b", "nbgrader-loop", "nndl", "nndl-loop"
    week: str
    students: list[str]
    course: Path | None = None
    run: subprocess.CompletedProcess | None = None

    @property
    def path(self) -> str:
        return self.name.split("-")[0]

    @property
    def cell_timeout(self) -> int:
        loop = self.name.endswith("-loop")
        return adversarial.LOOP_TIMEOUT if loop else adversarial.WEEKS[self.week].cell_timeout

    def grade(self) -> None:
        if self.path == "nbgrader":
            self.run = gc.nbgrader(
                self.course, "autograde", self.week, f"--Execute.timeout={self.cell_timeout}",
                f"--LimitedExecute.notebook_timeout={NOTEBOOK_TIMEOUT}",
                f"--LimitedExecute.memory_limit={MEMORY}", "--LimitedExecute.sandbox=require")
        else:
            self.run = gc.nndl(
                self.course, "grade", self.week, "--workers", "2", "--quiet", "--sandbox",
                "require", "--cell-timeout", str(self.cell_timeout),
                "--notebook-timeout", str(NOTEBOOK_TIMEOUT), "--memory", str(MEMORY))


def units(week: str, students: list[str]) -> list[Unit]:
    """Plain nbgrader grades one submission at a time: its share of the class is split in two
    course copies graded side by side; `nndl grade` takes the rest at once, on 2 workers."""
    rest = [s for s in students if s != "loop"]
    return [Unit("nbgrader-a", week, rest[0::2]), Unit("nbgrader-b", week, rest[1::2]),
            Unit("nndl", week, rest), Unit("nbgrader-loop", week, ["loop"]),
            Unit("nndl-loop", week, ["loop"])]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_sandbox()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    repo_source = _digest(gc.ROOT / "source")
    kernel_dirs = set(Path(tempfile.gettempdir()).glob("nndl-kernel-*"))
    template = gc.course_copy(tmp_path_factory.mktemp("template"))
    for week in WEEKS:
        made = gc.nbgrader(template, "generate_assignment", week, "--force")
        assert made.returncode == 0, made.stderr
    expected = {week: adversarial.corpus(week, port) for week in WEEKS}
    runs = [unit for week in reversed(WEEKS) for unit in units(week, list(expected[week]))]
    for unit in runs:
        unit.course = tmp_path_factory.mktemp(f"{unit.name}-{unit.week}")
        shutil.copytree(template, unit.course, dirs_exist_ok=True)
        for student in unit.students:
            gc.submit(unit.course, student, unit.week, expected[unit.week][student].files)
    source = _digest(template / "source")
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:  # the slowest week first
        list(pool.map(Unit.grade, runs))
    try:
        connection = listener.accept()
    except BlockingIOError:
        connection = None
    listener.close()
    return {"units": runs, "expected": expected, "connection": connection,
            "kernel_dirs": kernel_dirs,
            "repo_source": repo_source, "source": source}


def _scores(course: Path, week: str) -> dict[str, float]:
    """Each submitted student's total for ``week`` in the gradebook (0 for a submission nbgrader
    could not grade at all, as `nbgrader export` reports it)."""
    graded = gc.gradebook_scores(course, week)
    return {student: sum(graded.get(student, {}).values())
            for student in (p.parent.name for p in (course / "submitted").glob(f"*/{week}"))}


def _units(graded, week: str, path: str | None = None) -> list[Unit]:
    return [u for u in graded["units"] if u.week == week and path in (None, u.path)]


@pytest.mark.parametrize("week", WEEKS)
def test_both_paths_grade_every_notebook_they_can_read(graded, week):
    """nbgrader keeps going past the submissions it cannot grade (bad JSON, no notebook), which
    score zero; `nndl grade` grades those zero with a reason, and exits 0."""
    unreadable = {"malformed", "renamed", "empty"}
    for unit in _units(graded, week):
        log = unit.run.stdout + unit.run.stderr
        if unit.path == "nndl":
            assert unit.run.returncode == 0, log[-3000:]
        assert "TCP without encryption" not in log
        autograded = {p.parent.name for p in (unit.course / "autograded").glob(f"*/{week}")
                      if any(p.glob("*.ipynb"))}
        assert autograded == set(unit.students) - unreadable, (unit.name, week)


@pytest.mark.parametrize("path", ["nbgrader", "nndl"])
@pytest.mark.parametrize("week", WEEKS)
def test_every_case_gets_its_exact_score(graded, week, path):
    scores = {}
    for unit in _units(graded, week, path):
        scores.update(_scores(unit.course, week))
    expected = {student: case.score for student, case in graded["expected"][week].items()}
    wrong = {s: (scores.get(s), score) for s, score in expected.items() if scores.get(s) != score}
    assert wrong == {}, f"{path} {week}: (got, expected) {wrong}"


@pytest.mark.parametrize("week", WEEKS)
def test_nndl_grade_reports_each_reason(graded, week):
    rows = {}
    for unit in _units(graded, week, "nndl"):
        rows.update({r["student"]: r for r in csv.DictReader(
            open(unit.course / f"grading-{week}.csv"))})
    for student, case in graded["expected"][week].items():
        problems = rows[student]["problems"]
        if case.reason:
            assert case.reason in problems, (week, student, problems)


@pytest.mark.parametrize("week", WEEKS)
def test_the_loop_costs_one_cell_time_limit(graded, week):
    """The loop is in V's test; the cells after it that call V stop at once (V has not passed
    its test), so the whole submission takes about one cell time limit."""
    unit = next(u for u in _units(graded, week, "nndl") if u.name == "nndl-loop")
    row = next(csv.DictReader(open(unit.course / f"grading-{week}.csv")))
    assert adversarial.LOOP_TIMEOUT <= float(row["seconds"]) < 4 * adversarial.LOOP_TIMEOUT + 20


def test_no_attack_leaves_a_trace(graded):
    assert graded["connection"] is None, "a kernel reached the grader's network"
    assert _digest(gc.ROOT / "source") == graded["repo_source"], "the repository's source/"
    assert not Path("/tmp/nndl-escaped").exists()
    for unit in graded["units"]:
        assert _digest(unit.course / "source") == graded["source"], (unit.name, unit.week)
        assert not (unit.course / "ESCAPED").exists(), (unit.name, unit.week)
        for notebook in (unit.course / "autograded" / "escape" / unit.week).glob("*.ipynb"):
            printed = "".join(o.get("text", "") for c in nbformat.read(notebook, 4).cells
                              for o in c.get("outputs", []) if o.get("output_type") == "stream")
            assert "READ ANOTHER STUDENT'S NOTEBOOK" not in printed, (
                f"{unit.name} {unit.week}: read another student's notebook")
    assert not set(Path(tempfile.gettempdir()).glob("nndl-kernel-*")) - graded["kernel_dirs"], (
        "kernels' private folders left behind")


def test_without_the_sandbox_reading_the_source_would_pay(tmp_path):
    """What the sandbox is for: the same submission graded with `--sandbox off` reads the
    reference from source/ and earns V's points (the corpus expects it not to)."""
    week = "week1"
    case = adversarial.corpus(week, 1)["read-source"]
    course = gc.course_copy(tmp_path / "course")
    assert gc.nbgrader(course, "generate_assignment", week, "--force").returncode == 0
    gc.submit(course, "read-source", week, case.files)
    run = gc.nndl(course, "grade", week, "--workers", "1", "--quiet", "--sandbox", "off")
    assert run.returncode == 0, run.stderr[-3000:]
    pts = adversarial.points(week)
    spec = adversarial.WEEKS[week]
    assert case.score == pts[f"test_{spec.T}"]
    assert _scores(course, week)["read-source"] == case.score + pts[f"test_{spec.V}"]
