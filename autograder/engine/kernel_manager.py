"""The grading kernel's manager: the kernel starts under ``autograder.engine.supervisor`` (limits,
an allow-listed environment, a private HOME, in the sandbox when there is one), and every process
it started ends with it. ``unprotected_warning`` says what is not enforced where something is
missing. autograder/README.md tells what each protection covers.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from autograder.engine import landlock, processes, scratch
from autograder.engine.supervisor import prepare_private_dir
from autograder.hidden import reference as ref


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel under ``autograder.engine.supervisor`` (limits, an
    allow-listed environment, a private HOME, a supervisor that keeps its processes together)
    and, when shut down, ends every process the kernel started."""

    memory_limit = 0  # MiB; set by LimitedExecute
    kernel_threads = 0
    disk_limit = 0  # bytes: the largest file the kernel may write
    process_limit = 0  # tasks (processes and threads)
    private_dir: str | None = None
    sandboxed = False
    grade_alone = False  # each function graded on its own (LimitedExecute.grade_functions_alone)
    cgroup: processes.ProcessGroup | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if self.private_dir is None:
            self.use_private_dir()
        wrapper = [sys.executable, "-m", "autograder.engine.supervisor",
                   f"--private={self.private_dir}", f"--memory={self.memory_limit}",
                   f"--threads={self.kernel_threads}", f"--disk={self.disk_limit}",
                   f"--processes={self.process_limit}"]
        if self.cgroup is not None:
            wrapper.append(f"--cgroup={self.cgroup.path}")
        if self.grade_alone:
            wrapper.append("--alone")
        if self.sandboxed:
            wrapper += ["--sandbox", f"--hide={ref.source_dir()}"]
        return [*wrapper, "--", *command]

    def use_private_dir(self) -> None:
        """The kernel's private folder: its HOME, temporary and settings folders."""
        self.private_dir = str(scratch.make("nndl-kernel-"))
        prepare_private_dir(Path(self.private_dir))
        # The kernel writes its connection file again: there, it may.
        self.connection_file = os.path.join(self.private_dir, "connection.json")

    def use_sandbox(self) -> None:
        """Run the kernel in ``autograder.engine.sandbox``: it talks over Unix sockets in its
        private folder, since it has no network (not even the grader's loopback)."""
        self.use_private_dir()
        self.sandboxed = True
        self.transport = "ipc"
        self.ip = os.path.join(self.private_dir, "kernel")

    def use_cgroup(self) -> str | None:
        """Limit the kernel's tasks with a cgroup (for a grader running as root); None if done,
        else why not."""
        try:
            self.cgroup = processes.ProcessGroup.create(self.process_limit)
        except OSError as error:
            return str(error)
        return None

    TREE_REFRESH = 5.0  # seconds between two scans of every process for the kernel's tree
    _tree: tuple[float, list[int]] | None = None  # (when, the tree's pids)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the kernel's processes (its supervisor's tree, and what they
        have reaped). Which processes are in the tree is looked up again every
        ``TREE_REFRESH`` seconds (a scan of every process costs tens of milliseconds); in
        between, only those processes are read."""
        import psutil

        pid = self.kernel_pid()
        if pid is None:
            return 0.0
        now = time.monotonic()
        if self._tree is None or self._tree[1][:1] != [pid] or (
                now - self._tree[0] > self.TREE_REFRESH):
            self._tree = (now, [pid, *processes.descendants(pid)])
        total = 0.0
        for p in self._tree[1]:
            try:
                times = psutil.Process(p).cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def limit_reached(self) -> str | None:
        """Which of the kernel's limits it reached, if one can tell (the process limit)."""
        if self.cgroup is not None and self.cgroup.limit_reached():
            return f"it reached the limit of {self.process_limit} processes and threads"
        return None

    def kernel_pid(self) -> int | None:
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        return getattr(process, "pid", None)

    def end_processes(self, include_kernel: bool = True) -> None:
        """End every process the kernel started (new sessions and double forks included), and
        the kernel itself with ``include_kernel``."""
        pid = self.kernel_pid()
        members = self.cgroup.members if self.cgroup is not None else list
        if pid is not None:
            processes.end_tree(pid, include_root=include_kernel, extra=members)
        elif self.cgroup is not None:
            self.cgroup.remove()

    async def shutdown_kernel(self, now: bool = False, restart: bool = False):
        # Before the kernel goes: its supervisor still holds the processes that left its tree.
        self.end_processes(include_kernel=False)
        try:
            await super().shutdown_kernel(now=now, restart=restart)
        finally:
            if self.cgroup is not None:
                self.cgroup.remove()
                self.cgroup = None

    def remove_private_dir(self) -> None:
        if self.private_dir:
            shutil.rmtree(self.private_dir, ignore_errors=True)

    def release(self) -> None:
        """After grading (nbclient does not shut down a kernel that died): no process, cgroup
        or private folder of this kernel is left."""
        self.end_processes(include_kernel=True)
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        self.remove_private_dir()


def unprotected_warning(sandbox_problem: str | None, process_problem: str | None) -> str | None:
    """What a grading kernel is not prevented from doing here, and why (None: nothing):
    ``sandbox_problem`` is why bubblewrap is not used, ``process_problem`` why no process
    limit can be set."""
    not_enforced = []
    if sandbox_problem:
        not_enforced += ["reading files outside its working copy (the source notebooks, other "
                         "students' work, other processes' environments)", "the network"]
        problem = landlock.problem()
        if problem:
            not_enforced.append(f"writing outside its working copy ({problem})")
    if process_problem:
        not_enforced.append(f"a limit on its processes ({process_problem})")
    if not not_enforced:
        return None
    head = (f"kernels run WITHOUT the bubblewrap sandbox ({sandbox_problem}); "
            if sandbox_problem else "")
    return f"{head}not enforced: {'; '.join(not_enforced)}"
