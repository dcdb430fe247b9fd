"""quicksight-connectivity: which private network path connects QuickSight to Amazon RDS,
Amazon Redshift or a database on EC2 in another account, another Region, or both.

Guidance: seed lines 368-514 ("Amazon QuickSight deployment models for cross-account and
cross-Region access to Amazon Redshift and Amazon RDS"); the QuickSight user guide
(working-with-aws-vpc), Redshift-managed VPC endpoints (managing-cluster-cross-vpc), VPC sharing
(vpc-sharing), the VPC peering limitations and cross-Region PrivateLink.

The seed's summary table (lines 504-514) lost its cells in extraction: :func:`preference_table`
regenerates it by running this decision over a grid of parameters, and :func:`grid_html` shows
it (the notebook's "Reconstructed summary table").
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, get_args

from pydantic import Field

from archlib import views
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
    Sweep,
    SweepRow,
    find_option,
    sweep,
)

__all__ = [
    "COST_FIELDS",
    "CROSS_AZ_DIRECTIONS",
    "DATA_SOURCES",
    "DECISION",
    "EDITIONS",
    "GUIDANCE_FIELDS",
    "JUDGEMENTS",
    "OPTION_IDS",
    "REDSHIFT_ENDPOINT_ENIS",
    "REDSHIFT_ENDPOINT_PORTS",
    "RULE_FIELDS",
    "SEED_CONDITIONS",
    "SUMMARY_AXES",
    "Params",
    "Row",
    "grid_html",
    "preference_table",
    "summary_grid",
    "summary_table_html",
]

PEERING = "vpc-peering"
TGW = "transit-gateway"
REDSHIFT_ENDPOINT = "redshift-managed-endpoint"
SHARING = "vpc-sharing"
SELF_PRIVATELINK = "self-managed-privatelink"

Edition = Literal["enterprise", "standard"]
DataSource = Literal["redshift-ra3", "redshift-dc2", "rds", "ec2-database"]
DATA_SOURCES: tuple[DataSource, ...] = get_args(DataSource)
EDITIONS: tuple[Edition, ...] = get_args(Edition)

_SOURCE_LABEL: dict[str, str] = {
    "redshift-ra3": "Amazon Redshift RA3",
    "redshift-dc2": "Amazon Redshift DC2",
    "rds": "Amazon RDS",
    "ec2-database": "a database on Amazon EC2",
}

#: The ports a cluster reached through a Redshift-managed VPC endpoint may listen on
#: (source: redshift-managed-endpoints); Redshift's default port is 5439.
REDSHIFT_ENDPOINT_PORTS: tuple[range, ...] = (range(5431, 5456), range(8191, 8216))

#: Scoring: the monthly cost at which the cost criterion's value halves (README, "Scoring").
COST_MATERIALITY_USD = 25.0

#: Weights. The guidance's, 0.40: where it speaks (one organization and Region, a Transit
#: Gateway path) it must outweigh any cost gap between peering and Transit Gateway (review F4,
#: at any volume: within one AZ ID peering is free while Transit Gateway pays $0.02/GB, so the
#: gap between their cost values tends to the whole cost weight). On the fixed scales Transit
#: Gateway's edge is the 2-point guidance gap (3 against 1: 0.5) and one complexity point
#: (0.25), so it needs 0.5 w_guidance + 0.25 w_complexity > w_cost; with the other four at their
#: earlier ratios (0.30 : 0.35 : 0.20 : 0.15, sharing 1 - w_guidance) that is w_guidance > 1/3.
#: Everywhere else every option's fit is the same neutral 3, which moves no ranking. 0.40 clears
#: 1/3; the other four are 0.60 x (0.30, 0.35, 0.20, 0.15) = 0.18, 0.21, 0.12, 0.09.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.18,
              "Itemised monthly cost of the network path at the price file's prices.",
              "archlib-prices", scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"network paths cost $0 to about $40 a month: value halves at "
              f"${COST_MATERIALITY_USD:g}"),
    # Weighted above cost: a few dollars a month must not outweigh dashboards that silently
    # stop refreshing.
    Criterion("operational_risk", "Connectivity risk", "1-5 (5 = most)", "minimise", 0.21,
              "Risk that dashboards stop refreshing without any change on your side, e.g. a "
              "load balancer target pointing at a database IP that changed.",
              "seed-qs-self-managed-privatelink", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.12,
              "Moving parts to build and keep right in both accounts: connections, DNS, "
              "routes, security groups, load balancers.", "seed-qs-tgw", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("network_exposure", "Network exposure", "1-5 (5 = most)", "minimise", 0.09,
              "How much of each network the other side can reach: whole routed CIDRs, a "
              "shared subnet, or one service endpoint.", "blog-privatelink-cross-region",
              scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("guidance_fit", "Fit with the guidance", "1-5 (5 = best)", "maximise", 0.40,
              "How well the option matches the seed's advice for this situation: peering is "
              "suited to one organization only where there is no Transit Gateway attachment to "
              "the data source VPC (seed 409), so where there is one it fits least.",
              "seed-qs-peering", scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
)


class Params(DecisionParams):
    """Parameters of the QuickSight connectivity decision."""


    quicksight_edition: Edition = Field(
        "enterprise", description="QuickSight subscription edition: VPC connections need "
        "Enterprise.")
    same_organization: bool = Field(
        True, description="The QuickSight and data source accounts are in the same AWS "
        "Organizations organization.")
    same_region: bool = Field(
        True, description="The data source is in the QuickSight Region.")
    data_source: DataSource = Field(
        "rds", description="What QuickSight reads: Redshift RA3, Redshift DC2, RDS, or a "
        "database on EC2.")
    transit_gateway_available: bool = Field(
        False, description="A Transit Gateway (or peered transit gateways across Regions) "
        "already reaches the data source VPC.")
    peering_restricted: bool = Field(
        False, description="Network policy limits new VPC peering connections.")
    cidr_overlap: bool = Field(
        False, description="The QuickSight VPC CIDR overlaps the data source VPC CIDR.")
    quicksight_region: str = Field(
        "us-west-2", description="QuickSight's Region when same_region is false: inter-Region "
        "transfer out of the data source's Region (us-east-1) to it is priced by the pair.",
        pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", max_length=32)
    monthly_gb: float = Field(
        50.0, ge=0, le=100_000_000, description="GB per month QuickSight reads from the "
        "data source.")
    az_count: int = Field(
        2, ge=1, le=6, description="AZs with an endpoint ENI (QuickSight VPC connection "
        "subnets).")
    vpc_sharing_in_use: bool = Field(
        True, description="The organization shares VPC subnets across accounts (AWS RAM), so "
        "the data source VPC's subnets can be shared with the QuickSight account (seed 372).")
    same_az_id: bool = Field(
        False, description="QuickSight's VPC connection ENI, any endpoint ENI and the database "
        "sit in one AZ ID, so no GB crosses AZs (AZ names differ between accounts; AZ IDs do "
        "not). False: every GB crosses AZs once, charged to every same-Region option.")
    redshift_port: int = Field(
        5439, ge=1150, le=65535, description="The Redshift cluster's port (Redshift default "
        "5439); a Redshift-managed VPC endpoint needs 5431-5455 or 8191-8215.")


OPTIONS: tuple[Option, ...] = (
    Option(PEERING, "VPC peering",
           "A peering connection between the QuickSight VPC and the data source VPC, with DNS "
           "resolution, routes and security groups on both sides."),
    Option(TGW, "Transit Gateway",
           "The QuickSight VPC attached to the transit gateway that already reaches the data "
           "source VPC (or to one peered with it in the other Region)."),
    Option(REDSHIFT_ENDPOINT, "Redshift-managed VPC endpoint",
           "A Redshift-managed VPC endpoint (PrivateLink) in the QuickSight VPC, granted by "
           "the cluster's account."),
    Option(SHARING, "VPC sharing",
           "The data source VPC's subnets shared with the QuickSight account; QuickSight's "
           "VPC connection lives in a shared subnet."),
    Option(SELF_PRIVATELINK, "Self-managed PrivateLink",
           "An endpoint service on a Network Load Balancer whose IP target is the database; "
           "an interface endpoint in the QuickSight VPC."),
)
OPTION_IDS: tuple[str, ...] = tuple(o.id for o in OPTIONS)
_ROUTED = (PEERING, TGW)  # options that route between the two VPCs' CIDRs


# --- rules -----------------------------------------------------------------------------------


def _needs_enterprise(p: Params) -> str | None:
    if p.quicksight_edition == "enterprise":
        return None
    return ("QuickSight Standard edition cannot create a VPC connection, so there is no "
            "private path to the data source: upgrade the QuickSight account to Enterprise "
            "edition")


def _peering_restricted(p: Params) -> str | None:
    if not p.peering_restricted:
        return None
    return ("network policy limits new VPC peering connections (peering_restricted = true); "
            "new connections between VPCs go through the transit gateway")


def _cidrs_overlap(p: Params) -> str | None:
    if not p.cidr_overlap:
        return None
    return ("the QuickSight VPC CIDR overlaps the data source VPC CIDR: routed connections "
            "(peering, Transit Gateway) need distinct CIDRs; PrivateLink or VPC sharing do not")


def _tgw_organization(p: Params) -> str | None:
    if p.same_organization:
        return None
    return ("the Transit Gateway model works only when both accounts are in the same "
            "organization")


def _tgw_path(p: Params) -> str | None:
    if p.transit_gateway_available:
        return None
    where = ("a transit gateway attached to the data source VPC" if p.same_region else
             "peered transit gateways in both Regions")
    return f"no Transit Gateway path: the model needs {where} (transit_gateway_available)"


def _redshift_ra3(p: Params) -> str | None:
    if p.data_source == "redshift-ra3":
        return None
    if p.data_source == "redshift-dc2":
        return ("a Redshift-managed VPC endpoint needs RA3 node types, not DC2 (or DS2): "
                "resize the cluster to RA3 to use one")
    return (f"a Redshift-managed VPC endpoint reaches only Amazon Redshift RA3, not "
            f"{_SOURCE_LABEL[p.data_source]}")


def _redshift_region(p: Params) -> str | None:
    if p.same_region:
        return None
    return ("a Redshift-managed VPC endpoint connects VPCs in the cluster's own Region; the "
            "data source is in another Region")


def _sharing_organization(p: Params) -> str | None:
    if p.same_organization:
        return None
    return "subnets can be shared only with accounts in the same organization"


def _redshift_port(p: Params) -> str | None:
    if not p.data_source.startswith("redshift") or any(
            p.redshift_port in ports for ports in REDSHIFT_ENDPOINT_PORTS):
        return None
    return (f"a Redshift-managed VPC endpoint needs the cluster on a port in 5431-5455 or "
            f"8191-8215, not {p.redshift_port}: change the cluster's port to use one")


def _sharing_in_use(p: Params) -> str | None:
    if p.vpc_sharing_in_use:
        return None
    return ("the organization does not share VPC subnets across accounts (vpc_sharing_in_use "
            "= false): the seed's VPC sharing model applies where it does")


def _sharing_region(p: Params) -> str | None:
    if p.same_region:
        return None
    return ("a shared subnet stays in the data source's Region, but the QuickSight VPC "
            "connection must be in the QuickSight Region")


RULES: tuple[Rule[Params], ...] = (
    Rule("enterprise-edition-required", "seed-qs-enterprise", OPTION_IDS, _needs_enterprise),
    Rule("peering-restricted", "seed-qs-tgw", (PEERING,), _peering_restricted),
    Rule("no-overlapping-cidrs", "seed-qs-non-overlapping-cidr", _ROUTED, _cidrs_overlap),
    Rule("tgw-same-organization", "seed-qs-tgw", (TGW,), _tgw_organization),
    Rule("tgw-path-required", "seed-qs-tgw", (TGW,), _tgw_path),
    Rule("redshift-ra3-only", "seed-qs-redshift-endpoint", (REDSHIFT_ENDPOINT,),
         _redshift_ra3),
    Rule("redshift-endpoint-same-region", "redshift-managed-endpoints", (REDSHIFT_ENDPOINT,),
         _redshift_region),
    Rule("redshift-endpoint-port-range", "redshift-managed-endpoints", (REDSHIFT_ENDPOINT,),
         _redshift_port),
    Rule("sharing-same-organization", "vpc-sharing-guide", (SHARING,), _sharing_organization),
    Rule("sharing-same-region", "seed-qs-vpc-sharing", (SHARING,), _sharing_region),
    Rule("sharing-in-use", "seed-qs-vpc-sharing", (SHARING,), _sharing_in_use),
)


def _ip_may_change(p: Params) -> str | None:
    return (f"the Network Load Balancer targets the IP of {_SOURCE_LABEL[p.data_source]}'s "
            "network interface; when that IP changes (failover, maintenance, replacement) "
            "QuickSight cannot refresh dashboards until the target is updated by hand or by "
            "automation you build")


def _cross_region_privatelink(p: Params) -> str | None:
    if p.same_region:
        return None
    return ("cross-Region PrivateLink: the endpoint service must list the QuickSight Region "
            "as a supported Region, and only some Regions offer it")


def _peering_security_groups(p: Params) -> str | None:
    if p.same_region:
        return None
    return ("across Regions, security groups cannot reference the peer VPC's security "
            "group: allow the QuickSight subnet CIDR instead")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("database-ip-may-change", "seed-qs-self-managed-privatelink", (SELF_PRIVATELINK,),
         _ip_may_change),
    Rule("cross-region-privatelink", "blog-privatelink-cross-region", (SELF_PRIVATELINK,),
         _cross_region_privatelink),
    Rule("inter-region-security-groups", "seed-qs-peering", (PEERING,),
         _peering_security_groups),
)


# --- cost model (pure) -----------------------------------------------------------------------


#: Standard cross-AZ transfer is billed on the way out of one AZ and on the way into the other
#: (source: pricing-ec2-data-transfer).
CROSS_AZ_DIRECTIONS = 2
#: ENIs of a Redshift-managed VPC endpoint: "Amazon Redshift chooses a subnet that has IP
#: addresses available for the network interface associated with the endpoint" (source:
#: redshift-managed-endpoints), so one AZ-hour per hour, whatever az_count is.
REDSHIFT_ENDPOINT_ENIS = 1


def _cross_az(p: Params, prices: PriceTable) -> dict[str, float | None]:
    """The one cross-AZ hop between QuickSight's ENI and the database, the same for every
    option: none across Regions (inter-Region transfer is billed instead) or when
    ``same_az_id``."""
    if not p.same_region or p.same_az_id:
        return {}
    return {"cross-AZ transfer between QuickSight's AZ and the database's (out and in)":
            CROSS_AZ_DIRECTIONS * prices.per_gb("cross_az_gb", p.monthly_gb)}


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option, for the GB QuickSight reads. Costs every option pays
    alike (QuickSight itself, the database) are left out and listed as assumptions; the
    cross-AZ hop, which every option carries, is charged to every one of them."""
    gb = p.monthly_gb
    transfer: dict[str, float | None] = (
        _cross_az(p, prices) if p.same_region else
        {f"inter-Region transfer out of the data source Region to {p.quicksight_region}":
         prices.per_gb_to("inter_region_gb", p.quicksight_region, gb)})

    peering: dict[str, float | None] = {
        "peering connection (no hourly charge; transfer within one AZ ID is free)": 0.0,
        **transfer,
    }
    tgw: dict[str, float | None] = {
        "Transit Gateway attachment of the QuickSight VPC": prices.hourly(
            "tgw_attachment_hour", 1),
        "Transit Gateway data processing": prices.per_gb("tgw_gb", gb),
        **transfer,
    }
    redshift: dict[str, float | None] = {
        "Redshift-managed endpoint (one ENI: AZ-hours)": prices.hourly(
            "redshift_managed_endpoint_az_hour", REDSHIFT_ENDPOINT_ENIS),
        "Redshift-managed endpoint data processing": prices.per_gb(
            "redshift_managed_endpoint_gb", gb),
        **_cross_az(p, prices),  # same Region only (rule redshift-endpoint-same-region)
    }
    sharing: dict[str, float | None] = {
        "shared subnets (no peering, Transit Gateway or PrivateLink charge)": 0.0,
        **_cross_az(p, prices),  # same Region only (rule sharing-same-region)
    }
    privatelink: dict[str, float | None] = {
        "Network Load Balancer (hours)": prices.hourly("nlb_hour", 1),
        # For TCP one NLCU is 1 GB processed per hour; QuickSight's few connections make
        # bytes the dominant dimension, so NLCU-hours per month equal the GB read.
        "Network Load Balancer capacity units (NLCU-hours)": gb * prices.value("nlb_lcu_hour"),
        "interface endpoint (AZ-hours)": prices.hourly("interface_endpoint_az_hour",
                                                       p.az_count),
        "interface endpoint data processing": prices.per_gb("interface_endpoint_gb", gb),
        **transfer,
    }
    return {PEERING: peering, TGW: tgw, REDSHIFT_ENDPOINT: redshift, SHARING: sharing,
            SELF_PRIVATELINK: privatelink}


