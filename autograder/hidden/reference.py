"""Reference solutions, taken from the source notebooks themselves, and hidden-test checks.

The source notebook's ``### BEGIN SOLUTION`` cells are the single source of truth: a hidden test
cell asks for the reference function by name, and this module executes the solution cells (and
the import-only cells) of that notebook in a fresh namespace. Nothing is kept in a second copy.
"""

from __future__ import annotations

import ast
import copy
import os
import zlib
from functools import lru_cache
from pathlib import Path

import nbformat
import numpy as np

from utils.checks import ATOL, RTOL, CheckFailure, call, check_output

REPO_ROOT = Path(__file__).resolve().parents[2]


def source_dir() -> Path:
    """The folder with the source notebooks: $NNDL_SOURCE_DIR, else the repository's source/."""
    env = os.environ.get("NNDL_SOURCE_DIR")
    return Path(env) if env else REPO_ROOT / "source"


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def last_graded_cell(nb) -> int:
    """The index of the notebook's last graded cell (a test, an answer or a task), where
    grading and validation stop; past the end when it has none."""
    graded = [i for i, cell in enumerate(nb.cells) if {"grade", "solution", "task"} & {
        key for key, value in nbgrader_meta(cell).items() if value}]
    return max(graded, default=len(nb.cells))


def is_solution_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution")) and not meta.get("grade")


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_import_cell(cell) -> bool:
    """A code cell made only of import statements (and comments)."""
    if cell.cell_type != "code" or not cell.source.strip():
        return False
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return False
    return all(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body)


def _resolve(notebook: str | Path) -> Path:
    path = Path(notebook)
    return path if path.is_absolute() else source_dir() / path


def read_notebook(notebook: str | Path):
    """Read a source notebook given relative to source_dir() (e.g. "week1/numpy_basics.ipynb")."""
    if os.environ.get("NNDL_GRADING_KERNEL"):
        raise PermissionError(
            "reference solutions are not available in a grading kernel: hidden tests are "
            "compared by the grader (autograder.hidden.judge)")
    path = _resolve(notebook)
    if not path.exists():
        raise FileNotFoundError(
            f"source notebook {path} not found: hidden tests read the reference solution from "
            f"it (set NNDL_SOURCE_DIR to the course's source/ folder)."
        )
    return nbformat.read(path, as_version=4)


@lru_cache(maxsize=16)
def reference_namespace(path: str, mtime: float) -> dict:
    nb = read_notebook(path)
    namespace: dict = {"__name__": "reference"}
    for cell in nb.cells:
        if is_import_cell(cell) or is_solution_cell(cell):
            exec(compile(cell.source, f"<reference {Path(path).name}>", "exec"), namespace)
    return namespace


def reference(notebook: str | Path, name: str):
    """The reference object (usually a function) called ``name`` in a source notebook."""
    path = _resolve(notebook)
    namespace = reference_namespace(str(path), path.stat().st_mtime if path.exists() else 0.0)
    if name not in namespace:
        raise KeyError(f"the solution cells of {path} define no {name!r}")
    return namespace[name]


def fixed_seed(notebook: str | Path, name: str) -> int:
    """A seed that depends only on the notebook's name and the tested function's name."""
    return zlib.crc32(f"{Path(notebook).as_posix()}:{name}".encode())


def compare_to_reference(student_fn, notebook, name, make_args, trials=5, rtol=RTOL, atol=ATOL,
                         seed=None, seed_global=False, keepdims_hint=True):
    """Hidden test: the student's function agrees with the reference on random inputs.

    Arguments:
    student_fn -- the student's function
    notebook -- the source notebook holding the reference, relative to source/
    name -- the reference function's name in that notebook
    make_args -- callable(rng) -> tuple of positional arguments (new shapes and values each call)
    trials -- how many random inputs to try
    seed -- seed of the random generator; when None, a fixed seed derived from the notebook and
            the function's name, so that the same submission always gets the same grade
    seed_global -- for functions that draw from np.random: seed it identically before the
                   reference and the student's call
    keepdims_hint -- False leaves keepdims advice out of shape messages (see utils.checks)
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    ref_fn = reference(notebook, name)
    seed = fixed_seed(notebook, name) if seed is None else seed
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        args = make_args(rng)
        global_seed = int(rng.integers(2**31))
        if seed_global:
            np.random.seed(global_seed)
        expected = ref_fn(*copy.deepcopy(args))
        try:
            if seed_global:
                np.random.seed(global_seed)
            result = call(student_fn, *args, name=name)
            check_output(result, expected, f"{name} on random input", rtol=rtol, atol=atol,
                         keepdims_hint=keepdims_hint)
        except AssertionError as exc:
            raise CheckFailure(
                f"{exc}\n(hidden test: trial {trial + 1} of {trials}, seed {seed})"
            ) from None

