"""Start a grading kernel with limits: ``python -m autograder.engine.supervisor --private=DIR
[options] -- COMMAND...`` runs COMMAND (the kernel) with the limits below, in the current
directory (the submission's working copy).

--private DIR  the kernel's private folder: its HOME, temporary folder and every settings folder
               (IPython, Jupyter, matplotlib, caches) point into it, so nothing the kernel
               writes there reaches the grader's own settings; the grader deletes it afterwards
--memory MiB   address space (RLIMIT_AS): numpy raises MemoryError instead of the machine swapping
--disk BYTES   largest file the kernel may write (RLIMIT_FSIZE); the grader watches the total
--processes N  processes and threads of the kernel's tree: RLIMIT_NPROC, or the cgroup given by
               --cgroup when the grader is root (RLIMIT_NPROC does not apply to root)
--threads N    BLAS/OpenMP threads, so that parallel kernels share the cores
--sandbox      run COMMAND in ``autograder.engine.sandbox`` (bubblewrap); without it, on Linux,
               writes outside the working copy and the private folder are refused
               (``autograder.engine.landlock``)
--hide DIR     a folder the sandbox must not show (repeatable; the source notebooks)

The environment is an allow-list (``ALLOWED``): the grader's other variables (tokens, keys,
passwords) never reach the kernel. On Linux this process stays as the kernel's supervisor: a
child subreaper, so that processes the kernel starts in new sessions or by double forks stay in
its tree, ended when the kernel ends (and by the grader, ``autograder.engine.processes.end_tree``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from pathlib import Path

GRADING_KERNEL = "NNDL_GRADING_KERNEL"
# utils.threads reads NNDL_THREADS (one thread unless told otherwise); libraries loaded before it
# read the others.
THREAD_VARIABLES = ("NNDL_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# What Python, numpy, matplotlib and ipykernel need from the grader's environment; nothing else
# passes. (OPENBLAS_CORETYPE/L2_SIZE: set on processors where older OpenBLAS builds fail.)
ALLOWED = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "PYTHONPATH", "PYTHONHOME",
           "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
           "VIRTUAL_ENV", "CONDA_PREFIX", "NNDL_DATA_DIR", "OPENBLAS_CORETYPE",
           "OPENBLAS_L2_SIZE", "JPY_PARENT_PID", "JPY_SESSION_NAME",
           "PYDEVD_DISABLE_FILE_VALIDATION", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR",
           *THREAD_VARIABLES)
ALLOWED_PREFIXES = ("LC_",)
PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG = 36, 1


def environment(private: str, base: dict[str, str], threads: int = 0,
                sandboxed: bool = False, alone: bool = False) -> dict[str, str]:
    """The kernel's environment: the allowed variables of ``base``, and its own folders."""
    env = {k: v for k, v in base.items() if k in ALLOWED or k.startswith(ALLOWED_PREFIXES)}
    tmp = "/tmp" if sandboxed else os.path.join(private, "tmp")
    env.update({
        "HOME": private, "USERPROFILE": private,
        "TMPDIR": tmp, "TMP": tmp, "TEMP": tmp,
        "IPYTHONDIR": os.path.join(private, "ipython"),
        "MPLCONFIGDIR": os.path.join(private, "matplotlib"),
        "JUPYTER_RUNTIME_DIR": os.path.join(private, "runtime"),
        "JUPYTER_CONFIG_DIR": os.path.join(private, "jupyter"),
        "JUPYTER_DATA_DIR": os.path.join(private, "jupyter-data"),
        "XDG_CONFIG_HOME": os.path.join(private, "config"),
        "XDG_CACHE_HOME": os.path.join(private, "cache"),
        "XDG_DATA_HOME": os.path.join(private, "data"),
        "APPDATA": os.path.join(private, "config"),
        "LOCALAPPDATA": os.path.join(private, "cache"),
        # Reference solutions are never available in a grading kernel (autograder.hidden.reference).
        GRADING_KERNEL: "1",
    })
    if alone:  # each function graded on its own (autograder.hidden.references)
        from autograder.hidden.kernel import ALONE_VARIABLE

        env[ALONE_VARIABLE] = "1"
    env.setdefault("PATH", os.defpath)
    if threads > 0:
        env.update({name: str(threads) for name in THREAD_VARIABLES})
    return env


