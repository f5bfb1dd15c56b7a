"""Hidden tests that the student's kernel cannot fool: the grader's half.

A test cell is "visible tests, then a hidden block" (``### BEGIN HIDDEN TESTS`` ...). The visible
tests give students feedback while they work and run in their kernel as written. When a
submission is graded, the hidden block never runs in the kernel. Instead, for each graded test
cell, the grader (this module, in the grading process, outside the kernel):

1. plans: runs the hidden block of the *source* notebook (never the submission's copy) with
   stand-ins for the student's functions that return the reference's results and note every call
   (name, arguments, numpy's global random state): the hidden inputs;
2. sends: the kernel runs the visible tests, then ``autograder.record.run`` with those calls,
   which calls the student's functions and displays what they returned as plain data
   (``autograder.wire``);
3. judges: runs the hidden block again, here, with stand-ins that hand back the student's results
   rebuilt from that data, so every check (values, shapes, types, arguments changed in place,
   training accuracy) runs on honest numpy values with the grader's own numpy and checks. A
   failure, a missing or duplicated result, or data that is not a value becomes an error output
   on the cell, which nbgrader scores zero like any failed test.

Whatever the submission does to numpy, the check helpers or this package inside its kernel, it
only changes the values it sends, and those are compared with the reference here.
"""

from __future__ import annotations

import copy
import json
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat
import numpy as np

from autograder import reference as ref
from autograder.record import RECORD_MIME
from autograder.wire import WireError, decode, encode
from utils.checks import failure_message, render_message

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_FAILURE = "HiddenTestFailure"  # ename of the error output added to a failed cell


class ReplayError(RuntimeError):
    """The hidden test asked for other calls than planned: a bug in the test, not the student's."""


@dataclass(frozen=True)
class HiddenTest:
    """One test cell of a source notebook, split around its hidden block."""

    grade_id: str
    tested: str  # the function named in `with tests_for("...")`, for messages
    before: str  # the visible tests
    hidden: str  # the hidden block, dedented
    indent: str
    after: str

    def kernel_source(self, payload: str) -> str:
        """What the kernel runs: the visible tests, then the recorded calls."""
        call = f"__import__('autograder.record').record.run(globals(), {payload!r})"
        return f"{self.before}{self.indent}{call}\n{self.after}"


def split(source: str, grade_id: str) -> HiddenTest | None:
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not starts:
        return None
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ValueError(f"test cell {grade_id}: one {BEGIN} ... {END} block expected")
    start, end = starts[0], ends[0]
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    tested = grade_id.removeprefix("test_")
    for line in lines[:start]:
        if "tests_for(" in line:
            tested = line.split("tests_for(", 1)[1].split(",")[0].split(")")[0].strip("\"' ")
            break
    return HiddenTest(grade_id, tested, "".join(lines[:start]),
                      textwrap.dedent("".join(lines[start + 1:end])), indent,
                      "".join(lines[end + 1:]))


def _grade_id(cell) -> str | None:
    meta = ref.nbgrader_meta(cell)
    return meta.get("grade_id") if ref.is_test_cell(cell) else None


@lru_cache(maxsize=16)
def _hidden_tests(path: str, mtime: float) -> dict[str, HiddenTest]:
    nb = ref.read_notebook(path)
    tests = {}
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if grade_id:
            test = split(cell.source, grade_id)
            if test is not None:
                tests[grade_id] = test
    return tests


def hidden_tests(source_notebook: Path) -> dict[str, HiddenTest]:
    """The test cells with hidden blocks of a source notebook, by grade id."""
    return _hidden_tests(str(source_notebook), source_notebook.stat().st_mtime)


@lru_cache(maxsize=16)
def _student_names(path: str, mtime: float) -> tuple[str, ...]:
    """The functions the solution cells define: the ones a student writes."""
    imports: dict = {}
    for code in _imports(path, mtime):
        exec(code, imports)
    namespace = ref._reference_namespace(path, mtime)
    return tuple(name for name, value in namespace.items()
                 if callable(value) and not name.startswith("__")
                 and imports.get(name, None) is not value)


@lru_cache(maxsize=16)
def _imports(path: str, mtime: float) -> tuple:
    """The notebook's import cells, compiled."""
    return tuple(compile(cell.source, "<imports>", "exec")
                 for cell in ref.read_notebook(path).cells if ref.is_import_cell(cell))


