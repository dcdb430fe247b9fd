"""A seeded, generated fleet inventory over every registered decision: the bundled example
(``scenarios/fleet-inventory.csv``) and the benchmarks' large inventories.

Generic over the registry, so a new decision appears in the example by re-running::

    python -m archlib._inventory --rows 300 --seed 20 --out scenarios/fleet-inventory.csv

Each row picks a decision (in turn), then each parameter is left empty (its default) or
drawn from its type: a choice of a ``Literal``, true/false, a number around its default
within its bounds, a subset of a list's choices. A draw the decision refuses (a combination
its validation or cost model rejects) is drawn again, so every row evaluates. The current
option is the recommendation in about half the rows, another option in the rest.
"""

from __future__ import annotations

import argparse
import random
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import decisions
from ._engine import evaluate
from ._errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_ROWS", "DEFAULT_SEED", "generate_inventory", "main"]

DEFAULT_ROWS = 300
DEFAULT_SEED = 20
OWNERS = ("payments", "analytics", "platform", "retail", "data-science", "identity")
ENVIRONMENTS = ("prod", "staging", "dev")
#: Parameters not drawn: scoring settings (the inventory uses each decision's defaults).
_NOT_DRAWN = frozenset({"weights", "exclude", "cost_materiality_usd"})
_TRIES = 20


def _bounds(info: Any) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        for name in ("ge", "gt"):
            if getattr(item, name, None) is not None:
                low = float(getattr(item, name))
        for name in ("le", "lt"):
            if getattr(item, name, None) is not None:
                high = float(getattr(item, name))
    return low, high


def _draw(info: Any, rng: random.Random) -> Any:
    """A value for one parameter (None: leave it empty)."""
    annotation, default = info.annotation, info.default
    args = typing.get_args(annotation)
    if default is None or annotation is None:  # optional, no default: stays unset
        return None
    if typing.get_origin(annotation) is typing.Literal:
        return rng.choice(args)
    if annotation is bool:
        return rng.random() < 0.5
    if typing.get_origin(annotation) is list and args and \
            typing.get_origin(args[0]) is typing.Literal:
        choices = typing.get_args(args[0])
        return sorted(rng.sample(choices, rng.randint(1, len(choices))))
    if annotation in (int, float):
        low, high = _bounds(info)
        base = float(default) if default else 1000.0
        value = base * 2 ** rng.uniform(-2.0, 2.0) if default else rng.uniform(0.0, base)
        value = max(value, low if low is not None else value)
        value = min(value, high if high is not None else value)
        return round(value) if annotation is int else round(value, 1)
    return None  # text (a Region name) and other types keep their defaults


def generate_inventory(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """``rows`` generated workloads, decisions in turn (every one evaluates)."""
    import pandas as pd

    rng = random.Random(seed)
    registered = decisions.all_decisions()
    records: list[dict[str, Any]] = []
    for n in range(rows):
        decision = registered[n % len(registered)]
        fields = {k: v for k, v in decision.params_model.model_fields.items()
                  if k not in _NOT_DRAWN}
        for _ in range(_TRIES):
            params = {k: v for k, info in fields.items()
                      if rng.random() < 0.5 and (v := _draw(info, rng)) is not None}
            try:
                ev = evaluate(decision, params)
            except InputError:
                continue
            break
        else:
            params, ev = {}, evaluate(decision, {})
        options = decision.option_ids
        current = (ev.recommended if ev.recommended and rng.random() < 0.5
                   else rng.choice(options))
        record: dict[str, Any] = {
            "account": f"acct-{n + 1:05d}",
            "owner": rng.choice(OWNERS),
            "environment": rng.choice(ENVIRONMENTS),
            "decision": decision.id,
            "current_option": current,
        }
        for name, value in params.items():
            # as text, the way a spreadsheet export has it (and no 3.0 for a whole 3)
            record[name] = ("; ".join(value) if isinstance(value, list)
                            else str(value).lower() if isinstance(value, bool) else str(value))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    head = ["account", "owner", "environment", "decision", "current_option"]
    rest = sorted(c for c in frame.columns if c not in head)
    return frame[head + rest]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archlib._inventory",
                                     description="Write a generated fleet inventory (CSV).")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    frame = generate_inventory(args.rows, args.seed)
    frame.to_csv(args.out, index=False, lineterminator="\n")
    print(f"wrote {len(frame)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
