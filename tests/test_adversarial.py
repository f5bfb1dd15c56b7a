"""The adversarial corpus (tests/support/adversarial.py) graded by plain `nbgrader autograde`
(the course's nbgrader_config.py: hidden tests compared outside the kernel, limits, sandbox) and
by `nndl grade`, in the bubblewrap sandbox, and the robustness cases also without it, by `nndl
grade` (`sandbox=off`, what a grader without bubblewrap gets). The cases aimed at a week's tests are
graded in every week; those aimed at the grading machinery in one week each, in turn
(adversarial.MACHINE). Every case must get its exact score on every path and in every mode, and
the report of `nndl grade` its reason; no attack may leave a trace outside its own copy: no file,
process, cgroup, planted setting or leaked secret."""

from __future__ import annotations

import csv
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
import pytest
from support import adversarial
from support import grading_corpus as gc
from support.system_packages import require_sandbox

from autograder.engine import cell_errors
from autograder.engine.scratch import OWNER, alive

pytestmark = pytest.mark.slow

WEEKS = list(adversarial.WEEKS)
# The weeks whose corpus has a case graded with the short cell time limit.
TIMED_WEEKS = [week for week in WEEKS if set(adversarial.TIMED) & set(adversarial.MACHINE[week])]
MODES = ["require", "off"]
# (path, mode) graded: plain nbgrader with the sandbox only.
PATHS = [("nbgrader", "require"), ("nndl", "require"), ("nndl", "off")]
# Seconds. Generous: a niced grading may wait long for the CPU beside the other tests, and a
# case whose notebook reached this limit would lose the points of its later cells.
NOTEBOOK_TIMEOUT = 600
MEMORY = 2048  # MiB per kernel
PARALLEL_RUNS = 4  # grading runs at once (each 1 kernel for nbgrader, 2 for nndl grade)
# The timed runs at once, beside those: they mostly wait for their short cell limit to pass.
PARALLEL_TIMED = 3
# The gradings yield the CPU to tests running beside them (pytest -n); not the timed ones, whose
# short cell limit is wall-clock seconds that a starved kernel's imports would use up.
NICE = 10
SECRET = "nndl-grader-secret-5c0ffee"  # planted in the graders' environment
PLANTED = (".ipython/profile_default/startup/00-nndl-planted.py",
           ".jupyter/jupyter_nndl_planted_config.py")


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.ipynb")):
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class Unit:
    """One grading run: a course copy with some of a week's submissions, on one path, in one
    sandbox mode."""

    name: str  # "nbgrader" or "nndl", with "-timed" (short cell limit)
    week: str
    students: list[str]
    mode: str = "require"
    course: Path | None = None
    run: subprocess.CompletedProcess | None = None
    feedback: subprocess.CompletedProcess | None = None

    @property
    def path(self) -> str:
        return self.name.split("-")[0]

    @property
    def cell_timeout(self) -> int:
        timed = self.name.endswith("-timed")
        return adversarial.LOOP_TIMEOUT if timed else adversarial.WEEKS[self.week].cell_timeout

    def cost(self) -> float:
        """A rough measure of how long the run takes: submissions, at a time limit each for the
        timed ones, shared by 2 workers for `nndl grade`; the later weeks take longer."""
        each = 3 if self.name.endswith("-timed") else 1
        return len(self.students) * each / (2 if self.path == "nndl" else 1) * (
            1 + WEEKS.index(self.week) / 4)

    def grade(self) -> None:
        nice = 0 if self.name.endswith("-timed") else NICE
        if self.path == "nbgrader":
            self.run = gc.nbgrader(
                self.course, "autograde", self.week, f"--Execute.timeout={self.cell_timeout}",
                f"--LimitedExecute.notebook_timeout={NOTEBOOK_TIMEOUT}",
                f"--LimitedExecute.memory_limit={MEMORY}", f"--LimitedExecute.sandbox={self.mode}",
                nice=nice)
        else:
            self.run = gc.nndl(
                self.course, "grade", self.week, "--workers", "2", "--quiet", "--sandbox",
                self.mode, "--cell-timeout", str(self.cell_timeout),
                "--notebook-timeout", str(NOTEBOOK_TIMEOUT), "--memory", str(MEMORY), nice=nice)
        if "secrets" in self.students:  # what the student would receive
            self.feedback = gc.nbgrader(self.course, "generate_feedback", self.week,
                                        "--student", "secrets")


