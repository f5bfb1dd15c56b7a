"""Grading a class: nndl grade against plain nbgrader, its throughput, and its coordinator.

    .venv/bin/python benchmarks/grading.py [--assignment week4] [-n 24] [--workers 2]
        [--repeats 3] [--nbgrader-threads N] [--nndl-threads N] [--nndl-first] [--keep]
    .venv/bin/python benchmarks/grading.py --throughput [--weeks week1 ... week4] [-n 24]
        [--workers 2] [--after-first] [--coordinator 1000 [--coordinator-workers W] [--profile]]
        [--compare]
    .venv/bin/python benchmarks/grading.py --coordinator 1000 [--week4-cpu S]

Three parts; without --throughput or --coordinator the script runs the first (the comparison),
with them only the parts asked for (--compare adds the comparison).

1. The comparison: `nndl grade --workers 2` against plain sequential `nbgrader autograde`.

Builds a scratch course (tests/support/grading_corpus.course_copy), runs `nbgrader
generate_assignment ASSIGNMENT --force` there and puts N submissions in submitted/: the release
notebook answered with the reference solutions, except every third student (s03, s06, ...),
who hands in the blank release notebook, so that the run resembles a class. The course
directory is then copied, gradebook included, so that both paths grade identical classes:

* plain nbgrader: `python -m nbgrader autograde ASSIGNMENT` in its copy (one submission after
  the other, one kernel at a time, with the venv's scripts on PATH);
* nndl grade: `python -m autograder.cli --root COPY grade ASSIGNMENT --workers W --quiet`.

They run one after the other in the same run, plain nbgrader first (--nndl-first swaps the order,
to see how much the machine drifted between the two).

Printed: the wall time of each path, the speed-up (goal >= 1.8x with 2 workers on 2 cores) and
the overhead per submission outside the notebook's own run time, for each path:

    overhead = wall x workers_used / N - Run All

where workers_used is 1 for nbgrader and min(W, N) for nndl grade, and Run All is the mean over
the class (finished and blank in their proportions) of a plain Run All with nbclient of the
notebook nbgrader executes (the submission with the hidden tests put back), up to its last graded
cell (where both paths stop grading: LimitedExecute.run_after_last_graded_cell is False by
default), in a fresh kernel started with the kernel manager settings of the course's
nbgrader_config.py, kernel start excluded (so the overhead includes starting and stopping the
kernel, which both paths do once per submission; the start is printed apart), best of --repeats.
The goals are <= 1 s for nndl grade; nbgrader's is said to be 3.5-4.5 s. Both gradebooks are
read afterwards: the script exits 1 when any student's total differs between the two paths (or a
command failed).

With more than one worker, Run All is also measured W at once (W processes, each with its own
kernel, started together), with nndl grade's threads: each notebook then runs as it does beside
the other workers' kernels, on cores that the machine's other jobs share too; W x Run All alone
/ Run All W at once is the speed-up the cores allowed at the time. The script prints nndl
grade's overhead against that as well, and splits nndl grade's wall x W / N into its parts
with nndl grade's journal (.nndl/grade/ASSIGNMENT.jsonl: each submission's seconds inside a
worker, and when the coordinator stored it): Run All, inside the workers beyond Run All, start-up
before the first submission, idle workers, and the end.

Threads. Every kernel of both paths uses one BLAS/OpenMP thread (utils.threads, on importing
utils), unless NNDL_THREADS says otherwise; --nbgrader-threads N sets NNDL_THREADS and
OMP/OPENBLAS/MKL_NUM_THREADS for plain nbgrader, --nndl-threads N passes `--threads N` to nndl
grade. Run All is measured with each path's setting, and each path's overhead subtracts the Run
All of its own setting. The effective BLAS threads are read with threadpoolctl.

The default assignment is the slowest to autograde. One finished submission, `nbgrader
autograde` on 2 shared cores (load average 2.2-3.6 from other jobs), before grading stopped at
the last graded cell: week1 7.9 s, week2 11.5 s, week3 16.2 s, week4 33.0 s with one BLAS thread;
15.3, 38.8, 26.5 and 42.0 s with OpenBLAS's default two threads. --assignment week2 makes a
quicker run.

2. Throughput (--throughput; --weeks chooses the weeks, and implies it). For each week, a class
of N built as above (every third blank) is graded twice by `nndl grade --workers W`, in two
copies of the same course, one after the other in the same run ("before" first; --after-first
swaps them):

* before: the old behaviour. The scratch course's nbgrader_config.py ends with
  `c.LimitedExecute.run_after_last_graded_cell = True` (every cell runs), the command has
  NNDL_THREADS=0 (the libraries' default threads, in the workers too, where the hidden tests are
  judged) and `--threads cores // W` (what nndl grade used to give each kernel);
* after: the current defaults (grading stops after the last graded cell; one BLAS thread per
  kernel, NNDL_THREADS unset).

Both courses' library thread variables (OMP/OPENBLAS/MKL_NUM_THREADS) are those of the caller's
environment removed. Each command runs under benchmarks/nndl_measured.py, which records the CPU
time of the nndl process itself (the coordinator) and of every process below it (the workers,
the kernels' supervisors, bubblewrap, the kernels; read from /proc, since Linux discards the
resource usage of sandboxed kernels stopped with their PID namespace). Printed per week and
path: wall seconds, CPU seconds per submission (the whole tree), its coordinator, workers and
kernels parts, submissions per core-minute (60 / CPU seconds per submission), and before /
after (the ratio of CPU seconds per submission, and of wall times). Exits 1 when a student's
total differs between before and after.

3. The coordinator (--coordinator N): a scratch course whose assignment "tiny" is a notebook
with one graded cell (an answer and a one-point test), N submitted/<student>/tiny/ copies of it
answered, graded by `nndl grade tiny` with its default workers (one per core;
--coordinator-workers W to choose). The coordinator is the nndl grade process itself, without
its workers and kernels. Per submission: its own CPU (all its threads, the pool's sending and
receiving of jobs included); its wall time not spent waiting for the workers, i.e. its main
thread on a core, waiting for one (the scheduler's counts, /proc/PID/task/PID/schedstat), or
waiting for the disk (its state sampled every 2 ms); and that wall time without the wait for a
core, which here is the local workers' doing and on a cluster, where the coordinator's machine is
its own, goes away. Each in all and after the start-up (from the launch to the first submission
beginning in a worker: imports, reading the submissions, the workers starting), which a larger
class spreads thinner. The coordinator's cost per submission is the larger of its CPU and its
wall time not waiting for the workers nor a core, in all; goal: at most 50 ms. --profile runs it
under cProfile (its main thread) and prints the top costs.

Projection (printed when week 4's CPU seconds per submission, measured or --week4-cpu S, and the
coordinator's cost, measured or --coordinator-ms MS, are known): 10,000 week 4 submissions on a
32-worker Dask cluster = 10,000 x week 4's CPU s per submission ("after") / 32 + 10,000 x the
coordinator's cost per submission, against the goals: week 4 at most 6 CPU s per submission, the
coordinator at most 50 ms, the whole under one hour. It takes a worker's seconds per submission
to be its CPU seconds (one kernel, one core and one BLAS thread per Dask worker).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
LIBRARY_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
CALLER_THREADS = {name: os.environ.get(name) for name in ("NNDL_THREADS", *LIBRARY_THREADS)}
sys.path.insert(0, str(ROOT / "tests"))  # tests/ is not a package
from support import grading_corpus  # noqa: E402

from autograder.common import format_table, nbgrader_config  # noqa: E402
from autograder.engine.supervisor import THREAD_VARIABLES  # noqa: E402
from autograder.grade.jobs import JOURNAL_DIR  # noqa: E402
from autograder.hidden.reference import last_graded_cell  # noqa: E402

# Importing autograder imports utils, which pins this process to one BLAS thread and sets the
# thread variables in os.environ: they are put back as the caller had them, so that the commands
# and kernels started here inherit the caller's environment, not this process's pinning.
for _name, _value in CALLER_THREADS.items():
    if _value is None:
        os.environ.pop(_name, None)
    else:
        os.environ[_name] = _value

COURSE_ID = "nndl"
BLANK_EVERY = 3  # every third student hands in the blank notebook
GOAL_SPEEDUP = 1.8
GOAL_OVERHEAD = 1.0  # seconds per submission, nndl grade
NBGRADER_SAID = "3.5-4.5 s"
WEEKS = ("week1", "week2", "week3", "week4")
MEASURED = Path(__file__).resolve().with_name("nndl_measured.py")
RUN_EVERY_CELL = ("\n# benchmarks/grading.py --throughput, \"before\": the old behaviour, "
                  "every cell runs\nc.LimitedExecute.run_after_last_graded_cell = True\n")
GOAL_WEEK4_CPU = 6.0  # CPU seconds per week 4 submission
GOAL_COORDINATOR_MS = 50.0  # the coordinator's cost per submission
GOAL_PROJECTION_S = 3600.0
PROJECTION_SUBMISSIONS, PROJECTION_WORKERS = 10_000, 32
TINY = "tiny"  # the coordinator's assignment: one answer and one graded test cell


def notebook_name(assignment: str) -> str:
    notebooks = sorted((ROOT / "release" / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise SystemExit(f"release/{assignment}/ should hold one notebook, found {len(notebooks)}")
    return notebooks[0].stem


def kind_of(index: int) -> str:
    """Student number ``index`` (1-based): every BLANK_EVERY-th hands in a blank notebook."""
    return "blank" if index % BLANK_EVERY == 0 else "finished"


def submission(kind: str, assignment: str, notebook: str):
    if kind == "blank":
        return grading_corpus.blank(assignment, notebook)
    return grading_corpus.finished(assignment, notebook)


def as_graded(nb, assignment: str, notebook: str):
    """``nb`` with the source notebook's test cells (hidden tests included): what autograde runs."""
    source = nbformat.read(ROOT / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
             if c.metadata.get("nbgrader", {}).get("grade_id")
             and not c.metadata["nbgrader"].get("solution")}
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in tests:
            cell.source = tests[grade_id]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def make_class(scratch: Path, assignment: str, notebook: str, n: int,
               names: tuple[str, str] = ("nbgrader", "nndl")) -> tuple[dict, Path, Path]:
    """Two identical course directories with N submissions each, in ``scratch`` / each of
    ``names``; returns (kinds, first, second)."""
    plain = grading_corpus.course_copy(scratch / names[0])
    out = grading_corpus.nbgrader(plain, "generate_assignment", assignment, "--force")
    if out.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment {assignment} failed:\n{out.stderr[-3000:]}")
    kinds = {}
    for index in range(1, n + 1):
        student = f"s{index:02d}"
        kinds[student] = kind_of(index)
        grading_corpus.submit(plain, student, assignment,
                              {f"{notebook}.ipynb": submission(kinds[student], assignment,
                                                               notebook)})
    nndl = scratch / names[1]
    shutil.copytree(plain, nndl)
    return kinds, plain, nndl


