"""archlib.widgets: the explorer, driven without a kernel (ipywidgets 8 uses a dummy comm, so
setting a control's value runs its observers synchronously)."""

from __future__ import annotations

import html
from typing import Any, Literal

import ipywidgets as widgets
import pytest
import yaml
from pydantic import Field

import archlib
from archlib import InputError
from archlib._model import DecisionParams
from archlib.charts import PLOTLY_MIME
from archlib.decisions.s3_endpoints import Params
from archlib.summary import BADGES
from archlib.widgets import (
    FOLLOW_RECOMMENDED,
    MAX_SLIDER_STEPS,
    Explorer,
    OptionalNumber,
    control_for,
    explore,
    parameter_label,
    verdict_badge_html,
)

S3 = "s3-endpoints"


@pytest.fixture
def explorer() -> Explorer:
    return explore(S3)


def _bounds(name: str) -> tuple[float | None, float | None]:
    low = high = None
    for item in Params.model_fields[name].metadata:
        low = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else low
        low = getattr(item, "gt", None) if getattr(item, "gt", None) is not None else low
        high = getattr(item, "le", None) if getattr(item, "le", None) is not None else high
    return low, high


def test_explorer_is_a_displayable_box(explorer: Explorer) -> None:
    assert isinstance(explorer, widgets.VBox)
    assert explorer.evaluation.decision.id == S3
    assert explorer.evaluation.recommended == "gateway"
    assert explorer.error.value == ""
    for part in (explorer.recommendation, explorer.table, explorer.diagram, explorer.error):
        assert isinstance(part, widgets.HTML)
    assert isinstance(explorer.charts, widgets.Output)


def test_a_control_for_every_parameter_but_weights(explorer: Explorer) -> None:
    assert set(explorer.controls) == set(Params.model_fields) - {"weights", "exclude"}
    assert explorer.fixed == {}
    for name, control in explorer.controls.items():
        info = Params.model_fields[name]
        assert control.value == info.default
        label = parameter_label(name, info)
        if isinstance(control, OptionalNumber):  # cost_materiality_usd: unset by default
            assert control.given.description == label
            assert control.given.tooltip.startswith(info.description)
            control = control.number
        else:
            assert control.description == label
            assert control.tooltip == info.description  # the model's help text
        low, high = _bounds(name)
        if low is not None:
            assert control.min == low, name
            assert control.max == high, name


# Labels: the name in words, acronyms as written, the unit from the name or description.
S3_LABELS = [
    ("vpc_count", "VPC count"),
    ("az_count", "AZ count"),
    ("region", "Region"),
    ("monthly_gb_in_vpc", "Data in VPC (GB/month)"),
    ("monthly_gb_on_prem", "Data on-premises (GB/month)"),
    ("monthly_gb_cross_region", "Data cross-Region (GB/month)"),
    ("on_prem_access", "On-premises access"),
    ("on_prem_via_transit_gateway", "On-premises via Transit Gateway"),
    ("peak_gbps", "Peak throughput (Gbps)"),
    ("proxy_instance_gbps", "Proxy instance throughput (Gbps)"),
    ("cost_materiality_usd", "Cost materiality (USD/month)"),  # "Monthly USD at which..."
]


@pytest.mark.parametrize(("name", "label"), S3_LABELS)
def test_s3_controls_read_as_words_with_units(name: str, label: str) -> None:
    assert parameter_label(name, Params.model_fields[name]) == label


@pytest.mark.parametrize(("decision", "name", "label"), [
    ("sqlserver-ha-dr", "rto_seconds", "RTO (s)"),
    ("sqlserver-ha-dr", "data_gb", "Data (GiB)"),  # "in GiB" in its description
    ("sqlserver-ha-dr", "vcpus_per_node", "vCPUs per node"),
    ("sqlserver-ha-dr", "dns_ttl_seconds", "DNS TTL (s)"),
    ("sqlserver-ha-dr", "fsx_throughput_mbps", "FSx throughput (MBps)"),
    ("dr-strategy", "production_monthly_usd", "Production (USD/month)"),
    ("dr-strategy", "data_tier_share", "Data tier share (0-1)"),
    ("egress-inspection", "appliance_licence_hourly_usd", "Appliance licence (USD/hour)"),
    ("az-affinity", "lb_processed_gb", "Load balancer processed (GB/month)"),
    ("az-affinity", "cross_az_ms_p50", "Cross-AZ p50 (ms)"),
])
def test_labels_of_other_decisions(decision: str, name: str, label: str) -> None:
    info = archlib.decisions.get(decision).params_model.model_fields[name]
    assert parameter_label(name, info) == label