def units(week: str, students: list[str]) -> list[Unit]:
    """`nndl grade` grades every case, on 2 workers; plain nbgrader, one submission at a time,
    what differs between the paths. The timed cases run apart, with a short cell time limit;
    the robustness cases again without the sandbox, through `nndl grade`: without the sandbox
    both paths meet the same code (LimitedExecute's limits, in nbgrader's Autograde)."""
    timed = [s for s in students if s in adversarial.TIMED]
    rest = [s for s in students if s not in adversarial.TIMED]
    off = [s for s in rest if s in adversarial.UNSANDBOXED]
    off_timed = [s for s in timed if s in adversarial.UNSANDBOXED]
    both = [s for s in rest if s not in adversarial.NNDL_ONLY]
    made = [Unit("nbgrader", week, both), Unit("nndl", week, rest),
            Unit("nbgrader-timed", week, timed), Unit("nndl-timed", week, timed),
            Unit("nndl", week, off, "off"), Unit("nndl-timed", week, off_timed, "off")]
    return [unit for unit in made if unit.students]


def _processes_with(marker: str) -> list[int]:
    return [p.pid for p in psutil.process_iter(["cmdline"])
            if marker in " ".join(p.info.get("cmdline") or [])]


def _planted(home: Path) -> list[Path]:
    return [home / name for name in PLANTED if (home / name).exists()]


def _homes() -> set[Path]:
    return {Path.home(), Path(pwd.getpwuid(os.getuid()).pw_dir)}


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
    planted_before = {path for home in _homes() for path in _planted(home)}
    template = gc.course_copy(tmp_path_factory.mktemp("template"))
    for week in WEEKS:
        made = gc.nbgrader(template, "generate_assignment", week, "--force")
        assert made.returncode == 0, made.stderr
    expected = {week: adversarial.corpus(week, port) for week in WEEKS}
    runs = [unit for week in reversed(WEEKS) for unit in units(week, list(expected[week]))]
    runs.sort(key=Unit.cost, reverse=True)  # the longest first: the runs end together
    for unit in runs:
        unit.course = tmp_path_factory.mktemp(f"{unit.name}-{unit.mode}-{unit.week}")
        shutil.copytree(template, unit.course, dirs_exist_ok=True)
        for student in unit.students:
            gc.submit(unit.course, student, unit.week, expected[unit.week][student].files)
    source = _digest(template / "source")
    os.environ["NNDL_TEST_GRADER_SECRET"] = SECRET
    try:
        timed = [unit for unit in runs if unit.name.endswith("-timed")]
        with ThreadPoolExecutor(PARALLEL_RUNS) as pool, \
                ThreadPoolExecutor(PARALLEL_TIMED) as waiting:  # the slowest week first
            done = [waiting.submit(unit.grade) for unit in timed] + [
                pool.submit(unit.grade) for unit in runs if unit not in timed]
            for future in done:
                future.result()
    finally:
        del os.environ["NNDL_TEST_GRADER_SECRET"]
    try:
        connection = listener.accept()
    except BlockingIOError:
        connection = None
    listener.close()
    left = {marker: _processes_with(marker) for marker in (
        "nndl-escaped-process-", f"sleep {adversarial.SLEEP_MARKER}")}
    planted = {path for home in _homes() for path in _planted(home)} - planted_before
    for path in planted:  # an attack that worked must not spoil the machine
        path.unlink()
    return {"units": runs, "expected": expected, "connection": connection,
            "kernel_dirs": kernel_dirs, "repo_source": repo_source, "source": source,
            "processes_left": left, "planted": planted}


