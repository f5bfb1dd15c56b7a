"""What a student sees when a check fails: ``CheckFailure``, its rendering, and formatting helpers.

A failed check raises ``CheckFailure``, which IPython (JupyterLab, nbclient, ``nbgrader
validate``) shows as its message alone: the first line says what is wrong, the next ones give the
hint, every line at most ``WIDTH`` characters, and no traceback.
"""

from __future__ import annotations

import textwrap

import numpy as np

WIDTH = 80  # nbgrader validate cuts lines at 87 characters (its width 90, less "...")


def fmt(value, precision=8):
    """Short printable form of a number or small array."""
    if isinstance(value, np.ndarray):
        if value.size > 12:
            return f"array of shape {value.shape}"
        return np.array2string(value, precision=precision, separator=", ")
    if isinstance(value, float | np.floating):
        return f"{float(value):.{precision}g}"
    return repr(value)


def describe(value):
    """What kind of thing a value is, for messages ("ndarray of shape (3, 1)", "list", ...)."""
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    return type(value).__name__


def article(noun):
    """The noun with its indefinite article."""
    return ("an " if noun[:1].lower() in "aeiou" or noun.startswith("ndarray") else "a ") + noun


class CheckFailure(AssertionError):
    """A check that failed: IPython shows its message alone, wrapped to WIDTH columns.

    The message's first line says what is wrong; the following lines ("Hint: ...") say why it
    may be. ``_render_traceback_`` is IPython's hook for exceptions that draw themselves: the
    notebook, nbclient and nbgrader (validate and feedback) all show these lines and nothing else.
    """

    def _render_traceback_(self):
        return render_message(str(self))


def render_message(message: str) -> list[str]:
    """The lines a student sees for a failure message: wrapped, the first one in bold red."""
    lines = []
    for number, paragraph in enumerate(message.strip().splitlines() or ["(no message)"]):
        indent = "      " if paragraph.startswith("Hint: ") else "  "
        wrapped = textwrap.wrap(paragraph, WIDTH, subsequent_indent=indent,
                                break_on_hyphens=False) or [""]
        if number == 0:
            wrapped = [f"\x1b[1;31m{line}\x1b[0m" for line in wrapped]
        lines += wrapped
    return lines


def fail(message, hints=()):
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    hints = [h for h in hints if h]
    if hints:
        message += "\nHint: " + "\nHint: ".join(hints)
    raise CheckFailure(message)
