"""Thin helpers the decision notebooks call. Every notebook cell is one line over these.

Parameters reach a notebook as data (papermill values); :func:`evaluate_from` takes only the
names the decision's model declares and validates them again through the same model.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import views
from ._decision import Decision
from ._engine import Evaluation
from ._engine import evaluate as _evaluate
from .decisions import get

__all__ = [
    "Html",
    "Markdown",
    "adr",
    "assumptions",
    "cost_chart",
    "diagram",
    "evaluate_from",
    "explorer",
    "extra_output",
    "extra_outputs",
    "header",
    "lab_styled",
    "option_table",
    "other_diagrams",
    "placements",
    "recommendation",
    "robustness",
    "robustness_chart",
    "score_chart",
    "sources",
]


# --- report table styling that survives JupyterLab's table CSS (issue 18, D12) ---------------
#
# Lab right-aligns every cell, strips borders, stripes rows and gives widget HTML a 28 px line
# height; the report stylesheet (archlib/data/report.css) is not there, and untrusted outputs
# (a papermill-executed notebook) lose <style> elements but keep inline styles. So tables carry
# the report's rules inline, with its colours; spacing (which print and phone CSS change) stays
# with the stylesheet.

_LINE = "1px solid #d9dee5"  # report.css --line
_MUTED, _BAD, _WARN = "#5b6776", "#a33a2b", "#8a6100"  # --muted, --bad, --warn
_CELL = f"border:{_LINE}; text-align:left; vertical-align:top"
#: Inline style per (tag, class); class "" is the tag without a styled class.
_INLINE: dict[tuple[str, str], str] = {
    ("table", ""): "border-collapse:collapse; width:100%; table-layout:auto; line-height:1.4",
    ("th", ""): f"{_CELL}; background:#f3f5f8",
    ("td", ""): _CELL,
    ("td", "num"): f"border:{_LINE}; text-align:right; vertical-align:top; white-space:nowrap",
    ("tr", "infeasible"): f"color:{_MUTED}",
    ("tr", "excluded"): f"color:{_MUTED}; font-style:italic",
    ("ul", ""): "margin:0; padding-left:1.1rem",
    ("li", "violation"): f"color:{_BAD}",
    ("li", "warning"): f"color:{_WARN}",
    ("li", "dominated"): f"color:{_MUTED}",
    ("li", "excluded"): f"color:{_MUTED}",
}
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_TAG = re.compile(r"<(table|th|td|tr|ul|li)\b([^>]*)>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
_STYLE_ATTR = re.compile(r'\bstyle="([^"]*)"')


def _styled_tag(match: re.Match[str]) -> str:
    tag, attrs = match.group(1), match.group(2)
    found = _CLASS.search(attrs)
    classes = found.group(1).split() if found else []
    style = next((_INLINE[(tag, c)] for c in classes if (tag, c) in _INLINE),
                 _INLINE.get((tag, ""), ""))
    if not style:
        return match.group(0)
    own = _STYLE_ATTR.search(attrs)
    if own:  # the fragment's own style comes last, so it wins
        merged = f"{style}; {own.group(1)}"
        attrs = attrs[:own.start()] + f'style="{merged}"' + attrs[own.end():]
        return f"<{tag}{attrs}>"
    return f'<{tag}{attrs} style="{style}">'


def lab_styled(fragment: str) -> str:
    """``fragment`` with the report's table styles inline on every table in it (cell borders
    and alignment, state colours of rows and notes), so they read as in the report in
    JupyterLab, trusted or not. Only ``style`` attributes are added; content is unchanged."""
    return _TABLE.sub(lambda table: _TAG.sub(_styled_tag, table.group(0)), fragment)


@dataclass(frozen=True)
class Html:
    """An HTML fragment for display (with a plain-text fallback)."""

    body: str
    text: str = ""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.body, "text/plain": self.text or "(HTML output)"}


@dataclass(frozen=True)
class Markdown:
    """Markdown text for display (JupyterLab renders it; the text is its own fallback)."""

    body: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": self.body, "text/plain": self.body}


def evaluate_from(namespace: Mapping[str, Any], decision: str | Decision[Any]) -> Evaluation:
    """Evaluate ``decision`` (a registered id, or a decision defined outside archlib) from a
    notebook's globals: only declared parameter names are read (plus ``prices``, the
    scenario's price overrides)."""
    if isinstance(decision, str):
        decision = get(decision)
    params = {k: namespace[k] for k in decision.params_model.model_fields if k in namespace}
    prices = namespace.get("prices") or {}
    return _evaluate(decision, params, prices=prices, where="notebook parameters")


def header(ev: Evaluation, scenario_name: str = "", scenario_description: str = "") -> Html:
    e = html.escape
    scenario = (f'<p class="archlib-scenario"><strong>Scenario:</strong> {e(scenario_name)}'
                + (f" - {e(scenario_description)}" if scenario_description else "") + "</p>"
                if scenario_name else "")
    question = (f'<p class="archlib-question"><strong>Question.</strong> '
                f"{e(ev.decision.question)}</p>")
    return Html(scenario + question, f"{ev.decision.title}: {scenario_name}")


def option_table(ev: Evaluation) -> Html:
    return Html(lab_styled(views.option_table_html(ev)), "options table")


def recommendation(ev: Evaluation) -> Html:
    return Html(views.recommendation_html(ev), f"recommended: {ev.recommended}")


