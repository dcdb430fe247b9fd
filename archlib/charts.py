"""plotly figures of an Evaluation, and a display bundle that renders them everywhere.

Functions return :class:`plotly.graph_objects.Figure` objects and never show them (plotly
express style). :func:`display_chart` wraps a figure in a :class:`ChartDisplay` whose MIME
bundle renders live in JupyterLab and in untrusted executed notebooks (the plotly JSON
mimetype) and in static HTML made by nbconvert (``text/html`` that draws with a page-level
``window.Plotly``). plotly.js itself is never embedded in a bundle: reports load it once from
a shared asset (:func:`plotly_js_source`).

This module imports plotly; only notebooks, widgets and report builders import it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from ._engine import BreakEven, Evaluation, break_even_points, cost_at_scale, total_volume

if TYPE_CHECKING:
    from ._model import OptionResult

__all__ = [
    "ChartDisplay",
    "cost_chart",
    "display_chart",
    "plotly_js_source",
    "plotly_js_version",
    "rank_acceptability_chart",
    "score_chart",
]

#: A compact copy of plotly's ``plotly_white`` layout defaults: the named template is a
#: 7 KB blob that plotly deep-copies into every figure (10 ms each); this keeps the look, and
#: figures stay small and fast to build.
TEMPLATE: dict[str, Any] = {"layout": {
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "font": {"color": "#2a3f5f"},
    "hoverlabel": {"align": "left"},
    **{axis: {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8",
              "zerolinewidth": 2, "ticks": "", "automargin": True, "title": {"standoff": 15}}
       for axis in ("xaxis", "yaxis")},
}}
#: Fixed colours: options by their position in the decision, criteria by theirs.
OPTION_COLOURS: tuple[str, ...] = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD",
    "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
)
CRITERION_COLOURS: tuple[str, ...] = (
    "#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756",
    "#72B7B2", "#EECA3B", "#9D755D", "#FF9DA6", "#BAB0AC",
)
#: Rank 1 (green) to last (red), sampled evenly for the number of feasible options.
RANK_COLOURS: tuple[str, ...] = (
    "#1A9850", "#66BD63", "#A6D96A", "#D9EF8B", "#FEE08B",
    "#FDAE61", "#F46D43", "#D73027", "#A50026", "#67001F",
)
SCORE_TITLE = "Score by weighted criterion (0-100)"
ACCEPTABILITY_TITLE = "Rank acceptability: share of sampled weightings at each rank"
COST_TITLE = "Monthly cost against total data volume"
_FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13}

# Figures are assembled as plain dicts and validated once by go.Figure(...): plotly's
# add_*/update_* calls re-validate on every call and made a redraw three times slower.


def _option_colour(ev: Evaluation, option_id: str) -> str:
    index = ev.decision.option_ids.index(option_id)
    return OPTION_COLOURS[index % len(OPTION_COLOURS)]


def _layout(title: str, height: int, **more: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": {"text": title, "x": 0.0, "xanchor": "left"},
        "font": _FONT,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        # Below everything, in container coordinates: never over the axis title.
        "legend": {"orientation": "h", "xref": "container", "yref": "container", "x": 0.0,
                   "y": 0.0, "xanchor": "left", "yanchor": "bottom", "traceorder": "normal"},
        "hoverlabel": {"namelength": -1},
        "annotations": [],
    }
    layout.update(more)
    return layout


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    if not layout["annotations"]:
        del layout["annotations"]
    return go.Figure({"data": data, "layout": layout})


def _no_options(layout: dict[str, Any]) -> None:
    layout["annotations"].append({"text": "No feasible option", "xref": "paper",
                                  "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                                  "font": {"size": 16}})
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}


# --- scores --------------------------------------------------------------------------------


def score_chart(ev: Evaluation) -> go.Figure:
    """Stacked horizontal bars: one bar per feasible option (best on top), one segment per
    criterion holding the weighted points it contributed; a bar's length is the score."""
    options: list[OptionResult] = [ev.option(o) for o in ev.ranking]
    labels = [o.id for o in options]
    data: list[dict[str, Any]] = []
    for i, criterion in enumerate(ev.decision.criteria):
        weight = ev.weights[criterion.id]
        data.append({
            "type": "bar",
            "name": f"{criterion.title} (weight {weight:.2f})",
            "orientation": "h",
            "x": [float(o.contributions[criterion.id]) for o in options],
            "y": labels,
            "marker": {"color": CRITERION_COLOURS[i % len(CRITERION_COLOURS)]},
            "customdata": [[o.title, float(o.normalised[criterion.id])] for o in options],
            "hovertemplate": (
                f"<b>%{{y}}</b> (%{{customdata[0]}})<br>{criterion.title}: "
                "%{x:.1f} points<br>value on its scale %{customdata[1]:.2f} x weight "
                f"{weight:.2f} x 100<extra></extra>"
            ),
        })
    layout = _layout(SCORE_TITLE, max(300, 190 + 48 * len(options)), barmode="stack",
                     bargap=0.35)
    if not options:
        _no_options(layout)
        return _figure(data, layout)
    layout["annotations"] += [
        {"x": float(o.score or 0.0), "y": o.id, "text": f"{o.score or 0.0:.1f}",
         "showarrow": False, "xanchor": "left", "xshift": 4}
        for o in options
    ]
    layout["xaxis"] = {"title": {"text": "Weighted points (of 100)"}, "range": [0, 108],
                       "tickvals": [0, 20, 40, 60, 80, 100]}
    layout["yaxis"] = {"title": {"text": "Option (best first)"}, "categoryorder": "array",
                       "categoryarray": labels, "autorange": "reversed"}
    return _figure(data, layout)


