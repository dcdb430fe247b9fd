"""The fleet summary page's export (archlib/fleet_review.py): what is held back from
nbconvert (the workload table from its HTML re-parse, the mime types it never renders
from its deep copy of the notebook) changes no byte of the page and leaves the notebook as
it was."""

from __future__ import annotations

import copy
from typing import Any

import nbformat
from nbconvert import HTMLExporter

from archlib.fleet_review import _export_without_tables, summary_exporter
from archlib.report import TEMPLATE_DIR

_RESOURCES = {"archlib": {"sources": [], "plotly_src": "assets/plotly.min.js",
                          "plotly_inline": ""}, "metadata": {"name": "Fleet review - t"}}


def _notebook() -> Any:
    v4: Any = nbformat.v4
    table = ('<table class="archlib-fleet-table"><thead><tr><th>account</th></tr></thead>'
             "<tbody><tr><td>acct-1</td></tr></tbody></table>")
    chart = {"application/vnd.plotly.v1+json": {"data": [{"type": "bar", "y": [1, 2]}],
                                                "layout": {"title": {"text": "Savings"}}},
             "text/html": '<div class="archlib-chart" id="c">chart</div>',
             "text/plain": "Savings"}
    return v4.new_notebook(cells=[
        v4.new_markdown_cell("## Fleet review"),
        v4.new_code_cell("t", execution_count=1, outputs=[
            v4.new_output("display_data", data={"text/html": table, "text/plain": "table"}),
            v4.new_output("display_data", data=chart),
            v4.new_output("display_data", data={"application/x-archlib-test+json": {"a": [1]},
                                                "text/plain": "only text"}),
        ])])


def test_the_page_is_what_nbconvert_makes_of_the_whole_notebook() -> None:
    nb = _notebook()
    before = copy.deepcopy(nb)
    plain = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="archlib", extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    ).from_notebook_node(copy.deepcopy(nb), resources=copy.deepcopy(_RESOURCES))[0]
    held = _export_without_tables(summary_exporter(), nb, copy.deepcopy(_RESOURCES))
    assert held == plain
    assert "archlib-fleet-table" in held and 'id="c"' in held and "only text" in held
    assert nb == before  # the table and the plotly JSON are back in the notebook


def test_the_exporter_is_made_once() -> None:
    assert summary_exporter() is summary_exporter()