# --- criteria --------------------------------------------------------------------------------

_RISK: dict[str, Judgement] = {
    PEERING: Judgement(1, "routes to the whole data source VPC; the database's DNS name "
                          "follows it", "seed-qs-peering"),
    TGW: Judgement(1, "routes to the whole data source VPC through the hub; the database's "
                      "DNS name follows it", "seed-qs-tgw"),
    REDSHIFT_ENDPOINT: Judgement(1, "Redshift manages the endpoint and its targets",
                                 "redshift-managed-endpoints"),
    SHARING: Judgement(1, "QuickSight sits in the data source VPC itself",
                       "seed-qs-vpc-sharing"),
    SELF_PRIVATELINK: Judgement(5, "the load balancer's IP target breaks when the database "
                                   "ENI's IP changes: dashboards stop refreshing until it is "
                                   "updated", "seed-qs-self-managed-privatelink"),
}
_COMPLEXITY: dict[str, Judgement] = {
    PEERING: Judgement(3, "a peering connection, DNS resolution on both sides, routes and "
                          "security groups in both VPCs", "seed-qs-peering"),
    TGW: Judgement(2, "one attachment to an existing hub, a route table association, "
                      "security groups", "seed-qs-tgw"),
    REDSHIFT_ENDPOINT: Judgement(2, "a grant, one endpoint and security groups",
                                 "seed-qs-redshift-endpoint"),
    SHARING: Judgement(1, "share subnets; no routes, no extra VPC connection to run",
                       "seed-qs-vpc-sharing"),
    SELF_PRIVATELINK: Judgement(4, "a load balancer, an endpoint service, an endpoint, and "
                                   "keeping the target IP current",
                                "seed-qs-self-managed-privatelink"),
}
_EXPOSURE: dict[str, Judgement] = {
    PEERING: Judgement(4, "both VPCs' CIDRs are routed to each other; security groups are "
                          "the only filter", "vpc-peering-limitations"),
    TGW: Judgement(4, "the QuickSight VPC joins the data source's Transit Gateway route "
                      "table", "tgw-vpc-attachments"),
    REDSHIFT_ENDPOINT: Judgement(1, "only the cluster's endpoint is reachable; no routes "
                                    "between the VPCs", "redshift-managed-endpoints"),
    SHARING: Judgement(3, "QuickSight's ENI sits in the data source VPC; participants cannot "
                          "see or change each other's resources", "seed-qs-vpc-sharing"),
    SELF_PRIVATELINK: Judgement(1, "only the load balancer's listener is reachable; no "
                                   "routes between the VPCs", "privatelink-endpoint-services"),
}


