"""egress-inspection: where internet egress and packet inspection should live in a multi-VPC
estate.

Guidance: seed lines 270-367 ("Field Notes: How to Scale Your Networks on Amazon Web
Services": routing domains 286-303, centralisation 320-322 and 364-365, the security-egress
VPC 333-357) and 654-703 (more-specific routing to inspect traffic between subnets); the
multi-VPC whitepaper's centralized egress and "Using a NAT gateway with AWS Network Firewall"
pages; the Network Firewall guide on appliance mode; the Transit Gateway guide and quotas; NAT
gateway basics. shared/DOMAIN-NEXT.md section 5 is the brief this module follows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import Field

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
    LinearScale,
    Node,
    Option,
    PriceTable,
    Requirement,
    Rule,
    find_option,
)
from archlib.formatting import count

__all__ = ["DECISION", "Params", "appliance_count", "break_even_gb", "break_even_vpcs",
           "licence_break_even", "new_attachments"]

NAT_PER_VPC = "nat-per-vpc"
CENTRAL_NAT = "central-nat"
CENTRAL_GWLB = "central-gwlb-firewall"
CENTRAL_NFW = "central-network-firewall"
DISTRIBUTED_NFW = "distributed-network-firewall"
_CENTRAL = (CENTRAL_NAT, CENTRAL_GWLB, CENTRAL_NFW)
_PER_VPC = (NAT_PER_VPC, DISTRIBUTED_NFW)
_NAT_ONLY = (NAT_PER_VPC, CENTRAL_NAT)
_NETWORK_FIREWALL = (CENTRAL_NFW, DISTRIBUTED_NFW)

#: Transit Gateway: up to 100 Gbps per AZ per VPC attachment (quotas); the seed's figure is
#: 50 Gbps per attachment (seed 288). A Network Firewall endpoint handles about 100 Gbps
#: (whitepaper), a NAT gateway scales to 100 Gbps (nat-gateway-basics): 100 Gbps per AZ for
#: every egress path.
PATH_GBPS_PER_AZ = 100.0
SEED_ATTACHMENT_GBPS = 50.0
#: NAT gateway: 5 Gbps, scaling automatically to 100 Gbps (nat-gateway-basics).
NAT_GBPS_DEFAULT = 5.0
#: Seed 339: an Auto Scaling group of at least two firewall instances.
MIN_APPLIANCES = 2
#: us-east-1 list prices the warnings quote (the cost model reads the price file): a NAT
#: gateway-hour (pricing-vpc), a Transit Gateway GB (pricing-transit-gateway), a Network
#: Firewall endpoint-hour (pricing-network-firewall); 730 hours a month.
LIST_NAT_HOUR, LIST_TGW_GB, LIST_NFW_HOUR, LIST_HOURS = 0.045, 0.02, 0.395, 730.0
#: Scoring: the monthly cost at which the cost criterion's value halves (README, "Scoring").
COST_MATERIALITY_USD = 1000.0


def _egress_points_scale(p: Params) -> LinearScale:
    # Seed 365: more than one VPC needing egress is the condition to centralise, so building
    # it in each of the vpc_count VPCs scores 0 and building it once scores 1.
    return LinearScale(best=1.0, worst=float(max(2, p.vpc_count)))


CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.55,
              "Itemised monthly cost at the price file's prices.", "pricing-vpc",
              scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"egress and inspection bills run from a few hundred to tens of "
              f"thousands of dollars a month: value halves at ${COST_MATERIALITY_USD:,.0f}"),
    Criterion("egress_points", "Egress points", "places built and operated", "minimise", 0.20,
              "Places where egress (and inspection) is built and operated: one per VPC, or "
              "once for all (seed 321: built only one time, less cost and management "
              "overhead).", "seed-centralise-shared", scale=_egress_points_scale,
              scale_reason="seed 365 centralises when more than one VPC needs the resource: "
              "one place scores 1, one per VPC (vpc_count places) scores 0"),
    Criterion("operational_burden", "Operational burden", "1-5 (5 = most)", "minimise", 0.25,
              "What there is to run: managed services and routes, or a firewall fleet to "
              "patch, scale and license (seed 364).", "seed-centralise-shared",
              scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
)


class Params(DecisionParams):
    """Parameters of the egress and inspection decision."""


    region: str = Field("us-east-1", description="AWS Region of the VPCs (the price file).",
                        min_length=1, max_length=32)
    vpc_count: int = Field(10, ge=1, le=1000, description="VPCs that need internet egress.")
    az_count: int = Field(2, ge=1, le=6, description="AZs used in each VPC (and in the "
                          "egress VPC).")
    monthly_egress_gb: float = Field(
        5000.0, ge=0, le=100_000_000,
        description="GB/month of internet traffic through the egress path, both directions "
        "(NAT and Transit Gateway bill each byte once whichever way it goes).")
    peak_gbps: float = Field(5.0, gt=0, le=1000, description="Peak internet traffic of all "
                             "VPCs together (Gbps).")
    inspection_required: bool = Field(False, description="North-south (internet) traffic "
                                      "must be inspected.")
    east_west_inspection: bool = Field(False, description="Traffic between VPCs must pass "
                                       "the firewall (seed 335).")
    monthly_east_west_gb: float = Field(
        0.0, ge=0, le=100_000_000,
        description="GB/month of inspected traffic between VPCs, both directions; used only "
        "with east_west_inspection.")
    intra_vpc_inspection: bool = Field(False, description="Traffic between subnets of one "
                                       "VPC must be inspected (seed 654-703).")
    monthly_intra_vpc_gb: float = Field(
        0.0, ge=0, le=100_000_000,
        description="GB/month of inspected subnet-to-subnet traffic; used only with "
        "intra_vpc_inspection.")
    third_party_firewall: bool = Field(False, description="Policy requires a vendor firewall "
                                       "(seed 322, 335), not AWS Network Firewall.")
    transit_gateway_exists: bool = Field(False, description="The VPCs are already attached "
                                         "to a Transit Gateway.")
    # At least 0.01 Gbps, so the fleet sized to the peak stays finite (1,000 / 0.01 =
    # 100,000 appliances at most).
    appliance_gbps: float = Field(
        0.75, ge=0.01, le=200,
        description="Sustained inspected throughput of one firewall appliance in Gbps "
        "(default: the m5.large baseline, unverified).")
    appliance_licence_hourly_usd: float | None = Field(
        None, ge=0, le=1000,
        description="Vendor licence per appliance-hour in USD; null: not priced (the GWLB "
        "option's cost is then unknown).")


def appliance_count(p: Params) -> int:
    """Firewall appliances: at least two (seed 339), one or more per AZ (GWLB cross-zone is off
    by default, so each AZ needs its own), and enough for the peak."""
    # The small tolerance keeps an exact fit (10 Gbps / 2.5 Gbps = 4) from rounding up.
    needed = math.ceil(p.peak_gbps / p.appliance_gbps - 1e-9)
    return max(MIN_APPLIANCES, p.az_count, needed)


def new_attachments(p: Params) -> int:
    """Transit Gateway attachments a central egress VPC adds: its own, plus every spoke's when
    no Transit Gateway exists yet."""
    return 1 if p.transit_gateway_exists else p.vpc_count + 1


def _east_west_gb(p: Params) -> float:
    return p.monthly_east_west_gb if p.east_west_inspection else 0.0


def _intra_vpc_gb(p: Params) -> float:
    return p.monthly_intra_vpc_gb if p.intra_vpc_inspection else 0.0


def _inspects(p: Params) -> bool:
    return p.inspection_required or p.east_west_inspection or p.intra_vpc_inspection


OPTIONS: tuple[Option, ...] = (
    Option(NAT_PER_VPC, "NAT gateways in every VPC",
           "A NAT gateway in each AZ of each VPC; no inspection."),
    Option(CENTRAL_NAT, "Central egress VPC with NAT gateways",
           "An egress VPC behind a Transit Gateway with a NAT gateway per AZ; no inspection "
           "(whitepaper, centralized egress)."),
    Option(CENTRAL_GWLB, "Central security-egress VPC with GWLB and firewall appliances",
           "The seed's security-egress VPC: a Gateway Load Balancer, firewall appliances, GWLB "
           "endpoints and NAT gateways per AZ, the Transit Gateway attachment in appliance "
           "mode."),
    Option(CENTRAL_NFW, "Central inspection VPC with AWS Network Firewall",
           "An inspection and egress VPC with an AWS Network Firewall endpoint and a NAT "
           "gateway per AZ, behind a Transit Gateway."),
    Option(DISTRIBUTED_NFW, "AWS Network Firewall in every VPC",
           "A Network Firewall endpoint and a NAT gateway per AZ in every VPC, policies from "
           "Firewall Manager; a Transit Gateway only for inspected east-west traffic."),
)


# --- rules -----------------------------------------------------------------------------------


def _needs_firewall(p: Params) -> str | None:
    needs = [what for what, on in (("north-south", p.inspection_required),
                                   ("east-west", p.east_west_inspection),
                                   ("subnet-to-subnet", p.intra_vpc_inspection)) if on]
    if not needs:
        return None
    return (f"{' and '.join(needs)} traffic must be inspected: a NAT gateway translates "
            "addresses and inspects nothing")


def _third_party(p: Params) -> str | None:
    if not p.third_party_firewall:
        return None
    return ("policy requires a third-party firewall; AWS Network Firewall is not one "
            "(third_party_firewall = true)")


def _two_vpcs(p: Params) -> str | None:
    if p.vpc_count >= 2:
        return None
    return (f"centralising needs at least 2 VPCs that use it (vpc_count = {p.vpc_count}); "
            "seed 365 centralises when more than one VPC needs the resource")


def _two_azs(p: Params) -> str | None:
    if p.az_count >= 2:
        return None
    return ("the shared egress needs at least two Availability Zones, or one AZ failure cuts "
            f"every VPC off (az_count = {p.az_count})")


def _central_bandwidth(p: Params) -> str | None:
    capacity = PATH_GBPS_PER_AZ * p.az_count
    if p.peak_gbps <= capacity:
        return None
    return (f"peak {p.peak_gbps:g} Gbps through one egress VPC exceeds {p.az_count} AZ x "
            f"{PATH_GBPS_PER_AZ:g} Gbps = {capacity:g} Gbps (Transit Gateway attachment, NAT "
            "gateway and firewall endpoint limits per AZ)")


def _per_vpc_bandwidth(p: Params) -> str | None:
    capacity = PATH_GBPS_PER_AZ * p.az_count
    per_vpc = p.peak_gbps / p.vpc_count
    if per_vpc <= capacity:
        return None
    return (f"peak {per_vpc:g} Gbps per VPC ({p.peak_gbps:g} / {p.vpc_count}) exceeds "
            f"{p.az_count} AZ x {PATH_GBPS_PER_AZ:g} Gbps = {capacity:g} Gbps (NAT gateway "
            "and firewall endpoint limits per AZ)")


def _intra_vpc_local(p: Params) -> str | None:
    if not p.intra_vpc_inspection:
        return None
    return ("traffic between subnets of one VPC never reaches the Transit Gateway, so a "
            "firewall in the central VPC never sees it; more-specific routes need a target "
            "inside the VPC (a GWLB or firewall endpoint there)")


RULES: tuple[Rule[Params], ...] = (
    Rule("inspection-needs-firewall", "seed-security-egress-vpc", _NAT_ONLY, _needs_firewall),
    Rule("third-party-firewall-required", "seed-centralise-shared", _NETWORK_FIREWALL,
         _third_party),
    Rule("centralise-needs-two-vpcs", "seed-centralise-shared", _CENTRAL, _two_vpcs),
    Rule("central-needs-two-azs", "seed-security-egress-vpc", _CENTRAL, _two_azs),
    Rule("egress-path-bandwidth", "tgw-quotas-bandwidth", _CENTRAL, _central_bandwidth),
    Rule("egress-path-bandwidth", "whitepaper-egress-network-firewall", _PER_VPC,
         _per_vpc_bandwidth),
    Rule("intra-vpc-needs-local-endpoint", "seed-msr-targets", (CENTRAL_NFW,),
         _intra_vpc_local),
)


# --- warnings --------------------------------------------------------------------------------


def _single_az(p: Params) -> str | None:
    if p.az_count != 1:
        return None
    return ("one AZ: an AZ failure cuts this VPC's egress; NAT gateways (and firewall "
            "endpoints) belong in each AZ the workloads use, each AZ routed to its own")


def _above_seed_bandwidth(p: Params) -> str | None:
    if p.peak_gbps <= SEED_ATTACHMENT_GBPS:
        return None
    return (f"peak {p.peak_gbps:g} Gbps is above the seed's 50 Gbps per Transit Gateway "
            "attachment; the current quota is 100 Gbps per AZ per VPC attachment: check the "
            "quota page for the Region")


def _nat_scaling_central(p: Params) -> str | None:
    per_nat = p.peak_gbps / p.az_count
    if per_nat <= NAT_GBPS_DEFAULT:
        return None
    return (f"{per_nat:g} Gbps per NAT gateway ({p.peak_gbps:g} / {p.az_count} AZ) is above "
            f"its starting {NAT_GBPS_DEFAULT:g} Gbps; it scales automatically to 100 Gbps, "
            "but test the ramp-up")


def _nat_scaling_per_vpc(p: Params) -> str | None:
    per_nat = p.peak_gbps / (p.vpc_count * p.az_count)
    if per_nat <= NAT_GBPS_DEFAULT:
        return None
    return (f"{per_nat:g} Gbps per NAT gateway ({p.peak_gbps:g} / ({p.vpc_count} VPC x "
            f"{p.az_count} AZ)) is above its starting {NAT_GBPS_DEFAULT:g} Gbps; it scales "
            "automatically to 100 Gbps, but test the ramp-up")


def _licence_not_priced(p: Params) -> str | None:
    if p.appliance_licence_hourly_usd is not None:
        return None
    return (f"the vendor licence for {appliance_count(p)} appliances is not priced "
            "(appliance_licence_hourly_usd is null): this option's total is unknown")


def _heavy_vpc_threshold(p: Params) -> float:
    return LIST_NAT_HOUR * LIST_HOURS / LIST_TGW_GB * p.az_count


def _heavy_vpc(p: Params) -> str | None:
    per_vpc = p.monthly_egress_gb / p.vpc_count
    threshold = _heavy_vpc_threshold(p)
    if per_vpc <= threshold:
        return None
    return (f"{per_vpc:,.1f} GB/month per VPC is above {threshold:,.1f} GB ({p.az_count} AZ x "
            f"${LIST_NAT_HOUR:g} x {LIST_HOURS:g} h / ${LIST_TGW_GB:g} per GB, at us-east-1 "
            "list prices): for a VPC that heavy its own NAT gateways cost less than the "
            "Transit Gateway processing of its traffic; keep its NAT local")


def _appliance_mode_gwlb(p: Params) -> str | None:
    return ("appliance mode on the security-egress attachment pins each flow to one AZ's "
            "attachment for its lifetime: a flow may cross AZs inside the Transit Gateway, "
            "and an AZ failure resets the flows pinned there")


def _appliance_mode_nfw(p: Params) -> str | None:
    if not p.east_west_inspection:
        return None
    return ("east-west inspection passes traffic between attachments: enable appliance mode "
            "on the inspection VPC's attachment; it pins each flow to one AZ, so a flow may "
            "cross AZs inside the Transit Gateway and an AZ failure resets its flows")


def _nat_waiver(p: Params) -> str | None:
    return ("the NAT gateway lines are zero: NAT gateway hours and GB are waived one-to-one "
            "against the firewall endpoint hours and GB charged (whitepaper)")


def _endpoint_sprawl(p: Params) -> str | None:
    endpoints = p.vpc_count * p.az_count
    return (f"{endpoints} firewall endpoints ({p.vpc_count} VPC x {p.az_count} AZ) at "
            f"${LIST_NFW_HOUR * LIST_HOURS:,.2f} a month each at us-east-1 list prices, one "
            "firewall subnet and route set per AZ in every VPC")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("single-az", "nat-gateway-basics", _PER_VPC, _single_az),
    Rule("above-seed-attachment-bandwidth", "seed-tgw-attachment-bandwidth", _CENTRAL,
         _above_seed_bandwidth),
    # every option has NAT gateways (the Network Firewall ones have their charges waived)
    Rule("nat-scaling", "nat-gateway-basics", _CENTRAL, _nat_scaling_central),
    Rule("nat-scaling", "nat-gateway-basics", _PER_VPC, _nat_scaling_per_vpc),
    Rule("appliance-licence-not-priced", "seed-security-egress-vpc", (CENTRAL_GWLB,),
         _licence_not_priced),
    Rule("heavy-vpc-keep-nat-local", "vpc-centralized-egress", (CENTRAL_NAT,), _heavy_vpc),
    Rule("appliance-mode", "seed-security-egress-vpc", (CENTRAL_GWLB,), _appliance_mode_gwlb),
    Rule("appliance-mode", "nfw-tgw-appliance-mode", (CENTRAL_NFW,), _appliance_mode_nfw),
    Rule("network-firewall-nat-waiver", "whitepaper-egress-network-firewall",
         _NETWORK_FIREWALL, _nat_waiver),
    Rule("endpoint-sprawl", "whitepaper-egress-network-firewall", (DISTRIBUTED_NFW,),
         _endpoint_sprawl),
)


# --- cost model (pure) -----------------------------------------------------------------------


def _nat_after_waiver(prices: PriceTable, nat_gateways: int, firewall_endpoints: int,
                      nat_gb: float, firewall_gb: float) -> dict[str, float | None]:
    """NAT charges left after the whitepaper's one-to-one waiver against the firewall's
    endpoint hours and processed GB."""
    return {
        "NAT gateways after the Network Firewall waiver":
            prices.hourly("nat_gateway_hour", max(0, nat_gateways - firewall_endpoints)),
        "NAT gateway data processing after the Network Firewall waiver":
            prices.per_gb("nat_gateway_gb", max(0.0, nat_gb - firewall_gb)),
    }


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Data transfer out to the internet is the same for
    every option and left out (an assumption)."""
    n, a, g = p.vpc_count, p.az_count, p.monthly_egress_gb
    e, i = _east_west_gb(p), _intra_vpc_gb(p)
    attachments = prices.hourly("tgw_attachment_hour", new_attachments(p))
    central_nat: dict[str, float | None] = {
        "NAT gateways in the egress VPC (one per AZ)": prices.hourly("nat_gateway_hour", a),
        "NAT gateway data processing": prices.per_gb("nat_gateway_gb", g),
        "Transit Gateway attachments (new)": attachments,
        # each egress byte enters the Transit Gateway once: from a spoke going out, from the
        # egress VPC coming back
        "Transit Gateway data processing": prices.per_gb("tgw_gb", g),
    }
    # east-west bytes enter the Transit Gateway twice: from the source spoke, and again from
    # the inspection VPC on the way to the destination spoke
    tgw_inspected = prices.per_gb("tgw_gb", g + 2 * e)
    appliances = appliance_count(p)
    licence = p.appliance_licence_hourly_usd
    gwlb: dict[str, float | None] = {
        **central_nat,
        "Transit Gateway data processing": tgw_inspected,
        "GWLB endpoints in the security-egress VPC (AZ-hours)":
            prices.hourly("gwlb_endpoint_hour", a),
        "GWLB endpoint data processing": prices.per_gb("gwlb_endpoint_gb", g + e),
        "Gateway Load Balancer": prices.hourly("gwlb_hour"),
        # bytes dominate: 1 GLCU per GB-hour, so GLCU-hours equal the GB processed
        "Gateway Load Balancer capacity units (1 GLCU-hour per GB)":
            (g + e + i) * prices.value("gwlb_glcu_hour"),
        f"firewall appliances ({appliances} instances)":
            prices.hourly("firewall_appliance_instance_hour", appliances),
        f"appliance licences ({appliances} x vendor licence)":
            None if licence is None else appliances * licence * prices.hours_per_month,
    }
    if p.intra_vpc_inspection:
        gwlb |= {
            "GWLB endpoints in the spokes (AZ-hours)":
                prices.hourly("gwlb_endpoint_hour", n * a),
            "spoke GWLB endpoint data processing": prices.per_gb("gwlb_endpoint_gb", i),
        }
    central_nfw: dict[str, float | None] = {
        "Network Firewall endpoints (one per AZ)":
            prices.hourly("network_firewall_endpoint_hour", a),
        "Network Firewall data processing": prices.per_gb("network_firewall_gb", g + e),
        **_nat_after_waiver(prices, a, a, g, g + e),
        "Transit Gateway attachments (new)": attachments,
        "Transit Gateway data processing": tgw_inspected,
    }
    # an inspected inter-VPC flow passes the firewall of both VPCs
    distributed: dict[str, float | None] = {
        "Network Firewall endpoints (one per AZ per VPC)":
            prices.hourly("network_firewall_endpoint_hour", n * a),
        "Network Firewall data processing":
            prices.per_gb("network_firewall_gb", g + 2 * e + i),
        **_nat_after_waiver(prices, n * a, n * a, g, g + 2 * e + i),
    }
    if p.east_west_inspection:
        distributed |= {
            "Transit Gateway attachments (new, east-west only)":
                prices.hourly("tgw_attachment_hour", 0 if p.transit_gateway_exists else n),
            "Transit Gateway data processing (east-west)": prices.per_gb("tgw_gb", e),
        }
    nat_per_vpc: dict[str, float | None] = {
        "NAT gateways (one per AZ per VPC)": prices.hourly("nat_gateway_hour", n * a),
        "NAT gateway data processing": prices.per_gb("nat_gateway_gb", g),
    }
    return {NAT_PER_VPC: nat_per_vpc, CENTRAL_NAT: central_nat, CENTRAL_GWLB: gwlb,
            CENTRAL_NFW: central_nfw, DISTRIBUTED_NFW: distributed}


