"""evaluate(): parameters -> rules and costs -> scores -> an Evaluation. Pure but for the
price table, which :mod:`archlib._prices` reads."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import _sources
from ._decision import Decision, criterion_value, monthly_total
from ._errors import InputError
from ._extras import ExtraOutput, declared_outputs
from ._model import (
    Action,
    Assumption,
    DecisionParams,
    Judgement,
    OptionResult,
    Placement,
    Violation,
    field_bounds,
)
from ._money import bill, exact_total
from ._prices import PriceTable, Tier, load_prices
from ._requirements import requirements_matrix
from ._robustness import (
    DEFAULT_CONCENTRATION,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    FlipMargin,
    PriceBreakEven,
    Robustness,
    RobustnessSettings,
    VolumeBreakEven,
    cheapest_changes,
    cost_value_crossings,
    flip_margin,
    rank_acceptability,
    shared_sample_weights,
    tie_priority,
    win_shares,
)
from ._scoring import (
    CostScale,
    ScoreTable,
    ValueScale,
    resolve_scales,
    resolve_weights,
    score,
)
from ._sources import Source
from ._verdict import Firmness, Level, Verdict, judge, judge_level, nearest_price_factor

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BREAK_EVEN_RANGE",
    "PRICE_BREAK_EVEN_RANGE",
    "BreakEven",
    "Evaluation",
    "PriceLoader",
    "assess_robustness",
    "break_even_points",
    "cost_at_scale",
    "evaluate",
    "evaluate_priced",
    "firmness",
    "price_break_even",
    "total_volume",
    "volume_break_even",
    "with_price",
]

#: Break-even volumes are searched from 0 to this many times the scenario's value of each
#: volume parameter (capped at the parameter's upper bound).
BREAK_EVEN_RANGE = 100.0
#: Price break-evens are searched from 0 to this many times each price's assumed value.
PRICE_BREAK_EVEN_RANGE = 100.0


@dataclass(frozen=True)
class Evaluation:
    """The result of one decision for one set of parameters. Frozen and deterministic.

    ``to_dict()`` is the JSON contract; the object also carries the intermediate numbers
    (weights, value scales, value-scale values, contributions) the views draw.
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
    scales: Mapping[str, ValueScale] = field(default_factory=dict)
    prices_used: frozenset[str] = frozenset()

    @cached_property
    def robustness(self) -> Robustness:
        """Rank acceptability, flip margins, break-even volumes and prices: computed on
        first use (milliseconds), then kept."""
        return assess_robustness(self)

    @cached_property
    def verdict(self) -> Verdict | None:
        """``clear``, ``leaning`` or ``too-close-to-call`` (None: no option is ranked), from
        the thresholds in :mod:`archlib._verdict`; computes the robustness when needed."""
        volumes = {n: float(getattr(self.params, n))
                   for n in self.decision.volumes(self.params)}
        dominated, tied = self._pareto()
        titles = {o.id: o.title for o in self.options}
        return judge(self.ranking, dominated, lambda: self.robustness, volumes, tied, titles)

    @cached_property
    def verdict_level(self) -> Level | None:
        """``verdict.level``, computed only as far as the level needs (:func:`firmness`: no
        volume break-evens, no rank acceptability beyond first place): a fleet review's
        column. The same value as ``verdict.level`` (None: no option is ranked)."""
        if "verdict" in self.__dict__:  # already judged in full
            return None if self.verdict is None else self.verdict.level
        dominated, tied = self._pareto()
        return judge_level(self.ranking, dominated, lambda: (
            firmness(self) if "robustness" in self.__dict__ else _FirmnessByNeed(self)), tied)

    def _pareto(self) -> tuple[dict[str, tuple[str, ...]], list[str]]:
        """Which options dominate each option, and the ranked options with the same value
        as the first on every criterion."""
        dominated = {o.id: o.dominated_by for o in self.options}
        values = {o.id: dict(o.normalised) for o in self.options}
        tied = [o for o in self.ranking[1:] if values[o] == values[self.ranking[0]]]
        return dominated, tied

    @property
    def extra_outputs(self) -> tuple[ExtraOutput, ...]:
        """The sections beyond the standard ones: the placements (when the decision has a
        placement model or there are any), then the decision's own ``extra_outputs``; a view
        leaves out one with nothing to show."""
        placed = self.decision.placements is not None or bool(self.placements)
        return declared_outputs(self.decision, placements=placed)

    @property
    def excluded(self) -> tuple[str, ...]:
        """Options excluded by you, in the decision's order."""
        return tuple(o.id for o in self.options if o.excluded)

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
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
            "requirements": [row.to_dict() for row in requirements_matrix(self)],
        }

    def to_frame(self) -> pd.DataFrame:
        """The option table as a pandas DataFrame, one row per option (index: option id) to
        filter, pivot and export; columns in :func:`archlib.fleet.option_frame`."""
        from .fleet import option_frame  # pandas loads only when a frame is asked for

        return option_frame(self)

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
    exclude: Iterable[str] = (),
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
    uniform: bool = False,
) -> Evaluation:
    """``exclude``: option ids excluded by you (added to the parameters' ``exclude``); they
    are not scored or ranked. ``samples``, ``seed``, ``concentration`` and ``uniform`` set
    how the robustness analysis samples weights (see :mod:`archlib._robustness`)."""
    settings = RobustnessSettings.checked(samples, seed, concentration, uniform, where=where)
    return evaluate_priced(decision, params, load_prices, prices=prices, where=where,
                           exclude=exclude, settings=settings)


