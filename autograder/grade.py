"""Grade a whole class in parallel into nbgrader's own gradebook: ``nndl grade ASSIGNMENT``.

How it works
------------
The coordinator (this process, in the course directory) finds every
``submitted/{student}/{assignment}/`` folder and hands each one, as plain data (its files as
bytes and a gradebook holding the assignment but no student), to a pool of warm worker
processes. A worker grades the submission with nbgrader's own ``Autograde`` in a private
scratch course directory (so the scores are nbgrader's, cell by cell), with the course's
nbgrader_config.py and ``autograder.engine.execute.LimitedExecute`` (time, memory and output limits),
and sends back the grades, the comments and the autograded notebooks, again as plain data.
Only the coordinator writes the course's gradebook and ``autograded/``, one submission at a
time, as results arrive.

Every graded submission is appended to a journal (``.nndl/grade/ASSIGNMENT.jsonl``) after its
grades are committed and its files are in place, with a digest of the submitted files. Run the
command again after an interruption (even ``kill -9``): submissions whose journal entry matches
their files and whose grades are in the gradebook are skipped; the others are graded again,
which overwrites (never adds to) their gradebook entries. ``--regrade`` grades everyone again.

The report is a table (student, score, max, seconds, problems) printed at the end and written
as CSV (``grading-ASSIGNMENT.csv`` in the course directory). Problems are what an instructor
should look at: a missing or renamed notebook, malformed notebook JSON, an empty submission, a
cell that hit a time limit, a kernel that died, output that was cut, and errors outside test
cells (a failed import), which nbgrader alone does not flag.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import logging
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import CourseError, _put_python_scripts_on_path, nbgrader_config
from autograder.engine import intake
from autograder.engine import scratch as scratch_dirs
from autograder.engine.execute import (
    DISK_LIMIT,
    KERNEL_DIED,
    NOT_RUN,
    OUTPUT_LIMIT,
    STUCK,
    TIME_LIMIT,
)

JOURNAL_DIR = Path(".nndl") / "grade"
EXECUTE = "autograder.engine.execute.LimitedExecute"


# ------------------------------------------------------------------------------------------
# What crosses between the coordinator and the workers: plain, picklable data
# ------------------------------------------------------------------------------------------
@dataclass
class Limits:
    cell_timeout: int = 600  # seconds per cell
    notebook_timeout: int = 1800  # seconds per notebook
    memory: int = 4096  # MiB of address space per kernel
    disk: int = 100  # MiB a kernel may write beyond the submitted files
    processes: int = 256  # processes and threads per kernel
    submission: int = 100  # MiB of a submission folder that is read (notebooks first)
    threads: int = 1  # BLAS/OpenMP threads per kernel
    sandbox: str = "auto"  # bubblewrap around each kernel: "auto", "require" or "off"


@dataclass
class Job:
    assignment: str
    student: str
    files: dict[str, bytes]  # the submission folder: relative path -> content
    template_db: bytes  # a gradebook with the assignment and no student
    config_text: str  # the course's nbgrader_config.py
    course_id: str
    limits: Limits
    notes: list[str] = field(default_factory=list)  # what intake found (links, copies, cap)
    placed_at: str | None = None  # ISO time the files were placed, when no timestamp.txt
    digest: str = ""  # of the submission folder as read


@dataclass
class Result:
    student: str
    digest: str = ""
    grades: list[dict] = field(default_factory=list)  # notebook, name, auto_score, max, manual
    comments: list[dict] = field(default_factory=list)
    notebooks: list[dict] = field(default_factory=list)  # name, late_submission_penalty
    timestamp: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # the autograded folder
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    worker: str = ""  # host:pid of the process that graded it

    @property
    def score(self) -> float:
        return sum(g["auto_score"] or 0.0 for g in self.grades)

    @property
    def max_score(self) -> float:
        return sum(g["max_score"] for g in self.grades)


def read_folder(folder: Path) -> dict[str, bytes]:
    """The regular files of ``folder`` (links and special files left out)."""
    return intake.read_submission(folder).files


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# ------------------------------------------------------------------------------------------
# The worker: one submission, nbgrader's Autograde in a private course directory
# ------------------------------------------------------------------------------------------
def _warm(log_path: str | None = None) -> None:
    """Import what grading needs once per worker process, and keep its logs quiet: the worker's
    own output and its kernels' (ipykernel's start-up warnings) go to the batch's log file, not
    into the coordinator's progress bar."""
    if log_path:
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    import nbgrader.apps  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    import autograder.engine.execute  # noqa: F401

    logging.getLogger("traitlets").setLevel(logging.ERROR)