def thread_overrides(threads: int) -> dict[str, str]:
    """Environment variables pinning BLAS/OpenMP to ``threads`` (0: none, the inherited ones)."""
    return {name: str(threads) for name in THREAD_VARIABLES} if threads > 0 else {}


def child_env(threads: int = 0) -> dict[str, str]:
    env = {**os.environ, **thread_overrides(threads)}
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
    return env


def describe_threads(threads: int, env: dict[str, str] | None = None) -> str:
    """The BLAS threads a kernel gets with this setting (its environment ``env``, else this
    process's) once the notebook has imported utils (utils.threads), as threadpoolctl sees
    them."""
    env = {**(env if env is not None else os.environ), **thread_overrides(threads)}
    probe = ("import numpy, utils, threadpoolctl; print(max((i['num_threads'] for i in "
             "threadpoolctl.threadpool_info() if i['user_api'] == 'blas'), default=0))")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                         check=False)
    seen = out.stdout.strip() if out.returncode == 0 else "? (no threadpoolctl)"
    if threads > 0:
        return f"{seen} ({', '.join(THREAD_VARIABLES)}={threads})"
    inherited = [f"{name}={env[name]}" for name in THREAD_VARIABLES if name in env]
    return f"{seen} ({', '.join(inherited) or 'thread variables unset: utils.threads default'})"


