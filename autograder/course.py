"""Build and verify the course with nbgrader's own API, in a throwaway course directory.

For each assignment (a folder of source/):
1. generate the student version (nbgrader generate_assignment) and compare it with the committed
   release/ (or write it there, with ``write=True``);
2. autograde the reference solution (the source notebooks, submitted as a student would) and
   require full marks on every test cell;
3. autograde the untouched release notebooks and require zero points and no grader error;
4. require a record of the reference's time per cell (the source of the time limits,
   autograder.engine.time_limits); ``record_times=True`` measures and records it first.

The repository is never written to, except release/ and the records in source/ when asked.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.common import (
    REPO_ROOT,
    CourseError,
    files_of,
    format_table,
    nbgrader_config,
    put_python_scripts_on_path,
)


@dataclass
class NotebookResult:
    assignment: str
    notebook: str
    points: float = 0.0
    reference: float | None = None
    blank: float | None = None
    seconds: float = 0.0
    time_limit: int | None = None  # the notebook's, derived from the reference's record
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------------------------
# Notebooks on disk
# --------------------------------------------------------------------------------------------


def notebook_text(nb) -> str:
    """The canonical text of a notebook in git: nbformat's indented JSON (sources split into
    lines, keys sorted) with a final newline."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def write_notebook(nb, path: Path) -> None:
    path.write_text(notebook_text(nb), encoding="utf-8")


def dirty_cells(nb) -> list[int]:
    """Indices of code cells that carry outputs or an execution count."""
    return [
        i for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]


def assignments(root: Path = REPO_ROOT) -> list[str]:
    """The assignment ids: the folders of source/ that hold at least one notebook."""
    source = root / "source"
    if not source.is_dir():
        raise CourseError(f"no source/ folder in {root}: is this the course directory?")
    return sorted(
        p.name for p in source.iterdir()
        if p.is_dir() and any(p.glob("*.ipynb"))
    )


def compare_release(generated: Path, committed: Path) -> list[str]:
    """Differences between a freshly generated release folder and the committed one."""
    if not committed.is_dir():
        return [f"{committed} does not exist"]
    new, old = files_of(generated), files_of(committed)
    problems = [f"{committed / name} is missing" for name in sorted(set(new) - set(old))]
    problems += [f"{committed / name} is not generated from source/ (stale file)"
                 for name in sorted(set(old) - set(new))]
    for name in sorted(set(new) & set(old)):
        if name.endswith(".ipynb"):
            a = notebook_text(nbformat.read(new[name], as_version=4))
            b = old[name].read_text(encoding="utf-8")
            same = a == b
        else:
            same = new[name].read_bytes() == old[name].read_bytes()
        if not same:
            problems.append(f"{committed / name} differs from what source/ generates")
    return problems


# --------------------------------------------------------------------------------------------
# nbgrader in a throwaway course directory
# --------------------------------------------------------------------------------------------


def _failure(result: dict) -> str:
    """The useful part of a failed nbgrader API call: its log's errors, then the traceback."""
    log = [line for line in (result.get("log") or "").splitlines()
           if "[ERROR]" in line or "[WARNING]" in line or not line.startswith("[")]
    error = (result.get("error") or "").strip().splitlines()
    return "\n".join(log[-40:] + error[-1:]).strip()