#: criterion id -> option -> judgement; fixed by the sources, the same for every parameter set
#: (guidance_fit, which reads GUIDANCE_FIELDS, is the one judgement that is not)
JUDGEMENTS: dict[str, dict[str, Judgement]] = {
    "operational_risk": _RISK,
    "operational_complexity": _COMPLEXITY,
    "network_exposure": _EXPOSURE,
}


#: The parameters guidance_fit reads (the other judgements read none).
GUIDANCE_FIELDS: tuple[str, ...] = ("same_organization", "same_region",
                                    "transit_gateway_available")


def _guidance_fit(p: Params, option_id: str) -> Judgement:
    """Neutral 3; where the seed's condition for peering fails, peering 1. Seed 409 suits
    peering to accounts "in the same organization but [with] no AWS Transit Gateway
    attachment to the data source VPC": with a Transit Gateway path in one organization and
    Region, peering is outside the situations the seed suits it to, and the Transit Gateway
    the seed describes for that organization and Region (seed 438-440) is preferred. Only
    peering moves, so the signal ranks peering below Transit Gateway without lifting Transit
    Gateway over VPC sharing or the Redshift-managed endpoint. Across Regions seed 409 suits
    peering too: no signal."""
    if (option_id == PEERING and p.same_organization and p.same_region
            and p.transit_gateway_available):
        return Judgement(1, "neutral 3, -2: a Transit Gateway attachment already reaches the "
                            "data source VPC in the same organization and Region, and seed 409 "
                            "suits peering there only without one: 1", "seed-qs-peering")
    if option_id == TGW and p.same_organization and p.same_region and p.transit_gateway_available:
        return Judgement(3, "neutral 3: the Transit Gateway path the seed describes for one "
                            "organization and Region (seed 438-440); peering, which seed 409 "
                            "does not suit here, fits less", "seed-qs-tgw")
    return Judgement(3, "neutral 3: no signal from the guidance applies to this option",
                     "seed-qs-peering")


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    return {
        o: {"monthly_cost": monthly[o], **{c: by_option[o] for c, by_option in JUDGEMENTS.items()},
            "guidance_fit": _guidance_fit(p, o)}
        for o in OPTION_IDS
    }


