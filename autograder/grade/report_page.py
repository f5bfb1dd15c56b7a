"""``reports/ASSIGNMENT/index.html``: the class report as one self-contained page (inline SVG
charts and styles, no script, no network), readable in JupyterLab and any browser. Student ids
appear only with ``names=True``: the page may be shared with teaching assistants.
``write_report`` writes it beside the CSV files of autograder.grade.class_report (``nndl
report``).
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from pathlib import Path

from autograder.grade import class_report
from autograder.grade.class_report import ClassResults, mistakes, root_causes
from autograder.grade.diagnosis import BLAMED, JUDGE, LIMITS, NO_ERROR, NOT_WRITTEN

OUTCOMES = (("full", "#2e7d32"), ("partial", "#f9a825"), ("zero", "#c62828"),
            ("not_run", "#757575"))
# Not a mistake to re-teach: nothing was written, nothing ran, or another function's failure.
NOT_TEACHABLE = {NOT_WRITTEN, NO_ERROR, *LIMITS.values()}

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
.box { border: 2px solid #c62828; border-radius: 6px; padding: 0.5rem 1rem; background: #fff5f5; }
.hint { font-family: ui-monospace, monospace; font-size: 0.85rem; white-space: pre-wrap;
        color: #444; }
.kernel { color: #8a6d00; font-size: 0.85rem; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.0f} %" if total else "-"


def histogram(results: ClassResults) -> str:
    """The score distribution: one bar per score band, as inline SVG."""
    totals = [results.totals[s]["score"] for s in results.scores]
    top = max([results.totals[s]["max_score"] for s in results.scores] or [1.0]) or 1.0
    bands = 10
    counts = [0] * bands
    for score in totals:
        counts[min(bands - 1, int(bands * score / top))] += 1
    width, height, gap, top_margin = 560, 160, 4, 16
    tallest = max(counts) or 1
    bar = width / bands
    parts = [f'<svg role="img" aria-label="score distribution" width="{width}" '
             f'height="{height + 36}" viewBox="0 0 {width} {height + 36}">']
    for i, n in enumerate(counts):
        h = (height - top_margin) * n / tallest
        x = i * bar
        label = f"{top * i / bands:g}-{top * (i + 1) / bands:g}"
        parts.append(f'<rect x="{x + gap:.1f}" y="{height - h:.1f}" width="{bar - 2 * gap:.1f}" '
                     f'height="{h:.1f}" fill="#1565c0"><title>{_e(label)}: {n}</title></rect>')
        if n:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 3:.1f}" font-size="11" '
                         f'text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 14}" font-size="10" '
                     f'text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<text x="{width / 2}" y="{height + 32}" font-size="11" '
                 f'text-anchor="middle">score (of {top:g})</text></svg>')
    return "".join(parts)


def outcome_bars(results: ClassResults) -> str:
    """Per test (its graded function): the shares of full, partial and zero marks and not run,
    as stacked horizontal bars."""
    total = len(results.scores) or 1
    row, label_width, width = 22, 210, 360
    height = row * len(results.tests)
    parts = [f'<svg role="img" aria-label="marks per function" width="{label_width + width + 60}"'
             f' height="{height}" viewBox="0 0 {label_width + width + 60} {height}">']
    for i, test in enumerate(results.tests):
        counts = Counter(results.outcome(s, test) for s in results.scores)
        y = i * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" '
                     f'text-anchor="end">{_e(test.function)}</text>')
        x = label_width
        for outcome, colour in OUTCOMES:
            w = width * counts[outcome] / total
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                             f'fill="{colour}"><title>{_e(test.function)}: {counts[outcome]} '
                             f'{outcome.replace("_", " ")}</title></rect>')
            x += w
        parts.append(f'<text x="{label_width + width + 6}" y="{y + 15}" font-size="11">'
                     f'{_share(counts["full"], total)}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{c}"></i>{o.replace("_", " ")}</span>'
                     for o, c in OUTCOMES)
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def teachable(row: dict) -> bool:
    """A mistake worth teaching again: not a blank answer, a limit or a knock-on failure."""
    return row["mistake"] not in NOT_TEACHABLE and not row["mistake"].startswith(BLAMED)


def page(results: ClassResults, names: bool = False) -> str:
    total = len(results.scores)
    scores = [results.totals[s]["score"] for s in results.scores]
    top = max([results.totals[s]["max_score"] for s in results.scores] or [0.0])
    rows = mistakes(results)
    teach = sorted((r for r in rows if teachable(r)), key=lambda r: -r["students"])[:5]
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           f"<title>Class report: {_e(results.assignment)}</title><style>{STYLE}</style>"
           f"</head><body><h1>Class report: {_e(results.assignment)}</h1>"]
    if total:
        out.append(f"<p>{total} submissions graded; score median {statistics.median(scores):g}, "
                   f"mean {statistics.mean(scores):.1f} of {top:g}.</p>")
    else:
        out.append("<p>No submission is graded yet.</p>")
    out.append('<div class="box"><h2>Re-teach these</h2>')
    if teach:
        out.append("<ol>" + "".join(
            f"<li><b>{_e(r['mistake'])}</b> in {_e(r['function'])}: {_students(r['students'])} "
            f"({_share(r['students'], total)})</li>" for r in teach) + "</ol>")
    else:
        out.append("<p>No diagnosed mistake: what was lost is blank answers, limits or "
                   "knock-on failures (below).</p>")
    out.append("</div>")
    out.append(f"<h2>Scores</h2>{histogram(results)}")
    out.append(f"<h2>Marks per graded function</h2>{outcome_bars(results)}")
    out.append("<h2>Diagnosed mistakes, most frequent first</h2><table><tr><th>function</th>"
               "<th>mistake</th><th>students</th><th>share</th>"
               "<th>what a student read (one example)</th></tr>")
    for r in sorted(rows, key=lambda r: (-r["students"], r["test"])):
        if not teachable(r):
            continue
        who = "" if r["diagnosed_by"] == JUDGE else (
            '<div class="kernel">reported by the visible tests in the student\'s kernel '
            "(not verified by the grader)</div>")
        out.append(f"<tr><td>{_e(r['function'])}</td><td>{_e(r['mistake'])}{who}</td>"
                   f"<td class='n'>{r['students']}</td><td class='n'>"
                   f"{_share(r['students'], total)}</td>"
                   f"<td class='hint'>{_e(r['example'])}</td></tr>")
    out.append("</table>")
    out.append(other_losses(rows))
    out.append(knock_on(results, total))
    out.append(problems(results, names))
    out.append("</body></html>\n")
    return "".join(out)


def _count(n: float, word: str) -> str:
    return f"{n:g} {word}" if n == 1 else f"{n:g} {word}s"


def _students(n: int) -> str:
    return _count(n, "student")


def other_losses(rows: list[dict]) -> str:
    """What was lost without a mistake to teach: answers not written, tests not run, limits,
    points lost without an error; per kind, the test results and the tests."""
    found: dict[str, list[dict]] = {}
    for r in rows:
        if r["mistake"] in NOT_TEACHABLE:
            found.setdefault(r["mistake"], []).append(r)
    if not found:
        return ""
    items = "".join(
        f"<li><b>{_e(kind)}</b>: {sum(r['students'] for r in its)} test results, in "
        f"{len(its)} of the tests ({_e(', '.join(r['function'] for r in its[:6]))}"
        f"{', ...' if len(its) > 6 else ''})</li>"
        for kind, its in sorted(found.items(), key=lambda item: -sum(
            r["students"] for r in item[1])))
    return f"<p>Lost without a mistake to teach:</p><ul>{items}</ul>"


def knock_on(results: ClassResults, total: int) -> str:
    """Per graded function: what its own test lost, and what later tests lost because they
    call it while it was wrong (root_causes.csv)."""
    causes = [r for r in root_causes(results) if r["knock_on_tests"]]
    out = ["<h2>Knock-on failures, counted under their root cause</h2>"]
    if not causes:
        return out[0] + "<p>None: no test failed because an earlier function was wrong.</p>"
    out.append("<p>A test whose function calls an earlier graded function that failed its own "
               "test says \"First fix ...\": its loss comes from that function, which then "
               "costs its students more than its own test's points.</p><table><tr>"
               "<th>root cause</th><th>its own test lost</th><th>later tests lost because of "
               "it</th></tr>")
    for r in sorted(causes, key=lambda r: -r["knock_on_points_lost"]):
        out.append(f"<tr><td>{_e(r['function'])}</td><td>{_students(r['students'])}, "
                   f"{_count(r['points_lost'], 'point')}</td><td>"
                   f"{_students(r['knock_on_students'])} "
                   f"({_share(r['knock_on_students'], total)}), "
                   f"{_count(r['knock_on_tests'], 'test')}, "
                   f"{_count(r['knock_on_points_lost'], 'point')}</td></tr>")
    return "".join(out) + "</table>"


def problems(results: ClassResults, names: bool) -> str:
    """Students who hit limits or whose submission has problems (missing, renamed, malformed,
    blank): what needs the instructor's action."""
    flagged = {s: p for s, p in sorted(results.problems.items()) if p}
    out = ["<h2>Submissions that need a look</h2>"]
    if not flagged:
        return out[0] + "<p>None.</p>"
    if names:
        out.append("<table><tr><th>student</th><th>problems</th></tr>")
        out += [f"<tr><td>{_e(s)}</td><td>{'<br>'.join(_e(x) for x in p)}</td></tr>"
                for s, p in flagged.items()]
        return "".join(out) + "</table>"
    kinds = Counter(_kind_of(x) for p in flagged.values() for x in set(map(_kind_of, p)))
    out.append(f"<p>{_students(len(flagged))} (names with <code>nndl report --names</code>)."
               "</p><table><tr><th>problem</th><th>students</th></tr>")
    out += [f"<tr><td>{_e(k)}</td><td class='n'>{n}</td></tr>" for k, n in kinds.most_common()]
    return "".join(out) + "</table>"


def _kind_of(problem: str) -> str:
    """A problem without the student's details: its kind ("blank", "time limit reached")."""
    text = problem.split(": ", 1)[-1]
    for word in ("nearly blank", "blank", "no autograded notebook", "time limit",
                 "kernel died", "MemoryError", "disk limit", "output cut", "process limit",
                 "could not be interrupted", "not a test cell", "cells from"):
        if word in problem:
            return {"cells from": "cells not run", "not a test cell": "error outside the tests",
                    "MemoryError": "memory limit"}.get(word, word)
    return text


def write_report(root: Path, assignment: str, folder: Path | None = None,
                 names: bool = False) -> list[Path]:
    """Write the report's files; return their paths (``names``: student ids on the page)."""
    results = class_report.read_class(root, assignment)
    folder = Path(folder) if folder else Path(root) / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "scores.csv", folder / "tests.csv", folder / "mistakes.csv"]
    class_report.write_scores_csv(results, written[0])
    class_report.write_tests_csv(results, written[1])
    class_report.write_mistakes_csv(results, written[2])
    written.append(folder / "root_causes.csv")
    class_report.write_root_causes_csv(results, written[3])
    written.append(folder / "index.html")
    written[4].write_text(page(results, names), encoding="utf-8")
    return written