#: How :func:`evaluate_priced` gets a Region's price table with a scenario's overrides:
#: :func:`archlib._prices.load_prices`, or a batch's cache in front of it.
PriceLoader = Callable[[str, Mapping[str, Any] | None], PriceTable]


def evaluate_priced(
    decision: Decision[Any],
    params: Mapping[str, Any] | DecisionParams | None,
    price_loader: PriceLoader,
    *,
    prices: Mapping[str, Any] | None = None,
    where: str = "",
    exclude: Iterable[str] = (),
    settings: RobustnessSettings | None = None,
) -> Evaluation:
    """:func:`evaluate` with the price table from ``price_loader(region, prices)`` (a batch
    passes a cache of :func:`~archlib._prices.load_prices`: one table per Region and
    overrides, not one per row); ``settings``: the default robustness settings if None."""
    model = decision.parse(params, where=where)
    model = decision.excluding(model, list(dict.fromkeys(exclude)), where=where)
    try:
        table = price_loader(decision.region(model), prices)
    except InputError as error:
        raise error.located(where) from None
    return _evaluate(decision, model, table, dict(prices or {}),
                     settings or RobustnessSettings(), where)


@dataclass(frozen=True)
class _Ranked:
    """The part of an evaluation that decides the ranking: costs, rules, scores."""

    tracked: PriceTable
    breakdowns: Mapping[str, Mapping[str, float | None]]
    monthly: Mapping[str, float | None]
    values: Mapping[str, Mapping[str, Any]]
    fired: Mapping[str, tuple[Violation, ...]]
    excluded: frozenset[str]
    scores: ScoreTable
    ranking: tuple[str, ...]


