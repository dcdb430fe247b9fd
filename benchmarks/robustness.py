"""4. Robustness analysis: an evaluation with and without 10,000 weight samples.

Issue 7 adds SMAA to every evaluation. This benchmark switches itself on when it finds
either a keyword of :func:`archlib.evaluate` that sets the number of weight samples (one of
:data:`SAMPLE_KEYWORDS`) or a ``robustness`` keyword taking a sample count, a bool or a
mapping; with neither, and with no ``robustness`` on the Evaluation, the row says "not
available yet". Only the set of keywords tried needs changing if issue 7 names it otherwise.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import partial
from typing import Any

import archlib
from archlib import decisions

from ._core import MET, NOT_MET, UNAVAILABLE, Context, Section
from ._core import Row as _Row
from ._timing import fmt_ms, fmt_ratio, measure

__all__ = ["SAMPLES", "SAMPLE_KEYWORDS", "robustness_switch", "run"]

TITLE = "Robustness analysis (weight samples)"
SAMPLES = 10_000
#: Keywords of ``archlib.evaluate`` read as "number of weight samples", in order.
SAMPLE_KEYWORDS = ("samples", "weight_samples", "robustness_samples", "n_samples")
#: Issue 7: "10,000 samples must not make an evaluation noticeably slower". Read here as
#: adding less than this much to one evaluation (well under what a person notices).
NOTICEABLE_S = 0.1
EVALUATIONS = 30


def _samples_of(ev: Any) -> int | None:
    """Weight samples an evaluation reports (``robustness.samples``), None when it has no
    robustness result."""
    robustness = getattr(ev, "robustness", None)
    if robustness is None:
        data = ev.to_dict().get("robustness")
        if not isinstance(data, Mapping):
            return None
        robustness = data
    value = (robustness.get("samples") if isinstance(robustness, Mapping)
             else getattr(robustness, "samples", None))
    return int(value) if isinstance(value, int | float) else None


def robustness_switch(decision_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(keywords without samples, keywords with :data:`SAMPLES` samples) for
    ``archlib.evaluate``, checked on ``decision_id``; None when evaluate takes no such
    setting."""
    accepted = inspect.signature(archlib.evaluate).parameters
    trials: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({name: 0}, {name: SAMPLES}) for name in SAMPLE_KEYWORDS if name in accepted]
    if "robustness" in accepted:
        trials += [({"robustness": off}, {"robustness": on})
                   for off in (0, False, None, {"samples": 0})
                   for on in (SAMPLES, {"samples": SAMPLES})]
    for off, on in trials:
        try:
            with_samples = archlib.evaluate(decision_id, **on)
            without = archlib.evaluate(decision_id, **off)
        except (TypeError, ValueError, archlib.InputError):
            continue
        if _samples_of(with_samples) == SAMPLES and not _samples_of(without):
            return off, on
    return None


def run(ctx: Context) -> Section:
    section = Section(4, TITLE)
    runs = ctx.runs if ctx.quick else max(ctx.runs, EVALUATIONS)
    target = f"adds < {fmt_ms(NOTICEABLE_S)} (issue 7: not noticeably slower)"
    for decision_id in decisions.ids():
        switch = robustness_switch(decision_id)
        if switch is None:
            plain = measure(partial(archlib.evaluate, decision_id), runs, warmup=3)
            default = _samples_of(archlib.evaluate(decision_id))
            measured = (UNAVAILABLE if default is None else
                        f"always on ({default:,} samples): {plain.millis()}")
            section.rows.append(_Row(
                f"4. `{decision_id}`: evaluation with {SAMPLES:,} weight samples", measured,
                f"evaluation {fmt_ms(plain.median)}" if default is None else "-", "-", target,
                UNAVAILABLE if default is None else "no switch to compare"))
            continue
        off, on = switch
        ctx.log(f"  4. robustness {decision_id}: {off} vs {on}")
        without = measure(partial(archlib.evaluate, decision_id, **off), runs, warmup=3)
        with_samples = measure(partial(archlib.evaluate, decision_id, **on), runs, warmup=3)
        added = with_samples.median - without.median
        section.rows.append(_Row(
            f"4. `{decision_id}`: evaluation with {SAMPLES:,} weight samples "
            f"(`{_call(on)}`)", with_samples.millis(p95=True),
            f"without (`{_call(off)}`) {fmt_ms(without.median)}",
            f"{fmt_ratio(with_samples.median / without.median)} slower "
            f"(+{fmt_ms(max(added, 0.0))})", target,
            MET if added < NOTICEABLE_S else NOT_MET))
    if all(r.status == UNAVAILABLE for r in section.rows):
        section.notes.append(
            "Not available yet: `archlib.evaluate` takes none of the keywords "
            + ", ".join(f"`{k}`" for k in (*SAMPLE_KEYWORDS, "robustness"))
            + " and evaluations carry no `robustness` result (issue 7). The baseline column "
            "is today's evaluation time, the figure the robustness run will be compared with.")
    else:
        section.notes.append(
            f"Each evaluation with default parameters, {runs} runs after 3 untimed; the "
            "keyword that switches sampling is found from `archlib.evaluate`'s signature and "
            f"checked: the run with samples must report `robustness.samples == {SAMPLES}`.")
    return section


def _call(keywords: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in keywords.items())
