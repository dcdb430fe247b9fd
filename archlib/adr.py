"""Decision records: an Evaluation as a Markdown ADR in the MADR 4 format.

Pure: the record is a function of the evaluation (and the optional scenario name, description
and date given), so the same inputs always give the same text. Sections follow MADR 4.0.0
(https://adr.github.io/madr/): front matter with the status, title, context and problem
statement, decision drivers, considered options, decision outcome (consequences,
confirmation), pros and cons of the options, more information. Sources are cited inline as
Markdown reference links, defined once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import yaml

from . import __version__, _sources
from ._scenario import scenario_params
from .formatting import quantity, share, significant, usd
from .views import (
    extra_outputs_markdown,
    price_break_even_sentence,
    robustness_sentence,
    verdict_sentence,
)

if TYPE_CHECKING:
    from ._engine import Evaluation
    from ._model import Criterion, OptionResult

__all__ = ["STATUS", "adr_markdown"]

#: MADR status of every generated record: a person accepts (or rejects) it.
STATUS = "proposed"

_BETTER = {"minimise": "lower is better", "maximise": "higher is better"}


# --- text helpers ----------------------------------------------------------------------------


def _text(value: object) -> str:
    """Plain text made safe for Markdown: one line; no stray emphasis, links, code or HTML."""
    text = " ".join(str(value).split())
    for char in ("\\", "*", "[", "]", "<", "|"):  # backticks stay: archlib's texts mean code
        text = text.replace(char, "\\" + char)
    return text


def _cite(source_id: str) -> str:
    """A source as a reference link (defined at the end of the record) when it has a public
    URL; project-internal sources (relative paths) as code, since a record travels."""
    return f"[{source_id}]" if _public(source_id) else f"`{source_id}`"


def _public(source_id: str) -> bool:
    return _sources.get(source_id).url.startswith("https://")


def _value(criterion: Criterion, value: float | None) -> str:
    if value is None:
        return "unknown"
    if criterion.unit.startswith("USD"):
        return f"{usd(value)} per month"
    return f"{significant(value)}, in {_text(criterion.unit)}"


def _lower(title: str) -> str:
    """A criterion title inside a sentence: lower-cased unless it starts with an acronym."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _option_label(result: OptionResult) -> str:
    return f"`{result.id}`: {_text(result.title)}"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- what the scores say about an option -----------------------------------------------------


def _feasible(ev: Evaluation) -> list[OptionResult]:
    return [ev.option(o) for o in ev.ranking]


def _ordered(ev: Evaluation) -> list[OptionResult]:
    """Ranked options first, then the ruled-out and excluded ones in the decision's order."""
    ranked = _feasible(ev)
    return ranked + [r for r in ev.options if not r.ranked]


def _judgement(result: OptionResult, criterion: Criterion) -> str:
    basis = result.criteria_basis.get(criterion.id)
    return "" if basis is None else f": {_text(basis.reason)} {_cite(basis.source)}"


def _criterion_points(ev: Evaluation, result: OptionResult) -> list[tuple[str, str]]:
    """(Good | Neutral | Bad, argument) for each criterion, from the option's value on the
    criterion's scale against the other ranked options' values."""
    feasible = _feasible(ev)
    points: list[tuple[str, str]] = []
    for criterion in ev.decision.criteria:
        value = result.criteria[criterion.id]
        values = [r.normalised.get(criterion.id, 0.0) for r in feasible]
        shown = f"its {_lower(_text(criterion.title))} ({_value(criterion, value)})"
        why = _judgement(result, criterion)
        mine = result.normalised.get(criterion.id, 0.0)
        if value is None:
            points.append(("Bad", f"its {_lower(_text(criterion.title))} is unknown (scored "
                                  "0, the worst)"))
        elif len(set(values)) == 1:
            points.append(("Neutral", f"{shown} is worth the same for every feasible option"
                                      f"{why}"))
        elif mine == max(values):
            points.append(("Good", f"{shown} is the best of the feasible options{why}"))
        elif mine == min(values):
            points.append(("Bad", f"{shown} is the worst of the feasible options{why}"))
        else:
            best = max(feasible, key=lambda r: r.normalised.get(criterion.id, 0.0))
            against = _value(criterion, best.criteria[criterion.id])
            points.append(("Neutral", f"{shown} is between the best ({against}, `{best.id}`) "
                                      f"and the worst of the feasible options{why}"))
    return points