def _rank(decision: Decision[Any], model: DecisionParams, table: PriceTable,
          weights: Mapping[str, float], scales: Mapping[str, ValueScale],
          where: str = "") -> _Ranked:
    """The costs, rules and scores of :func:`_evaluate`, up to its ranking: all that a
    price break-even's check needs (:meth:`_PriceLine.evaluated_winner`)."""
    tracked = table.tracking()
    try:
        breakdowns = decision.cost(model, tracked)
    except InputError as error:  # a price missing for a Region without a price file
        raise error.located(where) from None
    monthly = {o.id: monthly_total(breakdowns[o.id]) for o in decision.options}
    _check_finite(breakdowns, monthly, where)
    # Scores read the continuous cost (items unrounded, added with fsum), as the volume and
    # price break-evens do; the bill (items to the cent, their sum) is what views show.
    continuous = {o.id: exact_total(breakdowns[o.id].values()) for o in decision.options}
    values = decision.criteria_values(model, continuous)

    fired: dict[str, tuple[Violation, ...]] = {}
    for option in decision.options:
        fired[option.id] = tuple(
            v for r in decision.rules if (v := r.fire(model, option.id)) is not None
        )
    excluded = frozenset(model.exclude)
    ranked = [o.id for o in decision.options if not fired[o.id] and o.id not in excluded]
    matrix = {o: {c.id: criterion_value(values[o][c.id]) for c in decision.criteria}
              for o in ranked}
    table_scores = score(matrix, decision.criteria, weights, scales)
    return _Ranked(tracked, breakdowns, monthly, values, fired, excluded, table_scores,
                   tuple(table_scores.ranking()))


def _evaluate(decision: Decision[Any], model: DecisionParams, table: PriceTable,
              price_overrides: Mapping[str, Any], settings: RobustnessSettings,
              where: str = "") -> Evaluation:
    """:func:`evaluate` on parsed parameters and a price table."""
    weights = resolve_weights(decision.criteria, model.weights)
    scales = resolve_scales(decision.criteria, model)
    ranked = _rank(decision, model, table, weights, scales, where)
    tracked, breakdowns, monthly = ranked.tracked, ranked.breakdowns, ranked.monthly
    values, fired, excluded = ranked.values, ranked.fired, ranked.excluded
    table_scores, ranking = ranked.scores, ranked.ranking
    warned = {option.id: tuple(v for r in decision.warnings
                               if (v := r.fire(model, option.id)) is not None)
              for option in decision.options}
    dominated = table_scores.dominated_by()

    results = tuple(
        OptionResult(
            id=o.id,
            title=o.title,
            summary=o.summary,
            feasible=not fired[o.id],
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
            excluded=o.id in excluded,
            dominated_by=dominated.get(o.id, ()),
        )
        for o in decision.options
    )
    actions = decision.actions(model, ranking[0]) if ranking else ()
    placements = decision.placements(model, tracked) if decision.placements else ()
    used = tracked.used()
    assumptions = (_common_assumptions(decision, table, weights, scales, used)
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
        price_overrides=dict(price_overrides),
        robustness_settings=settings,
        scales=scales,
        prices_used=used,
    )


def _common_assumptions(
    decision: Decision[Any],
    table: PriceTable,
    weights: Mapping[str, float],
    scales: Mapping[str, ValueScale],
    used: frozenset[str],
) -> tuple[Assumption, ...]:
    shown = ", ".join(f"{c.title} {weights[c.id]:.2f}" for c in decision.criteria)
    scaled = "; ".join(f"{c.title}: {scales[c.id].describe()}" for c in decision.criteria)
    items = [
        Assumption(
            "hours-per-month",
            f"Hourly prices are multiplied by {table.hours_per_month:g} hours per month.",
            "aws-pricing-calculator-hours",
        ),
        Assumption(
            "prices",
            f"Prices for {table.region} as of {table.as_of}, by precedence: scenario overrides "
            f"(below), then {table.provenance or 'the price file'}.",
            "archlib-override" if table.as_of == "scenario" else "archlib-prices",
        ),
        Assumption("weights", f"Criteria weights (normalised to sum 1): {shown}.",
                   "archlib-scoring"),
        Assumption("additive-value", "Score = 100 x the weighted sum of the criteria's "
                   "values (the additive value model); a dominated option is never "
                   "recommended.", "keeney-raiffa-1976"),
        Assumption("value-scales", f"Value scales (each option scored on its own, fixed "
                   f"anchors): {scaled}.", "belton-stewart-2002"),
    ]
    if table.age_warning:
        items.append(Assumption("prices-age", table.age_warning, "archlib-prices",
                                unverified=True))
    if any(table.items[i].origin == "cache" for i in used if i in table.items):
        items.append(Assumption(
            "prices-price-list", "Prices marked from the AWS Price List were read from the "
            "Region's offer files (`archlib prices show` lists each SKU and offer URL).",
            "aws-price-list"))
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
    high = field_bounds(type(params).model_fields[name].metadata)[2]
    return float("inf") if high is None else high


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


