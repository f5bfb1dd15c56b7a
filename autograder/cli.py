"""The `nndl` command: build and verify the course.

    nndl verify            generate release/ in a scratch copy, compare it with the committed one,
                           grade every reference solution (full marks) and blank release (zero)
    nndl verify --write    the same, after regenerating release/ from source/
    nndl build             only regenerate release/ from source/
    nndl lab               JupyterLab as a student has it: the Validate button and the assignment
                           list, without nbgrader's instructor tools (extra arguments go to
                           jupyter lab, e.g. nndl lab --port 8899)
    nndl lab --instructor  JupyterLab with the formgrader, Create Assignment and the course list
    nndl grade week1       grade every submitted/*/week1/ in parallel into the gradebook, with
                           time, memory and output limits; resumable; prints a report and
                           writes grading-week1.csv
    nndl report week1      what the class got, test by test, after nndl grade or nbgrader
                           autograde, in reports/week1/: index.html (the page to read),
                           scores.csv (a column per test), tests.csv (full, partial, zero and
                           not run per test), mistakes.csv, root_causes.csv
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from tqdm import tqdm

from autograder import course, labconfig
from autograder.common import CourseError, nbgrader_config


def _steps(root: Path, ids: list[str], record: bool = False) -> int:
    return sum((1 + (3 if record else 2) * len(list((root / "source" / a).glob("*.ipynb"))))
               for a in ids)


def _progress_bar(total: int, quiet: bool):
    bar = tqdm(total=total, unit="step", disable=quiet, file=sys.stderr, leave=False,
               bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]")
    first = [True]

    def step(description: str):
        if first[0]:
            first[0] = False
        else:
            bar.update(1)
        bar.set_description(description)

    return bar, step


def cmd_verify(args) -> int:
    root = Path(args.root).resolve()
    ids = args.assignment or course.assignments(root)
    total = _steps(root, ids, args.record_times)
    bar, step = _progress_bar(total, args.quiet)
    try:
        results, problems = course.verify(root, ids, write=args.write, progress=step,
                                          keep=args.keep, record=args.record_times)
    except CourseError as exc:
        bar.close()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    bar.close()
    print(course.format_results(results))
    problems = problems + [p for r in results for p in r.problems]
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print("\nOK: release/ matches source/, every reference scores full marks, "
          "every blank release scores zero.")
    return 0


def cmd_build(args) -> int:
    root = Path(args.root).resolve()
    try:
        written = course.build(root, args.assignment or None)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def lab_command(root: Path, jupyter_args: list[str]) -> list[str]:
    """`python -m jupyterlab` in the course directory, with the caller's extra arguments."""
    command = [sys.executable, "-m", "jupyterlab"]
    if not any(a.startswith(("--ServerApp.root_dir", "--notebook-dir")) for a in jupyter_args):
        command.append(f"--ServerApp.root_dir={root}")
    return command + list(jupyter_args)


def cmd_lab(args) -> int:
    root = Path(args.root).resolve()
    role = "instructor" if args.instructor else "student"
    extra = [a for a in args.jupyter_args if a != "--"]
    print(f"JupyterLab for the {role} in {root} (stop it with Ctrl-C)", file=sys.stderr)
    command, env = lab_command(root, extra), labconfig.environment(role)
    if os.name == "posix":  # become the server: signals (Ctrl-C, a supervisor's TERM) reach it
        os.chdir(root)
        os.execve(command[0], command, env)
    try:
        return subprocess.call(command, env=env, cwd=root)
    except KeyboardInterrupt:
        return 0


