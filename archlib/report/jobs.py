"""What goes to a worker and what comes back: the settings and jobs it is sent, the rows and
outcome of a batch, and a failure's one-line reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import _files
from .._engine import Evaluation
from .._errors import InputError, one_line, printable
from .._scenario import Scenario

if TYPE_CHECKING:
    from ..variants import VariantOutcome
    from .results import Comparison

__all__ = [
    "Job",
    "NotebookFailure",
    "ReportOutcome",
    "ReportProgress",
    "ReportRow",
    "Settings",
    "failure_reason",
    "row_line",
    "section_key",
]


@dataclass(frozen=True)
class Settings:
    """What every worker needs (picklable: sent once to each worker process)."""

    out_dir: str
    stamp: str
    self_contained: bool
    kernel_name: str
    cell_timeout: int
    start_timeout: int
    notebook_dir: str
    temp_dir: str  # the batch's temporary folder: workers and kernels keep their files here
    #: The price cache as the batch planned with it (file name, bytes, mtime in ns): each
    #: kernel reads a private copy (None: the cache folder itself).
    price_cache: tuple[tuple[str, bytes, int], ...] | None = None
    #: HTML the main process made for each report (its variants, what changed since the
    #: previous run), by :func:`section_key`; the template places it.
    sections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def section_key(scenario_path: str, decision_id: str) -> str:
    """The key of a report's entry in :attr:`Settings.sections`."""
    return f"{scenario_path}\n{decision_id}"


@dataclass(frozen=True)
class Job:
    index: int
    scenario: Scenario
    decision_id: str
    html_rel: str
    ipynb_rel: str
    warm_next: bool  # start the next kernel now: more jobs will follow on this worker
    #: The evaluation the main process made when planning: pickled to the worker, which
    #: renders it instead of evaluating the scenario again.
    evaluation: Evaluation | None = None


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
    #: ``<scenario folder>/<decision>``: the same report in another run has the same id.
    report_id: str = ""
    #: The scenario section's variants, evaluated (see :mod:`archlib.variants`).
    variants: tuple[VariantOutcome, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class ReportOutcome:
    out_dir: Path
    rows: tuple[ReportRow, ...] = field(default_factory=tuple)
    #: Against the previous run (``--compare-to``), or None.
    comparison: Comparison | None = None

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


def failure_reason(error: BaseException, where: str = "") -> str:
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