# --- actions, assumptions, diagrams ----------------------------------------------------------


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    """What to configure for ``option_id``, in order, from the seed's walkthrough."""
    steps: list[Action] = []
    subnets = f"one subnet in each of {p.az_count} AZ{'s' if p.az_count > 1 else ''}"
    if option_id != SHARING:
        cidr = (" whose CIDR differs from the data source VPC's" if option_id in _ROUTED
                else "")
        steps.append(Action(
            f"In the QuickSight account and Region, create a VPC{cidr} with {subnets}, a "
            "security group and a route table associated with the subnets.",
            "seed-qs-vpc-connection"))
    if option_id == PEERING:
        peer_sg = ("reference the other VPC's security group" if p.same_region
                   else "allow the QuickSight subnet CIDR (security group references do not "
                        "cross Regions)")
        steps += [
            Action("Create the VPC peering connection from one account and accept it in the "
                   "other.", "seed-qs-peering"),
            Action("Enable DNS resolution from the remote VPC on both the requester and the "
                   "accepter side of the peering connection, and DNS resolution in both VPCs, "
                   "so QuickSight resolves the database's hostname.", "seed-qs-peering"),
            Action("Add routes in both VPCs: the QuickSight subnets' route table to the data "
                   "source VPC CIDR and the data source subnets' route table to the QuickSight "
                   "VPC CIDR, both via the peering connection.", "seed-qs-peering"),
            Action(f"Allow the traffic in the security groups on both sides: {peer_sg}.",
                   "seed-qs-peering"),
        ]
    elif option_id == TGW:
        hub = ("the shared transit gateway" if p.same_region else
               "the transit gateway in the QuickSight Region, which is peered with the one "
               "attached to the data source VPC")
        steps += [
            Action(f"Attach the QuickSight VPC to {hub} with DNS support enabled, and accept "
                   "the attachment in the transit gateway's account.", "seed-qs-tgw"),
            Action("Associate the QuickSight attachment with the Transit Gateway route table "
                   "the data source VPC's attachment uses.", "seed-qs-tgw"),
            Action("Route the QuickSight subnets to the data source VPC CIDR (and the data "
                   "source subnets back) through the transit gateway.", "tgw-vpc-attachments"),
            Action("Allow the traffic in the security groups on both sides (the data source's "
                   "allows the QuickSight subnet CIDR).", "seed-qs-tgw"),
        ]
    elif option_id == REDSHIFT_ENDPOINT:
        steps += [
            Action(f"In the cluster's account, make sure the RA3 cluster has cluster relocation "
                   f"turned on and listens on a port in 5431-5455 or 8191-8215 (now "
                   f"{p.redshift_port}); a Redshift-managed VPC endpoint needs both.",
                   "redshift-managed-endpoints"),
            Action("In the cluster's account, grant the QuickSight account (and its VPC) "
                   "access to create a Redshift-managed VPC endpoint.",
                   "redshift-managed-endpoints"),
            Action("In the QuickSight account, create a cluster subnet group in the QuickSight "
                   "VPC (the endpoint needs one), then the Redshift-managed VPC endpoint with a "
                   "security group: Redshift puts its one network interface in a subnet of "
                   "the group that has free IP addresses.", "redshift-managed-endpoints"),
            Action("Allow the traffic in the security groups of QuickSight and of the "
                   "endpoint (the Redshift port from the QuickSight subnet CIDR).",
                   "seed-qs-redshift-endpoint"),
        ]
    elif option_id == SHARING:
        steps += [
            Action("In the data source VPC's account, share its subnets with the QuickSight "
                   "account through AWS RAM (sharing with the organization enabled).",
                   "vpc-sharing-guide"),
            Action("In the QuickSight account, create a security group in the shared VPC and "
                   "allow it in the data source's security group.", "seed-qs-vpc-sharing"),
        ]
    elif option_id == SELF_PRIVATELINK:
        steps += [
            Action("In the data source account, create an internal Network Load Balancer with "
                   f"a TCP listener and an IP target group holding {_SOURCE_LABEL[p.data_source]}"
                   "'s private IP and port.", "seed-qs-self-managed-privatelink"),
            Action("Create a VPC endpoint service on the load balancer, allow the QuickSight "
                   "account as a principal and accept its endpoint connection."
                   + ("" if p.same_region else " Add the QuickSight Region to the service's "
                      "supported Regions."), "privatelink-endpoint-services"),
            Action(f"In the QuickSight account, create an interface endpoint for the service "
                   f"({subnets}) with a security group allowing the database port.",
                   "privatelink-endpoint-services"),
            Action("Watch the database's IP (failover and maintenance events) and update the "
                   "target group when it changes, or dashboards stop refreshing.",
                   "seed-qs-self-managed-privatelink"),
        ]
    subnet_kind = "the shared subnets" if option_id == SHARING else "the QuickSight subnets"
    steps += [
        Action(f"In QuickSight (Manage QuickSight > Manage VPC connections), add a VPC "
               f"connection in {subnet_kind} with its security group; leave DNS resolver "
               "endpoints empty unless the VPC uses private DNS.", "seed-qs-vpc-connection"),
        Action("Add the dataset with the engine's manual connect (not RDS or Redshift "
               "auto-discover), choose the VPC connection and validate it.", "seed-qs-connect"),
    ]
    return tuple(steps)


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items: list[Assumption] = []
    if p.quicksight_edition == "standard":
        items.append(Assumption(
            "standard-edition", "QuickSight Standard edition cannot use VPC connections: every "
            "option is ruled out. Upgrade the QuickSight account to Enterprise edition to "
            "connect privately.", "seed-qs-enterprise"))
    items += [
        Assumption("read-volume", f"monthly_gb ({p.monthly_gb:g} GB) is the data QuickSight "
                   "reads from the database; queries sent the other way are small and not "
                   "counted.", "seed-qs-connect"),
        Assumption("common-costs", "QuickSight and the database cost the same under every "
                   "option and are left out (VPCs, subnets and security groups are free).",
                   "archlib-prices"),
    ]
    if p.same_region and p.same_az_id:
        items.append(Assumption(
            "same-az-id", "same_az_id: QuickSight's VPC connection ENI, any endpoint ENI and "
            "the database sit in one AZ ID, so no option pays cross-AZ transfer (free within an "
            "AZ ID whichever account owns the resources). Compare AZ IDs, not AZ names: names "
            "map to different AZs in each account.", "vpc-sharing-guide"))
    elif p.same_region:
        rate = CROSS_AZ_DIRECTIONS * prices.value("cross_az_gb")
        items += [
            Assumption(
                "cross-az", f"Every GB QuickSight reads crosses AZs once (same_az_id = false, "
                f"the worst case: AZ names map to different AZ IDs in each account), billed "
                f"${prices.value('cross_az_gb'):g}/GB out and in = ${rate:g}/GB, charged alike "
                "to every option: over peering and in a shared VPC AWS bills it (the "
                "participant pays inter-AZ transfer). Set same_az_id when they share one AZ "
                "ID.", "pricing-ec2-data-transfer"),
            Assumption(
                "cross-az-metered-paths", "Transit Gateway and the PrivateLink endpoints bill "
                "their own per-GB processing; their pricing pages do not say whether inter-AZ "
                "transfer is billed on top, so it is charged as on every other path (the same "
                "amount for every option, so it never decides between them).",
                "pricing-transit-gateway", unverified=True),
        ]
    else:
        items.append(Assumption(
            "inter-region", "Inter-Region transfer is billed once, on the GB leaving the data "
            "source Region, at the price file's US rate, for peering, peered transit gateways "
            "and cross-Region PrivateLink alike; no cross-AZ transfer is added across Regions "
            "(AZ IDs do not match between Regions).", "pricing-ec2-data-transfer"))
    items += [
        Assumption("tgw-attachments", "Transit Gateway: one new attachment (the QuickSight "
                   "VPC); the data source VPC's attachment and any transit gateway peering "
                   "already exist (transit_gateway_available) and are not counted.",
                   "pricing-transit-gateway"),
        Assumption("nlcu", "Self-managed PrivateLink: one Network Load Balancer; for TCP one "
                   "NLCU is 1 GB processed per hour and QuickSight opens few connections, so "
                   "NLCU-hours per month equal monthly_gb.", "pricing-elb"),
        Assumption("redshift-endpoint-rates", "A Redshift-managed VPC endpoint is billed at "
                   "AWS PrivateLink prices (the Redshift guide's pricing pointer): one "
                   "network interface, which Redshift places in one subnet of the subnet group, "
                   "so one AZ-hour per hour whatever az_count is, plus the per-GB tiers.",
                   "redshift-endpoint-pricing"),
        Assumption("judgements", "Connectivity risk, complexity, exposure and fit with the "
                   "guidance are 1-5 judgements from the sources; each names its reason in the "
                   "criteria table.",
                   "archlib-scoring"),
    ]
    return tuple(items)


