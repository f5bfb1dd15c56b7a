"""The build-and-verify command, on a small synthetic course and on the real one."""

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import cli, course

REPO = Path(__file__).resolve().parents[1]


def _cell(source, kind, grade_id, points=None):
    cell = nbformat.v4.new_code_cell(source)
    meta = {"grade": kind == "test", "grade_id": grade_id, "locked": kind == "test",
            "schema_version": 3, "solution": kind == "solution", "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def make_notebook(path: Path, test_source: str, answer="    return 2 * x"):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        _cell(f"def double(x):\n    ### BEGIN SOLUTION\n{answer}\n    ### END SOLUTION",
              "solution", "double"),
        _cell(test_source, "test", "test_double", points=2),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    course.write_notebook(nb, path)


GOOD_TEST = ("from utils.checks import check_output\n"
             "check_output(float(double(2)), 4.0, 'double(2)')")


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    """A course with one sound assignment and one of each kind of fault."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    make_notebook(root / "source" / "good" / "good.ipynb", GOOD_TEST)
    make_notebook(root / "source" / "badref" / "badref.ipynb", "assert double(2) == 5, 'two'")
    make_notebook(root / "source" / "blankpass" / "blankpass.ipynb", "assert True")
    make_notebook(root / "source" / "stale" / "stale.ipynb", GOOD_TEST)
    course.record_times(root)  # the reference's time per cell, which time limits derive from
    make_notebook(root / "source" / "untimed" / "untimed.ipynb", GOOD_TEST)
    course.build(root)
    stale = root / "release" / "stale" / "stale.ipynb"
    stale.write_text(stale.read_text().replace("double(2)", "double(3)"))
    return root


@pytest.fixture(scope="module")
def small_course_verified(small_course):
    results, problems = course.verify(small_course)
    return {r.assignment: r for r in results}, problems


@pytest.mark.slow
def test_verify_gives_full_marks_to_a_sound_reference_and_zero_to_its_blank(
        small_course_verified):
    results, problems = small_course_verified
    good = results["good"]
    assert (good.points, good.reference, good.blank) == (2, 2, 0)
    assert good.ok
    assert not [p for p in problems if "/good/" in p]


@pytest.mark.slow
def test_verify_asks_for_the_reference_times_where_they_are_missing(small_course_verified):
    results, _ = small_course_verified
    assert results["good"].time_limit is not None and results["good"].ok
    (problem,) = results["untimed"].problems
    assert problem.startswith("untimed/untimed.ipynb: the reference's time per cell is not "
                              "recorded") and "nndl verify --record-times untimed" in problem


@pytest.mark.slow
def test_verify_names_the_assignment_and_cell_of_a_failing_reference(small_course_verified):
    results, _ = small_course_verified
    bad = results["badref"]
    assert bad.reference == 0
    assert any("badref/badref.ipynb, cell 'test_double'" in p and "AssertionError: two" in p
               for p in bad.problems), bad.problems


@pytest.mark.slow
def test_verify_flags_a_test_that_passes_on_the_blank_release(small_course_verified):
    results, _ = small_course_verified
    assert any("blank release scores 2" in p for p in results["blankpass"].problems)


@pytest.mark.slow
def test_verify_names_a_stale_release_file(small_course_verified):
    _, problems = small_course_verified
    assert any("release/stale/stale.ipynb differs" in p and "nndl build" in p
               for p in problems), problems


@pytest.mark.slow
def test_verify_leaves_the_course_directory_clean(small_course, small_course_verified):
    names = {p.name for p in small_course.iterdir()}
    assert names == {"nbgrader_config.py", "source", "release"}


def test_compare_release_names_missing_and_extra_files(tmp_path):
    generated, committed = tmp_path / "gen", tmp_path / "committed"
    generated.mkdir()
    committed.mkdir()
    (generated / "a.txt").write_text("a")
    (committed / "b.txt").write_text("b")
    problems = course.compare_release(generated, committed)
    assert any("a.txt is missing" in p for p in problems)
    assert any("b.txt is not generated from source/" in p for p in problems)


def test_build_writes_student_versions_without_solutions(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    make_notebook(tmp_path / "source" / "hw" / "hw.ipynb", "assert double(1) == 2")
    written = course.build(tmp_path)
    assert written == ["release/hw/hw.ipynb"]
    text = (tmp_path / "release" / "hw" / "hw.ipynb").read_text()
    assert "raise NotImplementedError()" in text and "return 2 * x" not in text
    assert "BEGIN SOLUTION" not in text


def test_verify_rejects_notebooks_with_outputs(tmp_path):
    path = tmp_path / "source" / "hw" / "hw.ipynb"
    make_notebook(path, "assert True")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].execution_count = 3
    course.write_notebook(nb, path)
    problems = course._check_clean(tmp_path / "source")
    assert problems and "outputs or execution counts in cells [0]" in problems[0]


def test_cli_reports_an_unknown_assignment(capsys):
    assert cli.main(["verify", "week99", "--quiet"]) == 1
    assert "unknown assignment(s) ['week99']" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_verify_exits_non_zero_and_names_the_problem(small_course, capsys):
    code = cli.main(["--root", str(small_course), "verify", "badref", "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert "badref/badref.ipynb, cell 'test_double'" in captured.err
    assert "badref" in captured.out and "reference" in captured.out


@pytest.mark.slow
def test_a_students_file_cannot_shadow_the_course_helpers(tmp_path):
    """A submitted utils/ package whose checks always pass is not used when grading."""
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    make_notebook(tmp_path / "source" / "hw" / "hw.ipynb", GOOD_TEST)
    submission = tmp_path / "student"
    make_notebook(submission / "hw.ipynb", GOOD_TEST, answer="    return 3 * x")
    fake = submission / "utils"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "checks.py").write_text("def check_output(*args, **kwargs):\n    pass\n")
    with course.Workspace(tmp_path) as ws:
        ws.generate("hw")
        grades = ws.autograde("hw", "student", submission, "hw")
        assert not (ws.dir / "autograded" / "student" / "hw" / "utils").exists()
    assert grades == {"test_double": (0, 2)}


@pytest.mark.slow
def test_the_course_verifies(capsys):
    """The real course: release/ in sync, references full marks, blanks zero."""
    assert cli.main(["verify", "--quiet"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "week1" in out and "OK:" in out


@pytest.mark.slow
def test_verify_write_regenerates_a_stale_release_then_passes(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    make_notebook(tmp_path / "source" / "hw" / "hw.ipynb", GOOD_TEST)
    course.record_times(tmp_path)
    course.build(tmp_path)
    release = tmp_path / "release" / "hw" / "hw.ipynb"
    fresh = release.read_text()
    release.write_text(fresh.replace("double(2)", "double(3)"))
    (tmp_path / "release" / "hw" / "old.txt").write_text("left over")
    results, problems = course.verify(tmp_path, write=True)
    assert problems == [] and results[0].ok
    assert release.read_text() == fresh
    assert not (tmp_path / "release" / "hw" / "old.txt").exists()
