"""What a reviewer decides from on the first screen (issue 18): the summary band (the answer,
its cost, the gap to the runner-up, how firm it is, requirements met, warnings) and the
requirements matrix (every hard requirement against every option, with the numbers and the
rule and source that decided it).

Plain string builders like :mod:`archlib.views`: no plotly or diagrams imports. Options are
named by their titles; ids appear only in the matrix's small id line and the JSON.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from . import _sources
from ._money import cents
from ._requirements import RequirementCell, RequirementRow, requirements_matrix

if TYPE_CHECKING:
    from ._engine import Evaluation

__all__ = ["BADGES", "requirements_matrix_html", "summary_band_html", "usd_text"]

#: The verdict badge's text per level.
BADGES = {"clear": "clear", "leaning": "leaning", "too-close-to-call": "too close to call"}
_HEADINGS = {"clear": "Recommended", "leaning": "Leaning towards",
             "too-close-to-call": "Ahead on points, too close to call"}
_MARKS = {"met": "met", "not met": "not met", "not applicable": "n/a"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def usd_text(value: float | None) -> str:
    """``$1,234.56`` (to the cent, thousands separated); ``unknown`` for None."""
    return "unknown" if value is None else f"${cents(value):,.2f}"


def _cite(source_id: str) -> str:
    """A citation: the source's title, linked when it has a web address."""
    source = _sources.get(source_id)
    if source.url.startswith("https://"):
        return f'<a href="{_e(source.url)}">{_e(source.title)}</a>'
    return f"<span>{_e(source.title)}</span>"


def _difference(best: float | None, runner: float | None) -> str:
    """The recommended option's monthly cost against the runner-up's, in USD and %."""
    if best is None or runner is None:
        return "unknown (a cost is unknown)"
    gap = cents(best) - cents(runner)
    if gap == 0:
        return "the same monthly cost"
    word = "cheaper" if gap < 0 else "more"
    share = f" ({abs(gap) / cents(runner) * 100:.1f}%)" if runner > 0 else ""
    return f"{usd_text(abs(gap))}{share} {word} per month"


def summary_band_html(ev: Evaluation) -> str:
    """The band at the top of a report: the recommended option by name, monthly and
    12-month cost, the difference to the runner-up, the verdict badge with its reason, and
    the counts of requirements met and of warnings."""
    if ev.recommended is None or ev.verdict is None:
        return ('<section class="archlib-summary verdict-none" aria-label="Summary">'
                '<p class="archlib-summary-answer"><span class="archlib-badge '
                'verdict-none">no answer</span> No option is left to recommend: every option '
                "is ruled out or excluded (see the requirements and the options).</p>"
                "</section>")
    best = ev.option(ev.recommended)
    level = ev.verdict.level
    monthly = best.monthly_cost_usd
    yearly = None if monthly is None else cents(monthly) * 12
    rows = requirements_matrix(ev)
    cells = [row.cell(best.id) for row in rows]
    applicable = [c for c in cells if c.status != "not applicable"]
    met = sum(c.status == "met" for c in applicable)
    facts = [("Monthly cost", usd_text(monthly)), ("12 months", usd_text(yearly))]
    if ev.runner_up is not None:
        runner = ev.option(ev.runner_up)
        facts.append((f"Against the runner-up, {runner.title}",
                      f"{_difference(monthly, runner.monthly_cost_usd)} "
                      f"(runner-up {usd_text(runner.monthly_cost_usd)})"))
    facts.append(("Requirements", f"{met} of {len(applicable)} met"))
    facts.append(("Warnings", str(len(best.warnings))))
    listed = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
    return (f'<section class="archlib-summary verdict-{level}" aria-label="Summary">'
            f'<p class="archlib-summary-answer"><span class="archlib-badge verdict-{level}">'
            f"{_e(BADGES[level])}</span> {_e(_HEADINGS[level])}: "
            f"<strong>{_e(best.title)}</strong></p>"
            f'<p class="archlib-summary-reason">{_e(ev.verdict.reason)}</p>'
            f"<dl>{listed}</dl></section>")


def _rule_html(rule: str, source: str) -> str:
    return f"<small>rule {_e(rule)}: {_cite(source)}</small>"


def _cell_html(cell: RequirementCell, cite: bool) -> str:
    status = cell.status.replace(" ", "-")
    parts = [f'<span class="archlib-mark">{_e(_MARKS[cell.status])}</span>']
    if cell.detail:
        parts.append(f"<br>{_e(cell.detail)}")
    if cite and cell.rule is not None and cell.source is not None:
        parts.append("<br>" + _rule_html(cell.rule, cell.source))
    return f'<td class="req-{status}">{"".join(parts)}</td>'


def _row_html(row: RequirementRow) -> str:
    """A row; the rule and source once, in the row's header, when one rule decides every
    cell (the usual case), else in each cell."""
    decided = {(c.rule, c.source) for c in row.cells if c.rule is not None}
    shared = next(iter(decided)) if len(decided) == 1 else None
    head = _e(row.title)
    if shared is not None and shared[0] is not None and shared[1] is not None:
        head += "<br>" + _rule_html(shared[0], shared[1])
    return (f'<tr><th scope="row">{head}</th>'
            + "".join(_cell_html(c, shared is None) for c in row.cells) + "</tr>")


def requirements_matrix_html(ev: Evaluation) -> str:
    """Every hard requirement the rules check (rows) against every option (columns): met,
    not met or n/a, the numbers, and which rule and source decided it."""
    rows = requirements_matrix(ev)
    if not rows:
        return '<p class="archlib-requirements">This decision checks no hard requirement.</p>'
    head = "".join(f'<th scope="col">{_e(o.title)}<br><small class="archlib-id">{_e(o.id)}'
                   "</small></th>" for o in ev.options)
    body = "".join(_row_html(row) for row in rows)
    return (f'<table class="archlib-requirements"><thead><tr><th scope="col">requirement</th>'
            f"{head}</tr></thead><tbody>{body}</tbody></table>")
