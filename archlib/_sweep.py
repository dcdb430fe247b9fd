"""A sweep: the engine's recommendation for every cell of a grid of parameters.

:func:`sweep` runs a decision over the product of some parameters' values (every other
parameter as given) and returns the preferred option and the runner-up per cell, scored
exactly as :func:`archlib._engine.evaluate` scores (the same rules, cost model, criteria
values, weights and value scales). A decision declares one as an extra output
(:class:`Sweep`, in ``Decision.extra_outputs``); QuickSight's reconstructed summary table is
one.

Cells that agree on the parameters the rules read (``rule_fields``), the cost model reads
(``cost_fields``) and the criteria values read besides the costs (``criteria_fields``) share
work; without those lists every cell is computed on its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ._decision import Decision, criterion_value
from ._errors import InputError
from ._model import DecisionParams
from ._money import exact_total
from ._prices import PriceTable, load_prices
from ._scoring import resolve_scales, resolve_weights, score

if TYPE_CHECKING:
    from ._engine import Evaluation

__all__ = ["Sweep", "SweepRow", "sweep"]


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One cell of a sweep: its axis names and values, the preferred option (None when no
    option is feasible), the runner-up, and every feasible option."""

    axes: tuple[str, ...]
    values: tuple[Any, ...]
    preferred: str | None
    runner_up: str | None
    feasible: tuple[str, ...]

    @property
    def cell(self) -> dict[str, Any]:
        return dict(zip(self.axes, self.values, strict=True))

    def value(self, name: str) -> Any:
        return self.values[self.axes.index(name)]


def _own_fields(model: type[DecisionParams]) -> tuple[str, ...]:
    """The decision's own parameters (the base's weights, exclude and materiality are no
    axes)."""
    return tuple(n for n in model.model_fields if n not in DecisionParams.model_fields)


def _getter(position: Mapping[str, int], names: Sequence[str]) -> Callable[[tuple[Any, ...]],
                                                                           tuple[Any, ...]]:
    """A function picking ``names`` out of a cell's value tuple, always as a tuple."""
    if not names:
        return lambda full: ()
    pick = itemgetter(*(position[n] for n in names))
    if len(names) == 1:
        return lambda full: (pick(full),)
    return pick


def sweep(
    decision: Decision[Any],
    params: Mapping[str, Any] | DecisionParams | None,
    axes: Mapping[str, Sequence[Any]],
    *,
    prices: PriceTable | Mapping[str, Any] | None = None,
    rule_fields: Sequence[str] | None = None,
    cost_fields: Sequence[str] | None = None,
    criteria_fields: Sequence[str] | None = None,
    where: str = "sweep",
) -> tuple[SweepRow, ...]:
    """The preferred option per cell of ``axes`` (parameter name -> values to try), every
    other parameter from ``params``. Cells are the product of the axes in the order given,
    the last axis varying fastest. Each axis value is validated once, so a bad one is an
    :class:`InputError` naming the axis; ``prices`` is a price table or the overrides of the
    Region's price file."""
    base = decision.parse(params, where=where)
    own = _own_fields(type(base))
    fixed = base.model_dump()
    checked: list[tuple[Any, ...]] = []
    for name, values in axes.items():
        if name not in own:
            raise InputError(f"unknown grid axis (known: {', '.join(own)})",
                             field=f"axes.{name}")
        if isinstance(values, str) or not isinstance(values, Sequence) or not values:
            raise InputError("an axis needs a non-empty list of values", field=f"axes.{name}")
        checked.append(tuple(
            getattr(decision.parse({**fixed, name: v}, where=f"{where} axis {name}"), name)
            for v in values))
    table = (prices if isinstance(prices, PriceTable)
             else load_prices(decision.region(base), prices))
    weights = resolve_weights(decision.criteria, base.weights)
    names = tuple(axes)
    constants = tuple(f for f in own if f not in axes)
    fixed_values = tuple(fixed[f] for f in constants)
    position = {f: i for i, f in enumerate(names + constants)}
    # Without declared field lists, a cell's every parameter is its key (no shared work).
    rules_read = tuple(rule_fields) if rule_fields is not None else own
    costs_read = tuple(cost_fields) if cost_fields is not None else own
    values_read = tuple(criteria_fields) if criteria_fields is not None else own
    rule_key_of = _getter(position, rules_read)
    cost_key_of = _getter(position, costs_read)
    values_key_of = _getter(position, values_read)
    option_ids = decision.option_ids
    excluded = set(base.exclude)

    def feasible_for(model: DecisionParams) -> tuple[str, ...]:
        blocked: set[str] = set()
        for rule in decision.rules:
            if rule.check(model) is not None:
                blocked.update(rule.options)
        return tuple(o for o in option_ids if o not in blocked and o not in excluded)

    feasible_by: dict[tuple[Any, ...], tuple[str, ...]] = {}
    monthly_by: dict[tuple[Any, ...], dict[str, float | None]] = {}
    top_by: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}
    rows: list[SweepRow] = []
    for combo in itertools.product(*checked):
        full = combo + fixed_values
        rule_key = rule_key_of(full)
        feasible = feasible_by.get(rule_key)
        if feasible is None:
            feasible = feasible_for(base.model_copy(update=dict(zip(rules_read, rule_key,
                                                                    strict=True))))
            feasible_by[rule_key] = feasible
        cost_key = cost_key_of(full)
        values_key = values_key_of(full)
        top = top_by.get((feasible, cost_key, values_key))
        if top is None:
            if not feasible:
                top = (None, None)
            else:
                monthly = monthly_by.get(cost_key)
                if monthly is None:
                    breakdowns = decision.cost(base.model_copy(update=dict(zip(
                        costs_read, cost_key, strict=True))), table)
                    # The continuous cost, as evaluate() scores it (not the rounded bill).
                    monthly = {o: exact_total(breakdowns[o].values()) for o in option_ids}
                    monthly_by[cost_key] = monthly
                model = base.model_copy(update=dict(zip(values_read, values_key, strict=True)))
                raw = decision.criteria_values(model, monthly)
                matrix = {o: {c: criterion_value(v) for c, v in raw[o].items()}
                          for o in feasible}
                scales = resolve_scales(decision.criteria, model)
                ranking = score(matrix, decision.criteria, weights, scales).ranking()
                top = (ranking[0], ranking[1] if len(ranking) > 1 else None)
            top_by[(feasible, cost_key, values_key)] = top
        rows.append(SweepRow(names, combo, top[0], top[1], feasible))
    return tuple(rows)


