"""The kernel's half of a hidden test: call the student's functions, send back what they return.

When a submission is graded, the hidden part of a test cell does not run in the student's kernel.
The grader (``autograder.honest``) works out the calls the hidden test makes, runs the visible
tests followed by ``run(globals(), PAYLOAD)`` in the kernel, and compares the results itself, out
of the kernel's reach. This module only calls and reports: it holds no reference solution and
decides nothing, so changing it (or anything else in the kernel) can only spoil a student's own
results.
"""

from __future__ import annotations

import builtins
import json

import numpy as np

from autograder.wire import decode, encode

RECORD_MIME = "application/vnd.nndl.record+json"


def _error(exc: BaseException) -> dict:
    base = next((k.__name__ for k in type(exc).__mro__
                 if getattr(builtins, k.__name__, None) is k), "Exception")
    return {"type": type(exc).__name__, "builtin": base, "message": str(exc)[:4000]}


def run(namespace: dict, payload: str) -> None:
    """Call each planned function of the student on its hidden input and display the results."""
    from IPython.display import display

    plan = json.loads(payload)
    for number, planned in enumerate(plan["calls"]):
        args, kwargs = decode(planned["args"]), decode(planned["kwargs"])
        record: dict = {"call": number}
        fn = namespace.get(planned["name"])
        if fn is None:
            record["error"] = {"type": "NameError", "builtin": "NameError",
                               "message": f"name {planned['name']!r} is not defined"}
        else:
            np.random.set_state(decode(planned["state"]))
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 (the grader turns it into the message)
                record["error"] = _error(exc)
            else:
                record["result"] = encode(result)
                record["after"] = [encode(args), encode(kwargs)]
        display({RECORD_MIME: record}, raw=True)
