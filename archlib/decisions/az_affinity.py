"""az-affinity: should clients be pinned to their Availability Zone?

Guidance: seed lines 518-542 ("Improving performance and reducing cost using Availability Zone
Affinity": cross-AZ effects 521, the foo service 522-524, the NLB with a record per AZ ID
527-529, Cloud Map discovery 531-532, resiliency 535-538, scope 541-542); the ALB and NLB
guides on cross-zone load balancing for target groups; NLB zonal DNS names; the Cloud Map
throttling guide. shared/DOMAIN-NEXT.md section 7 is the brief this module follows.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    LinearScale,
    Node,
    Option,
    PriceTable,
    Requirement,
    Rule,
    find_option,
)
from archlib.formatting import quantity

__all__ = ["DECISION", "Params", "az_id_prefix", "p50_ms"]

ALB = "alb-cross-zone"
NLB = "nlb-zonal-dns"
CLOUD_MAP = "cloud-map-discovery"
_PINNED = (NLB, CLOUD_MAP)

#: Cloud Map throttling: DiscoverInstances refills at 1,000 tokens per second per account and
#: Region (bucket of 2,000).
DISCOVER_REFILL_PER_SECOND = 1000.0
#: LCU dimensions (ELB pricing): an ALB LCU is 25 new connections per second, an NLB NLCU 800
#: (TCP); both 1 GB per hour for processed bytes.
ALB_NEW_CONNECTIONS_PER_LCU = 25.0
NLB_NEW_CONNECTIONS_PER_LCU = 800.0
#: Latencies are compared rounded to 0.001 ms (the brief), so 8 + 8 x 1.5 = 20 equals 20.
_LATENCY_DIGITS = 3
#: Scoring: the monthly cost at which the cost criterion's value halves (README, "Scoring").
COST_MATERIALITY_USD = 500.0


def crossings(p: Params, option_id: str) -> int:
    """AZ boundaries a request crosses in the worst case (seed 524, 529)."""
    return p.crossings_cross_zone if option_id == ALB else p.crossings_affinity


def p50_ms(p: Params, option_id: str) -> float:
    """Estimated p50: processing, plus each traversal that crosses AZs at the cross-AZ latency
    and each that stays in one AZ at the intra-AZ latency (seed 524, 529; Cloud Map as the
    NLB: the seed gives no number for the load balancer it removes)."""
    cross = crossings(p, option_id)
    value = (p.processing_ms_p50 + cross * p.cross_az_ms_p50
             + (p.crossings_cross_zone - cross) * p.intra_az_ms_p50)
    return round(value, _LATENCY_DIGITS)


def _latency_scale(p: Params) -> LinearScale:
    # Anchors from the parameters: every traversal inside one AZ (1) to every traversal across
    # AZs, the seed's worst case (0); a topology with no network time gets a 1 ms span.
    best = p.processing_ms_p50 + p.crossings_cross_zone * p.intra_az_ms_p50
    worst = p.processing_ms_p50 + p.crossings_cross_zone * p.cross_az_ms_p50
    return LinearScale(best=best, worst=worst if worst > best else best + 1.0)


CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.35,
              "Itemised monthly cost at the price file's prices.", "pricing-elb",
              scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"cross-AZ transfer and load balancer bills run from tens to a few "
              f"thousand dollars a month: value halves at ${COST_MATERIALITY_USD:,.0f}"),
    Criterion("p50_latency_ms", "Median latency", "ms (p50)", "minimise", 0.25,
              "Estimated p50 of a request: processing plus each AZ traversal (seed 524, 529).",
              "seed-azaff-foo-service", scale=_latency_scale,
              scale_reason="linear from every traversal crossing AZs (the seed's worst case, "
              "0) to every traversal staying in one AZ (1): anchors from the parameters"),
    Criterion("client_complexity", "Client complexity", "1-5 (5 = most)", "minimise", 0.20,
              "What clients must do: one Regional name, or find their AZ, call a zonal record "
              "or discover instances, and fail over (seed 528, 532, 535-538).",
              "seed-azaff-resiliency", scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
    Criterion("az_event_handling", "AZ event handling", "1-5 (5 = best)", "maximise", 0.20,
              "How an event in one AZ is absorbed: by the load balancer, or by the clients "
              "pinned there (seed 535-536).", "seed-azaff-resiliency",
              scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
)


class Params(DecisionParams):
    """Parameters of the AZ affinity decision."""


    region: str = Field("us-east-1", description="AWS Region of the service (the price file).",
                        min_length=1, max_length=32)
    cross_az_gb_baseline: float = Field(
        10_000.0, ge=0, le=100_000_000,
        description="GB/month crossing an AZ boundary in the cross-zone design, summed over "
        "all traversals.")
    transfer_reduction: float = Field(
        0.40, ge=0, le=1,
        description="Share of that transfer AZ affinity removes (seed 529: approximately 40 "
        "percent).")
    lb_processed_gb: float = Field(2000.0, ge=0, le=100_000_000,
                                   description="GB/month through the load balancer.")
    new_connections_per_second: float = Field(
        50.0, ge=0, le=1_000_000,
        description="New connections per second to the load balancer (an LCU dimension).")
    processing_ms_p50: float = Field(8.0, ge=0, le=10_000,
                                     description="Non-network processing at p50, ms (seed "
                                     "524).")
    cross_az_ms_p50: float = Field(1.5, ge=0, le=100, description="p50 latency of one "
                                   "cross-AZ traversal, ms (seed 524).")
    intra_az_ms_p50: float = Field(0.3, ge=0, le=100, description="p50 latency of one "
                                   "intra-AZ traversal, ms (seed 529).")
    crossings_cross_zone: int = Field(8, ge=0, le=100,
                                      description="Traversals per request, all crossing AZs "
                                      "in the worst case (seed 524).")
    crossings_affinity: int = Field(4, ge=0, le=100,
                                    description="Traversals still crossing AZs with affinity "
                                    "(seed 529); at most crossings_cross_zone.")
    p50_target_ms: float | None = Field(
        None, gt=0, le=100_000,
        description="The consumer's p50 must be under this (ms); null: no target.")
    clients_in_aws: bool = Field(True, description="Clients are AWS workloads in this Region "
                                 "(seed 522).")
    client_failover: bool = Field(
        False, description="Clients (or a client library) retry in other AZs or break the "
        "circuit (seed 535-538).")
    discovery_calls_per_second: float = Field(
        2.0, ge=0, le=100_000,
        description="DiscoverInstances calls per second of all clients together.")
    service_instances: int = Field(6, ge=1, le=10_000,
                                   description="Instances registered in Cloud Map.")

    @field_validator("crossings_affinity")
    @classmethod
    def _not_more_than_cross_zone(cls, value: int, info: ValidationInfo) -> int:
        limit = info.data.get("crossings_cross_zone")
        if limit is not None and value > limit:
            raise ValueError(f"must be at most crossings_cross_zone ({limit}): affinity "
                             "never adds crossings")
        return value


OPTIONS: tuple[Option, ...] = (
    Option(ALB, "Application Load Balancer, cross-zone (the baseline)",
           "One Regional name; the ALB spreads requests over targets in every AZ."),
    Option(NLB, "Network Load Balancer with a DNS record per AZ ID",
           "An NLB with cross-zone off; clients call the record of their own AZ ID "
           "(use1-az1.foo.com) and fail over to the others."),
    Option(CLOUD_MAP, "Cloud Map discovery filtered by AZ",
           "Clients discover the request routers in their AZ through AWS Cloud Map and call "
           "them directly, with no load balancer."),
)


# --- rules and warnings ----------------------------------------------------------------------


def _outside(p: Params) -> str | None:
    if p.clients_in_aws:
        return None
    return ("clients outside AWS have no Availability Zone to be pinned to "
            "(clients_in_aws = false)")


def _no_failover(p: Params) -> str | None:
    if p.client_failover:
        return None
    return ("without retries in other AZs or a circuit breaker, pinned clients lose Multi-AZ "
            "resilience (client_failover = false)")


def _p50_check(option_id: str, p: Params) -> str | None:
    if p.p50_target_ms is None:
        return None
    estimate = p50_ms(p, option_id)
    if estimate < p.p50_target_ms:
        return None
    cross = crossings(p, option_id)
    return (f"estimated p50 {estimate:g} ms ({p.processing_ms_p50:g} ms processing + {cross} x "
            f"{p.cross_az_ms_p50:g} ms across AZs + {p.crossings_cross_zone - cross} x "
            f"{p.intra_az_ms_p50:g} ms within an AZ) is not under the {p.p50_target_ms:g} ms "
            "target")


def _p50_alb(p: Params) -> str | None:
    return _p50_check(ALB, p)


def _p50_pinned(p: Params) -> str | None:
    return _p50_check(NLB, p)  # Cloud Map's estimate equals the NLB's


def _throttle(p: Params) -> str | None:
    if p.discovery_calls_per_second <= DISCOVER_REFILL_PER_SECOND:
        return None
    return (f"{p.discovery_calls_per_second:g} DiscoverInstances calls per second exceed the "
            f"{DISCOVER_REFILL_PER_SECOND:,.0f} per second Cloud Map refills per account and "
            "Region: clients must cache discovery results")


RULES: tuple[Rule[Params], ...] = (
    Rule("clients-outside-region", "seed-azaff-foo-service", _PINNED, _outside),
    Rule("pinned-clients-need-failover", "seed-azaff-resiliency", _PINNED, _no_failover),
    Rule("p50-target", "seed-azaff-foo-service", (ALB,), _p50_alb),
    Rule("p50-target", "seed-azaff-nlb", _PINNED, _p50_pinned),
    Rule("discovery-throttle", "cloud-map-throttling", (CLOUD_MAP,), _throttle),
)


def _keep_cross_zone_off(p: Params) -> str | None:
    return ("keep cross-zone load balancing off on the NLB's target groups: turning it on "
            "brings EC2 data transfer charges and undoes the pinning")


def _capacity_per_az(p: Params) -> str | None:
    return ("pinned clients send an AZ's traffic to that AZ's targets only: each AZ needs "
            "target capacity for its own clients")


def _alb_target_groups(p: Params) -> str | None:
    return ("turning cross-zone off on an ALB target group keeps the load balancer-to-target "
            "hop in one AZ, but clients still reach ALB nodes in any AZ through the Regional "
            "name: it does not pin clients")


def _latency_estimates(p: Params) -> str | None:
    return ("the latencies are the seed's t4g.small ping results in three Regions, not "
            "guarantees: measure p50 and p99 with X-Ray and CloudWatch")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("keep-nlb-cross-zone-off", "nlb-cross-zone-target-groups", (NLB,),
         _keep_cross_zone_off),
    Rule("capacity-per-az", "nlb-cross-zone-target-groups", _PINNED, _capacity_per_az),
    Rule("alb-target-group-cross-zone", "alb-cross-zone-target-groups", (ALB,),
         _alb_target_groups),
    Rule("latency-estimates", "seed-azaff-scope", (ALB, *_PINNED), _latency_estimates),
)


# --- cost model (pure) -----------------------------------------------------------------------


def _cross_az(p: Params, prices: PriceTable, share: float) -> float:
    # every traversal is billed both ways: out of one AZ and into the other (seed 521)
    return 2 * prices.per_gb("cross_az_gb", p.cross_az_gb_baseline * share)


def _lcu_hours(p: Params, prices: PriceTable, connections_per_lcu: float) -> float:
    """Capacity-unit hours a month, billed on the larger of the two dimensions modelled."""
    hours = prices.hours_per_month
    per_hour = max(p.lb_processed_gb / hours, p.new_connections_per_second / connections_per_lcu)
    return hours * per_hour


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Route 53 records and hosted zone fees are left out (an
    assumption)."""
    kept = 1.0 - p.transfer_reduction
    calls_millions = p.discovery_calls_per_second * 3600 * prices.hours_per_month / 1e6
    return {
        ALB: {
            "cross-AZ data transfer (out and in)": _cross_az(p, prices, 1.0),
            "Application Load Balancer": prices.hourly("alb_hour"),
            "ALB capacity units (LCU-hours)":
                _lcu_hours(p, prices, ALB_NEW_CONNECTIONS_PER_LCU) * prices.value("alb_lcu_hour"),
        },
        NLB: {
            "cross-AZ data transfer (out and in)": _cross_az(p, prices, kept),
            "Network Load Balancer": prices.hourly("nlb_hour"),
            "NLB capacity units (NLCU-hours)":
                _lcu_hours(p, prices, NLB_NEW_CONNECTIONS_PER_LCU) * prices.value("nlb_lcu_hour"),
        },
        CLOUD_MAP: {
            "cross-AZ data transfer (out and in)": _cross_az(p, prices, kept),
            "Cloud Map registered instances":
                p.service_instances * prices.value("cloud_map_resource_month"),
            "Cloud Map discovery calls":
                calls_millions * prices.value("cloud_map_million_api_calls"),
        },
    }


