"""The ``archlib`` command's entry point (and ``python -m archlib``)."""

from __future__ import annotations

import sys

from ._prestart import prestart_workers, report_executor, stop_workers

__all__ = ["main", "run"]


def main() -> None:
    """Run the command, then end the process at once (:func:`_exit_now`)."""
    _exit_now(run())


def run() -> int | str | None:
    """Run the CLI; the exit status it gave (what ``sys.exit`` was called with). For batch
    reports on this machine's workers (local, or a Dask ``LocalCluster``), their fork
    server starts first: importing archlib and the CLI takes this process about 1 s, which
    the server's warm-up now overlaps instead of following (issue 23)."""
    executor = report_executor(sys.argv[1:])
    prestarted = executor is not None and prestart_workers(executor)
    try:
        from .cli import main as cli_main

        cli_main()
    except SystemExit as done:
        return done.code
    finally:
        if prestarted:
            stop_workers()  # a no-op when the batch has stopped it
    return 0


def _exit_now(status: int | str | None) -> None:
    """Exit as the interpreter would (threads joined, ``atexit`` functions run, output
    flushed), without then tearing down every module and object one by one: after a batch
    that took 0.3-0.45 s of nothing (everything the command wrote is closed by then)."""
    import atexit
    import contextlib
    import os
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's own first step
    atexit._run_exitfuncs()
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:  # as sys.exit("message") does
        print(status, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code & 0xFF)