def with_price(table: PriceTable, item: str, value: float) -> PriceTable:
    """``table`` with price ``item`` at ``value``; a tiered price's tiers scale with it (so
    the cost stays linear in the price)."""
    price = table[item]
    ratio = value / price.value if price.value else 0.0
    tiers = tuple(Tier(t.up_to_gb, t.usd_per_gb * ratio) for t in price.tiers) \
        if price.value else ()
    return replace(table, items={**table.items, item: replace(price, value=value, tiers=tiers)})


def _sensitive_prices(evaluation: Evaluation) -> list[str]:
    """Unverified and overridden price items the costs read, in id order."""
    table = evaluation.prices
    items = {p.id for p in table.unverified()} | {p.id for p in table.overridden()}
    return sorted(items & evaluation.prices_used)


class _PriceLine:
    """Every ranked option's monthly cost as ``a + b * price`` for one price item, checked
    at a third price; the winner at any price scored exactly as :func:`evaluate` scores."""

    def __init__(self, evaluation: Evaluation, item: str) -> None:
        self.evaluation, self.item = evaluation, item
        self.assumed = evaluation.prices[item].value
        decision, params = evaluation.decision, evaluation.params
        probe = self.assumed if self.assumed > 0 else 1.0

        def monthly(price: float) -> dict[str, float | None]:
            breakdowns = decision.cost(params, with_price(evaluation.prices, item, price))
            return {o.id: exact_total(breakdowns[o.id].values()) for o in decision.options}

        at_zero, at_probe, at_double = monthly(0.0), monthly(probe), monthly(2.0 * probe)
        self.lines: dict[str, tuple[float, float]] = {}
        self.linear = True
        for option in decision.option_ids:
            a, c, d = at_zero[option], at_probe[option], at_double[option]
            if a is None or c is None or d is None:
                self.lines[option] = (math.inf, 0.0)
                continue
            b = (c - a) / probe
            self.lines[option] = (a, b)
            if abs(d - (a + 2.0 * b * probe)) > 1e-9 * (1.0 + abs(d)):
                self.linear = False
        self.others = {o: evaluation.option(o).monthly_cost_usd
                       for o in decision.option_ids}

    @property
    def matters(self) -> bool:
        """Some ranked option's cost depends on the price."""
        return any(self.lines[o][1] != 0.0 for o in self.evaluation.ranking)

    def winner(self, price: float) -> str | None:
        ev = self.evaluation
        monthly: dict[str, float | None] = dict(self.others)
        for option in ev.ranking:
            a, b = self.lines[option]
            monthly[option] = None if math.isinf(a) else a + b * price
        values = ev.decision.criteria_values(ev.params, monthly)
        matrix = {o: {c.id: criterion_value(values[o][c.id]) for c in ev.decision.criteria}
                  for o in ev.ranking}
        ranking = score(matrix, ev.decision.criteria, ev.weights, ev.scales).ranking()
        return ranking[0] if ranking else None

    def evaluated_winner(self, price: float) -> str | None:
        """The recommendation of a full evaluation at this price (the check): the options
        ranked as :func:`_evaluate` ranks them, nothing else built."""
        ev = self.evaluation
        ranking = _rank(ev.decision, ev.params, with_price(ev.prices, self.item, price),
                        ev.weights, ev.scales).ranking
        return ranking[0] if ranking else None

    def crossings(self) -> list[float] | None:
        """Every price where two ranked options' scores cross (None: no closed form, the
        cost is not linear in the price or no criterion is a cost on a CostScale)."""
        ev = self.evaluation
        costs = [c for c in ev.decision.criteria if isinstance(ev.scales[c.id], CostScale)]
        if not self.linear or len(costs) != 1:
            return None
        (cost,) = costs
        scale = ev.scales[cost.id]
        assert isinstance(scale, CostScale)
        points = 100.0 * ev.weights[cost.id]
        rest = {o: ev.option(o).score or 0.0 for o in ev.ranking}
        rest = {o: rest[o] - ev.option(o).contributions[cost.id] for o in ev.ranking}
        found: list[float] = []
        for i, first in enumerate(ev.ranking):
            for second in ev.ranking[i + 1:]:
                found += cost_value_crossings((rest[first], 0.0), self.lines[first],
                                              (rest[second], 0.0), self.lines[second],
                                              points, scale.materiality_usd)
        return sorted(found)