def _score_line(ev: Evaluation, result: OptionResult) -> str:
    if result.excluded:
        return (f"Excluded by you, so not scored; it would cost "
                f"{usd(result.monthly_cost_usd)} per month.")
    if not result.feasible or result.score is None:
        return (f"Ruled out, so not scored; it would cost {usd(result.monthly_cost_usd)} "
                "per month.")
    rank = ev.ranking.index(result.id) + 1
    titles = {c.id: c.title for c in ev.decision.criteria}
    points = ", ".join(f"{titles[k]} {v:.1f}" for k, v in result.contributions.items())
    return (f"Rank {rank} of {len(ev.ranking)}: score {result.score:.1f} of 100 "
            f"({points}), {usd(result.monthly_cost_usd)} per month.")


# --- sections --------------------------------------------------------------------------------


def _front_matter(date: str | None) -> list[str]:
    lines = ["---", f"status: {STATUS}"]
    if date:
        lines.append(f"date: {date}")
    return [*lines, "---", ""]


def _title(ev: Evaluation) -> list[str]:
    """MADR: a short title naming the problem and the solution found."""
    outcome = ("no feasible option" if ev.recommended is None
               else ev.option(ev.recommended).title)
    return [f"# {ev.decision.id}: {_text(outcome)}", ""]


def _context(ev: Evaluation, scenario_name: str, scenario_description: str) -> list[str]:
    lines = ["## Context and Problem Statement", "",
             f"**{_text(ev.decision.title)}.** {_text(ev.decision.question)}", ""]
    if scenario_name:
        about = f"Scenario: **{_text(scenario_name)}**."
        if scenario_description:
            about += f" {_text(scenario_description)}"
        lines += [about, ""]
    inputs: dict[str, object] = {}
    if ev.price_overrides:
        inputs["prices"] = dict(ev.price_overrides)
    inputs["decisions"] = {ev.decision.id: scenario_params(ev.params)}
    lines += [
        "The inputs evaluated (defaults filled in), as in a scenario file:",
        "",
        "```yaml",
        yaml.safe_dump(inputs, sort_keys=False, default_flow_style=False,
                       allow_unicode=True).rstrip("\n"),
        "```",
        "",
        f"Prices for {_text(ev.prices.region)} as of {_text(ev.prices_as_of)}, at "
        f"{ev.prices.hours_per_month:g} hours per month {_cite('aws-pricing-calculator-hours')}"
        "; the assumptions are listed under More Information.",
        "",
    ]
    return lines


def _drivers(ev: Evaluation) -> list[str]:
    lines = ["## Decision Drivers", ""]
    for c in ev.decision.criteria:
        lines.append(f"* {_text(c.title)} ({_text(c.unit)}, {_BETTER[c.direction]}), weight "
                     f"{ev.weights[c.id]:.2f}: {_text(c.description)} {_cite(c.source)}")
    ruled_out = sum(not r.feasible for r in ev.options)
    lines.append(f"* Sourced rules that rule an option out: {len(ev.decision.rules)} checked, "
                 f"ruling out {ruled_out} of {len(ev.options)} options here; "
                 f"{len(ev.decision.warnings)} warnings flag risks without ruling out.")
    lines.append("* Weights are normalised to sum 1; each criterion has a fixed value scale, "
                 "so an option's score depends only on its own values: "
                 + "; ".join(f"{_text(c.title)}: {_text(ev.scales[c.id].describe())}"
                             for c in ev.decision.criteria)
                 + f" {_cite('archlib-scoring')} {_cite('belton-stewart-2002')}.")
    if ev.excluded:
        lines.append("* Excluded by you (policy, not scored): "
                     + ", ".join(f"`{o}`" for o in ev.excluded) + ".")
    return [*lines, ""]