class GradeProgress:
    """A progress bar over the batch (one step per submission)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None

    def start(self, total: int, already: int):
        if already:
            print(f"{already} of {total} submissions already graded (unchanged since): kept",
                  file=sys.stderr)
        self.bar = tqdm(total=total, initial=already, desc="grading", unit="submission",
                        disable=self.quiet, file=sys.stderr)

    def done(self, row):
        self.bar.set_postfix_str(f"{row.student}: {row.score:g}/{row.max_score:g}")
        self.bar.update()

    def running(self, seconds: dict[str, float]):
        """Which submissions are being graded and for how long, the longest first."""
        self.bar.set_postfix_str(running_text(seconds), refresh=True)


def running_text(seconds: dict[str, float], shown: int = 3) -> str:
    """"running: bob 95 s, amy 3 s (+2 more)": the longest-running submissions first."""
    if not seconds:
        return ""
    longest = sorted(seconds.items(), key=lambda item: (-item[1], item[0]))
    text = ", ".join(f"{student} {round(s)} s" for student, s in longest[:shown])
    more = f" (+{len(longest) - shown} more)" if len(longest) > shown else ""
    return f"running: {text}{more}"


def protection_warnings(args) -> list[str]:
    """What a grading kernel on this machine is not prevented from doing, and why."""
    from autograder.engine import processes, sandbox
    from autograder.engine.kernel_manager import unprotected_warning

    why = sandbox.problem() if args.sandbox != "off" else "--sandbox off"
    warning = unprotected_warning(why, processes.process_limit_problem(args.process_limit))
    return [warning] if warning else []


def add_limit_options(parser) -> None:
    """nndl grade's options for LimitedExecute's limits: each option's default and help are its
    trait's (autograder/engine/execute.py), the only place they are declared."""
    from autograder.engine import intake
    from autograder.engine.execute import LimitedExecute

    traits = LimitedExecute.class_traits()
    for option, trait in LimitedExecute.options.items():
        declared = traits[trait]
        text = declared.help.rstrip(".").replace("%", "%%")
        text = f"{text}; default: the course's setting, else {declared.default()}"
        choices = getattr(declared, "values", None)
        parser.add_argument(f"--{option}", dest=trait, default=None, help=text,
                            choices=choices, type=None if choices else int,
                            metavar=None if choices else option.split("-")[-1].upper())
    parser.add_argument("--submission-size", type=int, default=intake.SIZE_LIMIT, metavar="MIB",
                        help="MiB of a submission folder that is read, notebooks first; "
                        f"default: {intake.SIZE_LIMIT}")


def grade_limits(args, root: Path, workers: int) -> dict:
    """LimitedExecute's limits for ``nndl grade``: as plain ``nbgrader autograde`` would apply
    them in this course (its nbgrader_config.py, else the traits' defaults), with the options
    given on the command line on top."""
    from autograder.engine.execute import LimitedExecute

    course = LimitedExecute(config=nbgrader_config(root, root / "nbgrader_config.py"))
    limits = {trait: getattr(course, trait) if getattr(args, trait) is None
              else getattr(args, trait) for trait in LimitedExecute.options.values()}
    return limits


def given_limits(args) -> dict:
    """The limits set on the command line: the workers set only these, so that what the course
    leaves unset (each cell's time limit, derived from the reference's time) stays derived."""
    from autograder.engine.execute import LimitedExecute

    return {trait: getattr(args, trait) for trait in LimitedExecute.options.values()
            if getattr(args, trait) is not None}


def cmd_grade(args) -> int:
    from autograder.grade import coordinator, report

    root = Path(args.root).resolve()
    workers = args.workers or os.cpu_count() or 1
    limits = grade_limits(args, root, workers)
    args.sandbox, args.process_limit = limits["sandbox"], limits["process_limit"]
    if args.sandbox != "off" and not args.scheduler:
        from autograder.engine import sandbox

        why = sandbox.problem()
        if why and args.sandbox == "require":
            print(f"error: cannot sandbox the kernels: {why}", file=sys.stderr)
            return 1
    if not args.scheduler:
        for warning in protection_warnings(args):
            print(f"warning: {warning}", file=sys.stderr)
    progress = GradeProgress(args.quiet)
    try:
        rows = coordinator.grade(root, args.assignment, workers=workers,
                                 limits=given_limits(args),
                                 submission_size=args.submission_size, regrade=args.regrade,
                                 progress=progress, scheduler=args.scheduler)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if progress.bar is not None:
            progress.bar.close()
    if not rows:
        print(f"no submissions found in {root / 'submitted'}/*/{args.assignment}/",
              file=sys.stderr)
        return 1
    print(report.format_report(rows), end="")
    csv_path = Path(args.csv) if args.csv else root / f"grading-{args.assignment}.csv"
    report.write_csv(rows, csv_path)
    flagged = sum(1 for r in rows if r.problems)
    print(f"\n{len(rows)} submissions, {flagged} with problems to look at; grades are in the "
          f"gradebook (nbgrader export, formgrader), the table in {csv_path}")
    print(class_summary(root, args.assignment))
    return 0


