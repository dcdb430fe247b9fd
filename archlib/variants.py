"""A scenario's variants (issue 18): named "what if"s of one decision section ("if traffic
doubles", "without Direct Connect"), each evaluated like the section itself
(:func:`archlib.evaluate_scenario` with the variant's overrides), then shown side by side
with it: the recommended option, its monthly cost, the verdict and what changed.

Plain string builders like :mod:`archlib.summary`: no plotly, no diagrams, no kernel; the
report and the index show what is computed here, nothing is computed in JavaScript.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._inputs import evaluate_scenario
from ._money import cents
from .formatting import quantity, usd

if TYPE_CHECKING:
    from ._engine import Evaluation
    from ._scenario import Scenario, Variant

__all__ = ["Change", "VariantOutcome", "evaluate_variants", "variants_html",
           "variants_index_html", "variants_summary"]

_BADGES = {"clear": "clear", "leaning": "leaning", "too-close-to-call": "too close to call"}
#: Words of parameter names written as people write them.
_WORDS = {"gb": "GB", "gbps": "Gbps", "vpc": "VPC", "vpcs": "VPCs", "az": "AZ", "azs": "AZs",
          "rto": "RTO", "rpo": "RPO", "dx": "Direct Connect", "bgp": "BGP", "usd": "USD",
          "tgw": "Transit Gateway", "cidr": "CIDR", "ha": "HA", "dr": "DR", "on": "on",
          "prem": "premises", "vpn": "VPN", "s3": "S3", "sql": "SQL", "ivr": "IVR",
          "aws": "AWS", "region": "Region"}


def _label(name: str) -> str:
    """``monthly_gb_on_prem`` -> ``monthly GB on premises``."""
    return " ".join(_WORDS.get(w, w) for w in name.split("_") if w)


@dataclass(frozen=True)
class Change:
    """One override of a variant: what it sets, from what to what, in words."""

    parameter: str  # the parameter id, ``weights.<criterion>`` or ``prices.<item>``
    before: Any
    after: Any
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "from": self.before, "to": self.after,
                "text": self.text}


@dataclass(frozen=True)
class VariantOutcome:
    """A variant's evaluation, set against the section's own (``base``)."""

    name: str
    evaluation: Evaluation
    base: Evaluation
    changes: tuple[Change, ...]

    @property
    def recommendation_changed(self) -> bool:
        return self.evaluation.recommended != self.base.recommended

    @property
    def monthly_cost_usd(self) -> float | None:
        return _cost(self.evaluation)

    @property
    def monthly_cost_difference_usd(self) -> float | None:
        """This variant's recommended option's monthly cost less the section's (to the
        cent; None when either is unknown)."""
        new, old = _cost(self.evaluation), _cost(self.base)
        return None if new is None or old is None else round(cents(new) - cents(old), 2)

    def to_dict(self) -> dict[str, Any]:
        ev = self.evaluation
        return {"name": self.name, "changes": [c.to_dict() for c in self.changes],
                "recommended": ev.recommended,
                "recommendation_changed": self.recommendation_changed,
                "monthly_cost_usd": self.monthly_cost_usd,
                "monthly_cost_difference_usd": self.monthly_cost_difference_usd,
                "verdict": None if ev.verdict is None else ev.verdict.level}


def _cost(ev: Evaluation) -> float | None:
    return None if ev.recommended is None else ev.option(ev.recommended).monthly_cost_usd


def _value_text(base: Evaluation, name: str, value: Any) -> str:
    if name == "exclude":
        titles = [base.decision.option(v).title if v in base.decision.option_ids else str(v)
                  for v in value or ()]
        return ", ".join(titles) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return quantity(float(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "not set" if value is None else str(value)


def _changes(variant: Variant, base: Evaluation, ev: Evaluation) -> tuple[Change, ...]:
    """The variant's overrides in words, each against the section's value."""
    changes: list[Change] = []
    before_params = base.params.model_dump(mode="json")
    after_params = ev.params.model_dump(mode="json")
    criteria = {c.id: c for c in base.decision.criteria}
    for name in variant.set:
        if name == "weights":
            for cid in dict(variant.set["weights"]):
                default = criteria[cid].default_weight if cid in criteria else None
                old = before_params["weights"].get(cid, default)
                new = after_params["weights"].get(cid, default)
                title = criteria[cid].title if cid in criteria else cid
                changes.append(Change(f"weights.{cid}", old, new,
                                      f"weight of {title}: {_value_text(base, '', old)} -> "
                                      f"{_value_text(base, '', new)}"))
            continue
        old, new = before_params.get(name), after_params.get(name)
        label = "excluded options" if name == "exclude" else _label(name)
        changes.append(Change(name, old, new, f"{label}: {_value_text(base, name, old)} -> "
                                              f"{_value_text(base, name, new)}"))
    for item in variant.prices:
        old_price = base.prices.items[item].value if item in base.prices.items else None
        new_price = ev.prices.items[item].value
        changes.append(Change(f"prices.{item}", old_price, new_price,
                              f"price {item}: "
                              f"{'not set' if old_price is None else f'${old_price:g}'} -> "
                              f"${new_price:g}"))
    return tuple(changes)


def evaluate_variants(scenario: Scenario, decision_id: str, base: Evaluation,
                      sets: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                      ) -> tuple[VariantOutcome, ...]:
    """Every variant of the scenario's section for ``decision_id``, each evaluated by
    :func:`archlib.evaluate_scenario` (the same ``sets`` and ``exclude`` as ``base``, the
    section's own evaluation), in file order."""
    outcomes = []
    for variant in scenario.variants.get(decision_id, ()):
        ev = evaluate_scenario(decision_id, scenario, list(sets), list(exclude),
                               variant=variant.name)
        _ = ev.verdict  # computed once, here: it travels with the evaluation
        outcomes.append(VariantOutcome(variant.name, ev, base, _changes(variant, base, ev)))
    return tuple(outcomes)


def variants_summary(outcomes: tuple[VariantOutcome, ...]) -> str:
    """``2 variants: recommendation changes in 1`` (empty without variants)."""
    if not outcomes:
        return ""
    changed = sum(o.recommendation_changed for o in outcomes)
    noun = "variant" if len(outcomes) == 1 else "variants"
    verdict = (f"recommendation changes in {changed}" if changed
               else "recommendation unchanged")
    return f"{len(outcomes)} {noun}: {verdict}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(ev: Evaluation) -> str:
    level = ev.verdict.level if ev.verdict is not None else "none"
    text = _BADGES.get(level, "no answer")
    return f'<span class="archlib-badge verdict-{level}">{_e(text)}</span>'


def _title(ev: Evaluation) -> str:
    return "none (no option left)" if ev.recommended is None else (
        ev.option(ev.recommended).title)


def _difference(value: float | None) -> str:
    if value is None:
        return ""
    if value == 0:
        return "<br><small>same as the scenario</small>"
    sign = "+" if value > 0 else "-"
    return f"<br><small>{sign}{_e(usd(abs(value)))} against the scenario</small>"


def variants_html(base: Evaluation, outcomes: tuple[VariantOutcome, ...]) -> str:
    """The scenario and each variant side by side: recommended option, monthly cost, verdict
    badge and what changed (empty without variants)."""
    if not outcomes:
        return ""
    rows = [f'<tr class="archlib-variant-base"><th scope="row">as the scenario states</th>'
            f"<td>{_e(_title(base))}</td><td class=\"num\">{_e(usd(_cost(base)))}</td>"
            f"<td>{_badge(base)}</td><td>-</td></tr>"]
    for o in outcomes:
        ev = o.evaluation
        moved = (f"<br><small>changed from {_e(_title(base))}</small>"
                 if o.recommendation_changed else "<br><small>unchanged</small>")
        what = "".join(f"<li>{_e(c.text)}</li>" for c in o.changes)
        rows.append(f'<tr class="archlib-variant{" changed" if o.recommendation_changed else ""}'
                    f'"><th scope="row">{_e(o.name)}</th><td>{_e(_title(ev))}{moved}</td>'
                    f'<td class="num">{_e(usd(o.monthly_cost_usd))}'
                    f"{_difference(o.monthly_cost_difference_usd)}</td>"
                    f"<td>{_badge(ev)}</td><td><ul>{what}</ul></td></tr>")
    return ('<section class="archlib-variants" aria-labelledby="Variants">'
            f'<h2 id="Variants">Variants</h2><p>{_e(variants_summary(outcomes))}: the '
            "scenario as it states and each variant, evaluated alike.</p>"
            '<table class="archlib-variants-table"><thead><tr><th scope="col">variant</th>'
            '<th scope="col">recommended</th><th scope="col" class="num">monthly cost</th>'
            '<th scope="col">how firm</th><th scope="col">what changed</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def variants_index_html(outcomes: tuple[VariantOutcome, ...]) -> str:
    """The index's cell: a details element folding the variants under their scenario."""
    if not outcomes:
        return "-"
    items = "".join(
        f"<li>{_e(o.name)}: {_e(_title(o.evaluation))}"
        f"{' (changed)' if o.recommendation_changed else ''}, "
        f"{_e(usd(o.monthly_cost_usd))} {_badge(o.evaluation)}</li>" for o in outcomes)
    return (f'<details class="archlib-variants-fold"><summary>{_e(variants_summary(outcomes))}'
            f"</summary><ul>{items}</ul></details>")
