"""Batch reports: the only module that calls papermill and nbconvert.

For each scenario file and each decision it names: validate and evaluate in the main process
(for the index), then, in a pool of worker processes, execute the decision's notebook with
papermill (parameters as data) and render it to HTML with the project template (no code, no
CDN). Every file is written through a temporary name and a rename, so a killed run never
leaves a half-written report; a scenario or notebook that fails is a failed row in the index
and the rest still run.

Where the time goes, and what each worker does about it:

- imports (papermill, nbconvert): paid once per worker, not once per notebook;
- kernel start-up: the next notebook's kernel is started, with archlib's notebook modules
  already imported, while the current notebook runs, so a notebook starts on a warm kernel;
- HTML export: one ``HTMLExporter`` (and its compiled template) per worker, in-process.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import html
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from . import __version__, _files, decisions
from ._engine import Evaluation, evaluate
from ._errors import InputError, one_line, printable
from ._kernelpool import Kernel as _Kernel
from ._scenario import Scenario, load_scenario
from .views import _share, verdict_sentence
from .workbook import resource_dir

__all__ = [
    "CELL_TIMEOUT_S",
    "INDEX_COLUMNS",
    "START_TIMEOUT_S",
    "IndexColumn",
    "NotebookFailure",
    "ReportOutcome",
    "ReportProgress",
    "ReportRow",
    "build_reports",
    "default_workers",
    "generated_at",
    "index_html",
    "max_workers",
    "refresh_notebooks",
    "row_line",
    "warm_kernel",
    "write_atomic",
]

# The package's notebooks and template (bundled in a wheel; the checkout's in a checkout).
NOTEBOOK_DIR = resource_dir("notebooks")
TEMPLATE_DIR = resource_dir("templates")
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 120  # per cell; a report notebook's slowest cell takes well under a second
START_TIMEOUT_S = 60  # kernel start-up, until it answers kernel_info
PLOTLY_ASSET = "assets/plotly.min.js"
#: ``fresh``: every batch kernel launched from scratch rather than forked (README, "Reports").
KERNELS_ENV = "ARCHLIB_REPORT_KERNELS"
#: Run by each batch kernel as it starts, before the notebook it will run is known (a
#: trailing ";" so it displays nothing and binds no name in the notebook's namespace).
_KERNEL_WARM_UP = "__import__('archlib.report').report.warm_kernel();"


def warm_kernel() -> None:
    """Pay in advance, in a kernel waiting for its notebook, the first-use costs every
    report notebook pays: archlib's notebook modules, plotly's figure validation and JSON
    encoding, the diagrams library. Nothing here depends on the notebook."""
    import importlib

    import plotly.graph_objects as go

    for module in ("archlib.notebook", "archlib.charts", "archlib.drawing", "archlib.views",
                   "diagrams", "diagrams.aws.network", "diagrams.aws.storage",
                   "diagrams.aws.compute", "diagrams.aws.database", "diagrams.aws.analytics",
                   "diagrams.onprem.network", "graphviz"):
        with contextlib.suppress(ImportError):  # the notebook will say if it needs it
            importlib.import_module(module)
    from .drawing import DIAGRAM_CACHE_ENV, graphviz_version

    if os.environ.get(DIAGRAM_CACHE_ENV):  # part of every diagram's cache key
        with contextlib.suppress(Exception):  # no Graphviz: the notebook will say so
            graphviz_version()
    go.Figure({
        "data": [{"type": "bar", "x": [1], "y": [1], "orientation": "h"},
                 {"type": "scatter", "x": [1], "y": [1], "mode": "lines"}],
        "layout": {"title": {"text": "t"}, "annotations": [{"text": "a"}],
                   "shapes": [{"type": "line"}], "legend": {"orientation": "h"},
                   "xaxis": {"title": {"text": "x"}}, "yaxis": {"title": {"text": "y"}}},
    }).to_json()


#: The last second a four-digit year can show (9999-12-31T23:59:59Z).
_LAST_EPOCH = 253_402_300_799
#: Names in the output folder that are not scenario folders.
_RESERVED_SLUGS = frozenset({"index.html", PLOTLY_ASSET.split("/", 1)[0]})


def _source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds): None when unset or empty, else whole
    ASCII seconds from 0 to 9999-12-31; anything else is an input error (the spec asks
    tools to refuse a malformed value rather than guess)."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 12
            and int(text) <= _LAST_EPOCH):
        raise InputError(f"must be whole seconds since 1970-01-01 UTC, from 0 to "
                         f"{_LAST_EPOCH} (got {text[:40]!r})", where="SOURCE_DATE_EPOCH")
    return int(text)


def generated_at() -> str:
    """The one timestamp in a report: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
    else now, in UTC. A malformed ``SOURCE_DATE_EPOCH`` is an :class:`InputError`."""
    epoch = _source_date_epoch()
    moment = (dt.datetime.now(tz=dt.UTC) if epoch is None
              else dt.datetime.fromtimestamp(epoch, tz=dt.UTC))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def default_workers() -> int:
    """The CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def max_workers() -> int:
    """The most workers a batch starts: four per core. Each worker holds up to two kernels
    (about 100 MB each), so more only compete for the same cores and memory."""
    return 4 * default_workers()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a file the user named (see :func:`archlib._files.write_file`):
    through a temporary file in the same folder and a rename; FIFOs and character devices
    are written straight through, never replaced."""
    _files.write_file(Path(path), data)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One scenario x decision of a batch (or one scenario file that failed to load)."""

    scenario: str  # the file as given
    scenario_name: str
    decision: str
    ok: bool
    reason: str = ""  # one line, when not ok
    recommended: str | None = None
    monthly_cost_usd: float | None = None
    runner_up: str | None = None
    score_gap: float | None = None
    prices_as_of: str = ""
    html_path: str = ""  # relative to the output folder
    ipynb_path: str = ""
    #: The evaluation behind the row (None when the scenario did not validate): index
    #: columns read what they show from it.
    evaluation: Evaluation | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReportOutcome:
    out_dir: Path
    rows: tuple[ReportRow, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failed(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if not r.ok)

    def summary_lines(self, *, failures_only: bool = False) -> list[str]:
        lines = [row_line(r) for r in self.rows if not (failures_only and r.ok)]
        done = sum(r.ok for r in self.rows)
        lines.append(f"{done} report(s) written, {len(self.rows) - done} failed; index: "
                     f"{self.out_dir / 'index.html'}")
        return lines


def row_line(r: ReportRow) -> str:
    """One line per row for logs."""
    if r.ok:
        return printable(f"ok      {r.scenario} {r.decision} -> {r.recommended or 'none'}"
                         f"  ({r.html_path})")
    what = r.scenario if r.decision == "-" else f"{r.scenario} {r.decision}"
    return one_line(f"FAILED  {what}: {r.reason}", limit=1000)


class ReportProgress(Protocol):
    """What :func:`build_reports` reports as it goes (the CLI draws a progress bar)."""

    def started(self, total: int) -> None: ...

    def finished(self, row: ReportRow) -> None: ...


class NotebookFailure(RuntimeError):
    """A notebook did not run to the end: timed out, or its kernel died or never started.
    ``str()`` is the one line the index shows."""


def _one_line(error: BaseException, where: str = "") -> str:
    """The reason a row failed, in one line (without the scenario file, which the row
    names already)."""
    name = getattr(error, "ename", None) or type(error).__name__
    value = getattr(error, "evalue", None) or str(error)
    text = f"{name}: {value}"
    if isinstance(error, NotebookFailure | _files.UnsafePathError):
        text = str(error)
    elif isinstance(error, InputError):
        text = (error.line() if error.where != where else
                InputError(error.problem, field=error.field).line())
    cell = getattr(error, "cell_index", None)
    if isinstance(cell, int):  # papermill's error for a cell that raised
        text = f"notebook cell {cell + 1} raised {text}"
    return one_line(" ".join(text.split()), limit=500)


# --- notebook parameters and the executed notebook ------------------------------------------


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


def _plotly_js() -> str:
    from .charts import plotly_js_source  # imports plotly: only when a batch runs

    return plotly_js_source()


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
        svg = re.sub(r"<defs>\s*</defs>\n?", "", _SYMBOL.sub("", svg))
        # The alt text (already HTML-escaped) becomes the SVG's accessible name.
        return re.sub(r'aria-label="[^"]*"', f'aria-label="{match["alt"]}"', svg, count=1)

    page = _DIAGRAM_IMG.sub(inline, page)
    if not symbols:
        return page
    sprite = _SPRITE.format("".join(symbols[k] for k in sorted(symbols)))
    return page.replace("<main>", "<main>" + sprite, 1)


# --- the worker side -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    """What every worker needs (picklable: sent once to each worker process)."""

    out_dir: str
    stamp: str
    self_contained: bool
    kernel_name: str
    cell_timeout: int
    start_timeout: int
    notebook_dir: str
    temp_dir: str  # the batch's temporary folder: workers and kernels keep their files here


@dataclass(frozen=True)
class _Job:
    index: int
    scenario: Scenario
    decision_id: str
    html_rel: str
    ipynb_rel: str
    warm_next: bool  # start the next kernel now: more jobs will follow on this worker


def _kernel_parent(settings: _Settings) -> Any:
    """The worker's kernel parent (kernels forked from it, see :mod:`archlib._kernelpool`),
    or None where kernels cannot be forked: not Linux, a kernelspec that is not an ipykernel
    of a Python on this machine, or ``ARCHLIB_REPORT_KERNELS=fresh``."""
    from . import _kernelpool

    if os.environ.get(KERNELS_ENV, "fork") == "fresh":
        return None
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        argv = KernelSpecManager().get_kernel_spec(settings.kernel_name).argv
        python = _kernelpool.kernel_python(argv)
        if python is None:
            return None
        return _kernelpool.KernelParent(
            python, log_path=os.path.join(settings.temp_dir, f"parent-{os.getpid()}.txt"))
    except Exception:  # no such kernel (its jobs say why), or no subreaper: fresh kernels
        return None


def _register_engine() -> str:
    """A papermill engine that runs on a kernel started ahead (``km=``) and closes its
    client afterwards; papermill's own engine expects to start and own the kernel."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    def running_cell(nb: Any) -> str:
        """The last cell papermill started (it marks it completed even when it raised)."""
        started = [i for i, cell in enumerate(nb.cells)
                   if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
        return f"notebook cell {started[-1] + 1}" if started else "a notebook cell"

    class PrestartedKernelEngine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *,
                                     km: Any, log_output: bool = False,
                                     start_timeout: int = START_TIMEOUT_S,
                                     execution_timeout: int = CELL_TIMEOUT_S,
                                     **kwargs: Any) -> Any:
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=log_output,
                store_widget_state=False, **kwargs)
            try:
                return client.execute()
            except CellTimeoutError:
                raise NotebookFailure(f"{running_cell(nb_man.nb)} timed out after "
                                      f"{execution_timeout} s (--cell-timeout)") from None
            except DeadKernelError:
                raise NotebookFailure(
                    f"the kernel died while running {running_cell(nb_man.nb)}") from None
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("archlib-prestarted", PrestartedKernelEngine)
    return "archlib-prestarted"


class _Renderer:
    """Holds the papermill/nbconvert machinery, imported once per process, and the kernel
    warming up for the next notebook."""

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        # The first kernel boots while this process imports papermill and nbconvert. If it
        # cannot start, each job tries again and its row says why.
        self._next: _Kernel | None = None
        self._scratch = tempfile.mkdtemp(prefix="worker-")
        self._parent = _kernel_parent(settings)
        if self._parent is None:
            with contextlib.suppress(Exception):
                self._next = self._new_kernel_started()
        try:
            self._load()
        except BaseException:  # e.g. SIGTERM while loading: stop the kernel already started
            self.close()
            raise

    def _load(self) -> None:
        import nbformat
        import papermill
        from nbconvert import HTMLExporter

        self.nbformat = nbformat
        self.papermill = papermill
        self.engine = _register_engine()
        self.exporter = HTMLExporter(  # type: ignore[no-untyped-call]
            template_name="archlib",
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self.css = _css()
        self.plotly_js = _script_text(_plotly_js()) if self.settings.self_contained else ""
        self._warm_exporter()
        self._inputs: dict[str, str] = {}

    def _warm_exporter(self) -> None:
        """Compile the template and load the markdown and HTML machinery now, while the
        first kernel boots, rather than during the first report."""
        v4 = self.nbformat.v4
        nb = v4.new_notebook(cells=[
            v4.new_markdown_cell("## Warm-up\n\nText with `code`."),
            v4.new_code_cell("x", execution_count=1, outputs=[v4.new_output(
                "display_data", data={"text/html": "<table><tr><td>1</td></tr></table>",
                                      "text/plain": "1"})])])
        resources = {"archlib": {"sources": [], "plotly_src": "", "plotly_inline": ""},
                     "metadata": {"name": "warm-up"}}
        self.exporter.from_notebook_node(nb, resources=resources)

    def _input(self, notebook: str) -> str:
        """The decision notebook without its committed outputs, written once per worker:
        papermill reads a path, and the outputs it would read and validate for every report
        are replaced anyway."""
        if notebook not in self._inputs:
            nb = self.nbformat.read(  # type: ignore[no-untyped-call]
                os.path.join(self.settings.notebook_dir, notebook), as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
                    cell.execution_count = None
            path = os.path.join(self._scratch, notebook)
            self.nbformat.write(nb, path)  # type: ignore[no-untyped-call]
            self._inputs[notebook] = path
        return self._inputs[notebook]

    def _new_kernel(self) -> _Kernel:
        return _Kernel(self.settings.kernel_name, self._parent, _KERNEL_WARM_UP)

    def _new_kernel_started(self) -> _Kernel:
        kernel = self._new_kernel()
        kernel._run_sync(kernel.start_async)()
        return kernel

    def _take_kernel(self) -> _Kernel:
        kernel = self._next
        self._next = None
        if kernel is not None and not kernel.alive():
            kernel.close()
            kernel = None
        if kernel is None and self._parent is not None and not self._parent.alive():
            self._parent.close()  # it died: fresh kernels from now on
            self._parent = None
        return kernel or self._new_kernel_started()

    async def _start_next_kernel(self, **_: Any) -> None:
        """Called as a notebook starts on its (ready) kernel: launch the next notebook's
        kernel now, so it boots and warms up while this notebook runs. (Not earlier: a cold
        first kernel would boot slower with a second one competing for the CPU.)"""
        kernel = self._new_kernel()
        try:
            await kernel.start_async()
        except Exception:  # the next job starts one itself, and says why if it cannot
            return
        self._next = kernel

    def execute(self, ev: Evaluation, scenario: Scenario, warm_next: bool) -> Any:
        decision = ev.decision
        kernel = self._take_kernel()
        try:
            try:
                nb = self.papermill.execute_notebook(
                    self._input(decision.notebook),
                    None,
                    parameters=notebook_parameters(ev, scenario),
                    engine_name=self.engine,
                    kernel_name=self.settings.kernel_name,
                    progress_bar=False,
                    log_output=False,
                    start_timeout=self.settings.start_timeout,
                    execution_timeout=self.settings.cell_timeout,
                    km=kernel.km,
                    on_notebook_start=self._start_next_kernel if warm_next else None,
                )
            except NotebookFailure:
                raise
            except RuntimeError as error:  # nbclient: the kernel died or never answered
                tail = kernel.stderr_tail()
                raise NotebookFailure(
                    f"kernel {self.settings.kernel_name!r} failed: {error}"
                    + (f" ({tail})" if tail else "")) from None
        finally:
            kernel.close()
        return _clean(nb, decision.notebook)

    def render(self, ev: Evaluation, scenario: Scenario, *,
               warm_next: bool = False) -> tuple[str, str]:
        decision = ev.decision
        stamp = self.settings.stamp
        nb = self.execute(ev, scenario, warm_next)
        nb.metadata["archlib"] = {
            "scenario": scenario.name, "decision": decision.id, "version": __version__,
            "prices_as_of": ev.prices_as_of, "generated_at": stamp,
        }
        nb.metadata["title"] = f"{decision.title} - {scenario.name}"
        archlib_resources = {
            "decision": decision.id,
            "decision_title": decision.title,
            "notebook": decision.notebook,
            "scenario_name": scenario.name,
            "scenario_description": scenario.description,
            "recommended": ev.recommended or "none (no feasible option)",
            "recommended_label": _recommended_label(ev),
            "verdict_level": ev.verdict.level if ev.verdict is not None else "none",
            "verdict": verdict_sentence(ev),
            "prices_as_of": ev.prices_as_of,
            "region": ev.prices.region,
            "version": __version__,
            "generated_at": stamp,
            "sources": [
                {"id": s.id, "title": s.title, "url": s.url, "seed_lines": s.seed_lines}
                for s in ev.sources
            ],
            "css": self.css,
            "plotly_src": f"../{PLOTLY_ASSET}",
            "plotly_inline": self.plotly_js,
            "index_href": "../index.html",
        }
        body, _ = self.exporter.from_notebook_node(
            nb, resources={"archlib": archlib_resources,
                           "metadata": {"name": f"{decision.id} - {scenario.name}"}})
        body = inline_diagrams(body)
        notebook_text: str = self.nbformat.writes(nb)  # type: ignore[no-untyped-call]
        return body, notebook_text

    def close(self) -> None:
        if self._next is not None:
            self._next.close()
            self._next = None
        if self._parent is not None:
            self._parent.close()
            self._parent = None
        shutil.rmtree(self._scratch, ignore_errors=True)


def _script_text(js: str) -> str:
    """JavaScript made safe inside an inline <script> element."""
    return re.sub(r"(?i)</(script)", r"<\\/\1", js)


_RENDERER: _Renderer | None = None


def _worker_init(settings: _Settings) -> None:
    global _RENDERER
    # Everything temporary (kernel folders, connection files, diagrams) goes below the
    # batch's folder, which the main process removes whatever happened to this worker.
    os.environ["TMPDIR"] = tempfile.tempdir = settings.temp_dir
    # One cache of drawn diagrams per batch, shared by its kernels (see archlib.drawing).
    from .drawing import DIAGRAM_CACHE_ENV

    os.environ[DIAGRAM_CACHE_ENV] = os.path.join(settings.temp_dir, "diagrams")
    # The stamp is settled (settings.stamp); a value the main process ignored (empty) must
    # not reach the kernels, whose start-up reads it as a number.
    if not os.environ.get("SOURCE_DATE_EPOCH", "x").isdigit():
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    # Failures reach the index as one-line reasons; the libraries' own log lines would only
    # garble the progress bar.
    for name in ("papermill", "traitlets", "nbclient", "jupyter_client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # jsonschema builds an IRI grammar on import when rfc3987_syntax is installed (1.5 s,
    # most of papermill's import time); notebooks never use the "iri" format.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    _RENDERER = _Renderer(settings)


def _worker_run(job: _Job) -> tuple[int, str]:
    """Execute and render one job into the output folder; returns (index, failure reason or
    "")."""
    renderer = _RENDERER
    assert renderer is not None, "worker not initialised"
    out = Path(renderer.settings.out_dir)
    try:
        ev = evaluate(decisions.get(job.decision_id), job.scenario.decisions[job.decision_id],
                      prices=job.scenario.prices, where=job.scenario.path)
        body, notebook_text = renderer.render(ev, job.scenario, warm_next=job.warm_next)
        _files.write_into(out, job.ipynb_rel, notebook_text)
        _files.write_into(out, job.html_rel, body)
    except Exception as error:  # isolate: report the failure, go on with the rest
        with contextlib.suppress(OSError):  # never link an older run's report
            for stale in (job.ipynb_rel, job.html_rel):
                _files.remove_from(out, stale)
        return job.index, _one_line(error, job.scenario.path)
    return job.index, ""


_STOPPING: list[int] = []  # the signal that asked this worker to stop, once one has


def _exit_on_signal(signum: int, _frame: Any) -> None:
    # Raised wherever the worker is, to interrupt a running notebook. Should a library
    # swallow it (a __del__, a broad except), the flag ends the worker after this job.
    _STOPPING.append(signum)
    raise SystemExit(128 + signum)


def _die_with_parent(parent_pid: int) -> None:
    """End this worker (SIGTERM: its kernels are shut down, its files removed) when the
    main process ends, however it ends, SIGKILL included."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    else:  # elsewhere: a watchdog thread
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, name="archlib-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # it ended before the signal was armed
        raise SystemExit(128 + signal.SIGTERM)


def _worker_main(conn: Any, settings: _Settings, parent_pid: int) -> None:
    """A worker process: takes one job at a time from ``conn`` and answers (index, failure
    reason or ""), until it receives None or the pipe closes."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    try:
        _die_with_parent(parent_pid)
        _worker_init(settings)
        while not _STOPPING:
            try:
                job = conn.recv()
                if job is None:
                    break
                conn.send(_worker_run(job))
            except (EOFError, OSError):  # the main process is gone
                break
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)  # let the clean-up finish
        if _RENDERER is not None:
            _RENDERER.close()
        with contextlib.suppress(OSError):  # the last worker out, should the main be gone
            os.rmdir(settings.temp_dir)


# --- the batch -------------------------------------------------------------------------------


def _ok_row(ev: Evaluation, job: _Job) -> ReportRow:
    best = ev.option(ev.recommended) if ev.recommended else None
    second = ev.option(ev.runner_up) if ev.runner_up else None
    gap = (None if best is None or second is None or best.score is None
           or second.score is None else best.score - second.score)
    return ReportRow(job.scenario.path, job.scenario.name, job.decision_id, True, "",
                     ev.recommended, best.monthly_cost_usd if best else None, ev.runner_up,
                     gap, ev.prices_as_of, job.html_rel, job.ipynb_rel, evaluation=ev)


def _unique_slug(slug: str, used: set[str]) -> str:
    """Two files with the same stem (a/x.yaml, b/x.yaml) get distinct folders; none is
    named like the index or the assets folder."""
    candidate, n = slug, 1
    while candidate in used or candidate.casefold() in _RESERVED_SLUGS:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def build_reports(
    paths: Sequence[Path | str],
    out_dir: Path | str = "output",
    *,
    self_contained: bool = False,
    workers: int | None = None,
    cell_timeout: int = CELL_TIMEOUT_S,
    start_timeout: int = START_TIMEOUT_S,
    kernel_name: str = KERNEL_NAME,
    notebook_dir: Path | str = NOTEBOOK_DIR,
    progress: ReportProgress | None = None,
) -> ReportOutcome:
    """Report every decision of every scenario file into ``out_dir``, ``workers`` notebooks
    at a time (default: one per CPU core; at most :func:`max_workers`), each in its own
    kernel; one failure does not stop the others, nor does a worker process that dies.
    Returns what was written and what failed, and writes the index.
    Raises :class:`InputError` for bad options, a malformed ``SOURCE_DATE_EPOCH`` or an
    output folder that cannot be written.

    ``self_contained`` inlines plotly.js into every report (single files for e-mail) instead
    of sharing ``assets/plotly.min.js``. ``notebook_dir`` holds the decision notebooks.
    """
    for name, value in (("workers", workers), ("cell_timeout", cell_timeout),
                        ("start_timeout", start_timeout)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise InputError(f"must be a whole number >= 1 (got {value!r})", where="report",
                             field=name)
    out = Path(out_dir)
    stamp = generated_at()
    _writable(out, _files.prepare_folder, out)
    rows: list[ReportRow | None] = []  # in input order; None until its job finishes
    jobs: list[tuple[_Job, Evaluation]] = []
    used_slugs: set[str] = set()

    def add(row: ReportRow, index: int | None = None) -> None:
        if index is None:
            rows.append(row)
        else:
            rows[index] = row
        if progress is not None:
            progress.finished(row)

    planned: list[tuple[str, Scenario | InputError]] = []
    for path in paths:
        try:
            planned.append((str(path), load_scenario(path)))
        except InputError as error:
            planned.append((str(path), error))
        except Exception as error:  # a guard: whatever one file does, it fails alone
            planned.append((str(path), InputError(f"cannot load: {_one_line(error)}",
                                                  where=str(path))))
    if progress is not None:
        progress.started(sum(1 if isinstance(s, InputError) else len(s.decisions)
                             for _, s in planned))

    for where, scenario in planned:
        if isinstance(scenario, InputError):
            add(ReportRow(where, printable(Path(where).stem), "-", False,
                          _one_line(scenario, where)))
            continue
        slug = _unique_slug(scenario.slug, used_slugs)
        for decision_id, params in scenario.decisions.items():
            html_rel, ipynb_rel = f"{slug}/{decision_id}.html", f"{slug}/{decision_id}.ipynb"
            try:
                ev = evaluate(decisions.get(decision_id), params, prices=scenario.prices,
                              where=where)
            except InputError as error:
                for stale in (html_rel, ipynb_rel):
                    _files.remove_from(out, stale)
                add(ReportRow(where, scenario.name, decision_id, False,
                              _one_line(error, where)))
                continue
            jobs.append((_Job(len(rows), scenario, decision_id, html_rel, ipynb_rel,
                              warm_next=False), ev))
            rows.append(None)

    if jobs:
        pool_size = min(workers or default_workers(), max_workers(), len(jobs))
        # A worker warms a kernel up for its next job, except in the last round of jobs.
        jobs = [(dataclasses.replace(job, warm_next=n + pool_size < len(jobs)), ev)
                for n, (job, ev) in enumerate(jobs)]
        if not self_contained:
            _writable(out, _write_plotly_asset, out)
        by_index = {job.index: (job, ev) for job, ev in jobs}
        with tempfile.TemporaryDirectory(prefix="archlib-",
                                         ignore_cleanup_errors=True) as temp_dir:
            settings = _Settings(str(out), stamp, self_contained, kernel_name, cell_timeout,
                                 start_timeout, str(Path(notebook_dir).resolve()), temp_dir)
            for index, reason in _run_jobs([job for job, _ in jobs], settings, pool_size):
                job, ev = by_index[index]
                where = job.scenario.path
                add(_ok_row(ev, job) if not reason else
                    ReportRow(where, job.scenario.name, job.decision_id, False, reason,
                              prices_as_of=ev.prices_as_of, evaluation=ev), index)

    outcome = ReportOutcome(out, tuple(r for r in rows if r is not None))
    _writable(out, _files.write_into, out, "index.html", index_html(outcome, stamp))
    return outcome


def _writable(out: Path, write: Callable[..., None], *args: Any) -> None:
    """``write(*args)``, its OSError as one line about ``--out``."""
    try:
        write(*args)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", where="--out",
                         field=str(out)) from None


def _run_jobs(jobs: Sequence[_Job], settings: _Settings,
              pool_size: int) -> Iterator[tuple[int, str]]:
    """Run the jobs on ``pool_size`` fresh worker processes (spawned: no state inherited
    from the caller), one job per worker at a time; yields (job index, failure reason or
    "") as each finishes. A worker that dies fails only the job it was running, and a new
    worker takes the next job. However this generator ends (done, an exception, an
    interrupt, the main process killed), no worker outlives it."""
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("spawn")
    pending = deque(jobs)
    running: dict[Any, tuple[Any, _Job]] = {}  # connection -> (worker process, its job)
    workers: list[Any] = []

    def start_worker() -> None:
        here, there = context.Pipe()
        worker = context.Process(target=_worker_main, args=(there, settings, os.getpid()),
                                 name="archlib-report-worker", daemon=True)
        worker.start()
        there.close()
        workers.append(worker)
        give(here, worker)

    def give(conn: Any, worker: Any) -> None:
        if pending:
            job = pending.popleft()
            conn.send(job)
            running[conn] = (worker, job)
        else:
            conn.send(None)  # no more work: the worker shuts its kernels down and exits
            conn.close()

    finished = False
    try:
        for _ in range(min(pool_size, len(pending))):
            start_worker()
        while running:
            sentinels = {worker.sentinel: conn for conn, (worker, _) in running.items()}
            ready = wait([*running, *sentinels])
            for conn in {sentinels.get(r, r) for r in ready}:
                worker, job = running.pop(conn)
                try:
                    result = conn.recv() if conn.poll() else None
                except (EOFError, OSError):
                    result = None
                if result is not None:
                    yield result
                    give(conn, worker)
                    continue
                # The worker died (killed, out of memory, a kernel taking it down).
                conn.close()
                worker.join(5)
                for rel in (job.ipynb_rel, job.html_rel):
                    _files.remove_temporaries(Path(settings.out_dir), rel)
                yield job.index, f"worker process died ({_exit_status(worker.exitcode)})"
                if pending:
                    start_worker()
        finished = True
    finally:
        _stop(workers, finished=finished)
        for conn in running:
            conn.close()


def _exit_status(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _stop(workers: Sequence[Any], *, finished: bool, grace_s: float = 20.0) -> None:
    """End every worker. After a finished batch they are ending by themselves (they were
    told to stop); otherwise each gets SIGTERM at once (it shuts its kernels down). Any
    still alive after ``grace_s`` gets SIGKILL."""
    import time

    deadline = time.monotonic() + grace_s
    for worker in workers:
        if not finished and worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(max(deadline - time.monotonic(), 0.1))
        if worker.is_alive():
            worker.kill()
            worker.join(5)


def _write_plotly_asset(out: Path) -> None:
    _files.write_into(out, PLOTLY_ASSET, _plotly_js(), skip_if_same=True)


# --- the index -------------------------------------------------------------------------------


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


@dataclass(frozen=True)
class IndexColumn:
    """One column of the index: a header and the HTML of a successful row's cell (failed
    rows show their reason across the columns instead). Add a column by adding one."""

    header: str
    cell: Callable[[ReportRow], str]
    numeric: bool = False


def _code(text: str | None) -> str:
    return f"<code>{html.escape(text)}</code>" if text else "-"


def _links(r: ReportRow) -> str:
    e = html.escape
    return (f'<a href="{e(r.html_path)}">report</a> · '
            f'<a href="{e(r.ipynb_path)}">notebook</a>')


def _recommended_label(ev: Evaluation) -> str:
    """The title block's label: "Recommended" only for a clear verdict."""
    if ev.verdict is None:
        return "Recommended"
    return {"clear": "Recommended", "leaning": "Leaning towards (not firm)",
            "too-close-to-call": "Too close to call; ahead"}[ev.verdict.level]


