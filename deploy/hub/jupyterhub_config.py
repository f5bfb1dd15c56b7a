# JupyterHub for the nndl course on one Linux server (README, "Running the course on a
# JupyterHub"): every student a Unix user who logs in with their password, each server started
# as its user from the shared environment that deploy/hub/install made; students get the
# student's JupyterLab (Validate and the assignment list), the instructor gets the formgrader in
# their own server, which runs in the course's clone; every server uses the exchange that
# deploy/hub/setup made. Run as root with that environment's JupyterHub:
#     /opt/nndl/venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py
# The settings are environment variables, the same deploy/hub/setup reads (defaults in brackets):
# NNDL_INSTRUCTOR (teacher), NNDL_STUDENTS (nndl-students), NNDL_COURSE (~teacher/nndl),
# NNDL_EXCHANGE (/srv/nndl/exchange), NNDL_HUB_STATE (/srv/nndl/hub), NNDL_HUB_URL
# (http://:8000, every address of the server: put HTTPS in front of it, or set
# c.JupyterHub.ssl_cert and ssl_key, before students' passwords travel over a network).
import os
import pwd
import sys

from autograder import labconfig

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

INSTRUCTOR = os.environ.get("NNDL_INSTRUCTOR", "teacher")
STUDENTS = os.environ.get("NNDL_STUDENTS", "nndl-students")
COURSE = os.environ.get("NNDL_COURSE") or os.path.join(pwd.getpwnam(INSTRUCTOR).pw_dir, "nndl")
EXCHANGE = os.environ.get("NNDL_EXCHANGE", "/srv/nndl/exchange")
STATE = os.environ.get("NNDL_HUB_STATE", "/srv/nndl/hub")
PREFIX = os.path.dirname(sys.prefix)  # the hub runs from PREFIX/venv (deploy/hub/install)
BIN = os.path.join(sys.prefix, "bin")

c.JupyterHub.bind_url = os.environ.get("NNDL_HUB_URL", "http://:8000")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(STATE, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [
    os.path.join(PREFIX, "proxy", "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")

# Who logs in: Unix users with their own password (PAM): the instructor and the students'
# group. Nobody is a hub administrator (an administrator can open every student's server).
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {INSTRUCTOR}
c.PAMAuthenticator.allowed_groups = {STUDENTS}
c.Authenticator.admin_users = set()

# Each user's JupyterLab runs as that user (the local process spawner), in their home folder,
# from the shared environment. Its nbgrader reads the course's configuration there
# (PREFIX/venv/etc/jupyter/nbgrader_config.py: Validate's settings, the exchange's rules) with
# the hub's exchange (NNDL_EXCHANGE), also in the user's terminals.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(BIN, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "NNDL_EXCHANGE": EXCHANGE,
    "PATH": os.pathsep.join([BIN, "/usr/local/bin", "/usr/bin", "/bin"]),
}


def role_environment(spawner):
    """The student's JupyterLab for everyone but the instructor, whose server runs in the
    course's clone, with the formgrader and the source notebooks that grading reads."""
    role = "instructor" if spawner.user.name == INSTRUCTOR else "student"
    environment = {**spawner.environment, **labconfig.environment(role, {})}
    if role == "instructor":
        environment["NNDL_SOURCE_DIR"] = os.path.join(COURSE, "source")
        spawner.notebook_dir = COURSE
    spawner.environment = environment


c.Spawner.pre_spawn_hook = role_environment
