"""The test cells catch every catalogued mistake by name and pass every alternative answer.

Each week's catalogue lives in tests/catalogue/weekN.py: for every graded function, realistic
mistakes (each must fail a *public* test, with a message that contains its hint) and correct
alternatives (each must pass *all* tests, public and hidden).
"""

import importlib
import pkgutil
import re

import catalogue
import pytest
from support.notebook_harness import reference_code, run_case, solution_ids

from autograder.grade import diagnosis as diagnosis_of
from autograder.hidden.reference import source_dir
from utils.checks import WIDTH, CheckFailure


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)

WEEKS = [
    importlib.import_module(f"catalogue.{m.name}")
    for m in pkgutil.iter_modules(catalogue.__path__)
    if m.name.startswith("week")
]

MISTAKE_CASES = [
    pytest.param(w.NOTEBOOK, fn, m, id=f"{w.NOTEBOOK}:{fn}:{m.label}")
    for w in WEEKS for fn, ms in w.MISTAKES.items() for m in ms
]
ALTERNATIVE_CASES = [
    pytest.param(w.NOTEBOOK, fn, a, id=f"{w.NOTEBOOK}:{fn}:{a.label}")
    for w in WEEKS for fn, alts in w.ALTERNATIVES.items() for a in alts
]
GRADED = [
    pytest.param(str(p.relative_to(source_dir())), fn, id=f"{p.relative_to(source_dir())}:{fn}")
    for p in sorted(source_dir().glob("*/*.ipynb"))
    for fn in solution_ids(p.relative_to(source_dir()))
]


def reads_back(message: str) -> bool:
    """The class report reads a diagnosis back from the message: a failure kind it knows,
    the catalogued mistake it names, or else the test's own words (its first line)."""
    diagnosis = diagnosis_of.read_message(message)
    if "this is the result you get when you " in message and not (
            diagnosis.mistake and f"when you {diagnosis.mistake}" in message):
        return False
    first = message.splitlines()[0]
    return diagnosis.kind != diagnosis_of.OTHER or bool(
        diagnosis.mistake and first.startswith(diagnosis.mistake.removesuffix(" ...")))


MAX_LINES = 10  # what a student sees of a failure, after wrapping
MAX_WIDTH = WIDTH  # nbgrader validate cuts longer lines


@pytest.mark.parametrize("notebook, function, mistake", MISTAKE_CASES)
def test_public_tests_name_the_mistake_in_a_short_message(notebook, function, mistake):
    with pytest.raises(AssertionError) as failure:
        run_case(notebook, function, mistake.code, hidden=False)
    message = str(failure.value)
    assert mistake.hint.lower() in message.lower(), (
        f"the message for '{mistake.label}' does not contain {mistake.hint!r}:\n{message}"
    )
    assert isinstance(failure.value, CheckFailure), (
        f"'{mistake.label}' fails with a bare {type(failure.value).__name__}: {message}"
    )
    lines = failure.value._render_traceback_()
    assert len(lines) <= MAX_LINES, f"'{mistake.label}': {len(lines)} lines:\n" + "\n".join(lines)
    assert not message.startswith("Hint"), message
    assert all(len(strip_ansi(line)) <= MAX_WIDTH for line in lines), "\n".join(lines)
    # the class report reads the same diagnosis back from the message
    assert reads_back(message), message


@pytest.mark.parametrize("notebook, function, mistake", MISTAKE_CASES)
def test_hidden_tests_alone_catch_the_mistake_every_time(notebook, function, mistake):
    messages = []
    for _ in range(2):
        with pytest.raises(AssertionError) as failure:
            run_case(notebook, function, mistake.code, hidden="only")
        messages.append(str(failure.value))
    assert "is not defined" not in messages[0] or "is not defined" in mistake.hint, messages[0]
    assert messages[0] == messages[1], "the hidden tests are not deterministic:\n" + "\n".join(
        messages)
    assert reads_back(messages[0]), messages[0]


@pytest.mark.parametrize("notebook, function, alternative", ALTERNATIVE_CASES)
def test_alternative_answer_passes_all_tests(notebook, function, alternative):
    run_case(notebook, function, alternative.code, hidden=True)


@pytest.mark.parametrize("notebook, function", GRADED)
def test_reference_solution_passes_all_tests(notebook, function):
    printed = run_case(notebook, function, reference_code(notebook, function), hidden=True)
    assert "passed" in printed.lower()
    # The hidden tests stand on their own (nothing from the public part), so that the test
    # above, which runs them alone, measures what they catch.
    run_case(notebook, function, reference_code(notebook, function), hidden="only")


@pytest.mark.parametrize("notebook, function", GRADED)
def test_every_graded_function_is_catalogued(notebook, function):
    week = next((w for w in WEEKS if w.NOTEBOOK == notebook), None)
    assert week is not None, f"no catalogue for {notebook} in tests/catalogue/"
    assert len(week.MISTAKES.get(function, [])) >= 3, f"{function}: catalogue 3 mistakes or more"
    assert len(week.ALTERNATIVES.get(function, [])) >= 2, (
        f"{function}: catalogue 2 alternative answers or more"
    )


def test_a_public_test_rejects_a_blank_answer():
    """The release stub fails the public tests with a message saying what to do."""
    from support.notebook_harness import release_code

    week = WEEKS[0]
    function = next(iter(week.MISTAKES))
    stub = release_code(reference_code(week.NOTEBOOK, function))
    with pytest.raises(AssertionError, match="not written yet"):
        run_case(week.NOTEBOOK, function, stub, hidden=False)
