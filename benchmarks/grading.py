"""Grading a class: `nndl grade --workers 2` against plain sequential `nbgrader autograde`.

    .venv/bin/python benchmarks/grading.py [--assignment week4] [-n 24] [--workers 2]
        [--repeats 3] [--nbgrader-threads N] [--nndl-first] [--keep]

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
notebook nbgrader executes (the submission with the hidden tests put back), in a fresh kernel
started with the kernel manager settings of the course's nbgrader_config.py, kernel start
excluded (so the overhead includes starting and stopping the kernel, which both paths do once
per submission; the start is printed apart), best of --repeats. The goals are <= 1 s for nndl
grade; nbgrader's is said to be 3.5-4.5 s. Both gradebooks are read afterwards: the script
exits 1 when any student's total differs between the two paths (or a command failed).

With more than one worker, Run All is also measured W at once (W processes, each with its own
kernel, started together), with nndl grade's threads: each notebook then runs as it does beside
the other workers' kernels, on cores that the machine's other jobs share too; W x Run All alone
/ Run All W at once is the speed-up the cores allowed at the time. The script prints nndl
grade's overhead against that as well, and splits nndl grade's wall x W / N into its parts
with nndl grade's journal (.nndl/grade/ASSIGNMENT.jsonl: each submission's seconds inside a
worker, and when the coordinator stored it): Run All, inside the workers beyond Run All, start-up
before the first submission, idle workers, and the end.

Threads. `nndl grade` gives each kernel cores / workers BLAS/OpenMP threads (--threads,
through autograder.engine.supervisor), so that its parallel kernels do not oversubscribe the cores;
plain nbgrader runs one kernel at a time with the libraries' default (OpenBLAS: one thread per
core), unless --nbgrader-threads N sets OMP/OPENBLAS/MKL_NUM_THREADS for it. Run All is measured
with each path's setting, and each path's overhead subtracts the Run All of its own setting. The
effective BLAS threads are read with threadpoolctl where it is installed.

The default assignment is the slowest to autograde. One finished submission, `nbgrader
autograde` on 2 shared cores (load average 2.2-3.6 from other jobs): week1 7.9 s, week2 11.5 s,
week3 16.2 s, week4 33.0 s with one BLAS thread; 15.3, 38.8, 26.5 and 42.0 s with OpenBLAS's
default two threads. --assignment week2 makes a quicker run.
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
sys.path.insert(0, str(ROOT / "tests"))  # tests/ is not a package
from support import grading_corpus  # noqa: E402

from autograder.common import nbgrader_config  # noqa: E402
from autograder.engine.supervisor import THREAD_VARIABLES  # noqa: E402
from autograder.grade.jobs import JOURNAL_DIR  # noqa: E402

COURSE_ID = "nndl"
BLANK_EVERY = 3  # every third student hands in the blank notebook
GOAL_SPEEDUP = 1.8
GOAL_OVERHEAD = 1.0  # seconds per submission, nndl grade
NBGRADER_SAID = "3.5-4.5 s"


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


def make_class(scratch: Path, assignment: str, notebook: str, n: int) -> tuple[dict, Path, Path]:
    """Two identical course directories with N submissions each; returns (kinds, plain, nndl)."""
    plain = grading_corpus.course_copy(scratch / "nbgrader")
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
    nndl = scratch / "nndl"
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


def describe_threads(threads: int) -> str:
    """The BLAS threads a kernel gets with this setting, as threadpoolctl sees them."""
    probe = ("import numpy, threadpoolctl; print(max((i['num_threads'] for i in "
             "threadpoolctl.threadpool_info() if i['user_api'] == 'blas'), default=0))")
    out = subprocess.run([sys.executable, "-c", probe], env=child_env(threads),
                         capture_output=True, text=True, check=False)
    seen = out.stdout.strip() if out.returncode == 0 else "? (no threadpoolctl)"
    if threads > 0:
        return f"{seen} ({', '.join(THREAD_VARIABLES)}={threads})"
    inherited = [f"{name}={os.environ[name]}" for name in THREAD_VARIABLES if name in os.environ]
    return f"{seen} ({', '.join(inherited) or 'thread variables unset: the libraries default'})"


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
    memory, the notebook's folder as working directory); (kernel start, run) seconds."""
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
            for index, cell in enumerate(nb.cells):
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="week4", help="weekN (default week4, the slowest)")
    parser.add_argument("-n", type=int, default=24, help="submissions (default 24)")
    parser.add_argument("--workers", type=int, default=2, help="nndl grade --workers (default 2)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="Run All measurements per setting; the best counts (default 3)")
    parser.add_argument("--nbgrader-threads", type=int, default=0,
                        help="BLAS threads of plain nbgrader's kernel (default 0: inherited)")
    parser.add_argument("--nndl-first", action="store_true",
                        help="run nndl grade before plain nbgrader (to check for drift)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)
    if args.n < 1 or args.workers < 1 or args.repeats < 1:
        parser.error("-n, --workers and --repeats must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="nndl-bench-grading-"))
    keep = args.keep
    try:
        status = benchmark(args, scratch)
    except BaseException:
        keep = True
        raise
    finally:
        if keep or args.keep:
            print(f"scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return status


def benchmark(args, scratch: Path) -> int:
    assignment = args.assignment
    notebook = notebook_name(assignment)
    cores = os.cpu_count() or 1
    workers_used = min(args.workers, args.n)
    nndl_threads = max(1, cores // args.workers)  # nndl grade's --threads default
    plain_threads = args.nbgrader_threads

    setup = time.perf_counter()
    kinds, plain, nndl = make_class(scratch, assignment, notebook, args.n)
    n_blank = sum(1 for k in kinds.values() if k == "blank")
    n_finished = args.n - n_blank
    print(f"{assignment} ({notebook}), {args.n} submissions: {n_finished} finished "
          f"(reference answers), {n_blank} blank; {cores} cores, load average {load()}; "
          f"class built in {time.perf_counter() - setup:.0f} s")
    print(f"BLAS threads per kernel: plain nbgrader {describe_threads(plain_threads)}; "
          f"nndl grade {describe_threads(nndl_threads)}, --threads = {cores} cores // "
          f"{args.workers} workers")

    notebooks = {kind: as_graded(submission(kind, assignment, notebook), assignment, notebook)
                 for kind in ("finished", "blank") if kind in kinds.values()}
    settings = list(dict.fromkeys([plain_threads, nndl_threads]))
    workdir = scratch / "run-all"
    workdir.mkdir()
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
                  assignment, "--workers", str(args.workers), "--quiet"], nndl, child_env()),
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
        print(f"{label:<24} {wall[name]:>8.1f} {used:>7} {threads or 'inherited':>9} "
              f"{per:>12.2f} {mean_run(threads):>9.2f} {overhead[name]:>10.2f}  {loads[name]}")
    print(f"\nRun All with nbclient (the submission with its hidden tests, fresh kernel, kernel "
          f"start excluded), best of {args.repeats}:")
    for kind in notebooks:
        for threads in settings:
            start_s, run_s = best[(kind, threads)]
            print(f"  {kind:<8} threads {threads or 'inherited':<9}: run {run_s:6.2f} s, "
                  f"kernel start {start_s:4.2f} s (part of the overhead)")
    for kind, (start_s, run_s) in together.items():
        print(f"  {kind:<8} threads {nndl_threads:<9}: run {run_s:6.2f} s, kernel start "
              f"{start_s:4.2f} s, {workers_used} at once (mean of the kernels; the cores are "
              f"shared as between nndl grade's workers)")
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


if __name__ == "__main__":
    sys.exit(main())
