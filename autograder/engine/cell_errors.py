"""The error outputs that ``LimitedExecute`` puts on the cells it stops: nbgrader scores such a
cell like any failed cell (zero for a test cell), and the grading report turns each ``ename`` of
``LIMIT_ERRORS`` into a reason.
"""

from __future__ import annotations

from nbformat.v4 import new_output

NOT_RUN = "NotRun"  # a cell after the kernel died or the notebook's time ran out
KERNEL_DIED = "KernelDied"
OUTPUT_LIMIT = "OutputLimit"
TIME_LIMIT = "CellTimeoutError"  # nbgrader's name for a cell stopped at its time limit
STUCK = "CellNotInterrupted"  # a cell that went on after the interrupt at its time limit
DISK_LIMIT = "DiskLimit"
LIMIT_ERRORS = (NOT_RUN, KERNEL_DIED, OUTPUT_LIMIT, TIME_LIMIT, STUCK, DISK_LIMIT)
SKIPPED_NOTE = ("Grading stopped after the last graded cell ({cell}): the cells from here "
                "on cannot change the score, so they were not run when grading. Run them in "
                "your own notebook.\n")

# A test cell graded with each function on its own (LimitedExecute.grade_functions_alone) whose
# function called one of the graded functions it uses: what the student reads in the feedback.
ALONE_NOTE = ("Graded on its own: in this test, {names} returned the reference solution's "
              "results, so that a mistake there costs only its own test. In your own notebook "
              "this function still calls yours.\n")


def error_output(ename: str, message: str):
    """An error output that nbgrader scores like any failed cell (zero for a test cell)."""
    return new_output("error", ename=ename, evalue=message,
                      traceback=[f"\x1b[0;31m{ename}\x1b[0m: {message}"])


def timeout_message(seconds: int, notebook: bool = False, why: str | None = None) -> str:
    """What a student reads on a cell stopped at a time limit (``why``: how it was set)."""
    how = f": {why}" if why else ""
    limit = (f"the notebook's time limit ({seconds} s in all{how}) ran out in this cell"
             if notebook else f"this cell was stopped at its time limit of {seconds} s"
             + (f" ({why})" if why else ""))
    return (f"{limit}: usually a loop that never ends (a while condition that never changes) "
            "or far more iterations than the exercise asks for")


def cell_name(cells, index: int) -> str:
    """How messages name a cell, never by its number (which a student cannot see in JupyterLab):
    its nbgrader grade id (``test_sigmoid``), else its place under the last heading before it
    (``code cell 2 under "Training the model"``)."""
    grade_id = (cells[index].get("metadata", {}).get("nbgrader") or {}).get("grade_id")
    if grade_id:
        return grade_id
    position = 0
    for cell in reversed(cells[:index + 1]):
        if cell.get("cell_type") == "code":
            position += 1
            continue
        if cell.get("cell_type") != "markdown":
            continue
        headings = [line.lstrip("#").strip() for line in cell.get("source", "").splitlines()
                    if line.startswith("#") and line.lstrip("#").strip()]
        if headings:
            return f'code cell {position} under "{headings[-1]}"'
    return f"code cell {position} of the notebook"
