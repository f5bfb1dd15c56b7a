"""A test cell: ``tests_for`` around the checks of one graded function, ``require_passed`` before
a cell that uses graded functions, and which of them have passed in this kernel (``STATUS``).

A pass holds for the definition that passed: STATUS keeps a fingerprint of the function's code,
and a function defined again differently since (the student edited and re-ran its cell) counts
as not passed until its test runs again.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import types

from utils.checks.causes import explain
from utils.checks.context import cell_line
from utils.checks.messages import CheckFailure

# Which graded functions have passed their tests in this kernel: name -> False (failed), or the
# fingerprint of the definition that passed (a str), or True (passed, definition unknown).
STATUS: dict[str, bool | str] = {}


def fingerprint(fn) -> str | None:
    """A digest of what a function does: its code (bytecode, constants, names, nested code) and
    its defaults (plain data; of other objects, their type); not where it was written (cell,
    line numbers), so running the same cell again keeps it. None for what is not a function."""
    if not isinstance(fn, types.FunctionType):
        return None

    def parts(code):
        consts = tuple(parts(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
        return (code.co_code, consts, code.co_names, code.co_varnames, code.co_freevars)

    def stable(v):  # a default's value when it is plain data, else only its type
        if isinstance(v, tuple | list):
            return tuple(stable(x) for x in v)
        return v if isinstance(v, int | float | str | bytes | None) else type(v).__name__

    defaults = (stable(fn.__defaults__ or ()), stable(list((fn.__kwdefaults__ or {}).items())))
    text = repr((parts(fn.__code__), defaults))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _namespace() -> dict:
    """The globals of the notebook code that called into this module: the first frame above
    that is not in utils.checks or contextlib. In a notebook that is IPython's user namespace."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(
            ("utils.checks", "contextlib")):
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def _lookup(name, namespace):
    if name in namespace:
        return namespace[name]
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell.user_ns.get(name) if shell is not None else None


def _state(name, namespace) -> str:
    """'passed', 'failed' (or not run) or 'changed' (passed, then defined again differently)."""
    state = STATUS.get(name, False)
    if not state:
        return "failed"
    if state is True:
        return "passed"
    current = fingerprint(_lookup(name, namespace))
    return "passed" if current is None or current == state else "changed"


def passed_frame(frame) -> bool:
    """Whether a running frame is of a graded function that passed its test, unchanged since."""
    name = frame.f_code.co_name
    state = STATUS.get(name, False)
    if not state or state is True:
        return bool(state)
    fn = frame.f_globals.get(name)
    return getattr(fn, "__code__", None) is frame.f_code and fingerprint(fn) == state


def _first_fix(uses, what, namespace) -> str | None:
    """'First fix f: this test calls it, ...' for the graded functions of ``uses`` that have not
    passed (or changed since), or None when all passed."""
    states = {name: _state(name, namespace) for name in uses}
    failed = [n for n in uses if states[n] == "failed"]
    changed = [n for n in uses if states[n] == "changed"]
    if failed:
        which = ", ".join(failed)
        line = (f"First fix {which}: {what} it, and its own test has not passed yet."
                if len(failed) == 1 else
                f"First fix {which}: {what} them, and their tests have not passed yet.")
        if changed:
            line += f" Run the test of {', '.join(changed)} again too: changed since it passed."
        return line
    if changed:
        one = len(changed) == 1
        return (f"First fix {', '.join(changed)}: {what} {'it' if one else 'them'}, and "
                f"{'it' if one else 'they'} changed since {'its test' if one else 'their tests'} "
                f"passed: run {'its test' if one else 'their tests'} again.")
    return None


def have_passed(*names) -> bool:
    """Whether every graded function of ``names`` passed its test (unchanged since): a test that
    can only check its own function with the student's other ones checks it when they passed,
    so that it never loses points for another function's mistake."""
    namespace = _namespace()
    return all(_state(name, namespace) == "passed" for name in names)


def require_passed(*names):
    """Stop a cell that runs graded functions whose tests have not passed in this kernel.

    Put at the top of an ordinary cell (training, plots) that uses the student's functions: with
    a wrong function it says which one to fix, in one line, instead of a long traceback from deep
    inside correct code, a training run that takes minutes, or NameErrors in the cells after.
    """
    __tracebackhide__ = True  # IPython shows the cell, not this frame
    namespace = _namespace()
    first = _first_fix(names, "this cell uses", namespace)
    if first:
        unmet = {n for n in names if _state(n, namespace) != "passed"}
        failed = [name for name, passed in STATUS.items() if not passed]
        where = (f"The first failing test above is the one of {failed[0]}: start there. "
                 if failed and failed[0] not in unmet else "")
        raise CheckFailure(f"{first}\n({where}Run the tests again once fixed, then this cell.)")


def failure_message(name, error) -> str:
    """The message of a test of ``name`` that stopped with ``error``."""
    if isinstance(error, AssertionError):
        return str(error) or f"a check of {name} failed."
    message = f"testing {name} raised {type(error).__name__}: {error}"
    lines, hint = explain(error, trusted=passed_frame)
    if not lines and (line := cell_line(error)):
        lines = [line]
    message += "".join(f"\n{line}" for line in lines)
    if hint:
        message += "\nHint: " + hint
    return message


def _references(uses):
    """When the notebook is graded with each function on its own (a course setting), the
    functions of ``uses`` answer with the reference's results while the test runs (the grader
    computes them: autograder.hidden.kernel.references); otherwise nothing changes."""
    if not uses:
        return contextlib.nullcontext()
    from autograder.hidden.kernel import references

    return references(_namespace(), uses)


@contextlib.contextmanager
def tests_for(name, uses=()):
    """The tests of one graded function: one short message on failure, a line on success.

    Arguments:
    name -- the graded function under test, e.g. "propagate"
    uses -- the other graded functions it calls, e.g. ("sigmoid",): when one of them has not
            passed its own tests in this kernel (or changed since) and this test fails, the
            message says so first, followed by the first line of what failed and no hint

    Any error inside the block becomes a ``CheckFailure``; the outcome is recorded in STATUS.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    STATUS[name] = False
    try:
        with _references(uses):
            yield
    except Exception as error:  # noqa: BLE001 (every error becomes one message)
        message = failure_message(name, error)
        first = _first_fix(uses, "this test calls", _namespace())
        if first:
            message = f"{first}\n{message.splitlines()[0]}"
        raise CheckFailure(message) from None
    STATUS[name] = fingerprint(_lookup(name, _namespace())) or True
    print("All public tests passed.")


tests_for.__test__ = False  # not a test function for pytest, which collects names "test*"
