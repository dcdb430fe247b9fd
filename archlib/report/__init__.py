"""Batch reports: the only module that calls papermill and nbconvert.

For each scenario file and each decision it names: validate and evaluate in the main process
(for the index), then, in a pool of worker processes, execute the decision's notebook with
papermill (parameters as data) and render it to HTML with the project template (no code, no
CDN). Every file is written through a temporary name and a rename, so a killed run never
leaves a half-written report; a scenario or notebook that fails is a failed row in the index
and the rest still run.

Where the time goes, and what each worker does about it:

- imports (papermill, nbconvert): paid once per worker, not once per notebook;
- kernel start-up: each worker keeps a kernel parent that has imported ipykernel and
  archlib's notebook modules and run each decision's first evaluation; every notebook gets a
  new kernel process forked from it (:mod:`.kernelpool`: process isolation at no start-up
  cost), forked while the previous notebook runs; no fixed waits at start-up or shutdown;
- diagrams: Graphviz draws each distinct diagram once per batch (a content-addressed cache
  shared by the batch's kernels, see :mod:`archlib.drawing`);
- HTML export: one ``HTMLExporter`` (and its compiled template) per worker, in-process.
"""

from __future__ import annotations

from .files import NOTEBOOK_DIR, PLOTLY_ASSET, TEMPLATE_DIR, generated_at, write_atomic
from .index import INDEX_COLUMNS, IndexColumn, index_html
from .jobs import NotebookFailure, ReportOutcome, ReportProgress, ReportRow, row_line
from .kernels import CELL_TIMEOUT_S, KERNEL_NAME, START_TIMEOUT_S, warm_kernel
from .notebooks import refresh_notebooks
from .planning import build_reports, default_workers, max_workers
from .rendering import KERNELS_ENV, inline_diagrams, notebook_parameters

__all__ = [
    "CELL_TIMEOUT_S",
    "INDEX_COLUMNS",
    "KERNELS_ENV",
    "KERNEL_NAME",
    "NOTEBOOK_DIR",
    "PLOTLY_ASSET",
    "START_TIMEOUT_S",
    "TEMPLATE_DIR",
    "IndexColumn",
    "NotebookFailure",
    "ReportOutcome",
    "ReportProgress",
    "ReportRow",
    "build_reports",
    "default_workers",
    "generated_at",
    "index_html",
    "inline_diagrams",
    "max_workers",
    "notebook_parameters",
    "refresh_notebooks",
    "row_line",
    "warm_kernel",
    "write_atomic",
]
