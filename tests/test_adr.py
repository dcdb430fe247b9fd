"""Decision records (archlib/adr.py and `archlib adr`): MADR 4 sections, numbers that match the
hand arithmetic, links for every cited source, deterministic text equal to a reviewed golden
file, and a YAML block that reproduces the evaluation."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import archlib
from archlib import _sources
from archlib import evaluate_scenario as run_evaluate
from archlib._model import Placement
from archlib._scenario import parse_scenario
from archlib.adr import STATUS, adr_markdown
from archlib.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "adr_hybrid-file-gateway.md"
HYBRID = ROOT / "scenarios" / "hybrid-file-gateway.yaml"
S3 = "s3-endpoints"
H = 730  # hours per month
runner = CliRunner()

#: MADR 4.0.0 sections, in order (https://adr.github.io/madr/).
SECTIONS = ["## Context and Problem Statement", "## Decision Drivers", "## Considered Options",
            "## Decision Outcome", "### Consequences", "### Confirmation",
            "## Pros and Cons of the Options", "## More Information"]


@pytest.fixture(scope="module")
def hybrid() -> str:
    scenario = archlib.load_scenario(HYBRID)
    ev = run_evaluate(S3, HYBRID, [])
    return adr_markdown(ev, scenario_name=scenario.name,
                        scenario_description=scenario.description)


def _section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    level = heading.split(" ")[0]
    following = re.search(rf"^{level} ", text[start + len(heading):], re.M)
    end = start + len(heading) + following.start() if following else len(text)
    return text[start:end]


# --- the reviewed golden file ------------------------------------------------------------------


def test_cli_output_equals_the_reviewed_golden_file() -> None:
    result = runner.invoke(app, ["adr", S3, "--scenario", str(HYBRID)])
    assert result.exit_code == 0, result.output
    # The golden file was reviewed line by line against the hand arithmetic below.
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_api_equals_cli(hybrid: str) -> None:
    assert hybrid == GOLDEN.read_text(encoding="utf-8")


# --- hand-checked numbers (scenarios/hybrid-file-gateway.yaml; DOMAIN.md prices) ---------------

# 1 VPC, 2 AZs, 20,000 GB in the VPC, 5,000 GB from on-premises; interface $0.01 per AZ-hour and
# per GB, Transit Gateway $0.05 per attachment-hour and $0.02/GB, NAT $0.045 per hour and per
# GB, the proxy instance $0.096 per hour (unverified), an NLB $0.0225 per hour and $0.006 per
# NLCU-hour (1 per GB), peering $0.01/GB out and in across AZs, gateway endpoints free.
PROXY_FLEET = 3 * 0.096 * H + 0.0225 * H + 5_000 * 0.006  # ceil(2 / 0.75) = 3: 256.665
# Billed to the cent item by item (archlib._money): the NLB's 16.425 bills 16.43.
PROXY_FLEET_BILLED = 210.24 + 16.43 + 30.00  # 256.67
COSTS = {
    "gateway-plus-interface": 2 * 0.01 * H + 5_000 * 0.01,  # 14.60 + 50.00 = 64.60
    "interface": 1 * 2 * 0.01 * H + 25_000 * 0.01,  # 14.60 + 250.00 = 264.60
    "gateway-proxy-fleet": PROXY_FLEET,  # 210.24 + 16.425 + 30.00
    "gateway": 0.0,
    "interface-centralized": 2 * 0.01 * H + 25_000 * 0.01 + 20_000 * 0.02 + 2 * 0.05 * H,
    # NAT counts the on-premises GB too (ruled out here: no Transit Gateway)
    "nat-gateway": 2 * 0.045 * H + 25_000 * 0.045,  # 65.70 + 1,125.00 = 1,190.70
    # hub endpoint, processing, half of 20,000 GB across AZs at 0.01 out + 0.01 in
    "interface-hub-peering": 2 * 0.01 * H + 25_000 * 0.01 + 2 * 0.01 * 10_000,  # 464.60
    # on-premises endpoint + cross-Region endpoint AZ-hours + 5,000 GB processing
    "interface-cross-region": 2 * 0.01 * H + 2 * 0.01 * H + 5_000 * 0.01,  # 79.20
}
# Feasible: gateway-plus-interface ($64.60; complexity 2, control 5, headroom 10), interface
# ($264.60; 2, 5, 10), proxy fleet ($256.665; 5, 3, 3 x 0.75 / 2 = 1.125). Weights .40 .25 .20
# .15. Fixed scales: cost 100 / (100 + c); complexity (5 - x) / 4; control (x - 1) / 4; headroom
# (h - 1) / (2 - 1) clamped: 10x -> 1, 1.125x -> 0.125. Scores use the continuous cost.
SCORES = {
    "gateway-plus-interface": 40 * 100 / 164.6 + 25 * 0.75 + 20 + 15,  # 24.30 + 53.75 = 78.05
    "interface": 40 * 100 / 364.6 + 25 * 0.75 + 20 + 15,  # 10.97 + 53.75 = 64.72
    # 11.215 + 0 + 10 + 1.875 = 23.09
    "gateway-proxy-fleet": 40 * 100 / (100 + PROXY_FLEET) + 0 + 20 * 0.5 + 15 * 0.125,
}


def test_hand_arithmetic_matches_the_evaluation() -> None:
    ev = run_evaluate(S3, HYBRID, [])
    for option, usd in (COSTS | {"gateway-proxy-fleet": PROXY_FLEET_BILLED}).items():
        assert ev.option(option).monthly_cost_usd == pytest.approx(usd)
    for option, points in SCORES.items():
        assert ev.option(option).score == pytest.approx(points)
    assert ev.ranking == ("gateway-plus-interface", "interface", "gateway-proxy-fleet")
    # the mixed option is cheaper than both and no worse anywhere: it dominates them
    assert ev.option("interface").dominated_by == ("gateway-plus-interface",)
    assert ev.option("gateway-proxy-fleet").dominated_by == ("gateway-plus-interface",)
    assert ev.verdict is not None and ev.verdict.level == "clear"


@pytest.mark.parametrize(("option", "line"), [
    ("gateway-plus-interface", "| `gateway-plus-interface` | **total** | **$64.60** |"),
    ("interface", "| `interface` | **total** | **$264.60** |"),
    ("gateway-proxy-fleet", "| `gateway-proxy-fleet` | **total** | **$256.67** |"),
    ("gateway", "| `gateway` | **total** | **$0.00** |"),
    ("interface-centralized", "| `interface-centralized` | **total** | **$737.60** |"),
    ("nat-gateway", "| `nat-gateway` | **total** | **$1,190.70** |"),
    ("interface-hub-peering", "| `interface-hub-peering` | **total** | **$464.60** |"),
    ("interface-cross-region", "| `interface-cross-region` | **total** | **$79.20** |"),
])
def test_cost_table_totals(hybrid: str, option: str, line: str) -> None:
    billed = PROXY_FLEET_BILLED if option == "gateway-proxy-fleet" else COSTS[option]
    assert f"${billed:,.2f}" in line
    assert line in _section(hybrid, "### Monthly costs")


@pytest.mark.parametrize("item", [
    "| `interface` | interface endpoints (AZ-hours) | $14.60 |",  # 2 x 0.01 x 730
    "| `interface` | interface endpoint data processing | $250.00 |",  # 25,000 x 0.01
    "| `interface-centralized` | Transit Gateway processing of spoke traffic | $400.00 |",
    "| `interface-centralized` | Transit Gateway attachments (new hub) | $73.00 |",  # 2 x .05
    "| `nat-gateway` | NAT gateways (one per AZ per VPC) | $65.70 |",  # 2 x 0.045 x 730
    "| `gateway-proxy-fleet` | proxy instances | $210.24 |",  # 3 x 0.096 x 730
    "| `gateway-proxy-fleet` | Network Load Balancers in front of the fleets | $16.43 |",
    "| `gateway-proxy-fleet` | NLB capacity units (1 NLCU-hour per GB) | $30.00 |",  # 5,000 GB
    "| `interface-hub-peering` | cross-AZ transfer over peering (out and in) | $200.00 |",
])
def test_cost_items(hybrid: str, item: str) -> None:
    assert item in hybrid


def test_considered_options_ranked_then_ruled_out(hybrid: str) -> None:
    section = _section(hybrid, "## Considered Options")
    assert section.splitlines()[2:] == [
        "* `gateway-plus-interface`: Gateway plus interface endpoint (rank 1, score 78.1, "
        "$64.60 per month)",
        "* `interface`: Interface endpoint per VPC (rank 2, score 64.7, $264.60 per month, "
        "dominated by `gateway-plus-interface`)",
        "* `gateway-proxy-fleet`: Gateway endpoint plus proxy fleet (rank 3, score 23.1, "
        "$256.67 per month, dominated by `gateway-plus-interface`)",
        "* `gateway`: Gateway endpoint per VPC (ruled out by `gateway-same-vpc-only`)",
        "* `interface-centralized`: Centralised interface endpoint (ruled out by "
        "`centralise-needs-two-vpcs`)",
        "* `nat-gateway`: NAT gateway to the public endpoint (ruled out by "
        "`internet-path-not-allowed`, `nat-unreachable-over-vgw`)",
        "* `interface-hub-peering`: Centralised interface endpoint over VPC peering (ruled out "
        "by `centralise-needs-two-vpcs`)",
        "* `interface-cross-region`: Gateway plus cross-Region interface endpoint (ruled out by "
        "`needs-cross-region-callers`)",
        "",
    ]


def test_outcome_names_the_recommendation_and_runner_up(hybrid: str) -> None:
    outcome = _section(hybrid, "## Decision Outcome")
    assert ('Chosen option: "`gateway-plus-interface`: Gateway plus interface endpoint", '
            "because it ranks first of the 3 feasible options with a score of 78.1 of 100 at "
            "$64.60 per month; the runner-up, `interface`, scores 64.7 (13.3 points behind) at "
            "$264.60 per month.") in outcome
    assert ("How firm: Clear. Gateway plus interface endpoint dominates every other option: "
            "no worse on any criterion and better on at least one, so no weighting prefers another."
            in outcome)
    assert ("Robustness: Gateway plus interface endpoint wins in 100.0% of 10,000 sampled "
            "weightings" in outcome)


def test_robustness_matches_the_hand_analysis(hybrid: str) -> None:
    """gateway-plus-interface is best or tied best (and cheaper) on every criterion, so it
    wins under every weighting and no single weight flips it. Interface minus proxy fleet,
    per unit of weight: cost 100/364.6 - 100/356.665 = -0.0061, complexity 0.75, control
    0.5, headroom 1 - 0.125 = 0.875; the fleet wins only when 0.0061 w1 > 0.75 w2 + 0.5 w3 +
    0.875 w4, which is at least 0.5 (1 - w1): it needs w1 > 0.5 / 0.5061 = 0.988. With the
    Dirichlet around (.40 .25 .20 .15) at concentration 20, w1 ~ Beta(8, 12), and P(w1 > x) =
    sum_{j<8} C(19, j) x^j (1 - x)^(19 - j) < 1e-12. The only cost crossing: on-premises GB
    where the mixed option's 14.60 + 0.01 x reaches the fleet's 210.24 + 16.425 + 0.006 x:
    x = 212.065 / 0.004 = 53,016."""
    gap = 100 / (100 + PROXY_FLEET) - 100 / 364.6
    x = 0.5 / (0.5 + gap)
    bound = sum(math.comb(19, j) * x**j * (1 - x) ** (19 - j) for j in range(8))
    assert bound < 1e-12
    rob = run_evaluate(S3, HYBRID, []).robustness
    sampling_sd = math.sqrt(bound * (1 - bound) / 10_000)
    assert 2.0 <= rob.mean_rank["interface"] <= 2 + bound + 4 * sampling_sd
    details = _section(hybrid, "### Robustness")
    assert "| 1 | `gateway-plus-interface` | 100.0% | 1.00 |" in details
    assert f"| 2 | `interface` | 0.0% | {rob.mean_rank['interface']:.2f} |" in details
    assert details.count("| none within 0 to 1 | - |") == 4
    break_even = (3 * 0.096 * H + 0.0225 * H - 2 * 0.01 * H) / (0.01 - 0.006)  # 53,016.25
    assert round(break_even) == 53_016
    assert ("| `monthly_gb_on_prem` | 53,016 | `gateway-plus-interface` | "
            "`gateway-proxy-fleet` | `gateway-plus-interface` |") in details
    assert "monthly_gb_in_vpc`" not in details  # the mixed option stays cheapest


def test_drivers_are_the_criteria_with_their_weights(hybrid: str) -> None:
    drivers = _section(hybrid, "## Decision Drivers")
    ev = run_evaluate(S3, HYBRID, [])
    for criterion in ev.decision.criteria:
        assert f"* {criterion.title} (" in drivers
        assert f"weight {ev.weights[criterion.id]:.2f}" in drivers
    assert "weight 0.40" in drivers and "weight 0.15" in drivers
    assert "9 checked, ruling out 5 of 8 options" in drivers


def test_pros_and_cons_from_scores(hybrid: str) -> None:
    proxy = _section(hybrid, "### `gateway-proxy-fleet`: Gateway endpoint plus proxy fleet")
    assert "score 23.1 of 100 (Monthly cost 11.2, Operational complexity 0.0" in proxy
    assert "* Bad, because it is dominated by `gateway-plus-interface`" in proxy
    assert "* Bad, because its throughput headroom (1.125, " in proxy  # worst: 2.25 / 2 Gbps
    assert "* Neutral, because its monthly cost ($256.67 per month) is between the best " \
           "($64.60 per month, `gateway-plus-interface`)" in proxy
    assert "(warning `proxy-fleet-bottleneck`) [seed-storage-gateway-proxy]" in proxy
    gateway = _section(hybrid, "### `gateway`: Gateway endpoint per VPC")
    assert "Ruled out, so not scored" in gateway
    assert "* Bad, because it is ruled out: a gateway endpoint serves only resources in its " \
           "own VPC and Region, not callers from on-premises (rule `gateway-same-vpc-only`) " \
           "[s3-guide-privatelink]" in gateway
    assert "* Good" not in gateway


# --- MADR structure, links, determinism --------------------------------------------------------


def test_madr_sections_in_order(hybrid: str) -> None:
    assert hybrid.startswith(f"---\nstatus: {STATUS}\n---\n\n# s3-endpoints: Gateway plus "
                             "interface endpoint\n")
    assert STATUS == "proposed"
    positions = [hybrid.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions)


def test_every_option_has_a_pros_and_cons_section(hybrid: str) -> None:
    ev = run_evaluate(S3, HYBRID, [])
    for option in ev.options:
        assert f"\n### `{option.id}`: {option.title}\n" in hybrid


def test_every_cited_source_is_a_defined_link(hybrid: str) -> None:
    ev = run_evaluate(S3, HYBRID, [])
    defined = dict(re.findall(r"^\[([a-z0-9-]+)\]: (\S+)$", hybrid, re.M))
    body = hybrid[:hybrid.index("\n[")]
    cited = set(re.findall(r"\[([a-z0-9-]+)\](?![(:])", body))
    assert cited and cited <= set(defined)
    for source in ev.sources:
        assert f"* `{source.id}`: " in _section(hybrid, "### Sources")
        if source.url.startswith("https://"):
            assert defined[source.id] == source.url
        else:  # project-relative sources are named, not linked: a record travels
            assert source.id not in defined
    assert set(defined) <= set(_sources.known())


def test_unverified_assumptions_are_labelled(hybrid: str) -> None:
    assumptions = _section(hybrid, "### Assumptions")
    assert assumptions.count("* **Unverified:** ") == 2  # proxy price, proxy bandwidth
    # issue 13 added the score and value-scale lines, issue 14 proxy-nlb, peering-az and
    # on-prem-dns, to the 10 before
    assert "rests on 15 assumptions, 2 of them unverified" in hybrid


def test_deterministic_and_dated_only_on_request() -> None:
    ev = run_evaluate(S3, HYBRID, [])
    first, second = adr_markdown(ev), adr_markdown(run_evaluate(S3, HYBRID, []))
    assert first == second
    assert "date:" not in first
    dated = adr_markdown(ev, date="2026-11-27")
    assert dated.startswith("---\nstatus: proposed\ndate: 2026-11-27\n---\n")
    assert dated.split("---\n", 2)[2] == first.split("---\n", 2)[2]


def test_yaml_block_reproduces_the_evaluation() -> None:
    ev = run_evaluate(S3, HYBRID, ["prices.tgw_gb=0.03", "weights.monthly_cost=2"])
    text = adr_markdown(ev)
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    inputs = yaml.safe_load(block.group(1))
    assert inputs["prices"] == {"tgw_gb": 0.03}
    scenario = parse_scenario(yaml.safe_dump({"name": "from the record", **inputs}),
                              where="record")
    again = archlib.evaluate(S3, scenario.decisions[S3], prices=scenario.prices)
    assert again.to_dict() == ev.to_dict()


def test_no_feasible_option() -> None:
    ev = archlib.evaluate(S3)
    ruled_out = dataclasses.replace(ev, ranking=(), actions=())
    text = adr_markdown(ruled_out)
    assert "# s3-endpoints: no feasible option\n" in text
    assert "No option is chosen" in _section(text, "## Decision Outcome")
    assert "### Confirmation" not in text


def test_placements_table_when_the_decision_has_them() -> None:
    ev = archlib.evaluate(S3)
    assert "### Service placements" not in adr_markdown(ev)  # s3-endpoints has none
    placed = dataclasses.replace(ev, placements=(
        Placement("s3", "connected VPC (gateway endpoint)", "no transfer charge",
                  "seed-s3-endpoint-cost", 12.5, "over Transit Gateway"),
        Placement("rds", "connected VPC", "close to the VMs", "seed-s3-single-vpc"),
    ))
    section = _section(adr_markdown(placed), "### Service placements")
    assert "| `s3` | connected VPC (gateway endpoint) | no transfer charge " \
           "[seed-s3-endpoint-cost] | $12.50 | over Transit Gateway |" in section
    assert "| `rds` | connected VPC | close to the VMs [seed-s3-single-vpc] | - | - |" in section


def test_markdown_in_texts_is_escaped() -> None:
    ev = archlib.evaluate(S3)
    text = adr_markdown(ev, scenario_name="A <b>bold</b> [link](x) | pipe",
                        scenario_description="*not emphasis*")
    assert "Scenario: **A \\<b>bold\\</b> \\[link\\](x) \\| pipe**. \\*not emphasis\\*" in text


# --- the command -------------------------------------------------------------------------------


def test_out_writes_the_same_text(tmp_path: Path) -> None:
    out = tmp_path / "records" / "0001-s3.md"
    result = runner.invoke(app, ["adr", S3, "--scenario", str(HYBRID), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["0001-s3.md"]  # no temporary left


def test_set_and_date() -> None:
    result = runner.invoke(app, ["adr", S3, "--set", "vpc_count=3", "--date", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert "date: 2026-11-27" in result.stdout
    assert "    vpc_count: 3\n" in result.stdout
    assert "Scenario:" not in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-decision"], "unknown decision"),
    ([S3, "--set", "vpc_count=0"], "--set vpc_count=0: vpc_count:"),
    ([S3, "--scenario", "missing.yaml"], "missing.yaml: no such scenario file"),
    ([S3, "--date", "27/11/2026"], "--date: 27/11/2026: must be a date as YYYY-MM-DD"),
    ([S3, "--out", "."], "--out: .: is a folder"),
])
def test_input_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["adr", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
