"""The worker: one submission graded by nbgrader's own ``Autograde`` (with ``LimitedExecute``) in a
private scratch course directory; it receives a job and returns a result, never raises.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

from autograder.common import nbgrader_config, write_folder
from autograder.engine import intake
from autograder.engine import scratch as scratch_dirs
from autograder.grade.jobs import Job, Result
from autograder.grade.report import cell_problems

EXECUTE = "autograder.engine.execute.LimitedExecute"


_running_dir: Path | None = None  # where this worker says which submission it is grading


def warm(log_path: str | None = None, running_dir: str | None = None) -> None:
    """Import what grading needs once per worker process, and keep its logs quiet: the worker's
    own output and its kernels' (ipykernel's start-up warnings) go to the batch's log file, not
    into the coordinator's progress bar. ``running_dir``: a folder where the worker keeps one
    file per submission it is grading, named after the student, holding when it started
    (``running``), for the coordinator's progress display."""
    global _running_dir
    _running_dir = Path(running_dir) if running_dir else None
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
    marker = _running_dir / job.student if _running_dir else None
    if marker is not None:
        marker.write_text(str(time.time()))
    try:
        _grade_in(scratch, job, result)
    except Exception as error:  # noqa: BLE001 (a broken submission must not stop the batch)
        result.problems.append(f"grader error: {type(error).__name__}: {error}")
        result.problems.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if marker is not None:
            marker.unlink(missing_ok=True)
    result.seconds = time.perf_counter() - start
    return result


def running(running_dir: Path) -> dict[str, float]:
    """The submissions the workers are grading now: student -> seconds since it started."""
    now, found = time.time(), {}
    for marker in Path(running_dir).iterdir():
        try:
            found[marker.name] = max(0.0, now - float(marker.read_text() or now))
        except (OSError, ValueError):  # just finished, or being written
            continue
    return found


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
    for trait, value in job.limits.items():  # nndl grade's options
        config.LimitedExecute[trait] = value
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
        result.files = intake.read_submission(autograded).files
        for name in expected:
            path = autograded / f"{name}.ipynb"
            if path.is_file():
                result.problems.extend(cell_problems(path, name))


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
