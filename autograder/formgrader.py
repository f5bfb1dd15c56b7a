"""nbgrader's formgrader, with a configuration panel that shows no secret.

The formgrader's *Manage Assignments* page has a panel, "Current configuration" (nbgrader's
``FormgradeExtension.debug``, on by default), that prints the whole configuration the formgrader
holds: the nbgrader_config.py files and everything the Jupyter server was configured with, its
token included (``--IdentityProvider.token=...``, ``c.ServerApp.token``). nbgrader prints it as
JSON, or, when a value is not plain data, as Python's repr of the whole, and logs "Formgrader
config is not serializable". Values that are not plain data: a class in nbgrader_config.py, and
the server's list of extensions when only the environment's configuration sets it (a traitlets
LazyConfigValue).

This server extension is nbgrader's formgrader with that panel showing the same configuration as
JSON, always, with every value whose name says it is a secret (token, password, secret, cookie,
credential, API key, authorization) and the password of every URL (a database's,
``postgresql://user:password@host/db``) replaced by ``<hidden>``. ``nndl lab --instructor``
loads it in place of nbgrader's (lab_config/instructor); ``c.FormgradeExtension.debug = False``
in nbgrader_config.py hides the panel, as in nbgrader.
"""

from __future__ import annotations

import json
import re
import sys

from nbgrader.server_extensions.formgrader import formgrader, handlers
from nbgrader.server_extensions.formgrader.base import check_notebook_dir, check_xsrf
from nbgrader.utils import to_numeric_tz
from tornado import web
from traitlets.config.loader import LazyConfigValue

HIDDEN = "<hidden>"
SECRET_NAME = re.compile(r"token|passw|secret|cookie|credential|api_?key|authoriz", re.IGNORECASE)
URL_PASSWORD = re.compile(r"(?P<user>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]+(?=@)",
                          re.IGNORECASE)


def shown(value, name: str = ""):
    """``value`` (a configuration, or a part of it named ``name``) as plain JSON data, with the
    secrets replaced by HIDDEN."""
    if SECRET_NAME.search(name):
        return HIDDEN
    if isinstance(value, LazyConfigValue):  # a change still to apply ({"update": {...}}, ...)
        value = value.to_dict()
    if isinstance(value, dict):
        return {str(key): shown(item, str(key)) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [shown(item) for item in value]
    if isinstance(value, str):
        return URL_PASSWORD.sub(lambda m: m.group("user") + HIDDEN, str(value))
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, type) or callable(value):  # a class or a function given as an object
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
    return repr(value)


def shown_config(config) -> str:
    """What the configuration panel shows of ``config``."""
    return json.dumps(shown(config), indent=2)


class ManageAssignmentsHandler(handlers.ManageAssignmentsHandler):
    """nbgrader's Manage Assignments page (its template, with the same values), the configuration
    panel made by ``shown_config``: nbgrader's configuration is never dumped as it is."""

    @web.authenticated
    @check_xsrf
    @check_notebook_dir
    def get(self):
        formgrader = self.settings["nbgrader_formgrader"]
        api = self.api
        self.write(self.render(
            "manage_assignments.tpl",
            url_prefix=self.url_prefix,
            base_url=self.base_url,
            windows=sys.platform == "win32",  # nbgrader tests sys.prefix, which is never that
            course_id=api.course_id,
            exchange=api.exchange_root,
            exchange_missing=api.exchange_missing,
            current_config=shown_config(formgrader.config) if formgrader.debug else {},
            default_timezone=to_numeric_tz(api.timezone)))


OURS = {handlers.ManageAssignmentsHandler: ManageAssignmentsHandler}


class _OurHandlers:
    """The web application as nbgrader's ``init_handlers`` uses it, handing over our handler
    classes (OURS) in place of nbgrader's."""

    def __init__(self, webapp):
        self.webapp = webapp
        self.settings = webapp.settings
        self.replaced = set()

    def add_handlers(self, host_pattern, rules):
        swapped = []
        for pattern, handler, *rest in rules:
            if handler in OURS:
                self.replaced.add(handler)
                handler = OURS[handler]
            swapped.append((pattern, handler, *rest))
        self.webapp.add_handlers(host_pattern, swapped)


class FormgradeExtension(formgrader.FormgradeExtension):
    """nbgrader's formgrader with the handlers of OURS."""

    def init_handlers(self, webapp):
        ours = _OurHandlers(webapp)
        super().init_handlers(ours)
        if ours.replaced != set(OURS):  # nbgrader changed: say so rather than show secrets
            raise RuntimeError(f"nbgrader's formgrader no longer registers {set(OURS)}")


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(nbapp):
    """nbgrader's ``load_jupyter_server_extension`` of the formgrader, with our class."""
    nbapp.log.info("Loading the formgrader nbgrader serverextension (autograder.formgrader)")
    extension = FormgradeExtension(parent=nbapp)
    extension.root_dir = nbapp.root_dir
    extension.log = nbapp.log
    extension.initialize([])
    extension.init_tornado_settings(nbapp.web_app)
    extension.init_handlers(nbapp.web_app)
