"""Views of an Evaluation as HTML and Markdown text, and notebook display helpers.

Plain string builders: no plotly or diagrams imports here (charts and diagrams are imported
only by the helpers that display them), so ``_repr_html_`` and the CLI stay light.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from . import _sources
from ._labels import parameter_words
from .formatting import quantity, share, usd

if TYPE_CHECKING:
    from ._engine import Evaluation
    from ._model import OptionResult
    from ._robustness import FlipMargin, PriceBreakEven, Robustness, VolumeBreakEven
    from ._sweep import Sweep, SweepRow
    from ._verdict import Deciding

__all__ = [
    "VERDICT_LABELS",
    "assumptions_html",
    "cost_table_html",
    "criteria_table_html",
    "evaluation_html",
    "evaluation_markdown",
    "extra_outputs_html",
    "extra_outputs_markdown",
    "grid_html",
    "option_table_html",
    "placements_html",
    "price_break_even_sentence",
    "question_html",
    "recommendation_heading",
    "recommendation_html",
    "robustness_html",
    "robustness_sentence",
    "sources_html",
    "status_text",
    "verdict_sentence",
]

#: How each verdict level reads (never as a firm answer unless it is one).
VERDICT_LABELS = {"clear": "Clear", "leaning": "Leaning, not firm",
                  "too-close-to-call": "Too close to call"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(source_id: str) -> str:
    """A citation: the source's title (the post and its section, or the page), linked when
    it has a web address; the id stays in the JSON and the sources list's data attribute."""
    source = _sources.get(source_id)
    if source.url.startswith("https://"):
        return f'<a class="archlib-cite" href="{_e(source.url)}">{_prose(source.title)}</a>'
    return f'<span class="archlib-cite">{_prose(source.title)}</span>'


def _prose(text: object) -> str:
    """Escaped text whose `backticked` words (commands, YAML keys) become code, not literal
    backticks (D6)."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", _e(text))


def _name(ev: Evaluation, option_id: str | None) -> str:
    """An option's human name (its title); ``none`` for no option."""
    if option_id is None:
        return "none"
    return next((o.title for o in ev.options if o.id == option_id), option_id)


def _option_cell(ev: Evaluation, option_id: str) -> str:
    """An option in a table: its title, its id small and muted beneath."""
    return f'{_e(_name(ev, option_id))}<br><small class="archlib-id">{_e(option_id)}</small>'


def question_html(ev: Evaluation) -> str:
    return (f'<div class="archlib-question"><h2>{_e(ev.decision.title)}</h2>'
            f"<p><strong>Question.</strong> {_e(ev.decision.question)}</p></div>")


def status_text(result: OptionResult, ev: Evaluation | None = None) -> str:
    """``excluded by you`` (your policy), ``ruled out`` (a rule fired), ``feasible,
    dominated by ...`` (Pareto; the options by title when ``ev`` is given) or ``feasible``."""
    if result.excluded:
        return "excluded by you"
    if not result.feasible:
        return "ruled out"
    if result.dominated_by:
        names = (result.dominated_by if ev is None
                 else tuple(_name(ev, o) for o in result.dominated_by))
        return f"feasible, dominated by {', '.join(names)}"
    return "feasible"


def _row_class(result: OptionResult) -> str:
    return ("excluded" if result.excluded else "feasible" if result.feasible
            else "infeasible")


