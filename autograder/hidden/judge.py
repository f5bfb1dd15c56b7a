"""Grader side, after the kernel ran a test cell: the results it displayed, taken out of the cell,
and the hidden block run again with stand-ins that hand them back, so that every check runs
here on plain values with the grader's own numpy and checks.
"""

from __future__ import annotations

from pathlib import Path

from autograder.hidden.cells import TestCell, namespace, run_hidden
from autograder.hidden.kernel import RECORD_MIME
from autograder.hidden.plan import plan
from autograder.hidden.wire import WireError, decode, decode_after, restore_arguments
from utils.checks import failure_message

HIDDEN_FAILURE = "HiddenTestFailure"  # ename of the error output added to a failed cell


class ReplayError(RuntimeError):
    """The hidden test asked for other calls than planned: a bug in the test, not the student's."""


class Unreadable(BaseException):  # noqa: N818 (not an Exception: utils.checks.call lets it by)
    """A result from the kernel that is not a value encoded by autograder.hidden.wire."""


def _rebuilt_error(error) -> BaseException:
    """The student's exception, rebuilt: a class of the same name, a subclass of the same
    built-in exception, whose message reads as in the kernel. No code of theirs runs."""
    import builtins

    if not isinstance(error, dict):
        raise Unreadable("bad error record")
    name, base, message = error.get("type"), error.get("builtin"), error.get("message")
    if not all(isinstance(v, str) for v in (name, base, message)):
        raise Unreadable("bad error record")
    parent = getattr(builtins, base, None)
    if not (isinstance(parent, type) and issubclass(parent, Exception)):
        parent = Exception
    name = name if name.isidentifier() else parent.__name__
    body = {"__module__": "submission", "__str__": lambda self: message,
            "__init__": lambda self: BaseException.__init__(self, message)}
    try:
        return type(name, (parent,), body)()
    except TypeError:  # a built-in whose construction needs more (ExceptionGroup)
        return type(name, (Exception,), body)()


def records(cell) -> tuple[dict[int, dict], list[str]]:
    """The kernel's results in a cell's outputs (taken out of the cell), and what was wrong."""
    found: dict[int, dict] = {}
    problems = []
    kept = []
    for output in cell.get("outputs", []):
        data = output.get("data", {}) if output.get("output_type") in (
            "display_data", "execute_result") else {}
        if RECORD_MIME not in data:
            kept.append(output)
            continue
        record = data[RECORD_MIME]
        number = record.get("call") if isinstance(record, dict) else None
        if type(number) is not int:
            problems.append("a result without its call number")
        elif number in found:
            problems.append(f"two results for call {number + 1}")
        else:
            found[number] = record
    cell.outputs = kept
    return found, problems


def judge(cell, source_notebook: Path, test: TestCell) -> str | None:
    """Compare the kernel's results with the reference; the failure message, or None."""
    calls, _ = plan(source_notebook, test.grade_id)
    found, problems = records(cell)
    if problems:
        return (f"the hidden tests of {test.tested} could not be checked: {problems[0]} "
                "(the test cell's output was tampered with).")
    position = 0

    def stand_in(name):
        def replayed(*args, **kwargs):
            nonlocal position
            number = position
            position += 1
            if number >= len(calls) or not calls[number].is_made_by(name, args, kwargs):
                raise ReplayError(f"hidden test {test.grade_id}: call {number + 1} of {name} "
                                  "differs from the planned one")
            record = found.get(number)
            if record is None:
                raise AssertionError(
                    f"{name} returned no result on hidden input {number + 1}: the kernel did "
                    "not finish the hidden tests (it stopped, ran out of time, or the test "
                    "cell was changed).")
            if "error" in record:
                raise _rebuilt_error(record["error"])
            try:
                result = decode(record.get("result"))
                after = decode_after(record.get("after"))
            except WireError as exc:
                raise Unreadable(str(exc)) from None
            restore_arguments(args, kwargs, after)
            return result
        replayed.__name__ = replayed.__qualname__ = name
        return replayed

    try:
        run_hidden(test, namespace(source_notebook, stand_in))
    except ReplayError:
        raise
    except Unreadable as exc:
        return (f"the hidden tests of {test.tested} could not be checked: a result was not a "
                f"plain value ({exc}).")
    except Exception as exc:  # noqa: BLE001 (every failure becomes the cell's message)
        return failure_message(test.tested, exc)
    extra = sorted(set(found) - set(range(len(calls))))
    if extra:
        return (f"the hidden tests of {test.tested} could not be checked: results for calls "
                "that were never made (the test cell's output was tampered with).")
    return None

