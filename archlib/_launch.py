"""The ``archlib`` command's entry point (and ``python -m archlib``)."""

from __future__ import annotations

import sys

from ._prestart import is_local_report, prestart_workers, stop_workers

__all__ = ["main"]


def main() -> None:
    """Run the CLI. For batch reports on local workers, their fork server starts first:
    importing archlib and the CLI takes this process about 1 s, which the server's warm-up
    now overlaps instead of following (issue 23)."""
    prestarted = is_local_report(sys.argv[1:]) and prestart_workers()
    try:
        from .cli import main as cli_main

        cli_main()
    finally:
        if prestarted:
            stop_workers()  # a no-op when the batch has stopped it
