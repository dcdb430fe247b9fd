"""Leaving the explorer (archlib/widgets.py): "copy as scenario" gives YAML that loads back to
the same evaluation, the decision record button gives the same text as `archlib adr`, and no
control ever changes the notebook's parameters."""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import archlib
from archlib import notebook as nb
from archlib._scenario import parse_scenario, scenario_yaml
from archlib.adr import adr_markdown
from archlib.widgets import SCENARIO_NAME, Explorer, explore

ROOT = Path(__file__).resolve().parents[1]
S3 = "s3-endpoints"


@pytest.fixture
def explorer() -> Explorer:
    return explore(S3)


def _set(explorer: Explorer, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name.startswith("weights."):
            explorer.weight_controls[name.removeprefix("weights.")].value = value
        else:
            explorer.controls[name].value = value


CHANGES = [
    {"on_prem_access": True},
    {"vpc_count": 4, "transit_gateway": True, "monthly_gb_in_vpc": 12_345.5},
    {"on_prem_access": True, "monthly_gb_on_prem": 800.0, "weights.monthly_cost": 1.0,
     "weights.operational_complexity": 0.0},
    {"cross_region_access": True, "az_count": 3, "peak_gbps": 25.0},
]


@pytest.mark.parametrize("changes", CHANGES)
def test_copied_scenario_loads_back_to_the_same_evaluation(
    explorer: Explorer, changes: dict[str, Any], tmp_path: Path
) -> None:
    _set(explorer, changes)
    path = tmp_path / "copied.yaml"
    path.write_text(explorer.scenario_yaml(), encoding="utf-8")
    scenario = archlib.load_scenario(path)
    assert scenario.name == SCENARIO_NAME
    assert list(scenario.decisions) == [S3]
    again = archlib.evaluate(S3, scenario.decisions[S3], prices=scenario.prices)
    assert again.recommended == explorer.evaluation.recommended
    assert again.to_dict() == explorer.evaluation.to_dict()
    for name, value in changes.items():
        if not name.startswith("weights."):
            assert scenario.decisions[S3][name] == value


@pytest.mark.parametrize("decision", archlib.decisions.all_decisions(), ids=lambda d: d.id)
def test_every_decision_copies_a_loadable_scenario(decision: Any, tmp_path: Path) -> None:
    ex = explore(decision.id)
    path = tmp_path / "copied.yaml"
    path.write_text(ex.scenario_yaml(), encoding="utf-8")
    scenario = archlib.load_scenario(path)
    again = archlib.evaluate(decision.id, scenario.decisions[decision.id])
    assert again.to_dict() == ex.evaluation.to_dict()
    assert ex.adr_markdown().startswith(f"---\nstatus: proposed\n---\n\n# {decision.id}: ")


def test_copy_button_shows_the_yaml_and_follows_the_controls(explorer: Explorer) -> None:
    assert explorer.export.layout.display == "none"  # nothing shown until asked
    explorer.controls["on_prem_access"].value = True
    explorer.copy_button.click()
    assert explorer.export.layout.display == ""
    shown = yaml.safe_load(explorer.export.value)
    assert shown["decisions"][S3]["on_prem_access"] is True
    assert "scenarios/&lt;name&gt;.yaml" in explorer.export_note.value
    explorer.controls["vpc_count"].value = 3
    assert yaml.safe_load(explorer.export.value)["decisions"][S3]["vpc_count"] == 3


def test_adr_button_shows_the_record_of_the_current_controls(explorer: Explorer) -> None:
    explorer.controls["on_prem_access"].value = True
    explorer.adr_button.click()
    assert explorer.export.value == adr_markdown(explorer.evaluation,
                                                 scenario_name=SCENARIO_NAME)
    assert "# s3-endpoints: Gateway plus interface endpoint" in explorer.export.value
    explorer.controls["on_prem_access"].value = False
    assert "# s3-endpoints: Gateway endpoint per VPC" in explorer.export.value


def test_invalid_controls_copy_nothing(explorer: Explorer) -> None:
    explorer.controls["peak_gbps"].value = 0.0  # gt 0
    assert explorer.error.value  # the explorer says it is not evaluated
    explorer.copy_button.click()
    assert explorer.export.value == ""
    assert explorer.export.layout.display == "none"
    assert "Nothing to copy" in explorer.export_note.value
    assert "peak_gbps" in explorer.export_note.value
    with pytest.raises(archlib.InputError, match="peak_gbps"):
        explorer.scenario_yaml()
    with pytest.raises(archlib.InputError, match="peak_gbps"):
        explorer.adr_markdown()


def _parameters_cell() -> str:
    nb_json = yaml.safe_load((ROOT / "notebooks" / "s3_endpoints.ipynb").read_text())
    (cell,) = [c for c in nb_json["cells"] if "parameters" in c["metadata"].get("tags", [])]
    return "".join(cell["source"])


def test_controls_never_change_the_notebook_parameters() -> None:
    """The explorer starts from the notebook's evaluation and only reads it: the parameter
    variables and the evaluation they produced stay as the parameters cell set them."""
    namespace: dict[str, Any] = {}
    for node in ast.parse(_parameters_cell()).body:
        assert isinstance(node, ast.Assign)
        (target,) = node.targets
        assert isinstance(target, ast.Name)
        namespace[target.id] = ast.literal_eval(node.value)
    before = copy.deepcopy(namespace)
    ev = nb.evaluate_from(namespace, S3)
    ev_before = ev.to_dict()
    explorer = nb.explorer(ev, namespace["interactive"])
    assert isinstance(explorer, Explorer)
    _set(explorer, {"on_prem_access": True, "vpc_count": 5, "weights.monthly_cost": 0.0})
    explorer.copy_button.click()
    explorer.adr_button.click()
    assert explorer.evaluation.recommended != ev.recommended
    assert namespace == before
    assert ev.to_dict() == ev_before


def test_notebook_adr_displays_markdown() -> None:
    ev = archlib.evaluate(S3, {"on_prem_access": True})
    bundle = nb.adr(ev, "Hybrid", "one VPC")._repr_mimebundle_()
    expected = adr_markdown(ev, scenario_name="Hybrid", scenario_description="one VPC")
    assert bundle["text/markdown"] == expected


def test_scenario_yaml_is_checked_before_it_is_returned() -> None:
    text = scenario_yaml("n", "d", {S3: {"vpc_count": 2}}, prices={"tgw_gb": 0.03})
    assert yaml.safe_load(text) == {"name": "n", "description": "d",
                                    "prices": {"tgw_gb": 0.03},
                                    "decisions": {S3: {"vpc_count": 2}}}
    with pytest.raises(archlib.InputError, match="vpc_count"):
        scenario_yaml("n", "d", {S3: {"vpc_count": 0}})


def test_price_overrides_follow_the_explorer_and_its_copied_scenario() -> None:
    # interface endpoints at $0.02 per AZ-hour instead of $0.01: 1 VPC x 2 AZs x 730 h
    ev = archlib.evaluate("s3-endpoints", {"monthly_gb_in_vpc": 0.0},
                          prices={"interface_endpoint_az_hour": 0.02})
    explorer = nb.explorer(ev, interactive=True)
    item = "interface endpoints (AZ-hours)"
    assert explorer.evaluation.option("interface").cost_breakdown[item] == pytest.approx(
        2 * 730 * 0.02)
    explorer.controls["az_count"].value = 3  # a change keeps the overrides: 3 x 730 x 0.02
    assert explorer.evaluation.option("interface").cost_breakdown[item] == pytest.approx(
        3 * 730 * 0.02)
    scenario = parse_scenario(explorer.scenario_yaml(), where="copied")
    assert scenario.prices == {"interface_endpoint_az_hour": 0.02}
    again = archlib.evaluate("s3-endpoints", scenario.decisions["s3-endpoints"],
                             prices=scenario.prices)
    assert again.to_dict() == explorer.evaluation.to_dict()


# --- taking the text away: a clipboard button and a download link (issue 18, D22) ---------


@pytest.mark.parametrize(("kind", "filename", "mime"), [
    ("scenario", "s3-endpoints-scenario.yaml", "application/x-yaml"),
    ("adr", "s3-endpoints-decision-record.md", "text/markdown"),
])
def test_the_note_copies_and_downloads_exactly_the_shown_text(
        explorer: Explorer, kind: str, filename: str, mime: str) -> None:
    import base64
    import html
    import re

    explorer.controls["vpc_count"].value = 3
    explorer.show_export(kind)  # type: ignore[arg-type]
    note, shown = explorer.export_note.value, explorer.export.value
    assert shown and explorer.export.layout.display == ""
    (data_text,) = re.findall(r'<button type="button" class="archlib-copy" data-text="([^"]*)"',
                              note)
    assert html.unescape(data_text) == shown
    assert "navigator.clipboard.writeText(b.dataset.text)" in html.unescape(note)
    (href,) = re.findall(rf'download="{re.escape(filename)}" href="([^"]*)"', note)
    prefix = f"data:{mime};charset=utf-8;base64,"
    assert href.startswith(prefix)
    assert base64.b64decode(href.removeprefix(prefix)).decode("utf-8") == shown
    # the labels say what the buttons do: they show the text; copying is the note's button
    assert explorer.copy_button.description == "Show as scenario YAML"
    assert explorer.adr_button.description == "Show decision record (ADR)"
    assert "Copy to clipboard" in note and "select the text below" in note


def test_the_note_follows_the_controls(explorer: Explorer) -> None:
    explorer.show_export("scenario")
    first = explorer.export_note.value
    explorer.controls["vpc_count"].value = 5
    assert explorer.export_note.value != first
    assert "vpc_count: 5" in explorer.export.value
