"""A catalogued raw-exception mistake: code that makes a student's function raise, and what the
message must then say (tests/catalogue/raw_weekN.py, tests/test_raw_exceptions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from support.notebook_harness import reference_code


@dataclass(frozen=True)
class RawMistake:
    """``code`` replaces the solution cell; the public tests then fail with a message that
    contains ``where`` ("f: <code of the line>", for "in f, line N: <code of the line>", N
    checked when f is written in ``code``) and either contains ``hint`` on its "Hint:" line or,
    when ``hint`` is None, has no hint at all: no rule can tell the cause, and a guessed one
    would point the wrong way."""

    label: str
    where: str
    hint: str | None
    code: str


def variant(notebook: str, function: str, *edits: tuple[str, str]) -> str:
    """The reference answer for ``function`` with each (old, new) of ``edits`` made once."""
    code = reference_code(notebook, function)
    for old, new in edits:
        assert code.count(old) == 1, f"{function}: {old!r} is not once in the reference answer"
        code = code.replace(old, new)
    return code
