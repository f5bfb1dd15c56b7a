"""The course on a real multi-user JupyterHub, set up as README's "Running the course on a
JupyterHub" says (its commands are checked against HUB_COMMANDS, and each step below is one of
them), and used by real Unix users that the test creates and removes.

Two students log in with their passwords in Debian's chromium (driven by Playwright), fetch week 1
in the Assignments tab, answer it (one right, one with a catalogued mistake), Validate, Submit;
the instructor, in a kernel of their own JupyterLab on the hub (what their terminal runs),
collects, grades with `nndl grade`, and releases feedback; each student fetches their own feedback
and sees their hint. Then, from a student's own kernel on the hub, every way to reach another
student's work, the release, the course's source and gradebook, or the formgrader, is refused;
and a symbolic link to the source notebook placed in the student's inbound folder, or a
submission made in another student's name, gains nothing at `collect` and grading.

Needs root (it creates users), Debian's chromium, and the hub's environment that
`deploy/hub/install` makes (in /opt/nndl-test, or $NNDL_HUB_TEST_PREFIX; .ci/run installs it,
with the network, before the tests): skipped elsewhere with the command, required in CI. When the
installed course differs from this tree, the test runs `deploy/hub/install` again first (it
reinstalls the course only, without the network).
"""

from __future__ import annotations

import csv
import grp
import io
import json
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from catalogue.week1 import MISTAKES
from support import grading_corpus as gc
from support.lab_server import free_port
from support.system_packages import require_system_package
from test_browser import CHROMIUM_ARGS, chromium_path, menu, nbgrader_menu, shot, validate
from test_instructor_flow import copy_course

from autograder import exchange

REPO = Path(__file__).resolve().parents[1]
PREFIX = Path(os.environ.get("NNDL_HUB_TEST_PREFIX", "/opt/nndl-test"))
INSTRUCTOR, ALICE, BOB = "nndl-teacher", "nndl-alice", "nndl-bob"
CLASS = "nndl-test-class"  # the students' group (README: nndl-students)
ASSIGNMENT, NOTEBOOK = "week1", "numpy_basics"
FULL_MARKS = 9
MISTAKE = MISTAKES["softmax"][0]  # bob's: the 2-point softmax test fails, nothing else
PASSWORDS = {name: secrets.token_urlsafe(12) for name in (INSTRUCTOR, ALICE, BOB)}

# README's block, in order; the test does each step with its own names and folders.
HUB_COMMANDS = [
    "sudo groupadd nndl-students",
    "sudo useradd --create-home --key HOME_MODE=0700 teacher",
    "sudo useradd --create-home --key HOME_MODE=0700 --groups nndl-students alice",
    "sudo chpasswd < passwords.txt",
    "sudo -u teacher git clone https://github.com/nndl-course/nndl /home/teacher/nndl",
    "sudo /home/teacher/nndl/deploy/hub/install",
    "sudo /home/teacher/nndl/deploy/hub/setup",
    "sudo /opt/nndl/venv/bin/jupyterhub -f /home/teacher/nndl/deploy/hub/jupyterhub_config.py",
]

# The test's own additions to the hub's configuration: free ports, and a service whose token
# starts servers and reaches the users' kernels (as the test's hands, never a student's).
TEST_CONFIG = """
c = get_config()  # noqa: F821
load_subconfig({shipped!r})  # noqa: F821
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.services = [{{"name": "nndl-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "nndl-test", "services": ["nndl-test"],
                            "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
"""

pytestmark = pytest.mark.slow


def hub_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("\n### Running the course on a JupyterHub\n", 1)[1].split("\n## ", 1)[0]


def readme_hub_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", hub_section(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines()
            if line.startswith("sudo ")]


# ------------------------------------------------------------------------------------------
# The collect rules alone (no hub needed)
# ------------------------------------------------------------------------------------------
def test_collect_copies_regular_files_and_follows_no_link(tmp_path):
    secret = tmp_path / "source.ipynb"
    secret.write_text("the reference solution")
    src = tmp_path / "submission"
    (src / "data").mkdir(parents=True)
    (src / "numpy_basics.ipynb").write_text("my answers")
    (src / "data" / "notes.txt").write_text("notes")
    (src / "linked.ipynb").symlink_to(secret)
    (src / "linked_folder").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(src / "pipe")
    dest = tmp_path / "collected"
    left_out = exchange.copy_regular_files(str(src), str(dest))
    assert sorted(left_out) == ["linked.ipynb", "linked_folder", "pipe"]
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*")) == [
        "data", "data/notes.txt", "numpy_basics.ipynb"]
    assert (dest / "numpy_basics.ipynb").read_text() == "my answers"


