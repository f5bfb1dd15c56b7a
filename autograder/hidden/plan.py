"""Grader side, before the kernel runs a test cell: the calls its hidden block makes (the hidden
inputs), found by running the block of the source notebook with stand-ins that answer with the
reference, and the kernel's payload for them. The same for every submission, so cached.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from autograder.hidden import reference as ref
from autograder.hidden.cells import hidden_tests, namespace, run_hidden
from autograder.hidden.wire import encode


def _wire(value) -> str:
    return json.dumps(encode(value), sort_keys=True)


@dataclass
class Call:
    """One call of a student's function that the hidden block makes: its hidden input."""

    name: str
    args: tuple
    kwargs: dict
    state: tuple  # numpy's global random state before the call

    def payload(self) -> dict:
        return {"name": self.name, "args": encode(self.args), "kwargs": encode(self.kwargs),
                "state": encode(self.state)}

    def is_made_by(self, name: str, args: tuple, kwargs: dict) -> bool:
        """Whether a call of ``name`` with these arguments is this planned call."""
        return name == self.name and _wire((args, kwargs)) == _wire((self.args, self.kwargs))


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

    # numpy's global random state, which each call records and the kernel sets before calling
    # the student's function, starts from a seed of the notebook and the test: the same payload
    # in every grading process, so the same submission always gets the same grade.
    state = np.random.get_state()
    np.random.seed(ref.fixed_seed(source_notebook.name, grade_id))
    try:
        run_hidden(test, namespace(source_notebook, stand_in))
    finally:
        np.random.set_state(state)
    payload = json.dumps({"calls": [call.payload() for call in calls]})
    if '"t": "opaque"' in payload:  # a function, a generator...: the kernel would get a stand-in
        raise ValueError(f"the hidden tests of {grade_id} in {path} pass the student's function "
                         "an argument that is not a plain value (autograder.hidden.wire)")
    return tuple(calls), payload


def plan(source_notebook: Path, grade_id: str) -> tuple[tuple[Call, ...], str]:
    """The calls the hidden block of ``grade_id`` makes, and the kernel's payload for them."""
    return _plan(str(source_notebook), source_notebook.stat().st_mtime, grade_id)


