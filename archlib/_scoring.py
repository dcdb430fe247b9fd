"""Scoring: pure functions over a decision matrix.

Method (also in the README, "Scoring"): each criterion is min-max normalised across the
feasible options, so the best feasible value scores 1 and the worst 0 (a criterion on which
every feasible option is equal scores 1 for all, so it cannot decide anything). A criterion to
minimise is mirrored: ``(max - x) / (max - min)``. An unknown value (``None``, e.g. a cost
whose price was not given) scores 0, the worst, and the known values span [0, 1] alone.
An option's score is the weighted sum of its normalised values times 100, with weights
normalised to sum 1. Ranking: higher score first; ties (within 1e-9) go to the lower monthly
cost, then the option id. Infeasible options are never normalised, scored or ranked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._errors import InputError
from ._model import Criterion

__all__ = ["ScoreTable", "normalise", "rank", "resolve_weights", "score"]

_TIE = 1e-9


def resolve_weights(
    criteria: Sequence[Criterion], overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Default weights with ``overrides`` applied, normalised to sum 1."""
    overrides = dict(overrides or {})
    known = {c.id for c in criteria}
    for name, weight in overrides.items():
        if name not in known:
            raise InputError(
                f"unknown criterion {name!r} (known: {', '.join(sorted(known))})",
                field=f"weights.{name}",
            )
        if not weight >= 0 or weight == float("inf"):
            raise InputError("weight must be a finite number >= 0", field=f"weights.{name}")
    raw = {c.id: float(overrides.get(c.id, c.default_weight)) for c in criteria}
    total = math.fsum(raw.values())  # the same on every Python version
    if total <= 0:
        raise InputError("at least one weight must be greater than 0", field="weights")
    return {k: v / total for k, v in raw.items()}


def normalise(values: Sequence[float | None], direction: str) -> list[float]:
    """Min-max normalisation to [0, 1], best = 1; an unknown value (None) scores 0."""
    known = [v for v in values if v is not None]
    if not known:
        return [1.0 for _ in values]
    low, high = min(known), max(known)
    span = high - low
    if span <= 0:
        return [0.0 if v is None else 1.0 for v in values]
    if direction == "minimise":
        return [0.0 if v is None else (high - v) / span for v in values]
    return [0.0 if v is None else (v - low) / span for v in values]


@dataclass(frozen=True, slots=True)
class ScoreTable:
    normalised: Mapping[str, Mapping[str, float]]  # option -> criterion -> [0, 1]
    contributions: Mapping[str, Mapping[str, float]]  # option -> criterion -> points
    scores: Mapping[str, float]  # option -> 0..100


def score(
    matrix: Mapping[str, Mapping[str, float | None]],
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
) -> ScoreTable:
    """Score the options in ``matrix`` (feasible ones only) on ``criteria``."""
    option_ids = sorted(matrix)
    normalised: dict[str, dict[str, float]] = {o: {} for o in option_ids}
    for criterion in criteria:
        column = normalise([matrix[o][criterion.id] for o in option_ids], criterion.direction)
        for option_id, value in zip(option_ids, column, strict=True):
            normalised[option_id][criterion.id] = value
    contributions = {
        o: {c.id: 100.0 * weights[c.id] * normalised[o][c.id] for c in criteria}
        for o in option_ids
    }
    scores = {o: math.fsum(contributions[o].values()) for o in option_ids}
    return ScoreTable(normalised, contributions, scores)


def rank(scores: Mapping[str, float], costs: Mapping[str, float | None]) -> list[str]:
    """Best first: score, then lower cost (unknown cost last), then id. Scores within 1e-9
    of the best of their group tie."""
    by_score = sorted(scores, key=lambda o: (-scores[o], o))
    groups: list[list[str]] = []
    for option_id in by_score:
        if groups and scores[groups[-1][0]] - scores[option_id] <= _TIE:
            groups[-1].append(option_id)
        else:
            groups.append([option_id])

    def tie_break(option_id: str) -> tuple[float, str]:
        cost = costs.get(option_id)
        return (float("inf") if cost is None else cost, option_id)

    return [o for group in groups for o in sorted(group, key=tie_break)]