def option_table_html(ev: Evaluation) -> str:
    rank = {o: i + 1 for i, o in enumerate(ev.ranking)}
    rows = []
    for r in sorted(ev.options, key=lambda o: (rank.get(o.id, 99), o.id)):
        notes = [f'<li class="violation">{_prose(v.message)} ({_link(v.source)})</li>'
                 for v in r.violations]
        notes += [f'<li class="warning">warning: {_prose(w.message)} ({_link(w.source)})</li>'
                  for w in r.warnings]
        if r.excluded:
            notes.insert(0, '<li class="excluded">excluded by you (the scenario\'s exclude '
                         "list): not scored or ranked</li>")
        if r.dominated_by:
            others = ", ".join(_e(_name(ev, o)) for o in r.dominated_by)
            notes.append(f'<li class="dominated">dominated by {others}: no better on any '
                         "criterion and worse on at least one, so never recommended</li>")
        score = "-" if r.score is None else f"{r.score:.1f}"
        rows.append(
            f'<tr class="{_row_class(r)}">'
            f"<td>{rank.get(r.id, '-')}</td>"
            f"<td>{_option_cell(ev, r.id)}</td>"
            f"<td>{_e(status_text(r, ev))}</td><td>{score}</td>"
            f'<td class="num">{usd(r.monthly_cost_usd)}</td>'
            f"<td><ul>{''.join(notes)}</ul></td></tr>"
        )
    return ('<table class="archlib-options"><thead><tr><th>rank</th><th>option</th>'
            "<th>status</th><th>score (0-100)</th><th>monthly cost</th>"
            "<th>rules that fired, warnings, exclusions, dominance</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def cost_table_html(ev: Evaluation) -> str:
    """Cost items grouped per option (D15): one small table per option, ranked options first
    (best first), each under the option's name and closed by its subtotal (the option's
    monthly cost); the recommended option's table is highlighted. Print lays the tables out
    two abreast."""
    rank = {o: i for i, o in enumerate(ev.ranking)}
    groups = []
    for r in sorted(ev.options, key=lambda o: (rank.get(o.id, len(rank)), o.id)):
        best = r.id == ev.recommended
        mark = " (recommended)" if best else ""
        rows = "".join(f'<tr><td>{_e(item)}</td><td class="num">{usd(amount)}</td></tr>'
                       for item, amount in r.cost_breakdown.items())
        css = "archlib-cost-group recommended" if best else "archlib-cost-group"
        groups.append(
            f'<table class="{css}"><thead><tr><th scope="col">{_option_cell(ev, r.id)}{mark}'
            f'</th><th scope="col" class="num">USD/month</th></tr></thead><tbody>{rows}'
            f'</tbody><tfoot><tr class="cost-subtotal"><th scope="row">subtotal</th>'
            f'<td class="num">{usd(r.monthly_cost_usd)}</td></tr></tfoot></table>')
    return f'<div class="archlib-costs">{"".join(groups)}</div>'


def _number(value: float) -> str:
    """A criterion value for people: thousands separated, at most two decimals, signed."""
    text = quantity(abs(value))
    return f"-{text}" if value < 0 else text


def criteria_table_html(ev: Evaluation) -> str:
    head = "".join(
        f"<th>{_e(c.title)}<br><small>{_e(c.unit)}, {c.direction}, weight "
        f"{ev.weights[c.id]:.2f} ({_link(c.source)})</small></th>" for c in ev.decision.criteria
    )
    rows = []
    for r in ev.options:
        cells = []
        for c in ev.decision.criteria:
            basis = r.criteria_basis.get(c.id)
            why = f'<br><small>{_e(basis.reason)} ({_link(basis.source)})</small>' if basis else ""
            value = r.criteria[c.id]
            shown = ("unknown" if value is None
                     else usd(value) if c.unit.startswith("USD") else _number(value))
            cells.append(f"<td>{shown}{why}</td>")
        rows.append(f"<tr><td>{_option_cell(ev, r.id)}</td>{''.join(cells)}</tr>")
    return (f'<table class="archlib-criteria"><thead><tr><th>option</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


#: The recommendation's heading per verdict level: only ``clear`` reads as a firm answer.
_HEADINGS = {"clear": "Recommended: ", "leaning": "Leaning towards (not firm): ",
             "too-close-to-call": "Too close to call; ahead on points: "}


def recommendation_heading(ev: Evaluation) -> str:
    """Plain text: ``Recommended: x`` only when the verdict is clear; otherwise it says the
    answer is not firm."""
    if ev.recommended is None or ev.verdict is None:
        return "No option left to recommend"
    return _HEADINGS[ev.verdict.level] + ev.recommended


def _deciding_text(ev: Evaluation, item: Deciding) -> str:
    titles = {c.id: c.title for c in ev.decision.criteria}
    winner = _name(ev, item.new_winner)
    if item.kind == "weight":
        return (f"the {titles.get(item.name, item.name)} weight at {item.value:.2f} (now "
                f"{item.current:.2f}) makes {winner} win")
    if item.kind == "price":
        side = "above" if item.value > item.current else "below"
        return (f"price {item.name} at or {side} ${item.value:.4g} (assumed "
                f"${item.current:.4g}) makes {winner} win")
    what = parameter_words(ev.decision.params_model, item.name)
    return (f"{what} beyond {quantity(item.value)} GB/month (now {quantity(item.current)}) "
            f"makes {winner} win")


def verdict_sentence(ev: Evaluation) -> str:
    """``Clear|Leaning, not firm|Too close to call: <reason>``, plus, when not clear, what
    would decide it (the weight, price or volume and the value at which it flips)."""
    verdict = ev.verdict
    if verdict is None:
        return "No verdict: no option is left to recommend."
    text = f"{VERDICT_LABELS[verdict.level]}. {verdict.reason}"
    if verdict.deciding:
        text += " What would decide it: " + "; ".join(
            _deciding_text(ev, d) for d in verdict.deciding) + "."
    return text


#: Inline colours of the verdict (notebooks and the explorer have no stylesheet).
_VERDICT_STYLE = {"clear": "border-left:4px solid #1f7a3d",
                  "leaning": "border-left:4px solid #8a6100",
                  "too-close-to-call": "border:2px dashed #a33a2b; border-left-width:4px",
                  "none": "border-left:4px solid #a33a2b"}


def _verdict_html(ev: Evaluation) -> str:
    level = ev.verdict.level if ev.verdict is not None else "none"
    return (f'<p class="archlib-verdict verdict-{level}" style="{_VERDICT_STYLE[level]}; '
            f'padding:.2em .6em"><strong>How firm:</strong> {_e(verdict_sentence(ev))}</p>')


def recommendation_html(ev: Evaluation) -> str:
    if ev.recommended is None:
        reasons = "".join(
            f"<li><code>{_e(r.id)}</code>: "
            + ("excluded by you" if r.excluded else
               "; ".join(_e(v.message) for v in r.violations)) + "</li>" for r in ev.options
        )
        return ('<div class="archlib-recommendation none"><h3>No feasible option</h3>'
                "<p>Every option is ruled out or excluded by you, so there is no verdict:"
                f"</p><ul>{reasons}</ul></div>")
    best = ev.option(ev.recommended)
    level = ev.verdict.level if ev.verdict is not None else "clear"
    # the option by its name; its id small beside it (reviewers read names, scripts ids)
    parts = [f'<div class="archlib-recommendation verdict-{level}"><h3>{_e(_HEADINGS[level])}'
             f'{_e(best.title)} <small class="archlib-id">{_e(best.id)}</small></h3>',
             _verdict_html(ev),
             f"<p>{_e(best.summary)} Score {best.score:.1f} of 100 at "
             f"{usd(best.monthly_cost_usd)} per month.</p>"]
    if ev.runner_up is not None:
        second = ev.option(ev.runner_up)
        gap = (best.score or 0.0) - (second.score or 0.0)
        parts.append(f"<p>Runner-up: {_e(second.title)} "
                     f'<small class="archlib-id">{_e(second.id)}</small> at {second.score:.1f} '
                     f"({gap:.1f} points behind, {usd(second.monthly_cost_usd)} per month)."
                     "</p>")
    top = sorted(best.contributions.items(), key=lambda kv: -kv[1])
    titles = {c.id: c.title for c in ev.decision.criteria}
    parts.append("<p>Where its points come from: " + ", ".join(
        f"{_e(titles[k])} {v:.1f}" for k, v in top) + ".</p>")
    parts.append(f'<p class="archlib-robustness-summary"><strong>Robustness:</strong> '
                 f"{_e(robustness_sentence(ev))}</p>")
    if best.warnings:
        parts.append("<p>Warnings: " + "; ".join(_e(w.message) for w in best.warnings)
                     + ".</p>")
    if ev.actions:
        parts.append("<h4>What to configure</h4><ol>" + "".join(
            f"<li>{_prose(a.text)} ({_link(a.source)})</li>" for a in ev.actions) + "</ol>")
    parts.append("</div>")
    return "".join(parts)


# --- robustness ----------------------------------------------------------------------------


def _flip_text(ev: Evaluation, margin: FlipMargin) -> str:
    titles = {c.id: c.title for c in ev.decision.criteria}
    if margin.delta is None or margin.new_winner is None:
        return (f"no {titles[margin.criterion]} weight within [0, 1] changes the winner")
    moves = "rise" if margin.delta > 0 else "fall"
    return (f"the {titles[margin.criterion]} weight would have to {moves} by "
            f"{abs(margin.delta):.2f} (from {margin.weight:.2f} to "
            f"{margin.weight + margin.delta:.2f}) for {_name(ev, margin.new_winner)} to win")


def robustness_sentence(ev: Evaluation) -> str:
    """One plain sentence: how often the recommendation wins under sampled weights, the
    smallest single-weight change that flips it, and the nearest cost break-even."""
    if ev.recommended is None:
        return "No feasible option, so nothing to test."
    rob = ev.robustness
    settings = rob.settings
    how = ("uniform over all weightings" if settings.uniform else
           f"Dirichlet around the chosen weights, concentration {settings.concentration:g}")
    wins = rob.win_probability[ev.recommended]
    text = (f"{_name(ev, ev.recommended)} wins in {share(wins)} of {settings.samples:,} "
            f"sampled weightings ({how}, seed {settings.seed}); ")
    if len(rob.options) == 1:
        text += "it is the only feasible option, so no weighting can change that"
    else:
        closest = rob.closest_flip()
        text += (_flip_text(ev, closest) if closest is not None else
                 "no change of a single weight within [0, 1] changes the winner")
    text += "."
    if rob.break_even:
        def distance(b: VolumeBreakEven) -> float:
            return abs(b.value - float(getattr(ev.params, b.parameter)))

        nearest = min(rob.break_even, key=distance)
        what = parameter_words(ev.decision.params_model, nearest.parameter)
        text += (f" Costs: at {quantity(nearest.value)} GB/month of {what} "
                 f"(scenario: {quantity(float(getattr(ev.params, nearest.parameter)))}) "
                 f"{_name(ev, nearest.cheaper_option)} becomes cheaper than "
                 f"{_name(ev, nearest.cheapest_below)}; just beyond, the recommendation is "
                 f"{_name(ev, nearest.recommended_beyond)}.")
    if rob.price_break_even:
        nearest_price = min(rob.price_break_even, key=lambda b: abs(math.log(b.value / b.assumed))
                            if b.value > 0 else math.inf)
        text += f" Prices: {price_break_even_sentence(ev, nearest_price)}"
    return text


def price_break_even_sentence(ev: Evaluation, b: PriceBreakEven) -> str:
    """``item (unit): x wins at or above $v; assumed $a.`` for one price break-even."""
    side = "above" if b.above else "below"
    how = "" if b.exact else " (located by bisection)"
    winner = "nothing" if b.recommended_beyond is None else _name(ev, b.recommended_beyond)
    return (f"{b.item} ({ev.prices[b.item].unit}): {winner} wins "
            f"at or {side} ${b.value:.4g}; assumed ${b.assumed:.4g}{how}.")


def robustness_html(ev: Evaluation) -> str:
    """Tables: rank acceptability per option, flip margins per criterion, break-even
    volumes (method in the README, "Robustness")."""
    if ev.recommended is None:
        return ('<div class="archlib-robustness"><p>No feasible option: nothing to test.'
                "</p></div>")
    rob = ev.robustness
    n = len(rob.options)
    rank_heads = "".join(f"<th>rank {r}</th>" for r in range(1, n + 1))
    rows = "".join(
        f"<tr><td>{i}</td><td>{_option_cell(ev, o)}</td>"
        f'<td class="num"><strong>{share(rob.win_probability[o])}</strong></td>'
        f'<td class="num">{rob.mean_rank[o]:.2f}</td>'
        + "".join(f'<td class="num">{share(v)}</td>' for v in rob.acceptability[o])
        + "</tr>"
        for i, o in enumerate(rob.options, 1)
    )
    s = rob.settings
    method = (f"{s.samples:,} weight vectors drawn uniformly over all weightings"
              if s.uniform else
              f"{s.samples:,} weight vectors drawn from a Dirichlet distribution around "
              f"the chosen weights (concentration {s.concentration:g}; a weight of 0 stays "
              "0)")
    parts = [
        '<div class="archlib-robustness">',
        _verdict_html(ev),
        f"<p>{_e(robustness_sentence(ev))}</p>",
        f"<p><small>Rank acceptability: {_e(method)}, seed {s.seed}; every sample scored "
        "and ranked like the point result.</small></p>",
        '<table class="archlib-acceptability"><thead><tr><th>point rank</th><th>option</th>'
        f"<th>wins</th><th>mean rank</th>{rank_heads}</tr></thead><tbody>{rows}</tbody>"
        "</table>",
    ]
    titles = {c.id: c.title for c in ev.decision.criteria}
    flips = "".join(
        f"<tr><td>{_e(titles[m.criterion])}</td><td class=\"num\">{m.weight:.2f}</td>"
        + (f'<td class="num">{m.delta:+.4f}</td><td class="num">'
           f"{(m.new_weight or 0.0):.4f}</td><td>{_e(_name(ev, m.new_winner))}</td>"
           if m.delta is not None else
           '<td colspan="3">none within [0, 1]</td>')
        + "</tr>"
        for m in rob.flip_margins
    )
    parts.append(
        "<p><small>Flip margins: the smallest change of one weight (the others scaled so the "
        "weights still sum 1) that changes the winner.</small></p>"
        '<table class="archlib-flip-margins"><thead><tr><th>criterion</th><th>weight</th>'
        "<th>change</th><th>new weight</th><th>new winner</th></tr></thead>"
        f"<tbody>{flips}</tbody></table>")
    parts.append(_break_even_html(ev, rob))
    parts.append(_price_break_even_html(ev, rob))
    parts.append("</div>")
    return "".join(parts)


def _price_break_even_html(ev: Evaluation, rob: Robustness) -> str:
    note = ("<p><small>Price break-evens: for each unverified or overridden price the costs "
            "depend on, the nearest price above and below the assumed one (searched from 0 "
            "to 100 times it) where the recommendation changes, solved exactly and checked "
            "by re-evaluating just beyond.</small></p>")
    if not rob.price_break_even:
        return note + ("<p>No unverified or overridden price between 0 and 100 times its "
                       "assumed value changes the recommendation.</p>")
    sentences = "".join(f"<li>{_e(price_break_even_sentence(ev, b))}</li>"
                        for b in rob.price_break_even)
    return note + f'<ul class="archlib-price-break-even">{sentences}</ul>'


def _break_even_html(ev: Evaluation, rob: Robustness) -> str:
    if not rob.break_even_ranges:
        return ("<p><small>Break-even volumes: do not apply here (no traffic volume drives "
                "the costs, every volume is 0, or fewer than two feasible options have a "
                "known cost).</small></p>")
    searched = "; ".join(f"{_e(p)} 0 to {quantity(high)}"
                         for p, (_, high) in rob.break_even_ranges.items())
    note = (f"<p><small>Break-even volumes: where the cheapest feasible option changes as one "
            f"volume varies (the others as in the scenario), solved exactly from the "
            f"piecewise-linear costs. Each break-even is that one volume (GB/month); the "
            f"cost chart's break-evens are in total volume, every volume scaled together. "
            f"Searched: {searched}.</small></p>")
    if not rob.break_even:
        return note + "<p>No break-even: the cheapest feasible option does not change.</p>"
    rows = "".join(
        f"<tr><td>{_e(b.parameter)}</td>"
        f'<td class="num">{quantity(float(getattr(ev.params, b.parameter)))}</td>'
        f'<td class="num">{quantity(b.value)}</td><td>{_e(_name(ev, b.cheapest_below))}</td>'
        f"<td>{_e(_name(ev, b.cheaper_option))}</td>"
        f"<td>{_e(_name(ev, b.recommended_beyond))}</td></tr>"
        for b in rob.break_even
    )
    return (note + '<table class="archlib-break-even"><thead><tr><th>parameter</th>'
            "<th>scenario</th><th>break-even</th><th>cheapest below</th>"
            "<th>cheapest above</th><th>recommended above</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def placements_html(ev: Evaluation) -> str:
    """Where each service should live (decisions with ``placements``); empty otherwise."""
    if not ev.placements:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(p.service)}</code></td><td>{_e(p.placement)}</td>"
        f"<td>{_e(p.reason)} ({_link(p.source)})</td>"
        f'<td class="num">{usd(p.monthly_cost_difference_usd) if p.compared_with else "-"}'
        f"</td><td>{_e(p.compared_with or '-')}</td></tr>"
        for p in ev.placements
    )
    return ('<table class="archlib-placements"><thead><tr><th>service</th><th>placement</th>'
            "<th>why</th><th>saves USD/month</th><th>against</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def grid_html(rows: Sequence[SweepRow], spec: Sweep, titles: Mapping[str, str],
              caption: str = "") -> str:
    """A sweep's grid as an HTML table: ``spec.column_axes`` across (grouped by the first),
    every other axis down the side; each cell names the preferred option and, smaller, the
    runner-up (their ``titles``; the option ids are in the cell's ``data-preferred`` and
    ``data-runner-up``). A cell matching ``spec.highlight`` is starred, with its note."""
    if not rows:
        return '<p class="archlib-grid">(empty grid)</p>'
    names = list(rows[0].axes)
    cols = [n for n in spec.column_axes if n in names]
    side = [n for n in names if n not in cols]
    col_keys = list(dict.fromkeys(tuple(r.value(n) for n in cols) for r in rows))
    side_keys = list(dict.fromkeys(tuple(r.value(n) for n in side) for r in rows))
    by_key = {(tuple(r.value(n) for n in side), tuple(r.value(n) for n in cols)): r
              for r in rows}
    e, label = html.escape, spec.label
    head: list[str] = []
    if len(cols) >= 2:
        groups = list(dict.fromkeys(k[0] for k in col_keys))
        spans = "".join(
            f'<th colspan="{sum(k[0] == g for k in col_keys)}">{e(label(cols[0], g))}</th>'
            for g in groups)
        head.append(f'<tr><th colspan="{max(len(side), 1)}"></th>{spans}</tr>')
        lower = "".join(
            f"<th>{e(' / '.join(label(n, v) for n, v in zip(cols[1:], k[1:], strict=True)))}"
            "</th>" for k in col_keys)
    else:
        lower = "".join(
            f"<th>{e(' / '.join(label(n, v) for n, v in zip(cols, k, strict=True)))}</th>"
            for k in col_keys)
    side_head = "".join(f"<th>{e(spec.axis_titles.get(n, n))}</th>" for n in side) \
        or "<th></th>"
    head.append(f"<tr>{side_head}{lower}</tr>")
    body: list[str] = []
    marked = False
    for skey in side_keys:
        cells = "".join(f"<th>{e(label(n, v))}</th>" for n, v in zip(side, skey, strict=True))
        cells = cells or "<th></th>"
        for ckey in col_keys:
            row = by_key.get((skey, ckey))
            if row is None:
                cells += "<td>-</td>"
                continue
            values = row.cell
            highlight = bool(spec.highlight) and all(
                values.get(k, v) == v for k, v in spec.highlight.items())
            marked |= highlight
            text = (f"<strong>{e(titles[row.preferred])}</strong>" if row.preferred
                    else '<span class="none">none</span>')
            if row.runner_up:
                text += f"<br><small>then {e(titles[row.runner_up])}</small>"
            mark = " *" if highlight else ""
            cls = ' class="seed-cell"' if highlight else ""
            data = (f' data-preferred="{e(row.preferred or "none")}"'
                    f' data-runner-up="{e(row.runner_up or "none")}"')
            cells += f"<td{cls}{data}>{text}{mark}</td>"
        body.append(f"<tr>{cells}</tr>")
    note = (f'<p class="archlib-grid-note">* {spec.highlight_note_html}</p>'
            if marked and spec.highlight_note_html else "")
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return (f'<table class="archlib-grid" style="font-size:.85rem">{cap}'
            f"<thead>{''.join(head)}</thead><tbody>{''.join(body)}</tbody></table>{note}")


def extra_outputs_html(ev: Evaluation, heading: str = "h3") -> str:
    """Every extra output of the evaluation's decision (placements, grids...), each under
    its title: the one view notebooks, reports and the explorer show them with; empty when
    the decision declares none."""
    parts = [(o.title, o.html(ev)) for o in ev.extra_outputs]
    return "".join(f"<{heading}>{_e(title)}</{heading}>{body}" for title, body in parts if body)


def extra_outputs_markdown(ev: Evaluation, text: Callable[[object], str],
                           cite: Callable[[str], str]) -> list[str]:
    """The extra outputs that belong in a decision record, as Markdown lines (``text``
    escapes plain text, ``cite`` formats a source id)."""
    lines: list[str] = []
    for output in ev.extra_outputs:
        lines += output.markdown(ev, text, cite)
    return lines


def assumptions_html(ev: Evaluation) -> str:
    items = "".join(
        f'<li class="{"unverified" if a.unverified else ""}">'
        f'{"<strong>UNVERIFIED</strong> " if a.unverified else ""}{_prose(a.text)} '
        f"({_link(a.source)})</li>"
        for a in ev.assumptions
    )
    return f'<div class="archlib-assumptions"><h3>Assumptions</h3><ul>{items}</ul></div>'


def sources_html(ev: Evaluation) -> str:
    items = []
    for s in ev.sources:
        target = (f'<a href="{_e(s.url)}">{_prose(s.title)}</a>' if s.url.startswith("https://")
                  else f"{_prose(s.title)} ({_prose(s.url)})")
        items.append(f'<li data-source="{_e(s.id)}">{target}</li>')
    return f'<div class="archlib-sources"><h3>Sources</h3><ul>{"".join(items)}</ul></div>'


def evaluation_html(ev: Evaluation) -> str:
    """The whole evaluation as one HTML fragment (Jupyter's ``_repr_html_``)."""
    return "".join([
        question_html(ev), recommendation_html(ev), option_table_html(ev),
        extra_outputs_html(ev),
        "<h3>Robustness</h3>", robustness_html(ev),
        "<h3>Criteria</h3>", criteria_table_html(ev), "<h3>Costs</h3>", cost_table_html(ev),
        assumptions_html(ev), sources_html(ev),
    ])


# --- Markdown ------------------------------------------------------------------------------


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_cite(source_id: str) -> str:
    return f"[{source_id}]"


def _md_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def evaluation_markdown(ev: Evaluation) -> str:
    rank = {o: i + 1 for i, o in enumerate(ev.ranking)}
    lines = [f"# {_md(ev.decision.title)}", "", _md(ev.decision.question), ""]
    if ev.recommended is None:
        lines += ["**No feasible option.**", ""]
    else:
        best = ev.option(ev.recommended)
        level = ev.verdict.level if ev.verdict is not None else "clear"
        lines += [f"**{_HEADINGS[level]}{_md(best.title)}** (`{best.id}`), score "
                  f"{best.score:.1f}, {usd(best.monthly_cost_usd)}/month.", "",
                  f"**How firm:** {_md(verdict_sentence(ev))}", ""]
    rows = []
    for r in sorted(ev.options, key=lambda o: (rank.get(o.id, 99), o.id)):
        why = "; ".join(f"{v.message} [{v.source}]" for v in r.violations)
        rows.append([str(rank.get(r.id, "-")), f"`{r.id}`", status_text(r),
                     "-" if r.score is None else f"{r.score:.1f}", usd(r.monthly_cost_usd),
                     why])
    lines += _md_table(["rank", "option", "status", "score", "monthly cost", "ruled out by"],
                       rows)
    if ev.actions:
        lines += ["", "## What to configure", ""]
        lines += [f"{i}. {_md(a.text)} [{a.source}]" for i, a in enumerate(ev.actions, 1)]
    extra = extra_outputs_markdown(ev, _md, _md_cite)
    if extra:
        lines += ["", *(extra[:-1] if extra[-1] == "" else extra)]
    lines += _robustness_markdown(ev)
    lines += ["", "## Assumptions", ""]
    lines += [f"- {'**UNVERIFIED** ' if a.unverified else ''}{_md(a.text)} [{a.source}]"
              for a in ev.assumptions]
    lines += ["", "## Sources", ""]
    lines += [f"- `{s.id}`: [{_md(s.title)}]({s.url})" for s in ev.sources]
    lines += ["", f"Prices as of {ev.prices_as_of} ({ev.prices.region})."]
    return "\n".join(lines) + "\n"




def _robustness_markdown(ev: Evaluation) -> list[str]:
    if ev.recommended is None:
        return []
    rob = ev.robustness
    titles = {c.id: c.title for c in ev.decision.criteria}
    lines = ["", "## Robustness", "", _md(robustness_sentence(ev)), ""]
    lines += _md_table(
        ["point rank", "option", "wins", "mean rank"],
        [[str(i), f"`{o}`", share(rob.win_probability[o]), f"{rob.mean_rank[o]:.2f}"]
         for i, o in enumerate(rob.options, 1)])
    lines += [""]
    lines += _md_table(
        ["criterion", "weight", "change that flips the winner", "new winner"],
        [[titles[m.criterion], f"{m.weight:.2f}",
          "none within [0, 1]" if m.delta is None else f"{m.delta:+.4f}",
          "-" if m.new_winner is None else f"`{m.new_winner}`"] for m in rob.flip_margins])
    if rob.break_even:
        lines += [""]
        lines += _md_table(
            ["parameter", "break-even", "cheapest below", "cheapest above",
             "recommended above"],
            [[f"`{b.parameter}`", quantity(b.value), f"`{b.cheapest_below}`",
              f"`{b.cheaper_option}`", f"`{b.recommended_beyond or 'none'}`"]
             for b in rob.break_even])
    if rob.price_break_even:
        lines += [""]
        lines += [f"- {_md(price_break_even_sentence(ev, b))}" for b in rob.price_break_even]
    return lines
