"""What crosses between the coordinator and the workers: plain, picklable data. A job is one
submission's files and the course's settings; a result is its grades, comments and autograded
files, and the problems an instructor should look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

JOURNAL_DIR = Path(".nndl") / "grade"  # in the course directory: journals and logs of batches


@dataclass
class Job:
    assignment: str
    student: str
    files: dict[str, bytes]  # the submission folder: relative path -> content
    template_db: bytes  # a gradebook with the assignment and no student
    config_text: str  # the course's nbgrader_config.py
    course_id: str
    limits: dict  # LimitedExecute's traits set by nndl grade's options
    notes: list[str] = field(default_factory=list)  # what intake found (links, copies, cap)
    placed_at: str | None = None  # ISO time the files were placed, when no timestamp.txt
    digest: str = ""  # of the submission folder as read


@dataclass
class Result:
    student: str
    digest: str = ""
    grades: list[dict] = field(default_factory=list)  # notebook, name, auto_score, max, manual
    comments: list[dict] = field(default_factory=list)
    notebooks: list[dict] = field(default_factory=list)  # name, late_submission_penalty
    timestamp: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # the autograded folder
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    worker: str = ""  # host:pid of the process that graded it

    @property
    def score(self) -> float:
        return sum(g["auto_score"] or 0.0 for g in self.grades)

    @property
    def max_score(self) -> float:
        return sum(g["max_score"] for g in self.grades)
