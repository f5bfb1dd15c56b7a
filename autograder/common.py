"""What the commands share: the course's nbgrader configuration, folders read and written whole,
and the plain-text tables they print."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO_ROOT = Path(__file__).resolve().parents[1]
IGNORED = {".ipynb_checkpoints", "__pycache__"}  # never part of a course folder's files


class CourseError(Exception):
    """The course is broken in a way that the message explains."""


def nbgrader_config(course_dir: Path, config_file: Path) -> Config:
    """The course's nbgrader configuration, pointed at ``course_dir``."""
    config = Config()
    if config_file.exists():
        config.merge(PyFileConfigLoader(config_file.name, str(config_file.parent)).load_config())
    config.CourseDirectory.root = str(course_dir)
    config.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
    return config


def put_python_scripts_on_path() -> None:
    """nbgrader runs `alembic` from PATH: make the scripts beside this Python findable, so that
    `.venv/bin/nndl` works without activating the virtual environment."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def files_of(folder: Path) -> dict[str, Path]:
    """The files of ``folder`` by relative path (checkpoints and caches left out)."""
    return {
        str(p.relative_to(folder)): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not IGNORED.intersection(p.relative_to(folder).parts)
    }


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> content) into ``folder``."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def replace_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Put ``files`` in ``folder`` so that a crash leaves either the old or the new folder."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.parent / f".{folder.name}.new"
    old = folder.parent / f".{folder.name}.old"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    fresh.mkdir(parents=True)
    write_folder(fresh, files)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Columns aligned on the widest entry, a rule under the header; the last column is not
    padded (it may be long)."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(header[:-1])]

    def line(values):
        cells = [v.ljust(w) for v, w in zip(values[:-1], widths, strict=True)]
        return "  ".join([*cells, values[-1]])

    rule = tuple("-" * w for w in widths) + ("-" * len(header[-1]),)
    return "\n".join(line(values) for values in [header, rule, *rows])
