"""Example inputs, expected outputs and known wrong answers of the notebooks' test cells.

One module per week (``from utils.examples import week2 as ex`` in a notebook). Each module ends
with ``__getattr__, __dir__ = copy_on_read(globals())``: its arrays, dicts, lists and tuples are
then handed out as fresh deep copies, so a test (or a student's function) that changes an example
in place cannot change it for the tests that follow.
"""

import copy

import numpy as np


def copy_on_read(namespace: dict):
    """Move the containers of a module's namespace into a store read through deep copies.

    Returns the module-level ``__getattr__`` and ``__dir__`` functions that serve them.
    """
    stored = {name: value for name, value in list(namespace.items())
              if not name.startswith("_") and isinstance(value, np.ndarray | dict | list | tuple)}
    for name in stored:
        del namespace[name]
    module = namespace.get("__name__", "examples")

    def __getattr__(name):
        if name in stored:
            return copy.deepcopy(stored[name])
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    def __dir__():
        return sorted([*namespace, *stored])

    return __getattr__, __dir__
