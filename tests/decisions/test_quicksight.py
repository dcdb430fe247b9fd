"""quicksight-connectivity, hand-checked against shared/DOMAIN.md section 2, the seed's QuickSight
deployment-models post (seed lines 368-514) and the us-east-1 prices in DOMAIN.md's table:

    VPC peering           same Region: $0.01/GB each direction across AZs (out and in);
                          other Region: $0.02/GB out (US Regions)
    Transit Gateway       $0.05 per attachment-hour, $0.02/GB processed
    interface endpoint    $0.01 per AZ-hour, $0.01/GB (first PB), $0.006/GB (next 4 PB)
    Redshift-managed      price file items redshift_managed_endpoint_* (unverified: assumed
      endpoint            equal to an interface endpoint)
    Network Load Balancer $0.0225 per hour, $0.006 per NLCU-hour (1 NLCU = 1 GB/hour for TCP)
    730 hours per month
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

import archlib
from archlib import InputError, report, views
from archlib._prices import load_prices
from archlib.cli import app
from archlib.decisions import quicksight as qs
from archlib.drawing import render_svg

QS = "quicksight-connectivity"
PEER, TGW, RSE, SHARE, PL = ("vpc-peering", "transit-gateway", "redshift-managed-endpoint",
                             "vpc-sharing", "self-managed-privatelink")
ALL = (PEER, TGW, RSE, SHARE, PL)
H = 730  # hours per month
PB = 1_048_576  # GB


def _ev(params: dict[str, Any], prices: dict[str, float] | None = None) -> archlib.Evaluation:
    return archlib.evaluate(QS, params, prices=prices)


def test_contract_ids_and_parameters() -> None:
    decision = archlib.decisions.get(QS)
    assert decision is qs.DECISION
    assert decision.option_ids == ALL
    assert decision.volume_fields == ("monthly_gb",)
    assert decision.notebook == "quicksight_connectivity.ipynb"
    defaults = qs.Params().model_dump()
    assert defaults == {
        "quicksight_edition": "enterprise", "same_organization": True, "same_region": True,
        "data_source": "rds", "transit_gateway_available": False,
        "peering_restricted": False, "cidr_overlap": False, "monthly_gb": 50,
        "az_count": 2, "weights": {}, "exclude": [], "cost_materiality_usd": None,
    }
    assert qs.DATA_SOURCES == ("redshift-ra3", "redshift-dc2", "rds", "ec2-database")
    assert qs.EDITIONS == ("enterprise", "standard")


# --- feasibility over the whole grid ---------------------------------------------------------
# Each option's requirements as the sources state them, written out here independently of the
# module: (rule id that fires when violated, parameter, the values that satisfy it).

EVERY = [("enterprise-edition-required", "quicksight_edition", {"enterprise"})]  # seed 370
REQUIREMENTS: dict[str, list[tuple[str, str, set[Any]]]] = {
    PEER: [
        *EVERY,
        ("peering-restricted", "peering_restricted", {False}),  # seed 439: policy limits it
        ("no-overlapping-cidrs", "cidr_overlap", {False}),  # seed 376; peering limitations
    ],
    TGW: [
        *EVERY,
        ("no-overlapping-cidrs", "cidr_overlap", {False}),  # routed, like peering
        ("tgw-same-organization", "same_organization", {True}),  # seed 440
        ("tgw-path-required", "transit_gateway_available", {True}),  # seed 440 (or peered)
    ],
    RSE: [
        *EVERY,
        ("redshift-ra3-only", "data_source", {"redshift-ra3"}),  # seed 472
        ("redshift-endpoint-same-region", "same_region", {True}),  # DOMAIN.md section 2
    ],
    SHARE: [
        *EVERY,
        ("sharing-same-organization", "same_organization", {True}),  # seed 483
        ("sharing-same-region", "same_region", {True}),  # seed 372
    ],
    PL: EVERY,  # works across accounts, Regions and overlapping CIDRs (seed 471; PrivateLink)
}

GRID_AXES: dict[str, tuple[Any, ...]] = {
    "same_organization": (True, False),
    "same_region": (True, False),
    "data_source": ("redshift-ra3", "redshift-dc2", "rds", "ec2-database"),
    "cidr_overlap": (False, True),
    "transit_gateway_available": (False, True),
    "quicksight_edition": ("enterprise", "standard"),
    "peering_restricted": (False, True),
}
GRID = [dict(zip(GRID_AXES, values, strict=True))
        for values in itertools.product(*GRID_AXES.values())]


def _expected_violations(cell: dict[str, Any]) -> dict[str, set[str]]:
    return {option: {rule for rule, name, allowed in reqs if cell[name] not in allowed}
            for option, reqs in REQUIREMENTS.items()}


def test_grid_is_complete() -> None:
    assert len(GRID) == 2 * 2 * 4 * 2 * 2 * 2 * 2 == 256


@pytest.mark.parametrize("cell", GRID, ids=lambda c: "-".join(
    str(v) if not isinstance(v, bool) else ("T" if v else "F") for v in c.values()))
def test_feasibility_over_the_whole_grid(cell: dict[str, Any]) -> None:
    ev = _ev(cell)
    expected = _expected_violations(cell)
    for option in ALL:
        result = ev.option(option)
        fired = {v.rule for v in result.violations}
        assert fired == expected[option], option
        assert result.feasible is (not fired)
        assert (option in ev.ranking) is result.feasible
        for violation in result.violations:
            assert violation.message and "\n" not in violation.message
    feasible = {o for o in ALL if not expected[o]}
    assert set(ev.ranking) == feasible
    assert (ev.recommended is None) is (not feasible)


def test_standard_edition_rules_out_everything_and_says_upgrade() -> None:
    ev = _ev({"quicksight_edition": "standard", "data_source": "redshift-ra3"})
    assert ev.recommended is None and ev.ranking == ()
    for result in ev.options:
        assert result.violations[0].rule == "enterprise-edition-required"
        assert "upgrade" in result.violations[0].message
        assert "Enterprise edition" in result.violations[0].message
    (standard,) = [a for a in ev.assumptions if a.id == "standard-edition"]
    assert "Enterprise edition" in standard.text and standard.source == "seed-qs-enterprise"
    page = views.recommendation_html(ev)
    assert "No feasible option" in page and "upgrade the QuickSight account" in page
    assert ev.actions == ()
    assert "standard-edition" not in {a.id for a in _ev({}).assumptions}


# --- warnings --------------------------------------------------------------------------------

# (params, option, warning, present); the option's feasibility is not affected
WARNING_CASES = [
    ({}, PL, "database-ip-may-change", True),  # seed 471: always, the IP may change
    ({"data_source": "ec2-database"}, PL, "database-ip-may-change", True),
    ({"same_region": False}, PL, "cross-region-privatelink", True),
    ({}, PL, "cross-region-privatelink", False),
    ({"same_region": False}, PEER, "inter-region-security-groups", True),  # seed 429
    ({}, PEER, "inter-region-security-groups", False),
]


@pytest.mark.parametrize(("params", "option", "warning", "present"), WARNING_CASES)
def test_warnings(params: dict[str, Any], option: str, warning: str, present: bool) -> None:
    result = _ev(params).option(option)
    assert (warning in {w.rule for w in result.warnings}) is present
    assert warning not in {v.rule for v in result.violations}
    assert result.feasible


def test_ip_change_warning_is_in_json_and_names_the_data_source() -> None:
    data = _ev({"data_source": "redshift-dc2"}).to_dict()
    pl = next(o for o in data["options"] if o["id"] == PL)
    (warning,) = [w for w in pl["warnings"] if w["rule"] == "database-ip-may-change"]
    assert "Amazon Redshift DC2" in warning["message"]
    assert "cannot refresh dashboards" in warning["message"]
    assert warning["source"] == "seed-qs-self-managed-privatelink"


def test_ip_change_risk_weighs_visibly_in_the_score() -> None:
    # Connectivity risk (weight 0.35): self-managed PrivateLink is the only option at risk 5,
    # so it gets 0 of the criterion's 35 points that every other feasible option gets.
    ev = _ev({})
    assert ev.weights["operational_risk"] == pytest.approx(0.35)
    risky = ev.option(PL)
    assert risky.criteria["operational_risk"] == 5
    assert risky.contributions["operational_risk"] == 0.0
    for option in (PEER, SHARE):
        assert ev.option(option).criteria["operational_risk"] == 1
        assert ev.option(option).contributions["operational_risk"] == pytest.approx(35.0)
    basis = risky.criteria_basis["operational_risk"]
    assert basis.source == "seed-qs-self-managed-privatelink" and "IP" in basis.reason


# --- cost items ------------------------------------------------------------------------------

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    ("defaults: same Region, 50 GB, 2 AZs", {}, {
        PEER: [50 * 0.01, 50 * 0.01],  # cross-AZ out + in = 1.00
        TGW: [1 * 0.05 * H, 50 * 0.02],  # 36.50 + 1.00
        RSE: [2 * 0.01 * H, 50 * 0.01],  # 14.60 + 0.50
        SHARE: [0.0],  # seed 484: no peering, TGW or PrivateLink cost
        PL: [0.0225 * H, 50 * 0.006, 2 * 0.01 * H, 50 * 0.01],  # 16.425+0.30+14.60+0.50
    }),
    ("other Region, 1000 GB, 3 AZs",
     {"same_region": False, "monthly_gb": 1000, "az_count": 3}, {
        PEER: [1000 * 0.02],  # inter-Region out only = 20.00
        TGW: [0.05 * H, 1000 * 0.02, 1000 * 0.02],  # attachment + processing + inter-Region
        RSE: [3 * 0.01 * H, 1000 * 0.01],
        SHARE: [0.0],
        PL: [0.0225 * H, 1000 * 0.006, 3 * 0.01 * H, 1000 * 0.01, 1000 * 0.02],  # = 74.325
    }),
    ("no traffic, 1 AZ", {"monthly_gb": 0, "az_count": 1}, {
        PEER: [0.0, 0.0],
        TGW: [0.05 * H, 0.0],
        RSE: [1 * 0.01 * H, 0.0],
        PL: [0.0225 * H, 0.0, 1 * 0.01 * H, 0.0],
    }),
    ("tiered processing above 1 PB", {"monthly_gb": 2_000_000}, {
        RSE: [2 * 0.01 * H, PB * 0.01 + (2_000_000 - PB) * 0.006],
        PL: [0.0225 * H, 2_000_000 * 0.006, 2 * 0.01 * H,
             PB * 0.01 + (2_000_000 - PB) * 0.006],
        PEER: [2_000_000 * 0.01, 2_000_000 * 0.01],
        TGW: [0.05 * H, 2_000_000 * 0.02],
    }),
]


@pytest.mark.parametrize(
    ("params", "option", "items"),
    [pytest.param(params, option, items, id=f"{name}-{option}")
     for name, params, by_option in COST_CASES for option, items in by_option.items()],
)
def test_cost_items(params: dict[str, Any], option: str, items: list[float]) -> None:
    result = _ev(params).option(option)
    billed = [v for v in result.cost_breakdown.values() if v is not None]
    # Each item is billed to the cent (archlib._money: 0.0225 x 730 = 16.425 bills 16.43), so
    # within half a cent of the arithmetic; the total is the sum of the billed items.
    assert sorted(billed) == pytest.approx(sorted(items), abs=0.005)
    assert all(round(v * 100) == pytest.approx(v * 100, abs=1e-6) for v in billed)
    assert result.monthly_cost_usd == pytest.approx(math.fsum(billed), abs=1e-9)


@pytest.mark.parametrize(
    ("params", "option", "total"),
    [
        ({}, TGW, 36.50 + 1.00),
        ({}, RSE, 14.60 + 0.50),
        ({"same_region": False, "monthly_gb": 1000, "az_count": 3}, PL,
         16.425 + 6.00 + 21.90 + 10.00 + 20.00),
        ({"same_region": False, "monthly_gb": 1000}, TGW, 36.50 + 20.00 + 20.00),
    ],
)
def test_totals_in_json(params: dict[str, Any], option: str, total: float) -> None:
    d = {o["id"]: o for o in _ev(params).to_dict()["options"]}
    assert d[option]["monthly_cost_usd"] == pytest.approx(round(total, 2))


def test_cost_is_the_same_for_every_data_source_and_organization() -> None:
    base = _ev({}).options
    for params in ({"data_source": "redshift-ra3"}, {"same_organization": False},
                   {"cidr_overlap": True, "transit_gateway_available": True}):
        other = _ev(params).options
        for a, b in zip(base, other, strict=True):
            assert a.cost_breakdown == b.cost_breakdown


def test_redshift_endpoint_prices_are_unverified_and_overridable() -> None:
    ev = _ev({"data_source": "redshift-ra3"})
    unverified = {a.id for a in ev.assumptions if a.unverified}
    assert {"unverified-redshift_managed_endpoint_az_hour",
            "unverified-redshift_managed_endpoint_gb", "redshift-endpoint-rates"} <= unverified
    free = _ev({"data_source": "redshift-ra3"},
               prices={"redshift_managed_endpoint_az_hour": 0.0,
                       "redshift_managed_endpoint_gb": 0.0})
    assert free.option(RSE).monthly_cost_usd == 0.0
    ids = {a.id for a in free.assumptions}
    assert "override-redshift_managed_endpoint_gb" in ids
    assert "unverified-redshift_managed_endpoint_gb" not in ids


# --- recommendations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "recommended"),
    [
        # same organization and Region: VPC sharing, the most cost-effective (seed 372, 484)
        ({}, SHARE),
        ({"data_source": "redshift-ra3"}, SHARE),
        ({"cidr_overlap": True}, SHARE),  # no second VPC to overlap with
        # another organization or Region, no Transit Gateway: peering (seed 409)
        ({"same_organization": False}, PEER),
        ({"same_region": False}, PEER),
        ({"same_organization": False, "same_region": False, "data_source": "redshift-ra3"},
         PEER),
        # peering limited by policy, a Transit Gateway path: Transit Gateway (seed 439-440)
        ({"same_region": False, "peering_restricted": True,
          "transit_gateway_available": True}, TGW),
        # RA3 in another organization, same Region: only the endpoint is exposed, and it
        # tolerates overlapping CIDRs (seed 470; PrivateLink)
        ({"same_organization": False, "data_source": "redshift-ra3", "cidr_overlap": True},
         RSE),
        # overlapping CIDRs, another organization, RDS: only PrivateLink is left
        ({"same_organization": False, "cidr_overlap": True}, PL),
    ],
)
def test_recommendation(params: dict[str, Any], recommended: str) -> None:
    assert _ev(params).recommended == recommended


def test_only_self_managed_privatelink_left_keeps_its_warning() -> None:
    ev = _ev({"same_organization": False, "same_region": False, "cidr_overlap": True})
    assert ev.ranking == (PL,)
    assert "database-ip-may-change" in {w.rule for w in ev.option(PL).warnings}
    assert "Warnings:" in views.recommendation_html(ev)


# --- actions ---------------------------------------------------------------------------------

# option -> (params, words the actions must contain, sources they must cite)
ACTION_CASES: dict[str, tuple[dict[str, Any], list[str], set[str]]] = {
    PEER: ({"same_organization": False},
           ["peering connection", "DNS resolution", "requester", "accepter", "route table",
            "security groups", "VPC connection", "manual connect"],
           {"seed-qs-peering", "seed-qs-vpc-connection", "seed-qs-connect"}),
    TGW: ({"same_region": False, "peering_restricted": True,
           "transit_gateway_available": True},
          ["Attach the QuickSight VPC", "DNS support", "route table", "security groups",
           "VPC connection"],
          {"seed-qs-tgw", "tgw-vpc-attachments", "seed-qs-vpc-connection"}),
    RSE: ({"same_organization": False, "data_source": "redshift-ra3"},
          ["grant", "Redshift-managed VPC endpoint", "security groups", "VPC connection"],
          {"redshift-managed-endpoints", "seed-qs-redshift-endpoint", "seed-qs-connect"}),
    SHARE: ({}, ["share its subnets", "AWS RAM", "shared subnets", "VPC connection"],
            {"vpc-sharing-guide", "seed-qs-vpc-sharing", "seed-qs-vpc-connection"}),
    PL: ({"same_organization": False, "cidr_overlap": True},
         ["Network Load Balancer", "IP target group", "endpoint service", "interface endpoint",
          "update the target group"],
         {"seed-qs-self-managed-privatelink", "privatelink-endpoint-services"}),
}


@pytest.mark.parametrize("option", ALL)
def test_actions_for_the_recommended_option(option: str) -> None:
    from archlib import _sources

    params, words, sources = ACTION_CASES[option]
    ev = _ev(params)
    assert ev.recommended == option
    text = " ".join(a.text for a in ev.actions)
    for word in words:
        assert word in text, word
    cited = {a.source for a in ev.actions}
    assert sources <= cited
    for source in cited:
        assert _sources.get(source).id == source
    assert ev.to_dict()["actions"][0]["text"] == ev.actions[0].text


def test_peering_actions_across_regions_use_cidrs_not_security_group_references() -> None:
    same = " ".join(a.text for a in qs.actions(qs.Params(), PEER))
    other = " ".join(a.text for a in qs.actions(qs.Params(same_region=False), PEER))
    assert "reference the other VPC's security group" in same
    assert "allow the QuickSight subnet CIDR" in other


def test_routed_options_ask_for_a_distinct_cidr_and_privatelink_does_not() -> None:
    p = qs.Params(az_count=3)
    assert "CIDR differs" in qs.actions(p, PEER)[0].text
    assert "CIDR differs" in qs.actions(p, TGW)[0].text
    assert "CIDR differs" not in qs.actions(p, RSE)[0].text
    assert "3 AZs" in qs.actions(p, RSE)[0].text
    assert not any("create a VPC" in a.text for a in qs.actions(p, SHARE))


# --- assumptions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "assumption", "present"),
    [
        ({}, "peering-cross-az", True),
        ({"same_region": False}, "peering-cross-az", False),
        ({"same_region": False}, "inter-region", True),
        ({}, "inter-region", False),
        ({}, "tgw-attachments", True),
        ({}, "nlcu", True),
        ({}, "common-costs", True),
        ({}, "read-volume", True),
        ({}, "hours-per-month", True),
        ({"quicksight_edition": "standard"}, "standard-edition", True),
    ],
)
def test_assumptions(params: dict[str, Any], assumption: str, present: bool) -> None:
    assert (assumption in {a.id for a in _ev(params).assumptions}) is present


def test_sources_cited_include_the_seed_post() -> None:
    ids = {s["id"] for s in _ev({}).to_dict()["sources"]}
    assert {"seed-qs-vpc-connection", "seed-qs-summary-table", "seed-qs-enterprise",
            "pricing-transit-gateway", "pricing-elb"} <= ids


# --- diagrams --------------------------------------------------------------------------------


@pytest.mark.parametrize("same_region", [True, False])
@pytest.mark.parametrize("option", ALL)
def test_diagram_of_every_option(option: str, same_region: bool) -> None:
    p = qs.Params(same_region=same_region, data_source="redshift-ra3")
    spec = qs.diagram(p, option)
    kinds = {n.kind for n in spec.nodes}
    assert {"aws.analytics.Quicksight", "aws.analytics.Redshift"} <= kinds
    clusters = {c.id for c in spec.clusters}
    assert ("qs-vpc" in clusters) is (option != SHARE)  # sharing needs no QuickSight VPC
    expected_kind = {PEER: "aws.network.VPCPeering", TGW: "aws.network.TransitGateway",
                     RSE: "aws.network.Endpoint", SHARE: "aws.security.ResourceAccessManager",
                     PL: "aws.network.ElbNetworkLoadBalancer"}[option]
    assert expected_kind in kinds
    svg = render_svg(spec)
    assert svg.startswith("<svg") and "aria-label" in svg


def test_diagram_details() -> None:
    cross = qs.diagram(qs.Params(same_region=False), TGW)
    assert sum(n.kind == "aws.network.TransitGateway" for n in cross.nodes) == 2  # peered
    pl = qs.diagram(qs.Params(), PL)
    (target,) = [e for e in pl.edges if e.target == "db"]
    assert target.style == "dashed" and "IP" in target.label
    db = {n.id: n for n in qs.diagram(qs.Params(data_source="ec2-database"), PEER).nodes}["db"]
    assert db.kind == "aws.compute.EC2"
    with pytest.raises(KeyError, match="known"):
        qs.diagram(qs.Params(), "direct-connect")


# --- the reconstructed summary table ---------------------------------------------------------


def test_preference_table_matches_evaluate_over_the_whole_grid() -> None:
    rows = qs.preference_table(axes=GRID_AXES)
    assert len(rows) == len(GRID)
    for row, cell in zip(rows, GRID, strict=True):
        assert row.cell == cell
        ev = _ev(cell)
        assert (row.preferred, row.runner_up) == (ev.recommended, ev.runner_up), cell
        assert set(row.feasible) == set(ev.ranking)


def test_preference_table_with_volumes_weights_and_prices_matches_evaluate() -> None:
    base = {"weights": {"monthly_cost": 3.0}, "az_count": 3}
    prices = {"tgw_attachment_hour": 0.0}
    axes = {"monthly_gb": (0.0, 50.0, 5000.0, 2_000_000.0), "same_region": (True, False),
            "same_organization": (True, False), "data_source": ("redshift-ra3", "rds"),
            "transit_gateway_available": (True,)}
    rows = qs.preference_table(base, axes, prices=prices)
    assert len(rows) == 4 * 2 * 2 * 2
    for row in rows:
        ev = _ev({**base, **row.cell}, prices=prices)
        assert (row.preferred, row.runner_up) == (ev.recommended, ev.runner_up), row.cell


def _alternatives(name: str) -> tuple[Any, ...]:
    return {"quicksight_edition": qs.EDITIONS, "data_source": qs.DATA_SOURCES,
            "monthly_gb": (0.0, 7.5, 90_000.0), "az_count": (1, 4)}.get(name, (True, False))


@pytest.mark.parametrize("start", [{}, {"same_region": False, "monthly_gb": 300.0},
                                   {"quicksight_edition": "standard", "cidr_overlap": True}])
def test_grid_shortcuts_read_only_the_declared_fields(start: dict[str, Any]) -> None:
    """preference_table shares work between cells that agree on RULE_FIELDS (rules) and
    COST_FIELDS (costs), and takes the judgements from JUDGEMENTS: changing any other field
    must change neither, and the judgements must not change at all."""
    p = qs.Params(**start)
    prices = load_prices("us-east-1")
    fired = [r.check(p) for r in qs.RULES]
    costs = qs.cost(p, prices)
    monthly = {o: sum(v or 0.0 for v in costs[o].values()) for o in ALL}
    values = qs.criteria_values(p, monthly)
    assert values == {o: {"monthly_cost": monthly[o],
                          **{c: qs.JUDGEMENTS[c][o] for c in qs.JUDGEMENTS}} for o in ALL}
    assert [c.id for c in qs.CRITERIA] == ["monthly_cost", *qs.JUDGEMENTS]
    for name in qs.Params.model_fields:
        if name == "weights":
            continue
        for value in _alternatives(name):
            q = p.model_copy(update={name: value})
            if name not in qs.RULE_FIELDS:
                assert [r.check(q) for r in qs.RULES] == fired, name
            if name not in qs.COST_FIELDS:
                assert qs.cost(q, prices) == costs, name
            assert qs.criteria_values(q, monthly) == values, name


def test_summary_grid_reproduces_the_seed_cell() -> None:
    # Seed 513-514: different accounts, same organization, same Region, Redshift RA3:
    # "Amazon Redshift managed VPC endpoint or VPC sharing".
    rows = qs.summary_grid(qs.Params())
    assert len(rows) == 2 * 2 * 2 * 4
    (seed,) = [r for r in rows if r.cell == {"same_organization": True, "cidr_overlap": False,
                                             "same_region": True,
                                             "data_source": "redshift-ra3"}]
    assert {seed.preferred, seed.runner_up} == {RSE, SHARE}


def test_summary_grid_uses_the_walkthrough_conditions() -> None:
    # Even for a Standard-edition scenario the table shows the seed's (Enterprise) answers,
    # with the scenario's volume.
    rows = qs.summary_grid(qs.Params(quicksight_edition="standard", monthly_gb=10.0))
    assert all(r.preferred is not None for r in rows)
    assert "10 GB/month" in qs.summary_table_html(qs.Params(monthly_gb=10.0))


def test_grid_of_standard_edition_is_none_everywhere() -> None:
    rows = qs.preference_table({"quicksight_edition": "standard"})
    assert {r.preferred for r in rows} == {None}
    page = qs.grid_html(rows)
    assert page.count('<span class="none">none</span>') == len(rows)


def test_grid_html_layout() -> None:
    page = qs.grid_html(qs.summary_grid(qs.Params()), caption="a <b> caption")
    assert page.startswith('<table class="archlib-grid"')
    assert "<caption>a &lt;b&gt; caption</caption>" in page
    assert '<th colspan="4">Same Region</th><th colspan="4">Different Region</th>' in page
    assert page.count("<tr>") == 2 + 4  # two header rows, organization x CIDR rows
    assert page.count('class="seed-cell"') == 1
    assert "Amazon Redshift managed VPC endpoint or VPC sharing" in page
    assert ('data-preferred="vpc-sharing" data-runner-up="redshift-managed-endpoint">'
            "<strong>VPC sharing</strong><br><small>then Redshift-managed VPC endpoint</small> *"
            in page)
    assert "<th>accounts</th><th>VPC CIDRs</th>" in page


@pytest.mark.parametrize(
    ("axes", "field"),
    [
        ({"colour": (1, 2)}, "axes.colour"),
        ({"weights": ({},)}, "axes.weights"),
        ({"data_source": ()}, "axes.data_source"),
        ({"data_source": "rds"}, "axes.data_source"),  # a string is not a list of values
        ({"data_source": ("oracle",)}, "data_source"),
        ({"az_count": (0,)}, "az_count"),
        ({"same_region": ("yes",)}, "same_region"),
    ],
)
def test_bad_grid_axes(axes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        qs.preference_table(axes=axes)
    assert info.value.field == field
    assert "\n" not in str(info.value)


# --- parameters and the command line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quicksight_edition": "pro"}, "quicksight_edition"),
        ({"data_source": "oracle"}, "data_source"),
        ({"data_source": "redshift"}, "data_source"),
        ({"same_region": "yes"}, "same_region"),
        ({"same_organization": 1}, "same_organization"),
        ({"monthly_gb": -1}, "monthly_gb"),
        ({"monthly_gb": "50"}, "monthly_gb"),
        ({"az_count": 0}, "az_count"),
        ({"az_count": 7}, "az_count"),
        ({"region": "eu-west-1"}, "region"),  # not a parameter of this decision
        ({"weights": {"beauty": 1}}, "weights"),
    ],
)
def test_bad_params(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_cli_evaluate_json_with_set() -> None:
    result = CliRunner().invoke(app, [
        "evaluate", QS, "--format", "json", "--set", "same_organization=false",
        "--set", "data_source=redshift-ra3", "--set", "cidr_overlap=true",
        "--set", "monthly_gb=1e3"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decision"] == QS
    assert data["params"]["monthly_gb"] == 1000
    assert data["recommended"] == RSE
    options = {o["id"]: o for o in data["options"]}
    assert options[RSE]["monthly_cost_usd"] == pytest.approx(2 * 0.01 * H + 1000 * 0.01)
    assert {v["rule"] for v in options[PEER]["violations"]} == {"no-overlapping-cidrs"}
    assert {v["rule"] for v in options[SHARE]["violations"]} == {"sharing-same-organization"}


def test_cli_bad_enum_is_one_line() -> None:
    result = CliRunner().invoke(app, ["evaluate", QS, "--set", "data_source=oracle"])
    assert result.exit_code == 2
    assert "data_source" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- widgets ---------------------------------------------------------------------------------


def test_explorer_controls_and_a_change_reevaluates() -> None:
    import ipywidgets as widgets

    from archlib.widgets import explore

    ex = explore(QS)
    kinds = {name: type(c) for name, c in ex.controls.items()}
    assert kinds["quicksight_edition"] is widgets.Dropdown
    assert kinds["data_source"] is widgets.Dropdown
    assert ex.controls["data_source"].options == qs.DATA_SOURCES
    for name in ("same_organization", "same_region", "transit_gateway_available",
                 "peering_restricted", "cidr_overlap"):
        assert kinds[name] is widgets.Checkbox, name
    assert kinds["monthly_gb"] is widgets.BoundedFloatText
    assert kinds["az_count"] is widgets.IntSlider
    assert ex.evaluation.recommended == SHARE
    ex.controls["same_organization"].value = False
    assert ex.evaluation.recommended == PEER
    ex.controls["quicksight_edition"].value = "standard"
    assert ex.evaluation.recommended is None
    assert "No feasible option" in ex.recommendation.value


# --- the notebook, run by papermill with non-default parameters ------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("qs-batch")
    scenario = root / "bi.yaml"
    scenario.write_text("""