def _bracket(line: _PriceLine, start: float, end: float, winner: str | None,
             ) -> tuple[float, str | None] | None:
    """The first change of the evaluated recommendation from ``start`` towards ``end``:
    scanned on 64 geometric steps, then bisected (for costs without a closed form)."""
    steps = 64
    previous = start
    for k in range(1, steps + 1):
        here = start + (end - start) * (k / steps) ** 2
        found = line.evaluated_winner(here)
        if found != winner:
            low, high = previous, here
            for _ in range(50):
                middle = (low + high) / 2.0
                if line.evaluated_winner(middle) == winner:
                    low = middle
                else:
                    high = middle
            return high, line.evaluated_winner(high)
        previous = here
    return None


def price_break_even(evaluation: Evaluation) -> tuple[PriceBreakEven, ...]:
    """For each unverified or overridden price that a ranked option's cost depends on: the
    nearest prices above and below the assumed one (searched from 0 to
    ``PRICE_BREAK_EVEN_RANGE`` times it) at which the recommendation changes. Solved in
    closed form from costs linear in the price (checked at three prices), each crossing
    verified by a full evaluation just beyond it; bracketing when there is no closed form or
    a check fails."""
    recommended = evaluation.recommended
    if recommended is None or len(evaluation.ranking) < 2:
        return ()
    found: list[PriceBreakEven] = []
    for item in _sensitive_prices(evaluation):
        line = _PriceLine(evaluation, item)
        if not line.matters or line.assumed <= 0:
            continue
        assumed = line.assumed
        crossings = line.crossings()
        for end in (0.0, PRICE_BREAK_EVEN_RANGE * assumed):
            away = 1.0 if end > assumed else -1.0
            result: PriceBreakEven | None = None
            exact = crossings is not None
            if crossings is not None:
                ahead = sorted((c for c in crossings if away * (c - assumed) > 0
                                and min(assumed, end) <= c <= max(assumed, end)),
                               key=lambda c: away * (c - assumed))
                for crossing in ahead:
                    beyond = crossing * (1.0 + away * 1e-6)
                    winner = line.winner(beyond)
                    if winner == recommended:
                        continue
                    if line.evaluated_winner(beyond) == winner:
                        result = PriceBreakEven(item, assumed, crossing, winner)
                    else:
                        exact = False
                    break
            if not exact:
                bracketed = _bracket(line, assumed, end, recommended)
                if bracketed is not None:
                    result = PriceBreakEven(item, assumed, bracketed[0], bracketed[1],
                                            exact=False)
            if result is not None:
                found.append(result)
    return tuple(sorted(found, key=lambda b: (b.item, b.value)))


