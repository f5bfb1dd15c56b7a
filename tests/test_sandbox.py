"""autograder.engine.sandbox with real kernels: a grading kernel (LimitedKernelManager.use_sandbox)
sees and writes only what the grader allows, has no network, cannot read the reference
solutions, and stays within its memory limit and interruptible."""

from __future__ import annotations

import asyncio
import json
import socket
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from support.system_packages import require_sandbox

from autograder.engine.kernel_manager import LimitedKernelManager
from autograder.hidden import reference as ref

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 2048  # MiB


class Kernel:
    """A sandboxed kernel, driven synchronously through jupyter_client's async client."""

    def __init__(self, workdir: Path):
        self.runner = asyncio.Runner()
        self.km = LimitedKernelManager(kernel_name="python3")
        self.km.use_sandbox()
        self.km.memory_limit = MEMORY_LIMIT
        self.private_dir = Path(self.km.private_dir)
        self.kc = None
        self.workdir = workdir

    def start(self):
        async def start():
            await self.km.start_kernel(cwd=str(self.workdir))
            self.kc = self.km.client()
            self.kc.start_channels()
            await self.kc.wait_for_ready(timeout=60)
        self.runner.run(start())

    async def _collect(self, msg_id, timeout):
        """Stream text and the error's name of one execution, until the kernel is idle."""
        out, error = [], None
        deadline = time.monotonic() + timeout
        while True:
            msg = await self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                error = content["ename"]
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out), error

    def run(self, code: str, timeout: float = 60) -> tuple[str, str | None]:
        """Execute ``code``; its printed output and the name of the error it raised."""
        return self.runner.run(self._collect(self.kc.execute(textwrap.dedent(code)), timeout))

    def value(self, code: str):
        """Execute ``code``, which prints one JSON value, and return that value."""
        out, error = self.run(code)
        assert error is None, (error, out)
        return json.loads(out.strip().splitlines()[-1])

    def interrupt_loop(self) -> str | None:
        """Run an endless loop, interrupt it, and return the error it ended with."""
        async def interrupted():
            msg_id = self.kc.execute("while True:\n    pass\n")
            while True:  # the loop is running once the kernel is busy with it
                msg = await self.kc.get_iopub_msg(timeout=30)
                if (msg["parent_header"].get("msg_id") == msg_id
                        and msg["msg_type"] == "execute_input"):
                    break
            await asyncio.sleep(0.5)
            await self.km.interrupt_kernel()
            return await self._collect(msg_id, 30)
        return self.runner.run(interrupted())[1]

    def shutdown(self):
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.runner.run(self.km.is_alive()):
                self.runner.run(self.km.shutdown_kernel(now=True))
        finally:
            self.runner.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder: source notebooks, gradebook, two students' autograded copies."""
    root = tmp_path_factory.mktemp("course")
    (root / "source" / "week1").mkdir(parents=True)
    (root / "source" / "week1" / "x.ipynb").write_text("{}")
    (root / "gradebook.db").write_text("grades")
    (root / "autograded" / "bob" / "week1").mkdir(parents=True)
    (root / "autograded" / "bob" / "week1" / "secret.txt").write_text("bob's answers")
    workdir = root / "autograded" / "alice" / "week1"
    workdir.mkdir(parents=True)
    (workdir / "numpy_basics.ipynb").write_text("{}")
    return root


@pytest.fixture(scope="module")
def kernel(course):
    require_sandbox()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NNDL_SOURCE_DIR", str(course / "source"))
        assert ref.source_dir() == course / "source"
        started = Kernel(course / "autograded" / "alice" / "week1")
        try:
            started.start()
            yield started
        finally:
            started.shutdown()
            started.km.remove_private_dir()


def exists_in_kernel(kernel: Kernel, paths) -> dict[str, bool]:
    paths = [str(p) for p in paths]
    return kernel.value(f"""
        import json, os
        print(json.dumps({{p: os.path.exists(p) for p in {paths!r}}}))
    """)


def test_the_kernel_works_in_its_copy_of_the_submission(kernel, course):
    workdir = course / "autograded" / "alice" / "week1"
    seen = kernel.value("import json, os; print(json.dumps([os.getcwd(), os.listdir()]))")
    assert seen == [str(workdir.resolve()), ["numpy_basics.ipynb"]]


def test_the_kernel_cannot_see_the_course_around_its_copy(kernel, course):
    hidden = [course / "source", course / "source" / "week1" / "x.ipynb",
              course / "gradebook.db", course / "autograded" / "bob",
              course / "autograded" / "bob" / "week1" / "secret.txt"]
    assert all(p.exists() for p in hidden)
    assert not any(exists_in_kernel(kernel, hidden).values())
    # At most the folders that lead to its own copy are there, empty.
    assert kernel.value(f"import json, os; print(json.dumps(os.listdir({str(course)!r})))") in (
        [], ["autograded"])