class Workspace:
    """A temporary nbgrader course directory holding a copy of source/."""

    def __init__(self, root: Path, keep: bool = False, derive_time_limits: bool = True):
        self.root = Path(root)
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="nndl-verify-"))
        shutil.copytree(
            self.root / "source", self.dir / "source",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
        put_python_scripts_on_path()
        # Loading the course's nbgrader_config.py (below) also quiets what the instructor cannot
        # act on: the hidden tests' checksum warnings, kernels' "running over TCP without
        # encryption" (printed into the progress bar) and nbgrader's gradebook SAWarning. The
        # last one is a process-wide filter: set it here too, for a course without that file.
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        from autograder.engine import nbgrader_setup

        nbgrader_setup.ignore_gradebook_autoflush_warnings()
        config = nbgrader_config(self.dir, self.root / "nbgrader_config.py")
        if not derive_time_limits:
            config.LimitedExecute.derive_time_limits = False
        self.course_id = config.CourseDirectory.get("course_id", "nndl")
        coursedir = CourseDirectory(config=config)
        self.api = NbGraderAPI(coursedir=coursedir, config=config)

    def close(self):
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def generate(self, assignment: str) -> Path:
        result = self.api.generate_assignment(assignment)
        if not result["success"]:
            raise CourseError(
                f"{assignment}: nbgrader generate_assignment failed:\n{_failure(result)}"
            )
        return self.dir / "release" / assignment

    def autograde(self, assignment: str, student: str, notebook_dir: Path, notebook: str):
        """Submit one notebook as ``student`` and autograde it; returns {grade_id: (score, max)}."""
        submitted = self.dir / "submitted" / student / assignment
        submitted.mkdir(parents=True, exist_ok=True)
        for path in notebook_dir.iterdir():
            if path.is_dir():
                shutil.copytree(path, submitted / path.name, dirs_exist_ok=True)
            elif path.suffix != ".ipynb" or path.stem == notebook:
                shutil.copy(path, submitted / path.name)
        self.api.coursedir.notebook_id = notebook
        try:
            result = self.api.autograde(assignment, student)
        finally:
            self.api.coursedir.notebook_id = "*"
        if not result["success"]:
            raise CourseError(
                f"{assignment}/{notebook}.ipynb ({student}): nbgrader autograde failed:\n"
                f"{_failure(result)}"
            )
        from nbgrader.api import Gradebook

        with Gradebook(self.api.coursedir.db_url, self.course_id) as gb:
            sub = gb.find_submission_notebook(notebook, assignment, student)
            return {g.name: (g.score, g.max_score) for g in sub.grades}

    def cell_error(self, assignment: str, student: str, notebook: str, grade_id: str) -> str:
        """The error a test cell printed when it was autograded (last lines of its traceback)."""
        path = self.dir / "autograded" / student / assignment / f"{notebook}.ipynb"
        if not path.exists():
            return ""
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        return f"{out.get('ename')}: {out.get('evalue')}"
        return ""


# --------------------------------------------------------------------------------------------
# Build and verify
# --------------------------------------------------------------------------------------------


def _check_clean(folder: Path) -> list[str]:
    problems = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = dirty_cells(nbformat.read(path, as_version=4))
        if cells:
            problems.append(
                f"{path} has outputs or execution counts in cells {cells}: clear them "
                f"(Edit > Clear Outputs of All Cells in JupyterLab) before committing"
            )
    return problems


def _select(root: Path, only: list[str] | None) -> list[str]:
    known = assignments(root)
    unknown = sorted(set(only or []) - set(known))
    if unknown:
        raise CourseError(f"unknown assignment(s) {unknown}; the course has {known}")
    return list(only) if only else known


def write_release(generated: Path, root: Path, assignment: str) -> list[str]:
    """Replace release/<assignment> with a generated student version; returns the files written."""
    target = root / "release" / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    written = []
    for name, path in files_of(generated).items():
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".ipynb"):
            write_notebook(nbformat.read(path, as_version=4), dest)
        else:
            shutil.copy(path, dest)
        written.append(str(dest.relative_to(root)))
    return written


def build(root: Path = REPO_ROOT, only: list[str] | None = None, progress=None) -> list[str]:
    """Regenerate release/ from source/ for the given assignments; returns the files written."""
    root = Path(root)
    written = []
    with Workspace(root) as ws:
        for aid in _select(root, only):
            if progress:
                progress(f"{aid}: generate")
            written += write_release(ws.generate(aid), root, aid)
    return written


def record_times(root: Path = REPO_ROOT, only: list[str] | None = None,
                 progress=None) -> list[str]:
    """Grade each reference solution without time limits from a record, and record in its
    source notebook how long each cell took (autograder.engine.time_limits); returns the
    notebooks written."""
    from autograder.engine import time_limits
    from autograder.hidden.reference import last_graded_cell

    root = Path(root)
    written = []
    old_env = os.environ.get("NNDL_SOURCE_DIR")
    with Workspace(root, derive_time_limits=False) as ws:
        os.environ["NNDL_SOURCE_DIR"] = str(ws.dir / "source")
        try:
            for aid in _select(root, only):
                ws.generate(aid)  # the assignment's gradebook entry
                for path in sorted((ws.dir / "source" / aid).glob("*.ipynb")):
                    if progress:
                        progress(f"{aid}/{path.stem}: time reference")
                    ws.autograde(aid, "timing", ws.dir / "source" / aid, path.stem)
                    graded = nbformat.read(ws.dir / "autograded" / "timing" / aid / path.name,
                                           as_version=4)
                    source = root / "source" / aid / path.name
                    nb = nbformat.read(source, as_version=4)
                    time_limits.record(nb, time_limits.measured(graded, last_graded_cell(nb)))
                    write_notebook(nb, source)
                    written.append(str(source.relative_to(root)))
        finally:
            _restore_env("NNDL_SOURCE_DIR", old_env)
    return written


