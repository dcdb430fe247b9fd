"""hybrid-connectivity: how to carry N Gbps between on-premises and AWS.

Guidance: seed lines 8 (two tunnels per VPN connection; VPN to a VPC or a Transit Gateway;
dedicated or hosted Direct Connect), 288-314 (VPN and Direct Connect gateway attachments on a
Transit Gateway; 10 Gbps over four BGP VPNs with ECMP), 553-570 (a Direct Connect location, a
VPN backup, a last-mile provider different from the ISP, provisioned bandwidth); the VPC
Connectivity Options whitepaper, the Site-to-Site VPN and Direct Connect guides (tunnel
bandwidth, quotas, resiliency models) and their pricing pages. Brief: shared/DOMAIN-NEXT.md
section 6.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from archlib.authoring import (
    JUDGEMENT_REASON,
    Action,
    Assumption,
    Cluster,
    CostScale,
    Criterion,
    Decision,
    DecisionParams,
    DiagramSpec,
    Edge,
    Judgement,
    JudgementScale,
    Node,
    Option,
    PriceTable,
    Requirement,
    Rule,
    find_option,
)
from archlib.formatting import quantity

__all__ = ["DECISION", "Params", "dx_connections", "dx_port_gbps", "vpn_connections"]

VGW = "vpn-vgw"
ECMP = "vpn-tgw-ecmp"
LARGE = "vpn-tgw-large"
DEDICATED = "dx-dedicated"
HOSTED = "dx-hosted"
_VPN = (VGW, ECMP, LARGE)
_VPN_TGW = (ECMP, LARGE)
_DX = (DEDICATED, HOSTED)

#: Standard tunnels: 1.25 Gbps and 140,000 packets per second each (seed 310; TGW quotas).
STANDARD_TUNNEL_GBPS = 1.25
#: Large Bandwidth Tunnels: 5 Gbps each, on a Transit Gateway or Cloud WAN only (VPNTunnels).
LARGE_TUNNEL_GBPS = 5.0
PACKETS_PER_SECOND_PER_TUNNEL = 140_000
#: The seed's 50 Gbps per VPC, DX gateway or peering attachment (seed 288); quotas now allow
#: up to 100 Gbps per AZ, so above 50 is a warning, not a rule (brief, contradictions).
SEED_ATTACHMENT_GBPS = 50.0
QUOTA_ATTACHMENT_GBPS_PER_AZ = 100.0
#: Port speeds offered (Gbps) and their price item ids (Direct Connect pricing page).
DEDICATED_PORTS: tuple[tuple[float, str], ...] = (
    (1.0, "dx_dedicated_port_hour_1gbps"), (10.0, "dx_dedicated_port_hour_10gbps"),
    (100.0, "dx_dedicated_port_hour_100gbps"), (400.0, "dx_dedicated_port_hour_400gbps"),
)
HOSTED_PORTS: tuple[tuple[float, str], ...] = (
    (0.05, "dx_hosted_port_hour_50mbps"), (0.1, "dx_hosted_port_hour_100mbps"),
    (0.2, "dx_hosted_port_hour_200mbps"), (0.3, "dx_hosted_port_hour_300mbps"),
    (0.4, "dx_hosted_port_hour_400mbps"), (0.5, "dx_hosted_port_hour_500mbps"),
    (1.0, "dx_hosted_port_hour_1gbps"), (2.0, "dx_hosted_port_hour_2gbps"),
    (5.0, "dx_hosted_port_hour_5gbps"), (10.0, "dx_hosted_port_hour_10gbps"),
    (25.0, "dx_hosted_port_hour_25gbps"),
)
#: Connections per Direct Connect resiliency model (Resiliency Toolkit; seed 561).
DX_CONNECTIONS = {"vpn-backup": 1, "high": 2, "maximum": 4}
DX_LOCATIONS = {"vpn-backup": 1, "high": 2, "maximum": 2}
#: Scoring: the monthly cost at which the cost criterion's value halves (README, "Scoring").
COST_MATERIALITY_USD = 1000.0

DxResiliency = Literal["vpn-backup", "high", "maximum"]

CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.55,
              "Itemised monthly cost at the price file's prices: connections, ports, "
              "attachments, processing and data transfer out.", "pricing-directconnect",
              scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"a hybrid link bills from under a hundred to several thousand "
              f"dollars a month: value halves at ${COST_MATERIALITY_USD:,.0f}"),
    Criterion("performance_consistency", "Performance consistency", "1-5 (5 = most)",
              "maximise", 0.15,
              "How steady latency and bandwidth are: over the internet, or a provisioned "
              "private circuit.", "seed-dx-bandwidth", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.15,
              "Moving parts to build and run: connections, BGP sessions, route tables, "
              "cross-connects and locations.", "seed-tgw-vpn-ecmp-steps",
              scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
    Criterion("resilience", "Resilience", "1-5 (5 = most)", "maximise", 0.15,
              "Which failures the layout survives: a tunnel, a customer device, a connection, "
              "a location.", "dx-resiliency-toolkit", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
)


class Params(DecisionParams):
    """Parameters of the hybrid connectivity decision."""


    region: str = Field("us-east-1", description="AWS Region of the VPCs.",
                        min_length=1, max_length=32)
    required_gbps: float = Field(2.0, gt=0, le=1600,
                                 description="Aggregate bandwidth needed (all VPCs), Gbps.")
    largest_flow_gbps: float = Field(
        1.0, gt=0, le=1600,
        description="The largest single flow, Gbps (one flow uses one tunnel); at most "
        "required_gbps.")
    monthly_gb_to_aws: float = Field(1000.0, ge=0, le=100_000_000,
                                     description="GB/month from on-premises to AWS (data in "
                                     "is free; a Transit Gateway processes it).")
    monthly_gb_from_aws: float = Field(2000.0, ge=0, le=100_000_000,
                                       description="GB/month from AWS to on-premises (data "
                                       "transfer out).")
    vpc_count: int = Field(1, ge=1, le=1000, description="VPCs that must reach on-premises.")
    transit_gateway_exists: bool = Field(False, description="The VPCs are already attached "
                                         "to a Transit Gateway.")
    bgp_capable: bool = Field(True, description="The customer gateways run BGP.")
    dx_resiliency: DxResiliency = Field(
        "high", description="Direct Connect layout: one connection with a Site-to-Site VPN "
        "backup (seed 561), one connection at each of two locations (High, 99.9%), or two at "
        "each of two locations (Maximum, 99.99%).")
    redundant_customer_gateways: bool = Field(
        True, description="VPN options use a connection on each of two on-premises devices.")

    @field_validator("largest_flow_gbps")
    @classmethod
    def _flow_within_requirement(cls, value: float, info: ValidationInfo) -> float:
        required = info.data.get("required_gbps")
        if required is not None and value > required:
            raise ValueError(f"must be at most required_gbps ({required:g})")
        return value


# --- sizing (derived from the requirement, never an input count) ------------------------------


def customer_gateways(p: Params) -> int:
    return 2 if p.redundant_customer_gateways else 1


def tgw_path(p: Params) -> bool:
    """Several VPCs or an existing Transit Gateway: connectivity lands on the Transit Gateway
    (seed 290); otherwise on the single VPC's virtual private gateway."""
    return p.vpc_count > 1 or p.transit_gateway_exists


