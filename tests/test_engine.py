"""archlib.evaluate / archlib._engine: the Evaluation object and its JSON contract."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from pydantic import ValidationError

import archlib
from archlib import InputError, _sources
from archlib._engine import evaluate as engine_evaluate
from archlib._model import Rule
from archlib.decisions import s3_endpoints

S3 = "s3-endpoints"
TOP_KEYS = {"decision", "title", "params", "recommended", "ranking", "options", "actions",
            "assumptions", "sources", "prices_as_of", "placements", "robustness", "verdict",
            "requirements"}
OPTION_KEYS = {"id", "title", "feasible", "excluded", "dominated_by", "violations", "warnings",
               "score", "monthly_cost_usd", "cost_breakdown", "criteria"}

# A spread of inputs touching every rule and warning.
PARAM_SETS: list[dict[str, Any]] = [
    {},
    {"vpc_count": 3, "east_west_firewall": True},
    {"on_prem_access": True, "monthly_gb_on_prem": 500},
    {"cross_region_access": True, "vpc_count": 2},
    {"allow_internet_path": True, "peak_gbps": 30},
    {"vpc_count": 4, "peak_gbps": 60, "on_prem_access": True},
    {"on_prem_access": True, "monthly_gb_on_prem": 0},
]


def test_evaluate_is_exported() -> None:
    ev = archlib.evaluate(S3)
    assert isinstance(ev, archlib.Evaluation)


@pytest.mark.parametrize("attribute", ["ranking", "options", "params", "assumptions"])
def test_evaluation_is_frozen(attribute: str) -> None:
    ev = archlib.evaluate(S3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(ev, attribute, ())


def test_params_are_frozen() -> None:
    ev = archlib.evaluate(S3)
    with pytest.raises(ValidationError):  # pydantic's frozen_instance error
        ev.params.vpc_count = 5  # type: ignore[misc]


@pytest.mark.parametrize("params", PARAM_SETS)
def test_to_dict_contract(params: dict[str, Any]) -> None:
    d = archlib.evaluate(S3, params).to_dict()
    assert set(d) == TOP_KEYS
    assert d["decision"] == S3
    assert isinstance(d["title"], str) and d["title"]
    assert isinstance(d["prices_as_of"], str) and d["prices_as_of"]
    assert {o["id"] for o in d["options"]} == set(s3_endpoints.DECISION.option_ids)
    for option in d["options"]:
        assert set(option) == OPTION_KEYS
        for v in option["violations"] + option["warnings"]:
            assert set(v) == {"rule", "message", "source"}
        if option["feasible"]:
            assert option["violations"] == []
            assert 0.0 <= option["score"] <= 100.0
        else:
            assert option["violations"]
            assert option["score"] is None
            assert option["id"] not in d["ranking"]
        # the total is the sum of the items
        assert option["monthly_cost_usd"] == pytest.approx(
            sum(option["cost_breakdown"].values()), abs=0.02)
    assert d["ranking"] == [o for o in d["ranking"] if o in
                            {x["id"] for x in d["options"] if x["feasible"]}]
    assert set(d["ranking"]) == {o["id"] for o in d["options"] if o["feasible"]}
    assert d["recommended"] == (d["ranking"][0] if d["ranking"] else None)
    # ranked by score, best first
    scores = {o["id"]: o["score"] for o in d["options"]}
    assert [scores[o] for o in d["ranking"]] == sorted(
        (scores[o] for o in d["ranking"]), reverse=True)


@pytest.mark.parametrize("params", PARAM_SETS)
def test_deterministic(params: dict[str, Any]) -> None:
    first = archlib.evaluate(S3, params).to_dict()
    second = archlib.evaluate(S3, dict(params)).to_dict()
    assert first == second
    assert json.dumps(first) == json.dumps(second)
    json.loads(json.dumps(first, allow_nan=False))  # plain JSON: no NaN or infinity


@pytest.mark.parametrize("params", PARAM_SETS)
def test_every_cited_source_is_listed(params: dict[str, Any]) -> None:
    ev = archlib.evaluate(S3, params)
    d = ev.to_dict()
    listed = {s["id"] for s in d["sources"]}
    cited = set()
    for result in ev.options:  # judgement-based criteria values carry a source too
        cited.update(j.source for j in result.criteria_basis.values())
    for option in d["options"]:
        cited.update(v["source"] for v in option["violations"] + option["warnings"])
    cited.update(a["source"] for a in d["actions"])
    cited.update(a["source"] for a in d["assumptions"])
    assert cited <= listed
    for s in d["sources"]:
        assert set(s) == {"id", "title", "url"}
        assert _sources.get(s["id"]).url == s["url"]
    assert [s["id"] for s in d["sources"]] == sorted(listed)  # stable order, no duplicates


def test_sources_include_the_prices_used() -> None:
    d = archlib.evaluate(S3).to_dict()
    listed = {s["id"] for s in d["sources"]}
    # interface endpoint, Transit Gateway and NAT prices are in every S3 cost model
    assert {"pricing-privatelink", "pricing-transit-gateway", "pricing-vpc"} <= listed
    # FSx prices are not part of the S3 decision
    assert "pricing-fsx-windows" not in listed


def _assumptions(ev: archlib.Evaluation) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in ev.to_dict()["assumptions"]}


def test_unverified_prices_only_when_used() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True})  # the proxy fleet is priced
    assumptions = _assumptions(ev)
    # proxy_instance_hour is marked unverified in the price file and the proxy option uses it
    assert assumptions["unverified-proxy_instance_hour"]["unverified"] is True
    # VMware Transit Connect prices are unverified too, but the S3 cost model never reads them
    assert not any("vmware" in a for a in assumptions)
    for a in assumptions.values():
        if a["id"].startswith("unverified-"):
            assert a["unverified"] is True


def test_overridden_unverified_price_is_no_longer_unverified() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True}, prices={"proxy_instance_hour": 0.2})
    assumptions = _assumptions(ev)
    assert "unverified-proxy_instance_hour" not in assumptions
    assert assumptions["override-proxy_instance_hour"]["source"] == "archlib-override"
    assert "archlib-override" in {s["id"] for s in ev.to_dict()["sources"]}
    # fleet of 2 instances (default proxy_count) at the overridden rate, and its NLB (0 GB):
    # 2 x 0.2 x 730 = 292.00 and 0.0225 x 730 = 16.425, billed 16.43 (archlib._money)
    assert ev.option("gateway-proxy-fleet").monthly_cost_usd == pytest.approx(292.00 + 16.43)


def test_override_of_an_unused_price_is_not_reported() -> None:
    ev = archlib.evaluate(S3, prices={"nlb_hour": 1.0})
    assert not any(a.startswith("override-") for a in _assumptions(ev))


def test_repr_html_names_the_recommendation() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True, "monthly_gb_in_vpc": 100_000})
    html = ev._repr_html_()
    assert ev.recommended == "gateway-plus-interface"
    # by name, the id small beside it
    assert ('Gateway plus interface endpoint <small class="archlib-id">gateway-plus-interface'
            in html)
    assert html.lstrip().startswith("<")


# --- weights ---------------------------------------------------------------------------------

CONTROL_ONLY = {"monthly_cost": 0, "operational_complexity": 0, "private_path_control": 1,
                "throughput_headroom": 0}
COST_ONLY = {"monthly_cost": 1, "operational_complexity": 0, "private_path_control": 0,
             "throughput_headroom": 0}


def test_weights_change_the_ranking() -> None:
    # Defaults: gateway and interface are the feasible options; gateway is free and simplest.
    assert archlib.evaluate(S3).recommended == "gateway"
    # All weight on private path and control: the interface endpoint (security groups and
    # endpoint policy, S3 user guide) beats the gateway endpoint (endpoint policy only).
    ev = archlib.evaluate(S3, {"weights": CONTROL_ONLY})
    assert ev.recommended == "interface"
    assert ev.option("interface").score == pytest.approx(100.0)  # control 5: (5 - 1) / 4 = 1
    assert ev.option("gateway").score == pytest.approx(75.0)  # control 4: (4 - 1) / 4 = 0.75


def test_all_weight_on_cost_picks_the_cheapest_feasible_option() -> None:
    # on-premises callers: gateway is infeasible, feasible are interface, gateway-plus-interface
    # and the proxy fleet.
    params = {"on_prem_access": True, "monthly_gb_on_prem": 1000, "weights": COST_ONLY}
    ev = archlib.evaluate(S3, params)
    interface = 2 * 0.01 * 730 + (1000 + 1000) * 0.01  # = 34.60
    mixed = 0 + 2 * 0.01 * 730 + 1000 * 0.01  # = 24.60
    proxy = 1 * 2 * 0.096 * 730 + 0.0225 * 730 + 1000 * 0.006  # fleet + NLB + NLCU = 162.585
    assert ev.option("interface").monthly_cost_usd == pytest.approx(interface)
    assert ev.option("gateway-plus-interface").monthly_cost_usd == pytest.approx(mixed)
    # billed item by item (archlib._money): 140.16 + 16.43 + 6.00 = 162.59
    assert ev.option("gateway-proxy-fleet").monthly_cost_usd == pytest.approx(
        140.16 + 16.43 + 6.00)
    assert ev.option("gateway-proxy-fleet").score == pytest.approx(100 * 100 / (100 + proxy))
    assert list(ev.ranking) == ["gateway-plus-interface", "interface", "gateway-proxy-fleet"]
    # score = 100 x the cost value M / (M + cost), M = $100 for this decision
    assert ev.option("interface").score == pytest.approx(100 * 100 / (100 + interface))
    assert ev.option("interface").score == pytest.approx(74.294, abs=0.001)  # 100 / 1.346


def test_equal_scores_go_to_the_cheaper_option() -> None:
    # Cost weight 0 and on-premises callers: interface and gateway-plus-interface are equal on
    # complexity (2: 0.75), control (5: 1) and headroom (10x: 1); weights 0.25, 0.20, 0.15
    # renormalised over 0.60. The tie goes to the better cost value: the cheaper mixed option.
    ev = archlib.evaluate(S3, {"on_prem_access": True, "weights": {"monthly_cost": 0}})
    expected = 100 * (0.25 * 0.75 + 0.20 * 1 + 0.15 * 1) / 0.60  # 89.5833
    assert ev.option("interface").score == pytest.approx(expected)
    assert ev.option("gateway-plus-interface").score == pytest.approx(expected)
    assert ev.ranking[:2] == ("gateway-plus-interface", "interface")
    # the mixed option is cheaper and equal elsewhere: it dominates the interface endpoint
    assert ev.option("interface").dominated_by == ("gateway-plus-interface",)


def test_infeasible_options_are_not_scored() -> None:
    ev = archlib.evaluate(S3)
    # Feasible: gateway ($0) and interface ($24.60), each on the fixed cost scale M / (M + c)
    # with M = $100: 1 and 100 / 124.6 = 0.80257, whatever else is feasible.
    assert ev.option("gateway").normalised["monthly_cost"] == pytest.approx(1.0)
    assert ev.option("interface").normalised["monthly_cost"] == pytest.approx(100 / 124.6)
    assert ev.option("nat-gateway").normalised == {}
    assert ev.option("nat-gateway").score is None


# --- excluding options -----------------------------------------------------------------------


def test_excluded_options_are_not_scored_and_show_as_excluded() -> None:
    # on-premises callers: interface, gateway-plus-interface and the proxy fleet are feasible
    params = {"on_prem_access": True, "monthly_gb_on_prem": 1000}
    full = archlib.evaluate(S3, params)
    ev = archlib.evaluate(S3, params, exclude=["gateway-proxy-fleet"])
    proxy = ev.option("gateway-proxy-fleet")
    assert proxy.excluded and proxy.feasible and proxy.score is None
    assert proxy.violations == ()  # excluded by you, not ruled out by a rule
    assert "gateway-proxy-fleet" not in ev.ranking
    assert ev.excluded == ("gateway-proxy-fleet",)
    data = ev.to_dict()
    shown = next(o for o in data["options"] if o["id"] == "gateway-proxy-fleet")
    assert shown["excluded"] is True and shown["feasible"] is True
    assert data["params"]["exclude"] == ["gateway-proxy-fleet"]
    # the others keep their scores and order
    assert list(ev.ranking) == [o for o in full.ranking if o != "gateway-proxy-fleet"]
    for option in ev.ranking:
        assert ev.option(option).score == full.option(option).score


def test_exclude_in_the_parameters_and_the_keyword_add_up() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True, "exclude": ["interface"]},
                          exclude=["gateway-proxy-fleet", "interface"])
    assert ev.params.exclude == ["interface", "gateway-proxy-fleet"]
    assert ev.ranking == ("gateway-plus-interface",)
    # one option left: clear, and it says why
    assert ev.verdict is not None and ev.verdict.level == "clear"
    assert "only option" in ev.verdict.reason


@pytest.mark.parametrize("where", ["keyword", "params"])
def test_excluding_an_unknown_option_lists_the_valid_ids(where: str) -> None:
    with pytest.raises(InputError) as info:
        if where == "keyword":
            archlib.evaluate(S3, exclude=["nosuch"])
        else:
            archlib.evaluate(S3, {"exclude": ["nosuch"]})
    assert info.value.field == "exclude"
    text = str(info.value)
    assert "\n" not in text and "'nosuch'" in text
    for option_id in s3_endpoints.DECISION.option_ids:
        assert option_id in text


def test_excluding_every_feasible_option_leaves_no_recommendation() -> None:
    ev = archlib.evaluate(S3, exclude=["gateway", "interface"])
    assert ev.recommended is None and ev.verdict is None
    assert ev.to_dict()["verdict"] is None


def test_cost_materiality_can_be_overridden() -> None:
    # interface $24.60: at the default M = $100 its cost value is 100 / 124.6; at M = $10,
    # 10 / 34.6
    ev = archlib.evaluate(S3, {"cost_materiality_usd": 10})
    assert ev.option("interface").normalised["monthly_cost"] == pytest.approx(10 / 34.6)
    assert ev.option("gateway").normalised["monthly_cost"] == 1.0
    with pytest.raises(InputError) as info:
        archlib.evaluate(S3, {"cost_materiality_usd": 0})
    assert info.value.field == "cost_materiality_usd"


@pytest.mark.parametrize(
    ("weights", "field_fragment"),
    [
        ({"nosuch": 1}, "weights"),
        ({"monthly_cost": -1}, "weights"),
        ({"monthly_cost": 0, "operational_complexity": 0, "private_path_control": 0,
          "throughput_headroom": 0}, "weights"),
    ],
)
def test_bad_weights_are_input_errors(weights: dict[str, float], field_fragment: str) -> None:
    with pytest.raises(InputError) as info:
        archlib.evaluate(S3, {"weights": weights})
    assert info.value.field.startswith(field_fragment)


# --- bad input -------------------------------------------------------------------------------


def test_unknown_decision_lists_known_ids() -> None:
    with pytest.raises(InputError) as info:
        archlib.evaluate("no-such-decision")
    assert "s3-endpoints" in str(info.value)


def test_params_must_be_a_mapping() -> None:
    with pytest.raises(InputError):
        archlib.evaluate(S3, [("vpc_count", 2)])  # type: ignore[arg-type]


def test_unknown_region_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        archlib.evaluate(S3, {"region": "eu-west-1"})
    assert info.value.field == "region"
    assert "eu-west-1" in str(info.value) and "prices:" in str(info.value)


# Every item the S3 cost model reads without cross-Region access.
S3_ITEMS = {
    "gateway_endpoint_hour": 0.0, "gateway_endpoint_gb": 0.0,
    "interface_endpoint_az_hour": 0.011, "interface_endpoint_gb": 0.012,
    "tgw_attachment_hour": 0.06, "tgw_gb": 0.02,
    "nat_gateway_hour": 0.048, "nat_gateway_gb": 0.048,
    "proxy_instance_hour": 0.1,
    "peering_cross_az_gb": 0.01,  # interface-hub-peering (issue 14)
}


def test_region_without_price_file_with_all_prices_given() -> None:
    ev = archlib.evaluate(S3, {"region": "eu-west-1"}, prices=S3_ITEMS)
    assert ev.prices_as_of == "scenario"
    # overrides are flat rates: 2 AZ x 0.011 x 730 + 1000 GB x 0.012
    assert ev.option("interface").monthly_cost_usd == pytest.approx(
        2 * 0.011 * 730 + 1000 * 0.012)
    assert _assumptions(ev)["prices"]["source"] == "archlib-override"


def test_region_without_price_file_names_the_missing_price() -> None:
    prices = {k: v for k, v in S3_ITEMS.items() if k != "nat_gateway_gb"}
    with pytest.raises(InputError) as info:
        archlib.evaluate(S3, {"region": "eu-west-1"}, prices=prices)
    assert info.value.field == "prices.nat_gateway_gb"


def test_where_is_attached_to_errors() -> None:
    with pytest.raises(InputError) as info:
        engine_evaluate(s3_endpoints.DECISION, {"vpc_count": 0}, where="my.yaml")
    assert str(info.value).startswith("my.yaml: vpc_count: ")


# --- no feasible option ----------------------------------------------------------------------
# Every S3 input leaves at least one option feasible (gateway-plus-interface has no capacity
# rule and is feasible whenever there are external callers), so a decision whose single rule
# rules out every option stands in for that case.


def _nothing_feasible() -> Any:
    rule: Rule[Any] = Rule("always", "archlib-scoring", s3_endpoints.DECISION.option_ids,
                           lambda p: "ruled out for the test")
    return dataclasses.replace(s3_endpoints.DECISION, id="test-nothing", rules=(rule,),
                               warnings=())


def test_no_feasible_option() -> None:
    ev = engine_evaluate(_nothing_feasible(), {})
    assert ev.recommended is None
    assert ev.runner_up is None
    assert ev.ranking == ()
    assert ev.actions == ()
    d = ev.to_dict()
    assert d["recommended"] is None
    assert d["ranking"] == []
    assert all(o["score"] is None and not o["feasible"] for o in d["options"])
    assert "No feasible option" in ev._repr_html_()


def test_decisions_without_services_have_empty_placements() -> None:
    assert archlib.evaluate("s3-endpoints").to_dict()["placements"] == []


@pytest.mark.parametrize(("constraints", "expected"), [
    ({}, (None, False, None, False)),
    ({"ge": 1, "le": 10}, (1.0, False, 10.0, False)),
    ({"gt": 0, "lt": 1e9}, (0.0, True, 1e9, True)),
    ({"ge": 0}, (0.0, False, None, False)),
])
def test_field_bounds_read_the_constraints(constraints: dict[str, float],
                                           expected: tuple[Any, ...]) -> None:
    """The one reading of a field's bounds (explorer controls, break-even search)."""
    from pydantic import BaseModel, Field

    from archlib._model import field_bounds

    class Model(BaseModel):
        x: float = Field(1.0, **constraints)  # type: ignore[arg-type]

    assert field_bounds(Model.model_fields["x"].metadata) == expected