# --- criteria --------------------------------------------------------------------------------

_COMPLEXITY: dict[str, Judgement] = {
    ALB: Judgement(1, "one Regional name, no client change", "seed-azaff-foo-service"),
    NLB: Judgement(3, "clients find their AZ ID, call its zonal record and fail over to the "
                      "others", "seed-azaff-nlb"),
    CLOUD_MAP: Judgement(4, "discovery, caching, the AZ filter and retries: a client library",
                         "seed-azaff-cloud-map"),
}
_AZ_EVENTS: dict[str, Judgement] = {
    ALB: Judgement(4, "the load balancer routes around unhealthy targets without client "
                      "action", "seed-azaff-foo-service"),
    NLB: Judgement(3, "an AZ event stays with the clients pinned there, who recover by "
                      "retrying or breaking the circuit", "seed-azaff-resiliency"),
    CLOUD_MAP: Judgement(3, "an AZ event stays with the clients pinned there, who recover by "
                            "retrying or breaking the circuit", "seed-azaff-resiliency"),
}


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "p50_latency_ms": p50_ms(p, o.id),
            "client_complexity": _COMPLEXITY[o.id],
            "az_event_handling": _AZ_EVENTS[o.id],
        }
        for o in OPTIONS
    }


# --- actions, assumptions, diagrams ----------------------------------------------------------