def new_vpc_attachments(p: Params) -> int:
    return 0 if p.transit_gateway_exists else p.vpc_count


def tunnel_gbps(option_id: str) -> float:
    return LARGE_TUNNEL_GBPS if option_id == LARGE else STANDARD_TUNNEL_GBPS


def per_connection_gbps(p: Params, option_id: str) -> float:
    """On a Transit Gateway, BGP ECMP uses both tunnels of a connection; static routing
    uses one (VPC Connectivity Options whitepaper)."""
    return (2 if p.bgp_capable else 1) * tunnel_gbps(option_id)


def vpn_connections(p: Params, option_id: str) -> int:
    """VPN connections on the Transit Gateway: enough for the requirement, and at least one
    per customer gateway."""
    # The tolerance keeps an exact fit (10 / 2.5 = 4) from rounding up.
    needed = math.ceil(p.required_gbps / per_connection_gbps(p, option_id) - 1e-9)
    return max(needed, customer_gateways(p))


def dx_connections(p: Params) -> int:
    return DX_CONNECTIONS[p.dx_resiliency]


def dx_port(p: Params, option_id: str) -> tuple[float, str] | None:
    """The smallest offered port that carries the whole requirement alone (each connection
    must carry it when the others fail); None when no single port can."""
    ports = DEDICATED_PORTS if option_id == DEDICATED else HOSTED_PORTS
    for speed, item in ports:
        if speed >= p.required_gbps - 1e-9:
            return speed, item
    return None


def dx_port_gbps(p: Params, option_id: str) -> float | None:
    port = dx_port(p, option_id)
    return None if port is None else port[0]


def backup_vpn_gbps(p: Params) -> float:
    """What the backup VPN carries: both tunnels with BGP ECMP on a Transit Gateway, one
    tunnel on a virtual private gateway."""
    if tgw_path(p) and p.bgp_capable:
        return 2 * STANDARD_TUNNEL_GBPS
    return STANDARD_TUNNEL_GBPS


