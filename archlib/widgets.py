"""The interactive explorer: one decision's parameters and weights as ipywidgets controls,
re-evaluated on every change.

>>> from archlib.widgets import explore
>>> explore("s3-endpoints", vpc_count=4)   # doctest: +SKIP

Controls are generated from the decision's pydantic ``params_model``; the explorer only reads
parameters and never changes anything global. Imports ipywidgets (and, through
:mod:`archlib.charts`, plotly): only notebooks and tests import this module.
"""

from __future__ import annotations

import base64
import html
import math
import re
import types
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import ipywidgets as widgets
import traitlets

import archlib

from . import decisions
from ._decision import Decision
from ._engine import Evaluation
from ._errors import InputError
from ._labels import parameter_label
from ._model import DiagramSpec, field_bounds
from ._scenario import scenario_params, scenario_yaml
from .charts import cost_chart, display_chart, rank_acceptability_chart, score_chart
from .notebook import lab_styled
from .summary import BADGES
from .views import (
    extra_outputs_html,
    option_table_html,
    recommendation_html,
    robustness_html,
)

__all__ = ["FOLLOW_RECOMMENDED", "SCENARIO_NAME", "Explorer", "OptionalNumber", "control_for",
           "explore", "parameter_label", "verdict_badge_html"]

#: ``diagram_option`` value that draws whichever option is recommended.
FOLLOW_RECOMMENDED = ""
#: Above this many steps a slider is too coarse (a 1-1000 slider dragged 30% lands on 301, and
#: 3 or 12 are hard to hit): a bounded text box is used instead (issue 18, D11).
MAX_SLIDER_STEPS = 100
#: A float range wider than this is "huge" (volumes up to 1e8 GB): a bounded text box.
MAX_FLOAT_SLIDER_SPAN = 1000.0
#: Name of a scenario copied from the explorer (rename it when saving under scenarios/).
SCENARIO_NAME = "Explored in JupyterLab"
#: Rendered diagrams kept per explorer (keyed by their DiagramSpec).
DIAGRAM_CACHE_SIZE = 16

# One label width for every control: slider tracks and boxes start at the same x (D11).
_STYLE = {"description_width": "15em"}
_WIDE = {"width": "100%", "max_width": "36em"}


# --- controls from a pydantic model ------------------------------------------------------------


def _float_step(value: float, span: float) -> float:
    """A decimal step one digit finer than both the value's magnitude and the range's."""
    step = 10.0 ** (math.floor(math.log10(span)) - 2)
    if value:
        step = min(step, 10.0 ** (math.floor(math.log10(abs(value))) - 1))
    return step


def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    return get_args(annotation) if get_origin(annotation) is Literal else None


def control_for(label: str, annotation: Any, metadata: list[Any], description: str,
                value: Any) -> widgets.Widget | None:
    """The widget for one parameter, labelled ``label`` with its ``description`` as the
    tooltip, or None when its type has no control here."""
    common: dict[str, Any] = {"description": label, "tooltip": description or None,
                              "style": _STYLE, "layout": dict(_WIDE)}
    low, low_open, high, high_open = field_bounds(metadata)
    if annotation is bool:
        return widgets.Checkbox(value=bool(value), indent=False, **common)
    if annotation is int:
        if low is None or high is None:
            return widgets.IntText(value=int(value), **common)
        ilo = math.floor(low) + 1 if low_open else math.ceil(low)
        ihi = math.ceil(high) - 1 if high_open else math.floor(high)
        if ihi - ilo <= MAX_SLIDER_STEPS:
            return widgets.IntSlider(value=int(value), min=ilo, max=ihi, step=1,
                                     continuous_update=False, **common)
        return widgets.BoundedIntText(value=int(value), min=ilo, max=ihi, **common)
    if annotation is float:
        if low is None or high is None:
            return widgets.FloatText(value=float(value), **common)
        step = _float_step(float(value), high - low)
        lo = low + step if low_open else low
        hi = high - step if high_open else high
        fits = abs(value / step - round(value / step)) < 1e-6  # the default is on the grid
        # A zero default gives no magnitude to step by: a slider only for shares (0-1).
        scaled = bool(value) or high - low <= 1.0
        if (hi - lo <= MAX_FLOAT_SLIDER_SPAN and (hi - lo) / step <= MAX_SLIDER_STEPS
                and fits and scaled):
            decimals = max(0, -math.floor(math.log10(step)))
            return widgets.FloatSlider(value=float(value), min=lo, max=hi, step=step,
                                       readout_format=f".{decimals}f",
                                       continuous_update=False, **common)
        # Huge ranges (volumes up to 1e8 GB): any value typed in. An exclusive bound stays
        # reachable, so the model reports it (shown in the explorer's error line).
        return widgets.BoundedFloatText(value=float(value), min=low, max=high, step=None,
                                        **common)
    choices = _literal_values(annotation)
    if choices is not None:
        return widgets.Dropdown(options=list(choices), value=value, **common)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (None,)
        choices = _literal_values(item)
        if choices is not None:
            return widgets.SelectMultiple(options=list(choices), value=tuple(value),
                                          rows=min(len(choices), 6), **common)
        return None
    if annotation is str:
        return widgets.Text(value=str(value), continuous_update=False, **common)
    return None


