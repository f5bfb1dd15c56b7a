"""Validate as the course runs it: the Validate button and ``nbgrader validate``.

nbgrader's Validator clears the outputs, checks the cells' metadata and executes the notebook,
then lists the graded cells that failed. ``ValidateExecute`` is its execute step with two
changes (nbgrader_config.py puts it in place of nbgrader's ``Execute``):

* It stops after the last graded cell (a test, an answer or a task: ``last_graded_cell``, where
  grading stops too). The training runs, comparisons and plots after it cannot change what
  Validate reports, which depends only on the graded cells' outputs; they are not run.
  ``c.ValidateExecute.run_after_last_graded_cell = True`` (or ``c.Validator.validate_all``,
  which looks at every cell) runs everything.
* It says what it is running. Each code cell it starts is published as a ``Running`` (the
  cell's number, its grade id or first line, since when, out of how many cells). In a terminal,
  a cell that has been running for more than ``SLOW_AFTER`` seconds gets a line on stderr, then
  one every ``REPEAT_EVERY`` seconds at most; a fast notebook prints nothing more than before.
  A caller that shows progress its own way (the course's Jupyter server extension,
  ``autograder/validate_server.py``) receives each ``Running`` instead, with ``watching``.

Its per-cell time limit is 600 s (nbgrader's default of 30 s is too short for the course's
training cells); ``c.ValidateExecute.timeout`` (or ``c.Execute.timeout``) changes it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer

from autograder.hidden.reference import last_graded_cell, nbgrader_meta

SLOW_AFTER = 3.0  # seconds a cell runs before the terminal names it
REPEAT_EVERY = 5.0  # seconds between two lines about the same cell
NAME_WIDTH = 40  # characters of a cell's first line that name it


def cell_name(cell) -> str:
    """What names a cell to a student: its nbgrader grade id, else its first line, shortened."""
    grade_id = nbgrader_meta(cell).get("grade_id")
    if grade_id:
        return str(grade_id)
    line = next((line.strip() for line in cell.get("source", "").splitlines() if line.strip()),
                "")
    return line if len(line) <= NAME_WIDTH else line[: NAME_WIDTH - 3].rstrip() + "..."


@dataclass(frozen=True)
class Running:
    """The cell a validation is running."""

    index: int  # its position in the notebook, from 0
    cells: int  # how many cells the validation runs through (the last graded one's index + 1)
    name: str  # cell_name()
    since: float  # time.time() when it started

    @property
    def number(self) -> int:
        """Its position as JupyterLab counts cells, from 1."""
        return self.index + 1

    def seconds(self, now: float | None = None) -> float:
        return max(0.0, (time.time() if now is None else now) - self.since)

    def describe(self, now: float | None = None) -> str:
        """'cell 44 of 50 (test_two_layer_model), 6 s'"""
        named = f" ({self.name})" if self.name else ""
        return f"cell {self.number} of {self.cells}{named}, {self.seconds(now):.0f} s"

    def as_json(self, now: float | None = None) -> dict:
        return {"cell": self.number, "cells": self.cells, "name": self.name,
                "since": self.since, "seconds": round(self.seconds(now), 1)}


Watcher = Callable[[Running | None], None]  # None: the validation is over
_watchers: dict[int, Watcher] = {}  # thread id -> who is told, for validations in that thread
_watchers_lock = threading.Lock()


@contextmanager
def watching(watcher: Watcher) -> Iterator[None]:
    """Send what the validations run in this thread are running to ``watcher`` (a ``Running``
    at the start of each code cell, None at the end) instead of the terminal."""
    thread = threading.get_ident()
    with _watchers_lock:
        previous = _watchers.get(thread)
        _watchers[thread] = watcher
    try:
        yield
    finally:
        with _watchers_lock:
            if previous is None:
                _watchers.pop(thread, None)
            else:
                _watchers[thread] = previous


class TerminalProgress:
    """Lines on ``stream`` about a cell that runs long: the first after ``after`` seconds, then
    one every ``every`` seconds; nothing for cells that end sooner. Call it with each
    ``Running`` (None at the end), and ``stop()`` it."""

    def __init__(self, stream=None, after: float = SLOW_AFTER, every: float = REPEAT_EVERY,
                 tick: float = 0.25):
        self.stream = stream if stream is not None else sys.stderr
        self.after, self.every, self.tick = after, every, tick
        self._running: Running | None = None
        self._said_at: float | None = None  # when the running cell was last named
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="validate-progress",
                                        daemon=True)
        self._thread.start()

    def __call__(self, running: Running | None) -> None:
        with self._lock:
            self._running, self._said_at = running, None

    def _watch(self) -> None:
        while not self._stopped.wait(self.tick):
            now = time.time()
            with self._lock:
                running = self._running
                if running is None or running.seconds(now) < self.after or (
                        self._said_at is not None and now - self._said_at < self.every):
                    continue
                self._said_at = now
            try:
                self.stream.write(f"Validate: still running {running.describe(now)}\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed stream: nobody is reading
                pass

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


class ValidateExecute(Execute):
    """nbgrader's Execute for Validate: runs the cells up to the last graded one, and says
    which cell is running (module docstring)."""

    timeout = Integer(
        600, allow_none=True,
        help="Seconds a cell may run before it is interrupted and reported as failed "
        "(None: no limit).",
    ).tag(config=True)
    run_after_last_graded_cell = Bool(
        False, help="Also run the cells after the last graded cell (training runs, plots), "
        "which cannot change what Validate reports.",
    ).tag(config=True)
    progress_after = Float(
        SLOW_AFTER, help="Seconds a cell runs before `nbgrader validate` names it on stderr.",
    ).tag(config=True)
    progress_every = Float(
        REPEAT_EVERY, help="Seconds between two lines about the same cell.",
    ).tag(config=True)

    def runs_every_cell(self) -> bool:
        return self.run_after_last_graded_cell or bool(getattr(self.parent, "validate_all",
                                                               False))

    def preprocess(self, nb, resources=None, km=None):
        cells = len(nb.cells)
        self._stop_after = cells - 1 if self.runs_every_cell() else min(last_graded_cell(nb),
                                                                       cells - 1)
        resources = {} if resources is None else resources
        # The kernel starts in the notebook's folder, where the Validator has gone: said
        # explicitly, so that another thread changing the process's folder cannot move it.
        resources.setdefault("metadata", {}).setdefault("path", os.getcwd())
        watcher = _watchers.get(threading.get_ident())
        terminal = None
        if watcher is None:
            watcher = terminal = TerminalProgress(after=self.progress_after,
                                                  every=self.progress_every)
        self._watcher = watcher
        try:
            return super().preprocess(nb, resources, km)
        finally:
            watcher(None)
            if terminal is not None:
                terminal.stop()

    def preprocess_cell(self, cell, resources, index):
        if index > self._stop_after:
            return cell, resources
        if cell.cell_type == "code" and cell.source.strip():
            self._watcher(Running(index, self._stop_after + 1, cell_name(cell), time.time()))
        return super().preprocess_cell(cell, resources, index)