_DIRECTIONS = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
               "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}


def az_id_prefix(region: str) -> str:
    """The AZ ID prefix of a Region (us-east-1 -> use1, ap-southeast-2 -> apse2), for labels."""
    parts = region.split("-")
    if len(parts) < 3:
        return region
    return parts[0] + "".join(_DIRECTIONS.get(w, w[:1]) for w in parts[1:-1]) + parts[-1]


def _failover_action() -> Action:
    return Action("Give clients retries with exponential backoff to the other AZs' records or "
                  "a circuit breaker that stops the affected AZ's clients, packaged as a "
                  "client library.", "seed-azaff-resiliency")


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    measure = Action("Measure p50 and p99 latency with AWS X-Ray and Amazon CloudWatch, and "
                     "data transfer with Cost Explorer, before and after.", "seed-azaff-scope")
    if option_id == ALB:
        return (
            Action("Keep the Application Load Balancer and its Regional name.",
                   "seed-azaff-foo-service"),
            Action("Turn cross-zone off per target group only with enough targets in every "
                   "AZ; it keeps the ALB-to-target hop in one AZ but does not pin clients.",
                   "alb-cross-zone-target-groups"),
            measure,
        )
    zone = f"{az_id_prefix(p.region)}-az1"
    common = (
        _failover_action(),
        Action("Run enough targets in every AZ for the clients pinned there.",
               "nlb-cross-zone-target-groups"),
        measure,
    )
    if option_id == NLB:
        return (
            Action("Create a Network Load Balancer with a subnet in each AZ and keep "
                   "cross-zone load balancing off (the default).", "seed-azaff-nlb"),
            Action(f"Create a Route 53 record per AZ ID ({zone}.foo.com) pointing at that AZ's "
                   "NLB address; AZ IDs, unlike AZ names, are the same in every account.",
                   "seed-azaff-nlb"),
            Action("Have each client read its AZ ID (instance metadata) and call that AZ's "
                   "record.", "nlb-zonal-dns"),
            *common,
        )
    return (
        Action("Register the request routers in AWS Cloud Map with their AZ as an attribute.",
               "seed-azaff-cloud-map"),
        Action("Have clients call DiscoverInstances filtered to their AZ, cache the answer "
               f"(the account's Region refills {DISCOVER_REFILL_PER_SECOND:,.0f} calls per "
               "second), and call the routers directly.", "cloud-map-throttling"),
        *common,
    )


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    return (
        Assumption("both-directions", "Every traversal counted in cross_az_gb_baseline is "
                   f"billed both ways: ${prices.value('cross_az_gb'):g}/GB out and in.",
                   "seed-cross-az-both-directions"),
        Assumption("alb-target-hop-billing", "Whether AWS bills the ALB-to-target hop across "
                   "AZs is not confirmed here (the Classic Load Balancer guide says its "
                   "cross-zone traffic is not charged), so cross_az_gb_baseline is your number "
                   "for every traversal you count.", "alb-cross-zone-target-groups",
                   unverified=True),
        Assumption("transfer-reduction", f"Affinity removes {p.transfer_reduction:.0%} of the "
                   "cross-AZ transfer (transfer_reduction; the seed says approximately 40 "
                   "percent though it halves the crossings, 8 to 4: equal bytes per crossing "
                   "would give 50%).", "seed-azaff-nlb"),
        Assumption("lcu-dimensions", "Capacity units from processed bytes (1 GB per hour) or "
                   f"new connections ({ALB_NEW_CONNECTIONS_PER_LCU:g} per second per ALB LCU, "
                   f"{NLB_NEW_CONNECTIONS_PER_LCU:g} per NLB NLCU), whichever is larger; active "
                   "connections and rule evaluations are ignored; EC2 targets.", "pricing-elb"),
        Assumption("route53-left-out", "Route 53 records and hosted zone fees are left out.",
                   "pricing-route53"),
        Assumption("cloud-map-latency", "Cloud Map's p50 equals the NLB's: the seed says "
                   "discovery removes the load balancer's latency but gives no number.",
                   "seed-azaff-cloud-map"),
        Assumption("latency-model", "p50 = processing + crossings x cross-AZ ms + (the other "
                   "traversals) x intra-AZ ms, with "
                   f"{p.crossings_cross_zone} traversals per request of which "
                   f"{p.crossings_affinity} still cross AZs with affinity; compared rounded to "
                   "0.001 ms.", "seed-azaff-foo-service"),
    )


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "az-affinity")
    prefix = az_id_prefix(p.region)
    zones = [f"{prefix}-az{k}" for k in (1, 2, 3)]
    clusters = [Cluster("region", f"Region {p.region}")]
    nodes: list[Node] = []
    edges: list[Edge] = []
    tiers = ("lead", "middle", "tail")
    for zone, tier in zip(zones, tiers, strict=True):
        clusters.append(Cluster(zone, f"AZ {zone}", "region"))
        nodes += [Node(f"{zone}-client", "client", "aws.general.Client", zone),
                  Node(f"{zone}-router", "request router", "aws.compute.EC2", zone),
                  Node(f"{zone}-store", f"{tier} storage", "aws.database.Database", zone)]
    edges += [Edge(f"{zones[0]}-store", f"{zones[1]}-store", "replication, cross-AZ"),
              Edge(f"{zones[1]}-store", f"{zones[2]}-store", "replication, cross-AZ")]
    if option_id == ALB:
        nodes.append(Node("alb", "Application Load Balancer\ncross-zone",
                          "aws.network.ElbApplicationLoadBalancer", "region"))
        edges += [Edge(f"{z}-client", "alb") for z in zones]
        edges += [Edge("alb", f"{zones[1]}-router", "cross-AZ"),
                  Edge(f"{zones[1]}-router", f"{zones[0]}-store", "cross-AZ")]
    else:
        for zone in zones:
            edges.append(Edge(f"{zone}-router", f"{zone}-store", "same AZ"))
        if option_id == NLB:
            nodes.append(Node("dns", f"Route 53\n{zones[0]}.foo.com", "aws.network.Route53",
                              "region"))
            for zone in zones:
                nodes.append(Node(f"{zone}-nlb", "NLB node", "aws.network.ElbNetworkLoadBalancer",
                                  zone))
                edges += [Edge(f"{zone}-client", f"{zone}-nlb", "same AZ"),
                          Edge(f"{zone}-nlb", f"{zone}-router")]
            edges.append(Edge(f"{zones[0]}-client", "dns", "AZ ID record", "dashed"))
        else:
            nodes.append(Node("cloud-map", "AWS Cloud Map", "aws.network.CloudMap", "region"))
            for zone in zones:
                edges += [Edge(f"{zone}-client", "cloud-map", "DiscoverInstances", "dashed"),
                          Edge(f"{zone}-client", f"{zone}-router", "same AZ")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters), direction="TB")