def _database_node(p: Params, cluster: str) -> Node:
    kind = {"redshift-ra3": "aws.analytics.Redshift", "redshift-dc2": "aws.analytics.Redshift",
            "rds": "aws.database.RDS", "ec2-database": "aws.compute.EC2"}[p.data_source]
    label = {"redshift-ra3": "Redshift RA3", "redshift-dc2": "Redshift DC2", "rds": "RDS",
             "ec2-database": "database on EC2"}[p.data_source]
    return Node("db", label, kind, cluster)


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "quicksight-connectivity")  # KeyError: known ids
    org = "same organization" if p.same_organization else "another organization"
    ds_region = "QuickSight Region" if p.same_region else "another Region"
    clusters = [
        Cluster("qs-account", "QuickSight account (QuickSight Region)"),
        Cluster("ds-account", f"data source account ({org}, {ds_region})"),
        Cluster("ds-vpc", "data source VPC", "ds-account"),
    ]
    nodes = [Node("quicksight", "QuickSight\n" + p.quicksight_edition + " edition",
                  "aws.analytics.Quicksight", "qs-account"),
             _database_node(p, "ds-vpc")]
    edges: list[Edge] = []
    if option_id == SHARING:
        clusters.append(Cluster("shared", "subnets shared through AWS RAM", "ds-vpc"))
        nodes.append(Node("eni", "QuickSight VPC\nconnection ENI",
                          "aws.network.VPCElasticNetworkInterface", "shared"))
        nodes.append(Node("ram", "AWS RAM share", "aws.security.ResourceAccessManager",
                          "ds-account"))
        edges += [Edge("quicksight", "eni"), Edge("eni", "db"),
                  Edge("ram", "eni", "shares subnet", "dashed")]
        return DiagramSpec(option.title, tuple(nodes), tuple(edges), tuple(clusters))
    clusters.append(Cluster("qs-vpc", "QuickSight VPC", "qs-account"))
    nodes.append(Node("eni", "VPC connection ENI\n" + f"{p.az_count} AZ subnets",
                      "aws.network.VPCElasticNetworkInterface", "qs-vpc"))
    edges.append(Edge("quicksight", "eni"))
    if option_id == PEERING:
        nodes.append(Node("pcx", "VPC peering\n" + ("same Region" if p.same_region
                                                     else "inter-Region"),
                          "aws.network.VPCPeering"))
        edges += [Edge("eni", "pcx", "routes + DNS"), Edge("pcx", "db", "routes + DNS")]
    elif option_id == TGW:
        if p.same_region:
            nodes.append(Node("tgw", "Transit Gateway", "aws.network.TransitGateway"))
            edges += [Edge("eni", "tgw", "attachment"), Edge("tgw", "db", "attachment")]
        else:
            nodes.append(Node("tgw", "Transit Gateway\n(QuickSight Region)",
                              "aws.network.TransitGateway", "qs-account"))
            nodes.append(Node("tgw-peer", "Transit Gateway\n(data source Region)",
                              "aws.network.TransitGateway", "ds-account"))
            edges += [Edge("eni", "tgw", "attachment"), Edge("tgw", "tgw-peer", "peering"),
                      Edge("tgw-peer", "db", "attachment")]
    elif option_id == REDSHIFT_ENDPOINT:
        nodes.append(Node("endpoint", "Redshift-managed\nVPC endpoint (1 ENI)",
                          "aws.network.Endpoint", "qs-vpc"))
        edges += [Edge("eni", "endpoint"), Edge("endpoint", "db", "PrivateLink (granted)")]
    elif option_id == SELF_PRIVATELINK:
        nodes.append(Node("endpoint", "interface endpoint", "aws.network.Endpoint", "qs-vpc"))
        nodes.append(Node("nlb", "Network Load Balancer\nendpoint service",
                          "aws.network.ElbNetworkLoadBalancer", "ds-vpc"))
        edges += [Edge("eni", "endpoint"),
                  Edge("endpoint", "nlb", "PrivateLink" + ("" if p.same_region
                                                           else " (cross-Region)")),
                  Edge("nlb", "db", "IP target: breaks if the IP changes", "dashed")]
    return DiagramSpec(option.title, tuple(nodes), tuple(edges), tuple(clusters))