# --- rank acceptability -----------------------------------------------------------------------


def _rank_colour(rank: int, count: int) -> str:
    if count <= 1:
        return RANK_COLOURS[0]
    step = (len(RANK_COLOURS) - 1) / (count - 1)
    return RANK_COLOURS[round((rank - 1) * step)]


def rank_acceptability_chart(ev: Evaluation) -> go.Figure:
    """Stacked horizontal bars, one per feasible option (point ranking, best on top): the
    share of sampled weight vectors in which it ranks 1st, 2nd, ...; the first segment is its
    win probability."""
    rob = ev.robustness
    options = list(rob.options)
    count = len(options)
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": f"rank {r}",
            "orientation": "h",
            "x": [100.0 * rob.acceptability[o][r - 1] for o in options],
            "y": options,
            "marker": {"color": _rank_colour(r, count)},
            "customdata": [[ev.option(o).title, rob.mean_rank[o]] for o in options],
            "hovertemplate": (f"<b>%{{y}}</b> (%{{customdata[0]}})<br>rank {r} in %{{x:.1f}}% "
                              "of samples<br>mean rank %{customdata[1]:.2f}<extra></extra>"),
        }
        for r in range(1, count + 1)
    ]
    s = rob.settings
    how = ("uniform weights" if s.uniform else
           f"Dirichlet around the chosen weights, concentration {s.concentration:g}")
    layout = _layout(f"{ACCEPTABILITY_TITLE}<br><sup>{s.samples:,} samples, {how}, seed "
                     f"{s.seed}</sup>", max(320, 210 + 48 * count), barmode="stack",
                     bargap=0.35, margin={"l": 10, "r": 10, "t": 84, "b": 10})
    if not options:
        _no_options(layout)
        return _figure(data, layout)
    layout["annotations"] += [
        {"x": 100.0, "y": o, "text": f"wins {100.0 * rob.win_probability[o]:.1f}%",
         "showarrow": False, "xanchor": "left", "xshift": 4}
        for o in options
    ]
    layout["xaxis"] = {"title": {"text": "Share of sampled weightings (%)"},
                       "range": [0, 122], "tickvals": [0, 20, 40, 60, 80, 100]}
    layout["yaxis"] = {"title": {"text": "Option (point ranking, best first)"},
                       "categoryorder": "array", "categoryarray": options,
                       "autorange": "reversed"}
    return _figure(data, layout)


# --- costs ---------------------------------------------------------------------------------


def _grid(max_factor: float, points: int, extra: Sequence[float]) -> list[float]:
    steps = max(points, 2) - 1
    factors = {max_factor * i / steps for i in range(steps + 1)}
    factors.update(f for f in extra if 0.0 <= f <= max_factor)
    return sorted(factors)