name: BI across organizations
description: RA3 warehouse in a partner organization, overlapping CIDRs.
prices:
  redshift_managed_endpoint_gb: 0.0
decisions:
  quicksight-connectivity:
    same_organization: false
    data_source: redshift-ra3
    cidr_overlap: true
    monthly_gb: 400
    az_count: 3
""", encoding="utf-8")
    outcome = report.build_reports([scenario], root / "out")
    assert outcome.ok, outcome.summary_lines()
    return root / "out"


def test_papermill_ran_the_notebook_with_the_scenario_parameters(batch: Path) -> None:
    nb = nbformat.read(batch / "bi" / f"{QS}.ipynb", as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    for line in ("same_organization = False", 'data_source = "redshift-ra3"',
                 "cidr_overlap = True", "az_count = 3"):
        assert line in injected.source, line
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = json.dumps(outputs)
    assert "Recommended: <code>redshift-managed-endpoint</code>" in shown
    assert "archlib-grid" in shown and "seed-cell" in shown
    # 3 AZs x $0.01 x 730 with processing overridden to 0
    assert "$21.90" in shown


def test_report_html_shows_the_reconstructed_table(batch: Path) -> None:
    page = (batch / "bi" / f"{QS}.html").read_text(encoding="utf-8")
    assert "Reconstructed summary table" in page
    assert 'class="archlib-grid"' in page and 'class="seed-cell"' in page
    assert "from archlib" not in page  # no code
    assert page.count('aria-label="Diagram of option ') == len(ALL)
