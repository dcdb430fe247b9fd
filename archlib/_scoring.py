"""Scoring: multi-attribute value functions, weights, the weighted sum, Pareto and ranking.

Method (also in the README, "Scoring"): multi-attribute value theory (MAVT; Keeney & Raiffa
1976; Belton & Stewart 2002, ch. 5). Each criterion declares a *global* value scale with
fixed anchors, so an option's value on a criterion, in [0, 1] with 1 best, depends only on
its own raw value (and the decision's parameters), never on which other options are present
or feasible: local (min-max) scales cause rank reversal, fixed scales cannot. The scales:

- :class:`JudgementScale`: the fixed 1-5 judgement scale, ``(x - 1) / 4`` to maximise,
  ``(5 - x) / 4`` to minimise;
- :class:`CostScale`: ``M / (M + c)`` for a monthly cost ``c`` in USD and a declared
  materiality ``M`` (the cost at which value halves): $0 vs $15 at M = $100 differ by 0.13,
  $10,000 vs $10,015 by about 1e-5;
- :class:`SatisficingScale`: ``(h - 1) / (enough - 1)`` clamped to [0, 1] for a capacity
  headroom ``h`` (a multiple of the requirement): enough is enough;
- :class:`LinearScale`: linear between a declared best and worst anchor, clamped.

An unknown value (``None``) scores 0. Values are quantised to 1e-10 (so costs equal up to
float noise compare equal). An option's score is ``100 * sum(w_c * v_c)`` with weights
normalised to sum 1. Pareto: an option is dominated when another ranked option is no worse
on every value and better on one. Ranking: higher score first; scores within 1e-9 tie, and a
tie goes to the better value on the first declared criterion (cost in every decision), then
the next, then the option id; so a dominated option never ranks above the option that
dominates it, and the order of two options never depends on a third.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ._errors import InputError

if TYPE_CHECKING:
    from ._model import Criterion

__all__ = [
    "JUDGEMENT_REASON",
    "QUANTUM",
    "TIE",
    "CostScale",
    "JudgementScale",
    "LinearScale",
    "SatisficingScale",
    "ScaleSpec",
    "ScoreTable",
    "ValueScale",
    "dominated_by",
    "rank",
    "resolve_scales",
    "resolve_weights",
    "score",
]

#: Scores within this of each other tie (then the tie-break rule decides).
TIE = 1e-9
#: Why a judgement criterion uses :class:`JudgementScale` (the reason decisions declare).
JUDGEMENT_REASON = "a judgement on the fixed 1-5 scale: 1 and 5 mean the same in every evaluation"
#: Values are rounded to this before scoring, Pareto and tie-breaks, so float noise in a sum
#: of cost items never makes two equal costs differ.
QUANTUM = 1e-10
_DIGITS = 10  # round(v, _DIGITS): the quantum as decimal digits


def _clamp(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class ValueScale(Protocol):
    """A value function: a raw criterion value to [0, 1] (1 best), on fixed anchors."""

    def value(self, x: float, direction: str) -> float: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class JudgementScale:
    """The fixed judgement scale ``low``..``high`` (1-5): linear, best end = 1."""

    low: float = 1.0
    high: float = 5.0

    def value(self, x: float, direction: str) -> float:
        span = self.high - self.low
        share = (x - self.low) / span if direction == "maximise" else (self.high - x) / span
        return _clamp(share)

    def describe(self) -> str:
        return f"fixed {self.low:g}-{self.high:g} judgement scale, linear"


@dataclass(frozen=True, slots=True)
class CostScale:
    """``v(c) = M / (M + c)`` for a monthly cost ``c`` in USD: 1 at $0, 0.5 at the
    materiality ``M``, approaching 0 as the cost grows; a difference of ``d`` dollars counts
    for about ``M d / (M + c)^2``, so the same gap matters less on a larger bill."""

    materiality_usd: float

    def __post_init__(self) -> None:
        if not (self.materiality_usd > 0 and math.isfinite(self.materiality_usd)):
            raise ValueError("materiality must be a finite number > 0")

    def value(self, x: float, direction: str) -> float:
        return self.materiality_usd / (self.materiality_usd + max(x, 0.0))

    def describe(self) -> str:
        return f"M / (M + cost) with materiality M = ${self.materiality_usd:,.0f}/month"


@dataclass(frozen=True, slots=True)
class SatisficingScale:
    """Headroom ``h`` (a multiple of the requirement): 0 at or below ``minimum`` (1x, just
    enough), rising linearly to 1 at ``enough``, flat above: more than enough is not better."""

    enough: float = 2.0
    minimum: float = 1.0

    def __post_init__(self) -> None:
        if not self.enough > self.minimum:
            raise ValueError("enough must be above minimum")

    def value(self, x: float, direction: str) -> float:
        return _clamp((x - self.minimum) / (self.enough - self.minimum))

    def describe(self) -> str:
        return (f"satisficing: 0 at {self.minimum:g}x, 1 from {self.enough:g}x up "
                "(more than enough counts the same)")


@dataclass(frozen=True, slots=True)
class LinearScale:
    """Linear between the ``best`` anchor (1) and the ``worst`` anchor (0), clamped. Anchors
    are declared by the decision (they may depend on its parameters, never on other
    options)."""

    best: float
    worst: float

    def __post_init__(self) -> None:
        if self.best == self.worst:
            raise ValueError("best and worst anchors must differ")

    def value(self, x: float, direction: str) -> float:
        return _clamp((x - self.worst) / (self.best - self.worst))

    def describe(self) -> str:
        return f"linear from {self.worst:g} (0) to {self.best:g} (1)"


#: A scale, or a function of the decision's parameters that returns one (anchors that
#: depend on the parameters, e.g. an RTO target).
ScaleSpec = ValueScale | Callable[[Any], ValueScale]


def resolve_scales(criteria: Sequence[Criterion], params: Any = None) -> dict[str, ValueScale]:
    """Each criterion's value scale for these parameters. ``params.cost_materiality_usd``,
    when set, replaces the materiality of every :class:`CostScale`."""
    materiality = getattr(params, "cost_materiality_usd", None)
    scales: dict[str, ValueScale] = {}
    for criterion in criteria:
        spec = criterion.scale
        scale: ValueScale = spec if not callable(spec) else spec(params)
        if isinstance(scale, CostScale) and materiality is not None:
            scale = CostScale(float(materiality))
        scales[criterion.id] = scale
    return scales


def resolve_weights(
    criteria: Sequence[Criterion], overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Default weights with ``overrides`` applied, normalised to sum 1. The overrides are a
    validated ``weights`` (each a known criterion, from 0 to ``MAX_WEIGHT``: checked once, by
    the parameters model and ``Decision.parse``); only their sum is checked here, since only
    here do they meet the defaults."""
    overrides = dict(overrides or {})
    raw = {c.id: float(overrides.get(c.id, c.default_weight)) for c in criteria}
    total = math.fsum(raw.values())  # the same on every Python version
    if total <= 0:
        raise InputError("at least one weight must be greater than 0", field="weights")
    return {k: v / total for k, v in raw.items()}