def _cost_bars(ev: Evaluation, title: str) -> go.Figure:
    data: list[dict[str, Any]] = []
    for option_id in ev.ranking:
        result = ev.option(option_id)
        data.append({
            "type": "bar",
            "name": option_id,
            "x": [option_id],
            "y": [result.monthly_cost_usd],
            "marker": {"color": _option_colour(ev, option_id)},
            "customdata": [result.title],
            "hovertemplate": ("<b>%{x}</b> (%{customdata})<br>%{y:$,.2f} per month"
                              "<extra></extra>"),
        })
    layout = _layout(title, 380)
    if not ev.ranking:
        _no_options(layout)
        return _figure(data, layout)
    layout["showlegend"] = False
    layout["xaxis"] = {"title": {"text": "Option (best first)"}}
    layout["yaxis"] = {"title": {"text": "Monthly cost (USD/month)"}, "tickprefix": "$",
                       "rangemode": "tozero"}
    return _figure(data, layout)


def cost_chart(ev: Evaluation, max_factor: float = 10.0, points: int = 41) -> go.Figure:
    """Monthly cost of each feasible option against total data volume, from 0 to
    ``max_factor`` times the scenario's volume, with the scenario's volume and every
    break-even point marked (solved exactly from the piecewise-linear costs, every volume
    scaled together as the x axis is). Falls back to bars when costs cannot be scaled by
    volume."""
    if not max_factor > 0:
        raise ValueError(f"max_factor must be > 0 (got {max_factor!r})")
    if not ev.ranking:
        return _cost_bars(ev, COST_TITLE)
    if not ev.decision.volume_fields:
        return _cost_bars(ev, "Monthly cost per option (does not depend on data volume)")
    base = total_volume(ev)
    if base <= 0:
        return _cost_bars(ev, "Monthly cost per option (no data volume to scale)")
    crossings: tuple[BreakEven, ...] = break_even_points(ev, max_factor)
    # The grid holds the scenario itself (factor 1) and every break-even point exactly.
    factors = _grid(max_factor, points, [1.0, *(b.factor for b in crossings)])
    costs = [cost_at_scale(ev, f) for f in factors]
    volumes = [base * f for f in factors]

    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "name": ev.option(option_id).title,
            "meta": option_id,  # the legend names the option, the trace keeps its id
            "mode": "lines",
            "x": volumes,
            "y": [c[option_id] for c in costs],
            "line": {"color": _option_colour(ev, option_id), "width": 2.5},
            "customdata": [option_id] * len(volumes),
            "hovertemplate": ("<b>" + ev.option(option_id).title + "</b> (%{customdata})<br>"
                              "%{x:,.0f} GB/month in total: %{y:$,.2f} per month"
                              "<extra></extra>"),
        }
        for option_id in ev.ranking
    ]
    layout = _layout(f"{COST_TITLE} (0 to {max_factor:g}x the scenario's)", 440)
    if crossings:
        marks = [(b, cost_at_scale(ev, b.factor)[b.cheaper_option]) for b in crossings]
        data.append({
            "type": "scatter",
            "name": "break-even",
            "mode": "markers",
            "x": [b.volume_gb for b, _ in marks],
            "y": [usd for _, usd in marks],
            "marker": {"symbol": "diamond", "size": 11, "color": "#222222"},
            "customdata": [ev.option(b.cheaper_option).title for b, _ in marks],
            "hovertemplate": ("break-even at %{x:,.0f} GB/month (%{y:$,.2f} per month): "
                              "%{customdata} cheaper above<extra></extra>"),
        })
        layout["annotations"] += [
            {"x": b.volume_gb, "y": usd, "showarrow": True, "arrowhead": 2, "ax": 0,
             "ay": -36 - 22 * (i % 3), "bgcolor": "rgba(255,255,255,0.85)",
             "text": f"{ev.option(b.cheaper_option).title} cheaper above "
                     f"{b.volume_gb:,.0f} GB/month in total"}
            for i, (b, usd) in enumerate(marks)
        ]
    layout["shapes"] = [{"type": "line", "xref": "x", "yref": "y domain", "x0": base,
                         "x1": base, "y0": 0, "y1": 1,
                         "line": {"dash": "dash", "color": "#555555", "width": 1.5}}]
    layout["annotations"].append({
        "text": f"scenario: {base:,.0f} GB/month", "xref": "x", "yref": "y domain",
        "x": base, "y": 1, "xanchor": "left", "yanchor": "top", "showarrow": False,
        "font": {"size": 12, "color": "#555555"}})
    layout["xaxis"] = {"title": {"text": "Total data volume (GB/month)"},
                       "rangemode": "tozero", "range": [0, base * max_factor]}
    # D21: the axis starts a little below $0, so a $0 line is drawn above the x axis, not on it
    top = max((y for c in costs for y in c.values() if y is not None), default=0.0) or 1.0
    layout["yaxis"] = {"title": {"text": "Monthly cost (USD/month)"}, "tickprefix": "$",
                       "range": [-0.04 * top * 1.05, top * 1.05]}
    return _figure(data, layout)


