"""The index page: one row per scenario and decision, columns a module may append to."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from .._errors import printable
from ..formatting import share as _share
from ..summary import BADGES
from ..variants import variants_index_html
from ..views import verdict_sentence
from .files import report_css
from .jobs import ReportOutcome, ReportRow
from .results import Comparison, since_index_html

__all__ = ["INDEX_COLUMNS", "IndexColumn", "index_html"]


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


@dataclass(frozen=True)
class IndexColumn:
    """One column of the index: a header and the HTML of a successful row's cell (failed
    rows show their reason across the columns instead). Add a column by adding one."""

    header: str
    cell: Callable[[ReportRow], str]
    numeric: bool = False


def _code(text: str | None) -> str:
    return f"<code>{html.escape(text)}</code>" if text else "-"


def _links(r: ReportRow) -> str:
    e = html.escape
    # the notebook downloads (a browser shows an .ipynb as raw JSON, D14)
    return (f'<a href="{e(r.html_path)}">report</a> · '
            f'<a href="{e(r.ipynb_path)}" download>notebook (download)</a>')


def _option(r: ReportRow, option_id: str | None) -> str:
    """An option by its title, its id small below (the id alone when unknown)."""
    ev = r.evaluation
    if option_id is None:
        return "-"
    if ev is None:
        return _code(option_id)
    return (f"{html.escape(ev.option(option_id).title)}<br>"
            f'<small class="archlib-id">{html.escape(option_id)}</small>')


def _recommended(r: ReportRow) -> str:
    return _option(r, r.recommended) if r.recommended else _code("none")


def _runner_up(r: ReportRow) -> str:
    ev = r.evaluation
    if ev is None or r.runner_up is None:
        return _option(r, r.runner_up)
    return (f"{_option(r, r.runner_up)}<br>"
            f"<small>{_usd(ev.option(r.runner_up).monthly_cost_usd)} per month</small>")


def _how_firm(r: ReportRow) -> str:
    """The verdict badge: only "clear" reads as a firm answer."""
    ev = r.evaluation
    if ev is None or ev.verdict is None:
        return "-"
    level = ev.verdict.level
    return (f'<span class="archlib-badge verdict-{level}" '
            f'title="{html.escape(verdict_sentence(ev))}">{html.escape(BADGES[level])}</span>')


def _wins_in(r: ReportRow) -> str:
    """Share of sampled weightings in which the recommendation wins (robustness, issue 7)."""
    ev = r.evaluation
    if ev is None or ev.recommended is None:
        return "-"
    return _share(ev.robustness.win_probability[ev.recommended])


#: The columns after scenario and decision; another module may append to this list.
INDEX_COLUMNS: list[IndexColumn] = [
    IndexColumn("recommended", _recommended),
    IndexColumn("monthly cost", lambda r: _usd(r.monthly_cost_usd), numeric=True),
    IndexColumn("runner-up", _runner_up),
    IndexColumn("score gap", lambda r: "-" if r.score_gap is None else f"{r.score_gap:.1f}",
                numeric=True),
    IndexColumn("how firm", _how_firm),
    IndexColumn("wins in (share of sampled weightings)", _wins_in, numeric=True),
    IndexColumn("links", _links),
]


_NUM = ' class="num"'


def _batch_columns(outcome: ReportOutcome) -> list[IndexColumn]:
    """The columns, with two before the links when the batch has them: the variants folded
    under their scenario, and what changed since the previous run (``--compare-to``)."""
    columns = list(INDEX_COLUMNS)
    extra = []
    if any(r.variants for r in outcome.rows):
        extra.append(IndexColumn("variants", lambda r: variants_index_html(r.variants)))
    comparison = outcome.comparison
    if comparison is not None:
        extra.append(IndexColumn("since the previous run", lambda r: since_index_html(
            comparison.rows.get(r.report_id))))
    at = next((n for n, c in enumerate(columns) if c.header == "links"), len(columns))
    return [*columns[:at], *extra, *columns[at:]]


def _compared(comparison: Comparison | None) -> tuple[str, str]:
    """The header's line about the previous run, and the list of reports gone since."""
    if comparison is None:
        return "", ""
    e = html.escape
    previous = comparison.previous
    when = f" (generated {previous.generated_at})" if previous.generated_at else ""
    head = (f"<dt>Compared with</dt><dd>{e(printable(previous.folder))}{e(when)}: "
            f"{e(comparison.summary())}</dd>")
    if not comparison.gone:
        return head, ""
    items = "".join(
        f"<li>{e(old.scenario_name)}: <code>{e(old.decision)}</code> "
        f'<small class="archlib-id">{e(key)}</small></li>'
        for key in comparison.gone for old in [previous.reports[key]])
    return head, (f'<section class="archlib-gone" aria-labelledby="gone"><h2 id="gone">Gone '
                  f"since the previous run ({len(comparison.gone)})</h2><ul>{items}</ul>"
                  "</section>")


