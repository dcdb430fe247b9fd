"""What a batch's local workers are forked warm from, and starting that fork server before
anything else (issue 23): its warm-up (2-3 CPU-s of imports) is the batch's critical path,
so ``archlib report`` starts it before the command itself imports archlib and the CLI
(:mod:`archlib._launch`), and :func:`archlib.report.build_reports` when called from Python.
The fork server itself (:func:`start_fork_server`, used by
:class:`archlib._executors.LocalProcesses` too) is here for that reason: only the standard
library is imported."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence

__all__ = ["DASK_WARMUP_MODULE", "KERNELS_ENV", "WARMUP_MODULE", "dask_worker_preload",
           "fork_server_pid", "preloading_fork_server", "prestart_workers", "report_executor",
           "start_fork_server", "stop_fork_server", "stop_workers", "worker_preload"]

#: ``fresh``: every batch kernel launched from scratch rather than forked (README, "Reports").
KERNELS_ENV = "ARCHLIB_REPORT_KERNELS"
#: What the local workers' fork server imports once per batch (see :mod:`.report.warmup`).
WARMUP_MODULE = "archlib.report.warmup"
#: ... and that of a LocalCluster's Dask workers (see :mod:`.report.daskwarmup`).
DASK_WARMUP_MODULE = "archlib.report.daskwarmup"
#: The preload of the fork server this process started, while it runs.
_RUNNING: list[tuple[str, ...]] = []


def worker_preload() -> tuple[str, ...]:
    """The modules local workers are forked warm from: none when kernels are launched from
    scratch (``ARCHLIB_REPORT_KERNELS=fresh``: the path before issue 23, spawned workers)."""
    return () if os.environ.get(KERNELS_ENV, "fork") == "fresh" else (WARMUP_MODULE,)


def dask_worker_preload() -> tuple[str, ...]:
    """The modules the Dask workers of a ``LocalCluster`` started for batch reports are
    forked warm from (none, so spawned, with ``ARCHLIB_REPORT_KERNELS=fresh``)."""
    return () if os.environ.get(KERNELS_ENV, "fork") == "fresh" else (DASK_WARMUP_MODULE,)


def prestart_workers(executor: str = "local", scheduler: str | None = None) -> bool:
    """Start the batch workers' fork server now, so it imports and warms up while this
    process goes on (imports, plans the batch); whether it runs. For ``local`` workers (the
    batch's :class:`archlib._executors.LocalProcesses` run stops it) and for ``dask``
    without a scheduler (the ``LocalCluster``'s workers are forked from it: its
    :class:`archlib._executors.DaskExecutor` stops it); not for an existing cluster."""
    preload = (worker_preload() if executor == "local" else
               dask_worker_preload() if executor == "dask" and not scheduler else ())
    return bool(preload) and start_fork_server(preload)


def stop_workers() -> None:
    """Stop the fork server :func:`prestart_workers` started (a batch with no jobs: it is
    killed, even mid-warm-up, so the batch does not wait for it)."""
    stop_fork_server()


def report_executor(argv: Sequence[str]) -> str | None:
    """Which workers command-line arguments (after the program name) ask batch reports to
    run on, where they are this machine's: ``local`` (``report``, no ``--executor`` other
    than ``local``) or ``dask`` (``--executor dask`` without ``--scheduler``: a
    ``LocalCluster``); None for anything else, help included. A guess made before the CLI
    parses them: a wrong guess costs a fork server the command stops, or the 1 s head
    start."""
    if not argv or argv[0] != "report" or {"--help", "-h"} & set(argv):
        return None
    executor = "local"
    for i, arg in enumerate(argv):
        if arg == "--executor":
            executor = argv[i + 1] if i + 1 < len(argv) else ""
            break
        if arg.startswith("--executor="):
            executor = arg.partition("=")[2]
            break
    if executor == "dask" and any(a == "--scheduler" or a.startswith("--scheduler=")
                                  for a in argv):
        return None
    return executor if executor in ("local", "dask") else None


def start_fork_server(preload: Sequence[str]) -> bool:
    """Start (if not running) the fork server :class:`LocalProcesses` forks workers from
    when given ``preload``: a fresh interpreter (nothing inherited from this process but its
    environment) that imports ``preload`` once, in the background, while this process goes
    on (e.g. planning a batch). False where there is none (not Linux)."""
    import multiprocessing

    if not sys.platform.startswith("linux"):
        return False
    if _RUNNING and _RUNNING[0] != tuple(preload) and fork_server_pid() is not None:
        stop_fork_server()  # another preload's (say a Dask cluster's, then local workers)
    try:
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
        forkserver.ensure_running()
    except (ImportError, ValueError, OSError):
        return False
    _RUNNING[:] = [tuple(preload)]
    return True


def preloading_fork_server() -> bool:
    """Whether this process is a fork server importing its preload: the caller runs under
    ``multiprocessing.forkserver.main``, at import time. Only there may a warm-up module
    (:mod:`.report.warmup`, :mod:`.report.daskwarmup`) mark the process as one to fork
    kernel parents from and hook its forks: anywhere else it was imported by a process with
    state of its own (a test, a notebook, a documentation tool), whose kernel parents must
    be fresh interpreters, and whose own forks are not Dask workers."""
    forkserver = sys.modules.get("multiprocessing.forkserver")
    code = getattr(getattr(forkserver, "main", None), "__code__", None)
    frame = sys._getframe(1) if code is not None else None
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


def stop_fork_server() -> None:
    """Stop the fork server (the next batch starts its own, in its environment). Its
    workers are forked children: each has ended, or ends as its parent does.

    It is killed, not asked to exit: it holds no file or state anyone needs (its socket
    is removed here, and its warm-up writes no file), and a polite exit would tear down
    every module it preloaded, which took the batch's last 0.2-1 s; a server still
    importing its preload (a batch that planned no job) would keep the caller until its
    warm-up ends (about 3 s)."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    stop = getattr(server, "_stop", None)  # the standard library's own (for its tests)
    if stop is not None:
        pid = fork_server_pid()
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            stop()  # closes its "alive" pipe, reaps it, removes its socket
    _RUNNING.clear()


def fork_server_pid() -> int | None:
    """The running fork server's process id (None when there is none)."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    return pid if isinstance(pid, int) else None
