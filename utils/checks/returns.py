"""What a function returns: a tuple of the right values in the right order, a layer's cache."""

from __future__ import annotations

import itertools

import numpy as np

from utils.checks.messages import CheckFailure, article, describe, fail
from utils.checks.values import ATOL, RTOL, check_output, check_type, is_number


def _matches(value, expected_type) -> bool:
    if expected_type is None:
        return True
    if expected_type is float:
        return is_number(value)
    return isinstance(value, expected_type)


def _type_name(expected_type) -> str:
    if expected_type is None:
        return "anything"
    if isinstance(expected_type, tuple):
        return " or ".join(t.__name__ for t in expected_type)
    return "ndarray" if expected_type is np.ndarray else expected_type.__name__


def check_returns(result, name, /, **types):
    """Check that a function returned the tuple described by ``types`` and give it back.

    ``types`` names the returned values in order with their types (None for any type), e.g.
    ``grads, cost = check_returns(result, "propagate", grads=dict, cost=float)``. A single value
    instead of a tuple, the wrong number of values, or the right values in another order each
    get a message that shows the expected ``return ...`` line. ``result`` and ``name`` are
    positional-only, so that any name, even ``name``, can be a returned value's.
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    names, kinds = list(types), list(types.values())
    structure = ", ".join(names)
    hint = f"the function should end with `return {structure}`."
    if result is None:
        fail(f"{name} returned None; it should return a tuple ({structure}).",
              ["is there a missing `return` statement? " + hint])
    if not isinstance(result, tuple | list):
        fail(f"{name} returned {article(describe(result))}, not a tuple ({structure}).", [hint])
    if len(result) != len(names):
        fail(f"{name} returned {len(result)} values; it should return {len(names)}: "
              f"({structure}).", [hint])
    wrong = [i for i, (v, t) in enumerate(zip(result, kinds, strict=True)) if not _matches(v, t)]
    if not wrong:
        return tuple(result)
    for order in itertools.permutations(range(len(names))):
        if all(_matches(result[j], kinds[i]) for i, j in enumerate(order)):
            fail(f"{name} returned its values in the wrong order: expected ({structure}).",
                  [hint])
    i = wrong[0]
    fail(f"{name} returned {article(describe(result[i]))} as {names[i]} (value number {i + 1}); "
          f"it should be {article(_type_name(kinds[i]))}.", [hint])


def _same_value(value, expected, *, rtol, atol) -> bool:
    try:
        check_output(value, expected, "item", rtol=rtol, atol=atol)
    except CheckFailure:
        return False
    return True


def check_cache(cache, expected, name, *, layout, rtol=RTOL, atol=ATOL, mistakes=None):
    """Check that ``cache`` is a tuple holding the items of ``expected`` in that order.

    Arguments:
    cache -- what the student's function returned as its cache
    expected -- the expected cache, a tuple (items: arrays or nested tuples)
    name -- how the cache is called in messages, e.g. "cache"
    layout -- the expected tuple written with the course's names, e.g. "(A, W, b)"
    rtol, atol -- tolerance of the comparison of arrays, |a - e| <= atol + rtol * |e|
    mistakes -- as for check_output on a tuple: {index: {"what the student did": value}}
    """
    __tracebackhide__ = True  # IPython shows the test cell, not this frame
    check_type(cache, tuple, name)
    if len(cache) != len(expected):
        raise CheckFailure(
            f"{name} should be the tuple {layout} of {len(expected)} items, but it has "
            f"{len(cache)}.\nHint: build it as {layout}, with exactly these items."
        )
    if not _same_value(cache, expected, rtol=rtol, atol=atol):
        for order in itertools.permutations(range(len(expected))):
            if all(_same_value(cache[j], expected[i], rtol=rtol, atol=atol)
                   for i, j in enumerate(order)):
                raise CheckFailure(
                    f"{name} holds the right items in the wrong order: it should be "
                    f"{layout}.\nHint: the backward pass unpacks the cache in this order."
                )
    check_output(cache, expected, name, rtol=rtol, atol=atol, mistakes=mistakes)
