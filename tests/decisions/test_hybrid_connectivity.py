"""hybrid-connectivity, hand-checked against shared/DOMAIN-NEXT.md section 6, the seed's
Transit Gateway post (seed lines 288-314), its IVR post (553-570) and the us-east-1 prices:

    Site-to-Site VPN               $0.05 per connection-hour (standard tunnels)
    VPN, Large Bandwidth Tunnels   $0.60 per connection-hour (US East (Ohio) example, unverified)
    Transit Gateway                $0.05 per attachment-hour, $0.02/GB processed
    Direct Connect, dedicated      1 / 10 / 100 / 400 Gbps: $0.30 / 2.25 / 22.50 / 85.00 per hour
    Direct Connect, hosted         50 Mbps $0.03 ... 500 Mbps $0.20, 1 Gbps $0.33, 2 Gbps $0.66,
                                   5 Gbps $1.65, 10 Gbps $2.48, 25 Gbps $6.20 per hour
    Direct Connect data out        $0.02/GB (us-east-1 to a US location); data in free
    internet data out (and VPN)    $0.09/GB to 10,240 GB, $0.085 to 51,200, $0.07 to 153,600,
                                   $0.05 above (the tiers above 10 TB unverified)
    730 hours per month: one VPN connection or attachment is 0.05 x 730 = $36.50 a month.

Sizing: standard tunnels carry 1.25 Gbps, large 5 Gbps; on a Transit Gateway with BGP a
connection carries both tunnels (2 x), without BGP one; n = max(ceil(required / per
connection), customer gateways). Each Direct Connect connection carries the whole requirement
(the smallest port >= required); 1, 2 or 4 connections for vpn-backup, high, maximum.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

import archlib
from archlib import InputError, report
from archlib.cli import app
from archlib.decisions import hybrid_connectivity
from archlib.decisions.hybrid_connectivity import Params
from archlib.drawing import render_svg

HY = "hybrid-connectivity"
VGW, ECMP, LARGE, DED, HOST = ("vpn-vgw", "vpn-tgw-ecmp", "vpn-tgw-large", "dx-dedicated",
                               "dx-hosted")
ALL = (VGW, ECMP, LARGE, DED, HOST)
VPN_OPTIONS, DX_OPTIONS = (VGW, ECMP, LARGE), (DED, HOST)
H = 730
VPN, VPN_L, ATT, TGW_GB, DX_OUT = 0.05, 0.60, 0.05, 0.02, 0.02
ROOT = Path(__file__).resolve().parents[2]

#: The seed's case (seed 306-310): 10 Gbps, 3 VPCs on an existing TGW, 5,000 GB each way.
SEED_CASE = {"required_gbps": 10, "vpc_count": 3, "transit_gateway_exists": True,
             "monthly_gb_to_aws": 5000, "monthly_gb_from_aws": 5000}
#: The brief's Direct Connect break-even case: 1 VPC, no TGW, 0.5 Gbps, 1,000 in, 20,000 out.
BREAK_EVEN = {"required_gbps": 0.5, "largest_flow_gbps": 0.5, "monthly_gb_to_aws": 1000,
              "monthly_gb_from_aws": 20000}


def _ev(params: dict[str, Any]) -> archlib.Evaluation:
    return archlib.evaluate(HY, params)


def test_contract_ids() -> None:
    assert hybrid_connectivity.DECISION.id == HY
    assert hybrid_connectivity.DECISION.option_ids == ALL
    assert set(Params.model_fields) >= {
        "region", "required_gbps", "largest_flow_gbps", "monthly_gb_to_aws",
        "monthly_gb_from_aws", "vpc_count", "transit_gateway_exists", "bgp_capable",
        "dx_resiliency", "redundant_customer_gateways"}


# --- the brief's worked examples -------------------------------------------------------------


def test_seed_case_ten_gbps_over_three_vpcs() -> None:
    ev = _ev(SEED_CASE)
    # 10 / 3 = 3.3 Gbps per VPC > 1.25: no ECMP on a virtual private gateway
    assert not ev.option(VGW).feasible
    assert [v.rule for v in ev.option(VGW).violations] == ["vgw-no-ecmp"]
    # n = ceil(10 / 2.5) = 4 (the seed's four VPNs): 146 + 146 + 200 + 450
    assert ev.option(ECMP).monthly_cost_usd == 4 * 36.50 + 4 * 36.50 + 10_000 * 0.02 + 5000 * 0.09
    assert ev.option(ECMP).monthly_cost_usd == 942.00
    # n = max(ceil(10 / 10), 2) = 2: 876 + 73 + 200 + 450 (unverified rate)
    assert ev.option(LARGE).monthly_cost_usd == 1599.00
    # high: 2 x 10 Gbps = 2 x 2.25 x 730 = 3,285 + 100 out + DX gateway attachment 36.50 + 200
    assert ev.option(DED).monthly_cost_usd == 3621.50
    # 2 x 2.48 x 730 = 3,620.80 + 336.50
    assert ev.option(HOST).monthly_cost_usd == 3957.30
    assert ev.recommended == ECMP  # the seed's design


def test_direct_connect_break_even_example() -> None:
    ev = _ev(BREAK_EVEN)
    # 2 x 36.50 + 10,240 x 0.09 + 9,760 x 0.085 = 73 + 921.60 + 829.60
    assert ev.option(VGW).monthly_cost_usd == 1824.20
    # hosted 500 Mbps, high: 2 x 0.20 x 730 = 292 + 20,000 x 0.02 = 400
    assert ev.option(HOST).monthly_cost_usd == 692.00
    # dedicated 1 Gbps, high: 2 x 0.30 x 730 = 438 + 400
    assert ev.option(DED).monthly_cost_usd == 838.00
    assert ev.recommended == HOST
    backup = _ev({**BREAK_EVEN, "dx_resiliency": "vpn-backup"})
    # one 500 Mbps port 146 + backup VPN 36.50 + 400
    assert backup.option(HOST).monthly_cost_usd == 582.50


def test_break_even_volume_is_3129_gb_out() -> None:
    """Below 10 TB out, hosted-high pays off above (292 - 73) / (0.09 - 0.02) = 3,128.6 GB."""
    base = {**BREAK_EVEN, "monthly_gb_to_aws": 0}
    below = _ev({**base, "monthly_gb_from_aws": 3128})
    above = _ev({**base, "monthly_gb_from_aws": 3130})
    # 73 + 3,128 x 0.09 = 354.52 against 292 + 3,128 x 0.02 = 354.56
    assert below.option(VGW).monthly_cost_usd == 354.52
    assert below.option(HOST).monthly_cost_usd == 354.56
    # 73 + 281.70 = 354.70 against 292 + 62.60 = 354.60
    assert above.option(VGW).monthly_cost_usd == 354.70
    assert above.option(HOST).monthly_cost_usd == 354.60


# --- cost items ------------------------------------------------------------------------------

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    ("defaults: 2 Gbps, 1 VPC, no TGW, 1,000 in, 2,000 out", {}, {
        VGW: [1 * 2 * VPN * H, 2000 * 0.09],  # 73 + 180
        # n = max(ceil(2 / 2.5), 2 customer gateways) = 2; a new TGW attaches the one VPC
        ECMP: [2 * VPN * H, 2 * ATT * H, 1 * ATT * H, 3000 * TGW_GB, 2000 * 0.09],
        LARGE: [2 * VPN_L * H, 2 * ATT * H, 1 * ATT * H, 3000 * TGW_GB, 2000 * 0.09],
        DED: [2 * 2.25 * H, 2000 * DX_OUT],  # smallest dedicated port >= 2 Gbps: 10 Gbps
        HOST: [2 * 0.66 * H, 2000 * DX_OUT],  # hosted 2 Gbps: 963.60 + 40
    }),
    ("the seed's case", SEED_CASE, {
        ECMP: [4 * VPN * H, 4 * ATT * H, 0 * ATT * H, 10_000 * TGW_GB, 5000 * 0.09],
        LARGE: [2 * VPN_L * H, 2 * ATT * H, 0.0, 10_000 * TGW_GB, 5000 * 0.09],
        DED: [2 * 2.25 * H, 5000 * DX_OUT, 1 * ATT * H, 0.0, 10_000 * TGW_GB],
        HOST: [2 * 2.48 * H, 5000 * DX_OUT, 1 * ATT * H, 0.0, 10_000 * TGW_GB],
    }),
    ("static routing, 1 Gbps, 2 VPCs, one customer gateway",
     {"bgp_capable": False, "required_gbps": 1, "vpc_count": 2, "monthly_gb_to_aws": 100,
      "monthly_gb_from_aws": 1000, "redundant_customer_gateways": False}, {
        VGW: [2 * 1 * VPN * H, 1000 * 0.09],
        # without BGP a connection carries one 1.25 Gbps tunnel: n = max(ceil(1 / 1.25), 1)
        ECMP: [1 * VPN * H, 1 * ATT * H, 2 * ATT * H, 1100 * TGW_GB, 1000 * 0.09],
        LARGE: [1 * VPN_L * H, 1 * ATT * H, 2 * ATT * H, 1100 * TGW_GB, 1000 * 0.09],
        # two VPCs: a DX gateway on a new TGW (ruled out by dx-needs-bgp, still costed)
        DED: [2 * 0.30 * H, 1000 * DX_OUT, 1 * ATT * H, 2 * ATT * H, 1100 * TGW_GB],
        HOST: [2 * 0.33 * H, 1000 * DX_OUT, 1 * ATT * H, 2 * ATT * H, 1100 * TGW_GB],
    }),
    ("maximum resiliency, 30 Gbps, 2 VPCs on a TGW, 10,000 GB out",
     {"required_gbps": 30, "vpc_count": 2, "transit_gateway_exists": True,
      "dx_resiliency": "maximum", "monthly_gb_to_aws": 0, "monthly_gb_from_aws": 10_000}, {
        ECMP: [12 * VPN * H, 12 * ATT * H, 0.0, 10_000 * TGW_GB, 10_000 * 0.09],  # 30 / 2.5
        LARGE: [3 * VPN_L * H, 3 * ATT * H, 0.0, 10_000 * TGW_GB, 10_000 * 0.09],  # 30 / 10
        DED: [4 * 22.50 * H, 10_000 * DX_OUT, ATT * H, 0.0, 10_000 * TGW_GB],  # 4 x 100 Gbps
        # no hosted port carries 30 Gbps (ruled out): costed at the largest, 25 Gbps
        HOST: [4 * 6.20 * H, 10_000 * DX_OUT, ATT * H, 0.0, 10_000 * TGW_GB],
    }),
    ("VPN backup on the TGW path, 3 new VPCs",
     {"required_gbps": 2, "vpc_count": 3, "dx_resiliency": "vpn-backup",
      "monthly_gb_to_aws": 0, "monthly_gb_from_aws": 1000}, {
        # one hosted 2 Gbps port, out, DX gateway attachment, 3 VPC attachments, TGW
        # processing, the backup VPN and its attachment
        HOST: [0.66 * H, 1000 * DX_OUT, ATT * H, 3 * ATT * H, 1000 * TGW_GB, VPN * H,
               ATT * H],
        DED: [2.25 * H, 1000 * DX_OUT, ATT * H, 3 * ATT * H, 1000 * TGW_GB, VPN * H, ATT * H],
    }),
    ("internet tiers: 60,000 GB out", {"monthly_gb_from_aws": 60_000}, {
        # 10,240 x 0.09 + 40,960 x 0.085 + 8,800 x 0.07 = 921.60 + 3,481.60 + 616
        VGW: [2 * VPN * H, 10_240 * 0.09 + 40_960 * 0.085 + 8800 * 0.07],
    }),
    ("internet tiers: 200,000 GB out", {"monthly_gb_from_aws": 200_000}, {
        # + 102,400 x 0.07 + 46,400 x 0.05 = 921.60 + 3,481.60 + 7,168 + 2,320
        VGW: [2 * VPN * H, 921.60 + 3481.60 + 7168 + 2320],
    }),
    ("hosted 50 Mbps, dedicated 1 Gbps", {"required_gbps": 0.05, "largest_flow_gbps": 0.05,
                                          "monthly_gb_from_aws": 0}, {
        HOST: [2 * 0.03 * H, 0.0],
        DED: [2 * 0.30 * H, 0.0],
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
    assert result.monthly_cost_usd == pytest.approx(sum(billed), abs=1e-9)


@pytest.mark.parametrize(
    ("required", "dedicated", "hosted"),
    [(0.05, 1, 0.05), (0.06, 1, 0.1), (0.3, 1, 0.3), (0.5, 1, 0.5), (0.51, 1, 1), (1, 1, 1),
     (1.5, 10, 2), (3, 10, 5), (10, 10, 10), (12, 100, 25), (25, 100, 25), (26, 100, None),
     (100, 100, None), (101, 400, None), (400, 400, None), (401, None, None)],
)
def test_port_speed_is_the_smallest_offered_that_carries_the_requirement(
        required: float, dedicated: float | None, hosted: float | None) -> None:
    p = Params(required_gbps=required, largest_flow_gbps=min(1.0, required))
    assert hybrid_connectivity.dx_port_gbps(p, DED) == dedicated
    assert hybrid_connectivity.dx_port_gbps(p, HOST) == hosted


@pytest.mark.parametrize(
    ("params", "ecmp", "large"),
    [({"required_gbps": 10}, 4, 2), ({"required_gbps": 10.01}, 5, 2),
     ({"required_gbps": 2.5, "redundant_customer_gateways": False}, 1, 1),
     ({"required_gbps": 2.6, "redundant_customer_gateways": False}, 2, 1),
     ({"required_gbps": 40}, 16, 4), ({"required_gbps": 1, "bgp_capable": False}, 2, 2)],
)
def test_vpn_connections_are_sized_from_the_requirement(params: dict[str, Any], ecmp: int,
                                                         large: int) -> None:
    p = Params(**params)
    assert hybrid_connectivity.vpn_connections(p, ECMP) == ecmp
    assert hybrid_connectivity.vpn_connections(p, LARGE) == large


@pytest.mark.parametrize(("model", "connections"), [("vpn-backup", 1), ("high", 2),
                                                    ("maximum", 4)])
def test_dx_connections_by_resiliency_model(model: str, connections: int) -> None:
    assert hybrid_connectivity.dx_connections(Params(dx_resiliency=model)) == connections


# --- rules -----------------------------------------------------------------------------------

RULE_CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    # vgw-no-ecmp: required / vpc_count > 1.25
    ("vgw-no-ecmp", VGW, {"required_gbps": 1.25}, False),
    ("vgw-no-ecmp", VGW, {"required_gbps": 1.26}, True),
    ("vgw-no-ecmp", VGW, {"required_gbps": 3.75, "vpc_count": 3}, False),
    ("vgw-no-ecmp", VGW, {"required_gbps": 3.76, "vpc_count": 3}, True),
    # flow-exceeds-tunnel: 1.25 Gbps standard, 5 Gbps large
    ("flow-exceeds-tunnel", VGW, {"required_gbps": 10, "largest_flow_gbps": 1.25}, False),
    ("flow-exceeds-tunnel", VGW, {"required_gbps": 10, "largest_flow_gbps": 1.3}, True),
    ("flow-exceeds-tunnel", ECMP, {"required_gbps": 10, "largest_flow_gbps": 1.25}, False),
    ("flow-exceeds-tunnel", ECMP, {"required_gbps": 10, "largest_flow_gbps": 1.3}, True),
    ("flow-exceeds-tunnel", LARGE, {"required_gbps": 10, "largest_flow_gbps": 1.3}, False),
    ("flow-exceeds-tunnel", LARGE, {"required_gbps": 10, "largest_flow_gbps": 5}, False),
    ("flow-exceeds-tunnel", LARGE, {"required_gbps": 10, "largest_flow_gbps": 5.1}, True),
    # ecmp-needs-bgp: static routing carries one tunnel
    ("ecmp-needs-bgp", ECMP, {"bgp_capable": False, "required_gbps": 1.25}, False),
    ("ecmp-needs-bgp", ECMP, {"bgp_capable": False, "required_gbps": 1.3}, True),
    ("ecmp-needs-bgp", ECMP, {"bgp_capable": True, "required_gbps": 100}, False),
    ("ecmp-needs-bgp", LARGE, {"bgp_capable": False, "required_gbps": 5}, False),
    ("ecmp-needs-bgp", LARGE, {"bgp_capable": False, "required_gbps": 5.5}, True),
    # dx-needs-bgp
    ("dx-needs-bgp", DED, {"bgp_capable": False}, True),
    ("dx-needs-bgp", HOST, {"bgp_capable": False}, True),
    ("dx-needs-bgp", HOST, {"bgp_capable": True}, False),
    # dx-port-speed: 400 Gbps dedicated, 25 Gbps hosted
    ("dx-port-speed", DED, {"required_gbps": 400}, False),
    ("dx-port-speed", DED, {"required_gbps": 401}, True),
    ("dx-port-speed", HOST, {"required_gbps": 25}, False),
    ("dx-port-speed", HOST, {"required_gbps": 25.5}, True),
]


@pytest.mark.parametrize(("rule", "option", "params", "fires"), RULE_CASES,
                         ids=[f"{r}-{o}-{i}" for i, (r, o, _, _) in enumerate(RULE_CASES)])
def test_rules(rule: str, option: str, params: dict[str, Any], fires: bool) -> None:
    result = _ev(params).option(option)
    assert (rule in [v.rule for v in result.violations]) is fires
    if fires:
        assert not result.feasible


def test_rules_apply_only_to_their_options() -> None:
    ev = _ev({"required_gbps": 30, "largest_flow_gbps": 6, "bgp_capable": False})
    rules = {o.id: {v.rule for v in o.violations} for o in ev.options}
    assert rules[VGW] == {"vgw-no-ecmp", "flow-exceeds-tunnel"}
    assert rules[ECMP] == {"flow-exceeds-tunnel", "ecmp-needs-bgp"}
    assert rules[LARGE] == {"flow-exceeds-tunnel", "ecmp-needs-bgp"}
    assert rules[DED] == {"dx-needs-bgp"}
    assert rules[HOST] == {"dx-needs-bgp", "dx-port-speed"}
    assert ev.recommended is None


@pytest.mark.parametrize(
    ("params", "option", "needle"),
    [({"required_gbps": 10, "vpc_count": 3}, VGW, "3.33 Gbps per VPC"),
     ({"required_gbps": 10, "largest_flow_gbps": 6}, LARGE, "6 Gbps) exceeds one tunnel's 5 Gbps"),
     ({"required_gbps": 2, "bgp_capable": False}, ECMP, "ECMP needs BGP"),
     ({"required_gbps": 30}, HOST, "largest hosted connection (25 Gbps)"),
     ({"required_gbps": 401}, DED, "largest dedicated connection (400 Gbps)")],
)
def test_violation_messages_carry_the_numbers(params: dict[str, Any], option: str,
                                              needle: str) -> None:
    messages = [v.message for v in _ev(params).option(option).violations]
    assert any(needle in m for m in messages), messages


# --- warnings --------------------------------------------------------------------------------

WARNING_CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    # the backup VPN carries 1.25 Gbps on a VGW, 2.5 Gbps with BGP ECMP on a TGW
    ("vpn-backup-capacity", HOST, {"dx_resiliency": "vpn-backup", "required_gbps": 1.25}, False),
    ("vpn-backup-capacity", HOST, {"dx_resiliency": "vpn-backup", "required_gbps": 1.3}, True),
    ("vpn-backup-capacity", DED, {"dx_resiliency": "vpn-backup", "required_gbps": 2.5,
                                  "vpc_count": 2}, False),
    ("vpn-backup-capacity", DED, {"dx_resiliency": "vpn-backup", "required_gbps": 2.6,
                                  "vpc_count": 2}, True),
    ("vpn-backup-capacity", DED, {"dx_resiliency": "high", "required_gbps": 10}, False),
    ("dev-test-resiliency", HOST, {"dx_resiliency": "vpn-backup"}, True),
    ("dev-test-resiliency", HOST, {"dx_resiliency": "high"}, False),
    ("dev-test-resiliency", DED, {"dx_resiliency": "maximum"}, False),
    ("single-customer-gateway", VGW, {"redundant_customer_gateways": False}, True),
    ("single-customer-gateway", LARGE, {"redundant_customer_gateways": False}, True),
    ("single-customer-gateway", ECMP, {"redundant_customer_gateways": True}, False),
    ("single-customer-gateway", DED, {"redundant_customer_gateways": False}, False),
    ("packets-per-tunnel", VGW, {}, True),
    ("packets-per-tunnel", ECMP, {}, True),
    ("packets-per-tunnel", HOST, {}, False),
    ("large-tunnel-price", LARGE, {}, True),
    ("large-tunnel-price", ECMP, {}, False),
    # above the seed's 50 Gbps per attachment, on the Transit Gateway path only
    ("seed-attachment-bandwidth", ECMP, {"required_gbps": 50}, False),
    ("seed-attachment-bandwidth", ECMP, {"required_gbps": 50.5}, True),
    ("seed-attachment-bandwidth", LARGE, {"required_gbps": 60}, True),
    ("seed-attachment-bandwidth", DED, {"required_gbps": 60}, False),  # 1 VPC: VGW path
    ("seed-attachment-bandwidth", DED, {"required_gbps": 60, "vpc_count": 2}, True),
    ("seed-attachment-bandwidth", HOST, {"required_gbps": 20, "vpc_count": 2}, False),
    ("dx-encryption", DED, {}, True),
    ("dx-encryption", VGW, {}, False),
    ("dx-provider-diversity", HOST, {}, True),
    ("dx-provider-diversity", LARGE, {}, False),
]


@pytest.mark.parametrize(("warning", "option", "params", "present"), WARNING_CASES,
                         ids=[f"{w}-{o}-{i}" for i, (w, o, _, _) in enumerate(WARNING_CASES)])
def test_warnings(warning: str, option: str, params: dict[str, Any], present: bool) -> None:
    assert (warning in [w.rule for w in _ev(params).option(option).warnings]) is present


def test_warning_messages_carry_the_numbers() -> None:
    ev = _ev({"dx_resiliency": "vpn-backup", "required_gbps": 2})
    (backup,) = [w for w in ev.option(HOST).warnings if w.rule == "vpn-backup-capacity"]
    assert "carries 1.25 Gbps, less than the 2 Gbps" in backup.message
    (packets,) = [w for w in ev.option(VGW).warnings if w.rule == "packets-per-tunnel"]
    # 1.25e9 bit/s / 8 / 140,000 packets/s = 1,116 bytes per packet
    assert "140,000 packets per second" in packets.message and "1,116 bytes" in packets.message
    (large,) = [w for w in ev.option(LARGE).warnings if w.rule == "large-tunnel-price"]
    assert "US East (Ohio)" in large.message and large.source == "aws-sap-rise-vpn"


# --- criteria and scores ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, {VGW: 3, ECMP: 3, LARGE: 3, DED: 4, HOST: 4}),
     ({"redundant_customer_gateways": False}, {VGW: 2, ECMP: 2, LARGE: 2, DED: 4, HOST: 4}),
     ({"dx_resiliency": "vpn-backup"}, {DED: 3, HOST: 3}),
     ({"dx_resiliency": "maximum"}, {DED: 5, HOST: 5})],
)
def test_resilience_follows_the_layout(params: dict[str, Any],
                                       expected: dict[str, float]) -> None:
    ev = _ev(params)
    for option, value in expected.items():
        assert ev.option(option).criteria["resilience"] == value, option


def test_judgements_are_the_briefs() -> None:
    ev = _ev({})
    perf = {o: ev.option(o).criteria["performance_consistency"] for o in ALL}
    assert perf == {VGW: 2, ECMP: 2, LARGE: 2, DED: 5, HOST: 4}
    complexity = {o: ev.option(o).criteria["operational_complexity"] for o in ALL}
    assert complexity == {VGW: 1, ECMP: 3, LARGE: 2, DED: 4, HOST: 3}
    assert ev.option(DED).criteria_basis["performance_consistency"].source == "seed-dx-bandwidth"


def test_seed_case_scores_by_hand() -> None:
    """Score = 100 x sum(weight x value); cost value 1,000 / (1,000 + cost); judgements
    (x - 1) / 4 to maximise, (5 - x) / 4 to minimise; weights 0.55, 0.15, 0.15, 0.15."""
    ev = _ev(SEED_CASE)
    ecmp = 0.55 * 1000 / 1942 + 0.15 * 0.25 + 0.15 * 0.5 + 0.15 * 0.5
    dedicated = 0.55 * 1000 / 4621.5 + 0.15 * 1.0 + 0.15 * 0.25 + 0.15 * 0.75
    assert ev.option(ECMP).score == pytest.approx(100 * ecmp)  # 47.07
    assert ev.option(DED).score == pytest.approx(100 * dedicated)  # 41.90


def test_defaults_scores_by_hand() -> None:
    ev = _ev({})
    ecmp = 0.55 * 1000 / 1422.5 + 0.15 * 0.25 + 0.15 * 0.5 + 0.15 * 0.5  # 57.41
    hosted = 0.55 * 1000 / 2003.6 + 0.15 * 0.75 + 0.15 * 0.5 + 0.15 * 0.75  # 57.45
    assert ev.option(ECMP).score == pytest.approx(100 * ecmp)
    assert ev.option(HOST).score == pytest.approx(100 * hosted)
    assert ev.recommended == HOST
    assert ev.verdict is not None and ev.verdict.level == "too-close-to-call"


def test_cost_materiality_is_declared() -> None:
    (cost,) = [c for c in hybrid_connectivity.CRITERIA if c.id == "monthly_cost"]
    assert cost.scale.materiality_usd == 1000.0  # type: ignore[union-attr]
    assert "$1,000" in cost.scale_reason


# --- actions, assumptions, sources, diagrams ----------------------------------------------------


@pytest.mark.parametrize(
    ("params", "option", "needle", "source"),
    [({}, VGW, "equal Weight and Local Preference", "vpn-ha-toolkit"),
     (SEED_CASE, ECMP, "Create 4 Site-to-Site VPN connections", "seed-tgw-vpn-ecmp-steps"),
     (SEED_CASE, ECMP, "WAN route table", "seed-tgw-vpn-ecmp-steps"),
     ({}, LARGE, "TunnelBandwidth=Large", "vpn-tunnel-bandwidth"),
     (SEED_CASE, DED, "transit virtual interface", "seed-tgw-hybrid-attachments"),
     ({}, HOST, "private virtual interface", "dx-quotas"),
     ({"dx_resiliency": "vpn-backup"}, HOST, "preferring the Direct Connect path",
      "seed-dx-vpn-backup"),
     ({}, DED, "StartBgpFailoverTest", "dx-bgp-failover-test"),
     ({}, HOST, "last-mile provider", "seed-dx-provider-diversity"),
     ({}, DED, "MACsec", "dx-resiliency-toolkit"),
     ({"dx_resiliency": "maximum", "required_gbps": 3}, DED,
      "Order 4 10 Gbps connection(s) at 2 Direct Connect location(s)", "dx-resiliency-toolkit")],
)
def test_actions(params: dict[str, Any], option: str, needle: str, source: str) -> None:
    steps = hybrid_connectivity.actions(Params(**params), option)
    assert any(needle in a.text and a.source == source for a in steps), [a.text for a in steps]


def test_assumptions_state_the_unverified_tiers_and_the_split() -> None:
    ev = _ev(SEED_CASE)
    by_id = {a.id: a for a in ev.assumptions}
    assert by_id["internet-tiers"].unverified
    assert "10 / 3 = 3.33 Gbps each" in by_id["vgw-split"].text
    assert "port 10 Gbps dedicated, 10 Gbps hosted; 2 connection(s)" in by_id["dx-sizing"].text
    assert "$0.02/GB" in by_id["dx-location"].text


def test_every_cited_source_is_registered() -> None:
    from archlib import _sources

    ev = _ev({**SEED_CASE, "dx_resiliency": "vpn-backup", "redundant_customer_gateways": False})
    for source in ev.sources:
        assert _sources.get(source.id) == source
    for rule in (*hybrid_connectivity.RULES, *hybrid_connectivity.WARNINGS):
        _sources.get(rule.source)
    assert {"pricing-directconnect", "seed-dx-vpn-backup"} <= {s.id for s in ev.sources}


def test_unverified_prices_are_labelled() -> None:
    ev = _ev({})
    unverified = {p.id for p in ev.prices.unverified()}
    assert {"vpn_large_connection_hour", "internet_data_transfer_out_gb"} <= unverified


@pytest.mark.parametrize("params", [{}, SEED_CASE, {"dx_resiliency": "vpn-backup"},
                                    {"redundant_customer_gateways": False, "vpc_count": 5}])
@pytest.mark.parametrize("option", ALL)
def test_diagram_of_every_option(option: str, params: dict[str, Any]) -> None:
    p = Params(**params)
    spec = hybrid_connectivity.diagram(p, option)
    ids = {n.id for n in spec.nodes}
    assert "dc" in ids and "vpc1-app" in ids
    assert {e.source for e in spec.edges} | {e.target for e in spec.edges} <= ids
    assert ("tgw" in ids) is (option in (ECMP, LARGE)
                              or (option in DX_OPTIONS and hybrid_connectivity.tgw_path(p)))
    assert ("backup" in ids) is (option in DX_OPTIONS and p.dx_resiliency == "vpn-backup")
    if option in DX_OPTIONS:
        locations = {c.id for c in spec.clusters if c.id.startswith("dxloc")}
        assert len(locations) == (1 if p.dx_resiliency == "vpn-backup" else 2)
    if option == VGW:
        assert len([n for n in spec.nodes if n.kind == "aws.network.VpnGateway"]) == min(
            p.vpc_count, 3)


@pytest.mark.parametrize("option", ALL)
def test_diagrams_render(option: str) -> None:
    svg = render_svg(hybrid_connectivity.diagram(Params(**SEED_CASE), option))
    assert svg.startswith("<svg") and "data centre" in svg


def test_unknown_option_diagram_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="vpn-tgw-ecmp"):
        hybrid_connectivity.diagram(Params(), "transit-vpc")


# --- parameters, CLI, scenario, notebook, explorer ----------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [({"required_gbps": 0}, "required_gbps"),
     ({"required_gbps": 1601}, "required_gbps"),
     ({"required_gbps": "10"}, "required_gbps"),
     ({"required_gbps": 2, "largest_flow_gbps": 3}, "largest_flow_gbps"),
     ({"largest_flow_gbps": 0}, "largest_flow_gbps"),
     ({"monthly_gb_from_aws": -1}, "monthly_gb_from_aws"),
     ({"vpc_count": 0}, "vpc_count"),
     ({"dx_resiliency": "medium"}, "dx_resiliency"),
     ({"bgp_capable": "yes"}, "bgp_capable"),
     ({"weights": {"cost": 1}}, "weights"),
     ({"exclude": ["transit-vpc"]}, "exclude")],
)
def test_bad_params(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_cli_evaluate_json_with_set() -> None:
    result = CliRunner().invoke(app, [
        "evaluate", HY, "--format", "json", "--set", "required_gbps=10", "--set", "vpc_count=3",
        "--set", "transit_gateway_exists=true", "--set", "monthly_gb_to_aws=5000",
        "--set", "monthly_gb_from_aws=5000"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    options = {o["id"]: o for o in data["options"]}
    assert options[ECMP]["monthly_cost_usd"] == 942.0
    assert options[VGW]["violations"][0]["rule"] == "vgw-no-ecmp"
    assert data["recommended"] == ECMP


def test_cli_bad_enum_is_one_line() -> None:
    result = CliRunner().invoke(app, ["evaluate", HY, "--set", "dx_resiliency=low"])
    assert result.exit_code == 2
    assert "dx_resiliency" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bundled_scenario_is_the_seed_case() -> None:
    scenario = archlib.load_scenario(ROOT / "scenarios" / "hybrid-10gbps-three-vpcs.yaml")
    ev = _ev(dict(scenario.decisions[HY]))
    assert ev.recommended == ECMP
    assert ev.option(ECMP).monthly_cost_usd == 942.00
    assert not ev.option(VGW).feasible


def test_notebook_runs_with_non_default_parameters(tmp_path: Path) -> None:
    scenario = tmp_path / "breakeven.yaml"
    scenario.write_text(f"""