# --- the requirements matrix: what the latency, throttle and client rules measure --------


def _p50_measured(p: Params, option_id: str) -> str | None:
    if p.p50_target_ms is None:
        return None
    return (f"estimated p50 {p50_ms(p, option_id):g} ms, target under "
            f"{p.p50_target_ms:g} ms")


def _discovery_measured(p: Params, option_id: str) -> str:
    return (f"{quantity(p.discovery_calls_per_second)} DiscoverInstances calls per second, "
            "limit "
            f"{DISCOVER_REFILL_PER_SECOND:,.0f} per second")


def _clients_measured(p: Params, option_id: str) -> str:
    return ("clients run in AWS, in an AZ" if p.clients_in_aws
            else "clients outside AWS have no AZ")


def _failover_measured(p: Params, option_id: str) -> str:
    return ("clients retry in other AZs" if p.client_failover
            else "clients do not retry in other AZs")


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("p50", "Median latency (p50) under the target", ("p50-target",),
                _p50_measured),
    Requirement("discovery-rate", "Service discovery call rate", ("discovery-throttle",),
                _discovery_measured),
    Requirement("clients-in-aws", "Clients in an Availability Zone",
                ("clients-outside-region",), _clients_measured),
    Requirement("client-failover", "Clients fail over to other AZs",
                ("pinned-clients-need-failover",), _failover_measured),
)


DECISION: Decision[Params] = Decision(
    id="az-affinity",
    title="Availability Zone affinity: cross-zone load balancing or pinned clients",
    question="Should clients be pinned to their Availability Zone (an NLB record per AZ ID, or "
             "Cloud Map discovery by AZ) to cut cross-AZ transfer and latency, or stay behind "
             "a cross-zone Application Load Balancer?",
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
    volume_fields=("cross_az_gb_baseline", "lb_processed_gb"),
    sources=("seed-cross-az-both-directions", "seed-azaff-foo-service", "seed-azaff-nlb",
             "seed-azaff-resiliency"),
    requirements=REQUIREMENTS,
)
