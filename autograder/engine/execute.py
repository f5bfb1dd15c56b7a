"""``LimitedExecute``: nbgrader's Execute preprocessor, bounded (time per cell and per notebook,
memory, disk, processes, output, idle kernels), sandboxed, stopping after the last graded cell,
with the hidden tests judged by the grader (``autograder.hidden.pipeline``). Registered in
nbgrader_config.py, so plain ``nbgrader autograde``, the formgrader and ``nndl grade`` all use
it. Each limit is a trait below, whose help is its documentation; autograder/README.md tells
what happens when one is reached.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time
from pathlib import Path

from jupyter_core.utils import ensure_async
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer

from autograder.engine import sandbox as sandboxing
from autograder.engine.cell_errors import (
    ALONE_NOTE,
    DISK_LIMIT,
    KERNEL_DIED,
    NOT_RUN,
    OUTPUT_LIMIT,
    SKIPPED_NOTE,
    STUCK,
    TIME_LIMIT,
    cell_name,
    error_output,
    timeout_message,
)
from autograder.engine.disk import DiskWatch, remove_new_files, snapshot
from autograder.engine.kernel_manager import LimitedKernelManager, unprotected_warning
from autograder.engine.time_limits import Limits, explained
from autograder.hidden import reference as ref
from autograder.hidden.kernel import RECORD_MIME, REFERENCE_PROMPT
from autograder.hidden.pipeline import JUDGE_KEY, HiddenTests
from autograder.hidden.references import ReferenceCalls

_warned: dict[str, bool] = {}
STUCK_GRACE = 4  # seconds a cell may go on after the interrupt at its computing-time limit
# What one call answered by the grader (grade_functions_alone) may cost the kernel: sending the
# arguments and reading the result; not counted against the time limits.
KERNEL_SECONDS_PER_CALL = 0.005


class LimitedExecute(Execute):
    """nbgrader's Execute with limits, a sandbox, and hidden tests judged outside the kernel."""

    timeout = Integer(
        600, allow_none=True, help="Seconds per cell: the cell is interrupted and scores zero "
        "(None or -1: no limit). Unless set, a notebook whose source records its reference "
        "times may also compute ten times the reference's time plus 20 s per cell "
        "(derive_time_limits)."
    ).tag(config=True)
    notebook_timeout = Integer(
        1800, help="Seconds for the whole notebook; later cells are not run, and score zero "
        "(0: no limit). Unless set, a notebook whose source records its reference times may "
        "also compute ten times their total plus 60 s (derive_time_limits)."
    ).tag(config=True)
    derive_time_limits = Bool(
        True, help="Limits on computing (CPU) time from the reference solution's time, recorded "
        "in the source "
        "notebook by `nndl verify --record-times` (autograder.engine.time_limits), wherever "
        "timeout or notebook_timeout is not set explicitly (in nbgrader_config.py, for "
        "Execute or LimitedExecute, or by nndl grade's options)."
    ).tag(config=True)
    memory_limit = Integer(
        4096, help="MiB of address space for the kernel process: a memory bomb ends in "
        "MemoryError (0: no limit)."
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
    iopub_timeout = Integer(
        60, help="Seconds to wait, once the kernel has replied, for the rest of a cell's output. "
        "nbclient's 4 s ran out on a loaded grading machine and behind a flood of output; the "
        "cell then counted as a broken kernel, and the rest of the notebook lost its points."
    ).tag(config=True)
    idle_timeout = Integer(
        30, help="Seconds a running cell may go with its kernel using no CPU and sending no "
        "output (a deadlock, a broken messaging channel); then the kernel is stopped, as if "
        "it had died, instead of waiting for the cell's time limit (0: no limit)."
    ).tag(config=True)
    kernel_threads = Integer(
        0, help="BLAS/OpenMP threads of the kernel (0: the notebooks' own setting, one thread "
        "unless NNDL_THREADS says otherwise: utils.threads)."
    ).tag(config=True)
    run_after_last_graded_cell = Bool(
        False, help="Also run the cells after the last graded cell (training runs, plots), "
        "which cannot change a score; by default grading stops there and the first of them "
        "says so."
    ).tag(config=True)
    grade_functions_alone = Bool(
        False, help="Grade each function on its own: while a test cell runs, the graded "
        "functions its function uses (tests_for(name, uses=...)) answer with the reference "
        "solution's results, computed by the grader (the reference never enters the kernel: "
        "autograder.hidden.references), so a test whose function is right keeps its points "
        "when one it uses is wrong; the test cell says so in the feedback."
    ).tag(config=True)
    sandbox = Enum(
        ["auto", "require", "off"], "auto",
        help="Run the kernel in a bubblewrap sandbox (autograder.engine.sandbox): 'auto' when "
        "bwrap works here (else a warning), 'require' (fail without it), 'off'."
    ).tag(config=True)

    # The traits `nndl grade` sets from its options (--option -> trait); each option's default
    # and help are the trait's.
    options = {"cell-timeout": "timeout", "notebook-timeout": "notebook_timeout",
               "memory": "memory_limit", "disk": "disk_limit", "processes": "process_limit",
               "threads": "kernel_threads", "sandbox": "sandbox"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        self._given = set(kwargs)
        super().__init__(*args, **kwargs)

    def explicitly_set(self, trait: str) -> bool:
        """Whether ``trait`` was given to this object or set in its configuration (for this
        class or a parent, e.g. ``c.Execute.timeout``), rather than left at its default."""
        if trait in self._given:
            return True
        sections = [cls.__name__ for cls in type(self).__mro__]
        return any(name in self.config and trait in self.config[name] for name in sections)

    def _derived_limits(self) -> Limits | None:
        """The time limits from the source notebook's record of the reference's times."""
        source = self._hidden.source_notebook
        if not self.derive_time_limits or source is None:
            return None
        try:
            return Limits.of(ref.read_notebook(source))
        except (OSError, ValueError) as error:
            self.log.warning("no time limits from %s: %s", source, error)
            return None

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if isinstance(km, LimitedKernelManager):
            km.memory_limit = self.memory_limit
            km.kernel_threads = self.kernel_threads
            km.disk_limit = self.disk_limit * 1024 * 1024
            km.process_limit = self.process_limit
            km.grade_alone = self.grade_functions_alone
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
        self._output_wait = self.iopub_timeout
        self._stopped = None  # why the remaining cells are not run
        self._output_bytes = {}
        self._hidden = self._hidden_tests(nb, resources)
        self._references = (ReferenceCalls(self._hidden.source_notebook)
                            if self.grade_functions_alone and self._hidden.source_notebook
                            else None)
        self._allowed: tuple[str, ...] = ()  # the functions answered in the running cell
        for cell in nb.cells:  # only the grader's verdicts may be there afterwards
            cell.get("metadata", {}).pop(JUDGE_KEY, None)
        # Derived limits count the kernel's computing (CPU) time, so that a grader busy with
        # other work never costs an honest submission its points; the configured limits stay
        # as wall-clock limits behind them (a kernel that waits without computing is the idle
        # limit's).
        derived = self._derived_limits()
        self._limits = derived if derived and not self.explicitly_set("timeout") else None
        self._notebook_cpu = (derived.notebook if derived and not self.explicitly_set(
            "notebook_timeout") else None)
        self._notebook_timeout = self.notebook_timeout
        self._deadline = (time.monotonic() + self._notebook_timeout
                          if self._notebook_timeout else None)
        self._cpu_budget = None
        self._timed_out = False  # a cell has run out of its computing time
        self._last_graded = ref.last_graded_cell(nb)
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
            self.iopub_timeout = self._output_wait
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

    def _hidden_tests(self, nb, resources) -> HiddenTests:
        """The hidden tests of the notebook, from its source notebook: first the course being
        graded's (its root: configured, else the current directory), else the installed
        course's."""
        info = (resources or {}).get("nbgrader", {})
        assignment, notebook = str(info.get("assignment")), f"{info.get('notebook')}.ipynb"
        course = CourseDirectory(config=self.config)
        return HiddenTests.find(nb, [
            Path(course.root) / course.source_directory / assignment / notebook,
            ref.source_dir() / assignment / notebook])

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and index > self._last_graded and not (
                self.run_after_last_graded_cell):
            cell.outputs = [] if self._skip_noted else [new_output(
                "stream", name="stdout",
                text=SKIPPED_NOTE.format(cell=self._name(self._last_graded)))]
            cell.execution_count = None
            self._skip_noted = True
            return cell, resources
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        self._watch_disk((self.resources or {}).get("metadata", {}).get("path"))
        kernel_source = self._hidden.prepare(cell)
        if kernel_source is None:
            return self._run_cell(cell, resources, index)
        original, cell.source = cell.source, kernel_source
        self._allowed = self._hidden.uses(cell) if self._references else ()
        try:
            cell, resources = self._run_cell(cell, resources, index)
        finally:
            cell.source = original
            self._allowed = ()
        if self._references and self._references.answered:
            cell.outputs.append(new_output("stream", name="stdout", text=ALONE_NOTE.format(
                names=", ".join(sorted(self._references.answered)))))
        self._hidden.verdict(cell)
        return cell, resources

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        # Grading each function on its own: the kernel asks for the reference's results over
        # its stdin channel (autograder.hidden.kernel.references), which nbclient keeps closed.
        kc.allow_stdin = self._references is not None
        return kc

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        if self._references is None:
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        self._references.new_cell()
        answering = asyncio.ensure_future(self._answer_references())
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        finally:
            answering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await answering

    def _credit(self, total: bool = False) -> float:
        """Computing time the kernel spent asking the grader for the reference's results, which
        the time limits do not count: in the running cell, or in the whole notebook so far."""
        if self._references is None:
            return 0.0
        calls = self._references.all_calls if total else self._references.calls
        return KERNEL_SECONDS_PER_CALL * calls

    # nbclient's synchronous names wrap its own coroutines: these wrap the ones above.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)
    execute_cell = run_sync(async_execute_cell)

    async def _answer_references(self) -> None:
        """While a cell runs: answer the kernel's requests for the reference's result of a
        function the running test cell's function uses; any other input request (the student's
        ``input()``) gets an empty line."""
        while True:
            message = await ensure_async(self.kc.stdin_channel.get_msg(timeout=None))
            if message.get("msg_type") != "input_request":
                continue
            prompt = str(message.get("content", {}).get("prompt", ""))
            reply, buffers = "", []
            if prompt.startswith(REFERENCE_PROMPT):
                reply, buffers = self._references.answer(
                    self._allowed, prompt[len(REFERENCE_PROMPT):], message.get("buffers") or [])
            self._last_output = time.monotonic()  # waiting for the grader is not idling
            answer = self.kc.session.msg("input_reply", {"value": reply})
            answer["buffers"] = buffers
            self.kc.stdin_channel.send(answer)

    def _kernel_cpu(self) -> float | None:
        return self.km.cpu_seconds() if isinstance(
            getattr(self, "km", None), LimitedKernelManager) else None

    def _cpu_limit(self, cell, index: int) -> tuple[float, int, bool] | None:
        """The computing time this cell may use, from the derived limits: (the kernel's CPU
        time now, seconds, whether the notebook's limit is the tighter)."""
        used = self._kernel_cpu() if (self._limits or self._notebook_cpu) else None
        if used is None:
            return None
        seconds = self._limits.for_cell(cell, self._timed_out) if self._limits else None
        by_notebook = False
        if self._notebook_cpu is not None:
            left = math.ceil(self._notebook_cpu - used + self._credit(total=True))
            if left <= 0:
                self._stopped = (f"not run: the notebook's time limit of {self._notebook_cpu} s "
                                 "of computing was used up before this cell")
                return None
            if seconds is None or left < seconds:
                seconds, by_notebook = left, True
        return used, seconds, by_notebook

    def _run_cell(self, cell, resources, index):
        notebook_limit = False
        cell_limit = self._cell_limit
        self.timeout = cell_limit
        self.iopub_timeout = self._output_wait
        self._cpu_budget = self._cpu_limit(cell, index) if self._stopped is None else None
        self._cpu_interrupted, self._stuck = None, False
        if self._stopped is None and self._deadline is not None:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                self._stopped = (f"not run: the notebook's time limit of "
                                 f"{self._notebook_timeout} s was reached before this cell")
            else:
                limit = math.ceil(remaining)
                notebook_limit = not cell_limit or limit < cell_limit
                self.timeout = min(cell_limit, limit) if cell_limit else limit
        if self._stopped is not None:
            cell.outputs = [error_output(NOT_RUN, self._stopped)]
            cell.execution_count = None
            return cell, self.resources
        self._idle, self._idle_mark, self._last_output = False, None, time.monotonic()
        started = time.monotonic()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            if self._stuck:  # interrupted at its computing-time limit, and did not stop
                return self._not_interrupted(cell, index, self._cpu_message())
            if self._idle:
                self.km.end_processes(include_kernel=True)
                cell.outputs.append(error_output(KERNEL_DIED, (
                    f"the kernel did nothing for {self.idle_timeout} s while running this cell "
                    "(no computation, no output: waiting for something that never comes), so "
                    "it was stopped")))
                self._stopped = self._kernel_stopped_in(index)
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
                self._stopped = self._kernel_stopped_in(index)
            return cell, self.resources
        except CellTimeoutError as error:
            if self.timeout and time.monotonic() - started < self.timeout:
                return self._broken(cell, index, error)
            return self._not_interrupted(cell, index, self._timeout_message(notebook_limit))
        except Exception as error:  # noqa: BLE001 (the kernel broke the messaging protocol)
            if not isinstance(self.km, LimitedKernelManager):
                raise
            return self._broken(cell, index, error)
        finally:
            if self._cpu_interrupted is not None and not self._stuck:
                cell.outputs = [o for o in cell.outputs if o.get("ename") != "KeyboardInterrupt"]
                cell.outputs.append(error_output(TIME_LIMIT, self._cpu_message()))
                if self._cpu_budget[2] and self._stopped is None:
                    self._stopped = (f"not run: the notebook's time limit of "
                                     f"{self._notebook_cpu} s of computing was used up in "
                                     f"{self._name(index)}")
            timed_out = [o for o in cell.get("outputs", []) if o.get("ename") == TIME_LIMIT]
            if timed_out:
                cell.outputs = [o for o in cell.outputs if o.get("ename") != "KeyboardInterrupt"]
                message = (self._timeout_message(notebook_limit)
                           if self._cpu_interrupted is None else self._cpu_message())
                for output in timed_out:
                    output["evalue"] = message
                    output["traceback"] = [f"\x1b[0;31m{TIME_LIMIT}\x1b[0m: {message}"]
                if self._deadline is not None and self._stopped is None and (
                        time.monotonic() >= self._deadline):
                    self._stopped = (f"not run: the notebook's time limit of "
                                     f"{self._notebook_timeout} s was reached in "
                                     f"{self._name(index)}")
            self._cpu_budget = None
            self._timed_out = self._timed_out or bool(timed_out)

    async def _async_handle_timeout(self, timeout, cell=None):
        """At the cell's wall-clock limit nbclient interrupts the kernel, then waits for the
        cell's last output: a cell that stopped sends it at once, one that goes on never does.
        That wait is the interrupt's grace, not the long one after a reply (iopub_timeout)."""
        self.iopub_timeout = STUCK_GRACE
        return await super()._async_handle_timeout(timeout, cell)

    def _not_interrupted(self, cell, index, limit_message: str):
        """The interrupt at a time limit did not stop the cell (it ignores SIGINT, or catches
        KeyboardInterrupt and goes on): the kernel is stopped, as if it had died."""
        if isinstance(self.km, LimitedKernelManager):
            self.km.end_processes(include_kernel=True)
        cell.outputs = [o for o in cell.outputs if o.get("ename") != "KeyboardInterrupt"]
        cell.outputs.append(error_output(STUCK, (
            f"{limit_message}; the cell did not stop when interrupted (does it catch "
            "KeyboardInterrupt, e.g. with a bare except:?), so the kernel was stopped")))
        self._stopped = (f"not run: {self._name(index)} could not be interrupted at its time "
                         "limit, so the kernel was stopped")
        return cell, self.resources

    def _name(self, index: int) -> str:
        return cell_name(self.nb.cells, index)

    def _kernel_stopped_in(self, index: int) -> str:
        return f"not run: the kernel stopped in an earlier cell ({self._name(index)})"

    def _timeout_message(self, notebook_limit: bool) -> str:
        return timeout_message(self.timeout, notebook_limit)

    def _cpu_message(self) -> str:
        _, seconds, by_notebook = self._cpu_budget
        limit = self._notebook_cpu if by_notebook else seconds
        how = explained(by_notebook, self._timed_out)
        return timeout_message(limit, by_notebook, f"computing time, {how}")

    def _broken(self, cell, index, error):
        """Only the kernel runs while a cell does: whatever fails then is its doing (garbled or
        forged messages, output that stops, a kernel that cannot start threads any more). It
        is stopped, as if it had died."""
        self.km.end_processes(include_kernel=True)
        reason = self.km.limit_reached() or f"{type(error).__name__}: {error}"[:200]
        cell.outputs.append(error_output(KERNEL_DIED, (
            f"the kernel stopped answering properly while running this cell ({reason}), so it "
            "was stopped")))
        self._stopped = self._kernel_stopped_in(index)
        return cell, self.resources

    async def _async_check_alive(self) -> None:
        """nbclient calls this every second while a cell runs: also interrupt a cell at its
        computing-time limit (and stop the kernel if the interrupt does not stop it within
        ``STUCK_GRACE`` seconds), and stop a kernel that has done nothing (no CPU, no output)
        for ``idle_timeout`` seconds."""
        await super()._async_check_alive()
        if not isinstance(self.km, LimitedKernelManager) or not (
                self.idle_timeout or self._cpu_budget):
            return
        now, cpu = time.monotonic(), self.km.cpu_seconds()
        if self._cpu_budget is not None:
            start, seconds, _ = self._cpu_budget
            if self._cpu_interrupted is None and cpu - start > seconds + self._credit():
                self._cpu_interrupted = now
                await ensure_async(self.km.interrupt_kernel())
            elif self._cpu_interrupted is not None and now - self._cpu_interrupted > STUCK_GRACE:
                self._stuck = True
                raise DeadKernelError("not interrupted")
        if not self.idle_timeout:
            return
        mark = self.__dict__.get("_idle_mark")
        if mark is None or abs(cpu - mark[1]) > 0.05 or self._last_output > mark[0]:
            self._idle_mark = (now, cpu)
        elif now - mark[0] > self.idle_timeout:
            self._idle = True
            raise DeadKernelError("idle")

    def output(self, outs, msg, display_id, cell_index):
        self._last_output = time.monotonic()
        if self.max_output_bytes and RECORD_MIME not in msg.get("content", {}).get(
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
