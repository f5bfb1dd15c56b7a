"""A kernel's disk budget: what it writes is watched while it runs, and removed if it went over.

``DiskWatch`` polls the folders a kernel writes to (its working copy, its private folder) and
calls back once their total passes the budget, so that the grader stops the kernel while it
writes, not after; ``snapshot`` and ``remove_new_files`` then take away what it wrote, so that
nothing beyond the budget reaches ``autograded/``, the coordinator or a Dask worker's memory.
"""

from __future__ import annotations

import math
import os
import threading


class DiskWatch(threading.Thread):
    """Watches the folders a kernel writes to; past ``budget`` bytes (or ``MAX_FILES`` files),
    calls ``on_exceeded`` once. Files are counted at their apparent size, links not followed."""

    MAX_FILES = 20_000

    def __init__(self, folders, budget: int, on_exceeded, interval: float = 0.2):
        super().__init__(daemon=True, name="nndl-disk-watch")
        self.folders, self.budget, self.on_exceeded = list(folders), budget, on_exceeded
        self.interval, self.exceeded = interval, False
        self._stop_event = threading.Event()

    def used(self) -> float:
        total, count = 0, 0
        todo = [f for f in self.folders if os.path.isdir(f)]
        while todo:
            try:
                entries = list(os.scandir(todo.pop()))
            except OSError:
                continue
            for entry in entries:
                count += 1
                if count > self.MAX_FILES:
                    return math.inf
                try:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_size
                except OSError:
                    continue
        return total

    def run(self):
        while not self._stop_event.wait(self.interval):
            if self.used() > self.budget:
                self.exceeded = True
                self.on_exceeded()
                return

    def stop(self):
        self._stop_event.set()
        if self.is_alive():
            self.join()


def snapshot(folder: str) -> dict[str, tuple[int, int]]:
    """Relative path -> (size, mtime) of the regular files under ``folder``."""
    found = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            found[os.path.relpath(path, folder)] = (info.st_size, info.st_mtime_ns)
    return found


def remove_new_files(folder: str, before: dict[str, tuple[int, int]], keep=()) -> list[str]:
    """Delete what was written under ``folder`` since ``before`` (new or changed files, links
    and folders), except the relative paths in ``keep``; return what was deleted."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if rel in keep or before.get(rel) == (info.st_size, info.st_mtime_ns):
                continue
            try:
                os.unlink(path)
                removed.append(rel)
            except OSError:
                pass
        if dirpath != folder and not os.listdir(dirpath):
            rel = os.path.relpath(dirpath, folder)
            if not any(k.startswith(rel + os.sep) for k in before):
                os.rmdir(dirpath)
    return removed