#: The opening paragraph of the decision's notebook (its line breaks are kept).
NOTEBOOK_INTRO = """\
Which private network path should connect Amazon QuickSight to its data source (Amazon RDS,
Amazon Redshift or a database on EC2) in another account, another Region, or both? The
options are checked against sourced rules, costed at the stated prices, scored on weighted
criteria and drawn below; every rule, price and judgement names its source."""

#: What the reconstructed summary table shows (its notebook section's text).
SUMMARY_DESCRIPTION = """\
The summary table of "Amazon QuickSight deployment models for cross-account and cross-Region
access" (organization x Region x data source -> preferred model) did not survive in the
guidance this workbook was built from. Each cell below is this decision run for that combination,
with the account facts the seed's advice turns on as rows (VPC sharing in use, a Transit
Gateway path, CIDR overlap); the one surviving cell of the original is marked for comparison."""


# --- the reconstructed summary table ---------------------------------------------------------

#: The seed table's axes (organization x Region x data source) plus the account facts the
#: seed's advice turns on: VPC sharing in use (seed 372), a Transit Gateway path (seed 409,
#: 440), and CIDR overlap, which moves the answer from routed paths to PrivateLink.
SUMMARY_AXES: dict[str, tuple[Any, ...]] = {
    "same_organization": (True, False),
    "vpc_sharing_in_use": (True, False),
    "transit_gateway_available": (False, True),
    "cidr_overlap": (False, True),
    "same_region": (True, False),
    "data_source": DATA_SOURCES,
}
#: The conditions of the seed's walkthrough (Enterprise edition, seed 370; peering allowed,
#: seed 409).
SEED_CONDITIONS: dict[str, Any] = {
    "quicksight_edition": "enterprise",
    "peering_restricted": False,
}


