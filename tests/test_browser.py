"""The course as a student sees it: a real JupyterLab server, driven in headless Chromium.

The server is the one students start (`nndl lab`, or `nndl lab --instructor`), on loopback, on a
free port, without a token, in a scratch copy of the notebooks; Playwright's Python package drives
Debian's chromium (Playwright never downloads a browser here). Screenshots go to
tests/screenshots/ (git-ignored). CI installs chromium and requires these tests; elsewhere, without
chromium, they are skipped with the install command.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
from catalogue.week3 import MISTAKES as WEEK3_MISTAKES
from support import grading_corpus as gc
from support.lab_harness import quiz_of
from support.lab_server import lab_server
from support.notebook_harness import reference_code
from support.system_packages import require_system_package
from test_validate import slow as slow_notebook

from utils.quiz import MultipleChoice

ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).resolve().parent / "screenshots"
WEEK1 = ROOT / "release" / "week1" / "numpy_basics.ipynb"
WEEK3 = ROOT / "release" / "week3" / "planar_classification.ipynb"
LAB4 = ROOT / "notebooks" / "week4_hyperparameters.ipynb"
LABS = sorted((ROOT / "notebooks").glob("week*_*.ipynb"))
CHROMIUM_ARGS = [  # no sandbox as root in a container; no calls home on a closed network
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
# JupyterLab settings of the scratch server: no news pop-up over the notebook, and every cell
# in the page (not only the visible ones), so that cells can be found by their position.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false"}',
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}

pytestmark = pytest.mark.slow


def chromium_path():
    found = os.environ.get("NNDL_CHROMIUM") or shutil.which("chromium")
    require_system_package(bool(found), "Debian's chromium (for the browser tests)",
                           "sudo apt-get install chromium")
    return found


# ------------------------------------------------------------------------------------------
# The course as students get it: a scratch folder, a JupyterLab server, a browser
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """What a student has: a blank week 1 and week 3, a week 1 they finished, the week 4 lab."""
    root = tmp_path_factory.mktemp("student")
    shutil.copy(WEEK3, root / WEEK3.name)
    shutil.copy(WEEK1, root / "week1_blank.ipynb")
    nbformat.write(gc.finished("week1", WEEK1.stem), root / "week1_finished.ipynb")
    shutil.copy(LAB4, root / LAB4.name)
    nbformat.write(quizzes_notebook(), root / "quizzes.ipynb")
    nbformat.write(slow_notebook(5), root / "slow_validate.ipynb")
    settings = tmp_path_factory.mktemp("settings")
    for name, text in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(text)
    return root, settings


def quiz_cell(lab):
    nb = nbformat.read(lab, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and "quiz = Quiz(" in c.source)


def quizzes_notebook():
    """The self-check quiz of every lab, one cell each (the quiz cells import what they use)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(quiz_cell(lab)) for lab in LABS]
    return nb


