"""utils.quiz: every choice explained, answers checked in code and through the widgets."""

import pytest

from utils.quiz import Feedback, MultipleChoice, Numeric, Quiz


def make_quiz():
    return Quiz("Self-check", [
        MultipleChoice("Which is supervised?",
                       [("Clustering", "No labels: unsupervised."),
                        ("House price from size", "Pairs of input and known price."),
                        ("Compressing files", "No prediction at all.")],
                       answer=1),
        Numeric("Parameters of a layer of 3 units on 2 inputs?", answer=9,
                explanation="W is (3, 2) and b is (3, 1): 6 + 3.",
                wrong={6: "You counted only the weights."}),
        Numeric("tanh'(0)?", answer=1.0, tolerance=0.01, explanation="1 - tanh(0)**2 = 1."),
    ])


def test_multiple_choice_feedback_by_letter_and_index():
    quiz = make_quiz()
    assert quiz.check(1, "b") == Feedback(True, "Pairs of input and known price.")
    assert quiz.check(1, "A") == Feedback(False, "No labels: unsupervised.")
    assert quiz.check(1, 2) == Feedback(False, "No prediction at all.")
    assert str(quiz.check(1, "a")).startswith("Not quite. No labels")
    assert str(quiz.check(1, "b")) == "Correct. Pairs of input and known price."


def test_numeric_feedback_names_the_usual_wrong_value():
    quiz = make_quiz()
    assert quiz.check(2, 9).correct and quiz.check(2, "9").correct
    wrong = quiz.check(2, 6)
    assert not wrong.correct and wrong.text.startswith("You counted only the weights.")
    assert "6 + 3" in wrong.text
    assert not quiz.check(2, 12).correct
    assert quiz.check(3, 0.995).correct and not quiz.check(3, 0.9).correct


@pytest.mark.parametrize("number, answer, message", [
    (0, "a", "numbered 1 to 3"), (4, "a", "numbered 1 to 3"), (1, "d", "letters a to c"),
    (1, "bb", "letters a to c"), (2, "nine", "with a number"), (2, float("nan"), "finite"),
])
def test_bad_answers_say_what_to_do(number, answer, message):
    with pytest.raises(ValueError, match=message):
        make_quiz().check(number, answer)


@pytest.mark.parametrize("choices, answer, message", [
    ([("a", "why a"), ("b", "")], 0, "explain every choice"),
    ([("a", "why a")], 0, "2 to 26 choices"),
    ([("a", "why a"), ("b", "why b")], 2, "answer must be the index"),
    ([("a", "why a"), "b"], 0, "explain every choice"),
])
def test_questions_without_explanations_are_refused(choices, answer, message):
    with pytest.raises(ValueError, match=message):
        MultipleChoice("Q?", choices, answer)


@pytest.mark.parametrize("explanation", ["Right: inputs paired with prices.", "No. Unlabelled.",
                                         "Correct, inputs and prices.", "not quite: no labels"])
def test_an_explanation_that_repeats_the_verdict_is_refused(explanation):
    with pytest.raises(ValueError, match="already says 'Correct.' or 'Not quite.'"):
        MultipleChoice("Q?", [("a", "why a"), ("b", explanation)], 0)
    with pytest.raises(ValueError, match="already says"):
        Numeric("Q?", 3, explanation)
    with pytest.raises(ValueError, match="already says"):
        Numeric("Q?", 3, "because", wrong={2: explanation})


def test_an_explanation_may_start_with_no_as_a_word():
    MultipleChoice("Q?", [("a", "No labels: unsupervised."), ("b", "Nothing to predict.")], 0)


def test_numeric_usual_wrong_value_cannot_be_the_answer():
    with pytest.raises(ValueError, match="equals the answer"):
        Numeric("Q?", 3, "because", wrong={3: "oops"})
    with pytest.raises(ValueError, match="how to get the answer"):
        Numeric("Q?", 3, "")


def test_widgets_give_the_same_feedback(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    quiz = make_quiz()
    quiz.show()
    (box,) = shown
    questions = [child for child in box.children if "nndl-quiz-question" in child._dom_classes]
    assert len(questions) == 3
    _, radio, button, feedback = questions[0].children
    button.click()
    assert "Choose or type an answer first" in feedback.value
    radio.value = radio.options[0]
    button.click()
    assert "Not quite." in feedback.value and "No labels: unsupervised." in feedback.value
    _, text, button, feedback = questions[1].children
    text.value = "9"
    button.click()
    assert "Correct." in feedback.value
    text.value = "nine"
    button.click()
    assert "with a number" in feedback.value


def test_plain_text_lists_every_option():
    text = make_quiz().as_text()
    assert "1. Which is supervised?" in text and "   c) Compressing files" in text
