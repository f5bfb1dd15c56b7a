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
* if the kernel dies, the cell that killed it and every later code cell get an error output
  saying so, and the grades of the cells that ran before stand: zero for what did not run;
* at most ``max_output_bytes`` of output per cell; the rest is dropped with a note;
* ``kernel_threads`` BLAS/OpenMP threads per kernel, so parallel graders do not oversubscribe
  the cores;
* the hidden block of each test cell is judged here, outside the kernel, which only calls the
  student's functions on the hidden inputs (``autograder.honest``);
* the kernel runs in a bubblewrap sandbox (``sandbox``, ``autograder.sandbox``).

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
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Enum, Integer

from autograder import honest, scratch
from autograder import reference as ref
from autograder import sandbox as sandboxing

NOT_RUN = "NotRun"  # a cell after the kernel died or the notebook's time ran out
KERNEL_DIED = "KernelDied"
OUTPUT_LIMIT = "OutputLimit"
LIMIT_ERRORS = (NOT_RUN, KERNEL_DIED, OUTPUT_LIMIT, "CellTimeoutError")


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel under ``autograder.kernel_limits``."""

    memory_limit = 0  # MiB; set by LimitedExecute
    kernel_threads = 0
    private_dir: str | None = None  # set when the kernel runs in the sandbox

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        wrapper = [sys.executable, "-m", "autograder.kernel_limits",
                   f"--memory={self.memory_limit}", f"--threads={self.kernel_threads}"]
        if self.private_dir:
            wrapper += [f"--sandbox={self.private_dir}", f"--hide={ref.source_dir()}"]
        return [*wrapper, "--", *command]

    def use_sandbox(self) -> None:
        """Run the kernel in ``autograder.sandbox``: it talks over Unix sockets in its private
        folder, since it has no network (not even the grader's loopback)."""
        self.private_dir = str(scratch.make("nndl-kernel-"))
        sandboxing.prepare(Path(self.private_dir))
        self.transport = "ipc"
        self.ip = os.path.join(self.private_dir, "kernel")
        self.connection_file = os.path.join(self.private_dir, "connection.json")

    def remove_private_dir(self) -> None:
        if self.private_dir:
            shutil.rmtree(self.private_dir, ignore_errors=True)


_warned: dict[str, bool] = {}


def error_output(ename: str, message: str):
    """An error output that nbgrader scores like any failed cell (zero for a test cell)."""
    return new_output("error", ename=ename, evalue=message,
                      traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


class LimitedExecute(Execute):
    """nbgrader's Execute with limits, a sandbox, and hidden tests judged outside the kernel."""

    notebook_timeout = Integer(
        1800, help="Seconds for the whole notebook; later cells are not run (0: no limit)."
    ).tag(config=True)
    memory_limit = Integer(
        4096, help="MiB of address space for the kernel process (0: no limit)."
    ).tag(config=True)
    max_output_bytes = Integer(
        2_000_000, help="Bytes of output kept per cell; the rest is dropped (0: no limit)."
    ).tag(config=True)
    kernel_threads = Integer(
        0, help="BLAS/OpenMP threads of the kernel (0: the libraries' default)."
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
            if self.sandbox != "off":
                why = sandboxing.problem()
                if why is None:
                    km.use_sandbox()
                    self.__dict__.setdefault("_sandboxed", []).append(km)
                elif self.sandbox == "require":
                    raise sandboxing.SandboxUnavailable(f"cannot sandbox the kernel: {why}")
                elif not _warned.get(why):
                    _warned[why] = True
                    self.log.warning("kernels run WITHOUT a sandbox: %s", why)
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._cell_limit = self.timeout
        self._deadline = (time.monotonic() + self.notebook_timeout
                          if self.notebook_timeout else None)
        self._stopped = None  # why the remaining cells are not run
        self._output_bytes = {}
        self._source_notebook, self._hidden = self._hidden_tests(nb, resources)
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:  # the kernel died between cells: the marks are in place
            return self.nb, self.resources
        finally:
            self.timeout = self._cell_limit
            for km in self.__dict__.pop("_sandboxed", []):
                km.remove_private_dir()

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
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
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
        if self._stopped is None and self._deadline is not None:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                self._stopped = (f"not run: the notebook's time limit of "
                                 f"{self.notebook_timeout} s was reached before this cell")
            else:
                limit = math.ceil(remaining)
                self.timeout = min(self._cell_limit, limit) if self._cell_limit else limit
        if self._stopped is not None:
            cell.outputs = [error_output(NOT_RUN, self._stopped)]
            cell.execution_count = None
            return cell, self.resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(error_output(
                KERNEL_DIED, "the kernel stopped while running this cell (the program exited, "
                "crashed, or ran out of memory)"))
            self._stopped = f"not run: the kernel stopped in an earlier cell (cell {index})"
            return cell, self.resources
        finally:
            if self._deadline is not None and self._stopped is None and any(
                    o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])
            ) and time.monotonic() >= self._deadline:
                self._stopped = (f"not run: the notebook's time limit of "
                                 f"{self.notebook_timeout} s was reached in cell {index}")

    def output(self, outs, msg, display_id, cell_index):
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
