"""Start a kernel with limits: ``python -m autograder.kernel_limits --memory=MiB --threads=N
[--sandbox=DIR] -- COMMAND...`` sets the limits on this process, then replaces it with COMMAND
(the kernel), run inside a bubblewrap sandbox when --sandbox is given.

--memory  address space of the kernel in MiB (RLIMIT_AS; 0: unchanged): numpy raises
          MemoryError instead of the machine swapping or another process being killed
--threads BLAS/OpenMP threads (0: unchanged), so that parallel kernels share the cores
--sandbox the kernel's private folder (sockets, settings); the kernel runs in
          ``autograder.sandbox`` with the current directory as its only writable working copy,
          and files it writes are limited to FILE_LIMIT bytes each
--hide    a folder the sandbox must not show (repeatable; the source notebooks)
"""

from __future__ import annotations

import argparse
import os
import sys

GRADING_KERNEL = "NNDL_GRADING_KERNEL"
FILE_LIMIT = 1024 * 1024 * 1024
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder.kernel_limits")
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--sandbox", default="")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the kernel's command after --")
    if args.memory > 0:
        try:
            import resource
        except ImportError:  # not on Windows: run without the limit
            resource = None
        if resource is not None:
            limit = args.memory * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Reference solutions are never available in a grading kernel (autograder.reference checks).
    os.environ[GRADING_KERNEL] = "1"
    if args.threads > 0:
        for name in THREAD_VARIABLES:
            os.environ[name] = str(args.threads)
    if args.sandbox:
        from pathlib import Path

        from autograder import sandbox

        try:
            import resource
        except ImportError:
            resource = None
        if resource is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
        command = sandbox.command(command, Path.cwd(), Path(args.sandbox),
                                  [Path(p) for p in args.hide])
        # An interrupt (SIGINT to the process group) is for the kernel, which sets its own
        # handler while it runs a cell; bwrap's processes, which would exit, ignore it.
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