def _considered(ev: Evaluation) -> list[str]:
    lines = ["## Considered Options", ""]
    for r in _ordered(ev):
        if r.ranked and r.score is not None:
            rank = ev.ranking.index(r.id) + 1
            status = (f"rank {rank}, score {r.score:.1f}, "
                      f"{usd(r.monthly_cost_usd)} per month")
            if r.dominated_by:
                status += ", dominated by " + ", ".join(f"`{o}`" for o in r.dominated_by)
        elif r.excluded:
            status = "excluded by you"
        else:
            rules = ", ".join(f"`{v.rule}`" for v in r.violations)
            status = f"ruled out by {rules}"
        lines.append(f"* {_option_label(r)} ({status})")
    return [*lines, ""]


def _robustness(ev: Evaluation) -> list[str]:
    """The outcome's verdict and robustness sentences: the ones the notebook and report
    show."""
    return [f"How firm: {_text(verdict_sentence(ev))}", "",
            f"Robustness: {_text(robustness_sentence(ev))} Details under More Information.",
            ""]


def _robustness_details(ev: Evaluation) -> list[str]:
    """Rank acceptability, flip margins and break-even volumes (README, "Robustness")."""
    if ev.recommended is None:
        return []
    rob = ev.robustness
    s = rob.settings
    method = ("uniform over all weightings" if s.uniform else
              f"Dirichlet around the chosen weights, concentration {s.concentration:g}")
    titles = {c.id: c.title for c in ev.decision.criteria}
    lines = ["### Robustness", "",
             f"Rank acceptability over {s.samples:,} sampled weightings ({method}, seed "
             f"{s.seed}), each scored and ranked like the point result {_cite('archlib-scoring')}:",
             ""]
    lines += _table(["point rank", "option", "wins", "mean rank"],
                    [[str(i), f"`{o}`", share(rob.win_probability[o]),
                      f"{rob.mean_rank[o]:.2f}"] for i, o in enumerate(rob.options, 1)])
    lines += ["", "The smallest change of one weight (the others rescaled) that changes the "
              "winner:", ""]
    lines += _table(["criterion", "weight", "change that flips the winner", "new winner"],
                    [[_text(titles[m.criterion]), f"{m.weight:.2f}",
                      "none within 0 to 1" if m.delta is None else f"{m.delta:+.4f}",
                      "-" if m.new_winner is None else f"`{m.new_winner}`"]
                     for m in rob.flip_margins])
    if rob.break_even:
        lines += ["", "Volumes (GB per month, one parameter at a time) at which the cheapest "
                  "feasible option changes:", ""]
        lines += _table(
            ["parameter", "break-even", "cheapest below", "cheapest above",
             "recommended above"],
            [[f"`{b.parameter}`", quantity(b.value), f"`{b.cheapest_below}`",
              f"`{b.cheaper_option}`", f"`{b.recommended_beyond or 'none'}`"]
             for b in rob.break_even])
    if rob.price_break_even:
        lines += ["", "Unverified or overridden prices at which the recommendation changes "
                  "(nearest above and below the assumed value):", ""]
        lines += [f"* {_text(price_break_even_sentence(ev, b))}" for b in rob.price_break_even]
    return [*lines, ""]


def _outcome(ev: Evaluation) -> list[str]:
    lines = ["## Decision Outcome", ""]
    if ev.recommended is None:
        lines += ["No option is chosen and there is no verdict: every option is ruled out by "
                  "a sourced rule or excluded by you (see Pros and Cons of the Options). Change "
                  "the parameters, or revisit the constraint that rules out the option you "
                  "need.", ""]
        return lines
    best = ev.option(ev.recommended)
    because = (f"because it ranks first of the {len(ev.ranking)} feasible options with a "
               f"score of {best.score:.1f} of 100 at {usd(best.monthly_cost_usd)} per month"
               if len(ev.ranking) > 1 else
               f"because it is the only feasible option ({usd(best.monthly_cost_usd)} per "
               "month)")
    if ev.runner_up is not None:
        second = ev.option(ev.runner_up)
        gap = (best.score or 0.0) - (second.score or 0.0)
        because += (f"; the runner-up, `{second.id}`, scores {second.score:.1f} "
                    f"({gap:.1f} points behind) at {usd(second.monthly_cost_usd)} per month")
    level = ev.verdict.level if ev.verdict is not None else "clear"
    chosen = {"clear": "Chosen option",
              "leaning": "Chosen option (leaning, not firm: confirm what would decide it)",
              "too-close-to-call": "Chosen option (too close to call: decide what would "
                                   "decide it first)"}[level]
    lines += [f'{chosen}: "{_option_label(best)}", {because}.', ""]
    lines += _robustness(ev)

    lines += ["### Consequences", ""]
    for kind, argument in _criterion_points(ev, best):
        lines.append(f"* {kind}, because {argument}")
    for w in best.warnings:
        lines.append(f"* Bad, because {_text(w.message)} {_cite(w.source)}")
    unverified = sum(a.unverified for a in ev.assumptions)
    lines.append(f"* Neutral, because the comparison rests on {len(ev.assumptions)} "
                 f"assumptions, {unverified} of them unverified (see More Information)")
    lines.append("")
    lines += extra_outputs_markdown(ev, _text, _cite)  # placements, ...
    if ev.actions:
        lines += ["### Confirmation", "",
                  "Confirm the implementation against what the option needs configured:", ""]
        lines += [f"{i}. {_text(a.text)} {_cite(a.source)}"
                  for i, a in enumerate(ev.actions, 1)]
        lines.append("")
    return lines


