"""Executing a submission with limits: nbgrader's Execute, bounded in time, memory and output.

nbgrader's own ``Execute`` has a per-cell time limit only: one ``while True: pass`` in a function
costs that limit again in every later cell that calls it, a crashing kernel (``os._exit``, a
segfault) makes nbgrader drop the whole submission with an error, and a cell printing without
end fills the grader's memory. ``LimitedExecute`` is a drop-in replacement, registered in
nbgrader_config.py (so plain ``nbgrader autograde`` and the formgrader use it too) and used by
``nndl grade``:

* a time limit for the whole notebook (``notebook_timeout``) besides the per-cell one: once it
  is spent, the remaining code cells are not run and get an error output, so their tests score
  zero, and the submission costs at most that long;
* a memory limit on the kernel process (``memory_limit``, MiB of address space, through
  ``autograder.kernel_limits``): a memory bomb ends in a ``MemoryError`` in the student's cell;
* a disk budget (``disk_limit``, MiB written beyond the submitted files, watched while the
  kernel runs) and a process-count limit (``process_limit``, ``autograder.processes``);
* if the kernel dies, the cell that killed it and every later code cell get an error output
  saying so, and the grades of the cells that ran before stand: zero for what did not run. The
  same when the kernel is stopped: a cell that goes on after the interrupt at its time limit, a
  kernel past its disk budget, idle for ``idle_timeout`` seconds (no CPU, no output) or
  breaking the messaging protocol;
* every process the kernel started ends with its grading, and its private folder is removed;
* at most ``max_output_bytes`` of output per cell; the rest is dropped with a note;
* ``kernel_threads`` BLAS/OpenMP threads per kernel, so parallel graders do not oversubscribe
  the cores;
* the hidden block of each test cell is judged here, outside the kernel, which only calls the
  student's functions on the hidden inputs (``autograder.honest``);
* grading stops after the last graded cell (``run_after_last_graded_cell`` to run them all):
  training runs and plots after it cannot change a score;
* the kernel runs in a bubblewrap sandbox (``sandbox``, ``autograder.sandbox``); without it,
  what does not need it still holds (``autograder.kernel_limits``): the allow-listed
  environment, the private HOME, the limits, writes refused outside the working copy.

Every cell this module marks has an error output whose ``ename`` is one of ``LIMIT_ERRORS``,
which the grading report turns into a reason.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer

from autograder import honest, landlock, processes, scratch
from autograder import reference as ref
from autograder import sandbox as sandboxing
from autograder.disk import DiskWatch, remove_new_files, snapshot

NOT_RUN = "NotRun"  # a cell after the kernel died or the notebook's time ran out
KERNEL_DIED = "KernelDied"
OUTPUT_LIMIT = "OutputLimit"
TIME_LIMIT = "CellTimeoutError"  # nbgrader's name for a cell stopped at its time limit
STUCK = "CellNotInterrupted"  # a cell that went on after the interrupt at its time limit
DISK_LIMIT = "DiskLimit"
LIMIT_ERRORS = (NOT_RUN, KERNEL_DIED, OUTPUT_LIMIT, TIME_LIMIT, STUCK, DISK_LIMIT)
SKIPPED_NOTE = ("Grading stopped after the last graded cell (cell {cell}): the cells from here "
                "on cannot change the score, so they were not run when grading. Run them in "
                "your own notebook.\n")


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel under ``autograder.kernel_limits`` (limits, an
    allow-listed environment, a private HOME, a supervisor that keeps its processes together)
    and, when shut down, ends every process the kernel started."""

    memory_limit = 0  # MiB; set by LimitedExecute
    kernel_threads = 0
    disk_limit = 0  # bytes: the largest file the kernel may write
    process_limit = 0  # tasks (processes and threads)
    private_dir: str | None = None
    sandboxed = False
    cgroup: processes.ProcessGroup | None = None

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if self.private_dir is None:
            self.use_private_dir()
        wrapper = [sys.executable, "-m", "autograder.kernel_limits",
                   f"--private={self.private_dir}", f"--memory={self.memory_limit}",
                   f"--threads={self.kernel_threads}", f"--disk={self.disk_limit}",
                   f"--processes={self.process_limit}"]
        if self.cgroup is not None:
            wrapper.append(f"--cgroup={self.cgroup.path}")
        if self.sandboxed:
            wrapper += ["--sandbox", f"--hide={ref.source_dir()}"]
        return [*wrapper, "--", *command]

    def use_private_dir(self) -> None:
        """The kernel's private folder: its HOME, temporary and settings folders."""
        self.private_dir = str(scratch.make("nndl-kernel-"))
        sandboxing.prepare(Path(self.private_dir))
        # The kernel writes its connection file again: there, it may.
        self.connection_file = os.path.join(self.private_dir, "connection.json")

    def use_sandbox(self) -> None:
        """Run the kernel in ``autograder.sandbox``: it talks over Unix sockets in its private
        folder, since it has no network (not even the grader's loopback)."""
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

    def cpu_seconds(self) -> float:
        """CPU time used so far by the kernel's processes (its supervisor's tree)."""
        import psutil

        pid = self.kernel_pid()
        if pid is None:
            return 0.0
        total = 0.0
        for p in [pid, *processes.descendants(pid)]:
            try:
                times = psutil.Process(p).cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
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