def _speed(gbps: float) -> str:
    return f"{gbps * 1000:g} Mbps" if gbps < 1 else f"{gbps:g} Gbps"


OPTIONS: tuple[Option, ...] = (
    Option(VGW, "Site-to-Site VPN on virtual private gateways",
           "A virtual private gateway per VPC, one VPN connection per VPC per customer "
           "gateway; one active tunnel, no ECMP."),
    Option(ECMP, "VPN on a Transit Gateway with ECMP",
           "BGP VPN connections with standard 1.25 Gbps tunnels on a Transit Gateway, ECMP "
           "over every tunnel (the seed's design, seed 304-314)."),
    Option(LARGE, "VPN on a Transit Gateway with Large Bandwidth Tunnels",
           "VPN connections with 5 Gbps tunnels on a Transit Gateway: fewer connections for "
           "the same bandwidth."),
    Option(DEDICATED, "Dedicated Direct Connect",
           "Dedicated Direct Connect ports (1, 10, 100 or 400 Gbps) per the resiliency "
           "model."),
    Option(HOSTED, "Hosted Direct Connect",
           "Hosted connections from a Direct Connect partner (50 Mbps to 25 Gbps) per the "
           "resiliency model."),
)


# --- rules ------------------------------------------------------------------------------------


def _vgw_no_ecmp(p: Params) -> str | None:
    per_vpc = p.required_gbps / p.vpc_count
    if per_vpc <= STANDARD_TUNNEL_GBPS + 1e-9:
        return None
    return (f"{p.required_gbps:g} Gbps over {p.vpc_count} VPC(s) is {per_vpc:.2f} Gbps per VPC; "
            f"a virtual private gateway sends traffic over one tunnel with no ECMP, "
            f"{STANDARD_TUNNEL_GBPS:g} Gbps per VPC at most")


def _flow_over_standard_tunnel(p: Params) -> str | None:
    return _flow_over(p, STANDARD_TUNNEL_GBPS)


def _flow_over_large_tunnel(p: Params) -> str | None:
    return _flow_over(p, LARGE_TUNNEL_GBPS)


def _flow_over(p: Params, tunnel: float) -> str | None:
    if p.largest_flow_gbps <= tunnel + 1e-9:
        return None
    return (f"the largest flow ({p.largest_flow_gbps:g} Gbps) exceeds one tunnel's "
            f"{tunnel:g} Gbps: one flow uses one tunnel")


def _ecmp_standard_needs_bgp(p: Params) -> str | None:
    return _ecmp_needs_bgp(p, STANDARD_TUNNEL_GBPS)


def _ecmp_large_needs_bgp(p: Params) -> str | None:
    return _ecmp_needs_bgp(p, LARGE_TUNNEL_GBPS)


def _ecmp_needs_bgp(p: Params, tunnel: float) -> str | None:
    if p.bgp_capable or p.required_gbps <= tunnel + 1e-9:
        return None
    return (f"{p.required_gbps:g} Gbps needs ECMP over several tunnels, and ECMP needs BGP "
            f"(dynamic routing); with static routes one {tunnel:g} Gbps tunnel carries the "
            "traffic")


def _dx_needs_bgp(p: Params) -> str | None:
    if p.bgp_capable:
        return None
    return ("Direct Connect virtual interfaces exchange routes only over BGP, and the "
            "customer gateways do not run BGP")


def _dedicated_port_speed(p: Params) -> str | None:
    return _port_speed(p, DEDICATED)


def _hosted_port_speed(p: Params) -> str | None:
    return _port_speed(p, HOSTED)


def _port_speed(p: Params, option_id: str) -> str | None:
    if dx_port(p, option_id) is not None:
        return None
    ports = DEDICATED_PORTS if option_id == DEDICATED else HOSTED_PORTS
    kind = "dedicated" if option_id == DEDICATED else "hosted"
    return (f"{p.required_gbps:g} Gbps exceeds the largest {kind} connection "
            f"({_speed(ports[-1][0])}); each connection must carry the whole requirement "
            "(link aggregation groups are not modelled)")


