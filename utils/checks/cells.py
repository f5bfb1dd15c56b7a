"""A test cell: ``tests_for`` around the checks of one graded function, ``require_passed`` before
a cell that uses graded functions, and which of them have passed in this kernel (``STATUS``)."""

from __future__ import annotations

import contextlib

from utils.checks.calls import ERROR_HINTS
from utils.checks.messages import CheckFailure

# Which graded functions have passed their tests in this kernel: name -> True / False.
STATUS: dict[str, bool] = {}


def _unmet(uses) -> list[str]:
    return [name for name in uses if not STATUS.get(name, False)]


def _first_fix(unmet, what) -> str:
    """'First fix f: this test calls it, ...' for the graded functions ``unmet``."""
    which = ", ".join(unmet)
    if len(unmet) == 1:
        return f"First fix {which}: {what} it, and its own test has not passed yet."
    return f"First fix {which}: {what} them, and their tests have not passed yet."


def require_passed(*names):
    """Stop a cell that runs graded functions whose tests have not passed in this kernel.

    Put at the top of an ordinary cell (training, plots) that uses the student's functions: with
    a wrong function it says which one to fix, in one line, instead of a long traceback from deep
    inside correct code, a training run that takes minutes, or NameErrors in the cells after.
    """
    __tracebackhide__ = True  # IPython shows the cell, not this frame
    unmet = _unmet(names)
    if unmet:
        failed = [name for name, passed in STATUS.items() if not passed]
        where = (f"The first failing test above is the one of {failed[0]}: start there. "
                 if failed and failed[0] not in unmet else "")
        raise CheckFailure(_first_fix(unmet, "this cell uses") + "\n"
                           f"({where}Run the tests again once fixed, then this cell.)")


def failure_message(name, error) -> str:
    """The message of a test of ``name`` that stopped with ``error``."""
    if isinstance(error, AssertionError):
        return str(error) or f"a check of {name} failed."
    message = f"testing {name} raised {type(error).__name__}: {error}"
    hints = [h for key, h in ERROR_HINTS if key in str(error)]
    if hints:
        message += "\nHint: " + hints[0]
    return message


@contextlib.contextmanager
def tests_for(name, uses=()):
    """The tests of one graded function: one short message on failure, a line on success.

    Arguments:
    name -- the graded function under test, e.g. "propagate"
    uses -- the other graded functions it calls, e.g. ("sigmoid",): when one of them has not
            passed its own tests in this kernel and this test fails, the message says so first

    Any error inside the block becomes a ``CheckFailure``; the outcome is recorded in STATUS.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    STATUS[name] = False
    try:
        yield
    except Exception as error:  # noqa: BLE001 (every error becomes one message)
        message = failure_message(name, error)
        unmet = _unmet(uses)
        if unmet:
            message = f"{_first_fix(unmet, 'this test calls')}\n{message}"
        raise CheckFailure(message) from None
    STATUS[name] = True
    print("All public tests passed.")


tests_for.__test__ = False  # not a test function for pytest, which collects names "test*"
