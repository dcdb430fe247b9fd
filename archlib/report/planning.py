"""The batch: load every scenario file, evaluate each decision it names (for the index), plan
the jobs, run them on the workers and write the index."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import _files, decisions
from .._engine import Evaluation, evaluate
from .._errors import InputError, printable
from .._executors import EXECUTORS, DaskExecutor
from .._prestart import dask_worker_preload, prestart_workers, stop_workers
from .._scenario import Scenario, load_scenario
from ..variants import VariantOutcome, evaluate_variants, variants_html
from .execution import DiagramPredraw, run_jobs
from .files import NOTEBOOK_DIR, generated_at, unique_slug, writable, write_plotly_asset
from .index import index_html
from .jobs import (
    Job,
    ReportOutcome,
    ReportProgress,
    ReportRow,
    Settings,
    failure_reason,
    section_key,
)
from .kernels import CELL_TIMEOUT_S, KERNEL_NAME, START_TIMEOUT_S
from .results import RESULTS_FILE, Comparison, compare_row, read_previous, results_json, since_html

__all__ = ["build_reports", "default_workers", "max_workers"]


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


def _report_id(html_rel: str) -> str:
    return html_rel.removesuffix(".html")


def _ok_row(ev: Evaluation, job: Job, variants: tuple[VariantOutcome, ...] = ()) -> ReportRow:
    best = ev.option(ev.recommended) if ev.recommended else None
    second = ev.option(ev.runner_up) if ev.runner_up else None
    gap = (None if best is None or second is None or best.score is None
           or second.score is None else best.score - second.score)
    return ReportRow(job.scenario.path, job.scenario.name, job.decision_id, True, "",
                     ev.recommended, best.monthly_cost_usd if best else None, ev.runner_up,
                     gap, ev.prices_as_of, job.html_rel, job.ipynb_rel, evaluation=ev,
                     report_id=_report_id(job.html_rel), variants=variants)


def build_reports(
    paths: Sequence[Path | str | Scenario],
    out_dir: Path | str = "output",
    *,
    self_contained: bool = False,
    workers: int | None = None,
    cell_timeout: int = CELL_TIMEOUT_S,
    start_timeout: int = START_TIMEOUT_S,
    kernel_name: str = KERNEL_NAME,
    notebook_dir: Path | str = NOTEBOOK_DIR,
    progress: ReportProgress | None = None,
    executor: str | Any = "local",
    scheduler: str | None = None,
    compare_to: Path | str | None = None,
) -> ReportOutcome:
    """Report every decision of every scenario file (or loaded :class:`Scenario`) into
    ``out_dir``, ``workers`` notebooks
    at a time (default: one per CPU core; at most :func:`max_workers`), each in its own
    kernel; one failure does not stop the others, nor does a worker process that dies.
    Returns what was written and what failed, and writes the index.
    Raises :class:`InputError` for bad options, a malformed ``SOURCE_DATE_EPOCH`` or an
    output folder that cannot be written.

    ``self_contained`` inlines plotly.js into every report (single files for e-mail) instead
    of sharing ``assets/plotly.min.js``. ``notebook_dir`` holds the decision notebooks.
    ``executor``: ``local`` (worker processes), ``dask`` (tasks on the cluster at
    ``scheduler``, or on a ``LocalCluster`` of ``workers`` processes), or a running
    :class:`archlib._executors.DaskExecutor` to share; the files are the same bytes.
    ``compare_to``: an older output folder; its ``results.json`` is read first (before
    anything is written, so it may be ``out_dir`` itself) and the index and each report
    mark what changed since (:mod:`archlib.report.results`).
    """
    for name, value in (("workers", workers), ("cell_timeout", cell_timeout),
                        ("start_timeout", start_timeout)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise InputError(f"must be a whole number >= 1 (got {value!r})", where="report",
                             field=name)
    _runner(executor, scheduler, 1)  # a bad --executor or --scheduler fails before any work
    previous = None if compare_to is None else read_previous(compare_to)
    out = Path(out_dir)
    stamp = generated_at()
    writable(out, _files.prepare_folder, out)
    rows: list[ReportRow | None] = []  # in input order; None until its job finishes
    jobs: list[tuple[Job, Evaluation]] = []
    used_slugs: set[str] = set()
    variants: dict[int, tuple[VariantOutcome, ...]] = {}  # by job index
    sections: dict[str, dict[str, str]] = {}  # the HTML the main process adds to reports

    def add(row: ReportRow, index: int | None = None) -> None:
        if index is None:
            rows.append(row)
        else:
            rows[index] = row
        if progress is not None:
            progress.finished(row)

    # issue 23: the workers' fork server warms up while this process plans (local workers,
    # or those of the LocalCluster a Dask run starts)
    prestarted = isinstance(executor, str) and prestart_workers(executor, scheduler)
    planned: list[tuple[str, Scenario | InputError]] = []
    for path in paths:
        if isinstance(path, Scenario):  # already loaded (a fleet review's flagged rows)
            planned.append((path.path, path))
            continue
        try:
            planned.append((str(path), load_scenario(path)))
        except InputError as error:
            planned.append((str(path), error))
        except Exception as error:  # a guard: whatever one file does, it fails alone
            planned.append((str(path), InputError(f"cannot load: {failure_reason(error)}",
                                                  where=str(path))))
    if progress is not None:
        progress.started(sum(1 if isinstance(s, InputError) else len(s.decisions)
                             for _, s in planned))

    for where, scenario in planned:
        if isinstance(scenario, InputError):
            add(ReportRow(where, printable(Path(where).stem), "-", False,
                          failure_reason(scenario, where)))
            continue
        slug = unique_slug(scenario.slug, used_slugs)
        for decision_id, params in scenario.decisions.items():
            html_rel, ipynb_rel = f"{slug}/{decision_id}.html", f"{slug}/{decision_id}.ipynb"
            try:
                decision = decisions.get(decision_id)
                if not (Path(notebook_dir) / decision.notebook).is_file():
                    raise InputError(f"no notebook {decision.notebook} in the notebooks folder "
                                     "(archlib.notebook_template.generate_notebook writes it)")
                ev = evaluate(decision, params, prices=scenario.prices, where=where)
                # The verdict (and the robustness it reads) is needed by the index here and
                # by the report's title block there: computed once, it travels with the
                # evaluation. The variants are evaluated here too, never in a kernel.
                _ = ev.verdict
                outcomes = evaluate_variants(scenario, decision_id, ev)
            except InputError as error:
                for stale in (html_rel, ipynb_rel):
                    _files.remove_from(out, stale)
                add(ReportRow(where, scenario.name, decision_id, False,
                              failure_reason(error, where), report_id=_report_id(html_rel)))
                continue
            job = Job(len(rows), scenario, decision_id, html_rel, ipynb_rel, warm_next=False,
                      evaluation=ev)
            variants[job.index] = outcomes
            since = ("" if previous is None else
                     since_html(compare_row(_ok_row(ev, job, outcomes), previous), previous))
            sections[section_key(scenario.path, decision_id)] = {
                "variants_html": variants_html(ev, outcomes), "since_html": since}
            jobs.append((job, ev))
            rows.append(None)

    if jobs:
        pool_size = min(workers or default_workers(), max_workers(), len(jobs))
        # A worker warms a kernel up for its next job, except in the last round of jobs.
        jobs = [(dataclasses.replace(job, warm_next=n + pool_size < len(jobs)), ev)
                for n, (job, ev) in enumerate(jobs)]
        if not self_contained:
            writable(out, write_plotly_asset, out)
        by_index = {job.index: (job, ev) for job, ev in jobs}
        with tempfile.TemporaryDirectory(prefix="archlib-",
                                         ignore_cleanup_errors=True) as temp_dir:
            settings = Settings(str(out), stamp, self_contained, kernel_name, cell_timeout,
                                 start_timeout, str(Path(notebook_dir).resolve()), temp_dir,
                                 sections=sections)
            # issue 23: the workers find most diagrams drawn (see DiagramPredraw), drawn
            # while they warm up: once reports come in, the cores are theirs. (Workers on
            # this machine: local ones, or a LocalCluster's, which use the same folder.)
            predraw = (DiagramPredraw([ev for _, ev in jobs], temp_dir)
                       if executor == "local" or (executor == "dask" and not scheduler)
                       else None)
            with (predraw or contextlib.nullcontext(),
                  _runner(executor, scheduler, pool_size) as runner):
                for index, reason in (run_jobs([job for job, _ in jobs], settings, pool_size)
                                      if runner is None else
                                      run_jobs([job for job, _ in jobs], settings, pool_size,
                                               runner)):
                    if predraw is not None:
                        predraw.stop()
                    job, ev = by_index[index]
                    where = job.scenario.path
                    add(_ok_row(ev, job, variants[index]) if not reason else
                        ReportRow(where, job.scenario.name, job.decision_id, False, reason,
                                  prices_as_of=ev.prices_as_of, evaluation=ev,
                                  report_id=_report_id(job.html_rel),
                                  variants=variants[index]), index)

    if prestarted and not jobs:
        stop_workers()  # (after a batch, run_jobs has stopped it)
    done = tuple(r for r in rows if r is not None)
    comparison = None if previous is None else Comparison.of(done, previous)
    outcome = ReportOutcome(out, done, comparison)
    writable(out, _files.write_into, out, RESULTS_FILE, results_json(outcome, stamp))
    writable(out, _files.write_into, out, "index.html", index_html(outcome, stamp))
    return outcome


def _runner(executor: str | Any, scheduler: str | None, pool_size: int) -> Any:
    """A context giving the executor to run on (None: the local worker processes)."""
    if not isinstance(executor, str):
        return contextlib.nullcontext(executor)
    if executor not in EXECUTORS:
        raise InputError(f"must be one of {', '.join(EXECUTORS)} (got {executor!r:.40})",
                         where="--executor")
    if executor == "local":
        if scheduler:
            raise InputError("needs --executor dask", where="--scheduler")
        return contextlib.nullcontext(None)
    return DaskExecutor(scheduler, workers=pool_size, preload=dask_worker_preload())