RULES: tuple[Rule[Params], ...] = (
    Rule("vgw-no-ecmp", "vpc-connectivity-tgw-vpn", (VGW,), _vgw_no_ecmp),
    Rule("flow-exceeds-tunnel", "vpn-tunnel-bandwidth", (VGW, ECMP),
         _flow_over_standard_tunnel),
    Rule("flow-exceeds-tunnel", "vpn-tunnel-bandwidth", (LARGE,), _flow_over_large_tunnel),
    Rule("ecmp-needs-bgp", "vpc-connectivity-tgw-vpn", (ECMP,), _ecmp_standard_needs_bgp),
    Rule("ecmp-needs-bgp", "vpc-connectivity-tgw-vpn", (LARGE,), _ecmp_large_needs_bgp),
    Rule("dx-needs-bgp", "dx-quotas", _DX, _dx_needs_bgp),
    Rule("dx-port-speed", "pricing-directconnect", (DEDICATED,), _dedicated_port_speed),
    Rule("dx-port-speed", "pricing-directconnect", (HOSTED,), _hosted_port_speed),
)


# --- warnings ---------------------------------------------------------------------------------


def _backup_capacity(p: Params) -> str | None:
    if p.dx_resiliency != "vpn-backup":
        return None
    carries = backup_vpn_gbps(p)
    if p.required_gbps <= carries + 1e-9:
        return None
    return (f"the backup VPN carries {carries:g} Gbps, less than the {p.required_gbps:g} Gbps "
            "required: during a Direct Connect failure the excess is dropped")


def _dev_test(p: Params) -> str | None:
    if p.dx_resiliency != "vpn-backup":
        return None
    return ("one Direct Connect connection with a VPN backup is the Development and Test "
            "model: no SLA; High (two locations) or Maximum (two at each) carry one")


def _single_cgw(p: Params) -> str | None:
    if p.redundant_customer_gateways:
        return None
    return ("one customer gateway: the two tunnels protect only the AWS side; losing the "
            "on-premises device cuts the link (a second connection on a second device "
            "doubles the connection charge)")


def _packets(p: Params) -> str | None:
    bytes_at_limit = STANDARD_TUNNEL_GBPS * 1e9 / 8 / PACKETS_PER_SECOND_PER_TUNNEL
    return (f"each tunnel also carries at most {PACKETS_PER_SECOND_PER_TUNNEL:,} packets per "
            f"second: below an average packet of {bytes_at_limit:,.0f} bytes that binds "
            f"before {STANDARD_TUNNEL_GBPS:g} Gbps; test with your traffic")


def _large_price(p: Params) -> str | None:
    return ("the $0.60 per connection-hour of Large Bandwidth Tunnels is the AWS example's "
            "US East (Ohio) rate; us-east-1 is not confirmed (set prices."
            "vpn_large_connection_hour when you have it)")


def _vpn_tgw_attachment_bandwidth(p: Params) -> str | None:
    if p.required_gbps <= SEED_ATTACHMENT_GBPS:
        return None
    return (f"{p.required_gbps:g} Gbps through the Transit Gateway is above the seed's "
            f"{SEED_ATTACHMENT_GBPS:g} Gbps per VPC attachment; current quotas allow up to "
            f"{QUOTA_ATTACHMENT_GBPS_PER_AZ:g} Gbps per AZ per VPC attachment: spread the VPCs "
            "over AZs and test")


def _dx_tgw_attachment_bandwidth(p: Params) -> str | None:
    if not tgw_path(p):
        return None
    return _vpn_tgw_attachment_bandwidth(p)


def _dx_encryption(p: Params) -> str | None:
    return ("Direct Connect is private but not encrypted: where policy requires encryption, "
            "use MACsec on the connection or a Site-to-Site VPN over it")


def _dx_provider_diversity(p: Params) -> str | None:
    return ("use a last-mile provider different from your internet service provider, so one "
            "provider's failure cannot cut both paths")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("vpn-backup-capacity", "seed-dx-vpn-backup", _DX, _backup_capacity),
    Rule("dev-test-resiliency", "dx-resiliency-toolkit", _DX, _dev_test),
    Rule("single-customer-gateway", "vpn-ha-toolkit", _VPN, _single_cgw),
    Rule("packets-per-tunnel", "tgw-quotas-vpn", _VPN, _packets),
    Rule("large-tunnel-price", "aws-sap-rise-vpn", (LARGE,), _large_price),
    Rule("seed-attachment-bandwidth", "seed-tgw-hybrid-attachments", _VPN_TGW,
         _vpn_tgw_attachment_bandwidth),
    Rule("seed-attachment-bandwidth", "seed-tgw-hybrid-attachments", _DX,
         _dx_tgw_attachment_bandwidth),
    Rule("dx-encryption", "dx-resiliency-toolkit", _DX, _dx_encryption),
    Rule("dx-provider-diversity", "seed-dx-provider-diversity", _DX, _dx_provider_diversity),
)


# --- cost model (pure) ------------------------------------------------------------------------


def _internet_out(p: Params, prices: PriceTable) -> dict[str, float | None]:
    return {"data transfer out over the internet (tiered)":
            prices.per_gb("internet_data_transfer_out_gb", p.monthly_gb_from_aws)}


