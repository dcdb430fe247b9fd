"""The worker processes: each takes one job at a time, renders it and answers; a pool that
survives a worker dying and never outlives the batch."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import _files, decisions
from .._engine import evaluate
from ..drawing import DIAGRAM_CACHE_ENV
from .jobs import Job, Settings, failure_reason
from .rendering import Renderer

__all__ = ["run_jobs"]


_RENDERER: Renderer | None = None
_DIAGRAMS = "diagrams"  # the batch's diagram cache, in its temporary folder


def _worker_init(settings: Settings) -> None:
    global _RENDERER
    # Everything temporary (kernel folders, connection files, diagrams) goes below the
    # batch's folder, which the main process removes whatever happened to this worker.
    os.environ["TMPDIR"] = tempfile.tempdir = settings.temp_dir
    # One cache of drawn diagrams per batch, shared by its workers' kernels (content-
    # addressed, see archlib.drawing); an empty ARCHLIB_DIAGRAM_CACHE turns it off.
    os.environ.setdefault(DIAGRAM_CACHE_ENV, os.path.join(settings.temp_dir, _DIAGRAMS))
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
    _RENDERER = Renderer(settings)


def _worker_run(job: Job) -> tuple[int, str]:
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
        return job.index, failure_reason(error, job.scenario.path)
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


def _worker_main(conn: Any, settings: Settings, parent_pid: int) -> None:
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
            # (the diagram cache too: a worker still running re-creates it as it draws)
            shutil.rmtree(os.path.join(settings.temp_dir, _DIAGRAMS), ignore_errors=True)
            os.rmdir(settings.temp_dir)


def run_jobs(jobs: Sequence[Job], settings: Settings,
              pool_size: int) -> Iterator[tuple[int, str]]:
    """Run the jobs on ``pool_size`` fresh worker processes (spawned: no state inherited
    from the caller), one job per worker at a time; yields (job index, failure reason or
    "") as each finishes. A worker that dies fails only the job it was running, and a new
    worker takes the next job. However this generator ends (done, an exception, an
    interrupt, the main process killed), no worker outlives it."""
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("spawn")
    pending = deque(jobs)
    running: dict[Any, tuple[Any, Job]] = {}  # connection -> (worker process, its job)
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
