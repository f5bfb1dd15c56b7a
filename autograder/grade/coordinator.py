"""The coordinator of ``nndl grade ASSIGNMENT`` (the instructor's process, in the course
directory): finds the submissions, skips what its journal says is graded and unchanged, hands
the rest to workers (a local process pool, or a Dask cluster), and alone writes the gradebook,
``autograded/`` and the journal, one submission at a time. autograder/README.md tells how.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from autograder.common import (
    CourseError,
    nbgrader_config,
    put_python_scripts_on_path,
    replace_folder,
)
from autograder.engine import intake
from autograder.grade.jobs import JOURNAL_DIR, Job, Result
from autograder.grade.report import Row
from autograder.grade.worker import grade_submission, running, warm

PROGRESS_SECONDS = 2  # how often the progress display hears which submissions are running


def template_gradebook(db_path: Path, course_id: str) -> bytes:
    """A copy of the gradebook without students: what every worker starts from."""
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "template.db"
        source = sqlite3.connect(db_path)
        target = sqlite3.connect(copy)
        with target:
            source.backup(target)
        source.close()
        target.close()
        with Gradebook(f"sqlite:///{copy}", course_id) as gb:
            for student in list(gb.students):
                gb.remove_student(student.id)
        return copy.read_bytes()


def submissions(root: Path, assignment: str) -> dict[str, Path]:
    folder = root / "submitted"
    if not folder.is_dir():
        return {}
    return {p.parent.name: p for p in sorted(folder.glob(f"*/{assignment}")) if p.is_dir()}


class Journal:
    """One JSON line per graded submission, appended and flushed after its grades are committed.
    Not synced to disk: a killed process loses nothing flushed, and a line lost to a power
    failure only means that submission is graded again, which overwrites its grades."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, dict] = {}
        if path.is_file():
            for line in path.read_text().splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:  # a line cut by a crash: ignored, that student is regraded
                    continue
                self.entries[entry["student"]] = entry

    def add(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a") as f:
            f.write(json.dumps(entry) + "\n")
        self.entries[entry["student"]] = entry


def store_grades(gb, assignment: str, result: Result) -> None:
    """Write one worker's result into the course's gradebook (auto scores and comments only:
    manual grades given in the formgrader are kept)."""
    from datetime import datetime

    with one_commit(gb):
        gb.update_or_create_student(result.student)
        kwargs = {}
        if result.timestamp:
            kwargs["timestamp"] = datetime.fromisoformat(result.timestamp)
        submission = gb.update_or_create_submission(assignment, result.student, **kwargs)
        notebooks = {nb.name: nb for nb in submission.notebooks}
        grades = {(nb.name, g.name): g for nb in notebooks.values() for g in nb.grades}
        comments = {(nb.name, c.name): c for nb in notebooks.values() for c in nb.comments}
        for g in result.grades:
            grade = grades.get((g["notebook"], g["name"])) or gb.find_grade(
                g["name"], g["notebook"], assignment, result.student)  # raises MissingEntry
            grade.auto_score = g["auto_score"]
            grade.needs_manual_grade = g["needs_manual_grade"]
        for c in result.comments:
            comment = comments.get((c["notebook"], c["name"])) or gb.find_comment(
                c["name"], c["notebook"], assignment, result.student)
            comment.auto_comment = c["auto_comment"]
        for n in result.notebooks:
            nb = notebooks.get(n["name"]) or gb.find_submission_notebook(
                n["name"], assignment, result.student)
            nb.late_submission_penalty = n["late_submission_penalty"]


@contextlib.contextmanager
def one_commit(gb):
    """One transaction for what nbgrader's Gradebook methods inside commit one by one: each
    commit waits for the disk (sqlite syncs it), three or more per submission otherwise. Their
    commits only flush; the block commits once at its end, or rolls everything back."""
    session = gb.db
    session.commit = session.flush  # shadows scoped_session's proxy on this instance only
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    finally:
        del session.commit
    session.commit()


def zero_grades(gb, assignment: str) -> list[dict]:
    """A score of zero for every graded cell of the assignment."""
    return [{"notebook": nb.name, "name": cell.name, "auto_score": 0.0,
             "max_score": cell.max_score, "needs_manual_grade": False}
            for nb in gb.find_assignment(assignment).notebooks for cell in nb.grade_cells]


def grade(root: Path, assignment: str, workers: int | None = None, limits: dict | None = None,
          submission_size: int = intake.SIZE_LIMIT, regrade: bool = False, progress=None,
          scheduler: str | None = None) -> list[Row]:
    """Grade every submission of ``assignment``; return the report's rows, sorted by student.

    ``limits``: LimitedExecute's traits to set (the rest as the course configures them);
    ``submission_size``: MiB of a submission folder that is read, notebooks first."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's, harmless (see README)
    root = Path(root).resolve()
    workers = workers or os.cpu_count() or 1
    limits = limits or {}
    put_python_scripts_on_path()
    config = nbgrader_config(root, root / "nbgrader_config.py")
    course_id = config.CourseDirectory.get("course_id", "nndl")
    db_url = config.CourseDirectory.db_url
    db_path = root / "gradebook.db"
    if not db_path.is_file():
        raise CourseError(f"no gradebook in {root}: run `nbgrader generate_assignment "
                          f"{assignment} --force` there first")
    with Gradebook(db_url, course_id) as gb:
        try:
            expected = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook: run `nbgrader "
                              f"generate_assignment {assignment} --force` first") from None
    found = submissions(root, assignment)
    journal = Journal(root / JOURNAL_DIR / f"{assignment}.jsonl")
    rows: dict[str, Row] = {}
    pending = {}
    with Gradebook(db_url, course_id) as gb:
        for student, folder in found.items():
            entry = journal.entries.get(student)
            submission = intake.read_submission(folder, expected, submission_size * 2**20)
            if (not regrade and entry and entry["digest"] == submission.digest()
                    and _in_gradebook(gb, assignment, student)
                    and (root / "autograded" / student / assignment).is_dir()):
                rows[student] = Row(student, entry["score"], entry["max_score"],
                                    entry["seconds"], entry["problems"], earlier=True)
            else:
                pending[student] = submission
    if progress:
        progress.start(len(found), len(rows))
    if not pending:
        return [rows[s] for s in sorted(rows)]

    template = template_gradebook(db_path, course_id)
    config_text = (root / "nbgrader_config.py").read_text() if (
        root / "nbgrader_config.py").is_file() else ""
    jobs = {student: _job(assignment, student, submission, expected,
                          b"" if scheduler else template, config_text, course_id, limits)
            for student, submission in pending.items()}
    pending.clear()
    # One gradebook connection for the whole batch: opening one per submission rebuilt the
    # database engine and recompiled every query each time. Each submission is committed.
    with Gradebook(db_url, course_id) as gb:
        def store(student, future_result):
            try:
                result = future_result()
            except Exception as error:  # noqa: BLE001 (a worker process died)
                result = Result(student, problems=[
                    f"worker failed: {type(error).__name__}: {error}"])
            _store(root, gb, assignment, result, journal)
            rows[student] = Row(student, result.score, result.max_score, result.seconds,
                                result.problems, worker=result.worker)
            if progress:
                progress.done(rows[student])

        if scheduler:
            _grade_on_cluster(scheduler, jobs, template, store, progress)
        else:
            log_path = root / JOURNAL_DIR / f"{assignment}.log"
            log_path.parent.mkdir(parents=True, exist_ok=True)
            running_dir = root / JOURNAL_DIR / f"{assignment}.running"
            shutil.rmtree(running_dir, ignore_errors=True)
            running_dir.mkdir(parents=True)
            context = multiprocessing.get_context("spawn")
            try:
                with concurrent.futures.ProcessPoolExecutor(
                        workers, mp_context=context, initializer=warm,
                        initargs=(str(log_path), str(running_dir))) as pool:
                    futures = {pool.submit(grade_submission, job): student
                               for student, job in jobs.items()}
                    jobs.clear()  # the pool holds each job until it is done
                    _collect(futures, store, progress, lambda: running(running_dir))
            finally:
                shutil.rmtree(running_dir, ignore_errors=True)
    return [rows[s] for s in sorted(rows)]


def _job(assignment, student, submission: intake.Submission, expected, template, config_text,
         course_id, limits) -> Job:
    digest = submission.digest()
    intake.match_copies(submission, expected)
    return Job(assignment, student, submission.files, template, config_text, course_id, limits,
               notes=submission.notes, digest=digest,
               placed_at=submission.placed_at.isoformat() if submission.placed_at else None)


def _grade_on_cluster(scheduler: str, jobs: dict[str, Job], template: bytes, store,
                      progress=None) -> None:
    """Grade on a Dask distributed cluster: the workers grade, this process stores."""
    try:
        from distributed import Client
    except ImportError:
        raise CourseError("--scheduler needs Dask's distributed package: "
                          "pip install distributed") from None
    try:
        client = Client(scheduler, timeout=30)
    except OSError as error:
        raise CourseError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    with client:
        shared = client.scatter(template, broadcast=True)  # sent to every worker once
        futures = {client.submit(grade_submission, job, shared, pure=False,
                                 key=f"nndl-grade-{job.assignment}-{student}-{time.time_ns()}"):
                   student for student, job in jobs.items()}
        jobs.clear()
        seen: dict[str, float] = {}  # key -> when a worker was first seen processing it
        by_key = {future.key: student for future, student in futures.items()}

        def running_now() -> dict[str, float]:
            now = time.monotonic()
            keys = {key for tasks in client.processing().values() for key in tasks}
            return {by_key[key]: now - seen.setdefault(key, now) for key in keys
                    if key in by_key}

        _collect(futures, store, progress, running_now)


def _collect(futures: dict, store, progress, running_now) -> None:
    """Store each result as its future finishes (in this thread), and tell ``progress`` every
    few seconds which submissions are being graded and for how long (``running_now``)."""
    finished: queue.SimpleQueue = queue.SimpleQueue()
    for future in futures:
        future.add_done_callback(finished.put)
    left, shown = len(futures), time.monotonic()
    while left:
        try:
            future = finished.get(timeout=PROGRESS_SECONDS)
        except queue.Empty:
            future = None
        if future is not None:
            left -= 1
            store(futures[future], future.result)
            if hasattr(future, "release"):  # a cluster's: let it forget the result
                future.release()
        if progress and left and time.monotonic() - shown >= PROGRESS_SECONDS:
            shown = time.monotonic()
            progress.running(running_now())


def _in_gradebook(gb, assignment: str, student: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        gb.find_submission(assignment, student)
    except MissingEntry:
        return False
    return True


def _store(root, gb, assignment, result: Result, journal: Journal) -> None:
    if not result.grades:  # the worker could not grade it: zero for every graded cell
        result.grades = zero_grades(gb, assignment)
    store_grades(gb, assignment, result)
    replace_folder(root / "autograded" / result.student / assignment, result.files)
    journal.add({"student": result.student, "digest": result.digest, "score": result.score,
                 "max_score": result.max_score, "seconds": round(result.seconds, 2),
                 "problems": result.problems, "worker": result.worker,
                 "graded_at": time.time()})
