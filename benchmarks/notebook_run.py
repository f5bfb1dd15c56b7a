"""Run All of a notebook in a fresh kernel; print wall time, the kernel's CPU time and peak memory.

    python benchmarks/notebook_run.py source/week2/logistic_regression.ipynb [...]

Each notebook runs in its own child process, so the peak resident memory reported (of the
kernel, the largest child of that process) and the CPU time (user + system of the kernel and what
it started) belong to that notebook alone. On a busy machine the CPU time is the steadier
measure: with one BLAS thread (utils.threads) it is close to the wall time on a quiet machine.
benchmarks/load.py runs every notebook with this, on the quiet machine and beside competing load.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _run_here(path: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"notebook": str(path), "seconds": seconds, "peak_mib": usage.ru_maxrss / 1024,
            "cpu_seconds": usage.ru_utime + usage.ru_stime}  # ru_maxrss: KiB on Linux


def run_all(path: str | Path, env: dict[str, str] | None = None) -> dict:
    """Execute a notebook top to bottom (in a child process with the environment ``env``, else
    this one's); returns {"notebook", "seconds", "cpu_seconds", "peak_mib"}."""
    out = subprocess.run([sys.executable, __file__, "--child", str(Path(path).resolve())],
                         capture_output=True, text=True, check=False, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"Run All of {path} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(_run_here(Path(argv[1]))))
        return 0
    for path in argv:
        r = run_all(path)
        print(f"{r['notebook']}: Run All {r['seconds']:.1f} s, kernel CPU "
              f"{r['cpu_seconds']:.1f} s, kernel peak {r['peak_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
