"""dr-strategy: backup and restore, pilot light, warm standby or multi-site active/active.

Guidance: seed lines 543-571 (DR for a third-party IVR: RTO and RPO, the four strategies, warm
standby for RPO and RTO in seconds, an NLB failing over to the DR site over Direct Connect),
572-653 (Druva cloud DR: backups scheduled by the RPO, as often as every five minutes; SLO
examples; tests show whether RTO and RPO are met); AWS Well-Architected Reliability Pillar
REL13-BP02 and the whitepaper "Disaster Recovery of Workloads on AWS". Brief:
shared/DOMAIN-NEXT.md section 8.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

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

__all__ = ["BOUNDS", "DATA_CLASS", "DECISION", "RECOVERY_CLASS", "Bounds", "Params",
           "required_data_class", "required_recovery_class", "rto_floor"]

BACKUP = "backup-restore"
PILOT = "pilot-light"
WARM = "warm-standby"
ACTIVE = "multi-site-active-active"
_REPLICATING = (PILOT, WARM, ACTIVE)
_REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$"
#: Below this RPO backup and restore needs continuous backups with point-in-time recovery
#: (WA REL13-BP02: "RPO in hours").
PITR_BELOW_S = 3600
#: Scoring: the cost criterion's value halves at this share of the production bill (a DR
#: site costs a share of production), and never below the floor.
COST_MATERIALITY_SHARE = 0.25
COST_MATERIALITY_FLOOR_USD = 100.0


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a strategy can achieve, read from the WA wording (an unverified interpretation)."""

    rto_floor_s: int
    rto_band_top_s: int
    rpo_floor_s: int
    wording: str


BOUNDS: dict[str, Bounds] = {
    BACKUP: Bounds(3600, 86_400, 300, "RTO in hours, 24 hours or less; RPO in hours, as low "
                   "as 5 minutes in some cases with point-in-time recovery"),
    PILOT: Bounds(600, 3600, 60, "RTO in tens of minutes; RPO in minutes"),
    WARM: Bounds(60, 3600, 1, "RTO in minutes (it serves at reduced capacity immediately); "
                 "RPO in seconds"),
    ACTIVE: Bounds(0, 60, 0, "RTO potentially zero; RPO near zero"),
}
#: Warm standby serves at reduced capacity immediately (WA; seed 548: RTO in seconds).
WARM_REDUCED_CAPACITY_RTO_S = 1


def _cost_scale(p: Params) -> CostScale:
    return CostScale(max(COST_MATERIALITY_SHARE * p.production_monthly_usd,
                         COST_MATERIALITY_FLOOR_USD))


#: The judgement classes of recovery speed (RTO) and data protection (RPO) per strategy (WA
#: REL13-BP02: hours, tens of minutes, minutes or seconds at reduced capacity, potentially
#: zero; hours, minutes, seconds, near zero).
RECOVERY_CLASS = {"backup-restore": 1, "pilot-light": 2, "warm-standby": 4,
                  "multi-site-active-active": 5}
DATA_CLASS = {"backup-restore": 1, "pilot-light": 3, "warm-standby": 4,
              "multi-site-active-active": 5}


def required_recovery_class(p: Params) -> int:
    """The recovery class the RTO target needs: that of the slowest strategy meeting it."""
    return next(RECOVERY_CLASS[o] for o in RECOVERY_CLASS if rto_floor(p, o) <= p.rto_seconds)


def required_data_class(p: Params) -> int:
    """The data protection class the RPO target needs: the slowest strategy meeting it."""
    return next(DATA_CLASS[o] for o in DATA_CLASS if BOUNDS[o].rpo_floor_s <= p.rpo_seconds)


def _recovery_scale(p: Params) -> LinearScale:
    needed = required_recovery_class(p)
    return LinearScale(best=needed, worst=needed - 1)


def _data_scale(p: Params) -> LinearScale:
    needed = required_data_class(p)
    return LinearScale(best=needed, worst=needed - 1)


_SATISFICING = ("satisficing on the 1-5 judgement: 1 at the class the {} target needs and "
                "above, 0 below; capability beyond the target earns nothing (WA REL13-BP02: "
                "not more stringent than needed)")

CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.50,
              "Itemised monthly cost of the standby: running resources, replica storage, "
              "replication transfer and the failover entry point.", "wa-rel13-dr-strategies",
              scale=_cost_scale,
              scale_reason=f"a standby costs a share of production: value halves at "
              f"{COST_MATERIALITY_SHARE:.0%} of production_monthly_usd (at least "
              f"${COST_MATERIALITY_FLOOR_USD:,.0f})"),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.20,
              "What there is to build, keep in sync and rehearse.", "wa-rel13-dr-strategies",
              scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
    Criterion("recovery_speed", "Recovery speed", "1-5 (5 = fastest)", "maximise", 0.15,
              "How fast the strategy restores service (RTO class).", "wa-rel13-dr-strategies",
              scale=_recovery_scale, scale_reason=_SATISFICING.format("RTO")),
    Criterion("data_protection", "Data protection", "1-5 (5 = least loss)", "maximise", 0.15,
              "How little data a disaster loses (RPO class).", "wa-rel13-dr-strategies",
              scale=_data_scale, scale_reason=_SATISFICING.format("RPO")),
)


class Params(DecisionParams):
    """Parameters of the disaster recovery strategy decision."""


    region: str = Field("us-east-1", description="AWS Region of the primary (or of the "
                        "price file, with an on-premises primary).", min_length=1,
                        max_length=32)
    recovery_region: str = Field(
        "us-west-2", description="The recovery Region: replication and backup copies to it "
        "are priced by the Region pair.", pattern=_REGION_PATTERN, max_length=32)
    rto_seconds: int = Field(14_400, ge=0, le=2_592_000,
                             description="RTO target (seconds).")
    rpo_seconds: int = Field(3600, ge=0, le=2_592_000, description="RPO target (seconds).")
    production_monthly_usd: float = Field(
        10_000.0, ge=0, le=100_000_000,
        description="Compute and database instances of the full production stack, priced on "
        "AWS (storage excluded), USD/month.")
    data_tier_share: float = Field(
        0.30, ge=0, le=1, description="Share of production_monthly_usd in data stores (what "
        "pilot light keeps running; unverified default).")
    standby_scale: float = Field(
        0.25, ge=0, le=1, description="Share of the rest (the application fleet) a warm "
        "standby runs (unverified default).")
    data_gb: float = Field(1000.0, ge=0, le=100_000_000, description="GB of data to protect.")
    monthly_change_gb: float = Field(
        200.0, ge=0, le=100_000_000,
        description="GB/month of changed data replicated or copied to the recovery site.")
    primary_on_premises: bool = Field(False, description="The primary runs in a data centre "
                                      "and DR on AWS (seed 544).")
    reduced_capacity_ok: bool = Field(
        False, description="Right after failover the business accepts the standby's reduced "
        "capacity (WA; seed 548).")

    @field_validator("recovery_region")
    @classmethod
    def _other_than_region(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("region"):
            raise ValueError("must differ from region (the primary's Region)")
        return value


def rto_floor(p: Params, option_id: str) -> int:
    if option_id == WARM and p.reduced_capacity_ok:
        return WARM_REDUCED_CAPACITY_RTO_S
    return BOUNDS[option_id].rto_floor_s


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h ({seconds:,.0f} s)"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min ({seconds:,.0f} s)"
    return f"{seconds:,.0f} s"


OPTIONS: tuple[Option, ...] = (
    Option(BACKUP, "Backup and restore",
           "Back up at the RPO and copy the backups to the recovery Region; on disaster, "
           "deploy the infrastructure from code and restore the data."),
    Option(PILOT, "Pilot light",
           "Data stores replicated and always on in the recovery Region; the application "
           "tier is deployed and scaled only on failover."),
    Option(WARM, "Warm standby",
           "A scaled-down, fully functional copy always running in the recovery Region; it "
           "serves at reduced capacity at once and scales up."),
    Option(ACTIVE, "Multi-site active/active",
           "Both sites serve traffic with data synchronised between them; each is sized for "
           "the whole load."),
)


# --- rules (one per option: the floors differ) ------------------------------------------------


def _title(option_id: str) -> str:
    return next(o.title for o in OPTIONS if o.id == option_id).lower()


def _rto_floor_check(option_id: str, p: Params) -> str | None:
    """The RTO target below what the option can achieve."""
    floor = rto_floor(p, option_id)
    if p.rto_seconds >= floor:
        return None
    extra = (" (without reduced_capacity_ok it must scale up first; accepting reduced "
             f"capacity gives {WARM_REDUCED_CAPACITY_RTO_S} s)"
             if option_id == WARM and not p.reduced_capacity_ok else "")
    return (f"the RTO target of {_duration(p.rto_seconds)} is below what "
            f"{_title(option_id)} achieves, {_duration(floor)} at best "
            f"({BOUNDS[option_id].wording}){extra}")


def _rpo_floor_check(option_id: str, p: Params) -> str | None:
    """The RPO target below what the option can achieve."""
    floor = BOUNDS[option_id].rpo_floor_s
    if p.rpo_seconds >= floor:
        return None
    return (f"the RPO target of {_duration(p.rpo_seconds)} is below what "
            f"{_title(option_id)} achieves, {_duration(floor)} at best "
            f"({BOUNDS[option_id].wording})")


# functools.partial of module-level functions: the rules stay picklable values.
RULES: tuple[Rule[Params], ...] = (
    *(Rule("rto-floor", "wa-rel13-dr-strategies", (o.id,), partial(_rto_floor_check, o.id))
      for o in OPTIONS),
    *(Rule("rpo-floor", "wa-rel13-dr-strategies", (o.id,), partial(_rpo_floor_check, o.id))
      for o in OPTIONS),
)


# --- warnings ---------------------------------------------------------------------------------


def _band_check(option_id: str, p: Params) -> str | None:
    """A feasible RTO target inside the strategy's band (below the floor, rto-floor rules
    the option out instead)."""
    top = BOUNDS[option_id].rto_band_top_s
    if p.rto_seconds >= top or p.rto_seconds < rto_floor(p, option_id):
        return None
    return (f"the RTO target of {_duration(p.rto_seconds)} is inside the strategy's band "
            f"(below {_duration(top)}): it holds only with automated recovery that is "
            "rehearsed and timed")


def _needs_pitr(p: Params) -> str | None:
    if p.rpo_seconds >= PITR_BELOW_S or p.rpo_seconds < BOUNDS[BACKUP].rpo_floor_s:
        return None  # below the floor rpo-floor rules backup and restore out
    return (f"an RPO of {_duration(p.rpo_seconds)} (below 1 h) needs continuous backups with "
            "point-in-time recovery, which only some services offer")


def _replication_not_backup(p: Params) -> str | None:
    return ("replication copies corruption and deletions too: keep point-in-time backups "
            "in the recovery Region as well")


def _write_conflicts(p: Params) -> str | None:
    return ("both sites take writes: avoid conflicting writes (a write partition per record) "
            "or handle them")


def _rpo_zero(p: Params) -> str | None:
    if p.rpo_seconds > 0:
        return None
    return ("an RPO of 0 s needs synchronous writes to both sites; asynchronous replication "
            "gives near zero, not zero")


def _capacity_reservations(p: Params) -> str | None:
    return ("scaling up on failover needs capacity in the recovery Region: reserve it "
            "(On-Demand Capacity Reservations)")


def _elastic_dr(p: Params) -> str | None:
    return ("AWS Elastic Disaster Recovery offers warm-standby-like RPO and RTO at about "
            "pilot-light cost; its price is not in the sources, so it is not an option here")


WARNINGS: tuple[Rule[Params], ...] = (
    *(Rule("rto-within-band", "seed-druva-testing", (o.id,), partial(_band_check, o.id))
      for o in OPTIONS),
    Rule("needs-pitr", "wa-rel13-dr-strategies", (BACKUP,), _needs_pitr),
    Rule("replication-is-not-backup", "wa-rel13-dr-strategies", _REPLICATING,
         _replication_not_backup),
    Rule("write-conflicts", "wa-rel13-dr-strategies", (ACTIVE,), _write_conflicts),
    Rule("rpo-zero", "wa-rel13-dr-strategies", (ACTIVE,), _rpo_zero),
    Rule("capacity-reservations", "wa-rel13-dr-strategies", (PILOT, WARM),
         _capacity_reservations),
    Rule("elastic-disaster-recovery", "wa-rel13-dr-strategies", (PILOT, WARM), _elastic_dr),
)


# --- cost model (pure) ------------------------------------------------------------------------


def _transfer_gb(p: Params) -> float:
    """Changed data sent to the recovery site; data into AWS is free (on-premises primary)."""
    return 0.0 if p.primary_on_premises else p.monthly_change_gb


def _replica(p: Params, prices: PriceTable) -> dict[str, float | None]:
    return {
        "replica storage (EBS gp3)": prices.per_gb("ebs_gp3_gb_month", p.data_gb),
        f"replication transfer to {p.recovery_region}":
            prices.per_gb_to("inter_region_gb", p.recovery_region, _transfer_gb(p)),
    }


def _entry_point(p: Params, prices: PriceTable) -> dict[str, float | None]:
    """With an on-premises primary the seed's always-on NLB in the VPC health-checks the
    data centre and fails over to the standby (seed 554, 565)."""
    if not p.primary_on_premises:
        return {}
    return {"Network Load Balancer entry point (always on)": prices.hourly("nlb_hour")}


def standby_data_tier_usd(p: Params) -> float:
    return p.data_tier_share * p.production_monthly_usd


def standby_fleet_usd(p: Params) -> float:
    return p.standby_scale * (1 - p.data_tier_share) * p.production_monthly_usd


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. The backups every strategy keeps are the same for all
    and left out (an assumption states their amount)."""
    return {
        BACKUP: {"standby resources (none: recovery rebuilds from backups)": 0.0},
        PILOT: {
            "standby data tier (data_tier_share x production)": standby_data_tier_usd(p),
            **_replica(p, prices),
        },
        WARM: {
            "standby data tier (data_tier_share x production)": standby_data_tier_usd(p),
            "scaled-down application fleet (standby_scale x the rest)": standby_fleet_usd(p),
            **_replica(p, prices),
            **_entry_point(p, prices),
        },
        ACTIVE: {
            "second site (full production)": p.production_monthly_usd,
            **_replica(p, prices),
            **_entry_point(p, prices),
        },
    }


# --- criteria ---------------------------------------------------------------------------------

_COMPLEXITY: dict[str, Judgement] = {
    BACKUP: Judgement(1, "the least complex: backups, their copies and code to rebuild",
                      "wa-rel13-dr-strategies"),
    PILOT: Judgement(2, "replicated data stores; the application tier deployed on failover",
                     "wa-rel13-dr-strategies"),
    WARM: Judgement(3, "a second, scaled-down stack always running and kept in step",
                    "wa-rel13-dr-strategies"),
    ACTIVE: Judgement(5, "the most operationally complex: two live sites, synchronised data, "
                      "write conflicts", "wa-rel13-dr-strategies"),
}
_RECOVERY: dict[str, Judgement] = {
    BACKUP: Judgement(RECOVERY_CLASS[BACKUP], "RTO in hours (24 hours or less)",
                      "wa-rel13-dr-strategies"),
    PILOT: Judgement(RECOVERY_CLASS[PILOT], "RTO in tens of minutes", "wa-rel13-dr-strategies"),
    WARM: Judgement(RECOVERY_CLASS[WARM], "RTO in minutes, or seconds at reduced capacity",
                    "seed-dr-strategies"),
    ACTIVE: Judgement(RECOVERY_CLASS[ACTIVE], "RTO potentially zero", "wa-rel13-dr-strategies"),
}
_DATA: dict[str, Judgement] = {
    BACKUP: Judgement(DATA_CLASS[BACKUP], "RPO in hours (5 minutes at best with "
                      "point-in-time recovery)", "wa-rel13-dr-strategies"),
    PILOT: Judgement(DATA_CLASS[PILOT], "RPO in minutes", "wa-rel13-dr-strategies"),
    WARM: Judgement(DATA_CLASS[WARM], "RPO in seconds", "wa-rel13-dr-strategies"),
    ACTIVE: Judgement(DATA_CLASS[ACTIVE], "RPO near zero", "wa-rel13-dr-strategies"),
}


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    return {
        o.id: {
            "monthly_cost": monthly[o.id],
            "operational_complexity": _COMPLEXITY[o.id],
            "recovery_speed": _RECOVERY[o.id],
            "data_protection": _DATA[o.id],
        }
        for o in OPTIONS
    }


# --- actions, assumptions, diagrams -----------------------------------------------------------


def _backup_interval(p: Params) -> str:
    if p.rpo_seconds < PITR_BELOW_S:
        return (f"continuously with point-in-time recovery (RPO {_duration(p.rpo_seconds)}, "
                "below 1 h)")
    return f"at least every {_duration(p.rpo_seconds)} (the RPO)"


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    steps: list[Action] = [
        Action(f"Back up {_backup_interval(p)} and copy the backups to {p.recovery_region} "
               "(AWS Backup copy rules).", "seed-druva-rpo-backups"),
    ]
    if option_id == BACKUP:
        steps += [
            Action("Keep the infrastructure as code to rebuild the stack in the recovery "
                   "Region.", "wa-rel13-dr-strategies"),
            Action("Rehearse restores and time them against the RTO.", "seed-druva-testing"),
        ]
    if option_id == PILOT:
        steps += [
            Action("Replicate the data stores to the recovery Region (read replicas or "
                   "replication), always on.", "wa-rel13-dr-strategies"),
            Action("Keep AMIs and infrastructure as code for the application tier; reserve "
                   "capacity for it.", "wa-rel13-dr-strategies"),
            Action("On failover, promote the replicas and deploy and scale the application "
                   "tier; keep point-in-time backups beside the replicas.",
                   "wa-rel13-dr-strategies"),
        ]
    if option_id == WARM:
        steps.append(Action(f"Run the scaled-down stack ({p.standby_scale:.0%} of the "
                            "application fleet) in the recovery Region with replicated data "
                            "stores.", "wa-rel13-dr-strategies"))
        if p.primary_on_premises:
            steps.append(Action("Put a Network Load Balancer in the VPC that health-checks "
                                "the on-premises targets over Direct Connect and fails over "
                                "to the standby targets.", "seed-dr-ivr-failover"))
        else:
            steps.append(Action("Fail over with health checks (Route 53 failover records).",
                                "wa-rel13-dr-strategies"))
        steps.append(Action("Scale up after failover; reserve the capacity to scale into.",
                            "wa-rel13-dr-strategies"))
    if option_id == ACTIVE:
        steps += [
            Action("Serve from both sites with data synchronised between them; handle or "
                   "avoid conflicting writes.", "wa-rel13-dr-strategies"),
            Action("Be able to evacuate a failed site: route all traffic to the other.",
                   "wa-rel13-dr-strategies"),
        ]
        if p.primary_on_premises:
            steps.append(Action("Put the Network Load Balancer entry point in the VPC, "
                                "reaching the data centre over Direct Connect.",
                                "seed-dr-ivr-failover"))
    steps.append(Action("Test the DR plan regularly: did recovery meet the RTO and RPO?",
                        "seed-druva-testing"))
    if p.primary_on_premises:
        steps.append(Action("Connect the data centre with Direct Connect and a Site-to-Site "
                            "VPN backup (see hybrid-connectivity).", "seed-dx-vpn-backup"))
    return tuple(steps)


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    snapshot = prices.value("ebs_snapshot_gb_month")
    transfer = prices["inter_region_gb"].to_region(p.recovery_region)
    common = p.data_gb * snapshot + _transfer_gb(p) * transfer
    moved = ("0 (data into AWS is free)" if p.primary_on_premises
             else f"{p.monthly_change_gb:,.0f} GB x ${transfer:g}")
    bounds = "; ".join(
        f"{o.title.lower()}: RTO from {_duration(rto_floor(p, o.id))} (band to "
        f"{_duration(BOUNDS[o.id].rto_band_top_s)}), RPO from "
        f"{_duration(BOUNDS[o.id].rpo_floor_s)}" for o in OPTIONS)
    return (
        Assumption("common-backups", f"Every strategy keeps backups copied to "
                   f"{p.recovery_region}; they cost the same for all and are left out: "
                   f"{p.data_gb:,.0f} GB x ${snapshot:g} of snapshots + {moved} of transfer "
                   f"= ${common:,.2f}/month.", "pricing-ebs"),
        Assumption("bounds", "What each strategy achieves is read from the WA wording "
                   f"(unverified interpretation): {bounds}.", "wa-rel13-dr-strategies",
                   unverified=True),
        Assumption("shares", f"The data tier is {p.data_tier_share:.0%} of production "
                   f"(data_tier_share) and a warm standby runs {p.standby_scale:.0%} of the "
                   "application fleet (standby_scale): defaults 30% and 25% are unverified.",
                   "wa-rel13-dr-strategies", unverified=True),
        Assumption("data-tier-size", "The standby data tier runs at production size; the "
                   "active/active second site carries the whole load (the same resources as "
                   "the primary).", "wa-rel13-dr-strategies"),
        Assumption("recovery-region", f"Replication to {p.recovery_region} is priced by the "
                   f"Region pair: ${transfer:g}/GB"
                   + (" (data into AWS from the data centre is free)."
                      if p.primary_on_premises else "."), "pricing-ec2-data-transfer"),
        Assumption("left-out", "NLCUs of the entry NLB, Route 53 health checks and the "
                   "connectivity to an on-premises primary are left out.", "pricing-elb"),
    )


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "dr-strategy")
    primary_label = "data centre" if p.primary_on_premises else f"Region {p.region} (primary)"
    clusters = [Cluster("primary", primary_label),
                Cluster("recovery", f"Region {p.recovery_region} (recovery)")]
    if p.primary_on_premises:
        nodes = [Node("prod", "production", "aws.general.GenericOfficeBuilding", "primary")]
    else:
        nodes = [Node("prod", "production\nfull fleet", "aws.compute.EC2AutoScaling",
                      "primary"),
                 Node("prod-db", "databases", "aws.database.RDS", "primary")]
    nodes += [Node("backup", "AWS Backup", "aws.storage.Backup", "primary"),
              Node("copies", "backup copies", "aws.storage.ElasticBlockStoreEBSSnapshot",
                   "recovery")]
    edges = [Edge("prod", "backup"), Edge("backup", "copies", "copy", "dashed")]
    source = "prod" if p.primary_on_premises else "prod-db"
    if option_id in _REPLICATING:
        nodes.append(Node("replica", "replicated data stores", "aws.database.RDS",
                          "recovery"))
        edges.append(Edge(source, "replica", "replication", "dashed"))
        fleet = {PILOT: "0 instances (deployed on failover)",
                 WARM: f"{p.standby_scale:.0%} of the fleet", ACTIVE: "full fleet"}[option_id]
        nodes.append(Node("standby", f"application fleet\n{fleet}", "aws.compute.EC2AutoScaling",
                          "recovery"))
        edges.append(Edge("standby", "replica"))
    else:
        nodes.append(Node("rebuild", "rebuilt from code and backups on disaster",
                          "aws.compute.EC2AutoScaling", "recovery"))
        edges.append(Edge("copies", "rebuild", "restore", "dashed"))
    if option_id in (WARM, ACTIVE):
        if p.primary_on_premises:
            nodes.append(Node("entry", "Network Load Balancer\nhealth checks",
                              "aws.network.ElbNetworkLoadBalancer", "recovery"))
        else:
            nodes.append(Node("entry", "Route 53 failover", "aws.network.Route53"))
        edges += [Edge("entry", "prod", "primary"),
                  Edge("entry", "standby", "failover" if option_id == WARM else "both")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes), edges=tuple(edges),
                       clusters=tuple(clusters))


# --- the requirements matrix: each strategy's best RTO and RPO against the targets --------


def _rto_measured(p: Params, option_id: str) -> str:
    return (f"best achievable RTO {_duration(rto_floor(p, option_id))}, "
            f"target {_duration(p.rto_seconds)}")


def _rpo_measured(p: Params, option_id: str) -> str:
    return (f"best achievable RPO {_duration(BOUNDS[option_id].rpo_floor_s)}, "
            f"target {_duration(p.rpo_seconds)}")


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("rto", "Recovery time (RTO)", ("rto-floor",), _rto_measured),
    Requirement("rpo", "Data loss (RPO)", ("rpo-floor",), _rpo_measured),
)


DECISION: Decision[Params] = Decision(
    id="dr-strategy",
    title="Disaster recovery strategy: backup and restore, pilot light, warm standby or "
          "active/active",
    question="Which disaster recovery strategy meets the RTO and RPO at the lowest standby "
             "cost, without being more stringent than needed?",
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
    volume_fields=("monthly_change_gb",),
    sources=("seed-dr-rto-rpo", "seed-dr-strategies", "wa-rel13-dr-strategies"),
    requirements=REQUIREMENTS,
)