def index_html(outcome: ReportOutcome, stamp: str) -> str:
    e = html.escape
    as_of = sorted({r.prices_as_of for r in outcome.rows if r.prices_as_of})
    columns = _batch_columns(outcome)
    compared, gone = _compared(outcome.comparison)
    body: list[str] = []
    for r in outcome.rows:
        head = (f'<tr class="{"ok" if r.ok else "failed"}"><th scope="row">{e(r.scenario_name)}'
                f"<br><small>{e(printable(r.scenario))}</small></th><td>{_code(r.decision)}</td>")
        if r.ok:
            cells = "".join(f"<td{_NUM if c.numeric else ''}>{c.cell(r)}</td>"
                            for c in columns)
            body.append(f"{head}{cells}<td>ok</td></tr>")
        else:
            body.append(f'{head}<td colspan="{len(columns) + 1}" class="failed">failed: '
                        f"{e(r.reason)}</td></tr>")
    done = sum(r.ok for r in outcome.rows)
    failed = len(outcome.rows) - done
    headers = "".join(f"<th{_NUM if c.numeric else ''}>{e(c.header)}</th>"
                      for c in columns)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>archlib reports</title><style>{report_css()}</style></head>"
        '<body class="archlib-index"><header class="archlib-title">'
        '<p class="archlib-kicker">archlib decision reports</p><h1>Reports</h1><dl>'
        f"<dt>archlib</dt><dd>{e(__version__)}</dd>"
        f"<dt>Prices as of</dt><dd>{e(', '.join(as_of) or '-')}</dd>"
        f"<dt>Reports</dt><dd>{done} written, {failed} failed</dd>"
        f'<dt>Generated</dt><dd class="archlib-generated">{e(stamp)}</dd>{compared}</dl>'
        "</header>"
        "<main><table><caption>One row per scenario and decision: the recommended option, "
        "its monthly cost, the runner-up and its cost, the score gap between them (points of "
        "100, relative among the feasible options), how "
        "firm the recommendation is (clear, leaning or too-close-to-call) and the share of "
        "sampled criterion weightings in which it still wins.</caption>"
        "<thead><tr><th>scenario</th><th>decision</th>"
        f"{headers}<th>status</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
        f"{gone}</main><script>{_SORT_JS}</script></body></html>\n")


#: Click a column header to sort the rows by it (again: the other way). Numeric columns sort
#: by the number in the cell ($, commas and % ignored); rows without one go last.
_SORT_JS = """(function () {
  var table = document.querySelector("main table");
  if (!table) { return; }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    th.tabIndex = 0;
    th.setAttribute("aria-sort", "none");
    th.title = "sort by this column";
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.classList.contains("num");
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      function key(row) {
        var cell = row.cells[column], text = cell ? cell.textContent.trim() : "";
        if (!numeric) { return text.toLowerCase(); }
        var n = parseFloat(text.replace(/[$,%<]/g, ""));
        return isNaN(n) ? null : n;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return (x < y ? -1 : 1) * (up ? 1 : -1);
      });
      rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
})();"""
