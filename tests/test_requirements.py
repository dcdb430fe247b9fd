"""archlib._requirements and archlib.summary: the requirements matrix and the summary band
(issue 18, items 1 and 2)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import archlib
from archlib import load_scenario
from archlib._requirements import declared_and_derived, requirements_matrix
from archlib.summary import requirements_matrix_html, summary_band_html, usd_text

ROOT = Path(__file__).resolve().parents[1]
SQL = "sqlserver-ha-dr"


@cache
def _bundled() -> dict[str, archlib.Evaluation]:
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        for decision, params in scenario.decisions.items():
            out[f"{path.stem}-{decision}"] = archlib.evaluate(decision, params,
                                                              prices=scenario.prices)
    return out


CASES = sorted(_bundled())


@pytest.mark.parametrize("case", CASES)
def test_matrix_agrees_with_the_rules_that_fired(case: str) -> None:
    """A cell is "not met" exactly when one of its rules fired for the option; "met" when
    one of them applies and none fired; every hard rule id is in exactly one row."""
    ev = _bundled()[case]
    rows = requirements_matrix(ev)
    rows_per_rule = {rule.id: 0 for rule in ev.decision.rules}
    for requirement in declared_and_derived(ev.decision):
        for rule_id in requirement.rules:
            rows_per_rule[rule_id] += 1
    assert set(rows_per_rule.values()) == {1}, rows_per_rule
    assert [c.option for c in rows[0].cells] == list(ev.decision.option_ids)
    for option in ev.options:
        fired = {v.rule for v in option.violations}
        for row in rows:
            cell = row.cell(option.id)
            applicable = [r for r in ev.decision.rules
                          if option.id in r.options and cell.rule is not None]
            if cell.status == "not met":
                assert cell.rule in fired and cell.detail
                assert cell.source == next(v.source for v in option.violations
                                           if v.rule == cell.rule)
            elif cell.status == "met":
                assert cell.rule not in fired and applicable
            else:
                assert cell.rule is None and cell.source is None
    if ev.recommended is not None:  # the recommended option meets every requirement
        assert all(row.cell(ev.recommended).status != "not met" for row in rows)


def _sql(**changes: object) -> archlib.Evaluation:
    scenario = load_scenario(ROOT / "scenarios" / "sqlserver-cross-region-dr.yaml")
    params = {**scenario.decisions[SQL], **changes}
    return archlib.evaluate(SQL, params, prices=scenario.prices)


def test_sql_rto_and_rpo_rows_state_estimate_and_target() -> None:
    # the scenario file: "survive an AZ failure within two minutes without data loss, and keep
    # a copy in a second Region that loses at most five minutes of data"
    ev = _sql()
    rows = {row.id: row for row in requirements_matrix(ev)}
    assert rows["rto"].title == "Recovery time (RTO) for a node or AZ failure"
    for cell in rows["rto"].cells:
        assert re.fullmatch(r"estimated RTO [0-9.]+ s, target 120 s", cell.detail), cell
        assert cell.rule == "rto-target" and cell.source == "seed-dr-rto-rpo"
    for cell in rows["rpo"].cells:
        assert cell.detail.endswith(", target 0 s"), cell
    # FSx keeps no copy in another Region: no DR rule applies to it
    assert rows["dr-rpo"].cell("fci-fsx").status == "not applicable"
    for option in ("fci-sios", "availability-groups", "availability-groups-one-cluster"):
        assert rows["dr-rpo"].cell(option).detail.endswith(", target 300 s")


@pytest.mark.parametrize("target", [1, 10, 120, 600])
def test_sql_rto_met_exactly_when_the_estimate_is_within_the_target(target: int) -> None:
    ev = _sql(rto_seconds=target)
    for cell in next(r for r in requirements_matrix(ev) if r.id == "rto").cells:
        estimate = float(re.search(r"estimated RTO ([0-9.]+) s", cell.detail).group(1))  # type: ignore[union-attr]
        assert (cell.status == "met") == (estimate <= target), cell


def test_undeclared_rules_become_one_row_each_titled_after_the_rule() -> None:
    ev = _bundled()["single-vpc-analytics-s3-endpoints"]
    rows = {row.id: row for row in requirements_matrix(ev)}
    assert rows["nat-unreachable-over-vgw"].title == "Nat unreachable over vgw"
    nat = rows["nat-unreachable-over-vgw"].cell("nat-gateway")
    assert nat.status in ("met", "not met")
    assert rows["nat-unreachable-over-vgw"].cell("gateway").status == "not applicable"


# --- measured requirements of every decision: the numbers, hand-checked from DOMAIN*.md ------

#: (decision, parameters, requirement, option, status, detail). Each detail's numbers are
#: worked out by hand from the limits in shared/DOMAIN.md and DOMAIN-NEXT.md:
MEASURED = [
    # hybrid: standard tunnel 1.25 Gbps (seed 310), a virtual private gateway has no ECMP, so
    # 3 Gbps over 2 VPCs is 1.5 Gbps per VPC on one tunnel: not met
    ("hybrid-connectivity", {"required_gbps": 3, "vpc_count": 2}, "throughput", "vpn-vgw",
     "not met", "1.5 Gbps per VPC, limit 1.25 Gbps (one tunnel, no ECMP)"),
    # dedicated ports 1, 10, 100, 400 Gbps: the smallest that carries 3 Gbps is 10
    ("hybrid-connectivity", {"required_gbps": 3}, "throughput", "dx-dedicated",
     "met", "required 3 Gbps, on a 10 Gbps port"),
    # hosted connections top out at 25 Gbps (pricing page): 30 Gbps does not fit
    ("hybrid-connectivity", {"required_gbps": 30, "largest_flow_gbps": 1}, "throughput",
     "dx-hosted", "not met", "required 30 Gbps, largest port 25 Gbps"),
    # one flow uses one tunnel: 2 Gbps over a 1.25 Gbps standard tunnel, or a 5 Gbps large one
    ("hybrid-connectivity", {"required_gbps": 3, "largest_flow_gbps": 2}, "largest-flow",
     "vpn-tgw-ecmp", "not met", "largest flow 2 Gbps, limit 1.25 Gbps per tunnel"),
    ("hybrid-connectivity", {"required_gbps": 3, "largest_flow_gbps": 2}, "largest-flow",
     "vpn-tgw-large", "met", "largest flow 2 Gbps, limit 5 Gbps per tunnel"),
    ("hybrid-connectivity", {"bgp_capable": False}, "bgp", "dx-hosted", "not met",
     "customer gateways use static routes; Direct Connect needs BGP"),
    # egress: 100 Gbps per AZ per egress path (TGW quotas, NAT gateway, firewall endpoint):
    # 2 AZs carry 200 Gbps; 250 through one VPC does not, 250 / 5 VPCs = 50 per VPC does
    ("egress-inspection", {"peak_gbps": 250, "az_count": 2, "vpc_count": 5}, "bandwidth",
     "central-nat", "not met",
     "peak 250 Gbps through one egress VPC, limit 200 Gbps (2 AZ x 100 Gbps)"),
    ("egress-inspection", {"peak_gbps": 250, "az_count": 2, "vpc_count": 5}, "bandwidth",
     "nat-per-vpc", "met", "peak 50 Gbps per VPC, limit 200 Gbps (2 AZ x 100 Gbps)"),
    ("egress-inspection", {"vpc_count": 1}, "shared-vpcs", "central-nat", "not met",
     "1 VPC to share it, at least 2 needed"),
    ("egress-inspection", {"az_count": 1}, "shared-azs", "central-network-firewall",
     "not met", "1 AZ, at least 2 needed"),
    # S3: an interface endpoint scales to 100 Gbps per AZ (PrivateLink quotas): 2 AZs, 200;
    # a hub carries every spoke: 10 x 30 = 300 Gbps
    ("s3-endpoints", {"peak_gbps": 30, "az_count": 2, "vpc_count": 10}, "throughput",
     "interface", "met", "peak 30 Gbps per VPC, limit 200 Gbps (2 AZ x 100 Gbps)"),
    ("s3-endpoints", {"peak_gbps": 30, "az_count": 2, "vpc_count": 10}, "throughput",
     "interface-centralized", "not met",
     "peak 300 Gbps through one hub endpoint (10 VPCs x 30 Gbps), limit 200 Gbps "
     "(2 AZ x 100 Gbps)"),
    ("s3-endpoints", {"allow_internet_path": False}, "private-path", "nat-gateway", "not met",
     "policy requires a private path; NAT uses the public endpoint"),
    # active VPC peering connections per VPC: at most 125 (VPC quotas)
    ("s3-endpoints", {"vpc_count": 130}, "peering-quota", "interface-hub-peering", "not met",
     "130 peering connections, limit 125 per VPC"),
    ("s3-endpoints", {"on_prem_access": True}, "callers", "gateway", "not met",
     "callers from on-premises; a gateway endpoint serves its own VPC only"),
    # DR (DOMAIN-NEXT section 8): RTO floors 3,600 / 600 / 60 s, RPO floors 300 / 60 / 1 s
    ("dr-strategy", {"rto_seconds": 1800, "rpo_seconds": 120}, "rto", "backup-restore",
     "not met", "best achievable RTO 1 h (3,600 s), target 30 min (1,800 s)"),
    ("dr-strategy", {"rto_seconds": 1800, "rpo_seconds": 120}, "rto", "pilot-light", "met",
     "best achievable RTO 10 min (600 s), target 30 min (1,800 s)"),
    ("dr-strategy", {"rto_seconds": 1800, "rpo_seconds": 120}, "rpo", "backup-restore",
     "not met", "best achievable RPO 5 min (300 s), target 2 min (120 s)"),
    ("dr-strategy", {"rto_seconds": 1800, "rpo_seconds": 120}, "rpo", "warm-standby", "met",
     "best achievable RPO 1 s, target 2 min (120 s)"),
    # VMware: 1.25 Gbps per tunnel, at most 4 tunnels in an SDDC: 6 Gbps needs
    # ceil(6 / 1.25) = 5 tunnels; 4 x 1.25 = 5 Gbps
    ("vmware-sddc", {"required_gbps": 6, "existing_transit_gateway": True}, "vpn-throughput",
     "tgw-vpn", "not met",
     "required 6 Gbps needs 5 tunnels of 1.25 Gbps, limit 4 per SDDC (5 Gbps)"),
    ("vmware-sddc", {"required_gbps": 2.5, "existing_transit_gateway": True},
     "vpn-throughput", "tgw-vpn", "met",
     "required 2.5 Gbps needs 2 tunnels of 1.25 Gbps, limit 4 per SDDC (5 Gbps)"),
    ("vmware-sddc", {"other_vpc_count": 3}, "reach", "connected-vpc", "not met",
     "3 other VPCs to reach; the connected VPC's ENI reaches that VPC only"),
    ("vmware-sddc", {}, "existing-tgw", "tgw-vpn", "not met",
     "no existing one; the option attaches to a Transit Gateway in your account"),
    # QuickSight: VPC connections need Enterprise edition; the Redshift-managed endpoint
    # needs a port in 5431-5455 or 8191-8215 (Redshift docs)
    ("quicksight-connectivity", {"quicksight_edition": "standard"}, "edition", "vpc-peering",
     "not met", "Standard edition; a VPC connection needs Enterprise"),
    ("quicksight-connectivity", {"data_source": "redshift-ra3", "redshift_port": 5439},
     "redshift-port", "redshift-managed-endpoint", "met",
     "cluster port 5439; the endpoint needs 5431-5455 or 8191-8215"),
    ("quicksight-connectivity", {"data_source": "redshift-ra3", "redshift_port": 5460},
     "redshift-port", "redshift-managed-endpoint", "not met",
     "cluster port 5460; the endpoint needs 5431-5455 or 8191-8215"),
    ("quicksight-connectivity", {"cidr_overlap": True}, "cidr-overlap", "vpc-peering",
     "not met", "CIDRs overlap; a routed path needs distinct CIDRs"),
    # Cloud Map refills 1,000 DiscoverInstances tokens per second per account and Region
    ("az-affinity", {"discovery_calls_per_second": 1500}, "discovery-rate",
     "cloud-map-discovery", "not met",
     "1,500 DiscoverInstances calls per second, limit 1,000 per second"),
    ("az-affinity", {"discovery_calls_per_second": 1000}, "discovery-rate",
     "cloud-map-discovery", "met",
     "1,000 DiscoverInstances calls per second, limit 1,000 per second"),
]


@pytest.mark.parametrize(("decision", "params", "requirement", "option", "status", "detail"),
                         MEASURED)
def test_measured_requirements_state_the_numbers(decision: str, params: dict[str, object],
                                                 requirement: str, option: str, status: str,
                                                 detail: str) -> None:
    ev = archlib.evaluate(decision, params)
    row = next(r for r in requirements_matrix(ev) if r.id == requirement)
    cell = row.cell(option)
    assert (cell.status, cell.detail) == (status, detail)
    assert cell.rule in row_rules(ev, requirement) and cell.source is not None


def row_rules(ev: archlib.Evaluation, requirement: str) -> tuple[str, ...]:
    return next(r.rules for r in declared_and_derived(ev.decision) if r.id == requirement)


@pytest.mark.parametrize("decision", sorted({case[0] for case in MEASURED} | {SQL}))
def test_every_decision_declares_measured_requirements(decision: str) -> None:
    declared = archlib.decisions.get(decision).requirements
    assert declared and all(r.measure is not None for r in declared)


# --- views ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("usd", "text"), [
    (0.0, "$0.00"), (1234.5, "$1,234.50"), (592.8, "$592.80"), (0.005, "$0.01"),
    (None, "unknown"), (1_000_000.0, "$1,000,000.00"),
])
def test_usd_text(usd: float | None, text: str) -> None:
    assert usd_text(usd) == text


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_usd_text_has_cents_and_separators(usd: float) -> None:
    assert re.fullmatch(r"\$[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}", usd_text(usd))


@pytest.mark.parametrize("case", CASES)
def test_summary_band_names_the_answer_cost_and_verdict(case: str) -> None:
    ev = _bundled()[case]
    band = summary_band_html(ev)
    assert ev.recommended is not None and ev.verdict is not None
    best = ev.option(ev.recommended)
    assert f"<strong>{best.title}</strong>" in band.replace("&#x27;", "'")
    assert f'class="archlib-badge verdict-{ev.verdict.level}"' in band
    assert usd_text(best.monthly_cost_usd) in band
    if best.monthly_cost_usd is not None:  # 12 months: hand arithmetic on the cents
        assert f"${round(best.monthly_cost_usd, 2) * 12:,.2f}" in band
    assert "Warnings</dt><dd>" + str(len(best.warnings)) in band
    assert re.search(r"Requirements</dt><dd>(\d+) of \1 met", band), band


def test_summary_band_difference_to_the_runner_up() -> None:
    ev = _bundled()["sqlserver-cross-region-dr-sqlserver-ha-dr"]
    assert ev.recommended is not None and ev.runner_up is not None
    best = ev.option(ev.recommended).monthly_cost_usd
    runner = ev.option(ev.runner_up).monthly_cost_usd
    assert best is not None and runner is not None
    gap = round(best, 2) - round(runner, 2)
    band = summary_band_html(ev)
    if gap:
        word = "cheaper" if gap < 0 else "more"
        assert f"${abs(gap):,.2f} ({abs(gap) / round(runner, 2) * 100:.1f}%) {word}" in band
    else:
        assert "the same monthly cost" in band


def test_matrix_html_marks_and_cites() -> None:
    ev = _sql(rto_seconds=1)  # every option misses a one-second RTO
    table = requirements_matrix_html(ev)
    assert table.count('class="req-not-met"') >= len(ev.options)
    assert "estimated RTO" in table and "target 1 s" in table
    assert 'href="https://' in table  # citations link to the source by its title
    for option in ev.options:
        assert option.title.replace("'", "&#x27;") in table


@pytest.mark.parametrize(("n", "word", "plural", "text"), [
    (1, "VPC", None, "1 VPC"), (2, "VPC", None, "2 VPCs"), (0, "AZ", None, "0 AZs"),
    (1_000, "peering connection", None, "1,000 peering connections"),
    (3, "proxy", "proxies", "3 proxies"),
])
def test_count_says_the_noun_in_the_right_number(n: int, word: str, plural: str | None,
                                                 text: str) -> None:
    from archlib.formatting import count

    assert count(n, word, plural) == text
