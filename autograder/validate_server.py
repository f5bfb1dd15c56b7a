"""Validate in JupyterLab without stopping the server, and with progress the page can show.

nbgrader's Validate button posts the notebook's path to ``/assignments/validate``. nbgrader's own
handler (nbgrader.server_extensions.validate_assignment) runs the whole validation inside that
request, on the server's one thread: for as long as it runs (a minute for a finished week 4 on a
busy machine), the server answers nothing else, no save, no other notebook, no file list. This
server extension serves the same URL, with the same request and the same answer, but runs the
validation in a thread of its own, and adds

    GET /nndl/validate/progress[?path=NOTEBOOK]    (authenticated)

which says what each validation in flight is doing, as JSON: ``{"validations": [{"path",
"state" ("waiting", "starting", "running", "finishing"), "seconds", "cell", "cells", "name",
"cell_seconds", "message"}]}``. The course's lab extension (labextension/) asks it every second
while a Validate request has been pending for more than 3 s, and shows the message in a
JupyterLab notification. nbgrader's ``/nbgrader_version`` (the Validate button asks it first) is
served here too. lab_config/ROLE turns this extension on and nbgrader's validate_assignment off.

Each validation runs in a child process (``python -m autograder.validate_server``): nbgrader's
Validator changes the process's current folder and environment while it runs, which in the
server itself would move every other request (a fetch or a submit in the Assignments tab, a
kernel started meanwhile) into the notebook's folder. The child reports each cell it starts on
stderr, as a marked JSON line, and writes its answer to a file. Validations run one at a time
(each runs a kernel): a second one waits for the first, and its progress says so.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Executor, Future
from pathlib import Path, PurePosixPath

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from nbgrader.apps import NbGrader
from nbgrader.server_extensions.validate_assignment import handlers as nbgrader_handlers
from tornado import web
from tornado.ioloop import IOLoop

from autograder.engine import nbgrader_setup
from autograder.engine.validate import Running, watching

PROGRESS_URL = "/nndl/validate/progress"
MARK = "nndl-validate-progress: "  # the child's progress lines on stderr
CONFIG_FOLDER = "nndl_validate_config_folder"  # web app setting: where nbgrader_config.py is


class Validation:
    """One Validate request: what it is doing, for the progress endpoint."""

    def __init__(self, path: str):
        self.path = path
        self.requested = time.time()
        self.started: float | None = None  # its turn came: config, kernel, cells
        self.running: Running | None = None
        self.finished = False  # the cells have run; the results are being read

    def start(self) -> None:
        self.started = time.time()

    def update(self, running: Running | None) -> None:
        """A ``validate.Watcher``: the cell now running, None when the last one is done."""
        self.running = running
        if running is None:
            self.finished = True

    def state(self) -> str:
        if self.started is None:
            return "waiting"
        if self.finished:
            return "finishing"
        return "starting" if self.running is None else "running"

    def as_json(self, now: float | None = None) -> dict:
        now = time.time() if now is None else now
        state, running = self.state(), self.running
        seconds = now - self.requested
        name = PurePosixPath(self.path).name
        if state == "running":
            message = f"Validating {name}: running {running.describe(now)}"
        elif state == "waiting":
            message = (f"Validating {name}: waiting for another validation to finish, "
                       f"{seconds:.0f} s")
        elif state == "starting":
            message = f"Validating {name}: starting its kernel, {seconds:.0f} s"
        else:
            message = f"Validating {name}: reading the results, {seconds:.0f} s"
        return {"path": self.path, "state": state, "seconds": round(seconds, 1),
                "cell": running.number if running and state == "running" else None,
                "cells": running.cells if running else None,
                "name": running.name if running and state == "running" else None,
                "cell_seconds": round(running.seconds(now), 1) if running else None,
                "message": message}


class Validations:
    """The validations in flight."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: list[Validation] = []

    def add(self, path: str) -> Validation:
        validation = Validation(path)
        with self._lock:
            self._items.append(validation)
        return validation

    def remove(self, validation: Validation) -> None:
        with self._lock:
            self._items.remove(validation)

    def as_json(self, path: str | None = None) -> list[dict]:
        with self._lock:
            items = list(self._items)
        now = time.time()
        return [v.as_json(now) for v in items if path is None or _same(v.path, path)]


def _same(a: str, b: str) -> bool:
    return a.strip("/") == b.strip("/")


