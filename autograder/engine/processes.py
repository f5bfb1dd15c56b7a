"""Every process a grading kernel starts ends with its grading, and there are at most so many.

* ``end_tree(pid)``: stop a process and all its descendants, including those that left its
  session or process group (``start_new_session=True``, a double fork): the kernel's supervisor
  (``autograder.engine.supervisor``) is a child subreaper, so orphans of the kernel's tree are
  re-parented to it and stay findable. The tree is frozen (SIGSTOP) before it is killed, so it
  cannot outrun the sweep by forking.
* ``ProcessGroup``: a cgroup whose ``pids.max`` bounds the kernel's processes and threads when
  the grader is root (root is exempt from RLIMIT_NPROC). Created by the grader, joined by the
  kernel's supervisor before the kernel starts, emptied and removed after.
* ``tasks_of(uid)``: how many processes and threads a user runs, for RLIMIT_NPROC (which counts
  all of the user's tasks) when the grader is not root.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process this user can see."""
    import psutil

    children: dict[int, list[int]] = {}
    for process in psutil.process_iter(["ppid"]):
        ppid = process.info.get("ppid")
        if ppid is not None:
            children.setdefault(ppid, []).append(process.pid)
    return children


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` in the process tree (not ``pid`` itself)."""
    children = _children_map()
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if child not in found:
            found.append(child)
            todo.extend(children.get(child, []))
    return found


def _signal(pids, signum) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


def end_tree(pid: int, include_root: bool = True, extra=lambda: [], rounds: int = 50) -> int:
    """SIGKILL ``pid``'s descendants (and ``pid`` itself with ``include_root``), and the
    processes ``extra()`` names (a cgroup's members); return how many were signalled."""
    if not hasattr(signal, "SIGKILL"):
        return 0
    seen: set[int] = set()
    for _ in range(rounds):
        pids = [p for p in (*descendants(pid), *extra()) if p != os.getpid()]
        if include_root and _exists(pid):
            pids.append(pid)
        pids = [p for p in pids if _exists(p)]
        if not pids:
            break
        _signal(pids, signal.SIGSTOP)  # no more forks while the sweep goes on
        more = [p for p in (*descendants(pid), *extra()) if p not in pids and p != os.getpid()]
        _signal(more, signal.SIGSTOP)
        _signal([*pids, *more], signal.SIGKILL)
        seen.update(pids, more)
        time.sleep(0.02)
    return len(seen)


def _exists(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def tasks_of(uid: int) -> int:
    """Processes and threads of user ``uid`` (what RLIMIT_NPROC counts)."""
    import psutil

    total = 0
    for process in psutil.process_iter(["uids", "num_threads"]):
        uids = process.info.get("uids")
        if uids is not None and uids.real == uid:
            total += process.info.get("num_threads") or 1
    return total


# ------------------------------------------------------------------------------------------
# cgroups: a process-count limit that holds for root
# ------------------------------------------------------------------------------------------
def _pids_hierarchy() -> Path | None:
    """Where a new cgroup with a ``pids`` controller can be made for this process: its own
    cgroup in the cgroup v1 ``pids`` hierarchy, or in cgroup v2 when ``pids`` is enabled for
    its children. None if there is none (not Linux, no cgroup file system, not allowed)."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    v1 = v2 = None
    for line in mounts:
        fields = line.split(" - ")
        if len(fields) != 2:
            continue
        mount_point = fields[0].split()[4]
        kind, _, options = fields[1].split()[:3]
        if kind == "cgroup" and "pids" in options.split(","):
            v1 = v1 or Path(mount_point)
        elif kind == "cgroup2":
            v2 = v2 or Path(mount_point)
    for line in own:
        hierarchy, controllers, path = line.split(":", 2)
        if v1 and "pids" in controllers.split(","):
            folder = v1 / path.lstrip("/")
            if folder.is_dir():
                return folder
        if v2 and hierarchy == "0":
            folder = v2 / path.lstrip("/")
            try:
                enabled = (folder / "cgroup.subtree_control").read_text().split()
            except OSError:
                continue
            if "pids" in enabled:
                return folder
    return None


class ProcessGroup:
    """A cgroup limiting a kernel's tasks (processes and threads) to ``limit``."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, limit: int, prefix: str = "nndl-kernel-") -> ProcessGroup:
        """Raise OSError (with the reason) when no cgroup can be made here."""
        parent = _pids_hierarchy()
        if parent is None:
            raise OSError("no cgroup file system with the pids controller is writable here")
        _remove_stale(parent, prefix)
        path = parent / f"{prefix}{os.getpid()}-{time.monotonic_ns()}"
        path.mkdir()
        try:
            (path / "pids.max").write_text(str(limit))
        except OSError:
            path.rmdir()
            raise
        return cls(path)

    def members(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def limit_reached(self) -> bool:
        """Whether a fork was refused for the limit (``pids.events``)."""
        try:
            events = (self.path / "pids.events").read_text().split()
        except OSError:
            return False
        return len(events) >= 2 and events[0] == "max" and events[1] != "0"

    def remove(self) -> None:
        """Kill every member, then remove the cgroup."""
        for _ in range(50):
            members = self.members()
            if not members:
                break
            _signal(members, signal.SIGKILL)
            time.sleep(0.02)
        try:
            self.path.rmdir()
        except OSError:
            pass


def _remove_stale(parent: Path, prefix: str) -> None:
    """Remove the cgroups left by graders that were killed before they could (their creator's
    pid is in the name)."""
    from autograder.engine.scratch import alive

    for path in parent.glob(f"{prefix}*"):
        try:
            pid = int(path.name[len(prefix):].split("-")[0])
        except ValueError:
            continue
        if not alive(pid):
            ProcessGroup(path).remove()


def join(cgroup: str) -> None:
    """Move this process into ``cgroup`` (its children follow)."""
    Path(cgroup, "cgroup.procs").write_text(str(os.getpid()))


def process_limit_problem(limit: int) -> str | None:
    """Why a process-count limit cannot be enforced here, or None if it can."""
    if limit <= 0 or not hasattr(os, "geteuid"):
        return None if limit <= 0 else "not a POSIX system"
    if os.geteuid() != 0:
        return None  # RLIMIT_NPROC holds
    try:
        group = ProcessGroup.create(limit, prefix="nndl-probe-")
    except OSError as error:
        return (f"the grader runs as root, which RLIMIT_NPROC does not limit, and no cgroup "
                f"could be made ({error})")
    group.remove()
    return None
