"""Binder and the student's JupyterLab: the badge, postBuild (run twice in a scratch venv), and
the role configurations of autograder/labconfig.py."""

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import tomllib

from autograder import labconfig

REPO = Path(__file__).resolve().parents[1]
INSTRUCTOR_TOOLS = {"@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                    "@jupyter/nbgrader:course-list"}


def test_the_badge_opens_jupyterlab_on_the_week1_notebook():
    readme = (REPO / "README.md").read_text()
    (badge,) = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+\)", readme)
    query = parse_qs(urlparse(badge.strip("()")).query)
    (path,) = query["urlpath"]
    assert path == "lab/tree/release/week1/numpy_basics.ipynb"
    assert (REPO / path.removeprefix("lab/tree/")).is_file()


def test_roles_turn_the_instructor_tools_off_and_on():
    student, instructor = labconfig.page_config("student"), labconfig.page_config("instructor")
    assert student["disabledExtensions"] == dict.fromkeys(INSTRUCTOR_TOOLS, True)
    assert student["lockedExtensions"] == dict.fromkeys(INSTRUCTOR_TOOLS, True)
    assert instructor["disabledExtensions"] == dict.fromkeys(INSTRUCTOR_TOOLS, False)
    servers = {role: labconfig.server_config(role)["ServerApp"]["jpserver_extensions"]
               for role in labconfig.ROLES}
    # both roles validate with the course's server extension, in place of nbgrader's
    assert {name for name, on in servers["student"].items() if on} == {
        "autograder.validate_server"}
    # the instructor's formgrader is the course's (autograder.formgrader), in place of nbgrader's
    assert {name for name, on in servers["instructor"].items() if on} == {
        "autograder.formgrader", "nbgrader.server_extensions.course_list",
        "autograder.validate_server"}
    assert servers["student"].keys() == servers["instructor"].keys()
    assert servers["student"]["nbgrader.server_extensions.validate_assignment"] is False


def test_environment_puts_the_role_first_and_keeps_the_rest():
    env = labconfig.environment("student", {"JUPYTER_CONFIG_PATH": "/elsewhere", "A": "1"})
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(labconfig.role_dir("student")),
                                                     "/elsewhere"]
    assert env["JUPYTER_PATH"] == str(labconfig.LAB_DATA)  # the course's lab extension
    assert env["A"] == "1"
    with pytest.raises(ValueError, match="student, instructor"):
        labconfig.role_dir("teacher")


def test_the_lab_extension_is_built_and_shipped_with_the_package():
    """labextension/ builds into lab_data/labextensions/, which the package ships and
    JupyterLab reads (it names the bundle to load in its package.json)."""
    source = json.loads((REPO / "labextension" / "package.json").read_text())
    (name,) = labconfig.LAB_EXTENSIONS
    built = labconfig.LAB_DATA / "labextensions" / name
    assert source["name"] == name
    assert (REPO / "labextension" / source["jupyterlab"]["outputDir"]).resolve() == built
    load = json.loads((built / "package.json").read_text())["jupyterlab"]["_build"]["load"]
    assert (built / load).is_file(), f"{load} is missing: rebuild (labextension/README.md)"
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["autograder"]
    for path in built.rglob("*"):
        relative = path.relative_to(REPO / "autograder").as_posix()
        assert path.is_dir() or any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_install_merges_into_the_environment_page_config(tmp_path):
    page = tmp_path / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True)
    page.write_text(json.dumps({"disabledExtensions": ["other:plugin"], "theme": "dark"}))
    labconfig.install("student", tmp_path)
    first = page.read_text()
    data = json.loads(first)
    assert data["theme"] == "dark"
    assert data["disabledExtensions"] == {"other:plugin": True,
                                          **dict.fromkeys(INSTRUCTOR_TOOLS, True)}
    labconfig.install("student", tmp_path)
    assert page.read_text() == first


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.slow
def test_post_build_runs_twice_in_a_scratch_venv_with_the_same_result(tmp_path):
    """postBuild in a new environment that sees this one's packages (no network): it installs
    the course and the student's JupyterLab; a second run changes nothing."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True, check=True)
    # This environment's packages (jupyter, nbgrader, pip, setuptools), as Binder's conda has.
    Path(purelib.stdout.strip(), "course_env.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    # nbgrader's own server settings, as its installation writes them into the environment.
    nbgrader_json = Path(sys.prefix, "etc/jupyter/jupyter_server_config.d/nbgrader.json")
    server_d = venv / "etc" / "jupyter" / "jupyter_server_config.d"
    server_d.mkdir(parents=True)
    if nbgrader_json.is_file():
        shutil.copy(nbgrader_json, server_d)
    course = tmp_path / "course"
    course.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "postBuild"):
        shutil.copy(REPO / name, course / name)
    for name in ("utils", "autograder"):
        shutil.copytree(REPO / name, course / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}

    snapshots = []
    for _ in range(2):
        result = subprocess.run(["bash", str(course / "postBuild")], env=env, cwd=tmp_path,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        snapshots.append(_snapshot(venv / "etc"))
    assert snapshots[0] == snapshots[1]

    page = json.loads((venv / "etc/jupyter/labconfig/page_config.json").read_text())
    assert page == labconfig.page_config("student")
    probe = subprocess.run(
        [python, "-c", "import utils.quiz, autograder.labconfig as c; print(c.__file__)\n"
         "from jupyter_core.paths import jupyter_config_path\n"
         "from jupyter_server.extension.config import ExtensionConfigManager\n"
         "m = ExtensionConfigManager(read_config_path=jupyter_config_path())\n"
         "ext = m.get_jpserver_extensions()\n"
         "print(ext.get('nbgrader.server_extensions.formgrader'),"
         " ext.get('nbgrader.server_extensions.course_list'),"
         " ext.get('nbgrader.server_extensions.validate_assignment'),"
         " ext.get('autograder.validate_server'))\n"
         "from jupyter_core.paths import jupyter_path\n"
         "from jupyterlab_server.config import get_federated_extensions\n"
         "found = get_federated_extensions(jupyter_path('labextensions'))\n"
         "print(found['nndl-validate-progress']['ext_path'])"],
        env=env, cwd=tmp_path, capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    where, switches, lab_extension = probe.stdout.split("\n")[:3]
    assert where.startswith(str(course)), where  # the course installed from its own folder
    assert switches.split() == ["False", "False", "False", "True"]
    # JupyterLab finds the course's lab extension in the environment, linked to the course's
    linked = venv / "share/jupyter/labextensions/nndl-validate-progress"
    assert Path(lab_extension) == linked
    assert linked.resolve() == course / "autograder/lab_data/labextensions/nndl-validate-progress"
