"""Executors: how a batch's jobs are distributed, to local worker processes or to Dask tasks.

A job is a plain picklable call, ``function(*args)`` with ``function`` defined at module
level, so what runs inside a worker (:mod:`archlib.report` rendering a report,
:mod:`archlib.fleet` evaluating a partition) can change without the executor changing. An
executor yields ``(job index, result)`` as jobs finish, in any order; a job that could not
finish (its worker died and the retries are spent, or the function raised) yields a
:class:`Failure` instead, which the caller turns into failed rows. Workers return content;
whoever writes files does it in the calling process (through a temporary name and a rename),
so a worker lost mid-job never leaves a half-written file.

- :class:`InProcess`: jobs one after another in this process (small batches, tests);
- :class:`LocalProcesses`: fresh spawned worker processes, one job per worker at a time,
  a per-worker ``setup`` run once (the report renderer's warm kernels). A worker that dies
  costs only its job (retried ``retries`` times on a new worker) and no worker outlives the
  batch, however it ends. With ``preload`` (Linux), the workers are forked from one fork
  server that imported those modules once (:func:`archlib._prestart.start_fork_server`),
  instead of each importing them again;
- :class:`DaskExecutor`: tasks on a ``dask.distributed`` cluster: an existing scheduler
  (``--scheduler ADDRESS``) or a ``LocalCluster`` it starts and stops. ``setup`` becomes a
  worker plugin (run once per Dask worker); the scheduler retries a task whose worker is
  lost, then it is a failure.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ._errors import InputError, one_line
from ._prestart import fork_server_pid, start_fork_server, stop_fork_server

__all__ = [
    "DEFAULT_RETRIES",
    "EXECUTORS",
    "DaskExecutor",
    "Executor",
    "Failure",
    "InProcess",
    "LocalProcesses",
    "WorkerSetup",
    "default_workers",
    "make_executor",
]

EXECUTORS = ("local", "dask")
#: Times a job whose worker was lost is run again before it counts as failed (Dask).
DEFAULT_RETRIES = 2
# A Dask run whose cluster has had no worker at all for this long fails its unfinished jobs
# (rows), instead of waiting for a worker that may never come.
NO_WORKER_TIMEOUT_S = 120.0
WORKER_POLL_S = 2.0


@dataclass(frozen=True)
class Failure:
    """A job that did not finish; ``reason`` is one line for the failed rows."""

    reason: str


@dataclass(frozen=True)
class WorkerSetup:
    """Run once in each worker before its first job (``function(*args)``, module level),
    and ``teardown()`` (module level, optional) when the worker ends."""

    function: Callable[..., None]
    args: tuple[Any, ...] = ()
    teardown: Callable[[], None] | None = None


class Executor(Protocol):
    """Runs jobs; see the module's docstring."""

    def run(self, function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]],
            setup: WorkerSetup | None = None) -> Iterator[tuple[int, Any]]:
        """``setup``: this run's per-worker set-up (instead of the executor's own)."""
        ...


def default_workers() -> int:
    """The CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _reason(error: BaseException) -> str:
    return one_line(f"{type(error).__name__}: {' '.join(str(error).split())}", limit=500)


# --- in this process ---------------------------------------------------------------------------


class InProcess:
    """Jobs one after another in this process; ``setup`` runs once, first."""

    def __init__(self, setup: WorkerSetup | None = None) -> None:
        self.setup = setup

    def run(self, function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]],
            setup: WorkerSetup | None = None) -> Iterator[tuple[int, Any]]:
        setup = setup or self.setup
        if setup is not None:
            setup.function(*setup.args)
        try:
            for i, args in enumerate(jobs):
                try:
                    yield i, function(*args)
                except Exception as error:
                    yield i, Failure(_reason(error))
        finally:
            if setup is not None and setup.teardown is not None:
                setup.teardown()


# --- local worker processes --------------------------------------------------------------------


_STOPPING: list[int] = []  # the signal that asked this worker to stop, once one has


def _exit_on_signal(signum: int, _frame: Any) -> None:
    # Raised wherever the worker is, to interrupt a running job. Should a library swallow
    # it (a __del__, a broad except), the flag ends the worker after this job.
    _STOPPING.append(signum)
    raise SystemExit(128 + signum)


def _die_with_parent(parent_pid: int) -> None:
    """End this worker (SIGTERM: its teardown runs) when the main process ends, however it
    ends, SIGKILL included."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    else:  # elsewhere: a watchdog thread
        import time

        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, name="archlib-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # it ended before the signal was armed
        raise SystemExit(128 + signal.SIGTERM)


