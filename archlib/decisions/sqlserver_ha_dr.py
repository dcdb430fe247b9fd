"""sqlserver-ha-dr: SQL Server high availability across AZs, and disaster recovery in a second
Region, on Amazon EC2.

Guidance: seed lines 821-907 ("Implementing HA and DR for Microsoft SQL Server using Always On
Failover Cluster Instance and SIOS DataKeeper"), seed line 546 (RTO and RPO), the FSx for
Windows File Server guide (SQL Server, Multi-AZ, quotas) and Microsoft's documentation of
basic, distributed and regular availability groups.

Each option gets an estimated RPO and RTO, built from named steps with their sources (see
:func:`estimate`), and is ruled out when it cannot meet the targets; the messages carry the
numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal, get_args

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

__all__ = ["DECISION", "Estimate", "Params", "estimate"]

FSX = "fci-fsx"
SIOS = "fci-sios"
AG = "availability-groups"
#: Availability groups in one multi-subnet WSFC spanning both Regions, the DR replica
#: asynchronous (the seed's three-node cluster, seed 827, 851), beside the distributed group.
AG_ONE = "availability-groups-one-cluster"
FCI_OPTIONS = (FSX, SIOS)
AG_OPTIONS = (AG, AG_ONE)

#: Nodes in the Region (one per AZ); a DR design adds one node in the other Region (seed 827).
HA_NODES = 2
#: SQL Server Standard: an FCI has at most 2 nodes, a basic availability group 2 replicas
#: (ms-sql-editions, ms-basic-ag).
STANDARD_MAX_NODES = 2
#: FSx for Windows SSD storage per file system (fsx-windows-limits).
FSX_MIN_GIB = 32.0
FSX_MAX_GIB = 65_536.0
#: FSx for Windows throughput capacity levels for production workloads (fsx-windows-performance;
#: 8 and 16 MBps exist for test and development only; 4,608 MBps and up only in six Regions,
#: us-east-1 among them).
FsxThroughput = Literal[32, 64, 128, 256, 512, 1024, 2048, 4608, 6144, 9216, 12288]
FSX_THROUGHPUT_STEPS: tuple[int, ...] = get_args(FsxThroughput)
#: Default throughput capacity: the smallest step at or above the 125 MB/s baseline of the gp3
#: volumes the other options use, so storage performance compares.
FSX_DEFAULT_THROUGHPUT_MBPS: FsxThroughput = 128
#: Minimum recommended throughput capacity by SSD storage (fsx-windows-performance):
#: (largest storage in GiB of the band, MBps).
FSX_RECOMMENDED_MBPS: tuple[tuple[float, int], ...] = (
    (640, 32), (1_280, 64), (2_560, 128), (5_120, 256), (10_240, 512), (20_480, 1024),
    (float("inf"), 2048))
#: Multi-AZ file systems at these levels write at most 9,000 MBps (fsx-windows-performance).
FSX_MULTI_AZ_WRITE_CAP_MBPS = 9_000
#: "Hundreds of databases" favour an FCI (seed 823); Microsoft tested availability groups with
#: up to 100 databases per instance (ms-ag-restrictions).
MANY_DATABASES = 100
#: The seed's HostRecordTTL for legacy clients (seed 903).
SEED_TTL_SECONDS = 30
#: Data replicated per month, as a multiple of data_gb (about 3 % of the data changing per
#: day). Unverified: the parameters give no change rate.
MONTHLY_CHANGE_PER_GB = 1.0

# Steps of the estimated RTO (seconds). Sourced where a source gives the number, otherwise
# labelled assumptions (see assumptions()).
#: Node or AZ failure detected: CrossSubnetDelay 1 s x CrossSubnetThreshold 20.
DETECTION_S = 20.0
#: FSx Multi-AZ failover to the standby file server (unverified: "about 30 s").
FSX_FAILOVER_S = 30.0
#: SQL Server service start on the new FCI node (unverified).
SQL_START_S = 10.0
#: Crash recovery of the databases: the 60 s default target recovery time.
RECOVERY_S = 60.0
#: DataKeeper switching the mirror source to the new owner (unverified).
DATAKEEPER_SWITCH_S = 5.0
#: Availability group role change on a synchronised secondary (unverified).
AG_ROLE_CHANGE_S = 10.0
#: Asynchronous replication lag to the DR Region under steady load (unverified).
ASYNC_LAG_S = 60.0

Edition = Literal["standard", "enterprise"]

#: Scoring: the monthly cost at which the cost criterion's value halves (README, "Scoring").
COST_MATERIALITY_USD = 2500.0


def _rto_scale(p: Params) -> LinearScale:
    """0 s is the best anchor, the RTO target the worst (1 s when the target is 0)."""
    return LinearScale(best=0.0, worst=max(float(p.rto_seconds), 1.0))


CRITERIA: tuple[Criterion, ...] = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.30,
              "Itemised monthly cost of the parts that differ between options (licences per "
              "vCPU-hour, storage, replication transfer, SIOS licences).", "ec2-optimize-cpu",
              scale=CostScale(COST_MATERIALITY_USD),
              scale_reason=f"licences and storage run to thousands of dollars a month: value "
              f"halves at ${COST_MATERIALITY_USD:,.0f}"),
    Criterion("guidance_fit", "Fit with the guidance", "1-5 (5 = best)", "maximise", 0.30,
              "How well the option matches the seed's advice for this estate: FCI for "
              "hundreds of databases, Standard edition or system databases; availability "
              "groups when Enterprise licences are owned.", "seed-sqlserver-choice",
              scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("operational_complexity", "Operational complexity", "1-5 (5 = most)",
              "minimise", 0.25,
              "What there is to build and keep in sync: storage replication, groups and "
              "listeners per database, instance-level objects, a second cluster.",
              "seed-sqlserver-ha-options", scale=JudgementScale(),
              scale_reason=JUDGEMENT_REASON),
    Criterion("estimated_rto", "Estimated RTO", "seconds", "minimise", 0.15,
              "Estimated time to recover from a node or AZ failure inside the Region, "
              "including client redirection.", "seed-dr-rto-rpo", scale=_rto_scale,
              scale_reason="linear from 0 s (1) to the rto_seconds target (0): options "
              "slower than the target are ruled out"),
)


class Params(DecisionParams):
    """Parameters of the SQL Server HA/DR decision."""


    database_count: int = Field(20, ge=1, le=32_767, description="User databases on the "
                                "instance (SQL Server allows up to 32,767 per instance).")
    sql_edition: Literal["standard", "enterprise"] = Field(
        "standard", description="SQL Server edition in use.")
    enterprise_licenses_owned: bool = Field(False, description="Enterprise licences are "
                                            "already owned.")
    protect_system_databases: bool = Field(
        False, description="Agent jobs, logins and other instance-level objects must fail "
        "over too.")
    cross_region_dr: bool = Field(False, description="A DR copy in a second Region is "
                                  "required.")
    dr_region: str = Field("us-west-2", description="The DR Region, when cross_region_dr: "
                           "replication transfer is priced by the pair (us-east-1 to it).",
                           pattern=r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$",
                           max_length=32)
    rpo_seconds: int = Field(0, ge=0, le=86_400, description="RPO within the Region "
                             "(seconds of data that may be lost).")
    dr_rpo_seconds: int = Field(900, ge=0, le=604_800, description="RPO to the DR Region "
                                "(seconds), when cross_region_dr.")
    rto_seconds: int = Field(300, ge=0, le=604_800, description="RTO for a node or AZ "
                             "failure inside the Region (seconds).")
    client_driver: Literal["net461-plus", "net45-to-46", "legacy"] = Field(
        "net461-plus", description="Oldest client driver: .NET 4.6.1+, .NET 4.5-4.6, or "
        "legacy (no MultiSubnetFailover).")
    dns_ttl_seconds: int = Field(1200, ge=0, le=86_400, description="The cluster name's "
                                 "current HostRecordTTL (seconds).")
    vcpus_per_node: int = Field(8, ge=1, le=448, description="vCPUs per SQL Server node.")
    data_gb: float = Field(500.0, ge=1, le=1_000_000, description="Data and log size in GiB "
                           "(one copy).")
    licensing: Literal["license-included", "byol"] = Field(
        "license-included", description="SQL Server licences: included in the EC2 price, or "
        "brought (BYOL).")
    sios_monthly_usd_per_node: float | None = Field(
        None, ge=0, le=100_000, description="SIOS DataKeeper licence, USD per node per "
        "month (no default price: unknown unless given).")
    fsx_throughput_mbps: FsxThroughput = Field(
        FSX_DEFAULT_THROUGHPUT_MBPS, description="FSx for Windows throughput capacity (MBps): "
        "32, 64, 128, 256, 512, 1024, 2048, 4608, 6144, 9216 or 12288.")
    active_node_in_fsx_preferred_az: bool = Field(
        True, description="The active FCI node runs in the AZ of the FSx preferred subnet "
        "(fci-fsx); false: its SMB traffic crosses AZs.")


OPTIONS: tuple[Option, ...] = (
    Option(FSX, "FCI on FSx for Windows File Server (Multi-AZ)",
           "One SQL Server failover cluster instance on two nodes in two AZs, its data on a "
           "continuously available share of an FSx for Windows Multi-AZ file system."),
    Option(SIOS, "SANless FCI replicated by SIOS DataKeeper",
           "One failover cluster instance whose EBS volumes DataKeeper mirrors synchronously "
           "between AZs and asynchronously to a DR node in another Region."),
    Option(AG, "Always On availability groups",
           "Database replicas on each node with synchronous commit between AZs (basic groups "
           "under Standard), and a distributed availability group to the DR Region."),
    Option(AG_ONE, "Always On availability groups in one multi-Region cluster",
           "One multi-subnet failover cluster across both Regions: a synchronous replica in "
           "each AZ and an asynchronous-commit replica on the DR node, one listener with an "
           "IP in every subnet (cross-Region DR only)."),
)


# --- topology and editions --------------------------------------------------------------------


def has_dr_node(p: Params, option_id: str) -> bool:
    """A node in the DR Region (FSx cannot host one, seed 824)."""
    return p.cross_region_dr and option_id != FSX


def nodes(p: Params, option_id: str) -> int:
    """Cluster nodes: one per AZ, plus the DR node."""
    return HA_NODES + int(has_dr_node(p, option_id))


def standby_dr_node(p: Params, option_id: str) -> bool:
    """The seed's Standard design: SQL Server Standard runs a two-node FCI in the AZs and the DR
    node only holds DataKeeper's mirror, SQL Server installed there when DR is activated
    (seed 895-897: "If you are using SQL Server Enterprise Edition, install SQL Server on
    DRNode")."""
    return option_id == SIOS and has_dr_node(p, option_id) and p.sql_edition == "standard"


def sql_nodes(p: Params, option_id: str) -> int:
    """Nodes that run (and are licensed for) SQL Server now."""
    return nodes(p, option_id) - int(standby_dr_node(p, option_id))


def needs_enterprise(p: Params, option_id: str) -> bool:
    """Standard edition allows two FCI nodes and two basic replicas: a third node running SQL
    Server needs Enterprise (seed 897; ms-sql-editions; ms-basic-ag)."""
    return sql_nodes(p, option_id) > STANDARD_MAX_NODES


def edition(p: Params, option_id: str) -> Edition:
    if p.sql_edition == "enterprise" or needs_enterprise(p, option_id):
        return "enterprise"
    return "standard"


def _basic_ags(p: Params, option_id: str = AG) -> bool:
    return edition(p, option_id) == "standard"


def fsx_recommended_mbps(storage_gib: float) -> int:
    """The FSx guide's minimum recommended throughput capacity for this much SSD storage."""
    return next(mbps for top, mbps in FSX_RECOMMENDED_MBPS if storage_gib <= top)


def _monthly_change_gb(p: Params) -> float:
    return p.data_gb * MONTHLY_CHANGE_PER_GB


def _fsx_storage_gib(p: Params) -> float:
    return max(p.data_gb, FSX_MIN_GIB)


# --- estimated RPO and RTO ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Estimate:
    """An option's estimated recovery objectives: the RTO as named steps (seconds)."""

    rpo_s: float
    rpo_basis: str
    dr_rpo_s: float | None  # None: the option keeps no copy in another Region
    dr_basis: str
    rto_steps: tuple[tuple[str, float], ...]

    @property
    def rto_s(self) -> float:
        return sum(s for _, s in self.rto_steps)

    def rto_text(self) -> str:
        return " + ".join(f"{name} {seconds:g} s" for name, seconds in self.rto_steps)


def _client_steps(p: Params) -> tuple[tuple[str, float], ...]:
    # Legacy clients hold the one A record until its TTL expires (seed 902); newer drivers try
    # every IP of the name at once and wait for no DNS (seed 901).
    if p.client_driver == "legacy":
        return (("DNS TTL", float(p.dns_ttl_seconds)),)
    return ()


def estimate(p: Params, option_id: str) -> Estimate:
    """Estimated RPO within the Region, RPO to the DR Region and RTO for a node or AZ failure
    inside the Region. Steps are added even where they may overlap (conservative)."""
    dr = ASYNC_LAG_S if has_dr_node(p, option_id) else None
    if option_id == FSX:
        return Estimate(0.0, "FSx Multi-AZ replicates synchronously between AZs", None,
                        "FSx cannot host a node in another Region",
                        (("failure detection", DETECTION_S), ("FSx failover", FSX_FAILOVER_S),
                         ("SQL Server start", SQL_START_S), ("database recovery", RECOVERY_S),
                         *_client_steps(p)))
    if option_id == SIOS:
        return Estimate(0.0, "DataKeeper mirrors synchronously between AZs", dr,
                        "asynchronous DataKeeper mirror lag, assumed",
                        (("failure detection", DETECTION_S),
                         ("DataKeeper switchover", DATAKEEPER_SWITCH_S),
                         ("SQL Server start", SQL_START_S), ("database recovery", RECOVERY_S),
                         *_client_steps(p)))
    if option_id in AG_OPTIONS:
        lag = ("asynchronous distributed availability group lag, assumed" if option_id == AG
               else "asynchronous-commit replica lag, assumed")
        return Estimate(0.0, "synchronous commit between the two AZ replicas", dr, lag,
                        (("failure detection", DETECTION_S), ("role change", AG_ROLE_CHANGE_S),
                         *_client_steps(p)))
    raise KeyError(option_id)


def versus_target(estimate_s: float, target_s: int) -> str:
    """An estimate against its target, pass or fail with the numbers; equal meets it."""
    if estimate_s < target_s:
        return f"target {target_s} s: pass"
    if estimate_s == target_s:
        return f"target {target_s} s: pass, equal"
    return f"target {target_s} s: fail by {estimate_s - target_s:g} s"


# --- rules -------------------------------------------------------------------------------------


def _fsx_cross_region(p: Params) -> str | None:
    if not p.cross_region_dr:
        return None
    return ("FSx for Windows File Server cannot add cluster nodes in another Region "
            "(cross_region_dr = true); a cross-Region FCI needs SIOS DataKeeper")


def _fsx_capacity(p: Params) -> str | None:
    if p.data_gb <= FSX_MAX_GIB:
        return None
    return (f"data_gb {p.data_gb:,.0f} GiB exceeds the {FSX_MAX_GIB:,.0f} GiB maximum SSD "
            "storage of one FSx for Windows file system")


def _one_cluster_needs_dr(p: Params) -> str | None:
    if p.cross_region_dr:
        return None
    return ("without cross_region_dr there is no DR replica: one cluster across the two AZs is "
            "the availability-groups option")


def _rpo_exceeded(option_id: str, p: Params) -> str | None:
    """The RPO rule for one option (bound with functools.partial: module-level, so an
    evaluation pickles)."""
    e = estimate(p, option_id)
    if e.rpo_s <= p.rpo_seconds:
        return None
    return (f"estimated RPO {e.rpo_s:g} s ({e.rpo_basis}) exceeds the {p.rpo_seconds} s "
            "target")


def _dr_rpo_exceeded(option_id: str, p: Params) -> str | None:
    e = estimate(p, option_id)
    if e.dr_rpo_s is None or e.dr_rpo_s <= p.dr_rpo_seconds:
        return None
    return (f"estimated DR RPO {e.dr_rpo_s:g} s ({e.dr_basis}) exceeds the "
            f"{p.dr_rpo_seconds} s target: replication between Regions is asynchronous")


def _rto_exceeded(option_id: str, p: Params) -> str | None:
    e = estimate(p, option_id)
    if e.rto_s <= p.rto_seconds:
        return None
    message = (f"estimated RTO {e.rto_s:g} s ({e.rto_text()}) exceeds the "
               f"{p.rto_seconds} s target")
    lowered = e.rto_s - p.dns_ttl_seconds + SEED_TTL_SECONDS
    if (p.client_driver == "legacy" and p.dns_ttl_seconds > SEED_TTL_SECONDS
            and lowered <= p.rto_seconds):
        message += (f"; with HostRecordTTL lowered to {SEED_TTL_SECONDS} s (the seed's "
                    f"value) it would be {lowered:g} s: set dns_ttl_seconds to match")
    return message


ALL_OPTIONS = (FSX, SIOS, AG, AG_ONE)
DR_OPTIONS = (SIOS, AG, AG_ONE)

RULES: tuple[Rule[Params], ...] = (
    Rule("fsx-no-cross-region-nodes", "seed-sqlserver-fsx", (FSX,), _fsx_cross_region),
    Rule("fsx-max-storage", "fsx-windows-limits", (FSX,), _fsx_capacity),
    Rule("one-cluster-needs-dr", "seed-sqlserver-cluster-build", (AG_ONE,),
         _one_cluster_needs_dr),
    *(Rule("rpo-target", "seed-dr-rto-rpo", (o,), partial(_rpo_exceeded, o))
      for o in ALL_OPTIONS),
    *(Rule("dr-rpo-target", "seed-sqlserver-ha-options", (o,), partial(_dr_rpo_exceeded, o))
      for o in DR_OPTIONS),
    *(Rule("rto-target", "seed-dr-rto-rpo", (o,), partial(_rto_exceeded, o))
      for o in ALL_OPTIONS),
)


def _fci_standard_nodes(p: Params) -> str | None:
    if not standby_dr_node(p, SIOS):
        return None
    return (f"SQL Server Standard limits an FCI to {STANDARD_MAX_NODES} nodes: SQL Server runs "
            "on the two AZ nodes; the DR node joins the cluster and holds DataKeeper's "
            "asynchronous mirror without SQL Server (the seed installs it there only with "
            "Enterprise edition)")


def _dr_node_licence_at_activation(p: Params) -> str | None:
    if not standby_dr_node(p, SIOS):
        return None
    how = ("licence included: convert the node's licence type to Windows Server with SQL "
           "Server Standard with AWS License Manager, confirming the conversion is eligible, or "
           "rebuild it from that AMI, billed at the SQL Server rate from then on"
           if p.licensing == "license-included"
           else "BYOL: a SQL Server Standard licence you hold must cover it")
    return ("the DR node is costed at the Windows rate only: activating DR means installing "
            "SQL Server on it (Standard allows two FCI nodes: remove a lost AZ node from the "
            f"FCI first) and licensing it then ({how}); see the dr-node-activation assumption "
            "for the monthly difference")


def _basic_ag_replicas(option_id: str, p: Params) -> str | None:
    if p.sql_edition != "standard" or not needs_enterprise(p, option_id):
        return None
    why = ("never part of a distributed availability group" if option_id == AG
           else "a third, asynchronous replica is not allowed")
    return (f"Standard edition offers only basic availability groups ({STANDARD_MAX_NODES} "
            f"replicas, {why}); the DR replica needs Enterprise edition (costed as "
            "Enterprise on every node)")

def _basic_ag_per_database(option_id: str, p: Params) -> str | None:
    if not _basic_ags(p, option_id) or p.database_count == 1:
        return None
    n = p.database_count
    return (f"basic availability groups hold one database each: {n} databases need {n} "
            "groups and listeners, each failing over on its own")

def _ag_user_databases_only(p: Params) -> str | None:
    if not p.protect_system_databases:
        return None
    return ("availability groups replicate user databases only: logins, SQL Agent jobs and "
            "other instance-level objects must be copied to every replica and kept in sync")


def _ag_tested_databases(p: Params) -> str | None:
    if p.database_count <= MANY_DATABASES:
        return None
    return (f"{p.database_count} databases exceed the {MANY_DATABASES} per instance Microsoft "
            "has tested with availability groups: size worker threads and test failover time")


def _distributed_ag_listener(p: Params) -> str | None:
    # Only the distributed group has a listener per Region; the one-cluster variant's listener
    # holds an IP in every subnet of both Regions.
    if not p.cross_region_dr:
        return None
    return ("a distributed availability group has a listener per Region, none spanning both: "
            "after a DR failover clients must be pointed at the DR group's listener")


def _quorum_across_regions(p: Params) -> str | None:
    if not p.cross_region_dr:
        return None
    return ("one cluster spans both Regions: give the DR node no quorum vote (NodeWeight 0) so "
            "quorum rests on the primary Region and not on the link between Regions, and plan "
            "to force quorum on the DR node when activating DR")


def _byol_enterprise_not_owned(option_id: str, p: Params) -> str | None:
    if (p.licensing != "byol" or not needs_enterprise(p, option_id)
            or p.sql_edition == "enterprise" or p.enterprise_licenses_owned):
        return None
    return (f"this {nodes(p, option_id)}-node design needs Enterprise licences and none "
            "are owned (enterprise_licenses_owned = false): buying them is not in the "
            "monthly cost (BYOL)")

def _fsx_preferred_az(p: Params) -> str | None:
    if p.active_node_in_fsx_preferred_az:
        return None
    return ("the active node is not in the AZ of the FSx preferred subnet: every SMB read and "
            "write crosses AZs (latency, and cross-AZ data transfer the cost leaves out); make "
            "the node in that AZ the FCI's preferred owner")


def _fsx_throughput_below_recommended(p: Params) -> str | None:
    storage = _fsx_storage_gib(p)
    recommended = fsx_recommended_mbps(storage)
    if p.fsx_throughput_mbps >= recommended:
        return None
    return (f"fsx_throughput_mbps {p.fsx_throughput_mbps} is below the {recommended} MBps the "
            f"FSx guide recommends as a minimum for {storage:,.0f} GiB of SSD storage")


def _fsx_multi_az_write_cap(p: Params) -> str | None:
    if p.fsx_throughput_mbps <= FSX_MULTI_AZ_WRITE_CAP_MBPS:
        return None
    return (f"a Multi-AZ file system at {p.fsx_throughput_mbps:,} MBps writes at most "
            f"{FSX_MULTI_AZ_WRITE_CAP_MBPS:,} MBps and 262,500 IOPS")


WARNINGS: tuple[Rule[Params], ...] = (
    Rule("fci-standard-two-nodes", "seed-sqlserver-dr-node", (SIOS,), _fci_standard_nodes),
    Rule("dr-node-licence-at-activation", "aws-license-conversion", (SIOS,),
         _dr_node_licence_at_activation),
    *(Rule("basic-ag-two-replicas", "ms-basic-ag", (o,), partial(_basic_ag_replicas, o))
      for o in AG_OPTIONS),
    *(Rule("basic-ag-one-database", "ms-basic-ag", (o,), partial(_basic_ag_per_database, o))
      for o in AG_OPTIONS),
    Rule("ag-user-databases-only", "ms-ag-restrictions", AG_OPTIONS, _ag_user_databases_only),
    Rule("ag-tested-databases", "ms-ag-restrictions", AG_OPTIONS, _ag_tested_databases),
    Rule("distributed-ag-listener", "ms-distributed-ag", (AG,), _distributed_ag_listener),
    Rule("cluster-quorum-across-regions", "ms-cluster-quorum-nodeweight", (SIOS, AG_ONE),
         _quorum_across_regions),
    *(Rule("byol-enterprise-not-owned", "aws-microsoft-licensing", (o,),
           partial(_byol_enterprise_not_owned, o)) for o in AG_OPTIONS),
    Rule("fsx-preferred-az", "fsx-windows-multi-az", (FSX,), _fsx_preferred_az),
    Rule("fsx-throughput-below-recommended", "fsx-windows-performance", (FSX,),
         _fsx_throughput_below_recommended),
    Rule("fsx-multi-az-write-limit", "fsx-windows-performance", (FSX,),
         _fsx_multi_az_write_cap),
)


# --- cost model (pure) -------------------------------------------------------------------------


def _licence_items(p: Params, prices: PriceTable, option_id: str) -> dict[str, float | None]:
    """Per-vCPU licence rates (ec2-optimize-cpu) for every node that runs SQL Server. The
    "Windows Server with SQL Server <edition>" rate already includes Windows; under BYOL
    only the Windows rate is billed. A standby DR node (the seed's Standard design) pays the
    Windows rate until DR is activated."""
    n = sql_nodes(p, option_id)
    shape = f"{n} nodes x {p.vcpus_per_node} vCPU"
    name = edition(p, option_id).capitalize()
    why = (f", Enterprise: {n} nodes exceed Standard's {STANDARD_MAX_NODES}"
           if p.sql_edition == "standard" and needs_enterprise(p, option_id) else "")
    items: dict[str, float | None]
    if p.licensing == "license-included":
        rate = f"sql_{edition(p, option_id)}_vcpu_hour"
        items = {f"Windows Server with SQL Server {name}, licence included ({shape}{why})":
                 prices.hourly(rate, n * p.vcpus_per_node)}
    else:
        items = {
            f"Windows Server, licence included ({shape})":
                prices.hourly("ec2_windows_vcpu_hour", n * p.vcpus_per_node),
            f"SQL Server {name} licences: BYOL, not billed by AWS ({shape}{why})": 0.0,
        }
    if standby_dr_node(p, option_id):
        items[f"Windows Server, licence included (DR node x {p.vcpus_per_node} vCPU, no SQL "
              "Server until DR is activated)"] = prices.hourly("ec2_windows_vcpu_hour",
                                                              p.vcpus_per_node)
    return items


def _replication_items(p: Params, prices: PriceTable, option_id: str) -> dict[str, float | None]:
    """EBS volumes on every node and replication transfer (EBS-based options only)."""
    n = nodes(p, option_id)
    change = _monthly_change_gb(p)
    items: dict[str, float | None] = {
        f"EBS gp3 data volumes ({n} nodes x {p.data_gb:g} GiB)":
            prices.per_gb("ebs_gp3_gb_month", n * p.data_gb),
        # Charged in each direction: out of one AZ and into the other.
        f"cross-AZ replication transfer ({change:,.0f} GB/month, out and in)":
            prices.per_gb("cross_az_gb", 2 * change),
    }
    if has_dr_node(p, option_id):
        items[f"inter-Region replication transfer to {p.dr_region} ({change:,.0f} GB/month)"] \
            = prices.per_gb_to("inter_region_gb", p.dr_region, change)
    return items


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """Itemised monthly USD per option. Costs common to every feasible option (the instances'
    base compute, root volumes, Active Directory, the witness share, backups) are left out and
    listed as an assumption."""
    storage = _fsx_storage_gib(p)
    fsx: dict[str, float | None] = {
        **_licence_items(p, prices, FSX),
        f"FSx for Windows Multi-AZ SSD storage ({storage:g} GiB)":
            prices.per_gb("fsx_windows_multi_az_ssd_gb_month", storage),
        f"FSx for Windows Multi-AZ throughput capacity ({p.fsx_throughput_mbps:,} MBps)":
            prices.per_gb("fsx_windows_multi_az_mbps_month", p.fsx_throughput_mbps),
    }
    n_sios = nodes(p, SIOS)
    sios_price = p.sios_monthly_usd_per_node
    sios: dict[str, float | None] = {
        **_licence_items(p, prices, SIOS),
        **_replication_items(p, prices, SIOS),
        # No default price (DOMAIN.md): unknown unless the scenario gives it.
        f"SIOS DataKeeper licences ({n_sios} nodes)":
            None if sios_price is None else n_sios * sios_price,
    }
    ags = {o: {**_licence_items(p, prices, o), **_replication_items(p, prices, o)}
           for o in AG_OPTIONS}
    return {FSX: fsx, SIOS: sios, **ags}


# --- criteria ----------------------------------------------------------------------------------


def _guidance_fit(p: Params, option_id: str) -> Judgement:
    """Start from a neutral 3; each of the seed's signals (seed 823) moves the option it
    favours up one point and the other family down one, within 1-5."""
    family = "fci" if option_id in FCI_OPTIONS else "ag"
    signals: list[tuple[str, str]] = []
    if p.database_count > MANY_DATABASES:
        signals.append((f"{p.database_count} databases (hundreds favour an FCI)", "fci"))
    # With DR too: the seed's Standard FCI keeps Standard on two nodes (seed 895-897), where
    # availability groups need Enterprise for a DR replica.
    if p.sql_edition == "standard":
        signals.append(("Standard edition: an FCI avoids Enterprise", "fci"))
    if p.protect_system_databases:
        signals.append(("system databases must fail over (an FCI protects them)", "fci"))
    if p.enterprise_licenses_owned:
        signals.append(("Enterprise licences owned (keep availability groups)", "ag"))
    value = 3
    parts = []
    for text, favours in signals:
        step = 1 if favours == family else -1
        value += step
        parts.append(f"{'one point up' if step > 0 else 'one point down'}: {text}")
    value = min(5, max(1, value))
    if not parts:
        return Judgement(value, "3 of 5 (neutral): no signal from the guidance applies",
                         "seed-sqlserver-choice")
    # D20: say the scale, the start and what each signal did, not "neutral 3, -1 ...: 2"
    return Judgement(value, f"{value} of 5: from a neutral 3, {'; '.join(parts)}",
                     "seed-sqlserver-choice")


def _complexity(p: Params, option_id: str) -> Judgement:
    if option_id == FSX:
        return Judgement(2, "2: one instance on a managed Multi-AZ share; every database and "
                         "the instance-level objects fail over together",
                         "fsx-windows-sql-server")
    if option_id == SIOS:
        value, parts = 3, ["3: a third-party replication product on every node, mirror jobs "
                           "per volume, intent log on the ephemeral drive"]
        if p.cross_region_dr:
            value += 1
            parts.append("+1 a cluster across Regions with an asynchronous mirror")
        return Judgement(value, "; ".join(parts), "seed-sios-mirror-jobs")
    value, parts = 3, ["3: each database joined, seeded and monitored in its group"]
    if _basic_ags(p, option_id) and p.database_count > 1:
        value += 1
        parts.append(f"+1 {p.database_count} basic groups and listeners (one per database)")
    if p.protect_system_databases:
        value += 1
        parts.append("+1 logins and agent jobs synchronised by hand")
    if not p.cross_region_dr:
        return Judgement(min(5, value), "; ".join(parts), "ms-ag-overview")
    # One point each: Microsoft finds a second site easier to run as a distributed group than
    # in one stretched cluster (quorum witness, node votes, cross-subnet thresholds), but the
    # distributed group adds a second cluster, group and listener, manual-only failover and
    # ordered patching; no source weighs these against each other, so the two tie here.
    value += 1
    parts.append("+1 a distributed group over two clusters: a second cluster, group and "
                 "listener, clients re-pointed after DR" if option_id == AG else
                 "+1 one cluster across Regions: quorum votes, heartbeats over the Region "
                 "link, quorum forced at DR activation")
    return Judgement(min(5, value), "; ".join(parts), "ms-distributed-ag")


def criteria_values(
    p: Params, monthly: Mapping[str, float | None]
) -> dict[str, dict[str, float | Judgement | None]]:
    values: dict[str, dict[str, float | Judgement | None]] = {}
    for o in OPTIONS:
        e = estimate(p, o.id)
        values[o.id] = {
            "monthly_cost": monthly[o.id],
            "guidance_fit": _guidance_fit(p, o.id),
            "operational_complexity": _complexity(p, o.id),
            "estimated_rto": Judgement(
                e.rto_s,
                f"{e.rto_text()} = {e.rto_s:g} s ({versus_target(e.rto_s, p.rto_seconds)})",
                "seed-dr-rto-rpo"),
        }
    return values


# --- actions -----------------------------------------------------------------------------------


def _network_name(option_id: str) -> str:
    return ("availability group listener" if option_id in AG_OPTIONS
            else "SQL Server network name")


def _client_action(p: Params, option_id: str) -> Action:
    source = "seed-sqlserver-client-redirection"
    name = _network_name(option_id)
    if p.client_driver == "net461-plus":
        return Action(f"Keep RegisterAllProvidersIP = 1 (the multi-subnet default) on the {name}: "
                      ".NET Framework 4.6.1 and later clients handle cross-subnet failover "
                      "without connection-string changes.", source)
    if p.client_driver == "net45-to-46":
        return Action("Add MultiSubnetFailover=True to every connection string (.NET Framework "
                      f"4.5-4.6 clients) and keep RegisterAllProvidersIP = 1 on the {name}, so "
                      "clients try the IP of every subnet at once.", source)
    ttl = (f"keep its HostRecordTTL at {p.dns_ttl_seconds} s"
           if p.dns_ttl_seconds <= SEED_TTL_SECONDS
           else f"lower its HostRecordTTL from {p.dns_ttl_seconds} s to {SEED_TTL_SECONDS} s "
                "(the seed's value)")
    return Action(f"Legacy clients cannot use MultiSubnetFailover: set RegisterAllProvidersIP "
                  f"to 0 on the {name} so DNS holds one A record, updated at failover, and "
                  f"{ttl} (Get-ClusterResource <name> | Set-ClusterParameter).", source)


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    n = nodes(p, option_id)
    dr = has_dr_node(p, option_id)
    placement = ("two in different AZs and one in the DR Region (VPC peering between the "
                 "Regions)" if dr else "each in a different AZ")
    members = ("the two AZ nodes (the DR node gets a cluster of its own)" if dr and option_id == AG
               else f"all {n} nodes across both Regions" if dr else "both nodes")
    steps = [
        Action(f"Launch {n} Windows Server nodes with {p.vcpus_per_node} vCPU each, "
               f"{placement}, each in its own private subnet with a primary IP and two "
               "secondary IPs (cluster core resource and "
               f"{_network_name(option_id)}).", "seed-sqlserver-multi-subnet"),
        Action("Join every node to the Active Directory domain, install the Failover "
               f"Clustering feature, run Test-Cluster and create the cluster of {members} "
               "with a static IP in each subnet (New-Cluster -NoStorage).",
               "seed-sqlserver-cluster-build"),
    ]
    if dr and option_id in (SIOS, AG_ONE):
        steps.append(Action("Set the DR node's NodeWeight to 0: only the primary Region's "
                            "nodes and the witness vote, so quorum rests on the primary Region "
                            "and not on the link between Regions.",
                            "ms-cluster-quorum-nodeweight"))
    if option_id == FSX:
        steps += [
            Action(f"Create an FSx for Windows File Server Multi-AZ file system (SSD, "
                   f"{_fsx_storage_gib(p):g} GiB, {p.fsx_throughput_mbps:,} MBps) joined to the "
                   "domain, with a continuously available share for the data and log files.",
                   "fsx-windows-sql-server"),
            Action("Install SQL Server with \"New SQL Server failover cluster installation\" on "
                   "the first node and \"Add node to a SQL Server failover cluster\" on the "
                   "second, data and log directories on the share's UNC path.",
                   "seed-sqlserver-dr-node"),
            Action("Make the node in the AZ of the file system's preferred subnet the FCI's "
                   "preferred owner, so SMB traffic stays in one AZ while both are healthy.",
                   "fsx-windows-multi-az"),
        ]
    if option_id == SIOS:
        steps += [
            Action("Install SIOS DataKeeper Cluster Edition on every node (or launch its AWS "
                   "Marketplace AMI) and move its intent log (bitmap) to the ephemeral drive.",
                   "seed-sios-mirror-jobs"),
            Action(f"Create a DataKeeper job mirroring the {p.data_gb:g} GiB data volume "
                   "synchronously between the two AZ nodes (target volume at least as large) "
                   "and register it as a clustered DataKeeper volume.",
                   "seed-sios-mirror-jobs"),
        ]
        if dr:
            steps.append(Action("Add an asynchronous mirror from the primary to the DR node in "
                                "the other Region to the same job; DataKeeper switches the "
                                "mirror source to whichever node owns the cluster.",
                                "seed-sios-mirror-jobs"))
        steps.append(Action(
            "Install SQL Server as a new FCI on the first node and add the second node"
            + (" and, with Enterprise edition, the DR node" if dr and not standby_dr_node(p, SIOS)
               else "") + ".",
            "seed-sqlserver-dr-node"))
        if standby_dr_node(p, SIOS):
            steps.append(Action(
                "Leave SQL Server off the DR node (Standard edition: two FCI nodes). To "
                "activate DR: force quorum on the DR node, remove a lost AZ node from the FCI, "
                "install SQL Server on the DR node with \"Add node to a SQL Server failover "
                "cluster\", license it, and bring the FCI online on the mirrored volume.",
                "seed-sqlserver-dr-node"))
    if option_id in AG_OPTIONS:
        if _basic_ags(p, option_id):
            steps.append(Action(
                f"Create one basic availability group per database ({p.database_count} in all), "
                "each with a synchronous-commit secondary in the other AZ, automatic failover "
                "and a listener with an IP in each subnet.", "ms-basic-ag"))
        else:
            steps.append(Action(
                f"Create an availability group with the {p.database_count} databases, "
                "synchronous commit and automatic failover between the two AZ replicas, and a "
                "listener with an IP in each subnet.", "ms-ag-overview"))
        if dr and option_id == AG:
            steps.append(Action(
                "Build a one-node cluster and availability group in the DR Region and join "
                "both groups in a distributed availability group with asynchronous commit; "
                "plan a DNS alias for re-pointing clients at the DR listener.",
                "ms-distributed-ag"))
        if dr and option_id == AG_ONE:
            steps.append(Action(
                "Add the DR node's replica to the same group with asynchronous commit and "
                "manual failover, and give the listener an IP in the DR subnet too; to "
                "activate DR, force quorum on the DR node and fail over with "
                "FORCE_FAILOVER_ALLOW_DATA_LOSS.", "ms-ag-forced-failover"))
        if p.protect_system_databases:
            steps.append(Action(
                "Copy logins (with their SIDs), SQL Agent jobs, linked servers and credentials "
                "to every replica and keep them in sync: availability groups replicate user "
                "databases only.", "ms-ag-restrictions"))
    steps += [
        Action("Add a file share witness to the cluster quorum: an SMB share on Amazon FSx "
               "for Windows File Server or on another domain-joined server.",
               "seed-sqlserver-witness"),
        _client_action(p, option_id),
    ]
    if p.licensing == "byol":
        steps.append(Action("Bring the SQL Server licences under License Mobility through "
                            "Software Assurance (or use Dedicated Hosts).",
                            "aws-microsoft-licensing"))
    return tuple(steps)


# --- assumptions -------------------------------------------------------------------------------


def _estimate_text(p: Params, option_id: str) -> str:
    e = estimate(p, option_id)
    dr = ""
    if p.cross_region_dr:
        dr = (f"; DR RPO {e.dr_rpo_s:g} s ({e.dr_basis}; "
              f"{versus_target(e.dr_rpo_s, p.dr_rpo_seconds)})" if e.dr_rpo_s is not None
              else f"; no DR copy ({e.dr_basis}; DR RPO target {p.dr_rpo_seconds} s: fail)")
    return (f"{option_id}: RPO {e.rpo_s:g} s within the Region ({e.rpo_basis}; "
            f"{versus_target(e.rpo_s, p.rpo_seconds)}){dr}; RTO {e.rto_s:g} s = {e.rto_text()} "
            f"({versus_target(e.rto_s, p.rto_seconds)}).")


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    items = [
        Assumption(f"estimate-{o.id}", "Estimated " + _estimate_text(p, o.id)
                   + " Steps are added even where they may overlap.", "seed-dr-rto-rpo",
                   unverified=True)
        for o in OPTIONS
    ]
    clients = {
        "net461-plus": ".NET Framework 4.6.1+ clients try every IP of the name at once: no "
                       "DNS wait is added",
        "net45-to-46": ".NET Framework 4.5-4.6 clients with MultiSubnetFailover=True (see the "
                       "actions) try every IP at once: no DNS wait is added",
        "legacy": f"legacy clients reach the new node once the one A record's TTL "
                  f"(dns_ttl_seconds = {p.dns_ttl_seconds} s) expires: it is added to the RTO",
    }[p.client_driver]
    items += [
        Assumption("rto-scope", "rto_seconds is checked against automatic failover inside "
                   "the Region (a node or AZ failure). Failing over to the DR Region is a "
                   "manual decision and is not estimated.", "seed-sqlserver-ha-options"),
        Assumption("failure-detection", f"A failed node is detected in {DETECTION_S:g} s: the "
                   "cluster's cross-subnet heartbeat (CrossSubnetDelay 1 s x "
                   "CrossSubnetThreshold 20).", "ms-cluster-thresholds"),
        Assumption("fci-restart", f"An FCI restarts SQL Server on the new node: service start "
                   f"{SQL_START_S:g} s (assumed) and database recovery within the "
                   f"{RECOVERY_S:g} s default target recovery time.", "ms-target-recovery-time",
                   unverified=True),
        Assumption("fsx-failover", f"FSx Multi-AZ fails over to its standby file server in "
                   f"about {FSX_FAILOVER_S:g} s (fci-fsx).", "fsx-windows-multi-az",
                   unverified=True),
        Assumption("datakeeper-switchover", f"DataKeeper hands the mirror source to the new "
                   f"owner in {DATAKEEPER_SWITCH_S:g} s (fci-sios).", "seed-sios-datakeeper",
                   unverified=True),
        Assumption("ag-role-change", f"A synchronised secondary takes the primary role in "
                   f"{AG_ROLE_CHANGE_S:g} s (availability-groups).", "ms-ag-failover",
                   unverified=True),
        Assumption("client-redirection", f"Client redirection: {clients}.",
                   "seed-sqlserver-client-redirection"),
    ]
    if p.cross_region_dr:
        items.append(Assumption(
            "async-lag", f"Asynchronous replication to the DR Region lags {ASYNC_LAG_S:g} s "
            "under steady load; bursts and a narrow link make it longer.",
            "seed-sios-datakeeper", unverified=True))
        items.append(Assumption(
            "dr-region-prices", "The DR node is priced at this Region's prices.",
            "archlib-prices"))
    if standby_dr_node(p, SIOS):
        extra = p.vcpus_per_node * (prices["sql_standard_vcpu_hour"].value
                                    - prices["ec2_windows_vcpu_hour"].value)
        monthly = extra * prices.hours_per_month
        items.append(Assumption(
            "dr-node-activation", "fci-sios with Standard edition: the DR node runs Windows "
            "only and is billed at the Windows rate until DR is activated (seed 897). Running "
            "SQL Server Standard there, licence included, adds "
            f"{p.vcpus_per_node} x (${prices['sql_standard_vcpu_hour'].value:g} - "
            f"${prices['ec2_windows_vcpu_hour'].value:g}) x {prices.hours_per_month:g} = "
            f"${monthly:,.2f} a month while it runs (not in the monthly cost); under BYOL it "
            "needs a Standard licence you hold.", "aws-license-conversion"))
    change = _monthly_change_gb(p)
    items += [
        Assumption("replicated-volume", f"Replication carries {change:,.0f} GB a month "
                   f"({MONTHLY_CHANGE_PER_GB:g} x data_gb, about 3 % of the data changing a "
                   "day) between AZs" + (" and to the DR Region" if p.cross_region_dr else "")
                   + "; FSx replication between its AZs is in its price.",
                   "pricing-ec2-data-transfer", unverified=True),
        Assumption("storage-sizing", f"EBS options keep a gp3 volume of data_gb on every node "
                   f"(125 MB/s baseline); FSx is sized at max(data_gb, {FSX_MIN_GIB:g} GiB) "
                   f"with fsx_throughput_mbps = {p.fsx_throughput_mbps:,} MBps of throughput "
                   f"capacity (default {FSX_DEFAULT_THROUGHPUT_MBPS}, the step at or above "
                   "gp3's baseline; 4,608 MBps and up exist in six Regions, us-east-1 among "
                   "them).", "fsx-windows-performance"),
        Assumption("licence-rates", "Licence included: the per-vCPU rate of Windows Server "
                   "with SQL Server (it includes Windows) on every node that runs SQL Server, "
                   "passive ones too. BYOL: only the Windows rate; the SQL Server licences are "
                   "yours.", "ec2-optimize-cpu"),
        Assumption("common-costs", "Left out as equal for every feasible option: the "
                   "instances' base compute, root volumes, Active Directory, the witness share, "
                   "backups and client traffic.", "ec2-optimize-cpu"),
    ]
    if p.sios_monthly_usd_per_node is None:
        items.append(Assumption(
            "sios-price", "SIOS DataKeeper has no default price: the fci-sios licence item and "
            "monthly cost are unknown (scored as the worst cost). Give your quote as "
            "sios_monthly_usd_per_node (USD per node per month).", "sios-marketplace",
            unverified=True))
    else:
        items.append(Assumption(
            "sios-price", f"SIOS DataKeeper licence: ${p.sios_monthly_usd_per_node:,.2f} per "
            "node per month (sios_monthly_usd_per_node).", "sios-marketplace"))
    if p.enterprise_licenses_owned and p.licensing == "license-included":
        items.append(Assumption(
            "owned-licences-unused", "Enterprise licences are owned but licensing is "
            "license-included: AWS bills SQL Server per vCPU-hour anyway; licensing: byol "
            "would drop that to the Windows rate.", "aws-microsoft-licensing"))
    return tuple(items)


# --- diagrams ----------------------------------------------------------------------------------


def diagram(p: Params, option_id: str) -> DiagramSpec:
    option = find_option(OPTIONS, option_id, "sqlserver-ha-dr")  # KeyError naming the known ids
    dr = has_dr_node(p, option_id)
    shown = edition(p, option_id).capitalize()
    clusters = [Cluster("region", "primary Region"), Cluster("az1", "AZ 1", "region"),
                Cluster("az2", "AZ 2", "region")]
    node_label = f"{p.vcpus_per_node} vCPU, {shown}"
    nodes_: list[Node] = [
        Node("clients", {"net461-plus": "applications\n.NET 4.6.1+",
                         "net45-to-46": "applications\nMultiSubnetFailover=True",
                         "legacy": f"legacy clients\nDNS TTL {p.dns_ttl_seconds} s"}
             [p.client_driver], "onprem.client.Users"),
        Node("name", f"{_network_name(option_id)}\n"
             + ("1 A record" if p.client_driver == "legacy" else "A record per subnet"),
             "aws.network.Route53", "region"),
        Node("node1", f"SQL Server node 1\n{node_label}", "aws.compute.EC2", "az1"),
        Node("node2", f"SQL Server node 2\n{node_label}", "aws.compute.EC2", "az2"),
        Node("witness", "file share witness", "aws.general.TraditionalServer", "region"),
    ]
    edges = [Edge("clients", "name"), Edge("name", "node1", "active"),
             Edge("name", "node2", "after failover", "dashed"),
             Edge("node1", "witness", "quorum", "dashed"),
             Edge("node2", "witness", "quorum", "dashed")]
    if option_id == FSX:
        nodes_.append(Node("fsx", f"FSx for Windows Multi-AZ\n{_fsx_storage_gib(p):g} GiB, "
                           f"{p.fsx_throughput_mbps:,} MBps",
                           "aws.storage.FsxForWindowsFileServer",
                           "az1" if p.active_node_in_fsx_preferred_az else "az2"))
        edges += [Edge("node1", "fsx", "SMB, CA share"),
                  Edge("node2", "fsx", "on failover", "dashed")]
    else:
        for i in (1, 2):
            nodes_.append(Node(f"ebs{i}", f"EBS gp3\n{p.data_gb:g} GiB", "aws.storage.EBS",
                               f"az{i}"))
            edges.append(Edge(f"node{i}", f"ebs{i}"))
        sync = "DataKeeper\nsynchronous mirror" if option_id == SIOS else "synchronous commit"
        source, target = ("ebs1", "ebs2") if option_id == SIOS else ("node1", "node2")
        edges.append(Edge(source, target, sync))
    if dr:
        clusters.append(Cluster("dr", "DR Region"))
        dr_label = ("Windows only, SQL Server\nat DR activation" if standby_dr_node(p, option_id)
                    else node_label)
        nodes_ += [
            Node("peering", "VPC peering", "aws.network.VPCPeering"),
            Node("node3", f"DR node\n{dr_label}", "aws.compute.EC2", "dr"),
            Node("ebs3", f"EBS gp3\n{p.data_gb:g} GiB", "aws.storage.EBS", "dr"),
        ]
        edges.append(Edge("node3", "ebs3"))
        if option_id == SIOS:
            edges += [Edge("ebs1", "peering", "asynchronous mirror", "dashed"),
                      Edge("peering", "ebs3", style="dashed")]
        elif option_id == AG:
            edges += [Edge("node1", "peering", "distributed AG, async", "dashed"),
                      Edge("peering", "node3", style="dashed")]
        else:
            edges += [Edge("node1", "peering", "asynchronous commit", "dashed"),
                      Edge("peering", "node3", style="dashed"),
                      Edge("name", "node3", "after DR failover", "dashed")]
    return DiagramSpec(title=option.title, nodes=tuple(nodes_), edges=tuple(edges),
                       clusters=tuple(clusters))


# --- the requirements matrix: what the RPO and RTO rules measure ---------------------------


def _rto_measured(p: Params, option_id: str) -> str:
    return f"estimated RTO {estimate(p, option_id).rto_s:g} s, target {p.rto_seconds} s"


def _rpo_measured(p: Params, option_id: str) -> str:
    return f"estimated RPO {estimate(p, option_id).rpo_s:g} s, target {p.rpo_seconds} s"


def _dr_rpo_measured(p: Params, option_id: str) -> str | None:
    dr = estimate(p, option_id).dr_rpo_s
    return None if dr is None else f"estimated DR RPO {dr:g} s, target {p.dr_rpo_seconds} s"


REQUIREMENTS: tuple[Requirement[Params], ...] = (
    Requirement("rto", "Recovery time (RTO) for a node or AZ failure", ("rto-target",),
                _rto_measured),
    Requirement("rpo", "Data loss (RPO) within the Region", ("rpo-target",), _rpo_measured),
    Requirement("dr-rpo", "Data loss (RPO) to the DR Region", ("dr-rpo-target",),
                _dr_rpo_measured),
)


#: The opening paragraph of the decision's notebook (its line breaks are kept).
NOTEBOOK_INTRO = """\
Failover cluster instance on FSx for Windows, SANless FCI with SIOS DataKeeper, or Always On
availability groups (a distributed group, or one cluster across both Regions, for DR)? Each
option gets an estimated RPO and RTO shown against the targets (pass or fail),
is checked against sourced rules (editions, Regions, storage), costed at the stated prices,
scored on weighted criteria and drawn below; every rule, price and judgement names its
source."""


DECISION: Decision[Params] = Decision(
    id="sqlserver-ha-dr",
    title="SQL Server on EC2: high availability and disaster recovery",
    question="How should SQL Server on Amazon EC2 stay available across Availability Zones, "
             "and recoverable in a second Region when required, within the RPO and RTO "
             "targets and at the lowest cost and effort?",
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
    # No parameter is a monthly traffic volume: data_gb is stored data (it sizes storage as
    # well as replication), so cost-against-volume would mislead; the chart shows bars.
    volume_fields=(),
    sources=("seed-sqlserver-ha-options", "seed-sqlserver-choice", "seed-sqlserver-fsx",
             "seed-sios-datakeeper", "aws-sqlserver-ec2-best-practices"),
    requirements=REQUIREMENTS,
    notebook_intro=NOTEBOOK_INTRO,
)