#: The parameters the rules read, and those the cost model reads; the judgement criteria read
#: none (:data:`JUDGEMENTS`) but guidance_fit, which reads :data:`GUIDANCE_FIELDS` (a subset of
#: the rules'). A grid cell's answer depends on nothing else, so cells sharing them share work
#: (tests/decisions/test_quicksight.py checks these lists against the models).
RULE_FIELDS: tuple[str, ...] = (
    "quicksight_edition", "same_organization", "same_region", "data_source",
    "transit_gateway_available", "peering_restricted", "cidr_overlap", "vpc_sharing_in_use",
    "redshift_port")
COST_FIELDS: tuple[str, ...] = ("same_region", "monthly_gb", "az_count", "same_az_id",
                                "quicksight_region")
_AXIS_LABELS: dict[str, dict[Any, str]] = {
    "same_organization": {True: "same organization", False: "different organizations"},
    "same_region": {True: "Same Region", False: "Different Region"},
    "data_source": {"redshift-ra3": "Redshift RA3", "redshift-dc2": "Redshift DC2",
                    "rds": "RDS", "ec2-database": "database on EC2"},
    "cidr_overlap": {False: "distinct CIDRs", True: "overlapping CIDRs"},
    "transit_gateway_available": {True: "Transit Gateway path", False: "no Transit Gateway"},
    "peering_restricted": {True: "peering restricted", False: "peering allowed"},
    "quicksight_edition": {"enterprise": "Enterprise edition", "standard": "Standard edition"},
    "vpc_sharing_in_use": {True: "VPC sharing in use", False: "no VPC sharing"},
    "same_az_id": {True: "one AZ ID", False: "across AZs"},
}
_AXIS_TITLES = {"same_organization": "accounts", "cidr_overlap": "VPC CIDRs",
                "transit_gateway_available": "Transit Gateway", "quicksight_edition": "edition",
                "peering_restricted": "peering", "same_region": "Region",
                "data_source": "data source", "vpc_sharing_in_use": "VPC sharing",
                "same_az_id": "AZ placement"}
#: The one cell of the seed's table that survived extraction (seed 513-514), under the
#: walkthrough's conditions: sharing in use (its "or VPC sharing", seed 372), no Transit Gateway.
_SEED_CELL = {"same_organization": True, "same_region": True, "data_source": "redshift-ra3",
              "cidr_overlap": False, "quicksight_edition": "enterprise",
              "vpc_sharing_in_use": True, "transit_gateway_available": False}
_SEED_TEXT = "Amazon Redshift managed VPC endpoint or VPC sharing"




