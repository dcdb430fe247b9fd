"""One report: the executed notebook (papermill, parameters as data) rendered to HTML with
the project template (nbconvert, no code, no CDN), diagrams inlined."""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import re
import shutil
import sys
import tempfile
from typing import Any

from .. import __version__
from .._engine import Evaluation
from .._prestart import KERNELS_ENV
from .._scenario import Scenario
from ..summary import requirements_matrix_html, summary_band_html
from ..views import verdict_sentence
from .files import PLOTLY_ASSET, TEMPLATE_DIR, plotly_js, report_css
from .jobs import NotebookFailure, Settings, section_key
from .kernelpool import KernelParent, kernel_python, release, take_preforked
from .kernels import KERNEL_WARM_UP, Kernel, register_engine

__all__ = ["KERNELS_ENV", "Renderer", "clean_notebook", "export_machinery", "inline_diagrams",
           "kernel_parent", "notebook_parameters"]


def kernel_parent(settings: Settings, log_dir: str) -> KernelParent | None:
    """The worker's kernel parent (kernels forked from it, see :mod:`.kernelpool`), or None
    where kernels cannot be forked: not Linux, a kernelspec that is not an ipykernel of a
    Python on this machine, or ``ARCHLIB_REPORT_KERNELS=fresh``."""
    if os.environ.get(KERNELS_ENV, "fork") == "fresh":
        return None
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        python = kernel_python(KernelSpecManager().get_kernel_spec(settings.kernel_name).argv)
        if python is None:
            return None
        # a Dask worker forked warm has one already (see .daskwarmup)
        preforked = take_preforked(python, settings.start_timeout)
        if preforked is not None:
            return preforked
        return KernelParent(python, log_path=os.path.join(log_dir, "kernel-parent.txt"),
                            timeout_s=settings.start_timeout)
    except Exception:  # no such kernel (its jobs say why), or no subreaper: launched kernels
        return None


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


def clean_notebook(nb: Any, notebook_name: str) -> Any:
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


_DIAGRAM_IMG = re.compile(
    r'<img alt="(?P<alt>[^"]*)" src="data:image/svg\+xml;base64,(?P<b64>[A-Za-z0-9+/=]+)"\s*/?>')
# up to the first "</symbol>" (as ``.*?`` would, without trying it at every character)
_SYMBOL = re.compile(r'<symbol id="(?P<id>icon\.[0-9a-f]+)"[^<]*(?:<(?!/symbol>)[^<]*)*</symbol>')
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\n?")
_SPRITE = ('<svg class="archlib-icons" width="0" height="0" aria-hidden="true" '
           'style="position:absolute" xmlns="http://www.w3.org/2000/svg" '
           'xmlns:xlink="http://www.w3.org/1999/xlink"><defs>{}</defs></svg>')


def inline_diagrams(page: str) -> str:
    """Turn the notebook's self-contained diagram images into inline SVG that share one
    sprite of icons, so a report carries each icon once however many diagrams use it.
    (In a notebook every diagram stays self-contained; only the report is rewritten.)"""
    symbols: dict[str, str] = {}

    def take(symbol: re.Match[str]) -> str:
        symbols.setdefault(symbol["id"], symbol.group(0))
        return ""

    def inline(match: re.Match[str]) -> str:
        svg = base64.b64decode(match["b64"]).decode("utf-8")
        svg = _EMPTY_DEFS.sub("", _SYMBOL.sub(take, svg))
        # The alt text (already HTML-escaped) becomes the SVG's accessible name.
        return re.sub(r'aria-label="[^"]*"', f'aria-label="{match["alt"]}"', svg, count=1)

    page = _DIAGRAM_IMG.sub(inline, page)
    if not symbols:
        return page
    sprite = _SPRITE.format("".join(symbols[k] for k in sorted(symbols)))
    return page.replace("<main>", "<main>" + sprite, 1)