def criterion_score(scale: ValueScale, x: float | None, direction: str) -> float:
    """One value on one scale, quantised; an unknown value (None) scores 0."""
    if x is None:
        return 0.0
    return round(scale.value(float(x), direction), _DIGITS)


@dataclass(frozen=True, slots=True)
class ScoreTable:
    criteria: tuple[str, ...]  # criterion ids in declared order
    normalised: Mapping[str, Mapping[str, float]]  # option -> criterion -> value in [0, 1]
    contributions: Mapping[str, Mapping[str, float]]  # option -> criterion -> points
    scores: Mapping[str, float]  # option -> 0..100

    def values(self, option_id: str) -> tuple[float, ...]:
        return tuple(self.normalised[option_id][c] for c in self.criteria)

    def ranking(self) -> list[str]:
        return rank(self.scores, {o: self.values(o) for o in self.scores})

    def dominated_by(self) -> dict[str, tuple[str, ...]]:
        return dominated_by({o: self.values(o) for o in self.scores})


def score(
    matrix: Mapping[str, Mapping[str, float | None]],
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    scales: Mapping[str, ValueScale] | None = None,
) -> ScoreTable:
    """Score each option in ``matrix`` (option -> criterion -> raw value) on its own: every
    value through its criterion's scale (``scales``, default: the criteria's own for no
    parameters), weighted and summed."""
    scales = dict(scales) if scales is not None else resolve_scales(criteria)
    option_ids = sorted(matrix)
    normalised = {
        o: {c.id: criterion_score(scales[c.id], matrix[o][c.id], c.direction) for c in criteria}
        for o in option_ids
    }
    contributions = {
        o: {c.id: 100.0 * weights[c.id] * normalised[o][c.id] for c in criteria}
        for o in option_ids
    }
    scores = {o: math.fsum(contributions[o].values()) for o in option_ids}
    return ScoreTable(tuple(c.id for c in criteria), normalised, contributions, scores)


def dominated_by(values: Mapping[str, Sequence[float]]) -> dict[str, tuple[str, ...]]:
    """Option -> the options (id order) that dominate it: no worse on every value, better on
    at least one."""
    ids = sorted(values)
    found: dict[str, tuple[str, ...]] = {}
    for option in ids:
        mine = values[option]
        found[option] = tuple(
            other for other in ids
            if other != option
            and all(a >= b for a, b in zip(values[other], mine, strict=True))
            and any(a > b for a, b in zip(values[other], mine, strict=True))
        )
    return found


def rank(scores: Mapping[str, float], values: Mapping[str, Sequence[float]]) -> list[str]:
    """Best first: higher score; scores within 1e-9 of the best of their group tie, and a tie
    goes to the better value on the first criterion (``values[o]`` in declared order), then
    the next, then the option id."""
    by_score = sorted(scores, key=lambda o: (-scores[o], o))
    groups: list[list[str]] = []
    for option_id in by_score:
        if groups and scores[groups[-1][0]] - scores[option_id] <= TIE:
            groups[-1].append(option_id)
        else:
            groups.append([option_id])

    def tie_break(option_id: str) -> tuple[tuple[float, ...], str]:
        return (tuple(-v for v in values[option_id]), option_id)

    return [o for group in groups for o in sorted(group, key=tie_break)]