def _region_control(label: str, description: str, value: str) -> widgets.Dropdown:
    """The Region: a choice among exactly the Regions that have prices (shipped, or refreshed
    with `archlib prices update`); a Region without prices is an input error."""
    from ._prices import available_regions

    regions = available_regions()
    if value not in regions:
        raise InputError(f"region: no prices for Region {value!r} (prices exist for "
                         f"{', '.join(regions)})", where="explore()")
    return widgets.Dropdown(options=regions, value=value, description=label,
                            tooltip=description or None, style=_STYLE, layout=dict(_WIDE))


class OptionalNumber(widgets.HBox):  # type: ignore[misc]
    """A number that may be left unset (``None``): a checkbox "set" and the number's own
    control. ``value`` is the number, or None while unchecked."""

    value = traitlets.Any(allow_none=True)

    def __init__(self, label: str, number: widgets.Widget, value: float | int | None,
                 tooltip: str | None) -> None:
        self.given = widgets.Checkbox(value=value is not None, description=label,
                                      indent=False, tooltip=tooltip,
                                      layout={"width": "auto"})
        self.number = number
        number.description = ""
        number.disabled = value is None
        super().__init__(children=[self.given, number], layout=dict(_WIDE))
        self.value = value
        self.given.observe(self._sync, names="value")
        number.observe(self._sync, names="value")

    def _sync(self, change: Mapping[str, Any]) -> None:
        self.number.disabled = not self.given.value
        self.value = _value_of(self.number) if self.given.value else None


def _optional_control(label: str, annotation: Any, metadata: list[Any], description: str,
                      value: Any) -> widgets.Widget | None:
    """``int | None`` / ``float | None`` as an :class:`OptionalNumber`; other optional types
    have no control."""
    inner = [a for a in get_args(annotation) if a is not type(None)]
    if len(inner) != 1 or inner[0] not in (int, float):
        return None
    (kind,) = inner
    start = value if value is not None else kind(0)
    number = control_for(label, kind, metadata, description, start)
    if number is None:  # pragma: no cover - int and float always have a control
        return None
    tooltip = f"{description} (ticked: the number beside it; unticked: unset)"
    return OptionalNumber(label, number, value, tooltip)


def _value_of(control: widgets.Widget) -> Any:
    value = control.value
    if isinstance(control, widgets.SelectMultiple):
        return list(value)
    if isinstance(control, OptionalNumber):
        return value
    if isinstance(control, (widgets.FloatSlider, widgets.BoundedFloatText, widgets.FloatText)):
        return float(value)
    return value


def _is_optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _initial_weights(decision: Decision[Any], given: Mapping[str, float]) -> dict[str, float]:
    """Default weights with ``given`` applied, scaled into 0..1 when one is above 1 (the
    engine normalises weights, so scaling changes nothing)."""
    raw = {c.id: float(given.get(c.id, c.default_weight)) for c in decision.criteria}
    top = max(raw.values(), default=0.0)
    return {k: v / top for k, v in raw.items()} if top > 1.0 else raw