def break_even_vpcs(p: Params, prices: PriceTable) -> float | None:
    """Without inspection: the VPC count above which central NAT costs less than NAT per VPC,
    for these AZs and GB (None: never, e.g. one AZ with a new Transit Gateway)."""
    nat = prices.hourly("nat_gateway_hour", p.az_count)  # NAT gateways of one VPC
    attachment = prices.hourly("tgw_attachment_hour")
    fixed = nat + attachment + prices.value("tgw_gb") * p.monthly_egress_gb
    # new TGW: N x nat + 0.045 G > nat + (N + 1) x attachment + 0.065 G
    per_vpc = nat - (0.0 if p.transit_gateway_exists else attachment)
    return None if per_vpc <= 0 else fixed / per_vpc


def break_even_gb(p: Params, prices: PriceTable) -> float | None:
    """Without inspection, for vpc_count VPCs: the monthly GB below which central NAT costs
    less than NAT per VPC (None: centralising never pays at this count)."""
    nat = prices.hourly("nat_gateway_hour", p.az_count)
    attachment = prices.hourly("tgw_attachment_hour")
    # N x nat + 0.045 G > nat + new_attachments x attachment + 0.065 G, solved for G
    saving = (p.vpc_count - 1) * nat - attachment * new_attachments(p)
    tgw = prices.value("tgw_gb")
    if saving <= 0 or tgw <= 0:
        return None
    return saving / tgw