def test_the_kernel_cannot_see_the_repository_s_solutions_or_home(kernel):
    solutions = ref.REPO_ROOT / "source"
    secret = [solutions, solutions / "week1" / "numpy_basics.ipynb", ref.REPO_ROOT / ".git",
              ref.REPO_ROOT / "nbgrader_config.py"]
    home = Path.home()
    if home.is_dir():
        secret += [p for p in home.iterdir() if p.is_file()]
    assert solutions.is_dir()
    assert not any(exists_in_kernel(kernel, secret).values())
    assert kernel.value("import json, os; print(json.dumps(os.environ.get('NNDL_SOURCE_DIR')))") \
        is None


def test_the_kernel_imports_the_course_helpers_numpy_and_matplotlib(kernel):
    out, error = kernel.run("""
        import numpy as np
        import matplotlib.pyplot as plt
        from utils.checks import check_close
        plt.plot(np.arange(3)); plt.close("all")
        print(np.__version__)
    """)
    assert error is None and out.strip()


def test_the_kernel_cannot_get_the_reference_solutions(kernel):
    out, error = kernel.run(f"""
        from autograder.hidden.reference import reference
        for notebook in ("week1/numpy_basics.ipynb",
                         {str(ref.REPO_ROOT / "source" / "week1" / "numpy_basics.ipynb")!r}):
            try:
                reference(notebook, "sigmoid")
            except Exception as exc:
                print(type(exc).__name__)
    """)
    assert error is None and out.split() == ["PermissionError", "PermissionError"]


def test_the_kernel_can_write_only_in_its_copy(kernel, course):
    name = f"nndl-sandbox-probe-{uuid.uuid4().hex}.txt"
    targets = [ref.REPO_ROOT / "utils" / name, course / name, course / "gradebook.db",
               course / "autograded" / "bob" / "week1" / "secret.txt"]
    mine = course / "autograded" / "alice" / "week1" / name
    try:
        out, error = kernel.run(f"""
            for path in {[str(p) for p in targets]!r}:
                try:
                    with open(path, "w") as f:
                        f.write("written by the kernel")
                except OSError as exc:
                    print(type(exc).__name__)
            with open({name!r}, "w") as f:
                f.write("mine")
        """)
        assert error is None
        assert not (ref.REPO_ROOT / "utils" / name).exists() and not (course / name).exists()
        assert (course / "gradebook.db").read_text() == "grades"
        assert (course / "autograded" / "bob" / "week1" / "secret.txt").read_text() == (
            "bob's answers")
        assert len(out.split()) >= 2  # at least the repository and the gradebook refused
        assert mine.read_text() == "mine"
    finally:
        for path in (*targets[:2], mine):
            path.unlink(missing_ok=True)


def test_the_kernel_has_no_network(kernel):
    listener = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        seen = kernel.value(f"""
            import json, socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
                outcome = "connected"
            except OSError as exc:
                outcome = type(exc).__name__
            print(json.dumps([outcome, [name for _, name in socket.if_nameindex()]]))
        """)
        assert seen[0] != "connected"
        assert seen[1] == ["lo"]  # its own network namespace: loopback only, not the host's
        listener.settimeout(0.5)
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_a_memory_bomb_raises_memory_error_and_the_kernel_lives_on(kernel):
    # np.empty: without the limit, this would not touch the host's memory.
    _, error = kernel.run("import numpy as np\nbomb = np.empty(3 * 1024**3, dtype=np.uint8)")
    assert error == "MemoryError"
    assert kernel.run("print(6 * 7)") == ("42\n", None)


def test_an_interrupt_stops_an_endless_loop_and_the_kernel_lives_on(kernel):
    assert kernel.interrupt_loop() == "KeyboardInterrupt"
    assert kernel.run("print(6 * 7)") == ("42\n", None)


def test_the_private_folder_is_removed_after_shutdown(course, tmp_path):
    require_sandbox()
    workdir = tmp_path / "alice"
    workdir.mkdir()
    kernel = Kernel(workdir)
    try:
        assert kernel.private_dir.is_dir()
        kernel.start()
        assert kernel.run("print('ready')") == ("ready\n", None)
        assert (kernel.private_dir / "connection.json").exists()
        # The kernel's HOME is its private folder, which it may write.
        assert kernel.value("import json, os; print(json.dumps(os.environ['HOME']))") == str(
            kernel.private_dir.resolve())
    finally:
        kernel.shutdown()
        kernel.km.remove_private_dir()
    assert not kernel.private_dir.exists()
