"""Tests that need a system package: required in CI (.ci/run installs it), skipped elsewhere."""

import os

import pytest


def require_system_package(present: bool, what: str, install: str) -> None:
    """Skip (outside CI) or fail (in CI, where CI=true) when ``what`` is not installed.

    The message names what is missing and the command that installs it, e.g.
    ``sudo apt-get install chromium``.
    """
    if present:
        return
    message = f"{what} not found: install it with `{install}` to run this test."
    if os.environ.get("CI"):
        pytest.fail(f"{message} CI must have it (.ci/run installs it).")
    pytest.skip(message)


def require_sandbox() -> None:
    """bubblewrap, able to create the sandbox's namespaces here (autograder.engine.sandbox)."""
    from autograder.engine import sandbox

    require_system_package(sandbox.problem() is None, "bubblewrap (bwrap) with user namespaces",
                           "sudo apt-get install bubblewrap")
