"""The committed notebooks: one tagged parameters cell declaring every parameter, paired .py
in sync, outputs present (nbval compares them), charts carried in a form each place renders."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest

from archlib import decisions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXTRA = {"scenario_name", "scenario_description", "prices", "interactive"}


def committed() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_every_decision_has_a_notebook_pair() -> None:
    for decision in decisions.all_decisions():
        assert (NOTEBOOKS / decision.notebook).exists(), decision.notebook
        assert (NOTEBOOKS / decision.notebook).with_suffix(".py").exists()


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_every_code_cell_was_executed(path: Path) -> None:
    """nbval never compares a cell whose execution_count is null: a stripped notebook would
    pass while checking nothing."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    counts = [c.execution_count for c in code]
    assert None not in counts, f"unexecuted cells in {path.name}"
    assert counts == list(range(1, len(code) + 1)), "cells were not run top to bottom"
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1, "outputs were stripped"


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_paired_py_is_in_sync(path: Path) -> None:
    py = jupytext.read(path.with_suffix(".py"))
    ipynb = nbformat.read(path, as_version=4)
    assert [(c.cell_type, c.source) for c in py.cells] == [
        (c.cell_type, c.source) for c in ipynb.cells]
    assert "py:percent" in ipynb.metadata["jupytext"]["formats"]


def parameters_cell(path: Path) -> Any:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    return tagged[0]


@pytest.mark.parametrize("decision", decisions.all_decisions(), ids=lambda d: d.id)
def test_parameters_cell_declares_every_parameter_with_its_default(decision: Any) -> None:
    cell = parameters_cell(NOTEBOOKS / decision.notebook)
    assigned = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        (target,) = node.targets
        assert isinstance(target, ast.Name)
        assigned[target.id] = ast.literal_eval(node.value)
    fields = decision.params_model.model_fields
    assert set(assigned) == set(fields) | EXTRA
    defaults = decision.params_model().model_dump()
    for name in fields:
        assert assigned[name] == defaults[name], name


def outputs_of(path: Path) -> list[dict[str, Any]]:
    nb = nbformat.read(path, as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_charts_render_in_lab_and_html_without_plotly_js_inside(path: Path) -> None:
    outputs = outputs_of(path)
    charts = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(charts) >= 2, "cost and score charts carry plotly's JSON mimetype (JupyterLab)"
    for chart in charts:
        assert 'class="archlib-chart"' in chart["data"]["text/html"]  # nbconvert's choice
    text = path.read_text()
    assert "plotly.js v" not in text and len(text) < 1_500_000, "plotly.js embedded"
    assert not [o for o in outputs if o["output_type"] == "error"]


@pytest.mark.parametrize("path", committed(), ids=lambda p: p.name)
def test_no_absolute_paths_or_network_in_outputs(path: Path) -> None:
    blob = json.dumps(outputs_of(path))
    assert "site-packages" not in blob and "file:" not in blob
    assert "<script src=" not in blob