@pytest.fixture(scope="module")
def student(course):
    with lab_server(*course, role="student") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 (never skipped: say why it did not start)
            pytest.fail(f"Chromium ({path}) did not start: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def shot(target, name):
    SHOTS.mkdir(exist_ok=True)
    target.screenshot(path=str(SHOTS / name))


# ------------------------------------------------------------------------------------------
# What a student does in JupyterLab
# ------------------------------------------------------------------------------------------
def open_notebook(page, url, name):
    """Open a notebook in a fresh workspace and wait until its kernel is idle."""
    page.goto(f"{url}/lab/workspaces/{uuid.uuid4().hex}/tree/{name}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=120_000)


def menu(page, top, item):
    """Choose a menu item, e.g. Run -> Run All Cells."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).click()


def cell(page, index):
    return page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)


def output_text(page, index):
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def wait_for_output(page, index, text, timeout=120):
    """Wait until cell ``index`` shows ``text``; on time-out, say what it shows instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in output_text(page, index):
            return output_text(page, index)
        page.wait_for_timeout(250)
    raise AssertionError(f"cell {index} never showed {text!r}; it shows:\n"
                         f"{output_text(page, index)}")


def replace_and_run(page, index, code):
    """Type ``code`` over cell ``index`` through the browser, run it, then run the cell below."""
    cell(page, index).locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")  # runs the cell, selects the test cell below
    page.keyboard.press("Shift+Enter")  # runs the test cell


def cell_index(nb, predicate):
    return next(i for i, c in enumerate(nb.cells) if predicate(c))


def nbgrader_menu(page):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
    items = [t.strip() for t in page.locator(".lm-Menu-itemLabel").all_inner_texts()]
    page.keyboard.press("Escape")
    # Closed before the next click on the menu bar, which would otherwise close it (when the
    # page is slow to handle the key) instead of opening it.
    page.locator(".lm-Menu").wait_for(state="detached")
    return [t for t in items if t]


def lab_extensions(page):
    """The names of the prebuilt JupyterLab extensions the page loaded."""
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data')"
                         ".textContent).federated_extensions.map(e => e.name)")


def sidebar_tabs(page):
    """The titles of the side bars' tabs (File Browser, Table of Contents, ...)."""
    tabs = page.locator(".jp-SideBar .lm-TabBar-tab")
    return [tabs.nth(i).get_attribute("title") or "" for i in range(tabs.count())]


# ------------------------------------------------------------------------------------------
# The tests
# ------------------------------------------------------------------------------------------
def test_week3_as_a_student_sees_it(student, page):
    """Run All on the blank notebook, then a wrong and a right answer typed in the browser."""
    nb = nbformat.read(WEEK3, as_version=4)
    plot = cell_index(nb, lambda c: c.cell_type == "code" and "plt.scatter" in c.source)
    solution = cell_index(nb, lambda c: c.cell_type == "code"
                          and c.source.startswith("def data_shapes"))
    test = solution + 1
    assert "tests_for(\"data_shapes\")" in nb.cells[test].source

    open_notebook(page, student, WEEK3.name)
    menu(page, "Run", "Run All Cells")
    blank = wait_for_output(page, test, "not written yet")
    assert "data_shapes is not written yet: replace" in blank
    assert "raise NotImplementedError()" in blank and "Traceback" not in blank
    image = cell(page, plot).locator(".jp-OutputArea img")
    image.wait_for()
    width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
    assert width > 200, f"the scatter plot of the data is not drawn (width {width})"
    shot(cell(page, plot), "week3-plot.png")
    shot(cell(page, test), "week3-not-written.png")

    mistake = next(m for m in WEEK3_MISTAKES["data_shapes"] if m.label == "X.shape[0] as m")
    replace_and_run(page, solution, mistake.code.strip())
    wrong = wait_for_output(page, test, mistake.hint)
    assert "Hint:" in wrong and "Traceback" not in wrong, wrong
    assert "All public tests passed." not in wrong
    shot(cell(page, test), "week3-wrong-answer.png")

    replace_and_run(page, solution,
                    gc.strip_markers(reference_code("week3/planar_classification.ipynb",
                                                 nb.cells[solution].metadata.nbgrader.grade_id)))
    right = wait_for_output(page, test, "All public tests passed.")
    assert "Hint" not in right
    shot(cell(page, test), "week3-right-answer.png")


def validate(page, url, name):
    open_notebook(page, url, name)
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar-item", has_text="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text(re.compile("Success|failed", re.I)).first.wait_for(
        timeout=180_000)
    text = dialog.inner_text()
    shot(dialog, f"validate-{Path(name).stem}.png")
    dialog.get_by_role("button").last.click()
    return text


def test_the_validate_button_reports_a_blank_and_a_finished_notebook(student, page):
    blank = validate(page, student, "week1_blank.ipynb")
    (SHOTS / "validate-blank.txt").write_text(blank)
    assert "The following cell failed" in blank, blank
    assert "basic_sigmoid is not written yet: replace" in blank, blank
    assert "Traceback" not in blank, blank
    done = validate(page, student, "week1_finished.ipynb")
    (SHOTS / "validate-finished.txt").write_text(done)
    assert "Success" in done and "FAILED" not in done, done


def test_validate_says_which_cell_it_runs_when_it_takes_a_while(student, page):
    """A notebook whose third cell sleeps 5 s: while Validate runs it, a notification names it
    (after 3 s, updated every second), and it goes when the result is shown."""
    open_notebook(page, student, "slow_validate.ipynb")
    assert "nndl-validate-progress" in lab_extensions(page)
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar-item", has_text="Validate").click()
    running = re.compile(r"^Validating slow_validate\.ipynb: running cell 3 of 4 "
                         r"\(time\.sleep\(5\)\), \d+ s$")
    note = page.get_by_text(running).first
    note.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)  # the notification slides in
    shot(page, "validate-progress.png")
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text(re.compile("Success|failed", re.I)).first.wait_for(timeout=180_000)
    assert "Success" in dialog.inner_text(), dialog.inner_text()
    page.get_by_text(re.compile(r"^Validating slow_validate")).first.wait_for(
        state="detached", timeout=10_000)
    dialog.get_by_role("button").last.click()


