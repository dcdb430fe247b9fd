"""dr-strategy, hand-checked against shared/DOMAIN-NEXT.md section 8, the seed's IVR post
(seed lines 543-571), its Druva post (572-653), AWS Well-Architected REL13-BP02 and the
us-east-1 prices:

    EBS gp3 (replica storage)      $0.08 per GB-month
    EBS snapshots (common backups) $0.05 per GB-month
    inter-Region transfer          $0.02/GB out of us-east-1 (us-east-2: $0.01)
    Network Load Balancer          $0.0225 per hour: 730 h = $16.425, billed $16.43

Costs (P = production_monthly_usd, d = data_tier_share, s = standby_scale, D = data_gb,
C = monthly_change_gb; transfer 0 with an on-premises primary, data into AWS is free):

    backup-restore             0 (the backups every strategy keeps are left out)
    pilot-light                d P + D x 0.08 + C x 0.02
    warm-standby               d P + s (1 - d) P + D x 0.08 + C x 0.02 (+ NLB on-premises)
    multi-site-active-active   P + D x 0.08 + C x 0.02 (+ NLB on-premises)

What each achieves (the brief's reading of the WA wording):

    strategy       RTO floor   RTO band top   RPO floor
    backup         3,600 s     86,400 s       300 s
    pilot light    600 s       3,600 s        60 s
    warm standby   60 s (1 s with reduced_capacity_ok)   3,600 s   1 s
    active/active  0 s         60 s           0 s
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from typer.testing import CliRunner

import archlib
from archlib import InputError, report
from archlib.cli import app
from archlib.decisions import dr_strategy
from archlib.decisions.dr_strategy import Params
from archlib.drawing import render_svg

DR = "dr-strategy"
BR, PL, WS, AA = "backup-restore", "pilot-light", "warm-standby", "multi-site-active-active"
ALL = (BR, PL, WS, AA)
EBS, SNAP, XREGION, NLB = 0.08, 0.05, 0.02, 0.0225 * 730
ROOT = Path(__file__).resolve().parents[2]

#: The seed's SLO example (seed 613-614): RPO 24 h, RTO 30 h, P $8,000, 2,000 GB, 300 GB.
SLO = {"rpo_seconds": 86_400, "rto_seconds": 108_000, "production_monthly_usd": 8000,
       "data_gb": 2000, "monthly_change_gb": 300}
#: The seed's IVR case (seed 548): RTO 30 s, RPO 5 s, on premises, reduced capacity accepted.
IVR = {"rto_seconds": 30, "rpo_seconds": 5, "primary_on_premises": True,
       "reduced_capacity_ok": True, "production_monthly_usd": 6000, "data_gb": 500,
       "monthly_change_gb": 100}


def _ev(params: dict[str, Any]) -> archlib.Evaluation:
    return archlib.evaluate(DR, params)


def test_contract_ids() -> None:
    assert dr_strategy.DECISION.id == DR
    assert dr_strategy.DECISION.option_ids == ALL
    assert set(Params.model_fields) >= {
        "region", "rto_seconds", "rpo_seconds", "production_monthly_usd", "data_tier_share",
        "standby_scale", "data_gb", "monthly_change_gb", "primary_on_premises",
        "reduced_capacity_ok"}


# --- the brief's worked examples -------------------------------------------------------------


def test_slo_example_backup_and_restore_is_enough() -> None:
    ev = _ev(SLO)
    assert all(o.feasible for o in ev.options)
    assert ev.option(BR).monthly_cost_usd == 0.0
    # 0.3 x 8,000 = 2,400 + 2,000 x 0.08 = 160 + 300 x 0.02 = 6
    assert ev.option(PL).monthly_cost_usd == 2566.00
    # 2,400 + 0.25 x 5,600 = 1,400 -> 3,800 + 166
    assert ev.option(WS).monthly_cost_usd == 3966.00
    assert ev.option(AA).monthly_cost_usd == 8166.00
    assert ev.recommended == BR  # WA: not more stringent than needed
    (common,) = [a for a in ev.assumptions if a.id == "common-backups"]
    # 2,000 x 0.05 + 300 x 0.02 = 106.00 for every strategy
    assert "= $106.00/month" in common.text


def test_ivr_case_warm_standby() -> None:
    ev = _ev(IVR)
    assert not ev.option(BR).feasible and not ev.option(PL).feasible
    # 1,800 + 0.25 x 4,200 = 1,050 -> 2,850 + 500 x 0.08 = 40 + transfer 0 + NLB 16.43
    assert ev.option(WS).monthly_cost_usd == 2906.43
    assert ev.option(AA).monthly_cost_usd == 6056.43  # 6,000 + 40 + 16.43
    assert ev.recommended == WS
    (common,) = [a for a in ev.assumptions if a.id == "common-backups"]
    assert "= $25.00/month" in common.text  # 500 x 0.05 + 0 transfer


def test_ivr_without_reduced_capacity_only_active_active_remains() -> None:
    ev = _ev({**IVR, "reduced_capacity_ok": False})
    # warm standby's RTO floor is 60 s > 30 s
    assert [v.rule for v in ev.option(WS).violations] == ["rto-floor"]
    assert ev.recommended == AA
    assert [o.id for o in ev.options if o.ranked] == [AA]


# --- cost items ------------------------------------------------------------------------------

COST_CASES: list[tuple[str, dict[str, Any], dict[str, list[float]]]] = [
    ("the SLO example", SLO, {
        BR: [0.0],
        PL: [0.3 * 8000, 2000 * EBS, 300 * XREGION],
        WS: [0.3 * 8000, 0.25 * 0.7 * 8000, 2000 * EBS, 300 * XREGION],
        AA: [8000, 2000 * EBS, 300 * XREGION],
    }),
    ("the IVR case", IVR, {
        PL: [0.3 * 6000, 500 * EBS, 0.0],
        WS: [0.3 * 6000, 0.25 * 0.7 * 6000, 500 * EBS, 0.0, NLB],
        AA: [6000, 500 * EBS, 0.0, NLB],
    }),
    ("defaults: P 10,000, 1,000 GB, 200 GB/month", {}, {
        PL: [3000, 80, 4],  # 3,084
        WS: [3000, 1750, 80, 4],  # 4,834
        AA: [10_000, 80, 4],  # 10,084
    }),
    ("recovery in us-east-2: $0.01/GB", {"recovery_region": "us-east-2"}, {
        PL: [3000, 80, 200 * 0.01],
    }),
    ("hot standby: the whole fleet", {"production_monthly_usd": 4000, "data_tier_share": 0.5,
                                      "standby_scale": 1.0}, {
        WS: [2000, 2000, 80, 4],  # = the production bill plus the replica
    }),
    ("nothing in production", {"production_monthly_usd": 0}, {
        PL: [0.0, 80, 4],
        AA: [0.0, 80, 4],
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
    assert sorted(billed) == pytest.approx(sorted(items), abs=0.005)
    assert result.monthly_cost_usd == pytest.approx(sum(billed), abs=1e-9)


# --- rules -----------------------------------------------------------------------------------

RULE_CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("rto-floor", BR, {"rto_seconds": 3599}, True),
    ("rto-floor", BR, {"rto_seconds": 3600}, False),
    ("rto-floor", PL, {"rto_seconds": 599}, True),
    ("rto-floor", PL, {"rto_seconds": 600}, False),
    ("rto-floor", WS, {"rto_seconds": 59}, True),
    ("rto-floor", WS, {"rto_seconds": 60}, False),
    ("rto-floor", WS, {"rto_seconds": 0, "reduced_capacity_ok": True}, True),
    ("rto-floor", WS, {"rto_seconds": 1, "reduced_capacity_ok": True}, False),
    ("rto-floor", AA, {"rto_seconds": 0}, False),
    ("rpo-floor", BR, {"rpo_seconds": 299}, True),
    ("rpo-floor", BR, {"rpo_seconds": 300}, False),
    ("rpo-floor", PL, {"rpo_seconds": 59}, True),
    ("rpo-floor", PL, {"rpo_seconds": 60}, False),
    ("rpo-floor", WS, {"rpo_seconds": 0}, True),
    ("rpo-floor", WS, {"rpo_seconds": 1}, False),
    ("rpo-floor", AA, {"rpo_seconds": 0}, False),
]


@pytest.mark.parametrize(("rule", "option", "params", "fires"), RULE_CASES,
                         ids=[f"{r}-{o}-{i}" for i, (r, o, _, _) in enumerate(RULE_CASES)])
def test_rules(rule: str, option: str, params: dict[str, Any], fires: bool) -> None:
    result = _ev(params).option(option)
    assert (rule in [v.rule for v in result.violations]) is fires
    assert result.feasible is (not result.violations)


def test_rule_messages_carry_the_numbers() -> None:
    ev = _ev({"rto_seconds": 30, "rpo_seconds": 5})
    (warm,) = ev.option(WS).violations
    assert "RTO target of 30 s is below what warm standby achieves, 1 min (60 s) at best" in (
        warm.message)
    assert "accepting reduced capacity gives 1 s" in warm.message
    rpo = [v.message for v in ev.option(BR).violations if v.rule == "rpo-floor"]
    assert rpo and "RPO target of 5 s" in rpo[0] and "5 min (300 s) at best" in rpo[0]
    assert all(v.source == "wa-rel13-dr-strategies" for o in ev.options for v in o.violations)


def test_no_strategy_meets_an_impossible_target() -> None:
    """RTO 0 s with RPO 0 s: only active/active (RTO potentially zero, RPO near zero)."""
    ev = _ev({"rto_seconds": 0, "rpo_seconds": 0})
    assert ev.recommended == AA
    assert "rpo-zero" in [w.rule for w in ev.option(AA).warnings]


# --- warnings --------------------------------------------------------------------------------

WARNING_CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("rto-within-band", BR, {"rto_seconds": 86_399}, True),
    ("rto-within-band", BR, {"rto_seconds": 86_400}, False),
    ("rto-within-band", BR, {"rto_seconds": 3599}, False),  # ruled out by rto-floor instead
    ("rto-within-band", PL, {"rto_seconds": 3599}, True),
    ("rto-within-band", PL, {"rto_seconds": 3600}, False),
    ("rto-within-band", WS, {"rto_seconds": 3599}, True),
    ("rto-within-band", AA, {"rto_seconds": 59}, True),
    ("rto-within-band", AA, {"rto_seconds": 60}, False),
    ("needs-pitr", BR, {"rpo_seconds": 3599}, True),
    ("needs-pitr", BR, {"rpo_seconds": 3600}, False),
    ("needs-pitr", BR, {"rpo_seconds": 299}, False),  # ruled out by rpo-floor instead
    ("replication-is-not-backup", PL, {}, True),
    ("replication-is-not-backup", WS, {}, True),
    ("replication-is-not-backup", AA, {}, True),
    ("replication-is-not-backup", BR, {}, False),
    ("write-conflicts", AA, {}, True),
    ("write-conflicts", WS, {}, False),
    ("rpo-zero", AA, {"rpo_seconds": 0}, True),
    ("rpo-zero", AA, {"rpo_seconds": 1}, False),
    ("capacity-reservations", PL, {}, True),
    ("capacity-reservations", WS, {}, True),
    ("capacity-reservations", AA, {}, False),
    ("elastic-disaster-recovery", PL, {}, True),
    ("elastic-disaster-recovery", WS, {}, True),
    ("elastic-disaster-recovery", BR, {}, False),
]


@pytest.mark.parametrize(("warning", "option", "params", "present"), WARNING_CASES,
                         ids=[f"{w}-{o}-{i}" for i, (w, o, _, _) in enumerate(WARNING_CASES)])
def test_warnings(warning: str, option: str, params: dict[str, Any], present: bool) -> None:
    assert (warning in [w.rule for w in _ev(params).option(option).warnings]) is present


def test_warning_wording() -> None:
    ev = _ev({"rpo_seconds": 900, "rto_seconds": 0})
    (pitr,) = [w for w in ev.option(BR).warnings if w.rule == "needs-pitr"]
    assert "point-in-time" in pitr.message and "15 min (900 s)" in pitr.message
    (zero,) = [w for w in _ev({"rpo_seconds": 0}).option(AA).warnings if w.rule == "rpo-zero"]
    assert "synchronous" in zero.message


# --- criteria and scores ---------------------------------------------------------------------


def test_judgements_are_the_briefs() -> None:
    ev = _ev({})
    assert {o: ev.option(o).criteria["operational_complexity"] for o in ALL} == {
        BR: 1, PL: 2, WS: 3, AA: 5}
    assert {o: ev.option(o).criteria["recovery_speed"] for o in ALL} == {
        BR: 1, PL: 2, WS: 4, AA: 5}
    assert {o: ev.option(o).criteria["data_protection"] for o in ALL} == {
        BR: 1, PL: 3, WS: 4, AA: 5}


@pytest.mark.parametrize(
    ("params", "recovery", "data"),
    [({}, 1, 1),  # RTO 4 h: backup and restore's class; RPO 1 h: backup's
     ({"rto_seconds": 600, "rpo_seconds": 60}, 2, 3),
     ({"rto_seconds": 60, "rpo_seconds": 1}, 4, 4),
     ({"rto_seconds": 1, "reduced_capacity_ok": True}, 4, 1),
     ({"rto_seconds": 0, "rpo_seconds": 0}, 5, 5)],
)
def test_required_classes(params: dict[str, Any], recovery: int, data: int) -> None:
    p = Params(**params)
    assert dr_strategy.required_recovery_class(p) == recovery
    assert dr_strategy.required_data_class(p) == data


def test_capability_beyond_the_targets_earns_nothing() -> None:
    """Every ranked option meets both targets, so each scores 1 on recovery speed and data
    protection: the cheapest, simplest strategy that meets them wins (WA: not more
    stringent than needed), here pilot light over warm standby."""
    ev = _ev({"rto_seconds": 600})
    for option in (PL, WS, AA):
        assert ev.option(option).normalised["recovery_speed"] == 1.0
        assert ev.option(option).normalised["data_protection"] == 1.0
    assert ev.recommended == PL


def test_scores_by_hand() -> None:
    """Score = 100 x sum(w x v), weights 0.50, 0.20, 0.15, 0.15; cost value M / (M + c) with
    M = 0.25 x P; complexity (5 - x) / 4; the two satisficing criteria 1 for feasible options."""
    slo = _ev(SLO)
    assert slo.option(BR).score == pytest.approx(100 * (0.5 * 1 + 0.2 * 1 + 0.15 + 0.15))
    m = 0.25 * 8000
    assert slo.option(WS).score == pytest.approx(
        100 * (0.5 * m / (m + 3966) + 0.2 * 0.5 + 0.15 + 0.15))
    ivr = _ev(IVR)
    m = 0.25 * 6000
    assert ivr.option(WS).score == pytest.approx(
        100 * (0.5 * m / (m + 2906.43) + 0.2 * 0.5 + 0.15 + 0.15))
    assert ivr.option(AA).score == pytest.approx(
        100 * (0.5 * m / (m + 6056.43) + 0.2 * 0.0 + 0.15 + 0.15))


def test_cost_materiality_follows_production_with_a_floor() -> None:
    from archlib._scoring import CostScale, resolve_scales

    scales = resolve_scales(dr_strategy.CRITERIA, Params(production_monthly_usd=8000))
    assert scales["monthly_cost"] == CostScale(2000.0)
    scales = resolve_scales(dr_strategy.CRITERIA, Params(production_monthly_usd=0))
    assert scales["monthly_cost"] == CostScale(100.0)
    override = resolve_scales(dr_strategy.CRITERIA,
                              Params(production_monthly_usd=8000, cost_materiality_usd=50))
    assert override["monthly_cost"] == CostScale(50.0)


# --- actions, assumptions, sources, diagrams ----------------------------------------------------


@pytest.mark.parametrize(
    ("params", "option", "needle", "source"),
    [({}, BR, "at least every 1 h (3,600 s) (the RPO)", "seed-druva-rpo-backups"),
     ({"rpo_seconds": 900}, BR, "continuously with point-in-time recovery",
      "seed-druva-rpo-backups"),
     ({}, BR, "infrastructure as code", "wa-rel13-dr-strategies"),
     ({}, PL, "promote the replicas", "wa-rel13-dr-strategies"),
     (IVR, WS, "health-checks the on-premises targets over Direct Connect",
      "seed-dr-ivr-failover"),
     ({}, WS, "Route 53 failover", "wa-rel13-dr-strategies"),
     ({}, AA, "conflicting writes", "wa-rel13-dr-strategies"),
     ({}, AA, "Test the DR plan regularly", "seed-druva-testing"),
     (IVR, PL, "Direct Connect and a Site-to-Site VPN backup", "seed-dx-vpn-backup")],
)
def test_actions(params: dict[str, Any], option: str, needle: str, source: str) -> None:
    steps = dr_strategy.actions(Params(**params), option)
    assert any(needle in a.text and a.source == source for a in steps), [a.text for a in steps]


def test_assumptions_label_the_unverified_readings() -> None:
    by_id = {a.id: a for a in _ev({}).assumptions}
    assert by_id["bounds"].unverified and by_id["shares"].unverified
    assert "warm standby: RTO from 1 min (60 s)" in by_id["bounds"].text
    reduced = {a.id: a for a in _ev({"reduced_capacity_ok": True}).assumptions}
    assert "warm standby: RTO from 1 s" in reduced["bounds"].text
    assert "$0.02/GB" in by_id["recovery-region"].text


def test_every_cited_source_is_registered() -> None:
    from archlib import _sources

    ev = _ev(IVR)
    for source in ev.sources:
        assert _sources.get(source.id) == source
    for rule in (*dr_strategy.RULES, *dr_strategy.WARNINGS):
        _sources.get(rule.source)
    assert {"wa-rel13-dr-strategies", "seed-dr-strategies"} <= {s.id for s in ev.sources}


@pytest.mark.parametrize("params", [{}, IVR])
@pytest.mark.parametrize("option", ALL)
def test_diagram_of_every_option(option: str, params: dict[str, Any]) -> None:
    p = Params(**params)
    spec = dr_strategy.diagram(p, option)
    ids = {n.id for n in spec.nodes}
    assert {"prod", "backup", "copies"} <= ids
    assert {e.source for e in spec.edges} | {e.target for e in spec.edges} <= ids
    assert ("replica" in ids) is (option != BR)
    assert ("entry" in ids) is (option in (WS, AA))
    if option in (WS, AA):
        (entry,) = [n for n in spec.nodes if n.id == "entry"]
        assert entry.kind == ("aws.network.ElbNetworkLoadBalancer" if p.primary_on_premises
                              else "aws.network.Route53")
    assert any(e.style == "dashed" for e in spec.edges)


@pytest.mark.parametrize("option", ALL)
def test_diagrams_render(option: str) -> None:
    svg = render_svg(dr_strategy.diagram(Params(**IVR), option))
    assert svg.startswith("<svg") and "AWS Backup" in svg


def test_unknown_option_diagram_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="pilot-light"):
        dr_strategy.diagram(Params(), "hot-standby")


# --- parameters, CLI, scenario, notebook, explorer ----------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [({"rto_seconds": -1}, "rto_seconds"),
     ({"rto_seconds": 1.5}, "rto_seconds"),
     ({"rpo_seconds": 2_592_001}, "rpo_seconds"),
     ({"data_tier_share": 1.1}, "data_tier_share"),
     ({"standby_scale": -0.1}, "standby_scale"),
     ({"production_monthly_usd": -1}, "production_monthly_usd"),
     ({"data_gb": "1000"}, "data_gb"),
     ({"recovery_region": "us-east-1"}, "recovery_region"),
     ({"recovery_region": "mars-1"}, "recovery_region"),
     ({"primary_on_premises": "yes"}, "primary_on_premises"),
     ({"weights": {"rto": 1}}, "weights")],
)
def test_bad_params(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        _ev(params)
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_cli_evaluate_json_with_set() -> None:
    result = CliRunner().invoke(app, [
        "evaluate", DR, "--format", "json", "--set", "rto_seconds=30", "--set", "rpo_seconds=5",
        "--set", "primary_on_premises=true", "--set", "reduced_capacity_ok=true",
        "--set", "production_monthly_usd=6000", "--set", "data_gb=500",
        "--set", "monthly_change_gb=100"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    options = {o["id"]: o for o in data["options"]}
    assert options[WS]["monthly_cost_usd"] == 2906.43
    assert data["recommended"] == WS
    assert {v["rule"] for v in options[PL]["violations"]} == {"rto-floor", "rpo-floor"}


def test_bundled_scenario_is_the_ivr_case() -> None:
    scenario = archlib.load_scenario(ROOT / "scenarios" / "dr-ivr-on-premises.yaml")
    ev = _ev(dict(scenario.decisions[DR]))
    assert ev.recommended == WS
    assert ev.option(WS).monthly_cost_usd == 2906.43


def test_notebook_runs_with_non_default_parameters(tmp_path: Path) -> None:
    scenario = tmp_path / "slo.yaml"
    scenario.write_text(f"""
