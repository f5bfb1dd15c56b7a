"""The coordinator's write of one result into the gradebook: one commit per submission, auto
scores replaced, manual grades kept, and nothing of a result half-written."""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import event

from autograder.common import put_python_scripts_on_path
from autograder.grade.coordinator import store_grades
from autograder.grade.jobs import Result

A = "week9"


@pytest.fixture
def gradebook(tmp_path):
    put_python_scripts_on_path()  # nbgrader runs `alembic` when it creates a gradebook
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "nndl") as gb:
        gb.add_assignment(A)
        for notebook in ("first", "second"):
            gb.add_notebook(notebook, A)
            for cell in ("test_a", "test_b"):
                gb.add_grade_cell(f"{cell}", notebook, A, max_score=2, cell_type="code")
            gb.add_solution_cell("answer", notebook, A)
        commits = []
        event.listen(gb.engine, "commit", lambda connection: commits.append(1))
        yield gb, commits


def result(student, scores, late=0.0):
    grades = [{"notebook": nb, "name": cell, "auto_score": score, "max_score": 2,
               "needs_manual_grade": False} for (nb, cell), score in scores.items()]
    comments = [{"notebook": nb, "name": "answer", "auto_comment": f"{nb} ok"}
                for nb in ("first", "second")]
    notebooks = [{"name": nb, "late_submission_penalty": late} for nb in ("first", "second")]
    return Result(student, grades=grades, comments=comments, notebooks=notebooks,
                  timestamp="2026-12-01T10:00:00")


SCORES = {("first", "test_a"): 2.0, ("first", "test_b"): 0.0,
          ("second", "test_a"): 1.0, ("second", "test_b"): 2.0}


def test_a_new_student_is_stored_in_one_commit(gradebook):
    gb, commits = gradebook
    store_grades(gb, A, result("amy", SCORES, late=1.5))
    assert len(commits) == 1
    for (nb, cell), score in SCORES.items():
        assert gb.find_grade(cell, nb, A, "amy").auto_score == score
    assert gb.find_comment("answer", "second", A, "amy").auto_comment == "second ok"
    assert gb.find_submission_notebook("first", A, "amy").late_submission_penalty == 1.5
    assert gb.find_submission(A, "amy").timestamp.isoformat().startswith("2026-12-01T10:00")


def test_a_regrade_replaces_auto_scores_and_keeps_manual_grades(gradebook):
    gb, commits = gradebook
    store_grades(gb, A, result("amy", SCORES))
    grade = gb.find_grade("test_b", "first", A, "amy")
    grade.manual_score = 1.5
    gb.db.commit()
    commits.clear()
    store_grades(gb, A, result("amy", {key: 0.0 for key in SCORES}))
    assert len(commits) == 1
    gb.db.expire_all()
    assert gb.find_grade("test_a", "first", A, "amy").auto_score == 0.0
    kept = gb.find_grade("test_b", "first", A, "amy")
    assert (kept.auto_score, kept.manual_score, kept.score) == (0.0, 1.5, 1.5)


def test_a_result_that_does_not_fit_leaves_nothing_behind(gradebook):
    gb, commits = gradebook
    wrong = result("bob", {**SCORES, ("first", "test_z"): 2.0})  # a cell the gradebook lacks
    with pytest.raises(MissingEntry):
        store_grades(gb, A, wrong)
    assert commits == []
    with pytest.raises(MissingEntry):
        gb.find_student("bob")
    store_grades(gb, A, result("bob", SCORES))  # the session is usable afterwards
    assert gb.find_grade("test_a", "second", A, "bob").auto_score == 1.0
    assert "commit" not in vars(gb.db)  # the session commits for real again
