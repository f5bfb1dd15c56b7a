"""Time limits that fit the work: each cell's from the reference solution's measured time.

``nndl verify --record-times`` grades every reference solution, reads how long each code cell up
to the last graded one took (nbclient's timestamps in the autograded notebook) and records the
seconds in the source notebook's metadata (``metadata.nndl.reference_seconds``, keyed by the
cell's nbgrader grade id, else its cell id), from where they reach the release. ``LimitedExecute``
then lets each cell compute ``FACTOR`` times its reference time plus ``CELL_MARGIN`` seconds, and
the whole notebook ``FACTOR`` times the reference's total plus ``NOTEBOOK_MARGIN``: an infinite
loop costs a submission about a minute and a half instead of half an hour, and an honest
solution several times slower than the reference still has room. A cell the record does not
know (one a student added) gets the largest limit of the notebook's cells.

The limits count the kernel's computing (CPU) time, not the clock: on a grader busy with other
work a kernel waits for the processor, and that must never cost an honest submission its points,
nor make the same submission's grade depend on the machine's load. A kernel that waits without
computing is stopped by the idle limit, and the configured wall-clock limits stay behind both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

FACTOR = 10
CELL_MARGIN = 20  # seconds
# After a cell has run out of time (usually a loop that never ends, in a function the later tests
# call again), the later cells get this margin instead, so that the looping function costs each
# of them seconds, not the notebook's whole budget, and the tests that do not call it still run.
MARGIN_AFTER_TIMEOUT = 5  # seconds
NOTEBOOK_MARGIN = 60  # seconds
METADATA = "nndl"
KEY = "reference_seconds"


def explained(notebook: bool = False, after_timeout: bool = False) -> str:
    """How a derived limit was set, for the student's message."""
    if notebook:
        return (f"{FACTOR} times the reference solution's time for the whole notebook, plus "
                f"{NOTEBOOK_MARGIN} s")
    if after_timeout:
        return (f"{FACTOR} times the reference solution's time for this cell, plus "
                f"{MARGIN_AFTER_TIMEOUT} s once an earlier cell has run out of time")
    return f"{FACTOR} times the reference solution's time for this cell, plus {CELL_MARGIN} s"


def cell_key(cell) -> str | None:
    """How the record names a cell: its nbgrader grade id, else its cell id."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return grade_id or cell.get("id")


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def measured(nb, last: int) -> dict[str, float]:
    """Seconds each code cell up to index ``last`` took, from nbclient's timestamps
    (``metadata.execution``) in an executed notebook."""
    seconds = {}
    for cell in nb.cells[:last + 1]:
        timing = cell.get("metadata", {}).get("execution", {})
        key = cell_key(cell)
        start = timing.get("iopub.execute_input") or timing.get("iopub.status.busy")
        end = timing.get("shell.execute_reply") or timing.get("iopub.status.idle")
        if cell.cell_type != "code" or not key or not (start and end):
            continue
        seconds[key] = max(0.0, (_stamp(end) - _stamp(start)).total_seconds())
    return seconds


def record(nb, seconds: dict[str, float]) -> None:
    """Store the reference's seconds per cell in the notebook's metadata (rounded up to a
    tenth of a second, so that re-recording on the same machine rarely changes the file)."""
    nb.metadata.setdefault(METADATA, {})[KEY] = {
        key: math.ceil(value * 10) / 10 for key, value in seconds.items()}


@dataclass
class Limits:
    """The time limits derived from a notebook's record."""

    cells: dict[str, int]
    default: int  # a cell the record does not know
    notebook: int
    seconds: dict[str, float]  # the record

    @classmethod
    def of(cls, nb) -> Limits | None:
        """The limits for notebooks made from ``nb`` (a source notebook), None without a
        record."""
        seconds = nb.get("metadata", {}).get(METADATA, {}).get(KEY)
        if not isinstance(seconds, dict) or not seconds:
            return None
        seconds = {str(key): float(value) for key, value in seconds.items()}
        cells = {key: cell_limit(value) for key, value in seconds.items()}
        return cls(cells, max(cells.values()),
                   math.ceil(FACTOR * sum(seconds.values()) + NOTEBOOK_MARGIN), seconds)

    def for_cell(self, cell, after_timeout: bool = False) -> int:
        if not after_timeout:
            return self.cells.get(cell_key(cell) or "", self.default)
        known = self.seconds.get(cell_key(cell) or "")
        return cell_limit(max(self.seconds.values()) if known is None else known,
                          MARGIN_AFTER_TIMEOUT)


def cell_limit(reference_seconds: float, margin: float | None = None) -> int:
    return math.ceil(FACTOR * reference_seconds + (CELL_MARGIN if margin is None else margin))


def missing(nb, last: int) -> list[str]:
    """Graded code cells of a source notebook that its record does not cover."""
    seconds = nb.get("metadata", {}).get(METADATA, {}).get(KEY) or {}
    return [cell_key(cell) for cell in nb.cells[:last + 1]
            if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get(
                "grade_id") and cell_key(cell) not in seconds]