def _namespace(source_notebook: Path, stand_in) -> dict:
    """Where a hidden block runs in the grader: the notebook's imports, stand-in functions."""
    path = str(source_notebook)
    mtime = source_notebook.stat().st_mtime
    namespace: dict = {"__name__": "hidden_test"}
    for code in _imports(path, mtime):
        exec(code, namespace)
    for name in _student_names(path, mtime):
        namespace[name] = stand_in(name)
    return namespace


def _wire(value) -> str:
    return json.dumps(encode(value), sort_keys=True)


@dataclass
class Call:
    name: str
    args: tuple
    kwargs: dict
    state: tuple

    def payload(self) -> dict:
        return {"name": self.name, "args": encode(self.args), "kwargs": encode(self.kwargs),
                "state": encode(self.state)}


def _run_hidden(test: HiddenTest, namespace: dict) -> None:
    state = np.random.get_state()
    try:
        exec(compile(test.hidden, f"<hidden tests of {test.grade_id}>", "exec"), namespace)
    finally:
        np.random.set_state(state)


@lru_cache(maxsize=64)
def _plan(path: str, mtime: float, grade_id: str) -> tuple[tuple[Call, ...], str]:
    source_notebook = Path(path)
    test = hidden_tests(source_notebook)[grade_id]
    calls: list[Call] = []

    def stand_in(name):
        def planned(*args, **kwargs):
            state = np.random.get_state()
            calls.append(Call(name, copy.deepcopy(args), copy.deepcopy(kwargs), state))
            try:
                return ref.reference(path, name)(*args, **kwargs)
            finally:
                np.random.set_state(state)
        planned.__name__ = planned.__qualname__ = name
        return planned

    _run_hidden(test, _namespace(source_notebook, stand_in))
    payload = json.dumps({"calls": [call.payload() for call in calls]})
    if '"t": "opaque"' in payload:  # a function, a generator...: the kernel would get a stand-in
        raise ValueError(f"the hidden tests of {grade_id} in {path} pass the student's function "
                         "an argument that is not a plain value (autograder.wire)")
    return tuple(calls), payload


def plan(source_notebook: Path, grade_id: str) -> tuple[tuple[Call, ...], str]:
    """The calls the hidden block of ``grade_id`` makes, and the kernel's payload for them."""
    return _plan(str(source_notebook), source_notebook.stat().st_mtime, grade_id)


class Unreadable(BaseException):  # noqa: N818 (not an Exception: utils.checks.call lets it by)
    """A result from the kernel that is not a value encoded by autograder.wire."""


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


def _restore_in_place(target, after) -> None:
    """Make the grader's copy of an argument look as the student's function left it."""
    if isinstance(target, np.ndarray) and isinstance(after, np.ndarray):
        if target.shape == after.shape:  # (a changed shape: the visible tests report it)
            target[...] = after.astype(target.dtype, copy=False)
    elif isinstance(target, dict) and isinstance(after, dict):
        target.clear()
        target.update(after)
    elif isinstance(target, list) and isinstance(after, list):
        target[:] = after


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


def judge(cell, source_notebook: Path, test: HiddenTest) -> str | None:
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
            if (number >= len(calls) or calls[number].name != name
                    or _wire((args, kwargs)) != _wire((calls[number].args, calls[number].kwargs))):
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
                after = record.get("after")
                after_args, after_kwargs = (decode(after[0]), decode(after[1])) if isinstance(
                    after, list) and len(after) == 2 else (None, None)
            except WireError as exc:
                raise Unreadable(str(exc)) from None
            if after is not None:
                if isinstance(after_args, tuple) and len(after_args) == len(args):
                    for target, value in zip(args, after_args, strict=True):
                        _restore_in_place(target, value)
                if isinstance(after_kwargs, dict):
                    for key, value in after_kwargs.items():
                        if key in kwargs:
                            _restore_in_place(kwargs[key], value)
            return result
        replayed.__name__ = replayed.__qualname__ = name
        return replayed

    try:
        _run_hidden(test, _namespace(source_notebook, stand_in))
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


def failure_output(message: str):
    """The error output that marks a test cell as failed, shown like the visible tests' own."""
    return nbformat.v4.new_output("error", ename=HIDDEN_FAILURE, evalue=message,
                                  traceback=render_message(message))
