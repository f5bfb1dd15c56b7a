"""What a failed test cell of an autograded notebook diagnosed, as data: the failure kind, the
catalogued mistake when one was named, the earlier function it was blamed on, and who said so
(the grader's judge, trusted, or the student's kernel, not trusted).

The course's checks (utils.checks) write their messages from a few forms ("x has shape (1, 4)
but should have shape (4, 1).", "testing f raised TypeError: ...", "First fix sigmoid: ...") and
name a catalogued mistake in the words of the examples' mistake dictionaries ("this is the result
you get when you forgot the 1/m in dw."); this module reads them back.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import textwrap
from dataclasses import dataclass, field, replace
from functools import lru_cache

from autograder.engine.cell_errors import (
    DISK_LIMIT,
    KERNEL_DIED,
    NOT_RUN,
    OUTPUT_LIMIT,
    STUCK,
    TIME_LIMIT,
)
from autograder.hidden.judge import HIDDEN_FAILURE
from autograder.hidden.pipeline import JUDGE_KEY

JUDGE, KERNEL = "judge", "kernel"  # who diagnosed it

# The failure kinds, in the words of the report.
NOT_WRITTEN = "not written"
BLAMED = "blamed on"  # "blamed on sigmoid"
WRONG_VALUES = "wrong values"
WRONG_SHAPE = "wrong shape"
WRONG_TYPE = "wrong type"
NOT_FINITE = "NaN or infinite values"
WRONG_KEYS = "wrong keys"
CHANGED_INPUT = "changed an input in place"
NOTHING_RETURNED = "returned None"
RAISED = "raised"  # "raised TypeError"
TAMPERED = "test cell tampered with"
NO_ERROR = "lost points without an error"
OTHER = "other failure"  # its mistake is the message's first line: a test's own words
LIMITS = {TIME_LIMIT: "time limit", STUCK: "time limit (not interrupted)",
          KERNEL_DIED: "kernel died", DISK_LIMIT: "disk limit", NOT_RUN: "not run",
          OUTPUT_LIMIT: "output limit", "MemoryError": "memory limit"}

# First-line forms of the checks' messages, most specific first.
_FORMS = [
    (re.compile(r" is not written yet"), NOT_WRITTEN),
    (re.compile(r"\bcould not be checked\b"), TAMPERED),
    (re.compile(r" changed its argument .* in place"), CHANGED_INPUT),
    (re.compile(r"(\bis None\.|returned None)"), NOTHING_RETURNED),
    (re.compile(r" raised (\w+)"), RAISED),
    (re.compile(r"(has shape .* should have shape|is a 1-D \(rank-1\) array|"
                r"should have \d+ items|holds \d+ costs?, but should hold|should return \w+ of "
                r"shape|should hold \d+ .* but it holds \d+)"), WRONG_SHAPE),
    (re.compile(r"contains (NaN|nan|inf|infinite)"), NOT_FINITE),
    (re.compile(r"should have the keys"), WRONG_KEYS),
    (re.compile(r"(should be (a|an) |should be the tuple|should be integers|should hold floats|"
                r"returned (a|an) |as \w+ \(value number|should be a list|in the wrong order|"
                r"should be a Python float|not a tuple|returned \d+ values)"), WRONG_TYPE),
    (re.compile(r"(is wrong|should be .*, got|got .*, expected)"), WRONG_VALUES),
]
_CAUSE = "this is the result you get when you "


@dataclass(frozen=True)
class Diagnosis:
    kind: str  # one of the kinds above ("raised TypeError", "blamed on sigmoid", ...)
    mistake: str | None = None  # a catalogued mistake's description
    by: str = KERNEL  # JUDGE or KERNEL
    message: str = field(default="", compare=False)  # what the student read

    @property
    def label(self) -> str:
        """The mistakes.csv row it counts in: the catalogued mistake, else the kind."""
        return self.mistake or self.kind


@lru_cache(maxsize=1)
def catalogued_mistakes() -> tuple[str, ...]:
    """Every mistake description of the examples' mistake dictionaries (utils.examples.weekN:
    ``*_MISTAKES``, nested by index or key), longest first."""
    import utils.examples as examples

    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not isinstance(item, dict):
                    found.add(key)
                walk(item)

    for info in pkgutil.iter_modules(examples.__path__):
        module = importlib.import_module(f"{examples.__name__}.{info.name}")
        for name in dir(module):  # the examples are served by the module's __getattr__
            if name.endswith("MISTAKES"):
                walk(getattr(module, name))
    return tuple(sorted(found, key=len, reverse=True))


def read_message(message: str, by: str = KERNEL) -> Diagnosis:
    """The diagnosis a check's failure message states."""
    return replace(_read(message.strip(), by), message=message.strip())


def _read(text: str, by: str) -> Diagnosis:
    first = text.splitlines()[0] if text else ""
    if first.startswith("First fix "):
        function = re.split(r"[:,]", first.removeprefix("First fix "), maxsplit=1)[0].strip()
        return Diagnosis(f"{BLAMED} {function}", by=by)
    mistake = None
    if _CAUSE in text:
        after = text.split(_CAUSE, 1)[1]
        mistake = next((m for m in catalogued_mistakes() if after.startswith(m)), None)
    for form, kind in _FORMS:
        match = form.search(first)
        if match:
            if kind == RAISED:
                kind = f"{RAISED} {match.group(1)}"
            return Diagnosis(kind, mistake, by)
    if mistake:
        return Diagnosis(WRONG_VALUES, mistake, by)
    # A test's own words for this function's mistake ("all rows of W1 are equal, the symmetry
    # is not broken."): the first line names it.
    return Diagnosis(OTHER, textwrap.shorten(first, 100, placeholder=" ...") or None, by)


def diagnose(cell) -> Diagnosis | None:
    """What a test cell of an autograded notebook (a dict, as JSON) diagnosed; None when it has
    no error. The judge's verdict (the grader's metadata) is trusted; errors the kernel put in
    the cell are labelled as the kernel's."""
    verdict = (cell.get("metadata") or {}).get(JUDGE_KEY) or {}
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    names = [o.get("ename") for o in errors]
    for ename, kind in LIMITS.items():  # the grader's own marks come first
        if ename in names and ename != "MemoryError":
            mark = errors[names.index(ename)]
            return Diagnosis(kind, by=JUDGE, message=str(mark.get("evalue", "")))
    kernel = [o for o in errors if o.get("ename") != HIDDEN_FAILURE]
    if kernel:  # the visible tests failed: the kernel's account
        if "MemoryError" in names or "MemoryError" in str(kernel[0].get("evalue", "")):
            return Diagnosis(LIMITS["MemoryError"], by=KERNEL,
                             message=str(kernel[0].get("evalue", "")))
        return read_message(str(kernel[0].get("evalue", "")), KERNEL)
    if verdict.get("judge") == "failed":
        return read_message(str(verdict.get("message", "")), JUDGE)
    if errors:  # a HiddenTestFailure the grader did not make
        return read_message(str(errors[0].get("evalue", "")), KERNEL)
    return None