def _how_firm(r: ReportRow) -> str:
    """The verdict, styled: only "clear" reads as a firm answer."""
    ev = r.evaluation
    if ev is None or ev.verdict is None:
        return "-"
    level = ev.verdict.level
    return (f'<span class="verdict-{level}" title="{html.escape(verdict_sentence(ev))}">'
            f"<strong>{html.escape(level)}</strong></span>")


def _wins_in(r: ReportRow) -> str:
    """Share of sampled weightings in which the recommendation wins (robustness, issue 7)."""
    ev = r.evaluation
    if ev is None or ev.recommended is None:
        return "-"
    return _share(ev.robustness.win_probability[ev.recommended])


#: The columns after scenario and decision; another module may append to this list.
INDEX_COLUMNS: list[IndexColumn] = [
    IndexColumn("recommended", lambda r: _code(r.recommended or "none")),
    IndexColumn("monthly cost", lambda r: _usd(r.monthly_cost_usd), numeric=True),
    IndexColumn("runner-up", lambda r: _code(r.runner_up)),
    IndexColumn("score gap", lambda r: "-" if r.score_gap is None else f"{r.score_gap:.1f}",
                numeric=True),
    IndexColumn("how firm", _how_firm),
    IndexColumn("wins in (of sampled weightings)", _wins_in, numeric=True),
    IndexColumn("links", _links),
]


