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

from .files import NOTEBOOK_DIR, PLOTLY_ASSET, TEMPLATE_DIR, generated_at, write_atomic
from .index import INDEX_COLUMNS, IndexColumn, index_html
from .jobs import NotebookFailure, ReportOutcome, ReportProgress, ReportRow, row_line
from .kernels import CELL_TIMEOUT_S, KERNEL_NAME, START_TIMEOUT_S, warm_kernel
from .notebooks import refresh_notebooks
from .planning import build_reports, default_workers, max_workers
from .rendering import inline_diagrams, notebook_parameters

__all__ = [
    "CELL_TIMEOUT_S",
    "INDEX_COLUMNS",
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
