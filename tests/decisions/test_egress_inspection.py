"""egress-inspection, hand-checked against shared/DOMAIN-NEXT.md section 5 (seed lines
270-367 and 654-703, the multi-VPC whitepaper's egress pages) and its us-east-1 prices:

    NAT gateway             $0.045 per hour (730 h = $32.85), $0.045/GB
    Transit Gateway         $0.05 per attachment-hour (730 h = $36.50), $0.02/GB
    Gateway Load Balancer   $0.0125 per hour (730 h = $9.125), $0.004 per GLCU-hour
    GWLB endpoint           $0.01 per AZ-hour (730 h = $7.30), $0.0035/GB
    Network Firewall        $0.395 per endpoint-hour (730 h = $288.35), $0.065/GB
    firewall appliance      $0.096 per hour (730 h = $70.08; m5.large placeholder, unverified)
    730 hours per month
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import archlib
from archlib import InputError
from archlib._prices import load_prices
from archlib.decisions import egress_inspection as egress

EGRESS = "egress-inspection"
NAT, CNAT, GWLB, CNFW, DNFW = ("nat-per-vpc", "central-nat", "central-gwlb-firewall",
                               "central-network-firewall", "distributed-network-firewall")
ALL = (NAT, CNAT, GWLB, CNFW, DNFW)
CENTRAL = (CNAT, GWLB, CNFW)
H = 730


def _ev(params: dict[str, Any]) -> archlib.Evaluation:
    return archlib.evaluate(EGRESS, params)


def _items(params: dict[str, Any], option: str) -> dict[str, float | None]:
    return dict(_ev(params).option(option).cost_breakdown)


def test_contract_ids() -> None:
    assert egress.DECISION.id == EGRESS
    assert egress.DECISION.option_ids == ALL
    assert [c.id for c in egress.DECISION.criteria] == ["monthly_cost", "egress_points",
                                                        "operational_burden"]
    assert [c.default_weight for c in egress.DECISION.criteria] == [0.55, 0.20, 0.25]


# --- worked example 1: 6 VPCs, 2 AZs, 3,000 GB, no TGW, no inspection ---------------------------

EXAMPLE_1 = {"vpc_count": 6, "az_count": 2, "monthly_egress_gb": 3000}


def test_worked_example_1_costs() -> None:
    ev = _ev(EXAMPLE_1)
    # 6 x 2 x 32.85 = 394.20 + 3,000 x 0.045 = 135.00
    assert ev.option(NAT).monthly_cost_usd == pytest.approx(394.20 + 135.00)  # 529.20
    # 65.70 + 135.00 + 7 x 36.50 = 255.50 + 3,000 x 0.02 = 60.00
    assert ev.option(CNAT).monthly_cost_usd == pytest.approx(65.70 + 135.00 + 255.50 + 60.00)
    assert ev.option(CNAT).monthly_cost_usd == pytest.approx(516.20)


def test_worked_example_1_existing_tgw() -> None:
    # only the egress VPC's attachment is new: 65.70 + 135.00 + 36.50 + 60.00 = 297.20
    ev = _ev({**EXAMPLE_1, "transit_gateway_exists": True})
    assert ev.option(CNAT).monthly_cost_usd == pytest.approx(297.20)


def test_worked_example_1_break_evens() -> None:
    params = egress.DECISION.parse(EXAMPLE_1)
    prices = load_prices("us-east-1")
    # N > (102.20 + 0.02 x 3,000) / 29.20 = 162.20 / 29.20 = 5.5548: 6 is the first count
    assert egress.break_even_vpcs(params, prices) == pytest.approx(162.20 / 29.20)
    # G < (29.20 x 6 - 102.20) / 0.02 = 73.00 / 0.02 = 3,650 GB
    assert egress.break_even_gb(params, prices) == pytest.approx(3650.0)
    existing = egress.DECISION.parse({**EXAMPLE_1, "transit_gateway_exists": True})
    # existing TGW: N > (102.20 + 60) / 65.70 = 2.4688; G < (65.70 x 6 - 102.20) / 0.02
    assert egress.break_even_vpcs(existing, prices) == pytest.approx(162.20 / 65.70)
    assert egress.break_even_gb(existing, prices) == pytest.approx((65.70 * 5 - 36.50) / 0.02)
    text = next(a.text for a in _ev(EXAMPLE_1).assumptions if a.id == "break-even")
    assert "above 5.55 VPCs" in text and "below 3,650 GB/month" in text


def test_break_even_counts_bracket_the_cost_crossover() -> None:
    # 5 VPCs: per VPC 5 x 65.70 + 135 = 463.50 < central 65.70 + 135 + 6 x 36.50 + 60 = 479.70
    five = _ev({**EXAMPLE_1, "vpc_count": 5})
    assert five.option(NAT).monthly_cost_usd == pytest.approx(463.50)
    assert five.option(CNAT).monthly_cost_usd == pytest.approx(479.70)


def test_one_az_with_a_new_tgw_never_breaks_even() -> None:
    # A = 1: a VPC's NAT gateway (32.85) costs less than its new attachment (36.50)
    params = egress.DECISION.parse({"az_count": 1})
    assert egress.break_even_vpcs(params, load_prices("us-east-1")) is None


def test_worked_example_1_scores_and_recommendation() -> None:
    ev = _ev(EXAMPLE_1)
    # central-nat: 55 x 1000 / 1516.20 + 20 x 1 (one egress point) + 25 x 0.75 (burden 2)
    assert ev.option(CNAT).score == pytest.approx(55 * 1000 / 1516.20 + 20 + 18.75)
    # nat-per-vpc: 55 x 1000 / 1529.20 + 20 x 0 (6 egress points, the worst anchor) + 25
    assert ev.option(NAT).score == pytest.approx(55 * 1000 / 1529.20 + 0 + 25)
    assert ev.recommended == CNAT


# --- worked example 2: inspection, 20 VPCs, 3 AZs, 20,000 GB, 10 Gbps, existing TGW -----------

EXAMPLE_2 = {"vpc_count": 20, "az_count": 3, "monthly_egress_gb": 20_000, "peak_gbps": 10,
             "inspection_required": True, "transit_gateway_exists": True,
             "appliance_gbps": 2.5, "appliance_licence_hourly_usd": 0.5}
# The GWLB hour, 0.0125 x 730 = 9.125, is billed to the cent half away from zero: 9.13
# (archlib._money).
GWLB_2 = [98.55, 900.00, 36.50, 400.00, 21.90, 70.00, 9.13, 80.00, 4 * 70.08, 4 * 0.50 * H]


def test_worked_example_2() -> None:
    ev = _ev(EXAMPLE_2)
    assert not ev.option(NAT).feasible and not ev.option(CNAT).feasible
    assert egress.appliance_count(ev.params) == 4  # max(2, 3, ceil(10 / 2.5))
    # NAT 98.55 + 900 + attachment 36.50 + TGW 400 + GWLB endpoints 21.90 + 70 + GWLB 9.125
    # (billed 9.13) + GLCU 80 + appliances 280.32 + licences 1,460 = 3,356.40
    assert sorted(ev.option(GWLB).cost_breakdown.values()) == pytest.approx(
        sorted(GWLB_2), abs=0.005)
    assert ev.option(GWLB).monthly_cost_usd == pytest.approx(3356.40)
    # 3 x 288.35 = 865.05 + 20,000 x 0.065 = 1,300 + NAT 0 + 36.50 + 400 = 2,601.55
    assert ev.option(CNFW).monthly_cost_usd == pytest.approx(2601.55)
    # 60 x 288.35 = 17,301 + 1,300 = 18,601
    assert ev.option(DNFW).monthly_cost_usd == pytest.approx(18_601.00)
    assert ev.recommended == CNFW
    assert ev.option(GWLB).dominated_by == (CNFW,)
    assert ev.option(DNFW).dominated_by == (CNFW,)
    assert ev.verdict is not None and ev.verdict.level == "clear"


def test_worked_example_2_licence_break_even() -> None:
    # (2,601.55 - 1,896.395) / (4 x 730) = 705.155 / 2,920 = $0.2415 per appliance-hour
    params = egress.DECISION.parse(EXAMPLE_2)
    cut = egress.licence_break_even(params, load_prices("us-east-1"))
    assert cut == pytest.approx((2601.55 - 1896.395) / (4 * 730))
    text = next(a.text for a in _ev(EXAMPLE_2).assumptions if a.id == "licence-break-even")
    assert "$0.24 per appliance-hour" in text
    # just below the break-even the GWLB design is the cheaper one
    cheaper = _ev({**EXAMPLE_2, "appliance_licence_hourly_usd": 0.24})
    assert cheaper.option(GWLB).monthly_cost_usd < cheaper.option(CNFW).monthly_cost_usd


def test_worked_example_2_scores() -> None:
    ev = _ev(EXAMPLE_2)
    assert ev.option(CNFW).score == pytest.approx(55 * 1000 / 3601.55 + 20 + 18.75)
    # the score uses the unbilled total 3,356.395; burden 5 scores 0
    assert ev.option(GWLB).score == pytest.approx(55 * 1000 / 4356.395 + 20 + 0)
    # 20 egress points = the worst anchor (vpc_count)
    assert ev.option(DNFW).score == pytest.approx(55 * 1000 / 19_601 + 0 + 18.75)


# --- cost items --------------------------------------------------------------------------------

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    # defaults: 10 VPCs, 2 AZs, 5,000 GB, 5 Gbps, no TGW; 11 new attachments x 36.50 = 401.50;
    # appliances max(2, 2, ceil(5 / 0.75) = 7) = 7
    ("defaults", {}, {
        NAT: [10 * 2 * 32.85, 5000 * 0.045],  # 657.00 + 225.00
        CNAT: [2 * 32.85, 5000 * 0.045, 11 * 36.50, 5000 * 0.02],  # = 792.20
        CNFW: [2 * 288.35, 5000 * 0.065, 0.0, 0.0, 11 * 36.50, 5000 * 0.02],  # = 1,403.20
        DNFW: [20 * 288.35, 5000 * 0.065, 0.0, 0.0],  # = 6,092.00
    }),
    # east-west: 4 VPCs, 1,000 GB out, 500 GB east-west, licence $0
    ("east-west", {"vpc_count": 4, "monthly_egress_gb": 1000, "east_west_inspection": True,
                   "monthly_east_west_gb": 500, "appliance_licence_hourly_usd": 0.0}, {
        # TGW (1,000 + 2 x 500) x 0.02; GWLB endpoints (1,000 + 500) x 0.0035; GLCU 1,500 x
        # 0.004; 7 appliances x 70.08
        GWLB: [65.70, 1000 * 0.045, 5 * 36.50, 2000 * 0.02, 14.60, 1500 * 0.0035, 9.13,
               1500 * 0.004, 7 * 70.08, 0.0],
        # firewall 1,500 GB; NAT waived: max(0, 2 - 2) hours, max(0, 1,000 - 1,500) GB
        CNFW: [2 * 288.35, 1500 * 0.065, 0.0, 0.0, 5 * 36.50, 2000 * 0.02],
        # both VPCs' firewalls see an east-west flow: (1,000 + 2 x 500) x 0.065; 4 new
        # attachments and 500 GB through the TGW
        DNFW: [8 * 288.35, 2000 * 0.065, 0.0, 0.0, 4 * 36.50, 500 * 0.02],
        CNAT: [65.70, 1000 * 0.045, 5 * 36.50, 1000 * 0.02],  # east-west not through NAT
    }),
    ("east-west, existing TGW", {"vpc_count": 4, "monthly_egress_gb": 1000,
                                 "east_west_inspection": True, "monthly_east_west_gb": 500,
                                 "transit_gateway_exists": True}, {
        DNFW: [8 * 288.35, 2000 * 0.065, 0.0, 0.0, 0.0, 500 * 0.02],
    }),
    ("east-west volume without east-west inspection is not counted",
     {"vpc_count": 4, "monthly_egress_gb": 1000, "monthly_east_west_gb": 500}, {
        DNFW: [8 * 288.35, 1000 * 0.065, 0.0, 0.0],
        CNFW: [2 * 288.35, 1000 * 0.065, 0.0, 0.0, 5 * 36.50, 1000 * 0.02],
    }),
    # subnet to subnet: 3 VPCs, 1,000 GB out, 2,000 GB inside VPCs, existing TGW, 1 Gbps:
    # appliances max(2, 2, ceil(1 / 0.75) = 2) = 2 at a $0.10 licence
    ("intra-VPC", {"vpc_count": 3, "monthly_egress_gb": 1000, "intra_vpc_inspection": True,
                   "monthly_intra_vpc_gb": 2000, "transit_gateway_exists": True,
                   "peak_gbps": 1, "appliance_licence_hourly_usd": 0.1}, {
        # + spoke GWLB endpoints 3 x 2 x 7.30 = 43.80 and 2,000 x 0.0035 = 7.00; GLCU
        # (1,000 + 2,000) x 0.004
        GWLB: [65.70, 45.00, 36.50, 1000 * 0.02, 14.60, 1000 * 0.0035, 9.13, 3000 * 0.004,
               2 * 70.08, 2 * 0.1 * H, 6 * 7.30, 2000 * 0.0035],
        DNFW: [6 * 288.35, 3000 * 0.065, 0.0, 0.0],
    }),
]


@pytest.mark.parametrize(
    ("params", "option", "items"),
    [pytest.param(params, option, items, id=f"{name}-{option}")
     for name, params, by_option in COST_CASES for option, items in by_option.items()],
)
def test_cost_items(params: dict[str, Any], option: str, items: list[float]) -> None:
    result = _ev(params).option(option)
    billed = [v for v in result.cost_breakdown.values() if v is not None]
    assert sorted(billed) == pytest.approx(sorted(items), abs=0.005)
    assert result.monthly_cost_usd == pytest.approx(math.fsum(billed), abs=1e-9)


def test_unpriced_licence_makes_the_gwlb_total_unknown() -> None:
    result = _ev({}).option(GWLB)
    assert result.cost_breakdown["appliance licences (7 x vendor licence)"] is None
    assert result.monthly_cost_usd is None
    assert result.criteria["monthly_cost"] is None
    assert result.feasible  # unknown is not infeasible


@pytest.mark.parametrize(("peak", "appliance_gbps", "az_count", "expected"), [
    (5, 0.75, 2, 7),  # ceil(6.67)
    (3, 0.75, 2, 4),  # exactly 4, no rounding up
    (1, 10, 2, 2),  # at least two (seed 339)
    (1, 10, 3, 3),  # one per AZ (GWLB cross-zone off)
    (10, 2.5, 3, 4),
])
def test_appliance_count(peak: float, appliance_gbps: float, az_count: int,
                         expected: int) -> None:
    params = egress.DECISION.parse({"peak_gbps": peak, "appliance_gbps": appliance_gbps,
                                    "az_count": az_count})
    assert egress.appliance_count(params) == expected


# --- rules -------------------------------------------------------------------------------------

FIREWALL, THIRD, TWO_VPCS, TWO_AZS, BANDWIDTH, LOCAL = (
    "inspection-needs-firewall", "third-party-firewall-required", "centralise-needs-two-vpcs",
    "central-needs-two-azs", "egress-path-bandwidth", "intra-vpc-needs-local-endpoint")

RULE_CASES: list[tuple[str, dict[str, Any], dict[str, set[str]]]] = [
    ("defaults", {}, {}),
    ("north-south inspection", {"inspection_required": True},
     {NAT: {FIREWALL}, CNAT: {FIREWALL}}),
    ("east-west inspection", {"east_west_inspection": True},
     {NAT: {FIREWALL}, CNAT: {FIREWALL}}),
    ("subnet-to-subnet inspection", {"intra_vpc_inspection": True},
     {NAT: {FIREWALL}, CNAT: {FIREWALL}, CNFW: {LOCAL}}),
    ("third-party firewall", {"third_party_firewall": True}, {CNFW: {THIRD}, DNFW: {THIRD}}),
    ("one VPC", {"vpc_count": 1}, {o: {TWO_VPCS} for o in CENTRAL}),
    ("one AZ", {"az_count": 1}, {o: {TWO_AZS} for o in CENTRAL}),
    # 2 AZ x 100 Gbps = 200 Gbps through one egress VPC
    ("central at its limit", {"peak_gbps": 200}, {}),
    ("central over its limit", {"peak_gbps": 200.5}, {o: {BANDWIDTH} for o in CENTRAL}),
    # per VPC: 1,000 Gbps / 5 VPCs = 200 Gbps = 2 AZ x 100, still fits; 4 VPCs: 250 does not
    ("per VPC at its limit", {"vpc_count": 5, "peak_gbps": 1000},
     {o: {BANDWIDTH} for o in CENTRAL}),
    ("per VPC over its limit", {"vpc_count": 4, "peak_gbps": 1000},
     {o: {BANDWIDTH} for o in ALL}),
    ("everything", {"vpc_count": 1, "az_count": 1, "peak_gbps": 100.5,
                    "inspection_required": True, "third_party_firewall": True,
                    "intra_vpc_inspection": True},
     {NAT: {FIREWALL, BANDWIDTH}, CNAT: {FIREWALL, TWO_VPCS, TWO_AZS, BANDWIDTH},
      GWLB: {TWO_VPCS, TWO_AZS, BANDWIDTH}, CNFW: {THIRD, TWO_VPCS, TWO_AZS, BANDWIDTH, LOCAL},
      DNFW: {THIRD, BANDWIDTH}}),
]


@pytest.mark.parametrize(("name", "params", "expected"), RULE_CASES,
                         ids=[c[0] for c in RULE_CASES])
def test_rules_fire_exactly_when_they_should(name: str, params: dict[str, Any],
                                             expected: dict[str, set[str]]) -> None:
    ev = _ev(params)
    for option in ALL:
        result = ev.option(option)
        fired = {v.rule for v in result.violations}
        assert fired == expected.get(option, set()), option
        assert result.feasible is (not fired)


def test_every_rule_and_warning_cites_a_known_source() -> None:
    from archlib import _sources

    for rule in (*egress.RULES, *egress.WARNINGS):
        assert _sources.get(rule.source).id == rule.source


def test_messages_name_what_the_brief_asks() -> None:
    ev = _ev({"inspection_required": True, "third_party_firewall": True, "az_count": 1,
              "vpc_count": 3})
    messages = {v.rule: v.message for o in ALL for v in ev.option(o).violations}
    assert "inspects nothing" in messages[FIREWALL]
    assert "a third-party firewall" in messages[THIRD]
    assert "one AZ failure cuts every VPC off" in messages[TWO_AZS]


# --- warnings ----------------------------------------------------------------------------------

WARNING_CASES: list[tuple[dict[str, Any], str, str, bool]] = [
    ({"az_count": 1}, NAT, "single-az", True),
    ({"az_count": 1}, DNFW, "single-az", True),
    ({"az_count": 2}, NAT, "single-az", False),
    ({"peak_gbps": 50}, CNAT, "above-seed-attachment-bandwidth", False),
    ({"peak_gbps": 50.5}, CNAT, "above-seed-attachment-bandwidth", True),
    ({"peak_gbps": 50.5}, CNFW, "above-seed-attachment-bandwidth", True),
    ({"peak_gbps": 50.5}, NAT, "above-seed-attachment-bandwidth", False),
    # central: 10 Gbps / 2 AZ = 5 Gbps per NAT gateway, at its starting size
    ({"peak_gbps": 10}, CNAT, "nat-scaling", False),
    ({"peak_gbps": 10.5}, CNAT, "nat-scaling", True),
    ({"peak_gbps": 10.5}, CNFW, "nat-scaling", True),
    # per VPC: 20 Gbps / (2 VPC x 2 AZ) = 5; 20.5 Gbps is above
    ({"vpc_count": 2, "peak_gbps": 20}, NAT, "nat-scaling", False),
    ({"vpc_count": 2, "peak_gbps": 20.5}, NAT, "nat-scaling", True),
    ({}, GWLB, "appliance-licence-not-priced", True),
    ({"appliance_licence_hourly_usd": 0.0}, GWLB, "appliance-licence-not-priced", False),
    # 2 AZ x 0.045 x 730 / 0.02 = 3,285 GB per VPC: 2 VPCs x 3,285 = 6,570 GB
    ({"vpc_count": 2, "monthly_egress_gb": 6570}, CNAT, "heavy-vpc-keep-nat-local", False),
    ({"vpc_count": 2, "monthly_egress_gb": 6572}, CNAT, "heavy-vpc-keep-nat-local", True),
    ({}, GWLB, "appliance-mode", True),
    ({}, CNFW, "appliance-mode", False),
    ({"east_west_inspection": True}, CNFW, "appliance-mode", True),
    ({}, CNFW, "network-firewall-nat-waiver", True),
    ({}, DNFW, "network-firewall-nat-waiver", True),
    ({}, CNAT, "network-firewall-nat-waiver", False),
    ({}, DNFW, "endpoint-sprawl", True),
]


@pytest.mark.parametrize(("params", "option", "warning", "present"), WARNING_CASES)
def test_warnings(params: dict[str, Any], option: str, warning: str, present: bool) -> None:
    result = _ev(params).option(option)
    assert (warning in {w.rule for w in result.warnings}) is present
    assert warning not in {v.rule for v in result.violations}


def test_warning_texts() -> None:
    above = _ev({"peak_gbps": 60}).option(CNAT).warnings
    text = next(w.message for w in above if w.rule == "above-seed-attachment-bandwidth")
    assert "50 Gbps" in text and "100 Gbps per AZ" in text
    heavy = next(w.message for w in _ev({"vpc_count": 2, "monthly_egress_gb": 8000})
                 .option(CNAT).warnings if w.rule == "heavy-vpc-keep-nat-local")
    assert "3,285.0 GB" in heavy  # the threshold named
    sprawl = next(w.message for w in _ev({}).option(DNFW).warnings
                  if w.rule == "endpoint-sprawl")
    assert "20 firewall endpoints" in sprawl and "$288.35 a month each" in sprawl


# --- recommendations ---------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "recommended"), [
    # one VPC: nothing to centralise (seed 365)
    ({"vpc_count": 1}, NAT),
    # a third-party firewall is required: only the GWLB design is left
    ({"inspection_required": True, "third_party_firewall": True,
      "appliance_licence_hourly_usd": 0.5}, GWLB),
    # inspection with a managed firewall: the central one (one place, managed)
    ({"inspection_required": True}, CNFW),
])
def test_recommendation(params: dict[str, Any], recommended: str) -> None:
    assert _ev(params).recommended == recommended


# --- actions, assumptions, diagrams -------------------------------------------------------------


def test_actions_name_the_sized_fleet_and_appliance_mode() -> None:
    actions = egress.DECISION.actions(egress.DECISION.parse(EXAMPLE_2), GWLB)
    text = " ".join(a.text for a in actions)
    assert "4 Geneve-capable firewall appliances (2.5 Gbps each" in text
    assert "enable appliance mode" in text
    assert "/28" in text
    nfw = " ".join(a.text for a in egress.DECISION.actions(
        egress.DECISION.parse(EXAMPLE_2), CNFW))
    assert "HOME_NET" in nfw and "appliance mode" not in nfw
    heavy = " ".join(a.text for a in egress.DECISION.actions(
        egress.DECISION.parse({}), CNAT))
    assert "3,285.0 GB/month" in heavy


@pytest.mark.parametrize(("params", "assumption", "present"), [
    ({}, "common-costs", True),
    ({}, "appliance-mode-cross-az", True),
    ({}, "break-even", True),
    ({}, "licence-break-even", False),
    ({"inspection_required": True}, "licence-break-even", True),
    ({"east_west_inspection": True}, "east-west-volume", True),
    ({"east_west_inspection": True, "monthly_east_west_gb": 1}, "east-west-volume", False),
    ({"intra_vpc_inspection": True}, "intra-vpc-volume", True),
    ({}, "unverified-firewall_appliance_instance_hour", True),
])
def test_assumptions(params: dict[str, Any], assumption: str, present: bool) -> None:
    assert (assumption in {a.id for a in _ev(params).assumptions}) is present


def test_unverified_assumptions_are_labelled() -> None:
    by_id = {a.id: a for a in _ev({}).assumptions}
    assert by_id["appliance-mode-cross-az"].unverified
    assert by_id["appliance-sizing"].unverified
    assert "= 7 with no headroom" in by_id["appliance-sizing"].text


@pytest.mark.parametrize("option", ALL)
@pytest.mark.parametrize("params", [
    {}, {"vpc_count": 1}, {"vpc_count": 5, "east_west_inspection": True,
                           "intra_vpc_inspection": True},
])
def test_diagrams_render(params: dict[str, Any], option: str) -> None:
    from archlib.drawing import render_svg

    spec = egress.DECISION.diagram(egress.DECISION.parse(params), option)
    ids = {n.id for n in spec.nodes}
    assert all(e.source in ids and e.target in ids for e in spec.edges)
    assert "<svg" in render_svg(spec)


def test_diagram_labels() -> None:
    params = egress.DECISION.parse({"vpc_count": 5, "east_west_inspection": True})
    gwlb = egress.DECISION.diagram(params, GWLB)
    assert "appliance mode" in {e.label for e in gwlb.edges}
    assert any(n.label == "Gateway Load Balancer" and n.kind ==
               "aws.network.ElasticLoadBalancing" for n in gwlb.nodes)
    assert any(n.label == "firewall ASG x 7" for n in gwlb.nodes)
    assert any(e.style == "dashed" and e.label == "east-west" for e in gwlb.edges)
    assert any("(+2 more)" in c.label for c in gwlb.clusters)
    nat = egress.DECISION.diagram(params, NAT)
    assert "appliance mode" not in {e.label for e in nat.edges}


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "field"), [
    ({"vpc_count": 0}, "vpc_count"),
    ({"vpc_count": 1001}, "vpc_count"),
    ({"az_count": 7}, "az_count"),
    ({"peak_gbps": 0}, "peak_gbps"),
    ({"monthly_egress_gb": -1}, "monthly_egress_gb"),
    ({"monthly_east_west_gb": 1e9}, "monthly_east_west_gb"),
    ({"appliance_gbps": 0.001}, "appliance_gbps"),
    ({"appliance_licence_hourly_usd": -0.1}, "appliance_licence_hourly_usd"),
    ({"inspection_required": "yes"}, "inspection_required"),
    ({"vpcs": 3}, "vpcs"),
])
def test_bad_params(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_active_volumes() -> None:
    parse = egress.DECISION.parse
    assert egress.DECISION.volumes(parse({})) == ("monthly_egress_gb",)
    assert egress.DECISION.volumes(parse({"east_west_inspection": True,
                                          "intra_vpc_inspection": True})) == (
        "monthly_egress_gb", "monthly_east_west_gb", "monthly_intra_vpc_gb")


def test_scenario_is_worked_example_2() -> None:
    from pathlib import Path

    from archlib._scenario import load_scenario

    path = Path(__file__).resolve().parents[2] / "scenarios" / "egress-inspection-hub.yaml"
    scenario = load_scenario(path)
    params = scenario.decisions[EGRESS]
    assert {k: params[k] for k in EXAMPLE_2} == EXAMPLE_2


def test_notebook_runs_under_papermill_with_the_scenario(tmp_path: Any) -> None:
    """The bundled scenario's non-default parameters reach the notebook through papermill
    (an injected-parameters cell), and the executed notebook shows worked example 2."""
    from pathlib import Path

    import nbformat

    from archlib import report

    path = Path(__file__).resolve().parents[2] / "scenarios" / "egress-inspection-hub.yaml"
    outcome = report.build_reports([path], tmp_path, workers=1)
    (row,) = outcome.rows
    assert row.ok, row.reason
    assert row.recommended == CNFW and row.monthly_cost_usd == pytest.approx(2601.55)
    nb = nbformat.read(tmp_path / row.ipynb_path, as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "vpc_count = 20" in injected.source
    assert "appliance_licence_hourly_usd = 0.5" in injected.source
    shown = str([c.get("outputs", []) for c in nb.cells])
    assert "central-network-firewall" in shown and "3,356.40" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