@contextlib.contextmanager
def environment(overrides: dict[str, str]):
    """os.environ with ``overrides`` (inherited by kernels started inside)."""
    before = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def kernel_config() -> Config:
    """The kernel manager's settings of the course's nbgrader_config.py (transport encryption),
    which both grading paths load."""
    course = nbgrader_config(ROOT, ROOT / "nbgrader_config.py")
    config = Config()
    if "KernelManager" in course:
        config.KernelManager = course.KernelManager
    return config


def run_all(nb, threads: int, workdir: Path) -> tuple[float, float]:
    """Run All of ``nb`` in a fresh kernel as nbgrader's Execute does (errors allowed, history in
    memory, the notebook's folder as working directory), up to its last graded cell, where
    grading stops; (kernel start, run) seconds."""
    from nbclient import NotebookClient

    nb = nbformat.from_dict(nb)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            extra_arguments=["--HistoryManager.hist_file=:memory:"],
                            resources={"metadata": {"path": str(workdir)}},
                            config=kernel_config())
    client.reset_execution_trackers()
    with environment(thread_overrides(threads)):
        start = time.perf_counter()
        with client.setup_kernel(cwd=str(workdir)):
            client.wait_for_reply(client.kc.kernel_info())
            ready = time.perf_counter()
            for index, cell in enumerate(nb.cells[:last_graded_cell(nb) + 1]):
                client.execute_cell(cell, index)
            done = time.perf_counter()
    return ready - start, done - ready


def measure_run_all(notebooks: dict, settings: list[int], repeats: int,
                    workdir: Path) -> dict[tuple[str, int], tuple[float, float]]:
    """Best (kernel start, run) of ``repeats`` for each (kind, threads), interleaved by round."""
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for _ in range(repeats):
        for kind, nb in notebooks.items():
            for threads in settings:
                start, run = run_all(nb, threads, workdir)
                old = best.get((kind, threads), (float("inf"), float("inf")))
                best[(kind, threads)] = (min(old[0], start), min(old[1], run))
    return best


def _run_all_child(nb, threads: int, workdir: str, barrier, results) -> None:
    barrier.wait()  # all kernels start together
    results.put(run_all(nb, threads, Path(workdir)))


def run_all_at_once(nb, threads: int, workdir: Path, count: int) -> tuple[float, float]:
    """``count`` Run Alls of ``nb`` at the same time, each in its own process and kernel, as
    nndl grade's workers run them; mean (kernel start, run) seconds of the kernels."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(count), context.Queue()
    processes = [context.Process(target=_run_all_child,
                                 args=(nb, threads, str(workdir), barrier, results))
                 for _ in range(count)]
    for process in processes:
        process.start()
    runs = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return (sum(r[0] for r in runs) / count, sum(r[1] for r in runs) / count)


def timed(command: list[str], course: Path, env: dict, log: Path) -> dict:
    """Run ``command`` in ``course``, its output to ``log``: wall seconds, exit status, and the
    clock time (time.time) at launch and at exit."""
    with open(log, "w") as out:
        launch, start = time.time(), time.perf_counter()
        status = subprocess.run(command, cwd=course, env=env, stdout=out,
                                stderr=subprocess.STDOUT, check=False).returncode
        return {"wall": time.perf_counter() - start, "status": status, "launch": launch,
                "exit": time.time()}


def totals(course: Path, assignment: str, students) -> dict[str, tuple[float, float] | None]:
    """Each student's (score, max score) in the course's gradebook; None where it is missing."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for student in students:
            try:
                s = gb.find_submission(assignment, student)
            except MissingEntry:
                found[student] = None
            else:
                found[student] = (float(s.score), float(s.max_score))
    return found