def licence_break_even(p: Params, prices: PriceTable) -> float | None:
    """The vendor licence per appliance-hour below which the GWLB design costs less than the
    central Network Firewall (None: never, the fleet alone costs more)."""
    breakdown = cost(p, prices)
    without_licence = math.fsum(v for k, v in breakdown[CENTRAL_GWLB].items()
                                if v is not None and not k.startswith("appliance licences"))
    network_firewall = math.fsum(v for v in breakdown[CENTRAL_NFW].values() if v is not None)
    hours = appliance_count(p) * prices.hours_per_month
    gap = network_firewall - without_licence
    return None if gap <= 0 else gap / hours


# --- criteria --------------------------------------------------------------------------------

_BURDEN: dict[str, Judgement] = {
    NAT_PER_VPC: Judgement(1, "managed NAT gateways, routes only", "nat-gateway-basics"),
    CENTRAL_NAT: Judgement(2, "managed NAT plus Transit Gateway routing domains and return "
                              "routes", "seed-security-egress-routing"),
    CENTRAL_GWLB: Judgement(5, "a firewall fleet to patch, scale and license, Geneve, "
                               "appliance mode, route tables in three places",
                            "seed-security-egress-vpc"),
    CENTRAL_NFW: Judgement(2, "a managed firewall that scales by itself, plus Transit "
                              "Gateway routing", "whitepaper-egress-network-firewall"),
    DISTRIBUTED_NFW: Judgement(2, "a managed firewall; its repetition in every VPC is counted "
                                  "in egress points", "whitepaper-egress-network-firewall"),
}


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    points = {o: float(p.vpc_count) if o in _PER_VPC else 1.0 for o in monthly}
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "egress_points": points[o.id],
            "operational_burden": _BURDEN[o.id],
        }
        for o in OPTIONS
    }


