"""evaluate(): parameters -> rules and costs -> scores -> an Evaluation. Pure but for the
price table, which :mod:`archlib._prices` reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import _sources
from ._decision import Decision
from ._errors import InputError
from ._model import (
    Action,
    Assumption,
    DecisionParams,
    Judgement,
    OptionResult,
    Placement,
    Violation,
)
from ._prices import PriceTable, load_prices
from ._scoring import rank, resolve_weights, score
from ._sources import Source

__all__ = ["BreakEven", "Evaluation", "break_even_points", "cost_at_scale", "evaluate"]


@dataclass(frozen=True)
class Evaluation:
    """The result of one decision for one set of parameters. Frozen and deterministic.

    ``to_dict()`` is the JSON contract; the object also carries the intermediate numbers
    (weights, normalised criteria, contributions) the views draw.
    """

    decision: Decision[Any]
    params: DecisionParams
    prices: PriceTable
    options: tuple[OptionResult, ...]
    ranking: tuple[str, ...]
    weights: Mapping[str, float]
    actions: tuple[Action, ...]
    assumptions: tuple[Assumption, ...]
    sources: tuple[Source, ...]
    placements: tuple[Placement, ...] = ()
    price_overrides: Mapping[str, Any] = field(default_factory=dict)

    @property
    def recommended(self) -> str | None:
        return self.ranking[0] if self.ranking else None

    @property
    def runner_up(self) -> str | None:
        return self.ranking[1] if len(self.ranking) > 1 else None

    def option(self, option_id: str) -> OptionResult:
        for result in self.options:
            if result.id == option_id:
                return result
        raise KeyError(option_id)

    @property
    def prices_as_of(self) -> str:
        return self.prices.as_of

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.id,
            "title": self.decision.title,
            "params": self.params.model_dump(mode="json"),
            "recommended": self.recommended,
            "ranking": list(self.ranking),
            "options": [o.to_dict() for o in self.options],
            "actions": [a.to_dict() for a in self.actions],
            "placements": [p.to_dict() for p in self.placements],
            "assumptions": [a.to_dict() for a in self.assumptions],
            "sources": [s.to_dict() for s in self.sources],
            "prices_as_of": self.prices_as_of,
        }

    def _repr_html_(self) -> str:
        from .views import evaluation_html  # views import plotly-free HTML helpers only

        return evaluation_html(self)


def _total(breakdown: Mapping[str, float | None]) -> float | None:
    values = list(breakdown.values())
    if any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


def _raw(value: float | Judgement | None) -> float | None:
    if value is None:
        return None
    return float(value.value) if isinstance(value, Judgement) else float(value)


def evaluate(
    decision: Decision[Any],
    params: Mapping[str, Any] | DecisionParams | None = None,
    *,
    prices: Mapping[str, Any] | None = None,
    where: str = "",
) -> Evaluation:
    model = decision.parse(params, where=where)
    try:
        table = load_prices(decision.region(model), prices)
    except InputError as error:
        raise error.located(where) from None
    weights = resolve_weights(decision.criteria, model.weights)

    tracked = table.tracking()
    try:
        breakdowns = decision.cost(model, tracked)
    except InputError as error:  # a price missing for a Region without a price file
        raise error.located(where) from None
    monthly = {o.id: _total(breakdowns[o.id]) for o in decision.options}
    values = decision.criteria_values(model, monthly)

    fired: dict[str, tuple[Violation, ...]] = {}
    warned: dict[str, tuple[Violation, ...]] = {}
    for option in decision.options:
        fired[option.id] = tuple(
            v for r in decision.rules if (v := r.fire(model, option.id)) is not None
        )
        warned[option.id] = tuple(
            v for r in decision.warnings if (v := r.fire(model, option.id)) is not None
        )
    feasible = [o.id for o in decision.options if not fired[o.id]]
    matrix = {o: {c.id: _raw(values[o][c.id]) for c in decision.criteria} for o in feasible}
    table_scores = score(matrix, decision.criteria, weights)
    ranking = tuple(rank(table_scores.scores, {o: monthly[o] for o in feasible}))

    results = tuple(
        OptionResult(
            id=o.id,
            title=o.title,
            summary=o.summary,
            feasible=o.id in matrix,
            violations=fired[o.id],
            warnings=warned[o.id],
            score=table_scores.scores.get(o.id),
            monthly_cost_usd=monthly[o.id],
            cost_breakdown=dict(breakdowns[o.id]),
            criteria={c.id: _raw(values[o.id][c.id]) for c in decision.criteria},
            criteria_basis={
                c.id: j for c in decision.criteria
                if isinstance(j := values[o.id][c.id], Judgement)
            },
            normalised=dict(table_scores.normalised.get(o.id, {})),
            contributions=dict(table_scores.contributions.get(o.id, {})),
        )
        for o in decision.options
    )
    actions = decision.actions(model, ranking[0]) if ranking else ()
    placements = decision.placements(model, tracked) if decision.placements else ()
    used = tracked.used()
    assumptions = (_common_assumptions(decision, table, weights, used)
                   + decision.assumptions(model, table))
    return Evaluation(
        decision=decision,
        params=model,
        prices=table,
        options=results,
        ranking=ranking,
        weights=weights,
        actions=actions,
        assumptions=assumptions,
        sources=_cited(decision, results, actions, assumptions, placements, table, used),
        placements=placements,
        price_overrides=dict(prices or {}),
    )


def _common_assumptions(
    decision: Decision[Any],
    table: PriceTable,
    weights: Mapping[str, float],
    used: frozenset[str],
) -> tuple[Assumption, ...]:
    shown = ", ".join(f"{c.title} {weights[c.id]:.2f}" for c in decision.criteria)
    items = [
        Assumption(
            "hours-per-month",
            f"Hourly prices are multiplied by {table.hours_per_month:g} hours per month.",
            "aws-pricing-calculator-hours",
        ),
        Assumption(
            "prices",
            f"Prices for {table.region} as of {table.as_of}, from the price file unless "
            "overridden below.",
            "archlib-override" if table.as_of == "scenario" else "archlib-prices",
        ),
        Assumption("weights", f"Criteria weights (normalised to sum 1): {shown}.",
                   "archlib-scoring"),
    ]
    for price in (p for p in table.overridden() if p.id in used):
        items.append(Assumption(
            f"override-{price.id}",
            f"Price {price.id} overridden by the scenario: {price.value:g} {price.unit}.",
            "archlib-override",
        ))
    for price in (p for p in table.unverified() if p.id in used):
        items.append(Assumption(
            f"unverified-{price.id}",
            f"Price {price.id} = {price.value:g} {price.unit}; override it under "
            "the scenario's `prices:` if you know better.",
            price.source,
            unverified=True,
        ))
    return tuple(items)


def _cited(
    decision: Decision[Any],
    results: Sequence[OptionResult],
    actions: Sequence[Action],
    assumptions: Sequence[Assumption],
    placements: Sequence[Placement],
    table: PriceTable,
    used: frozenset[str],
) -> tuple[Source, ...]:
    ids: set[str] = set(decision.sources)
    ids.update(r.source for r in decision.rules)
    ids.update(r.source for r in decision.warnings)
    ids.update(c.source for c in decision.criteria)
    for result in results:
        ids.update(j.source for j in result.criteria_basis.values())
    ids.update(a.source for a in actions)
    ids.update(a.source for a in assumptions)
    ids.update(p.source for p in placements)
    ids.update(table[p].source for p in used)
    return tuple(_sources.get(i) for i in sorted(ids))


# --- cost against traffic volume -------------------------------------------------------------


def cost_at_scale(evaluation: Evaluation, factor: float) -> dict[str, float | None]:
    """Monthly cost per feasible option with every volume parameter multiplied by ``factor``."""
    decision = evaluation.decision
    scaled = {
        name: getattr(evaluation.params, name) * factor
        for name in decision.volumes(evaluation.params)
    }
    params = evaluation.params.model_copy(update=scaled)
    breakdowns = decision.cost(params, evaluation.prices)
    return {o: _total(breakdowns[o]) for o in evaluation.ranking}


def total_volume(evaluation: Evaluation) -> float:
    params = evaluation.params
    return float(sum(getattr(params, n) for n in evaluation.decision.volumes(params)))


@dataclass(frozen=True, slots=True)
class BreakEven:
    factor: float  # multiple of the scenario's volumes
    volume_gb: float  # total monthly GB across the volume parameters at that factor
    cheaper_option: str  # cheapest feasible option just above this volume


def break_even_points(
    evaluation: Evaluation, max_factor: float = 10.0, steps: int = 400
) -> tuple[BreakEven, ...]:
    """Volumes (as multiples of the scenario's) where the cheapest feasible option changes,
    from 0 to ``max_factor``: located on a grid, then refined by bisection."""
    if not evaluation.decision.volumes(evaluation.params) or len(evaluation.ranking) < 2:
        return ()
    base = total_volume(evaluation)

    def cheapest(factor: float) -> str | None:
        costs = {o: c for o, c in cost_at_scale(evaluation, factor).items() if c is not None}
        if not costs:
            return None
        return min(sorted(costs), key=lambda o: costs[o])

    points: list[BreakEven] = []
    # Start just above 0: options that cost the same at zero volume must not "cross" there.
    previous_f = max_factor * 1e-9
    previous = cheapest(previous_f)
    for i in range(1, steps + 1):
        f = max_factor * i / steps
        current = cheapest(f)
        if current != previous:
            low, high = previous_f, f
            for _ in range(60):
                mid = (low + high) / 2
                if cheapest(mid) == previous:
                    low = mid
                else:
                    high = mid
            winner = cheapest(high)
            if winner is not None:
                points.append(BreakEven(high, high * base, winner))
        previous_f, previous = f, current
    return tuple(points)
