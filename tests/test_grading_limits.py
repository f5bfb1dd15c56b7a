"""LimitedExecute's protections on small notebooks with a real kernel, with the bubblewrap sandbox
and without it (`sandbox="off"`, what a grader without bubblewrap gets): the environment is an
allow-list, HOME is private, writes outside the working copy are refused, every process the
kernel starts ends with it, the process count and the disk are bounded, and a cell that ignores
the interrupt at its time limit stops the kernel without costing the cells before it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from support.system_packages import require_sandbox

from autograder.engine import cell_errors, execute, landlock, processes, supervisor

MODES = ["off", "require"]
SECRET = "nndl-test-secret-8d1f"


def run(tmp_path: Path, mode: str, *cells: str, **traits):
    """Execute ``cells`` in a working copy under tmp_path; return the notebook."""
    if mode == "require":
        require_sandbox()
    workdir = tmp_path / "work"
    workdir.mkdir(exist_ok=True)
    nb = new_notebook(cells=[new_code_cell(source) for source in cells])
    traits.setdefault("timeout", 60)
    executor = execute.LimitedExecute(sandbox=mode, **traits)
    executor.shutdown_kernel = "immediate"
    executor.preprocess(nb, {"metadata": {"path": str(workdir)}})
    return nb


def text(cell) -> str:
    return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)


def errors(cell) -> list[str]:
    return [o.ename for o in cell.outputs if o.output_type == "error"]


def test_the_environment_is_an_allow_list():
    env = supervisor.environment("/private", {"PATH": "/bin", "LC_ALL": "C", "AWS_KEY": "k",
                                                 "HUB_TOKEN": "t", "HOME": "/root"}, threads=1)
    assert env["PATH"] == "/bin" and env["LC_ALL"] == "C"
    assert "AWS_KEY" not in env and "HUB_TOKEN" not in env
    assert env["HOME"] == "/private" and env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["IPYTHONDIR"].startswith("/private") and env["TMPDIR"].startswith("/private")


@pytest.mark.parametrize("mode", MODES)
def test_a_secret_of_the_grader_never_reaches_the_kernel(tmp_path, mode, monkeypatch):
    monkeypatch.setenv("NNDL_TEST_TOKEN", SECRET)
    nb = run(tmp_path, mode, "import os, subprocess\nprint(dict(os.environ))\n"
             "print(open('/proc/self/environ').read())\n"
             "print(subprocess.run(['env'], capture_output=True, text=True).stdout)")
    printed = text(nb.cells[0])
    assert "PATH" in printed and SECRET not in printed


@pytest.mark.parametrize("mode", MODES)
def test_home_and_settings_are_private_and_removed(tmp_path, mode):
    nb = run(tmp_path, mode, "import os\nprint(os.path.expanduser('~'))\n"
             "print(os.environ['IPYTHONDIR'], os.environ['MPLCONFIGDIR'])")
    home = text(nb.cells[0]).split()[0]
    assert "nndl-kernel-" in home and home != os.path.expanduser("~")
    assert not Path(home).exists()  # removed after grading


@pytest.mark.parametrize("mode", MODES)
def test_writing_outside_the_working_copy_is_refused(tmp_path, mode):
    if mode == "off" and landlock.problem():
        pytest.skip(f"no Landlock here: {landlock.problem()}")
    outside = tmp_path / "outside.txt"
    nb = run(tmp_path, mode, f"open('mine.txt', 'w').write('ok')\n"
             f"try:\n    open({str(outside)!r}, 'w').write('escaped')\n"
             "except OSError as error:\n    print('refused', type(error).__name__)")
    if mode == "off":  # (in the sandbox the path lands in its private /tmp, never here)
        assert "refused" in text(nb.cells[0]), nb.cells[0].outputs
    assert not outside.exists()
    assert (tmp_path / "work" / "mine.txt").read_text() == "ok"


def _marked(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if marker in " ".join(process.info.get("cmdline") or []):
            found.append(process)
    return found


@pytest.mark.parametrize("mode", MODES)
def test_processes_in_new_sessions_and_double_forks_end_with_the_kernel(tmp_path, mode):
    marker = f"nndl-test-orphan-{mode}-{os.getpid()}"
    nb = run(tmp_path, mode, f"""