def _tgw_items(p: Params, prices: PriceTable) -> dict[str, float | None]:
    return {
        "Transit Gateway VPC attachments (new)":
            prices.hourly("tgw_attachment_hour", new_vpc_attachments(p)),
        "Transit Gateway processing (to and from AWS)":
            prices.per_gb("tgw_gb", p.monthly_gb_to_aws + p.monthly_gb_from_aws),
    }


def _vpn_tgw(p: Params, prices: PriceTable, option_id: str,
             connection_item: str) -> dict[str, float | None]:
    n = vpn_connections(p, option_id)
    return {
        f"VPN connections ({n})": prices.hourly(connection_item, n),
        f"Transit Gateway VPN attachments ({n})": prices.hourly("tgw_attachment_hour", n),
        **_tgw_items(p, prices),
        **_internet_out(p, prices),
    }


def _dx(p: Params, prices: PriceTable, option_id: str) -> dict[str, float | None]:
    port = dx_port(p, option_id)
    n = dx_connections(p)
    kind = "dedicated" if option_id == DEDICATED else "hosted"
    items: dict[str, float | None] = {}
    if port is None:  # ruled out (dx-port-speed): the largest port, so the cost stays known
        ports = DEDICATED_PORTS if option_id == DEDICATED else HOSTED_PORTS
        port = ports[-1]
    items[f"Direct Connect {kind} ports ({n} x {_speed(port[0])})"] = prices.hourly(port[1], n)
    items["Direct Connect data transfer out"] = prices.per_gb("dx_data_transfer_out_gb",
                                                              p.monthly_gb_from_aws)
    if tgw_path(p):
        items["DX gateway attachment to the Transit Gateway"] = prices.hourly(
            "tgw_attachment_hour", 1)
        items |= _tgw_items(p, prices)
    if p.dx_resiliency == "vpn-backup":
        items["backup VPN connection"] = prices.hourly("vpn_connection_hour", 1)
        if tgw_path(p):
            items["backup VPN attachment to the Transit Gateway"] = prices.hourly(
                "tgw_attachment_hour", 1)
    return items


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Data in is free; the partner's circuit, colocation
    cross-connects and the 100 GB internet free allowance are left out (assumptions)."""
    vgw_connections = p.vpc_count * customer_gateways(p)
    vgw: dict[str, float | None] = {
        f"VPN connections ({vgw_connections})":
            prices.hourly("vpn_connection_hour", vgw_connections),
        **_internet_out(p, prices),
    }
    return {
        VGW: vgw,
        ECMP: _vpn_tgw(p, prices, ECMP, "vpn_connection_hour"),
        LARGE: _vpn_tgw(p, prices, LARGE, "vpn_large_connection_hour"),
        DEDICATED: _dx(p, prices, DEDICATED),
        HOSTED: _dx(p, prices, HOSTED),
    }


# --- criteria ---------------------------------------------------------------------------------

_VPN_PERFORMANCE = Judgement(2, "over the internet: latency and loss vary with internet "
                             "weather, and realised tunnel bandwidth depends on the path",
                             "tgw-quotas-vpn")
_PERFORMANCE: dict[str, Judgement] = {
    VGW: _VPN_PERFORMANCE, ECMP: _VPN_PERFORMANCE, LARGE: _VPN_PERFORMANCE,
    DEDICATED: Judgement(5, "a dedicated port: managed and controlled latency, provisioned "
                         "bandwidth", "seed-dx-bandwidth"),
    HOSTED: Judgement(4, "provisioned bandwidth from a partner on a shared interconnect",
                      "seed-dx-bandwidth"),
}
_COMPLEXITY: dict[str, Judgement] = {
    VGW: Judgement(1, "a gateway and connections per VPC; no Transit Gateway routing",
                   "blog-scaling-vpn-tgw"),
    ECMP: Judgement(3, "many connections, BGP ECMP, Transit Gateway route tables and "
                    "propagation", "seed-tgw-vpn-ecmp-steps"),
    LARGE: Judgement(2, "fewer connections than standard tunnels; the same Transit Gateway "
                     "routing", "vpn-tunnel-bandwidth"),
    DEDICATED: Judgement(4, "cross-connects at Direct Connect locations, BGP, several "
                         "locations", "seed-dx-location"),
    HOSTED: Judgement(3, "the partner provisions the connection; BGP and locations remain",
                      "seed-dx-location"),
}


def _resilience(p: Params, option_id: str) -> Judgement:
    if option_id in _VPN:
        if p.redundant_customer_gateways:
            return Judgement(3, "two tunnels on each of two customer gateways: survives a "
                             "tunnel, an AWS endpoint or a device", "vpn-ha-toolkit")
        return Judgement(2, "two tunnels on one customer gateway: the device is a single "
                         "point of failure", "vpn-ha-toolkit")
    if p.dx_resiliency == "vpn-backup":
        return Judgement(3, "one connection with a Site-to-Site VPN backup (Development and "
                         "Test model, no SLA)", "seed-dx-vpn-backup")
    if p.dx_resiliency == "high":
        return Judgement(4, "one connection at each of two locations (High resiliency, 99.9%)",
                         "dx-resiliency-toolkit")
    return Judgement(5, "two connections at each of two locations on separate devices "
                     "(Maximum resiliency, 99.99%)", "dx-resiliency-toolkit")


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "performance_consistency": _PERFORMANCE[o.id],
            "operational_complexity": _COMPLEXITY[o.id],
            "resilience": _resilience(p, o.id),
        }
        for o in OPTIONS
    }


# --- actions, assumptions, diagrams -----------------------------------------------------------


def _dx_actions(p: Params, option_id: str) -> list[Action]:
    port = dx_port_gbps(p, option_id)
    speed = _speed(port) if port is not None else "the largest"
    n, locations = dx_connections(p), DX_LOCATIONS[p.dx_resiliency]
    how = ("order" if option_id == DEDICATED else "order from a Direct Connect partner")
    steps = [Action(f"{how.capitalize()} {n} {speed} connection(s) at {locations} Direct "
                    f"Connect location(s) ({p.dx_resiliency} model), each able to carry the "
                    "whole requirement.", "dx-resiliency-toolkit")]
    if tgw_path(p):
        steps.append(Action("Create a Direct Connect gateway with a transit virtual interface "
                            "on each connection and associate it with the Transit Gateway"
                            + ("" if p.transit_gateway_exists else
                               f" (create it and attach the {p.vpc_count} VPCs)") + ".",
                            "seed-tgw-hybrid-attachments"))
    else:
        steps.append(Action("Create a private virtual interface on each connection to the "
                            "VPC's virtual private gateway (through a Direct Connect "
                            "gateway).", "dx-quotas"))
    if p.dx_resiliency == "vpn-backup":
        steps.append(Action("Add a Site-to-Site VPN backup on the same gateway, with BGP "
                            "preferring the Direct Connect path (longer AS path on the VPN).",
                            "seed-dx-vpn-backup"))
    steps += [
        Action("Run the BGP failover test (StartBgpFailoverTest) on each virtual interface "
               "and check traffic moves to the other path.", "dx-bgp-failover-test"),
        Action("Use a last-mile provider different from your internet service provider.",
               "seed-dx-provider-diversity"),
        Action("Where policy requires encryption, enable MACsec or run a VPN over the "
               "Direct Connect.", "dx-resiliency-toolkit"),
    ]
    return steps


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    cgw = customer_gateways(p)
    if option_id == VGW:
        return (
            Action(f"Create a virtual private gateway in each of the {p.vpc_count} VPC(s) and "
                   f"a customer gateway for each of the {cgw} on-premises device(s).",
                   "seed-vpn-two-tunnels"),
            Action(f"Create {p.vpc_count * cgw} VPN connection(s) (one per VPC per customer "
                   "gateway) and configure both tunnels of each.", "vpn-ha-toolkit"),
            Action("Run BGP with equal Weight and Local Preference on both tunnels so either "
                   "carries traffic.", "vpn-ha-toolkit"),
        )
    if option_id in _VPN_TGW:
        n = vpn_connections(p, option_id)
        steps = [
            Action("Create the Transit Gateway with ECMP enabled and a unique BGP ASN"
                   + (" (or enable ECMP on the existing one)" if p.transit_gateway_exists
                      else f", and attach the {p.vpc_count} VPC(s)") + ".",
                   "seed-tgw-vpn-ecmp-steps"),
            Action(f"Create {n} Site-to-Site VPN connections to the Transit Gateway with BGP, "
                   f"spread over the {cgw} customer gateway(s).", "seed-tgw-vpn-ecmp-steps"),
            Action("Create a WAN route table, associate every VPN attachment with it, "
                   "propagate the VPC routes into it and the VPN routes into the VPC route "
                   "tables.", "seed-tgw-vpn-ecmp-steps"),
        ]
        if option_id == LARGE:
            steps.append(Action("Create the connections with TunnelBandwidth=Large (set at "
                                "creation) and confirm the devices and circuit carry 5 Gbps "
                                "per tunnel.", "vpn-tunnel-bandwidth"))
        return tuple(steps)
    return tuple(_dx_actions(p, option_id))


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items = [
        Assumption("vgw-split", f"For virtual private gateways the requirement is split "
                   f"evenly over the VPCs ({p.required_gbps:g} / {p.vpc_count} = "
                   f"{p.required_gbps / p.vpc_count:.2f} Gbps each).", "blog-scaling-vpn-tgw"),
        Assumption("tunnels-per-connection", "On a Transit Gateway with BGP, ECMP uses both "
                   "tunnels of each connection (the seed's four connections carry 10 Gbps, "
                   "seed 306-310); on a virtual private gateway one tunnel is active (the "
                   "whitepaper's 1.25 Gbps per connection).", "seed-tgw-vpn-tunnel-bandwidth"),
        Assumption("vpn-sizing", "VPN connections are sized for the requirement, at least one "
                   "per customer gateway, with no spare for a device failure beyond that.",
                   "vpn-ha-toolkit"),
        Assumption("dx-sizing", "Each Direct Connect connection carries the whole requirement "
                   f"alone (port {_speed(dx_port_gbps(p, DEDICATED) or DEDICATED_PORTS[-1][0])} "
                   f"dedicated, {_speed(dx_port_gbps(p, HOSTED) or HOSTED_PORTS[-1][0])} hosted; "
                   f"{dx_connections(p)} connection(s) for the {p.dx_resiliency} model).",
                   "dx-resiliency-toolkit"),
        Assumption("left-out", "The 100 GB monthly internet free allowance, the partner's "
                   "circuit, colocation cross-connects and Route 53 are left out; data in is "
                   "free; the Direct Connect gateway is free.", "pricing-directconnect"),
        Assumption("dx-location", "Direct Connect data out is priced for a US location "
                   f"(${prices.value('dx_data_transfer_out_gb'):g}/GB from us-east-1); other "
                   "locations cost more.", "pricing-directconnect"),
        Assumption("internet-tiers", "Internet data transfer out: $0.09/GB to 10 TB is "
                   "confirmed; the tiers above (0.085, 0.07, 0.05) are from third-party rate "
                   "cards (unverified).", "pricing-ec2-data-transfer", unverified=True),
        Assumption("backup-transfer", "The backup VPN's own data transfer during a failover "
                   "is not counted.", "seed-dx-vpn-backup"),
    ]
    return tuple(items)


def _vpcs(p: Params, nodes: list[Node], clusters: list[Cluster]) -> list[str]:
    shown = min(p.vpc_count, 3)
    more = f" (+{p.vpc_count - shown} more)" if p.vpc_count > shown else ""
    ids = []
    for i in range(1, shown + 1):
        vid = f"vpc{i}"
        clusters.append(Cluster(vid, f"VPC {i}" + (more if i == shown else ""), "region"))
        nodes.append(Node(f"{vid}-app", "workloads", "aws.compute.EC2", vid))
        ids.append(vid)
    return ids


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "hybrid-connectivity")
    clusters = [Cluster("onprem", "data centre"), Cluster("region", f"Region {p.region}")]
    nodes = [Node("dc", "data centre", "aws.general.GenericOfficeBuilding", "onprem")]
    edges: list[Edge] = []
    cgws = [f"cgw{i}" for i in range(1, customer_gateways(p) + 1)]
    vpcs = _vpcs(p, nodes, clusters)
    if option_id in _VPN:
        for cgw in cgws:
            nodes.append(Node(cgw, "customer gateway", "aws.network.VPCCustomerGateway",
                              "onprem"))
            edges.append(Edge("dc", cgw))
        label = f"2 tunnels x {_speed(tunnel_gbps(option_id))}"
        if option_id == VGW:
            for vid in vpcs:
                nodes.append(Node(f"{vid}-vgw", "virtual private gateway",
                                  "aws.network.VpnGateway", vid))
                edges.append(Edge(f"{vid}-vgw", f"{vid}-app"))
                for cgw in cgws:
                    edges.append(Edge(cgw, f"{vid}-vgw", label))
        else:
            n = vpn_connections(p, option_id)
            nodes += [Node("vpn", f"{n} Site-to-Site VPN connections\nBGP, ECMP",
                           "aws.network.SiteToSiteVpn", "region"),
                      Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region")]
            edges += [Edge(cgw, "vpn", label) for cgw in cgws]
            edges.append(Edge("vpn", "tgw"))
            edges += [Edge("tgw", f"{vid}-app") for vid in vpcs]
    else:
        port = dx_port_gbps(p, option_id)
        speed = _speed(port) if port is not None else "no port large enough"
        per_location = dx_connections(p) // DX_LOCATIONS[p.dx_resiliency]
        nodes.append(Node("router", "customer router (BGP)", "aws.network.VPCCustomerGateway",
                          "onprem"))
        edges.append(Edge("dc", "router"))
        nodes.append(Node("dxgw", "DX gateway", "aws.network.DirectConnect", "region"))
        for loc in range(1, DX_LOCATIONS[p.dx_resiliency] + 1):
            cid = f"dxloc{loc}"
            clusters.append(Cluster(cid, f"Direct Connect location {loc}"))
            nodes.append(Node(f"{cid}-dx", f"{per_location} x {speed}\n"
                              + ("dedicated" if option_id == DEDICATED else "hosted"),
                              "aws.network.DirectConnect", cid))
            edges += [Edge("router", f"{cid}-dx"), Edge(f"{cid}-dx", "dxgw",
                                                         "transit VIF" if tgw_path(p)
                                                         else "private VIF")]
        if tgw_path(p):
            nodes.append(Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region"))
            edges.append(Edge("dxgw", "tgw"))
            edges += [Edge("tgw", f"{vid}-app") for vid in vpcs]
            landing = "tgw"
        else:
            nodes.append(Node("vgw", "virtual private gateway", "aws.network.VpnGateway",
                              vpcs[0]))
            edges += [Edge("dxgw", "vgw"), Edge("vgw", f"{vpcs[0]}-app")]
            landing = "vgw"
        if p.dx_resiliency == "vpn-backup":
            nodes.append(Node("backup", "backup Site-to-Site VPN", "aws.network.SiteToSiteVpn",
                              "region"))
            edges += [Edge("router", "backup", "over the internet", "dashed"),
                      Edge("backup", landing, "", "dashed")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


# --- the requirements matrix: what the bandwidth and routing rules measure ----------------


def _throughput_measured(p: Params, option_id: str) -> str:
    if option_id == VGW:
        return (f"{quantity(p.required_gbps / p.vpc_count)} Gbps per VPC, limit "
                f"{STANDARD_TUNNEL_GBPS:g} Gbps (one tunnel, no ECMP)")
    ports = DEDICATED_PORTS if option_id == DEDICATED else HOSTED_PORTS
    port = dx_port(p, option_id)
    carried = (f"on a {_speed(port[0])} port" if port is not None
               else f"largest port {_speed(ports[-1][0])}")
    return f"required {quantity(p.required_gbps)} Gbps, {carried}"


def _flow_measured(p: Params, option_id: str) -> str:
    tunnel = LARGE_TUNNEL_GBPS if option_id == LARGE else STANDARD_TUNNEL_GBPS
    return f"largest flow {quantity(p.largest_flow_gbps)} Gbps, limit {tunnel:g} Gbps per tunnel"


def _bgp_measured(p: Params, option_id: str) -> str:
    runs = "customer gateways run BGP" if p.bgp_capable else "customer gateways use static routes"
    if option_id in _DX:
        return f"{runs}; Direct Connect needs BGP"
    tunnel = LARGE_TUNNEL_GBPS if option_id == LARGE else STANDARD_TUNNEL_GBPS
    needs = ("ECMP over several tunnels needs BGP" if p.required_gbps > tunnel + 1e-9
             else f"one {tunnel:g} Gbps tunnel suffices")
    return f"{runs}; required {quantity(p.required_gbps)} Gbps: {needs}"


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("throughput", "Required bandwidth on one path",
                ("vgw-no-ecmp", "dx-port-speed"), _throughput_measured),
    Requirement("largest-flow", "Largest single flow", ("flow-exceeds-tunnel",), _flow_measured),
    Requirement("bgp", "Dynamic routing (BGP) where the option needs it",
                ("ecmp-needs-bgp", "dx-needs-bgp"), _bgp_measured),
)


DECISION: Decision[Params] = Decision(
    id="hybrid-connectivity",
    title="Hybrid connectivity: Site-to-Site VPN or Direct Connect",
    question="How should the required bandwidth be carried between on-premises and the VPCs: "
             "VPN on virtual private gateways, VPN on a Transit Gateway (standard or large "
             "tunnels), or dedicated or hosted Direct Connect?",
    params_model=Params,
    options=OPTIONS,
    rules=RULES,
    warnings=WARNINGS,
    criteria=CRITERIA,
    cost=cost,
    criteria_values=criteria_values,
    actions=actions,
    assumptions=assumptions,
    diagram=diagram,
    volume_fields=("monthly_gb_to_aws", "monthly_gb_from_aws"),
    sources=("seed-tgw-vpn-tunnel-bandwidth", "seed-dx-vpn-backup", "dx-resiliency-toolkit"),
    requirements=REQUIREMENTS,
)
