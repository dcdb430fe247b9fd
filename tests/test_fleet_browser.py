"""The fleet summary in a real browser (Debian's chromium through playwright, from file://):
no network requests, no console errors, every chart drawn with a title, the table sorts on a
header click, and a flagged workload's link opens its report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_fleet_cli import write_inventory

from archlib.fleet_review import review_inventory

CHARTS_DRAWN = """() => [...document.querySelectorAll('.archlib-chart')]
  .every(div => div.querySelector('.main-svg'))"""
FACTS = """() => ({
  charts: [...document.querySelectorAll('.archlib-chart')].map(d =>
    ((d._fullLayout || {}).title || {}).text || ''),
  rows: [...document.querySelectorAll('table.archlib-fleet-table tbody tr')].map(r =>
    r.cells[0].textContent),
  links: [...document.querySelectorAll('table.archlib-fleet-table a')].map(a =>
    a.getAttribute('href')),
  text: document.body.innerText})"""


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fleet-browser")
    out = folder / "out"
    review_inventory(write_inventory(folder / "inventory.csv"), out, group_by="owner")
    return out / "index.html"


def _open(chromium: Any, path: Path) -> tuple[Any, Any, list[str], list[str]]:
    context = chromium.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load", timeout=30_000)
    return context, page, requests, errors


def test_summary_loads_offline_draws_and_sorts(chromium: Any, summary: Path) -> None:
    context, page, requests, errors = _open(chromium, summary)
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        facts = page.evaluate(FACTS)
        assert len(facts["charts"]) == 3 and all(facts["charts"]), facts["charts"]
        # flagged first: a-2 (the hub it does not need), then the others
        assert facts["rows"][0] == "a-2"
        assert facts["links"] == ["reports/row-00002/s3-endpoints.html"]
        page.click("table.archlib-fleet-table th:first-child")  # account, ascending
        assert page.evaluate(FACTS)["rows"] == ["a-1", "a-2", "a-3"]
        page.click("table.archlib-fleet-table th:first-child")  # and descending
        assert page.evaluate(FACTS)["rows"] == ["a-3", "a-2", "a-1"]
        assert "Fleet review" in facts["text"] and "$250.60" in facts["text"]
    finally:
        context.close()
    assert not errors, errors
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert not outside, outside


def test_flagged_link_opens_its_report_offline(chromium: Any, summary: Path) -> None:
    report = summary.parent / "reports" / "row-00002" / "s3-endpoints.html"
    context, page, requests, errors = _open(chromium, report)
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        assert "row 2: a-2, retail" in page.evaluate("document.body.innerText")
    finally:
        context.close()
    assert not errors, errors
    assert not [u for u in requests if not u.startswith(("file://", "data:"))]