def class_summary(root: Path, assignment: str, top: int = 3) -> str:
    """The end of `nndl grade`'s output: the class's most frequent diagnosed mistakes, and the
    command for the whole report."""
    from autograder.grade import class_report, report_page

    try:
        results = class_report.read_class(root, assignment)
    except CourseError as exc:
        return f"(no class summary: {exc})"
    rows = sorted((r for r in class_report.mistakes(results) if report_page.teachable(r)),
                  key=lambda r: -r["students"])[:top]
    total = len(results.scores)
    lines = [f"most frequent mistakes in the class ({total} submissions):"] if rows else [
        "no diagnosed mistake in the class."]
    lines += [f"  {r['students']:>4}  {r['function']}: {r['mistake']}" for r in rows]
    lines.append(f"the class report, test by test: nndl report {assignment}")
    return "\n".join(lines)


def cmd_report(args) -> int:
    from autograder.grade import report_page

    root = Path(args.root).resolve()
    try:
        written = report_page.write_report(root, args.assignment,
                                            Path(args.out) if args.out else None, args.names)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def course_root(given: str | None) -> Path:
    """The course directory: ``--root``, else the current directory when it is a course
    directory (it holds nbgrader_config.py: nbgrader's convention), else the installed
    course's."""
    if given:
        return Path(given).resolve()
    if (Path.cwd() / "nbgrader_config.py").is_file():
        return Path.cwd().resolve()
    return course.REPO_ROOT


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nndl", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=None,
                        help="the course directory (default: the current directory when it "
                        f"holds nbgrader_config.py, as for nbgrader, else {course.REPO_ROOT})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("verify", help="build and verify the course")
    p.add_argument("assignment", nargs="*", help="assignments to verify (default: all)")
    p.add_argument("--write", action="store_true", help="regenerate release/ first")
    p.add_argument("--record-times", action="store_true",
                   help="first grade each reference solution, record its time per cell in its "
                   "source notebook (each cell's grading time limit is derived from it), then "
                   "regenerate release/ and verify")
    p.add_argument("--keep", action="store_true",
                   help="keep the scratch course directory (printed) for inspection")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("build", help="regenerate release/ from source/")
    p.add_argument("assignment", nargs="*", help="assignments to build (default: all)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("grade", help="grade a whole class in parallel into the gradebook")
    p.add_argument("assignment", help="e.g. week1")
    p.add_argument("--workers", type=int, default=0,
                   help="submissions graded at once (default: the number of cores)")
    add_limit_options(p)
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 (its "
                   "workers need this course installed); only this process writes the gradebook")
    p.add_argument("--regrade", action="store_true",
                   help="grade every submission again, even those graded before")
    p.add_argument("--csv", help="where to write the table (default: grading-ASSIGNMENT.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_grade)
    p = sub.add_parser("report", help="what the class got, test by test (after nndl grade or "
                       "nbgrader autograde)")
    p.add_argument("assignment", help="e.g. week1")
    p.add_argument("--out", metavar="FOLDER",
                   help="where to write the files (default: reports/ASSIGNMENT/)")
    p.add_argument("--names", action="store_true",
                   help="name the students on the page (without it, the page can be shared)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("lab", help="start JupyterLab (the student's tools; --instructor: all)",
                       description="Start JupyterLab in the course directory. Other options "
                       "(--port 8899, --no-browser, ...) are passed to jupyter lab.")
    p.add_argument("--instructor", action="store_true",
                   help="also nbgrader's formgrader, Create Assignment and course list")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv=None) -> int:
    parser = make_parser()
    # Options nndl does not know go to jupyter lab (nndl lab --port 8899), and only there.
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = extra
    args.root = str(course_root(args.root))
    # nbgrader logs every step at INFO level; keep warnings and errors only.
    logging.getLogger("traitlets").setLevel(logging.WARNING)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