_NUM = ' class="num"'


def index_html(outcome: ReportOutcome, stamp: str) -> str:
    e = html.escape
    as_of = sorted({r.prices_as_of for r in outcome.rows if r.prices_as_of})
    columns = list(INDEX_COLUMNS)
    body: list[str] = []
    for r in outcome.rows:
        head = (f'<tr class="{"ok" if r.ok else "failed"}"><th scope="row">{e(r.scenario_name)}'
                f"<br><small>{e(printable(r.scenario))}</small></th><td>{_code(r.decision)}</td>")
        if r.ok:
            cells = "".join(f"<td{_NUM if c.numeric else ''}>{c.cell(r)}</td>"
                            for c in columns)
            body.append(f"{head}{cells}<td>ok</td></tr>")
        else:
            body.append(f'{head}<td colspan="{len(columns) + 1}" class="failed">failed: '
                        f"{e(r.reason)}</td></tr>")
    done = sum(r.ok for r in outcome.rows)
    failed = len(outcome.rows) - done
    headers = "".join(f"<th{_NUM if c.numeric else ''}>{e(c.header)}</th>"
                      for c in columns)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>archlib reports</title><style>{_css()}</style></head>"
        '<body class="archlib-index"><header class="archlib-title">'
        '<p class="archlib-kicker">archlib decision reports</p><h1>Reports</h1><dl>'
        f"<dt>archlib</dt><dd>{e(__version__)}</dd>"
        f"<dt>Prices as of</dt><dd>{e(', '.join(as_of) or '-')}</dd>"
        f"<dt>Reports</dt><dd>{done} written, {failed} failed</dd>"
        f'<dt>Generated</dt><dd class="archlib-generated">{e(stamp)}</dd></dl></header>'
        "<main><table><caption>One row per scenario and decision: the recommended option, "
        "its monthly cost, the runner-up, the score gap between them (points of 100), how "
        "firm the recommendation is (clear, leaning or too-close-to-call) and the share of "
        "sampled criterion weightings in which it still wins.</caption>"
        "<thead><tr><th>scenario</th><th>decision</th>"
        f"{headers}<th>status</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
        "</main></body></html>\n")