name: Half a gigabit, much data out
description: The Direct Connect break-even case.
decisions:
  {HY}:
    required_gbps: 0.5
    largest_flow_gbps: 0.5
    monthly_gb_to_aws: 1000
    monthly_gb_from_aws: 20000
    dx_resiliency: vpn-backup
""", encoding="utf-8")
    outcome = report.build_reports([scenario], tmp_path / "out")
    assert outcome.ok, outcome.summary_lines()
    nb = nbformat.read(tmp_path / "out" / "breakeven" / f"{HY}.ipynb", as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'dx_resiliency = "vpn-backup"' in injected.source
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    # hosted 500 Mbps with a VPN backup: 146 + 36.50 + 400 = 582.50
    # the recommendation heading names it, whatever the verdict's wording
    assert "Hosted Direct Connect <small" in shown
    assert "582.50" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_explorer_controls_and_a_change() -> None:
    import ipywidgets as widgets

    from archlib.widgets import explore

    ex = explore(HY)
    assert type(ex.controls["dx_resiliency"]) is widgets.Dropdown
    assert list(ex.controls["dx_resiliency"].options) == ["vpn-backup", "high", "maximum"]
    assert type(ex.controls["bgp_capable"]) is widgets.Checkbox
    assert ex.evaluation.recommended == HOST
    ex.controls["bgp_capable"].value = False
    # without BGP: no ECMP above one 1.25 Gbps tunnel and no Direct Connect; 2 Gbps fits one
    # 5 Gbps large tunnel
    assert ex.evaluation.recommended == LARGE
