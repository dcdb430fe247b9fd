"""A PDF beside each HTML report, printed by headless Chromium (``archlib report --pdf``).

The browser is Debian's ``/usr/bin/chromium`` (or ``ARCHLIB_CHROMIUM``), driven through the
``playwright`` package; a browser is never downloaded (``playwright install`` is not used).
Printing is offline: every request other than ``file:`` and ``data:`` is refused. The report's
print stylesheet sets the margins and page numbers, keeps headings with what follows and
leaves out navigation; the page is laid out at the paper's printable width (so charts fit),
its ``beforeprint`` handler moves the other options' diagrams into an appendix, and a running
header repeats the page's title (decision and scenario).

``playwright`` is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

__all__ = ["CHROMIUM", "PAPER_SIZES", "Paper", "PdfError", "write_pdf", "write_pdfs"]

#: Debian's chromium; ARCHLIB_CHROMIUM names another executable of the same kind.
CHROMIUM = "/usr/bin/chromium"
#: The flags of the browser tests: headless, no sandbox (root in CI), no background traffic.
_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")

Paper = Literal["A4", "Letter"]
#: Paper width and height in millimetres.
PAPER_SIZES: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
#: Left plus right page margin in millimetres (report.css's @page rule).
_SIDE_MARGINS_MM = 22.0
_CSS_PX_PER_MM = 96 / 25.4

#: The running header (Chromium fills the ``title`` span with the page's title); the page
#: numbers are report.css's (@page), so a PDF printed from a browser has them too.
_HEADER = ('<div style="font: 8pt sans-serif; color: #5b6776; width: 100%; '
           'margin: 0 11mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis">'
           '<span class="title"></span></div>')
_FOOTER = "<span></span>"
#: What printing does in a browser: the print media, then the page's beforeprint handlers.
#: Then each chart is redrawn at the print height (report.css's ``html.archlib-pdf`` rules
#: drop the browser-print zoom): Chromium weighs a zoomed chart at its unzoomed height when
#: it keeps it on one page, which left half pages blank.
_BEFORE_PRINT = """async () => {
  window.dispatchEvent(new Event('beforeprint'));
  document.documentElement.classList.add('archlib-pdf');
  const charts = [...document.querySelectorAll('.archlib-chart.js-plotly-plot')];
  if (window.Plotly) {
    await Promise.all(charts.map(div => window.Plotly.relayout(div, %s)));
  }
  // A heading is a notebook cell of its own, and Chromium did not keep it with the next
  // cell (break-after: avoid): wrap the two, unbreakable, when the next is under half a page.
  for (const cell of document.querySelectorAll('.jp-MarkdownCell')) {
    const text = cell.querySelector('.jp-RenderedMarkdown');
    const next = cell.nextElementSibling;
    if (!text || !next || text.children.length !== 1
        || !/^H[234]$/.test(text.children[0].tagName)
        || next.getBoundingClientRect().height > 480) continue;
    const keep = document.createElement('div');
    keep.className = 'archlib-keep';
    keep.style.breakInside = 'avoid';
    cell.before(keep);
    keep.append(cell, next);
  }
}"""
#: The charts' layout in a PDF: a height in CSS px (about 57 mm) and smaller type.
PRINT_CHART_LAYOUT = {"height": 215, "font.size": 10, "title.font.size": 11,
                      "margin.t": 40}
_CHARTS_DRAWN = """() => [...document.querySelectorAll('.archlib-chart')]
  .every(div => div.querySelector('.main-svg') || div.textContent.includes('plotly'))"""


class PdfError(RuntimeError):
    """Printing failed: no browser, no playwright, or the browser could not print a page.
    The message is one line naming what to do."""


def write_pdf(html: str | Path, pdf: str | Path | None = None, *, paper: Paper = "A4",
              timeout_s: float = 60.0) -> Path:
    """Print the report ``html`` to ``pdf`` (default: the same name with ``.pdf``); returns
    the PDF's path."""
    return write_pdfs([html], paper=paper, timeout_s=timeout_s, targets=[pdf])[0]


def write_pdfs(htmls: Iterable[str | Path], *, paper: Paper = "A4", timeout_s: float = 60.0,
               targets: Iterable[str | Path | None] | None = None) -> list[Path]:
    """Print each report in ``htmls`` with one browser; ``targets`` (default: each HTML's
    path with ``.pdf``) are where the PDFs go. Returns the PDFs' paths, in order."""
    if paper not in PAPER_SIZES:
        raise PdfError(f"unknown paper size {paper!r} (known: {', '.join(PAPER_SIZES)})")
    sources = [Path(h) for h in htmls]
    wanted = list(targets) if targets is not None else [None] * len(sources)
    if len(wanted) != len(sources):
        raise ValueError("targets must name one PDF per HTML report")
    outputs = [Path(t) if t is not None else s.with_suffix(".pdf")
               for s, t in zip(sources, wanted, strict=True)]
    width_px = round((PAPER_SIZES[paper][0] - _SIDE_MARGINS_MM) * _CSS_PX_PER_MM)

    def print_all() -> None:
        with _browser() as browser:
            for source, output in zip(sources, outputs, strict=True):
                _print_one(browser, source, output, paper, width_px, timeout_s)

    # playwright's sync API refuses a thread that runs an asyncio loop (Jupyter, or another
    # playwright session): print from a thread of its own.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="archlib-pdf") as pool:
        pool.submit(print_all).result()
    return outputs


@contextmanager
def _browser() -> Iterator[Any]:
    executable = os.environ.get("ARCHLIB_CHROMIUM", CHROMIUM)
    if not os.access(executable, os.X_OK):
        raise PdfError(f"no Chromium at {executable}: install Debian's chromium "
                       "(apt-get install -y chromium) or set ARCHLIB_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError("printing PDFs needs the playwright package: "
                       "pip install 'archlib[pdf]'") from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=list(_ARGS))
        except Exception as error:  # playwright raises its own Error types
            raise PdfError(f"Chromium at {executable} did not start: "
                           f"{str(error).splitlines()[0]}") from None
        try:
            yield browser
        finally:
            browser.close()


def _print_one(browser: Any, source: Path, output: Path, paper: Paper, width_px: int,
               timeout_s: float) -> None:
    if not source.is_file():
        raise PdfError(f"{source}: no such HTML report")
    context = browser.new_context(viewport={"width": width_px, "height": 1000})
    try:
        page = context.new_page()
        # offline: the report's own files only (its plotly.js asset, data: URIs)
        page.route("**/*", lambda route: route.continue_()
                   if route.request.url.startswith(("file:", "data:")) else route.abort())
        timeout_ms = timeout_s * 1000
        page.goto(source.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        page.wait_for_function(_CHARTS_DRAWN, timeout=timeout_ms)
        page.emulate_media(media="print")
        page.evaluate(_BEFORE_PRINT % json.dumps(PRINT_CHART_LAYOUT))
        output.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(output), format=paper, print_background=True,
                 display_header_footer=True, header_template=_HEADER,
                 footer_template=_FOOTER,
                 margin={"top": "12mm", "bottom": "12mm", "left": "11mm", "right": "11mm"})
    except PdfError:
        raise
    except Exception as error:
        raise PdfError(f"{source}: printing failed: {str(error).splitlines()[0]}") from None
    finally:
        context.close()
