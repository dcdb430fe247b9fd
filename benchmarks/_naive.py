"""The baselines a user would write without archlib's report command: the papermill CLI,
then ``jupyter nbconvert --to html --no-input``, one process each, in series; and the same
notebook with its charts shown the usual plotly way (``fig.show()`` under the ``notebook``
renderer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archlib import decisions

from ._core import Context, Pair, _plain
from ._timing import BenchmarkError, run_process

__all__ = ["NaiveRun", "naive_parameters", "notebook_of", "notebook_renderer_variant",
           "run_naive_report"]

#: A chart cell of the decision notebooks: ``nb.cost_chart(ev)``.
_CHART_CELL = re.compile(r"^nb\.(?P<name>\w+_chart)\(ev\)$")
_NAIVE_SETUP = (
    "# What a user writes without archlib's display bundle: plotly's notebook renderer,\n"
    "# which works offline by embedding plotly.js in the notebook.\n"
    "import plotly.io as pio\n"
    "from archlib import charts\n"
    'pio.renderers.default = "notebook"'
)


@dataclass(frozen=True)
class NaiveRun:
    papermill_s: float
    nbconvert_s: float
    html: Path

    @property
    def total_s(self) -> float:
        return self.papermill_s + self.nbconvert_s


def notebook_of(ctx: Context, decision_id: str) -> Path:
    return ctx.root / "notebooks" / decisions.get(decision_id).notebook


def naive_parameters(pair: Pair) -> dict[str, Any]:
    """The parameters a user passes with ``-f``: the scenario's section for the decision
    plus the notebook's scenario fields (the same values ``archlib report`` passes)."""
    return {
        **_plain(pair.scenario.decisions[pair.decision_id]),
        "scenario_name": pair.scenario.name,
        "scenario_description": pair.scenario.description,
        "prices": dict(pair.scenario.prices),
        "interactive": False,
    }


def run_naive_report(ctx: Context, notebook: Path, parameters: dict[str, Any],
                     workdir: Path) -> NaiveRun:
    """``papermill NOTEBOOK out.ipynb -f params.yaml`` then
    ``jupyter nbconvert --to html --no-input out.ipynb``, timed as two processes."""
    params_file = workdir / "params.yaml"
    params_file.write_text(yaml.safe_dump(parameters, sort_keys=False), encoding="utf-8")
    executed = workdir / f"{notebook.stem}-out.ipynb"
    papermill_s, _ = run_process(
        [ctx.tool("papermill"), notebook, executed, "-f", params_file, "-k", "python3",
         "--cwd", workdir, "--no-progress-bar"],
        env=ctx.env, cwd=workdir)
    nbconvert_s, _ = run_process(
        [ctx.tool("jupyter"), "nbconvert", "--to", "html", "--no-input", executed],
        env=ctx.env, cwd=workdir)
    html = executed.with_suffix(".html")
    if not html.is_file():
        raise BenchmarkError(f"nbconvert wrote no {html.name}")
    return NaiveRun(papermill_s, nbconvert_s, html)


def notebook_renderer_variant(source: Path, target: Path) -> list[str]:
    """Write to ``target`` the decision notebook as a user would write it with plain plotly:
    each chart cell ``nb.X_chart(ev)`` becomes ``charts.X_chart(ev).show()`` and a cell after
    the parameters sets ``pio.renderers.default = "notebook"``. Returns the charts replaced
    (empty: nothing to compare, the notebook is not written)."""
    import nbformat

    nb = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
    from archlib import charts

    replaced = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        match = _CHART_CELL.match(cell.source.strip())
        if match and callable(getattr(charts, match["name"], None)):
            cell.source = f"charts.{match['name']}(ev).show()"
            replaced.append(match["name"])
    if not replaced:
        return []
    position = next((i + 1 for i, c in enumerate(nb.cells)
                     if "parameters" in c.metadata.get("tags", [])), 0)
    setup = nbformat.v4.new_code_cell(_NAIVE_SETUP)  # type: ignore[no-untyped-call]
    setup["id"] = "naive-plotly-renderer"
    nb.cells.insert(position, setup)
    nbformat.write(nb, target)  # type: ignore[no-untyped-call]
    return replaced
