"""vmware-sddc: how a VMware Cloud on AWS SDDC reaches the VPCs it needs, and where each native
AWS service it uses should live.

Guidance: seed lines 704-741 ("Integrating native AWS services with VMware Cloud on AWS"): the
connected VPC (709-711), VMware Transit Connect (714-715), IPsec VPN to an existing Transit
Gateway (717), a Transit VPC (719), and service placement (724-738); seed 298-310 for the
1.25 Gbps per VPN tunnel; seed 521 for cross-AZ transfer charged in both directions. The VPN
is sized by the requirement (ECMP across tunnels, seed 717); Large Bandwidth Tunnels (5 Gbps)
come from the Site-to-Site VPN guide, their SDDC support is unverified.
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
    Placement,
    Placements,
    PriceTable,
    Requirement,
    Rule,
    SatisficingScale,
    find_option,
)

__all__ = ["DECISION", "SERVICES", "Params"]

CONNECTED = "connected-vpc"
TRANSIT_CONNECT = "vmware-transit-connect"
TGW_VPN = "tgw-vpn"
TRANSIT_VPC = "transit-vpc"

Service = Literal["s3", "efs", "fsx", "rds", "redshift", "analytics", "elb"]
SERVICES: tuple[str, ...] = ("s3", "efs", "fsx", "rds", "redshift", "analytics", "elb")

TunnelSize = Literal["standard", "large"]

#: Each Site-to-Site VPN tunnel carries 1.25 Gbps; a VPN connection has two tunnels (seed 310).
VPN_TUNNEL_GBPS = 1.25
#: A Large Bandwidth Tunnel carries up to 5 Gbps, on a Transit Gateway only (vpn-tunnel-bandwidth).
LARGE_TUNNEL_GBPS = 5.0
TUNNEL_GBPS: dict[str, float] = {"standard": VPN_TUNNEL_GBPS, "large": LARGE_TUNNEL_GBPS}
#: The price item of one VPN connection-hour, by tunnel size.
VPN_CONNECTION_PRICE: dict[str, str] = {"standard": "vpn_connection_hour",
                                        "large": "vpn_large_connection_hour"}
TUNNELS_PER_VPN_CONNECTION = 2
#: One VPN connection, both of its tunnels up, is the least the VPN is built with: the second
#: tunnel is its redundancy (vpn-tunnel-bandwidth: configure both tunnels).
MIN_VPN_TUNNELS = TUNNELS_PER_VPN_CONNECTION
#: At most 4 VPN tunnels to a Transit Gateway terminate in an SDDC (vmc-vpn-tunnel-limit).
MAX_SDDC_VPN_TUNNELS = 4
#: Transit Connect (a Transit Gateway underneath) carries up to 50 Gbps (vmc-vpn-tunnel-limit).
TRANSIT_GBPS = 50.0
#: Your own Transit Gateway: up to 100 Gbps per AZ per VPC attachment (tgw-quotas-bandwidth).
TGW_VPC_ATTACHMENT_GBPS = 100.0
#: Throughput headroom is capped: beyond 10x the requirement, more capacity decides nothing.
HEADROOM_CAP = 10.0
#: Scoring: the monthly cost at which the cost criterion's value halves, and the headroom
#: that counts as enough (README, "Scoring").
COST_MATERIALITY_USD = 100.0
HEADROOM_ENOUGH = 1.25
#: Data crossing AZs is charged on the way out and on the way in (seed 521).
CROSS_AZ_DIRECTIONS = 2
#: The S3 placement is compared with an interface endpoint in 2 AZs (one per AZ for availability).
COMPARISON_ENDPOINT_AZS = 2



def _default_services() -> list[Service]:
    return ["s3"]


CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.40,
              "Itemised monthly cost of the connection at the price file's prices.",
              "pricing-transit-gateway", scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"connection bills run from $0 to a few hundred dollars a month: "
              f"value halves at ${COST_MATERIALITY_USD:g}"),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.35,
              "What there is to build and keep right: attachments, tunnels, BGP sessions, "
              "routes configured by hand.", "seed-vmc-transit-vpc", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("throughput_headroom", "Throughput headroom", "x required (capped at 10)",
              "maximise", 0.25,
              "Capacity of the path between the SDDC and the other VPCs as a multiple of "
              "required_gbps.", "seed-tgw-vpn-tunnel-bandwidth",
              scale=SatisficingScale(HEADROOM_ENOUGH),
              scale_reason=f"enough is enough: the seed picks the VPN while it carries the "
              f"requirement (717) and the transit VPC for throughput beyond it (719), so "
              f"{HEADROOM_ENOUGH:g}x required_gbps (a 25% margin) counts as sufficient"),
)


class Params(DecisionParams):
    """Parameters of the VMware Cloud on AWS SDDC decision."""


    other_vpc_count: int = Field(
        0, ge=0, le=1000,
        description="VPCs besides the connected VPC, in the same Region, that SDDC VMs must "
        "reach.")
    reach_via_existing_tgw: bool = Field(
        False, description="Those VPCs must be reached through the existing Transit Gateway "
        "in your account (central routing or inspection).")
    existing_transit_gateway: bool = Field(
        False, validate_default=True,
        description="Your account already has a Transit Gateway attached to those VPCs.")
    needs_central_egress: bool = Field(
        False, description="Internet ingress/egress goes through a dedicated networking VPC.")
    required_gbps: float = Field(
        1.0, gt=0, le=100, description="Throughput needed between the SDDC and the other VPCs "
        "(Gbps).")
    expects_throughput_growth: bool = Field(
        False, description="Throughput will grow beyond what the VPN can carry: the transit VPC "
        "is for scalable, high throughput connectivity (seed 719).")
    vpn_tunnel_size: TunnelSize = Field(
        "standard", description="Site-to-Site VPN tunnel bandwidth: standard (1.25 Gbps) or "
        "large (5 Gbps, Transit Gateway only; SDDC support unverified).")
    vpn_tunnels: int | None = Field(
        None, ge=1, le=MAX_SDDC_VPN_TUNNELS,
        description="Override the IPsec tunnels built to the Transit Gateway (1-4; 2 per VPN "
        "connection). Unset: sized by required_gbps, max(2, ceil(required / tunnel Gbps)).")
    monthly_gb_cross_vpc: float = Field(
        500.0, ge=0, le=100_000_000,
        description="GB/month the connection carries between the SDDC and the VPCs it reaches "
        "(other VPCs when there are any, else the connected VPC); S3 not included.")
    services: list[Service] = Field(
        default_factory=lambda: _default_services(),
        description="Native AWS services the SDDC VMs use: s3, efs, fsx, rds, redshift, "
        "analytics, elb.")
    s3_monthly_gb: float = Field(
        1000.0, ge=0, le=100_000_000, description="GB/month between SDDC VMs and Amazon S3.")
    services_in_sddc_az: bool = Field(
        True, description="Services in the connected VPC sit in the SDDC's Availability Zone.")
    sddc_egress_share: float = Field(
        0.5, ge=0, le=1, description="Share of monthly_gb_cross_vpc that leaves the SDDC (over "
        "the VPN it is SDDC egress, billed by VMware at price item vmc_sddc_vpn_egress_gb).")

    @field_validator("existing_transit_gateway")
    @classmethod
    def _tgw_to_reach_through(cls, value: bool, info: ValidationInfo) -> bool:
        # Declared after reach_via_existing_tgw, so that answer is already in info.data.
        if info.data.get("reach_via_existing_tgw") and not value:
            raise ValueError("reach_via_existing_tgw = true needs an existing Transit Gateway "
                             "to reach the VPCs through: set existing_transit_gateway = true, or "
                             "reach_via_existing_tgw = false")
        return value

    @field_validator("services")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for name in value:
            if name in seen:
                raise ValueError(f"service {name!r} is listed twice")
            seen.add(name)
        return value


OPTIONS: tuple[Option, ...] = (
    Option(CONNECTED, "Connected VPC only",
           "The SDDC ENI into the VPC chosen at deployment: no extra cost within the AZ, "
           "but no route beyond that VPC."),
    Option(TRANSIT_CONNECT, "VMware Transit Connect",
           "A VMware-managed Transit Gateway (VTGW) for the SDDC group, with your same-Region "
           "VPCs attached to it."),
    Option(TGW_VPN, "IPsec VPN to the existing Transit Gateway",
           "Route-based IPsec VPN from the SDDC to your Transit Gateway, BGP routing, ECMP "
           "across the tunnels."),
    Option(TRANSIT_VPC, "Transit VPC between VTGW and the Transit Gateway",
           "A transit VPC attached to both Transit Connect and your Transit Gateway; routes "
           "configured by hand."),
)

_TRANSITS = (TRANSIT_CONNECT, TGW_VPN, TRANSIT_VPC)


def _vpcs_to_reach(p: Params) -> int:
    """VPCs beyond the connected VPC: the other VPCs plus the egress VPC."""
    return p.other_vpc_count + int(p.needs_central_egress)


def _beyond(p: Params) -> str:
    parts = []
    if p.other_vpc_count:
        parts.append(f"{p.other_vpc_count} other VPC{'s' if p.other_vpc_count != 1 else ''}")
    if p.needs_central_egress:
        parts.append("the central egress VPC")
    return " and ".join(parts)


def _tunnel_gbps(p: Params) -> float:
    return TUNNEL_GBPS[p.vpn_tunnel_size]


def tunnels_needed(required_gbps: float, tunnel_gbps: float) -> int:
    """Tunnels that carry ``required_gbps`` with ECMP: ``max(2, ceil(required / tunnel))``."""
    # round() keeps an exact multiple (2.5 / 1.25) from ceiling up on float noise
    return max(MIN_VPN_TUNNELS, math.ceil(round(required_gbps / tunnel_gbps, 9)))


def _needed(p: Params) -> int:
    return tunnels_needed(p.required_gbps, _tunnel_gbps(p))


def _vpn_carries(p: Params) -> bool:
    """The SDDC terminates enough tunnels of the chosen size for the requirement."""
    return _needed(p) <= MAX_SDDC_VPN_TUNNELS


def _tunnels(p: Params) -> int:
    """Tunnels built and costed: the override when given, else what the requirement needs
    (capped at the SDDC's limit, where the option is ruled out anyway)."""
    if p.vpn_tunnels is not None:
        return p.vpn_tunnels
    return min(_needed(p), MAX_SDDC_VPN_TUNNELS)


def _vpn_connections(p: Params) -> int:
    return math.ceil(_tunnels(p) / TUNNELS_PER_VPN_CONNECTION)


def _vpn_capacity(p: Params) -> float:
    return _tunnels(p) * _tunnel_gbps(p)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# --- rules -----------------------------------------------------------------------------------


def _not_transitive(p: Params) -> str | None:
    if not _vpcs_to_reach(p):
        return None
    return (f"the SDDC ENI reaches only the connected VPC (no transitive routing), so "
            f"{_beyond(p)} cannot be reached through it")


def _nothing_beyond(p: Params) -> str | None:
    if _vpcs_to_reach(p):
        return None
    return ("no VPC besides the connected VPC to reach (other_vpc_count = 0, no central "
            "egress): this connection would carry nothing the SDDC ENI does not")


def _bypasses_tgw(p: Params) -> str | None:
    if not p.reach_via_existing_tgw:
        return None
    return ("the VPCs must be reached through your existing Transit Gateway, but Transit "
            "Connect attaches them to a VMware-managed Transit Gateway and bypasses yours")


def _needs_tgw(p: Params) -> str | None:
    if p.existing_transit_gateway:
        return None
    return ("needs an existing Transit Gateway in your account "
            "(existing_transit_gateway = false)")


def _tunnel_capacity(p: Params) -> str | None:
    if _vpn_carries(p):
        return None
    gbps = _tunnel_gbps(p)
    most = MAX_SDDC_VPN_TUNNELS * gbps
    hint = ""
    if (p.vpn_tunnel_size == "standard"
            and tunnels_needed(p.required_gbps, LARGE_TUNNEL_GBPS) <= MAX_SDDC_VPN_TUNNELS):
        hint = (f"; Large Bandwidth Tunnels ({LARGE_TUNNEL_GBPS:g} Gbps each, "
                "vpn_tunnel_size = large) would, if VMware supports them on the SDDC")
    return (f"required {p.required_gbps:g} Gbps needs {_needed(p)} {p.vpn_tunnel_size} tunnels "
            f"of {gbps:g} Gbps with ECMP, more than the {MAX_SDDC_VPN_TUNNELS} an SDDC "
            f"terminates ({MAX_SDDC_VPN_TUNNELS} x {gbps:g} Gbps = {most:g} Gbps){hint}")


def _vpn_is_enough(p: Params) -> str | None:
    # Seed 717 names the VPN for reaching VPCs through an existing Transit Gateway; seed 719
    # keeps the transit VPC for "scalable, high throughput" connectivity. A price gap (the
    # Transit Connect rates are unverified) must not reverse that, so it is a rule. "High
    # throughput" is measured against the seed's VPN, standard tunnels: above their 5 Gbps,
    # Large Bandwidth Tunnels (SDDC support unverified) compete with the transit VPC on score.
    if not p.reach_via_existing_tgw or p.expects_throughput_growth:
        return None
    if tunnels_needed(p.required_gbps, VPN_TUNNEL_GBPS) > MAX_SDDC_VPN_TUNNELS:
        return None
    return (f"the VPN to your Transit Gateway carries the required {p.required_gbps:g} Gbps "
            f"({_plural(_needed(p), 'tunnel')} x {_tunnel_gbps(p):g} Gbps with ECMP), the way "
            "the seed connects to an existing Transit Gateway; the transit VPC is for scalable, "
            "high throughput connectivity beyond that (set expects_throughput_growth if growth "
            "needs it)")


def _vpn_does_not_scale(p: Params) -> str | None:
    if not p.expects_throughput_growth:
        return None
    most = MAX_SDDC_VPN_TUNNELS * _tunnel_gbps(p)
    return (f"expects_throughput_growth: the VPN tops out at {MAX_SDDC_VPN_TUNNELS} "
            f"{p.vpn_tunnel_size} tunnels ({most:g} Gbps) in an SDDC; scalable, high throughput "
            "connectivity to an existing Transit Gateway goes through a transit VPC")


RULES: tuple[Rule[Params], ...] = (
    Rule("connected-vpc-not-transitive", "seed-vmc-connected-vpc", (CONNECTED,),
         _not_transitive),
    Rule("nothing-beyond-connected-vpc", "seed-vmc-multi-vpc", _TRANSITS, _nothing_beyond),
    Rule("transit-connect-bypasses-tgw", "seed-vmc-tgw-vpn", (TRANSIT_CONNECT,),
         _bypasses_tgw),
    Rule("vpn-needs-existing-tgw", "seed-vmc-tgw-vpn", (TGW_VPN,), _needs_tgw),
    Rule("transit-vpc-needs-existing-tgw", "seed-vmc-transit-vpc", (TRANSIT_VPC,), _needs_tgw),
    Rule("vpn-tunnel-throughput", "vmc-vpn-tunnel-limit", (TGW_VPN,), _tunnel_capacity),
    Rule("vpn-carries-requirement", "seed-vmc-tgw-vpn", (TRANSIT_VPC,), _vpn_is_enough),
    Rule("vpn-does-not-scale", "seed-vmc-transit-vpc", (TGW_VPN,), _vpn_does_not_scale),
)


def _single_flow(p: Params) -> str | None:
    gbps = _tunnel_gbps(p)
    if p.required_gbps <= gbps:
        return None
    return (f"ECMP spreads flows across the {_tunnels(p)} tunnels; one flow still tops out "
            f"at a single tunnel's {gbps:g} Gbps")


def _tunnels_override(p: Params) -> str | None:
    if p.vpn_tunnels is None or not _vpn_carries(p) or p.vpn_tunnels == _needed(p):
        return None
    given = p.vpn_tunnels * _tunnel_gbps(p)
    need = f"{p.required_gbps:g} Gbps needs {_needed(p)}"
    if p.vpn_tunnels < _needed(p):
        return (f"vpn_tunnels = {p.vpn_tunnels} carries {given:g} Gbps, below the required "
                f"{p.required_gbps:g} Gbps ({need}): costed as given, it does not meet the "
                "requirement")
    extra = _vpn_connections(p) - math.ceil(_needed(p) / TUNNELS_PER_VPN_CONNECTION)
    more = f", {_plural(extra, 'VPN connection')} more than it asks for" if extra else ""
    return f"vpn_tunnels = {p.vpn_tunnels} is more than needed ({need}): costed as given{more}"


def _large_tunnels(p: Params) -> str | None:
    if p.vpn_tunnel_size != "large":
        return None
    return ("Large Bandwidth Tunnels (5 Gbps) terminate on a Transit Gateway, but whether the "
            "SDDC's VPN endpoint supports them is unverified: confirm with VMware before "
            "relying on them")


def _sddc_egress(p: Params) -> str | None:
    gb = p.sddc_egress_share * p.monthly_gb_cross_vpc
    if gb <= 0:
        return None
    return (f"{gb:,.0f} GB/month leaving the SDDC over the VPN is SDDC egress billed by VMware "
            "at a rate not verified here: price item vmc_sddc_vpn_egress_gb (default $0/GB) "
            "adds it; it only makes the VPN dearer")


def _manual_routes(p: Params) -> str | None:
    return ("routes between the VPCs and the SDDC are configured by hand in the transit VPC, "
            "Transit Connect and the Transit Gateway; every new VPC or SDDC network is a "
            "route change in three places")


def _above_stated(p: Params) -> str | None:
    if p.required_gbps <= TRANSIT_GBPS:
        return None
    return (f"required {p.required_gbps:g} Gbps is above the {TRANSIT_GBPS:g} Gbps stated for "
            "Transit Connect; confirm the capacity with VMware before relying on it")


def _cross_az(p: Params) -> str | None:
    if p.services_in_sddc_az:
        return None
    return (f"connected-VPC services outside the SDDC's AZ: {p.monthly_gb_cross_vpc:,.0f} "
            "GB/month pays cross-AZ transfer both ways; in the SDDC's AZ it is free")


def _egress_routes(p: Params) -> str | None:
    if not p.needs_central_egress:
        return None
    return ("the default route from the SDDC group to the egress VPC is a static route you add "
            "(and keep) yourself")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("vpn-single-flow-limit", "seed-tgw-vpn-tunnel-bandwidth", (TGW_VPN,), _single_flow),
    Rule("vpn-tunnels-override", "seed-vmc-tgw-vpn", (TGW_VPN,), _tunnels_override),
    Rule("large-tunnels-sddc-support", "vpn-tunnel-bandwidth", (TGW_VPN,), _large_tunnels),
    Rule("sddc-egress-over-vpn", "vmc-sddc-vpn-egress", (TGW_VPN,), _sddc_egress),
    Rule("transit-vpc-manual-routes", "seed-vmc-transit-vpc", (TRANSIT_VPC,), _manual_routes),
    Rule("above-stated-transit-bandwidth", "vmc-vpn-tunnel-limit",
         (TRANSIT_CONNECT, TRANSIT_VPC), _above_stated),
    Rule("cross-az-transfer", "vmc-connected-vpc-designlet", (CONNECTED,), _cross_az),
    Rule("egress-route-by-hand", "vmc-transit-connect-designlet",
         (TRANSIT_CONNECT, TRANSIT_VPC), _egress_routes),
)


