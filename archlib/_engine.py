"""evaluate(): parameters -> rules and costs -> scores -> an Evaluation. Pure but for the
price table, which :mod:`archlib._prices` reads."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import _sources
from ._decision import Decision, criterion_value, monthly_total
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
from ._money import bill, exact_total
from ._prices import PriceTable, load_prices
from ._robustness import (
    DEFAULT_CONCENTRATION,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    FlipMargin,
    Robustness,
    RobustnessSettings,
    VolumeBreakEven,
    cheapest_changes,
    flip_margin,
    rank_acceptability,
    sample_weights,
    tie_priority,
)
from ._scoring import rank, resolve_weights, score
from ._sources import Source

__all__ = [
    "BREAK_EVEN_RANGE",
    "BreakEven",
    "Evaluation",
    "assess_robustness",
    "break_even_points",
    "cost_at_scale",
    "evaluate",
]

#: Break-even volumes are searched from 0 to this many times the scenario's value of each
#: volume parameter (capped at the parameter's upper bound).
BREAK_EVEN_RANGE = 100.0


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
    robustness_settings: RobustnessSettings = field(default_factory=RobustnessSettings)

    @cached_property
    def robustness(self) -> Robustness:
        """Rank acceptability, flip margins and break-even volumes: computed on first use
        (a few milliseconds), then kept."""
        return assess_robustness(self)

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
            "robustness": self.robustness.to_dict(),
        }

    def _repr_html_(self) -> str:
        from .views import evaluation_html  # views import plotly-free HTML helpers only

        return evaluation_html(self)


def _check_finite(breakdowns: Mapping[str, Mapping[str, float | None]],
                  monthly: Mapping[str, float | None], where: str) -> None:
    """Bounded inputs keep every cost finite; should one still overflow, it is an input
    error, never an ``inf`` or ``NaN`` in a report (issue 21, D10)."""
    for option_id, items in breakdowns.items():
        for item, usd in [*items.items(), ("monthly total", monthly.get(option_id))]:
            if usd is not None and not math.isfinite(usd):
                raise InputError(f"the cost of {option_id} ({item}) is not a finite number: "
                                 "lower the volumes or prices", where=where, field="prices")


def evaluate(
    decision: Decision[Any],
    params: Mapping[str, Any] | DecisionParams | None = None,
    *,
    prices: Mapping[str, Any] | None = None,
    where: str = "",
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    uniform: bool = False,
) -> Evaluation:
    """``samples``, ``seed``, ``concentration`` and ``uniform`` set how the robustness
    analysis samples weights (see :mod:`archlib._robustness`)."""
    settings = RobustnessSettings.checked(samples, seed, concentration, uniform, where=where)
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
    monthly = {o.id: monthly_total(breakdowns[o.id]) for o in decision.options}
    _check_finite(breakdowns, monthly, where)
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
    matrix = {o: {c.id: criterion_value(values[o][c.id]) for c in decision.criteria}
              for o in feasible}
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
            cost_breakdown=bill(breakdowns[o.id]),  # what monthly_total added up
            criteria={c.id: criterion_value(values[o.id][c.id]) for c in decision.criteria},
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
        robustness_settings=settings,
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
    """Monthly cost per feasible option with every volume parameter multiplied by ``factor``:
    the continuous cost model, not rounded to the cent (see :mod:`archlib._money`)."""
    decision = evaluation.decision
    scaled = {
        name: getattr(evaluation.params, name) * factor
        for name in decision.volumes(evaluation.params)
    }
    params = evaluation.params.model_copy(update=scaled)
    breakdowns = decision.cost(params, evaluation.prices)
    return {o: exact_total(breakdowns[o].values()) for o in evaluation.ranking}


def total_volume(evaluation: Evaluation) -> float:
    params = evaluation.params
    return math.fsum(getattr(params, n) for n in evaluation.decision.volumes(params))


@dataclass(frozen=True, slots=True)
class BreakEven:
    factor: float  # multiple of the scenario's volumes
    volume_gb: float  # total monthly GB across the volume parameters at that factor
    cheaper_option: str  # cheapest feasible option just above this volume


def _priced(evaluation: Evaluation) -> list[str]:
    """Feasible options with a known monthly cost, in id order (cost ties go to the id)."""
    return sorted(o for o in evaluation.ranking
                  if evaluation.option(o).monthly_cost_usd is not None)


def break_even_points(evaluation: Evaluation, max_factor: float = 10.0) -> tuple[BreakEven, ...]:
    """Volumes (as multiples of the scenario's, every volume parameter scaled together, as
    the cost chart draws them) where the cheapest feasible option changes, from 0 to
    ``max_factor``: solved exactly from the piecewise-linear costs."""
    options = _priced(evaluation)
    if not evaluation.decision.volumes(evaluation.params) or len(options) < 2:
        return ()
    base = total_volume(evaluation)

    def costs(factor: float) -> list[float | None]:
        at = cost_at_scale(evaluation, factor)
        return [at[o] for o in options]

    return tuple(BreakEven(c.value, c.value * base, options[c.above])
                 for c in cheapest_changes(costs, 0.0, max_factor))


# --- robustness ------------------------------------------------------------------------------


def _upper_bound(params: DecisionParams, name: str) -> float:
    bound = float("inf")
    for item in type(params).model_fields[name].metadata:
        for attribute in ("le", "lt"):
            value = getattr(item, attribute, None)
            if value is not None:
                bound = min(bound, float(value))
    return bound


def volume_break_even(
    evaluation: Evaluation,
) -> tuple[tuple[VolumeBreakEven, ...], dict[str, tuple[float, float]]]:
    """Per volume parameter (the others as in the scenario): where the cheapest feasible
    option changes between 0 and ``BREAK_EVEN_RANGE`` times the scenario's value (or, for a
    parameter at 0, times the largest volume of the scenario), and the recommendation just
    beyond. Also returns the range searched per parameter."""
    decision, params = evaluation.decision, evaluation.params
    names = decision.volumes(params)
    options = _priced(evaluation)
    if not names or len(options) < 2:
        return (), {}
    scenario = {n: float(getattr(params, n)) for n in names}
    largest = max(scenario.values())
    found: list[VolumeBreakEven] = []
    ranges: dict[str, tuple[float, float]] = {}
    for name in names:
        high = min(BREAK_EVEN_RANGE * (scenario[name] or largest), _upper_bound(params, name))
        if not high > 0:
            continue
        ranges[name] = (0.0, high)

        def costs(value: float, name: str = name) -> list[float | None]:
            breakdowns = decision.cost(params.model_copy(update={name: value}),
                                       evaluation.prices)
            return [exact_total(breakdowns[o].values()) for o in options]

        for change in cheapest_changes(costs, 0.0, high):
            # Just beyond the crossing, where the new cheapest option is cheaper by a hair.
            beyond = params.model_copy(update={name: min(change.value * (1 + 1e-6), high)})
            recommended = evaluate(decision, beyond,
                                   prices=evaluation.price_overrides).recommended
            found.append(VolumeBreakEven(name, change.value, options[change.above],
                                         options[change.below], recommended))
    return tuple(found), ranges


def assess_robustness(evaluation: Evaluation) -> Robustness:
    """The robustness of ``evaluation``'s recommendation (see :mod:`archlib._robustness`):
    scored from the normalised matrix the point result was scored from."""
    import numpy as np  # on first use only: evaluations that never ask do not import it

    settings = evaluation.robustness_settings
    criteria = [c.id for c in evaluation.decision.criteria]
    ids = sorted(evaluation.ranking)  # id order: equal scores keep it, as rank() sorts them
    results = [evaluation.option(o) for o in ids]
    normalised = np.array([[r.normalised[c] for c in criteria] for r in results],
                          dtype=np.float64).reshape(len(ids), len(criteria))
    weights = np.array([evaluation.weights[c] for c in criteria], dtype=np.float64)
    priority = tie_priority(ids, {r.id: r.monthly_cost_usd for r in results})

    shares = rank_acceptability(normalised, sample_weights(weights, settings), priority)
    positions = np.arange(1, len(ids) + 1, dtype=np.float64)
    acceptability = {o: tuple(float(v) for v in shares[i]) for i, o in enumerate(ids)}
    mean_rank = {o: float(shares[i] @ positions) for i, o in enumerate(ids)}

    margins: list[FlipMargin] = []
    if ids:
        for k, criterion in enumerate(criteria):
            flip = flip_margin(normalised, weights, k, priority)
            margins.append(FlipMargin(criterion, float(weights[k]),
                                      None if flip is None else float(flip[0]),
                                      None if flip is None else ids[flip[1]]))
    break_even, ranges = volume_break_even(evaluation)
    return Robustness(
        settings=settings,
        options=tuple(evaluation.ranking),
        acceptability={o: acceptability[o] for o in evaluation.ranking},
        mean_rank={o: mean_rank[o] for o in evaluation.ranking},
        flip_margins=tuple(margins),
        break_even=break_even,
        break_even_ranges=ranges,
    )