def grade_submission(job: Job, template_db: bytes | None = None) -> Result:
    """Grade one submission; never raises: what went wrong is in ``Result.problems``.

    ``template_db`` replaces ``job.template_db`` when given (a cluster receives it once)."""
    import socket

    start = time.perf_counter()
    if template_db is not None:
        job.template_db = template_db
    result = Result(job.student, digest=job.digest or intake.Submission(job.files).digest(),
                    worker=f"{socket.gethostname()}:{os.getpid()}")
    scratch = scratch_dirs.make("nndl-grade-")
    try:
        _grade_in(scratch, job, result)
    except Exception as error:  # noqa: BLE001 (a broken submission must not stop the batch)
        result.problems.append(f"grader error: {type(error).__name__}: {error}")
        result.problems.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.perf_counter() - start
    return result


def _grade_in(scratch: Path, job: Job, result: Result) -> None:
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    (scratch / "gradebook.db").write_bytes(job.template_db)
    (scratch / "nbgrader_config.py").write_text(job.config_text)
    submitted = scratch / "submitted" / job.student / job.assignment
    submitted.mkdir(parents=True)
    write_folder(submitted, job.files)
    if job.placed_at and intake.TIMESTAMP not in job.files:  # placed by hand: the files' time
        from datetime import datetime

        (submitted / intake.TIMESTAMP).write_text(
            intake.timestamp_text(datetime.fromisoformat(job.placed_at)))

    config = nbgrader_config(scratch, scratch / "nbgrader_config.py")
    config.CourseDirectory.course_id = job.course_id
    config.Autograde.create_student = True
    if "autograde_preprocessors" in config.Autograde:
        preprocessors = list(config.Autograde.autograde_preprocessors)
    else:
        from nbgrader.converters import Autograde

        preprocessors = list(Autograde.class_traits()["autograde_preprocessors"].default())
    config.Autograde.autograde_preprocessors = [
        EXECUTE if _is_execute(p) else p for p in preprocessors]
    config.LimitedExecute.timeout = job.limits.cell_timeout
    config.LimitedExecute.notebook_timeout = job.limits.notebook_timeout
    config.LimitedExecute.memory_limit = job.limits.memory
    config.LimitedExecute.disk_limit = job.limits.disk
    config.LimitedExecute.process_limit = job.limits.processes
    config.LimitedExecute.kernel_threads = job.limits.threads
    config.LimitedExecute.sandbox = job.limits.sandbox
    # Every output has been collected when the kernel is stopped: no graceful shutdown to wait for.
    config.LimitedExecute.shutdown_kernel = "immediate"
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    with Gradebook(config.CourseDirectory.db_url, job.course_id) as gb:
        expected = [nb.name for nb in gb.find_assignment(job.assignment).notebooks]
    result.problems.extend(job.notes)
    _check_files(job, expected, result)

    explained = any("graded zero" in p for p in result.problems)  # missing or malformed
    outcome = api.autograde(job.assignment, job.student)
    if not outcome["success"] and not explained:
        result.problems.extend(_nbgrader_errors(outcome, job))

    with Gradebook(config.CourseDirectory.db_url, job.course_id) as gb:
        gb.update_or_create_student(job.student)
        try:
            submission = gb.find_submission(job.assignment, job.student)
        except MissingEntry:  # nbgrader failed before recording it
            submission = gb.update_or_create_submission(job.assignment, job.student)
        result.timestamp = submission.timestamp.isoformat() if submission.timestamp else None
        for nb in submission.notebooks:
            result.notebooks.append({"name": nb.name,
                                     "late_submission_penalty": nb.late_submission_penalty})
            for grade in nb.grades:
                score = grade.auto_score
                if score is None and not grade.needs_manual_grade:
                    score = 0.0  # nbgrader did not get to run it: zero for what did not run
                result.grades.append({"notebook": nb.name, "name": grade.name,
                                      "auto_score": score, "max_score": grade.max_score,
                                      "needs_manual_grade": bool(grade.needs_manual_grade)})
            for comment in nb.comments:
                result.comments.append({"notebook": nb.name, "name": comment.name,
                                        "auto_comment": comment.auto_comment})

    autograded = scratch / "autograded" / job.student / job.assignment
    if autograded.is_dir():
        result.files = read_folder(autograded)
        for name in expected:
            path = autograded / f"{name}.ipynb"
            if path.is_file():
                result.problems.extend(_cell_problems(path, name))


def _is_execute(preprocessor) -> bool:
    name = preprocessor if isinstance(preprocessor, str) else getattr(preprocessor, "__name__", "")
    return name.split(".")[-1] in ("Execute", "LimitedExecute")


