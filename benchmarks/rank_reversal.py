"""Rank reversal: how often removing a feasible option that is not the winner changes the
winner, under the old min-max scoring and under the fixed value scales (issue 13).

    python -m benchmarks.rank_reversal [--per-decision 250] [--seed 0]

Random valid parameters are drawn for each decision from its pydantic model (bounds from the
fields' metadata, Literal choices, booleans, lists of choices, optional numbers; default
weights half the time, random ones otherwise). For every evaluation with at least two
feasible options, each feasible non-winner is removed in turn; the winner is recomputed
(a) with the engine (``evaluate(..., exclude=[option])``) and (b) with the min-max scoring
the engine used before issue 13, re-implemented here over the same raw criterion values and
tie rule (lower monthly cost, then id). Not a test: a measurement, printed as a table.
"""

from __future__ import annotations

import argparse
import random
import types
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Union, get_args, get_origin

import archlib
from archlib import InputError, decisions
from archlib._decision import Decision
from archlib._model import DecisionParams

__all__ = ["draw_params", "main", "min_max_winner"]


def _bounds(metadata: Sequence[Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = float(value)
    return found


def _draw(rng: random.Random, annotation: Any, metadata: Sequence[Any], default: Any) -> Any:
    if annotation is bool:
        return rng.random() < 0.5
    if annotation in (int, float):
        b = _bounds(metadata)
        low = b.get("ge", b.get("gt", 0.0))
        high = b.get("le", b.get("lt", low + 1000.0))
        # log-uniform above 1 most of the time: volumes span 0 to 1e8
        if high > 100 * max(low, 1.0) and rng.random() < 0.8:
            value = 10 ** rng.uniform(0.0, min(8.0, _log10(high)))
            value = min(max(value, low), high)
        else:
            value = rng.uniform(low, high)
        if "gt" in b and value <= b["gt"]:
            value = b["gt"] + (high - b["gt"]) / 2
        return round(value) if annotation is int else value
    if get_origin(annotation) is Literal:
        return rng.choice(get_args(annotation))
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        choices = list(get_args(item))
        return rng.sample(choices, rng.randint(0, len(choices)))
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return None if rng.random() < 0.5 else _draw(rng, inner, metadata, default)
    return default


def _log10(x: float) -> float:
    import math

    return math.log10(x) if x > 0 else 0.0


def draw_params(rng: random.Random, decision: Decision[Any]) -> dict[str, Any]:
    """One set of valid parameters (the model validates it again)."""
    params = {name: _draw(rng, info.annotation, list(info.metadata), info.get_default())
              for name, info in decision.params_model.model_fields.items()
              if name not in DecisionParams.model_fields}
    if rng.random() < 0.5:
        params["weights"] = {c.id: rng.uniform(0.0, 1.0) for c in decision.criteria}
    return params


def min_max_winner(ev: archlib.Evaluation, options: Sequence[str]) -> str:
    """The winner among ``options`` under the pre-issue-13 scoring: each criterion min-max
    normalised over ``options`` (all equal: 1; unknown: 0), weighted sum, ties (1e-9) to the
    lower monthly cost (unknown last), then the id."""
    scores = dict.fromkeys(options, 0.0)
    for c in ev.decision.criteria:
        raw: Mapping[str, float | None] = {o: ev.option(o).criteria[c.id] for o in options}
        known = [v for v in raw.values() if v is not None]
        low, high = (min(known), max(known)) if known else (0.0, 0.0)
        for o, v in raw.items():
            if v is None:
                value = 0.0
            elif high - low <= 0:
                value = 1.0
            else:
                value = (high - v if c.direction == "minimise" else v - low) / (high - low)
            scores[o] += 100.0 * ev.weights[c.id] * value
    best = max(scores.values())

    def key(o: str) -> tuple[float, str]:
        cost = ev.option(o).monthly_cost_usd
        return (float("inf") if cost is None else cost, o)

    return min((o for o in options if best - scores[o] <= 1e-9), key=key)


def measure(per_decision: int, seed: int) -> list[tuple[str, int, int, int]]:
    """Per decision: (id, cases, winner changes under min-max, under fixed scales)."""
    rows = []
    for decision in decisions.all_decisions():
        rng = random.Random(f"{seed}-{decision.id}")
        cases = before = after = 0
        for _ in range(per_decision):
            try:
                ev = archlib.evaluate(decision.id, draw_params(rng, decision))
            except InputError:
                continue
            if len(ev.ranking) < 2:
                continue
            # the same number of cases either way: every feasible option but the winner
            cases += len(ev.ranking) - 1
            old_winner = min_max_winner(ev, ev.ranking)
            for dropped in (o for o in ev.ranking if o != old_winner):
                if min_max_winner(ev, [o for o in ev.ranking if o != dropped]) != old_winner:
                    before += 1
            for dropped in ev.ranking[1:]:
                now = archlib.evaluate(decision.id, ev.params, exclude=[dropped])
                if now.recommended != ev.recommended:
                    after += 1
        rows.append((decision.id, cases, before, after))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-decision", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = measure(args.per_decision, args.seed)
    print("| decision | cases (non-winner removed) | winner changed: min-max | "
          "winner changed: fixed scales |")
    print("|---|---|---|---|")
    for decision_id, cases, before, after in rows:
        print(f"| `{decision_id}` | {cases} | {before} | {after} |")
    cases, before, after = (sum(r[1] for r in rows), sum(r[2] for r in rows),
                            sum(r[3] for r in rows))

    def share(n: int) -> str:
        return f"{100.0 * n / cases:.1f}%" if cases else "-"

    print(f"| all | {cases} | {before} ({share(before)}) | {after} ({share(after)}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
