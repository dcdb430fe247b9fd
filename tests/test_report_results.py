"""A batch's results.json and ``archlib report --compare-to OLD`` (archlib/report/results.py,
issue 18 item 5), and the variants end to end through ``archlib report`` into the reports and
the index (item 4). Expected numbers are hand arithmetic from ../shared/DOMAIN.md's prices."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import archlib
from archlib import InputError
from archlib.report.jobs import ReportRow
from archlib.report.results import (
    RESULTS_FORMAT,
    PreviousRun,
    compare_row,
    read_previous,
    since_html,
)

ROOT = Path(__file__).resolve().parents[1]
HUB = (ROOT / "scenarios" / "multi-account-hub.yaml").read_text()
SMALL = "name: {name}\ndecisions:\n  s3-endpoints:\n    vpc_count: 2\n"
EPOCH = "1764201600"


def _report(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "archlib", "report", "--quiet",
                           "--workers", "2", *args], capture_output=True, text=True,
                          check=False, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two runs: the bundled hub and a scenario that goes; then the hub with 1,000 GB a
    month from on-premises instead of 800, and a new scenario, compared with the first."""
    root = tmp_path_factory.mktemp("compare")
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "a" / "multi-account-hub.yaml").write_text(HUB)
    (root / "a" / "going.yaml").write_text(SMALL.format(name="Going"))
    changed = HUB.replace("monthly_gb_on_prem: 800", "monthly_gb_on_prem: 1000")
    assert changed != HUB
    (root / "b" / "multi-account-hub.yaml").write_text(changed)
    (root / "b" / "fresh.yaml").write_text(SMALL.format(name="Fresh"))
    first = _report("a/multi-account-hub.yaml", "a/going.yaml", "--out", "old", cwd=root)
    assert first.returncode == 0, first.stderr
    second = _report("b/multi-account-hub.yaml", "b/fresh.yaml", "--out", "new",
                     "--compare-to", "old", cwd=root)
    assert second.returncode == 0, second.stderr
    (root / "second-stdout.txt").write_text(second.stdout)
    return root


def test_variants_reach_the_report_and_the_index(runs: Path) -> None:
    # DOMAIN.md, interface endpoints: $0.01 per AZ-hour and $0.01/GB. The hub's
    # recommendation: 2 endpoints x 2 AZ x 730 h x $0.01 = $29.20, plus 800 GB x $0.01 =
    # $8.00: $37.20. Traffic doubled: 1,600 GB x $0.01 = $16.00: $45.20, +$8.00. Without the
    # second Region, the gateway plus one endpoint: $14.60 + $8.00 = $22.60.
    page = (runs / "old" / "multi-account-hub" / "s3-endpoints.html").read_text()
    section = page.split('id="Variants"', 1)[1].split("</section>", 1)[0]
    assert "2 variants: recommendation changes in 1" in section
    assert "$37.20" in section and "$45.20" in section and "+$8.00 against the scenario" in section
    assert "$22.60" in section and "-$14.60 against the scenario" in section
    assert "monthly GB on premises: 800 -&gt; 1,600" in section
    assert "changed from Gateway plus cross-Region interface endpoint" in section
    # right after the requirements matrix, before the notebook's own sections
    assert page.index("Requirements against each option") < page.index('id="Variants"')
    assert page.index('id="Variants"') < page.index('id="Recommendation"')
    index = (runs / "old" / "index.html").read_text()
    fold = index.split('<details class="archlib-variants-fold">', 1)[1].split("</details>")[0]
    assert "<summary>2 variants: recommendation changes in 1</summary>" in fold
    assert "if traffic doubles: Gateway plus cross-Region interface endpoint, $45.20" in fold
    going = (runs / "old" / "going" / "s3-endpoints.html").read_text()
    assert 'id="Variants"' not in going  # no variants: no section


def test_results_json_lists_every_report(runs: Path) -> None:
    data = json.loads((runs / "old" / "results.json").read_text())
    assert data["format"] == RESULTS_FORMAT
    assert data["generated_at"] == "2025-11-27T00:00:00Z"
    hub, going = data["reports"]
    assert hub["report"] == "multi-account-hub/s3-endpoints"
    assert hub["html"] == "multi-account-hub/s3-endpoints.html"
    assert (hub["recommended"], hub["monthly_cost_usd"], hub["verdict"]) == (
        "interface-cross-region", 37.2, "clear")
    assert [v["name"] for v in hub["variants"]] == [
        "if traffic doubles", "without the buckets in the second Region"]
    assert hub["variants"][0]["monthly_cost_usd"] == 45.2
    assert going["report"] == "going/s3-endpoints" and going["variants"] == []


def test_the_second_run_marks_what_changed(runs: Path) -> None:
    # 1,000 GB x $0.01 = $10.00 instead of $8.00: $37.20 -> $39.20, +$2.00, 2.00 / 37.20 =
    # 5.38% -> +5.4%; same recommendation and verdict.
    line = "monthly cost: $37.20 -&gt; $39.20 (+$2.00, +5.4%)"
    stdout = (runs / "second-stdout.txt").read_text()
    assert ("since old: 1 changed, 0 unchanged, 1 new, 1 gone; monthly cost change of the "
            "changed reports +$2.00") in stdout
    index = (runs / "new" / "index.html").read_text()
    assert "<th>since the previous run</th>" in index
    assert f"<td>{line}</td>" in index
    assert '<span class="archlib-since-mark since-new">new</span>' in index
    gone = index.split('id="gone"', 1)[1].split("</section>")[0]
    assert "Gone since the previous run (1)" in gone and "going/s3-endpoints" in gone
    table = index.split("<main>", 1)[1]
    assert "recommendation:" not in table and "verdict:" not in table
    page = (runs / "new" / "multi-account-hub" / "s3-endpoints.html").read_text()
    band = page.split("archlib-since since-changed", 1)[1].split("</section>")[0]
    assert "Changed since the previous run" in band and line in band
    assert str(runs) not in page  # no absolute path in a report
    # the band sits under the summary band, above the requirements
    assert page.index("archlib-summary") < page.index("archlib-since since-changed")
    assert page.index("archlib-since since-changed") < page.index("Requirements against")
    fresh = (runs / "new" / "fresh" / "s3-endpoints.html").read_text()
    assert "New since the previous run" in fresh
    # the variants compare against the changed section: 45.20 - 39.20 = +6.00
    assert "+$6.00 against the scenario" in page