def test_collect_refuses_a_submission_that_is_a_link_or_not_a_folder(tmp_path):
    folder = tmp_path / "alice+week1+2026-01-01 00:00:00.000000 UTC+x"
    folder.mkdir()
    link = tmp_path / "bob+week1+2026-01-02 00:00:00.000000 UTC+x"
    link.symlink_to(folder, target_is_directory=True)
    afile = tmp_path / "bob+week1+2026-01-03 00:00:00.000000 UTC+x"
    afile.write_text("")
    assert exchange.refusal(str(folder), "alice") is None  # the collecting user's own
    assert exchange.refusal(str(link), "bob") == "it is a symbolic link, not a folder"
    assert exchange.refusal(str(afile), "bob") == "it is not a folder"


# ------------------------------------------------------------------------------------------
# The hub: users, the course, the exchange, JupyterHub
# ------------------------------------------------------------------------------------------
def run(*args: str, **kwargs) -> str:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def remove_users() -> None:
    for name in (INSTRUCTOR, ALICE, BOB):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    subprocess.run(["groupdel", CLASS], capture_output=True)


def package_files(root: Path, python_only: bool = False) -> dict[str, bytes]:
    """The course's package files under ``root`` (a clone or site-packages), by path."""
    return {str(path.relative_to(root)): path.read_bytes()
            for name in ("autograder", "utils") for path in (root / name).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
            and (path.suffix == ".py" or not python_only)}


def installed_course_is_current() -> bool:
    """Whether the hub's environment has this tree's course: every installed file as here, every
    module here installed, and the same nbgrader_config.py."""
    site = next(PREFIX.glob("venv/lib/python3*/site-packages"), None)
    config = PREFIX / "venv" / "etc" / "jupyter" / "nbgrader_config.py"
    if not site or not config.is_file():
        return False
    installed, here = package_files(site), package_files(REPO)
    return (all(here.get(name) == data for name, data in installed.items())
            and package_files(REPO, python_only=True).keys() <= installed.keys()
            and config.read_bytes() == (REPO / "nbgrader_config.py").read_bytes())


def user_setting(home: Path, owner: str, name: str, text: str) -> None:
    """A JupyterLab setting in a user's home (no news pop-up over the Assignments tab)."""
    path = home / ".jupyter" / "lab" / "user-settings" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    run("chown", "-R", f"{owner}:", str(home / ".jupyter"))


