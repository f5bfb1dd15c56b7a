# nbgrader configuration of the nndl course. The course directory is the repository root:
# source/ (instructor versions), release/ (student versions), and the per-class folders
# submitted/, autograded/, feedback/, gradebook.db and exchange/, which git ignores.
import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nndl"

# The exchange (where release_assignment puts assignments for students to fetch, and where their
# submissions wait for collect): exchange/ beside this file, wherever the course is cloned, rather
# than nbgrader's system-wide default, which nothing creates. The formgrader reads this file too
# (`nndl lab --instructor` runs the server in the course directory), so it sees the same exchange.
# On a JupyterHub, the hub's exchange instead: NNDL_EXCHANGE, which the hub sets for every server
# (README, "Running the course on a JupyterHub"; deploy/hub/).
c.Exchange.root = os.environ.get("NNDL_EXCHANGE") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "exchange")

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

# The course's classes are named by import strings ("autograder.engine.execute.LimitedExecute"), not
# imported here as class objects: nbgrader imports them itself, and the configuration stays plain
# data, which the formgrader's configuration panel can show (autograder/formgrader.py).
try:
    from autograder.engine import nbgrader_setup
except ImportError:  # nbgrader run from another environment: nbgrader's own preprocessors
    nbgrader_setup = None

# Autograding executes with the course's LimitedExecute instead of nbgrader's Execute (the rest of
# nbgrader's list unchanged): also a time limit for the whole notebook (cells after it are not run
# and score zero, so an infinite loop costs at most that, not the cell's limit in every cell that
# calls it), limits on computing time derived from the reference solution's time (each cell ten
# times the reference's plus 20 s, the notebook ten times its total plus 60 s: `nndl verify
# --record-times` records those times in source/), behind them 600 s and 1800 s of clock time
# (`c.LimitedExecute.timeout = 300`, `c.LimitedExecute.notebook_timeout = 900` would apply fixed
# clock-time limits instead),
# a memory limit on the kernel, an output limit, and a dead kernel (os._exit, a crash) scores what
# ran before it instead of failing the submission. Hidden tests are judged by the grader, outside
# the student's kernel (autograder/README.md), and each kernel runs in a bubblewrap sandbox when
# `bwrap` works here ("auto": a warning otherwise; "require" to refuse grading without it).
# `nndl grade` uses the same, with its options. The limits' defaults and meaning are declared in
# LimitedExecute (autograder/engine/execute.py; `nndl grade --help` lists them); change one here,
# for example:  c.LimitedExecute.memory_limit = 2048  (MiB of address space per kernel)
# Grading each function on its own (off by default; README, "Running a class"): while a test cell
# runs, the graded functions its function uses answer with the reference's results, computed by
# the grader, so a test whose function is right keeps its points when one it calls is wrong:
# c.LimitedExecute.grade_functions_alone = True
if nbgrader_setup:
    c.Autograde.autograde_preprocessors = nbgrader_setup.autograde_preprocessors()

# Validate (the Validate button, `nbgrader validate`) executes with the course's ValidateExecute
# instead of nbgrader's Execute (nbgrader's other two steps kept): it runs the notebook up to its
# last graded cell (the training runs and plots after it cannot change what Validate reports), with
# a 600 s limit per cell, and when a cell runs for more than a few seconds it says which one (on
# stderr in a terminal; in JupyterLab, a notification from autograder/validate_server.py).
# autograder/engine/validate.py. To run every cell:
#     c.ValidateExecute.run_after_last_graded_cell = True
if nbgrader_setup:
    c.Validator.preprocessors = nbgrader_setup.validate_preprocessors()

# Feedback (generate_feedback) shows each test cell without its hidden tests: the visible tests,
# then "# hidden tests: not shown" where the hidden block was, and every output, so a failed
# hidden test still shows its message. The autograded notebooks keep everything. To show the
# hidden tests' code in the feedback too, as nbgrader does by default:
#     c.HideHiddenTests.enabled = False
if nbgrader_setup:
    c.GenerateFeedback.preprocessors = nbgrader_setup.feedback_preprocessors()

# Warnings the instructor cannot act on, removed narrowly (details in autograder/nbgrader_setup.py):
if nbgrader_setup:
    # "Attribute 'checksum' for cell test_... has changed!", once per test cell with hidden tests
    # in every submission: students get those cells without their hidden tests, and autograde
    # restores them from the gradebook, as it should. Still reported: any other change to a
    # locked cell.
    c.Autograde.sanitize_preprocessors = nbgrader_setup.sanitize_preprocessors()
    # SQLAlchemy 2's "Object of type <SubmittedAssignment> not in session ..." (SAWarning) when
    # nbgrader's gradebook records a new submission; the submission is stored all the same.
    nbgrader_setup.ignore_gradebook_autoflush_warnings()
    # nbconvert's "Alternative text is missing on 1 image(s)" for every feedback file with a plot:
    # plots are outputs of the student's code, which cannot carry alt text.
    c.GenerateFeedback.exporter_class = "autograder.engine.nbgrader_setup.FeedbackExporter"

# ipykernel warns "Kernel is running over TCP without encryption" for every kernel that grading or
# validation starts. Fixed, not hidden: the kernel manager gives each kernel CurveZMQ keys when its
# kernelspec says it supports them (IPC sockets, the other fix the warning suggests, fail under
# nbgrader: the kernel runs in the notebook's folder and the socket path is relative).
try:
    import zmq
except ImportError:
    pass
else:
    if zmq.has("curve"):
        c.KernelManager.transport_encryption = "auto"

# No file of a submission is followed as a link: nbgrader skips symbolic links (and FIFOs, devices)
# where it copies a submission's files and finds its notebooks, so a link to source/ or to
# /dev/zero brings in nothing (a linked notebook counts as missing). autograder/intake.py.
try:
    from autograder.engine import intake
except ImportError:
    pass
else:
    intake.ignore_links_in_nbgrader()

# The exchange's operations are the course's (autograder/exchange.py): nbgrader's, except that the
# exchange root keeps the mode its administrator gave it (nbgrader makes it world-writable), a
# submission is readable by its student and the instructor only, and collect follows no link and
# refuses a submission made by someone other than the student it names.
try:
    from autograder import exchange
except ImportError:
    pass
else:
    for operation, plugin in exchange.FACTORY.items():
        setattr(c.ExchangeFactory, operation, f"{plugin.__module__}.{plugin.__name__}")