def test_comparing_a_folder_with_itself_reads_before_writing(runs: Path) -> None:
    shutil.copytree(runs / "new", runs / "again")
    again = _report("b/multi-account-hub.yaml", "b/fresh.yaml", "--out", "again",
                    "--compare-to", "again", cwd=runs)
    assert again.returncode == 0, again.stderr
    assert "since again: 0 changed, 2 unchanged, 0 new, 0 gone" in again.stdout
    page = (runs / "again" / "multi-account-hub" / "s3-endpoints.html").read_text()
    assert "Unchanged since the previous run" in page
    # results.json holds no comparison: the same inputs give the same bytes
    assert ((runs / "again" / "results.json").read_bytes()
            == (runs / "new" / "results.json").read_bytes())


@pytest.mark.parametrize(("setup", "problem"), [
    (None, "no such folder"),
    ("", "has no results.json"),
    ("{not json", "results.json is not valid JSON (line 1)"),
    ('{"format": "something-else/1", "reports": []}', "is not an archlib results file"),
    (json.dumps({"format": RESULTS_FORMAT, "reports": [{"report": "a/b"}]}),
     "reports.0.ok: Field required"),
    (json.dumps({"format": RESULTS_FORMAT, "reports": [
        {"report": "a/b", "ok": True, "monthly_cost_usd": "cheap"}]}),
     "reports.0.monthly_cost_usd"),
])
def test_a_missing_or_garbled_old_folder_is_one_line_and_exit_2(
        tmp_path: Path, setup: str | None, problem: str) -> None:
    old = tmp_path / "old"
    if setup is not None:
        old.mkdir()
        if setup:
            (old / "results.json").write_text(setup)
    (tmp_path / "s.yaml").write_text(SMALL.format(name="S"))
    run = _report("s.yaml", "--out", "out", "--compare-to", "old", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and problem in run.stderr
    assert run.stderr.startswith("archlib: --compare-to")
    assert not (tmp_path / "out").exists()  # refused before anything was written


def _row(ev: archlib.Evaluation) -> ReportRow:
    best = ev.option(ev.recommended) if ev.recommended else None
    return ReportRow("x.yaml", "X", ev.decision.id, True, recommended=ev.recommended,
                     monthly_cost_usd=best.monthly_cost_usd if best else None, evaluation=ev,
                     report_id="x/s3-endpoints")


def _previous(**entry: object) -> PreviousRun:
    from archlib.report.results import _OldReport

    old = _OldReport.model_validate({"report": "x/s3-endpoints", "ok": True, **entry})
    return PreviousRun("old", "2025-01-01T00:00:00Z", {old.report: old})


def test_a_changed_recommendation_and_verdict_are_named_by_title() -> None:
    ev = archlib.evaluate("s3-endpoints")  # the defaults: the gateway endpoint, $0.00
    assert ev.recommended == "gateway" and ev.verdict is not None
    assert ev.verdict.level == "clear"
    since = compare_row(_row(ev), _previous(recommended="interface",
                                            recommended_title="Interface endpoint per VPC",
                                            monthly_cost_usd=100.0, verdict="leaning"))
    assert since.status == "changed"
    assert since.lines == (
        "recommendation: Interface endpoint per VPC -> Gateway endpoint per VPC",
        "monthly cost: $100.00 -> $0.00 (-$100.00, -100.0%)",
        "verdict: leaning -> clear")
    assert since.cost_difference_usd == -100.0
    assert "<li>recommendation: Interface endpoint per VPC -&gt; Gateway endpoint per VPC" in (
        since_html(since, _previous()))


def test_a_variant_whose_recommendation_moved_is_named() -> None:
    from archlib.variants import evaluate_variants

    scenario = archlib.load_scenario(ROOT / "scenarios" / "multi-account-hub.yaml")
    ev = archlib.evaluate_scenario("s3-endpoints", scenario)
    row = ReportRow("x.yaml", "X", "s3-endpoints", True, recommended=ev.recommended,
                    monthly_cost_usd=37.2, evaluation=ev, report_id="x/s3-endpoints",
                    variants=evaluate_variants(scenario, "s3-endpoints", ev))
    previous = _previous(recommended=ev.recommended, monthly_cost_usd=37.2, verdict="clear",
                         variants=[{"name": "if traffic doubles", "recommended": "nat-gateway"},
                                   {"name": "a variant since removed", "recommended": "x"}])
    since = compare_row(row, previous)
    assert since.lines == ("variant 'if traffic doubles': recommendation NAT gateway to the "
                           "public endpoint -> Gateway plus cross-Region interface endpoint",)


def test_a_report_that_failed_before_is_new() -> None:
    ev = archlib.evaluate("s3-endpoints")
    assert compare_row(_row(ev), _previous(ok=False)).status == "new"


def test_read_previous_refuses_a_huge_file(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_bytes(b" " * ((64 << 20) + 1))
    with pytest.raises(InputError, match="larger than 64 MiB"):
        read_previous(tmp_path)
