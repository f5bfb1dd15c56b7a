"""Run All beside competing load: each notebook on the quiet machine, then beside CPU-bound jobs.

    .venv/bin/python benchmarks/load.py [NOTEBOOK...] [--competitors 2] [--load busy|numpy]
        [--repeats 1] [--library-threads] [--goal 2]

For every notebook (default: the graded ones, source/week*/*.ipynb, and the labs,
notebooks/*.ipynb), Run All in a fresh kernel (benchmarks/notebook_run.py: its own child
process, so the kernel's CPU time is its own) twice: on the machine as it is ("quiet"), and
with --competitors CPU-bound processes running ("loaded"), started before the Run All (and
running by then) and stopped after it. The two alternate per notebook in the same run (quiet
then loaded; with --repeats, the next repeat loaded then quiet, and so on; the medians count).

Competitors (--load): "busy", a Python busy loop each (one thread); "numpy", 1000 x 1000
matrix products each, with the libraries' default BLAS threads (the thread variables removed
from their environment: one thread per core with OpenBLAS), like another user's unpinned numpy
job.

Printed per notebook: Run All quiet and loaded (wall seconds), loaded / quiet (goal: at most 2),
the kernel's CPU seconds in each, the competitors' CPU seconds during the loaded run (that they
did compete), and the notebooks above the goal. With the course's default (one BLAS thread per
notebook, utils.threads) a notebook's kernel is one busy thread; its fair share of the loaded
machine is printed beside (with k competing threads on c cores, loaded / quiet of about
(k + 1) / c when that is above 1). --library-threads also runs every notebook with NNDL_THREADS=0
(the libraries' default threads), in the same alternation, to show what the one-thread default
changes. Exits 1 when a notebook with the default threads is above the goal, or a Run All fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import notebook_run
import psutil

ROOT = Path(__file__).resolve().parents[1]
GOAL = 2.0  # loaded / quiet
THREAD_VARIABLES = ("NNDL_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

BUSY = "import sys\nprint('ready 1', flush=True)\nwhile True:\n    pass\n"
NUMPY = """import numpy as np, threadpoolctl
a = np.random.default_rng(0).random((1000, 1000))
a @ a
threads = max((i["num_threads"] for i in threadpoolctl.threadpool_info()
               if i["user_api"] == "blas"), default=1)
print(f"ready {threads}", flush=True)
while True:
    a @ a
