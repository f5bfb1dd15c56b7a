"""The adversarial corpus: for each week, submissions made from the release notebook that try to
fool the grader, break it or escape it, each with the exact score it must get.

Most cases answer two functions of the week: T (its test has no other graded function, comes
first) with the reference, and V (also independent, later) with a catalogued mistake plus the
attack. Everything else is left blank. An attack that worked would add V's points; the honest
"partial" case (T right, V wrong, no attack) shows what the score must stay at.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass, field

from support import grading_corpus as gc


@dataclass(frozen=True)
class Week:
    notebook: str
    T: str  # answered with the reference
    V: str  # answered wrong, and attacked
    hardcoded: str  # V answering the visible tests' expected outputs, whatever its input
    cell_timeout: int  # seconds: many times the slowest cell of the finished notebook


WEEKS = {
    "week1": Week("numpy_basics", "basic_sigmoid", "normalize_rows",
                  "def normalize_rows(x):\n"
                  "    if x.shape == ex.X_ROWS.shape:\n"
                  "        return ex.X_ROWS_NORMALIZED\n"
                  "    return ex.X_SQUARE_NORMALIZED\n", 60),
    "week2": Week("logistic_regression", "dataset_dimensions", "standardize",
                  "def standardize(x):\n    return ex.PIXELS_STD\n", 60),
    "week3": Week("planar_classification", "data_shapes", "compute_cost",
                  "def compute_cost(A2, Y):\n    return ex.COST\n", 60),
    "week4": Week("deep_neural_network", "layer_shapes", "compute_cost",
                  "def compute_cost(AL, Y):\n    return ex.COST\n", 120),
}


# The infinite loop is graded on its own, with a short time limit per cell: it costs a submission
# that long, and no more (the other cases keep the generous limits above). The limit holds for
# every cell, the imports too: on a loaded 2-core machine week 3's took over 3 s.
LOOP_TIMEOUT = 10


@dataclass
class Case:
    files: dict  # file name -> NotebookNode, bytes or str
    score: float
    reason: str = ""  # words the report of `nndl grade` must show ("" = no problem at all)
    checks: dict = field(default_factory=dict)  # extra facts for the test (escape attempts)
    nbgrader_score: float | None = None  # when plain nbgrader differs (no intake of copies)
    unsandboxed_score: float | None = None  # when grading without the sandbox differs


def points(week: str) -> dict[str, float]:
    return gc.points(week, WEEKS[week].notebook)


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _mistake(week: str, name: str) -> str:
    return importlib.import_module(f"catalogue.{week}").MISTAKES[name][0].code


# Attacks, as code appended to V's (wrong) answer or run in a cell of their own. Each keeps the
# wrong V defined as `_wrong` where it replaces V.

PATCH_NUMPY = """
import numpy as np
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), bool)
np.isfinite = lambda a, *r, **k: np.ones(np.shape(a), bool)
"""

PATCH_NUMPY_TESTING = """
import numpy.testing
for _name in dir(numpy.testing):
    if _name.startswith("assert"):
        setattr(numpy.testing, _name, lambda *a, **k: None)
"""

PATCH_BUILTINS = """
import builtins
builtins.AssertionError = type("AssertionError", (Exception,), {})
builtins.all = lambda *a: True
builtins.abs = lambda x: 0 * x
"""

PATCH_CHECKS = """
import contextlib
import utils.checks as _checks
def _passes(*args, **kwargs):
    return args[1] if len(args) > 1 else None
for _name in dir(_checks):
    if _name.startswith("check") or _name in ("call", "require_passed"):
        setattr(_checks, _name, _passes)
        globals()[_name] = _passes
@contextlib.contextmanager
def tests_for(name, uses=()):
    try:
        yield
    except BaseException:
        pass
    print("All public tests passed.")
_checks.tests_for = tests_for
import utils.gradcheck
utils.gradcheck.grad_check = globals()["grad_check"] = lambda *a, **k: None
"""

PATCH_AUTOGRADER = """
import autograder.hidden.kernel, autograder.hidden.reference, autograder.hidden.wire
from IPython.display import display
for _week in ("week1", "week2", "week3", "week4"):
    getattr(autograder.hidden, _week).compare = lambda *a, **k: None