def _inventory_inputs(rows: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """Generated inventory rows (every decision in turn) as evaluate() inputs."""
    from archlib._inventory import generate_inventory
    from archlib.fleet import parameter_columns, plain_value, row_input

    frame = generate_inventory(rows=rows, seed=seed)
    columns = parameter_columns(list(frame.columns))
    found = []
    for n, record in enumerate(frame.to_dict("records")):
        row = row_input({k: plain_value(v) for k, v in record.items()}, columns, f"row {n}")
        found.append((row.decision_id, row.params))
    return found


@pytest.mark.parametrize("seed", [5, 6])
def test_verdict_level_is_the_full_verdicts_level(seed: int) -> None:
    """The level-only path (no volume break-evens, first places only) and the full verdict,
    each on a fresh evaluation of the same inputs, agree on every generated row; and the
    firmness it judges is the full robustness's."""
    from archlib._engine import firmness

    judged = set()
    for decision_id, params in _inventory_inputs(48, seed):
        quick, full = archlib.evaluate(decision_id, params), archlib.evaluate(decision_id, params)
        level = quick.verdict_level
        assert "robustness" not in quick.__dict__  # it never computed the full robustness
        assert level == (None if full.verdict is None else full.verdict.level)
        if len(quick.ranking) > 1:
            assert full.robustness is not None  # in full: firmness(full) reads it off
            assert firmness(quick) == firmness(full)
            assert "robustness" not in quick.__dict__
            judged.add(level)
    assert judged >= {"clear", "leaning", "too-close-to-call"}  # every level was reached
