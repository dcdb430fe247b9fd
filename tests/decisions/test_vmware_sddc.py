"""vmware-sddc, hand-checked against shared/DOMAIN.md section 3, the seed's VMware Cloud on AWS
post (seed lines 704-741), seed 310 (1.25 Gbps per VPN tunnel, two tunnels per VPN) and the
us-east-1 prices in DOMAIN.md's price table:

    Transit Gateway         $0.05 per attachment-hour, $0.02/GB processed
    Transit Connect         assumed at Transit Gateway rates (unverified): $0.05/h, $0.02/GB
    Site-to-Site VPN        $0.05 per connection-hour
    interface endpoint      $0.01 per AZ-hour, $0.01/GB (first PB), $0.006/GB (next 4 PB)
    gateway endpoint        free
    cross-AZ transfer       $0.01/GB in each direction (seed 521: charged both ways)
    730 hours per month
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

import archlib
from archlib import InputError, report
from archlib.cli import app
from archlib.decisions import vmware_sddc
from archlib.drawing import render_svg

VMC = "vmware-sddc"
CONNECTED, VTGW, TGW_VPN, TVPC = ("connected-vpc", "vmware-transit-connect", "tgw-vpn",
                                  "transit-vpc")
ALL = (CONNECTED, VTGW, TGW_VPN, TVPC)
ALL_SERVICES = ["s3", "efs", "fsx", "rds", "redshift", "analytics", "elb"]
H = 730  # hours per month
PB = 1_048_576  # GB

# The scenario of scenarios/vmware-migration.yaml: three VPCs and an egress VPC behind the
# existing Transit Gateway, 2 Gbps, 4,000 GB/month.
MIGRATION: dict[str, Any] = {
    "other_vpc_count": 3, "reach_via_existing_tgw": True, "existing_transit_gateway": True,
    "needs_central_egress": True, "required_gbps": 2.0, "vpn_tunnels": 2,
    "monthly_gb_cross_vpc": 4000, "services": ["s3", "fsx", "rds", "elb"],
    "s3_monthly_gb": 20000,
}


def _ev(params: dict[str, Any], prices: dict[str, float] | None = None) -> archlib.Evaluation:
    return archlib.evaluate(VMC, params, prices=prices)


def test_contract_ids_and_defaults() -> None:
    decision = vmware_sddc.DECISION
    assert decision.id == VMC
    assert decision.option_ids == ALL
    assert decision.notebook == "vmware_sddc.ipynb"
    defaults = vmware_sddc.Params().model_dump()
    assert defaults == {
        "weights": {}, "exclude": [], "cost_materiality_usd": None,
        "other_vpc_count": 0, "reach_via_existing_tgw": False,
        "existing_transit_gateway": False, "needs_central_egress": False,
        "required_gbps": 1.0, "vpn_tunnels": 2, "monthly_gb_cross_vpc": 500.0,
        "services": ["s3"], "s3_monthly_gb": 1000.0, "services_in_sddc_az": True,
    }


# --- cost items ------------------------------------------------------------------------------
# Every option carries S3 on the connected VPC's free gateway endpoint (seed 724): one 0.0 item.

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    ("defaults", {}, {
        CONNECTED: [1000 * 0.0, 0.0],  # S3 free; the ENI is free within the AZ
        # Transit Connect: the SDDC attachment (no VPC to attach) + 500 GB processing
        VTGW: [0.0, (1 + 0) * 0.05 * H, 500 * 0.02],  # 36.50 + 10.00
        # 2 tunnels = 1 VPN connection = 1 Transit Gateway VPN attachment
        TGW_VPN: [0.0, 1 * 0.05 * H, 1 * 0.05 * H, 500 * 0.02],  # = 83.00
        # SDDC + transit VPC on Transit Connect, the transit VPC on the Transit Gateway, and
        # every GB processed twice
        TVPC: [0.0, 2 * 0.05 * H, 500 * 0.02, 1 * 0.05 * H, 500 * 0.02],  # = 129.50
    }),
    ("services outside the SDDC's AZ", {"services_in_sddc_az": False,
                                        "monthly_gb_cross_vpc": 2000}, {
        CONNECTED: [0.0, 2 * 2000 * 0.01],  # both directions: 40.00
        VTGW: [0.0, 1 * 0.05 * H, 2000 * 0.02],  # the transit paths do not use the ENI
    }),
    ("three VPCs, central egress, four tunnels",
     {"other_vpc_count": 3, "needs_central_egress": True, "vpn_tunnels": 4,
      "monthly_gb_cross_vpc": 4000}, {
        VTGW: [0.0, (1 + 3 + 1) * 0.05 * H, 4000 * 0.02],  # SDDC + 3 VPCs + egress VPC
        TGW_VPN: [0.0, 2 * 0.05 * H, 2 * 0.05 * H, 4000 * 0.02],  # 4 tunnels = 2 VPNs
        TVPC: [0.0, 2 * 0.05 * H, 4000 * 0.02, 1 * 0.05 * H, 4000 * 0.02],
    }),
    ("three tunnels need two VPN connections", {"other_vpc_count": 1, "vpn_tunnels": 3}, {
        TGW_VPN: [0.0, 2 * 0.05 * H, 2 * 0.05 * H, 500 * 0.02],
    }),
    ("one tunnel, one VPN connection", {"other_vpc_count": 1, "vpn_tunnels": 1}, {
        TGW_VPN: [0.0, 1 * 0.05 * H, 1 * 0.05 * H, 500 * 0.02],
    }),
    ("no cross-VPC traffic", {"other_vpc_count": 2, "monthly_gb_cross_vpc": 0}, {
        VTGW: [0.0, 3 * 0.05 * H, 0.0],
        TVPC: [0.0, 2 * 0.05 * H, 0.0, 1 * 0.05 * H, 0.0],
    }),
    ("S3 volume does not change the connection", {"s3_monthly_gb": 50_000}, {
        CONNECTED: [0.0, 0.0],
        VTGW: [0.0, 1 * 0.05 * H, 500 * 0.02],
    }),
]


@pytest.mark.parametrize(
    ("params", "option", "items"),
    [pytest.param(params, option, items, id=f"{name}-{option}")
     for name, params, by_option in COST_CASES for option, items in by_option.items()],
)
def test_cost_items(params: dict[str, Any], option: str, items: list[float]) -> None:
    result = _ev(params).option(option)
    assert sorted(result.cost_breakdown.values()) == pytest.approx(sorted(items))
    assert result.monthly_cost_usd == pytest.approx(sum(items))


@pytest.mark.parametrize(
    ("option", "total"),
    [
        (TGW_VPN, 36.50 + 36.50 + 80.00),  # 153.00
        (TVPC, 73.00 + 80.00 + 36.50 + 80.00),  # 269.50
        (VTGW, 182.50 + 80.00),  # 262.50
        (CONNECTED, 0.0),
    ],
)
def test_migration_totals_in_json(option: str, total: float) -> None:
    d = {o["id"]: o for o in _ev(MIGRATION).to_dict()["options"]}
    assert d[option]["monthly_cost_usd"] == round(total, 2)


def test_transit_connect_prices_are_overridable_assumptions() -> None:
    plain = _ev({"other_vpc_count": 2})
    unverified = {a.id for a in plain.assumptions if a.unverified}
    assert {"unverified-vmware_transit_connect_attachment_hour",
            "unverified-vmware_transit_connect_gb"} <= unverified
    overridden = _ev({"other_vpc_count": 2},
                     prices={"vmware_transit_connect_gb": 0.03,
                             "vmware_transit_connect_attachment_hour": 0.07})
    # (1 + 2) x 0.07 x 730 + 500 x 0.03
    assert overridden.option(VTGW).monthly_cost_usd == pytest.approx(3 * 0.07 * H + 500 * 0.03)
    ids = {a.id for a in overridden.assumptions}
    assert "unverified-vmware_transit_connect_gb" not in ids
    assert {"override-vmware_transit_connect_gb",
            "override-vmware_transit_connect_attachment_hour"} <= ids


# --- rules -----------------------------------------------------------------------------------

NOT_TRANSITIVE, NOTHING_BEYOND, BYPASS = ("connected-vpc-not-transitive",
                                          "nothing-beyond-connected-vpc",
                                          "transit-connect-bypasses-tgw")
VPN_TGW, TVPC_TGW, TUNNELS = ("vpn-needs-existing-tgw", "transit-vpc-needs-existing-tgw",
                              "vpn-tunnel-throughput")
TGW = {"existing_transit_gateway": True}

# params -> the rules that fire per option (an option not listed: none fire)
RULE_CASES: list[tuple[str, dict[str, Any], dict[str, set[str]]]] = [
    # nothing beyond the connected VPC: the ENI is all there is to it (seed 709-711)
    ("defaults", {},
     {VTGW: {NOTHING_BEYOND}, TGW_VPN: {NOTHING_BEYOND, VPN_TGW},
      TVPC: {NOTHING_BEYOND, TVPC_TGW}}),
    ("defaults with a Transit Gateway", TGW,
     {VTGW: {NOTHING_BEYOND}, TGW_VPN: {NOTHING_BEYOND}, TVPC: {NOTHING_BEYOND}}),
    # the ENI is not transitive: no other VPC (seed 711) ...
    ("one other VPC, no Transit Gateway", {"other_vpc_count": 1},
     {CONNECTED: {NOT_TRANSITIVE}, TGW_VPN: {VPN_TGW}, TVPC: {TVPC_TGW}}),
    # ... and no internet through a central egress VPC
    ("central egress only", {"needs_central_egress": True, **TGW},
     {CONNECTED: {NOT_TRANSITIVE}}),
    ("VPCs reachable any way", {"other_vpc_count": 2, **TGW},
     {CONNECTED: {NOT_TRANSITIVE}}),
    # Transit Connect attaches VPCs to VMware's Transit Gateway, not yours (seed 714-717)
    ("through the existing Transit Gateway",
     {"other_vpc_count": 2, "reach_via_existing_tgw": True, **TGW},
     {CONNECTED: {NOT_TRANSITIVE}, VTGW: {BYPASS}}),
    ("through a Transit Gateway that does not exist",
     {"other_vpc_count": 2, "reach_via_existing_tgw": True},
     {CONNECTED: {NOT_TRANSITIVE}, VTGW: {BYPASS}, TGW_VPN: {VPN_TGW}, TVPC: {TVPC_TGW}}),
    # 1.25 Gbps per tunnel with ECMP (seed 310, 717): 2 tunnels carry 2.5 Gbps
    ("2 tunnels at capacity", {"other_vpc_count": 1, "required_gbps": 2.5, **TGW},
     {CONNECTED: {NOT_TRANSITIVE}}),
    ("2 tunnels over capacity", {"other_vpc_count": 1, "required_gbps": 2.51, **TGW},
     {CONNECTED: {NOT_TRANSITIVE}, TGW_VPN: {TUNNELS}}),
    ("1 tunnel at capacity", {"other_vpc_count": 1, "required_gbps": 1.25, "vpn_tunnels": 1,
                              **TGW},
     {CONNECTED: {NOT_TRANSITIVE}}),
    ("1 tunnel over capacity", {"other_vpc_count": 1, "required_gbps": 1.3, "vpn_tunnels": 1,
                                **TGW},
     {CONNECTED: {NOT_TRANSITIVE}, TGW_VPN: {TUNNELS}}),
    # 4 tunnels, the most an SDDC terminates: 5 Gbps
    ("4 tunnels at capacity", {"other_vpc_count": 1, "required_gbps": 5, "vpn_tunnels": 4,
                               **TGW},
     {CONNECTED: {NOT_TRANSITIVE}}),
    ("4 tunnels over capacity", {"other_vpc_count": 1, "required_gbps": 5.01, "vpn_tunnels": 4,
                                 **TGW},
     {CONNECTED: {NOT_TRANSITIVE}, TGW_VPN: {TUNNELS}}),
    ("the migration scenario", MIGRATION, {CONNECTED: {NOT_TRANSITIVE}, VTGW: {BYPASS}}),
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
        assert (option in ev.ranking) is result.feasible


@pytest.mark.parametrize(
    ("params", "fragments"),
    [
        # 3 Gbps on 2 tunnels: 2 x 1.25 = 2.5 Gbps; ceil(3 / 1.25) = 3 tunnels would do
        ({"required_gbps": 3}, ["3 Gbps", "2 tunnels x 1.25 Gbps = 2.5 Gbps",
                                "3 tunnels would carry it"]),
        ({"required_gbps": 1.5, "vpn_tunnels": 1},
         ["1.5 Gbps", "1 tunnel x 1.25 Gbps = 1.25 Gbps", "2 tunnels would carry it"]),
        # 6 Gbps needs ceil(6 / 1.25) = 5 tunnels, more than the 4 an SDDC terminates
        ({"required_gbps": 6, "vpn_tunnels": 4},
         ["6 Gbps", "4 tunnels x 1.25 Gbps = 5 Gbps", "4 x 1.25 Gbps = 5 Gbps) cannot"]),
    ],
)
def test_tunnel_rule_message_carries_the_numbers(params: dict[str, Any],
                                                 fragments: list[str]) -> None:
    ev = _ev({"other_vpc_count": 1, **TGW, **params})
    (violation,) = ev.option(TGW_VPN).violations
    assert violation.rule == TUNNELS
    for fragment in fragments:
        assert fragment in violation.message
    assert "\n" not in violation.message


def test_not_transitive_message_names_what_cannot_be_reached() -> None:
    (violation,) = _ev(MIGRATION).option(CONNECTED).violations
    assert "3 other VPCs and the central egress VPC" in violation.message
    assert violation.source == "seed-vmc-connected-vpc"


@pytest.mark.parametrize(
    ("rule", "option"),
    [(NOT_TRANSITIVE, CONNECTED), (NOTHING_BEYOND, VTGW), (BYPASS, VTGW), (VPN_TGW, TGW_VPN),
     (TVPC_TGW, TVPC), (TUNNELS, TGW_VPN)],
)
def test_every_rule_has_a_known_source(rule: str, option: str) -> None:
    from archlib import _sources

    (found,) = [r for r in vmware_sddc.RULES if r.id == rule]
    assert option in found.options
    assert _sources.get(found.source).seed_lines or found.source.startswith("vmc-")


# --- warnings --------------------------------------------------------------------------------

SINGLE_FLOW, MANUAL, ABOVE, CROSS_AZ, EGRESS = (
    "vpn-single-flow-limit", "transit-vpc-manual-routes", "above-stated-transit-bandwidth",
    "cross-az-transfer", "egress-route-by-hand")
REACH = {"other_vpc_count": 1, **TGW}

# (params, option, warning, present); the option stays feasible either way
WARNING_CASES = [
    ({**REACH, "required_gbps": 2}, TGW_VPN, SINGLE_FLOW, True),  # above one tunnel
    ({**REACH, "required_gbps": 1.25}, TGW_VPN, SINGLE_FLOW, False),
    (REACH, TVPC, MANUAL, True),  # seed 719: routes configured manually
    ({**REACH, "required_gbps": 60}, VTGW, ABOVE, True),  # above the stated 50 Gbps
    ({**REACH, "required_gbps": 60}, TVPC, ABOVE, True),
    ({**REACH, "required_gbps": 50}, VTGW, ABOVE, False),
    ({"services_in_sddc_az": False}, CONNECTED, CROSS_AZ, True),
    ({}, CONNECTED, CROSS_AZ, False),
    ({**REACH, "needs_central_egress": True}, VTGW, EGRESS, True),
    (REACH, VTGW, EGRESS, False),
]


@pytest.mark.parametrize(("params", "option", "warning", "present"), WARNING_CASES)
def test_warnings(params: dict[str, Any], option: str, warning: str, present: bool) -> None:
    result = _ev(params).option(option)
    assert (warning in {w.rule for w in result.warnings}) is present
    assert result.feasible


# --- recommendations and scores --------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "recommended"),
    [
        ({}, CONNECTED),  # the connected VPC alone: free and configured at deployment
        ({"services": ALL_SERVICES, "services_in_sddc_az": False}, CONNECTED),
        ({"other_vpc_count": 2}, VTGW),  # no Transit Gateway of your own: Transit Connect
        ({"other_vpc_count": 2, **TGW}, VTGW),
        (MIGRATION, TGW_VPN),
        # 3 Gbps does not fit 2 tunnels: the transit VPC is the high-throughput way (seed 719)
        ({**MIGRATION, "required_gbps": 3}, TVPC),
        ({**MIGRATION, "required_gbps": 3, "vpn_tunnels": 3}, TGW_VPN),
    ],
)
def test_recommendation(params: dict[str, Any], recommended: str) -> None:
    assert _ev(params).recommended == recommended


def test_scores_hand_checked_three_feasible_options() -> None:
    # 2 other VPCs, existing Transit Gateway, 500 GB, 1 Gbps, default weights 0.40/0.35/0.25.
    # cost: VTGW (1 + 2) x 36.50 + 10 = 119.50, VPN 36.50 + 36.50 + 10 = 83.00,
    #       transit VPC 73 + 10 + 36.50 + 10 = 129.50 -> on M / (M + c), M = $100:
    #       100 / 219.5, 100 / 183, 100 / 229.5
    # complexity 2 / 3 / 4 on the 1-5 scale -> 0.75, 0.5, 0.25
    # headroom 10 (capped) / 2.5 / 10: all at least 1.25x, enough -> 1, 1, 1
    ev = _ev({"other_vpc_count": 2, **TGW})
    assert ev.option(VTGW).score == pytest.approx(
        100 * (0.40 * 100 / 219.5 + 0.35 * 0.75 + 0.25))  # 69.47
    assert ev.option(TGW_VPN).score == pytest.approx(
        100 * (0.40 * 100 / 183 + 0.35 * 0.5 + 0.25))  # 64.36
    assert ev.option(TVPC).score == pytest.approx(
        100 * (0.40 * 100 / 229.5 + 0.35 * 0.25 + 0.25))  # 51.18
    # the transit VPC is dearer and more complex than either, and no better on headroom
    assert ev.option(TVPC).dominated_by == (TGW_VPN, VTGW)
    assert ev.ranking == (VTGW, TGW_VPN, TVPC)
    assert ev.option(TGW_VPN).criteria["throughput_headroom"] == pytest.approx(2 * 1.25 / 1)


def test_migration_scores() -> None:
    # VPN $153.00, complexity 3, headroom 2.5 / 2 = 1.25x (enough: 1);
    # transit VPC $269.50, complexity 4, headroom 10x (1).
    ev = _ev(MIGRATION)
    assert ev.option(TGW_VPN).score == pytest.approx(
        100 * (0.40 * 100 / 253 + 0.35 * 0.5 + 0.25))  # 58.31
    assert ev.option(TVPC).score == pytest.approx(
        100 * (0.40 * 100 / 369.5 + 0.35 * 0.25 + 0.25))  # 44.58
    assert ev.option(TVPC).dominated_by == (TGW_VPN,)
    assert ev.verdict is not None and ev.verdict.level == "clear"
    assert ev.option(TGW_VPN).criteria["throughput_headroom"] == pytest.approx(2.5 / 2)


def test_judgements_carry_reasons_and_sources() -> None:
    ev = _ev({"other_vpc_count": 2, **TGW})
    for option in ALL:
        basis = ev.option(option).criteria_basis
        assert set(basis) == {"operational_complexity", "throughput_headroom"}
        for judgement in basis.values():
            assert judgement.reason and judgement.source
    assert ev.option(TVPC).criteria_basis["operational_complexity"].source == \
        "seed-vmc-transit-vpc"


# --- placements ------------------------------------------------------------------------------

# service -> (source, words in the placement)
PLACEMENT_CASES = {
    "s3": ("seed-vmc-s3", "gateway endpoint in the connected VPC"),
    "efs": ("seed-vmc-file-services", "EFS mount target in the connected VPC"),
    "fsx": ("seed-vmc-file-services", "FSx file system in the connected VPC"),
    "rds": ("seed-vmc-databases", "RDS primary in the connected VPC"),
    "redshift": ("seed-vmc-databases", "Redshift cluster in the connected VPC"),
    "analytics": ("seed-vmc-analytics", "interface endpoints for the analytics services in "
                                        "the connected VPC"),
    "elb": ("seed-vmc-elb", "load balancer in a connected-VPC subnet"),
}


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_placement_of_every_service(service: str) -> None:
    ev = _ev({"services": [service]})
    (placement,) = ev.placements
    source, words = PLACEMENT_CASES[service]
    assert placement.service == service
    assert placement.source == source
    assert words in placement.placement
    assert placement.reason and "\n" not in placement.reason
    assert source in {s.id for s in ev.sources}
    if service == "s3":
        assert placement.compared_with is not None
        assert placement.monthly_cost_difference_usd is not None
    else:  # the sources give no volume per service: no number is made up
        assert placement.compared_with is None
        assert placement.monthly_cost_difference_usd is None


@pytest.mark.parametrize(
    ("s3_gb", "saving"),
    [
        # Transit Connect processing + interface endpoint processing + 2 AZ x 0.01 x 730
        (1000, 1000 * 0.02 + 1000 * 0.01 + 2 * 0.01 * H),  # 44.60
        (0, 2 * 0.01 * H),  # 14.60: the endpoint hours alone
        (20_000, 20_000 * 0.02 + 20_000 * 0.01 + 2 * 0.01 * H),  # 614.60
        # above 1 PB the interface endpoint's second tier ($0.006/GB) applies
        (2_000_000, 2_000_000 * 0.02 + PB * 0.01 + (2_000_000 - PB) * 0.006 + 2 * 0.01 * H),
    ],
)
def test_s3_saving_against_transit_connect_and_interface_endpoint(s3_gb: float,
                                                                  saving: float) -> None:
    (placement,) = _ev({"s3_monthly_gb": s3_gb}).placements
    assert placement.monthly_cost_difference_usd == pytest.approx(saving)
    assert "interface endpoint" in (placement.compared_with or "")
    assert "Transit Connect" in (placement.compared_with or "")


def test_placements_follow_services_in_order_and_json() -> None:
    ev = _ev({"services": ["rds", "s3", "elb"]})
    assert [p.service for p in ev.placements] == ["rds", "s3", "elb"]
    data = ev.to_dict()["placements"]
    assert [p["service"] for p in data] == ["rds", "s3", "elb"]
    assert set(data[0]) == {"service", "placement", "reason", "source",
                            "monthly_cost_difference_usd", "compared_with"}
    assert data[1]["monthly_cost_difference_usd"] == 44.6
    assert data[0]["monthly_cost_difference_usd"] is None
    assert _ev({"services": []}).placements == ()


def test_elb_goes_to_the_egress_vpc_with_central_egress() -> None:
    # seed 730: Transit Connect to existing networking services, e.g. an ingress/egress VPC
    (placement,) = _ev({"services": ["elb"], "needs_central_egress": True}).placements
    assert "ingress/egress VPC" in placement.placement
    assert "internal one in the connected VPC" in placement.placement


def test_placements_outside_the_sddc_az_name_the_cross_az_rate() -> None:
    (fsx,) = _ev({"services": ["fsx"], "services_in_sddc_az": False}).placements
    assert "moved into the SDDC's AZ" in fsx.placement
    assert "2 x $0.01 = $0.02" in fsx.reason  # both directions (seed 521)
    (inside,) = _ev({"services": ["fsx"]}).placements
    assert "in the SDDC's AZ" in inside.placement and "$0.02 cross-AZ" not in inside.reason


# --- actions and assumptions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "fragments", "sources"),
    [
        ({}, ["connected VPC chosen at SDDC deployment", "S3 gateway endpoint"],
         {"seed-vmc-connected-vpc", "seed-vmc-s3"}),
        ({"other_vpc_count": 2, "services": ["rds"]},
         ["SDDC group", "Attach the 2 VPCs", "databases (rds)"],
         {"seed-vmc-transit-connect", "vmc-transit-connect-designlet", "seed-vmc-databases"}),
        ({**MIGRATION, "vpn_tunnels": 4},
         ["Create 2 Site-to-Site VPN connections", "bring up 4 tunnels", "ECMP",
          "default route to the dedicated ingress/egress VPC", "internet-facing load balancer"],
         {"seed-vmc-tgw-vpn", "seed-tgw-vpn-tunnel-bandwidth", "seed-vmc-elb"}),
        ({**MIGRATION, "required_gbps": 3},
         ["transit VPC", "routes by hand"], {"seed-vmc-transit-vpc"}),
    ],
)
def test_actions(params: dict[str, Any], fragments: list[str], sources: set[str]) -> None:
    ev = _ev(params)
    text = " ".join(a.text for a in ev.actions)
    for fragment in fragments:
        assert fragment in text, fragment
    assert sources <= {a.source for a in ev.actions}


def test_no_s3_action_without_s3() -> None:
    ev = _ev({"services": ["efs"]})
    assert not any("S3" in a.text for a in ev.actions)


@pytest.mark.parametrize(
    ("params", "assumption", "present"),
    [
        ({}, "transit-connect-billing", True),
        ({}, "s3-comparison", True),
        ({"services": ["rds"]}, "s3-comparison", False),
        ({}, "vpn-transfer", True),  # VPN tunnel egress billed by VMware: left out, said so
        ({}, "common-costs", True),
        ({}, "cross-az", True),
    ],
)
def test_assumptions(params: dict[str, Any], assumption: str, present: bool) -> None:
    assert (assumption in {a.id for a in _ev(params).assumptions}) is present


def test_transit_connect_billing_is_labelled_unverified() -> None:
    (billing,) = [a for a in _ev({}).assumptions if a.id == "transit-connect-billing"]
    assert billing.unverified


# --- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"vpn_tunnels": 5}, "vpn_tunnels", "4"),
        ({"vpn_tunnels": 0}, "vpn_tunnels", "1"),
        ({"other_vpc_count": -1}, "other_vpc_count", "0"),
        ({"other_vpc_count": "2"}, "other_vpc_count", ""),  # strict: no coercion
        ({"required_gbps": 0}, "required_gbps", "0"),
        ({"monthly_gb_cross_vpc": -5}, "monthly_gb_cross_vpc", "0"),
        ({"services": ["s3", "dynamodb"]}, "services.1", "dynamodb"),
        ({"services": "s3"}, "services", ""),
        ({"services": ["s3", "s3"]}, "services", "twice"),
        ({"services_in_sddc_az": "yes"}, "services_in_sddc_az", ""),
        ({"region": "us-east-1"}, "region", "unknown field"),
    ],
)
def test_bad_params(params: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert words in str(info.value)
    assert "\n" not in str(info.value)


# --- diagrams --------------------------------------------------------------------------------


def _clusters_of(spec: Any) -> dict[str, str | None]:
    return {n.id: n.cluster for n in spec.nodes}


@pytest.mark.parametrize("option", ALL)
@pytest.mark.parametrize(
    "params",
    [{}, {**MIGRATION, "services": ALL_SERVICES, "services_in_sddc_az": False}],
    ids=["defaults", "everything"],
)
def test_every_option_draws(params: dict[str, Any], option: str) -> None:
    ev = _ev(params)
    spec = ev.decision.diagram(ev.params, option)
    svg = render_svg(spec)
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg
    assert spec.title == ev.decision.option(option).title


@pytest.mark.parametrize("option", ALL)
def test_diagrams_show_services_where_they_are_placed(option: str) -> None:
    params = {**MIGRATION, "services": ALL_SERVICES}
    ev = _ev(params)
    where = _clusters_of(ev.decision.diagram(ev.params, option))
    expected = {
        "s3-gw": "connected", "s3": "region", "efs": "connected", "fsx": "connected",
        "rds": "connected", "redshift": "connected", "analytics-ie": "connected",
        "elb": "connected", "egress-elb": "egress", "workloads": "others", "sddc": "vmware",
        "eni": "connected",
    }
    for node, cluster in expected.items():
        assert where[node] == cluster, node


def test_diagram_nodes_follow_services() -> None:
    ev = _ev({"services": ["rds"]})
    ids = set(_clusters_of(ev.decision.diagram(ev.params, CONNECTED)))
    assert "rds" in ids
    assert not {"s3", "s3-gw", "efs", "fsx", "elb", "analytics-ie"} & ids


@pytest.mark.parametrize(
    ("option", "hub_kind", "labels"),
    [
        (CONNECTED, None, ["no transitive routing"]),
        (VTGW, "aws.network.TransitGateway", ["SDDC group"]),
        (TGW_VPN, "aws.network.SiteToSiteVpn", ["attachment"]),
        (TVPC, "aws.network.RouteTable", ["attachment"]),
    ],
)
def test_diagram_paths_per_option(option: str, hub_kind: str | None,
                                  labels: list[str]) -> None:
    ev = _ev({**MIGRATION, "vpn_tunnels": 4})
    spec = ev.decision.diagram(ev.params, option)
    edge_labels = {e.label for e in spec.edges}
    for label in labels:
        assert label in edge_labels
    kinds = {n.kind for n in spec.nodes}
    if hub_kind:
        assert hub_kind in kinds
    if option == CONNECTED:  # the other VPCs are drawn, but unreachable
        dashed = [e for e in spec.edges if e.label == "no transitive routing"]
        assert {e.target for e in dashed} >= {"workloads", "igw"}
        assert all(e.style == "dashed" for e in dashed)
    if option == TGW_VPN:
        (vpn,) = [n for n in spec.nodes if n.kind == "aws.network.SiteToSiteVpn"]
        assert "4 tunnels" in vpn.label
    if option == TVPC:
        assert "transit" in {c.id for c in spec.clusters}


def test_unknown_option_diagram() -> None:
    ev = _ev({})
    with pytest.raises(KeyError, match="connected-vpc"):
        ev.decision.diagram(ev.params, "nosuch")


# --- CLI -------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_evaluate_json_with_set() -> None:
    result = runner.invoke(app, ["evaluate", VMC, "--format", "json",
                                 "--set", "other_vpc_count=2", "--set", "services=[s3, rds]",
                                 "--set", "s3_monthly_gb=2000"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decision"] == VMC
    assert data["recommended"] == VTGW
    assert [p["service"] for p in data["placements"]] == ["s3", "rds"]
    # 2000 x 0.02 + 2000 x 0.01 + 2 x 0.01 x 730
    assert data["placements"][0]["monthly_cost_difference_usd"] == round(40 + 20 + 14.6, 2)
    vtgw = next(o for o in data["options"] if o["id"] == VTGW)
    assert vtgw["monthly_cost_usd"] == round(3 * 0.05 * H + 500 * 0.02, 2)  # 119.50


def test_cli_unknown_service_is_one_line() -> None:
    result = runner.invoke(app, ["evaluate", VMC, "--set", "services=[s3, dynamodb]"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "services" in lines[0] and "dynamodb" in lines[0]


# --- widgets ---------------------------------------------------------------------------------


def test_explorer_controls_and_a_change() -> None:
    import ipywidgets as widgets

    from archlib.widgets import explore

    ex = explore(VMC)
    assert set(ex.controls) == set(vmware_sddc.Params.model_fields) - {"weights", "exclude"}
    assert set(ex.exclude_controls) == set(ALL)  # a checkbox per option
    assert ex.fixed == {}
    kinds = {name: type(c) for name, c in ex.controls.items()}
    assert kinds["services"] is widgets.SelectMultiple
    assert ex.controls["services"].options == tuple(ALL_SERVICES)
    assert ex.controls["services"].value == ("s3",)
    assert kinds["vpn_tunnels"] is widgets.IntSlider
    assert (ex.controls["vpn_tunnels"].min, ex.controls["vpn_tunnels"].max) == (1, 4)
    assert kinds["reach_via_existing_tgw"] is widgets.Checkbox
    assert kinds["required_gbps"] is widgets.FloatSlider
    assert kinds["monthly_gb_cross_vpc"] is widgets.BoundedFloatText
    assert ex.evaluation.recommended == CONNECTED

    ex.controls["other_vpc_count"].value = 2
    assert ex.error.value == ""
    assert ex.evaluation.recommended == VTGW
    ex.controls["services"].value = ("s3", "rds")
    assert [p.service for p in ex.evaluation.placements] == ["s3", "rds"]
    assert "<svg" in ex.diagram.value


# --- the notebook, run by papermill with non-default parameters ------------------------------


@pytest.fixture(scope="module")
def migration_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vmc")
    scenario = root / "migration.yaml"
    scenario.write_text(
        "name: Migration\ndescription: SDDC with shared services.\ndecisions:\n"
        f"  vmware-sddc: {json.dumps(MIGRATION)}\n", encoding="utf-8")
    outcome = report.build_reports([scenario], root / "out")
    assert outcome.ok, [r.reason for r in outcome.rows]
    return root / "out" / "migration"


def test_papermill_ran_the_notebook_with_the_scenario(migration_report: Path) -> None:
    nb = nbformat.read(migration_report / "vmware-sddc.ipynb", as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    for line in ("other_vpc_count = 3", "reach_via_existing_tgw = True",
                 'services = ["s3", "fsx", "rds", "elb"]', "s3_monthly_gb = 20000"):
        assert line in injected.source, line
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = json.dumps(outputs)
    assert "Recommended: <code>tgw-vpn</code>" in shown


def test_report_shows_placements_table_and_every_diagram(migration_report: Path) -> None:
    page = (migration_report / "vmware-sddc.html").read_text()
    assert "Service placements" in page
    table = re.search(r'<table class="archlib-placements">.*?</table>', page, re.S)
    assert table is not None
    for service in ("s3", "fsx", "rds", "elb"):
        assert f"<code>{service}</code>" in table.group(0)
    assert "$614.60" in table.group(0)  # 20,000 x (0.02 + 0.01) + 2 x 0.01 x 730
    assert page.count('aria-label="Diagram of option ') == 4
    assert "UNVERIFIED" in page  # Transit Connect rates are labelled assumptions
    assert "from archlib import notebook" not in page