def _restore_env(name: str, old: str | None) -> None:
    if old is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = old


def verify(root: Path = REPO_ROOT, only: list[str] | None = None, write: bool = False,
           progress=None, keep: bool = False,
           record: bool = False) -> tuple[list[NotebookResult], list[str]]:
    """Verify the course; returns per-notebook results and course-level problems.

    ``progress`` is called with a short description before each step. ``record``: first
    record the reference's times in source/ (``record_times``), then regenerate release/.
    """
    root = Path(root)
    ids = _select(root, only)
    if record:
        record_times(root, ids, progress)
        write = True
    problems = _check_clean(root / "source")
    results: list[NotebookResult] = []
    old_env = os.environ.get("NNDL_SOURCE_DIR")
    with Workspace(root, keep=keep) as ws:
        # Hidden tests read the reference from the source notebooks being verified.
        os.environ["NNDL_SOURCE_DIR"] = str(ws.dir / "source")
        try:
            for aid in ids:
                if progress:
                    progress(f"{aid}: generate")
                generated = ws.generate(aid)
                if write:
                    write_release(generated, root, aid)
                problems += [
                    f"{p}: run `nndl build` (or `nndl verify --write`) to regenerate release/"
                    for p in compare_release(generated, root / "release" / aid)
                ]
                for nb_path in sorted((ws.dir / "source" / aid).glob("*.ipynb")):
                    results.append(_verify_notebook(ws, aid, nb_path.stem, generated, progress))
        finally:
            _restore_env("NNDL_SOURCE_DIR", old_env)
    return results, problems


def _verify_notebook(ws: Workspace, aid: str, notebook: str, generated: Path, progress):
    from autograder.engine import time_limits
    from autograder.hidden.reference import last_graded_cell

    res = NotebookResult(aid, notebook)
    source = nbformat.read(ws.dir / "source" / aid / f"{notebook}.ipynb", as_version=4)
    limits = time_limits.Limits.of(source)
    missing = time_limits.missing(source, last_graded_cell(source))
    if limits is None or missing:
        what = "the reference's time per cell is not recorded" if limits is None else (
            f"the reference's time is not recorded for cells {missing}")
        res.problems.append(
            f"{aid}/{notebook}.ipynb: {what} (grading derives its time limits from it): run "
            f"`nndl verify --record-times {aid}`")
    else:
        res.time_limit = limits.notebook
    start = time.perf_counter()
    if progress:
        progress(f"{aid}/{notebook}: grade reference")
    ref = ws.autograde(aid, "reference", ws.dir / "source" / aid, notebook)
    res.points = sum(m for _, m in ref.values())
    res.reference = sum(s for s, _ in ref.values())
    if not ref:
        res.problems.append(f"{aid}/{notebook}.ipynb has no graded test cells")
    for grade_id, (score, max_score) in ref.items():
        if score != max_score:
            error = ws.cell_error(aid, "reference", notebook, grade_id)
            res.problems.append(
                f"{aid}/{notebook}.ipynb, cell {grade_id!r}: the reference solution scores "
                f"{score:g} of {max_score:g}" + (f"\n    {error}" if error else "")
            )
    if progress:
        progress(f"{aid}/{notebook}: grade blank release")
    blank = ws.autograde(aid, "blank", generated, notebook)
    res.blank = sum(s for s, _ in blank.values())
    for grade_id, (score, _) in blank.items():
        if score:
            res.problems.append(
                f"{aid}/{notebook}.ipynb, cell {grade_id!r}: the blank release scores {score:g} "
                f"points (a test that passes without an answer)"
            )
    res.seconds = time.perf_counter() - start
    return res


def format_results(results: list[NotebookResult]) -> str:
    """The table ``nndl verify`` prints."""
    return format_table(
        ("assignment", "notebook", "points", "reference", "blank", "seconds", "time limit"),
        [(r.assignment, r.notebook, f"{r.points:g}",
          "-" if r.reference is None else f"{r.reference:g}",
          "-" if r.blank is None else f"{r.blank:g}", f"{r.seconds:.1f}",
          "-" if r.time_limit is None else f"{r.time_limit} s") for r in results])
