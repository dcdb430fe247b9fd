"""4. Robustness analysis: an evaluation with and without 10,000 weight samples.

Robustness (issue 7) is computed on first access to ``Evaluation.robustness`` (and by
``to_dict()``, the views, the notebook and the explorer). So "without" is
``archlib.evaluate(d)`` alone, the point evaluation every caller pays, and "with" is
``archlib.evaluate(d, samples=10_000).robustness``: the same evaluation plus 10,000 Dirichlet
weight samples scored and ranked, the flip margins and the exact break-even volumes.
``benchmarks/robustness_parts.py`` breaks the robustness time down (``ROBUSTNESS.md``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import archlib
from archlib import decisions

from ._core import MET, NOT_MET, Context, Section
from ._core import Row as _Row
from ._timing import fmt_ms, fmt_ratio, measure

__all__ = ["SAMPLES", "run"]

TITLE = "Robustness analysis (weight samples)"
SAMPLES = 10_000
#: Issue 7: "10,000 samples must not make an evaluation noticeably slower". Read here as
#: adding less than this much to one evaluation (well under what a person notices).
NOTICEABLE_S = 0.1
EVALUATIONS = 30


def _without(decision_id: str) -> Any:
    return archlib.evaluate(decision_id)


def _with(decision_id: str, samples: int) -> Any:
    ev = archlib.evaluate(decision_id, samples=samples)
    robustness = ev.robustness  # computed here, on first access
    assert robustness.settings.samples == samples
    return robustness


def run(ctx: Context) -> Section:
    section = Section(4, TITLE)
    runs = ctx.runs if ctx.quick else max(ctx.runs, EVALUATIONS)
    target = f"adds < {fmt_ms(NOTICEABLE_S)} (issue 7: not noticeably slower)"
    for decision_id in decisions.ids():
        ctx.log(f"  4. robustness {decision_id}")
        without = measure(partial(_without, decision_id), runs, warmup=3)
        with_samples = measure(partial(_with, decision_id, SAMPLES), runs, warmup=3)
        added = with_samples.median - without.median
        section.rows.append(_Row(
            f"4. `{decision_id}`: evaluation + robustness with {SAMPLES:,} weight samples",
            with_samples.millis(p95=True),
            f"evaluation alone {fmt_ms(without.median)}",
            f"{fmt_ratio(with_samples.median / without.median)} slower "
            f"(+{fmt_ms(max(added, 0.0))})", target,
            MET if added < NOTICEABLE_S else NOT_MET))
    section.notes.append(
        f"Default parameters of each decision, {runs} runs after 3 untimed. Robustness is "
        "lazy: `archlib.evaluate()` alone does not pay it; reports, JSON, views and the "
        "explorer do. The ratio is large because the point evaluation takes a fraction of "
        "a millisecond; the added milliseconds are what a user could notice.")
    return section
