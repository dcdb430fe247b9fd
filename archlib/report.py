"""Batch reports: the only module that calls papermill and nbconvert.

For each scenario file and each decision it names: evaluate in-process (for the index),
execute the decision's notebook with papermill (parameters as data), render it to HTML with
the project template (no code, no CDN), and write everything through a temporary file and a
rename, so a killed run never leaves a half-written report.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__, decisions
from ._engine import Evaluation, evaluate
from ._errors import InputError
from ._scenario import Scenario, load_scenario

__all__ = ["ReportOutcome", "ReportRow", "build_reports", "generated_at", "write_atomic"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
TEMPLATE_DIR = PROJECT_ROOT / "templates"
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 300
START_TIMEOUT_S = 60
PLOTLY_ASSET = "assets/plotly.min.js"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def generated_at() -> str:
    """The one timestamp in a report: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
    else now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(tz=dt.UTC))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class ReportRow:
    scenario: str  # the file as given
    scenario_name: str
    decision: str
    ok: bool
    reason: str = ""
    recommended: str | None = None
    monthly_cost_usd: float | None = None
    runner_up: str | None = None
    score_gap: float | None = None
    prices_as_of: str = ""
    html_path: str = ""  # relative to the output folder
    ipynb_path: str = ""


@dataclass(frozen=True)
class ReportOutcome:
    out_dir: Path
    rows: tuple[ReportRow, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def summary_lines(self) -> list[str]:
        lines = []
        for r in self.rows:
            if r.ok:
                lines.append(f"ok      {r.scenario} {r.decision} -> {r.recommended or 'none'}"
                             f"  ({r.html_path})")
            else:
                lines.append(f"FAILED  {r.scenario} {r.decision}: {r.reason}")
        done = sum(r.ok for r in self.rows)
        lines.append(f"{done} report(s) written, {len(self.rows) - done} failed; index: "
                     f"{self.out_dir / 'index.html'}")
        return lines


def _one_line(error: BaseException) -> str:
    name = getattr(error, "ename", None) or type(error).__name__
    value = getattr(error, "evalue", None) or str(error)
    text = f"{name}: {value}" if not isinstance(error, InputError) else error.line()
    return " ".join(text.split())[:500]


def notebook_parameters(ev: Evaluation, scenario: Scenario) -> dict[str, Any]:
    """Papermill parameters: only names the decision's model declares (papermill pastes names
    verbatim into code), values as plain JSON data, validated again in the notebook."""
    return {
        **ev.params.model_dump(mode="json"),  # the model's declared fields only
        "scenario_name": scenario.name,
        "scenario_description": scenario.description,
        "prices": dict(scenario.prices),
        "interactive": False,
    }


def _clean(nb: Any, notebook_name: str) -> Any:
    """Drop what differs between runs (timings, widget state, random ids) so the same inputs
    give the same files."""
    meta = nb.metadata
    meta.pop("widgets", None)
    pm = meta.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "exception", "environment_variables",
                "output_path"):
        pm.pop(key, None)
    if "input_path" in pm:
        pm["input_path"] = f"notebooks/{notebook_name}"
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif "id" not in cell:
            cell["id"] = f"cell-{i}"
    return nb