_warned: dict[str, bool] = {}


def error_output(ename: str, message: str):
    """An error output that nbgrader scores like any failed cell (zero for a test cell)."""
    return new_output("error", ename=ename, evalue=message,
                      traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


def timeout_message(seconds: int, notebook: bool = False) -> str:
    """What a student reads on a cell stopped at a time limit."""
    limit = (f"the notebook's time limit ({seconds} s in all) ran out in this cell" if notebook
             else f"this cell was stopped at the time limit of {seconds} s")
    return (f"{limit}: usually a loop that never ends (a while condition that never changes) "
            "or far more iterations than the exercise asks for")


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


class LimitedExecute(Execute):
    """nbgrader's Execute with limits, a sandbox, and hidden tests judged outside the kernel."""

    notebook_timeout = Integer(
        1800, help="Seconds for the whole notebook; later cells are not run (0: no limit)."
    ).tag(config=True)
    memory_limit = Integer(
        4096, help="MiB of address space for the kernel process (0: no limit)."
    ).tag(config=True)
    disk_limit = Integer(
        100, help="MiB the kernel may write beyond the submitted files, in all (0: no limit); "
        "past it the kernel is stopped, the cell and the rest score zero, and what it wrote is "
        "removed."
    ).tag(config=True)
    process_limit = Integer(
        256, help="Processes and threads of one kernel, its own included (0: no limit)."
    ).tag(config=True)
    max_output_bytes = Integer(
        2_000_000, help="Bytes of output kept per cell; the rest is dropped (0: no limit)."
    ).tag(config=True)
    idle_timeout = Integer(
        30, help="Seconds a running cell may go with its kernel using no CPU and sending no "
        "output (a deadlock, a broken messaging channel); then the kernel is stopped, as if "
        "it had died, instead of waiting for the cell's time limit (0: no limit)."
    ).tag(config=True)
    kernel_threads = Integer(
        0, help="BLAS/OpenMP threads of the kernel (0: the libraries' default)."
    ).tag(config=True)
    run_after_last_graded_cell = Bool(
        False, help="Also run the cells after the last graded cell (training runs, plots), "
        "which cannot change a score; by default grading stops there and the first of them "
        "says so."
    ).tag(config=True)
    sandbox = Enum(
        ["auto", "require", "off"], "auto",
        help="Run the kernel in a bubblewrap sandbox (autograder.sandbox): 'auto' when bwrap "
        "works here (else a warning), 'require' (fail without it), 'off'."
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, LimitedKernelManager):
            km.memory_limit = self.memory_limit
            km.kernel_threads = self.kernel_threads
            km.disk_limit = self.disk_limit * 1024 * 1024
            km.process_limit = self.process_limit
            why = sandboxing.problem() if self.sandbox != "off" else "sandbox=off"
            if why is None:
                km.use_sandbox()
            elif self.sandbox == "require":
                raise sandboxing.SandboxUnavailable(f"cannot sandbox the kernel: {why}")
            else:
                km.use_private_dir()
            cgroup_problem = None
            if self.process_limit and hasattr(os, "geteuid") and os.geteuid() == 0:
                problem = km.use_cgroup()
                if problem:
                    cgroup_problem = ("the grader is root, which RLIMIT_NPROC does not limit, "
                                      f"and no cgroup could be made ({problem})")
            warning = unprotected_warning(why, cgroup_problem)
            self.__dict__.setdefault("_managers", []).append(km)
            if warning and not _warned.get(warning):
                _warned[warning] = True
                self.log.warning("%s", warning)
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._cell_limit = self.timeout
        self._deadline = (time.monotonic() + self.notebook_timeout
                          if self.notebook_timeout else None)
        self._stopped = None  # why the remaining cells are not run
        self._output_bytes = {}
        self._source_notebook, self._hidden = self._hidden_tests(nb, resources)
        graded = [i for i, cell in enumerate(nb.cells) if {"grade", "solution", "task"} & {
            k for k, v in ref.nbgrader_meta(cell).items() if v}]
        self._last_graded = max(graded, default=len(nb.cells))
        self._skip_noted = False
        # The kernel's working copy (nbgrader's autograded/ folder of the submission): watched,
        # and cleaned after the disk budget is exceeded. Without one, the kernel runs in the
        # grader's own folder, which is only watched, never cleaned.
        workdir = (resources or {}).get("metadata", {}).get("path") or None
        before = snapshot(workdir) if self.disk_limit and workdir else {}
        self._disk = None
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:  # the kernel died between cells: the marks are in place
            return self.nb, self.resources
        finally:
            self.timeout = self._cell_limit
            if self._disk is not None:
                self._disk.stop()
                if self._disk.exceeded and workdir:
                    removed = remove_new_files(workdir, before)
                    self.log.warning("disk limit: removed %d files the kernel wrote",
                                     len(removed))
            for manager in self.__dict__.pop("_managers", []):
                manager.release()

    def _watch_disk(self, workdir: str | None) -> None:
        """Start watching what the kernel writes, once it has started."""
        km = getattr(self, "km", None)
        if not self.disk_limit or self._disk is not None or not isinstance(
                km, LimitedKernelManager):
            return
        folders = [f for f in (workdir, km.private_dir) if f]
        watch = DiskWatch(folders, 0, lambda: km.end_processes(include_kernel=True))
        watch.budget = watch.used() + self.disk_limit * 1024 * 1024
        self._disk = watch
        watch.start()

    def _hidden_tests(self, nb, resources):
        """The source notebook and its hidden tests by grade id, when they run in the grader."""
        info = (resources or {}).get("nbgrader", {})
        assignment, notebook = str(info.get("assignment")), f"{info.get('notebook')}.ipynb"
        candidates = [ref.source_dir() / assignment / notebook]
        # First the course being graded (its root: configured, else the current directory), if
        # it has its source notebooks; else the installed course's.
        course = CourseDirectory(config=self.config)
        candidates.insert(0, Path(course.root) / course.source_directory / assignment / notebook)
        for path in candidates:
            if path.is_file():
                return path, honest.hidden_tests(path)
        if any(honest.BEGIN in cell.source for cell in nb.cells if cell.cell_type == "code"):
            raise RuntimeError(
                f"cannot grade the hidden tests of {notebook}: its source notebook is not in "
                f"{' or '.join(str(p.parent) for p in candidates)}: hidden tests are judged "
                "by the grader, from the source notebook (set NNDL_SOURCE_DIR to the course's "
                "source/ folder)")
        return None, {}

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and index > self._last_graded and not (
                self.run_after_last_graded_cell):
            cell.outputs = [] if self._skip_noted else [new_output(
                "stream", name="stdout", text=SKIPPED_NOTE.format(cell=self._last_graded))]
            cell.execution_count = None
            self._skip_noted = True
            return cell, resources
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        self._watch_disk((self.resources or {}).get("metadata", {}).get("path"))
        test = self._hidden.get(ref.nbgrader_meta(cell).get("grade_id")) if (
            ref.is_test_cell(cell)) else None
        if test is None:
            return self._run_cell(cell, resources, index)
        _, payload = honest.plan(self._source_notebook, test.grade_id)
        original = cell.source
        cell.source = test.kernel_source(payload)
        try:
            cell, resources = self._run_cell(cell, resources, index)
        finally:
            cell.source = original
        if any(output.get("output_type") == "error" for output in cell.outputs):
            honest.records(cell)  # already failed: only take the raw results out
        else:
            message = honest.judge(cell, self._source_notebook, test)
            if message:
                cell.outputs.append(honest.failure_output(message))
        return cell, resources

    def _run_cell(self, cell, resources, index):
        notebook_limit = False
        if self._stopped is None and self._deadline is not None:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                self._stopped = (f"not run: the notebook's time limit of "
                                 f"{self.notebook_timeout} s was reached before this cell")
            else:
                limit = math.ceil(remaining)
                notebook_limit = not self._cell_limit or limit < self._cell_limit
                self.timeout = min(self._cell_limit, limit) if self._cell_limit else limit
        if self._stopped is not None:
            cell.outputs = [error_output(NOT_RUN, self._stopped)]
            cell.execution_count = None
            return cell, self.resources
        self._idle, self._idle_mark, self._last_output = False, None, time.monotonic()
        started = time.monotonic()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            if self._idle:
                self.km.end_processes(include_kernel=True)
                cell.outputs.append(error_output(KERNEL_DIED, (
                    f"the kernel did nothing for {self.idle_timeout} s while running this cell "
                    "(no computation, no output: waiting for something that never comes), so "
                    "it was stopped")))
                self._stopped = f"not run: the kernel stopped in an earlier cell (cell {index})"
            elif self._disk is not None and self._disk.exceeded:
                cell.outputs.append(error_output(DISK_LIMIT, (
                    f"this cell wrote more than the {self.disk_limit} MiB a submission may "
                    "write: the kernel was stopped and what it wrote was removed")))
                self._stopped = f"not run: the disk limit was exceeded in an earlier cell ({index})"
            else:
                why = self.km.limit_reached() if isinstance(
                    self.km, LimitedKernelManager) else None
                cell.outputs.append(error_output(
                    KERNEL_DIED, f"the kernel stopped while running this cell ({why})" if why
                    else "the kernel stopped while running this cell (the program exited, "
                    "crashed, or ran out of memory)"))
                self._stopped = f"not run: the kernel stopped in an earlier cell (cell {index})"
            return cell, self.resources
        except CellTimeoutError as error:
            if self.timeout and time.monotonic() - started < self.timeout:
                return self._broken(cell, index, error)
            # The interrupt at the time limit did not stop the cell (it ignores SIGINT, or
            # catches KeyboardInterrupt and goes on): the kernel is stopped, as if it had died.
            if isinstance(self.km, LimitedKernelManager):
                self.km.end_processes(include_kernel=True)
            cell.outputs = [o for o in cell.outputs if o.get("ename") != "KeyboardInterrupt"]
            cell.outputs.append(error_output(STUCK, (
                f"{timeout_message(self.timeout, notebook_limit)}; the cell did not stop when "
                "interrupted (does it catch KeyboardInterrupt, e.g. with a bare except:?), so "
                "the kernel was stopped")))
            self._stopped = (f"not run: cell {index} could not be interrupted at the time "
                             "limit, so the kernel was stopped")
            return cell, self.resources
        except Exception as error:  # noqa: BLE001 (the kernel broke the messaging protocol)
            if not isinstance(self.km, LimitedKernelManager):
                raise
            return self._broken(cell, index, error)
        finally:
            timed_out = [o for o in cell.get("outputs", []) if o.get("ename") == TIME_LIMIT]
            if timed_out:
                cell.outputs = [o for o in cell.outputs if o.get("ename") != "KeyboardInterrupt"]
                message = timeout_message(self.timeout, notebook_limit)
                for output in timed_out:
                    output["evalue"] = message
                    output["traceback"] = [f"\x1b[0;31m{TIME_LIMIT}\x1b[0m: {message}"]
                if self._deadline is not None and self._stopped is None and (
                        time.monotonic() >= self._deadline):
                    self._stopped = (f"not run: the notebook's time limit of "
                                     f"{self.notebook_timeout} s was reached in cell {index}")

    def _broken(self, cell, index, error):
        """Only the kernel runs while a cell does: whatever fails then is its doing (garbled or
        forged messages, output that stops, a kernel that cannot start threads any more). It
        is stopped, as if it had died."""
        self.km.end_processes(include_kernel=True)
        reason = self.km.limit_reached() or f"{type(error).__name__}: {error}"[:200]
        cell.outputs.append(error_output(KERNEL_DIED, (
            f"the kernel stopped answering properly while running this cell ({reason}), so it "
            "was stopped")))
        self._stopped = f"not run: the kernel stopped in an earlier cell (cell {index})"
        return cell, self.resources

    async def _async_check_alive(self) -> None:
        """nbclient calls this every second while a cell runs: also stop a kernel that has
        done nothing (no CPU, no output) for ``idle_timeout`` seconds."""
        await super()._async_check_alive()
        if not self.idle_timeout or not isinstance(self.km, LimitedKernelManager):
            return
        now, cpu = time.monotonic(), self.km.cpu_seconds()
        mark = self.__dict__.get("_idle_mark")
        if mark is None or abs(cpu - mark[1]) > 0.05 or self._last_output > mark[0]:
            self._idle_mark = (now, cpu)
        elif now - mark[0] > self.idle_timeout:
            self._idle = True
            raise DeadKernelError("idle")

    def output(self, outs, msg, display_id, cell_index):
        self._last_output = time.monotonic()
        if self.max_output_bytes and honest.RECORD_MIME not in msg.get("content", {}).get(
                "data", {}):
            size = len(str(msg.get("content", {})))
            used = self._output_bytes.get(cell_index, 0)
            self._output_bytes[cell_index] = used + size
            if used + size > self.max_output_bytes:
                if used <= self.max_output_bytes:  # say it once, then drop the rest
                    note = error_output(OUTPUT_LIMIT, f"output beyond {self.max_output_bytes} "
                                        "bytes was dropped")
                    outs.append(note)
                    return note
                return None
        return super().output(outs, msg, display_id, cell_index)
