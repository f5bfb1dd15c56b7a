# nbgrader configuration of the nndl course. The course directory is the repository root:
# source/ (instructor versions), release/ (student versions), and the per-class folders
# submitted/, autograded/, feedback/ and gradebook.db, which git ignores.
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nndl"

# Files never copied between course folders. Besides nbgrader's defaults: a student's file named
# like our helper packages must not shadow the installed ones when a submission is graded.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "utils",
    "utils.py",
    "autograder",
    "autograder.py",
]

# Per-cell time limit when notebooks are executed (nbgrader's default is 30 s, too short for the
# training cells of weeks 2 to 4).
c.Execute.timeout = 600