import os, subprocess, sys
sleeper = [sys.executable, "-c", "import time; time.sleep(120)", {marker!r}]
subprocess.Popen(sleeper, start_new_session=True)
if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, sleeper)
    os._exit(0)
os.wait()
print("started")""")
    assert "started" in text(nb.cells[0])
    deadline = time.monotonic() + 5
    while _marked(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked(marker) == []


@pytest.mark.parametrize("mode", MODES)
def test_the_process_count_is_bounded_and_every_process_ends(tmp_path, mode):
    problem = processes.process_limit_problem(64)
    if problem:
        pytest.skip(problem)
    nb = run(tmp_path, mode, """
import subprocess
started = 0
for _ in range(300):  # sleeping children, a bounded stand-in for a fork bomb
    try:
        subprocess.Popen(["sleep", "123.456"], start_new_session=True)
        started += 1
    except OSError:
        break
print("started", started)""", "print('after')", process_limit=64)
    printed = text(nb.cells[0])
    if "started" in printed:
        assert 0 < int(printed.split()[-1]) < 64
    else:  # the kernel itself could not go on: stopped, as if it had died
        assert errors(nb.cells[0]) == [cell_errors.KERNEL_DIED]
    time.sleep(0.2)
    assert [p for p in psutil.process_iter(["cmdline"])
            if (p.info.get("cmdline") or [])[-1:] == ["123.456"]] == []


@pytest.mark.parametrize("mode", MODES)
def test_writing_past_the_disk_budget_stops_the_kernel_and_removes_what_it_wrote(tmp_path,
                                                                                  mode):
    nb = run(tmp_path, mode, "print('before')", """
block = b"x" * 2**20
for i in range(5):
    try:
        with open(f"big{i}.dat", "wb") as f:
            for _ in range(100):
                f.write(block)
    except OSError:
        pass
