"""Start a kernel with limits: ``python -m autograder.kernel_limits --memory=MiB --threads=N --
COMMAND...`` sets the limits on this process, then replaces it with COMMAND (the kernel).

--memory  address space of the kernel in MiB (RLIMIT_AS; 0: unchanged): numpy raises
          MemoryError instead of the machine swapping or another process being killed
--threads BLAS/OpenMP threads (0: unchanged), so that parallel kernels share the cores
"""

from __future__ import annotations

import argparse
import os
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder.kernel_limits")
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
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
    if args.threads > 0:
        for name in THREAD_VARIABLES:
            os.environ[name] = str(args.threads)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
