"""``archlib fleet``: an inventory file in; ``results.csv``, ``results.parquet``, an offline
HTML summary (``index.html``: the fleet notebook executed by papermill) and full reports for
the rows that need a reviewer (``reports/``) out.

Evaluation runs in partitions on the chosen executor (``local``: this process for one
partition, worker processes for more; ``dask``: tasks on the cluster); reports run through
:func:`archlib.report.build_reports` on the same executor. Every file is written by this
process through a temporary name and a rename.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import __version__, _files
from ._errors import InputError, one_line, printable
from ._executors import InProcess, make_executor
from ._prestart import start_fork_server, stop_fork_server
from ._scenario import Scenario
from .fleet import (
    MISSING,
    PARTITION_ROWS,
    FleetProgress,
    Missing,
    evaluate_frame,
    frame_records,
    parameter_columns,
    plain_value,
    read_inventory,
    row_input,
    user_columns,
)
from .fleet_summary import REPORT_COLUMN
from .report import KERNEL_NAME, PLOTLY_ASSET, TEMPLATE_DIR, ReportOutcome, build_reports
from .report.files import generated_at, plotly_js, report_css
from .report.kernels import ipc_config
from .report.rendering import clean_notebook
from .workbook import resource_dir

if TYPE_CHECKING:
    import pandas as pd

    from .report.kernels import Kernel

__all__ = ["REPORT_MODES", "FleetOutcome", "review_inventory", "summary_html"]

REPORT_MODES = ("flagged", "all", "none")
ReportMode = Literal["flagged", "all", "none"]
SUMMARY_NOTEBOOK = "fleet.ipynb"
REPORTS_DIR = "reports"


@dataclass(frozen=True)
class FleetOutcome:
    out_dir: Path
    results: pd.DataFrame
    reports: ReportOutcome | None

    @property
    def errors(self) -> int:
        return int(self.results["error"].notna().sum())

    @property
    def flagged(self) -> int:
        return int(self.results["flagged"].sum())

    @property
    def ok(self) -> bool:
        return self.errors == 0 and (self.reports is None or self.reports.ok)

    def summary_line(self) -> str:
        reports = ("" if self.reports is None else
                   f", {sum(r.ok for r in self.reports.rows)} report(s) written, "
                   f"{len(self.reports.failed)} failed")
        return (f"{len(self.results)} workload(s) evaluated, {self.errors} invalid, "
                f"{self.flagged} flagged{reports}; summary: {self.out_dir / 'index.html'}")


def _label(record: dict[str, Any], own: list[str], n: int) -> str:
    """``row 12: acct-00012, payments, prod``: the row and its own columns."""
    values = [str(v) for c in own if not isinstance(v := record.get(c, MISSING), Missing)]
    return one_line(f"row {n}" + (f": {', '.join(values)}" if values else ""), 150)


def _report_scenarios(frame: pd.DataFrame, results: pd.DataFrame, mode: ReportMode,
                      inventory: str) -> list[tuple[int, Scenario]]:
    """(position, scenario) for the rows that get a report: one loaded scenario per row,
    named by the row's own columns, its folder ``row-NNNNN``."""
    if mode == "none":
        return []
    wanted = results["error"].isna() & (results["flagged"] if mode == "flagged" else True)
    columns = list(frame.columns)
    param_columns = parameter_columns(columns)
    own = user_columns(columns)
    chosen: list[tuple[int, Scenario]] = []
    records = frame_records(frame)
    for position in [i for i, keep in enumerate(wanted.tolist()) if keep]:
        n = position + 1
        record = {k: plain_value(v) for k, v in records[position].items()}
        row = row_input(record, param_columns, f"row {n}")
        params = dict(row.params)
        if row.exclude:
            params["exclude"] = list(row.exclude)
        label = printable(_label(record, own, n))
        chosen.append((position, Scenario(
            name=label, description=f"Row {n} of {printable(inventory)} (fleet review).",
            path=f"row-{n:05d}", prices=dict(row.prices),
            decisions={row.decision_id: params})))
    return chosen