# --- actions, assumptions, diagrams ----------------------------------------------------------


def _tgw_routing(p: Params, attachment: str) -> Action:
    create = ("" if p.transit_gateway_exists else
              f"Create a Transit Gateway and attach all {p.vpc_count} VPCs. ")
    return Action(
        f"{create}Give the Transit Gateway routing domains: default association and "
        "propagation off, an egress route table associated with the "
        f"{attachment} attachment with every spoke propagated, a default route to that "
        "attachment in the spoke and shared-services route tables, and blackhole routes so "
        "spokes stay apart.", "seed-tgw-routing-domains")


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    steps: list[Action] = []
    if option_id == NAT_PER_VPC:
        steps += [
            Action(f"In each of the {p.vpc_count} VPCs, create a NAT gateway in a public "
                   f"subnet of each of its {p.az_count} AZs and route every private subnet's "
                   "default route to the NAT gateway in its own AZ.", "nat-gateway-basics"),
            Action("Add the free S3 and DynamoDB gateway endpoints so their traffic skips NAT "
                   "processing.", "vpc-gateway-endpoints"),
        ]
    if option_id == CENTRAL_NAT:
        steps += [
            Action(f"Create the egress VPC in a network account with a NAT gateway in a public "
                   f"subnet of each of {p.az_count} AZs and dedicated Transit Gateway "
                   "attachment subnets.", "seed-security-egress-vpc"),
            _tgw_routing(p, "egress VPC"),
            Action("In the egress VPC, route the Transit Gateway subnets to the NAT gateway in "
                   "the same AZ, and the public subnets' internal ranges back to the Transit "
                   "Gateway.", "seed-security-egress-routing"),
            Action(f"Keep any VPC sending more than {_heavy_vpc_threshold(p):,.1f} GB/month "
                   "(the heavy-vpc-keep-nat-local threshold) on its own NAT gateways.",
                   "vpc-centralized-egress"),
        ]
    if option_id == CENTRAL_GWLB:
        licence = ("" if p.appliance_licence_hourly_usd is None else
                   f" at ${p.appliance_licence_hourly_usd:g} per appliance-hour of licence")
        steps += [
            Action(f"Create the security-egress VPC: a Gateway Load Balancer and an Auto "
                   f"Scaling group of {appliance_count(p)} Geneve-capable firewall appliances "
                   f"({p.appliance_gbps:g} Gbps each{licence}) spread over private subnets in "
                   f"{p.az_count} AZs, registered in a target group.",
                   "seed-security-egress-vpc"),
            Action("Create the GWLB endpoint service and a GWLB endpoint per AZ in dedicated "
                   "/28 subnets, and two or more NAT gateways in public subnets of different "
                   "AZs.", "seed-security-egress-vpc"),
            Action("Attach the security-egress VPC to the Transit Gateway from dedicated "
                   "attachment subnets and enable appliance mode on that attachment, so both "
                   "directions of a flow use the same attachment.",
                   "seed-security-egress-vpc"),
            Action("Route tables: the Transit Gateway subnets to the GWLB endpoint in the same "
                   "AZ; private subnets' default route to the NAT gateway and the summarised "
                   "internal ranges to the Transit Gateway; public subnets' default route to "
                   "the internet gateway and internal ranges to the GWLB endpoints.",
                   "seed-security-egress-routing"),
            _tgw_routing(p, "security-egress VPC"),
        ]
        if p.intra_vpc_inspection:
            steps += [
                Action("In each spoke, add GWLB endpoints of the central endpoint service in "
                       "dedicated subnets and more-specific routes to them between the subnets "
                       "to inspect.", "seed-msr-targets"),
                Action("Add the more-specific route in both directions (each subnet's route "
                       "table), and let security groups allow the inspected traffic.",
                       "seed-msr-both-directions"),
            ]
    if option_id == CENTRAL_NFW:
        steps += [
            Action(f"Create the inspection VPC with a firewall subnet per AZ ({p.az_count}) "
                   "holding only the Network Firewall endpoint (it cannot inspect its own "
                   "subnet), and a NAT gateway per AZ in public subnets.",
                   "whitepaper-egress-network-firewall"),
            Action("Route the Transit Gateway subnets to the firewall endpoint in the same AZ, "
                   "the firewall subnet to the NAT gateway, and the NAT subnet's internal "
                   "ranges back through the firewall endpoint; add every spoke CIDR to the "
                   "HOME_NET rule variable.", "whitepaper-egress-network-firewall"),
            _tgw_routing(p, "inspection VPC"),
        ]
        if p.east_west_inspection:
            steps.append(Action("Enable appliance mode on the inspection VPC's attachment "
                                "(east-west traffic passes between attachments).",
                                "nfw-tgw-appliance-mode"))
    if option_id == DISTRIBUTED_NFW:
        steps += [
            Action(f"In each of the {p.vpc_count} VPCs, a firewall subnet and a Network "
                   f"Firewall endpoint per AZ ({p.az_count}), NAT gateways behind them, and an "
                   "internet gateway ingress route table back through the endpoint.",
                   "whitepaper-egress-network-firewall"),
            Action("Manage the firewall policies centrally through AWS Firewall Manager.",
                   "whitepaper-egress-network-firewall"),
        ]
        if p.intra_vpc_inspection:
            steps.append(Action("For subnet-to-subnet inspection, more-specific routes to the "
                                "local firewall endpoint in both directions; it needs no "
                                "extra subnet and has no extra cost.", "seed-msr-no-cost"))
        if p.east_west_inspection:
            steps.append(Action("Attach the VPCs to a Transit Gateway for the inspected "
                                "east-west traffic; each VPC's firewall inspects it.",
                                "whitepaper-egress-network-firewall"))
    return tuple(steps)


