"""sqlserver-ha-dr, hand-checked against shared/DOMAIN.md section 4, the seed's SQL Server post
(seed lines 821-907) and the us-east-1 prices:

    Windows Server, licence included               $0.046 per vCPU-hour
    Windows Server with SQL Server Standard        $0.166 per vCPU-hour (Windows included)
    Windows Server with SQL Server Enterprise      $0.421 per vCPU-hour (Windows included)
    FSx for Windows Multi-AZ                       $0.23 per GB-month SSD, $4.50 per MBps-month
    EBS gp3                                        $0.08 per GB-month (price file, unverified)
    transfer between AZs                           $0.01 per GB in each direction
    transfer to another US Region                  $0.02 per GB
    730 hours per month

The estimated RTO steps (module constants, each a labelled assumption): failure detection 20 s
(CrossSubnetDelay 1 s x CrossSubnetThreshold 20), FSx failover 30 s, SQL Server start 10 s,
database recovery 60 s (default target recovery time), DataKeeper switchover 5 s, availability
group role change 10 s, plus the DNS TTL for legacy clients. So, before any TTL:

    fci-fsx              20 + 30 + 10 + 60 = 120 s
    fci-sios             20 + 5 + 10 + 60  =  95 s
    availability-groups  20 + 10           =  30 s

and asynchronous replication to a DR Region lags 60 s (DR RPO).

availability-groups-one-cluster is the same group in one multi-subnet cluster across both
Regions (seed 827, 851): its estimates and costs equal availability-groups', and without
cross_region_dr it is ruled out as that same two-AZ design.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

import archlib
from archlib import InputError, report, views
from archlib._prices import load_prices
from archlib.cli import app
from archlib.decisions import sqlserver_ha_dr
from archlib.decisions.sqlserver_ha_dr import Params
from archlib.drawing import render_svg

SQL = "sqlserver-ha-dr"
FSX, SIOS, AG = "fci-fsx", "fci-sios", "availability-groups"
AG_ONE = "availability-groups-one-cluster"
ALL = (FSX, SIOS, AG, AG_ONE)
H = 730  # hours per month
WIN, STD, ENT = 0.046, 0.166, 0.421  # per vCPU-hour; STD and ENT include Windows
FSX_GB, FSX_MBPS, EBS, XAZ, XREGION = 0.23, 4.50, 0.08, 0.01, 0.02
ROOT = Path(__file__).resolve().parents[2]
#: FSx for Windows throughput capacity levels, from the table in the FSx for Windows File
#: Server User Guide, "FSx for Windows File Server performance" (docs.aws.amazon.com/fsx/latest/
#: WindowsGuide/performance.html): 32 ... 2,048, then 4,608, 6,144, 9,216, 12,288 MBps.
FSX_STEPS = (32, 64, 128, 256, 512, 1024, 2048, 4608, 6144, 9216, 12288)


def _ev(params: dict[str, Any]) -> archlib.Evaluation:
    return archlib.evaluate(SQL, params)


def test_contract_ids() -> None:
    assert sqlserver_ha_dr.DECISION.id == SQL
    assert sqlserver_ha_dr.DECISION.option_ids == ALL
    defaults = Params()
    assert (defaults.database_count, defaults.sql_edition, defaults.enterprise_licenses_owned,
            defaults.protect_system_databases, defaults.cross_region_dr) == (
        20, "standard", False, False, False)
    assert (defaults.rpo_seconds, defaults.dr_rpo_seconds, defaults.rto_seconds) == (0, 900, 300)
    assert (defaults.client_driver, defaults.dns_ttl_seconds, defaults.vcpus_per_node,
            defaults.data_gb, defaults.licensing, defaults.sios_monthly_usd_per_node) == (
        "net461-plus", 1200, 8, 500, "license-included", None)
    assert (defaults.fsx_throughput_mbps, defaults.active_node_in_fsx_preferred_az) == (128, True)
    assert defaults.weights == {}


# --- the issue's worked example ----------------------------------------------------------------


def test_issue_example_two_standard_nodes() -> None:
    # Two 8-vCPU nodes, licence included, Standard. The issue writes 2 x 8 x ($0.046 + $0.166)
    # x 730, but the Optimize CPUs table prices "Windows Server with SQL Server Standard" at
    # $0.166 per vCPU-hour: Windows is already in it (0.046 + 0.120), so adding $0.046 would
    # bill Windows twice. Compute and licence: 2 x 8 x 0.166 x 730 = $1,938.88.
    ev = _ev({"vcpus_per_node": 8, "sql_edition": "standard", "licensing": "license-included"})
    for option in ALL:
        licence = [v for k, v in ev.option(option).cost_breakdown.items()
                   if k.startswith("Windows Server with SQL Server Standard")]
        assert licence == [pytest.approx(2 * 8 * 0.166 * 730)]
    assert round(2 * 8 * 0.166 * 730, 2) == 1938.88


# --- cost items --------------------------------------------------------------------------------
# Per parameter set: each option's items (free-text names, so compared as sorted values).

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    ("defaults: Standard, licence included, 2 x 8 vCPU, 500 GiB", {}, {
        FSX: [2 * 8 * STD * H, 500 * FSX_GB, 128 * FSX_MBPS],  # 1938.88 + 115 + 576
        # EBS on both nodes; 500 GB replicated a month, billed out of one AZ and into the other
        AG: [2 * 8 * STD * H, 2 * 500 * EBS, 2 * 500 * XAZ],  # 1938.88 + 80 + 10
    }),
    ("SIOS quote given", {"sios_monthly_usd_per_node": 250}, {
        SIOS: [2 * 8 * STD * H, 2 * 500 * EBS, 2 * 500 * XAZ, 2 * 250],
    }),
    ("Enterprise, licence included", {"sql_edition": "enterprise"}, {
        FSX: [2 * 8 * ENT * H, 500 * FSX_GB, 128 * FSX_MBPS],
        AG: [2 * 8 * ENT * H, 2 * 500 * EBS, 2 * 500 * XAZ],
    }),
    # Standard with a DR node (F5): the seed's FCI keeps Standard on the two AZ nodes and the
    # DataKeeper DR node runs Windows only until DR is activated (seed 895-897); a DR replica
    # of an availability group needs Enterprise on all three (basic groups: 2 replicas). FSx
    # stays at 2 nodes (it cannot have a DR node; ruled out anyway).
    ("Standard with cross-Region DR", {"cross_region_dr": True,
                                       "sios_monthly_usd_per_node": 100}, {
        FSX: [2 * 8 * STD * H, 500 * FSX_GB, 128 * FSX_MBPS],
        # 1938.88 + 268.64 + 120 + 10 + 10 + 300
        SIOS: [2 * 8 * STD * H, 8 * WIN * H, 3 * 500 * EBS, 2 * 500 * XAZ, 500 * XREGION,
               3 * 100],
        AG: [3 * 8 * ENT * H, 3 * 500 * EBS, 2 * 500 * XAZ, 500 * XREGION],
        AG_ONE: [3 * 8 * ENT * H, 3 * 500 * EBS, 2 * 500 * XAZ, 500 * XREGION],
    }),
    # Enterprise with a DR node: SQL Server on DRNode too (seed 897), three Enterprise nodes.
    ("Enterprise with cross-Region DR", {"cross_region_dr": True, "sql_edition": "enterprise",
                                         "sios_monthly_usd_per_node": 100}, {
        SIOS: [3 * 8 * ENT * H, 3 * 500 * EBS, 2 * 500 * XAZ, 500 * XREGION, 3 * 100],
    }),
    # BYOL Standard with DR: the Windows rate on all three nodes, Standard licences (yours)
    # on the two AZ nodes only.
    ("BYOL Standard with cross-Region DR", {"cross_region_dr": True, "licensing": "byol",
                                            "sios_monthly_usd_per_node": 100}, {
        SIOS: [2 * 8 * WIN * H, 0.0, 8 * WIN * H, 3 * 500 * EBS, 2 * 500 * XAZ,
               500 * XREGION, 3 * 100],
    }),
    # Throughput capacity is a parameter: $4.50 per MBps-month at any FSx step.
    ("FSx at 1,024 MBps", {"fsx_throughput_mbps": 1024}, {
        FSX: [2 * 8 * STD * H, 500 * FSX_GB, 1024 * FSX_MBPS],  # 1938.88 + 115 + 4608
    }),
    ("FSx at 32 MBps", {"fsx_throughput_mbps": 32}, {
        FSX: [2 * 8 * STD * H, 500 * FSX_GB, 32 * FSX_MBPS],  # 1938.88 + 115 + 144
    }),
    # BYOL: only the Windows rate is billed; the SQL Server licence item is 0.
    ("BYOL Enterprise, DR, 16 vCPU, 2000 GiB",
     {"licensing": "byol", "sql_edition": "enterprise", "cross_region_dr": True,
      "vcpus_per_node": 16, "data_gb": 2000}, {
        FSX: [2 * 16 * WIN * H, 0.0, 2000 * FSX_GB, 128 * FSX_MBPS],
        AG: [3 * 16 * WIN * H, 0.0, 3 * 2000 * EBS, 2 * 2000 * XAZ, 2000 * XREGION],
        AG_ONE: [3 * 16 * WIN * H, 0.0, 3 * 2000 * EBS, 2 * 2000 * XAZ, 2000 * XREGION],
    }),
    # FSx storage starts at 32 GiB.
    ("10 GiB of data", {"data_gb": 10}, {
        FSX: [2 * 8 * STD * H, 32 * FSX_GB, 128 * FSX_MBPS],
        AG: [2 * 8 * STD * H, 2 * 10 * EBS, 2 * 10 * XAZ],
    }),
    ("4 vCPU BYOL Standard", {"vcpus_per_node": 4, "licensing": "byol"}, {
        AG: [2 * 4 * WIN * H, 0.0, 2 * 500 * EBS, 2 * 500 * XAZ],  # 134.32 + 0 + 80 + 10
    }),
]


@pytest.mark.parametrize(
    ("params", "option", "items"),
    [pytest.param(params, option, items, id=f"{name}-{option}")
     for name, params, by_option in COST_CASES for option, items in by_option.items()],
)
def test_cost_items(params: dict[str, Any], option: str, items: list[float]) -> None:
    result = _ev(params).option(option)
    assert sorted(v for v in result.cost_breakdown.values() if v is not None) == pytest.approx(
        sorted(items))
    assert result.monthly_cost_usd == pytest.approx(sum(items))


@pytest.mark.parametrize(
    ("params", "option", "total"),
    [
        ({}, FSX, 1938.88 + 115.00 + 576.00),
        ({}, AG, 1938.88 + 80.00 + 10.00),
        ({"cross_region_dr": True, "sql_edition": "enterprise"}, AG,
         7375.92 + 120.00 + 10.00 + 10.00),  # 3 x 8 x 0.421 x 730 = 7375.92
    ],
)
def test_totals_in_json_round_to_cents(params: dict[str, Any], option: str,
                                       total: float) -> None:
    d = {o["id"]: o for o in _ev(params).to_dict()["options"]}
    assert d[option]["monthly_cost_usd"] == round(total, 2)


def test_three_node_standard_cost_says_enterprise() -> None:
    ev = _ev({"cross_region_dr": True})
    for option in (AG, AG_ONE):
        (licence,) = [k for k in ev.option(option).cost_breakdown if "SQL Server" in k]
        assert "Enterprise" in licence and "3 nodes exceed Standard's 2" in licence
    (fsx_licence,) = [k for k in ev.option(FSX).cost_breakdown if "SQL Server" in k]
    assert "Standard" in fsx_licence


def test_f5_standard_fci_with_a_windows_only_dr_node() -> None:
    # Review F5's repro: `--set cross_region_dr=true --set sios_monthly_usd_per_node=0` used to
    # cost "Enterprise, 3 nodes x 8 vCPU" at 3 x 8 x 0.421 x 730 = $7,375.92. The seed's design
    # (seed 895-897): Standard on the two FCI nodes, the DR node at the Windows rate:
    # 2 x 8 x 0.166 x 730 + 8 x 0.046 x 730 = 1938.88 + 268.64 = $2,207.52.
    ev = _ev({"cross_region_dr": True, "sios_monthly_usd_per_node": 0})
    breakdown = ev.option(SIOS).cost_breakdown
    licences = {k: v for k, v in breakdown.items() if k.startswith("Windows Server")}
    assert sorted(licences.values()) == pytest.approx(sorted([2 * 8 * STD * H, 8 * WIN * H]))
    assert sum(licences.values()) == pytest.approx(2207.52)
    assert not [k for k in breakdown if "Enterprise" in k]
    (standard,) = [k for k in licences if "SQL Server Standard" in k]
    assert "2 nodes x 8 vCPU" in standard
    (dr_node,) = [k for k in licences if "DR node" in k]
    assert "no SQL Server until DR is activated" in dr_node
    # 2207.52 + 3 x 500 x 0.08 + 2 x 500 x 0.01 + 500 x 0.02 + 0 = 2347.52
    assert ev.option(SIOS).monthly_cost_usd == pytest.approx(2347.52)
    # On the fixed scales (M = $2,500; judgements (x-1)/4 or (5-x)/4; RTO 1 - t/300):
    # fci-sios: cost 2500 / (2500 + 2347.52), fit 3 + 1 (Standard) = 4, complexity 3 + 1
    #   (a cluster across Regions) = 4, RTO 95 s;
    # availability groups (both designs): Enterprise on 3 nodes, 3 x 8 x 0.421 x 730 + 120 +
    #   10 + 10 = $7,515.92, fit 3 - 1 = 2, complexity 3 + 1 = 4, RTO 30 s.
    assert ev.option(SIOS).score == pytest.approx(
        30 * 2500 / (2500 + 2347.52) + 30 * 0.75 + 25 * 0.25 + 15 * (1 - 95 / 300))  # 54.47
    for option in (AG, AG_ONE):
        assert ev.option(option).score == pytest.approx(
            30 * 2500 / (2500 + 7515.92) + 30 * 0.25 + 25 * 0.25 + 15 * (1 - 30 / 300))  # 34.74
    assert ev.recommended == SIOS


def test_unknown_sios_price_is_unknown_not_zero() -> None:
    ev = _ev({})
    sios = ev.option(SIOS)
    (item,) = [k for k in sios.cost_breakdown if k.startswith("SIOS DataKeeper")]
    assert sios.cost_breakdown[item] is None
    assert sios.monthly_cost_usd is None
    assert sios.criteria["monthly_cost"] is None
    assert sios.feasible  # unknown cost does not rule it out: it scores worst on cost
    assert sios.normalised["monthly_cost"] == 0.0
    d = {o["id"]: o for o in ev.to_dict()["options"]}
    assert d[SIOS]["monthly_cost_usd"] is None
    (note,) = [a for a in ev.assumptions if a.id == "sios-price"]
    assert note.unverified and "sios_monthly_usd_per_node" in note.text


# --- rules -------------------------------------------------------------------------------------

CROSS, FSX_SIZE, RPO, DR_RPO, RTO = ("fsx-no-cross-region-nodes", "fsx-max-storage",
                                     "rpo-target", "dr-rpo-target", "rto-target")
ONE_NEEDS_DR = "one-cluster-needs-dr"

# params -> the rules that fire per option (an option not listed: none fire)
RULE_CASES: list[tuple[str, dict[str, Any], dict[str, set[str]]]] = [
    ("defaults", {}, {}),
    # FSx cannot add cluster nodes in another Region (seed 824)
    ("cross-Region DR", {"cross_region_dr": True}, {FSX: {CROSS}}),
    # one FSx file system holds at most 65,536 GiB of SSD
    ("FSx at its limit", {"data_gb": 65_536}, {}),
    ("FSx over its limit", {"data_gb": 65_537}, {FSX: {FSX_SIZE}}),
    # within the Region every option replicates synchronously: RPO 0 meets a 0 s target
    ("RPO 0", {"rpo_seconds": 0}, {}),
    # RTO 120 / 95 / 30 s against the target
    ("RTO 120 s", {"rto_seconds": 120}, {}),
    ("RTO 119 s", {"rto_seconds": 119}, {FSX: {RTO}}),
    ("RTO 95 s", {"rto_seconds": 95}, {FSX: {RTO}}),
    ("RTO 94 s", {"rto_seconds": 94}, {FSX: {RTO}, SIOS: {RTO}}),
    ("RTO 30 s", {"rto_seconds": 30}, {FSX: {RTO}, SIOS: {RTO}}),
    ("RTO 29 s", {"rto_seconds": 29}, {FSX: {RTO}, SIOS: {RTO}, AG: {RTO}}),
    # legacy clients wait for the DNS TTL: 1200 s sinks every option under a 300 s target
    ("legacy clients, TTL 1200 s", {"client_driver": "legacy"},
     {FSX: {RTO}, SIOS: {RTO}, AG: {RTO}}),
    # ... with the seed's 30 s TTL: 150 / 125 / 60 s
    ("legacy clients, TTL 30 s", {"client_driver": "legacy", "dns_ttl_seconds": 30}, {}),
    ("legacy, TTL 30 s, RTO 100 s", {"client_driver": "legacy", "dns_ttl_seconds": 30,
                                     "rto_seconds": 100}, {FSX: {RTO}, SIOS: {RTO}}),
    ("legacy, TTL 30 s, RTO 59 s", {"client_driver": "legacy", "dns_ttl_seconds": 30,
                                    "rto_seconds": 59}, {FSX: {RTO}, SIOS: {RTO}, AG: {RTO}}),
    # .NET 4.5-4.6 with MultiSubnetFailover=True and 4.6.1+ do not wait for DNS
    ("net45-to-46 ignores the TTL", {"client_driver": "net45-to-46"}, {}),
    ("net461-plus ignores the TTL", {"dns_ttl_seconds": 86_400}, {}),
    # asynchronous replication to the DR Region lags 60 s
    ("DR RPO 60 s", {"cross_region_dr": True, "dr_rpo_seconds": 60}, {FSX: {CROSS}}),
    ("DR RPO 59 s", {"cross_region_dr": True, "dr_rpo_seconds": 59},
     {FSX: {CROSS}, SIOS: {DR_RPO}, AG: {DR_RPO}}),
    ("DR RPO 0", {"cross_region_dr": True, "dr_rpo_seconds": 0},
     {FSX: {CROSS}, SIOS: {DR_RPO}, AG: {DR_RPO}}),
    ("DR RPO ignored without DR", {"dr_rpo_seconds": 0}, {}),
    ("everything at once", {"cross_region_dr": True, "dr_rpo_seconds": 10,
                            "client_driver": "legacy", "data_gb": 100_000},
     {FSX: {CROSS, FSX_SIZE, RTO}, SIOS: {DR_RPO, RTO}, AG: {DR_RPO, RTO}}),
]


@pytest.mark.parametrize(("name", "params", "expected"), RULE_CASES,
                         ids=[c[0] for c in RULE_CASES])
def test_rules_fire_exactly_when_they_should(name: str, params: dict[str, Any],
                                             expected: dict[str, set[str]]) -> None:
    # The one-cluster variant has availability-groups' estimates (module docstring), and
    # without a DR replica it is that same design, ruled out.
    one_cluster = set(expected.get(AG, set()))
    if not params.get("cross_region_dr"):
        one_cluster.add(ONE_NEEDS_DR)
    expected = {**expected, AG_ONE: one_cluster}
    ev = _ev(params)
    for option in ALL:
        result = ev.option(option)
        fired = {v.rule for v in result.violations}
        assert fired == expected.get(option, set()), option
        assert result.feasible is (not fired)
        assert (option in ev.ranking) is result.feasible


@pytest.mark.parametrize(
    ("params", "option", "rule", "message"),
    [
        ({"client_driver": "legacy"}, AG, RTO,
         "estimated RTO 1230 s (failure detection 20 s + role change 10 s + DNS TTL 1200 s) "
         "exceeds the 300 s target; with HostRecordTTL lowered to 30 s (the seed's value) it "
         "would be 60 s: set dns_ttl_seconds to match"),
        ({"client_driver": "legacy"}, FSX, RTO,
         "estimated RTO 1320 s (failure detection 20 s + FSx failover 30 s + SQL Server start "
         "10 s + database recovery 60 s + DNS TTL 1200 s) exceeds the 300 s target; with "
         "HostRecordTTL lowered to 30 s (the seed's value) it would be 150 s: set "
         "dns_ttl_seconds to match"),
        # lowering the TTL would not help: no hint
        ({"client_driver": "legacy", "rto_seconds": 100}, FSX, RTO,
         "estimated RTO 1320 s (failure detection 20 s + FSx failover 30 s + SQL Server start "
         "10 s + database recovery 60 s + DNS TTL 1200 s) exceeds the 100 s target"),
        ({"rto_seconds": 90}, SIOS, RTO,
         "estimated RTO 95 s (failure detection 20 s + DataKeeper switchover 5 s + SQL Server "
         "start 10 s + database recovery 60 s) exceeds the 90 s target"),
        ({"cross_region_dr": True, "dr_rpo_seconds": 30}, SIOS, DR_RPO,
         "estimated DR RPO 60 s (asynchronous DataKeeper mirror lag, assumed) exceeds the 30 s "
         "target: replication between Regions is asynchronous"),
        ({"data_gb": 70_000}, FSX, FSX_SIZE,
         "data_gb 70,000 GiB exceeds the 65,536 GiB maximum SSD storage of one FSx for Windows "
         "file system"),
        ({}, AG_ONE, ONE_NEEDS_DR,
         "without cross_region_dr there is no DR replica: one cluster across the two AZs is the "
         "availability-groups option"),
        ({"cross_region_dr": True, "dr_rpo_seconds": 30}, AG_ONE, DR_RPO,
         "estimated DR RPO 60 s (asynchronous-commit replica lag, assumed) exceeds the 30 s "
         "target: replication between Regions is asynchronous"),
    ],
)
def test_violation_messages_carry_the_numbers(params: dict[str, Any], option: str, rule: str,
                                              message: str) -> None:
    from archlib import _sources

    (violation,) = [v for v in _ev(params).option(option).violations if v.rule == rule]
    assert violation.message == message
    assert _sources.get(violation.source).id == violation.source


def test_rpo_rule_is_checked_against_each_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    # Within the Region every option is synchronous (RPO 0), so the RPO rule cannot fire with
    # real estimates; with a slower estimate it must, with the numbers.
    real = sqlserver_ha_dr.estimate

    def slower(p: Params, option_id: str) -> sqlserver_ha_dr.Estimate:
        e = real(p, option_id)
        return sqlserver_ha_dr.Estimate(5.0, "async test", e.dr_rpo_s, e.dr_basis, e.rto_steps)

    monkeypatch.setattr(sqlserver_ha_dr, "estimate", slower)
    (violation,) = _ev({"rpo_seconds": 4}).option(AG).violations
    assert violation.message == "estimated RPO 5 s (async test) exceeds the 4 s target"
    assert _ev({"rpo_seconds": 5}).option(AG).feasible


def test_no_feasible_option_recommends_nothing() -> None:
    ev = _ev({"client_driver": "legacy"})
    assert ev.recommended is None and ev.ranking == ()
    assert ev.to_dict()["recommended"] is None


# --- warnings ----------------------------------------------------------------------------------

# (params, option, warning, present); the option stays feasible either way
WARNING_CASES = [
    # Standard: FCI limited to 2 nodes, so the DR node holds the mirror without SQL Server
    # (seed 897) and must be licensed when DR is activated; basic groups: 2 replicas
    ({"cross_region_dr": True}, SIOS, "fci-standard-two-nodes", True),
    ({"cross_region_dr": True, "sql_edition": "enterprise"}, SIOS, "fci-standard-two-nodes",
     False),
    ({}, SIOS, "fci-standard-two-nodes", False),
    ({"cross_region_dr": True}, SIOS, "dr-node-licence-at-activation", True),
    ({"cross_region_dr": True, "licensing": "byol"}, SIOS, "dr-node-licence-at-activation",
     True),
    ({"cross_region_dr": True, "sql_edition": "enterprise"}, SIOS,
     "dr-node-licence-at-activation", False),  # SQL Server already installed on DRNode
    ({}, SIOS, "dr-node-licence-at-activation", False),
    ({"cross_region_dr": True}, AG, "basic-ag-two-replicas", True),
    ({"cross_region_dr": True}, AG_ONE, "basic-ag-two-replicas", True),
    ({"cross_region_dr": True, "sql_edition": "enterprise"}, AG, "basic-ag-two-replicas",
     False),
    ({"cross_region_dr": True, "sql_edition": "enterprise"}, AG_ONE, "basic-ag-two-replicas",
     False),
    # basic groups hold one database each
    ({}, AG, "basic-ag-one-database", True),
    ({"database_count": 1}, AG, "basic-ag-one-database", False),
    ({"sql_edition": "enterprise"}, AG, "basic-ag-one-database", False),
    ({"cross_region_dr": True}, AG, "basic-ag-one-database", False),  # Enterprise then
    ({"protect_system_databases": True}, AG, "ag-user-databases-only", True),
    ({}, AG, "ag-user-databases-only", False),
    # Microsoft tested availability groups with up to 100 databases per instance
    ({"database_count": 101}, AG, "ag-tested-databases", True),
    ({"database_count": 100}, AG, "ag-tested-databases", False),
    ({"cross_region_dr": True, "protect_system_databases": True, "database_count": 101},
     AG_ONE, "ag-user-databases-only", True),
    ({"cross_region_dr": True, "database_count": 101}, AG_ONE, "ag-tested-databases", True),
    # the listener warning applies to the distributed group only: the one-cluster group's
    # listener has an IP in every subnet of both Regions
    ({"cross_region_dr": True}, AG, "distributed-ag-listener", True),
    ({}, AG, "distributed-ag-listener", False),
    ({"cross_region_dr": True}, AG_ONE, "distributed-ag-listener", False),
    # one cluster across Regions: the seed's SIOS cluster and the one-cluster group
    ({"cross_region_dr": True}, SIOS, "cluster-quorum-across-regions", True),
    ({"cross_region_dr": True}, AG_ONE, "cluster-quorum-across-regions", True),
    ({"cross_region_dr": True}, AG, "cluster-quorum-across-regions", False),  # two clusters
    ({}, SIOS, "cluster-quorum-across-regions", False),
    # BYOL Standard with a DR replica needs Enterprise licences the company does not own;
    # the seed's Standard FCI does not (F5)
    ({"cross_region_dr": True, "licensing": "byol"}, AG, "byol-enterprise-not-owned", True),
    ({"cross_region_dr": True, "licensing": "byol"}, AG_ONE, "byol-enterprise-not-owned",
     True),
    ({"cross_region_dr": True, "licensing": "byol"}, SIOS, "byol-enterprise-not-owned", False),
    ({"cross_region_dr": True, "licensing": "byol", "enterprise_licenses_owned": True}, AG,
     "byol-enterprise-not-owned", False),
    ({"cross_region_dr": True}, AG, "byol-enterprise-not-owned", False),  # licence included
    ({"licensing": "byol"}, AG, "byol-enterprise-not-owned", False),  # two nodes: Standard
    # SMB from an active node outside the FSx preferred subnet's AZ crosses AZs
    ({"active_node_in_fsx_preferred_az": False}, FSX, "fsx-preferred-az", True),
    ({}, FSX, "fsx-preferred-az", False),
    # the FSx guide's minimum recommended throughput: up to 640 GiB 32 MBps ... over 20,480
    # GiB 2,048 MBps
    ({"fsx_throughput_mbps": 32}, FSX, "fsx-throughput-below-recommended", False),
    ({"fsx_throughput_mbps": 32, "data_gb": 640}, FSX, "fsx-throughput-below-recommended",
     False),
    ({"fsx_throughput_mbps": 32, "data_gb": 641}, FSX, "fsx-throughput-below-recommended",
     True),
    ({"data_gb": 2560}, FSX, "fsx-throughput-below-recommended", False),  # 128 MBps
    ({"data_gb": 2561}, FSX, "fsx-throughput-below-recommended", True),  # needs 256
    ({"data_gb": 20_481, "fsx_throughput_mbps": 1024}, FSX,
     "fsx-throughput-below-recommended", True),
    ({"data_gb": 20_481, "fsx_throughput_mbps": 2048}, FSX,
     "fsx-throughput-below-recommended", False),
    # Multi-AZ at 9,216 or 12,288 MBps writes at most 9,000 MBps
    ({"fsx_throughput_mbps": 6144}, FSX, "fsx-multi-az-write-limit", False),
    ({"fsx_throughput_mbps": 9216}, FSX, "fsx-multi-az-write-limit", True),
    ({"fsx_throughput_mbps": 12288}, FSX, "fsx-multi-az-write-limit", True),
]


@pytest.mark.parametrize(("params", "option", "warning", "present"), WARNING_CASES)
def test_warnings(params: dict[str, Any], option: str, warning: str, present: bool) -> None:
    result = _ev(params).option(option)
    assert (warning in {w.rule for w in result.warnings}) is present
    assert warning not in {v.rule for v in result.violations}
    assert result.feasible


@pytest.mark.parametrize(
    ("params", "option", "warning", "message"),
    [
        ({"cross_region_dr": True}, SIOS, "fci-standard-two-nodes",
         "SQL Server Standard limits an FCI to 2 nodes: SQL Server runs on the two AZ nodes; the "
         "DR node joins the cluster and holds DataKeeper's asynchronous mirror without SQL "
         "Server (the seed installs it there only with Enterprise edition)"),
        ({"cross_region_dr": True}, SIOS, "dr-node-licence-at-activation",
         "the DR node is costed at the Windows rate only: activating DR means installing SQL "
         "Server on it (Standard allows two FCI nodes: remove a lost AZ node from the FCI "
         "first) and licensing it then (licence included: convert the node's licence type to "
         "Windows Server with SQL Server Standard with AWS License Manager, confirming the "
         "conversion is eligible, or rebuild it from that AMI, billed at the SQL Server rate "
         "from then on); see the dr-node-activation assumption for the monthly difference"),
        ({"active_node_in_fsx_preferred_az": False}, FSX, "fsx-preferred-az",
         "the active node is not in the AZ of the FSx preferred subnet: every SMB read and "
         "write crosses AZs (latency, and cross-AZ data transfer the cost leaves out); make the "
         "node in that AZ the FCI's preferred owner"),
        ({"data_gb": 5000}, FSX, "fsx-throughput-below-recommended",
         "fsx_throughput_mbps 128 is below the 256 MBps the FSx guide recommends as a minimum "
         "for 5,000 GiB of SSD storage"),
        ({"fsx_throughput_mbps": 12288}, FSX, "fsx-multi-az-write-limit",
         "a Multi-AZ file system at 12,288 MBps writes at most 9,000 MBps and 262,500 IOPS"),
    ],
)
def test_warning_messages(params: dict[str, Any], option: str, warning: str,
                          message: str) -> None:
    from archlib import _sources

    (found,) = [w for w in _ev(params).option(option).warnings if w.rule == warning]
    assert found.message == message
    assert _sources.get(found.source).id == found.source


def test_basic_group_warning_counts_the_groups() -> None:
    (warning,) = [w for w in _ev({"database_count": 7}).option(AG).warnings
                  if w.rule == "basic-ag-one-database"]
    assert "7 databases need 7 groups and listeners" in warning.message


# --- estimates and criteria --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {FSX: 120, SIOS: 95, AG: 30}),
        ({"client_driver": "legacy"}, {FSX: 1320, SIOS: 1295, AG: 1230}),
        ({"client_driver": "legacy", "dns_ttl_seconds": 30}, {FSX: 150, SIOS: 125, AG: 60}),
        ({"client_driver": "net45-to-46", "dns_ttl_seconds": 600}, {FSX: 120, SIOS: 95, AG: 30}),
    ],
)
def test_estimated_rto_criterion(params: dict[str, Any], expected: dict[str, float]) -> None:
    ev = _ev(params)
    for option, seconds in expected.items():
        assert ev.option(option).criteria["estimated_rto"] == seconds
        basis = ev.option(option).criteria_basis["estimated_rto"]
        assert basis.reason.startswith("failure detection 20 s")


@pytest.mark.parametrize(
    ("params", "option", "rpo", "dr_rpo"),
    [
        ({}, FSX, 0, None), ({}, SIOS, 0, None), ({}, AG, 0, None),
        ({"cross_region_dr": True}, FSX, 0, None),  # no DR copy at all
        ({"cross_region_dr": True}, SIOS, 0, 60), ({"cross_region_dr": True}, AG, 0, 60),
    ],
)
def test_estimated_rpo(params: dict[str, Any], option: str, rpo: float,
                       dr_rpo: float | None) -> None:
    e = sqlserver_ha_dr.estimate(Params.model_validate(params), option)
    assert (e.rpo_s, e.dr_rpo_s) == (rpo, dr_rpo)


# guidance fit: 3, +1 for each seed-823 signal favouring the option's family, -1 against
FIT_CASES = [
    ("Standard, no DR: an FCI avoids Enterprise", {}, 4, 2),
    ("Enterprise, nothing else", {"sql_edition": "enterprise"}, 3, 3),
    ("Enterprise owned", {"sql_edition": "enterprise", "enterprise_licenses_owned": True}, 2, 4),
    ("hundreds of databases", {"sql_edition": "enterprise", "database_count": 101}, 4, 2),
    ("100 databases are not hundreds", {"sql_edition": "enterprise", "database_count": 100},
     3, 3),
    ("system databases", {"sql_edition": "enterprise", "protect_system_databases": True}, 4, 2),
    # the seed's Standard FCI keeps Standard with a DR node; a DR replica needs Enterprise
    ("Standard with DR: the FCI still avoids Enterprise", {"cross_region_dr": True}, 4, 2),
    ("every FCI signal", {"database_count": 500, "protect_system_databases": True}, 5, 1),
    ("all signals", {"database_count": 500, "protect_system_databases": True,
                     "enterprise_licenses_owned": True}, 5, 1),  # 3+3-1 = 5, 3-3+1 = 1
]


@pytest.mark.parametrize(("name", "params", "fci", "ag"), FIT_CASES,
                         ids=[c[0] for c in FIT_CASES])
def test_guidance_fit(name: str, params: dict[str, Any], fci: float, ag: float) -> None:
    ev = _ev(params)
    assert ev.option(FSX).criteria["guidance_fit"] == fci
    assert ev.option(SIOS).criteria["guidance_fit"] == fci
    assert ev.option(AG).criteria["guidance_fit"] == ag
    assert ev.option(AG_ONE).criteria["guidance_fit"] == ag
    assert ev.option(AG).criteria_basis["guidance_fit"].source == "seed-sqlserver-choice"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {FSX: 2, SIOS: 3, AG: 4}),  # 20 basic groups
        ({"database_count": 1}, {AG: 3}),
        ({"sql_edition": "enterprise"}, {AG: 3}),
        # Enterprise: no basic groups; +1 for the second cluster or the cluster across Regions
        ({"cross_region_dr": True}, {SIOS: 4, AG: 4, AG_ONE: 4}),
        ({"protect_system_databases": True}, {FSX: 2, AG: 5}),
        ({"protect_system_databases": True, "cross_region_dr": True},
         {SIOS: 4, AG: 5, AG_ONE: 5}),
    ],
)
def test_operational_complexity(params: dict[str, Any], expected: dict[str, float]) -> None:
    ev = _ev(params)
    for option, value in expected.items():
        assert ev.option(option).criteria["operational_complexity"] == value


def test_the_two_cross_region_group_designs_tie_on_complexity_with_their_source() -> None:
    # Microsoft's distributed-group page is the one source comparing them: a second site is
    # easier as a distributed group (no stretched cluster's witness, votes, thresholds), which
    # adds a second cluster, group and listener. No source weighs the two, so 3 + 1 each.
    ev = _ev({"cross_region_dr": True})
    basis = {o: ev.option(o).criteria_basis["operational_complexity"] for o in (AG, AG_ONE)}
    assert {o: b.source for o, b in basis.items()} == {AG: "ms-distributed-ag",
                                                       AG_ONE: "ms-distributed-ag"}
    assert "a second cluster, group and listener" in basis[AG].reason
    assert "one cluster across Regions: quorum votes" in basis[AG_ONE].reason
    within = _ev({}).option(AG).criteria_basis["operational_complexity"]
    assert within.source == "ms-ag-overview"


def test_default_scores_by_hand() -> None:
    # Weights: cost 0.30, fit 0.30, complexity 0.25, RTO 0.15; fixed scales:
    # cost M / (M + c), M = $2,500: fci-fsx 2500 / (2500 + 2629.88) (1938.88 + 115 + 576),
    #        availability-groups 2500 / (2500 + 2028.88) (1938.88 + 80 + 10), as in COST_CASES;
    #        fci-sios unknown (0)
    # fit (1-5): FCIs 4 (0.75), availability-groups 2 (0.25)
    # complexity (1-5, minimise): fci-fsx 2 (0.75), fci-sios 3 (0.5), availability-groups 4
    #        (0.25)
    # RTO linear from 0 s (1) to the 300 s target (0): fci-fsx 120 s (0.6), fci-sios 95 s
    #        (205/300), availability-groups 30 s (0.9)
    ev = _ev({})
    assert ev.option(FSX).score == pytest.approx(
        30 * 2500 / 5129.88 + 30 * 0.75 + 25 * 0.75 + 15 * 0.6)  # 64.87
    assert ev.option(SIOS).score == pytest.approx(
        0 + 30 * 0.75 + 25 * 0.5 + 15 * 205 / 300)  # 45.25
    assert ev.option(AG).score == pytest.approx(
        30 * 2500 / 4528.88 + 30 * 0.25 + 25 * 0.25 + 15 * 0.9)  # 43.81
    assert ev.recommended == FSX


@pytest.mark.parametrize(
    ("params", "recommended"),
    [
        ({}, FSX),  # Standard edition: an FCI, on the recommended FSx storage (seed 823-824)
        # Enterprise licences owned: keep availability groups (seed 823)
        ({"sql_edition": "enterprise", "enterprise_licenses_owned": True}, AG),
        ({"sql_edition": "enterprise", "enterprise_licenses_owned": True,
          "licensing": "byol", "cross_region_dr": True, "database_count": 40}, AG),
        # hundreds of databases and system databases: an FCI (seed 823)
        ({"database_count": 300, "protect_system_databases": True}, FSX),
        # cross-Region FCI without FSx: SIOS DataKeeper (seed 824), once its price is known
        ({"cross_region_dr": True, "database_count": 300, "protect_system_databases": True,
          "sios_monthly_usd_per_node": 300}, SIOS),
        # a tight RTO leaves only availability groups
        ({"rto_seconds": 60}, AG),
        # F5: Standard with cross-Region DR: the seed's Standard FCI with a DataKeeper DR node
        # ($2,347.52) over Enterprise availability groups on three nodes ($7,515.92)
        ({"cross_region_dr": True, "sios_monthly_usd_per_node": 0}, SIOS),
        ({"cross_region_dr": True, "sios_monthly_usd_per_node": 300}, SIOS),
    ],
)
def test_recommendation(params: dict[str, Any], recommended: str) -> None:
    assert _ev(params).recommended == recommended


# --- actions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ALL)
@pytest.mark.parametrize("driver", ["net461-plus", "net45-to-46", "legacy"])
def test_every_option_gets_a_file_share_witness_and_client_redirection(option: str,
                                                                       driver: str) -> None:
    params = Params(client_driver=driver)
    steps = sqlserver_ha_dr.actions(params, option)
    assert any("file share witness" in a.text and a.source == "seed-sqlserver-witness"
               for a in steps)
    (client,) = [a for a in steps if a.source == "seed-sqlserver-client-redirection"]
    if driver == "net45-to-46":
        assert "MultiSubnetFailover=True" in client.text
    elif driver == "legacy":
        assert "RegisterAllProvidersIP to 0" in client.text
        assert "from 1200 s to 30 s" in client.text
    else:
        assert "4.6.1" in client.text and "MultiSubnetFailover=True" not in client.text


def test_legacy_ttl_already_low_is_kept() -> None:
    steps = sqlserver_ha_dr.actions(Params(client_driver="legacy", dns_ttl_seconds=20), AG)
    assert any("keep its HostRecordTTL at 20 s" in a.text for a in steps)


@pytest.mark.parametrize(
    ("params", "option", "needle", "source"),
    [
        ({}, FSX, "continuously available share", "fsx-windows-sql-server"),
        ({}, SIOS, "synchronously between the two AZ nodes", "seed-sios-mirror-jobs"),
        ({"cross_region_dr": True}, SIOS, "asynchronous mirror", "seed-sios-mirror-jobs"),
        ({"cross_region_dr": True, "sql_edition": "enterprise"}, SIOS,
         "with Enterprise edition, the DR node", "seed-sqlserver-dr-node"),
        ({"cross_region_dr": True}, SIOS, "Leave SQL Server off the DR node",
         "seed-sqlserver-dr-node"),
        ({"cross_region_dr": True}, SIOS, "NodeWeight to 0", "ms-cluster-quorum-nodeweight"),
        ({"cross_region_dr": True}, AG_ONE, "NodeWeight to 0", "ms-cluster-quorum-nodeweight"),
        ({"cross_region_dr": True}, AG_ONE, "asynchronous commit and manual failover",
         "ms-ag-forced-failover"),
        ({"cross_region_dr": True}, AG_ONE, "all 3 nodes across both Regions",
         "seed-sqlserver-cluster-build"),
        ({}, FSX, "preferred owner", "fsx-windows-multi-az"),
        ({"fsx_throughput_mbps": 2048}, FSX, "2,048 MBps", "fsx-windows-sql-server"),
        ({}, AG, "one basic availability group per database (20 in all)", "ms-basic-ag"),
        ({"sql_edition": "enterprise"}, AG, "availability group with the 20 databases",
         "ms-ag-overview"),
        ({"cross_region_dr": True}, AG, "distributed availability group", "ms-distributed-ag"),
        ({"protect_system_databases": True}, AG, "Copy logins", "ms-ag-restrictions"),
        ({"licensing": "byol"}, FSX, "License Mobility", "aws-microsoft-licensing"),
    ],
)
def test_option_actions(params: dict[str, Any], option: str, needle: str, source: str) -> None:
    steps = sqlserver_ha_dr.actions(Params.model_validate(params), option)
    assert any(needle in a.text and a.source == source for a in steps)


def test_actions_of_the_recommended_option_are_in_the_evaluation() -> None:
    ev = _ev({"client_driver": "net45-to-46"})
    assert ev.recommended == FSX
    assert any("MultiSubnetFailover=True" in a.text for a in ev.actions)
    assert any("file share witness" in a.text for a in ev.actions)


# --- assumptions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "assumption", "present"),
    [
        ({}, "estimate-fci-fsx", True),
        ({}, "estimate-availability-groups", True),
        ({}, "failure-detection", True),
        ({}, "client-redirection", True),
        ({}, "licence-rates", True),
        ({}, "common-costs", True),
        ({}, "async-lag", False),
        ({"cross_region_dr": True}, "async-lag", True),
        ({"cross_region_dr": True}, "dr-region-prices", True),
        ({"enterprise_licenses_owned": True}, "owned-licences-unused", True),
        ({"enterprise_licenses_owned": True, "licensing": "byol"}, "owned-licences-unused",
         False),
    ],
)
def test_assumptions(params: dict[str, Any], assumption: str, present: bool) -> None:
    assert (assumption in {a.id for a in _ev(params).assumptions}) is present


def test_estimate_assumptions_show_their_steps() -> None:
    ev = _ev({"client_driver": "legacy", "cross_region_dr": True})
    by_id = {a.id: a for a in ev.assumptions}
    text = by_id["estimate-availability-groups"].text
    assert "RTO 1230 s = failure detection 20 s + role change 10 s + DNS TTL 1200 s" in text
    assert "DR RPO 60 s" in text
    assert "no DR copy" in by_id["estimate-fci-fsx"].text
    assert by_id["estimate-fci-sios"].unverified
    assert "1200 s" in by_id["client-redirection"].text


def test_given_sios_price_is_stated() -> None:
    (note,) = [a for a in _ev({"sios_monthly_usd_per_node": 275.5}).assumptions
               if a.id == "sios-price"]
    assert "$275.50 per node per month" in note.text and not note.unverified


def test_every_cited_source_is_registered() -> None:
    from archlib import _sources

    ev = _ev({"cross_region_dr": True, "licensing": "byol", "client_driver": "legacy",
              "dns_ttl_seconds": 30, "protect_system_databases": True})
    for source in ev.sources:
        assert _sources.get(source.id) == source
    cited = {s.id for s in ev.sources}
    assert {"seed-sqlserver-fsx", "seed-sqlserver-witness", "pricing-ebs",
            "ec2-optimize-cpu"} <= cited


# --- diagrams ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dr", [False, True])
@pytest.mark.parametrize("option", ALL)
def test_diagram_of_every_option(option: str, dr: bool) -> None:
    params = Params(cross_region_dr=dr, client_driver="legacy")
    spec = sqlserver_ha_dr.diagram(params, option)
    ids = {n.id for n in spec.nodes}
    assert {"clients", "name", "node1", "node2", "witness"} <= ids
    assert ("fsx" in ids) is (option == FSX)
    assert ("ebs1" in ids) is (option != FSX)
    assert ("node3" in ids) is (dr and option != FSX)  # FSx cannot have a DR node
    assert {e.source for e in spec.edges} | {e.target for e in spec.edges} <= ids


@pytest.mark.parametrize("option", ALL)
def test_diagrams_render(option: str) -> None:
    svg = render_svg(sqlserver_ha_dr.diagram(Params(cross_region_dr=True), option))
    assert svg.startswith("<svg") and "file share witness" in svg


def test_unknown_option_diagram_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="availability-groups"):
        sqlserver_ha_dr.diagram(Params(), "log-shipping")


# --- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"database_count": 0}, "database_count"),
        ({"database_count": "20"}, "database_count"),
        ({"database_count": 32_768}, "database_count"),
        ({"sql_edition": "web"}, "sql_edition"),
        ({"client_driver": "odbc"}, "client_driver"),
        ({"licensing": "payg"}, "licensing"),
        ({"rto_seconds": -1}, "rto_seconds"),
        ({"rto_seconds": 1.5}, "rto_seconds"),
        ({"dns_ttl_seconds": -5}, "dns_ttl_seconds"),
        ({"vcpus_per_node": 0}, "vcpus_per_node"),
        ({"data_gb": 0}, "data_gb"),
        ({"sios_monthly_usd_per_node": -1}, "sios_monthly_usd_per_node"),
        ({"sios_monthly_usd_per_node": "300"}, "sios_monthly_usd_per_node"),
        ({"cross_region_dr": "yes"}, "cross_region_dr"),
        # only the FSx guide's production levels (8 and 16 MBps are for test and development;
        # 3,072 is not a Windows level)
        ({"fsx_throughput_mbps": 100}, "fsx_throughput_mbps"),
        ({"fsx_throughput_mbps": 8}, "fsx_throughput_mbps"),
        ({"fsx_throughput_mbps": 3072}, "fsx_throughput_mbps"),
        ({"fsx_throughput_mbps": 16384}, "fsx_throughput_mbps"),
        ({"fsx_throughput_mbps": "1024"}, "fsx_throughput_mbps"),
        ({"active_node_in_fsx_preferred_az": "no"}, "active_node_in_fsx_preferred_az"),
        ({"region": "us-east-1"}, "region"),
        ({"weights": {"cost": 1}}, "weights"),
    ],
)
def test_bad_params(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert "\n" not in str(info.value)


# --- CLI, notebook, widgets --------------------------------------------------------------------


def test_cli_evaluate_json_with_set() -> None:
    result = CliRunner().invoke(app, [
        "evaluate", SQL, "--format", "json", "--set", "cross_region_dr=true",
        "--set", "sios_monthly_usd_per_node=300", "--set", "weights.estimated_rto=1"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decision"] == SQL
    assert data["params"]["sios_monthly_usd_per_node"] == 300.0
    options = {o["id"]: o for o in data["options"]}
    assert options[FSX]["feasible"] is False
    assert options[FSX]["violations"][0]["rule"] == CROSS
    # Standard FCI on 2 nodes + Windows-only DR node (seed 897):
    # 2 x 8 x 0.166 x 730 + 8 x 0.046 x 730 + 3 x 500 x 0.08 + 2 x 500 x 0.01 + 500 x 0.02
    # + 3 x 300
    assert options[SIOS]["monthly_cost_usd"] == round(1938.88 + 268.64 + 120 + 10 + 10 + 900, 2)


def test_cli_bad_enum_is_one_line() -> None:
    result = CliRunner().invoke(app, ["evaluate", SQL, "--set", "client_driver=jdbc"])
    assert result.exit_code == 2
    assert "client_driver" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bundled_scenario_evaluates() -> None:
    scenario = archlib.load_scenario(ROOT / "scenarios" / "sqlserver-cross-region-dr.yaml")
    params = scenario.decisions[SQL]
    ev = _ev(dict(params))
    # Enterprise licences owned, cross-Region DR: availability groups (seed 823). The
    # distributed group and the one-cluster group are equal on every criterion (same nodes,
    # licences, transfer, RTO 30 s, complexity 3 + 1), so they tie: the tie rule (README,
    # "Ranking") lists them in id order, and the verdict says no weighting separates them
    # instead of counting the tie rule's 100% of the sampled weightings as a clear win.
    assert ev.option(AG).criteria == ev.option(AG_ONE).criteria
    assert ev.option(AG).score == ev.option(AG_ONE).score
    assert list(ev.ranking[:2]) == [AG, AG_ONE]
    assert not ev.option(FSX).feasible
    assert ev.verdict is not None and ev.verdict.level == "too-close-to-call"
    # the reason names them by title (ids stay in the JSON's ranking)
    assert (f"{ev.option(AG).title} and {ev.option(AG_ONE).title} have the same value on every "
            "criterion") in ev.verdict.reason
    assert "Too close to call" in views.verdict_sentence(ev)


def test_notebook_runs_with_non_default_parameters(tmp_path: Path) -> None:
    scenario = tmp_path / "legacy.yaml"
    scenario.write_text(f"""
