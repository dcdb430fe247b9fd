"""s3-endpoints: how workloads reach Amazon S3 privately.

Guidance: seed lines 941-971 ("Choosing your VPC endpoint strategy for Amazon S3"), 231-269
(S3 File Gateway over PrivateLink), 270-366 (centralised interface endpoints), 909-935
(cross-Region access with Route 53 Resolver); the S3 User Guide's endpoint comparison; the
PrivateLink Guide's cross-Region enabled services (an S3 interface endpoint for another Region).
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
    SatisficingScale,
    find_option,
)
from archlib.formatting import count

__all__ = ["DECISION", "Params"]

GATEWAY = "gateway"
INTERFACE = "interface"
CENTRAL = "interface-centralized"
MIXED = "gateway-plus-interface"
PROXY = "gateway-proxy-fleet"
NAT = "nat-gateway"
HUB_PEERING = "interface-hub-peering"
CROSS_REGION = "interface-cross-region"

#: PrivateLink quotas: 10 Gbps per AZ by default, scaling automatically to 100 Gbps per AZ.
INTERFACE_GBPS_PER_AZ_DEFAULT = 10.0
INTERFACE_GBPS_PER_AZ_MAX = 100.0
#: NAT gateway: 5 Gbps, scaling automatically to 100 Gbps (nat-gateway-basics).
NAT_GBPS_DEFAULT = 5.0
#: Throughput headroom is capped: beyond 10x the peak, more capacity decides nothing.
HEADROOM_CAP = 10.0
#: Route 53 Resolver endpoints need at least 2 ENIs each; cross-Region access uses an outbound
#: endpoint here and an inbound one in the other Region (seed 909-935).
RESOLVER_ENIS = 4
#: An inbound Resolver endpoint has at least 2 IP addresses, each billed (resolver-choose-vpc).
INBOUND_RESOLVER_ENIS = 2
#: Active VPC peering connections per VPC: 50 by default, raisable to 125 (VPC quotas).
PEERING_PER_VPC_DEFAULT = 50
PEERING_PER_VPC_MAX = 125
_REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$"
#: Scoring: the monthly cost at which the cost criterion's value halves, and the headroom
#: that counts as enough (README, "Scoring").
COST_MATERIALITY_USD = 100.0
HEADROOM_ENOUGH = 2.0

CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.40,
              "Itemised monthly cost at the price file's prices.", "pricing-privatelink",
              scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"endpoint bills run from $0 to a few hundred dollars a month: "
              f"value halves at ${COST_MATERIALITY_USD:g}"),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.25,
              "Moving parts to build and run: endpoints, DNS, routes, proxies.",
              "seed-s3-proxies", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("private_path_control", "Private path and control", "1-5 (5 = most)",
              "maximise", 0.20,
              "Traffic stays off the internet and is governed by endpoint policies and "
              "security groups.", "seed-s3-security-policy", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("throughput_headroom", "Throughput headroom", "x peak (capped at 10)",
              "maximise", 0.15,
              "Capacity available without asking AWS, as a multiple of the peak per VPC.",
              "seed-s3-bandwidth", scale=SatisficingScale(HEADROOM_ENOUGH),
              scale_reason=f"enough is enough: {HEADROOM_ENOUGH:g}x the peak absorbs a doubling "
              "and the endpoints scale on their own; more decides nothing"),
)


class Params(DecisionParams):
    """Parameters of the S3 endpoint decision."""


    region: str = Field("us-east-1", description="AWS Region of the VPCs and buckets.",
                        min_length=1, max_length=32)
    vpc_count: int = Field(1, ge=1, le=1000, description="VPCs whose workloads use S3.")
    az_count: int = Field(2, ge=1, le=6,
                          description="AZs with an interface endpoint ENI.")
    monthly_gb_in_vpc: float = Field(
        1000.0, ge=0, le=100_000_000,
        description="GB/month between workloads in the VPCs and S3 (all VPCs together).")
    monthly_gb_on_prem: float = Field(
        0.0, ge=0, le=100_000_000,
        description="GB/month from on-premises over Direct Connect or VPN.")
    on_prem_access: bool = Field(False, description="On-premises callers must reach S3 "
                                 "privately.")
    cross_region_access: bool = Field(False, description="Workloads must reach buckets in "
                                      "other Regions privately.")
    transit_gateway: bool = Field(False, description="VPCs are already attached to a Transit "
                                  "Gateway hub.")
    on_prem_via_transit_gateway: bool = Field(
        False, description="Direct Connect or VPN terminates on the Transit Gateway (needs "
        "transit_gateway); false: on a virtual private gateway of the VPC where it lands.")
    on_prem_dns: Literal["endpoint-names", "private-dns"] = Field(
        "endpoint-names", description="How on-premises callers find an interface endpoint: "
        "its endpoint-specific DNS names (no extra cost, seed 964) or the default S3 names "
        "through private DNS and an inbound Route 53 Resolver endpoint (costed).")
    monthly_gb_cross_region: float = Field(
        0.0, ge=0, le=100_000_000,
        description="GB/month between the workloads and buckets in other_region (both "
        "directions together).")
    other_region: str = Field("us-west-2", description="Region of the buckets reached "
                              "cross-Region; inter-Region transfer is priced by the pair.",
                              pattern=_REGION_PATTERN, max_length=32)
    peering_same_az: bool = Field(
        False, description="interface-hub-peering: spokes use the hub endpoint's ENI in their "
        "own AZ (zonal DNS names, AZ IDs aligned), so peering transfer is free; false: "
        "(az_count - 1) / az_count of it crosses AZs.")
    peak_gbps: float = Field(1.0, gt=0, le=1000, description="Peak throughput to S3 per VPC "
                             "(Gbps).")
    east_west_firewall: bool = Field(False, description="Spoke-hub traffic is inspected by "
                                     "firewall appliances.")
    allow_internet_path: bool = Field(False, description="Policy allows S3 traffic through "
                                      "NAT and the internet.")
    proxy_count: int = Field(2, ge=1, le=100, description="Proxy instances in the proxy "
                             "fleet (one per AZ for availability).")
    # At least 0.01 Gbps, so the fleet sized to the peak stays finite (1,000 Gbps / 0.01 =
    # 100,000 instances at most).
    proxy_instance_gbps: float = Field(
        0.75, ge=0.01, le=200,
        description="Sustained bandwidth of one proxy instance in Gbps (m5.large baseline; "
        "unverified).")

    @field_validator("on_prem_via_transit_gateway")
    @classmethod
    def _tgw_needed(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not info.data.get("transit_gateway", False):
            raise ValueError("needs transit_gateway = true (the Transit Gateway it terminates on)")
        return value

    @field_validator("other_region")
    @classmethod
    def _other_than_region(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("region"):
            raise ValueError("must differ from region (the Region of the VPCs)")
        return value


def proxy_fleet_size(p: Params) -> int:
    """Instances per proxy fleet: proxy_count for availability, more if the peak needs them."""
    # The small tolerance keeps an exact fit (3 Gbps / 0.75 Gbps = 4) from rounding up.
    needed = math.ceil(p.peak_gbps / p.proxy_instance_gbps - 1e-9)
    return max(p.proxy_count, needed)


def _proxy_fleets(p: Params) -> int:
    # One fleet where on-premises traffic lands, one in the other Region for its buckets
    # (a gateway endpoint serves only its own Region).
    return int(p.on_prem_access) + int(p.cross_region_access)


OPTIONS: tuple[Option, ...] = (
    Option(GATEWAY, "Gateway endpoint per VPC",
           "A free gateway endpoint in each VPC; route tables send S3 traffic to it."),
    Option(INTERFACE, "Interface endpoint per VPC",
           "An interface endpoint (PrivateLink) in each VPC with an ENI in each AZ."),
    Option(CENTRAL, "Centralised interface endpoint",
           "One interface endpoint in a hub VPC; spokes reach it over Transit Gateway with "
           "a Route 53 private hosted zone."),
    Option(MIXED, "Gateway plus interface endpoint",
           "Gateway endpoints for traffic inside the VPCs, one interface endpoint where "
           "on-premises or other-Region traffic lands."),
    Option(PROXY, "Gateway endpoint plus proxy fleet",
           "Gateway endpoints, and a self-managed proxy fleet that relays external callers."),
    Option(NAT, "NAT gateway to the public endpoint",
           "No endpoint: NAT gateways and the public S3 endpoint (the baseline)."),
    Option(HUB_PEERING, "Centralised interface endpoint over VPC peering",
           "One interface endpoint in a hub VPC; spokes reach it over VPC peering (no charge "
           "within an AZ) with a Route 53 private hosted zone."),
    Option(CROSS_REGION, "Gateway plus cross-Region interface endpoint",
           "Gateway endpoints for same-Region buckets; an S3 interface endpoint whose service "
           "Region is the other Region (PrivateLink cross-Region), with no Resolver endpoints "
           "or remote VPC."),
)

_EXTERNAL_ONLY = (MIXED, PROXY)
_HUBS = (CENTRAL, HUB_PEERING)


def _external(p: Params) -> bool:
    return p.on_prem_access or p.cross_region_access


def _gateway_scope(p: Params) -> str | None:
    needs = [w for w, on in (("on-premises", p.on_prem_access),
                             ("other Regions", p.cross_region_access)) if on]
    if not needs:
        return None
    return ("a gateway endpoint serves only resources in its own VPC and Region, not "
            f"callers from {' or '.join(needs)}")


def _needs_external(p: Params) -> str | None:
    if _external(p):
        return None
    return ("no on-premises or cross-Region callers: the external path has nothing to carry, "
            "so this option reduces to gateway endpoints alone")


def _needs_cross_region(p: Params) -> str | None:
    if p.cross_region_access:
        return None
    return ("no cross-Region callers: the cross-Region endpoint has nothing to carry, so this "
            "option reduces to gateway-plus-interface")


def _nat_over_vgw(p: Params) -> str | None:
    if not p.on_prem_access or p.on_prem_via_transit_gateway:
        return None
    return ("on-premises traffic arriving through a virtual private gateway can be routed only "
            "to targets inside the VPC, not on through its NAT gateway (edge-to-edge routing); "
            "terminate Direct Connect or VPN on a Transit Gateway instead")


def _peering_quota(p: Params) -> str | None:
    if p.vpc_count <= PEERING_PER_VPC_MAX:
        return None
    return (f"{p.vpc_count} spokes need {p.vpc_count} peering connections on the hub VPC, "
            f"above the {PEERING_PER_VPC_MAX} a VPC can have")


def _centralise_needs_vpcs(p: Params) -> str | None:
    if p.vpc_count >= 2:
        return None
    return f"centralising needs at least 2 VPCs (vpc_count = {p.vpc_count})"


def _interface_capacity(p: Params) -> str | None:
    capacity = p.az_count * INTERFACE_GBPS_PER_AZ_MAX
    if p.peak_gbps <= capacity:
        return None
    return (f"peak {p.peak_gbps:g} Gbps per VPC exceeds {p.az_count} AZ x "
            f"{INTERFACE_GBPS_PER_AZ_MAX:g} Gbps = {capacity:g} Gbps, the most an interface "
            "endpoint scales to")


def _central_capacity(p: Params) -> str | None:
    demand = p.vpc_count * p.peak_gbps
    capacity = p.az_count * INTERFACE_GBPS_PER_AZ_MAX
    if demand <= capacity:
        return None
    return (f"{p.vpc_count} VPCs x {p.peak_gbps:g} Gbps = {demand:g} Gbps through one hub "
            f"endpoint exceeds {p.az_count} AZ x {INTERFACE_GBPS_PER_AZ_MAX:g} Gbps = "
            f"{capacity:g} Gbps")


def _internet_forbidden(p: Params) -> str | None:
    if p.allow_internet_path:
        return None
    return ("policy does not allow S3 traffic through NAT and the internet "
            "(allow_internet_path = false)")


RULES: tuple[Rule[Params], ...] = (
    Rule("gateway-same-vpc-only", "s3-guide-privatelink", (GATEWAY,), _gateway_scope),
    Rule("needs-external-callers", "seed-s3-single-vpc", _EXTERNAL_ONLY, _needs_external),
    Rule("centralise-needs-two-vpcs", "seed-s3-multi-vpc", _HUBS, _centralise_needs_vpcs),
    Rule("interface-throughput-per-az", "privatelink-quotas", (INTERFACE,),
         _interface_capacity),
    Rule("hub-throughput-per-az", "privatelink-quotas", _HUBS, _central_capacity),
    Rule("internet-path-not-allowed", "seed-s3-security-policy", (NAT,), _internet_forbidden),
    Rule("needs-cross-region-callers", "privatelink-cross-region-services", (CROSS_REGION,),
         _needs_cross_region),
    Rule("nat-unreachable-over-vgw", "vpc-gateway-route-tables", (NAT,), _nat_over_vgw),
    Rule("peering-connections-per-vpc", "vpc-quotas-peering", (HUB_PEERING,), _peering_quota),
)


def _above_default(p: Params) -> str | None:
    default = p.az_count * INTERFACE_GBPS_PER_AZ_DEFAULT
    if p.peak_gbps <= default:
        return None
    return (f"peak {p.peak_gbps:g} Gbps is above the default {default:g} Gbps "
            f"({p.az_count} AZ x {INTERFACE_GBPS_PER_AZ_DEFAULT:g}); the endpoint scales "
            "automatically, but test the ramp-up")


def _hub_above_default(p: Params) -> str | None:
    demand = p.vpc_count * p.peak_gbps
    default = p.az_count * INTERFACE_GBPS_PER_AZ_DEFAULT
    if demand <= default:
        return None
    return (f"all spokes together peak at {demand:g} Gbps, above the hub endpoint's default "
            f"{default:g} Gbps; it scales automatically, but test the ramp-up")


def _firewall_load(p: Params) -> str | None:
    if not p.east_west_firewall:
        return None
    return (f"east-west firewalls will inspect {p.monthly_gb_in_vpc:,.0f} GB/month more spoke "
            "to hub S3 traffic; size them for it or keep endpoints in the VPCs")


def _proxy_bottleneck(p: Params) -> str | None:
    size = proxy_fleet_size(p)
    capacity = size * p.proxy_instance_gbps
    sized = ("" if size == p.proxy_count else
             f", sized up from proxy_count = {p.proxy_count} to carry the {p.peak_gbps:g} Gbps "
             "peak")
    return (f"the proxy fleet ({size} x {p.proxy_instance_gbps:g} Gbps = {capacity:g} Gbps"
            f"{sized}) is yours to patch, scale and keep available, and can become the "
            "throughput bottleneck")


def _peering_above_default(p: Params) -> str | None:
    if p.vpc_count <= PEERING_PER_VPC_DEFAULT:
        return None
    return (f"{p.vpc_count} peering connections on the hub VPC exceed the default quota of "
            f"{PEERING_PER_VPC_DEFAULT}: request an increase (up to {PEERING_PER_VPC_MAX})")


def _public_endpoint(p: Params) -> str | None:
    return ("traffic leaves the VPC for the public S3 endpoint; endpoint policies and "
            "aws:SourceVpce conditions cannot apply")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("interface-above-default-bandwidth", "privatelink-quotas", (INTERFACE,),
         _above_default),
    Rule("hub-above-default-bandwidth", "privatelink-quotas", _HUBS, _hub_above_default),
    Rule("east-west-firewall-load", "seed-s3-multi-vpc", (CENTRAL,), _firewall_load),
    Rule("proxy-fleet-bottleneck", "seed-storage-gateway-proxy", (PROXY,), _proxy_bottleneck),
    Rule("public-endpoint", "seed-s3-security-policy", (NAT,), _public_endpoint),
    Rule("peering-quota-increase", "vpc-quotas-peering", (HUB_PEERING,),
         _peering_above_default),
)


# --- cost model (pure) -----------------------------------------------------------------------


def _cross_region_gb(p: Params) -> float:
    return p.monthly_gb_cross_region if p.cross_region_access else 0.0


def _on_prem_gb(p: Params) -> float:
    return p.monthly_gb_on_prem if p.on_prem_access else 0.0


def _inter_region(p: Params, prices: PriceTable) -> dict[str, float | None]:
    """Transfer between this Region and other_region, at the pair's price (every option that
    reaches the other Region's buckets carries it)."""
    if not p.cross_region_access:
        return {}
    return {f"inter-Region transfer to {p.other_region}":
            prices.per_gb_to("inter_region_gb", p.other_region, _cross_region_gb(p))}


