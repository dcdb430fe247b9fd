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
    assert rows["internet-path-not-allowed"].title == "Internet path not allowed"
    nat = rows["internet-path-not-allowed"].cell("nat-gateway")
    assert nat.status in ("met", "not met")
    assert rows["internet-path-not-allowed"].cell("gateway").status == "not applicable"


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
