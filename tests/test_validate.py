"""Validate as the course runs it (autograder/engine/validate.py, autograder/validate_server.py):
it stops after the last graded cell with the same result as nbgrader's, says which cell it runs
when one is slow, and in JupyterLab it runs beside the server instead of stopping it."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader import __version__ as nbgrader_version
from nbgrader.validator import Validator
from support.lab_server import lab_server
from traitlets.config import Config

from autograder.engine import nbgrader_setup
from autograder.engine.validate import Running, TerminalProgress, ValidateExecute, cell_name
from autograder.validate_server import Validation

REPO = Path(__file__).resolve().parents[1]
NBGRADER = Path(sys.executable).parent / "nbgrader"
TOKEN = "validate-test-token"


def graded(source: str, grade_id: str, points: int = 1):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                 "points": points, "schema_version": 3, "solution": False}
    return cell


def notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


# A cell after the last graded one that leaves a trace when it runs, and would fail.
AFTER = "open('after.txt', 'w').write('ran')\nraise RuntimeError('a plot that breaks')"


def passing():
    return notebook(new_markdown_cell("# A notebook"), new_code_cell("x = 2"),
                    graded("assert x == 2, 'x should be 2'", "test_x"), new_code_cell(AFTER))


def failing():
    return notebook(new_code_cell("x = 3"), graded("assert x == 2, 'x should be 2'", "test_x"),
                    new_code_cell("y = 1"), graded("print('fine')", "test_fine"),
                    new_code_cell(AFTER))


def slow(seconds: int = 5):
    """A slow cell before the last graded one (its first line names it)."""
    return notebook(new_markdown_cell("# Slow"), new_code_cell("import time\nx = 2"),
                    new_code_cell(f"time.sleep({seconds})"),
                    graded("assert x == 2", "test_x"), new_code_cell(AFTER))


def validate(path: Path, course: bool = True, **validator) -> dict:
    """Validator(...).validate(path), with the course's preprocessors or nbgrader's own."""
    config = Config()
    if course:
        config.Validator.preprocessors = nbgrader_setup.validate_preprocessors()
    for name, value in validator.items():
        config.Validator[name] = value
    return Validator(config=config).validate(str(path))


def write(nb, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------------------------------
# What it runs, and what it reports
# ------------------------------------------------------------------------------------------
def test_the_course_configures_validate_with_validate_execute():
    config, path = Config(), REPO / "nbgrader_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config,
                                                         "__file__": str(path)})
    validator = Validator(config=config)
    assert validator.preprocessors == [
        "nbgrader.preprocessors.checkcellmetadata.CheckCellMetadata",
        "nbgrader.preprocessors.clearoutput.ClearOutput",
        "autograder.engine.validate.ValidateExecute"]
    assert ValidateExecute(parent=validator).timeout == 600


def test_validate_runs_no_cell_after_the_last_graded_one(tmp_path):
    path = write(passing(), tmp_path / "passing.ipynb")
    assert validate(path) == {}
    assert not (tmp_path / "after.txt").exists()
    # validate_all looks at every cell, so every cell runs (and the last one's error counts)
    everything = validate(path, validate_all=True)
    assert (tmp_path / "after.txt").exists()
    assert "a plot that breaks" in everything["failed"][0]["raw_error"]


@pytest.mark.parametrize("make", [passing, failing])
def test_validate_reports_what_nbgrader_reports(tmp_path, make):
    path = write(make(), tmp_path / "notebook.ipynb")
    ours, theirs = validate(path), validate(path, course=False)
    assert ours == theirs
    if make is failing:
        assert [cell["source"] for cell in ours["failed"]] == ["assert x == 2, 'x should be 2'"]
        assert "x should be 2" in ours["failed"][0]["raw_error"]


def test_a_notebook_without_graded_cells_runs_whole(tmp_path):
    path = write(notebook(new_code_cell("open('ran.txt', 'w')")), tmp_path / "plain.ipynb")
    assert validate(path) == {}
    assert (tmp_path / "ran.txt").exists()


# ------------------------------------------------------------------------------------------
# Saying what it runs
# ------------------------------------------------------------------------------------------
def test_a_cell_is_named_by_its_grade_id_else_its_first_line():
    assert cell_name(graded("assert True", "test_two_layer_model")) == "test_two_layer_model"
    assert cell_name(new_code_cell("\n  parameters = two_layer_model(X, Y)  \nmore")) == (
        "parameters = two_layer_model(X, Y)")
    long = cell_name(new_code_cell("costs = L_layer_model(train_x, train_y, layers_dims, "
                                   "num_iterations=2500)"))
    assert len(long) <= 40 and long.endswith("...") and long.startswith("costs = L_layer")
    assert Running(43, 50, "test_two_layer_model", 100.0).describe(now=106.2) == (
        "cell 44 of 50 (test_two_layer_model), 6 s")


def test_the_terminal_names_a_slow_cell_then_repeats_at_most_every_few_seconds():
    stream = io.StringIO()
    progress = TerminalProgress(stream, after=0.3, every=0.5, tick=0.02)
    try:
        progress(Running(0, 2, "fast", time.time()))
        time.sleep(0.2)
        progress(Running(1, 2, "test_slow", time.time()))
        time.sleep(1.0)
        progress(None)
        time.sleep(0.3)
    finally:
        progress.stop()
    lines = stream.getvalue().splitlines()
    assert lines and all(line.startswith("Validate: still running cell 2 of 2 (test_slow), ")
                         for line in lines), lines
    assert len(lines) == 2, lines  # at 0.3 s and 0.8 s


@pytest.mark.slow
def test_nbgrader_validate_names_a_slow_cell_on_stderr(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    write(slow(5), tmp_path / "slow.ipynb")
    result = subprocess.run([str(NBGRADER), "validate", "slow.ipynb"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("Validate:")]
    assert lines, result.stderr
    assert lines[0].startswith("Validate: still running cell 3 of 4 (time.sleep(5)), "), lines
    assert len(lines) <= 2, lines
    assert not (tmp_path / "after.txt").exists()


@pytest.mark.slow
def test_nbgrader_validate_says_nothing_more_for_a_fast_notebook(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    write(failing(), tmp_path / "fast.ipynb")
    result = subprocess.run([str(NBGRADER), "validate", "fast.ipynb"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert "VALIDATION FAILED ON 1 CELL(S)!" in result.stdout, result.stdout
    assert "Validate:" not in result.stderr, result.stderr


# ------------------------------------------------------------------------------------------
# In JupyterLab: the server extension
# ------------------------------------------------------------------------------------------
def test_progress_says_what_a_validation_is_doing():
    validation = Validation("release/week4/deep.ipynb")
    assert validation.as_json()["state"] == "waiting"
    validation.start()
    assert validation.as_json()["message"].startswith("Validating deep.ipynb: starting")
    validation.update(Running(43, 50, "test_two_layer_model", time.time() - 6.2))
    state = validation.as_json()
    assert state["state"] == "running"
    assert (state["cell"], state["cells"], state["name"]) == (44, 50, "test_two_layer_model")
    assert state["message"] == (
        "Validating deep.ipynb: running cell 44 of 50 (test_two_layer_model), 6 s")
    validation.update(None)
    assert validation.as_json()["state"] == "finishing"


def request(url: str, method: str = "GET", timeout: float = 60):
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None,
                                 headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read().decode())


@pytest.mark.slow
def test_the_server_answers_while_it_validates_and_tells_the_running_cell(tmp_path):
    """... and stays where it is: the validation, which moves into the notebook's folder, runs
    in a process of its own, so the server's other requests (a fetch, a kernel) are not moved."""
    import psutil

    course = tmp_path / "course"
    (course / "week").mkdir(parents=True)
    write(slow(4), course / "week" / "slow.ipynb")

    def server_folders() -> set[str]:
        return {p.cwd() for p in psutil.Process().children(recursive=True)
                if "jupyterlab" in p.cmdline() and "autograder.validate_server" not in
                p.cmdline()}

    with lab_server(course, tmp_path / "settings", "student", TOKEN) as url:
        folders = server_folders()
        assert folders and str(course / "week") not in folders
        assert request(f"{url}/nbgrader_version?version={nbgrader_version}") == {"success": True}
        answer = {}
        post = threading.Thread(target=lambda: answer.update(request(
            f"{url}/assignments/validate?path=week/slow.ipynb", "POST", timeout=300)))
        post.start()
        seen, deadline = None, time.monotonic() + 120
        while post.is_alive() and time.monotonic() < deadline:
            progress = request(f"{url}/nndl/validate/progress?path=week/slow.ipynb")[
                "validations"]
            if progress and progress[0]["state"] == "running" and progress[0]["cell"] == 3:
                seen = progress[0]
                break
            time.sleep(0.2)
        assert seen, "the progress never named the slow cell"
        assert seen["name"] == "time.sleep(4)" and seen["cells"] == 4, seen
        assert seen["message"].startswith(
            "Validating slow.ipynb: running cell 3 of 4 (time.sleep(4)), "), seen
        # the server answers other requests meanwhile
        start = time.monotonic()
        listing = request(f"{url}/api/contents/week", timeout=10)
        assert "slow.ipynb" in {item["name"] for item in listing["content"]}
        assert server_folders() == folders
        assert post.is_alive(), "the validation ended before the server was asked"
        assert time.monotonic() - start < 3
        post.join(300)
        assert answer == {"success": True, "value": {}}, answer
        assert request(f"{url}/nndl/validate/progress")["validations"] == []
    assert not (course / "after.txt").exists()