def test_a_fast_validate_shows_no_notification(student, page):
    """A Validate answered at once (here by the browser, without the server): no progress is
    asked for and no notification shown."""
    asked = []
    page.route("**/nndl/validate/progress**",
               lambda route: (asked.append(route.request.url), route.continue_()))
    page.route("**/assignments/validate**", lambda route: route.fulfill(
        status=200, content_type="application/json", body='{"success": true, "value": {}}'))
    open_notebook(page, student, "slow_validate.ipynb")
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar-item", has_text="Validate").click()
    page.locator(".jp-Dialog").get_by_text("Success").wait_for()
    page.wait_for_timeout(4500)  # past the 3 s after which a pending Validate is shown
    assert asked == []
    assert page.get_by_text(re.compile(r"^Validating ")).count() == 0


def test_students_have_validate_but_not_the_instructor_tools(student, page):
    open_notebook(page, student, WEEK3.name)
    toolbar = page.locator(".jp-NotebookPanel:visible .jp-Toolbar-item", has_text="Validate")
    assert toolbar.count() == 1
    items = nbgrader_menu(page)
    assert "Assignment List" in items
    for hidden in ("Formgrader", "Course List", "Create assignment"):
        assert hidden not in items, items
    tabs = sidebar_tabs(page)
    assert "File Browser" in " ".join(tabs) and "Create Assignment" not in " ".join(tabs), tabs
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{student}/formgrader")
    assert error.value.code == 404


def test_instructors_have_the_formgrader_and_create_assignment(course, page):
    with lab_server(*course, role="instructor") as url:
        open_notebook(page, url, WEEK3.name)
        items = nbgrader_menu(page)
        for shown in ("Assignment List", "Formgrader", "Course List", "Create assignment"):
            assert shown in items, items
        assert "Nbgrader Create Assignment" in sidebar_tabs(page)
        assert "nndl-validate-progress" in lab_extensions(page)  # Validate's progress
        with urllib.request.urlopen(f"{url}/formgrader") as response:
            assert response.status == 200


