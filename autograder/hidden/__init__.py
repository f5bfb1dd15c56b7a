"""The hidden-test pipeline: a test cell's hidden block is judged by the grader, never by the
student's kernel (autograder/README.md, "Hidden tests the student's kernel cannot fool").

grader side   pipeline.py (what LimitedExecute calls: prepare, verdict), cells.py (test cells
              split around their hidden block), plan.py (the hidden inputs), judge.py (the
              verdict), reference.py (reference solutions), weeks.py (what hidden blocks import)
              and inputs/ (their random inputs, per week)
kernel side   kernel.py (call the student's functions, report the results)
between them  wire.py (plain data)

``from autograder.hidden import week2`` gives a hidden block its notebook's helpers; they are
imported on first use, so the kernel, which imports only ``kernel`` and ``wire``, loads no
grader code.
"""

WEEKS = ("week1", "week2", "week3", "week4")


def __getattr__(name: str):
    if name in WEEKS:
        from autograder.hidden import weeks

        return getattr(weeks, name)
    raise AttributeError(f"module 'autograder.hidden' has no attribute {name!r}")