# --- cost model (pure) -----------------------------------------------------------------------


def _s3_item(p: Params, prices: PriceTable) -> dict[str, float | None]:
    # Every option keeps S3 on the connected VPC's gateway endpoint (seed 724): free.
    return {"S3 through the connected VPC's gateway endpoint":
            prices.per_gb("gateway_endpoint_gb", p.s3_monthly_gb)}


def _cross_az_cost(gb: float, prices: PriceTable) -> float:
    return CROSS_AZ_DIRECTIONS * prices.per_gb("cross_az_gb", gb)


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Costs every option shares (SDDC hosts, Direct Connect,
    SDDC internet egress) are left out and listed as assumptions."""
    gb = p.monthly_gb_cross_vpc
    vpcs = _vpcs_to_reach(p)
    vpns = _vpn_connections(p)

    connected: dict[str, float | None] = {
        **_s3_item(p, prices),
        # The ENI is free within the AZ; read the price only when traffic crosses AZs.
        "cross-AZ transfer over the SDDC ENI (both directions)":
            0.0 if p.services_in_sddc_az else _cross_az_cost(gb, prices),
    }
    transit_connect: dict[str, float | None] = {
        **_s3_item(p, prices),
        f"Transit Connect attachments (SDDC + {vpcs} VPC{'s' if vpcs != 1 else ''})":
            prices.hourly("vmware_transit_connect_attachment_hour", 1 + vpcs),
        "Transit Connect data processing":
            prices.per_gb("vmware_transit_connect_gb", gb),
    }
    tgw_vpn: dict[str, float | None] = {
        **_s3_item(p, prices),
        f"Site-to-Site VPN connections, {p.vpn_tunnel_size} tunnels ({vpns} for "
        f"{_tunnels(p)} tunnels)": prices.hourly(VPN_CONNECTION_PRICE[p.vpn_tunnel_size], vpns),
        f"Transit Gateway VPN attachments ({vpns})":
            prices.hourly("tgw_attachment_hour", vpns),
        "Transit Gateway data processing": prices.per_gb("tgw_gb", gb),
        # Left at $0/GB unless the user sets VMware's rate: labelled, never silently absent.
        "SDDC egress over the VPN (billed by VMware)":
            prices.per_gb("vmc_sddc_vpn_egress_gb", p.sddc_egress_share * gb),
    }
    # Every GB is processed twice: by Transit Connect, then by the Transit Gateway.
    transit_vpc: dict[str, float | None] = {
        **_s3_item(p, prices),
        "Transit Connect attachments (SDDC + transit VPC)":
            prices.hourly("vmware_transit_connect_attachment_hour", 2),
        "Transit Connect data processing (first pass)":
            prices.per_gb("vmware_transit_connect_gb", gb),
        "Transit Gateway attachment (transit VPC)": prices.hourly("tgw_attachment_hour", 1),
        "Transit Gateway data processing (second pass)": prices.per_gb("tgw_gb", gb),
    }
    return {CONNECTED: connected, TRANSIT_CONNECT: transit_connect, TGW_VPN: tgw_vpn,
            TRANSIT_VPC: transit_vpc}


# --- criteria --------------------------------------------------------------------------------

_COMPLEXITY: dict[str, Judgement] = {
    CONNECTED: Judgement(1, "configured automatically when the SDDC is deployed; nothing to "
                            "build", "seed-vmc-connected-vpc"),
    TRANSIT_CONNECT: Judgement(2, "VMware-managed: an SDDC group, one attachment per VPC to "
                                  "accept, return routes in each VPC", "seed-vmc-transit-connect"),
    TGW_VPN: Judgement(3, "IPsec tunnels and BGP sessions to run, ECMP on the Transit Gateway, "
                          "route tables for the VPN attachments", "seed-vmc-tgw-vpn"),
    TRANSIT_VPC: Judgement(4, "a transit VPC between two transit gateways, with routes "
                              "configured by hand on each", "seed-vmc-transit-vpc"),
}


def _headroom(capacity_gbps: float, required_gbps: float) -> float:
    return min(HEADROOM_CAP, capacity_gbps / required_gbps)


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    req = p.required_gbps
    vpn = _vpn_capacity(p)
    headroom = {
        CONNECTED: Judgement(HEADROOM_CAP, "the SDDC ENI is a direct path into the connected "
                             "VPC, with no gateway or tunnel in between",
                             "seed-vmc-connected-vpc"),
        TRANSIT_CONNECT: Judgement(
            _headroom(TRANSIT_GBPS, req),
            f"Transit Connect up to {TRANSIT_GBPS:g} Gbps for {req:g} Gbps required",
            "vmc-vpn-tunnel-limit"),
        TGW_VPN: Judgement(
            _headroom(vpn, req),
            f"{_plural(_tunnels(p), p.vpn_tunnel_size + ' tunnel')} x "
            f"{_tunnel_gbps(p):g} Gbps = {vpn:g} Gbps for {req:g} Gbps required",
            "seed-tgw-vpn-tunnel-bandwidth"),
        # The narrower of the two hops: Transit Connect's 50 Gbps, then your Transit Gateway's
        # 100 Gbps per AZ on the transit VPC's attachment.
        TRANSIT_VPC: Judgement(
            _headroom(min(TRANSIT_GBPS, TGW_VPC_ATTACHMENT_GBPS), req),
            f"Transit Connect up to {TRANSIT_GBPS:g} Gbps, then your Transit Gateway up to "
            f"{TGW_VPC_ATTACHMENT_GBPS:g} Gbps per AZ on the transit VPC attachment, for "
            f"{req:g} Gbps required", "tgw-quotas-bandwidth"),
    }
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "operational_complexity": _COMPLEXITY[o.id],
            "throughput_headroom": headroom[o.id],
        }
        for o in OPTIONS
    }


# --- placements ------------------------------------------------------------------------------


def s3_interface_alternative_usd(p: Params, prices: PriceTable) -> float:
    """Monthly cost of the next-best S3 path: an interface endpoint in another VPC, reached
    through Transit Connect (its processing, the endpoint's hours and processing)."""
    return (prices.per_gb("vmware_transit_connect_gb", p.s3_monthly_gb)
            + prices.per_gb("interface_endpoint_gb", p.s3_monthly_gb)
            + prices.hourly("interface_endpoint_az_hour", COMPARISON_ENDPOINT_AZS))


def placements(p: Params, prices: PriceTable) -> tuple[Placement, ...]:
    """Where each service in ``services`` should live (seed 724-738)."""
    vtgw_rate = prices.value("vmware_transit_connect_gb")
    if p.services_in_sddc_az:
        az = "in the SDDC's AZ"
        az_note = "; in the SDDC's AZ the ENI transfer is free"
    else:
        rate = CROSS_AZ_DIRECTIONS * prices.value("cross_az_gb")
        az = "moved into the SDDC's AZ"
        az_note = (f"; it now sits in another AZ, where every GB pays {CROSS_AZ_DIRECTIONS} x "
                   f"${prices.value('cross_az_gb'):g} = ${rate:g} cross-AZ: move it into the "
                   "SDDC's AZ")
    elsewhere = (f"an existing one in another VPC is reachable through Transit Connect at "
                 f"${vtgw_rate:g}/GB processing (unverified rate)")
    result: list[Placement] = []
    for service in p.services:
        if service == "s3":
            saving = (s3_interface_alternative_usd(p, prices)
                      - prices.per_gb("gateway_endpoint_gb", p.s3_monthly_gb))
            result.append(Placement(
                "s3", "gateway endpoint in the connected VPC",
                f"{p.s3_monthly_gb:,.0f} GB/month over the SDDC ENI to a free gateway endpoint: "
                "no Transit Connect and no PrivateLink processing", "seed-vmc-s3",
                saving, f"S3 interface endpoint ({COMPARISON_ENDPOINT_AZS} AZs) in another VPC "
                "through Transit Connect"))
        elif service in ("efs", "fsx"):
            name = "EFS mount target" if service == "efs" else "FSx file system"
            result.append(Placement(
                service, f"{name} in the connected VPC, {az}",
                "reached over the SDDC ENI with no transit processing; " + elsewhere
                + ": weigh that transfer cost first" + az_note, "seed-vmc-file-services"))
        elif service in ("rds", "redshift"):
            name = "RDS primary" if service == "rds" else "Redshift cluster"
            result.append(Placement(
                service, f"{name} in the connected VPC, {az}",
                "databases are deployed and consumed in the connected VPC; " + elsewhere
                + az_note, "seed-vmc-databases"))
        elif service == "analytics":
            result.append(Placement(
                "analytics", f"interface endpoints for the analytics services in the connected "
                f"VPC, {az}",
                "ingest from the SDDC can be large: endpoints in the connected VPC keep it off "
                f"Transit Connect (${vtgw_rate:g}/GB, unverified rate)" + az_note,
                "seed-vmc-analytics"))
        else:  # elb
            if p.needs_central_egress:
                result.append(Placement(
                    "elb", "internet-facing load balancer in the ingress/egress VPC; an internal "
                    "one in the connected VPC for SDDC-to-VPC traffic",
                    "existing networking services in another VPC (the dedicated ingress/egress "
                    "VPC) are reached through the transit connection, with targets in the SDDC",
                    "seed-vmc-elb"))
            else:
                result.append(Placement(
                    "elb", f"load balancer in a connected-VPC subnet, {az}",
                    "a subnet the SDDC VMs reach over the ENI; an internal load balancer "
                    "balances between SDDC VMs and VPC services" + az_note, "seed-vmc-elb"))
    return tuple(result)


# --- actions, assumptions, diagrams ----------------------------------------------------------


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    steps: list[Action] = []
    vpcs = _vpcs_to_reach(p)
    if option_id == CONNECTED:
        steps.append(Action("Use the connected VPC chosen at SDDC deployment: the SDDC ENI and "
                            "its routes are already in place.", "seed-vmc-connected-vpc"))
    if option_id == TRANSIT_CONNECT:
        steps += [
            Action("Create an SDDC group for the SDDC: VMware Transit Connect provisions the "
                   "VMware-managed Transit Gateway.", "seed-vmc-transit-connect"),
            Action(f"Attach the {vpcs} VPC{'s' if vpcs != 1 else ''} ({_beyond(p)}) to the "
                   "SDDC group, accept each attachment in its account, and route the SDDC's "
                   "networks to the attachment in each VPC's route tables.",
                   "vmc-transit-connect-designlet"),
        ]
    if option_id == TGW_VPN:
        vpns = _vpn_connections(p)
        steps.append(
            Action(f"Create {_plural(vpns, 'Site-to-Site VPN connection')} on the "
                   f"existing Transit Gateway to the SDDC's VPN endpoint with dynamic (BGP) "
                   f"routing, and bring up {_plural(_tunnels(p), 'tunnel')}.",
                   "seed-vmc-tgw-vpn"))
        if p.vpn_tunnel_size == "large":
            steps.append(Action(
                "Confirm with VMware that the SDDC's VPN endpoint supports Large Bandwidth "
                "Tunnels, then create the connections with tunnel bandwidth Large (set per "
                "connection, for both tunnels).", "vpn-tunnel-bandwidth"))
        steps += [
            Action("Enable VPN ECMP support on the Transit Gateway and configure a route-based "
                   "VPN with a BGP neighbour per tunnel in the SDDC, so traffic is "
                   "load-balanced across the tunnels.", "seed-tgw-vpn-tunnel-bandwidth"),
            Action("Associate the VPN attachments with a Transit Gateway route table and "
                   f"propagate routes between them and the {_beyond(p)}.",
                   "seed-tgw-vpn-tunnel-bandwidth"),
        ]
    if option_id == TRANSIT_VPC:
        steps += [
            Action("Create a transit VPC and attach it to both the SDDC group (Transit Connect) "
                   "and the existing Transit Gateway.", "seed-vmc-transit-vpc"),
            Action("Configure the routes by hand: the SDDC's networks towards the Transit "
                   "Connect attachment and the VPCs' networks towards the Transit Gateway "
                   "attachment in the transit VPC, and matching static routes on both transit "
                   "gateways.", "seed-vmc-transit-vpc"),
        ]
    if option_id in _TRANSITS and p.needs_central_egress:
        steps.append(Action("Send the SDDC's default route to the dedicated ingress/egress VPC "
                            "over this connection.", "seed-vmc-elb"))
    if "s3" in p.services:
        steps.append(Action("Create an S3 gateway endpoint in the connected VPC on the route "
                            "table of the SDDC ENI's subnet, and use Region-specific S3 URLs.",
                            "seed-vmc-s3"))
    where = ("in the SDDC's AZ" if p.services_in_sddc_az
             else "in the SDDC's AZ (move them there: cross-AZ transfer is charged both ways)")
    for group, what, source in (
        (("efs", "fsx"), "file systems", "seed-vmc-file-services"),
        (("rds", "redshift"), "databases", "seed-vmc-databases"),
        (("analytics",), "interface endpoints of the analytics services", "seed-vmc-analytics"),
    ):
        chosen = [s for s in group if s in p.services]
        if chosen:
            steps.append(Action(f"Deploy the {what} ({', '.join(chosen)}) in the connected "
                                f"VPC, {where}, reached over the SDDC ENI.", source))
    if "elb" in p.services:
        steps.append(Action(
            "Put the internet-facing load balancer in the ingress/egress VPC with targets in "
            "the SDDC, and an internal one in the connected VPC." if p.needs_central_egress
            else "Put the load balancer in a connected-VPC subnet the SDDC VMs reach over the "
            "ENI (internal for SDDC-to-VPC traffic).", "seed-vmc-elb"))
    return tuple(steps)


def _vpn_sizing(p: Params) -> str:
    gbps = _tunnel_gbps(p)
    sized = (f"vpn_tunnels = {p.vpn_tunnels} (your override)" if p.vpn_tunnels is not None
             else f"max({MIN_VPN_TUNNELS}, ceil({p.required_gbps:g} / {gbps:g})) = "
             f"{_tunnels(p)} tunnels, sized by required_gbps")
    return (f"The VPN has {sized} of {gbps:g} Gbps ({p.vpn_tunnel_size}), load-balanced with "
            f"ECMP: {_plural(_vpn_connections(p), 'Site-to-Site VPN connection')} of 2 tunnels "
            "each, each a Transit Gateway attachment.")


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    vpcs = _vpcs_to_reach(p)
    where = (f"the {_beyond(p)}" if vpcs else "the connected VPC (there are no others)")
    items = [
        Assumption("traffic-model", f"monthly_gb_cross_vpc ({p.monthly_gb_cross_vpc:,.0f} "
                   f"GB/month) is what the connection carries, here to {where}. Traffic to "
                   "services in the connected VPC uses the SDDC ENI in every option and is not "
                   "counted when other VPCs are reached.", "seed-vmc-connected-vpc"),
        Assumption("s3-path", f"S3 traffic ({p.s3_monthly_gb:,.0f} GB/month) uses the "
                   "connected VPC's free gateway endpoint in every option; the placements "
                   "show what it saves.", "seed-vmc-s3"),
        Assumption("common-costs", "SDDC hosts, Direct Connect and data transfer out to the "
                   "internet are the same for every option and left out.",
                   "pricing-ec2-data-transfer"),
        Assumption("vpn-connections", _vpn_sizing(p), "seed-tgw-vpn-tunnel-bandwidth"),
        Assumption("vpn-transfer", f"VPN tunnel traffic leaving the SDDC (sddc_egress_share "
                   f"{p.sddc_egress_share:g} x {p.monthly_gb_cross_vpc:,.0f} GB/month) is SDDC "
                   "egress billed by VMware; the VPN option carries it as its own item at price "
                   "item vmc_sddc_vpn_egress_gb, $0/GB until you set VMware's rate.",
                   "vmc-sddc-vpn-egress", unverified=True),
        Assumption("existing-tgw", "The existing Transit Gateway's attachments to the other "
                   "VPCs and the egress VPC exist and are paid already; only new attachments "
                   "are counted.", "pricing-transit-gateway"),
        Assumption("transit-connect-billing", f"Transit Connect is billed per attachment-hour "
                   f"for the SDDC and each attached VPC ({1 + vpcs} for Transit Connect, 2 for "
                   "the transit VPC) and per GB, at Transit Gateway rates.",
                   "vmc-transit-connect-designlet", unverified=True),
        Assumption("double-processing", "In the transit VPC option every GB is processed "
                   "twice: by Transit Connect and by the Transit Gateway.",
                   "pricing-transit-gateway"),
        Assumption("cross-az", f"Cross-AZ transfer is charged in both directions: "
                   f"{CROSS_AZ_DIRECTIONS} x the per-GB rate for each GB that crosses; within "
                   "the SDDC's AZ the connected VPC is free.", "seed-cross-az-both-directions"),
        Assumption("headroom", f"Throughput headroom: {VPN_TUNNEL_GBPS:g} Gbps per standard "
                   f"VPN tunnel, {LARGE_TUNNEL_GBPS:g} Gbps per Large Bandwidth Tunnel (at most "
                   f"{MAX_SDDC_VPN_TUNNELS} in an SDDC), {TRANSIT_GBPS:g} Gbps through Transit "
                   f"Connect (VMware), {TGW_VPC_ATTACHMENT_GBPS:g} Gbps per AZ on your Transit "
                   "Gateway's VPC attachment (Transit Gateway quotas), the ENI uncapped; capped "
                   f"at {HEADROOM_CAP:g}x required_gbps.", "vmc-vpn-tunnel-limit"),
    ]
    if p.vpn_tunnel_size == "large":
        items.append(Assumption(
            "large-tunnels", f"Large Bandwidth Tunnels: {LARGE_TUNNEL_GBPS:g} Gbps each at price "
            "item vpn_large_connection_hour per connection-hour (the AWS example's US East (Ohio) "
            "rate); that an SDDC terminates them, and up to "
            f"{MAX_SDDC_VPN_TUNNELS} of them, is not confirmed by VMware.", "aws-sap-rise-vpn",
            unverified=True))
    if "s3" in p.services:
        items.append(Assumption(
            "s3-comparison", f"The S3 saving compares the gateway endpoint with an S3 interface "
            f"endpoint in {COMPARISON_ENDPOINT_AZS} AZs in another VPC reached through Transit "
            "Connect: its hours, its processing and Transit Connect processing; attachments are "
            "left out (the VPC may be attached for other reasons).", "seed-vmc-s3"))
    return tuple(items)


_SERVICE_NODES: dict[str, tuple[str, str]] = {
    "efs": ("Amazon EFS", "aws.storage.EFS"),
    "fsx": ("Amazon FSx", "aws.storage.Fsx"),
    "rds": ("Amazon RDS", "aws.database.RDS"),
    "redshift": ("Amazon Redshift", "aws.database.Redshift"),
}


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "vmware-sddc")  # KeyError naming the known ids
    clusters = [
        Cluster("region", "AWS Region"),
        Cluster("vmware", "VMware-managed account", "region"),
        Cluster("customer", "your AWS account", "region"),
        Cluster("connected", "connected VPC", "customer"),
    ]
    eni_label = ("SDDC ENI\n(same AZ: free)" if p.services_in_sddc_az
                 else "SDDC ENI\n(cross-AZ: charged)")
    nodes = [
        Node("sddc", "SDDC VMs", "aws.compute.VmwareCloudOnAWS", "vmware"),
        Node("eni", eni_label, "aws.network.VPCElasticNetworkInterface", "connected"),
    ]
    edges = [Edge("sddc", "eni", "cross-VPC ENI")]

    # Services where the placements put them (seed 724-738).
    if "s3" in p.services:
        nodes += [Node("s3-gw", "S3 gateway endpoint", "aws.network.Endpoint", "connected"),
                  Node("s3", "Amazon S3", "aws.storage.S3", "region")]
        edges += [Edge("eni", "s3-gw"), Edge("s3-gw", "s3")]
    for service, (label, kind) in _SERVICE_NODES.items():
        if service in p.services:
            nodes.append(Node(service, label, kind, "connected"))
            edges.append(Edge("eni", service))
    if "analytics" in p.services:
        nodes += [Node("analytics-ie", "analytics interface\nendpoints",
                       "aws.network.Endpoint", "connected"),
                  Node("analytics", "analytics services", "aws.analytics.Analytics", "region")]
        edges += [Edge("eni", "analytics-ie"), Edge("analytics-ie", "analytics", "PrivateLink")]
    elb_in_egress = "elb" in p.services and p.needs_central_egress
    if "elb" in p.services:
        nodes.append(Node("elb", "internal load balancer", "aws.network.ElbApplicationLoadBalancer",
                          "connected"))
        edges.append(Edge("eni", "elb"))

    # What lies beyond the connected VPC.
    targets: list[str] = []
    if p.other_vpc_count:
        plural = "s" if p.other_vpc_count != 1 else ""
        clusters.append(Cluster("others", f"{p.other_vpc_count} other VPC{plural}", "customer"))
        nodes.append(Node("workloads", "workloads and\nexisting services", "aws.compute.EC2",
                          "others"))
        targets.append("workloads")
    if p.needs_central_egress:
        clusters.append(Cluster("egress", "ingress/egress VPC", "customer"))
        nodes.append(Node("igw", "internet gateway", "aws.network.InternetGateway", "egress"))
        targets.append("igw")
        if elb_in_egress:
            nodes.append(Node("egress-elb", "internet-facing\nload balancer",
                              "aws.network.ElbApplicationLoadBalancer", "egress"))
            edges.append(Edge("egress-elb", "igw"))
            targets.append("egress-elb")

    hub = ""
    if option_id == CONNECTED:
        edges += [Edge("eni", t, "no transitive routing", "dashed") for t in targets]
    if option_id in (TRANSIT_CONNECT, TRANSIT_VPC):
        nodes.append(Node("vtgw", "VMware Transit Connect\n(VTGW)", "aws.network.TransitGateway",
                          "vmware"))
        edges.append(Edge("sddc", "vtgw", "SDDC group"))
        hub = "vtgw"
    if option_id == TGW_VPN:
        tunnel = "large tunnel" if p.vpn_tunnel_size == "large" else "tunnel"
        nodes += [Node("vpn", f"IPsec VPN\n{_plural(_tunnels(p), tunnel)}, BGP + ECMP",
                       "aws.network.SiteToSiteVpn", "customer"),
                  Node("tgw", "existing\nTransit Gateway", "aws.network.TransitGateway",
                       "customer")]
        edges += [Edge("sddc", "vpn"), Edge("vpn", "tgw")]
        hub = "tgw"
    if option_id == TRANSIT_VPC:
        clusters.append(Cluster("transit", "transit VPC", "customer"))
        nodes += [Node("transit-routes", "route tables\n(static, by hand)",
                       "aws.network.RouteTable", "transit"),
                  Node("tgw", "existing\nTransit Gateway", "aws.network.TransitGateway",
                       "customer")]
        edges += [Edge("vtgw", "transit-routes", "attachment"),
                  Edge("transit-routes", "tgw", "attachment")]
        hub = "tgw"
    if hub:
        edges += [Edge(hub, t, "attachment") for t in targets if t != "egress-elb"]
        if elb_in_egress:
            edges.append(Edge("egress-elb", hub, "targets in the SDDC", "dashed"))
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