def _check_files(job: Job, expected: list[str], result: Result) -> None:
    notebooks = [name for name in job.files if name.endswith(".ipynb") and "/" not in name]
    if not job.files:
        result.problems.append("empty submission: no files")
    for name in expected:
        if f"{name}.ipynb" in job.files:
            try:
                json.loads(job.files[f"{name}.ipynb"])
            except ValueError as error:
                result.problems.append(f"{name}.ipynb is not valid notebook JSON ({error}): "
                                       "graded zero")
            continue
        others = [n for n in notebooks if n[:-6] not in expected]
        hint = f" (found {', '.join(others)}: renamed?)" if others else ""
        result.problems.append(f"missing notebook {name}.ipynb{hint}: graded zero")


def _nbgrader_errors(outcome: dict, job: Job) -> list[str]:
    lines = [line for line in (outcome.get("log") or "").splitlines() if "[ERROR]" in line]
    known = ("No notebooks found", "There was an error processing assignment", "Traceback",
             "Please see the", "failures")
    useful = [line.split("]", 1)[-1].strip() for line in lines
              if not any(k in line for k in known)]
    return [f"nbgrader: {line}" for line in useful[:3]]


def _cell_problems(path: Path, notebook: str) -> list[str]:
    """What an instructor should see in an autograded notebook: limits hit, errors outside tests."""
    import nbformat

    problems = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001
        return [f"{notebook}: cannot read the autograded notebook ({error})"]
    not_run = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        names = [o.get("ename") for o in errors]
        if NOT_RUN in names:
            not_run.append(index)
            continue
        where = f"{notebook} cell {index}"
        if KERNEL_DIED in names and any("processes and threads" in str(o.get("evalue"))
                                        for o in errors):
            problems.append(f"{where}: process limit reached (kernel stopped)")
        elif KERNEL_DIED in names:
            problems.append(f"{where}: the kernel died (exit, crash or memory)")
        elif STUCK in names:
            problems.append(f"{where}: could not be interrupted at the time limit (kernel "
                            "stopped)")
        elif DISK_LIMIT in names:
            problems.append(f"{where}: disk limit exceeded (kernel stopped, its files removed)")
        elif TIME_LIMIT in names:
            problems.append(f"{where}: time limit reached")
        elif "MemoryError" in names or any(  # also when a test reports it in its message
                "MemoryError" in str(o.get("evalue", "")) for o in errors):
            problems.append(f"{where}: MemoryError (memory limit)")
        if OUTPUT_LIMIT in names:
            problems.append(f"{where}: output cut at the output limit")
        if errors and not meta.get("grade") and not {
                KERNEL_DIED, TIME_LIMIT, STUCK, DISK_LIMIT, "MemoryError"} & set(names):
            error = errors[0]
            problems.append(f"{where} (not a test cell): {error.get('ename')}: "
                            f"{str(error.get('evalue', ''))[:80]}")
    if not_run:
        reason = nb.cells[not_run[0]].outputs[0].get("evalue", "")
        problems.append(f"{notebook}: {len(not_run)} cells from cell {not_run[0]} {reason}")
    return problems


# ------------------------------------------------------------------------------------------
# The coordinator
# ------------------------------------------------------------------------------------------
@dataclass
class Row:
    student: str
    score: float
    max_score: float
    seconds: float
    problems: list[str]
    earlier: bool = False  # graded by an earlier run (skipped now)
    worker: str = ""


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
    """One JSON line per graded submission, appended and flushed to disk after it is recorded."""

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
            f.flush()
            os.fsync(f.fileno())
        self.entries[entry["student"]] = entry


def record(gb, assignment: str, result: Result) -> None:
    """Write one worker's result into the course's gradebook (auto scores and comments only:
    manual grades given in the formgrader are kept)."""
    from datetime import datetime

    gb.update_or_create_student(result.student)
    kwargs = {}
    if result.timestamp:
        kwargs["timestamp"] = datetime.fromisoformat(result.timestamp)
    gb.update_or_create_submission(assignment, result.student, **kwargs)
    for g in result.grades:
        grade = gb.find_grade(g["name"], g["notebook"], assignment, result.student)
        grade.auto_score = g["auto_score"]
        grade.needs_manual_grade = g["needs_manual_grade"]
    for c in result.comments:
        comment = gb.find_comment(c["name"], c["notebook"], assignment, result.student)
        comment.auto_comment = c["auto_comment"]
    for n in result.notebooks:
        nb = gb.find_submission_notebook(n["name"], assignment, result.student)
        nb.late_submission_penalty = n["late_submission_penalty"]
    gb.db.commit()


