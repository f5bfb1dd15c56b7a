"""Kernel side: call the student's functions on the planned hidden inputs and display what they
return as plain data (``autograder.hidden.wire``). It holds no reference and decides nothing:
changing it, or anything else in the kernel, can only spoil the student's own results.
"""

from __future__ import annotations

import builtins
import json

import numpy as np

from autograder.hidden.wire import decode, encode

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