# --- the verdict badge and the diagram ---------------------------------------------------------

#: Badge background per verdict level: report.css's --ok, --warn, --bad (only ``clear`` green).
_BADGE_COLOURS = {"clear": "#1f7a3d", "leaning": "#8a6100", "too-close-to-call": "#a33a2b",
                  "none": "#a33a2b"}


def verdict_badge_html(ev: Evaluation) -> str:
    """How firm the recommendation is: the report's badge (``clear``, ``leaning``, ``too close
    to call``; its words and colours, styled inline) with the verdict's one-line reason."""
    verdict = ev.verdict
    level = verdict.level if verdict is not None else "none"
    label = BADGES[verdict.level] if verdict is not None else "no answer"
    reason = (verdict.reason if verdict is not None
              else "No option is left to recommend: every option is ruled out or excluded.")
    return (f'<p class="archlib-verdict-badge verdict-{level}" '
            'style="margin:.4em 0; line-height:1.5">'
            f'<span class="archlib-badge verdict-{level}" style="display:inline-block; '
            "border-radius:1em; padding:.05em .6em; font-size:.8rem; font-weight:700; "
            f"text-transform:uppercase; letter-spacing:.04em; color:#fff; "
            f'background:{_BADGE_COLOURS[level]}; margin-right:.5em">{html.escape(label)}'
            f'</span><span class="archlib-badge-reason">{html.escape(reason)}</span></p>')


_SVG_TAG = re.compile(r"<svg\b")


def _fitted_svg(svg: str) -> str:
    """The SVG scaled down to the cell's width (never up), keeping its aspect ratio: Graphviz
    writes a fixed size in points, wider than a notebook cell for most diagrams (D11)."""
    return _SVG_TAG.sub('<svg style="max-width:100%; height:auto; display:block"', svg,
                        count=1)


# --- the explorer ----------------------------------------------------------------------------


