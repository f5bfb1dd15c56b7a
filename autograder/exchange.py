"""nbgrader's exchange with the course's rules, for a hub where every student is a Unix user.

nbgrader's own exchange (nbgrader.exchange.default) leaves three holes on a shared server:

* ``release_assignment`` makes the exchange root world-writable (0777), so a student can rename
  the course's folder in it and put a folder of their own in its place;
* ``submit`` leaves every submission world-readable (files 0644, its folder 0777), hidden only
  by its name, so a student who learns that name can read, change or delete it;
* ``collect`` copies with ``shutil.copytree``, which follows symbolic links with the
  instructor's rights: a student who puts in their inbound folder a link to the source notebook
  gets the reference solution collected, and graded, as theirs; and it collects a submission
  named for one student but made by another (it only warns).

The classes here close them (nbgrader_config.py installs them with ``c.ExchangeFactory``); the
rest is nbgrader's. The folders and their modes are made by deploy/hub/setup; README's "Running
the course on a JupyterHub" says what this isolates and what it does not.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat

from nbgrader.exchange.default import (
    ExchangeCollect,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from nbgrader.utils import check_directory, ignore_patterns

# A submission folder: its owner and the exchange's group (the instructor's, set by the inbound
# folder's set-group-id bit) only; other users (every other student) nothing.
SUBMISSION_DIR_MODE = 0o770
SUBMISSION_FILE_MODE = 0o660
REFUSED = "\0refused"  # the student id of submissions collect leaves out, grouped apart


class EnterOnlyRoot:
    """The exchange root need not be writable: only the course's folder inside it is used, and
    its administrator decides its mode (nbgrader requires, and sets, 0777)."""

    def ensure_root(self):
        if not check_directory(self.root, execute=True):
            self.fail(f"The exchange {self.root} does not exist or you cannot enter it: "
                      "please contact your instructor.")


class ReleaseAssignment(EnterOnlyRoot, ExchangeReleaseAssignment):
    """nbgrader's release, but an existing exchange root keeps its mode (nbgrader would make it
    world-writable); a missing one is created as nbgrader does (one machine, one user)."""

    def ensure_root(self):
        if not os.path.exists(self.root):
            return ExchangeReleaseAssignment.ensure_root(self)
        return EnterOnlyRoot.ensure_root(self)


class FetchAssignment(EnterOnlyRoot, ExchangeFetchAssignment):
    pass


class FetchFeedback(EnterOnlyRoot, ExchangeFetchFeedback):
    pass


class ReleaseFeedback(EnterOnlyRoot, ExchangeReleaseFeedback):
    pass


class List(EnterOnlyRoot, ExchangeList):
    pass


class Submit(EnterOnlyRoot, ExchangeSubmit):
    """nbgrader's submit, with the submission private to its student and the instructor.

    The inbound folder's set-group-id bit gives each new file the instructor's group, but only
    while the submission's folder keeps that bit, and a student (not in that group) who changes
    the folder's mode clears it: so the files are copied into new folders without changing their
    mode (nbgrader's copy does), and the modes are set once every file is there (until then, for
    the moment of the copy, they have the modes they had in the student's home, in a folder no
    other student can find: inbound/ cannot be listed)."""

    def do_copy(self, src, dest, log=None):
        if os.path.dirname(dest) != self.inbound_path:  # the student's own cache: nbgrader's
            return super().do_copy(src, dest, log)
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:  # as nbgrader's do_copy
            raise RuntimeError(f"Directory size is too big: {src}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        for dirpath, dirnames, filenames in os.walk(src):
            ignored = set(ignore(dirpath, dirnames + filenames))
            dirnames[:] = [name for name in dirnames if name not in ignored]
            target = os.path.normpath(os.path.join(dest, os.path.relpath(dirpath, src)))
            os.mkdir(target)
            for name in filenames:
                if name not in ignored:
                    shutil.copy2(os.path.join(dirpath, name), os.path.join(target, name))

    def set_perms(self, dest, fileperms, dirperms):
        # nbgrader asks for files 0644 and folders 0755 (readable by everyone)
        super().set_perms(dest, SUBMISSION_FILE_MODE, SUBMISSION_DIR_MODE)

    def copy_files(self):
        super().copy_files()
        # nbgrader's last step makes the submission's folder 0777, "so the instructor can
        # delete later": the group (the instructor's) has that right already.
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_DIR_MODE)


class Collect(EnterOnlyRoot, ExchangeCollect):
    """nbgrader's collect, which refuses a submission that is a link or that belongs to a user
    other than the student it names (or the instructor collecting), and copies regular files
    and folders only: no link is followed, and none is copied (each is named in the log)."""

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        problem = refusal(path, record["username"])
        if problem:
            self.log.error("Submission %s not collected: %s", path, problem)
            record["username"] = REFUSED
        return record

    def init_src(self):
        super().init_src()
        self.src_records = [r for r in self.src_records if r["username"] != REFUSED]

    def do_copy(self, src, dest, log=None):
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:  # as nbgrader's do_copy
            raise RuntimeError(f"Directory size is too big: {src}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        for name in copy_regular_files(src, dest, ignore):
            self.log.warning("Symbolic link or special file %s in %s not collected (links are "
                             "never followed)", name, src)


def refusal(path: str, student: str) -> str | None:
    """Why the inbound entry ``path``, named for ``student``, must not be collected (None: it
    may)."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link, not a folder"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid == os.getuid():  # the instructor's own (one machine, one account)
        return None
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = f"user id {info.st_uid}"
    if owner != student:
        return f"it is named for {student} but belongs to {owner}"
    return None


def copy_regular_files(src: str, dest: str, ignore=None) -> list[str]:
    """Copy the folder ``src`` into ``dest`` (created): its regular files and folders, with
    their times, never following a link (each file is opened without following one, in a
    folder opened the same way, so a link swapped in while copying is not followed either).
    ``ignore`` is a ``shutil.copytree`` ignore function. Return the paths (relative to ``src``)
    of the links and special files left out."""
    left_out = []
    for dirpath, dirnames, filenames, dirfd in os.fwalk(src, follow_symlinks=False):
        rel = os.path.relpath(dirpath, src)
        target = dest if rel == "." else os.path.join(dest, rel)
        os.makedirs(target, exist_ok=True)
        ignored = set(ignore(dirpath, dirnames + filenames)) if ignore else set()
        for name in list(dirnames):
            if name in ignored or not stat.S_ISDIR(
                    os.stat(name, dir_fd=dirfd, follow_symlinks=False).st_mode):
                dirnames.remove(name)
                if name not in ignored:
                    left_out.append(os.path.normpath(os.path.join(rel, name)))
        for name in filenames:
            if name in ignored:
                continue
            if not _copy_regular(name, dirfd, os.path.join(target, name)):
                left_out.append(os.path.normpath(os.path.join(rel, name)))
    return left_out


def _copy_regular(name: str, dirfd: int, target: str) -> bool:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dirfd)
    except OSError:  # a link (ELOOP), or unreadable
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return False
        with os.fdopen(fd, "rb", closefd=False) as source, open(target, "wb") as copy:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
        return True
    finally:
        os.close(fd)


# c.ExchangeFactory.<operation> = ... in nbgrader_config.py
FACTORY = {
    "release_assignment": ReleaseAssignment,
    "fetch_assignment": FetchAssignment,
    "submit": Submit,
    "list": List,
    "collect": Collect,
    "release_feedback": ReleaseFeedback,
    "fetch_feedback": FetchFeedback,
}