# --- display bundle ------------------------------------------------------------------------

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False}
_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")
_MARKUP = re.compile(r"<[^>]*>")

# Finds its own div through document.currentScript (so two charts with the same name on one
# page do not collide), falling back to the id where currentScript is unavailable.
_DRAW_JS = (
    "(function(){{var me=document.currentScript;"
    "var data=me?me.previousElementSibling:document.getElementById(\"{id}-data\");"
    "var div=data?data.previousElementSibling:null;"
    "if(!div||!data){{return;}}"
    "if(window.Plotly&&typeof window.Plotly.newPlot===\"function\"){{"
    "var fig=JSON.parse(data.textContent);"
    # A phone-narrow chart: the title's first line wraps at words (plotly never wraps it),
    # the top margin growing a line for each line added.
    "var t=fig.layout.title,w=div.clientWidth;"
    "if(t&&t.text&&w&&w<640){{var parts=t.text.split(\"<br>\"),n=Math.max(20,"
    "Math.floor(w/10)),lines=[],line=\"\";parts[0].split(\" \").forEach(function(word){{"
    "if(line&&(line+\" \"+word).length>n){{lines.push(line);line=word;}}"
    "else{{line=line?line+\" \"+word:word;}}}});lines.push(line);"
    "t.text=lines.concat(parts.slice(1)).join(\"<br>\");t.yref=\"container\";t.y=1;"
    "t.yanchor=\"top\";t.pad={{t:8+20*(lines.length-1)}};var m=fig.layout.margin||{{}};"
    "m.t=(m.t||60)+24*(lines.length-1);fig.layout.margin=m;}}"
    "window.Plotly.newPlot(div,fig.data,fig.layout,{{responsive:true,displaylogo:false}});"
    "}}else{{div.textContent=\"chart needs plotly.js\";}}}})();"
)


def _chart_id(name: str) -> str:
    slug = _UNSAFE_ID.sub("-", name.lower()).strip("-")
    return f"archlib-chart-{slug or 'chart'}"


def _script_safe(text: str) -> str:
    """JSON text made safe inside a <script> element (still valid JSON)."""
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


@dataclass(frozen=True, eq=False)
class ChartDisplay:
    """A figure plus a stable name; Jupyter displays it through ``_repr_mimebundle_``."""

    figure: go.Figure
    name: str

    @property
    def div_id(self) -> str:
        return _chart_id(self.name)

    def title(self) -> str:
        text = self.figure.layout.title.text
        # Plain text: a subtitle's <br><sup>...</sup> markup becomes " - ...".
        plain = " ".join(_MARKUP.sub(" ", str(text).replace("<br>", " - ")).split()) if text \
            else ""
        return plain or self.name

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        spec: dict[str, Any] = json.loads(self.figure.to_json())
        spec["config"] = dict(_CONFIG)
        div_id = self.div_id
        height = self.figure.layout.height or 450
        html = (
            f'<div id="{div_id}" class="archlib-chart" style="width:100%;'
            f'min-height:{int(height)}px"></div>'
            f'<script type="application/json" id="{div_id}-data">'
            f"{_script_safe(json.dumps(spec, sort_keys=True, separators=(',', ':')))}"
            "</script>"
            f"<script>{_DRAW_JS.format(id=div_id)}</script>"
        )
        bundle: dict[str, Any] = {
            PLOTLY_MIME: spec,
            "text/html": html,
            "text/plain": self.title(),
        }
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle


def display_chart(fig: go.Figure, name: str) -> ChartDisplay:
    """``display(display_chart(fig, "cost"))`` in a notebook; ``name`` fixes the div id."""
    return ChartDisplay(fig, name)


def plotly_js_source() -> str:
    """The plotly.min.js shipped inside the installed plotly package (for report assets)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())
