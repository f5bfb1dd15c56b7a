"""autograder.engine.scratch: a scratch folder left by a process killed with SIGKILL is removed
by the next grader that makes one; folders of living processes and others' folders stay."""

import os
import subprocess
import sys

from autograder.engine import scratch


def test_stale_folders_go_and_live_ones_stay(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / "nndl-test-stale"
    stale.mkdir()
    (stale / scratch.OWNER).write_text(dead.stdout.strip())
    live = tmp_path / "nndl-test-live"
    live.mkdir()
    (live / scratch.OWNER).write_text(str(os.getpid()))
    foreign = tmp_path / "nndl-test-foreign"  # no owner file: not made by scratch.make
    foreign.mkdir()

    made = scratch.make("nndl-test-")
    assert made.parent == tmp_path and (made / scratch.OWNER).read_text() == str(os.getpid())
    assert not stale.exists()
    assert live.is_dir() and foreign.is_dir()
