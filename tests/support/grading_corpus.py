"""Submissions for grading tests, made from the release notebooks: a finished one (reference
solutions), a blank one, one with a catalogued mistake, and broken ones (loops, crashes, bad
files). Each case says what score it must get."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from support.notebook_harness import reference_code

ROOT = Path(__file__).resolve().parents[2]


def strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if "### " not in line) + "\n"


def answer(nb, week: str, notebook: str, replace: dict[str, str | None] | None = None,
           only: bool = False):
    """Answer every exercise of ``nb`` (a release notebook of ``week``) with the reference
    solution, except the grade ids in ``replace``, answered with the given code instead (None:
    the reference). With ``only``, answer the grade ids in ``replace`` and leave the rest blank."""
    replace = dict(replace or {})
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id"):
            grade_id = meta["grade_id"]
            if only and grade_id not in replace:
                continue
            cell.source = replace.pop(grade_id, None) or strip_markers(
                reference_code(f"{week}/{notebook}.ipynb", grade_id))
    assert not replace, f"no solution cells {sorted(replace)} in {week}/{notebook}"
    return nb


def finished(week: str, notebook: str, replace: dict[str, str] | None = None):
    """The release notebook with every exercise answered (see ``answer``)."""
    nb = nbformat.read(ROOT / "release" / week / f"{notebook}.ipynb", as_version=4)
    return answer(nb, week, notebook, replace)


def blank(week: str, notebook: str):
    return nbformat.read(ROOT / "release" / week / f"{notebook}.ipynb", as_version=4)


def insert_cell(nb, after_grade_id: str, source: str):
    """A copy of ``nb`` with an extra code cell after the cell ``after_grade_id``."""
    nb = nbformat.from_dict(nb)
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == after_grade_id)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def course_copy(dest: Path) -> Path:
    """A course directory like a fresh clone's: source/, release/ and nbgrader_config.py."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("source", "release"):
        shutil.copytree(ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


def niced(command: list[str], nice: int) -> list[str]:
    """``command`` at a lower priority (``nice``: 0 to 19), where the nice program exists: a
    long background grading then leaves the CPU to tests that run beside it."""
    program = shutil.which("nice") if nice else None
    return [program, "-n", str(nice), *command] if program else command


def nbgrader(course: Path, *args: str, nice: int = 0) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course directory, as an instructor would."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run(niced([sys.executable, "-m", "nbgrader", *args], nice), cwd=course,
                          env=env, capture_output=True, text=True)


@dataclass(frozen=True)
class Link:
    """A symbolic link in a submission, to ``target`` (a path in the course directory, e.g.
    "source/week1/numpy_basics.ipynb"), written relative to the link or absolute."""

    target: str
    absolute: bool = False


def submit(course: Path, student: str, assignment: str, files: dict[str, object]) -> Path:
    """Put a submission into submitted/<student>/<assignment>/: notebooks (NotebookNode),
    bytes, text or a Link."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, Link):
            target = (course / content.target).resolve()
            os.symlink(target if content.absolute else os.path.relpath(target, path.parent),
                       path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content)
        else:
            nbformat.write(content, path)
    return folder


def nndl(course: Path, *args: str, nice: int = 0, **kwargs) -> subprocess.CompletedProcess:
    """Run an nndl command (`python -m autograder.cli --root COURSE ...`)."""
    return subprocess.run(niced([sys.executable, "-m", "autograder.cli", "--root", str(course),
                                 *args], nice), capture_output=True, text=True, **kwargs)


def points(week: str, notebook: str) -> dict[str, float]:
    """The points of each test cell of a source notebook, by grade id."""
    nb = nbformat.read(ROOT / "source" / week / f"{notebook}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("points", 0)
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


def gradebook_scores(course: Path, assignment: str) -> dict[str, dict[str, float]]:
    """Each student's score per test cell of ``assignment`` in the course's gradebook (students
    nbgrader could not grade at all are absent)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nndl") as gb:
        return {s.student.id: {g.name: g.score for nb in s.notebooks for g in nb.grades}
                for s in gb.assignment_submissions(assignment)}


def stop_group(process: subprocess.Popen, grace: float) -> None:
    """Stop a process started with start_new_session and everything it started: SIGTERM, then
    SIGKILL after ``grace`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
