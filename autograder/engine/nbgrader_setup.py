"""What the course's nbgrader_config.py adds to nbgrader: grading that logs only what an instructor
can act on, and feedback without the hidden tests' code.

* ``OverwriteCells``: nbgrader's preprocessor of that name restores every locked cell of a
  submission from the gradebook and warns "Attribute 'checksum' for cell ... has changed!" when the
  submitted cell differs. A test cell with hidden tests always differs: students receive it without
  the lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, and restoring them is
  how nbgrader puts the hidden tests back. This subclass logs that case at debug level and keeps
  the warning for every other change (a student who edited a locked cell).
  A cell whose grade id the gradebook does not know (a student renamed it) becomes an ordinary
  cell, where nbgrader would make the whole submission fail to validate.
* ``DeduplicateIds``: nbgrader's keeps the last cell of each grade id and empties the
  ``nbgrader`` metadata of the others, which its metadata check then takes for an old format:
  the whole autograde run stops ("use an old version of the nbgrader metadata format"), for
  every student after too. A student who copied a graded cell (by mistake, or to replace a test
  with their own) must not do that. This subclass removes the metadata of the copies instead, so
  they are ordinary cells, and warns: the grade cells themselves are restored from the gradebook.
* ``ignore_gradebook_autoflush_warnings``: with SQLAlchemy 2, nbgrader's
  ``Gradebook.add_submission`` triggers "Object of type <SubmittedAssignment> not in session, add
  operation along 'Assignment.submissions' will not proceed" (SAWarning) while it builds a new
  submission; the objects are added to the session explicitly a few lines later, so nothing is
  lost. Only that message, from nbgrader's gradebook, is ignored.
* ``FeedbackExporter``: nbconvert's HTMLExporter warns "Alternative text is missing on N image(s)"
  for every feedback file with a plot; a plot is an output of the student's code, which cannot
  carry alt text, and nbconvert gives it a generic one. Only that message is dropped.
* ``validate_preprocessors``: Validate (the Validate button, ``nbgrader validate``) executes with
  the course's ValidateExecute (engine/validate.py: up to the last graded cell, saying which cell
  it runs when one is slow) in place of nbgrader's Execute. nbgrader's Validator keeps its
  preprocessors in a trait that is not configurable, so ``c.Validator.preprocessors`` would be
  ignored without a word; this makes it configurable, by import strings like Autograde's lists.
* ``HideHiddenTests``: nbgrader's generate_feedback shows each test cell in full, hidden tests
  included (nbgrader issue #917): every student would receive the hidden tests with their
  feedback, and could pass them on to next year's class. This preprocessor of the feedback
  (GenerateFeedback.preprocessors) removes the lines between the delimiters with nbgrader's own
  ClearHiddenTests, as generate_assignment does, and leaves one comment in their place; every
  output stays, so a failed hidden test still shows its message. ``c.HideHiddenTests.enabled =
  False`` shows the hidden tests again. The autograded notebooks (autograded/) keep everything.

nbgrader_config.py names these classes, and LimitedExecute, by their import strings
("autograder.engine.execute.LimitedExecute"), never by the class objects: nbgrader and nbconvert
import the strings themselves, and the configuration stays plain data, which the formgrader can show
(``autograder/formgrader.py``).
"""

from __future__ import annotations

import copy
import logging
import warnings

from nbconvert.exporters import HTMLExporter
from nbgrader import preprocessors
from nbgrader.api import MissingEntry
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Unicode
from traitlets.utils.importstring import import_item


def import_string(cls: type) -> str:
    """The dotted name nbgrader and nbconvert import ``cls`` by ("package.module.Class")."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _nbgrader_default(converter: str, trait: str) -> list:
    from nbgrader import converters

    return getattr(converters, converter).class_traits()[trait].default()


def _replaced(default: list, ours: dict) -> list[str]:
    """``default`` (classes) as import strings, each class in ``ours`` replaced by its value."""
    missing = [p.__name__ for p in ours if p not in default]
    if missing:
        raise RuntimeError(f"nbgrader no longer uses {missing}: {default}")
    return [import_string(ours.get(p, p)) for p in default]


def autograde_preprocessors() -> list[str]:
    """nbgrader's preprocessors that grade a submission (Autograde.autograde_preprocessors), with
    the course's LimitedExecute in place of nbgrader's Execute."""
    from autograder.engine.execute import LimitedExecute

    return _replaced(_nbgrader_default("Autograde", "autograde_preprocessors"),
                     {preprocessors.Execute: LimitedExecute})


def validate_preprocessors() -> list[str]:
    """nbgrader's preprocessors of Validate (Validator.preprocessors), with the course's
    ValidateExecute in place of nbgrader's Execute; makes that list configurable."""
    from nbgrader.validator import Validator

    from autograder.engine.validate import ValidateExecute

    _configurable_validator_preprocessors(Validator)
    default = Validator.class_traits()["preprocessors"].default()
    return _replaced([import_item(p) if isinstance(p, str) else p for p in default],
                     {preprocessors.Execute: ValidateExecute})


