"""The instructor's workflow as README's "For instructors" tells it, on a fresh copy of the course:
the roster, generate, release, two students fetch and submit, collect, autograde, feedback, export.

The whole flow is one test (the steps depend on each other); every command is README's, run
with nbgrader's own command line in the copy, and must print no warning an instructor cannot act
on (checked after each command, so that a broken configuration stops the test before anything is
released outside the copy). A second test checks that what quiets the hidden tests' checksum
warning still reports a test cell a student changed.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import nbformat
import pytest
from catalogue.week1 import MISTAKES
from support import grading_corpus as gc
from traitlets.config.loader import PyFileConfigLoader

from autograder import course as nndl_course

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT, NOTEBOOK = "week1", "numpy_basics"
FULL_MARKS = 9

# The class, in README's order; the students' part comes between the first two and the rest.
INSTRUCTOR_COMMANDS = [
    "nbgrader db student import roster.csv",
    "nbgrader generate_assignment week1 --force",
    "nbgrader release_assignment week1",
    "nbgrader collect week1",
    "nbgrader autograde week1",
    "nbgrader generate_feedback week1",
    "nbgrader export",
]
STUDENT_COMMANDS = ["nbgrader fetch_assignment week1", "nbgrader submit week1"]

# Output an instructor cannot act on, and signs that nbgrader_config.py did not load or a step
# went wrong.
NOISE = {
    "hidden tests' checksum warning": r"Attribute 'checksum' for cell \S+ has changed",
    "SQLAlchemy warning": r"SAWarning",
    "kernel's TCP warning": r"TCP without encryption",
    "nbconvert's alt text warning": r"Alternative text is missing",
    "broken nbgrader_config.py": r"Exception while loading config file",
    "error": r"\| ERROR\]|Traceback",
}

# What the formgrader sees: nbgrader's API with the configuration it loads from the directory the
# server runs in (`nndl lab --instructor` runs it in the course directory).
FORMGRADER_VIEW = """
from nbgrader.apps import NbGraderAPI
from nbgrader.apps.baseapp import NbGrader
from nbgrader.coursedir import CourseDirectory

app = NbGrader()
app.load_config_file()
api = NbGraderAPI(CourseDirectory(config=app.config), config=app.config)
print(api.exchange_root)
print(api.get_assignment("week1")["status"])
"""


def instructors_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("\n## For instructors\n", 1)[1].split("\n## ", 1)[0]


def readme_commands(section: str) -> list[str]:
    """The nbgrader commands of the section's code block that runs a class, comments dropped."""
    block = next(b for b in re.findall(r"```bash\n(.*?)```", section, re.S)
                 if "generate_assignment" in b)
    return [line.split("#")[0].strip() for line in block.splitlines()
            if line.startswith("nbgrader ")]


def students_config(section: str, exchange: Path) -> str:
    """README's ~/.jupyter/nbgrader_config.py for students, with this course's exchange."""
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert 'c.CourseDirectory.course_id = "nndl"' in block
    config, found = re.subn(r'(c\.Exchange\.root = )"[^"]*"',
                            lambda m: f"{m.group(1)}{str(exchange)!r}", block)
    assert found == 1, block
    return config