def _scores(course: Path, week: str) -> dict[str, float]:
    """Each submitted student's total for ``week`` in the gradebook (0 for a submission nbgrader
    could not grade at all, as `nbgrader export` reports it)."""
    graded = gc.gradebook_scores(course, week)
    return {student: sum(graded.get(student, {}).values())
            for student in (p.parent.name for p in (course / "submitted").glob(f"*/{week}"))}


def _units(graded, week: str, path: str | None = None, mode: str | None = None) -> list[Unit]:
    return [u for u in graded["units"] if u.week == week and path in (None, u.path)
            and mode in (None, u.mode)]


def _expected_score(case: adversarial.Case, path: str, mode: str) -> float:
    if path == "nbgrader" and case.nbgrader_score is not None:
        return case.nbgrader_score
    if mode == "off" and case.unsandboxed_score is not None:
        return case.unsandboxed_score
    return case.score


@pytest.mark.parametrize("week", WEEKS)
def test_both_paths_grade_every_notebook_they_can_read(graded, week):
    """nbgrader keeps going past the submissions it cannot grade (bad JSON, no notebook, a
    linked notebook, a copy's name), which score zero; `nndl grade` grades those zero with a
    reason (a copy-named notebook under its name), and exits 0."""
    unreadable = {"malformed", "renamed", "empty", "symlink-notebook"}
    for unit in _units(graded, week):
        log = unit.run.stdout + unit.run.stderr
        if unit.path == "nndl":
            assert unit.run.returncode == 0, log[-3000:]
        assert "TCP without encryption" not in log
        autograded = {p.parent.name for p in (unit.course / "autograded").glob(f"*/{week}")
                      if any(p.glob("*.ipynb"))}
        cannot = unreadable | ({"copy-suffix"} if unit.path == "nbgrader" else set())
        assert autograded == set(unit.students) - cannot, (unit.name, unit.mode, week)


@pytest.mark.parametrize(("path", "mode"), PATHS)
@pytest.mark.parametrize("week", WEEKS)
def test_every_case_gets_its_exact_score(graded, week, path, mode):
    scores = {}
    for unit in _units(graded, week, path, mode):
        scores.update(_scores(unit.course, week))
    cases = graded["expected"][week]
    expected = {s: _expected_score(cases[s], path, mode) for s in scores}
    assert scores, f"no case graded by {path} in mode {mode} in {week}"
    assert set(scores) == {s for u in _units(graded, week, path, mode) for s in u.students}
    wrong = {s: (scores.get(s), score) for s, score in expected.items() if scores.get(s) != score}
    assert wrong == {}, f"{path} {mode} {week}: (got, expected) {wrong}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("week", WEEKS)
