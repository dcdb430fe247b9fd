"""3. Interactive latency: one widget change to a fully redrawn explorer (evaluation, table,
charts, diagram), in-process, median and p95; and evaluation alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import archlib
from archlib import InputError, decisions

from ._core import FAILED, Context, Section
from ._core import Row as _Row
from ._timing import BenchmarkError, Timing, fmt_ms, fmt_ratio, measure

__all__ = ["run"]

TITLE = "Interactive latency (explorer, in-process)"
#: Widget changes per measured series in a full run (enough for a p95).
CHANGES = 40
EVALUATIONS = 200


def _candidates(control: Any) -> list[Any]:
    """Other values a user could set on this control, within its bounds."""
    import ipywidgets as widgets

    value = control.value
    low, high = getattr(control, "min", None), getattr(control, "max", None)

    def within(items: list[Any]) -> list[Any]:
        return [v for v in items if v != value and (low is None or v >= low)
                and (high is None or v <= high)]

    if isinstance(control, widgets.Checkbox):
        return [not value]
    if isinstance(control, widgets.IntSlider | widgets.BoundedIntText | widgets.IntText):
        return within([value + 1, value - 1])
    if isinstance(control, widgets.FloatSlider | widgets.BoundedFloatText | widgets.FloatText):
        return within([value * 2 if value else 1.0, value / 2])
    if isinstance(control, widgets.Dropdown):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [v for v in options if v != value]
    return []


def _diagram_changing_control(explorer: Any) -> tuple[str, Any, Any, bool]:
    """A control and two values between which the drawn diagram changes (so each change
    redraws everything, the diagram included), and True; failing that, any control with a
    valid second value, and False."""
    decision = explorer.decision
    shown = decision.diagram(explorer.evaluation.params, explorer.diagram_shown)
    fallback: tuple[str, Any, Any, bool] | None = None
    for name, control in explorer.controls.items():
        for value in _candidates(control):
            params = explorer.params()
            params[name] = value
            try:
                ev = archlib.evaluate(decision.id, params)
            except InputError:
                continue
            option = ev.recommended or ev.options[0].id
            if decision.diagram(ev.params, option) != shown:
                return name, control.value, value, True
            fallback = fallback or (name, control.value, value, False)
    if fallback is None:
        raise BenchmarkError(f"{decision.id}: no control has a second valid value")
    return fallback


def _changes(explorer: Any, control: Any, values: tuple[Any, Any], count: int,
             before: Callable[[], None] = lambda: None) -> Timing:
    """Time ``count`` changes of ``control``, alternating between ``values``; each sample is
    one assignment, which redraws synchronously through the explorer's observers."""
    samples = []
    for i in range(count):
        before()
        start = time.perf_counter()
        control.value = values[(i + 1) % 2]
        samples.append(time.perf_counter() - start)
        if explorer.error.value:
            raise BenchmarkError(f"{explorer.decision_id}: the change was rejected: "
                                 f"{explorer.error.value}")
    return Timing(tuple(samples))


def _one_decision(explore: Callable[[str], Any], decision_id: str, changes: int,
                  evaluations: int) -> tuple[list[_Row], str]:
    explorer = explore(decision_id)
    name, old, new, redraws_diagram = _diagram_changing_control(explorer)
    control = explorer.controls[name]
    cache = getattr(explorer, "_diagram_cache", None)

    def forget() -> None:
        if cache is not None:  # the explorer keeps drawn diagrams: force a fresh one
            cache.clear()

    _changes(explorer, control, (old, new), 2, forget)  # warm-up, untimed
    drawn = explorer.diagram_renders
    full = _changes(explorer, control, (old, new), changes, forget)
    drawn = explorer.diagram_renders - drawn
    note = ("" if drawn == changes else
            f"`{decision_id}`: {drawn} diagram(s) drawn for {changes} changes of `{name}`"
            + ("" if redraws_diagram else " (no single control changes its diagram)") + ".")

    weight = next(iter(explorer.weight_controls.values()))
    w_old = weight.value
    w_new = w_old / 2 if w_old else 0.5
    _changes(explorer, weight, (w_old, w_new), 2)
    weights = _changes(explorer, weight, (w_old, w_new), changes)

    alone = measure(partial(archlib.evaluate, decision_id, explorer.params()), evaluations,
                    warmup=3)
    baseline = f"evaluation {fmt_ms(alone.median)}"
    what = "full redraw (new diagram)" if redraws_diagram else "redraw (same diagram)"
    return [
        _Row(f"3. `{decision_id}`: change `{name}`, {what}", full.millis(p95=True), baseline,
             fmt_ratio(full.median / alone.median) + " evaluation", "- (none in the issues)"),
        _Row(f"3. `{decision_id}`: change a weight (diagram from the explorer's cache)",
             weights.millis(p95=True), baseline,
             fmt_ratio(weights.median / alone.median) + " evaluation",
             "- (none in the issues)"),
        _Row(f"3. `{decision_id}`: evaluation alone (`archlib.evaluate`)",
             alone.millis(p95=True), "(the baseline)", "1x", "-", "baseline"),
    ], note


def run(ctx: Context) -> Section:
    ctx.apply_env()
    from archlib.widgets import explore

    section = Section(3, TITLE)
    changes = ctx.runs if ctx.quick else max(ctx.runs, CHANGES)
    evaluations = ctx.runs if ctx.quick else max(ctx.runs, EVALUATIONS)
    notes = []
    for decision_id in decisions.ids():
        ctx.log(f"  3. explorer {decision_id}")
        try:
            rows, note = _one_decision(explore, decision_id, changes, evaluations)
        except Exception as error:  # one decision's explorer must not hide the others
            message = " ".join(f"{type(error).__name__}: {error}".split())[:300]
            rows, note = [_Row(f"3. `{decision_id}`: explorer", f"failed: {message}",
                               status=FAILED)], ""
        section.rows += rows
        notes += [note] if note else []
    section.notes += [
        "Each sample is one assignment to a control's `value` on `archlib.widgets.explore"
        "(decision)` with default parameters; the explorer's observers re-evaluate and redraw "
        "the recommendation, option table, both charts and the diagram before the assignment "
        "returns. For the full redraw the control alternates between two values that change "
        "the drawn diagram, and the explorer's diagram cache is cleared before each change, so "
        "every sample renders an SVG with Graphviz.",
        *notes,
        f"{changes} changes per series after 2 untimed ones; evaluation alone: {evaluations} "
        "calls after 3 untimed. p95 is nearest-rank (with fewer than 20 samples, the maximum). "
        "No browser: the time a front end takes to paint the new outputs is not included.",
    ]
    return section
