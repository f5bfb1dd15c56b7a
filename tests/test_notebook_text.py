"""What every graded notebook says the same way."""

from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "source").glob("*/*.ipynb"))

HOW_IT_WORKS = """\
**How this notebook works.** Each exercise is a function to complete: write your code where
it says `# YOUR CODE HERE`, replacing the line `raise NotImplementedError()`, and keep the
function's name and arguments. Then run the test cell under it. "All public tests passed."
means your function is right on the examples; otherwise one short message says what is wrong
and usually why. When your work is graded, hidden tests also try your function on other
inputs, so write general code (no fixed sizes or numbers where the inputs decide). Before you
submit: *Kernel → Restart Kernel and Run All Cells*, and check that every test passes."""


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_the_notebook_explains_how_it_works_in_the_course_wording(path):
    nb = nbformat.read(path, as_version=4)
    blocks = [c for c in nb.cells if c.cell_type == "markdown"
              and "How this notebook works" in c.source]
    assert len(blocks) == 1, f"{path.name}: one 'How this notebook works' cell expected"
    assert words(blocks[0].source) == words(HOW_IT_WORKS)
    position = nb.cells.index(blocks[0])
    assert position <= 3, f"{path.name}: the block should come right after the introduction"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.parent.name for p in NOTEBOOKS])
def test_every_test_cell_reports_through_tests_for(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            assert "with tests_for(" in cell.source, meta["grade_id"]
            assert "print(\"All public tests passed.\")" not in cell.source, meta["grade_id"]
            assert "default_rng()" not in cell.source, f"{meta['grade_id']}: unseeded"
