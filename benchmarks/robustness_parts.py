"""How much robustness adds to an evaluation. Run: .venv/bin/python benchmarks/robustness_parts.py

Prints, per scenario, the best-of-5 mean time of: ``archlib.evaluate()`` alone (robustness is
computed lazily, so this is the evaluation as before), ``evaluate().to_dict()`` (evaluation
plus robustness with the default 10,000 samples, plus JSON), and the robustness parts alone.
``benchmarks/ROBUSTNESS.md`` records a run and the same figures before robustness existed.
"""

from __future__ import annotations

import timeit
from typing import Any

import numpy as np

import archlib
from archlib._engine import assess_robustness, break_even_points, volume_break_even
from archlib._robustness import (
    RobustnessSettings,
    flip_margin,
    rank_acceptability,
    sample_weights,
    tie_priority,
)

S3 = "s3-endpoints"
SCENARIOS: dict[str, dict[str, Any]] = {
    "default (2 feasible options)": {},
    "on-premises 500 GB (3 feasible)": {"on_prem_access": True, "monthly_gb_on_prem": 500.0},
    "3 VPCs, 100 TB, NAT allowed (5 feasible, tier kinks in range)": {
        "vpc_count": 3, "monthly_gb_in_vpc": 100_000.0, "allow_internet_path": True,
        "on_prem_access": True, "monthly_gb_on_prem": 20_000.0},
}


def best(call: Any, number: int) -> float:
    """Best of 5 repeats, mean per call, in milliseconds."""
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e3


def main() -> None:
    print(f"numpy {np.__version__}")
    print("| scenario | evaluate() | evaluate().to_dict() | robustness alone "
          "| sampling + ranking | flip margins | break-even (JSON) | break-even (cost chart) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, params in SCENARIOS.items():
        ev = archlib.evaluate(S3, params)
        evaluate = best(lambda params=params: archlib.evaluate(S3, params), 200)
        full = best(lambda params=params: archlib.evaluate(S3, params).to_dict(), 20)
        alone = best(lambda ev=ev: assess_robustness(ev), 20)
        ids = sorted(ev.ranking)
        criteria = [c.id for c in ev.decision.criteria]
        normalised = np.array([[ev.option(o).normalised[c] for c in criteria] for o in ids])
        weights = np.array([ev.weights[c] for c in criteria])
        priority = tie_priority(ids, {o: tuple(ev.option(o).normalised[c] for c in criteria)
                                      for o in ids})
        settings = RobustnessSettings()
        smaa = best(lambda n=normalised, w=weights, p=priority, s=settings:
                    rank_acceptability(n, sample_weights(w, s), p), 20)
        flips = best(lambda n=normalised, w=weights, p=priority:
                     [flip_margin(n, w, k, p) for k in range(w.shape[0])], 20)
        volumes = best(lambda ev=ev: volume_break_even(ev), 20)
        chart = best(lambda ev=ev: break_even_points(ev), 20)
        print(f"| {name} | {evaluate:.2f} ms | {full:.2f} ms | {alone:.2f} ms | {smaa:.2f} ms "
              f"| {flips:.2f} ms | {volumes:.2f} ms | {chart:.2f} ms |")


if __name__ == "__main__":
    main()