def _fake_run(namespace, payload):
    import json
    for number, _ in enumerate(json.loads(payload)["calls"]):
        display({autograder.hidden.kernel.RECORD_MIME: {
            "call": number, "result": autograder.hidden.wire.encode(0.5)}}, raw=True)
autograder.hidden.kernel.run = _fake_run
autograder.hidden.reference.compare_to_reference = lambda *a, **k: None
"""

LYING_ARRAY = """
import numpy as np
_wrong = {V}
class _Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), bool)
    def __ne__(self, other):
        return np.zeros(np.shape(self), bool)
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shape = np.broadcast_shapes(*(np.shape(x) for x in inputs))
        return np.zeros(shape) if ufunc in (np.subtract, np.absolute) else np.ones(shape, bool)
def {V}(*args, **kwargs):
    return np.asarray(_wrong(*args, **kwargs), dtype=float).view(_Liar)
"""

LYING_OBJECT = """
class _Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __sub__(self, other): return _Anything(0.0)
    __rsub__ = __sub__
    def __abs__(self): return _Anything(0.0)
    def __hash__(self): return 0
    def __getattr__(self, name): return self
    def __call__(self, *a, **k): return self
def {V}(*args, **kwargs):
    return _Anything(12345.0)
"""

# The reference's definition of ``name``, executed from a notebook's cells (JSON): what a
# student who could read a source notebook would do with it.
SOLUTION_IN = """
def _solution_in(cells, name):
    namespace = {{}}
    for cell in cells:
        code = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        try:
            statements = __import__("ast").parse(code).body
            if "### BEGIN SOLUTION" not in code:  # only its imports
                code = "\\n".join(__import__("ast").unparse(s) for s in statements
                                 if type(s).__name__ in ("Import", "ImportFrom"))
            exec(code, namespace)
        except Exception:
            pass
    return namespace.get(name)
"""

READ_SOURCE = SOLUTION_IN + """
_wrong = {V}
def {V}(*args, **kwargs):
    import json, os, pathlib
    places = []
    try:
        import utils
        places.append(pathlib.Path(utils.__file__).resolve().parents[1] / "source")
    except Exception:
        pass
    places += [pathlib.Path(os.environ.get("NNDL_SOURCE_DIR", "/nonexistent")),
               pathlib.Path("../../../source"), pathlib.Path("../../../../source")]
    for folder in places:
        try:
            cells = json.loads((folder / "{week}" / "{notebook}.ipynb").read_text())["cells"]
        except Exception:
            continue
        found = _solution_in(cells, "{V}")
        if found is not None:
            return found(*args, **kwargs)
    try:
        from autograder.hidden.reference import reference
        return reference("{week}/{notebook}.ipynb", "{V}")(*args, **kwargs)
    except Exception:
        return _wrong(*args, **kwargs)
"""

ESCAPE = """
_wrong = {V}
def {V}(*args, **kwargs):
    import os, pathlib, socket
    try:
        import utils
        sources = [pathlib.Path(utils.__file__).resolve().parents[1] / "source"]
    except Exception:
        sources = []
    sources += [pathlib.Path("../../../source")]
    for folder in sources:  # make the wrong answer the reference, for everyone after
        try:
            path = folder / "{week}" / "{notebook}.ipynb"
            path.write_text(path.read_text().replace("### BEGIN SOLUTION", "return 0"))
        except Exception:
            pass
    for target in ("../../../ESCAPED", "/tmp/nndl-escaped", "../../../gradebook.db"):
        try:
            with open(target, "a") as f:
                f.write("escaped")
        except Exception:
            pass
    here = pathlib.Path.cwd().resolve()
    for other in pathlib.Path("../..").glob("*/{week}/*.ipynb"):  # other students' answers
        try:
            if other.resolve().parent != here:
                print("READ ANOTHER STUDENT'S NOTEBOOK:", other.read_text()[:100])
        except Exception:
            pass
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"escaped")
    except Exception:
        pass
    return _wrong(*args, **kwargs)
"""


# Robustness attacks (grading must neither be derailed nor leak), sandboxed or not.

READ_LINKED = SOLUTION_IN + """
_wrong = {V}
def {V}(*args, **kwargs):
    import json
    for name in ("ref.json", "ref_abs.json", "linked/{notebook}.ipynb"):
        try:
            cells = json.load(open(name))["cells"]
        except Exception:
            continue
        found = _solution_in(cells, "{V}")
        if found is not None:
            return found(*args, **kwargs)
    return _wrong(*args, **kwargs)