def journal(course: Path, assignment: str) -> list[dict]:
    """nndl grade's journal: per submission, its seconds inside a worker and when it was stored."""
    path = course / JOURNAL_DIR / f"{assignment}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def print_breakdown(entries: list[dict], run: dict, workers: int, n: int, alone: float,
                    at_once: float | None) -> None:
    """Where nndl grade's wall x workers / N goes, from its journal (each submission's seconds
    inside a worker and the clock time at which the coordinator stored it)."""
    inside = sum(e["seconds"] for e in entries) / n
    first = min(e["graded_at"] - e["seconds"] for e in entries)  # about when the first began
    last = max(e["graded_at"] for e in entries)
    parts = [("Run All alone (the notebook's own run)", alone)]
    if at_once is not None:
        parts.append((f"Run All slower {workers} at once (cores shared)", at_once - alone))
    parts += [
        ("inside a worker, beyond Run All" + (f" {workers} at once" if at_once else "")
         + " (kernel start and stop, Autograde, nndl's steps)", inside - (at_once or alone)),
        (f"before the first submission began (command, template gradebook, {workers} workers "
         "importing nbgrader), x workers", workers * (first - run["launch"]) / n),
        ("after the last was stored (report, CSV, pool shut down), x workers",
         workers * (run["exit"] - last) / n),
    ]
    total = run["wall"] * workers / n
    parts.append(("workers idle in between (the last submissions running while a worker waits, "
                  "results going to the coordinator)", total - sum(p[1] for p in parts)))
    print(f"\nnndl grade's wall x workers / N = {total:.2f} s per submission, from its journal:")
    for label, seconds in parts:
        print(f"  {seconds:7.2f} s  {label}")


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


