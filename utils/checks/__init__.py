"""Teaching assertions for the test cells of the graded notebooks.

Every check raises ``AssertionError`` with a message that names the variable, says what was
expected and what was found, and, where it can tell, hints at the usual cause: a transposed
result, a reduction over the wrong axis, a missing ``keepdims=True`` or ``1/m``, an input changed
in place. The tolerance of every comparison is stated next to it.

A failed check raises ``CheckFailure``, which IPython (JupyterLab, nbclient, ``nbgrader
validate``) shows as its message alone: the first line says what is wrong, the next ones give the
hint, every line at most 80 characters, and no traceback.

Typical use in a test cell::

    with tests_for("sigmoid"):
        check_function(sigmoid, (np.array([1.0, 2.0]),), expected=np.array([0.731059, 0.880797]),
                       rtol=1e-5)

``tests_for`` prints "All public tests passed." when the block ends without error, turns any
error into one short message, and, when the function under test uses other graded functions
whose own tests have not passed, says so first.

The checks have one shape, ``check_x(value, expected, name, *, options)`` (``check_finite`` and
``check_python_float`` need no ``expected``): all after ``name`` is keyword-only, the options
``rtol``, ``atol``, ``mistakes``, ``keepdims_hint`` and check_cache's ``layout``.
``check_function(fn, args, expected, name=None, *, ...)`` takes the function and its arguments
in place of the value; ``check_returns(result, name, /, **types)`` names the expected values as
keywords, in order, like the ``return`` line it asks for.

Modules: ``messages`` (CheckFailure and how it is shown), ``values`` (checks of one value),
``calls`` (calling a student's function), ``returns`` (returned tuples and caches), ``cells``
(a test cell: tests_for, require_passed), ``context``, ``causes`` and ``array_causes`` (where a
student's function raised, and a hint only when the failing line and its values support one).
"""

from utils.checks.calls import call, check_function
from utils.checks.cells import STATUS, failure_message, have_passed, require_passed, tests_for
from utils.checks.messages import WIDTH, CheckFailure, render_message
from utils.checks.models import check_costs
from utils.checks.returns import check_cache, check_returns
from utils.checks.values import (
    ATOL,
    RTOL,
    check_close,
    check_finite,
    check_keys,
    check_output,
    check_python_float,
    check_shape,
    check_type,
)

__all__ = [
    "ATOL",
    "RTOL",
    "STATUS",
    "WIDTH",
    "CheckFailure",
    "call",
    "check_cache",
    "check_close",
    "check_costs",
    "check_finite",
    "check_function",
    "check_keys",
    "check_output",
    "check_python_float",
    "check_returns",
    "check_shape",
    "check_type",
    "failure_message",
    "have_passed",
    "render_message",
    "require_passed",
    "tests_for",
]
