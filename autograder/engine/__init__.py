"""The grading engine: one notebook graded by nbgrader with ``LimitedExecute`` (execute.py), its
kernel started with limits (kernel_manager.py, supervisor.py, processes.py, disk.py, landlock.py,
sandbox.py), what is read of a submission (intake.py), what the course adds to nbgrader
(nbgrader_setup.py), and Validate's execute step for students (validate.py).
autograder/README.md tells what each protects against.
"""