class Renderer:
    """Holds the papermill/nbconvert machinery, imported once per process, and the kernel
    warming up for the next notebook."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # The first kernel boots while this process imports papermill and nbconvert. If it
        # cannot start, each job tries again and its row says why.
        self._next: Kernel | None = None
        self._scratch = tempfile.mkdtemp(prefix="worker-")
        # With a kernel parent, it boots instead (and the first kernel is forked from it).
        self._parent = kernel_parent(settings, self._scratch)
        if self._parent is None:
            with contextlib.suppress(Exception):
                self._next = self._new_kernel_started()
        try:
            self._load()
        except BaseException:  # e.g. SIGTERM while loading: stop the kernel already started
            self.close()
            raise

    def _load(self) -> None:
        self.nbformat, self.papermill, self.engine, self.exporter = export_machinery()
        self.css = report_css()
        self.plotly_js = _script_text(plotly_js()) if self.settings.self_contained else ""
        self._inputs: dict[str, str] = {}

    def _input(self, notebook: str) -> str:
        """The decision notebook without its committed outputs, written once per worker:
        papermill reads a path, and the outputs it would read and validate for every report
        are replaced anyway."""
        if notebook not in self._inputs:
            nb = self.nbformat.read(
                os.path.join(self.settings.notebook_dir, notebook), as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
                    cell.execution_count = None
            path = os.path.join(self._scratch, notebook)
            self.nbformat.write(nb, path)
            self._inputs[notebook] = path
        return self._inputs[notebook]

    def _new_kernel(self) -> Kernel:
        return Kernel(self.settings.kernel_name, self._parent, KERNEL_WARM_UP,
                      self.settings.price_cache)

    def _new_kernel_started(self) -> Kernel:
        kernel = self._new_kernel()
        try:
            kernel._run_sync(kernel.start_async)()
        except Exception:
            if self._parent is None:
                raise
            self._parent.close()  # it failed or hung: launched kernels from now on
            self._parent = None
            return self._new_kernel_started()
        return kernel

    def _take_kernel(self) -> Kernel:
        kernel = self._next
        self._next = None
        if kernel is not None and not kernel.alive():
            kernel.close()
            kernel = None
        if kernel is None and self._parent is not None and not self._parent.alive():
            self._parent.close()  # it died: launched kernels from now on
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
        """The executed notebook, cleaned of what differs between runs."""
        return clean_notebook(self.run_notebook(ev, scenario, warm_next), ev.decision.notebook)

    def run_notebook(self, ev: Evaluation, scenario: Scenario, warm_next: bool) -> Any:
        """Papermill runs the decision's notebook with the scenario's parameters on a kernel
        started ahead."""
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
        return nb

    def render(self, ev: Evaluation, scenario: Scenario, *,
               warm_next: bool = False) -> tuple[str, str]:
        decision = ev.decision
        stamp = self.settings.stamp
        nb = self.execute(ev, scenario, warm_next)
        # Outputs are not checked as they arrive (see _skip_repeated_checks): the whole
        # notebook is, once, strictly (the exporter's own check allows more).
        self.nbformat.validate(nb)
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
            # issue 18: the answer first, then what each option meets (archlib.summary)
            "summary_html": summary_band_html(ev),
            "requirements_html": requirements_matrix_html(ev),
            # made in the main process: the scenario's variants side by side, and what
            # changed since the previous run (--compare-to)
            **{name: "" for name in ("variants_html", "since_html")},
            **self.settings.sections.get(section_key(scenario.path, decision.id), {}),
            "css": self.css,
            "plotly_src": f"../{PLOTLY_ASSET}",
            "plotly_inline": self.plotly_js,
            "index_href": "../index.html",
        }
        body, _ = self.exporter.from_notebook_node(
            nb, resources={"archlib": archlib_resources,
                           "metadata": {"name": f"{decision.id} - {scenario.name}"}})
        body = inline_diagrams(body)
        notebook_text: str = self.nbformat.writes(nb)
        return body, notebook_text

    def close(self) -> None:
        if self._next is not None:
            self._next.close()
            self._next = None
        if self._parent is not None:
            release(self._parent)
            self._parent = None
        shutil.rmtree(self._scratch, ignore_errors=True)


#: What papermill imports for storage archlib never reads from (hdfs:// through pyarrow).
_UNUSED_BY_PAPERMILL = ("pyarrow",)


@functools.cache
def export_machinery() -> tuple[Any, Any, str, Any]:
    """nbformat, papermill, the prestarted-kernel engine's name and the HTML exporter, once
    per process (or once per batch: the workers' fork server imports them, see
    :mod:`.warmup`). The exporter is warmed up: its template compiled, the markdown and HTML
    machinery loaded."""
    import nbformat

    from .htmlpass import StreamingHTMLExporter

    # papermill imports pyarrow (and with it NumPy) for hdfs:// paths only: 0.2-0.3 s of
    # the workers' warm-up. Blocked for that import, lifted after (a notebook may use it).
    blocked = [name for name in _UNUSED_BY_PAPERMILL if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import papermill
    finally:
        for name in blocked:
            del sys.modules[name]

    _skip_repeated_checks()
    engine = register_engine()
    # nbconvert's exporter, its closing Beautiful Soup pass streamed (same page, 0.1 CPU-s
    # less per report: see archlib.report.htmlpass)
    exporter = StreamingHTMLExporter(  # type: ignore[no-untyped-call]
        template_name="archlib",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # validated once, after its preprocessors (all but one disabled), not after each
        optimistic_validation=True,
    )
    v4: Any = nbformat.v4
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("## Warm-up\n\nText with `code`."),
        v4.new_code_cell("x", execution_count=1, outputs=[v4.new_output(
            "display_data", data={"text/html": "<table><tr><td>1</td></tr></table>",
                                  "text/plain": "1"})])])
    resources = {"archlib": {"sources": [], "plotly_src": "", "plotly_inline": ""},
                 "metadata": {"name": "warm-up"}}
    exporter.from_notebook_node(nb, resources=resources)
    return nbformat, papermill, engine, exporter


def _skip_repeated_checks() -> None:
    """Drop two per-report steps whose work is done again later (once per process, called
    by the cached :func:`export_machinery`): papermill serialises (and validates) the
    executed notebook only to discard it when, as here, there is no output path (the
    renderer writes the notebook itself); and nbclient validates each output against the
    notebook schema as it arrives, which :meth:`Renderer.render` does once for the whole
    notebook (so an invalid output still fails its row). Neither changes a byte of what is
    written."""
    import importlib

    from nbformat.v4 import nbbase

    execute: Any = importlib.import_module("papermill.execute")
    client: Any = importlib.import_module("nbclient.client")
    write_ipynb, output_from_msg = execute.write_ipynb, client.output_from_msg

    def write_unless_nowhere(nb: Any, path: Any) -> None:
        if path is not None:
            write_ipynb(nb, path)

    def output_unchecked(msg: Any) -> Any:
        check, nbbase.validate = nbbase.validate, _no_check
        try:
            return output_from_msg(msg)
        finally:
            nbbase.validate = check

    execute.write_ipynb = write_unless_nowhere
    client.output_from_msg = output_unchecked


def _no_check(node: Any, ref: Any = None) -> None:
    """In place of nbformat's validation of one output (see :func:`_skip_repeated_checks`)."""


def _script_text(js: str) -> str:
    """JavaScript made safe inside an inline <script> element."""
    return re.sub(r"(?i)</(script)", r"<\\/\1", js)


def _recommended_label(ev: Evaluation) -> str:
    """The title block's label: "Recommended" only for a clear verdict."""
    if ev.verdict is None:
        return "Recommended"
    return {"clear": "Recommended", "leaning": "Leaning towards (not firm)",
            "too-close-to-call": "Too close to call; ahead"}[ev.verdict.level]