class Explorer(widgets.VBox):  # type: ignore[misc]
    """Controls for one decision, and its recommendation, option table, charts and diagram,
    redrawn on every change. Parts are attributes, so tests and notebooks can drive them."""

    def __init__(self, decision_id: str, prices: Mapping[str, float] | None = None,
                 **params: Any) -> None:
        decision = decisions.get(decision_id)
        #: the scenario's price overrides: kept for every evaluation and copied scenario
        self.prices: dict[str, float] = dict(prices or {})
        model = decision.parse(params, where="explore()")  # bad params raise InputError
        self.decision_id = decision.id
        self.decision: Decision[Any] = decision
        self.controls: dict[str, widgets.Widget] = {}
        self.fixed: dict[str, Any] = {}  # parameters without a control keep their value
        for name, info in type(model).model_fields.items():
            if name in ("weights", "exclude"):  # their own controls, below
                continue
            value = getattr(model, name)
            annotation = info.annotation
            make = _optional_control if _is_optional(annotation) else control_for
            label = parameter_label(name, info)
            if name == "region" and annotation is str:
                control = _region_control(label, info.description or "", str(value))
            else:
                control = make(label, annotation, list(info.metadata),
                               info.description or "", value)
            if control is None:
                self.fixed[name] = value
            else:
                self.controls[name] = control

        weights = _initial_weights(decision, model.weights)
        self.weight_controls: dict[str, widgets.FloatSlider] = {
            c.id: widgets.FloatSlider(
                value=weights[c.id], min=0.0, max=1.0, step=0.01, readout_format=".2f",
                description=c.title, tooltip=f"{c.description} ({c.direction}, {c.unit})",
                continuous_update=False, style=_STYLE, layout=dict(_WIDE))
            for c in decision.criteria
        }

        #: one checkbox per option: checked = excluded by you (not scored or ranked)
        self.exclude_controls: dict[str, widgets.Checkbox] = {
            o.id: widgets.Checkbox(value=o.id in model.exclude, description=f"exclude {o.id}",
                                   tooltip=f"Exclude {o.title} by policy: it is not scored "
                                   "or ranked", indent=False, layout={"width": "auto"})
            for o in decision.options
        }

        self.error = widgets.HTML(value="")
        #: how firm the answer is (clear / leaning / too close to call) and why
        self.badge = widgets.HTML(value="")
        self.recommendation = widgets.HTML(value="")
        self.table = widgets.HTML(value="")
        self.charts = widgets.Output()
        self.robustness = widgets.Output()  # rank acceptability, flip margins, break-even
        self.diagram_option = widgets.Dropdown(
            options=[("the recommended option", FOLLOW_RECOMMENDED)]
            + [(f"{o.id}: {o.title}", o.id) for o in decision.options],
            value=FOLLOW_RECOMMENDED, description="diagram of", style=_STYLE,
            layout=dict(_WIDE))
        self.diagram = widgets.HTML(value="")
        self.diagram_renders = 0  # SVGs actually drawn (cache misses)
        self._diagram_cache: OrderedDict[DiagramSpec, str] = OrderedDict()
        self.evaluation: Evaluation = archlib.evaluate(decision.id, self.params(),
                                                       prices=self.prices)

        fixed_note = ("" if not self.fixed else "<p><small>Fixed (no control): "
                      + ", ".join(f"{html.escape(k)} = {html.escape(repr(v))}"
                                  for k, v in self.fixed.items()) + "</small></p>")
        header = widgets.HTML(
            value=f"<h3>{html.escape(decision.title)}</h3>"
                  f"<p>{html.escape(decision.question)}</p>{fixed_note}")
        params_box = widgets.VBox([widgets.HTML("<b>Parameters</b>"), *self.controls.values()],
                                  layout={"width": "50%", "min_width": "22em"})
        weights_box = widgets.VBox(
            [widgets.HTML("<b>Criterion weights</b> (normalised to sum 1 when scored)"),
             *self.weight_controls.values(),
             widgets.HTML("<b>Excluded by you</b> (policy: not scored or ranked)"),
             *self.exclude_controls.values()],
            layout={"width": "50%", "min_width": "22em"})
        super().__init__(children=[
            header,
            widgets.HBox([params_box, weights_box], layout={"flex_flow": "row wrap"}),
            self.error, self.badge, self.recommendation, self.table, self.charts, self.robustness,
            widgets.VBox([self.diagram_option, self.diagram]),
        ])

        self._draw(self.evaluation)
        for control in self._all_controls():
            control.observe(self._on_change, names="value")
        self.diagram_option.observe(self._on_diagram_option, names="value")
        self._build_export()

    # -- reading the controls --

    def _all_controls(self) -> tuple[widgets.Widget, ...]:
        return (*self.controls.values(), *self.weight_controls.values(),
                *self.exclude_controls.values())

    def params(self) -> dict[str, Any]:
        """The parameters the controls currently hold (a new dict each call)."""
        values: dict[str, Any] = dict(self.fixed)
        values.update({name: _value_of(c) for name, c in self.controls.items()})
        values["weights"] = {k: float(s.value) for k, s in self.weight_controls.items()}
        values["exclude"] = [o for o, box in self.exclude_controls.items() if box.value]
        return values

    # -- redrawing --

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def _on_diagram_option(self, change: Mapping[str, Any]) -> None:
        self._draw_diagram(self.evaluation)

    def refresh(self) -> None:
        """Re-evaluate with the current controls and redraw; an invalid combination shows its
        error line and leaves the last valid result in place."""
        try:
            ev = archlib.evaluate(self.decision_id, self.params(), prices=self.prices)
        except InputError as error:
            self.error.value = (
                '<div class="archlib-error" style="color:#b00020"><strong>Not evaluated:'
                f"</strong> {html.escape(error.line())} (showing the last valid result)</div>")
            return
        self.error.value = ""
        self.evaluation = ev
        self._draw(ev)

    def _draw(self, ev: Evaluation) -> None:
        self.badge.value = verdict_badge_html(ev)
        self.recommendation.value = recommendation_html(ev)
        # Placements, grids...: the same generic view as notebooks and reports.
        self.table.value = lab_styled(option_table_html(ev) + extra_outputs_html(ev, "h4"))
        self.charts.outputs = tuple(
            {"output_type": "display_data", "metadata": {},
             "data": display_chart(fig, f"{self.decision_id}-explorer-{name}")
             ._repr_mimebundle_()}
            for name, fig in (("score", score_chart(ev)), ("cost", cost_chart(ev)))
        )
        self._draw_robustness(ev)
        self._draw_diagram(ev)

    def _draw_robustness(self, ev: Evaluation) -> None:
        self.robustness.outputs = (
            {"output_type": "display_data", "metadata": {},
             "data": {"text/html": "<h4>Robustness</h4>" + lab_styled(robustness_html(ev)),
                      "text/plain": "robustness"}},
            {"output_type": "display_data", "metadata": {},
             "data": display_chart(rank_acceptability_chart(ev),
                                   f"{self.decision_id}-explorer-robustness")
             ._repr_mimebundle_()},
        )

    @property
    def diagram_shown(self) -> str:
        """Id of the option the diagram shows."""
        chosen = self.diagram_option.value
        if chosen != FOLLOW_RECOMMENDED:
            return str(chosen)
        ev = self.evaluation
        return ev.recommended or ev.options[0].id

    def _draw_diagram(self, ev: Evaluation) -> None:
        option_id = self.diagram_shown
        # The drawing is a pure function of its spec: draw only when the spec is new.
        spec = ev.decision.diagram(ev.params, option_id)
        svg = self._diagram_cache.get(spec)
        if svg is None:
            from .drawing import diagram_svg

            try:
                svg = diagram_svg(ev, option_id)
            except (ValueError, RuntimeError, OSError) as error:  # e.g. graphviz missing
                self.diagram.value = ('<p class="archlib-error">Diagram unavailable: '
                                      f"{html.escape(str(error))}</p>")
                return
            self.diagram_renders += 1
            self._diagram_cache[spec] = svg
            if len(self._diagram_cache) > DIAGRAM_CACHE_SIZE:
                self._diagram_cache.popitem(last=False)
        else:
            self._diagram_cache.move_to_end(spec)
        result = ev.option(option_id)
        status = ("recommended" if option_id == ev.recommended
                  else "excluded by you" if result.excluded
                  else "feasible" if result.feasible else "ruled out")
        self.diagram.value = (
            f'<div class="archlib-diagram"><p><strong>{html.escape(result.title)}</strong> '
            f"(<code>{html.escape(option_id)}</code>, {status})</p>"
            f"{_fitted_svg(svg)}</div>")

    # -- leaving the explorer: copy as scenario, decision record --

    def _build_export(self) -> None:
        """Two buttons and a text area below the results: the scenario YAML for the current
        controls, or the decision record, with a download link. Shown text follows the
        controls as they change. Widgets cannot write the browser clipboard without a front-end
        extension, so the labels say what happens: the text is shown to select and copy."""
        self.copy_button = widgets.Button(
            description="Show as scenario YAML", icon="copy", layout={"width": "auto"},
            tooltip="Scenario YAML for the current controls, to copy or download and save "
                    "under scenarios/")
        self.adr_button = widgets.Button(
            description="Show decision record (ADR)", icon="file-text",
            layout={"width": "auto"},
            tooltip="The MADR decision record for the current controls (Markdown), to copy "
                    "or download")
        self.export_note = widgets.HTML(value="")
        self.export = widgets.Textarea(value="", layout={"width": "100%", "height": "18em",
                                                         "display": "none"})
        self.exported: Literal["", "scenario", "adr"] = ""
        self.copy_button.on_click(lambda _button: self.show_export("scenario"))
        self.adr_button.on_click(lambda _button: self.show_export("adr"))
        for control in self._all_controls():
            control.observe(self._on_export_change, names="value")  # after refresh()
        children = tuple(self.children)  # type: ignore[has-type]
        self.children = (*children, widgets.VBox([
            widgets.HBox([self.copy_button, self.adr_button]), self.export_note, self.export]))

    def scenario_yaml(self, name: str = SCENARIO_NAME, description: str = "") -> str:
        """A scenario file (YAML) holding the current control values: ``archlib
        .load_scenario`` reads it back to the same evaluation. Invalid controls raise
        :class:`archlib.InputError`."""
        model = self.decision.parse(self.params(), where="explorer controls")
        text = description or f"Copied from the archlib explorer ({self.decision_id})."
        return scenario_yaml(name, text, {self.decision_id: scenario_params(model)},
                             prices=self.prices)

    def adr_markdown(self) -> str:
        """The decision record (MADR 4 Markdown) of the current control values. Invalid
        controls raise :class:`archlib.InputError`."""
        from .adr import adr_markdown

        ev = archlib.evaluate(self.decision_id, self.params(), prices=self.prices)
        return adr_markdown(ev, scenario_name=SCENARIO_NAME)

    def show_export(self, kind: Literal["scenario", "adr"]) -> None:
        """Show the scenario YAML or the decision record in the text area, to copy."""
        self.exported = kind
        try:
            text = self.scenario_yaml() if kind == "scenario" else self.adr_markdown()
        except InputError as error:
            self.export_note.value = (
                '<div class="archlib-error" style="color:#b00020"><strong>Nothing to copy:'
                f"</strong> {html.escape(error.line())}</div>")
            self.export.value = ""
            self.export.layout.display = "none"
            return
        self.export_note.value = _export_note(kind, self.decision_id, text)
        self.export.value = text
        self.export.layout.display = ""

    def _on_export_change(self, change: Mapping[str, Any]) -> None:
        if self.exported:
            self.show_export(self.exported)


