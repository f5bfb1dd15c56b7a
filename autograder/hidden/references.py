"""Grader side of grading each function on its own (``c.LimitedExecute.grade_functions_alone``,
default off): a test of a function that is right keeps its points when a graded function it uses
is wrong.

While the kernel runs a test cell, the graded functions that the cell's ``tests_for(name,
uses=...)`` names (in the source notebook: what the kernel claims is not read) are stand-ins in
the kernel (``autograder.hidden.kernel.references``). Each call sends its arguments as plain data
over the kernel's stdin channel; ``ReferenceCalls.answer`` runs the reference here, in the
grader, and sends back its result, the arguments it changed and numpy's random state. No
reference code enters the kernel, and the kernel gets the reference of no other function: not the
tested one, not one of another cell. autograder/README.md tells the whole trip.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import numpy as np

from autograder.hidden import reference as ref
from autograder.hidden.kernel import _error
from autograder.hidden.pipeline import quiet
from autograder.hidden.wire import Arrays, WireError, decode, encode
from utils.checks.calls import same_values

MAX_REQUEST = 64 * 1024 * 1024  # bytes of one request (its JSON and its arrays)
MAX_CALLS = 50_000  # reference calls answered per test cell
MAX_SECONDS = 300.0  # the grader's time spent on reference calls per notebook


class ReferenceCalls:
    """The reference calls answered for one notebook being graded."""

    def __init__(self, source_notebook: Path):
        self.source_notebook = source_notebook
        self.seconds = 0.0
        self.calls = 0  # answered in the current cell
        self.all_calls = 0  # answered in the notebook
        self.answered: set[str] = set()  # the functions answered in the current cell
        self.arrays = Arrays()  # the large arrays the kernel has sent, which it keeps too

    def new_cell(self) -> None:
        self.calls = 0
        self.answered = set()

    def answer(self, allowed: tuple[str, ...], text: str, buffers: list) -> tuple[str, list]:
        """The reply to a kernel's request (JSON and binary buffers), while a cell whose test
        ``allowed`` functions may be answered runs: (JSON, buffers)."""
        packing = self.arrays.packing(keep=False)
        reply = self._answer(allowed, text, buffers, packing)
        return json.dumps(reply), packing.buffers

    def _answer(self, allowed, text, buffers, packing) -> dict:
        if len(text) + sum(len(b) for b in buffers) > MAX_REQUEST:
            return {"refused": "a call of the reference too large to answer (its arguments "
                    f"are over {MAX_REQUEST // 2**20} MiB)"}
        unpacking = self.arrays.unpacking(buffers, keep=True)
        try:
            request = json.loads(text)
            name = request["name"]
            args = decode(request["args"], unpacking=unpacking)
            kwargs = decode(request["kwargs"], unpacking=unpacking)
            state = decode(request["state"])
        except (ValueError, KeyError, TypeError, RecursionError, WireError):
            return {"refused": "an unreadable request for a reference call"}
        unpacking.commit()
        kept = {"kept": True}
        if not isinstance(name, str) or name not in allowed:
            return {**kept, "refused": "the grader answers calls of "
                    f"{', '.join(allowed) or 'no function'} in this cell, not of {str(name)[:60]}"}
        if not isinstance(args, tuple) or not isinstance(kwargs, dict) or not all(
                isinstance(key, str) for key in kwargs):
            return {**kept, "refused": "an unreadable request for a reference call"}
        if self.calls >= MAX_CALLS:
            return {**kept, "refused": f"more than {MAX_CALLS} calls of the reference in one cell"}
        if self.seconds > MAX_SECONDS:
            return {**kept, "refused": f"the grader's {MAX_SECONDS:.0f} s for reference calls in "
                    "this notebook are used up"}
        self.calls += 1
        self.all_calls += 1
        own_state = np.random.get_state()
        started = time.process_time()
        before = copy.deepcopy((args, kwargs))
        try:
            np.random.set_state(state)
            function = ref.reference(self.source_notebook, name)
            with quiet(name):
                result = function(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 (the kernel raises it where the call was)
            reply = {**kept, "error": _error(exc)}
        else:
            reply = {**kept, "result": encode(result, packing=packing),
                     "changed_args": [[i, encode(arg, packing=packing)]
                                      for i, arg in enumerate(args)
                                      if not same_values(arg, before[0][i])],
                     "changed_kwargs": [[key, encode(value, packing=packing)]
                                        for key, value in kwargs.items()
                                        if not same_values(value, before[1][key])]}
            self.answered.add(name)
        finally:
            reply_state = np.random.get_state()
            np.random.set_state(own_state)
            self.seconds += time.process_time() - started
        reply["state"] = encode(reply_state)
        return reply
