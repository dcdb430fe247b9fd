"""archlib.views: the tables and lists a reviewer reads (issue 18, review D5, D6, D15, D20)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import archlib
from archlib import _sources, load_scenario, views

ROOT = Path(__file__).resolve().parents[1]


def _bundled(stem: str, decision: str) -> archlib.Evaluation:
    scenario = load_scenario(ROOT / "scenarios" / f"{stem}.yaml")
    return archlib.evaluate(decision, scenario.decisions[decision], prices=scenario.prices)


def test_cost_items_grouped_per_option_with_subtotals_recommended_first() -> None:
    # D15. single-vpc-analytics: interface = 3 AZ x $0.01 x 730 h = $21.90 of AZ-hours +
    # 40,000 GB x $0.01 = $400.00 of processing: subtotal $421.90; gateway $0.00, recommended.
    ev = _bundled("single-vpc-analytics", "s3-endpoints")
    page = views.cost_table_html(ev)
    tables = re.findall(r"<table class=\"([^\"]+)\">(.*?)</table>", page)
    assert len(tables) == len(ev.options)
    assert tables[0][0] == "archlib-cost-group recommended"
    assert "Gateway endpoint per VPC" in tables[0][1] and "(recommended)" in tables[0][1]
    assert sum("recommended" in css for css, _ in tables) == 1
    interface = next(body for _, body in tables if ">interface</small>" in body)
    assert "$21.90" in interface and "$400.00" in interface
    assert re.search(r"subtotal</th><td class=\"num\">\$421\.90</td>", interface)
    # ranked options first, in ranking order, then the ruled-out ones
    ids = [re.search(r'class="archlib-id">([^<]+)<', body).group(1)  # type: ignore[union-attr]
           for _, body in tables]
    assert ids[:len(ev.ranking)] == list(ev.ranking)


def test_citations_read_as_the_source_title_not_its_id() -> None:
    # D5: "(seed-s3-bandwidth)" and "(seed lines 955-956)" reached the reviewer
    ev = _bundled("multi-account-hub", "s3-endpoints")
    page = "".join([views.option_table_html(ev), views.assumptions_html(ev),
                    views.sources_html(ev), views.criteria_table_html(ev)])
    assert "seed lines" not in page and "`" not in page
    listed = re.findall(r'<li data-source="([^"]+)"><a href="([^"]+)">(.*?)</a></li>', page)
    assert listed
    for source_id, url, text in listed:
        source = _sources.get(source_id)
        assert (url, html.unescape(text)) == (source.url, source.title)
    links = re.findall(r'<a class="archlib-cite" href="([^"]+)">(.*?)</a>', page)
    assert links
    titles = {s.url: set() for s in map(_sources.get, _sources.known())}
    for source_id in _sources.known():
        titles[_sources.get(source_id).url].add(_sources.get(source_id).title)
    for url, text in links:  # the link text is a title of a source at that address, no id
        assert html.unescape(text) in titles[url] and text not in _sources.known(), text


def test_backticks_become_code_not_literal_backticks() -> None:
    # D6: "override it under the scenario's `prices:`" showed its backticks
    ev = _bundled("multi-account-hub", "s3-endpoints")
    page = views.assumptions_html(ev)
    assert "`" not in page
    assert "<code>prices:</code>" in page


def test_criterion_values_are_formatted_for_people() -> None:
    # D6: "3.33333" in the criteria table; two decimals at most, costs in USD
    ev = _bundled("multi-account-hub", "s3-endpoints")
    page = views.criteria_table_html(ev)
    cells = re.findall(r"<td>([^<]+)<br><small>", page)
    assert cells
    for cell in cells:
        assert re.fullmatch(r"-?[0-9,]+(\.[0-9]{1,2})?|\$[0-9,]+\.[0-9]{2}|unknown", cell), cell


def test_sql_guidance_note_says_the_scale_and_each_step() -> None:
    # D20: "neutral 3, -1 Enterprise licences owned (keep availability groups): 2"; the
    # scenario owns Enterprise licences: availability groups 3 + 1 = 4, an FCI 3 - 1 = 2
    ev = _bundled("sqlserver-cross-region-dr", "sqlserver-ha-dr")
    notes = {o.id: o.criteria_basis["guidance_fit"].reason for o in ev.options}
    assert notes["availability-groups"] == ("4 of 5: from a neutral 3, one point up: "
                                            "Enterprise licences owned (keep availability "
                                            "groups)")
    assert notes["fci-fsx"].startswith("2 of 5: from a neutral 3, one point down: ")
