"""The report of ``nndl grade``: the problems an instructor should look at in an autograded
notebook, and the table of a batch (printed, and written as CSV).
"""

from __future__ import annotations

import csv
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.common import format_table
from autograder.engine.cell_errors import (
    DISK_LIMIT,
    KERNEL_DIED,
    NOT_RUN,
    OUTPUT_LIMIT,
    STUCK,
    TIME_LIMIT,
    cell_name,
)


@dataclass
class Row:
    student: str
    score: float
    max_score: float
    seconds: float
    problems: list[str]
    earlier: bool = False  # graded by an earlier run (skipped now)
    worker: str = ""


def cell_problems(path: Path, notebook: str, nb=None) -> list[str]:
    """What an instructor should act on in an autograded notebook (at ``path``, or already
    read as JSON: ``nb``): limits hit, errors outside
    the tests, a blank or nearly blank submission. Cells are named by grade id or heading. A
    cell stopped by ``require_passed`` ("First fix ...") is not a problem of its own: it is
    the knock-on of a failed test, which the scores show."""
    import nbformat

    problems = []
    try:
        if nb is None:
            nb = nbformat.read(path, as_version=4)
        else:  # JSON as saved: sources as lists of lines
            from nbformat.v4.rwbase import rejoin_lines

            nb = rejoin_lines(nbformat.from_dict(nb))
    except Exception as error:  # noqa: BLE001
        return [f"{notebook}: cannot read the autograded notebook ({error})"]
    answered, answers = unanswered_share(nb)
    if answers and not answered:
        problems.append(f"{notebook}: blank (none of its {answers} answer cells written)")
    elif answers >= 4 and answered <= answers // 5:
        problems.append(f"{notebook}: nearly blank ({answered} of {answers} answer cells "
                        "written)")
    not_run = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        names = [o.get("ename") for o in errors]
        if NOT_RUN in names:
            not_run.append(index)
            continue
        where = f"{notebook} {cell_name(nb.cells, index)}"
        if KERNEL_DIED in names and any("processes and threads" in str(o.get("evalue"))
                                        for o in errors):
            problems.append(f"{where}: process limit reached (kernel stopped)")
        elif KERNEL_DIED in names:
            problems.append(f"{where}: the kernel died (exit, crash or memory)")
        elif STUCK in names:
            problems.append(f"{where}: could not be interrupted at the time limit (kernel "
                            "stopped)")
        elif DISK_LIMIT in names:
            problems.append(f"{where}: disk limit exceeded (kernel stopped, its files removed)")
        elif TIME_LIMIT in names:
            problems.append(f"{where}: time limit reached")
        elif "MemoryError" in names or any(  # also when a test reports it in its message
                "MemoryError" in str(o.get("evalue", "")) for o in errors):
            problems.append(f"{where}: MemoryError (memory limit)")
        if OUTPUT_LIMIT in names:
            problems.append(f"{where}: output cut at the output limit")
        if errors and not meta.get("grade") and not {
                KERNEL_DIED, TIME_LIMIT, STUCK, DISK_LIMIT, "MemoryError"} & set(names) and not (
                is_knock_on(errors[0])):
            error = errors[0]
            problems.append(f"{where} (not a test cell): {error.get('ename')}: "
                            f"{short(str(error.get('evalue', '')))}")
    if not_run:
        reason = nb.cells[not_run[0]].outputs[0].get("evalue", "")
        problems.append(f"{notebook}: {len(not_run)} cells from "
                        f"{cell_name(nb.cells, not_run[0])} {reason}")
    return problems


def is_knock_on(error: dict) -> bool:
    """An error output of ``require_passed``: a cell that stopped because a graded function it
    uses has not passed its test."""
    return error.get("ename") == "CheckFailure" and str(error.get("evalue", "")).startswith(
        "First fix ")


def short(message: str, width: int = 100) -> str:
    """The first line of a message, at most ``width`` characters, cut between words."""
    line = (message.strip().splitlines() or [""])[0]
    return textwrap.shorten(line, width, placeholder=" ...")


def unanswered_share(nb) -> tuple[int, int]:
    """(answer cells written, answer cells): an answer cell (nbgrader solution, code) still
    holding the release's ``raise NotImplementedError()`` has not been written."""
    answers = [cell for cell in nb.cells if cell.cell_type == "code"
               and (cell.metadata.get("nbgrader") or {}).get("solution")]
    stub = "raise NotImplementedError()"
    written = [cell for cell in answers
               if not any(line.strip() == stub for line in cell.source.splitlines())]
    return len(written), len(answers)


def format_report(rows: list[Row]) -> str:
    """The table ``nndl grade`` prints."""
    return format_table(("student", "score", "max", "seconds", "problems"), [
        (r.student, f"{r.score:g}", f"{r.max_score:g}", f"{r.seconds:.1f}",
         "; ".join(r.problems) or "-") for r in rows]) + "\n"


def write_csv(rows: list[Row], path: Path) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max_score", "seconds", "problems"])
        for r in rows:
            writer.writerow([r.student, f"{r.score:g}", f"{r.max_score:g}", f"{r.seconds:.2f}",
                             "; ".join(r.problems)])
