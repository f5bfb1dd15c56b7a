"""What every companion lab in notebooks/ must have (each lab's results: test_lab_weekN.py)."""

import ast
import re
from pathlib import Path

import nbformat
import pytest
from support.lab_harness import LABS, lab_names, quiz_of

from utils.quiz import MultipleChoice, Numeric

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_there_is_a_lab_for_every_week():
    weeks = sorted({int(re.match(r"week(\d+)_", name).group(1)) for name in lab_names()})
    assert weeks == [1, 2, 3, 4], lab_names()


@pytest.mark.parametrize("name", lab_names())
def test_lab_is_stored_clean_and_listed_in_the_readme(name):
    nb = nbformat.read(LABS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{name} has no code"
    assert all(c.outputs == [] and c.execution_count is None for c in code), (
        f"{name}: clear the outputs before committing")
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert f"notebooks/{name}" in README, f"list {name} in the README's course table"


@pytest.mark.parametrize("name", lab_names())
def test_lab_ends_with_a_quiz_that_explains_every_wrong_answer(name):
    quiz = quiz_of(name)
    assert 4 <= len(quiz) <= 8, f"{name}: a short quiz, 4 to 8 questions"
    for number, question in enumerate(quiz.questions, 1):
        if isinstance(question, MultipleChoice):
            explanations = [why for _, why in question.choices]
            assert len(set(explanations)) == len(explanations), (
                f"{name} question {number}: every choice needs its own explanation")
            for index in range(len(question.choices)):
                feedback = quiz.check(number, "abcdefghijklmnopqrstuvwxyz"[index])
                assert feedback.correct == (index == question.answer)
                assert feedback.text == explanations[index]
        else:
            assert isinstance(question, Numeric)
            assert quiz.check(number, question.answer).correct
            wrong = question.answer + max(1.0, abs(question.answer)) + 10 * question.tolerance
            assert not quiz.check(number, wrong).correct
            for value, meaning in question.wrong.items():
                feedback = quiz.check(number, value)
                assert not feedback.correct and feedback.text.startswith(meaning)
    last = [c for c in nbformat.read(LABS / name, as_version=4).cells if c.cell_type == "code"][-1]
    assert "quiz.show()" in last.source, f"{name}: the quiz is the lab's last code cell"


def usage_examples(name):
    """Every `quiz.check(number, answer)` that a lab shows outside the cell building its quiz."""
    cells = nbformat.read(LABS / name, as_version=4).cells
    text = "\n".join(c.source for c in cells if "quiz = Quiz(" not in c.source)
    return [(int(number), ast.literal_eval(answer)) for number, answer in
            re.findall(r"quiz\.check\(\s*(\d+)\s*,\s*([^()]+?)\s*\)", text)]


@pytest.mark.parametrize("name", lab_names())
def test_the_usage_note_of_a_quiz_answers_no_question(name):
    quiz = quiz_of(name)
    examples = usage_examples(name)
    assert examples, f"{name}: show how to answer in code, e.g. quiz.check(1, \"b\")"
    for number, answer in examples:
        assert not quiz.check(number, answer).correct, (
            f"{name}: the usage example quiz.check({number}, {answer!r}) is the answer to "
            f"question {number}; show a choice or a number that is not")