def zero_grades(gb, assignment: str) -> list[dict]:
    """A score of zero for every graded cell of the assignment."""
    return [{"notebook": nb.name, "name": cell.name, "auto_score": 0.0,
             "max_score": cell.max_score, "needs_manual_grade": False}
            for nb in gb.find_assignment(assignment).notebooks for cell in nb.grade_cells]


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Put ``files`` in ``folder`` so that a crash leaves either the old or the new folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.parent / f".{folder.name}.new"
    old = folder.parent / f".{folder.name}.old"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    fresh.mkdir(parents=True)
    write_folder(fresh, files)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def grade(root: Path, assignment: str, workers: int | None = None, limits: Limits | None = None,
          regrade: bool = False, progress=None, scheduler: str | None = None) -> list[Row]:
    """Grade every submission of ``assignment``; return the report's rows, sorted by student."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's, harmless (see README)
    root = Path(root).resolve()
    workers = workers or os.cpu_count() or 1
    limits = limits or Limits(threads=max(1, (os.cpu_count() or 1) // workers))
    _put_python_scripts_on_path()
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
            submission = intake.read_submission(folder, expected, limits.submission * 2**20)
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
    def store(student, future_result):
        try:
            result = future_result()
        except Exception as error:  # noqa: BLE001 (a worker process died)
            result = Result(student, problems=[f"worker failed: {type(error).__name__}: {error}"])
        _store(root, db_url, course_id, assignment, result, journal)
        rows[student] = Row(student, result.score, result.max_score, result.seconds,
                            result.problems, worker=result.worker)
        if progress:
            progress.done(rows[student])

    if scheduler:
        _grade_on_cluster(scheduler, jobs, template, store)
    else:
        log_path = root / JOURNAL_DIR / f"{assignment}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(
                workers, mp_context=context, initializer=_warm, initargs=(str(log_path),)
        ) as pool:
            futures = {pool.submit(grade_submission, job): student
                       for student, job in jobs.items()}
            jobs.clear()  # the pool holds each job until it is done
            for future in concurrent.futures.as_completed(futures):
                store(futures[future], future.result)
    return [rows[s] for s in sorted(rows)]


def _job(assignment, student, submission: intake.Submission, expected, template, config_text,
         course_id, limits) -> Job:
    digest = submission.digest()
    intake.match_copies(submission, expected)
    return Job(assignment, student, submission.files, template, config_text, course_id, limits,
               notes=submission.notes, digest=digest,
               placed_at=submission.placed_at.isoformat() if submission.placed_at else None)


def _grade_on_cluster(scheduler: str, jobs: dict[str, Job], template: bytes, store) -> None:
    """Grade on a Dask distributed cluster: the workers grade, this process stores."""
    try:
        from distributed import Client, as_completed
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
        for future in as_completed(futures):
            store(futures[future], future.result)
            future.release()


def _in_gradebook(gb, assignment: str, student: str) -> bool:
    from nbgrader.api import MissingEntry

    try:
        gb.find_submission(assignment, student)
    except MissingEntry:
        return False
    return True


def _store(root, db_url, course_id, assignment, result: Result, journal: Journal) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        if not result.grades:  # the worker could not grade it: zero for every graded cell
            result.grades = zero_grades(gb, assignment)
        record(gb, assignment, result)
    replace_folder(root / "autograded" / result.student / assignment, result.files)
    journal.add({"student": result.student, "digest": result.digest, "score": result.score,
                 "max_score": result.max_score, "seconds": round(result.seconds, 2),
                 "problems": result.problems, "worker": result.worker,
                 "graded_at": time.time()})


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------
def format_report(rows: list[Row]) -> str:
    header = ("student", "score", "max", "seconds", "problems")
    lines = [(r.student, f"{r.score:g}", f"{r.max_score:g}", f"{r.seconds:.1f}",
              "; ".join(r.problems) or "-") for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
              for i, h in enumerate(header[:-1])]
    out = io.StringIO()

    def line(values, last):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + f"  {last}\n"

    out.write(line(header[:-1], "problems"))
    out.write(line(["-" * w for w in widths], "--------"))
    for values in lines:
        out.write(line(values[:-1], values[-1]))
    return out.getvalue()


def write_csv(rows: list[Row], path: Path) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max_score", "seconds", "problems"])
        for r in rows:
            writer.writerow([r.student, f"{r.score:g}", f"{r.max_score:g}", f"{r.seconds:.2f}",
                             "; ".join(r.problems)])

