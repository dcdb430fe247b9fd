"""Variants of a scenario section (archlib/variants.py, issue 18 item 4): validated with the
file, evaluated like the section itself, their differences checked against hand arithmetic
from the prices in ../shared/DOMAIN.md, and the requirements matrix in the JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import archlib
from archlib import InputError
from archlib._scenario import load_scenario, parse_scenario
from archlib.report import notebook_parameters
from archlib.variants import evaluate_variants, variants_html, variants_index_html

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "scenarios" / "multi-account-hub.yaml"
S3 = "s3-endpoints"
#: interface-cross-region's per-GB line (on-premises and cross-Region callers).
PER_GB_LINE = "interface endpoint data processing (on-premises and cross-Region)"

SECTION = """\
name: variant test
prices:
  tgw_gb: 0.02
decisions:
  s3-endpoints:
    vpc_count: 12
    monthly_gb_in_vpc: 3000
    monthly_gb_on_prem: 800
    on_prem_access: true
    transit_gateway: true
    weights: {monthly_cost: 2}
    variants:
"""


def _scenario(variants: str, where: str = "v.yaml") -> archlib.Scenario:
    return parse_scenario(SECTION + variants, where=where)


def test_doubling_traffic_doubles_the_per_gb_line_of_the_bundled_hub() -> None:
    # DOMAIN.md: interface endpoint $0.01 per endpoint per AZ-hour, data processing $0.01/GB
    # (first PB). The hub's recommendation serves 800 GB/month from on-premises through one
    # endpoint and keeps a second endpoint in the other Region, 2 AZs each, 730 h a month:
    #   AZ-hours: 2 endpoints x 2 AZ x 730 h x $0.01 = 14.60 + 14.60 = $29.20
    #   base:    800 GB x $0.01 =  $8.00 -> $37.20 a month
    #   doubled: 1,600 GB x $0.01 = $16.00 -> $45.20 a month, $8.00 more
    scenario = load_scenario(HUB)
    base = archlib.evaluate_scenario(S3, scenario)
    doubled = archlib.evaluate_scenario(S3, scenario, variant="if traffic doubles")
    assert base.recommended == doubled.recommended == "interface-cross-region"
    old, new = base.option(base.recommended), doubled.option(doubled.recommended)
    assert old.cost_breakdown[PER_GB_LINE] == pytest.approx(8.00)
    assert new.cost_breakdown[PER_GB_LINE] == pytest.approx(16.00)
    assert (old.monthly_cost_usd, new.monthly_cost_usd) == (pytest.approx(37.20),
                                                            pytest.approx(45.20))
    outcome = evaluate_variants(scenario, S3, base)[0]
    assert outcome.name == "if traffic doubles"
    assert outcome.monthly_cost_difference_usd == pytest.approx(8.00)
    assert not outcome.recommendation_changed
    assert [c.text for c in outcome.changes] == ["monthly GB in VPC: 3,000 -> 6,000",
                                                 "monthly GB on premises: 800 -> 1,600"]


def test_a_variant_that_changes_the_recommendation_says_so() -> None:
    # Without the buckets in the second Region, the cross-Region endpoint goes (-$14.60:
    # 2 AZ x 730 h x $0.01) and the gateway plus one interface endpoint is cheapest.
    scenario = load_scenario(HUB)
    base = archlib.evaluate_scenario(S3, scenario)
    outcomes = evaluate_variants(scenario, S3, base)
    second = outcomes[1]
    assert second.recommendation_changed
    assert second.evaluation.recommended == "gateway-plus-interface"
    assert second.monthly_cost_difference_usd == pytest.approx(-14.60)
    page = variants_html(base, outcomes)
    assert "2 variants: recommendation changes in 1" in page
    assert "changed from Gateway plus cross-Region interface endpoint" in page
    assert "-$14.60 against the scenario" in page and "+$8.00 against the scenario" in page
    assert "interface-cross-region" not in page  # option titles, never ids
    fold = variants_index_html(outcomes)
    assert fold.startswith('<details class="archlib-variants-fold">')
    assert "Gateway plus interface endpoint (changed), $22.60" in fold


def test_a_price_variant_moves_only_that_price() -> None:
    # DOMAIN.md: Transit Gateway $0.02/GB processed. The centralised endpoint sends the
    # spokes' 3,000 GB through it: $60.00; at $0.04/GB, $120.00.
    scenario = _scenario("      - name: dearer TGW\n        prices: {tgw_gb: 0.04}\n")
    base = archlib.evaluate_scenario(S3, scenario)
    dearer = archlib.evaluate_scenario(S3, scenario, variant="dearer TGW")
    line = "Transit Gateway processing of spoke traffic"
    assert base.option("interface-centralized").cost_breakdown[line] == pytest.approx(60.0)
    assert dearer.option("interface-centralized").cost_breakdown[line] == pytest.approx(120.0)
    change = evaluate_variants(scenario, S3, base)[0].changes
    assert [(c.parameter, c.before, c.after) for c in change] == [("prices.tgw_gb", 0.02,
                                                                   0.04)]


def test_variant_weights_merge_into_the_sections_weights() -> None:
    scenario = _scenario("      - name: control matters\n"
                         "        set: {weights: {private_path_control: 3}}\n")
    ev = archlib.evaluate_scenario(S3, scenario, variant="control matters")
    assert ev.params.weights == {"monthly_cost": 2, "private_path_control": 3}
    base = archlib.evaluate_scenario(S3, scenario)
    (change,) = evaluate_variants(scenario, S3, base)[0].changes
    # private_path_control's default weight (archlib/decisions/s3_endpoints.py) is 0.20
    assert change.text == "weight of Private path and control: 0.2 -> 3"


def test_the_section_keeps_no_variants_key() -> None:
    scenario = load_scenario(HUB)
    assert "variants" not in scenario.decisions[S3]
    assert [v.name for v in scenario.variants[S3]] == [
        "if traffic doubles", "without the buckets in the second Region"]
    ev = archlib.evaluate_scenario(S3, scenario)
    assert "variants" not in notebook_parameters(ev, scenario)


@pytest.mark.parametrize(("variants", "field", "problem"), [
    ("      - name: a\n        set: {monthly_gb_inside: 1}\n",
     "decisions.s3-endpoints.variants.0.set.monthly_gb_inside", "unknown field"),
    ("      - name: a\n        set: {monthly_gb_in_vpc: -1}\n",
     "decisions.s3-endpoints.variants.0.set.monthly_gb_in_vpc", "greater than or equal to 0"),
    ("      - name: a\n        set: {weights: {speed: 2}}\n",
     "decisions.s3-endpoints.variants.0.set.weights", "unknown criterion 'speed'"),
    ("      - name: a\n        prices: {tgw_gb: -1}\n",
     "decisions.s3-endpoints.variants.0.prices.tgw_gb", "greater than or equal to 0"),
    ("      - name: a\n", "decisions.s3-endpoints.variants.0", "changes nothing"),
    ("      - name: a\n        set: {az_count: 3}\n      - name: A\n        set: {az_count: 2}\n",
     "decisions.s3-endpoints.variants.1.name", "a second variant named 'A'"),
    ("      - set: {az_count: 3}\n", "decisions.s3-endpoints.variants.0.name", "required"),
    ("      - name: a\n        sets: {az_count: 3}\n", "decisions.s3-endpoints.variants.0.sets",
     "unknown field"),
    ("      - name: ''\n        set: {az_count: 3}\n", "decisions.s3-endpoints.variants.0.name",
     "at least 1 character"),
    ("      []\n", "decisions.s3-endpoints.variants", "lists no variant"),
    ("      {a: 1}\n", "decisions.s3-endpoints.variants", "valid list"),
    ("      - name: a\n        set: {variants: []}\n",
     "decisions.s3-endpoints.variants.0.set.variants", "cannot have variants"),
])
def test_a_bad_variant_is_one_located_line(variants: str, field: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        _scenario(variants)
    assert (caught.value.where, caught.value.field) == ("v.yaml", field)
    assert problem in caught.value.problem
    assert "\n" not in caught.value.line()


def test_an_unknown_variant_name_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="no variant 'nope' \\(known: if traffic doubles, "):
        archlib.evaluate_scenario(S3, HUB, variant="nope")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archlib", *args], capture_output=True,
                          text=True, check=False, cwd=ROOT)


def test_a_bad_variant_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SECTION + "      - name: a\n        set: {monthly_gb_in_vpc: -1}\n")
    run = _cli("evaluate", S3, "--scenario", str(bad))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"archlib: {bad}: decisions.s3-endpoints.variants.0.set."
                                 "monthly_gb_in_vpc: ")


def test_the_json_carries_the_variants_and_the_requirements_matrix() -> None:
    run = _cli("evaluate", S3, "--scenario", str(HUB), "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    doubled, no_second_region = data["variants"]
    assert doubled["name"] == "if traffic doubles"
    assert (doubled["monthly_cost_usd"], doubled["monthly_cost_difference_usd"]) == (45.2, 8.0)
    assert doubled["changes"][0] == {"parameter": "monthly_gb_in_vpc", "from": 3000.0,
                                     "to": 6000.0,
                                     "text": "monthly GB in VPC: 3,000 -> 6,000"}
    assert no_second_region["recommended"] == "gateway-plus-interface"
    assert no_second_region["recommendation_changed"] is True
    options = [o["id"] for o in data["options"]]
    for row in data["requirements"]:
        assert [c["option"] for c in row["cells"]] == options
        assert {c["status"] for c in row["cells"]} <= {"met", "not met", "not applicable"}
    # The seed: a gateway endpoint serves only its own VPC, so with on-premises callers the
    # gateway option fails the "callers the option serves" requirement, by that rule.
    callers = next(r for r in data["requirements"] if r["id"] == "callers")
    gateway = next(c for c in callers["cells"] if c["option"] == "gateway")
    assert (gateway["status"], gateway["rule"]) == ("not met", "gateway-same-vpc-only")
    assert gateway["source"] == "s3-guide-privatelink"


def test_without_variants_the_json_has_no_variants_key() -> None:
    data = json.loads(_cli("evaluate", S3, "--format", "json").stdout)
    assert "variants" not in data and "requirements" in data


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=200_000))
def test_the_per_gb_line_follows_the_variants_volume(gb: int) -> None:
    # Below 1 PB a month the line is volume x $0.01 (DOMAIN.md), whatever the volume.
    scenario = parse_scenario(
        "name: p\ndecisions:\n  s3-endpoints:\n    on_prem_access: true\n"
        "    cross_region_access: true\n    monthly_gb_on_prem: 10\n    variants:\n"
        f"      - name: v\n        set: {{monthly_gb_on_prem: {gb}}}\n", where="p.yaml")
    ev = archlib.evaluate_scenario(S3, scenario, variant="v")
    line = ev.option("interface-cross-region").cost_breakdown[PER_GB_LINE]
    assert line == pytest.approx(gb * 0.01)