@dataclass(frozen=True)
class _Forked:
    """What a worker forked from the fork server needs of its caller: the caller's
    environment as the run started (the server's is from when it started), a pipe that
    ends when the caller does (the fork server is the worker's parent, so its death signal
    cannot say it), and the caller's pid and temporary folder, removed by the workers when
    the caller was killed before it could."""

    environ: dict[str, str]
    caller_alive: Any  # the read end of a pipe only the caller writes to (never does)
    caller_pid: int
    caller_temp: str | None


def _watch_caller(forked: _Forked) -> None:
    """A thread: SIGTERM to this worker (its teardown runs) once the caller has ended."""
    def watch() -> None:
        with contextlib.suppress(OSError, EOFError):
            forked.caller_alive.poll(None)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="archlib-caller-watch", daemon=True).start()


def _remove_dead_callers_temp(forked: _Forked) -> None:
    """The caller's multiprocessing folder (the fork server's socket), should the caller
    have been killed: its own exit would have removed it."""
    if forked.caller_temp is None:
        return
    try:
        os.kill(forked.caller_pid, 0)
    except ProcessLookupError:
        import shutil

        shutil.rmtree(forked.caller_temp, ignore_errors=True)
    except OSError:
        pass


def _worker_main(conn: Any, setup: WorkerSetup | None, parent_pid: int,
                 forked: _Forked | None = None) -> None:
    """A worker process: runs ``setup``, then one job at a time from ``conn``, answering
    its result (or a :class:`Failure`), until it receives None or the pipe closes.
    ``forked``: this worker was forked from the fork server (see :class:`_Forked`)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    if forked is not None:
        os.environ.clear()
        os.environ.update(forked.environ)
    try:
        _die_with_parent(parent_pid)
        if setup is not None:
            setup.function(*setup.args)
        if forked is not None:  # after the set-up, which may fork (one thread only)
            _watch_caller(forked)
        while not _STOPPING:
            try:
                job = conn.recv()
                if job is None:
                    break
                function, args = job
                try:
                    result = function(*args)
                except Exception as error:  # isolate: the job fails, the worker goes on
                    result = Failure(_reason(error))
                conn.send(result)
            except (EOFError, OSError):  # the main process is gone
                break
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)  # let the clean-up finish
        if setup is not None and setup.teardown is not None:
            setup.teardown()
        if forked is not None:
            _remove_dead_callers_temp(forked)


def _exit_status(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _stop(workers: Sequence[Any], *, finished: bool, grace_s: float = 20.0) -> None:
    """End every worker. After a finished batch they are ending by themselves (they were
    told to stop); otherwise each gets SIGTERM at once (its teardown runs). Any still alive
    after ``grace_s`` gets SIGKILL."""
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


class LocalProcesses:
    """``workers`` fresh spawned processes (no state inherited from the caller), one job per
    worker at a time. ``on_lost(index)`` is called when a worker dies during job ``index``
    (e.g. to remove what it may have left); the job is then retried ``retries`` times on a
    new worker, then yields a :class:`Failure` naming how the worker ended.

    ``preload`` (module names): the workers are forked from a fork server that imported
    them once (:func:`archlib._prestart.start_fork_server`; it is stopped as the run ends), so
    what they import costs once per run rather than once per worker; each worker is still a process
    of its own, given the caller's environment as the run starts. Elsewhere than Linux they
    are spawned."""

    def __init__(self, workers: int | None = None, *, setup: WorkerSetup | None = None,
                 retries: int = 0, on_lost: Callable[[int], None] | None = None,
                 name: str = "archlib-worker", preload: Sequence[str] = ()) -> None:
        self.workers = workers or default_workers()
        self.setup = setup
        self.retries = retries
        self.on_lost = on_lost
        self.name = name
        self.preload = tuple(preload)

    def run(self, function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]],
            setup: WorkerSetup | None = None) -> Iterator[tuple[int, Any]]:
        """However this generator ends (done, an exception, an interrupt, the main process
        killed), no worker outlives it."""
        import multiprocessing
        from multiprocessing.connection import wait

        setup = setup or self.setup
        context: Any = multiprocessing.get_context("spawn")
        parent_pid, forked = os.getpid(), None
        started = bool(self.preload) and bool(jobs) and start_fork_server(self.preload)
        server_pid = fork_server_pid() if started else None
        caller_alive = None
        if server_pid is not None:  # workers are the fork server's children
            context = multiprocessing.get_context("forkserver")
            watch_end, caller_alive = context.Pipe(duplex=False)
            parent_pid = server_pid
            config = getattr(multiprocessing.current_process(), "_config", {})
            forked = _Forked(dict(os.environ), watch_end, os.getpid(), config.get("tempdir"))
        elif started:
            stop_fork_server()
        pending = deque(range(len(jobs)))
        attempts = [0] * len(jobs)
        running: dict[Any, tuple[Any, int]] = {}  # connection -> (worker process, job)
        workers: list[Any] = []

        def start_worker() -> None:
            here, there = context.Pipe()
            worker = context.Process(target=_worker_main,
                                     args=(there, setup, parent_pid, forked),
                                     name=self.name, daemon=True)
            worker.start()
            there.close()
            workers.append(worker)
            give(here, worker)

        def give(conn: Any, worker: Any) -> None:
            if pending:
                index = pending.popleft()
                conn.send((function, jobs[index]))
                running[conn] = (worker, index)
            else:
                conn.send(None)  # no more work: the worker tears down and exits
                conn.close()

        finished = False
        try:
            for _ in range(min(self.workers, len(jobs))):
                start_worker()
            while running:
                sentinels = {worker.sentinel: conn for conn, (worker, _) in running.items()}
                ready = wait([*running, *sentinels])
                for conn in {sentinels.get(r, r) for r in ready}:
                    worker, index = running.pop(conn)
                    try:
                        result = conn.recv() if conn.poll() else None
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        yield index, result
                        give(conn, worker)
                        continue
                    # The worker died (killed, out of memory, a kernel taking it down).
                    conn.close()
                    worker.join(5)
                    if self.on_lost is not None:
                        self.on_lost(index)
                    attempts[index] += 1
                    if attempts[index] <= self.retries:
                        pending.appendleft(index)
                    else:
                        yield index, Failure(
                            f"worker process died ({_exit_status(worker.exitcode)})")
                    if pending:
                        start_worker()
            finished = True
        finally:
            _stop(workers, finished=finished)
            for conn in running:
                conn.close()
            if server_pid is not None:
                stop_fork_server()
            if forked is not None and caller_alive is not None:
                caller_alive.close()
                forked.caller_alive.close()


# --- Dask ------------------------------------------------------------------------------------


_SERIAL = threading.Lock()


def _one_at_a_time(function: Callable[..., Any], *args: Any) -> Any:
    """A job on a Dask worker: one at a time per worker process, whatever its thread count
    (a worker's setup, e.g. a warm kernel, serves one job at a time)."""
    with _SERIAL:
        return function(*args)


def _setup_plugin(setup: WorkerSetup, name: str) -> Any:
    from distributed import WorkerPlugin

    class ArchlibSetup(WorkerPlugin):
        """Runs the executor's ``setup`` once per Dask worker, ``teardown`` as it closes."""

        def __init__(self, job_setup: WorkerSetup, name: str) -> None:
            self.job_setup = job_setup
            self.name = name

        def setup(self, worker: Any) -> None:
            self.job_setup.function(*self.job_setup.args)

        def teardown(self, worker: Any) -> None:
            if self.job_setup.teardown is not None:
                self.job_setup.teardown()

    return ArchlibSetup(setup, name)


class DaskExecutor:
    """Jobs as tasks on a ``dask.distributed`` cluster: ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786``) or, without it, a ``LocalCluster`` of ``workers`` processes
    (one thread each) started for the batch and stopped after it. A task whose worker is
    lost is retried ``retries`` times on another worker (the scheduler's
    ``allowed-failures``: set for the ``LocalCluster``; an existing scheduler keeps its own),
    then yields a :class:`Failure`; so does every unfinished job once the cluster has had
    no worker at all for ``no_worker_timeout_s`` (nannies that could not restart theirs).
    Use as a context manager; :class:`InputError` when the scheduler cannot be reached or
    ``distributed`` is not installed."""

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None,
                 setup: WorkerSetup | None = None, retries: int = DEFAULT_RETRIES,
                 connect_timeout_s: float = 30.0,
                 no_worker_timeout_s: float = NO_WORKER_TIMEOUT_S,
                 preload: Sequence[str] = ()) -> None:
        self.scheduler = scheduler
        self.preload = tuple(preload)
        self._fork_server = False
        self._config: Any = None
        self.no_worker_timeout_s = no_worker_timeout_s
        self.workers = workers or default_workers()
        self.setup = setup
        self.retries = retries
        self.connect_timeout_s = connect_timeout_s
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskExecutor:
        try:
            import distributed
        except ImportError:
            raise InputError("needs the dask extra: pip install 'archlib[dask]'",
                             where="--executor dask") from None
        import logging

        for name in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)  # rows carry the failures
        try:
            if self.scheduler:
                self.client = distributed.Client(  # type: ignore[no-untyped-call]
                    self.scheduler, timeout=self.connect_timeout_s)
            else:
                import dask

                # A task whose worker dies is given to another this many more times; a worker
                # holds only the task it runs (saturation 1.0: the default 1.1 queues a second
                # one on a one-thread worker), so a job that kills its worker takes no
                # innocent job's retries with it.
                config: dict[str, Any] = {
                    "distributed.scheduler.allowed-failures": self.retries,
                    "distributed.scheduler.worker-saturation": 1.0,
                    # Profiles are only seen on a dashboard, which this cluster has not; the
                    # sampler would wake every 10 ms and take the GIL from the report.
                    "distributed.worker.profile.enabled": False,
                    # The rest wake the scheduler, nannies and workers for what only a
                    # dashboard or a cluster holding data needs: the event-loop tick (every
                    # 20 ms in each), system metrics, work stealing (each worker holds one
                    # task), the memory manager of replicas; a worker's own memory is still
                    # checked twice a second (its kernels are processes of their own). An
                    # idle 2-worker cluster took 0.13 CPU-s per second, now 0.02.
                    "distributed.admin.tick.interval": "1s",
                    "distributed.admin.system-monitor.interval": "5s",
                    "distributed.scheduler.work-stealing": False,
                    "distributed.scheduler.active-memory-manager.start": False,
                    "distributed.worker.memory.monitor-interval": "500ms"}
                # With ``preload`` (Linux), the workers are forked from a fork server that
                # imported it once, as local workers are, rather than each importing
                # everything again. The method is set only while the cluster starts (Dask
                # reads it from the process's settings whenever a nanny starts a worker):
                # no other cluster of this process forks from this server, and a worker
                # that replaces a lost one is spawned, as before.
                method: dict[str, Any] = {}
                if self.preload and start_fork_server(self.preload):
                    self._fork_server = True
                    method["distributed.worker.multiprocessing-method"] = "forkserver"
                    import distributed.utils

                    # distributed would import its packages here to preload them in a fork
                    # server it starts: this one is running, with its own preload.
                    distributed.utils._forkserver_preload_set = True
                # (this process's settings again once the cluster is closed)
                self._config = dask.config.set(config)
                with dask.config.set(method):
                    self.cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=self.workers, threads_per_worker=1, processes=True,
                        # no dashboard, but the scheduler's HTTP server (metrics) is always
                        # started: on this machine only, on a free port (the default 8787
                        # may be another cluster's)
                        dashboard_address="127.0.0.1:0",
                        scheduler_kwargs={"dashboard": False}, silence_logs=logging.CRITICAL)
                self.client = distributed.Client(self.cluster)  # type: ignore[no-untyped-call]
        except OSError as error:
            self.close()
            raise InputError(f"cannot reach the scheduler: {_reason(error)}",
                             where="--scheduler", field=str(self.scheduler)) from None
        if self.setup is not None:
            self.client.register_plugin(_setup_plugin(self.setup, "archlib-setup"))
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
            self.cluster = None
        if self._fork_server:
            stop_fork_server()
            self._fork_server = False
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None

    def _workerless_since(self, since: float | None) -> float | None:
        """When the cluster was first seen with no worker (None while it has one)."""
        if not _no_worker_left(self.client):
            return None
        return time.monotonic() if since is None else since

    def _outcome(self, future: Any) -> Any:
        try:
            return future.result()
        except Exception as error:  # KilledWorker once the retries are spent
            name = type(error).__name__
            why = ("its Dask worker was lost on every try" if name == "KilledWorker"
                   else _reason(error))
            return Failure(f"{why} ({self.retries} retries)")

    def run(self, function: Callable[..., Any], jobs: Sequence[tuple[Any, ...]],
            setup: WorkerSetup | None = None) -> Iterator[tuple[int, Any]]:
        """``setup`` runs on every worker (a plugin: also on a worker that replaces a lost
        one) before this run's tasks, its teardown when the run ends."""
        import secrets

        import distributed

        if self.client is None:
            raise RuntimeError("DaskExecutor.run outside its `with` block")
        plugin = None
        if setup is not None:
            plugin = f"archlib-setup-{secrets.token_hex(4)}"
            self.client.register_plugin(_setup_plugin(setup, plugin))
        futures = {self.client.submit(_one_at_a_time, function, *args, pure=False): i
                   for i, args in enumerate(jobs)}
        pending = set(futures)
        workerless_since: float | None = None
        try:
            while pending:
                # Wait in short slices: a cluster left with no worker (its nannies could not
                # restart them) would otherwise leave the batch waiting for ever.
                with contextlib.suppress(distributed.TimeoutError):
                    distributed.wait(list(pending), timeout=WORKER_POLL_S,
                                     return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
                ready = sorted((f for f in pending if f.done()), key=futures.__getitem__)
                if not ready:
                    workerless_since = self._workerless_since(workerless_since)
                    if (workerless_since is not None
                            and time.monotonic() - workerless_since > self.no_worker_timeout_s):
                        for future in sorted(pending, key=futures.__getitem__):
                            yield futures[future], Failure(
                                f"no Dask worker was left to run it for "
                                f"{self.no_worker_timeout_s:g} s")
                        return
                    continue
                workerless_since = None
                for future in ready:
                    pending.discard(future)
                    yield futures[future], self._outcome(future)
        finally:
            for future in futures:
                future.cancel()
            if plugin is not None:
                with contextlib.suppress(Exception):  # a worker already gone: nothing to end
                    self.client.unregister_worker_plugin(plugin)


def _no_worker_left(client: Any) -> bool:
    with contextlib.suppress(Exception):  # a scheduler that cannot answer: keep waiting
        return not client.scheduler_info().get("workers")
    return False


def make_executor(name: str, *, workers: int | None = None, scheduler: str | None = None,
                  setup: WorkerSetup | None = None,
                  on_lost: Callable[[int], None] | None = None,
                  preload: Sequence[str] = ()) -> Any:
    """The executor named ``--executor`` (``local`` or ``dask``); a context manager.
    ``--scheduler`` without ``dask`` is an input error. ``preload``: what local workers
    import once, in their fork server (:class:`LocalProcesses`)."""
    if name not in EXECUTORS:
        raise InputError(f"must be one of {', '.join(EXECUTORS)} (got {name!r:.40})",
                         where="--executor")
    if name == "local":
        if scheduler:
            raise InputError("needs --executor dask", where="--scheduler")
        return contextlib.nullcontext(LocalProcesses(workers, setup=setup, on_lost=on_lost,
                                                     preload=preload))
    return DaskExecutor(scheduler, workers=workers, setup=setup)
