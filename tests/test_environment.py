"""The project's installation files agree with each other, and the code passes the linter."""

import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

REPO = Path(__file__).resolve().parents[1]


def _requirement(spec: str) -> tuple[str, str]:
    """('name', 'constraints') of a requirement such as 'nbgrader>=0.9,<0.10'."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*?)\s*", spec)
    assert match, f"cannot read the requirement {spec!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(3).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return dict(_requirement(r) for r in project["dependencies"])


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    reqs = dict(_requirement(s.replace("=", "==", 1) if re.search(r"[^<>=!]=[^=]", s) else s)
                for s in specs)
    reqs.pop("python", None)
    reqs.pop("pip", None)
    return reqs


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    conda, pip = environment_requirements(), pyproject_requirements()
    assert sorted(set(pip) - set(conda)) == [], "add these to environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "add these to pyproject.toml"
    differ = {n: (pip[n], conda[n]) for n in pip if pip[n] != conda[n]}
    assert differ == {}, f"version constraints differ (pyproject, environment.yml): {differ}"


TEST_TOOLS = {"pytest", "pytest-xdist", "ruff", "playwright"}


def test_students_and_hubs_install_no_test_tools():
    """`pip install .` (a student, Binder) and `pip install '.[hub]'` (deploy/hub/install) get
    none of the test tools; the `dev` extra, which README's test command installs, has them all
    and the hub's packages (for tests/test_hub.py)."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    hub = dict(_requirement(r) for r in extras["hub"])
    dev = dict(_requirement(r) for r in extras["dev"])
    assert TEST_TOOLS.isdisjoint(pyproject_requirements()) and TEST_TOOLS.isdisjoint(hub)
    assert TEST_TOOLS <= dev.keys() and "jupyterhub" in hub
    assert "nndl[hub]" in extras["dev"]


def test_the_consistency_check_notices_a_drift(tmp_path, monkeypatch):
    drifted = (REPO / "environment.yml").read_text().replace("  - tqdm>=4.65\n", "")
    (tmp_path / "environment.yml").write_text(drifted)
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert "tqdm" in set(pyproject_requirements()) - set(environment_requirements())


def test_nbgrader_config_ignores_files_that_would_shadow_the_helpers():
    text = (REPO / "nbgrader_config.py").read_text()
    for name in ('"utils"', '"utils.py"', '"autograder"', '"autograder.py"'):
        assert name in text


def test_ruff_finds_no_problems():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "utils", "autograder", "tests", "datasets",
         "benchmarks", "source", "notebooks", "deploy"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