def test_week4_lab_widget_redraws_the_chosen_learning_rate(student, page):
    open_notebook(page, student, LAB4.name)
    menu(page, "Run", "Run All Cells")
    select = page.locator(".widget-dropdown", has_text="learning rate").locator("select")
    select.wait_for(timeout=180_000)
    widget = page.locator(".jp-OutputArea-output", has=select)
    line = widget.get_by_text(re.compile(r"^learning rate \S+: ")).first
    line.wait_for()
    # The widget answers once the kernel is free: wait for Run All to finish (a busy machine
    # can take minutes), so that the redraw below is timed alone.
    time.sleep(2)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=600_000)
    before = line.inner_text()
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 3, options
    choice = next(o for o in options if not before.startswith(f"learning rate {o}:"))
    select.select_option(label=choice)
    page.wait_for_function(
        "([el, c]) => el.textContent.startsWith(`learning rate ${c}:`)",
        arg=[line.element_handle(), choice], timeout=120_000)
    after = line.inner_text()
    assert after != before and after.startswith(f"learning rate {choice}:")
    assert widget.locator("img").count() >= 1
    shot(widget, "week4-lab-widget.png")


# Where each radio button of a quiz's question is, and where the text of its choice is.
CHOICE_BOXES = """question => [...question.querySelectorAll('input[type="radio"]')].map(radio => {
    const label = radio.closest('label');
    const lines = [...label.childNodes].filter(node => !node.contains(radio)).flatMap(node => {
        const range = document.createRange();  // the label's words, without the button
        range.selectNodeContents(node);
        return [...range.getClientRects()].filter(r => r.width > 0);
    });
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    return {radio: box(radio.getBoundingClientRect()), words: label.textContent.trim(),
            text: {left: Math.min(...lines.map(r => r.left)),
                   right: Math.max(...lines.map(r => r.right)),
                   top: Math.min(...lines.map(r => r.top)),
                   bottom: Math.max(...lines.map(r => r.bottom))}};
})"""


