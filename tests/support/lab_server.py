"""`nndl lab` started for a test: a JupyterLab server on loopback, stopped with everything it
started when the test is done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from support import grading_corpus as gc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def lab_server(root: Path, settings: Path, role: str, token: str = "",
               log_path: Path | None = None):
    """`nndl lab` (or `nndl lab --instructor`) in the course ``root``, with JupyterLab's
    settings in ``settings``; yields its address once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "autograder.cli", "--root", str(root), "lab",
               "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
               "--ServerApp.password=", f"--LabApp.user_settings_dir={settings}",
               f"--LabApp.workspaces_dir={root / '.workspaces'}"]
    if role == "instructor":
        command.insert(command.index("lab") + 1, "--instructor")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root in a container
    log_path = log_path or root / f"{role}-server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped at start:\n{log_path.read_text()[-3000:]}")
            try:
                request = urllib.request.Request(f"{url}/api/status", headers=headers)
                with urllib.request.urlopen(request, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in 120 s:\n"
                                f"{log_path.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url
    finally:
        gc.stop_group(server, 30)
