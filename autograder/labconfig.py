"""JupyterLab as a student and as an instructor has it.

Students keep nbgrader's Validate button and assignment list; nbgrader's instructor tools (the
Create Assignment side bar, the formgrader, the course list) are turned off, in the front end
(labconfig/page_config.json: disabled and locked, so the Extension Manager cannot turn them back
on) and in the server (jupyter_server_config.json). Instructors get all of them. Each role is a
Jupyter config directory, autograder/lab_config/ROLE, used two ways:

* ``nndl lab`` / ``nndl lab --instructor`` put it first on JUPYTER_CONFIG_PATH for one server;
* ``python -m autograder.labconfig student`` writes it into the environment (sys.prefix), which
  is what Binder's postBuild does; running it again leaves the same files.

Both roles have the course's Validate: its server extension (autograder/validate_server.py, in
place of nbgrader's validate_assignment) and its JupyterLab extension, nndl-validate-progress
(built from labextension/ into lab_data/labextensions/, which the package ships). JupyterLab
finds that extension through lab_data, a Jupyter data directory: ``nndl lab`` puts it first on
JUPYTER_PATH; ``install`` links it into the environment's share/jupyter/labextensions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

LAB_CONFIG = Path(__file__).resolve().parent / "lab_config"
LAB_DATA = Path(__file__).resolve().parent / "lab_data"  # a Jupyter data directory
LAB_EXTENSIONS = ("nndl-validate-progress",)  # in LAB_DATA / "labextensions"
ROLES = ("student", "instructor")
# The file written into jupyter_server_config.d: after nbgrader's own nbgrader.json, so it wins.
SERVER_FILE = "zz-nndl-role.json"


def role_dir(role: str) -> Path:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return LAB_CONFIG / role


def page_config(role: str) -> dict:
    return json.loads((role_dir(role) / "labconfig" / "page_config.json").read_text())


def server_config(role: str) -> dict:
    return json.loads((role_dir(role) / "jupyter_server_config.json").read_text())


def environment(role: str, environ=None) -> dict:
    """The environment of a JupyterLab server for ``role``: its config directory comes first,
    and the course's data directory (its JupyterLab extension)."""
    env = dict(os.environ if environ is None else environ)
    for variable, first in (("JUPYTER_CONFIG_PATH", role_dir(role)), ("JUPYTER_PATH", LAB_DATA)):
        paths = [str(first)]
        if env.get(variable):
            paths.append(env[variable])
        env[variable] = os.pathsep.join(paths)
    return env


def _merge(base: dict, update: dict) -> dict:
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def link_lab_extensions(prefix: str | os.PathLike = sys.prefix) -> list[Path]:
    """Link the course's JupyterLab extensions into ``prefix``/share/jupyter/labextensions (as
    ``jupyter labextension develop`` does: a rebuilt extension is seen at once); a copy where
    links cannot be made. Return the paths made."""
    made = []
    for name in LAB_EXTENSIONS:
        source = LAB_DATA / "labextensions" / name
        target = Path(prefix) / "share" / "jupyter" / "labextensions" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
        try:
            target.symlink_to(source, target_is_directory=True)
        except OSError:
            shutil.copytree(source, target)
        made.append(target)
    return made


def install(role: str, prefix: str | os.PathLike = sys.prefix) -> list[Path]:
    """Make ``role`` the default of the environment at ``prefix``; return the files written.

    The page config is merged into the environment's own (other settings there are kept); the
    server settings go to their own file in jupyter_server_config.d; the course's JupyterLab
    extensions are linked into its share/jupyter/labextensions.
    """
    etc = Path(prefix) / "etc" / "jupyter"
    page = etc / "labconfig" / "page_config.json"
    current = json.loads(page.read_text()) if page.is_file() and page.stat().st_size else {}
    for key in ("disabledExtensions", "lockedExtensions"):  # lists are an older spelling
        if isinstance(current.get(key), list):
            current[key] = {name: True for name in current[key]}
    _write_json(page, _merge(current, page_config(role)))
    server = etc / "jupyter_server_config.d" / SERVER_FILE
    _write_json(server, server_config(role))
    return [page, server, *link_lab_extensions(prefix)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.labconfig",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("role", choices=ROLES)
    parser.add_argument("--prefix", default=sys.prefix,
                        help="the environment to configure (default: this one, %(default)s)")
    args = parser.parse_args(argv)
    for path in install(args.role, args.prefix):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
