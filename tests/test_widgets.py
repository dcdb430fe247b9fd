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
from archlib.widgets import FOLLOW_RECOMMENDED, Explorer, OptionalNumber, control_for, explore

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
        if isinstance(control, OptionalNumber):  # cost_materiality_usd: unset by default
            assert control.given.description == f"{name} set"
            assert control.given.tooltip == info.description
            control = control.number
        else:
            assert control.description == name
            assert control.tooltip == info.description
        low, high = _bounds(name)
        if low is not None:
            assert control.min == low, name
            assert control.max == high, name


def test_control_kinds(explorer: Explorer) -> None:
    kinds = {name: type(c) for name, c in explorer.controls.items()}
    assert kinds["region"] is widgets.Dropdown  # the Regions with prices (issue 19)
    assert kinds["on_prem_access"] is widgets.Checkbox
    assert kinds["az_count"] is widgets.IntSlider
    assert kinds["vpc_count"] is widgets.IntSlider  # 999 steps
    # Volumes up to 1e8 GB: a bounded text box, not a slider.
    assert kinds["monthly_gb_in_vpc"] is widgets.BoundedFloatText
    assert kinds["monthly_gb_on_prem"] is widgets.BoundedFloatText


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
    assert "<code>gateway-plus-interface</code>" in explorer.recommendation.value
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
    assert "<code>interface</code>" in explorer.recommendation.value


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
    assert "gateway wins in" in table["data"]["text/html"]
    assert '<table class="archlib-flip-margins">' in table["data"]["text/html"]
    page = chart["data"]["text/html"]
    assert 'id="archlib-chart-s3-endpoints-explorer-robustness"' in page
    explorer.controls["on_prem_access"].value = True
    table, chart = explorer.robustness.outputs
    assert "gateway-plus-interface wins in" in table["data"]["text/html"]
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
