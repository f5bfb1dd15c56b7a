"""The report of ``nndl grade``: the problems an instructor should look at in an autograded
notebook, and the table of a batch (printed, and written as CSV).
"""

from __future__ import annotations

import csv
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


def cell_problems(path: Path, notebook: str) -> list[str]:
    """What an instructor should see in an autograded notebook: limits hit, errors outside tests."""
    import nbformat

    problems = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001
        return [f"{notebook}: cannot read the autograded notebook ({error})"]
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
        where = f"{notebook} cell {index}"
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
                KERNEL_DIED, TIME_LIMIT, STUCK, DISK_LIMIT, "MemoryError"} & set(names):
            error = errors[0]
            problems.append(f"{where} (not a test cell): {error.get('ename')}: "
                            f"{str(error.get('evalue', ''))[:80]}")
    if not_run:
        reason = nb.cells[not_run[0]].outputs[0].get("evalue", "")
        problems.append(f"{notebook}: {len(not_run)} cells from cell {not_run[0]} {reason}")
    return problems


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