def _skip_iri_grammars() -> None:
    """jsonschema, imported with nbformat, builds some forty IRI grammars on import when
    rfc3987_syntax is installed (several seconds of the summary's fixed cost); notebooks
    never use the "iri" format, so it is left out of this process (as report workers do)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


@contextlib.contextmanager
def _summary_kernel(kernel_name: str, out: Path) -> Iterator[Kernel | None]:
    """The summary notebook's kernel, started now so that it boots and loads what the
    notebook needs (:func:`archlib.fleet_summary.warm_up`) while the rows are evaluated, in
    ``out`` (the notebook reads ``results.parquet`` there; its path is in no notebook
    cell). None when it cannot start: the summary then starts a kernel of its own."""
    from .report.kernels import Kernel

    warm_up = (f"__import__('os').chdir({str(out.resolve())!r}); "
               "__import__('archlib.fleet_summary').fleet_summary.warm_up();")
    try:
        kernel: Kernel | None = Kernel.start(kernel_name, warm_up=warm_up)
    except Exception:  # e.g. an unknown kernel name: the summary says so when it runs
        kernel = None
    try:
        yield kernel
    finally:
        if kernel is not None:
            kernel.close()


#: Marks the workload table in the notebook's output (fleet_summary.workload_table).
_TABLE_CLASS = 'class="archlib-fleet-table"'


def _export_without_tables(exporter: Any, nb: Any, resources: dict[str, Any]) -> str:
    """The HTML page of ``nb`` with the workload tables put in after nbconvert is done:
    nbconvert re-parses the whole page (BeautifulSoup) to add image alt texts and focus
    attributes, which for a table of thousands of rows is most of the summary's time, and
    the table has neither images nor the cells it marks. Each table output is held back as
    a placeholder comment and put back as the kernel wrote it."""
    held: list[tuple[dict[str, Any], str]] = []
    # Mime types the exporter never renders (a chart's plotly JSON) are left out too, and
    # put back after: nbconvert deep-copies the notebook first, and they were most of it.
    from nbconvert.utils.base import NbConvertBase

    # (what the exporter's output filter reads, from the exporter's configuration)
    rendered = set(NbConvertBase(parent=exporter).display_data_priority)
    unrendered: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("text/html")
            if isinstance(text, str) and _TABLE_CLASS in text:
                held.append((data, text))
                data["text/html"] = f"<!--archlib-fleet-table-{len(held)}-->"
            unused = {mime: data.pop(mime) for mime in list(data) if mime not in rendered}
            if unused:
                unrendered.append((data, unused))
    try:
        body: str = exporter.from_notebook_node(nb, resources=resources)[0]
    finally:
        for data, text in held:
            data["text/html"] = text
        for data, unused in unrendered:
            data.update(unused)
    for n, (_, text) in enumerate(held, start=1):
        body = body.replace(f"<!--archlib-fleet-table-{n}-->", text, 1)
    return body


_EXPORTER: list[Any] = []
_EXPORTER_LOCK = threading.Lock()


def summary_exporter() -> Any:
    """The summary page's HTML exporter, made once per process with its templates
    compiled (a quarter of a second): :func:`review_inventory` has a thread make it while
    the rows are evaluated, when this process only waits for its workers."""
    with _EXPORTER_LOCK:
        if not _EXPORTER:
            import nbformat
            from nbconvert import HTMLExporter

            exporter = HTMLExporter(  # type: ignore[no-untyped-call]
                template_name="archlib", extra_template_basedirs=[str(TEMPLATE_DIR)],
                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
            v4: Any = nbformat.v4
            warm = v4.new_notebook(cells=[v4.new_markdown_cell("Warm-up")])
            exporter.from_notebook_node(warm, resources={  # compiles the templates
                "archlib": {"sources": [], "plotly_src": "", "plotly_inline": ""},
                "metadata": {"name": "warm-up"}})
            _EXPORTER.append(exporter)
        return _EXPORTER[0]


def summary_html(results_name: str, out: Path, *, inventory: str, group_by: str,
                 stamp: str, facts: dict[str, str], kernel_name: str = KERNEL_NAME,
                 timeout: int = 300, kernel: Kernel | None = None) -> tuple[str, str]:
    """Execute ``notebooks/fleet.ipynb`` on ``out/results_name`` (cwd ``out``: the notebook
    holds no absolute path) and render it with the report template: (HTML, notebook).
    ``kernel``: one started ahead in ``out`` (:func:`_summary_kernel`), else papermill
    starts one."""
    _skip_iri_grammars()
    import nbformat
    import papermill

    source = resource_dir("notebooks") / SUMMARY_NOTEBOOK
    parameters = {"results_path": results_name, "inventory_name": inventory,
                  "group_by": group_by}
    if kernel is not None and kernel.alive():
        from .report.kernels import register_engine

        nb = papermill.execute_notebook(
            str(source), None, parameters=parameters, engine_name=register_engine(),
            kernel_name=kernel_name, progress_bar=False, log_output=False,
            execution_timeout=timeout, km=kernel.km)
    else:
        with tempfile.TemporaryDirectory(prefix="archlib-fleet-") as run_dir:
            nb = papermill.execute_notebook(
                str(source), None, parameters=parameters,
                kernel_name=kernel_name, cwd=str(out), progress_bar=False, log_output=False,
                execution_timeout=timeout, config=ipc_config(run_dir))
    nb = clean_notebook(nb, SUMMARY_NOTEBOOK)
    nb.metadata["archlib"] = {"inventory": inventory, "version": __version__,
                              "generated_at": stamp}
    exporter = summary_exporter()
    resources = {"archlib": {
        "fleet": {"title": "Fleet review", "inventory": inventory, **facts},
        "version": __version__, "generated_at": stamp, "css": report_css(),
        "plotly_src": PLOTLY_ASSET, "plotly_inline": "", "sources": [],
    }, "metadata": {"name": f"Fleet review - {inventory}"}}
    body = _export_without_tables(exporter, nb, resources)
    return body, nbformat.writes(nb)  # type: ignore[no-untyped-call]


def _quietly(function: Any) -> None:
    """Run ``function`` ahead of need: should it fail, the caller's own call says why."""
    with contextlib.suppress(Exception):
        function()