def _configurable_validator_preprocessors(validator: type) -> None:
    """Let ``c.Validator.preprocessors`` set the list, classes or their import strings.
    Idempotent."""
    trait = validator.class_traits()["preprocessors"]
    trait.metadata["config"] = True
    trait.help = trait.help or ("The preprocessors Validate runs on a notebook, in order "
                                "(classes or their import strings).")
    if getattr(validator._preprocess, "_nndl", False):
        return
    original = validator._preprocess

    def _preprocess(self, nb):
        self.preprocessors = [import_item(p) if isinstance(p, str) else p
                              for p in self.preprocessors]
        return original(self, nb)

    _preprocess._nndl = True
    validator._preprocess = _preprocess


class OverwriteCells(preprocessors.OverwriteCells):
    """nbgrader's OverwriteCells, quiet when a test cell lacks only its hidden tests, and
    turning a cell with a grade id the gradebook does not know into an ordinary cell (nbgrader
    deletes only its grade id, and the submission then fails to validate instead of scoring)."""

    _lacks_only_hidden_tests = False

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            return super().preprocess_cell(cell, resources, cell_index)
        try:
            source_cell = self.gradebook.find_source_cell(
                grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            self.log.warning("Cell '%s' does not exist in the database: graded as an "
                             "ordinary cell", grade_id)
            del cell.metadata["nbgrader"]
            return cell, resources
        self._lacks_only_hidden_tests = self._is_released_version(cell, source_cell)
        try:
            return super().preprocess_cell(cell, resources, cell_index)
        finally:
            self._lacks_only_hidden_tests = False

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._lacks_only_hidden_tests:
            self.log.debug("Cell %s: hidden tests restored from the gradebook", name)
            return
        super().report_change(name, attr, old, new)

    def _is_released_version(self, cell, source_cell) -> bool:
        """Whether ``cell`` is its source cell with the hidden tests removed, as released."""
        released = copy.deepcopy(cell)
        released.source = source_cell.source
        try:
            # nbgrader's own preprocessor with the course's delimiters, as in generate_assignment
            released, _ = preprocessors.ClearHiddenTests(parent=self).preprocess_cell(
                released, {}, 0)
        except RuntimeError:  # unbalanced delimiters: let nbgrader report what it finds
            return False
        return released.source != source_cell.source and released.source == cell.source


class DeduplicateIds(preprocessors.DeduplicateIds):
    """nbgrader's DeduplicateIds, turning the extra copies into ordinary cells."""

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id is not None and grade_id in self.grade_ids and (
                meta.get("grade") or meta.get("solution") or meta.get("locked")):
            self.log.warning("Cell with id '%s' exists multiple times: only the last one is "
                             "graded, the others run as ordinary cells", grade_id)
            del cell.metadata["nbgrader"]
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


def sanitize_preprocessors() -> list[str]:
    """nbgrader's preprocessors that sanitise a submission (Autograde.sanitize_preprocessors),
    with our OverwriteCells and DeduplicateIds in place of nbgrader's."""
    return _replaced(_nbgrader_default("Autograde", "sanitize_preprocessors"),
                     {preprocessors.OverwriteCells: OverwriteCells,
                      preprocessors.DeduplicateIds: DeduplicateIds})


class HideHiddenTests(preprocessors.ClearHiddenTests):
    """nbgrader's ClearHiddenTests, for feedback: each test cell keeps its visible tests and
    every output; its hidden block becomes one comment (``placeholder``). Only test cells (grade
    cells that are not answers) are changed, so a student's own text is shown as written."""

    enabled = Bool(
        True,
        help="Remove the hidden tests' code from the test cells of the feedback (their outputs, "
             "the hidden tests' verdicts included, stay). False: the feedback shows every test "
             "cell in full, as nbgrader's generate_feedback does.",
    ).tag(config=True)

    placeholder = Unicode(
        "# hidden tests: not shown",
        help="The line that stands in the feedback where a hidden block was.",
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
            return cell, resources
        lines = []
        for line in cell.source.split("\n"):
            if self.begin_test_delimeter in line:  # the placeholder, indented like the block
                lines.append(line[: len(line) - len(line.lstrip())] + self.placeholder)
            lines.append(line)
        cell.source = "\n".join(lines)
        return super().preprocess_cell(cell, resources, cell_index)


def feedback_preprocessors() -> list[str]:
    """nbgrader's preprocessors of generate_feedback (GenerateFeedback.preprocessors), then
    HideHiddenTests."""
    default = _nbgrader_default("GenerateFeedback", "preprocessors")
    return [*_replaced(default, {}), import_string(HideHiddenTests)]


def ignore_gradebook_autoflush_warnings() -> None:
    """Ignore SQLAlchemy's autoflush warning about nbgrader's new submissions (only that one)."""
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings(
        "ignore",
        message=r"Object of type <\w+> not in session, add operation along '[\w.]+' will not "
                r"proceed",
        category=SAWarning,
        module=r"nbgrader\.api",
    )


class _Without(logging.LoggerAdapter):
    """A logger that drops the messages starting with ``prefix`` and passes on the others."""

    def __init__(self, logger, prefix: str):
        super().__init__(logger, {})
        self.prefix = prefix

    def log(self, level, msg, *args, **kwargs):
        if not str(msg).startswith(self.prefix):
            self.logger.log(level, msg, *args, **kwargs)


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTMLExporter (what generate_feedback uses), without its warning about output
    images that lack alt text (it gives them a generic one itself)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        log = self.log
        self.log = _Without(log, "Alternative text is missing on")
        try:
            return super().from_notebook_node(nb, resources, **kw)
        finally:
            self.log = log
