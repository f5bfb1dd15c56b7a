"""Scratch folders that a grader killed with SIGKILL does not leave behind for good.

Each folder holds the creating process's id; ``make`` first removes the folders of the same kind
whose process is gone (a worker or kernel manager killed before it could clean up)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

OWNER = ".nndl-owner"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale(prefix: str) -> None:
    """Remove the scratch folders ``prefix``* of dead processes (this user's, in the temp dir)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        try:
            pid = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue  # not one of ours, or being created
        if not alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def make(prefix: str) -> Path:
    """A new scratch folder ``prefix``*, after removing the stale ones."""
    remove_stale(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    (folder / OWNER).write_text(str(os.getpid()))
    return folder
