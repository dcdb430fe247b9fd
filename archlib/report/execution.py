"""Running the batch's jobs on an executor (:mod:`archlib._executors`): local worker
processes by default, or Dask tasks. A job is the plain call :func:`render_job` (a
picklable :class:`~archlib.report.jobs.Job`); each worker sets the renderer up once
(:func:`worker_setup`: papermill, nbconvert, the warm kernel), renders one report per job
and returns its content; this process writes the files, through a temporary name and a
rename, so a worker lost mid-job never leaves half a file."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import _files, decisions
from .._engine import Evaluation, evaluate
from .._executors import Failure, LocalProcesses, WorkerSetup
from .._prestart import worker_preload
from ..drawing import DIAGRAM_CACHE_ENV
from .files import NOTEBOOK_DIR
from .jobs import Job, Settings, failure_reason
from .rendering import Renderer

__all__ = ["DiagramPredraw", "price_cache_snapshot", "render_job", "report_setup", "run_jobs",
           "worker_setup", "worker_teardown"]


_RENDERER: Renderer | None = None
#: the batch's temporary folder (removed as the worker ends, if empty), then the worker's own
_TEMP_DIRS: list[str] = []
#: TMPDIR before the batch set it (a Dask worker lives on after the batch).
_TMPDIR_BEFORE: list[tuple[str | None, str | None]] = []
_DIAGRAMS = "diagrams"  # the batch's diagram cache, in its temporary folder
_CACHE_SET: list[str] = []  # the cache variable, when this batch set it


def worker_setup(settings: Settings) -> None:
    """Once per worker (a local worker process, or a Dask worker through a plugin)."""
    global _RENDERER
    if _RENDERER is not None:  # a Dask worker that serves a second batch
        worker_teardown()
    # On another machine (a Dask worker elsewhere) the batch's folders do not exist: a
    # temporary folder of its own, and the notebooks installed with archlib.
    if not os.path.isdir(settings.temp_dir):
        settings = dataclasses.replace(settings, temp_dir=tempfile.mkdtemp(prefix="archlib-"))
    if not os.path.isdir(settings.notebook_dir):
        settings = dataclasses.replace(settings, notebook_dir=str(NOTEBOOK_DIR))
    # Everything temporary (kernel folders, connection files, what a notebook leaves, killed
    # mid-cell) goes below a folder of this worker's in the batch's: the main process
    # removes the batch's, and should it be gone (SIGKILL), each worker removes its own as
    # it ends, its kernels dead, and the last one out the batch's.
    _TEMP_DIRS.append(settings.temp_dir)
    _TMPDIR_BEFORE.append((os.environ.get("TMPDIR"), tempfile.tempdir))
    _TEMP_DIRS.append(tempfile.mkdtemp(prefix="w", dir=settings.temp_dir))  # short: IPC paths
    os.environ["TMPDIR"] = tempfile.tempdir = _TEMP_DIRS[-1]
    # One cache of drawn diagrams per batch, shared by its workers' kernels (content-
    # addressed, see archlib.drawing); an empty ARCHLIB_DIAGRAM_CACHE turns it off.
    if DIAGRAM_CACHE_ENV not in os.environ:  # (a Dask worker's next batch: its own)
        os.environ[DIAGRAM_CACHE_ENV] = _batch_diagram_cache(settings.temp_dir)
        _CACHE_SET.append(DIAGRAM_CACHE_ENV)
    # The stamp is settled (settings.stamp); a value the main process ignored (empty) must
    # not reach the kernels, whose start-up reads it as a number.
    if not os.environ.get("SOURCE_DATE_EPOCH", "x").isdigit():
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    # Failures reach the index as one-line reasons; the libraries' own log lines would only
    # garble the progress bar.
    # (asyncio: a notebook interrupted by a stop signal leaves a "Kernel died" task, whose
    # traceback asyncio would print as the worker ends.)
    for name in ("papermill", "traitlets", "nbclient", "jupyter_client", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # jsonschema builds an IRI grammar on import when rfc3987_syntax is installed (1.5 s,
    # most of papermill's import time); notebooks never use the "iri" format.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    _RENDERER = Renderer(settings)


def worker_teardown(batch_folder: str | None = None) -> None:
    """As a worker ends: its kernels shut down, its folder removed, the batch's folder too
    if nothing else is in it (``batch_folder``: the one to try when the worker is stopped
    before its set-up made its own, the main process perhaps gone)."""
    global _RENDERER
    if batch_folder is not None and not _TEMP_DIRS:
        _TEMP_DIRS.append(batch_folder)
    renderer, _RENDERER = _RENDERER, None
    if renderer is not None:
        renderer.close()
    if len(_TEMP_DIRS) == 2:  # this worker's folder (also when the renderer was starting)
        shutil.rmtree(_TEMP_DIRS.pop(), ignore_errors=True)
    while _TEMP_DIRS:  # the last worker out, should the main be gone
        _remove_batch_folder(_TEMP_DIRS.pop())
    while _CACHE_SET:
        os.environ.pop(_CACHE_SET.pop(), None)
    while _TMPDIR_BEFORE:
        environ, tempfile.tempdir = _TMPDIR_BEFORE.pop()
        if environ is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = environ


def _remove_batch_folder(temp_dir: str, attempts: int = 20) -> None:
    """Remove the batch's folder unless another worker's folder is still in it (that
    worker removes it as it ends). The diagram cache goes too: a worker still running
    re-creates it as it draws, so this tries again while only the cache is in the way."""
    import time

    for _ in range(attempts):
        shutil.rmtree(_batch_diagram_cache(temp_dir), ignore_errors=True)
        try:
            os.rmdir(temp_dir)
            return
        except FileNotFoundError:
            return
        except OSError:
            with contextlib.suppress(OSError):
                if any(name != _DIAGRAMS for name in os.listdir(temp_dir)):
                    return
            time.sleep(0.05)


def price_cache_snapshot() -> tuple[tuple[str, bytes, int], ...]:
    """The files of the price cache folder as they are now (before any kernel of the batch
    runs): each kernel gets a private copy, so what a notebook writes there (or in the
    folder itself) reaches no other report."""
    from .._pricecache import cache_dir

    files = []
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(cache_dir()), key=lambda e: e.name):
            with contextlib.suppress(OSError):
                if entry.is_file():
                    files.append((entry.name, Path(entry.path).read_bytes(),
                                  entry.stat().st_mtime_ns))
    return tuple(files)


def _batch_diagram_cache(temp_dir: str) -> str:
    """The batch's diagram cache when none is set: where the workers' kernels look
    (:func:`worker_setup`) and the main process predraws (:class:`DiagramPredraw`)."""
    return os.path.join(temp_dir, _DIAGRAMS)


class DiagramPredraw:
    """Draw the batch's diagrams in this process, in a background thread, into the batch's
    diagram cache, while the workers' fork server warms up (one core is otherwise idle
    then; the batch stops it as the first report comes in): the kernels then find most of
    their diagrams drawn (Graphviz is 0.15 CPU-s of a report). The cache is content-
    addressed and every entry is verified as it is read (:mod:`archlib.drawing`), so what a
    kernel shows is what it would have drawn itself; a diagram not drawn yet, it draws.
    A context manager: it sets the cache variable (for this process and so for the
    workers, the folder they would have chosen) and, on exit, stops after the diagram it is
    drawing and restores it. Nothing happens when the cache is turned off (an empty
    :data:`DIAGRAM_CACHE_ENV`)."""

    def __init__(self, evaluations: Sequence[Evaluation], temp_dir: str) -> None:
        import threading

        self._evaluations = tuple(evaluations)
        self._folder = os.environ.get(DIAGRAM_CACHE_ENV, _batch_diagram_cache(temp_dir))
        self._set = DIAGRAM_CACHE_ENV not in os.environ
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draw, name="archlib-predraw",
                                        daemon=True)

    def __enter__(self) -> DiagramPredraw:
        if self._folder:
            if self._set:
                os.environ[DIAGRAM_CACHE_ENV] = self._folder
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._thread.is_alive():
            self._thread.join()
        if self._set and self._folder:
            os.environ.pop(DIAGRAM_CACHE_ENV, None)

    def stop(self) -> None:
        """Stop after the diagram being drawn (the kernels draw the rest themselves)."""
        self._stop.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait until every diagram is drawn (or ``timeout_s``); whether it is done."""
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _draw(self) -> None:
        from ..drawing import diagram_svg

        for ev in self._evaluations:  # in job order: the first jobs' diagrams first
            for option in ev.decision.options:
                if self._stop.is_set():
                    return
                with contextlib.suppress(Exception):  # a warm-up only: the kernel will say
                    diagram_svg(ev, option.id)


