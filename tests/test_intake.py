"""What `nndl grade` reads from a submission folder (autograder/intake.py): no links or special
files, a size cap with the notebooks first, copies' names, the time of hand-placed files; and
where `nndl` looks for the course."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from support import grading_corpus as gc

from autograder import cli
from autograder.engine import intake


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "submitted" / "alice" / "week1"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_links_to_files_and_folders_are_named_and_not_read(tmp_path):
    secret = tmp_path / "source.ipynb"
    secret.write_text("the reference")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "a.py").write_text("answers")
    folder = folder_with(tmp_path, {"numpy_basics.ipynb": b"{}"})
    (folder / "ref.json").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path / "solutions")
    sub = intake.read_submission(folder, ["numpy_basics"])
    assert set(sub.files) == {"numpy_basics.ipynb"}
    assert "symbolic link ref.json ignored" in sub.notes
    assert "symbolic link linked/ ignored" in sub.notes


def test_a_fifo_is_named_and_not_read(tmp_path):
    folder = folder_with(tmp_path, {"numpy_basics.ipynb": b"{}"})
    os.mkfifo(folder / "pipe")
    sub = intake.read_submission(folder)
    assert set(sub.files) == {"numpy_basics.ipynb"}
    assert "special file pipe ignored" in sub.notes


def test_over_the_cap_the_notebooks_are_read_first_and_the_rest_named(tmp_path):
    folder = folder_with(tmp_path, {"numpy_basics.ipynb": b"x" * 3000, "small.txt": b"y" * 10,
                                    "huge.dat": b"z" * 5000})
    sub = intake.read_submission(folder, ["numpy_basics"], max_bytes=4000)
    assert set(sub.files) == {"numpy_basics.ipynb", "small.txt"}
    assert sub.skipped == {"huge.dat": 5000}
    assert any("huge.dat" in note and "not graded" in note for note in sub.notes)
    assert sub.digest() != intake.read_submission(folder).digest()


@pytest.mark.parametrize("name", ["numpy_basics (1).ipynb", "numpy_basics(2).ipynb",
                                  "numpy_basics-Copy1.ipynb", "numpy_basics_copy.ipynb"])
def test_a_copy_named_notebook_is_graded_under_its_name(name):
    sub = intake.Submission({name: b"{}"})
    intake.match_copies(sub, ["numpy_basics"])
    assert set(sub.files) == {"numpy_basics.ipynb"}
    assert sub.notes == [f"graded {name} as numpy_basics.ipynb (the name of a copy)"]


@pytest.mark.parametrize("files", [
    {"numpy_basics.ipynb": b"1", "numpy_basics (1).ipynb": b"2"},  # the real one is there
    {"numpy_basics (1).ipynb": b"1", "numpy_basics (2).ipynb": b"2"},  # which one?
    {"homework.ipynb": b"1"},  # not a copy's name
], ids=["original-present", "two-copies", "other-name"])
def test_no_guess_when_the_copy_is_not_the_only_candidate(files):
    sub = intake.Submission(dict(files))
    intake.match_copies(sub, ["numpy_basics"])
    assert sub.files == files and sub.notes == []


def test_a_submission_placed_by_hand_is_dated_by_its_newest_file(tmp_path):
    folder = folder_with(tmp_path, {"numpy_basics.ipynb": b"{}", "data.csv": b"1"})
    old = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc).timestamp()
    os.utime(folder / "numpy_basics.ipynb", (old, old))
    os.utime(folder / "data.csv", (old - 60, old - 60))
    assert intake.read_submission(folder).placed_at == datetime.fromtimestamp(old, timezone.utc)
    (folder / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")
    assert intake.read_submission(folder).placed_at is None  # collect's timestamp wins


@pytest.mark.slow
def test_nndl_grade_keeps_the_time_of_a_hand_placed_submission(tmp_path):
    course = gc.course_copy(tmp_path / "course")
    assert gc.nbgrader(course, "generate_assignment", "week1", "--force").returncode == 0
    folder = gc.submit(course, "late", "week1", {"numpy_basics.ipynb": gc.blank(
        "week1", "numpy_basics")})
    placed = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
    os.utime(folder / "numpy_basics.ipynb", (placed.timestamp(), placed.timestamp()))
    run = gc.nndl(course, "grade", "week1", "--workers", "1", "--quiet", "--sandbox", "off")
    assert run.returncode == 0, run.stderr[-2000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nndl") as gb:
        stamp = gb.find_submission("week1", "late").timestamp
    assert stamp.replace(tzinfo=timezone.utc) == placed
    assert sorted(p.name for p in folder.iterdir()) == ["numpy_basics.ipynb"]  # untouched


def test_the_course_directory_is_the_current_one_when_it_holds_nbgrader_config(tmp_path,
                                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.course_root(None) == cli.course.REPO_ROOT
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert cli.course_root(None) == tmp_path.resolve()
    assert cli.course_root(str(tmp_path / "other")) == (tmp_path / "other").resolve()


def test_nndl_grade_applies_the_course_limits_and_the_options_on_top(tmp_path):
    """Without options, nndl grade grades with the limits plain nbgrader would use in this course
    (its nbgrader_config.py, else LimitedExecute's defaults); an option overrides one."""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.LimitedExecute.memory_limit = 1234\nc.Execute.timeout = 77\n")

    def limits(*options):
        args = cli.make_parser().parse_args(["grade", "week1", *options])
        return cli.grade_limits(args, tmp_path, workers=2)

    course = limits()
    assert (course["memory_limit"], course["timeout"]) == (1234, 77)
    assert course["notebook_timeout"] == 1800 and course["sandbox"] == "auto"  # the defaults
    assert course["kernel_threads"] == 0  # the notebooks' own: one thread (utils.threads)
    given = limits("--memory", "99", "--cell-timeout", "5", "--threads", "3", "--sandbox", "off")
    assert (given["memory_limit"], given["timeout"], given["kernel_threads"],
            given["sandbox"]) == (99, 5, 3, "off")
