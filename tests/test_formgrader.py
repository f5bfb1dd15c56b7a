"""The formgrader's configuration panel (Manage Assignments, "Current configuration") shows the
course's configuration as plain JSON and none of the server's secrets.

nbgrader's panel dumps the whole configuration the formgrader holds, the server's token included,
and Python's repr of it when nbgrader_config.py holds classes ("Formgrader config is not
serializable"). The course names its classes by import strings, and autograder.formgrader shows
the configuration with secrets hidden; the last test reads the page from a real
`nndl lab --instructor` started with a token.
"""

from __future__ import annotations

import html
import json
import re
import urllib.request
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader import preprocessors
from nbgrader.converters import Autograde, GenerateFeedback
from support import grading_corpus as gc
from support.lab_server import lab_server
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from autograder import formgrader
from autograder.engine import nbgrader_setup
from autograder.engine.execute import LimitedExecute

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "secret-token-123"
SECRETS = {  # configured the ways a server or a course can be, each value distinct
    ("ServerApp", "token"): "server-token-456",
    ("IdentityProvider", "token"): TOKEN,
    ("ServerApp", "password"): "argon2:$argon2id$v=19$m=10240,t=10,p=8$hashed-password",
    ("PasswordIdentityProvider", "hashed_password"): "sha1:hashed-password-789",
    ("ServerApp", "cookie_secret"): b"cookie-secret-bytes",
}
DB_PASSWORD = "db-password-321"


def course_config() -> Config:
    return PyFileConfigLoader("nbgrader_config.py", str(ROOT)).load_config()


def test_the_course_configuration_is_plain_data():
    # what nbgrader's ManageAssignmentsHandler does with the configuration it holds
    config = course_config()
    json.dumps(config, indent=2)
    for name in ("autograde_preprocessors", "sanitize_preprocessors"):
        assert all(isinstance(p, str) for p in config.Autograde[name]), name
    assert all(isinstance(p, str) for p in config.GenerateFeedback.preprocessors)
    assert isinstance(config.GenerateFeedback.exporter_class, str)


def test_the_import_strings_are_the_classes_nbgrader_grades_with():
    config = course_config()
    autograde = [import_item(p) for p in config.Autograde.autograde_preprocessors]
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    assert autograde == [LimitedExecute if p is preprocessors.Execute else p for p in default]
    sanitize = [import_item(p) for p in config.Autograde.sanitize_preprocessors]
    assert nbgrader_setup.OverwriteCells in sanitize and nbgrader_setup.DeduplicateIds in sanitize
    assert len(sanitize) == len(Autograde.class_traits()["sanitize_preprocessors"].default())
    feedback = GenerateFeedback(config=config)
    assert feedback.exporter_class is nbgrader_setup.FeedbackExporter
    assert [import_item(p) for p in feedback.preprocessors] == [
        preprocessors.GetGrades, CSSHTMLHeaderPreprocessor, nbgrader_setup.HideHiddenTests]


def test_the_panel_hides_every_secret_and_shows_the_rest():
    config = course_config()
    for (section, name), value in SECRETS.items():
        config[section][name] = value
    config.CourseDirectory.db_url = f"postgresql://grader:{DB_PASSWORD}@db.example.org/nndl"
    config.ServerApp.jpserver_extensions.update({"autograder.formgrader": True})  # lazy value
    config.Autograde.autograde_preprocessors = [LimitedExecute]  # a class, not a string

    shown = formgrader.shown_config(config)
    for secret in [*SECRETS.values(), DB_PASSWORD]:
        text = secret.decode() if isinstance(secret, bytes) else secret
        assert text not in shown
    panel = json.loads(shown)
    assert panel["IdentityProvider"]["token"] == formgrader.HIDDEN
    assert panel["CourseDirectory"]["db_url"] == (
        f"postgresql://grader:{formgrader.HIDDEN}@db.example.org/nndl")
    assert panel["CourseDirectory"]["course_id"] == "nndl"
    assert panel["CourseDirectory"]["ignore"][-1] == "autograder.py"
    assert panel["ServerApp"]["jpserver_extensions"] == {
        "update": {"autograder.formgrader": True}}
    assert panel["Autograde"]["autograde_preprocessors"] == [
        "autograder.engine.execute.LimitedExecute"]


# ------------------------------------------------------------------------------------------
# The page itself, from `nndl lab --instructor` in a copy of the course
# ------------------------------------------------------------------------------------------
def get(url: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


def test_the_formgrader_page_shows_the_configuration_without_the_servers_token(tmp_path):
    course = gc.course_copy(tmp_path / "nndl")
    log_path = tmp_path / "server.log"
    with lab_server(course, tmp_path / "settings", "instructor", TOKEN, log_path) as url:
        page = get(f"{url}/formgrader/manage_assignments")
        get(f"{url}/formgrader")  # nbgrader's other pages are still served

    assert TOKEN not in page
    (panel,) = re.findall(r'<pre class="panel-body">(.*?)</pre>', page, re.S)
    config = json.loads(html.unescape(panel))
    assert config["IdentityProvider"]["token"] == formgrader.HIDDEN
    assert config["CourseDirectory"]["course_id"] == "nndl"
    assert config["Exchange"]["root"] == str(course / "exchange")
    assert ("autograder.engine.execute.LimitedExecute"
            in config["Autograde"]["autograde_preprocessors"])
    assert "not serializable" not in log_path.read_text()

