"""The test cells catch every catalogued mistake by name and pass every alternative answer.

Each week's catalogue lives in tests/catalogue/weekN.py: for every graded function, realistic
mistakes (each must fail a *public* test, with a message that contains its hint) and correct
alternatives (each must pass *all* tests, public and hidden).
"""

import importlib
import pkgutil

import catalogue
import pytest
from notebook_harness import reference_code, run_case, solution_ids

from autograder.reference import source_dir

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


@pytest.mark.parametrize("notebook, function, mistake", MISTAKE_CASES)
def test_public_tests_name_the_mistake(notebook, function, mistake):
    with pytest.raises(AssertionError) as failure:
        run_case(notebook, function, mistake.code, hidden=False)
    assert mistake.hint.lower() in str(failure.value).lower(), (
        f"the message for '{mistake.label}' does not contain {mistake.hint!r}:\n{failure.value}"
    )


@pytest.mark.parametrize("notebook, function, alternative", ALTERNATIVE_CASES)
def test_alternative_answer_passes_all_tests(notebook, function, alternative):
    run_case(notebook, function, alternative.code, hidden=True)


@pytest.mark.parametrize("notebook, function", GRADED)
def test_reference_solution_passes_all_tests(notebook, function):
    printed = run_case(notebook, function, reference_code(notebook, function), hidden=True)
    assert "passed" in printed.lower()


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
    from notebook_harness import release_code

    week = WEEKS[0]
    function = next(iter(week.MISTAKES))
    stub = release_code(reference_code(week.NOTEBOOK, function))
    with pytest.raises(AssertionError, match="not written yet"):
        run_case(week.NOTEBOOK, function, stub, hidden=False)
