"""Run a companion lab (notebooks/*.ipynb) top to bottom and read back what it computed.

``run_lab("week1_why_deep_learning.ipynb", names=["accuracies"])`` executes every cell in a
fresh kernel (working directory notebooks/, as a student has it), then one extra cell that
sends the named variables back as JSON (numpy arrays become lists, numpy scalars numbers), so
tests assert on the lab's results rather than on "it ran". The lab notebook itself is not
modified and carries no test code.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "notebooks"

_DUMP = """
import json as _json
import numpy as _np

def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, _np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, _np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)

print("@@LAB@@" + _json.dumps({name: _plain(globals()[name]) for name in %r}))
"""


@dataclass
class LabRun:
    values: dict  # the requested variables, as plain JSON values
    seconds: float  # wall time of the lab's own cells
    notebook: nbformat.NotebookNode  # the executed notebook (outputs included)

    def outputs(self, kind=None):
        """Every output of the lab's own cells, optionally of one output_type."""
        cells = self.notebook.cells[:-1]  # the last cell is the harness's
        return [out for cell in cells if cell.cell_type == "code" for out in cell.outputs
                if kind is None or out.output_type == kind]

    def images(self):
        """The PNG images the lab displayed (figures)."""
        return [out for out in self.outputs() if "image/png" in out.get("data", {})]

    def text(self):
        """Everything the lab printed or displayed as text, joined."""
        parts = []
        for out in self.outputs():
            if out.output_type == "stream":
                parts.append(out.text)
            elif "text/plain" in out.get("data", {}):
                parts.append(out.data["text/plain"])
        return "\n".join(parts)


def run_lab(name, names=(), timeout=300) -> LabRun:
    """Execute notebooks/<name> and return the values of ``names`` and the run time."""
    path = LABS / name
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_DUMP % (list(names),)))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(LABS)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    dump = [out.text for out in nb.cells[-1].outputs if out.output_type == "stream"]
    payload = "".join(dump).split("@@LAB@@", 1)[1]
    return LabRun(json.loads(payload), seconds, nb)


def lab_names():
    """The lab notebooks, sorted by name."""
    return sorted(p.name for p in LABS.glob("*.ipynb"))


def quiz_of(name):
    """The ``quiz`` a lab builds, from its own cell, without running the rest of the lab."""
    nb = nbformat.read(LABS / name, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "quiz = Quiz(" in c.source]
    if len(cells) != 1:
        raise AssertionError(f"{name}: expected one code cell that builds `quiz = Quiz(...)`, "
                             f"found {len(cells)}")
    source = "\n".join(line for line in cells[0].splitlines() if "quiz.show()" not in line)
    namespace = {}
    exec(compile(source, f"{name}:quiz", "exec"), namespace)
    return namespace["quiz"]