class CommandFailed(Exception):
    """A grading command of the benchmark failed (its output is in the message)."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Without --throughput or --coordinator: the comparison (nbgrader against nndl "
        "grade). A full report: --throughput --coordinator 1000 (every week, then the "
        "projection). A quick check: --weeks week1 -n 3 --coordinator 50.")
    parser.add_argument("--assignment", default="week4",
                        help="the comparison's week (default week4, the slowest)")
    parser.add_argument("-n", type=int, default=24,
                        help="submissions per class, of the comparison and of each week's "
                        "throughput (default 24; every third blank)")
    parser.add_argument("--workers", type=int, default=2,
                        help="nndl grade --workers of the comparison and the throughput "
                        "(default 2)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="Run All measurements per setting; the best counts (default 3)")
    parser.add_argument("--nbgrader-threads", type=int, default=0,
                        help="BLAS threads of plain nbgrader's kernel (default 0: the course's "
                        "default, one unless NNDL_THREADS is set)")
    parser.add_argument("--nndl-threads", type=int, default=0,
                        help="nndl grade --threads (default 0: not given, the course's default)")
    parser.add_argument("--nndl-first", action="store_true",
                        help="run nndl grade before plain nbgrader (to check for drift)")
    parser.add_argument("--compare", action="store_true",
                        help="also run the comparison when --throughput or --coordinator is given")
    parser.add_argument("--throughput", action="store_true",
                        help="CPU seconds per submission before/after, per week")
    parser.add_argument("--weeks", nargs="+", choices=WEEKS, metavar="WEEK",
                        help="the throughput's weeks (default: week1 to week4); implies "
                        "--throughput")
    parser.add_argument("--after-first", action="store_true",
                        help="throughput: grade with the current defaults before the old "
                        "behaviour (to check for drift)")
    parser.add_argument("--coordinator", type=int, default=0, metavar="N",
                        help="the coordinator's cost on N tiny submissions (1000 for the report)")
    parser.add_argument("--coordinator-workers", type=int, default=0, metavar="W",
                        help="nndl grade --workers for the coordinator's run (default: not "
                        "given, one per core)")
    parser.add_argument("--profile", action="store_true",
                        help="run the coordinator's nndl grade under cProfile; print the top costs")
    parser.add_argument("--week4-cpu", type=float, metavar="S",
                        help="the projection's week 4 CPU seconds per submission, when "
                        "--throughput does not measure week4 in this run")
    parser.add_argument("--coordinator-ms", type=float, metavar="MS",
                        help="the projection's coordinator ms per submission, when --coordinator "
                        "is not measured in this run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)
    if args.n < 1 or args.workers < 1 or args.repeats < 1:
        parser.error("-n, --workers and --repeats must be at least 1")
    if args.coordinator < 0 or args.coordinator_workers < 0:
        parser.error("--coordinator and --coordinator-workers must be positive")
    args.throughput = args.throughput or bool(args.weeks)
    args.weeks = list(dict.fromkeys(args.weeks or WEEKS))
    compare = args.compare or not (args.throughput or args.coordinator)

    scratch = Path(tempfile.mkdtemp(prefix="nndl-bench-grading-"))
    keep = args.keep
    found: dict = {}
    status = 0
    try:
        if compare:
            status |= compare_paths(args, scratch / "compare")
        if args.throughput:
            status |= throughput(args, scratch / "throughput", found)
        if args.coordinator:
            status |= coordinator(args, scratch / "coordinator", found)
        projection(args, found)
    except CommandFailed as failure:
        print(failure)
        keep, status = True, 1
    except BaseException:
        keep = True
        raise
    finally:
        if keep or args.keep:
            print(f"scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return status


def compare_paths(args, scratch: Path) -> int:
    """Part 1: plain nbgrader against nndl grade on the same class."""
    assignment = args.assignment
    notebook = notebook_name(assignment)
    cores = os.cpu_count() or 1
    workers_used = min(args.workers, args.n)
    nndl_threads = args.nndl_threads  # nndl grade --threads, when > 0
    plain_threads = args.nbgrader_threads

    setup = time.perf_counter()
    kinds, plain, nndl = make_class(scratch, assignment, notebook, args.n)
    n_blank = sum(1 for k in kinds.values() if k == "blank")
    n_finished = args.n - n_blank
    print(f"{assignment} ({notebook}), {args.n} submissions: {n_finished} finished "
          f"(reference answers), {n_blank} blank; {cores} cores, load average {load()}; "
          f"class built in {time.perf_counter() - setup:.0f} s")
    print(f"BLAS threads per kernel: plain nbgrader {describe_threads(plain_threads)}; "
          f"nndl grade {describe_threads(nndl_threads)}"
          + (f", --threads {nndl_threads}" if nndl_threads else ""))

    notebooks = {kind: as_graded(submission(kind, assignment, notebook), assignment, notebook)
                 for kind in ("finished", "blank") if kind in kinds.values()}
    settings = list(dict.fromkeys([plain_threads, nndl_threads]))
    workdir = scratch / "run-all"
    workdir.mkdir(parents=True)
    start = time.perf_counter()
    best = measure_run_all(notebooks, settings, args.repeats, workdir)
    together: dict[str, tuple[float, float]] = {}
    if workers_used > 1:
        for _ in range(args.repeats):
            for kind, nb in notebooks.items():
                start_s, run_s = run_all_at_once(nb, nndl_threads, workdir, workers_used)
                so_far = together.get(kind, (float("inf"), float("inf")))
                together[kind] = (min(so_far[0], start_s), min(so_far[1], run_s))
    print(f"Run All measured in {time.perf_counter() - start:.0f} s, load average {load()}")

    paths = {
        "nbgrader": ([sys.executable, "-m", "nbgrader", "autograde", assignment], plain,
                     child_env(plain_threads)),
        "nndl": ([sys.executable, "-m", "autograder.cli", "--root", str(nndl), "grade",
                  assignment, "--workers", str(args.workers), "--quiet"]
                 + (["--threads", str(nndl_threads)] if nndl_threads else []), nndl, child_env()),
    }
    order = ["nndl", "nbgrader"] if args.nndl_first else ["nbgrader", "nndl"]
    wall, loads, runs = {}, {}, {}
    for name in order:
        command, course, env = paths[name]
        before = load()
        runs[name] = timed(command, course, env, scratch / f"{name}.log")
        wall[name] = runs[name]["wall"]
        loads[name] = f"{before} -> {load()}"
        if runs[name]["status"] != 0:
            log = (scratch / f"{name}.log").read_text()
            print(f"{' '.join(command)} exited with {runs[name]['status']}:\n{log[-3000:]}")
            args.keep = True
            return 1

    # ---- the table
    def mean_run(threads: int) -> float:
        """Run All seconds averaged over the class, finished and blank in their proportions."""
        return sum(best[(kinds[s], threads)][1] for s in kinds) / args.n

    rows = {"nbgrader": ("nbgrader autograde", 1, plain_threads),
            "nndl": (f"nndl grade --workers {args.workers}", workers_used, nndl_threads)}
    print(f"\nran {' then '.join(order)}"
          + ("" if args.nndl_first else " (--nndl-first swaps the order)"))
    print(f"{'path':<24} {'wall s':>8} {'workers':>7} {'threads':>9} {'s/submission':>12} "
          f"{'Run All s':>9} {'overhead s':>10}  load average")
    overhead = {}
    for name, (label, used, threads) in rows.items():
        per = wall[name] * used / args.n
        overhead[name] = per - mean_run(threads)
        print(f"{label:<24} {wall[name]:>8.1f} {used:>7} {threads or 'default':>9} "
              f"{per:>12.2f} {mean_run(threads):>9.2f} {overhead[name]:>10.2f}  {loads[name]}")
    print(f"\nRun All with nbclient (the submission with its hidden tests, fresh kernel, up to "
          f"the last graded cell, kernel start excluded), best of {args.repeats}:")
    for kind in notebooks:
        for threads in settings:
            start_s, run_s = best[(kind, threads)]
            print(f"  {kind:<8} threads {threads or 'default':<9}: run {run_s:6.2f} s, "
                  f"kernel start {start_s:4.2f} s (part of the overhead)")
    for kind, (start_s, run_s) in together.items():
        print(f"  {kind:<8} threads {nndl_threads or 'default':<9}: run {run_s:6.2f} s, "
              f"kernel start {start_s:4.2f} s, {workers_used} at once (mean of the kernels; "
              f"the cores are shared as between nndl grade's workers)")
    entries = journal(nndl, assignment)
    inside = {}
    for kind in notebooks:
        seconds = [e["seconds"] for e in entries if kinds.get(e["student"]) == kind]
        if seconds:
            inside[kind] = sum(seconds) / len(seconds)
    if inside:
        print("  inside nndl grade's workers (its journal), mean seconds per submission: "
              + ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in inside.items()))

    # ---- the ratios
    print(f"\nspeed-up: {wall['nbgrader'] / wall['nndl']:.2f}x (goal >= {GOAL_SPEEDUP}x)")
    print(f"overhead per submission = wall x workers_used / N - Run All (mean over the class: "
          f"{n_finished} finished, {n_blank} blank)")
    print(f"overhead per submission: nbgrader {overhead['nbgrader']:.1f} s (said to be "
          f"{NBGRADER_SAID}), nndl grade {overhead['nndl']:.1f} s "
          f"(goal <= {GOAL_OVERHEAD:g} s)")

    if together:
        run_together = sum(together[kinds[s]][1] for s in kinds) / args.n
        print(f"overhead per submission of nndl grade against Run All {workers_used} at once: "
              f"{wall['nndl'] * workers_used / args.n - run_together:.1f} s (Run All "
              f"{run_together:.2f} s)")
        print(f"speed-up the cores allowed during this run: {workers_used} x Run All alone / "
              f"Run All {workers_used} at once = "
              f"{workers_used * mean_run(nndl_threads) / run_together:.2f}x")

    if len(entries) == args.n:
        print_breakdown(entries, runs["nndl"], workers_used, args.n, mean_run(nndl_threads),
                        sum(together[kinds[s]][1] for s in kinds) / args.n if together else None)

    # ---- same scores
    a, b = totals(plain, assignment, kinds), totals(nndl, assignment, kinds)
    differ = [s for s in kinds if a[s] is None or b[s] is None or a[s] != b[s]]
    seen = sorted({(kinds[s], a[s]) for s in kinds if s not in differ})
    print(f"scores: {args.n - len(differ)} of {args.n} students have the same total on both "
          f"paths ({'; '.join(f'{kind} {t[0]:g}/{t[1]:g}' for kind, t in seen)})")
    for student in differ:
        print(f"  DIFFERENT {student} ({kinds[student]}): nbgrader {a[student]}, "
              f"nndl grade {b[student]}")
    return 1 if differ else 0


# ---- part 2: throughput, before and after

def measured_nndl(arguments: list[str], env: dict, log: Path, cwd: Path,
                  profile: Path | None = None, sample: bool = False) -> dict:
    """Run `nndl ARGUMENTS` under nndl_measured.py, its output to ``log``. Returns the probe's
    record (wall; CPU of the nndl process itself and of every other process of its tree, by
    role; with ``sample``, its main thread's busy seconds: see nndl_measured.py) with
    ``cpu_own``, ``cpu_children`` and ``cpu`` (both) added; raises CommandFailed when the
    command fails."""
    record = log.with_suffix(".json")
    command = [sys.executable, str(MEASURED), str(record)]
    if sample:
        command.append("--sample")
    if profile is not None:
        command += ["--profile", str(profile)]
    command += ["--", *arguments]
    with open(log, "w") as out:
        status = subprocess.run(command, cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, check=False).returncode
    if status != 0 or not record.is_file():
        raise CommandFailed(f"{' '.join(command)} exited with {status}:\n"
                            f"{log.read_text()[-3000:]}")
    run = json.loads(record.read_text())
    run["samples"] = {int(second): counts for second, counts in run.get("samples", {}).items()}
    run["cpu_own"], run["cpu_children"] = run["own"], run["children"]
    run["cpu"] = run["cpu_own"] + run["cpu_children"]
    if not run["subreaper"] or run["left"]:
        print(f"  note: {'' if run['subreaper'] else 'not a subreaper here; '}"
              f"{run['left']} processes of the tree still ran after the command: the CPU of "
              "processes that left the tree, or outlived it, is counted only up to then")
    return run


def same_totals(first: Path, second: Path, assignment: str, kinds: dict[str, str],
                names: tuple[str, str]) -> list[str]:
    """Print whether every student has the same total in both courses' gradebooks; returns the
    students who do not."""
    a, b = totals(first, assignment, kinds), totals(second, assignment, kinds)
    differ = [s for s in kinds if a[s] is None or b[s] is None or a[s] != b[s]]
    seen = sorted({(kinds[s], a[s]) for s in kinds if s not in differ})
    print(f"  scores: {len(kinds) - len(differ)} of {len(kinds)} students have the same total "
          f"{names[0]} and {names[1]} "
          f"({'; '.join(f'{kind} {t[0]:g}/{t[1]:g}' for kind, t in seen)})")
    for student in differ:
        print(f"  DIFFERENT {student} ({kinds[student]}): {names[0]} {a[student]}, "
              f"{names[1]} {b[student]}")
    return differ


def throughput(args, scratch: Path, found: dict) -> int:
    """Part 2: per week, CPU seconds per submission of nndl grade with the old behaviour and
    with the current defaults, on the same class, in the same run."""
    cores = os.cpu_count() or 1
    old_threads = max(1, cores // args.workers)
    order = ["after", "before"] if args.after_first else ["before", "after"]
    base = {k: v for k, v in child_env().items()
            if k not in ("NNDL_THREADS", *LIBRARY_THREADS)}
    settings = {
        "before": (["--threads", str(old_threads)], {**base, "NNDL_THREADS": "0"}),
        "after": ([], base),
    }
    print(f"\nThroughput: nndl grade --workers {args.workers}, classes of {args.n} (every "
          f"{BLANK_EVERY}rd blank), {cores} cores, {' then '.join(order)} for each week")
    print(f"  before: c.LimitedExecute.run_after_last_graded_cell = True in the course's "
          f"nbgrader_config.py, NNDL_THREADS=0, --threads {old_threads} (= {cores} cores // "
          f"{args.workers} workers), kernels' BLAS threads "
          f"{describe_threads(old_threads, settings['before'][1])}")
    print(f"  after:  the defaults (grading stops after the last graded cell), kernels' BLAS "
          f"threads {describe_threads(0, settings['after'][1])}")
    print("  both without the caller's OMP/OPENBLAS/MKL_NUM_THREADS")
    print("  CPU = user + system of the nndl grade process and of every process below it "
          "(workers, kernels' supervisors, bubblewrap, kernels): benchmarks/nndl_measured.py")
    rows, status = [], 0
    for week in args.weeks:
        notebook = notebook_name(week)
        setup = time.perf_counter()
        kinds, before, after = make_class(scratch / week, week, notebook, args.n,
                                          ("before", "after"))
        with open(before / "nbgrader_config.py", "a") as config:
            config.write(RUN_EVERY_CELL)
        courses = {"before": before, "after": after}
        print(f"{week} ({notebook}): class built in {time.perf_counter() - setup:.0f} s")
        runs = {}
        for name in order:
            extra, env = settings[name]
            was = load()
            runs[name] = measured_nndl(
                ["--root", str(courses[name]), "grade", week, "--workers", str(args.workers),
                 "--quiet", *extra], env, scratch / week / f"{name}.log", cwd=courses[name])
            runs[name]["load"] = f"{was} -> {load()}"
            print(f"  {name}: wall {runs[name]['wall']:.1f} s, CPU {runs[name]['cpu']:.1f} s "
                  f"(nndl grade's own {runs[name]['cpu_own']:.1f} s), load average "
                  f"{runs[name]['load']}")
        per = {name: run["cpu"] / args.n for name, run in runs.items()}
        found[week] = per
        for name in ("before", "after"):
            run = runs[name]
            roles = run["roles"]
            rows.append((week, name, str(args.n), f"{run['wall']:.1f}", f"{per[name]:.2f}",
                         f"{run['cpu_own'] / args.n:.2f}",
                         f"{roles['workers'] / args.n:.2f}",
                         f"{roles['kernels'] / args.n:.2f}", f"{60 / per[name]:.1f}",
                         f"{per['before'] / per['after']:.2f}x" if name == "after" else "",
                         f"{runs['before']['wall'] / runs['after']['wall']:.2f}x"
                         if name == "after" else "", run["load"]))
        if same_totals(before, after, week, kinds, ("before", "after")):
            status = 1
    print()
    print(format_table(("week", "path", "submissions", "wall s", "CPU s/submission",
                        "coordinator", "workers", "kernels", "submissions/core-minute",
                        "before/after CPU", "before/after wall", "load average"), rows))
    print("CPU s/submission: the whole tree (user + system); coordinator, workers, kernels: "
          "its main parts, CPU s per submission (the kernels' supervisors and bubblewrap are "
          "the rest); submissions/core-minute = 60 / CPU s per submission")
    if "week4" in found:
        after = found["week4"]["after"]
        print(f"week 4: {after:.2f} CPU s per submission (goal <= {GOAL_WEEK4_CPU:g} s: "
              f"{'met' if after <= GOAL_WEEK4_CPU else 'MISSED'})")
    return status


# ---- part 3: the coordinator's cost per submission

def tiny_notebook():
    """The coordinator's assignment: one answer cell and one graded test cell (1 point)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    answer = new_code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n"
                           "    ### END SOLUTION\n")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                   "grade_id": "answer", "schema_version": 3}
    test = new_code_cell("assert answer() == 42\n")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "points": 1, "grade_id": "test_answer", "schema_version": 3}
    return new_notebook(cells=[new_markdown_cell("Return 42."), answer, test], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def tiny_course(course: Path, n: int) -> list[str]:
    """A course directory (the course's nbgrader_config.py) with the tiny assignment generated
    and N answered copies in submitted/<student>/tiny/; returns the students."""
    (course / "source" / TINY).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    nbformat.write(tiny_notebook(), course / "source" / TINY / f"{TINY}.ipynb")
    out = grading_corpus.nbgrader(course, "generate_assignment", TINY, "--force")
    if out.returncode != 0:
        raise CommandFailed(f"nbgrader generate_assignment {TINY} failed:\n{out.stderr[-3000:]}")
    released = nbformat.read(course / "release" / TINY / f"{TINY}.ipynb", as_version=4)
    for cell in released.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "def answer():\n    return 42\n"
    data = nbformat.writes(released).encode()
    students = [f"s{index:04d}" for index in range(1, n + 1)]
    for student in students:
        folder = course / "submitted" / student / TINY
        folder.mkdir(parents=True)
        (folder / f"{TINY}.ipynb").write_bytes(data)
    return students


def coordinator(args, scratch: Path, found: dict) -> int:
    """Part 3: the nndl grade process's own cost per submission, on N tiny submissions."""
    n = args.coordinator
    cores = os.cpu_count() or 1
    workers = args.coordinator_workers or cores
    course = scratch / "course"
    setup = time.perf_counter()
    students = tiny_course(course, n)
    print(f"\nCoordinator: {n} tiny submissions (one graded cell), nndl grade {TINY} with "
          f"{workers} workers{'' if args.coordinator_workers else ' (its default: one per core)'}"
          f", {cores} cores; course built in {time.perf_counter() - setup:.0f} s, load average "
          f"{load()}")
    profile = scratch / "coordinator.prof" if args.profile else None
    command = ["--root", str(course), "grade", TINY, "--quiet"]
    if args.coordinator_workers:
        command += ["--workers", str(args.coordinator_workers)]
    was = load()
    run = measured_nndl(command, child_env(), scratch / "coordinator.log", cwd=course,
                        profile=profile, sample=True)
    scores = totals(course, TINY, students)
    full = sum(1 for s in students if scores[s] == (1.0, 1.0))
    entries = journal(course, TINY)
    print(f"  wall {run['wall']:.1f} s, load average {was} -> {load()}; {len(entries)} "
          f"submissions journalled, {full} of {n} scored 1/1"
          + (" (profiled: cProfile slows the coordinator)" if profile else ""))
    print(f"  the other processes' CPU (not the coordinator's): {run['cpu_children']:.1f} s = "
          f"{1000 * run['cpu_children'] / n:.0f} ms per submission ("
          + ", ".join(f"{role} {1000 * cpu / n:.0f} ms" for role, cpu in run["roles"].items()
                      if cpu) + ")")
    ms = {"cpu": 1000 * run["cpu_own"] / n}
    lines = [("own CPU (all its threads)", "cpu")]
    exact = "main_on_cpu" in run
    if run.get("busy") is not None:
        ms["busy"] = 1000 * run["busy"] / n
        lines.append(("wall not waiting for the workers (its main thread on a core, waiting for "
                      "one, or waiting for the disk)", "busy"))
        if exact:
            ms["queued"] = 1000 * run["main_waiting_for_cpu"] / n
            ms["working"] = ms["busy"] - ms["queued"]
            ms["disk"] = 1000 * run["main_disk"] / n
            lines += [("  of which waiting for a core (the workers' and the machine's other "
                       "work)", "queued"),
                      ("  of which waiting for the disk (fsync, sqlite's commits; sampled)",
                       "disk"),
                      ("wall not waiting for the workers nor for a core", "working")]
    after = {}
    if entries and run["samples"]:
        # the start-up: from the launch to the first submission beginning in a worker
        startup = min(e["graded_at"] - e["seconds"] for e in entries) - run["launch"]
        bins = run["samples"]
        before = [c for second, c in sorted(bins.items()) if second < int(startup)]
        late = [c for second, c in bins.items() if second >= int(startup)]
        base = before[-1] if before else [0, 0, 0, 0.0, 0.0, 0.0]
        total = max(1, sum(c[2] for c in late))
        span = run["wall"] - int(startup)
        running, disk = (span * sum(c[i] for c in late) / total for i in (0, 1))
        after["cpu"] = 1000 * (run["cpu_own"] - base[3]) / n
        after["busy"] = 1000 * (running + disk) / n
        if exact:
            after["queued"] = 1000 * (run["main_waiting_for_cpu"] - base[5]) / n
            after["busy"] = (1000 * (run["main_on_cpu"] - base[4]) / n + after["queued"]
                             + 1000 * disk / n)
            after["working"] = after["busy"] - after["queued"]
            after["disk"] = 1000 * disk / n
        print(f"  the start-up (from the launch to the first submission beginning in a worker: "
              f"imports, reading the submissions, the workers starting): {startup:.1f} s")
    print("  the coordinator (the nndl grade process), ms per submission"
          + (" (in all / after the start-up):" if after else ":"))
    for label, key in lines:
        print(f"    {ms[key]:7.1f}" + (f" / {after[key]:6.1f}" if after else "") + f"  {label}")
    if run.get("busy") is None:
        print("    wall not waiting for the workers: not measured (no /proc here)")
    cost = max(ms["cpu"], ms.get("working", ms.get("busy", 0.0)))
    found["coordinator_ms"] = cost
    print(f"  the coordinator's cost per submission: {cost:.1f} ms, the larger of its CPU and its "
          "wall time not waiting for the workers"
          + (" nor for a core (on a cluster its machine is its own)" if "working" in ms else "")
          + f" (goal <= {GOAL_COORDINATOR_MS:g} ms: "
          f"{'met' if cost <= GOAL_COORDINATOR_MS else 'MISSED'})")
    if profile is not None:
        print_profile(profile)
    return 0 if full == n else 1


def print_profile(path: Path, top: int = 25) -> None:
    """The top costs of the coordinator's main thread, by cumulative and by own time."""
    import io
    import pstats

    for key, what in (("cumulative", "cumulative time (the function and what it calls)"),
                      ("tottime", "own time")):
        stream = io.StringIO()
        stats = pstats.Stats(str(path), stream=stream)
        stats.sort_stats(key).print_stats(top)
        lines = stream.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n  cProfile of the coordinator's main thread, top {top} by {what}:")
        for line in lines[start:]:
            if line.strip():
                print(f"  {line.replace(str(ROOT) + os.sep, '')}")


# ---- the projection

def projection(args, found: dict) -> None:
    """10,000 week 4 submissions on a 32-worker Dask cluster, against the goals."""
    week4 = found.get("week4", {}).get("after", args.week4_cpu)
    cost_ms = found.get("coordinator_ms", args.coordinator_ms)
    if week4 is None and cost_ms is None:
        return
    if week4 is None or cost_ms is None:
        missing = ("week 4's CPU seconds per submission (--weeks week4, or --week4-cpu S)"
                   if week4 is None else
                   "the coordinator's cost (--coordinator 1000, or --coordinator-ms MS)")
        print(f"\nprojection: not printed, it needs {missing}")
        return
    n, w = PROJECTION_SUBMISSIONS, PROJECTION_WORKERS
    cluster = n * week4 / w
    coordinating = n * cost_ms / 1000
    total = cluster + coordinating
    source4 = "measured" if "week4" in found else "--week4-cpu"
    source_c = "measured" if "coordinator_ms" in found else "--coordinator-ms"
    print(f"\nprojection: {n:,} week 4 submissions on a {w}-worker Dask cluster (one kernel and "
          f"one core per worker, CPU seconds taken as the workers' seconds)")
    print(f"  {n:,} x {week4:.2f} CPU s ({source4}) / {w} workers = {cluster:.0f} s")
    print(f"  + {n:,} x {cost_ms:.1f} ms, the coordinator ({source_c}) = {coordinating:.0f} s")
    print(f"  = {total:.0f} s = {total / 60:.1f} min (goal under {GOAL_PROJECTION_S / 60:.0f} "
          f"min: {'met' if total < GOAL_PROJECTION_S else 'MISSED'})")
    print(f"  goals: week 4 {week4:.2f} CPU s per submission (<= {GOAL_WEEK4_CPU:g}: "
          f"{'met' if week4 <= GOAL_WEEK4_CPU else 'MISSED'}), coordinator {cost_ms:.1f} ms "
          f"(<= {GOAL_COORDINATOR_MS:g}: {'met' if cost_ms <= GOAL_COORDINATOR_MS else 'MISSED'})")
    if "week4" in found:
        before = n * found["week4"]["before"] / w + coordinating
        print(f"  with the old behaviour (week 4 before: {found['week4']['before']:.2f} CPU s): "
              f"{before:.0f} s = {before / 60:.1f} min")


if __name__ == "__main__":
    sys.exit(main())
