"""The index page: one row per scenario and decision, columns a module may append to."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from .._errors import printable
from ..views import _share, verdict_sentence
from .files import report_css
from .jobs import ReportOutcome, ReportRow

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
    return (f'<a href="{e(r.html_path)}">report</a> · '
            f'<a href="{e(r.ipynb_path)}">notebook</a>')


def _how_firm(r: ReportRow) -> str:
    """The verdict, styled: only "clear" reads as a firm answer."""
    ev = r.evaluation
    if ev is None or ev.verdict is None:
        return "-"
    level = ev.verdict.level
    return (f'<span class="verdict-{level}" title="{html.escape(verdict_sentence(ev))}">'
            f"<strong>{html.escape(level)}</strong></span>")


def _wins_in(r: ReportRow) -> str:
    """Share of sampled weightings in which the recommendation wins (robustness, issue 7)."""
    ev = r.evaluation
    if ev is None or ev.recommended is None:
        return "-"
    return _share(ev.robustness.win_probability[ev.recommended])


#: The columns after scenario and decision; another module may append to this list.
INDEX_COLUMNS: list[IndexColumn] = [
    IndexColumn("recommended", lambda r: _code(r.recommended or "none")),
    IndexColumn("monthly cost", lambda r: _usd(r.monthly_cost_usd), numeric=True),
    IndexColumn("runner-up", lambda r: _code(r.runner_up)),
    IndexColumn("score gap", lambda r: "-" if r.score_gap is None else f"{r.score_gap:.1f}",
                numeric=True),
    IndexColumn("how firm", _how_firm),
    IndexColumn("wins in (of sampled weightings)", _wins_in, numeric=True),
    IndexColumn("links", _links),
]


_NUM = ' class="num"'


def index_html(outcome: ReportOutcome, stamp: str) -> str:
    e = html.escape
    as_of = sorted({r.prices_as_of for r in outcome.rows if r.prices_as_of})
    columns = list(INDEX_COLUMNS)
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
        f'<dt>Generated</dt><dd class="archlib-generated">{e(stamp)}</dd></dl></header>'
        "<main><table><caption>One row per scenario and decision: the recommended option, "
        "its monthly cost, the runner-up, the score gap between them (points of 100), how "
        "firm the recommendation is (clear, leaning or too-close-to-call) and the share of "
        "sampled criterion weightings in which it still wins.</caption>"
        "<thead><tr><th>scenario</th><th>decision</th>"
        f"{headers}<th>status</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
        "</main></body></html>\n")