class Hub:
    """The running hub, reached as the test's service."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def request(self, method: str, path: str, body=None, ok=(200, 201, 202, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        assert status in ok, f"{method} {path}: {status} {text[:2000]}"
        return status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)

    def start_server(self, user: str) -> None:
        self.request("POST", f"/hub/api/users/{user}/server", ok=(201, 202, 400))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            _, model = self.request("GET", f"/hub/api/users/{user}")
            if model["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server did not start in 120 s")

    def kernel(self, user: str) -> Kernel:
        return Kernel(self, user)


class Kernel:
    """A Python kernel in ``user``'s own JupyterLab on the hub: code runs as that Unix user, in
    the environment the hub gives their server (their terminals get the same)."""

    def __init__(self, hub: Hub, user: str):
        self.hub, self.base = hub, f"/user/{user}"
        _, model = hub.request("POST", f"{self.base}/api/kernels", {"name": "python3"})
        self.id = model["id"]
        self.session = uuid.uuid4().hex
        self.ws_url = (hub.url.replace("http", "ws", 1)
                       + f"{self.base}/api/kernels/{self.id}/channels")

    def run(self, code: str) -> str:
        """Run ``code``; return what it printed on stdout; fail with the traceback (and its
        stderr) on an error. A connection per run: the server closes one whose pings went
        unanswered for 90 s (while the browsers' part of the test runs, nothing reads it)."""
        import websocket  # websocket-client, which jupyter_server requires

        ws = websocket.create_connection(
            self.ws_url, header=[f"Authorization: token {self.hub.token}"], timeout=600)
        try:
            return self._run(ws, code)
        finally:
            ws.close()

    def _run(self, ws, code: str) -> str:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": self.session, "version": "5.3",
                       "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, err, error = [], [], None
        while True:
            frame = ws.recv()
            if not isinstance(frame, str) or not frame.strip():  # not a JSON kernel message
                continue
            msg = json.loads(frame)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                (out if msg["content"]["name"] == "stdout" else err).append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        assert error is None, re.sub(r"\x1b\[[0-9;]*m", "", error) + "".join(err)
        return "".join(out)

    def shell(self, *args: str, cwd: str | None = None) -> tuple[int, str]:
        """Run a command as a terminal of this server would; (exit code, output)."""
        printed = self.run(
            "import json, subprocess\n"
            f"r = subprocess.run({list(args)!r}, cwd={cwd!r}, capture_output=True, text=True)\n"
            "print(json.dumps([r.returncode, r.stdout + r.stderr]))")
        code, output = json.loads(printed.strip().splitlines()[-1])
        return code, output

    def close(self) -> None:
        self.hub.request("DELETE", f"{self.base}/api/kernels/{self.id}")


def instructor_command(kernel: Kernel, course: Path, command: str) -> str:
    code, output = kernel.shell(*command.split(), cwd=str(course))
    assert code == 0, f"`{command}` failed:\n{output}"
    return output


@pytest.fixture(scope="module")
def hub():
    """README's hub, with the test's users: yields (Hub, the course's path, the exchange)."""
    require_system_package(os.geteuid() == 0, "root (the hub test creates Unix users)",
                           "sudo .venv/bin/python -m pytest tests/test_hub.py")
    chromium_path()
    require_system_package((PREFIX / "venv" / "bin" / "jupyterhub").is_file() and (
        PREFIX / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy").exists(),
        f"the hub's environment in {PREFIX}", f"sudo deploy/hub/install {PREFIX}")
    assert readme_hub_commands() == HUB_COMMANDS
    if not installed_course_is_current():  # README: run install again after updating
        run(str(REPO / "deploy" / "hub" / "install"), str(PREFIX))
        assert installed_course_is_current()
    # what the hub's users get: the course and JupyterHub, no test tools
    found = run(str(PREFIX / "venv" / "bin" / "python"), "-c",
                "import importlib.util as u; print(*(bool(u.find_spec(m)) for m in "
                "('pytest', 'ruff', 'playwright', 'xdist', 'jupyterhub', 'nbgrader')))")
    assert found.split() == ["False"] * 4 + ["True"] * 2, found

    remove_users()  # a run stopped before its clean-up
    base = Path(tempfile.mkdtemp(prefix="nndl-hub-", dir="/var/tmp"))
    base.chmod(0o755)  # every user enters it (the exchange inside has its own modes)
    hub_process = None
    try:
        # README: the group, the users (homes only their own), their passwords
        run("groupadd", CLASS)
        run("useradd", "--create-home", "--key", "HOME_MODE=0700", INSTRUCTOR)
        for student in (ALICE, BOB):
            run("useradd", "--create-home", "--key", "HOME_MODE=0700", "--groups", CLASS,
                student)
        run("chpasswd", input="".join(f"{u}:{p}\n" for u, p in PASSWORDS.items()))
        for user in (INSTRUCTOR, ALICE, BOB):
            home = Path(pwd.getpwnam(user).pw_dir)
            assert stat.S_IMODE(home.stat().st_mode) == 0o700
            user_setting(home, user, "@jupyterlab/apputils-extension/notification"
                         ".jupyterlab-settings", '{"fetchNews": "false"}')
        # README: the course, cloned by the instructor (here: this tree's files)
        course = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "nndl"
        copy_course(course)
        run("chown", "-R", f"{INSTRUCTOR}:", str(course))
        # README: setup, then the hub
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NNDL"))},
               "NNDL_INSTRUCTOR": INSTRUCTOR, "NNDL_STUDENTS": CLASS,
               "NNDL_EXCHANGE": str(base / "exchange"), "NNDL_HUB_STATE": str(base / "hub")}
        run(str(course / "deploy" / "hub" / "setup"), env=env)
        url, token = f"http://127.0.0.1:{free_port()}", secrets.token_hex(32)
        config = base / "hub" / "test_config.py"
        config.write_text(TEST_CONFIG.format(
            shipped=str(course / "deploy" / "hub" / "jupyterhub_config.py"),
            hub_port=free_port(), api_port=free_port(), token=token))
        log_path = base / "hub" / "jupyterhub.log"
        with open(log_path, "w") as log:
            hub_process = subprocess.Popen(
                [str(PREFIX / "venv" / "bin" / "jupyterhub"), "-f", str(config)],
                cwd=base / "hub", env={**env, "NNDL_HUB_URL": url}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        the_hub = Hub(url, token)
        deadline = time.monotonic() + 60
        while True:
            if hub_process.poll() is not None:
                pytest.fail(f"JupyterHub stopped at start:\n{log_path.read_text()[-4000:]}")
            try:
                the_hub.request("GET", "/hub/api/")
                break
            except (OSError, AssertionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterHub did not answer:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.5)
        yield the_hub, course, base / "exchange"
    finally:
        if hub_process is not None:
            gc.stop_group(hub_process, 20)
            if os.environ.get("NNDL_HUB_TEST_LOG"):
                shutil.copy(base / "hub" / "jupyterhub.log", os.environ["NNDL_HUB_TEST_LOG"])
        remove_users()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ------------------------------------------------------------------------------------------
# What a student does in the browser
# ------------------------------------------------------------------------------------------
def log_in(browser, hub: Hub, user: str):
    """A browser page of ``user``, logged in with their password, on their JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORDS[user])
    page.click("#login_submit")
    page.wait_for_url(re.compile(f"/user/{user}/lab"))
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).wait_for()
    return page


def assignments_tab(page):
    """Open the Assignments tab (menu Nbgrader -> Assignment List); wait for its lists."""
    menu(page, "Nbgrader", "Assignment List")
    page.locator("#released_assignments_list_loading").wait_for(state="hidden")
    return page


def list_item(page, section: str):
    return page.locator(f"#{section}_assignments_list .list_item", has_text=ASSIGNMENT)


def says(text: str, message: str) -> bool:
    """Whether ``text`` shows ``message`` (messages are wrapped to 80 columns)."""
    return " ".join(message.split()) in " ".join(text.split())


def files_of(hub: Hub, user: str, path: str) -> list[str]:
    _, model = hub.request("GET", f"/user/{user}/api/contents/{urllib.parse.quote(path)}")
    return sorted(entry["name"] for entry in model["content"])


# ------------------------------------------------------------------------------------------
# The test
# ------------------------------------------------------------------------------------------
def test_a_class_on_the_hub_fetches_submits_and_gets_feedback_each_student_isolated(
        hub, browser):
    the_hub, course, exchange_root = hub
    the_hub.start_server(INSTRUCTOR)
    teacher = the_hub.kernel(INSTRUCTOR)
    for command in ("nbgrader generate_assignment week1 --force",
                    "nbgrader release_assignment week1"):
        instructor_command(teacher, course, command)

    inbound = exchange_root / "nndl" / "inbound"
    answers = {ALICE: {}, BOB: {"softmax": MISTAKE.code}}
    pages, validated = {}, {}
    for student, replace in answers.items():
        page = pages[student] = log_in(browser, the_hub, student)
        tools = nbgrader_menu(page)  # the student's JupyterLab: no instructor tools
        assert "Assignment List" in tools, tools
        assert not {"Formgrader", "Course List", "Create assignment"} & set(tools), tools
        assignments_tab(page)
        list_item(page, "released").get_by_role("button", name="Fetch").click()
        list_item(page, "fetched").wait_for()
        # the student's answers, saved into their notebook through their own server
        path = f"{ASSIGNMENT}/{NOTEBOOK}.ipynb"
        _, model = the_hub.request("GET", f"/user/{student}/api/contents/{path}")
        answered = gc.answer(nbformat.from_dict(model["content"]), ASSIGNMENT, NOTEBOOK, replace)
        the_hub.request("PUT", f"/user/{student}/api/contents/{path}",
                        {"type": "notebook", "format": "json", "content": answered})
        validated[student] = validate(page, f"{the_hub.url}/user/{student}", path)
        assignments_tab(page)
        list_item(page, "fetched").get_by_role("button", name="Submit").click()
        list_item(page, "submitted").wait_for()
        if student == BOB:
            shot(page, "hub-student-assignments.png")
    assert "Success" in validated[ALICE]
    assert says(validated[BOB], MISTAKE.hint) and "Success" not in validated[BOB]

    # the instructor: collect, grade, feedback, from their own JupyterLab on the hub
    collected = instructor_command(teacher, course, "nbgrader collect week1")
    graded = instructor_command(teacher, course, "nndl grade week1")
    for command in ("nbgrader generate_feedback week1", "nbgrader release_feedback week1",
                    "nbgrader export"):
        instructor_command(teacher, course, command)
    assert "not collected" not in collected, collected
    assert scores(course) == {ALICE: FULL_MARKS, BOB: FULL_MARKS - 2}, graded

    # each student fetches their own feedback in the Assignments tab and reads their hint
    outputs = {}  # the outputs in each student's feedback
    for student, page in pages.items():
        assignments_tab(page)
        list_item(page, "submitted").get_by_role("button", name="Fetch Feedback").click()
        list_item(page, "submitted").get_by_text("view feedback").wait_for()
        (stamp,) = files_of(the_hub, student, f"{ASSIGNMENT}/feedback")
        assert files_of(the_hub, student, f"{ASSIGNMENT}/feedback/{stamp}") == [
            f"{NOTEBOOK}.html"]
        page.goto(f"{the_hub.url}/user/{student}/files/" + urllib.parse.quote(
            f"{ASSIGNMENT}/feedback/{stamp}/{NOTEBOOK}.html"))
        assert page.locator(".output_area").count() > 0
        outputs[student] = "\n".join(page.locator(".output_area").all_inner_texts())
    assert says(outputs[BOB], MISTAKE.hint)
    assert "Hint:" not in outputs[ALICE]
    pages[BOB].locator(".output_area", has_text="Hint:").first.scroll_into_view_if_needed()
    shot(pages[BOB], "hub-student-feedback.png")

    # ---- what a student cannot do, tried from bob's own kernel on the hub ----
    (alice_submission,) = [p for p in inbound.iterdir() if p.name.startswith(f"{ALICE}+")]
    # README's table: owner, group and mode of the exchange's folders and of a submission
    assert {path: owner_group_mode(path) for path in (
        exchange_root, exchange_root / "nndl" / "outbound", inbound,
        exchange_root / "nndl" / "feedback", alice_submission, course)} == {
        exchange_root: (INSTRUCTOR, CLASS, 0o750),
        exchange_root / "nndl" / "outbound": (INSTRUCTOR, INSTRUCTOR, 0o755),
        inbound: (INSTRUCTOR, INSTRUCTOR, 0o3733),
        exchange_root / "nndl" / "feedback": (INSTRUCTOR, INSTRUCTOR, 0o711),
        alice_submission: (ALICE, INSTRUCTOR, 0o770),
        course: (INSTRUCTOR, INSTRUCTOR, 0o700)}
    assert {owner_group_mode(p) for p in alice_submission.iterdir()} == {
        (ALICE, INSTRUCTOR, 0o660)}
    bob = the_hub.kernel(BOB)
    bob_home = pwd.getpwnam(BOB).pw_dir
    released = exchange_root / "nndl" / "outbound" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    tried = json.loads(bob.run(PROBES % json.dumps({
        "inbound": str(inbound),
        "alice_submission": str(alice_submission),
        "alice_notebook": str(alice_submission / f"{NOTEBOOK}.ipynb"),
        "alice_secret": str(alice_submission / "submission_secret.txt"),
        "alice_home": pwd.getpwnam(ALICE).pw_dir,
        "feedback": str(exchange_root / "nndl" / "feedback"),
        "released": str(released),
        "release_folder": str(released.parent),
        "source": str(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"),
        "gradebook": str(course / "gradebook.db"),
        "autograded": str(course / "autograded"),
        "own_feedback": f"{bob_home}/{ASSIGNMENT}/feedback",
    })).strip().splitlines()[-1])
    allowed = {"read the released notebook", "read their own feedback"}
    assert {k: v for k, v in tried.items() if k in allowed} == dict.fromkeys(allowed, "allowed")
    refused = {k: v for k, v in tried.items() if k not in allowed}
    assert refused == dict.fromkeys(refused, "PermissionError"), refused
    assert len(refused) == 13

    # the formgrader: not in a student's server, and the instructor's is closed to students
    page = pages[BOB]
    assert page.goto(f"{the_hub.url}/user/{BOB}/formgrader").status == 404
    assert page.goto(f"{the_hub.url}/user/{INSTRUCTOR}/formgrader").status == 403
    assert the_hub.request("GET", f"/user/{INSTRUCTOR}/formgrader")[0] == 200

    # nbgrader validate in a student's terminal, from their home: the hint, no TCP warning
    code, output = bob.shell("nbgrader", "validate", f"{ASSIGNMENT}/{NOTEBOOK}.ipynb",
                             cwd=bob_home)
    assert says(output, MISTAKE.hint) and "TCP without encryption" not in output, output

    # ---- bob plants, in his own inbound folder, a link to the source notebook (a newer
    # submission than his), and submits in alice's name: collect and grading gain him nothing
    alice_collected = (course / "submitted" / ALICE / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    before = alice_collected.read_bytes()
    bob.run(PLANT % (str(inbound), BOB, ASSIGNMENT, str(course / "source" / ASSIGNMENT /
                                                          f"{NOTEBOOK}.ipynb"), NOTEBOOK))
    code, output = bob.shell("nbgrader", "submit", ASSIGNMENT, f"--student={ALICE}",
                             cwd=bob_home)
    assert code == 0, output
    collected = instructor_command(teacher, course, "nbgrader collect --update week1")
    assert re.search(rf"{ALICE}\+week1\+.* not collected: it is named for {ALICE} but "
                     rf"belongs to {BOB}", collected), collected
    assert re.search(rf"Symbolic link or special file {NOTEBOOK}.ipynb in .*{BOB}\+week1\+"
                     r".*\+planted not collected", collected), collected
    bob_collected = course / "submitted" / BOB / ASSIGNMENT
    assert not (bob_collected / f"{NOTEBOOK}.ipynb").exists()
    assert not any(p.is_symlink() for p in bob_collected.rglob("*"))
    assert alice_collected.read_bytes() == before
    instructor_command(teacher, course, "nndl grade week1")
    instructor_command(teacher, course, "nbgrader export")
    assert scores(course) == {ALICE: FULL_MARKS, BOB: 0}
    bob.close()
    teacher.close()


def owner_group_mode(path: Path) -> tuple[str, str, int]:
    info = path.stat()
    return (pwd.getpwuid(info.st_uid).pw_name, grp.getgrgid(info.st_gid).gr_name,
            stat.S_IMODE(info.st_mode))


def scores(course: Path) -> dict[str, float]:
    """Each student's week 1 score in the instructor's grades.csv (`nbgrader export`)."""
    rows = csv.DictReader(io.StringIO((course / "grades.csv").read_text()))
    return {r["student_id"]: float(r["score"]) for r in rows if r["assignment"] == ASSIGNMENT}


# What bob tries, each in his own kernel: the name of the error, or "allowed".
PROBES = r"""
import json, os
paths = json.loads(%r)

def attempt(action):
    try:
        action()
    except OSError as error:
        return type(error).__name__
    return "allowed"

def write(path, mode):
    with open(path, mode) as f:
        f.write("x")

tried = {
    "list the inbound submissions": lambda: os.listdir(paths["inbound"]),
    "read alice's submission": lambda: open(paths["alice_notebook"], "rb").read(),
    "read alice's submission secret": lambda: open(paths["alice_secret"]).read(),
    "change alice's submission": lambda: write(paths["alice_notebook"], "a"),
    "delete alice's submission": lambda: os.unlink(paths["alice_notebook"]),
    "rename alice's submission folder": lambda: os.rename(paths["alice_submission"],
                                                          paths["alice_submission"] + "-x"),
    "list alice's home": lambda: os.listdir(paths["alice_home"]),
    "list the feedback": lambda: os.listdir(paths["feedback"]),
    "change the released notebook": lambda: write(paths["released"], "a"),
    "add a file to the release": lambda: write(os.path.join(paths["release_folder"], "x.py"), "x"),
    "read the source notebook": lambda: open(paths["source"], "rb").read(),
    "read the gradebook": lambda: open(paths["gradebook"], "rb").read(),
    "list autograded/": lambda: os.listdir(paths["autograded"]),
    "read the released notebook": lambda: open(paths["released"], "rb").read(),
    "read their own feedback": lambda: os.listdir(paths["own_feedback"]),
}
print(json.dumps({what: attempt(action) for what, action in tried.items()}))
"""

# bob's newer "submission", made by hand in the inbound folder: his notebook is a link to the
# source notebook, which only the instructor can read.
PLANT = r"""
import os
from datetime import datetime, timezone
stamp = datetime.now(timezone.utc).strftime("%%Y-%%m-%%d %%H:%%M:%%S.%%f UTC")
folder = os.path.join(%r, "%s+%s+" + stamp + "+planted")
os.mkdir(folder)
os.symlink(%r, os.path.join(folder, "%s.ipynb"))
with open(os.path.join(folder, "timestamp.txt"), "w") as f:
    f.write(stamp)
"""