import time
time.sleep(10)""", "print('after')", disk_limit=20)
    assert text(nb.cells[0]).strip() == "before"
    assert errors(nb.cells[1]) == [cell_errors.DISK_LIMIT]
    assert errors(nb.cells[2]) == [cell_errors.NOT_RUN]
    assert list((tmp_path / "work").glob("big*.dat")) == []


IGNORES_SIGINT = ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                  "while True:\n    pass")
BARE_EXCEPT = ("import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
               "    except:\n        pass")


@pytest.mark.parametrize("mode,stuck", [("off", IGNORES_SIGINT), ("require", IGNORES_SIGINT),
                                        ("off", BARE_EXCEPT)],
                         ids=["ignores-sigint-off", "ignores-sigint-require", "bare-except-off"])
def test_a_cell_that_ignores_the_interrupt_stops_the_kernel_and_keeps_earlier_cells(
        tmp_path, mode, stuck):
    start = time.monotonic()
    nb = run(tmp_path, mode, "print('before')", stuck, "print('after')", timeout=3)
    assert text(nb.cells[0]).strip() == "before"
    assert errors(nb.cells[1]) == [cell_errors.STUCK]
    assert "time limit of 3 s" in text(nb.cells[1])
    assert errors(nb.cells[2]) == [cell_errors.NOT_RUN]
    assert time.monotonic() - start < 30


def test_output_that_arrives_after_the_reply_costs_no_later_cell(tmp_path, monkeypatch):
    """A grader slow to take in a cell's output (a loaded machine, a flood of output) still has
    some of it to read when the kernel's reply comes: it waits for the rest (iopub_timeout)
    instead of calling the kernel broken and dropping the rest of the notebook. Here each output
    message takes the grader 4 ms: 8 s of reading after a reply that comes at once."""
    take_in = execute.LimitedExecute.output

    def slowly(self, *args, **kwargs):
        time.sleep(0.004)
        return take_in(self, *args, **kwargs)

    monkeypatch.setattr(execute.LimitedExecute, "output", slowly)
    nb = run(tmp_path, "off", "from IPython.display import display\n"
             "for i in range(2000):\n    display(i)", "print('after')")
    first, after = nb.cells
    assert errors(first) == [] and len(first.outputs) == 2000
    assert text(after) == "after\n"


@pytest.mark.parametrize("mode", ["off"])
def test_a_cell_stopped_at_its_time_limit_says_so_in_one_line(tmp_path, mode):
    nb = run(tmp_path, mode, "while True:\n    pass", "print('after')", timeout=2)
    assert errors(nb.cells[0]) == [cell_errors.TIME_LIMIT]  # no KeyboardInterrupt traceback
    (output,) = nb.cells[0].outputs
    assert "time limit of 2 s" in output.evalue and "loop" in output.evalue
    assert len(output.traceback) == 1
    assert text(nb.cells[1]).strip() == "after"


def test_without_the_sandbox_the_warning_names_what_is_not_enforced(tmp_path, caplog):
    execute._warned.clear()
    with caplog.at_level("WARNING"):
        run(tmp_path, "off", "print(1)")
    (warning,) = [r.getMessage() for r in caplog.records if "not enforced" in r.getMessage()]
    assert "reading files outside its working copy" in warning and "the network" in warning
    assert ("writing outside" in warning) == bool(landlock.problem())


def test_end_tree_ends_a_detached_grandchild():
    marker = f"nndl-test-tree-{os.getpid()}"
    code = (f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', "
            f"'import time; time.sleep(60)', {marker!r}])\ntime.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 10
    while not _marked(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _marked(marker)
    processes.end_tree(parent.pid)
    parent.wait(5)
    time.sleep(0.1)
    assert _marked(marker) == []


@pytest.mark.parametrize("mode", ["off"])  # the sandbox changes nothing here: one mode
@pytest.mark.parametrize("broken", [
    # a deadlock: the cell waits for a lock that nothing releases
    "import threading\nlock = threading.Lock()\nlock.acquire()\nlock.acquire()",
    # the kernel's reply channel closed: the grader would wait for a reply that never comes
    "get_ipython().kernel.shell_stream.close()\nget_ipython().kernel.shell_streams = []",
    # the kernel's output channel closed: no output, no 'idle' status
    "get_ipython().kernel.iopub_socket.close()",
], ids=["deadlock", "reply-channel-closed", "output-channel-closed"])
def test_a_kernel_that_waits_for_nothing_is_stopped_within_seconds(tmp_path, mode, broken):
    start = time.monotonic()
    nb = run(tmp_path, mode, "print('before')", broken, "print('after')", timeout=300,
             idle_timeout=5)
    assert time.monotonic() - start < 60
    assert text(nb.cells[0]).strip() == "before"
    assert errors(nb.cells[1]) == [cell_errors.KERNEL_DIED], nb.cells[1].outputs
    assert errors(nb.cells[2]) == [cell_errors.NOT_RUN]


def test_grading_stops_after_the_last_graded_cell_and_says_so(tmp_path):
    cells = ["print('before')", "print('graded')", "print('training')", "print('plots')"]
    for run_all in (False, True):
        nb = new_notebook(cells=[new_code_cell(source) for source in cells])
        nb.cells[1].metadata["nbgrader"] = {"grade": True, "solution": False, "points": 1,
                                            "grade_id": "test_x", "locked": True}
        executor = execute.LimitedExecute(sandbox="off", timeout=60,
                                          run_after_last_graded_cell=run_all)
        executor.shutdown_kernel = "immediate"
        (tmp_path / "work").mkdir(exist_ok=True)
        executor.preprocess(nb, {"metadata": {"path": str(tmp_path / "work")}})
        assert [text(c).strip() for c in nb.cells[:2]] == ["before", "graded"]
        if run_all:
            assert [text(c).strip() for c in nb.cells[2:]] == ["training", "plots"]
        else:
            assert "Grading stopped after the last graded cell (test_x)" in text(nb.cells[2])
            assert nb.cells[3].outputs == [] and nb.cells[2].execution_count is None


BUSY = "import time\nt = time.process_time()\nwhile time.process_time() - t < {}:\n    pass\n"


def test_time_limits_derive_from_the_reference_record_unless_set(tmp_path, monkeypatch):
    """Each cell may compute (CPU time, so that a busy grader costs no one points) ten times its
    recorded reference time plus a margin (here 2 s), a cell the record does not know the
    largest of those; a configured timeout applies instead, as a wall-clock limit."""
    import nbformat
    from traitlets.config import Config

    from autograder.engine import time_limits

    monkeypatch.setattr(time_limits, "CELL_MARGIN", 2)
    sources = {"quick": "print('quick')", "loop": "while True:\n    pass",
               "slow": BUSY.format(4) + "print('given time')"}
    source = new_notebook(cells=[new_code_cell(code) for code in sources.values()])
    for cell, key in zip(source.cells, sources, strict=True):
        cell["id"] = key
    time_limits.record(source, {"quick": 0.1, "loop": 0.1, "slow": 0.6})
    limits = time_limits.Limits.of(source)
    assert limits.cells == {"quick": 3, "loop": 3, "slow": 8} and limits.default == 8
    assert limits.notebook == 10 * 0.8 + time_limits.NOTEBOOK_MARGIN
    # once a cell has run out of time, the later ones get a 5 s margin instead
    assert [limits.for_cell(cell, after_timeout=True) for cell in source.cells] == [6, 6, 11]
    assert limits.for_cell(new_code_cell("x"), after_timeout=True) == 11
    (tmp_path / "course/source/a").mkdir(parents=True)
    nbformat.write(source, tmp_path / "course/source/a/nb.ipynb")
    config = Config()
    config.CourseDirectory.root = str(tmp_path / "course")
    (tmp_path / "work").mkdir()

    def grade(**traits):
        nb = nbformat.from_dict(source)
        nb.cells.append(new_code_cell(BUSY.format(5) + "print('unknown cell')"))
        nb.cells.append(new_code_cell("import time\ntime.sleep(9)\nprint('waited')"))
        executor = execute.LimitedExecute(sandbox="off", config=config, **traits)
        executor.shutdown_kernel = "immediate"
        executor.preprocess(nb, {"metadata": {"path": str(tmp_path / "work")},
                                 "nbgrader": {"assignment": "a", "notebook": "nb"}})
        return nb

    nb = grade()
    assert text(nb.cells[0]).strip() == "quick"
    assert errors(nb.cells[1]) == [cell_errors.TIME_LIMIT]
    assert ("stopped at its time limit of 3 s (computing time, 10 times the reference "
            "solution's time for this cell, plus 2 s)") in text(nb.cells[1])
    assert text(nb.cells[2]).strip() == "given time"
    assert text(nb.cells[3]).strip() == "unknown cell"  # the notebook's largest limit, 8 s
    assert text(nb.cells[4]).strip() == "waited"  # waiting is not computing
    nb = grade(timeout=3)  # the instructor's limit: 3 s for every cell
    assert errors(nb.cells[2]) == [cell_errors.TIME_LIMIT], nb.cells[2].outputs
    assert "time limit of 3 s:" in text(nb.cells[2])
    config.LimitedExecute.derive_time_limits = False
    assert execute.LimitedExecute(config=config).explicitly_set("timeout") is False
    config.Execute.timeout = 30
    assert execute.LimitedExecute(config=config).explicitly_set("timeout") is True


def test_every_graded_notebook_records_its_reference_times_and_an_infinite_loop_costs_little():
    """nndl verify --record-times has recorded the reference's time for every cell up to the
    last graded one; the notebook limits derived from them bound what an infinite loop costs a
    submission (week 4: under 2 minutes, with the time to stop the kernel)."""
    import nbformat

    from autograder.engine import time_limits
    from autograder.hidden.reference import last_graded_cell

    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.glob("source/*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert not time_limits.missing(nb, last_graded_cell(nb)), path
        limits = time_limits.Limits.of(nb)
        assert limits is not None and limits.notebook <= 110, (path, limits)


def test_the_notebook_computing_time_limit_stops_the_rest(tmp_path, monkeypatch):
    """The notebook's derived limit counts the kernel's computing time in all: the cell that
    uses it up is interrupted, and the cells after it are not run."""
    from autograder.engine import time_limits

    monkeypatch.setattr(time_limits, "CELL_MARGIN", 10)
    monkeypatch.setattr(time_limits, "NOTEBOOK_MARGIN", 5)
    # notebook: 10 x 0.3 + 5 = 8 s
    nb = graded_with_record(tmp_path, [BUSY.format(4), BUSY.format(8), "print('after')"])
    assert nb.cells[0].outputs == []
    assert errors(nb.cells[1]) == [cell_errors.TIME_LIMIT]
    assert "the notebook's time limit (8 s in all: computing time" in text(nb.cells[1])
    assert errors(nb.cells[2]) == [cell_errors.NOT_RUN]
    assert "8 s of computing was used up in code cell 2 of the notebook" in text(nb.cells[2])


def test_the_record_reads_nbclients_timestamps_up_to_the_last_graded_cell():
    from autograder.engine import time_limits

    nb = new_notebook(cells=[new_code_cell("a"), new_code_cell("b"), new_code_cell("c")])
    stamps = [("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.250Z"),
              ("2026-01-01T00:00:02Z", "2026-01-01T00:00:02.010Z"),
              ("2026-01-01T00:00:03Z", "2026-01-01T00:00:09Z")]
    for cell, key, (start, end) in zip(nb.cells, "xyz", stamps, strict=True):
        cell["id"] = key
        cell.metadata["execution"] = {"iopub.execute_input": start, "shell.execute_reply": end}
    nb.cells[1].metadata["nbgrader"] = {"grade": True, "grade_id": "test_y", "points": 1}
    seconds = time_limits.measured(nb, 1)
    assert seconds == pytest.approx({"x": 1.25, "test_y": 0.01})  # not past the last graded
    time_limits.record(nb, seconds)
    assert nb.metadata["nndl"]["reference_seconds"] == {"x": 1.3, "test_y": 0.1}
    assert time_limits.missing(nb, 1) == []
    del nb.metadata["nndl"]["reference_seconds"]["test_y"]
    assert time_limits.missing(nb, 1) == ["test_y"]


def test_a_cell_that_ignores_the_interrupt_at_its_computing_limit_stops_the_kernel(
        tmp_path, monkeypatch):

    from autograder.engine import time_limits

    monkeypatch.setattr(time_limits, "CELL_MARGIN", 2)
    # 10 x 0.1 + 2 = 3 s of computing each
    nb = graded_with_record(tmp_path, ["print('before')", IGNORES_SIGINT, "print('after')"])
    assert text(nb.cells[0]).strip() == "before"
    assert errors(nb.cells[1]) == [cell_errors.STUCK]
    assert "time limit of 3 s (computing time" in text(nb.cells[1])
    assert errors(nb.cells[2]) == [cell_errors.NOT_RUN]


def graded_with_record(tmp_path, sources: list[str]):
    """The notebook of ``sources`` graded by LimitedExecute with derived limits: its source in a
    course under tmp_path, each cell's reference time recorded as 0.1 s."""
    import nbformat
    from traitlets.config import Config

    from autograder.engine import time_limits

    source = new_notebook(cells=[new_code_cell(code) for code in sources])
    keys = [f"c{i}" for i in range(len(sources))]
    for cell, key in zip(source.cells, keys, strict=True):
        cell["id"] = key
    time_limits.record(source, dict.fromkeys(keys, 0.1))
    (tmp_path / "course/source/a").mkdir(parents=True)
    nbformat.write(source, tmp_path / "course/source/a/nb.ipynb")
    config = Config()
    config.CourseDirectory.root = str(tmp_path / "course")
    (tmp_path / "work").mkdir()
    nb = nbformat.from_dict(source)
    executor = execute.LimitedExecute(sandbox="off", config=config)
    executor.shutdown_kernel = "immediate"
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path / "work")},
                             "nbgrader": {"assignment": "a", "notebook": "nb"}})
    return nb