def _summary_caption(params: Params) -> str:
    placement = ("one AZ ID (no cross-AZ transfer)" if params.same_az_id
                 else "every GB crossing AZs")
    return (f"Preferred option per cell under the seed walkthrough's conditions (Enterprise "
            f"edition, peering allowed) at {params.monthly_gb:g} GB/month, "
            f"{params.az_count} AZ(s), {placement}, Redshift port {params.redshift_port}, "
            "this scenario's weights and prices; the smaller name is the runner-up.")


#: The seed's summary table, reconstructed (an extra output): :data:`SUMMARY_AXES` under the
#: walkthrough's conditions (:data:`SEED_CONDITIONS`), with the scenario's volume, AZs,
#: weights and prices.
SUMMARY_TABLE = Sweep(
    id="summary-table",
    title="Reconstructed summary table",
    axes=SUMMARY_AXES,
    description=SUMMARY_DESCRIPTION,
    conditions=SEED_CONDITIONS,
    column_axes=("same_region", "data_source"),
    value_labels=_AXIS_LABELS,
    axis_titles=_AXIS_TITLES,
    caption=_summary_caption,
    highlight=_SEED_CELL,
    highlight_note_html=("The post's only surviving cell: "
                         f"&ldquo;{html.escape(_SEED_TEXT)}&rdquo;."),
    rule_fields=RULE_FIELDS,
    cost_fields=COST_FIELDS,
    criteria_fields=GUIDANCE_FIELDS,
)

# --- the requirements matrix: what the edition, network and data source rules check -------


def _edition_measured(p: Params, option_id: str) -> str:
    return f"{p.quicksight_edition.capitalize()} edition; a VPC connection needs Enterprise"


def _cidr_measured(p: Params, option_id: str) -> str:
    overlap = "CIDRs overlap" if p.cidr_overlap else "CIDRs do not overlap"
    return f"{overlap}; a routed path needs distinct CIDRs"


def _organization_measured(p: Params, option_id: str) -> str:
    same = "same organization" if p.same_organization else "different organizations"
    return f"accounts in {same}; the option needs one organization"


def _region_measured(p: Params, option_id: str) -> str:
    where = ("data source in the QuickSight Region" if p.same_region
             else f"data source in another Region than QuickSight ({p.quicksight_region})")
    return f"{where}; the option needs one Region"


def _source_measured(p: Params, option_id: str) -> str:
    return f"data source {_SOURCE_LABEL[p.data_source]}; the endpoint needs Redshift RA3"


def _port_measured(p: Params, option_id: str) -> str:
    return f"cluster port {p.redshift_port}; the endpoint needs 5431-5455 or 8191-8215"


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("edition", "QuickSight edition", ("enterprise-edition-required",),
                _edition_measured),
    Requirement("cidr-overlap", "Non-overlapping CIDRs", ("no-overlapping-cidrs",),
                _cidr_measured),
    Requirement("organization", "Accounts in one organization",
                ("tgw-same-organization", "sharing-same-organization"), _organization_measured),
    Requirement("region", "Data source in the QuickSight Region",
                ("redshift-endpoint-same-region", "sharing-same-region"), _region_measured),
    Requirement("data-source", "Data source engine", ("redshift-ra3-only",), _source_measured),
    Requirement("redshift-port", "Redshift port range", ("redshift-endpoint-port-range",),
                _port_measured),
)


DECISION: Decision[Params] = Decision(
    id="quicksight-connectivity",
    title="QuickSight to RDS or Redshift in another account or Region",
    question="Which private network path should connect Amazon QuickSight to its data source "
             "(Amazon RDS, Amazon Redshift or a database on EC2) in another account, another "
             "Region, or both?",
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
    volume_fields=("monthly_gb",),
    sources=("seed-qs-vpc-connection", "seed-qs-summary-table", "quicksight-vpc"),
    extra_outputs=(SUMMARY_TABLE,),
    notebook_intro=NOTEBOOK_INTRO,
    requirements=REQUIREMENTS,
)



#: One cell of the grid (the engine's :class:`~archlib.authoring.SweepRow`).
Row = SweepRow


def preference_table(
    params: Params | Mapping[str, Any] | None = None,
    axes: Mapping[str, Sequence[Any]] | None = None,
    *,
    prices: PriceTable | Mapping[str, Any] | None = None,
) -> tuple[Row, ...]:
    """Run the decision over a grid and return the preferred option per cell: the engine's
    :func:`~archlib.authoring.sweep` over ``axes`` (default :data:`SUMMARY_AXES`), every
    other parameter from ``params`` (default: the defaults), cells sharing work by
    :data:`RULE_FIELDS`, :data:`COST_FIELDS` and :data:`GUIDANCE_FIELDS`."""
    return sweep(DECISION, params, dict(SUMMARY_AXES if axes is None else axes),
                 prices=prices, rule_fields=RULE_FIELDS, cost_fields=COST_FIELDS,
                 criteria_fields=GUIDANCE_FIELDS, where="preference table")


def summary_grid(params: Params, prices: PriceTable | None = None) -> tuple[Row, ...]:
    """The seed's summary table, reconstructed (:data:`SUMMARY_TABLE`'s cells)."""
    return SUMMARY_TABLE.rows(DECISION, params, prices)


def grid_html(rows: Sequence[Row],
              column_axes: Sequence[str] = ("same_region", "data_source"),
              caption: str = "") -> str:
    """Cells of this decision's grid as an HTML table (:func:`archlib.views.grid_html` with
    :data:`SUMMARY_TABLE`'s labels)."""
    spec = replace(SUMMARY_TABLE, column_axes=tuple(column_axes))
    return views.grid_html(rows, spec, {o.id: o.title for o in OPTIONS}, caption=caption)


def summary_table_html(params: Params, prices: PriceTable | None = None) -> str:
    """The reconstructed summary table for the notebook and report, with its caption."""
    return grid_html(summary_grid(params, prices), caption=_summary_caption(params))
