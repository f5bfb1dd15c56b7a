"""Ungraded self-check quizzes for the companion labs in notebooks/.

A quiz is a list of questions. Each multiple-choice question explains *every* choice: why the
right one is right and, above all, why each wrong one is wrong, because a wrong choice is where a
student learns something. A numeric question explains how to get the number, and can name the
usual wrong values.

In a notebook::

    quiz = Quiz("Week 1 self-check", [
        MultipleChoice(
            "Which of these is supervised learning?",
            [("Grouping customers without labels", "Without labels, that is unsupervised."),
             ("Predicting a house price from its size", "Inputs paired with known prices.")],
            answer=1),
        Numeric("How many parameters has a layer of 3 units on 2 inputs?", answer=9,
                explanation="W[1] is (3, 2): 6 weights, and b[1] is (3, 1): 3 biases.",
                wrong={6: "You counted the weights; every unit also has a bias."}),
    ])
    quiz.show()           # one widget per question: choose, then "Check"
    quiz.check(1, "a")    # the same feedback in code: question 1, choice a

The feedback opens with "Correct." or "Not quite.", so an explanation says why and never opens
with a verdict of its own ("Right:", "No."): it would say it twice. A usage note in a lab shows
an answer that is not the right one, or it gives the answer away.

Nothing is graded and nothing is stored: the feedback is for the student only.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# An explanation that opens with a verdict repeats the feedback's own "Correct." / "Not quite."
VERDICT = re.compile(r"\s*(right|correct|incorrect|wrong|yes|no|not quite)\s*[.:;,!]", re.I)


def _explanation(text, where):
    """``text`` if it is a non-empty explanation that does not open with a verdict."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where} must say why, got {text!r}: explain every choice")
    verdict = VERDICT.match(text)
    if verdict:
        raise ValueError(f"{where} opens with {verdict.group(0).strip()!r}, but the feedback "
                         f"already says 'Correct.' or 'Not quite.': start with the reason")
    return text


# ipywidgets gives every radio choice one line of fixed height and floats its button: a long
# choice wraps over the next one and pushes that one's button away. In a quiz each choice is a
# flex row instead, its button first and its text wrapping beside it; a long prompt or feedback
# wraps with ordinary line spacing. (tests/test_browser.py measures it in Chromium.)
QUIZ_CSS = """<style>
.nndl-quiz-choices .widget-radio-box label {
  display: flex; align-items: flex-start; gap: 0.5em;
  height: auto; line-height: 1.4; margin-bottom: 0.3em; white-space: normal;
}
.nndl-quiz-choices .widget-radio-box input {
  order: -1; flex: none; float: none; height: 1.4em; margin: 0 0 0 1px;
}
.nndl-quiz-text .widget-html-content { line-height: 1.4; }
</style>"""


@dataclass(frozen=True)
class Feedback:
    """What a check says: whether the answer is right, and why."""

    correct: bool
    text: str

    def __str__(self):
        return ("Correct. " if self.correct else "Not quite. ") + self.text

    def _repr_html_(self):
        colour = "#1a7f37" if self.correct else "#b35900"
        head = "Correct." if self.correct else "Not quite."
        return (f'<div style="color:{colour}"><b>{head}</b> {html.escape(self.text)}</div>')

    def __repr__(self):
        return str(self)


class MultipleChoice:
    """A question with one right choice; every choice carries its explanation.

    Arguments:
    prompt  -- the question
    choices -- a list of (text, explanation) pairs, at least two
    answer  -- the index (0-based) of the right choice
    """

    def __init__(self, prompt, choices, answer):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("prompt must be a non-empty string")
        choices = list(choices)
        if len(choices) < 2 or len(choices) > len(LETTERS):
            raise ValueError(f"a multiple-choice question needs 2 to {len(LETTERS)} choices, "
                             f"got {len(choices)}")
        for i, pair in enumerate(choices):
            if (not isinstance(pair, tuple) or len(pair) != 2
                    or not all(isinstance(s, str) and s.strip() for s in pair)):
                raise ValueError(f"choice {LETTERS[i]} must be a (text, explanation) pair of "
                                 f"non-empty strings, got {pair!r}: explain every choice")
            _explanation(pair[1], f"the explanation of choice {LETTERS[i]}")
        if isinstance(answer, bool) or not isinstance(answer, numbers.Integral) or not (
                0 <= answer < len(choices)):
            raise ValueError(f"answer must be the index of the right choice, 0 to "
                             f"{len(choices) - 1}, got {answer!r}")
        self.prompt = prompt
        self.choices = choices
        self.answer = int(answer)

    @property
    def options(self):
        """The choices as the student reads them: 'a) ...', 'b) ...'."""
        return [f"{LETTERS[i]}) {text}" for i, (text, _) in enumerate(self.choices)]

    def check(self, choice) -> Feedback:
        """Feedback for a choice given as a letter ('b'), or as a 0-based index."""
        index = self._index(choice)
        return Feedback(index == self.answer, self.choices[index][1])

    def _index(self, choice):
        if isinstance(choice, str) and len(choice.strip()) == 1:
            index = LETTERS.find(choice.strip().lower())
        elif isinstance(choice, numbers.Integral) and not isinstance(choice, bool):
            index = int(choice)
        else:
            index = -1
        if not 0 <= index < len(self.choices):
            last = LETTERS[len(self.choices) - 1]
            raise ValueError(f"answer with one of the letters a to {last}, got {choice!r}")
        return index


