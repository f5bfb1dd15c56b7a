"""`nndl grade`: a class graded in parallel into nbgrader's gradebook, with limits, a report,
and a restart after `kill -9` that grades every submission exactly once."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from catalogue.week1 import MISTAKES
from support import grading_corpus as gc

pytestmark = pytest.mark.slow

W, N = "week1", "numpy_basics"
NB = f"{N}.ipynb"
LIMITS = ["--cell-timeout", "10", "--notebook-timeout", "30", "--memory", "2048"]


def points(*grade_ids):
    """Points of the test cells ``grade_ids`` in the source notebook (all of them if none)."""
    cells = gc.points(W, N)
    return sum(cells[g] for g in grade_ids) if grade_ids else sum(cells.values())


def make_class(course: Path) -> dict[str, tuple[float, str]]:
    """Submissions and the (score, words of the reason) each must get. Loops, crashes, memory
    bombs, floods, renamed and empty submissions, and attempts to cheat, for every week:
    tests/test_adversarial.py."""
    full = points()
    mistake = next(m for m in MISTAKES["sigmoid"] if "math.exp" in m.code)
    cases = {
        "correct": ({NB: gc.finished(W, N)}, full, ""),
        "blank": ({NB: gc.blank(W, N)}, 0, "blank (none of its"),
        # sigmoid is wrong: its test and the test of sigmoid_derivative (which calls it) fail
        "mistake": ({NB: gc.finished(W, N, {"sigmoid": mistake.code})},
                    full - points("test_sigmoid", "test_sigmoid_derivative"), ""),
        "badimport": ({NB: gc.insert_cell(gc.finished(W, N), "imports",
                                          "import nonexistent_package_xyz")},
                      full, "ModuleNotFoundError"),
        "malformed": ({NB: "{not json"}, 0, "not valid notebook JSON"),
    }
    for student, (files, _, _) in cases.items():
        gc.submit(course, student, W, files)
    return {student: (score, words) for student, (_, score, words) in cases.items()}


def gradebook_scores(course: Path) -> dict[str, dict[str, float]]:
    return gc.gradebook_scores(course, W)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = gc.course_copy(tmp_path_factory.mktemp("course"))
    made = gc.nbgrader(course, "generate_assignment", W, "--force")
    assert made.returncode == 0, made.stderr
    expected = make_class(course)
    start = time.perf_counter()
    run = gc.nndl(course, "grade", W, "--workers", "2", *LIMITS)
    return course, expected, run, time.perf_counter() - start


def test_every_submission_gets_its_exact_score_and_reason(graded):
    course, expected, run, seconds = graded
    assert run.returncode == 0, run.stderr
    rows = {r["student"]: r for r in csv.DictReader(open(course / f"grading-{W}.csv"))}
    assert set(rows) == set(expected)
    for student, (score, words) in expected.items():
        row = rows[student]
        assert float(row["score"]) == score, (student, row)
        assert float(row["max_score"]) == points(), (student, row)
        if words:
            assert words in row["problems"], (student, row["problems"])
        else:
            assert row["problems"] == "", (student, row["problems"])
    print(f"\n{len(rows)} submissions graded in {seconds:.1f} s\n{run.stdout}")


def test_the_gradebook_holds_the_same_scores_and_nbgrader_exports_them(graded):
    course, expected, _, _ = graded
    scores = gradebook_scores(course)
    assert {s: sum(v.values()) for s, v in scores.items()} == {
        s: score for s, (score, _) in expected.items()}
    export = gc.nbgrader(course, "export")
    assert export.returncode == 0, export.stderr
    exported = {r["student_id"]: float(r["score"])
                for r in csv.DictReader(open(course / "grades.csv"))}
    assert exported == {s: score for s, (score, _) in expected.items()}
    for student in expected:
        assert (course / "autograded" / student / W).is_dir(), student


def test_report_table_and_quiet_progress(graded):
    _, expected, run, _ = graded
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["student", "score", "max", "seconds", "problems"]
    assert len([line for line in lines[2:] if line.strip() and not line.startswith(
        tuple("0123456789"))]) >= len(expected)
    assert "TCP without encryption" not in run.stdout + run.stderr
    assert "SAWarning" not in run.stdout + run.stderr
    summary = run.stdout[run.stdout.index("most frequent mistakes in the class"):]
    assert summary.splitlines()[:3] == [
        f"most frequent mistakes in the class ({len(expected)} submissions):",
        "     1  sigmoid: raised TypeError", f"the class report, test by test: nndl report {W}"]


def test_scores_are_nbgraders_own_cell_by_cell(graded, tmp_path):
    """The honest submissions, graded by plain `nbgrader autograde`, get the same grades."""
    course, _, _, _ = graded
    plain = gc.course_copy(tmp_path / "plain")
    assert gc.nbgrader(plain, "generate_assignment", W, "--force").returncode == 0
    honest = ["correct", "blank", "mistake", "badimport"]
    for student in honest:
        src = course / "submitted" / student / W
        gc.submit(plain, student, W, {p.name: p.read_bytes() for p in src.iterdir()})
    run = gc.nbgrader(plain, "autograde", W)
    assert run.returncode == 0, run.stderr[-2000:]
    ours, theirs = gradebook_scores(course), gradebook_scores(plain)
    for student in honest:
        assert ours[student] == theirs[student], student


def test_the_class_report_counts_each_test_and_exports_a_column_per_test(graded):
    """`nndl report`: tests.csv puts each student in one of full, partial, zero and not run for
    every test; scores.csv has every student's points per test beside nbgrader's totals. (Before
    the next test, which changes a submission.)"""
    course, expected, _, _ = graded
    run = gc.nndl(course, "report", W)
    assert run.returncode == 0, run.stderr
    folder = course / "reports" / W
    cells = gc.points(W, N)
    lost = {"mistake": {"test_sigmoid", "test_sigmoid_derivative"}, "blank": set(cells)}
    tests = list(csv.DictReader(open(folder / "tests.csv")))
    assert [row["test"] for row in tests] == list(cells)  # the notebook's order
    for row in tests:
        test = row["test"]
        zero = sum(1 for student in lost if test in lost[student])
        assert row == {"notebook": N, "test": test, "function": test.removeprefix("test_"),
                       "points": f"{cells[test]:g}", "students": str(len(expected)),
                       "full": str(len(expected) - zero - 1), "partial": "0",
                       "zero": str(zero), "not_run": "1"}, row  # not run: the malformed one
    scores = {row.pop("student_id"): row for row in csv.DictReader(open(folder / "scores.csv"))}
    assert set(scores) == set(expected)
    for student, (score, _) in expected.items():
        row = scores[student]
        assert {t: float(row[t]) for t in cells} == {
            t: 0.0 if t in lost.get(student, set()) or student == "malformed" else cells[t]
            for t in cells}, student
        assert float(row["score"]) == float(row["raw_score"]) == score
        assert float(row["max_score"]) == points()
    # mistakes.csv: each student who lost points on a test in exactly one row of it
    rows = list(csv.DictReader(open(folder / "mistakes.csv")))
    for row in tests:
        lost_here = sum(int(m["students"]) for m in rows if m["test"] == row["test"])
        assert lost_here == int(row["zero"]) + int(row["partial"]) + int(row["not_run"])

    def of(test):
        return sorted((m["mistake"], m["diagnosed_by"], m["students"]) for m in rows
                      if m["test"] == test)

    # math.exp on an array raises in the visible tests (the kernel's account); the blank stub
    # is not written; sigmoid_derivative calls sigmoid: its failures are blamed on sigmoid; the
    # malformed notebook did not run (the grader's account)
    assert of("test_sigmoid") == [("not run", "judge", "1"), ("not written", "kernel", "1"),
                                  ("raised TypeError", "kernel", "1")]
    assert of("test_sigmoid_derivative") == [("blamed on sigmoid", "kernel", "2"),
                                             ("not run", "judge", "1")]
    # root_causes.csv: sigmoid's own test and, through it, sigmoid_derivative's
    causes = {r["function"]: r for r in csv.DictReader(open(folder / "root_causes.csv"))}
    assert causes["sigmoid"] == {
        "function": "sigmoid", "students": "2", "points_lost": f"{2 * cells['test_sigmoid']:g}",
        "knock_on_students": "2", "knock_on_tests": "2",
        "knock_on_points_lost": f"{2 * cells['test_sigmoid_derivative']:g}"}
    assert all(r["knock_on_tests"] == "0" for f, r in causes.items() if f != "sigmoid")
    assert "basic_sigmoid" in causes and causes["basic_sigmoid"]["students"] == "1"  # blank
    # the page: self-contained, the re-teach box first, no student id unless --names
    page = (folder / "index.html").read_text()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    teach = page[page.index("Re-teach these"):page.index("<h2>Scores")]
    assert "raised TypeError</b> in sigmoid: 1 student (20 %)" in teach
    assert "badimport" not in page and "error outside the tests" in page
    named = gc.nndl(course, "report", W, "--names", "--out", str(folder / "named"))
    assert named.returncode == 0, named.stderr
    assert "badimport" in (folder / "named" / "index.html").read_text()
    assert gc.nndl(course, "report", "week9").returncode == 1


def test_a_second_run_keeps_what_is_graded_and_regrades_a_changed_submission(graded):
    course, expected, _, _ = graded
    folder = course / "submitted" / "blank" / W
    nbformat.write(gc.finished(W, N), folder / NB)  # the student resubmits, finished
    run = gc.nndl(course, "grade", W, "--workers", "2", *LIMITS)
    assert run.returncode == 0, run.stderr
    assert f"{len(expected) - 1} of {len(expected)} submissions already graded" in run.stderr
    scores = gradebook_scores(course)
    assert sum(scores["blank"].values()) == points()
    assert len(scores) == len(expected)


def test_no_gradebook_or_unknown_assignment_says_what_to_run(tmp_path):
    course = gc.course_copy(tmp_path / "c")
    run = gc.nndl(course, "grade", W)
    assert run.returncode == 1
    assert f"nbgrader generate_assignment {W} --force" in run.stderr


def test_kill_9_then_rerun_grades_each_submission_exactly_once(tmp_path):
    course = gc.course_copy(tmp_path / "course")
    assert gc.nbgrader(course, "generate_assignment", W, "--force").returncode == 0
    students = [f"s{i}" for i in range(6)]
    for i, student in enumerate(students):
        answer = gc.finished(W, N) if i % 2 == 0 else gc.blank(W, N)
        gc.submit(course, student, W, {NB: answer})
    journal = course / ".nndl" / "grade" / f"{W}.jsonl"
    first = subprocess.Popen([sys.executable, "-m", "autograder.cli", "--root", str(course),
                              "grade", W, "--workers", "2", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.poll() is None:
        if journal.is_file() and len(journal.read_text().splitlines()) >= 2:
            break
        time.sleep(0.05)
    assert first.poll() is None, "the first run ended before it could be killed"
    os.killpg(first.pid, signal.SIGKILL)  # the coordinator and its workers, mid-batch
    first.wait()
    done_before = {json.loads(line)["student"] for line in journal.read_text().splitlines()}
    assert 2 <= len(done_before) < len(students)

    second = gc.nndl(course, "grade", W, "--workers", "2", "--quiet")
    assert second.returncode == 0, second.stderr
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    graded_twice = [s for s in students if sum(e["student"] == s for e in entries) > 1]
    assert graded_twice == [], "graded again although already recorded"
    assert {e["student"] for e in entries} == set(students)
    scores = gradebook_scores(course)
    assert sorted(scores) == students
    for i, student in enumerate(students):
        assert sum(scores[student].values()) == (points() if i % 2 == 0 else 0), student
    assert not list((course / "autograded").glob("*/.*")), "half-written folders left behind"


def test_a_dask_cluster_grades_and_only_the_coordinator_writes(tmp_path):
    """A real scheduler and two workers on loopback, started here; `nndl grade --scheduler`."""
    course = gc.course_copy(tmp_path / "course")
    assert gc.nbgrader(course, "generate_assignment", W, "--force").returncode == 0
    students = {"a": gc.finished(W, N), "b": gc.blank(W, N), "c": gc.finished(W, N),
                "d": gc.finished(W, N, {"sigmoid": "def sigmoid(x):\n    return x\n"})}
    for student, answer in students.items():
        gc.submit(course, student, W, {NB: answer})
    cluster = tmp_path / "cluster"  # the workers' own folder: they never see the course
    cluster.mkdir()
    address_file = cluster / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    processes = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", "0",
                                   "--dashboard-address", ":0", "--scheduler-file",
                                   str(address_file)], cwd=cluster,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        for i in range(2):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads",
                 "1", "--nworkers", "1", "--no-nanny", "--local-directory",
                 str(cluster / f"w{i}")], cwd=cluster, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        run = gc.nndl(course, "grade", W, "--scheduler", address, "--quiet", *LIMITS)
        assert run.returncode == 0, run.stderr
    finally:
        for process in reversed(processes):  # the workers first, then the scheduler
            gc.stop_group(process, 10)
    scores = {s: sum(v.values()) for s, v in gradebook_scores(course).items()}
    assert scores == {"a": points(), "b": 0, "c": points(),
                      "d": points() - points("test_sigmoid", "test_sigmoid_derivative")}
    entries = [json.loads(line) for line in
               (course / ".nndl" / "grade" / f"{W}.jsonl").read_text().splitlines()]
    workers = {e["worker"] for e in entries}
    assert len(workers) == 2, workers  # both workers graded
    assert not list(cluster.rglob("gradebook.db")), "a worker left a gradebook behind"


def test_the_progress_display_names_the_submissions_still_running(tmp_path):
    """While a batch runs, the progress display hears every few seconds which submissions are
    being graded and for how long; the slow one is named until it is done."""
    from autograder.cli import running_text
    from autograder.grade import coordinator

    course = gc.course_copy(tmp_path / "course")
    assert gc.nbgrader(course, "generate_assignment", W, "--force").returncode == 0
    gc.submit(course, "quick", W, {NB: gc.finished(W, N)})
    gc.submit(course, "slow", W, {NB: gc.insert_cell(gc.finished(W, N), "imports",
                                                        "import time\ntime.sleep(12)")})

    class Recorder:
        def __init__(self):
            self.seen, self.done_order = [], []

        def start(self, total, already):
            self.total = total

        def done(self, row):
            self.done_order.append(row.student)

        def running(self, seconds):
            self.seen.append(dict(seconds))

    progress = Recorder()
    rows = coordinator.grade(course, W, workers=2, progress=progress,
                             limits={"sandbox": "off"})
    assert {r.student: r.score for r in rows} == {"quick": points(), "slow": points()}
    assert progress.done_order[-1] == "slow"
    slow = [seen["slow"] for seen in progress.seen if "slow" in seen]
    assert slow and max(slow) >= 6, progress.seen
    assert not (course / ".nndl" / "grade" / f"{W}.running").exists()
    assert running_text({"amy": 3.2, "bob": 95.4, "cy": 10, "dan": 1}) == (
        "running: bob 95 s, cy 10 s, amy 3 s (+1 more)")
