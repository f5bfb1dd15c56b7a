"""Checks of a whole model: its cost curve against the reference's, and which step to suspect.

A model computes its first cost before any update. When that cost is wrong, the suspects are
what runs before the first update: the initial parameters, forward propagation and the cost, as
the model calls them. When it is right, those are cleared and the update step is the suspect;
how the costs move where they leave the expected curve says more: rising (a flipped sign, a far
too large step), flat (the parameters never updated), falling, but too slowly or too fast (a
wrong gradient, a learning rate that is not the one passed in). A catalogued mistake whose
curve matches is named instead, as ``check_close`` does with ``mistakes``.
"""

from __future__ import annotations

import numpy as np

from utils.checks.messages import article, describe, fail, fmt
from utils.checks.values import ATOL, RTOL, is_number

START = ("the initial parameters", "forward propagation", "the cost")
STEP = ("backward propagation", "the update")

UPHILL = ("the steps go uphill: a flipped sign (in a gradient or the update), a gradient of "
          "old parameters, or a far too large learning rate")
CAUSES = {
    "rise": UPHILL,
    "stay flat": "the parameters do not change: keep what the update returns (parameters = "
                 "...), use a learning rate other than 0, compute the cost from the current "
                 "parameters",
    "fall too slowly": "the steps are too small or off course: a wrong gradient (of old "
                       "parameters?), or another learning rate than the one asked for",
    "fall too fast": "the steps are too large: a gradient too large (a missing 1/m?), or "
                     "another learning rate than the one asked for",
}


def _names(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [items] if isinstance(items, str) else list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _is_cost(value) -> bool:
    """A number, or a numpy array holding a number without a shape (what np.sum may give)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return is_number(value)


def _curve(costs, name) -> np.ndarray:
    """The costs as a 1-D float array, or a failure saying what they are instead."""
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    if isinstance(costs, list | tuple | np.ndarray):
        if all(_is_cost(c) for c in costs):
            return np.asarray(costs, dtype=float).reshape(-1)
        kinds = sorted({describe(c) for c in costs if not _is_cost(c)})
        fail(f"{name} should be a list of numbers, one cost per record, but it holds "
             f"{', '.join(kinds)}.",
             ["each cost should be one number (a float): is it computed as an array, or not at "
              "all (None)?"])
    fail(f"{name} should be a list of costs (numbers), but it is {article(describe(costs))}.",
         ["is there a missing `return` statement, or are the returned values in another order?"])


def _named_mistakes(values, expected, mistakes, *, rtol, atol) -> list[str]:
    hints = []
    for hint, curve in (mistakes or {}).items():
        curve = np.asarray(curve, dtype=float)
        if curve.shape != values.shape or not np.allclose(values, curve, rtol=rtol, atol=atol):
            continue
        if curve.shape != expected.shape or not np.allclose(curve, expected, rtol=rtol,
                                                            atol=atol):
            hints.append(f"this is the result you get when you {hint}.")
    return hints


def _trend(before, got, want, *, rtol, atol) -> str:
    """How the costs move from a right one (``before``) to a wrong one (``got``)."""
    if not np.isfinite(got):
        return f"become {got}"
    if abs(got - before) <= atol + rtol * abs(before):
        return "stay flat"
    if got > before:
        return "rise"
    return "fall too slowly" if got > want else "fall too fast"


def check_costs(costs, expected, name, *, steps=None, model="the model", start=START,
                step=STEP, rtol=RTOL, atol=ATOL, mistakes=None):
    """Check a model's cost curve and, when it is wrong, say which step to suspect.

    Arguments:
    costs -- the costs the model recorded (a list of numbers), the first one before any update
    expected -- the reference's costs at the same iterations
    name -- how the costs are called in messages, e.g. "costs"
    steps -- the iteration of each cost, e.g. [0, 100, 200] (default: their indices)
    model -- the name of the model function, e.g. "two_layer_model"
    start -- what computes the first cost, e.g. ("initialize_parameters", "compute_cost")
    step -- what makes an update step, e.g. ("L_model_backward", "update_parameters")
    rtol, atol -- tolerance of every cost, |cost - expected| <= atol + rtol * |expected|
    mistakes -- optional {"what the student did": the costs it gives}; a match is named
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    values = _curve(costs, name)
    want = np.asarray(expected, dtype=float)
    steps = list(range(len(want))) if steps is None else list(steps)
    named = _named_mistakes(values, want, mistakes, rtol=rtol, atol=atol)
    if values.shape != want.shape:
        plural = "s" * (len(values) != 1)
        fail(f"{name} holds {len(values)} cost{plural}, but should hold {len(want)}: those of "
             f"iterations {_names([str(s) for s in steps])}.",
             named or [f"does {model} run num_iterations iterations, and pass num_iterations "
                       f"on to the functions it calls?"])
    right = np.isclose(values, want, rtol=rtol, atol=atol)
    if right.all():
        return
    k = int(np.argmin(right))
    got, exp = float(values[k]), float(want[k])
    start, step = _names(start), _names(step)
    if k == 0:
        hints = named or [
            f"nothing is updated before it: the suspects are {start}, as called by {model} "
            f"(the arguments and their order, which X and Y, the initial parameters, a seed of "
            f"your own).",
            "" if np.isfinite(got) else "np.log(0) makes the cost infinite or NaN: are the "
                                        "arguments of the cost in the right order?",
        ]
        fail(f"{name}[0], before any update, is wrong: got {fmt(got)}, expected {fmt(exp)}.",
             hints)
    before = float(values[k - 1])
    trend = _trend(before, got, exp, rtol=rtol, atol=atol)
    upto = f"{name}[0] to {name}[{k - 1}] are" if k > 1 else f"{name}[0], before any update, is"
    hints = named or [
        f"{upto} right: that clears {start}, as called by {model}.",
        f"the costs then {trend} ({fmt(before, 6)} -> {fmt(got, 6)}, expected {fmt(exp, 6)}): "
        f"{CAUSES.get(trend, UPHILL)}. Suspects: {step}, as called by {model} (the "
        f"arguments and their order).",
    ]
    fail(f"{name}[{k}], at iteration {steps[k]}, is wrong: got {fmt(got)}, expected {fmt(exp)}.",
         hints)