def _break_even_text(p: Params, prices: PriceTable) -> str:
    vpcs, gb = break_even_vpcs(p, prices), break_even_gb(p, prices)
    tgw = "the existing" if p.transit_gateway_exists else "a new"
    by_count = ("never, at any VPC count (a VPC's own NAT gateways cost less than its new "
                "attachment)" if vpcs is None else f"above {vpcs:,.2f} VPCs")
    by_gb = ("at no volume" if gb is None else f"below {gb:,.0f} GB/month")
    return (f"Without inspection, central NAT (with {tgw} Transit Gateway, {p.az_count} AZ, "
            f"{p.monthly_egress_gb:,.0f} GB/month) costs less than NAT per VPC {by_count}; "
            f"for {p.vpc_count} VPCs it costs less {by_gb}: centralising adds "
            f"${prices.value('tgw_gb'):g}/GB of Transit Gateway processing.")


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items = [
        Assumption("common-costs", "Data transfer out to the internet is the same for every "
                   "option and left out.", "pricing-ec2-data-transfer"),
        Assumption("zonal-egress", "Each design keeps one NAT gateway (and firewall endpoint) "
                   "per AZ, so no traffic crosses AZs to reach them, and the Transit Gateway "
                   "keeps AZ affinity by default.", "tgw-how-it-works"),
        Assumption("appliance-mode-cross-az", "Under appliance mode a flow may be carried to "
                   "another AZ inside the Transit Gateway; any charge for that is not priced.",
                   "nfw-tgw-appliance-mode", unverified=True),
        Assumption("glcu-bytes", "Gateway Load Balancer capacity units are driven by bytes "
                   "(1 GLCU-hour per GB); new and active flows are assumed to bill less.",
                   "pricing-elb"),
        Assumption("appliance-sizing", f"Each firewall appliance sustains "
                   f"{p.appliance_gbps:g} Gbps (appliance_gbps; the default is the m5.large "
                   "baseline, unverified for a firewall); the fleet is max(2, az_count, "
                   f"ceil(peak_gbps / appliance_gbps)) = {appliance_count(p)} with no headroom "
                   "beyond one per AZ.", "ec2-instance-network-bandwidth", unverified=True),
        Assumption("tgw-attachments", "With an existing Transit Gateway only the egress VPC's "
                   f"attachment is new; without one, every VPC plus the egress VPC is attached "
                   f"({new_attachments(p)} new attachments here).", "pricing-transit-gateway"),
        Assumption("nat-waiver", "Network Firewall options: NAT gateway hours and GB are "
                   "waived one-to-one against the firewall's endpoint hours and GB, as the "
                   "whitepaper states.", "whitepaper-egress-network-firewall"),
        Assumption("break-even", _break_even_text(p, prices), "vpc-centralized-egress"),
    ]
    if _inspects(p):
        cut = licence_break_even(p, prices)
        items.append(Assumption(
            "licence-break-even", "The GWLB design costs less than the central Network "
            "Firewall only below a vendor licence of "
            + (f"${cut:,.2f} per appliance-hour" if cut is not None else
               "$0 per appliance-hour (never: the fleet alone costs more)")
            + f" for {appliance_count(p)} appliances.", "seed-security-egress-vpc"))
    if p.east_west_inspection and p.monthly_east_west_gb == 0:
        items.append(Assumption("east-west-volume", "East-west inspection is required but "
                                "monthly_east_west_gb is 0: its processing is not counted.",
                                "seed-security-egress-vpc"))
    if p.intra_vpc_inspection and p.monthly_intra_vpc_gb == 0:
        items.append(Assumption("intra-vpc-volume", "Subnet-to-subnet inspection is required "
                                "but monthly_intra_vpc_gb is 0: its processing is not "
                                "counted.", "seed-msr-targets"))
    return tuple(items)


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "egress-inspection")
    shown = min(p.vpc_count, 3)
    more = f" (+{p.vpc_count - shown} more)" if p.vpc_count > shown else ""
    clusters = [Cluster("region", f"Region {p.region}")]
    nodes = [Node("internet", "internet", "onprem.network.Internet")]
    edges: list[Edge] = []
    spokes = [f"vpc{k}" for k in range(1, shown + 1)]
    for k, vid in enumerate(spokes, start=1):
        clusters.append(Cluster(vid, f"VPC {k}" + (more if k == shown else ""), "region"))
        nodes.append(Node(f"{vid}-app", "workloads", "aws.compute.EC2", vid))
    if option_id in _PER_VPC:
        for vid in spokes:
            app = f"{vid}-app"
            nodes += [Node(f"{vid}-nat", f"NAT gateways\n{p.az_count} AZs",
                           "aws.network.NATGateway", vid),
                      Node(f"{vid}-igw", "internet gateway", "aws.network.InternetGateway",
                           vid)]
            if option_id == DISTRIBUTED_NFW:
                nodes.append(Node(f"{vid}-nfw", f"Network Firewall\n{p.az_count} endpoints",
                                  "aws.network.NetworkFirewall", vid))
                edges += [Edge(app, f"{vid}-nfw"), Edge(f"{vid}-nfw", f"{vid}-nat")]
                if p.intra_vpc_inspection:
                    edges.append(Edge(app, f"{vid}-nfw", "subnet to subnet", "dashed"))
            else:
                edges.append(Edge(app, f"{vid}-nat"))
            edges += [Edge(f"{vid}-nat", f"{vid}-igw"), Edge(f"{vid}-igw", "internet")]
        if option_id == DISTRIBUTED_NFW and p.east_west_inspection and len(spokes) > 1:
            nodes.append(Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region"))
            edges += [Edge(f"{vid}-nfw", "tgw", "east-west", "dashed") for vid in spokes]
    else:
        clusters.append(Cluster("egress", "egress VPC" if option_id == CENTRAL_NAT else
                                "inspection and egress VPC", "region"))
        nodes += [Node("tgw", "Transit Gateway", "aws.network.TransitGateway", "region"),
                  Node("nat", f"NAT gateways\n{p.az_count} AZs", "aws.network.NATGateway",
                       "egress"),
                  Node("igw", "internet gateway", "aws.network.InternetGateway", "egress")]
        mode = ("appliance mode" if option_id == CENTRAL_GWLB
                or (option_id == CENTRAL_NFW and p.east_west_inspection) else "")
        edges += [Edge(f"{vid}-app", "tgw") for vid in spokes]
        if option_id == CENTRAL_NAT:
            edges.append(Edge("tgw", "nat"))
            inspect = "nat"
        elif option_id == CENTRAL_GWLB:
            nodes += [Node("gwlbe", f"GWLB endpoint\n{p.az_count} AZs", "aws.network.Endpoint",
                           "egress"),
                      Node("gwlb", "Gateway Load Balancer", "aws.network.ElasticLoadBalancing",
                           "egress"),
                      Node("fleet", f"firewall ASG x {appliance_count(p)}",
                           "aws.general.GenericFirewall", "egress")]
            edges += [Edge("tgw", "gwlbe", mode), Edge("gwlbe", "gwlb"),
                      Edge("gwlb", "fleet", "Geneve"), Edge("gwlbe", "nat")]
            inspect = "gwlbe"
            if p.intra_vpc_inspection:
                for vid in spokes:
                    nodes.append(Node(f"{vid}-gwlbe", "GWLB endpoint", "aws.network.Endpoint",
                                      vid))
                    edges += [Edge(f"{vid}-app", f"{vid}-gwlbe", "subnet to subnet", "dashed"),
                              Edge(f"{vid}-gwlbe", "gwlb", "", "dashed")]
        else:
            nodes.append(Node("nfw", f"Network Firewall\n{p.az_count} endpoints",
                              "aws.network.NetworkFirewall", "egress"))
            edges += [Edge("tgw", "nfw", mode), Edge("nfw", "nat")]
            inspect = "nfw"
        edges += [Edge("nat", "igw"), Edge("igw", "internet")]
        if p.east_west_inspection and option_id != CENTRAL_NAT and len(spokes) > 1:
            edges.append(Edge(inspect, "tgw", "east-west", "dashed"))
            edges += [Edge("tgw", f"{vid}-app", "east-west", "dashed") for vid in spokes[1:]]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


def active_volumes(p: Params) -> tuple[str, ...]:
    """The volume parameters that drive costs: east-west and subnet-to-subnet GB only when
    that inspection is required."""
    return (("monthly_egress_gb",)
            + (("monthly_east_west_gb",) if p.east_west_inspection else ())
            + (("monthly_intra_vpc_gb",) if p.intra_vpc_inspection else ()))


# --- the requirements matrix: what the capacity and topology rules measure ----------------


def _bandwidth_measured(p: Params, option_id: str) -> str:
    capacity = PATH_GBPS_PER_AZ * p.az_count
    if option_id in _CENTRAL:
        return (f"peak {p.peak_gbps:g} Gbps through one egress VPC, limit {capacity:g} Gbps "
                f"({p.az_count} AZ x {PATH_GBPS_PER_AZ:g} Gbps)")
    return (f"peak {p.peak_gbps / p.vpc_count:.3g} Gbps per VPC, limit {capacity:g} Gbps "
            f"({p.az_count} AZ x {PATH_GBPS_PER_AZ:g} Gbps)")


def _vpcs_measured(p: Params, option_id: str) -> str:
    return f"{count(p.vpc_count, 'VPC')} to share it, at least 2 needed"


def _azs_measured(p: Params, option_id: str) -> str:
    return f"{count(p.az_count, 'AZ')}, at least 2 needed"


def _inspection_measured(p: Params, option_id: str) -> str:
    needs = [what for what, on in (("north-south", p.inspection_required),
                                   ("east-west", p.east_west_inspection),
                                   ("subnet-to-subnet", p.intra_vpc_inspection)) if on]
    wanted = " and ".join(needs) + " inspection required" if needs else "no inspection required"
    return f"{wanted}; a NAT gateway inspects nothing"


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("inspection", "Traffic inspection", ("inspection-needs-firewall",),
                _inspection_measured),
    Requirement("bandwidth", "Peak egress bandwidth", ("egress-path-bandwidth",),
                _bandwidth_measured),
    Requirement("shared-vpcs", "Enough VPCs to centralise", ("centralise-needs-two-vpcs",),
                _vpcs_measured),
    Requirement("shared-azs", "Two Availability Zones for shared egress",
                ("central-needs-two-azs",), _azs_measured),
)


DECISION: Decision[Params] = Decision(
    id="egress-inspection",
    title="Internet egress and inspection: per VPC or centralised, NAT or firewall",
    question="Where should internet egress and packet inspection live across the VPCs: NAT "
             "gateways in every VPC, a central egress VPC, a central firewall (GWLB appliances "
             "or AWS Network Firewall), or Network Firewall in every VPC?",
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
    volume_fields=("monthly_egress_gb", "monthly_east_west_gb", "monthly_intra_vpc_gb"),
    active_volumes=active_volumes,
    sources=("seed-centralise-shared", "seed-security-egress-vpc",
             "whitepaper-egress-network-firewall"),
    requirements=REQUIREMENTS,
)
