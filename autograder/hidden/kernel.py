"""Kernel side: call the student's functions on the planned hidden inputs and display what they
return as plain data (``autograder.hidden.wire``); and, when each function is graded on its own,
the stand-ins that ask the grader for the reference's results (``references``). It holds no
reference and decides nothing: changing it, or anything else in the kernel, can only spoil the
student's own results.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
from collections.abc import Iterator

import numpy as np

from autograder.hidden.wire import Arrays, decode, encode, restore_in_place

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


# Grading each function on its own (``c.LimitedExecute.grade_functions_alone``): while a test
# cell runs, the graded functions its function uses (``tests_for(name, uses=...)``) are stand-ins
# that ask the grader for the reference's result, over the kernel's stdin channel: an input
# request whose prompt starts with REFERENCE_PROMPT, the arrays beside it as the message's binary
# buffers (autograder.hidden.references answers). The reference stays in the grader: the kernel
# sends the arguments and gets back the result, the arguments the reference changed and numpy's
# random state after the call.
ALONE_VARIABLE = "NNDL_GRADE_ALONE"  # set in a grading kernel's environment when the setting is on
REFERENCE_PROMPT = "\x00nndl-reference "
_arrays = Arrays()  # the large arrays this kernel has sent, which the grader keeps too


def _ask(text: str, buffers: list) -> tuple[dict, list] | None:
    """Send a request to the grader on the kernel's stdin channel and wait for the reply: (the
    reply, its buffers), or None when no grader answers (the stdin channel is closed)."""
    try:
        import zmq
        from IPython import get_ipython

        kernel = get_ipython().kernel
        if not kernel._allow_stdin:
            return None
        socket, session = kernel.stdin_socket, kernel.session
        ident, parent = kernel._parent_ident["shell"], kernel.get_parent("shell")
    except (ImportError, AttributeError, KeyError, TypeError):
        return None
    while True:  # replies to an earlier, interrupted request
        try:
            socket.recv_multipart(zmq.NOBLOCK)
        except zmq.ZMQError:
            break
    session.send(socket, "input_request", {"prompt": REFERENCE_PROMPT + text,
                                           "password": False},
                 parent, ident=ident, buffers=buffers)
    while True:
        try:
            readable, _, failed = zmq.select([socket], [], [socket], 0.05)
        except KeyboardInterrupt:  # the cell's time limit
            raise KeyboardInterrupt("Interrupted by user") from None
        if readable or failed:
            _, reply = session.recv(socket)
            if reply is not None:
                break
    try:
        answer = json.loads(reply["content"]["value"])
    except (KeyError, TypeError, ValueError):
        return None
    return (answer, reply.get("buffers") or []) if isinstance(answer, dict) else None


def _raised(error: dict) -> Exception:
    """The reference's exception as the kernel raises it: the built-in class it derives from."""
    parent = getattr(builtins, str(error.get("builtin")), None)
    if not (isinstance(parent, type) and issubclass(parent, Exception)):
        parent = Exception
    try:
        return parent(str(error.get("message", "")))
    except TypeError:
        return Exception(str(error.get("message", "")))


def reference_stand_in(name: str, own):
    """A stand-in for the student's ``own`` function ``name`` that returns what the grader's
    reference returns on the same arguments; the student's own function when the grader does
    not answer, or the arguments are not plain values."""

    def reference(*args, **kwargs):
        packing = _arrays.packing(keep=True)
        text = json.dumps({"name": name, "args": encode(args, packing=packing),
                           "kwargs": encode(kwargs, packing=packing),
                           "state": encode(np.random.get_state())})
        if '"t": "opaque"' in text:
            return own(*args, **kwargs)
        answered = _ask(text, packing.buffers)
        if answered is None:
            return own(*args, **kwargs)
        reply, buffers = answered
        if reply.get("kept"):
            packing.commit()
        if "refused" in reply:
            raise RuntimeError(str(reply["refused"]))
        unpacking = _arrays.unpacking(buffers, keep=False)
        if "state" in reply:
            np.random.set_state(decode(reply["state"]))
        if "error" in reply:
            raise _raised(reply["error"])
        for position, value in reply.get("changed_args", []):
            restore_in_place(args[position], decode(value, unpacking=unpacking))
        for key, value in reply.get("changed_kwargs", []):
            if key in kwargs:
                restore_in_place(kwargs[key], decode(value, unpacking=unpacking))
        return decode(reply.get("result"), unpacking=unpacking)

    reference.__name__ = reference.__qualname__ = name
    reference.__wrapped__ = own
    return reference


@contextlib.contextmanager
def references(namespace: dict, names) -> Iterator[None]:
    """While the block runs, the functions ``names`` of ``namespace`` answer with the
    reference's results, when this is a grading kernel with the setting on (else nothing
    changes); afterwards the student's own are back."""
    if not os.environ.get(ALONE_VARIABLE) or not names:
        yield
        return
    own = {name: namespace[name] for name in names if callable(namespace.get(name))}
    stand_ins = {name: reference_stand_in(name, fn) for name, fn in own.items()}
    namespace.update(stand_ins)
    try:
        yield
    finally:
        for name, fn in own.items():
            if namespace.get(name) is stand_ins[name]:
                namespace[name] = fn