def overlap(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and (
        a["top"] < b["bottom"] and b["top"] < a["bottom"])


def choice_layout_faults(choices):
    """What is wrong with the layout of one question's choices (an empty list when nothing)."""
    faults = []
    for i, choice in enumerate(choices):
        radio, text, name = choice["radio"], choice["text"], choice["words"][:40]
        middle = (radio["top"] + radio["bottom"]) / 2
        if radio["right"] <= radio["left"]:
            faults.append(f"{name!r}: its radio button is not drawn")
        if not text["top"] <= middle <= text["bottom"]:
            faults.append(f"{name!r}: its radio button is not level with its text")
        if radio["right"] > text["left"]:
            faults.append(f"{name!r}: its radio button is not left of its text")
        for other in choices[i + 1:]:
            if overlap(radio, other["radio"]):
                faults.append(f"{name!r}: its radio button overlaps the next one's")
            if overlap(text, other["text"]) or overlap(radio, other["text"]) or overlap(
                    other["radio"], text):
                faults.append(f"{name!r} runs into {other['words'][:40]!r}")
    return faults


def test_every_quiz_choice_keeps_its_own_radio_button(student, page):
    """Long choices wrap beside their own button, never onto the next choice."""
    open_notebook(page, student, "quizzes.ipynb")
    menu(page, "Run", "Run All Cells")
    faults = []
    for index, lab in enumerate(LABS):
        quiz = quiz_of(lab.name)
        questions = cell(page, index).locator(".nndl-quiz-question")
        questions.nth(len(quiz) - 1).wait_for(timeout=120_000)
        assert questions.count() == len(quiz), lab.name
        for number, question in enumerate(quiz.questions, 1):
            if not isinstance(question, MultipleChoice):
                continue
            choices = questions.nth(number - 1).evaluate(CHOICE_BOXES)
            assert len(choices) == len(question.choices), (lab.name, number)
            faults += [f"{lab.stem} question {number}: {fault}"
                       for fault in choice_layout_faults(choices)]
        # a click on the words of the longest right answer chooses it, and Check says so once
        number, question = max(
            ((n, q) for n, q in enumerate(quiz.questions, 1) if isinstance(q, MultipleChoice)),
            key=lambda pair: len(pair[1].choices[pair[1].answer][0]))
        box = questions.nth(number - 1)
        box.locator(".widget-radio-box label").nth(question.answer).click()
        assert box.locator("input[type=radio]").nth(question.answer).is_checked()
        box.get_by_role("button", name="Check").click()
        feedback = box.locator(".widget-html-content").last  # under the Check button
        feedback.get_by_text("Correct.").wait_for()
        assert feedback.inner_text() == str(quiz.check(number, question.answer))
        shot(cell(page, index).locator(".jp-OutputArea"), f"quiz-{lab.stem}.png")
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("choices, fault", [
    ([{"radio": dict(left=0, right=13, top=2, bottom=15), "words": "a",
       "text": dict(left=20, right=900, top=0, bottom=40)},
      {"radio": dict(left=0, right=13, top=22, bottom=35), "words": "b",
       "text": dict(left=20, right=200, top=20, bottom=38)}], "'a' runs into 'b'"),
    ([{"radio": dict(left=0, right=13, top=2, bottom=15), "words": "a",
       "text": dict(left=20, right=900, top=0, bottom=18)},
      {"radio": dict(left=0, right=0, top=20, bottom=20), "words": "b",
       "text": dict(left=0, right=200, top=20, bottom=38)}], "'b': its radio button is not drawn"),
    ([{"radio": dict(left=0, right=13, top=40, bottom=53), "words": "a",
       "text": dict(left=20, right=900, top=0, bottom=18)}], "not level with its text"),
])
def test_the_layout_check_sees_a_choice_that_lost_its_button(choices, fault):
    assert any(fault in f for f in choice_layout_faults(choices)), choice_layout_faults(choices)


# ------------------------------------------------------------------------------------------
# What an instructor reads after grading
# ------------------------------------------------------------------------------------------
def test_the_class_report_page_shows_its_charts_and_the_mistakes_to_reteach(page, tmp_path):
    """`nndl report`'s index.html, for a made-up class of 20, in a browser without network:
    the re-teach box ranks the catalogued mistake first, the charts are drawn, no student is
    named."""
    from autograder.grade.class_report import ClassResults, Test
    from autograder.grade.diagnosis import Diagnosis, read_message
    from autograder.grade.report_page import page as report_page

    tests = [Test("deep", "test_sigmoid", "sigmoid", 2.0), Test("deep", "test_cost", "cost", 3.0)]
    results = ClassResults("week9", tests)
    wrong_dw = read_message("dw is wrong: got [1.0], expected [0.5].\nHint: this is the "
                            "result you get when you forgot the 1/m in dw.", "judge")
    for i in range(20):
        student = f"student{i:02d}"
        sigmoid = 2.0 if i % 5 else 0.0
        cost = 3.0 if i % 2 else 0.0
        results.scores[student] = {("deep", "test_sigmoid"): sigmoid, ("deep", "test_cost"): cost}
        results.totals[student] = {"raw_score": sigmoid + cost, "late_submission_penalty": 0.0,
                                   "score": sigmoid + cost, "max_score": 5.0}
        found = {}
        if not sigmoid:
            found["deep", "test_sigmoid"] = Diagnosis("raised TypeError", None, "kernel")
        if not cost:
            found["deep", "test_cost"] = (Diagnosis("blamed on sigmoid") if not sigmoid
                                          else wrong_dw)
        results.diagnoses[student] = found
        results.not_run[student] = set()
        results.problems[student] = ["deep: blank (none of its 8 answer cells written)"] if (
            i == 0) else []
    path = tmp_path / "index.html"
    path.write_text(report_page(results), encoding="utf-8")
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        "file:") else route.continue_())  # no network
    page.goto(path.as_uri())
    box = page.locator(".box")
    assert box.locator("li").first.inner_text() == (
        "forgot the 1/m in dw in cost: 8 students (40 %)")
    assert page.locator("svg[aria-label='score distribution'] rect").count() == 10
    assert page.locator("svg[aria-label='marks per function'] rect").count() >= 2
    assert "sigmoid" in page.locator("h2:has-text('Knock-on') + p + table").inner_text()
    assert "student0" not in page.content()
    shot(page, "class-report.png")