name: Legacy clients, tight RTO
description: Old clients with the seed's 30 s TTL and a 100 s RTO.
decisions:
  {SQL}:
    client_driver: legacy
    dns_ttl_seconds: 30
    rto_seconds: 100
    database_count: 5
""", encoding="utf-8")
    outcome = report.build_reports([scenario], tmp_path / "out")
    assert outcome.ok, outcome.summary_lines()
    nb = nbformat.read(tmp_path / "out" / "legacy" / f"{SQL}.ipynb", as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "client_driver = \"legacy\"" in injected.source
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    # 150 s and 125 s exceed 100 s; availability groups recover in 60 s
    assert "Recommended: Always On availability groups <small" in shown
    assert "estimated RTO 150 s" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    html = (tmp_path / "out" / "legacy" / f"{SQL}.html").read_text(encoding="utf-8")
    assert "RegisterAllProvidersIP to 0" in html


def test_explorer_controls_and_a_change() -> None:
    import ipywidgets as widgets

    from archlib.widgets import explore

    ex = explore(SQL)
    kinds = {name: type(c) for name, c in ex.controls.items()}
    assert kinds["sql_edition"] is widgets.Dropdown
    assert kinds["client_driver"] is widgets.Dropdown
    assert kinds["licensing"] is widgets.Dropdown
    assert kinds["cross_region_dr"] is widgets.Checkbox
    assert kinds["vcpus_per_node"] is widgets.BoundedIntText  # more than 100 steps
    assert kinds["database_count"] is widgets.BoundedIntText
    assert kinds["data_gb"] is widgets.BoundedFloatText
    assert kinds["fsx_throughput_mbps"] is widgets.Dropdown
    assert list(ex.controls["fsx_throughput_mbps"].options) == list(FSX_STEPS)
    assert kinds["active_node_in_fsx_preferred_az"] is widgets.Checkbox
    # the optional SIOS price: a "set" checkbox beside its number, unset by default
    assert kinds["sios_monthly_usd_per_node"].__name__ == "OptionalNumber"
    assert ex.controls["sios_monthly_usd_per_node"].value is None
    assert ex.fixed == {}
    assert ex.evaluation.recommended == FSX
    ex.controls["cross_region_dr"].value = True
    assert ex.evaluation.recommended != FSX
    assert not ex.evaluation.option(FSX).feasible
    ex.controls["client_driver"].value = "legacy"
    assert ex.evaluation.recommended is None
    assert "estimated RTO" in ex.table.value


# --- fsx_throughput_mbps -----------------------------------------------------------------------


def test_fsx_throughput_steps_are_the_guides() -> None:
    assert sqlserver_ha_dr.FSX_THROUGHPUT_STEPS == FSX_STEPS


@pytest.mark.parametrize("mbps", FSX_STEPS)
def test_every_fsx_step_is_accepted_and_priced(mbps: int) -> None:
    fsx = _ev({"fsx_throughput_mbps": mbps}).option(FSX)
    (item,) = [k for k in fsx.cost_breakdown if "throughput capacity" in k]
    assert f"({mbps:,} MBps)" in item
    assert fsx.cost_breakdown[item] == pytest.approx(mbps * 4.50)


def test_cli_sets_fsx_throughput_and_rejects_other_values() -> None:
    ok = CliRunner().invoke(app, ["evaluate", SQL, "--format", "json",
                                  "--set", "fsx_throughput_mbps=1024"])
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["params"]["fsx_throughput_mbps"] == 1024
    bad = CliRunner().invoke(app, ["evaluate", SQL, "--set", "fsx_throughput_mbps=1000"])
    assert bad.exit_code == 2
    assert "fsx_throughput_mbps" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


# --- external checks ---------------------------------------------------------------------------


def test_infracost_fsx_windows_golden() -> None:
    # infracost golden internal/providers/terraform/aws/testdata/fsx_windows_file_system_test/
    # fsx_windows_file_system_test.golden, resource my_system_ssd (MULTI_AZ_1, SSD, us-east-1):
    # storage_capacity 300, throughput_capacity 1024 ->
    #   Throughput capacity  1,024 MBps  $4,608.00   (1024 x $4.50)
    #   SSD storage            300 GB       $69.00   (300 x $0.23)
    #   Backup storage      10,000 GB      $500.00   (usage: 10,000 x $0.05)
    # Modelled difference: archlib leaves backups out as a cost equal for every option (the
    # common-costs assumption), so its FSx items are $4,677.00, the golden's $5,177.00.
    ev = _ev({"data_gb": 300, "fsx_throughput_mbps": 1024})
    d = {o["id"]: o for o in ev.to_dict()["options"]}[FSX]["cost_breakdown"]
    fsx_items = {k: v for k, v in d.items() if k.startswith("FSx for Windows")}
    assert fsx_items == {
        "FSx for Windows Multi-AZ SSD storage (300 GiB)": 69.00,
        "FSx for Windows Multi-AZ throughput capacity (1,024 MBps)": 4608.00,
    }
    assert sum(fsx_items.values()) == 4677.00 == 5177.00 - 10_000 * 0.05
    (common,) = [a for a in ev.assumptions if a.id == "common-costs"]
    assert "backups" in common.text


def test_ec2_faq_per_vcpu_licence_rates() -> None:
    # Amazon EC2 FAQs, "How will the CPU optimized instances be priced?": per vCPU-hour,
    # Windows Server $0.046, Windows with SQL Standard $0.166, Windows with SQL Enterprise
    # $0.421; the SQL rates already include Windows (review F6): two Standard nodes of 8 vCPU
    # are 2 x 8 x 0.166 x 730 = $1,938.88, not the additive 2 x 8 x (0.046 + 0.166) x 730 =
    # $2,476.16.
    prices = load_prices("us-east-1")
    assert (prices["ec2_windows_vcpu_hour"].value, prices["sql_standard_vcpu_hour"].value,
            prices["sql_enterprise_vcpu_hour"].value) == (0.046, 0.166, 0.421)
    licence = {k: v for k, v in _ev({}).option(AG).cost_breakdown.items()
               if "SQL Server Standard" in k}
    assert list(licence.values()) == [pytest.approx(1938.88)]
    assert round(2 * 8 * (0.046 + 0.166) * 730, 2) == 2476.16 != 1938.88
    # Enterprise on three nodes: 3 x 8 x 0.421 x 730 = $7,375.92; BYOL: 3 x 8 x 0.046 x 730
    enterprise = _ev({"cross_region_dr": True, "sql_edition": "enterprise"}).option(AG)
    assert [v for k, v in enterprise.cost_breakdown.items() if "Enterprise" in k] == [
        pytest.approx(7375.92)]
    byol = _ev({"cross_region_dr": True, "sql_edition": "enterprise", "licensing": "byol"})
    assert [v for k, v in byol.option(AG).cost_breakdown.items()
            if k.startswith("Windows Server, licence included")] == [pytest.approx(805.92)]


# --- estimates against their targets ------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "option", "needle"),
    [
        # equal to the target: a pass, and said so
        ({}, FSX, "RPO 0 s within the Region (FSx Multi-AZ replicates synchronously between "
         "AZs; target 0 s: pass, equal)"),
        ({"rto_seconds": 120}, FSX, "RTO 120 s = failure detection 20 s + FSx failover 30 s + "
         "SQL Server start 10 s + database recovery 60 s (target 120 s: pass, equal)"),
        ({"rto_seconds": 119}, FSX, "(target 119 s: fail by 1 s)"),
        ({"rto_seconds": 121}, FSX, "(target 121 s: pass)"),
        ({"cross_region_dr": True, "dr_rpo_seconds": 60}, SIOS,
         "DR RPO 60 s (asynchronous DataKeeper mirror lag, assumed; target 60 s: pass, equal)"),
        ({"cross_region_dr": True, "dr_rpo_seconds": 45}, AG_ONE,
         "DR RPO 60 s (asynchronous-commit replica lag, assumed; target 45 s: fail by 15 s)"),
        ({"cross_region_dr": True}, FSX, "no DR copy (FSx cannot host a node in another Region; "
         "DR RPO target 900 s: fail)"),
        ({"client_driver": "legacy"}, AG, "RTO 1230 s = failure detection 20 s + role change "
         "10 s + DNS TTL 1200 s (target 300 s: fail by 930 s)"),
    ],
)
def test_estimates_show_their_targets(params: dict[str, Any], option: str, needle: str) -> None:
    (note,) = [a for a in _ev(params).assumptions if a.id == f"estimate-{option}"]
    assert needle in note.text


@pytest.mark.parametrize("option", ALL)
def test_rto_verdict_agrees_with_the_rule_at_every_target(option: str) -> None:
    # Around each estimate (30, 95, 120 s): pass exactly when the rto-target rule stays quiet,
    # "equal" exactly at the estimate, and the criterion's basis shows the same verdict.
    estimate = {FSX: 120, SIOS: 95, AG: 30, AG_ONE: 30}[option]
    for target in range(estimate - 3, estimate + 4):
        ev = _ev({"rto_seconds": target, "cross_region_dr": option == AG_ONE})
        result = ev.option(option)
        ruled_out = RTO in {v.rule for v in result.violations}
        (note,) = [a for a in ev.assumptions if a.id == f"estimate-{option}"]
        verdict = sqlserver_ha_dr.versus_target(estimate, target)
        assert f"(target {target} s: " in note.text and verdict in note.text
        assert ("pass" in verdict) is (not ruled_out) is (estimate <= target)
        assert ("equal" in verdict) is (estimate == target)
        assert result.criteria_basis["estimated_rto"].reason.endswith(
            f"= {estimate} s ({verdict})")


def test_dr_node_activation_cost_is_stated() -> None:
    # 8 x (0.166 - 0.046) x 730 = $700.80 a month once SQL Server Standard runs on the DR node
    ev = _ev({"cross_region_dr": True})
    (note,) = [a for a in ev.assumptions if a.id == "dr-node-activation"]
    assert "8 x ($0.166 - $0.046) x 730 = $700.80 a month" in note.text
    assert round(8 * (0.166 - 0.046) * 730, 2) == 700.80
    sixteen = _ev({"cross_region_dr": True, "vcpus_per_node": 16})
    (note,) = [a for a in sixteen.assumptions if a.id == "dr-node-activation"]
    assert "$1,401.60 a month" in note.text  # 16 x 0.12 x 730
    for params in ({}, {"cross_region_dr": True, "sql_edition": "enterprise"}):
        assert "dr-node-activation" not in {a.id for a in _ev(params).assumptions}


def test_standard_dr_actions_leave_sql_server_off_the_dr_node() -> None:
    steps = [a.text for a in sqlserver_ha_dr.actions(Params(cross_region_dr=True), SIOS)]
    assert not [t for t in steps if "with Enterprise edition, the DR node" in t]
    assert any("Leave SQL Server off the DR node" in t for t in steps)
    distributed = [a.text for a in sqlserver_ha_dr.actions(Params(cross_region_dr=True), AG)]
    assert not [t for t in distributed if "NodeWeight" in t]  # two clusters, own quorums
    assert any("distributed availability group" in t for t in distributed)
    one = [a.text for a in sqlserver_ha_dr.actions(Params(cross_region_dr=True), AG_ONE)]
    assert not [t for t in one if "distributed availability group" in t]


def test_one_cluster_diagram_and_standby_dr_node() -> None:
    spec = sqlserver_ha_dr.diagram(Params(cross_region_dr=True), AG_ONE)
    edges = {(e.source, e.target, e.label) for e in spec.edges}
    assert ("node1", "peering", "asynchronous commit") in edges
    assert ("name", "node3", "after DR failover") in edges  # one listener spans both Regions
    distributed = sqlserver_ha_dr.diagram(Params(cross_region_dr=True), AG)
    assert ("name", "node3") not in {(e.source, e.target) for e in distributed.edges}
    sios = {n.id: n for n in sqlserver_ha_dr.diagram(Params(cross_region_dr=True), SIOS).nodes}
    assert "Windows only" in sios["node3"].label
    enterprise = sqlserver_ha_dr.diagram(
        Params(cross_region_dr=True, sql_edition="enterprise"), SIOS)
    assert "Enterprise" in {n.id: n for n in enterprise.nodes}["node3"].label


@pytest.mark.parametrize(("preferred", "az"), [(True, "az1"), (False, "az2")])
def test_fsx_is_drawn_in_its_preferred_az(preferred: bool, az: str) -> None:
    spec = sqlserver_ha_dr.diagram(Params(active_node_in_fsx_preferred_az=preferred), FSX)
    assert {n.id: n for n in spec.nodes}["fsx"].cluster == az


@pytest.mark.parametrize(("destination", "per_gb"), [("us-east-2", 0.01), ("us-west-2", 0.02)])
def test_dr_replication_is_priced_by_the_region_pair(destination: str, per_gb: float) -> None:
    # us-east-1's shipped table (issue 14, P4): $0.01/GB to us-east-2, $0.02 to us-west-2
    p = Params(cross_region_dr=True, dr_region=destination)
    change = sqlserver_ha_dr._monthly_change_gb(p)
    items = sqlserver_ha_dr.cost(p, load_prices("us-east-1"))[AG]
    key = next(k for k in items if k.startswith(f"inter-Region replication transfer to "
                                                f"{destination}"))
    assert items[key] == pytest.approx(change * per_gb)