def test_a_declared_title_and_unit_win() -> None:
    class Model(DecisionParams):
        span: float = Field(1.0, ge=0, le=10, title="Span of the thing",
                            json_schema_extra={"unit": "furlongs"})
        peak_gbps: float = Field(1.0, gt=0, le=10, title="Peak per VPC")

    fields = Model.model_fields
    assert parameter_label("span", fields["span"]) == "Span of the thing (furlongs)"
    assert parameter_label("peak_gbps", fields["peak_gbps"]) == "Peak per VPC (Gbps)"


@pytest.mark.parametrize("decision", archlib.decisions.ids())
def test_every_control_has_a_label_without_ids(decision: str) -> None:
    """No snake_case id as a label, a tooltip from the model on every control, and a unit on
    every number whose name or description states one."""
    ex = explore(decision)
    fields = ex.decision.params_model.model_fields
    for name, control in ex.controls.items():
        label = control.given.description if isinstance(control, OptionalNumber) \
            else control.description
        assert "_" not in label, (name, label)
        assert label[:1].isupper() or label.startswith(("vCPUs", "p50")), (name, label)
        tooltip = control.given.tooltip if isinstance(control, OptionalNumber) \
            else control.tooltip
        assert tooltip and tooltip.startswith(fields[name].description), name
        for word, unit in (("gbps", "(Gbps)"), ("seconds", "(s)"), ("usd", "(USD")):
            if word in name.split("_"):
                assert unit in label, (name, label)


def test_control_kinds(explorer: Explorer) -> None:
    kinds = {name: type(c) for name, c in explorer.controls.items()}
    assert kinds["region"] is widgets.Dropdown  # the Regions with prices (issue 19)
    assert kinds["on_prem_access"] is widgets.Checkbox
    assert kinds["az_count"] is widgets.IntSlider  # 1-6
    assert kinds["proxy_count"] is widgets.IntSlider  # 1-100: 99 steps
    # 1-1000 VPCs: a slider dragged 30% along gave 301 (D11); a bounded text box instead.
    assert kinds["vpc_count"] is widgets.BoundedIntText
    # Volumes up to 1e8 GB: a bounded text box, not a slider.
    assert kinds["monthly_gb_in_vpc"] is widgets.BoundedFloatText
    assert kinds["monthly_gb_on_prem"] is widgets.BoundedFloatText


@pytest.mark.parametrize("decision", archlib.decisions.ids())
def test_sliders_have_at_most_a_hundred_steps(decision: str) -> None:
    ex = explore(decision)
    for name, control in ex.controls.items():
        number = control.number if isinstance(control, OptionalNumber) else control
        if isinstance(number, (widgets.IntSlider, widgets.FloatSlider)):
            steps = (number.max - number.min) / number.step
            assert steps <= MAX_SLIDER_STEPS == 100, (name, steps)
            assert number.min <= number.value <= number.max


def test_the_region_list_is_exactly_the_priced_regions(explorer: Explorer) -> None:
    from archlib._prices import available_regions

    assert explorer.controls["region"].options == available_regions()
    # and every one of them evaluates (it has prices)
    for region in available_regions():
        assert archlib.evaluate(S3, {"region": region}).params.region == region  # type: ignore[attr-defined]


def test_an_unpriced_region_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match="region: no prices for Region 'eu-west-1'"):
        explore(S3, region="eu-west-1")