def _write(out: Path, name: str, data: str | bytes) -> None:
    try:
        _files.write_into(out, name, data)
    except OSError as error:
        raise InputError(f"cannot write {name}: {error.strerror or error}", where="--out",
                         field=str(out)) from None


#: What the local workers that evaluate partitions import once, in their fork server.
WORKER_PRELOAD = ("archlib.fleet",)


def review_inventory(
    inventory: Path | str,
    out_dir: Path | str,
    *,
    reports: ReportMode = "flagged",
    group_by: str | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: FleetProgress | None = None,
    kernel_name: str = KERNEL_NAME,
) -> FleetOutcome:
    """Evaluate ``inventory`` and write the results, the summary and the reports into
    ``out_dir``. ``group_by``: the inventory's column to total savings by (default: its
    first own column). Raises :class:`InputError` for a bad inventory or option."""
    if reports not in REPORT_MODES:
        raise InputError(f"must be one of {', '.join(REPORT_MODES)} (got {reports!r:.40})",
                         where="--reports")
    name = Path(inventory).name
    frame = read_inventory(inventory)
    own = user_columns([str(c) for c in frame.columns])
    if group_by is not None and group_by not in own:
        listed = ", ".join(own) or "it has none"
        raise InputError(f"is not one of the inventory's own columns ({listed})",
                         where="--group-by", field=group_by)
    group = group_by if group_by is not None else (own[0] if own else "")
    out = Path(out_dir)
    try:
        _files.prepare_folder(out)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", where="--out",
                         field=str(out)) from None
    stamp = generated_at()
    _skip_iri_grammars()
    # One partition is quicker here than starting worker processes for it.
    local_small = executor == "local" and len(frame) <= PARTITION_ROWS
    # The workers' fork server imports archlib once while the summary kernel starts; each
    # worker is forked from it instead of importing everything itself. The workers' run
    # stops it; so does the review if it ends before that run.
    prestarted = (executor == "local" and not local_small
                  and start_fork_server(WORKER_PRELOAD))
    threading.Thread(target=_quietly, args=(summary_exporter,), name="archlib-exporter",
                     daemon=True).start()
    try:
        with _summary_kernel(kernel_name, out) as kernel:
            with make_executor(executor, workers=workers, scheduler=scheduler,
                               preload=WORKER_PRELOAD) as runner:
                results = evaluate_frame(frame, where=name, progress=progress,
                                         executor=InProcess() if local_small else runner)
                planned = _report_scenarios(frame, results, reports, name)
                outcome = None
                links = [""] * len(results)
                if planned:
                    outcome = build_reports([s for _, s in planned], out / REPORTS_DIR,
                                            workers=workers,
                                            executor="local" if executor == "local" else runner)
                    by_path = {(r.scenario, r.decision): r for r in outcome.rows}
                    for position, scenario in planned:
                        (decision_id,) = scenario.decisions
                        row = by_path.get((scenario.path, decision_id))
                        if row is not None and row.ok:
                            links[position] = f"{REPORTS_DIR}/{row.html_path}"
            results = results.assign(**{REPORT_COLUMN: links})
            _write(out, "results.csv", results.to_csv(index=False, lineterminator="\n"))
            buffer = io.BytesIO()
            results.to_parquet(buffer, index=False)
            _write(out, "results.parquet", buffer.getvalue())
            facts = {"rows": f"{len(results):,}", "flagged": f"{int(results['flagged'].sum()):,}",
                     "errors": f"{int(results['error'].notna().sum()):,}",
                     "reports": ("none" if outcome is None else
                                 f"{sum(r.ok for r in outcome.rows)} written ({reports})"),
                     "reports_index": f"{REPORTS_DIR}/index.html" if outcome is not None else ""}
            body, notebook = summary_html("results.parquet", out, inventory=name, group_by=group,
                                          stamp=stamp, facts=facts, kernel_name=kernel_name,
                                          kernel=kernel)
        _files.write_into(out, PLOTLY_ASSET, plotly_js(), skip_if_same=True)
        _write(out, SUMMARY_NOTEBOOK, notebook)
        _write(out, "index.html", body)
        return FleetOutcome(out, results, outcome)
    finally:
        if prestarted:
            stop_fork_server()