@dataclass(frozen=True)
class _ValueMatrix:
    """What robustness is computed from: the ranked options in id order (equal scores keep
    it, as rank() sorts them), their value-scale values (options x criteria), the weights
    and each option's place in the tie rule."""

    criteria: list[str]
    ids: list[str]
    normalised: Any  # FloatArray
    weights: Any  # FloatArray
    priority: Any  # IntArray

    @classmethod
    def of(cls, evaluation: Evaluation) -> _ValueMatrix:
        import numpy as np  # on first use only: evaluations that never ask do not import it

        criteria = [c.id for c in evaluation.decision.criteria]
        ids = sorted(evaluation.ranking)
        results = [evaluation.option(o) for o in ids]
        normalised = np.array([[r.normalised[c] for c in criteria] for r in results],
                              dtype=np.float64).reshape(len(ids), len(criteria))
        weights = np.array([evaluation.weights[c] for c in criteria], dtype=np.float64)
        priority = tie_priority(ids, {r.id: tuple(r.normalised[c] for c in criteria)
                                      for r in results})
        return cls(criteria, ids, normalised, weights, priority)

    def flip(self, k: int) -> tuple[float, int] | None:
        return flip_margin(self.normalised, self.weights, k, self.priority)


def firmness(evaluation: Evaluation) -> Firmness:
    """What the verdict's level is judged on, computed from the same numbers as
    :func:`assess_robustness` and equal to what the full robustness gives (the first-place
    share through :func:`~archlib._robustness.win_shares`; every flip margin; the price
    break-evens), without the volume break-evens and the other ranks' shares. For an
    evaluation with at least two ranked options."""
    if "robustness" in evaluation.__dict__:  # already computed in full
        full: Robustness = evaluation.__dict__["robustness"]
        best = evaluation.ranking[0]
        closest = full.closest_flip()
        return Firmness(full.win_probability[best],
                        None if closest is None or closest.delta is None
                        else abs(closest.delta),
                        nearest_price_factor(full.price_break_even, best))
    needed = _FirmnessByNeed(evaluation)
    return Firmness(needed.share, needed.flip, needed.nearest_price)


class _FirmnessByNeed:
    """:func:`firmness` of one evaluation, each of its three numbers computed when
    :func:`~archlib._verdict.level_of` first reads it: it reads the share first and needs
    neither the flip margins nor the price break-evens of a share below ``CLOSE_SHARE`` (a
    fleet review's too-close rows), nor the price break-evens of a flip below
    ``CLOSE_FLIP``. :func:`firmness` reads all three."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation

    @cached_property
    def matrix(self) -> _ValueMatrix:
        return _ValueMatrix.of(self.evaluation)

    @cached_property
    def share(self) -> float:
        ev, matrix = self.evaluation, self.matrix
        shares = win_shares(matrix.normalised,
                            shared_sample_weights(matrix.weights, ev.robustness_settings),
                            matrix.priority)
        return float(shares[matrix.ids.index(ev.ranking[0])])

    @cached_property
    def flip(self) -> float | None:
        matrix = self.matrix
        flips = [abs(float(flip[0])) for k in range(len(matrix.criteria))
                 if (flip := matrix.flip(k)) is not None]
        return min(flips, default=None)

    @cached_property
    def nearest_price(self) -> float:
        ev = self.evaluation
        return nearest_price_factor(price_break_even(ev), ev.ranking[0])


def assess_robustness(evaluation: Evaluation) -> Robustness:
    """The robustness of ``evaluation``'s recommendation (see :mod:`archlib._robustness`):
    scored from the value-scale matrix the point result was scored from, ties broken by
    the same rule."""
    import numpy as np

    settings = evaluation.robustness_settings
    matrix = _ValueMatrix.of(evaluation)
    criteria, ids = matrix.criteria, matrix.ids
    normalised, weights, priority = matrix.normalised, matrix.weights, matrix.priority

    shares = rank_acceptability(normalised, shared_sample_weights(weights, settings),
                                priority)
    positions = np.arange(1, len(ids) + 1, dtype=np.float64)
    acceptability = {o: tuple(float(v) for v in shares[i]) for i, o in enumerate(ids)}
    mean_rank = {o: float(shares[i] @ positions) for i, o in enumerate(ids)}

    margins: list[FlipMargin] = []
    if ids:
        for k, criterion in enumerate(criteria):
            flip = matrix.flip(k)
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
        price_break_even=price_break_even(evaluation),
    )
