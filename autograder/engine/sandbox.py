"""A grading kernel in a bubblewrap sandbox: what it may see, write and reach.

``command(kernel_argv, workdir, private_dir)`` wraps a kernel's command line in ``bwrap``
(Debian's ``bubblewrap``) so that the student's code:

* sees, read-only, only the system (``/usr`` and a few files of ``/etc``), the Python
  installation, and the course's ``utils``, ``autograder`` and ``datasets`` folders: not
  ``source/`` (the solutions), not the gradebook, not other students' folders, not the home
  directory;
* writes only to its own working copy of the submission (``workdir``), a private ``/tmp`` of
  limited size, and the kernel's private folder (its connection sockets, IPython's and
  matplotlib's settings), which the grader deletes afterwards;
* has no network (its own empty network namespace; the kernel talks to the grader through Unix
  sockets in the private folder), no view of other processes (its own PID namespace), and runs
  as an unprivileged user id mapped by a user namespace.

Memory, file size and thread limits are set by ``autograder.engine.supervisor`` before it starts
bwrap; they hold inside.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Files of /etc a Python kernel with numpy and matplotlib needs; nothing else of /etc is visible.
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "fonts", "localtime",
       "mime.types", "nsswitch.conf", "ssl", "ca-certificates")
SYSTEM = ("/usr", "/opt/conda")
TMP_SIZE = 512 * 1024 * 1024  # bytes of the sandbox's /tmp (held in memory)
INSTALL = ("sudo apt-get install bubblewrap (Debian, Ubuntu), or your system's bubblewrap "
           "package")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


def bwrap() -> str | None:
    """The bwrap program, or None."""
    return shutil.which("bwrap")


def _course_paths() -> list[Path]:
    """Where the kernel imports the course's helpers from and reads its data sets."""
    import autograder
    import utils

    paths = {Path(utils.__file__).resolve().parent, Path(autograder.__file__).resolve().parent}
    data = REPO_ROOT / "datasets"
    if data.is_dir():
        paths.add(data)
    env_data = os.environ.get("NNDL_DATA_DIR")
    if env_data and Path(env_data).is_dir():
        paths.add(Path(env_data).resolve())
    return sorted(paths)


def _python_paths() -> list[Path]:
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
             Path(sys.base_exec_prefix), Path(sys.executable).resolve().parents[1]}
    paths |= {Path(p).resolve() for p in sys.path if p and Path(p).is_dir()
              and not Path(p).resolve().is_relative_to(Path.cwd().resolve())}
    return sorted(p for p in paths if p.exists())


def _exposes(path: Path, secrets: list[Path]) -> bool:
    """Whether binding ``path`` would show one of ``secrets`` (it is one of them or holds one)."""
    return any(secret == path or secret.is_relative_to(path) for secret in secrets)


def _minimal(paths: list[Path]) -> list[Path]:
    """Drop the paths that lie inside another one of the list."""
    result: list[Path] = []
    for path in sorted(set(paths), key=lambda p: len(p.parts)):
        if not any(path.is_relative_to(kept) for kept in result):
            result.append(path)
    return result


def command(kernel: list[str], workdir: Path, private_dir: Path,
            hidden: list[Path] = (), tmp_size: int = 0) -> list[str]:
    """``kernel``'s command line, run inside a sandbox (see the module's docstring).

    ``hidden``: folders that must stay out of sight even when a folder the kernel needs holds
    them (the grader passes the source notebooks' folder). ``tmp_size``: bytes of the private
    ``/tmp`` (held in memory; default ``TMP_SIZE``). The environment is the caller's
    (``autograder.engine.supervisor`` gives the kernel an allow-list with its private folders).
    """
    program = bwrap()
    if program is None:
        raise SandboxUnavailable(f"bubblewrap (bwrap) is not installed: {INSTALL}")
    workdir, private_dir = workdir.resolve(), private_dir.resolve()
    args = [program, "--unshare-all", "--unshare-user", "--die-with-parent",
            "--uid", "1000", "--gid", "1000", "--proc", "/proc", "--dev", "/dev",
            "--size", str(tmp_size or TMP_SIZE), "--tmpfs", "/tmp"]
    for link in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind", link, link]
    # Never bound, not even as part of a larger folder: the solutions, and the folders around
    # the submission (the course directory, other students, the gradebook).
    secrets = [Path(p).resolve() for p in hidden] + list(workdir.parents)[:-1]
    readable = [Path(p) for p in SYSTEM if os.path.isdir(p)]
    readable += [p for p in (*_python_paths(), *_course_paths()) if not _exposes(p, secrets)]
    for path in _minimal(readable):
        if not path.is_relative_to("/usr") or str(path) == "/usr":
            args += ["--ro-bind", str(path), str(path)]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    # The kernel's connection file, where the kernel manager wrote it (the kernel may write
    # it again, with the keys it was given).
    for i, arg in enumerate(kernel[:-1]):
        if arg in ("-f", "--f", "--connection-file"):
            connection = Path(kernel[i + 1]).resolve()
            if not connection.is_relative_to(private_dir):
                args += ["--bind", str(connection), str(connection)]
    args += ["--bind", str(private_dir), str(private_dir),
             "--bind", str(workdir), str(workdir), "--chdir", str(workdir),
             "--setenv", "TMPDIR", "/tmp", "--unsetenv", "NNDL_SOURCE_DIR",
             # Inside, the kernel's parent is the sandbox's init: ipykernel would watch it and
             # exit at once. "1" turns the watch off (quietly); --die-with-parent stops the
             # kernel when the grader goes.
             "--setenv", "JPY_PARENT_PID", "1",
             "--"]
    return args + kernel


_PROBE: dict[str, str | None] = {}


def problem() -> str | None:
    """Why kernels cannot be sandboxed here (bwrap missing or refused), or None if they can."""
    import subprocess

    program = bwrap()
    if program is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL}"
    if program not in _PROBE:
        probe = subprocess.run(
            [program, "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
             "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
            capture_output=True, text=True, timeout=60)
        _PROBE[program] = None if probe.returncode == 0 else (
            f"{program} cannot create its namespaces here ({probe.stderr.strip()[:200]}): "
            "unprivileged user namespaces must be allowed (sysctl "
            "kernel.unprivileged_userns_clone=1, or a container run with them)")
    return _PROBE[program]