def copy_course(target: Path) -> None:
    """The files a fresh clone has (tracked, plus new files not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


class Shell:
    """Runs README's commands as one person (own HOME); checks each command's output."""

    def __init__(self, home: Path, course: Path):
        home.mkdir(parents=True, exist_ok=True)
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        self.env.update(
            HOME=str(home),
            PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
            # README: set NNDL_SOURCE_DIR when grading from a copy of the course
            NNDL_SOURCE_DIR=str(course / "source"),
            # matplotlib's font cache, built once already, rather than once per fresh HOME
            MPLCONFIGDIR=os.environ.get("MPLCONFIGDIR") or matplotlib.get_configdir(),
        )

    def start(self, command: str, cwd: Path, *extra: str):
        args = shlex.split(command)
        assert args[0] == "nbgrader", command
        process = subprocess.Popen([sys.executable, "-m", "nbgrader", *args[1:], *extra],
                                   cwd=cwd, env=self.env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        return " ".join([command, *extra]), process

    @staticmethod
    def finish(started) -> str:
        """Wait for a command; it must succeed and print nothing an instructor cannot act on."""
        command, process = started
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, f"`{command}` failed:\n{output}"
        found = noise(output)
        assert not found, f"`{command}` printed:\n" + "\n".join(found)
        return output

    def run(self, command: str, cwd: Path, *extra: str) -> str:
        return self.finish(self.start(command, cwd, *extra))

    def formgrader_view(self, course: Path) -> list[str]:
        done = subprocess.run([sys.executable, "-c", FORMGRADER_VIEW], cwd=course, env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and not noise(done.stderr), done.stdout + done.stderr
        return done.stdout.split()


def complete(notebook: Path, replace: dict[str, str]) -> None:
    """Write the reference solution into every solution cell, or ``replace[grade_id]``."""
    nb = nbformat.read(notebook, as_version=4)
    nbformat.write(gc.answer(nb, ASSIGNMENT, NOTEBOOK, replace), notebook)


def noise(output: str) -> list[str]:
    """The lines of ``output`` that match NOISE, each with what it is."""
    return [f"{what}: {line.strip()}" for line in output.splitlines()
            for what, pattern in NOISE.items() if re.search(pattern, line)]


@pytest.mark.slow
def test_readme_instructor_flow_grades_two_students_quietly(tmp_path):
    section = instructors_section()
    assert readme_commands(section) == INSTRUCTOR_COMMANDS
    for command in STUDENT_COMMANDS:
        assert f"`{command}`" in section, command

    course = tmp_path / "nndl"
    copy_course(course)
    release = course / "release" / ASSIGNMENT
    committed = {p.name: p.read_bytes() for p in release.iterdir()}
    teacher = Shell(tmp_path / "home-teacher", course)
    roster, generate, release_cmd, *after = INSTRUCTOR_COMMANDS

    # the class list, in README's CSV format
    (course / "roster.csv").write_text("id,first_name,last_name,email\n"
                                       "alice,Alice,Liddell,alice@example.org\nbob,Bob,Hope,\n")
    teacher.run(roster, course)
    # generate --force records the assignment and rewrites release/ with the same files
    teacher.run(generate, course)
    assert {p.name: p.read_bytes() for p in release.iterdir()} == committed
    # nbgrader_config.py puts the exchange in the course (checked before anything is released)
    exchange = course / "exchange"
    config = PyFileConfigLoader("nbgrader_config.py", str(course)).load_config()
    assert config.Exchange.root == str(exchange)
    teacher.run(release_cmd, course)
    assert (exchange / "nndl" / "outbound" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
    assert "nndl week1" in teacher.run("nbgrader list", course)

    # Two students on the same machine, at the same time, each with README's configuration in
    # their own HOME; one OS user plays both, so --student names them.
    wrong = MISTAKES["softmax"][0].code  # the 2-point softmax test fails, nothing else
    students = {"alice": {}, "bob": {"softmax": wrong}}
    shells = {name: Shell(tmp_path / f"home-{name}", course) for name in students}
    fetch, submit = STUDENT_COMMANDS
    for shell in shells.values():
        (shell.home / ".jupyter").mkdir()
        (shell.home / ".jupyter" / "nbgrader_config.py").write_text(
            students_config(section, exchange))
    for started in [shell.start(fetch, shell.home) for shell in shells.values()]:
        Shell.finish(started)
    for name, shell in shells.items():
        complete(shell.home / ASSIGNMENT / f"{NOTEBOOK}.ipynb", students[name])
    for started in [shell.start(submit, shell.home, f"--student={name}")
                    for name, shell in shells.items()]:
        Shell.finish(started)
    inbound = teacher.run("nbgrader list --inbound", course)
    assert "nndl alice week1" in inbound and "nndl bob week1" in inbound

    for command in after:
        teacher.run(command, course)

    with open(course / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT]
    scores = {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in rows}
    assert scores == {"alice": (FULL_MARKS, FULL_MARKS), "bob": (FULL_MARKS - 2, FULL_MARKS)}
    names = {r["student_id"]: (r["first_name"], r["last_name"]) for r in rows}
    assert names == {"alice": ("Alice", "Liddell"), "bob": ("Bob", "Hope")}  # the roster's
    for name in students:
        feedback = course / "feedback" / name / ASSIGNMENT / f"{NOTEBOOK}.html"
        assert feedback.is_file() and "softmax" in feedback.read_text(encoding="utf-8")
    assert teacher.formgrader_view(course) == [str(exchange), "released"]


def _graded_notebook(test_source: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    meta = {"schema_version": 3, "task": False}
    answer = nbformat.v4.new_code_cell(
        "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION")
    answer.metadata["nbgrader"] = dict(meta, grade=False, solution=True, locked=False,
                                       grade_id="double")
    test = nbformat.v4.new_code_cell(test_source)
    test.metadata["nbgrader"] = dict(meta, grade=True, solution=False, locked=True,
                                     grade_id="test_double", points=1)
    nb.cells = [answer, test]
    return nb


@pytest.mark.slow
def test_autograde_is_quiet_about_hidden_tests_but_reports_a_changed_test_cell(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    (tmp_path / "source" / "hw").mkdir(parents=True)
    nbformat.write(_graded_notebook("assert double(2) == 4\n### BEGIN HIDDEN TESTS\n"
                                    "assert double(5) == 10\n### END HIDDEN TESTS"),
                   tmp_path / "source" / "hw" / "hw.ipynb")
    logs = {}
    with nndl_course.Workspace(tmp_path) as ws:
        released = ws.generate("hw") / "hw.ipynb"
        for student, test_source in (("as_released", None), ("changed", "assert True")):
            nb = nbformat.read(released, as_version=4)
            if test_source:
                nb.cells[1].source = test_source
            (ws.dir / "submitted" / student / "hw").mkdir(parents=True)
            nbformat.write(nb, ws.dir / "submitted" / student / "hw" / "hw.ipynb")
            result = ws.api.autograde("hw", student)
            assert result["success"], result.get("error")
            logs[student] = result["log"]
    checksum = re.compile(NOISE["hidden tests' checksum warning"])
    assert not checksum.search(logs["as_released"]), logs["as_released"]
    assert checksum.search(logs["changed"]), logs["changed"]