def _remote_endpoint(p: Params, prices: PriceTable) -> dict[str, float | None]:
    """Seed 909-935: an S3 interface endpoint in the other Region, reached over peering, with
    Resolver endpoints forwarding its names; the remote Region is priced at this file's rates."""
    if not p.cross_region_access:
        return {}
    return {
        "interface endpoint in the other Region (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count),
        "interface endpoint data processing in the other Region":
            prices.per_gb("interface_endpoint_gb", _cross_region_gb(p)),
        "Route 53 Resolver endpoints (ENI-hours)":
            prices.hourly("resolver_endpoint_eni_hour", RESOLVER_ENIS),
        **_inter_region(p, prices),
    }


def _on_prem_resolver(p: Params, prices: PriceTable) -> dict[str, float | None]:
    """An inbound Resolver endpoint when on-premises callers use the default S3 names through
    private DNS (S3 User Guide: private DNS only for inbound endpoints)."""
    if not (p.on_prem_access and p.on_prem_dns == "private-dns"):
        return {}
    return {"inbound Resolver endpoint for on-premises DNS (ENI-hours)":
            prices.hourly("resolver_endpoint_eni_hour", INBOUND_RESOLVER_ENIS)}


def peering_cross_az_gb(p: Params) -> float:
    """GB/month of spoke traffic that crosses AZs on its way to the hub endpoint over peering:
    with the regional DNS name, a client picks any of the az_count ENIs."""
    if p.peering_same_az:
        return 0.0
    return p.monthly_gb_in_vpc * (p.az_count - 1) / p.az_count


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Traffic common to every option (Direct Connect or VPN
    ports, transfer out) is left out and listed as an assumption."""
    in_vpc = p.monthly_gb_in_vpc
    on_prem, cross_gb = _on_prem_gb(p), _cross_region_gb(p)
    remote = _remote_endpoint(p, prices)
    resolver = _on_prem_resolver(p, prices)

    gateway: dict[str, float | None] = {
        "gateway endpoints": prices.hourly("gateway_endpoint_hour", p.vpc_count),
        "data through gateway endpoints": prices.per_gb("gateway_endpoint_gb", in_vpc),
    }
    interface: dict[str, float | None] = {
        "interface endpoints (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.vpc_count * p.az_count),
        "interface endpoint data processing":
            prices.per_gb("interface_endpoint_gb", in_vpc + on_prem),
        **resolver,
        **remote,
    }
    hub: dict[str, float | None] = {
        "hub interface endpoint (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count),
        "interface endpoint data processing":
            prices.per_gb("interface_endpoint_gb", in_vpc + on_prem),
    }
    # With a Transit Gateway already in place the hub's attachment exists too (assumption).
    attachments = 0 if p.transit_gateway else p.vpc_count + 1
    central: dict[str, float | None] = {
        **hub,
        "Transit Gateway processing of spoke traffic": prices.per_gb("tgw_gb", in_vpc),
        "Transit Gateway attachments (new hub)": prices.hourly("tgw_attachment_hour",
                                                               attachments),
        **resolver,
        **remote,
    }
    # Seed 952: peering is free within an AZ; across AZs each GB pays out of one AZ and into
    # the other.
    hub_peering: dict[str, float | None] = {
        **hub,
        "cross-AZ transfer over peering (out and in)":
            2 * prices.per_gb("peering_cross_az_gb", peering_cross_az_gb(p))
            if peering_cross_az_gb(p) else 0.0,
        **resolver,
        **remote,
    }
    mixed: dict[str, float | None] = {
        **gateway,
        "interface endpoint for external traffic (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count if p.on_prem_access else 0),
        "interface endpoint data processing (external)":
            prices.per_gb("interface_endpoint_gb", on_prem),
        **resolver,
        **remote,
    }
    cross_region: dict[str, float | None] = {
        **gateway,
        "interface endpoint for on-premises traffic (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count if p.on_prem_access else 0),
        f"cross-Region interface endpoint for {p.other_region} (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count),
        # One Region's interface endpoints share the processing tiers.
        "interface endpoint data processing (on-premises and cross-Region)":
            prices.per_gb("interface_endpoint_gb", on_prem + cross_gb),
        **resolver,
        **_inter_region(p, prices),
    }
    fleets = _proxy_fleets(p)
    proxy: dict[str, float | None] = {**gateway}
    if fleets:  # read the (unverified) instance price only when a fleet exists, to cite it then
        proxy |= {
            "proxy instances": prices.hourly("proxy_instance_hour",
                                             fleets * proxy_fleet_size(p)),
            "Network Load Balancers in front of the fleets": prices.hourly("nlb_hour", fleets),
            # TCP: one NLCU carries 1 GB per hour, so each GB relayed is one NLCU-hour.
            "NLB capacity units (1 NLCU-hour per GB)":
                (on_prem + cross_gb) * prices.value("nlb_lcu_hour"),
            **_inter_region(p, prices),
        }
    else:
        proxy["proxy instances"] = 0.0
    nat: dict[str, float | None] = {
        "NAT gateways (one per AZ per VPC)":
            prices.hourly("nat_gateway_hour", p.vpc_count * p.az_count),
        "NAT gateway data processing":
            prices.per_gb("nat_gateway_gb", in_vpc + on_prem + cross_gb),
        **_inter_region(p, prices),
    }
    return {GATEWAY: gateway, INTERFACE: interface, CENTRAL: central, MIXED: mixed,
            PROXY: proxy, NAT: nat, HUB_PEERING: hub_peering, CROSS_REGION: cross_region}


# --- criteria --------------------------------------------------------------------------------

_COMPLEXITY: dict[str, Judgement] = {
    GATEWAY: Judgement(1, "route-table entries added automatically; nothing in the data path",
                       "seed-s3-bandwidth"),
    INTERFACE: Judgement(2, "ENIs per AZ, security groups and DNS in every VPC",
                         "seed-s3-endpoint-cost"),
    CENTRAL: Judgement(4, "hub endpoint, a private hosted zone associated with every spoke, "
                          "Transit Gateway routes", "seed-centralised-endpoints"),
    MIXED: Judgement(2, "two endpoint types, but each path is simple; on-premises DNS points "
                        "at the interface endpoint", "seed-s3-single-vpc"),
    PROXY: Judgement(5, "a complex custom architecture: a proxy fleet to build, patch and "
                        "scale", "seed-s3-proxies"),
    NAT: Judgement(2, "NAT gateways per AZ and routes to them", "pricing-vpc"),
    HUB_PEERING: Judgement(3, "hub endpoint, a peering connection and routes per spoke, a "
                              "private hosted zone associated with every spoke; no transit "
                              "router", "seed-s3-hub-spoke-cost"),
    CROSS_REGION: Judgement(2, "gateway endpoints, and one interface endpoint whose service "
                               "Region is the other Region; no Resolver forwarding or remote "
                               "VPC", "privatelink-cross-region-services"),
}
_CONTROL: dict[str, Judgement] = {
    GATEWAY: Judgement(4, "private path with an endpoint policy; no security groups",
                       "s3-guide-privatelink"),
    INTERFACE: Judgement(5, "private IPs, security groups and an endpoint policy",
                         "s3-guide-privatelink"),
    CENTRAL: Judgement(5, "private IPs, security groups and one endpoint policy for all spokes",
                       "seed-s3-multi-vpc"),
    MIXED: Judgement(5, "endpoint policies on both paths, security groups on the interface "
                        "endpoint", "seed-s3-single-vpc"),
    PROXY: Judgement(3, "private, but a self-managed component sits in the path",
                     "seed-storage-gateway-proxy"),
    NAT: Judgement(1, "traffic goes to the public endpoint; endpoint policies cannot apply",
                   "seed-s3-security-policy"),
    HUB_PEERING: Judgement(5, "private IPs, security groups and one endpoint policy for all "
                              "spokes", "seed-s3-multi-vpc"),
    CROSS_REGION: Judgement(5, "endpoint policies on both paths, security groups on the "
                               "interface endpoint", "privatelink-cross-region-services"),
}


def _headroom(capacity_gbps: float, demand_gbps: float) -> float:
    return min(HEADROOM_CAP, capacity_gbps / demand_gbps)


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    interface_cap = p.az_count * INTERFACE_GBPS_PER_AZ_DEFAULT
    headroom = {
        GATEWAY: HEADROOM_CAP,  # no throughput limit of its own (seed 956)
        INTERFACE: _headroom(interface_cap, p.peak_gbps),
        CENTRAL: _headroom(interface_cap, p.vpc_count * p.peak_gbps),
        MIXED: HEADROOM_CAP,  # in-VPC traffic through the gateway endpoint
        PROXY: _headroom(proxy_fleet_size(p) * p.proxy_instance_gbps, p.peak_gbps),
        NAT: _headroom(p.az_count * NAT_GBPS_DEFAULT, p.peak_gbps),
        HUB_PEERING: _headroom(interface_cap, p.vpc_count * p.peak_gbps),
        CROSS_REGION: HEADROOM_CAP,  # in-VPC traffic through the gateway endpoint
    }
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "operational_complexity": _COMPLEXITY[o.id],
            "private_path_control": _CONTROL[o.id],
            "throughput_headroom": headroom[o.id],
        }
        for o in OPTIONS
    }


# --- actions, assumptions, diagrams ----------------------------------------------------------


def _on_prem_dns_action(p: Params) -> Action:
    if p.on_prem_dns == "private-dns":
        return Action(
            "Create an inbound Route 53 Resolver endpoint (2 IP addresses in different AZs) in "
            "the VPC where Direct Connect or VPN lands, enable private DNS on the interface "
            "endpoint (only for inbound Resolver endpoints where a gateway endpoint serves the "
            "VPC), and forward the S3 names from on-premises DNS to the Resolver.",
            "s3-guide-privatelink")
    return Action(
        "Point on-premises S3 clients at the interface endpoint's endpoint-specific DNS names "
        "(bucket.vpce-...-s3.<region>.vpce.amazonaws.com), or on-premises DNS at its IP "
        "addresses; no Resolver endpoint is needed.", "seed-s3-single-vpc")


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    steps: list[Action] = []
    gw = Action("Create an S3 gateway endpoint in each VPC and associate it with the route "
                "table of every subnet that reaches S3 (the prefix-list route is added for "
                "you).", "seed-s3-bandwidth")
    policy = Action("Attach an endpoint policy limiting which buckets and principals the "
                    "endpoint serves, and require the endpoint in bucket policies "
                    "(aws:SourceVpce).", "seed-s3-security-policy")
    phz = Action("Create a Route 53 private hosted zone for the S3 service name with an alias "
                 "record to the endpoint, and associate it with every spoke VPC.",
                 "seed-centralised-endpoints")
    if option_id in (GATEWAY, MIXED, PROXY, CROSS_REGION):
        steps.append(gw)
    if option_id == INTERFACE:
        steps.append(Action(
            f"Create an S3 interface endpoint in each VPC with a subnet in each of "
            f"{p.az_count} AZs, and a security group allowing HTTPS from the workloads.",
            "seed-s3-bandwidth"))
    if option_id in _HUBS:
        steps += [
            Action(f"Create the S3 interface endpoint in the hub VPC across {p.az_count} AZs.",
                   "seed-s3-multi-vpc"),
            phz,
        ]
    if option_id == CENTRAL:
        steps.append(Action("Route the spokes to the hub through the Transit Gateway"
                            + ("" if p.transit_gateway else " (create it and attach every VPC)")
                            + ".", "seed-centralised-endpoints"))
        if p.east_west_firewall:
            steps.append(Action("Size the east-west firewalls for the added S3 traffic.",
                                "seed-s3-multi-vpc"))
    if option_id == HUB_PEERING:
        steps.append(Action(
            f"Peer each of the {p.vpc_count} spoke VPCs with the hub VPC and route the hub's "
            "CIDR over the peering connection; "
            + ("use the endpoint's zonal DNS names so each spoke stays in its AZ (align AZ IDs)"
               if p.peering_same_az else
               "traffic between different AZs pays cross-AZ transfer (zonal DNS names with "
               "aligned AZ IDs avoid it)") + ".", "seed-s3-hub-spoke-cost"))
    if option_id in (MIXED, CROSS_REGION) and p.on_prem_access:
        steps.append(Action(
            "Create one S3 interface endpoint in the VPC where Direct Connect or VPN lands.",
            "seed-s3-single-vpc"))
    if (p.on_prem_access
            and option_id in (INTERFACE, CENTRAL, MIXED, HUB_PEERING, CROSS_REGION)):
        steps.append(_on_prem_dns_action(p))
    if option_id == PROXY:
        steps.append(Action(
            f"Run {proxy_fleet_size(p)} proxy instances per fleet across AZs behind a Network "
            "Load Balancer; point external callers at it.", "seed-s3-proxies"))
    if option_id == NAT:
        steps.append(Action("Put a NAT gateway in each AZ and route 0.0.0.0/0 from private "
                            "subnets to it.", "pricing-vpc"))
        if p.on_prem_access:
            steps.append(Action("Route on-premises S3 traffic from the Transit Gateway's "
                                "Direct Connect or VPN attachment to the VPC with the NAT "
                                "gateways.", "vpc-centralized-egress"))
    if p.cross_region_access and option_id in (INTERFACE, CENTRAL, MIXED, HUB_PEERING):
        steps.append(Action(
            f"For buckets in {p.other_region}: an S3 interface endpoint and an inbound Route 53 "
            "Resolver endpoint there, an outbound Resolver endpoint here, and forwarding rules "
            f"for {p.other_region}.amazonaws.com and {p.other_region}.vpce.amazonaws.com.",
            "seed-cross-region-resolver"))
    if option_id == CROSS_REGION:
        steps.append(Action(
            f"Confirm both Regions offer cross-Region PrivateLink, then create an interface "
            f"endpoint for com.amazonaws.{p.other_region}.s3 with service Region "
            f"{p.other_region} in the VPC that reaches those buckets.",
            "privatelink-cross-region-services"))
    if option_id != NAT:
        steps.append(policy)
    return tuple(steps)


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items = [] if not _external(p) else [
        Assumption("proxy-bandwidth", f"Each proxy instance sustains "
                   f"{p.proxy_instance_gbps:g} Gbps (parameter proxy_instance_gbps; default "
                   "is the m5.large baseline, unverified); a fleet has "
                   f"max(proxy_count, ceil(peak_gbps / proxy_instance_gbps)) = "
                   f"{proxy_fleet_size(p)} instances.", "ec2-instance-network-bandwidth",
                   unverified=True),
        Assumption("proxy-nlb", "Each proxy fleet sits behind one Network Load Balancer; "
                   "its capacity units are counted on bytes only (1 NLCU-hour per GB), the "
                   "least it can bill: many short connections bill more.", "pricing-elb"),
    ]
    items += [
        Assumption("common-costs", "Direct Connect or VPN port hours and data transfer out "
                   "are the same for every option and left out"
                   + ("; so is Transit Gateway processing of on-premises traffic, which "
                      "every option carries" if p.on_prem_via_transit_gateway else "") + ".",
                   "pricing-ec2-data-transfer"),
        Assumption("headroom", f"Throughput headroom uses default capacities (interface "
                   f"endpoint {INTERFACE_GBPS_PER_AZ_DEFAULT:g} Gbps per AZ, NAT gateway "
                   f"{NAT_GBPS_DEFAULT:g} Gbps) and is capped at {HEADROOM_CAP:g}x the peak.",
                   "privatelink-quotas"),
        Assumption("hub-traffic", "In the centralised options all in-VPC traffic comes from "
                   "spokes and crosses the Transit Gateway or a peering connection; "
                   "on-premises traffic lands in the hub VPC.", "seed-s3-hub-spoke-cost"),
        Assumption("peering-az", "Over hub peering, "
                   + ("spokes use the endpoint ENI in their own AZ: no cross-AZ transfer "
                      "(peering_same_az)" if p.peering_same_az else
                      f"spoke workloads spread over {p.az_count} AZs pick any endpoint ENI, so "
                      f"{p.az_count - 1} in {p.az_count} GB cross AZs at "
                      f"${prices.value('peering_cross_az_gb'):g}/GB out and in "
                      "(peering_same_az = false)") + ".", "whitepaper-vpc-peering"),
        Assumption("tgw-attachments", "With an existing Transit Gateway the hub VPC is "
                   "already attached; without one, every VPC plus the hub is attached anew.",
                   "pricing-transit-gateway"),
        Assumption("phz", "Route 53 private hosted zone fees (a few USD per month) are left "
                   "out.", "pricing-route53"),
    ]
    if p.on_prem_access:
        items.append(Assumption(
            "on-prem-dns", "On-premises callers "
            + ("use the default S3 names through private DNS: an inbound Resolver endpoint of "
               f"{INBOUND_RESOLVER_ENIS} ENIs is costed wherever they use an interface "
               "endpoint (on_prem_dns = private-dns)" if p.on_prem_dns == "private-dns" else
               "use the interface endpoint's endpoint-specific DNS names: no Resolver "
               "endpoint is costed (on_prem_dns = endpoint-names; private-dns costs an "
               f"inbound Resolver endpoint of {INBOUND_RESOLVER_ENIS} ENIs)")
            + "; Resolver query fees are left out.", "route53-resolver-endpoints"))
    if p.cross_region_access:
        transfer = prices["inter_region_gb"]
        rate = transfer.to_region(p.other_region)
        which = (f"the price file's rate to {p.other_region}" if transfer.lists(p.other_region)
                 else "the price file's default for Regions it does not list")
        items.append(Assumption(
            "cross-region", f"Cross-Region access serves buckets in {p.other_region} from one "
            f"VPC. Inter-Region transfer is ${rate:g}/GB ({which}), charged at this Region's "
            "rate in both directions. The Resolver pattern (seed 909-935) costs an interface "
            f"endpoint there, priced at this Region's rates, and {RESOLVER_ENIS} Resolver ENIs "
            "(an outbound endpoint here, an inbound one there: the one-way minimum; seed 914 "
            "puts both in every VPC). The cross-Region interface endpoint needs neither.",
            "seed-cross-region-resolver"))
        if p.monthly_gb_cross_region == 0:
            items.append(Assumption(
                "cross-region-volume", "Cross-Region access is required but "
                "monthly_gb_cross_region is 0: its transfer and processing are not counted.",
                "seed-cross-region-resolver"))
    if p.on_prem_access and p.monthly_gb_on_prem == 0:
        items.append(Assumption(
            "on-prem-volume", "On-premises access is required but monthly_gb_on_prem is 0: "
            "its processing cost is not counted.", "seed-s3-single-vpc"))
    return tuple(items)


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "s3-endpoints")  # KeyError naming the known ids
    nodes: list[Node] = [Node("s3", "Amazon S3", "aws.storage.S3")]
    edges: list[Edge] = []
    clusters: list[Cluster] = [Cluster("region", f"Region {p.region}")]
    shown_vpcs = min(p.vpc_count, 3)
    spoke_ids = [f"vpc{i}" for i in range(1, shown_vpcs + 1)]
    more = f" (+{p.vpc_count - shown_vpcs} more)" if p.vpc_count > shown_vpcs else ""

    def vpc(i: int, vid: str) -> None:
        clusters.append(Cluster(vid, f"VPC {i}" + (more if i == shown_vpcs else ""),
                                "region"))
        nodes.append(Node(f"{vid}-app", "workloads", "aws.compute.EC2", vid))

    if option_id in _HUBS:
        clusters.append(Cluster("hub", "hub VPC", "region"))
        nodes.append(Node("hub-endpoint", f"S3 interface endpoint\n{p.az_count} AZs",
                          "aws.network.Endpoint", "hub"))
        nodes.append(Node("phz", "private hosted zone", "aws.network.Route53", "region"))
        if option_id == CENTRAL:
            nodes.append(Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region"))
        for i, vid in enumerate(spoke_ids, start=1):
            vpc(i, vid)
            if option_id == CENTRAL:
                edges.append(Edge(f"{vid}-app", "tgw"))
            else:
                edges.append(Edge(f"{vid}-app", "hub-endpoint", "peering"))
            edges.append(Edge("phz", f"{vid}-app", "DNS", "dashed"))
        if option_id == CENTRAL:
            edges.append(Edge("tgw", "hub-endpoint"))
        edges.append(Edge("hub-endpoint", "s3", "PrivateLink"))
        landing = "hub-endpoint"
    else:
        landing = ""
        for i, vid in enumerate(spoke_ids, start=1):
            vpc(i, vid)
            app = f"{vid}-app"
            if option_id in (GATEWAY, MIXED, PROXY, CROSS_REGION):
                nodes.append(Node(f"{vid}-gw", "gateway endpoint", "aws.network.Endpoint", vid))
                edges += [Edge(app, f"{vid}-gw", "route table"), Edge(f"{vid}-gw", "s3")]
            if option_id == INTERFACE:
                nodes.append(Node(f"{vid}-ie", f"interface endpoint\n{p.az_count} AZs",
                                  "aws.network.Endpoint", vid))
                edges += [Edge(app, f"{vid}-ie"), Edge(f"{vid}-ie", "s3", "PrivateLink")]
            if option_id == NAT:
                nodes.append(Node(f"{vid}-nat", f"NAT gateways\n{p.az_count} AZs",
                                  "aws.network.NATGateway", vid))
                edges += [Edge(app, f"{vid}-nat"), Edge(f"{vid}-nat", "s3", "public endpoint")]
        first = spoke_ids[0]
        if option_id in (MIXED, CROSS_REGION) and p.on_prem_access:
            nodes.append(Node("ext-ie", f"interface endpoint\n{p.az_count} AZs",
                              "aws.network.Endpoint", first))
            edges.append(Edge("ext-ie", "s3", "PrivateLink"))
            landing = "ext-ie"
        elif option_id == PROXY:
            nodes.append(Node("nlb", "Network Load Balancer", "aws.network.ElbNetworkLoadBalancer",
                              first))
            nodes.append(Node("proxies", f"proxy fleet\n{proxy_fleet_size(p)} instances",
                              "aws.compute.EC2", first))
            edges += [Edge("nlb", "proxies"), Edge("proxies", f"{first}-gw")]
            landing = "nlb"
        elif option_id == INTERFACE:
            landing = f"{first}-ie"
        elif option_id == NAT:
            landing = "s3"
    if p.on_prem_access and landing:
        nodes.append(Node("onprem", "on-premises", "onprem.client.Users"))
        nodes.append(Node("dx", "Direct Connect\nor VPN", "aws.network.DirectConnect"))
        edges += [Edge("onprem", "dx"), Edge("dx", landing)]
    if p.cross_region_access and option_id != NAT:
        clusters.append(Cluster("other-region", f"Region {p.other_region}"))
        nodes.append(Node("remote-s3", f"buckets in {p.other_region}", "aws.storage.S3",
                          "other-region"))
        source_node = ({CENTRAL: "tgw", HUB_PEERING: "hub-endpoint"}.get(option_id)
                       or f"{spoke_ids[0]}-app")
        # D23: the path the inter-Region traffic takes, not "peering" for a Transit Gateway
        cross_region_path = {CENTRAL: "TGW peering", HUB_PEERING: "VPC peering"}.get(
            option_id, "VPC or TGW peering" if p.transit_gateway else "VPC peering")
        if option_id == CROSS_REGION:
            nodes.append(Node("xr-ie", f"cross-Region interface endpoint\n{p.az_count} AZs",
                              "aws.network.Endpoint", spoke_ids[0]))
            edges += [Edge(f"{spoke_ids[0]}-app", "xr-ie"),
                      Edge("xr-ie", "remote-s3", "PrivateLink cross-Region")]
        elif option_id == PROXY:
            nodes.append(Node("remote-proxies", f"proxy fleet\n{proxy_fleet_size(p)} instances",
                              "aws.compute.EC2", "other-region"))
            nodes.append(Node("remote-gw", "gateway endpoint", "aws.network.Endpoint",
                              "other-region"))
            edges += [Edge(source_node, "remote-proxies", cross_region_path),
                      Edge("remote-proxies", "remote-gw"), Edge("remote-gw", "remote-s3")]
        elif option_id != GATEWAY:
            nodes.append(Node("resolver", "Route 53 Resolver\ninbound + outbound",
                              "aws.network.Route53", "other-region"))
            nodes.append(Node("remote-ie", "S3 interface endpoint", "aws.network.Endpoint",
                              "other-region"))
            edges += [Edge(source_node, "remote-ie", cross_region_path),
                      Edge("remote-ie", "remote-s3"),
                      Edge("resolver", "remote-ie", "DNS", "dashed")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


#: The opening paragraph of the decision's notebook (its line breaks are kept).
NOTEBOOK_INTRO = """\
Which VPC endpoint strategy should workloads, and callers on-premises or in other Regions,
use to reach Amazon S3? The options are checked against sourced rules, costed at the stated
prices, scored on weighted criteria and drawn below; every rule, price and judgement names
its source."""
def active_volumes(p: Params) -> tuple[str, ...]:
    """The volume parameters that drive costs: on-premises (cross-Region) GB cost nothing
    unless that access is required."""
    return (("monthly_gb_in_vpc",)
            + (("monthly_gb_on_prem",) if p.on_prem_access else ())
            + (("monthly_gb_cross_region",) if p.cross_region_access else ()))


# --- the requirements matrix: what the capacity, path and topology rules measure ---------


def _throughput_measured(p: Params, option_id: str) -> str:
    capacity = p.az_count * INTERFACE_GBPS_PER_AZ_MAX
    limit = f"limit {capacity:g} Gbps ({p.az_count} AZ x {INTERFACE_GBPS_PER_AZ_MAX:g} Gbps)"
    if option_id in _HUBS:
        return (f"peak {p.vpc_count * p.peak_gbps:g} Gbps through one hub endpoint "
                f"({count(p.vpc_count, 'VPC')} x {p.peak_gbps:g} Gbps), {limit}")
    return f"peak {p.peak_gbps:g} Gbps per VPC, {limit}"


def _private_path_measured(p: Params, option_id: str) -> str:
    return ("policy allows an internet path" if p.allow_internet_path
            else "policy requires a private path; NAT uses the public endpoint")


def _callers_measured(p: Params, option_id: str) -> str:
    needs = [w for w, on in (("on-premises", p.on_prem_access),
                             ("other Regions", p.cross_region_access)) if on]
    callers = ("callers from " + " and ".join(needs) if needs
               else "callers only in the VPCs themselves")
    serves = {GATEWAY: "a gateway endpoint serves its own VPC only",
              CROSS_REGION: "the option is for cross-Region callers"}.get(
        option_id, "the option is for on-premises or cross-Region callers")
    return f"{callers}; {serves}"


def _vpcs_measured(p: Params, option_id: str) -> str:
    return f"{count(p.vpc_count, 'VPC')}, at least 2 to centralise"


def _peering_measured(p: Params, option_id: str) -> str:
    return (f"{count(p.vpc_count, 'peering connection')}, limit {PEERING_PER_VPC_MAX} "
            "per VPC")


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("private-path", "Private path (no internet)", ("internet-path-not-allowed",),
                _private_path_measured),
    Requirement("throughput", "Peak throughput per endpoint",
                ("interface-throughput-per-az", "hub-throughput-per-az"), _throughput_measured),
    Requirement("callers", "Callers the option serves",
                ("gateway-same-vpc-only", "needs-external-callers",
                 "needs-cross-region-callers"), _callers_measured),
    Requirement("vpc-count", "Enough VPCs to centralise", ("centralise-needs-two-vpcs",),
                _vpcs_measured),
    Requirement("peering-quota", "Peering connections per VPC",
                ("peering-connections-per-vpc",), _peering_measured),
)


DECISION: Decision[Params] = Decision(
    id="s3-endpoints",
    title="Private access to Amazon S3: gateway or interface endpoints",
    question="How should workloads in the VPCs (and on-premises or in other Regions) reach "
             "Amazon S3 without crossing the internet, at the lowest cost and complexity?",
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
    volume_fields=("monthly_gb_in_vpc", "monthly_gb_on_prem", "monthly_gb_cross_region"),
    active_volumes=active_volumes,
    sources=("seed-s3-endpoint-cost", "seed-s3-access-pattern", "seed-s3-hub-spoke-cost"),
    notebook_intro=NOTEBOOK_INTRO,
    requirements=REQUIREMENTS,
)