def criteria_table(ev: Evaluation) -> Html:
    return Html(lab_styled(views.criteria_table_html(ev)), "criteria table")


def cost_table(ev: Evaluation) -> Html:
    return Html(lab_styled(views.cost_table_html(ev)), "cost table")


def placements(ev: Evaluation) -> Html:
    """Where each service should live (empty for decisions without placements)."""
    return Html(lab_styled(views.placements_html(ev)), "placements")


def extra_outputs(ev: Evaluation) -> Html:
    """The decision's extra outputs (placements, grids such as QuickSight's reconstructed
    summary table), each under its title; empty when the decision declares none."""
    return Html(lab_styled(views.extra_outputs_html(ev)), "extra outputs")


def extra_output(ev: Evaluation, output_id: str) -> Html:
    """One extra output of the decision, by its id, without its title (the notebook
    template gives each its own section: its title, its description, then this call)."""
    for output in ev.extra_outputs:
        if output.id == output_id:
            return Html(lab_styled(output.html(ev)), output.title)
    known = ", ".join(o.id for o in ev.extra_outputs) or "none"
    raise ValueError(f"decision {ev.decision.id!r} has no extra output {output_id!r} "
                     f"(known: {known})")


def assumptions(ev: Evaluation) -> Html:
    return Html(lab_styled(views.assumptions_html(ev)), "assumptions")


def sources(ev: Evaluation) -> Html:
    return Html(views.sources_html(ev), "sources")


def cost_chart(ev: Evaluation) -> Any:
    from .charts import cost_chart as build
    from .charts import display_chart

    return display_chart(build(ev), f"{ev.decision.id}-cost")


def score_chart(ev: Evaluation) -> Any:
    from .charts import display_chart
    from .charts import score_chart as build

    return display_chart(build(ev), f"{ev.decision.id}-score")


def robustness(ev: Evaluation) -> Html:
    """How firm the recommendation is: rank acceptability, flip margins, break-even volumes."""
    return Html(lab_styled(views.robustness_html(ev)), "robustness")


def robustness_chart(ev: Evaluation) -> Any:
    """The rank-acceptability chart."""
    from .charts import display_chart, rank_acceptability_chart

    return display_chart(rank_acceptability_chart(ev), f"{ev.decision.id}-robustness")


def _figure(ev: Evaluation, option_id: str) -> tuple[str, str]:
    """The option's diagram as an HTML figure, and its outline (what it shows, without
    coordinates: the plain-text fallback the committed notebooks are compared by)."""
    from .drawing import diagram_svg, svg_outline

    svg = diagram_svg(ev, option_id)
    option = ev.decision.option(option_id)
    alt = f"Diagram of option {option_id}: {option.title}. {option.summary}"
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    # JupyterLab scales an output's <img> down to the cell (max-width: 100%) already; the
    # report inlines this exact <img alt src> as SVG (archlib/report/rendering.py).
    figure = (f'<figure class="archlib-diagram"><img alt="{html.escape(alt)}" '
              f'src="data:image/svg+xml;base64,{data}">'
              f"<figcaption>{html.escape(option.title)} (<code>{html.escape(option_id)}</code>)"
              "</figcaption></figure>")
    return figure, f"{option_id}: {svg_outline(svg)}"


def diagram(ev: Evaluation, option_id: str | None = None) -> Html:
    """The diagram of one option (default: the recommended one)."""
    chosen = option_id or ev.recommended or ev.decision.options[0].id
    figure, outline = _figure(ev, chosen)
    return Html(figure, outline)


def other_diagrams(ev: Evaluation) -> Html:
    """Every other option's diagram, folded."""
    chosen = ev.recommended or ev.decision.options[0].id
    parts, outlines = [], []
    for o in ev.decision.options:
        if o.id == chosen:
            continue
        figure, outline = _figure(ev, o.id)
        parts.append(f"<details><summary>{html.escape(o.title)} (<code>{html.escape(o.id)}"
                     f"</code>)</summary>{figure}</details>")
        outlines.append(outline)
    return Html('<div class="archlib-other-diagrams">' + "".join(parts) + "</div>",
                "\n\n".join(outlines))


def adr(ev: Evaluation, scenario_name: str = "", scenario_description: str = "") -> Markdown:
    """The decision record (MADR 4, status "proposed") of this evaluation, as Markdown: the
    same text as ``archlib adr``."""
    from .adr import adr_markdown

    return Markdown(adr_markdown(ev, scenario_name=scenario_name,
                                 scenario_description=scenario_description))


def explorer(ev: Evaluation, interactive: bool = True) -> Any:
    """The live explorer, seeded with this evaluation's parameters. In batch reports
    (``interactive = False``) a note says where to explore live instead: widgets cannot run
    in static HTML."""
    if not interactive:
        # issue 18 (D10): a static report has no controls; say exactly how to get them
        executed = f"{ev.decision.id}.ipynb"
        return Html(
            '<div class="archlib-explore-note"><strong>Explore live:</strong> this static '
            "report has no controls. Its executed notebook, beside it, holds these parameters: "
            f"<code>jupyter lab {html.escape(executed)}</code>, run all cells, and change "
            "parameters and weights in the explorer at its end (it redraws its own results; "
            "the cells above keep these).</div>",
            "explore live in JupyterLab",
        )
    from .widgets import explore

    params = ev.params.model_dump()
    return explore(ev.decision.id, prices=dict(ev.price_overrides), **params)
