"""``nndl grade ASSIGNMENT``: a whole class graded in parallel into nbgrader's own gradebook.

coordinator.py (finds, dispatches, stores), worker.py (one submission, nbgrader's Autograde),
jobs.py (the plain data between them), report.py (what the instructor reads). How it works, and
why it is resumable: autograder/README.md.
"""