class Numeric:
    """A question whose answer is a number.

    Arguments:
    prompt      -- the question
    answer      -- the right number
    explanation -- how to get it (shown with every answer, right or wrong)
    tolerance   -- absolute tolerance (0: exact)
    wrong       -- optional {usual wrong value: what it means}, e.g. a forgotten bias
    """

    def __init__(self, prompt, answer, explanation, tolerance=0.0, wrong=None):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("prompt must be a non-empty string")
        if not isinstance(explanation, str) or not explanation.strip():
            raise ValueError("explanation must say how to get the answer")
        _explanation(explanation, "the explanation")
        for name, value in [("answer", answer), ("tolerance", tolerance)]:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(
                    value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
        if tolerance < 0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance}")
        self.prompt = prompt
        self.answer = answer
        self.explanation = explanation
        self.tolerance = float(tolerance)
        self.wrong = dict(wrong or {})
        for value, meaning in self.wrong.items():
            if self._matches(value, answer):
                raise ValueError(f"the usual wrong value {value!r} equals the answer")
            _explanation(meaning, f"what the usual wrong value {value!r} means")

    def _matches(self, value, target):
        return abs(value - target) <= self.tolerance + 1e-12 * max(1.0, abs(target))

    def check(self, value) -> Feedback:
        """Feedback for a number (an int, a float or a string such as '0.5')."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"answer with a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"answer with a finite number, got {value!r}")
        if self._matches(number, self.answer):
            return Feedback(True, self.explanation)
        for usual, meaning in self.wrong.items():
            if self._matches(number, usual):
                return Feedback(False, f"{meaning} {self.explanation}")
        return Feedback(False, self.explanation)


class Quiz:
    """A titled list of questions, shown as widgets and checkable in code."""

    def __init__(self, title, questions):
        questions = list(questions)
        if not questions:
            raise ValueError("a quiz needs at least one question")
        for q in questions:
            if not isinstance(q, (MultipleChoice, Numeric)):
                raise TypeError(f"questions must be MultipleChoice or Numeric, got {q!r}")
        self.title = title
        self.questions = questions

    def __len__(self):
        return len(self.questions)

    def check(self, number, answer) -> Feedback:
        """Feedback for question ``number`` (1-based, as shown) and an answer."""
        if isinstance(number, bool) or not isinstance(number, numbers.Integral) or not (
                1 <= number <= len(self.questions)):
            raise ValueError(f"questions are numbered 1 to {len(self.questions)}, got {number!r}")
        return self.questions[number - 1].check(answer)

    def show(self):
        """Display one widget per question (choose or type, then press Check)."""
        import ipywidgets as widgets
        from IPython.display import display

        boxes = [widgets.HTML(f"{QUIZ_CSS}<h3>{html.escape(self.title)}</h3>")]
        for number, question in enumerate(self.questions, 1):
            boxes.append(_question_widget(widgets, number, question))
        display(widgets.VBox(boxes))

    def _repr_pretty_(self, printer, cycle):
        printer.text(self.as_text())

    def as_text(self):
        """The quiz as plain text, e.g. for a printed handout."""
        lines = [self.title]
        for number, question in enumerate(self.questions, 1):
            lines.append(f"{number}. {question.prompt}")
            if isinstance(question, MultipleChoice):
                lines.extend(f"   {option}" for option in question.options)
        return "\n".join(lines)


def _question_widget(widgets, number, question):
    """Prompt, an input (radio buttons or a number box), a Check button and the feedback."""
    prompt = widgets.HTML(f"<b>{number}.</b> {html.escape(question.prompt)}")
    feedback = widgets.HTML()
    for text in (prompt, feedback):
        text.add_class("nndl-quiz-text")
    if isinstance(question, MultipleChoice):
        entry = widgets.RadioButtons(options=question.options, value=None,
                                     layout=widgets.Layout(width="auto"))
        entry.add_class("nndl-quiz-choices")
    else:
        entry = widgets.Text(placeholder="a number")
    button = widgets.Button(description="Check", tooltip=f"check question {number}")

    def on_click(_):
        value = entry.value
        if value is None or value == "":
            feedback.value = "<i>Choose or type an answer first.</i>"
            return
        if isinstance(question, MultipleChoice):
            value = question.options.index(value)
        try:
            feedback.value = question.check(value)._repr_html_()
        except ValueError as error:
            feedback.value = f"<i>{html.escape(str(error))}</i>"

    button.on_click(on_click)
    box = widgets.VBox([prompt, entry, button, feedback])
    box.add_class("nndl-quiz-question")
    return box
