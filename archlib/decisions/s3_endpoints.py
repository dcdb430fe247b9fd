"""s3-endpoints: how workloads reach Amazon S3 privately.

Guidance: seed lines 941-971 ("Choosing your VPC endpoint strategy for Amazon S3"), 231-269
(S3 File Gateway over PrivateLink), 270-366 (centralised interface endpoints), 909-935
(cross-Region access with Route 53 Resolver); the S3 User Guide's endpoint comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from pydantic import Field

from .._decision import Decision
from .._model import (
    Action,
    Assumption,
    Cluster,
    Criterion,
    DecisionParams,
    DiagramSpec,
    Edge,
    Judgement,
    Node,
    Option,
    Rule,
)
from .._prices import PriceTable
from .._scoring import JUDGEMENT_REASON, CostScale, JudgementScale, SatisficingScale

__all__ = ["DECISION", "Params"]

GATEWAY = "gateway"
INTERFACE = "interface"
CENTRAL = "interface-centralized"
MIXED = "gateway-plus-interface"
PROXY = "gateway-proxy-fleet"
NAT = "nat-gateway"

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

    criterion_ids: ClassVar[tuple[str, ...]] = tuple(c.id for c in CRITERIA)

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
    peak_gbps: float = Field(1.0, gt=0, le=1000, description="Peak throughput to S3 per VPC "
                             "(Gbps).")
    east_west_firewall: bool = Field(False, description="Spoke-hub traffic is inspected by "
                                     "firewall appliances.")
    allow_internet_path: bool = Field(False, description="Policy allows S3 traffic through "
                                      "NAT and the internet.")
    proxy_count: int = Field(2, ge=1, le=100, description="Proxy instances in the proxy "
                             "fleet (one per AZ for availability).")
    proxy_instance_gbps: float = Field(
        0.75, gt=0, le=200,
        description="Sustained bandwidth of one proxy instance in Gbps (m5.large baseline; "
        "unverified).")


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
)

_EXTERNAL_ONLY = (MIXED, PROXY)


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
    Rule("centralise-needs-two-vpcs", "seed-s3-multi-vpc", (CENTRAL,), _centralise_needs_vpcs),
    Rule("interface-throughput-per-az", "privatelink-quotas", (INTERFACE,),
         _interface_capacity),
    Rule("hub-throughput-per-az", "privatelink-quotas", (CENTRAL,), _central_capacity),
    Rule("internet-path-not-allowed", "seed-s3-security-policy", (NAT,), _internet_forbidden),
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
    capacity = p.proxy_count * p.proxy_instance_gbps
    return (f"the proxy fleet ({p.proxy_count} x {p.proxy_instance_gbps:g} Gbps = "
            f"{capacity:g} Gbps) is yours to patch, scale and keep available, and can become "
            "the throughput bottleneck")


def _public_endpoint(p: Params) -> str | None:
    return ("traffic leaves the VPC for the public S3 endpoint; endpoint policies and "
            "aws:SourceVpce conditions cannot apply")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("interface-above-default-bandwidth", "privatelink-quotas", (INTERFACE,),
         _above_default),
    Rule("hub-above-default-bandwidth", "privatelink-quotas", (CENTRAL,), _hub_above_default),
    Rule("east-west-firewall-load", "seed-s3-multi-vpc", (CENTRAL,), _firewall_load),
    Rule("proxy-fleet-bottleneck", "seed-storage-gateway-proxy", (PROXY,), _proxy_bottleneck),
    Rule("public-endpoint", "seed-s3-security-policy", (NAT,), _public_endpoint),
)


# --- cost model (pure) -----------------------------------------------------------------------


def _cross_region_items(p: Params, prices: PriceTable) -> dict[str, float | None]:
    if not p.cross_region_access:
        return {}
    return {
        "interface endpoint in the other Region (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count),
        "Route 53 Resolver endpoints (ENI-hours)":
            prices.hourly("resolver_endpoint_eni_hour", RESOLVER_ENIS),
    }


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Traffic common to every option (Direct Connect or VPN
    ports, transfer out) is left out and listed as an assumption."""
    in_vpc, on_prem = p.monthly_gb_in_vpc, p.monthly_gb_on_prem
    external_gb = on_prem if p.on_prem_access else 0.0
    cross = _cross_region_items(p, prices)

    gateway: dict[str, float | None] = {
        "gateway endpoints": prices.hourly("gateway_endpoint_hour", p.vpc_count),
        "data through gateway endpoints": prices.per_gb("gateway_endpoint_gb", in_vpc),
    }
    interface: dict[str, float | None] = {
        "interface endpoints (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.vpc_count * p.az_count),
        "interface endpoint data processing":
            prices.per_gb("interface_endpoint_gb", in_vpc + external_gb),
        **cross,
    }
    # With a Transit Gateway already in place the hub's attachment exists too (assumption).
    attachments = 0 if p.transit_gateway else p.vpc_count + 1
    central: dict[str, float | None] = {
        "hub interface endpoint (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count),
        "interface endpoint data processing":
            prices.per_gb("interface_endpoint_gb", in_vpc + external_gb),
        "Transit Gateway processing of spoke traffic": prices.per_gb("tgw_gb", in_vpc),
        "Transit Gateway attachments (new hub)": prices.hourly("tgw_attachment_hour",
                                                               attachments),
        **cross,
    }
    mixed: dict[str, float | None] = {
        **gateway,
        "interface endpoint for external traffic (AZ-hours)":
            prices.hourly("interface_endpoint_az_hour", p.az_count if p.on_prem_access else 0),
        "interface endpoint data processing (external)":
            prices.per_gb("interface_endpoint_gb", external_gb),
        **cross,
    }
    # One fleet where on-premises traffic lands, one in the other Region for its buckets
    # (a gateway endpoint serves only its own Region).
    fleets = int(p.on_prem_access) + int(p.cross_region_access)
    proxy: dict[str, float | None] = {
        **gateway,
        # Read the (unverified) instance price only when a fleet exists, so it is cited only then.
        "proxy instances": (prices.hourly("proxy_instance_hour", fleets * p.proxy_count)
                            if fleets else 0.0),
    }
    nat: dict[str, float | None] = {
        "NAT gateways (one per AZ per VPC)":
            prices.hourly("nat_gateway_hour", p.vpc_count * p.az_count),
        "NAT gateway data processing": prices.per_gb("nat_gateway_gb", in_vpc),
    }
    return {GATEWAY: gateway, INTERFACE: interface, CENTRAL: central, MIXED: mixed,
            PROXY: proxy, NAT: nat}


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
        PROXY: _headroom(p.proxy_count * p.proxy_instance_gbps, p.peak_gbps),
        NAT: _headroom(p.az_count * NAT_GBPS_DEFAULT, p.peak_gbps),
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


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    steps: list[Action] = []
    gw = Action("Create an S3 gateway endpoint in each VPC and associate it with the route "
                "table of every subnet that reaches S3 (the prefix-list route is added for "
                "you).", "seed-s3-bandwidth")
    policy = Action("Attach an endpoint policy limiting which buckets and principals the "
                    "endpoint serves, and require the endpoint in bucket policies "
                    "(aws:SourceVpce).", "seed-s3-security-policy")
    if option_id in (GATEWAY, MIXED, PROXY):
        steps.append(gw)
    if option_id == INTERFACE:
        steps.append(Action(
            f"Create an S3 interface endpoint in each VPC with a subnet in each of "
            f"{p.az_count} AZs, and a security group allowing HTTPS from the workloads.",
            "seed-s3-bandwidth"))
    if option_id == CENTRAL:
        steps += [
            Action(f"Create the S3 interface endpoint in the hub VPC across {p.az_count} AZs.",
                   "seed-s3-multi-vpc"),
            Action("Create a Route 53 private hosted zone for the S3 service name with an "
                   "alias record to the endpoint, and associate it with every spoke VPC.",
                   "seed-centralised-endpoints"),
            Action("Route the spokes to the hub through the Transit Gateway"
                   + ("" if p.transit_gateway else " (create it and attach every VPC)") + ".",
                   "seed-centralised-endpoints"),
        ]
        if p.east_west_firewall:
            steps.append(Action("Size the east-west firewalls for the added S3 traffic.",
                                "seed-s3-multi-vpc"))
    if option_id == MIXED and p.on_prem_access:
        steps.append(Action(
            "Create one S3 interface endpoint in the VPC where Direct Connect or VPN lands, "
            "with private DNS only for inbound Resolver endpoints, and point on-premises DNS "
            "at it.", "seed-s3-single-vpc"))
    if option_id == PROXY:
        steps.append(Action(
            f"Run {p.proxy_count} proxy instances across AZs behind a load balancer; point "
            "external callers at them.", "seed-s3-proxies"))
    if option_id == NAT:
        steps.append(Action("Put a NAT gateway in each AZ and route 0.0.0.0/0 from private "
                            "subnets to it.", "pricing-vpc"))
    if p.cross_region_access and option_id in (INTERFACE, CENTRAL, MIXED):
        steps.append(Action(
            "For buckets in other Regions: an S3 interface endpoint and an inbound Route 53 "
            "Resolver endpoint there, an outbound Resolver endpoint here, and forwarding rules "
            "for <region>.amazonaws.com and <region>.vpce.amazonaws.com.",
            "seed-cross-region-resolver"))
    if option_id != NAT:
        steps.append(policy)
    return tuple(steps)


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items = [] if not _external(p) else [
        Assumption("proxy-bandwidth", f"Each proxy instance sustains "
                   f"{p.proxy_instance_gbps:g} Gbps (parameter proxy_instance_gbps; default "
                   "is the m5.large baseline, unverified).", "ec2-instance-network-bandwidth",
                   unverified=True),
    ]
    items += [
        Assumption("common-costs", "Direct Connect or VPN port hours and data transfer out "
                   "are the same for every option and left out.", "pricing-ec2-data-transfer"),
        Assumption("headroom", f"Throughput headroom uses default capacities (interface "
                   f"endpoint {INTERFACE_GBPS_PER_AZ_DEFAULT:g} Gbps per AZ, NAT gateway "
                   f"{NAT_GBPS_DEFAULT:g} Gbps) and is capped at {HEADROOM_CAP:g}x the peak.",
                   "privatelink-quotas"),
        Assumption("hub-traffic", "In the centralised option all in-VPC traffic comes from "
                   "spokes and crosses the Transit Gateway; on-premises traffic lands in the "
                   "hub VPC.", "seed-s3-hub-spoke-cost"),
        Assumption("tgw-attachments", "With an existing Transit Gateway the hub VPC is "
                   "already attached; without one, every VPC plus the hub is attached anew.",
                   "pricing-transit-gateway"),
        Assumption("phz", "Route 53 private hosted zone fees (a few USD per month) are left "
                   "out.", "pricing-route53"),
    ]
    if p.cross_region_access:
        items.append(Assumption(
            "cross-region", f"Cross-Region access serves one other Region with an interface "
            f"endpoint and {RESOLVER_ENIS} Resolver ENIs (an outbound endpoint here, an "
            "inbound one there); inter-Region transfer and Resolver query fees are the same "
            "for every option and left out.", "seed-cross-region-resolver"))
    if p.on_prem_access and p.monthly_gb_on_prem == 0:
        items.append(Assumption(
            "on-prem-volume", "On-premises access is required but monthly_gb_on_prem is 0: "
            "its processing cost is not counted.", "seed-s3-single-vpc"))
    return tuple(items)


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = DECISION.option(option_id)  # KeyError naming the known ids
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

    if option_id == CENTRAL:
        clusters.append(Cluster("hub", "hub VPC", "region"))
        nodes.append(Node("hub-endpoint", f"S3 interface endpoint\n{p.az_count} AZs",
                          "aws.network.Endpoint", "hub"))
        nodes.append(Node("phz", "private hosted zone", "aws.network.Route53", "region"))
        nodes.append(Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region"))
        for i, vid in enumerate(spoke_ids, start=1):
            vpc(i, vid)
            edges.append(Edge(f"{vid}-app", "tgw"))
            edges.append(Edge("phz", f"{vid}-app", "DNS", "dashed"))
        edges += [Edge("tgw", "hub-endpoint"), Edge("hub-endpoint", "s3", "PrivateLink")]
        landing = "hub-endpoint"
    else:
        landing = ""
        for i, vid in enumerate(spoke_ids, start=1):
            vpc(i, vid)
            app = f"{vid}-app"
            if option_id in (GATEWAY, MIXED, PROXY):
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
        if option_id == MIXED and p.on_prem_access:
            nodes.append(Node("ext-ie", f"interface endpoint\n{p.az_count} AZs",
                              "aws.network.Endpoint", first))
            edges.append(Edge("ext-ie", "s3", "PrivateLink"))
            landing = "ext-ie"
        elif option_id == PROXY:
            nodes.append(Node("proxies", f"proxy fleet\n{p.proxy_count} instances",
                              "aws.compute.EC2", first))
            edges.append(Edge("proxies", f"{first}-gw"))
            landing = "proxies"
        elif option_id == INTERFACE:
            landing = f"{first}-ie"
        elif option_id == NAT:
            landing = "s3"
    if p.on_prem_access and landing:
        nodes.append(Node("onprem", "on-premises", "onprem.client.Users"))
        nodes.append(Node("dx", "Direct Connect\nor VPN", "aws.network.DirectConnect"))
        edges += [Edge("onprem", "dx"), Edge("dx", landing)]
    if p.cross_region_access and option_id != NAT:
        clusters.append(Cluster("other-region", "other Region"))
        nodes.append(Node("remote-s3", "buckets in the other Region", "aws.storage.S3",
                          "other-region"))
        source_node = "tgw" if option_id == CENTRAL else f"{spoke_ids[0]}-app"
        if option_id == PROXY:
            nodes.append(Node("remote-proxies", f"proxy fleet\n{p.proxy_count} instances",
                              "aws.compute.EC2", "other-region"))
            nodes.append(Node("remote-gw", "gateway endpoint", "aws.network.Endpoint",
                              "other-region"))
            edges += [Edge(source_node, "remote-proxies", "peering"),
                      Edge("remote-proxies", "remote-gw"), Edge("remote-gw", "remote-s3")]
        elif option_id != GATEWAY:
            nodes.append(Node("resolver", "Route 53 Resolver\ninbound + outbound",
                              "aws.network.Route53", "other-region"))
            nodes.append(Node("remote-ie", "S3 interface endpoint", "aws.network.Endpoint",
                              "other-region"))
            edges += [Edge(source_node, "remote-ie", "peering"), Edge("remote-ie", "remote-s3"),
                      Edge("resolver", "remote-ie", "DNS", "dashed")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


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
    notebook="s3_endpoints.ipynb",
    volume_fields=("monthly_gb_in_vpc", "monthly_gb_on_prem"),
    # On-premises GB cost nothing unless on-premises access is required.
    active_volumes=lambda p: ("monthly_gb_in_vpc", "monthly_gb_on_prem") if p.on_prem_access
    else ("monthly_gb_in_vpc",),
    sources=("seed-s3-endpoint-cost", "seed-s3-access-pattern", "seed-s3-hub-spoke-cost"),
)