#: The opening paragraph of the decision's notebook (its line breaks are kept).
NOTEBOOK_INTRO = """\
How should a VMware Cloud on AWS SDDC reach the VPCs its VMs need, and where should each
native AWS service they use be placed? The connectivity options are checked against sourced
rules, costed at the stated prices, scored on weighted criteria and drawn below with the
services where they are placed; every rule, price and judgement names its source."""

#: The placements, described for this decision's services (in place of the generic wording).
PLACEMENTS = Placements(description="""\
Where each service the SDDC VMs use should live, why, and what it saves against the
next-best placement where the sources give one.""")


# --- the requirements matrix: what the reach, Transit Gateway and tunnel rules check ------


def _reach_measured(p: Params, option_id: str) -> str:
    reach = (f"{_beyond(p)} to reach" if _vpcs_to_reach(p)
             else "no VPC to reach beyond the connected VPC")
    how = ("the connected VPC's ENI reaches that VPC only" if option_id == CONNECTED
           else "the option connects further VPCs")
    return f"{reach}; {how}"


def _tgw_measured(p: Params, option_id: str) -> str:
    have = "an existing Transit Gateway" if p.existing_transit_gateway else "no existing one"
    return f"{have}; the option attaches to a Transit Gateway in your account"


def _tunnels_measured(p: Params, option_id: str) -> str:
    gbps = _tunnel_gbps(p)
    return (f"required {p.required_gbps:g} Gbps needs {_plural(_needed(p), 'tunnel')} of "
            f"{gbps:g} Gbps, limit {MAX_SDDC_VPN_TUNNELS} per SDDC "
            f"({MAX_SDDC_VPN_TUNNELS * gbps:g} Gbps)")


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("reach", "VPCs beyond the connected VPC",
                ("connected-vpc-not-transitive", "nothing-beyond-connected-vpc"),
                _reach_measured),
    Requirement("existing-tgw", "An existing Transit Gateway",
                ("vpn-needs-existing-tgw", "transit-vpc-needs-existing-tgw"), _tgw_measured),
    Requirement("vpn-throughput", "Required bandwidth over the SDDC VPN",
                ("vpn-tunnel-throughput",), _tunnels_measured),
)


DECISION: Decision[Params] = Decision(
    id="vmware-sddc",
    title="VMware Cloud on AWS: connecting the SDDC and placing native AWS services",
    question="How should a VMware Cloud on AWS SDDC reach the VPCs it needs, and where should "
             "each native AWS service its VMs use be placed, at the lowest cost and "
             "complexity?",
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
    # S3 takes the same free gateway endpoint in every option: its volume drives the
    # placements, not the comparison of connections.
    volume_fields=("monthly_gb_cross_vpc",),
    sources=("seed-vmc-connected-vpc", "seed-vmc-multi-vpc", "seed-vmc-transit-connect",
             "seed-vmc-tgw-vpn", "seed-vmc-transit-vpc"),
    placements=placements,
    notebook_intro=NOTEBOOK_INTRO,
    extra_outputs=(PLACEMENTS,),
    requirements=REQUIREMENTS,
)