"""


def default_notebooks() -> list[Path]:
    return sorted(ROOT.glob("source/week*/*.ipynb")) + sorted(ROOT.glob("notebooks/*.ipynb"))


class Competitors:
    """``count`` CPU-bound processes, running from ``start()`` (it returns once each has said it
    is running) to ``stop()`` (which returns the CPU seconds they used)."""

    def __init__(self, count: int, kind: str):
        self.count, self.kind = count, kind
        self.processes: list[subprocess.Popen] = []
        self.threads = 0  # threads each one runs

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
        code = BUSY if self.kind == "busy" else NUMPY
        for _ in range(self.count):
            self.processes.append(subprocess.Popen([sys.executable, "-c", code], env=env,
                                                   stdout=subprocess.PIPE, text=True))
        for process in self.processes:
            line = process.stdout.readline().split()
            if line[:1] != ["ready"]:
                self.stop()
                raise RuntimeError(f"a competing process did not start ({self.kind})")
            self.threads = int(line[1])

    def stop(self) -> float:
        cpu = 0.0
        for process in self.processes:
            try:
                times = psutil.Process(process.pid).cpu_times()
                cpu += times.user + times.system
            except psutil.Error:
                pass
            process.terminate()
        for process in self.processes:
            process.wait()
            process.stdout.close()
        self.processes = []
        return cpu


def measure(path: Path, env: dict[str, str], loaded: bool, competitors: Competitors) -> dict:
    """One Run All of ``path``, on the quiet machine or beside the competitors."""
    if not loaded:
        return {**notebook_run.run_all(path, env), "competitors_cpu": 0.0}
    competitors.start()
    try:
        result = notebook_run.run_all(path, env)
    finally:
        cpu = competitors.stop()
    return {**result, "competitors_cpu": cpu}


def fair_share(cores: int, competing_threads: int) -> float:
    """loaded / quiet of a one-thread notebook when the cores are shared fairly."""
    return max(1.0, (competing_threads + 1) / cores)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: source/week*/*.ipynb and notebooks/*.ipynb")
    parser.add_argument("--competitors", type=int, default=2,
                        help="CPU-bound processes of the loaded runs (default 2)")
    parser.add_argument("--load", choices=("busy", "numpy"), default="busy",
                        help="busy: a Python busy loop each (default); numpy: matrix products "
                        "with the libraries' default threads")
    parser.add_argument("--repeats", type=int, default=1,
                        help="quiet/loaded pairs per notebook; the medians count (default 1)")
    parser.add_argument("--library-threads", action="store_true",
                        help="also run each notebook with NNDL_THREADS=0 (the libraries' "
                        "default threads)")
    parser.add_argument("--goal", type=float, default=GOAL,
                        help=f"loaded / quiet at most (default {GOAL:g})")
    args = parser.parse_args(argv)
    if args.competitors < 1 or args.repeats < 1:
        parser.error("--competitors and --repeats must be at least 1")
    paths = [p.resolve() for p in args.notebooks] or default_notebooks()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")

    base = {k: v for k, v in os.environ.items() if k != "NNDL_THREADS"}
    settings = {"default (1)": base}
    if args.library_threads:
        settings["NNDL_THREADS=0"] = {**base, "NNDL_THREADS": "0"}
    competitors = Competitors(args.competitors, args.load)
    cores = os.cpu_count() or 1
    print(f"{len(paths)} notebooks, {cores} cores, load average {os.getloadavg()[0]:.1f}; "
          f"loaded: {args.competitors} x {args.load}; {args.repeats} quiet/loaded pair(s) each, "
          f"alternating")

    runs: dict[tuple[Path, str], dict[str, list[dict]]] = {}
    failed: list[str] = []
    started = time.perf_counter()
    for path in paths:
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for setting, env in settings.items():
            done = runs.setdefault((path, setting), {"quiet": [], "loaded": []})
            for repeat in range(args.repeats):
                order = ("quiet", "loaded") if repeat % 2 == 0 else ("loaded", "quiet")
                for state in order:
                    try:
                        result = measure(path, env, state == "loaded", competitors)
                    except RuntimeError as error:
                        failed.append(f"{name} ({setting}, {state}): {str(error)[-1500:]}")
                        print(f"  {name} {setting} {state}: FAILED", flush=True)
                        continue
                    done[state].append(result)
                    print(f"  {name} {setting} {state}: {result['seconds']:.1f} s, kernel CPU "
                          f"{result['cpu_seconds']:.1f} s"
                          + (f", competitors' CPU {result['competitors_cpu']:.1f} s"
                             if state == "loaded" else ""), flush=True)
    print(f"measured in {time.perf_counter() - started:.0f} s, load average "
          f"{os.getloadavg()[0]:.1f}")

    from autograder.common import format_table

    def median(results: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in results)

    rows, above = [], []
    for (path, setting), done in runs.items():
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        if not done["quiet"] or not done["loaded"]:
            rows.append((name, setting, "-", "-", "-", "-", "-", "-", "failed"))
            continue
        quiet, loaded = median(done["quiet"], "seconds"), median(done["loaded"], "seconds")
        ratio = loaded / quiet
        over = ratio > args.goal
        if over:
            above.append((name, setting, ratio))
        rows.append((name, setting, f"{quiet:.1f}", f"{loaded:.1f}", f"{ratio:.2f}",
                     f"{median(done['quiet'], 'cpu_seconds'):.1f}",
                     f"{median(done['loaded'], 'cpu_seconds'):.1f}",
                     f"{median(done['loaded'], 'competitors_cpu'):.1f}",
                     "ABOVE" if over else "ok"))
    print()
    print(format_table(("notebook", "BLAS threads", "quiet s", "loaded s", "loaded/quiet",
                        "kernel CPU quiet s", "kernel CPU loaded s", "competitors CPU s",
                        f"goal <= {args.goal:g}"), rows))
    competing = args.competitors * competitors.threads
    if competing:
        print(f"\n{args.competitors} competitors x {competitors.threads} thread(s) on {cores} "
              f"cores: a one-thread notebook's fair share gives loaded/quiet of about "
              f"{fair_share(cores, competing):.2f}")
    if above:
        print(f"above the goal of {args.goal:g}: "
              + "; ".join(f"{name} ({setting}) {ratio:.2f}" for name, setting, ratio in above))
    else:
        print(f"every notebook within the goal of {args.goal:g}")
    for failure in failed:
        print(f"FAILED {failure}")
    return 1 if failed or any(setting.startswith("default") for _, setting, _ in above) else 0


if __name__ == "__main__":
    sys.exit(main())