def private_folders(private: str) -> list[str]:
    return [os.path.join(private, name) for name in (
        "tmp", "ipython", "matplotlib", "runtime", "jupyter", "jupyter-data", "config", "cache",
        "data")]


def prepare_private_dir(private_dir: Path) -> None:
    """The kernel's private folder (sandboxed or not): its settings folders, and matplotlib's
    font cache copied in, so that no kernel rebuilds it."""
    for folder in private_folders(str(private_dir)):
        Path(folder).mkdir(parents=True, exist_ok=True)
    try:
        import matplotlib

        cache = Path(matplotlib.get_cachedir())
    except Exception:  # noqa: BLE001 (no cache to copy: matplotlib builds one)
        return
    for font_list in cache.glob("fontlist-*.json"):
        shutil.copy2(font_list, private_dir / "matplotlib" / font_list.name)


def _set_limit(name: str, value: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no resource limits
        return
    if value > 0:
        limit = getattr(resource, name)
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, value))


def _prctl(option: int, value: int) -> bool:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _limit_self(args) -> None:
    """The limits the kernel runs under, set on this process before it becomes the kernel."""
    _set_limit("RLIMIT_AS", args.memory * 1024 * 1024)
    _set_limit("RLIMIT_FSIZE", args.disk)
    if args.cgroup:
        from autograder.engine import processes

        processes.join(args.cgroup)
    elif args.processes > 0 and hasattr(os, "getuid") and os.getuid() != 0:
        from autograder.engine import processes

        _set_limit("RLIMIT_NPROC", processes.tasks_of(os.getuid()) + args.processes)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder.engine.supervisor")
    parser.add_argument("--private", required=True)
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--disk", type=int, default=0)
    parser.add_argument("--processes", type=int, default=0)
    parser.add_argument("--cgroup", default="")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--sandbox", action="store_true")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--alone", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the kernel's command after --")
    env = environment(args.private, dict(os.environ), args.threads, args.sandbox, args.alone)
    for folder in private_folders(args.private):
        os.makedirs(folder, exist_ok=True)
    if args.sandbox:
        from pathlib import Path

        from autograder.engine import sandbox

        command = sandbox.command(command, Path.cwd(), Path(args.private),
                                  [Path(p) for p in args.hide], tmp_size=args.disk)
    # An interrupt (SIGINT to the process group) is for the kernel, which sets its own handler
    # while it runs a cell; this supervisor and bwrap, which would exit, ignore it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux") or not _prctl(PR_SET_CHILD_SUBREAPER, 1):
        _limit_self(args)
        _restrict_writes(args)
        os.execvpe(command[0], command, env)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the kernel's to handle; we follow it
    _limit_self(args)  # the cgroup and limits hold for this supervisor too
    kernel = os.fork()
    if kernel == 0:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the supervisor killed: so is the kernel
        if not args.sandbox:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _restrict_writes(args)
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    sys.exit(supervise(kernel))


def _restrict_writes(args) -> None:
    if args.sandbox:
        return
    from autograder.engine import landlock

    landlock.restrict_writes([os.getcwd(), args.private])


def supervise(kernel: int) -> int:
    """Reap every child (orphans included) until the kernel exits; then end what it left
    running, and return the kernel's exit status."""
    status = 1
    while True:
        try:
            pid, code = os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid == kernel:
            status = os.waitstatus_to_exitcode(code)
            break
    from autograder.engine import processes

    processes.end_tree(os.getpid(), include_root=False)
    while True:  # reap what was killed
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    main(sys.argv[1:])