def test_the_region_control_lists_the_regions_with_prices(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHLIB_PRICE_CACHE", str(tmp_path))
    assert Explorer("s3-endpoints").controls["region"].options == ("us-east-1",)
    (tmp_path / "eu-west-1.yaml").write_text("region: eu-west-1\nitems: {}\n")
    assert Explorer("s3-endpoints").controls["region"].options == ("eu-west-1", "us-east-1")


@pytest.mark.parametrize("region", ["eu-west-1", "nowhere", ""])
def test_the_region_control_refuses_a_region_without_prices(explorer: Explorer,
                                                             region: str) -> None:
    import traitlets

    with pytest.raises(traitlets.TraitError):
        explorer.controls["region"].value = region
    assert explorer.controls["region"].value == "us-east-1"


def test_control_for_other_types() -> None:
    choice = control_for("tier", Literal["a", "b"], [], "a tier", "b")
    assert isinstance(choice, widgets.Dropdown) and choice.options == ("a", "b")
    assert choice.value == "b"
    many = control_for("sites", list[Literal["x", "y", "z"]], [], "", ["x", "z"])
    assert isinstance(many, widgets.SelectMultiple) and many.value == ("x", "z")
    ratio = control_for("ratio", float, Params.model_fields["az_count"].metadata[:0], "", 0.5)
    assert isinstance(ratio, widgets.FloatText)
    huge = control_for("n", int, [*Params.model_fields["vpc_count"].metadata[:1]], "", 1)
    assert isinstance(huge, widgets.IntText)  # one-sided bound
    assert control_for("blob", dict[str, int], [], "", {}) is None

    class Model(DecisionParams):
        fraction: float = Field(0.5, ge=0, le=1)

    slider = control_for("fraction", float, Model.model_fields["fraction"].metadata, "", 0.5)
    assert isinstance(slider, widgets.FloatSlider)
    assert (slider.min, slider.max, slider.step) == (0.0, 1.0, 0.01)


def test_initial_values_come_from_params() -> None:
    ex = explore(S3, vpc_count=4, on_prem_access=True, weights={"monthly_cost": 3.0})
    assert ex.controls["vpc_count"].value == 4
    assert ex.controls["on_prem_access"].value is True
    # Weights above 1 are scaled into the sliders' 0..1; their ratios are kept.
    weights = {k: s.value for k, s in ex.weight_controls.items()}
    assert weights["monthly_cost"] == 1.0
    assert weights["operational_complexity"] == pytest.approx(0.25 / 3.0)
    expected = archlib.evaluate(
        S3, {"vpc_count": 4, "on_prem_access": True, "weights": {"monthly_cost": 3.0}}).weights
    assert ex.evaluation.weights == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("params", [{"vpc_count": 0}, {"vpc_count": "4"}, {"colour": "red"},
                                    {"weights": {"beauty": 1.0}}])
def test_bad_params_raise_input_error(params: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        explore(S3, **params)


def test_unknown_decision_raises_input_error() -> None:
    with pytest.raises(InputError, match="unknown decision"):
        explore("no-such-decision")


def test_weight_sliders_default_to_criterion_weights(explorer: Explorer) -> None:
    criteria = explorer.evaluation.decision.criteria
    assert list(explorer.weight_controls) == [c.id for c in criteria]
    for c in criteria:
        slider = explorer.weight_controls[c.id]
        assert isinstance(slider, widgets.FloatSlider)
        assert (slider.min, slider.max, slider.value) == (0.0, 1.0, c.default_weight)


def test_on_prem_access_changes_the_recommendation(explorer: Explorer) -> None:
    explorer.controls["on_prem_access"].value = True
    ev = explorer.evaluation
    assert ev.params.on_prem_access is True  # type: ignore[attr-defined]
    assert ev.recommended != "gateway"
    assert ev.recommended == "gateway-plus-interface"
    assert "Gateway plus interface endpoint <small" in explorer.recommendation.value
    assert "Recommended" in explorer.recommendation.value
    assert explorer.table.value.count("<tr") == 1 + len(ev.options)
    assert "gateway-same-vpc-only" not in explorer.table.value  # messages, not rule ids
    assert "a gateway endpoint serves only resources" in explorer.table.value


def test_weights_change_the_ranking(explorer: Explorer) -> None:
    explorer.controls["on_prem_access"].value = True
    explorer.controls["monthly_gb_on_prem"].value = 500.0
    for cid, slider in explorer.weight_controls.items():
        slider.value = 1.0 if cid == "monthly_cost" else 0.0
    ev = explorer.evaluation
    by_cost = sorted(ev.ranking, key=lambda o: ev.option(o).monthly_cost_usd or 0.0)
    assert list(ev.ranking) == by_cost == ["gateway-plus-interface", "interface",
                                           "gateway-proxy-fleet"]
    assert ev.weights["monthly_cost"] == 1.0


def test_control_weight_makes_interface_win(explorer: Explorer) -> None:
    for cid, slider in explorer.weight_controls.items():
        slider.value = 1.0 if cid == "private_path_control" else 0.0
    assert explorer.evaluation.recommended == "interface"  # control 5 beats the gateway's 4
    assert "Interface endpoint per VPC <small" in explorer.recommendation.value


@pytest.mark.parametrize(("name", "value", "message"), [
    ("peak_gbps", 0.0, "peak_gbps: Input should be greater than 0"),
])
def test_invalid_values_show_the_error_line(
    explorer: Explorer, name: str, value: Any, message: str
) -> None:
    before = explorer.evaluation
    explorer.controls[name].value = value  # no exception
    assert message in html.unescape(explorer.error.value)
    assert explorer.evaluation is before  # the last valid result stays
    explorer.controls[name].value = Params.model_fields[name].default
    assert explorer.error.value == ""


def test_all_weights_zero_shows_the_error_line(explorer: Explorer) -> None:
    for slider in explorer.weight_controls.values():
        slider.value = 0.0
    assert "at least one weight must be greater than 0" in explorer.error.value
    explorer.weight_controls["monthly_cost"].value = 0.5
    assert explorer.error.value == ""
    assert explorer.evaluation.weights["monthly_cost"] == 1.0


def test_charts_hold_both_figures(explorer: Explorer) -> None:
    outputs = explorer.charts.outputs
    assert [o["output_type"] for o in outputs] == ["display_data", "display_data"]
    titles = [o["data"]["text/plain"] for o in outputs]
    assert titles[0] == "Score by weighted criterion (0-100)"
    assert "volume" in titles[1]
    assert 'id="archlib-chart-s3-endpoints-explorer-score"' in outputs[0]["data"]["text/html"]
    explorer.controls["vpc_count"].value = 3
    cost = explorer.charts.outputs[1]["data"][PLOTLY_MIME]
    assert len(cost["data"]) == len(explorer.evaluation.ranking)


def test_diagram_shows_the_recommended_option_as_svg(explorer: Explorer) -> None:
    assert explorer.diagram_option.value == FOLLOW_RECOMMENDED
    assert explorer.diagram_shown == "gateway"
    assert "<svg" in explorer.diagram.value
    assert "(<code>gateway</code>, recommended)" in explorer.diagram.value
    explorer.controls["on_prem_access"].value = True
    assert explorer.diagram_shown == "gateway-plus-interface"
    assert "<svg" in explorer.diagram.value
    assert "(<code>gateway-plus-interface</code>, recommended)" in explorer.diagram.value


def test_diagram_of_another_option(explorer: Explorer) -> None:
    explorer.diagram_option.value = "nat-gateway"
    assert explorer.diagram_shown == "nat-gateway"
    assert "<svg" in explorer.diagram.value
    assert "(<code>nat-gateway</code>, ruled out)" in explorer.diagram.value
    explorer.diagram_option.value = FOLLOW_RECOMMENDED
    assert "(<code>gateway</code>, recommended)" in explorer.diagram.value


def test_diagram_is_redrawn_only_when_its_spec_changes(explorer: Explorer) -> None:
    assert explorer.diagram_renders == 1
    svg = explorer.diagram.value
    explorer.controls["monthly_gb_in_vpc"].value = 5000.0  # not in the drawing
    explorer.weight_controls["throughput_headroom"].value = 0.5  # nor this
    assert explorer.diagram_renders == 1
    assert explorer.diagram.value == svg
    explorer.controls["az_count"].value = 3  # the gateway drawing has no AZ label
    assert explorer.diagram_renders == 1
    explorer.controls["vpc_count"].value = 2  # a second VPC is drawn
    assert explorer.diagram_renders == 2
    explorer.controls["vpc_count"].value = 1  # back: from the cache
    assert explorer.diagram_renders == 2
    assert explorer.diagram.value == svg


def test_the_explorer_changes_nothing_global(explorer: Explorer) -> None:
    explorer.controls["on_prem_access"].value = True
    explorer.weight_controls["monthly_cost"].value = 0.0
    fresh = archlib.evaluate(S3)
    assert fresh.recommended == "gateway"
    assert fresh.weights["monthly_cost"] == pytest.approx(0.40)
    assert explore(S3).controls["on_prem_access"].value is False


def test_params_returns_what_the_controls_hold(explorer: Explorer) -> None:
    explorer.controls["vpc_count"].value = 7
    params = explorer.params()
    assert params["vpc_count"] == 7
    assert isinstance(params["monthly_gb_in_vpc"], float)
    assert set(params["weights"]) == set(explorer.weight_controls)
    assert archlib.evaluate(S3, params).to_dict() == explorer.evaluation.to_dict()


def test_robustness_is_shown_and_redrawn(explorer: Explorer) -> None:
    assert explorer.robustness in explorer.children
    table, chart = explorer.robustness.outputs
    assert "Gateway endpoint per VPC wins in" in table["data"]["text/html"]
    assert '<table class="archlib-flip-margins"' in table["data"]["text/html"]
    page = chart["data"]["text/html"]
    assert 'id="archlib-chart-s3-endpoints-explorer-robustness"' in page
    explorer.controls["on_prem_access"].value = True
    table, chart = explorer.robustness.outputs
    assert "Gateway plus interface endpoint wins in" in table["data"]["text/html"]
    ranking = list(explorer.evaluation.ranking)
    assert chart["data"][PLOTLY_MIME]["data"][0]["y"] == ranking
    # Shares follow the evaluation the explorer holds (same seed, same samples).
    shares = explorer.evaluation.robustness.acceptability
    assert chart["data"][PLOTLY_MIME]["data"][0]["x"] == [
        pytest.approx(100 * shares[o][0]) for o in ranking]


# --- optional numbers and placements (decisions beyond S3) ---------------------------------


def test_an_optional_price_gets_a_set_checkbox_and_a_number() -> None:
    explorer = explore("sqlserver-ha-dr")
    control = explorer.controls["sios_monthly_usd_per_node"]
    assert "sios_monthly_usd_per_node" not in explorer.fixed
    assert control.value is None and control.number.disabled
    sios = explorer.evaluation.option("fci-sios")
    assert sios.monthly_cost_usd is None  # no SIOS price given: unknown, not zero
    control.number.value = 250.0  # typing a number while unset changes nothing yet
    assert explorer.params()["sios_monthly_usd_per_node"] is None
    control.given.value = True
    assert explorer.params()["sios_monthly_usd_per_node"] == 250.0
    sios = explorer.evaluation.option("fci-sios")
    item = next(k for k in sios.cost_breakdown if k.startswith("SIOS DataKeeper"))
    # two nodes in the Region (defaults: no DR node) x $250 per node
    assert sios.cost_breakdown[item] == pytest.approx(2 * 250.0)
    control.given.value = False
    assert explorer.evaluation.option("fci-sios").monthly_cost_usd is None


def test_placements_are_shown_and_follow_the_services_control() -> None:
    explorer = explore("vmware-sddc", services=["s3"])
    # under the placements output's title, as in the notebook and the decision record
    assert "<h4>Service placements</h4>" in explorer.table.value
    assert "<code>s3</code>" in explorer.table.value
    assert "<code>fsx</code>" not in explorer.table.value
    explorer.controls["services"].value = ("s3", "fsx")
    assert "<code>fsx</code>" in explorer.table.value
    assert [p.service for p in explorer.evaluation.placements] == ["s3", "fsx"]


def test_decisions_without_placements_show_no_placements_heading(explorer: Explorer) -> None:
    assert "placements" not in explorer.table.value.lower()


def test_a_checkbox_per_option_excludes_it() -> None:
    explorer = explore(S3)
    assert set(explorer.exclude_controls) == set(explorer.decision.option_ids)
    assert not any(box.value for box in explorer.exclude_controls.values())
    assert explorer.evaluation.recommended == "gateway"
    explorer.exclude_controls["gateway"].value = True
    ev = explorer.evaluation
    assert ev.params.exclude == ["gateway"]
    assert ev.recommended == "interface"  # the only other feasible option by default
    assert ev.option("gateway").excluded
    assert "excluded by you" in explorer.table.value
    copied = yaml.safe_load(explorer.scenario_yaml())
    assert copied["decisions"][S3]["exclude"] == ["gateway"]
    explorer.exclude_controls["gateway"].value = False
    assert explorer.evaluation.recommended == "gateway"


# --- the verdict badge, the diagram's size, table styles ------------------------------------


def _badge_text(value: str) -> str:
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", value)).split()


@pytest.mark.parametrize(("decision", "params"), [
    (S3, {}),
    ("vmware-sddc", {"other_vpc_count": 3, "existing_transit_gateway": True}),  # D3's near-tie
    (S3, {"on_prem_access": True}),
])
def test_the_badge_says_the_evaluations_verdict(decision: str, params: dict[str, Any]) -> None:
    ex = explore(decision, **params)
    verdict = ex.evaluation.verdict
    assert verdict is not None
    words = _badge_text(ex.badge.value)
    label = BADGES[verdict.level].split()  # the report's badge words
    assert words[:len(label)] == label
    assert " ".join(words[len(label):]) == " ".join(html.unescape(verdict.reason).split())
    assert f"verdict-{verdict.level}" in ex.badge.value
    assert ex.children.index(ex.badge) < ex.children.index(ex.recommendation)


def test_the_vmware_near_tie_is_not_badged_clear() -> None:
    """D3: 60.0 against 57.5, winning 55.1% of the weightings: not a firm answer."""
    ex = explore("vmware-sddc", other_vpc_count=3, existing_transit_gateway=True)
    assert ex.evaluation.verdict is not None
    assert ex.evaluation.verdict.level != "clear"
    assert _badge_text(ex.badge.value)[0] == "leaning"  # 74.2% of weightings, flip at 0.073


def test_the_badge_follows_the_controls(explorer: Explorer) -> None:
    assert "Gateway endpoint per VPC wins" in explorer.badge.value
    explorer.controls["on_prem_access"].value = True
    # the gateway is ruled out; gateway-plus-interface dominates every other option
    assert explorer.evaluation.recommended == "gateway-plus-interface"
    assert explorer.badge.value == verdict_badge_html(explorer.evaluation)
    assert "Gateway plus interface endpoint dominates every other option" in explorer.badge.value


def test_no_feasible_option_badge() -> None:
    ex = explore(S3)
    for box in ex.exclude_controls.values():
        box.value = True
    assert ex.evaluation.recommended is None
    assert _badge_text(ex.badge.value)[:2] == ["no", "answer"]


def test_the_diagram_scales_down_to_the_cell(explorer: Explorer) -> None:
    import re

    (svg_tag,) = re.findall(r"<svg\b[^>]*>", explorer.diagram.value)
    assert 'style="max-width:100%; height:auto; display:block"' in svg_tag
    assert "viewBox=" in svg_tag  # what lets it scale with its aspect ratio
    assert "overflow-x" not in explorer.diagram.value  # no scrollbar hiding part of it


def test_explorer_tables_carry_the_report_styles_inline(explorer: Explorer) -> None:
    explorer.controls["on_prem_access"].value = True  # the gateway is ruled out
    table = explorer.table.value
    assert '<tr class="infeasible" style="color:#5b6776">' in table
    assert 'class="num" style="border:1px solid #d9dee5; text-align:right' in table
    assert '<li class="violation" style="color:#a33a2b">' in table


def test_notebook_tables_carry_the_same_inline_styles() -> None:
    from archlib import notebook as nb
    from archlib.views import option_table_html

    ev = archlib.evaluate(S3, {"on_prem_access": True})
    styled = nb.option_table(ev).body
    assert styled.startswith('<table class="archlib-options" style="border-collapse:collapse')
    assert '<tr class="infeasible" style="color:#5b6776">' in styled
    # only style attributes were added: without them it is the view's table
    import re

    assert re.sub(r' style="[^"]*"', "", styled) == option_table_html(ev)


def test_lab_styled_keeps_a_fragments_own_style_last() -> None:
    from archlib.notebook import lab_styled

    assert lab_styled('<p>no table</p><li class="violation">x</li>') == (
        '<p>no table</p><li class="violation">x</li>')  # outside tables: unchanged
    assert lab_styled('<table><tr><td style="color:red">1</td></tr></table>') == (
        '<table style="border-collapse:collapse; width:100%; table-layout:auto; '
        'line-height:1.4"><tr><td style="border:1px solid #d9dee5; text-align:left; '
        'vertical-align:top; color:red">1</td></tr></table>')
