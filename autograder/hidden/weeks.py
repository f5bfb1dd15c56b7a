"""What hidden test cells import: one object per graded notebook.

A hidden test reads like a specification of the inputs::

    from autograder.hidden import week2
    week2.compare(propagate, week2.inputs.w_b_X_Y)

``compare`` runs the student's function and the reference solution (read from the source
notebook) on the same inputs, drawn from a generator whose seed is fixed by the notebook and the
function's name: the same submission always gets the same grade. ``inputs`` is the week's module
of input generators (autograder/hidden/inputs/weekN.py).
"""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np

from autograder.hidden.inputs import easy_problem
from autograder.hidden.reference import compare_to_reference, fixed_seed, reference
from utils.checks import ATOL, RTOL, call


class Notebook:
    """The hidden-test helpers of one source notebook, e.g. "week2/logistic_regression.ipynb"."""

    def __init__(self, path: str):
        self.path = path

    def __repr__(self):
        return f"Notebook({self.path!r})"

    @property
    def inputs(self) -> ModuleType:
        """The generators of this week's hidden inputs, e.g. autograder.hidden.inputs.week2."""
        week = self.path.split("/")[0]
        return importlib.import_module(f"autograder.hidden.inputs.{week}")

    def reference(self, name: str):
        """The reference function ``name`` of this notebook."""
        return reference(self.path, name)

    def rng(self, name: str) -> np.random.Generator:
        """A generator with the fixed seed of the hidden test of ``name``."""
        return np.random.default_rng(fixed_seed(self.path, name))

    def compare(self, student_fn, make_args, name: str | None = None, trials: int = 5,
                rtol: float = RTOL, atol: float = ATOL, seed_global: bool = False,
                keepdims_hint: bool = True):
        """The student's function agrees with the reference on ``trials`` seeded random inputs.

        Arguments:
        student_fn -- the student's function (its __name__ names the reference, unless ``name``)
        make_args -- callable(rng) -> tuple of positional arguments, new shapes and values at
                     each call
        seed_global -- seed np.random identically before the reference's and the student's call
                       (for functions that draw random numbers)
        keepdims_hint -- False leaves keepdims advice out of shape messages
        """
        __tracebackhide__ = True  # IPython shows the test cell, not this frame
        name = name or student_fn.__name__
        compare_to_reference(student_fn, self.path, name, make_args, trials=trials, rtol=rtol,
                             atol=atol, seed_global=seed_global, keepdims_hint=keepdims_hint)

    def learns_easy_problem(self, model, layers_dims, learning_rate, num_iterations=500):
        """A longer run of ``model`` on an easy problem: the cost falls and most training points
        are learnt (predictions of the reference's L_model_forward, accuracy 75 % or more)."""
        __tracebackhide__ = True  # IPython shows the test cell, not this frame
        name = model.__name__
        rng = self.rng(name)
        X, Y = easy_problem(rng)
        np.random.seed(int(rng.integers(2**31)))
        trained, costs = call(model, X, Y, layers_dims, learning_rate, num_iterations)
        accuracy = np.mean((self.reference("L_model_forward")(X, trained)[0] > 0.5) == Y)
        assert costs[-1] < 0.75 * costs[0] and accuracy >= 0.75, (
            f"{name} learns an easy problem badly: accuracy {accuracy:.0%}, "
            f"cost {costs[0]:.3f} -> {costs[-1]:.3f}")


week1 = Notebook("week1/numpy_basics.ipynb")
week2 = Notebook("week2/logistic_regression.ipynb")
week3 = Notebook("week3/planar_classification.ipynb")
week4 = Notebook("week4/deep_neural_network.ipynb")