name: The Druva SLO example
description: RPO 24 hours, RTO 30 hours.
decisions:
  {DR}:
    rpo_seconds: 86400
    rto_seconds: 108000
    production_monthly_usd: 8000
    data_gb: 2000
    monthly_change_gb: 300
""", encoding="utf-8")
    outcome = report.build_reports([scenario], tmp_path / "out")
    assert outcome.ok, outcome.summary_lines()
    nb = nbformat.read(tmp_path / "out" / "slo" / f"{DR}.ipynb", as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "rto_seconds = 108000" in injected.source
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "Backup and restore <small" in shown
    assert "2,566.00" in shown and "$106.00/month" in shown
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_explorer_controls_and_a_change() -> None:
    import ipywidgets as widgets

    from archlib.widgets import explore

    ex = explore(DR)
    assert type(ex.controls["reduced_capacity_ok"]) is widgets.Checkbox
    assert type(ex.controls["primary_on_premises"]) is widgets.Checkbox
    assert ex.evaluation.recommended == BR
    ex.controls["rto_seconds"].value = 30
    ex.controls["rpo_seconds"].value = 5
    assert ex.evaluation.recommended == AA  # warm standby needs 60 s without reduced capacity
    ex.controls["reduced_capacity_ok"].value = True
    assert ex.evaluation.recommended == WS