def test_nndl_grade_reports_each_reason(graded, week, mode):
    rows = {}
    for unit in _units(graded, week, "nndl", mode):
        rows.update({r["student"]: r for r in csv.DictReader(
            open(unit.course / f"grading-{week}.csv"))})
    assert rows
    for student, row in rows.items():
        case = graded["expected"][week][student]
        if case.reason:
            assert case.reason in row["problems"], (week, mode, student, row["problems"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("week", TIMED_WEEKS)
def test_a_loop_or_a_stuck_cell_costs_one_cell_time_limit(graded, week, mode):
    """The loop is in V's test; the cells after it that call V stop at once (V has not passed
    its test), and a cell that ignores the interrupt stops the kernel: exactly one cell of the
    submission reaches its time limit, whatever the machine's load."""
    limits = {cell_errors.TIME_LIMIT, cell_errors.STUCK}
    for unit in _units(graded, week, mode=mode):
        if not unit.name.endswith("-timed"):
            continue
        for student in unit.students:
            (notebook,) = (unit.course / "autograded" / student / week).glob("*.ipynb")
            cells = [c for c in nbformat.read(notebook, 4).cells if c.cell_type == "code"]
            # From V's answer on: the cells before it (the imports) take longer than the timed
            # units' short cell limit only when the machine is overloaded, not because of V.
            start = next(i for i, c in enumerate(cells)
                         if c.source.lstrip().startswith(f"def {adversarial.WEEKS[week].V}("))
            timed_out = [c for c in cells[start:] if limits & {o.get("ename") for o in c.outputs}]
            assert len(timed_out) == 1, (unit.name, mode, week, student)
    (unit,) = [u for u in _units(graded, week, "nndl", mode) if u.name == "nndl-timed"]
    for row in csv.DictReader(open(unit.course / f"grading-{week}.csv")):
        assert adversarial.LOOP_TIMEOUT <= float(row["seconds"]) < NOTEBOOK_TIMEOUT / 2, row


def test_no_attack_leaves_a_trace(graded):
    assert graded["connection"] is None, "a kernel reached the grader's network"
    assert _digest(gc.ROOT / "source") == graded["repo_source"], "the repository's source/"
    assert not Path("/tmp/nndl-escaped").exists()
    for unit in graded["units"]:
        where = (unit.name, unit.mode, unit.week)
        assert _digest(unit.course / "source") == graded["source"], where
        assert not (unit.course / "ESCAPED").exists(), where
        for notebook in (unit.course / "autograded" / "escape" / unit.week).glob("*.ipynb"):
            printed = "".join(o.get("text", "") for c in nbformat.read(notebook, 4).cells
                              for o in c.get("outputs", []) if o.get("output_type") == "stream")
            assert "READ ANOTHER STUDENT'S NOTEBOOK" not in printed, where
    left = set(Path(tempfile.gettempdir()).glob("nndl-kernel-*")) - graded["kernel_dirs"]
    assert [d for d in left if not _owner_alive(d)] == [], "kernels' private folders left behind"


def _owner_alive(folder: Path) -> bool:
    """Whether the process that made a scratch folder still runs (another test's, at the same
    time: not left behind)."""
    try:
        return alive(int((folder / OWNER).read_text()))
    except (OSError, ValueError):
        return False


def test_no_process_outlives_its_grading(graded):
    """escape-process starts a process in a new session and one by a double fork;
    many-processes starts hundreds of sleeping children: all gone, in every mode."""
    assert graded["processes_left"] == {marker: [] for marker in graded["processes_left"]}
    for cgroup in Path("/sys/fs/cgroup").glob("**/nndl-kernel-*"):
        creator = int(cgroup.name.removeprefix("nndl-kernel-").split("-")[0])
        assert alive(creator), f"a kernel's cgroup was left behind: {cgroup}"


def test_the_process_limit_holds(graded):
    for unit in graded["units"]:
        for notebook in (unit.course / "autograded" / "many-processes" / unit.week).glob(
                "*.ipynb"):
            printed = "".join(o.get("text", "") for c in nbformat.read(notebook, 4).cells
                              for o in c.get("outputs", []) if o.get("output_type") == "stream")
            counts = [int(line.split()[1]) for line in printed.splitlines()
                      if line.startswith("started ")]
            assert all(n < adversarial.MANY_PROCESSES_COUNT for n in counts), (
                unit.name, unit.mode, unit.week, counts)


def test_no_setting_is_planted_in_the_graders_home(graded):
    assert graded["planted"] == set()


def test_the_graders_secrets_reach_neither_autograded_nor_feedback(graded):
    for unit in graded["units"]:
        if "secrets" not in unit.students:
            continue
        assert unit.feedback.returncode == 0, unit.feedback.stderr[-2000:]
        files = [*(unit.course / "autograded" / "secrets").rglob("*"),
                 *(unit.course / "feedback" / "secrets").rglob("*")]
        feedback = [f for f in files if f.suffix == ".html"]
        assert feedback, (unit.name, unit.mode, unit.week)
        for path in files:
            if path.is_file():
                data = path.read_bytes()
                assert SECRET.encode() not in data, (unit.name, unit.mode, path)
        printed = feedback[0].read_text()
        assert "PATH" in printed  # the attack did print the environment it got


def test_a_submission_cannot_fill_the_disk(graded):
    for unit in graded["units"]:
        if "disk" in unit.students:
            folder = unit.course / "autograded" / "disk" / unit.week
            total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            assert total < 20 * 2**20, (unit.name, unit.mode, unit.week, total)
            assert not list(folder.glob("big*.dat"))