def _ipc_config(run_dir: str) -> Any:
    """Kernel over IPC: it opens no TCP ports (and does not warn about plain-text TCP); its
    socket files live in the run's temporary directory."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc",
                                     "ip": str(Path(run_dir) / "kernel-ipc")}})


def _css() -> str:
    return resources.files("archlib").joinpath("data", "report.css").read_text("utf-8")


class _Renderer:
    """Holds the papermill/nbconvert machinery, imported once per process."""

    def __init__(self, out_dir: Path, stamp: str, self_contained: bool) -> None:
        import nbformat
        import papermill
        from nbconvert import HTMLExporter

        self.nbformat = nbformat
        self.papermill = papermill
        self.exporter = HTMLExporter(  # type: ignore[no-untyped-call]
            template_name="archlib",
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self.out_dir = out_dir
        self.stamp = stamp
        self.css = _css()
        self.self_contained = self_contained
        from .charts import plotly_js_source

        self.plotly_js = plotly_js_source()

    def write_assets(self) -> None:
        target = self.out_dir / PLOTLY_ASSET
        data = self.plotly_js.encode("utf-8")
        if not target.exists() or _digest(target.read_bytes()) != _digest(data):
            write_atomic(target, data)

    def render(self, ev: Evaluation, scenario: Scenario) -> tuple[str, str]:
        decision = ev.decision
        # IPC transport: the kernel opens no TCP ports (and does not warn about plain-text
        # TCP); its socket files live in the run's temporary working directory.
        with tempfile.TemporaryDirectory(prefix="archlib-run-") as cwd:
            nb = self.papermill.execute_notebook(
                str(NOTEBOOK_DIR / decision.notebook),
                None,
                parameters=notebook_parameters(ev, scenario),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                start_timeout=START_TIMEOUT_S,
                execution_timeout=CELL_TIMEOUT_S,
                cwd=cwd,
                config=_ipc_config(cwd),
            )
        nb = _clean(nb, decision.notebook)
        nb.metadata["archlib"] = {
            "scenario": scenario.name, "decision": decision.id, "version": __version__,
            "prices_as_of": ev.prices_as_of, "generated_at": self.stamp,
        }
        nb.metadata["title"] = f"{decision.title} - {scenario.name}"
        archlib_resources = {
            "decision": decision.id,
            "decision_title": decision.title,
            "notebook": decision.notebook,
            "scenario_name": scenario.name,
            "scenario_description": scenario.description,
            "recommended": ev.recommended or "none (no feasible option)",
            "prices_as_of": ev.prices_as_of,
            "region": ev.prices.region,
            "version": __version__,
            "generated_at": self.stamp,
            "sources": [
                {"id": s.id, "title": s.title, "url": s.url, "seed_lines": s.seed_lines}
                for s in ev.sources
            ],
            "css": self.css,
            "plotly_src": f"../{PLOTLY_ASSET}",
            "plotly_inline": self.plotly_js if self.self_contained else "",
            "index_href": "../index.html",
        }
        body, _ = self.exporter.from_notebook_node(
            nb, resources={"archlib": archlib_resources,
                           "metadata": {"name": f"{decision.id} - {scenario.name}"}})
        body = inline_diagrams(body)
        notebook_text: str = self.nbformat.writes(nb)  # type: ignore[no-untyped-call]
        return body, notebook_text


_DIAGRAM_IMG = re.compile(
    r'<img alt="(?P<alt>[^"]*)" src="data:image/svg\+xml;base64,(?P<b64>[A-Za-z0-9+/=]+)"\s*/?>')
_SYMBOL = re.compile(r'<symbol id="(?P<id>icon\.[0-9a-f]+)".*?</symbol>', re.S)
_SPRITE = ('<svg class="archlib-icons" width="0" height="0" aria-hidden="true" '
           'style="position:absolute" xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink"><defs>{}</defs></svg>')


def inline_diagrams(page: str) -> str:
    """Turn the notebook's self-contained diagram images into inline SVG that share one
    sprite of icons, so a report carries each icon once however many diagrams use it.
    (In a notebook every diagram stays self-contained; only the report is rewritten.)"""
    symbols: dict[str, str] = {}

    def inline(match: re.Match[str]) -> str:
        svg = base64.b64decode(match["b64"]).decode("utf-8")
        for symbol in _SYMBOL.finditer(svg):
            symbols.setdefault(symbol["id"], symbol.group(0))
        svg = _SYMBOL.sub("", svg).replace("<defs>\n</defs>", "").replace("<defs></defs>", "")
        # The alt text (already HTML-escaped) becomes the SVG's accessible name.
        return re.sub(r'aria-label="[^"]*"', f'aria-label="{match["alt"]}"', svg, count=1)

    page = _DIAGRAM_IMG.sub(inline, page)
    if not symbols:
        return page
    sprite = _SPRITE.format("".join(symbols[k] for k in sorted(symbols)))
    return page.replace("<main>", "<main>" + sprite, 1)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_reports(
    paths: Sequence[Path | str], out_dir: Path | str = "output", *, self_contained: bool = False
) -> ReportOutcome:
    """Report every decision of every scenario file into ``out_dir``; one failure does not
    stop the others. Returns what was written and what failed, and writes the index."""
    out = Path(out_dir)
    stamp = generated_at()
    rows: list[ReportRow] = []
    renderer: _Renderer | None = None
    for path in paths:
        where = str(path)
        try:
            scenario = load_scenario(path)
        except InputError as error:
            rows.append(ReportRow(where, Path(where).stem, "-", False, _one_line(error)))
            continue
        slug = scenario.slug
        for decision_id, params in scenario.decisions.items():
            try:
                ev = evaluate(decisions.get(decision_id), params, prices=scenario.prices,
                              where=where)
                if renderer is None:
                    renderer = _Renderer(out, stamp, self_contained)
                    if not self_contained:
                        renderer.write_assets()
                body, notebook_text = renderer.render(ev, scenario)
                html_rel = f"{slug}/{decision_id}.html"
                ipynb_rel = f"{slug}/{decision_id}.ipynb"
                write_atomic(out / ipynb_rel, notebook_text)
                write_atomic(out / html_rel, body)
            except Exception as error:  # isolate: report the failure, go on with the rest
                rows.append(ReportRow(where, scenario.name, decision_id, False,
                                      _one_line(error)))
                continue
            second = ev.option(ev.runner_up) if ev.runner_up else None
            best = ev.option(ev.recommended) if ev.recommended else None
            gap = (None if best is None or second is None or best.score is None
                   or second.score is None else best.score - second.score)
            rows.append(ReportRow(
                where, scenario.name, decision_id, True, "", ev.recommended,
                best.monthly_cost_usd if best else None, ev.runner_up, gap, ev.prices_as_of,
                html_rel, ipynb_rel))
    outcome = ReportOutcome(out, tuple(rows))
    write_atomic(out / "index.html", index_html(outcome, stamp))
    return outcome


def index_html(outcome: ReportOutcome, stamp: str) -> str:
    e = html.escape
    as_of = sorted({r.prices_as_of for r in outcome.rows if r.prices_as_of})
    body: list[str] = []
    for r in outcome.rows:
        if r.ok:
            cost = "-" if r.monthly_cost_usd is None else f"${r.monthly_cost_usd:,.2f}"
            gap = "-" if r.score_gap is None else f"{r.score_gap:.1f}"
            body.append(
                f"<tr><td>{e(r.scenario_name)}<br><small>{e(r.scenario)}</small></td>"
                f"<td><code>{e(r.decision)}</code></td>"
                f"<td><code>{e(r.recommended or 'none')}</code></td>"
                f'<td class="num">{cost}</td><td><code>{e(r.runner_up or "-")}</code></td>'
                f'<td class="num">{gap}</td>'
                f'<td><a href="{e(r.html_path)}">report</a> · '
                f'<a href="{e(r.ipynb_path)}">notebook</a></td><td>ok</td></tr>')
        else:
            body.append(
                f"<tr><td>{e(r.scenario_name)}<br><small>{e(r.scenario)}</small></td>"
                f"<td><code>{e(r.decision)}</code></td><td colspan=\"5\">-</td>"
                f'<td class="failed">failed: {e(r.reason)}</td></tr>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>archlib reports</title><style>{_css()}</style></head>"
        '<body class="archlib-index"><header class="archlib-title">'
        '<p class="archlib-kicker">archlib decision reports</p><h1>Reports</h1><dl>'
        f"<dt>archlib</dt><dd>{e(__version__)}</dd>"
        f"<dt>Prices as of</dt><dd>{e(', '.join(as_of) or '-')}</dd>"
        f'<dt>Generated</dt><dd class="archlib-generated">{e(stamp)}</dd></dl></header>'
        "<main><table><thead><tr><th>scenario</th><th>decision</th><th>recommended</th>"
        "<th>monthly cost</th><th>runner-up</th><th>score gap</th><th>links</th>"
        "<th>status</th></tr></thead><tbody>" + "".join(body) + "</tbody></table></main>"
        "</body></html>\n")




def refresh_notebooks(names: Sequence[str] = ()) -> list[Path]:
    """Re-create each committed ``notebooks/<name>.ipynb`` from its paired percent-format
    ``.py`` and execute it in place (kernel ``python3``), so committed outputs match the code.
    Cell ids are made stable, widget state is not stored."""
    import jupytext
    from nbclient import NotebookClient

    sources = sorted(NOTEBOOK_DIR.glob("*.py"))
    if names:
        sources = [p for p in sources if p.stem in names]
    written = []
    for source in sources:
        nb = jupytext.read(source)
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{source.stem}-{i}"
        with tempfile.TemporaryDirectory(prefix="archlib-nb-") as cwd:
            NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=CELL_TIMEOUT_S,
                           startup_timeout=START_TIMEOUT_S, store_widget_state=False,
                           resources={"metadata": {"path": cwd}},
                           config=_ipc_config(cwd)).execute()
        target = source.with_suffix(".ipynb")
        nb.metadata.pop("widgets", None)
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written