@dataclass(frozen=True)
class Sweep:
    """An extra output (``Decision.extra_outputs``): a grid of the preferred option over some
    parameters, drawn as a table by :func:`archlib.views.grid_html`.

    ``description`` says what the grid shows (its notebook section's text); ``conditions``
    are set on the evaluation's parameters before sweeping (the rest come from the
    scenario); ``column_axes`` go across the table, the other axes down the side;
    ``value_labels`` and ``axis_titles`` name values and axes; ``caption`` (a module-level
    function of the parameters) says what the grid holds; a cell matching ``highlight`` is
    marked with ``highlight_note_html``. ``rule_fields``, ``cost_fields`` and ``criteria_fields``
    let cells share work (see :func:`sweep`)."""

    id: str
    title: str
    axes: Mapping[str, tuple[Any, ...]]
    #: what the grid shows, above it in the notebook (Markdown, line breaks kept)
    description: str = ""
    conditions: Mapping[str, Any] = field(default_factory=dict)
    column_axes: tuple[str, ...] = ()
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    axis_titles: Mapping[str, str] = field(default_factory=dict)
    caption: Callable[[Any], str] | None = None
    highlight: Mapping[str, Any] = field(default_factory=dict)
    #: the highlighted cell's footnote, as HTML (the decision module's own text)
    highlight_note_html: str = ""
    rule_fields: tuple[str, ...] | None = None
    cost_fields: tuple[str, ...] | None = None
    criteria_fields: tuple[str, ...] | None = None

    def rows(self, decision: Decision[Any], params: DecisionParams,
             prices: PriceTable | Mapping[str, Any] | None = None) -> tuple[SweepRow, ...]:
        """The grid for these parameters, under :attr:`conditions`."""
        return sweep(decision, params.model_copy(update=dict(self.conditions)), self.axes,
                     prices=prices, rule_fields=self.rule_fields, cost_fields=self.cost_fields,
                     criteria_fields=self.criteria_fields, where=self.title)

    def label(self, name: str, value: Any) -> str:
        return self.value_labels.get(name, {}).get(value, f"{name} = {value}")

    def html(self, ev: Evaluation) -> str:
        """The grid as HTML for this evaluation (its parameters, prices and weights)."""
        from .views import grid_html

        caption = self.caption(ev.params) if self.caption is not None else ""
        titles = {o.id: o.title for o in ev.decision.options}
        return grid_html(self.rows(ev.decision, ev.params, ev.prices), self, titles,
                         caption=caption)

    def markdown(self, ev: Evaluation, text: Callable[[object], str],
                 cite: Callable[[str], str]) -> list[str]:
        """Nothing: a grid explores other parameters; a decision record keeps the choice made
        for these (the notebook and report show the grid)."""
        return []