def _pros_and_cons(ev: Evaluation) -> list[str]:
    lines = ["## Pros and Cons of the Options", ""]
    for r in _ordered(ev):
        lines += [f"### {_option_label(r)}", "", _text(r.summary), "", _score_line(ev, r), ""]
        bullets: list[str] = []
        if r.excluded:
            bullets.append("* Neutral, because it is excluded by you (policy), so it is not "
                           "scored or ranked")
        for v in r.violations:
            bullets.append(f"* Bad, because it is ruled out: {_text(v.message)} "
                           f"(rule `{v.rule}`) {_cite(v.source)}")
        if r.dominated_by:
            bullets.append("* Bad, because it is dominated by "
                           + ", ".join(f"`{o}`" for o in r.dominated_by)
                           + ": no better on any criterion and worse on at least one")
        if r.ranked:
            bullets += [f"* {kind}, because {argument}"
                        for kind, argument in _criterion_points(ev, r)]
        for w in r.warnings:
            bullets.append(f"* Bad, because {_text(w.message)} (warning `{w.rule}`) "
                           f"{_cite(w.source)}")
        lines += [*bullets, ""]
    return lines


def _more_information(ev: Evaluation) -> list[str]:
    lines = ["## More Information", "", *_robustness_details(ev), "### Monthly costs", ""]
    rows: list[list[str]] = []
    for r in _ordered(ev):
        rows += [[f"`{r.id}`", _text(item), usd(amount)]
                 for item, amount in r.cost_breakdown.items()]
        rows.append([f"`{r.id}`", "**total**", f"**{usd(r.monthly_cost_usd)}**"])
    lines += _table(["option", "cost item", "USD per month"], rows)
    lines += ["", "### Assumptions", ""]
    lines += [f"* {'**Unverified:** ' if a.unverified else ''}{_text(a.text)} {_cite(a.source)}"
              for a in ev.assumptions]
    lines += ["", "### Sources", ""]
    for s in ev.sources:
        seed = f" (seed lines {s.seed_lines})" if s.seed_lines else ""
        target = (f"[{_text(s.title)}]({s.url})" if _public(s.id)
                  else f"{_text(s.title)} (`{s.url}`)")
        lines.append(f"* `{s.id}`: {target}{seed}")
    lines += ["", f"Generated by archlib {__version__} from decision `{ev.decision.id}`; the "
              "scores, costs and rules are reproducible from the parameters above.", ""]
    # Reference-link definitions: invisible when rendered, they make every [source-id] a link.
    lines += [f"[{s.id}]: {s.url}" for s in ev.sources if _public(s.id)]
    return lines


def adr_markdown(
    ev: Evaluation,
    *,
    scenario_name: str = "",
    scenario_description: str = "",
    date: str | None = None,
) -> str:
    """The MADR 4 decision record of ``ev``, status "proposed". ``date`` (YYYY-MM-DD) goes in
    the front matter when given; nothing else varies between calls."""
    lines = [
        *_front_matter(date),
        *_title(ev),
        *_context(ev, scenario_name, scenario_description),
        *_drivers(ev),
        *_considered(ev),
        *_outcome(ev),
        *_pros_and_cons(ev),
        *_more_information(ev),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