# --- committed notebooks ---------------------------------------------------------------------


def _stable_widget_ids(nb: Any) -> None:
    """A widget view's model id is random per run, and the model is not stored (no widget
    state), so the id refers to nothing: replace it with one derived from the cell, so that
    re-executing an unchanged notebook leaves the file unchanged."""
    import hashlib

    for cell in nb.cells:
        for n, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = hashlib.sha256(f"{cell['id']}/{n}".encode()).hexdigest()[:32]


def refresh_notebooks(names: Sequence[str] = (), folder: Path | str | None = None) -> list[Path]:
    """Re-create each committed ``notebooks/<name>.ipynb`` from its paired percent-format
    ``.py`` and execute it in place (kernel ``python3``), so committed outputs match the code
    (``folder``: another folder of notebook pairs). Cell ids, widget view ids and execution
    metadata are made stable, widget state is not stored: re-running an unchanged notebook
    rewrites the same bytes (on the same Python)."""
    import jupytext
    from nbclient import NotebookClient

    sources = sorted(Path(folder or NOTEBOOK_DIR).glob("*.py"))
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
                           record_timing=False,  # no per-cell timestamps in git
                           resources={"metadata": {"path": cwd}},
                           config=_ipc_config(cwd)).execute()
        target = source.with_suffix(".ipynb")
        nb.metadata.pop("widgets", None)
        nb.metadata.get("language_info", {}).pop("version", None)  # the same on every Python
        _stable_widget_ids(nb)
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written