#: The copy button's handler: the browser's clipboard API, in the HTML widget itself (no
#: front-end extension). Browsers offer it only in a secure context (https, or a Lab on
#: localhost); elsewhere the button says so and the text stays there to select.
_COPY_SCRIPT = (
    "const b = this; (navigator.clipboard ? navigator.clipboard.writeText(b.dataset.text)"
    " : Promise.reject()).then(() => { b.textContent = 'Copied'; },"
    " () => { b.textContent = 'This browser blocks the clipboard here: select the text"
    " below and copy it'; });")


def _export_note(kind: Literal["scenario", "adr"], decision_id: str, text: str) -> str:
    """What the shown text is, how to copy it, and a download link carrying it (a data: URI:
    no server round trip, works in JupyterLab and in a static export)."""
    e = html.escape
    filename = (f"{decision_id}-scenario.yaml" if kind == "scenario"
                else f"{decision_id}-decision-record.md")
    mime = "application/x-yaml" if kind == "scenario" else "text/markdown"
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    link = (f'<a class="archlib-download" download="{e(filename)}" '
            f'href="data:{mime};charset=utf-8;base64,{data}">download {e(filename)}</a>')
    button = (f'<button type="button" class="archlib-copy" data-text="{e(text)}" '
              f'onclick="{e(_COPY_SCRIPT)}">Copy to clipboard</button>')
    what = (
        "Scenario YAML for the current controls: save it as "
        "<code>scenarios/&lt;name&gt;.yaml</code> (then <code>archlib report</code> or "
        f"<code>archlib adr {e(decision_id)} --scenario FILE</code>)."
        if kind == "scenario" else
        "Decision record (MADR 4, status proposed) for the current controls: save it as "
        f"Markdown, e.g. <code>docs/decisions/NNNN-{e(decision_id)}.md</code>.")
    return (f"<p>{what}</p><p>{button} or {link}, or select the text below and copy it "
            "(Ctrl+A, Ctrl+C; Cmd on a Mac).</p>")


def explore(decision_id: str, prices: Mapping[str, float] | None = None,
            **params: Any) -> Explorer:
    """An explorer for ``decision_id`` starting from ``params`` (validated first: bad params
    raise :class:`archlib.InputError`), with a scenario's price overrides ``prices``.
    ``display(explore("s3-endpoints"))`` in a notebook."""
    return Explorer(decision_id, prices=prices, **params)
