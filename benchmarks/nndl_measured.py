"""Run `nndl ...` and record what it cost, kernels included: the benchmarks' probe of nndl grade.

    python benchmarks/nndl_measured.py OUT.json [--sample] [--profile OUT.prof] \\
        -- --root COURSE grade ...

Two processes. The inner one *is* the nndl command (autograder.cli.main, as `python -m
autograder.cli` runs it), so its own resource usage is the coordinator's. The outer one starts
it, becomes a child subreaper (Linux: processes of the tree that lose their parent are adopted
by it rather than by init, so they stay in the tree), reaps every process adopted, and reads the
CPU time of every process of the tree from /proc every TREE_SECONDS, keeping each process's last
value: the coordinator's workers, the kernels' supervisors, bubblewrap, the kernels.

Why not getrusage(RUSAGE_CHILDREN) alone: a sandboxed kernel runs in its own PID namespace, and
when the namespace's first process (bubblewrap's) is stopped before it has waited for the kernel
(nndl grade stops the kernel's whole tree at once), Linux discards the kernel's resource usage
(the namespace's reaper ignores SIGCHLD while it shuts down): measured, most kernels' CPU never
reaches any parent. The tree's CPU from /proc misses only what a process used in its last
TREE_SECONDS, and processes that live less than that (measured without the sandbox, where
getrusage is exact: 4 % less). Both are written, and the larger counts.

Written to OUT.json (seconds):

* ``wall``: from starting the command to its exit; ``launch``: that start, as time.time() (the
  clock of nndl grade's journal);
* ``own``: CPU (user + system) of the nndl process itself, all its threads (the process pool's
  threads that send the jobs and receive the results included), from its own getrusage;
* ``tree_children``: CPU of every other process of the tree, from /proc; ``roles``: the same
  split by kind of process (workers, kernels, supervisors, bwrap, other);
* ``rusage_children``: getrusage(RUSAGE_CHILDREN) of the outer process less ``own``: what the
  processes that were waited for report (lower when kernels' usage was discarded);
* ``children``: the larger of the two, both being lower bounds (without the sandbox, nothing is
  discarded and ``rusage_children`` is exact; with it, ``tree_children`` is the nearer);
* ``subreaper``: whether the outer process became a subreaper; ``left``: processes of the tree
  still running GRACE_SECONDS after the command ended (not waited for);
* ``status``: the command's exit status.

With ``--sample``, the outer process also follows the nndl process's main thread (from another
process, so that it never holds the command's GIL), every SAMPLE_SECONDS: the scheduler's own
counts of its seconds on a CPU and waiting for one (/proc/PID/task/PID/schedstat: exact), and
its state (/proc/PID/task/PID/stat: R running or runnable, D waiting for the disk, as fsync and
sqlite do, S sleeping: waiting for a worker's result, a lock, a timer). Adds ``samples``: for
each second since the start, [samples in R, samples in D, all samples, and at the last sample:
the nndl process's CPU seconds, its main thread's seconds on a CPU, and waiting for one];
``main_on_cpu``, ``main_waiting_for_cpu``: the main thread's totals; ``main_disk``: its seconds
in D (the share of samples in D, times ``wall``: sampled, the others are exact); ``busy``: the
main thread's wall time not spent waiting for the workers (on a CPU + waiting for one + in D;
without schedstat: the share of samples in R or D, times ``wall``).

With ``--profile``, the command runs under cProfile (its main thread only) and the statistics are
dumped to that file. Linux only (/proc).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys
import time
from pathlib import Path

SAMPLE_SECONDS = 0.002  # the main thread's state, with --sample
TREE_SECONDS = 0.1  # every process's CPU time
GRACE_SECONDS = 10.0  # waiting for the tree's last processes after the command has ended
PR_SET_CHILD_SUBREAPER = 36
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# a process's kind: the first key found in its command line (a supervisor's and bubblewrap's
# command lines hold the kernel's)
ROLES = (("autograder.engine.supervisor", "supervisors"), ("bwrap", "bwrap"),
         ("ipykernel", "kernels"), ("multiprocessing", "workers"))


def inner(out: str, profile_path: str | None, command: list[str]) -> int:
    """The nndl command itself; writes its own CPU time to ``out``."""
    from autograder import cli

    status = 1
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
    try:
        status = profiler.runcall(cli.main, command) if profiler else cli.main(command)
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF)
        if profiler:
            profiler.dump_stats(profile_path)
        with open(out, "w") as f:
            json.dump({"self_user": own.ru_utime, "self_system": own.ru_stime,
                       "status": status}, f)
    return status


def become_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def stat_fields(data: bytes) -> list[bytes]:
    """The fields of /proc/PID/stat after the command name: state, ppid, ... (utime is [11],
    stime [12], starttime [19])."""
    return data[data.rindex(b")") + 2:].split()


class Tree:
    """The CPU time of every process below this one, each process's last value kept."""

    def __init__(self, exclude: int):
        self.exclude = exclude  # the nndl process: its own CPU is measured exactly
        self.cpu: dict[tuple[int, bytes], float] = {}
        self.role: dict[tuple[int, bytes], str] = {}

    def sample(self) -> None:
        parent, seen = {}, {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = stat_fields(f.read())
            except (OSError, ValueError):
                continue
            pid = int(entry.name)
            parent[pid] = int(fields[1])
            seen[pid] = (fields[19], (int(fields[11]) + int(fields[12])) / TICK)
        me, tree = os.getpid(), set()
        for pid in seen:
            chain, p = [], pid
            while p in parent and p not in tree and p != me and p > 1:
                chain.append(p)
                p = parent[p]
            if p == me or p in tree:
                tree.update(chain)
        for pid in tree - {self.exclude}:
            start, cpu = seen[pid]
            key = (pid, start)
            self.cpu[key] = cpu
            if key not in self.role or self.role[key] == "other":
                self.role[key] = self._role(pid)

    @staticmethod
    def _role(pid: int) -> str:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return "other"
        return next((role for key, role in ROLES if key in command), "other")

    def roles(self) -> dict[str, float]:
        split = dict.fromkeys([role for _, role in ROLES] + ["other"], 0.0)
        for key, cpu in self.cpu.items():
            split[self.role[key]] += cpu
        return split


def children_left() -> int:
    """This process's children, from /proc (Linux)."""
    me, count = os.getpid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    count += int(stat_fields(f.read())[1]) == me
            except (OSError, ValueError):
                continue
    return count


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inner"]:
        options = argv[:argv.index("--")]
        profile = options[options.index("--profile") + 1] if "--profile" in options else None
        return inner(argv[1], profile, argv[argv.index("--") + 1:])
    if "--" not in argv or not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    out, options, command = argv[0], argv[1:argv.index("--")], argv[argv.index("--") + 1:]
    inner_out = f"{out}.inner"
    profile = ["--profile", options[options.index("--profile") + 1]] if (
        "--profile" in options) else []
    subreaper = become_subreaper()

    start, launch = time.monotonic(), time.time()
    main_pid = os.posix_spawn(sys.executable, [
        sys.executable, os.path.abspath(__file__), "--inner", inner_out, *profile, "--",
        *command], os.environ)
    tree = Tree(exclude=main_pid)
    thread = process = schedstat = None
    if "--sample" in options:
        try:
            thread = os.open(f"/proc/{main_pid}/task/{main_pid}/stat", os.O_RDONLY)
            process = os.open(f"/proc/{main_pid}/stat", os.O_RDONLY)
        except OSError:
            thread = None
        try:
            schedstat = os.open(f"/proc/{main_pid}/task/{main_pid}/schedstat", os.O_RDONLY)
        except OSError:
            pass
    bins: dict[int, list] = {}
    status, ended, left, next_tree = 1, None, 0, 0.0
    while True:
        now = time.monotonic()
        if now >= next_tree:
            tree.sample()
            next_tree = now + TREE_SECONDS
        if thread is not None and ended is None:
            try:
                state_line, whole = os.pread(thread, 1024, 0), os.pread(process, 1024, 0)
                state, fields = stat_fields(state_line)[0], stat_fields(whole)
                if state not in (b"Z", b"X"):
                    counts = bins.setdefault(int(now - start), [0, 0, 0, 0.0, 0.0, 0.0])
                    counts[0] += state == b"R"
                    counts[1] += state == b"D"
                    counts[2] += 1
                    counts[3] = (int(fields[11]) + int(fields[12])) / TICK
                    if schedstat is not None:  # ns on a CPU, ns waiting for one
                        on_cpu, queued = os.pread(schedstat, 256, 0).split()[:2]
                        counts[4], counts[5] = int(on_cpu) / 1e9, int(queued) / 1e9
            except (OSError, ValueError):
                pass
        try:  # reap what has ended: the command, and processes the tree left to this one
            while True:
                pid, wait_status, _ = os.wait4(-1, os.WNOHANG)
                if pid == 0:
                    break
                if pid == main_pid:
                    status, ended = os.waitstatus_to_exitcode(wait_status), time.monotonic()
        except ChildProcessError:
            break  # no process left
        if ended is not None and time.monotonic() - ended > GRACE_SECONDS:
            left = children_left()
            break
        time.sleep(SAMPLE_SECONDS if thread is not None and ended is None else 0.02)
    if ended is None:
        ended = time.monotonic()
    wall = ended - start
    everything = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        mine = json.loads(Path(inner_out).read_text())
        Path(inner_out).unlink()
    except (OSError, ValueError):
        mine = {"self_user": 0.0, "self_system": 0.0}
    own = mine["self_user"] + mine["self_system"]
    roles = tree.roles()
    waited = everything.ru_utime + everything.ru_stime - own
    record = {"wall": wall, "launch": launch, "own": own,
              "children": max(sum(roles.values()), waited), "roles": roles,
              "tree_children": sum(roles.values()), "rusage_children": waited,
              "subreaper": subreaper, "left": left, "status": status}
    if thread is not None:
        total = sum(c[2] for c in bins.values())
        record["samples"] = bins
        record["busy"] = None
        if total:
            running, disk = (sum(c[i] for c in bins.values()) / total for i in (0, 1))
            record["main_disk"] = wall * disk
            record["busy"] = wall * (running + disk)
            if schedstat is not None:
                last = bins[max(bins)]
                record["main_on_cpu"], record["main_waiting_for_cpu"] = last[4], last[5]
                record["busy"] = last[4] + last[5] + record["main_disk"]
    with open(out, "w") as f:
        json.dump(record, f)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