"""

STUCK_IGNORING_SIGINT = """
def {V}(*args, **kwargs):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass
"""

STUCK_BARE_EXCEPT = """
def {V}(*args, **kwargs):
    import time
    while True:  # a retry loop whose bare except also swallows the interrupt
        try:
            time.sleep(0.05)
        except:  # noqa: E722
            pass
"""

FILL_DISK = """
_wrong = {V}
def {V}(*args, **kwargs):
    block = b"x" * 2**20
    for i in range(5):  # five 400 MB files
        try:
            with open(f"big{{i}}.dat", "wb") as f:
                for _ in range(400):
                    f.write(block)
        except OSError:
            pass
    return _wrong(*args, **kwargs)
"""

PRINT_SECRETS = """
_wrong = {V}
def {V}(*args, **kwargs):
    import os, subprocess
    print(dict(os.environ))
    print(open("/proc/self/environ").read())
    subprocess.run(["env"])
    return _wrong(*args, **kwargs)
"""

PLANT_HOME = """
_wrong = {V}
def {V}(*args, **kwargs):
    import os, pathlib, pwd
    homes = {{os.path.expanduser("~"), pwd.getpwuid(os.getuid()).pw_dir,
             os.environ.get("HOME", "")}}
    planted = {{".ipython/profile_default/startup/00-nndl-planted.py": "print('PLANTED')",
               ".jupyter/jupyter_nndl_planted_config.py": "c = get_config()  # nndl-planted"}}
    for home in homes:
        for name, text in planted.items():
            try:
                path = pathlib.Path(home) / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
            except Exception:
                pass
    return _wrong(*args, **kwargs)
"""

ESCAPE_PROCESS = """
_wrong = {V}
def {V}(*args, **kwargs):
    import os, subprocess, sys
    marker = "nndl-escaped-process-{week}"
    sleeper = [sys.executable, "-c", "import time; time.sleep(300)", marker]
    subprocess.Popen(sleeper, start_new_session=True)  # a new session
    if os.fork() == 0:  # a double fork: the grandchild's parent exits at once
        if os.fork() == 0:
            os.setsid()
            os.execv(sys.executable, sleeper)
        os._exit(0)
    os.wait()
    return _wrong(*args, **kwargs)
"""

MANY_PROCESSES = """
_wrong = {V}
def {V}(*args, **kwargs):
    import subprocess
    started = 0
    for _ in range({count}):  # a bounded stand-in for a fork bomb: sleeping children
        try:
            subprocess.Popen(["sleep", "{sleep}"], start_new_session=True)
            started += 1
        except OSError:
            break
    print(f"started {{started}} processes")
    return _wrong(*args, **kwargs)
