"""archlib.charts: score and cost figures, and the display bundle."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import plotly.graph_objects as go
import pytest

import archlib
from archlib._engine import break_even_points, total_volume
from archlib._engine import evaluate as engine_evaluate
from archlib.charts import (
    PLOTLY_MIME,
    SCORE_TITLE,
    ChartDisplay,
    cost_chart,
    display_chart,
    plotly_js_source,
    plotly_js_version,
    score_chart,
)
from archlib.decisions import s3_endpoints

S3 = "s3-endpoints"
HOURS = 730.0
# Hand-computed from us-east-1.yaml: interface endpoint 0.01 USD per AZ-hour and 0.01 USD per
# GB; proxy instance 0.096 USD per hour; gateway endpoints free.
INTERFACE_AZ_HOUR = 0.01
INTERFACE_GB = 0.01
PROXY_HOUR = 0.096
NLB_HOUR, NLCU_PER_GB = 0.0225, 0.006  # the proxy fleet's load balancer (issue 14, F9)
#: one proxy fleet of 2 behind an NLB, flat part: 140.16 + 16.425 = 156.585
PROXY_FLAT = 2 * PROXY_HOUR * HOURS + NLB_HOUR * HOURS


def _approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-9, abs=1e-9)


@pytest.fixture(scope="module")
def default_ev() -> archlib.Evaluation:
    return archlib.evaluate(S3)


def _bar_values(fig: go.Figure) -> dict[str, dict[str, float]]:
    """criterion trace name -> option id -> points."""
    return {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data}


# --- score chart -----------------------------------------------------------------------------


def test_score_chart_one_trace_per_criterion(default_ev: archlib.Evaluation) -> None:
    fig = score_chart(default_ev)
    criteria = default_ev.decision.criteria
    assert len(fig.data) == len(criteria)
    assert all(isinstance(t, go.Bar) and t.orientation == "h" for t in fig.data)
    assert fig.layout.barmode == "stack"
    for trace, criterion in zip(fig.data, criteria, strict=True):
        weight = default_ev.weights[criterion.id]
        assert trace.name == f"{criterion.title} (weight {weight:.2f})"
        assert list(trace.y) == list(default_ev.ranking)
        assert list(trace.x) == [default_ev.option(o).contributions[criterion.id]
                                 for o in default_ev.ranking]


def test_score_chart_stacks_to_the_score_hand_checked(default_ev: archlib.Evaluation) -> None:
    fig = score_chart(default_ev)
    titles = {c.id: c.title for c in default_ev.decision.criteria}
    by_title = {name.split(" (weight")[0]: values for name, values in _bar_values(fig).items()}
    points = {cid: by_title[title] for cid, title in titles.items()}
    # Default weights: cost 0.40, complexity 0.25, control 0.20, headroom 0.15; fixed scales.
    # gateway: $0 -> 1, complexity 1 -> 1, control 4 -> 0.75, headroom 10x -> 1.
    # interface: $24.60 -> 100 / 124.6, complexity 2 -> 0.75, control 5 -> 1, 10x -> 1.
    assert {c: points[c]["gateway"] for c in titles} == {
        "monthly_cost": _approx(40.0), "operational_complexity": _approx(25.0),
        "private_path_control": _approx(15.0), "throughput_headroom": _approx(15.0)}
    assert {c: points[c]["interface"] for c in titles} == {
        "monthly_cost": _approx(40 * 100 / 124.6), "operational_complexity": _approx(18.75),
        "private_path_control": _approx(20.0), "throughput_headroom": _approx(15.0)}
    totals = {o: sum(points[c][o] for c in titles) for o in default_ev.ranking}
    assert totals == {"gateway": _approx(95.0),
                      "interface": _approx(40 * 100 / 124.6 + 18.75 + 20 + 15)}
    for option_id in default_ev.ranking:
        assert totals[option_id] == _approx(default_ev.option(option_id).score or 0.0)


def test_score_chart_titles_and_units(default_ev: archlib.Evaluation) -> None:
    fig = score_chart(default_ev)
    assert fig.layout.title.text == SCORE_TITLE == "Score by weighted criterion (0-100)"
    assert "(of 100)" in fig.layout.xaxis.title.text
    assert fig.layout.yaxis.title.text
    assert fig.layout.template.layout.plot_bgcolor == "white"  # plotly_white look


def test_score_chart_stacks_for_every_feasible_option() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True, "monthly_gb_on_prem": 500.0,
                               "vpc_count": 3})
    fig = score_chart(ev)
    assert len(ev.ranking) >= 3
    values = _bar_values(fig)
    for option_id in ev.ranking:
        total = sum(v[option_id] for v in values.values())
        assert total == _approx(ev.option(option_id).score or 0.0)


def test_score_chart_without_feasible_options() -> None:
    # A copy of the S3 decision with one more rule that rules out every option.
    decision = dataclasses.replace(
        s3_endpoints.DECISION,
        rules=(*s3_endpoints.DECISION.rules, dataclasses.replace(
            s3_endpoints.DECISION.rules[0], options=s3_endpoints.DECISION.option_ids,
            check=lambda p: "ruled out for the test")))
    ev = engine_evaluate(decision, {})
    assert ev.recommended is None
    fig = score_chart(ev)
    assert [a.text for a in fig.layout.annotations] == ["No feasible option"]
    costs = cost_chart(ev)
    assert costs.data == ()
    assert [a.text for a in costs.layout.annotations] == ["No feasible option"]


# --- cost chart ------------------------------------------------------------------------------


def _line(fig: go.Figure, name: str) -> dict[float, float]:
    (trace,) = [t for t in fig.data if t.meta == name]
    return dict(zip(trace.x, trace.y, strict=True))


def test_cost_chart_one_line_per_feasible_option(default_ev: archlib.Evaluation) -> None:
    fig = cost_chart(default_ev)
    assert [t.meta for t in fig.data] == list(default_ev.ranking)  # no break-even here
    # the legend names each option by its title (issue 18: human names in charts)
    assert [t.name for t in fig.data] == [default_ev.option(o).title
                                          for o in default_ev.ranking]
    assert all(isinstance(t, go.Scatter) and t.mode == "lines" for t in fig.data)
    base = total_volume(default_ev)
    assert base == 1000.0
    for option_id in default_ev.ranking:
        line = _line(fig, option_id)
        assert min(line) == 0.0 and max(line) == _approx(10 * base)
        assert line[base] == _approx(default_ev.option(option_id).monthly_cost_usd or 0.0)
    # interface at 0 GB: 1 VPC x 2 AZ x 0.01 USD x 730 h = 14.6; gateway is free.
    assert _line(fig, "interface")[0.0] == _approx(2 * INTERFACE_AZ_HOUR * HOURS) == 14.6
    assert set(_line(fig, "gateway").values()) == {0.0}
    # interface at 10x: 14.6 + 10 000 GB x 0.01 = 114.6
    assert _line(fig, "interface")[10 * base] == _approx(114.6)


def test_cost_chart_marks_the_scenario_volume(default_ev: archlib.Evaluation) -> None:
    fig = cost_chart(default_ev)
    (shape,) = fig.layout.shapes
    assert (shape.type, shape.x0, shape.x1, shape.line.dash) == ("line", 1000.0, 1000.0, "dash")
    texts = [a.text for a in fig.layout.annotations]
    assert "scenario: 1,000 GB/month" in texts
    assert not [t for t in texts if "cheaper above" in t]
    assert fig.layout.xaxis.title.text == "Total data volume (GB/month)"
    assert fig.layout.yaxis.title.text == "Monthly cost (USD/month)"
    assert "volume" in fig.layout.title.text


def test_cost_chart_has_no_break_even_without_a_crossing() -> None:
    # On-premises 500 GB, in-VPC 1000 GB. Feasible: gateway-plus-interface (14.6 + 0.01 x
    # on-premises GB), interface (14.6 + 0.01 x all GB, never below it) and the proxy fleet
    # (156.585 + 0.006 x on-premises GB). gateway-plus-interface reaches the fleet at factor
    # (156.585 - 14.6) / (5 - 3) = 70.99: outside 0..10x, so nothing crosses.
    ev = archlib.evaluate(S3, {"on_prem_access": True, "monthly_gb_on_prem": 500.0,
                               "monthly_gb_in_vpc": 1000.0})
    assert break_even_points(ev) == ()
    fig = cost_chart(ev)
    assert [t.meta for t in fig.data] == list(ev.ranking)
    assert not [a for a in fig.layout.annotations if "cheaper above" in a.text]


@pytest.mark.parametrize(
    ("params", "max_factor", "factor"),
    [
        # The same scenario drawn to 100x: crossing at factor 70.99 (106 489 GB/month).
        ({"on_prem_access": True, "monthly_gb_on_prem": 500.0, "monthly_gb_in_vpc": 1000.0},
         100.0, (PROXY_FLAT - 2 * INTERFACE_AZ_HOUR * HOURS)
         / (500 * (INTERFACE_GB - NLCU_PER_GB))),
        # 4000 GB on-premises: 14.6 + 40 f = 156.585 + 24 f at f = 8.874 (44 370.3 GB/month).
        ({"on_prem_access": True, "monthly_gb_on_prem": 4000.0, "monthly_gb_in_vpc": 1000.0},
         10.0, (PROXY_FLAT - 2 * INTERFACE_AZ_HOUR * HOURS)
         / (4000 * (INTERFACE_GB - NLCU_PER_GB))),
    ],
)
def test_cost_chart_marks_a_hand_computed_break_even(
    params: dict[str, Any], max_factor: float, factor: float
) -> None:
    ev = archlib.evaluate(S3, params)
    base = params["monthly_gb_on_prem"] + params["monthly_gb_in_vpc"]
    volume = factor * base
    fig = cost_chart(ev, max_factor=max_factor)
    assert [t.meta for t in fig.data] == [*ev.ranking, None]
    assert fig.data[-1].name == "break-even"
    marker = fig.data[-1]
    assert marker.mode == "markers"
    assert list(marker.x) == [_approx(volume)] and len(marker.y) == 1
    proxy_at_break_even = PROXY_FLAT + NLCU_PER_GB * params["monthly_gb_on_prem"] * factor
    assert marker.y[0] == pytest.approx(proxy_at_break_even, rel=1e-9)
    texts = [a.text for a in fig.layout.annotations if "cheaper above" in a.text]
    # the volume is the chart's x axis, the total of every volume (D18)
    proxy = ev.option("gateway-proxy-fleet").title
    assert texts == [f"{proxy} cheaper above {volume:,.0f} GB/month in total"]
    # Both lines pass through the break-even point on the grid.
    assert _line(fig, "gateway-proxy-fleet")[marker.x[0]] == pytest.approx(
        proxy_at_break_even, rel=1e-9)
    assert _line(fig, "gateway-plus-interface")[marker.x[0]] == pytest.approx(
        proxy_at_break_even, rel=1e-9)


def test_cost_chart_falls_back_to_bars_without_volume() -> None:
    ev = archlib.evaluate(S3, {"monthly_gb_in_vpc": 0.0, "monthly_gb_on_prem": 0.0})
    fig = cost_chart(ev)
    assert all(isinstance(t, go.Bar) for t in fig.data)
    assert [t.name for t in fig.data] == list(ev.ranking)
    for trace in fig.data:
        assert list(trace.y) == [ev.option(trace.name).monthly_cost_usd]
    assert "volume" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == "Monthly cost (USD/month)"


def test_cost_chart_bars_when_the_decision_has_no_volume_fields() -> None:
    decision = dataclasses.replace(s3_endpoints.DECISION, volume_fields=())
    ev = engine_evaluate(decision, {})
    fig = cost_chart(ev)
    assert all(isinstance(t, go.Bar) for t in fig.data)
    assert "does not depend on data volume" in fig.layout.title.text
    assert not fig.layout.shapes


def test_cost_chart_rejects_a_bad_range(default_ev: archlib.Evaluation) -> None:
    with pytest.raises(ValueError, match="max_factor"):
        cost_chart(default_ev, max_factor=0)


def test_figures_are_deterministic() -> None:
    params = {"on_prem_access": True, "monthly_gb_on_prem": 5000.0}
    one, two = archlib.evaluate(S3, params), archlib.evaluate(S3, params)
    assert score_chart(one).to_json() == score_chart(two).to_json()
    assert cost_chart(one).to_json() == cost_chart(two).to_json()
    bundle_one = display_chart(cost_chart(one), "cost")._repr_mimebundle_()
    bundle_two = display_chart(cost_chart(two), "cost")._repr_mimebundle_()
    assert bundle_one == bundle_two
    assert "uid" not in cost_chart(one).to_json()


def test_option_colours_follow_the_decision_not_feasibility() -> None:
    a = cost_chart(archlib.evaluate(S3))
    b = cost_chart(archlib.evaluate(S3, {"on_prem_access": True, "monthly_gb_on_prem": 9.0}))
    colour_a = {t.meta: t.line.color for t in a.data}
    colour_b = {t.meta: t.line.color for t in b.data}
    assert colour_a["interface"] == colour_b["interface"]


def test_a_zero_cost_line_is_drawn_above_the_x_axis(default_ev: archlib.Evaluation) -> None:
    # D21: gateway costs $0 at every volume; the y axis starts below $0 so its line shows.
    # interface at 10x the 1,000 GB scenario: 14.6 + 10,000 GB x 0.01 = 114.6, the top cost
    fig = cost_chart(default_ev)
    assert set(_line(fig, "gateway").values()) == {0.0}
    low, high = fig.layout.yaxis.range
    assert low < 0 < high
    assert high == _approx(114.6 * 1.05) and low == _approx(-0.04 * 114.6 * 1.05)


# --- display bundle --------------------------------------------------------------------------

_DATA = re.compile(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', re.S)


def test_bundle_has_three_mimetypes_and_a_stable_div(default_ev: archlib.Evaluation) -> None:
    chart = display_chart(cost_chart(default_ev), "s3-endpoints-cost")
    assert isinstance(chart, ChartDisplay)
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {PLOTLY_MIME, "text/html", "text/plain"}
    spec = bundle[PLOTLY_MIME]
    assert json.loads(json.dumps(spec)) == spec  # JSON-safe
    assert set(spec) >= {"data", "layout"}
    assert bundle["text/plain"] == cost_chart(default_ev).layout.title.text
    page = bundle["text/html"]
    assert page.startswith('<div id="archlib-chart-s3-endpoints-cost" class="archlib-chart"')
    assert "Plotly.newPlot(" in page and "window.Plotly" in page
    assert "chart needs plotly.js" in page
    assert "<script src=" not in page and "http" not in page
    (match,) = _DATA.findall(page)
    assert match[0] == "archlib-chart-s3-endpoints-cost"
    assert json.loads(match[1])["data"] == spec["data"]
    assert len(page) < 60_000  # plotly.js is never embedded


@pytest.mark.parametrize(("name", "div_id"), [
    ("cost", "archlib-chart-cost"),
    ("S3 Endpoints / Score #1", "archlib-chart-s3-endpoints-score-1"),
    ('"><script>', "archlib-chart-script"),
    ("", "archlib-chart-chart"),
])
def test_div_id_is_sanitised(name: str, div_id: str) -> None:
    chart = display_chart(go.Figure(), name)
    assert chart.div_id == div_id
    assert chart._repr_mimebundle_()["text/html"].startswith(f'<div id="{div_id}"')


def test_script_end_tags_in_the_json_are_escaped() -> None:
    title = "</script><script>alert(1)</script><!-- x"
    fig = go.Figure(layout={"title": {"text": title}})
    page = display_chart(fig, "evil")._repr_mimebundle_()["text/html"]
    (match,) = _DATA.findall(page)
    assert "</" not in match[1] and "<!--" not in match[1]
    assert "<\\/script>" in match[1]
    assert json.loads(match[1])["layout"]["title"]["text"] == title
    assert page.count("</script>") == 2  # the data script and the drawing script only


def test_bundle_include_and_exclude(default_ev: archlib.Evaluation) -> None:
    chart = display_chart(score_chart(default_ev), "score")
    assert set(chart._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(chart._repr_mimebundle_(exclude=["text/html"])) == {PLOTLY_MIME, "text/plain"}


def test_plotly_js_comes_from_the_installed_package() -> None:
    version = plotly_js_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    source = plotly_js_source()
    assert len(source) > 1_000_000
    assert version in source[:2000]