def report_setup(settings: Settings) -> WorkerSetup:
    return WorkerSetup(worker_setup, (settings,),
                       teardown=functools.partial(worker_teardown, settings.temp_dir))


def render_job(job: Job) -> tuple[str, str, str]:
    """Execute and render one job: (failure reason or "", HTML, notebook). Nothing is
    written here."""
    renderer = _RENDERER
    assert renderer is not None, "worker not initialised"
    try:
        ev = job.evaluation
        if ev is None:  # a job planned without one
            ev = evaluate(decisions.get(job.decision_id),
                          job.scenario.decisions[job.decision_id],
                          prices=job.scenario.prices, where=job.scenario.path)
        body, notebook_text = renderer.render(ev, job.scenario, warm_next=job.warm_next)
    except Exception as error:  # isolate: report the failure, go on with the rest
        return failure_reason(error, job.scenario.path), "", ""
    return "", body, notebook_text


def _write(out: Path, job: Job, result: tuple[str, str, str] | Failure) -> str:
    """Write one job's files (or remove an older run's, so nothing links to them); the
    row's failure reason or ""."""
    reason = result.reason if isinstance(result, Failure) else result[0]
    if not reason:
        assert not isinstance(result, Failure)
        try:
            _files.write_into(out, job.ipynb_rel, result[2])
            _files.write_into(out, job.html_rel, result[1])
        except OSError as error:
            reason = failure_reason(error, job.scenario.path)
    if reason:
        with contextlib.suppress(OSError):  # never link an older run's report
            for stale in (job.ipynb_rel, job.html_rel):
                _files.remove_from(out, stale)
    return reason


def run_jobs(jobs: Sequence[Job], settings: Settings, pool_size: int,
             runner: Any = None) -> Iterator[tuple[int, str]]:
    """Run the jobs on ``runner`` (default: ``pool_size`` local worker processes) and
    write their files; yields (job index, failure reason or "") as each finishes. A worker
    that dies fails only the job it was running (on Dask: after the retries)."""
    out = Path(settings.out_dir)
    if settings.price_cache is None:
        settings = dataclasses.replace(settings, price_cache=price_cache_snapshot())
    setup = report_setup(settings)
    if runner is None:
        runner = LocalProcesses(pool_size, setup=setup, name="archlib-report-worker",
                                preload=worker_preload())
        results = runner.run(render_job, [(job,) for job in jobs])
    else:
        results = runner.run(render_job, [(job,) for job in jobs], setup=setup)
    for i, result in results:
        yield jobs[i].index, _write(out, jobs[i], result)