class OneAtATime(Executor):
    """Each call in a daemon thread of its own, one call at a time: a validation in progress
    never holds up the server when it stops (a pool's threads are waited for at exit)."""

    def __init__(self):
        self._turn = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()

        def work():
            with self._turn:
                if not future.set_running_or_notify_cancel():
                    return
                try:
                    result = fn(*args, **kwargs)
                except BaseException as error:  # noqa: BLE001 (handed to the request)
                    future.set_exception(error)
                else:
                    future.set_result(result)

        threading.Thread(target=work, name="nndl-validate", daemon=True).start()
        return future


VALIDATIONS = Validations()
EXECUTOR = OneAtATime()


class _CourseConfig(NbGrader):
    """nbgrader's configuration as nbgrader's Validate handler loads it (nbgrader_config.py of
    the folder the server started in, then Jupyter's config path), from a folder given once
    rather than the process's current folder, which a validation changes while it runs."""

    load_cwd_config = False
    folder = ""

    @property
    def config_file_paths(self) -> list[str]:
        return [self.folder, *super().config_file_paths]


class ValidateHandler(nbgrader_handlers.ValidateAssignmentHandler):
    """nbgrader's ValidateAssignmentHandler, run in a worker thread (same request and answer)."""

    def load_config(self):
        app = _CourseConfig()
        app.folder = self.settings.get(CONFIG_FOLDER) or os.getcwd()
        app.load_config_file()
        config = app.config
        if "preprocessors" not in config.Validator:  # no course configuration found
            config.Validator.preprocessors = nbgrader_setup.validate_preprocessors()
        return config

    @web.authenticated
    async def post(self):
        try:
            path = self.get_argument("path")
        except web.MissingArgumentError:
            path = self.get_json_body()["path"]
        validation = VALIDATIONS.add(path)
        try:
            output = await IOLoop.current().run_in_executor(EXECUTOR, self._validate, path,
                                                            validation)
        finally:
            VALIDATIONS.remove(validation)
        self.finish(json.dumps(output))

    def _validate(self, path: str, validation: Validation) -> dict:
        """Validate in a child process; its progress lines update ``validation``."""
        validation.start()
        with tempfile.TemporaryDirectory(prefix="nndl-validate-") as folder:
            answer = Path(folder) / "answer.json"
            child = subprocess.Popen(
                [sys.executable, "-m", "autograder.validate_server", self.root_dir,
                 self.settings.get(CONFIG_FOLDER) or os.getcwd(), path, str(answer)],
                cwd=self.settings.get(CONFIG_FOLDER) or None, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            said = []
            for line in child.stderr:
                if line.startswith(MARK):
                    running = json.loads(line[len(MARK):])
                    validation.update(Running(**running) if running else None)
                else:
                    said.append(line)
                    del said[:-40]
            child.wait()
            if child.returncode == 0 and answer.is_file():
                return json.loads(answer.read_text())
        return {"success": False, "value": "Validate stopped unexpectedly:\n" + "".join(said)}


class _Child:
    """What nbgrader's ``validate_notebook`` needs of its handler, in the child process."""

    validate_notebook = nbgrader_handlers.ValidateAssignmentHandler.validate_notebook
    load_config = ValidateHandler.load_config

    def __init__(self, root_dir: str, config_folder: str):
        self.root_dir = root_dir
        self.settings = {"root_dir": root_dir, CONFIG_FOLDER: config_folder}
        self.log = logging.getLogger("nndl-validate")


def _report(running: Running | None) -> None:
    sys.stderr.write(MARK + json.dumps(dataclasses.asdict(running) if running else None) + "\n")
    sys.stderr.flush()


def child_main(argv: list[str]) -> int:
    """``python -m autograder.validate_server ROOT_DIR CONFIG_FOLDER PATH ANSWER_FILE``."""
    root_dir, config_folder, path, answer = argv
    logging.basicConfig(level=logging.WARNING)
    with watching(_report):
        result = _Child(root_dir, config_folder).validate_notebook(path)
    Path(answer).write_text(json.dumps(result))
    return 0


class ProgressHandler(APIHandler):
    """What the validations in flight are doing (all, or those of ``?path=``)."""

    @web.authenticated
    def get(self):
        self.finish(json.dumps({"validations": VALIDATIONS.as_json(
            self.get_argument("path", None))}))


HANDLERS = [
    ("/assignments/validate", ValidateHandler),
    ("/nbgrader_version", nbgrader_handlers.NbGraderVersionHandler),
    (PROGRESS_URL, ProgressHandler),
]


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    serverapp.log.info("Loading the course's Validate (autograder.validate_server)")
    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir  # nbgrader's handler reads it
    webapp.settings[CONFIG_FOLDER] = os.getcwd()
    base_url = webapp.settings["base_url"]
    webapp.add_handlers(".*$", [(url_path_join(base_url, pattern), handler)
                                for pattern, handler in HANDLERS])


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
