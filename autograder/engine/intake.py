"""What is read from a submission folder, so that nothing is lost and nothing sneaks in.

* No link is followed: a symbolic link (to a file or a folder) in a submission is neither read
  nor copied, and is named in the report ("symbolic link ref.json ignored"); nor is a special
  file (a FIFO, a device). ``read_submission`` does this for ``nndl grade``;
  ``ignore_links_in_nbgrader`` makes nbgrader's own file copying and notebook discovery do the
  same (registered by nbgrader_config.py for plain ``nbgrader autograde`` and the formgrader).
* A size cap: a submission folder over ``max_bytes`` is read notebooks first; what does not
  fit is left out and named (a student who hands in a 2 GB data file with the notebook).
* Copies' names: when an expected notebook is missing and exactly one notebook is there named
  like it with a copy suffix (``week (1).ipynb``, ``week-Copy1.ipynb``, ``week_copy.ipynb``), it
  is graded under the expected name, and the report says so.
* When it was handed in: ``timestamp.txt`` when the submission has one (nbgrader's ``collect``
  writes it), else the time its newest file was written (a submission placed by hand).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

SKIPPED_FOLDERS = (".ipynb_checkpoints", "__pycache__")
COPY_SUFFIX = re.compile(r"^(?P<name>.+?)(?: ?\(\d+\)|[ _-]copy\d*)$", re.IGNORECASE)
TIMESTAMP = "timestamp.txt"
SIZE_LIMIT = 100  # MiB of a submission folder that nndl grade reads (notebooks first)


@dataclass
class Submission:
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content
    notes: list[str] = field(default_factory=list)  # what the report says about the intake
    skipped: dict[str, int] = field(default_factory=dict)  # left out: relative path -> size
    placed_at: datetime | None = None  # the newest file's time, when there is no timestamp.txt

    def digest(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        for name in sorted(self.skipped):
            h.update(f"skipped\0{name}\0{self.skipped[name]}".encode())
        return h.hexdigest()


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _read_regular(path: str) -> bytes | None:
    """The bytes of ``path`` if it is a regular file reached without a link, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(
            os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def read_submission(folder: Path, expected: list[str] = (), max_bytes: int = 0) -> Submission:
    """Read a submission folder: regular files only, links and special files named and left
    out, at most ``max_bytes`` in all (0: no cap), the ``expected`` notebooks first."""
    folder = Path(folder)
    found: list[tuple[str, int]] = []
    sub = Submission()
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            if name in SKIPPED_FOLDERS:
                dirnames.remove(name)
            elif os.path.islink(path):
                sub.notes.append(f"symbolic link {os.path.relpath(path, folder)}/ ignored")
                dirnames.remove(name)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                sub.notes.append(f"symbolic link {rel} ignored")
            elif not stat.S_ISREG(info.st_mode):
                sub.notes.append(f"special file {rel} ignored")
            else:
                found.append((rel, info.st_size))
    first = {f"{name}.ipynb" for name in expected}
    found.sort(key=lambda item: (item[0] not in first, item[1], item[0]))
    total = 0
    newest = 0.0
    for rel, size in found:
        if max_bytes and total + size > max_bytes:
            sub.skipped[rel] = size
            continue
        data = _read_regular(str(folder / rel))
        if data is None:
            sub.notes.append(f"{rel} could not be read as a regular file: ignored")
            continue
        sub.files[rel] = data
        total += len(data)
        newest = max(newest, os.lstat(folder / rel).st_mtime)
    if sub.skipped:
        left_out = ", ".join(f"{name} ({_mib(size)})" for name, size in sorted(sub.skipped.items()))
        sub.notes.append(f"submission over the {_mib(max_bytes)} cap: {left_out} not graded")
    if TIMESTAMP not in sub.files and newest:
        sub.placed_at = datetime.fromtimestamp(newest, timezone.utc)
    return sub


def match_copies(sub: Submission, expected: list[str]) -> None:
    """Grade a copy-named notebook under its expected name, when it is the only candidate."""
    notebooks = [n for n in sub.files if n.endswith(".ipynb") and "/" not in n]
    for name in expected:
        if f"{name}.ipynb" in sub.files:
            continue
        copies = [n for n in notebooks if (m := COPY_SUFFIX.match(n[:-6])) and (
            m.group("name") == name)]
        if len(copies) == 1:
            sub.files[f"{name}.ipynb"] = sub.files.pop(copies[0])
            sub.notes.append(f"graded {copies[0]} as {name}.ipynb (the name of a copy)")


def timestamp_text(moment: datetime) -> str:
    """``moment`` as nbgrader writes timestamp.txt."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


# ------------------------------------------------------------------------------------------
# The same rules inside nbgrader (plain `nbgrader autograde`, the formgrader)
# ------------------------------------------------------------------------------------------
_log = logging.getLogger("nbgrader")


def _without_links(paths, root=None):
    kept = []
    for path in paths:
        if os.path.islink(path) or not os.path.isfile(path) or (
                root and _through_link(path, root)):
            _log.warning("Symbolic link or special file %s ignored", path)
            continue
        kept.append(path)
    return kept


def _through_link(path: str, root: str) -> bool:
    """Whether ``path`` is reached through a linked folder below ``root``."""
    parent = os.path.dirname(os.path.abspath(path))
    root = os.path.abspath(root)
    while parent.startswith(root) and parent != root:
        if os.path.islink(parent):
            return True
        parent = os.path.dirname(parent)
    return False


def ignore_links_in_nbgrader() -> None:
    """Make nbgrader skip links and special files wherever it collects a submission's files:
    the files it copies next to the notebooks (``find_all_files``), and the notebooks it grades
    (a linked notebook counts as missing: zero). Idempotent."""
    from nbgrader import utils
    from nbgrader.converters import autograde, base

    if getattr(utils.find_all_files, "_nndl", False):
        return
    original = utils.find_all_files

    def find_all_files(path, exclude=None):
        return _without_links(original(path, exclude), path)

    find_all_files._nndl = True
    utils.find_all_files = find_all_files
    base.find_all_files = find_all_files

    init_notebooks = base.BaseConverter.init_notebooks

    def init_notebooks_without_links(self):
        init_notebooks(self)
        for assignment, notebooks in list(self.assignments.items()):
            kept = _without_links(notebooks)
            if kept:
                self.assignments[assignment] = kept
            else:  # nothing left to grade: nbgrader's own "no notebooks" path
                self.assignments[assignment] = []

    base.BaseConverter.init_notebooks = init_notebooks_without_links

    init_assignment = autograde.Autograde.init_assignment

    def init_assignment_zeroing_links(self, assignment_id, student_id):
        from nbgrader.api import Gradebook

        init_assignment(self, assignment_id, student_id)
        # nbgrader zeroes a missing notebook; a linked one counts as missing.
        folder = self.coursedir.format_path(self.coursedir.submitted_directory, student_id,
                                            assignment_id)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            for notebook in gb.find_assignment(assignment_id).notebooks:
                path = os.path.join(folder, f"{notebook.name}.ipynb")
                if os.path.islink(path):
                    submitted = gb.find_submission_notebook(notebook.name, assignment_id,
                                                            student_id)
                    for grade in submitted.grades:
                        grade.auto_score = 0
                        grade.needs_manual_grade = False
                    gb.db.commit()

    autograde.Autograde.init_assignment = init_assignment_zeroing_links
