"""A test that needs a system package skips with the install command, except in CI."""

import pytest
from support.system_packages import require_system_package


def test_missing_package_skips_outside_ci_with_the_install_command(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="sudo apt-get install chromium"):
        require_system_package(False, "chromium", "sudo apt-get install chromium")


def test_missing_package_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI must have it \(.ci/run installs it\)"):
        require_system_package(False, "chromium", "sudo apt-get install chromium")


def test_present_package_runs(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_system_package(True, "chromium", "sudo apt-get install chromium") is None