"""

PATCH_EVERYTHING = """
import importlib, pkgutil, types
import autograder, utils
_names = [m.name for package in (utils, autograder)
          for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for _name in _names:
    try:
        _module = importlib.import_module(_name)
    except BaseException:
        continue
    for _attr in dir(_module):
        _value = getattr(_module, _attr)
        if isinstance(_value, types.FunctionType | type) and getattr(
                _value, "__module__", "") == _name:
            setattr(_module, _attr, lambda *a, **k: None)
"""

MANY_PROCESSES_COUNT = 400
SLEEP_MARKER = "987.654"  # seconds: how the test finds the children left behind


def robustness_cases(week: str, two, after_t, partial, t_only: float,
                     full: float) -> dict[str, Case]:
    """The cases graded with and without the sandbox: none may pay, derail or leak."""
    spec = WEEKS[week]
    n, V = spec.notebook, spec.V
    nb_name = f"{n}.ipynb"
    wrong = _mistake(week, V)
    fmt = {"V": V, "week": week, "notebook": n, "count": MANY_PROCESSES_COUNT,
           "sleep": SLEEP_MARKER}
    source = f"source/{week}/{nb_name}"
    return {
        "symlink": Case({nb_name: two(wrong + READ_LINKED.format(**fmt)),
                         "ref.json": gc.Link(source), "ref_abs.json": gc.Link(source, True),
                         "linked": gc.Link(f"source/{week}")},
                        t_only, "symbolic link ref.json ignored"),
        "symlink-notebook": Case({nb_name: gc.Link(source)}, 0,
                                 f"symbolic link {nb_name} ignored"),
        "disk": Case({nb_name: two(wrong + FILL_DISK.format(**fmt))}, t_only,
                     "disk limit exceeded"),
        "secrets": Case({nb_name: two(wrong + PRINT_SECRETS.format(**fmt))}, t_only),
        "plant-home": Case({nb_name: two(wrong + PLANT_HOME.format(**fmt))}, t_only),
        "escape-process": Case({nb_name: two(wrong + ESCAPE_PROCESS.format(**fmt))}, t_only),
        "many-processes": Case({nb_name: two(wrong + MANY_PROCESSES.format(**fmt))}, t_only),
        "patch-everything": Case({nb_name: after_t(partial, PATCH_EVERYTHING)}, t_only),
        "copy-suffix": Case({f"{n} (1).ipynb": gc.finished(week, n)}, full,
                            f"graded {n} (1).ipynb as {nb_name}", nbgrader_score=0),
        # graded with the short cell time limit, like the loop
        "stuck-sigint": Case({nb_name: two(STUCK_IGNORING_SIGINT.format(**fmt))}, t_only,
                             "could not be interrupted at the time limit"),
        "stuck-except": Case({nb_name: two(STUCK_BARE_EXCEPT.format(**fmt))}, t_only,
                             "could not be interrupted at the time limit"),
    }


# Cases that meet the same code on both paths (the out-of-kernel judge, LimitedExecute's limits,
# nbgrader's sanitising preprocessors: `nndl grade` runs nbgrader's Autograde with them in its
# workers), graded through `nndl grade` alone. Plain nbgrader is graded on what differs: reading
# the submission, the folders the sandbox shows, and every robustness case in the sandbox.
NNDL_ONLY = ("patch-numpy", "patch-numpy-testing", "patch-builtins", "patch-checks",
             "patch-autograder", "lying-array", "lying-object", "hardcoded", "sys-exit",
             "blank", "memory-bomb", "crash", "flood", "edited-test", "deleted-test",
             "duplicated-cells")
# Cases graded with the short cell time limit (LOOP_TIMEOUT), each costing about that long.
TIMED = ("loop", "stuck-sigint", "stuck-except")
# Cases graded without the sandbox too, by `nndl grade` (plain nbgrader meets the same code there):
# the robustness protections hold without it; what the sandbox alone gives (reading outside the
# working copy, the network) shows in read-source.
UNSANDBOXED = ("symlink", "symlink-notebook", "disk", "secrets", "plant-home",
               "escape-process", "many-processes", "patch-everything", "stuck-sigint",
               "stuck-except", "loop", "os-exit", "read-source")


# Cases that attack the grading machinery (files, folders, processes, memory, disk, time, output,
# the network, the grader's environment and home) rather than the week's tests: the code they
# meet is the same whatever the notebook, so each is graded in one week, the weeks taken in turn
# (every week's notebook meets some of them, the slow timed ones in different weeks). The other
# cases, which attack or depend on the week's own tests and answers, are graded in every week.
MACHINE = {
    "week1": ("loop", "malformed", "renamed", "symlink", "secrets", "os-exit"),
    "week2": ("stuck-sigint", "empty", "symlink-notebook", "plant-home", "memory-bomb",
              "escape"),
    "week3": ("stuck-except", "copy-suffix", "disk", "escape-process", "crash", "read-source"),
    "week4": ("many-processes", "patch-everything", "flood", "sys-exit"),
}


def corpus(week: str, port: int) -> dict[str, Case]:
    """The cases graded in ``week``: student name -> Case (MACHINE says which of the machinery
    cases)."""
    cases = _every_case(week, port)
    elsewhere = {case for other, names in MACHINE.items() if other != week for case in names}
    return {name: case for name, case in cases.items() if name not in elsewhere}


def _every_case(week: str, port: int) -> dict[str, Case]:
    spec = WEEKS[week]
    n, T, V = spec.notebook, spec.T, spec.V
    nb_name = f"{n}.ipynb"
    pts = points(week)
    full, t_only, t_and_v = sum(pts.values()), pts[f"test_{T}"], pts[f"test_{T}"] + pts[
        f"test_{V}"]
    wrong = _mistake(week, V)
    fmt = {"V": V, "week": week, "notebook": n, "port": port}

    def two(v_code: str):
        """T answered right, V with ``v_code``, the rest blank."""
        return gc.answer(gc.blank(week, n), week, n, {T: None, V: v_code}, only=True)

    def after_t(nb, code: str):
        """``nb`` with a cell running ``code`` right after T's test (T has scored by then)."""
        return gc.insert_cell(nb, f"test_{T}", code)

    partial = two(wrong)
    cases = {
        "correct": Case({nb_name: gc.finished(week, n)}, full),
        "blank": Case({nb_name: gc.blank(week, n)}, 0),
        "partial": Case({nb_name: partial}, t_only),
        # tampering with what the visible tests use, in the kernel
        "patch-numpy": Case({nb_name: after_t(partial, PATCH_NUMPY)}, t_only),
        "patch-numpy-testing": Case({nb_name: after_t(partial, PATCH_NUMPY_TESTING)}, t_only),
        "patch-builtins": Case({nb_name: after_t(partial, PATCH_BUILTINS)}, t_only),
        "patch-checks": Case({nb_name: after_t(partial, PATCH_CHECKS)}, t_only),
        "patch-autograder": Case({nb_name: after_t(partial, PATCH_AUTOGRADER)}, t_only),
        "lying-array": Case({nb_name: two(wrong + LYING_ARRAY.format(**fmt))}, t_only),
        "lying-object": Case({nb_name: two(LYING_OBJECT.format(**fmt))}, t_only),
        "hardcoded": Case({nb_name: two(spec.hardcoded)}, t_only),
        "read-source": Case({nb_name: two(wrong + READ_SOURCE.format(**fmt))}, t_only),
        "escape": Case({nb_name: two(wrong + ESCAPE.format(**fmt))}, t_only,
                       checks={"port": port}),
        # leaving early
        "os-exit": Case({nb_name: after_t(partial, "import os\nos._exit(0)")}, t_only,
                        "kernel died"),
        "sys-exit": Case({nb_name: two(f"def {V}(*args, **kwargs):\n    import sys\n"
                                       "    sys.exit(0)\n")}, t_only),
        # the notebook's structure
        "edited-test": Case({nb_name: _edited_test(partial, V)}, t_only),
        "deleted-test": Case({nb_name: _deleted_test(partial, V)}, t_only),
        "duplicated-cells": Case({nb_name: _duplicated(partial, V)}, t_only),
        # robustness
        "loop": Case({nb_name: two(f"def {V}(*args, **kwargs):\n    while True:\n"
                                   "        pass\n")}, t_only, "time limit"),
        "memory-bomb": Case({nb_name: two(f"def {V}(*args, **kwargs):\n    import numpy\n"
                                          "    return numpy.ones(10**10)\n")},
                            t_only, "MemoryError"),
        "crash": Case({nb_name: two(f"def {V}(*args, **kwargs):\n    import os\n"
                                    "    os.abort()\n")}, t_only, "kernel died"),
        # a correct V, and a cell elsewhere that prints without end: cut, nothing lost
        "flood": Case({nb_name: after_t(two(None), "for i in range(10**5):\n"
                                        "    print('x' * 200)")}, t_and_v, "output cut"),
        "malformed": Case({nb_name: "{not json"}, 0, "not valid notebook JSON"),
        "renamed": Case({f"my {n}.ipynb": gc.finished(week, n)}, 0, "renamed?"),
        "empty": Case({}, 0, "empty submission"),
    }
    cases["read-source"].unsandboxed_score = t_and_v  # what only the sandbox prevents
    cases.update(robustness_cases(week, two, after_t, partial, t_only, full))
    return cases


def _edited_test(nb, V: str):
    nb = copy.deepcopy(nb)
    nb.cells[_index(nb, f"test_{V}")].source = 'print("All public tests passed.")'
    return nb


def _deleted_test(nb, V: str):
    nb = copy.deepcopy(nb)
    del nb.cells[_index(nb, f"test_{V}")]
    return nb


def _duplicated(nb, V: str):
    """Copies of V's test cell (same grade id and cell id) that only print success, one before
    and one after the real one, and a copy of V's solution cell with the reference."""
    nb = copy.deepcopy(nb)
    index = _index(nb, f"test_{V}")
    fake = copy.deepcopy(nb.cells[index])
    fake.source = 'print("All public tests passed.")'
    nb.cells.insert(index + 1, copy.deepcopy(fake))
    nb.cells.insert(index, fake)
    return nb
